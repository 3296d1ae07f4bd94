/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayProvidersPage: lists the providers from the order book and drives the core's provider calls. */
#include "config.h"

#include "relay-providers-page.h"
#include "relay-funds-banner.h"
#include "relay-check-dialog.h"
#include "relay-manage-private.h"
#include "relay-money.h"
#include "relay-provider-dialog.h"
#include "relay-provider-item.h"

#include <glib/gi18n-lib.h>

struct _RelayProvidersPage
{
  GtkWidget           parent_instance;

  GtkStack           *stack;
  RelayFundsBanner   *funds_banner;
  GtkColumnView      *provider_view;
  GtkSingleSelection *selection;
  GtkButton          *test_button;
  GtkButton          *check_button;
  GtkButton          *refresh_button;
  GtkButton          *edit_button;
  GtkButton          *remove_button;
  GtkSpinner         *spinner;
  GtkLabel           *status_label;
  GtkLabel           *keys_label;       /* where the API keys are */

  RelayCore          *core;
  gulong              catalog_changed_id;
  guint               reload_source;
  GListStore         *providers;      /* RelayProviderItem */
  GCancellable       *cancellable;
  guint               n_busy;         /* balance requests in flight */
  /* Refresh balances: how many answered, and how many of them failed. */
  guint               refresh_pending;
  guint               refresh_total;
  guint               refresh_failed;
};

G_DEFINE_FINAL_TYPE (RelayProvidersPage, relay_providers_page, GTK_TYPE_WIDGET)

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
emit_message (RelayProvidersPage *self, const char *text)
{
  g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, text);
}

/* The result of the last test, under the toolbar: @failed shows it as an error.
 * One message per event: what shows here is not also a toast. */
static void
show_status (RelayProvidersPage *self, const char *text, gboolean failed)
{
  gtk_label_set_label (self->status_label, text ? text : "");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_label), text);
  if (failed)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "success");
      gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "success");
    }
}

static RelayProviderItem *
get_selected (RelayProvidersPage *self)
{
  return gtk_single_selection_get_selected_item (self->selection);
}

static void
update_actions (RelayProvidersPage *self)
{
  gboolean selected = get_selected (self) != NULL;
  gboolean busy = self->n_busy > 0;

  gtk_widget_set_sensitive (GTK_WIDGET (self->edit_button), selected);
  gtk_widget_set_sensitive (GTK_WIDGET (self->remove_button), selected);
  gtk_widget_set_sensitive (GTK_WIDGET (self->test_button), selected && !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->check_button), selected);
  gtk_widget_set_sensitive (GTK_WIDGET (self->refresh_button),
                            !busy && g_list_model_get_n_items (G_LIST_MODEL (self->providers)) > 0);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
}

/* ---- loading ---- */

static void
select_provider (RelayProvidersPage *self, gint64 provider_id)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->providers));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RelayProviderItem) item = g_list_model_get_item (G_LIST_MODEL (self->providers), i);

      if (relay_provider_item_get_id (item) == provider_id)
        {
          gtk_single_selection_set_selected (self->selection, i);
          return;
        }
    }
}

static void
reload (RelayProvidersPage *self)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  RelayProviderItem *selected = get_selected (self);
  gint64 selected_id = selected ? relay_provider_item_get_id (selected) : 0;

  if (self->core == NULL)
    {
      g_list_store_remove_all (self->providers);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      update_actions (self);
      return;
    }

  rows = relay_store_list_providers (relay_core_get_store (self->core), &error);
  if (rows == NULL)
    {
      g_warning ("Could not list the providers: %s", error->message);
      return;
    }
  /* The items take the rows. */
  g_ptr_array_set_free_func (rows, NULL);
  items = g_ptr_array_new_full (rows->len, g_object_unref);
  for (guint i = 0; i < rows->len; i++)
    g_ptr_array_add (items, relay_provider_item_new (g_ptr_array_index (rows, i)));
  g_list_store_splice (self->providers, 0, g_list_model_get_n_items (G_LIST_MODEL (self->providers)),
                       items->pdata, items->len);
  if (selected_id != 0)
    select_provider (self, selected_id);

  gtk_stack_set_visible_child_name (self->stack, items->len > 0 ? "list" : "empty");
  update_actions (self);
}

static gboolean
reload_idle (gpointer data)
{
  RelayProvidersPage *self = data;

  self->reload_source = 0;
  reload (self);
  return G_SOURCE_REMOVE;
}

/* Store signals come in bursts (a sync touches every provider): one reload
 * per burst, from idle. */
static void
on_catalog_changed (RelayProvidersPage *self, gint64 provider_id)
{
  if (self->reload_source == 0)
    self->reload_source = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, reload_idle, self, NULL);
}

static void
on_selection_changed (RelayProvidersPage *self)
{
  update_actions (self);
}

/* ---- add / edit ---- */

typedef struct
{
  RelayProvidersPage *self;
  gint64              provider_id;
  char               *name;
  gboolean            from_refresh;
} BalanceCall;

static void
balance_call_free (BalanceCall *call)
{
  g_clear_object (&call->self);
  g_free (call->name);
  g_free (call);
}

static void refresh_one_done (RelayProvidersPage *self, gboolean failed);

static void
balance_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  BalanceCall *call = user_data;
  RelayProvidersPage *self = call->self;
  g_autoptr(RelayProviderBalance) balance = NULL;
  g_autoptr(GError) error = NULL;

  balance = relay_core_refresh_balance_finish (RELAY_CORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      balance_call_free (call);
      return;
    }

  self->n_busy--;
  if (call->from_refresh)
    refresh_one_done (self, balance == NULL);
  else if (balance != NULL)
    {
      g_autofree char *amount = relay_format_money (balance->balance, balance->currency, RELAY_MONEY_STYLE_TOTAL);
      /* TRANSLATORS: a provider answered the connection test: "Demo provider answers: balance 1000.00 USD" */
      g_autofree char *text = g_strdup_printf (_("%s answers: balance %s"), call->name, amount);

      show_status (self, text, FALSE);
    }
  else
    {
      g_autofree char *reason = relay_format_sentence (error->message);
      /* TRANSLATORS: a connection test failed: "Demo provider: Invalid API key" */
      g_autofree char *text = g_strdup_printf (_("%s: %s"), call->name, reason);

      show_status (self, text, TRUE);
    }
  update_actions (self);
  balance_call_free (call);
}

static void
ask_balance (RelayProvidersPage *self,
             gint64              provider_id,
             const char         *name,
             gboolean            from_refresh)
{
  BalanceCall *call = g_new0 (BalanceCall, 1);

  call->self = g_object_ref (self);
  call->provider_id = provider_id;
  call->name = g_strdup (name);
  call->from_refresh = from_refresh;
  self->n_busy++;
  update_actions (self);
  relay_core_refresh_balance_async (self->core, provider_id, self->cancellable, balance_done, call);
}

static void
on_dialog_saved (RelayProvidersPage *self,
                 gint64              provider_id,
                 gboolean            added)
{
  g_autoptr(RelayProviderRow) row = NULL;
  g_autofree char *text = NULL;

  reload (self);
  select_provider (self, provider_id);
  row = relay_store_get_provider (relay_core_get_store (self->core), provider_id, NULL);
  if (row == NULL)
    return;
  text = added ? g_strdup_printf (_("%s added"), row->name)
               : g_strdup_printf (_("%s saved"), row->name);
  emit_message (self, text);
  /* A new provider, or a new URL or key: see at once whether it answers. */
  ask_balance (self, provider_id, row->name, FALSE);
}

static void
open_dialog (RelayProvidersPage *self, gint64 provider_id)
{
  RelayProviderDialog *dialog;

  if (self->core == NULL)
    return;
  dialog = relay_provider_dialog_new (self->core, provider_id, relay_manage_get_window (GTK_WIDGET (self)));
  g_signal_connect_object (dialog, "saved", G_CALLBACK (on_dialog_saved), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_add_clicked (RelayProvidersPage *self)
{
  open_dialog (self, 0);
}

static void
on_edit_clicked (RelayProvidersPage *self)
{
  RelayProviderItem *item = get_selected (self);

  if (item != NULL)
    open_dialog (self, relay_provider_item_get_id (item));
}

static void
on_provider_activated (RelayProvidersPage *self, guint position)
{
  g_autoptr(RelayProviderItem) item = g_list_model_get_item (G_LIST_MODEL (self->providers), position);

  if (item != NULL)
    open_dialog (self, relay_provider_item_get_id (item));
}

/* ---- remove ---- */

typedef struct
{
  RelayProvidersPage *page;
  char               *name;
} Removal;

static void
removal_free (Removal *removal)
{
  g_object_unref (removal->page);
  g_free (removal->name);
  g_free (removal);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Removal, removal_free)

/* The provider is out of the book, and its key out of the key store (on a
 * worker: a keyring may take seconds). */
static void
on_removed (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(Removal) removal = user_data;
  RelayProvidersPage *self = removal->page;
  g_autoptr(GError) error = NULL;

  if (!relay_core_remove_provider_finish (RELAY_CORE (source), result, &error))
    {
      g_autofree char *reason = relay_format_sentence (error->message);
      /* TRANSLATORS: removing a provider failed: "Could not remove Demo provider: …" */
      g_autofree char *text = g_strdup_printf (_("Could not remove %s: %s"), removal->name, reason);

      show_status (self, text, TRUE);
      return;
    }
  {
    g_autofree char *text = g_strdup_printf (_("%s removed"), removal->name);

    show_status (self, NULL, FALSE);
    emit_message (self, text);
  }
}

static void
remove_confirmed (GtkWidget *owner, gpointer user_data)
{
  RelayProvidersPage *self = RELAY_PROVIDERS_PAGE (owner);
  gint64 provider_id = GPOINTER_TO_SIZE (user_data);
  g_autoptr(RelayProviderRow) row = NULL;
  Removal *removal;

  if (self->core == NULL)
    return;
  row = relay_store_get_provider (relay_core_get_store (self->core), provider_id, NULL);
  if (row == NULL)
    return;
  removal = g_new0 (Removal, 1);
  removal->page = g_object_ref (self);
  removal->name = g_strdup (row->name);
  relay_core_remove_provider_async (self->core, provider_id, NULL, on_removed, removal);
}

static void
on_remove_clicked (RelayProvidersPage *self)
{
  RelayProviderItem *item = get_selected (self);
  const RelayProviderRow *row;
  g_autofree char *question = NULL;

  if (item == NULL)
    return;
  row = relay_provider_item_get_row (item);
  question = g_strdup_printf (_("Remove %s?"), row->name);
  relay_manage_confirm (GTK_WIDGET (self), question,
                        _("Its key is deleted from your key store and its catalog is forgotten. "
                          "A provider cannot be removed while orders sent to it are running or services of "
                          "yours are mapped to it."),
                        _("_Remove"), TRUE, remove_confirmed,
                        GSIZE_TO_POINTER ((gsize) row->id), NULL);
}

/* The health check of the selected provider, in its own dialog. */
static void
on_check_clicked (RelayProvidersPage *self)
{
  RelayProviderItem *item = get_selected (self);
  const RelayProviderRow *row;
  GtkWidget *dialog;

  if (item == NULL || self->core == NULL)
    return;
  row = relay_provider_item_get_row (item);
  dialog = relay_check_dialog_new (relay_manage_get_window (GTK_WIDGET (self)), self->core,
                                   row->id, row->name);
  /* For the notification when the check fails unseen (relay-notifier.c). */
  g_object_set_data_full (G_OBJECT (dialog), "relay-provider-name", g_strdup (row->name), g_free);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- balances ---- */

static void
on_test_clicked (RelayProvidersPage *self)
{
  RelayProviderItem *item = get_selected (self);
  const RelayProviderRow *row;
  g_autofree char *text = NULL;

  if (item == NULL || self->core == NULL)
    return;
  row = relay_provider_item_get_row (item);
  /* TRANSLATORS: while the connection test runs */
  text = g_strdup_printf (_("Asking %s…"), row->name);
  gtk_label_set_label (self->status_label, text);
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "success");
  ask_balance (self, row->id, row->name, FALSE);
}

static void
refresh_one_done (RelayProvidersPage *self, gboolean failed)
{
  g_autofree char *text = NULL;

  if (failed)
    self->refresh_failed++;
  if (--self->refresh_pending > 0)
    return;

  if (self->refresh_failed == 0)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Balance refreshed",
                                         "Balances of %u providers refreshed",
                                         self->refresh_total),
                            self->refresh_total);
  else
    /* TRANSLATORS: after Refresh balances, "1 of 3 providers did not answer; see Last error" */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u of %u provider did not answer; see Last error",
                                         "%u of %u providers did not answer; see Last error",
                                         self->refresh_total),
                            self->refresh_failed, self->refresh_total);
  show_status (self, text, self->refresh_failed > 0);
}

static void
on_refresh_clicked (RelayProvidersPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->providers));

  if (n == 0 || self->core == NULL || self->refresh_pending > 0)
    return;
  self->refresh_pending = self->refresh_total = n;
  self->refresh_failed = 0;
  gtk_label_set_label (self->status_label, _("Asking every provider…"));
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "success");
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RelayProviderItem) item = g_list_model_get_item (G_LIST_MODEL (self->providers), i);
      const RelayProviderRow *row = relay_provider_item_get_row (item);

      ask_balance (self, row->id, row->name, TRUE);
    }
}

/* ---- the object ---- */

static void
relay_providers_page_dispose (GObject *object)
{
  RelayProvidersPage *self = RELAY_PROVIDERS_PAGE (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->reload_source, g_source_remove);
  if (self->core != NULL)
    g_clear_signal_handler (&self->catalog_changed_id, relay_core_get_store (self->core));
  gtk_widget_dispose_template (GTK_WIDGET (self), RELAY_TYPE_PROVIDERS_PAGE);
  /* gtk_widget_dispose_template() leaves a root without an id. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->providers);
  g_clear_object (&self->core);

  G_OBJECT_CLASS (relay_providers_page_parent_class)->dispose (object);
}

static void
relay_providers_page_finalize (GObject *object)
{
  RelayProvidersPage *self = RELAY_PROVIDERS_PAGE (object);

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (relay_providers_page_parent_class)->finalize (object);
}

static void
relay_providers_page_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  RelayProvidersPage *self = RELAY_PROVIDERS_PAGE (object);

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
relay_providers_page_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  RelayProvidersPage *self = RELAY_PROVIDERS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CORE:
      relay_providers_page_set_core (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_providers_page_class_init (RelayProvidersPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relay_providers_page_dispose;
  object_class->finalize = relay_providers_page_finalize;
  object_class->get_property = relay_providers_page_get_property;
  object_class->set_property = relay_providers_page_set_property;

  properties[PROP_CORE] =
    g_param_spec_object ("core", NULL, NULL, RELAY_TYPE_CORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);

  g_type_ensure (RELAY_TYPE_PROVIDER_ITEM);
  g_type_ensure (RELAY_TYPE_FUNDS_BANNER);
  relay_manage_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RELAY_MANAGE_RESOURCE_PATH "relay-providers-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "relay-providers-page");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

  gtk_widget_class_bind_template_child (widget_class, RelayProvidersPage, stack);
  gtk_widget_class_bind_template_child (widget_class, RelayProvidersPage, funds_banner);
  gtk_widget_class_bind_template_child (widget_class, RelayProvidersPage, provider_view);
  gtk_widget_class_bind_template_child (widget_class, RelayProvidersPage, selection);
  gtk_widget_class_bind_template_child (widget_class, RelayProvidersPage, test_button);
  gtk_widget_class_bind_template_child (widget_class, RelayProvidersPage, check_button);
  gtk_widget_class_bind_template_child (widget_class, RelayProvidersPage, refresh_button);
  gtk_widget_class_bind_template_child (widget_class, RelayProvidersPage, edit_button);
  gtk_widget_class_bind_template_child (widget_class, RelayProvidersPage, remove_button);
  gtk_widget_class_bind_template_child (widget_class, RelayProvidersPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, RelayProvidersPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, RelayProvidersPage, keys_label);
  /* Not used from C, but reachable with gtk_widget_get_template_child() (the tests press it). */
  gtk_widget_class_bind_template_child_full (widget_class, "empty_add_button", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "add_button", FALSE, 0);
  gtk_widget_class_bind_template_callback (widget_class, on_selection_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_provider_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_add_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_edit_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_remove_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_test_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_check_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_refresh_clicked);
}

static void
relay_providers_page_init (RelayProvidersPage *self)
{
  self->providers = g_list_store_new (RELAY_TYPE_PROVIDER_ITEM);
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (self->providers));
  update_actions (self);
}

GtkWidget *
relay_providers_page_new (RelayCore *core)
{
  return g_object_new (RELAY_TYPE_PROVIDERS_PAGE, "core", core, NULL);
}

RelayCore *
relay_providers_page_get_core (RelayProvidersPage *self)
{
  g_return_val_if_fail (RELAY_IS_PROVIDERS_PAGE (self), NULL);
  return self->core;
}

void
relay_providers_page_set_core (RelayProvidersPage *self,
                               RelayCore          *core)
{
  g_return_if_fail (RELAY_IS_PROVIDERS_PAGE (self));
  g_return_if_fail (core == NULL || RELAY_IS_CORE (core));

  if (self->core == core)
    return;
  if (self->core != NULL)
    g_clear_signal_handler (&self->catalog_changed_id, relay_core_get_store (self->core));
  g_set_object (&self->core, core);
  if (core != NULL)
    self->catalog_changed_id = g_signal_connect_object (relay_core_get_store (core), "catalog-changed",
                                                        G_CALLBACK (on_catalog_changed), self,
                                                        G_CONNECT_SWAPPED);
  relay_funds_banner_set_core (self->funds_banner, core);
  if (core != NULL)
    {
      g_autofree char *where = relay_key_store_dup_description (relay_core_get_key_store (core));
      /* TRANSLATORS: "API keys: system keyring" or "API keys: file ~/.config/smm-relay/keys (why)" */
      g_autofree char *text = g_strdup_printf (_("API keys: %s"), where);

      gtk_label_set_text (self->keys_label, text);
    }
  reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CORE]);
}
