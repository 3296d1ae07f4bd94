/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the files of RelayStore share and its users may not: the instance
 * struct, the statement cache, transactions, signals and row readers. */
#pragma once

#include <inttypes.h>
#include <sqlite3.h>
#include <glib/gi18n-lib.h>

#include "relay-store.h"
#include "relay-error.h"
#include "relay-money.h"

G_BEGIN_DECLS

struct _RelayStore
{
  GObject     parent_instance;

  char       *path;
  sqlite3    *db;
  GHashTable *statements;   /* SQL text (owned) -> sqlite3_stmt* (finalized on removal) */
  GHashTable *queries;      /* the same for the built orders lists, a bounded set */
  int         schema_version;

  /* The sender lease (relay-store.c): taken before the first order is marked
   * sending, held until the store is finalized. */
  char       *sender_token;  /* random, never reused; NULL until taken */
  int         sender_fd;     /* flock (LOCK_EX) on <book>.senders/<token>; -1 */

  struct _RelayStoreWatch *watch;  /* relay-store-watch.c, or NULL */
};

typedef struct _RelayStoreWatch RelayStoreWatch;
/* relay-store-watch.c: a change is announced (the emitters below call it);
 * the watch ends (finalize). */
void relay_store_watch_announced (RelayStore *self);
void relay_store_watch_free      (RelayStore *self);

/* A statement borrowed from the cache.  g_autoptr (RelayStmt) resets it and
 * clears its bindings when it goes out of scope; the cache keeps it. */
typedef sqlite3_stmt RelayStmt;
void relay_stmt_release (RelayStmt *stmt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayStmt, relay_stmt_release)

/* The migrations, oldest first: step i takes the schema from version i to
 * i + 1 and sets user_version itself. */
extern const char * const relay_store_migrations[];
extern const guint relay_store_n_migrations;

/* The order columns every order reader selects (aliases o, s, c, p, k) and
 * the joins they need, for relay_store_order_from_stmt().  An order not yet
 * sent (scheduled, queued, canceled before sending) has no currency of its
 * own: its provider's is the one its price is in. */
#define RELAY_ORDER_COLUMNS \
  "o.id, o.service_id, s.name, o.client_id, c.name, o.provider_id, p.name, " \
  "o.catalog_id, o.provider_service_id, o.provider_order_id, o.link, o.quantity, " \
  "o.extra_json, o.runs, o.interval, o.status, o.provider_status, o.error, " \
  "o.review_reason, o.start_count, o.remains, o.charge, COALESCE (o.currency, p.currency), o.cost, " \
  "o.price, o.refunded, o.can_refill, o.can_cancel, o.attempts, o.scheduled_at, " \
  "o.next_attempt_at, o.created_at, o.sent_at, o.updated_at"
#define RELAY_ORDER_JOINS \
  " LEFT JOIN services s ON s.id = o.service_id" \
  " LEFT JOIN clients c ON c.id = o.client_id" \
  " LEFT JOIN providers p ON p.id = o.provider_id"

#define RELAY_CATALOG_COLUMNS \
  "k.id, k.provider_id, p.name, k.service_id, k.name, k.type, k.category, k.rate, " \
  "k.min, k.max, k.refill, k.cancel, k.dripfeed, k.removed, k.change, k.prev_rate, " \
  "k.synced_at"

/* What the state machine needs to know of one order. */
typedef struct
{
  gint64           id;
  RelayOrderStatus status;
  gint64           client_id;
  gint64           service_id;
  gint64           catalog_id;
  gint64           quantity;
  gint64           runs;
  gint64           unit_price;
  gint64           price;
  gint64           refunded;
  gint64           cost;
  gint64           scheduled_at;
  gboolean         has_start_count;
  gint64           start_count;
  gboolean         has_remains;
  gint64           remains;
  gboolean         has_charge;
  gint64           charge;
  char            *provider_status;
  char            *currency;
  char            *error;
  char            *review_reason;
} RelayOrderFacts;

void relay_order_facts_clear (RelayOrderFacts *facts);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RelayOrderFacts, relay_order_facts_clear)

/* relay-store.c */
gint64     relay_store_now            (void);
RelayStmt *relay_store_prepare        (RelayStore *self, const char *sql, GError **error);
/* Like relay_store_prepare() for SQL built from fixed fragments (the orders
 * list): kept in a cache of its own that is emptied when it grows too big, so
 * the caller must hold no other statement from it. */
RelayStmt *relay_store_prepare_query  (RelayStore *self, const char *sql, GError **error);
gboolean   relay_store_exec           (RelayStore *self, const char *sql, GError **error);
gboolean   relay_store_step_done      (RelayStore *self, RelayStmt *stmt, GError **error);
gboolean   relay_store_set_db_error   (RelayStore *self, GError **error);
gboolean   relay_store_begin          (RelayStore *self, GError **error);
gboolean   relay_store_commit         (RelayStore *self, GError **error);
void       relay_store_rollback       (RelayStore *self);
void       relay_store_emit_orders_changed  (RelayStore *self, GArray *ids);
void       relay_store_emit_order_changed   (RelayStore *self, gint64 id);
void       relay_store_emit_catalog_changed (RelayStore *self, gint64 provider_id);
void       relay_store_emit_clients_changed (RelayStore *self);

/* The sender lease: this store's token, recorded in orders.sender by
 * relay_store_mark_sending(); NULL with @error when it cannot be taken. */
const char *relay_store_take_sender_lease (RelayStore *self, GError **error);
/* Whether @token's owner (another store, in this process or another) is dead:
 * its lock could be taken, or its file is gone.  When TRUE, *@out_fd holds
 * the lock (-1 when the file is gone) for relay_store_forget_sender(). */
gboolean    relay_store_sender_is_dead    (RelayStore *self, const char *token, int *out_fd);
void        relay_store_forget_sender     (RelayStore *self, const char *token, int fd);
/* Adds to @tokens every sender that has orders in "sending" or a lease file. */
gboolean    relay_store_list_senders      (RelayStore *self, GPtrArray *tokens, GError **error);

/* Column helpers: NULL-safe text copies and nullable integers. */
char      *relay_stmt_dup_text        (RelayStmt *stmt, int column);
gboolean   relay_stmt_get_opt_int64   (RelayStmt *stmt, int column, gint64 *out);
void       relay_stmt_bind_text       (RelayStmt *stmt, int index, const char *text);
void       relay_stmt_bind_opt_int64  (RelayStmt *stmt, int index, gboolean has_value, gint64 value);
RelayOrderStatus relay_stmt_get_status (RelayStmt *stmt, int column);
/* "%text%" with %, _ and \ escaped, for LIKE … ESCAPE '\'. */
char      *relay_store_like_pattern   (const char *text);

/* relay-store-orders.c */
RelayOrderRow *relay_store_order_from_stmt (RelayStmt *stmt);
GPtrArray     *relay_store_collect_orders  (RelayStore *self, RelayStmt *stmt, GError **error);
gboolean       relay_store_load_facts      (RelayStore *self, gint64 order_id,
                                            RelayOrderFacts *facts, GError **error);
gint64         relay_store_add_event       (RelayStore *self, gint64 order_id, gboolean has_old_status,
                                            RelayOrderStatus old_status, RelayOrderStatus new_status,
                                            const char *source, const char *detail, gint64 now,
                                            GError **error);
gboolean       relay_store_settle          (RelayStore *self, const RelayOrderFacts *facts,
                                            RelayOrderStatus new_status, gint64 event_id,
                                            gint64 now, gboolean *out_ledger_changed, GError **error);
gboolean       relay_store_settle_correction (RelayStore *self, const RelayOrderFacts *facts,
                                              gint64 event_id, gint64 now,
                                              gboolean *out_ledger_changed, GError **error);
gint64         relay_store_units           (gint64 quantity, gint64 runs);

/* relay-store-dispatch.c: the steps shared by every status change of the
 * dispatch and review paths. */
#define RELAY_STATUS_BIT(status) (1u << (status))
/* Refuses with STATE unless the order's status is in @allowed; @refusal is
 * a translated format taking the order id and the status label. */
/* A provider's id names one order: when another order of the same provider
 * as @order_id already holds @provider_order_id, RELAY_STORE_ERROR_EXISTS
 * says which (its statuses would otherwise go to both). */
gboolean relay_store_check_id_unused (RelayStore *self, gint64 order_id,
                                      const char *provider_order_id, GError **error);
gboolean relay_store_check_status  (const RelayOrderFacts *facts, guint allowed,
                                    const char *refusal, GError **error);
/* Steps an UPDATE … WHERE status = … and insists it changed one row. */
gboolean relay_store_step_update   (RelayStore *self, RelayStmt *stmt, gint64 order_id,
                                    GError **error);
/* -> failed with @reason and the whole price back, inside a transaction. */
gboolean relay_store_fail_order    (RelayStore *self, RelayOrderFacts *facts, const char *reason,
                                    const char *source, const char *detail, gint64 now,
                                    gboolean *out_ledger_changed, GError **error);
/* Commits, then emits ::orders-changed for @order_id (and ::clients-changed). */
gboolean relay_store_finish_change (RelayStore *self, gint64 order_id, gboolean ledger_changed,
                                    GError **error);

/* relay-store-catalog.c */
RelayCatalogRow *relay_store_catalog_from_stmt (RelayStmt *stmt);
RelayCatalogRow *relay_store_get_catalog_row   (RelayStore *self, gint64 catalog_id, GError **error);

G_END_DECLS
