/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "engine-slow-keys.h"

static void key_store_iface_init (RelayKeyStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (EtSlowKeys, et_slow_keys, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (RELAY_TYPE_KEY_STORE, key_store_iface_init))

static void
take_time (EtSlowKeys *self, gint *counter)
{
  g_atomic_int_inc (counter);
  if (g_thread_self () == self->main_thread)
    g_atomic_int_inc (&self->n_on_main_thread);
  g_usleep (self->slow_ms * G_TIME_SPAN_MILLISECOND);
}

static gboolean
slow_store (RelayKeyStore *store, const char *ref, const char *name, const char *key,
            GError **error)
{
  EtSlowKeys *self = ET_SLOW_KEYS (store);

  take_time (self, &self->n_stores);
  return relay_key_store_store_named (self->inner, ref, name, key, error);
}

static char *
slow_lookup (RelayKeyStore *store, const char *ref, GError **error)
{
  EtSlowKeys *self = ET_SLOW_KEYS (store);

  take_time (self, &self->n_lookups);
  return relay_key_store_lookup (self->inner, ref, error);
}

static gboolean
slow_remove (RelayKeyStore *store, const char *ref, GError **error)
{
  EtSlowKeys *self = ET_SLOW_KEYS (store);

  take_time (self, &self->n_removes);
  return relay_key_store_remove (self->inner, ref, error);
}

static const char *
slow_get_kind (RelayKeyStore *store)
{
  return "keyring";
}

static char *
slow_dup_description (RelayKeyStore *store)
{
  return g_strdup ("slow test keyring");
}

static void
key_store_iface_init (RelayKeyStoreInterface *iface)
{
  iface->store = slow_store;
  iface->lookup = slow_lookup;
  iface->remove = slow_remove;
  iface->get_kind = slow_get_kind;
  iface->dup_description = slow_dup_description;
}

static void
et_slow_keys_finalize (GObject *object)
{
  g_clear_object (&ET_SLOW_KEYS (object)->inner);
  G_OBJECT_CLASS (et_slow_keys_parent_class)->finalize (object);
}

static void
et_slow_keys_class_init (EtSlowKeysClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = et_slow_keys_finalize;
}

static void
et_slow_keys_init (EtSlowKeys *self)
{
  self->main_thread = g_thread_self ();
}

EtSlowKeys *
et_slow_keys_new (RelayKeyStore *inner, guint slow_ms)
{
  EtSlowKeys *self = g_object_new (ET_TYPE_SLOW_KEYS, NULL);

  self->inner = inner;
  self->slow_ms = slow_ms;
  return self;
}
