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
 * - a body above the action's size limit (see RelayReplyKind) -> UNKNOWN_OUTCOME
 *   "provider reply too large for balance (N bytes, limit M)"; an HTML page
 *   cut off by the limit is still told as an HTML page.
 * - nesting deeper than RELAY_REPLY_MAX_DEPTH -> UNKNOWN_OUTCOME "provider
 *   reply nested N levels deep (limit M)", found by a linear scan before the
 *   JSON parser (which recurses) sees the body; the same scan refuses more
 *   values than relay_reply_max_values().
 * - strings from the panel are capped (RELAY_REPLY_MAX_* characters); a capped
 *   string ends with "…".
 * Over-size and over-nested replies are UNKNOWN_OUTCOME for every action: the
 * request was sent, so an `add` may have been carried out.
 */
#pragma once

#include "relay-provider-types.h"

G_BEGIN_DECLS

/* The kinds of reply, one per request the client makes. */
typedef enum
{
  RELAY_REPLY_SERVICES,
  RELAY_REPLY_ADD,
  RELAY_REPLY_STATUS,            /* `status` with `order` */
  RELAY_REPLY_STATUSES,          /* `status` with `orders` */
  RELAY_REPLY_BALANCE,
  RELAY_REPLY_REFILL,            /* `refill` with `order` */
  RELAY_REPLY_REFILLS,           /* `refill` with `orders` */
  RELAY_REPLY_REFILL_STATUS,     /* `refill_status` with `refill` */
  RELAY_REPLY_REFILL_STATUSES,   /* `refill_status` with `refills` */
  RELAY_REPLY_CANCEL,
} RelayReplyKind;

/* Size limits of a reply body, in bytes.  A balance or a one-order answer is
 * under 1 kB; the limit leaves room for the HTML error page of a proxy (which
 * must still be recognised: 403/429 mean "not sent").  A many-order answer
 * covers RELAY_PROVIDER_MAX_IDS (100) entries each with a 300-character error
 * several times over.  The largest real catalogs are ~10 MB. */
#define RELAY_REPLY_LIMIT_BALANCE  ((gsize) 16 * 1024)
#define RELAY_REPLY_LIMIT_ONE      ((gsize) 64 * 1024)         /* add, status, refill, refill_status */
#define RELAY_REPLY_LIMIT_MANY     ((gsize) 1024 * 1024)       /* the same with up to 100 ids, cancel */
#define RELAY_REPLY_LIMIT_SERVICES ((gsize) 32 * 1024 * 1024)

/* No reply of API v2 nests deeper than 4 ({"1": {"error": {"message": …}}}). */
#define RELAY_REPLY_MAX_DEPTH 32

/* Caps on the strings kept from a panel, in characters (a capped one ends
 * with "…", which counts). */
#define RELAY_REPLY_MAX_WORDS      300   /* a refusal or error */
#define RELAY_REPLY_MAX_STATUS     64    /* a status word */
#define RELAY_REPLY_MAX_CURRENCY   16
#define RELAY_REPLY_MAX_NAME       300   /* a service's name */
#define RELAY_REPLY_MAX_CATEGORY   200
#define RELAY_REPLY_MAX_TYPE       64

/* The size limit of @kind, in bytes. */
gsize                 relay_reply_size_limit          (RelayReplyKind kind);
/* The `action` of @kind as sent ("balance", "refill_status"). */
const char           *relay_reply_action              (RelayReplyKind kind);

/* The depth of the deepest array or object of a JSON text, brackets inside
 * strings not counted; a linear scan that never recurses. */
guint                 relay_reply_json_depth          (const char *data, gsize len);
/* The same, and in *@n_values (may be NULL) about how many values the text
 * holds (commas and openings outside strings, plus one). */
guint                 relay_reply_json_scan           (const char *data, gsize len,
                                                       gsize *n_values);
/* The most values a reply of @kind may hold: its size limit / 16 (a catalog
 * entry of ~10 members takes ~200 bytes); more is refused before parsing
 * (json-glib spends ~80 bytes of memory on each). */
gsize                 relay_reply_max_values          (RelayReplyKind kind);

/* Sets the error for a reply of @kind that went over its size limit: @head
 * is what was read of it (at least the limit), @size its whole size or -1
 * when unknown (the reading was stopped). */
void                  relay_reply_set_too_large       (RelayReplyKind kind, guint http_status,
                                                       const char *head, gsize head_len,
                                                       gint64 size, GError **error);

/* Any reply: the result of the parser of @kind below (free it with
 * *free_func), or NULL with an error.  Every string of the result and the
 * error message are passed through relay_redact() with @secret (the API key;
 * may be NULL) before they are capped.  Pure: no I/O, no globals. */
gpointer              relay_reply_parse               (RelayReplyKind kind, guint http_status,
                                                       GBytes *body, const char *secret,
                                                       GDestroyNotify *free_func,
                                                       GError **error);

/* The parsers of each kind, without a key to redact. */

/* `services`: a GPtrArray of RelayProviderService (free func set).  Entries
 * without a usable id are skipped; entries with an id but no usable name or
 * rate are kept with ->refused set (the catalog keeps their previous row);
 * neither is fatal, and *n_skipped (may be NULL) counts both. */
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
