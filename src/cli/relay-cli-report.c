/* SPDX-License-Identifier: GPL-3.0-or-later */
/* smm-relay-cli report: money, statuses and delivery of a period, for people,
 * as JSON or as CSV.  The figures come from relay_core_report_async(). */
#include "config.h"

#include "relay-cli-private.h"
#include "relay-format.h"

#include <inttypes.h>

/* The inclusive local day of @unix_time, "YYYY-MM-DD". */
static char *
local_day (gint64 unix_time)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (unix_time);

  return when != NULL ? g_date_time_format (when, "%Y-%m-%d") : g_strdup ("");
}

/* For --csv: a dot whatever the locale (a Russian locale would print "25,0"). */
static char *
format_margin (const RelayReportRow *row)
{
  char text[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (g_ascii_formatd (text, sizeof text, "%.1f", row->margin));
}

static char *
format_seconds (const RelayDurationStats *stats, gint64 value)
{
  if (stats->n == 0)
    return NULL;
  if (value < 120)
    return g_strdup_printf ("%" PRId64 " s", value);
  if (value < 7200)
    return g_strdup_printf ("%" PRId64 " min", value / 60);
  return g_strdup_printf ("%.1f h", value / 3600.0);
}

static char *
format_rate (double rate)
{
  return g_strdup_printf ("%.1f%%", rate * 100.0);
}

/* ---- JSON ---- */

static void
json_money_row (JsonBuilder *builder, const RelayReportRow *row)
{
  relay_cli_json_int (builder, "orders", TRUE, row->orders);
  relay_cli_json_money (builder, "charged", TRUE, row->charged);
  relay_cli_json_money (builder, "refunded", TRUE, row->refunded);
  relay_cli_json_money (builder, "cost", TRUE, row->cost);
  relay_cli_json_money (builder, "profit", TRUE, row->profit);
  json_builder_set_member_name (builder, "margin");
  json_builder_add_double_value (builder, row->margin);
}

static void
json_stats (JsonBuilder *builder, const char *name, const RelayDurationStats *stats)
{
  json_builder_set_member_name (builder, name);
  if (stats->n == 0)
    {
      json_builder_add_null_value (builder);
      return;
    }
  json_builder_begin_object (builder);
  relay_cli_json_int (builder, "n", TRUE, stats->n);
  relay_cli_json_int (builder, "min", TRUE, stats->min);
  relay_cli_json_int (builder, "q1", TRUE, stats->q1);
  relay_cli_json_int (builder, "median", TRUE, stats->median);
  relay_cli_json_int (builder, "q3", TRUE, stats->q3);
  relay_cli_json_int (builder, "max", TRUE, stats->max);
  json_builder_end_object (builder);
}

static void
print_json (const RelayReport *report)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *from = local_day (report->from);
  g_autofree char *to = local_day (report->to - 1);
  /* The totals at the top only when there is one currency: amounts in two
   * currencies are never added.  "totals" has them per currency always. */
  const RelayReportRow *single = report->totals->len == 1
    ? g_ptr_array_index (report->totals, 0) : NULL;

  json_builder_begin_object (builder);
  relay_cli_json_string (builder, "from", from);
  relay_cli_json_string (builder, "to", to);
  relay_cli_json_string (builder, "by", relay_report_group_to_string (report->group));
  relay_cli_json_string (builder, "currency", single ? single->currency : NULL);
  relay_cli_json_int (builder, "orders", TRUE, report->orders);
  json_builder_set_member_name (builder, "by_status");
  json_builder_begin_object (builder);
  for (guint s = 0; s < RELAY_ORDER_N_STATUSES; s++)
    relay_cli_json_int (builder, relay_order_status_to_string (s), TRUE, report->by_status[s]);
  json_builder_end_object (builder);
  /* null when there are several currencies; "0.00" when there is nothing. */
  relay_cli_json_money (builder, "charged", report->totals->len <= 1, single ? single->charged : 0);
  relay_cli_json_money (builder, "refunded", report->totals->len <= 1, single ? single->refunded : 0);
  relay_cli_json_money (builder, "cost", report->totals->len <= 1, single ? single->cost : 0);
  relay_cli_json_money (builder, "profit", report->totals->len <= 1, single ? single->profit : 0);

  json_builder_set_member_name (builder, "totals");
  json_builder_begin_array (builder);
  for (guint i = 0; i < report->totals->len; i++)
    {
      const RelayReportRow *row = g_ptr_array_index (report->totals, i);

      json_builder_begin_object (builder);
      relay_cli_json_string (builder, "currency", row->currency);
      json_money_row (builder, row);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "rows");
  json_builder_begin_array (builder);
  for (guint i = 0; i < report->rows->len; i++)
    {
      const RelayReportRow *row = g_ptr_array_index (report->rows, i);

      json_builder_begin_object (builder);
      relay_cli_json_string (builder, "key", row->key);
      relay_cli_json_int (builder, "id", row->key_id != 0, row->key_id);
      relay_cli_json_string (builder, "currency", row->currency);
      json_money_row (builder, row);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "delivery");
  json_builder_begin_array (builder);
  for (guint i = 0; i < report->delivery->len; i++)
    {
      const RelayDeliveryRow *d = g_ptr_array_index (report->delivery, i);

      json_builder_begin_object (builder);
      relay_cli_json_string (builder, "provider", d->provider_name);
      relay_cli_json_string (builder, "service", d->provider_service_id);
      relay_cli_json_string (builder, "name", d->service_name);
      relay_cli_json_int (builder, "orders", TRUE, d->orders);
      json_stats (builder, "seconds_to_start", &d->to_start);
      json_stats (builder, "seconds_to_complete", &d->to_complete);
      json_builder_set_member_name (builder, "partial_rate");
      json_builder_add_double_value (builder, d->partial_rate);
      json_builder_set_member_name (builder, "cancel_rate");
      json_builder_add_double_value (builder, d->cancel_rate);
      json_builder_set_member_name (builder, "refill_rate");
      json_builder_add_double_value (builder, d->refill_rate);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  relay_cli_print_json (root);
}

/* ---- CSV and people ---- */

static void
print_csv (const RelayReport *report)
{
  const char *header[] = { "key", "id", "currency", "orders", "charged", "refunded", "cost",
                           "profit", "margin" };

  relay_cli_csv_row (header, G_N_ELEMENTS (header));
  for (guint i = 0; i < report->rows->len; i++)
    {
      const RelayReportRow *row = g_ptr_array_index (report->rows, i);
      g_autofree char *id = row->key_id != 0 ? g_strdup_printf ("%" PRId64, row->key_id) : NULL;
      g_autofree char *orders = g_strdup_printf ("%" PRId64, row->orders);
      g_autofree char *charged = relay_money_format (row->charged);
      g_autofree char *refunded = relay_money_format (row->refunded);
      g_autofree char *cost = relay_money_format (row->cost);
      g_autofree char *profit = relay_money_format (row->profit);
      g_autofree char *margin = format_margin (row);
      const char *fields[] = { row->key, id, row->currency, orders, charged, refunded, cost,
                               profit, margin };

      relay_cli_csv_row (fields, G_N_ELEMENTS (fields));
    }
}

static void
add_money_row (RelayCliTable *table, const char *key, const RelayReportRow *row)
{
  g_autofree char *orders = g_strdup_printf ("%" PRId64, row->orders);
  g_autofree char *charged = relay_format_amount_take (relay_money_format (row->charged));
  g_autofree char *refunded = relay_format_amount_take (relay_money_format (row->refunded));
  g_autofree char *cost = relay_format_amount_take (relay_money_format (row->cost));
  g_autofree char *profit = relay_format_amount_take (relay_money_format (row->profit));
  g_autofree char *margin = g_strdup_printf ("%.1f%%", row->margin);

  relay_cli_table_add (table, key, row->currency, orders, charged, refunded, cost, profit, margin);
}

static void
print_text (const RelayReport *report)
{
  g_autofree char *from = local_day (report->from);
  g_autofree char *to = local_day (report->to - 1);
  g_autoptr(RelayCliTable) money = NULL;
  g_autoptr(GString) statuses = g_string_new (NULL);

  /* TRANSLATORS: "Report 2026-11-01 to 2026-11-30, by client" */
  g_print (_("Report %s to %s, by %s\n\n"), from, to,
           relay_report_group_to_string (report->group));
  if (report->orders == 0)
    {
      g_print (_("No orders were placed in this period.\n"));
      return;
    }
  money = relay_cli_table_new (_("KEY"), _("CURRENCY"), _("ORDERS"), _("CHARGED"), _("REFUNDED"),
                               _("COST"), _("PROFIT"), _("MARGIN"), NULL);
  for (guint c = 2; c < 8; c++)
    relay_cli_table_align_right (money, c);
  for (guint i = 0; i < report->rows->len; i++)
    {
      const RelayReportRow *row = g_ptr_array_index (report->rows, i);

      add_money_row (money, *row->key != '\0' ? row->key : _("(none)"), row);
    }
  for (guint i = 0; i < report->totals->len; i++)
    add_money_row (money, _("Total"), g_ptr_array_index (report->totals, i));
  relay_cli_table_print (money);

  for (guint s = 0; s < RELAY_ORDER_N_STATUSES; s++)
    if (report->by_status[s] > 0)
      g_string_append_printf (statuses, "%s%s %" PRId64, statuses->len ? ", " : "",
                              relay_order_status_get_label (s), report->by_status[s]);
  g_print (_("\nOrders by status: %s\n"), statuses->str);

  if (report->delivery->len > 0)
    {
      g_autoptr(RelayCliTable) delivery = relay_cli_table_new (_("PROVIDER"), _("SERVICE"), _("SENT"),
                                                               _("MEDIAN START"), _("MEDIAN COMPLETE"),
                                                               _("PARTIAL"), _("CANCELED"), _("REFILLED"),
                                                               NULL);

      for (guint c = 2; c < 8; c++)
        relay_cli_table_align_right (delivery, c);
      for (guint i = 0; i < report->delivery->len; i++)
        {
          const RelayDeliveryRow *d = g_ptr_array_index (report->delivery, i);
          g_autofree char *service = g_strdup_printf ("%s %s", d->provider_service_id, d->service_name);
          g_autofree char *short_service = relay_cli_shorten (service, 36);
          g_autofree char *sent = g_strdup_printf ("%" PRId64, d->orders);
          g_autofree char *start = format_seconds (&d->to_start, d->to_start.median);
          g_autofree char *complete = format_seconds (&d->to_complete, d->to_complete.median);
          g_autofree char *partial = format_rate (d->partial_rate);
          g_autofree char *canceled = format_rate (d->cancel_rate);
          g_autofree char *refilled = format_rate (d->refill_rate);

          relay_cli_table_add (delivery, d->provider_name, short_service, sent, start, complete,
                               partial, canceled, refilled);
        }
      g_print ("\n");
      relay_cli_table_print (delivery);
    }
}

int
relay_cli_report (RelayCli *cli, char **argv)
{
  g_autofree char *from_text = NULL;
  g_autofree char *to_text = NULL;
  g_autofree char *period_text = NULL;
  g_autofree char *by_text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(RelayReport) report = NULL;
  gboolean json = FALSE;
  gboolean csv = FALSE;
  RelayReportGroup group = RELAY_REPORT_BY_CLIENT;
  gint64 from, to;
  const GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_STRING, &from_text,
      N_("the first day (YYYY-MM-DD, local time)"), N_("DATE") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to_text,
      N_("the last day, included (default: today)"), N_("DATE") },
    { "period", 0, 0, G_OPTION_ARG_STRING, &period_text,
      N_("today, 7d, 30d or month (default: 30d)"), N_("PERIOD") },
    { "by", 0, 0, G_OPTION_ARG_STRING, &by_text,
      N_("one row per client, provider, service or day (default: client)"), N_("GROUP") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("print JSON"), NULL },
    { "csv", 0, 0, G_OPTION_ARG_NONE, &csv, N_("print CSV (RFC 4180, with a header line)"), NULL },
    { NULL }
  };
  int status = relay_cli_parse (cli, entries, argv, 0, 0);

  if (status >= 0)
    return status;
  if (json && csv)
    return relay_cli_usage (cli, _("choose --json or --csv, not both"));
  if (by_text != NULL && !relay_report_group_from_string (by_text, &group))
    return relay_cli_usage (cli, _("--by takes client, provider, service or day, not “%s”"), by_text);
  if (period_text != NULL && (from_text != NULL || to_text != NULL))
    return relay_cli_usage (cli, _("choose --period or --from/--to, not both"));
  if (to_text != NULL && from_text == NULL)
    return relay_cli_usage (cli, _("--to needs --from"));

  if (from_text != NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");

      if (!relay_report_parse_days (from_text, to_text ? to_text : today, &from, &to, &error))
        return relay_cli_usage (cli, "%s", error->message);
    }
  else
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      RelayReportPeriod period = RELAY_REPORT_PERIOD_30_DAYS;

      if (period_text != NULL && !relay_report_period_from_string (period_text, &period))
        return relay_cli_usage (cli, _("--period takes today, 7d, 30d or month, not “%s”"),
                                period_text);
      relay_report_period_range (period, now, &from, &to);
    }

  if (relay_cli_open (cli) == NULL)
    return RELAY_CLI_EXIT_FAILED;
  relay_core_report_async (cli->core, from, to, group, cli->cancellable, relay_cli_async_ready, cli);
  result = relay_cli_wait (cli);
  report = relay_core_report_finish (cli->core, result, &error);
  if (report == NULL)
    return relay_cli_fail_error (error);

  if (json)
    print_json (report);
  else if (csv)
    print_csv (report);
  else
    print_text (report);
  return RELAY_CLI_EXIT_OK;
}
