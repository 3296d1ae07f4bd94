/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayOrderListModel over a book of 100,000 orders: counts, random access,
 * a bounded number of live items, in-place updates, minimal changes and windows
 * found from their neighbours. */
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "gui-test-util.h"
#include "relay-order-list-model.h"

#define N_ORDERS 100000

typedef struct
{
  char                *dir;
  RelayStore          *store;
  RelayOrderListModel *model;
  guint                n_changes;
  guint                last_position;
  guint                last_removed;
  guint                last_added;
} Fixture;

/* One book for all tests: filling it is the slow part. */
static char *shared_dir;
static RelayStore *shared_store;
static gint64 client_id;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Fixture    *fixture)
{
  fixture->n_changes++;
  fixture->last_position = position;
  fixture->last_removed = removed;
  fixture->last_added = added;
}

/* Order @i for Alice, linking to @data (a format of one %u) with @i. */
static char *
fill_order (guint            i,
            RelayOrderDraft *draft,
            gpointer         data)
{
  draft->client_id = client_id;
  draft->quantity = 1000 + (i % 50) * 100;
  return g_strdup_printf (data, i);
}

static GArray *
insert_orders (guint       n,
               const char *link_format)
{
  return gt_book_add_orders (shared_store, n, fill_order, (gpointer) link_format);
}

static void
fill_book (void)
{
  g_autoptr(GArray) ids = NULL;
  gint64 started;

  shared_dir = gt_make_dir ("smm-relay-model-XXXXXX");
  shared_store = gt_book_open (shared_dir);
  client_id = gt_book_add_catalog (shared_store);

  started = g_get_monotonic_time ();
  ids = insert_orders (N_ORDERS, "https://www.instagram.com/p/post%u/");
  g_test_message ("%d orders recorded in %.2f s", N_ORDERS,
                  (g_get_monotonic_time () - started) / 1e6);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->store = g_object_ref (shared_store);
  fixture->model = relay_order_list_model_new (fixture->store);
  g_signal_connect (fixture->model, "items-changed", G_CALLBACK (on_items_changed), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->model);
  g_clear_object (&fixture->store);
}

static gint64
count_all (Fixture *fixture)
{
  RelayOrderQuery query = { 0 };

  return relay_store_count_orders (fixture->store, &query, NULL);
}

static void
test_count (Fixture       *fixture,
            gconstpointer  data)
{
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->model)), ==,
                    count_all (fixture));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->model)), >=, N_ORDERS);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (fixture->model)) == RELAY_TYPE_ORDER_ITEM);
  /* Nothing fetched yet. */
  g_assert_cmpuint (relay_order_list_model_get_n_live_items (fixture->model), ==, 0);
}

static void
test_random_access (Fixture       *fixture,
                    gconstpointer  data)
{
  RelayOrderQuery query = { 0 };
  guint n = g_list_model_get_n_items (G_LIST_MODEL (fixture->model));
  GRand *rand = g_rand_new_with_seed (42);
  gint64 started = g_get_monotonic_time ();

  for (guint i = 0; i < 300; i++)
    {
      guint position = i == 0 ? 0 : i == 1 ? n - 1 : (guint) g_rand_int_range (rand, 0, (gint32) n);
      g_autoptr(RelayOrderItem) item = g_list_model_get_item (G_LIST_MODEL (fixture->model), position);
      g_autoptr(GPtrArray) rows = relay_store_list_orders (fixture->store, &query, position, 1, NULL);

      g_assert_nonnull (item);
      g_assert_cmpuint (rows->len, ==, 1);
      g_assert_cmpint (relay_order_item_get_id (item), ==,
                       ((RelayOrderRow *) g_ptr_array_index (rows, 0))->id);
    }
  g_test_message ("300 random reads in %.1f ms",
                  (g_get_monotonic_time () - started) / 1e3);

  /* Out of range. */
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (fixture->model), n));

  /* A few windows, never the whole book. */
  g_assert_cmpuint (relay_order_list_model_get_n_windows (fixture->model), <=,
                    RELAY_ORDER_LIST_N_WINDOWS);
  g_assert_cmpuint (relay_order_list_model_get_n_live_items (fixture->model), <=,
                    RELAY_ORDER_LIST_N_WINDOWS * RELAY_ORDER_LIST_WINDOW);
  g_assert_cmpuint (relay_order_list_model_get_n_live_items (fixture->model), >, 0);
  g_rand_free (rand);
}

static void
test_sequential_scroll (Fixture       *fixture,
                        gconstpointer  data)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (fixture->model));
  gint64 previous = G_MAXINT64;

  /* Newest first: ids fall as positions rise. */
  for (guint position = 0; position < MIN (n, 5000); position++)
    {
      g_autoptr(RelayOrderItem) item = g_list_model_get_item (G_LIST_MODEL (fixture->model), position);

      g_assert_cmpint (relay_order_item_get_id (item), <, previous);
      previous = relay_order_item_get_id (item);
    }
  g_assert_cmpuint (relay_order_list_model_get_n_live_items (fixture->model), <=,
                    RELAY_ORDER_LIST_N_WINDOWS * RELAY_ORDER_LIST_WINDOW);
}

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           guint      *n_notify)
{
  (*n_notify)++;
}

static void
test_in_place_update (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(RelayOrderItem) item = g_list_model_get_item (G_LIST_MODEL (fixture->model), 5);
  g_autoptr(RelayOrderItem) again = NULL;
  g_autoptr(GError) error = NULL;
  guint n_before = g_list_model_get_n_items (G_LIST_MODEL (fixture->model));
  guint n_notify = 0;
  guint status = 0;
  gint64 id = relay_order_item_get_id (item);

  g_assert_cmpuint (relay_order_item_get_status (item), ==, RELAY_ORDER_QUEUED);
  g_signal_connect (item, "notify", G_CALLBACK (on_notify), &n_notify);

  relay_store_mark_failed (fixture->store, id, "Service is disabled", "test", &error);
  g_assert_no_error (error);

  /* Same count: no items-changed, the very same object updated in place. */
  g_assert_cmpuint (fixture->n_changes, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->model)), ==, n_before);
  g_assert_cmpuint (n_notify, >, 0);
  g_object_get (item, "status", &status, NULL);
  g_assert_cmpuint (status, ==, RELAY_ORDER_FAILED);
  again = g_list_model_get_item (G_LIST_MODEL (fixture->model), 5);
  g_assert_true (again == item);

  /* An item no longer in the cache but still alive (held by a "view") is
   * updated too. */
  g_signal_handlers_disconnect_by_func (item, on_notify, &n_notify);
}

static void
test_filter_and_search (Fixture       *fixture,
                        gconstpointer  data)
{
  RelayOrderQuery failed = { .filter = RELAY_ORDER_FILTER_FAILED };
  RelayOrderQuery search = { .search = "post777/" };
  gint64 n_failed = relay_store_count_orders (fixture->store, &failed, NULL);

  relay_order_list_model_set_filter (fixture->model, RELAY_ORDER_FILTER_FAILED);
  /* Another query is two changes: the old rows go, then the new come. */
  g_assert_cmpuint (fixture->n_changes, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->model)), ==, n_failed);

  relay_order_list_model_set_filter (fixture->model, RELAY_ORDER_FILTER_ALL);
  relay_order_list_model_set_search (fixture->model, "post777/");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->model)), ==,
                    relay_store_count_orders (fixture->store, &search, NULL));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->model)), ==, 1);
  g_assert_cmpuint (fixture->n_changes, ==, 6);

  relay_order_list_model_set_search (fixture->model, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->model)), ==,
                    count_all (fixture));
}

static void
test_sort (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(RelayOrderItem) first = NULL;
  g_autoptr(RelayOrderItem) second = NULL;

  relay_order_list_model_set_sort (fixture->model, RELAY_ORDER_SORT_ID, TRUE);
  g_assert_cmpuint (fixture->n_changes, ==, 2);
  first = g_list_model_get_item (G_LIST_MODEL (fixture->model), 0);
  second = g_list_model_get_item (G_LIST_MODEL (fixture->model), 1);
  g_assert_cmpint (relay_order_item_get_id (first), <, relay_order_item_get_id (second));
  g_clear_object (&first);
  g_clear_object (&second);

  relay_order_list_model_set_sort (fixture->model, RELAY_ORDER_SORT_QUANTITY, FALSE);
  first = g_list_model_get_item (G_LIST_MODEL (fixture->model), 0);
  second = g_list_model_get_item (G_LIST_MODEL (fixture->model), 1);
  g_assert_cmpint (g_list_model_get_n_items (G_LIST_MODEL (fixture->model)), ==, count_all (fixture));
  {
    gint64 q1 = 0, q2 = 0;

    g_object_get (first, "quantity", &q1, NULL);
    g_object_get (second, "quantity", &q2, NULL);
    g_assert_cmpint (q1, >=, q2);
  }
}

static void
test_insert_at_top (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(RelayOrderItem) top = g_list_model_get_item (G_LIST_MODEL (fixture->model), 0);
  g_autoptr(RelayOrderItem) moved = NULL;
  g_autoptr(RelayOrderItem) newest = NULL;
  g_autoptr(GArray) ids = NULL;
  guint n_before = g_list_model_get_n_items (G_LIST_MODEL (fixture->model));

  ids = insert_orders (3, "https://www.instagram.com/p/fresh%u/");

  /* Newest first: three rows added at the top, nothing else. */
  g_assert_cmpuint (fixture->n_changes, ==, 1);
  g_assert_cmpuint (fixture->last_position, ==, 0);
  g_assert_cmpuint (fixture->last_removed, ==, 0);
  g_assert_cmpuint (fixture->last_added, ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->model)), ==, n_before + 3);

  moved = g_list_model_get_item (G_LIST_MODEL (fixture->model), 3);
  g_assert_true (moved == top);
  newest = g_list_model_get_item (G_LIST_MODEL (fixture->model), 0);
  g_assert_cmpint (relay_order_item_get_id (newest), ==, g_array_index (ids, gint64, 2));
}

static void
test_items_released (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(RelayOrderItem) held = g_list_model_get_item (G_LIST_MODEL (fixture->model), 0);
  GWeakRef weak;

  g_weak_ref_init (&weak, held);
  /* A new query drops the cache; an item a view still holds stays alive and
   * known, and the model forgets it once the view lets go. */
  relay_order_list_model_set_filter (fixture->model, RELAY_ORDER_FILTER_COMPLETED);
  g_assert_true (relay_order_list_model_find_item (fixture->model,
                                                   relay_order_item_get_id (held)) == held);
  g_clear_object (&held);
  g_assert_null (g_weak_ref_get (&weak));
  g_weak_ref_clear (&weak);
  g_assert_cmpuint (relay_order_list_model_get_n_live_items (fixture->model), ==, 0);
}

static gint64
row_id_at (GPtrArray *rows,
           guint      i)
{
  return ((RelayOrderRow *) g_ptr_array_index (rows, i))->id;
}

static int
on_profile (unsigned int  type,
            void         *data,
            void         *stmt,
            void         *x)
{
  guint64 *n_steps = data;
  const char *sql = sqlite3_sql (stmt);

  /* Rows stepped through by scans, this run only (the store keeps its
   * statements prepared).  OFFSET steps through every row it skips. */
  if (sql != NULL && strstr (sql, "orders o") != NULL)
    *n_steps += (guint64) sqlite3_stmt_status (stmt, SQLITE_STMTSTATUS_FULLSCAN_STEP, 1);
  return 0;
}

/* Scrolled to the middle of the book, each further window is found from
 * its cached neighbour (and the bottom from the bottom), not by walking
 * OFFSET rows from the top: scrolling on through ten windows and jumping
 * to the last row steps through fewer rows than one window at the middle
 * through OFFSET. */
static void
test_scroll_middle_cost (Fixture       *fixture,
                         gconstpointer  data)
{
  RelayOrderQuery query = { 0 };
  guint n = g_list_model_get_n_items (G_LIST_MODEL (fixture->model));
  guint middle = n / 2;
  sqlite3 *db = relay_store_get_db (fixture->store);
  g_autoptr(RelayOrderItem) first = NULL;
  g_autoptr(RelayOrderItem) last = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GArray) ids = NULL;
  guint64 n_steps = 0;
  guint64 one_walk;

  sqlite3_trace_v2 (db, SQLITE_TRACE_PROFILE, on_profile, &n_steps);
  for (sqlite3_stmt *stmt = sqlite3_next_stmt (db, NULL); stmt != NULL; stmt = sqlite3_next_stmt (db, stmt))
    sqlite3_stmt_status (stmt, SQLITE_STMTSTATUS_FULLSCAN_STEP, 1);
  first = g_list_model_get_item (G_LIST_MODEL (fixture->model), middle);
  g_assert_nonnull (first);

  /* What one window at the middle costs through OFFSET. */
  n_steps = 0;
  rows = relay_store_list_orders (fixture->store, &query, middle + RELAY_ORDER_LIST_WINDOW,
                                  RELAY_ORDER_LIST_WINDOW, NULL);
  one_walk = n_steps;
  g_assert_cmpuint (rows->len, ==, RELAY_ORDER_LIST_WINDOW);

  n_steps = 0;
  ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint position = middle; position < middle + 10 * RELAY_ORDER_LIST_WINDOW; position++)
    {
      g_autoptr(RelayOrderItem) item = g_list_model_get_item (G_LIST_MODEL (fixture->model), position);
      gint64 id = relay_order_item_get_id (item);

      g_array_append_val (ids, id);
    }
  last = g_list_model_get_item (G_LIST_MODEL (fixture->model), n - 1);
  g_test_message ("one OFFSET window at the middle: %" G_GUINT64_FORMAT " rows stepped; ten"
                  " windows on and the last row: %" G_GUINT64_FORMAT, one_walk, n_steps);
  g_assert_cmpuint (n_steps, <, one_walk);
  sqlite3_trace_v2 (db, 0, NULL, NULL);

  /* And they are the right rows. */
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = relay_store_list_orders (fixture->store, &query, middle, ids->len, NULL);
  g_assert_cmpuint (rows->len, ==, ids->len);
  for (guint i = 0; i < ids->len; i++)
    g_assert_cmpint (g_array_index (ids, gint64, i), ==, row_id_at (rows, i));
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = relay_store_list_orders (fixture->store, &query, n - 1, 1, NULL);
  g_assert_cmpint (relay_order_item_get_id (last), ==, row_id_at (rows, 0));
  sqlite3_trace_v2 (db, 0, NULL, NULL);
}

/* Scrolled to three quarters of the book, a change that keeps the count
 * (an order fails) re-reads the cached windows: as one stretch, from the
 * nearer end (the bottom), which steps through fewer rows than one window
 * there through OFFSET from the top; the rows stay right. */
static void
test_change_while_scrolled_cost (Fixture       *fixture,
                                 gconstpointer  data)
{
  RelayOrderQuery query = { 0 };
  guint n = g_list_model_get_n_items (G_LIST_MODEL (fixture->model));
  guint from = n / 4 * 3 - n / 4 * 3 % RELAY_ORDER_LIST_WINDOW;
  guint to = from + RELAY_ORDER_LIST_N_WINDOWS * RELAY_ORDER_LIST_WINDOW;
  sqlite3 *db = relay_store_get_db (fixture->store);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  guint64 n_steps = 0;
  guint64 one_walk;
  gint64 failed_id;

  for (guint position = from; position < to; position++)
    g_object_unref (g_list_model_get_item (G_LIST_MODEL (fixture->model), position));
  g_assert_cmpuint (relay_order_list_model_get_n_windows (fixture->model), ==,
                    RELAY_ORDER_LIST_N_WINDOWS);

  sqlite3_trace_v2 (db, SQLITE_TRACE_PROFILE, on_profile, &n_steps);
  for (sqlite3_stmt *stmt = sqlite3_next_stmt (db, NULL); stmt != NULL; stmt = sqlite3_next_stmt (db, stmt))
    sqlite3_stmt_status (stmt, SQLITE_STMTSTATUS_FULLSCAN_STEP, 1);
  rows = relay_store_list_orders (fixture->store, &query, from, RELAY_ORDER_LIST_WINDOW, NULL);
  one_walk = n_steps;
  failed_id = row_id_at (rows, 7);

  n_steps = 0;
  relay_store_mark_failed (fixture->store, failed_id, "Service is disabled", "test", &error);
  g_assert_no_error (error);
  g_test_message ("one OFFSET window at %u: %" G_GUINT64_FORMAT " rows stepped; the change"
                  " re-read %u windows in %" G_GUINT64_FORMAT, from, one_walk,
                  RELAY_ORDER_LIST_N_WINDOWS, n_steps);
  g_assert_cmpuint (n_steps, <, one_walk);
  g_assert_cmpuint (fixture->n_changes, ==, 0);
  sqlite3_trace_v2 (db, 0, NULL, NULL);

  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = relay_store_list_orders (fixture->store, &query, from, to - from, NULL);
  for (guint position = from; position < to; position++)
    {
      g_autoptr(RelayOrderItem) item = g_list_model_get_item (G_LIST_MODEL (fixture->model), position);

      g_assert_cmpint (relay_order_item_get_id (item), ==, row_id_at (rows, position - from));
      if (relay_order_item_get_id (item) == failed_id)
        g_assert_cmpuint (relay_order_item_get_status (item), ==, RELAY_ORDER_FAILED);
    }
}

int
main (int   argc,
      char *argv[])
{
  int result;

  g_test_init (&argc, &argv, NULL);
  fill_book ();

#define ADD(name, func) \
  g_test_add ("/order-list-model/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("count", test_count);
  ADD ("random-access", test_random_access);
  ADD ("sequential-scroll", test_sequential_scroll);
  ADD ("in-place-update", test_in_place_update);
  ADD ("filter-and-search", test_filter_and_search);
  ADD ("sort", test_sort);
  ADD ("insert-at-top", test_insert_at_top);
  ADD ("items-released", test_items_released);
  ADD ("scroll-middle-cost", test_scroll_middle_cost);
  ADD ("change-while-scrolled-cost", test_change_while_scrolled_cost);
#undef ADD

  result = g_test_run ();
  g_clear_object (&shared_store);
  gt_clear_dir (&shared_dir);
  return result;
}
