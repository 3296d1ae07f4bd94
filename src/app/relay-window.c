/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayWindow: the leaflet of sidebar and pages, the header bars, the
 * toasts and the window actions. */
#include "config.h"

#include "relay-window.h"
#include "relay-format.h"
#include "relay-mass-order-page.h"
#include "relay-new-order-page.h"
#include "relay-clients-page.h"
#include "relay-providers-page.h"
#include "relay-review-page.h"
#include "relay-reports.h"
#include "relay-services-page.h"
#include "relay-toast.h"

#include <inttypes.h>
#include <glib/gi18n.h>

/* The toast of a page (qdata): dismissed when the user leaves the page. */
#define TOAST_PAGE_KEY "relay-toast-page"
#define TOAST_TEXT_KEY "relay-toast-text"
/* The status (+ 1) of the order a "win.show-order" toast is about, when shown. */
#define TOAST_STATUS_KEY "relay-toast-order-status"

struct _RelayWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  RelayCore            *core;
  gulong                orders_changed_id;
  gboolean              minimized;
  GdkSurface           *surface;
  gulong                state_id;
  GPtrArray            *toasts;          /* AdwToast shown or queued, oldest first */
  GPtrArray            *alive;           /* and those stale but not gone yet */
  char                 *updated_text;

  AdwToastOverlay      *toast_overlay;
  AdwLeaflet           *leaflet;
  GtkListBox           *sidebar_list;
  AdwWindowTitle       *window_title;
  GtkStack             *stack;
  RelayOrdersPage      *orders_page;
  GtkLabel             *review_badge;
  GtkWidget            *content_box;
};

G_DEFINE_FINAL_TYPE (RelayWindow, relay_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_MINIMIZED,
  PROP_UPDATED_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

RelayWindow *
relay_window_new (RelayApplication *application)
{
  return g_object_new (RELAY_TYPE_WINDOW, "application", application, NULL);
}

/* ---- toasts ---- */

/* A toast went: the next one in the overlay's queue starts to appear now. */
static void
on_alive_dismissed (AdwToast    *toast,
                    RelayWindow *self)
{
  gint64 now = g_get_monotonic_time ();

  g_signal_handlers_disconnect_by_func (toast, on_alive_dismissed, self);
  g_ptr_array_remove (self->alive, toast);
  for (guint i = 0; i < self->alive->len; i++)
    {
      gint64 *shown_at = g_object_get_data (g_ptr_array_index (self->alive, i),
                                            RELAY_TOAST_SHOWN_AT_KEY);

      if (shown_at != NULL)
        *shown_at = MAX (*shown_at, now);
    }
}

static void
on_toast_dismissed (AdwToast    *toast,
                    RelayWindow *self)
{
  g_signal_handlers_disconnect_by_func (toast, on_toast_dismissed, self);
  g_ptr_array_remove (self->toasts, toast);
}

static void
add_toast_from (RelayWindow *self,
                AdwToast    *toast,
                GtkWidget   *page)
{
  g_object_set_data (G_OBJECT (toast), TOAST_PAGE_KEY, page);
  if (g_object_get_data (G_OBJECT (toast), TOAST_TEXT_KEY) == NULL)
    {
      g_autofree char *text = NULL;

      /* The title is markup: keep the plain words for relay_window_get_message (). */
      if (!pango_parse_markup (adw_toast_get_title (toast), -1, 0, NULL, &text, NULL, NULL))
        text = g_strdup (adw_toast_get_title (toast));
      g_object_set_data_full (G_OBJECT (toast), TOAST_TEXT_KEY, g_steal_pointer (&text), g_free);
    }
  /* A toast about an order says what the order is now: keep that, so the
   * toast goes once the order becomes something else. */
  if (self->core != NULL && g_strcmp0 (adw_toast_get_action_name (toast), "win.show-order") == 0 &&
      adw_toast_get_action_target_value (toast) != NULL &&
      g_variant_is_of_type (adw_toast_get_action_target_value (toast), G_VARIANT_TYPE_INT64))
    {
      gint64 id = g_variant_get_int64 (adw_toast_get_action_target_value (toast));
      g_autoptr(RelayOrderRow) row = relay_store_get_order (relay_core_get_store (self->core), id,
                                                            NULL);

      if (row != NULL)
        g_object_set_data (G_OBJECT (toast), TOAST_STATUS_KEY,
                           GUINT_TO_POINTER ((guint) row->status + 1));
    }
  if (!g_ptr_array_find (self->toasts, toast, NULL))
    {
      gint64 *shown_at = g_new (gint64, 1);

      *shown_at = g_get_monotonic_time ();
      g_object_set_data_full (G_OBJECT (toast), RELAY_TOAST_SHOWN_AT_KEY, shown_at, g_free);
      g_ptr_array_add (self->toasts, g_object_ref (toast));
      g_signal_connect (toast, "dismissed", G_CALLBACK (on_toast_dismissed), self);
      g_ptr_array_add (self->alive, g_object_ref (toast));
      g_signal_connect (toast, "dismissed", G_CALLBACK (on_alive_dismissed), self);
    }
  adw_toast_overlay_add_toast (self->toast_overlay, g_object_ref (toast));
}

/* Stale: out of the window's list at once, off the screen as soon as
 * libadwaita allows (see relay_toast_dismiss ()). */
static void
dismiss_toast (RelayWindow *self,
               AdwToast    *toast)
{
  g_autoptr(AdwToast) keep = g_object_ref (toast);

  g_signal_handlers_disconnect_by_func (toast, on_toast_dismissed, self);
  g_ptr_array_remove (self->toasts, toast);
  relay_toast_dismiss (toast);
}

void
relay_window_add_toast (RelayWindow *self,
                        AdwToast    *toast)
{
  g_return_if_fail (RELAY_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  add_toast_from (self, toast, NULL);
}

static AdwToast *
toast_new_plain (const char *message)
{
  g_autofree char *escaped = g_markup_escape_text (message, -1);
  AdwToast *toast = adw_toast_new (escaped);

  g_object_set_data_full (G_OBJECT (toast), TOAST_TEXT_KEY, g_strdup (message), g_free);
  return toast;
}

void
relay_window_show_message (RelayWindow *self,
                           const char  *message)
{
  g_autoptr(AdwToast) toast = NULL;

  g_return_if_fail (RELAY_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  toast = toast_new_plain (message);
  add_toast_from (self, toast, NULL);
}

void
relay_window_hide_message (RelayWindow *self)
{
  g_autoptr(GPtrArray) toasts = NULL;

  g_return_if_fail (RELAY_IS_WINDOW (self));

  toasts = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < self->toasts->len; i++)
    g_ptr_array_add (toasts, g_object_ref (g_ptr_array_index (self->toasts, i)));
  for (guint i = 0; i < toasts->len; i++)
    dismiss_toast (self, g_ptr_array_index (toasts, i));
}

const char *
relay_window_get_message (RelayWindow *self)
{
  g_return_val_if_fail (RELAY_IS_WINDOW (self), NULL);

  if (self->toasts->len == 0)
    return NULL;
  return g_object_get_data (g_ptr_array_index (self->toasts, self->toasts->len - 1),
                            TOAST_TEXT_KEY);
}

guint
relay_window_get_n_toasts (RelayWindow *self)
{
  g_return_val_if_fail (RELAY_IS_WINDOW (self), 0);
  return self->toasts->len;
}

/* Leaving a page makes what it said stale, unless the toast leads somewhere. */
static void
dismiss_page_toasts (RelayWindow *self,
                     GtkWidget   *page)
{
  g_autoptr(GPtrArray) stale = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < self->toasts->len; i++)
    {
      AdwToast *toast = g_ptr_array_index (self->toasts, i);

      if (g_object_get_data (G_OBJECT (toast), TOAST_PAGE_KEY) == page &&
          adw_toast_get_action_name (toast) == NULL)
        g_ptr_array_add (stale, g_object_ref (toast));
    }
  for (guint i = 0; i < stale->len; i++)
    dismiss_toast (self, g_ptr_array_index (stale, i));
}

/* A page's ::message: its outcome, as a toast. */
static void
on_page_message (GtkWidget   *page,
                 const char  *text,
                 RelayWindow *self)
{
  g_autoptr(AdwToast) toast = NULL;

  if (text == NULL || *text == '\0')
    return;
  toast = toast_new_plain (text);
  add_toast_from (self, toast, page);
}

/* A page's ::toast: a toast it made, maybe with an action. */
static void
on_page_toast (GtkWidget   *page,
               AdwToast    *toast,
               RelayWindow *self)
{
  add_toast_from (self, toast, page);
}

/* ---- pages ---- */

void
relay_window_show_page (RelayWindow *self,
                        const char  *name)
{
  GtkWidget *page;

  g_return_if_fail (RELAY_IS_WINDOW (self));
  g_return_if_fail (name != NULL);

  page = gtk_stack_get_child_by_name (self->stack, name);
  if (page == NULL)
    return;
  /* Only the page shown is visible (see hide_other_pages()). */
  gtk_widget_set_visible (page, TRUE);
  gtk_stack_set_visible_child (self->stack, page);
  adw_leaflet_set_visible_child (self->leaflet, self->content_box);
}

GtkStack *
relay_window_get_stack (RelayWindow *self)
{
  g_return_val_if_fail (RELAY_IS_WINDOW (self), NULL);
  return self->stack;
}

RelayOrdersPage *
relay_window_get_orders_page (RelayWindow *self)
{
  g_return_val_if_fail (RELAY_IS_WINDOW (self), NULL);
  return self->orders_page;
}

gboolean
relay_window_get_folded (RelayWindow *self)
{
  g_return_val_if_fail (RELAY_IS_WINDOW (self), FALSE);
  return adw_leaflet_get_folded (self->leaflet);
}

static GtkListBoxRow *
sidebar_row (RelayWindow *self,
             const char  *name)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->sidebar_list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row) && g_strcmp0 (gtk_widget_get_name (row), name) == 0)
      return GTK_LIST_BOX_ROW (row);
  return NULL;
}

static void
update_title (RelayWindow *self)
{
  GtkWidget *child = gtk_stack_get_visible_child (self->stack);
  const char *title = child ? gtk_stack_page_get_title (gtk_stack_get_page (self->stack, child))
                            : NULL;

  adw_window_title_set_title (self->window_title, title ? title : "");
  adw_window_title_set_subtitle (self->window_title,
                                 self->updated_text ? self->updated_text : "");
}

/* The pages not shown are hidden, not only out of view: GTK 4.8 styles a
 * stack's child-invisible pages with the shown one, so each change of the
 * whole window's style (focus in and out of the window, light and dark,
 * libadwaita's start-up style switch) styled all seven pages, a third of
 * the window's nodes, in one frame. */
static void
hide_other_pages (RelayWindow *self,
                  GtkWidget   *shown)
{
  for (GtkWidget *page = gtk_widget_get_first_child (GTK_WIDGET (self->stack));
       page != NULL;
       page = gtk_widget_get_next_sibling (page))
    if (page != shown)
      gtk_widget_set_visible (page, FALSE);
}

static void
on_page_changed (RelayWindow *self)
{
  const char *name = gtk_stack_get_visible_child_name (self->stack);
  GtkWidget *left = g_object_get_data (G_OBJECT (self), "relay-shown-page");
  GtkWidget *shown = gtk_stack_get_visible_child (self->stack);
  GtkListBoxRow *row;

  if (left != NULL && left != shown)
    dismiss_page_toasts (self, left);
  if (shown != NULL)
    hide_other_pages (self, shown);
  g_object_set_data (G_OBJECT (self), "relay-shown-page", shown);

  if (name != NULL && self->settings != NULL)
    g_settings_set_string (self->settings, "last-page", name);
  row = name ? sidebar_row (self, name) : NULL;
  if (row != NULL && gtk_list_box_get_selected_row (self->sidebar_list) != row)
    gtk_list_box_select_row (self->sidebar_list, row);
  update_title (self);
}

static void
on_sidebar_row_activated (RelayWindow   *self,
                          GtkListBoxRow *row)
{
  relay_window_show_page (self, gtk_widget_get_name (GTK_WIDGET (row)));
}

static void
on_folded_changed (RelayWindow *self)
{
  /* Folded, the list marks no page: a row is a way in, not a state. */
  if (adw_leaflet_get_folded (self->leaflet))
    gtk_list_box_set_selection_mode (self->sidebar_list, GTK_SELECTION_NONE);
  else
    {
      GtkListBoxRow *row;

      gtk_list_box_set_selection_mode (self->sidebar_list, GTK_SELECTION_SINGLE);
      row = sidebar_row (self, gtk_stack_get_visible_child_name (self->stack));
      if (row != NULL)
        gtk_list_box_select_row (self->sidebar_list, row);
    }
}

/* The Review row's badge: how many orders wait for a decision. */
static void
update_review_badge (RelayWindow *self)
{
  RelayOrderQuery query = { .filter = RELAY_ORDER_FILTER_STATUS,
                            .status = RELAY_ORDER_NEEDS_REVIEW };
  gint64 n = 0;

  if (self->core != NULL)
    n = relay_store_count_orders (relay_core_get_store (self->core), &query, NULL);
  if (n > 0)
    {
      g_autofree char *text = relay_format_count (n);
      g_autofree char *tooltip = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                               "%s order needs review",
                                                               "%s orders need review",
                                                               (gulong) n), text);

      gtk_label_set_label (self->review_badge, text);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->review_badge), tooltip);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->review_badge), n > 0);
}

/* "Order 26 is scheduled" is stale once order 26 is canceled. */
static void
dismiss_stale_order_toasts (RelayWindow *self,
                            GArray      *ids)
{
  g_autoptr(GPtrArray) stale = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < self->toasts->len; i++)
    {
      AdwToast *toast = g_ptr_array_index (self->toasts, i);
      guint status = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (toast), TOAST_STATUS_KEY));
      g_autoptr(RelayOrderRow) row = NULL;
      gint64 id;
      gboolean changed = FALSE;

      if (status == 0)
        continue;
      id = g_variant_get_int64 (adw_toast_get_action_target_value (toast));
      for (guint j = 0; ids != NULL && j < ids->len && !changed; j++)
        changed = g_array_index (ids, gint64, j) == id;
      if (!changed)
        continue;
      row = relay_store_get_order (relay_core_get_store (self->core), id, NULL);
      if (row == NULL || (guint) row->status + 1 != status)
        g_ptr_array_add (stale, g_object_ref (toast));
    }
  for (guint i = 0; i < stale->len; i++)
    dismiss_toast (self, g_ptr_array_index (stale, i));
}

static void
on_orders_changed (RelayStore  *store,
                   GArray      *ids,
                   RelayWindow *self)
{
  update_review_badge (self);
  dismiss_stale_order_toasts (self, ids);
}

/* Hands the core to every page that has a "core" property and listens to
 * what they have to say. */
static void
connect_pages (RelayWindow *self,
               RelayCore   *core)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->stack));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (child), "core");

      if (pspec != NULL && g_type_is_a (pspec->value_type, RELAY_TYPE_CORE))
        g_object_set (child, "core", core, NULL);
      if (g_signal_lookup ("message", G_OBJECT_TYPE (child)) != 0)
        g_signal_connect_object (child, "message", G_CALLBACK (on_page_message), self, 0);
      if (g_signal_lookup ("toast", G_OBJECT_TYPE (child)) != 0)
        g_signal_connect_object (child, "toast", G_CALLBACK (on_page_toast), self, 0);
    }

  g_set_object (&self->core, core);
  if (core != NULL)
    self->orders_changed_id = g_signal_connect (relay_core_get_store (core), "orders-changed",
                                                G_CALLBACK (on_orders_changed), self);
  update_review_badge (self);
}

/* ---- actions ---- */

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RelayWindow *self = RELAY_WINDOW (widget);

  relay_window_show_page (self, "orders");
  relay_orders_page_focus_search (self->orders_page);
}

static void
show_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  relay_window_show_page (RELAY_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
show_order_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  RelayWindow *self = RELAY_WINDOW (widget);

  relay_window_show_page (self, "orders");
  relay_orders_page_show_order (self->orders_page, g_variant_get_int64 (parameter));
  gtk_window_present (GTK_WINDOW (self));
}

/* Folded: back from a page to the list of pages. */
static void
show_sidebar_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  RelayWindow *self = RELAY_WINDOW (widget);
  GtkListBoxRow *row = sidebar_row (self, gtk_stack_get_visible_child_name (self->stack));

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
  if (row != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (row));
  else
    gtk_widget_child_focus (GTK_WIDGET (self->sidebar_list), GTK_DIR_TAB_FORWARD);
}

/* ---- state ---- */

void
relay_window_save_state (RelayWindow *self)
{
  int width;
  int height;

  g_return_if_fail (RELAY_IS_WINDOW (self));

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  if (!gtk_window_is_maximized (GTK_WINDOW (self)) && width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
}

/* Closing the last window while orders are being sent, or while the lines
 * of a mass order are recorded, quits the way app.quit does: once the lines
 * are in the book and the requests in flight have answered. */
static gboolean
relay_window_close_request (GtkWindow *window)
{
  GtkApplication *app = gtk_window_get_application (window);
  RelayCore *core = RELAY_IS_APPLICATION (app) ? relay_application_get_core (RELAY_APPLICATION (app)) : NULL;
  GtkWidget *mass = gtk_stack_get_child_by_name (RELAY_WINDOW (window)->stack, "mass-order");

  relay_window_save_state (RELAY_WINDOW (window));
  if (core != NULL &&
      (relay_dispatcher_is_running (relay_core_get_dispatcher (core)) ||
       (RELAY_IS_MASS_ORDER_PAGE (mass) &&
        relay_mass_order_page_get_recording (RELAY_MASS_ORDER_PAGE (mass)))) &&
      g_list_length (gtk_application_get_windows (app)) == 1)
    {
      g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
      return TRUE;
    }
  return GTK_WINDOW_CLASS (relay_window_parent_class)->close_request (window);
}

gboolean
relay_window_get_minimized (RelayWindow *self)
{
  g_return_val_if_fail (RELAY_IS_WINDOW (self), FALSE);
  return self->minimized;
}

static void
on_surface_state (GdkSurface  *surface,
                  GParamSpec  *pspec,
                  RelayWindow *self)
{
  gboolean minimized = (gdk_toplevel_get_state (GDK_TOPLEVEL (surface)) &
                        GDK_TOPLEVEL_STATE_MINIMIZED) != 0;

  if (minimized == self->minimized)
    return;
  self->minimized = minimized;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MINIMIZED]);
}

static void
relay_window_realize (GtkWidget *widget)
{
  RelayWindow *self = RELAY_WINDOW (widget);

  GTK_WIDGET_CLASS (relay_window_parent_class)->realize (widget);

  self->surface = g_object_ref (gtk_native_get_surface (GTK_NATIVE (widget)));
  self->state_id = g_signal_connect (self->surface, "notify::state",
                                     G_CALLBACK (on_surface_state), self);
}

static void
relay_window_unrealize (GtkWidget *widget)
{
  RelayWindow *self = RELAY_WINDOW (widget);

  if (self->surface != NULL)
    g_clear_signal_handler (&self->state_id, self->surface);
  g_clear_object (&self->surface);

  GTK_WIDGET_CLASS (relay_window_parent_class)->unrealize (widget);
}

/* ---- GObject ---- */

/* Runs once, when the window gets its application (GtkWindow:application is
 * not a construct property, so this cannot be done in constructed). */
static void
on_application_set (RelayWindow *self,
                    GParamSpec  *pspec,
                    gpointer     user_data)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  RelayApplication *app;
  g_autofree char *page = NULL;

  if (application == NULL || self->settings != NULL)
    return;
  g_return_if_fail (RELAY_IS_APPLICATION (application));
  app = RELAY_APPLICATION (application);

  self->settings = g_object_ref (relay_application_get_settings (app));
  gtk_window_set_default_size (GTK_WINDOW (self),
                               MAX (g_settings_get_int (self->settings, "window-width"), 360),
                               MAX (g_settings_get_int (self->settings, "window-height"), 480));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  if (relay_application_get_demo (app))
    {
      gtk_window_set_title (GTK_WINDOW (self), _("SMM Relay — Demo"));
      gtk_widget_add_css_class (GTK_WIDGET (self), "demo");
    }

  /* While a refresh runs, the subtitle says "Updating…" — and no spinner
   * spins: a spinner is a frame every 16 ms, and GTK 4.8's cairo renderer on
   * X11 paints the bounding box of all a frame's changes, so the spinner in
   * the header bar and a row changed in the table made most of the window
   * painted at every frame of a refresh (stall-sync 10-18 ms, 5-8 without). */
  g_object_bind_property (app, "updated-text", self, "updated-text", G_BINDING_SYNC_CREATE);
  g_object_bind_property (app, "updated-text", self->orders_page, "updated-text",
                          G_BINDING_SYNC_CREATE);

  relay_orders_page_set_settings (self->orders_page, self->settings);
  connect_pages (self, relay_application_get_core (app));

  page = g_settings_get_string (self->settings, "last-page");
  relay_window_show_page (self, page);
  on_page_changed (self);
}

static void
relay_window_dispose (GObject *object)
{
  RelayWindow *self = RELAY_WINDOW (object);

  if (self->core != NULL)
    g_clear_signal_handler (&self->orders_changed_id, relay_core_get_store (self->core));
  g_clear_object (&self->core);
  for (guint i = 0; self->toasts != NULL && i < self->toasts->len; i++)
    g_signal_handlers_disconnect_by_func (g_ptr_array_index (self->toasts, i),
                                          on_toast_dismissed, self);
  g_clear_pointer (&self->toasts, g_ptr_array_unref);
  for (guint i = 0; self->alive != NULL && i < self->alive->len; i++)
    g_signal_handlers_disconnect_by_func (g_ptr_array_index (self->alive, i),
                                          on_alive_dismissed, self);
  g_clear_pointer (&self->alive, g_ptr_array_unref);
  /* No gtk_widget_dispose_template(): GtkWindow unparents its titlebar and
   * child itself (doing it twice is a critical in GTK 4.8). */

  G_OBJECT_CLASS (relay_window_parent_class)->dispose (object);
}

static void
relay_window_finalize (GObject *object)
{
  RelayWindow *self = RELAY_WINDOW (object);

  g_clear_object (&self->settings);
  g_clear_pointer (&self->updated_text, g_free);

  G_OBJECT_CLASS (relay_window_parent_class)->finalize (object);
}

static void
relay_window_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  RelayWindow *self = RELAY_WINDOW (object);

  switch (prop_id)
    {
    case PROP_MINIMIZED:
      g_value_set_boolean (value, self->minimized);
      break;
    case PROP_UPDATED_TEXT:
      g_value_set_string (value, self->updated_text);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_window_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  RelayWindow *self = RELAY_WINDOW (object);

  switch (prop_id)
    {
    case PROP_UPDATED_TEXT:
      if (g_strcmp0 (self->updated_text, g_value_get_string (value)) == 0)
        return;
      g_free (self->updated_text);
      self->updated_text = g_value_dup_string (value);
      update_title (self);
      g_object_notify_by_pspec (object, pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_window_class_init (RelayWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = relay_window_dispose;
  object_class->finalize = relay_window_finalize;
  object_class->get_property = relay_window_get_property;
  object_class->set_property = relay_window_set_property;
  widget_class->realize = relay_window_realize;
  widget_class->unrealize = relay_window_unrealize;
  window_class->close_request = relay_window_close_request;

  properties[PROP_MINIMIZED] =
    g_param_spec_boolean ("minimized", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* "Updated 12 s ago": the header bar's subtitle. */
  properties[PROP_UPDATED_TEXT] =
    g_param_spec_string ("updated-text", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (RELAY_TYPE_ORDERS_PAGE);
  g_type_ensure (RELAY_TYPE_NEW_ORDER_PAGE);
  g_type_ensure (RELAY_TYPE_MASS_ORDER_PAGE);
  g_type_ensure (RELAY_TYPE_SERVICES_PAGE);
  g_type_ensure (RELAY_TYPE_PROVIDERS_PAGE);
  g_type_ensure (RELAY_TYPE_CLIENTS_PAGE);
  g_type_ensure (RELAY_TYPE_REVIEW_PAGE);
  g_type_ensure (RELAY_TYPE_REPORTS_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/smmrelay/SmmRelay/relay-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, sidebar_list);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, orders_page);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, review_badge);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, content_box);
  gtk_widget_class_bind_template_callback (widget_class, on_page_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_folded_changed);

  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);
  gtk_widget_class_install_action (widget_class, "win.show-order", "x", show_order_action);
  gtk_widget_class_install_action (widget_class, "win.show-sidebar", NULL, show_sidebar_action);

  /* Pages by number, as in the sidebar; Alt+Left back to the sidebar. */
  {
    const char * const names[] = { "orders", "new-order", "mass-order", "services",
                                   "providers", "clients", "review", "reports" };

    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + i, GDK_ALT_MASK,
                                           "win.show-page", "s", names[i]);
  }
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "win.show-sidebar", NULL);
}

static void
relay_window_init (RelayWindow *self)
{
  self->toasts = g_ptr_array_new_with_free_func (g_object_unref);
  self->alive = g_ptr_array_new_with_free_func (g_object_unref);
  gtk_widget_init_template (GTK_WIDGET (self));
  on_folded_changed (self);
  g_signal_connect (self, "notify::application", G_CALLBACK (on_application_set), NULL);
}
