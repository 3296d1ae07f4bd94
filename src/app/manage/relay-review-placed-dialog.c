/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayReviewPlacedDialog: takes the provider's order id and records "it was placed" in the order book. */
#include "config.h"

#include "relay-review-placed-dialog.h"
#include "relay-manage-private.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

struct _RelayReviewPlacedDialog
{
  GtkWindow  parent_instance;

  GtkLabel  *explanation_label;
  GtkEntry  *id_entry;
  GtkLabel  *error_label;
  GtkButton *save_button;

  RelayCore *core;
  gint64     order_id;
};

G_DEFINE_FINAL_TYPE (RelayReviewPlacedDialog, relay_review_placed_dialog, GTK_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_CORE,
  PROP_ORDER_ID,
  N_PROPS
};

enum {
  SIGNAL_SAVED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
on_id_changed (RelayReviewPlacedDialog *self)
{
  g_autofree char *id = relay_manage_dup_text (GTK_EDITABLE (self->id_entry));

  relay_manage_show_error (GTK_WIDGET (self->id_entry), self->error_label, NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), id != NULL);
}

static void
on_cancel_clicked (RelayReviewPlacedDialog *self)
{
  gtk_window_close (GTK_WINDOW (self));
}

static void
on_save_clicked (RelayReviewPlacedDialog *self)
{
  g_autofree char *id = relay_manage_dup_text (GTK_EDITABLE (self->id_entry));
  g_autoptr(GError) error = NULL;

  if (id == NULL)
    return;
  if (!relay_store_review_placed (relay_core_get_store (self->core), self->order_id, id, &error))
    {
      g_autofree char *reason = relay_format_sentence (error->message);

      relay_manage_show_error (GTK_WIDGET (self->id_entry), self->error_label, reason);
      return;
    }
  g_signal_emit (self, signals[SIGNAL_SAVED], 0, self->order_id);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
relay_review_placed_dialog_constructed (GObject *object)
{
  RelayReviewPlacedDialog *self = RELAY_REVIEW_PLACED_DIALOG (object);
  g_autoptr(RelayOrderRow) order = NULL;
  g_autofree char *number = g_strdup_printf ("%" PRId64, self->order_id);
  g_autofree char *text = NULL;

  G_OBJECT_CLASS (relay_review_placed_dialog_parent_class)->constructed (object);

  order = relay_store_get_order (relay_core_get_store (self->core), self->order_id, NULL);
  if (order != NULL)
    /* TRANSLATORS: "Find order 12 (https://…) in Demo provider’s panel and type the ID it has there. …" */
    text = g_strdup_printf (_("Find order %s (%s) in %s’s panel and type the ID it has there. "
                              "It is then followed like any other order."),
                            number, order->link ? order->link : "—",
                            order->provider_name ? order->provider_name : _("the provider"));
  else
    text = g_strdup_printf (_("Type the ID order %s has in the provider’s panel."), number);
  gtk_label_set_label (self->explanation_label, text);
}

static void
relay_review_placed_dialog_dispose (GObject *object)
{
  RelayReviewPlacedDialog *self = RELAY_REVIEW_PLACED_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), RELAY_TYPE_REVIEW_PLACED_DIALOG);
  g_clear_object (&self->core);

  G_OBJECT_CLASS (relay_review_placed_dialog_parent_class)->dispose (object);
}

static void
relay_review_placed_dialog_get_property (GObject    *object,
                                         guint       prop_id,
                                         GValue     *value,
                                         GParamSpec *pspec)
{
  RelayReviewPlacedDialog *self = RELAY_REVIEW_PLACED_DIALOG (object);

  switch (prop_id)
    {
    case PROP_CORE:
      g_value_set_object (value, self->core);
      break;
    case PROP_ORDER_ID:
      g_value_set_int64 (value, self->order_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_review_placed_dialog_set_property (GObject      *object,
                                         guint         prop_id,
                                         const GValue *value,
                                         GParamSpec   *pspec)
{
  RelayReviewPlacedDialog *self = RELAY_REVIEW_PLACED_DIALOG (object);

  switch (prop_id)
    {
    case PROP_CORE:
      self->core = g_value_dup_object (value);
      break;
    case PROP_ORDER_ID:
      self->order_id = g_value_get_int64 (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_review_placed_dialog_class_init (RelayReviewPlacedDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = relay_review_placed_dialog_constructed;
  object_class->dispose = relay_review_placed_dialog_dispose;
  object_class->get_property = relay_review_placed_dialog_get_property;
  object_class->set_property = relay_review_placed_dialog_set_property;

  properties[PROP_CORE] =
    g_param_spec_object ("core", NULL, NULL, RELAY_TYPE_CORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ORDER_ID] =
    g_param_spec_int64 ("order-id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  relay_manage_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RELAY_MANAGE_RESOURCE_PATH "relay-review-placed-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, RelayReviewPlacedDialog, explanation_label);
  gtk_widget_class_bind_template_child (widget_class, RelayReviewPlacedDialog, id_entry);
  gtk_widget_class_bind_template_child (widget_class, RelayReviewPlacedDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, RelayReviewPlacedDialog, save_button);
  gtk_widget_class_bind_template_callback (widget_class, on_id_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
relay_review_placed_dialog_init (RelayReviewPlacedDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

RelayReviewPlacedDialog *
relay_review_placed_dialog_new (RelayCore *core,
                                gint64     order_id,
                                GtkWindow *parent)
{
  g_return_val_if_fail (RELAY_IS_CORE (core), NULL);

  return g_object_new (RELAY_TYPE_REVIEW_PLACED_DIALOG,
                       "core", core,
                       "order-id", order_id,
                       "transient-for", parent,
                       NULL);
}
