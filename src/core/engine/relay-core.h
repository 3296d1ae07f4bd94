/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayCore: the product without a face.  It owns the order book, the key
 * store, the one SoupSession, a client per provider, the dispatcher and the
 * sync, and offers every operation the window and the CLI have.  Both call
 * only this (and the read-only store API); a rule lives in exactly one place
 * below it.  Main thread only; async operations complete in the thread-default
 * main context of the caller. */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "relay-store.h"
#include "relay-key-store.h"
#include "relay-provider-client.h"
#include "relay-mass-parse.h"
#include "relay-csv.h"
#include "relay-order-rules.h"
#include "relay-dispatcher.h"
#include "relay-sync.h"
#include "relay-store-report.h"
#include "relay-store-statement.h"

G_BEGIN_DECLS

#define RELAY_TYPE_CORE (relay_core_get_type ())
G_DECLARE_FINAL_TYPE (RelayCore, relay_core, RELAY, CORE, GObject)

/* Opens the order book at @db_path (see relay_store_default_path()), turns
 * orders left in "sending" by a killed process into needs_review, and makes
 * the session.  @keys NULL = the file key store.
 * Dropping the last reference closes the book for this core: the dispatcher
 * starts no new send and the sync's status requests stop, while sends already
 * on the wire run to their end and are recorded (the dispatcher holds the
 * order book until then).  Async operations of the core itself hold a
 * reference to it until they complete. */
RelayCore       *relay_core_new            (const char *db_path, RelayKeyStore *keys, GError **error);
RelayStore      *relay_core_get_store      (RelayCore *self);
RelayKeyStore   *relay_core_get_key_store  (RelayCore *self);
SoupSession     *relay_core_get_session    (RelayCore *self);
RelayDispatcher *relay_core_get_dispatcher (RelayCore *self);
RelaySync       *relay_core_get_sync       (RelayCore *self);
/* How many orders relay_core_new() found interrupted mid-send. */
guint            relay_core_get_n_recovered (RelayCore *self);
gboolean         relay_core_finish_writes   (RelayCore *self,
                                             guint      timeout_ms);
/* How long a process about to end waits for them (a queued write itself
 * gives up after SQLite's 5 s busy wait). */
#define RELAY_CORE_FINISH_WRITES_MS 10000

/* Backs the order book up to @dest_path in a worker thread (see
 * relay_store_backup_file(): online, 0600, refuses an existing file unless
 * @overwrite).  Completes in the caller's thread-default main context. */
void             relay_core_backup_async   (RelayCore *self, const char *dest_path, gboolean overwrite,
                                            GCancellable *cancellable, GAsyncReadyCallback callback,
                                            gpointer user_data);
gboolean         relay_core_backup_finish  (RelayCore *self, GAsyncResult *result, GError **error);

/* Total time allowed for each provider request (default 30 s); applies to
 * clients made from now on and to existing ones. */
void             relay_core_set_timeout_ms (RelayCore *self, guint ms);
/* The client for @provider_id (borrowed; made on first use from the URL in
 * the store and the key in the key store). */
RelayProviderClient *relay_core_get_client (RelayCore *self, gint64 provider_id, GError **error);
/* The same without the main loop ever waiting for the key store (the key is
 * read on a worker: relay_client_pool_get_async()); _finish returns a new
 * reference. */
void                 relay_core_get_client_async  (RelayCore *self, gint64 provider_id,
                                                   GCancellable *cancellable,
                                                   GAsyncReadyCallback callback, gpointer user_data);
RelayProviderClient *relay_core_get_client_finish (RelayCore *self, GAsyncResult *result,
                                                   GError **error);

/* ---- providers (relay-core-providers.c) ---- */
/* Checks the URL (https unless loopback), keeps @key in the key store (never in
 * the order book) and adds the provider.  Returns its id, 0 on error. */
gint64   relay_core_add_provider      (RelayCore *self, const char *name, const char *url,
                                       const char *key, GError **error);
/* @url NULL keeps it; @key NULL keeps it. */
gboolean relay_core_update_provider   (RelayCore *self, gint64 provider_id, const char *name,
                                       const char *url, const char *key, GError **error);
/* Cancels the provider's requests, removes it and its key. */
gboolean relay_core_remove_provider   (RelayCore *self, gint64 provider_id, GError **error);
/* The same three for a window (relay-core-provider-edit.c): the key store is
 * written on a worker thread (a keyring may take seconds), the book on the
 * caller's.  What can be checked at once (name, URL, key) is, and fails the
 * task with the same errors as the plain calls.  Cancelling @cancellable
 * before the book is written gives the add or update up (G_IO_ERROR_CANCELLED):
 * the book is not written, and a key the key store keeps meanwhile is removed
 * again (add) or replaced by the one it had (update) once the store answers —
 * never a provider without its key, nor a key without its provider. */
void     relay_core_add_provider_async      (RelayCore *self, const char *name, const char *url,
                                             const char *key, GCancellable *cancellable,
                                             GAsyncReadyCallback callback, gpointer user_data);
gint64   relay_core_add_provider_finish     (RelayCore *self, GAsyncResult *result, GError **error);
void     relay_core_update_provider_async   (RelayCore *self, gint64 provider_id, const char *name,
                                             const char *url, const char *key,
                                             GCancellable *cancellable,
                                             GAsyncReadyCallback callback, gpointer user_data);
gboolean relay_core_update_provider_finish  (RelayCore *self, GAsyncResult *result, GError **error);
/* Removes the provider from the book at once; completes once its key is
 * removed (best effort, as relay_core_remove_provider()). */
void     relay_core_remove_provider_async   (RelayCore *self, gint64 provider_id,
                                             GCancellable *cancellable,
                                             GAsyncReadyCallback callback, gpointer user_data);
gboolean relay_core_remove_provider_finish  (RelayCore *self, GAsyncResult *result, GError **error);
/* Asks the provider for its balance and records it (and last_error). */
void     relay_core_refresh_balance_async  (RelayCore *self, gint64 provider_id, GCancellable *cancellable,
                                            GAsyncReadyCallback callback, gpointer user_data);
RelayProviderBalance *relay_core_refresh_balance_finish (RelayCore *self, GAsyncResult *result,
                                                         GError **error);
/* (relay_core_refresh_balance_async(): when the provider's orders wait for
 * funds and the new balance covers them or grew, it sends the due orders
 * (relay_dispatcher_run_async()) and completes after that run.) */

/* ---- funds (relay-core-providers.c; the gate itself is relay-funds.c) ---- */
/* Warn when provider @provider_id's balance is below @threshold micro-units;
 * -1 = no warning.  RELAY_INPUT_ERROR_RANGE beyond the money limits. */
gboolean relay_core_set_low_balance   (RelayCore *self, gint64 provider_id, gint64 threshold,
                                       GError **error);

/* What a provider's balance means for its orders, for banners and listings. */
typedef struct
{
  gint64    provider_id;
  char     *provider;      /* its name */
  char     *currency;      /* may be NULL */
  gboolean  has_balance;
  gint64    balance;
  gint64    balance_at;
  gint64    low_balance;   /* the warning threshold; -1 = none */
  gboolean  low;           /* the balance is known and below the threshold */
  gboolean  waiting;       /* orders wait for funds */
  gint64    needed;        /* what they need; -1 when not waiting */
  gint64    waiting_since; /* Unix seconds; 0 when not waiting */
  gint64    n_waiting;     /* its queued orders while it waits, else 0 */
  char     *low_text;      /* "Balance at P is low: 3.20 USD (warning below 10.00 USD)", or NULL */
  char     *waiting_text;  /* "3 orders wait for funds at P (needs 4.50 USD, has 1.20 USD)", or NULL */
} RelayFundsState;

void relay_funds_state_free (RelayFundsState *state);
/* @state's waiting line with @left, what is left after the orders just sent,
 * instead of the balance read before them ("3 orders wait for funds at P
 * (needs 4.50 USD, has 1.20 USD left after the orders just sent)"); the
 * window's banner and the notification both say it (for a waiting @state). */
char *relay_funds_state_dup_waiting_after_sends (const RelayFundsState *state,
                                                 gint64                 left);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayFundsState, relay_funds_state_free)

/* Provider @provider_id's funds as the book has them (no request; the texts
 * translated).  A bounded read on the caller's thread. */
RelayFundsState *relay_core_provider_funds_state (RelayCore *self, gint64 provider_id,
                                                  GError **error);
/* Fetches the catalog and replaces it in the store. -> GPtrArray of
 * RelayCatalogRow: what was added, changed or removed. */
void       relay_core_sync_services_async  (RelayCore *self, gint64 provider_id, GCancellable *cancellable,
                                            GAsyncReadyCallback callback, gpointer user_data);
GPtrArray *relay_core_sync_services_finish (RelayCore *self, GAsyncResult *result, GError **error);

/* ---- my services (relay-core-services.c) ---- */
/* Maps my service @id to the provider service @provider_service_id of
 * @provider_id at @price per 1,000; refuses a price below the provider's
 * rate (RELAY_INPUT_ERROR_BELOW_COST). @fallback_provider_id 0 = none. */
gboolean relay_core_map_service (RelayCore *self, gint64 id, const char *name, gint64 price,
                                 gint64 provider_id, const char *provider_service_id,
                                 gint64 fallback_provider_id, const char *fallback_service_id,
                                 gboolean manual, GError **error);
/* The same with a price rule: @markup_ppm >= 0 (350000 = 35 %, at most
 * RELAY_PRICE_MAX_MARKUP_PPM) prices the service at the provider's rate ×
 * (1 + markup), rounded up to @price_step (micro, 0 = none; see
 * relay_price_apply_rule()) and @price is ignored; the rule reprices it after
 * each catalog sync.  @markup_ppm -1 = a fixed @price (as above). */
gboolean relay_core_map_service_full (RelayCore *self, gint64 id, const char *name, gint64 price,
                                      gint64 markup_ppm, gint64 price_step,
                                      gint64 provider_id, const char *provider_service_id,
                                      gint64 fallback_provider_id, const char *fallback_service_id,
                                      gboolean manual, GError **error);
/* Gives my service @service_id a price rule (priced at once from the
 * provider's current rate), or with @markup_ppm -1 makes it fixed at the
 * price it has now.  RELAY_INPUT_ERROR_* for a rule that cannot price the
 * rate (a rate of 0, a price beyond the limit). */
gboolean relay_core_set_price_rule (RelayCore *self, gint64 service_id, gint64 markup_ppm,
                                    gint64 price_step, GError **error);
/* The rate changes catalog syncs recorded for my services (RelayPriceChange*),
 * newest first: id above @after_id (0 = any), at or after @since (Unix
 * seconds, 0 = any), of @provider_id (0 = all), at most @limit (<= 0 = all).
 * After a sync that recorded changes, RelayCore emits
 *   ::prices-changed (gint64 provider_id, guint n_changes, guint n_below_cost)
 * (n_below_cost: fixed-price services whose cost is now above their price;
 * they take no orders until their price is raised). */
GPtrArray *relay_core_list_price_changes (RelayCore *self, gint64 provider_id, gint64 after_id,
                                          gint64 since, gint limit, GError **error);
/* "Instagram Followers: cost 0.90 → 1.20 USD, your price 1.35 → 1.80 USD"
 * (or "…, above your price 1.10 USD; orders stopped"), translated.  New string. */
char      *relay_price_change_describe   (const RelayPriceChange *change);

/* ---- orders (relay-core-orders.c) ---- */
/* Validates each draft with relay_order_check() and records all of them in
 * one transaction (nothing is recorded if one is invalid: the error names it).
 * Returns the new ids.  The dispatcher sends them (call relay_dispatcher_run_async). */
GArray  *relay_core_place_orders (RelayCore *self, GPtrArray *drafts, const char *source, GError **error);

/* Approves an order of a manual service (needs_review, awaiting approval):
 * it becomes queued (or scheduled) and the dispatcher sends it.  Refuses
 * (RELAY_STORE_ERROR_STATE) any other order — above all one whose outcome is
 * unknown, which approving would send twice. */
gboolean relay_core_approve_order (RelayCore *self, gint64 order_id, GError **error);

typedef struct
{
  RelayMassLine   *line;        /* owned */
  RelayServiceRow *service;     /* borrowed from the plan, NULL when the service is unknown */
  gint64           client_id;   /* the line's own client (a CSV column), 0 = the batch's */
  gint64           price;       /* what the client will be charged */
  char            *error;       /* NULL when the line will go; else the reason */
} RelayMassItem;

typedef struct
{
  GPtrArray *items;             /* RelayMassItem*, in line order */
  guint      n_good;
  guint      n_bad;
  gint64     total;             /* price of the good lines */
  char      *currency;          /* of the first good line's provider, may be NULL */
  GHashTable *services;         /* private: the services the items point to */
} RelayMassPlan;

void relay_mass_plan_free (RelayMassPlan *plan);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayMassPlan, relay_mass_plan_free)

/* Parses and checks every line (service exists and is orderable, link,
 * quantity): a pure read of the store, safe to call on each keystroke for
 * small texts. */
RelayMassPlan *relay_core_plan_mass_order   (RelayCore *self, const char *text, GError **error);
/* The largest file of orders (CSV or pasted lines) the window's Import CSV…
 * and the CLI's mass-order take: a round 16 MB, ~300,000 typical lines. */
#define RELAY_MASS_ORDER_MAX_BYTES (16 * 1000 * 1000)
/* The one message for a file @name of @size bytes over that limit (new string). */
char          *relay_mass_order_describe_too_large (const char *name, guint64 size);
/* The same for a CSV file of orders (see relay_csv_parse_mass()): each line
 * may name its client, who must exist (an unknown name is an error on that
 * line, never a new client), and drip-feed runs and interval.  An error only
 * when the header is unusable or the book cannot be read. */
RelayMassPlan *relay_core_plan_mass_order_csv (RelayCore *self, const char *text, gssize len,
                                               GError **error);
/* The same as relay_core_plan_mass_order() (@csv FALSE) or
 * relay_core_plan_mass_order_csv() (@csv TRUE), on a worker thread with a
 * connection of its own, so the main loop never waits for 10,000 lines (a
 * ":memory:" book is planned in place); @text is copied.  The callback comes
 * on the calling thread. */
void           relay_core_plan_mass_order_async  (RelayCore *self, const char *text, gboolean csv,
                                                  GCancellable *cancellable,
                                                  GAsyncReadyCallback callback, gpointer user_data);
/* The plan (free with relay_mass_plan_free()), or NULL with the error of the
 * sync version, or G_IO_ERROR_CANCELLED. */
RelayMassPlan *relay_core_plan_mass_order_finish (RelayCore *self, GAsyncResult *result,
                                                  GError **error);
/* Records the good lines of @plan as queued orders for @client_id (0 = none;
 * a line's own client comes first)
 * in ONE transaction, before anything is sent.  Returns their ids. */
GArray        *relay_core_submit_mass_order (RelayCore *self, RelayMassPlan *plan, gint64 client_id,
                                             GError **error);
/* The same, written on a thread with a connection of its own, so that the
 * main loop never waits for the transaction (10,000 lines take a second or
 * more); ::orders-changed and ::clients-changed come on the calling thread
 * before @callback.  @plan may be freed once this returns.  The cancellable
 * only stops it before the transaction begins. */
void           relay_core_submit_mass_order_async  (RelayCore *self, RelayMassPlan *plan,
                                                    gint64 client_id, GCancellable *cancellable,
                                                    GAsyncReadyCallback callback, gpointer user_data);
/* The ids (GArray of gint64), or NULL with the error of the sync version. */
GArray        *relay_core_submit_mass_order_finish (RelayCore *self, GAsyncResult *result,
                                                    GError **error);

/* The outcome of a refill or cancel request for one order. */
typedef struct
{
  gint64   order_id;
  gboolean ok;
  char    *message;   /* the refill id, or the reason it was refused */
} RelayActionResult;

void relay_action_result_free (RelayActionResult *result);

/* Asks the providers (batched per provider, up to 100 ids a request) to refill
 * / cancel the given orders; records the request and outcome in each order's
 * history.  Orders whose service does not allow it are refused locally.
 * -> GPtrArray of RelayActionResult in the order of @order_ids. */
void       relay_core_refill_async  (RelayCore *self, const gint64 *order_ids, guint n_ids,
                                     GCancellable *cancellable, GAsyncReadyCallback callback,
                                     gpointer user_data);
GPtrArray *relay_core_refill_finish (RelayCore *self, GAsyncResult *result, GError **error);
void       relay_core_cancel_async  (RelayCore *self, const gint64 *order_ids, guint n_ids,
                                     GCancellable *cancellable, GAsyncReadyCallback callback,
                                     gpointer user_data);
GPtrArray *relay_core_cancel_finish (RelayCore *self, GAsyncResult *result, GError **error);

/* ---- reports (relay-core-report.c) ---- */
typedef enum
{
  RELAY_REPORT_PERIOD_TODAY,
  RELAY_REPORT_PERIOD_7_DAYS,     /* today and the 6 days before */
  RELAY_REPORT_PERIOD_30_DAYS,    /* today and the 29 days before */
  RELAY_REPORT_PERIOD_MONTH,      /* this calendar month up to today */
} RelayReportPeriod;

/* "today", "7d", "30d", "month" -> RelayReportPeriod. */
gboolean relay_report_period_from_string (const char *name, RelayReportPeriod *out);
/* The Unix seconds [@out_from, @out_to) of @period as of @now: whole local days. */
void     relay_report_period_range (RelayReportPeriod period, GDateTime *now,
                                    gint64 *out_from, gint64 *out_to);
/* "YYYY-MM-DD" to "YYYY-MM-DD", both days included, in local time.
 * RELAY_INPUT_ERROR_INVALID for a bad date or a period that ends before it starts. */
gboolean relay_report_parse_days (const char *from_day, const char *to_day,
                                  gint64 *out_from, gint64 *out_to, GError **error);
/* The report of the orders placed in [@from, @to) (see relay_store_report()),
 * read in a worker thread on a connection of its own: the main loop never
 * waits for it.  -> a RelayReport (free with relay_report_free()). */
void         relay_core_report_async  (RelayCore *self, gint64 from, gint64 to,
                                       RelayReportGroup group, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data);
RelayReport *relay_core_report_finish (RelayCore *self, GAsyncResult *result, GError **error);

/* ---- a client's statement (relay-core-statement.c) ---- */
typedef enum
{
  RELAY_STATEMENT_ORDER,
  RELAY_STATEMENT_PAYMENT,     /* a payment or an adjustment */
} RelayStatementLineKind;

typedef struct
{
  RelayStatementLineKind kind;
  gint64  at;          /* an order: when it was placed; a payment: when recorded */
  gint64  order_id;    /* 0 for a payment */
  char   *service;     /* an order's service (NULL once removed) */
  char   *link;
  gint64  quantity;    /* units: quantity × runs for a drip-feed order */
  char   *status;      /* the order's status now */
  char   *currency;    /* the order's currency (NULL for a payment) */
  gint64  charged;     /* charges of the order inside the period */
  gint64  refunded;    /* its refunds inside the period, as a positive amount */
  char   *payment_kind; /* "payment" or "adjustment" */
  gint64  paid;        /* what the payment took off the balance (an adjustment may be < 0) */
  char   *note;
  gint64  balance;     /* what the client owes after this line */
} RelayStatementLine;

typedef struct
{
  char      *client;
  gint64     from;      /* Unix seconds, [from, to); 0 = since the first entry */
  gint64     to;        /* G_MAXINT64 = up to now */
  char      *currency;  /* the one currency of the orders; NULL when none or several */
  gboolean   mixed_currencies;
  gint64     opening;   /* what the client owed at @from */
  gint64     charged;
  gint64     refunded;
  gint64     paid;
  gint64     closing;   /* opening + charged − refunded − paid, to the micro-unit */
  guint      n_orders;
  guint      n_payments;
  GPtrArray *lines;     /* RelayStatementLine*, in the order of their first ledger entry */
} RelayStatement;

void relay_statement_free (RelayStatement *statement);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayStatement, relay_statement_free)

/* Client @client_id's statement for [@from, @to): the orders charged or
 * refunded in it, the payments, and the balances around them, every sum
 * overflow-checked (RELAY_INPUT_ERROR_RANGE).  A bounded read of one client's
 * ledger on the caller's thread. */
RelayStatement *relay_core_client_statement (RelayCore *self, gint64 client_id, gint64 from,
                                             gint64 to, GError **error);
/* The same read on a worker thread with a connection of its own (in place for
 * a ":memory:" book), so the main loop never waits for a big client's ledger. */
void            relay_core_client_statement_async  (RelayCore *self, gint64 client_id, gint64 from,
                                                    gint64 to, GCancellable *cancellable,
                                                    GAsyncReadyCallback callback, gpointer user_data);
RelayStatement *relay_core_client_statement_finish (RelayCore *self, GAsyncResult *result,
                                                    GError **error);
/* @statement as CSV (RFC 4180, CRLF, a header line; dates in local time; money
 * as exact decimals; text from clients and panels guarded against formulas). */
char           *relay_statement_to_csv      (const RelayStatement *statement);

/* ---- the health check of a provider (relay-core-health.c) ---- */
typedef enum
{
  RELAY_HEALTH_PASS,
  RELAY_HEALTH_WARN,
  RELAY_HEALTH_FAIL,
} RelayHealthResult;

typedef struct
{
  char              *name;    /* "key", "services", "mapping", "margin", "limits", "balance",
                               * "status", "refill_cancel", "errors", "test_order" */
  RelayHealthResult  result;
  char              *detail;  /* why, for people (translated); never holds the API key */
} RelayHealthStep;

void        relay_health_step_free         (RelayHealthStep *step);
/* "pass", "warn", "fail". */
const char *relay_health_result_to_string  (RelayHealthResult result);
/* Whether no step of @steps (RelayHealthStep*) failed. */
gboolean    relay_health_steps_ok          (GPtrArray *steps);

/* Checks provider @provider_id step by step, in the order above: asks it for
 * the balance (the key), refreshes its catalog (services), compares my
 * services with it (mapping, margin, limits), the balance with the queued and
 * scheduled orders, asks the status of the last order it accepted, and reads
 * the book's record of its refills, cancels and failures.  With @test_service
 * (my service id, mapped to this provider) it also places a real order of
 * @test_quantity for @test_link, for no client, sends it and asks its first
 * status.  -> GPtrArray of RelayHealthStep; an error only when the provider
 * does not exist or the book cannot be read. */
void       relay_core_check_provider_async  (RelayCore *self, gint64 provider_id,
                                             const char *test_service, const char *test_link,
                                             gint64 test_quantity, GCancellable *cancellable,
                                             GAsyncReadyCallback callback, gpointer user_data);
GPtrArray *relay_core_check_provider_finish (RelayCore *self, GAsyncResult *result, GError **error);

G_END_DECLS
