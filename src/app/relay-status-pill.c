/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayStatusPill: an order status as a small coloured label.
 *
 * Its text is a GtkInscription as wide as the longest status (in the
 * language shown), not a GtkLabel as wide as its own text: a new status only
 * repaints the pill.  A GtkLabel's new text resized it, and so its row, the
 * table and the window: a refresh that changed the status of every order in
 * view had the window measure every row again in one frame (43-46 ms). */
#include "config.h"

#include "relay-status-pill.h"

struct _RelayStatusPill
{
  GtkWidget         parent_instance;

  GtkInscription   *label;
  RelayOrderStatus  status;
};

G_DEFINE_FINAL_TYPE (RelayStatusPill, relay_status_pill, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STATUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const css_classes[] = {
  "completed", "active", "waiting", "warning", "error",
};

const char *
relay_status_pill_css_class (RelayOrderStatus status)
{
  switch (status)
    {
    case RELAY_ORDER_COMPLETED:
      return "completed";
    case RELAY_ORDER_PROCESSING:
    case RELAY_ORDER_IN_PROGRESS:
      return "active";
    case RELAY_ORDER_PARTIAL:
    case RELAY_ORDER_NEEDS_REVIEW:
      return "warning";
    case RELAY_ORDER_FAILED:
    case RELAY_ORDER_CANCELED:
      return "error";
    case RELAY_ORDER_SCHEDULED:
    case RELAY_ORDER_QUEUED:
    case RELAY_ORDER_SENDING:
    case RELAY_ORDER_PENDING:
    case RELAY_ORDER_N_STATUSES:
    default:
      return "waiting";
    }
}

void
relay_status_pill_set_status (RelayStatusPill  *self,
                              RelayOrderStatus  status)
{
  g_return_if_fail (RELAY_IS_STATUS_PILL (self));

  if (self->status == status)
    return;
  self->status = status;

  for (guint i = 0; i < G_N_ELEMENTS (css_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self), css_classes[i]);
  if (status < RELAY_ORDER_N_STATUSES)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self), relay_status_pill_css_class (status));
      gtk_inscription_set_text (self->label, relay_order_status_get_label (status));
    }
  else
    gtk_inscription_set_text (self->label, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self), status < RELAY_ORDER_N_STATUSES);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

RelayOrderStatus
relay_status_pill_get_status (RelayStatusPill *self)
{
  g_return_val_if_fail (RELAY_IS_STATUS_PILL (self), RELAY_ORDER_N_STATUSES);
  return self->status;
}

GtkWidget *
relay_status_pill_new (void)
{
  return g_object_new (RELAY_TYPE_STATUS_PILL, NULL);
}

static void
relay_status_pill_dispose (GObject *object)
{
  RelayStatusPill *self = RELAY_STATUS_PILL (object);

  if (self->label != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->label));
      self->label = NULL;
    }
  G_OBJECT_CLASS (relay_status_pill_parent_class)->dispose (object);
}

static void
relay_status_pill_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  RelayStatusPill *self = RELAY_STATUS_PILL (object);

  switch (prop_id)
    {
    case PROP_STATUS:
      g_value_set_uint (value, self->status);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_status_pill_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  RelayStatusPill *self = RELAY_STATUS_PILL (object);

  switch (prop_id)
    {
    case PROP_STATUS:
      relay_status_pill_set_status (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_status_pill_class_init (RelayStatusPillClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relay_status_pill_dispose;
  object_class->get_property = relay_status_pill_get_property;
  object_class->set_property = relay_status_pill_set_property;

  properties[PROP_STATUS] =
    g_param_spec_uint ("status", NULL, NULL, 0, RELAY_ORDER_N_STATUSES, RELAY_ORDER_N_STATUSES,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "statuspill");
}

/* The characters of the longest status label, and a little more: the
 * inscription's width is counted in average characters, and the pill's
 * text is bold. */
static guint
longest_status (void)
{
  static guint longest;

  if (longest == 0)
    {
      for (RelayOrderStatus status = 0; status < RELAY_ORDER_N_STATUSES; status++)
        longest = MAX (longest, (guint) g_utf8_strlen (relay_order_status_get_label (status), -1));
      longest += 2;
    }
  return longest;
}

static void
relay_status_pill_init (RelayStatusPill *self)
{
  /* Built by hand, not from a template: the orders table makes one per row,
   * and GtkBuilder would parse the same XML again for each. */
  self->status = RELAY_ORDER_N_STATUSES;
  self->label = GTK_INSCRIPTION (gtk_inscription_new (NULL));
  gtk_inscription_set_text_overflow (self->label, GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  gtk_inscription_set_xalign (self->label, 0.5);
  gtk_inscription_set_min_chars (self->label, 3);
  gtk_inscription_set_nat_chars (self->label, longest_status ());
  gtk_widget_set_parent (GTK_WIDGET (self->label), GTK_WIDGET (self));
  gtk_widget_set_halign (GTK_WIDGET (self), GTK_ALIGN_START);
  gtk_widget_set_valign (GTK_WIDGET (self), GTK_ALIGN_CENTER);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}
