/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reports: a book built through the real engine against the simulator, with
 * completed, partial, canceled and refused orders, reports exactly what the
 * client ledger and the simulator's balance say; currencies are never mixed;
 * sums beyond 64 bits are refused; periods are whole local days. */
#include "engine-test-util.h"

#define LIKES     1
#define FOLLOWERS 2

static RelayReport *
report (RelayCore *core, gint64 from, gint64 to, RelayReportGroup group, GError **error)
{
  EtAsync async = { 0 };
  RelayReport *result;

  relay_core_report_async (core, from, to, group, NULL, et_async_ready, &async);
  result = relay_core_report_finish (core, et_async_wait (&async), error);
  et_async_clear (&async);
  return result;
}

static RelayReport *
report_ok (RelayCore *core, gint64 from, gint64 to, RelayReportGroup group)
{
  g_autoptr(GError) error = NULL;
  RelayReport *result = report (core, from, to, group, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

/* The ledger of @client_id split by kind: charges, and refunds with their corrections. */
static void
ledger_split (RelayStore *store, gint64 client_id, gint64 *charged, gint64 *refunded)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = relay_store_list_ledger (store, client_id, &error);

  g_assert_no_error (error);
  *charged = *refunded = 0;
  for (guint i = 0; i < entries->len; i++)
    {
      RelayLedgerEntry *e = g_ptr_array_index (entries, i);

      if (g_str_equal (e->kind, "charge"))
        *charged += e->amount;
      else if (g_str_equal (e->kind, "refund") || g_str_equal (e->kind, "adjustment"))
        *refunded -= e->amount;
    }
}

static RelayReportRow *
find_row (GPtrArray *rows, const char *key, const char *currency)
{
  for (guint i = 0; i < rows->len; i++)
    {
      RelayReportRow *row = g_ptr_array_index (rows, i);

      if (g_str_equal (row->key, key) && g_str_equal (row->currency, currency))
        return row;
    }
  return NULL;
}

static GArray *
place (RelayCore *core, gint64 service, gint64 client_id, const char *tag, guint n)
{
  g_autoptr(GPtrArray) drafts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) links = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  GArray *ids;

  for (guint i = 0; i < n; i++)
    {
      RelayOrderDraft *draft = g_new0 (RelayOrderDraft, 1);

      if (service == LIKES)
        g_ptr_array_add (links, g_strdup_printf ("https://www.instagram.com/p/Rep%s%u/", tag, i));
      else
        g_ptr_array_add (links, g_strdup_printf ("https://www.instagram.com/rep_%s_%u", tag, i));
      draft->service_id = service;
      draft->client_id = client_id;
      draft->link = g_ptr_array_index (links, i);
      draft->quantity = 101 + 37 * i % 2900;   /* odd quantities: refunds round */
      g_ptr_array_add (drafts, draft);
    }
  ids = relay_core_place_orders (core, drafts, "test", &error);
  g_assert_no_error (error);
  return ids;
}

static void
test_ledger (void)
{
  g_autoptr(EtBook) book = et_book_new ();
  g_autoptr(RelaySim) sim = et_sim_new ();
  g_autoptr(RelayCore) core = NULL;
  g_autoptr(GArray) a = NULL;
  g_autoptr(GArray) b = NULL;
  g_autoptr(GArray) refused = NULL;
  g_autoptr(GArray) unsent = NULL;
  g_autoptr(RelayReport) by_client = NULL;
  g_autoptr(RelayReport) by_day = NULL;
  g_autoptr(RelayReport) by_service = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  RelayStore *store;
  gint64 provider_id, alice, bob, balance0, from, to;
  gint64 counts[RELAY_ORDER_N_STATUSES] = { 0 };
  gint64 sum_orders = 0, sum_charged = 0, sum_refunded = 0, sum_cost = 0;
  guint n_canceled = 0;
  const char *names[] = { "Alice", "Bob" };
  RelayReportRow *total;

  relay_sim_set_speed (sim, 0);
  relay_sim_set_seed (sim, 4321);
  core = et_core_new (book);
  store = relay_core_get_store (core);
  url = relay_sim_dup_url (sim);
  provider_id = et_add_provider (core, "Sim", url);
  et_map (core, LIKES, provider_id, "103", 0, NULL, FALSE);
  et_map (core, FOLLOWERS, provider_id, "101", 0, NULL, FALSE);
  alice = et_add_client (core, "Alice");
  bob = et_add_client (core, "Bob");
  balance0 = relay_sim_get_balance (sim);

  a = place (core, LIKES, alice, "a", 40);
  b = place (core, FOLLOWERS, bob, "b", 30);
  g_assert_cmpuint (et_dispatch (core).n_sent, ==, 70);
  /* Refused by the panel: failed with a full refund, nothing kept by it. */
  relay_sim_set_service_disabled (sim, "101", TRUE);
  refused = place (core, FOLLOWERS, alice, "r", 3);
  et_dispatch (core);
  relay_sim_set_service_disabled (sim, "101", FALSE);
  /* Canceled before it was sent. */
  unsent = place (core, LIKES, bob, "u", 2);
  for (guint i = 0; i < unsent->len; i++)
    {
      g_assert_true (relay_store_cancel_unsent (store, g_array_index (unsent, gint64, i), "test", &error));
      g_assert_no_error (error);
    }

  /* Running, then some followers (101 allows cancel) canceled half-way by the user. */
  relay_sim_advance (sim, 7);
  relay_sync_report_free (et_sync (core));
  for (guint i = 0; i < b->len && n_canceled < 6; i++)
    {
      g_autoptr(RelayOrderRow) o = et_order (core, g_array_index (b, gint64, i));
      g_autoptr(GPtrArray) results = NULL;
      EtAsync async = { 0 };

      if (o->status != RELAY_ORDER_IN_PROGRESS)
        continue;
      relay_sim_advance (sim, 1);
      relay_core_cancel_async (core, &o->id, 1, NULL, et_async_ready, &async);
      results = relay_core_cancel_finish (core, et_async_wait (&async), &error);
      g_assert_no_error (error);
      et_async_clear (&async);
      n_canceled += ((RelayActionResult *) g_ptr_array_index (results, 0))->ok;
    }
  g_assert_cmpuint (n_canceled, >, 0);
  /* Everything ends (and the panel settles its refunds). */
  relay_sim_advance (sim, 1e6);
  relay_sync_report_free (et_sync (core));
  relay_sim_advance (sim, 1e6);
  relay_sync_report_free (et_sync (core));

  g_assert_true (relay_store_count_by_status (store, counts, &error));
  g_assert_cmpint (counts[RELAY_ORDER_PARTIAL], >, 0);
  g_assert_cmpint (counts[RELAY_ORDER_CANCELED], >, 2);
  g_assert_cmpint (counts[RELAY_ORDER_FAILED], ==, 3);
  g_assert_cmpint (counts[RELAY_ORDER_COMPLETED], >, 0);
  g_assert_cmpint (counts[RELAY_ORDER_PENDING] + counts[RELAY_ORDER_IN_PROGRESS]
                   + counts[RELAY_ORDER_PROCESSING], ==, 0);

  {
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();

    relay_report_period_range (RELAY_REPORT_PERIOD_TODAY, now, &from, &to);
  }
  by_client = report_ok (core, from, to, RELAY_REPORT_BY_CLIENT);
  g_assert_cmpint (by_client->orders, ==, 75);
  for (guint s = 0; s < RELAY_ORDER_N_STATUSES; s++)
    g_assert_cmpint (by_client->by_status[s], ==, counts[s]);

  /* Per client, to the micro-unit: the ledger. */
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      gint64 id = i == 0 ? alice : bob;
      RelayReportRow *row = find_row (by_client->rows, names[i], "USD");
      gint64 charged, refunded;

      g_assert_nonnull (row);
      g_assert_cmpint (row->key_id, ==, id);
      ledger_split (store, id, &charged, &refunded);
      g_test_message ("%s: charged %" G_GINT64_FORMAT " refunded %" G_GINT64_FORMAT
                      " cost %" G_GINT64_FORMAT " profit %" G_GINT64_FORMAT,
                      names[i], row->charged, row->refunded, row->cost, row->profit);
      g_assert_cmpint (row->charged, ==, charged);
      g_assert_cmpint (row->refunded, ==, refunded);
      g_assert_cmpint (charged - refunded, ==, et_ledger_sum (store, id));
      g_assert_cmpint (row->profit, ==, row->charged - row->refunded - row->cost);
      sum_orders += row->orders;
      sum_charged += row->charged;
      sum_refunded += row->refunded;
      sum_cost += row->cost;
    }
  g_assert_cmpuint (by_client->totals->len, ==, 1);
  total = g_ptr_array_index (by_client->totals, 0);
  g_assert_cmpstr (total->currency, ==, "USD");
  g_assert_cmpint (total->orders, ==, sum_orders);
  g_assert_cmpint (total->charged, ==, sum_charged);
  g_assert_cmpint (total->refunded, ==, sum_refunded);
  /* The provider's cost net of its refunds is what left its balance. */
  g_assert_cmpint (total->cost, ==, sum_cost);
  g_assert_cmpint (total->cost, ==, balance0 - relay_sim_get_balance (sim));
  g_assert_cmpint (total->profit, ==, sum_charged - sum_refunded - sum_cost);
  g_assert_cmpint (total->profit, >, 0);

  /* Other groupings add up to the same totals. */
  by_day = report_ok (core, from, to, RELAY_REPORT_BY_DAY);
  g_assert_cmpuint (by_day->rows->len, ==, 1);
  g_assert_cmpuint (by_day->days->len, ==, 1);
  {
    RelayReportRow *day = g_ptr_array_index (by_day->rows, 0);
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();
    g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");

    g_assert_cmpstr (day->key, ==, today);
    g_assert_cmpint (day->profit, ==, total->profit);
    g_assert_cmpint (day->cost, ==, total->cost);
  }
  by_service = report_ok (core, from, to, RELAY_REPORT_BY_SERVICE);
  g_assert_cmpuint (by_service->rows->len, ==, 2);
  {
    RelayReportRow *x = g_ptr_array_index (by_service->rows, 0);
    RelayReportRow *y = g_ptr_array_index (by_service->rows, 1);

    g_assert_cmpint (x->charged + y->charged, ==, total->charged);
    g_assert_cmpint (x->profit + y->profit, ==, total->profit);
    g_assert_cmpint (x->orders + y->orders, ==, 75);
  }

  /* Delivery per provider service: the sent orders, their ends and rates. */
  g_assert_cmpuint (by_client->delivery->len, ==, 2);
  for (guint i = 0; i < by_client->delivery->len; i++)
    {
      RelayDeliveryRow *d = g_ptr_array_index (by_client->delivery, i);

      g_assert_cmpstr (d->provider_name, ==, "Sim");
      g_assert_cmpint (d->orders, ==, g_str_equal (d->provider_service_id, "103") ? 40 : 30);
      g_assert_cmpint (d->finished, ==, d->orders);
      g_assert_cmpint (d->to_start.n, >, 0);
      g_assert_cmpint (d->to_start.min, <=, d->to_start.median);
      g_assert_cmpint (d->to_start.median, <=, d->to_start.max);
      g_assert_cmpint (d->to_complete.n, <=, d->orders - d->partial - d->canceled);
      g_assert_true (d->partial_rate >= 0 && d->partial_rate <= 1);
      if (g_str_equal (d->provider_service_id, "101"))
        g_assert_cmpint (d->canceled, >=, n_canceled);
      g_assert_cmpfloat_with_epsilon (d->cancel_rate, (double) d->canceled / d->finished, 1e-9);
    }

  /* A period before the orders: empty, not an error. */
  {
    g_autoptr(RelayReport) empty = report_ok (core, from - 86400, from, RELAY_REPORT_BY_CLIENT);

    g_assert_cmpint (empty->orders, ==, 0);
    g_assert_cmpuint (empty->rows->len, ==, 0);
    g_assert_cmpuint (empty->totals->len, ==, 0);
  }
}

/* A small book written straight into the store (no provider needed). */
static void
seed_orders (RelayCore *core, guint n)
{
  RelayStore *store = relay_core_get_store (core);
  g_autoptr(GPtrArray) services = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_provider_service_free);
  g_autoptr(RelayCatalogRow) row = NULL;
  g_autoptr(GPtrArray) drafts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  RelayProviderService *service = g_new0 (RelayProviderService, 1);
  gint64 provider_id, client_id;

  service->service_id = g_strdup ("1");
  service->name = g_strdup ("Likes");
  service->type = g_strdup ("Default");
  service->category = g_strdup ("Instagram");
  service->rate = 1000000;
  service->min = 1;
  service->max = 1000000;
  g_ptr_array_add (services, service);
  provider_id = relay_store_add_provider (store, "P", "https://panel.example/api/v2", "ref", &error);
  g_assert_no_error (error);
  g_assert_true (relay_store_replace_catalog (store, provider_id, services, NULL, &error));
  row = relay_store_find_catalog_service (store, provider_id, "1", &error);
  g_assert_true (relay_store_map_service (store, 1, "likes", 2000000, row->id, 0, FALSE, &error));
  client_id = relay_store_add_client (store, "C", &error);
  for (guint i = 0; i < n; i++)
    {
      RelayOrderDraft *draft = g_new0 (RelayOrderDraft, 1);

      draft->service_id = 1;
      draft->client_id = client_id;
      draft->link = "https://www.instagram.com/p/x/";
      draft->quantity = 1000;
      g_ptr_array_add (drafts, draft);
    }
  ids = relay_store_insert_orders (store, drafts, "test", &error);
  g_assert_no_error (error);
}

static void
test_currencies (void)
{
  g_autoptr(EtBook) book = et_book_new ();
  g_autoptr(RelayCore) core = et_core_new (book);
  g_autoptr(RelayReport) r = NULL;
  RelayStore *store = relay_core_get_store (core);
  RelayReportRow *usd, *eur;

  seed_orders (core, 5);
  /* Three were sent by a panel in USD, two in EUR. */
  et_sql (store, "UPDATE orders SET status = 'completed', sent_at = created_at, cost = 1000000, "
                 "currency = CASE WHEN id <= 3 THEN 'USD' ELSE 'EUR' END");
  r = report_ok (core, 0, G_MAXINT64, RELAY_REPORT_BY_CLIENT);
  g_assert_cmpuint (r->rows->len, ==, 2);
  g_assert_cmpuint (r->totals->len, ==, 2);
  usd = find_row (r->rows, "C", "USD");
  eur = find_row (r->rows, "C", "EUR");
  g_assert_nonnull (usd);
  g_assert_nonnull (eur);
  g_assert_cmpint (usd->orders, ==, 3);
  g_assert_cmpint (usd->charged, ==, 3 * 2000000);
  g_assert_cmpint (usd->cost, ==, 3 * 1000000);
  g_assert_cmpint (usd->profit, ==, 3 * 1000000);
  g_assert_cmpfloat_with_epsilon (usd->margin, 50.0, 1e-9);
  g_assert_cmpint (eur->orders, ==, 2);
  g_assert_cmpint (eur->charged, ==, 2 * 2000000);
  g_assert_cmpstr (((RelayReportRow *) g_ptr_array_index (r->totals, 0))->currency, ==, "EUR");
  g_assert_cmpint (((RelayReportRow *) g_ptr_array_index (r->totals, 1))->charged, ==, 3 * 2000000);
}

static void
test_overflow (void)
{
  g_autoptr(EtBook) book = et_book_new ();
  g_autoptr(RelayCore) core = et_core_new (book);
  g_autoptr(RelayReport) r = NULL;
  g_autoptr(GError) error = NULL;
  RelayStore *store = relay_core_get_store (core);

  seed_orders (core, 12);
  /* Each price fits; twelve of them do not (12 x 10^18 > 9.2 x 10^18). */
  et_sql (store, "UPDATE orders SET price = 1000000000000000000, unit_price = 1000000000000");
  r = report (core, 0, G_MAXINT64, RELAY_REPORT_BY_CLIENT, &error);
  g_assert_null (r);
  g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE);
  g_test_message ("refused: %s", error->message);
  g_clear_error (&error);
  /* Nine fit: 9 x 10^18 < G_MAXINT64, exactly. */
  et_sql (store, "DELETE FROM ledger WHERE order_id > 9");
  et_sql (store, "DELETE FROM order_events WHERE order_id > 9");
  et_sql (store, "DELETE FROM orders WHERE id > 9");
  r = report_ok (core, 0, G_MAXINT64, RELAY_REPORT_BY_CLIENT);
  g_assert_cmpint (((RelayReportRow *) g_ptr_array_index (r->totals, 0))->charged, ==,
                   G_GINT64_CONSTANT (9000000000000000000));
}

static void
test_periods (void)
{
  g_autoptr(EtBook) book = et_book_new ();
  g_autoptr(RelayCore) core = et_core_new (book);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_local (2026, 3, 15, 13, 30, 0);
  g_autoptr(GDateTime) d1 = g_date_time_new_local (2026, 3, 1, 0, 0, 0);
  g_autoptr(GDateTime) d2 = g_date_time_new_local (2026, 3, 3, 0, 0, 0);
  g_autoptr(GDateTime) d9 = g_date_time_new_local (2026, 3, 9, 0, 0, 0);
  g_autoptr(GDateTime) d14 = g_date_time_new_local (2026, 2, 14, 0, 0, 0);
  g_autoptr(GDateTime) d15 = g_date_time_new_local (2026, 3, 15, 0, 0, 0);
  g_autoptr(GDateTime) d16 = g_date_time_new_local (2026, 3, 16, 0, 0, 0);
  g_autoptr(RelayReport) r = NULL;
  RelayStore *store = relay_core_get_store (core);
  gint64 from, to;
  g_autofree char *sql = NULL;

  /* --from/--to: both days in, local midnights. */
  g_assert_true (relay_report_parse_days ("2026-03-01", "2026-03-02", &from, &to, &error));
  g_assert_cmpint (from, ==, g_date_time_to_unix (d1));
  g_assert_cmpint (to, ==, g_date_time_to_unix (d2));
  g_assert_false (relay_report_parse_days ("2026-03-02", "2026-03-01", &from, &to, &error));
  g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (relay_report_parse_days ("2026-02-30", "2026-03-01", &from, &to, &error));
  g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (relay_report_parse_days ("2026-3-1", "2026-03-01", &from, &to, &error));
  g_clear_error (&error);
  /* The day after 9999-12-31 does not exist: once a NULL end became 1970. */
  g_assert_false (relay_report_parse_days ("1990-01-01", "9999-12-31", &from, &to, &error));
  g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE);
  g_clear_error (&error);
  g_assert_false (relay_report_parse_days ("0001-01-01", "2026-03-01", &from, &to, &error));
  g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE);
  g_clear_error (&error);
  g_assert_true (relay_report_parse_days ("1970-01-01", "9998-12-31", &from, &to, &error));
  g_assert_no_error (error);
  g_assert_cmpint (to, >, from);

  relay_report_period_range (RELAY_REPORT_PERIOD_TODAY, now, &from, &to);
  g_assert_cmpint (from, ==, g_date_time_to_unix (d15));
  g_assert_cmpint (to, ==, g_date_time_to_unix (d16));
  relay_report_period_range (RELAY_REPORT_PERIOD_7_DAYS, now, &from, &to);
  g_assert_cmpint (from, ==, g_date_time_to_unix (d9));
  relay_report_period_range (RELAY_REPORT_PERIOD_30_DAYS, now, &from, &to);
  g_assert_cmpint (from, ==, g_date_time_to_unix (d14));
  relay_report_period_range (RELAY_REPORT_PERIOD_MONTH, now, &from, &to);
  g_assert_cmpint (from, ==, g_date_time_to_unix (d1));
  g_assert_cmpint (to, ==, g_date_time_to_unix (d16));

  /* Orders on the edges: the last second of a day is in, the next midnight out. */
  seed_orders (core, 3);
  sql = g_strdup_printf ("UPDATE orders SET created_at = CASE id WHEN 1 THEN %" G_GINT64_FORMAT
                         " WHEN 2 THEN %" G_GINT64_FORMAT " ELSE %" G_GINT64_FORMAT " END",
                         g_date_time_to_unix (d1), g_date_time_to_unix (d2) - 1,
                         g_date_time_to_unix (d2));
  et_sql (store, sql);
  g_assert_true (relay_report_parse_days ("2026-03-01", "2026-03-02", &from, &to, &error));
  r = report_ok (core, from, to, RELAY_REPORT_BY_DAY);
  g_assert_cmpint (r->orders, ==, 2);
  g_assert_cmpuint (r->rows->len, ==, 2);
  g_assert_cmpstr (((RelayReportRow *) g_ptr_array_index (r->rows, 0))->key, ==, "2026-03-01");
  g_assert_cmpstr (((RelayReportRow *) g_ptr_array_index (r->rows, 1))->key, ==, "2026-03-02");
  g_assert_null (report (core, to, from, RELAY_REPORT_BY_DAY, &error));
  g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID);
}

/* A book of schema 2 with delivered orders: the upgrade fills in when their
 * delivery began and ended, so their report has delivery times at once. */
static void
test_migration (void)
{
  g_autoptr(EtBook) book = et_book_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayReport) r = NULL;
  RelayCore *core = et_core_new (book);
  RelayStore *store = relay_core_get_store (core);
  RelayDeliveryRow *d;

  seed_orders (core, 3);
  et_sql (store, "UPDATE orders SET status = 'completed', sent_at = created_at, provider_order_id = id, "
                 "provider_service_id = '1', cost = 1000000");
  /* Back to schema 2, with the history a schema 2 book had. */
  et_sql (store, "DROP TRIGGER orders_link_insert; DROP TRIGGER orders_link_delete; DROP TRIGGER orders_link_update;"
                 "DROP TABLE orders_link; DROP INDEX orders_sort_link; DROP INDEX orders_sort_quantity;"
                 "DROP INDEX orders_sort_progress; DROP INDEX orders_sort_start_count; DROP INDEX orders_sort_remains;"
                 "DROP INDEX orders_sort_charge; DROP INDEX orders_sort_status; DROP INDEX orders_active_id;"
                 "DROP INDEX orders_attention_id; DROP INDEX services_name;"
                 "DROP TABLE price_changes;"
                 "ALTER TABLE providers DROP COLUMN low_balance;"
                 "ALTER TABLE providers DROP COLUMN funds_needed;"
                 "ALTER TABLE providers DROP COLUMN funds_wait_since;"
                 "ALTER TABLE services DROP COLUMN markup_ppm;"
                 "ALTER TABLE services DROP COLUMN price_step;"
                 "DROP INDEX orders_report; DROP TRIGGER orders_started; DROP TRIGGER orders_completed;"
                 "ALTER TABLE orders DROP COLUMN started_at; ALTER TABLE orders DROP COLUMN completed_at;"
                 "INSERT INTO order_events (order_id, at, old_status, new_status, source)"
                 "  SELECT id, created_at + 60 * id, 'pending', 'in_progress', 'sync' FROM orders;"
                 "INSERT INTO order_events (order_id, at, old_status, new_status, source)"
                 "  SELECT id, created_at + 600 * id, 'in_progress', 'completed', 'sync' FROM orders;"
                 "PRAGMA user_version = 2;");
  g_object_unref (core);

  core = et_core_new (book);
  store = relay_core_get_store (core);
  g_assert_cmpint (relay_store_get_schema_version (store), ==, RELAY_STORE_SCHEMA_VERSION);
  r = report (core, 0, G_MAXINT64, RELAY_REPORT_BY_PROVIDER, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r->delivery->len, ==, 1);
  d = g_ptr_array_index (r->delivery, 0);
  g_assert_cmpint (d->orders, ==, 3);
  g_assert_cmpint (d->to_start.n, ==, 3);
  g_assert_cmpint (d->to_start.min, ==, 60);
  g_assert_cmpint (d->to_start.median, ==, 120);
  g_assert_cmpint (d->to_start.max, ==, 180);
  g_assert_cmpint (d->to_complete.median, ==, 1200);
  g_assert_cmpint (d->to_complete.q1, ==, 900);
  g_object_unref (core);
}

int
main (int argc, char **argv)
{
  et_init (&argc, &argv);
  g_test_add_func ("/report/ledger", test_ledger);
  g_test_add_func ("/report/currencies", test_currencies);
  g_test_add_func ("/report/overflow", test_overflow);
  g_test_add_func ("/report/periods", test_periods);
  g_test_add_func ("/report/migration", test_migration);
  return g_test_run ();
}
