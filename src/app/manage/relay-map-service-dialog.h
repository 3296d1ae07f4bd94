/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayMapServiceDialog: maps one of my services to a provider service at my price, with a live margin. */
#pragma once

#include <gtk/gtk.h>

#include "relay-core.h"

G_BEGIN_DECLS

#define RELAY_TYPE_MAP_SERVICE_DIALOG (relay_map_service_dialog_get_type ())
G_DECLARE_FINAL_TYPE (RelayMapServiceDialog, relay_map_service_dialog, RELAY, MAP_SERVICE_DIALOG, GtkWindow)

/* Signals:
 *   ::saved (gint64 service_id)  relay_core_map_service() took it; the dialog then closes
 */

/* A new mapping, modal over @parent. */
RelayMapServiceDialog *relay_map_service_dialog_new         (RelayCore             *core,
                                                             GtkWindow             *parent);
/* Fills the provider, its service, and my name from a catalog row. */
void                   relay_map_service_dialog_set_catalog (RelayMapServiceDialog *self,
                                                             const RelayCatalogRow *row);
/* Edits my existing service @service (its id stays). */
void                   relay_map_service_dialog_set_service (RelayMapServiceDialog *self,
                                                             const RelayServiceRow *service);

G_END_DECLS
