/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayAnnouncer: the orders a run changed, told to the views
 * (RelayStore::orders-changed) at most once an interval. */
#pragma once

#include "relay-store.h"

G_BEGIN_DECLS

typedef struct _RelayAnnouncer RelayAnnouncer;

RelayAnnouncer *relay_announcer_new   (RelayStore     *store,
                                       guint           interval_ms,
                                       GMainContext   *context);
RelayAnnouncer *relay_announcer_ref   (RelayAnnouncer *self);
void            relay_announcer_unref (RelayAnnouncer *self);
void            relay_announcer_add   (RelayAnnouncer *self,
                                       const GArray   *order_ids,
                                       gboolean        ledger_changed);
void            relay_announcer_flush (RelayAnnouncer *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayAnnouncer, relay_announcer_unref)

G_END_DECLS
