/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The status refresh: every active order, grouped by provider, up to 100 ids a
 * request (`status` with `orders`), each reply applied in one transaction;
 * then the refills that are not final. */
#pragma once

#include "relay-store.h"
#include "relay-client-pool.h"

G_BEGIN_DECLS

#define RELAY_TYPE_SYNC (relay_sync_get_type ())
G_DECLARE_FINAL_TYPE (RelaySync, relay_sync, RELAY, SYNC, GObject)

typedef struct
{
  gint64           order_id;
  RelayOrderStatus old_status;
  RelayOrderStatus new_status;
} RelayStatusChange;

typedef struct
{
  guint   n_checked;      /* orders asked about */
  guint   n_requests;     /* status requests made */
  guint   n_errors;       /* requests that failed (the provider's last_error says why) */
  guint   n_not_updated;  /* orders left as they were: a reply or id refused, see their error */
  char   *not_updated_reason; /* "order 12: …", the first of them (NULL when none) */
  GArray *changes;        /* RelayStatusChange, orders whose status changed */
  gint64  finished_at;    /* Unix seconds */
} RelaySyncReport;

void relay_sync_report_free (RelaySyncReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaySyncReport, relay_sync_report_free)

/* The sync holds @clients and its order book for as long as it lives. */
RelaySync       *relay_sync_new          (RelayClientPool *clients);
/* One refresh.  A call while one runs joins it (the first caller's
 * @cancellable stops the run). */
void             relay_sync_run_async    (RelaySync *self, GCancellable *cancellable,
                                          GAsyncReadyCallback callback, gpointer user_data);
RelaySyncReport *relay_sync_run_finish   (RelaySync *self, GAsyncResult *result, GError **error);
gboolean         relay_sync_is_running   (RelaySync *self);
/* Stops the run in progress: its status requests are cancelled and it
 * finishes with what it has. */
void             relay_sync_stop         (RelaySync *self);
/* When the last refresh finished (Unix seconds, 0 = never). */
gint64           relay_sync_get_last_run (RelaySync *self);

G_END_DECLS
