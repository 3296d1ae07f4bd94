/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayClientPicker: chooses the client an order is for, "No client" first. */
#pragma once

#include <gtk/gtk.h>

#include "relay-core.h"

G_BEGIN_DECLS

#define RELAY_TYPE_CLIENT_PICKER (relay_client_picker_get_type ())
G_DECLARE_FINAL_TYPE (RelayClientPicker, relay_client_picker, RELAY, CLIENT_PICKER, GtkWidget)

GtkWidget *relay_client_picker_new           (RelayCore         *core);
RelayCore *relay_client_picker_get_core      (RelayClientPicker *self);
void       relay_client_picker_set_core      (RelayClientPicker *self,
                                              RelayCore         *core);
/* 0 = no client. */
gint64     relay_client_picker_get_client_id (RelayClientPicker *self);
/* Selects @client_id; an id that is not in the list selects "No client". */
void       relay_client_picker_set_client_id (RelayClientPicker *self,
                                              gint64             client_id);

G_END_DECLS
