/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A RelayKeyStore in a key file of mode 0600 under the user's config dir. */
#include "relay-file-key-store.h"

#include <errno.h>
#include <string.h>
#include <glib/gstdio.h>
#include <glib/gi18n-lib.h>

#define GROUP "keys"

struct _RelayFileKeyStore
{
  GObject parent_instance;
  char   *path;
  char   *reason;    /* why not the keyring, or NULL */
  gboolean keyring_locked;  /* the keys may be in a keyring we cannot open */
};

static void key_store_iface_init (RelayKeyStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RelayFileKeyStore, relay_file_key_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (RELAY_TYPE_KEY_STORE, key_store_iface_init))

static GKeyFile *
load (RelayFileKeyStore *self, GError **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;

  if (!g_key_file_load_from_file (file, self->path, G_KEY_FILE_NONE, &local_error) &&
      !g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not read the key file %s: %s"), self->path, local_error->message);
      return NULL;
    }
  return g_steal_pointer (&file);
}

static gboolean
save (RelayFileKeyStore *self, GKeyFile *file, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (self->path);
  g_autofree char *data = NULL;
  gsize len = 0;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not create %s: %s"), dir, g_strerror (saved));
      return FALSE;
    }
  data = g_key_file_to_data (file, &len, NULL);
  /* g_file_set_contents_full writes a temporary file with the mode, then renames. */
  return g_file_set_contents_full (self->path, data, len,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

static gboolean
file_store (RelayKeyStore  *store,
            const char     *ref,
            const char     *name,
            const char     *key,
            GError        **error)
{
  RelayFileKeyStore *self = RELAY_FILE_KEY_STORE (store);
  g_autoptr(GKeyFile) file = NULL;

  file = load (self, error);
  if (file == NULL)
    return FALSE;
  /* A new key not into the file behind the keyring's back: the keyring keeps
   * its own copy, and the person would believe the key in the keyring.  A key
   * still in the file (not moved yet) is replaced where it is. */
  if (self->keyring_locked && !g_key_file_has_key (file, GROUP, ref, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   _("The system keyring is locked: unlock it and try again "
                     "(or set SMM_RELAY_KEYS to a file to keep the API keys in that file instead)"));
      return FALSE;
    }
  g_key_file_set_string (file, GROUP, ref, key);
  return save (self, file, error);
}

static char *
file_lookup (RelayKeyStore *store, const char *ref, GError **error)
{
  RelayFileKeyStore *self = RELAY_FILE_KEY_STORE (store);
  g_autoptr(GKeyFile) file = load (self, error);
  char *key;

  if (file == NULL)
    return NULL;
  key = g_key_file_get_string (file, GROUP, ref, NULL);
  if (key == NULL && self->keyring_locked)
    /* Setting it again would not help: it is most likely in the keyring. */
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                 _("The system keyring is locked: unlock it and try again"));
  else if (key == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 _("No API key is stored for this provider; set it again"));
  return key;
}

/* A file read: cheap enough for any thread. */
static gboolean
file_lookup_now (RelayKeyStore *store, const char *ref, char **out_key, GError **error)
{
  *out_key = file_lookup (store, ref, error);
  return TRUE;
}

static gboolean
file_remove (RelayKeyStore *store, const char *ref, GError **error)
{
  RelayFileKeyStore *self = RELAY_FILE_KEY_STORE (store);
  g_autoptr(GKeyFile) file = load (self, error);

  if (file == NULL)
    return FALSE;
  if (!g_key_file_has_key (file, GROUP, ref, NULL))
    return TRUE;
  g_key_file_remove_key (file, GROUP, ref, NULL);
  return save (self, file, error);
}

static const char *
file_get_kind (RelayKeyStore *store)
{
  return "file";
}

static char *
file_dup_description (RelayKeyStore *store)
{
  RelayFileKeyStore *self = RELAY_FILE_KEY_STORE (store);
  const char *home = g_get_home_dir ();
  gsize home_len = home != NULL ? strlen (home) : 0;
  g_autofree char *shown = NULL;

  /* ~/… reads better and does not show the user's name. */
  if (home_len > 1 && g_str_has_prefix (self->path, home) && self->path[home_len] == '/')
    shown = g_strconcat ("~", self->path + home_len, NULL);
  else
    shown = g_strdup (self->path);
  if (self->reason != NULL)
    /* TRANSLATORS: where the API keys are: "file PATH (why not the keyring)" */
    return g_strdup_printf (_("file %s (%s)"), shown, self->reason);
  /* TRANSLATORS: where the API keys are: "file PATH" */
  return g_strdup_printf (_("file %s"), shown);
}

static void
key_store_iface_init (RelayKeyStoreInterface *iface)
{
  iface->store = file_store;
  iface->lookup = file_lookup;
  iface->remove = file_remove;
  iface->get_kind = file_get_kind;
  iface->dup_description = file_dup_description;
  iface->lookup_now = file_lookup_now;
}

static void
relay_file_key_store_finalize (GObject *object)
{
  RelayFileKeyStore *self = RELAY_FILE_KEY_STORE (object);

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->reason, g_free);
  G_OBJECT_CLASS (relay_file_key_store_parent_class)->finalize (object);
}

static void
relay_file_key_store_class_init (RelayFileKeyStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = relay_file_key_store_finalize;
}

static void
relay_file_key_store_init (RelayFileKeyStore *self)
{
}

RelayKeyStore *
relay_file_key_store_new (const char *path)
{
  RelayFileKeyStore *self = g_object_new (RELAY_TYPE_FILE_KEY_STORE, NULL);
  const char *env = g_getenv ("SMM_RELAY_KEYS");

  if (path != NULL)
    self->path = g_strdup (path);
  else if (env != NULL && *env != '\0')
    self->path = g_strdup (env);
  else
    self->path = g_build_filename (g_get_user_config_dir (), "smm-relay", "keys", NULL);
  return RELAY_KEY_STORE (self);
}

const char *
relay_file_key_store_get_path (RelayFileKeyStore *self)
{
  g_return_val_if_fail (RELAY_IS_FILE_KEY_STORE (self), NULL);
  return self->path;
}

void
relay_file_key_store_set_reason (RelayFileKeyStore *self, const char *reason)
{
  g_return_if_fail (RELAY_IS_FILE_KEY_STORE (self));
  g_free (self->reason);
  self->reason = g_strdup (reason);
}

void
relay_file_key_store_set_keyring_locked (RelayFileKeyStore *self, gboolean locked)
{
  g_return_if_fail (RELAY_IS_FILE_KEY_STORE (self));
  self->keyring_locked = locked;
}
