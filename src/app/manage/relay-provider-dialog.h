/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayProviderDialog: adds a provider, or changes one's name, URL or key (the key is never shown). */
#pragma once

#include <gtk/gtk.h>

#include "relay-core.h"

G_BEGIN_DECLS

#define RELAY_TYPE_PROVIDER_DIALOG (relay_provider_dialog_get_type ())
G_DECLARE_FINAL_TYPE (RelayProviderDialog, relay_provider_dialog, RELAY, PROVIDER_DIALOG, GtkWindow)

/* Signals:
 *   ::saved (gint64 provider_id, gboolean added)  the core took the change; the dialog then closes
 */

/* @provider_id 0 adds a provider; else edits that one.  Modal over @parent. */
RelayProviderDialog *relay_provider_dialog_new             (RelayCore           *core,
                                                            gint64               provider_id,
                                                            GtkWindow           *parent);
gint64               relay_provider_dialog_get_provider_id (RelayProviderDialog *self);

G_END_DECLS
