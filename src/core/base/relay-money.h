/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Money as integer micro-units (1/1,000,000 of a currency unit): parsing,
 * formatting and the one rounding rule for per-quantity amounts. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RELAY_MICRO G_GINT64_CONSTANT (1000000)

/* Parses a non-negative decimal such as "0.27819", "12", " 3.5 " exactly into
 * micro-units.  Refuses signs, exponents ("1e3"), more than six significant
 * decimals, empty text and values above 9e12.  RELAY_INPUT_ERROR_INVALID. */
gboolean relay_money_parse   (const char  *text,
                              gint64      *out_micro,
                              GError     **error);

/* Reads an amount of money a person typed in @currency (ISO 4217 code or
 * NULL) with the locale's decimal mark and digit grouping (LC_NUMERIC), like
 * relay_quantity_parse(): "1,000.50", "1 000.50", "12".  Refuses, never
 * rounds: more decimals than the currency has (relay_format_currency_decimals():
 * "12.345" in USD, "1.5" in JPY; trailing zeros are fine), signs, letters,
 * badly grouped digits (RELAY_INPUT_ERROR_INVALID, naming the currency's
 * decimals) and more than 9e12 (RELAY_INPUT_ERROR_RANGE).  For amounts such as
 * payments; a price per 1,000 may have 6 decimals (relay_money_parse()).
 * @out_micro is only written on success. */
gboolean relay_money_parse_typed (const char  *text,
                                  const char  *currency,
                                  gint64      *out_micro,
                                  GError     **error);
/* relay_money_parse_typed() with explicit marks (@group_mark may be "" or
 * NULL: then ",", "'", "’" and blanks group; never @decimal_mark). */
gboolean relay_money_parse_typed_with_marks (const char  *text,
                                             const char  *currency,
                                             const char  *decimal_mark,
                                             const char  *group_mark,
                                             gint64      *out_micro,
                                             GError     **error);
/* Whether @amount is a whole number of @currency's smallest unit (a cent for
 * USD, a yen for JPY); otherwise RELAY_INPUT_ERROR_INVALID naming the
 * currency's decimals.  The rule relay_money_parse_typed() applies, for
 * amounts that arrive as micro-units (a payment in the store). */
gboolean relay_money_check_decimals (gint64       amount,
                                     const char  *currency,
                                     GError     **error);

/* Formats micro-units as a plain decimal with at least two decimals and no
 * trailing zeros beyond them: 278190 -> "0.27819", 12000000 -> "12.00",
 * -1500000 -> "-1.50".  Returns a new string. */
char    *relay_money_format  (gint64 micro);

/* The text of a sum that may lie beyond 64 bits (a client's balance, see
 * RelayClientRow.balance_beyond): relay_money_format (@micro) when @beyond
 * is 0, else "more than 9223372036854.775807" (@beyond > 0) or "less than
 * -9223372036854.775807" (@beyond < 0), translated.  Returns a new string. */
char    *relay_money_format_sum (gint64 micro, int beyond);

/* Like relay_money_format() followed by a space and @currency when it is set. */
char    *relay_money_format_with_currency (gint64 micro, const char *currency);

/* The limits that keep every amount inside 64 bits.
 *
 * RELAY_MONEY_MAX_PER_THOUSAND: the highest price (or provider rate) per
 * 1,000 units anything is computed with: 1,000,000.00 per 1,000, i.e. 1,000
 * currency units per unit.  RELAY_MONEY_MAX_UNITS: the most units one order
 * may have (the order rules refuse more).  So the largest amount
 * relay_money_for_quantity() can return is
 *   10^12 x 10^9 / 1000 = 10^18 micro-units (RELAY_MONEY_MAX_AMOUNT),
 * 9.2 times inside G_MAXINT64 (about 9.22 x 10^18): a charge, a cost, a
 * refund or a payment always fits, and so does the sum or difference of any
 * two of them.  Sums of many (ledgers, mass orders) use relay_money_add(). */
#define RELAY_MONEY_MAX_PER_THOUSAND G_GINT64_CONSTANT (1000000000000)
#define RELAY_MONEY_MAX_UNITS        G_GINT64_CONSTANT (1000000000)
#define RELAY_MONEY_MAX_AMOUNT       G_GINT64_CONSTANT (1000000000000000000)

/* Whether @per_thousand is a price per 1,000 SMM Relay computes with:
 * 0 <= per_thousand <= RELAY_MONEY_MAX_PER_THOUSAND.  Otherwise
 * RELAY_INPUT_ERROR_RANGE with a message that names the limit; the one place
 * that message is written. */
gboolean relay_money_check_price (gint64 per_thousand, GError **error);

/* Whether @amount is a single amount (a payment) SMM Relay records:
 * 0 <= amount <= RELAY_MONEY_MAX_AMOUNT.  Otherwise RELAY_INPUT_ERROR_RANGE
 * naming the limit. */
gboolean relay_money_check_amount (gint64 amount, GError **error);

/* The amount for @quantity units at @per_thousand micro-units per 1,000,
 * rounded half up to the micro-unit: (per_thousand * quantity + 500) / 1000.
 * Every charge, cost and refund in SMM Relay is derived from this function.
 * Refuses (RELAY_INPUT_ERROR_RANGE, @out_amount untouched) a price outside
 * relay_money_check_price() or a quantity outside 0..RELAY_MONEY_MAX_UNITS;
 * so the result is always within 0..RELAY_MONEY_MAX_AMOUNT. */
gboolean relay_money_for_quantity (gint64   per_thousand,
                                   gint64   quantity,
                                   gint64  *out_amount,
                                   GError **error);

/* The refund owed when @delivered of @quantity units were delivered:
 * for_quantity(quantity) - for_quantity(delivered), with delivered clamped to
 * [0, quantity] (a panel may report over-delivery).  So charge - refund
 * always equals the price of what was delivered, nothing is lost to
 * rounding, and 0 <= refund <= charge.  Refuses like
 * relay_money_for_quantity(). */
gboolean relay_money_refund (gint64   per_thousand,
                             gint64   quantity,
                             gint64   delivered,
                             gint64  *out_refund,
                             GError **error);

/* @a + @b, or RELAY_INPUT_ERROR_RANGE (@out_sum untouched) when the sum
 * leaves -G_MAXINT64..G_MAXINT64: the checked addition for totals. */
gboolean relay_money_add (gint64   a,
                          gint64   b,
                          gint64  *out_sum,
                          GError **error);

G_END_DECLS
