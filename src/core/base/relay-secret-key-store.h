/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A RelayKeyStore in the system keyring (the Secret Service, through libsecret). */
#pragma once

#include "relay-key-store.h"

G_BEGIN_DECLS

#define RELAY_TYPE_SECRET_KEY_STORE (relay_secret_key_store_get_type ())
G_DECLARE_FINAL_TYPE (RelaySecretKeyStore, relay_secret_key_store, RELAY, SECRET_KEY_STORE, GObject)

/* The libsecret schema name of SMM Relay's API keys.  An item's attribute
 * "key-ref" is the provider's key ref; its label names the provider. */
#define RELAY_SECRET_KEY_STORE_SCHEMA "io.github.smmrelay.SmmRelay.ApiKey"

/* Asks the session bus for a Secret Service whose default collection is
 * unlocked, without ever showing a prompt and giving up after a few seconds.
 * Blocks while it asks: call it once, at start.  Returns NULL with an error
 * whose message says why for people ("no keyring service found") when there
 * is none.
 *
 * @legacy (nullable): the file store the keys were kept in before; a key the
 * keyring lacks is looked up there, and storing or removing a key also
 * removes it from there.
 *
 * Lookups are cached in memory: the keyring is asked once per key and
 * process; store and remove are one D-Bus round trip each. */
RelayKeyStore *relay_secret_key_store_new (RelayKeyStore *legacy, GError **error);

G_END_DECLS
