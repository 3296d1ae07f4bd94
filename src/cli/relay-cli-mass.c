/* SPDX-License-Identifier: GPL-3.0-or-later */
/* smm-relay-cli mass-order: many orders from lines of `service | link | quantity`. */
#include <inttypes.h>
#include "config.h"

#include "relay-cli-private.h"
#include "relay-format.h"

#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

/* The window's Import CSV… takes the same. */
#define MAX_MASS_FILE_SIZE RELAY_MASS_ORDER_MAX_BYTES

/* A named file over the limit: the window's message, before reading it. */
static gboolean
check_mass_file_size (const char *path)
{
  GStatBuf st;

  if (path == NULL || g_str_equal (path, "-") || g_stat (path, &st) != 0 ||
      (guint64) st.st_size <= MAX_MASS_FILE_SIZE)
    return TRUE;
  {
    g_autofree char *name = g_path_get_basename (path);
    g_autofree char *message = relay_mass_order_describe_too_large (name, (guint64) st.st_size);

    relay_cli_fail ("%s", message);
  }
  return FALSE;
}

typedef enum
{
  LINE_REFUSED,     /* refused before anything was recorded */
  LINE_PLANNED,     /* good; --dry-run */
  LINE_RECORDED,    /* queued; --no-send */
  LINE_SENT,
  LINE_APPROVAL,    /* a manual service: waits for approval */
  LINE_FAILED,
  LINE_REVIEW,
  LINE_WAITING,     /* not sent yet, will be retried */
} LineOutcome;

typedef struct
{
  guint  n_lines;
  guint  n_refused;
  guint  n_sent;       /* sent, or recorded / planned when not sending */
  guint  n_approval;
  guint  n_failed;
  guint  n_review;
  guint  n_waiting;
  gint64 total;        /* the price of the lines counted in n_sent and n_approval */
} Tally;

static LineOutcome
order_outcome (const RelayOrderRow *o)
{
  switch (o->status)
    {
    case RELAY_ORDER_FAILED:
      return LINE_FAILED;
    case RELAY_ORDER_NEEDS_REVIEW:
      return g_strcmp0 (o->review_reason, RELAY_REVIEW_AWAITING_APPROVAL) == 0 ? LINE_APPROVAL
                                                                                : LINE_REVIEW;
    case RELAY_ORDER_QUEUED:
    case RELAY_ORDER_SCHEDULED:
      return o->attempts == 0 && o->error == NULL ? LINE_RECORDED : LINE_WAITING;
    case RELAY_ORDER_SENDING:
      return LINE_WAITING;
    case RELAY_ORDER_PENDING:
    case RELAY_ORDER_PROCESSING:
    case RELAY_ORDER_IN_PROGRESS:
    case RELAY_ORDER_COMPLETED:
    case RELAY_ORDER_PARTIAL:
    case RELAY_ORDER_CANCELED:
    case RELAY_ORDER_N_STATUSES:
    default:
      return LINE_SENT;
    }
}

static const char *
outcome_name (LineOutcome outcome)
{
  static const char * const names[] = {
    "refused", "planned", "recorded", "sent", "awaiting_approval", "failed", "needs_review",
    "not_sent_yet",
  };
  return names[outcome];
}

static void
tally_add (Tally *tally, LineOutcome outcome, gint64 price)
{
  switch (outcome)
    {
    case LINE_REFUSED:
      tally->n_refused++;
      return;
    case LINE_PLANNED:
    case LINE_RECORDED:
    case LINE_SENT:
      tally->n_sent++;
      tally->total += price;
      return;
    case LINE_APPROVAL:
      tally->n_approval++;
      tally->total += price;
      return;
    case LINE_FAILED:
      tally->n_failed++;
      return;
    case LINE_REVIEW:
      tally->n_review++;
      return;
    case LINE_WAITING:
    default:
      tally->n_waiting++;
      return;
    }
}

static void
print_line (RelayStore *store, const RelayMassItem *item, LineOutcome outcome,
            const RelayOrderRow *o, const char *currency)
{
  guint line = item->line->line_no;
  g_autofree char *reason = NULL;

  switch (outcome)
    {
    case LINE_REFUSED:
      g_print (_("line %u: %s\n"), line, item->error);
      break;
    case LINE_PLANNED:
      {
        g_autofree char *price = relay_format_amount_take (relay_money_format_with_currency (item->price, currency));

        g_print (_("line %u: ok: %" PRId64 " × %s for %s\n"), line,
                 item->line->quantity, item->service->name, price);
      }
      break;
    case LINE_RECORDED:
      g_print (_("line %u: order %" PRId64 " queued\n"), line, o->id);
      break;
    case LINE_SENT:
      g_print (_("line %u: order %" PRId64 " sent (%s)\n"), line, o->id,
               o->provider_order_id ? o->provider_order_id : "?");
      break;
    case LINE_APPROVAL:
      g_print (_("line %u: order %" PRId64 " awaits approval\n"), line, o->id);
      break;
    case LINE_FAILED:
      g_print (_("line %u: order %" PRId64 " failed: %s\n"), line, o->id,
               o->error ? o->error : _("no reason given"));
      break;
    case LINE_REVIEW:
      g_print (_("line %u: order %" PRId64 " needs review: %s\n"), line, o->id,
               o->review_reason ? o->review_reason : (o->error ? o->error : _("no reason given")));
      break;
    case LINE_WAITING:
    default:
      reason = relay_cli_dup_order_reason (store, o);
      g_print (_("line %u: order %" PRId64 " not sent yet: %s\n"), line, o->id, reason);
      break;
    }
}

static char *
summary_text (const Tally *tally, const char *currency, gboolean dry_run, gboolean no_send)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *total = relay_format_amount_take (relay_money_format_with_currency (tally->total, currency));

  if (dry_run)
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u of %u line can be ordered",
                                               "%u of %u lines can be ordered", tally->n_lines),
                            tally->n_sent, tally->n_lines);
  else if (no_send)
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u of %u line recorded",
                                               "%u of %u lines recorded", tally->n_lines),
                            tally->n_sent, tally->n_lines);
  else
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u of %u line sent",
                                               "%u of %u lines sent", tally->n_lines),
                            tally->n_sent, tally->n_lines);
  g_string_append_printf (text, _(", %u refused"), tally->n_refused);
  if (tally->n_approval > 0)
    g_string_append_printf (text, _(", %u awaiting approval"), tally->n_approval);
  if (tally->n_failed > 0)
    g_string_append_printf (text, _(", %u failed"), tally->n_failed);
  if (tally->n_review > 0)
    g_string_append_printf (text, _(", %u need review"), tally->n_review);
  if (tally->n_waiting > 0)
    g_string_append_printf (text, _(", %u not sent yet"), tally->n_waiting);
  g_string_append_printf (text, _(", total %s"), total);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
line_to_json (JsonBuilder *builder, const RelayMassItem *item, LineOutcome outcome,
              const RelayOrderRow *o)
{
  json_builder_begin_object (builder);
  relay_cli_json_int (builder, "line", TRUE, item->line->line_no);
  relay_cli_json_string (builder, "text", item->line->text);
  relay_cli_json_string (builder, "outcome", outcome_name (outcome));
  relay_cli_json_int (builder, "order", o != NULL, o ? o->id : 0);
  relay_cli_json_string (builder, "status", o ? relay_order_status_to_string (o->status) : NULL);
  relay_cli_json_string (builder, "provider_order_id", o ? o->provider_order_id : NULL);
  relay_cli_json_money (builder, "price", outcome != LINE_REFUSED, item->price);
  if (outcome == LINE_REFUSED)
    relay_cli_json_string (builder, "error", item->error);
  else if (o != NULL && o->status == RELAY_ORDER_NEEDS_REVIEW)
    relay_cli_json_string (builder, "error", o->review_reason ? o->review_reason : o->error);
  else
    relay_cli_json_string (builder, "error", o ? o->error : NULL);
  json_builder_end_object (builder);
}

int
relay_cli_mass_order (RelayCli *cli, char **argv)
{
  g_autofree char *client_name = NULL;
  g_autofree char *csv_path = NULL;
  gsize text_len = 0;
  const char *nul;
  gboolean dry_run = FALSE;
  gboolean no_send = FALSE;
  gboolean json = FALSE;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayClientRow) client = NULL;
  g_autofree char *text = NULL;
  g_autoptr(RelayMassPlan) plan = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char *summary = NULL;
  RelayStore *store;
  Tally tally = { 0 };
  guint next_id = 0;
  const GOptionEntry entries[] = {
    { "client", 0, 0, G_OPTION_ARG_STRING, &client_name, N_("the client who ordered them"),
      N_("NAME") },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, N_("only check the lines; record nothing"),
      NULL },
    { "no-send", 0, 0, G_OPTION_ARG_NONE, &no_send, N_("record the orders; “dispatch” sends them"),
      NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("print JSON"), NULL },
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &csv_path,
      N_("read the orders from a CSV file (service, link, quantity[, client, runs, interval]; "
         "“-” for standard input)"), N_("FILE") },
    { NULL }
  };
  int status = relay_cli_parse (cli, entries, argv, 0, 1);

  if (status >= 0)
    return status;
  if (csv_path != NULL && argv[1] != NULL)
    return relay_cli_usage (cli, _("give the file either with --csv or as FILE, not both"));
  if (!check_mass_file_size (csv_path != NULL ? csv_path : argv[1]))
    return RELAY_CLI_EXIT_FAILED;
  if (csv_path != NULL)
    {
      text = relay_cli_read_file_raw (csv_path, _("CSV file"), MAX_MASS_FILE_SIZE, &text_len,
                                      &error);
      if (text == NULL)
        return relay_cli_fail_error (error);
    }
  else if ((argv[1] == NULL || g_strcmp0 (argv[1], "-") == 0) && isatty (STDIN_FILENO))
    g_printerr (_("Reading the orders from the terminal, one a line "
                  "(SERVICE | LINK | QUANTITY); end with Ctrl-D.\n"));
  if (text == NULL)
    text = relay_cli_read_file_raw (argv[1] ? argv[1] : "-", _("mass-order file"),
                                    MAX_MASS_FILE_SIZE, &text_len, &error);
  if (text == NULL)
    return relay_cli_fail_error (error);
  /* Bytes that are not UTF-8 and control characters in a link are the
   * parsers' to tell, by line (the text goes to them as read); a NUL byte
   * would end the pasted text there and drop the lines after it without a
   * word. */
  if ((nul = memchr (text, '\0', text_len)) != NULL)
    {
      guint line = 1;

      for (const char *p = text; p < nul; p++)
        line += *p == '\n';
      return relay_cli_fail (_("line %u: the file has a NUL byte: it is not a text file"), line);
    }
  if (relay_cli_open (cli) == NULL)
    return RELAY_CLI_EXIT_FAILED;
  store = relay_core_get_store (cli->core);
  if (client_name != NULL)
    {
      client = relay_cli_find_client (cli, client_name, &error);
      if (client == NULL)
        return relay_cli_fail_error (error);
    }

  if (csv_path != NULL)
    plan = relay_core_plan_mass_order_csv (cli->core, text, text_len, &error);
  else
    plan = relay_core_plan_mass_order (cli->core, text, &error);
  if (plan == NULL)
    return relay_cli_fail_error (error);
  if (plan->items->len == 0 && csv_path != NULL)
    return relay_cli_fail (_("the CSV file has no orders "
                             "(a header “service,link,quantity” and one order a line)"));
  if (plan->items->len == 0)
    return relay_cli_fail (_("the mass order has no lines "
                             "(one order a line: SERVICE | LINK | QUANTITY)"));
  tally.n_lines = plan->items->len;

  /* The refused lines first: they are known before anything is recorded. */
  if (!json)
    for (guint i = 0; i < plan->items->len; i++)
      {
        RelayMassItem *item = g_ptr_array_index (plan->items, i);

        if (item->error != NULL)
          print_line (store, item, LINE_REFUSED, NULL, NULL);
      }

  if (!dry_run && plan->n_good > 0)
    {
      ids = relay_core_submit_mass_order (cli->core, plan, client ? client->id : 0, &error);
      if (ids == NULL)
        return relay_cli_fail_error (error);
      if (!no_send)
        {
          g_autoptr(GError) dispatch_error = NULL;
          g_autofree RelayDispatchReport *report = NULL;

          report = relay_cli_run_dispatcher (cli, (const gint64 *) ids->data, ids->len,
                                             TRUE, &dispatch_error);

          /* What was recorded stays recorded: report each line anyway. */
          if (report == NULL)
            relay_cli_fail (_("sending stopped: %s"), dispatch_error->message);
        }
    }

  if (json)
    {
      builder = json_builder_new ();
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "lines");
      json_builder_begin_array (builder);
    }
  for (guint i = 0; i < plan->items->len; i++)
    {
      RelayMassItem *item = g_ptr_array_index (plan->items, i);
      g_autoptr(RelayOrderRow) order = NULL;
      LineOutcome outcome;

      if (item->error != NULL)
        outcome = LINE_REFUSED;
      else if (dry_run)
        outcome = LINE_PLANNED;
      else
        {
          /* The ids come in the order of the good lines. */
          gint64 id = g_array_index (ids, gint64, next_id++);

          order = relay_store_get_order (store, id, &error);
          if (order == NULL)
            return relay_cli_fail_error (error);
          outcome = order_outcome (order);
        }
      tally_add (&tally, outcome, item->price);
      if (json)
        line_to_json (builder, item, outcome, order);
      else if (outcome != LINE_REFUSED)
        print_line (store, item, outcome, order, plan->currency);
    }

  summary = summary_text (&tally, plan->currency, dry_run, no_send);
  if (json)
    {
      g_autoptr(JsonNode) root = NULL;

      json_builder_end_array (builder);
      relay_cli_json_int (builder, "lines_total", TRUE, tally.n_lines);
      relay_cli_json_int (builder, "sent", TRUE, tally.n_sent);
      relay_cli_json_int (builder, "refused", TRUE, tally.n_refused);
      relay_cli_json_int (builder, "awaiting_approval", TRUE, tally.n_approval);
      relay_cli_json_int (builder, "failed", TRUE, tally.n_failed);
      relay_cli_json_int (builder, "needs_review", TRUE, tally.n_review);
      relay_cli_json_int (builder, "not_sent_yet", TRUE, tally.n_waiting);
      relay_cli_json_money (builder, "total", TRUE, tally.total);
      relay_cli_json_string (builder, "currency", plan->currency);
      relay_cli_json_string (builder, "summary", summary);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      relay_cli_print_json (root);
    }
  else
    g_print ("%s\n", summary);

  return tally.n_sent + tally.n_approval == tally.n_lines ? RELAY_CLI_EXIT_OK
                                                           : RELAY_CLI_EXIT_FAILED;
}
