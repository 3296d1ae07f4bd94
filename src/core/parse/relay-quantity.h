/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Quantities as people type them: "1500", "1,500", "1 500", "1.500" (where
 * the locale groups digits with a dot).  Pure: no I/O, no widgets.  The order
 * form, the mass-order page and the CLI all read quantities here, so a typo is
 * refused with a sentence instead of becoming another number. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Reads @text as a whole number of units with the locale's decimal mark and
 * digit grouping (LC_NUMERIC).  See relay_quantity_parse_with_marks(). */
gboolean relay_quantity_parse            (const char  *text,
                                          gint64      *out_quantity,
                                          GError     **error);

/* Reads @text (surrounding blanks ignored) as a whole number >= 0 of at most
 * RELAY_ORDER_MAX_UNITS.  Digits may be grouped by threes with one kind of
 * separator: @group_mark, ",", "'", "’", a space, a no-break or thin space,
 * or "." — but never with @decimal_mark, so "1.500" is refused where "." is
 * the decimal mark (it could mean 1.5) and "1,500" where "," is.  Refuses
 * signs, letters ("2k", "abc"), decimals and badly grouped digits ("1,50")
 * with RELAY_INPUT_ERROR_INVALID, and numbers above the limit with
 * RELAY_INPUT_ERROR_RANGE.  @out_quantity is only written on success. */
gboolean relay_quantity_parse_with_marks (const char  *text,
                                          const char  *decimal_mark,
                                          const char  *group_mark,
                                          gint64      *out_quantity,
                                          GError     **error);

/* Checks @quantity against a service's limits (@max <= 0: no maximum of its
 * own), naming the service's real range: "30 is below this service’s minimum
 * of 50 (it takes 50 – 10,000)".  RELAY_INPUT_ERROR_RANGE. */
gboolean relay_quantity_check_limits     (gint64       quantity,
                                          gint64       min,
                                          gint64       max,
                                          GError     **error);

G_END_DECLS
