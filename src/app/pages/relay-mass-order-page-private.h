/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the files of RelayMassOrderPage share: its fields and the functions one file calls in another. */
#pragma once

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

G_BEGIN_DECLS

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

extern GParamSpec *relay_mass_order_page_properties[N_PROPS];
extern guint relay_mass_order_page_signals[N_SIGNALS];

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

/* relay-mass-order-page.c */
void relay_mass_order_page_emit_message (RelayMassOrderPage *self, const char *text);
char *relay_mass_order_page_dup_csv_header (const char *text, RelayMassPlan *plan);
void relay_mass_order_page_replan (RelayMassOrderPage *self);
void relay_mass_order_page_schedule_replan (RelayMassOrderPage *self);
void relay_mass_order_page_show_result (RelayMassOrderPage *self,
                                        const char         *text);
void relay_mass_order_page_put_text (RelayMassOrderPage *self, const char *text, gssize len,
                                     gboolean even_if_sending);
void relay_mass_order_page_save_draft (RelayMassOrderPage *self,
                                       const char         *text);

/* relay-mass-order-page-preview.c */
extern const ColumnSpec relay_mass_order_page_line_spec;
extern const ColumnSpec relay_mass_order_page_service_spec;
extern const ColumnSpec relay_mass_order_page_link_spec;
extern const ColumnSpec relay_mass_order_page_quantity_spec;
extern const ColumnSpec relay_mass_order_page_charge_spec;
extern const ColumnSpec relay_mass_order_page_status_spec;
void relay_mass_order_page_set_column_factory (GtkColumnViewColumn *column,
                                               const ColumnSpec    *spec);
void relay_mass_order_page_update_send (RelayMassOrderPage *self);
void relay_mass_order_page_update_submit (RelayMassOrderPage *self);
void relay_mass_order_page_show_plan_summary (RelayMassOrderPage *self);
void relay_mass_order_page_set_model (RelayMassOrderPage *self, RelayMassPlanModel *model);

/* relay-mass-order-page-send.c */
void relay_mass_order_page_refuse_insert_while_busy (RelayMassOrderPage *self);
void relay_mass_order_page_refuse_delete_while_busy (RelayMassOrderPage *self);
void relay_mass_order_page_on_order_sent (RelayMassOrderPage *self,
                                          gint64              order_id,
                                          guint               status);
gboolean relay_mass_order_page_plans_send_the_same (RelayMassPlan *a,
                                                    RelayMassPlan *b);
gboolean relay_mass_order_page_plans_show_the_same (RelayMassPlan *a,
                                                    RelayMassPlan *b);
gboolean relay_mass_order_page_has_focus_within (GtkWidget *widget);
void relay_mass_order_page_hide_confirmation (RelayMassOrderPage *self);
void relay_mass_order_page_on_confirm_cancel_clicked (RelayMassOrderPage *self);
gboolean relay_mass_order_page_on_escape (GtkWidget *widget,
                                          GVariant  *args,
                                          gpointer   user_data);
void relay_mass_order_page_on_confirm_send_clicked (RelayMassOrderPage *self);
void relay_mass_order_page_on_submit_clicked (RelayMassOrderPage *self);
void relay_mass_order_page_on_stop_clicked (RelayMassOrderPage *self);
gboolean relay_mass_order_page_import_waits (RelayMassOrderPage *self);
void relay_mass_order_page_on_send_activate (RelayMassOrderPage *self);
void relay_mass_order_page_on_submit_activate (RelayMassOrderPage *self);

G_END_DECLS
