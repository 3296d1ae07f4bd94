/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Small text formatters for people (the window's pages, the CLI): counts,
 * quantity ranges, ages, times and money. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* 4820 -> "4,820", -12 -> "-12", grouped with the locale's separator
 * (LC_NUMERIC: "4 820" in ru_RU; "," where the locale has none).  For
 * people only: --json, --csv and exports print plain digits.  New string. */
char *relay_format_count (gint64 value);
/* @plain, an amount as relay_money_format() writes it for machines
 * ("-1234.50", "0.27819 USD", "more than 9223372036854.775807"), with its
 * numbers in the locale's form for people: "-1 234,50" in ru_RU; unchanged
 * where the locale has "." and no grouping (C).  For the CLI's text output;
 * --json and --csv keep @plain.  New string; NULL for NULL. */
char *relay_format_amount (const char *plain);
/* The same, freeing @plain: relay_format_amount_take (relay_money_format (x)). */
char *relay_format_amount_take (char *plain);

/* A service's quantity range: "50 – 10,000", or "from 50" when @max <= 0.  New string. */
char *relay_format_limits (gint64 min, gint64 max);
/* @text with its first letter in upper case, to show one of the core's
 * sentences on its own ("the link is missing" -> "The link is missing").
 * New string; NULL for NULL. */
char *relay_format_sentence (const char *text);
/* How long ago @then was, seen from @now (Unix seconds): "just now",
 * "12 s ago", "2 min ago", "3 h ago", "4 d ago"; "—" when @then is 0.  New string. */
char *relay_format_ago   (gint64 then, gint64 now);
/* A Unix time as local "2026-11-26 14:03:05", in the order the translation
 * gives ("26.11.2026 14:03:05" in Russian); "—" when 0.  New string. */
char *relay_format_time  (gint64 unix_time);

/* A local day for people, "2026-11-26" in English, in the order the
 * translation gives ("26.11.2026" in Russian); "—" for NULL.  New string. */
char *relay_format_day   (GDateTime *when);

/* A local day and time to the minute, "2026-12-04 14:00", or with the short
 * weekday "Fri 2026-12-04 14:00"; in the translation's order; "—" for NULL.
 * New string. */
char *relay_format_minute (GDateTime *when,
                           gboolean   with_weekday);

/* How an amount of money is shown. */
typedef enum
{
  /* Totals, balances, charges, refunds: the currency's usual decimals
   * (2 for USD, 0 for JPY, 3 for KWD), rounded half away from zero; an
   * amount that would round to zero shows the decimals it needs instead
   * ("0.0042 USD"), so a real charge never reads as zero. */
  RELAY_MONEY_STYLE_TOTAL,
  /* A price per unit or per 1,000: at least the currency's decimals, more
   * (up to the 6 of a micro-unit) only where the price needs them. */
  RELAY_MONEY_STYLE_UNIT_PRICE,
} RelayMoneyStyle;

/* The number of decimals @currency (ISO 4217 code, any case) is usually
 * written with: 0 for JPY, KRW, ...; 3 for KWD, BHD, ...; 2 otherwise. */
guint relay_format_currency_decimals (const char *currency);

/* THE money formatter of SMM Relay: @micro micro-units in @style, with the
 * locale's decimal mark and digit grouping, followed by a space and
 * @currency (when it is set; an unknown currency shows the bare number).
 *   938661719, "USD", TOTAL      -> "938.66 USD"
 *   -166160,   "USD", TOTAL      -> "-0.17 USD"
 *   67500,     "USD", UNIT_PRICE -> "0.0675 USD"
 *   1500000000,"JPY", TOTAL      -> "1,500 JPY"
 *   4200,      "USD", TOTAL      -> "0.0042 USD" (never "0.00")
 * New string. */
char *relay_format_money (gint64           micro,
                          const char      *currency,
                          RelayMoneyStyle  style);

G_END_DECLS
