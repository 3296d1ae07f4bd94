/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayMappingItem: my service with its price, cost, margin, fallback and problem as text. */
#include "config.h"

#include "relay-mapping-item.h"
#include "relay-manage-private.h"
#include "relay-money.h"
#include "relay-order-rules.h"
#include "relay-price-rule.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

struct _RelayMappingItem
{
  GObject          parent_instance;

  RelayServiceRow *row;
  char            *id_text;
  char            *price_text;
  char            *provider_text;
  char            *cost_text;
  char            *margin_text;
  char            *fallback_text;
  char            *pricing_text;
  char            *problem;
  char            *problem_text;
  char            *status_text;
  char           **status_classes;
  char           **margin_classes;
};

G_DEFINE_FINAL_TYPE (RelayMappingItem, relay_mapping_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID_TEXT,
  PROP_NAME,
  PROP_PRICE_TEXT,
  PROP_PROVIDER_TEXT,
  PROP_PROVIDER_SERVICE_NAME,
  PROP_COST_TEXT,
  PROP_MARGIN_TEXT,
  PROP_MARGIN_CLASSES,
  PROP_FALLBACK_TEXT,
  PROP_FALLBACK_SERVICE_NAME,
  PROP_MODE_TEXT,
  PROP_PRICING_TEXT,
  PROP_STATUS_TEXT,
  PROP_PROBLEM_TEXT,
  PROP_STATUS_CLASSES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
describe_catalog (const RelayCatalogRow *row)
{
  if (row == NULL)
    return g_strdup ("—");
  /* TRANSLATORS: a provider's service: "Demo provider: 101" */
  return g_strdup_printf (_("%s: %s"), row->provider_name, row->service_id);
}

/* A NULL-terminated list of one or two style classes. */
static char **
classes (const char *first, const char *second)
{
  char **strv = g_new0 (char *, 3);

  strv[0] = g_strdup (first);
  strv[1] = g_strdup (second);
  return strv;
}

static void
relay_mapping_item_finalize (GObject *object)
{
  RelayMappingItem *self = RELAY_MAPPING_ITEM (object);

  g_clear_pointer (&self->row, relay_service_row_free);
  g_clear_pointer (&self->id_text, g_free);
  g_clear_pointer (&self->price_text, g_free);
  g_clear_pointer (&self->provider_text, g_free);
  g_clear_pointer (&self->cost_text, g_free);
  g_clear_pointer (&self->margin_text, g_free);
  g_clear_pointer (&self->fallback_text, g_free);
  g_clear_pointer (&self->pricing_text, g_free);
  g_clear_pointer (&self->problem, g_free);
  g_clear_pointer (&self->problem_text, g_free);
  g_clear_pointer (&self->status_text, g_free);
  g_clear_pointer (&self->status_classes, g_strfreev);
  g_clear_pointer (&self->margin_classes, g_strfreev);

  G_OBJECT_CLASS (relay_mapping_item_parent_class)->finalize (object);
}

static void
relay_mapping_item_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  RelayMappingItem *self = RELAY_MAPPING_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID_TEXT:
      g_value_set_string (value, self->id_text);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->row->name);
      break;
    case PROP_PRICE_TEXT:
      g_value_set_string (value, self->price_text);
      break;
    case PROP_PROVIDER_TEXT:
      g_value_set_string (value, self->provider_text);
      break;
    case PROP_PROVIDER_SERVICE_NAME:
      g_value_set_string (value, self->row->primary ? self->row->primary->name : NULL);
      break;
    case PROP_COST_TEXT:
      g_value_set_string (value, self->cost_text);
      break;
    case PROP_MARGIN_TEXT:
      g_value_set_string (value, self->margin_text);
      break;
    case PROP_MARGIN_CLASSES:
      g_value_set_boxed (value, self->margin_classes);
      break;
    case PROP_FALLBACK_TEXT:
      g_value_set_string (value, self->fallback_text);
      break;
    case PROP_FALLBACK_SERVICE_NAME:
      g_value_set_string (value, self->row->fallback ? self->row->fallback->name : NULL);
      break;
    case PROP_MODE_TEXT:
      g_value_set_string (value, self->row->manual ? _("Manual") : _("Auto"));
      break;
    case PROP_PRICING_TEXT:
      g_value_set_string (value, self->pricing_text);
      break;
    case PROP_STATUS_TEXT:
      g_value_set_string (value, self->status_text);
      break;
    case PROP_PROBLEM_TEXT:
      g_value_set_string (value, self->problem_text);
      break;
    case PROP_STATUS_CLASSES:
      g_value_set_boxed (value, self->status_classes);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_mapping_item_class_init (RelayMappingItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = relay_mapping_item_finalize;
  object_class->get_property = relay_mapping_item_get_property;

  properties[PROP_ID_TEXT] =
    g_param_spec_string ("id-text", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PRICE_TEXT] =
    g_param_spec_string ("price-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROVIDER_TEXT] =
    g_param_spec_string ("provider-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROVIDER_SERVICE_NAME] =
    g_param_spec_string ("provider-service-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_COST_TEXT] =
    g_param_spec_string ("cost-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MARGIN_TEXT] =
    g_param_spec_string ("margin-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MARGIN_CLASSES] =
    g_param_spec_boxed ("margin-classes", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FALLBACK_TEXT] =
    g_param_spec_string ("fallback-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FALLBACK_SERVICE_NAME] =
    g_param_spec_string ("fallback-service-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODE_TEXT] =
    g_param_spec_string ("mode-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PRICING_TEXT] =
    g_param_spec_string ("pricing-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS_TEXT] =
    g_param_spec_string ("status-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROBLEM_TEXT] =
    g_param_spec_string ("problem-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS_CLASSES] =
    g_param_spec_boxed ("status-classes", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
relay_mapping_item_init (RelayMappingItem *self)
{
}

RelayMappingItem *
relay_mapping_item_new (RelayServiceRow *row)
{
  RelayMappingItem *self;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (row != NULL, NULL);

  self = g_object_new (RELAY_TYPE_MAPPING_ITEM, NULL);
  self->row = row;
  self->id_text = g_strdup_printf ("%" PRId64, row->id);
  self->price_text = relay_format_money (row->price, row->currency, RELAY_MONEY_STYLE_UNIT_PRICE);
  self->provider_text = describe_catalog (row->primary);
  self->fallback_text = describe_catalog (row->fallback);
  self->pricing_text = relay_mapping_item_describe_pricing (row);
  if (row->primary != NULL)
    {
      self->cost_text = relay_format_money (row->primary->rate, row->currency, RELAY_MONEY_STYLE_UNIT_PRICE);
      self->margin_text = relay_manage_format_margin (row->price, row->primary->rate, row->currency);
    }
  else
    {
      self->cost_text = g_strdup ("—");
      self->margin_text = g_strdup ("—");
    }

  /* The one margin rule decides; this only shows its words. */
  if (!relay_service_check_orderable (row, &error))
    {
      self->problem = g_strdup (error->message);
      self->problem_text = relay_format_sentence (error->message);
      /* TRANSLATORS: the status of a service orders are refused for */
      self->status_text = g_strdup (_("Blocks ordering"));
      self->status_classes = classes ("error", NULL);
      self->margin_classes = classes ("numeric", "error");
    }
  else
    {
      self->status_text = g_strdup (_("Orderable"));
      self->status_classes = classes ("dim-label", NULL);
      self->margin_classes = classes ("numeric", NULL);
    }
  return self;
}

char *
relay_mapping_item_describe_pricing (const RelayServiceRow *row)
{
  g_autofree char *markup = NULL;
  g_autofree char *step = NULL;

  g_return_val_if_fail (row != NULL, NULL);

  if (!row->has_rule)
    /* TRANSLATORS: how a service is priced: a price the user typed */
    return g_strdup (_("Fixed"));
  markup = relay_price_format_markup (row->markup_ppm);
  if (row->price_step == 0)
    /* TRANSLATORS: how a service is priced: "Rate + 35 %" */
    return g_strdup_printf (_("Rate + %s %%"), markup);
  step = relay_format_money (row->price_step, row->currency, RELAY_MONEY_STYLE_UNIT_PRICE);
  /* TRANSLATORS: how a service is priced: "Rate + 35 %, rounded up to 0.05 USD" */
  return g_strdup_printf (_("Rate + %s %%, rounded up to %s"), markup, step);
}

const RelayServiceRow *
relay_mapping_item_get_row (RelayMappingItem *self)
{
  g_return_val_if_fail (RELAY_IS_MAPPING_ITEM (self), NULL);
  return self->row;
}

const char *
relay_mapping_item_get_problem (RelayMappingItem *self)
{
  g_return_val_if_fail (RELAY_IS_MAPPING_ITEM (self), NULL);
  return self->problem;
}
