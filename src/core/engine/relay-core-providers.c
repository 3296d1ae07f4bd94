/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayCore: adding, changing and removing providers; balance; catalog sync. */
#include "config.h"

#include "relay-core-private.h"
#include "relay-error.h"

#include <glib/gi18n-lib.h>

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

gint64
relay_core_add_provider (RelayCore   *self,
                         const char  *name,
                         const char  *url,
                         const char  *key,
                         GError     **error)
{
  RelayStore *store = relay_core_get_store (self);
  RelayKeyStore *keys = relay_core_get_key_store (self);
  g_autofree char *key_ref = NULL;
  g_autoptr(RelayProviderRow) existing = NULL;
  gint64 id;

  g_return_val_if_fail (RELAY_IS_CORE (self), 0);

  if (name == NULL || *name == '\0')
    {
      g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID,
                   _("A provider needs a name"));
      return 0;
    }
  if (!relay_provider_url_check (url, error) || !check_key (key, error))
    return 0;
  existing = relay_store_find_provider (store, name, NULL);
  if (existing != NULL)
    {
      g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_EXISTS,
                   _("A provider named “%s” already exists"), name);
      return 0;
    }

  key_ref = g_uuid_string_random ();
  if (!relay_key_store_store_named (keys, key_ref, name, key, error))
    return 0;
  id = relay_store_add_provider (store, name, url, key_ref, error);
  if (id == 0)
    relay_key_store_remove (keys, key_ref, NULL);
  return id;
}

/* The keyring shows the provider's name in the key's label: a new name
 * relabels it (best effort: the key itself is unchanged either way). */
static void
relabel_key (RelayCore *self, const char *key_ref, const char *name)
{
  RelayKeyStore *keys = relay_core_get_key_store (self);
  g_autofree char *key = relay_key_store_lookup (keys, key_ref, NULL);
  g_autoptr(GError) error = NULL;

  if (key != NULL && !relay_key_store_store_named (keys, key_ref, name, key, &error))
    g_warning ("The API key of “%s” keeps its old label: %s", name, error->message);
}

gboolean
relay_core_update_provider (RelayCore   *self,
                            gint64       provider_id,
                            const char  *name,
                            const char  *url,
                            const char  *key,
                            GError     **error)
{
  RelayStore *store = relay_core_get_store (self);
  g_autoptr(RelayProviderRow) row = NULL;

  g_return_val_if_fail (RELAY_IS_CORE (self), FALSE);

  row = relay_store_get_provider (store, provider_id, error);
  if (row == NULL)
    return FALSE;
  if (url != NULL && !relay_provider_url_check (url, error))
    return FALSE;
  if (key != NULL && !check_key (key, error))
    return FALSE;
  if (key != NULL &&
      !relay_key_store_store_named (relay_core_get_key_store (self), row->key_ref,
                                    name ? name : row->name, key, error))
    return FALSE;
  if (!relay_store_update_provider (store, provider_id, name ? name : row->name,
                                    url ? url : row->url, error))
    return FALSE;
  if (key == NULL && name != NULL && g_strcmp0 (name, row->name) != 0)
    relabel_key (self, row->key_ref, name);
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
  /* The order book no longer points at the key: a failure here only leaves
   * an unused entry behind, which is not worth failing the removal for. */
  relay_key_store_remove (relay_core_get_key_store (self), row->key_ref, NULL);
  return TRUE;
}

/* ---- balance ---- */

static void
balance_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  RelayCore *self = g_task_get_source_object (task);
  gint64 provider_id = GPOINTER_TO_SIZE (g_task_get_task_data (task));
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayProviderBalance) balance = NULL;

  balance = relay_provider_client_balance_finish (RELAY_PROVIDER_CLIENT (source), result, &error);
  if (balance == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        relay_core_note_provider (self, provider_id, error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  relay_core_note_provider (self, provider_id, NULL);
  if (!relay_store_set_provider_balance (relay_core_get_store (self), provider_id,
                                         balance->balance, balance->currency, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&balance),
                         (GDestroyNotify) relay_provider_balance_free);
}

void
relay_core_refresh_balance_async (RelayCore           *self,
                                  gint64               provider_id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  RelayProviderClient *client;
  GError *error = NULL;

  g_task_set_source_tag (task, relay_core_refresh_balance_async);
  g_task_set_task_data (task, GSIZE_TO_POINTER ((gsize) provider_id), NULL);
  client = relay_core_get_client (self, provider_id, &error);
  if (client == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  relay_provider_client_balance_async (client, cancellable, balance_done, g_steal_pointer (&task));
}

RelayProviderBalance *
relay_core_refresh_balance_finish (RelayCore *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- catalog ---- */

static gboolean
provider_has_currency (RelayCore *self, gint64 provider_id)
{
  g_autoptr(RelayProviderRow) row = relay_store_get_provider (relay_core_get_store (self),
                                                              provider_id, NULL);

  return row == NULL || (row->currency != NULL && *row->currency != '\0');
}

typedef struct
{
  gint64     provider_id;
  GPtrArray *changes;       /* RelayCatalogRow*, once the catalog is stored */
} SyncServices;

static void
sync_services_free (SyncServices *sync)
{
  g_clear_pointer (&sync->changes, g_ptr_array_unref);
  g_free (sync);
}

/* The balance asked for after a catalog sync: its failure does not fail the
 * sync, which already succeeded. */
static void
currency_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  RelayCore *self = g_task_get_source_object (task);
  SyncServices *sync = g_task_get_task_data (task);
  g_autoptr(RelayProviderBalance) balance = NULL;

  balance = relay_provider_client_balance_finish (RELAY_PROVIDER_CLIENT (source), result, NULL);
  if (balance != NULL)
    relay_store_set_provider_balance (relay_core_get_store (self), sync->provider_id,
                                      balance->balance, balance->currency, NULL);
  g_task_return_pointer (task, g_steal_pointer (&sync->changes), (GDestroyNotify) g_ptr_array_unref);
}

static void
services_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  RelayCore *self = g_task_get_source_object (task);
  SyncServices *sync = g_task_get_task_data (task);
  gint64 provider_id = sync->provider_id;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) services = NULL;

  services = relay_provider_client_services_finish (RELAY_PROVIDER_CLIENT (source), result, &error);
  if (services == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        relay_core_note_provider (self, provider_id, error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  relay_core_note_provider (self, provider_id, NULL);
  if (!relay_core_store_catalog (self, provider_id, services, &sync->changes, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* The catalog says nothing of the currency its rates are in; the balance
   * does.  Ask once, so prices show with their currency from the start. */
  if (!provider_has_currency (self, provider_id))
    {
      relay_provider_client_balance_async (RELAY_PROVIDER_CLIENT (source),
                                           g_task_get_cancellable (task),
                                           currency_done, g_object_ref (task));
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&sync->changes), (GDestroyNotify) g_ptr_array_unref);
}

void
relay_core_sync_services_async (RelayCore           *self,
                                gint64               provider_id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  SyncServices *sync = g_new0 (SyncServices, 1);
  RelayProviderClient *client;
  GError *error = NULL;

  g_task_set_source_tag (task, relay_core_sync_services_async);
  sync->provider_id = provider_id;
  g_task_set_task_data (task, sync, (GDestroyNotify) sync_services_free);
  client = relay_core_get_client (self, provider_id, &error);
  if (client == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  relay_provider_client_services_async (client, cancellable, services_done, g_steal_pointer (&task));
}

GPtrArray *
relay_core_sync_services_finish (RelayCore *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
