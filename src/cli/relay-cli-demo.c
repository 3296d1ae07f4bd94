/* SPDX-License-Identifier: GPL-3.0-or-later */
/* smm-relay-cli demo …: the demo provider's balance, to watch orders wait for
 * funds and go again once it is topped up. */
#include "config.h"

#include "relay-cli-private.h"
#include "relay-demo.h"

/* The demo's own book unless --db names another, or --provider names a
 * simulator (then the book every other command uses: --db, else
 * $SMM_RELAY_DB), with the demo's key when the book has one beside it: the
 * window's demo keeps both apart from the real ones (“demo.db” and
 * “demo-keys”, see “smm-relay --demo”).  Prints the error and returns NULL
 * when the book cannot be opened. */
static RelayCore *
open_demo_book (RelayCli *cli, const char *provider_name)
{
  g_autoptr(RelayKeyStore) keys = NULL;
  g_autoptr(GError) error = NULL;

  if (cli->db_path == NULL)
    cli->db_path = relay_store_default_path (provider_name == NULL);
  keys = relay_cli_demo_keys_beside (cli->db_path);
  if (keys == NULL)
    return relay_cli_open (cli);
  cli->core = relay_core_new (cli->db_path, keys, &error);
  if (cli->core == NULL)
    relay_cli_fail (_("cannot open the order book: %s"), error->message);
  return cli->core;
}

static int
fund (RelayCli *cli, char **argv, gboolean set)
{
  g_autofree char *provider_name = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayProviderRow) provider = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(RelayProviderBalance) balance = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GArray) queued = NULL;
  gint64 amount;
  const GOptionEntry entries[] = {
    { "provider", 0, 0, G_OPTION_ARG_STRING, &provider_name,
      N_("the simulator’s provider NAME (default: the demo provider)"), N_("NAME") },
    { NULL }
  };
  int status = relay_cli_parse (cli, entries, argv, 1, 1);

  if (status >= 0)
    return status;
  if (open_demo_book (cli, provider_name) == NULL)
    return RELAY_CLI_EXIT_FAILED;
  provider = relay_cli_find_provider (cli, provider_name ? provider_name : RELAY_DEMO_PROVIDER_NAME,
                                      &error);
  if (provider == NULL)
    {
      if (provider_name == NULL)
        return relay_cli_fail (_("this book has no demo provider: start the demo once "
                                 "(smm-relay --demo), or name a simulator with --provider"));
      return relay_cli_fail_error (error);
    }
  /* Typed money in the provider's currency: refused, never rounded. */
  if (!relay_money_parse_typed (argv[1], provider->currency, &amount, &error))
    return relay_cli_usage (cli, "%s", error->message);

  queued = relay_cli_list_queued (cli, provider->id);
  relay_cli_catch_signals (cli, TRUE);
  relay_demo_fund_async (cli->core, provider->id, amount, set, NULL, relay_cli_async_ready, cli);
  result = relay_cli_wait (cli);
  relay_cli_catch_signals (cli, FALSE);
  balance = relay_demo_fund_finish (cli->core, result, &error);
  if (balance == NULL)
    return relay_cli_fail_error (error);
  text = relay_money_format_with_currency (balance->balance, balance->currency);
  /* TRANSLATORS: "balance of Demo provider: 25.00 USD" */
  g_print (_("balance of %s: %s\n"), provider->name, text);
  relay_cli_print_funds_change (cli, provider, queued);
  return RELAY_CLI_EXIT_OK;
}

static int
demo_top_up (RelayCli *cli, char **argv)
{
  return fund (cli, argv, FALSE);
}

static int
demo_set_balance (RelayCli *cli, char **argv)
{
  return fund (cli, argv, TRUE);
}

const RelayCliCommand relay_cli_demo_commands[] = {
  { "top-up", N_("AMOUNT [--provider NAME]"),
    N_("Add AMOUNT to the demo provider’s balance, as a payment to a panel would; "
       "orders waiting for funds go"),
    demo_top_up, NULL },
  { "set-balance", N_("AMOUNT [--provider NAME]"),
    N_("Set the demo provider’s balance to AMOUNT (0 to watch orders wait for funds)"),
    demo_set_balance, NULL },
  { NULL }
};
