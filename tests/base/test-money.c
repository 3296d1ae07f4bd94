/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of integer money: exact parsing, formatting, the rounding rule and refunds. */
#include "relay-error.h"
#include "relay-money.h"

#include <string.h>

typedef struct
{
  const char *text;
  gint64      micro;
} GoodCase;

static void
test_parse_good (void)
{
  static const GoodCase cases[] = {
    { "0.27819", 278190 },
    { "12", 12000000 },
    { " 3.5 ", 3500000 },
    { "0", 0 },
    { "0.0", 0 },
    { "0.90", 900000 },
    { "1.", 1000000 },
    { ".5", 500000 },
    { "0.000001", 1 },
    { "0.1234560", 123456 },
    { "0.12345600000", 123456 },
    { "100.84292", 100842920 },
    { "007.5", 7500000 },
    { "\t42\n", 42000000 },
    { "9000000000000", G_GINT64_CONSTANT (9000000000000000000) },
    { "9000000000000.999999", G_GINT64_CONSTANT (9000000000000999999) },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 micro = -1;

      g_test_message ("parse “%s”", cases[i].text);
      g_assert_true (relay_money_parse (cases[i].text, &micro, &error));
      g_assert_no_error (error);
      g_assert_cmpint (micro, ==, cases[i].micro);
    }
}

static void
test_parse_bad (void)
{
  static const char * const cases[] = {
    "1e3", "-1", "+1", "", " ", ".", "1.2.3", "0.1234567", "0.0000001", "1,5", "1 000",
    "abc", "0x10", "1.5a", "NaN", "inf", "١٢", "9000000000001", "99999999999999999999",
    "12 USD", "$12",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 micro = 77;

      g_test_message ("refuse “%s”", cases[i]);
      g_assert_false (relay_money_parse (cases[i], &micro, &error));
      g_assert_error (error, RELAY_INPUT_ERROR, error->code);
      g_assert_true (error->code == RELAY_INPUT_ERROR_INVALID ||
                     error->code == RELAY_INPUT_ERROR_RANGE);
      g_assert_cmpint (micro, ==, 77);
    }

  {
    g_autoptr(GError) error = NULL;
    gint64 micro;

    g_assert_false (relay_money_parse (NULL, &micro, &error));
    g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID);
  }
}

static void
test_format (void)
{
  static const GoodCase cases[] = {
    { "0.27819", 278190 },
    { "12.00", 12000000 },
    { "0.00", 0 },
    { "0.000001", 1 },
    { "0.10", 100000 },
    { "1.123456", 1123456 },
    { "-1.50", -1500000 },
    { "-0.000001", -1 },
    { "-0.27819", -278190 },
    { "9223372036854.775807", G_MAXINT64 },
    { "-9223372036854.775808", G_MININT64 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = relay_money_format (cases[i].micro);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_format_with_currency (void)
{
  g_autofree char *with = relay_money_format_with_currency (278190, "USD");
  g_autofree char *without = relay_money_format_with_currency (278190, NULL);
  g_autofree char *empty = relay_money_format_with_currency (-1500000, "");

  g_assert_cmpstr (with, ==, "0.27819 USD");
  g_assert_cmpstr (without, ==, "0.27819");
  g_assert_cmpstr (empty, ==, "-1.50");
}

static gint64
random_micro (gint64 limit)
{
  guint64 value = ((guint64) g_test_rand_int () << 32) ^ (guint32) g_test_rand_int ();

  return (gint64) (value % (guint64) limit);
}

static void
test_format_round_trip (void)
{
  /* The largest amount parse accepts: 9e12 units and six decimals. */
  const gint64 limit = G_GINT64_CONSTANT (9000000000000999999) + 1;

  for (guint i = 0; i < 20000; i++)
    {
      gint64 micro;
      g_autofree char *text = NULL;
      gint64 parsed = -1;

      switch (i % 4)
        {
        case 0: micro = random_micro (limit); break;
        case 1: micro = random_micro (1000000000); break;      /* small amounts */
        case 2: micro = random_micro (100000) * 10; break;      /* 5-decimal rates */
        default: micro = random_micro (1000) * 1000000; break;  /* whole units */
        }
      text = relay_money_format (micro);
      g_assert_true (relay_money_parse (text, &parsed, NULL));
      g_assert_cmpint (parsed, ==, micro);
    }
}

static gint64
price_of (gint64 per_thousand, gint64 quantity)
{
  g_autoptr(GError) error = NULL;
  gint64 amount = -1;

  g_assert_true (relay_money_for_quantity (per_thousand, quantity, &amount, &error));
  g_assert_no_error (error);
  return amount;
}

static gint64
refund_of (gint64 per_thousand, gint64 quantity, gint64 delivered)
{
  g_autoptr(GError) error = NULL;
  gint64 amount = -1;

  g_assert_true (relay_money_refund (per_thousand, quantity, delivered, &amount, &error));
  g_assert_no_error (error);
  return amount;
}

static void
test_for_quantity (void)
{
  static const struct { gint64 rate, quantity, amount; } cases[] = {
    { 278190, 1000, 278190 },
    { 278190, 1, 278 },               /* 278.19 */
    { 900000, 50, 45000 },
    { 500, 1, 1 },                    /* 0.5 rounds half up */
    { 499, 1, 0 },
    { 1499, 1, 1 },
    { 1500, 1, 2 },
    { 2500, 1, 3 },
    { 278190, 157, 43676 },           /* 43675.83 */
    { 0, 1000000, 0 },
    { 123, 0, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (price_of (cases[i].rate, cases[i].quantity), ==, cases[i].amount);
}

/* What the rounding rule says, computed in 128 bits. */
static gint64
reference_price (gint64 per_thousand, gint64 quantity)
{
  __int128 product = (__int128) per_thousand * quantity;

  return (gint64) ((product + 500) / 1000);
}

static void
test_for_quantity_large (void)
{
  /* The products overflow 64 bits; the results do not. */
  g_assert_cmpint (price_of (RELAY_MONEY_MAX_PER_THOUSAND, RELAY_MONEY_MAX_UNITS), ==,
                   RELAY_MONEY_MAX_AMOUNT);
  g_assert_cmpint (price_of (G_GINT64_CONSTANT (123456789012), 987654321), ==,
                   G_GINT64_CONSTANT (121932631124487121));
  g_assert_cmpint (price_of (RELAY_MONEY_MAX_PER_THOUSAND - 1, RELAY_MONEY_MAX_UNITS - 1), ==,
                   reference_price (RELAY_MONEY_MAX_PER_THOUSAND - 1, RELAY_MONEY_MAX_UNITS - 1));
  /* The order: 2,050 units at the highest price there is. */
  g_assert_cmpint (price_of (RELAY_MONEY_MAX_PER_THOUSAND, 2050), ==,
                   G_GINT64_CONSTANT (2050000000000));

  /* Anywhere in the accepted ranges, exactly the 128-bit rounding rule. */
  for (guint i = 0; i < 20000; i++)
    {
      gint64 rate = random_micro (RELAY_MONEY_MAX_PER_THOUSAND + 1);
      gint64 quantity = random_micro (RELAY_MONEY_MAX_UNITS + 1);

      if (i % 3 == 0)
        rate = RELAY_MONEY_MAX_PER_THOUSAND - (gint64) g_test_rand_int_range (0, 1000);
      if (i % 5 == 0)
        quantity = RELAY_MONEY_MAX_UNITS - (gint64) g_test_rand_int_range (0, 1000);
      g_assert_cmpint (price_of (rate, quantity), ==, reference_price (rate, quantity));
    }
}

static void
test_for_quantity_refused (void)
{
  /* "service map … --price 9000000000000", then 2,050 units: the old code
   * truncated 1.845e19 micro-units to 3255926290.448384. */
  static const struct { gint64 rate, quantity; } cases[] = {
    { G_GINT64_CONSTANT (9000000000000000000), 2050 },
    { RELAY_MONEY_MAX_PER_THOUSAND + 1, 1 },
    { G_MAXINT64, 1000 },
    { G_MAXINT64, 999 },
    { 1000, G_MAXINT64 },
    { 1, RELAY_MONEY_MAX_UNITS + 1 },
    { -500, 1 },
    { G_MININT64, 1 },
    { 278190, -1 },
    { 278190, G_MININT64 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 amount = 77;

      g_test_message ("refuse %" G_GINT64_FORMAT " × %" G_GINT64_FORMAT,
                      cases[i].rate, cases[i].quantity);
      g_assert_false (relay_money_for_quantity (cases[i].rate, cases[i].quantity, &amount, &error));
      g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE);
      g_assert_cmpint (amount, ==, 77);
      g_clear_error (&error);
      g_assert_false (relay_money_refund (cases[i].rate, cases[i].quantity, 0, &amount, &error));
      g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE);
      g_assert_cmpint (amount, ==, 77);
    }
}

static void
test_check_price (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (relay_money_check_price (0, NULL));
  g_assert_true (relay_money_check_price (RELAY_MONEY_MAX_PER_THOUSAND, NULL));
  g_assert_false (relay_money_check_price (RELAY_MONEY_MAX_PER_THOUSAND + 1, &error));
  g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE);
  /* The message names the limit. */
  g_assert_nonnull (strstr (error->message, "1000000.00"));
  g_clear_error (&error);
  g_assert_false (relay_money_check_price (-1, &error));
  g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE);
  g_clear_error (&error);

  g_assert_true (relay_money_check_amount (RELAY_MONEY_MAX_AMOUNT, NULL));
  g_assert_false (relay_money_check_amount (RELAY_MONEY_MAX_AMOUNT + 1, &error));
  g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE);
  g_assert_nonnull (strstr (error->message, "1000000000000.00"));
  g_clear_error (&error);
  g_assert_false (relay_money_check_amount (-1, &error));
  g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE);

  /* The proof in relay-money.h: the largest amount is far inside 64 bits,
   * and so is the sum of any two. */
  g_assert_cmpint (RELAY_MONEY_MAX_AMOUNT, ==,
                   RELAY_MONEY_MAX_PER_THOUSAND / 1000 * RELAY_MONEY_MAX_UNITS);
  g_assert_cmpint (RELAY_MONEY_MAX_AMOUNT, <, G_MAXINT64 / 2);
}

static void
test_add (void)
{
  g_autoptr(GError) error = NULL;
  gint64 sum = 77;

  g_assert_true (relay_money_add (RELAY_MONEY_MAX_AMOUNT, RELAY_MONEY_MAX_AMOUNT, &sum, NULL));
  g_assert_cmpint (sum, ==, 2 * RELAY_MONEY_MAX_AMOUNT);
  g_assert_true (relay_money_add (G_MAXINT64 - 1, 1, &sum, NULL));
  g_assert_cmpint (sum, ==, G_MAXINT64);
  g_assert_true (relay_money_add (-G_MAXINT64, 0, &sum, NULL));
  g_assert_cmpint (sum, ==, -G_MAXINT64);

  sum = 77;
  g_assert_false (relay_money_add (G_MAXINT64, 1, &sum, &error));
  g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE);
  g_assert_cmpint (sum, ==, 77);
  g_clear_error (&error);
  g_assert_false (relay_money_add (-G_MAXINT64, -1, &sum, &error));
  g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE);
  g_clear_error (&error);
  g_assert_false (relay_money_add (G_MININT64, -1, &sum, &error));
  g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE);
  g_assert_cmpint (sum, ==, 77);
}

static void
test_refund_edges (void)
{
  const gint64 rate = 278190;

  g_assert_cmpint (refund_of (rate, 1000, 0), ==, 278190);
  g_assert_cmpint (refund_of (rate, 1000, 1000), ==, 0);
  g_assert_cmpint (refund_of (rate, 1000, 843), ==, 278190 - 234514);
  /* Delivered beyond the order (negative remains) or below zero is clamped. */
  g_assert_cmpint (refund_of (rate, 1000, 1200), ==, 0);
  g_assert_cmpint (refund_of (rate, 1000, -5), ==, 278190);
  g_assert_cmpint (refund_of (rate, 0, 0), ==, 0);
  /* Delivered counts no arithmetic can get wrong. */
  g_assert_cmpint (refund_of (rate, 1000, G_MAXINT64), ==, 0);
  g_assert_cmpint (refund_of (rate, 1000, G_MININT64), ==, 278190);
  g_assert_cmpint (refund_of (RELAY_MONEY_MAX_PER_THOUSAND, RELAY_MONEY_MAX_UNITS, 1), ==,
                   RELAY_MONEY_MAX_AMOUNT - RELAY_MONEY_MAX_PER_THOUSAND / 1000);
}

static void
test_refund_identity (void)
{
  gint64 sum_charge = 0, sum_refund = 0, sum_delivered_price = 0;

  for (guint i = 0; i < 10000; i++)
    {
      /* A rate with five decimals up to 999.99999 per 1,000, an odd quantity, and a
       * delivered count that may stray outside [0, quantity] like real replies. */
      gint64 rate = (gint64) g_test_rand_int_range (0, 100000000) * 10;
      gint64 quantity = (gint64) g_test_rand_int_range (0, 500000) * 2 + 1;
      gint64 delivered = g_test_rand_int_range (-10, (gint32) quantity + 11);
      gint64 clamped = CLAMP (delivered, 0, quantity);
      gint64 charge = price_of (rate, quantity);
      gint64 refund = refund_of (rate, quantity, delivered);
      gint64 delivered_price = price_of (rate, clamped);

      g_assert_cmpint (refund, >=, 0);
      g_assert_cmpint (refund, <=, charge);
      g_assert_cmpint (charge - refund, ==, delivered_price);
      sum_charge += charge;
      sum_refund += refund;
      sum_delivered_price += delivered_price;
    }
  g_assert_cmpint (sum_charge - sum_refund, ==, sum_delivered_price);
}

/* Issue 8: a typed payment has no more decimals than its currency and reads
 * the locale's grouping like a quantity; nothing is ever rounded. */
static void
test_parse_typed (void)
{
  static const struct { const char *text; const char *currency; gint64 micro; } good[] = {
    { "12.34", "USD", 12340000 },
    { "1,000.50", "USD", 1000500000 },
    { " 1 000.50 ", "USD", 1000500000 },
    { "12.340", "USD", 12340000 },
    { "1,500", "JPY", 1500000000 },
    { "1.234", "KWD", 1234000 },
    { "7", NULL, 7000000 },
    { ".5", "USD", 500000 },
  };
  static const struct { const char *text; const char *currency; const char *words; } bad[] = {
    { "12.345", "USD", "USD has (2)" },
    { "1.5", "JPY", "JPY has none" },
    { "1.2345", "KWD", "KWD has (3)" },
    { "0.001", NULL, "more than 2 decimals" },
    { "1,00.50", "USD", "not an amount" },
    { "1,000,00", "USD", "not an amount" },
    { "-3", "USD", "negative" },
    { "+3", "USD", "sign" },
    { "2k", "USD", "not an amount" },
    { "", "USD", "missing" },
    { ".", "USD", "not an amount" },
    { "1.2.3", "USD", "not an amount" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 micro = -1;

      g_assert_true (relay_money_parse_typed_with_marks (good[i].text, good[i].currency, ".", ",",
                                                         &micro, &error));
      g_assert_no_error (error);
      g_assert_cmpint (micro, ==, good[i].micro);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 micro = -1;

      g_assert_false (relay_money_parse_typed_with_marks (bad[i].text, bad[i].currency, ".", ",",
                                                          &micro, &error));
      g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID);
      g_test_message ("“%s” -> %s", bad[i].text, error->message);
      g_assert_nonnull (strstr (error->message, bad[i].words));
      g_assert_cmpint (micro, ==, -1);
    }

  /* Where the decimal mark is a comma, "1.000,50" is 1000.5 and "12,345" in
   * USD has too many decimals. */
  {
    g_autoptr(GError) error = NULL;
    gint64 micro = 0;

    g_assert_true (relay_money_parse_typed_with_marks ("1.000,50", "EUR", ",", ".", &micro, &error));
    g_assert_cmpint (micro, ==, 1000500000);
    g_assert_false (relay_money_parse_typed_with_marks ("12,345", "USD", ",", ".", &micro, &error));
    g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID);
  }
}

static void
test_check_decimals (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (relay_money_check_decimals (12340000, "USD", NULL));
  g_assert_true (relay_money_check_decimals (1500000000, "JPY", NULL));
  g_assert_false (relay_money_check_decimals (12345000, "USD", &error));
  g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "12.345"));
  g_clear_error (&error);
  g_assert_false (relay_money_check_decimals (1500000, "JPY", &error));
  g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/money/parse/good", test_parse_good);
  g_test_add_func ("/money/parse/bad", test_parse_bad);
  g_test_add_func ("/money/parse/typed", test_parse_typed);
  g_test_add_func ("/money/check-decimals", test_check_decimals);
  g_test_add_func ("/money/format", test_format);
  g_test_add_func ("/money/format/currency", test_format_with_currency);
  g_test_add_func ("/money/format/round-trip", test_format_round_trip);
  g_test_add_func ("/money/for-quantity", test_for_quantity);
  g_test_add_func ("/money/for-quantity/large", test_for_quantity_large);
  g_test_add_func ("/money/for-quantity/refused", test_for_quantity_refused);
  g_test_add_func ("/money/limits", test_check_price);
  g_test_add_func ("/money/add", test_add);
  g_test_add_func ("/money/refund/edges", test_refund_edges);
  g_test_add_func ("/money/refund/identity", test_refund_identity);

  return g_test_run ();
}
