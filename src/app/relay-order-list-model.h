/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayOrderListModel: a GListModel of RelayOrderItem over the order book that
 * fetches rows in windows as the view asks for them, so a million orders never
 * mean a million objects.  Filtering and sorting are the store's SQL. */
#pragma once

#include <gio/gio.h>

#include "relay-store.h"
#include "relay-order-item.h"

G_BEGIN_DECLS

/* Rows fetched per window, and how many windows are kept. */
#define RELAY_ORDER_LIST_WINDOW    200
#define RELAY_ORDER_LIST_N_WINDOWS 4

#define RELAY_TYPE_ORDER_LIST_MODEL (relay_order_list_model_get_type ())
G_DECLARE_FINAL_TYPE (RelayOrderListModel, relay_order_list_model, RELAY, ORDER_LIST_MODEL, GObject)

/* A model of every order, newest first.  It follows @store's ::orders-changed:
 * when the number of rows stays the same, the items update in place (property
 * notifications only, so selection and scrolling stay); otherwise it emits
 * ::items-changed for the smallest range it can tell. */
RelayOrderListModel *relay_order_list_model_new           (RelayStore *store);
RelayStore          *relay_order_list_model_get_store     (RelayOrderListModel *self);

/* Replaces the query (filter, client, provider, search, sort): the new rows
 * replace the old ones (see relay_order_list_model_get_replacing()).  When
 * the store cannot count them at once (a search, a client, a provider), the
 * list holds the first window (and one row more when there are more) until
 * they are counted off the main loop; then the rest are added (::counted
 * turns TRUE).  @query->search is copied. */
void                 relay_order_list_model_set_query     (RelayOrderListModel   *self,
                                                           const RelayOrderQuery *query);
/* The current query; borrowed, valid until the next set_query. */
const RelayOrderQuery *relay_order_list_model_get_query   (RelayOrderListModel *self);

void                 relay_order_list_model_set_filter    (RelayOrderListModel *self,
                                                           RelayOrderFilter     filter);
void                 relay_order_list_model_set_client_id (RelayOrderListModel *self,
                                                           gint64               client_id);
void                 relay_order_list_model_set_provider_id (RelayOrderListModel *self,
                                                             gint64               provider_id);
/* @search NULL or "" = any. */
void                 relay_order_list_model_set_search    (RelayOrderListModel *self,
                                                           const char          *search);
void                 relay_order_list_model_set_sort      (RelayOrderListModel *self,
                                                           RelayOrderSort       sort,
                                                           gboolean             ascending);

/* Re-reads the count and the cached windows as if ::orders-changed had fired. */
void                 relay_order_list_model_reload        (RelayOrderListModel *self);
/* While @held (no view shows the list: the orders page is hidden), a change
 * of the book is only noted, no ::items-changed (a hidden table would rebuild
 * its rows for each); released, the model catches up once, as reload(). */
void                 relay_order_list_model_set_held      (RelayOrderListModel *self,
                                                           gboolean             held);
gboolean             relay_order_list_model_get_held      (RelayOrderListModel *self);
/* Recomputes the "updated N min ago" texts of the live items. */
void                 relay_order_list_model_refresh_times (RelayOrderListModel *self);

/* The live item of order @id (held by the model's cache or by a view), or NULL.
 * Borrowed. */
RelayOrderItem      *relay_order_list_model_find_item     (RelayOrderListModel *self,
                                                           gint64               id);
/* TRUE while a new query's rows are announced above the old ones (the first
 * of set_query's two ::items-changed: (0, 0, new), then (new, old, 0)).  A
 * view that shows its first row then reuses the old rows' widgets. */
gboolean             relay_order_list_model_get_replacing (RelayOrderListModel *self);
/* FALSE while the rows after the first window are being counted: the list
 * then holds only those read so far.  Notifies "counted". */
gboolean             relay_order_list_model_get_counted   (RelayOrderListModel *self);
/* Diagnostics for tests and benches: items alive, windows cached. */
guint                relay_order_list_model_get_n_live_items (RelayOrderListModel *self);
guint                relay_order_list_model_get_n_windows    (RelayOrderListModel *self);

G_END_DECLS
