/* SPDX-License-Identifier: GPL-3.0-or-later */
/* smm-relay-cli orders, order add, order show, refill and cancel. */
#include <inttypes.h>
#include "config.h"

#include "relay-cli-private.h"
#include "relay-format.h"
#include "relay-quantity.h"

#include <stdio.h>
#include <string.h>

#define LINK_WIDTH 40
#define SERVICE_WIDTH 28
#define PAGE_SIZE 500
#define MAX_LIST_FILE_SIZE (1024 * 1024)

/* ---- orders ---- */

static gboolean
parse_status_filter (const char *text, RelayOrderQuery *query)
{
  if (g_strcmp0 (text, "active") == 0)
    query->filter = RELAY_ORDER_FILTER_ACTIVE;
  else if (g_strcmp0 (text, "attention") == 0)
    query->filter = RELAY_ORDER_FILTER_ATTENTION;
  else if (relay_order_status_from_string (text, &query->status))
    query->filter = RELAY_ORDER_FILTER_STATUS;
  else
    return FALSE;
  return TRUE;
}

static char *
status_names (void)
{
  g_autoptr(GString) names = g_string_new (NULL);

  for (int s = 0; s < RELAY_ORDER_N_STATUSES; s++)
    g_string_append_printf (names, "%s, ", relay_order_status_to_string (s));
  g_string_append (names, "active, attention");
  return g_string_free (g_steal_pointer (&names), FALSE);
}

static void
add_order_row (RelayCliTable *table, const RelayOrderRow *o)
{
  g_autofree char *id = g_strdup_printf ("%" PRId64, o->id);
  g_autofree char *created = relay_cli_format_local (o->created_at);
  g_autofree char *service_label = g_strdup_printf ("%" PRId64 " %s", o->service_id,
                                                    o->service_name ? o->service_name : "");
  g_autofree char *service = relay_cli_shorten (service_label, SERVICE_WIDTH);
  g_autofree char *link = relay_cli_shorten (o->link, LINK_WIDTH);
  g_autofree char *quantity = g_strdup_printf ("%" PRId64, o->quantity);
  g_autofree char *start = o->has_start_count
    ? g_strdup_printf ("%" PRId64, o->start_count) : NULL;
  g_autofree char *remains = o->has_remains
    ? g_strdup_printf ("%" PRId64, o->remains) : NULL;
  g_autofree char *price = relay_format_amount_take (relay_money_format (o->price));

  relay_cli_table_add (table, id, created, o->client_name, service, link, quantity, start,
                       remains, price, relay_order_status_get_label (o->status),
                       o->provider_order_id);
}

int
relay_cli_orders (RelayCli *cli, char **argv)
{
  g_autofree char *status_text = NULL;
  g_autofree char *client_name = NULL;
  g_autofree char *provider_name = NULL;
  g_autofree char *search = NULL;
  gint64 limit = 0;
  gboolean json = FALSE;
  gboolean csv = FALSE;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayClientRow) client = NULL;
  g_autoptr(RelayProviderRow) provider = NULL;
  g_autoptr(RelayCliTable) table = NULL;
  g_autoptr(GPtrArray) waiting = g_ptr_array_new_with_free_func (g_free);
  guint n_waiting = 0;
  RelayOrderQuery query = { 0 };
  RelayStore *store;
  gint64 offset = 0;
  guint n_printed = 0;
  const GOptionEntry entries[] = {
    { "status", 0, 0, G_OPTION_ARG_STRING, &status_text, N_("a status (scheduled, queued, sending, "
      "pending, processing, in_progress, completed, partial, canceled, failed, needs_review) or a "
      "group (active, attention)"), N_("S") },
    { "client", 0, 0, G_OPTION_ARG_STRING, &client_name, N_("only this client’s orders"),
      N_("NAME") },
    { "provider", 0, 0, G_OPTION_ARG_STRING, &provider_name,
      N_("only orders sent to this provider"), N_("NAME") },
    { "search", 0, 0, G_OPTION_ARG_STRING, &search, N_("a part of the link, an order id or a "
      "provider’s order id"), N_("TEXT") },
    { "limit", 0, 0, G_OPTION_ARG_INT64, &limit, N_("at most N orders"), N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("print JSON"), NULL },
    { "csv", 0, 0, G_OPTION_ARG_NONE, &csv, N_("print CSV (RFC 4180, with a header line)"), NULL },
    { NULL }
  };
  int status = relay_cli_parse (cli, entries, argv, 0, 0);

  if (status >= 0)
    return status;
  if (json && csv)
    return relay_cli_usage (cli, _("choose --json or --csv, not both"));
  if (limit < 0)
    return relay_cli_usage (cli, _("--limit must be a positive number"));
  if (status_text != NULL && !parse_status_filter (status_text, &query))
    {
      g_autofree char *names = status_names ();
      return relay_cli_usage (cli, _("unknown status “%s”; use one of %s"), status_text, names);
    }
  if (relay_cli_open (cli) == NULL)
    return RELAY_CLI_EXIT_FAILED;
  store = relay_core_get_store (cli->core);
  if (client_name != NULL)
    {
      client = relay_cli_find_client (cli, client_name, &error);
      if (client == NULL)
        return relay_cli_fail_error (error);
      query.client_id = client->id;
    }
  if (provider_name != NULL)
    {
      provider = relay_cli_find_provider (cli, provider_name, &error);
      if (provider == NULL)
        return relay_cli_fail_error (error);
      query.provider_id = provider->id;
    }
  query.search = search;
  query.sort = RELAY_ORDER_SORT_ID;

  if (json)
    fputs ("[", stdout);
  else if (csv)
    relay_cli_orders_csv_header ();
  else
    {
      table = relay_cli_table_new (_("ID"), _("CREATED"), _("CLIENT"), _("SERVICE"), _("LINK"),
                                   _("QTY"), _("START"), _("REMAINS"), _("PRICE"), _("STATUS"),
                                   _("PROVIDER ID"), NULL);
      relay_cli_table_align_right (table, 0);
      relay_cli_table_align_right (table, 5);
      relay_cli_table_align_right (table, 6);
      relay_cli_table_align_right (table, 7);
      relay_cli_table_align_right (table, 8);
    }

  /* In windows, so that a big book is never in memory at once (except for the
   * table, which needs every row to size its columns). */
  for (;;)
    {
      g_autoptr(GPtrArray) page = NULL;
      guint want = PAGE_SIZE;

      if (limit > 0)
        want = (guint) MIN ((gint64) PAGE_SIZE, limit - (gint64) n_printed);
      if (want == 0)
        break;
      page = relay_store_list_orders (store, &query, offset, want, &error);
      if (page == NULL)
        {
          if (json)
            fputs ("]\n", stdout);
          return relay_cli_fail_error (error);
        }
      for (guint i = 0; i < page->len; i++)
        {
          RelayOrderRow *o = g_ptr_array_index (page, i);

          if (json)
            {
              g_autoptr(JsonBuilder) builder = json_builder_new ();
              g_autoptr(JsonNode) node = NULL;
              g_autofree char *text = NULL;

              json_builder_begin_object (builder);
              relay_cli_order_to_json (builder, o);
              json_builder_end_object (builder);
              node = json_builder_get_root (builder);
              text = json_to_string (node, FALSE);
              fputs (n_printed > 0 ? ",\n  " : "\n  ", stdout);
              fputs (text, stdout);
            }
          else if (csv)
            relay_cli_order_to_csv (o);
          else
            {
              add_order_row (table, o);
              /* Why a queued order has not gone (waiting for funds, no key
               * here, not sent yet): below the table, the first few. */
              if (o->status == RELAY_ORDER_QUEUED && o->error != NULL && n_waiting++ < 20)
                g_ptr_array_add (waiting, g_strdup_printf (_("order %" PRId64 ": %s"),
                                                           o->id, o->error));
            }
          n_printed++;
        }
      offset += page->len;
      if (page->len < want)
        break;
    }

  if (json)
    fputs (n_printed > 0 ? "\n]\n" : "]\n", stdout);
  else if (table != NULL)
    {
      if (n_printed == 0)
        g_print (_("No orders.\n"));
      else
        relay_cli_table_print (table);
      for (guint i = 0; i < waiting->len; i++)
        g_print ("%s\n", (const char *) g_ptr_array_index (waiting, i));
      if (n_waiting > waiting->len)
        g_print (g_dngettext (GETTEXT_PACKAGE, "… and %u more queued order with a reason\n",
                              "… and %u more queued orders with a reason\n",
                              n_waiting - waiting->len),
                 n_waiting - waiting->len);
    }
  fflush (stdout);
  return RELAY_CLI_EXIT_OK;
}

/* ---- order add ---- */

static gboolean
read_list_file (const char *path, const char *what, char **out, GError **error)
{
  if (path == NULL)
    return TRUE;
  *out = relay_cli_read_file (path, what, MAX_LIST_FILE_SIZE, error);
  return *out != NULL;
}

/* Sends @order_id and nothing else: orders staged earlier (“--no-send”)
 * wait for “dispatch”.  Ctrl-C stops it like a dispatch. */
static RelayDispatchReport *
send_only (RelayCli *cli, gint64 order_id, GError **error)
{
  RelayDispatcher *dispatcher = relay_core_get_dispatcher (cli->core);
  g_autoptr(GAsyncResult) result = NULL;
  gboolean caught = cli->signal_ids[0] != 0;

  if (!caught)
    relay_cli_catch_signals (cli, TRUE);
  relay_dispatcher_send_async (dispatcher, &order_id, 1, NULL, relay_cli_async_ready, cli);
  result = relay_cli_wait (cli);
  if (!caught)
    relay_cli_catch_signals (cli, FALSE);
  return relay_dispatcher_run_finish (dispatcher, result, error);
}

static int
order_add (RelayCli *cli, char **argv)
{
  g_autofree char *client_name = NULL;
  g_autofree char *at = NULL;
  g_autofree char *comments_file = NULL;
  g_autofree char *usernames_file = NULL;
  g_autoptr(RelayOrderExtras) extras = g_new0 (RelayOrderExtras, 1);
  gint64 runs = 0, interval = 0;
  gboolean no_send = FALSE;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayClientRow) client = NULL;
  g_autoptr(GPtrArray) drafts = g_ptr_array_new ();
  g_autoptr(GArray) ids = NULL;
  g_autoptr(RelayOrderRow) order = NULL;
  g_autofree char *extra_json = NULL;
  RelayOrderDraft draft = { 0 };
  const GOptionEntry entries[] = {
    { "client", 0, 0, G_OPTION_ARG_STRING, &client_name, N_("the client who ordered it"),
      N_("NAME") },
    { "runs", 0, 0, G_OPTION_ARG_INT64, &runs, N_("drip-feed: deliver QUANTITY this many times"),
      N_("N") },
    { "interval", 0, 0, G_OPTION_ARG_INT64, &interval, N_("drip-feed: minutes between runs"),
      N_("MIN") },
    { "at", 0, 0, G_OPTION_ARG_STRING, &at, N_("send it later: 'YYYY-MM-DD HH:MM' (local time) or "
      "ISO 8601"), N_("TIME") },
    { "comments-file", 0, 0, G_OPTION_ARG_FILENAME, &comments_file, N_("custom comments, one per "
      "line (- for stdin)"), N_("FILE") },
    { "usernames-file", 0, 0, G_OPTION_ARG_FILENAME, &usernames_file, N_("usernames, one per line "
      "(- for stdin)"), N_("FILE") },
    { "username", 0, 0, G_OPTION_ARG_STRING, &extras->username, N_("a username (mentions, comment "
      "likes, subscriptions)"), N_("U") },
    { "hashtags", 0, 0, G_OPTION_ARG_STRING, &extras->hashtags, N_("hashtags, comma-separated"),
      N_("H") },
    { "hashtag", 0, 0, G_OPTION_ARG_STRING, &extras->hashtag, N_("a hashtag"), N_("H") },
    { "media", 0, 0, G_OPTION_ARG_STRING, &extras->media, N_("a media URL (mentions media likers)"),
      N_("URL") },
    { "answer", 0, 0, G_OPTION_ARG_INT64, &extras->answer_number, N_("poll: the answer number"),
      N_("N") },
    { "min", 0, 0, G_OPTION_ARG_INT64, &extras->min, N_("subscriptions: least per post"), N_("N") },
    { "max", 0, 0, G_OPTION_ARG_INT64, &extras->max, N_("subscriptions: most per post"), N_("N") },
    { "posts", 0, 0, G_OPTION_ARG_INT64, &extras->posts, N_("subscriptions: new posts to cover"),
      N_("N") },
    { "old-posts", 0, 0, G_OPTION_ARG_INT64, &extras->old_posts, N_("subscriptions: existing posts "
      "to cover"), N_("N") },
    { "delay", 0, 0, G_OPTION_ARG_INT64, &extras->delay, N_("subscriptions: minutes to wait after "
      "a post"), N_("MIN") },
    { "expiry", 0, 0, G_OPTION_ARG_STRING, &extras->expiry, N_("subscriptions: end date"),
      N_("DATE") },
    { "no-send", 0, 0, G_OPTION_ARG_NONE, &no_send, N_("only record it; “dispatch” sends it"),
      NULL },
    { NULL }
  };
  int status = relay_cli_parse (cli, entries, argv, 2, 3);
  gint64 service_id = 0, quantity = 0, scheduled_at = 0;

  if (status >= 0)
    return status;
  if (!relay_cli_parse_id (argv[1], &service_id))
    return relay_cli_usage (cli, _("“%s” is not a service id (a positive whole number)"), argv[1]);
  if (argv[3] != NULL && !relay_quantity_parse (argv[3], &quantity, &error))
    return relay_cli_usage (cli, "%s", error->message);
  if (at != NULL && !relay_cli_parse_time (at, &scheduled_at))
    return relay_cli_usage (cli, _("“%s” is not a time; use 'YYYY-MM-DD HH:MM' or ISO 8601"), at);
  if (comments_file != NULL && usernames_file != NULL &&
      g_strcmp0 (comments_file, "-") == 0 && g_strcmp0 (usernames_file, "-") == 0)
    return relay_cli_usage (cli, _("only one of the files can be stdin"));
  if (!read_list_file (comments_file, _("comments file"), &extras->comments, &error) ||
      !read_list_file (usernames_file, _("usernames file"), &extras->usernames, &error))
    return relay_cli_fail_error (error);

  if (relay_cli_open (cli) == NULL)
    return RELAY_CLI_EXIT_FAILED;
  if (client_name != NULL)
    {
      client = relay_cli_find_client (cli, client_name, &error);
      if (client == NULL)
        return relay_cli_fail_error (error);
    }

  extra_json = relay_order_extras_to_json (extras);
  draft.service_id = service_id;
  draft.client_id = client ? client->id : 0;
  /* Subscriptions have no link: "-" or "" says so. */
  draft.link = g_strcmp0 (argv[2], "-") == 0 ? "" : argv[2];
  draft.quantity = quantity;
  draft.extra_json = extra_json;
  draft.runs = runs;
  draft.interval = interval;
  draft.scheduled_at = scheduled_at;
  g_ptr_array_add (drafts, &draft);
  ids = relay_core_place_orders (cli->core, drafts, "cli", &error);
  if (ids == NULL)
    return relay_cli_fail_error (error);

  order = relay_store_get_order (relay_core_get_store (cli->core),
                                 g_array_index (ids, gint64, 0), &error);
  if (order == NULL)
    return relay_cli_fail_error (error);
  if (!no_send && order->status == RELAY_ORDER_QUEUED)
    {
      g_autofree RelayDispatchReport *report = send_only (cli, order->id, &error);

      if (report == NULL)
        return relay_cli_fail_error (error);
      g_clear_pointer (&order, relay_order_row_free);
      order = relay_store_get_order (relay_core_get_store (cli->core),
                                     g_array_index (ids, gint64, 0), &error);
      if (order == NULL)
        return relay_cli_fail_error (error);
    }
  if (!relay_cli_print_order_outcome (relay_core_get_store (cli->core), order))
    return RELAY_CLI_EXIT_FAILED;
  return RELAY_CLI_EXIT_OK;
}

/* ---- order show ---- */

static void
add_field (RelayCliTable *table, const char *label, const char *value)
{
  g_autofree char *with_colon = NULL;

  if (value == NULL || *value == '\0')
    return;
  with_colon = g_strconcat (label, ":", NULL);
  relay_cli_table_add (table, with_colon, value);
}

static char *
status_change_text (const RelayOrderEvent *e)
{
  if (!e->has_old_status)
    return g_strdup (relay_order_status_to_string (e->new_status));
  if (e->old_status == e->new_status)
    return g_strdup (relay_order_status_to_string (e->new_status));
  return g_strdup_printf ("%s → %s", relay_order_status_to_string (e->old_status),
                          relay_order_status_to_string (e->new_status));
}

static void
print_order_details (const RelayOrderRow *o)
{
  g_autoptr(RelayCliTable) table = relay_cli_table_new ("", "", NULL);
  g_autofree char *id = g_strdup_printf ("%" PRId64, o->id);
  g_autofree char *status = o->provider_status != NULL
    ? g_strdup_printf (_("%s (the provider says “%s”)"), relay_order_status_get_label (o->status),
                       o->provider_status)
    : g_strdup (relay_order_status_get_label (o->status));
  g_autofree char *service = g_strdup_printf ("%" PRId64 " %s", o->service_id,
                                              o->service_name ? o->service_name : "");
  g_autofree char *provider = o->provider_name
    ? g_strdup_printf (_("%s, service %s"), o->provider_name,
                       o->provider_service_id ? o->provider_service_id : "?")
    : NULL;
  g_autofree char *quantity = g_strdup_printf ("%" PRId64, o->quantity);
  g_autofree char *dripfeed = o->runs ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                     "%" PRId64 " run, every %" PRId64 " min",
                                                                     "%" PRId64 " runs, every %" PRId64 " min",
                                                                     (gulong) o->runs),
                                                         o->runs, o->interval)
                                      : NULL;
  g_autofree char *start = o->has_start_count
    ? g_strdup_printf ("%" PRId64, o->start_count) : NULL;
  g_autofree char *remains = o->has_remains
    ? g_strdup_printf ("%" PRId64, o->remains) : NULL;
  g_autofree char *price = relay_format_amount_take (relay_money_format_with_currency (o->price, o->currency));
  g_autofree char *refunded = o->refunded
    ? relay_format_amount_take (relay_money_format_with_currency (o->refunded, o->currency)) : NULL;
  g_autofree char *cost = (o->cost != 0 || o->sent_at != 0)
    ? relay_format_amount_take (relay_money_format_with_currency (o->cost, o->currency)) : NULL;
  g_autofree char *charge = o->has_charge
    ? relay_format_amount_take (relay_money_format_with_currency (o->charge, o->currency)) : NULL;
  g_autofree char *created = relay_cli_format_local_seconds (o->created_at);
  g_autofree char *scheduled = relay_cli_format_local (o->scheduled_at);
  g_autofree char *sent = relay_cli_format_local_seconds (o->sent_at);
  g_autofree char *updated = relay_cli_format_local_seconds (o->updated_at);
  g_autofree char *next = o->status == RELAY_ORDER_QUEUED
    ? relay_cli_format_local_seconds (o->next_attempt_at) : NULL;
  g_autofree char *attempts = o->attempts
    ? g_strdup_printf ("%" PRId64, o->attempts) : NULL;
  g_autoptr(GString) actions = g_string_new (NULL);

  if (o->can_refill)
    g_string_append (actions, _("refill "));
  if (o->can_cancel)
    g_string_append (actions, _("cancel "));
  g_strchomp (actions->str);

  add_field (table, _("Order"), id);
  add_field (table, _("Status"), status);
  add_field (table, _("Review reason"), o->review_reason);
  add_field (table, _("Error"), o->error);
  add_field (table, _("Service"), service);
  add_field (table, _("Client"), o->client_name);
  add_field (table, _("Link"), o->link);
  add_field (table, _("Quantity"), quantity);
  add_field (table, _("Drip-feed"), dripfeed);
  add_field (table, _("Details"), o->extra_json);
  add_field (table, _("Provider"), provider);
  add_field (table, _("Provider order"), o->provider_order_id);
  add_field (table, _("Start count"), start);
  add_field (table, _("Remains"), remains);
  add_field (table, _("Price"), price);
  add_field (table, _("Refunded"), refunded);
  add_field (table, _("Cost"), cost);
  add_field (table, _("Provider charge"), charge);
  add_field (table, _("Service allows"), actions->str);
  add_field (table, _("Attempts"), attempts);
  add_field (table, _("Created"), created);
  add_field (table, _("Scheduled for"), scheduled);
  add_field (table, _("Next attempt"), next);
  add_field (table, _("Sent"), sent);
  add_field (table, _("Updated"), updated);
  /* A list of labels and values: no heading row. */
  relay_cli_table_hide_headings (table);
  relay_cli_table_print (table);
}

static int
order_show (RelayCli *cli, char **argv)
{
  gboolean json = FALSE;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayOrderRow) order = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) refills = NULL;
  RelayStore *store;
  gint64 id = 0;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("print JSON"), NULL },
    { NULL }
  };
  int status = relay_cli_parse (cli, entries, argv, 1, 1);

  if (status >= 0)
    return status;
  if (!relay_cli_parse_id (argv[1], &id))
    return relay_cli_usage (cli, _("“%s” is not an order id"), argv[1]);
  if (relay_cli_open (cli) == NULL)
    return RELAY_CLI_EXIT_FAILED;
  store = relay_core_get_store (cli->core);
  order = relay_store_get_order (store, id, &error);
  if (order == NULL)
    return relay_cli_fail_error (error);
  events = relay_store_list_order_events (store, id, &error);
  if (events == NULL)
    return relay_cli_fail_error (error);
  refills = relay_store_list_refills (store, id, &error);
  if (refills == NULL)
    return relay_cli_fail_error (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      relay_cli_order_to_json (builder, order);
      json_builder_set_member_name (builder, "events");
      json_builder_begin_array (builder);
      for (guint i = 0; i < events->len; i++)
        {
          RelayOrderEvent *e = g_ptr_array_index (events, i);

          json_builder_begin_object (builder);
          relay_cli_json_time (builder, "at", e->at);
          relay_cli_json_string (builder, "old_status", e->has_old_status
                                 ? relay_order_status_to_string (e->old_status) : NULL);
          relay_cli_json_string (builder, "new_status",
                                 relay_order_status_to_string (e->new_status));
          relay_cli_json_string (builder, "source", e->source);
          relay_cli_json_string (builder, "detail", e->detail);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "refills");
      json_builder_begin_array (builder);
      for (guint i = 0; i < refills->len; i++)
        {
          RelayRefillRow *r = g_ptr_array_index (refills, i);

          json_builder_begin_object (builder);
          relay_cli_json_string (builder, "refill", r->provider_refill_id);
          relay_cli_json_string (builder, "status", r->status);
          relay_cli_json_string (builder, "error", r->error);
          relay_cli_json_time (builder, "created_at", r->created_at);
          relay_cli_json_time (builder, "updated_at", r->updated_at);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      relay_cli_print_json (root);
      return RELAY_CLI_EXIT_OK;
    }

  print_order_details (order);

  g_print (_("\nHistory:\n"));
  {
    g_autoptr(RelayCliTable) table = relay_cli_table_new (_("WHEN"), _("STATUS"), _("SOURCE"),
                                                          _("DETAIL"), NULL);

    for (guint i = 0; i < events->len; i++)
      {
        RelayOrderEvent *e = g_ptr_array_index (events, i);
        g_autofree char *when = relay_cli_format_local_seconds (e->at);
        g_autofree char *change = status_change_text (e);

        relay_cli_table_add (table, when, change, e->source, e->detail);
      }
    relay_cli_table_print (table);
  }
  if (refills->len > 0)
    {
      g_autoptr(RelayCliTable) table = relay_cli_table_new (_("REFILL"), _("STATUS"), _("ASKED"),
                                                            _("UPDATED"), _("ERROR"), NULL);

      g_print (_("\nRefills:\n"));
      for (guint i = 0; i < refills->len; i++)
        {
          RelayRefillRow *r = g_ptr_array_index (refills, i);
          g_autofree char *created = relay_cli_format_local_seconds (r->created_at);
          g_autofree char *updated = relay_cli_format_local_seconds (r->updated_at);

          relay_cli_table_add (table, r->provider_refill_id, r->status, created, updated, r->error);
        }
      relay_cli_table_print (table);
    }
  return RELAY_CLI_EXIT_OK;
}

/* ---- refill and cancel ---- */

static int
run_action (RelayCli *cli, char **argv, gboolean cancel)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  int status = relay_cli_parse (cli, NULL, argv, 1, -1);
  gboolean all_ok = TRUE;

  if (status >= 0)
    return status;
  for (guint i = 1; argv[i] != NULL; i++)
    {
      gint64 id;

      if (!relay_cli_parse_id (argv[i], &id))
        return relay_cli_usage (cli, _("“%s” is not an order id"), argv[i]);
      g_array_append_val (ids, id);
    }
  if (relay_cli_open (cli) == NULL)
    return RELAY_CLI_EXIT_FAILED;

  relay_cli_catch_signals (cli, TRUE);
  if (cancel)
    relay_core_cancel_async (cli->core, (const gint64 *) ids->data, ids->len, NULL,
                             relay_cli_async_ready, cli);
  else
    relay_core_refill_async (cli->core, (const gint64 *) ids->data, ids->len, NULL,
                             relay_cli_async_ready, cli);
  result = relay_cli_wait (cli);
  relay_cli_catch_signals (cli, FALSE);
  results = cancel ? relay_core_cancel_finish (cli->core, result, &error)
                   : relay_core_refill_finish (cli->core, result, &error);
  if (results == NULL)
    return relay_cli_fail_error (error);

  for (guint i = 0; i < results->len; i++)
    {
      RelayActionResult *r = g_ptr_array_index (results, i);
      const char *message = r->message ? r->message : "";

      if (!r->ok)
        all_ok = FALSE;
      if (cancel && r->ok)
        g_print (_("order %" PRId64 ": %s\n"), r->order_id, message);
      else if (cancel)
        g_print (_("order %" PRId64 ": cannot cancel: %s\n"), r->order_id, message);
      else if (r->ok)
        g_print (_("order %" PRId64 ": refill requested (refill %s)\n"), r->order_id,
                 message);
      else
        g_print (_("order %" PRId64 ": cannot refill: %s\n"), r->order_id, message);
    }
  return all_ok ? RELAY_CLI_EXIT_OK : RELAY_CLI_EXIT_FAILED;
}

int
relay_cli_refill (RelayCli *cli, char **argv)
{
  return run_action (cli, argv, FALSE);
}

int
relay_cli_cancel (RelayCli *cli, char **argv)
{
  return run_action (cli, argv, TRUE);
}

const RelayCliCommand relay_cli_order_commands[] = {
  { "add", N_("SERVICE LINK [QUANTITY] [--client NAME] [--runs N --interval MIN] [--at TIME] "
              "[type-specific options] [--no-send]"),
    N_("Place one order of my service SERVICE and send it (LINK “-” when the type has none)"),
    order_add, NULL },
  { "show", N_("ID [--json]"), N_("Show every field of an order, its history and refills"),
    order_show, NULL },
  { NULL }
};
