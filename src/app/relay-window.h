/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayWindow: the main window — a header bar with the refresh state, a
 * sidebar of pages and a place for transient messages.
 *
 * Adding a page: replace its placeholder GtkLabel in relay-window.ui with your
 * widget (the GtkStackPage and its name stay).  If the widget has a "core"
 * property (RelayCore), the window sets it when it is built. */
#pragma once

#include <gtk/gtk.h>

#include "relay-application.h"
#include "relay-orders-page.h"

G_BEGIN_DECLS

#define RELAY_TYPE_WINDOW (relay_window_get_type ())
G_DECLARE_FINAL_TYPE (RelayWindow, relay_window, RELAY, WINDOW, GtkApplicationWindow)

RelayWindow     *relay_window_new             (RelayApplication *application);
/* Shows @message over the bottom of the window for a few seconds. */
void             relay_window_show_message    (RelayWindow      *self,
                                               const char       *message);
void             relay_window_hide_message    (RelayWindow      *self);
/* The message shown now, or NULL. */
const char      *relay_window_get_message     (RelayWindow      *self);
/* "orders", "new-order", "mass-order", "services", "providers", "clients",
 * "reports". */
void             relay_window_show_page       (RelayWindow      *self,
                                               const char       *name);
GtkStack        *relay_window_get_stack       (RelayWindow      *self);
RelayOrdersPage *relay_window_get_orders_page (RelayWindow      *self);
/* Whether the window is minimized (the refresh pauses then). */
gboolean         relay_window_get_minimized   (RelayWindow      *self);
/* Keeps the size, maximized state and page in GSettings. */
void             relay_window_save_state      (RelayWindow      *self);

G_END_DECLS
