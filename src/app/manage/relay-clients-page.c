/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayClientsPage: lists clients and the chosen one's ledger from the order book; adds clients and
 * records payments through the store. */
#include "config.h"

#include "relay-clients-page.h"
#include "relay-client-item.h"
#include "relay-ledger-item.h"
#include "relay-manage-private.h"
#include "relay-money.h"

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

  RelayCore          *core;
  gulong              clients_changed_id;
  gulong              orders_changed_id;
  gulong              catalog_changed_id;
  guint               reload_source;
  GListStore         *clients;    /* RelayClientItem */
  GListStore         *ledger;     /* RelayLedgerItem */
  char               *currency;   /* the book's, or NULL */
  gboolean            loading;
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

/* ---- the chosen client ---- */

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
      update_actions (self);
      return;
    }
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

  entries = relay_store_list_ledger (relay_core_get_store (self->core), row->id, &error);
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
      g_list_store_remove_all (self->clients);
      gtk_stack_set_visible_child_name (self->clients_stack, "empty");
      show_client (self);
      return;
    }

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
relay_clients_page_class_init (RelayClientsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

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
  gtk_widget_class_bind_template_callback (widget_class, on_client_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_new_client_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_add_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_payment_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_record_clicked);
}

static void
relay_clients_page_init (RelayClientsPage *self)
{
  self->clients = g_list_store_new (RELAY_TYPE_CLIENT_ITEM);
  self->ledger = g_list_store_new (RELAY_TYPE_LEDGER_ITEM);
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
