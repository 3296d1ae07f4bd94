/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The New order page under Xvfb against the simulator: live checks, the charge, placing and
 * sending, the type's fields, services that cannot be ordered, and a picture of it. */
#include "config.h"

#include <string.h>

#include "pages-test-util.h"
#include "relay-new-order-page.h"
#include "relay-client-picker.h"
#include "relay-format.h"

#include <adwaita.h>

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

#define SEND_WAIT_MS 20000

typedef struct
{
  PtEnv             *env;
  RelayNewOrderPage *page;
  GPtrArray         *messages;
  gint64             placed_id;
  char              *toast_action;
  gint64             toast_order;
} Fixture;

static void
on_message (RelayNewOrderPage *page, const char *text, Fixture *f)
{
  g_ptr_array_add (f->messages, g_strdup (text));
}

/* The window's toasts: kept with the messages, and the last one's action. */
static void
on_toast (RelayNewOrderPage *page, AdwToast *toast, Fixture *f)
{
  GVariant *target = adw_toast_get_action_target_value (toast);

  g_ptr_array_add (f->messages, g_strdup (adw_toast_get_title (toast)));
  g_free (f->toast_action);
  f->toast_action = g_strdup (adw_toast_get_action_name (toast));
  f->toast_order = target != NULL && g_variant_is_of_type (target, G_VARIANT_TYPE_INT64)
                   ? g_variant_get_int64 (target) : 0;
}

static void
on_order_placed (RelayNewOrderPage *page, gint64 first_id, Fixture *f)
{
  f->placed_id = first_id;
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->env = pt_env_new ();
  f->messages = g_ptr_array_new_with_free_func (g_free);
  f->page = RELAY_NEW_ORDER_PAGE (relay_new_order_page_new (f->env->core));
  g_signal_connect (f->page, "message", G_CALLBACK (on_message), f);
  g_signal_connect (f->page, "order-placed", G_CALLBACK (on_order_placed), f);
  g_signal_connect (f->page, "toast", G_CALLBACK (on_toast), f);
  pt_env_show (f->env, GTK_WIDGET (f->page), "SMM Relay — New order", 960, 900);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_pointer (&f->messages, g_ptr_array_unref);
  g_clear_pointer (&f->toast_action, g_free);
  pt_env_free (f->env);
}

static gpointer
child (Fixture *f, const char *name)
{
  return pt_child (f->page, RELAY_TYPE_NEW_ORDER_PAGE, name);
}

static void
choose_service (Fixture *f, gint64 service_id)
{
  g_assert_true (relay_new_order_page_select_service (f->page, service_id));
  pt_spin (20);
}

static void
type_text (Fixture *f, const char *entry, const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (child (f, entry)), text);
  pt_spin (20);
}

static void
set_quantity (Fixture *f, gint64 value)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);

  gtk_editable_set_text (GTK_EDITABLE (child (f, "quantity_entry")), text);
  pt_spin (20);
}

static gboolean
place_sensitive (Fixture *f)
{
  return gtk_widget_get_sensitive (GTK_WIDGET (child (f, "place_button")));
}

static void
click_place (Fixture *f)
{
  g_assert_true (place_sensitive (f));
  g_signal_emit_by_name (child (f, "place_button"), "clicked");
}

static gboolean
not_busy (gpointer data)
{
  Fixture *f = data;

  return !relay_new_order_page_get_busy (f->page);
}

/* What the page said of the last order: the window's toast (one message per
 * event, so nothing on the page itself). */
static const char *
result_text (Fixture *f)
{
  g_assert_false (gtk_widget_get_visible (child (f, "result_box")));
  g_assert_cmpuint (f->messages->len, >=, 1);
  return g_ptr_array_index (f->messages, f->messages->len - 1);
}

static RelayOrderRow *
placed_order (Fixture *f)
{
  g_assert_cmpint (f->placed_id, >, 0);
  return et_order (f->env->core, f->placed_id);
}

/* The money as the page shows it: the core's amount and formatting. */
static char *
money (gint64 per_thousand, gint64 units)
{
  return relay_format_money (checked_price (per_thousand, units), NULL, RELAY_MONEY_STYLE_TOTAL);
}

static gint64
price_of (Fixture *f, gint64 service_id)
{
  g_autoptr(RelayServiceRow) row = relay_store_get_service (relay_core_get_store (f->env->core),
                                                            service_id, NULL);

  g_assert_nonnull (row);
  return row->price;
}

/* ---- tests ---- */

static gboolean
charge_has_usd (gpointer data)
{
  Fixture *f = data;

  return strstr (pt_label_text (child (f, "charge_label")), "USD") != NULL;
}

static gboolean
cost_says (Fixture *f, const char *text)
{
  return strstr (pt_label_text (child (f, "cost_label")), text) != NULL;
}

static gboolean
currency_refused (gpointer data)
{
  return cost_says (data, "did not say its currency");
}

/* Forgets the provider's currency, as for a provider whose balance was
 * never asked (the currency comes with the balance reply). */
static void
forget_currency (Fixture *f)
{
  RelayStore *store = relay_core_get_store (f->env->core);

  et_sql (store, "UPDATE providers SET currency = NULL");
  relay_store_notify_catalog_changed (store, f->env->provider_id);
}

/* Issue 4: a provider whose currency is not known yet.  The charge is never
 * a bare number: it says the currency is not known yet while the page asks
 * the provider (its balance, off the main loop), then shows it; a provider
 * that does not answer is said so. */
static void
test_charge_currency (Fixture *f, gconstpointer data)
{
  g_autofree char *amount = NULL;
  g_autofree char *with_currency = NULL;
  const char *charge;

  /* The reply takes 2 s: time to see the page before it (a slow frame
   * under Xvfb takes ~0.7 s). */
  relay_sim_set_latency (f->env->sim, 2000, 2000);
  forget_currency (f);
  pt_spin (20);
  choose_service (f, PT_FOLLOWERS);
  set_quantity (f, 2500);
  amount = money (price_of (f, PT_FOLLOWERS), 2500);

  charge = pt_label_text (child (f, "charge_label"));
  g_test_message ("before the balance reply: %s / %s", charge,
                  pt_label_text (child (f, "cost_label")));
  g_assert_nonnull (strstr (charge, amount));
  g_assert_null (strstr (charge, "USD"));
  g_assert_cmpstr (charge, !=, amount);
  g_assert_nonnull (strstr (charge, "currency not known yet"));
  g_assert_true (cost_says (f, "Asking Demo provider for its currency"));
  g_free (pt_save_png (GTK_WIDGET (f->page), "new-order-currency-unknown.png"));
  /* It can be placed meanwhile: the order book charges by the same price. */
  type_text (f, "link_entry", "https://instagram.com/relay_demo");
  g_assert_true (place_sensitive (f));

  /* The balance reply tells it: the amounts show it. */
  pt_wait (charge_has_usd, f, 5000);
  with_currency = g_strdup_printf ("%s USD", amount);
  g_assert_cmpstr (pt_label_text (child (f, "charge_label")), ==, with_currency);
  g_assert_false (cost_says (f, "currency"));
  g_assert_true (cost_says (f, "USD"));

  /* A provider that does not answer: said under the charge, still no bare number. */
  relay_sim_set_latency (f->env->sim, 0, 0);
  relay_sim_inject_fault (f->env->sim, "balance", RELAY_SIM_FAULT_ERROR_JSON, 5);
  relay_new_order_page_set_core (f->page, NULL);
  forget_currency (f);
  relay_new_order_page_set_core (f->page, f->env->core);
  choose_service (f, PT_FOLLOWERS);
  type_text (f, "link_entry", "https://instagram.com/relay_demo");
  set_quantity (f, 2500);
  pt_wait (currency_refused, f, 5000);
  g_test_message ("the provider refused: %s / %s", pt_label_text (child (f, "charge_label")),
                  pt_label_text (child (f, "cost_label")));
  g_assert_nonnull (strstr (pt_label_text (child (f, "charge_label")), "currency not known yet"));
  g_assert_true (cost_says (f, "Demo provider did not say its currency: "));
}

static void
test_invalid_link (Fixture *f, gconstpointer data)
{
  GtkWidget *entry = child (f, "link_entry");
  GtkWidget *error_label = child (f, "link_error_label");

  choose_service (f, PT_FOLLOWERS);
  g_assert_false (place_sensitive (f));              /* no link yet */
  g_assert_false (gtk_widget_get_visible (error_label));   /* and no scolding for that */

  type_text (f, "link_entry", "https://instagram.com/p/CxYz12ab/");
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_cmpstr (pt_label_text (error_label), !=, "");
  g_test_message ("post link for a profile service: %s", pt_label_text (error_label));
  g_assert_true (gtk_widget_has_css_class (entry, "error"));
  g_assert_false (place_sensitive (f));

  type_text (f, "link_entry", "https://example.com/relay demo");
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_nonnull (strstr (pt_label_text (error_label), "space"));
  g_assert_false (place_sensitive (f));

  type_text (f, "link_entry", "https://instagram.com/relay_demo");
  g_assert_false (gtk_widget_get_visible (error_label));
  g_assert_false (gtk_widget_has_css_class (entry, "error"));
  g_assert_true (place_sensitive (f));

  /* Below the service's minimum: the field keeps what is typed and says no at the field. */
  type_text (f, "quantity_entry", "20");
  g_assert_false (place_sensitive (f));
  g_assert_nonnull (strstr (pt_label_text (child (f, "quantity_error_label")), "minimum of 50"));
  set_quantity (f, 500);
  g_assert_true (place_sensitive (f));
}

static void
test_charge (Fixture *f, gconstpointer data)
{
  g_autofree char *expected = NULL;
  g_autofree char *expected_drip = NULL;
  g_autofree char *cost = NULL;
  g_autoptr(RelayCatalogRow) likes = NULL;

  choose_service (f, PT_FOLLOWERS);
  type_text (f, "link_entry", "https://instagram.com/relay_demo");
  set_quantity (f, 2500);
  /* 1.80 per 1,000 (twice the provider's 0.90): 2,500 -> 4.50. */
  expected = money (price_of (f, PT_FOLLOWERS), 2500);
  g_assert_cmpstr (expected, ==, "4.50");
  g_assert_nonnull (strstr (pt_label_text (child (f, "charge_label")), expected));
  cost = money (900000, 2500);
  g_assert_nonnull (strstr (pt_label_text (child (f, "cost_label")), cost));
  g_assert_cmpstr (pt_label_text (child (f, "quantity_hint_label")), ==, "50 – 10,000");

  /* Drip-feed: the total is quantity × runs, and so is the charge. */
  choose_service (f, PT_LIKES);
  g_assert_true (gtk_widget_get_visible (child (f, "dripfeed_box")));
  type_text (f, "link_entry", "https://instagram.com/p/CxYz12ab/");
  set_quantity (f, 1000);
  gtk_switch_set_active (GTK_SWITCH (child (f, "dripfeed_switch")), TRUE);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (f, "runs_spin")), 5);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (f, "interval_spin")), 30);
  pt_spin (20);
  expected_drip = money (price_of (f, PT_LIKES), 5000);
  g_assert_nonnull (strstr (pt_label_text (child (f, "charge_label")), expected_drip));
  g_assert_nonnull (strstr (pt_label_text (child (f, "dripfeed_total_label")), "5,000"));
  g_assert_true (place_sensitive (f));

  /* A service without drip-feed hides the switch (and turns it off). */
  choose_service (f, PT_FOLLOWERS);
  g_assert_false (gtk_widget_get_visible (child (f, "dripfeed_box")));
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (child (f, "dripfeed_switch"))));
}

static void
test_place (Fixture *f, gconstpointer data)
{
  g_autoptr(RelayOrderRow) order = NULL;

  choose_service (f, PT_FOLLOWERS);
  relay_client_picker_set_client_id (child (f, "client_picker"), f->env->client_id);
  type_text (f, "link_entry", "https://instagram.com/relay_demo");
  set_quantity (f, 1000);
  click_place (f);
  pt_wait (not_busy, f, SEND_WAIT_MS);

  order = placed_order (f);
  g_assert_cmpint (order->status, ==, RELAY_ORDER_PENDING);
  g_assert_nonnull (order->provider_order_id);
  g_assert_cmpint (order->client_id, ==, f->env->client_id);
  g_assert_cmpint (order->quantity, ==, 1000);
  g_assert_cmpstr (order->link, ==, "https://instagram.com/relay_demo");
  g_test_message ("result: %s", result_text (f));
  g_assert_nonnull (strstr (result_text (f), order->provider_order_id));
  g_assert_nonnull (strstr (result_text (f), "Demo provider"));
  g_assert_true (g_str_has_prefix (result_text (f), "Order "));
  g_assert_cmpuint (relay_sim_get_n_orders (f->env->sim), ==, 1);
  /* Issue 8: one message for the event — the toast, not a banner too. */
  g_assert_cmpuint (f->messages->len, ==, 1);
  /* The toast takes you to the order. */
  g_assert_cmpstr (f->toast_action, ==, "win.show-order");
  g_assert_cmpint (f->toast_order, ==, order->id);

  /* Ready for the next one: link and quantity cleared, service and client kept. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (f, "link_entry"))), ==, "");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (f, "quantity_entry"))), ==, "50");
  g_assert_cmpint (relay_client_picker_get_client_id (child (f, "client_picker")), ==,
                   f->env->client_id);
  g_assert_false (place_sensitive (f));
}

/* Issue 8 (T8 #8): Return in Quantity places the order, as in Link; the
 * page's focus is the Link field; its selectable labels are no Tab stops. */
static void
test_return_places (Fixture *f, gconstpointer data)
{
  g_autoptr(RelayOrderRow) order = NULL;
  const char * const labels[] = { "service_details_label", "charge_label" };

  choose_service (f, PT_FOLLOWERS);
  type_text (f, "link_entry", "https://instagram.com/relay_demo");
  set_quantity (f, 1000);
  g_assert_true (place_sensitive (f));
  g_signal_emit_by_name (child (f, "quantity_entry"), "activate");
  pt_wait (not_busy, f, SEND_WAIT_MS);
  order = placed_order (f);
  g_assert_nonnull (order);
  g_assert_cmpint (order->quantity, ==, 1000);
  g_assert_cmpuint (relay_sim_get_n_orders (f->env->sim), ==, 1);

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (gtk_label_get_selectable (GTK_LABEL (child (f, labels[i]))))
      g_assert_false (gtk_widget_get_focusable (child (f, labels[i])));
  g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (f->page)));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (gtk_widget_get_root (GTK_WIDGET (f->page))),
                                         child (f, "link_entry")));
}

/* Issue 8, defect 1: what is typed in the quantity is read as typed or refused
 * at the field; never silently another number. */
static void
test_quantity_typos (Fixture *f, gconstpointer data)
{
  static const struct { const char *text; const char *says; } refused[] = {
    { "abc", "“abc” is not a whole number" },
    { "2k", "“2k” is not a whole number" },
    { "1.500", "not a whole number" },     /* "." is the decimal mark here: 1.5? */
    { "1,50", "not a whole number" },
    { "30", "30 is below this service’s minimum of 50 (it takes 50 – 10,000)" },
    { "0", "0 is below this service’s minimum of 50 (it takes 50 – 10,000)" },
    { "20000", "20,000 is above this service’s maximum of 10,000 (it takes 50 – 10,000)" },
  };
  GtkWidget *entry = child (f, "quantity_entry");
  GtkWidget *error_label = child (f, "quantity_error_label");
  g_autoptr(RelayOrderRow) order = NULL;
  g_autofree char *expected = NULL;

  choose_service (f, PT_FOLLOWERS);
  relay_client_picker_set_client_id (child (f, "client_picker"), f->env->client_id);
  type_text (f, "link_entry", "https://instagram.com/relay_demo");
  g_assert_true (place_sensitive (f));

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      type_text (f, "quantity_entry", refused[i].text);
      g_test_message ("“%s”: %s", refused[i].text, pt_label_text (error_label));
      g_assert_true (gtk_widget_get_visible (error_label));
      g_assert_nonnull (strstr (pt_label_text (error_label), refused[i].says));
      g_assert_true (gtk_widget_has_css_class (entry, "error"));
      g_assert_false (place_sensitive (f));
      g_assert_cmpstr (pt_label_text (child (f, "charge_label")), ==, "—");
      /* Nothing changes what was typed (no clamping to the minimum). */
      g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, refused[i].text);
      g_assert_null (strstr (pt_label_text (child (f, "problem_label")), "at least 1"));
    }

  /* The table's own format, and spaces: 1,500 is 1,500, charged and sent as such. */
  type_text (f, "quantity_entry", "1 500");
  g_assert_false (gtk_widget_get_visible (error_label));
  type_text (f, "quantity_entry", "1,500");
  g_assert_false (gtk_widget_get_visible (error_label));
  g_assert_false (gtk_widget_has_css_class (entry, "error"));
  expected = money (price_of (f, PT_FOLLOWERS), 1500);
  g_assert_nonnull (strstr (pt_label_text (child (f, "charge_label")), expected));
  g_assert_true (place_sensitive (f));
  click_place (f);
  pt_wait (not_busy, f, SEND_WAIT_MS);
  order = placed_order (f);
  g_assert_cmpint (order->quantity, ==, 1500);
}

static void
test_comments (Fixture *f, gconstpointer data)
{
  GtkTextBuffer *buffer = child (f, "comments_buffer");
  g_autoptr(RelayOrderRow) order = NULL;
  g_autofree char *expected = NULL;

  choose_service (f, PT_COMMENTS);
  g_assert_false (gtk_widget_get_visible (child (f, "quantity_box")));
  g_assert_true (gtk_widget_get_visible (child (f, "comments_box")));
  g_assert_false (gtk_widget_get_visible (child (f, "dripfeed_box")));
  type_text (f, "link_entry", "https://instagram.com/p/CxYz12ab/");

  gtk_text_buffer_set_text (buffer, "Great!\nLove it\n", -1);
  pt_spin (20);
  g_assert_false (place_sensitive (f));   /* 2 comments, the minimum is 5 */
  g_assert_nonnull (strstr (pt_label_text (child (f, "problem_label")), "minimum of 5"));

  gtk_text_buffer_set_text (buffer, "Great!\nLove it\n\nSo good\nWow\nNice one\nBeautiful\n", -1);
  pt_spin (20);
  g_assert_nonnull (strstr (pt_label_text (child (f, "comments_count_label")), "6 comments"));
  expected = money (price_of (f, PT_COMMENTS), 6);
  g_assert_nonnull (strstr (pt_label_text (child (f, "charge_label")), expected));
  g_assert_true (place_sensitive (f));

  click_place (f);
  pt_wait (not_busy, f, SEND_WAIT_MS);
  order = placed_order (f);
  g_assert_cmpint (order->quantity, ==, 6);
  g_assert_nonnull (order->extra_json);
  g_assert_nonnull (strstr (order->extra_json, "So good"));
  g_assert_cmpint (order->status, ==, RELAY_ORDER_PENDING);
  g_assert_nonnull (strstr (result_text (f), "sent to"));
}

static void
test_not_orderable (Fixture *f, gconstpointer data)
{
  GtkWidget *reason = child (f, "service_error_label");

  choose_service (f, PT_BELOW_COST);
  g_assert_true (gtk_widget_get_visible (reason));
  g_test_message ("below cost: %s", pt_label_text (reason));
  g_assert_nonnull (strstr (pt_label_text (reason), "below cost"));
  type_text (f, "link_entry", "https://www.tiktok.com/@relay.demo");
  g_assert_false (place_sensitive (f));

  choose_service (f, PT_FOLLOWERS);
  g_assert_false (gtk_widget_get_visible (reason));
}

static void
test_manual (Fixture *f, gconstpointer data)
{
  g_autoptr(RelayOrderRow) order = NULL;

  choose_service (f, PT_MANUAL);
  type_text (f, "link_entry", "https://tiktok.com/@user/video/7234567890123456789");
  set_quantity (f, 1000);
  click_place (f);
  pt_wait (not_busy, f, SEND_WAIT_MS);
  order = placed_order (f);
  g_assert_cmpint (order->status, ==, RELAY_ORDER_NEEDS_REVIEW);
  g_assert_nonnull (strstr (result_text (f), "waiting for your approval"));
  g_assert_cmpuint (relay_sim_get_n_orders (f->env->sim), ==, 0);
}

static void
test_refused (Fixture *f, gconstpointer data)
{
  g_autoptr(RelayOrderRow) order = NULL;

  relay_sim_set_service_disabled (f->env->sim, "122", TRUE);
  choose_service (f, PT_TIKTOK);
  type_text (f, "link_entry", "https://tiktok.com/@user/video/7234567890123456789");
  click_place (f);
  pt_wait (not_busy, f, SEND_WAIT_MS);
  order = placed_order (f);
  g_assert_cmpint (order->status, ==, RELAY_ORDER_FAILED);
  g_test_message ("result: %s", result_text (f));
  g_assert_true (g_str_has_prefix (result_text (f), "Refused: Service is disabled"));
}

/* The panel's balance does not cover it: the order waits for funds, and the
 * page says so — not "tried again at" a time that never comes. */
static void
test_waits_for_funds (Fixture *f, gconstpointer data)
{
  g_autoptr(RelayOrderRow) order = NULL;

  relay_sim_set_balance (f->env->sim, 10);   /* 0.00001 USD */
  choose_service (f, PT_TIKTOK);
  type_text (f, "link_entry", "https://tiktok.com/@user/video/7234567890123456789");
  click_place (f);
  pt_wait (not_busy, f, SEND_WAIT_MS);
  order = placed_order (f);
  g_test_message ("result: %s", result_text (f));
  g_assert_cmpint (order->status, ==, RELAY_ORDER_QUEUED);
  g_assert_nonnull (strstr (result_text (f), "Waiting for funds at"));
  g_assert_nonnull (strstr (result_text (f), "once the balance covers it"));
  g_assert_null (strstr (result_text (f), "tried again at"));
  g_assert_cmpuint (relay_sim_get_n_orders (f->env->sim), ==, 0);
}

static void
pick_time (Fixture *f, int year, int month, int day, int hour, int minute)
{
  g_autoptr(GDateTime) date = g_date_time_new_local (year, month, day, 12, 0, 0);

  gtk_calendar_select_day (child (f, "schedule_calendar"), date);
  gtk_spin_button_set_value (child (f, "schedule_hour_spin"), hour);
  gtk_spin_button_set_value (child (f, "schedule_minute_spin"), minute);
  pt_spin (20);
}

static void
test_schedule (Fixture *f, gconstpointer data)
{
  GtkWidget *error_label = child (f, "schedule_error_label");
  g_autoptr(RelayOrderRow) order = NULL;

  choose_service (f, PT_FOLLOWERS);
  type_text (f, "link_entry", "https://instagram.com/relay_demo");
  /* Issue 8, defect 10: a date and time picker in local time, not free text. */
  gtk_switch_set_active (GTK_SWITCH (child (f, "schedule_switch")), TRUE);
  pt_spin (20);
  g_assert_true (GTK_IS_CALENDAR (child (f, "schedule_calendar")));
  g_assert_false (gtk_widget_get_visible (error_label));   /* the default is tomorrow */
  g_assert_true (place_sensitive (f));
  pick_time (f, 2020, 1, 1, 10, 0);
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_nonnull (strstr (pt_label_text (error_label), "2020-01-01 10:00 has already passed"));
  g_assert_false (place_sensitive (f));

  pick_time (f, 2099, 6, 1, 9, 30);
  g_assert_false (gtk_widget_get_visible (error_label));
  g_assert_cmpstr (gtk_label_get_label (child (f, "schedule_button_label")), ==, "Mon 2099-06-01 09:30");
  click_place (f);
  pt_wait (not_busy, f, SEND_WAIT_MS);
  order = placed_order (f);
  g_assert_cmpint (order->status, ==, RELAY_ORDER_SCHEDULED);
  g_assert_nonnull (strstr (result_text (f), "scheduled for 2099-06-01 09:30:00"));
  /* Send later is a one-off: off again for the next order. */
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (child (f, "schedule_switch"))));
}

static void
test_catalog_changed (Fixture *f, gconstpointer data)
{
  GtkDropDown *drop_down = child (f, "service_drop_down");
  guint before = g_list_model_get_n_items (gtk_drop_down_get_model (drop_down));

  choose_service (f, PT_LIKES);
  et_map (f->env->core, 42, f->env->provider_id, "131", 0, NULL, FALSE);
  pt_spin (100);
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (drop_down)), ==, before + 1);
  /* The choice survives the refresh. */
  g_assert_true (relay_new_order_page_select_service (f->page, 42));
  choose_service (f, PT_LIKES);
  et_add_client (f->env->core, "Late Client");
  pt_spin (50);
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (drop_down)), ==, before + 1);
}

static GtkWidget *
find_descendant (GtkWidget *widget, GType type)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget);
       c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (c, type))
        return c;
      if ((found = find_descendant (c, type)) != NULL)
        return found;
    }
  return NULL;
}

typedef struct
{
  GListModel *model;
  guint       n;
} CountWait;

static gboolean
has_count (gpointer data)
{
  CountWait *wait = data;

  return g_list_model_get_n_items (wait->model) == wait->n;
}

/* The picker's search finds words anywhere in name, category and id, not
 * only at the start (GTK 4.8's drop-down matches prefixes by itself). */
static void
test_search (Fixture *f, gconstpointer data)
{
  GtkWidget *drop_down = child (f, "service_drop_down");
  GtkWidget *search = find_descendant (drop_down, GTK_TYPE_SEARCH_ENTRY);
  GtkWidget *list = find_descendant (drop_down, GTK_TYPE_LIST_VIEW);
  CountWait wait;

  g_assert_nonnull (search);
  g_assert_nonnull (list);
  wait.model = G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (list)));
  wait.n = 6;
  pt_wait (has_count, &wait, 2000);

  /* "Instagram Likes [Instant]" and "TikTok Likes". */
  gtk_editable_set_text (GTK_EDITABLE (search), "likes");
  wait.n = 2;
  pt_wait (has_count, &wait, 2000);
  /* The category, and the id. */
  gtk_editable_set_text (GTK_EDITABLE (search), "- comments");
  wait.n = 1;
  pt_wait (has_count, &wait, 2000);
  gtk_editable_set_text (GTK_EDITABLE (search), "TikTok");
  wait.n = 3;
  pt_wait (has_count, &wait, 2000);
  gtk_editable_set_text (GTK_EDITABLE (search), "");
  wait.n = 6;
  pt_wait (has_count, &wait, 2000);
}

/* The "default-client" preference picks the client, by name. */
static void
test_default_client (Fixture *f, gconstpointer data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  RelayClientPicker *picker = child (f, "client_picker");
  g_autoptr(RelayStore) store = g_object_ref (relay_core_get_store (f->env->core));
  g_autoptr(RelayClientRow) bright = relay_store_find_client (store, "Bright Media", NULL);

  g_assert_nonnull (bright);
  g_assert_cmpint (relay_client_picker_get_client_id (picker), ==, 0);
  g_settings_set_string (settings, "default-client", "Bright Media");
  pt_spin (20);
  g_assert_cmpint (relay_client_picker_get_client_id (picker), ==, bright->id);
  g_settings_set_string (settings, "default-client", "");
  pt_spin (20);
  g_assert_cmpint (relay_client_picker_get_client_id (picker), ==, 0);
}

static gboolean
is_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (widget);
}

static void
test_picture (Fixture *f, gconstpointer data)
{
  GtkWidget *drop_down = child (f, "service_drop_down");
  GtkWidget *popover;

  gtk_window_set_default_size (f->env->window, 960, 760);
  /* A first order went out; the form is filled for the next one, drip-fed. */
  choose_service (f, PT_FOLLOWERS);
  relay_client_picker_set_client_id (child (f, "client_picker"), f->env->client_id);
  type_text (f, "link_entry", "https://instagram.com/relay_demo");
  set_quantity (f, 1000);
  click_place (f);
  pt_wait (not_busy, f, SEND_WAIT_MS);
  choose_service (f, PT_LIKES);
  type_text (f, "link_entry", "https://www.instagram.com/p/Cq8_Lm2xYz/");
  set_quantity (f, 500);
  gtk_switch_set_active (GTK_SWITCH (child (f, "dripfeed_switch")), TRUE);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (f, "runs_spin")), 4);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child (f, "interval_spin")), 30);
  g_free (pt_save_png (GTK_WIDGET (f->page), "new-order.png"));

  /* The picker open: every service with its price, limits and badges. */
  popover = find_descendant (drop_down, GTK_TYPE_POPOVER);
  g_assert_nonnull (popover);
  gtk_popover_popup (GTK_POPOVER (popover));
  pt_wait (is_mapped, popover, 5000);
  g_free (pt_save_popover_png (popover, "new-order-picker.png"));
  gtk_popover_popdown (GTK_POPOVER (popover));

  /* And one with a mistake, to see the errors. */
  choose_service (f, PT_COMMENTS);
  type_text (f, "link_entry", "https://instagram.com/relay_demo");
  gtk_text_buffer_set_text (child (f, "comments_buffer"), "Great!\nLove it\nWow\n", -1);
  g_free (pt_save_png (GTK_WIDGET (f->page), "new-order-errors.png"));
}

/* Issue 8: the page is usable 360 px wide: it asks for no more, and its
 * main button lies inside the window there. */
static void
test_narrow (Fixture *f, gconstpointer data)
{
  int minimum = 0, natural = 0;
  graphene_rect_t bounds;

  gtk_widget_measure (GTK_WIDGET (f->page), GTK_ORIENTATION_HORIZONTAL, -1,
                      &minimum, &natural, NULL, NULL);
  g_test_message ("minimum width %d px, natural %d px", minimum, natural);
  g_assert_cmpint (minimum, <=, 360);
  gtk_window_set_default_size (f->env->window, 360, 640);
  pt_spin (300);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f->page)), <=, 360);
  g_assert_true (gtk_widget_compute_bounds (child (f, "place_button"), GTK_WIDGET (f->page), &bounds));
  g_test_message ("place_button at x %.0f … %.0f", bounds.origin.x, bounds.origin.x + bounds.size.width);
  g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, gtk_widget_get_width (GTK_WIDGET (f->page)));
  g_free (pt_save_png (GTK_WIDGET (f->page), "new-order-360.png"));
}

int
main (int argc, char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/pages/new-order/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("invalid-link", test_invalid_link);
  ADD ("charge", test_charge);
  ADD ("charge-currency", test_charge_currency);
  ADD ("quantity-typos", test_quantity_typos);
  ADD ("place", test_place);
  ADD ("return-places", test_return_places);
  ADD ("comments", test_comments);
  ADD ("not-orderable", test_not_orderable);
  ADD ("manual", test_manual);
  ADD ("refused", test_refused);
  ADD ("waits-for-funds", test_waits_for_funds);
  ADD ("schedule", test_schedule);
  ADD ("catalog-changed", test_catalog_changed);
  ADD ("search", test_search);
  ADD ("default-client", test_default_client);
  ADD ("picture", test_picture);
  ADD ("narrow", test_narrow);
#undef ADD

  return g_test_run ();
}
