/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of recording orders and of the dispatch state machine, including two
 * processes racing for the same order and the review queue. */
#include <string.h>

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

static GPtrArray *
events_of (Book   *book,
           gint64  order_id)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *events = relay_store_list_order_events (book->store, order_id, &error);

  g_assert_no_error (error);
  return events;
}

static RelayOrderEvent *
last_event (GPtrArray *events)
{
  g_assert_cmpuint (events->len, >, 0);
  return g_ptr_array_index (events, events->len - 1);
}

static void
test_insert_states (Book          *book,
                    gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) drafts = g_ptr_array_new ();
  g_autoptr (GArray) ids = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  RelayOrderDraft manual = { SERVICE_MANUAL, 0, "https://x.example/a", 1234, NULL, 0, 0, 0 };
  RelayOrderDraft scheduled = { SERVICE_PLAIN, 0, "https://x.example/b", 1000, NULL, 0, 0, 0 };
  RelayOrderDraft normal = { SERVICE_OTHER, 0, "https://x.example/c", 10, "{\"comments\":\"a\"}", 0, 0, 0 };
  RelayOrderStatus expected[] = { RELAY_ORDER_NEEDS_REVIEW, RELAY_ORDER_SCHEDULED, RELAY_ORDER_QUEUED };

  manual.client_id = book->client_1;
  scheduled.client_id = book->client_2;
  scheduled.scheduled_at = now + 3600;
  normal.client_id = book->client_1;
  g_ptr_array_add (drafts, &manual);
  g_ptr_array_add (drafts, &scheduled);
  g_ptr_array_add (drafts, &normal);
  ids = relay_store_insert_orders (book->store, drafts, "user", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 3);
  g_assert_cmpuint (book->n_commits, ==, 1);
  g_assert_cmpuint (book->n_orders_changed, ==, 1);
  g_assert_cmpuint (book->orders_changed_ids->len, ==, 3);
  g_assert_cmpuint (book->n_clients_changed, ==, 1);

  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      g_autoptr (RelayOrderRow) order = book_get (book, id);
      g_autoptr (GPtrArray) events = events_of (book, id);
      RelayOrderEvent *event;

      g_assert_true (book_ids_contain (book->orders_changed_ids, id));
      g_assert_cmpint (order->status, ==, expected[i]);
      g_assert_cmpuint (events->len, ==, 1);
      event = g_ptr_array_index (events, 0);
      g_assert_false (event->has_old_status);
      g_assert_cmpint (event->new_status, ==, expected[i]);
      g_assert_cmpstr (event->source, ==, "user");
      g_assert_cmpint (book_ledger_count (book, id, "charge"), ==, 1);
      g_assert_cmpint (book_ledger_sum (book, id), ==, order->price);
      g_assert_cmpint (order->refunded, ==, 0);
      g_assert_cmpint (order->created_at, >=, now);
      g_assert_cmpint (order->provider_id, ==, i == 2 ? book->provider_b : book->provider_a);
    }
  {
    g_autoptr (RelayOrderRow) order = book_get (book, g_array_index (ids, gint64, 0));

    g_assert_cmpstr (order->review_reason, ==, RELAY_REVIEW_AWAITING_APPROVAL);
    g_assert_cmpstr (order->review_reason, ==, "awaiting approval");
    g_assert_cmpint (order->price, ==, 1523459);          /* 1.23457 x 1,234 / 1,000 */
    g_assert_cmpstr (order->service_name, ==, "Manual followers");
    g_assert_cmpstr (order->client_name, ==, "Client One");
    g_assert_cmpstr (order->provider_service_id, ==, "1");
    g_assert_true (order->can_refill);
    g_assert_false (order->can_cancel);
  }
  {
    g_autoptr (RelayOrderRow) order = book_get (book, g_array_index (ids, gint64, 1));

    g_assert_cmpint (order->scheduled_at, ==, now + 3600);
    g_assert_cmpint (order->next_attempt_at, ==, now + 3600);
  }
  {
    g_autoptr (RelayOrderRow) order = book_get (book, g_array_index (ids, gint64, 2));

    g_assert_cmpstr (order->extra_json, ==, "{\"comments\":\"a\"}");
    g_assert_cmpint (order->price, ==, 20000);
  }
  {
    g_autoptr (RelayClientRow) client = relay_store_get_client (book->store, book->client_1, &error);

    g_assert_cmpint (client->balance, ==, 1523459 + 20000);
  }

  /* A draft naming a missing service or client records nothing at all. */
  book_reset_signals (book);
  normal.service_id = 99;
  g_clear_pointer (&ids, g_array_unref);
  ids = relay_store_insert_orders (book->store, drafts, "user", &error);
  g_assert_null (ids);
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "Order 3 of 3: No service with id 99");
  g_clear_error (&error);
  normal.service_id = SERVICE_OTHER;
  normal.client_id = 77;
  ids = relay_store_insert_orders (book->store, drafts, "user", &error);
  g_assert_null (ids);
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (book_sql_int (book, "SELECT COUNT(*) FROM orders", 0), ==, 3);
  g_assert_cmpint (book_sql_int (book, "SELECT COUNT(*) FROM ledger", 0), ==, 3);
  g_assert_cmpuint (book->n_orders_changed, ==, 0);
}

static void
test_price_arithmetic (Book          *book,
                       gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  gint64 drip;
  gint64 half;

  g_assert_true (relay_store_map_service (book->store, 30, "Drip", 7770, book->catalog_a1, 0, FALSE, &error));
  g_assert_true (relay_store_map_service (book->store, 31, "Half", 1500, book->catalog_a1, 0, FALSE, &error));
  g_assert_no_error (error);

  /* 0.00777 per 1,000 for 1,001 a run over 3 runs: 3,003 units. */
  drip = book_order (book, 30, book->client_1, "https://x.example/d", 1001, 3, 0);
  /* 0.0015 per 1,000 for one unit is 1.5 micro: half up gives 2. */
  half = book_order (book, 31, book->client_1, "https://x.example/h", 1, 0, 0);
  {
    g_autoptr (RelayOrderRow) order = book_get (book, drip);

    g_assert_cmpint (order->price, ==, 23333);
    g_assert_cmpint (order->price, ==, checked_price (7770, 3003));
    g_assert_cmpint (order->runs, ==, 3);
    g_assert_cmpint (order->interval, ==, 10);
  }
  {
    g_autoptr (RelayOrderRow) order = book_get (book, half);

    g_assert_cmpint (order->price, ==, 2);
  }

  /* The cost is the provider's rate over the same units, when it is sent. */
  book_send (book, drip, "5001");
  {
    g_autoptr (RelayOrderRow) order = book_get (book, drip);

    g_assert_cmpint (order->cost, ==, 835405);              /* 0.27819 x 3,003 / 1,000 */
  }
}

static void
test_mass_order_one_commit (Book          *book,
                            gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) drafts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GArray) ids = NULL;

  for (guint i = 0; i < 1000; i++)
    {
      RelayOrderDraft *draft = g_new0 (RelayOrderDraft, 1);

      draft->service_id = i % 2 ? SERVICE_PLAIN : SERVICE_OTHER;
      draft->client_id = book->client_1;
      draft->link = "https://x.example/mass";
      draft->quantity = 100 + i;
      g_ptr_array_add (drafts, draft);
    }
  ids = relay_store_insert_orders (book->store, drafts, "cli", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 1000);
  g_assert_cmpuint (book->n_commits, ==, 1);
  g_assert_cmpuint (book->n_orders_changed, ==, 1);
  g_assert_cmpint (book_sql_int (book, "SELECT COUNT(*) FROM ledger WHERE kind = 'charge'", 0), ==, 1000);
  g_assert_cmpint (book_sql_int (book, "SELECT COUNT(*) FROM order_events WHERE source = 'cli'", 0), ==, 1000);
  for (guint i = 1; i < ids->len; i++)
    g_assert_cmpint (g_array_index (ids, gint64, i), >, g_array_index (ids, gint64, i - 1));
}

static void
test_dispatch_path (Book          *book,
                    gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) due = NULL;
  g_autoptr (GPtrArray) events = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 id = book_order (book, SERVICE_PLAIN, book->client_1, "https://x.example/p", 1234, 0, 0);
  RelayOrderEvent *event;

  due = relay_store_list_due_orders (book->store, now + 1, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (due->len, ==, 1);
  g_assert_cmpint (((RelayOrderRow *) g_ptr_array_index (due, 0))->id, ==, id);

  book_reset_signals (book);
  g_assert_true (relay_store_mark_sending (book->store, id, book->catalog_a1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (book->n_commits, ==, 1);
  g_assert_cmpuint (book->n_orders_changed, ==, 1);
  g_assert_cmpint (g_array_index (book->orders_changed_ids, gint64, 0), ==, id);
  {
    g_autoptr (RelayOrderRow) order = book_get (book, id);

    g_assert_cmpint (order->status, ==, RELAY_ORDER_SENDING);
    g_assert_cmpint (order->cost, ==, 343286);
  }

  /* A second claim, as from another dispatcher, is refused. */
  g_assert_false (relay_store_mark_sending (book->store, id, book->catalog_a1, &error));
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_STATE);
  g_assert_cmpstr (strstr (error->message, "only queued orders can be sent"), !=, NULL);
  g_clear_error (&error);
  g_clear_pointer (&due, g_ptr_array_unref);
  due = relay_store_list_due_orders (book->store, now + 1, 10, &error);
  g_assert_cmpuint (due->len, ==, 0);

  g_assert_false (relay_store_mark_failed (book->store, 4242, "x", "dispatch", &error));
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (relay_store_mark_sent (book->store, id, "23501", &error));
  g_assert_no_error (error);
  {
    g_autoptr (RelayOrderRow) order = book_get (book, id);

    g_assert_cmpint (order->status, ==, RELAY_ORDER_PENDING);
    g_assert_cmpstr (order->provider_order_id, ==, "23501");
    g_assert_cmpint (order->sent_at, >=, now);
  }
  g_assert_false (relay_store_mark_sent (book->store, id, "23502", &error));
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_STATE);
  g_clear_error (&error);
  g_assert_false (relay_store_mark_failed (book->store, id, "late", "dispatch", &error));
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_STATE);
  g_clear_error (&error);
  g_assert_false (relay_store_mark_sending (book->store, id, book->catalog_a1, &error));
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_STATE);
  {
    g_autofree char *expected = g_strdup_printf ("Order %" G_GINT64_FORMAT " is pending; only queued orders can be sent",
                                                 id);

    g_assert_cmpstr (error->message, ==, expected);
  }
  g_clear_error (&error);

  events = events_of (book, id);
  g_assert_cmpuint (events->len, ==, 3);
  event = g_ptr_array_index (events, 1);
  g_assert_cmpint (event->old_status, ==, RELAY_ORDER_QUEUED);
  g_assert_cmpint (event->new_status, ==, RELAY_ORDER_SENDING);
  g_assert_cmpstr (event->source, ==, "dispatch");
  event = g_ptr_array_index (events, 2);
  g_assert_true (event->has_old_status);
  g_assert_cmpint (event->old_status, ==, RELAY_ORDER_SENDING);
  g_assert_cmpint (event->new_status, ==, RELAY_ORDER_PENDING);
  g_assert_cmpstr (event->detail, ==, "23501");
}

/* Two connections to one file, as the app and the CLI: one claim wins. */
static void
test_two_processes (Book          *book,
                    gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RelayStore) other = relay_store_open (relay_store_get_path (book->store), &error);
  gint64 id = book_order (book, SERVICE_PLAIN, 0, "https://x.example/p", 100, 0, 0);

  g_assert_no_error (error);
  {
    g_autoptr (RelayOrderRow) seen = relay_store_get_order (other, id, &error);

    g_assert_no_error (error);
    g_assert_cmpint (seen->status, ==, RELAY_ORDER_QUEUED);
  }
  g_assert_true (relay_store_mark_sending (other, id, book->catalog_a1, &error));
  g_assert_no_error (error);
  g_assert_false (relay_store_mark_sending (book->store, id, book->catalog_a1, &error));
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_STATE);
  g_assert_cmpint (book_sql_int (book, "SELECT COUNT(*) FROM order_events WHERE order_id = ? "
                                 "AND new_status = 'sending'", id), ==, 1);
}

static void
test_requeue_and_review (Book          *book,
                         gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 id = book_order (book, SERVICE_PLAIN, book->client_1, "https://x.example/p", 1000, 0, 0);
  gint64 price;

  /* Not sent (connection refused): queued again, on the fallback. */
  g_assert_true (relay_store_mark_sending (book->store, id, book->catalog_a1, &error));
  g_assert_true (relay_store_requeue (book->store, id, book->catalog_a2, now + 30,
                                      "failover: Service is disabled", &error));
  g_assert_no_error (error);
  {
    g_autoptr (RelayOrderRow) order = book_get (book, id);
    g_autoptr (GPtrArray) early = relay_store_list_due_orders (book->store, now, 10, &error);
    g_autoptr (GPtrArray) late = relay_store_list_due_orders (book->store, now + 30, 10, &error);

    g_assert_cmpint (order->status, ==, RELAY_ORDER_QUEUED);
    g_assert_cmpint (order->attempts, ==, 1);
    g_assert_cmpint (order->next_attempt_at, ==, now + 30);
    g_assert_cmpint (order->catalog_id, ==, book->catalog_a2);
    g_assert_cmpstr (order->provider_service_id, ==, "2");
    g_assert_cmpuint (early->len, ==, 0);
    g_assert_cmpuint (late->len, ==, 1);
  }

  /* Unknown outcome: review. */
  g_assert_true (relay_store_mark_sending (book->store, id, book->catalog_a2, &error));
  {
    g_autoptr (RelayOrderRow) order = book_get (book, id);

    g_assert_cmpint (order->cost, ==, 300000);
  }
  g_assert_true (relay_store_mark_needs_review (book->store, id, "timed out after sending", &error));
  g_assert_no_error (error);
  {
    g_autoptr (GPtrArray) review = relay_store_list_review (book->store, &error);
    g_autoptr (RelayOrderRow) order = book_get (book, id);

    g_assert_cmpuint (review->len, ==, 1);
    g_assert_cmpstr (order->review_reason, ==, "timed out after sending");
  }
  g_assert_false (relay_store_mark_needs_review (book->store, id, "again", &error));
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_STATE);
  g_clear_error (&error);

  /* "It was not placed, send it again". */
  g_assert_true (relay_store_review_not_placed (book->store, id, TRUE, &error));
  g_assert_no_error (error);
  {
    g_autoptr (RelayOrderRow) order = book_get (book, id);
    g_autoptr (GPtrArray) events = events_of (book, id);

    g_assert_cmpint (order->status, ==, RELAY_ORDER_QUEUED);
    g_assert_null (order->review_reason);
    g_assert_cmpstr (last_event (events)->source, ==, "user");
    g_assert_cmpint (last_event (events)->old_status, ==, RELAY_ORDER_NEEDS_REVIEW);
  }

  /* Review again, then "it was not placed" and no resend: failed, refunded once. */
  g_assert_true (relay_store_mark_sending (book->store, id, book->catalog_a1, &error));
  g_assert_true (relay_store_mark_needs_review (book->store, id, "connection dropped", &error));
  book_reset_signals (book);
  g_assert_true (relay_store_review_not_placed (book->store, id, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (book->n_clients_changed, ==, 1);
  {
    g_autoptr (RelayOrderRow) order = book_get (book, id);
    g_autoptr (GPtrArray) events = events_of (book, id);

    price = order->price;
    g_assert_cmpint (order->status, ==, RELAY_ORDER_FAILED);
    g_assert_cmpint (order->refunded, ==, price);
    g_assert_cmpint (book_ledger_count (book, id, "refund"), ==, 1);
    g_assert_cmpint (book_ledger_sum (book, id), ==, 0);
    /* The refund points to the event of the change. */
    g_assert_cmpint (book_sql_int (book, "SELECT event_id FROM ledger WHERE order_id = ? AND kind = 'refund'", id),
                     ==, last_event (events)->id);
  }
  g_assert_false (relay_store_review_not_placed (book->store, id, FALSE, &error));
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_STATE);
  g_clear_error (&error);
  g_assert_false (relay_store_mark_failed (book->store, id, "twice", "dispatch", &error));
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_STATE);
  g_clear_error (&error);
  g_assert_cmpint (book_ledger_count (book, id, "refund"), ==, 1);
  g_assert_cmpint (book_ledger_sum (book, id), ==, 0);
}

static void
test_mark_failed (Book          *book,
                  gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  gint64 id = book_order (book, SERVICE_OTHER, book->client_2, "https://x.example/p", 333, 0, 0);
  gint64 scheduled = book_order (book, SERVICE_OTHER, 0, "https://x.example/p", 10, 0,
                                 g_get_real_time () / G_USEC_PER_SEC + 600);

  g_assert_true (relay_store_mark_sending (book->store, id, book->catalog_b9, &error));
  g_assert_true (relay_store_mark_failed (book->store, id, "Incorrect link", "dispatch", &error));
  g_assert_no_error (error);
  {
    g_autoptr (RelayOrderRow) order = book_get (book, id);
    g_autoptr (GPtrArray) events = events_of (book, id);

    g_assert_cmpint (order->status, ==, RELAY_ORDER_FAILED);
    g_assert_cmpstr (order->error, ==, "Incorrect link");
    g_assert_cmpint (order->price, ==, 666000);
    g_assert_cmpint (order->refunded, ==, 666000);
    g_assert_cmpstr (last_event (events)->detail, ==, "Incorrect link");
  }
  g_assert_cmpint (book_ledger_sum (book, id), ==, 0);

  /* A scheduled order can be called off; without a client there is no ledger. */
  g_assert_true (relay_store_mark_failed (book->store, scheduled, "canceled by me", "user", &error));
  g_assert_no_error (error);
  {
    g_autoptr (RelayOrderRow) order = book_get (book, scheduled);

    g_assert_cmpint (order->refunded, ==, order->price);
  }
  g_assert_cmpint (book_ledger_count (book, scheduled, "refund"), ==, 0);
}

static void
test_scheduled (Book          *book,
                gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 id = book_order (book, SERVICE_PLAIN, 0, "https://x.example/p", 100, 0, now + 100);
  g_autoptr (GPtrArray) before = NULL;
  g_autoptr (GPtrArray) after = NULL;

  before = relay_store_list_due_orders (book->store, now, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (before->len, ==, 0);
  book_reset_signals (book);
  after = relay_store_list_due_orders (book->store, now + 200, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (after->len, ==, 1);
  g_assert_cmpint (((RelayOrderRow *) g_ptr_array_index (after, 0))->status, ==, RELAY_ORDER_QUEUED);
  g_assert_true (book_ids_contain (book->orders_changed_ids, id));
  {
    g_autoptr (GPtrArray) events = events_of (book, id);

    g_assert_cmpint (last_event (events)->old_status, ==, RELAY_ORDER_SCHEDULED);
    g_assert_cmpint (last_event (events)->new_status, ==, RELAY_ORDER_QUEUED);
  }
}

static void
test_recover_interrupted (Book          *book,
                          gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  gint64 ids[3];
  gint64 untouched = book_order (book, SERVICE_PLAIN, 0, "https://x.example/q", 100, 0, 0);

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      ids[i] = book_order (book, SERVICE_PLAIN, book->client_1, "https://x.example/p", 100 + i, 0, 0);
      /* Why it waited before: no longer true once it is being sent. */
      g_assert_true (relay_store_note_unsent (book->store, &ids[i], 1,
                                              "Waiting for funds at A (needs 1.00 USD, has 0.50 USD)",
                                              NULL, &error));
      g_assert_no_error (error);
      g_assert_true (relay_store_mark_sending (book->store, ids[i], book->catalog_a1, &error));
      g_assert_no_error (error);
    }
  book_reset_signals (book);
  g_assert_cmpuint (relay_store_recover_interrupted (book->store, &error), ==, 3);
  g_assert_no_error (error);
  g_assert_cmpuint (book->n_orders_changed, ==, 1);
  g_assert_cmpuint (book->orders_changed_ids->len, ==, 3);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr (RelayOrderRow) order = book_get (book, ids[i]);
      g_autoptr (GPtrArray) events = events_of (book, ids[i]);

      g_assert_cmpint (order->status, ==, RELAY_ORDER_NEEDS_REVIEW);
      g_assert_cmpstr (order->review_reason, ==,
                       "the app stopped while this order was being sent; check the provider's panel");
      g_assert_null (order->error);
      g_assert_cmpstr (last_event (events)->source, ==, "startup");
      g_assert_cmpint (last_event (events)->old_status, ==, RELAY_ORDER_SENDING);
    }
  {
    g_autoptr (RelayOrderRow) order = book_get (book, untouched);

    g_assert_cmpint (order->status, ==, RELAY_ORDER_QUEUED);
  }
  g_assert_cmpuint (relay_store_recover_interrupted (book->store, &error), ==, 0);
  g_assert_no_error (error);
  book_check_counts (book);

  /* "It was placed" after all. */
  g_assert_true (relay_store_review_placed (book->store, ids[0], "777", &error));
  g_assert_no_error (error);
  {
    g_autoptr (RelayOrderRow) order = book_get (book, ids[0]);

    g_assert_cmpint (order->status, ==, RELAY_ORDER_PENDING);
    g_assert_cmpstr (order->provider_order_id, ==, "777");
    g_assert_cmpint (order->sent_at, >, 0);
    g_assert_null (order->review_reason);
  }
  g_assert_false (relay_store_review_placed (book->store, ids[0], "778", &error));
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_STATE);
  g_clear_error (&error);
  g_assert_false (relay_store_review_placed (book->store, ids[1], "", &error));
  g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID);
}

static void
test_approval (Book          *book,
               gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 id = book_order (book, SERVICE_MANUAL, book->client_1, "https://x.example/p", 100, 0, 0);
  gint64 later = book_order (book, SERVICE_MANUAL, 0, "https://x.example/p", 100, 0, now + 900);
  gint64 placed = book_order (book, SERVICE_MANUAL, 0, "https://x.example/p", 1234, 0, 0);

  g_assert_true (relay_store_review_not_placed (book->store, id, TRUE, &error));
  g_assert_no_error (error);
  {
    g_autoptr (RelayOrderRow) order = book_get (book, id);
    g_autoptr (GPtrArray) events = events_of (book, id);

    g_assert_cmpint (order->status, ==, RELAY_ORDER_QUEUED);
    g_assert_cmpstr (last_event (events)->detail, ==, "approved");
  }
  /* Approved before its time: it waits for it. */
  g_assert_true (relay_store_review_not_placed (book->store, later, TRUE, &error));
  {
    g_autoptr (RelayOrderRow) order = book_get (book, later);

    g_assert_cmpint (order->status, ==, RELAY_ORDER_SCHEDULED);
    g_assert_cmpint (order->next_attempt_at, ==, now + 900);
  }
  /* Placed by hand on the panel: the cost is recorded then. */
  g_assert_true (relay_store_review_placed (book->store, placed, "900", &error));
  {
    g_autoptr (RelayOrderRow) order = book_get (book, placed);

    g_assert_cmpint (order->cost, ==, 343286);
  }
}

static void
test_notes_and_refills (Book          *book,
                        gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  gint64 id = book_order (book, SERVICE_PLAIN, 0, "https://x.example/p", 100, 0, 0);
  g_autoptr (GPtrArray) refills = NULL;
  g_autoptr (GPtrArray) active = NULL;
  RelayRefillRow *refill;

  book_send (book, id, "42");
  book_reset_signals (book);
  g_assert_true (relay_store_add_order_note (book->store, id, "user", "refill requested", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (book->n_orders_changed, ==, 1);
  {
    g_autoptr (GPtrArray) events = events_of (book, id);
    RelayOrderEvent *event = last_event (events);

    g_assert_false (event->has_old_status);
    g_assert_cmpint (event->new_status, ==, RELAY_ORDER_PENDING);
    g_assert_cmpstr (event->detail, ==, "refill requested");
  }
  g_assert_false (relay_store_add_order_note (book->store, 999, "user", "x", &error));
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (relay_store_add_refill (book->store, id, "r-1", &error));
  g_assert_true (relay_store_add_refill (book->store, id, "r-2", &error));
  g_assert_no_error (error);
  refills = relay_store_list_refills (book->store, id, &error);
  g_assert_cmpuint (refills->len, ==, 2);
  refill = g_ptr_array_index (refills, 0);
  g_assert_cmpstr (refill->status, ==, "requested");
  g_assert_cmpstr (refill->provider_refill_id, ==, "r-1");

  g_assert_true (relay_store_set_refill_status (book->store, refill->id, "Completed", NULL, &error));
  g_assert_true (relay_store_set_refill_status (book->store, refill->id + 1, "In progress", NULL, &error));
  g_assert_no_error (error);
  active = relay_store_list_active_refills (book->store, &error);
  g_assert_cmpuint (active->len, ==, 1);
  g_assert_cmpstr (((RelayRefillRow *) g_ptr_array_index (active, 0))->status, ==, "In progress");
  g_assert_false (relay_store_set_refill_status (book->store, 999, "Completed", NULL, &error));
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_NOT_FOUND);
}

void
add_orders_tests (void)
{
  g_test_add ("/store/orders/insert-states", Book, NULL, book_setup, test_insert_states, book_teardown);
  g_test_add ("/store/orders/price", Book, NULL, book_setup, test_price_arithmetic, book_teardown);
  g_test_add ("/store/orders/mass-one-commit", Book, NULL, book_setup_file, test_mass_order_one_commit,
              book_teardown);
  g_test_add ("/store/dispatch/path", Book, NULL, book_setup, test_dispatch_path, book_teardown);
  g_test_add ("/store/dispatch/two-processes", Book, NULL, book_setup_file, test_two_processes, book_teardown);
  g_test_add ("/store/dispatch/requeue-review", Book, NULL, book_setup, test_requeue_and_review, book_teardown);
  g_test_add ("/store/dispatch/mark-failed", Book, NULL, book_setup, test_mark_failed, book_teardown);
  g_test_add ("/store/dispatch/scheduled", Book, NULL, book_setup, test_scheduled, book_teardown);
  g_test_add ("/store/dispatch/recover-interrupted", Book, NULL, book_setup, test_recover_interrupted,
              book_teardown);
  g_test_add ("/store/dispatch/approval", Book, NULL, book_setup, test_approval, book_teardown);
  g_test_add ("/store/orders/notes-refills", Book, NULL, book_setup, test_notes_and_refills, book_teardown);
}
