/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A RelayKeyStore in a key file of mode 0600 under the user's config dir. */
#pragma once

#include "relay-key-store.h"

G_BEGIN_DECLS

#define RELAY_TYPE_FILE_KEY_STORE (relay_file_key_store_get_type ())
G_DECLARE_FINAL_TYPE (RelayFileKeyStore, relay_file_key_store, RELAY, FILE_KEY_STORE, GObject)

/* @path: the file, or NULL for $SMM_RELAY_KEYS, else
 * g_get_user_config_dir()/smm-relay/keys.  The file and its folder are created
 * with modes 0600 / 0700 on first write. */
RelayKeyStore *relay_file_key_store_new      (const char *path);
const char    *relay_file_key_store_get_path (RelayFileKeyStore *self);
/* Why the keys are in this file rather than the system keyring ("no keyring
 * service found"), shown in the store's description; NULL for none. */
void           relay_file_key_store_set_reason (RelayFileKeyStore *self, const char *reason);
/* This file stands in for a keyring that is there but locked: a key it lacks
 * is reported as locked away (G_IO_ERROR_PERMISSION_DENIED, "unlock it"), not
 * as missing, and no key is stored (it would only hide behind the keyring's). */
void           relay_file_key_store_set_keyring_locked (RelayFileKeyStore *self, gboolean locked);

G_END_DECLS
