/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Hostile panels end to end (issue 7): an `add` reply whose order id is not
 * one, or is another order's; an order in the book with such an id never
 * stops the status sync of the others; a panel's invalid UTF-8 never reaches
 * the book; a status reply cannot change an order's currency. */
#include "engine-test-fixture.h"

#include <inttypes.h>

#define PROFILE "https://instagram.com/someone"
#define SEED GUINT_TO_POINTER (4243)  /* the simulator's */

typedef EtFixture Fixture;

/* Places one order, answers its `add` with @body, sends it; returns its id. */
static gint64
place_with_add_reply (Fixture *f, const char *link, const char *body)
{
  gint64 id = et_place (f->core, ET_FOLLOWERS, f->client_id, link, 1000);
  RelayDispatchReport report;

  relay_sim_inject_reply (f->sim, "add", body, 1);
  report = et_dispatch (f->core);
  g_assert_cmpuint (report.n_sent, ==, 0);
  g_assert_cmpuint (report.n_review, ==, 1);
  return id;
}

/* "12 34", -1, 0, 20 digits and the redacted key were taken as order ids;
 * "12 34" then failed every later sync of that provider. */
static void
test_add_bad_id (Fixture *f, gconstpointer data)
{
  static const struct { const char *json; const char *shown; } ids[] = {
    { "\"12 34\"", "12 34" },
    { "-1", "-1" },
    { "0", "0" },
    { "\"0\"", "0" },
    { "99999999999999999999", "99999999999999999999" },
    { "\"demo-key\"", "***" },
    { "\"a,b\"", "a,b" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *link = g_strdup_printf (PROFILE "%u", i);
      g_autofree char *body = g_strdup_printf ("{\"order\": %s}", ids[i].json);
      g_autofree char *quoted = g_strdup_printf ("“%s”", ids[i].shown);
      gint64 id = place_with_add_reply (f, link, body);
      g_autoptr(RelayOrderRow) order = et_order (f->core, id);

      g_test_message ("%s: %s", body, order->review_reason);
      g_assert_cmpint (order->status, ==, RELAY_ORDER_NEEDS_REVIEW);
      g_assert_null (order->provider_order_id);
      g_assert_nonnull (order->review_reason);
      g_assert_nonnull (strstr (order->review_reason, quoted));
      g_assert_null (strstr (order->review_reason, "demo-key"));
    }

  /* Ids panels really send still work: a number, a numeric string, a token. */
  {
    static const char * const good[] = { "23958", "\"23959\"", "\"ab-12_x\"" };

    for (guint i = 0; i < G_N_ELEMENTS (good); i++)
      {
        g_autofree char *link = g_strdup_printf (PROFILE "good%u", i);
        g_autofree char *body = g_strdup_printf ("{\"order\": %s}", good[i]);
        gint64 id = et_place (f->core, ET_FOLLOWERS, f->client_id, link, 1000);
        RelayDispatchReport report;
        g_autoptr(RelayOrderRow) order = NULL;

        relay_sim_inject_reply (f->sim, "add", body, 1);
        report = et_dispatch (f->core);
        g_assert_cmpuint (report.n_sent, ==, 1);
        order = et_order (f->core, id);
        g_assert_cmpint (order->status, ==, RELAY_ORDER_PENDING);
        g_assert_nonnull (strstr (body, order->provider_order_id));
      }
  }
}

/* 23958, which order 13 already had, was taken for order 22: order 22 then
 * received order 13's statuses. */
static void
test_add_duplicate_id (Fixture *f, gconstpointer data)
{
  gint64 first = et_fixture_place_sent (f, PROFILE "first", 1000);
  g_autoptr(RelayOrderRow) had = et_order (f->core, first);
  g_autofree char *body = g_strdup_printf ("{\"order\": \"%s\"}", had->provider_order_id);
  gint64 second = place_with_add_reply (f, PROFILE "second", body);
  g_autoptr(RelayOrderRow) order = et_order (f->core, second);
  g_autofree char *expected = g_strdup_printf ("the panel gave order %" PRId64 " the id %s, "
                                               "which order %" PRId64 " already has",
                                               second, had->provider_order_id, first);

  g_test_message ("%s", order->review_reason);
  g_assert_cmpint (order->status, ==, RELAY_ORDER_NEEDS_REVIEW);
  g_assert_null (order->provider_order_id);
  g_assert_nonnull (order->review_reason);
  g_assert_nonnull (strstr (order->review_reason, expected));
}

/* An order in the book with an id no request can carry (from before the
 * rule): the others are still asked about and updated; that one says why. */
static void
test_sync_skips_bad_id (Fixture *f, gconstpointer data)
{
  gint64 bad = et_fixture_place_sent (f, PROFILE "bad", 1000);
  gint64 good = et_fixture_place_sent (f, PROFILE "good", 1000);
  g_autoptr(RelayOrderRow) good_row = et_order (f->core, good);
  g_autofree char *sql = g_strdup_printf ("UPDATE orders SET provider_order_id = '12 34' "
                                          "WHERE id = %" PRId64, bad);
  g_autofree char *reply = g_strdup_printf ("{\"%s\": {\"charge\": \"0.5\", \"start_count\": \"1\", "
                                            "\"status\": \"Completed\", \"remains\": \"0\", "
                                            "\"currency\": \"USD\"}}",
                                            good_row->provider_order_id);
  g_autoptr(RelaySyncReport) report = NULL;
  g_autoptr(RelayOrderRow) good_after = NULL;
  g_autoptr(RelayOrderRow) bad_after = NULL;

  et_sql (f->store, sql);
  relay_sim_inject_reply (f->sim, "status", reply, 1);
  report = et_sync (f->core);
  good_after = et_order (f->core, good);
  bad_after = et_order (f->core, bad);
  g_assert_cmpint (good_after->status, ==, RELAY_ORDER_COMPLETED);
  g_assert_cmpuint (report->n_errors, ==, 0);
  g_assert_cmpuint (report->n_not_updated, ==, 1);
  g_assert_cmpint (bad_after->status, ==, RELAY_ORDER_PENDING);
  g_assert_nonnull (bad_after->error);
  g_assert_nonnull (strstr (bad_after->error, "12 34"));
}

/* The fuzz regression add-json-error-invalid-utf8 as an `add` reply stored
 * the review reason with a cut "\xef" byte: no script could decode
 * `orders --json` any more. */
static void
test_add_invalid_utf8 (Fixture *f, gconstpointer data)
{
  static const char body[] = "{\"err\x17""\x17""\x17""\x17""\x17""\x17""\x17""\x17""\x17""\x17""\x17""\x17""\x17""\x17""\x17""\x17""\x17""\x17""\x17""\x17""\x17""\x17""\x17""%\x17""\x10""\x10""\x10""\x10""\x10""\x10""\x10""\xef""\xbb""\xbf""\x10""\x10""\x10""\x10""\x10""VVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVV\x1b""VVVVVVVVVVVVVVVVVValance\"}\x0a""";
  gint64 id = et_place (f->core, ET_FOLLOWERS, f->client_id, PROFILE, 1000);
  RelayDispatchReport report;
  g_autoptr(RelayOrderRow) order = NULL;

  relay_sim_inject_reply (f->sim, "add", body, 1);
  report = et_dispatch (f->core);
  g_assert_cmpuint (report.n_review, ==, 1);
  order = et_order (f->core, id);
  g_assert_cmpint (order->status, ==, RELAY_ORDER_NEEDS_REVIEW);
  g_assert_nonnull (order->review_reason);
  g_assert_true (g_utf8_validate (order->review_reason, -1, NULL));
  g_assert_true (strstr (order->review_reason, "\x10") == NULL);
}

/* The book itself repairs invalid UTF-8 a caller passes (a second line). */
static void
test_store_repairs_utf8 (Fixture *f, gconstpointer data)
{
  gint64 sent = et_fixture_place_sent (f, PROFILE "b", 1000);
  gint64 sending = et_place (f->core, ET_FOLLOWERS, f->client_id, PROFILE "a", 1000);
  g_autofree char *sql = g_strdup_printf ("UPDATE orders SET status = 'sending' WHERE id = %"
                                          PRId64, sending);
  g_autoptr(GPtrArray) updates = g_ptr_array_new_with_free_func (g_free);
  RelayStatusUpdate *update = g_new0 (RelayStatusUpdate, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayOrderRow) reviewed = NULL;
  g_autoptr(RelayOrderRow) synced = NULL;

  et_sql (f->store, sql);
  g_assert_true (relay_store_mark_needs_review (f->store, sending, "cut \xef\xbb here", &error));
  g_assert_no_error (error);
  reviewed = et_order (f->core, sending);
  g_assert_true (g_utf8_validate (reviewed->review_reason, -1, NULL));
  g_assert_nonnull (strstr (reviewed->review_reason, "here"));

  update->order_id = sent;
  update->error = "bad \xff\xfe words";
  g_ptr_array_add (updates, update);
  g_assert_true (relay_store_apply_statuses (f->store, updates, NULL, &error));
  g_assert_no_error (error);
  synced = et_order (f->core, sent);
  g_assert_nonnull (synced->error);
  g_assert_true (g_utf8_validate (synced->error, -1, NULL));
  g_assert_nonnull (strstr (synced->error, "words"));
}

/* "currency": "EUR" on a USD order moved its charge and cost to EUR in the
 * reports, and sync said "0 changed". */
static void
test_sync_other_currency (Fixture *f, gconstpointer data)
{
  gint64 id = et_fixture_place_sent (f, PROFILE, 1000);
  g_autoptr(RelayOrderRow) before = et_order (f->core, id);
  g_autofree char *reply = NULL;
  g_autoptr(RelaySyncReport) report = NULL;
  g_autoptr(RelayOrderRow) after = NULL;

  g_assert_cmpstr (before->currency, ==, "USD");
  reply = g_strdup_printf ("{\"%s\": {\"charge\": \"0.14\", \"start_count\": \"1\", "
                           "\"status\": \"Completed\", \"remains\": \"0\", "
                           "\"currency\": \"EUR\"}}", before->provider_order_id);
  relay_sim_inject_reply (f->sim, "status", reply, 1);
  report = et_sync (f->core);
  after = et_order (f->core, id);
  g_assert_cmpstr (after->currency, ==, "USD");
  g_assert_cmpint (after->status, ==, RELAY_ORDER_PENDING);
  g_assert_nonnull (after->error);
  g_assert_nonnull (strstr (after->error, "EUR"));
  g_assert_cmpuint (report->changes->len, ==, 0);
  g_assert_cmpuint (report->n_not_updated, ==, 1);

  /* The next reply in the order's own currency applies as usual. */
  g_clear_pointer (&reply, g_free);
  g_clear_pointer (&report, relay_sync_report_free);
  g_clear_pointer (&after, relay_order_row_free);
  reply = g_strdup_printf ("{\"%s\": {\"charge\": \"0.14\", \"start_count\": \"1\", "
                           "\"status\": \"Completed\", \"remains\": \"0\", "
                           "\"currency\": \"usd\"}}", before->provider_order_id);
  relay_sim_inject_reply (f->sim, "status", reply, 1);
  report = et_sync (f->core);
  after = et_order (f->core, id);
  g_assert_cmpint (after->status, ==, RELAY_ORDER_COMPLETED);
  g_assert_cmpstr (after->currency, ==, "USD");
  g_assert_null (after->error);
  g_assert_cmpuint (report->n_not_updated, ==, 0);
}

/* `sync` said "0 changed" and exited 0 when a reply was refused. */
static void
test_cli_sync_says_not_updated (Fixture *f, gconstpointer data)
{
  gint64 id;
  g_autoptr(RelayOrderRow) order = NULL;
  g_auto(CliRun) run = { 0 };
  g_autofree char *reply = NULL;
  g_autofree char *expected = NULL;

  if (g_getenv ("SMM_RELAY_CLI") == NULL)
    {
      g_test_skip ("SMM_RELAY_CLI is not set");
      return;
    }
  id = et_fixture_place_sent (f, PROFILE, 1000);
  order = et_order (f->core, id);
  reply = g_strdup_printf ("{\"%s\": {\"charge\": \"0.14\", \"status\": \"Completed\", "
                           "\"remains\": \"0\", \"currency\": \"EUR\"}}",
                           order->provider_order_id);
  relay_sim_inject_reply (f->sim, "status", reply, 1);

  /* The simulator answers on this thread's main context: the run iterates it. */
  cli_run (f->cli, &run, NULL, "sync");
  g_assert_cmpint (run.status, ==, 1);   /* -1 when it did not exit */
  expected = g_strdup_printf ("1 order not updated: order %" PRId64 ": reply not applied: "
                              "currency EUR for an order in USD", id);
  g_assert_nonnull (strstr (run.out, expected));
}

int
main (int argc, char **argv)
{
  et_init (&argc, &argv);
#define ADD(path, func) \
  g_test_add (path, Fixture, SEED, et_fixture_set_up_core, func, et_fixture_tear_down)
  ADD ("/engine/hostile/add-bad-id", test_add_bad_id);
  ADD ("/engine/hostile/add-duplicate-id", test_add_duplicate_id);
  ADD ("/engine/hostile/sync-skips-bad-id", test_sync_skips_bad_id);
  ADD ("/engine/hostile/add-invalid-utf8", test_add_invalid_utf8);
  ADD ("/engine/hostile/store-repairs-utf8", test_store_repairs_utf8);
  ADD ("/engine/hostile/sync-other-currency", test_sync_other_currency);
  ADD ("/engine/hostile/cli-sync-says-not-updated", test_cli_sync_says_not_updated);
#undef ADD
  return g_test_run ();
}
