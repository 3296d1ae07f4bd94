/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Where API keys live: never in the order book.  An interface, so that the
 * system keyring (libsecret) can replace the file store later. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define RELAY_TYPE_KEY_STORE (relay_key_store_get_type ())
G_DECLARE_INTERFACE (RelayKeyStore, relay_key_store, RELAY, KEY_STORE, GObject)

struct _RelayKeyStoreInterface
{
  GTypeInterface parent_iface;

  gboolean (*store)  (RelayKeyStore *self, const char *ref, const char *key, GError **error);
  char    *(*lookup) (RelayKeyStore *self, const char *ref, GError **error);
  gboolean (*remove) (RelayKeyStore *self, const char *ref, GError **error);
};

/* @ref is an opaque id kept in the order book (providers.key_ref).  Keys are
 * never logged and never part of an error message. */
gboolean relay_key_store_store  (RelayKeyStore *self, const char *ref, const char *key, GError **error);
/* Returns a new string, or NULL with G_IO_ERROR_NOT_FOUND when there is none. */
char    *relay_key_store_lookup (RelayKeyStore *self, const char *ref, GError **error);
/* Removing a missing key is not an error. */
gboolean relay_key_store_remove (RelayKeyStore *self, const char *ref, GError **error);

G_END_DECLS
