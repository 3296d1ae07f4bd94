/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayServiceItem: wraps a RelayServiceRow for the service picker's list model. */
#include "config.h"

#include "relay-service-item.h"
#include "relay-pages-private.h"
#include "relay-money.h"
#include "relay-order-rules.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

struct _RelayServiceItem
{
  GObject          parent_instance;

  RelayServiceRow *row;
  char            *subtitle;
  char            *price_text;
  char            *limits_text;
  char            *search_text;
  char            *reason;      /* NULL when orderable */
};

G_DEFINE_FINAL_TYPE (RelayServiceItem, relay_service_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_SUBTITLE,
  PROP_CATEGORY,
  PROP_TYPE,
  PROP_PROVIDER,
  PROP_PRICE_TEXT,
  PROP_LIMITS_TEXT,
  PROP_REFILL,
  PROP_CANCEL,
  PROP_DRIPFEED,
  PROP_MANUAL,
  PROP_ORDERABLE,
  PROP_REASON,
  PROP_HAS_REASON,
  PROP_SEARCH_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const RelayCatalogRow *
get_primary (RelayServiceItem *self)
{
  return self->row->primary;
}

static void
relay_service_item_finalize (GObject *object)
{
  RelayServiceItem *self = RELAY_SERVICE_ITEM (object);

  g_clear_pointer (&self->row, relay_service_row_free);
  g_clear_pointer (&self->subtitle, g_free);
  g_clear_pointer (&self->price_text, g_free);
  g_clear_pointer (&self->limits_text, g_free);
  g_clear_pointer (&self->search_text, g_free);
  g_clear_pointer (&self->reason, g_free);

  G_OBJECT_CLASS (relay_service_item_parent_class)->finalize (object);
}

static void
relay_service_item_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  RelayServiceItem *self = RELAY_SERVICE_ITEM (object);
  const RelayCatalogRow *primary = get_primary (self);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->row->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->row->name);
      break;
    case PROP_SUBTITLE:
      g_value_set_string (value, self->subtitle);
      break;
    case PROP_CATEGORY:
      g_value_set_string (value, primary ? primary->category : NULL);
      break;
    case PROP_TYPE:
      g_value_set_string (value, primary ? primary->type : NULL);
      break;
    case PROP_PROVIDER:
      g_value_set_string (value, primary ? primary->provider_name : NULL);
      break;
    case PROP_PRICE_TEXT:
      g_value_set_string (value, self->price_text);
      break;
    case PROP_LIMITS_TEXT:
      g_value_set_string (value, self->limits_text);
      break;
    case PROP_REFILL:
      g_value_set_boolean (value, primary && primary->refill);
      break;
    case PROP_CANCEL:
      g_value_set_boolean (value, primary && primary->cancel);
      break;
    case PROP_DRIPFEED:
      g_value_set_boolean (value, primary && primary->dripfeed);
      break;
    case PROP_MANUAL:
      g_value_set_boolean (value, self->row->manual);
      break;
    case PROP_ORDERABLE:
      g_value_set_boolean (value, self->reason == NULL);
      break;
    case PROP_REASON:
      g_value_set_string (value, self->reason);
      break;
    case PROP_HAS_REASON:
      g_value_set_boolean (value, self->reason != NULL);
      break;
    case PROP_SEARCH_TEXT:
      g_value_set_string (value, self->search_text);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_service_item_class_init (RelayServiceItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = relay_service_item_finalize;
  object_class->get_property = relay_service_item_get_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUBTITLE] =
    g_param_spec_string ("subtitle", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CATEGORY] =
    g_param_spec_string ("category", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TYPE] =
    g_param_spec_string ("type", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROVIDER] =
    g_param_spec_string ("provider", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PRICE_TEXT] =
    g_param_spec_string ("price-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LIMITS_TEXT] =
    g_param_spec_string ("limits-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_REFILL] =
    g_param_spec_boolean ("refill", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CANCEL] =
    g_param_spec_boolean ("cancel", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DRIPFEED] =
    g_param_spec_boolean ("dripfeed", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MANUAL] =
    g_param_spec_boolean ("manual", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ORDERABLE] =
    g_param_spec_boolean ("orderable", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_REASON] =
    g_param_spec_string ("reason", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_HAS_REASON] =
    g_param_spec_boolean ("has-reason", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SEARCH_TEXT] =
    g_param_spec_string ("search-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
relay_service_item_init (RelayServiceItem *self)
{
}

RelayServiceItem *
relay_service_item_new (RelayServiceRow *row)
{
  RelayServiceItem *self;
  const RelayCatalogRow *primary;
  g_autoptr(GError) error = NULL;
  g_autofree char *price = NULL;
  char id_text[24];

  g_return_val_if_fail (row != NULL, NULL);

  self = g_object_new (RELAY_TYPE_SERVICE_ITEM, NULL);
  self->row = row;
  primary = row->primary;
  g_snprintf (id_text, sizeof id_text, "%" PRId64, row->id);

  if (primary != NULL)
    /* TRANSLATORS: a service's id, category and provider,
     * e.g. "#101 · Instagram - Followers · Demo provider" */
    self->subtitle = g_strdup_printf (_("#%s · %s · %s"), id_text,
                                      primary->category ? primary->category : "",
                                      primary->provider_name ? primary->provider_name : "");
  else
    self->subtitle = g_strdup_printf ("#%s", id_text);
  price = relay_format_money (row->price, row->currency, RELAY_MONEY_STYLE_UNIT_PRICE);
  /* TRANSLATORS: a price per thousand units, e.g. "1.80 USD per 1,000" */
  self->price_text = g_strdup_printf (_("%s per 1,000"), price);
  if (primary != NULL)
    self->limits_text = relay_format_limits (primary->min, primary->max);
  else
    self->limits_text = g_strdup ("");
  /* Name first: GTK 4.8's drop-down search may only match prefixes. */
  self->search_text = g_strdup_printf ("%s %s %s %s", row->name ? row->name : "",
                                       primary && primary->category ? primary->category : "",
                                       id_text,
                                       primary && primary->provider_name
                                       ? primary->provider_name : "");
  if (!relay_service_check_orderable (row, &error))
    self->reason = relay_format_sentence (error->message);
  return self;
}

const RelayServiceRow *
relay_service_item_get_row (RelayServiceItem *self)
{
  g_return_val_if_fail (RELAY_IS_SERVICE_ITEM (self), NULL);
  return self->row;
}

gint64
relay_service_item_get_id (RelayServiceItem *self)
{
  g_return_val_if_fail (RELAY_IS_SERVICE_ITEM (self), 0);
  return self->row->id;
}

const char *
relay_service_item_get_name (RelayServiceItem *self)
{
  g_return_val_if_fail (RELAY_IS_SERVICE_ITEM (self), NULL);
  return self->row->name;
}

const char *
relay_service_item_get_search_text (RelayServiceItem *self)
{
  g_return_val_if_fail (RELAY_IS_SERVICE_ITEM (self), NULL);
  return self->search_text;
}

gboolean
relay_service_item_get_orderable (RelayServiceItem *self)
{
  g_return_val_if_fail (RELAY_IS_SERVICE_ITEM (self), FALSE);
  return self->reason == NULL;
}

const char *
relay_service_item_get_reason (RelayServiceItem *self)
{
  g_return_val_if_fail (RELAY_IS_SERVICE_ITEM (self), NULL);
  return self->reason;
}
