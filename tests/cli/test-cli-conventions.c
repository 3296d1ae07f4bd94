/* SPDX-License-Identifier: GPL-3.0-or-later */
/* smm-relay-cli conventions: exit statuses, --json on every listing, names for completion,
 * the bash completion itself, and `backup FILE`; against smm-relay-sim on 127.0.0.1. */
#include "config.h"

#include <locale.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#define PROVIDER "Demo panel"
#define SIM_KEY "demo-key"

typedef struct
{
  char        *dir;
  char        *db;
  char        *config_home;
  const char  *cli;
  GSubprocess *sim;
  char        *sim_url;
  char        *sim_root;
  SoupSession *session;
} Fixture;

static Fixture fx;

typedef struct
{
  int   status;     /* exit status, or -1 when killed by a signal */
  int   signal;     /* the signal that killed it, else 0 */
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static GSubprocessLauncher *
cli_launcher (GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", fx.config_home, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "SMM_RELAY_DB");
  g_subprocess_launcher_unsetenv (launcher, "SMM_RELAY_KEYS");
  return launcher;
}

static GPtrArray *
cli_argv (const char * const *args)
{
  GPtrArray *argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (char *) fx.cli);
  g_ptr_array_add (argv, (char *) "--db");
  g_ptr_array_add (argv, fx.db);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  return argv;
}

static void
finish_run (Run *run, GSubprocess *process, const char *line)
{
  run->status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
  run->signal = g_subprocess_get_if_signaled (process) ? g_subprocess_get_term_sig (process) : 0;
  g_test_message ("$ smm-relay-cli %s  -> %d (signal %d)", line, run->status, run->signal);
  if (run->out != NULL && *run->out != '\0')
    g_test_message ("  stdout: %.800s", run->out);
  if (run->err != NULL && *run->err != '\0')
    g_test_message ("  stderr: %.400s", run->err);
}

static void
run_cliv (Run *run, const char *input, const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = cli_argv (args);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_strjoinv (" ", (char **) argv->pdata + 3);

  launcher = cli_launcher (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                           G_SUBPROCESS_FLAGS_STDERR_PIPE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  finish_run (run, process, line);
}

#define run_cli(run, input, ...) \
  G_STMT_START { \
    const char *run_args_[] = { __VA_ARGS__, NULL }; \
    run_cliv ((run), (input), run_args_); \
  } G_STMT_END

/* Starts the CLI, sends @sig after @delay_ms, and waits for it. */
static void
run_cli_interrupted (Run *run, int sig, guint delay_ms, const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = cli_launcher (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                          G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = cli_argv (args);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_strjoinv (" ", (char **) argv->pdata + 3);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_usleep (delay_ms * 1000);
  g_subprocess_send_signal (process, sig);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  finish_run (run, process, line);
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static JsonNode *
run_json (const char * const *args)
{
  g_auto(Run) run = { 0 };

  run_cliv (&run, NULL, args);
  g_assert_cmpint (run.status, ==, 0);
  return parse_json (run.out);
}

#define cli_json(...) \
  ({ const char *json_args_[] = { __VA_ARGS__, NULL }; run_json (json_args_); })

static void
sim_control (const char *name, const char *value)
{
  g_autofree char *url = g_strconcat (fx.sim_root, "/sim/control", NULL);
  g_autoptr(GHashTable) form = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  g_hash_table_insert (form, (char *) name, (char *) value);
  msg = soup_message_new_from_encoded_form ("POST", url, soup_form_encode_hash (form));
  body = soup_session_send_and_read (fx.session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}

static void
start_sim (void)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) in = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  const char *prefix = "listening on ";
  const char *path;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  fx.sim = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("SMM_RELAY_SIM"), "--port",
                                        "0", "--seed", "7", NULL);
  g_assert_no_error (error);
  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fx.sim));
  line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, prefix));
  fx.sim_url = g_strdup (line + strlen (prefix));
  path = strstr (fx.sim_url + strlen ("http://"), "/");
  g_assert_nonnull (path);
  fx.sim_root = g_strndup (fx.sim_url, path - fx.sim_url);
}

static void
stop_sim (void)
{
  if (fx.sim == NULL)
    return;
  g_subprocess_send_signal (fx.sim, SIGTERM);
  g_subprocess_wait (fx.sim, NULL, NULL);
  g_clear_object (&fx.sim);
}

/* ---- the cases, in order ---- */

static void
test_setup (void)
{
  g_auto(Run) run = { 0 };

  run_cli (&run, SIM_KEY "\n", "provider", "add", PROVIDER, fx.sim_url, "--key-file", "-");
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);
  run_cli (&run, NULL, "services", "sync", PROVIDER);
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);
  run_cli (&run, NULL, "service", "map", "1", PROVIDER, "101", "--price", "1.50");
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);
  run_cli (&run, NULL, "client", "add", "Ann Lee");
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);
  run_cli (&run, NULL, "client", "add", "Bob");
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);
  run_cli (&run, NULL, "order", "add", "1", "https://instagram.com/conventions_1", "100",
           "--client", "Bob");
  g_assert_cmpint (run.status, ==, 0);
}

/* 0 ok, 1 refused, 2 usage: and --help says so. */
static void
test_exit_status (void)
{
  g_auto(Run) run = { 0 };

  run_cli (&run, NULL, "--help");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Exit status:"));
  g_assert_nonnull (strstr (run.out, "  3    a provider could not be reached"));
  g_assert_nonnull (strstr (run.out, "  130  interrupted"));
  g_assert_nonnull (strstr (run.out, "  backup FILE [--force]"));
  run_clear (&run);

  run_cli (&run, NULL, "--version");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "smm-relay-cli " PACKAGE_VERSION "\n");
  run_clear (&run);

  /* Usage: unknown command, unknown option, missing argument. */
  run_cli (&run, NULL, "frobnicate");
  g_assert_cmpint (run.status, ==, 2);
  run_clear (&run);
  run_cli (&run, NULL, "orders", "--frobnicate");
  g_assert_cmpint (run.status, ==, 2);
  run_clear (&run);
  run_cli (&run, NULL, "backup");
  g_assert_cmpint (run.status, ==, 2);
  run_clear (&run);

  /* Refused input. */
  run_cli (&run, NULL, "client", "show", "Nobody");
  g_assert_cmpint (run.status, ==, 1);
  run_clear (&run);
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
      node = run_json (args);
      g_assert_true (JSON_NODE_HOLDS_ARRAY (node) || JSON_NODE_HOLDS_OBJECT (node));
    }
}

/* One name a line, what the completion reads. */
static void
test_names (void)
{
  g_auto(Run) run = { 0 };

  run_cli (&run, NULL, "provider", "list", "--names");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, PROVIDER "\n");
  run_clear (&run);
  run_cli (&run, NULL, "client", "list", "--names");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "Ann Lee\nBob\n");
  run_clear (&run);
  run_cli (&run, NULL, "client", "list", "--names", "--json");
  g_assert_cmpint (run.status, ==, 2);
}

/* What bash offers on TAB, from data/completion/smm-relay-cli. */
static char *
complete (const char *line_words)
{
  g_autofree char *completion = g_test_build_filename (G_TEST_DIST, "..", "data",
                                                       "completion", "smm-relay-cli", NULL);
  g_autofree char *cli_dir = g_path_get_dirname (fx.cli);
  g_autofree char *path = g_strconcat (cli_dir, ":", g_getenv ("PATH"), NULL);
  g_autofree char *script = g_strdup_printf (
    "source '%s'\n"
    "COMP_WORDS=(%s); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=()\n"
    "_smm_relay_cli\n"
    "printf '%%s\\n' \"${COMPREPLY[@]}\" | sort\n", completion, line_words);
  g_autoptr(GSubprocessLauncher) launcher = cli_launcher (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                          G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) bash = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  g_autofree char *err = NULL;

  g_subprocess_launcher_setenv (launcher, "PATH", path, TRUE);
  g_subprocess_launcher_setenv (launcher, "SMM_RELAY_DB", fx.db, TRUE);
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
    g_autofree char *missing = g_build_filename (fx.dir, "missing.db", NULL);
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
  g_autofree char *copy = g_build_filename (fx.dir, "backup.db", NULL);
  g_autoptr(JsonNode) original = NULL;
  g_autoptr(JsonNode) restored = NULL;
  g_auto(Run) run = { 0 };
  GStatBuf st;

  run_cli (&run, NULL, "backup", copy);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpint (g_stat (copy, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  run_clear (&run);

  /* Never over an existing file without --force. */
  run_cli (&run, NULL, "backup", copy);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "--force"));
  run_clear (&run);
  run_cli (&run, NULL, "backup", copy, "--force");
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);

  /* The copy is the order book: the same orders. */
  original = cli_json ("orders", "--json");
  {
    const char *args[] = { "--db", copy, "orders", "--json", NULL };
    restored = run_json (args);
  }
  g_assert_cmpuint (json_array_get_length (json_node_get_array (restored)), ==,
                    json_array_get_length (json_node_get_array (original)));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (restored)), >, 0);
}

/* 130: a signal stopped the work before its end; what was on the wire is recorded. */
static void
test_interrupted (void)
{
  g_auto(Run) run = { 0 };
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
      run_clear (&run);
    }
  sim_control ("latency_min", "1500");

  /* dispatch: the sends on the wire finish, no new one starts, exit 130. */
  run_cli_interrupted (&run, SIGINT, 500, dispatch);
  g_assert_cmpint (run.signal, ==, 0);
  g_assert_cmpint (run.status, ==, 130);
  run_clear (&run);
  orders = cli_json ("orders", "--json");
  array = json_node_get_array (orders);
  for (guint i = 0; i < json_array_get_length (array); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, i),
                                                    "status"), !=, "sending");

  /* sync: the status requests stop at once, exit 130. */
  run_cli_interrupted (&run, SIGINT, 500, sync);
  g_assert_cmpint (run.status, ==, 130);
  run_clear (&run);

  /* A command that only reads dies of the signal: the shell says 130. */
  run_cli_interrupted (&run, SIGINT, 500, balance);
  g_assert_cmpint (run.signal, ==, SIGINT);

  sim_control ("latency_min", "0");
  sim_control ("latency_max", "0");
}

/* 3: the provider cannot be reached. */
static void
test_unreachable (void)
{
  g_auto(Run) run = { 0 };

  stop_sim ();
  run_cli (&run, NULL, "provider", "balance", PROVIDER);
  g_assert_cmpint (run.status, ==, 3);
  run_clear (&run);
  run_cli (&run, NULL, "services", "sync", PROVIDER);
  g_assert_cmpint (run.status, ==, 3);
  run_clear (&run);
  /* An order that could not be sent stays queued for "dispatch": 1, as for
   * any order that did not go (the line says why). */
  run_cli (&run, NULL, "order", "add", "1", "https://instagram.com/unreachable", "100");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.out, ": not sent yet: "));
  run_clear (&run);
  /* Not the provider's fault: still 1. */
  run_cli (&run, NULL, "provider", "balance", "Nope");
  g_assert_cmpint (run.status, ==, 1);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  fx.cli = g_getenv ("SMM_RELAY_CLI");
  if (fx.cli == NULL || g_getenv ("SMM_RELAY_SIM") == NULL)
    {
      g_test_skip ("SMM_RELAY_CLI and SMM_RELAY_SIM must name the built programs");
      return g_test_run ();
    }
  fx.dir = g_dir_make_tmp ("test-cli-conventions-XXXXXX", &error);
  g_assert_no_error (error);
  fx.db = g_build_filename (fx.dir, "orders.db", NULL);
  fx.config_home = g_build_filename (fx.dir, "config", NULL);
  fx.session = soup_session_new ();
  start_sim ();

  g_test_add_func ("/cli-conventions/setup", test_setup);
  g_test_add_func ("/cli-conventions/exit-status", test_exit_status);
  g_test_add_func ("/cli-conventions/json-everywhere", test_json_everywhere);
  g_test_add_func ("/cli-conventions/names", test_names);
  g_test_add_func ("/cli-conventions/completion", test_completion);
  g_test_add_func ("/cli-conventions/backup", test_backup);
  g_test_add_func ("/cli-conventions/interrupted", test_interrupted);
  g_test_add_func ("/cli-conventions/unreachable", test_unreachable);
  status = g_test_run ();

  stop_sim ();
  g_clear_object (&fx.session);
  remove_tree (fx.dir);
  g_free (fx.db);
  g_free (fx.config_home);
  g_free (fx.dir);
  g_free (fx.sim_url);
  g_free (fx.sim_root);
  return status;
}
