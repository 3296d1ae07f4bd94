/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Canceling an order that was never sent: it is Canceled (not Failed) and
 * the client gets the whole price back, once. */
#include <sqlite3.h>

#include "relay-store.h"
#include "relay-error.h"
#include "relay-money.h"
#include "relay-provider-types.h"

#define SERVICE_ID 10

typedef struct
{
  RelayStore *store;
  gint64      catalog_id;
  gint64      client_id;
} Fixture;

static gint64
sql_int (Fixture *f, const char *sql, gint64 arg)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (relay_store_get_db (f->store), sql, -1, &stmt, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, arg);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) services = g_ptr_array_new ();
  g_autoptr (RelayCatalogRow) row = NULL;
  RelayProviderService service = { 0 };
  gint64 provider;

  f->store = relay_store_open (":memory:", &error);
  g_assert_no_error (error);
  provider = relay_store_add_provider (f->store, "Provider A", "https://a.example/api/v2",
                                       "key-a", &error);
  g_assert_no_error (error);
  service.service_id = (char *) "1";
  service.name = (char *) "Followers";
  service.type = (char *) "Default";
  service.category = (char *) "Instagram";
  service.rate = 278190;
  service.min = 10;
  service.max = 1000000;
  g_ptr_array_add (services, &service);
  g_assert_true (relay_store_replace_catalog (f->store, provider, services, NULL, &error));
  g_assert_no_error (error);
  row = relay_store_find_catalog_service (f->store, provider, "1", &error);
  g_assert_no_error (error);
  f->catalog_id = row->id;
  g_assert_true (relay_store_map_service (f->store, SERVICE_ID, "Plain followers", 500000,
                                          f->catalog_id, 0, FALSE, &error));
  g_assert_no_error (error);
  f->client_id = relay_store_add_client (f->store, "Client One", &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_assert_finalize_object (f->store);
}

static gint64
order (Fixture *f, gint64 scheduled_at)
{
  g_autoptr (GPtrArray) drafts = g_ptr_array_new ();
  g_autoptr (GArray) ids = NULL;
  g_autoptr (GError) error = NULL;
  RelayOrderDraft draft = { 0 };

  draft.service_id = SERVICE_ID;
  draft.client_id = f->client_id;
  draft.link = "https://instagram.com/someone";
  draft.quantity = 1234;
  draft.scheduled_at = scheduled_at;
  g_ptr_array_add (drafts, &draft);
  ids = relay_store_insert_orders (f->store, drafts, "user", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 1);
  return g_array_index (ids, gint64, 0);
}

static void
check_canceled (Fixture *f, gint64 id, RelayOrderStatus before)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RelayOrderRow) row = NULL;

  row = relay_store_get_order (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (row->status, ==, before);
  g_assert_cmpint (row->price, >, 0);

  g_assert_true (relay_store_cancel_unsent (f->store, id, "Canceled before it was sent", &error));
  g_assert_no_error (error);
  g_clear_pointer (&row, relay_order_row_free);
  row = relay_store_get_order (f->store, id, &error);
  g_assert_no_error (error);
  /* Canceled, not Failed, with the whole price back. */
  g_assert_cmpint (row->status, ==, RELAY_ORDER_CANCELED);
  g_assert_cmpint (row->refunded, ==, row->price);
  g_assert_cmpint (sql_int (f, "SELECT COUNT(*) FROM orders WHERE id = ? AND status = 'failed'", id),
                   ==, 0);
  /* The ledger: the charge and one refund of the same amount, noted "canceled". */
  g_assert_cmpint (sql_int (f, "SELECT COALESCE (SUM(amount), 0) FROM ledger WHERE order_id = ?", id),
                   ==, 0);
  g_assert_cmpint (sql_int (f, "SELECT COUNT(*) FROM ledger WHERE order_id = ? AND kind = 'refund' "
                               "AND note = 'canceled'", id), ==, 1);
  g_assert_cmpint (sql_int (f, "SELECT COUNT(*) FROM ledger WHERE order_id = ? AND note = 'failed'", id),
                   ==, 0);
  /* Its history says canceled too. */
  g_assert_cmpint (sql_int (f, "SELECT COUNT(*) FROM order_events WHERE order_id = ? "
                               "AND new_status = 'canceled'", id), ==, 1);

  /* A second cancel is refused and refunds nothing more. */
  g_assert_false (relay_store_cancel_unsent (f->store, id, "again", &error));
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_STATE);
  g_assert_cmpint (sql_int (f, "SELECT COUNT(*) FROM ledger WHERE order_id = ? AND kind = 'refund'", id),
                   ==, 1);
}

static void
test_cancel_scheduled (Fixture *f, gconstpointer data)
{
  check_canceled (f, order (f, g_get_real_time () / G_USEC_PER_SEC + 86400), RELAY_ORDER_SCHEDULED);
}

static void
test_cancel_queued (Fixture *f, gconstpointer data)
{
  check_canceled (f, order (f, 0), RELAY_ORDER_QUEUED);
}

/* An order being sent may already be at the provider: never canceled here. */
static void
test_cancel_sending_refused (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RelayOrderRow) row = NULL;
  gint64 id = order (f, 0);

  g_assert_true (relay_store_mark_sending (f->store, id, f->catalog_id, &error));
  g_assert_no_error (error);
  g_assert_false (relay_store_cancel_unsent (f->store, id, "x", &error));
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_STATE);
  row = relay_store_get_order (f->store, id, NULL);
  g_assert_cmpint (row->status, ==, RELAY_ORDER_SENDING);
  g_assert_cmpint (row->refunded, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/store/cancel-unsent/scheduled", Fixture, NULL, fixture_setup,
              test_cancel_scheduled, fixture_teardown);
  g_test_add ("/store/cancel-unsent/queued", Fixture, NULL, fixture_setup,
              test_cancel_queued, fixture_teardown);
  g_test_add ("/store/cancel-unsent/sending-refused", Fixture, NULL, fixture_setup,
              test_cancel_sending_refused, fixture_teardown);
  return g_test_run ();
}
