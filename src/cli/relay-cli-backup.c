/* SPDX-License-Identifier: GPL-3.0-or-later */
/* smm-relay-cli backup FILE: a consistent copy of the order book, safe while SMM Relay runs. */
#include "config.h"

#include "relay-cli-private.h"

int
relay_cli_backup (RelayCli *cli, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *source = NULL;
  gboolean force = FALSE;
  const GOptionEntry entries[] = {
    { "force", 0, 0, G_OPTION_ARG_NONE, &force, N_("replace FILE when it exists"), NULL },
    { NULL }
  };
  int status = relay_cli_parse (cli, entries, argv, 1, 1);

  if (status >= 0)
    return status;
  /* The book is copied as it is on disk: not opened through the core, which
   * would migrate it or recover interrupted sends first. */
  source = cli->db_path != NULL ? g_strdup (cli->db_path) : relay_store_default_path (FALSE);
  if (!relay_store_backup_file (source, argv[1], force, NULL, &error))
    return relay_cli_fail (_("cannot back up the order book: %s"), error->message);
  g_print (_("order book backed up to %s\n"), argv[1]);
  return RELAY_CLI_EXIT_OK;
}
