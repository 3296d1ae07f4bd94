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
 * life of an order rather than the alphabet.  Every expression on orders has
 * an index of its own ending in id (schema 5), so a window of any sort walks
 * it.  Client and service sort by a name in another table: the window walks
 * that table by name (then id), and each one's orders by id
 * (orders_client / orders_service); orders without one come first (or last),
 * found through the same index.  A window that starts next to a known row
 * seeks to that row's key in the index (a row value, which SQLite 3.40 uses
 * on plain columns only, and which never matches a NULL key) instead of
 * walking OFFSET rows from the top. */
static const struct
{
  const char *expression;
  const char *names;       /* the table of the name, aliased */
  const char *tiebreak;    /* its id: services may share a name */
  const char *link;        /* the orders' column naming a row of it */
  gboolean    seek;        /* a plain NOT NULL column: a window can start
                            * from a row's key through its index */
} sort_columns[] = {
  [RELAY_ORDER_SORT_ID] = { "o.id", NULL, NULL, NULL, TRUE },
  [RELAY_ORDER_SORT_CLIENT] = { "c.name", "clients c", "c.id", "o.client_id" },
  [RELAY_ORDER_SORT_SERVICE] = { "s.name", "services s", "s.id", "o.service_id" },
  [RELAY_ORDER_SORT_LINK] = { "o.link", NULL, NULL, NULL, TRUE },
  [RELAY_ORDER_SORT_QUANTITY] = { "o.quantity", NULL, NULL, NULL, TRUE },
  [RELAY_ORDER_SORT_PROGRESS] = {
    "(CASE WHEN o.status = 'completed' THEN 1.0 WHEN o.remains IS NULL THEN 0.0 "
    "ELSE MIN (MAX ((o.quantity * MAX (o.runs, 1) - o.remains) * 1.0 "
    "/ (o.quantity * MAX (o.runs, 1)), 0.0), 1.0) END)", NULL, NULL, NULL },
  [RELAY_ORDER_SORT_START_COUNT] = { "o.start_count", NULL, NULL, NULL },
  [RELAY_ORDER_SORT_REMAINS] = { "o.remains", NULL, NULL, NULL },
  [RELAY_ORDER_SORT_CHARGE] = { "(o.price - o.refunded)", NULL, NULL, NULL },
  [RELAY_ORDER_SORT_STATUS] = {
    "(CASE o.status WHEN 'scheduled' THEN 0 WHEN 'queued' THEN 1 WHEN 'sending' THEN 2 "
    "WHEN 'pending' THEN 3 WHEN 'processing' THEN 4 WHEN 'in_progress' THEN 5 "
    "WHEN 'completed' THEN 6 WHEN 'partial' THEN 7 WHEN 'canceled' THEN 8 "
    "WHEN 'failed' THEN 9 ELSE 10 END)", NULL, NULL, NULL },
  [RELAY_ORDER_SORT_UPDATED] = { "o.updated_at", NULL, NULL, NULL, TRUE },
};

/* The partial index of a filter group (schema 5), newest first. */
static const char * const filter_indexes[] = {
  [RELAY_ORDER_FILTER_ACTIVE] = "orders_active_id",
  [RELAY_ORDER_FILTER_ATTENTION] = "orders_attention_id",
  [RELAY_ORDER_FILTER_FAILED] = NULL,
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

/* Searches of this many characters or more find links through the trigram
 * index orders_link (schema 5); shorter ones read every link, as a trigram
 * index cannot hold them. */
#define FTS_MIN_CHARS 3
/* At most this many of the search's trigrams are asked of the index: each
 * one only narrows the candidates, which LIKE then checks exactly. */
#define FTS_MAX_TRIGRAMS 12

/* The FTS5 query for @search: every trigram of it (up to a bound, spread over
 * the whole text) as a quoted string, joined by AND.  The index is
 * detail=none (no positions), so this finds a superset of the links holding
 * @search, which the LIKE beside it narrows to exactly what LIKE alone finds.
 * NULL when @search is too short for the index. */
static void
append_trigram (GString    *fts,
                const char *search,
                glong       at)
{
  const char *start = g_utf8_offset_to_pointer (search, at);
  const char *end = g_utf8_offset_to_pointer (start, 3);

  if (fts->len > 0)
    g_string_append (fts, " AND ");
  g_string_append_c (fts, '"');
  for (const char *p = start; p < end; p++)
    {
      if (*p == '"')
        g_string_append_c (fts, '"');
      g_string_append_c (fts, *p);
    }
  g_string_append_c (fts, '"');
}

static char *
fts_query (const char *search)
{
  GString *fts;
  glong n_trigrams;
  glong step;

  if (!g_utf8_validate (search, -1, NULL) || g_utf8_strlen (search, -1) < FTS_MIN_CHARS)
    return NULL;
  n_trigrams = g_utf8_strlen (search, -1) - 2;
  step = n_trigrams <= FTS_MAX_TRIGRAMS ? 1 : (n_trigrams + FTS_MAX_TRIGRAMS - 3) / (FTS_MAX_TRIGRAMS - 1);
  fts = g_string_new (NULL);
  for (glong at = 0; at < n_trigrams; at += step)
    append_trigram (fts, search, at);
  /* The last trigram always, so that the whole text is covered. */
  if (step > 1 && (n_trigrams - 1) % step != 0)
    append_trigram (fts, search, n_trigrams - 1);
  return g_string_free (fts, FALSE);
}

/* " WHERE …" with named parameters, or "" when the query shows everything. */
static void
append_where (GString               *sql,
              const RelayOrderQuery *query,
              const char            *search,
              gboolean               use_fts,
              const char            *extra)
{
  g_autoptr(GString) found = NULL;
  const char *conditions[5];
  guint n = 0;
  gint64 id;

  if (extra != NULL)
    conditions[n++] = extra;
  if ((guint) query->filter < G_N_ELEMENTS (filter_clauses) && filter_clauses[query->filter] != NULL)
    conditions[n++] = filter_clauses[query->filter];
  if (query->client_id != 0)
    conditions[n++] = "o.client_id = :client";
  if (query->provider_id != 0)
    conditions[n++] = "o.provider_id = :provider";
  /* The names the table shows are searched too: the few clients and
   * services whose name matches are found first (small tables), and the
   * orders of those through orders_client / orders_service.  Links of a
   * search long enough come from the trigram index, checked by the same LIKE
   * (the index folds case beyond ASCII, LIKE does not). */
  if (search != NULL)
    {
      g_autofree char *fts = use_fts ? fts_query (search) : NULL;

      /* The names first: a walk tests them before the link's LIKE. */
      found = g_string_new ("(");
      if (parse_id (search, &id))
        g_string_append (found, "o.id = :id OR ");
      g_string_append (found, "o.provider_order_id = :search"
                              " OR o.client_id IN (SELECT id FROM clients WHERE name LIKE :pattern ESCAPE '\\')"
                              " OR o.service_id IN (SELECT id FROM services WHERE name LIKE :pattern ESCAPE '\\') OR ");
      if (fts != NULL)
        g_string_append (found, "(o.id IN (SELECT rowid FROM orders_link WHERE orders_link MATCH :fts)"
                                " AND o.link LIKE :pattern ESCAPE '\\'))");
      else
        g_string_append (found, "o.link LIKE :pattern ESCAPE '\\')");
      conditions[n++] = found->str;
    }
  for (guint i = 0; i < n; i++)
    {
      g_string_append (sql, i == 0 ? " WHERE " : " AND ");
      g_string_append (sql, conditions[i]);
    }
}

/* Whether a client's or a service's name holds @search: then its orders
 * match, possibly most of the book (see search_walks()). */
static gboolean
names_match (RelayStore *self,
             const char *search)
{
  g_autoptr (RelayStmt) stmt = NULL;
  g_autofree char *pattern = relay_store_like_pattern (search);

  stmt = relay_store_prepare_query (self,
                                    "SELECT EXISTS (SELECT 1 FROM clients WHERE name LIKE ?1 ESCAPE '\\')"
                                    " OR EXISTS (SELECT 1 FROM services WHERE name LIKE ?1 ESCAPE '\\')",
                                    NULL);
  if (stmt == NULL)
    return FALSE;
  relay_stmt_bind_text (stmt, 1, pattern);
  return sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int (stmt, 0) != 0;
}

/* The newest orders sampled for links_dense(), and the share of them that
 * makes a link search broad: 64 of the newest 4,096 (1.6 %) or more. */
#define DENSE_SAMPLE 4096
#define DENSE_HITS   64

/* Whether @search's trigrams are in many of the newest links (a host name,
 * "instagram"): the trigram index would hand over most of the book, to be
 * read whole before the first row, while a walk from the newest order finds
 * a window of matches in a few hundred rows.  At most DENSE_HITS entries of
 * the index are read. */
static gboolean
links_dense (RelayStore *self,
             const char *search)
{
  g_autoptr (RelayStmt) stmt = NULL;
  g_autofree char *fts = fts_query (search);

  if (fts == NULL)
    return FALSE;
  stmt = relay_store_prepare_query (self,
                                    "SELECT COUNT(*) FROM (SELECT rowid FROM orders_link"
                                    " WHERE orders_link MATCH ?1"
                                    " AND rowid > (SELECT COALESCE (MAX (id), 0) FROM orders) - ?2"
                                    " LIMIT ?3)",
                                    NULL);
  if (stmt == NULL)
    return FALSE;
  relay_stmt_bind_text (stmt, 1, fts);
  sqlite3_bind_int64 (stmt, 2, DENSE_SAMPLE);
  sqlite3_bind_int64 (stmt, 3, DENSE_HITS);
  return sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int (stmt, 0) >= DENSE_HITS;
}

/* How @search finds its orders.  When it matches much of the book (a client's
 * or a service's name, a common part of the links), a window is found by
 * walking the orders in the table's order and testing each: the first window
 * comes after a few hundred rows, and a count reads each row once.  Else the
 * few matches come from the indexes (trigram, provider order id, id), which a
 * walk would look for through the whole book.  Both find the same orders. */
static gboolean
search_walks (RelayStore *self,
              const char *search)
{
  return names_match (self, search) || links_dense (self, search);
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

      g_autofree char *fts = fts_query (search);

      bind_named_text (stmt, ":search", search);
      bind_named_text (stmt, ":pattern", pattern);
      if (fts != NULL)
        bind_named_text (stmt, ":fts", fts);
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
  if (relay_store_can_count_orders_at_once (query))
    sql = g_string_new ("SELECT COALESCE (SUM (o.n), 0) FROM order_counts o");
  else
    sql = g_string_new ("SELECT COUNT(*) FROM orders o");
  append_where (sql, query, search, search != NULL && !search_walks (self, search), NULL);
  stmt = relay_store_prepare_query (self, sql->str, error);
  if (stmt == NULL)
    return -1;
  bind_query (stmt, query, search);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return relay_store_set_db_error (self, error), -1;
  return sqlite3_column_int64 (stmt, 0);
}

static guint
sort_of (const RelayOrderQuery *query)
{
  return (guint) query->sort < G_N_ELEMENTS (sort_columns) ? (guint) query->sort : RELAY_ORDER_SORT_ID;
}

gboolean
relay_store_can_count_orders_at_once (const RelayOrderQuery *query)
{
  g_autofree char *search = NULL;

  if (query == NULL)
    return TRUE;
  search = dup_search (query);
  return query->client_id == 0 && query->provider_id == 0 && search == NULL;
}

gboolean
relay_store_can_seek_orders (const RelayOrderQuery *query)
{
  if (query == NULL)
    query = &all_orders;
  return sort_columns[sort_of (query)].seek;
}

/* The window: @anchor_id 0 counts @offset rows from the top (@backward
 * FALSE) or from the bottom (TRUE); else from the row @anchor_id, after it or
 * before it.  Backward, SQL walks the list in the other direction and the
 * rows are put back in the list's order. */
static GPtrArray *
list_orders (RelayStore             *self,
             const RelayOrderQuery  *query,
             gint64                  anchor_id,
             gboolean                backward,
             gint64                  offset,
             guint                   limit,
             GError                **error)
{
  g_autoptr (GString) sql = g_string_new (NULL);
  g_autoptr (GString) order_by = g_string_new (NULL);
  g_autoptr (RelayStmt) stmt = NULL;
  g_autofree char *search = NULL;
  g_autofree char *seek = NULL;
  GPtrArray *rows;
  const char *direction;
  gboolean use_fts;
  gboolean descending;
  guint sort;

  if (query == NULL)
    query = &all_orders;
  search = dup_search (query);
  use_fts = search != NULL && !search_walks (self, search);
  sort = sort_of (query);
  descending = !query->ascending != !!backward;
  direction = descending ? "DESC" : "ASC";
  if (sort_columns[sort].names != NULL)
    g_string_printf (order_by, " ORDER BY %s %s, %s %s, o.id %s", sort_columns[sort].expression,
                     direction, sort_columns[sort].tiebreak, direction, direction);
  else
    g_string_printf (order_by, " ORDER BY %s %s, o.id %s",
                     sort_columns[sort].expression, direction, direction);
  /* The rows past the anchor in the walk's direction: its key read by id. */
  if (anchor_id != 0 && sort == RELAY_ORDER_SORT_ID)
    seek = g_strdup_printf ("o.id %s :anchor", descending ? "<" : ">");
  else if (anchor_id != 0)
    seek = g_strdup_printf ("(%s, o.id) %s (SELECT %s, o.id FROM orders o WHERE o.id = :anchor)",
                            sort_columns[sort].expression, descending ? "<" : ">",
                            sort_columns[sort].expression);

  /* The window is chosen on orders alone (plus the sort's own table), and
   * the names are joined for the rows of the window only. */
  g_string_append (sql, "SELECT " RELAY_ORDER_COLUMNS " FROM (");
  if (sort_columns[sort].names != NULL)
    {
      g_autofree char *unnamed = g_strdup_printf ("%s IS NULL", sort_columns[sort].link);
      g_autofree char *named = g_strdup_printf ("%s = %s", sort_columns[sort].link,
                                                sort_columns[sort].tiebreak);

      /* Named orders merged with the unnamed ones (whose NULL key the
       * column itself gives, so that its index keeps them in id order).
       * CROSS JOIN keeps the names outside: the planner would rather scan
       * the orders and sort them all. */
      g_string_append_printf (sql, "SELECT o.id AS id, %s AS k, %s AS k2 FROM %s CROSS JOIN orders o ON %s",
                              sort_columns[sort].expression, sort_columns[sort].tiebreak,
                              sort_columns[sort].names, named);
      append_where (sql, query, search, use_fts, NULL);
      g_string_append_printf (sql, " UNION ALL SELECT o.id, %s, %s FROM orders o",
                              sort_columns[sort].link, sort_columns[sort].link);
      append_where (sql, query, search, use_fts, unnamed);
      g_string_append_printf (sql, " ORDER BY 2 %s, 3 %s, 1 %s", direction, direction, direction);
    }
  else
    {
      g_string_append (sql, "SELECT o.id FROM orders o");
      /* A filter group alone, newest first: its partial index holds exactly
       * its orders in that order (the planner would rather sort them). */
      if (sort == RELAY_ORDER_SORT_ID && search == NULL && query->client_id == 0 &&
          query->provider_id == 0 && (guint) query->filter < G_N_ELEMENTS (filter_indexes) &&
          filter_indexes[query->filter] != NULL)
        g_string_append_printf (sql, " INDEXED BY %s", filter_indexes[query->filter]);
      append_where (sql, query, search, use_fts, seek);
      g_string_append (sql, order_by->str);
    }
  g_string_append (sql, " LIMIT :limit OFFSET :offset) AS page"
                        " JOIN orders o ON o.id = page.id" RELAY_ORDER_JOINS);
  g_string_append (sql, order_by->str);

  stmt = relay_store_prepare_query (self, sql->str, error);
  if (stmt == NULL)
    return NULL;
  bind_query (stmt, query, search);
  bind_named_int64 (stmt, ":limit", limit);
  bind_named_int64 (stmt, ":offset", MAX (offset, 0));
  bind_named_int64 (stmt, ":anchor", anchor_id);
  rows = relay_store_collect_orders (self, stmt, error);
  if (rows != NULL && backward)
    for (guint i = 0; i < rows->len / 2; i++)
      {
        gpointer row = rows->pdata[i];

        rows->pdata[i] = rows->pdata[rows->len - 1 - i];
        rows->pdata[rows->len - 1 - i] = row;
      }
  return rows;
}

GPtrArray *
relay_store_list_orders (RelayStore             *self,
                         const RelayOrderQuery  *query,
                         gint64                  offset,
                         guint                   limit,
                         GError                **error)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);
  return list_orders (self, query, 0, FALSE, offset, limit, error);
}

GPtrArray *
relay_store_list_orders_near (RelayStore             *self,
                              const RelayOrderQuery  *query,
                              gint64                  anchor_id,
                              gboolean                backward,
                              gint64                  offset,
                              guint                   limit,
                              GError                **error)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);
  g_return_val_if_fail (anchor_id == 0 || relay_store_can_seek_orders (query), NULL);
  return list_orders (self, query, anchor_id, backward, offset, limit, error);
}

void
relay_store_interrupt (RelayStore *self)
{
  g_return_if_fail (RELAY_IS_STORE (self));
  sqlite3_interrupt (relay_store_get_db (self));
}
