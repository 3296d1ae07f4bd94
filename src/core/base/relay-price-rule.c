/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Price rules: markup parsing and the rule's price, in checked integers. */
#include "config.h"

#include "relay-price-rule.h"
#include "relay-error.h"
#include "relay-money.h"

#include <langinfo.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#define MARKUP_DECIMALS 4

static gboolean
markup_invalid (GError **error, const char *text)
{
  g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID,
               _("“%s” is not a markup: type a percentage such as 35 or 35.5"), text);
  return FALSE;
}

static gboolean
is_decimal_mark (const char *p, const char *locale_mark, gsize *out_len)
{
  if (*p == '.')
    {
      *out_len = 1;
      return TRUE;
    }
  if (locale_mark != NULL && *locale_mark != '\0' && g_str_has_prefix (p, locale_mark))
    {
      *out_len = strlen (locale_mark);
      return TRUE;
    }
  return FALSE;
}

gboolean
relay_price_parse_markup (const char  *text,
                          gint64      *out_ppm,
                          GError     **error)
{
  g_autofree char *copy = NULL;
  const char *locale_mark = nl_langinfo (RADIXCHAR);
  const char *p;
  gboolean negative = FALSE;
  gboolean any_digit = FALSE;
  gint64 whole = 0;
  gint64 fraction = 0;
  guint n_decimals = 0;
  gsize len;

  g_return_val_if_fail (out_ppm != NULL, FALSE);

  copy = g_strstrip (g_strdup (text != NULL ? text : ""));
  len = strlen (copy);
  if (len > 0 && copy[len - 1] == '%')
    {
      copy[len - 1] = '\0';
      g_strchomp (copy);
    }
  if (*copy == '\0')
    {
      g_set_error_literal (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID,
                           _("Type a markup in percent, such as 35 or 35.5"));
      return FALSE;
    }

  p = copy;
  if (*p == '-' || g_str_has_prefix (p, "−"))
    {
      negative = TRUE;
      p += *p == '-' ? 1 : strlen ("−");
    }

  for (; g_ascii_isdigit (*p); p++)
    {
      any_digit = TRUE;
      /* Anything past 1,000 is refused below; stop counting before it wraps. */
      if (whole <= RELAY_PRICE_MAX_MARKUP_PPM)
        whole = whole * 10 + (*p - '0');
    }
  {
    gsize mark_len = 0;

    if (*p != '\0' && is_decimal_mark (p, locale_mark, &mark_len))
      {
        /* "35." is not finished: a decimal mark needs a digit after it. */
        if (!g_ascii_isdigit (p[mark_len]))
          return markup_invalid (error, text);
        for (p += mark_len; g_ascii_isdigit (*p); p++)
          {
            any_digit = TRUE;
            n_decimals++;
            if (n_decimals <= MARKUP_DECIMALS)
              fraction = fraction * 10 + (*p - '0');
          }
      }
  }
  if (*p != '\0' || !any_digit)
    return markup_invalid (error, text);
  if (negative)
    {
      g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE,
                   _("A markup cannot be negative (“%s”): the price would be below the provider’s rate"),
                   text);
      return FALSE;
    }
  if (n_decimals > MARKUP_DECIMALS)
    {
      g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID,
                   g_dngettext (GETTEXT_PACKAGE, "“%s” has %u decimal; a markup takes at most 4 (0.0001 %%)",
                                "“%s” has %u decimals; a markup takes at most 4 (0.0001 %%)", n_decimals),
                   text,
                   n_decimals);
      return FALSE;
    }
  for (guint i = n_decimals; i < MARKUP_DECIMALS; i++)
    fraction *= 10;
  if (whole > 1000 || (whole == 1000 && fraction > 0))
    {
      g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE,
                   _("A markup of %s %% is above the limit of 1,000 %%"), copy);
      return FALSE;
    }
  *out_ppm = whole * RELAY_PRICE_MARKUP_PPM_PER_PERCENT + fraction;
  return TRUE;
}

char *
relay_price_format_markup (gint64 ppm)
{
  gint64 whole = ppm / RELAY_PRICE_MARKUP_PPM_PER_PERCENT;
  gint64 fraction = ppm % RELAY_PRICE_MARKUP_PPM_PER_PERCENT;
  char digits[MARKUP_DECIMALS + 1];
  int n = MARKUP_DECIMALS;

  if (ppm < 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT, ppm);
  if (fraction == 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT, whole);
  g_snprintf (digits, sizeof digits, "%04" G_GINT64_FORMAT, fraction);
  while (n > 0 && digits[n - 1] == '0')
    n--;
  digits[n] = '\0';
  return g_strdup_printf ("%" G_GINT64_FORMAT ".%s", whole, digits);
}

static gboolean
rule_over_limit (GError **error, gint64 rate, gint64 markup_ppm)
{
  g_autofree char *rate_text = relay_money_format (rate);
  g_autofree char *markup = relay_price_format_markup (markup_ppm);
  g_autofree char *limit = relay_money_format (RELAY_MONEY_MAX_PER_THOUSAND);

  g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE,
               _("A markup of %s %% on the rate %s per 1,000 gives a price above the limit of %s per 1,000"),
               markup, rate_text, limit);
  return FALSE;
}

gboolean
relay_price_apply_rule (gint64   rate,
                        gint64   markup_ppm,
                        gint64   step,
                        gint64  *out_price,
                        GError **error)
{
  const gint64 factor = RELAY_MICRO + markup_ppm;
  gint64 whole;
  gint64 part;
  gint64 price;

  g_return_val_if_fail (out_price != NULL, FALSE);

  if (rate < 0)
    {
      g_set_error_literal (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE,
                           _("A provider’s rate cannot be negative"));
      return FALSE;
    }
  if (step < 0)
    {
      g_set_error_literal (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE,
                           _("A rounding step cannot be negative"));
      return FALSE;
    }
  if (markup_ppm < 0 || markup_ppm > RELAY_PRICE_MAX_MARKUP_PPM)
    {
      g_set_error_literal (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE,
                           _("A markup must be between 0 and 1,000 %"));
      return FALSE;
    }

  /* rate × factor / 10^6 rounded up, as (q × factor) + ⌈r × factor / 10^6⌉
   * with rate = q × 10^6 + r: r × factor stays below 1.1 × 10^13. */
  if (__builtin_mul_overflow (rate / RELAY_MICRO, factor, &whole))
    return rule_over_limit (error, rate, markup_ppm);
  part = (rate % RELAY_MICRO) * factor;
  part = part / RELAY_MICRO + (part % RELAY_MICRO != 0 ? 1 : 0);
  if (__builtin_add_overflow (whole, part, &price))
    return rule_over_limit (error, rate, markup_ppm);

  if (step > 0 && price % step != 0)
    {
      gint64 down = price - price % step;

      if (__builtin_add_overflow (down, step, &price))
        return rule_over_limit (error, rate, markup_ppm);
    }
  if (price > RELAY_MONEY_MAX_PER_THOUSAND)
    return rule_over_limit (error, rate, markup_ppm);
  /* Rounding only ever goes up: a rule never sells below cost. */
  g_assert (price >= rate);
  *out_price = price;
  return TRUE;
}
