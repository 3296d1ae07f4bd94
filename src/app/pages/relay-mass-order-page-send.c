/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayMassOrderPage, sending: submit, the question before Send, recording the good lines,
 * sending them with progress and Stop, the outcomes and what the panel says of them, and
 * Import waiting while orders are sent. */
#include "config.h"

#include "relay-mass-order-page-private.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

static void update_import_wait (RelayMassOrderPage *self);
static void end_send_coming (RelayMassOrderPage *self);
static char *outcome_summary (RelayMassOrderPage *self);

/* ---- sending ---- */

static void
show_fraction (RelayMassOrderPage *self)
{
  gtk_progress_bar_set_fraction (self->progress_bar,
                                 self->n_submitted > 0
                                 ? (double) self->n_done / self->n_submitted : 0.0);
}

static void
show_progress (RelayMassOrderPage *self)
{
  g_autofree char *done = relay_format_count (self->n_done);
  g_autofree char *total = relay_format_count (self->n_submitted);
  g_autofree char *text = NULL;

  g_clear_handle_id (&self->progress_text_source, g_source_remove);
  self->progress_text_at = g_get_monotonic_time ();
  /* TRANSLATORS: progress of sending, e.g. "40 of 195" */
  text = g_strdup_printf (_("%s of %s"), done, total);
  gtk_progress_bar_set_text (self->progress_bar, text);
  show_fraction (self);
  /* The summary under the bar follows the bar, in the same frame, while
   * sending (once the first order is done: "N orders recorded; sending…"
   * until then) and after the run (a refresh sent what Stop left queued:
   * "3,000 of 3,000" stood beside "Stopped after 125 of 3,000", and "1,686
   * of 3,000" beside "Stopped after 1,744" when the summary went every
   * frame; and "0 orders sent" stood under a moving bar while sending). */
  if (gtk_widget_get_visible (self->progress_box) &&
      (self->n_done > 0 || !self->sending || self->run_end == RUN_STOPPING))
    {
      g_autofree char *summary = outcome_summary (self);

      relay_mass_order_page_show_result (self, summary);
    }
}

static gboolean
progress_text_timeout (gpointer user_data)
{
  RelayMassOrderPage *self = user_data;

  self->progress_text_source = 0;
  show_progress (self);
  return G_SOURCE_REMOVE;
}

/* While sending: the progress moves at most every PROGRESS_TEXT_MS (and
 * when all are done).  A new text or fraction has the window laid out again,
 * its size computed with X round trips (GTK 4.8 under X11): once a frame
 * while 10,000 orders went was a main loop busy in every frame. */
static void
show_progress_soon (RelayMassOrderPage *self)
{
  gint64 since_ms = (g_get_monotonic_time () - self->progress_text_at) / 1000;

  if (self->n_done >= self->n_submitted || since_ms >= PROGRESS_TEXT_MS)
    {
      show_progress (self);
      return;
    }
  if (self->progress_text_source == 0)
    self->progress_text_source = g_timeout_add ((guint) (PROGRESS_TEXT_MS - since_ms),
                                                progress_text_timeout, self);
}

/* While the good lines are recorded the text is what was submitted, and
 * while the page puts a text in (a slice a frame) it is the page's: a
 * user's edit is refused meanwhile. */
void
relay_mass_order_page_refuse_insert_while_busy (RelayMassOrderPage *self)
{
  if ((self->recording || self->pending_text != NULL) && !self->setting_text)
    g_signal_stop_emission_by_name (self->paste_buffer, "insert-text");
}

void
relay_mass_order_page_refuse_delete_while_busy (RelayMassOrderPage *self)
{
  if ((self->recording || self->pending_text != NULL) && !self->setting_text)
    g_signal_stop_emission_by_name (self->paste_buffer, "delete-range");
}

/* What a change of state leaves for the next frame: a frame that changes the
 * top of the page and its foot at once paints the whole page (GTK 4.8's
 * cairo renderer paints the box around all of a frame's changes: 15-25 ms
 * for a 10,000-line paste).  The summary beside Stop says "Recording…" until
 * the frame after the progress came over the text. */
static gboolean
settle_timeout (gpointer user_data)
{
  RelayMassOrderPage *self = user_data;

  self->settle_source = 0;
  if (self->clear_summary && self->sending)
    gtk_label_set_label (self->summary_label, "");
  self->clear_summary = FALSE;
  return G_SOURCE_REMOVE;
}

static void
settle_soon (RelayMassOrderPage *self)
{
  if (self->settle_source == 0)
    self->settle_source = g_timeout_add (FRAME_MS, settle_timeout, self);
}

static void
set_sending (RelayMassOrderPage *self, gboolean sending)
{
  gboolean stop_had_focus = gtk_widget_has_focus (GTK_WIDGET (self->stop_button));

  self->sending = sending;
  /* Not while the lines are recorded: a text view made read-only lays out
   * every line again (a 10,000-line paste: ~5 ms at once, then more in
   * idles); the text is replaced by the lines left right after, and until
   * then refuse_insert/delete_while_busy() keep it as it is. */
  if (!self->recording && self->pending_text == NULL)
    gtk_text_view_set_editable (self->paste_view, !sending);
  gtk_widget_set_sensitive (GTK_WIDGET (self->client_picker), !sending);
  /* Import (at the top of the page) stays as it is and says why it waits
   * (on_import_clicked()): made insensitive, it changed the top of the page
   * in the frames that animate Stop in at its foot, and each of them painted
   * the whole page (10-12 ms). */
  gtk_widget_set_visible (GTK_WIDGET (self->dismiss_button), !sending);
  gtk_widget_set_visible (GTK_WIDGET (self->stop_button), sending);
  gtk_widget_set_sensitive (GTK_WIDGET (self->stop_button), sending);
  gtk_stack_set_visible_child (self->action_stack,
                               sending ? GTK_WIDGET (self->stop_button)
                                       : GTK_WIDGET (self->submit_button));
  gtk_button_set_label (self->stop_button, _("_Stop"));
  relay_mass_order_page_update_submit (self);
  if (!sending)
    update_import_wait (self);
  /* Stop goes with the focus: to the outcome's close button, so that a
   * keyboard user stays in the page (GTK gave it to the header's menu). */
  if (!sending && stop_had_focus)
    {
      if (gtk_widget_get_visible (self->progress_box))
        gtk_widget_grab_focus (GTK_WIDGET (self->dismiss_button));
      else
        gtk_widget_grab_focus (GTK_WIDGET (self->paste_view));
    }
  g_object_notify_by_pspec (G_OBJECT (self), relay_mass_order_page_properties[PROP_BUSY]);
}

/* "sent as 23519", "failed: …", "needs review: …", read from the order book. */
static RelayMassLineState
describe_order (RelayMassOrderPage *self, gint64 order_id, char **out_text)
{
  g_autoptr(RelayOrderRow) order = NULL;
  g_autoptr(GError) error = NULL;

  order = relay_store_get_order (relay_core_get_store (self->core), order_id, &error);
  if (order == NULL)
    {
      *out_text = g_strdup (error->message);
      return RELAY_MASS_LINE_REVIEW;
    }
  switch (order->status)
    {
    case RELAY_ORDER_FAILED:
      /* TRANSLATORS: a mass-order line the provider refused */
      *out_text = g_strdup_printf (_("failed: %s"),
                                   order->error ? order->error : _("no reason given"));
      return RELAY_MASS_LINE_FAILED;

    case RELAY_ORDER_NEEDS_REVIEW:
      /* TRANSLATORS: a mass-order line whose outcome is not known */
      *out_text = g_strdup_printf (_("needs review: %s"),
                                   order->review_reason ? order->review_reason
                                   : order->error ? order->error : _("no reason given"));
      return RELAY_MASS_LINE_REVIEW;

    case RELAY_ORDER_QUEUED:
    case RELAY_ORDER_SCHEDULED:
      /* TRANSLATORS: a mass-order line whose request never left; it is sent again later */
      *out_text = g_strdup_printf (_("not sent yet, will retry: %s"),
                                   order->error ? order->error : _("no reason given"));
      return RELAY_MASS_LINE_RETRY;

    case RELAY_ORDER_SENDING:
      *out_text = g_strdup (_("being sent"));
      return RELAY_MASS_LINE_QUEUED;

    case RELAY_ORDER_PENDING:
    case RELAY_ORDER_PROCESSING:
    case RELAY_ORDER_IN_PROGRESS:
    case RELAY_ORDER_COMPLETED:
    case RELAY_ORDER_PARTIAL:
    case RELAY_ORDER_CANCELED:
    case RELAY_ORDER_N_STATUSES:
    default:
      /* TRANSLATORS: a mass-order line the provider took, with the provider's order id */
      *out_text = g_strdup_printf (_("sent as %s"),
                                   order->provider_order_id ? order->provider_order_id : "?");
      return RELAY_MASS_LINE_SENT;
    }
}

/* The count of the orders whose outcome is @state. */
static guint *
outcome_counter (RelayMassOrderPage *self,
                 RelayMassLineState  state)
{
  switch (state)
    {
    case RELAY_MASS_LINE_SENT:
      return &self->n_sent;
    case RELAY_MASS_LINE_FAILED:
      return &self->n_failed;
    case RELAY_MASS_LINE_RETRY:
      return &self->n_retry;
    case RELAY_MASS_LINE_REVIEW:
    case RELAY_MASS_LINE_READY:
    case RELAY_MASS_LINE_BAD:
    case RELAY_MASS_LINE_QUEUED:
    default:
      return &self->n_review;
    }
}

/* Records what became of @order_id (one of the last submit's) and counts it
 * once: an order tried again (waiting for funds, a retry) moves from its
 * last outcome to the new one, it is not one more done. */
static void
count_outcome (RelayMassOrderPage *self,
               gint64              order_id)
{
  g_autofree char *text = NULL;
  RelayMassLineState state;
  gpointer before;

  state = describe_order (self, order_id, &text);
  relay_mass_plan_model_set_outcome (self->sent_model, order_id, state, text);

  if (g_hash_table_lookup_extended (self->counted, &order_id, NULL, &before))
    {
      guint *counter = outcome_counter (self, (RelayMassLineState) (GPOINTER_TO_UINT (before) - 1));

      if (*counter > 0)
        (*counter)--;
    }
  else
    self->n_done++;
  g_hash_table_insert (self->counted, g_memdup2 (&order_id, sizeof order_id),
                       GUINT_TO_POINTER ((guint) state + 1));
  (*outcome_counter (self, state))++;
}

/* The outcomes of the orders sent since the last time, and the progress once. */
static void
show_outcomes (RelayMassOrderPage *self)
{
  g_clear_handle_id (&self->outcomes_source, g_source_remove);
  if (self->sent_ids->len == 0)
    return;
  for (guint i = 0; i < self->sent_ids->len; i++)
    count_outcome (self, g_array_index (self->sent_ids, gint64, i));
  g_array_set_size (self->sent_ids, 0);
  show_progress_soon (self);
}

static gboolean
outcomes_timeout (gpointer user_data)
{
  RelayMassOrderPage *self = user_data;

  self->outcomes_source = 0;
  show_outcomes (self);
  return G_SOURCE_REMOVE;
}

/* A wave of answers brings many of these at once: they are shown together,
 * at most once a frame. */
void
relay_mass_order_page_on_order_sent (RelayMassOrderPage *self,
                                     gint64              order_id,
                                     guint               status)
{
  /* Other pages and the app's own sends go through the same dispatcher. */
  if (self->core == NULL || self->sent_model == NULL ||
      !relay_mass_plan_model_has_order (self->sent_model, order_id))
    return;
  g_array_append_val (self->sent_ids, order_id);
  if (self->outcomes_source == 0)
    self->outcomes_source = g_timeout_add (FRAME_MS, outcomes_timeout, self);
}

/* Adds @format (already translated, with one %s for the count) filled with @n. */
static void
add_part (GPtrArray *parts, const char *format, guint n)
{
  g_autofree char *count = relay_format_count (n);

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  g_ptr_array_add (parts, g_strdup_printf (format, count));
#pragma GCC diagnostic pop
}

/* The requests of ours already out while Stop is awaited: the orders
 * recorded as being sent (the book keeps their count), at most those of
 * ours without an outcome. */
static guint
requests_out (RelayMassOrderPage *self,
              guint               n_left)
{
  RelayOrderQuery query = { .filter = RELAY_ORDER_FILTER_STATUS, .status = RELAY_ORDER_SENDING };
  gint64 n = relay_store_count_orders (relay_core_get_store (self->core), &query, NULL);

  return (guint) CLAMP (n, 0, (gint64) n_left);
}

/* "195 orders sent · 2 refused · 5 lines with errors are left above for fixing" */
static char *
outcome_summary (RelayMassOrderPage *self)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *joined = NULL;
  guint n_left = self->n_submitted - MIN (self->n_done, self->n_submitted);
  gboolean ended = self->run_end == RUN_STOPPED || self->run_end == RUN_CUT_SHORT;

  add_part (parts, g_dngettext (GETTEXT_PACKAGE, "%s order sent", "%s orders sent",
                                self->n_sent),
            self->n_sent);
  if (self->n_failed > 0)
    add_part (parts, g_dngettext (GETTEXT_PACKAGE, "%s refused", "%s refused", self->n_failed),
              self->n_failed);
  if (self->n_review > 0)
    add_part (parts, g_dngettext (GETTEXT_PACKAGE, "%s needs review", "%s need review",
                                  self->n_review),
              self->n_review);
  if (self->n_retry > 0)
    add_part (parts, g_dngettext (GETTEXT_PACKAGE, "%s not sent yet, will retry",
                                  "%s not sent yet, will retry", self->n_retry),
              self->n_retry);
  if (n_left > 0 && self->run_end == RUN_GOING)
    add_part (parts, g_dngettext (GETTEXT_PACKAGE, "%s still queued", "%s still queued", n_left),
              n_left);
  if (self->n_bad_left > 0)
    add_part (parts, g_dngettext (GETTEXT_PACKAGE, "%s line with errors is left above for fixing",
                                  "%s lines with errors are left above for fixing",
                                  self->n_bad_left),
              self->n_bad_left);
  g_ptr_array_add (parts, NULL);

  /* Stop was pressed and the requests already out are awaited: their
   * outcomes still come, so no count is final yet (it said "Stopped after
   * 72" beside "Stopping…", then 96). */
  if (self->run_end == RUN_STOPPING)
    {
      g_autofree char *done = relay_format_count (self->n_done);
      g_autofree char *total = relay_format_count (self->n_submitted);
      guint n_out = requests_out (self, n_left);
      g_autofree char *out = relay_format_count (n_out);
      g_autofree char *stopping = NULL;

      /* TRANSLATORS: "Stopping: 72 of 300 sent, waiting for 24 requests already out…" */
      stopping = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "Stopping: %s of %s sent, waiting for %s "
                                               "request already out…",
                                               "Stopping: %s of %s sent, waiting for %s "
                                               "requests already out…", n_out),
                                  done, total, out);
      /* The sent count is said above: only the other parts follow. */
      joined = g_strjoinv (" · ", (char **) parts->pdata + 1);
      return *joined != '\0' ? g_strdup_printf ("%s %s", stopping, joined)
                             : g_steal_pointer (&stopping);
    }
  joined = g_strjoinv (" · ", (char **) parts->pdata);

  /* Stop (or the book) ended the run after n_done_at_stop orders; the
   * orders it left queued that a refresh sent since are told apart:
   * "Stopped after N" stays the count the end left (it rose with every order
   * the refresh sent, as if Stop had not stopped). */
  if (ended && self->n_done > self->n_done_at_stop)
    {
      g_autofree char *done = relay_format_count (self->n_done_at_stop);
      g_autofree char *total = relay_format_count (self->n_submitted);
      g_autofree char *since = relay_format_count (self->n_done - self->n_done_at_stop);
      g_autofree char *left = relay_format_count (n_left);
      g_autofree char *stopped = NULL;

      if (n_left == 0)
        {
          if (self->run_end == RUN_CUT_SHORT)
            /* TRANSLATORS: after "120 orders sent · …": "sending stopped after 40 of 120
             * (the order book was busy or could not be written); a refresh sent the
             * other 80" */
            stopped = g_strdup_printf (_("sending stopped after %s of %s (the order book was "
                                         "busy or could not be written); a refresh sent the "
                                         "other %s"),
                                       done, total, since);
          else
            /* TRANSLATORS: after "120 orders sent · …": "stopped after 40 of 120; a refresh
             * sent the other 80" */
            stopped = g_strdup_printf (_("stopped after %s of %s; a refresh sent the other %s"),
                                       done, total, since);
          return g_strdup_printf ("%s · %s", joined, stopped);
        }
      if (self->run_end == RUN_CUT_SHORT)
        /* TRANSLATORS: "Sending stopped after 40 of 195: the order book was busy or could
         * not be written (another program may be holding it); since then a refresh sent
         * 30 more and 125 stay queued." */
        stopped = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "Sending stopped after %s of %s: the order book "
                                                "was busy or could not be written (another "
                                                "program may be holding it); since then a "
                                                "refresh sent %s more and %s stays queued.",
                                                "Sending stopped after %s of %s: the order book "
                                                "was busy or could not be written (another "
                                                "program may be holding it); since then a "
                                                "refresh sent %s more and %s stay queued.",
                                                n_left),
                                   done, total, since, left);
      else
        /* TRANSLATORS: "Stopped after 40 of 195; since then a refresh sent 30 more and 125
         * stay queued." */
        stopped = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "Stopped after %s of %s; since then a refresh "
                                                "sent %s more and %s stays queued.",
                                                "Stopped after %s of %s; since then a refresh "
                                                "sent %s more and %s stay queued.", n_left),
                                   done, total, since, left);
      return g_strdup_printf ("%s %s", stopped, joined);
    }
  if (ended && n_left > 0)
    {
      g_autofree char *done = relay_format_count (self->n_done);
      g_autofree char *total = relay_format_count (self->n_submitted);
      g_autofree char *left = relay_format_count (n_left);
      g_autofree char *stopped = NULL;

      if (self->run_end == RUN_CUT_SHORT)
        /* TRANSLATORS: "Sending stopped after 37 of 200: the order book was busy or could
         * not be written (another program may be holding it). The other 163 stay queued;
         * the next refresh sends them unless you cancel them in Orders." */
        stopped = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "Sending stopped after %s of %s: the order book "
                                                "was busy or could not be written (another "
                                                "program may be holding it). The other %s stays "
                                                "queued; the next refresh sends it unless you "
                                                "cancel it in Orders.",
                                                "Sending stopped after %s of %s: the order book "
                                                "was busy or could not be written (another "
                                                "program may be holding it). The other %s stay "
                                                "queued; the next refresh sends them unless you "
                                                "cancel them in Orders.", n_left),
                                   done, total, left);
      else
        /* TRANSLATORS: "Stopped after 40 of 195: the other 155 stay queued; the next
         * refresh sends them unless you cancel them in Orders." */
        stopped = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "Stopped after %s of %s: the other %s stays "
                                                "queued; the next refresh sends it unless you "
                                                "cancel it in Orders.",
                                                "Stopped after %s of %s: the other %s stay "
                                                "queued; the next refresh sends them unless you "
                                                "cancel them in Orders.", n_left),
                                   done, total, left);
      return g_strdup_printf ("%s %s", stopped, joined);
    }
  return g_steal_pointer (&joined);
}

static void
run_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(RelayMassOrderPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree RelayDispatchReport *report = NULL;
  g_autofree char *summary = NULL;

  report = relay_dispatcher_run_finish (RELAY_DISPATCHER (source), result, &error);
  /* Cancelled, or the page was disposed meanwhile: nothing to show. */
  if (self->core == NULL ||
      (report == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)))
    return;
  if (report == NULL)
    relay_mass_order_page_emit_message (self, error->message);

  show_outcomes (self);
  /* What Stop left: from here on a refresh may send the rest.  A run that
   * ends with orders of ours never tried, and not by our Stop, was cut
   * short when the dispatcher says so: it stops when it cannot record an
   * order as being sent (another process holds the book's write lock past
   * its timeout, the disk is full) or read the due orders.  Orders another
   * process took meanwhile leave it uncut (they are not ours to count). */
  if (self->run_end == RUN_STOPPING)
    {
      self->run_end = RUN_STOPPED;
      self->n_done_at_stop = self->n_done;
    }
  else if (self->run_end == RUN_GOING && self->n_done < self->n_submitted &&
           !relay_dispatcher_get_stop_error (RELAY_DISPATCHER (source), NULL))
    {
      self->run_end = RUN_CUT_SHORT;
      self->n_done_at_stop = self->n_done;
    }
  set_sending (self, FALSE);
  show_progress (self);
  summary = outcome_summary (self);
  relay_mass_order_page_show_result (self, summary);
  self->clear_summary = FALSE;
  gtk_label_set_label (self->summary_label, "");
  /* One message per event: the summary stands under the progress bar; a
   * toast says it only to someone who went to another page meanwhile. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    relay_mass_order_page_emit_message (self, summary);
  if (self->replan_after)
    relay_mass_order_page_schedule_replan (self);
}

typedef struct
{
  RelayMassOrderPage *page;
  RelayMassPlanModel *model;   /* the plan being recorded */
  char               *text;    /* the text it was made of */
} SubmitData;

static void
submit_data_free (SubmitData *data)
{
  g_object_unref (data->page);
  g_object_unref (data->model);
  g_free (data->text);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SubmitData, submit_data_free)

/* The lines of @data's text left once its good ones are orders: the bad
 * ones, below the CSV's header when the text is CSV and has one. */
static char *
dup_text_left (SubmitData *data,
               gboolean    csv)
{
  char *bad_text = relay_mass_plan_model_dup_bad_text (data->model);
  g_autofree char *header = NULL;

  if (!csv || *bad_text == '\0')
    return bad_text;
  header = relay_mass_order_page_dup_csv_header (data->text,
                                                 relay_mass_plan_model_get_plan (data->model));
  if (header == NULL)
    return bad_text;
  {
    char *with_header = g_strconcat (header, "\n", bad_text, NULL);

    g_free (bad_text);
    return with_header;
  }
}

static void submit_recorded (GObject      *source,
                             GAsyncResult *result,
                             gpointer      user_data);

/* The good lines are recorded (or not): the rest of a submit. */
static void
submit_recorded_run (GObject      *source,
                     GAsyncResult *result,
                     SubmitData   *data_)
{
  g_autoptr(SubmitData) data = data_;
  RelayMassOrderPage *self = data->page;
  RelayMassPlan *plan = relay_mass_plan_model_get_plan (data->model);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *bad_text = NULL;
  g_autofree char *recorded = NULL;
  gboolean stopped;

  ids = relay_core_submit_mass_order_finish (RELAY_CORE (source), result, &error);
  self->recording = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), relay_mass_order_page_properties[PROP_RECORDING]);
  /* The page left its window meanwhile (its text kept as a draft, whole):
   * what was recorded is in the book (the application's refresh sends it)
   * and the draft keeps only the lines left. */
  if (self->draft_saved && ids != NULL)
    {
      g_autofree char *left = dup_text_left (data, self->csv_name != NULL);

      relay_mass_order_page_save_draft (self, left);
    }
  if (self->core == NULL)
    return;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* Planned again below, from the text as it is now. */
  self->sending = FALSE;
  if (ids == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Nothing was recorded: %s"), error->message);

      set_sending (self, FALSE);
      /* The lines are still there to send: their summary, not "Recording…". */
      if (self->model != NULL)
        relay_mass_order_page_show_plan_summary (self);
      relay_mass_order_page_show_result (self, text);
      if (self->replan_after)
        relay_mass_order_page_schedule_replan (self);
      return;
    }

  relay_mass_plan_model_set_order_ids (data->model, ids);
  /* The outcomes of the submit before are counted for it. */
  show_outcomes (self);
  g_set_object (&self->sent_model, data->model);
  /* Stop pressed while recording (since this submit began): the orders
   * wait in the book. */
  stopped = self->stop_requested;
  self->stop_requested = FALSE;
  self->run_end = stopped ? RUN_STOPPED : RUN_GOING;
  self->n_done_at_stop = 0;
  self->n_submitted = ids->len;
  self->n_bad_left = plan->n_bad;
  self->n_done = self->n_sent = self->n_failed = self->n_review = self->n_retry = 0;
  g_hash_table_remove_all (self->counted);
  if (ids->len > 0)
    g_signal_emit (self, relay_mass_order_page_signals[SIGNAL_ORDER_PLACED], 0, g_array_index (ids,
                                                                                               gint64, 0));

  /* The good lines are orders now: only the bad ones stay for fixing, and
   * the preview, its line numbers and the marks are planned again from
   * them, as after typing (the progress and the summary tell the outcomes). */
  /* A CSV keeps its header above them, so its columns are read the same. */
  bad_text = dup_text_left (data, self->csv_name != NULL);
  relay_mass_order_page_put_text (self, bad_text, -1, TRUE);

  recorded = relay_format_count (ids->len);
  {
    g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                          "%s order recorded; sending…",
                                                          "%s orders recorded; sending…",
                                                          ids->len),
                                             recorded);
    relay_mass_order_page_show_result (self, text);
  }
  /* "Recording…" beside Stop goes a frame later (see settle_timeout()). */
  self->clear_summary = TRUE;
  settle_soon (self);
  show_progress (self);
  if (stopped)
    {
      g_autofree char *summary = NULL;

      set_sending (self, FALSE);
      summary = outcome_summary (self);
      relay_mass_order_page_show_result (self, summary);
      if (self->replan_after)
        relay_mass_order_page_schedule_replan (self);
      return;
    }
  set_sending (self, TRUE);
  relay_dispatcher_run_async (relay_core_get_dispatcher (self->core), self->cancellable,
                              run_done, g_object_ref (self));
}

static void
submit (RelayMassOrderPage *self)
{
  SubmitData *data;
  RelayMassPlan *plan;

  if (self->core == NULL || self->sending)
    return;
  /* Only the plan of the text as it is (see on_submit_clicked()). */
  if (self->replan_source != 0 || self->planning || self->pending_text != NULL ||
      self->model == NULL)
    return;
  plan = relay_mass_plan_model_get_plan (self->model);
  if (plan->n_good == 0)
    return;

  /* Recorded in one transaction on a thread of the core's: the window stays
   * responsive for 10,000 lines.  Meanwhile the text is read-only and no
   * second submit starts (sending). */
  data = g_new0 (SubmitData, 1);
  data->page = g_object_ref (self);
  data->model = g_object_ref (self->model);
  data->text = relay_pages_dup_text_view (self->paste_view);
  self->recording = TRUE;
  /* A Stop of an earlier submit is not this one's (it was read when this
   * one's lines were recorded: every later send showed as stopped). */
  self->stop_requested = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), relay_mass_order_page_properties[PROP_RECORDING]);
  /* Stop is there at once (it takes the focus from the question): pressed
   * while the lines are recorded, they stay queued and nothing is sent. */
  set_sending (self, TRUE);
  {
    g_autofree char *count = relay_format_count (plan->n_good);
    g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Recording %s order…",
                                                          "Recording %s orders…", plan->n_good),
                                             count);

    gtk_label_set_label (self->summary_label, text);
  }
  relay_core_submit_mass_order_async (self->core, plan,
                                      relay_client_picker_get_client_id (self->client_picker),
                                      self->cancellable, submit_recorded, data);
}

/* ::notify::recording comes once the rest of the submit is done (the lines
 * left in the text, the run started): a quit waiting for it goes on from a
 * page in order. */
static void
submit_recorded (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SubmitData *data = user_data;
  g_autoptr(RelayMassOrderPage) self = g_object_ref (data->page);

  g_object_freeze_notify (G_OBJECT (self));
  submit_recorded_run (source, result, data);
  g_object_thaw_notify (G_OBJECT (self));
}

/* Whether @a and @b send the same orders at the same prices: the same good
 * lines (service, link, quantity, client, drip-feed, price) and total. */
gboolean
relay_mass_order_page_plans_send_the_same (RelayMassPlan *a,
                                           RelayMassPlan *b)
{
  if (a->n_good != b->n_good || a->n_bad != b->n_bad || a->total != b->total ||
      g_strcmp0 (a->currency, b->currency) != 0 || a->items->len != b->items->len)
    return FALSE;
  for (guint i = 0; i < a->items->len; i++)
    {
      const RelayMassItem *x = g_ptr_array_index (a->items, i);
      const RelayMassItem *y = g_ptr_array_index (b->items, i);

      if ((x->error == NULL) != (y->error == NULL))
        return FALSE;
      if (x->error != NULL)
        continue;
      if (x->price != y->price || x->client_id != y->client_id ||
          (x->service == NULL) != (y->service == NULL) ||
          (x->service != NULL && x->service->id != y->service->id) ||
          x->line->quantity != y->line->quantity || x->line->runs != y->line->runs ||
          x->line->interval != y->line->interval ||
          g_strcmp0 (x->line->link, y->line->link) != 0 ||
          g_strcmp0 (x->line->client, y->line->client) != 0)
        return FALSE;
    }
  return TRUE;
}

/* Whether @a shows as @b does: the same orders at the same prices, the same
 * errors, the same service names. */
gboolean
relay_mass_order_page_plans_show_the_same (RelayMassPlan *a,
                                           RelayMassPlan *b)
{
  if (!relay_mass_order_page_plans_send_the_same (a, b))
    return FALSE;
  for (guint i = 0; i < a->items->len; i++)
    {
      const RelayMassItem *x = g_ptr_array_index (a->items, i);
      const RelayMassItem *y = g_ptr_array_index (b->items, i);

      if (g_strcmp0 (x->error, y->error) != 0 ||
          (x->service == NULL) != (y->service == NULL) ||
          (x->service != NULL && (x->service->id != y->service->id ||
                                  g_strcmp0 (x->service->name, y->service->name) != 0)) ||
          x->line->line_no != y->line->line_no)
        return FALSE;
    }
  return TRUE;
}

/* ---- asking before sending ---- */

/* Whether the keyboard focus is on @widget or inside it. */
gboolean
relay_mass_order_page_has_focus_within (GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

/* Takes the question away (Cancel, Escape, Send, an edit, a new plan); the
 * keyboard focus it had goes back to Submit, to Stop, or to the text. */
void
relay_mass_order_page_hide_confirmation (RelayMassOrderPage *self)
{
  gboolean had_focus;

  if (self->confirm_model == NULL)
    return;
  had_focus = relay_mass_order_page_has_focus_within (self->confirm_box);
  g_clear_object (&self->confirm_model);
  gtk_widget_set_visible (self->confirm_box, FALSE);
  relay_mass_order_page_update_submit (self);
  /* After Send, to Stop: focusing the 10,000-line text restyled it and its
   * view (a frame of 5-10 ms more right after Send). */
  if (had_focus)
    {
      if (gtk_widget_get_sensitive (GTK_WIDGET (self->submit_button)))
        gtk_widget_grab_focus (GTK_WIDGET (self->submit_button));
      else if (gtk_widget_get_visible (GTK_WIDGET (self->stop_button)) &&
               gtk_widget_get_sensitive (GTK_WIDGET (self->stop_button)))
        gtk_widget_grab_focus (GTK_WIDGET (self->stop_button));
      else
        gtk_widget_grab_focus (GTK_WIDGET (self->paste_view));
    }
}

/* Asks "@heading" / "@body" above the page's buttons, for the plan on
 * screen: Cancel has the focus (as a dialog's default answer), Escape is
 * Cancel, Send sends.  Meanwhile Submit waits, and an edit of the text or an
 * import takes the question away (its numbers would be old).  The client
 * stays as it is, to be changed before Send (the orders take the one shown
 * when Send is pressed; the question does not name it): nothing else of the
 * page changes, so the frame that shows the question paints only it and
 * Submit (GTK 4.8's cairo renderer paints the box around all of a frame's
 * changes: the client and Import made it the whole page, 19-20 ms). */
static void
show_confirmation (RelayMassOrderPage *self,
                   const char         *heading,
                   const char         *body)
{
  g_set_object (&self->confirm_model, self->model);
  gtk_label_set_label (self->confirm_heading, heading);
  gtk_label_set_label (self->confirm_body, body);
  gtk_widget_set_visible (self->confirm_box, TRUE);
  relay_mass_order_page_update_submit (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->confirm_cancel_button));
}

void
relay_mass_order_page_on_confirm_cancel_clicked (RelayMassOrderPage *self)
{
  relay_mass_order_page_hide_confirmation (self);
}

/* Escape on the page while asking is Cancel; otherwise it goes on. */
gboolean
relay_mass_order_page_on_escape (GtkWidget *widget,
                                 GVariant  *args,
                                 gpointer   user_data)
{
  RelayMassOrderPage *self = RELAY_MASS_ORDER_PAGE (widget);

  if (self->confirm_model == NULL)
    return FALSE;
  relay_mass_order_page_hide_confirmation (self);
  return TRUE;
}

static void
confirm_send (RelayMassOrderPage *self)
{
  RelayMassPlanModel *confirmed = self->confirm_model;

  if (confirmed == NULL)
    return;
  /* Only the plan whose total was shown: if prices or lines changed while
   * asking, the new total is shown and asked for again.  A plan made again
   * meanwhile (a balance check or a catalog sync says the catalog changed)
   * that sends the same orders at the same prices is the one confirmed. */
  if (self->replan_source != 0 || self->planning || self->model == NULL ||
      (self->model != confirmed &&
       !relay_mass_order_page_plans_send_the_same (relay_mass_plan_model_get_plan (self->model),
                             relay_mass_plan_model_get_plan (confirmed))))
    {
      relay_mass_order_page_hide_confirmation (self);
      relay_mass_order_page_emit_message (self,
                                          _("The lines or prices changed; check the new total and submit again"));
      return;
    }
  /* Sending first (Submit stays insensitive), then the question goes and
   * the progress comes in its place. */
  submit (self);
  relay_mass_order_page_hide_confirmation (self);
}

/* Sending, or not after all: Import waits only while sending. */
void
relay_mass_order_page_on_confirm_send_clicked (RelayMassOrderPage *self)
{
  confirm_send (self);
  end_send_coming (self);
}

static void
submit_clicked (RelayMassOrderPage *self)
{
  RelayMassPlan *plan;
  g_autofree char *count = NULL;
  g_autofree char *total = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;

  if (self->core == NULL || self->sending || self->confirm_model != NULL)
    return;
  /* What is on screen may be up to 300 ms older than the text: its plan
   * first, then this again. */
  if (self->replan_source != 0 || self->planning || self->pending_text != NULL)
    {
      self->submit_when_planned = TRUE;
      if (!self->planning)
        relay_mass_order_page_replan (self);
      return;
    }
  if (self->model == NULL)
    return;
  plan = relay_mass_plan_model_get_plan (self->model);
  if (plan->n_good == 0)
    return;
  if (plan->total <= 0 || !relay_pages_confirmations_enabled ())
    {
      submit (self);
      return;
    }

  count = relay_format_count (plan->n_good);
  total = relay_format_money (plan->total, plan->currency, RELAY_MONEY_STYLE_TOTAL);
  /* TRANSLATORS: the question before a mass order is sent: "Send 98 Orders for 123.45 USD?" */
  heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Send %s Order for %s?",
                                          "Send %s Orders for %s?", plan->n_good),
                             count, total);
  if (plan->n_bad > 0)
    {
      g_autofree char *bad = relay_format_count (plan->n_bad);

      body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "They are recorded and sent to the providers now. "
                                           "%s line with an error stays in the text for fixing.",
                                           "They are recorded and sent to the providers now. "
                                           "%s lines with errors stay in the text for fixing.",
                                           plan->n_bad),
                              bad);
    }
  else
    body = g_strdup (_("They are recorded and sent to the providers now."));
  show_confirmation (self, heading, body);
}

void
relay_mass_order_page_on_submit_clicked (RelayMassOrderPage *self)
{
  submit_clicked (self);
  end_send_coming (self);
}

void
relay_mass_order_page_on_stop_clicked (RelayMassOrderPage *self)
{
  if (!self->sending || self->core == NULL)
    return;
  self->stop_requested = TRUE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->stop_button), FALSE);
  gtk_button_set_label (self->stop_button, _("Stopping…"));
  /* Requests already sent finish and are recorded; nothing new starts.
   * While the lines are recorded no run of ours is going yet: none starts
   * (submit_recorded()). */
  if (!self->recording)
    {
      self->run_end = RUN_STOPPING;
      relay_dispatcher_stop (relay_core_get_dispatcher (self->core));
      /* "Stopping: N of M sent, waiting for …" at once. */
      show_progress (self);
    }
}

/* ---- Import while sending ---- */

/* Whether Import waits: orders are being recorded or sent, or Send was
 * pressed with the keyboard and clicks in a moment. */
gboolean
relay_mass_order_page_import_waits (RelayMassOrderPage *self)
{
  return self->sending || self->send_coming;
}

/* "Import is available again when the orders being sent are done" (shown when Import
 * is clicked meanwhile) stands only while Import waits. */
static void
update_import_wait (RelayMassOrderPage *self)
{
  if (!relay_mass_order_page_import_waits (self) &&
      gtk_widget_get_visible (GTK_WIDGET (self->import_wait_label)))
    gtk_widget_set_visible (GTK_WIDGET (self->import_wait_label), FALSE);
}

/* The click of a Send pressed with the keyboard came (or never will). */
static void
end_send_coming (RelayMassOrderPage *self)
{
  self->send_coming = FALSE;
  g_clear_handle_id (&self->send_coming_source, g_source_remove);
  update_import_wait (self);
}

static gboolean
send_coming_timeout (gpointer user_data)
{
  RelayMassOrderPage *self = user_data;

  self->send_coming_source = 0;
  end_send_coming (self);
  return G_SOURCE_REMOVE;
}

/* GTK clicks a button pressed with the keyboard (its mnemonic, Enter,
 * Space) 250 ms later, showing it pressed meanwhile: Import clicked then
 * opened the file chooser, and the file chosen was refused, the orders
 * being sent by then.  From the key on, Import waits as while sending. */
static void
begin_send_coming (RelayMassOrderPage *self)
{
  self->send_coming = TRUE;
  g_clear_handle_id (&self->send_coming_source, g_source_remove);
  self->send_coming_source = g_timeout_add (SEND_COMING_MS, send_coming_timeout, self);
}

void
relay_mass_order_page_on_send_activate (RelayMassOrderPage *self)
{
  if (self->confirm_model != NULL && !self->sending &&
      gtk_widget_get_sensitive (GTK_WIDGET (self->confirm_send_button)))
    begin_send_coming (self);
}

/* Submit sends at once when it asks nothing (no question wanted, or the
 * lines cost nothing). */
void
relay_mass_order_page_on_submit_activate (RelayMassOrderPage *self)
{
  RelayMassPlan *plan = self->model != NULL ? relay_mass_plan_model_get_plan (self->model) : NULL;

  if (plan != NULL && plan->n_good > 0 && !self->sending && self->confirm_model == NULL &&
      gtk_widget_get_sensitive (GTK_WIDGET (self->submit_button)) &&
      (plan->total <= 0 || !relay_pages_confirmations_enabled ()))
    begin_send_coming (self);
}
