/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Running smm-relay-cli in a test and keeping what it said. */
#include "cli-run.h"

#include <locale.h>
#include <signal.h>
#include <sys/prctl.h>

#include <glib/gstdio.h>

struct _CliRunner
{
  char       *program;
  char       *db;
  GHashTable *env;          /* name -> value; a NULL value unsets the name */
  guint       timeout_ms;
};

void
cli_run_clear (CliRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
  run->status = 0;
  run->signal = 0;
}

void
cli_die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

CliRunner *
cli_runner_new (void)
{
  CliRunner *runner = g_new0 (CliRunner, 1);

  runner->program = g_strdup (g_getenv ("SMM_RELAY_CLI"));
  runner->env = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return runner;
}

void
cli_runner_free (CliRunner *runner)
{
  if (runner == NULL)
    return;
  g_free (runner->program);
  g_free (runner->db);
  g_hash_table_unref (runner->env);
  g_free (runner);
}

const char *
cli_runner_get_program (CliRunner *runner)
{
  return runner->program;
}

void
cli_runner_set_db (CliRunner *runner, const char *db)
{
  g_free (runner->db);
  runner->db = g_strdup (db);
}

void
cli_runner_setenv (CliRunner *runner, const char *name, const char *value)
{
  if (value == NULL)
    g_hash_table_remove (runner->env, name);
  else
    g_hash_table_insert (runner->env, g_strdup (name), g_strdup (value));
}

void
cli_runner_unsetenv (CliRunner *runner, const char *name)
{
  g_hash_table_insert (runner->env, g_strdup (name), NULL);
}

void
cli_runner_set_timeout (CliRunner *runner, guint timeout_ms)
{
  runner->timeout_ms = timeout_ms;
}

GSubprocessLauncher *
cli_runner_launcher (CliRunner *runner, GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);
  GHashTableIter iter;
  gpointer name, value;

  g_subprocess_launcher_set_child_setup (launcher, cli_die_with_parent, NULL, NULL);
  g_hash_table_iter_init (&iter, runner->env);
  while (g_hash_table_iter_next (&iter, &name, &value))
    {
      if (value != NULL)
        g_subprocess_launcher_setenv (launcher, name, value, TRUE);
      else
        g_subprocess_launcher_unsetenv (launcher, name);
    }
  return launcher;
}

/* Starts the CLI with @args; the command line to log (the arguments after
 * the program and --db) goes with the process. */
static GSubprocess *
spawn (CliRunner *runner, GSubprocessFlags flags, const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = cli_runner_launcher (runner, flags);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  g_assert_nonnull (runner->program);   /* $SMM_RELAY_CLI */
  g_ptr_array_add (argv, runner->program);
  if (runner->db != NULL)
    {
      g_ptr_array_add (argv, (char *) "--db");
      g_ptr_array_add (argv, runner->db);
    }
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_object_set_data_full (G_OBJECT (process), "cli-run-line", g_strjoinv (" ", (char **) args),
                          g_free);
  return process;
}

static void
communicated (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gboolean
tick (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Feeds @input, reads stdout and stderr to the end and waits for the exit,
 * iterating the thread-default main context meanwhile. */
static void
finish (CliRunner *runner, CliRun *run, GSubprocess *process, const char *input)
{
  const char *line = g_object_get_data (G_OBJECT (process), "cli-run-line");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + (gint64) runner->timeout_ms * 1000;
  guint ticker = runner->timeout_ms > 0 ? g_timeout_add (20, tick, NULL) : 0;

  g_subprocess_communicate_utf8_async (process, input, NULL, communicated, &result);
  while (result == NULL)
    {
      if (runner->timeout_ms > 0 && g_get_monotonic_time () > deadline)
        {
          g_subprocess_force_exit (process);
          g_error ("smm-relay-cli %s: no end after %u ms", line, runner->timeout_ms);
        }
      g_main_context_iteration (NULL, TRUE);
    }
  if (ticker != 0)
    g_source_remove (ticker);
  g_subprocess_communicate_utf8_finish (process, result, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
  run->signal = g_subprocess_get_if_signaled (process) ? g_subprocess_get_term_sig (process) : 0;
  g_test_message ("$ smm-relay-cli %s  -> %d (signal %d)", line, run->status, run->signal);
  if (run->out != NULL && *run->out != '\0')
    g_test_message ("  stdout: %.1500s", run->out);
  if (run->err != NULL && *run->err != '\0')
    g_test_message ("  stderr: %.600s", run->err);
}

void
cli_runner_runv (CliRunner *runner, CliRun *run, const char *input, const char * const *args)
{
  g_autoptr(GSubprocess) process = spawn (runner, G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                  G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                  G_SUBPROCESS_FLAGS_STDERR_PIPE, args);

  finish (runner, run, process, input);
}

GSubprocess *
cli_runner_spawnv (CliRunner *runner, const char * const *args)
{
  return spawn (runner, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, args);
}

void
cli_runner_wait (CliRunner *runner, CliRun *run, GSubprocess *process)
{
  finish (runner, run, process, NULL);
}

void
cli_runner_run_interrupted (CliRunner *runner, CliRun *run, int sig, guint delay_ms,
                            const char * const *args)
{
  g_autoptr(GSubprocess) process = cli_runner_spawnv (runner, args);

  g_usleep (delay_ms * 1000);
  g_subprocess_send_signal (process, sig);
  cli_runner_wait (runner, run, process);
}

JsonNode *
cli_parse_json (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

JsonNode *
cli_runner_json (CliRunner *runner, const char * const *args)
{
  g_auto(CliRun) run = { 0 };

  cli_runner_runv (runner, &run, NULL, args);
  g_assert_cmpint (run.status, ==, 0);
  return cli_parse_json (run.out);
}

void
cli_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        cli_remove_tree (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}

CliBook *
cli_book_new (const char *tmpl)
{
  g_autoptr(GError) error = NULL;
  CliBook *book = g_new0 (CliBook, 1);

  book->dir = g_dir_make_tmp (tmpl, &error);
  g_assert_no_error (error);
  book->db = g_build_filename (book->dir, "orders.db", NULL);
  book->config_home = g_build_filename (book->dir, "config", NULL);
  book->cli = cli_runner_new ();
  cli_runner_set_db (book->cli, book->db);
  cli_runner_setenv (book->cli, "XDG_CONFIG_HOME", book->config_home);
  cli_runner_unsetenv (book->cli, "SMM_RELAY_DB");
  cli_runner_unsetenv (book->cli, "SMM_RELAY_KEYS");
  return book;
}

void
cli_book_free (CliBook *book)
{
  if (book == NULL)
    return;
  if (g_getenv ("TEST_CLI_KEEP") == NULL)
    cli_remove_tree (book->dir);
  else
    g_test_message ("kept %s", book->dir);
  cli_runner_free (book->cli);
  g_free (book->dir);
  g_free (book->db);
  g_free (book->config_home);
  g_free (book);
}

CliBook *
cli_test_init (int *argc, char ***argv, const char *tmpl)
{
  setlocale (LC_ALL, "");
  g_test_init (argc, argv, NULL);
  if (g_getenv ("SMM_RELAY_CLI") == NULL || g_getenv ("SMM_RELAY_SIM") == NULL)
    {
      g_test_skip ("SMM_RELAY_CLI and SMM_RELAY_SIM must name the built programs");
      return NULL;
    }
  return cli_book_new (tmpl);
}
