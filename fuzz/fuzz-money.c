/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzzes money: byte 0 picks what.
 *   0: parse the rest as text; compare with an independent reference parser
 *      (accepts exactly what it accepts, to the same micro-unit) and check
 *      that formatting the amount and parsing it again gives it back.
 *   1: format 8 bytes as an amount; check its shape and that it parses back.
 *   2, 3: a per-thousand price, a quantity and a delivered count (8 bytes
 *      each; 3 folds them to near the limits): the charge and the refund must
 *      be the exact __int128 result rounded half up, or refused exactly when
 *      the inputs are outside RELAY_MONEY_MAX_*; relay_money_add() likewise
 *      exact or refused. */
#include "fuzz-common.h"
#include "relay-error.h"
#include "relay-money.h"

#include <string.h>

#define MAX_WHOLE G_GINT64_CONSTANT (9000000000000)

/* The rule of relay-money.h, written again without sharing code: optional
 * spaces (g_ascii_isspace(): space, tab, newline, form feed, carriage return;
 * not vertical tab), digits, an optional point and digits (at least one digit in
 * all), at most six significant decimals, at most 9e12 whole units. */
static gboolean
reference_parse (const char *text, gint64 *out)
{
  const char *p = text;
  const char *whole_start, *whole_end, *frac_start, *frac_end;
  __int128 whole = 0;
  __int128 frac = 0;

  while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f')
    p++;
  whole_start = p;
  while (*p >= '0' && *p <= '9')
    p++;
  whole_end = p;
  frac_start = frac_end = p;
  if (*p == '.')
    {
      frac_start = ++p;
      while (*p >= '0' && *p <= '9')
        p++;
      frac_end = p;
    }
  while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f')
    p++;
  if (*p != '\0' || (whole_end == whole_start && frac_end == frac_start))
    return FALSE;
  /* trailing zeros of the decimals are not significant */
  while (frac_end > frac_start && frac_end[-1] == '0')
    frac_end--;
  if (frac_end - frac_start > 6)
    return FALSE;
  for (const char *q = whole_start; q < whole_end; q++)
    {
      whole = whole * 10 + (*q - '0');
      if (whole > MAX_WHOLE)
        return FALSE;
    }
  for (int i = 0; i < 6; i++)
    frac = frac * 10 + (frac_start + i < frac_end ? frac_start[i] - '0' : 0);
  *out = (gint64) (whole * 1000000 + frac);
  return TRUE;
}

static void
check_format (gint64 micro)
{
  g_autofree char *text = relay_money_format (micro);
  g_autofree char *with_currency = relay_money_format_with_currency (micro, "USD");
  const char *p = text;
  const char *point;
  gint64 back = -1;

  FUZZ_CHECK (text != NULL);
  FUZZ_CHECK (g_str_has_prefix (with_currency, text));
  FUZZ_CHECK (strcmp (with_currency + strlen (text), " USD") == 0);
  if (micro < 0)
    {
      FUZZ_CHECK (*p == '-');
      p++;
    }
  point = strchr (p, '.');
  FUZZ_CHECK (point != NULL && point > p);
  for (const char *q = p; *q != '\0'; q++)
    FUZZ_CHECK (q == point || g_ascii_isdigit (*q));
  /* at least two decimals, at most six, no trailing zero beyond two */
  FUZZ_CHECK (strlen (point + 1) >= 2 && strlen (point + 1) <= 6);
  if (strlen (point + 1) > 2)
    FUZZ_CHECK (p[strlen (p) - 1] != '0');

  if (micro >= 0 && micro / RELAY_MICRO <= MAX_WHOLE)
    {
      FUZZ_CHECK (relay_money_parse (text, &back, NULL));
      FUZZ_CHECK (back == micro);
    }
}

static void
check_parse (const uint8_t *data, size_t size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(GError) error = NULL;
  gint64 micro = -1;
  gint64 expected = -1;
  gboolean ok, expected_ok;

  ok = relay_money_parse (text, &micro, &error);
  expected_ok = reference_parse (text, &expected);
  if (ok != expected_ok)
    FUZZ_FAIL ("relay_money_parse said %s, the reference %s, for “%s”",
               ok ? "yes" : "no", expected_ok ? "yes" : "no", text);
  if (!ok)
    {
      FUZZ_CHECK (error != NULL && error->domain == RELAY_INPUT_ERROR);
      return;
    }
  FUZZ_CHECK (error == NULL);
  FUZZ_CHECK (micro == expected);
  FUZZ_CHECK (micro >= 0);
  check_format (micro);
}

static gint64
read_int64 (const uint8_t *data)
{
  guint64 value = 0;

  for (int i = 0; i < 8; i++)
    value = (value << 8) | data[i];
  return (gint64) value;
}

/* (p * q + 500) / 1000 for p * q >= 0, and its mirror for p * q < 0. */
static __int128
exact_for_quantity (gint64 per_thousand, gint64 quantity)
{
  __int128 product = (__int128) per_thousand * quantity;

  if (product >= 0)
    return (product + 500) / 1000;
  return -((-product + 500) / 1000);
}

static void
check_refused (gboolean ok, GError *error, gint64 out)
{
  FUZZ_CHECK (!ok);
  FUZZ_CHECK (error != NULL);
  FUZZ_CHECK (error->domain == RELAY_INPUT_ERROR && error->code == RELAY_INPUT_ERROR_RANGE);
  FUZZ_CHECK (out == -42);   /* untouched */
}

/* Each result must be the exact one, or refused exactly when the inputs are
 * outside the documented limits. */
static void
check_arithmetic (gint64 per_thousand, gint64 quantity, gint64 delivered)
{
  gboolean in_range = per_thousand >= 0 && per_thousand <= RELAY_MONEY_MAX_PER_THOUSAND
                      && quantity >= 0 && quantity <= RELAY_MONEY_MAX_UNITS;
  gint64 charge = -42, refund = -42, sum = -42;
  g_autoptr(GError) charge_error = NULL;
  g_autoptr(GError) refund_error = NULL;
  g_autoptr(GError) sum_error = NULL;
  gboolean ok;
  __int128 exact_sum;

  FUZZ_CHECK (relay_money_check_price (per_thousand, NULL)
              == (per_thousand >= 0 && per_thousand <= RELAY_MONEY_MAX_PER_THOUSAND));
  FUZZ_CHECK (relay_money_check_amount (per_thousand, NULL)
              == (per_thousand >= 0 && per_thousand <= RELAY_MONEY_MAX_AMOUNT));

  ok = relay_money_for_quantity (per_thousand, quantity, &charge, &charge_error);
  if (in_range)
    {
      FUZZ_CHECK (ok && charge_error == NULL);
      FUZZ_CHECK ((__int128) charge == exact_for_quantity (per_thousand, quantity));
      FUZZ_CHECK (charge >= 0 && charge <= RELAY_MONEY_MAX_AMOUNT);
    }
  else
    check_refused (ok, charge_error, charge);

  ok = relay_money_refund (per_thousand, quantity, delivered, &refund, &refund_error);
  if (in_range)
    {
      gint64 clamped = CLAMP (delivered, 0, quantity);

      FUZZ_CHECK (ok && refund_error == NULL);
      FUZZ_CHECK ((__int128) refund == exact_for_quantity (per_thousand, quantity)
                                       - exact_for_quantity (per_thousand, clamped));
      FUZZ_CHECK (refund >= 0 && refund <= charge);
    }
  else
    check_refused (ok, refund_error, refund);

  exact_sum = (__int128) quantity + delivered;
  ok = relay_money_add (quantity, delivered, &sum, &sum_error);
  if (exact_sum >= -G_MAXINT64 && exact_sum <= G_MAXINT64)
    {
      FUZZ_CHECK (ok && sum_error == NULL);
      FUZZ_CHECK ((__int128) sum == exact_sum);
    }
  else
    check_refused (ok, sum_error, sum);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  fuzz_setup ();
  if (size < 1)
    return 0;
  switch (data[0] % 4)
    {
    case 0:
      check_parse (data + 1, size - 1);
      break;
    case 1:
      if (size >= 9)
        check_format (read_int64 (data + 1));
      break;
    case 2:
      /* any 64-bit values: mostly refusals */
      if (size >= 25)
        check_arithmetic (read_int64 (data + 1), read_int64 (data + 9), read_int64 (data + 17));
      break;
    default:
      /* values near and inside the limits, where the exact results are */
      if (size >= 25)
        {
          guint64 p = (guint64) read_int64 (data + 1);
          guint64 q = (guint64) read_int64 (data + 9);

          check_arithmetic ((gint64) (p % (RELAY_MONEY_MAX_PER_THOUSAND + 3)) - 1,
                            (gint64) (q % (RELAY_MONEY_MAX_UNITS + 3)) - 1,
                            read_int64 (data + 17) % (RELAY_MONEY_MAX_UNITS + 3));
        }
      break;
    }
  return 0;
}
