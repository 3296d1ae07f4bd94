/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayMassLineItem: a mass-order line for the preview list, with its outcome once sent. */
#include "config.h"

#include "relay-mass-line-item.h"
#include "relay-pages-private.h"

#include <glib/gi18n-lib.h>

struct _RelayMassLineItem
{
  GObject             parent_instance;

  guint               line_number;
  char               *text;
  char               *service_name;
  char               *link;
  gint64              quantity;
  char               *quantity_text;
  char               *charge_text;
  char               *error;
  char               *outcome;
  RelayMassLineState  state;
};

G_DEFINE_ENUM_TYPE (RelayMassLineState, relay_mass_line_state,
                    G_DEFINE_ENUM_VALUE (RELAY_MASS_LINE_READY, "ready"),
                    G_DEFINE_ENUM_VALUE (RELAY_MASS_LINE_BAD, "bad"),
                    G_DEFINE_ENUM_VALUE (RELAY_MASS_LINE_QUEUED, "queued"),
                    G_DEFINE_ENUM_VALUE (RELAY_MASS_LINE_SENT, "sent"),
                    G_DEFINE_ENUM_VALUE (RELAY_MASS_LINE_FAILED, "failed"),
                    G_DEFINE_ENUM_VALUE (RELAY_MASS_LINE_REVIEW, "review"),
                    G_DEFINE_ENUM_VALUE (RELAY_MASS_LINE_RETRY, "retry"))

G_DEFINE_FINAL_TYPE (RelayMassLineItem, relay_mass_line_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LINE_NUMBER,
  PROP_TEXT,
  PROP_SERVICE_NAME,
  PROP_LINK,
  PROP_QUANTITY_TEXT,
  PROP_CHARGE_TEXT,
  PROP_ERROR,
  PROP_HAS_ERROR,
  PROP_OUTCOME,
  PROP_STATE,
  PROP_STATUS_TEXT,
  PROP_STATUS_CLASSES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The style of the status column for each state. */
static const char * const *
status_classes (RelayMassLineState state)
{
  static const char * const dim[] = { "dim-label", NULL };
  static const char * const error[] = { "error", NULL };
  static const char * const warning[] = { "warning", NULL };
  static const char * const success[] = { "success", NULL };

  switch (state)
    {
    case RELAY_MASS_LINE_BAD:
    case RELAY_MASS_LINE_FAILED:
      return error;
    case RELAY_MASS_LINE_REVIEW:
    case RELAY_MASS_LINE_RETRY:
      return warning;
    case RELAY_MASS_LINE_SENT:
      return success;
    case RELAY_MASS_LINE_READY:
    case RELAY_MASS_LINE_QUEUED:
    default:
      return dim;
    }
}

static void
relay_mass_line_item_finalize (GObject *object)
{
  RelayMassLineItem *self = RELAY_MASS_LINE_ITEM (object);

  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->service_name, g_free);
  g_clear_pointer (&self->link, g_free);
  g_clear_pointer (&self->quantity_text, g_free);
  g_clear_pointer (&self->charge_text, g_free);
  g_clear_pointer (&self->error, g_free);
  g_clear_pointer (&self->outcome, g_free);

  G_OBJECT_CLASS (relay_mass_line_item_parent_class)->finalize (object);
}

static void
relay_mass_line_item_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  RelayMassLineItem *self = RELAY_MASS_LINE_ITEM (object);

  switch (prop_id)
    {
    case PROP_LINE_NUMBER:
      g_value_set_uint (value, self->line_number);
      break;
    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;
    case PROP_SERVICE_NAME:
      g_value_set_string (value, self->service_name);
      break;
    case PROP_LINK:
      g_value_set_string (value, self->link);
      break;
    case PROP_QUANTITY_TEXT:
      g_value_set_string (value, self->quantity_text);
      break;
    case PROP_CHARGE_TEXT:
      g_value_set_string (value, self->charge_text);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    case PROP_HAS_ERROR:
      g_value_set_boolean (value, self->error != NULL);
      break;
    case PROP_OUTCOME:
      g_value_set_string (value, self->outcome);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_STATUS_TEXT:
      g_value_set_string (value, relay_mass_line_item_get_status_text (self));
      break;
    case PROP_STATUS_CLASSES:
      g_value_set_boxed (value, status_classes (self->state));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_mass_line_item_class_init (RelayMassLineItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = relay_mass_line_item_finalize;
  object_class->get_property = relay_mass_line_item_get_property;

  properties[PROP_LINE_NUMBER] =
    g_param_spec_uint ("line-number", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SERVICE_NAME] =
    g_param_spec_string ("service-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LINK] =
    g_param_spec_string ("link", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_QUANTITY_TEXT] =
    g_param_spec_string ("quantity-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CHARGE_TEXT] =
    g_param_spec_string ("charge-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_HAS_ERROR] =
    g_param_spec_boolean ("has-error", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_OUTCOME] =
    g_param_spec_string ("outcome", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, RELAY_TYPE_MASS_LINE_STATE, RELAY_MASS_LINE_READY,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS_TEXT] =
    g_param_spec_string ("status-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS_CLASSES] =
    g_param_spec_boxed ("status-classes", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
relay_mass_line_item_init (RelayMassLineItem *self)
{
}

RelayMassLineItem *
relay_mass_line_item_new (guint       line_number,
                          const char *text,
                          const char *service_name,
                          const char *link,
                          gint64      quantity,
                          const char *charge_text,
                          const char *error)
{
  RelayMassLineItem *self = g_object_new (RELAY_TYPE_MASS_LINE_ITEM, NULL);

  self->line_number = line_number;
  self->text = g_strdup (text);
  self->service_name = g_strdup (service_name);
  self->link = g_strdup (link);
  self->quantity = quantity;
  self->quantity_text = quantity > 0 ? relay_format_count (quantity) : g_strdup ("");
  self->charge_text = g_strdup (charge_text);
  self->error = relay_format_sentence (error);
  self->state = error != NULL ? RELAY_MASS_LINE_BAD : RELAY_MASS_LINE_READY;
  return self;
}

guint
relay_mass_line_item_get_line_number (RelayMassLineItem *self)
{
  g_return_val_if_fail (RELAY_IS_MASS_LINE_ITEM (self), 0);
  return self->line_number;
}

const char *
relay_mass_line_item_get_text (RelayMassLineItem *self)
{
  g_return_val_if_fail (RELAY_IS_MASS_LINE_ITEM (self), NULL);
  return self->text;
}

const char *
relay_mass_line_item_get_service_name (RelayMassLineItem *self)
{
  g_return_val_if_fail (RELAY_IS_MASS_LINE_ITEM (self), NULL);
  return self->service_name;
}

const char *
relay_mass_line_item_get_link (RelayMassLineItem *self)
{
  g_return_val_if_fail (RELAY_IS_MASS_LINE_ITEM (self), NULL);
  return self->link;
}

const char *
relay_mass_line_item_get_quantity_text (RelayMassLineItem *self)
{
  g_return_val_if_fail (RELAY_IS_MASS_LINE_ITEM (self), NULL);
  return self->quantity_text;
}

const char * const *
relay_mass_line_item_get_status_classes (RelayMassLineItem *self)
{
  g_return_val_if_fail (RELAY_IS_MASS_LINE_ITEM (self), NULL);
  return status_classes (self->state);
}

const char *
relay_mass_line_item_get_charge_text (RelayMassLineItem *self)
{
  g_return_val_if_fail (RELAY_IS_MASS_LINE_ITEM (self), NULL);
  return self->charge_text;
}

const char *
relay_mass_line_item_get_error (RelayMassLineItem *self)
{
  g_return_val_if_fail (RELAY_IS_MASS_LINE_ITEM (self), NULL);
  return self->error;
}

RelayMassLineState
relay_mass_line_item_get_state (RelayMassLineItem *self)
{
  g_return_val_if_fail (RELAY_IS_MASS_LINE_ITEM (self), RELAY_MASS_LINE_READY);
  return self->state;
}

const char *
relay_mass_line_item_get_outcome (RelayMassLineItem *self)
{
  g_return_val_if_fail (RELAY_IS_MASS_LINE_ITEM (self), NULL);
  return self->outcome;
}

const char *
relay_mass_line_item_get_status_text (RelayMassLineItem *self)
{
  g_return_val_if_fail (RELAY_IS_MASS_LINE_ITEM (self), NULL);

  if (self->outcome != NULL)
    return self->outcome;
  if (self->error != NULL)
    return self->error;
  /* TRANSLATORS: the status of a good mass-order line before it is submitted */
  return self->state == RELAY_MASS_LINE_QUEUED ? _("queued") : _("ready");
}

void
relay_mass_line_item_set_outcome (RelayMassLineItem  *self,
                                  RelayMassLineState  state,
                                  const char         *outcome)
{
  g_return_if_fail (RELAY_IS_MASS_LINE_ITEM (self));

  if (self->state == state && g_strcmp0 (self->outcome, outcome) == 0)
    return;
  self->state = state;
  g_free (self->outcome);
  self->outcome = g_strdup (outcome);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTCOME]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS_TEXT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS_CLASSES]);
}
