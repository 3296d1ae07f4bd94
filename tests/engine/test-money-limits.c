/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Money limits end to end: the CLI refuses a price per 1,000 above the limit
 * and charges an order at the limit exactly; a panel's absurd remains or
 * charge, through the simulator and the status sync, never refunds the
 * whole price. */
#include "engine-test-fixture.h"

#include <inttypes.h>
#include <sqlite3.h>

#define PROFILE "https://instagram.com/someone"
#define SEED GUINT_TO_POINTER (4242)  /* the simulator's */

typedef EtFixture Fixture;

/* One integer from raw SQL with one integer parameter. */
static gint64
sql_int (Fixture *f, const char *sql, gint64 arg)
{
  sqlite3 *db = relay_store_get_db (f->store);
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, arg);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

/* The scenario: "service map … --price 9000000000000", then an order
 * of 2,050 charged 3,255,926,290.448384 instead of 18,450,000,000,000.  Now
 * the price is refused naming the limit; at the limit the charge is exact. */
static void
test_cli_price_limit (Fixture *f, gconstpointer data)
{
  g_auto(CliRun) run = { 0 };
  g_autoptr(RelayOrderRow) order = NULL;
  g_autoptr(GError) error = NULL;

  if (g_getenv ("SMM_RELAY_CLI") == NULL)
    {
      g_test_skip ("SMM_RELAY_CLI is not set");
      return;
    }

  cli_run (f->cli, &run, NULL, "service", "map", "7", "Sim", "101", "--price", "9000000000000");
  g_assert_cmpint (run.status, !=, 0);
  g_assert_nonnull (strstr (run.err, "1000000.00"));
  cli_run_clear (&run);
  /* Nothing was mapped, so no order of it can be charged. */
  g_assert_cmpint (sql_int (f, "SELECT COUNT(*) FROM services WHERE id = ?", 7), ==, 0);

  /* The same refusal from the core the window's mapping dialog calls. */
  g_assert_false (relay_core_map_service (f->core, 7, NULL, G_GINT64_CONSTANT (9000000000000000000),
                                          f->provider_id, "101", 0, NULL, FALSE, &error));
  g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE);
  g_assert_nonnull (strstr (error->message, "1000000.00"));
  g_clear_error (&error);

  /* At the limit: accepted, and 2,050 units cost exactly 2,050,000.00. */
  cli_run (f->cli, &run, NULL, "service", "map", "7", "Sim", "101", "--price", "1000000");
  g_assert_cmpint (run.status, ==, 0);
  cli_run_clear (&run);
  cli_run (f->cli, &run, NULL, "order", "add", "7", PROFILE, "2050", "--client", "Client",
           "--no-send");
  g_assert_cmpint (run.status, ==, 0);
  order = et_store_order (f->store, sql_int (f, "SELECT MAX(id) FROM orders WHERE service_id = ?", 7));
  g_assert_cmpint (order->price, ==, G_GINT64_CONSTANT (2050000000000));
  g_assert_cmpint (et_ledger_sum (f->store, f->client_id), ==, G_GINT64_CONSTANT (2050000000000));
  cli_run_clear (&run);

  /* The client's balance reads back through the CLI. */
  cli_run (f->cli, &run, NULL, "client", "show", "Client");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "2050000.00"));
}

static void
inject_status (Fixture    *f,
               const char *provider_order_id,
               const char *status,
               const char *remains,
               const char *charge)
{
  g_autofree char *body = g_strdup_printf ("{\"%s\": {\"charge\": \"%s\", \"start_count\": \"12\", "
                                           "\"status\": \"%s\", \"remains\": %s, "
                                           "\"currency\": \"USD\"}}",
                                           provider_order_id, charge, status, remains);

  relay_sim_inject_reply (f->sim, "status", body, 1);
}

/* remains -9223372036854775807 on a Partial order gave a full refund. */
static void
test_sync_hostile_remains (Fixture *f, gconstpointer data)
{
  gint64 id = et_fixture_place_sent (f, PROFILE, 1000);
  g_autoptr(RelayOrderRow) order = et_order (f->core, id);
  g_autoptr(RelayOrderRow) after = NULL;
  g_autoptr(RelaySyncReport) report = NULL;
  gint64 refund = -1;

  inject_status (f, order->provider_order_id, "Partial", "-9223372036854775807", "0.9");
  report = et_sync (f->core);
  after = et_order (f->core, id);
  g_assert_cmpint (after->status, ==, RELAY_ORDER_PENDING);
  g_assert_cmpint (after->refunded, ==, 0);
  g_assert_cmpint (et_ledger_sum (f->store, f->client_id), ==, order->price);
  g_assert_nonnull (after->error);
  g_assert_nonnull (strstr (after->error, "-9223372036854775807"));
  g_assert_true (et_events_mention (f->store, id, "-9223372036854775807"));
  g_clear_pointer (&after, relay_order_row_free);
  g_clear_pointer (&report, relay_sync_report_free);

  /* More remains than ordered: held as well. */
  inject_status (f, order->provider_order_id, "Canceled", "\"5000\"", "0");
  report = et_sync (f->core);
  after = et_order (f->core, id);
  g_assert_cmpint (after->status, ==, RELAY_ORDER_PENDING);
  g_assert_cmpint (after->refunded, ==, 0);
  g_assert_nonnull (strstr (after->error, "5000"));
  g_clear_pointer (&after, relay_order_row_free);
  g_clear_pointer (&report, relay_sync_report_free);

  /* A sane Partial settles as usual: the refund is what was not delivered. */
  inject_status (f, order->provider_order_id, "Partial", "250", "0.675");
  report = et_sync (f->core);
  after = et_order (f->core, id);
  g_assert_cmpint (after->status, ==, RELAY_ORDER_PARTIAL);
  g_assert_null (after->error);
  /* 1,000 units: the price is the price per 1,000. */
  g_assert_true (relay_money_refund (order->price, 1000, 750, &refund, NULL));
  g_assert_cmpint (after->refunded, ==, refund);
  g_assert_cmpint (after->refunded, <=, after->price);
  g_assert_cmpint (et_ledger_sum (f->store, f->client_id), ==, order->price - refund);
}

/* remains that could not be read were taken for unknown, and a Partial with
 * unknown remains was refunded in full.  (An integer literal beyond 64 bits
 * never gets here as such: json-glib 1.6 wraps it, -99999999999999999999
 * reads as 1.) */
static void
test_sync_unreadable_remains (Fixture *f, gconstpointer data)
{
  static const char * const remains[] = { "-1e30", "\"lots\"", "{\"n\": 1}" };
  gint64 id = et_fixture_place_sent (f, PROFILE, 1000);
  g_autoptr(RelayOrderRow) order = et_order (f->core, id);

  for (guint i = 0; i < G_N_ELEMENTS (remains); i++)
    {
      g_autoptr(RelayOrderRow) after = NULL;
      g_autoptr(RelaySyncReport) report = NULL;

      g_test_message ("remains %s", remains[i]);
      inject_status (f, order->provider_order_id, "Partial", remains[i], "0.9");
      report = et_sync (f->core);
      after = et_order (f->core, id);
      g_assert_cmpint (after->status, ==, RELAY_ORDER_PENDING);
      g_assert_cmpint (after->refunded, ==, 0);
      g_assert_nonnull (after->error);
      g_assert_nonnull (strstr (after->error, "remains"));
      g_assert_cmpint (et_ledger_sum (f->store, f->client_id), ==, order->price);
    }
}

/* A negative charge is not applied either. */
static void
test_sync_hostile_charge (Fixture *f, gconstpointer data)
{
  gint64 id = et_fixture_place_sent (f, PROFILE, 500);
  g_autoptr(RelayOrderRow) order = et_order (f->core, id);
  g_autoptr(RelayOrderRow) after = NULL;
  g_autoptr(RelaySyncReport) report = NULL;

  inject_status (f, order->provider_order_id, "Canceled", "\"500\"", "-1000000");
  report = et_sync (f->core);
  after = et_order (f->core, id);
  g_assert_cmpint (after->status, ==, RELAY_ORDER_PENDING);
  g_assert_false (after->has_charge);
  g_assert_cmpint (after->refunded, ==, 0);
  g_assert_nonnull (strstr (after->error, "charge"));
  g_assert_cmpint (et_ledger_sum (f->store, f->client_id), ==, order->price);
}

/* A provider rate above the limit (from a catalog sync) cannot be priced:
 * the service cannot be ordered, with the limit named, and nothing is sent. */
static void
test_catalog_rate_above_limit (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) drafts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  RelayOrderDraft *draft = g_new0 (RelayOrderDraft, 1);
  EtAsync async = { 0 };
  g_autoptr(GPtrArray) changes = NULL;

  relay_sim_inject_reply (f->sim, "services",
                          "[{\"service\": 101, \"name\": \"Followers\", \"type\": \"Default\", "
                          "\"category\": \"Instagram\", \"rate\": \"9000000000000\", \"min\": 50, "
                          "\"max\": 10000, \"refill\": true, \"cancel\": true}]", 1);
  relay_core_sync_services_async (f->core, f->provider_id, NULL, et_async_ready, &async);
  changes = relay_core_sync_services_finish (f->core, et_async_wait (&async), &error);
  g_assert_no_error (error);
  et_async_clear (&async);

  draft->service_id = ET_FOLLOWERS;
  draft->client_id = f->client_id;
  draft->link = PROFILE;
  draft->quantity = 2050;
  g_ptr_array_add (drafts, draft);
  ids = relay_core_place_orders (f->core, drafts, "test", &error);
  g_assert_null (ids);
  g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "1000000.00"));
  g_assert_cmpint (et_ledger_sum (f->store, f->client_id), ==, 0);
}

int
main (int argc, char **argv)
{
  et_init (&argc, &argv);
#define ADD(path, func) \
  g_test_add (path, Fixture, SEED, et_fixture_set_up_core, func, et_fixture_tear_down)
  ADD ("/engine/money/cli-price-limit", test_cli_price_limit);
  ADD ("/engine/money/sync-hostile-remains", test_sync_hostile_remains);
  ADD ("/engine/money/sync-unreadable-remains", test_sync_unreadable_remains);
  ADD ("/engine/money/catalog-rate-above-limit", test_catalog_rate_above_limit);
  ADD ("/engine/money/sync-hostile-charge", test_sync_hostile_charge);
#undef ADD
  return g_test_run ();
}
