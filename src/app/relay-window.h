/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayWindow: the main window (AdwApplicationWindow) — a sidebar of pages
 * in an AdwLeaflet that folds below ~560 px (with a back button), a header
 * bar with the page's title and the refresh state, and an AdwToastOverlay.
 *
 * Adding a page: add its GtkStackPage (with a name) to the stack and a row
 * with the same name to the sidebar in relay-window.ui.  If the widget has a
 * "core" property (RelayCore), the window sets it; if it has a "message" or a
 * "toast" signal, the window shows them as toasts (see relay-toast.h).  Pages
 * reach the window through its actions, never through these functions:
 *   win.show-page (s)   win.show-order (x)   win.search   win.show-sidebar */
#pragma once

#include <adwaita.h>

#include "relay-application.h"
#include "relay-orders-page.h"

G_BEGIN_DECLS

#define RELAY_TYPE_WINDOW (relay_window_get_type ())
G_DECLARE_FINAL_TYPE (RelayWindow, relay_window, RELAY, WINDOW, AdwApplicationWindow)

RelayWindow     *relay_window_new             (RelayApplication *application);
/* Shows @toast in the window's toast overlay. */
void             relay_window_add_toast       (RelayWindow      *self,
                                               AdwToast         *toast);
/* A toast saying @message (plain text). */
void             relay_window_show_message    (RelayWindow      *self,
                                               const char       *message);
/* Dismisses every toast. */
void             relay_window_hide_message    (RelayWindow      *self);
/* The text of the newest toast still shown, or NULL. */
const char      *relay_window_get_message     (RelayWindow      *self);
/* How many toasts are shown or waiting. */
guint            relay_window_get_n_toasts    (RelayWindow      *self);
/* Whether the sidebar and the page are folded into one column. */
gboolean         relay_window_get_folded      (RelayWindow      *self);
/* "orders", "new-order", "mass-order", "services", "providers", "clients",
 * "review". */
void             relay_window_show_page       (RelayWindow      *self,
                                               const char       *name);
GtkStack        *relay_window_get_stack       (RelayWindow      *self);
RelayOrdersPage *relay_window_get_orders_page (RelayWindow      *self);
/* Whether the window is minimized (the refresh pauses then). */
gboolean         relay_window_get_minimized   (RelayWindow      *self);
/* Keeps the size, maximized state and page in GSettings. */
void             relay_window_save_state      (RelayWindow      *self);

G_END_DECLS
