/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The review queue: orders of manual services wait for approval; orders with
 * an unknown outcome wait for a person's answer; a killed process leaves its
 * "sending" orders for review at the next start. */
#include "engine-test-util.h"

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

#define SERVICE 1
#define MANUAL 2
#define PSID "103"

typedef struct
{
  EtBook    *book;
  RelaySim  *sim;
  RelayCore *core;
  RelayStore *store;        /* borrowed from core */
  gint64     provider_id;
  gint64     client_id;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autofree char *url = NULL;

  f->book = et_book_new ();
  f->sim = et_sim_new ();
  f->core = et_core_new (f->book);
  f->store = relay_core_get_store (f->core);
  url = relay_sim_dup_url (f->sim);
  f->provider_id = et_add_provider (f->core, "Sim", url);
  et_map (f->core, SERVICE, f->provider_id, PSID, 0, NULL, FALSE);
  et_map (f->core, MANUAL, f->provider_id, PSID, 0, NULL, TRUE);
  f->client_id = et_add_client (f->core, "Client");
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->core);
  g_clear_object (&f->sim);
  et_spin (10);
  g_clear_pointer (&f->book, et_book_free);
}

static char *
link_for (const char *tag)
{
  return g_strdup_printf ("https://www.instagram.com/p/Review%s/", tag);
}

static gboolean
in_review_list (Fixture *f, gint64 id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) review = relay_store_list_review (f->store, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < review->len; i++)
    if (((RelayOrderRow *) g_ptr_array_index (review, i))->id == id)
      return TRUE;
  return FALSE;
}

static void
test_manual_approval (Fixture *f, gconstpointer data)
{
  g_autofree char *link = link_for ("Manual");
  gint64 id = et_place (f->core, MANUAL, f->client_id, link, 150);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayOrderRow) order = et_order (f->core, id);
  RelayDispatchReport report;

  g_assert_cmpint (order->status, ==, RELAY_ORDER_NEEDS_REVIEW);
  g_assert_cmpstr (order->review_reason, ==, RELAY_REVIEW_AWAITING_APPROVAL);
  g_assert_true (in_review_list (f, id));
  /* Charged when placed, like any order. */
  g_assert_cmpint (et_ledger_sum (f->store, f->client_id), ==, order->price);

  report = et_dispatch (f->core);
  g_assert_cmpuint (report.n_sent, ==, 0);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, "add"), ==, 0);
  g_clear_pointer (&order, relay_order_row_free);
  order = et_order (f->core, id);
  g_assert_cmpint (order->status, ==, RELAY_ORDER_NEEDS_REVIEW);

  /* Approved. */
  relay_store_review_not_placed (f->store, id, TRUE, &error);
  g_assert_no_error (error);
  g_clear_pointer (&order, relay_order_row_free);
  order = et_order (f->core, id);
  g_assert_cmpint (order->status, ==, RELAY_ORDER_QUEUED);
  g_assert_false (in_review_list (f, id));

  report = et_dispatch (f->core);
  g_assert_cmpuint (report.n_sent, ==, 1);
  g_clear_pointer (&order, relay_order_row_free);
  order = et_order (f->core, id);
  g_assert_cmpint (order->status, ==, RELAY_ORDER_PENDING);
  g_assert_cmpuint (relay_sim_count_orders_with_link (f->sim, link), ==, 1);
  g_assert_cmpint (et_ledger_sum (f->store, f->client_id), ==, order->price);
}

static void
test_manual_rejected (Fixture *f, gconstpointer data)
{
  g_autofree char *link = link_for ("ManualNo");
  gint64 id = et_place (f->core, MANUAL, f->client_id, link, 150);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayOrderRow) order = NULL;

  relay_store_review_not_placed (f->store, id, FALSE, &error);
  g_assert_no_error (error);
  order = et_order (f->core, id);
  g_assert_cmpint (order->status, ==, RELAY_ORDER_FAILED);
  g_assert_cmpint (order->refunded, ==, order->price);
  g_assert_cmpint (et_ledger_sum (f->store, f->client_id), ==, 0);
  et_dispatch (f->core);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, "add"), ==, 0);
}

/* Sends one order into @fault and checks it is waiting for review. */
static gint64
unknown_outcome (Fixture *f, const char *tag, RelaySimFault fault, char **out_link)
{
  g_autofree char *link = link_for (tag);
  gint64 id = et_place (f->core, SERVICE, f->client_id, link, 150);
  g_autoptr(RelayOrderRow) order = NULL;
  RelayDispatchReport report;

  relay_sim_inject_fault (f->sim, "add", fault, 1);
  report = et_dispatch (f->core);
  g_assert_cmpuint (report.n_review, ==, 1);
  order = et_order (f->core, id);
  g_assert_cmpint (order->status, ==, RELAY_ORDER_NEEDS_REVIEW);
  g_assert_cmpstr (order->review_reason, !=, RELAY_REVIEW_AWAITING_APPROVAL);
  g_assert_true (in_review_list (f, id));
  *out_link = g_steal_pointer (&link);
  return id;
}

/* "It was placed, as id X" typed by a person: an id another order of the
 * provider already holds is refused (both orders would get one status). */
static void
test_placed_id_taken (Fixture *f, gconstpointer data)
{
  g_autofree char *link1 = NULL;
  g_autofree char *link2 = NULL;
  gint64 first = unknown_outcome (f, "TakenA", RELAY_SIM_FAULT_HTML_AFTER, &link1);
  gint64 second = unknown_outcome (f, "TakenB", RELAY_SIM_FAULT_HTML_AFTER, &link2);
  g_autoptr(RelaySimOrder) at_sim = et_sim_find (f->sim, link1);
  g_autofree char *sim_id = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayOrderRow) order = NULL;

  g_assert_nonnull (at_sim);
  sim_id = g_strdup_printf ("%" G_GINT64_FORMAT, at_sim->id);
  g_assert_true (relay_store_review_placed (f->store, first, sim_id, &error));
  g_assert_no_error (error);
  g_assert_false (relay_store_review_placed (f->store, second, sim_id, &error));
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_EXISTS);
  order = et_order (f->core, second);
  g_assert_cmpint (order->status, ==, RELAY_ORDER_NEEDS_REVIEW);
  g_assert_true (in_review_list (f, second));
}

static void
test_placed (Fixture *f, gconstpointer data)
{
  g_autofree char *link = NULL;
  gint64 id = unknown_outcome (f, "Placed", RELAY_SIM_FAULT_HTML_AFTER, &link);
  g_autoptr(RelaySimOrder) at_sim = et_sim_find (f->sim, link);
  g_autofree char *sim_id = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayOrderRow) order = NULL;
  g_autoptr(RelaySyncReport) sync = NULL;
  gboolean reported = FALSE;

  g_assert_nonnull (at_sim);
  sim_id = g_strdup_printf ("%" G_GINT64_FORMAT, at_sim->id);
  relay_store_review_placed (f->store, id, sim_id, &error);
  g_assert_no_error (error);
  order = et_order (f->core, id);
  g_assert_cmpint (order->status, ==, RELAY_ORDER_PENDING);
  g_assert_cmpstr (order->provider_order_id, ==, sim_id);
  g_assert_false (in_review_list (f, id));

  /* A second answer for the same order is refused. */
  g_assert_false (relay_store_review_placed (f->store, id, sim_id, &error));
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_STATE);
  g_clear_error (&error);
  g_assert_false (relay_store_review_not_placed (f->store, id, TRUE, &error));
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_STATE);
  g_clear_error (&error);

  /* From here on it is synced like the others. */
  relay_sim_advance (f->sim, 1e6);
  g_clear_pointer (&at_sim, relay_sim_order_free);
  at_sim = et_sim_find (f->sim, link);
  sync = et_sync (f->core);
  g_assert_cmpuint (sync->n_checked, ==, 1);
  for (guint i = 0; i < sync->changes->len; i++)
    if (g_array_index (sync->changes, RelayStatusChange, i).order_id == id)
      reported = TRUE;
  g_assert_true (reported);
  g_clear_pointer (&order, relay_order_row_free);
  order = et_order (f->core, id);
  g_assert_true (relay_order_status_is_final (order->status));
  g_assert_true (order->has_remains);
  g_assert_cmpint (order->remains, ==, at_sim->remains);
  /* Refund rule: what was not delivered comes back. */
  {
    g_autoptr(RelayServiceRow) service = relay_store_get_service (f->store, SERVICE, NULL);
    gint64 delivered = order->quantity - at_sim->remains;

    g_assert_cmpint (order->refunded, ==, checked_refund (service->price, order->quantity, delivered));
    g_assert_cmpint (et_ledger_sum (f->store, f->client_id), ==, order->price - order->refunded);
  }
  g_assert_cmpuint (relay_sim_count_orders_with_link (f->sim, link), ==, 1);
}

static void
test_not_placed (Fixture *f, gconstpointer data)
{
  g_autofree char *link = NULL;
  gint64 id = unknown_outcome (f, "NotPlaced", RELAY_SIM_FAULT_HTML_BEFORE, &link);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayOrderRow) order = NULL;
  RelayDispatchReport report;

  g_assert_cmpuint (relay_sim_count_orders_with_link (f->sim, link), ==, 0);
  relay_store_review_not_placed (f->store, id, FALSE, &error);
  g_assert_no_error (error);
  order = et_order (f->core, id);
  g_assert_cmpint (order->status, ==, RELAY_ORDER_FAILED);
  g_assert_cmpint (order->refunded, ==, order->price);
  g_assert_cmpint (et_ledger_sum (f->store, f->client_id), ==, 0);
  report = et_dispatch (f->core);
  g_assert_cmpuint (report.n_sent, ==, 0);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, "add"), ==, 1);
}

static void
test_resend (Fixture *f, gconstpointer data)
{
  g_autofree char *link = NULL;
  gint64 id = unknown_outcome (f, "Resend", RELAY_SIM_FAULT_DROP_AFTER, &link);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayOrderRow) order = NULL;
  RelayDispatchReport report;

  g_assert_cmpuint (relay_sim_count_orders_with_link (f->sim, link), ==, 1);
  /* The user says it was not placed and asks to send it again: it goes once
   * more, deliberately. */
  relay_store_review_not_placed (f->store, id, TRUE, &error);
  g_assert_no_error (error);
  report = et_dispatch (f->core);
  g_assert_cmpuint (report.n_sent, ==, 1);
  order = et_order (f->core, id);
  g_assert_cmpint (order->status, ==, RELAY_ORDER_PENDING);
  g_assert_cmpuint (relay_sim_count_orders_with_link (f->sim, link), ==, 2);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, "add"), ==, 2);
  /* Charged once. */
  g_assert_cmpint (et_ledger_sum (f->store, f->client_id), ==, order->price);

  report = et_dispatch (f->core);
  g_assert_cmpuint (report.n_sent, ==, 0);
  g_assert_cmpuint (relay_sim_count_orders_with_link (f->sim, link), ==, 2);
}

static void
test_recover_interrupted (Fixture *f, gconstpointer data)
{
  g_autofree char *link = link_for ("Crash");
  gint64 id = et_place (f->core, SERVICE, f->client_id, link, 150);
  g_autoptr(RelayServiceRow) service = relay_store_get_service (f->store, SERVICE, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayOrderRow) order = NULL;
  g_autoptr(RelayCore) again = NULL;
  RelayDispatchReport report;

  g_assert_cmpuint (relay_core_get_n_recovered (f->core), ==, 0);
  relay_store_mark_sending (f->store, id, service->primary->id, &error);
  g_assert_no_error (error);
  /* A second mark_sending (another process) is refused. */
  g_assert_false (relay_store_mark_sending (f->store, id, service->primary->id, &error));
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_STATE);
  g_clear_error (&error);

  /* The process dies here, before or after the request left. */
  g_clear_object (&f->core);
  f->store = NULL;

  again = et_core_new (f->book);
  g_assert_cmpuint (relay_core_get_n_recovered (again), ==, 1);
  order = et_order (again, id);
  g_assert_cmpint (order->status, ==, RELAY_ORDER_NEEDS_REVIEW);
  g_assert_nonnull (order->review_reason);
  g_assert_cmpstr (order->review_reason, !=, RELAY_REVIEW_AWAITING_APPROVAL);
  g_assert_cmpint (order->refunded, ==, 0);

  report = et_dispatch (again);
  g_assert_cmpuint (report.n_sent, ==, 0);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, "add"), ==, 0);

  /* A third start finds nothing left to recover. */
  g_clear_object (&again);
  again = et_core_new (f->book);
  g_assert_cmpuint (relay_core_get_n_recovered (again), ==, 0);
  f->core = g_steal_pointer (&again);
  f->store = relay_core_get_store (f->core);
}

/* A second process (the CLI while the window sends) must not take an order
 * that is on the wire for interrupted: the living sender records the answer. */
static void
test_recover_not_while_alive (Fixture *f, gconstpointer data)
{
  g_autofree char *link = link_for ("Alive");
  gint64 id = et_place (f->core, SERVICE, f->client_id, link, 150);
  g_autoptr(RelayServiceRow) service = relay_store_get_service (f->store, SERVICE, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayOrderRow) order = NULL;
  g_autoptr(RelayCore) other = NULL;

  relay_store_mark_sending (f->store, id, service->primary->id, &error);
  g_assert_no_error (error);

  other = et_core_new (f->book);
  g_assert_cmpuint (relay_core_get_n_recovered (other), ==, 0);
  order = et_order (other, id);
  g_assert_cmpint (order->status, ==, RELAY_ORDER_SENDING);

  /* The sender's answer lands; even after a review it would settle it. */
  g_assert_true (relay_store_mark_sent (f->store, id, "99001", &error));
  g_assert_no_error (error);
  g_clear_pointer (&order, relay_order_row_free);
  order = et_order (other, id);
  g_assert_cmpint (order->status, ==, RELAY_ORDER_PENDING);
  g_assert_cmpstr (order->provider_order_id, ==, "99001");
}

/* An answer that arrives after the order went to review settles it, and its
 * history says where it came from. */
static void
test_late_answer_settles_review (Fixture *f, gconstpointer data)
{
  g_autofree char *link = link_for ("Late");
  gint64 id = et_place (f->core, SERVICE, f->client_id, link, 150);
  g_autoptr(RelayServiceRow) service = relay_store_get_service (f->store, SERVICE, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  RelayOrderEvent *last;

  g_assert_true (relay_store_mark_sending (f->store, id, service->primary->id, &error));
  g_assert_true (relay_store_mark_needs_review (f->store, id, "timed out", &error));
  g_assert_true (relay_store_mark_sent (f->store, id, "99002", &error));
  g_assert_no_error (error);
  events = relay_store_list_order_events (f->store, id, &error);
  g_assert_no_error (error);
  last = NULL;
  for (guint i = 0; i < events->len; i++)
    {
      RelayOrderEvent *event = g_ptr_array_index (events, i);
      if (event->new_status == RELAY_ORDER_PENDING)
        last = event;
    }
  g_assert_nonnull (last);
  g_assert_true (last->has_old_status);
  g_assert_cmpint (last->old_status, ==, RELAY_ORDER_NEEDS_REVIEW);
}

int
main (int argc, char **argv)
{
  et_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/engine/review/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("manual-approval", test_manual_approval);
  ADD ("manual-rejected", test_manual_rejected);
  ADD ("placed", test_placed);
  ADD ("placed-id-taken", test_placed_id_taken);
  ADD ("not-placed", test_not_placed);
  ADD ("resend", test_resend);
  ADD ("recover-interrupted", test_recover_interrupted);
  ADD ("recover-not-while-alive", test_recover_not_while_alive);
  ADD ("late-answer-settles-review", test_late_answer_settles_review);
#undef ADD

  return g_test_run ();
}
