/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayClientPool: a provider's client on demand — made from the URL in the
 * order book and the key in the key store, over the one session — and a
 * record of how the last call to each provider went.  The core, the
 * dispatcher and the sync each hold a strong reference to it, so requests
 * that finish after the core is closed still find it (and the order book)
 * alive.  Main thread only. */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "relay-store.h"
#include "relay-key-store.h"
#include "relay-provider-client.h"

G_BEGIN_DECLS

#define RELAY_TYPE_CLIENT_POOL (relay_client_pool_get_type ())
G_DECLARE_FINAL_TYPE (RelayClientPool, relay_client_pool, RELAY, CLIENT_POOL, GObject)

/* Keeps a reference to each of @store, @keys and @session. */
RelayClientPool     *relay_client_pool_new            (RelayStore    *store,
                                                       RelayKeyStore *keys,
                                                       SoupSession   *session,
                                                       guint          timeout_ms);
RelayStore          *relay_client_pool_get_store      (RelayClientPool *self);
/* The client of @provider_id (borrowed; valid until the provider's URL or key
 * changes).  Fails with RELAY_PROVIDER_ERROR_CONFIG when the URL is refused
 * or this computer has no key for the provider; in the latter case only,
 * *@out_no_key (may be NULL) is set to TRUE.
 * Never waits for a key store that answers at once (a key file, a key read
 * before) nor for a provider whose last reading off the main thread found no
 * key; otherwise it asks the key store, which may block (the keyring): on a
 * main loop to keep alive, use relay_client_pool_get_async() or
 * relay_client_pool_load_async() first. */
RelayProviderClient *relay_client_pool_get            (RelayClientPool  *self,
                                                       gint64            provider_id,
                                                       gboolean         *out_no_key,
                                                       GError          **error);
/* The same without blocking: the key is read on a worker thread, and every
 * request for the provider meanwhile waits for that one reading.  The
 * callback runs in the caller's thread-default main context. */
void                 relay_client_pool_get_async      (RelayClientPool     *self,
                                                       gint64               provider_id,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
/* A new reference to the client, or NULL with the errors (and *@out_no_key)
 * of relay_client_pool_get(). */
RelayProviderClient *relay_client_pool_get_finish     (RelayClientPool  *self,
                                                       GAsyncResult     *result,
                                                       gboolean         *out_no_key,
                                                       GError          **error);
/* Reads, off the main thread, the key of every provider of the book that has
 * no client yet; then relay_client_pool_get() answers for each of them
 * without asking the key store.  Never fails (a missing key is told by
 * relay_client_pool_get()). */
void                 relay_client_pool_load_async     (RelayClientPool     *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
void                 relay_client_pool_load_finish    (RelayClientPool *self,
                                                       GAsyncResult    *result);
/* Forgets the client of @provider_id (its URL or key changed, or it was removed). */
void                 relay_client_pool_drop           (RelayClientPool *self, gint64 provider_id);
/* Total time for each request, for existing clients and new ones. */
void                 relay_client_pool_set_timeout_ms (RelayClientPool *self, guint ms);
/* ---- writes of a provider's row that the main loop never waits for ----
 *
 * Another process (the CLI, a cron sync) may hold the book's write lock for
 * seconds; a write on the main connection would wait for it in SQLite's busy
 * handler (up to 5 s) with the window frozen.  A write asked here runs at
 * once on the main connection when no earlier one waits and the book is free
 * (the store then says ::catalog-changed itself); otherwise it runs on a
 * worker thread with a connection of its own, after every write asked before
 * it (a later value is never overwritten by an earlier one), and
 * ::catalog-changed for the provider follows on the caller's thread once it
 * is in.  A private ":memory:" book is always written in place. */

/* Writes on @store; sets *@out_written when it changed the row (FALSE when
 * there was nothing to change: no ::catalog-changed then). */
typedef gboolean (*RelayClientPoolWriteFunc) (RelayStore *store, gpointer data,
                                              gboolean *out_written, GError **error);
/* Runs @write (@data, freed with @data_free) as said above; @callback may be
 * NULL.  Not cancellable: the write is always made. */
void                 relay_client_pool_write_async    (RelayClientPool          *self,
                                                       gint64                    provider_id,
                                                       RelayClientPoolWriteFunc  write,
                                                       gpointer                  data,
                                                       GDestroyNotify            data_free,
                                                       GAsyncReadyCallback       callback,
                                                       gpointer                  user_data);
gboolean             relay_client_pool_write_finish   (RelayClientPool  *self,
                                                       GAsyncResult     *result,
                                                       GError          **error);
/* Records @balance (and @currency, NULL = unchanged) as @provider_id's, now,
 * through relay_client_pool_write_async(). */
void                 relay_client_pool_record_balance_async (RelayClientPool     *self,
                                                             gint64               provider_id,
                                                             gint64               balance,
                                                             const char          *currency,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
/* Whether writes asked through relay_client_pool_write_async() are still
 * waiting for the book, or a hold below is taken (a test hook, and for a
 * caller that must know: relay_core_finish_writes()). */
gboolean             relay_client_pool_is_writing     (RelayClientPool *self);
/* A write of the book's user made elsewhere (the dispatcher's outcomes, on
 * its own writer) that a process about to end should wait for: each hold
 * makes relay_client_pool_is_writing() TRUE until it is let go.  The one
 * who takes it lets it go, on the pool's thread. */
void                 relay_client_pool_hold_writes    (RelayClientPool *self);
void                 relay_client_pool_release_writes (RelayClientPool *self);

/* Records the outcome of a call to @provider_id in its last_error, writing
 * only when it changes (through relay_client_pool_write_async(): the main
 * loop never waits for the book).  @error NULL = the call worked. */
void                 relay_client_pool_note           (RelayClientPool *self,
                                                       gint64           provider_id,
                                                       const GError    *error);

G_END_DECLS
