/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The watch (relay_store_watch()): what another connection — another process,
 * the CLI, cron — commits to the book is told by the store's signals within
 * about two looks; what this process's workers announce themselves, and the
 * store's own writes, are not told twice. */
#include "test-store.h"

#define WATCH_MS 1000

static gboolean
time_up (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until *@counter is above zero or @ms passed; returns the
 * milliseconds it took. */
static gint64
spin_until (guint *counter, guint ms)
{
  gboolean up = FALSE;
  guint id = g_timeout_add (ms, time_up, &up);
  gint64 start = g_get_monotonic_time ();

  while (!up && (counter == NULL || *counter == 0))
    g_main_context_iteration (NULL, TRUE);
  if (!up)
    g_source_remove (id);
  return (g_get_monotonic_time () - start) / 1000;
}

/* The book as another process sees it: its own connection. */
static Book
other_connection (Book *book)
{
  g_autoptr (GError) error = NULL;
  Book other = *book;

  other.store = relay_store_open (relay_store_get_path (book->store), &error);
  g_assert_no_error (error);
  return other;
}

static void
test_watch_other_process (Book *book, gconstpointer data)
{
  Book other = other_connection (book);
  g_autoptr (RelayOrderRow) row = NULL;
  gint64 id, took;

  relay_store_watch (book->store, WATCH_MS);
  book_reset_signals (book);
  id = book_order (&other, SERVICE_PLAIN, book->client_1, "https://www.instagram.com/watched/",
                   100, 0, 0);
  /* Nothing is told before a look... */
  g_assert_cmpuint (book->n_orders_changed, ==, 0);
  took = spin_until (&book->n_orders_changed, 2 * WATCH_MS + 500);
  g_test_message ("told after %" G_GINT64_FORMAT " ms", took);
  /* ... and the look after the commit tells it: ids unknown (empty). */
  g_assert_cmpuint (book->n_orders_changed, ==, 1);
  g_assert_cmpuint (book->orders_changed_ids->len, ==, 0);
  /* The order charged its client: the ledger moved. */
  g_assert_cmpuint (book->n_clients_changed, ==, 1);
  row = relay_store_get_order (book->store, id, NULL);
  g_assert_nonnull (row);

  /* Told once: the next looks find nothing new. */
  spin_until (NULL, 2 * WATCH_MS + 200);
  g_assert_cmpuint (book->n_orders_changed, ==, 1);

  /* A provider's balance (no order, no client): the catalog signal. */
  g_assert_true (relay_store_set_provider_balance (other.store, book->provider_a, 5000000, "USD",
                                                   NULL));
  book_reset_signals (book);
  spin_until (&book->n_catalog_changed, 2 * WATCH_MS + 500);
  g_assert_cmpuint (book->n_catalog_changed, ==, 1);

  relay_store_watch (book->store, 0);
  g_clear_object (&other.store);
}

/* What the process's own workers write on their connections they announce
 * through the store (as the sync's writer thread does): not told again.
 * The store's own writes change no data_version of its own. */
static void
test_watch_own_writes (Book *book, gconstpointer data)
{
  Book other = other_connection (book);
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 id;

  relay_store_watch (book->store, WATCH_MS);
  book_reset_signals (book);
  id = book_order (&other, SERVICE_PLAIN, book->client_1, "https://www.instagram.com/own/",
                   100, 0, 0);
  g_array_append_val (ids, id);
  relay_store_notify_changes (book->store, ids, TRUE);
  g_assert_cmpuint (book->n_orders_changed, ==, 1);
  book_order (book, SERVICE_PLAIN, book->client_2, "https://www.instagram.com/own2/", 100, 0, 0);
  g_assert_cmpuint (book->n_orders_changed, ==, 2);

  spin_until (NULL, 2 * WATCH_MS + 500);
  g_assert_cmpuint (book->n_orders_changed, ==, 2);
  g_assert_cmpuint (book->n_clients_changed, ==, 2);
  g_assert_cmpuint (book->n_catalog_changed, ==, 0);

  relay_store_watch (book->store, 0);
  g_clear_object (&other.store);
}

void
add_watch_tests (void)
{
  g_test_add ("/store/watch/other-process", Book, NULL, book_setup_file,
              test_watch_other_process, book_teardown);
  g_test_add ("/store/watch/own-writes", Book, NULL, book_setup_file,
              test_watch_own_writes, book_teardown);
}
