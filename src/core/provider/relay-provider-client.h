/* SPDX-License-Identifier: GPL-3.0-or-later */
/* An asynchronous client for one provider's API v2 endpoint (libsoup 3).
 * Every call is POST x-www-form-urlencoded with `key` and `action`; every call
 * has a total timeout and honours its GCancellable; at most max-concurrent
 * requests of one client are on the wire at once, the rest wait in order, up
 * to max-waiting of them (beyond: refused at once, never unbounded memory).
 * Callbacks run in the thread-default main context of the caller.
 * Errors are in RELAY_PROVIDER_ERROR (see relay-error.h for the classes); a
 * request that was cancelled by the caller fails with G_IO_ERROR_CANCELLED —
 * for `add`, a cancel after the body was written is UNKNOWN_OUTCOME instead.
 * The key never appears in a log line or an error message. */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "relay-provider-types.h"

G_BEGIN_DECLS

#define RELAY_PROVIDER_MAX_IDS 100

#define RELAY_TYPE_PROVIDER_CLIENT (relay_provider_client_get_type ())
G_DECLARE_FINAL_TYPE (RelayProviderClient, relay_provider_client, RELAY, PROVIDER_CLIENT, GObject)

/* Refuses (RELAY_PROVIDER_ERROR_CONFIG) a URL that is not https, except for
 * loopback hosts (127.0.0.0/8, ::1, localhost), and one with credentials or a
 * query string. */
gboolean relay_provider_url_check (const char *url, GError **error);

/* @session is shared by all clients of the app.  Returns NULL with an error
 * when @url fails relay_provider_url_check() or @key is empty. */
RelayProviderClient *relay_provider_client_new (SoupSession *session,
                                                const char  *url,
                                                const char  *key,
                                                GError     **error);

const char *relay_provider_client_get_url            (RelayProviderClient *self);
/* Default 4. */
void        relay_provider_client_set_max_concurrent (RelayProviderClient *self, guint n);
/* Requests that may wait behind the max-concurrent ones, default 4096; a
 * request beyond fails at once (from the main loop) with
 * RELAY_PROVIDER_ERROR_NOT_SENT. */
void        relay_provider_client_set_max_waiting    (RelayProviderClient *self, guint n);
guint       relay_provider_client_get_n_waiting      (RelayProviderClient *self);
/* Fails every request still waiting for a slot with G_IO_ERROR_CANCELLED
 * (none of them was sent; their callbacks run from the main loop); those on
 * the wire go on.  Returns how many were waiting. */
guint       relay_provider_client_cancel_waiting     (RelayProviderClient *self);
/* Total time for one request, default 30 s, counted from when the session
 * begins on it (connecting, or sending on a kept-alive connection), not from
 * when it was queued. */
void        relay_provider_client_set_timeout_ms     (RelayProviderClient *self, guint ms);

/* -> GPtrArray of RelayProviderService */
void       relay_provider_client_services_async  (RelayProviderClient *self, GCancellable *cancellable,
                                                  GAsyncReadyCallback callback, gpointer user_data);
GPtrArray *relay_provider_client_services_finish (RelayProviderClient *self, GAsyncResult *result,
                                                  GError **error);

/* -> the provider's order id */
void  relay_provider_client_add_async  (RelayProviderClient *self, const RelayProviderAddRequest *request,
                                        GCancellable *cancellable, GAsyncReadyCallback callback,
                                        gpointer user_data);
char *relay_provider_client_add_finish (RelayProviderClient *self, GAsyncResult *result, GError **error);

void                 relay_provider_client_status_async  (RelayProviderClient *self, const char *order_id,
                                                          GCancellable *cancellable,
                                                          GAsyncReadyCallback callback, gpointer user_data);
RelayProviderStatus *relay_provider_client_status_finish (RelayProviderClient *self, GAsyncResult *result,
                                                          GError **error);

/* @order_ids: 1 to RELAY_PROVIDER_MAX_IDS ids.  -> GHashTable id -> RelayProviderStatus */
void        relay_provider_client_statuses_async  (RelayProviderClient *self, const char * const *order_ids,
                                                   guint n_ids, GCancellable *cancellable,
                                                   GAsyncReadyCallback callback, gpointer user_data);
GHashTable *relay_provider_client_statuses_finish (RelayProviderClient *self, GAsyncResult *result,
                                                   GError **error);

void                  relay_provider_client_balance_async  (RelayProviderClient *self, GCancellable *cancellable,
                                                            GAsyncReadyCallback callback, gpointer user_data);
RelayProviderBalance *relay_provider_client_balance_finish (RelayProviderClient *self, GAsyncResult *result,
                                                            GError **error);

/* One order -> the refill id. */
void  relay_provider_client_refill_async  (RelayProviderClient *self, const char *order_id,
                                           GCancellable *cancellable, GAsyncReadyCallback callback,
                                           gpointer user_data);
char *relay_provider_client_refill_finish (RelayProviderClient *self, GAsyncResult *result, GError **error);

/* Many orders -> GPtrArray of RelayProviderItemResult (result_id = refill id). */
void       relay_provider_client_refills_async  (RelayProviderClient *self, const char * const *order_ids,
                                                 guint n_ids, GCancellable *cancellable,
                                                 GAsyncReadyCallback callback, gpointer user_data);
GPtrArray *relay_provider_client_refills_finish (RelayProviderClient *self, GAsyncResult *result,
                                                 GError **error);

void                       relay_provider_client_refill_status_async  (RelayProviderClient *self,
                                                                       const char *refill_id,
                                                                       GCancellable *cancellable,
                                                                       GAsyncReadyCallback callback,
                                                                       gpointer user_data);
RelayProviderRefillStatus *relay_provider_client_refill_status_finish (RelayProviderClient *self,
                                                                       GAsyncResult *result,
                                                                       GError **error);

/* -> GPtrArray of RelayProviderRefillStatus */
void       relay_provider_client_refill_statuses_async  (RelayProviderClient *self,
                                                         const char * const *refill_ids, guint n_ids,
                                                         GCancellable *cancellable,
                                                         GAsyncReadyCallback callback, gpointer user_data);
GPtrArray *relay_provider_client_refill_statuses_finish (RelayProviderClient *self, GAsyncResult *result,
                                                         GError **error);

/* -> GPtrArray of RelayProviderItemResult (result_id "1" when accepted). */
void       relay_provider_client_cancel_async  (RelayProviderClient *self, const char * const *order_ids,
                                                guint n_ids, GCancellable *cancellable,
                                                GAsyncReadyCallback callback, gpointer user_data);
GPtrArray *relay_provider_client_cancel_finish (RelayProviderClient *self, GAsyncResult *result,
                                                GError **error);

G_END_DECLS
