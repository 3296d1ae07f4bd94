/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayCore: adding, changing and removing providers.  The API key lives in
 * the key store, never in the order book.  A keyring may take seconds (the
 * bus starts it, or it asks for a password): the _async calls keep or remove
 * the key on a worker thread and write the book back on the caller's thread,
 * so a window never waits for the keyring; the CLI uses the plain calls. */
#include "config.h"

#include "relay-core-private.h"
#include "relay-error.h"

#include <string.h>
#include <glib/gi18n-lib.h>

/* Key store writes, one at a time: a key file is read, changed and written
 * whole, and two saves at once must not lose one of them. */
static GMutex key_writes;

static gboolean
check_key (const char *key, GError **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (key ? key : ""));

  if (*trimmed == '\0')
    {
      g_set_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_CONFIG,
                   _("The API key is empty"));
      return FALSE;
    }
  return TRUE;
}

/* What can be checked before the key store is asked: the name (new and
 * free), the URL and the key. */
static gboolean
check_new_provider (RelayCore *self, const char *name, const char *url, const char *key,
                    GError **error)
{
  g_autoptr(RelayProviderRow) existing = NULL;

  if (name == NULL || *name == '\0')
    {
      g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID,
                   _("A provider needs a name"));
      return FALSE;
    }
  if (!relay_provider_url_check (url, error) || !check_key (key, error))
    return FALSE;
  existing = relay_store_find_provider (relay_core_get_store (self), name, NULL);
  if (existing != NULL)
    {
      g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_EXISTS,
                   _("A provider named “%s” already exists"), name);
      return FALSE;
    }
  return TRUE;
}

/* The provider @provider_id as the book has it, once @url and @key (each
 * NULL = unchanged) are checked. */
static RelayProviderRow *
check_update (RelayCore *self, gint64 provider_id, const char *url, const char *key,
              GError **error)
{
  g_autoptr(RelayProviderRow) row = relay_store_get_provider (relay_core_get_store (self),
                                                              provider_id, error);

  if (row == NULL)
    return NULL;
  if (url != NULL && !relay_provider_url_check (url, error))
    return NULL;
  if (key != NULL && !check_key (key, error))
    return NULL;
  return g_steal_pointer (&row);
}

static gboolean
store_key (RelayKeyStore *keys, const char *ref, const char *name, const char *key,
           GError **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&key_writes);

  return relay_key_store_store_named (keys, ref, name, key, error);
}

/* Removing is best effort: the book no longer points at the key, and an
 * unused entry left behind is not worth failing for. */
static void
remove_key (RelayKeyStore *keys, const char *ref)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&key_writes);

  relay_key_store_remove (keys, ref, NULL);
}

/* The keyring shows the provider's name in the key's label: a new name
 * relabels it (best effort: the key itself is unchanged either way). */
static void
relabel_key (RelayKeyStore *keys, const char *ref, const char *name)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&key_writes);
  g_autofree char *key = relay_key_store_lookup (keys, ref, NULL);
  g_autoptr(GError) error = NULL;

  if (key != NULL && !relay_key_store_store_named (keys, ref, name, key, &error))
    g_warning ("The API key of “%s” keeps its old label: %s", name, error->message);
  if (key != NULL)
    memset (key, 0, strlen (key));
}

/* ---- the plain calls ---- */

gint64
relay_core_add_provider (RelayCore   *self,
                         const char  *name,
                         const char  *url,
                         const char  *key,
                         GError     **error)
{
  RelayKeyStore *keys;
  g_autofree char *key_ref = NULL;
  gint64 id;

  g_return_val_if_fail (RELAY_IS_CORE (self), 0);

  if (!check_new_provider (self, name, url, key, error))
    return 0;
  keys = relay_core_get_key_store (self);
  key_ref = g_uuid_string_random ();
  if (!store_key (keys, key_ref, name, key, error))
    return 0;
  id = relay_store_add_provider (relay_core_get_store (self), name, url, key_ref, error);
  if (id == 0)
    remove_key (keys, key_ref);
  return id;
}

gboolean
relay_core_update_provider (RelayCore   *self,
                            gint64       provider_id,
                            const char  *name,
                            const char  *url,
                            const char  *key,
                            GError     **error)
{
  g_autoptr(RelayProviderRow) row = NULL;

  g_return_val_if_fail (RELAY_IS_CORE (self), FALSE);

  row = check_update (self, provider_id, url, key, error);
  if (row == NULL)
    return FALSE;
  if (key != NULL &&
      !store_key (relay_core_get_key_store (self), row->key_ref, name ? name : row->name,
                  key, error))
    return FALSE;
  if (!relay_store_update_provider (relay_core_get_store (self), provider_id,
                                    name ? name : row->name, url ? url : row->url, error))
    return FALSE;
  if (key == NULL && name != NULL && g_strcmp0 (name, row->name) != 0)
    relabel_key (relay_core_get_key_store (self), row->key_ref, name);
  relay_core_drop_client (self, provider_id);
  return TRUE;
}

gboolean
relay_core_remove_provider (RelayCore *self, gint64 provider_id, GError **error)
{
  RelayStore *store = relay_core_get_store (self);
  g_autoptr(RelayProviderRow) row = NULL;

  g_return_val_if_fail (RELAY_IS_CORE (self), FALSE);

  row = relay_store_get_provider (store, provider_id, error);
  if (row == NULL || !relay_store_remove_provider (store, provider_id, error))
    return FALSE;
  relay_core_drop_client (self, provider_id);
  remove_key (relay_core_get_key_store (self), row->key_ref);
  return TRUE;
}

/* ---- the same, the key store on a worker ---- */

typedef enum
{
  EDIT_ADD,
  EDIT_UPDATE,
  EDIT_REMOVE,
  EDIT_RESTORE,
} EditKind;

typedef struct
{
  EditKind       kind;
  RelayKeyStore *keys;
  gint64         provider_id;  /* EDIT_UPDATE, EDIT_REMOVE */
  char          *key_ref;
  char          *name;         /* the name to record (and label the key with) */
  char          *old_name;     /* EDIT_UPDATE: the name before */
  char          *url;          /* NULL = unchanged (EDIT_UPDATE) */
  char          *key;          /* NULL = unchanged (EDIT_UPDATE); wiped when freed */
  /* EDIT_UPDATE with a new key: the key and label it replaced, to put back
   * when the update is given up (cancelled) before the book is written;
   * restore_key NULL = there was none.  EDIT_RESTORE: what to put back. */
  char          *restore_key;  /* wiped when freed */
  char          *restore_name;
} Edit;

static void
edit_free (Edit *edit)
{
  g_clear_object (&edit->keys);
  g_free (edit->key_ref);
  g_free (edit->name);
  g_free (edit->old_name);
  g_free (edit->url);
  if (edit->key != NULL)
    memset (edit->key, 0, strlen (edit->key));
  g_free (edit->key);
  if (edit->restore_key != NULL)
    memset (edit->restore_key, 0, strlen (edit->restore_key));
  g_free (edit->restore_key);
  g_free (edit->restore_name);
  g_free (edit);
}

static Edit *
edit_new (RelayCore *self, EditKind kind)
{
  Edit *edit = g_new0 (Edit, 1);

  edit->kind = kind;
  edit->keys = g_object_ref (relay_core_get_key_store (self));
  return edit;
}

/* The key store's part, on a worker: keep the key before the book points at
 * it (add, a new key), relabel it after a rename, remove it after the book
 * forgot it.  Returns TRUE, or the key store's error. */
static void
edit_keys_in_thread (GTask        *task,
                     gpointer      source,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  Edit *edit = task_data;
  GError *error = NULL;

  switch (edit->kind)
    {
    case EDIT_ADD:
      if (!store_key (edit->keys, edit->key_ref, edit->name, edit->key, &error))
        {
          g_task_return_error (task, error);
          return;
        }
      break;
    case EDIT_UPDATE:
      if (edit->key != NULL)
        {
          /* What to put back should the update be given up meanwhile. */
          edit->restore_key = relay_key_store_lookup (edit->keys, edit->key_ref, NULL);
          if (!store_key (edit->keys, edit->key_ref, edit->name, edit->key, &error))
            {
              g_task_return_error (task, error);
              return;
            }
        }
      else if (g_strcmp0 (edit->name, edit->old_name) != 0)
        relabel_key (edit->keys, edit->key_ref, edit->name);
      break;
    case EDIT_REMOVE:
      remove_key (edit->keys, edit->key_ref);
      break;
    case EDIT_RESTORE:
      if (edit->restore_key == NULL)
        remove_key (edit->keys, edit->key_ref);
      else if (!store_key (edit->keys, edit->key_ref, edit->restore_name, edit->restore_key,
                           &error))
        {
          g_warning ("The API key of “%s” could not be put back: %s", edit->restore_name,
                     error->message);
          g_clear_error (&error);
        }
      break;
    default:
      g_assert_not_reached ();
    }
  g_task_return_boolean (task, TRUE);
}

static void
run_key_edit (RelayCore *self, Edit *edit, GAsyncReadyCallback done, GTask *outer)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, done, outer);

  g_task_set_source_tag (task, run_key_edit);
  g_task_set_task_data (task, edit, (GDestroyNotify) edit_free);
  g_task_run_in_thread (task, edit_keys_in_thread);
}

/* A copy of @edit's key-store part, for a second trip to the worker (a
 * rename's relabel after the book took the new name; a failed add's key). */
static Edit *
edit_copy_for (RelayCore *self, const Edit *edit, EditKind kind)
{
  Edit *copy = edit_new (self, kind);

  copy->provider_id = edit->provider_id;
  copy->key_ref = g_strdup (edit->key_ref);
  copy->name = g_strdup (edit->name);
  copy->old_name = g_strdup (edit->old_name);
  return copy;
}

static void
forget_result (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_task_propagate_boolean (G_TASK (result), NULL);
}

/* Whether the caller gave the edit up before the book was written: then
 * nothing is written, and the key store is put back as it was. */
static gboolean
given_up (GTask *outer)
{
  return g_cancellable_is_cancelled (g_task_get_cancellable (outer));
}

/* add: the key is kept; record the provider (or remove the key again). */
static void
add_key_kept (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) outer = user_data;
  RelayCore *self = RELAY_CORE (source);
  Edit *edit = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;
  gint64 id;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (outer, error);
      return;
    }
  /* Given up while the key store took its time: no provider, and the key
   * it kept after all is removed again. */
  if (given_up (outer))
    {
      run_key_edit (self, edit_copy_for (self, edit, EDIT_REMOVE), forget_result, NULL);
      g_task_return_error_if_cancelled (outer);
      return;
    }
  id = relay_store_add_provider (relay_core_get_store (self), edit->name, edit->url,
                                 edit->key_ref, &error);
  if (id == 0)
    {
      run_key_edit (self, edit_copy_for (self, edit, EDIT_REMOVE), forget_result, NULL);
      g_task_return_error (outer, error);
      return;
    }
  /* A gint64, not a gssize: ids do not fit 32 bits everywhere. */
  g_task_return_pointer (outer, g_memdup2 (&id, sizeof id), g_free);
}

void
relay_core_add_provider_async (RelayCore           *self,
                               const char          *name,
                               const char          *url,
                               const char          *key,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) outer = NULL;
  GError *error = NULL;
  Edit *edit;

  g_return_if_fail (RELAY_IS_CORE (self));

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, relay_core_add_provider_async);
  if (g_task_return_error_if_cancelled (outer))
    return;
  if (!check_new_provider (self, name, url, key, &error))
    {
      g_task_return_error (outer, error);
      return;
    }
  edit = edit_new (self, EDIT_ADD);
  edit->key_ref = g_uuid_string_random ();
  edit->name = g_strdup (name);
  edit->url = g_strdup (url);
  edit->key = g_strdup (key);
  run_key_edit (self, edit, add_key_kept, g_steal_pointer (&outer));
}

gint64
relay_core_add_provider_finish (RelayCore *self, GAsyncResult *result, GError **error)
{
  g_autofree gint64 *id = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), 0);
  id = g_task_propagate_pointer (G_TASK (result), error);
  return id != NULL ? *id : 0;
}

/* update: a new key is kept (or nothing was to be kept): record the name
 * and URL, then relabel the key after a rename. */
static void
update_key_kept (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) outer = user_data;
  RelayCore *self = RELAY_CORE (source);
  Edit *edit = g_task_get_task_data (G_TASK (result));
  g_autoptr(RelayProviderRow) row = NULL;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (outer, error);
      return;
    }
  /* Given up while the key store took its time: the book keeps the name
   * and URL, the key store the key it had. */
  if (given_up (outer))
    {
      if (edit->key != NULL)
        {
          Edit *restore = edit_copy_for (self, edit, EDIT_RESTORE);

          restore->restore_key = g_strdup (edit->restore_key);
          restore->restore_name = g_strdup (edit->restore_name);
          run_key_edit (self, restore, forget_result, NULL);
        }
      g_task_return_error_if_cancelled (outer);
      return;
    }
  /* Read again: another process may have changed the URL meanwhile, and an
   * unchanged field keeps what the book has now. */
  row = relay_store_get_provider (relay_core_get_store (self), edit->provider_id, &error);
  if (row == NULL ||
      !relay_store_update_provider (relay_core_get_store (self), edit->provider_id,
                                    edit->name, edit->url ? edit->url : row->url, &error))
    {
      g_task_return_error (outer, error);
      return;
    }
  relay_core_drop_client (self, edit->provider_id);
  if (edit->key == NULL && g_strcmp0 (edit->name, edit->old_name) != 0)
    run_key_edit (self, edit_copy_for (self, edit, EDIT_UPDATE), forget_result, NULL);
  g_task_return_boolean (outer, TRUE);
}

void
relay_core_update_provider_async (RelayCore           *self,
                                  gint64               provider_id,
                                  const char          *name,
                                  const char          *url,
                                  const char          *key,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) outer = NULL;
  g_autoptr(RelayProviderRow) row = NULL;
  GError *error = NULL;
  Edit *edit;

  g_return_if_fail (RELAY_IS_CORE (self));

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, relay_core_update_provider_async);
  if (g_task_return_error_if_cancelled (outer))
    return;
  row = check_update (self, provider_id, url, key, &error);
  if (row == NULL)
    {
      g_task_return_error (outer, error);
      return;
    }
  edit = edit_new (self, EDIT_UPDATE);
  edit->provider_id = provider_id;
  edit->key_ref = g_strdup (row->key_ref);
  edit->name = g_strdup (name ? name : row->name);
  /* Until the book has the new name, the key keeps its label: the relabel
   * (a rename without a new key) runs after the book is written. */
  edit->old_name = g_strdup (key != NULL ? edit->name : row->name);
  edit->restore_name = g_strdup (row->name);
  edit->url = g_strdup (url);
  edit->key = g_strdup (key);
  if (key == NULL)
    {
      /* Nothing to keep first: a worker trip for nothing would only delay. */
      g_autoptr(GTask) kept = g_task_new (self, NULL, update_key_kept, g_steal_pointer (&outer));

      g_task_set_task_data (kept, edit, (GDestroyNotify) edit_free);
      g_task_return_boolean (kept, TRUE);
      return;
    }
  run_key_edit (self, edit, update_key_kept, g_steal_pointer (&outer));
}

gboolean
relay_core_update_provider_finish (RelayCore *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
remove_key_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) outer = user_data;

  g_task_propagate_boolean (G_TASK (result), NULL);
  g_task_return_boolean (outer, TRUE);
}

void
relay_core_remove_provider_async (RelayCore           *self,
                                  gint64               provider_id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  RelayStore *store;
  g_autoptr(GTask) outer = NULL;
  g_autoptr(RelayProviderRow) row = NULL;
  GError *error = NULL;
  Edit *edit;

  g_return_if_fail (RELAY_IS_CORE (self));

  store = relay_core_get_store (self);
  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, relay_core_remove_provider_async);
  if (g_task_return_error_if_cancelled (outer))
    return;
  row = relay_store_get_provider (store, provider_id, &error);
  if (row == NULL || !relay_store_remove_provider (store, provider_id, &error))
    {
      g_task_return_error (outer, error);
      return;
    }
  relay_core_drop_client (self, provider_id);
  edit = edit_new (self, EDIT_REMOVE);
  edit->provider_id = provider_id;
  edit->key_ref = g_strdup (row->key_ref);
  run_key_edit (self, edit, remove_key_done, g_steal_pointer (&outer));
}

gboolean
relay_core_remove_provider_finish (RelayCore *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
