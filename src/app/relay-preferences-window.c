/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayPreferencesWindow: the preferences, each bound to GSettings. */
#include "config.h"

#include "relay-preferences-window.h"

struct _RelayPreferencesWindow
{
  GtkWindow         parent_instance;

  RelayApplication *application;

  GtkSpinButton    *interval_spin;
  GtkSwitch        *notifications_switch;
  GtkSwitch        *dark_switch;
  GtkEntry         *client_entry;
};

G_DEFINE_FINAL_TYPE (RelayPreferencesWindow, relay_preferences_window, GTK_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_APPLICATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GtkWidget *
relay_preferences_window_new (RelayApplication *application)
{
  g_return_val_if_fail (RELAY_IS_APPLICATION (application), NULL);
  return g_object_new (RELAY_TYPE_PREFERENCES_WINDOW,
                       "relay-application", application,
                       NULL);
}

static void
relay_preferences_window_constructed (GObject *object)
{
  RelayPreferencesWindow *self = RELAY_PREFERENCES_WINDOW (object);
  GSettings *settings;

  G_OBJECT_CLASS (relay_preferences_window_parent_class)->constructed (object);

  g_return_if_fail (RELAY_IS_APPLICATION (self->application));
  settings = relay_application_get_settings (self->application);

  g_settings_bind (settings, "refresh-interval", self->interval_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "notifications", self->notifications_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "dark-style", self->dark_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "default-client", self->client_entry, "text",
                   G_SETTINGS_BIND_DEFAULT);
}

static void
relay_preferences_window_dispose (GObject *object)
{
  RelayPreferencesWindow *self = RELAY_PREFERENCES_WINDOW (object);

  /* No gtk_widget_dispose_template(): GtkWindow unparents its titlebar and
   * child itself (doing it twice is a critical in GTK 4.8). */
  g_clear_object (&self->application);

  G_OBJECT_CLASS (relay_preferences_window_parent_class)->dispose (object);
}

static void
relay_preferences_window_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  RelayPreferencesWindow *self = RELAY_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_APPLICATION:
      g_value_set_object (value, self->application);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_preferences_window_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  RelayPreferencesWindow *self = RELAY_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_APPLICATION:
      self->application = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_preferences_window_class_init (RelayPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = relay_preferences_window_constructed;
  object_class->dispose = relay_preferences_window_dispose;
  object_class->get_property = relay_preferences_window_get_property;
  object_class->set_property = relay_preferences_window_set_property;

  /* Not "application": that would make it one of the application's windows
   * (and keep the refresh running for a preferences window alone). */
  properties[PROP_APPLICATION] =
    g_param_spec_object ("relay-application", NULL, NULL, RELAY_TYPE_APPLICATION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/smmrelay/SmmRelay/relay-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, interval_spin);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, notifications_switch);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, dark_switch);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, client_entry);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
relay_preferences_window_init (RelayPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
