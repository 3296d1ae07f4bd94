/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayReviewRow: fills the card of one order in review and points its buttons at the order. */
#include "config.h"

#include "relay-review-row.h"
#include "relay-manage-private.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

struct _RelayReviewRow
{
  GtkListBoxRow    parent_instance;

  GtkLabel        *title_label;
  GtkLabel        *time_label;
  GtkLabel        *link_label;
  GtkLabel        *quantity_label;
  GtkLabel        *client_label;
  GtkLabel        *provider_label;
  GtkLabel        *charge_label;
  GtkLabel        *reason_label;
  GtkWidget       *placed_button;
  GtkWidget       *not_placed_button;
  GtkWidget       *resend_button;
  GtkWidget       *reject_button;
  GtkWidget       *approve_button;

  RelayReviewItem *item;
};

G_DEFINE_FINAL_TYPE (RelayReviewRow, relay_review_row, GTK_TYPE_LIST_BOX_ROW)

enum {
  PROP_0,
  PROP_ITEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
fill (RelayReviewRow *self)
{
  const RelayOrderRow *order = relay_review_item_get_order (self->item);
  gboolean approval = relay_review_item_is_awaiting_approval (self->item);
  g_autofree char *number = g_strdup_printf ("%" PRId64, order->id);
  g_autofree char *title = NULL;
  g_autofree char *time = NULL;
  g_autofree char *when = NULL;
  g_autofree char *quantity = relay_format_count (order->quantity);
  g_autofree char *provider = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *charge = relay_format_money (order->price, order->currency,
                                                RELAY_MONEY_STYLE_TOTAL);
  GVariant *target;
  GtkWidget *buttons[] = {
    self->placed_button, self->not_placed_button, self->resend_button,
    self->reject_button, self->approve_button,
  };

  /* TRANSLATORS: the title of an order in review: "Order 12 · Instagram Likes [Instant]" */
  title = g_strdup_printf (_("Order %s · %s"), number,
                           order->service_name ? order->service_name : "");
  gtk_label_set_label (self->title_label, title);

  time = relay_format_time (order->sent_at > 0 ? order->sent_at : order->created_at);
  when = order->sent_at > 0
         /* TRANSLATORS: when the order was sent to the provider */
         ? g_strdup_printf (_("sent %s"), time)
         /* TRANSLATORS: when the order was placed */
         : g_strdup_printf (_("placed %s"), time);
  gtk_label_set_label (self->time_label, when);

  gtk_label_set_label (self->link_label, order->link ? order->link : "—");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->link_label), order->link);
  gtk_label_set_label (self->quantity_label, quantity);
  gtk_label_set_label (self->client_label, order->client_name ? order->client_name : _("No client"));
  if (order->provider_name != NULL && order->provider_service_id != NULL)
    /* TRANSLATORS: where an order went: "Demo provider, service 103" */
    provider = g_strdup_printf (_("%s, service %s"), order->provider_name, order->provider_service_id);
  else
    provider = g_strdup (order->provider_name ? order->provider_name : "—");
  gtk_label_set_label (self->provider_label, provider);
  /* What the client is charged: what a wrong decision here costs. */
  gtk_label_set_label (self->charge_label, charge);

  if (approval)
    reason = g_strdup (_("Waiting for your approval: this service is set to approve each order before it is sent."));
  else
    {
      g_autofree char *why = relay_format_sentence (order->review_reason ? order->review_reason : order->error);

      /* TRANSLATORS: why an order waits in review; the provider may or may not have it */
      reason = g_strdup_printf (_("%s — nobody knows whether the provider has it. Check its panel for this link, then say what happened."),
                                why ? why : _("The outcome is unknown"));
    }
  gtk_label_set_label (self->reason_label, reason);

  gtk_widget_set_visible (self->placed_button, !approval);
  gtk_widget_set_visible (self->not_placed_button, !approval);
  gtk_widget_set_visible (self->resend_button, !approval);
  gtk_widget_set_visible (self->reject_button, approval);
  gtk_widget_set_visible (self->approve_button, approval);
  if (approval)
    gtk_widget_add_css_class (GTK_WIDGET (self), "awaiting-approval");

  target = g_variant_ref_sink (g_variant_new_int64 (order->id));
  for (guint i = 0; i < G_N_ELEMENTS (buttons); i++)
    gtk_actionable_set_action_target_value (GTK_ACTIONABLE (buttons[i]), target);
  g_variant_unref (target);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
}

static void
relay_review_row_constructed (GObject *object)
{
  RelayReviewRow *self = RELAY_REVIEW_ROW (object);

  G_OBJECT_CLASS (relay_review_row_parent_class)->constructed (object);

  if (self->item != NULL)
    fill (self);
}

static void
relay_review_row_dispose (GObject *object)
{
  RelayReviewRow *self = RELAY_REVIEW_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), RELAY_TYPE_REVIEW_ROW);
  g_clear_object (&self->item);

  G_OBJECT_CLASS (relay_review_row_parent_class)->dispose (object);
}

static void
relay_review_row_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  RelayReviewRow *self = RELAY_REVIEW_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_review_row_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  RelayReviewRow *self = RELAY_REVIEW_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      self->item = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_review_row_class_init (RelayReviewRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = relay_review_row_constructed;
  object_class->dispose = relay_review_row_dispose;
  object_class->get_property = relay_review_row_get_property;
  object_class->set_property = relay_review_row_set_property;

  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL, RELAY_TYPE_REVIEW_ITEM,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  relay_manage_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RELAY_MANAGE_RESOURCE_PATH "relay-review-row.ui");
  gtk_widget_class_bind_template_child (widget_class, RelayReviewRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, RelayReviewRow, time_label);
  gtk_widget_class_bind_template_child (widget_class, RelayReviewRow, link_label);
  gtk_widget_class_bind_template_child (widget_class, RelayReviewRow, quantity_label);
  gtk_widget_class_bind_template_child (widget_class, RelayReviewRow, client_label);
  gtk_widget_class_bind_template_child (widget_class, RelayReviewRow, provider_label);
  gtk_widget_class_bind_template_child (widget_class, RelayReviewRow, charge_label);
  gtk_widget_class_bind_template_child (widget_class, RelayReviewRow, reason_label);
  gtk_widget_class_bind_template_child (widget_class, RelayReviewRow, placed_button);
  gtk_widget_class_bind_template_child (widget_class, RelayReviewRow, not_placed_button);
  gtk_widget_class_bind_template_child (widget_class, RelayReviewRow, resend_button);
  gtk_widget_class_bind_template_child (widget_class, RelayReviewRow, reject_button);
  gtk_widget_class_bind_template_child (widget_class, RelayReviewRow, approve_button);
}

static void
relay_review_row_init (RelayReviewRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
relay_review_row_new (RelayReviewItem *item)
{
  g_return_val_if_fail (RELAY_IS_REVIEW_ITEM (item), NULL);

  return g_object_new (RELAY_TYPE_REVIEW_ROW, "item", item, NULL);
}

RelayReviewItem *
relay_review_row_get_item (RelayReviewRow *self)
{
  g_return_val_if_fail (RELAY_IS_REVIEW_ROW (self), NULL);
  return self->item;
}
