/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayWindow: the header bar, the sidebar of pages and the message area. */
#include "config.h"

#include "relay-window.h"
#include "relay-mass-order-page.h"
#include "relay-new-order-page.h"
#include "relay-clients-page.h"
#include "relay-providers-page.h"
#include "relay-review-page.h"
#include "relay-services-page.h"

#include <glib/gi18n.h>

#define MESSAGE_SECONDS 4

struct _RelayWindow
{
  GtkApplicationWindow  parent_instance;

  GSettings            *settings;
  guint                 message_id;
  gboolean              minimized;
  GdkSurface           *surface;
  gulong                state_id;

  GtkHeaderBar         *header_bar;
  GtkSpinner           *sync_spinner;
  GtkLabel             *updated_label;
  GtkStack             *stack;
  RelayOrdersPage      *orders_page;
  GtkRevealer          *toast_revealer;
  GtkLabel             *toast_label;
};

G_DEFINE_FINAL_TYPE (RelayWindow, relay_window, GTK_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_MINIMIZED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

RelayWindow *
relay_window_new (RelayApplication *application)
{
  return g_object_new (RELAY_TYPE_WINDOW, "application", application, NULL);
}

/* ---- messages ---- */

static gboolean
message_timeout (gpointer data)
{
  RelayWindow *self = data;

  self->message_id = 0;
  relay_window_hide_message (self);
  return G_SOURCE_REMOVE;
}

void
relay_window_show_message (RelayWindow *self,
                           const char  *message)
{
  g_return_if_fail (RELAY_IS_WINDOW (self));

  gtk_label_set_label (self->toast_label, message);
  gtk_revealer_set_reveal_child (self->toast_revealer, TRUE);
  g_clear_handle_id (&self->message_id, g_source_remove);
  self->message_id = g_timeout_add_seconds (MESSAGE_SECONDS, message_timeout, self);
}

void
relay_window_hide_message (RelayWindow *self)
{
  g_return_if_fail (RELAY_IS_WINDOW (self));

  g_clear_handle_id (&self->message_id, g_source_remove);
  gtk_revealer_set_reveal_child (self->toast_revealer, FALSE);
}

const char *
relay_window_get_message (RelayWindow *self)
{
  g_return_val_if_fail (RELAY_IS_WINDOW (self), NULL);
  if (!gtk_revealer_get_reveal_child (self->toast_revealer))
    return NULL;
  return gtk_label_get_label (self->toast_label);
}

/* ---- pages ---- */

void
relay_window_show_page (RelayWindow *self,
                        const char  *name)
{
  g_return_if_fail (RELAY_IS_WINDOW (self));
  g_return_if_fail (name != NULL);

  if (gtk_stack_get_child_by_name (self->stack, name) != NULL)
    gtk_stack_set_visible_child_name (self->stack, name);
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

static void
on_page_changed (RelayWindow *self)
{
  const char *name = gtk_stack_get_visible_child_name (self->stack);

  if (name != NULL && self->settings != NULL)
    g_settings_set_string (self->settings, "last-page", name);
}

/* A page's ::message: its outcome, shown as a transient message. */
static void
on_page_message (GtkWidget   *page,
                 const char  *text,
                 RelayWindow *self)
{
  relay_window_show_message (self, text);
}

/* Hands the core to every page that has a "core" property. */
static void
give_core_to_pages (RelayWindow *self,
                    RelayCore   *core)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->stack));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (child), "core");

      if (pspec != NULL && g_type_is_a (pspec->value_type, RELAY_TYPE_CORE))
        g_object_set (child, "core", core, NULL);
    }
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

static gboolean
relay_window_close_request (GtkWindow *window)
{
  relay_window_save_state (RELAY_WINDOW (window));
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
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  if (relay_application_get_demo (app))
    {
      gtk_window_set_title (GTK_WINDOW (self), _("SMM Relay — Demo"));
      gtk_widget_add_css_class (GTK_WIDGET (self), "demo");
    }

  g_object_bind_property (app, "syncing", self->sync_spinner, "spinning", G_BINDING_SYNC_CREATE);
  g_object_bind_property (app, "syncing", self->sync_spinner, "visible", G_BINDING_SYNC_CREATE);
  g_object_bind_property (app, "updated-text", self->updated_label, "label", G_BINDING_SYNC_CREATE);
  g_object_bind_property (app, "updated-text", self->orders_page, "updated-text",
                          G_BINDING_SYNC_CREATE);

  give_core_to_pages (self, relay_application_get_core (app));

  page = g_settings_get_string (self->settings, "last-page");
  relay_window_show_page (self, page);
}

static void
relay_window_dispose (GObject *object)
{
  RelayWindow *self = RELAY_WINDOW (object);

  g_clear_handle_id (&self->message_id, g_source_remove);
  /* No gtk_widget_dispose_template(): GtkWindow unparents its titlebar and
   * child itself (doing it twice is a critical in GTK 4.8). */

  G_OBJECT_CLASS (relay_window_parent_class)->dispose (object);
}

static void
relay_window_finalize (GObject *object)
{
  RelayWindow *self = RELAY_WINDOW (object);

  g_clear_object (&self->settings);

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
  widget_class->realize = relay_window_realize;
  widget_class->unrealize = relay_window_unrealize;
  window_class->close_request = relay_window_close_request;

  properties[PROP_MINIMIZED] =
    g_param_spec_boolean ("minimized", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (RELAY_TYPE_ORDERS_PAGE);
  g_type_ensure (RELAY_TYPE_NEW_ORDER_PAGE);
  g_type_ensure (RELAY_TYPE_MASS_ORDER_PAGE);
  g_type_ensure (RELAY_TYPE_SERVICES_PAGE);
  g_type_ensure (RELAY_TYPE_PROVIDERS_PAGE);
  g_type_ensure (RELAY_TYPE_CLIENTS_PAGE);
  g_type_ensure (RELAY_TYPE_REVIEW_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/smmrelay/SmmRelay/relay-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, sync_spinner);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, updated_label);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, orders_page);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, toast_revealer);
  gtk_widget_class_bind_template_child (widget_class, RelayWindow, toast_label);
  gtk_widget_class_bind_template_callback (widget_class, on_page_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_page_message);
  gtk_widget_class_bind_template_callback (widget_class, relay_window_hide_message);

  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);
}

static void
relay_window_init (RelayWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self, "notify::application", G_CALLBACK (on_application_set), NULL);
}
