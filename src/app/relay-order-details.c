/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayOrderDetails: all facts, the history and the actions of one order. */
#include "config.h"

#include "relay-order-details.h"
#include "relay-order-rules.h"
#include "relay-pages-confirm.h"
#include "relay-format.h"
#include "relay-money.h"
#include "relay-status-pill.h"
#include "relay-toast.h"

#include <inttypes.h>
#include <glib/gi18n.h>

struct _RelayOrderDetails
{
  GtkWidget        parent_instance;

  RelayCore       *core;
  RelayOrderItem  *item;
  gulong           item_notify_id;
  GCancellable    *cancellable;
  char            *title;
  guint            n_events;
  guint            refresh_id;
  /* Orders whose cancellation the provider accepted this session: asking
   * again would only send the same request (gint64* -> NULL). */
  GHashTable      *cancel_requested;
  /* Whether the order of the cancellation in flight was never sent. */
  gboolean         cancel_unsent;

  GtkStack        *stack;
  GtkBox          *header_box;
  GtkBox          *buttons_box;
  GtkBox          *body_box;
  GtkGrid         *grid;
  gboolean         narrow;
  GtkLabel        *title_label;
  RelayStatusPill *status_pill;
  GtkButton       *refill_button;
  GtkButton       *cancel_button;
  GtkButton       *copy_button;
  GtkListBox      *history_list;
  GtkLabel        *client_value;
  GtkLabel        *service_value;
  GtkLabel        *provider_value;
  GtkLabel        *provider_order_value;
  GtkLabel        *link_value;
  GtkLabel        *quantity_value;
  GtkLabel        *delivered_value;
  GtkLabel        *start_count_value;
  GtkLabel        *remains_value;
  GtkLabel        *price_value;
  GtkLabel        *refunded_value;
  GtkLabel        *cost_value;
  GtkLabel        *charge_value;
  GtkLabel        *created_value;
  GtkLabel        *sent_value;
  GtkLabel        *updated_value;
  GtkLabel        *attempts_value;
  GtkLabel        *error_title;
  GtkLabel        *error_value;
};

G_DEFINE_FINAL_TYPE (RelayOrderDetails, relay_order_details, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CORE,
  PROP_ITEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_TOAST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Rows of the grid's left half: the right half goes below them when narrow. */
#define LEFT_ROWS 9

void
relay_order_details_set_narrow (RelayOrderDetails *self,
                                gboolean           narrow)
{
  GtkLayoutManager *layout;

  g_return_if_fail (RELAY_IS_ORDER_DETAILS (self));

  narrow = !!narrow;
  if (self->narrow == narrow)
    return;
  self->narrow = narrow;

  /* One column: title, buttons, facts, money and times, then the history. */
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->header_box),
                                  narrow ? GTK_ORIENTATION_VERTICAL : GTK_ORIENTATION_HORIZONTAL);
  gtk_widget_set_halign (GTK_WIDGET (self->buttons_box), narrow ? GTK_ALIGN_START : GTK_ALIGN_END);
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->body_box),
                                  narrow ? GTK_ORIENTATION_VERTICAL : GTK_ORIENTATION_HORIZONTAL);
  layout = gtk_widget_get_layout_manager (GTK_WIDGET (self->grid));
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->grid));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkGridLayoutChild *place = GTK_GRID_LAYOUT_CHILD (gtk_layout_manager_get_layout_child (layout,
                                                                                            child));
      int column = gtk_grid_layout_child_get_column (place);
      int row = gtk_grid_layout_child_get_row (place);

      if (narrow && column >= 2)
        {
          gtk_grid_layout_child_set_column (place, column - 2);
          gtk_grid_layout_child_set_row (place, row + LEFT_ROWS);
        }
      else if (!narrow && row >= LEFT_ROWS)
        {
          gtk_grid_layout_child_set_column (place, column + 2);
          gtk_grid_layout_child_set_row (place, row - LEFT_ROWS);
        }
    }
}

/* The outcome of Refill or Cancel, up to the window (see relay-toast.h). */
static void
show_message (RelayOrderDetails *self,
              const char        *message)
{
  relay_toast_emit (self, signals[SIGNAL_TOAST], message, NULL, NULL, NULL);
}

static void
set_text (GtkLabel   *label,
          const char *text)
{
  gtk_label_set_label (label, text != NULL && *text != '\0' ? text : "—");
}

static void
take_text (GtkLabel *label,
           char     *text)
{
  set_text (label, text);
  g_free (text);
}

static char *
money_text (gint64      micro,
            const char *currency)
{
  return relay_format_money (micro, currency, RELAY_MONEY_STYLE_TOTAL);
}

/* An event's detail as shown: the book keeps a scheduled order's time as
 * ISO 8601 in UTC ("2026-12-04T14:00:00Z", for scripts and the audit);
 * people read it in local time, like every other time in the window. */
static char *
event_detail_text (const RelayOrderEvent *event)
{
  g_autoptr(GDateTime) when = NULL;

  if (event->detail == NULL || *event->detail == '\0')
    return NULL;
  when = g_date_time_new_from_iso8601 (event->detail, NULL);
  if (when != NULL)
    {
      g_autofree char *local = relay_format_time (g_date_time_to_unix (when));

      /* TRANSLATORS: the detail of a "Scheduled" event: when the order goes */
      return g_strdup_printf (_("to be sent at %s"), local);
    }
  return g_strdup (event->detail);
}

static GtkWidget *
event_row_new (const RelayOrderEvent *event)
{
  g_autofree char *when = relay_format_time (event->at);
  g_autofree char *detail = event_detail_text (event);
  g_autofree char *what = NULL;
  g_autofree char *text = NULL;
  GtkWidget *label;

  if (event->has_old_status && event->old_status != event->new_status)
    what = g_strdup_printf ("%s → %s", relay_order_status_get_label (event->old_status),
                            relay_order_status_get_label (event->new_status));
  else
    what = g_strdup (relay_order_status_get_label (event->new_status));

  if (detail != NULL)
    text = g_markup_printf_escaped ("<b>%s</b>  <span size=\"small\">%s · %s</span>\n%s",
                                    what, when, event->source ? event->source : "",
                                    detail);
  else
    text = g_markup_printf_escaped ("<b>%s</b>  <span size=\"small\">%s · %s</span>",
                                    what, when, event->source ? event->source : "");

  label = gtk_label_new (NULL);
  gtk_label_set_markup (GTK_LABEL (label), text);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (label, "event-row");
  return label;
}

static void
load_history (RelayOrderDetails *self,
              gint64             id)
{
  g_autoptr(GPtrArray) events = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->history_list))) != NULL)
    gtk_list_box_remove (self->history_list, child);
  self->n_events = 0;

  events = relay_store_list_order_events (relay_core_get_store (self->core), id, NULL);
  if (events == NULL)
    return;
  /* Newest first, like the table. */
  for (guint i = events->len; i > 0; i--)
    gtk_list_box_append (self->history_list, event_row_new (g_ptr_array_index (events, i - 1)));
  self->n_events = events->len;
}

static void
refresh (RelayOrderDetails *self)
{
  g_autoptr(RelayOrderRow) row = NULL;
  g_autofree char *number = NULL;
  const char *problem;
  gint64 delivered;

  if (self->item == NULL || self->core == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "none");
      g_clear_pointer (&self->title, g_free);
      self->n_events = 0;
      return;
    }

  row = relay_store_get_order (relay_core_get_store (self->core),
                               relay_order_item_get_id (self->item), NULL);
  if (row == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "none");
      return;
    }

  g_free (self->title);
  number = g_strdup_printf ("%" PRId64, row->id);
  /* Translators: the title of the details pane, "Order #12" */
  self->title = g_strdup_printf (_("Order #%s"), number);
  gtk_label_set_label (self->title_label, self->title);
  relay_status_pill_set_status (self->status_pill, row->status);

  set_text (self->client_value, row->client_name);
  set_text (self->service_value, row->service_name);
  take_text (self->provider_value,
             row->provider_service_id != NULL
             ? g_strdup_printf (_("%s (service %s)"), row->provider_name, row->provider_service_id)
             : g_strdup (row->provider_name));
  if (row->provider_status != NULL && row->provider_order_id != NULL)
    take_text (self->provider_order_value,
               g_strdup_printf ("%s · “%s”", row->provider_order_id, row->provider_status));
  else
    set_text (self->provider_order_value, row->provider_order_id);
  set_text (self->link_value, row->link);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->link_value), row->link);
  take_text (self->quantity_value, relay_format_count (row->quantity));
  delivered = relay_order_delivered (row);
  take_text (self->delivered_value, relay_format_count (delivered));
  take_text (self->start_count_value,
             row->has_start_count ? relay_format_count (row->start_count) : NULL);
  take_text (self->remains_value, row->has_remains ? relay_format_count (row->remains) : NULL);
  take_text (self->price_value, money_text (row->price, row->currency));
  take_text (self->refunded_value, money_text (row->refunded, row->currency));
  take_text (self->cost_value, money_text (row->cost, row->currency));
  take_text (self->charge_value, row->has_charge ? money_text (row->charge, row->currency) : NULL);
  take_text (self->created_value, relay_format_time (row->created_at));
  take_text (self->sent_value, relay_format_time (row->sent_at));
  take_text (self->updated_value, relay_format_time (row->updated_at));
  take_text (self->attempts_value, g_strdup_printf ("%" PRId64, row->attempts));

  problem = row->review_reason != NULL ? row->review_reason : row->error;
  set_text (self->error_value, problem);
  gtk_widget_set_visible (GTK_WIDGET (self->error_title), problem != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->error_value), problem != NULL);

  gtk_widget_set_sensitive (GTK_WIDGET (self->refill_button), relay_order_can_refill (row));
  {
    gboolean requested = g_hash_table_contains (self->cancel_requested, &row->id);

    gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button),
                              relay_order_can_cancel (row) && !requested);
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->cancel_button),
                                 requested ? _("Cancellation already requested; the provider "
                                               "stops the order")
                                           : NULL);
  }
  gtk_widget_set_visible (GTK_WIDGET (self->refill_button), row->can_refill);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button),
                          row->can_cancel || relay_order_can_cancel (row));
  gtk_widget_set_sensitive (GTK_WIDGET (self->copy_button), row->link != NULL);

  load_history (self, row->id);
  gtk_stack_set_visible_child_name (self->stack, "order");
}

static gboolean
refresh_idle (gpointer data)
{
  RelayOrderDetails *self = data;

  self->refresh_id = 0;
  refresh (self);
  return G_SOURCE_REMOVE;
}

static void
on_item_notify (RelayOrderItem    *item,
                GParamSpec        *pspec,
                RelayOrderDetails *self)
{
  /* One refresh for the batch of notifications of one update. */
  if (self->refresh_id == 0)
    self->refresh_id = g_idle_add (refresh_idle, self);
}

static void
report_action (RelayOrderDetails *self,
               GPtrArray         *results,
               const GError      *error,
               gboolean           refill)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (results == NULL)
    show_message (self, error ? error->message : _("The request failed"));
  else if (results->len > 0)
    {
      RelayActionResult *first = g_ptr_array_index (results, 0);
      g_autofree char *text = NULL;

      if (first->ok && !refill && self->cancel_unsent)
        text = g_strdup_printf (_("Order #%" PRId64 " canceled before it was sent"),
                                first->order_id);
      else if (first->ok)
        {
          text = g_strdup (refill ? _("Refill requested") : _("Cancellation requested"));
          if (!refill)
            {
              gint64 *id = g_new (gint64, 1);

              *id = first->order_id;
              g_hash_table_add (self->cancel_requested, id);
            }
        }
      else
        text = g_strdup_printf (refill ? _("Refill refused: %s") : _("Cancellation refused: %s"),
                                first->message ? first->message : "");
      show_message (self, text);
    }
  refresh (self);
}

static void
on_refill_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(RelayOrderDetails) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = relay_core_refill_finish (RELAY_CORE (source), result, &error);

  report_action (self, results, error, TRUE);
}

static void
on_cancel_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(RelayOrderDetails) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = relay_core_cancel_finish (RELAY_CORE (source), result, &error);

  report_action (self, results, error, FALSE);
}

static void
on_refill_clicked (RelayOrderDetails *self)
{
  gint64 id;

  if (self->item == NULL || self->core == NULL)
    return;
  id = relay_order_item_get_id (self->item);
  gtk_widget_set_sensitive (GTK_WIDGET (self->refill_button), FALSE);
  relay_core_refill_async (self->core, &id, 1, self->cancellable, on_refill_done,
                           g_object_ref (self));
}

static void
start_cancel (RelayOrderDetails *self,
              gint64             id,
              gboolean           unsent)
{
  if (self->core == NULL || id <= 0)
    return;
  if (self->item != NULL && relay_order_item_get_id (self->item) == id)
    gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), FALSE);
  self->cancel_unsent = unsent;
  relay_core_cancel_async (self->core, &id, 1, self->cancellable, on_cancel_done,
                           g_object_ref (self));
}

static void
on_cancel_response (AdwMessageDialog  *dialog,
                    const char        *response,
                    RelayOrderDetails *self)
{
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (dialog), "relay-order-id"));

  /* The order asked about, even if the selection moved meanwhile. */
  if (g_strcmp0 (response, "cancel") != 0)
    return;
  start_cancel (self, id,
                GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "relay-unsent")));
}

/* Canceling cannot be taken back: ask first. */
static void
on_cancel_clicked (RelayOrderDetails *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *heading = NULL;
  AdwMessageDialog *dialog;
  g_autoptr(RelayOrderRow) row = NULL;
  gboolean unsent;
  gint64 id;

  if (self->item == NULL || self->core == NULL)
    return;
  id = relay_order_item_get_id (self->item);
  row = relay_store_get_order (relay_core_get_store (self->core), id, NULL);
  /* What happens, said as it happens: an order never sent is canceled here
   * and now (relay_core_cancel_async()); a sent one is asked of the provider. */
  unsent = row != NULL &&
           (row->status == RELAY_ORDER_SCHEDULED || row->status == RELAY_ORDER_QUEUED ||
            (row->status == RELAY_ORDER_NEEDS_REVIEW &&
             g_strcmp0 (row->review_reason, RELAY_REVIEW_AWAITING_APPROVAL) == 0));
  /* Confirmations turned off in Preferences (the confirm-orders key). */
  if (!relay_pages_confirmations_enabled ())
    {
      start_cancel (self, id, unsent);
      return;
    }
  heading = g_strdup_printf (_("Cancel Order #%" PRId64 "?"), id);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                                           : NULL,
                                                       heading,
                                                       unsent
                                                       ? _("It was never sent to a provider: it is "
                                                           "canceled now and its whole charge is "
                                                           "refunded. This cannot be undone.")
                                                       : _("The provider is asked to stop it; what "
                                                           "was not delivered is refunded to the "
                                                           "client. This cannot be undone.")));
  g_object_set_data (G_OBJECT (dialog), "relay-unsent", GINT_TO_POINTER (unsent));
  adw_message_dialog_add_responses (dialog,
                                    "keep", _("_Keep Order"),
                                    "cancel", _("_Cancel Order"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "cancel", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "keep");
  adw_message_dialog_set_close_response (dialog, "keep");
  g_object_set_data (G_OBJECT (dialog), "relay-order-id", GSIZE_TO_POINTER ((gsize) id));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_cancel_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_copy_clicked (RelayOrderDetails *self)
{
  const char *link;

  if (self->item == NULL)
    return;
  link = relay_order_item_get_link (self->item);
  if (link == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), link);
  show_message (self, _("Link copied"));
}

void
relay_order_details_set_core (RelayOrderDetails *self,
                              RelayCore         *core)
{
  g_return_if_fail (RELAY_IS_ORDER_DETAILS (self));

  if (g_set_object (&self->core, core))
    {
      refresh (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CORE]);
    }
}

void
relay_order_details_set_item (RelayOrderDetails *self,
                              RelayOrderItem    *item)
{
  g_return_if_fail (RELAY_IS_ORDER_DETAILS (self));

  if (self->item == item)
    return;
  if (self->item != NULL)
    g_clear_signal_handler (&self->item_notify_id, self->item);
  g_set_object (&self->item, item);
  if (item != NULL)
    self->item_notify_id = g_signal_connect (item, "notify", G_CALLBACK (on_item_notify), self);
  refresh (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
}

RelayOrderItem *
relay_order_details_get_item (RelayOrderDetails *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER_DETAILS (self), NULL);
  return self->item;
}

const char *
relay_order_details_get_title (RelayOrderDetails *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER_DETAILS (self), NULL);
  return self->title;
}

guint
relay_order_details_get_n_events (RelayOrderDetails *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER_DETAILS (self), 0);
  return self->n_events;
}

static void
relay_order_details_dispose (GObject *object)
{
  RelayOrderDetails *self = RELAY_ORDER_DETAILS (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->item != NULL)
    g_clear_signal_handler (&self->item_notify_id, self->item);
  g_clear_object (&self->item);
  g_clear_object (&self->core);
  gtk_widget_dispose_template (GTK_WIDGET (self), RELAY_TYPE_ORDER_DETAILS);

  G_OBJECT_CLASS (relay_order_details_parent_class)->dispose (object);
}

static void
relay_order_details_finalize (GObject *object)
{
  RelayOrderDetails *self = RELAY_ORDER_DETAILS (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->cancel_requested, g_hash_table_unref);
  g_clear_pointer (&self->title, g_free);

  G_OBJECT_CLASS (relay_order_details_parent_class)->finalize (object);
}

static void
relay_order_details_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  RelayOrderDetails *self = RELAY_ORDER_DETAILS (object);

  switch (prop_id)
    {
    case PROP_CORE:
      g_value_set_object (value, self->core);
      break;
    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_order_details_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  RelayOrderDetails *self = RELAY_ORDER_DETAILS (object);

  switch (prop_id)
    {
    case PROP_CORE:
      relay_order_details_set_core (self, g_value_get_object (value));
      break;
    case PROP_ITEM:
      relay_order_details_set_item (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_order_details_class_init (RelayOrderDetailsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relay_order_details_dispose;
  object_class->finalize = relay_order_details_finalize;
  object_class->get_property = relay_order_details_get_property;
  object_class->set_property = relay_order_details_set_property;

  properties[PROP_CORE] =
    g_param_spec_object ("core", NULL, NULL, RELAY_TYPE_CORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL, RELAY_TYPE_ORDER_ITEM,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  signals[SIGNAL_TOAST] = relay_toast_signal_new (klass);

  g_type_ensure (RELAY_TYPE_STATUS_PILL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/smmrelay/SmmRelay/relay-order-details.ui");
  gtk_widget_class_bind_template_child (widget_class, RelayOrderDetails, stack);
  gtk_widget_class_bind_template_child (widget_class, RelayOrderDetails, title_label);
  gtk_widget_class_bind_template_child (widget_class, RelayOrderDetails, status_pill);
  gtk_widget_class_bind_template_child (widget_class, RelayOrderDetails, refill_button);
  gtk_widget_class_bind_template_child (widget_class, RelayOrderDetails, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, RelayOrderDetails, copy_button);
  gtk_widget_class_bind_template_child (widget_class, RelayOrderDetails, history_list);
  gtk_widget_class_bind_template_child (widget_class, RelayOrderDetails, client_value);
  gtk_widget_class_bind_template_child (widget_class, RelayOrderDetails, service_value);
  gtk_widget_class_bind_template_child (widget_class, RelayOrderDetails, provider_value);
  gtk_widget_class_bind_template_child (widget_class, RelayOrderDetails, provider_order_value);
  gtk_widget_class_bind_template_child (widget_class, RelayOrderDetails, link_value);
  gtk_widget_class_bind_template_child (widget_class, RelayOrderDetails, quantity_value);
  gtk_widget_class_bind_template_child (widget_class, RelayOrderDetails, delivered_value);
  gtk_widget_class_bind_template_child (widget_class, RelayOrderDetails, start_count_value);
  gtk_widget_class_bind_template_child (widget_class, RelayOrderDetails, remains_value);
  gtk_widget_class_bind_template_child (widget_class, RelayOrderDetails, header_box);
  gtk_widget_class_bind_template_child (widget_class, RelayOrderDetails, buttons_box);
  gtk_widget_class_bind_template_child (widget_class, RelayOrderDetails, body_box);
  gtk_widget_class_bind_template_child (widget_class, RelayOrderDetails, grid);
  gtk_widget_class_bind_template_child (widget_class, RelayOrderDetails, price_value);
  gtk_widget_class_bind_template_child (widget_class, RelayOrderDetails, refunded_value);
  gtk_widget_class_bind_template_child (widget_class, RelayOrderDetails, cost_value);
  gtk_widget_class_bind_template_child (widget_class, RelayOrderDetails, charge_value);
  gtk_widget_class_bind_template_child (widget_class, RelayOrderDetails, created_value);
  gtk_widget_class_bind_template_child (widget_class, RelayOrderDetails, sent_value);
  gtk_widget_class_bind_template_child (widget_class, RelayOrderDetails, updated_value);
  gtk_widget_class_bind_template_child (widget_class, RelayOrderDetails, attempts_value);
  gtk_widget_class_bind_template_child (widget_class, RelayOrderDetails, error_title);
  gtk_widget_class_bind_template_child (widget_class, RelayOrderDetails, error_value);
  gtk_widget_class_bind_template_callback (widget_class, on_refill_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_copy_clicked);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "orderdetails");
}

static void
relay_order_details_init (RelayOrderDetails *self)
{
  self->cancellable = g_cancellable_new ();
  self->cancel_requested = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
}
