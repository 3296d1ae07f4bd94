/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayStore, the watch: notices what other processes (the CLI, a cron sync)
 * commit to the book and tells it with the store's usual signals.
 *
 * PRAGMA data_version on the store's connection changes when another
 * connection commits; reading it costs microseconds.  This process's own
 * workers (the sync's and the dispatcher's threads, the catalog job) commit
 * on connections of their own too, and announce what they wrote through this
 * store (relay_store_notify_changes() and the like): the data_version read at
 * each announcement marks what is accounted for.  A change seen while such
 * announcements keep coming (their next one is on its way) waits for them
 * for OWN_WAIT_US; one that outlives that is another process's.  An outside
 * commit that lands between two of this process's announcements counts as
 * announced with them: the views read the book again on those anyway. */
#include "config.h"

#include "relay-store-private.h"

/* How long a change seen while this process announces its workers' writes
 * is taken for one of theirs still to be announced. */
#define OWN_WAIT_US (3 * G_USEC_PER_SEC)

/* The newest row of the tables other processes add to: which signal a
 * change calls for.  Reading each is one step down a b-tree. */
typedef struct
{
  gint64 order;
  gint64 event;
  gint64 client;
  gint64 ledger;
} Marks;

struct _RelayStoreWatch
{
  GSource *source;
  gint64 seen_version;       /* data_version once everything before was told */
  gint64 announced_version;  /* data_version at the last announcement */
  gint64 announced_at;       /* monotonic µs of it, 0 = none */
  gint64 changed_since;      /* monotonic µs a change not accounted for was first seen */
  Marks  marks;              /* at seen_version */
};

static gint64
read_int (RelayStore *self, const char *sql)
{
  g_autoptr (RelayStmt) stmt = relay_store_prepare (self, sql, NULL);

  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return -1;
  return sqlite3_column_int64 (stmt, 0);
}

static gint64
data_version (RelayStore *self)
{
  return read_int (self, "PRAGMA data_version");
}

static void
read_marks (RelayStore *self, Marks *marks)
{
  marks->order = relay_store_get_max_order_id (self);
  marks->event = read_int (self, "SELECT max(id) FROM order_events");
  marks->client = read_int (self, "SELECT max(id) FROM clients");
  marks->ledger = read_int (self, "SELECT max(id) FROM ledger");
}

static void
settle (RelayStore *self, gint64 version)
{
  RelayStoreWatch *watch = self->watch;

  watch->seen_version = version;
  watch->changed_since = 0;
  read_marks (self, &watch->marks);
}

gboolean
relay_store_watch_check (RelayStore *self)
{
  RelayStoreWatch *watch;
  g_autoptr (GArray) none = NULL;
  Marks before, now;
  gint64 version, at;
  gboolean orders, clients;

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);

  watch = self->watch;
  if (watch == NULL)
    return FALSE;
  version = data_version (self);
  if (version == watch->seen_version || version < 0)
    {
      watch->changed_since = 0;
      return FALSE;
    }
  /* All that changed was announced already. */
  if (version == watch->announced_version)
    {
      settle (self, version);
      return FALSE;
    }
  at = g_get_monotonic_time ();
  if (watch->changed_since == 0)
    watch->changed_since = at;
  if (watch->announced_at != 0 && at - watch->announced_at < OWN_WAIT_US &&
      at - watch->changed_since < OWN_WAIT_US)
    return FALSE;

  before = watch->marks;
  settle (self, version);
  now = watch->marks;
  orders = now.order != before.order || now.event != before.event;
  clients = now.client != before.client || now.ledger != before.ledger;
  g_debug ("The order book changed in another process (orders %d, clients %d)", orders, clients);
  /* Rows added or changed (a status change is an event) whose ids are not
   * known: an empty array. */
  none = g_array_new (FALSE, FALSE, sizeof (gint64));
  if (orders || !clients)
    g_signal_emit_by_name (self, "orders-changed", none);
  if (clients || !orders)
    g_signal_emit_by_name (self, "clients-changed");
  /* Neither: a provider, the catalog, my services, a client's details. */
  if (!orders && !clients)
    g_signal_emit_by_name (self, "catalog-changed", (gint64) 0);
  return TRUE;
}

static gboolean
watch_cb (gpointer data)
{
  relay_store_watch_check (RELAY_STORE (data));
  return G_SOURCE_CONTINUE;
}

void
relay_store_watch (RelayStore *self, guint interval_ms)
{
  RelayStoreWatch *watch;
  GSource *source;

  g_return_if_fail (RELAY_IS_STORE (self));

  relay_store_watch_free (self);
  if (interval_ms == 0)
    return;
  watch = self->watch = g_new0 (RelayStoreWatch, 1);
  watch->announced_version = -1;
  settle (self, data_version (self));
  source = g_timeout_source_new (interval_ms);
  g_source_set_static_name (source, "[relay-store] watch");
  g_source_set_priority (source, G_PRIORITY_LOW);
  /* The store removes it before it goes (relay_store_watch_free()). */
  g_source_set_callback (source, watch_cb, self, NULL);
  g_source_attach (source, g_main_context_get_thread_default ());
  watch->source = source;
}

void
relay_store_watch_announced (RelayStore *self)
{
  if (self->watch == NULL)
    return;
  self->watch->announced_version = data_version (self);
  self->watch->announced_at = g_get_monotonic_time ();
}

void
relay_store_watch_free (RelayStore *self)
{
  RelayStoreWatch *watch = g_steal_pointer (&self->watch);

  if (watch == NULL)
    return;
  g_source_destroy (watch->source);
  g_source_unref (watch->source);
  g_free (watch);
}
