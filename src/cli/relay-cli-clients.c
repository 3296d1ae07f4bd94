/* SPDX-License-Identifier: GPL-3.0-or-later */
/* smm-relay-cli client …: clients, what they owe, and their ledger. */
#include <inttypes.h>
#include "config.h"

#include "relay-cli-private.h"
#include "relay-format.h"

#include <stdio.h>
#include <string.h>

static int
client_add (RelayCli *cli, char **argv)
{
  g_autoptr(GError) error = NULL;
  int status = relay_cli_parse (cli, NULL, argv, 1, 1);

  if (status >= 0)
    return status;
  if (*g_strstrip (argv[1]) == '\0')
    return relay_cli_usage (cli, _("a client needs a name"));
  if (relay_cli_open (cli) == NULL)
    return RELAY_CLI_EXIT_FAILED;
  if (relay_store_add_client (relay_core_get_store (cli->core), argv[1], &error) == 0)
    return relay_cli_fail_error (error);
  g_print (_("client “%s” added\n"), argv[1]);
  return RELAY_CLI_EXIT_OK;
}

static int
client_list (RelayCli *cli, char **argv)
{
  gboolean json = FALSE;
  gboolean names = FALSE;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) clients = NULL;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("print JSON"), NULL },
    { "names", 0, 0, G_OPTION_ARG_NONE, &names,
      N_("print the names alone, one a line (for shell completion)"), NULL },
    { NULL }
  };
  int status = relay_cli_parse (cli, entries, argv, 0, 0);

  if (status >= 0)
    return status;
  if (json && names)
    return relay_cli_usage (cli, _("--json and --names go alone"));
  if (relay_cli_open (cli) == NULL)
    return RELAY_CLI_EXIT_FAILED;
  clients = relay_store_list_clients (relay_core_get_store (cli->core), &error);
  if (clients == NULL)
    return relay_cli_fail_error (error);

  if (names)
    {
      for (guint i = 0; i < clients->len; i++)
        g_print ("%s\n", ((RelayClientRow *) g_ptr_array_index (clients, i))->name);
      return RELAY_CLI_EXIT_OK;
    }

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < clients->len; i++)
        {
          RelayClientRow *c = g_ptr_array_index (clients, i);

          json_builder_begin_object (builder);
          relay_cli_json_int (builder, "id", TRUE, c->id);
          relay_cli_json_string (builder, "name", c->name);
          relay_cli_json_int (builder, "orders", TRUE, c->n_orders);
          relay_cli_json_int (builder, "active", TRUE, c->n_active);
          relay_cli_json_money (builder, "balance", c->balance_beyond == 0, c->balance);
          if (c->balance_beyond != 0)  /* the ledger sums beyond 64 bits */
            relay_cli_json_int (builder, "balance_beyond", TRUE, c->balance_beyond);
          relay_cli_json_time (builder, "created_at", c->created_at);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      relay_cli_print_json (root);
      return RELAY_CLI_EXIT_OK;
    }

  if (clients->len == 0)
    {
      g_print (_("No clients yet; add one with “%s client add NAME”.\n"), RELAY_CLI_NAME);
      return RELAY_CLI_EXIT_OK;
    }
  {
    g_autoptr(RelayCliTable) table = relay_cli_table_new (_("NAME"), _("ORDERS"), _("ACTIVE"),
                                                          _("OWES"), NULL);

    relay_cli_table_align_right (table, 1);
    relay_cli_table_align_right (table, 2);
    relay_cli_table_align_right (table, 3);
    for (guint i = 0; i < clients->len; i++)
      {
        RelayClientRow *c = g_ptr_array_index (clients, i);
        g_autofree char *orders = g_strdup_printf ("%" PRId64, c->n_orders);
        g_autofree char *active = g_strdup_printf ("%" PRId64, c->n_active);
        g_autofree char *balance =
          relay_format_amount_take (relay_money_format_sum (c->balance, c->balance_beyond));

        relay_cli_table_add (table, c->name, orders, active, balance);
      }
    relay_cli_table_print (table);
  }
  return RELAY_CLI_EXIT_OK;
}

/* The kind of a ledger entry in the user's language; --json keeps the code. */
static const char *
ledger_kind_text (const char *kind)
{
  if (g_strcmp0 (kind, "charge") == 0)
    return C_("ledger kind", "charge");
  if (g_strcmp0 (kind, "refund") == 0)
    return C_("ledger kind", "refund");
  if (g_strcmp0 (kind, "payment") == 0)
    return C_("ledger kind", "payment");
  if (g_strcmp0 (kind, "adjustment") == 0)
    return C_("ledger kind", "adjustment");
  return kind;
}

/* A refund's note is the status that caused it, a correction's the core's
 * N_() sentence: in the user's language; a payment's note as typed. */
static const char *
ledger_note_text (const char *note)
{
  RelayOrderStatus status;

  if (note != NULL && relay_order_status_from_string (note, &status))
    switch (status)
      {
      case RELAY_ORDER_PARTIAL:
        return C_("ledger note", "partial");
      case RELAY_ORDER_CANCELED:
        return C_("ledger note", "canceled");
      case RELAY_ORDER_FAILED:
        return C_("ledger note", "failed");
      default:
        return note;
      }
  if (g_strcmp0 (note, "refund corrected by the provider's numbers") == 0)
    return _(note);
  return note;
}

static int
client_show (RelayCli *cli, char **argv)
{
  gboolean json = FALSE;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayClientRow) client = NULL;
  g_autoptr(GPtrArray) ledger = NULL;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("print JSON"), NULL },
    { NULL }
  };
  int status = relay_cli_parse (cli, entries, argv, 1, 1);

  if (status >= 0)
    return status;
  if (relay_cli_open (cli) == NULL)
    return RELAY_CLI_EXIT_FAILED;
  client = relay_cli_find_client (cli, argv[1], &error);
  if (client == NULL)
    return relay_cli_fail_error (error);
  ledger = relay_store_list_ledger (relay_core_get_store (cli->core), client->id, &error);
  if (ledger == NULL)
    return relay_cli_fail_error (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      relay_cli_json_string (builder, "name", client->name);
      relay_cli_json_money (builder, "balance", client->balance_beyond == 0, client->balance);
      if (client->balance_beyond != 0)  /* the ledger sums beyond 64 bits */
        relay_cli_json_int (builder, "balance_beyond", TRUE, client->balance_beyond);
      json_builder_set_member_name (builder, "ledger");
      json_builder_begin_array (builder);
      for (guint i = 0; i < ledger->len; i++)
        {
          RelayLedgerEntry *e = g_ptr_array_index (ledger, i);

          json_builder_begin_object (builder);
          relay_cli_json_money (builder, "amount", TRUE, e->amount);
          relay_cli_json_string (builder, "kind", e->kind);
          relay_cli_json_int (builder, "order", e->order_id != 0, e->order_id);
          relay_cli_json_time (builder, "at", e->at);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      relay_cli_print_json (root);
      return RELAY_CLI_EXIT_OK;
    }

  {
    g_autofree char *balance =
      relay_format_amount_take (relay_money_format_sum (client->balance, client->balance_beyond));

    g_print (_("Client:  %s\n"), client->name);
    g_print (_("Orders:  %" PRId64 " (%" PRId64 " active)\n"),
             client->n_orders, client->n_active);
    g_print (_("Owes:    %s\n"), balance);
  }
  if (ledger->len == 0)
    {
      g_print (_("\nNo ledger entries yet.\n"));
      return RELAY_CLI_EXIT_OK;
    }
  g_print ("\n");
  {
    g_autoptr(RelayCliTable) table = relay_cli_table_new (_("WHEN"), _("KIND"), _("AMOUNT"),
                                                          _("ORDER"), _("NOTE"), NULL);

    relay_cli_table_align_right (table, 2);
    relay_cli_table_align_right (table, 3);
    for (guint i = 0; i < ledger->len; i++)
      {
        RelayLedgerEntry *e = g_ptr_array_index (ledger, i);
        g_autofree char *when = relay_cli_format_local (e->at);
        g_autofree char *amount = relay_format_amount_take (relay_money_format (e->amount));
        g_autofree char *order = e->order_id ? g_strdup_printf ("%" PRId64, e->order_id)
                                             : NULL;

        relay_cli_table_add (table, when, ledger_kind_text (e->kind), amount, order,
                             ledger_note_text (e->note));
      }
    relay_cli_table_print (table);
  }
  return RELAY_CLI_EXIT_OK;
}

static int
client_pay (RelayCli *cli, char **argv)
{
  g_autofree char *note = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayClientRow) client = NULL;
  g_autoptr(RelayClientRow) after = NULL;
  g_autofree char *amount_text = NULL;
  g_autofree char *balance_text = NULL;
  g_autofree char *currency = NULL;
  gint64 amount = 0;
  const GOptionEntry entries[] = {
    { "note", 0, 0, G_OPTION_ARG_STRING, &note, N_("a note for the ledger"), N_("TEXT") },
    { NULL }
  };
  int status = relay_cli_parse (cli, entries, argv, 2, 2);

  if (status >= 0)
    return status;
  if (relay_cli_open (cli) == NULL)
    return RELAY_CLI_EXIT_FAILED;
  /* Read like the window reads it: the locale's grouping, and no more
   * decimals than the book's currency has. */
  currency = relay_store_dup_book_currency (relay_core_get_store (cli->core));
  if (!relay_money_parse_typed (argv[2], currency, &amount, &error))
    return relay_cli_usage (cli, _("bad AMOUNT: %s"), error->message);
  if (amount == 0)
    return relay_cli_usage (cli, _("a payment must be more than zero"));
  client = relay_cli_find_client (cli, argv[1], &error);
  if (client == NULL)
    return relay_cli_fail_error (error);
  if (!relay_store_add_payment (relay_core_get_store (cli->core), client->id, amount, note, &error))
    return relay_cli_fail_error (error);
  after = relay_store_get_client (relay_core_get_store (cli->core), client->id, &error);
  if (after == NULL)
    return relay_cli_fail_error (error);
  amount_text = relay_format_amount_take (relay_money_format (amount));
  balance_text = relay_format_amount_take (relay_money_format_sum (after->balance, after->balance_beyond));
  g_print (_("payment of %s from “%s” recorded; they now owe %s\n"), amount_text, after->name,
           balance_text);
  return RELAY_CLI_EXIT_OK;
}

static char *
local_day (gint64 unix_time)
{
  g_autoptr(GDateTime) when = NULL;

  if (unix_time <= 0 || unix_time == G_MAXINT64)
    return NULL;
  when = g_date_time_new_from_unix_local (unix_time);
  return when != NULL ? g_date_time_format (when, "%Y-%m-%d") : NULL;
}

static void
statement_to_json (const RelayStatement *st)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *from = local_day (st->from);
  g_autofree char *to = st->to != G_MAXINT64 ? local_day (st->to - 1) : NULL;

  json_builder_begin_object (builder);
  relay_cli_json_string (builder, "client", st->client);
  relay_cli_json_string (builder, "from", from);
  relay_cli_json_string (builder, "to", to);
  relay_cli_json_string (builder, "currency", st->currency);
  relay_cli_json_money (builder, "opening", TRUE, st->opening);
  relay_cli_json_money (builder, "charged", TRUE, st->charged);
  relay_cli_json_money (builder, "refunded", TRUE, st->refunded);
  relay_cli_json_money (builder, "paid", TRUE, st->paid);
  relay_cli_json_money (builder, "closing", TRUE, st->closing);
  json_builder_set_member_name (builder, "orders");
  json_builder_begin_array (builder);
  for (guint i = 0; i < st->lines->len; i++)
    {
      const RelayStatementLine *line = g_ptr_array_index (st->lines, i);

      if (line->kind != RELAY_STATEMENT_ORDER)
        continue;
      json_builder_begin_object (builder);
      relay_cli_json_int (builder, "order", TRUE, line->order_id);
      relay_cli_json_time (builder, "date", line->at);
      relay_cli_json_string (builder, "service", line->service);
      relay_cli_json_string (builder, "link", line->link);
      relay_cli_json_int (builder, "quantity", TRUE, line->quantity);
      relay_cli_json_string (builder, "status", line->status);
      relay_cli_json_string (builder, "currency", line->currency);
      relay_cli_json_money (builder, "charged", TRUE, line->charged);
      relay_cli_json_money (builder, "refunded", TRUE, line->refunded);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "payments");
  json_builder_begin_array (builder);
  for (guint i = 0; i < st->lines->len; i++)
    {
      const RelayStatementLine *line = g_ptr_array_index (st->lines, i);

      if (line->kind != RELAY_STATEMENT_PAYMENT)
        continue;
      json_builder_begin_object (builder);
      relay_cli_json_time (builder, "date", line->at);
      relay_cli_json_string (builder, "kind", line->payment_kind);
      relay_cli_json_money (builder, "amount", TRUE, line->paid);
      relay_cli_json_string (builder, "note", line->note);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  relay_cli_print_json (root);
}

static void
statement_to_text (const RelayStatement *st)
{
  g_autofree char *from = local_day (st->from);
  g_autofree char *to = st->to != G_MAXINT64 ? local_day (st->to - 1) : NULL;
  g_autofree char *opening = relay_format_amount_take (relay_money_format_with_currency (st->opening, st->currency));
  g_autofree char *charged = relay_format_amount_take (relay_money_format_with_currency (st->charged, st->currency));
  g_autofree char *refunded = relay_format_amount_take (relay_money_format_with_currency (st->refunded, st->currency));
  g_autofree char *paid = relay_format_amount_take (relay_money_format_with_currency (st->paid, st->currency));
  g_autofree char *closing = relay_format_amount_take (relay_money_format_with_currency (st->closing, st->currency));

  g_print (_("Statement of “%s”, %s to %s\n"), st->client, from ? from : _("the start"),
           to ? to : _("now"));
  g_print (_("Opening balance:  %s\n"), opening);
  if (st->lines->len > 0)
    {
      g_autoptr(RelayCliTable) table = relay_cli_table_new (_("WHEN"), _("ORDER"), _("SERVICE"),
                                                            _("LINK"), _("QUANTITY"),
                                                            _("STATUS"), _("CHARGED"),
                                                            _("REFUNDED"), _("PAID"),
                                                            _("BALANCE"), NULL);

      for (guint c = 4; c <= 9; c++)
        if (c != 5)
          relay_cli_table_align_right (table, c);
      g_print ("\n");
      for (guint i = 0; i < st->lines->len; i++)
        {
          const RelayStatementLine *line = g_ptr_array_index (st->lines, i);
          gboolean order = line->kind == RELAY_STATEMENT_ORDER;
          g_autofree char *when = relay_cli_format_local (line->at);
          g_autofree char *id = order ? g_strdup_printf ("%" PRId64, line->order_id) : NULL;
          g_autofree char *quantity = order ? g_strdup_printf ("%" PRId64, line->quantity) : NULL;
          g_autofree char *line_charged = order ? relay_format_amount_take (relay_money_format (line->charged)) : NULL;
          g_autofree char *line_refunded = order ? relay_format_amount_take (relay_money_format (line->refunded)) : NULL;
          g_autofree char *line_paid = order ? NULL : relay_format_amount_take (relay_money_format (line->paid));
          g_autofree char *balance = relay_format_amount_take (relay_money_format (line->balance));

          relay_cli_table_add (table, when, id, order ? line->service : line->payment_kind,
                               order ? line->link : line->note, quantity, line->status,
                               line_charged, line_refunded, line_paid, balance);
        }
      relay_cli_table_print (table);
      g_print ("\n");
    }
  g_print (_("Charged:          %s\n"), charged);
  g_print (_("Refunded:         %s\n"), refunded);
  g_print (_("Paid:             %s\n"), paid);
  g_print (_("Closing balance:  %s\n"), closing);
  if (st->mixed_currencies)
    g_print (_("The orders are in several currencies; the balances add them as the ledger does.\n"));
}

static int
client_statement (RelayCli *cli, char **argv)
{
  g_autofree char *from_text = NULL;
  g_autofree char *to_text = NULL;
  gboolean json = FALSE;
  gboolean csv = FALSE;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayClientRow) client = NULL;
  g_autoptr(RelayStatement) statement = NULL;
  gint64 from = 0, to = G_MAXINT64;
  const GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_STRING, &from_text,
      N_("the first day (YYYY-MM-DD, local time; default: the first entry)"), N_("DATE") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to_text,
      N_("the last day, included (default: now)"), N_("DATE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("print JSON"), NULL },
    { "csv", 0, 0, G_OPTION_ARG_NONE, &csv,
      N_("print CSV for a spreadsheet (RFC 4180, with a header line)"), NULL },
    { NULL }
  };
  int status = relay_cli_parse (cli, entries, argv, 1, 1);

  if (status >= 0)
    return status;
  if (json && csv)
    return relay_cli_usage (cli, _("choose --json or --csv, not both"));
  /* The days as `report` takes them: whole local days, both included. */
  if (from_text != NULL || to_text != NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
      gint64 unused;

      if (from_text != NULL &&
          !relay_report_parse_days (from_text, to_text ? to_text : today, &from, &to, &error))
        return relay_cli_usage (cli, "%s", error->message);
      if (from_text == NULL &&
          !relay_report_parse_days (to_text, to_text, &unused, &to, &error))
        return relay_cli_usage (cli, "%s", error->message);
    }
  if (relay_cli_open (cli) == NULL)
    return RELAY_CLI_EXIT_FAILED;
  client = relay_cli_find_client (cli, argv[1], &error);
  if (client == NULL)
    return relay_cli_fail_error (error);
  statement = relay_core_client_statement (cli->core, client->id, from, to, &error);
  if (statement == NULL)
    return relay_cli_fail_error (error);

  if (json)
    statement_to_json (statement);
  else if (csv)
    {
      g_autofree char *text = relay_statement_to_csv (statement);

      fwrite (text, 1, strlen (text), stdout);
    }
  else
    statement_to_text (statement);
  return RELAY_CLI_EXIT_OK;
}

const RelayCliCommand relay_cli_client_commands[] = {
  { "add", N_("NAME"), N_("Add a client"), client_add, NULL },
  { "list", N_("[--json|--names]"), N_("List clients with their orders and what they owe"),
    client_list, NULL },
  { "show", N_("NAME [--json]"), N_("Show a client’s balance and ledger"), client_show, NULL },
  { "pay", N_("NAME AMOUNT [--note TEXT]"), N_("Record a payment received from a client"),
    client_pay, NULL },
  { "statement", N_("NAME [--from DATE] [--to DATE] [--csv|--json]"),
    N_("A client’s orders, payments and balances for a period"), client_statement, NULL },
  { NULL }
};
