/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The provider check dialog, opened from the Providers page: a spinner row
 * while the core checks, then each step with its result and reason; a panel
 * answering its catalog with an HTML page fails the services step. */
#include "config.h"

#include <string.h>
#include <adwaita.h>

#include "manage-test-util.h"
#include "relay-check-dialog.h"
#include "relay-providers-page.h"

static gboolean
check_done (gpointer data)
{
  RelayCheckDialog *dialog = data;

  return !relay_check_dialog_get_running (dialog) && relay_check_dialog_get_steps (dialog) != NULL;
}

static GtkWidget *
list_row (GtkWidget *dialog, const char *name)
{
  GtkWidget *list = mt_child (dialog, RELAY_TYPE_CHECK_DIALOG, "steps_list");

  for (GtkWidget *row = gtk_widget_get_first_child (list); row; row = gtk_widget_get_next_sibling (row))
    if (g_strcmp0 (gtk_widget_get_name (row), name) == 0)
      return row;
  return NULL;
}

static guint
n_rows (GtkWidget *dialog)
{
  GtkWidget *list = mt_child (dialog, RELAY_TYPE_CHECK_DIALOG, "steps_list");
  guint n = 0;

  for (GtkWidget *row = gtk_widget_get_first_child (list); row; row = gtk_widget_get_next_sibling (row))
    n++;
  return n;
}

/* Whether a widget with CSS class @css (the result icon) is under @root. */
static gboolean
has_class (GtkWidget *root, const char *css)
{
  if (gtk_widget_has_css_class (root, css) && GTK_IS_IMAGE (root))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    if (has_class (child, css))
      return TRUE;
  return FALSE;
}

static const RelayHealthStep *
find_step (GPtrArray *steps, const char *name)
{
  for (guint i = 0; i < steps->len; i++)
    {
      RelayHealthStep *step = g_ptr_array_index (steps, i);

      if (g_strcmp0 (step->name, name) == 0)
        return step;
    }
  return NULL;
}

static GtkWidget *
open_from_providers_page (MtFixture *f)
{
  GtkWidget *page = relay_providers_page_new (f->core);
  GtkWidget *button;

  mt_show_page (f, page);
  mt_wait_tree_text (page, "Sim");
  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (mt_object (page, RELAY_TYPE_PROVIDERS_PAGE, "selection")), 0);
  mt_spin (50);
  button = mt_child (page, RELAY_TYPE_PROVIDERS_PAGE, "check_button");
  mt_click (button);
  return mt_wait_window (RELAY_TYPE_CHECK_DIALOG);
}

static void
test_healthy (MtFixture *f, gconstpointer data)
{
  gint64 provider_id = mt_add_provider (f, "Sim");
  GtkWidget *dialog;
  GPtrArray *steps;
  const RelayHealthStep *key;
  const RelayHealthStep *services;
  const char *names[] = { "key", "services", "mapping", "margin", "limits", "balance",
                          "status", "refill_cancel", "errors" };

  mt_sync_services (f, provider_id);
  mt_map (f, 1, provider_id, "103", 2500000, FALSE);
  relay_sim_set_latency (f->sim, 150, 200);
  dialog = open_from_providers_page (f);

  /* While the core checks: one spinner row, no step yet. */
  g_assert_true (relay_check_dialog_get_running (RELAY_CHECK_DIALOG (dialog)));
  g_assert_nonnull (list_row (dialog, "running"));
  g_assert_cmpuint (n_rows (dialog), ==, 1);
  g_assert_true (mt_tree_has_text (dialog, "Checking the provider…"));

  mt_wait_until (check_done, dialog, 0);
  steps = relay_check_dialog_get_steps (RELAY_CHECK_DIALOG (dialog));
  g_assert_null (list_row (dialog, "running"));
  g_assert_cmpuint (n_rows (dialog), ==, steps->len);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      const RelayHealthStep *step = find_step (steps, names[i]);

      g_assert_nonnull (step);
      g_test_message ("%s: %s — %s", step->name, relay_health_result_to_string (step->result), step->detail);
      g_assert_nonnull (list_row (dialog, names[i]));
      /* Each row says its reason. */
      if (step->detail != NULL && *step->detail != '\0')
        g_assert_true (mt_tree_has_text (list_row (dialog, names[i]), step->detail));
    }
  key = find_step (steps, "key");
  services = find_step (steps, "services");
  g_assert_cmpint (key->result, ==, RELAY_HEALTH_PASS);
  g_assert_cmpint (services->result, ==, RELAY_HEALTH_PASS);
  g_assert_true (has_class (list_row (dialog, "key"), "success"));
  g_assert_true (relay_health_steps_ok (steps));
  g_assert_false (has_class (mt_child (dialog, RELAY_TYPE_CHECK_DIALOG, "steps_list"), "error"));
  mt_save_png (dialog, "check-dialog.png");
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
test_html_services (MtFixture *f, gconstpointer data)
{
  gint64 provider_id = mt_add_provider (f, "Sim");
  GtkWidget *dialog;
  GPtrArray *steps;
  const RelayHealthStep *services;

  mt_sync_services (f, provider_id);
  mt_map (f, 1, provider_id, "103", 2500000, FALSE);
  dialog = open_from_providers_page (f);
  mt_wait_until (check_done, dialog, 0);

  /* The panel's catalog is an HTML error page now: check again. */
  relay_sim_inject_fault (f->sim, "services", RELAY_SIM_FAULT_HTML_BEFORE, 10);
  mt_click (mt_child (dialog, RELAY_TYPE_CHECK_DIALOG, "run_button"));
  g_assert_nonnull (list_row (dialog, "running"));
  mt_wait_until (check_done, dialog, 0);
  steps = relay_check_dialog_get_steps (RELAY_CHECK_DIALOG (dialog));
  services = find_step (steps, "services");
  g_assert_nonnull (services);
  g_test_message ("services: %s", services->detail);
  g_assert_cmpint (services->result, ==, RELAY_HEALTH_FAIL);
  g_assert_false (relay_health_steps_ok (steps));
  g_assert_true (has_class (list_row (dialog, "services"), "error"));
  g_assert_true (mt_tree_has_text (list_row (dialog, "services"), services->detail));
  g_assert_true (mt_tree_has_text (dialog, "A step failed") || mt_tree_has_text (dialog, "Some steps failed"));
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* A test order needs a link: said in the dialog, nothing is checked or placed. */
static void
test_test_order_needs_link (MtFixture *f, gconstpointer data)
{
  gint64 provider_id = mt_add_provider (f, "Sim");
  GtkWidget *dialog;

  mt_sync_services (f, provider_id);
  mt_map (f, 1, provider_id, "103", 2500000, FALSE);
  dialog = relay_check_dialog_new (NULL, f->core, provider_id, "Sim");
  gtk_window_present (GTK_WINDOW (dialog));
  mt_wait_until (check_done, dialog, 0);
  adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (mt_child (dialog, RELAY_TYPE_CHECK_DIALOG, "test_row")), TRUE);
  mt_click (mt_child (dialog, RELAY_TYPE_CHECK_DIALOG, "run_button"));
  g_assert_false (relay_check_dialog_get_running (RELAY_CHECK_DIALOG (dialog)));
  g_assert_true (mt_tree_has_text (dialog, "The test order needs a link"));
  g_assert_cmpuint (relay_sim_get_n_orders (f->sim), ==, 0);

  /* With a link: a real order, followed to its first status. */
  mt_set_text (mt_child (dialog, RELAY_TYPE_CHECK_DIALOG, "link_row"), "https://www.instagram.com/p/CwCheck001/");
  mt_click (mt_child (dialog, RELAY_TYPE_CHECK_DIALOG, "run_button"));
  mt_wait_until (check_done, dialog, 0);
  g_assert_nonnull (find_step (relay_check_dialog_get_steps (RELAY_CHECK_DIALOG (dialog)), "test_order"));
  g_assert_nonnull (list_row (dialog, "test_order"));
  g_assert_cmpuint (relay_sim_get_n_orders (f->sim), ==, 1);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

int
main (int argc, char **argv)
{
  mt_init (&argc, &argv);
  g_test_add ("/reports/check/healthy", MtFixture, NULL, mt_fixture_setup, test_healthy, mt_fixture_teardown);
  g_test_add ("/reports/check/html-services", MtFixture, NULL, mt_fixture_setup, test_html_services, mt_fixture_teardown);
  g_test_add ("/reports/check/test-order", MtFixture, NULL, mt_fixture_setup, test_test_order_needs_link, mt_fixture_teardown);
  return g_test_run ();
}
