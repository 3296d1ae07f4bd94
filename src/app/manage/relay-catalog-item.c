/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayCatalogItem: a catalog row with its rate, limits, options and last-sync change as text. */
#include "config.h"

#include "relay-catalog-item.h"
#include "relay-manage-private.h"
#include "relay-money.h"

#include <glib/gi18n-lib.h>

struct _RelayCatalogItem
{
  GObject          parent_instance;

  RelayCatalogRow *row;
  char            *group_heading;
  char            *rate_text;
  char            *limits_text;
  char            *options_text;
  char            *change_text;     /* NULL when nothing changed */
  char           **change_classes;
  char           **name_classes;
};

G_DEFINE_FINAL_TYPE (RelayCatalogItem, relay_catalog_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SERVICE_ID,
  PROP_NAME,
  PROP_TYPE,
  PROP_CATEGORY,
  PROP_GROUP_HEADING,
  PROP_RATE_TEXT,
  PROP_LIMITS_TEXT,
  PROP_OPTIONS_TEXT,
  PROP_CHANGE_TEXT,
  PROP_CHANGE_CLASSES,
  PROP_HAS_CHANGE,
  PROP_NAME_CLASSES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
has_marker (const char *markers, const char *marker)
{
  g_auto(GStrv) parts = NULL;

  if (markers == NULL)
    return FALSE;
  parts = g_strsplit (markers, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (g_strcmp0 (g_strstrip (parts[i]), marker) == 0)
      return TRUE;
  return FALSE;
}

RelayCatalogChange
relay_catalog_change_from_markers (const char *markers)
{
  if (markers == NULL || *markers == '\0')
    return RELAY_CATALOG_CHANGE_NONE;
  if (has_marker (markers, "removed"))
    return RELAY_CATALOG_CHANGE_REMOVED;
  if (has_marker (markers, "new"))
    return RELAY_CATALOG_CHANGE_NEW;
  return RELAY_CATALOG_CHANGE_CHANGED;
}

/* The badge's text, and its style from the change that matters most. */
static void
describe_change (RelayCatalogItem *self, const char *currency, gboolean first_sync)
{
  const RelayCatalogRow *row = self->row;
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  const char *style = NULL;

  if (has_marker (row->change, "new") && !first_sync)
    {
      g_ptr_array_add (parts, g_strdup (_("New")));
      style = "new";
    }
  if (has_marker (row->change, "rate_up") || has_marker (row->change, "rate_down"))
    {
      gboolean up = has_marker (row->change, "rate_up");
      g_autofree char *old_rate = relay_format_money (row->prev_rate, currency,
                                                      RELAY_MONEY_STYLE_UNIT_PRICE);
      g_autofree char *new_rate = relay_format_money (row->rate, currency,
                                                      RELAY_MONEY_STYLE_UNIT_PRICE);

      g_ptr_array_add (parts, up
                       /* TRANSLATORS: the provider raised its rate: old → new */
                       ? g_strdup_printf (_("Rate ↑ %s → %s"), old_rate, new_rate)
                       /* TRANSLATORS: the provider lowered its rate: old → new */
                       : g_strdup_printf (_("Rate ↓ %s → %s"), old_rate, new_rate));
      style = up ? "rate-up" : "rate-down";
    }
  if (has_marker (row->change, "limits"))
    {
      g_ptr_array_add (parts, g_strdup (_("Limits changed")));
      if (style == NULL || g_str_equal (style, "new"))
        style = "changed";
    }
  if (has_marker (row->change, "type"))
    {
      g_ptr_array_add (parts, g_strdup (_("Type changed")));
      if (style == NULL || g_str_equal (style, "new"))
        style = "changed";
    }
  if (has_marker (row->change, "refused"))
    {
      /* TRANSLATORS: the last sync's entry of this service had no usable
       * rate or name; the row shows the previous entry */
      g_ptr_array_add (parts, g_strdup (_("Invalid in the last sync · previous entry kept")));
      style = "changed";
    }
  if (has_marker (row->change, "removed") || (row->removed && parts->len == 0))
    {
      g_ptr_array_add (parts, g_strdup (_("Removed")));
      style = "removed";
    }

  if (parts->len == 0)
    {
      self->change_classes = g_new0 (char *, 1);
      return;
    }
  g_ptr_array_add (parts, NULL);
  self->change_text = g_strjoinv (" · ", (char **) parts->pdata);
  self->change_classes = g_new0 (char *, 3);
  self->change_classes[0] = g_strdup ("change-badge");
  self->change_classes[1] = g_strdup (style);
}

static char *
describe_options (const RelayCatalogRow *row)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();

  if (row->refill)
    g_ptr_array_add (parts, (gpointer) _("Refill"));
  if (row->cancel)
    g_ptr_array_add (parts, (gpointer) _("Cancel"));
  if (row->dripfeed)
    g_ptr_array_add (parts, (gpointer) _("Drip-feed"));
  if (parts->len == 0)
    return g_strdup ("—");
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" · ", (char **) parts->pdata);
}

static void
relay_catalog_item_finalize (GObject *object)
{
  RelayCatalogItem *self = RELAY_CATALOG_ITEM (object);

  g_clear_pointer (&self->row, relay_catalog_row_free);
  g_clear_pointer (&self->group_heading, g_free);
  g_clear_pointer (&self->rate_text, g_free);
  g_clear_pointer (&self->limits_text, g_free);
  g_clear_pointer (&self->options_text, g_free);
  g_clear_pointer (&self->change_text, g_free);
  g_clear_pointer (&self->change_classes, g_strfreev);
  g_clear_pointer (&self->name_classes, g_strfreev);

  G_OBJECT_CLASS (relay_catalog_item_parent_class)->finalize (object);
}

static void
relay_catalog_item_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  RelayCatalogItem *self = RELAY_CATALOG_ITEM (object);

  switch (prop_id)
    {
    case PROP_SERVICE_ID:
      g_value_set_string (value, self->row->service_id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->row->name);
      break;
    case PROP_TYPE:
      g_value_set_string (value, self->row->type);
      break;
    case PROP_CATEGORY:
      g_value_set_string (value, self->row->category);
      break;
    case PROP_GROUP_HEADING:
      g_value_set_string (value, self->group_heading);
      break;
    case PROP_RATE_TEXT:
      g_value_set_string (value, self->rate_text);
      break;
    case PROP_LIMITS_TEXT:
      g_value_set_string (value, self->limits_text);
      break;
    case PROP_OPTIONS_TEXT:
      g_value_set_string (value, self->options_text);
      break;
    case PROP_CHANGE_TEXT:
      g_value_set_string (value, self->change_text);
      break;
    case PROP_CHANGE_CLASSES:
      g_value_set_boxed (value, self->change_classes);
      break;
    case PROP_HAS_CHANGE:
      g_value_set_boolean (value, self->change_text != NULL);
      break;
    case PROP_NAME_CLASSES:
      g_value_set_boxed (value, self->name_classes);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_catalog_item_class_init (RelayCatalogItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = relay_catalog_item_finalize;
  object_class->get_property = relay_catalog_item_get_property;

  properties[PROP_SERVICE_ID] =
    g_param_spec_string ("service-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TYPE] =
    g_param_spec_string ("type", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CATEGORY] =
    g_param_spec_string ("category", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_GROUP_HEADING] =
    g_param_spec_string ("group-heading", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_RATE_TEXT] =
    g_param_spec_string ("rate-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LIMITS_TEXT] =
    g_param_spec_string ("limits-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_OPTIONS_TEXT] =
    g_param_spec_string ("options-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CHANGE_TEXT] =
    g_param_spec_string ("change-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CHANGE_CLASSES] =
    g_param_spec_boxed ("change-classes", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_HAS_CHANGE] =
    g_param_spec_boolean ("has-change", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME_CLASSES] =
    g_param_spec_boxed ("name-classes", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
relay_catalog_item_init (RelayCatalogItem *self)
{
}

RelayCatalogItem *
relay_catalog_item_new (RelayCatalogRow *row,
                        const char      *currency,
                        gboolean         group_start,
                        gboolean         first_sync)
{
  RelayCatalogItem *self;

  g_return_val_if_fail (row != NULL, NULL);

  self = g_object_new (RELAY_TYPE_CATALOG_ITEM, NULL);
  self->row = row;
  self->group_heading = g_strdup (group_start && row->category != NULL ? row->category : "");
  self->rate_text = relay_format_money (row->rate, currency, RELAY_MONEY_STYLE_UNIT_PRICE);
  self->limits_text = relay_format_limits (row->min, row->max);
  self->options_text = describe_options (row);
  describe_change (self, currency, first_sync);
  self->name_classes = g_new0 (char *, 2);
  if (row->removed)
    self->name_classes[0] = g_strdup ("removed");
  return self;
}

const RelayCatalogRow *
relay_catalog_item_get_row (RelayCatalogItem *self)
{
  g_return_val_if_fail (RELAY_IS_CATALOG_ITEM (self), NULL);
  return self->row;
}

const char *
relay_catalog_item_get_change_text (RelayCatalogItem *self)
{
  g_return_val_if_fail (RELAY_IS_CATALOG_ITEM (self), NULL);
  return self->change_text;
}

gboolean
relay_catalog_rows_first_sync (GPtrArray *rows)
{
  guint n_offered = 0;

  for (guint i = 0; rows != NULL && i < rows->len; i++)
    {
      const RelayCatalogRow *row = g_ptr_array_index (rows, i);

      if (row->removed)
        continue;
      n_offered++;
      if (!has_marker (row->change, "new"))
        return FALSE;
    }
  return n_offered > 0;
}
