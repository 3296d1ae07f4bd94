/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayMassOrderPage: re-plans the pasted text 300 ms after the last change (on a worker of the
 * core), shows every line through RelayMassPlanModel, records the good lines in one transaction
 * and sends them with a progress bar and a Stop button.  Nothing here takes the main loop for
 * long: the rows of the preview come a slice per frame and the outcomes of sent orders are
 * shown at most once per frame. */
#include "config.h"

#include "relay-mass-order-page-private.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

G_DEFINE_FINAL_TYPE (RelayMassOrderPage, relay_mass_order_page, GTK_TYPE_WIDGET)

GParamSpec *relay_mass_order_page_properties[N_PROPS];
guint relay_mass_order_page_signals[N_SIGNALS];

void
relay_mass_order_page_emit_message (RelayMassOrderPage *self, const char *text)
{
  g_signal_emit (self, relay_mass_order_page_signals[SIGNAL_MESSAGE], 0, text);
}

/* ---- the example and the marks in the text ---- */

/* A link of the kind @primary takes, to show in the example. */
static const char *
example_link (const RelayCatalogRow *primary)
{
  RelayPlatform platform;
  RelayLinkKind kind;

  relay_link_classify_service (primary->name, primary->category, &platform, &kind);
  switch (platform)
    {
    case RELAY_PLATFORM_INSTAGRAM:
      return kind == RELAY_LINK_POST ? "https://instagram.com/p/Cx1aB2cD3eF/"
                                     : "https://instagram.com/name";
    case RELAY_PLATFORM_TIKTOK:
      return kind == RELAY_LINK_POST ? "https://tiktok.com/@name/video/7234567890123456789"
                                     : "https://tiktok.com/@name";
    case RELAY_PLATFORM_YOUTUBE:
      return kind == RELAY_LINK_POST ? "https://youtube.com/watch?v=dQw4w9WgXcQ"
                                     : "https://youtube.com/@name";
    default:
      return NULL;
    }
}

/* The example under the label is a line that passes on this page: one of my
 * services (its number, not the provider's), a link it takes, a quantity in
 * its limits. */
static void
update_example (RelayMassOrderPage *self)
{
  g_autoptr(GPtrArray) services = NULL;
  g_autofree char *example = NULL;
  g_autofree char *id_text = NULL;
  g_autofree char *text = NULL;

  if (self->core != NULL)
    services = relay_store_list_services (relay_core_get_store (self->core), NULL);
  for (guint i = 0; services != NULL && i < services->len && example == NULL; i++)
    {
      const RelayServiceRow *service = g_ptr_array_index (services, i);
      const RelayCatalogRow *primary = service->primary;
      const char *link;
      gint64 quantity = 1000;

      if (primary == NULL || primary->removed ||
          !(relay_service_type_fields (primary->type, FALSE) & RELAY_FIELD_QUANTITY) ||
          !relay_service_check_orderable (service, NULL) ||
          (link = example_link (primary)) == NULL)
        continue;
      if (quantity < primary->min)
        quantity = primary->min;
      if (primary->max > 0 && quantity > primary->max)
        quantity = primary->max;
      example = g_strdup_printf ("%" G_GINT64_FORMAT " | %s | %" G_GINT64_FORMAT,
                                 service->id, link, quantity);
      id_text = g_strdup_printf ("%" G_GINT64_FORMAT, service->id);
    }
  if (example != NULL)
    /* TRANSLATORS: %s is a line the page accepts, e.g. "1 | https://instagram.com/name | 1000" */
    text = g_strdup_printf (_("For example “%s”, where %s is the number of one of your "
                              "services. Each line is checked as you type; lines with errors "
                              "are underlined and stay here for fixing, the others are sent."),
                            example, id_text);
  else
    text = g_strdup (_("The service is the number of one of your services (see Services). "
                       "Each line is checked as you type; lines with errors are underlined and "
                       "stay here for fixing, the others are sent."));
  gtk_label_set_label (self->example_label, text);
}

/* Underlines the lines with errors in the text. */
static void
mark_bad_lines (RelayMassOrderPage *self, RelayMassPlan *plan)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (self->paste_buffer, &start, &end);
  gtk_text_buffer_remove_tag (self->paste_buffer, self->bad_line_tag, &start, &end);
  for (guint i = 0; plan != NULL && i < plan->items->len; i++)
    {
      const RelayMassItem *item = g_ptr_array_index (plan->items, i);
      guint line;

      if (item->error == NULL || item->line == NULL || item->line->line_no == 0)
        continue;
      line = item->line->line_no - 1;
      if ((int) line >= gtk_text_buffer_get_line_count (self->paste_buffer))
        continue;
      gtk_text_buffer_get_iter_at_line (self->paste_buffer, &start, (int) line);
      end = start;
      if (!gtk_text_iter_ends_line (&end))
        gtk_text_iter_forward_to_line_end (&end);
      gtk_text_buffer_apply_tag (self->paste_buffer, self->bad_line_tag, &start, &end);
    }
}

/* A click on a row of the preview selects its line in the text. */
static void
on_preview_activate (RelayMassOrderPage *self, guint position)
{
  GListModel *model = G_LIST_MODEL (gtk_column_view_get_model (self->preview_view));
  g_autoptr(RelayMassLineItem) item = NULL;
  GtkTextIter start, end;
  guint line;

  if (model == NULL || position >= g_list_model_get_n_items (model))
    return;
  item = g_list_model_get_item (model, position);
  line = relay_mass_line_item_get_line_number (item);
  if (line == 0 || (int) line > gtk_text_buffer_get_line_count (self->paste_buffer))
    return;
  gtk_text_buffer_get_iter_at_line (self->paste_buffer, &start, (int) line - 1);
  end = start;
  if (!gtk_text_iter_ends_line (&end))
    gtk_text_iter_forward_to_line_end (&end);
  gtk_text_buffer_select_range (self->paste_buffer, &start, &end);
  gtk_text_view_scroll_to_iter (self->paste_view, &start, 0.1, FALSE, 0, 0);
  gtk_widget_grab_focus (GTK_WIDGET (self->paste_view));
}

/* My services' names by id, for the lines whose service is known but wrong. */
static GHashTable *
service_names (RelayMassOrderPage *self)
{
  RelayStore *store = relay_core_get_store (self->core);
  g_autoptr(GPtrArray) services = relay_store_list_services (store, NULL);
  GHashTable *names = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);

  for (guint i = 0; services != NULL && i < services->len; i++)
    {
      const RelayServiceRow *service = g_ptr_array_index (services, i);

      g_hash_table_insert (names, g_memdup2 (&service->id, sizeof service->id),
                           g_strdup (service->name));
    }
  return names;
}

/* ---- Import CSV… ---- */

/* The CSV's header record, to keep above the lines left after a partial
 * submit; NULL when the file has none (its first record was an order). */
char *
relay_mass_order_page_dup_csv_header (const char *text, RelayMassPlan *plan)
{
  g_autoptr(GPtrArray) records = NULL;
  const RelayCsvRecord *first;
  gsize len = strlen (text);

  records = relay_csv_read (text, (gssize) len, relay_csv_guess_separator (text, (gssize) len));
  if (records == NULL || records->len == 0)
    return NULL;
  first = g_ptr_array_index (records, 0);
  for (guint i = 0; i < plan->items->len; i++)
    {
      const RelayMassItem *item = g_ptr_array_index (plan->items, i);

      if (item->line != NULL && item->line->line_no == first->line_no)
        return NULL;
    }
  return g_strdup (first->text);
}

/* Shows which file the lines came from, or nothing when they were typed. */
static void
show_import (RelayMassOrderPage *self)
{
  g_autofree char *text = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->import_label), self->csv_name != NULL);
  if (self->csv_name == NULL)
    return;
  /* TRANSLATORS: above the text of an imported CSV file of orders */
  text = g_strdup_printf (_("From %s, read as CSV (service, link, quantity; optional client, runs, "
                            "interval). Clear the text to paste lines instead."),
                          self->csv_name);
  gtk_label_set_label (self->import_label, text);
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; p != NULL && *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}

/* Returns the tasks waiting for a plan to be shown: TRUE, or @error. */
static void
return_plan_waiters (RelayMassOrderPage *self,
                     const GError       *error)
{
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->plan_waiters);

  self->plan_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; waiters != NULL && i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
}

/* Shows the plan the core made of the text (or why there is none). */
static void
show_plan (RelayMassOrderPage *self,
           RelayMassPlan      *plan,
           const GError       *error)
{
  g_autoptr(RelayMassPlanModel) model = NULL;
  g_autoptr(GHashTable) names = NULL;

  if (plan == NULL)
    {
      /* Nothing of the old plan may be submitted under this error. */
      relay_mass_order_page_hide_confirmation (self);
      relay_mass_order_page_set_model (self, NULL);
      mark_bad_lines (self, NULL);
      relay_mass_order_page_update_submit (self);
      gtk_widget_set_visible (GTK_WIDGET (self->balance_label), FALSE);
      gtk_label_set_label (self->summary_label, error->message);
      return;
    }
  /* Asking for Send of a plan that no longer stands (a catalog sync
   * changed a price): the new total is shown, to be submitted again. */
  if (self->confirm_model != NULL &&
      !relay_mass_order_page_plans_send_the_same (plan,
                                                  relay_mass_plan_model_get_plan (self->confirm_model)))
    {
      relay_mass_order_page_hide_confirmation (self);
      relay_mass_order_page_emit_message (self,
                                          _("The lines or prices changed; check the new total and submit again"));
    }
  /* A catalog or balance change that changes nothing the preview shows (a
   * refresh records every provider's balance: each is a ::catalog-changed):
   * the rows stay as they are.  Replacing them (the rows, the marks in the
   * text, the summary) for a 10,000-line paste while a refresh ran was a
   * frame of 25-30 ms.  The summary and its balance warning are read again. */
  if (self->model != NULL &&
      relay_mass_order_page_plans_show_the_same (plan,
                                                 relay_mass_plan_model_get_plan (self->model)))
    {
      relay_mass_plan_free (plan);
      if (!self->sending)
        relay_mass_order_page_show_plan_summary (self);
      relay_mass_order_page_update_submit (self);
      return;
    }
  if (plan->n_bad > 0)
    names = service_names (self);
  model = relay_mass_plan_model_new (plan, names);
  relay_mass_order_page_set_model (self, model);
  mark_bad_lines (self, plan);
  /* While the last submit is recorded and sent, its progress and outcome
   * stand there instead. */
  if (!self->sending)
    relay_mass_order_page_show_plan_summary (self);
  relay_mass_order_page_update_submit (self);
}

static void
plan_ready (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(RelayMassOrderPage) self = user_data;
  g_autoptr(GError) error = NULL;
  RelayMassPlan *plan;

  plan = relay_core_plan_mass_order_finish (RELAY_CORE (source), result, &error);
  /* A newer plan is on its way, or the page went away. */
  if (plan == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (self->core == NULL)
    {
      g_clear_pointer (&plan, relay_mass_plan_free);
      return;
    }
  self->planning = FALSE;
  g_clear_object (&self->plan_cancellable);
  show_plan (self, plan, error);
  return_plan_waiters (self, NULL);
  if (self->submit_when_planned)
    {
      self->submit_when_planned = FALSE;
      relay_mass_order_page_on_submit_clicked (self);
    }
}

/* Parses and checks the whole text on the core's worker (one pass over the
 * lines, off the main loop); the plan is shown when it comes, and the rows of
 * the preview are only made for the lines on screen. */
static void
plan_text (RelayMassOrderPage *self, gboolean even_if_sending)
{
  g_autofree char *text = NULL;

  g_clear_handle_id (&self->replan_source, g_source_remove);
  if (self->core == NULL)
    {
      return_plan_waiters (self, NULL);
      return;
    }
  /* Planned once the whole text is in (put_text_slice()). */
  if (self->pending_text != NULL)
    return;
  if (self->sending && !even_if_sending)
    {
      self->replan_after = TRUE;
      return;
    }
  self->replan_after = FALSE;

  text = relay_pages_dup_text_view (self->paste_view);
  /* Cleared, the box takes pasted lines again. */
  if (self->csv_name != NULL && is_blank (text))
    {
      g_clear_pointer (&self->csv_name, g_free);
      show_import (self);
    }
  /* Only the newest text's plan is shown. */
  if (self->plan_cancellable != NULL)
    g_cancellable_cancel (self->plan_cancellable);
  g_clear_object (&self->plan_cancellable);
  self->plan_cancellable = g_cancellable_new ();
  self->planning = TRUE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->submit_button), FALSE);
  relay_mass_order_page_update_send (self);
  relay_core_plan_mass_order_async (self->core, text, self->csv_name != NULL,
                                    self->plan_cancellable, plan_ready, g_object_ref (self));
}

void
relay_mass_order_page_replan (RelayMassOrderPage *self)
{
  plan_text (self, FALSE);
}

static gboolean
replan_timeout (gpointer user_data)
{
  RelayMassOrderPage *self = user_data;

  self->replan_source = 0;
  relay_mass_order_page_replan (self);
  return G_SOURCE_REMOVE;
}

void
relay_mass_order_page_schedule_replan (RelayMassOrderPage *self)
{
  g_clear_handle_id (&self->replan_source, g_source_remove);
  self->replan_source = g_timeout_add (REPLAN_DELAY_MS, replan_timeout, self);
  relay_mass_order_page_update_send (self);
}

/* Under the panel over the foot of the text (the progress, the outcome) the
 * text has a bottom gutter as tall as the panel and its margin: an empty
 * widget (panel_space) whose height is the panel's at the text's width.
 * The text's visible area ends above the panel, so what GTK scrolls into
 * view lies above it: the cursor after Ctrl+End, an arrow key or typing, a
 * line picked in the preview; the wheel scrolls the last lines there too.
 * (A bottom margin as tall as the panel let the wheel do that, but GTK's
 * scroll-to-cursor counts the whole view as visible and left the cursor's
 * line under the panel.)  A gutter's height changes the visible area only:
 * no line is laid out again, so it also follows the panel while the page
 * puts a long text in. */
static int
panel_space_height (RelayMassOrderPage *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self->paste_view)) - 2 * PANEL_MARGIN;
  int height = 0;

  if (!gtk_widget_get_visible (self->progress_box))
    return 0;
  /* With its margin under it. */
  gtk_widget_measure (self->progress_box, GTK_ORIENTATION_VERTICAL, width > 0 ? width : -1,
                      NULL, &height, NULL, NULL);
  return height + PANEL_GAP;
}

static void
measure_panel_space (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  RelayMassOrderPage *self = g_object_get_data (G_OBJECT (widget), "relay-mass-order-page");
  int height = 0;

  if (orientation == GTK_ORIENTATION_VERTICAL && self != NULL)
    {
      height = panel_space_height (self);
      self->panel_space_height = height;
      self->panel_space_width = gtk_widget_get_width (GTK_WIDGET (self->paste_view));
    }
  *minimum = *natural = height;
}

/* Nothing in it to allocate. */
static void
allocate_panel_space (GtkWidget *widget,
                      int        width,
                      int        height,
                      int        baseline)
{
}

/* The panel came, went or changed: the gutter under it follows (measured
 * again only when the panel's height changes: not for each new count of
 * the progress). */
static void
fit_panel_space (RelayMassOrderPage *self)
{
  gtk_widget_set_visible (self->panel_space, gtk_widget_get_visible (self->progress_box));
  if (gtk_widget_get_visible (self->panel_space) &&
      panel_space_height (self) != self->panel_space_height)
    gtk_widget_queue_resize (self->panel_space);
}

static gboolean
refit_panel_space (gpointer user_data)
{
  RelayMassOrderPage *self = user_data;

  self->refit_source = 0;
  if (self->panel_space != NULL && gtk_widget_get_visible (self->panel_space))
    gtk_widget_queue_resize (self->panel_space);
  return G_SOURCE_REMOVE;
}

/* The text's width changed (the window's did): the panel's text may wrap
 * on more or fewer lines, and the text view measures its gutter for no
 * width (the height found for the old width would stand).  Measured again
 * after this layout (a resize queued while the text view is laid out left
 * the gutter without a size in the frame). */
static void
on_text_width_changed (RelayMassOrderPage *self)
{
  if (self->panel_space == NULL || !gtk_widget_get_visible (self->panel_space) ||
      self->panel_space_width == gtk_widget_get_width (GTK_WIDGET (self->paste_view)) ||
      self->refit_source != 0)
    return;
  self->refit_source = g_idle_add (refit_panel_space, self);
}

/* Shows @text as the outcome (or the progress's words) in the panel over the
 * foot of the text. */
void
relay_mass_order_page_show_result (RelayMassOrderPage *self,
                                   const char         *text)
{
  gtk_label_set_label (self->result_label, text);
  gtk_widget_set_visible (self->progress_box, TRUE);
  fit_panel_space (self);
}

/* The outcome of the run that ended goes (the progress stays while sending). */
static void
dismiss_outcome (RelayMassOrderPage *self)
{
  if (!self->sending && gtk_widget_get_visible (self->progress_box))
    {
      gtk_widget_set_visible (self->progress_box, FALSE);
      gtk_label_set_label (self->result_label, "");
      fit_panel_space (self);
    }
}

static void
on_dismiss_clicked (RelayMassOrderPage *self)
{
  gboolean had_focus = relay_mass_order_page_has_focus_within (self->progress_box);

  dismiss_outcome (self);
  if (had_focus)
    gtk_widget_grab_focus (GTK_WIDGET (self->paste_view));
}

static void
on_text_changed (RelayMassOrderPage *self)
{
  if (self->setting_text)
    return;
  /* Typing after Submit: the new lines are checked first, and submitted
   * only when Submit is pressed again; a question asked for the old ones
   * goes (its count and total would be old). */
  self->submit_when_planned = FALSE;
  relay_mass_order_page_hide_confirmation (self);
  /* New lines after a run that ended: its outcome (told in a notification
   * too) no longer stands under them. */
  dismiss_outcome (self);
  /* Until the plan is redone, the button would send the old one. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->submit_button), FALSE);
  relay_mass_order_page_schedule_replan (self);
}

static void
on_catalog_changed (RelayMassOrderPage *self)
{
  /* Prices or services changed: check the lines again. */
  update_example (self);
  if (!self->sending)
    relay_mass_order_page_schedule_replan (self);
}

/* The end of the next TEXT_SLICE_LINES lines of @text from @at. */
static gsize
slice_end (const char *text, gsize at)
{
  const char *p = text + at;

  for (guint n = 0; n < TEXT_SLICE_LINES && *p != '\0'; n++)
    {
      const char *newline = strchr (p, '\n');

      p = newline != NULL ? newline + 1 : p + strlen (p);
    }
  return (gsize) (p - text);
}

/* Appends the next slice of the pending text; the whole text in, it is
 * planned at once.  FALSE when done. */
static gboolean
put_text_slice (RelayMassOrderPage *self)
{
  gsize end;
  GtkTextIter iter;

  self->setting_text = TRUE;
  if (self->pending_clear)
    {
      /* The old text, from its end: a 10,000-line text taken out at once
       * held the main loop 5-9 ms (the view's lines go with it). */
      int n_lines = gtk_text_buffer_get_line_count (self->paste_buffer);
      GtkTextIter start;

      gtk_text_buffer_get_end_iter (self->paste_buffer, &iter);
      if (n_lines > TEXT_SLICE_LINES)
        gtk_text_buffer_get_iter_at_line (self->paste_buffer, &start, n_lines - TEXT_SLICE_LINES);
      else
        {
          gtk_text_buffer_get_start_iter (self->paste_buffer, &start);
          self->pending_clear = FALSE;
        }
      gtk_text_buffer_begin_irreversible_action (self->paste_buffer);
      gtk_text_buffer_delete (self->paste_buffer, &start, &iter);
      gtk_text_buffer_end_irreversible_action (self->paste_buffer);
      if (self->pending_clear)
        {
          self->setting_text = FALSE;
          return TRUE;
        }
    }
  end = slice_end (self->pending_text, self->pending_at);
  gtk_text_buffer_get_end_iter (self->paste_buffer, &iter);
  gtk_text_buffer_begin_irreversible_action (self->paste_buffer);
  gtk_text_buffer_insert (self->paste_buffer, &iter, self->pending_text + self->pending_at,
                          (int) (end - self->pending_at));
  gtk_text_buffer_end_irreversible_action (self->paste_buffer);
  self->setting_text = FALSE;
  self->pending_at = end;
  if (self->pending_text[end] != '\0')
    return TRUE;
  g_clear_pointer (&self->pending_text, g_free);
  /* Read-only while sending, now that it is short (see set_sending()). */
  gtk_text_view_set_editable (self->paste_view, !self->sending);
  fit_panel_space (self);
  plan_text (self, self->plan_when_put);
  return FALSE;
}

static gboolean
put_text_timeout (gpointer user_data)
{
  RelayMassOrderPage *self = user_data;

  if (put_text_slice (self))
    return G_SOURCE_CONTINUE;
  self->pending_source = 0;
  return G_SOURCE_REMOVE;
}

/* Replaces the text with @text (@len bytes, -1: up to its end), the old
 * one taken out and the new one put in a slice of TEXT_SLICE_LINES lines a
 * frame (meanwhile a user's edit is refused), and plans it once it is all
 * in (@even_if_sending: also while orders are sent). */
void
relay_mass_order_page_put_text (RelayMassOrderPage *self, const char *text, gssize len,
                                gboolean even_if_sending)
{
  g_clear_handle_id (&self->pending_source, g_source_remove);
  g_clear_pointer (&self->pending_text, g_free);
  g_clear_handle_id (&self->replan_source, g_source_remove);
  self->submit_when_planned = FALSE;
  relay_mass_order_page_hide_confirmation (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->submit_button), FALSE);
  self->pending_text = len < 0 ? g_strdup (text) : g_strndup (text, (gsize) len);
  self->pending_at = 0;
  self->pending_clear = TRUE;
  self->plan_when_put = even_if_sending;
  if (put_text_slice (self))
    self->pending_source = g_timeout_add (FRAME_MS, put_text_timeout, self);
}

/* ---- Import CSV… ---- */

static void
import_loaded (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RelayMassOrderPage *self = g_task_get_source_object (task);
  GFile *file = G_FILE (source);
  g_autofree char *contents = NULL;
  g_autofree char *name = g_file_get_basename (file);
  GError *error = NULL;
  gsize len = 0;

  if (!g_file_load_contents_finish (file, result, &contents, &len, NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  /* The file may have grown since its size was asked. */
  if (len > RELAY_MASS_ORDER_CSV_MAX_BYTES)
    {
      g_autofree char *message = relay_mass_order_describe_too_large (name, len);

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", message);
      return;
    }
  if (!g_utf8_validate (contents, (gssize) len, NULL))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("%s is not UTF-8 text; save it as “CSV UTF-8” and import it again"),
                               name);
      return;
    }
  if (self->core == NULL || self->sending)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_BUSY,
                               _("Orders are being sent; import the file when they are done"));
      return;
    }
  g_free (self->csv_name);
  self->csv_name = g_file_get_parse_name (file);
  show_import (self);
  /* Planned once it is all in: the preview and its errors stand when this
   * completes. */
  g_ptr_array_add (self->plan_waiters, g_steal_pointer (&task));
  relay_mass_order_page_put_text (self, contents, (gssize) len, FALSE);
}

static void
import_queried (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GFile *file = G_FILE (source);
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *name = g_file_get_basename (file);
  GCancellable *cancellable;
  GError *error = NULL;

  info = g_file_query_info_finish (file, result, &error);
  if (info == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                               _("%s is not a file"), name);
      return;
    }
  /* Checked before reading: a huge file is never loaded into memory. */
  if (g_file_info_get_size (info) > RELAY_MASS_ORDER_CSV_MAX_BYTES)
    {
      g_autofree char *message = relay_mass_order_describe_too_large (name,
                                                                      g_file_info_get_size (info));

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", message);
      return;
    }
  cancellable = g_task_get_cancellable (task);
  g_file_load_contents_async (file, cancellable, import_loaded, g_steal_pointer (&task));
}

void
relay_mass_order_page_import_csv_async (RelayMassOrderPage  *self,
                                        GFile               *file,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (RELAY_IS_MASS_ORDER_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_mass_order_page_import_csv_async);
  g_file_query_info_async (file, G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_STANDARD_SIZE,
                           G_FILE_QUERY_INFO_NONE, G_PRIORITY_DEFAULT, cancellable,
                           import_queried, g_steal_pointer (&task));
}

gboolean
relay_mass_order_page_import_csv_finish (RelayMassOrderPage  *self,
                                         GAsyncResult        *result,
                                         GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_import_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  RelayMassOrderPage *self = RELAY_MASS_ORDER_PAGE (source);
  g_autoptr(GError) error = NULL;

  if (!relay_mass_order_page_import_csv_finish (self, result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *text = g_strdup_printf (_("Could not import the file: %s"), error->message);

      gtk_label_set_label (self->summary_label, text);
      relay_mass_order_page_emit_message (self, text);
    }
}

static void
on_import_response (GtkNativeDialog    *dialog,
                    int                 response,
                    RelayMassOrderPage *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  if (self->file_chooser == dialog)
    g_clear_object (&self->file_chooser);
  if (file != NULL)
    relay_mass_order_page_import_csv_async (self, file, self->cancellable, on_import_done, NULL);
}

static void
on_import_clicked (RelayMassOrderPage *self)
{
  GtkNativeDialog *dialog;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr(GtkFileFilter) csv = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  if (self->core == NULL || self->file_chooser != NULL)
    return;
  if (relay_mass_order_page_import_waits (self))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->import_wait_label), TRUE);
      return;
    }
  dialog = GTK_NATIVE_DIALOG (gtk_file_chooser_native_new (_("Import Orders from CSV"),
                                                           GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                           GTK_FILE_CHOOSER_ACTION_OPEN,
                                                           _("_Import"), _("_Cancel")));
  gtk_file_filter_set_name (csv, _("CSV files"));
  gtk_file_filter_add_mime_type (csv, "text/csv");
  gtk_file_filter_add_suffix (csv, "csv");
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), csv);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), all);
  gtk_native_dialog_set_modal (dialog, TRUE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_import_response), self, 0);
  self->file_chooser = dialog;
  gtk_native_dialog_show (dialog);
}

/* ---- the draft: the text not sent, kept beside the book ---- */

#define DRAFT_GROUP "Draft"

/* Keeps @text (and whether it is CSV, from which file) as the draft, or
 * removes the draft when @text is blank.  Written whole or not at all. */
void
relay_mass_order_page_save_draft (RelayMassOrderPage *self,
                                  const char         *text)
{
  g_autoptr(GKeyFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize len = 0;

  if (self->draft_path == NULL)
    return;
  self->draft_saved = TRUE;
  if (is_blank (text))
    {
      if (g_unlink (self->draft_path) != 0 && errno != ENOENT)
        g_warning ("Could not remove the mass order draft %s: %s", self->draft_path,
                   g_strerror (errno));
      return;
    }
  file = g_key_file_new ();
  g_key_file_set_string (file, DRAFT_GROUP, "Text", text);
  if (self->csv_name != NULL)
    g_key_file_set_string (file, DRAFT_GROUP, "CsvName", self->csv_name);
  data = g_key_file_to_data (file, &len, NULL);
  /* Clients' links: readable by the user only, as the book is. */
  if (!g_file_set_contents_full (self->draft_path, data, (gssize) len,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    g_warning ("Could not keep the mass order draft: %s", error->message);
}

/* The text the page holds or is putting in, as it will stand. */
static char *
dup_text (RelayMassOrderPage *self)
{
  if (self->pending_text != NULL)
    return g_strdup (self->pending_text);
  return relay_pages_dup_text_view (self->paste_view);
}

/* The text not sent stays for the next start, when the page leaves its
 * window (closed, or the application quits) or goes (a submit being
 * recorded keeps it whole until its lines are orders: submit_recorded_run()). */
static void
keep_draft (RelayMassOrderPage *self)
{
  g_autofree char *text = NULL;

  if (self->paste_view == NULL || self->core == NULL)
    return;
  text = dup_text (self);
  relay_mass_order_page_save_draft (self, text);
}

/* Puts the draft kept for this book back in the text, once: it is removed
 * as it is read (the page keeps the text from then on). */
static void
restore_draft (RelayMassOrderPage *self)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (self->draft_path == NULL ||
      !g_key_file_load_from_file (file, self->draft_path, G_KEY_FILE_NONE, &error))
    {
      if (error != NULL && !g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_warning ("Could not read the mass order draft: %s", error->message);
      return;
    }
  text = g_key_file_get_string (file, DRAFT_GROUP, "Text", NULL);
  g_unlink (self->draft_path);
  if (text == NULL || is_blank (text) || !g_utf8_validate (text, -1, NULL))
    return;
  g_free (self->csv_name);
  self->csv_name = g_key_file_get_string (file, DRAFT_GROUP, "CsvName", NULL);
  show_import (self);
  relay_mass_order_page_put_text (self, text, -1, FALSE);
}

/* ---- the object ---- */

void
relay_mass_order_page_set_core (RelayMassOrderPage *self,
                                RelayCore          *core)
{
  g_return_if_fail (RELAY_IS_MASS_ORDER_PAGE (self));
  g_return_if_fail (core == NULL || RELAY_IS_CORE (core));

  if (self->core == core)
    return;
  relay_mass_order_page_hide_confirmation (self);
  if (self->core != NULL)
    {
      g_clear_signal_handler (&self->catalog_changed_id, relay_core_get_store (self->core));
      g_clear_signal_handler (&self->order_sent_id, relay_core_get_dispatcher (self->core));
    }
  g_set_object (&self->core, core);
  g_clear_pointer (&self->draft_path, g_free);
  if (self->core != NULL && relay_store_is_shared (relay_core_get_store (self->core)))
    self->draft_path = g_strconcat (relay_store_get_path (relay_core_get_store (self->core)),
                                    ".mass-order-draft", NULL);
  if (self->core != NULL)
    {
      self->catalog_changed_id =
        g_signal_connect_object (relay_core_get_store (self->core), "catalog-changed",
                                 G_CALLBACK (on_catalog_changed), self, G_CONNECT_SWAPPED);
      self->order_sent_id =
        g_signal_connect_object (relay_core_get_dispatcher (self->core), "order-sent",
                                 G_CALLBACK (relay_mass_order_page_on_order_sent), self,
                                 G_CONNECT_SWAPPED);
    }
  relay_client_picker_set_core (self->client_picker, core);
  relay_funds_banner_set_core (self->funds_banner, core);
  update_example (self);
  relay_mass_order_page_replan (self);
  /* The text the last page on this book did not send. */
  restore_draft (self);
  g_object_notify_by_pspec (G_OBJECT (self), relay_mass_order_page_properties[PROP_CORE]);
}

static void
relay_mass_order_page_dispose (GObject *object)
{
  RelayMassOrderPage *self = RELAY_MASS_ORDER_PAGE (object);
  GtkWidget *child;

  keep_draft (self);
  g_cancellable_cancel (self->cancellable);
  if (self->plan_cancellable != NULL)
    g_cancellable_cancel (self->plan_cancellable);
  g_clear_object (&self->plan_cancellable);
  g_clear_handle_id (&self->replan_source, g_source_remove);
  g_clear_handle_id (&self->preview_source, g_source_remove);
  g_clear_handle_id (&self->outcomes_source, g_source_remove);
  g_clear_handle_id (&self->progress_text_source, g_source_remove);
  g_clear_handle_id (&self->settle_source, g_source_remove);
  g_clear_handle_id (&self->pending_source, g_source_remove);
  g_clear_handle_id (&self->send_coming_source, g_source_remove);
  g_clear_handle_id (&self->refit_source, g_source_remove);
  if (self->panel_space != NULL)
    g_object_set_data (G_OBJECT (self->panel_space), "relay-mass-order-page", NULL);
  self->panel_space = NULL;
  g_clear_pointer (&self->pending_text, g_free);
  if (self->plan_waiters != NULL && self->plan_waiters->len > 0)
    {
      /* Never shown: a cancelled import says nothing. */
      g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                     "cancelled");

      return_plan_waiters (self, error);
    }
  if (self->file_chooser != NULL)
    gtk_native_dialog_destroy (self->file_chooser);
  g_clear_object (&self->file_chooser);
  if (self->core != NULL)
    {
      g_clear_signal_handler (&self->catalog_changed_id, relay_core_get_store (self->core));
      g_clear_signal_handler (&self->order_sent_id, relay_core_get_dispatcher (self->core));
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), RELAY_TYPE_MASS_ORDER_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->model);
  g_clear_object (&self->sent_model);
  g_clear_object (&self->confirm_model);
  g_clear_object (&self->preview_rows);
  g_clear_object (&self->core);

  G_OBJECT_CLASS (relay_mass_order_page_parent_class)->dispose (object);
}

static void
relay_mass_order_page_finalize (GObject *object)
{
  RelayMassOrderPage *self = RELAY_MASS_ORDER_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->csv_name, g_free);
  g_clear_pointer (&self->draft_path, g_free);
  g_clear_pointer (&self->plan_waiters, g_ptr_array_unref);
  g_clear_pointer (&self->sent_ids, g_array_unref);
  g_clear_pointer (&self->counted, g_hash_table_unref);

  G_OBJECT_CLASS (relay_mass_order_page_parent_class)->finalize (object);
}

static void
relay_mass_order_page_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  RelayMassOrderPage *self = RELAY_MASS_ORDER_PAGE (object);

  switch (prop_id)
    {
    case PROP_CORE:
      g_value_set_object (value, self->core);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->sending);
      break;
    case PROP_RECORDING:
      g_value_set_boolean (value, self->recording);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_mass_order_page_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  RelayMassOrderPage *self = RELAY_MASS_ORDER_PAGE (object);

  switch (prop_id)
    {
    case PROP_CORE:
      relay_mass_order_page_set_core (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The mark of a bad line is libadwaita's error colour, which has 3:1 and
 * more against the view in the light and the dark style (Pango's default
 * error underline is a faint fixed pink); looked up again when the style
 * changes. */
static void
update_mark_color (RelayMassOrderPage *self)
{
  GdkRGBA color;

  if (self->bad_line_tag == NULL)
    return;
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (gtk_style_context_lookup_color (gtk_widget_get_style_context (GTK_WIDGET (self->paste_view)),
                                      "error_color", &color))
    g_object_set (self->bad_line_tag, "underline-rgba", &color, NULL);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static void
relay_mass_order_page_root (GtkWidget *widget)
{
  RelayMassOrderPage *self = RELAY_MASS_ORDER_PAGE (widget);

  GTK_WIDGET_CLASS (relay_mass_order_page_parent_class)->root (widget);
  /* In a window again: the text is the page's, not a draft's. */
  if (self->draft_saved && self->draft_path != NULL)
    g_unlink (self->draft_path);
  self->draft_saved = FALSE;
}

static void
relay_mass_order_page_unroot (GtkWidget *widget)
{
  keep_draft (RELAY_MASS_ORDER_PAGE (widget));
  GTK_WIDGET_CLASS (relay_mass_order_page_parent_class)->unroot (widget);
}

static void
relay_mass_order_page_css_changed (GtkWidget         *widget,
                                   GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (relay_mass_order_page_parent_class)->css_changed (widget, change);
  update_mark_color (RELAY_MASS_ORDER_PAGE (widget));
}

static void
relay_mass_order_page_class_init (RelayMassOrderPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relay_mass_order_page_dispose;
  object_class->finalize = relay_mass_order_page_finalize;
  object_class->get_property = relay_mass_order_page_get_property;
  object_class->set_property = relay_mass_order_page_set_property;
  widget_class->css_changed = relay_mass_order_page_css_changed;
  widget_class->root = relay_mass_order_page_root;
  widget_class->unroot = relay_mass_order_page_unroot;

  relay_mass_order_page_properties[PROP_CORE] =
    g_param_spec_object ("core", NULL, NULL, RELAY_TYPE_CORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);
  relay_mass_order_page_properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  relay_mass_order_page_properties[PROP_RECORDING] =
    g_param_spec_boolean ("recording", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, relay_mass_order_page_properties);

  relay_mass_order_page_signals[SIGNAL_MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
  relay_mass_order_page_signals[SIGNAL_ORDER_PLACED] =
    g_signal_new ("order-placed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  g_type_ensure (RELAY_TYPE_MASS_LINE_ITEM);
  g_type_ensure (RELAY_TYPE_CLIENT_PICKER);
  g_type_ensure (RELAY_TYPE_FUNDS_BANNER);
  relay_pages_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, RELAY_PAGES_RESOURCE_PATH
                                               "relay-mass-order-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "relay-mass-order-page");

  gtk_widget_class_bind_template_child (widget_class, RelayMassOrderPage, paste_view);
  gtk_widget_class_bind_template_child (widget_class, RelayMassOrderPage, paste_buffer);
  gtk_widget_class_bind_template_child (widget_class, RelayMassOrderPage, example_label);
  gtk_widget_class_bind_template_child (widget_class, RelayMassOrderPage, funds_banner);
  gtk_widget_class_bind_template_child (widget_class, RelayMassOrderPage, import_button);
  gtk_widget_class_bind_template_child (widget_class, RelayMassOrderPage, import_label);
  gtk_widget_class_bind_template_child (widget_class, RelayMassOrderPage, import_wait_label);
  gtk_widget_class_bind_template_child (widget_class, RelayMassOrderPage, preview_stack);
  gtk_widget_class_bind_template_child (widget_class, RelayMassOrderPage, preview_view);
  gtk_widget_class_bind_template_child (widget_class, RelayMassOrderPage, line_column);
  gtk_widget_class_bind_template_child (widget_class, RelayMassOrderPage, service_column);
  gtk_widget_class_bind_template_child (widget_class, RelayMassOrderPage, link_column);
  gtk_widget_class_bind_template_child (widget_class, RelayMassOrderPage, quantity_column);
  gtk_widget_class_bind_template_child (widget_class, RelayMassOrderPage, charge_column);
  gtk_widget_class_bind_template_child (widget_class, RelayMassOrderPage, status_column);
  gtk_widget_class_bind_template_child (widget_class, RelayMassOrderPage, client_picker);
  gtk_widget_class_bind_template_child (widget_class, RelayMassOrderPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, RelayMassOrderPage, balance_label);
  gtk_widget_class_bind_template_child (widget_class, RelayMassOrderPage, confirm_box);
  gtk_widget_class_bind_template_child (widget_class, RelayMassOrderPage, confirm_heading);
  gtk_widget_class_bind_template_child (widget_class, RelayMassOrderPage, confirm_body);
  gtk_widget_class_bind_template_child (widget_class, RelayMassOrderPage, confirm_cancel_button);
  gtk_widget_class_bind_template_child (widget_class, RelayMassOrderPage, confirm_send_button);
  gtk_widget_class_bind_template_child (widget_class, RelayMassOrderPage, action_stack);
  gtk_widget_class_bind_template_child (widget_class, RelayMassOrderPage, stop_button);
  gtk_widget_class_bind_template_child (widget_class, RelayMassOrderPage, submit_button);
  gtk_widget_class_bind_template_child (widget_class, RelayMassOrderPage, progress_box);
  gtk_widget_class_bind_template_child (widget_class, RelayMassOrderPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, RelayMassOrderPage, result_label);
  gtk_widget_class_bind_template_child (widget_class, RelayMassOrderPage, dismiss_button);

  gtk_widget_class_bind_template_callback (widget_class, on_text_changed);
  gtk_widget_class_bind_template_callback_full
    (widget_class, "on_submit_clicked",
     G_CALLBACK (relay_mass_order_page_on_submit_clicked));
  gtk_widget_class_bind_template_callback_full
    (widget_class, "on_stop_clicked",
     G_CALLBACK (relay_mass_order_page_on_stop_clicked));
  gtk_widget_class_bind_template_callback (widget_class, on_dismiss_clicked);
  gtk_widget_class_bind_template_callback_full
    (widget_class, "on_confirm_cancel_clicked",
     G_CALLBACK (relay_mass_order_page_on_confirm_cancel_clicked));
  gtk_widget_class_bind_template_callback_full
    (widget_class, "on_confirm_send_clicked",
     G_CALLBACK (relay_mass_order_page_on_confirm_send_clicked));
  /* Escape while Send is asked for is Cancel. */
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, relay_mass_order_page_on_escape,
                                NULL);
  gtk_widget_class_bind_template_callback (widget_class, on_import_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_preview_activate);
}

/* The user takes all of the text away (Ctrl+A and Delete, or Ctrl+A and a
 * paste over it): an imported file's text is being replaced, and what comes
 * is read as pasted lines again.  It stayed CSV until the box was seen
 * empty at a plan, which a paste over the selection never is: 2,000 pasted
 * lines were each refused as a CSV record.  Not when the page puts text in
 * itself (an import, the lines left after a submit). */
static void
on_delete_range (RelayMassOrderPage *self,
                 GtkTextIter        *start,
                 GtkTextIter        *end)
{
  if (self->csv_name == NULL || self->setting_text || self->pending_text != NULL)
    return;
  if (!((gtk_text_iter_is_start (start) && gtk_text_iter_is_end (end)) ||
        (gtk_text_iter_is_start (end) && gtk_text_iter_is_end (start))))
    return;
  g_clear_pointer (&self->csv_name, g_free);
  show_import (self);
}

static void
relay_mass_order_page_init (RelayMassOrderPage *self)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  self->cancellable = g_cancellable_new ();
  self->plan_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->sent_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->counted = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
  self->preview_rows = gtk_slice_list_model_new (NULL, 0, 0);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->preview_rows)));
  gtk_column_view_set_model (self->preview_view, GTK_SELECTION_MODEL (selection));
  self->bad_line_tag = gtk_text_buffer_create_tag (self->paste_buffer, "bad-line",
                                                   "underline", PANGO_UNDERLINE_ERROR,
                                                   NULL);
  g_signal_connect_swapped (self->paste_buffer, "insert-text",
                            G_CALLBACK (relay_mass_order_page_refuse_insert_while_busy), self);
  g_signal_connect_swapped (self->paste_buffer, "delete-range",
                            G_CALLBACK (relay_mass_order_page_refuse_delete_while_busy), self);
  g_signal_connect_swapped (self->paste_buffer, "delete-range",
                            G_CALLBACK (on_delete_range), self);
  /* The room under the panel over the text (see measure_panel_space()). */
  self->panel_space = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  g_object_set_data (G_OBJECT (self->panel_space), "relay-mass-order-page", self);
  gtk_widget_set_layout_manager (self->panel_space,
                                 gtk_custom_layout_new (NULL, measure_panel_space,
                                                         allocate_panel_space));
  gtk_widget_set_visible (self->panel_space, FALSE);
  gtk_text_view_set_gutter (self->paste_view, GTK_TEXT_WINDOW_BOTTOM, self->panel_space);
  g_signal_connect_object (gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (self->paste_view)),
                           "notify::page-size", G_CALLBACK (on_text_width_changed), self,
                           G_CONNECT_SWAPPED);
  /* Send pressed with the keyboard: Import waits from then on. */
  g_signal_connect_swapped (self->confirm_send_button, "activate",
                            G_CALLBACK (relay_mass_order_page_on_send_activate), self);
  g_signal_connect_swapped (self->submit_button, "activate",
                            G_CALLBACK (relay_mass_order_page_on_submit_activate), self);
  update_mark_color (self);
  update_example (self);
  relay_mass_order_page_set_column_factory (self->line_column, &relay_mass_order_page_line_spec);
  relay_mass_order_page_set_column_factory (self->service_column,
                                            &relay_mass_order_page_service_spec);
  relay_mass_order_page_set_column_factory (self->link_column, &relay_mass_order_page_link_spec);
  relay_mass_order_page_set_column_factory (self->quantity_column,
                                            &relay_mass_order_page_quantity_spec);
  relay_mass_order_page_set_column_factory (self->charge_column,
                                            &relay_mass_order_page_charge_spec);
  relay_mass_order_page_set_column_factory (self->status_column,
                                            &relay_mass_order_page_status_spec);
}

GtkWidget *
relay_mass_order_page_new (RelayCore *core)
{
  return g_object_new (RELAY_TYPE_MASS_ORDER_PAGE, "core", core, NULL);
}

RelayCore *
relay_mass_order_page_get_core (RelayMassOrderPage *self)
{
  g_return_val_if_fail (RELAY_IS_MASS_ORDER_PAGE (self), NULL);
  return self->core;
}

void
relay_mass_order_page_set_text (RelayMassOrderPage *self,
                                const char         *text)
{
  g_return_if_fail (RELAY_IS_MASS_ORDER_PAGE (self));
  relay_mass_order_page_put_text (self, text ? text : "", -1, FALSE);
}

gboolean
relay_mass_order_page_get_busy (RelayMassOrderPage *self)
{
  g_return_val_if_fail (RELAY_IS_MASS_ORDER_PAGE (self), FALSE);
  return self->sending;
}

gboolean
relay_mass_order_page_get_recording (RelayMassOrderPage *self)
{
  g_return_val_if_fail (RELAY_IS_MASS_ORDER_PAGE (self), FALSE);
  return self->recording;
}
