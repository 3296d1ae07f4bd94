/* SPDX-License-Identifier: GPL-3.0-or-later */
/* smm-relay-cli against a misbehaving provider and hostile input (the defects a tester
 * found): the exit status of every "no usable answer" (HTML page, 5xx, timeout), a
 * mass-order file with a non-UTF-8 line, control characters quoted from a user's file,
 * and a catalog with nothing usable in it; against smm-relay-sim on 127.0.0.1. */
#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "cli-run.h"
#include "cli-sim.h"

#define PROVIDER "Hostile panel"
#define SIM_KEY "demo-key"

typedef struct
{
  CliBook *book;
  CliSim  *sim;
} Fixture;

static Fixture fx;

#define run_cli(run, input, ...) cli_run (fx.book->cli, (run), (input), __VA_ARGS__)

/* The next request for @action gets @body (HTTP 200) instead of its answer. */
static void
inject_reply (const char *action, const char *body)
{
  g_autoptr(GHashTable) form = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GBytes) reply = NULL;

  g_hash_table_insert (form, (char *) "reply", (char *) body);
  g_hash_table_insert (form, (char *) "action", (char *) action);
  reply = cli_sim_http (fx.sim, "POST", "/sim/control", form);
}

/* The next request for @action gets @fault. */
static void
inject_fault (const char *action, const char *fault)
{
  g_autoptr(GHashTable) form = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GBytes) reply = NULL;

  g_hash_table_insert (form, (char *) "fault", (char *) fault);
  g_hash_table_insert (form, (char *) "action", (char *) action);
  reply = cli_sim_http (fx.sim, "POST", "/sim/control", form);
}

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
}

/* Exit 3 for every "no usable answer" (a 502 page, an HTML page with 200, a
 * timeout), from both commands that ask a provider for something; the
 * panel's own {"error": …} stays 1. */
static void
test_unusable_answer (void)
{
  const char *actions[][3] = {
    { "balance", "provider", "balance" },
    { "services", "services", "sync" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      g_auto(CliRun) run = { 0 };

      inject_fault (actions[i][0], "html_before");   /* 502 Bad Gateway page */
      run_cli (&run, NULL, actions[i][1], actions[i][2], PROVIDER);
      g_assert_cmpint (run.status, ==, 3);
      g_assert_nonnull (strstr (run.err, "HTML page (HTTP 502)"));
      cli_run_clear (&run);

      inject_reply (actions[i][0], "<html><body>503 Service Unavailable</body></html>");
      run_cli (&run, NULL, actions[i][1], actions[i][2], PROVIDER);
      g_assert_cmpint (run.status, ==, 3);
      cli_run_clear (&run);

      inject_fault (actions[i][0], "timeout");
      cli_runner_setenv (fx.book->cli, "SMM_RELAY_TIMEOUT_MS", "400");
      run_cli (&run, NULL, actions[i][1], actions[i][2], PROVIDER);
      cli_runner_setenv (fx.book->cli, "SMM_RELAY_TIMEOUT_MS", NULL);
      g_assert_cmpint (run.status, ==, 3);
      g_assert_nonnull (strstr (run.err, "did not answer within"));
      cli_run_clear (&run);

      inject_fault (actions[i][0], "rate_limit");     /* 429: as before */
      run_cli (&run, NULL, actions[i][1], actions[i][2], PROVIDER);
      g_assert_cmpint (run.status, ==, 3);
      cli_run_clear (&run);

      inject_fault (actions[i][0], "error_json");     /* the panel said no */
      run_cli (&run, NULL, actions[i][1], actions[i][2], PROVIDER);
      g_assert_cmpint (run.status, ==, 1);
      g_assert_nonnull (strstr (run.err, "Incorrect request"));
      cli_run_clear (&run);

      /* And it answers again. */
      run_cli (&run, NULL, actions[i][1], actions[i][2], PROVIDER);
      g_assert_cmpint (run.status, ==, 0);
    }
}

int
main (int argc, char **argv)
{
  int status;

  fx.book = cli_test_init (&argc, &argv, "test-cli-hostile-XXXXXX");
  if (fx.book == NULL)
    return g_test_run ();
  fx.sim = cli_sim_start ("--seed", "7", NULL);

  g_test_add_func ("/cli-hostile/setup", test_setup);
  g_test_add_func ("/cli-hostile/unusable-answer", test_unusable_answer);
  status = g_test_run ();

  g_clear_pointer (&fx.sim, cli_sim_free);
  g_clear_pointer (&fx.book, cli_book_free);
  return status;
}
