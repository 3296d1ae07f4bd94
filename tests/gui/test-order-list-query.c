/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayOrderListModel under a GtkSingleSelection, as the orders table has it:
 * a new query (filter, search, sort) with a row selected reads a few windows
 * of the book, never every row (GTK 4.8 looks for the selected item among
 * the rows a change adds). */
#include "config.h"

#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "relay-order-list-model.h"
#include "relay-provider-types.h"
#include "relay-store.h"

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

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) services = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_provider_service_free);
  g_autoptr(GPtrArray) drafts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) links = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(RelayCatalogRow) catalog = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autofree char *path = NULL;
  RelayProviderService *service;
  gint64 provider_id, client_id;

  fixture->dir = g_dir_make_tmp ("smm-relay-query-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "orders.db", NULL);
  fixture->store = relay_store_open (path, &error);
  g_assert_no_error (error);
  provider_id = relay_store_add_provider (fixture->store, "Test panel", "http://127.0.0.1:9/api/v2",
                                          "test-key", &error);
  g_assert_no_error (error);
  service = g_new0 (RelayProviderService, 1);
  service->service_id = g_strdup ("1");
  service->name = g_strdup ("Instagram Likes");
  service->type = g_strdup ("Default");
  service->category = g_strdup ("Instagram");
  service->rate = 500000;
  service->min = 10;
  service->max = 100000;
  g_ptr_array_add (services, service);
  g_assert_true (relay_store_replace_catalog (fixture->store, provider_id, services, NULL, &error));
  catalog = relay_store_find_catalog_service (fixture->store, provider_id, "1", &error);
  g_assert_no_error (error);
  g_assert_true (relay_store_map_service (fixture->store, 1, "Likes", 900000, catalog->id, 0, FALSE, &error));
  client_id = relay_store_add_client (fixture->store, "Alice", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < N_ORDERS; i++)
    {
      RelayOrderDraft *draft = g_new0 (RelayOrderDraft, 1);
      char *link = g_strdup_printf ("https://www.instagram.com/p/post%u/", i);

      g_ptr_array_add (links, link);
      draft->service_id = 1;
      draft->client_id = client_id;
      draft->link = link;
      draft->quantity = 100 + i % 500;
      g_ptr_array_add (drafts, draft);
    }
  ids = relay_store_insert_orders (fixture->store, drafts, "test", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, N_ORDERS);

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
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", fixture->dir);

  sqlite3_trace_v2 (relay_store_get_db (fixture->store), 0, NULL, NULL);
  g_clear_object (&fixture->selection);
  g_clear_object (&fixture->model);
  g_clear_object (&fixture->store);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (fixture->dir);
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
