/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Asking before an action that spends money or cannot be undone (canceling
 * an order): one AdwMessageDialog, skippable with the "confirm-orders"
 * preference.  The Mass order page asks in the page itself (a new window's
 * first frame held its main loop too long) and only reads the preference. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The preference that turns the confirmations off (org schema APP_ID). */
#define RELAY_PAGES_CONFIRM_KEY "confirm-orders"

typedef void (*RelayPagesConfirmFunc) (gpointer user_data);

/* Whether confirmations are asked: the "confirm-orders" key, TRUE when the
 * schema is not installed. */
gboolean relay_pages_confirmations_enabled (void);

/* Asks "@heading" / "@body" in a dialog over @widget's window with the
 * buttons Cancel and @confirm_label (destructive or suggested style); calls
 * @on_confirm (@user_data) when it is chosen, right away when confirmations
 * are off.  @destroy frees @user_data either way.  Returns the dialog (owned
 * by GTK) or NULL when nothing was asked. */
GtkWidget *relay_pages_confirm (GtkWidget             *widget,
                                const char            *heading,
                                const char            *body,
                                const char            *confirm_label,
                                gboolean               destructive,
                                RelayPagesConfirmFunc  on_confirm,
                                gpointer               user_data,
                                GDestroyNotify         destroy);

G_END_DECLS
