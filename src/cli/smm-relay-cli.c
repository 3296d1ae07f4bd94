/* SPDX-License-Identifier: GPL-3.0-or-later */
/* smm-relay-cli: global options, the command table and the helpers every command shares. */
#include "config.h"

#include "relay-cli-private.h"
#include "relay-file-key-store.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <glib-unix.h>

static int run_help (RelayCli *cli, char **argv);

static const RelayCliCommand commands[] = {
  { "provider", NULL, N_("Provider panels and their API keys"), NULL, relay_cli_provider_commands },
  { "services", NULL, N_("The providers’ catalogs"), NULL, relay_cli_services_commands },
  { "service", NULL, N_("My services and their mapping to provider services"), NULL,
    relay_cli_service_commands },
  { "client", NULL, N_("Clients and what they owe"), NULL, relay_cli_client_commands },
  { "order", NULL, N_("One order: place it, show it"), NULL, relay_cli_order_commands },
  { "mass-order", N_("[FILE|-|--csv FILE] [--client NAME] [--dry-run] [--no-send] [--json]"),
    N_("Place one order per line of FILE (or stdin): SERVICE | LINK | QUANTITY"),
    relay_cli_mass_order, NULL },
  { "orders", N_("[--status S] [--client NAME] [--provider NAME] [--search TEXT] [--limit N] "
                 "[--json|--csv]"),
    N_("List orders, newest first"), relay_cli_orders, NULL },
  { "refill", N_("ID…"), N_("Ask the providers to refill completed orders"),
    relay_cli_refill, NULL },
  { "cancel", N_("ID…"), N_("Cancel orders (at the provider when they were sent)"),
    relay_cli_cancel, NULL },
  { "review", NULL, N_("Orders whose outcome is unknown or that wait for approval"), NULL,
    relay_cli_review_commands },
  { "dispatch", N_("[--watch SECONDS]"), N_("Send every due order"), relay_cli_dispatch, NULL },
  { "sync", N_("[--watch SECONDS]"), N_("Refresh the status of every active order"),
    relay_cli_sync, NULL },
  { "backup", N_("FILE [--force]"),
    N_("Copy the order book to FILE, safely while SMM Relay runs"), relay_cli_backup, NULL },
  { "report", N_("[--from DATE] [--to DATE] [--period today|7d|30d|month] "
                 "[--by client|provider|service|day] [--json|--csv]"),
    N_("Money, statuses and delivery times of the orders placed in a period"),
    relay_cli_report, NULL },
  { "price-changes", N_("[--since DATE] [--provider NAME] [--limit N] [--json]"),
    N_("The provider rate changes catalog syncs found for my services, newest first"),
    relay_cli_price_changes, NULL },
  { "demo", NULL, N_("The demo provider’s balance (a simulator on this computer)"), NULL,
    relay_cli_demo_commands },
  { "help", N_("[COMMAND [SUBCOMMAND]]"), N_("Show the help of a command"), run_help, NULL },
  { NULL }
};

/* ---- errors ---- */

static void
print_prefixed (const char *message)
{
  g_printerr ("%s: %s\n", RELAY_CLI_NAME, message);
}

int
relay_cli_fail (const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  print_prefixed (message);
  return RELAY_CLI_EXIT_FAILED;
}

int
relay_cli_error_status (const GError *error)
{
  if (g_error_matches (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_NOT_SENT)
      || g_error_matches (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME))
    return RELAY_CLI_EXIT_UNREACHABLE;
  return RELAY_CLI_EXIT_FAILED;
}

int
relay_cli_fail_error (const GError *error)
{
  print_prefixed (error->message);
  return relay_cli_error_status (error);
}

int
relay_cli_usage (RelayCli *cli, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  print_prefixed (message);
  if (cli != NULL && cli->path != NULL)
    g_printerr (_("Try “%s %s --help”.\n"), RELAY_CLI_NAME, cli->path);
  else
    g_printerr (_("Try “%s --help”.\n"), RELAY_CLI_NAME);
  return RELAY_CLI_EXIT_USAGE;
}

/* ---- help ---- */

static void
print_command_list (GString *out, const char *prefix, const RelayCliCommand *list)
{
  for (const RelayCliCommand *c = list; c->name != NULL; c++)
    {
      g_autofree char *full = prefix ? g_strdup_printf ("%s %s", prefix, c->name)
                                     : g_strdup (c->name);

      if (c->subcommands != NULL)
        {
          print_command_list (out, full, c->subcommands);
          continue;
        }
      g_string_append_printf (out, "  %s%s%s\n      %s\n", full,
                              c->args ? " " : "", c->args ? _(c->args) : "", _(c->summary));
    }
}

static void
print_main_help (FILE *stream)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *default_path = relay_store_default_path (FALSE);

  g_string_append_printf (out, _("Usage: %s [--db PATH] COMMAND [ARGUMENT…]\n\n"), RELAY_CLI_NAME);
  g_string_append (out, _("Relays a reseller’s orders to SMM provider panels "
                          "and tracks them.\n\n"));
  g_string_append (out, _("Commands:\n"));
  print_command_list (out, NULL, commands);
  g_string_append (out, _("\nOptions of every command:\n"));
  g_string_append_printf (out, _("  --db PATH      the order book "
                                 "(default: $SMM_RELAY_DB, else %s)\n"), default_path);
  g_string_append (out, _("  -h, --help     show the help of a command\n"));
  g_string_append (out, _("  --version      show the version\n"));
  g_string_append (out, _("\nAPI keys are read from a file or stdin (--key-file), "
                          "never from the command line.\n"));
  g_string_append (out, _("Every listing command takes --json; “provider list --names” and "
                          "“client list --names” print one name a line.\n"));
  g_string_append (out, _("\nExit status:\n"
                          "  0    success\n"
                          "  1    some input or action was refused, or an order did not go "
                          "(the message says which)\n"
                          "  2    usage error: unknown command or option, missing argument\n"
                          "  3    a provider could not be reached, said to come back later "
                          "or gave no usable answer (an HTML page, a server error, a timeout) "
                          "when asked for its balance or catalog\n"
                          "  130  interrupted (Ctrl+C or SIGTERM) before the end; orders on "
                          "the wire were still recorded.\n"
                          "       A --watch loop ends on a signal and exits 0.\n"));
  fputs (out->str, stream);
}

static void
print_group_help (const RelayCliCommand *group, FILE *stream)
{
  g_autoptr(GString) out = g_string_new (NULL);

  g_string_append_printf (out, _("Usage: %s %s SUBCOMMAND [ARGUMENT…]\n\n"), RELAY_CLI_NAME,
                          group->name);
  g_string_append_printf (out, "%s.\n\n", _(group->summary));
  g_string_append (out, _("Subcommands:\n"));
  print_command_list (out, group->name, group->subcommands);
  g_string_append_printf (out, _("\nSee “%s %s SUBCOMMAND --help” for the options of each.\n"),
                          RELAY_CLI_NAME, group->name);
  fputs (out->str, stream);
}

static void
append_option (GString *out, const GOptionEntry *entry, guint width)
{
  g_autoptr(GString) name = g_string_new ("  ");
  gboolean has_arg = entry->arg != G_OPTION_ARG_NONE;

  if (entry->short_name != 0)
    g_string_append_printf (name, "-%c, ", entry->short_name);
  g_string_append_printf (name, "--%s", entry->long_name);
  if (has_arg && entry->arg_description != NULL)
    g_string_append_printf (name, " %s", _(entry->arg_description));
  g_string_append_printf (out, "%-*s  %s\n", (int) width, name->str, _(entry->description));
}

static guint
option_width (const GOptionEntry *entry)
{
  guint width = 4 + strlen (entry->long_name);

  if (entry->short_name != 0)
    width += 4;
  if (entry->arg != G_OPTION_ARG_NONE && entry->arg_description != NULL)
    width += 1 + g_utf8_strlen (_(entry->arg_description), -1);
  return width;
}

static void
print_command_help (RelayCli *cli, const GOptionEntry *entries, const GOptionEntry *common)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const RelayCliCommand *command = cli->command;
  guint width = 0;

  g_string_append_printf (out, _("Usage: %s %s%s%s\n\n"), RELAY_CLI_NAME, cli->path,
                          command->args ? " " : "", command->args ? _(command->args) : "");
  g_string_append_printf (out, "%s.\n\n", _(command->summary));
  for (const GOptionEntry *e = entries; e != NULL && e->long_name != NULL; e++)
    width = MAX (width, option_width (e));
  for (const GOptionEntry *e = common; e->long_name != NULL; e++)
    width = MAX (width, option_width (e));
  g_string_append (out, _("Options:\n"));
  for (const GOptionEntry *e = entries; e != NULL && e->long_name != NULL; e++)
    append_option (out, e, width);
  for (const GOptionEntry *e = common; e->long_name != NULL; e++)
    append_option (out, e, width);
  fputs (out->str, stdout);
}

/* ---- option parsing ---- */

int
relay_cli_parse (RelayCli           *cli,
                 const GOptionEntry *entries,
                 char              **argv,
                 int                 min,
                 int                 max)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  gboolean help = FALSE;
  const GOptionEntry common[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("the order book to use"), N_("PATH") },
    { "help", 'h', 0, G_OPTION_ARG_NONE, &help, N_("show this help"), NULL },
    { NULL }
  };
  int n_args;

  g_option_context_set_help_enabled (context, FALSE);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, common, GETTEXT_PACKAGE);
  if (!g_option_context_parse_strv (context, &argv, &error))
    return relay_cli_usage (cli, "%s", error->message);
  if (help)
    {
      print_command_help (cli, entries, common);
      return RELAY_CLI_EXIT_OK;
    }
  if (db != NULL)
    {
      g_free (cli->db_path);
      cli->db_path = g_steal_pointer (&db);
    }

  n_args = (int) g_strv_length (argv) - 1;
  if (n_args < min || (max >= 0 && n_args > max))
    {
      /* Never echo the arguments: one of them may be a key typed by mistake. */
      if (cli->command->args != NULL)
        return relay_cli_usage (cli, _("%s: expected %s"), cli->path, _(cli->command->args));
      return relay_cli_usage (cli, _("%s takes no arguments"), cli->path);
    }
  return -1;
}

/* ---- the order book and waiting ---- */

/* The window's demo keeps its key in "demo-keys" beside its book, apart
 * from the real ones (see `smm-relay --demo`): that file's key store, or
 * NULL when @db_path has none beside it. */
RelayKeyStore *
relay_cli_demo_keys_beside (const char *db_path)
{
  g_autofree char *dir = g_path_get_dirname (db_path);
  g_autofree char *keys_path = g_build_filename (dir, "demo-keys", NULL);

  if (!g_file_test (keys_path, G_FILE_TEST_IS_REGULAR))
    return NULL;
  return relay_file_key_store_new (keys_path);
}

/* The window's demo book ("demo.db") with its "demo-keys": the CLI on that
 * book uses them as the window does.  NULL for any other book: the usual
 * key store. */
static RelayKeyStore *
demo_keys (const char *db_path)
{
  g_autofree char *name = NULL;

  if (db_path == NULL)
    return NULL;
  name = g_path_get_basename (db_path);
  if (!g_str_equal (name, "demo.db"))
    return NULL;
  return relay_cli_demo_keys_beside (db_path);
}

RelayCore *
relay_cli_open (RelayCli *cli)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayKeyStore) keys = NULL;

  if (cli->core != NULL)
    return cli->core;
  keys = demo_keys (cli->db_path);
  cli->core = relay_core_new (cli->db_path, keys, &error);
  if (cli->core == NULL)
    {
      relay_cli_fail (_("cannot open the order book: %s"), error->message);
      return NULL;
    }
  if (relay_core_get_n_recovered (cli->core) > 0)
    g_printerr (g_dngettext (GETTEXT_PACKAGE,
                             "%s: %u order was interrupted while being sent; "
                             "it needs review (see “review list”)\n",
                             "%s: %u orders were interrupted while being sent; "
                             "they need review (see “review list”)\n",
                             relay_core_get_n_recovered (cli->core)),
                RELAY_CLI_NAME, relay_core_get_n_recovered (cli->core));
  return cli->core;
}

void
relay_cli_async_ready (GObject *source, GAsyncResult *result, gpointer user_data)
{
  RelayCli *cli = user_data;

  g_clear_object (&cli->result);
  cli->result = g_object_ref (result);
  if (cli->loop != NULL)
    g_main_loop_quit (cli->loop);
}

static GMainLoop *
get_loop (RelayCli *cli)
{
  if (cli->loop == NULL)
    cli->loop = g_main_loop_new (NULL, FALSE);
  return cli->loop;
}

GAsyncResult *
relay_cli_wait (RelayCli *cli)
{
  GMainLoop *loop = get_loop (cli);

  /* A signal quits the loop too; the operation still has to finish. */
  while (cli->result == NULL)
    g_main_loop_run (loop);
  return g_steal_pointer (&cli->result);
}

typedef struct
{
  GMainLoop *loop;
  guint      id;
} Sleep;

static gboolean
sleep_done (gpointer user_data)
{
  Sleep *sleep = user_data;

  sleep->id = 0;
  g_main_loop_quit (sleep->loop);
  return G_SOURCE_REMOVE;
}

void
relay_cli_sleep (RelayCli *cli, guint seconds)
{
  Sleep sleep = { get_loop (cli), 0 };

  if (cli->quit_requested)
    return;
  sleep.id = g_timeout_add ((guint) MIN (seconds, G_MAXUINT / 1000) * 1000, sleep_done, &sleep);
  while (sleep.id != 0 && !cli->quit_requested)
    g_main_loop_run (sleep.loop);
  g_clear_handle_id (&sleep.id, g_source_remove);
}

static gboolean
on_signal (gpointer user_data)
{
  RelayCli *cli = user_data;

  if (!cli->quit_requested && cli->stderr_is_tty)
    g_printerr (_("\nStopping: waiting for the requests on the wire…\n"));
  cli->quit_requested = TRUE;
  /* Status requests only read: they may stop at once.  Sends are never
   * cancelled — the dispatcher only stops starting new ones. */
  g_cancellable_cancel (cli->cancellable);
  if (cli->core != NULL)
    relay_dispatcher_stop (relay_core_get_dispatcher (cli->core));
  if (cli->loop != NULL)
    g_main_loop_quit (cli->loop);
  return G_SOURCE_CONTINUE;
}

void
relay_cli_catch_signals (RelayCli *cli, gboolean catch)
{
  if (catch && cli->signal_ids[0] == 0)
    {
      cli->signal_ids[0] = g_unix_signal_add (SIGINT, on_signal, cli);
      cli->signal_ids[1] = g_unix_signal_add (SIGTERM, on_signal, cli);
    }
  else if (!catch)
    {
      g_clear_handle_id (&cli->signal_ids[0], g_source_remove);
      g_clear_handle_id (&cli->signal_ids[1], g_source_remove);
    }
}

/* Back to the start of the progress line, cleared (past the escaping of
 * g_printerr(), which would show these as text). */
static void
clear_progress_line (void)
{
  fputs ("\r\033[K", stderr);
  fflush (stderr);
}

static void
on_progress (RelayDispatcher *dispatcher, guint done, guint total, gpointer user_data)
{
  clear_progress_line ();
  g_printerr (_("sending %u of %u…"), done, total);
}

RelayDispatchReport *
relay_cli_run_dispatcher (RelayCli      *cli,
                          const gint64  *ids,
                          guint          n_ids,
                          gboolean       progress,
                          GError       **error)
{
  RelayDispatcher *dispatcher = relay_core_get_dispatcher (cli->core);
  g_autoptr(GAsyncResult) result = NULL;
  gboolean caught = cli->signal_ids[0] != 0;
  gulong handler = 0;
  RelayDispatchReport *report;

  if (!caught)
    relay_cli_catch_signals (cli, TRUE);
  if (progress && cli->stderr_is_tty)
    handler = g_signal_connect (dispatcher, "progress", G_CALLBACK (on_progress), NULL);
  if (n_ids > 0)
    relay_dispatcher_send_async (dispatcher, ids, n_ids, NULL, relay_cli_async_ready, cli);
  else
    relay_dispatcher_run_async (dispatcher, NULL, relay_cli_async_ready, cli);
  result = relay_cli_wait (cli);
  report = relay_dispatcher_run_finish (dispatcher, result, error);
  if (handler != 0)
    {
      g_signal_handler_disconnect (dispatcher, handler);
      clear_progress_line ();
    }
  if (!caught)
    relay_cli_catch_signals (cli, FALSE);
  return report;
}

/* ---- lookups and conversions ---- */

RelayProviderRow *
relay_cli_find_provider (RelayCli *cli, const char *name, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  RelayProviderRow *row;

  row = relay_store_find_provider (relay_core_get_store (cli->core), name, &local_error);
  if (row != NULL)
    return row;
  if (local_error == NULL ||
      g_error_matches (local_error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_NOT_FOUND))
    g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_NOT_FOUND,
                 _("there is no provider named “%s” (see “provider list”)"), name);
  else
    g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

RelayClientRow *
relay_cli_find_client (RelayCli *cli, const char *name, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  RelayClientRow *row;

  row = relay_store_find_client (relay_core_get_store (cli->core), name, &local_error);
  if (row != NULL)
    return row;
  if (local_error == NULL ||
      g_error_matches (local_error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_NOT_FOUND))
    g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_NOT_FOUND,
                 _("there is no client named “%s” (see “client list”)"), name);
  else
    g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

gboolean
relay_cli_parse_id (const char *text, gint64 *out)
{
  guint64 value;

  if (text == NULL || !g_ascii_isdigit (*text))
    return FALSE;
  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &value, NULL))
    return FALSE;
  *out = (gint64) value;
  return TRUE;
}

char *
relay_cli_read_file_raw (const char *path, const char *what, gsize max_size, gsize *out_len,
                         GError **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  gboolean is_stdin = g_strcmp0 (path, "-") == 0;
  FILE *file;
  char buffer[8192];
  size_t n;

  file = is_stdin ? stdin : g_fopen (path, "rb");
  if (file == NULL)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("cannot read the %s: %s"), what, g_strerror (saved));
      return NULL;
    }
  while ((n = fread (buffer, 1, sizeof buffer, file)) > 0)
    {
      g_string_append_len (text, buffer, (gssize) n);
      if (text->len > max_size)
        {
          if (!is_stdin)
            fclose (file);
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                       _("the %s is too large"), what);
          return NULL;
        }
    }
  if (ferror (file))
    {
      int saved = errno;
      if (!is_stdin)
        fclose (file);
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("cannot read the %s: %s"), what, g_strerror (saved));
      return NULL;
    }
  if (!is_stdin)
    fclose (file);
  if (out_len != NULL)
    *out_len = text->len;
  return g_string_free (g_steal_pointer (&text), FALSE);
}

char *
relay_cli_read_file (const char *path, const char *what, gsize max_size, GError **error)
{
  gsize len = 0;
  g_autofree char *text = relay_cli_read_file_raw (path, what, max_size, &len, error);

  if (text == NULL)
    return NULL;
  /* A NUL byte is refused too (g_utf8_validate_len counts it as invalid). */
  if (!g_utf8_validate_len (text, len, NULL))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   _("the %s is not UTF-8 text"), what);
      return NULL;
    }
  return g_steal_pointer (&text);
}

gboolean
relay_cli_parse_time (const char *text, gint64 *out_unix)
{
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autoptr(GDateTime) time = NULL;
  int year, month, day, hour, minute, second = 0;
  char tail;

  if (sscanf (text, "%4d-%2d-%2d %2d:%2d%c", &year, &month, &day, &hour, &minute, &tail) == 5 ||
      sscanf (text, "%4d-%2d-%2d %2d:%2d:%2d%c", &year, &month, &day, &hour, &minute, &second,
              &tail) == 6)
    time = g_date_time_new (local, year, month, day, hour, minute, second);
  else
    time = g_date_time_new_from_iso8601 (text, local);
  if (time == NULL)
    return FALSE;
  *out_unix = g_date_time_to_unix (time);
  return TRUE;
}

/* ---- main ---- */

static const RelayCliCommand *
find_command (const RelayCliCommand *list, const char *name)
{
  for (const RelayCliCommand *c = list; c->name != NULL; c++)
    if (g_strcmp0 (c->name, name) == 0)
      return c;
  return NULL;
}

static gboolean
is_help (const char *arg)
{
  return g_strcmp0 (arg, "--help") == 0 || g_strcmp0 (arg, "-h") == 0;
}

/* Runs the command named by @argv (argv[0] is the first word of it). */
static int
run_command (RelayCli *cli, int argc, char **argv)
{
  const RelayCliCommand *command = find_command (commands, argv[0]);
  g_auto(GStrv) args = NULL;
  int first = 0;

  if (command == NULL)
    return relay_cli_usage (NULL, _("unknown command “%s”"), argv[0]);
  if (command->subcommands != NULL)
    {
      const RelayCliCommand *group = command;

      if (argc < 2 || is_help (argv[1]))
        {
          print_group_help (group, argc < 2 ? stderr : stdout);
          return argc < 2 ? RELAY_CLI_EXIT_USAGE : RELAY_CLI_EXIT_OK;
        }
      command = find_command (group->subcommands, argv[1]);
      if (command == NULL)
        {
          g_autofree char *path = g_strdup (group->name);
          RelayCli hint = { .path = path };
          return relay_cli_usage (&hint, _("unknown command “%s %s”"), group->name, argv[1]);
        }
      cli->path = g_strdup_printf ("%s %s", group->name, command->name);
      first = 1;
    }
  else
    cli->path = g_strdup (command->name);

  cli->command = command;
  args = g_new0 (char *, argc - first + 1);
  for (int i = first; i < argc; i++)
    args[i - first] = g_strdup (argv[i]);
  return command->run (cli, args);
}

static int
run_help (RelayCli *cli, char **argv)
{
  g_auto(GStrv) args = NULL;
  int argc = (int) g_strv_length (argv);
  RelayCli sub = { .db_path = NULL };
  int status;

  if (argc < 2)
    {
      print_main_help (stdout);
      return RELAY_CLI_EXIT_OK;
    }
  /* "help provider add" is "provider add --help". */
  args = g_new0 (char *, argc + 1);
  for (int i = 1; i < argc; i++)
    args[i - 1] = g_strdup (argv[i]);
  args[argc - 1] = g_strdup ("--help");
  if (find_command (commands, args[0]) != NULL &&
      find_command (commands, args[0])->subcommands != NULL && argc == 2)
    {
      print_group_help (find_command (commands, args[0]), stdout);
      return RELAY_CLI_EXIT_OK;
    }
  status = run_command (&sub, argc, args);
  g_free (sub.path);
  return status;
}

static int
run (RelayCli *cli, int argc, char **argv)
{
  int i = 1;

  for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++)
    {
      if (g_strcmp0 (argv[i], "--") == 0)
        {
          i++;
          break;
        }
      if (is_help (argv[i]))
        {
          print_main_help (stdout);
          return RELAY_CLI_EXIT_OK;
        }
      if (g_strcmp0 (argv[i], "--version") == 0)
        {
          g_print ("%s %s\n", RELAY_CLI_NAME, PACKAGE_VERSION);
          return RELAY_CLI_EXIT_OK;
        }
      if (g_strcmp0 (argv[i], "--db") == 0 && i + 1 < argc)
        {
          g_free (cli->db_path);
          cli->db_path = g_strdup (argv[++i]);
          continue;
        }
      if (g_strcmp0 (argv[i], "--db") == 0)
        return relay_cli_usage (NULL, _("--db needs a PATH"));
      if (g_str_has_prefix (argv[i], "--db="))
        {
          g_free (cli->db_path);
          cli->db_path = g_strdup (argv[i] + strlen ("--db="));
          continue;
        }
      return relay_cli_usage (NULL, _("unknown option “%s”"), argv[i]);
    }
  if (i >= argc)
    return relay_cli_usage (NULL, _("no command given"));
  return run_command (cli, argc - i, argv + i);
}

/* What g_print() and g_printerr() write: UTF-8 text with its control
 * characters escaped, in the console's charset when that is not UTF-8 (as
 * GLib's own handlers do). */
static void
write_escaped (FILE *stream, const char *string)
{
  g_autofree char *escaped = relay_cli_escape_controls (string);
  const char *charset;

  if (!g_get_console_charset (&charset))
    {
      g_autofree char *converted = g_convert_with_fallback (escaped, -1, charset, "UTF-8", "?",
                                                            NULL, NULL, NULL);

      if (converted != NULL)
        {
          fputs (converted, stream);
          fflush (stream);
          return;
        }
    }
  fputs (escaped, stream);
  fflush (stream);
}

static void
print_escaped (const char *string)
{
  write_escaped (stdout, string);
}

static void
printerr_escaped (const char *string)
{
  write_escaped (stderr, string);
}

int
main (int argc, char **argv)
{
  RelayCli cli = { 0 };
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname (RELAY_CLI_NAME);
  g_set_print_handler (print_escaped);
  g_set_printerr_handler (printerr_escaped);

  cli.stderr_is_tty = isatty (STDERR_FILENO);
  cli.cancellable = g_cancellable_new ();
  status = run (&cli, argc, argv);
  /* A signal stopped the work before its end (a --watch loop ends that way). */
  if (cli.quit_requested && !cli.watching)
    status = RELAY_CLI_EXIT_INTERRUPTED;

  relay_cli_catch_signals (&cli, FALSE);
  /* Writes queued behind another writer's lock (the window, cron) — an
   * order's outcome, a balance, a provider's last error — go into the book
   * before the process ends. */
  if (cli.core != NULL && !relay_core_finish_writes (cli.core, RELAY_CORE_FINISH_WRITES_MS))
    g_printerr (_("%s: not everything was recorded (an order's outcome, a balance or a "
                  "provider's last error): the order book stayed locked by another program; "
                  "an order whose outcome was not recorded goes to Review at the next run\n"),
                RELAY_CLI_NAME);
  g_clear_object (&cli.result);
  g_clear_object (&cli.core);
  g_clear_object (&cli.cancellable);
  g_clear_pointer (&cli.loop, g_main_loop_unref);
  g_free (cli.db_path);
  g_free (cli.path);
  return status;
}
