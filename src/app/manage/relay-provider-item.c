/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayProviderItem: a provider row with its balance, check time and last error as text for lists. */
#include "config.h"

#include "relay-provider-item.h"
#include "relay-manage-private.h"
#include "relay-money.h"

struct _RelayProviderItem
{
  GObject           parent_instance;

  RelayProviderRow *row;
  char             *balance_text;
  char             *checked_text;
  char             *last_error;
};

G_DEFINE_FINAL_TYPE (RelayProviderItem, relay_provider_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_URL,
  PROP_BALANCE_TEXT,
  PROP_CHECKED_TEXT,
  PROP_LAST_ERROR,
  PROP_HAS_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
relay_provider_item_finalize (GObject *object)
{
  RelayProviderItem *self = RELAY_PROVIDER_ITEM (object);

  g_clear_pointer (&self->row, relay_provider_row_free);
  g_clear_pointer (&self->balance_text, g_free);
  g_clear_pointer (&self->checked_text, g_free);
  g_clear_pointer (&self->last_error, g_free);

  G_OBJECT_CLASS (relay_provider_item_parent_class)->finalize (object);
}

static void
relay_provider_item_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  RelayProviderItem *self = RELAY_PROVIDER_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->row->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->row->name);
      break;
    case PROP_URL:
      g_value_set_string (value, self->row->url);
      break;
    case PROP_BALANCE_TEXT:
      g_value_set_string (value, self->balance_text);
      break;
    case PROP_CHECKED_TEXT:
      g_value_set_string (value, self->checked_text);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    case PROP_HAS_ERROR:
      g_value_set_boolean (value, self->row->last_error != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_provider_item_class_init (RelayProviderItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = relay_provider_item_finalize;
  object_class->get_property = relay_provider_item_get_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_BALANCE_TEXT] =
    g_param_spec_string ("balance-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CHECKED_TEXT] =
    g_param_spec_string ("checked-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_HAS_ERROR] =
    g_param_spec_boolean ("has-error", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
relay_provider_item_init (RelayProviderItem *self)
{
}

RelayProviderItem *
relay_provider_item_new (RelayProviderRow *row)
{
  RelayProviderItem *self;

  g_return_val_if_fail (row != NULL, NULL);

  self = g_object_new (RELAY_TYPE_PROVIDER_ITEM, NULL);
  self->row = row;
  if (row->has_balance)
    self->balance_text = relay_format_money (row->balance, row->currency, RELAY_MONEY_STYLE_TOTAL);
  else
    self->balance_text = g_strdup ("—");
  self->checked_text = row->has_balance ? relay_format_ago (row->balance_at, g_get_real_time () / G_USEC_PER_SEC) : g_strdup ("—");
  self->last_error = relay_format_sentence (row->last_error);
  return self;
}

const RelayProviderRow *
relay_provider_item_get_row (RelayProviderItem *self)
{
  g_return_val_if_fail (RELAY_IS_PROVIDER_ITEM (self), NULL);
  return self->row;
}

gint64
relay_provider_item_get_id (RelayProviderItem *self)
{
  g_return_val_if_fail (RELAY_IS_PROVIDER_ITEM (self), 0);
  return self->row->id;
}
