/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayClientPool: the clients of the providers, made on first use. */
#include "config.h"

#include "relay-client-pool.h"
#include "relay-error.h"

#include <glib/gi18n-lib.h>

struct _RelayClientPool
{
  GObject        parent_instance;
  RelayStore    *store;
  RelayKeyStore *keys;
  SoupSession   *session;
  GHashTable    *clients;     /* gint64* provider id -> RelayProviderClient */
  guint          timeout_ms;
};

G_DEFINE_FINAL_TYPE (RelayClientPool, relay_client_pool, G_TYPE_OBJECT)

static void
relay_client_pool_dispose (GObject *object)
{
  RelayClientPool *self = RELAY_CLIENT_POOL (object);

  g_clear_pointer (&self->clients, g_hash_table_unref);
  g_clear_object (&self->session);
  g_clear_object (&self->keys);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (relay_client_pool_parent_class)->dispose (object);
}

static void
relay_client_pool_class_init (RelayClientPoolClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = relay_client_pool_dispose;
}

static void
relay_client_pool_init (RelayClientPool *self)
{
  self->clients = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
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

RelayProviderClient *
relay_client_pool_get (RelayClientPool  *self,
                       gint64            provider_id,
                       gboolean         *out_no_key,
                       GError          **error)
{
  RelayProviderClient *client;
  g_autoptr(RelayProviderRow) row = NULL;
  g_autofree char *key = NULL;
  g_autoptr(GError) key_error = NULL;

  g_return_val_if_fail (RELAY_IS_CLIENT_POOL (self), NULL);

  if (out_no_key != NULL)
    *out_no_key = FALSE;
  client = g_hash_table_lookup (self->clients, &provider_id);
  if (client != NULL)
    return client;

  row = relay_store_get_provider (self->store, provider_id, error);
  if (row == NULL)
    return NULL;
  key = relay_key_store_lookup (self->keys, row->key_ref, &key_error);
  if (key == NULL)
    {
      /* Not the key store's words: they could say where keys are kept. */
      if (out_no_key != NULL)
        *out_no_key = TRUE;
      if (g_error_matches (key_error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
        g_set_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_CONFIG,
                     _("The system keyring is locked: unlock it to use the API key of provider %s"),
                     row->name);
      else
        g_set_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_CONFIG,
                     _("No API key for provider %s on this computer; set it again"), row->name);
      return NULL;
    }
  client = relay_provider_client_new (self->session, row->url, key, error);
  if (client == NULL)
    return NULL;
  relay_provider_client_set_timeout_ms (client, self->timeout_ms);
  relay_provider_client_set_max_concurrent (client, MAX (row->max_concurrent, 1));
  g_hash_table_insert (self->clients, g_memdup2 (&provider_id, sizeof provider_id), client);
  return client;
}

void
relay_client_pool_drop (RelayClientPool *self, gint64 provider_id)
{
  g_return_if_fail (RELAY_IS_CLIENT_POOL (self));
  g_hash_table_remove (self->clients, &provider_id);
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

void
relay_client_pool_note (RelayClientPool *self, gint64 provider_id, const GError *error)
{
  g_autoptr(RelayProviderRow) row = NULL;
  const char *message = error != NULL ? error->message : NULL;

  g_return_if_fail (RELAY_IS_CLIENT_POOL (self));
  row = relay_store_get_provider (self->store, provider_id, NULL);
  if (row == NULL || g_strcmp0 (row->last_error, message) == 0)
    return;
  relay_store_set_provider_error (self->store, provider_id, message, NULL);
}
