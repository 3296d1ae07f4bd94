/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of applying the providers' statuses: events, unknown words, errors,
 * refunds to the micro-unit, and the ledger over many random outcomes. */
#include "test-store.h"

/* The checked money functions, for amounts a test knows are in range. */
static inline gint64
checked_price (gint64 per_thousand, gint64 units)
{
  gint64 amount = -1;

  g_assert_true (relay_money_for_quantity (per_thousand, units, &amount, NULL));
  return amount;
}

static inline gint64
checked_refund (gint64 per_thousand, gint64 units, gint64 delivered)
{
  gint64 amount = -1;

  g_assert_true (relay_money_refund (per_thousand, units, delivered, &amount, NULL));
  return amount;
}

static gboolean
apply (Book              *book,
       RelayStatusUpdate *updates,
       guint              n_updates,
       GArray           **out_changed)
{
  g_autoptr (GPtrArray) array = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  gboolean ok;

  for (guint i = 0; i < n_updates; i++)
    g_ptr_array_add (array, &updates[i]);
  ok = relay_store_apply_statuses (book->store, array, out_changed, &error);
  g_assert_no_error (error);
  return ok;
}

static gint64
n_events (Book   *book,
          gint64  order_id)
{
  return book_sql_int (book, "SELECT COUNT(*) FROM order_events WHERE order_id = ?", order_id);
}

static void
test_apply_statuses (Book          *book,
                     gconstpointer  data)
{
  g_autoptr (GArray) changed = NULL;
  RelayStatusUpdate updates[6];
  gint64 a = book_order (book, SERVICE_PLAIN, 0, "https://x.example/a", 1000, 0, 0);
  gint64 b = book_order (book, SERVICE_PLAIN, 0, "https://x.example/b", 1000, 0, 0);
  gint64 c = book_order (book, SERVICE_PLAIN, 0, "https://x.example/c", 1000, 0, 0);
  gint64 d = book_order (book, SERVICE_PLAIN, 0, "https://x.example/d", 1000, 0, 0);
  gint64 queued = book_order (book, SERVICE_PLAIN, 0, "https://x.example/e", 1000, 0, 0);
  gint64 events_b;

  book_send (book, a, "1");
  book_send (book, b, "2");
  book_send (book, c, "3");
  book_send (book, d, "4");
  events_b = n_events (book, b);

  updates[0] = status_update (a, "In Progress", TRUE, 400);
  updates[0].has_start_count = TRUE;
  updates[0].start_count = 3572;
  updates[0].has_charge = TRUE;
  updates[0].charge = 278190;
  updates[0].currency = "USD";
  updates[1] = status_update (b, "pending", TRUE, 1000);     /* same status, new numbers */
  updates[2] = status_update (c, "Stuck in queue", FALSE, 0); /* unknown word */
  updates[3] = status_update (d, NULL, FALSE, 0);
  updates[3].error = "Incorrect order ID";
  updates[4] = status_update (9999, "Completed", FALSE, 0);  /* not ours */
  updates[5] = status_update (queued, "Completed", FALSE, 0); /* not sent: not touched */

  book_reset_signals (book);
  g_assert_true (apply (book, updates, G_N_ELEMENTS (updates), &changed));
  g_assert_cmpuint (book->n_commits, ==, 1);
  g_assert_cmpuint (book->n_orders_changed, ==, 1);
  g_assert_cmpuint (book->orders_changed_ids->len, ==, 4);
  g_assert_true (book_ids_contain (book->orders_changed_ids, a));
  g_assert_true (book_ids_contain (book->orders_changed_ids, b));
  g_assert_true (book_ids_contain (book->orders_changed_ids, c));
  g_assert_true (book_ids_contain (book->orders_changed_ids, d));
  g_assert_cmpuint (changed->len, ==, 1);
  g_assert_cmpint (g_array_index (changed, gint64, 0), ==, a);

  {
    g_autoptr (RelayOrderRow) order = book_get (book, a);

    g_assert_cmpint (order->status, ==, RELAY_ORDER_IN_PROGRESS);
    g_assert_cmpstr (order->provider_status, ==, "In Progress");
    g_assert_true (order->has_start_count);
    g_assert_cmpint (order->start_count, ==, 3572);
    g_assert_cmpint (order->remains, ==, 400);
    g_assert_cmpint (order->charge, ==, 278190);
    g_assert_cmpstr (order->currency, ==, "USD");
    g_assert_cmpint (n_events (book, a), ==, 4);
  }
  {
    g_autoptr (RelayOrderRow) order = book_get (book, b);

    g_assert_cmpint (order->status, ==, RELAY_ORDER_PENDING);
    g_assert_true (order->has_remains);
    g_assert_false (order->has_start_count);
    g_assert_cmpint (n_events (book, b), ==, events_b);
  }
  {
    g_autoptr (RelayOrderRow) order = book_get (book, c);

    g_assert_cmpint (order->status, ==, RELAY_ORDER_PENDING);
    g_assert_cmpstr (order->provider_status, ==, "Stuck in queue");
    g_assert_cmpint (n_events (book, c), ==, events_b);
  }
  {
    g_autoptr (RelayOrderRow) order = book_get (book, d);

    g_assert_cmpint (order->status, ==, RELAY_ORDER_PENDING);
    g_assert_cmpstr (order->error, ==, "Incorrect order ID");
  }
  {
    g_autoptr (RelayOrderRow) order = book_get (book, queued);

    g_assert_cmpint (order->status, ==, RELAY_ORDER_QUEUED);
  }

  /* The same reply again changes nothing and tells nobody. */
  book_reset_signals (book);
  g_clear_pointer (&changed, g_array_unref);
  g_assert_true (apply (book, updates, G_N_ELEMENTS (updates), &changed));
  g_assert_cmpuint (changed->len, ==, 0);
  g_assert_cmpuint (book->n_orders_changed, ==, 0);

  /* A later good reply clears the error. */
  updates[0] = status_update (d, "Processing", FALSE, 0);
  g_assert_true (apply (book, updates, 1, NULL));
  {
    g_autoptr (RelayOrderRow) order = book_get (book, d);

    g_assert_cmpint (order->status, ==, RELAY_ORDER_PROCESSING);
    g_assert_null (order->error);
  }
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (GPtrArray) active = relay_store_list_active (book->store, &error);
    gint64 counts[RELAY_ORDER_N_STATUSES];

    g_assert_no_error (error);
    g_assert_cmpuint (active->len, ==, 4);
    g_assert_true (relay_store_count_by_status (book->store, counts, &error));
    g_assert_cmpint (counts[RELAY_ORDER_PENDING], ==, 2);
    g_assert_cmpint (counts[RELAY_ORDER_PROCESSING], ==, 1);
    g_assert_cmpint (counts[RELAY_ORDER_IN_PROGRESS], ==, 1);
    g_assert_cmpint (counts[RELAY_ORDER_QUEUED], ==, 1);
    g_assert_cmpint (counts[RELAY_ORDER_COMPLETED], ==, 0);
  }
}

static void
test_refunds (Book          *book,
              gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  RelayStatusUpdate updates[6];
  gint64 partial, canceled, canceled_some, failed, completed, over;
  gint64 events_before;

  /* My price 0.27819 per 1,000, odd quantities. */
  g_assert_true (relay_store_map_service (book->store, 50, "Odd", 278190, book->catalog_a1, 0, FALSE, &error));
  g_assert_no_error (error);
  partial = book_order (book, 50, book->client_1, "https://x.example/1", 1001, 0, 0);
  canceled = book_order (book, 50, book->client_1, "https://x.example/2", 777, 0, 0);
  canceled_some = book_order (book, 50, book->client_2, "https://x.example/3", 333, 3, 0);
  failed = book_order (book, 50, book->client_2, "https://x.example/4", 12345, 0, 0);
  completed = book_order (book, 50, book->client_1, "https://x.example/5", 999, 0, 0);
  over = book_order (book, 50, book->client_1, "https://x.example/6", 1001, 0, 0);
  book_send (book, partial, "1");
  book_send (book, canceled, "2");
  book_send (book, canceled_some, "3");
  book_send (book, failed, "4");
  book_send (book, completed, "5");
  book_send (book, over, "6");

  updates[0] = status_update (partial, "Partial", TRUE, 333);
  updates[1] = status_update (canceled, "Cancelled", FALSE, 0);
  updates[2] = status_update (canceled_some, "Canceled", TRUE, 500);   /* 999 units, 499 delivered */
  updates[3] = status_update (failed, "Fail", TRUE, 0);
  updates[4] = status_update (completed, "Completed", TRUE, 0);
  updates[5] = status_update (over, "Partial", TRUE, -20);             /* over-delivered */
  book_reset_signals (book);
  g_assert_true (apply (book, updates, G_N_ELEMENTS (updates), NULL));
  g_assert_cmpuint (book->n_clients_changed, ==, 1);

  {
    g_autoptr (RelayOrderRow) order = book_get (book, partial);

    g_assert_cmpint (order->status, ==, RELAY_ORDER_PARTIAL);
    g_assert_cmpint (order->price, ==, 278468);
    g_assert_cmpint (order->refunded, ==, 92637);
    g_assert_cmpint (order->price - order->refunded, ==, checked_price (278190, 668));
    g_assert_cmpint (book_ledger_sum (book, partial), ==, 278468 - 92637);
  }
  {
    g_autoptr (RelayOrderRow) order = book_get (book, canceled);

    g_assert_cmpint (order->status, ==, RELAY_ORDER_CANCELED);
    g_assert_cmpint (order->refunded, ==, order->price);
    g_assert_cmpint (book_ledger_sum (book, canceled), ==, 0);
  }
  {
    g_autoptr (RelayOrderRow) order = book_get (book, canceled_some);

    g_assert_cmpint (order->price, ==, checked_price (278190, 999));
    g_assert_cmpint (order->refunded, ==, checked_refund (278190, 999, 499));
    g_assert_cmpint (order->price - order->refunded, ==, checked_price (278190, 499));
  }
  {
    g_autoptr (RelayOrderRow) order = book_get (book, failed);

    g_assert_cmpint (order->status, ==, RELAY_ORDER_FAILED);
    g_assert_cmpint (order->refunded, ==, order->price);
    g_assert_cmpint (book_ledger_sum (book, failed), ==, 0);
  }
  {
    g_autoptr (RelayOrderRow) order = book_get (book, completed);

    g_assert_cmpint (order->refunded, ==, 0);
    g_assert_cmpint (book_ledger_count (book, completed, "refund"), ==, 0);
  }
  {
    g_autoptr (RelayOrderRow) order = book_get (book, over);

    g_assert_cmpint (order->status, ==, RELAY_ORDER_PARTIAL);
    g_assert_cmpint (order->refunded, ==, 0);
    g_assert_cmpint (book_ledger_count (book, over, "refund"), ==, 0);
  }
  /* Each refund points to the event of its change. */
  g_assert_cmpint (book_sql_int (book,
                                 "SELECT COUNT(*) FROM ledger l JOIN order_events e ON e.id = l.event_id "
                                 "WHERE l.kind = 'refund' AND e.order_id = l.order_id "
                                 "AND e.new_status IN ('partial', 'canceled', 'failed')", 0), ==, 4);

  /* Later replies: new numbers for a partial order (its refund follows them,
   * as one adjustment), a different status for finished ones (ignored). */
  events_before = n_events (book, partial);
  updates[0] = status_update (partial, "Partial", TRUE, 100);
  updates[1] = status_update (canceled, "Completed", TRUE, 0);
  updates[2] = status_update (failed, "Canceled", FALSE, 0);
  updates[3] = status_update (completed, "Partial", TRUE, 500);
  g_assert_true (apply (book, updates, 4, NULL));
  {
    g_autoptr (RelayOrderRow) order = book_get (book, partial);

    g_assert_cmpint (order->status, ==, RELAY_ORDER_PARTIAL);
    g_assert_cmpint (order->remains, ==, 100);
    g_assert_cmpint (order->refunded, ==, 27819);
    g_assert_cmpint (book_ledger_count (book, partial, "refund"), ==, 1);
    g_assert_cmpint (book_ledger_count (book, partial, "adjustment"), ==, 1);
    g_assert_cmpint (book_sql_int (book, "SELECT amount FROM ledger WHERE kind = 'adjustment'", 0),
                     ==, 92637 - 27819);
    g_assert_cmpint (n_events (book, partial), ==, events_before + 1);
  }
  {
    g_autoptr (RelayOrderRow) order = book_get (book, canceled);

    g_assert_cmpint (order->status, ==, RELAY_ORDER_CANCELED);
  }
  {
    g_autoptr (RelayOrderRow) order = book_get (book, completed);

    g_assert_cmpint (order->status, ==, RELAY_ORDER_COMPLETED);
    g_assert_cmpint (order->refunded, ==, 0);
  }
  g_assert_cmpint (book_sql_int (book, "SELECT COUNT(*) FROM ledger WHERE kind = 'refund'", 0), ==, 4);
  g_assert_cmpint (book_sql_int (book, "SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM ledger "
                                 "WHERE kind = 'refund' GROUP BY order_id)", 0), ==, 1);
  book_check_counts (book);
}

/* What an order's outcome says was delivered, in units. */
typedef struct
{
  gint64 id;
  gint64 client_id;
  gint64 unit_price;
  gint64 units;
  gint64 delivered;
} Expected;

static void
test_ledger_random (Book          *book,
                    gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) drafts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GArray) ids = NULL;
  g_autoptr (GPtrArray) clients = NULL;
  const guint n_orders = 10000;
  Expected *expected = g_new0 (Expected, n_orders);
  RelayStatusUpdate *updates = g_new0 (RelayStatusUpdate, n_orders);
  gint64 prices[5];
  gint64 clients_ids[3] = { 0, book->client_1, book->client_2 };
  gint64 charges = 0;
  gint64 refunds = 0;
  sqlite3_stmt *stmt = NULL;
  guint n_checked = 0;

  for (guint i = 0; i < G_N_ELEMENTS (prices); i++)
    {
      /* Up to 5 decimals per 1,000: a multiple of 10 micro-units. */
      prices[i] = g_test_rand_int_range (1, 999999) * 10;
      g_assert_true (relay_store_map_service (book->store, 60 + i, NULL, prices[i], book->catalog_a1, 0,
                                              FALSE, &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; i < n_orders; i++)
    {
      RelayOrderDraft *draft = g_new0 (RelayOrderDraft, 1);
      guint service = g_test_rand_int_range (0, G_N_ELEMENTS (prices));

      draft->service_id = 60 + service;
      draft->client_id = clients_ids[g_test_rand_int_range (0, 3)];
      draft->link = "https://x.example/random";
      draft->quantity = g_test_rand_int_range (1, 50000);
      draft->runs = g_test_rand_int_range (0, 5) == 0 ? g_test_rand_int_range (2, 10) : 0;
      expected[i].client_id = draft->client_id;
      expected[i].unit_price = prices[service];
      expected[i].units = draft->quantity * MAX (draft->runs, 1);
      g_ptr_array_add (drafts, draft);
    }
  ids = relay_store_insert_orders (book->store, drafts, "cli", &error);
  g_assert_no_error (error);

  for (guint i = 0; i < n_orders; i++)
    {
      Expected *e = &expected[i];
      g_autofree char *provider_order_id = NULL;
      gint64 remains;

      e->id = g_array_index (ids, gint64, i);
      /* One provider id names one order (issue 7): never the same twice. */
      provider_order_id = g_strdup_printf ("p%" G_GINT64_FORMAT, e->id);
      g_assert_true (relay_store_mark_sending (book->store, e->id, book->catalog_a1, &error));
      g_assert_true (relay_store_mark_sent (book->store, e->id, provider_order_id, &error));
      g_assert_no_error (error);

      remains = g_test_rand_int_range (-10, (gint32) MIN (e->units + 10, G_MAXINT32 - 1));
      switch (g_test_rand_int_range (0, 6))
        {
        case 0:
          updates[i] = status_update (e->id, "Completed", TRUE, 0);
          e->delivered = e->units;
          break;
        case 1:
          updates[i] = status_update (e->id, "Partial", TRUE, remains);
          e->delivered = CLAMP (e->units - remains, 0, e->units);
          break;
        case 2:
          updates[i] = status_update (e->id, "Canceled", TRUE, remains);
          e->delivered = CLAMP (e->units - remains, 0, e->units);
          break;
        case 3:
          updates[i] = status_update (e->id, "Refunded", FALSE, 0);
          e->delivered = 0;
          break;
        case 4:
          updates[i] = status_update (e->id, "Fail", TRUE, remains);
          e->delivered = 0;
          break;
        default:
          updates[i] = status_update (e->id, "In progress", TRUE, remains);
          e->delivered = e->units;   /* nothing refunded yet */
          break;
        }
      /* Remains no order can have are not applied (the order is held, see
       * test-store-money.c): nothing is refunded. */
      if (updates[i].has_remains && updates[i].remains > e->units)
        e->delivered = e->units;
    }
  /* As the sync does: 100 a reply, each applied in one transaction; then once more. */
  for (guint round = 0; round < 2; round++)
    for (guint i = 0; i < n_orders; i += 100)
      g_assert_true (apply (book, updates + i, MIN (100, n_orders - i), NULL));

  g_assert_cmpint (sqlite3_prepare_v2 (relay_store_get_db (book->store),
                                       "SELECT o.id, o.price, o.refunded, COALESCE (SUM(l.amount), 0), "
                                       "  COUNT(l.id) FROM orders o LEFT JOIN ledger l ON l.order_id = o.id "
                                       "WHERE o.service_id >= 60 GROUP BY o.id ORDER BY o.id",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      Expected *e = &expected[n_checked++];
      gint64 price = sqlite3_column_int64 (stmt, 1);
      gint64 refunded = sqlite3_column_int64 (stmt, 2);
      gint64 ledger = sqlite3_column_int64 (stmt, 3);
      gint64 n_entries = sqlite3_column_int64 (stmt, 4);

      g_assert_cmpint (sqlite3_column_int64 (stmt, 0), ==, e->id);
      g_assert_cmpint (price, ==, checked_price (e->unit_price, e->units));
      g_assert_cmpint (price - refunded, ==, checked_price (e->unit_price, e->delivered));
      if (e->client_id != 0)
        {
          g_assert_cmpint (ledger, ==, price - refunded);
          g_assert_cmpint (n_entries, <=, 2);
          charges += price;
          refunds += refunded;
        }
      else
        g_assert_cmpint (n_entries, ==, 0);
    }
  sqlite3_finalize (stmt);
  g_assert_cmpuint (n_checked, ==, n_orders);

  g_assert_cmpint (book_sql_int (book, "SELECT SUM(amount) FROM ledger", 0), ==, charges - refunds);
  clients = relay_store_list_clients (book->store, &error);
  g_assert_no_error (error);
  g_assert_cmpint (((RelayClientRow *) g_ptr_array_index (clients, 0))->balance
                   + ((RelayClientRow *) g_ptr_array_index (clients, 1))->balance, ==, charges - refunds);
  g_test_message ("10,000 orders: charged %" G_GINT64_FORMAT ", refunded %" G_GINT64_FORMAT " micro-units",
                  charges, refunds);

  book_check_counts (book);
  g_free (expected);
  g_free (updates);
}

static void
count_order_writes (void          *data,
                    int            op,
                    const char    *db_name,
                    const char    *table,
                    sqlite3_int64  rowid)
{
  if (op == SQLITE_UPDATE && g_str_equal (table, "orders"))
    (*(guint *) data)++;
}

/* An order that starts or ends is written once: its start and end times go
 * with its status (what the orders_started / orders_completed triggers
 * would have written by a second UPDATE of the row, and of its wide
 * orders_report entry), with the same values as its event's time. */
static void
test_one_write (Book          *book,
                gconstpointer  data)
{
  RelayStatusUpdate updates[2];
  gint64 a = book_order (book, SERVICE_PLAIN, 0, "https://x.example/w1", 1000, 0, 0);
  gint64 b = book_order (book, SERVICE_PLAIN, 0, "https://x.example/w2", 1000, 0, 0);
  guint writes = 0;

  book_send (book, a, "1");
  book_send (book, b, "2");
  sqlite3_update_hook (relay_store_get_db (book->store), count_order_writes, &writes);
  updates[0] = status_update (a, "In progress", TRUE, 400);
  apply (book, updates, 1, NULL);
  g_assert_cmpuint (writes, ==, 1);
  updates[0] = status_update (a, "Completed", TRUE, 0);
  updates[1] = status_update (b, "Completed", TRUE, 0);   /* starts and ends at once */
  writes = 0;
  apply (book, updates, 2, NULL);
  g_assert_cmpuint (writes, ==, 2);
  sqlite3_update_hook (relay_store_get_db (book->store), NULL, NULL);

  for (guint i = 0; i < 2; i++)
    {
      gint64 id = i == 0 ? a : b;

      g_assert_cmpint (book_sql_int (book, "SELECT started_at FROM orders WHERE id = ?", id), ==,
                       book_sql_int (book, "SELECT MIN (at) FROM order_events WHERE order_id = ?"
                                           " AND new_status IN ('in_progress', 'partial', 'completed')", id));
      g_assert_cmpint (book_sql_int (book, "SELECT completed_at FROM orders WHERE id = ?", id), ==,
                       book_sql_int (book, "SELECT MIN (at) FROM order_events WHERE order_id = ?"
                                           " AND new_status = 'completed'", id));
      g_assert_cmpint (book_sql_int (book, "SELECT started_at > 0 FROM orders WHERE id = ?", id), ==, 1);
    }
  g_assert_cmpint (book_sql_int (book, "SELECT started_at <= completed_at FROM orders WHERE id = ?", a),
                   ==, 1);
  book_check_counts (book);
}

void
add_sync_tests (void)
{
  g_test_add ("/store/sync/apply", Book, NULL, book_setup, test_apply_statuses, book_teardown);
  g_test_add ("/store/sync/refunds", Book, NULL, book_setup, test_refunds, book_teardown);
  g_test_add ("/store/sync/ledger-random", Book, NULL, book_setup, test_ledger_random, book_teardown);
  g_test_add ("/store/sync/one-write", Book, NULL, book_setup, test_one_write, book_teardown);
}
