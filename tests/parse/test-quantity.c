/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of quantity reading: every way people group digits is read as they
 * meant it or refused, never turned into another number. */
#include <locale.h>
#include <string.h>

#include "relay-error.h"
#include "relay-quantity.h"

typedef struct
{
  const char *text;
  const char *decimal_mark;
  const char *group_mark;
  gint64      quantity;   /* -1: refused */
} Case;

static void
test_parse_cases (void)
{
  static const Case cases[] = {
    /* English-style locale: "." is the decimal mark. */
    { "1500", ".", ",", 1500 },
    { "1,500", ".", ",", 1500 },
    { " 1 500 ", ".", ",", 1500 },
    { "1\u00a0500", ".", ",", 1500 },
    { "1\u202f500", ".", ",", 1500 },
    { "1'500", ".", ",", 1500 },
    { "12,345,678", ".", ",", 12345678 },
    { "1,000,000,000", ".", ",", 1000000000 },
    { "0", ".", ",", 0 },
    { "50", ".", ",", 50 },
    { "1.500", ".", ",", -1 },     /* could be 1.5: refused, not 1 or 1500 */
    { "1.5", ".", ",", -1 },
    { "1500.0", ".", ",", -1 },
    { "1,50", ".", ",", -1 },
    { "1,5000", ".", ",", -1 },
    { "15,00", ".", ",", -1 },
    { "1234,567", ".", ",", -1 },
    { ",500", ".", ",", -1 },
    { "1,500,", ".", ",", -1 },
    { "1,,500", ".", ",", -1 },
    { "1,500 000", ".", ",", -1 }, /* two kinds of separator */
    { "abc", ".", ",", -1 },
    { "2k", ".", ",", -1 },
    { "1e3", ".", ",", -1 },
    { "0x10", ".", ",", -1 },
    { "-5", ".", ",", -1 },
    { "+5", ".", ",", -1 },
    { "", ".", ",", -1 },
    { "   ", ".", ",", -1 },
    { "1000000001", ".", ",", -1 },
    { "99999999999999999999999", ".", ",", -1 },
    /* C locale: no group mark of its own. */
    { "1,500", ".", "", 1500 },
    { "1.500", ".", "", -1 },
    /* German-style locale: "," is the decimal mark, "." groups. */
    { "1.500", ",", ".", 1500 },
    { "1 500", ",", ".", 1500 },
    { "1,500", ",", ".", -1 },
    { "1,5", ",", ".", -1 },
    /* French-style: "," decimal, narrow no-break space groups. */
    { "1\u202f500", ",", "\u202f", 1500 },
    { "1.500", ",", "\u202f", 1500 },
    { "1,500", ",", "\u202f", -1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 quantity = -7;
      gboolean ok;

      ok = relay_quantity_parse_with_marks (cases[i].text, cases[i].decimal_mark,
                                            cases[i].group_mark, &quantity, &error);
      g_test_message ("“%s” (decimal “%s”, group “%s”) -> %s %" G_GINT64_FORMAT " %s",
                      cases[i].text, cases[i].decimal_mark, cases[i].group_mark,
                      ok ? "ok" : "refused", quantity, error ? error->message : "");
      if (cases[i].quantity >= 0)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpint (quantity, ==, cases[i].quantity);
        }
      else
        {
          g_assert_false (ok);
          g_assert_nonnull (error);
          g_assert_true (error->domain == RELAY_INPUT_ERROR);
          g_assert_cmpint (quantity, ==, -7);   /* untouched */
        }
    }
}

static void
test_parse_messages (void)
{
  g_autoptr(GError) error = NULL;
  gint64 quantity = 0;

  g_assert_false (relay_quantity_parse_with_marks ("2k", ".", ",", &quantity, &error));
  g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "“2k”"));
  g_assert_nonnull (strstr (error->message, "1,500"));
  g_clear_error (&error);

  g_assert_false (relay_quantity_parse_with_marks ("1.500", ".", ",", &quantity, &error));
  g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "whole"));
  g_clear_error (&error);

  g_assert_false (relay_quantity_parse_with_marks ("2000000000", ".", ",", &quantity, &error));
  g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE);
  g_assert_nonnull (strstr (error->message, "1,000,000,000"));
}

/* The C.UTF-8 locale of the tests: "." decimal, no group mark. */
static void
test_parse_locale (void)
{
  g_autoptr(GError) error = NULL;
  gint64 quantity = 0;

  g_assert_true (relay_quantity_parse ("1,500", &quantity, &error));
  g_assert_no_error (error);
  g_assert_cmpint (quantity, ==, 1500);
  g_assert_false (relay_quantity_parse ("1.500", &quantity, &error));
  g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID);
}

/* Errors name the service's real limits, also for 0 (not "at least 1"). */
static void
test_check_limits (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (relay_quantity_check_limits (50, 50, 10000, NULL));
  g_assert_true (relay_quantity_check_limits (10000, 50, 10000, NULL));
  g_assert_true (relay_quantity_check_limits (1, 0, 0, NULL));

  g_assert_false (relay_quantity_check_limits (30, 50, 10000, &error));
  g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE);
  g_assert_cmpstr (error->message, ==,
                   "30 is below this service’s minimum of 50 (it takes 50 – 10,000)");
  g_clear_error (&error);

  g_assert_false (relay_quantity_check_limits (0, 50, 10000, &error));
  g_assert_cmpstr (error->message, ==,
                   "0 is below this service’s minimum of 50 (it takes 50 – 10,000)");
  g_clear_error (&error);

  g_assert_false (relay_quantity_check_limits (20000, 50, 10000, &error));
  g_assert_cmpstr (error->message, ==,
                   "20,000 is above this service’s maximum of 10,000 (it takes 50 – 10,000)");
  g_clear_error (&error);

  g_assert_false (relay_quantity_check_limits (0, 0, 0, &error));
  g_assert_cmpstr (error->message, ==,
                   "0 is below this service’s minimum of 1 (it takes from 1)");
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/quantity/parse/cases", test_parse_cases);
  g_test_add_func ("/quantity/parse/messages", test_parse_messages);
  g_test_add_func ("/quantity/parse/locale", test_parse_locale);
  g_test_add_func ("/quantity/check-limits", test_check_limits);
  return g_test_run ();
}
