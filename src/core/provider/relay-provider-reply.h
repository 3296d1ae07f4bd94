/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reply parsers of the provider API: pure functions from (HTTP status, body)
 * to a result or a GError in RELAY_PROVIDER_ERROR.  No I/O, no globals, safe
 * from any thread; made to be unit-tested and fuzzed.
 *
 * Common rules for every parser:
 * - {"error": "…"} (any HTTP status) -> REJECTED with the provider's words
 *   (trimmed, at most 300 characters, control characters removed).
 * - HTML body -> "provider returned an HTML page (HTTP 502)": UNKNOWN_OUTCOME,
 *   except 429 and 403 which are NOT_SENT (rate limit, bot protection refuse
 *   before the panel sees the request).
 * - empty body, truncated or non-JSON body, JSON of the wrong shape ->
 *   UNKNOWN_OUTCOME with a sentence saying what was wrong ("provider returned
 *   an empty reply (HTTP 200)", "provider returned unreadable JSON: …").
 * - numbers are accepted as JSON numbers or as strings, with surrounding
 *   spaces; "" and null mean "not known yet".
 * - unknown fields are ignored.
 */
#pragma once

#include "relay-provider-types.h"

G_BEGIN_DECLS

/* `services`: a GPtrArray of RelayProviderService (free func set).  Entries
 * without a usable id, name or rate are skipped, not fatal; *n_skipped (may be
 * NULL) counts them. */
GPtrArray            *relay_reply_parse_services      (guint http_status, GBytes *body,
                                                       guint *n_skipped, GError **error);
/* `add`: the new order's id as a new string ({"order": 23501} or "23501"). */
char                 *relay_reply_parse_add           (guint http_status, GBytes *body,
                                                       GError **error);
/* `status` with `order`. */
RelayProviderStatus  *relay_reply_parse_status        (guint http_status, GBytes *body,
                                                       GError **error);
/* `status` with `orders`: a GHashTable from the order id (string) to
 * RelayProviderStatus (value free func set); an entry that is {"error": …}
 * has ->error set; one bad entry never spoils the others. */
GHashTable           *relay_reply_parse_statuses      (guint http_status, GBytes *body,
                                                       GError **error);
RelayProviderBalance *relay_reply_parse_balance       (guint http_status, GBytes *body,
                                                       GError **error);
/* `refill` with `order`: the refill id as a new string. */
char                 *relay_reply_parse_refill        (guint http_status, GBytes *body,
                                                       GError **error);
/* `refill` with `orders` and `cancel`: GPtrArray of RelayProviderItemResult. */
GPtrArray            *relay_reply_parse_item_results  (guint http_status, GBytes *body,
                                                       const char *result_field,
                                                       GError **error);
/* `refill_status` with `refill`: a RelayProviderRefillStatus. */
RelayProviderRefillStatus *relay_reply_parse_refill_status (guint http_status, GBytes *body,
                                                            GError **error);
/* `refill_status` with `refills`: GPtrArray of RelayProviderRefillStatus. */
GPtrArray            *relay_reply_parse_refill_statuses (guint http_status, GBytes *body,
                                                         GError **error);

/* Parses a JSON-ish number (number node, or string with optional spaces) as an
 * integer; "" and null give FALSE without error.  Exposed for tests. */
gboolean              relay_reply_parse_count         (const char *text, gint64 *out);

G_END_DECLS
