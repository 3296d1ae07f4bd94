/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayNewOrderPage, placing: records the order through the core, sends it with the dispatcher,
 * and says what became of it. */
#include "config.h"

#include "relay-funds.h"
#include "relay-new-order-page-private.h"
#include "relay-dispatcher.h"
#include "relay-format.h"
#include "relay-pages-private.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

/* How the outcome looks in the result area. */
typedef enum
{
  OUTCOME_GOOD,
  OUTCOME_WAITING,
  OUTCOME_WARNING,
  OUTCOME_BAD,
} Outcome;

/* Local time, as everywhere in the window. */
static char *
format_local (gint64 unix_time)
{
  return relay_format_time (unix_time);
}

static void
show_result (RelayNewOrderPage *self, Outcome outcome, const char *text)
{
  static const char * const icons[] = {
    [OUTCOME_GOOD] = "emblem-ok-symbolic",
    [OUTCOME_WAITING] = "document-open-recent-symbolic",
    [OUTCOME_WARNING] = "dialog-warning-symbolic",
    [OUTCOME_BAD] = "dialog-error-symbolic",
  };
  static const char * const classes[] = {
    [OUTCOME_GOOD] = "relay-good",
    [OUTCOME_WAITING] = "relay-waiting",
    [OUTCOME_WARNING] = "relay-warning",
    [OUTCOME_BAD] = "relay-bad",
  };

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (self->result_box, classes[i]);
  gtk_widget_add_css_class (self->result_box, classes[outcome]);
  gtk_image_set_from_icon_name (self->result_icon, icons[outcome]);
  gtk_label_set_label (self->result_label, text);
  gtk_widget_set_visible (self->result_box, TRUE);
}

/* Whether @order stays queued because its provider's balance is short. */
static gboolean
order_waits_for_funds (RelayNewOrderPage *self, const RelayOrderRow *order)
{
  g_autoptr(RelayFundsState) state = NULL;

  if (order->error == NULL || order->provider_id <= 0)
    return FALSE;
  /* The panel's own refusal is told as the order's reply is recorded,
   * before the run records the provider's wait. */
  if (relay_funds_is_refusal (order->error))
    return TRUE;
  state = relay_core_provider_funds_state (self->core, order->provider_id, NULL);
  return state != NULL && state->waiting;
}

/* Says what became of @order: the window’s toast, with Show Order. */
static void
show_outcome (RelayNewOrderPage *self, const RelayOrderRow *order)
{
  g_autofree char *text = NULL;
  g_autofree char *when = NULL;
  char id[24];

  g_snprintf (id, sizeof id, "%" PRId64, order->id);
  switch (order->status)
    {
    case RELAY_ORDER_SCHEDULED:
      when = format_local (order->scheduled_at);
      text = g_strdup_printf (_("Order %s is scheduled for %s"), id, when);
      break;

    case RELAY_ORDER_QUEUED:
      if (order->attempts == 0 && order->error == NULL)
        text = g_strdup_printf (_("Order %s is queued and goes with the next send"), id);
      else if (order_waits_for_funds (self, order))
        /* Not retried at a time: it goes once a balance check covers it. */
        text = g_strdup_printf (_("Order %s stays queued: %s. It goes by itself once the balance covers it"),
                                id, order->error);
      else
        {
          when = format_local (order->next_attempt_at);
          text = g_strdup_printf (_("Order %s was not sent yet; it will be tried again at %s: %s"),
                                  id, when, order->error ? order->error : _("no reason given"));
        }
      break;

    case RELAY_ORDER_SENDING:
      text = g_strdup_printf (_("Order %s is being sent"), id);
      break;

    case RELAY_ORDER_FAILED:
      text = g_strdup_printf (_("Refused: %s (order %s is recorded as failed)"),
                              order->error ? order->error : _("no reason given"), id);
      break;

    case RELAY_ORDER_NEEDS_REVIEW:
      if (g_strcmp0 (order->review_reason, RELAY_REVIEW_AWAITING_APPROVAL) == 0)
        {
          text = g_strdup_printf (_("Order %s is waiting for your approval"), id);
        }
      else
        {
          text = g_strdup_printf (_("Order %s needs review: %s"), id,
                                  order->review_reason ? order->review_reason
                                  : order->error ? order->error : _("no reason given"));
        }
      break;

    case RELAY_ORDER_PENDING:
    case RELAY_ORDER_PROCESSING:
    case RELAY_ORDER_IN_PROGRESS:
    case RELAY_ORDER_COMPLETED:
    case RELAY_ORDER_PARTIAL:
    case RELAY_ORDER_CANCELED:
    case RELAY_ORDER_N_STATUSES:
    default:
      text = g_strdup_printf (_("Order %s sent to %s as %s"), id,
                              order->provider_name ? order->provider_name : _("the provider"),
                              order->provider_order_id ? order->provider_order_id : "?");
      break;
    }
  /* One message per event: the window's toast (with Show Order), not
   * a second one on the page. */
  gtk_widget_set_visible (self->result_box, FALSE);
  relay_new_order_page_emit_order_toast (self, text, order->id);
}

static void
set_sending (RelayNewOrderPage *self, gint64 order_id)
{
  if (self->sending_id == order_id)
    return;
  self->sending_id = order_id;
  gtk_widget_set_visible (GTK_WIDGET (self->place_spinner), order_id != 0);
  gtk_spinner_set_spinning (self->place_spinner, order_id != 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->place_button), self->valid && order_id == 0);
  relay_new_order_page_notify_busy (self);
}

static void
finish_sending (RelayNewOrderPage *self)
{
  g_autoptr(RelayOrderRow) order = NULL;
  g_autoptr(GError) error = NULL;

  if (self->sending_id == 0 || self->core == NULL)
    return;
  order = relay_store_get_order (relay_core_get_store (self->core), self->sending_id, &error);
  if (order != NULL)
    show_outcome (self, order);
  else
    show_result (self, OUTCOME_BAD, error->message);
  set_sending (self, 0);
}

void
relay_new_order_page_on_order_sent (RelayNewOrderPage *self,
                                    gint64             order_id,
                                    guint              status)
{
  if (order_id != 0 && order_id == self->sending_id)
    finish_sending (self);
}

static void
run_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(RelayNewOrderPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree RelayDispatchReport *report = NULL;

  report = relay_dispatcher_run_finish (RELAY_DISPATCHER (source), result, &error);
  /* Cancelled, or the page was disposed meanwhile: nothing to show. */
  if (self->core == NULL ||
      (report == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)))
    return;
  if (report == NULL)
    relay_new_order_page_emit_message (self, error->message);
  /* Stopped before our order went: say where it stands. */
  finish_sending (self);
}

static void
clear_for_next (RelayNewOrderPage *self)
{
  const RelayServiceRow *service = NULL;

  if (self->service != NULL)
    service = relay_service_item_get_row (self->service);

  gtk_editable_set_text (GTK_EDITABLE (self->link_entry), "");
  if (service != NULL && service->primary != NULL)
    relay_new_order_page_set_quantity (self, MAX (service->primary->min, 1));
  gtk_text_buffer_set_text (self->comments_buffer, "", -1);
  gtk_text_buffer_set_text (self->usernames_buffer, "", -1);
  gtk_editable_set_text (GTK_EDITABLE (self->username_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->hashtags_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->hashtag_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->media_entry), "");
  gtk_switch_set_active (self->schedule_switch, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->link_entry));
}

void
relay_new_order_page_place (RelayNewOrderPage *self)
{
  Form form;
  RelayOrderDraft draft = { 0 };
  g_autoptr(GPtrArray) drafts = g_ptr_array_new ();
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayOrderRow) order = NULL;
  g_autofree char *extra_json = NULL;
  gint64 order_id;

  if (self->core == NULL || !self->valid || self->sending_id != 0)
    return;

  relay_new_order_page_read_form (self, &form);
  extra_json = relay_order_extras_to_json (form.extras);
  draft.service_id = form.service->id;
  draft.client_id = relay_client_picker_get_client_id (self->client_picker);
  /* A subscription has no link: whatever is left in the hidden field stays out. */
  draft.link = (form.fields & RELAY_FIELD_LINK) ? form.link : "";
  draft.quantity = form.quantity;
  draft.extra_json = extra_json;
  draft.runs = form.runs;
  draft.interval = form.interval;
  draft.scheduled_at = form.scheduled_at;
  g_ptr_array_add (drafts, &draft);

  ids = relay_core_place_orders (self->core, drafts, "app", &error);
  relay_new_order_form_clear (&form);
  if (ids == NULL)
    {
      g_autofree char *sentence = relay_format_sentence (error->message);
      g_autofree char *text = g_strdup_printf (_("Not placed: %s"), sentence);

      show_result (self, OUTCOME_BAD, text);
      return;
    }

  order_id = g_array_index (ids, gint64, 0);
  relay_new_order_page_emit_placed (self, order_id);
  clear_for_next (self);

  order = relay_store_get_order (relay_core_get_store (self->core), order_id, &error);
  if (order == NULL)
    {
      show_result (self, OUTCOME_BAD, error->message);
      return;
    }
  if (order->status != RELAY_ORDER_QUEUED)
    {
      /* Scheduled, or waiting for approval: nothing to send now. */
      show_outcome (self, order);
      return;
    }

  {
    g_autofree char *text = NULL;
    char id[24];

    g_snprintf (id, sizeof id, "%" PRId64, order_id);
    text = g_strdup_printf (_("Sending order %s to %s…"), id,
                            order->provider_name ? order->provider_name : _("the provider"));
    show_result (self, OUTCOME_WAITING, text);
  }
  set_sending (self, order_id);
  relay_dispatcher_run_async (relay_core_get_dispatcher (self->core), self->cancellable,
                              run_done, g_object_ref (self));
}

