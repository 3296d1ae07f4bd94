/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayOrderListModel under a GtkSingleSelection, as the orders table has it:
 * a new query (filter, search, sort) with a row selected reads a few windows
 * of the book, never every row (GTK 4.8 looks for the selected item among
 * the rows a change adds). */
#include "config.h"

#include <gtk/gtk.h>
#include <sqlite3.h>
#include <string.h>

#include "gui-test-util.h"
#include "relay-order-list-model.h"

#define N_ORDERS 20000

typedef struct
{
  char                *dir;
  RelayStore          *store;
  RelayOrderListModel *model;
  GtkSingleSelection  *selection;
  guint                n_statements;
} Fixture;

static int
on_statement (unsigned int  type,
              void         *data,
              void         *p,
              void         *x)
{
  Fixture *fixture = data;
  const char *sql = sqlite3_sql (p);

  /* The model's own reads (FTS5 runs statements of its own inside them). */
  if (sql != NULL && strstr (sql, "orders o") != NULL)
    fixture->n_statements++;
  return 0;
}

/* Every order for Alice (@data), each with a link of its own. */
static char *
fill_order (guint            i,
            RelayOrderDraft *draft,
            gpointer         data)
{
  draft->client_id = *(gint64 *) data;
  draft->quantity = 100 + i % 500;
  return g_strdup_printf ("https://www.instagram.com/p/post%u/", i);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GArray) ids = NULL;
  gint64 client_id;

  fixture->dir = gt_make_dir ("smm-relay-query-XXXXXX");
  fixture->store = gt_book_open (fixture->dir);
  client_id = gt_book_add_catalog (fixture->store);
  ids = gt_book_add_orders (fixture->store, N_ORDERS, fill_order, &client_id);

  fixture->model = relay_order_list_model_new (fixture->store);
  fixture->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (fixture->model)));
  gtk_single_selection_set_autoselect (fixture->selection, FALSE);
  gtk_single_selection_set_can_unselect (fixture->selection, TRUE);
  sqlite3_trace_v2 (relay_store_get_db (fixture->store), SQLITE_TRACE_STMT, on_statement, fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  sqlite3_trace_v2 (relay_store_get_db (fixture->store), 0, NULL, NULL);
  g_clear_object (&fixture->selection);
  g_clear_object (&fixture->model);
  g_clear_object (&fixture->store);
  gt_clear_dir (&fixture->dir);
}

/* Selects a row of the first window, as a click on it does. */
static void
select_row (Fixture *fixture,
            guint    position)
{
  gtk_single_selection_set_selected (fixture->selection, position);
  g_assert_nonnull (gtk_single_selection_get_selected_item (fixture->selection));
  fixture->n_statements = 0;
}

static void
test_filter_with_selection (Fixture       *fixture,
                            gconstpointer  data)
{
  /* Every order of the book is queued: Active shows them all, oldest first
   * here, so that the selected (newest) row is at the far end. */
  relay_order_list_model_set_sort (fixture->model, RELAY_ORDER_SORT_ID, TRUE);
  select_row (fixture, 5);
  relay_order_list_model_set_query (fixture->model, &(RelayOrderQuery) { .filter = RELAY_ORDER_FILTER_ACTIVE });
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->selection)), ==, N_ORDERS);
  g_test_message ("%u statements for a filter change", fixture->n_statements);
  /* A count and at most a window or two; the old model read all
   * N_ORDERS / RELAY_ORDER_LIST_WINDOW windows. */
  g_assert_cmpuint (fixture->n_statements, <=, 4);
  g_assert_cmpuint (relay_order_list_model_get_n_live_items (fixture->model), <=,
                    RELAY_ORDER_LIST_N_WINDOWS * RELAY_ORDER_LIST_WINDOW + 1);
}

static void
test_search_and_sort_with_selection (Fixture       *fixture,
                                     gconstpointer  data)
{
  select_row (fixture, 3);
  relay_order_list_model_set_search (fixture->model, "post1");
  g_test_message ("%u statements for a search", fixture->n_statements);
  g_assert_cmpuint (fixture->n_statements, <=, 4);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->selection)), ==, 11111);

  select_row (fixture, 7);
  relay_order_list_model_set_search (fixture->model, NULL);
  relay_order_list_model_set_sort (fixture->model, RELAY_ORDER_SORT_QUANTITY, TRUE);
  g_test_message ("%u statements for a search cleared and a sort", fixture->n_statements);
  g_assert_cmpuint (fixture->n_statements, <=, 8);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->selection)), ==, N_ORDERS);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/order-list-query/filter-with-selection", Fixture, NULL, fixture_set_up,
              test_filter_with_selection, fixture_tear_down);
  g_test_add ("/order-list-query/search-and-sort-with-selection", Fixture, NULL, fixture_set_up,
              test_search_and_sort_with_selection, fixture_tear_down);
  return g_test_run ();
}
