/* SPDX-License-Identifier: GPL-3.0-or-later */
/* smm-relay-cli provider …: adding provider panels, their keys and balances. */
#include "config.h"

#include "relay-cli-private.h"
#include "relay-format.h"

#include <string.h>

#define MAX_KEY_FILE_SIZE 4096

/* Reads the key from @path ("-" = stdin), without its trailing line break. */
static char *
read_key (const char *path, GError **error)
{
  g_autofree char *key = relay_cli_read_file (path, _("key file"), MAX_KEY_FILE_SIZE, error);
  gsize len;

  if (key == NULL)
    return NULL;
  len = strlen (key);
  while (len > 0 && (key[len - 1] == '\n' || key[len - 1] == '\r'))
    key[--len] = '\0';
  if (len == 0)
    {
      g_set_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_CONFIG,
                   _("the key file is empty"));
      return NULL;
    }
  if (strchr (key, '\n') != NULL)
    {
      g_set_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_CONFIG,
                   _("the key file has more than one line; it should hold the API key alone"));
      return NULL;
    }
  return g_steal_pointer (&key);
}

/* "warning: Balance at X is low: …" and "N orders wait for funds at X (…)"
 * on stdout, when they apply. */
static void
print_funds_state (RelayCli *cli, gint64 provider_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayFundsState) state = relay_core_provider_funds_state (cli->core, provider_id,
                                                                      &error);

  if (state == NULL)
    {
      g_printerr ("%s: %s\n", RELAY_CLI_NAME, error->message);
      return;
    }
  if (state->low_text != NULL)
    /* TRANSLATORS: "warning: Balance at Demo provider is low: 3.20 USD (warning below 10.00 USD)" */
    g_print (_("warning: %s\n"), state->low_text);
  if (state->waiting_text != NULL)
    g_print ("%s\n", state->waiting_text);
}

static int
provider_add (RelayCli *cli, char **argv)
{
  g_autofree char *key_file = NULL;
  g_autofree char *key = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(RelayProviderBalance) balance = NULL;
  g_autofree char *text = NULL;
  gint64 id;
  const GOptionEntry entries[] = {
    { "key-file", 0, 0, G_OPTION_ARG_FILENAME, &key_file,
      N_("read the API key from FILE (- for stdin)"), N_("FILE") },
    { NULL }
  };
  int status = relay_cli_parse (cli, entries, argv, 2, 2);

  if (status >= 0)
    return status;
  if (key_file == NULL)
    return relay_cli_usage (cli, _("the API key is read with --key-file FILE (or - for stdin), "
                                   "never from the command line"));
  key = read_key (key_file, &error);
  if (key == NULL)
    return relay_cli_fail_error (error);
  if (relay_cli_open (cli) == NULL)
    return RELAY_CLI_EXIT_FAILED;
  id = relay_core_add_provider (cli->core, argv[1], argv[2], key, &error);
  if (id == 0)
    return relay_cli_fail_error (error);
  g_print (_("provider “%s” added\n"), argv[1]);

  /* Asking for the balance tells whether the key works, and the currency. */
  relay_core_refresh_balance_async (cli->core, id, NULL, relay_cli_async_ready, cli);
  result = relay_cli_wait (cli);
  balance = relay_core_refresh_balance_finish (cli->core, result, &error);
  if (balance == NULL)
    {
      g_printerr (_("%s: warning: %s did not answer a balance request: %s\n"), RELAY_CLI_NAME,
                  argv[1], error->message);
      return RELAY_CLI_EXIT_OK;
    }
  text = relay_money_format_with_currency (balance->balance, balance->currency);
  g_print (_("balance: %s; next: %s services sync “%s”\n"), text, RELAY_CLI_NAME, argv[1]);
  return RELAY_CLI_EXIT_OK;
}

static int
provider_list (RelayCli *cli, char **argv)
{
  gboolean json = FALSE;
  gboolean names = FALSE;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) providers = NULL;
  g_autofree char *keys_where = NULL;
  RelayKeyStore *keys;
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
  providers = relay_store_list_providers (relay_core_get_store (cli->core), &error);
  if (providers == NULL)
    return relay_cli_fail_error (error);
  keys = relay_core_get_key_store (cli->core);
  keys_where = relay_key_store_dup_description (keys);

  if (names)
    {
      for (guint i = 0; i < providers->len; i++)
        g_print ("%s\n", ((RelayProviderRow *) g_ptr_array_index (providers, i))->name);
      return RELAY_CLI_EXIT_OK;
    }

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < providers->len; i++)
        {
          RelayProviderRow *p = g_ptr_array_index (providers, i);

          json_builder_begin_object (builder);
          relay_cli_json_int (builder, "id", TRUE, p->id);
          relay_cli_json_string (builder, "name", p->name);
          relay_cli_json_string (builder, "url", p->url);
          relay_cli_json_string (builder, "currency", p->currency);
          relay_cli_json_money (builder, "balance", p->has_balance, p->balance);
          relay_cli_json_time (builder, "balance_at", p->has_balance ? p->balance_at : 0);
          relay_cli_json_string (builder, "last_error", p->last_error);
          relay_cli_json_time (builder, "services_synced_at", p->services_synced_at);
          relay_cli_json_int (builder, "max_concurrent", TRUE, p->max_concurrent);
          relay_cli_json_money (builder, "low_balance", p->low_balance >= 0, p->low_balance);
          json_builder_set_member_name (builder, "balance_low");
          json_builder_add_boolean_value (builder, p->has_balance && p->low_balance >= 0 &&
                                                   p->balance < p->low_balance);
          json_builder_set_member_name (builder, "waiting_for_funds");
          json_builder_add_boolean_value (builder, p->funds_needed >= 0);
          relay_cli_json_money (builder, "funds_needed", p->funds_needed >= 0, p->funds_needed);
          relay_cli_json_time (builder, "funds_wait_since", p->funds_wait_since);
          relay_cli_json_time (builder, "created_at", p->created_at);
          /* Where its key is: "keyring" or "file", and the same for people. */
          relay_cli_json_string (builder, "key_store", relay_key_store_get_kind (keys));
          relay_cli_json_string (builder, "key_store_description", keys_where);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      relay_cli_print_json (root);
      return RELAY_CLI_EXIT_OK;
    }

  if (providers->len == 0)
    {
      g_print (_("No providers yet; add one with “%s provider add NAME URL --key-file FILE”.\n"),
               RELAY_CLI_NAME);
      g_print (_("keys: %s\n"), keys_where);
      return RELAY_CLI_EXIT_OK;
    }
  {
    g_autoptr(RelayCliTable) table = relay_cli_table_new (_("NAME"), _("URL"), _("CURRENCY"),
                                                          _("BALANCE"), _("WARN BELOW"),
                                                          _("LAST ERROR"), NULL);

    relay_cli_table_align_right (table, 3);
    relay_cli_table_align_right (table, 4);
    for (guint i = 0; i < providers->len; i++)
      {
        RelayProviderRow *p = g_ptr_array_index (providers, i);
        g_autofree char *balance = p->has_balance ? relay_money_format (p->balance) : NULL;
        g_autofree char *low = p->low_balance >= 0 ? relay_money_format (p->low_balance) : NULL;

        relay_cli_table_add (table, p->name, p->url, p->currency, balance, low, p->last_error);
      }
    relay_cli_table_print (table);
  }
  /* What the balances mean for the orders, below the table. */
  for (guint i = 0; i < providers->len; i++)
    print_funds_state (cli, ((RelayProviderRow *) g_ptr_array_index (providers, i))->id);
  /* TRANSLATORS: where the API keys are: "keys: system keyring" */
  g_print (_("keys: %s\n"), keys_where);
  return RELAY_CLI_EXIT_OK;
}

static int
provider_balance (RelayCli *cli, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayProviderRow) provider = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(RelayProviderBalance) balance = NULL;
  g_autoptr(GArray) queued = NULL;
  g_autofree char *text = NULL;
  int status = relay_cli_parse (cli, NULL, argv, 1, 1);

  if (status >= 0)
    return status;
  if (relay_cli_open (cli) == NULL)
    return RELAY_CLI_EXIT_FAILED;
  provider = relay_cli_find_provider (cli, argv[1], &error);
  if (provider == NULL)
    return relay_cli_fail_error (error);

  /* When its orders wait for funds and the balance now covers them, they go
   * before this returns (Ctrl-C then stops new sends); otherwise a read that
   * Ctrl-C simply ends. */
  if (provider->funds_needed >= 0)
    {
      queued = relay_cli_list_queued (cli, provider->id);
      relay_cli_catch_signals (cli, TRUE);
    }
  relay_core_refresh_balance_async (cli->core, provider->id, NULL, relay_cli_async_ready, cli);
  result = relay_cli_wait (cli);
  relay_cli_catch_signals (cli, FALSE);
  balance = relay_core_refresh_balance_finish (cli->core, result, &error);
  if (balance == NULL)
    {
      relay_cli_fail (_("%s: %s"), provider->name, error->message);
      return relay_cli_error_status (error);
    }
  text = relay_money_format_with_currency (balance->balance, balance->currency);
  g_print ("%s\n", text);
  relay_cli_print_funds_change (cli, provider, queued);
  return RELAY_CLI_EXIT_OK;
}

GArray *
relay_cli_list_queued (RelayCli *cli, gint64 provider_id)
{
  RelayOrderQuery query = { .filter = RELAY_ORDER_FILTER_STATUS, .status = RELAY_ORDER_QUEUED,
                            .provider_id = provider_id, .sort = RELAY_ORDER_SORT_ID };
  g_autoptr(GPtrArray) rows = relay_store_list_orders (relay_core_get_store (cli->core), &query,
                                                        0, G_MAXUINT, NULL);
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; rows != NULL && i < rows->len; i++)
    g_array_append_val (ids, ((RelayOrderRow *) g_ptr_array_index (rows, i))->id);
  return ids;
}

void
relay_cli_print_funds_change (RelayCli *cli, const RelayProviderRow *before, GArray *queued)
{
  RelayStore *store = relay_core_get_store (cli->core);
  g_autoptr(RelayProviderRow) after = relay_store_get_provider (store, before->id, NULL);
  guint n_sent = 0, n_review = 0, n_failed = 0;

  if (after == NULL || before->funds_needed < 0 || after->funds_needed >= 0)
    {
      print_funds_state (cli, before->id);
      return;
    }
  for (guint i = 0; queued != NULL && i < queued->len; i++)
    {
      g_autoptr(RelayOrderRow) order = relay_store_get_order (store, g_array_index (queued, gint64, i),
                                                              NULL);

      if (order == NULL || order->status == RELAY_ORDER_QUEUED ||
          order->status == RELAY_ORDER_SCHEDULED)
        continue;
      if (order->status == RELAY_ORDER_NEEDS_REVIEW)
        n_review++;
      else if (order->status == RELAY_ORDER_FAILED)
        n_failed++;
      else
        n_sent++;
    }
  if (n_review == 0 && n_failed == 0)
    g_print (_("the orders that waited for funds at %s were sent\n"), before->name);
  else
    /* TRANSLATORS: "the orders that waited for funds at Demo provider went: 1 sent,
     * 1 needs review, 0 failed (see “review list” and “orders”)" */
    g_print (_("the orders that waited for funds at %s went: %u sent, %u need review, "
               "%u failed (see “review list” and “orders”)\n"),
             before->name, n_sent, n_review, n_failed);
  print_funds_state (cli, before->id);
}

static int
provider_set (RelayCli *cli, char **argv)
{
  g_autofree char *low_text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayProviderRow) provider = NULL;
  gint64 threshold = -1;
  const GOptionEntry entries[] = {
    { "low-balance", 0, 0, G_OPTION_ARG_STRING, &low_text,
      N_("warn when the balance is below AMOUNT (in the provider’s currency); none: never"),
      N_("AMOUNT|none") },
    { NULL }
  };
  int status = relay_cli_parse (cli, entries, argv, 1, 1);

  if (status >= 0)
    return status;
  if (low_text == NULL)
    return relay_cli_usage (cli, _("nothing to set: give --low-balance AMOUNT or --low-balance none"));
  if (relay_cli_open (cli) == NULL)
    return RELAY_CLI_EXIT_FAILED;
  provider = relay_cli_find_provider (cli, argv[1], &error);
  if (provider == NULL)
    return relay_cli_fail_error (error);
  /* Typed money, in the provider's currency: refused, never rounded. */
  if (g_ascii_strcasecmp (g_strstrip (low_text), "none") != 0 &&
      !relay_money_parse_typed (low_text, provider->currency, &threshold, &error))
    return relay_cli_fail (_("--low-balance: %s"), error->message);
  if (!relay_core_set_low_balance (cli->core, provider->id, threshold, &error))
    return relay_cli_fail_error (error);
  if (threshold < 0)
    g_print (_("no low-balance warning for “%s”\n"), provider->name);
  else
    {
      g_autofree char *amount = relay_format_money (threshold, provider->currency,
                                                    RELAY_MONEY_STYLE_TOTAL);

      g_print (_("“%s” warns when its balance is below %s\n"), provider->name, amount);
    }
  print_funds_state (cli, provider->id);
  return RELAY_CLI_EXIT_OK;
}

static int
provider_remove (RelayCli *cli, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayProviderRow) provider = NULL;
  int status = relay_cli_parse (cli, NULL, argv, 1, 1);

  if (status >= 0)
    return status;
  if (relay_cli_open (cli) == NULL)
    return RELAY_CLI_EXIT_FAILED;
  provider = relay_cli_find_provider (cli, argv[1], &error);
  if (provider == NULL || !relay_core_remove_provider (cli->core, provider->id, &error))
    return relay_cli_fail_error (error);
  g_print (_("provider “%s” removed\n"), provider->name);
  return RELAY_CLI_EXIT_OK;
}

static int
provider_set_key (RelayCli *cli, char **argv)
{
  g_autofree char *key_file = NULL;
  g_autofree char *key = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayProviderRow) provider = NULL;
  const GOptionEntry entries[] = {
    { "key-file", 0, 0, G_OPTION_ARG_FILENAME, &key_file,
      N_("read the API key from FILE (- for stdin)"), N_("FILE") },
    { NULL }
  };
  int status = relay_cli_parse (cli, entries, argv, 1, 1);

  if (status >= 0)
    return status;
  if (key_file == NULL)
    return relay_cli_usage (cli, _("the API key is read with --key-file FILE (or - for stdin), "
                                   "never from the command line"));
  key = read_key (key_file, &error);
  if (key == NULL)
    return relay_cli_fail_error (error);
  if (relay_cli_open (cli) == NULL)
    return RELAY_CLI_EXIT_FAILED;
  provider = relay_cli_find_provider (cli, argv[1], &error);
  if (provider == NULL ||
      !relay_core_update_provider (cli->core, provider->id, NULL, NULL, key, &error))
    return relay_cli_fail_error (error);
  g_print (_("the API key of “%s” was replaced\n"), provider->name);
  return RELAY_CLI_EXIT_OK;
}

static int
provider_check (RelayCli *cli, char **argv)
{
  g_autofree char *test_service = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayProviderRow) provider = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) steps = NULL;
  gboolean json = FALSE;
  gint64 quantity = 0;
  const GOptionEntry entries[] = {
    { "test-order", 0, 0, G_OPTION_ARG_STRING, &test_service,
      N_("also place a real small order of my SERVICE (then LINK QUANTITY after NAME)"), N_("SERVICE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("print JSON"), NULL },
    { NULL }
  };
  int status = relay_cli_parse (cli, entries, argv, 1, 3);

  if (status >= 0)
    return status;
  if (test_service == NULL && argv[2] != NULL)
    return relay_cli_usage (cli, _("a LINK and QUANTITY go only with --test-order SERVICE"));
  if (test_service != NULL && (argv[2] == NULL || argv[3] == NULL))
    return relay_cli_usage (cli, _("--test-order SERVICE needs a LINK and a QUANTITY after NAME"));
  if (test_service != NULL && !relay_cli_parse_id (argv[3], &quantity))
    return relay_cli_usage (cli, _("the quantity must be a whole number above 0, not “%s”"), argv[3]);
  if (relay_cli_open (cli) == NULL)
    return RELAY_CLI_EXIT_FAILED;
  provider = relay_cli_find_provider (cli, argv[1], &error);
  if (provider == NULL)
    return relay_cli_fail_error (error);

  relay_core_check_provider_async (cli->core, provider->id, test_service,
                                   test_service ? argv[2] : NULL, quantity, cli->cancellable,
                                   relay_cli_async_ready, cli);
  result = relay_cli_wait (cli);
  steps = relay_core_check_provider_finish (cli->core, result, &error);
  if (steps == NULL)
    return relay_cli_fail_error (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      relay_cli_json_string (builder, "provider", provider->name);
      json_builder_set_member_name (builder, "steps");
      json_builder_begin_array (builder);
      for (guint i = 0; i < steps->len; i++)
        {
          RelayHealthStep *step = g_ptr_array_index (steps, i);

          json_builder_begin_object (builder);
          relay_cli_json_string (builder, "name", step->name);
          relay_cli_json_string (builder, "result", relay_health_result_to_string (step->result));
          relay_cli_json_string (builder, "detail", step->detail);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      relay_cli_print_json (root);
    }
  else
    {
      g_autoptr(RelayCliTable) table = relay_cli_table_new (_("RESULT"), _("STEP"), _("DETAIL"), NULL);

      relay_cli_table_hide_headings (table);
      for (guint i = 0; i < steps->len; i++)
        {
          RelayHealthStep *step = g_ptr_array_index (steps, i);

          relay_cli_table_add (table, relay_health_result_to_string (step->result), step->name,
                               step->detail);
        }
      relay_cli_table_print (table);
    }
  return relay_health_steps_ok (steps) ? RELAY_CLI_EXIT_OK : RELAY_CLI_EXIT_FAILED;
}

const RelayCliCommand relay_cli_provider_commands[] = {
  { "add", N_("NAME URL --key-file FILE"),
    N_("Add a provider panel (https, or http on this machine); "
       "the key is read from FILE or stdin (-)"),
    provider_add, NULL },
  { "list", N_("[--json|--names]"), N_("List the providers with their balance and last error"),
    provider_list, NULL },
  { "balance", N_("NAME"), N_("Ask a provider for its balance (orders waiting for funds it "
                              "now covers are sent)"), provider_balance, NULL },
  { "set", N_("NAME --low-balance AMOUNT|none"),
    N_("Warn when a provider’s balance is below AMOUNT"), provider_set, NULL },
  { "check", N_("NAME [--test-order SERVICE LINK QUANTITY] [--json]"),
    N_("Check step by step that orders to a provider work (exit 1 when a step fails)"),
    provider_check, NULL },
  { "set-key", N_("NAME --key-file FILE"), N_("Replace a provider’s API key"),
    provider_set_key, NULL },
  { "remove", N_("NAME"), N_("Remove a provider and its key (refused while it has running orders)"),
    provider_remove, NULL },
  { NULL }
};
