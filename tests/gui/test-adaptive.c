/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window at GNOME's minimum width (360 px): every page of the sidebar,
 * the order details pane and every dialog (Map Service, the provider
 * dialog, preferences) asks for at most 360 px, and its key buttons (Map
 * Service, Sync Services, Submit, Place Order, Add, Refill, Cancel Order)
 * lie inside the visible width.  Measured with gtk_widget_measure and
 * gtk_widget_compute_bounds on the realized window under Xvfb. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>
#include <adwaita.h>

#include "gui-test-util.h"
#include "relay-orders-page.h"
#include "relay-order-details.h"
#include "relay-preferences-window.h"
#include "relay-map-service-dialog.h"
#include "relay-provider-dialog.h"

#define WAIT_MS 45000
#define NARROW 360

static RelayApplication *app;
static GString *failures;
static RelayWindow *window;
static GtApp fixture;

static RelayOrdersPage *
orders_page (void)
{
  return relay_window_get_orders_page (window);
}

static gboolean
has_rows (gpointer data)
{
  RelayOrderListModel *model;

  if (!relay_application_get_ready (app))
    return FALSE;
  model = relay_orders_page_get_model (orders_page ());
  return model != NULL && g_list_model_get_n_items (G_LIST_MODEL (model)) > 0;
}

/* The button whose label (with its mnemonic) is @label, if mapped. */
static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && gtk_widget_get_mapped (widget) &&
      g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The minimum width of @widget, at any height and at the height it has:
 * a page that wraps its toolbars needs more width when it cannot grow. */
static int
min_width (GtkWidget *widget)
{
  int min = 0;
  int at_height = 0;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  if (gtk_widget_get_height (widget) > 0)
    gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, gtk_widget_get_height (widget),
                        &at_height, NULL, NULL, NULL);
  return MAX (min, at_height);
}

/* @label's button is shown inside @root's visible width (@width px from
 * @root's left edge, scrolled areas included). */
static void
assert_button_visible (GtkWidget  *root,
                       int         width,
                       const char *where,
                       const char *label)
{
  GtkWidget *button = find_button (root, label);
  graphene_rect_t bounds;

  if (button == NULL)
    g_error ("%s: no button “%s” shown", where, label);
  g_assert_true (gtk_widget_compute_bounds (button, root, &bounds));
  g_test_message ("%s: “%s” at x %.0f – %.0f of %d", where, label, bounds.origin.x,
                  bounds.origin.x + bounds.size.width, width);
  if (bounds.origin.x < 0 || bounds.origin.x + bounds.size.width > width + 0.5 ||
      bounds.size.width < 1)
    for (GtkWidget *up = button; up != NULL && up != root; up = gtk_widget_get_parent (up))
      {
        graphene_rect_t b;

        if (gtk_widget_compute_bounds (up, root, &b))
          g_test_message ("  in %s at x %.0f – %.0f", G_OBJECT_TYPE_NAME (up), b.origin.x,
                          b.origin.x + b.size.width);
      }
  if (bounds.origin.x < 0 || bounds.origin.x + bounds.size.width > width + 0.5 ||
      bounds.size.width < 1)
    g_string_append_printf (failures, "%s: “%s” lies at x %.0f – %.0f, outside the %d px shown\n",
                            where, label, bounds.origin.x, bounds.origin.x + bounds.size.width,
                            width);
}

/* Says which widgets under @widget ask for more than @limit px: the
 * innermost ones are the culprits. */
static void
report_wide (GtkWidget *widget,
             int        limit,
             int        depth)
{
  int min = min_width (widget);
  const char *id = gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget));

  if (min <= limit)
    return;
  g_test_message ("%*s%s %s needs %d px", depth * 2, "", G_OBJECT_TYPE_NAME (widget),
                  id != NULL ? id : "", min);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    report_wide (child, limit * 9 / 10, depth + 1);
}

static void
show_window_at (int width,
                int height)
{
  gtk_window_unmaximize (GTK_WINDOW (window));
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gt_spin (600);
}

static GtkWidget *
content (void)
{
  return adw_application_window_get_content (ADW_APPLICATION_WINDOW (window));
}

typedef struct
{
  const char *page;
  const char *buttons[3];
} PageButtons;

static void
test_pages (void)
{
  static const PageButtons pages[] = {
    { "orders", { NULL } },
    { "new-order", { "_Place Order", NULL } },
    { "mass-order", { "S_ubmit", NULL } },
    { "services", { "_Map Service…", "S_ync Services", NULL } },
    { "providers", { "_Add Provider…", NULL } },
    { "clients", { "_Add Client", NULL } },
    { "review", { NULL } },
  };
  GtkStack *stack = relay_window_get_stack (window);
  RelayOrderDetails *details = relay_orders_page_get_details (orders_page ());
  guint n_pages = 0;
  int width;

  g_assert_true (gt_wait_until (has_rows, NULL, WAIT_MS));
  show_window_at (600, 480);
  show_window_at (NARROW, 480);
  gt_spin (800);
  width = gtk_widget_get_width (content ());
  g_test_message ("window %d px wide, its content %d px", gtk_widget_get_width (GTK_WIDGET (window)),
                  width);
  g_assert_cmpint (width, <=, NARROW);
  g_assert_cmpint (min_width (content ()), <=, NARROW);

  /* Every page of the sidebar, with the key buttons of those above. */
  for (GtkWidget *page = gtk_widget_get_first_child (GTK_WIDGET (stack));
       page != NULL;
       page = gtk_widget_get_next_sibling (page))
    {
      const char *name = gtk_stack_page_get_name (gtk_stack_get_page (stack, page));
      const PageButtons *buttons = NULL;
      int page_min;

      for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
        if (g_strcmp0 (pages[i].page, name) == 0)
          buttons = &pages[i];
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", name));
      gt_spin (500);
      g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, name);
      page_min = min_width (page);
      g_test_message ("%s: minimum width %d px", name, page_min);
      if (g_getenv ("RELAY_TEST_WIDE") != NULL)
        report_wide (page, atoi (g_getenv ("RELAY_TEST_WIDE")), 1);
      if (page_min > NARROW)
        {
          g_string_append_printf (failures, "page %s needs %d px, more than %d\n",
                                  name, page_min, NARROW);
          report_wide (page, NARROW * 8 / 10, 1);
        }
      for (guint j = 0; buttons != NULL && buttons->buttons[j] != NULL; j++)
        assert_button_visible (content (), width, name, buttons->buttons[j]);
      n_pages++;
    }
  g_assert_cmpuint (n_pages, >=, G_N_ELEMENTS (pages));

  /* The details pane of an order that can still be refilled or canceled. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s",
                                             "orders"));
  gt_spin (300);
  for (const char * const *label = (const char * const[]) { "_Refill", "_Cancel Order", NULL };
       *label != NULL; label++)
    {
      RelayOrderListModel *model = relay_orders_page_get_model (orders_page ());
      guint n = MIN (g_list_model_get_n_items (G_LIST_MODEL (model)), 40);
      guint position;

      /* An order that offers it. */
      for (position = 0; position < n; position++)
        {
          relay_orders_page_select_position (orders_page (), position);
          gt_spin (150);
          if (find_button (GTK_WIDGET (details), *label) != NULL)
            break;
        }
      g_assert_cmpuint (position, <, n);
      g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (details)));
      assert_button_visible (content (), width, "details", *label);
    }
  g_test_message ("details: minimum width %d px", min_width (GTK_WIDGET (details)));
  if (min_width (GTK_WIDGET (details)) > NARROW)
    g_string_append_printf (failures, "the details pane needs %d px\n",
                            min_width (GTK_WIDGET (details)));
  g_assert_cmpint (min_width (content ()), <=, NARROW);
  if (failures->len > 0)
    g_error ("At %d px:\n%s", NARROW, failures->str);
}

/* A dialog at 360 px: its content and header ask for no more, and its
 * buttons are inside. */
static void
check_dialog (GtkWindow   *dialog,
              const char  *where,
              const char **buttons)
{
  GtkWidget *child = gtk_window_get_child (dialog);
  GtkWidget *titlebar = gtk_window_get_titlebar (dialog);
  int width;

  gtk_window_set_default_size (dialog, NARROW, 480);
  gtk_window_present (dialog);
  gt_spin (600);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (dialog)));
  g_assert_nonnull (child);
  g_test_message ("%s: content needs %d px, header %d px", where, min_width (child),
                  titlebar != NULL ? min_width (titlebar) : 0);
  if (min_width (child) > NARROW)
    {
      g_string_append_printf (failures, "%s needs %d px, more than %d\n", where,
                              min_width (child), NARROW);
      report_wide (child, NARROW * 8 / 10, 1);
    }
  if (titlebar != NULL && min_width (titlebar) > NARROW)
    g_string_append_printf (failures, "the header of %s needs %d px\n", where,
                            min_width (titlebar));
  width = gtk_widget_get_width (child);
  for (guint i = 0; buttons != NULL && buttons[i] != NULL; i++)
    {
      GtkWidget *button = find_button (GTK_WIDGET (dialog), buttons[i]);
      graphene_rect_t bounds;
      graphene_rect_t shown;

      if (button == NULL)
        g_error ("%s: no button “%s” shown", where, buttons[i]);

      GtkWidget *reference = titlebar != NULL && gtk_widget_is_ancestor (button, titlebar)
                             ? titlebar : child;

      /* Within the header bar or the content, whichever holds it. */
      g_assert_true (gtk_widget_compute_bounds (reference, GTK_WIDGET (dialog), &shown));
      g_assert_true (gtk_widget_compute_bounds (button, GTK_WIDGET (dialog), &bounds));
      bounds.origin.x -= shown.origin.x;
      width = gtk_widget_get_width (reference);
      g_test_message ("%s: “%s” at x %.0f – %.0f of %d", where, buttons[i], bounds.origin.x,
                      bounds.origin.x + bounds.size.width, width);
      if (bounds.origin.x < 0 || bounds.origin.x + bounds.size.width > MIN (width, NARROW) + 0.5)
        g_string_append_printf (failures, "%s: “%s” lies at x %.0f – %.0f, outside %d px\n",
                                where, buttons[i], bounds.origin.x,
                                bounds.origin.x + bounds.size.width, MIN (width, NARROW));
    }
  gtk_window_destroy (dialog);
  gt_spin (200);
}

static void
test_dialogs (void)
{
  RelayCore *core = relay_application_get_core (app);
  const char *map_buttons[] = { "_Cancel", "_Save", NULL };
  const char *provider_buttons[] = { "_Cancel", "_Add", NULL };
  GtkWidget *preferences;

  g_assert_true (gt_wait_until (has_rows, NULL, WAIT_MS));
  show_window_at (NARROW, 480);
  check_dialog (GTK_WINDOW (relay_map_service_dialog_new (core, GTK_WINDOW (window))),
                "Map Service", map_buttons);
  check_dialog (GTK_WINDOW (relay_provider_dialog_new (core, 0, GTK_WINDOW (window))),
                "provider dialog", provider_buttons);
  preferences = relay_preferences_window_new (app);
  check_dialog (GTK_WINDOW (preferences), "preferences", NULL);
  show_window_at (1280, 800);
  if (failures->len > 0)
    g_error ("At %d px:\n%s", NARROW, failures->str);
}

int
main (int   argc,
      char *argv[])
{
  int result;

  gt_init (&argc, &argv);
  failures = g_string_new (NULL);

  gt_app_start (&fixture, TRUE, "smm-relay-adaptive-XXXXXX");
  app = fixture.app;
  window = fixture.window;
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);

  g_test_add_func ("/adaptive/pages-at-360", test_pages);
  g_test_add_func ("/adaptive/dialogs-at-360", test_dialogs);
  result = g_test_run ();

  gt_app_stop (&fixture);
  return result;
}
