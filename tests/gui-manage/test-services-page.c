/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Services & mapping page under Xvfb: sync shows the count and fills the catalog; search,
 * category and "only changes" narrow it; the last sync's changes are marked; the Map service
 * dialog refuses a below-cost price and saves a good one with its margin. */
#include "config.h"

#include "manage-test-util.h"

#include <string.h>

#include "relay-catalog-item.h"
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

static GListModel *
catalog (MtFixture *f)
{
  return G_LIST_MODEL (gtk_column_view_get_model (GTK_COLUMN_VIEW (child (f, "catalog_view"))));
}

static GListModel *
services (MtFixture *f)
{
  return G_LIST_MODEL (gtk_column_view_get_model (GTK_COLUMN_VIEW (child (f, "services_view"))));
}

static void
show_page (MtFixture *f)
{
  mt_show_page (f, relay_services_page_new (f->core));
}

static gboolean
has_sync_message (gpointer data)
{
  MtFixture *f = data;
  const char *last = mt_last_message (f);

  return last != NULL && strstr (last, "services:") != NULL;
}

/* Presses Sync services and returns its toast. */
static const char *
press_sync (MtFixture *f)
{
  g_ptr_array_set_size (f->messages, 0);
  mt_click (child (f, "sync_button"));
  mt_wait_until (has_sync_message, f, 0);
  return mt_last_message (f);
}

static guint
catalog_position (MtFixture *f, const char *service_id)
{
  guint n = g_list_model_get_n_items (catalog (f));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RelayCatalogItem) item = g_list_model_get_item (catalog (f), i);

      if (g_strcmp0 (relay_catalog_item_get_row (item)->service_id, service_id) == 0)
        return i;
    }
  g_error ("service %s is not in the catalog view", service_id);
}

/* Replaces the catalog in the store as a sync would, with @edit applied:
 * how a provider's changes (rates, removals, new services) arrive. */
static void
replace_catalog (MtFixture *f, gint64 provider_id, void (*edit) (GPtrArray *services))
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
      service->min = row->min;
      service->max = row->max;
      service->refill = row->refill;
      service->cancel = row->cancel;
      service->dripfeed = row->dripfeed;
      g_ptr_array_add (list, service);
    }
  edit (list);
  relay_store_replace_catalog (f->store, provider_id, list, NULL, &error);
  g_assert_no_error (error);
}

static RelayProviderService *
find_service (GPtrArray *list, const char *service_id)
{
  for (guint i = 0; i < list->len; i++)
    {
      RelayProviderService *service = g_ptr_array_index (list, i);

      if (g_strcmp0 (service->service_id, service_id) == 0)
        return service;
    }
  g_error ("no service %s", service_id);
}

/* A provider's changes: 101 dearer, 103 cheaper, 104 new limits, 136 gone, 999 new. */
static void
provider_changes (GPtrArray *list)
{
  RelayProviderService *added = g_new0 (RelayProviderService, 1);

  find_service (list, "101")->rate = 1500000;
  find_service (list, "103")->rate = 60000;
  find_service (list, "104")->max = 10000;
  for (guint i = 0; i < list->len; i++)
    if (g_strcmp0 (((RelayProviderService *) g_ptr_array_index (list, i))->service_id, "136") == 0)
      g_ptr_array_remove_index (list, i);
  added->service_id = g_strdup ("999");
  added->name = g_strdup ("Threads Followers [New]");
  added->type = g_strdup ("Default");
  added->category = g_strdup ("Threads - Followers");
  added->rate = 2100000;
  added->min = 100;
  added->max = 20000;
  added->refill = TRUE;
  g_ptr_array_add (list, added);
}

static void
test_no_provider (MtFixture *f, gconstpointer data)
{
  show_page (f);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child (f, "stack"))), ==, "empty");
  g_assert_true (mt_tree_has_text (f->page, "No Provider Yet"));
  /* Issue 8: the empty state is a libadwaita status page. */
  g_assert_true (mt_has_status_page (f->page, "No Provider Yet"));
}

static gboolean
catalog_is_empty (gpointer data)
{
  return g_list_model_get_n_items (catalog (data)) == 0;
}

static void
test_sync_and_browse (MtFixture *f, gconstpointer data)
{
  gint64 provider_id = mt_add_provider (f, "Demo provider");
  const char *message;
  guint total;
  guint n;
  guint position;
  g_autoptr(RelayCatalogItem) item = NULL;

  show_page (f);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child (f, "stack"))), ==, "content");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child (f, "catalog_stack"))), ==, "empty");
  g_assert_true (mt_tree_has_text (child (f, "catalog_stack"), "press Sync Services"));

  /* Sync: the toast counts, and the catalog lists every service. */
  message = press_sync (f);
  total = g_list_model_get_n_items (catalog (f));
  g_assert_cmpuint (total, >=, 36);
  {
    g_autofree char *expected = g_strdup_printf ("%u services: %u new, 0 changed, 0 removed", total, total);

    g_assert_cmpstr (message, ==, expected);
  }
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child (f, "catalog_stack"))), ==, "list");
  mt_wait_tree_text (child (f, "catalog_view"), "Instagram Followers [Real, 30 days refill]");
  /* Grouped by category: the first row of each group says it. */
  mt_wait_tree_text (child (f, "catalog_view"), "Instagram - Followers");
  g_assert_true (mt_tree_has_text (child (f, "catalog_summary_label"), "services · synced just now"));
  /* Issue 8, defect 12: a catalog's first sync badges nothing New (all of it would be). */
  {
    g_autoptr(RelayCatalogItem) first = g_list_model_get_item (catalog (f), catalog_position (f, "101"));

    g_assert_null (relay_catalog_item_get_change_text (first));
    for (guint i = 0; i < g_list_model_get_n_items (catalog (f)); i++)
      {
        g_autoptr(RelayCatalogItem) row = g_list_model_get_item (catalog (f), i);

        g_assert_null (relay_catalog_item_get_change_text (row));
      }
  }

  /* Search is the store's: name, category, type or id. */
  mt_set_text (child (f, "search_entry"), "TikTok");
  g_signal_emit_by_name (child (f, "search_entry"), "search-changed");
  n = g_list_model_get_n_items (catalog (f));
  g_assert_cmpuint (n, >, 0);
  g_assert_cmpuint (n, <, total);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RelayCatalogItem) row = g_list_model_get_item (catalog (f), i);

      g_assert_nonnull (strstr (relay_catalog_item_get_row (row)->name, "TikTok"));
    }
  mt_set_text (child (f, "search_entry"), "");
  g_signal_emit_by_name (child (f, "search_entry"), "search-changed");
  g_assert_cmpuint (g_list_model_get_n_items (catalog (f)), ==, total);

  /* One category. */
  {
    GtkDropDown *drop_down = GTK_DROP_DOWN (child (f, "category_drop_down"));
    GListModel *names = gtk_drop_down_get_model (drop_down);
    guint chosen = GTK_INVALID_LIST_POSITION;

    for (guint i = 1; i < g_list_model_get_n_items (names); i++)
      {
        g_autoptr(GtkStringObject) name = g_list_model_get_item (names, i);

        if (g_strcmp0 (gtk_string_object_get_string (name), "YouTube - Views") == 0)
          chosen = i;
      }
    g_assert_cmpuint (chosen, !=, GTK_INVALID_LIST_POSITION);
    gtk_drop_down_set_selected (drop_down, chosen);
    n = g_list_model_get_n_items (catalog (f));
    g_assert_cmpuint (n, >, 0);
    for (guint i = 0; i < n; i++)
      {
        g_autoptr(RelayCatalogItem) row = g_list_model_get_item (catalog (f), i);

        g_assert_cmpstr (relay_catalog_item_get_row (row)->category, ==, "YouTube - Views");
      }
    gtk_drop_down_set_selected (drop_down, 0);
    g_assert_cmpuint (g_list_model_get_n_items (catalog (f)), ==, total);
  }

  /* A second sync changes nothing: "only changes" is empty and says so. */
  message = press_sync (f);
  {
    g_autofree char *expected = g_strdup_printf ("%u services: 0 new, 0 changed, 0 removed", total);

    g_assert_cmpstr (message, ==, expected);
  }
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (child (f, "changes_button")), TRUE);
  mt_wait_until (catalog_is_empty, f, 0);
  g_assert_true (mt_tree_has_text (child (f, "catalog_stack"), "The last sync changed nothing"));

  /* The provider changes things: each is marked. */
  replace_catalog (f, provider_id, provider_changes);
  mt_wait_tree_text (child (f, "catalog_view"), "Rate ↑ 0.90 USD → 1.50 USD");
  g_assert_cmpuint (g_list_model_get_n_items (catalog (f)), ==, 5);
  mt_wait_tree_text (child (f, "catalog_view"), "Rate ↓ 0.08 USD → 0.06 USD");
  mt_wait_tree_text (child (f, "catalog_view"), "Limits changed");
  mt_wait_tree_text (child (f, "catalog_view"), "Removed");
  mt_wait_tree_text (child (f, "catalog_view"), "New");
  position = catalog_position (f, "101");
  item = g_list_model_get_item (catalog (f), position);
  g_assert_cmpstr (relay_catalog_item_get_change_text (item), ==, "Rate ↑ 0.90 USD → 1.50 USD");
  g_assert_true (mt_tree_has_text (child (f, "catalog_summary_label"), "1 new, 3 changed, 1 removed"));

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (child (f, "changes_button")), FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (catalog (f)), ==, total + 1);
}

static gboolean
no_dialog (gpointer data)
{
  return mt_find_window (DIALOG_TYPE) == NULL;
}

static GtkWidget *
dialog_child (GtkWidget *dialog, const char *name)
{
  return mt_child (dialog, DIALOG_TYPE, name);
}

static gboolean
one_service (gpointer data)
{
  return g_list_model_get_n_items (services (data)) == 1;
}

static void
test_map (MtFixture *f, gconstpointer data)
{
  gint64 provider_id = mt_add_provider (f, "Demo provider");
  GtkWidget *dialog;
  GtkWidget *margin;
  g_autoptr(GPtrArray) mine = NULL;
  g_autoptr(RelayMappingItem) mapping = NULL;

  mt_sync_services (f, provider_id);
  show_page (f);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child (f, "services_stack"))), ==, "empty");
  g_assert_true (mt_tree_has_text (child (f, "services_stack"), "No Service of Yours Yet"));
  /* Issue 8: the empty state is a libadwaita status page. */
  g_assert_true (mt_has_status_page (child (f, "services_stack"), "No Service of Yours Yet"));

  /* Map service… from the selected catalog row: the dialog is prefilled. */
  gtk_single_selection_set_selected (mt_object (f->page, PAGE_TYPE, "catalog_selection"),
                                     catalog_position (f, "101"));
  mt_click (child (f, "map_button"));
  dialog = mt_wait_window (DIALOG_TYPE);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (dialog_child (dialog, "service_entry"))), ==, "101");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (dialog_child (dialog, "name_entry"))), ==,
                   "Instagram Followers [Real, 30 days refill]");
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (dialog_child (dialog, "id_spin"))), ==, 1);
  g_assert_true (mt_tree_has_text (dialog_child (dialog, "service_info_label"), "0.90"));

  /* Issue 8, defect 6 — below cost: Save is off, the reason is said once, at
   * the price field; the margin line gives the loss, not the same words. */
  margin = dialog_child (dialog, "margin_label");
  mt_set_text (dialog_child (dialog, "price_entry"), "0.50");
  g_assert_true (gtk_widget_has_css_class (margin, "error"));
  g_assert_true (mt_tree_has_text (margin, "Loss: 0.40 USD per 1,000"));
  g_assert_false (mt_tree_has_text (margin, "below cost"));
  g_assert_true (gtk_widget_has_css_class (dialog_child (dialog, "price_entry"), "error"));
  g_assert_true (mt_tree_has_text (dialog_child (dialog, "price_hint_label"),
                                   "Selling below cost"));
  g_assert_false (gtk_widget_get_sensitive (dialog_child (dialog, "save_button")));
  g_assert_nonnull (mt_find_window (DIALOG_TYPE));
  g_assert_false (gtk_widget_is_visible (dialog_child (dialog, "error_label")));
  mine = relay_store_list_services (f->store, NULL);
  g_assert_cmpuint (mine->len, ==, 0);
  g_clear_pointer (&mine, g_ptr_array_unref);

  /* Issue 8 (T8 #4): a margin is shown like a total ("0.01 USD", not
   * "0.01107 USD"), while the price itself keeps its five decimals. */
  mt_set_text (dialog_child (dialog, "price_entry"), "0.91107");
  g_assert_false (gtk_widget_has_css_class (margin, "error"));
  g_assert_true (mt_tree_has_text (margin, "Margin: 0.01 USD · 1.2 % per 1,000"));

  /* A good price: the margin, then saved. */
  mt_set_text (dialog_child (dialog, "price_entry"), "1.20");
  g_assert_false (gtk_widget_has_css_class (margin, "error"));
  g_assert_false (gtk_widget_has_css_class (dialog_child (dialog, "price_entry"), "error"));
  g_assert_true (gtk_widget_get_sensitive (dialog_child (dialog, "save_button")));
  g_assert_true (mt_tree_has_text (margin, "Margin: 0.30 USD · 25 % per 1,000"));
  g_assert_false (gtk_widget_is_visible (dialog_child (dialog, "error_label")));
  mt_click (dialog_child (dialog, "save_button"));
  mt_wait_until (no_dialog, NULL, 0);
  mine = relay_store_list_services (f->store, NULL);
  g_assert_cmpuint (mine->len, ==, 1);
  g_assert_cmpint (((RelayServiceRow *) g_ptr_array_index (mine, 0))->price, ==, 1200000);
  mt_wait_until (one_service, f, 0);
  g_assert_cmpstr (mt_last_message (f), ==, "Service 1 saved, margin 0.30 USD · 25 %");
  mt_wait_tree_text (child (f, "services_view"), "0.30 USD · 25 %");
  mt_wait_tree_text (child (f, "services_view"), "Demo provider: 101");
  g_assert_true (mt_tree_has_text (child (f, "services_summary_label"), "1 service, all orderable"));

  /* The provider raises its rate above my price: the row blocks ordering, with the reason. */
  replace_catalog (f, provider_id, provider_changes);
  mt_wait_tree_text (child (f, "services_view"), "Blocks ordering");
  g_assert_true (gtk_widget_is_visible (child (f, "problems_label")));
  g_assert_true (mt_tree_has_text (child (f, "problems_label"),
                                   "Service 1, Instagram Followers [Real, 30 days refill]: Selling below cost"));
  mapping = g_list_model_get_item (services (f), 0);
  g_assert_nonnull (relay_mapping_item_get_problem (mapping));
  g_assert_true (mt_tree_has_text (child (f, "services_summary_label"), "1 blocks ordering"));
  g_assert_true (gtk_widget_has_css_class (child (f, "services_summary_label"), "error"));

  /* Edit it back above cost. */
  gtk_single_selection_set_selected (mt_object (f->page, PAGE_TYPE, "services_selection"), 0);
  mt_click (child (f, "edit_button"));
  dialog = mt_wait_window (DIALOG_TYPE);
  g_assert_false (gtk_widget_get_sensitive (dialog_child (dialog, "id_spin")));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (dialog_child (dialog, "price_entry"))), ==, "1.20");
  mt_set_text (dialog_child (dialog, "price_entry"), "2");
  mt_click (dialog_child (dialog, "save_button"));
  mt_wait_until (no_dialog, NULL, 0);
  mt_wait_tree_text (child (f, "services_view"), "0.50 USD · 25 %");
  g_assert_false (gtk_widget_is_visible (child (f, "problems_label")));

  /* Remove, confirmed. */
  gtk_single_selection_set_selected (mt_object (f->page, PAGE_TYPE, "services_selection"), 0);
  mt_click (child (f, "remove_button"));
  gtk_dialog_response (GTK_DIALOG (mt_wait_window (GTK_TYPE_MESSAGE_DIALOG)), GTK_RESPONSE_ACCEPT);
  mt_spin (50);
  mine = (g_ptr_array_unref (mine), relay_store_list_services (f->store, NULL));
  g_assert_cmpuint (mine->len, ==, 0);
}

static void
test_screenshot (MtFixture *f, gconstpointer data)
{
  gint64 provider_id = mt_add_provider (f, "Demo provider");
  g_autoptr(GError) error = NULL;
  GtkWidget *dialog;
  g_autofree char *path = NULL;

  /* The currency comes with the balance. */
  mt_refresh_balance (f, provider_id);
  mt_sync_services (f, provider_id);
  relay_core_map_service (f->core, 1, "Instagram Followers — Real", 1200000, provider_id, "101",
                          0, NULL, FALSE, &error);
  g_assert_no_error (error);
  relay_core_map_service (f->core, 2, "Instagram Likes — Instant", 150000, provider_id, "103",
                          provider_id, "104", FALSE, &error);
  g_assert_no_error (error);
  relay_core_map_service (f->core, 3, "TikTok Views", 15000, provider_id, "121", 0, NULL, FALSE, &error);
  g_assert_no_error (error);
  relay_core_map_service (f->core, 4, "YouTube Subscribers", 25000000, provider_id, "133", 0, NULL, TRUE,
                          &error);
  g_assert_no_error (error);
  relay_core_map_service (f->core, 5, "Instagram Custom Comments", 16000000, provider_id, "107", 0, NULL,
                          FALSE, &error);
  g_assert_no_error (error);
  replace_catalog (f, provider_id, provider_changes);

  show_page (f);
  mt_wait_tree_text (child (f, "services_view"), "Blocks ordering");
  /* A search, with the changed Instagram services in view and one selected. */
  mt_set_text (child (f, "search_entry"), "Instagram");
  g_signal_emit_by_name (child (f, "search_entry"), "search-changed");
  mt_wait_tree_text (child (f, "catalog_view"), "Rate ↑ 0.90 USD → 1.50 USD");
  mt_wait_tree_text (child (f, "catalog_view"), "Rate ↓ 0.08 USD → 0.06 USD");
  gtk_single_selection_set_selected (mt_object (f->page, PAGE_TYPE, "catalog_selection"),
                                     catalog_position (f, "101"));
  path = mt_save_png (GTK_WIDGET (f->window), "services.png");
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));

  mt_click (child (f, "map_button"));
  dialog = mt_wait_window (DIALOG_TYPE);
  mt_set_text (dialog_child (dialog, "price_entry"), "2.80");
  gtk_switch_set_active (GTK_SWITCH (dialog_child (dialog, "fallback_switch")), TRUE);
  mt_set_text (dialog_child (dialog, "fallback_service_entry"), "123");
  g_free (mt_save_png (dialog, "services-map-dialog.png"));
  gtk_window_close (GTK_WINDOW (dialog));
}

/* Issue 8: 360 px wide, Map Service and Sync Services stay on screen. */
static void
test_narrow (MtFixture *f, gconstpointer data)
{
  const char *buttons[] = { "map_button", "sync_button" };
  int minimum = 0, natural = 0;

  mt_add_provider (f, "Demo provider");
  show_page (f);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child (f, "stack"))), ==, "content");
  gtk_widget_measure (f->page, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  g_test_message ("minimum width %d px", minimum);
  g_assert_cmpint (minimum, <=, 360);
  gtk_window_set_default_size (f->window, 360, 640);
  mt_spin (300);
  g_assert_cmpint (gtk_widget_get_width (f->page), <=, 360);
  for (guint i = 0; i < G_N_ELEMENTS (buttons); i++)
    {
      graphene_rect_t bounds;

      g_assert_true (gtk_widget_compute_bounds (child (f, buttons[i]), f->page, &bounds));
      g_test_message ("%s at x %.0f … %.0f", buttons[i], bounds.origin.x,
                      bounds.origin.x + bounds.size.width);
      g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, gtk_widget_get_width (f->page));
    }
}

int
main (int argc, char **argv)
{
  mt_init (&argc, &argv);
  relay_manage_init ();

  g_test_add ("/manage/services/no-provider", MtFixture, NULL,
              mt_fixture_setup, test_no_provider, mt_fixture_teardown);
  g_test_add ("/manage/services/sync-and-browse", MtFixture, NULL,
              mt_fixture_setup, test_sync_and_browse, mt_fixture_teardown);
  g_test_add ("/manage/services/map", MtFixture, NULL,
              mt_fixture_setup, test_map, mt_fixture_teardown);
  g_test_add ("/manage/services/narrow", MtFixture, NULL,
              mt_fixture_setup, test_narrow, mt_fixture_teardown);
  g_test_add ("/manage/services/screenshot", MtFixture, NULL,
              mt_fixture_setup, test_screenshot, mt_fixture_teardown);
  return g_test_run ();
}
