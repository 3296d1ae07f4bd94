/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayClientPool: the clients of the providers, made on first use. */
#include "config.h"

#include "relay-client-pool.h"
#include "relay-error.h"

#include <string.h>
#include <glib/gi18n-lib.h>

struct _RelayClientPool
{
  GObject        parent_instance;
  RelayStore    *store;
  RelayKeyStore *keys;
  SoupSession   *session;
  GHashTable    *clients;     /* gint64* provider id -> RelayProviderClient */
  GHashTable    *lookups;     /* gint64* provider id -> Lookup*: keys being read */
  GHashTable    *no_keys;     /* gint64* provider id -> why (char*): the last reading
                               * off this thread found no key */
  guint          timeout_ms;
  /* Writes (GTask*, data a PoolWrite) waiting for the one on a worker. */
  GQueue         waiting;
  gboolean       writing;
  guint          holds;       /* relay_client_pool_hold_writes() not let go */
};

G_DEFINE_FINAL_TYPE (RelayClientPool, relay_client_pool, G_TYPE_OBJECT)

/* Overwrites a key before it is freed. */
static void
key_free (char *key)
{
  if (key != NULL)
    explicit_bzero (key, strlen (key));
  g_free (key);
}

static void
relay_client_pool_dispose (GObject *object)
{
  RelayClientPool *self = RELAY_CLIENT_POOL (object);

  g_clear_pointer (&self->clients, g_hash_table_unref);
  g_clear_pointer (&self->no_keys, g_hash_table_unref);
  g_clear_object (&self->session);
  g_clear_object (&self->keys);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (relay_client_pool_parent_class)->dispose (object);
}

static void
relay_client_pool_finalize (GObject *object)
{
  RelayClientPool *self = RELAY_CLIENT_POOL (object);

  g_clear_pointer (&self->lookups, g_hash_table_unref);
  G_OBJECT_CLASS (relay_client_pool_parent_class)->finalize (object);
}

static void
relay_client_pool_class_init (RelayClientPoolClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = relay_client_pool_dispose;
  G_OBJECT_CLASS (klass)->finalize = relay_client_pool_finalize;
}

static void
relay_client_pool_init (RelayClientPool *self)
{
  self->clients = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  /* Each Lookup is its reading's own (it holds the pool until it ends). */
  self->lookups = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->no_keys = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_queue_init (&self->waiting);
}

RelayClientPool *
relay_client_pool_new (RelayStore    *store,
                       RelayKeyStore *keys,
                       SoupSession   *session,
                       guint          timeout_ms)
{
  RelayClientPool *self;

  g_return_val_if_fail (RELAY_IS_STORE (store), NULL);
  g_return_val_if_fail (RELAY_IS_KEY_STORE (keys), NULL);
  g_return_val_if_fail (SOUP_IS_SESSION (session), NULL);

  self = g_object_new (RELAY_TYPE_CLIENT_POOL, NULL);
  self->store = g_object_ref (store);
  self->keys = g_object_ref (keys);
  self->session = g_object_ref (session);
  self->timeout_ms = timeout_ms;
  return self;
}

RelayStore *
relay_client_pool_get_store (RelayClientPool *self)
{
  g_return_val_if_fail (RELAY_IS_CLIENT_POOL (self), NULL);
  return self->store;
}

/* The error of a provider whose key the store did not give: not the key
 * store's words, which could say where keys are kept. */
static void
set_key_error (const RelayProviderRow  *row,
               const GError            *key_error,
               GError                 **error)
{
  if (g_error_matches (key_error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
    g_set_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_CONFIG,
                 _("The system keyring is locked: unlock it to use the API key of provider %s"),
                 row->name);
  else
    g_set_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_CONFIG,
                 _("No API key for provider %s on this computer; set it again"), row->name);
}

/* The client of @row with @key, kept in the pool (borrowed), or NULL when
 * the URL is refused. */
static RelayProviderClient *
make_client (RelayClientPool         *self,
             const RelayProviderRow  *row,
             const char              *key,
             GError                 **error)
{
  RelayProviderClient *client = relay_provider_client_new (self->session, row->url, key, error);

  if (client == NULL)
    return NULL;
  relay_provider_client_set_timeout_ms (client, self->timeout_ms);
  relay_provider_client_set_max_concurrent (client, MAX (row->max_concurrent, 1));
  g_hash_table_insert (self->clients, g_memdup2 (&row->id, sizeof row->id), client);
  g_hash_table_remove (self->no_keys, &row->id);
  return client;
}

RelayProviderClient *
relay_client_pool_get (RelayClientPool  *self,
                       gint64            provider_id,
                       gboolean         *out_no_key,
                       GError          **error)
{
  RelayProviderClient *client;
  g_autoptr(RelayProviderRow) row = NULL;
  g_autoptr(GError) key_error = NULL;
  char *key = NULL;
  const char *no_key;

  g_return_val_if_fail (RELAY_IS_CLIENT_POOL (self), NULL);

  if (out_no_key != NULL)
    *out_no_key = FALSE;
  client = g_hash_table_lookup (self->clients, &provider_id);
  if (client != NULL)
    return client;

  row = relay_store_get_provider (self->store, provider_id, error);
  if (row == NULL)
    return NULL;
  /* A key file, or a key read before: no waiting.  Else what the last
   * lookup off this thread found missing; else (the CLI, no main loop to
   * keep alive) the key store is asked here. */
  if (row->key_ref == NULL)
    g_set_error_literal (&key_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no key ref");
  else if (relay_key_store_lookup_now (self->keys, row->key_ref, &key, &key_error))
    ;
  else if ((no_key = g_hash_table_lookup (self->no_keys, &provider_id)) != NULL)
    {
      if (out_no_key != NULL)
        *out_no_key = TRUE;
      g_set_error_literal (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_CONFIG, no_key);
      return NULL;
    }
  else
    key = relay_key_store_lookup (self->keys, row->key_ref, &key_error);
  if (key == NULL)
    {
      if (out_no_key != NULL)
        *out_no_key = TRUE;
      set_key_error (row, key_error, error);
      return NULL;
    }
  client = make_client (self, row, key, error);
  key_free (key);
  return client;
}

/* ---- the key read off the main thread ---- */

/* One provider's key being read: the requests for the provider wait for it. */
typedef struct
{
  RelayClientPool *self;     /* a reference */
  gint64           provider_id;
  GPtrArray       *waiters;  /* GTask*, each returns the client or the error */
} Lookup;

typedef struct
{
  gboolean no_key;
} Waiter;

static void lookup_start (RelayClientPool *self, gint64 provider_id, GPtrArray *waiters);

static void
lookup_free (Lookup *lookup)
{
  g_clear_pointer (&lookup->waiters, g_ptr_array_unref);
  g_clear_object (&lookup->self);
  g_free (lookup);
}

/* Ends every waiter of @waiters: with @client (a new reference each), or
 * with @error. */
static void
waiters_return (GPtrArray           *waiters,
                RelayProviderClient *client,
                gboolean             no_key,
                const GError        *error)
{
  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);
      Waiter *waiter = g_task_get_task_data (task);

      waiter->no_key = no_key;
      if (client != NULL)
        g_task_return_pointer (task, g_object_ref (client), g_object_unref);
      else
        g_task_return_error (task, g_error_copy (error));
    }
}

static void
lookup_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Lookup *lookup = user_data;
  RelayClientPool *self = lookup->self;
  g_autoptr(GError) key_error = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayProviderRow) row = NULL;
  RelayProviderClient *client = NULL;
  char *key;

  key = relay_key_store_lookup_finish (RELAY_KEY_STORE (source), result, &key_error);
  if (self->clients == NULL)
    {
      /* Disposed meanwhile. */
      g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "closed");
      waiters_return (lookup->waiters, NULL, FALSE, error);
      key_free (key);
      lookup_free (lookup);
      return;
    }
  if (g_hash_table_lookup (self->lookups, &lookup->provider_id) != lookup)
    {
      /* Dropped meanwhile (its URL or key changed): read it again. */
      key_free (key);
      lookup_start (self, lookup->provider_id, g_steal_pointer (&lookup->waiters));
      lookup_free (lookup);
      return;
    }
  g_hash_table_remove (self->lookups, &lookup->provider_id);

  client = g_hash_table_lookup (self->clients, &lookup->provider_id);
  if (client == NULL)
    row = relay_store_get_provider (self->store, lookup->provider_id, &error);
  if (client != NULL || row == NULL)
    waiters_return (lookup->waiters, client, FALSE, error);
  else if (key == NULL)
    {
      set_key_error (row, key_error, &error);
      g_hash_table_insert (self->no_keys, g_memdup2 (&row->id, sizeof row->id),
                           g_strdup (error->message));
      waiters_return (lookup->waiters, NULL, TRUE, error);
    }
  else
    {
      client = make_client (self, row, key, &error);
      waiters_return (lookup->waiters, client, FALSE, error);
    }
  key_free (key);
  lookup_free (lookup);
}

/* Reads the key of @provider_id for @waiters (taken), or adds them to the
 * reading already going on. */
static void
lookup_start (RelayClientPool *self, gint64 provider_id, GPtrArray *waiters)
{
  Lookup *lookup = g_hash_table_lookup (self->lookups, &provider_id);
  g_autoptr(RelayProviderRow) row = NULL;
  g_autoptr(GError) error = NULL;

  if (lookup != NULL)
    {
      g_ptr_array_extend_and_steal (lookup->waiters, waiters);
      return;
    }
  row = relay_store_get_provider (self->store, provider_id, &error);
  if (row == NULL || row->key_ref == NULL)
    {
      g_autoptr(GError) key_error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                                                         "no key ref");

      if (row != NULL)
        set_key_error (row, key_error, &error);
      waiters_return (waiters, NULL, row != NULL, error);
      g_ptr_array_unref (waiters);
      return;
    }
  lookup = g_new0 (Lookup, 1);
  lookup->self = g_object_ref (self);
  lookup->provider_id = provider_id;
  lookup->waiters = waiters;
  g_hash_table_insert (self->lookups, g_memdup2 (&provider_id, sizeof provider_id), lookup);
  relay_key_store_lookup_async (self->keys, row->key_ref, NULL, lookup_done, lookup);
}

void
relay_client_pool_get_async (RelayClientPool     *self,
                             gint64               provider_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RelayProviderClient *client;
  GPtrArray *waiters;

  g_return_if_fail (RELAY_IS_CLIENT_POOL (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_client_pool_get_async);
  g_task_set_task_data (task, g_new0 (Waiter, 1), g_free);
  client = g_hash_table_lookup (self->clients, &provider_id);
  if (client != NULL)
    {
      g_task_return_pointer (task, g_object_ref (client), g_object_unref);
      return;
    }
  waiters = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (waiters, g_steal_pointer (&task));
  lookup_start (self, provider_id, waiters);
}

RelayProviderClient *
relay_client_pool_get_finish (RelayClientPool  *self,
                              GAsyncResult     *result,
                              gboolean         *out_no_key,
                              GError          **error)
{
  Waiter *waiter;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  waiter = g_task_get_task_data (G_TASK (result));
  if (out_no_key != NULL)
    *out_no_key = waiter->no_key;
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
load_one_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  guint *pending = g_task_get_task_data (task);
  g_autoptr(RelayProviderClient) client = NULL;

  /* A key missing is told by those who need it (relay_client_pool_get()). */
  client = relay_client_pool_get_finish (RELAY_CLIENT_POOL (source), result, NULL, NULL);
  if (--(*pending) == 0)
    g_task_return_boolean (task, TRUE);
}

void
relay_client_pool_load_async (RelayClientPool     *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GPtrArray) providers = NULL;
  g_autoptr(GError) error = NULL;
  guint *pending = g_new0 (guint, 1);

  g_return_if_fail (RELAY_IS_CLIENT_POOL (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_client_pool_load_async);
  g_task_set_task_data (task, pending, g_free);
  g_task_set_check_cancellable (task, FALSE);
  providers = relay_store_list_providers (self->store, &error);
  if (providers == NULL)
    g_debug ("No provider keys read ahead: %s", error->message);
  /* One more than the lookups, dropped below. */
  *pending = 1;
  for (guint i = 0; providers != NULL && i < providers->len; i++)
    {
      RelayProviderRow *row = g_ptr_array_index (providers, i);

      if (g_hash_table_contains (self->clients, &row->id))
        continue;
      (*pending)++;
      relay_client_pool_get_async (self, row->id, cancellable, load_one_done,
                                   g_object_ref (task));
    }
  if (--(*pending) == 0)
    g_task_return_boolean (task, TRUE);
}

void
relay_client_pool_load_finish (RelayClientPool *self, GAsyncResult *result)
{
  g_return_if_fail (g_task_is_valid (result, self));
  g_task_propagate_boolean (G_TASK (result), NULL);
}

void
relay_client_pool_drop (RelayClientPool *self, gint64 provider_id)
{
  g_return_if_fail (RELAY_IS_CLIENT_POOL (self));
  g_hash_table_remove (self->clients, &provider_id);
  g_hash_table_remove (self->no_keys, &provider_id);
  /* A reading going on is done again when it ends (lookup_done()). */
  g_hash_table_remove (self->lookups, &provider_id);
}

void
relay_client_pool_set_timeout_ms (RelayClientPool *self, guint ms)
{
  GHashTableIter iter;
  gpointer client;

  g_return_if_fail (RELAY_IS_CLIENT_POOL (self));
  self->timeout_ms = ms;
  g_hash_table_iter_init (&iter, self->clients);
  while (g_hash_table_iter_next (&iter, NULL, &client))
    relay_provider_client_set_timeout_ms (client, ms);
}

/* ---- writes the main loop never waits for ---- */

typedef struct
{
  gint64                    provider_id;
  RelayClientPoolWriteFunc  write;
  gpointer                  data;
  GDestroyNotify            data_free;
  char                     *path;      /* for the worker's connection */
  gboolean                  written;
} PoolWrite;

static void
pool_write_free (PoolWrite *job)
{
  if (job->data_free != NULL)
    job->data_free (job->data);
  g_free (job->path);
  g_free (job);
}

/* Tries @task's write on the main connection without waiting for the book's
 * lock.  TRUE when done (@task returned; the store said ::catalog-changed),
 * FALSE when another connection holds the book (@task untouched). */
static gboolean
write_in_place (RelayClientPool *self, GTask *task)
{
  PoolWrite *job = g_task_get_task_data (task);
  gboolean shared = relay_store_is_shared (self->store);
  g_autoptr(GError) error = NULL;
  gboolean ok, busy = FALSE;

  if (shared)
    relay_store_set_wait_for_lock (self->store, FALSE);
  job->written = FALSE;
  ok = job->write (self->store, job->data, &job->written, &error);
  if (!ok && shared)
    busy = relay_store_was_busy (self->store);
  if (shared)
    relay_store_set_wait_for_lock (self->store, TRUE);
  if (busy)
    return FALSE;
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
  return TRUE;
}

static void
pool_write_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  PoolWrite *job = task_data;
  g_autoptr(RelayStore) store = NULL;
  g_autoptr(GError) error = NULL;

  store = relay_store_open (job->path, &error);
  job->written = FALSE;
  if (store == NULL || !job->write (store, job->data, &job->written, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void pool_write_done (GObject *source, GAsyncResult *result, gpointer user_data);

/* Runs the writes that wait, in turn: in place while the book is free, the
 * first that finds it held on a worker (the rest wait for it). */
static void
run_waiting_writes (RelayClientPool *self)
{
  GTask *task;

  while (!self->writing && (task = g_queue_pop_head (&self->waiting)) != NULL)
    {
      PoolWrite *job = g_task_get_task_data (task);
      GTask *inner;

      if (write_in_place (self, task))
        {
          g_object_unref (task);
          continue;
        }
      /* The worker's task holds @task until it is back on this thread. */
      self->writing = TRUE;
      g_free (job->path);
      job->path = g_strdup (relay_store_get_path (self->store));
      inner = g_task_new (self, NULL, pool_write_done, task);
      g_task_set_source_tag (inner, pool_write_thread);
      g_task_set_task_data (inner, job, NULL);
      g_task_run_in_thread (inner, pool_write_thread);
      g_object_unref (inner);
    }
}

/* Back on the caller's thread: the book's signal, the caller's result, then
 * the writes that waited. */
static void
pool_write_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  RelayClientPool *self = RELAY_CLIENT_POOL (source);
  g_autoptr(GTask) task = user_data;
  PoolWrite *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  self->writing = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    {
      if (job->written && self->store != NULL)
        relay_store_notify_catalog_changed (self->store, job->provider_id);
      g_task_return_boolean (task, TRUE);
    }
  if (self->store != NULL)
    run_waiting_writes (self);
}

void
relay_client_pool_write_async (RelayClientPool          *self,
                               gint64                    provider_id,
                               RelayClientPoolWriteFunc  write,
                               gpointer                  data,
                               GDestroyNotify            data_free,
                               GAsyncReadyCallback       callback,
                               gpointer                  user_data)
{
  GTask *task;
  PoolWrite *job;

  g_return_if_fail (RELAY_IS_CLIENT_POOL (self));
  g_return_if_fail (write != NULL);

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, relay_client_pool_write_async);
  job = g_new0 (PoolWrite, 1);
  job->provider_id = provider_id;
  job->write = write;
  job->data = data;
  job->data_free = data_free;
  g_task_set_task_data (task, job, (GDestroyNotify) pool_write_free);
  g_queue_push_tail (&self->waiting, task);
  run_waiting_writes (self);
}

gboolean
relay_client_pool_write_finish (RelayClientPool *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
relay_client_pool_is_writing (RelayClientPool *self)
{
  g_return_val_if_fail (RELAY_IS_CLIENT_POOL (self), FALSE);
  return self->writing || !g_queue_is_empty (&self->waiting) || self->holds > 0;
}

void
relay_client_pool_hold_writes (RelayClientPool *self)
{
  g_return_if_fail (RELAY_IS_CLIENT_POOL (self));
  self->holds++;
}

void
relay_client_pool_release_writes (RelayClientPool *self)
{
  g_return_if_fail (RELAY_IS_CLIENT_POOL (self));
  g_return_if_fail (self->holds > 0);
  self->holds--;
}

typedef struct
{
  gint64  provider_id;
  gint64  balance;
  char   *currency;
} BalanceWrite;

static void
balance_write_free (BalanceWrite *write)
{
  g_free (write->currency);
  g_free (write);
}

static gboolean
write_balance (RelayStore *store, gpointer data, gboolean *out_written, GError **error)
{
  BalanceWrite *write = data;

  if (!relay_store_set_provider_balance (store, write->provider_id, write->balance,
                                         write->currency, error))
    return FALSE;
  *out_written = TRUE;
  return TRUE;
}

void
relay_client_pool_record_balance_async (RelayClientPool     *self,
                                        gint64               provider_id,
                                        gint64               balance,
                                        const char          *currency,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  BalanceWrite *write = g_new0 (BalanceWrite, 1);

  write->provider_id = provider_id;
  write->balance = balance;
  write->currency = g_strdup (currency);
  relay_client_pool_write_async (self, provider_id, write_balance, write,
                                 (GDestroyNotify) balance_write_free, callback, user_data);
}

typedef struct
{
  gint64  provider_id;
  char   *message;
} NoteWrite;

static void
note_write_free (NoteWrite *note)
{
  g_free (note->message);
  g_free (note);
}

/* Whether @store has nothing to change: no such provider, or @message
 * (NULL: none) is its last error already. */
static gboolean
last_error_is (RelayStore *store, gint64 provider_id, const char *message)
{
  g_autoptr(RelayProviderRow) row = relay_store_get_provider (store, provider_id, NULL);

  return row == NULL || g_strcmp0 (row->last_error, message) == 0;
}

/* Writes last_error only when it changes (read on the connection that
 * writes, after the writes asked before). */
static gboolean
write_note (RelayStore *store, gpointer data, gboolean *out_written, GError **error)
{
  NoteWrite *note = data;

  if (last_error_is (store, note->provider_id, note->message))
    return TRUE;
  if (!relay_store_set_provider_error (store, note->provider_id, note->message, error))
    return FALSE;
  *out_written = TRUE;
  return TRUE;
}

void
relay_client_pool_note (RelayClientPool *self, gint64 provider_id, const GError *error)
{
  const char *message = error != NULL ? error->message : NULL;
  NoteWrite *note;

  g_return_if_fail (RELAY_IS_CLIENT_POOL (self));
  /* The usual case (nothing changes, no write waits) asks for no task: a
   * read does not wait for another writer. */
  if (!self->writing && g_queue_is_empty (&self->waiting) &&
      last_error_is (self->store, provider_id, message))
    return;
  note = g_new0 (NoteWrite, 1);
  note->provider_id = provider_id;
  note->message = g_strdup (message);
  relay_client_pool_write_async (self, provider_id, write_note, note,
                                 (GDestroyNotify) note_write_free, NULL, NULL);
}
