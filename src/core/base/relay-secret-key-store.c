/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A RelayKeyStore in the system keyring (the Secret Service, through libsecret). */
#include "relay-secret-key-store.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#define SECRETS_NAME      "org.freedesktop.secrets"
#define SECRETS_PATH      "/org/freedesktop/secrets"
#define SECRETS_SERVICE   "org.freedesktop.Secret.Service"
#define SECRETS_COLLECTION "org.freedesktop.Secret.Collection"
/* A keyring that takes longer than this in all to answer at start is not used. */
#define PROBE_TIMEOUT_MS  5000

struct _RelaySecretKeyStore
{
  GObject        parent_instance;
  SecretService *service;   /* held so that libsecret's default service stays open */
  RelayKeyStore *legacy;    /* the file the keys were in before, or NULL */
  GHashTable    *cache;     /* ref -> key, both owned; keys are wiped when dropped */
  GMutex         lock;      /* of cache: lookups run on worker threads too */
};

static void key_store_iface_init (RelayKeyStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RelaySecretKeyStore, relay_secret_key_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (RELAY_TYPE_KEY_STORE, key_store_iface_init))

static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    RELAY_SECRET_KEY_STORE_SCHEMA, SECRET_SCHEMA_NONE,
    {
      { "key-ref", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };
  return &schema;
}

/* Overwrites a key before it is freed. */
static void
key_free (gpointer data)
{
  char *key = data;

  if (key != NULL)
    memset (key, 0, strlen (key));
  g_free (key);
}

static void
cache_remove (RelaySecretKeyStore *self, const char *ref)
{
  g_mutex_lock (&self->lock);
  g_hash_table_remove (self->cache, ref);
  g_mutex_unlock (&self->lock);
}

static void
cache_insert (RelaySecretKeyStore *self, const char *ref, const char *key)
{
  g_mutex_lock (&self->lock);
  g_hash_table_insert (self->cache, g_strdup (ref), g_strdup (key));
  g_mutex_unlock (&self->lock);
}

/* A copy of the key of @ref held in memory, or NULL. */
static char *
cache_dup (RelaySecretKeyStore *self, const char *ref)
{
  char *key;

  g_mutex_lock (&self->lock);
  key = g_strdup (g_hash_table_lookup (self->cache, ref));
  g_mutex_unlock (&self->lock);
  return key;
}

static void
drop_legacy (RelaySecretKeyStore *self, const char *ref)
{
  g_autoptr(GError) error = NULL;

  if (self->legacy != NULL && !relay_key_store_remove (self->legacy, ref, &error))
    g_warning ("An API key stays in the old key file as well: %s", error->message);
}

static gboolean
secret_store (RelayKeyStore  *store,
              const char     *ref,
              const char     *name,
              const char     *key,
              GError        **error)
{
  RelaySecretKeyStore *self = RELAY_SECRET_KEY_STORE (store);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *label = NULL;
  char *back;
  gboolean kept;

  if (name != NULL)
    label = g_strdup_printf (_("SMM Relay API key for provider “%s”"), name);
  else
    label = g_strdup (_("SMM Relay API key"));
  cache_remove (self, ref);
  if (!secret_password_store_sync (get_schema (), SECRET_COLLECTION_DEFAULT, label, key,
                                   NULL, &local_error, "key-ref", ref, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("The system keyring did not store the API key: %s"),
                   local_error->message);
      return FALSE;
    }
  /* Stored is what the keyring gives back, read from the keyring alone (never
   * from the old file): only then may a key leave the file. */
  back = secret_password_lookup_sync (get_schema (), NULL, NULL, "key-ref", ref, NULL);
  kept = back != NULL && strcmp (back, key) == 0;
  if (back != NULL)
    secret_password_free (back);
  if (!kept)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("The system keyring did not give back the API key it was given"));
      return FALSE;
    }
  cache_insert (self, ref, key);
  drop_legacy (self, ref);
  return TRUE;
}

static char *
secret_lookup (RelayKeyStore *store, const char *ref, GError **error)
{
  RelaySecretKeyStore *self = RELAY_SECRET_KEY_STORE (store);
  g_autoptr(GError) local_error = NULL;
  char *secret;
  char *key = cache_dup (self, ref);

  if (key != NULL)
    return key;
  secret = secret_password_lookup_sync (get_schema (), NULL, &local_error, "key-ref", ref, NULL);
  if (secret == NULL && local_error != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not read the API key from the system keyring: %s"),
                   local_error->message);
      return NULL;
    }
  if (secret != NULL)
    {
      key = g_strdup (secret);
      secret_password_free (secret);
    }
  else if (self->legacy != NULL)
    {
      /* Not moved yet (a key of another order book, or a move that failed):
       * still usable from the file. */
      key = relay_key_store_lookup (self->legacy, ref, error);
      if (key == NULL)
        return NULL;
    }
  else
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("No API key is stored for this provider; set it again"));
      return NULL;
    }
  cache_insert (self, ref, key);
  return key;
}

/* Only a key read before comes without asking the keyring. */
static gboolean
secret_lookup_now (RelayKeyStore *store, const char *ref, char **out_key, GError **error)
{
  *out_key = cache_dup (RELAY_SECRET_KEY_STORE (store), ref);
  return *out_key != NULL;
}

static gboolean
secret_remove (RelayKeyStore *store, const char *ref, GError **error)
{
  RelaySecretKeyStore *self = RELAY_SECRET_KEY_STORE (store);
  g_autoptr(GError) local_error = NULL;

  cache_remove (self, ref);
  secret_password_clear_sync (get_schema (), NULL, &local_error, "key-ref", ref, NULL);
  if (local_error != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not remove the API key from the system keyring: %s"),
                   local_error->message);
      return FALSE;
    }
  if (self->legacy != NULL)
    return relay_key_store_remove (self->legacy, ref, error);
  return TRUE;
}

static const char *
secret_get_kind (RelayKeyStore *store)
{
  return "keyring";
}

static char *
secret_dup_description (RelayKeyStore *store)
{
  /* TRANSLATORS: where the API keys are */
  return g_strdup (_("system keyring"));
}

static void
key_store_iface_init (RelayKeyStoreInterface *iface)
{
  iface->store = secret_store;
  iface->lookup = secret_lookup;
  iface->remove = secret_remove;
  iface->get_kind = secret_get_kind;
  iface->dup_description = secret_dup_description;
  iface->lookup_now = secret_lookup_now;
}

static void
relay_secret_key_store_finalize (GObject *object)
{
  RelaySecretKeyStore *self = RELAY_SECRET_KEY_STORE (object);

  g_clear_pointer (&self->cache, g_hash_table_unref);
  g_mutex_clear (&self->lock);
  g_clear_object (&self->legacy);
  g_clear_object (&self->service);
  G_OBJECT_CLASS (relay_secret_key_store_parent_class)->finalize (object);
}

static void
relay_secret_key_store_class_init (RelaySecretKeyStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = relay_secret_key_store_finalize;
}

static void
relay_secret_key_store_init (RelaySecretKeyStore *self)
{
  self->cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, key_free);
  g_mutex_init (&self->lock);
}

/* ---- is there a keyring we may use? ---- */

/* GLib would "autolaunch" a bus (and with it a keyring daemon) when there is
 * none; a session that has a bus says so in one of these two places. */
static gboolean
have_session_bus (void)
{
  const char *address = g_getenv ("DBUS_SESSION_BUS_ADDRESS");
  const char *runtime = g_getenv ("XDG_RUNTIME_DIR");
  g_autofree char *socket = NULL;

  if (address != NULL && *address != '\0')
    return TRUE;
  if (runtime == NULL || *runtime == '\0')
    return FALSE;
  socket = g_build_filename (runtime, "bus", NULL);
  return g_file_test (socket, G_FILE_TEST_EXISTS);
}

static GVariant *
probe_call (GDBusConnection     *bus,
            gint64               deadline,
            const char          *path,
            const char          *interface,
            const char          *method,
            GVariant            *parameters,
            const GVariantType  *reply_type,
            GError             **error)
{
  const char *name = g_str_equal (interface, "org.freedesktop.DBus") ? "org.freedesktop.DBus"
                                                                     : SECRETS_NAME;
  gint64 left_ms = (deadline - g_get_monotonic_time ()) / 1000;

  if (left_ms <= 0)
    {
      if (parameters != NULL)
        g_variant_unref (g_variant_ref_sink (parameters));
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "probe time is up");
      return NULL;
    }
  return g_dbus_connection_call_sync (bus, name, path, interface, method, parameters, reply_type,
                                      G_DBUS_CALL_FLAGS_NONE, (int) left_ms, NULL, error);
}

static gboolean
service_on_bus (GDBusConnection *bus, gint64 deadline)
{
  g_autoptr(GVariant) owned = NULL;
  g_autoptr(GVariant) activatable = NULL;
  const char **names = NULL;
  gboolean has_owner = FALSE;
  gboolean found;

  owned = probe_call (bus, deadline, "/org/freedesktop/DBus", "org.freedesktop.DBus", "NameHasOwner",
                      g_variant_new ("(s)", SECRETS_NAME), G_VARIANT_TYPE ("(b)"), NULL);
  if (owned != NULL)
    g_variant_get (owned, "(b)", &has_owner);
  if (has_owner)
    return TRUE;
  /* A service the bus starts on demand (a desktop session's keyring). */
  activatable = probe_call (bus, deadline, "/org/freedesktop/DBus", "org.freedesktop.DBus",
                            "ListActivatableNames", NULL, G_VARIANT_TYPE ("(as)"), NULL);
  if (activatable == NULL)
    return FALSE;
  g_variant_get (activatable, "(^a&s)", &names);
  found = names != NULL && g_strv_contains (names, SECRETS_NAME);
  g_free (names);
  return found;
}

static void
set_probe_error (GError **error, GError *call_error)
{
  if (g_error_matches (call_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, _("the keyring did not answer"));
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("the keyring service failed"));
}

/* Checks that the default collection exists and is unlocked: storing into a
 * locked one would ask for a password in a prompt, which a headless run
 * cannot show and which would hold up the caller. */
static gboolean
default_collection_usable (GDBusConnection *bus, gint64 deadline, GError **error)
{
  g_autoptr(GVariant) alias = NULL;
  g_autoptr(GVariant) locked = NULL;
  g_autoptr(GVariant) value = NULL;
  g_autoptr(GError) call_error = NULL;
  const char *path = NULL;

  alias = probe_call (bus, deadline, SECRETS_PATH, SECRETS_SERVICE, "ReadAlias",
                      g_variant_new ("(s)", "default"), G_VARIANT_TYPE ("(o)"), &call_error);
  if (alias == NULL)
    {
      set_probe_error (error, call_error);
      return FALSE;
    }
  g_variant_get (alias, "(&o)", &path);
  if (g_str_equal (path, "/"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("the keyring has no default collection"));
      return FALSE;
    }
  locked = probe_call (bus, deadline, path, "org.freedesktop.DBus.Properties", "Get",
                       g_variant_new ("(ss)", SECRETS_COLLECTION, "Locked"),
                       G_VARIANT_TYPE ("(v)"), &call_error);
  if (locked == NULL)
    {
      set_probe_error (error, call_error);
      return FALSE;
    }
  g_variant_get (locked, "(v)", &value);
  if (!g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN) || g_variant_get_boolean (value))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, _("the keyring is locked"));
      return FALSE;
    }
  return TRUE;
}

RelayKeyStore *
relay_secret_key_store_new (RelayKeyStore *legacy, GError **error)
{
  g_autoptr(RelaySecretKeyStore) self = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 deadline = g_get_monotonic_time () + PROBE_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;

  g_return_val_if_fail (legacy == NULL || RELAY_IS_KEY_STORE (legacy), NULL);

  if (!have_session_bus ())
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED, _("no session bus"));
      return NULL;
    }
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  if (bus == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED, _("no session bus"));
      return NULL;
    }
  if (!service_on_bus (bus, deadline))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("no keyring service found"));
      return NULL;
    }
  if (!default_collection_usable (bus, deadline, error))
    return NULL;

  self = g_object_new (RELAY_TYPE_SECRET_KEY_STORE, NULL);
  self->service = secret_service_get_sync (SECRET_SERVICE_OPEN_SESSION, NULL, &local_error);
  if (self->service == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("the keyring service failed"));
      return NULL;
    }
  if (legacy != NULL)
    self->legacy = g_object_ref (legacy);
  return RELAY_KEY_STORE (g_steal_pointer (&self));
}
