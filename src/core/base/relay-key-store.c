/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Where API keys live: the interface. */
#include "relay-key-store.h"

G_DEFINE_INTERFACE (RelayKeyStore, relay_key_store, G_TYPE_OBJECT)

static void
relay_key_store_default_init (RelayKeyStoreInterface *iface)
{
}

gboolean
relay_key_store_store (RelayKeyStore *self, const char *ref, const char *key, GError **error)
{
  g_return_val_if_fail (RELAY_IS_KEY_STORE (self), FALSE);
  g_return_val_if_fail (ref != NULL && key != NULL, FALSE);
  return RELAY_KEY_STORE_GET_IFACE (self)->store (self, ref, key, error);
}

char *
relay_key_store_lookup (RelayKeyStore *self, const char *ref, GError **error)
{
  g_return_val_if_fail (RELAY_IS_KEY_STORE (self), NULL);
  g_return_val_if_fail (ref != NULL, NULL);
  return RELAY_KEY_STORE_GET_IFACE (self)->lookup (self, ref, error);
}

gboolean
relay_key_store_remove (RelayKeyStore *self, const char *ref, GError **error)
{
  g_return_val_if_fail (RELAY_IS_KEY_STORE (self), FALSE);
  g_return_val_if_fail (ref != NULL, FALSE);
  return RELAY_KEY_STORE_GET_IFACE (self)->remove (self, ref, error);
}
