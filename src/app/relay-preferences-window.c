/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayPreferencesWindow: the preferences, each bound to GSettings. */
#include "config.h"

#include "relay-preferences-window.h"
#include "relay-client-picker.h"

#include <inttypes.h>

static const char * const schemes[] = { "system", "light", "dark" };

struct _RelayPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  RelayApplication     *application;

  GtkSpinButton        *interval_spin;
  GtkSwitch            *notifications_switch;
  GtkSwitch            *confirm_switch;
  AdwComboRow          *style_row;
  RelayClientPicker    *client_picker;
  AdwPreferencesGroup  *notify_group;
  GtkSwitch            *notify_switches[8];   /* in the order of notify_keys */
};

/* The kinds of notification (relay-notifier.h), each with its switch. */
static const struct
{
  const char *key;
  const char *child;
} notify_keys[] = {
  { "notify-partial", "notify_partial_switch" },
  { "notify-failed", "notify_failed_switch" },
  { "notify-review", "notify_review_switch" },
  { "notify-completed", "notify_completed_switch" },
  { "notify-funds", "notify_funds_switch" },
  { "notify-low-balance", "notify_low_balance_switch" },
  { "notify-prices", "notify_prices_switch" },
  { "notify-health", "notify_health_switch" },
};

G_DEFINE_FINAL_TYPE (RelayPreferencesWindow, relay_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

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

/* The style row's position <-> the "color-scheme" setting. */
static gboolean
scheme_to_position (GValue   *value,
                    GVariant *variant,
                    gpointer  user_data)
{
  const char *scheme = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (schemes); i++)
    if (g_strcmp0 (scheme, schemes[i]) == 0)
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  g_value_set_uint (value, 0);
  return TRUE;
}

static GVariant *
position_to_scheme (const GValue       *value,
                    const GVariantType *expected_type,
                    gpointer            user_data)
{
  guint position = g_value_get_uint (value);

  return g_variant_new_string (schemes[position < G_N_ELEMENTS (schemes) ? position : 0]);
}

/* Only a client of the book can be the default: the picker offers those, and
 * its choice is kept by id (the picker reads ids and, from older versions,
 * names). */
static void
on_client_picked (RelayPreferencesWindow *self)
{
  GSettings *settings = relay_application_get_settings (self->application);
  gint64 id = relay_client_picker_get_client_id (self->client_picker);
  g_autofree char *text = id > 0 ? g_strdup_printf ("%" PRId64, id) : g_strdup ("");
  g_autofree char *current = g_settings_get_string (settings, "default-client");

  if (g_strcmp0 (current, text) != 0)
    g_settings_set_string (settings, "default-client", text);
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
  g_settings_bind (settings, "confirm-orders", self->confirm_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  for (guint i = 0; i < G_N_ELEMENTS (notify_keys); i++)
    {
      self->notify_switches[i] =
        GTK_SWITCH (gtk_widget_get_template_child (GTK_WIDGET (self), RELAY_TYPE_PREFERENCES_WINDOW,
                                                   notify_keys[i].child));
      g_settings_bind (settings, notify_keys[i].key, self->notify_switches[i], "active",
                       G_SETTINGS_BIND_DEFAULT);
    }
  /* Each kind counts only while notifications are on. */
  g_settings_bind (settings, "notifications", self->notify_group, "sensitive",
                   G_SETTINGS_BIND_GET);
  g_settings_bind_with_mapping (settings, "color-scheme", self->style_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, scheme_to_position, position_to_scheme,
                                NULL, NULL);
  /* The picker selects the current default when it gets the book. */
  relay_client_picker_set_core (self->client_picker,
                                relay_application_get_core (self->application));
  g_signal_connect_object (self->client_picker, "notify::client-id",
                           G_CALLBACK (on_client_picked), self, G_CONNECT_SWAPPED);
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
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, confirm_switch);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, style_row);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, client_picker);
  gtk_widget_class_bind_template_child (widget_class, RelayPreferencesWindow, notify_group);
  for (guint i = 0; i < G_N_ELEMENTS (notify_keys); i++)
    gtk_widget_class_bind_template_child_full (widget_class, notify_keys[i].child, FALSE, 0);
}

static void
relay_preferences_window_init (RelayPreferencesWindow *self)
{
  g_type_ensure (RELAY_TYPE_CLIENT_PICKER);
  gtk_widget_init_template (GTK_WIDGET (self));
}
