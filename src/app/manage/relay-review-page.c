/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayReviewPage: the review queue from the order book, and the answers — placed, not placed,
 * send again, approve, reject — recorded by the store; what is to be sent goes to the dispatcher. */
#include "config.h"

#include "relay-review-page.h"
#include "relay-dispatcher.h"
#include "relay-manage-private.h"
#include "relay-review-item.h"
#include "relay-review-placed-dialog.h"
#include "relay-review-row.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

struct _RelayReviewPage
{
  GtkWidget     parent_instance;

  GtkLabel     *summary_label;
  GtkStack     *stack;
  GtkListBox   *list_box;

  RelayCore    *core;
  gulong        orders_changed_id;
  guint         reload_source;
  gboolean      stale;          /* the book changed (or was never read) while hidden */
  GListStore   *items;          /* RelayReviewItem */
  GCancellable *cancellable;
  guint         n_items;
};

G_DEFINE_FINAL_TYPE (RelayReviewPage, relay_review_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CORE,
  PROP_N_ITEMS,
  N_PROPS
};

enum {
  SIGNAL_MESSAGE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
emit_message (RelayReviewPage *self, const char *text)
{
  g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, text);
}

static char *
order_number (gint64 order_id)
{
  return g_strdup_printf ("%" PRId64, order_id);
}

/* ---- the list ---- */

static GtkWidget *
create_row (gpointer item, gpointer user_data)
{
  return relay_review_row_new (RELAY_REVIEW_ITEM (item));
}

static void
update_summary (RelayReviewPage *self, guint n_approval)
{
  guint n_unknown = self->n_items - n_approval;
  g_autofree char *text = NULL;

  if (self->n_items == 0)
    text = g_strdup (_("Orders that wait for you. Nothing here is sent again unless you say so."));
  else if (n_approval == 0)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u order whose outcome is unknown. Nothing here is sent again unless you say so.",
                                         "%u orders whose outcome is unknown. Nothing here is sent again unless you say so.",
                                         n_unknown),
                            n_unknown);
  else if (n_unknown == 0)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u order waits for your approval.",
                                         "%u orders wait for your approval.",
                                         n_approval),
                            n_approval);
  else
    /* TRANSLATORS: "2 orders whose outcome is unknown, 1 waiting for approval." */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u order whose outcome is unknown, %u waiting for approval.",
                                         "%u orders whose outcome is unknown, %u waiting for approval.",
                                         n_unknown),
                            n_unknown, n_approval);
  gtk_label_set_label (self->summary_label, text);
}

static void
reload (RelayReviewPage *self)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  guint n_approval = 0;

  g_clear_handle_id (&self->reload_source, g_source_remove);
  /* Only for a page someone looks at: the window opens on another one, and a
   * sync changes orders every few seconds.  map () reads it when shown. */
  if (self->core != NULL && !gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->stale = TRUE;
      return;
    }
  self->stale = FALSE;
  if (self->core == NULL)
    rows = g_ptr_array_new ();
  else
    {
      rows = relay_store_list_review (relay_core_get_store (self->core), &error);
      if (rows == NULL)
        {
          g_warning ("Could not read the review queue: %s", error->message);
          return;
        }
    }
  g_ptr_array_set_free_func (rows, NULL);
  items = g_ptr_array_new_full (rows->len, g_object_unref);
  for (guint i = 0; i < rows->len; i++)
    {
      RelayOrderRow *order = g_ptr_array_index (rows, i);
      RelayReviewItem *item;

      /* An order never sent has no currency of its own yet: its charge is
       * in its provider's, as the reports count it. */
      if (order->currency == NULL && order->provider_id != 0 && self->core != NULL)
        {
          g_autoptr(RelayProviderRow) provider =
            relay_store_get_provider (relay_core_get_store (self->core), order->provider_id, NULL);

          if (provider != NULL)
            order->currency = g_strdup (provider->currency);
        }
      item = relay_review_item_new (order);

      if (relay_review_item_is_awaiting_approval (item))
        n_approval++;
      g_ptr_array_add (items, item);
    }
  g_list_store_splice (self->items, 0, g_list_model_get_n_items (G_LIST_MODEL (self->items)),
                       items->pdata, items->len);
  gtk_stack_set_visible_child_name (self->stack, items->len > 0 ? "list" : "empty");

  if (self->n_items != items->len)
    {
      self->n_items = items->len;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
    }
  update_summary (self, n_approval);
}

static gboolean
reload_idle (gpointer data)
{
  RelayReviewPage *self = data;

  self->reload_source = 0;
  reload (self);
  return G_SOURCE_REMOVE;
}

/* Any order may enter or leave review; a burst (a sync, a mass order) gets one reload. */
static void
on_orders_changed (RelayReviewPage *self)
{
  if (self->reload_source == 0)
    self->reload_source = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, reload_idle, self, NULL);
}

/* ---- sending what was approved or is to be sent again ---- */

typedef struct
{
  RelayReviewPage *self;
  gint64           order_id;
} Dispatch;

static void
dispatch_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Dispatch *dispatch = user_data;
  RelayReviewPage *self = dispatch->self;
  g_autofree RelayDispatchReport *report = NULL;
  g_autoptr(RelayOrderRow) order = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = order_number (dispatch->order_id);
  g_autofree char *text = NULL;

  report = relay_dispatcher_run_finish (RELAY_DISPATCHER (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->core == NULL)
    goto out;

  order = relay_store_get_order (relay_core_get_store (self->core), dispatch->order_id, NULL);
  if (report == NULL)
    {
      g_autofree char *reason = relay_format_sentence (error->message);

      /* TRANSLATORS: "Order 12 was not sent: …" */
      text = g_strdup_printf (_("Order %s was not sent: %s"), number, reason);
    }
  else if (order == NULL)
    goto out;
  else if (order->status == RELAY_ORDER_FAILED)
    {
      g_autofree char *reason = relay_format_sentence (order->error);

      /* TRANSLATORS: "Order 12 failed: Not enough funds on balance" */
      text = g_strdup_printf (_("Order %s failed: %s"), number, reason ? reason : "");
    }
  else if (order->status == RELAY_ORDER_NEEDS_REVIEW)
    {
      g_autofree char *reason = relay_format_sentence (order->review_reason);

      /* TRANSLATORS: "Order 12 needs review again: …" */
      text = g_strdup_printf (_("Order %s needs review again: %s"), number, reason ? reason : "");
    }
  else if (order->status == RELAY_ORDER_QUEUED || order->status == RELAY_ORDER_SCHEDULED)
    text = g_strdup_printf (_("Order %s did not go out yet; it is tried again shortly"), number);
  else
    /* TRANSLATORS: "Order 12 sent to Demo provider" */
    text = g_strdup_printf (_("Order %s sent to %s"), number,
                            order->provider_name ? order->provider_name : _("the provider"));
  emit_message (self, text);

out:
  g_object_unref (dispatch->self);
  g_free (dispatch);
}

static void
send_order (RelayReviewPage *self, gint64 order_id)
{
  Dispatch *dispatch = g_new0 (Dispatch, 1);

  dispatch->self = g_object_ref (self);
  dispatch->order_id = order_id;
  relay_dispatcher_run_async (relay_core_get_dispatcher (self->core), self->cancellable,
                              dispatch_done, dispatch);
}

/* needs_review -> queued (@resend) or failed with a refund; the store says no when
 * the order is no longer in review (someone else answered). */
static gboolean
answer (RelayReviewPage *self, gint64 order_id, gboolean resend)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *number = order_number (order_id);

  if (!relay_store_review_not_placed (relay_core_get_store (self->core), order_id, resend, &error))
    {
      g_autofree char *reason = relay_format_sentence (error->message);
      /* TRANSLATORS: "Order 12: …" with the reason the answer was refused */
      g_autofree char *text = g_strdup_printf (_("Order %s: %s"), number, reason);

      emit_message (self, text);
      return FALSE;
    }
  return TRUE;
}

/* ---- the answers ---- */

static void
on_placed_saved (RelayReviewPage *self, gint64 order_id)
{
  g_autofree char *number = order_number (order_id);
  /* TRANSLATORS: after "It was placed" */
  g_autofree char *text = g_strdup_printf (_("Order %s is placed; it is followed like any other order"),
                                           number);

  emit_message (self, text);
}

static void
placed_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RelayReviewPage *self = RELAY_REVIEW_PAGE (widget);
  RelayReviewPlacedDialog *dialog;

  if (self->core == NULL)
    return;
  dialog = relay_review_placed_dialog_new (self->core, g_variant_get_int64 (parameter),
                                           relay_manage_get_window (widget));
  g_signal_connect_object (dialog, "saved", G_CALLBACK (on_placed_saved), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Whether @order_id is charged to a client (an order with No client has
 * nobody to refund: the toast must not say so). */
static gboolean
has_client (RelayReviewPage *self,
            gint64           order_id)
{
  g_autoptr(RelayOrderRow) row = relay_store_get_order (relay_core_get_store (self->core),
                                                        order_id, NULL);

  return row != NULL && row->client_id > 0;
}

static void
not_placed_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RelayReviewPage *self = RELAY_REVIEW_PAGE (widget);
  gint64 order_id = g_variant_get_int64 (parameter);
  g_autofree char *number = order_number (order_id);
  g_autofree char *text = NULL;
  gboolean client;

  if (self->core == NULL)
    return;
  client = has_client (self, order_id);
  if (!answer (self, order_id, FALSE))
    return;
  text = client
    /* TRANSLATORS: after "It was not placed" */
    ? g_strdup_printf (_("Order %s marked as not placed; the client was refunded"), number)
    /* TRANSLATORS: after "It was not placed", for an order with no client */
    : g_strdup_printf (_("Order %s marked as not placed"), number);
  emit_message (self, text);
}

static void
resend_confirmed (GtkWidget *owner, gpointer user_data)
{
  RelayReviewPage *self = RELAY_REVIEW_PAGE (owner);
  gint64 order_id = GPOINTER_TO_SIZE (user_data);

  if (self->core != NULL && answer (self, order_id, TRUE))
    send_order (self, order_id);
}

static void
resend_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RelayReviewPage *self = RELAY_REVIEW_PAGE (widget);
  gint64 order_id = g_variant_get_int64 (parameter);
  g_autofree char *number = order_number (order_id);
  g_autofree char *question = NULL;

  if (self->core == NULL)
    return;
  /* TRANSLATORS: the question before sending an order of unknown outcome again */
  question = g_strdup_printf (_("Send order %s again?"), number);
  relay_manage_confirm (widget, question,
                        _("If the provider did receive it, this makes a duplicate: it runs twice "
                          "and you pay twice. Look for its link in the provider’s panel first."),
                        _("_Send Again"), TRUE, resend_confirmed,
                        GSIZE_TO_POINTER ((gsize) order_id), NULL);
}

static void
approve_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RelayReviewPage *self = RELAY_REVIEW_PAGE (widget);
  gint64 order_id = g_variant_get_int64 (parameter);

  if (self->core != NULL && answer (self, order_id, TRUE))
    send_order (self, order_id);
}

static void
reject_confirmed (GtkWidget *owner, gpointer user_data)
{
  RelayReviewPage *self = RELAY_REVIEW_PAGE (owner);
  gint64 order_id = GPOINTER_TO_SIZE (user_data);
  g_autofree char *number = order_number (order_id);
  g_autofree char *text = NULL;
  gboolean client;

  if (self->core == NULL)
    return;
  client = has_client (self, order_id);
  if (!answer (self, order_id, FALSE))
    return;
  text = client
    /* TRANSLATORS: after rejecting an order that waited for approval */
    ? g_strdup_printf (_("Order %s rejected; the client was refunded"), number)
    /* TRANSLATORS: after rejecting an order with no client that waited for approval */
    : g_strdup_printf (_("Order %s rejected"), number);
  emit_message (self, text);
}

/* Rejecting cannot be taken back: ask first, like Cancel Order. */
static void
reject_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  RelayReviewPage *self = RELAY_REVIEW_PAGE (widget);
  gint64 order_id = g_variant_get_int64 (parameter);
  g_autofree char *number = order_number (order_id);
  g_autofree char *question = NULL;

  if (self->core == NULL)
    return;
  /* TRANSLATORS: the question before rejecting an order that waits for approval */
  question = g_strdup_printf (_("Reject order %s?"), number);
  relay_manage_confirm (widget, question,
                        _("It is not sent, and its charge is refunded. This cannot be undone."),
                        _("_Reject"), TRUE, reject_confirmed,
                        GSIZE_TO_POINTER ((gsize) order_id), NULL);
}

/* ---- the object ---- */

static void
relay_review_page_dispose (GObject *object)
{
  RelayReviewPage *self = RELAY_REVIEW_PAGE (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->reload_source, g_source_remove);
  if (self->core != NULL)
    g_clear_signal_handler (&self->orders_changed_id, relay_core_get_store (self->core));
  gtk_widget_dispose_template (GTK_WIDGET (self), RELAY_TYPE_REVIEW_PAGE);
  /* gtk_widget_dispose_template() leaves a root without an id. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->items);
  g_clear_object (&self->core);

  G_OBJECT_CLASS (relay_review_page_parent_class)->dispose (object);
}

static void
relay_review_page_finalize (GObject *object)
{
  RelayReviewPage *self = RELAY_REVIEW_PAGE (object);

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (relay_review_page_parent_class)->finalize (object);
}

static void
relay_review_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  RelayReviewPage *self = RELAY_REVIEW_PAGE (object);

  switch (prop_id)
    {
    case PROP_CORE:
      g_value_set_object (value, self->core);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->n_items);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_review_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  RelayReviewPage *self = RELAY_REVIEW_PAGE (object);

  switch (prop_id)
    {
    case PROP_CORE:
      relay_review_page_set_core (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_review_page_map (GtkWidget *widget)
{
  RelayReviewPage *self = RELAY_REVIEW_PAGE (widget);

  GTK_WIDGET_CLASS (relay_review_page_parent_class)->map (widget);
  if (self->stale)
    reload (self);
}

static void
relay_review_page_class_init (RelayReviewPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relay_review_page_dispose;
  object_class->finalize = relay_review_page_finalize;
  object_class->get_property = relay_review_page_get_property;
  object_class->set_property = relay_review_page_set_property;
  widget_class->map = relay_review_page_map;

  properties[PROP_CORE] =
    g_param_spec_object ("core", NULL, NULL, RELAY_TYPE_CORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);

  gtk_widget_class_install_action (widget_class, "review.placed", "x", placed_action);
  gtk_widget_class_install_action (widget_class, "review.not-placed", "x", not_placed_action);
  gtk_widget_class_install_action (widget_class, "review.resend", "x", resend_action);
  gtk_widget_class_install_action (widget_class, "review.approve", "x", approve_action);
  gtk_widget_class_install_action (widget_class, "review.reject", "x", reject_action);

  g_type_ensure (RELAY_TYPE_REVIEW_ITEM);
  g_type_ensure (RELAY_TYPE_REVIEW_ROW);
  relay_manage_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RELAY_MANAGE_RESOURCE_PATH "relay-review-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "relay-review-page");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

  gtk_widget_class_bind_template_child (widget_class, RelayReviewPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, RelayReviewPage, stack);
  gtk_widget_class_bind_template_child (widget_class, RelayReviewPage, list_box);
}

static void
relay_review_page_init (RelayReviewPage *self)
{
  self->items = g_list_store_new (RELAY_TYPE_REVIEW_ITEM);
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_list_box_bind_model (self->list_box, G_LIST_MODEL (self->items), create_row, NULL, NULL);
}

GtkWidget *
relay_review_page_new (RelayCore *core)
{
  return g_object_new (RELAY_TYPE_REVIEW_PAGE, "core", core, NULL);
}

RelayCore *
relay_review_page_get_core (RelayReviewPage *self)
{
  g_return_val_if_fail (RELAY_IS_REVIEW_PAGE (self), NULL);
  return self->core;
}

void
relay_review_page_set_core (RelayReviewPage *self,
                            RelayCore       *core)
{
  g_return_if_fail (RELAY_IS_REVIEW_PAGE (self));
  g_return_if_fail (core == NULL || RELAY_IS_CORE (core));

  if (self->core == core)
    return;
  if (self->core != NULL)
    g_clear_signal_handler (&self->orders_changed_id, relay_core_get_store (self->core));
  g_set_object (&self->core, core);
  if (core != NULL)
    self->orders_changed_id = g_signal_connect_object (relay_core_get_store (core), "orders-changed",
                                                       G_CALLBACK (on_orders_changed), self,
                                                       G_CONNECT_SWAPPED);
  reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CORE]);
}

guint
relay_review_page_get_n_items (RelayReviewPage *self)
{
  g_return_val_if_fail (RELAY_IS_REVIEW_PAGE (self), 0);
  return self->n_items;
}
