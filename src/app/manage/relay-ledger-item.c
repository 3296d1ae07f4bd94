/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayLedgerItem: a ledger entry with its time, kind, signed amount and order as text. */
#include "config.h"

#include "relay-ledger-item.h"
#include "relay-manage-private.h"
#include "relay-money.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

struct _RelayLedgerItem
{
  GObject           parent_instance;

  RelayLedgerEntry *entry;
  char             *time_text;
  char             *amount_text;
  char             *order_text;
  char            **amount_classes;
};

G_DEFINE_FINAL_TYPE (RelayLedgerItem, relay_ledger_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TIME_TEXT,
  PROP_KIND_TEXT,
  PROP_AMOUNT_TEXT,
  PROP_AMOUNT_CLASSES,
  PROP_ORDER_TEXT,
  PROP_NOTE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
kind_text (const char *kind)
{
  if (g_strcmp0 (kind, "charge") == 0)
    return _("Charge");
  if (g_strcmp0 (kind, "refund") == 0)
    return _("Refund");
  if (g_strcmp0 (kind, "payment") == 0)
    return _("Payment");
  if (g_strcmp0 (kind, "adjustment") == 0)
    return _("Adjustment");
  return kind;
}

static void
relay_ledger_item_finalize (GObject *object)
{
  RelayLedgerItem *self = RELAY_LEDGER_ITEM (object);

  g_clear_pointer (&self->entry, relay_ledger_entry_free);
  g_clear_pointer (&self->time_text, g_free);
  g_clear_pointer (&self->amount_text, g_free);
  g_clear_pointer (&self->order_text, g_free);
  g_clear_pointer (&self->amount_classes, g_strfreev);

  G_OBJECT_CLASS (relay_ledger_item_parent_class)->finalize (object);
}

/* A refund's note is the status that caused it ("partial"), a correction's
 * the core's N_() sentence: both are shown in the user's language; a note
 * typed with a payment is shown as typed. */
static const char *
note_text (const char *note)
{
  RelayOrderStatus status;

  if (note != NULL && relay_order_status_from_string (note, &status))
    return relay_order_status_get_label (status);
  if (g_strcmp0 (note, "refund corrected by the provider's numbers") == 0)
    return _(note);
  return note;
}

static void
relay_ledger_item_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  RelayLedgerItem *self = RELAY_LEDGER_ITEM (object);

  switch (prop_id)
    {
    case PROP_TIME_TEXT:
      g_value_set_string (value, self->time_text);
      break;
    case PROP_KIND_TEXT:
      g_value_set_string (value, kind_text (self->entry->kind));
      break;
    case PROP_AMOUNT_TEXT:
      g_value_set_string (value, self->amount_text);
      break;
    case PROP_AMOUNT_CLASSES:
      g_value_set_boxed (value, self->amount_classes);
      break;
    case PROP_ORDER_TEXT:
      g_value_set_string (value, self->order_text);
      break;
    case PROP_NOTE:
      g_value_set_string (value, note_text (self->entry->note));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_ledger_item_class_init (RelayLedgerItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = relay_ledger_item_finalize;
  object_class->get_property = relay_ledger_item_get_property;

  properties[PROP_TIME_TEXT] =
    g_param_spec_string ("time-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_KIND_TEXT] =
    g_param_spec_string ("kind-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_AMOUNT_TEXT] =
    g_param_spec_string ("amount-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_AMOUNT_CLASSES] =
    g_param_spec_boxed ("amount-classes", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ORDER_TEXT] =
    g_param_spec_string ("order-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NOTE] =
    g_param_spec_string ("note", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
relay_ledger_item_init (RelayLedgerItem *self)
{
}

RelayLedgerItem *
relay_ledger_item_new (RelayLedgerEntry *entry,
                       const char       *currency)
{
  RelayLedgerItem *self;
  g_autofree char *amount = NULL;

  g_return_val_if_fail (entry != NULL, NULL);

  self = g_object_new (RELAY_TYPE_LEDGER_ITEM, NULL);
  self->entry = entry;
  self->time_text = relay_format_time (entry->at);
  amount = relay_format_money (entry->amount, currency, RELAY_MONEY_STYLE_TOTAL);
  /* Positive: the client owes more. */
  self->amount_text = entry->amount > 0 ? g_strconcat ("+", amount, NULL) : g_steal_pointer (&amount);
  self->amount_classes = g_new0 (char *, 3);
  self->amount_classes[0] = g_strdup ("numeric");
  self->amount_classes[1] = g_strdup (entry->amount < 0 ? "credit" : "owes");
  if (entry->order_id > 0)
    {
      g_autofree char *number = g_strdup_printf ("%" PRId64, entry->order_id);

      /* TRANSLATORS: a reference to an order by its number */
      self->order_text = g_strdup_printf (_("Order %s"), number);
    }
  else
    self->order_text = g_strdup ("—");
  return self;
}

const RelayLedgerEntry *
relay_ledger_item_get_entry (RelayLedgerItem *self)
{
  g_return_val_if_fail (RELAY_IS_LEDGER_ITEM (self), NULL);
  return self->entry;
}
