/* SPDX-License-Identifier: GPL-3.0-or-later */
/* smm-relay-cli dispatch and sync: sending due orders and refreshing statuses, once or watching. */
#include <inttypes.h>
#include "config.h"

#include "relay-cli-private.h"

typedef struct
{
  RelayCli *cli;
  guint     n_printed;
} OutcomePrinter;

static void
on_order_sent (RelayDispatcher *dispatcher, gint64 order_id, guint status, gpointer user_data)
{
  OutcomePrinter *printer = user_data;
  g_autoptr(RelayOrderRow) order = NULL;

  order = relay_store_get_order (relay_core_get_store (printer->cli->core), order_id, NULL);
  if (order != NULL)
    relay_cli_print_order_outcome (relay_core_get_store (printer->cli->core), order);
  printer->n_printed++;
}

/* One dispatcher run that prints a line per order it handled. */
static RelayDispatchReport *
dispatch_once (RelayCli *cli, gboolean progress, GError **error)
{
  RelayDispatcher *dispatcher = relay_core_get_dispatcher (cli->core);
  OutcomePrinter printer = { cli, 0 };
  RelayDispatchReport *report;
  gulong handler;

  handler = g_signal_connect (dispatcher, "order-sent", G_CALLBACK (on_order_sent), &printer);
  report = relay_cli_run_dispatcher (cli, NULL, 0, progress, error);
  g_signal_handler_disconnect (dispatcher, handler);
  return report;
}

static gboolean
report_is_empty (const RelayDispatchReport *report)
{
  return report->n_sent + report->n_failed + report->n_review + report->n_retry +
         report->n_no_key + report->n_funds == 0;
}

static void
print_dispatch_report (const RelayDispatchReport *report)
{
  if (report_is_empty (report))
    {
      g_print (_("dispatch: nothing to send\n"));
      return;
    }
  g_print (_("dispatch: %u sent, %u failed, %u need review, %u to retry later\n"),
           report->n_sent, report->n_failed, report->n_review, report->n_retry);
  if (report->n_no_key > 0)
    g_print (g_dngettext (GETTEXT_PACKAGE,
                          "dispatch: %u order left queued: no API key for its provider on this "
                          "computer\n",
                          "dispatch: %u orders left queued: no API key for their provider on this "
                          "computer\n", report->n_no_key),
             report->n_no_key);
  if (report->n_funds > 0)
    g_print (g_dngettext (GETTEXT_PACKAGE,
                          "dispatch: %u order waits for funds (see “provider list”)\n",
                          "dispatch: %u orders wait for funds (see “provider list”)\n",
                          report->n_funds),
             report->n_funds);
}

static gboolean
parse_watch (RelayCli *cli, gint64 watch, int *status)
{
  if (watch < 0 || watch > 24 * 3600)
    {
      *status = relay_cli_usage (cli, _("--watch takes a number of seconds from 1 to 86400"));
      return FALSE;
    }
  return TRUE;
}

int
relay_cli_dispatch (RelayCli *cli, char **argv)
{
  gint64 watch = 0;
  const GOptionEntry entries[] = {
    { "watch", 0, 0, G_OPTION_ARG_INT64, &watch, N_("keep going every SECONDS until interrupted"),
      N_("SECONDS") },
    { NULL }
  };
  int status = relay_cli_parse (cli, entries, argv, 0, 0);

  if (status >= 0)
    return status;
  if (!parse_watch (cli, watch, &status))
    return status;
  if (relay_cli_open (cli) == NULL)
    return RELAY_CLI_EXIT_FAILED;

  if (watch == 0)
    {
      g_autoptr(GError) error = NULL;
      g_autofree RelayDispatchReport *report = dispatch_once (cli, TRUE, &error);

      if (report == NULL)
        return relay_cli_fail_error (error);
      print_dispatch_report (report);
      return RELAY_CLI_EXIT_OK;
    }

  cli->watching = TRUE;
  relay_cli_catch_signals (cli, TRUE);
  while (!cli->quit_requested)
    {
      g_autoptr(GError) error = NULL;
      g_autofree RelayDispatchReport *report = dispatch_once (cli, FALSE, &error);

      if (report == NULL)
        relay_cli_fail_error (error);
      else if (!report_is_empty (report))
        print_dispatch_report (report);
      relay_cli_sleep (cli, (guint) watch);
    }
  relay_cli_catch_signals (cli, FALSE);
  return RELAY_CLI_EXIT_OK;
}

/* Prints the providers' last errors, which say why sync requests failed. */
static void
print_provider_errors (RelayCli *cli)
{
  RelayStore *store = relay_core_get_store (cli->core);
  g_autoptr(GPtrArray) providers = NULL;

  /* The errors the run noted behind another writer's lock are in first. */
  relay_core_finish_writes (cli->core, RELAY_CORE_FINISH_WRITES_MS);
  providers = relay_store_list_providers (store, NULL);
  for (guint i = 0; providers != NULL && i < providers->len; i++)
    {
      RelayProviderRow *p = g_ptr_array_index (providers, i);

      if (p->last_error != NULL)
        relay_cli_fail ("%s: %s", p->name, p->last_error);
    }
}

static RelaySyncReport *
sync_once (RelayCli *cli, GError **error)
{
  RelaySync *sync = relay_core_get_sync (cli->core);
  g_autoptr(GAsyncResult) result = NULL;

  relay_sync_run_async (sync, cli->cancellable, relay_cli_async_ready, cli);
  result = relay_cli_wait (cli);
  return relay_sync_run_finish (sync, result, error);
}

static void
print_sync_report (const RelaySyncReport *report)
{
  g_autofree char *checked = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "checked %u order",
                                                           "checked %u orders", report->n_checked),
                                              report->n_checked);
  g_autofree char *requests = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u request",
                                                            "%u requests", report->n_requests),
                                               report->n_requests);

  g_print (_("%s in %s; %u changed"), checked, requests, report->changes->len);
  if (report->n_errors > 0)
    g_print (g_dngettext (GETTEXT_PACKAGE, "; %u request failed", "; %u requests failed",
                          report->n_errors), report->n_errors);
  g_print ("\n");
  /* A refused reply (absurd numbers, another currency, an id that is not
   * one) leaves its order as it was: said, not hidden behind "0 changed". */
  if (report->n_not_updated > 0)
    {
      g_print (g_dngettext (GETTEXT_PACKAGE, "%u order not updated", "%u orders not updated",
                            report->n_not_updated), report->n_not_updated);
      if (report->not_updated_reason != NULL)
        {
          if (report->n_not_updated > 1)
            /* TRANSLATORS: after "3 orders not updated", the first of them */
            g_print (_(": %s (and others, see each order’s error)\n"),
                     report->not_updated_reason);
          else
            g_print (": %s\n", report->not_updated_reason);
        }
      else
        g_print ("\n");
    }
  for (guint i = 0; i < report->changes->len; i++)
    {
      RelayStatusChange *change = &g_array_index (report->changes, RelayStatusChange, i);

      g_print (_("order %" PRId64 ": %s → %s\n"), change->order_id,
               relay_order_status_to_string (change->old_status),
               relay_order_status_to_string (change->new_status));
    }
}

int
relay_cli_sync (RelayCli *cli, char **argv)
{
  gint64 watch = 0;
  const GOptionEntry entries[] = {
    { "watch", 0, 0, G_OPTION_ARG_INT64, &watch, N_("keep going every SECONDS until interrupted; "
      "due orders are sent too"), N_("SECONDS") },
    { NULL }
  };
  int status = relay_cli_parse (cli, entries, argv, 0, 0);

  if (status >= 0)
    return status;
  if (!parse_watch (cli, watch, &status))
    return status;
  if (relay_cli_open (cli) == NULL)
    return RELAY_CLI_EXIT_FAILED;

  if (watch == 0)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RelaySyncReport) report = NULL;

      relay_cli_catch_signals (cli, TRUE);
      report = sync_once (cli, &error);
      relay_cli_catch_signals (cli, FALSE);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* Interrupted: what was already answered is recorded. */
          g_printerr (_("smm-relay-cli: sync interrupted\n"));
          return RELAY_CLI_EXIT_INTERRUPTED;
        }
      if (report == NULL)
        return relay_cli_fail_error (error);
      print_sync_report (report);
      if (report->n_errors > 0)
        {
          print_provider_errors (cli);
          return RELAY_CLI_EXIT_FAILED;
        }
      if (report->n_not_updated > 0)
        return RELAY_CLI_EXIT_FAILED;
      return RELAY_CLI_EXIT_OK;
    }

  cli->watching = TRUE;
  relay_cli_catch_signals (cli, TRUE);
  while (!cli->quit_requested)
    {
      g_autoptr(GError) error = NULL;
      g_autofree RelayDispatchReport *dispatched = NULL;
      g_autoptr(RelaySyncReport) report = NULL;

      /* Scheduled orders whose time came, and retries, go first. */
      dispatched = dispatch_once (cli, FALSE, &error);
      if (dispatched == NULL)
        {
          relay_cli_fail_error (error);
          g_clear_error (&error);
        }
      else if (!report_is_empty (dispatched))
        print_dispatch_report (dispatched);
      if (cli->quit_requested)
        break;

      report = sync_once (cli, &error);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        break;
      if (report == NULL)
        relay_cli_fail_error (error);
      else if (report->changes->len > 0 || report->n_errors > 0 || report->n_not_updated > 0)
        {
          print_sync_report (report);
          if (report->n_errors > 0)
            print_provider_errors (cli);
        }
      relay_cli_sleep (cli, (guint) watch);
    }
  relay_cli_catch_signals (cli, FALSE);
  return RELAY_CLI_EXIT_OK;
}
