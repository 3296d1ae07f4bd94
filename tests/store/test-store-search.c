/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of schema 5: searches through the trigram index find exactly what the
 * LIKE search found before, the index follows every change of a link, a book
 * of schema 4 gets it filled in, and every sort of the table walks an index
 * (EXPLAIN QUERY PLAN: no temporary b-tree for the window). */
#include <glib/gstdio.h>
#include <string.h>
#include <sqlite3.h>

#include "relay-store.h"
#include "relay-error.h"
#include "relay-money.h"
#include "relay-provider-types.h"

typedef struct
{
  char       *dir;
  char       *path;
  RelayStore *store;
  gint64      provider;
  gint64      clients[4];
} Fixture;

/* The search as it was before schema 5 (commit e95cf66): every condition a
 * LIKE or an equality, the reference the new query must agree with. */
#define OLD_SEARCH \
  "(o.provider_order_id = :search OR o.link LIKE :pattern ESCAPE '\\'" \
  " OR o.client_id IN (SELECT id FROM clients WHERE name LIKE :pattern ESCAPE '\\')" \
  " OR o.service_id IN (SELECT id FROM services WHERE name LIKE :pattern ESCAPE '\\'))"

static const char * const links[] = {
  "https://www.instagram.com/p/post%u/",
  "https://Insta.example/p/ABC_def%u/",
  "https://x.example/100%%_off/%u",
  "https://x.example/O'Brien \"quoted\"/%u",
  "https://de.example/Straße/ÄÖÜ/%u",
  "https://de.example/straße/äöü/%u",
  "https://x.example/back\\slash/%u",
  "t.me/%u",
};

static RelayProviderService *
provider_service (const char *id,
                  const char *name)
{
  RelayProviderService *service = g_new0 (RelayProviderService, 1);

  service->service_id = g_strdup (id);
  service->name = g_strdup (name);
  service->type = g_strdup ("Default");
  service->category = g_strdup ("Test");
  service->rate = 270000;
  service->min = 1;
  service->max = 1000000;
  return service;
}

static void
provider_service_free (RelayProviderService *service)
{
  g_free (service->service_id);
  g_free (service->name);
  g_free (service->type);
  g_free (service->category);
  g_free (service);
}

static void
exec_sql (RelayStore *store,
          const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (relay_store_get_db (store), sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) services = g_ptr_array_new_with_free_func ((GDestroyNotify) provider_service_free);
  g_autoptr(GPtrArray) drafts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) ids = NULL;
  static const char * const client_names[] = { "Acme Ltd", "O'Hara & Co", "100% Club", "Ünïcode Ltd" };
  static const char * const service_names[] = { "Likes_fast", "Views", "Straße Follows" };

  fixture->dir = g_dir_make_tmp ("relay-search-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "orders.db", NULL);
  fixture->store = relay_store_open (fixture->path, &error);
  g_assert_no_error (error);
  fixture->provider = relay_store_add_provider (fixture->store, "P", "https://p.example/api/v2", "ref", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (service_names); i++)
    {
      g_autofree char *id = g_strdup_printf ("%u", 100 + i);

      g_ptr_array_add (services, provider_service (id, service_names[i]));
    }
  g_assert_true (relay_store_replace_catalog (fixture->store, fixture->provider, services, NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (service_names); i++)
    {
      g_autofree char *id = g_strdup_printf ("%u", 100 + i);
      g_autoptr(RelayCatalogRow) row = relay_store_find_catalog_service (fixture->store, fixture->provider,
                                                                         id, &error);

      g_assert_no_error (error);
      g_assert_true (relay_store_map_service (fixture->store, i + 1, service_names[i], 400000, row->id, 0,
                                              FALSE, &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (client_names); i++)
    {
      fixture->clients[i] = relay_store_add_client (fixture->store, client_names[i], &error);
      g_assert_no_error (error);
    }

  for (guint i = 0; i < 400; i++)
    {
      RelayOrderDraft *draft = g_new0 (RelayOrderDraft, 1);
      char *link = g_strdup_printf (links[i % G_N_ELEMENTS (links)], i * 7);

      g_ptr_array_add (texts, link);
      draft->service_id = 1 + i % G_N_ELEMENTS (service_names);
      draft->client_id = i % 5 == 4 ? 0 : fixture->clients[i % 4];
      draft->link = link;
      draft->quantity = 100 + i;
      g_ptr_array_add (drafts, draft);
    }
  ids = relay_store_insert_orders (fixture->store, drafts, "test", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 400);
  /* Provider ids as panels give them: numbers, some looking like our ids. */
  exec_sql (fixture->store, "UPDATE orders SET provider_order_id = CASE WHEN id % 3 = 0 THEN id + 5"
                            " WHEN id % 3 = 1 THEN 'X-' || id END,"
                            " status = CASE id % 4 WHEN 0 THEN 'completed' WHEN 1 THEN 'pending'"
                            " WHEN 2 THEN 'partial' ELSE 'queued' END,"
                            " remains = (id * 31) % quantity, start_count = id % 17,"
                            " updated_at = updated_at + id % 50");
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", fixture->dir);

  g_clear_object (&fixture->store);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (fixture->path);
  g_free (fixture->dir);
}

/* The LIKE pattern of the search before schema 5: the text anywhere, with
 * %, _ and the escape itself taken literally. */
static char *
like_pattern (const char *text)
{
  GString *pattern = g_string_new ("%");

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (pattern, '\\');
      g_string_append_c (pattern, *p);
    }
  g_string_append_c (pattern, '%');
  return g_string_free (pattern, FALSE);
}

/* The ids the search before schema 5 found, newest first. */
static GArray *
old_search_ids (RelayStore *store,
                const char *text)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *search = g_strstrip (g_strdup (text));
  g_autofree char *pattern = like_pattern (search);
  sqlite3_stmt *stmt = NULL;
  guint64 id;
  gboolean numeric = g_ascii_string_to_unsigned (search, 10, 1, G_MAXINT64, &id, NULL);

  g_assert_cmpint (sqlite3_prepare_v2 (relay_store_get_db (store),
                                       numeric ? "SELECT o.id FROM orders o WHERE o.id = :id OR " OLD_SEARCH
                                                 " ORDER BY o.id DESC"
                                               : "SELECT o.id FROM orders o WHERE " OLD_SEARCH
                                                 " ORDER BY o.id DESC",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":search"), search, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":pattern"), pattern, -1, SQLITE_TRANSIENT);
  if (numeric)
    sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":id"), (gint64) id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 found = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, found);
    }
  sqlite3_finalize (stmt);
  return ids;
}

static GArray *
new_search_ids (RelayStore *store,
                const char *text,
                gint64     *out_count)
{
  g_autoptr(GError) error = NULL;
  RelayOrderQuery query = { .search = text };
  g_autoptr(GPtrArray) rows = relay_store_list_orders (store, &query, 0, 100000, &error);
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_assert_no_error (error);
  for (guint i = 0; i < rows->len; i++)
    g_array_append_val (ids, ((RelayOrderRow *) g_ptr_array_index (rows, i))->id);
  *out_count = relay_store_count_orders (store, &query, &error);
  g_assert_no_error (error);
  return ids;
}

static const char * const searches[] = {
  "post7", "post70", "POST", "insta", "abc_", "ABC_DEF", "_def", "100%", "100%_", "%_o", "%", "_",
  "'", "O'B", "\"quoted\"", "\"", "straße", "STRASSE", "Straße/Ä", "ÄÖÜ", "äöü", "Äö",
  "\\slash", "back\\", "t.me", "me/", "7", "14", "21", "77", "140", "X-1", "X-12", "12",
  "Acme", "acme ltd", "O'Hara", "hara & co", "100% c", "Ünï", "ünï", "likes_", "LIKES_FAST",
  "Views", "iew", "ße F", " post1 ", "https://", "nothing-like-this", "//", "/p/",
};

static void
test_same_as_like (Fixture       *fixture,
                   gconstpointer  data)
{
  guint n_found = 0;

  for (guint i = 0; i < G_N_ELEMENTS (searches); i++)
    {
      g_autoptr(GArray) before = old_search_ids (fixture->store, searches[i]);
      gint64 count = -1;
      g_autoptr(GArray) after = new_search_ids (fixture->store, searches[i], &count);

      g_test_message ("search “%s”: %u orders", searches[i], before->len);
      g_assert_cmpint (count, ==, before->len);
      g_assert_cmpuint (after->len, ==, before->len);
      g_assert_cmpmem (after->data, after->len * sizeof (gint64), before->data, before->len * sizeof (gint64));
      n_found += before->len > 0;
    }
  /* The set is not vacuous: most searches find something. */
  g_assert_cmpuint (n_found, >, G_N_ELEMENTS (searches) * 3 / 4);
}

static gint64
sql_int (RelayStore *store,
         const char *sql,
         const char *text)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (relay_store_get_db (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (text != NULL)
    sqlite3_bind_text (stmt, 1, text, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static void
check_same_as_like (RelayStore *store)
{
  for (guint i = 0; i < G_N_ELEMENTS (searches); i++)
    {
      g_autoptr(GArray) before = old_search_ids (store, searches[i]);
      gint64 count = -1;
      g_autoptr(GArray) after = new_search_ids (store, searches[i], &count);

      g_assert_cmpint (count, ==, before->len);
      g_assert_cmpuint (after->len, ==, before->len);
      g_assert_cmpmem (after->data, after->len * sizeof (gint64), before->data, before->len * sizeof (gint64));
    }
}

/* The index follows new orders, changed links and removed orders. */
static void
test_index_follows (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) drafts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) ids = NULL;
  RelayOrderDraft *draft = g_new0 (RelayOrderDraft, 1);
  gint64 count = -1;
  g_autoptr(GArray) found = NULL;
  g_autoptr(GArray) gone = NULL;

  draft->service_id = 2;
  draft->client_id = fixture->clients[0];
  draft->link = "https://new.example/zebra-unique";
  draft->quantity = 50;
  g_ptr_array_add (drafts, draft);
  ids = relay_store_insert_orders (fixture->store, drafts, "test", &error);
  g_assert_no_error (error);
  found = new_search_ids (fixture->store, "zebra-uni", &count);
  g_assert_cmpint (count, ==, 1);
  g_assert_cmpint (g_array_index (found, gint64, 0), ==, g_array_index (ids, gint64, 0));
  /* Through the index itself, not only the LIKE beside it. */
  g_assert_cmpint (sql_int (fixture->store, "SELECT COUNT(*) FROM orders_link WHERE orders_link MATCH ?",
                            "\"zeb\" AND \"bra\""), ==, 1);

  exec_sql (fixture->store, "UPDATE orders SET link = 'https://new.example/okapi' WHERE link LIKE '%zebra%'");
  g_clear_pointer (&found, g_array_unref);
  found = new_search_ids (fixture->store, "zebra", &count);
  g_assert_cmpint (count, ==, 0);
  g_assert_cmpint (sql_int (fixture->store, "SELECT COUNT(*) FROM orders_link WHERE orders_link MATCH ?",
                            "\"zeb\""), ==, 0);
  gone = new_search_ids (fixture->store, "okapi", &count);
  g_assert_cmpint (count, ==, 1);

  exec_sql (fixture->store, "PRAGMA foreign_keys = OFF;"
                            "DELETE FROM orders WHERE link LIKE '%okapi%' OR id % 10 = 3;"
                            "PRAGMA foreign_keys = ON;");
  g_assert_cmpint (sql_int (fixture->store, "SELECT COUNT(*) FROM orders_link WHERE orders_link MATCH ?",
                            "\"oka\""), ==, 0);
  /* The index holds exactly the links of the table. */
  exec_sql (fixture->store, "INSERT INTO orders_link (orders_link, rank) VALUES ('integrity-check', 1)");
  check_same_as_like (fixture->store);
}

/* A book of schema 4 gets the indexes, and its links in the trigram index. */
static void
test_migration (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  exec_sql (fixture->store,
            "DROP TRIGGER orders_link_insert; DROP TRIGGER orders_link_delete; DROP TRIGGER orders_link_update;"
            "DROP TABLE orders_link; DROP INDEX orders_sort_link; DROP INDEX orders_sort_quantity;"
            "DROP INDEX orders_sort_progress; DROP INDEX orders_sort_start_count; DROP INDEX orders_sort_remains;"
            "DROP INDEX orders_sort_charge; DROP INDEX orders_sort_status; DROP INDEX orders_active_id;"
            "DROP INDEX orders_attention_id; DROP INDEX services_name;"
            "PRAGMA user_version = 4;");
  g_clear_object (&fixture->store);
  fixture->store = relay_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (relay_store_get_schema_version (fixture->store), ==, 5);
  g_assert_cmpint (sql_int (fixture->store, "SELECT COUNT(*) FROM orders_link WHERE orders_link MATCH ?",
                            "\"pos\" AND \"st7\""), ==,
                   sql_int (fixture->store, "SELECT COUNT(*) FROM orders WHERE link LIKE '%post7%'", NULL));
  exec_sql (fixture->store, "INSERT INTO orders_link (orders_link, rank) VALUES ('integrity-check', 1)");
  check_same_as_like (fixture->store);
}

/* ---- query plans ---- */

typedef struct
{
  GPtrArray *sql;   /* the statements run, values inlined */
} Trace;

static int
on_trace (unsigned int  type,
          void         *data,
          void         *p,
          void         *x)
{
  Trace *trace = data;
  char *sql = sqlite3_expanded_sql (p);

  if (sql != NULL && strstr (sql, "FROM orders o") != NULL)
    g_ptr_array_add (trace->sql, g_strdup (sql));
  sqlite3_free (sql);
  return 0;
}

/* The plan of the list query's window (the subquery "page"): walks an index
 * (or the FTS index), never a temporary b-tree of the orders. */
static char *
window_plan (RelayStore            *store,
             const RelayOrderQuery *query)
{
  sqlite3 *db = relay_store_get_db (store);
  Trace trace = { g_ptr_array_new_with_free_func (g_free) };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GString) plan = g_string_new (NULL);
  g_autofree char *explain = NULL;
  sqlite3_stmt *stmt = NULL;

  sqlite3_trace_v2 (db, SQLITE_TRACE_STMT, on_trace, &trace);
  rows = relay_store_list_orders (store, query, 0, 50, &error);
  sqlite3_trace_v2 (db, 0, NULL, NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (trace.sql->len, ==, 1);
  explain = g_strconcat ("EXPLAIN QUERY PLAN ", (char *) g_ptr_array_index (trace.sql, 0), NULL);
  g_assert_cmpint (sqlite3_prepare_v2 (db, explain, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (plan, "%d %d %s\n", sqlite3_column_int (stmt, 0), sqlite3_column_int (stmt, 1),
                            (const char *) sqlite3_column_text (stmt, 3));
  sqlite3_finalize (stmt);
  g_ptr_array_unref (trace.sql);
  return g_string_free (g_steal_pointer (&plan), FALSE);
}

/* Lines of @plan under the node that opens the window's subquery. */
static gboolean
window_uses_temp_btree (const char *plan)
{
  g_auto(GStrv) lines = g_strsplit (plan, "\n", -1);
  g_autoptr(GArray) inside = g_array_new (FALSE, FALSE, sizeof (int));
  gboolean temp = FALSE;

  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      int id = 0, parent = 0;
      gboolean in_window = FALSE;

      g_assert_cmpint (sscanf (lines[i], "%d %d", &id, &parent), ==, 2);
      for (guint k = 0; k < inside->len; k++)
        in_window |= g_array_index (inside, int, k) == parent;
      if (strstr (lines[i], "(subquery-") != NULL || strstr (lines[i], " page") != NULL || in_window)
        {
          g_array_append_val (inside, id);
          temp |= in_window && strstr (lines[i], "TEMP B-TREE") != NULL;
        }
    }
  g_assert_cmpuint (inside->len, >, 1);
  return temp;
}

static void
test_plans (Fixture       *fixture,
            gconstpointer  data)
{
  for (RelayOrderSort sort = RELAY_ORDER_SORT_ID; sort <= RELAY_ORDER_SORT_UPDATED; sort++)
    for (int ascending = 0; ascending <= 1; ascending++)
      {
        RelayOrderQuery query = { .sort = sort, .ascending = ascending };
        g_autofree char *plan = window_plan (fixture->store, &query);

        g_test_message ("sort %d %s:\n%s", sort, ascending ? "asc" : "desc", plan);
        g_assert_false (window_uses_temp_btree (plan));
      }
  /* The filter groups, newest first, walk their partial indexes. */
  for (RelayOrderFilter filter = RELAY_ORDER_FILTER_ACTIVE; filter <= RELAY_ORDER_FILTER_FAILED; filter++)
    {
      RelayOrderQuery query = { .filter = filter };
      g_autofree char *plan = window_plan (fixture->store, &query);

      g_test_message ("filter %d:\n%s", filter, plan);
      g_assert_false (window_uses_temp_btree (plan));
    }
  /* A search of three characters or more asks the trigram index. */
  {
    RelayOrderQuery query = { .search = "post7" };
    g_autofree char *plan = window_plan (fixture->store, &query);

    g_test_message ("search:\n%s", plan);
    g_assert_nonnull (strstr (plan, "orders_link VIRTUAL TABLE"));
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/store/search/same-as-like", Fixture, NULL, fixture_setup, test_same_as_like, fixture_teardown);
  g_test_add ("/store/search/index-follows", Fixture, NULL, fixture_setup, test_index_follows,
              fixture_teardown);
  g_test_add ("/store/search/migration", Fixture, NULL, fixture_setup, test_migration, fixture_teardown);
  g_test_add ("/store/search/plans", Fixture, NULL, fixture_setup, test_plans, fixture_teardown);
  return g_test_run ();
}
