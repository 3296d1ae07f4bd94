/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayMassOrderPage, the preview: its cells (GtkInscriptions filled in C), the summary and
 * the balance warning, and the rows brought to a new plan a slice per frame. */
#include "config.h"

#include "relay-mass-order-page-private.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

/* ---- the preview's cells ---- */

/* GTK 4.8 keeps up to 200 rows of a list alive, so a re-plan makes 1,200 cells:
 * they are GtkInscriptions filled in C (no GtkBuilder template to parse, no
 * GBinding), and only the status cell follows its line as it changes.  An
 * inscription's size comes from the font, not from its text: a new text only
 * redraws it, where a label's queued a resize of the whole window (its size
 * computed again, with X round trips, for every outcome shown while sending),
 * and the rows are measured without shaping their texts. */

static const char *
line_text (RelayMassLineItem *item)
{
  static char text[16];

  /* Used at once by the caller (the main thread only). */
  g_snprintf (text, sizeof text, "%u", relay_mass_line_item_get_line_number (item));
  return text;
}

const ColumnSpec relay_mass_order_page_line_spec =
  { line_text, 1.0, GTK_INSCRIPTION_OVERFLOW_CLIP, "dim-label" };
const ColumnSpec relay_mass_order_page_service_spec =
  { relay_mass_line_item_get_service_name, 0.0,
    GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END, NULL, FALSE, TRUE };
const ColumnSpec relay_mass_order_page_link_spec =
  { relay_mass_line_item_get_link, 0.0,
    GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_MIDDLE, NULL, FALSE, TRUE };
const ColumnSpec relay_mass_order_page_quantity_spec =
  { relay_mass_line_item_get_quantity_text, 1.0,
    GTK_INSCRIPTION_OVERFLOW_CLIP, "numeric" };
const ColumnSpec relay_mass_order_page_charge_spec =
  { relay_mass_line_item_get_charge_text, 1.0,
    GTK_INSCRIPTION_OVERFLOW_CLIP, "numeric" };
const ColumnSpec relay_mass_order_page_status_spec =
  { relay_mass_line_item_get_status_text, 0.0,
    GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END, NULL, TRUE, TRUE };

static void
show_cell (GtkInscription *cell, RelayMassLineItem *item, const ColumnSpec *spec)
{
  gtk_inscription_set_text (cell, spec->text (item));
  if (spec->live)
    gtk_widget_set_css_classes (GTK_WIDGET (cell),
                                (const char **) relay_mass_line_item_get_status_classes (item));
}

/* The whole text of a cell as its tooltip, asked for only on hover. */
static gboolean
on_cell_query_tooltip (GtkWidget  *widget,
                       int         x,
                       int         y,
                       gboolean    keyboard,
                       GtkTooltip *tooltip)
{
  const char *text = gtk_inscription_get_text (GTK_INSCRIPTION (widget));

  if (text == NULL || *text == '\0')
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
on_status_changed (RelayMassLineItem *item,
                   GParamSpec        *pspec,
                   GtkInscription    *cell)
{
  show_cell (cell, item, &relay_mass_order_page_status_spec);
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            const ColumnSpec         *spec)
{
  GtkWidget *cell = gtk_inscription_new (NULL);

  gtk_inscription_set_xalign (GTK_INSCRIPTION (cell), spec->xalign);
  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (cell), spec->overflow);
  if (spec->css_class != NULL)
    gtk_widget_add_css_class (cell, spec->css_class);
  if (spec->tooltip)
    {
      gtk_widget_set_has_tooltip (cell, TRUE);
      g_signal_connect (cell, "query-tooltip", G_CALLBACK (on_cell_query_tooltip), NULL);
    }
  gtk_list_item_set_child (list_item, cell);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           const ColumnSpec         *spec)
{
  RelayMassLineItem *item = gtk_list_item_get_item (list_item);
  GtkInscription *cell = GTK_INSCRIPTION (gtk_list_item_get_child (list_item));

  show_cell (cell, item, spec);
  if (spec->live)
    g_signal_connect_object (item, "notify::status-text", G_CALLBACK (on_status_changed),
                             cell, 0);
}

static void
unbind_cell (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             const ColumnSpec         *spec)
{
  RelayMassLineItem *item = gtk_list_item_get_item (list_item);

  if (spec->live && item != NULL)
    g_signal_handlers_disconnect_by_func (item, on_status_changed,
                                          gtk_list_item_get_child (list_item));
}

void
relay_mass_order_page_set_column_factory (GtkColumnViewColumn *column,
                                          const ColumnSpec    *spec)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), (gpointer) spec);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), (gpointer) spec);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell), (gpointer) spec);
  gtk_column_view_column_set_factory (column, factory);
}

/* ---- the preview ---- */

/* Send (of the question in the page) waits for a plan being made again
 * (the catalog said it changed): it sends the plan on screen only. */
void
relay_mass_order_page_update_send (RelayMassOrderPage *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->confirm_send_button),
                            self->confirm_model != NULL && !self->sending && !self->planning &&
                            self->replan_source == 0 && self->pending_text == NULL);
}

void
relay_mass_order_page_update_submit (RelayMassOrderPage *self)
{
  RelayMassPlan *plan = self->model ? relay_mass_plan_model_get_plan (self->model) : NULL;
  guint n_good = plan != NULL ? plan->n_good : 0;
  g_autofree char *label = NULL;

  if (n_good > 0)
    {
      g_autofree char *count = relay_format_count (n_good);

      /* TRANSLATORS: the button that records and sends the good lines */
      label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "S_ubmit %s Order",
                                            "S_ubmit %s Orders", n_good),
                               count);
    }
  gtk_button_set_label (self->submit_button, label ? label : _("S_ubmit"));
  /* Not while Send is asked for: one submit at a time. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->submit_button),
                            n_good > 0 && !self->sending && !self->planning &&
                            self->replan_source == 0 && self->pending_text == NULL &&
                            self->core != NULL && self->confirm_model == NULL);
  relay_mass_order_page_update_send (self);
}

/* What the good lines of @plan cost at each provider's rate (gint64 provider
 * id -> gint64 micro, both g_memdup2'd); a sum that leaves the money limits
 * is left out (the dispatcher refuses such an order on its own). */
static GHashTable *
plan_costs (RelayMassPlan *plan)
{
  GHashTable *costs = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);

  for (guint i = 0; i < plan->items->len; i++)
    {
      const RelayMassItem *item = g_ptr_array_index (plan->items, i);
      gint64 units, cost = 0, sum;
      gint64 *known;
      gint64 provider_id;

      if (item->error != NULL || item->service == NULL || item->service->primary == NULL)
        continue;
      provider_id = item->service->primary->provider_id;
      units = item->line->quantity;
      if (item->line->runs > 1 && units > G_MAXINT64 / item->line->runs)
        continue;
      if (item->line->runs > 1)
        units *= item->line->runs;
      if (!relay_money_for_quantity (item->service->primary->rate, units, &cost, NULL))
        continue;
      known = g_hash_table_lookup (costs, &provider_id);
      if (known == NULL)
        g_hash_table_insert (costs, g_memdup2 (&provider_id, sizeof provider_id),
                             g_memdup2 (&cost, sizeof cost));
      else if (relay_money_add (*known, cost, &sum, NULL))
        *known = sum;
    }
  return costs;
}

/* "Orders for Demo provider cost 12.00 USD at its rates, its balance is
 * 3.20 USD: those it does not cover wait for funds." per provider short of
 * money, or NULL when every known balance covers its part. */
static char *
balance_warning (RelayMassOrderPage *self,
                 RelayMassPlan      *plan)
{
  g_autoptr(GHashTable) costs = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  GHashTableIter iter;
  gpointer key, value;

  if (self->core == NULL || plan->n_good == 0)
    return NULL;
  costs = plan_costs (plan);
  g_hash_table_iter_init (&iter, costs);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autoptr(RelayFundsState) state = relay_core_provider_funds_state (self->core,
                                                                         *(gint64 *) key, NULL);
      g_autofree char *cost = NULL;
      g_autofree char *balance = NULL;

      if (state == NULL || !state->has_balance || *(gint64 *) value <= state->balance)
        continue;
      cost = relay_format_money (*(gint64 *) value, state->currency, RELAY_MONEY_STYLE_TOTAL);
      balance = relay_format_money (state->balance, state->currency, RELAY_MONEY_STYLE_TOTAL);
      if (text->len > 0)
        g_string_append_c (text, '\n');
      /* TRANSLATORS: under a mass order's preview: "Orders for Demo provider cost 12.00 USD at
       * its rates, more than its balance of 3.20 USD: those it does not cover wait for funds" */
      g_string_append_printf (text, _("Orders for %s cost %s at its rates, more than its balance "
                                      "of %s: those it does not cover wait for funds"),
                              state->provider, cost, balance);
    }
  return text->len > 0 ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
}

void
relay_mass_order_page_show_plan_summary (RelayMassOrderPage *self)
{
  RelayMassPlan *plan = relay_mass_plan_model_get_plan (self->model);
  g_autofree char *good = NULL;
  g_autofree char *bad = NULL;
  g_autofree char *total = NULL;
  g_autofree char *text = NULL;
  g_autofree char *good_part = NULL;
  g_autofree char *bad_part = NULL;
  g_autofree char *total_part = NULL;
  g_autofree char *currency = NULL;
  g_autofree char *warning = NULL;

  self->clear_summary = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->balance_label), FALSE);
  if (plan->items->len == 0)
    {
      gtk_label_set_label (self->summary_label, "");
      return;
    }
  good = relay_format_count (plan->n_good);
  bad = relay_format_count (plan->n_bad);
  /* With no good line the plan has no provider's currency: the book's. */
  if (plan->currency == NULL && self->core != NULL)
    currency = relay_store_dup_book_currency (relay_core_get_store (self->core));
  total = relay_format_money (plan->total, plan->currency ? plan->currency : currency,
                              RELAY_MONEY_STYLE_TOTAL);
  /* TRANSLATORS: part of "98 lines will go · 2 have errors · total 123.45 USD" */
  good_part = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s line will go",
                                            "%s lines will go", plan->n_good),
                               good);
  /* TRANSLATORS: part of "98 lines will go · 2 have errors · total 123.45 USD" */
  bad_part = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s has an error",
                                           "%s have errors", plan->n_bad),
                              bad);
  /* TRANSLATORS: part of "98 lines will go · 2 have errors · total 123.45 USD" */
  total_part = g_strdup_printf (_("total %s"), total);
  if (plan->n_bad > 0)
    text = g_strdup_printf ("%s · %s · %s", good_part, bad_part, total_part);
  else
    text = g_strdup_printf ("%s · %s", good_part, total_part);
  warning = balance_warning (self, plan);
  gtk_label_set_label (self->balance_label, warning ? warning : "");
  gtk_widget_set_visible (GTK_WIDGET (self->balance_label), warning != NULL);
  gtk_label_set_label (self->summary_label, text);
}

/* One chunk of bringing the rows to self->model: the rows of the plan shown
 * before go (from the end), then the new plan's rows come.  FALSE when the
 * rows are all there. */
static gboolean
preview_chunk (RelayMassOrderPage *self)
{
  GListModel *shown = gtk_slice_list_model_get_model (self->preview_rows);
  guint size = gtk_slice_list_model_get_size (self->preview_rows);
  guint n_rows = g_list_model_get_n_items (G_LIST_MODEL (self->preview_rows));
  guint n;

  if (shown != G_LIST_MODEL (self->model))
    {
      if (n_rows > PREVIEW_CHUNK)
        {
          gtk_slice_list_model_set_size (self->preview_rows,
                                         MIN (n_rows, PREVIEW_ALL_AFTER) - PREVIEW_CHUNK);
          return TRUE;
        }
      gtk_slice_list_model_set_size (self->preview_rows, 0);
      gtk_slice_list_model_set_model (self->preview_rows, G_LIST_MODEL (self->model));
      size = 0;
    }
  n = self->model != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->model)) : 0;
  if (size >= n)
    return FALSE;
  size = size + PREVIEW_CHUNK >= PREVIEW_ALL_AFTER ? n : MIN (size + PREVIEW_CHUNK, n);
  gtk_slice_list_model_set_size (self->preview_rows, size);
  return size < n;
}

/* A frame's share: chunks until PREVIEW_STEP rows changed or the budget is
 * spent (taking rows apart costs more than making them, on a slow machine
 * more than on a fast one).  FALSE when the rows are all there. */
static gboolean
preview_step (RelayMassOrderPage *self)
{
  gint64 start = g_get_monotonic_time ();

  for (guint done = 0; done < PREVIEW_STEP; done += PREVIEW_CHUNK)
    {
      if (!preview_chunk (self))
        return FALSE;
      if (g_get_monotonic_time () - start > PREVIEW_BUDGET_US)
        break;
    }
  return TRUE;
}

static gboolean
preview_timeout (gpointer user_data)
{
  RelayMassOrderPage *self = user_data;

  if (preview_step (self))
    return G_SOURCE_CONTINUE;
  self->preview_source = 0;
  return G_SOURCE_REMOVE;
}

/* The first frame's share: the old rows go (within the budget) and the
 * first chunk of the new ones comes, no more — that frame also styles and
 * lays out the table's header and columns when the preview is first shown
 * (a step of 24 rows made it 16-17 ms).  FALSE when the rows are all there. */
static gboolean
preview_first_step (RelayMassOrderPage *self)
{
  gint64 start = g_get_monotonic_time ();
  gboolean more;

  do
    more = preview_chunk (self);
  while (more && gtk_slice_list_model_get_model (self->preview_rows) != G_LIST_MODEL (self->model) &&
         g_get_monotonic_time () - start <= PREVIEW_BUDGET_US);
  return more;
}

/* Shows @model (or no plan): its rows come over the next frames. */
void
relay_mass_order_page_set_model (RelayMassOrderPage *self, RelayMassPlanModel *model)
{
  g_set_object (&self->model, model);
  gtk_stack_set_visible_child_name (self->preview_stack,
                                    model != NULL && g_list_model_get_n_items (G_LIST_MODEL (model)) > 0
                                    ? "preview" : "empty");
  if (self->preview_source == 0 && preview_first_step (self))
    self->preview_source = g_timeout_add (FRAME_MS, preview_timeout, self);
}
