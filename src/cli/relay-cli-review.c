/* SPDX-License-Identifier: GPL-3.0-or-later */
/* smm-relay-cli review …: settling orders whose outcome is unknown, and approving manual ones. */
#include <inttypes.h>
#include "config.h"

#include "relay-cli-private.h"
#include "relay-format.h"

#define LINK_WIDTH 60

static int
review_list (RelayCli *cli, char **argv)
{
  gboolean json = FALSE;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) orders = NULL;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("print JSON"), NULL },
    { NULL }
  };
  int status = relay_cli_parse (cli, entries, argv, 0, 0);
  guint n_approval = 0;

  if (status >= 0)
    return status;
  if (relay_cli_open (cli) == NULL)
    return RELAY_CLI_EXIT_FAILED;
  orders = relay_store_list_review (relay_core_get_store (cli->core), &error);
  if (orders == NULL)
    return relay_cli_fail_error (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < orders->len; i++)
        {
          RelayOrderRow *o = g_ptr_array_index (orders, i);

          json_builder_begin_object (builder);
          relay_cli_json_int (builder, "id", TRUE, o->id);
          relay_cli_json_time (builder, "requested_at", o->created_at);
          relay_cli_json_time (builder, "sent_at", o->sent_at);
          relay_cli_json_int (builder, "service", TRUE, o->service_id);
          relay_cli_json_string (builder, "service_name", o->service_name);
          relay_cli_json_string (builder, "link", o->link);
          relay_cli_json_int (builder, "quantity", TRUE, o->quantity);
          relay_cli_json_string (builder, "client", o->client_name);
          relay_cli_json_string (builder, "provider", o->provider_name);
          relay_cli_json_string (builder, "provider_service_id", o->provider_service_id);
          relay_cli_json_string (builder, "reason", o->review_reason);
          relay_cli_json_string (builder, "error", o->error);
          json_builder_set_member_name (builder, "awaiting_approval");
          json_builder_add_boolean_value (builder, g_strcmp0 (o->review_reason,
                                                              RELAY_REVIEW_AWAITING_APPROVAL) == 0);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      relay_cli_print_json (root);
      return RELAY_CLI_EXIT_OK;
    }

  if (orders->len == 0)
    {
      g_print (_("Nothing to review.\n"));
      return RELAY_CLI_EXIT_OK;
    }
  {
    g_autoptr(RelayCliTable) table = relay_cli_table_new (_("ID"), _("REQUESTED"), _("SERVICE"),
                                                          _("LINK"), _("QTY"), _("PROVIDER"),
                                                          _("REASON"), NULL);

    relay_cli_table_align_right (table, 0);
    relay_cli_table_align_right (table, 4);
    for (guint i = 0; i < orders->len; i++)
      {
        RelayOrderRow *o = g_ptr_array_index (orders, i);
        g_autofree char *id = g_strdup_printf ("%" PRId64, o->id);
        g_autofree char *when = relay_cli_format_local (o->created_at);
        g_autofree char *service = g_strdup_printf ("%" PRId64 " %s", o->service_id,
                                                    o->service_name ? o->service_name : "");
        g_autofree char *link = relay_cli_shorten (o->link, LINK_WIDTH);
        g_autofree char *quantity = g_strdup_printf ("%" PRId64, o->quantity);
        g_autofree char *reason = NULL;

        if (o->review_reason != NULL && o->error != NULL &&
            g_strcmp0 (o->review_reason, o->error) != 0)
          reason = g_strdup_printf ("%s (%s)", o->review_reason, o->error);
        else
          reason = g_strdup (o->review_reason ? o->review_reason : o->error);
        if (g_strcmp0 (o->review_reason, RELAY_REVIEW_AWAITING_APPROVAL) == 0)
          n_approval++;
        relay_cli_table_add (table, id, when, service, link, quantity, o->provider_name, reason);
      }
    relay_cli_table_print (table);
  }
  g_print ("\n");
  if (n_approval < orders->len)
    g_print (_("Check each order whose outcome is unknown on the provider’s panel, then "
               "“review placed ID PROVIDER_ORDER_ID” or “review not-placed ID [--resend]”.\n"));
  if (n_approval > 0)
    g_print (_("Approve an order of a manual service with “review approve ID”, or turn it "
               "down with “review not-placed ID”.\n"));
  return RELAY_CLI_EXIT_OK;
}

static gboolean
parse_order_id (RelayCli *cli, const char *text, gint64 *out, int *status)
{
  if (relay_cli_parse_id (text, out))
    return TRUE;
  *status = relay_cli_usage (cli, _("“%s” is not an order id"), text);
  return FALSE;
}

static int
review_placed (RelayCli *cli, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayOrderRow) order = NULL;
  gint64 id = 0;
  int status = relay_cli_parse (cli, NULL, argv, 2, 2);

  if (status >= 0 || !parse_order_id (cli, argv[1], &id, &status))
    return status;
  if (*g_strstrip (argv[2]) == '\0')
    return relay_cli_usage (cli, _("the provider’s order id is empty"));
  if (relay_cli_open (cli) == NULL)
    return RELAY_CLI_EXIT_FAILED;
  if (!relay_store_review_placed (relay_core_get_store (cli->core), id, argv[2], &error))
    return relay_cli_fail_error (error);
  order = relay_store_get_order (relay_core_get_store (cli->core), id, &error);
  if (order == NULL)
    return relay_cli_fail_error (error);
  if (!relay_cli_print_order_outcome (relay_core_get_store (cli->core), order))
    return RELAY_CLI_EXIT_FAILED;
  return RELAY_CLI_EXIT_OK;
}

/* "not placed": failed with a refund, or queued again and (unless @no_send) sent. */
static int
settle_not_placed (RelayCli *cli, gint64 id, gboolean resend, gboolean no_send, gboolean approve)
{
  RelayStore *store = relay_core_get_store (cli->core);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayOrderRow) order = NULL;

  if (approve ? !relay_core_approve_order (cli->core, id, &error)
              : !relay_store_review_not_placed (store, id, resend, &error))
    return relay_cli_fail_error (error);
  if (resend && !no_send)
    {
      g_autofree RelayDispatchReport *report = relay_cli_run_dispatcher (cli, &id, 1, FALSE, &error);

      if (report == NULL)
        return relay_cli_fail_error (error);
    }
  order = relay_store_get_order (store, id, &error);
  if (order == NULL)
    return relay_cli_fail_error (error);
  if (!resend && order->status == RELAY_ORDER_FAILED)
    {
      g_autofree char *refunded = relay_format_amount_take (relay_money_format (order->refunded));

      g_print (_("order %" PRId64 ": marked as not placed; %s refunded\n"), id, refunded);
      return RELAY_CLI_EXIT_OK;
    }
  if (!relay_cli_print_order_outcome (relay_core_get_store (cli->core), order))
    return RELAY_CLI_EXIT_FAILED;
  return RELAY_CLI_EXIT_OK;
}

static int
review_not_placed (RelayCli *cli, char **argv)
{
  gboolean resend = FALSE;
  gboolean no_send = FALSE;
  gint64 id = 0;
  const GOptionEntry entries[] = {
    { "resend", 0, 0, G_OPTION_ARG_NONE, &resend, N_("queue it again and send it (otherwise it "
      "fails and the client is refunded)"), NULL },
    { "no-send", 0, 0, G_OPTION_ARG_NONE, &no_send, N_("with --resend: only queue it"), NULL },
    { NULL }
  };
  int status = relay_cli_parse (cli, entries, argv, 1, 1);

  if (status >= 0 || !parse_order_id (cli, argv[1], &id, &status))
    return status;
  if (relay_cli_open (cli) == NULL)
    return RELAY_CLI_EXIT_FAILED;
  return settle_not_placed (cli, id, resend, no_send, FALSE);
}

static int
review_approve (RelayCli *cli, char **argv)
{
  gboolean no_send = FALSE;
  gint64 id = 0;
  const GOptionEntry entries[] = {
    { "no-send", 0, 0, G_OPTION_ARG_NONE, &no_send, N_("only queue it; “dispatch” sends it"),
      NULL },
    { NULL }
  };
  int status = relay_cli_parse (cli, entries, argv, 1, 1);

  if (status >= 0 || !parse_order_id (cli, argv[1], &id, &status))
    return status;
  if (relay_cli_open (cli) == NULL)
    return RELAY_CLI_EXIT_FAILED;
  return settle_not_placed (cli, id, TRUE, no_send, TRUE);
}

const RelayCliCommand relay_cli_review_commands[] = {
  { "list", N_("[--json]"), N_("List the orders that need review, oldest first"),
    review_list, NULL },
  { "placed", N_("ID PROVIDER_ORDER_ID"), N_("The provider has the order: record its id"),
    review_placed, NULL },
  { "not-placed", N_("ID [--resend] [--no-send]"),
    N_("The provider does not have the order: refund it, or send it again with --resend"),
    review_not_placed, NULL },
  { "approve", N_("ID [--no-send]"), N_("Approve an order of a manual service and send it"),
    review_approve, NULL },
  { NULL }
};
