/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The order book's report of a period: SQL aggregates over orders.created_at
 * (indexed, schema 3), folded into rows per key and currency with checked sums. */
#include "config.h"

#include "relay-store-private.h"
#include "relay-store-report.h"

#include <stdlib.h>
#include <string.h>

static const char * const group_names[] = { "client", "provider", "service", "day" };

gboolean
relay_report_group_from_string (const char       *name,
                                RelayReportGroup *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (group_names); i++)
    if (g_strcmp0 (name, group_names[i]) == 0)
      {
        *out = (RelayReportGroup) i;
        return TRUE;
      }
  return FALSE;
}

const char *
relay_report_group_to_string (RelayReportGroup group)
{
  g_return_val_if_fail ((guint) group < G_N_ELEMENTS (group_names), NULL);
  return group_names[group];
}

void
relay_report_row_free (RelayReportRow *row)
{
  if (row == NULL)
    return;
  g_free (row->key);
  g_free (row->currency);
  g_free (row);
}

void
relay_delivery_row_free (RelayDeliveryRow *row)
{
  if (row == NULL)
    return;
  g_free (row->provider_name);
  g_free (row->provider_service_id);
  g_free (row->service_name);
  g_free (row);
}

void
relay_report_free (RelayReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->totals, g_ptr_array_unref);
  g_clear_pointer (&report->rows, g_ptr_array_unref);
  g_clear_pointer (&report->days, g_ptr_array_unref);
  g_clear_pointer (&report->delivery, g_ptr_array_unref);
  g_free (report);
}

/* What the provider kept of an order: its own word (the charge of the last
 * status) when it gave one, else the cost when the order was sent; nothing
 * for an order it never took.  A hostile negative charge counts as 0. */
#define NET_COST \
  "CASE WHEN o.status IN ('scheduled', 'queued', 'failed') THEN 0" \
  "     WHEN o.status = 'canceled' AND o.sent_at = 0 THEN 0" \
  "     WHEN o.charge IS NOT NULL THEN MAX (o.charge, 0)" \
  "     ELSE o.cost END"

#define CURRENCY "COALESCE (o.currency, p.currency, '')"
#define PERIOD " WHERE o.created_at >= ?1 AND o.created_at < ?2"
/* Days are made in C from quarter hours since @from (a local midnight): every
 * time zone's offset is a whole number of quarter hours, so a quarter never
 * straddles two local days, and SQL never converts a time per order. */
#define QUARTER 900

/* ONE pass over the period, every column read from the index orders_report:
 * sums per key, quarter hour, currency, status and provider service (sent or
 * not), folded in C into the rows, the days, the statuses, the totals and the
 * delivery counts.  One GROUP BY means one sort of the period's entries.
 * Columns: key id, quarter, currency, status, provider id, provider service,
 * sent, orders, charged, refunded, cost.  SQLite's sum() of integers raises
 * "integer overflow" rather than wrap. */
#define PERIOD_SUMS(key) \
  "SELECT " key ", (o.created_at - ?1) / 900, " CURRENCY ", o.status, COALESCE (o.provider_id, 0), " \
  "  COALESCE (o.provider_service_id, ''), o.sent_at > 0, COUNT (*), SUM (o.price), " \
  "  SUM (o.refunded), SUM (" NET_COST ") " \
  "FROM orders o LEFT JOIN providers p ON p.id = o.provider_id" PERIOD " GROUP BY 1, 2, 3, 4, 5, 6, 7"

static const char * const period_queries[] = {
  [RELAY_REPORT_BY_CLIENT] = PERIOD_SUMS ("COALESCE (o.client_id, 0)"),
  [RELAY_REPORT_BY_PROVIDER] = PERIOD_SUMS ("COALESCE (o.provider_id, 0)"),
  [RELAY_REPORT_BY_SERVICE] = PERIOD_SUMS ("COALESCE (o.service_id, 0)"),
  [RELAY_REPORT_BY_DAY] = PERIOD_SUMS ("0"),
};

/* The name of a key of the rows. */
static const char * const name_queries[] = {
  [RELAY_REPORT_BY_CLIENT] = "SELECT name FROM clients WHERE id = ?",
  [RELAY_REPORT_BY_PROVIDER] = "SELECT name FROM providers WHERE id = ?",
  [RELAY_REPORT_BY_SERVICE] = "SELECT name FROM services WHERE id = ?",
  [RELAY_REPORT_BY_DAY] = NULL,
};

/* Delivery per provider service, of the orders of the period that were sent:
 * counts, then the samples of the times (seconds), then the refilled ones. */
#define DELIVERY_KEY "COALESCE (o.provider_id, 0), COALESCE (o.provider_service_id, '')"
static const char delivery_samples[] =
  "SELECT " DELIVERY_KEY ", o.started_at - o.sent_at, o.completed_at - o.sent_at "
  "FROM orders o" PERIOD " AND o.sent_at > 0 AND o.started_at IS NOT NULL";
static const char delivery_refilled[] =
  "SELECT " DELIVERY_KEY ", COUNT (DISTINCT r.order_id) "
  "FROM refills r JOIN orders o ON o.id = r.order_id" PERIOD " AND o.sent_at > 0 GROUP BY 1, 2";

static gboolean
add_into (gint64  *sum,
          gint64   value,
          GError **error)
{
  return relay_money_add (*sum, value, sum, error);
}

static gboolean
add_row_into (RelayReportRow       *into,
              const RelayReportRow *row,
              GError              **error)
{
  return add_into (&into->orders, row->orders, error) &&
         add_into (&into->charged, row->charged, error) &&
         add_into (&into->refunded, row->refunded, error) &&
         add_into (&into->cost, row->cost, error);
}

/* profit = charged - refunded - cost, checked (each is a non-negative sum). */
static gboolean
finish_row (RelayReportRow  *row,
            GError         **error)
{
  gint64 profit;

  if (!relay_money_add (row->charged, -row->refunded, &profit, error) ||
      !relay_money_add (profit, -row->cost, &profit, error))
    return FALSE;
  row->profit = profit;
  /* charged - refunded >= 0: a refund never exceeds its order's price. */
  row->margin = row->charged - row->refunded > 0
    ? (double) row->profit * 100.0 / (double) (row->charged - row->refunded) : 0.0;
  return TRUE;
}

static RelayReportRow *
row_new (gint64      key_id,
         const char *key,
         const char *currency)
{
  RelayReportRow *row = g_new0 (RelayReportRow, 1);

  row->key_id = key_id;
  row->key = g_strdup (key);
  row->currency = g_strdup (currency);
  return row;
}

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  const RelayReportRow *x = *(RelayReportRow * const *) a;
  const RelayReportRow *y = *(RelayReportRow * const *) b;
  int c = g_utf8_collate (x->key, y->key);

  if (c != 0)
    return c;
  if (x->key_id != y->key_id)
    return x->key_id < y->key_id ? -1 : 1;
  return g_strcmp0 (x->currency, y->currency);
}

/* The row of (@key_id, @key, @currency) in @table, made when missing. */
static RelayReportRow *
lookup_row (GHashTable *table,
            GPtrArray  *rows,
            gint64      key_id,
            const char *key,
            const char *currency)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT "\x1f%s\x1f%s", key_id,
                                         key_id == 0 ? key : "", currency);
  RelayReportRow *row = g_hash_table_lookup (table, id);

  if (row == NULL)
    {
      row = row_new (key_id, key, currency);
      g_ptr_array_add (rows, row);
      g_hash_table_insert (table, g_steal_pointer (&id), row);
    }
  return row;
}

/* Runs @sql over the period and folds it into rows per key and currency; with
 * @report, also into its orders per status and its totals per currency. */
/* The local day "YYYY-MM-DD" of quarter @quarter after @from. */
static char *
quarter_day (gint64 from,
             gint64 quarter)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (from + quarter * QUARTER);

  return when != NULL ? g_date_time_format (when, "%Y-%m-%d") : g_strdup ("");
}

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* The value at @quarter/4 of the sorted @values, interpolated between neighbours. */
static gint64
quantile (const GArray *values,
          guint         quarter)
{
  guint64 pos = (guint64) (values->len - 1) * quarter;
  guint lo = (guint) (pos / 4);
  gint64 a = g_array_index (values, gint64, lo);
  gint64 b = lo + 1 < values->len ? g_array_index (values, gint64, lo + 1) : a;

  return a + (b - a) * (gint64) (pos % 4) / 4;
}

static void
duration_stats (GArray             *values,
                RelayDurationStats *out)
{
  memset (out, 0, sizeof *out);
  if (values->len == 0)
    return;
  g_array_sort (values, compare_int64);
  out->n = values->len;
  out->min = g_array_index (values, gint64, 0);
  out->q1 = quantile (values, 1);
  out->median = quantile (values, 2);
  out->q3 = quantile (values, 3);
  out->max = g_array_index (values, gint64, values->len - 1);
}

typedef struct
{
  RelayDeliveryRow *row;     /* borrowed from the report */
  GArray           *start;   /* gint64 seconds */
  GArray           *complete;
} DeliveryAcc;

static void
delivery_acc_free (DeliveryAcc *acc)
{
  g_array_unref (acc->start);
  g_array_unref (acc->complete);
  g_free (acc);
}

static double
rate (gint64 part,
      gint64 whole)
{
  return whole > 0 ? (double) part / (double) whole : 0.0;
}

/* The accumulator of (@provider_id, @psid), made when missing. */
static DeliveryAcc *
lookup_delivery (GHashTable *table,
                 GPtrArray  *rows,
                 GPtrArray  *accs,
                 gint64      provider_id,
                 const char *psid)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT "\x1f%s", provider_id, psid);
  DeliveryAcc *acc = g_hash_table_lookup (table, id);

  if (acc == NULL)
    {
      RelayDeliveryRow *row = g_new0 (RelayDeliveryRow, 1);

      row->provider_id = provider_id;
      row->provider_service_id = g_strdup (psid);
      g_ptr_array_add (rows, row);
      acc = g_new0 (DeliveryAcc, 1);
      acc->row = row;
      acc->start = g_array_new (FALSE, FALSE, sizeof (gint64));
      acc->complete = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_ptr_array_add (accs, acc);
      g_hash_table_insert (table, g_steal_pointer (&id), acc);
    }
  return acc;
}

static gboolean
step_rows (RelayStore  *self,
           RelayStmt   *stmt,
           gint64       from,
           gint64       to,
           void       (*each) (RelayStmt *stmt, DeliveryAcc *acc),
           GHashTable  *table,
           GPtrArray   *rows,
           GPtrArray   *accs,
           GError     **error)
{
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, from);
  sqlite3_bind_int64 (stmt, 2, to);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *psid = (const char *) sqlite3_column_text (stmt, 1);

      each (stmt, lookup_delivery (table, rows, accs, sqlite3_column_int64 (stmt, 0),
                                   psid ? psid : ""));
    }
  if (rc != SQLITE_DONE)
    return relay_store_set_db_error (self, error);
  return TRUE;
}

static void
each_sample (RelayStmt   *stmt,
             DeliveryAcc *acc)
{
  gint64 seconds;

  /* A clock that went back gives 0, never a negative time. */
  if (relay_stmt_get_opt_int64 (stmt, 2, &seconds))
    {
      seconds = MAX (seconds, 0);
      g_array_append_val (acc->start, seconds);
    }
  if (relay_stmt_get_opt_int64 (stmt, 3, &seconds))
    {
      seconds = MAX (seconds, 0);
      g_array_append_val (acc->complete, seconds);
    }
}

static void
each_refilled (RelayStmt   *stmt,
               DeliveryAcc *acc)
{
  acc->row->refilled = sqlite3_column_int64 (stmt, 2);
}

/* Adds the samples and refills to the delivery rows fold_period() began. */
static gboolean
finish_delivery (RelayStore  *self,
                 gint64       from,
                 gint64       to,
                 GHashTable  *table,
                 GPtrArray   *rows,
                 GPtrArray   *accs,
                 GError     **error)
{

  {
    g_autoptr(RelayStmt) stmt = relay_store_prepare (self, delivery_samples, error);
    if (!step_rows (self, stmt, from, to, each_sample, table, rows, accs, error))
      return FALSE;
  }
  {
    g_autoptr(RelayStmt) stmt = relay_store_prepare (self, delivery_refilled, error);
    if (!step_rows (self, stmt, from, to, each_refilled, table, rows, accs, error))
      return FALSE;
  }

  for (guint i = 0; i < accs->len; i++)
    {
      DeliveryAcc *acc = g_ptr_array_index (accs, i);
      RelayDeliveryRow *row = acc->row;
      g_autoptr(RelayStmt) stmt = relay_store_prepare (self,
                                                       "SELECT p.name, "
                                                       "  (SELECT k.name FROM catalog k WHERE k.provider_id = p.id"
                                                       "     AND k.service_id = ?2) "
                                                       "FROM providers p WHERE p.id = ?1", error);
      int rc;

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, row->provider_id);
      relay_stmt_bind_text (stmt, 2, row->provider_service_id);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          row->provider_name = relay_stmt_dup_text (stmt, 0);
          row->service_name = relay_stmt_dup_text (stmt, 1);
        }
      else if (rc != SQLITE_DONE)
        {
          relay_store_set_db_error (self, error);
          return FALSE;
        }
      if (row->provider_name == NULL)
        row->provider_name = g_strdup ("");
      if (row->service_name == NULL)
        row->service_name = g_strdup ("");
      duration_stats (acc->start, &row->to_start);
      duration_stats (acc->complete, &row->to_complete);
      row->partial_rate = rate (row->partial, row->finished);
      row->cancel_rate = rate (row->canceled, row->finished);
      row->refill_rate = rate (row->refilled, row->finished - row->canceled);
    }
  return TRUE;
}

static int
compare_delivery (gconstpointer a,
                  gconstpointer b)
{
  const RelayDeliveryRow *x = *(RelayDeliveryRow * const *) a;
  const RelayDeliveryRow *y = *(RelayDeliveryRow * const *) b;
  int c = g_utf8_collate (x->provider_name, y->provider_name);

  if (c != 0)
    return c;
  if (x->provider_id != y->provider_id)
    return x->provider_id < y->provider_id ? -1 : 1;
  return g_utf8_collate (x->provider_service_id, y->provider_service_id);
}

typedef struct
{
  RelayReport  *report;
  GHashTable   *rows;        /* "id\x1fkey\x1fcurrency" -> RelayReportRow (borrowed) */
  GHashTable   *days;        /* the same for the days */
  GHashTable   *totals;      /* the same for the totals */
  GHashTable   *quarters;    /* quarter (gint64*) -> its local day, a cache */
  GHashTable   *delivery;    /* "provider\x1fservice" -> DeliveryAcc (borrowed) */
  GPtrArray    *accs;        /* DeliveryAcc, owned */
} Fold;

static void
fold_clear (Fold *fold)
{
  g_clear_pointer (&fold->rows, g_hash_table_unref);
  g_clear_pointer (&fold->days, g_hash_table_unref);
  g_clear_pointer (&fold->totals, g_hash_table_unref);
  g_clear_pointer (&fold->quarters, g_hash_table_unref);
  g_clear_pointer (&fold->delivery, g_hash_table_unref);
  g_clear_pointer (&fold->accs, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Fold, fold_clear)

static const char *
fold_day (Fold   *fold,
          gint64  from,
          gint64  quarter)
{
  char *day = g_hash_table_lookup (fold->quarters, &quarter);

  if (day == NULL)
    {
      day = quarter_day (from, quarter);
      g_hash_table_insert (fold->quarters, g_memdup2 (&quarter, sizeof quarter), day);
    }
  return day;
}

/* The one pass over the period (see PERIOD_SUMS). */
static gboolean
fold_period (RelayStore   *self,
             Fold         *fold,
             gint64        from,
             gint64        to,
             GError      **error)
{
  RelayReport *report = fold->report;
  gboolean by_day = report->group == RELAY_REPORT_BY_DAY;
  g_autoptr(RelayStmt) stmt = relay_store_prepare (self, period_queries[report->group], error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, from);
  sqlite3_bind_int64 (stmt, 2, to);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *day = fold_day (fold, from, sqlite3_column_int64 (stmt, 1));
      const char *currency = (const char *) sqlite3_column_text (stmt, 2);
      RelayOrderStatus status = relay_stmt_get_status (stmt, 3);
      RelayReportRow part = {
        .orders = sqlite3_column_int64 (stmt, 7),
        .charged = sqlite3_column_int64 (stmt, 8),
        .refunded = sqlite3_column_int64 (stmt, 9),
        .cost = sqlite3_column_int64 (stmt, 10),
      };
      RelayReportRow *row;

      if (currency == NULL)
        currency = "";
      row = by_day ? lookup_row (fold->rows, report->rows, 0, day, currency)
                   : lookup_row (fold->rows, report->rows, sqlite3_column_int64 (stmt, 0), "", currency);
      if (!add_row_into (row, &part, error) ||
          (!by_day && !add_row_into (lookup_row (fold->days, report->days, 0, day, currency), &part, error)) ||
          !add_row_into (lookup_row (fold->totals, report->totals, 0, "", currency), &part, error) ||
          !add_into (&report->by_status[status], part.orders, error) ||
          !add_into (&report->orders, part.orders, error))
        return FALSE;
      if (sqlite3_column_int (stmt, 6) != 0)
        {
          const char *psid = (const char *) sqlite3_column_text (stmt, 5);
          DeliveryAcc *acc = lookup_delivery (fold->delivery, report->delivery, fold->accs,
                                              sqlite3_column_int64 (stmt, 4), psid ? psid : "");
          RelayDeliveryRow *d = acc->row;

          d->orders += part.orders;
          if (status == RELAY_ORDER_COMPLETED || status == RELAY_ORDER_PARTIAL ||
              status == RELAY_ORDER_CANCELED)
            d->finished += part.orders;
          if (status == RELAY_ORDER_PARTIAL)
            d->partial += part.orders;
          if (status == RELAY_ORDER_CANCELED)
            d->canceled += part.orders;
        }
    }
  if (rc != SQLITE_DONE)
    {
      /* sum() refuses to wrap: say so in the words of the money rules. */
      if (rc == SQLITE_ERROR && strstr (sqlite3_errmsg (self->db), "integer overflow") != NULL)
        g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE,
                     _("The amounts of this period add up beyond what SMM Relay can count "
                       "(9223372036854.775807); choose a shorter period"));
      else
        relay_store_set_db_error (self, error);
      return FALSE;
    }
  return TRUE;
}

/* The names of the rows' keys, one indexed lookup per key. */
static gboolean
name_rows (RelayStore   *self,
           RelayReport  *report,
           GError      **error)
{
  const char *sql = name_queries[report->group];

  if (sql == NULL)
    return TRUE;
  for (guint i = 0; i < report->rows->len; i++)
    {
      RelayReportRow *row = g_ptr_array_index (report->rows, i);
      g_autoptr(RelayStmt) stmt = relay_store_prepare (self, sql, error);
      int rc;

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, row->key_id);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          g_free (row->key);
          row->key = relay_stmt_dup_text (stmt, 0);
          if (row->key == NULL)
            row->key = g_strdup ("");
        }
      else if (rc != SQLITE_DONE)
        return relay_store_set_db_error (self, error);
    }
  return TRUE;
}

static gboolean
finish_rows (GPtrArray  *rows,
             GError    **error)
{
  for (guint i = 0; i < rows->len; i++)
    if (!finish_row (g_ptr_array_index (rows, i), error))
      return FALSE;
  g_ptr_array_sort (rows, compare_rows);
  return TRUE;
}

RelayReport *
relay_store_report (RelayStore        *self,
                    gint64             from,
                    gint64             to,
                    RelayReportGroup   group,
                    GError           **error)
{
  g_autoptr(RelayReport) report = NULL;
  g_auto(Fold) fold = { 0 };
  gboolean ok;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);
  g_return_val_if_fail ((guint) group < G_N_ELEMENTS (period_queries), NULL);

  report = g_new0 (RelayReport, 1);
  report->from = from;
  report->to = to;
  report->group = group;
  report->totals = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_report_row_free);
  report->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_report_row_free);
  report->days = group == RELAY_REPORT_BY_DAY ? g_ptr_array_ref (report->rows)
    : g_ptr_array_new_with_free_func ((GDestroyNotify) relay_report_row_free);
  report->delivery = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_delivery_row_free);
  fold.report = report;
  fold.rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  fold.days = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  fold.totals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  fold.quarters = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  fold.delivery = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  fold.accs = g_ptr_array_new_with_free_func ((GDestroyNotify) delivery_acc_free);

  /* One read transaction: every figure comes from the same state of the book. */
  if (!relay_store_exec (self, "BEGIN", error))
    return NULL;
  ok = fold_period (self, &fold, from, to, error) &&
       finish_delivery (self, from, to, fold.delivery, report->delivery, fold.accs, error) &&
       name_rows (self, report, error);
  relay_store_exec (self, "COMMIT", NULL);
  if (!ok ||
      !finish_rows (report->rows, error) ||
      (group != RELAY_REPORT_BY_DAY && !finish_rows (report->days, error)) ||
      !finish_rows (report->totals, error))
    return NULL;
  g_ptr_array_sort (report->delivery, compare_delivery);
  return g_steal_pointer (&report);
}

/* ---- one provider's facts, for its health check ---- */

void
relay_provider_facts_clear (RelayProviderFacts *facts)
{
  g_clear_pointer (&facts->recent_provider_order_id, g_free);
}

/* Runs @sql with ?1 = @provider_id, ?2 = @since and reads its one row of
 * integers into @out (as many as @n). */
static gboolean
count_row (RelayStore  *self,
           const char  *sql,
           gint64       provider_id,
           gint64       since,
           gint64      *out,
           guint        n,
           GError     **error)
{
  g_autoptr(RelayStmt) stmt = relay_store_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, provider_id);
  sqlite3_bind_int64 (stmt, 2, since);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    for (guint i = 0; i < n; i++)
      out[i] = sqlite3_column_int64 (stmt, i);
  else if (rc != SQLITE_DONE)
    return relay_store_set_db_error (self, error);
  return TRUE;
}

gboolean
relay_store_provider_facts (RelayStore          *self,
                            gint64               provider_id,
                            gint64               since,
                            RelayProviderFacts  *out,
                            GError             **error)
{
  g_autoptr(RelayStmt) stmt = NULL;
  gint64 counts[3] = { 0 };
  int rc;

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  memset (out, 0, sizeof *out);

  /* The backlog at today's rates: each cost by the one money rule, summed checked. */
  stmt = relay_store_prepare (self,
                              "SELECT o.quantity, o.runs, k.rate FROM orders o "
                              "JOIN catalog k ON k.id = o.catalog_id "
                              "WHERE o.provider_id = ?1 AND o.status IN ('queued', 'scheduled')",
                              error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, provider_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 cost;

      out->backlog_orders++;
      /* A backlog beyond the money limits is a fact about the provider
       * (no balance covers it), not a reason to give up the check. */
      if (out->backlog_beyond ||
          !relay_money_for_quantity (sqlite3_column_int64 (stmt, 2),
                                     relay_store_units (sqlite3_column_int64 (stmt, 0),
                                                        sqlite3_column_int64 (stmt, 1)),
                                     &cost, NULL) ||
          !relay_money_add (out->backlog_cost, cost, &out->backlog_cost, NULL))
        out->backlog_beyond = TRUE;
    }
  if (rc != SQLITE_DONE)
    return relay_store_set_db_error (self, error);
  g_clear_pointer (&stmt, relay_stmt_release);

  stmt = relay_store_prepare (self,
                              "SELECT id, provider_order_id FROM orders "
                              "WHERE provider_id = ?1 AND provider_order_id IS NOT NULL "
                              "ORDER BY sent_at DESC, id DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, provider_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      out->recent_order_id = sqlite3_column_int64 (stmt, 0);
      out->recent_provider_order_id = relay_stmt_dup_text (stmt, 1);
    }
  else if (rc != SQLITE_DONE)
    return relay_store_set_db_error (self, error);
  g_clear_pointer (&stmt, relay_stmt_release);

  if (!count_row (self,
                  "SELECT COALESCE (SUM (sent_at >= ?2), 0), "
                  "  COALESCE (SUM (status = 'failed' AND updated_at >= ?2 AND catalog_id IS NOT NULL), 0), "
                  "  COALESCE (SUM (status = 'needs_review' AND COALESCE (review_reason, '') <> '"
                  RELAY_REVIEW_AWAITING_APPROVAL "'), 0) "
                  "FROM orders WHERE provider_id = ?1 AND (updated_at >= ?2 OR status = 'needs_review')",
                  provider_id, since, counts, 3, error))
    return FALSE;
  out->sent = counts[0];
  out->failed = counts[1];
  out->unknown = counts[2];

  if (!count_row (self,
                  "SELECT COUNT (*), COALESCE (SUM (r.error IS NOT NULL OR r.status LIKE 'rejected'), 0) "
                  "FROM refills r JOIN orders o ON o.id = r.order_id "
                  "WHERE o.provider_id = ?1 AND r.created_at >= ?2",
                  provider_id, since, counts, 2, error))
    return FALSE;
  out->refills = counts[0];
  out->refills_rejected = counts[1];

  if (!count_row (self,
                  "SELECT COUNT (*) FROM orders o JOIN catalog k ON k.id = o.catalog_id "
                  "WHERE o.provider_id = ?1 AND o.created_at >= ?2 AND o.sent_at > 0 "
                  "  AND ((o.can_refill AND NOT k.refill) OR (o.can_cancel AND NOT k.cancel))",
                  provider_id, since, counts, 1, error))
    return FALSE;
  out->claims_lost = counts[0];
  return TRUE;
}
