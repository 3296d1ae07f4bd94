/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayClientPicker: a searchable drop-down of clients with "No client" first, defaulting to the
 * "default-client" preference when the GSettings schema is installed. */
#include "config.h"

#include "relay-client-picker.h"
#include "relay-pages-private.h"

#include <glib/gi18n-lib.h>

struct _RelayClientPicker
{
  GtkWidget      parent_instance;

  GtkDropDown   *drop_down;

  RelayCore     *core;
  gulong         clients_changed_id;
  GtkStringList *names;
  GArray        *ids;        /* gint64 per row of @names; 0 = no client */
  GSettings     *settings;   /* NULL when the schema is not installed */
  gint64         client_id;
  gboolean       filling;
};

G_DEFINE_FINAL_TYPE (RelayClientPicker, relay_client_picker, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CORE,
  PROP_CLIENT_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static guint
find_position (RelayClientPicker *self, gint64 client_id)
{
  for (guint i = 0; i < self->ids->len; i++)
    if (g_array_index (self->ids, gint64, i) == client_id)
      return i;
  return 0;
}

static void
select_client (RelayClientPicker *self, gint64 client_id)
{
  guint position = find_position (self, client_id);

  self->filling = TRUE;
  gtk_drop_down_set_selected (self->drop_down, position);
  self->filling = FALSE;
  client_id = g_array_index (self->ids, gint64, position);
  if (client_id != self->client_id)
    {
      self->client_id = client_id;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT_ID]);
    }
}

/* The "default-client" preference: a client's name (or its id). */
static gint64
default_client_id (RelayClientPicker *self, GPtrArray *clients)
{
  g_autofree char *wanted = NULL;
  gint64 as_id = 0;

  if (self->settings == NULL)
    return 0;
  wanted = g_settings_get_string (self->settings, "default-client");
  g_strstrip (wanted);
  if (*wanted == '\0')
    return 0;
  if (!g_ascii_string_to_signed (wanted, 10, 1, G_MAXINT64, &as_id, NULL))
    as_id = 0;
  for (guint i = 0; i < clients->len; i++)
    {
      const RelayClientRow *client = g_ptr_array_index (clients, i);

      if (g_strcmp0 (client->name, wanted) == 0 || client->id == as_id)
        return client->id;
    }
  return 0;
}

static void
refill (RelayClientPicker *self, gboolean use_default)
{
  g_autoptr(GPtrArray) clients = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) strings = g_ptr_array_new ();
  gint64 wanted = self->client_id;
  gint64 none = 0;

  if (self->core != NULL)
    clients = relay_store_list_client_names (relay_core_get_store (self->core), &error);
  if (clients == NULL)
    {
      if (error != NULL)
        g_warning ("Could not list the clients: %s", error->message);
      clients = g_ptr_array_new ();
    }

  g_array_set_size (self->ids, 0);
  g_array_append_val (self->ids, none);
  g_ptr_array_add (strings, (gpointer) _("No client"));
  for (guint i = 0; i < clients->len; i++)
    {
      const RelayClientRow *client = g_ptr_array_index (clients, i);

      g_array_append_val (self->ids, client->id);
      g_ptr_array_add (strings, client->name);
    }
  g_ptr_array_add (strings, NULL);

  if (use_default)
    wanted = default_client_id (self, clients);

  self->filling = TRUE;
  gtk_string_list_splice (self->names, 0, g_list_model_get_n_items (G_LIST_MODEL (self->names)),
                          (const char * const *) strings->pdata);
  self->filling = FALSE;
  select_client (self, wanted);
}

static void
on_clients_changed (RelayClientPicker *self)
{
  refill (self, FALSE);
}

static void
on_default_client_changed (RelayClientPicker *self)
{
  refill (self, TRUE);
}

static void
on_selected_changed (RelayClientPicker *self)
{
  guint position;
  gint64 client_id = 0;

  if (self->filling)
    return;
  position = gtk_drop_down_get_selected (self->drop_down);
  if (position < self->ids->len)
    client_id = g_array_index (self->ids, gint64, position);
  if (client_id != self->client_id)
    {
      self->client_id = client_id;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT_ID]);
    }
}

static GSettings *
settings_if_installed (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source == NULL)
    return NULL;
  schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL || !g_settings_schema_has_key (schema, "default-client"))
    return NULL;
  return g_settings_new_full (schema, NULL, NULL);
}

void
relay_client_picker_set_core (RelayClientPicker *self,
                              RelayCore         *core)
{
  g_return_if_fail (RELAY_IS_CLIENT_PICKER (self));
  g_return_if_fail (core == NULL || RELAY_IS_CORE (core));

  if (self->core == core)
    return;
  if (self->core != NULL)
    g_clear_signal_handler (&self->clients_changed_id, relay_core_get_store (self->core));
  g_set_object (&self->core, core);
  if (self->core != NULL)
    self->clients_changed_id =
      g_signal_connect_object (relay_core_get_store (self->core), "clients-changed",
                               G_CALLBACK (on_clients_changed), self, G_CONNECT_SWAPPED);
  refill (self, TRUE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CORE]);
}

static gboolean
relay_client_picker_grab_focus (GtkWidget *widget)
{
  return gtk_widget_grab_focus (GTK_WIDGET (RELAY_CLIENT_PICKER (widget)->drop_down));
}

static gboolean
relay_client_picker_mnemonic_activate (GtkWidget *widget,
                                       gboolean   group_cycling)
{
  return gtk_widget_mnemonic_activate (GTK_WIDGET (RELAY_CLIENT_PICKER (widget)->drop_down),
                                       group_cycling);
}

static void
relay_client_picker_dispose (GObject *object)
{
  RelayClientPicker *self = RELAY_CLIENT_PICKER (object);
  GtkWidget *child;

  if (self->core != NULL)
    g_clear_signal_handler (&self->clients_changed_id, relay_core_get_store (self->core));
  g_clear_object (&self->core);
  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), RELAY_TYPE_CLIENT_PICKER);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (relay_client_picker_parent_class)->dispose (object);
}

static void
relay_client_picker_finalize (GObject *object)
{
  RelayClientPicker *self = RELAY_CLIENT_PICKER (object);

  g_clear_object (&self->names);
  g_clear_pointer (&self->ids, g_array_unref);

  G_OBJECT_CLASS (relay_client_picker_parent_class)->finalize (object);
}

static void
relay_client_picker_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  RelayClientPicker *self = RELAY_CLIENT_PICKER (object);

  switch (prop_id)
    {
    case PROP_CORE:
      g_value_set_object (value, self->core);
      break;
    case PROP_CLIENT_ID:
      g_value_set_int64 (value, self->client_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_client_picker_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  RelayClientPicker *self = RELAY_CLIENT_PICKER (object);

  switch (prop_id)
    {
    case PROP_CORE:
      relay_client_picker_set_core (self, g_value_get_object (value));
      break;
    case PROP_CLIENT_ID:
      relay_client_picker_set_client_id (self, g_value_get_int64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_client_picker_class_init (RelayClientPickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relay_client_picker_dispose;
  object_class->finalize = relay_client_picker_finalize;
  object_class->get_property = relay_client_picker_get_property;
  object_class->set_property = relay_client_picker_set_property;
  widget_class->grab_focus = relay_client_picker_grab_focus;
  widget_class->mnemonic_activate = relay_client_picker_mnemonic_activate;

  properties[PROP_CORE] =
    g_param_spec_object ("core", NULL, NULL, RELAY_TYPE_CORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLIENT_ID] =
    g_param_spec_int64 ("client-id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  relay_pages_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RELAY_PAGES_RESOURCE_PATH "relay-client-picker.ui");
  gtk_widget_class_bind_template_child (widget_class, RelayClientPicker, drop_down);
  gtk_widget_class_bind_template_callback (widget_class, on_selected_changed);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
relay_client_picker_init (RelayClientPicker *self)
{
  self->ids = g_array_new (FALSE, TRUE, sizeof (gint64));
  self->names = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_drop_down_set_model (self->drop_down, G_LIST_MODEL (self->names));
  relay_pages_drop_down_search_anywhere (self->drop_down);

  self->settings = settings_if_installed ();
  if (self->settings != NULL)
    g_signal_connect_object (self->settings, "changed::default-client",
                             G_CALLBACK (on_default_client_changed), self, G_CONNECT_SWAPPED);
  refill (self, TRUE);
}

GtkWidget *
relay_client_picker_new (RelayCore *core)
{
  return g_object_new (RELAY_TYPE_CLIENT_PICKER, "core", core, NULL);
}

RelayCore *
relay_client_picker_get_core (RelayClientPicker *self)
{
  g_return_val_if_fail (RELAY_IS_CLIENT_PICKER (self), NULL);
  return self->core;
}

gint64
relay_client_picker_get_client_id (RelayClientPicker *self)
{
  g_return_val_if_fail (RELAY_IS_CLIENT_PICKER (self), 0);
  return self->client_id;
}

void
relay_client_picker_set_client_id (RelayClientPicker *self,
                                   gint64             client_id)
{
  g_return_if_fail (RELAY_IS_CLIENT_PICKER (self));
  select_client (self, client_id);
}
