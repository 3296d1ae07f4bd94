/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Where API keys live: the interface, and moving a key between two stores. */
#include "relay-key-store.h"

#include <string.h>
#include <glib/gi18n-lib.h>

G_DEFINE_INTERFACE (RelayKeyStore, relay_key_store, G_TYPE_OBJECT)

static void
relay_key_store_default_init (RelayKeyStoreInterface *iface)
{
}

gboolean
relay_key_store_store (RelayKeyStore *self, const char *ref, const char *key, GError **error)
{
  return relay_key_store_store_named (self, ref, NULL, key, error);
}

gboolean
relay_key_store_store_named (RelayKeyStore  *self,
                             const char     *ref,
                             const char     *name,
                             const char     *key,
                             GError        **error)
{
  g_return_val_if_fail (RELAY_IS_KEY_STORE (self), FALSE);
  g_return_val_if_fail (ref != NULL && key != NULL, FALSE);
  return RELAY_KEY_STORE_GET_IFACE (self)->store (self, ref, name, key, error);
}

char *
relay_key_store_lookup (RelayKeyStore *self, const char *ref, GError **error)
{
  g_return_val_if_fail (RELAY_IS_KEY_STORE (self), NULL);
  g_return_val_if_fail (ref != NULL, NULL);
  return RELAY_KEY_STORE_GET_IFACE (self)->lookup (self, ref, error);
}

gboolean
relay_key_store_lookup_now (RelayKeyStore  *self,
                            const char     *ref,
                            char          **out_key,
                            GError        **error)
{
  RelayKeyStoreInterface *iface;

  g_return_val_if_fail (RELAY_IS_KEY_STORE (self), FALSE);
  g_return_val_if_fail (ref != NULL && out_key != NULL, FALSE);

  *out_key = NULL;
  iface = RELAY_KEY_STORE_GET_IFACE (self);
  return iface->lookup_now != NULL && iface->lookup_now (self, ref, out_key, error);
}

static void key_free (char *key);

static void
lookup_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GError *error = NULL;
  char *key = relay_key_store_lookup (RELAY_KEY_STORE (source_object), task_data, &error);

  if (key == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, key, (GDestroyNotify) key_free);
}

void
relay_key_store_lookup_async (RelayKeyStore       *self,
                              const char          *ref,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  char *key = NULL;

  g_return_if_fail (RELAY_IS_KEY_STORE (self));
  g_return_if_fail (ref != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_key_store_lookup_async);
  g_task_set_name (task, "[relay-key-store] lookup");
  if (relay_key_store_lookup_now (self, ref, &key, &error))
    {
      if (key == NULL)
        g_task_return_error (task, error);
      else
        g_task_return_pointer (task, key, (GDestroyNotify) key_free);
      return;
    }
  g_task_set_task_data (task, g_strdup (ref), g_free);
  g_task_run_in_thread (task, lookup_thread);
}

char *
relay_key_store_lookup_finish (RelayKeyStore  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
relay_key_store_remove (RelayKeyStore *self, const char *ref, GError **error)
{
  g_return_val_if_fail (RELAY_IS_KEY_STORE (self), FALSE);
  g_return_val_if_fail (ref != NULL, FALSE);
  return RELAY_KEY_STORE_GET_IFACE (self)->remove (self, ref, error);
}

const char *
relay_key_store_get_kind (RelayKeyStore *self)
{
  g_return_val_if_fail (RELAY_IS_KEY_STORE (self), NULL);
  return RELAY_KEY_STORE_GET_IFACE (self)->get_kind (self);
}

char *
relay_key_store_dup_description (RelayKeyStore *self)
{
  g_return_val_if_fail (RELAY_IS_KEY_STORE (self), NULL);
  return RELAY_KEY_STORE_GET_IFACE (self)->dup_description (self);
}

/* Overwrites a key before it is freed. */
static void
key_free (char *key)
{
  if (key != NULL)
    memset (key, 0, strlen (key));
  g_free (key);
}

gboolean
relay_key_store_move (RelayKeyStore  *from,
                      RelayKeyStore  *to,
                      const char     *ref,
                      const char     *name,
                      gboolean       *moved,
                      GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  char *key = NULL;
  char *back = NULL;
  gboolean got, same;

  g_return_val_if_fail (RELAY_IS_KEY_STORE (from) && RELAY_IS_KEY_STORE (to), FALSE);
  g_return_val_if_fail (ref != NULL, FALSE);

  if (moved != NULL)
    *moved = FALSE;
  key = relay_key_store_lookup (from, ref, &local_error);
  if (key == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (!relay_key_store_store_named (to, ref, name, key, error))
    {
      key_free (key);
      return FALSE;
    }
  back = relay_key_store_lookup (to, ref, error);
  got = back != NULL;
  same = got && strcmp (back, key) == 0;
  key_free (back);
  key_free (key);
  if (!same)
    {
      if (!got)
        return FALSE;
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("The key store did not give back the key it was given"));
      return FALSE;
    }
  if (!relay_key_store_remove (from, ref, error))
    return FALSE;
  if (moved != NULL)
    *moved = TRUE;
  return TRUE;
}
