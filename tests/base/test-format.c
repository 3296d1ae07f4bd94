/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the one money formatter: totals in the currency's decimals, unit
 * prices with the decimals they need, always with the currency. */
#include "config.h"

#include <langinfo.h>
#include <libintl.h>
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

/* Counts for people are grouped as the locale groups; C keeps "4,820". */
static void
test_count_c_locale (void)
{
  g_autofree char *small = relay_format_count (482);
  g_autofree char *count = relay_format_count (4820);
  g_autofree char *negative = relay_format_count (-1234567);
  g_autofree char *limits = relay_format_limits (50, 10000);

  g_assert_cmpstr (small, ==, "482");
  g_assert_cmpstr (count, ==, "4,820");
  g_assert_cmpstr (negative, ==, "-1,234,567");
  g_assert_cmpstr (limits, ==, "50 – 10,000");
}

/* Issue 11: in Russian the window shows "1 234 567" and "1 234 567,89 USD"
 * (the locale's group separator, a comma for decimals), never "1,234,567". */
static void
test_numbers_ru (void)
{
  g_autofree char *saved = g_strdup (setlocale (LC_NUMERIC, NULL));
  g_autofree char *count = NULL;
  g_autofree char *money = NULL;
  g_autofree char *expected_count = NULL;
  g_autofree char *expected_money = NULL;
  const char *group;

  if (setlocale (LC_NUMERIC, "ru_RU.UTF-8") == NULL)
    {
      g_test_skip ("no ru_RU.UTF-8 locale on this machine (localedef -i ru_RU -f UTF-8 ru_RU.UTF-8)");
      return;
    }
  group = nl_langinfo (THOUSEP);
  g_assert_cmpstr (nl_langinfo (RADIXCHAR), ==, ",");
  g_assert_nonnull (group);
  g_assert_cmpstr (group, !=, "");
  g_assert_cmpstr (group, !=, ",");
  count = relay_format_count (1234567);
  money = relay_format_money (G_GINT64_CONSTANT (1234567890000), "USD", RELAY_MONEY_STYLE_TOTAL);
  setlocale (LC_NUMERIC, saved);

  expected_count = g_strdup_printf ("1%s234%s567", group, group);
  expected_money = g_strdup_printf ("1%s234%s567,89 USD", group, group);
  g_test_message ("ru: “%s”, “%s”", count, money);
  g_assert_cmpstr (count, ==, expected_count);
  g_assert_cmpstr (money, ==, expected_money);
}

/* The CLI's text: machine amounts for people.  C keeps them as they are (the
 * tests and scripts of the C locale see no change); ru groups and uses a comma. */
static void
test_amount_text (void)
{
  g_autofree char *saved = g_strdup (setlocale (LC_NUMERIC, NULL));
  g_autofree char *c_plain = relay_format_amount ("-1234567.50");
  g_autofree char *c_currency = relay_format_amount ("0.27819 USD");
  g_autofree char *ru_plain = NULL;
  g_autofree char *ru_currency = NULL;
  g_autofree char *ru_beyond = NULL;
  g_autofree char *expected = NULL;
  const char *group;

  g_assert_null (relay_format_amount (NULL));
  g_assert_cmpstr (c_plain, ==, "-1234567.50");
  g_assert_cmpstr (c_currency, ==, "0.27819 USD");
  if (setlocale (LC_NUMERIC, "ru_RU.UTF-8") == NULL)
    {
      g_test_skip ("no ru_RU.UTF-8 locale on this machine");
      return;
    }
  group = nl_langinfo (THOUSEP);
  expected = g_strdup_printf ("-1%s234%s567,50", group, group);
  ru_plain = relay_format_amount_take (g_strdup ("-1234567.50"));
  ru_currency = relay_format_amount ("0.27819 USD");
  ru_beyond = relay_format_amount ("more than 922.5");
  setlocale (LC_NUMERIC, saved);

  g_assert_cmpstr (ru_plain, ==, expected);
  g_assert_cmpstr (ru_currency, ==, "0,27819 USD");
  g_assert_cmpstr (ru_beyond, ==, "more than 922,5");
}

/* Dates follow the translation's order: ISO in English, day first in
 * Russian (the .mo of this build, po/ru.po). */
static void
test_dates_ru (void)
{
  g_autofree char *saved = g_strdup (setlocale (LC_MESSAGES, NULL));
  g_autofree char *mo_dir = g_test_build_filename (G_TEST_BUILT, "..", "po", NULL);
  g_autofree char *mo = g_build_filename (mo_dir, "ru", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (1796375107); /* 2026-12-04 09:05:07 UTC */
  g_autofree char *time_c = relay_format_time (1796375107);
  g_autofree char *day_c = relay_format_day (when);
  g_autofree char *minute_c = relay_format_minute (when, FALSE);
  g_autofree char *time_ru = NULL;
  g_autofree char *day_ru = NULL;
  g_autofree char *minute_ru = NULL;
  g_autofree char *weekday_ru = NULL;

  g_assert_cmpstr (time_c, ==, "2026-12-04 09:05:07");
  g_assert_cmpstr (day_c, ==, "2026-12-04");
  g_assert_cmpstr (minute_c, ==, "2026-12-04 09:05");
  if (setlocale (LC_MESSAGES, "ru_RU.UTF-8") == NULL)
    {
      g_test_skip ("no ru_RU.UTF-8 locale on this machine");
      return;
    }
  g_assert_true (g_file_test (mo, G_FILE_TEST_EXISTS));
  bindtextdomain (GETTEXT_PACKAGE, mo_dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  g_setenv ("LANGUAGE", "ru", TRUE);
  setlocale (LC_TIME, "ru_RU.UTF-8");

  time_ru = relay_format_time (1796375107);
  day_ru = relay_format_day (when);
  minute_ru = relay_format_minute (when, FALSE);
  weekday_ru = relay_format_minute (when, TRUE);
  g_test_message ("ru: “%s”, “%s”, “%s”, “%s”", time_ru, day_ru, minute_ru, weekday_ru);

  g_unsetenv ("LANGUAGE");
  setlocale (LC_MESSAGES, saved);
  setlocale (LC_TIME, "");

  g_assert_cmpstr (time_ru, ==, "04.12.2026 09:05:07");
  g_assert_cmpstr (day_ru, ==, "04.12.2026");
  g_assert_cmpstr (minute_ru, ==, "04.12.2026 09:05");
  g_assert_cmpstr (weekday_ru, ==, "Пт, 04.12.2026 09:05");
}

int
main (int argc, char **argv)
{
  /* The dates below are read in UTC whatever the machine's zone. */
  g_setenv ("TZ", "UTC", TRUE);
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/format/count/c-locale", test_count_c_locale);
  g_test_add_func ("/format/locale/ru-numbers", test_numbers_ru);
  g_test_add_func ("/format/locale/ru-dates", test_dates_ru);
  g_test_add_func ("/format/locale/amount-text", test_amount_text);
  g_test_add_func ("/format/money/totals", test_money_totals);
  g_test_add_func ("/format/money/never-zero", test_money_never_zero);
  g_test_add_func ("/format/money/unit-prices", test_money_unit_prices);
  g_test_add_func ("/format/money/without-currency", test_money_without_currency);
  g_test_add_func ("/format/money/currency-decimals", test_currency_decimals);
  return g_test_run ();
}
