/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayReportsPage: asks the core for the report of the chosen period and
 * grouping (in a worker: the main loop never waits), and shows the money per
 * currency, the charts, the rows and the delivery figures.  A newer question
 * cancels the older one; the book changing asks again while the page shows. */
#include "config.h"

#include "relay-reports-page.h"
#include "relay-reports.h"
#include "relay-delivery-chart.h"
#include "relay-format.h"
#include "relay-profit-chart.h"
#include "relay-report-item.h"
#include "relay-status-chart.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>

/* The book changed: ask again after this (many changes come together). */
#define RELOAD_DELAY_MS 1500

enum { PERIOD_TODAY, PERIOD_7_DAYS, PERIOD_30_DAYS, PERIOD_MONTH, PERIOD_CUSTOM };

struct _RelayReportsPage
{
  GtkWidget           parent_instance;

  GtkDropDown        *period_dropdown;
  GtkBox             *dates_box;
  GtkMenuButton      *from_button;
  GtkMenuButton      *to_button;
  GtkCalendar        *from_calendar;
  GtkCalendar        *to_calendar;
  GtkDropDown        *group_dropdown;
  GtkSpinner         *spinner;
  GtkLabel           *period_label;
  GtkStack           *content_stack;
  GtkBox             *totals_box;
  RelayProfitChart   *profit_chart;
  RelayStatusChart   *status_chart;
  RelayDeliveryChart *delivery_chart;
  GtkLabel           *rows_title;
  GtkColumnView      *rows_view;
  GListStore         *rows;
  GtkGrid            *delivery_grid;
  AdwStatusPage      *error_status;

  RelayCore          *core;
  gulong              orders_changed_id;
  guint               reload_source;
  gboolean            dirty;
  GCancellable       *cancellable;
  RelayReport        *report;
};

G_DEFINE_FINAL_TYPE (RelayReportsPage, relay_reports_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CORE,
  PROP_LOADING,
  N_PROPS
};

enum {
  SIGNAL_MESSAGE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char *
none_key (RelayReportGroup group)
{
  switch (group)
    {
    case RELAY_REPORT_BY_CLIENT:
      return _("No client");
    case RELAY_REPORT_BY_PROVIDER:
      return _("No provider");
    case RELAY_REPORT_BY_SERVICE:
      return _("No service");
    case RELAY_REPORT_BY_DAY:
    default:
      return "—";
    }
}

static const char *
key_title (RelayReportGroup group)
{
  switch (group)
    {
    case RELAY_REPORT_BY_CLIENT:
      return _("Client");
    case RELAY_REPORT_BY_PROVIDER:
      return _("Provider");
    case RELAY_REPORT_BY_SERVICE:
      return _("Service");
    case RELAY_REPORT_BY_DAY:
    default:
      return _("Day");
    }
}

static void
set_loading (RelayReportsPage *self,
             gboolean          loading)
{
  if (gtk_spinner_get_spinning (self->spinner) == loading)
    return;
  gtk_spinner_set_spinning (self->spinner, loading);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), loading);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static char *
calendar_day (GtkCalendar *calendar)
{
  g_autoptr(GDateTime) date = gtk_calendar_get_date (calendar);

  return g_date_time_format (date, "%Y-%m-%d");
}

static void
update_calendar_labels (RelayReportsPage *self)
{
  g_autofree char *from = calendar_day (self->from_calendar);
  g_autofree char *to = calendar_day (self->to_calendar);

  gtk_menu_button_set_label (self->from_button, from);
  gtk_menu_button_set_label (self->to_button, to);
}

/* [from, to) of the chosen period; FALSE with @error for a bad custom one. */
static gboolean
chosen_range (RelayReportsPage  *self,
              gint64            *from,
              gint64            *to,
              GError           **error)
{
  guint period = gtk_drop_down_get_selected (self->period_dropdown);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  switch (period)
    {
    case PERIOD_TODAY:
      relay_report_period_range (RELAY_REPORT_PERIOD_TODAY, now, from, to);
      return TRUE;
    case PERIOD_30_DAYS:
      relay_report_period_range (RELAY_REPORT_PERIOD_30_DAYS, now, from, to);
      return TRUE;
    case PERIOD_MONTH:
      relay_report_period_range (RELAY_REPORT_PERIOD_MONTH, now, from, to);
      return TRUE;
    case PERIOD_CUSTOM:
      {
        g_autofree char *first = calendar_day (self->from_calendar);
        g_autofree char *last = calendar_day (self->to_calendar);

        return relay_report_parse_days (first, last, from, to, error);
      }
    case PERIOD_7_DAYS:
    default:
      relay_report_period_range (RELAY_REPORT_PERIOD_7_DAYS, now, from, to);
      return TRUE;
    }
}

static GtkWidget *
card (const char *title,
      const char *value,
      gboolean    loss)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *caption = gtk_label_new (title);
  GtkWidget *number = gtk_label_new (value);

  gtk_widget_add_css_class (box, "card");
  gtk_widget_add_css_class (box, "report-card");
  gtk_label_set_xalign (GTK_LABEL (caption), 0);
  gtk_widget_add_css_class (caption, "caption-heading");
  gtk_widget_add_css_class (caption, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (number), 0);
  gtk_label_set_selectable (GTK_LABEL (number), TRUE);
  gtk_widget_add_css_class (number, "report-value");
  gtk_widget_add_css_class (number, "numeric");
  if (loss)
    gtk_widget_add_css_class (number, "loss");
  gtk_box_append (GTK_BOX (box), caption);
  gtk_box_append (GTK_BOX (box), number);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (number),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, caption, NULL, -1);
  return box;
}

static void
clear_box (GtkWidget *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (box)) != NULL)
    {
      if (GTK_IS_BOX (box))
        gtk_box_remove (GTK_BOX (box), child);
      else if (GTK_IS_GRID (box))
        gtk_grid_remove (GTK_GRID (box), child);
      else
        gtk_widget_unparent (child);
    }
}

static void
show_totals (RelayReportsPage *self)
{
  clear_box (GTK_WIDGET (self->totals_box));
  for (guint i = 0; i < self->report->totals->len; i++)
    {
      RelayReportRow *row = g_ptr_array_index (self->report->totals, i);
      GtkWidget *flow = gtk_flow_box_new ();
      g_autofree char *orders = relay_format_count (row->orders);
      g_autofree char *charged = relay_format_money (row->charged, row->currency, RELAY_MONEY_STYLE_TOTAL);
      g_autofree char *refunded = relay_format_money (row->refunded, row->currency, RELAY_MONEY_STYLE_TOTAL);
      g_autofree char *cost = relay_format_money (row->cost, row->currency, RELAY_MONEY_STYLE_TOTAL);
      g_autofree char *profit = relay_format_money (row->profit, row->currency, RELAY_MONEY_STYLE_TOTAL);
      /* TRANSLATORS: a margin in percent */
      g_autofree char *margin = g_strdup_printf (_("%.1f %%"), row->margin);

      if (self->report->totals->len > 1)
        {
          GtkWidget *heading = gtk_label_new (*row->currency ? row->currency : _("No currency yet"));

          gtk_label_set_xalign (GTK_LABEL (heading), 0);
          gtk_widget_add_css_class (heading, "heading");
          gtk_box_append (self->totals_box, heading);
        }
      gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (flow), GTK_SELECTION_NONE);
      gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (flow), TRUE);
      gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow), 6);
      gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (flow), 1);
      gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (flow), 12);
      gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (flow), 12);
      gtk_flow_box_append (GTK_FLOW_BOX (flow), card (_("Orders"), orders, FALSE));
      gtk_flow_box_append (GTK_FLOW_BOX (flow), card (_("Charged"), charged, FALSE));
      gtk_flow_box_append (GTK_FLOW_BOX (flow), card (_("Refunded"), refunded, FALSE));
      gtk_flow_box_append (GTK_FLOW_BOX (flow), card (_("Provider cost"), cost, FALSE));
      gtk_flow_box_append (GTK_FLOW_BOX (flow), card (_("Profit"), profit, row->profit < 0));
      gtk_flow_box_append (GTK_FLOW_BOX (flow), card (_("Margin"), margin, row->profit < 0));
      gtk_box_append (self->totals_box, flow);
    }
}

static void
grid_label (GtkGrid    *grid,
            const char *text,
            int         column,
            int         row,
            gboolean    heading)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), column == 0 ? 0 : 1);
  if (column == 0)
    gtk_widget_set_hexpand (label, TRUE);
  /* Not on a heading: GTK 4.8 measures an ellipsized caption-heading
   * (negative letter spacing) below zero. */
  if (column == 0 && !heading)
    {
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_width_chars (GTK_LABEL (label), 12);
    }
  gtk_widget_add_css_class (label, heading ? "caption-heading" : "numeric");
  gtk_grid_attach (grid, label, column, row, 1, 1);
}

static char *
percent (double ratio)
{
  /* TRANSLATORS: a rate in percent */
  return g_strdup_printf (_("%.0f %%"), ratio * 100.0);
}

static void
show_delivery (RelayReportsPage *self)
{
  /* TRANSLATORS: column titles of the delivery table: a count of orders sent,
   * then shares of them ("Partial": 12 %) */
  const char *titles[] = { NC_("delivery column", "Provider service"), NC_("delivery column", "Sent"),
                           NC_("delivery column", "Median to start"),
                           NC_("delivery column", "Median to complete"),
                           NC_("delivery column", "Partial"), NC_("delivery column", "Canceled"),
                           NC_("delivery column", "Refilled") };
  GPtrArray *delivery = self->report->delivery;

  clear_box (GTK_WIDGET (self->delivery_grid));
  for (guint c = 0; c < G_N_ELEMENTS (titles); c++)
    grid_label (self->delivery_grid, g_dpgettext2 (GETTEXT_PACKAGE, "delivery column", titles[c]),
                c, 0, TRUE);
  if (delivery->len == 0)
    grid_label (self->delivery_grid, _("No order of the period was sent to a provider."), 0, 1, FALSE);
  for (guint i = 0; i < delivery->len; i++)
    {
      RelayDeliveryRow *d = g_ptr_array_index (delivery, i);
      int r = i + 1;
      g_autofree char *name = g_strdup_printf ("%s · %s (%s)",
                                               *d->provider_name ? d->provider_name : _("Removed provider"),
                                               *d->service_name ? d->service_name : d->provider_service_id,
                                               d->provider_service_id);
      g_autofree char *sent = relay_format_count (d->orders);
      g_autofree char *start = d->to_start.n ? relay_delivery_chart_format_duration (d->to_start.median)
                                             : g_strdup ("—");
      g_autofree char *complete = d->to_complete.n
                                  ? relay_delivery_chart_format_duration (d->to_complete.median)
                                  : g_strdup ("—");
      g_autofree char *partial = percent (d->partial_rate);
      g_autofree char *canceled = percent (d->cancel_rate);
      g_autofree char *refilled = percent (d->refill_rate);

      grid_label (self->delivery_grid, name, 0, r, FALSE);
      grid_label (self->delivery_grid, sent, 1, r, FALSE);
      grid_label (self->delivery_grid, start, 2, r, FALSE);
      grid_label (self->delivery_grid, complete, 3, r, FALSE);
      grid_label (self->delivery_grid, partial, 4, r, FALSE);
      grid_label (self->delivery_grid, canceled, 5, r, FALSE);
      grid_label (self->delivery_grid, refilled, 6, r, FALSE);
    }
}

/* The currency the profit chart shows: the one with the most orders. */
static const char *
main_currency (RelayReport *report)
{
  RelayReportRow *best = NULL;

  for (guint i = 0; i < report->totals->len; i++)
    {
      RelayReportRow *row = g_ptr_array_index (report->totals, i);

      if (best == NULL || row->orders > best->orders)
        best = row;
    }
  return best ? best->currency : "";
}

static void
show_report (RelayReportsPage *self)
{
  RelayReport *report = self->report;
  GListModel *columns = gtk_column_view_get_columns (self->rows_view);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GtkColumnViewColumn) key_column = g_list_model_get_item (columns, 0);
  g_autoptr(GDateTime) first = g_date_time_new_from_unix_local (report->from);
  g_autoptr(GDateTime) last = g_date_time_new_from_unix_local (report->to - 1);
  g_autofree char *from = relay_format_day (first);
  g_autofree char *to = relay_format_day (last);
  /* TRANSLATORS: the days of a report, both included: "2026-11-27 – 2026-12-03" */
  g_autofree char *period = g_str_equal (from, to) ? g_strdup (from) : g_strdup_printf (_("%s – %s"), from, to);

  gtk_label_set_label (self->period_label, period);
  for (guint i = 0; i < report->rows->len; i++)
    g_ptr_array_add (items, relay_report_item_new (g_ptr_array_index (report->rows, i),
                                                   none_key (report->group)));
  g_list_store_splice (self->rows, 0, g_list_model_get_n_items (G_LIST_MODEL (self->rows)),
                       items->pdata, items->len);
  gtk_column_view_column_set_title (key_column, key_title (report->group));
  /* TRANSLATORS: the heading of the report's table, e.g. "By client" */
  gtk_label_set_label (self->rows_title, gtk_string_object_get_string (
                         gtk_drop_down_get_selected_item (self->group_dropdown)));

  if (report->orders == 0)
    {
      relay_profit_chart_set_report (self->profit_chart, NULL, NULL);
      relay_status_chart_set_counts (self->status_chart, NULL);
      relay_delivery_chart_set_rows (self->delivery_chart, NULL);
      clear_box (GTK_WIDGET (self->totals_box));
      gtk_stack_set_visible_child_name (self->content_stack, "empty");
      return;
    }
  show_totals (self);
  relay_profit_chart_set_report (self->profit_chart, report, main_currency (report));
  relay_status_chart_set_counts (self->status_chart, report->by_status);
  relay_delivery_chart_set_rows (self->delivery_chart, report->delivery);
  show_delivery (self);
  gtk_stack_set_visible_child_name (self->content_stack, "report");
}

static void
on_report_ready (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(RelayReportsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayReport) report = relay_core_report_finish (RELAY_CORE (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* Only the newest question's answer is shown. */
  if (g_task_get_cancellable (G_TASK (result)) != self->cancellable)
    return;
  g_clear_object (&self->cancellable);
  set_loading (self, FALSE);
  g_clear_pointer (&self->report, relay_report_free);
  if (report == NULL)
    {
      g_autofree char *reason = relay_format_sentence (error->message);

      adw_status_page_set_description (self->error_status, reason);
      gtk_stack_set_visible_child_name (self->content_stack, "error");
      return;
    }
  self->report = g_steal_pointer (&report);
  show_report (self);
}

void
relay_reports_page_reload (RelayReportsPage *self)
{
  g_autoptr(GError) error = NULL;
  gint64 from;
  gint64 to;

  g_return_if_fail (RELAY_IS_REPORTS_PAGE (self));

  g_clear_handle_id (&self->reload_source, g_source_remove);
  self->dirty = FALSE;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->core == NULL)
    {
      set_loading (self, FALSE);
      return;
    }
  if (!chosen_range (self, &from, &to, &error))
    {
      g_autofree char *reason = relay_format_sentence (error->message);

      set_loading (self, FALSE);
      g_clear_pointer (&self->report, relay_report_free);
      adw_status_page_set_description (self->error_status, reason);
      gtk_stack_set_visible_child_name (self->content_stack, "error");
      return;
    }
  self->cancellable = g_cancellable_new ();
  set_loading (self, TRUE);
  if (self->report == NULL)
    gtk_stack_set_visible_child_name (self->content_stack, "loading");
  relay_core_report_async (self->core, from, to,
                           (RelayReportGroup) gtk_drop_down_get_selected (self->group_dropdown),
                           self->cancellable, on_report_ready, g_object_ref (self));
}

static void
on_period_changed (RelayReportsPage *self)
{
  gboolean custom = gtk_drop_down_get_selected (self->period_dropdown) == PERIOD_CUSTOM;

  gtk_widget_set_visible (GTK_WIDGET (self->dates_box), custom);
  update_calendar_labels (self);
  relay_reports_page_reload (self);
}

static void
on_group_changed (RelayReportsPage *self)
{
  relay_reports_page_reload (self);
}

static void
on_day_selected (RelayReportsPage *self,
                 GtkCalendar      *calendar)
{
  update_calendar_labels (self);
  gtk_menu_button_popdown (calendar == self->from_calendar ? self->from_button : self->to_button);
  relay_reports_page_reload (self);
}

static gboolean
reload_later (gpointer data)
{
  RelayReportsPage *self = data;

  self->reload_source = 0;
  relay_reports_page_reload (self);
  return G_SOURCE_REMOVE;
}

static void
on_orders_changed (RelayReportsPage *self)
{
  self->dirty = TRUE;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)) && self->reload_source == 0)
    self->reload_source = g_timeout_add (RELOAD_DELAY_MS, reload_later, self);
}

static void
relay_reports_page_map (GtkWidget *widget)
{
  RelayReportsPage *self = RELAY_REPORTS_PAGE (widget);

  GTK_WIDGET_CLASS (relay_reports_page_parent_class)->map (widget);
  if (self->dirty)
    relay_reports_page_reload (self);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RelayReportsPage *self = RELAY_REPORTS_PAGE (widget);
  g_auto(GStrv) parts = g_strsplit (g_variant_get_string (parameter, NULL), ":", 2);
  RelayChart *chart;
  const char *base;

  if (g_strv_length (parts) != 2)
    return;
  if (g_str_equal (parts[0], "profit"))
    {
      chart = RELAY_CHART (self->profit_chart);
      /* TRANSLATORS: a file name, without its extension */
      base = _("profit-per-day");
    }
  else if (g_str_equal (parts[0], "status"))
    {
      chart = RELAY_CHART (self->status_chart);
      /* TRANSLATORS: a file name, without its extension */
      base = _("orders-by-status");
    }
  else
    {
      chart = RELAY_CHART (self->delivery_chart);
      /* TRANSLATORS: a file name, without its extension */
      base = _("time-to-complete");
    }
  relay_chart_export_ask (chart, g_str_equal (parts[1], "svg") ? RELAY_CHART_FORMAT_SVG
                                                             : RELAY_CHART_FORMAT_PNG,
                          base, widget);
}

/* ---- the table's columns ---- */

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  data)
{
  RelayReportColumn column = GPOINTER_TO_UINT (data);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), column == RELAY_REPORT_COLUMN_KEY ? 0 : 1);
  if (column == RELAY_REPORT_COLUMN_KEY)
    gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  else
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  data)
{
  RelayReportColumn column = GPOINTER_TO_UINT (data);
  RelayReportItem *row = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  gboolean loss = relay_report_item_get_loss (row) &&
                  (column == RELAY_REPORT_COLUMN_PROFIT || column == RELAY_REPORT_COLUMN_MARGIN);

  gtk_label_set_label (GTK_LABEL (label), relay_report_item_get_text (row, column));
  if (loss)
    gtk_widget_add_css_class (label, "loss");
  else
    gtk_widget_remove_css_class (label, "loss");
}

static void
add_columns (RelayReportsPage *self)
{
  const char *titles[RELAY_REPORT_N_COLUMNS] = {
    N_("Client"), N_("Orders"), N_("Charged"), N_("Refunded"), N_("Provider cost"),
    N_("Profit"), N_("Margin"),
  };

  for (guint c = 0; c < RELAY_REPORT_N_COLUMNS; c++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;

      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), GUINT_TO_POINTER (c));
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), GUINT_TO_POINTER (c));
      column = gtk_column_view_column_new (_(titles[c]), factory);
      gtk_column_view_column_set_expand (column, c == RELAY_REPORT_COLUMN_KEY);
      gtk_column_view_append_column (self->rows_view, column);
    }
}

/* ---- GObject ---- */

GtkWidget *
relay_reports_page_new (RelayCore *core)
{
  return g_object_new (RELAY_TYPE_REPORTS_PAGE, "core", core, NULL);
}

RelayCore *
relay_reports_page_get_core (RelayReportsPage *self)
{
  g_return_val_if_fail (RELAY_IS_REPORTS_PAGE (self), NULL);
  return self->core;
}

void
relay_reports_page_set_core (RelayReportsPage *self,
                             RelayCore        *core)
{
  g_return_if_fail (RELAY_IS_REPORTS_PAGE (self));
  g_return_if_fail (core == NULL || RELAY_IS_CORE (core));

  if (self->core == core)
    return;
  if (self->core != NULL)
    g_clear_signal_handler (&self->orders_changed_id, relay_core_get_store (self->core));
  g_set_object (&self->core, core);
  if (core != NULL)
    self->orders_changed_id = g_signal_connect_swapped (relay_core_get_store (core), "orders-changed",
                                                        G_CALLBACK (on_orders_changed), self);
  g_clear_pointer (&self->report, relay_report_free);
  /* The report reads every order of the period: only for a page someone
   * looks at (the window opens on another one); map () asks then. */
  if (core == NULL || gtk_widget_get_mapped (GTK_WIDGET (self)))
    relay_reports_page_reload (self);
  else
    {
      g_clear_handle_id (&self->reload_source, g_source_remove);
      if (self->cancellable != NULL)
        g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
      set_loading (self, FALSE);
      gtk_stack_set_visible_child_name (self->content_stack, "loading");
      self->dirty = TRUE;
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CORE]);
}

gboolean
relay_reports_page_get_loading (RelayReportsPage *self)
{
  g_return_val_if_fail (RELAY_IS_REPORTS_PAGE (self), FALSE);
  return gtk_spinner_get_spinning (self->spinner);
}

const RelayReport *
relay_reports_page_get_report (RelayReportsPage *self)
{
  g_return_val_if_fail (RELAY_IS_REPORTS_PAGE (self), NULL);
  return self->report;
}

static void
relay_reports_page_dispose (GObject *object)
{
  RelayReportsPage *self = RELAY_REPORTS_PAGE (object);
  GtkWidget *child;

  g_clear_handle_id (&self->reload_source, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->core != NULL)
    g_clear_signal_handler (&self->orders_changed_id, relay_core_get_store (self->core));
  g_clear_object (&self->core);
  gtk_widget_dispose_template (GTK_WIDGET (self), RELAY_TYPE_REPORTS_PAGE);
  /* gtk_widget_dispose_template() leaves the children it has no binding for. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (relay_reports_page_parent_class)->dispose (object);
}

static void
relay_reports_page_finalize (GObject *object)
{
  RelayReportsPage *self = RELAY_REPORTS_PAGE (object);

  g_clear_pointer (&self->report, relay_report_free);
  G_OBJECT_CLASS (relay_reports_page_parent_class)->finalize (object);
}

static void
relay_reports_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  RelayReportsPage *self = RELAY_REPORTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CORE:
      g_value_set_object (value, self->core);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, relay_reports_page_get_loading (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_reports_page_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  RelayReportsPage *self = RELAY_REPORTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CORE:
      relay_reports_page_set_core (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_reports_page_class_init (RelayReportsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relay_reports_page_dispose;
  object_class->finalize = relay_reports_page_finalize;
  object_class->get_property = relay_reports_page_get_property;
  object_class->set_property = relay_reports_page_set_property;
  widget_class->map = relay_reports_page_map;

  properties[PROP_CORE] =
    g_param_spec_object ("core", NULL, NULL, RELAY_TYPE_CORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  relay_reports_init ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/smmrelay/SmmRelay/reports/relay-reports-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RelayReportsPage, period_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RelayReportsPage, dates_box);
  gtk_widget_class_bind_template_child (widget_class, RelayReportsPage, from_button);
  gtk_widget_class_bind_template_child (widget_class, RelayReportsPage, to_button);
  gtk_widget_class_bind_template_child (widget_class, RelayReportsPage, from_calendar);
  gtk_widget_class_bind_template_child (widget_class, RelayReportsPage, to_calendar);
  gtk_widget_class_bind_template_child (widget_class, RelayReportsPage, group_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RelayReportsPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, RelayReportsPage, period_label);
  gtk_widget_class_bind_template_child (widget_class, RelayReportsPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, RelayReportsPage, totals_box);
  gtk_widget_class_bind_template_child (widget_class, RelayReportsPage, profit_chart);
  gtk_widget_class_bind_template_child (widget_class, RelayReportsPage, status_chart);
  gtk_widget_class_bind_template_child (widget_class, RelayReportsPage, delivery_chart);
  gtk_widget_class_bind_template_child (widget_class, RelayReportsPage, rows_title);
  gtk_widget_class_bind_template_child (widget_class, RelayReportsPage, rows_view);
  gtk_widget_class_bind_template_child (widget_class, RelayReportsPage, rows);
  gtk_widget_class_bind_template_child (widget_class, RelayReportsPage, delivery_grid);
  gtk_widget_class_bind_template_child (widget_class, RelayReportsPage, error_status);
  gtk_widget_class_bind_template_callback (widget_class, on_period_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_group_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_day_selected);
  gtk_widget_class_install_action (widget_class, "reports.export", "s", export_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
relay_reports_page_init (RelayReportsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  add_columns (self);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  update_calendar_labels (self);
}
