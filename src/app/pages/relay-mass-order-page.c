/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayMassOrderPage: re-plans the pasted text 300 ms after the last change (on a worker of the
 * core), shows every line through RelayMassPlanModel, records the good lines in one transaction
 * and sends them with a progress bar and a Stop button.  Nothing here takes the main loop for
 * long: the rows of the preview come a slice per frame and the outcomes of sent orders are
 * shown at most once per frame. */
#include "config.h"

#include "relay-mass-order-page.h"
#include "relay-csv.h"
#include "relay-client-picker.h"
#include "relay-funds-banner.h"
#include "relay-dispatcher.h"
#include "relay-mass-line-item.h"
#include "relay-mass-plan-model.h"
#include "relay-money.h"
#include "relay-link.h"
#include "relay-order-rules.h"
#include "relay-pages-private.h"
#include "relay-pages-confirm.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#define REPLAN_DELAY_MS 300
/* The preview's rows change by at most this many a frame (each row is six
 * cells GTK builds and measures, or takes apart), PREVIEW_CHUNK at a time
 * while the frame's budget lasts … */
#define PREVIEW_STEP 24
#define PREVIEW_CHUNK 6
#define PREVIEW_BUDGET_US 3000
/* … up to this many: GTK 4.8 keeps at most 200 rows of a list alive, so the
 * lines after them cost nothing and come at once. */
#define PREVIEW_ALL_AFTER 240
/* The outcomes of sent orders and the progress are shown at most this often. */
#define FRAME_MS 16
/* … and the progress ("40 of 195" and its bar) this often. */
#define PROGRESS_TEXT_MS 250
/* A long text (a 10,000-line paste, a CSV file) goes into the text view this
 * many lines a frame: the buffer splits each line, and the view lays out
 * every new line in its next idle (up to 2,000 at once: ~10-20 ms). */
#define TEXT_SLICE_LINES 400
/* The panel's margin over the text (as in the .ui), and the room left
 * between the text's last line in view and the panel. */
#define PANEL_MARGIN 12
#define PANEL_GAP 4
/* Send clicked with the keyboard is clicked this long after the key (GTK's
 * button shows itself pressed meanwhile: 250 ms); if no click came by then
 * (the button went away), Import no longer waits for it. */
#define SEND_COMING_MS 1000

/* How the run that sends the last submit's orders went. */
typedef enum
{
  RUN_GOING,      /* sending (or done: every order has its outcome) */
  RUN_STOPPING,   /* Stop was pressed: the requests already out are awaited */
  RUN_STOPPED,    /* Stop ended it (or came while the lines were recorded) */
  RUN_CUT_SHORT,  /* it ended with orders of ours not sent, and not by our Stop */
} RunEnd;

struct _RelayMassOrderPage
{
  GtkWidget           parent_instance;

  GtkTextView        *paste_view;
  GtkTextBuffer      *paste_buffer;
  GtkTextTag         *bad_line_tag;
  GtkLabel           *example_label;
  RelayFundsBanner   *funds_banner;
  GtkButton          *import_button;
  GtkLabel           *import_label;
  GtkLabel           *import_wait_label; /* "Import waits…", while sending only */
  GtkStack           *preview_stack;
  GtkColumnView      *preview_view;
  GtkSliceListModel  *preview_rows;   /* the slice of the shown plan's lines with rows */
  guint               preview_source; /* the next slice of rows */
  GtkColumnViewColumn *line_column;
  GtkColumnViewColumn *service_column;
  GtkColumnViewColumn *link_column;
  GtkColumnViewColumn *quantity_column;
  GtkColumnViewColumn *charge_column;
  GtkColumnViewColumn *status_column;
  RelayClientPicker  *client_picker;
  GtkLabel           *summary_label;
  GtkLabel           *balance_label;
  GtkWidget          *confirm_box;
  GtkLabel           *confirm_heading;
  GtkLabel           *confirm_body;
  GtkButton          *confirm_cancel_button;
  GtkButton          *confirm_send_button;
  GtkStack           *action_stack;   /* Submit, or Stop while sending */
  GtkButton          *stop_button;
  GtkButton          *submit_button;
  GtkWidget          *progress_box;
  GtkProgressBar     *progress_bar;
  GtkLabel           *result_label;
  GtkButton          *dismiss_button;
  GtkWidget          *panel_space;    /* the text's bottom gutter, under the panel */
  int                 panel_space_height; /* its height, as last measured … */
  int                 panel_space_width;  /* … for the text's width */
  guint               refit_source;   /* measured again for a new width */

  RelayCore          *core;
  gulong              catalog_changed_id;
  gulong              order_sent_id;
  gboolean            setting_text;    /* the page itself is changing the text */
  char               *pending_text;    /* the rest of a long text being put in, a slice a frame */
  gsize               pending_at;
  guint               pending_source;
  gboolean            pending_clear;   /* the old text goes first, a slice a frame */
  gboolean            plan_when_put;   /* planned once in even while sending (the lines a
                                        * submit left) */
  guint               replan_source;
  RelayMassPlanModel *model;          /* the plan the preview shows (its rows may still come) */
  GCancellable       *plan_cancellable; /* the plan being made on the core's worker */
  gboolean            planning;
  gboolean            submit_when_planned;  /* Submit was clicked while planning */
  GPtrArray          *plan_waiters;   /* GTask*, returned once the next plan is shown */
  RelayMassPlanModel *sent_model;     /* the last submit's lines, whose outcomes are counted */
  RelayMassPlanModel *confirm_model;  /* the plan Send is asked for in the page; NULL = not asking */
  GCancellable       *cancellable;
  char               *csv_name;       /* the imported file: the text is CSV; NULL = pasted lines */
  char               *draft_path;     /* where the text not sent is kept (beside the book) */
  gboolean            draft_saved;    /* the text is there: the page left its window */
  GtkNativeDialog    *file_chooser;   /* Import CSV… while open */

  /* While (and after) sending the last submit. */
  gboolean            sending;
  gboolean            recording;       /* the good lines are being recorded: the text stays */
  gboolean            stop_requested;  /* Stop was pressed since the last submit began */
  RunEnd              run_end;         /* how the last submit's run went (or goes) … */
  guint               n_done_at_stop;  /* … with this many done when it ended (a refresh
                                        * may send more) */
  gboolean            send_coming;     /* Send (or Submit without a question) was pressed
                                        * with the keyboard: GTK clicks it 250 ms later */
  guint               send_coming_source;
  gboolean            replan_after;    /* the text changed while sending */
  guint               n_submitted;
  guint               n_bad_left;
  guint               n_done;
  guint               n_sent;
  guint               n_failed;
  guint               n_review;
  guint               n_retry;
  GArray             *sent_ids;       /* order ids sent since the outcomes were last shown */
  GHashTable         *counted;        /* order id -> its counted RelayMassLineState + 1 */
  guint               outcomes_source;
  gint64              progress_text_at;      /* monotonic µs the progress text was set */
  guint               progress_text_source;  /* its next setting */
  guint               settle_source;   /* the changes left for the next frame */
  gboolean            clear_summary;   /* "Recording…" goes in the next frame */
};

G_DEFINE_FINAL_TYPE (RelayMassOrderPage, relay_mass_order_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CORE,
  PROP_BUSY,
  PROP_RECORDING,
  N_PROPS
};

enum {
  SIGNAL_MESSAGE,
  SIGNAL_ORDER_PLACED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
emit_message (RelayMassOrderPage *self, const char *text)
{
  g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, text);
}

/* ---- the preview's cells ---- */

/* GTK 4.8 keeps up to 200 rows of a list alive, so a re-plan makes 1,200 cells:
 * they are GtkInscriptions filled in C (no GtkBuilder template to parse, no
 * GBinding), and only the status cell follows its line as it changes.  An
 * inscription's size comes from the font, not from its text: a new text only
 * redraws it, where a label's queued a resize of the whole window (its size
 * computed again, with X round trips, for every outcome shown while sending),
 * and the rows are measured without shaping their texts. */
typedef const char * (*CellText) (RelayMassLineItem *item);

typedef struct
{
  CellText                text;
  float                   xalign;
  GtkInscriptionOverflow  overflow;
  const char             *css_class;     /* NULL = none */
  gboolean                live;          /* follows the item's status */
  gboolean                tooltip;       /* the whole text on hover (often cut short) */
} ColumnSpec;

static const char *
line_text (RelayMassLineItem *item)
{
  static char text[16];

  /* Used at once by the caller (the main thread only). */
  g_snprintf (text, sizeof text, "%u", relay_mass_line_item_get_line_number (item));
  return text;
}

static const ColumnSpec line_spec = { line_text, 1.0, GTK_INSCRIPTION_OVERFLOW_CLIP, "dim-label" };
static const ColumnSpec service_spec = { relay_mass_line_item_get_service_name, 0.0,
                                         GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END, NULL, FALSE, TRUE };
static const ColumnSpec link_spec = { relay_mass_line_item_get_link, 0.0,
                                      GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_MIDDLE, NULL, FALSE, TRUE };
static const ColumnSpec quantity_spec = { relay_mass_line_item_get_quantity_text, 1.0,
                                          GTK_INSCRIPTION_OVERFLOW_CLIP, "numeric" };
static const ColumnSpec charge_spec = { relay_mass_line_item_get_charge_text, 1.0,
                                        GTK_INSCRIPTION_OVERFLOW_CLIP, "numeric" };
static const ColumnSpec status_spec = { relay_mass_line_item_get_status_text, 0.0,
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
  show_cell (cell, item, &status_spec);
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

static void
set_column_factory (GtkColumnViewColumn *column,
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
static void
update_send (RelayMassOrderPage *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->confirm_send_button),
                            self->confirm_model != NULL && !self->sending && !self->planning &&
                            self->replan_source == 0 && self->pending_text == NULL);
}

static void
update_submit (RelayMassOrderPage *self)
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
  update_send (self);
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

static void
show_plan_summary (RelayMassOrderPage *self)
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
static void
set_model (RelayMassOrderPage *self, RelayMassPlanModel *model)
{
  g_set_object (&self->model, model);
  gtk_stack_set_visible_child_name (self->preview_stack,
                                    model != NULL && g_list_model_get_n_items (G_LIST_MODEL (model)) > 0
                                    ? "preview" : "empty");
  if (self->preview_source == 0 && preview_first_step (self))
    self->preview_source = g_timeout_add (FRAME_MS, preview_timeout, self);
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
static char *
dup_csv_header (const char *text, RelayMassPlan *plan)
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

static void on_submit_clicked (RelayMassOrderPage *self);
static void update_import_wait (RelayMassOrderPage *self);
static void end_send_coming (RelayMassOrderPage *self);
static void show_result (RelayMassOrderPage *self, const char *text);
static char *outcome_summary (RelayMassOrderPage *self);
static gboolean has_focus_within (GtkWidget *widget);
static void hide_confirmation (RelayMassOrderPage *self);
static gboolean plans_send_the_same (RelayMassPlan *a,
                                     RelayMassPlan *b);
static gboolean plans_show_the_same (RelayMassPlan *a,
                                     RelayMassPlan *b);

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
      hide_confirmation (self);
      set_model (self, NULL);
      mark_bad_lines (self, NULL);
      update_submit (self);
      gtk_widget_set_visible (GTK_WIDGET (self->balance_label), FALSE);
      gtk_label_set_label (self->summary_label, error->message);
      return;
    }
  /* Asking for Send of a plan that no longer stands (a catalog sync
   * changed a price): the new total is shown, to be submitted again. */
  if (self->confirm_model != NULL &&
      !plans_send_the_same (plan, relay_mass_plan_model_get_plan (self->confirm_model)))
    {
      hide_confirmation (self);
      emit_message (self, _("The lines or prices changed; check the new total and submit again"));
    }
  /* A catalog or balance change that changes nothing the preview shows (a
   * refresh records every provider's balance: each is a ::catalog-changed):
   * the rows stay as they are.  Replacing them (the rows, the marks in the
   * text, the summary) for a 10,000-line paste while a refresh ran was a
   * frame of 25-30 ms.  The summary and its balance warning are read again. */
  if (self->model != NULL &&
      plans_show_the_same (plan, relay_mass_plan_model_get_plan (self->model)))
    {
      relay_mass_plan_free (plan);
      if (!self->sending)
        show_plan_summary (self);
      update_submit (self);
      return;
    }
  if (plan->n_bad > 0)
    names = service_names (self);
  model = relay_mass_plan_model_new (plan, names);
  set_model (self, model);
  mark_bad_lines (self, plan);
  /* While the last submit is recorded and sent, its progress and outcome
   * stand there instead. */
  if (!self->sending)
    show_plan_summary (self);
  update_submit (self);
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
      on_submit_clicked (self);
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
  update_send (self);
  relay_core_plan_mass_order_async (self->core, text, self->csv_name != NULL,
                                    self->plan_cancellable, plan_ready, g_object_ref (self));
}

static void
replan (RelayMassOrderPage *self)
{
  plan_text (self, FALSE);
}

static gboolean
replan_timeout (gpointer user_data)
{
  RelayMassOrderPage *self = user_data;

  self->replan_source = 0;
  replan (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_replan (RelayMassOrderPage *self)
{
  g_clear_handle_id (&self->replan_source, g_source_remove);
  self->replan_source = g_timeout_add (REPLAN_DELAY_MS, replan_timeout, self);
  update_send (self);
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
static void
show_result (RelayMassOrderPage *self,
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
  gboolean had_focus = has_focus_within (self->progress_box);

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
  hide_confirmation (self);
  /* New lines after a run that ended: its outcome (told in a notification
   * too) no longer stands under them. */
  dismiss_outcome (self);
  /* Until the plan is redone, the button would send the old one. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->submit_button), FALSE);
  schedule_replan (self);
}

static void
on_catalog_changed (RelayMassOrderPage *self)
{
  /* Prices or services changed: check the lines again. */
  update_example (self);
  if (!self->sending)
    schedule_replan (self);
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
static void
put_text (RelayMassOrderPage *self, const char *text, gssize len, gboolean even_if_sending)
{
  g_clear_handle_id (&self->pending_source, g_source_remove);
  g_clear_pointer (&self->pending_text, g_free);
  g_clear_handle_id (&self->replan_source, g_source_remove);
  self->submit_when_planned = FALSE;
  hide_confirmation (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->submit_button), FALSE);
  self->pending_text = len < 0 ? g_strdup (text) : g_strndup (text, (gsize) len);
  self->pending_at = 0;
  self->pending_clear = TRUE;
  self->plan_when_put = even_if_sending;
  if (put_text_slice (self))
    self->pending_source = g_timeout_add (FRAME_MS, put_text_timeout, self);
}

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

      show_result (self, summary);
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
static void
refuse_insert_while_busy (RelayMassOrderPage *self)
{
  if ((self->recording || self->pending_text != NULL) && !self->setting_text)
    g_signal_stop_emission_by_name (self->paste_buffer, "insert-text");
}

static void
refuse_delete_while_busy (RelayMassOrderPage *self)
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
  update_submit (self);
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
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
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
static void
on_order_sent (RelayMassOrderPage *self,
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
    emit_message (self, error->message);

  show_outcomes (self);
  /* What Stop left: from here on a refresh may send the rest.  A run that
   * ends with orders of ours never tried, and not by our Stop, was cut
   * short: the dispatcher stops when it cannot record an order as being
   * sent (another process holds the book's write lock past its timeout,
   * the disk is full) or read the due orders — it says why only in its log
   * ("Stopped sending: …"), so the reason shown is the likely one; the
   * app's quit stops it too, but then no one reads this. */
  if (self->run_end == RUN_STOPPING)
    {
      self->run_end = RUN_STOPPED;
      self->n_done_at_stop = self->n_done;
    }
  else if (self->run_end == RUN_GOING && self->n_done < self->n_submitted)
    {
      self->run_end = RUN_CUT_SHORT;
      self->n_done_at_stop = self->n_done;
    }
  set_sending (self, FALSE);
  show_progress (self);
  summary = outcome_summary (self);
  show_result (self, summary);
  self->clear_summary = FALSE;
  gtk_label_set_label (self->summary_label, "");
  /* One message per event: the summary stands under the progress bar; a
   * toast says it only to someone who went to another page meanwhile. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    emit_message (self, summary);
  if (self->replan_after)
    schedule_replan (self);
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
  header = dup_csv_header (data->text, relay_mass_plan_model_get_plan (data->model));
  if (header == NULL)
    return bad_text;
  {
    char *with_header = g_strconcat (header, "\n", bad_text, NULL);

    g_free (bad_text);
    return with_header;
  }
}

static void save_draft (RelayMassOrderPage *self,
                        const char         *text);
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
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECORDING]);
  /* The page left its window meanwhile (its text kept as a draft, whole):
   * what was recorded is in the book (the application's refresh sends it)
   * and the draft keeps only the lines left. */
  if (self->draft_saved && ids != NULL)
    {
      g_autofree char *left = dup_text_left (data, self->csv_name != NULL);

      save_draft (self, left);
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
        show_plan_summary (self);
      show_result (self, text);
      if (self->replan_after)
        schedule_replan (self);
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
    g_signal_emit (self, signals[SIGNAL_ORDER_PLACED], 0, g_array_index (ids, gint64, 0));

  /* The good lines are orders now: only the bad ones stay for fixing, and
   * the preview, its line numbers and the marks are planned again from
   * them, as after typing (the progress and the summary tell the outcomes). */
  /* A CSV keeps its header above them, so its columns are read the same. */
  bad_text = dup_text_left (data, self->csv_name != NULL);
  put_text (self, bad_text, -1, TRUE);

  recorded = relay_format_count (ids->len);
  {
    g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                          "%s order recorded; sending…",
                                                          "%s orders recorded; sending…",
                                                          ids->len),
                                             recorded);
    show_result (self, text);
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
      show_result (self, summary);
      if (self->replan_after)
        schedule_replan (self);
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
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECORDING]);
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
static gboolean
plans_send_the_same (RelayMassPlan *a,
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
static gboolean
plans_show_the_same (RelayMassPlan *a,
                     RelayMassPlan *b)
{
  if (!plans_send_the_same (a, b))
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
static gboolean
has_focus_within (GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

/* Takes the question away (Cancel, Escape, Send, an edit, a new plan); the
 * keyboard focus it had goes back to Submit, to Stop, or to the text. */
static void
hide_confirmation (RelayMassOrderPage *self)
{
  gboolean had_focus;

  if (self->confirm_model == NULL)
    return;
  had_focus = has_focus_within (self->confirm_box);
  g_clear_object (&self->confirm_model);
  gtk_widget_set_visible (self->confirm_box, FALSE);
  update_submit (self);
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
  update_submit (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->confirm_cancel_button));
}

static void
on_confirm_cancel_clicked (RelayMassOrderPage *self)
{
  hide_confirmation (self);
}

/* Escape on the page while asking is Cancel; otherwise it goes on. */
static gboolean
on_escape (GtkWidget *widget,
           GVariant  *args,
           gpointer   user_data)
{
  RelayMassOrderPage *self = RELAY_MASS_ORDER_PAGE (widget);

  if (self->confirm_model == NULL)
    return FALSE;
  hide_confirmation (self);
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
       !plans_send_the_same (relay_mass_plan_model_get_plan (self->model),
                             relay_mass_plan_model_get_plan (confirmed))))
    {
      hide_confirmation (self);
      emit_message (self, _("The lines or prices changed; check the new total and submit again"));
      return;
    }
  /* Sending first (Submit stays insensitive), then the question goes and
   * the progress comes in its place. */
  submit (self);
  hide_confirmation (self);
}

/* Sending, or not after all: Import waits only while sending. */
static void
on_confirm_send_clicked (RelayMassOrderPage *self)
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
        replan (self);
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

static void
on_submit_clicked (RelayMassOrderPage *self)
{
  submit_clicked (self);
  end_send_coming (self);
}

static void
on_stop_clicked (RelayMassOrderPage *self)
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
static gboolean
import_waits (RelayMassOrderPage *self)
{
  return self->sending || self->send_coming;
}

/* "Import waits until the orders being sent are done" (shown when Import
 * is clicked meanwhile) stands only while Import waits. */
static void
update_import_wait (RelayMassOrderPage *self)
{
  if (!import_waits (self) && gtk_widget_get_visible (GTK_WIDGET (self->import_wait_label)))
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

static void
on_send_activate (RelayMassOrderPage *self)
{
  if (self->confirm_model != NULL && !self->sending &&
      gtk_widget_get_sensitive (GTK_WIDGET (self->confirm_send_button)))
    begin_send_coming (self);
}

/* Submit sends at once when it asks nothing (no question wanted, or the
 * lines cost nothing). */
static void
on_submit_activate (RelayMassOrderPage *self)
{
  RelayMassPlan *plan = self->model != NULL ? relay_mass_plan_model_get_plan (self->model) : NULL;

  if (plan != NULL && plan->n_good > 0 && !self->sending && self->confirm_model == NULL &&
      gtk_widget_get_sensitive (GTK_WIDGET (self->submit_button)) &&
      (plan->total <= 0 || !relay_pages_confirmations_enabled ()))
    begin_send_coming (self);
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
  put_text (self, contents, (gssize) len, FALSE);
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
      emit_message (self, text);
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
  if (import_waits (self))
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
static void
save_draft (RelayMassOrderPage *self,
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
  save_draft (self, text);
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
  put_text (self, text, -1, FALSE);
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
  hide_confirmation (self);
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
                                 G_CALLBACK (on_order_sent), self, G_CONNECT_SWAPPED);
    }
  relay_client_picker_set_core (self->client_picker, core);
  relay_funds_banner_set_core (self->funds_banner, core);
  update_example (self);
  replan (self);
  /* The text the last page on this book did not send. */
  restore_draft (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CORE]);
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

  properties[PROP_CORE] =
    g_param_spec_object ("core", NULL, NULL, RELAY_TYPE_CORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_RECORDING] =
    g_param_spec_boolean ("recording", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[SIGNAL_ORDER_PLACED] =
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
  gtk_widget_class_bind_template_callback (widget_class, on_submit_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_dismiss_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_confirm_cancel_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_confirm_send_clicked);
  /* Escape while Send is asked for is Cancel. */
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, on_escape, NULL);
  gtk_widget_class_bind_template_callback (widget_class, on_import_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_preview_activate);
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
                            G_CALLBACK (refuse_insert_while_busy), self);
  g_signal_connect_swapped (self->paste_buffer, "delete-range",
                            G_CALLBACK (refuse_delete_while_busy), self);
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
                            G_CALLBACK (on_send_activate), self);
  g_signal_connect_swapped (self->submit_button, "activate",
                            G_CALLBACK (on_submit_activate), self);
  update_mark_color (self);
  update_example (self);
  set_column_factory (self->line_column, &line_spec);
  set_column_factory (self->service_column, &service_spec);
  set_column_factory (self->link_column, &link_spec);
  set_column_factory (self->quantity_column, &quantity_spec);
  set_column_factory (self->charge_column, &charge_spec);
  set_column_factory (self->status_column, &status_spec);
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
  put_text (self, text ? text : "", -1, FALSE);
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
