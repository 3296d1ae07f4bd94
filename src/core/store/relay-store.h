/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The order book: one SQLite file (WAL, foreign keys, user_version migrations)
 * holding providers, their catalogs, my services, clients, orders, order events,
 * refills and the client ledger.  Every write that belongs together is one
 * transaction.  Methods are synchronous and must be called from the thread that
 * owns the store (the main thread in the app); each is a few indexed statements.
 * All lists are GPtrArray with the matching free func set.
 *
 * Signals (emitted after the transaction committed, in the calling thread):
 *   ::orders-changed (GArray *ids)  gint64 ids of orders that were added or changed;
 *                                   EMPTY when another process changed orders (ids
 *                                   unknown: relay_store_watch())
 *   ::catalog-changed (gint64 provider_id)  providers, catalogs or my services changed
 *                                   (0: any provider, from relay_store_watch())
 *   ::clients-changed ()            clients or the ledger changed
 */
#pragma once

#include <gio/gio.h>

#include "relay-store-types.h"

G_BEGIN_DECLS

#define RELAY_STORE_SCHEMA_VERSION 5

#define RELAY_TYPE_STORE (relay_store_get_type ())
G_DECLARE_FINAL_TYPE (RelayStore, relay_store, RELAY, STORE, GObject)

/* The default path: $SMM_RELAY_DB, else g_get_user_data_dir()/smm-relay/orders.db.
 * With @demo it is always g_get_user_data_dir()/smm-relay/demo.db: $SMM_RELAY_DB
 * names the real book and never applies to the demo.  New string. */
char       *relay_store_default_path (gboolean demo);

/* Follows what other processes (the CLI, cron) commit to the book: every
 * @interval_ms (0 = stop), in the thread-default main context, a look at
 * PRAGMA data_version; a change that this process's workers did not
 * announce through this store (relay_store_notify_changes() and the like)
 * is told with ::orders-changed (an empty array), ::clients-changed and/or
 * ::catalog-changed (0) after the look that finds it — one whose writer is
 * busy announcing its own changes is waited for up to 3 s.  Main thread. */
void        relay_store_watch        (RelayStore *self, guint interval_ms);
/* The watch's look, now; TRUE when it told a change. */
gboolean    relay_store_watch_check  (RelayStore *self);

/* Opens (creating folder and file when missing) and migrates to the current
 * schema in one transaction.  Refuses a file from a newer version
 * (RELAY_STORE_ERROR_VERSION).  ":memory:" works for tests. */
RelayStore *relay_store_open      (const char *path, GError **error);
const char *relay_store_get_path  (RelayStore *self);
/* Whether another connection opened on the path sees this same book (not
 * ":memory:"): what a worker thread with a connection of its own needs. */
gboolean    relay_store_is_shared (RelayStore *self);
/* Whether a write on this connection that finds another connection holding
 * the book's write lock waits for it (the busy timeout, 5 s: the default) or,
 * @wait FALSE, fails at once; relay_store_was_busy() then says so. */
void        relay_store_set_wait_for_lock (RelayStore *self, gboolean wait);
/* Whether the last call that failed on this connection failed because
 * another connection held the book (SQLITE_BUSY / SQLITE_LOCKED). */
gboolean    relay_store_was_busy  (RelayStore *self);
int         relay_store_get_schema_version (RelayStore *self);

/* ---- backups (relay-store-backup.c) ---- */
/* Copies the order book at @source_path to @dest_path with SQLite's online
 * backup API: safe while other connections (the app, the CLI) write to it, in
 * steps that never hold a writer up for long.  The copy is written to a 0600
 * temporary file beside @dest_path, checked (PRAGMA quick_check), then renamed;
 * it is a plain rollback-journal database.  Refuses (RELAY_STORE_ERROR_EXISTS)
 * an existing @dest_path unless @overwrite, and never replaces the source.
 * Opens its own connections: may be called from any thread. */
gboolean    relay_store_backup_file (const char *source_path, const char *dest_path,
                                     gboolean overwrite, GCancellable *cancellable,
                                     GError **error);
/* The same for the file of @self (refused for ":memory:"); any thread, as
 * it only reads the path. */
gboolean    relay_store_backup      (RelayStore *self, const char *dest_path, gboolean overwrite,
                                     GCancellable *cancellable, GError **error);

/* ---- providers ---- */
/* @key_ref: where the key is in the RelayKeyStore.  EXISTS when the name is taken. */
gint64            relay_store_add_provider      (RelayStore *self, const char *name, const char *url,
                                                 const char *key_ref, GError **error);
gboolean          relay_store_update_provider   (RelayStore *self, gint64 id, const char *name,
                                                 const char *url, GError **error);
/* Refuses (STATE) while the provider has orders that are not final, or while
 * one of my services is mapped to it as primary (fallbacks to it are dropped).
 * Its catalog goes with it; finished orders keep their history. */
gboolean          relay_store_remove_provider   (RelayStore *self, gint64 id, GError **error);
RelayProviderRow *relay_store_get_provider      (RelayStore *self, gint64 id, GError **error);
RelayProviderRow *relay_store_find_provider     (RelayStore *self, const char *name, GError **error);
GPtrArray        *relay_store_list_providers    (RelayStore *self, GError **error);
gboolean          relay_store_set_provider_balance (RelayStore *self, gint64 id, gint64 balance,
                                                    const char *currency, GError **error);
/* @message NULL clears the last error. */
gboolean          relay_store_set_provider_error   (RelayStore *self, gint64 id, const char *message,
                                                    GError **error);
/* Funds (schema 4).  @threshold: warn when the balance is below it; -1 = no
 * warning.  RELAY_INPUT_ERROR_RANGE beyond the money limits. */
gboolean          relay_store_set_low_balance      (RelayStore *self, gint64 id, gint64 threshold,
                                                    GError **error);
/* The provider's orders wait for funds and need @needed: a guarded UPDATE, so
 * that *@out_started is TRUE for exactly one caller, the one that found it not
 * waiting (it records since when); later calls only update @needed (with
 * @at_least, when @needed counts only some of them, only upwards). */
gboolean          relay_store_start_funds_wait     (RelayStore *self, gint64 id, gint64 needed,
                                                    gboolean at_least, gboolean *out_started,
                                                    GError **error);
/* Ends the wait; *@out_ended is TRUE for the one caller that found it waiting. */
gboolean          relay_store_end_funds_wait       (RelayStore *self, gint64 id, gboolean *out_ended,
                                                    GError **error);
/* When any queued order is due at @now: the providers my services send to
 * or fall back to, by id (GArray of gint64); else none.  Cheap with
 * thousands of orders queued. */
GArray           *relay_store_list_due_providers   (RelayStore *self, gint64 now, GError **error);
/* How many orders for provider @id are queued. */
gboolean          relay_store_count_queued_for_provider (RelayStore *self, gint64 id,
                                                         gint64 *out_count, GError **error);

/* ---- catalogs ---- */
/* Replaces provider @provider_id's catalog with @services (GPtrArray of
 * RelayProviderService) in one transaction, marking on each row what changed
 * (see RelayCatalogRow.change); services no longer offered are kept, marked
 * removed.  Fills @out_changes (may be NULL) with the RelayCatalogRow of every
 * added, changed or removed service. */
gboolean          relay_store_replace_catalog   (RelayStore *self, gint64 provider_id, GPtrArray *services,
                                                 GPtrArray **out_changes, GError **error);
/* The same, and in the same transaction reprices every service of mine with a
 * price rule whose provider rate changed, and records each rate change of a
 * mapped service (rule or fixed) in price_changes; fills @out_price_changes
 * (may be NULL) with those records (RelayPriceChange*). */
gboolean          relay_store_replace_catalog_full (RelayStore *self, gint64 provider_id,
                                                    GPtrArray *services, GPtrArray **out_changes,
                                                    GPtrArray **out_price_changes, GError **error);
/* Recorded rate changes (RelayPriceChange*), newest first: those with an id
 * above @after_id, at or after @since (Unix seconds), of @provider_id (0 =
 * all), at most @limit (<= 0 = all). */
GPtrArray        *relay_store_list_price_changes (RelayStore *self, gint64 provider_id, gint64 after_id,
                                                  gint64 since, gint limit, GError **error);
/* Emits ::catalog-changed (@provider_id) on @self: another connection (a
 * worker's) changed the catalog. */
void              relay_store_notify_catalog_changed (RelayStore *self, gint64 provider_id);
/* @provider_id 0 = all providers; @search matches name, category, type or id. */
GPtrArray        *relay_store_list_catalog      (RelayStore *self, gint64 provider_id, const char *search,
                                                 gboolean include_removed, GError **error);
RelayCatalogRow  *relay_store_find_catalog_service (RelayStore *self, gint64 provider_id,
                                                    const char *service_id, GError **error);

/* ---- my services ---- */
/* Creates or replaces my service @id.  @name NULL keeps the old name or uses
 * the provider service's.  @fallback_catalog_id 0 = none. */
gboolean          relay_store_map_service       (RelayStore *self, gint64 id, const char *name,
                                                 gint64 price, gint64 catalog_id,
                                                 gint64 fallback_catalog_id, gboolean manual,
                                                 GError **error);
/* relay_store_map_service() with a price rule: @markup_ppm >= 0 and
 * @price_step (micro, 0 = none) are kept with the service (@price is what the
 * rule gives now); @markup_ppm -1 = a fixed price (a rule is dropped). */
gboolean          relay_store_map_service_full  (RelayStore *self, gint64 id, const char *name,
                                                 gint64 price, gint64 markup_ppm, gint64 price_step,
                                                 gint64 catalog_id, gint64 fallback_catalog_id,
                                                 gboolean manual, GError **error);
/* Sets service @id's price rule (@markup_ppm -1 = fixed) and @price, in one
 * UPDATE guarded on the price being still @old_price (STATE otherwise). */
gboolean          relay_store_set_price_rule    (RelayStore *self, gint64 id, gint64 old_price,
                                                 gint64 price, gint64 markup_ppm, gint64 price_step,
                                                 GError **error);
gboolean          relay_store_remove_service    (RelayStore *self, gint64 id, GError **error);
RelayServiceRow  *relay_store_get_service       (RelayStore *self, gint64 id, GError **error);
GPtrArray        *relay_store_list_services     (RelayStore *self, GError **error);
/* The highest order id in the book (0 when it has none). */
gint64            relay_store_get_max_order_id  (RelayStore *self);

/* ---- clients and the ledger ---- */
gint64            relay_store_add_client        (RelayStore *self, const char *name, GError **error);
RelayClientRow   *relay_store_find_client       (RelayStore *self, const char *name, GError **error);
RelayClientRow   *relay_store_get_client        (RelayStore *self, gint64 id, GError **error);
GPtrArray        *relay_store_list_clients      (RelayStore *self, GError **error);
/* The clients' ids, names and created_at only (counts and balance 0), by
 * name: for pickers and filters, cheap however many orders a client has. */
GPtrArray        *relay_store_list_client_names (RelayStore *self, GError **error);
GPtrArray        *relay_store_list_ledger       (RelayStore *self, gint64 client_id, GError **error);
/* The newest @limit (> 0) entries of client @client_id's ledger, oldest first. */
GPtrArray        *relay_store_list_ledger_recent (RelayStore *self, gint64 client_id, guint limit,
                                                  GError **error);
/* A payment received (@amount > 0 lowers what the client owes), refused
 * with more decimals than the book's currency has (relay_money_check_decimals()). */
gboolean          relay_store_add_payment       (RelayStore *self, gint64 client_id, gint64 amount,
                                                 const char *note, GError **error);
/* The currency the clients' ledger is kept in: the one all providers that
 * have a currency share, or NULL (none, several, or an error).  New string. */
char             *relay_store_dup_book_currency (RelayStore *self);

/* ---- orders: creation and dispatch ---- */
/* Records @drafts (RelayOrderDraft*) in ONE transaction, each with its first
 * event and the client's charge (price = relay_money_for_quantity (my price,
 * quantity)).  The state is needs_review (reason "awaiting approval") for a
 * manual service, scheduled when scheduled_at is in the future, else queued.
 * Returns the new ids in order (GArray of gint64). */
GArray           *relay_store_insert_orders     (RelayStore *self, GPtrArray *drafts,
                                                 const char *source, GError **error);
/* The same without any signal, for a connection of its own on another
 * thread; *@out_ledger_changed (may be NULL) for relay_store_notify_changes(). */
GArray           *relay_store_insert_orders_quiet (RelayStore *self, GPtrArray *drafts,
                                                   const char *source, gboolean *out_ledger_changed,
                                                   GError **error);
/* Moves scheduled orders whose time has come to queued, then returns up to
 * @limit queued orders with next_attempt_at <= @now, oldest first. */
GPtrArray        *relay_store_list_due_orders   (RelayStore *self, gint64 now, guint limit,
                                                 GError **error);
/* The write-ahead step: queued -> sending for @catalog_id (the primary, or the
 * fallback on failover), recording the cost and this store's sender token
 * (its lease, taken on the first call; an error if it cannot be), committed
 * and synced before returning.
 * Returns FALSE with STATE if the order is no longer queued (someone else, such
 * as another process, took it): the caller must not send it. */
gboolean          relay_store_mark_sending      (RelayStore *self, gint64 order_id, gint64 catalog_id,
                                                 GError **error);
/* sending -> pending with the provider's order id (needs_review too: a late
 * answer settles an order another process took for interrupted). */
gboolean          relay_store_mark_sent         (RelayStore *self, gint64 order_id,
                                                 const char *provider_order_id, GError **error);
/* One order of relay_store_record_dispatch(). */
typedef struct
{
  gint64      order_id;
  gint64      catalog_id;          /* to mark sending: where it goes */
  const char *provider_order_id;   /* to mark sent: the provider's order id */
  GError     *error;               /* out: why this order was not written (owned by the
                                    * caller; must be NULL on the way in) */
} RelayDispatchMark;

/* relay_store_mark_sent() for each of @sent and relay_store_mark_sending()
 * for each of @sending, in ONE transaction, committed and synced before it
 * returns: an order that cannot be written (STATE: not in the state it must
 * be; EXISTS: its id is another order's; anything else) gets its error and
 * leaves no trace, the others are written.  FALSE with @error when the
 * transaction itself failed (nothing is written, no item error is set).
 * No ::orders-changed: the orders written are appended to @out_written
 * (gint64 ids), for relay_store_notify_changes() later (the dispatcher
 * announces its waves a few times a second, not each one). */
gboolean          relay_store_record_dispatch   (RelayStore *self, RelayDispatchMark *sent,
                                                 guint n_sent, RelayDispatchMark *sending,
                                                 guint n_sending, GArray *out_written,
                                                 GError **error);
/* sending|needs_review|queued|scheduled -> failed, with @reason (the provider's
 * words); refunds the whole price. */
gboolean          relay_store_mark_failed       (RelayStore *self, gint64 order_id, const char *reason,
                                                 const char *source, GError **error);
/* The dispatcher's two ways to fail an order, each one guarded UPDATE on the
 * state it read: fail_unsent is queued -> failed before any request (refuses
 * with STATE an order that is no longer queued: another process may be
 * sending it); mark_rejected is sending|needs_review -> failed when the
 * provider definitely refused it.  Both refund the whole price. */
gboolean          relay_store_fail_unsent       (RelayStore *self, gint64 order_id, const char *reason,
                                                 GError **error);
gboolean          relay_store_mark_rejected     (RelayStore *self, gint64 order_id, const char *reason,
                                                 GError **error);
/* Queued orders this process cannot send (no API key here): they stay queued
 * for a process that can, each with @reason as its error and, when that
 * changes, a note in its history — one transaction for all.  Orders no longer
 * queued are left alone; *@out_queued (may be NULL) gets the ids that were
 * still queued (GArray of gint64). */
gboolean          relay_store_note_unsent       (RelayStore *self, const gint64 *order_ids, guint n_ids,
                                                 const char *reason, GArray **out_queued,
                                                 GError **error);
/* relay_store_list_due_orders() without the ids in @skip (a set of gint64*,
 * may be NULL): orders this run already tried or cannot send. */
GPtrArray        *relay_store_list_due_orders_except (RelayStore *self, gint64 now, guint limit,
                                                      GHashTable *skip, GError **error);
/* A person cancels an order that was not sent yet: queued|scheduled -> canceled
 * with a full refund.  Refuses (STATE) an order being sent right now. */
gboolean          relay_store_cancel_unsent     (RelayStore *self, gint64 order_id, const char *reason,
                                                 GError **error);
/* sending -> needs_review with @reason. */
gboolean          relay_store_mark_needs_review (RelayStore *self, gint64 order_id, const char *reason,
                                                 GError **error);
/* sending -> queued again, to be retried at @next_attempt_at (the request
 * provably never left); @catalog_id != 0 switches it (failover), with @detail
 * in the event. */
gboolean          relay_store_requeue           (RelayStore *self, gint64 order_id, gint64 catalog_id,
                                                 gint64 next_attempt_at, const char *detail,
                                                 GError **error);
/* At start-up: every order left in "sending" (the process died mid-request)
 * becomes needs_review.  Returns how many. */
guint             relay_store_recover_interrupted (RelayStore *self, GError **error);
/* Any time, with other processes alive: every order left in "sending" by a
 * sender that is dead (its lease on <book>.senders/<token> is free) becomes
 * needs_review; a living sender's orders are never taken.  Returns how many. */
guint             relay_store_reap_dead_senders   (RelayStore *self, GError **error);

/* ---- the review queue ---- */
/* Orders in needs_review, oldest first. */
GPtrArray        *relay_store_list_review       (RelayStore *self, GError **error);
/* "It was placed": needs_review -> pending with the provider's id. */
gboolean          relay_store_review_placed     (RelayStore *self, gint64 order_id,
                                                 const char *provider_order_id, GError **error);
/* "It was not placed": needs_review -> queued when @resend (scheduled instead
 * when its scheduled_at is still ahead), else failed with a full refund. An
 * order awaiting approval is approved with @resend = TRUE. */
gboolean          relay_store_review_not_placed (RelayStore *self, gint64 order_id, gboolean resend,
                                                 GError **error);

/* ---- orders: sync ---- */
/* Sent orders that are not final (pending, processing, in_progress), grouped
 * by nothing: GPtrArray of RelayOrderRow, by provider then id. */
GPtrArray        *relay_store_list_active       (RelayStore *self, GError **error);
/* Applies a provider's statuses in ONE transaction: fields, an event per
 * status change, the provider's word kept as said (unknown words keep the
 * canonical status), and the ledger refund when an order ends partial,
 * canceled or failed.  @updates: RelayStatusUpdate*.  Fills @out_changed (may be
 * NULL) with the ids whose status changed.  Only sent orders that are not final
 * are moved; partial and canceled orders take new numbers but keep their status
 * (and their one refund); unknown ids are skipped.  ::orders-changed carries
 * every order whose status, numbers or error changed. */
gboolean          relay_store_apply_statuses    (RelayStore *self, GPtrArray *updates,
                                                 GArray **out_changed, GError **error);
/* The same, and fills @out_held (may be NULL) with the ids whose reply was
 * held (absurd numbers, another currency): not applied, its words the error. */
gboolean          relay_store_apply_statuses_full (RelayStore *self, GPtrArray *updates,
                                                   GArray **out_changed, GArray **out_held,
                                                   GError **error);
/* The orders of relay_store_list_active() a page at a time, by id: up to
 * @limit of them with an id above @after_id (0 for the first page). */
GPtrArray        *relay_store_list_active_page  (RelayStore *self, gint64 after_id, guint limit,
                                                 GError **error);
/* relay_store_apply_statuses_full() without any signal, for a connection of
 * its own on another thread: *@out_touched gets every order written and
 * *@out_ledger_changed whether a client's ledger moved, for
 * relay_store_notify_changes() on the store the signals' users follow. */
gboolean          relay_store_apply_statuses_quiet (RelayStore *self, GPtrArray *updates,
                                                    GArray **out_touched, GArray **out_changed,
                                                    GArray **out_held, gboolean *out_ledger_changed,
                                                    GError **error);
/* Emits ::orders-changed for @order_ids (and ::clients-changed) on @self:
 * changes another connection to the same book made. */
void              relay_store_notify_changes    (RelayStore *self, GArray *order_ids,
                                                 gboolean clients_changed);

/* ---- orders: reading ---- */
RelayOrderRow    *relay_store_get_order         (RelayStore *self, gint64 id, GError **error);
/* The number of orders @query shows.  It reads every matching order unless
 * relay_store_can_count_orders_at_once(): a view of a big book counts on a
 * connection of its own, off its main loop; relay_store_interrupt() stops
 * it (-1 and an error then). */
gint64            relay_store_count_orders      (RelayStore *self, const RelayOrderQuery *query,
                                                 GError **error);
/* Whether relay_store_count_orders() answers @query from counts kept by the
 * book (by status alone), without reading the orders. */
gboolean          relay_store_can_count_orders_at_once (const RelayOrderQuery *query);
/* Stops what @self's connection is reading, from any thread: the statement
 * fails (its call returns an error).  For a reader whose answer is no longer
 * wanted; nothing else may use @self concurrently but its own thread. */
void              relay_store_interrupt         (RelayStore *self);
/* A window of the list: SQL does the filtering, sorting, OFFSET and LIMIT. */
GPtrArray        *relay_store_list_orders       (RelayStore *self, const RelayOrderQuery *query,
                                                 gint64 offset, guint limit, GError **error);
/* A window of the list found from a known place instead of the top: with
 * @anchor_id 0, the @limit rows that end @offset rows before the bottom of the
 * list (@backward TRUE; FALSE is relay_store_list_orders()); else the @limit
 * rows that start @offset rows after the row @anchor_id (@backward FALSE), or
 * end @offset rows before it (TRUE).  Rows in the list's order; fewer (none)
 * when the anchor is gone.  An anchor needs relay_store_can_seek_orders(). */
GPtrArray        *relay_store_list_orders_near  (RelayStore *self, const RelayOrderQuery *query,
                                                 gint64 anchor_id, gboolean backward,
                                                 gint64 offset, guint limit, GError **error);
/* Whether @query's sort can start a window from a row (a seek in its index). */
gboolean          relay_store_can_seek_orders   (const RelayOrderQuery *query);
GPtrArray        *relay_store_list_order_events (RelayStore *self, gint64 order_id, GError **error);
/* Counts per status (index = RelayOrderStatus), for footers and reports. */
gboolean          relay_store_count_by_status   (RelayStore *self, gint64 counts[RELAY_ORDER_N_STATUSES],
                                                 GError **error);

/* ---- refills and cancels ---- */
gboolean          relay_store_add_refill        (RelayStore *self, gint64 order_id,
                                                 const char *provider_refill_id, GError **error);
GPtrArray        *relay_store_list_refills      (RelayStore *self, gint64 order_id, GError **error);
/* Refills whose status is not final (Completed, Rejected), for the sync. */
GPtrArray        *relay_store_list_active_refills (RelayStore *self, GError **error);
gboolean          relay_store_set_refill_status (RelayStore *self, gint64 refill_id, const char *status,
                                                 const char *error_text, GError **error);
/* relay_store_set_refill_status() guarded on what was read: only while the
 * refill still has @seen_status and @seen_error (a write that waited for
 * the book never overwrites a newer status another process recorded);
 * *@out_written says whether it did (FALSE, no error, when the refill
 * changed meanwhile or is gone). */
gboolean          relay_store_update_refill_status (RelayStore *self, gint64 refill_id,
                                                    const char *seen_status, const char *seen_error,
                                                    const char *status, const char *error_text,
                                                    gboolean *out_written, GError **error);
/* Records a user's request or an event that is not a status change (refill
 * asked, cancel asked, cancel refused …) in the order's history. */
gboolean          relay_store_add_order_note    (RelayStore *self, gint64 order_id, const char *source,
                                                 const char *detail, GError **error);

/* Test and bench hook: the connection.  Not for the app. */
gpointer          relay_store_get_db            (RelayStore *self);

G_END_DECLS
