/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the one money formatter: totals in the currency's decimals, unit
 * prices with the decimals they need, always with the currency. */
#include <locale.h>

#include "relay-format.h"

typedef struct
{
  gint64           micro;
  const char      *currency;
  RelayMoneyStyle  style;
  const char      *expected;
} MoneyCase;

static void
check_cases (const MoneyCase *cases, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = relay_format_money (cases[i].micro, cases[i].currency,
                                                  cases[i].style);

      g_test_message ("%" G_GINT64_FORMAT " %s -> “%s”", cases[i].micro,
                      cases[i].currency ? cases[i].currency : "(none)", text);
      g_assert_cmpstr (text, ==, cases[i].expected);
    }
}

/* The figures of the issue: every total and balance with two decimals and USD. */
static void
test_money_totals (void)
{
  static const MoneyCase cases[] = {
    { 938661719, "USD", RELAY_MONEY_STYLE_TOTAL, "938.66 USD" },
    { 29907690, "USD", RELAY_MONEY_STYLE_TOTAL, "29.91 USD" },
    { -166160, "USD", RELAY_MONEY_STYLE_TOTAL, "-0.17 USD" },
    { 11070, "USD", RELAY_MONEY_STYLE_TOTAL, "0.01 USD" },
    { 67500, "USD", RELAY_MONEY_STYLE_TOTAL, "0.07 USD" },
    { 0, "USD", RELAY_MONEY_STYLE_TOTAL, "0.00 USD" },
    { 5000, "USD", RELAY_MONEY_STYLE_TOTAL, "0.01 USD" },
    { 4999, "USD", RELAY_MONEY_STYLE_TOTAL, "0.004999 USD" }, /* never zero (issue 8) */
    { -4999, "USD", RELAY_MONEY_STYLE_TOTAL, "-0.004999 USD" },
    { 12000000, "usd", RELAY_MONEY_STYLE_TOTAL, "12.00 usd" },
    { G_GINT64_CONSTANT (1234567890000), "EUR", RELAY_MONEY_STYLE_TOTAL, "1,234,567.89 EUR" },
    { G_GINT64_CONSTANT (1500499999), "JPY", RELAY_MONEY_STYLE_TOTAL, "1,500 JPY" },
    { G_GINT64_CONSTANT (1500500000), "JPY", RELAY_MONEY_STYLE_TOTAL, "1,501 JPY" },
    { 1234567, "KWD", RELAY_MONEY_STYLE_TOTAL, "1.235 KWD" },
    { 999995000, "USD", RELAY_MONEY_STYLE_TOTAL, "1,000.00 USD" },
    { G_MAXINT64, "USD", RELAY_MONEY_STYLE_TOTAL, "9,223,372,036,854.78 USD" },
    { G_MININT64, "USD", RELAY_MONEY_STYLE_TOTAL, "-9,223,372,036,854.78 USD" },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_money_unit_prices (void)
{
  static const MoneyCase cases[] = {
    { 67500, "USD", RELAY_MONEY_STYLE_UNIT_PRICE, "0.0675 USD" },
    { 278190, "USD", RELAY_MONEY_STYLE_UNIT_PRICE, "0.27819 USD" },
    { 900000, "USD", RELAY_MONEY_STYLE_UNIT_PRICE, "0.90 USD" },
    { 12000000, "USD", RELAY_MONEY_STYLE_UNIT_PRICE, "12.00 USD" },
    { 1, "USD", RELAY_MONEY_STYLE_UNIT_PRICE, "0.000001 USD" },
    { -166160, "USD", RELAY_MONEY_STYLE_UNIT_PRICE, "-0.16616 USD" },
    { 1500000000, "JPY", RELAY_MONEY_STYLE_UNIT_PRICE, "1,500 JPY" },
    { 1500250000, "JPY", RELAY_MONEY_STYLE_UNIT_PRICE, "1,500.25 JPY" },
    { 1200000, "BHD", RELAY_MONEY_STYLE_UNIT_PRICE, "1.200 BHD" },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

/* No currency known (a provider before its first balance): the bare number,
 * never a made-up currency. */
static void
test_money_without_currency (void)
{
  static const MoneyCase cases[] = {
    { 938661719, NULL, RELAY_MONEY_STYLE_TOTAL, "938.66" },
    { 67500, "", RELAY_MONEY_STYLE_UNIT_PRICE, "0.0675" },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

static void
test_currency_decimals (void)
{
  g_assert_cmpuint (relay_format_currency_decimals ("USD"), ==, 2);
  g_assert_cmpuint (relay_format_currency_decimals ("jpy"), ==, 0);
  g_assert_cmpuint (relay_format_currency_decimals ("KWD"), ==, 3);
  g_assert_cmpuint (relay_format_currency_decimals ("XYZ"), ==, 2);
  g_assert_cmpuint (relay_format_currency_decimals (NULL), ==, 2);
}

/* Issue 8: 10 x 0.42 USD per 1,000 is a charge of 0.0042 USD, shown as
 * "0.00 USD" before; a non-zero total never reads as zero. */
static void
test_money_never_zero (void)
{
  static const MoneyCase cases[] = {
    { 4200, "USD", RELAY_MONEY_STYLE_TOTAL, "0.0042 USD" },
    { -4200, "USD", RELAY_MONEY_STYLE_TOTAL, "-0.0042 USD" },
    { 1, "USD", RELAY_MONEY_STYLE_TOTAL, "0.000001 USD" },
    { 4999, "USD", RELAY_MONEY_STYLE_TOTAL, "0.004999 USD" },
    { 5000, "USD", RELAY_MONEY_STYLE_TOTAL, "0.01 USD" },
    { 400000, "JPY", RELAY_MONEY_STYLE_TOTAL, "0.4 JPY" },
    { 400, "KWD", RELAY_MONEY_STYLE_TOTAL, "0.0004 KWD" },
    { 0, "USD", RELAY_MONEY_STYLE_TOTAL, "0.00 USD" },
  };

  check_cases (cases, G_N_ELEMENTS (cases));
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/format/money/totals", test_money_totals);
  g_test_add_func ("/format/money/never-zero", test_money_never_zero);
  g_test_add_func ("/format/money/unit-prices", test_money_unit_prices);
  g_test_add_func ("/format/money/without-currency", test_money_without_currency);
  g_test_add_func ("/format/money/currency-decimals", test_currency_decimals);
  return g_test_run ();
}
