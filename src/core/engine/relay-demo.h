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

G_END_DECLS
