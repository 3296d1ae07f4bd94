/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Price rules in the window, under Xvfb: the Map service dialog prices a
 * service by the provider's rate plus a markup with a live preview, refuses a
 * bad markup, and opens such a service with its rule; the Services page shows
 * each service's pricing, the Price Changes a sync brought, and why a fixed
 * price stopped below cost. */
#include "config.h"

#include "manage-test-util.h"

#include <string.h>

#include "relay-manage.h"
#include "relay-map-service-dialog.h"
#include "relay-mapping-item.h"
#include "relay-provider-types.h"

#define PAGE_TYPE RELAY_TYPE_SERVICES_PAGE
#define DIALOG_TYPE RELAY_TYPE_MAP_SERVICE_DIALOG

static GtkWidget *
child (MtFixture *f, const char *name)
{
  return mt_child (f->page, PAGE_TYPE, name);
}

static GtkWidget *
dialog_child (GtkWidget *dialog, const char *name)
{
  return mt_child (dialog, DIALOG_TYPE, name);
}

static gboolean
no_dialog (gpointer data)
{
  return mt_find_window (DIALOG_TYPE) == NULL;
}

/* Sets the rates of provider services (id, micro per 1,000) as a sync would. */
static void
set_rates (MtFixture *f, gint64 provider_id, const char *first_id, gint64 first_rate,
           const char *second_id, gint64 second_rate)
{
  g_autoptr(GPtrArray) rows = relay_store_list_catalog (f->store, provider_id, NULL, FALSE, NULL);
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_provider_service_free);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < rows->len; i++)
    {
      RelayCatalogRow *row = g_ptr_array_index (rows, i);
      RelayProviderService *service = g_new0 (RelayProviderService, 1);

      service->service_id = g_strdup (row->service_id);
      service->name = g_strdup (row->name);
      service->type = g_strdup (row->type);
      service->category = g_strdup (row->category);
      service->rate = row->rate;
      if (g_strcmp0 (row->service_id, first_id) == 0)
        service->rate = first_rate;
      if (g_strcmp0 (row->service_id, second_id) == 0)
        service->rate = second_rate;
      service->min = row->min;
      service->max = row->max;
      service->refill = row->refill;
      service->cancel = row->cancel;
      service->dripfeed = row->dripfeed;
      g_ptr_array_add (list, service);
    }
  relay_store_replace_catalog (f->store, provider_id, list, NULL, &error);
  g_assert_no_error (error);
}

static void
test_dialog_rule (MtFixture *f, gconstpointer data)
{
  gint64 provider_id = mt_add_provider (f, "Demo provider");
  g_autoptr(RelayServiceRow) saved = NULL;
  g_autoptr(RelayCatalogRow) row = NULL;
  GtkWidget *dialog;
  GtkWidget *hint;
  GtkWidget *save;

  mt_sync_services (f, provider_id);
  mt_show_page (f, relay_services_page_new (f->core));
  row = relay_store_find_catalog_service (f->store, provider_id, "101", NULL);
  g_assert_nonnull (row);

  dialog = GTK_WIDGET (relay_map_service_dialog_new (f->core, NULL));
  relay_map_service_dialog_set_catalog (RELAY_MAP_SERVICE_DIALOG (dialog), row);
  gtk_window_present (GTK_WINDOW (dialog));
  mt_spin (50);
  hint = dialog_child (dialog, "rule_hint_label");
  save = dialog_child (dialog, "save_button");

  /* Fixed by default: the markup fields are hidden. */
  g_assert_true (gtk_widget_get_visible (dialog_child (dialog, "fixed_box")));
  g_assert_false (gtk_widget_get_visible (dialog_child (dialog, "rule_box")));

  gtk_drop_down_set_selected (GTK_DROP_DOWN (dialog_child (dialog, "price_mode_drop_down")), 1);
  g_assert_false (gtk_widget_get_visible (dialog_child (dialog, "fixed_box")));
  g_assert_true (gtk_widget_get_visible (dialog_child (dialog, "rule_box")));
  g_assert_false (gtk_widget_get_sensitive (save));

  /* Refused markups, each said at the rule. */
  mt_set_text (dialog_child (dialog, "markup_entry"), "-5");
  g_assert_true (gtk_widget_has_css_class (hint, "error"));
  g_assert_true (mt_tree_has_text (hint, "negative"));
  g_assert_false (gtk_widget_get_sensitive (save));
  mt_set_text (dialog_child (dialog, "markup_entry"), "35.12345");
  g_assert_true (mt_tree_has_text (hint, "at most 4"));
  g_assert_false (gtk_widget_get_sensitive (save));
  mt_set_text (dialog_child (dialog, "markup_entry"), "2000");
  g_assert_true (mt_tree_has_text (hint, "1,000"));
  g_assert_false (gtk_widget_get_sensitive (save));

  /* A good rule: the price it gives now and the margin, live. */
  mt_set_text (dialog_child (dialog, "markup_entry"), "35");
  mt_set_text (dialog_child (dialog, "step_entry"), "0.05");
  g_assert_false (gtk_widget_has_css_class (hint, "error"));
  g_assert_true (mt_tree_has_text (hint, "Your price now: 1.25 USD per 1,000"));
  g_assert_true (mt_tree_has_text (dialog_child (dialog, "margin_label"), "Margin: 0.35 USD"));
  g_assert_true (gtk_widget_get_sensitive (save));

  /* A step the currency cannot hold. */
  mt_set_text (dialog_child (dialog, "step_entry"), "0.005");
  g_assert_true (gtk_widget_has_css_class (hint, "error"));
  g_assert_true (mt_tree_has_text (hint, "Rounding step"));
  g_assert_false (gtk_widget_get_sensitive (save));
  mt_set_text (dialog_child (dialog, "step_entry"), "0.05");
  {
    g_autofree char *path = mt_save_png (dialog, "price-rules-dialog.png");

    g_test_message ("screenshot: %s", path);
  }

  mt_click (save);
  mt_wait_until (no_dialog, NULL, 0);
  saved = relay_store_get_service (f->store, 1, NULL);
  g_assert_nonnull (saved);
  g_assert_true (saved->has_rule);
  g_assert_cmpint (saved->markup_ppm, ==, 350000);
  g_assert_cmpint (saved->price_step, ==, 50000);
  g_assert_cmpint (saved->price, ==, 1250000);

  /* Opened again, it shows its rule. */
  dialog = GTK_WIDGET (relay_map_service_dialog_new (f->core, NULL));
  relay_map_service_dialog_set_service (RELAY_MAP_SERVICE_DIALOG (dialog), saved);
  gtk_window_present (GTK_WINDOW (dialog));
  mt_spin (50);
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (dialog_child (dialog, "price_mode_drop_down"))), ==, 1);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (dialog_child (dialog, "markup_entry"))), ==, "35");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (dialog_child (dialog, "step_entry"))), ==, "0.05");
  g_assert_true (mt_tree_has_text (dialog_child (dialog, "rule_hint_label"), "1.25 USD"));
  gtk_window_destroy (GTK_WINDOW (dialog));
  mt_spin (20);
}

static void
test_page_changes (MtFixture *f, gconstpointer data)
{
  gint64 provider_id = mt_add_provider (f, "Demo provider");
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayCatalogRow) likes = NULL;
  g_autofree char *path = NULL;
  GtkWidget *list;

  mt_sync_services (f, provider_id);
  likes = relay_store_find_catalog_service (f->store, provider_id, "103", NULL);
  relay_core_map_service_full (f->core, 1, "Instagram Followers", 0, 350000, 50000, provider_id,
                               "101", 0, NULL, FALSE, &error);
  g_assert_no_error (error);
  mt_map (f, 2, provider_id, "103", likes->rate, FALSE);
  mt_show_page (f, relay_services_page_new (f->core));

  /* Each service's pricing; no change yet. */
  mt_wait_tree_text (child (f, "services_view"), "Rate + 35 %, rounded up to 0.05 USD");
  mt_wait_tree_text (child (f, "services_view"), "Fixed");
  list = child (f, "price_changes_list");
  g_assert_false (gtk_widget_get_visible (list));
  g_assert_true (gtk_widget_get_visible (child (f, "price_changes_empty_label")));

  /* The provider raises both rates: the rule follows, the fixed price stops. */
  set_rates (f, provider_id, "101", 1200000, "103", likes->rate + 10000);
  mt_wait_tree_text (list, "cost 0.90 → 1.20 USD, your price 1.25 → 1.65 USD");
  g_assert_true (gtk_widget_get_visible (list));
  g_assert_false (gtk_widget_get_visible (child (f, "price_changes_empty_label")));
  g_assert_true (mt_tree_has_text (list, "orders stopped"));
  g_assert_true (mt_tree_has_text (list, "Demo provider"));
  mt_wait_tree_text (child (f, "services_view"), "1.65 USD");
  g_assert_true (gtk_widget_get_visible (child (f, "problems_label")));
  g_assert_true (mt_tree_has_text (child (f, "problems_label"), "Service 2, Instagram Likes"));
  g_assert_true (mt_tree_has_text (child (f, "problems_label"), "the provider’s rate rose from"));
  g_assert_true (mt_tree_has_text (child (f, "problems_label"), "raise your price or price it by a markup"));
  g_assert_false (mt_tree_has_text (child (f, "problems_label"), "Service 1,"));

  path = mt_save_png (f->page, "price-rules.png");
  g_test_message ("screenshot: %s", path);
}

static gboolean
has_price_message (gpointer data)
{
  const char *last = mt_last_message (data);

  return last != NULL && strstr (last, "price change") != NULL;
}

/* Sync Services on the page: its message counts the price changes and the
 * services now below cost. */
static void
test_sync_message (MtFixture *f, gconstpointer data)
{
  gint64 provider_id = mt_add_provider (f, "Demo provider");
  g_autoptr(GError) error = NULL;

  mt_sync_services (f, provider_id);
  relay_core_map_service_full (f->core, 1, "Followers", 0, 500000, 0, provider_id, "101", 0, NULL,
                               FALSE, &error);
  g_assert_no_error (error);
  mt_map (f, 2, provider_id, "103", 80000, FALSE);
  mt_show_page (f, relay_services_page_new (f->core));

  relay_sim_inject_reply (f->sim, "services",
                          "[{\"service\": 101, \"name\": \"Followers\", \"type\": \"Default\", "
                          "\"category\": \"Instagram - Followers\", \"rate\": \"1.20\", \"min\": 50, "
                          "\"max\": 10000},"
                          " {\"service\": 103, \"name\": \"Likes\", \"type\": \"Default\", "
                          "\"category\": \"Instagram - Likes\", \"rate\": \"0.10\", \"min\": 10, "
                          "\"max\": 20000}]", 1);
  g_ptr_array_set_size (f->messages, 0);
  mt_click (child (f, "sync_button"));
  mt_wait_until (has_price_message, f, 0);
  g_test_message ("%s", mt_last_message (f));
  g_assert_nonnull (strstr (mt_last_message (f), "2 price changes, 1 service now below cost"));
  mt_wait_tree_text (child (f, "price_changes_list"), "your price 1.35 → 1.80 USD");
}

int
main (int argc, char **argv)
{
  mt_init (&argc, &argv);

  g_test_add ("/manage/price-rules/dialog", MtFixture, NULL,
              mt_fixture_setup, test_dialog_rule, mt_fixture_teardown);
  g_test_add ("/manage/price-rules/page", MtFixture, NULL,
              mt_fixture_setup, test_page_changes, mt_fixture_teardown);
  g_test_add ("/manage/price-rules/sync-message", MtFixture, NULL,
              mt_fixture_setup, test_sync_message, mt_fixture_teardown);
  return g_test_run ();
}
