/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayOrdersPage: the orders table with its filters, search, footer and the
 * details pane of the selected order; or, with no provider yet, the way in. */
#pragma once

#include <adwaita.h>

#include "relay-core.h"
#include "relay-order-list-model.h"
#include "relay-order-columns.h"
#include "relay-order-details.h"

G_BEGIN_DECLS

#define RELAY_TYPE_ORDERS_PAGE (relay_orders_page_get_type ())
G_DECLARE_FINAL_TYPE (RelayOrdersPage, relay_orders_page, RELAY, ORDERS_PAGE, GtkWidget)

/* The page shows @core's book; NULL shows the empty state. */
void                 relay_orders_page_set_core         (RelayOrdersPage  *self,
                                                         RelayCore        *core);
/* Where the table keeps its sort (the window's settings); NULL keeps none. */
void                 relay_orders_page_set_settings     (RelayOrdersPage  *self,
                                                         GSettings        *settings);
RelayCore           *relay_orders_page_get_core         (RelayOrdersPage  *self);
/* "updated 12 s ago", for the footer. */
void                 relay_orders_page_set_updated_text (RelayOrdersPage  *self,
                                                         const char       *text);

/* Drives the toolbar as a user would (tests, actions). */
void                 relay_orders_page_set_filter       (RelayOrdersPage  *self,
                                                         RelayOrderFilter  filter);
void                 relay_orders_page_set_search       (RelayOrdersPage  *self,
                                                         const char       *text);
void                 relay_orders_page_focus_search     (RelayOrdersPage  *self);
/* Selects the row at @position and shows it in the details pane. */
void                 relay_orders_page_select_position  (RelayOrdersPage  *self,
                                                         guint             position);
/* Clears the filters, searches for order @id and selects it. */
void                 relay_orders_page_show_order       (RelayOrdersPage  *self,
                                                         gint64            id);

/* The "No Orders Match" page with its Clear Filters button, and that button. */
gboolean             relay_orders_page_get_no_match_shown (RelayOrdersPage *self);
void                 relay_orders_page_clear_filters    (RelayOrdersPage  *self);

/* Borrowed; NULL without a core. */
RelayOrderListModel *relay_orders_page_get_model        (RelayOrdersPage  *self);
/* The table's header (its columns; it has no rows), and its rows. */
GtkColumnView       *relay_orders_page_get_column_view  (RelayOrdersPage  *self);
GtkListView         *relay_orders_page_get_list_view    (RelayOrdersPage  *self);
/* Where the header puts each column (what the rows follow). */
RelayOrderColumns   *relay_orders_page_get_columns      (RelayOrdersPage  *self);
RelayOrderDetails   *relay_orders_page_get_details      (RelayOrdersPage  *self);
/* Whether the page is narrow (< 700 px) and shows the key columns only. */
gboolean             relay_orders_page_get_narrow       (RelayOrdersPage  *self);
/* "orders" or "empty". */
const char          *relay_orders_page_get_state        (RelayOrdersPage  *self);

G_END_DECLS
