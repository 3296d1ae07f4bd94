/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Money as integer micro-units: parsing, formatting, the rounding rule. */
#include "relay-money.h"
#include "relay-error.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>

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
               _("%" PRId64 " units cannot be priced: an order has 0 to %" PRId64 " units"),
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
