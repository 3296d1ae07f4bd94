/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayClientsPage: lists clients and the chosen one's ledger from the order book; adds clients,
 * records payments through the store, and gives a client's statement for a period as CSV or on
 * paper (relay-clients-page-print.c). */
#include "config.h"

#include "relay-clients-page.h"
#include "relay-clients-page-private.h"
#include "relay-client-item.h"
#include "relay-ledger-item.h"
#include "relay-manage-private.h"
#include "relay-money.h"

#include <string.h>
#include <glib/gi18n-lib.h>

struct _RelayClientsPage
{
  GtkWidget           parent_instance;

  GtkPaned           *paned;
  guint               orientation_source;

  GtkEntry           *new_client_entry;
  GtkButton          *add_button;
  GtkLabel           *add_error_label;
  GtkStack           *clients_stack;
  GtkColumnView      *clients_view;
  GtkSingleSelection *clients_selection;
  GtkStack           *detail_stack;
  GtkLabel           *client_name_label;
  GtkLabel           *owes_label;
  GtkLabel           *counts_label;
  GtkEntry           *amount_entry;
  GtkEntry           *note_entry;
  GtkButton          *record_button;
  GtkLabel           *payment_error_label;
  GtkStack           *ledger_stack;
  GtkColumnView      *ledger_view;
  GtkNoSelection     *ledger_selection;
  GtkDropDown        *period_dropdown;
  GtkButton          *export_button;
  GtkButton          *print_button;
  GtkLabel           *statement_label;

  RelayCore          *core;
  gulong              clients_changed_id;
  gulong              orders_changed_id;
  gulong              catalog_changed_id;
  guint               reload_source;
  GListStore         *clients;    /* RelayClientItem */
  GListStore         *ledger;     /* RelayLedgerItem */
  char               *currency;   /* the book's, or NULL */
  gboolean            loading;
  gboolean            client_stale;     /* the chosen client changed while the page was hidden */
  gboolean            list_stale;       /* the list changed (or was never read) while hidden */
  GCancellable       *cancellable;      /* exports under way */
  GCancellable       *statement_cancellable;  /* the summary being read, on a worker */
  GtkNativeDialog    *file_chooser;     /* the Export CSV… dialog while open */
  GtkPrintOperation  *print_operation;  /* the last one shown with the print dialog */
};

G_DEFINE_FINAL_TYPE (RelayClientsPage, relay_clients_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CORE,
  N_PROPS
};

enum {
  SIGNAL_MESSAGE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
emit_message (RelayClientsPage *self, const char *text)
{
  g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, text);
}

static RelayClientItem *
get_selected (RelayClientsPage *self)
{
  return gtk_single_selection_get_selected_item (self->clients_selection);
}

/* The payment amount's problem as a sentence, or NULL (also when empty). */
static char *
amount_problem (const char *amount_text,
                const char *currency)
{
  g_autoptr(GError) error = NULL;
  gint64 amount = 0;

  if (amount_text == NULL)
    return NULL;
  if (!relay_money_parse_typed (amount_text, currency, &amount, &error))
    return relay_format_sentence (error->message);
  if (amount <= 0)
    return g_strdup (_("A payment is more than 0"));
  return NULL;
}

static void
update_actions (RelayClientsPage *self)
{
  g_autofree char *name = relay_manage_dup_text (GTK_EDITABLE (self->new_client_entry));
  g_autofree char *amount = relay_manage_dup_text (GTK_EDITABLE (self->amount_entry));
  g_autofree char *problem = amount_problem (amount, self->currency);

  gtk_widget_set_sensitive (GTK_WIDGET (self->add_button), self->core != NULL && name != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->record_button),
                            get_selected (self) != NULL && amount != NULL && problem == NULL);
}

/* ---- the statement ---- */

/* The periods of period_dropdown, in its order. */
enum
{
  PERIOD_THIS_MONTH,
  PERIOD_LAST_MONTH,
  PERIOD_LAST_30_DAYS,
  PERIOD_THIS_YEAR,
  PERIOD_ALL_TIME,
};

/* [@out_from, @out_to) of the chosen period in Unix seconds: whole local days. */
static void
period_range (RelayClientsPage *self,
              gint64           *out_from,
              gint64           *out_to)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) month = NULL;
  g_autoptr(GDateTime) previous = NULL;
  g_autoptr(GDateTime) year = NULL;
  gint64 unused;

  switch (gtk_drop_down_get_selected (self->period_dropdown))
    {
    case PERIOD_LAST_MONTH:
      month = g_date_time_new_local (g_date_time_get_year (now), g_date_time_get_month (now), 1,
                                     0, 0, 0);
      previous = g_date_time_add_months (month, -1);
      *out_from = g_date_time_to_unix (previous);
      *out_to = g_date_time_to_unix (month);
      break;
    case PERIOD_LAST_30_DAYS:
      relay_report_period_range (RELAY_REPORT_PERIOD_30_DAYS, now, out_from, out_to);
      break;
    case PERIOD_THIS_YEAR:
      year = g_date_time_new_local (g_date_time_get_year (now), 1, 1, 0, 0, 0);
      relay_report_period_range (RELAY_REPORT_PERIOD_TODAY, now, &unused, out_to);
      *out_from = g_date_time_to_unix (year);
      break;
    case PERIOD_ALL_TIME:
      *out_from = 0;
      *out_to = G_MAXINT64;
      break;
    case PERIOD_THIS_MONTH:
    default:
      relay_report_period_range (RELAY_REPORT_PERIOD_MONTH, now, out_from, out_to);
      break;
    }
}

RelayStatement *
relay_clients_page_dup_statement (RelayClientsPage  *self,
                                  GError           **error)
{
  RelayClientItem *item;
  gint64 from, to;

  g_return_val_if_fail (RELAY_IS_CLIENTS_PAGE (self), NULL);

  item = get_selected (self);
  if (item == NULL || self->core == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("No client is chosen"));
      return NULL;
    }
  period_range (self, &from, &to);
  return relay_core_client_statement (self->core, relay_client_item_get_row (item)->id, from, to,
                                     error);
}

/* Orders not sent yet have no currency: when the statement names none and
 * is not mixed, the book's currency is what its amounts are in. */
static void
fill_currency (RelayClientsPage *self,
               RelayStatement   *st)
{
  if (st->currency == NULL && !st->mixed_currencies && self->currency != NULL)
    st->currency = g_strdup (self->currency);
}

/* "1 Nov 2026 – 30 Nov 2026: opening 0.00 USD · charged 12.00 USD · …" under the buttons. */
static void
statement_ready (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(RelayClientsPage) self = user_data;
  g_autoptr(RelayStatement) st = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *period = NULL;
  g_autofree char *text = NULL;

  st = relay_core_client_statement_finish (RELAY_CORE (source), result, &error);
  /* A newer read (another client, period or change) replaced this one. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->statement_cancellable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), st != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->print_button), st != NULL);
  if (st == NULL)
    {
      g_autofree char *reason = relay_format_sentence (error->message);

      gtk_label_set_label (self->statement_label, reason);
      return;
    }
  fill_currency (self, st);
  period = relay_clients_page_describe_period (st);
  if (st->lines->len == 0)
    {
      g_autofree char *closing = relay_format_money (st->closing, st->currency,
                                                     RELAY_MONEY_STYLE_TOTAL);

      /* TRANSLATORS: "1 Nov 2026 – 30 Nov 2026: no orders or payments; owed 0.00 USD" */
      text = g_strdup_printf (_("%s: no orders or payments; owed %s"), period, closing);
    }
  else
    {
      g_autofree char *opening = relay_format_money (st->opening, st->currency, RELAY_MONEY_STYLE_TOTAL);
      g_autofree char *charged = relay_format_money (st->charged, st->currency, RELAY_MONEY_STYLE_TOTAL);
      g_autofree char *refunded = relay_format_money (st->refunded, st->currency, RELAY_MONEY_STYLE_TOTAL);
      g_autofree char *paid = relay_format_money (st->paid, st->currency, RELAY_MONEY_STYLE_TOTAL);
      g_autofree char *closing = relay_format_money (st->closing, st->currency, RELAY_MONEY_STYLE_TOTAL);
      g_autofree char *orders = relay_format_count (st->n_orders);
      g_autofree char *payments = relay_format_count (st->n_payments);
      g_autofree char *n_orders = NULL;
      g_autofree char *n_payments = NULL;

      /* TRANSLATORS: part of a statement's summary: "6 orders, 1 payment" */
      n_orders = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s order", "%s orders",
                                               st->n_orders), orders);
      /* TRANSLATORS: part of a statement's summary: "6 orders, 1 payment" */
      n_payments = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s payment", "%s payments",
                                                 st->n_payments), payments);
      /* TRANSLATORS: a statement's summary: "1 Nov 2026 – 30 Nov 2026, 6 orders, 1 payment"
       * then on a second line the money */
      text = g_strdup_printf (_("%s, %s, %s\nOpening %s · charged %s · refunded %s · paid %s · closing %s"),
                              period, n_orders, n_payments, opening, charged, refunded, paid, closing);
    }
  gtk_label_set_label (self->statement_label, text);
}

/* Reads the summary on a worker (a big client's ledger is millions of rows);
 * the label keeps the last summary until the new one is read. */
static void
show_statement (RelayClientsPage *self)
{
  RelayClientItem *item = get_selected (self);
  gint64 from, to;

  if (self->statement_cancellable != NULL)
    {
      g_cancellable_cancel (self->statement_cancellable);
      g_clear_object (&self->statement_cancellable);
    }
  if (item == NULL || self->core == NULL)
    {
      gtk_label_set_label (self->statement_label, "");
      gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->print_button), FALSE);
      return;
    }
  period_range (self, &from, &to);
  self->statement_cancellable = g_cancellable_new ();
  relay_core_client_statement_async (self->core, relay_client_item_get_row (item)->id, from, to,
                                     self->statement_cancellable, statement_ready,
                                     g_object_ref (self));
}

static void
on_period_changed (RelayClientsPage *self)
{
  show_statement (self);
}

static void
export_written (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
export_statement_read (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(RelayStatement) st = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  GFile *file = g_task_get_task_data (task);
  GCancellable *cancellable;
  char *csv;

  st = relay_core_client_statement_finish (RELAY_CORE (source), result, &error);
  if (st == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  csv = relay_statement_to_csv (st);
  bytes = g_bytes_new_take (csv, strlen (csv));
  /* The file chooser asked before replacing a file. */
  cancellable = g_task_get_cancellable (task);
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       cancellable, export_written, g_steal_pointer (&task));
}

void
relay_clients_page_export_statement_async (RelayClientsPage    *self,
                                           GFile               *file,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RelayClientItem *item;
  gint64 from, to;

  g_return_if_fail (RELAY_IS_CLIENTS_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_clients_page_export_statement_async);
  item = get_selected (self);
  if (item == NULL || self->core == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("No client is chosen"));
      return;
    }
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  period_range (self, &from, &to);
  /* The whole period's ledger is read on a worker, not on the main loop. */
  relay_core_client_statement_async (self->core, relay_client_item_get_row (item)->id, from, to,
                                     cancellable, export_statement_read, g_steal_pointer (&task));
}

gboolean
relay_clients_page_export_statement_finish (RelayClientsPage  *self,
                                            GAsyncResult      *result,
                                            GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_export_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GFile) file = user_data;
  RelayClientsPage *self = RELAY_CLIENTS_PAGE (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_parse_name (file);
  g_autofree char *text = NULL;

  if (!relay_clients_page_export_statement_finish (self, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* TRANSLATORS: "Could not save the statement: Permission denied" */
      text = g_strdup_printf (_("Could not save the statement: %s"), error->message);
    }
  else
    /* TRANSLATORS: "Statement saved to /home/me/statement-Acme.csv" */
    text = g_strdup_printf (_("Statement saved to %s"), name);
  emit_message (self, text);
}

static void
on_export_response (GtkNativeDialog  *dialog,
                    int               response,
                    RelayClientsPage *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  if (self->file_chooser == dialog)
    g_clear_object (&self->file_chooser);
  if (file != NULL)
    relay_clients_page_export_statement_async (self, file, self->cancellable, on_export_done,
                                               g_object_ref (file));
}

/* "statement-Acme Agency-2026-11-01.csv": no folder separators from the name. */
static char *
suggested_name (RelayClientsPage *self)
{
  RelayClientItem *item = get_selected (self);
  g_autoptr(GDateTime) day = NULL;
  g_autofree char *date = NULL;
  g_autofree char *client = NULL;
  gint64 from, to;

  period_range (self, &from, &to);
  client = g_strdup (item ? relay_client_item_get_row (item)->name : "client");
  g_strdelimit (client, "/\\:", '-');
  if (from > 0)
    {
      day = g_date_time_new_from_unix_local (from);
      date = g_date_time_format (day, "%Y-%m-%d");
      return g_strdup_printf ("statement-%s-%s.csv", client, date);
    }
  return g_strdup_printf ("statement-%s.csv", client);
}

static void
on_export_clicked (RelayClientsPage *self)
{
  GtkNativeDialog *dialog;
  g_autofree char *name = suggested_name (self);

  if (get_selected (self) == NULL || self->core == NULL || self->file_chooser != NULL)
    return;
  dialog = GTK_NATIVE_DIALOG (gtk_file_chooser_native_new (_("Export Statement"),
                                                           relay_manage_get_window (GTK_WIDGET (self)),
                                                           GTK_FILE_CHOOSER_ACTION_SAVE,
                                                           _("_Export"), _("_Cancel")));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  gtk_native_dialog_set_modal (dialog, TRUE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_export_response), self, 0);
  self->file_chooser = dialog;
  gtk_native_dialog_show (dialog);
}

static void
on_print_done (GtkPrintOperation       *operation,
               GtkPrintOperationResult  result,
               RelayClientsPage        *self)
{
  g_autoptr(GError) error = NULL;

  if (result != GTK_PRINT_OPERATION_RESULT_ERROR)
    return;
  gtk_print_operation_get_error (operation, &error);
  if (error != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Could not print the statement: %s"),
                                               error->message);

      emit_message (self, text);
    }
}

gboolean
relay_clients_page_print_statement (RelayClientsPage  *self,
                                    const char        *pdf_path,
                                    int               *out_n_pages,
                                    GError           **error)
{
  g_autoptr(GtkPrintOperation) operation = NULL;
  RelayStatement *st;
  GtkPrintOperationResult result;

  g_return_val_if_fail (RELAY_IS_CLIENTS_PAGE (self), FALSE);

  st = relay_clients_page_dup_statement (self, error);
  if (st == NULL)
    return FALSE;
  fill_currency (self, st);
  operation = relay_clients_page_print_operation_new (st);
  if (pdf_path != NULL)
    {
      gtk_print_operation_set_export_filename (operation, pdf_path);
      result = gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT,
                                        relay_manage_get_window (GTK_WIDGET (self)), error);
      if (out_n_pages != NULL)
        g_object_get (operation, "n-pages", out_n_pages, NULL);
      return result != GTK_PRINT_OPERATION_RESULT_ERROR;
    }
  gtk_print_operation_set_allow_async (operation, TRUE);
  g_signal_connect_object (operation, "done", G_CALLBACK (on_print_done), self, 0);
  /* Kept until the next print or the page goes: the dialog may outlive this call. */
  g_set_object (&self->print_operation, operation);
  result = gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                                    relay_manage_get_window (GTK_WIDGET (self)), error);
  return result != GTK_PRINT_OPERATION_RESULT_ERROR;
}

static void
on_print_clicked (RelayClientsPage *self)
{
  g_autoptr(GError) error = NULL;

  if (!relay_clients_page_print_statement (self, NULL, NULL, &error))
    {
      g_autofree char *text = g_strdup_printf (_("Could not print the statement: %s"),
                                               error->message);

      emit_message (self, text);
    }
}

/* ---- the chosen client ---- */

/* How many of a client's ledger entries the page lists, newest first. */
#define LEDGER_SHOWN 200

static void
show_client (RelayClientsPage *self)
{
  RelayClientItem *item = get_selected (self);
  const RelayClientRow *row;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *owes = NULL;
  g_autofree char *counts = NULL;
  g_autofree char *orders = NULL;
  g_autofree char *active = NULL;

  if (item == NULL || self->core == NULL)
    {
      g_list_store_remove_all (self->ledger);
      gtk_stack_set_visible_child_name (self->detail_stack, "none");
      show_statement (self);
      update_actions (self);
      return;
    }
  /* The ledger and the statement read the client's whole history: only for
   * a page someone looks at (a sync changes orders every few seconds). */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->client_stale = TRUE;
      return;
    }
  self->client_stale = FALSE;
  row = relay_client_item_get_row (item);

  gtk_label_set_label (self->client_name_label, row->name);
  if (row->balance > 0)
    {
      /* TRANSLATORS: what a client owes, e.g. "Owes 12.50 USD" */
      owes = g_strdup_printf (_("Owes %s"), relay_client_item_get_owes_text (item));
      gtk_widget_remove_css_class (GTK_WIDGET (self->owes_label), "credit");
      gtk_widget_add_css_class (GTK_WIDGET (self->owes_label), "owes");
    }
  else if (row->balance < 0)
    {
      g_autofree char *credit = relay_format_money (-row->balance, self->currency, RELAY_MONEY_STYLE_TOTAL);

      /* TRANSLATORS: a client paid more than they were charged, e.g. "In credit: 3.00 USD" */
      owes = g_strdup_printf (_("In credit: %s"), credit);
      gtk_widget_remove_css_class (GTK_WIDGET (self->owes_label), "owes");
      gtk_widget_add_css_class (GTK_WIDGET (self->owes_label), "credit");
    }
  else
    {
      owes = g_strdup (_("Paid up"));
      gtk_widget_remove_css_class (GTK_WIDGET (self->owes_label), "owes");
      gtk_widget_remove_css_class (GTK_WIDGET (self->owes_label), "credit");
    }
  gtk_label_set_label (self->owes_label, owes);
  orders = relay_format_count (row->n_orders);
  active = relay_format_count (row->n_active);
  /* TRANSLATORS: "12 orders, 3 active" */
  counts = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s order, %s active", "%s orders, %s active",
                                         row->n_orders),
                            orders, active);
  gtk_label_set_label (self->counts_label, counts);

  /* The newest entries only: the statement (CSV, print) has the whole history. */
  entries = relay_store_list_ledger_recent (relay_core_get_store (self->core), row->id,
                                            LEDGER_SHOWN, &error);
  if (entries == NULL)
    {
      g_warning ("Could not read the ledger: %s", error->message);
      return;
    }
  g_ptr_array_set_free_func (entries, NULL);
  items = g_ptr_array_new_full (entries->len, g_object_unref);
  /* Newest first. */
  for (guint i = entries->len; i > 0; i--)
    g_ptr_array_add (items, relay_ledger_item_new (g_ptr_array_index (entries, i - 1), self->currency));
  g_list_store_splice (self->ledger, 0, g_list_model_get_n_items (G_LIST_MODEL (self->ledger)),
                       items->pdata, items->len);
  gtk_stack_set_visible_child_name (self->ledger_stack, items->len > 0 ? "list" : "empty");
  gtk_stack_set_visible_child_name (self->detail_stack, "client");
  show_statement (self);
  update_actions (self);
}

static void
select_client (RelayClientsPage *self, gint64 client_id)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->clients));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RelayClientItem) item = g_list_model_get_item (G_LIST_MODEL (self->clients), i);

      if (relay_client_item_get_row (item)->id == client_id)
        {
          gtk_single_selection_set_selected (self->clients_selection, i);
          return;
        }
    }
}

/* ---- the list ---- */

static void
reload (RelayClientsPage *self)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  RelayClientItem *selected = get_selected (self);
  gint64 selected_id = selected ? relay_client_item_get_row (selected)->id : 0;

  g_clear_handle_id (&self->reload_source, g_source_remove);
  if (self->core == NULL)
    {
      self->list_stale = FALSE;
      g_list_store_remove_all (self->clients);
      gtk_stack_set_visible_child_name (self->clients_stack, "empty");
      show_client (self);
      return;
    }
  /* Every client's order counts and balance read all of a big book's orders
   * and ledger: only for a page someone looks at.  The window opens on
   * another page, and a sync changes orders every few seconds. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->list_stale = TRUE;
      return;
    }
  self->list_stale = FALSE;

  g_free (self->currency);
  self->currency = relay_manage_dup_book_currency (relay_core_get_store (self->core));
  rows = relay_store_list_clients (relay_core_get_store (self->core), &error);
  if (rows == NULL)
    {
      g_warning ("Could not list the clients: %s", error->message);
      return;
    }
  g_ptr_array_set_free_func (rows, NULL);
  items = g_ptr_array_new_full (rows->len, g_object_unref);
  for (guint i = 0; i < rows->len; i++)
    g_ptr_array_add (items, relay_client_item_new (g_ptr_array_index (rows, i), self->currency));

  self->loading = TRUE;
  g_list_store_splice (self->clients, 0, g_list_model_get_n_items (G_LIST_MODEL (self->clients)),
                       items->pdata, items->len);
  if (selected_id != 0)
    select_client (self, selected_id);
  self->loading = FALSE;

  gtk_stack_set_visible_child_name (self->clients_stack, items->len > 0 ? "list" : "empty");
  show_client (self);
}

static gboolean
reload_idle (gpointer data)
{
  RelayClientsPage *self = data;

  self->reload_source = 0;
  reload (self);
  return G_SOURCE_REMOVE;
}

/* Orders change counts and balances; ledger writes and providers' currency
 * too.  Bursts are common (a sync): one reload per burst, from idle. */
static void
queue_reload (RelayClientsPage *self)
{
  if (self->reload_source == 0)
    self->reload_source = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, reload_idle, self, NULL);
}

static void
on_client_selected (RelayClientsPage *self)
{
  if (self->loading)
    return;
  relay_manage_show_error (GTK_WIDGET (self->amount_entry), self->payment_error_label, NULL);
  show_client (self);
}

/* ---- adding a client ---- */

static void
on_new_client_changed (RelayClientsPage *self)
{
  relay_manage_show_error (GTK_WIDGET (self->new_client_entry), self->add_error_label, NULL);
  update_actions (self);
}

static void
on_add_clicked (RelayClientsPage *self)
{
  g_autofree char *name = relay_manage_dup_text (GTK_EDITABLE (self->new_client_entry));
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gint64 id;

  if (self->core == NULL || name == NULL)
    return;
  id = relay_store_add_client (relay_core_get_store (self->core), name, &error);
  if (id == 0)
    {
      g_autofree char *reason = relay_format_sentence (error->message);

      relay_manage_show_error (GTK_WIDGET (self->new_client_entry), self->add_error_label, reason);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->new_client_entry), "");
  reload (self);
  select_client (self, id);
  /* TRANSLATORS: "Client Acme added" */
  text = g_strdup_printf (_("Client %s added"), name);
  emit_message (self, text);
}

/* ---- payments ---- */

static void
on_payment_changed (RelayClientsPage *self)
{
  g_autofree char *amount = relay_manage_dup_text (GTK_EDITABLE (self->amount_entry));
  g_autofree char *problem = amount_problem (amount, self->currency);

  /* Live, at the field, as soon as something is typed. */
  relay_manage_show_error (GTK_WIDGET (self->amount_entry), self->payment_error_label, problem);
  update_actions (self);
}

static void
on_record_clicked (RelayClientsPage *self)
{
  RelayClientItem *item = get_selected (self);
  g_autofree char *amount_text = relay_manage_dup_text (GTK_EDITABLE (self->amount_entry));
  g_autofree char *note = relay_manage_dup_text (GTK_EDITABLE (self->note_entry));
  g_autoptr(GError) error = NULL;
  g_autofree char *amount_shown = NULL;
  g_autofree char *text = NULL;
  g_autofree char *name = NULL;
  gint64 amount = 0;

  if (item == NULL || self->core == NULL)
    return;
  name = g_strdup (relay_client_item_get_row (item)->name);
  if (!relay_money_parse_typed (amount_text, self->currency, &amount, &error) ||
      !relay_store_add_payment (relay_core_get_store (self->core), relay_client_item_get_row (item)->id,
                                amount, note, &error))
    {
      g_autofree char *reason = relay_format_sentence (error->message);

      relay_manage_show_error (GTK_WIDGET (self->amount_entry), self->payment_error_label, reason);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->amount_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->note_entry), "");
  reload (self);
  amount_shown = relay_format_money (amount, self->currency, RELAY_MONEY_STYLE_TOTAL);
  /* TRANSLATORS: "Payment of 10.00 USD from Acme recorded" */
  text = g_strdup_printf (_("Payment of %s from %s recorded"), amount_shown, name);
  emit_message (self, text);
}

/* ---- the object ---- */

static void
disconnect_store (RelayClientsPage *self)
{
  RelayStore *store;

  if (self->core == NULL)
    return;
  store = relay_core_get_store (self->core);
  g_clear_signal_handler (&self->clients_changed_id, store);
  g_clear_signal_handler (&self->orders_changed_id, store);
  g_clear_signal_handler (&self->catalog_changed_id, store);
}

static void
relay_clients_page_dispose (GObject *object)
{
  RelayClientsPage *self = RELAY_CLIENTS_PAGE (object);
  GtkWidget *child;

  g_clear_handle_id (&self->reload_source, g_source_remove);
  g_clear_handle_id (&self->orientation_source, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  if (self->statement_cancellable != NULL)
    g_cancellable_cancel (self->statement_cancellable);
  g_clear_object (&self->statement_cancellable);
  if (self->file_chooser != NULL)
    gtk_native_dialog_destroy (self->file_chooser);
  g_clear_object (&self->file_chooser);
  g_clear_object (&self->print_operation);
  disconnect_store (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), RELAY_TYPE_CLIENTS_PAGE);
  /* gtk_widget_dispose_template() leaves a root without an id. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->clients);
  g_clear_object (&self->ledger);
  g_clear_object (&self->core);

  G_OBJECT_CLASS (relay_clients_page_parent_class)->dispose (object);
}

static void
relay_clients_page_finalize (GObject *object)
{
  RelayClientsPage *self = RELAY_CLIENTS_PAGE (object);

  g_clear_pointer (&self->currency, g_free);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (relay_clients_page_parent_class)->finalize (object);
}

static void
relay_clients_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  RelayClientsPage *self = RELAY_CLIENTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CORE:
      g_value_set_object (value, self->core);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_clients_page_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  RelayClientsPage *self = RELAY_CLIENTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CORE:
      relay_clients_page_set_core (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Narrow (a phone, a tiled window): the client list above the chosen
 * client instead of beside it.  Changed after the allocation, never in it. */
#define SIDE_BY_SIDE_MIN_WIDTH 760

static gboolean
apply_orientation (gpointer data)
{
  RelayClientsPage *self = data;
  gboolean narrow = gtk_widget_get_width (GTK_WIDGET (self)) < SIDE_BY_SIDE_MIN_WIDTH;

  self->orientation_source = 0;
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->paned),
                                  narrow ? GTK_ORIENTATION_VERTICAL : GTK_ORIENTATION_HORIZONTAL);
  return G_SOURCE_REMOVE;
}

static void
relay_clients_page_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  GtkWidget *child = gtk_widget_get_first_child (widget);

  *minimum = *natural = 0;
  if (child != NULL && gtk_widget_should_layout (child))
    gtk_widget_measure (child, orientation, for_size, minimum, natural,
                        minimum_baseline, natural_baseline);
}

static void
relay_clients_page_size_allocate (GtkWidget *widget,
                                  int        width,
                                  int        height,
                                  int        baseline)
{
  RelayClientsPage *self = RELAY_CLIENTS_PAGE (widget);
  GtkOrientation wanted = width < SIDE_BY_SIDE_MIN_WIDTH ? GTK_ORIENTATION_VERTICAL
                                                         : GTK_ORIENTATION_HORIZONTAL;
  GtkWidget *child = gtk_widget_get_first_child (widget);

  if (child != NULL && gtk_widget_should_layout (child))
    gtk_widget_allocate (child, width, height, baseline, NULL);
  if (gtk_orientable_get_orientation (GTK_ORIENTABLE (self->paned)) != wanted &&
      self->orientation_source == 0)
    self->orientation_source = g_idle_add (apply_orientation, self);
}

static void
relay_clients_page_map (GtkWidget *widget)
{
  RelayClientsPage *self = RELAY_CLIENTS_PAGE (widget);

  GTK_WIDGET_CLASS (relay_clients_page_parent_class)->map (widget);
  if (self->list_stale)
    reload (self);   /* shows the chosen client too */
  else if (self->client_stale)
    show_client (self);
}

static void
relay_clients_page_class_init (RelayClientsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->map = relay_clients_page_map;
  widget_class->measure = relay_clients_page_measure;
  widget_class->size_allocate = relay_clients_page_size_allocate;

  object_class->dispose = relay_clients_page_dispose;
  object_class->finalize = relay_clients_page_finalize;
  object_class->get_property = relay_clients_page_get_property;
  object_class->set_property = relay_clients_page_set_property;

  properties[PROP_CORE] =
    g_param_spec_object ("core", NULL, NULL, RELAY_TYPE_CORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);

  g_type_ensure (RELAY_TYPE_CLIENT_ITEM);
  g_type_ensure (RELAY_TYPE_LEDGER_ITEM);
  relay_manage_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RELAY_MANAGE_RESOURCE_PATH "relay-clients-page.ui");
  /* No layout manager: measure and size_allocate below lay out the one child
   * (and turn the split when the page gets narrow). */
  gtk_widget_class_set_css_name (widget_class, "relay-clients-page");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

  gtk_widget_class_bind_template_child (widget_class, RelayClientsPage, new_client_entry);
  gtk_widget_class_bind_template_child (widget_class, RelayClientsPage, add_button);
  gtk_widget_class_bind_template_child (widget_class, RelayClientsPage, add_error_label);
  gtk_widget_class_bind_template_child (widget_class, RelayClientsPage, clients_stack);
  gtk_widget_class_bind_template_child (widget_class, RelayClientsPage, clients_view);
  gtk_widget_class_bind_template_child (widget_class, RelayClientsPage, clients_selection);
  gtk_widget_class_bind_template_child (widget_class, RelayClientsPage, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, RelayClientsPage, client_name_label);
  gtk_widget_class_bind_template_child (widget_class, RelayClientsPage, owes_label);
  gtk_widget_class_bind_template_child (widget_class, RelayClientsPage, counts_label);
  gtk_widget_class_bind_template_child (widget_class, RelayClientsPage, paned);
  gtk_widget_class_bind_template_child (widget_class, RelayClientsPage, amount_entry);
  gtk_widget_class_bind_template_child (widget_class, RelayClientsPage, note_entry);
  gtk_widget_class_bind_template_child (widget_class, RelayClientsPage, record_button);
  gtk_widget_class_bind_template_child (widget_class, RelayClientsPage, payment_error_label);
  gtk_widget_class_bind_template_child (widget_class, RelayClientsPage, ledger_stack);
  gtk_widget_class_bind_template_child (widget_class, RelayClientsPage, ledger_view);
  gtk_widget_class_bind_template_child (widget_class, RelayClientsPage, ledger_selection);
  gtk_widget_class_bind_template_child (widget_class, RelayClientsPage, period_dropdown);
  gtk_widget_class_bind_template_child (widget_class, RelayClientsPage, export_button);
  gtk_widget_class_bind_template_child (widget_class, RelayClientsPage, print_button);
  gtk_widget_class_bind_template_child (widget_class, RelayClientsPage, statement_label);
  gtk_widget_class_bind_template_callback (widget_class, on_client_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_new_client_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_add_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_payment_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_record_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_period_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_export_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_print_clicked);
}

static void
relay_clients_page_init (RelayClientsPage *self)
{
  self->clients = g_list_store_new (RELAY_TYPE_CLIENT_ITEM);
  self->ledger = g_list_store_new (RELAY_TYPE_LEDGER_ITEM);
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  self->loading = TRUE;
  gtk_single_selection_set_model (self->clients_selection, G_LIST_MODEL (self->clients));
  gtk_no_selection_set_model (self->ledger_selection, G_LIST_MODEL (self->ledger));
  self->loading = FALSE;
  update_actions (self);
}

GtkWidget *
relay_clients_page_new (RelayCore *core)
{
  return g_object_new (RELAY_TYPE_CLIENTS_PAGE, "core", core, NULL);
}

RelayCore *
relay_clients_page_get_core (RelayClientsPage *self)
{
  g_return_val_if_fail (RELAY_IS_CLIENTS_PAGE (self), NULL);
  return self->core;
}

void
relay_clients_page_set_core (RelayClientsPage *self,
                             RelayCore        *core)
{
  RelayStore *store;

  g_return_if_fail (RELAY_IS_CLIENTS_PAGE (self));
  g_return_if_fail (core == NULL || RELAY_IS_CORE (core));

  if (self->core == core)
    return;
  disconnect_store (self);
  g_set_object (&self->core, core);
  if (core != NULL)
    {
      store = relay_core_get_store (core);
      self->clients_changed_id = g_signal_connect_object (store, "clients-changed",
                                                          G_CALLBACK (queue_reload), self,
                                                          G_CONNECT_SWAPPED);
      self->orders_changed_id = g_signal_connect_object (store, "orders-changed",
                                                         G_CALLBACK (queue_reload), self,
                                                         G_CONNECT_SWAPPED);
      self->catalog_changed_id = g_signal_connect_object (store, "catalog-changed",
                                                          G_CALLBACK (queue_reload), self,
                                                          G_CONNECT_SWAPPED);
    }
  reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CORE]);
}
