/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the files of RelayCore share. */
#pragma once

#include "relay-core.h"
#include "relay-client-pool.h"

G_BEGIN_DECLS

/* The core's client pool (its writes: relay_client_pool_write_async()). */
RelayClientPool *relay_core_get_clients (RelayCore *self);
/* Forgets the cached client of @provider_id (its URL or key changed). */
void      relay_core_drop_client     (RelayCore *self, gint64 provider_id);
/* Records the outcome of a call to a provider in its last_error, writing only
 * when it changes. @error NULL = the call worked. */
void      relay_core_note_provider   (RelayCore *self, gint64 provider_id, const GError *error);
/* Stores a catalog a services sync fetched (relay_store_replace_catalog_full():
 * repricing by rule, rate history) and emits ::prices-changed when it
 * recorded rate changes (relay-core-services.c). */
gboolean  relay_core_store_catalog   (RelayCore *self, gint64 provider_id, GPtrArray *services,
                                      GPtrArray **out_changes, GError **error);
/* The same in a worker thread on a connection of its own (the main loop
 * never waits for the write; a ":memory:" book is written in place), then
 * ::catalog-changed and ::prices-changed on the caller's thread.  Not
 * cancellable: a fetched catalog is always stored.  -> the changed
 * RelayCatalogRow*. */
void      relay_core_store_catalog_async  (RelayCore *self, gint64 provider_id, GPtrArray *services,
                                           GAsyncReadyCallback callback, gpointer user_data);
GPtrArray *relay_core_store_catalog_finish (RelayCore *self, GAsyncResult *result, GError **error);
/* A GHashTable from gint64 keys (owned copies) to @value_free values. */
GHashTable *relay_int64_table_new    (GDestroyNotify value_free);
void      relay_int64_table_insert   (GHashTable *table, gint64 key, gpointer value);
gpointer  relay_int64_table_lookup   (GHashTable *table, gint64 key);

/* Reads the book with @read on a worker thread through a connection of its
 * own, so the main loop never waits and the core's store stays in its thread
 * (a private ":memory:" book has no second connection: read in place).
 * @task returns what @read returns (freed with @result_free) or its error. */
typedef gpointer (*RelayCoreReadFunc) (RelayStore *store, gpointer data, GError **error);
void      relay_core_read_in_worker  (RelayCore *self, GTask *task, RelayCoreReadFunc read,
                                      gpointer data, GDestroyNotify data_free,
                                      GDestroyNotify result_free);

G_END_DECLS
