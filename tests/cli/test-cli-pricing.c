/* SPDX-License-Identifier: GPL-3.0-or-later */
/* smm-relay-cli and price rules: `service map --markup/--round`, `service
 * price`, `service list` (and --json) showing the rule, `services sync`
 * printing the rate changes it brought, and `price-changes` (and --json),
 * against a simulator on 127.0.0.1 whose catalog the test sets. */
#include "../engine/engine-test-fixture.h"

#include <json-glib/json-glib.h>

typedef EtFixture Fixture;

/* Runs smm-relay-cli on the fixture's book (the simulator answers from this
 * thread's main context, which the run iterates). */
#define run_cli(f, run, ...) cli_run ((f)->cli, (run), NULL, __VA_ARGS__)

static void
set_catalog (Fixture *f, const char *followers_rate, const char *likes_rate)
{
  g_autofree char *body = g_strdup_printf (
    "[{\"service\": 101, \"name\": \"Instagram Followers\", \"type\": \"Default\", "
    "\"category\": \"Instagram\", \"rate\": \"%s\", \"min\": 50, \"max\": 10000},"
    " {\"service\": 102, \"name\": \"Instagram Likes\", \"type\": \"Default\", "
    "\"category\": \"Instagram\", \"rate\": \"%s\", \"min\": 10, \"max\": 5000}]",
    followers_rate, likes_rate);

  relay_sim_inject_reply (f->sim, "services", body, 1);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_auto(CliRun) sync = { 0 };

  et_fixture_set_up (f, data);
  et_fixture_add_provider_cli (f);
  set_catalog (f, "0.90", "2.00");
  run_cli (f, &sync, "services", "sync", "Sim");
  g_assert_cmpint (sync.status, ==, 0);
}

static JsonArray *
json_array_of (const char *text, JsonNode **out_root)
{
  *out_root = cli_parse_json (text);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (*out_root));
  return json_node_get_array (*out_root);
}

static void
test_map_markup_and_list (Fixture *f, gconstpointer data)
{
  g_auto(CliRun) map = { 0 };
  g_auto(CliRun) fixed = { 0 };
  g_auto(CliRun) list = { 0 };
  g_auto(CliRun) json = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonArray *array;
  JsonObject *rule, *plain;

  run_cli (f, &map, "service", "map", "1", "Sim", "101", "--markup", "35", "--round", "0.05");
  g_assert_cmpint (map.status, ==, 0);
  /* 0.90 + 35 % = 1.215, up to 0.05: 1.25. */
  g_assert_nonnull (strstr (map.out, "1.25"));
  g_assert_nonnull (strstr (map.out, "rule: +35 %, step 0.05"));
  run_cli (f, &fixed, "service", "map", "2", "Sim", "102", "--price", "3");
  g_assert_cmpint (fixed.status, ==, 0);
  g_assert_nonnull (strstr (fixed.out, "(fixed)"));

  run_cli (f, &list, "service", "list");
  g_assert_cmpint (list.status, ==, 0);
  g_assert_nonnull (strstr (list.out, "PRICING"));
  g_assert_nonnull (strstr (list.out, "rule: +35 %, step 0.05"));
  g_assert_nonnull (strstr (list.out, "fixed"));

  run_cli (f, &json, "service", "list", "--json");
  g_assert_cmpint (json.status, ==, 0);
  array = json_array_of (json.out, &root);
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  rule = json_array_get_object_element (array, 0);
  plain = json_array_get_object_element (array, 1);
  g_assert_cmpstr (json_object_get_string_member (rule, "pricing"), ==, "rule");
  g_assert_cmpstr (json_object_get_string_member (rule, "markup_percent"), ==, "35");
  g_assert_cmpstr (json_object_get_string_member (rule, "price_step"), ==, "0.05");
  g_assert_cmpstr (json_object_get_string_member (rule, "price"), ==, "1.25");
  g_assert_cmpstr (json_object_get_string_member (plain, "pricing"), ==, "fixed");
  g_assert_true (json_object_get_null_member (plain, "markup_percent"));
  g_assert_true (json_object_get_null_member (plain, "price_step"));
}

static void
test_map_errors (Fixture *f, gconstpointer data)
{
  static const struct { const char *option; const char *value; const char *says; } bad[] = {
    { "--markup", "-5", "negative" },
    { "--markup", "1001", "1,000" },
    { "--markup", "35.12345", "decimals" },
    { "--markup", "lots", "not a markup" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_auto(CliRun) run = { 0 };

      run_cli (f, &run, "service", "map", "1", "Sim", "101", bad[i].option, bad[i].value);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_nonnull (strstr (run.err, bad[i].says));
    }
  {
    g_auto(CliRun) both = { 0 };
    g_auto(CliRun) neither = { 0 };
    g_auto(CliRun) round_only = { 0 };
    g_auto(CliRun) bad_round = { 0 };
    g_auto(CliRun) list = { 0 };

    run_cli (f, &both, "service", "map", "1", "Sim", "101", "--markup", "35", "--price", "2");
    g_assert_cmpint (both.status, ==, 2);
    run_cli (f, &neither, "service", "map", "1", "Sim", "101");
    g_assert_cmpint (neither.status, ==, 2);
    run_cli (f, &round_only, "service", "map", "1", "Sim", "101", "--price", "2", "--round", "0.05");
    g_assert_cmpint (round_only.status, ==, 2);
    /* The step is money in the provider's currency (USD: 2 decimals). */
    run_cli (f, &bad_round, "service", "map", "1", "Sim", "101", "--markup", "35", "--round", "0.005");
    g_assert_cmpint (bad_round.status, ==, 2);
    g_assert_nonnull (strstr (bad_round.err, "--round"));
    /* Nothing was mapped by any of them. */
    run_cli (f, &list, "service", "list", "--json");
    g_assert_cmpstr (g_strstrip (list.out), ==, "[]");
  }
}

static void
test_sync_prints_changes (Fixture *f, gconstpointer data)
{
  g_auto(CliRun) rule = { 0 };
  g_auto(CliRun) fixed = { 0 };
  g_auto(CliRun) sync = { 0 };
  g_auto(CliRun) again = { 0 };
  g_auto(CliRun) history = { 0 };
  g_auto(CliRun) json = { 0 };
  g_auto(CliRun) since = { 0 };
  g_auto(CliRun) order = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) since_root = NULL;
  g_autoptr(GDateTime) tomorrow_dt = NULL;
  g_autofree char *tomorrow = NULL;
  JsonArray *array;
  JsonObject *below = NULL, *repriced = NULL;

  run_cli (f, &rule, "service", "map", "1", "Sim", "101", "--markup", "50", "--round", "0.05");
  g_assert_cmpint (rule.status, ==, 0);
  run_cli (f, &fixed, "service", "map", "2", "Sim", "102", "--price", "2.10");
  g_assert_cmpint (fixed.status, ==, 0);

  set_catalog (f, "1.20", "2.50");
  run_cli (f, &sync, "services", "sync", "Sim");
  g_assert_cmpint (sync.status, ==, 0);
  g_assert_nonnull (strstr (sync.out, "2 price changes:"));
  g_assert_nonnull (strstr (sync.out, "Instagram Followers: cost 0.90 → 1.20 USD, your price 1.35 → 1.80 USD"));
  g_assert_nonnull (strstr (sync.out, "Instagram Likes: cost 2.00 → 2.50 USD, above your price 2.10 USD; orders stopped"));
  g_assert_nonnull (strstr (sync.out, "1 service stopped taking orders, its fixed price now below cost: Instagram Likes (2)"));

  /* The same catalog again: nothing to say about prices. */
  set_catalog (f, "1.20", "2.50");
  run_cli (f, &again, "services", "sync", "Sim");
  g_assert_cmpint (again.status, ==, 0);
  g_assert_null (strstr (again.out, "price change"));

  run_cli (f, &history, "price-changes");
  g_assert_cmpint (history.status, ==, 0);
  g_assert_nonnull (strstr (history.out, "0.90 → 1.20 USD"));
  g_assert_nonnull (strstr (history.out, "1.35 → 1.80 USD"));
  g_assert_nonnull (strstr (history.out, "BELOW COST"));

  run_cli (f, &json, "price-changes", "--json");
  g_assert_cmpint (json.status, ==, 0);
  array = json_array_of (json.out, &root);
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *o = json_array_get_object_element (array, i);

      if (json_object_get_int_member (o, "service_id") == 2)
        below = o;
      else
        repriced = o;
    }
  g_assert_nonnull (below);
  g_assert_nonnull (repriced);
  g_assert_cmpstr (json_object_get_string_member (repriced, "old_cost"), ==, "0.90");
  g_assert_cmpstr (json_object_get_string_member (repriced, "new_cost"), ==, "1.20");
  g_assert_cmpstr (json_object_get_string_member (repriced, "old_price"), ==, "1.35");
  g_assert_cmpstr (json_object_get_string_member (repriced, "new_price"), ==, "1.80");
  g_assert_false (json_object_get_boolean_member (repriced, "below_cost"));
  g_assert_cmpstr (json_object_get_string_member (repriced, "service"), ==, "Instagram Followers");
  g_assert_cmpstr (json_object_get_string_member (repriced, "provider"), ==, "Sim");
  g_assert_cmpstr (json_object_get_string_member (repriced, "currency"), ==, "USD");
  g_assert_nonnull (json_object_get_string_member (repriced, "at"));
  g_assert_true (json_object_get_boolean_member (below, "below_cost"));
  g_assert_cmpstr (json_object_get_string_member (below, "new_price"), ==, "2.10");

  {
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();

    tomorrow_dt = g_date_time_add_days (now, 1);
  }
  tomorrow = g_date_time_format (tomorrow_dt, "%Y-%m-%d");
  run_cli (f, &since, "price-changes", "--since", tomorrow, "--json");
  g_assert_cmpint (since.status, ==, 0);
  g_assert_cmpuint (json_array_get_length (json_array_of (since.out, &since_root)), ==, 0);

  /* The fixed-price service below cost takes no order. */
  run_cli (f, &order, "order", "add", "2", "https://instagram.com/p/abc", "100", "--no-send");
  g_assert_cmpint (order.status, !=, 0);
  g_assert_nonnull (strstr (order.err, "below cost"));
}

static void
test_price_command (Fixture *f, gconstpointer data)
{
  g_auto(CliRun) map = { 0 };
  g_auto(CliRun) rule = { 0 };
  g_auto(CliRun) fixed = { 0 };
  g_auto(CliRun) bad = { 0 };

  run_cli (f, &map, "service", "map", "1", "Sim", "101", "--price", "2");
  g_assert_cmpint (map.status, ==, 0);
  run_cli (f, &rule, "service", "price", "1", "--markup", "10");
  g_assert_cmpint (rule.status, ==, 0);
  /* 0.90 + 10 % = 0.99 */
  g_assert_nonnull (strstr (rule.out, "0.99"));
  g_assert_nonnull (strstr (rule.out, "rule: +10 %"));
  run_cli (f, &fixed, "service", "price", "1", "--fixed");
  g_assert_cmpint (fixed.status, ==, 0);
  g_assert_nonnull (strstr (fixed.out, "0.99"));
  g_assert_nonnull (strstr (fixed.out, "(fixed)"));
  run_cli (f, &bad, "service", "price", "1", "--fixed", "--markup", "5");
  g_assert_cmpint (bad.status, ==, 2);
}

int
main (int argc, char **argv)
{
  et_init (&argc, &argv);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, et_fixture_tear_down)
  ADD ("/cli/pricing/map-markup-and-list", test_map_markup_and_list);
  ADD ("/cli/pricing/map-errors", test_map_errors);
  ADD ("/cli/pricing/sync-prints-changes", test_sync_prints_changes);
  ADD ("/cli/pricing/price-command", test_price_command);
#undef ADD
  return g_test_run ();
}
