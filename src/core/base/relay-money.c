/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Money as integer micro-units: parsing, formatting, the rounding rule. */
#include "relay-money.h"
#include "relay-error.h"
#include "relay-format.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <langinfo.h>
#include <string.h>

#define MAX_WHOLE G_GINT64_CONSTANT (9000000000000)

gboolean
relay_money_parse (const char  *text,
                   gint64      *out_micro,
                   GError     **error)
{
  const char *p = text;
  gint64 whole = 0;
  gint64 frac = 0;
  int n_whole = 0;
  int n_frac = 0;

  g_return_val_if_fail (out_micro != NULL, FALSE);

  if (text == NULL)
    goto invalid;
  while (g_ascii_isspace (*p))
    p++;
  for (; g_ascii_isdigit (*p); p++, n_whole++)
    {
      whole = whole * 10 + (*p - '0');
      if (whole > MAX_WHOLE)
        {
          g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE,
                       _("“%s” is too large an amount"), text);
          return FALSE;
        }
    }
  if (*p == '.')
    {
      p++;
      for (; g_ascii_isdigit (*p); p++, n_frac++)
        {
          if (n_frac < 6)
            frac = frac * 10 + (*p - '0');
          else if (*p != '0')
            {
              g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID,
                           _("“%s” has more than six decimals"), text);
              return FALSE;
            }
        }
    }
  while (g_ascii_isspace (*p))
    p++;
  if (*p != '\0' || (n_whole == 0 && n_frac == 0))
    goto invalid;

  for (int i = MIN (n_frac, 6); i < 6; i++)
    frac *= 10;
  *out_micro = whole * RELAY_MICRO + frac;
  return TRUE;

invalid:
  g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID,
               _("“%s” is not an amount (expected digits with an optional decimal point, such as 0.27819)"),
               text ? text : "");
  return FALSE;
}

/* ---- amounts as people type them ---- */

static const gint64 money_scale[] = { 1000000, 100000, 10000, 1000, 100, 10, 1 };

static gboolean
set_too_many_decimals (GError     **error,
                       const char  *text,
                       const char  *currency,
                       guint        decimals)
{
  if (currency == NULL || *currency == '\0')
    g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID,
                 /* TRANSLATORS: "“12.345” has more than 2 decimals" */
                 g_dngettext (GETTEXT_PACKAGE, "“%s” has more than %u decimal",
                              "“%s” has more than %u decimals", decimals),
                 text, decimals);
  else if (decimals == 0)
    g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID,
                 /* TRANSLATORS: "“1.5” has decimals, but JPY has none: write a whole amount" */
                 _("“%s” has decimals, but %s has none: write a whole amount"),
                 text, currency);
  else
    g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID,
                 /* TRANSLATORS: "“12.345” has more decimals than USD has (2)" */
                 _("“%s” has more decimals than %s has (%u)"),
                 text, currency, decimals);
  return FALSE;
}

static gboolean
money_is_blank (gunichar c)
{
  return c == ' ' || c == '\t' || c == 0x00A0 || c == 0x202F || c == 0x2009 || c == 0x2007;
}

static gboolean
money_is_mark (gunichar c, const char *mark)
{
  return mark != NULL && *mark != '\0' && g_utf8_get_char (mark) == c &&
         *g_utf8_next_char (mark) == '\0';
}

static gboolean
money_fail_invalid (GError **error, const char *text, const char *decimal_mark)
{
  g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID,
               /* TRANSLATORS: %s is what was typed; the examples use the locale's decimal mark */
               _("“%s” is not an amount; write digits with an optional decimal mark, such as 1500%s50"),
               text, decimal_mark);
  return FALSE;
}

gboolean
relay_money_parse_typed_with_marks (const char  *text,
                                    const char  *currency,
                                    const char  *decimal_mark,
                                    const char  *group_mark,
                                    gint64      *out_micro,
                                    GError     **error)
{
  g_autofree char *typed = NULL;
  guint decimals = relay_format_currency_decimals (currency);
  const char *p;
  gint64 whole = 0;
  gint64 frac = 0;
  guint n_frac = 0;        /* decimals read, trailing zeros included */
  guint n_significant = 0; /* up to the last non-zero decimal */
  gboolean in_fraction = FALSE;
  gboolean any_digit = FALSE;
  gunichar sep_char = 0;
  guint run = 0;
  guint groups = 0;

  g_return_val_if_fail (out_micro != NULL, FALSE);

  if (decimal_mark == NULL || *decimal_mark == '\0')
    decimal_mark = ".";
  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    text = "";
  typed = g_strdup (text);
  while (*typed != '\0' && money_is_blank (g_utf8_get_char (typed)))
    memmove (typed, g_utf8_next_char (typed), strlen (g_utf8_next_char (typed)) + 1);
  for (gsize len = strlen (typed); len > 0; len = strlen (typed))
    {
      char *last = g_utf8_find_prev_char (typed, typed + len);
      if (last == NULL || !money_is_blank (g_utf8_get_char (last)))
        break;
      *last = '\0';
    }

  if (*typed == '\0')
    {
      g_set_error_literal (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID,
                           _("the amount is missing"));
      return FALSE;
    }
  if (*typed == '-' || g_utf8_get_char (typed) == 0x2212)
    {
      g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID,
                   _("amount “%s” is negative"), typed);
      return FALSE;
    }
  if (*typed == '+')
    {
      g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID,
                   _("amount “%s” has a sign; write the number alone"), typed);
      return FALSE;
    }

  for (p = typed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c >= '0' && c <= '9')
        {
          int digit = (int) (c - '0');

          any_digit = TRUE;
          if (in_fraction)
            {
              n_frac++;
              if (digit != 0)
                n_significant = n_frac;
              if (n_frac <= 6)
                frac = frac * 10 + digit;
              else if (digit != 0)
                return set_too_many_decimals (error, typed, currency, decimals);
              continue;
            }
          if (groups > 0 && run == 3)
            return money_fail_invalid (error, typed, decimal_mark);
          whole = whole * 10 + digit;
          if (whole > MAX_WHOLE)
            {
              g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE,
                           _("“%s” is too large an amount"), typed);
              return FALSE;
            }
          run++;
          continue;
        }

      if (!in_fraction && money_is_mark (c, decimal_mark))
        {
          if (groups > 0 && run != 3)
            return money_fail_invalid (error, typed, decimal_mark);
          in_fraction = TRUE;
          continue;
        }

      if (!in_fraction &&
          (money_is_blank (c) || c == ',' || c == '.' || c == '\'' || c == 0x2019 ||
           money_is_mark (c, group_mark)))
        {
          if (run == 0 || (groups == 0 && run > 3) || (groups > 0 && run != 3))
            return money_fail_invalid (error, typed, decimal_mark);
          if (groups > 0 && !(c == sep_char || (money_is_blank (c) && money_is_blank (sep_char))))
            return money_fail_invalid (error, typed, decimal_mark);
          sep_char = c;
          groups++;
          run = 0;
          continue;
        }

      return money_fail_invalid (error, typed, decimal_mark);
    }

  if (!any_digit || (!in_fraction && groups > 0 && run != 3))
    return money_fail_invalid (error, typed, decimal_mark);
  if (n_significant > decimals)
    return set_too_many_decimals (error, typed, currency, decimals);

  for (guint i = MIN (n_frac, 6); i < 6; i++)
    frac *= 10;
  *out_micro = whole * RELAY_MICRO + frac;
  return TRUE;
}

gboolean
relay_money_parse_typed (const char  *text,
                         const char  *currency,
                         gint64      *out_micro,
                         GError     **error)
{
  return relay_money_parse_typed_with_marks (text, currency, nl_langinfo (RADIXCHAR),
                                             nl_langinfo (THOUSEP), out_micro, error);
}

gboolean
relay_money_check_decimals (gint64       amount,
                            const char  *currency,
                            GError     **error)
{
  guint decimals = relay_format_currency_decimals (currency);
  g_autofree char *text = NULL;

  if (amount % money_scale[decimals] == 0)
    return TRUE;
  text = relay_money_format (amount);
  return set_too_many_decimals (error, text, currency, decimals);
}

char *
relay_money_format (gint64 micro)
{
  gboolean negative = micro < 0;
  guint64 abs_value = negative ? (guint64) (-(micro + 1)) + 1 : (guint64) micro;
  guint64 whole = abs_value / RELAY_MICRO;
  guint64 frac = abs_value % RELAY_MICRO;
  char digits[8];
  int len;

  g_snprintf (digits, sizeof digits, "%06" G_GUINT64_FORMAT, frac);
  len = 6;
  while (len > 2 && digits[len - 1] == '0')
    len--;
  digits[len] = '\0';
  return g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%s", negative ? "-" : "", whole, digits);
}

char *
relay_money_format_sum (gint64 micro,
                        int    beyond)
{
  g_autofree char *limit = NULL;

  if (beyond == 0)
    return relay_money_format (micro);
  limit = relay_money_format (beyond > 0 ? G_MAXINT64 : -G_MAXINT64);
  /* TRANSLATORS: a balance too large to count; %s is 9223372036854.775807 */
  return g_strdup_printf (beyond > 0 ? _("more than %s") : _("less than %s"), limit);
}

char *
relay_money_format_with_currency (gint64 micro, const char *currency)
{
  g_autofree char *amount = relay_money_format (micro);

  if (currency == NULL || *currency == '\0')
    return g_steal_pointer (&amount);
  return g_strdup_printf ("%s %s", amount, currency);
}

gboolean
relay_money_check_price (gint64   per_thousand,
                         GError **error)
{
  if (per_thousand < 0)
    {
      g_set_error_literal (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE,
                           _("A price per 1,000 cannot be negative"));
      return FALSE;
    }
  if (per_thousand > RELAY_MONEY_MAX_PER_THOUSAND)
    {
      g_autofree char *price = relay_money_format (per_thousand);
      g_autofree char *limit = relay_money_format (RELAY_MONEY_MAX_PER_THOUSAND);

      /* TRANSLATORS: both are amounts such as 1000000.00 */
      g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE,
                   _("A price of %s per 1,000 is above the limit of %s per 1,000"),
                   price, limit);
      return FALSE;
    }
  return TRUE;
}

gboolean
relay_money_check_amount (gint64   amount,
                          GError **error)
{
  if (amount < 0)
    {
      g_set_error_literal (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE,
                           _("An amount cannot be negative"));
      return FALSE;
    }
  if (amount > RELAY_MONEY_MAX_AMOUNT)
    {
      g_autofree char *text = relay_money_format (amount);
      g_autofree char *limit = relay_money_format (RELAY_MONEY_MAX_AMOUNT);

      g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE,
                   _("An amount of %s is above the limit of %s"), text, limit);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_units (gint64   quantity,
             GError **error)
{
  if (quantity >= 0 && quantity <= RELAY_MONEY_MAX_UNITS)
    return TRUE;
  g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE,
               g_dngettext (GETTEXT_PACKAGE,
                            "%" PRId64 " unit cannot be priced: an order has 0 to %" PRId64 " units",
                            "%" PRId64 " units cannot be priced: an order has 0 to %" PRId64 " units",
                            quantity < 0 ? (gulong) -(quantity + 1) + 1 : (gulong) quantity),
               quantity, RELAY_MONEY_MAX_UNITS);
  return FALSE;
}

gboolean
relay_money_for_quantity (gint64   per_thousand,
                          gint64   quantity,
                          gint64  *out_amount,
                          GError **error)
{
  gint64 product;

  g_return_val_if_fail (out_amount != NULL, FALSE);

  if (!relay_money_check_price (per_thousand, error) || !check_units (quantity, error))
    return FALSE;
  /* p q itself may reach 10^21; with p = 1000 a + b (0 <= b < 1000),
   * (p q + 500) / 1000 = a q + (b q + 500) / 1000, where a q <= 10^18 and
   * b q + 500 < 10^12 by the two checks above: no step can overflow. */
  product = (per_thousand / 1000) * quantity;
  *out_amount = product + ((per_thousand % 1000) * quantity + 500) / 1000;
  return TRUE;
}

gboolean
relay_money_refund (gint64   per_thousand,
                    gint64   quantity,
                    gint64   delivered,
                    gint64  *out_refund,
                    GError **error)
{
  gint64 whole, part;

  g_return_val_if_fail (out_refund != NULL, FALSE);

  if (!relay_money_for_quantity (per_thousand, quantity, &whole, error))
    return FALSE;
  delivered = CLAMP (delivered, 0, quantity);
  if (!relay_money_for_quantity (per_thousand, delivered, &part, error))
    return FALSE;
  /* for_quantity is monotonic in the quantity: 0 <= part <= whole. */
  *out_refund = whole - part;
  return TRUE;
}

gboolean
relay_money_add (gint64   a,
                 gint64   b,
                 gint64  *out_sum,
                 GError **error)
{
  gint64 sum;

  g_return_val_if_fail (out_sum != NULL, FALSE);

  if (__builtin_add_overflow (a, b, &sum) || sum == G_MININT64)
    {
      g_autofree char *limit = relay_money_format (G_MAXINT64);

      g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE,
                   _("The total is beyond %s, more than SMM Relay can count"), limit);
      return FALSE;
    }
  *out_sum = sum;
  return TRUE;
}
