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

/* Formats micro-units as a plain decimal with at least two decimals and no
 * trailing zeros beyond them: 278190 -> "0.27819", 12000000 -> "12.00",
 * -1500000 -> "-1.50".  Returns a new string. */
char    *relay_money_format  (gint64 micro);

/* Like relay_money_format() followed by a space and @currency when it is set. */
char    *relay_money_format_with_currency (gint64 micro, const char *currency);

/* The amount for @quantity units at @per_thousand micro-units per 1,000,
 * rounded half up to the micro-unit: (per_thousand * quantity + 500) / 1000.
 * Every charge, cost and refund in SMM Relay is derived from this function. */
gint64   relay_money_for_quantity (gint64 per_thousand, gint64 quantity);

/* The refund owed when @delivered of @quantity units were delivered:
 * for_quantity(quantity) - for_quantity(delivered), with delivered clamped to
 * [0, quantity].  So charge - refund always equals the price of what was
 * delivered, and nothing is lost to rounding. */
gint64   relay_money_refund (gint64 per_thousand, gint64 quantity, gint64 delivered);

G_END_DECLS
