/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of money and unit limits in the order book: ledgers that sum past
 * 64 bits, payments at the edge, and panels' hostile remains and charges. */
#include "test-store.h"

#include <inttypes.h>
#include <string.h>

static void
sql (Book       *book,
     const char *text)
{
  char *message = NULL;
  int rc = sqlite3_exec (relay_store_get_db (book->store), text, NULL, NULL, &message);

  if (rc != SQLITE_OK)
    g_error ("%s: %s", text, message);
}

static void
sql_int (Book       *book,
         const char *format,
         gint64      a,
         gint64      b)
{
  g_autofree char *text = g_strdup_printf (format, a, b);

  sql (book, text);
}

static RelayClientRow *
find_row (GPtrArray *rows,
          gint64     id)
{
  for (guint i = 0; i < rows->len; i++)
    {
      RelayClientRow *row = g_ptr_array_index (rows, i);

      if (row->id == id)
        return row;
    }
  g_assert_not_reached ();
}

/* A ledger summing past G_MAXINT64 made SQL's SUM() fail, and with it
 * client list, show and pay, for good. */
static void
test_ledger_beyond (Book          *book,
                    gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GPtrArray) ledger = NULL;
  g_autoptr (GPtrArray) rows_names = NULL;
  g_autoptr (RelayClientRow) one = NULL;
  g_autofree char *text = NULL;

  sql_int (book, "INSERT INTO ledger (client_id, kind, amount, at) VALUES "
                 "(%" PRId64 ", 'adjustment', 9000000000000000000, 0), "
                 "(%" PRId64 ", 'adjustment', 9000000000000000000, 0)",
           book->client_1, book->client_1);

  rows = relay_store_list_clients (book->store, &error);
  g_assert_no_error (error);
  g_assert_nonnull (rows);
  g_assert_cmpint (find_row (rows, book->client_1)->balance, ==, G_MAXINT64);
  g_assert_cmpint (find_row (rows, book->client_1)->balance_beyond, ==, 1);
  g_assert_cmpint (find_row (rows, book->client_2)->balance, ==, 0);
  g_assert_cmpint (find_row (rows, book->client_2)->balance_beyond, ==, 0);

  one = relay_store_get_client (book->store, book->client_1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (one->balance_beyond, ==, 1);
  text = relay_money_format_sum (one->balance, one->balance_beyond);
  g_test_message ("balance: %s", text);
  g_assert_nonnull (strstr (text, "9223372036854.775807"));
  g_clear_pointer (&one, relay_client_row_free);
  g_clear_pointer (&text, g_free);

  ledger = relay_store_list_ledger (book->store, book->client_1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ledger->len, ==, 2);
  g_clear_pointer (&ledger, g_ptr_array_unref);

  /* The newest entries only, oldest of them first; the names without any
   * order or ledger read (what pickers and filters need on a 1M-order book). */
  sql_int (book, "INSERT INTO ledger (client_id, kind, amount, at, note) VALUES "
                 "(%" PRId64 ", 'adjustment', -1, 0, 'newest')", book->client_1, 0);
  ledger = relay_store_list_ledger_recent (book->store, book->client_1, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ledger->len, ==, 2);
  g_assert_cmpstr (((RelayLedgerEntry *) g_ptr_array_index (ledger, 1))->note, ==, "newest");
  g_clear_pointer (&ledger, g_ptr_array_unref);
  rows_names = relay_store_list_client_names (book->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows_names->len, ==, rows->len);
  g_assert_cmpint (find_row (rows_names, book->client_1)->balance, ==, 0);
  g_assert_cmpint (find_row (rows_names, book->client_1)->n_orders, ==, 0);
  g_assert_cmpstr (find_row (rows_names, book->client_1)->name, ==,
                   find_row (rows, book->client_1)->name);
  sql_int (book, "DELETE FROM ledger WHERE note = 'newest' AND %" PRId64 " = %" PRId64, 0, 0);

  /* A payment lowers what is owed: always countable from above. */
  g_assert_true (relay_store_add_payment (book->store, book->client_1, RELAY_MICRO, NULL, &error));
  g_assert_no_error (error);
  one = relay_store_find_client (book->store, "Client One", &error);
  g_assert_no_error (error);
  g_assert_cmpint (one->balance_beyond, ==, 1);
  g_clear_pointer (&one, relay_client_row_free);

  /* And far below -G_MAXINT64. */
  sql_int (book, "INSERT INTO ledger (client_id, kind, amount, at) VALUES "
                 "(%" PRId64 ", 'adjustment', -9000000000000000000, 0), "
                 "(%" PRId64 ", 'adjustment', -9000000000000000000, 0)",
           book->client_1, book->client_1);
  sql_int (book, "INSERT INTO ledger (client_id, kind, amount, at) VALUES "
                 "(%" PRId64 ", 'adjustment', -9000000000000000000, 0), "
                 "(%" PRId64 ", 'adjustment', -9000000000000000000, 0)",
           book->client_1, book->client_1);
  one = relay_store_get_client (book->store, book->client_1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (one->balance, ==, -G_MAXINT64);
  g_assert_cmpint (one->balance_beyond, ==, -1);
  text = relay_money_format_sum (one->balance, one->balance_beyond);
  g_assert_nonnull (strstr (text, "-9223372036854.775807"));
}

/* A payment that would take a balance below -G_MAXINT64 is refused with a
 * clear reason; one that keeps it countable is recorded. */
static void
test_payment_limit (Book          *book,
                    gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RelayClientRow) two = NULL;

  /* -G_MAXINT64 + 10,005: 0.01 fits, 0.02 does not (payments are whole
   * cents, see test_payment_decimals). */
  sql_int (book, "INSERT INTO ledger (client_id, kind, amount, at) VALUES "
                 "(%" PRId64 ", 'adjustment', -9223372036854765802, %" PRId64 ")",
           book->client_2, 0);

  g_assert_false (relay_store_add_payment (book->store, book->client_2, 20000, NULL, &error));
  g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  g_assert_true (relay_store_add_payment (book->store, book->client_2, 10000, NULL, &error));
  g_assert_no_error (error);
  two = relay_store_get_client (book->store, book->client_2, &error);
  g_assert_no_error (error);
  g_assert_cmpint (two->balance, ==, -G_MAXINT64 + 5);
  g_assert_cmpint (two->balance_beyond, ==, 0);

  g_assert_false (relay_store_add_payment (book->store, book->client_2, 10000, NULL, &error));
  g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE);
  g_clear_error (&error);

  /* One payment above the largest amount there is. */
  g_assert_false (relay_store_add_payment (book->store, book->client_1,
                                           RELAY_MONEY_MAX_AMOUNT + 1, NULL, &error));
  g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE);
  g_assert_cmpint (book_sql_int (book, "SELECT COUNT(*) FROM ledger WHERE client_id = ?",
                                 book->client_1), ==, 0);
}

/* Issue 8: a payment of 12.345 USD was recorded, the ledger showed -12.35
 * and the balance 12.31.  The store refuses fractions of the book's
 * currency's smallest coin, naming its decimals, and records nothing. */
static void
test_payment_decimals (Book          *book,
                       gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *currency = NULL;

  g_assert_null (relay_store_dup_book_currency (book->store));
  g_assert_false (relay_store_add_payment (book->store, book->client_1, 12345000, NULL, &error));
  g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "2 decimals"));
  g_clear_error (&error);

  sql_int (book, "UPDATE providers SET currency = 'JPY' WHERE id IN (%" PRId64 ", %" PRId64 ")",
           book->provider_a, book->provider_b);
  currency = relay_store_dup_book_currency (book->store);
  g_assert_cmpstr (currency, ==, "JPY");
  g_assert_false (relay_store_add_payment (book->store, book->client_1, 1500000, NULL, &error));
  g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "JPY"));
  g_clear_error (&error);
  g_assert_cmpint (book_sql_int (book, "SELECT COUNT(*) FROM ledger WHERE client_id = ?",
                                 book->client_1), ==, 0);

  g_assert_true (relay_store_add_payment (book->store, book->client_1, 12000000, NULL, &error));
  g_assert_no_error (error);
}

/* Issue 8 (T8 #4): a scheduled order showed its charge as "6.75" (no
 * currency) because only a sent order has one of its own; it is read as its
 * provider's until then, and an order's own currency still wins. */
static void
test_unsent_order_currency (Book          *book,
                            gconstpointer  data)
{
  g_autoptr (RelayOrderRow) scheduled = NULL;
  g_autoptr (RelayOrderRow) own = NULL;
  gint64 later = g_get_real_time () / G_USEC_PER_SEC + 3600;
  gint64 id;

  sql_int (book, "UPDATE providers SET currency = 'USD' WHERE id IN (%" PRId64 ", %" PRId64 ")",
           book->provider_a, book->provider_b);
  id = book_order (book, SERVICE_PLAIN, book->client_1, "https://x.example/p/s", 1000, 0, later);
  scheduled = book_get (book, id);
  g_assert_cmpstr (relay_order_status_to_string (scheduled->status), ==, "scheduled");
  g_assert_cmpstr (scheduled->currency, ==, "USD");

  sql_int (book, "UPDATE orders SET currency = 'EUR' WHERE id = %" PRId64 " AND %" PRId64 " = 0",
           id, 0);
  own = book_get (book, id);
  g_assert_cmpstr (own->currency, ==, "EUR");
}

static void
apply_one (Book              *book,
           RelayStatusUpdate *update)
{
  g_autoptr (GPtrArray) array = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;

  g_ptr_array_add (array, update);
  g_assert_true (relay_store_apply_statuses (book->store, array, NULL, &error));
  g_assert_no_error (error);
}

static gboolean
events_mention (Book       *book,
                gint64      order_id,
                const char *needle)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) events = relay_store_list_order_events (book->store, order_id, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    {
      RelayOrderEvent *event = g_ptr_array_index (events, i);

      if (event->detail != NULL && strstr (event->detail, needle) != NULL)
        return TRUE;
    }
  return FALSE;
}

/* remains -9223372036854775807 on a Partial order: units - remains
 * overflowed and the old code refunded the whole price. */
static void
test_hostile_remains (Book          *book,
                      gconstpointer  data)
{
  gint64 id = book_order (book, SERVICE_PLAIN, book->client_1, "https://x.example/a", 1000, 0, 0);
  RelayStatusUpdate update;
  g_autoptr (RelayOrderRow) order = NULL;
  gint64 refund = -1;

  book_send (book, id, "77");

  update = status_update (id, "Partial", TRUE, -G_GINT64_CONSTANT (9223372036854775807));
  apply_one (book, &update);
  order = book_get (book, id);
  g_assert_cmpint (order->status, ==, RELAY_ORDER_PENDING);
  g_assert_cmpint (order->refunded, ==, 0);
  g_assert_false (order->has_remains);
  g_assert_cmpint (book_ledger_count (book, id, "refund"), ==, 0);
  g_assert_nonnull (order->error);
  g_assert_nonnull (strstr (order->error, "-9223372036854775807"));
  g_assert_true (events_mention (book, id, "-9223372036854775807"));
  g_clear_pointer (&order, relay_order_row_free);

  /* More remains than the order has: held too, with the new words. */
  update = status_update (id, "Partial", TRUE, 1001);
  apply_one (book, &update);
  order = book_get (book, id);
  g_assert_cmpint (order->status, ==, RELAY_ORDER_PENDING);
  g_assert_cmpint (order->refunded, ==, 0);
  g_assert_nonnull (strstr (order->error, "1001"));
  g_clear_pointer (&order, relay_order_row_free);

  /* The next sane reply applies as usual and clears the words. */
  update = status_update (id, "Partial", TRUE, 400);
  apply_one (book, &update);
  order = book_get (book, id);
  g_assert_cmpint (order->status, ==, RELAY_ORDER_PARTIAL);
  g_assert_null (order->error);
  g_assert_true (relay_money_refund (500000, 1000, 600, &refund, NULL));
  g_assert_cmpint (order->refunded, ==, refund);
  g_assert_cmpint (order->refunded, <=, order->price);
  g_assert_cmpint (book_ledger_sum (book, id), ==, order->price - refund);
}

/* Over-delivery (negative remains, up to the most units an order may have)
 * is real: the order counts as fully delivered, nothing is refunded. */
static void
test_over_delivery (Book          *book,
                    gconstpointer  data)
{
  gint64 id = book_order (book, SERVICE_PLAIN, book->client_1, "https://x.example/b", 1000, 0, 0);
  RelayStatusUpdate update;
  g_autoptr (RelayOrderRow) order = NULL;

  book_send (book, id, "78");
  update = status_update (id, "Partial", TRUE, -5000);
  apply_one (book, &update);
  order = book_get (book, id);
  g_assert_cmpint (order->status, ==, RELAY_ORDER_PARTIAL);
  g_assert_cmpint (order->remains, ==, -5000);
  g_assert_cmpint (order->refunded, ==, 0);
  g_assert_null (order->error);
  g_assert_cmpint (book_ledger_sum (book, id), ==, order->price);
}

/* A negative charge, or one beyond any amount, is not the panel's charge. */
static void
test_hostile_charge (Book          *book,
                     gconstpointer  data)
{
  static const gint64 charges[] = { -1, RELAY_MONEY_MAX_AMOUNT + 1, G_MININT64 };
  gint64 id = book_order (book, SERVICE_PLAIN, book->client_1, "https://x.example/c", 1000, 0, 0);

  book_send (book, id, "79");
  for (guint i = 0; i < G_N_ELEMENTS (charges); i++)
    {
      RelayStatusUpdate update = status_update (id, "Canceled", TRUE, 1000);
      g_autoptr (RelayOrderRow) order = NULL;

      update.has_charge = TRUE;
      update.charge = charges[i];
      apply_one (book, &update);
      order = book_get (book, id);
      g_assert_cmpint (order->status, ==, RELAY_ORDER_PENDING);
      g_assert_false (order->has_charge);
      g_assert_cmpint (order->refunded, ==, 0);
      g_assert_nonnull (order->error);
      g_assert_nonnull (strstr (order->error, "charge"));
    }
}

/* Numbers already in a book (written before these checks) never make a
 * refund above the charge or below zero, nor overflow. */
static void
test_hostile_book (Book          *book,
                   gconstpointer  data)
{
  gint64 id = book_order (book, SERVICE_PLAIN, book->client_1, "https://x.example/d", 1000, 0, 0);
  gint64 id2 = book_order (book, SERVICE_PLAIN, book->client_1, "https://x.example/e", 1000, 0, 0);
  gint64 id3 = book_order (book, SERVICE_PLAIN, book->client_1, "https://x.example/f", 1000, 0, 0);
  RelayStatusUpdate updates[3];
  g_autoptr (GPtrArray) array = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (RelayOrderRow) order = NULL;
  g_autoptr (RelayOrderRow) order2 = NULL;
  g_autoptr (RelayOrderRow) order3 = NULL;

  book_send (book, id, "80");
  book_send (book, id2, "81");
  book_send (book, id3, "82");
  sql_int (book, "UPDATE orders SET remains = -9223372036854775807 WHERE id = %" PRId64
                 " OR id = %" PRId64, id, id);
  /* An order whose units cannot be priced must not spoil the others. */
  sql_int (book, "UPDATE orders SET quantity = 9000000000000000000, runs = 3 WHERE id = %" PRId64
                 " OR id = %" PRId64, id2, id2);

  updates[0] = status_update (id, "Canceled", FALSE, 0);
  updates[1] = status_update (id2, "Canceled", TRUE, 5);
  updates[2] = status_update (id3, "Canceled", TRUE, 1000);
  for (guint i = 0; i < G_N_ELEMENTS (updates); i++)
    g_ptr_array_add (array, &updates[i]);
  g_assert_true (relay_store_apply_statuses (book->store, array, NULL, &error));
  g_assert_no_error (error);

  order = book_get (book, id);
  g_assert_cmpint (order->status, ==, RELAY_ORDER_CANCELED);
  g_assert_cmpint (order->refunded, ==, 0);   /* remains <= 0: all delivered */
  order2 = book_get (book, id2);
  g_assert_cmpint (order2->status, ==, RELAY_ORDER_PENDING);
  g_assert_cmpint (order2->refunded, ==, 0);
  g_assert_nonnull (order2->error);
  order3 = book_get (book, id3);
  g_assert_cmpint (order3->status, ==, RELAY_ORDER_CANCELED);
  g_assert_cmpint (order3->refunded, ==, order3->price);
}

void
add_money_tests (void)
{
  g_test_add ("/store/money/ledger-beyond-int64", Book, NULL, book_setup, test_ledger_beyond,
              book_teardown);
  g_test_add ("/store/money/payment-limit", Book, NULL, book_setup, test_payment_limit,
              book_teardown);
  g_test_add ("/store/money/payment-decimals", Book, NULL, book_setup, test_payment_decimals,
              book_teardown);
  g_test_add ("/store/money/unsent-order-currency", Book, NULL, book_setup,
              test_unsent_order_currency, book_teardown);
  g_test_add ("/store/money/hostile-remains", Book, NULL, book_setup, test_hostile_remains,
              book_teardown);
  g_test_add ("/store/money/over-delivery", Book, NULL, book_setup, test_over_delivery,
              book_teardown);
  g_test_add ("/store/money/hostile-charge", Book, NULL, book_setup, test_hostile_charge,
              book_teardown);
  g_test_add ("/store/money/hostile-book", Book, NULL, book_setup, test_hostile_book,
              book_teardown);
}
