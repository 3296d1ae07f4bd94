/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayOrderItem: one order of the book as a GObject for the orders table. */
#include "config.h"

#include "relay-order-item.h"
#include "relay-order-rules.h"
#include "relay-format.h"
#include "relay-money.h"

#include <string.h>
#include <glib/gi18n.h>

struct _RelayOrderItem
{
  GObject           parent_instance;

  gint64            id;
  char             *client;
  char             *service;
  char             *provider;
  char             *provider_order_id;
  char             *link;
  char             *link_markup;
  gint64            quantity;
  char             *quantity_text;
  gint64            delivered;
  double            progress;
  char             *progress_text;
  char             *start_count_text;
  char             *remains_text;
  char             *charge_text;
  RelayOrderStatus  status;
  char             *status_label;
  gint64            updated_at;
  char             *updated_text;
  gboolean          can_refill;
  gboolean          can_cancel;
  gboolean          quiet;        /* being made: nobody to notify */
  char             *error;
};

G_DEFINE_FINAL_TYPE (RelayOrderItem, relay_order_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_CLIENT,
  PROP_SERVICE,
  PROP_PROVIDER,
  PROP_PROVIDER_ORDER_ID,
  PROP_LINK,
  PROP_LINK_MARKUP,
  PROP_QUANTITY,
  PROP_QUANTITY_TEXT,
  PROP_DELIVERED,
  PROP_PROGRESS,
  PROP_PROGRESS_TEXT,
  PROP_START_COUNT_TEXT,
  PROP_REMAINS_TEXT,
  PROP_CHARGE_TEXT,
  PROP_STATUS,
  PROP_STATUS_LABEL,
  PROP_UPDATED_AT,
  PROP_UPDATED_TEXT,
  PROP_CAN_REFILL,
  PROP_CAN_CANCEL,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
notify (RelayOrderItem *self,
        guint           prop_id)
{
  if (!self->quiet)
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_string (RelayOrderItem  *self,
            char           **field,
            const char      *value,
            guint            prop_id)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  notify (self, prop_id);
}

static void
take_string (RelayOrderItem  *self,
             char           **field,
             char            *value,
             guint            prop_id)
{
  if (g_strcmp0 (*field, value) == 0)
    {
      g_free (value);
      return;
    }
  g_free (*field);
  *field = value;
  notify (self, prop_id);
}

static void
set_int64 (RelayOrderItem *self,
           gint64         *field,
           gint64          value,
           guint           prop_id)
{
  if (*field == value)
    return;
  *field = value;
  notify (self, prop_id);
}

static void
set_boolean (RelayOrderItem *self,
             gboolean       *field,
             gboolean        value,
             guint           prop_id)
{
  value = !!value;
  if (*field == value)
    return;
  *field = value;
  notify (self, prop_id);
}

static char *
link_markup_of (const char *link)
{
  const char *shown;

  if (link == NULL || *link == '\0')
    return g_strdup ("");
  if (!g_str_has_prefix (link, "http://") && !g_str_has_prefix (link, "https://"))
    return g_markup_escape_text (link, -1);

  /* Shown without the scheme and "www.": the part that tells links apart. */
  shown = strstr (link, "://") + 3;
  if (g_str_has_prefix (shown, "www."))
    shown += 4;
  /* Plain text, not a <a>: a link in every row would be a Tab stop in every
   * row, and the table is one stop (the details pane opens the link). */
  return g_markup_escape_text (shown, -1);
}

void
relay_order_item_update_from_row (RelayOrderItem      *self,
                                  const RelayOrderRow *row)
{
  g_autofree char *quantity = NULL;
  g_autofree char *delivered = NULL;
  gint64 delivered_count;
  gint64 units;
  double progress;

  g_return_if_fail (RELAY_IS_ORDER_ITEM (self));
  g_return_if_fail (row != NULL);

  if (!self->quiet)
    g_object_freeze_notify (G_OBJECT (self));

  set_int64 (self, &self->id, row->id, PROP_ID);
  set_string (self, &self->client, row->client_name ? row->client_name : "—", PROP_CLIENT);
  set_string (self, &self->service, row->service_name, PROP_SERVICE);
  set_string (self, &self->provider, row->provider_name, PROP_PROVIDER);
  set_string (self, &self->provider_order_id, row->provider_order_id, PROP_PROVIDER_ORDER_ID);
  if (g_strcmp0 (self->link, row->link) != 0)
    {
      set_string (self, &self->link, row->link, PROP_LINK);
      take_string (self, &self->link_markup, link_markup_of (row->link), PROP_LINK_MARKUP);
    }

  set_int64 (self, &self->quantity, row->quantity, PROP_QUANTITY);
  quantity = relay_format_count (row->quantity);
  set_string (self, &self->quantity_text, quantity, PROP_QUANTITY_TEXT);

  delivered_count = relay_order_delivered (row);
  set_int64 (self, &self->delivered, delivered_count, PROP_DELIVERED);
  units = relay_order_units (row);
  progress = units > 0 ? (double) delivered_count / (double) units : 0.0;
  if (units != row->quantity)
    {
      g_free (quantity);
      quantity = relay_format_count (units);   /* drip-feed: all runs */
    }
  if (self->progress != progress)
    {
      self->progress = progress;
      notify (self, PROP_PROGRESS);
    }
  delivered = relay_format_count (delivered_count);
  /* Translators: delivered of ordered, "4,820 / 5,000" */
  take_string (self, &self->progress_text, g_strdup_printf (_("%s / %s"), delivered, quantity),
               PROP_PROGRESS_TEXT);

  take_string (self, &self->start_count_text,
               row->has_start_count ? relay_format_count (row->start_count) : g_strdup ("—"),
               PROP_START_COUNT_TEXT);
  take_string (self, &self->remains_text,
               row->has_remains ? relay_format_count (row->remains) : g_strdup ("—"),
               PROP_REMAINS_TEXT);
  /* What the client pays: a refund (a canceled or partial order) is taken
   * off; the details pane shows the gross and the refund. */
  take_string (self, &self->charge_text,
               relay_format_money (row->price - row->refunded, row->currency,
                                   RELAY_MONEY_STYLE_TOTAL),
               PROP_CHARGE_TEXT);

  if (self->status != row->status)
    {
      self->status = row->status;
      notify (self, PROP_STATUS);
    }
  set_string (self, &self->status_label, relay_order_status_get_label (row->status),
              PROP_STATUS_LABEL);

  set_int64 (self, &self->updated_at, row->updated_at, PROP_UPDATED_AT);
  relay_order_item_refresh_times (self, g_get_real_time () / G_USEC_PER_SEC);

  set_boolean (self, &self->can_refill, row->can_refill, PROP_CAN_REFILL);
  set_boolean (self, &self->can_cancel, row->can_cancel, PROP_CAN_CANCEL);
  set_string (self, &self->error, row->error, PROP_ERROR);

  if (!self->quiet)
    g_object_thaw_notify (G_OBJECT (self));
}

void
relay_order_item_refresh_times (RelayOrderItem *self,
                                gint64          now)
{
  g_return_if_fail (RELAY_IS_ORDER_ITEM (self));
  take_string (self, &self->updated_text, relay_format_ago (self->updated_at, now),
               PROP_UPDATED_TEXT);
}

RelayOrderItem *
relay_order_item_new (const RelayOrderRow *row)
{
  RelayOrderItem *self = g_object_new (RELAY_TYPE_ORDER_ITEM, NULL);

  /* A fresh item: no one listens yet, so no notification (queued by a
   * freeze, then dispatched one by one: ~20 a row, 200 rows a new query). */
  self->status = RELAY_ORDER_N_STATUSES;
  self->quiet = TRUE;
  relay_order_item_update_from_row (self, row);
  self->quiet = FALSE;
  return self;
}

gint64
relay_order_item_get_id (RelayOrderItem *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER_ITEM (self), 0);
  return self->id;
}

RelayOrderStatus
relay_order_item_get_status (RelayOrderItem *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER_ITEM (self), RELAY_ORDER_QUEUED);
  return self->status;
}

const char *
relay_order_item_get_link (RelayOrderItem *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER_ITEM (self), NULL);
  return self->link;
}

gboolean
relay_order_item_get_can_refill (RelayOrderItem *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER_ITEM (self), FALSE);
  return self->can_refill;
}

gboolean
relay_order_item_get_can_cancel (RelayOrderItem *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER_ITEM (self), FALSE);
  return self->can_cancel;
}

gint64
relay_order_item_get_updated_at (RelayOrderItem *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER_ITEM (self), 0);
  return self->updated_at;
}

#define STRING_GETTER(field)                                            \
  const char *                                                          \
  relay_order_item_get_##field (RelayOrderItem *self)                   \
  {                                                                     \
    g_return_val_if_fail (RELAY_IS_ORDER_ITEM (self), NULL);            \
    return self->field != NULL ? self->field : "";                      \
  }

STRING_GETTER (client)
STRING_GETTER (service)
STRING_GETTER (link_markup)
STRING_GETTER (quantity_text)
STRING_GETTER (progress_text)
STRING_GETTER (start_count_text)
STRING_GETTER (remains_text)
STRING_GETTER (charge_text)
STRING_GETTER (updated_text)

#undef STRING_GETTER

double
relay_order_item_get_progress (RelayOrderItem *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER_ITEM (self), 0.0);
  return self->progress;
}

static void
relay_order_item_finalize (GObject *object)
{
  RelayOrderItem *self = RELAY_ORDER_ITEM (object);

  g_clear_pointer (&self->client, g_free);
  g_clear_pointer (&self->service, g_free);
  g_clear_pointer (&self->provider, g_free);
  g_clear_pointer (&self->provider_order_id, g_free);
  g_clear_pointer (&self->link, g_free);
  g_clear_pointer (&self->link_markup, g_free);
  g_clear_pointer (&self->quantity_text, g_free);
  g_clear_pointer (&self->progress_text, g_free);
  g_clear_pointer (&self->start_count_text, g_free);
  g_clear_pointer (&self->remains_text, g_free);
  g_clear_pointer (&self->charge_text, g_free);
  g_clear_pointer (&self->status_label, g_free);
  g_clear_pointer (&self->updated_text, g_free);
  g_clear_pointer (&self->error, g_free);

  G_OBJECT_CLASS (relay_order_item_parent_class)->finalize (object);
}

static void
relay_order_item_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  RelayOrderItem *self = RELAY_ORDER_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_CLIENT:
      g_value_set_string (value, self->client);
      break;
    case PROP_SERVICE:
      g_value_set_string (value, self->service);
      break;
    case PROP_PROVIDER:
      g_value_set_string (value, self->provider);
      break;
    case PROP_PROVIDER_ORDER_ID:
      g_value_set_string (value, self->provider_order_id);
      break;
    case PROP_LINK:
      g_value_set_string (value, self->link);
      break;
    case PROP_LINK_MARKUP:
      g_value_set_string (value, self->link_markup);
      break;
    case PROP_QUANTITY:
      g_value_set_int64 (value, self->quantity);
      break;
    case PROP_QUANTITY_TEXT:
      g_value_set_string (value, self->quantity_text);
      break;
    case PROP_DELIVERED:
      g_value_set_int64 (value, self->delivered);
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;
    case PROP_PROGRESS_TEXT:
      g_value_set_string (value, self->progress_text);
      break;
    case PROP_START_COUNT_TEXT:
      g_value_set_string (value, self->start_count_text);
      break;
    case PROP_REMAINS_TEXT:
      g_value_set_string (value, self->remains_text);
      break;
    case PROP_CHARGE_TEXT:
      g_value_set_string (value, self->charge_text);
      break;
    case PROP_STATUS:
      g_value_set_uint (value, self->status);
      break;
    case PROP_STATUS_LABEL:
      g_value_set_string (value, self->status_label);
      break;
    case PROP_UPDATED_AT:
      g_value_set_int64 (value, self->updated_at);
      break;
    case PROP_UPDATED_TEXT:
      g_value_set_string (value, self->updated_text);
      break;
    case PROP_CAN_REFILL:
      g_value_set_boolean (value, self->can_refill);
      break;
    case PROP_CAN_CANCEL:
      g_value_set_boolean (value, self->can_cancel);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
string_pspec (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, NULL,
                              G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static GParamSpec *
int64_pspec (const char *name)
{
  return g_param_spec_int64 (name, NULL, NULL, G_MININT64, G_MAXINT64, 0,
                             G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static GParamSpec *
boolean_pspec (const char *name)
{
  return g_param_spec_boolean (name, NULL, NULL, FALSE,
                               G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static void
relay_order_item_class_init (RelayOrderItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = relay_order_item_finalize;
  object_class->get_property = relay_order_item_get_property;

  properties[PROP_ID] = int64_pspec ("id");
  properties[PROP_CLIENT] = string_pspec ("client");
  properties[PROP_SERVICE] = string_pspec ("service");
  properties[PROP_PROVIDER] = string_pspec ("provider");
  properties[PROP_PROVIDER_ORDER_ID] = string_pspec ("provider-order-id");
  properties[PROP_LINK] = string_pspec ("link");
  properties[PROP_LINK_MARKUP] = string_pspec ("link-markup");
  properties[PROP_QUANTITY] = int64_pspec ("quantity");
  properties[PROP_QUANTITY_TEXT] = string_pspec ("quantity-text");
  properties[PROP_DELIVERED] = int64_pspec ("delivered");
  properties[PROP_PROGRESS] =
    g_param_spec_double ("progress", NULL, NULL, 0.0, 1.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROGRESS_TEXT] = string_pspec ("progress-text");
  properties[PROP_START_COUNT_TEXT] = string_pspec ("start-count-text");
  properties[PROP_REMAINS_TEXT] = string_pspec ("remains-text");
  properties[PROP_CHARGE_TEXT] = string_pspec ("charge-text");
  properties[PROP_STATUS] =
    g_param_spec_uint ("status", NULL, NULL, 0, RELAY_ORDER_N_STATUSES, RELAY_ORDER_QUEUED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS_LABEL] = string_pspec ("status-label");
  properties[PROP_UPDATED_AT] = int64_pspec ("updated-at");
  properties[PROP_UPDATED_TEXT] = string_pspec ("updated-text");
  properties[PROP_CAN_REFILL] = boolean_pspec ("can-refill");
  properties[PROP_CAN_CANCEL] = boolean_pspec ("can-cancel");
  properties[PROP_ERROR] = string_pspec ("error");

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
relay_order_item_init (RelayOrderItem *self)
{
}
