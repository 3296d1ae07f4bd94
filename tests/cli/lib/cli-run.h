/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Running smm-relay-cli in a test: its exit status, stdout and stderr, with
 * the order book and the environment the test chooses. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* What one run of the CLI did. */
typedef struct
{
  int   status;     /* exit status, or -1 when killed by a signal */
  int   signal;     /* the signal that killed it, else 0 */
  char *out;
  char *err;
} CliRun;

void cli_run_clear (CliRun *run);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliRun, cli_run_clear)

/* How to run the CLI: the program ($SMM_RELAY_CLI), the book given with
 * --db, what to change in its environment and how long a run may take. */
typedef struct _CliRunner CliRunner;

/* $SMM_RELAY_CLI (a run fails the test when it is not set), no --db,
 * the test's own environment. */
CliRunner *cli_runner_new         (void);
void       cli_runner_free        (CliRunner *runner);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CliRunner, cli_runner_free)

const char *cli_runner_get_program (CliRunner *runner);
/* "--db @db" before the arguments of every run; NULL: no --db. */
void       cli_runner_set_db      (CliRunner *runner, const char *db);
/* @name=@value in the runs' environment; @value NULL: as the test's own. */
void       cli_runner_setenv      (CliRunner *runner, const char *name, const char *value);
/* @name not in the runs' environment at all. */
void       cli_runner_unsetenv    (CliRunner *runner, const char *name);
/* A run that has not ended after @timeout_ms fails the test (0, the
 * default: no limit). */
void       cli_runner_set_timeout (CliRunner *runner, guint timeout_ms);

/* A launcher with the runs' environment; its children die with the test. */
GSubprocessLauncher *cli_runner_launcher (CliRunner *runner, GSubprocessFlags flags);

/* Runs the CLI with @args (NULL-terminated) and @input (or nothing) on
 * stdin.  It iterates the thread-default main context while the CLI runs,
 * so a simulator on this thread answers it. */
void       cli_runner_runv        (CliRunner *runner, CliRun *run, const char *input,
                                   const char * const *args);
/* Starts the CLI with @args in the background (stdout and stderr piped). */
GSubprocess *cli_runner_spawnv    (CliRunner *runner, const char * const *args);
/* Reads what @process (from cli_runner_spawnv()) writes to its end and
 * waits for it, as cli_runner_runv() does. */
void       cli_runner_wait        (CliRunner *runner, CliRun *run, GSubprocess *process);
/* Starts the CLI, sends @sig after @delay_ms and waits for its end. */
void       cli_runner_run_interrupted (CliRunner *runner, CliRun *run, int sig, guint delay_ms,
                                       const char * const *args);
/* Runs the CLI, expects exit 0 and returns its stdout as JSON. */
JsonNode  *cli_runner_json        (CliRunner *runner, const char * const *args);

/* @text as JSON; fails the test when it is not. */
JsonNode  *cli_parse_json         (const char *text);

/* A GSpawnChildSetupFunc: the child gets SIGTERM when the test ends, so
 * that a failed assertion never leaves a process holding meson's pipes. */
void       cli_die_with_parent    (gpointer user_data);

/* Removes @path and all below it (links are removed, not followed). */
void       cli_remove_tree        (const char *path);

#define cli_run(runner, run, input, ...) \
  G_STMT_START { \
    const char *cli_run_args_[] = { __VA_ARGS__, NULL }; \
    cli_runner_runv ((runner), (run), (input), cli_run_args_); \
  } G_STMT_END

#define cli_run_json(runner, ...) \
  ({ const char *cli_json_args_[] = { __VA_ARGS__, NULL }; cli_runner_json ((runner), cli_json_args_); })

/* A temp folder for one test program: the book (DIR/orders.db), the CLI's
 * configuration (DIR/config), and a runner on them that never sees the
 * user's SMM_RELAY_DB or SMM_RELAY_KEYS. */
typedef struct
{
  char      *dir;
  char      *db;
  char      *config_home;
  CliRunner *cli;
} CliBook;

CliBook   *cli_book_new           (const char *tmpl);
/* Removes the folder, unless $TEST_CLI_KEEP is set. */
void       cli_book_free          (CliBook *book);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CliBook, cli_book_free)

/* setlocale(), g_test_init() and the program's book (cli_book_new (@tmpl));
 * NULL, the program skipped, when $SMM_RELAY_CLI or $SMM_RELAY_SIM does not
 * name the built program. */
CliBook   *cli_test_init          (int *argc, char ***argv, const char *tmpl);

G_END_DECLS
