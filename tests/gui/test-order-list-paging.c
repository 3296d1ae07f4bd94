/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayOrderListModel's windows against a plain SQL oracle: every position of
 * every sort, filter and search combination holds the row a plain ORDER BY
 * puts there, whichever way the windows were found (from the top, from the
 * bottom, or seeking from a cached neighbour), also after the book changed
 * while the list was scrolled. */
#include "config.h"

#include <sqlite3.h>

#include "gui-test-util.h"
#include "relay-order-list-model.h"

/* 15 windows and a short last one. */
#define N_ORDERS (15 * RELAY_ORDER_LIST_WINDOW + 37)

static char *book_dir;
static char *book_path;
static RelayStore *store;
static gint64 alice, bob;

typedef struct
{
  RelayOrderSort sort;
  const char    *oracle;      /* ORDER BY terms, each followed by the direction */
} SortCase;

static const SortCase sorts[] = {
  { RELAY_ORDER_SORT_ID, "id %s" },
  { RELAY_ORDER_SORT_LINK, "link %s, id %s" },
  { RELAY_ORDER_SORT_QUANTITY, "quantity %s, id %s" },
  { RELAY_ORDER_SORT_UPDATED, "updated_at %s, id %s" },
  { RELAY_ORDER_SORT_REMAINS, "remains %s, id %s" },
  { RELAY_ORDER_SORT_CLIENT, "(SELECT name FROM clients c WHERE c.id = client_id) %s, client_id %s, id %s" },
};

typedef struct
{
  RelayOrderFilter filter;
  const char      *oracle;
} FilterCase;

static const FilterCase filters[] = {
  { RELAY_ORDER_FILTER_ALL, "1" },
  { RELAY_ORDER_FILTER_ACTIVE,
    "status IN ('scheduled', 'queued', 'sending', 'pending', 'processing', 'in_progress')" },
  { RELAY_ORDER_FILTER_FAILED, "status = 'failed'" },
};

static const char * const searches[] = { NULL, "post1", "bob" };

static void
exec_sql (const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (relay_store_get_db (store), sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

/* Links share prefixes (post1, post10…) and repeat every 1,000; every third
 * order is Bob's. */
static char *
fill_order (guint            i,
            RelayOrderDraft *draft,
            gpointer         data)
{
  draft->client_id = i % 3 == 0 ? bob : alice;
  draft->quantity = 100 + (i * 7) % 40 * 10;
  return g_strdup_printf ("https://www.instagram.com/p/post%u/", i % 1000);
}

static void
fill_book (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;

  book_dir = gt_make_dir ("smm-relay-paging-XXXXXX");
  book_path = gt_book_path (book_dir);
  store = gt_book_open (book_dir);
  alice = gt_book_add_catalog (store);
  bob = relay_store_add_client (store, "Bob", &error);
  g_assert_no_error (error);
  ids = gt_book_add_orders (store, N_ORDERS, fill_order, NULL);
  /* Statuses of every kind, remains NULL on most rows, times that repeat:
   * the sorts' ties and NULLs. */
  exec_sql ("UPDATE orders SET status = 'completed', remains = 0 WHERE id % 5 = 0;"
            "UPDATE orders SET status = 'in_progress', remains = id % 13 WHERE id % 5 = 1;"
            "UPDATE orders SET status = 'failed' WHERE id % 5 = 2;"
            "UPDATE orders SET updated_at = 1700000000 + id % 11;");
}

/* The ids in the order a plain query of the book gives. */
static GArray *
oracle_ids (const SortCase   *sort,
            gboolean          ascending,
            const FilterCase *filter,
            const char       *search)
{
  const char *direction = ascending ? "ASC" : "DESC";
  g_autofree char *order = g_strdup_printf (sort->oracle, direction, direction, direction);
  g_autofree char *pattern = search != NULL ? g_strdup_printf ("%%%s%%", search) : NULL;
  g_autofree char *sql = NULL;
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  sql = g_strdup_printf ("SELECT id FROM orders WHERE %s AND (?1 IS NULL OR link LIKE ?1"
                         " OR client_id IN (SELECT id FROM clients WHERE name LIKE ?1)"
                         " OR service_id IN (SELECT id FROM services WHERE name LIKE ?1))"
                         " ORDER BY %s", filter->oracle, order);
  g_assert_cmpint (sqlite3_open_v2 (book_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, pattern, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return ids;
}

static void
assert_at (RelayOrderListModel *model,
           GArray              *ids,
           guint                position)
{
  g_autoptr(RelayOrderItem) item = g_list_model_get_item (G_LIST_MODEL (model), position);

  g_assert_nonnull (item);
  if (relay_order_item_get_id (item) != g_array_index (ids, gint64, position))
    g_error ("position %u of %u: order %" G_GINT64_FORMAT ", the oracle says %" G_GINT64_FORMAT,
             position, ids->len, relay_order_item_get_id (item), g_array_index (ids, gint64, position));
}

static gboolean
is_counted (gpointer data)
{
  return relay_order_list_model_get_counted (data);
}

/* A model of @query, its rows counted (a search's are counted on a thread). */
static RelayOrderListModel *
new_model (const RelayOrderQuery *query)
{
  RelayOrderListModel *model = relay_order_list_model_new (store);

  relay_order_list_model_set_query (model, query);
  g_assert_true (gt_wait_until (is_counted, model, 10000));
  return model;
}

/* Every combination, walked three ways on a new model each: down from the
 * top, up from the bottom, and in jumps. */
static void
test_oracle_positions (void)
{
  guint n_cases = 0;

  for (guint s = 0; s < G_N_ELEMENTS (sorts); s++)
    for (guint a = 0; a < 2; a++)
      for (guint f = 0; f < G_N_ELEMENTS (filters); f++)
        for (guint q = 0; q < G_N_ELEMENTS (searches); q++)
          {
            RelayOrderQuery query = { .filter = filters[f].filter, .sort = sorts[s].sort,
                                      .ascending = a == 1, .search = searches[q] };
            g_autoptr(GArray) ids = oracle_ids (&sorts[s], a == 1, &filters[f], searches[q]);
            g_autoptr(RelayOrderListModel) down = new_model (&query);
            g_autoptr(RelayOrderListModel) up = new_model (&query);
            g_autoptr(RelayOrderListModel) jumps = new_model (&query);
            g_autoptr(GRand) rand = g_rand_new_with_seed (s * 100 + a * 10 + f + q * 1000);

            g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (down)), ==, ids->len);
            g_assert_cmpuint (ids->len, >, 0);
            for (guint i = 0; i < ids->len; i++)
              assert_at (down, ids, i);
            for (guint i = ids->len; i > 0; i--)
              assert_at (up, ids, i - 1);
            for (guint i = 0; i < 80; i++)
              {
                guint position = (guint) g_rand_int_range (rand, 0, (gint32) ids->len);

                assert_at (jumps, ids, position);
                /* The windows next to it, both ways. */
                if (position + RELAY_ORDER_LIST_WINDOW < ids->len)
                  assert_at (jumps, ids, position + RELAY_ORDER_LIST_WINDOW);
                if (position >= RELAY_ORDER_LIST_WINDOW)
                  assert_at (jumps, ids, position - RELAY_ORDER_LIST_WINDOW);
              }
            assert_at (jumps, ids, ids->len - 1);
            g_assert_cmpuint (relay_order_list_model_get_n_live_items (jumps), <=,
                              RELAY_ORDER_LIST_N_WINDOWS * RELAY_ORDER_LIST_WINDOW);
            n_cases++;
          }
  g_test_message ("%u combinations checked at every position", n_cases);
}

/* The orders recorded while the list is scrolled. */
static char *
fill_fresh_order (guint            i,
                  RelayOrderDraft *draft,
                  gpointer         data)
{
  draft->client_id = alice;
  draft->quantity = 250;
  return g_strdup ("https://www.instagram.com/p/fresh/");
}

/* Scrolled to the middle (windows cached there), the book changes: new
 * orders at the top, an order that moves in the sort, one that leaves the
 * filter.  Every position still matches the oracle afterwards, walking on
 * from the cached windows. */
static void
test_changes_while_scrolled (void)
{
  static const struct
  {
    guint sort;
    gboolean ascending;
    guint filter;
  } cases[] = {
    { 0, FALSE, 0 },   /* id, newest first: the table's default */
    { 2, TRUE, 0 },    /* quantity */
    { 1, FALSE, 1 },   /* link, active only */
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      const SortCase *sort = &sorts[cases[c].sort];
      const FilterCase *filter = &filters[cases[c].filter];
      RelayOrderQuery query = { .filter = filter->filter, .sort = sort->sort,
                                .ascending = cases[c].ascending };
      g_autoptr(RelayOrderListModel) model = new_model (&query);
      g_autoptr(GArray) before = oracle_ids (sort, cases[c].ascending, filter, NULL);
      g_autoptr(GArray) after = NULL;
      g_autoptr(GArray) added = NULL;
      guint middle = before->len / 2;
      g_autofree char *move = NULL;

      /* Scroll to the middle and a little on, as a view does. */
      for (guint i = middle; i < middle + 3 * RELAY_ORDER_LIST_WINDOW && i < before->len; i++)
        assert_at (model, before, i);

      added = gt_book_add_orders (store, 3, fill_fresh_order, NULL);
      /* Another connection's writes: an order of the middle changes its
       * quantity and another fails; the model hears of them by a reload. */
      move = g_strdup_printf ("UPDATE orders SET quantity = quantity + 7 WHERE id = %" G_GINT64_FORMAT ";"
                              "UPDATE orders SET status = 'failed' WHERE id = %" G_GINT64_FORMAT,
                              g_array_index (before, gint64, middle + 5),
                              g_array_index (before, gint64, middle + 10));
      exec_sql (move);
      relay_order_list_model_reload (model);

      after = oracle_ids (sort, cases[c].ascending, filter, NULL);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, after->len);
      for (guint i = middle; i < after->len; i++)
        assert_at (model, after, i);
      for (guint i = middle; i > 0; i--)
        assert_at (model, after, i - 1);
    }
}

int
main (int   argc,
      char *argv[])
{
  int result;

  g_test_init (&argc, &argv, NULL);
  fill_book ();
  g_test_add_func ("/order-list-paging/oracle-positions", test_oracle_positions);
  g_test_add_func ("/order-list-paging/changes-while-scrolled", test_changes_while_scrolled);
  result = g_test_run ();
  g_clear_object (&store);
  gt_clear_dir (&book_dir);
  g_free (book_path);
  return result;
}
