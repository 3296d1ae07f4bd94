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

static char *
write_file (const char *name, const char *contents)
{
  char *path = g_build_filename (fx.book->dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  return path;
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

static guint
n_orders (void)
{
  g_autoptr(JsonNode) orders = cli_run_json (fx.book->cli, "orders", "--json");

  return json_array_get_length (json_node_get_array (orders));
}

/* One line that is not UTF-8 is refused by its number, the first bad byte
 * and its column, the others go (the whole file was refused: "not UTF-8
 * text", exit 1, nothing recorded); a bad byte in a link that would pass as
 * U+FFFD is refused too.  The parsers tell it, for the CLI and the window
 * alike.  A NUL byte and the other files the CLI reads keep a clear error. */
static void
test_not_utf8 (void)
{
  g_auto(CliRun) run = { 0 };
  g_autofree char *lines = write_file ("not-utf8.txt",
                                       "1 | https://instagram.com/utf8_a | 100\r\n"
                                       "1 | https://instagram.com/utf8_b\xff | 100\r\n"
                                       "1 | https://instagram.com/utf8_c | 100\n");
  g_autofree char *csv = write_file ("not-utf8.csv",
                                     "service,link,quantity\n"
                                     "1,https://instagram.com/utf8_d,100\n"
                                     "1,https://instagram.com/utf8_\xc3,100\n");
  g_autofree char *nul = write_file ("nul.txt", "1 | https://instagram.com/nul | 100\nx");
  g_autofree char *key = write_file ("key.txt", "demo-\xffkey\n");
  guint before = n_orders ();

  /* write_file() stops at the NUL: put it in by hand. */
  g_assert_true (g_file_set_contents (nul, "1 | https://instagram.com/nul | 100\n\0\n", 38,
                                      NULL));

  run_cli (&run, NULL, "mass-order", lines, "--no-send");
  g_assert_cmpint (run.status, ==, 1);   /* a line was refused */
  g_assert_nonnull (strstr (run.out, "line 2: the line is not valid UTF-8 text "
                                     "(byte 0xFF at column 33)\n"));
  g_assert_nonnull (strstr (run.out, "line 1: order "));
  g_assert_nonnull (strstr (run.out, "line 3: order "));
  g_assert_nonnull (strstr (run.out, "2 of 3 lines recorded, 1 refused"));
  g_assert_cmpint (n_orders (), ==, before + 2);
  cli_run_clear (&run);

  run_cli (&run, NULL, "mass-order", "--csv", csv, "--dry-run");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.out, "line 3: the line is not valid UTF-8 text "
                                     "(byte 0xC3 at column 30)\n"));
  g_assert_nonnull (strstr (run.out, "line 2: ok: "));
  cli_run_clear (&run);

  run_cli (&run, NULL, "mass-order", nul, "--dry-run");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "line 2: the file has a NUL byte"));
  g_assert_cmpstr (run.out, ==, "");
  cli_run_clear (&run);

  run_cli (&run, NULL, "provider", "add", "Other panel", fx.sim->url, "--key-file", key);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "the key file is not UTF-8 text"));
  g_assert_cmpint (n_orders (), ==, before + 2);
}

/* Control characters from a user's file or argument are shown escaped, never
 * written to the terminal as they are, and an ESC or a vertical tab in a
 * link is called what it is, by its code point (both were "a space", the ESC
 * written raw); the parsers name it, the CLI only escapes what it prints. */
static void
test_control_chars (void)
{
  g_auto(CliRun) run = { 0 };
  g_autofree char *esc = write_file ("esc.txt", "1 | https://instagram.com/\x1b[31mred | 100\n");
  g_autofree char *vt = write_file ("vt.txt", "1 | https://instagram.com/a\vb | 100\n");
  g_autofree char *field = write_file ("field.txt",
                                       "1\x1b]0;title\x07 | https://instagram.com/x | 100\n"
                                       "1 | https://instagram.com/c1\xc2\x9b" "31m | 100\n");
  guint before = n_orders ();

  run_cli (&run, NULL, "mass-order", esc, "--no-send");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_null (strchr (run.out, '\x1b'));
  g_assert_nonnull (strstr (run.out, "line 1: the link “https://instagram.com/\\x1b[31mred” "
                                     "has a control character (U+001B) in it"));
  g_assert_null (strstr (run.out, "space"));
  cli_run_clear (&run);

  run_cli (&run, NULL, "mass-order", vt, "--dry-run", "--json");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.out, "has a control character (U+000B) in it"));
  cli_run_clear (&run);

  /* A control character in any other field, and a C1 CSI (U+009B). */
  run_cli (&run, NULL, "mass-order", field, "--dry-run");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_null (strchr (run.out, '\x1b'));
  g_assert_null (strchr (run.out, '\x07'));
  g_assert_null (strstr (run.out, "\xc2\x9b"));
  g_assert_nonnull (strstr (run.out, "1\\x1b]0;title\\x07"));
  g_assert_nonnull (strstr (run.out, "line 2: the link “https://instagram.com/c1\\u009b31m” "
                                     "has a control character (U+009B) in it"));
  cli_run_clear (&run);

  /* From the command line, on stderr. */
  run_cli (&run, NULL, "order", "add", "1", "https://instagram.com/\x1b[2Jwipe", "100");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_null (strchr (run.err, '\x1b'));
  g_assert_nonnull (strstr (run.err, "the link “https://instagram.com/\\x1b[2Jwipe” "
                                     "has a control character (U+001B) in it"));
  cli_run_clear (&run);
  run_cli (&run, NULL, "client", "show", "\x1b[2J\x1b[Hnobody");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_null (strchr (run.err, '\x1b'));
  g_assert_nonnull (strstr (run.err, "\\x1b[2J\\x1b[Hnobody"));
  g_assert_cmpint (n_orders (), ==, before);
}

/* A catalog with nothing usable in it (its only service has the rate "abc")
 * said "0 services" with exit 0 and no word: now a warning and exit 1; one
 * usable service is enough for 0. */
static void
test_nothing_usable (void)
{
  g_auto(CliRun) run = { 0 };

  run_cli (&run, SIM_KEY "\n", "provider", "add", "Garbage panel", fx.sim->url,
           "--key-file", "-");
  g_assert_cmpint (run.status, ==, 0);
  cli_run_clear (&run);

  inject_reply ("services", "[{\"service\": 7, \"name\": \"X\", \"type\": \"Default\", "
                "\"category\": \"C\", \"rate\": \"abc\", \"min\": \"10\", \"max\": \"100\"}]");
  run_cli (&run, NULL, "services", "sync", "Garbage panel");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.out, "0 services: 0 new"));
  g_assert_nonnull (strstr (run.err, "warning: no usable service came from “Garbage panel”"));
  cli_run_clear (&run);

  inject_reply ("services", "[]");
  run_cli (&run, NULL, "services", "sync", "Garbage panel");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "no usable service"));
  cli_run_clear (&run);

  inject_reply ("services", "[{\"service\": 7, \"name\": \"X\", \"type\": \"Default\", "
                "\"category\": \"C\", \"rate\": \"abc\", \"min\": \"10\", \"max\": \"100\"}, "
                "{\"service\": 8, \"name\": \"Y\", \"type\": \"Default\", "
                "\"category\": \"C\", \"rate\": \"1.5\", \"min\": \"10\", \"max\": \"100\"}]");
  run_cli (&run, NULL, "services", "sync", "Garbage panel");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "1 service: 1 new"));
  g_assert_null (strstr (run.err, "warning"));
  cli_run_clear (&run);

  run_cli (&run, NULL, "services", "sync", "--help");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "(exit 1 when no usable service came)"));
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
  g_test_add_func ("/cli-hostile/not-utf8", test_not_utf8);
  g_test_add_func ("/cli-hostile/control-chars", test_control_chars);
  g_test_add_func ("/cli-hostile/nothing-usable", test_nothing_usable);
  status = g_test_run ();

  g_clear_pointer (&fx.sim, cli_sim_free);
  g_clear_pointer (&fx.book, cli_book_free);
  return status;
}
