/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the sender lease inside one process: two stores on one book tell
 * a living sender from a dead one; only the dead one's "sending" orders go
 * to review, in one guarded change with a history row each. */
#include <glib/gstdio.h>

#include "test-store.h"

static const char *dead_reason =
  "the program that was sending this order stopped before the provider answered; check the provider's panel";

static guint
count_files (const char *dir)
{
  g_autoptr (GDir) listing = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (listing != NULL && g_dir_read_name (listing) != NULL)
    n++;
  return n;
}

static RelayStore *
open_other (Book *book)
{
  g_autoptr (GError) error = NULL;
  RelayStore *other = relay_store_open (relay_store_get_path (book->store), &error);

  g_assert_no_error (error);
  return other;
}

static void
test_living_sender_kept (Book          *book,
                         gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (RelayOrderRow) order = NULL;
  RelayStore *sender = open_other (book);
  gint64 id = book_order (book, SERVICE_PLAIN, book->client_1, "https://x.example/live", 100, 0, 0);

  g_assert_true (relay_store_mark_sending (sender, id, book->catalog_a1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (book_sql_int (book, "SELECT sender IS NOT NULL FROM orders WHERE id = ?", id), ==, 1);

  /* However often anyone looks, a living sender's order stays its own. */
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpuint (relay_store_reap_dead_senders (book->store, &error), ==, 0);
      g_assert_no_error (error);
    }
  {
    g_autoptr (RelayStore) third = open_other (book);

    g_assert_cmpuint (relay_store_reap_dead_senders (third, &error), ==, 0);
    g_assert_no_error (error);
  }
  /* Nor does the sender take its own. */
  g_assert_cmpuint (relay_store_reap_dead_senders (sender, &error), ==, 0);
  order = book_get (book, id);
  g_assert_cmpint (order->status, ==, RELAY_ORDER_SENDING);

  /* Its answer lands as usual. */
  g_assert_true (relay_store_mark_sent (sender, id, "4242", &error));
  g_assert_no_error (error);
  g_clear_pointer (&order, relay_order_row_free);
  order = book_get (book, id);
  g_assert_cmpint (order->status, ==, RELAY_ORDER_PENDING);
  g_assert_finalize_object (sender);
  book_check_counts (book);
}

static void
test_dead_sender_reaped (Book          *book,
                         gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *senders = g_strconcat (relay_store_get_path (book->store), ".senders", NULL);
  RelayStore *sender = open_other (book);
  RelayStore *living = open_other (book);
  gint64 dead_ids[2], live_id, queued_id;

  for (guint i = 0; i < G_N_ELEMENTS (dead_ids); i++)
    {
      dead_ids[i] = book_order (book, SERVICE_PLAIN, book->client_1, "https://x.example/dead", 100 + i, 0, 0);
      g_assert_true (relay_store_mark_sending (sender, dead_ids[i], book->catalog_a1, &error));
      g_assert_no_error (error);
    }
  live_id = book_order (book, SERVICE_PLAIN, book->client_2, "https://x.example/alive", 100, 0, 0);
  g_assert_true (relay_store_mark_sending (living, live_id, book->catalog_a1, &error));
  g_assert_no_error (error);
  queued_id = book_order (book, SERVICE_PLAIN, book->client_2, "https://x.example/queued", 100, 0, 0);
  g_assert_cmpuint (count_files (senders), ==, 2);

  /* The sender goes away with its orders on the wire. */
  g_assert_finalize_object (sender);
  g_assert_cmpuint (count_files (senders), ==, 1);

  book_reset_signals (book);
  g_assert_cmpuint (relay_store_reap_dead_senders (book->store, &error), ==, 2);
  g_assert_no_error (error);
  g_assert_cmpuint (book->n_commits, ==, 1);
  g_assert_cmpuint (book->orders_changed_ids->len, ==, 2);
  for (guint i = 0; i < G_N_ELEMENTS (dead_ids); i++)
    {
      g_autoptr (RelayOrderRow) order = book_get (book, dead_ids[i]);
      g_autoptr (GPtrArray) events = relay_store_list_order_events (book->store, dead_ids[i], &error);
      RelayOrderEvent *last;

      g_assert_no_error (error);
      g_assert_cmpint (order->status, ==, RELAY_ORDER_NEEDS_REVIEW);
      g_assert_cmpstr (order->review_reason, ==, dead_reason);
      g_assert_cmpint (order->refunded, ==, 0);
      last = g_ptr_array_index (events, events->len - 1);
      g_assert_cmpint (last->old_status, ==, RELAY_ORDER_SENDING);
      g_assert_cmpint (last->new_status, ==, RELAY_ORDER_NEEDS_REVIEW);
      g_assert_cmpstr (last->source, ==, "recovery");
    }
  {
    g_autoptr (RelayOrderRow) live = book_get (book, live_id);
    g_autoptr (RelayOrderRow) queued = book_get (book, queued_id);

    g_assert_cmpint (live->status, ==, RELAY_ORDER_SENDING);
    g_assert_cmpint (queued->status, ==, RELAY_ORDER_QUEUED);
  }
  /* Once is enough. */
  g_assert_cmpuint (relay_store_reap_dead_senders (book->store, &error), ==, 0);
  g_assert_no_error (error);
  book_check_counts (book);

  /* A person settles it from the review queue. */
  g_assert_true (relay_store_review_placed (book->store, dead_ids[0], "777", &error));
  g_assert_no_error (error);
  g_assert_finalize_object (living);
  g_assert_cmpuint (count_files (senders), ==, 0);
}

/* A sender killed without closing: its file stays, but its lock is gone. */
static void
test_stale_file_reaped (Book          *book,
                        gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *senders = g_strconcat (relay_store_get_path (book->store), ".senders", NULL);
  g_autofree char *token = NULL;
  g_autofree char *owner = NULL;
  gint64 id = book_order (book, SERVICE_PLAIN, book->client_1, "https://x.example/stale", 100, 0, 0);
  RelayStore *sender = open_other (book);

  g_assert_true (relay_store_mark_sending (sender, id, book->catalog_a1, &error));
  g_assert_no_error (error);
  {
    g_autoptr (GDir) listing = g_dir_open (senders, 0, &error);

    g_assert_no_error (error);
    token = g_strdup (g_dir_read_name (listing));
  }
  owner = g_build_filename (senders, token, NULL);
  /* A copy of the file made while its owner lived stands for the one a
   * killed process leaves: same name, nobody holding its lock. */
  {
    g_autofree char *contents = NULL;
    gsize length = 0;

    g_assert_true (g_file_get_contents (owner, &contents, &length, &error));
    g_assert_finalize_object (sender);
    g_assert_false (g_file_test (owner, G_FILE_TEST_EXISTS));
    g_assert_true (g_file_set_contents_full (owner, contents, length, G_FILE_SET_CONTENTS_NONE, 0600,
                                             &error));
    g_assert_no_error (error);
  }
  g_assert_cmpuint (relay_store_reap_dead_senders (book->store, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_false (g_file_test (owner, G_FILE_TEST_EXISTS));
  {
    g_autoptr (RelayOrderRow) order = book_get (book, id);

    g_assert_cmpint (order->status, ==, RELAY_ORDER_NEEDS_REVIEW);
  }
}

/* An order marked sending by a version that recorded no sender is only
 * taken by the start-up recovery of a process alone with the book. */
static void
test_unknown_sender_left (Book          *book,
                          gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  gint64 id = book_order (book, SERVICE_PLAIN, book->client_1, "https://x.example/old", 100, 0, 0);
  gint64 forged = book_order (book, SERVICE_PLAIN, book->client_1, "https://x.example/forged", 100, 0, 0);
  sqlite3_stmt *stmt = NULL;

  g_assert_true (relay_store_mark_sending (book->store, id, book->catalog_a1, &error));
  g_assert_no_error (error);
  g_assert_true (relay_store_mark_sending (book->store, forged, book->catalog_a1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_prepare_v2 (relay_store_get_db (book->store),
                                       "UPDATE orders SET sender = CASE id WHEN ?1 THEN NULL "
                                       "ELSE '../../etc/passwd' END WHERE id IN (?1, ?2)",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, forged);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);

  g_assert_cmpuint (relay_store_reap_dead_senders (book->store, &error), ==, 0);
  g_assert_no_error (error);
  g_assert_cmpuint (relay_store_recover_interrupted (book->store, &error), ==, 2);
  g_assert_no_error (error);
}

void
add_senders_tests (void)
{
  g_test_add ("/store/senders/living-sender-kept", Book, NULL, book_setup_file,
              test_living_sender_kept, book_teardown);
  g_test_add ("/store/senders/dead-sender-reaped", Book, NULL, book_setup_file,
              test_dead_sender_reaped, book_teardown);
  g_test_add ("/store/senders/stale-file-reaped", Book, NULL, book_setup_file,
              test_stale_file_reaped, book_teardown);
  g_test_add ("/store/senders/unknown-sender-left", Book, NULL, book_setup_file,
              test_unknown_sender_left, book_teardown);
}
