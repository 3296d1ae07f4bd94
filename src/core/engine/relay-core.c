/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayCore: owns the order book, the keys, the session and the per-provider
 * clients; the entry point of the window and the CLI. */
#include "config.h"

#include "relay-core-private.h"
#include "relay-error.h"
#include "relay-file-key-store.h"
#include "relay-secret-key-store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>

#define DEFAULT_TIMEOUT_MS 30000

struct _RelayCore
{
  GObject          parent_instance;
  RelayStore      *store;
  RelayKeyStore   *keys;
  SoupSession     *session;
  RelayClientPool *clients;        /* shared with the dispatcher and the sync */
  RelayDispatcher *dispatcher;
  RelaySync       *sync;
  guint            n_recovered;
  guint            timeout_ms;
  int              lock_fd;        /* shared lock on <book>.lock while we live; -1 */
};

G_DEFINE_FINAL_TYPE (RelayCore, relay_core, G_TYPE_OBJECT)

GHashTable *
relay_int64_table_new (GDestroyNotify value_free)
{
  return g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, value_free);
}

void
relay_int64_table_insert (GHashTable *table, gint64 key, gpointer value)
{
  g_hash_table_insert (table, g_memdup2 (&key, sizeof key), value);
}

gpointer
relay_int64_table_lookup (GHashTable *table, gint64 key)
{
  return g_hash_table_lookup (table, &key);
}

static void
relay_core_dispose (GObject *object)
{
  RelayCore *self = RELAY_CORE (object);

  /* Closing the book: no new sends, the status requests stop.  Sends on the
   * wire are not cut: the dispatcher and the sync hold the order book and
   * the clients, so their answers are still recorded (never lost). */
  if (self->dispatcher != NULL)
    relay_dispatcher_stop (self->dispatcher);
  if (self->sync != NULL)
    relay_sync_stop (self->sync);
  g_clear_object (&self->dispatcher);
  g_clear_object (&self->sync);
  g_clear_object (&self->clients);
  g_clear_object (&self->session);
  g_clear_object (&self->keys);
  g_clear_object (&self->store);
  if (self->lock_fd >= 0)
    close (self->lock_fd);
  self->lock_fd = -1;
  G_OBJECT_CLASS (relay_core_parent_class)->dispose (object);
}

static void
relay_core_class_init (RelayCoreClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = relay_core_dispose;
  /* After a catalog sync recorded rate changes (relay-core-services.c). */
  g_signal_new ("prices-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                NULL, G_TYPE_NONE, 3, G_TYPE_INT64, G_TYPE_UINT, G_TYPE_UINT);
}

static void
relay_core_init (RelayCore *self)
{
  const char *timeout = g_getenv ("SMM_RELAY_TIMEOUT_MS");

  /* Scripts and tests may shorten (or lengthen) the time a request may take. */
  self->lock_fd = -1;
  self->timeout_ms = DEFAULT_TIMEOUT_MS;
  if (timeout != NULL && g_ascii_strtoull (timeout, NULL, 10) > 0)
    self->timeout_ms = (guint) MIN (g_ascii_strtoull (timeout, NULL, 10), 600000);
}

/* Every core holds a shared lock on "<book>.lock" while it lives.  Only a
 * core that could take it exclusively — no other process has the book open —
 * may turn orders left in "sending" into needs_review: with another process
 * alive, that order may be on the wire right now and that process will
 * record its answer.  Returns TRUE when we are alone. */
static gboolean
take_book_lock (RelayCore *self, const char *db_path)
{
  g_autofree char *lock_path = NULL;
  gboolean alone;

  if (g_strcmp0 (db_path, ":memory:") == 0)
    return TRUE;
  lock_path = g_strconcat (db_path, ".lock", NULL);
  self->lock_fd = open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (self->lock_fd < 0)
    return TRUE;   /* no lock file possible (read-only folder): behave as before */
  alone = flock (self->lock_fd, LOCK_EX | LOCK_NB) == 0;
  flock (self->lock_fd, LOCK_SH);
  return alone;
}

/* Moves the keys of this book's providers that are still in the key file into
 * the keyring; each leaves the file only once the keyring gave it back.  Keys
 * of other books stay in the file until their book is opened (the keyring
 * store still finds them there meanwhile). */
static void
move_keys_to_keyring (RelayStore *store, RelayKeyStore *file, RelayKeyStore *keyring)
{
  g_autoptr(GPtrArray) providers = relay_store_list_providers (store, NULL);

  for (guint i = 0; providers != NULL && i < providers->len; i++)
    {
      RelayProviderRow *p = g_ptr_array_index (providers, i);
      g_autoptr(GError) error = NULL;

      if (p->key_ref != NULL &&
          !relay_key_store_move (file, keyring, p->key_ref, p->name, NULL, &error))
        g_warning ("The API key of “%s” stays in the key file: %s", p->name, error->message);
    }
}

/* The key store of a core opened without one: the system keyring when the
 * session has one that needs no prompt, else the 0600 file, which then says
 * why.  $SMM_RELAY_KEYS names a file to use instead of either.  Asking the
 * keyring blocks for at most a few seconds, once. */
static RelayKeyStore *
pick_key_store (RelayStore *store)
{
  g_autoptr(RelayKeyStore) file = relay_file_key_store_new (NULL);
  g_autoptr(GError) error = NULL;
  RelayKeyStore *keyring;
  const char *forced = g_getenv ("SMM_RELAY_KEYS");

  if (forced != NULL && *forced != '\0')
    {
      relay_file_key_store_set_reason (RELAY_FILE_KEY_STORE (file), _("set by SMM_RELAY_KEYS"));
      return g_steal_pointer (&file);
    }
  keyring = relay_secret_key_store_new (file, &error);
  if (keyring == NULL)
    {
      g_debug ("API keys stay in the key file: %s", error->message);
      relay_file_key_store_set_reason (RELAY_FILE_KEY_STORE (file), error->message);
      relay_file_key_store_set_keyring_locked (RELAY_FILE_KEY_STORE (file),
                                               g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED));
      return g_steal_pointer (&file);
    }
  move_keys_to_keyring (store, file, keyring);
  return keyring;
}

RelayCore *
relay_core_new (const char *db_path, RelayKeyStore *keys, GError **error)
{
  g_autoptr(RelayCore) self = g_object_new (RELAY_TYPE_CORE, NULL);
  g_autofree char *default_path = NULL;
  GError *local_error = NULL;

  if (db_path == NULL)
    db_path = default_path = relay_store_default_path (FALSE);
  self->store = relay_store_open (db_path, error);
  if (self->store == NULL)
    return NULL;
  /* Alone with the book, every order left in "sending" was interrupted
   * (those of versions that recorded no sender too); with others alive,
   * those whose sender is dead (its lease is free) were. */
  if (take_book_lock (self, db_path))
    self->n_recovered = relay_store_recover_interrupted (self->store, &local_error);
  if (local_error == NULL)
    self->n_recovered += relay_store_reap_dead_senders (self->store, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  self->keys = keys != NULL ? g_object_ref (keys) : pick_key_store (self->store);
  self->session = soup_session_new_with_options ("user-agent", "SMM-Relay/" PACKAGE_VERSION " ",
                                                 "max-conns", 64,
                                                 "max-conns-per-host", 16,
                                                 NULL);
  self->clients = relay_client_pool_new (self->store, self->keys, self->session, self->timeout_ms);
  self->dispatcher = relay_dispatcher_new (self->clients);
  self->sync = relay_sync_new (self->clients);
  return g_steal_pointer (&self);
}

RelayStore *
relay_core_get_store (RelayCore *self)
{
  g_return_val_if_fail (RELAY_IS_CORE (self), NULL);
  return self->store;
}

RelayKeyStore *
relay_core_get_key_store (RelayCore *self)
{
  g_return_val_if_fail (RELAY_IS_CORE (self), NULL);
  return self->keys;
}

SoupSession *
relay_core_get_session (RelayCore *self)
{
  g_return_val_if_fail (RELAY_IS_CORE (self), NULL);
  return self->session;
}

RelayDispatcher *
relay_core_get_dispatcher (RelayCore *self)
{
  g_return_val_if_fail (RELAY_IS_CORE (self), NULL);
  return self->dispatcher;
}

RelaySync *
relay_core_get_sync (RelayCore *self)
{
  g_return_val_if_fail (RELAY_IS_CORE (self), NULL);
  return self->sync;
}

guint
relay_core_get_n_recovered (RelayCore *self)
{
  g_return_val_if_fail (RELAY_IS_CORE (self), 0);
  return self->n_recovered;
}

void
relay_core_set_timeout_ms (RelayCore *self, guint ms)
{
  g_return_if_fail (RELAY_IS_CORE (self));
  self->timeout_ms = ms;
  relay_client_pool_set_timeout_ms (self->clients, ms);
}

RelayProviderClient *
relay_core_get_client (RelayCore *self, gint64 provider_id, GError **error)
{
  g_return_val_if_fail (RELAY_IS_CORE (self), NULL);
  return relay_client_pool_get (self->clients, provider_id, NULL, error);
}

static void
client_ready (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  RelayProviderClient *client;

  client = relay_client_pool_get_finish (RELAY_CLIENT_POOL (source), result, NULL, &error);
  if (client == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, client, g_object_unref);
}

void
relay_core_get_client_async (RelayCore           *self,
                             gint64               provider_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (RELAY_IS_CORE (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_core_get_client_async);
  relay_client_pool_get_async (self->clients, provider_id, cancellable, client_ready, task);
}

RelayProviderClient *
relay_core_get_client_finish (RelayCore *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

RelayClientPool *
relay_core_get_clients (RelayCore *self)
{
  return self->clients;
}

/* Waits (running the default main context) until the writes the
 * core's client pool queued behind another writer's lock — a balance, a
 * provider's last error — are in the book, for at most @timeout_ms.  For a
 * process about to end (the CLI, the app's shutdown): a queued write would
 * otherwise be lost with it.  FALSE when some are still waiting. */
static gboolean
set_flag (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
relay_core_finish_writes (RelayCore *self,
                          guint      timeout_ms)
{
  gboolean expired = FALSE;
  guint timer;

  g_return_val_if_fail (RELAY_IS_CORE (self), FALSE);

  if (!relay_client_pool_is_writing (self->clients))
    return TRUE;
  /* Each write's end is a dispatch on this context: it wakes the wait, as
   * the deadline's timer does. */
  timer = g_timeout_add (timeout_ms, set_flag, &expired);
  while (relay_client_pool_is_writing (self->clients) && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (timer);
  return !relay_client_pool_is_writing (self->clients);
}

void
relay_core_drop_client (RelayCore *self, gint64 provider_id)
{
  relay_client_pool_drop (self->clients, provider_id);
}

void
relay_core_note_provider (RelayCore *self, gint64 provider_id, const GError *error)
{
  relay_client_pool_note (self->clients, provider_id, error);
}

typedef struct
{
  char              *path;
  RelayCoreReadFunc  read;
  gpointer           data;
  GDestroyNotify     data_free;
  GDestroyNotify     result_free;
} ReadJob;

static void
read_job_free (ReadJob *job)
{
  g_free (job->path);
  if (job->data_free != NULL)
    job->data_free (job->data);
  g_free (job);
}

static void
read_job_return (GTask *task, ReadJob *job, RelayStore *store)
{
  g_autoptr(GError) error = NULL;
  gpointer result = job->read (store, job->data, &error);

  if (result == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, result, job->result_free);
}

static void
read_job_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  ReadJob *job = task_data;
  g_autoptr(RelayStore) store = NULL;
  g_autoptr(GError) error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;
  store = relay_store_open (job->path, &error);
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  read_job_return (task, job, store);
}

void
relay_core_read_in_worker (RelayCore         *self,
                           GTask             *task,
                           RelayCoreReadFunc  read,
                           gpointer           data,
                           GDestroyNotify     data_free,
                           GDestroyNotify     result_free)
{
  ReadJob *job = g_new0 (ReadJob, 1);
  const char *path = relay_store_get_path (relay_core_get_store (self));

  job->read = read;
  job->data = data;
  job->data_free = data_free;
  job->result_free = result_free;
  g_task_set_task_data (task, job, (GDestroyNotify) read_job_free);
  if (!relay_store_is_shared (relay_core_get_store (self)))
    {
      read_job_return (task, job, relay_core_get_store (self));
      return;
    }
  job->path = g_strdup (path);
  g_task_run_in_thread (task, read_job_thread);
}
