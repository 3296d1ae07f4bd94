/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Small text formatters shared by the widgets: counts, ages and times. */
#include "relay-format.h"

#include <string.h>
#include <glib/gi18n-lib.h>

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

char *
relay_format_limits (gint64 min, gint64 max)
{
  g_autofree char *min_text = relay_format_count (min);
  g_autofree char *max_text = NULL;

  if (max <= 0)
    /* TRANSLATORS: the smallest quantity of a service that has no maximum */
    return g_strdup_printf (_("from %s"), min_text);
  max_text = relay_format_count (max);
  /* TRANSLATORS: the range of quantities a service takes, e.g. "50 – 10,000" */
  return g_strdup_printf (_("%s – %s"), min_text, max_text);
}

char *
relay_format_sentence (const char *text)
{
  char first[8];
  gint n;

  if (text == NULL)
    return NULL;
  if (*text == '\0' || !g_utf8_validate (text, -1, NULL))
    return g_strdup (text);
  n = g_unichar_to_utf8 (g_unichar_totitle (g_utf8_get_char (text)), first);
  first[n] = '\0';
  return g_strconcat (first, g_utf8_next_char (text), NULL);
}
