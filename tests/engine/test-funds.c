/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Orders wait for funds: a balance that does not cover them leaves them
 * queued with the reason (nothing sent), announced once; a later balance that
 * covers them sends each exactly once; the panel's own "not enough funds"
 * does the same; the fallback takes them when it can; the low-balance
 * threshold; two processes on one book. */
#include "engine-test-util.h"
#include "relay-funds.h"
#include "relay-format.h"

#define PSID "103"                 /* Instagram Likes [Instant] on both panels */
#define WITH_FALLBACK 1
#define WITHOUT_FALLBACK 2
#define QUANTITY 200

typedef struct
{
  EtBook    *book;
  RelaySim  *sim_a;
  RelaySim  *sim_b;
  RelayCore *core;
  gint64     provider_a;
  gint64     provider_b;
  gint64     client_id;
  gint64     cost;           /* of one order of QUANTITY at A */
  guint      n_wait;
  gint64     wait_provider;
  gint64     wait_needed;
  gint64     wait_balance;
  guint      n_resumed;
  gint64     resumed_provider;
} Fixture;

static void
on_funds_wait (RelayDispatcher *dispatcher, gint64 provider_id, gint64 needed, gint64 balance,
               Fixture *f)
{
  f->n_wait++;
  f->wait_provider = provider_id;
  f->wait_needed = needed;
  f->wait_balance = balance;
}

static void
on_funds_resumed (RelayDispatcher *dispatcher, gint64 provider_id, Fixture *f)
{
  f->n_resumed++;
  f->resumed_provider = provider_id;
}

static void
watch (Fixture *f, RelayCore *core)
{
  g_signal_connect (relay_core_get_dispatcher (core), "funds-wait", G_CALLBACK (on_funds_wait), f);
  g_signal_connect (relay_core_get_dispatcher (core), "funds-resumed",
                    G_CALLBACK (on_funds_resumed), f);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autofree char *url_a = NULL;
  g_autofree char *url_b = NULL;
  g_autoptr(RelayCatalogRow) row = NULL;
  g_autoptr(GError) error = NULL;

  f->book = et_book_new ();
  f->sim_a = et_sim_new ();
  f->sim_b = et_sim_new ();
  relay_sim_set_seed (f->sim_b, 7);
  f->core = et_core_new (f->book);
  url_a = relay_sim_dup_url (f->sim_a);
  url_b = relay_sim_dup_url (f->sim_b);
  f->provider_a = et_add_provider (f->core, "Panel A", url_a);
  f->provider_b = et_add_provider (f->core, "Panel B", url_b);
  et_map (f->core, WITH_FALLBACK, f->provider_a, PSID, f->provider_b, PSID, FALSE);
  et_map (f->core, WITHOUT_FALLBACK, f->provider_a, PSID, 0, NULL, FALSE);
  f->client_id = et_add_client (f->core, "Client");
  row = relay_store_find_catalog_service (relay_core_get_store (f->core), f->provider_a, PSID,
                                          &error);
  g_assert_no_error (error);
  g_assert_true (relay_money_for_quantity (row->rate, QUANTITY, &f->cost, NULL));
  g_assert_cmpint (f->cost, >, 0);
  watch (f, f->core);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->core);
  g_clear_object (&f->sim_a);
  g_clear_object (&f->sim_b);
  et_spin (10);
  g_clear_pointer (&f->book, et_book_free);
}

static gint64
place (Fixture *f, gint64 service, const char *tag)
{
  g_autofree char *link = g_strdup_printf ("https://www.instagram.com/p/Funds%s/", tag);

  return et_place (f->core, service, f->client_id, link, QUANTITY);
}

static RelayProviderBalance *
refresh_balance (RelayCore *core, gint64 provider_id)
{
  EtAsync async = { 0 };
  g_autoptr(GError) error = NULL;
  RelayProviderBalance *balance;

  relay_core_refresh_balance_async (core, provider_id, NULL, et_async_ready, &async);
  balance = relay_core_refresh_balance_finish (core, et_async_wait (&async), &error);
  g_assert_no_error (error);
  et_async_clear (&async);
  return balance;
}

/* Panel A holds @micro, and the book knows it. */
static void
set_balance_a (Fixture *f, gint64 micro)
{
  g_autoptr(RelayProviderBalance) balance = NULL;

  relay_sim_set_balance (f->sim_a, micro);
  balance = refresh_balance (f->core, f->provider_a);
  g_assert_cmpint (balance->balance, ==, micro);
}

static RelayProviderRow *
provider_row (Fixture *f, gint64 id)
{
  g_autoptr(GError) error = NULL;
  RelayProviderRow *row = relay_store_get_provider (relay_core_get_store (f->core), id, &error);

  g_assert_no_error (error);
  return row;
}

static guint
count_events (RelayStore *store, gint64 order_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = relay_store_list_order_events (store, order_id, &error);

  g_assert_no_error (error);
  return events->len;
}

static void
assert_waiting (Fixture *f, gint64 id, const char *needle)
{
  g_autoptr(RelayOrderRow) order = et_order (f->core, id);

  g_assert_cmpint (order->status, ==, RELAY_ORDER_QUEUED);
  g_assert_nonnull (order->error);
  g_assert_nonnull (strstr (order->error, "Waiting for funds at Panel A"));
  if (needle != NULL)
    g_assert_nonnull (strstr (order->error, needle));
  /* Still charged: it has not failed. */
  g_assert_cmpint (order->refunded, ==, 0);
}

/* ---- the words of panels ---- */

static void
test_refusal_words (void)
{
  const char *yes[] = {
    "Not enough funds on balance", "not enough funds", "NOT ENOUGH FUNDS!",
    "Insufficient balance", "Error: insufficient funds", "Not enough balance",
    "Недостаточно средств на балансе", "НЕДОСТАТОЧНО СРЕДСТВ", "Saldo insuficiente",
    "Yetersiz bakiye",
  };
  const char *no[] = {
    "Incorrect request", "Invalid API key", "Incorrect service ID", "Incorrect link",
    "Quantity less than minimal 50", "You have active order with this link", "", "\xff\xfe",
  };

  for (guint i = 0; i < G_N_ELEMENTS (yes); i++)
    g_assert_true (relay_funds_is_refusal (yes[i]));
  for (guint i = 0; i < G_N_ELEMENTS (no); i++)
    g_assert_false (relay_funds_is_refusal (no[i]));
  g_assert_false (relay_funds_is_refusal (NULL));
}

/* ---- the book ---- */

static void
test_store_wait_once (Fixture *f, gconstpointer data)
{
  RelayStore *store = relay_core_get_store (f->core);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayProviderRow) row = NULL;
  gboolean started = FALSE, ended = FALSE;

  row = provider_row (f, f->provider_a);
  g_assert_cmpint (row->funds_needed, ==, -1);
  g_assert_cmpint (row->funds_wait_since, ==, 0);
  g_assert_cmpint (row->low_balance, ==, -1);

  g_assert_true (relay_store_start_funds_wait (store, f->provider_a, 5000000, FALSE, &started,
                                              &error));
  g_assert_no_error (error);
  g_assert_true (started);
  g_assert_true (relay_store_start_funds_wait (store, f->provider_a, 7000000, FALSE, &started,
                                              &error));
  g_assert_false (started);
  g_clear_pointer (&row, relay_provider_row_free);
  row = provider_row (f, f->provider_a);
  g_assert_cmpint (row->funds_needed, ==, 7000000);
  g_assert_cmpint (row->funds_wait_since, >, 0);
  /* Part of the orders (a run that sent only some): only upwards. */
  g_assert_true (relay_store_start_funds_wait (store, f->provider_a, 2000000, TRUE, &started,
                                              &error));
  g_assert_false (started);
  g_clear_pointer (&row, relay_provider_row_free);
  row = provider_row (f, f->provider_a);
  g_assert_cmpint (row->funds_needed, ==, 7000000);
  g_assert_true (relay_store_start_funds_wait (store, f->provider_a, 3000000, FALSE, &started,
                                              &error));
  g_clear_pointer (&row, relay_provider_row_free);
  row = provider_row (f, f->provider_a);
  g_assert_cmpint (row->funds_needed, ==, 3000000);

  g_assert_true (relay_store_end_funds_wait (store, f->provider_a, &ended, &error));
  g_assert_true (ended);
  g_assert_true (relay_store_end_funds_wait (store, f->provider_a, &ended, &error));
  g_assert_false (ended);
  g_clear_pointer (&row, relay_provider_row_free);
  row = provider_row (f, f->provider_a);
  g_assert_cmpint (row->funds_needed, ==, -1);
  g_assert_cmpint (row->funds_wait_since, ==, 0);
}

static void
test_low_balance (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayFundsState) state = NULL;
  g_autoptr(RelayProviderRow) row = NULL;

  set_balance_a (f, 3200000);
  state = relay_core_provider_funds_state (f->core, f->provider_a, &error);
  g_assert_no_error (error);
  g_assert_false (state->low);
  g_assert_null (state->low_text);
  g_assert_null (state->waiting_text);
  g_clear_pointer (&state, relay_funds_state_free);

  g_assert_true (relay_core_set_low_balance (f->core, f->provider_a, 10000000, &error));
  g_assert_no_error (error);
  row = provider_row (f, f->provider_a);
  g_assert_cmpint (row->low_balance, ==, 10000000);
  state = relay_core_provider_funds_state (f->core, f->provider_a, &error);
  g_assert_true (state->low);
  g_assert_cmpstr (state->low_text, ==,
                   "Balance at Panel A is low: 3.20 USD (warning below 10.00 USD)");
  g_clear_pointer (&state, relay_funds_state_free);

  /* Exactly at the threshold is not below it. */
  g_assert_true (relay_core_set_low_balance (f->core, f->provider_a, 3200000, &error));
  state = relay_core_provider_funds_state (f->core, f->provider_a, &error);
  g_assert_false (state->low);
  g_clear_pointer (&state, relay_funds_state_free);

  g_assert_true (relay_core_set_low_balance (f->core, f->provider_a, -1, &error));
  g_clear_pointer (&row, relay_provider_row_free);
  row = provider_row (f, f->provider_a);
  g_assert_cmpint (row->low_balance, ==, -1);

  g_assert_false (relay_core_set_low_balance (f->core, f->provider_a, -5, &error));
  g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE);
  g_clear_error (&error);
  g_assert_false (relay_core_set_low_balance (f->core, f->provider_a, RELAY_MONEY_MAX_AMOUNT + 1,
                                              &error));
  g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE);
  g_clear_error (&error);
  g_assert_false (relay_core_set_low_balance (f->core, 999999, 1, &error));
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_NOT_FOUND);
}

/* ---- the dispatcher's gate ---- */

/* The balance does not cover them: queued with the reason, nothing sent,
 * announced once across two runs; a top-up and a balance check send each
 * exactly once. */
static void
test_short_waits_then_resumes (Fixture *f, gconstpointer data)
{
  RelayStore *store = relay_core_get_store (f->core);
  g_autoptr(RelayProviderRow) row = NULL;
  g_autoptr(RelayFundsState) state = NULL;
  g_autoptr(RelayProviderBalance) balance = NULL;
  g_autoptr(GError) error = NULL;
  RelayDispatchReport report;
  gint64 ids[2];
  guint n_events[2];

  set_balance_a (f, f->cost / 2);
  ids[0] = place (f, WITHOUT_FALLBACK, "Short1");
  ids[1] = place (f, WITHOUT_FALLBACK, "Short2");

  report = et_dispatch (f->core);
  g_assert_cmpuint (report.n_sent, ==, 0);
  g_assert_cmpuint (report.n_failed + report.n_review, ==, 0);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim_a, "add"), ==, 0);
  g_assert_cmpuint (relay_sim_get_n_orders (f->sim_a), ==, 0);
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *has = relay_format_money (f->cost / 2, "USD", RELAY_MONEY_STYLE_TOTAL);

      assert_waiting (f, ids[i], has);
      n_events[i] = count_events (store, ids[i]);
    }
  g_assert_cmpuint (f->n_wait, ==, 1);
  g_assert_cmpint (f->wait_provider, ==, f->provider_a);
  g_assert_cmpint (f->wait_needed, ==, 2 * f->cost);
  g_assert_cmpint (f->wait_balance, ==, f->cost / 2);
  row = provider_row (f, f->provider_a);
  g_assert_cmpint (row->funds_needed, ==, 2 * f->cost);
  g_assert_cmpint (row->funds_wait_since, >, 0);
  state = relay_core_provider_funds_state (f->core, f->provider_a, &error);
  g_assert_no_error (error);
  g_assert_true (state->waiting);
  g_assert_cmpint (state->n_waiting, ==, 2);
  g_assert_nonnull (strstr (state->waiting_text, "2 orders wait for funds at Panel A"));

  /* Again: still waiting, said once, no new history lines. */
  report = et_dispatch (f->core);
  g_assert_cmpuint (report.n_sent, ==, 0);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim_a, "add"), ==, 0);
  g_assert_cmpuint (f->n_wait, ==, 1);
  g_assert_cmpuint (f->n_resumed, ==, 0);
  for (guint i = 0; i < 2; i++)
    g_assert_cmpuint (count_events (store, ids[i]), ==, n_events[i]);

  /* Topped up at the panel, then a balance check: they go by themselves. */
  g_assert_true (relay_sim_top_up (f->sim_a, 2 * f->cost));
  balance = refresh_balance (f->core, f->provider_a);
  g_assert_cmpint (balance->balance, ==, 2 * f->cost + f->cost / 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(RelayOrderRow) order = et_order (f->core, ids[i]);

      g_assert_cmpint (order->status, ==, RELAY_ORDER_PENDING);
      g_assert_cmpuint (relay_sim_count_orders_with_link (f->sim_a, order->link), ==, 1);
    }
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim_a, "add"), ==, 2);
  g_assert_cmpuint (f->n_resumed, ==, 1);
  g_assert_cmpint (f->resumed_provider, ==, f->provider_a);
  g_clear_pointer (&row, relay_provider_row_free);
  row = provider_row (f, f->provider_a);
  g_assert_cmpint (row->funds_needed, ==, -1);

  report = et_dispatch (f->core);
  g_assert_cmpuint (report.n_sent, ==, 0);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim_a, "add"), ==, 2);
  g_assert_cmpuint (f->n_wait, ==, 1);
  g_assert_cmpuint (f->n_resumed, ==, 1);
}

/* The balance covers one of two: one goes, the other waits. */
static void
test_covers_some (Fixture *f, gconstpointer data)
{
  RelayDispatchReport report;
  gint64 first, second;

  set_balance_a (f, f->cost + f->cost / 2);
  first = place (f, WITHOUT_FALLBACK, "Some1");
  second = place (f, WITHOUT_FALLBACK, "Some2");
  report = et_dispatch (f->core);
  g_assert_cmpuint (report.n_sent, ==, 1);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim_a, "add"), ==, 1);
  {
    g_autoptr(RelayOrderRow) one = et_order (f->core, first);

    g_assert_cmpint (one->status, ==, RELAY_ORDER_PENDING);
  }
  assert_waiting (f, second, NULL);
  g_assert_cmpuint (f->n_wait, ==, 1);
  g_assert_cmpint (f->wait_needed, ==, f->cost);
  g_assert_cmpint (f->wait_balance, ==, f->cost / 2);
}

static void
send_one (RelayCore *core, gint64 id)
{
  EtAsync async = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree RelayDispatchReport *report = NULL;

  relay_dispatcher_send_async (relay_core_get_dispatcher (core), &id, 1, NULL, et_async_ready,
                               &async);
  report = relay_dispatcher_run_finish (relay_core_get_dispatcher (core), et_async_wait (&async),
                                        &error);
  g_assert_no_error (error);
  et_async_clear (&async);
  g_assert_cmpuint (report->n_funds, ==, 1);
}

/* Runs that send only the orders asked for (`order add`) know part of what
 * the waiting orders need: the book keeps the most any of them saw; a run of
 * every due order then says the whole. */
static void
test_partial_runs_need (Fixture *f, gconstpointer data)
{
  g_autoptr(RelayProviderRow) row = NULL;
  gint64 small, big;

  set_balance_a (f, 0);
  big = et_place (f->core, WITHOUT_FALLBACK, f->client_id, "https://www.instagram.com/p/FundsBig/",
                  2 * QUANTITY);
  small = place (f, WITHOUT_FALLBACK, "Small");
  send_one (f->core, big);
  send_one (f->core, small);
  row = provider_row (f, f->provider_a);
  g_assert_cmpint (row->funds_needed, ==, 2 * f->cost);
  g_assert_cmpuint (f->n_wait, ==, 1);
  et_dispatch (f->core);
  g_clear_pointer (&row, relay_provider_row_free);
  row = provider_row (f, f->provider_a);
  g_assert_cmpint (row->funds_needed, ==, 3 * f->cost);
  g_assert_cmpuint (f->n_wait, ==, 1);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim_a, "add"), ==, 0);
}

/* A reading older than the max age is asked again before orders go. */
static void
test_stale_balance_read_again (Fixture *f, gconstpointer data)
{
  RelayStore *store = relay_core_get_store (f->core);
  g_autofree char *sql = NULL;
  RelayDispatchReport report;
  guint before = relay_sim_get_n_requests (f->sim_a, "balance");
  gint64 id;

  /* The book says 0 an hour ago; the panel has its 1000 USD. */
  sql = g_strdup_printf ("UPDATE providers SET balance = 0, balance_at = %" G_GINT64_FORMAT
                         " WHERE id = %" G_GINT64_FORMAT,
                         g_get_real_time () / G_USEC_PER_SEC - 3600, f->provider_a);
  et_sql (store, sql);
  id = place (f, WITHOUT_FALLBACK, "Stale");
  report = et_dispatch (f->core);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim_a, "balance"), ==, before + 1);
  g_assert_cmpuint (report.n_sent, ==, 1);
  {
    g_autoptr(RelayOrderRow) order = et_order (f->core, id);

    g_assert_cmpint (order->status, ==, RELAY_ORDER_PENDING);
  }
  g_assert_cmpuint (f->n_wait, ==, 0);
  /* Fresh now: not asked again. */
  place (f, WITHOUT_FALLBACK, "Stale2");
  report = et_dispatch (f->core);
  g_assert_cmpuint (report.n_sent, ==, 1);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim_a, "balance"), ==, before + 1);
}

/* The book thinks the balance covers it, the panel says "Not enough funds":
 * the order waits, queued (not failed); a top-up sends it once. */
static void
test_panel_refusal_waits (Fixture *f, gconstpointer data)
{
  g_autoptr(RelayProviderBalance) balance = NULL;
  g_autoptr(RelayOrderRow) order = NULL;
  RelayDispatchReport report;
  gint64 id;

  relay_sim_set_balance (f->sim_a, 0);       /* the book still says 1000 USD */
  id = place (f, WITHOUT_FALLBACK, "Refused");
  report = et_dispatch (f->core);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim_a, "add"), ==, 1);
  g_assert_cmpuint (report.n_failed, ==, 0);
  g_assert_cmpuint (report.n_sent, ==, 0);
  assert_waiting (f, id, "Not enough funds");
  g_assert_cmpuint (f->n_wait, ==, 1);
  g_assert_cmpint (f->wait_needed, ==, f->cost);
  g_assert_cmpint (et_ledger_sum (relay_core_get_store (f->core), f->client_id), >, 0);

  /* Not asked again while the balance says the same. */
  report = et_dispatch (f->core);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim_a, "add"), ==, 1);
  assert_waiting (f, id, NULL);
  g_assert_cmpuint (f->n_wait, ==, 1);

  relay_sim_set_balance (f->sim_a, 10 * f->cost);
  balance = refresh_balance (f->core, f->provider_a);
  order = et_order (f->core, id);
  g_assert_cmpint (order->status, ==, RELAY_ORDER_PENDING);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim_a, "add"), ==, 2);
  g_assert_cmpuint (relay_sim_count_orders_with_link (f->sim_a, order->link), ==, 1);
  g_assert_cmpuint (f->n_resumed, ==, 1);
}

/* The panel says "Not enough funds" while its balance reads plenty (a
 * per-order limit, a slow top-up): the order waits, and a balance reading the
 * same does not send it; the user's own balance check (the banner's Refresh
 * Balance) forgets the refusal, and the order goes once. */
static void
test_refusal_forgotten_on_request (Fixture *f, gconstpointer data)
{
  g_autoptr(RelayProviderBalance) balance = NULL;
  g_autoptr(RelayOrderRow) order = NULL;
  RelayDispatcher *dispatcher = relay_core_get_dispatcher (f->core);
  gint64 id;

  relay_sim_inject_reply (f->sim_a, "add", "{\"error\": \"Not enough funds on balance\"}", 1);
  id = place (f, WITHOUT_FALLBACK, "Limit");
  et_dispatch (f->core);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim_a, "add"), ==, 1);
  assert_waiting (f, id, "Not enough funds");

  /* The same reading: still waiting, not asked again. */
  g_clear_pointer (&balance, relay_provider_balance_free);
  balance = refresh_balance (f->core, f->provider_a);
  et_dispatch (f->core);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim_a, "add"), ==, 1);
  assert_waiting (f, id, NULL);

  relay_dispatcher_forget_funds_refusal (dispatcher, f->provider_a);
  g_clear_pointer (&balance, relay_provider_balance_free);
  balance = refresh_balance (f->core, f->provider_a);
  order = et_order (f->core, id);
  g_assert_cmpint (order->status, ==, RELAY_ORDER_PENDING);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim_a, "add"), ==, 2);
  g_assert_cmpuint (relay_sim_count_orders_with_link (f->sim_a, order->link), ==, 1);
}

/* A panel whose balance cannot be read: the order goes (the panel decides),
 * and its "not enough funds" leaves it waiting, not asked again at once. */
static void
test_refusal_unknown_balance (Fixture *f, gconstpointer data)
{
  RelayStore *store = relay_core_get_store (f->core);
  g_autofree char *sql = g_strdup_printf ("UPDATE providers SET balance = NULL, balance_at = 0 "
                                          "WHERE id = %" G_GINT64_FORMAT, f->provider_a);
  RelayDispatchReport report;
  gint64 id;

  et_sql (store, sql);
  relay_sim_inject_reply (f->sim_a, "balance", "{\"error\": \"Incorrect request\"}", 10);
  relay_sim_set_balance (f->sim_a, 0);
  id = place (f, WITHOUT_FALLBACK, "Unknown");
  report = et_dispatch (f->core);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim_a, "balance"), >=, 1);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim_a, "add"), ==, 1);
  g_assert_cmpuint (report.n_funds, ==, 1);
  assert_waiting (f, id, "Not enough funds");
  g_assert_cmpuint (f->n_wait, ==, 1);
  g_assert_cmpint (f->wait_balance, ==, 0);

  report = et_dispatch (f->core);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim_a, "add"), ==, 1);
  g_assert_cmpuint (report.n_funds, ==, 1);
  assert_waiting (f, id, "Not enough funds");
}

/* The primary is short and the service has a fallback: it goes there, and
 * nothing was asked of the primary. */
static void
test_fallback_when_short (Fixture *f, gconstpointer data)
{
  g_autoptr(RelayOrderRow) order = NULL;
  RelayDispatchReport report;
  gint64 id;

  set_balance_a (f, 0);
  id = place (f, WITH_FALLBACK, "Fallback");
  report = et_dispatch (f->core);
  g_assert_cmpuint (report.n_sent, ==, 1);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim_a, "add"), ==, 0);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim_b, "add"), ==, 1);
  order = et_order (f->core, id);
  g_assert_cmpint (order->status, ==, RELAY_ORDER_PENDING);
  g_assert_cmpint (order->provider_id, ==, f->provider_b);
  g_assert_true (et_events_mention (relay_core_get_store (f->core), id, "funds"));
  g_assert_cmpuint (f->n_wait, ==, 0);
}

/* A cost beyond the money limits fails the order before anything is sent;
 * what waiting orders need adds up without wrapping. */
static void
test_cost_overflow (Fixture *f, gconstpointer data)
{
  RelayStore *store = relay_core_get_store (f->core);
  g_autoptr(RelayOrderRow) order = NULL;
  g_autoptr(RelayProviderRow) row = NULL;
  g_autofree char *sql = NULL;
  RelayDispatchReport report;
  gint64 id;
  gint64 big[10];

  id = place (f, WITHOUT_FALLBACK, "Overflow");
  sql = g_strdup_printf ("UPDATE orders SET quantity = 4000000000000000000, runs = 3 "
                         "WHERE id = %" G_GINT64_FORMAT, id);
  et_sql (store, sql);
  report = et_dispatch (f->core);
  g_assert_cmpuint (report.n_failed, ==, 1);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim_a, "add"), ==, 0);
  order = et_order (f->core, id);
  g_assert_cmpint (order->status, ==, RELAY_ORDER_FAILED);
  g_assert_nonnull (strstr (order->error, "cannot be counted"));

  /* Ten orders of 10^18 micro-units each: 10^19 does not fit in 64 bits. */
  set_balance_a (f, 1000000);
  for (guint i = 0; i < G_N_ELEMENTS (big); i++)
    {
      g_autofree char *tag = g_strdup_printf ("Big%u", i);

      big[i] = place (f, WITHOUT_FALLBACK, tag);
    }
  et_sql (store, "UPDATE catalog SET rate = 1000000000000");
  et_sql (store, "UPDATE services SET price = 1000000000000");
  et_sql (store, "UPDATE orders SET quantity = 1000000000 WHERE status = 'queued'");
  report = et_dispatch (f->core);
  g_assert_cmpuint (report.n_sent + report.n_failed, ==, 0);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim_a, "add"), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (big); i++)
    assert_waiting (f, big[i], NULL);
  row = provider_row (f, f->provider_a);
  g_assert_cmpint (row->funds_needed, ==, G_MAXINT64);
  g_assert_cmpuint (f->n_wait, ==, 1);
  g_assert_cmpint (f->wait_needed, ==, G_MAXINT64);
}

/* Two processes on one book (the window and the CLI): the wait is
 * announced by one of them, and after the top-up each order is sent once
 * although both send. */
static void
test_two_processes (Fixture *f, gconstpointer data)
{
  g_autoptr(RelayCore) other = et_core_new (f->book);
  g_autoptr(RelayProviderBalance) balance = NULL;
  EtAsync a = { 0 }, b = { 0 };
  g_autofree RelayDispatchReport *report_a = NULL;
  g_autofree RelayDispatchReport *report_b = NULL;
  g_autoptr(GError) error = NULL;
  gint64 ids[6];

  watch (f, other);
  set_balance_a (f, f->cost / 3);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *tag = g_strdup_printf ("Two%u", i);

      ids[i] = place (f, WITHOUT_FALLBACK, tag);
    }
  et_dispatch (f->core);
  et_dispatch (other);
  g_assert_cmpuint (f->n_wait, ==, 1);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim_a, "add"), ==, 0);

  g_assert_true (relay_sim_top_up (f->sim_a, 10 * f->cost));
  /* Both see the money at once and send together. */
  relay_core_refresh_balance_async (f->core, f->provider_a, NULL, et_async_ready, &a);
  relay_dispatcher_run_async (relay_core_get_dispatcher (other), NULL, et_async_ready, &b);
  balance = relay_core_refresh_balance_finish (f->core, et_async_wait (&a), &error);
  g_assert_no_error (error);
  report_b = relay_dispatcher_run_finish (relay_core_get_dispatcher (other), et_async_wait (&b),
                                          &error);
  g_assert_no_error (error);
  et_async_clear (&a);
  et_async_clear (&b);
  /* Whatever one of them left (it read the balance before the top-up) goes
   * with the next run. */
  et_dispatch (other);
  et_dispatch (f->core);

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(RelayOrderRow) order = et_order (f->core, ids[i]);

      g_assert_cmpint (order->status, ==, RELAY_ORDER_PENDING);
      g_assert_cmpuint (relay_sim_count_orders_with_link (f->sim_a, order->link), ==, 1);
    }
  g_assert_cmpuint (relay_sim_get_n_orders (f->sim_a), ==, G_N_ELEMENTS (ids));
  g_assert_cmpuint (f->n_wait, ==, 1);
  g_assert_cmpuint (f->n_resumed, ==, 1);
  g_signal_handlers_disconnect_by_data (relay_core_get_dispatcher (other), f);
}

/* The demo's way to top up: the simulator's admin endpoint, then a balance
 * check, and the waiting orders go. */
static void
test_demo_top_up (Fixture *f, gconstpointer data)
{
  g_autoptr(RelayProviderBalance) balance = NULL;
  g_autoptr(RelayOrderRow) order = NULL;
  g_autoptr(GError) error = NULL;
  EtAsync async = { 0 };
  gint64 id;

  set_balance_a (f, 0);
  id = place (f, WITHOUT_FALLBACK, "Demo");
  et_dispatch (f->core);
  assert_waiting (f, id, NULL);

  relay_demo_fund_async (f->core, f->provider_a, 25 * RELAY_MICRO, FALSE, NULL, et_async_ready,
                         &async);
  balance = relay_demo_fund_finish (f->core, et_async_wait (&async), &error);
  g_assert_no_error (error);
  et_async_clear (&async);
  /* The balance read after the top-up; the waiting order went after it. */
  g_assert_cmpint (balance->balance, ==, 25 * RELAY_MICRO);
  g_assert_cmpint (relay_sim_get_balance (f->sim_a), ==, 25 * RELAY_MICRO - f->cost);
  order = et_order (f->core, id);
  g_assert_cmpint (order->status, ==, RELAY_ORDER_PENDING);
  g_assert_cmpuint (f->n_resumed, ==, 1);

  /* Set, not added. */
  g_clear_pointer (&balance, relay_provider_balance_free);
  relay_demo_fund_async (f->core, f->provider_a, 2 * RELAY_MICRO, TRUE, NULL, et_async_ready,
                         &async);
  balance = relay_demo_fund_finish (f->core, et_async_wait (&async), &error);
  g_assert_no_error (error);
  et_async_clear (&async);
  g_assert_cmpint (balance->balance, ==, 2 * RELAY_MICRO);
}

static void
test_demo_top_up_refused (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayProviderBalance) balance = NULL;
  g_autofree char *closed = et_closed_url ();
  EtAsync async = { 0 };
  gint64 remote;

  /* Not a simulator on this computer. */
  remote = relay_core_add_provider (f->core, "Remote", "https://panel.example/api/v2", "k", &error);
  g_assert_no_error (error);
  relay_demo_fund_async (f->core, remote, RELAY_MICRO, FALSE, NULL, et_async_ready, &async);
  balance = relay_demo_fund_finish (f->core, et_async_wait (&async), &error);
  g_assert_null (balance);
  g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID);
  g_clear_error (&error);
  et_async_clear (&async);

  /* The demo is not running. */
  relay_core_update_provider (f->core, f->provider_a, NULL, closed, NULL, &error);
  g_assert_no_error (error);
  relay_demo_fund_async (f->core, f->provider_a, RELAY_MICRO, FALSE, NULL, et_async_ready, &async);
  balance = relay_demo_fund_finish (f->core, et_async_wait (&async), &error);
  g_assert_null (balance);
  g_assert_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_NOT_SENT);
  et_async_clear (&async);
}

/* "N orders wait for funds" counts the queued orders that wait for funds,
 * not one queued for a later retry for another reason (the panel's rate
 * limit, a network error): that one is not held by the balance. */
static void
test_waiting_count (Fixture *f, gconstpointer data)
{
  RelayStore *store = relay_core_get_store (f->core);
  g_autoptr(RelayFundsState) state = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  RelayDispatchReport report;
  gint64 later;

  set_balance_a (f, f->cost / 2);
  place (f, WITHOUT_FALLBACK, "Count1");
  place (f, WITHOUT_FALLBACK, "Count2");
  report = et_dispatch (f->core);
  g_assert_cmpuint (report.n_sent, ==, 0);
  g_assert_cmpuint (f->n_wait, ==, 1);

  /* Queued again in an hour, as after an HTTP 429. */
  later = place (f, WITHOUT_FALLBACK, "Count3");
  sql = g_strdup_printf ("UPDATE orders SET next_attempt_at = %" G_GINT64_FORMAT ", attempts = 1, "
                         "provider_id = %" G_GINT64_FORMAT " WHERE id = %" G_GINT64_FORMAT,
                         g_get_real_time () / G_USEC_PER_SEC + 3600, f->provider_a, later);
  et_sql (store, sql);

  state = relay_core_provider_funds_state (f->core, f->provider_a, &error);
  g_assert_no_error (error);
  g_assert_true (state->waiting);
  g_assert_cmpint (state->n_waiting, ==, 2);
  g_assert_nonnull (strstr (state->waiting_text, "2 orders wait for funds at Panel A"));
}

int
main (int argc, char **argv)
{
  et_init (&argc, &argv);

  g_test_add_func ("/funds/refusal-words", test_refusal_words);
#define ADD(path, func) \
  g_test_add ("/funds/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("store-wait-once", test_store_wait_once);
  ADD ("low-balance", test_low_balance);
  ADD ("short-waits-then-resumes", test_short_waits_then_resumes);
  ADD ("covers-some", test_covers_some);
  ADD ("partial-runs-need", test_partial_runs_need);
  ADD ("stale-balance-read-again", test_stale_balance_read_again);
  ADD ("panel-refusal-waits", test_panel_refusal_waits);
  ADD ("refusal-unknown-balance", test_refusal_unknown_balance);
  ADD ("refusal-forgotten-on-request", test_refusal_forgotten_on_request);
  ADD ("fallback-when-short", test_fallback_when_short);
  ADD ("cost-overflow", test_cost_overflow);
  ADD ("two-processes", test_two_processes);
  ADD ("demo-top-up", test_demo_top_up);
  ADD ("demo-top-up-refused", test_demo_top_up_refused);
  ADD ("waiting-count", test_waiting_count);
#undef ADD
  return g_test_run ();
}
