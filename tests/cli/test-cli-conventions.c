/* SPDX-License-Identifier: GPL-3.0-or-later */
/* smm-relay-cli conventions: exit statuses, --json on every listing, names for completion,
 * the bash completion itself, and `backup FILE`; against smm-relay-sim on 127.0.0.1. */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/stat.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "cli-run.h"
#include "cli-sim.h"

#define PROVIDER "Demo panel"
#define SIM_KEY "demo-key"

typedef struct
{
  CliBook *book;
  CliSim  *sim;
} Fixture;

static Fixture fx;

#define run_cli(run, input, ...) cli_run (fx.book->cli, (run), (input), __VA_ARGS__)
#define cli_json(...) cli_run_json (fx.book->cli, __VA_ARGS__)

/* ---- the cases, in order ---- */

static void
test_setup (void)
{
  g_auto(CliRun) run = { 0 };

  run_cli (&run, SIM_KEY "\n", "provider", "add", PROVIDER, fx.sim->url, "--key-file", "-");
  g_assert_cmpint (run.status, ==, 0);
  cli_run_clear (&run);
  run_cli (&run, NULL, "services", "sync", PROVIDER);
  g_assert_cmpint (run.status, ==, 0);
  cli_run_clear (&run);
  run_cli (&run, NULL, "service", "map", "1", PROVIDER, "101", "--price", "1.50");
  g_assert_cmpint (run.status, ==, 0);
  cli_run_clear (&run);
  run_cli (&run, NULL, "client", "add", "Ann Lee");
  g_assert_cmpint (run.status, ==, 0);
  cli_run_clear (&run);
  run_cli (&run, NULL, "client", "add", "Bob");
  g_assert_cmpint (run.status, ==, 0);
  cli_run_clear (&run);
  run_cli (&run, NULL, "order", "add", "1", "https://instagram.com/conventions_1", "100",
           "--client", "Bob");
  g_assert_cmpint (run.status, ==, 0);
}

/* 0 ok, 1 refused, 2 usage: and --help says so. */
static void
test_exit_status (void)
{
  g_auto(CliRun) run = { 0 };

  run_cli (&run, NULL, "--help");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Exit status:"));
  g_assert_nonnull (strstr (run.out, "  3    a provider could not be reached"));
  g_assert_nonnull (strstr (run.out, "  130  interrupted"));
  g_assert_nonnull (strstr (run.out, "  backup FILE [--force]"));
  cli_run_clear (&run);

  run_cli (&run, NULL, "--version");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "smm-relay-cli " PACKAGE_VERSION "\n");
  cli_run_clear (&run);

  /* Usage: unknown command, unknown option, missing argument. */
  run_cli (&run, NULL, "frobnicate");
  g_assert_cmpint (run.status, ==, 2);
  cli_run_clear (&run);
  run_cli (&run, NULL, "orders", "--frobnicate");
  g_assert_cmpint (run.status, ==, 2);
  cli_run_clear (&run);
  run_cli (&run, NULL, "backup");
  g_assert_cmpint (run.status, ==, 2);
  cli_run_clear (&run);

  /* Refused input. */
  run_cli (&run, NULL, "client", "show", "Nobody");
  g_assert_cmpint (run.status, ==, 1);
  cli_run_clear (&run);
  run_cli (&run, NULL, "order", "add", "1", "https://instagram.com/conventions_2", "5");
  g_assert_cmpint (run.status, ==, 1);   /* below the service's minimum */
}

/* Every listing command takes --json and prints one JSON document. */
static void
test_json_everywhere (void)
{
  const char *listings[][4] = {
    { "provider", "list", NULL },
    { "services", "list", NULL },
    { "service", "list", NULL },
    { "client", "list", NULL },
    { "client", "show", "Bob", NULL },
    { "orders", NULL },
    { "review", "list", NULL },
    { "order", "show", "1", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (listings); i++)
    {
      const char *args[6] = { NULL };
      g_autoptr(JsonNode) node = NULL;
      guint n = 0;

      for (; listings[i][n] != NULL; n++)
        args[n] = listings[i][n];
      args[n] = "--json";
      node = cli_runner_json (fx.book->cli, args);
      g_assert_true (JSON_NODE_HOLDS_ARRAY (node) || JSON_NODE_HOLDS_OBJECT (node));
    }
}

/* One name a line, what the completion reads. */
static void
test_names (void)
{
  g_auto(CliRun) run = { 0 };

  run_cli (&run, NULL, "provider", "list", "--names");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, PROVIDER "\n");
  cli_run_clear (&run);
  run_cli (&run, NULL, "client", "list", "--names");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "Ann Lee\nBob\n");
  cli_run_clear (&run);
  run_cli (&run, NULL, "client", "list", "--names", "--json");
  g_assert_cmpint (run.status, ==, 2);
}

/* What bash offers on TAB, from data/completion/smm-relay-cli. */
static char *
complete (const char *line_words)
{
  g_autofree char *completion = g_test_build_filename (G_TEST_DIST, "..", "data",
                                                       "completion", "smm-relay-cli", NULL);
  g_autofree char *cli_dir = g_path_get_dirname (cli_runner_get_program (fx.book->cli));
  g_autofree char *path = g_strconcat (cli_dir, ":", g_getenv ("PATH"), NULL);
  g_autofree char *script = g_strdup_printf (
    "source '%s'\n"
    "COMP_WORDS=(%s); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=()\n"
    "_smm_relay_cli\n"
    "printf '%%s\\n' \"${COMPREPLY[@]}\" | sort\n", completion, line_words);
  g_autoptr(GSubprocessLauncher) launcher = cli_runner_launcher (fx.book->cli,
                                                                 G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                 G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) bash = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  g_autofree char *err = NULL;

  g_subprocess_launcher_setenv (launcher, "PATH", path, TRUE);
  g_subprocess_launcher_setenv (launcher, "SMM_RELAY_DB", fx.book->db, TRUE);
  bash = g_subprocess_launcher_spawn (launcher, &error, "bash", "--norc", "--noprofile", "-c",
                                      script, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (bash, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_test_message ("complete [%s] -> %s%s", line_words, out, err);
  g_assert_true (g_subprocess_get_successful (bash));
  return out;
}

static void
test_completion (void)
{
  g_autofree char *commands = complete ("smm-relay-cli pro");
  g_autofree char *all = complete ("smm-relay-cli ''");
  g_autofree char *subs = complete ("smm-relay-cli provider ''");
  g_autofree char *providers = complete ("smm-relay-cli provider balance ''");
  g_autofree char *clients = complete ("smm-relay-cli client show ''");
  g_autofree char *client_opt = complete ("smm-relay-cli orders --client B");
  g_autofree char *options = complete ("smm-relay-cli orders --st");
  g_autofree char *with_db = NULL;

  g_assert_cmpstr (commands, ==, "provider\n");
  g_assert_nonnull (strstr (all, "backup\n"));
  g_assert_nonnull (strstr (all, "mass-order\n"));
  g_assert_nonnull (strstr (all, "orders\n"));
  /* Subcommands come from --help: new ones appear without editing the completion. */
  g_assert_true (g_str_has_prefix (subs, "add\nbalance\n"));
  g_assert_nonnull (strstr (subs, "\nlist\n"));
  g_assert_nonnull (strstr (subs, "\nset-key\n"));
  g_assert_null (strstr (subs, "NAME"));
  g_assert_cmpstr (providers, ==, "Demo\\ panel\n");
  g_assert_cmpstr (clients, ==, "Ann\\ Lee\nBob\n");
  g_assert_cmpstr (client_opt, ==, "Bob\n");
  g_assert_cmpstr (options, ==, "--status\n");

  /* --db on the line wins; a book that does not exist is never created. */
  {
    g_autofree char *missing = g_build_filename (fx.book->dir, "missing.db", NULL);
    g_autofree char *words = g_strdup_printf ("smm-relay-cli --db '%s' client show ''",
                                              missing);

    with_db = complete (words);
    g_assert_cmpstr (with_db, ==, "\n");
    g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  }
}

static void
test_backup (void)
{
  g_autofree char *copy = g_build_filename (fx.book->dir, "backup.db", NULL);
  g_autoptr(JsonNode) original = NULL;
  g_autoptr(JsonNode) restored = NULL;
  g_auto(CliRun) run = { 0 };
  GStatBuf st;

  run_cli (&run, NULL, "backup", copy);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpint (g_stat (copy, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  cli_run_clear (&run);

  /* Never over an existing file without --force. */
  run_cli (&run, NULL, "backup", copy);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "--force"));
  cli_run_clear (&run);
  run_cli (&run, NULL, "backup", copy, "--force");
  g_assert_cmpint (run.status, ==, 0);
  cli_run_clear (&run);

  /* The copy is the order book: the same orders. */
  original = cli_json ("orders", "--json");
  {
    const char *args[] = { "--db", copy, "orders", "--json", NULL };
    restored = cli_runner_json (fx.book->cli, args);
  }
  g_assert_cmpuint (json_array_get_length (json_node_get_array (restored)), ==,
                    json_array_get_length (json_node_get_array (original)));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (restored)), >, 0);
}

/* 130: a signal stopped the work before its end; what was on the wire is recorded. */
static void
test_interrupted (void)
{
  g_auto(CliRun) run = { 0 };
  g_autoptr(JsonNode) orders = NULL;
  JsonArray *array;
  const char *dispatch[] = { "dispatch", NULL };
  const char *sync[] = { "sync", NULL };
  const char *balance[] = { "provider", "balance", PROVIDER, NULL };

  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *link = g_strdup_printf ("https://instagram.com/interrupted_%u", i);

      run_cli (&run, NULL, "order", "add", "1", link, "100", "--no-send");
      g_assert_cmpint (run.status, ==, 0);
      cli_run_clear (&run);
    }
  cli_sim_control (fx.sim, "latency_min", "1500");

  /* dispatch: the sends on the wire finish, no new one starts, exit 130. */
  cli_runner_run_interrupted (fx.book->cli, &run, SIGINT, 500, dispatch);
  g_assert_cmpint (run.signal, ==, 0);
  g_assert_cmpint (run.status, ==, 130);
  cli_run_clear (&run);
  orders = cli_json ("orders", "--json");
  array = json_node_get_array (orders);
  for (guint i = 0; i < json_array_get_length (array); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, i),
                                                    "status"), !=, "sending");

  /* sync: the status requests stop at once, exit 130. */
  cli_runner_run_interrupted (fx.book->cli, &run, SIGINT, 500, sync);
  g_assert_cmpint (run.status, ==, 130);
  cli_run_clear (&run);

  /* A command that only reads dies of the signal: the shell says 130. */
  cli_runner_run_interrupted (fx.book->cli, &run, SIGINT, 500, balance);
  g_assert_cmpint (run.signal, ==, SIGINT);

  cli_sim_control (fx.sim, "latency_min", "0");
  cli_sim_control (fx.sim, "latency_max", "0");
}

/* 3: the provider cannot be reached. */
static void
test_unreachable (void)
{
  g_auto(CliRun) run = { 0 };

  cli_sim_stop (fx.sim);
  run_cli (&run, NULL, "provider", "balance", PROVIDER);
  g_assert_cmpint (run.status, ==, 3);
  cli_run_clear (&run);
  run_cli (&run, NULL, "services", "sync", PROVIDER);
  g_assert_cmpint (run.status, ==, 3);
  cli_run_clear (&run);
  /* An order that could not be sent stays queued for "dispatch": 1, as for
   * any order that did not go (the line says why). */
  run_cli (&run, NULL, "order", "add", "1", "https://instagram.com/unreachable", "100");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.out, ": not sent yet: "));
  cli_run_clear (&run);
  /* Not the provider's fault: still 1. */
  run_cli (&run, NULL, "provider", "balance", "Nope");
  g_assert_cmpint (run.status, ==, 1);
}

int
main (int argc, char **argv)
{
  int status;

  fx.book = cli_test_init (&argc, &argv, "test-cli-conventions-XXXXXX");
  if (fx.book == NULL)
    return g_test_run ();
  fx.sim = cli_sim_start ("--seed", "7", NULL);

  g_test_add_func ("/cli-conventions/setup", test_setup);
  g_test_add_func ("/cli-conventions/exit-status", test_exit_status);
  g_test_add_func ("/cli-conventions/json-everywhere", test_json_everywhere);
  g_test_add_func ("/cli-conventions/names", test_names);
  g_test_add_func ("/cli-conventions/completion", test_completion);
  g_test_add_func ("/cli-conventions/backup", test_backup);
  g_test_add_func ("/cli-conventions/interrupted", test_interrupted);
  g_test_add_func ("/cli-conventions/unreachable", test_unreachable);
  status = g_test_run ();

  g_clear_pointer (&fx.sim, cli_sim_free);
  g_clear_pointer (&fx.book, cli_book_free);
  return status;
}
