/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayStore: the orders list as SQL (filter, search, sort, window) for the
 * table's list model and the CLI. */
#include "config.h"

#include "relay-store-private.h"

/* Fixed SQL per filter: the statuses are constants, never input. */
static const char * const filter_clauses[] = {
  [RELAY_ORDER_FILTER_ALL] = NULL,
  [RELAY_ORDER_FILTER_ACTIVE] =
    "o.status IN ('scheduled', 'queued', 'sending', 'pending', 'processing', 'in_progress')",
  [RELAY_ORDER_FILTER_ATTENTION] = "o.status IN ('needs_review', 'failed')",
  [RELAY_ORDER_FILTER_COMPLETED] = "o.status = 'completed'",
  [RELAY_ORDER_FILTER_PARTIAL] = "o.status = 'partial'",
  [RELAY_ORDER_FILTER_CANCELED] = "o.status = 'canceled'",
  [RELAY_ORDER_FILTER_FAILED] = "o.status = 'failed'",
  [RELAY_ORDER_FILTER_STATUS] = "o.status = :status",
};

/* What each column of the table sorts by.  Charge is what the client pays
 * (the price less what was refunded); progress is the delivered share; status follows the
 * life of an order rather than the alphabet. */
static const struct
{
  const char *expression;
  const char *join;        /* what the expression needs besides orders */
} sort_columns[] = {
  [RELAY_ORDER_SORT_ID] = { "o.id", NULL },
  [RELAY_ORDER_SORT_CLIENT] = { "c.name", " LEFT JOIN clients c ON c.id = o.client_id" },
  [RELAY_ORDER_SORT_SERVICE] = { "s.name", " LEFT JOIN services s ON s.id = o.service_id" },
  [RELAY_ORDER_SORT_LINK] = { "o.link", NULL },
  [RELAY_ORDER_SORT_QUANTITY] = { "o.quantity", NULL },
  [RELAY_ORDER_SORT_PROGRESS] = {
    "(CASE WHEN o.status = 'completed' THEN 1.0 WHEN o.remains IS NULL THEN 0.0 "
    "ELSE MIN (MAX ((o.quantity * MAX (o.runs, 1) - o.remains) * 1.0 "
    "/ (o.quantity * MAX (o.runs, 1)), 0.0), 1.0) END)", NULL },
  [RELAY_ORDER_SORT_START_COUNT] = { "o.start_count", NULL },
  [RELAY_ORDER_SORT_REMAINS] = { "o.remains", NULL },
  [RELAY_ORDER_SORT_CHARGE] = { "(o.price - o.refunded)", NULL },
  [RELAY_ORDER_SORT_STATUS] = {
    "(CASE o.status WHEN 'scheduled' THEN 0 WHEN 'queued' THEN 1 WHEN 'sending' THEN 2 "
    "WHEN 'pending' THEN 3 WHEN 'processing' THEN 4 WHEN 'in_progress' THEN 5 "
    "WHEN 'completed' THEN 6 WHEN 'partial' THEN 7 WHEN 'canceled' THEN 8 "
    "WHEN 'failed' THEN 9 ELSE 10 END)", NULL },
  [RELAY_ORDER_SORT_UPDATED] = { "o.updated_at", NULL },
};

G_STATIC_ASSERT (G_N_ELEMENTS (filter_clauses) == RELAY_ORDER_FILTER_STATUS + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (sort_columns) == RELAY_ORDER_SORT_UPDATED + 1);

static const RelayOrderQuery all_orders = { 0 };

/* The search text, trimmed; NULL when there is none. */
static char *
dup_search (const RelayOrderQuery *query)
{
  g_autofree char *search = NULL;

  if (query->search == NULL)
    return NULL;
  search = g_strstrip (g_strdup (query->search));
  if (*search == '\0')
    return NULL;
  return g_steal_pointer (&search);
}

static gboolean
parse_id (const char *text,
          gint64     *out_id)
{
  guint64 value;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &value, NULL))
    return FALSE;
  *out_id = (gint64) value;
  return TRUE;
}

/* " WHERE …" with named parameters, or "" when the query shows everything. */
static void
append_where (GString               *sql,
              const RelayOrderQuery *query,
              const char            *search)
{
  const char *conditions[4];
  guint n = 0;
  gint64 id;

  if ((guint) query->filter < G_N_ELEMENTS (filter_clauses) && filter_clauses[query->filter] != NULL)
    conditions[n++] = filter_clauses[query->filter];
  if (query->client_id != 0)
    conditions[n++] = "o.client_id = :client";
  if (query->provider_id != 0)
    conditions[n++] = "o.provider_id = :provider";
  /* The names the table shows are searched too: the few clients and
   * services whose name matches are found first (small tables), and the
   * orders of those through orders_client / orders_service. */
  if (search != NULL)
    conditions[n++] = parse_id (search, &id)
                      ? "(o.id = :id OR o.provider_order_id = :search OR o.link LIKE :pattern ESCAPE '\\'"
                        " OR o.client_id IN (SELECT id FROM clients WHERE name LIKE :pattern ESCAPE '\\')"
                        " OR o.service_id IN (SELECT id FROM services WHERE name LIKE :pattern ESCAPE '\\'))"
                      : "(o.provider_order_id = :search OR o.link LIKE :pattern ESCAPE '\\'"
                        " OR o.client_id IN (SELECT id FROM clients WHERE name LIKE :pattern ESCAPE '\\')"
                        " OR o.service_id IN (SELECT id FROM services WHERE name LIKE :pattern ESCAPE '\\'))";
  for (guint i = 0; i < n; i++)
    {
      g_string_append (sql, i == 0 ? " WHERE " : " AND ");
      g_string_append (sql, conditions[i]);
    }
}

static void
bind_named_text (RelayStmt  *stmt,
                 const char *name,
                 const char *value)
{
  int index = sqlite3_bind_parameter_index (stmt, name);

  if (index > 0)
    relay_stmt_bind_text (stmt, index, value);
}

static void
bind_named_int64 (RelayStmt  *stmt,
                  const char *name,
                  gint64      value)
{
  int index = sqlite3_bind_parameter_index (stmt, name);

  if (index > 0)
    sqlite3_bind_int64 (stmt, index, value);
}

static void
bind_query (RelayStmt             *stmt,
            const RelayOrderQuery *query,
            const char            *search)
{
  gint64 id = 0;

  if (query->filter == RELAY_ORDER_FILTER_STATUS)
    bind_named_text (stmt, ":status", relay_order_status_to_string (query->status));
  bind_named_int64 (stmt, ":client", query->client_id);
  bind_named_int64 (stmt, ":provider", query->provider_id);
  if (search != NULL)
    {
      g_autofree char *pattern = relay_store_like_pattern (search);

      bind_named_text (stmt, ":search", search);
      bind_named_text (stmt, ":pattern", pattern);
      if (parse_id (search, &id))
        bind_named_int64 (stmt, ":id", id);
    }
}

gint64
relay_store_count_orders (RelayStore             *self,
                          const RelayOrderQuery  *query,
                          GError                **error)
{
  g_autoptr (GString) sql = NULL;
  g_autoptr (RelayStmt) stmt = NULL;
  g_autofree char *search = NULL;

  g_return_val_if_fail (RELAY_IS_STORE (self), -1);

  if (query == NULL)
    query = &all_orders;
  search = dup_search (query);
  /* By status alone, the per-status counts kept by triggers answer at once;
   * aliased "o", the table takes the same filter clauses as orders. */
  if (query->client_id == 0 && query->provider_id == 0 && search == NULL)
    sql = g_string_new ("SELECT COALESCE (SUM (o.n), 0) FROM order_counts o");
  else
    sql = g_string_new ("SELECT COUNT(*) FROM orders o");
  append_where (sql, query, search);
  stmt = relay_store_prepare_query (self, sql->str, error);
  if (stmt == NULL)
    return -1;
  bind_query (stmt, query, search);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return relay_store_set_db_error (self, error), -1;
  return sqlite3_column_int64 (stmt, 0);
}

GPtrArray *
relay_store_list_orders (RelayStore             *self,
                         const RelayOrderQuery  *query,
                         gint64                  offset,
                         guint                   limit,
                         GError                **error)
{
  g_autoptr (GString) sql = g_string_new (NULL);
  g_autoptr (GString) order_by = g_string_new (NULL);
  g_autoptr (RelayStmt) stmt = NULL;
  g_autofree char *search = NULL;
  const char *direction;
  guint sort;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);

  if (query == NULL)
    query = &all_orders;
  search = dup_search (query);
  sort = (guint) query->sort < G_N_ELEMENTS (sort_columns) ? (guint) query->sort : RELAY_ORDER_SORT_ID;
  direction = query->ascending ? "ASC" : "DESC";
  g_string_printf (order_by, " ORDER BY %s %s, o.id %s",
                   sort_columns[sort].expression, direction, direction);

  /* The window is chosen on orders alone (plus the sort's own join), and the
   * names are joined for the rows of the window only. */
  g_string_append (sql, "SELECT " RELAY_ORDER_COLUMNS " FROM (SELECT o.id FROM orders o");
  if (sort_columns[sort].join != NULL)
    g_string_append (sql, sort_columns[sort].join);
  append_where (sql, query, search);
  g_string_append (sql, order_by->str);
  g_string_append (sql, " LIMIT :limit OFFSET :offset) AS page"
                        " JOIN orders o ON o.id = page.id" RELAY_ORDER_JOINS);
  g_string_append (sql, order_by->str);

  stmt = relay_store_prepare_query (self, sql->str, error);
  if (stmt == NULL)
    return NULL;
  bind_query (stmt, query, search);
  bind_named_int64 (stmt, ":limit", limit);
  bind_named_int64 (stmt, ":offset", MAX (offset, 0));
  return relay_store_collect_orders (self, stmt, error);
}
