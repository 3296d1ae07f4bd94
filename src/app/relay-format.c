/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Small text formatters shared by the widgets: counts, ages and times. */
#include "config.h"

#include "relay-format.h"

#include <string.h>
#include <glib/gi18n.h>

char *
relay_format_count (gint64 value)
{
  g_autofree char *digits = NULL;
  GString *out = g_string_new (NULL);
  guint64 magnitude;
  gsize len;

  if (value < 0)
    {
      g_string_append_c (out, '-');
      magnitude = (guint64) (-(value + 1)) + 1;
    }
  else
    magnitude = (guint64) value;

  digits = g_strdup_printf ("%" G_GUINT64_FORMAT, magnitude);
  len = strlen (digits);
  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}

char *
relay_format_ago (gint64 then, gint64 now)
{
  gint64 delta;

  if (then <= 0)
    return g_strdup ("—");
  delta = MAX (now - then, 0);
  if (delta < 5)
    return g_strdup (_("just now"));
  if (delta < 60)
    /* Translators: a short age, "12 s ago" */
    return g_strdup_printf (_("%d s ago"), (int) delta);
  if (delta < 3600)
    /* Translators: a short age, "2 min ago" */
    return g_strdup_printf (_("%d min ago"), (int) (delta / 60));
  if (delta < 86400)
    /* Translators: a short age, "3 h ago" */
    return g_strdup_printf (_("%d h ago"), (int) (delta / 3600));
  /* Translators: a short age, "4 d ago" */
  return g_strdup_printf (_("%d d ago"), (int) (delta / 86400));
}

char *
relay_format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (unix_time <= 0)
    return g_strdup ("—");
  utc = g_date_time_new_from_unix_utc (unix_time);
  if (utc == NULL)
    return g_strdup ("—");
  local = g_date_time_to_local (utc);
  return g_date_time_format (local, "%Y-%m-%d %H:%M:%S");
}
