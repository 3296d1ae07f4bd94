/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayClientItem: a client row with its counts and what they owe as text. */
#include "config.h"

#include "relay-client-item.h"
#include "relay-manage-private.h"
#include "relay-money.h"

struct _RelayClientItem
{
  GObject         parent_instance;

  RelayClientRow *row;
  char           *orders_text;
  char           *active_text;
  char           *owes_text;
  char          **owes_classes;
};

G_DEFINE_FINAL_TYPE (RelayClientItem, relay_client_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_ORDERS_TEXT,
  PROP_ACTIVE_TEXT,
  PROP_OWES_TEXT,
  PROP_OWES_CLASSES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
relay_client_item_finalize (GObject *object)
{
  RelayClientItem *self = RELAY_CLIENT_ITEM (object);

  g_clear_pointer (&self->row, relay_client_row_free);
  g_clear_pointer (&self->orders_text, g_free);
  g_clear_pointer (&self->active_text, g_free);
  g_clear_pointer (&self->owes_text, g_free);
  g_clear_pointer (&self->owes_classes, g_strfreev);

  G_OBJECT_CLASS (relay_client_item_parent_class)->finalize (object);
}

static void
relay_client_item_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  RelayClientItem *self = RELAY_CLIENT_ITEM (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->row->name);
      break;
    case PROP_ORDERS_TEXT:
      g_value_set_string (value, self->orders_text);
      break;
    case PROP_ACTIVE_TEXT:
      g_value_set_string (value, self->active_text);
      break;
    case PROP_OWES_TEXT:
      g_value_set_string (value, self->owes_text);
      break;
    case PROP_OWES_CLASSES:
      g_value_set_boxed (value, self->owes_classes);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_client_item_class_init (RelayClientItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = relay_client_item_finalize;
  object_class->get_property = relay_client_item_get_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ORDERS_TEXT] =
    g_param_spec_string ("orders-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACTIVE_TEXT] =
    g_param_spec_string ("active-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_OWES_TEXT] =
    g_param_spec_string ("owes-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_OWES_CLASSES] =
    g_param_spec_boxed ("owes-classes", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
relay_client_item_init (RelayClientItem *self)
{
}

RelayClientItem *
relay_client_item_new (RelayClientRow *row,
                       const char     *currency)
{
  RelayClientItem *self;

  g_return_val_if_fail (row != NULL, NULL);

  self = g_object_new (RELAY_TYPE_CLIENT_ITEM, NULL);
  self->row = row;
  self->orders_text = relay_format_count (row->n_orders);
  self->active_text = relay_format_count (row->n_active);
  self->owes_text = row->balance_beyond != 0  /* a ledger that sums beyond 64 bits */
    ? relay_money_format_sum (row->balance, row->balance_beyond)
    : relay_format_money (row->balance, currency, RELAY_MONEY_STYLE_TOTAL);
  self->owes_classes = g_new0 (char *, 3);
  self->owes_classes[0] = g_strdup ("numeric");
  if (row->balance > 0)
    self->owes_classes[1] = g_strdup ("owes");
  else if (row->balance < 0)
    self->owes_classes[1] = g_strdup ("credit");
  else
    self->owes_classes[1] = g_strdup ("dim-label");
  return self;
}

const RelayClientRow *
relay_client_item_get_row (RelayClientItem *self)
{
  g_return_val_if_fail (RELAY_IS_CLIENT_ITEM (self), NULL);
  return self->row;
}

const char *
relay_client_item_get_owes_text (RelayClientItem *self)
{
  g_return_val_if_fail (RELAY_IS_CLIENT_ITEM (self), NULL);
  return self->owes_text;
}
