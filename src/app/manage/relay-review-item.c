/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayReviewItem: an order in needs_review, held for the review list. */
#include "config.h"

#include "relay-review-item.h"

struct _RelayReviewItem
{
  GObject        parent_instance;

  RelayOrderRow *order;
};

G_DEFINE_FINAL_TYPE (RelayReviewItem, relay_review_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
relay_review_item_finalize (GObject *object)
{
  RelayReviewItem *self = RELAY_REVIEW_ITEM (object);

  g_clear_pointer (&self->order, relay_order_row_free);

  G_OBJECT_CLASS (relay_review_item_parent_class)->finalize (object);
}

static void
relay_review_item_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  RelayReviewItem *self = RELAY_REVIEW_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->order->id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_review_item_class_init (RelayReviewItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = relay_review_item_finalize;
  object_class->get_property = relay_review_item_get_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
relay_review_item_init (RelayReviewItem *self)
{
}

RelayReviewItem *
relay_review_item_new (RelayOrderRow *order)
{
  RelayReviewItem *self;

  g_return_val_if_fail (order != NULL, NULL);

  self = g_object_new (RELAY_TYPE_REVIEW_ITEM, NULL);
  self->order = order;
  return self;
}

const RelayOrderRow *
relay_review_item_get_order (RelayReviewItem *self)
{
  g_return_val_if_fail (RELAY_IS_REVIEW_ITEM (self), NULL);
  return self->order;
}

gint64
relay_review_item_get_id (RelayReviewItem *self)
{
  g_return_val_if_fail (RELAY_IS_REVIEW_ITEM (self), 0);
  return self->order->id;
}

gboolean
relay_review_item_is_awaiting_approval (RelayReviewItem *self)
{
  g_return_val_if_fail (RELAY_IS_REVIEW_ITEM (self), FALSE);
  return g_strcmp0 (self->order->review_reason, RELAY_REVIEW_AWAITING_APPROVAL) == 0;
}
