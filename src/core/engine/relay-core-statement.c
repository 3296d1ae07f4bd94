/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayCore: a client's statement for a period (orders, payments, opening and
 * closing balance) and its CSV for spreadsheets. */
#include "config.h"

#include "relay-core-private.h"
#include "relay-error.h"
#include "relay-money.h"

#include <inttypes.h>
#include <string.h>
#include <glib/gi18n-lib.h>

static void
relay_statement_line_free (RelayStatementLine *line)
{
  g_free (line->service);
  g_free (line->link);
  g_free (line->status);
  g_free (line->currency);
  g_free (line->payment_kind);
  g_free (line->note);
  g_free (line);
}

void
relay_statement_free (RelayStatement *statement)
{
  if (statement == NULL)
    return;
  g_free (statement->client);
  g_free (statement->currency);
  g_clear_pointer (&statement->lines, g_ptr_array_unref);
  g_free (statement);
}

static void
note_currency (RelayStatement *statement, const char *currency)
{
  if (currency == NULL || statement->mixed_currencies)
    return;
  if (statement->currency == NULL)
    statement->currency = g_strdup (currency);
  else if (strcmp (statement->currency, currency) != 0)
    {
      statement->mixed_currencies = TRUE;
      g_clear_pointer (&statement->currency, g_free);
    }
}

/* Adds one ledger entry to @statement: to its order's line (made on the
 * order's first entry) or as a payment line of its own. */
static gboolean
add_entry (RelayStatement *statement, GHashTable *order_lines, RelayStatementEntry *e,
           GError **error)
{
  RelayStatementLine *line;

  if (e->order_id != 0 && (strcmp (e->kind, "charge") == 0 || strcmp (e->kind, "refund") == 0))
    {
      line = relay_int64_table_lookup (order_lines, e->order_id);
      if (line == NULL)
        {
          line = g_new0 (RelayStatementLine, 1);
          line->kind = RELAY_STATEMENT_ORDER;
          line->order_id = e->order_id;
          line->at = e->order_created_at;
          line->service = g_strdup (e->service_name);
          line->link = g_strdup (e->link);
          line->quantity = e->quantity * MAX (e->runs, 1);   /* bounded by the order rules */
          line->status = g_strdup (e->status);
          line->currency = g_strdup (e->currency);
          g_ptr_array_add (statement->lines, line);
          relay_int64_table_insert (order_lines, e->order_id, line);
          statement->n_orders++;
          note_currency (statement, e->currency);
        }
      if (strcmp (e->kind, "charge") == 0)
        return relay_money_add (line->charged, e->amount, &line->charged, error) &&
               relay_money_add (statement->charged, e->amount, &statement->charged, error);
      /* A refund lowers the balance: its amount is negative. */
      return relay_money_add (line->refunded, -e->amount, &line->refunded, error) &&
             relay_money_add (statement->refunded, -e->amount, &statement->refunded, error);
    }

  line = g_new0 (RelayStatementLine, 1);
  line->kind = RELAY_STATEMENT_PAYMENT;
  line->at = e->at;
  line->order_id = e->order_id;
  line->payment_kind = g_strdup (e->kind);
  line->paid = -e->amount;
  line->note = g_strdup (e->note);
  g_ptr_array_add (statement->lines, line);
  statement->n_payments++;
  return relay_money_add (statement->paid, -e->amount, &statement->paid, error);
}

/* The statement read from @store; any thread, with a store of its own. */
static RelayStatement *
statement_read (RelayStore  *store,
                gint64       client_id,
                gint64       from,
                gint64       to,
                GError     **error)
{
  g_autoptr(RelayClientRow) client = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(RelayStatement) statement = NULL;
  g_autoptr(GHashTable) order_lines = relay_int64_table_new (NULL);
  gint64 balance;

  client = relay_store_get_client (store, client_id, error);
  if (client == NULL)
    return NULL;

  statement = g_new0 (RelayStatement, 1);
  statement->client = g_strdup (client->name);
  statement->from = from;
  statement->to = to;
  statement->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_statement_line_free);
  if (!relay_store_client_statement (store, client_id, from, to, &statement->opening, &entries,
                                     error))
    return NULL;

  balance = statement->opening;
  for (guint i = 0; i < entries->len; i++)
    {
      RelayStatementEntry *e = g_ptr_array_index (entries, i);

      if (!add_entry (statement, order_lines, e, error) ||
          !relay_money_add (balance, e->amount, &balance, error))
        return NULL;
    }
  statement->closing = balance;

  /* The running balance, line by line; it ends on the closing balance because
   * every entry went into exactly one line. */
  balance = statement->opening;
  for (guint i = 0; i < statement->lines->len; i++)
    {
      RelayStatementLine *line = g_ptr_array_index (statement->lines, i);

      if (!relay_money_add (balance, line->charged, &balance, error) ||
          !relay_money_add (balance, -line->refunded, &balance, error) ||
          !relay_money_add (balance, -line->paid, &balance, error))
        return NULL;
      line->balance = balance;
    }
  g_assert (balance == statement->closing);
  return g_steal_pointer (&statement);
}

static gboolean
check_period (gint64 from, gint64 to, GError **error)
{
  if (to <= from)
    {
      g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID,
                   _("The period of a statement must end after it starts"));
      return FALSE;
    }
  return TRUE;
}

RelayStatement *
relay_core_client_statement (RelayCore  *self,
                             gint64      client_id,
                             gint64      from,
                             gint64      to,
                             GError    **error)
{
  g_return_val_if_fail (RELAY_IS_CORE (self), NULL);

  if (!check_period (from, to, error))
    return NULL;
  return statement_read (relay_core_get_store (self), client_id, from, to, error);
}

typedef struct
{
  gint64  client_id;
  gint64  from;
  gint64  to;
} StatementJob;

static gpointer
statement_job_read (RelayStore *store, gpointer data, GError **error)
{
  StatementJob *job = data;

  return statement_read (store, job->client_id, job->from, job->to, error);
}

void
relay_core_client_statement_async (RelayCore           *self,
                                   gint64               client_id,
                                   gint64               from,
                                   gint64               to,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (RELAY_IS_CORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_core_client_statement_async);
  if (!check_period (from, to, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  {
    StatementJob *job = g_new0 (StatementJob, 1);

    job->client_id = client_id;
    job->from = from;
    job->to = to;
    relay_core_read_in_worker (self, task, statement_job_read, job, g_free,
                               (GDestroyNotify) relay_statement_free);
  }
}

RelayStatement *
relay_core_client_statement_finish (RelayCore     *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- CSV ---- */

/* One record; relay_csv_append_field() guards text from outside (a link,
 * a note) against being run as a formula by a spreadsheet. */
static void
append_row (GString *out, const char * const *fields, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      relay_csv_append_field (out, fields[i]);
    }
  g_string_append (out, "\r\n");
}

static char *
local_time (gint64 unix_time, const char *format)
{
  g_autoptr(GDateTime) when = NULL;

  if (unix_time <= 0 || unix_time == G_MAXINT64)
    return NULL;
  when = g_date_time_new_from_unix_local (unix_time);
  return when != NULL ? g_date_time_format (when, format) : NULL;
}

static char *
money_or_null (gboolean has_value, gint64 micro)
{
  return has_value ? relay_money_format (micro) : NULL;
}

enum { COL_DATE, COL_TYPE, COL_ORDER, COL_SERVICE, COL_LINK, COL_QUANTITY, COL_STATUS,
       COL_CHARGED, COL_REFUNDED, COL_PAID, COL_BALANCE, COL_CURRENCY, COL_NOTE, N_COLS };

char *
relay_statement_to_csv (const RelayStatement *statement)
{
  static const char * const header[N_COLS] = {
    "date", "type", "order", "service", "link", "quantity", "status", "charged", "refunded",
    "paid", "balance", "currency", "note",
  };
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (statement != NULL, NULL);

  append_row (out, header, N_COLS);
  {
    g_autofree char *day = local_time (statement->from, "%Y-%m-%d");
    g_autofree char *balance = relay_money_format (statement->opening);
    const char *row[N_COLS] = { [COL_DATE] = day, [COL_TYPE] = "opening_balance",
                                [COL_BALANCE] = balance, [COL_CURRENCY] = statement->currency };

    append_row (out, row, N_COLS);
  }
  for (guint i = 0; i < statement->lines->len; i++)
    {
      const RelayStatementLine *line = g_ptr_array_index (statement->lines, i);
      gboolean order = line->kind == RELAY_STATEMENT_ORDER;
      g_autofree char *date = local_time (line->at, "%Y-%m-%d %H:%M");
      g_autofree char *id = line->order_id ? g_strdup_printf ("%" PRId64, line->order_id) : NULL;
      g_autofree char *quantity = order ? g_strdup_printf ("%" PRId64, line->quantity) : NULL;
      g_autofree char *charged = money_or_null (order, line->charged);
      g_autofree char *refunded = money_or_null (order, line->refunded);
      g_autofree char *paid = money_or_null (!order, line->paid);
      g_autofree char *balance = relay_money_format (line->balance);
      const char *row[N_COLS] = {
        [COL_DATE] = date, [COL_TYPE] = order ? "order" : line->payment_kind, [COL_ORDER] = id,
        [COL_SERVICE] = line->service, [COL_LINK] = line->link, [COL_QUANTITY] = quantity,
        [COL_STATUS] = line->status, [COL_CHARGED] = charged, [COL_REFUNDED] = refunded,
        [COL_PAID] = paid, [COL_BALANCE] = balance,
        [COL_CURRENCY] = order ? line->currency : statement->currency, [COL_NOTE] = line->note,
      };

      append_row (out, row, N_COLS);
    }
  {
    /* The last day of the period ([from, to) ends the second before @to). */
    g_autofree char *day = statement->to != G_MAXINT64 ? local_time (statement->to - 1, "%Y-%m-%d")
                                                       : NULL;
    g_autofree char *charged = relay_money_format (statement->charged);
    g_autofree char *refunded = relay_money_format (statement->refunded);
    g_autofree char *paid = relay_money_format (statement->paid);
    g_autofree char *balance = relay_money_format (statement->closing);
    const char *row[N_COLS] = { [COL_DATE] = day, [COL_TYPE] = "closing_balance",
                                [COL_CHARGED] = charged, [COL_REFUNDED] = refunded,
                                [COL_PAID] = paid, [COL_BALANCE] = balance,
                                [COL_CURRENCY] = statement->currency };

    append_row (out, row, N_COLS);
  }
  return g_string_free (out, FALSE);
}
