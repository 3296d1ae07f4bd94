/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Where API keys live: never in the order book.  An interface with two
 * implementations: the system keyring (RelaySecretKeyStore, libsecret) and a
 * 0600 file (RelayFileKeyStore) where no Secret Service runs. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define RELAY_TYPE_KEY_STORE (relay_key_store_get_type ())
G_DECLARE_INTERFACE (RelayKeyStore, relay_key_store, RELAY, KEY_STORE, GObject)

struct _RelayKeyStoreInterface
{
  GTypeInterface parent_iface;

  /* @name: the provider's name for people (a keyring item's label), or NULL. */
  gboolean    (*store)           (RelayKeyStore *self, const char *ref, const char *name,
                                  const char *key, GError **error);
  char       *(*lookup)          (RelayKeyStore *self, const char *ref, GError **error);
  gboolean    (*remove)          (RelayKeyStore *self, const char *ref, GError **error);
  const char *(*get_kind)        (RelayKeyStore *self);
  char       *(*dup_description) (RelayKeyStore *self);
};

/* @ref is an opaque id kept in the order book (providers.key_ref), a random
 * UUID per provider.  Keys are never logged and never part of an error
 * message.  All calls are synchronous; see each implementation for what they
 * may cost. */
gboolean    relay_key_store_store           (RelayKeyStore *self, const char *ref,
                                             const char *key, GError **error);
/* Like relay_key_store_store(); @name (the provider's name) labels the key
 * where the store shows keys to people (the keyring). */
gboolean    relay_key_store_store_named     (RelayKeyStore *self, const char *ref,
                                             const char *name, const char *key,
                                             GError **error);
/* Returns a new string, or NULL with G_IO_ERROR_NOT_FOUND when there is none. */
char       *relay_key_store_lookup          (RelayKeyStore *self, const char *ref, GError **error);
/* Removing a missing key is not an error. */
gboolean    relay_key_store_remove          (RelayKeyStore *self, const char *ref, GError **error);
/* "keyring" or "file": a fixed word for scripts (not translated). */
const char *relay_key_store_get_kind        (RelayKeyStore *self);
/* Where the keys are, for people: "system keyring", or
 * "file ~/.config/smm-relay/keys (no keyring service found)".  A new string. */
char       *relay_key_store_dup_description (RelayKeyStore *self);

/* Moves the key of @ref from @from into @to: stores it in @to, reads it back
 * from @to, and removes it from @from only when @to returned the same key —
 * a failure at any step leaves the key in @from.  A key @from does not have
 * is nothing to move (TRUE, *@moved FALSE).  @moved may be NULL. */
gboolean    relay_key_store_move            (RelayKeyStore *from, RelayKeyStore *to,
                                             const char *ref, const char *name,
                                             gboolean *moved, GError **error);

G_END_DECLS
