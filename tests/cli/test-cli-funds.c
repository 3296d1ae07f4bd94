/* SPDX-License-Identifier: GPL-3.0-or-later */
/* smm-relay-cli and funds: `provider set --low-balance`, `provider list`
 * (and --json) with the threshold and the wait for funds, `orders` saying
 * why a queued order waits, `provider balance` and `demo top-up` sending the
 * orders that waited, against a simulator on 127.0.0.1. */
#include "../engine/engine-test-fixture.h"

#include <json-glib/json-glib.h>
#include <stdio.h>
#include <unistd.h>

typedef EtFixture Fixture;

/* Runs smm-relay-cli on the fixture's book (the simulator answers from this
 * thread's main context, which the run iterates). */
#define run_cli(f, run, ...) cli_run ((f)->cli, (run), NULL, __VA_ARGS__)

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_auto(CliRun) sync = { 0 };
  g_auto(CliRun) map = { 0 };

  et_fixture_set_up (f, data);
  /* The runs name the book with --db (demo-env-db names it in $SMM_RELAY_DB). */
  cli_runner_set_db (f->cli, f->book->db_path);
  cli_runner_setenv (f->cli, "SMM_RELAY_DB", NULL);
  et_fixture_add_provider_cli (f);
  run_cli (f, &sync, "services", "sync", "Sim");
  g_assert_cmpint (sync.status, ==, 0);
  run_cli (f, &map, "service", "map", "1", "Sim", "103", "--price", "5.00");
  g_assert_cmpint (map.status, ==, 0);
}

static JsonObject *
first_provider (const char *text, JsonNode **out_root)
{
  *out_root = cli_parse_json (text);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (*out_root));
  return json_array_get_object_element (json_node_get_array (*out_root), 0);
}

static void
test_low_balance (Fixture *f, gconstpointer data)
{
  g_auto(CliRun) set = { 0 };
  g_auto(CliRun) bad = { 0 };
  g_auto(CliRun) usage = { 0 };
  g_auto(CliRun) balance = { 0 };
  g_auto(CliRun) list = { 0 };
  g_auto(CliRun) json = { 0 };
  g_auto(CliRun) none = { 0 };
  g_auto(CliRun) json_none = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) root_none = NULL;
  JsonObject *p;

  run_cli (f, &set, "provider", "set", "Sim", "--low-balance", "10");
  g_assert_cmpint (set.status, ==, 0);
  g_assert_nonnull (strstr (set.out, "below 10.00 USD"));

  /* Typed money: never silently rounded. */
  run_cli (f, &bad, "provider", "set", "Sim", "--low-balance", "10.005");
  g_assert_cmpint (bad.status, ==, 1);
  g_assert_nonnull (strstr (bad.err, "--low-balance"));
  run_cli (f, &usage, "provider", "set", "Sim");
  g_assert_cmpint (usage.status, ==, 2);

  relay_sim_set_balance (f->sim, 3200000);
  run_cli (f, &balance, "provider", "balance", "Sim");
  g_assert_cmpint (balance.status, ==, 0);
  g_assert_nonnull (strstr (balance.out, "3.20 USD"));
  g_assert_nonnull (strstr (balance.out,
                            "warning: Balance at Sim is low: 3.20 USD (warning below 10.00 USD)"));

  run_cli (f, &list, "provider", "list");
  g_assert_cmpint (list.status, ==, 0);
  g_assert_nonnull (strstr (list.out, "WARN BELOW"));
  g_assert_nonnull (strstr (list.out, "10.00"));
  g_assert_nonnull (strstr (list.out, "Balance at Sim is low"));

  run_cli (f, &json, "provider", "list", "--json");
  g_assert_cmpint (json.status, ==, 0);
  p = first_provider (json.out, &root);
  g_assert_cmpstr (json_object_get_string_member (p, "low_balance"), ==, "10.00");
  g_assert_true (json_object_get_boolean_member (p, "balance_low"));
  g_assert_false (json_object_get_boolean_member (p, "waiting_for_funds"));
  g_assert_true (json_object_get_null_member (p, "funds_needed"));

  run_cli (f, &none, "provider", "set", "Sim", "--low-balance", "none");
  g_assert_cmpint (none.status, ==, 0);
  run_cli (f, &json_none, "provider", "list", "--json");
  p = first_provider (json_none.out, &root_none);
  g_assert_true (json_object_get_null_member (p, "low_balance"));
  g_assert_false (json_object_get_boolean_member (p, "balance_low"));
}

static void
test_wait_and_top_up (Fixture *f, gconstpointer data)
{
  g_auto(CliRun) zero = { 0 };
  g_auto(CliRun) order = { 0 };
  g_auto(CliRun) orders = { 0 };
  g_auto(CliRun) list = { 0 };
  g_auto(CliRun) json = { 0 };
  g_auto(CliRun) odd = { 0 };
  g_auto(CliRun) top_up = { 0 };
  g_auto(CliRun) after = { 0 };
  g_auto(CliRun) no_demo = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *p;

  relay_sim_set_balance (f->sim, 0);
  run_cli (f, &zero, "provider", "balance", "Sim");
  g_assert_cmpint (zero.status, ==, 0);

  run_cli (f, &order, "order", "add", "1", "https://www.instagram.com/p/CliFunds/", "200");
  g_assert_nonnull (strstr (order.out, "Waiting for funds at Sim (needs"));
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, "add"), ==, 0);

  run_cli (f, &orders, "orders");
  g_assert_cmpint (orders.status, ==, 0);
  g_assert_nonnull (strstr (orders.out, "Waiting for funds at Sim (needs"));
  g_assert_nonnull (strstr (orders.out, "has 0.00 USD)"));

  run_cli (f, &list, "provider", "list");
  g_assert_nonnull (strstr (list.out, "1 order waits for funds at Sim (needs"));
  run_cli (f, &json, "provider", "list", "--json");
  p = first_provider (json.out, &root);
  g_assert_true (json_object_get_boolean_member (p, "waiting_for_funds"));
  g_assert_nonnull (json_object_get_string_member (p, "funds_needed"));
  g_assert_nonnull (json_object_get_string_member (p, "funds_wait_since"));

  /* More decimals than the currency has: refused, never rounded. */
  run_cli (f, &odd, "demo", "top-up", "1.234", "--provider", "Sim");
  g_assert_cmpint (odd.status, ==, 2);
  g_assert_cmpint (relay_sim_get_balance (f->sim), ==, 0);

  run_cli (f, &top_up, "demo", "top-up", "5", "--provider", "Sim");
  g_assert_cmpint (top_up.status, ==, 0);
  g_assert_nonnull (strstr (top_up.out, "balance of Sim: 5.00 USD"));
  g_assert_nonnull (strstr (top_up.out, "the orders that waited for funds at Sim were sent"));
  g_assert_cmpuint (relay_sim_get_n_orders (f->sim), ==, 1);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, "add"), ==, 1);

  run_cli (f, &after, "orders");
  g_assert_null (strstr (after.out, "Waiting for funds"));

  /* This book has no demo provider. */
  run_cli (f, &no_demo, "demo", "top-up", "5");
  g_assert_cmpint (no_demo.status, ==, 1);
  g_assert_nonnull (strstr (no_demo.err, "no demo provider"));
}

/* The window's demo keeps its key in “demo-keys” beside its book, not in
 * the key store: `demo top-up` finds it there (else the balance check after
 * the top-up had no key). */
static void
test_demo_keys (Fixture *f, gconstpointer data)
{
  g_auto(CliRun) top_up = { 0 };
  g_autofree char *key_text = NULL;
  g_autofree char *demo_keys = g_build_filename (f->book->dir, "demo-keys", NULL);
  g_autofree char *elsewhere = g_build_filename (f->book->dir, "no-keys-here", NULL);
  g_autoptr(GError) error = NULL;

  g_file_get_contents (f->book->keys_path, &key_text, NULL, &error);
  g_assert_no_error (error);
  g_file_set_contents_full (demo_keys, key_text, -1, G_FILE_SET_CONTENTS_NONE, 0600, &error);
  g_assert_no_error (error);
  cli_runner_setenv (f->cli, "SMM_RELAY_KEYS", elsewhere);
  relay_sim_set_balance (f->sim, 0);
  run_cli (f, &top_up, "demo", "top-up", "7", "--provider", "Sim");
  g_assert_cmpint (top_up.status, ==, 0);
  g_assert_nonnull (strstr (top_up.out, "balance of Sim: 7.00 USD"));
  g_assert_cmpint (relay_sim_get_balance (f->sim), ==, 7 * RELAY_MICRO);
}

/* Any command on the window's demo book ("demo.db" with "demo-keys" beside
 * it) finds the demo's key there, as the window does (a newcomer's
 * `order add --db …/demo.db` said "No API key … set it again"). */
static void
test_demo_book_keys (Fixture *f, gconstpointer data)
{
  g_auto(CliRun) copy = { 0 };
  g_auto(CliRun) balance = { 0 };
  g_autofree char *key_text = NULL;
  g_autofree char *demo_dir = g_build_filename (f->book->dir, "demo-book", NULL);
  g_autofree char *demo_db = g_build_filename (demo_dir, "demo.db", NULL);
  g_autofree char *demo_keys = g_build_filename (demo_dir, "demo-keys", NULL);
  g_autofree char *elsewhere = g_build_filename (f->book->dir, "no-keys-here", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (demo_dir, 0700), ==, 0);
  run_cli (f, &copy, "backup", demo_db);
  g_assert_cmpint (copy.status, ==, 0);
  g_file_get_contents (f->book->keys_path, &key_text, NULL, &error);
  g_assert_no_error (error);
  g_file_set_contents_full (demo_keys, key_text, -1, G_FILE_SET_CONTENTS_NONE, 0600, &error);
  g_assert_no_error (error);
  cli_runner_setenv (f->cli, "SMM_RELAY_KEYS", elsewhere);
  cli_runner_set_db (f->cli, demo_db);
  relay_sim_set_balance (f->sim, 4 * RELAY_MICRO);
  run_cli (f, &balance, "provider", "balance", "Sim");
  g_assert_cmpint (balance.status, ==, 0);
  g_assert_nonnull (strstr (balance.out, "4.00 USD"));
}

/* `demo set-balance --provider NAME` uses the book every other command
 * uses ($SMM_RELAY_DB), not the window demo's own book (T9 17:55). */
static void
test_demo_env_db (Fixture *f, gconstpointer data)
{
  g_auto(CliRun) set = { 0 };
  g_autofree char *demo_book = g_build_filename (f->book->dir, "smm-relay", "demo.db", NULL);

  relay_sim_set_balance (f->sim, 0);
  cli_runner_set_db (f->cli, NULL);
  cli_runner_setenv (f->cli, "SMM_RELAY_DB", f->book->db_path);
  /* A demo book opened by mistake lands beside the test's book. */
  cli_runner_setenv (f->cli, "XDG_DATA_HOME", f->book->dir);
  run_cli (f, &set, "demo", "set-balance", "3", "--provider", "Sim");
  g_assert_cmpint (set.status, ==, 0);
  g_assert_nonnull (strstr (set.out, "balance of Sim: 3.00 USD"));
  g_assert_cmpint (relay_sim_get_balance (f->sim), ==, 3 * RELAY_MICRO);
  g_assert_false (g_file_test (demo_book, G_FILE_TEST_EXISTS));
}

/* A top-up whose waiting order goes but its reply is lost: the outcome says
 * it needs review, never "were sent" (T9 18:09). */
static void
test_top_up_review (Fixture *f, gconstpointer data)
{
  g_auto(CliRun) zero = { 0 };
  g_auto(CliRun) order = { 0 };
  g_auto(CliRun) top_up = { 0 };

  relay_sim_set_balance (f->sim, 0);
  run_cli (f, &zero, "provider", "balance", "Sim");
  g_assert_cmpint (zero.status, ==, 0);
  run_cli (f, &order, "order", "add", "1", "https://www.instagram.com/p/CliReview/", "200");
  g_assert_nonnull (strstr (order.out, "Waiting for funds at Sim (needs"));

  relay_sim_inject_fault (f->sim, "add", RELAY_SIM_FAULT_DROP_AFTER, 1);
  run_cli (f, &top_up, "demo", "top-up", "5", "--provider", "Sim");
  g_assert_cmpint (top_up.status, ==, 0);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, "add"), ==, 1);
  g_assert_null (strstr (top_up.out, "were sent"));
  g_assert_nonnull (strstr (top_up.out, "waited for funds at Sim went: 0 sent, 1 need review, 0 failed"));
}

/* `mass-order --csv` takes what the window's Import CSV… takes, and refuses
 * a bigger file with the window's message, before reading it (T9 18:08). */
static void
test_mass_file_limit (Fixture *f, gconstpointer data)
{
  g_auto(CliRun) big = { 0 };
  g_autofree char *path = g_build_filename (f->book->dir, "huge.csv", NULL);
  FILE *file = fopen (path, "w");

  g_assert_nonnull (file);
  /* A sparse file just over the limit. */
  g_assert_cmpint (ftruncate (fileno (file), RELAY_MASS_ORDER_MAX_BYTES + 1), ==, 0);
  fclose (file);
  run_cli (f, &big, "mass-order", "--csv", path, "--dry-run");
  g_assert_cmpint (big.status, ==, 1);
  g_assert_nonnull (strstr (big.err, "huge.csv is 16.0\u00a0MB; a file of orders can be at most 16.0\u00a0MB"));
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, "add"), ==, 0);
}

int
main (int argc, char **argv)
{
  et_init (&argc, &argv);
#define ADD(path, func) \
  g_test_add ("/cli-funds/" path, Fixture, NULL, fixture_setup, func, et_fixture_tear_down)
  ADD ("low-balance", test_low_balance);
  ADD ("wait-and-top-up", test_wait_and_top_up);
  ADD ("demo-keys", test_demo_keys);
  ADD ("demo-book-keys", test_demo_book_keys);
  ADD ("demo-env-db", test_demo_env_db);
  ADD ("top-up-review", test_top_up_review);
  ADD ("mass-file-limit", test_mass_file_limit);
#undef ADD
  return g_test_run ();
}
