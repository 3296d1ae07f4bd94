/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayNotifier against a book and the simulator: a batch of 50 failed orders is one
 * notification, kinds turned off in GSettings say nothing, nothing is said about the order or
 * page the focused window shows and a notification is withdrawn when its item is looked at,
 * a low balance and a wait for funds are told once per episode, price changes and failed
 * health checks open their page. */
#include "config.h"

#include <string.h>

#include "engine-test-util.h"
#include "relay-notifier.h"
#include "relay-format.h"

typedef struct
{
  char *id;
  char *title;
  char *body;
} Said;

typedef struct
{
  EtBook        *book;
  RelaySim      *sim;
  char          *url;
  RelayCore     *core;
  GSettings     *settings;
  RelayNotifier *notifier;
  gint64         provider_id;
  GPtrArray     *sent;        /* Said* */
  GPtrArray     *withdrawn;   /* char* ids */
  GPtrArray     *toasts;      /* char* texts */
} Fixture;

static void
said_free (Said *said)
{
  g_free (said->id);
  g_free (said->title);
  g_free (said->body);
  g_free (said);
}

static void
on_sent (RelayNotifier *notifier, const char *id, const char *title, const char *body, Fixture *f)
{
  Said *said = g_new0 (Said, 1);

  said->id = g_strdup (id);
  said->title = g_strdup (title);
  said->body = g_strdup (body);
  g_test_message ("sent %s: %s — %s", id, title, body ? body : "");
  g_ptr_array_add (f->sent, said);
}

static void
on_withdrawn (RelayNotifier *notifier, const char *id, Fixture *f)
{
  g_ptr_array_add (f->withdrawn, g_strdup (id));
}

static void
on_toast (RelayNotifier *notifier, const char *text, Fixture *f)
{
  g_ptr_array_add (f->toasts, g_strdup (text));
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->book = et_book_new ();
  f->sim = et_sim_new ();
  f->url = relay_sim_dup_url (f->sim);
  f->core = et_core_new (f->book);
  f->provider_id = et_add_provider (f->core, "Demo provider", f->url);
  /* GSETTINGS_BACKEND=memory keeps values for the process: every test
   * starts from the defaults. */
  f->settings = g_settings_new (APP_ID);
  {
    g_autoptr(GSettingsSchema) schema = NULL;
    g_auto(GStrv) keys = NULL;

    g_object_get (f->settings, "settings-schema", &schema, NULL);
    keys = g_settings_schema_list_keys (schema);
    for (guint i = 0; keys[i] != NULL; i++)
      g_settings_reset (f->settings, keys[i]);
  }
  f->sent = g_ptr_array_new_with_free_func ((GDestroyNotify) said_free);
  f->withdrawn = g_ptr_array_new_with_free_func (g_free);
  f->toasts = g_ptr_array_new_with_free_func (g_free);
  f->notifier = relay_notifier_new (NULL, f->settings);
  relay_notifier_set_core (f->notifier, f->core);
  g_signal_connect (f->notifier, "sent", G_CALLBACK (on_sent), f);
  g_signal_connect (f->notifier, "withdrawn", G_CALLBACK (on_withdrawn), f);
  g_signal_connect (f->notifier, "toast", G_CALLBACK (on_toast), f);
  /* No window has the focus: notifications, not toasts. */
  relay_notifier_set_view (f->notifier, FALSE, "orders", 0);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->notifier);
  g_clear_object (&f->core);
  g_clear_object (&f->sim);
  g_clear_object (&f->settings);
  g_clear_pointer (&f->url, g_free);
  g_clear_pointer (&f->sent, g_ptr_array_unref);
  g_clear_pointer (&f->withdrawn, g_ptr_array_unref);
  g_clear_pointer (&f->toasts, g_ptr_array_unref);
  g_clear_pointer (&f->book, et_book_free);
}

static GArray *
changes_of (RelayOrderStatus status, gint64 first_id, guint n)
{
  GArray *changes = g_array_new (FALSE, FALSE, sizeof (RelayStatusChange));

  for (guint i = 0; i < n; i++)
    {
      RelayStatusChange change = { first_id + i, RELAY_ORDER_PENDING, status };

      g_array_append_val (changes, change);
    }
  return changes;
}

static const Said *
find_sent (Fixture *f, const char *id)
{
  for (guint i = 0; i < f->sent->len; i++)
    {
      const Said *said = g_ptr_array_index (f->sent, i);

      if (g_strcmp0 (said->id, id) == 0)
        return said;
    }
  return NULL;
}

static gboolean
has_string (GPtrArray *strings, const char *text)
{
  for (guint i = 0; i < strings->len; i++)
    if (g_strcmp0 (g_ptr_array_index (strings, i), text) == 0)
      return TRUE;
  return FALSE;
}

/* 50 orders failing at once: one notification that counts them, not 50. */
static void
test_batch (Fixture *f, gconstpointer data)
{
  g_autoptr(GArray) changes = changes_of (RELAY_ORDER_FAILED, 1000, 50);
  g_autoptr(GArray) partial = changes_of (RELAY_ORDER_PARTIAL, 2000, 2);
  g_autoptr(GArray) review = changes_of (RELAY_ORDER_NEEDS_REVIEW, 3000, 1);
  g_autoptr(GArray) few = changes_of (RELAY_ORDER_FAILED, 4000, 2);
  g_autoptr(GArray) running = changes_of (RELAY_ORDER_IN_PROGRESS, 5000, 10);
  const Said *said;

  g_array_append_vals (changes, partial->data, partial->len);
  g_array_append_vals (changes, review->data, review->len);
  relay_notifier_orders_changed (f->notifier, changes);
  g_assert_cmpuint (f->sent->len, ==, 3);
  said = find_sent (f, "orders-failed");
  g_assert_nonnull (said);
  g_assert_cmpstr (said->title, ==, "50 orders failed");
  g_assert_cmpstr (said->body, ==, "#1000, #1001, #1002, #1003, #1004 and 45 more");
  said = find_sent (f, "orders-partial");
  g_assert_nonnull (said);
  g_assert_cmpstr (said->title, ==, "2 orders ended partial");
  /* Alone in its status, an order keeps its own notification (Show Order). */
  said = find_sent (f, "order-3000");
  g_assert_nonnull (said);
  g_assert_cmpstr (said->title, ==, "Order #3000 needs review");

  /* The same orders told again in the same call (runs that overlapped
   * while the book was held): each order once, in its last status. */
  g_ptr_array_set_size (f->sent, 0);
  {
    g_autoptr(GArray) again = changes_of (RELAY_ORDER_PARTIAL, 2000, 2);
    g_autoptr(GArray) twice = changes_of (RELAY_ORDER_PARTIAL, 2000, 2);
    g_autoptr(GArray) others = changes_of (RELAY_ORDER_PARTIAL, 2100, 4);
    g_autoptr(GArray) then_failed = changes_of (RELAY_ORDER_FAILED, 2101, 1);

    g_array_append_vals (again, twice->data, twice->len);
    g_array_append_vals (again, others->data, others->len);
    g_array_append_vals (again, twice->data, twice->len);
    g_array_append_vals (again, then_failed->data, then_failed->len);
    relay_notifier_orders_changed (f->notifier, again);
    said = find_sent (f, "orders-partial");
    g_assert_nonnull (said);
    g_assert_cmpstr (said->title, ==, "5 orders ended partial");
    g_assert_cmpstr (said->body, ==, "#2100, #2102, #2103, #2000, #2001");
    g_assert_cmpstr (find_sent (f, "order-2101")->title, ==, "Order #2101 failed");
  }

  /* Up to three orders: one each; statuses that are not news: none. */
  g_ptr_array_set_size (f->sent, 0);
  g_array_append_vals (few, running->data, running->len);
  relay_notifier_orders_changed (f->notifier, few);
  g_assert_cmpuint (f->sent->len, ==, 2);
  g_assert_cmpstr (find_sent (f, "order-4000")->title, ==, "Order #4000 failed");
  g_assert_nonnull (find_sent (f, "order-4001"));
  g_assert_cmpuint (f->toasts->len, ==, 0);
}

/* Each kind can be turned off; the master switch turns all off. */
static void
test_kinds_off (Fixture *f, gconstpointer data)
{
  g_autoptr(GArray) failed = changes_of (RELAY_ORDER_FAILED, 10, 1);
  g_autoptr(GArray) partial = changes_of (RELAY_ORDER_PARTIAL, 20, 1);
  g_autoptr(GArray) many = changes_of (RELAY_ORDER_FAILED, 100, 40);

  g_settings_set_boolean (f->settings, "notify-failed", FALSE);
  g_assert_false (relay_notifier_get_enabled (f->notifier, RELAY_NOTIFY_FAILED));
  relay_notifier_orders_changed (f->notifier, failed);
  relay_notifier_orders_changed (f->notifier, many);
  g_assert_cmpuint (f->sent->len, ==, 0);
  relay_notifier_orders_changed (f->notifier, partial);
  g_assert_cmpuint (f->sent->len, ==, 1);
  g_assert_nonnull (find_sent (f, "order-20"));

  g_settings_set_boolean (f->settings, "notify-failed", TRUE);
  g_settings_set_boolean (f->settings, "notifications", FALSE);
  for (guint k = 0; k < RELAY_NOTIFY_N_KINDS; k++)
    g_assert_false (relay_notifier_get_enabled (f->notifier, k));
  relay_notifier_orders_changed (f->notifier, failed);
  relay_notifier_orders_changed (f->notifier, partial);
  g_assert_cmpuint (f->sent->len, ==, 1);

  /* Low balance off: a balance below the threshold says nothing. */
  g_settings_set_boolean (f->settings, "notifications", TRUE);
  g_settings_set_boolean (f->settings, "notify-low-balance", FALSE);
  g_assert_true (relay_core_set_low_balance (f->core, f->provider_id, 1000000000000, NULL));
  g_assert_cmpuint (f->sent->len, ==, 1);
  g_assert_cmpuint (f->toasts->len, ==, 0);
}

/* Nothing about the order in the focused window's details, a toast (not a
 * notification) about another, and a notification withdrawn once its order
 * is looked at. */
static void
test_focused (Fixture *f, gconstpointer data)
{
  g_autoptr(GArray) seven = changes_of (RELAY_ORDER_FAILED, 7, 1);
  g_autoptr(GArray) eight = changes_of (RELAY_ORDER_FAILED, 8, 1);

  relay_notifier_set_view (f->notifier, TRUE, "orders", 7);
  relay_notifier_orders_changed (f->notifier, seven);
  g_assert_cmpuint (f->sent->len, ==, 0);
  g_assert_cmpuint (f->toasts->len, ==, 0);
  relay_notifier_orders_changed (f->notifier, eight);
  g_assert_cmpuint (f->sent->len, ==, 0);
  g_assert_cmpuint (f->toasts->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->toasts, 0), ==, "Order #8 failed");

  /* Away: a notification; back on that order: it is taken back. */
  relay_notifier_set_view (f->notifier, FALSE, "orders", 7);
  relay_notifier_orders_changed (f->notifier, eight);
  g_assert_nonnull (find_sent (f, "order-8"));
  relay_notifier_set_view (f->notifier, TRUE, "providers", 8);
  g_assert_cmpuint (f->withdrawn->len, ==, 0);   /* the details are not shown there */
  relay_notifier_set_view (f->notifier, TRUE, "orders", 8);
  g_assert_true (has_string (f->withdrawn, "order-8"));
}

/* A low balance is told once when it begins, not while the Providers page
 * is looked at, and withdrawn when the page is then shown or it ends. */
static void
test_low_balance (Fixture *f, gconstpointer data)
{
  g_autofree char *id = g_strdup_printf ("low-balance-%" G_GINT64_FORMAT, f->provider_id);
  const Said *said;
  EtAsync async = { 0 };
  g_autoptr(RelayProviderBalance) balance = NULL;

  /* The balance known (the sim's), then a threshold above it. */
  relay_core_refresh_balance_async (f->core, f->provider_id, NULL, et_async_ready, &async);
  balance = relay_core_refresh_balance_finish (f->core, et_async_wait (&async), NULL);
  et_async_clear (&async);
  g_assert_nonnull (balance);
  g_assert_cmpuint (f->sent->len, ==, 0);

  g_assert_true (relay_core_set_low_balance (f->core, f->provider_id, 1000000000000, NULL));
  g_assert_cmpuint (f->sent->len, ==, 1);
  said = find_sent (f, id);
  g_assert_nonnull (said);
  g_assert_cmpstr (said->title, ==, "Low balance at Demo provider");
  g_assert_nonnull (strstr (said->body, "is low"));
  /* Still low after another change: not told again. */
  g_assert_true (relay_core_set_low_balance (f->core, f->provider_id, 2000000000000, NULL));
  g_assert_cmpuint (f->sent->len, ==, 1);
  /* The Providers page looked at: withdrawn. */
  relay_notifier_set_view (f->notifier, TRUE, "providers", 0);
  g_assert_true (has_string (f->withdrawn, id));

  /* Over; then low again while the page is looked at: nothing said. */
  g_assert_true (relay_core_set_low_balance (f->core, f->provider_id, -1, NULL));
  g_assert_true (relay_core_set_low_balance (f->core, f->provider_id, 1000000000000, NULL));
  g_assert_cmpuint (f->sent->len, ==, 1);
  g_assert_cmpuint (f->toasts->len, ==, 0);
}

/* Orders waiting for funds: told once, on the Providers page; withdrawn when
 * the wait ends. */
static void
test_funds_wait (Fixture *f, gconstpointer data)
{
  g_autofree char *id = g_strdup_printf ("funds-%" G_GINT64_FORMAT, f->provider_id);
  RelayStore *store = relay_core_get_store (f->core);
  gboolean started = FALSE, ended = FALSE;

  g_assert_true (relay_store_start_funds_wait (store, f->provider_id, 4500000, FALSE, &started, NULL));
  g_assert_true (started);
  /* Told from an idle (a run of this process would tell it first). */
  et_spin (20);
  g_assert_cmpuint (f->sent->len, ==, 1);
  g_assert_cmpstr (find_sent (f, id)->title, ==, "Orders wait for funds at Demo provider");
  g_assert_true (relay_store_start_funds_wait (store, f->provider_id, 5000000, FALSE, &started, NULL));
  g_assert_cmpuint (f->sent->len, ==, 1);
  g_assert_true (relay_store_end_funds_wait (store, f->provider_id, &ended, NULL));
  g_assert_true (ended);
  g_assert_true (has_string (f->withdrawn, id));
}

/* A mass send leaves orders waiting for funds: the toast says the balance
 * after the orders that went, not the reading from before them. */
static void
test_funds_wait_after_sends (Fixture *f, gconstpointer data)
{
  RelayStore *store = relay_core_get_store (f->core);
  g_autoptr(RelayCatalogRow) row = NULL;
  g_autoptr(RelayProviderBalance) balance = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *needs = NULL;
  EtAsync async = { 0 };
  RelayDispatchReport report;
  gint64 client_id, cost;
  const char *text;

  et_map (f->core, 1, f->provider_id, "101", 0, NULL, FALSE);
  client_id = et_add_client (f->core, "Client");
  row = relay_store_find_catalog_service (store, f->provider_id, "101", &error);
  g_assert_no_error (error);
  g_assert_true (relay_money_for_quantity (row->rate, 1000, &cost, NULL));
  /* The panel holds one order and a half; the book knows it. */
  relay_sim_set_balance (f->sim, cost + cost / 2);
  relay_core_refresh_balance_async (f->core, f->provider_id, NULL, et_async_ready, &async);
  balance = relay_core_refresh_balance_finish (f->core, et_async_wait (&async), &error);
  g_assert_no_error (error);
  et_async_clear (&async);
  g_assert_cmpint (balance->balance, ==, cost + cost / 2);

  relay_notifier_set_view (f->notifier, TRUE, "orders", 0);
  et_place (f->core, 1, client_id, "https://www.instagram.com/funds_one/", 1000);
  et_place (f->core, 1, client_id, "https://www.instagram.com/funds_two/", 1000);
  report = et_dispatch (f->core);
  g_assert_cmpuint (report.n_sent, ==, 1);
  et_spin (20);

  before = relay_format_money (cost + cost / 2, balance->currency, RELAY_MONEY_STYLE_TOTAL);
  after = relay_format_money (cost / 2, balance->currency, RELAY_MONEY_STYLE_TOTAL);
  needs = relay_format_money (cost, balance->currency, RELAY_MONEY_STYLE_TOTAL);
  g_assert_cmpuint (f->toasts->len, ==, 1);
  text = g_ptr_array_index (f->toasts, 0);
  g_test_message ("toast: %s", text);
  g_assert_nonnull (strstr (text, "Orders wait for funds at Demo provider"));
  g_assert_nonnull (strstr (text, needs));
  g_assert_nonnull (strstr (text, after));
  g_assert_nonnull (strstr (text, "after the orders just sent"));
  g_assert_null (strstr (text, before));
}

/* A failed health check opens the Providers page; a passing one says nothing. */
static void
test_health (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_health_step_free);
  RelayHealthStep *step = g_new0 (RelayHealthStep, 1);

  step->name = g_strdup ("key");
  step->result = RELAY_HEALTH_PASS;
  step->detail = g_strdup ("The panel accepts the key");
  g_ptr_array_add (steps, step);
  relay_notifier_health_checked (f->notifier, "Demo provider", steps);
  g_assert_cmpuint (f->sent->len, ==, 0);

  step = g_new0 (RelayHealthStep, 1);
  step->name = g_strdup ("balance");
  step->result = RELAY_HEALTH_FAIL;
  step->detail = g_strdup ("The balance does not cover the queued orders");
  g_ptr_array_add (steps, step);
  relay_notifier_health_checked (f->notifier, "Demo provider", steps);
  g_assert_cmpuint (f->sent->len, ==, 1);
  g_assert_cmpstr (find_sent (f, "health-Demo provider")->title, ==, "Check of Demo provider failed");
  g_assert_cmpstr (find_sent (f, "health-Demo provider")->body, ==,
                   "The balance does not cover the queued orders");

  g_settings_set_boolean (f->settings, "notify-health", FALSE);
  relay_notifier_health_checked (f->notifier, "Demo provider", steps);
  g_assert_cmpuint (f->sent->len, ==, 1);
}

int
main (int argc, char **argv)
{
  et_init (&argc, &argv);
  gtk_init ();

  g_test_add ("/notifier/batch", Fixture, NULL, fixture_set_up, test_batch, fixture_tear_down);
  g_test_add ("/notifier/kinds-off", Fixture, NULL, fixture_set_up, test_kinds_off,
              fixture_tear_down);
  g_test_add ("/notifier/focused", Fixture, NULL, fixture_set_up, test_focused, fixture_tear_down);
  g_test_add ("/notifier/low-balance", Fixture, NULL, fixture_set_up, test_low_balance,
              fixture_tear_down);
  g_test_add ("/notifier/funds-wait", Fixture, NULL, fixture_set_up, test_funds_wait,
              fixture_tear_down);
  g_test_add ("/notifier/funds-wait-after-sends", Fixture, NULL, fixture_set_up,
              test_funds_wait_after_sends, fixture_tear_down);
  g_test_add ("/notifier/health", Fixture, NULL, fixture_set_up, test_health, fixture_tear_down);
  return g_test_run ();
}
