/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The demo: a book wired to the built-in simulator, so a new user sees the
 * whole flow without an account. */
#pragma once

#include "relay-core.h"

G_BEGIN_DECLS

#define RELAY_DEMO_PROVIDER_NAME "Demo provider"
#define RELAY_DEMO_KEY "demo-key"

/* Makes sure @core's book has the demo provider at @sim_url (its port changes
 * between runs), its catalog, a dozen of my services mapped with a margin, three
 * clients, and — when the book has no orders yet — a first batch of orders,
 * which it dispatches.  Idempotent. */
void     relay_demo_prepare_async  (RelayCore *core, const char *sim_url, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data);
gboolean relay_demo_prepare_finish (RelayCore *core, GAsyncResult *result, GError **error);

/* Tops up (adds @amount micro-units to) the balance of the simulator behind
 * provider @provider_id — the built-in demo provider, or any smm-relay-sim on
 * this computer — or, with @set, sets it to @amount, through the simulator's
 * admin endpoint (a payment to a real panel is made on its website).  Then
 * reads the balance again (relay_core_refresh_balance_async()), so orders
 * waiting for funds there go.  RELAY_INPUT_ERROR_INVALID for a provider that
 * is not a simulator on 127.0.0.1; RELAY_PROVIDER_ERROR_NOT_SENT when it does
 * not answer (the demo is not running).  -> the new RelayProviderBalance. */
void                  relay_demo_fund_async  (RelayCore *core, gint64 provider_id, gint64 amount,
                                              gboolean set, GCancellable *cancellable,
                                              GAsyncReadyCallback callback, gpointer user_data);
RelayProviderBalance *relay_demo_fund_finish (RelayCore *core, GAsyncResult *result, GError **error);

G_END_DECLS
