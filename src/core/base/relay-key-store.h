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
  /* Optional: answers without waiting when it can (see
   * relay_key_store_lookup_now()); NULL = never. */
  gboolean    (*lookup_now)      (RelayKeyStore *self, const char *ref, char **out_key,
                                  GError **error);
};

/* @ref is an opaque id kept in the order book (providers.key_ref), a random
 * UUID per provider.  Keys are never logged and never part of an error
 * message.  The calls below are synchronous and may block (the keyring may
 * have to be started, or ask for a password): on a thread with a main loop to
 * keep alive, use relay_key_store_lookup_async().  An implementation's
 * lookup may be called from any thread. */
gboolean    relay_key_store_store           (RelayKeyStore *self, const char *ref,
                                             const char *key, GError **error);
/* Like relay_key_store_store(); @name (the provider's name) labels the key
 * where the store shows keys to people (the keyring). */
gboolean    relay_key_store_store_named     (RelayKeyStore *self, const char *ref,
                                             const char *name, const char *key,
                                             GError **error);
/* Returns a new string, or NULL with G_IO_ERROR_NOT_FOUND when there is none. */
char       *relay_key_store_lookup          (RelayKeyStore *self, const char *ref, GError **error);
/* relay_key_store_lookup() on a worker thread, unless the store can answer
 * without waiting (relay_key_store_lookup_now()): then from an idle.  The
 * callback runs in the caller's thread-default main context. */
void        relay_key_store_lookup_async    (RelayKeyStore       *self,
                                             const char          *ref,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
/* A new string, or NULL with the error relay_key_store_lookup() would give. */
char       *relay_key_store_lookup_finish   (RelayKeyStore  *self,
                                             GAsyncResult   *result,
                                             GError        **error);
/* TRUE when the store answered @ref without blocking (a file read, a key
 * held in memory): *@out_key is the key (a new string), or NULL with @error
 * set as relay_key_store_lookup() would.  FALSE (nothing set) when only a
 * lookup that may block can tell. */
gboolean    relay_key_store_lookup_now      (RelayKeyStore  *self,
                                             const char     *ref,
                                             char          **out_key,
                                             GError        **error);
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
