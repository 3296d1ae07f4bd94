/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Small text formatters shared by the widgets: counts, ages, times, money. */
#include "relay-format.h"

#include <langinfo.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#define RELAY_FORMAT_MICRO G_GUINT64_CONSTANT (1000000)

/* The locale's decimal mark and digit-group separator (LC_NUMERIC); a
 * locale without grouping (C) groups with "," or, where the decimal mark is
 * a comma, with a no-break space, so "1,500" never reads as 1.5. */
static void
numeric_marks (const char **decimal_mark,
               const char **group_mark)
{
  const char *radix = nl_langinfo (RADIXCHAR);
  const char *thousands = nl_langinfo (THOUSEP);

  if (radix == NULL || *radix == '\0')
    radix = ".";
  if (thousands == NULL || *thousands == '\0' || strcmp (thousands, radix) == 0)
    thousands = strcmp (radix, ",") == 0 ? "\u00a0" : ",";
  *decimal_mark = radix;
  *group_mark = thousands;
}

char *
relay_format_count (gint64 value)
{
  g_autofree char *digits = NULL;
  GString *out = g_string_new (NULL);
  const char *decimal_mark;
  const char *group_mark;
  guint64 magnitude;
  gsize len;

  numeric_marks (&decimal_mark, &group_mark);
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
        g_string_append (out, group_mark);
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}

char *
relay_format_amount (const char *plain)
{
  const char *radix = nl_langinfo (RADIXCHAR);
  const char *thousands = nl_langinfo (THOUSEP);
  GString *out;
  const char *p;

  if (plain == NULL)
    return NULL;
  if (radix == NULL || *radix == '\0')
    radix = ".";
  if (thousands != NULL && strcmp (thousands, radix) == 0)
    thousands = NULL;
  out = g_string_new (NULL);
  for (p = plain; *p != '\0';)
    {
      gsize n_int = 0;

      if (!g_ascii_isdigit (*p))
        {
          g_string_append_c (out, *p++);
          continue;
        }
      while (g_ascii_isdigit (p[n_int]))
        n_int++;
      for (gsize i = 0; i < n_int; i++)
        {
          if (i > 0 && thousands != NULL && *thousands != '\0' && (n_int - i) % 3 == 0)
            g_string_append (out, thousands);
          g_string_append_c (out, p[i]);
        }
      p += n_int;
      if (*p == '.' && g_ascii_isdigit (p[1]))
        {
          g_string_append (out, radix);
          for (p++; g_ascii_isdigit (*p); p++)
            g_string_append_c (out, *p);
        }
    }
  return g_string_free (out, FALSE);
}

char *
relay_format_amount_take (char *plain)
{
  char *text = relay_format_amount (plain);

  g_free (plain);
  return text;
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
  /* TRANSLATORS: how a date and time are shown in the window, as a
   * g_date_time_format() format: the locale's usual order, e.g. "%d.%m.%Y %H:%M:%S".
   * Keep every field: the history of an order is read to the second. */
  return g_date_time_format (local, C_("date and time", "%Y-%m-%d %H:%M:%S"));
}

char *
relay_format_day (GDateTime *when)
{
  if (when == NULL)
    return g_strdup ("—");
  /* TRANSLATORS: how a day is shown in the window (reports, schedules), as a
   * g_date_time_format() format in the locale's usual order, e.g. "%d.%m.%Y" */
  return g_date_time_format (when, C_("day", "%Y-%m-%d"));
}

char *
relay_format_minute (GDateTime *when,
                     gboolean   with_weekday)
{
  if (when == NULL)
    return g_strdup ("—");
  if (with_weekday)
    /* TRANSLATORS: a day and time to the minute with the short weekday, as a
     * g_date_time_format() format: "Fri 2026-12-04 14:00"; e.g. "%a, %d.%m.%Y %H:%M" */
    return g_date_time_format (when, C_("weekday, day and minute", "%a %Y-%m-%d %H:%M"));
  /* TRANSLATORS: a day and time to the minute, as a g_date_time_format()
   * format: "2026-12-04 14:00"; e.g. "%d.%m.%Y %H:%M" */
  return g_date_time_format (when, C_("day and minute", "%Y-%m-%d %H:%M"));
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

guint
relay_format_currency_decimals (const char *currency)
{
  static const char *const zero[] = {
    "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF",
    "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF", NULL
  };
  static const char *const three[] = {
    "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND", NULL
  };

  if (currency == NULL)
    return 2;
  for (guint i = 0; zero[i] != NULL; i++)
    if (g_ascii_strcasecmp (currency, zero[i]) == 0)
      return 0;
  for (guint i = 0; three[i] != NULL; i++)
    if (g_ascii_strcasecmp (currency, three[i]) == 0)
      return 3;
  return 2;
}

char *
relay_format_money (gint64           micro,
                    const char      *currency,
                    RelayMoneyStyle  style)
{
  static const guint64 scale[] = { 1000000, 100000, 10000, 1000, 100, 10, 1 };
  const char *decimal_mark;
  const char *group_mark;
  guint decimals = relay_format_currency_decimals (currency);
  guint shown;
  guint64 magnitude;
  guint64 units;
  guint64 fraction;
  g_autofree char *digits = NULL;
  GString *out;
  gsize len;

  numeric_marks (&decimal_mark, &group_mark);
  magnitude = micro < 0 ? (guint64) (-(micro + 1)) + 1 : (guint64) micro;

  if (style == RELAY_MONEY_STYLE_UNIT_PRICE)
    {
      /* Every decimal the micro-units carry, trailing zeros trimmed down to
       * the currency's own decimals. */
      shown = 6;
      while (shown > decimals && (magnitude / scale[shown]) % 10 == 0)
        shown--;
    }
  else
    {
      /* Round half away from zero to the currency's decimals, but never
       * to zero: an amount below the smallest coin shows the decimals it
       * needs (4200 USD micro-units -> "0.0042 USD", not "0.00 USD"). */
      guint64 step = scale[decimals];
      shown = decimals;
      if (magnitude > 0 && magnitude < step / 2)
        {
          shown = 6;
          while (shown > decimals && (magnitude / scale[shown]) % 10 == 0)
            shown--;
        }
      else
        magnitude = (magnitude + step / 2) / step * step;
    }

  units = magnitude / RELAY_FORMAT_MICRO;
  fraction = (magnitude % RELAY_FORMAT_MICRO) / scale[shown];

  out = g_string_new (NULL);
  if (micro < 0 && magnitude > 0)
    g_string_append_c (out, '-');
  digits = g_strdup_printf ("%" G_GUINT64_FORMAT, units);
  len = strlen (digits);
  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append (out, group_mark);
      g_string_append_c (out, digits[i]);
    }
  if (shown > 0)
    g_string_append_printf (out, "%s%0*" G_GUINT64_FORMAT,
                            decimal_mark, (int) shown, fraction);
  if (currency != NULL && *currency != '\0')
    {
      g_string_append_c (out, ' ');
      g_string_append (out, currency);
    }
  return g_string_free (out, FALSE);
}
