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
  guint                n_plain;     /* of those, reads without the search */
  guint                n_counts;    /* COUNT(*) of the orders on this connection */
  guint64              vm_steps;    /* the model's reads, summed */
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
  if (sql == NULL || strstr (sql, "orders o") == NULL)
    return 0;
  if (type == SQLITE_TRACE_PROFILE)
    {
      fixture->vm_steps += (guint64) sqlite3_stmt_status (p, SQLITE_STMTSTATUS_VM_STEP, 0);
      return 0;
    }
  fixture->n_statements++;
  if (strstr (sql, "LIKE") == NULL)
    fixture->n_plain++;
  if (strstr (sql, "COUNT(*) FROM orders o") != NULL)
    fixture->n_counts++;
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
  sqlite3_trace_v2 (relay_store_get_db (fixture->store), SQLITE_TRACE_STMT | SQLITE_TRACE_PROFILE,
                    on_statement, fixture);
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

static gboolean
is_counted (gpointer data)
{
  return relay_order_list_model_get_counted (data);
}

static void
count_notify (guint *n_notified)
{
  (*n_notified)++;
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
  /* The first window and one row more, then the count (off the main loop). */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->selection)), ==,
                    RELAY_ORDER_LIST_WINDOW + 1);
  g_assert_true (gt_wait_until (is_counted, fixture->model, 10000));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->selection)), ==, 11111);

  select_row (fixture, 7);
  relay_order_list_model_set_search (fixture->model, NULL);
  relay_order_list_model_set_sort (fixture->model, RELAY_ORDER_SORT_QUANTITY, TRUE);
  g_test_message ("%u statements for a search cleared and a sort", fixture->n_statements);
  g_assert_cmpuint (fixture->n_statements, <=, 8);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->selection)), ==, N_ORDERS);
}

/* A search that matches the whole book (a host every link has): its first
 * rows come at once, read by walking from the newest order (not the trigram
 * index, which would hand over every order first), before the orders are
 * counted; the count comes from another connection, off the main loop, and
 * then the list holds every match down to the last. */
static void
test_broad_search_first_rows_then_count (Fixture       *fixture,
                                         gconstpointer  data)
{
  GListModel *model = G_LIST_MODEL (fixture->model);
  g_autoptr(RelayOrderItem) first = NULL;
  g_autoptr(RelayOrderItem) last = NULL;
  guint n_notified = 0;

  g_signal_connect_swapped (fixture->model, "notify::counted", G_CALLBACK (count_notify), &n_notified);
  fixture->n_statements = fixture->vm_steps = 0;
  relay_order_list_model_set_search (fixture->model, "www.instagram.com");
  g_test_message ("broad search: %u statements, %" G_GUINT64_FORMAT " VM steps, %u rows",
                  fixture->n_statements, fixture->vm_steps, g_list_model_get_n_items (model));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, RELAY_ORDER_LIST_WINDOW + 1);
  g_assert_false (relay_order_list_model_get_counted (fixture->model));
  g_assert_cmpuint (fixture->n_counts, ==, 0);
  /* A walk of a few hundred rows; the trigram index read all 20,000 first. */
  g_assert_cmpuint (fixture->vm_steps, <, 100000);
  first = g_list_model_get_item (model, 0);
  g_assert_cmpint (relay_order_item_get_id (first), ==, N_ORDERS);

  g_assert_true (gt_wait_until (is_counted, fixture->model, 10000));
  g_assert_cmpuint (n_notified, >=, 2);
  g_assert_cmpuint (fixture->n_counts, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_ORDERS);
  last = g_list_model_get_item (model, N_ORDERS - 1);
  g_assert_cmpint (relay_order_item_get_id (last), ==, 1);

  /* A newer query before the count: the older count never lands. */
  relay_order_list_model_set_search (fixture->model, "post1");
  relay_order_list_model_set_search (fixture->model, "post777");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 11);
  g_assert_true (relay_order_list_model_get_counted (fixture->model));
  gt_spin (300);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 11);
}

/* Orders recorded while a search shows the whole book: the list follows,
 * counted off the main loop too. */
static char *
fill_fresh_order (guint            i,
                  RelayOrderDraft *draft,
                  gpointer         data)
{
  draft->client_id = 1;
  draft->quantity = 100;
  return g_strdup_printf ("https://www.instagram.com/p/fresh%u/", i);
}

static gboolean
has_n_items (gpointer data)
{
  Fixture *fixture = data;

  return g_list_model_get_n_items (G_LIST_MODEL (fixture->model)) == N_ORDERS + 3 &&
         relay_order_list_model_get_counted (fixture->model);
}

static void
test_book_change_during_broad_search (Fixture       *fixture,
                                      gconstpointer  data)
{
  GListModel *model = G_LIST_MODEL (fixture->model);
  g_autoptr(GArray) added = NULL;
  g_autoptr(RelayOrderItem) first = NULL;

  relay_order_list_model_set_search (fixture->model, "www.instagram.com");
  g_assert_true (gt_wait_until (is_counted, fixture->model, 10000));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_ORDERS);

  fixture->n_counts = 0;
  added = gt_book_add_orders (fixture->store, 3, fill_fresh_order, NULL);
  g_assert_true (gt_wait_until (has_n_items, fixture, 10000));
  g_assert_cmpuint (fixture->n_counts, ==, 0);
  first = g_list_model_get_item (model, 0);
  g_assert_cmpint (relay_order_item_get_id (first), ==, g_array_index (added, gint64, 2));
}

typedef struct
{
  Fixture *fixture;
  guint    old_row;       /* asked for while the new rows come */
  gboolean got_old_row;
} ViewProbe;

/* As a view holding old rows far from the cache: while the new rows are
 * announced above the old ones, it asks for one of its old rows. */
static void
on_replace (GListModel *model,
            guint       position,
            guint       removed,
            guint       added,
            ViewProbe  *probe)
{
  g_autoptr(RelayOrderItem) item = NULL;

  if (!relay_order_list_model_get_replacing (RELAY_ORDER_LIST_MODEL (model)))
    return;
  probe->fixture->n_plain = 0;
  item = g_list_model_get_item (model, added + probe->old_row);
  probe->got_old_row = item != NULL;
}

/* Scrolled to the middle of the book, the user types a search: the old list
 * is never read again (each old row far down cost a walk of OFFSET rows). */
static void
test_search_from_middle_reads_no_old_rows (Fixture       *fixture,
                                           gconstpointer  data)
{
  GListModel *model = G_LIST_MODEL (fixture->model);
  ViewProbe probe = { fixture, N_ORDERS / 2 + 3 * RELAY_ORDER_LIST_WINDOW, FALSE };
  g_autoptr(RelayOrderItem) middle = g_list_model_get_item (model, N_ORDERS / 2);
  gulong handler;

  g_assert_nonnull (middle);
  handler = g_signal_connect (model, "items-changed", G_CALLBACK (on_replace), &probe);
  relay_order_list_model_set_search (fixture->model, "post777");
  g_signal_handler_disconnect (model, handler);
  g_assert_true (probe.got_old_row);
  g_test_message ("%u reads of the old list", fixture->n_plain);
  g_assert_cmpuint (fixture->n_plain, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 11);
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
  g_test_add ("/order-list-query/broad-search-first-rows-then-count", Fixture, NULL, fixture_set_up,
              test_broad_search_first_rows_then_count, fixture_tear_down);
  g_test_add ("/order-list-query/book-change-during-broad-search", Fixture, NULL, fixture_set_up,
              test_book_change_during_broad_search, fixture_tear_down);
  g_test_add ("/order-list-query/search-from-middle-reads-no-old-rows", Fixture, NULL, fixture_set_up,
              test_search_from_middle_reads_no_old_rows, fixture_tear_down);
  return g_test_run ();
}
