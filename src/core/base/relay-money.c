/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Money as integer micro-units: parsing, formatting, the rounding rule. */
#include "relay-money.h"
#include "relay-error.h"

#include <glib/gi18n-lib.h>

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
relay_money_format_with_currency (gint64 micro, const char *currency)
{
  g_autofree char *amount = relay_money_format (micro);

  if (currency == NULL || *currency == '\0')
    return g_steal_pointer (&amount);
  return g_strdup_printf ("%s %s", amount, currency);
}

gint64
relay_money_for_quantity (gint64 per_thousand, gint64 quantity)
{
  __int128 product = (__int128) per_thousand * quantity;

  if (product >= 0)
    return (gint64) ((product + 500) / 1000);
  return (gint64) -((-product + 500) / 1000);
}

gint64
relay_money_refund (gint64 per_thousand, gint64 quantity, gint64 delivered)
{
  delivered = CLAMP (delivered, 0, MAX (quantity, 0));
  return relay_money_for_quantity (per_thousand, quantity)
         - relay_money_for_quantity (per_thousand, delivered);
}
