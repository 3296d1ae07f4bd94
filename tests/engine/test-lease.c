/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Dead senders: another process (this program run again as a child) marks
 * an order sending and is killed (SIGKILL) with the request "on the wire",
 * while a core of ours keeps the book open all along.  The survivor's next
 * sync or dispatcher run, or any new core (what each CLI command makes),
 * moves that order to review without anyone restarting; a living sender's
 * order is never taken. */
#include "engine-test-util.h"

#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#define SERVICE 1
#define PSID "103"
#define CHILD_ARG "--sending-child"

typedef struct
{
  EtBook      *book;
  RelaySim    *sim;
  RelayCore   *core;         /* the survivor: open before the child, never restarted */
  RelayStore  *store;        /* borrowed from core */
  gint64       provider_id;
  gint64       client_id;
  gint64       catalog_id;
  GSubprocess *child;
} Fixture;

/* ---- the child: marks one order sending, says so, then waits to die ---- */

static int
child_main (const char *db_path, const char *order_id, const char *catalog_id)
{
  g_autoptr(GError) error = NULL;
  RelayStore *store = relay_store_open (db_path, &error);

  if (store == NULL ||
      !relay_store_mark_sending (store, g_ascii_strtoll (order_id, NULL, 10),
                                 g_ascii_strtoll (catalog_id, NULL, 10), &error))
    {
      g_printerr ("child: %s\n", error ? error->message : "?");
      return 1;
    }
  /* The request would be on its way now. */
  fputs ("sending\n", stdout);
  fflush (stdout);
  for (;;)
    pause ();
  return 0;
}

/* ---- the parent ---- */

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autofree char *url = NULL;
  g_autoptr(RelayServiceRow) service = NULL;

  f->book = et_book_new ();
  f->sim = et_sim_new ();
  f->core = et_core_new (f->book);
  f->store = relay_core_get_store (f->core);
  url = relay_sim_dup_url (f->sim);
  f->provider_id = et_add_provider (f->core, "Sim", url);
  et_map (f->core, SERVICE, f->provider_id, PSID, 0, NULL, FALSE);
  f->client_id = et_add_client (f->core, "Client");
  service = relay_store_get_service (f->store, SERVICE, NULL);
  g_assert_nonnull (service);
  f->catalog_id = service->primary->id;
}

static void
kill_child (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  if (f->child == NULL)
    return;
  g_subprocess_send_signal (f->child, SIGKILL);
  g_subprocess_wait (f->child, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (f->child));
  g_assert_cmpint (g_subprocess_get_term_sig (f->child), ==, SIGKILL);
  g_clear_object (&f->child);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  kill_child (f);
  g_clear_object (&f->core);
  g_clear_object (&f->sim);
  et_spin (10);
  g_clear_pointer (&f->book, et_book_free);
}

/* Starts the child on @order_id and returns once it has marked it sending. */
static void
start_sender (Fixture *f, gint64 order_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *order_arg = g_strdup_printf ("%" G_GINT64_FORMAT, order_id);
  g_autofree char *catalog_arg = g_strdup_printf ("%" G_GINT64_FORMAT, f->catalog_id);
  g_autofree char *line = NULL;
  g_autoptr(RelayOrderRow) order = NULL;

  f->child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, "/proc/self/exe", CHILD_ARG,
                               f->book->db_path, order_arg, catalog_arg, NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (f->child));
  line = g_data_input_stream_read_line (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "sending");
  order = et_store_order (f->store, order_id);
  g_assert_cmpint (order->status, ==, RELAY_ORDER_SENDING);
}

static gint64
place (Fixture *f, const char *tag)
{
  g_autofree char *link = g_strdup_printf ("https://www.instagram.com/p/Lease%s/", tag);

  return et_place (f->core, SERVICE, f->client_id, link, 150);
}

static void
assert_status (RelayStore *store, gint64 order_id, RelayOrderStatus status)
{
  g_autoptr(RelayOrderRow) order = et_store_order (store, order_id);

  g_assert_cmpint (order->status, ==, status);
}

static void
assert_taken_for_dead (Fixture *f, gint64 order_id)
{
  g_autoptr(RelayOrderRow) order = et_store_order (f->store, order_id);

  g_assert_cmpint (order->status, ==, RELAY_ORDER_NEEDS_REVIEW);
  g_assert_nonnull (order->review_reason);
  g_assert_cmpstr (order->review_reason, !=, RELAY_REVIEW_AWAITING_APPROVAL);
  g_assert_cmpint (order->refunded, ==, 0);
  g_assert_true (et_events_mention (f->store, order_id, "stopped before the provider answered"));
}

/* The sender is killed mid-send; the survivor's next sync tick (what the
 * window's timer and `sync --watch` run) moves its order to review. */
static void
test_killed_sender_sync (Fixture *f, gconstpointer data)
{
  gint64 id = place (f, "Sync");
  gint64 other = place (f, "Untouched");
  g_autoptr(RelaySyncReport) report = NULL;

  start_sender (f, id);
  kill_child (f);
  /* Nothing has happened yet: nobody looked. */
  assert_status (f->store, id, RELAY_ORDER_SENDING);

  report = et_sync (f->core);
  assert_taken_for_dead (f, id);
  assert_status (f->store, other, RELAY_ORDER_QUEUED);
  /* Not cancellable as "unsent", but a person can now settle it. */
  g_assert_false (relay_store_cancel_unsent (f->store, id, "no", NULL));
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, "add"), ==, 0);
}

/* The same through a dispatcher run, and through a new core (each CLI
 * command makes one) while the survivor keeps the book open. */
static void
test_killed_sender_dispatch_and_cli (Fixture *f, gconstpointer data)
{
  gint64 first = place (f, "Dispatch");
  gint64 second = place (f, "Cli");
  RelayDispatchReport report;

  start_sender (f, first);
  kill_child (f);
  report = et_dispatch (f->core);
  assert_taken_for_dead (f, first);
  /* The run sent the one that was queued, never the one in review. */
  g_assert_cmpuint (report.n_sent, ==, 1);
  assert_status (f->store, second, RELAY_ORDER_PENDING);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, "add"), ==, 1);

  {
    gint64 third = place (f, "Third");
    g_autoptr(RelayCore) cli = NULL;

    start_sender (f, third);
    kill_child (f);
    cli = et_core_new (f->book);
    g_assert_cmpuint (relay_core_get_n_recovered (cli), ==, 1);
    assert_taken_for_dead (f, third);
  }
}

/* A living sender's order is never taken: not by the sync, not by a
 * dispatcher run, not by a new core.  Once it dies, it is. */
static void
test_living_sender_kept (Fixture *f, gconstpointer data)
{
  gint64 id = place (f, "Alive");
  g_autoptr(RelaySyncReport) report = NULL;
  RelayDispatchReport dispatched;

  start_sender (f, id);
  report = et_sync (f->core);
  assert_status (f->store, id, RELAY_ORDER_SENDING);
  dispatched = et_dispatch (f->core);
  g_assert_cmpuint (dispatched.n_sent, ==, 0);
  assert_status (f->store, id, RELAY_ORDER_SENDING);
  {
    g_autoptr(RelayCore) cli = et_core_new (f->book);

    g_assert_cmpuint (relay_core_get_n_recovered (cli), ==, 0);
  }
  assert_status (f->store, id, RELAY_ORDER_SENDING);
  /* It may take a while: still its own a moment later. */
  et_spin (200);
  g_clear_pointer (&report, relay_sync_report_free);
  report = et_sync (f->core);
  assert_status (f->store, id, RELAY_ORDER_SENDING);

  kill_child (f);
  g_clear_pointer (&report, relay_sync_report_free);
  report = et_sync (f->core);
  assert_taken_for_dead (f, id);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, "add"), ==, 0);
}

int
main (int argc, char **argv)
{
  if (argc == 5 && g_str_equal (argv[1], CHILD_ARG))
    return child_main (argv[2], argv[3], argv[4]);

  et_init (&argc, &argv);
#define ADD(name, func) \
  g_test_add ("/engine/lease/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("killed-sender-sync", test_killed_sender_sync);
  ADD ("killed-sender-dispatch-and-cli", test_killed_sender_dispatch_and_cli);
  ADD ("living-sender-kept", test_living_sender_kept);
#undef ADD
  return g_test_run ();
}
