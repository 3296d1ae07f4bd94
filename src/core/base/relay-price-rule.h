/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Price rules: a service priced as the provider's rate plus a markup, rounded
 * up to a step.  Integer arithmetic only, every step checked. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A markup in parts per million of the rate: 35 % = 350000. */
#define RELAY_PRICE_MARKUP_PPM_PER_PERCENT G_GINT64_CONSTANT (10000)
/* The highest markup a rule may have: 1,000 %. */
#define RELAY_PRICE_MAX_MARKUP_PPM         G_GINT64_CONSTANT (10000000)

/* Reads a markup in percent as a person types it: "35", "35.5", "0.25",
 * optionally followed by "%", with "." or the locale's decimal mark.  Exact:
 * refuses (RELAY_INPUT_ERROR_INVALID, the message says which) a sign, letters,
 * empty text and more than 4 decimals; (RELAY_INPUT_ERROR_RANGE) a negative
 * markup and one above 1,000 %.  @out_ppm is only written on success. */
gboolean relay_price_parse_markup (const char  *text,
                                   gint64      *out_ppm,
                                   GError     **error);

/* @ppm as percent with no trailing zeros and "." as decimal mark:
 * 350000 -> "35", 355000 -> "35.5", 2500 -> "0.25".  New string. */
char    *relay_price_format_markup (gint64 ppm);

/* The price per 1,000 a rule gives: @rate × (1 + @markup_ppm / 10^6), rounded
 * UP to the micro-unit and then up to a multiple of @step (0 = no step), so it
 * is never below @rate.  Refuses (RELAY_INPUT_ERROR_RANGE, @out_price
 * untouched) a negative rate or step, a markup outside
 * 0..RELAY_PRICE_MAX_MARKUP_PPM, and a result above
 * RELAY_MONEY_MAX_PER_THOUSAND (the message names the limit); nothing wraps. */
gboolean relay_price_apply_rule (gint64   rate,
                                 gint64   markup_ppm,
                                 gint64   step,
                                 gint64  *out_price,
                                 GError **error);

G_END_DECLS
