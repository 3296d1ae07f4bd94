/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the engine tests share: a private order book in a temp folder, cores
 * and simulators on 127.0.0.1, and bounded waits on the main context. */
#pragma once

#include <gio/gio.h>
#include <string.h>

#include "relay-core.h"
#include "relay-dispatcher.h"
#include "relay-sync.h"
#include "relay-demo.h"
#include "relay-error.h"
#include "relay-money.h"
#include "relay-sim.h"

G_BEGIN_DECLS

/* The longest any single wait may take before the test fails. */
#define ET_WAIT_MS 20000

/* A private folder for one test: the order book and the key file live there,
 * and SMM_RELAY_KEYS points at it.  Never the user's files. */
typedef struct
{
  char *dir;
  char *db_path;
  char *keys_path;
} EtBook;

/* g_test_init() plus SMM_RELAY_KEYS / SMM_RELAY_DB pointed away from the
 * user's files, before any thread starts. */
void       et_init              (int *argc, char ***argv);
EtBook    *et_book_new          (void);
void       et_book_free         (EtBook *book);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EtBook, et_book_free)

/* A core on @book's file with a 500 ms request timeout.  Fails the test on error. */
RelayCore *et_core_new          (EtBook *book);
/* A simulator listening on 127.0.0.1, any free port. */
RelaySim  *et_sim_new           (void);
/* "http://127.0.0.1:PORT/api/v2" where nothing listens (a port just closed). */
char      *et_closed_url        (void);

/* Iterates the thread-default main context until *@flag is TRUE; fails the
 * test after @timeout_ms (0 = ET_WAIT_MS). */
void       et_wait_flag         (gboolean *flag, guint timeout_ms);
/* Iterates until @cond returns TRUE; fails after @timeout_ms (0 = ET_WAIT_MS). */
void       et_wait_until        (gboolean (*cond) (gpointer), gpointer data, guint timeout_ms);
/* Like et_wait_until() but returns FALSE after @timeout_ms instead of failing. */
gboolean   et_try_wait_until    (gboolean (*cond) (gpointer), gpointer data, guint timeout_ms);
/* Iterates the main context for @ms (lets in-flight work progress). */
void       et_spin              (guint ms);

/* A GAsyncReadyCallback target: keeps the result and sets done. */
typedef struct
{
  gboolean      done;
  GAsyncResult *result;
} EtAsync;

void       et_async_ready       (GObject *source, GAsyncResult *result, gpointer user_data);
/* Waits for @async and returns its result (owned by @async until et_async_clear). */
GAsyncResult *et_async_wait     (EtAsync *async);
void       et_async_clear       (EtAsync *async);

/* Synchronous wrappers; each fails the test on error. */
RelayDispatchReport et_dispatch (RelayCore *core);
RelaySyncReport   *et_sync      (RelayCore *core);
/* Adds the provider @name at @url (key demo-key) and syncs its services. */
gint64     et_add_provider      (RelayCore *core, const char *name, const char *url);
void       et_sync_services     (RelayCore *core, gint64 provider_id);
/* Maps my service @id at the provider's rate × 2 (so it is never below cost). */
void       et_map               (RelayCore *core, gint64 id, gint64 provider_id, const char *psid,
                                 gint64 fallback_provider_id, const char *fallback_psid,
                                 gboolean manual);
gint64     et_add_client        (RelayCore *core, const char *name);
/* Places one order through relay_core_place_orders(); returns its id. */
gint64     et_place             (RelayCore *core, gint64 service_id, gint64 client_id,
                                 const char *link, gint64 quantity);
RelayOrderRow *et_order         (RelayCore *core, gint64 order_id);
RelayOrderRow *et_store_order   (RelayStore *store, gint64 order_id);
/* Sum of the client's ledger entries. */
gint64     et_ledger_sum        (RelayStore *store, gint64 client_id);
/* Whether any event of the order has @needle in its detail. */
gboolean   et_events_mention    (RelayStore *store, gint64 order_id, const char *needle);
/* The simulator's order with @link, or NULL (owned). */
RelaySimOrder *et_sim_find      (RelaySim *sim, const char *link);
/* The simulator's order with provider id @id, or NULL (owned). */
RelaySimOrder *et_sim_find_id   (RelaySim *sim, const char *id);

/* Runs one SQL statement on the store's connection (a test hook). */
void       et_sql               (RelayStore *store, const char *sql);

/* The longest time the main loop went without running a timer of
 * @interval_ms, from et_gap_start() to et_gap_stop() (which counts the time
 * since the last tick too and returns it, in µs). */
typedef struct
{
  guint  id;
  gint64 last;
  gint64 longest;
} EtGap;

void    et_gap_start (EtGap *gap, guint interval_ms);
gint64  et_gap_stop  (EtGap *gap);

G_END_DECLS
