/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayCheckDialog: a provider's health check, step by step, with an optional test order. */
#pragma once

#include <adwaita.h>

#include "relay-core.h"

G_BEGIN_DECLS

#define RELAY_TYPE_CHECK_DIALOG (relay_check_dialog_get_type ())
G_DECLARE_FINAL_TYPE (RelayCheckDialog, relay_check_dialog, RELAY, CHECK_DIALOG, AdwWindow)

/* Properties:
 *   running  gboolean  a check is under way
 * A dialog for provider @provider_id (called @provider_name) over @parent;
 * the check starts when it is shown. */
GtkWidget *relay_check_dialog_new         (GtkWindow        *parent,
                                           RelayCore        *core,
                                           gint64            provider_id,
                                           const char       *provider_name);
/* Runs the check again (with the test order when it is switched on). */
void       relay_check_dialog_run         (RelayCheckDialog *self);
gboolean   relay_check_dialog_get_running (RelayCheckDialog *self);
/* The steps of the last check (RelayHealthStep), or NULL. */
GPtrArray *relay_check_dialog_get_steps   (RelayCheckDialog *self);

G_END_DECLS
