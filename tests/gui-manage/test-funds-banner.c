/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The funds banner under Xvfb against the simulator: on the Providers page (and the Mass
 * order page) it appears when a provider's balance falls below its threshold and when its
 * orders wait for funds, says both with the amounts, refreshes the balance on request and
 * goes away when neither holds. */
#include "config.h"

#include "manage-test-util.h"

#include <string.h>

#include "relay-format.h"
#include "relay-funds-banner.h"
#include "relay-manage.h"
#include "relay-mass-order-page.h"
#include "relay-provider-dialog.h"

static GtkWidget *
banner (GtkWidget *page, GType type)
{
  return mt_child (page, type, "funds_banner");
}

static const char *
banner_text (GtkWidget *page, GType type)
{
  return relay_funds_banner_get_text (RELAY_FUNDS_BANNER (banner (page, type)));
}

typedef struct
{
  GtkWidget *page;
  GType      type;
} BannerWait;

static gboolean
refreshed (gpointer data)
{
  BannerWait *wait = data;
  GtkWidget *button = mt_child (banner (wait->page, wait->type), RELAY_TYPE_FUNDS_BANNER,
                                "refresh_button");

  return gtk_widget_get_sensitive (button);
}

static void
test_providers_page (MtFixture *f, gconstpointer data)
{
  gint64 provider_id = mt_add_provider (f, "Demo provider");
  RelayStore *store = f->store;
  gboolean started = FALSE, ended = FALSE;
  const char *text;
  BannerWait wait;
  g_autofree char *path = NULL;

  mt_sync_services (f, provider_id);
  mt_map (f, 1, provider_id, "103", 1200000, FALSE);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *link = g_strdup_printf ("https://www.instagram.com/p/Wait%u/", i);

      mt_place (f, 1, 0, link, 1000);
    }
  relay_sim_set_balance (f->sim, 200000);
  mt_refresh_balance (f, provider_id);   /* 0.20 USD */
  mt_show_page (f, relay_providers_page_new (f->core));
  gtk_window_set_default_size (f->window, 1280, 800);
  wait.page = f->page;
  wait.type = RELAY_TYPE_PROVIDERS_PAGE;

  /* No threshold: no banner. */
  g_assert_false (gtk_widget_get_visible (banner (f->page, RELAY_TYPE_PROVIDERS_PAGE)));
  g_assert_null (banner_text (f->page, RELAY_TYPE_PROVIDERS_PAGE));

  /* Balance under the threshold: the banner says so, with both amounts. */
  g_assert_true (relay_core_set_low_balance (f->core, provider_id, 10000000, NULL));
  g_assert_true (gtk_widget_get_visible (banner (f->page, RELAY_TYPE_PROVIDERS_PAGE)));
  text = banner_text (f->page, RELAY_TYPE_PROVIDERS_PAGE);
  g_test_message ("low: %s", text);
  g_assert_cmpstr (text, ==, "Balance at Demo provider is low: 0.20 USD (warning below 10.00 USD)");

  /* Orders waiting for funds: said first, with what they need. */
  g_assert_true (relay_store_start_funds_wait (store, provider_id, 240000, FALSE, &started, NULL));
  g_assert_true (started);
  text = banner_text (f->page, RELAY_TYPE_PROVIDERS_PAGE);
  g_test_message ("waiting: %s", text);
  g_assert_nonnull (strstr (text, "3 orders wait for funds at Demo provider"));
  g_assert_nonnull (strstr (text, "(needs 0.24 USD, has 0.20 USD)"));
  g_assert_nonnull (strstr (text, "\nBalance at Demo provider is low"));
  path = mt_save_png (GTK_WIDGET (f->window), "providers-funds-banner.png");

  /* Refresh Balance asks the panel again and is usable once it answered. */
  mt_click (mt_child (banner (f->page, RELAY_TYPE_PROVIDERS_PAGE), RELAY_TYPE_FUNDS_BANNER,
                      "refresh_button"));
  mt_wait_until (refreshed, &wait, 0);

  /* The wait over and no threshold: gone. */
  g_assert_true (relay_store_end_funds_wait (store, provider_id, &ended, NULL));
  g_assert_true (relay_core_set_low_balance (f->core, provider_id, -1, NULL));
  g_assert_false (gtk_widget_get_visible (banner (f->page, RELAY_TYPE_PROVIDERS_PAGE)));
}

/* The Mass order page shows the same banner. */
static void
test_mass_order_page (MtFixture *f, gconstpointer data)
{
  gint64 provider_id = mt_add_provider (f, "Demo provider");

  mt_refresh_balance (f, provider_id);
  g_assert_true (relay_core_set_low_balance (f->core, provider_id, 2000000000, NULL));
  mt_show_page (f, relay_mass_order_page_new (f->core));
  g_assert_true (gtk_widget_get_visible (banner (f->page, RELAY_TYPE_MASS_ORDER_PAGE)));
  g_assert_nonnull (strstr (banner_text (f->page, RELAY_TYPE_MASS_ORDER_PAGE),
                            "warning below 2,000.00 USD"));
}

static gboolean
summary_says_short (gpointer data)
{
  MtFixture *f = data;
  GtkWidget *label = mt_child (f->page, RELAY_TYPE_MASS_ORDER_PAGE, "balance_label");

  return gtk_widget_get_visible (label) &&
         strstr (gtk_label_get_label (GTK_LABEL (label)), "more than its balance") != NULL;
}

static gboolean
summary_planned (gpointer data)
{
  MtFixture *f = data;
  const char *text = gtk_label_get_label (GTK_LABEL (mt_child (f->page, RELAY_TYPE_MASS_ORDER_PAGE,
                                                               "summary_label")));

  return strstr (text, "will go") != NULL;
}

/* The mass order's preview says when its lines cost a provider more than
 * its known balance, and says nothing when the balance covers them. */
static void
test_mass_preview_balance (MtFixture *f, gconstpointer data)
{
  gint64 provider_id = mt_add_provider (f, "Demo provider");
  const char *text;

  mt_sync_services (f, provider_id);
  mt_map (f, 1, provider_id, "103", 1200000, FALSE);   /* the sim's rate: 0.08 per 1,000 */
  mt_refresh_balance (f, provider_id);                 /* 1,000.00 USD */
  mt_show_page (f, relay_mass_order_page_new (f->core));

  /* 2 × 20,000 likes cost 3.20 USD at the rate: covered. */
  relay_mass_order_page_set_text (RELAY_MASS_ORDER_PAGE (f->page),
                                  "1 | https://www.instagram.com/p/Short1/ | 20000\n"
                                  "1 | https://www.instagram.com/p/Short2/ | 20000\n");
  mt_wait_until (summary_planned, f, 0);
  g_assert_false (summary_says_short (f));

  /* The balance falls to 1.00 USD: the preview says what they cost. */
  relay_sim_set_balance (f->sim, 1000000);
  mt_refresh_balance (f, provider_id);
  relay_mass_order_page_set_text (RELAY_MASS_ORDER_PAGE (f->page),
                                  "1 | https://www.instagram.com/p/Short1/ | 20000\n"
                                  "1 | https://www.instagram.com/p/Short2/ | 20000\n");
  mt_wait_until (summary_says_short, f, 0);
  text = gtk_label_get_label (GTK_LABEL (mt_child (f->page, RELAY_TYPE_MASS_ORDER_PAGE,
                                                   "balance_label")));
  g_test_message ("balance: %s", text);
  g_assert_nonnull (strstr (text, "Orders for Demo provider cost 3.20 USD at its rates, more than "
                                  "its balance of 1.00 USD"));
}

static gboolean
no_dialog (gpointer data)
{
  return mt_find_window (RELAY_TYPE_PROVIDER_DIALOG) == NULL;
}

/* The threshold is typed in the provider's dialog: money of its currency,
 * never rounded; saved, the banner follows. */
static void
test_dialog_threshold (MtFixture *f, gconstpointer data)
{
  gint64 provider_id = mt_add_provider (f, "Demo provider");
  g_autoptr(RelayProviderRow) row = NULL;
  GtkWidget *dialog, *entry, *save;

  mt_refresh_balance (f, provider_id);   /* 1,000.00 USD: the currency is known */
  mt_show_page (f, relay_providers_page_new (f->core));
  gtk_single_selection_set_selected (mt_object (f->page, RELAY_TYPE_PROVIDERS_PAGE, "selection"), 0);
  mt_click (mt_child (f->page, RELAY_TYPE_PROVIDERS_PAGE, "edit_button"));
  dialog = mt_wait_window (RELAY_TYPE_PROVIDER_DIALOG);
  entry = mt_child (dialog, RELAY_TYPE_PROVIDER_DIALOG, "low_balance_entry");
  save = mt_child (dialog, RELAY_TYPE_PROVIDER_DIALOG, "save_button");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");

  /* A fraction of a cent is refused at the field, not rounded. */
  mt_set_text (entry, "12.345");
  g_assert_false (gtk_widget_get_sensitive (save));
  g_assert_true (gtk_widget_has_css_class (entry, "error"));
  g_assert_true (mt_tree_has_text (dialog, "more decimals than USD has (2)"));
  mt_set_text (entry, "ten");
  g_assert_false (gtk_widget_get_sensitive (save));

  /* Grouped digits are read; saved, the book has it and the banner shows. */
  mt_set_text (entry, "1,500.50");
  g_assert_true (gtk_widget_get_sensitive (save));
  g_assert_false (gtk_widget_has_css_class (entry, "error"));
  mt_click (save);
  mt_wait_until (no_dialog, NULL, 0);
  row = relay_store_get_provider (f->store, provider_id, NULL);
  g_assert_cmpint (row->low_balance, ==, 1500500000);
  g_assert_true (gtk_widget_get_visible (banner (f->page, RELAY_TYPE_PROVIDERS_PAGE)));

  /* Opened again it shows the threshold; emptied, there is none. */
  mt_click (mt_child (f->page, RELAY_TYPE_PROVIDERS_PAGE, "edit_button"));
  dialog = mt_wait_window (RELAY_TYPE_PROVIDER_DIALOG);
  entry = mt_child (dialog, RELAY_TYPE_PROVIDER_DIALOG, "low_balance_entry");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "1,500.50");
  mt_set_text (entry, "");
  mt_click (mt_child (dialog, RELAY_TYPE_PROVIDER_DIALOG, "save_button"));
  mt_wait_until (no_dialog, NULL, 0);
  g_clear_pointer (&row, relay_provider_row_free);
  row = relay_store_get_provider (f->store, provider_id, NULL);
  g_assert_cmpint (row->low_balance, ==, -1);
  g_assert_false (gtk_widget_get_visible (banner (f->page, RELAY_TYPE_PROVIDERS_PAGE)));
}

typedef struct
{
  GtkWidget *page;
  gint64     balance;    /* what ::funds-wait said is left after the sends */
  char      *text;       /* the banner's text right then */
  guint      n_waits;
} FundsWaitSeen;

/* Connected after the banner: what the banner says when the run tells of
 * the wait (the moment the notifier's toast tells it). */
static void
on_funds_wait_seen (RelayDispatcher *dispatcher,
                    gint64           provider_id,
                    gint64           needed,
                    gint64           balance,
                    FundsWaitSeen   *seen)
{
  seen->n_waits++;
  seen->balance = balance;
  g_free (seen->text);
  seen->text = g_strdup (banner_text (seen->page, RELAY_TYPE_PROVIDERS_PAGE));
}

/* Issue 5: after a run's sends, the toast tells the balance left after them
 * (::funds-wait) while the book still has the reading from before; the
 * banner said the old one until the balance asked after the run landed
 * (~3 s with a remote panel).  It now says what the toast says, from the
 * same moment, until the book has a newer reading. */
static void
test_after_sends (MtFixture *f, gconstpointer data)
{
  gint64 provider_id = mt_add_provider (f, "Demo provider");
  FundsWaitSeen seen = { 0 };
  g_autofree char *left = NULL;
  g_autofree char *before = NULL;
  g_autoptr(RelayProviderRow) row = NULL;
  const char *text;
  gulong handler;

  mt_sync_services (f, provider_id);
  mt_map (f, 1, provider_id, "103", 1200000, FALSE);   /* the sim's rate: 0.08 per 1,000 */
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *link = g_strdup_printf ("https://www.instagram.com/p/After%u/", i);

      mt_place (f, 1, 0, link, 20000);                 /* 1.60 USD each at the rate */
    }
  relay_sim_set_balance (f->sim, 2000000);
  mt_refresh_balance (f, provider_id);                 /* 2.00 USD */
  mt_show_page (f, relay_providers_page_new (f->core));
  seen.page = f->page;
  handler = g_signal_connect_after (relay_core_get_dispatcher (f->core), "funds-wait",
                                    G_CALLBACK (on_funds_wait_seen), &seen);

  /* One order goes (0.40 USD left), two wait. */
  mt_dispatch (f);
  g_signal_handler_disconnect (relay_core_get_dispatcher (f->core), handler);
  g_assert_cmpuint (seen.n_waits, ==, 1);
  g_assert_cmpint (seen.balance, ==, 400000);
  left = relay_format_money (seen.balance, "USD", RELAY_MONEY_STYLE_TOTAL);
  before = relay_format_money (2000000, "USD", RELAY_MONEY_STYLE_TOTAL);
  g_test_message ("banner as the toast tells the wait: %s", seen.text);
  g_assert_nonnull (seen.text);
  g_assert_nonnull (strstr (seen.text, "2 orders wait for funds at Demo provider"));
  g_assert_nonnull (strstr (seen.text, left));
  g_assert_nonnull (strstr (seen.text, "left after the orders just sent"));
  g_assert_null (strstr (seen.text, before));
  /* The book still has the reading from before the sends. */
  row = relay_store_get_provider (f->store, provider_id, NULL);
  g_assert_cmpint (row->balance, ==, 2000000);
  text = banner_text (f->page, RELAY_TYPE_PROVIDERS_PAGE);
  g_assert_cmpstr (text, ==, seen.text);
  g_free (mt_save_png (GTK_WIDGET (f->window), "providers-funds-after-sends.png"));

  /* The balance asked again: the book's reading, plainly. */
  mt_refresh_balance (f, provider_id);
  text = banner_text (f->page, RELAY_TYPE_PROVIDERS_PAGE);
  g_test_message ("after the refresh: %s", text);
  g_assert_nonnull (strstr (text, "(needs 3.20 USD, has 0.40 USD)"));
  g_free (seen.text);
}

int
main (int argc, char **argv)
{
  mt_init (&argc, &argv);
  relay_manage_init ();

  g_test_add ("/manage/funds-banner/providers-page", MtFixture, NULL,
              mt_fixture_setup, test_providers_page, mt_fixture_teardown);
  g_test_add ("/manage/funds-banner/mass-order-page", MtFixture, NULL,
              mt_fixture_setup, test_mass_order_page, mt_fixture_teardown);
  g_test_add ("/manage/funds-banner/mass-preview-balance", MtFixture, NULL,
              mt_fixture_setup, test_mass_preview_balance, mt_fixture_teardown);
  g_test_add ("/manage/funds-banner/dialog-threshold", MtFixture, NULL,
              mt_fixture_setup, test_dialog_threshold, mt_fixture_teardown);
  g_test_add ("/manage/funds-banner/after-sends", MtFixture, NULL,
              mt_fixture_setup, test_after_sends, mt_fixture_teardown);
  return g_test_run ();
}
