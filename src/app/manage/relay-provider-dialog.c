/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayProviderDialog: the form behind Add provider and Edit provider; the core checks and keeps it. */
#include "config.h"

#include "relay-provider-dialog.h"
#include "relay-manage-private.h"
#include "relay-error.h"
#include "relay-provider-client.h"
#include "relay-money.h"

#include <string.h>

#include <glib/gi18n-lib.h>

struct _RelayProviderDialog
{
  GtkWindow         parent_instance;

  GtkLabel         *intro_label;
  GtkWidget        *form_grid;
  GtkEntry         *name_entry;
  GtkLabel         *name_error_label;
  GtkEntry         *url_entry;
  GtkLabel         *url_error_label;
  GtkPasswordEntry *key_entry;
  GtkLabel         *key_hint_label;
  GtkEntry         *low_balance_entry;
  GtkLabel         *low_balance_hint_label;
  GtkLabel         *error_label;
  GtkButton        *cancel_button;
  GtkButton        *save_button;
  GtkWidget        *wait_box;
  GtkButton        *keep_waiting_button;
  GtkButton        *give_up_button;

  RelayCore        *core;
  gint64            provider_id;
  char             *currency;       /* the provider's, once known; NULL for a new one */
  gint64            low_balance;    /* as loaded; -1 = none */
  gboolean          saving;         /* the key store is being written */
  GCancellable     *cancellable;    /* the save under way; cancelled to give up on it */
  GtkWidget        *focus_before;   /* weak: where the focus was before saving */
  gint64            threshold;      /* the low-balance warning to record once saved */
  guint             patience_ms;    /* how long a save waits before the dialog asks */
  guint             patience_source;
  gboolean          activated;      /* Enter started the save; its late click is no new one */
};

/* How long the key store may take before the dialog says it does not answer
 * (a keyring prompting for its password in another window takes longer). */
#define DEFAULT_PATIENCE_MS 5000

G_DEFINE_FINAL_TYPE (RelayProviderDialog, relay_provider_dialog, GTK_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_CORE,
  PROP_PROVIDER_ID,
  PROP_PATIENCE_MS,
  N_PROPS
};

enum {
  SIGNAL_SAVED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* The URL's problem as a sentence, or NULL: the core's rule, with the order
 * form's words for a URL typed without its scheme.  Never quotes the URL back
 * (a pasted URL may carry a key). */
static char *
url_problem (const char *url)
{
  g_autoptr(GError) error = NULL;

  if (url == NULL)
    return NULL;
  if (strstr (url, "://") == NULL)
    return g_strdup (_("This is not a full URL; write it with https:// in front"));
  if (!relay_provider_url_check (url, &error))
    return relay_format_sentence (error->message);
  return NULL;
}

/* The typed threshold: -1 when empty; FALSE with the reason in @out_problem
 * when it is not an amount of the provider's currency (never rounded). */
static gboolean
parse_low_balance (RelayProviderDialog  *self,
                   gint64               *out_threshold,
                   char                **out_problem)
{
  g_autofree char *text = relay_manage_dup_text (GTK_EDITABLE (self->low_balance_entry));
  g_autoptr(GError) error = NULL;
  gint64 amount = 0;

  *out_threshold = -1;
  *out_problem = NULL;
  if (text == NULL)
    return TRUE;
  if (!relay_money_parse_typed (text, self->currency, &amount, &error) ||
      !relay_money_check_amount (amount, &error))
    {
      *out_problem = relay_format_sentence (error->message);
      return FALSE;
    }
  if (amount < 0)
    {
      *out_problem = g_strdup (_("A low-balance warning is 0 or more"));
      return FALSE;
    }
  *out_threshold = amount;
  return TRUE;
}

static void
show_low_balance_hint (RelayProviderDialog *self,
                       const char          *problem)
{
  if (problem != NULL)
    {
      gtk_label_set_label (self->low_balance_hint_label, problem);
      gtk_widget_add_css_class (GTK_WIDGET (self->low_balance_hint_label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->low_balance_hint_label), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->low_balance_entry), "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (self->low_balance_entry),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE, -1);
      return;
    }
  gtk_label_set_label (self->low_balance_hint_label,
                       _("A banner and a notification say when the balance falls below this "
                         "amount. Empty: no warning."));
  gtk_widget_remove_css_class (GTK_WIDGET (self->low_balance_hint_label), "error");
  gtk_widget_add_css_class (GTK_WIDGET (self->low_balance_hint_label), "dim-label");
  gtk_widget_remove_css_class (GTK_WIDGET (self->low_balance_entry), "error");
  gtk_accessible_reset_state (GTK_ACCESSIBLE (self->low_balance_entry),
                              GTK_ACCESSIBLE_STATE_INVALID);
}

static void
update_save (RelayProviderDialog *self)
{
  g_autofree char *name = relay_manage_dup_text (GTK_EDITABLE (self->name_entry));
  g_autofree char *url = relay_manage_dup_text (GTK_EDITABLE (self->url_entry));
  g_autofree char *problem = url_problem (url);
  const char *key = gtk_editable_get_text (GTK_EDITABLE (self->key_entry));
  g_autofree char *threshold_problem = NULL;
  gint64 threshold;
  gboolean ready = name != NULL && url != NULL && problem == NULL;

  /* Live, at the field, as soon as something is typed. */
  relay_manage_show_error (GTK_WIDGET (self->url_entry), self->url_error_label, problem);
  ready = parse_low_balance (self, &threshold, &threshold_problem) && ready;
  show_low_balance_hint (self, threshold_problem);

  /* A new provider needs a key; an edited one keeps its key when left empty. */
  if (self->provider_id == 0)
    ready = ready && key != NULL && *key != '\0';
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), ready);
}

static void
on_field_changed (RelayProviderDialog *self)
{
  relay_manage_show_error (NULL, self->error_label, NULL);
  relay_manage_show_error (GTK_WIDGET (self->name_entry), self->name_error_label, NULL);
  update_save (self);
}

static void
on_cancel_clicked (RelayProviderDialog *self)
{
  gtk_window_close (GTK_WINDOW (self));
}

/* The key store took longer than the dialog's patience: say so, and let
 * the person keep waiting or give up (Cancel stays off: closing half-way
 * would leave them not knowing what was kept). */
static gboolean
on_patience_over (gpointer data)
{
  RelayProviderDialog *self = data;

  self->patience_source = 0;
  gtk_widget_set_visible (self->wait_box, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->keep_waiting_button));
  return G_SOURCE_REMOVE;
}

static void
wait_patiently (RelayProviderDialog *self)
{
  g_clear_handle_id (&self->patience_source, g_source_remove);
  self->patience_source = g_timeout_add (self->patience_ms, on_patience_over, self);
}

/* While the key store is written (a keyring may take seconds), the form
 * waits as it is: nothing to edit, no second Save, no closing half-way. */
static void
set_saving (RelayProviderDialog *self,
            gboolean             saving)
{
  self->saving = saving;
  if (saving)
    {
      /* Out of the field first: a focused entry made insensitive never
       * gets its focus-out (GTK 4.8 warns), and comes back after a refusal. */
      g_set_weak_pointer (&self->focus_before, gtk_root_get_focus (GTK_ROOT (self)));
      gtk_window_set_focus (GTK_WINDOW (self), NULL);
      wait_patiently (self);
    }
  else
    {
      g_clear_handle_id (&self->patience_source, g_source_remove);
      gtk_widget_set_visible (self->wait_box, FALSE);
    }
  gtk_widget_set_sensitive (self->form_grid, !saving);
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), !saving);
  if (saving)
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), FALSE);
      gtk_button_set_label (self->save_button, _("Saving…"));
      return;
    }
  gtk_button_set_label (self->save_button, self->provider_id == 0 ? _("_Add") : _("_Save"));
  update_save (self);
  if (self->focus_before != NULL)
    gtk_widget_grab_focus (self->focus_before);
  g_clear_weak_pointer (&self->focus_before);
}

static void
on_keep_waiting_clicked (RelayProviderDialog *self)
{
  if (!self->saving)
    return;
  gtk_widget_set_visible (self->wait_box, FALSE);
  /* Asked again if it still does not answer. */
  wait_patiently (self);
}

/* Nothing is saved: the core writes no provider once the save is cancelled
 * and takes back the key should the key store keep it after all. */
static void
on_give_up_clicked (RelayProviderDialog *self)
{
  if (!self->saving)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  set_saving (self, FALSE);
  relay_manage_show_error (NULL, self->error_label,
                           _("Not saved: the key store did not answer. Try again, or cancel."));
}

static gboolean
relay_provider_dialog_close_request (GtkWindow *window)
{
  if (RELAY_PROVIDER_DIALOG (window)->saving)
    return TRUE;
  return GTK_WINDOW_CLASS (relay_provider_dialog_parent_class)->close_request (window);
}

/* After set_saving (FALSE): the core's refusal, at the field it is about
 * when there is one (the name), with the focus there to correct it. */
static void
show_save_error (RelayProviderDialog *self,
                 const GError        *error)
{
  g_autofree char *text = relay_format_sentence (error->message);

  if (g_error_matches (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_EXISTS) ||
      (g_error_matches (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID) &&
       self->provider_id == 0))
    {
      relay_manage_show_error (GTK_WIDGET (self->name_entry), self->name_error_label, text);
      gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
      return;
    }
  relay_manage_show_error (NULL, self->error_label, text);
}

/* The provider is in the book (its key in the key store): record the
 * low-balance warning, then the dialog is done. */
static void
finish_save (RelayProviderDialog *self,
             gint64               id,
             gboolean             added)
{
  g_autoptr(GError) error = NULL;

  if (self->threshold != self->low_balance &&
      !relay_core_set_low_balance (self->core, id, self->threshold, &error))
    {
      /* The provider is saved; only the warning is not. */
      self->provider_id = id;
      self->low_balance = -2;
      set_saving (self, FALSE);
      show_save_error (self, error);
      return;
    }

  /* The key now lives in the key store only. */
  gtk_editable_set_text (GTK_EDITABLE (self->key_entry), "");
  self->saving = FALSE;
  g_signal_emit (self, signals[SIGNAL_SAVED], 0, id, added);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_added (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(RelayProviderDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 id = relay_core_add_provider_finish (RELAY_CORE (source), result, &error);

  /* Given up on (nothing was saved), or the window went with the
   * application (the provider is added all the same): nobody to tell. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->core == NULL)
    return;
  if (id == 0)
    {
      set_saving (self, FALSE);
      show_save_error (self, error);
      return;
    }
  finish_save (self, id, TRUE);
}

static void
on_updated (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(RelayProviderDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!relay_core_update_provider_finish (RELAY_CORE (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && self->core != NULL)
        {
          set_saving (self, FALSE);
          show_save_error (self, error);
        }
      return;
    }
  if (self->core == NULL)
    return;
  finish_save (self, self->provider_id, FALSE);
}

static void
start_save (RelayProviderDialog *self)
{
  g_autofree char *name = relay_manage_dup_text (GTK_EDITABLE (self->name_entry));
  g_autofree char *url = relay_manage_dup_text (GTK_EDITABLE (self->url_entry));
  const char *key = gtk_editable_get_text (GTK_EDITABLE (self->key_entry));
  g_autofree char *threshold_problem = NULL;

  if (self->saving || !gtk_widget_get_sensitive (GTK_WIDGET (self->save_button)))
    return;
  if (!parse_low_balance (self, &self->threshold, &threshold_problem))
    return;

  relay_manage_show_error (NULL, self->error_label, NULL);
  relay_manage_show_error (GTK_WIDGET (self->name_entry), self->name_error_label, NULL);
  set_saving (self, TRUE);
  /* One per save: giving up cancels this one only.  The dialog stays
   * alive for the answer (the window may be gone by then). */
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (self->provider_id == 0)
    relay_core_add_provider_async (self->core, name, url, key, self->cancellable, on_added,
                                   g_object_ref (self));
  else
    relay_core_update_provider_async (self->core, self->provider_id, name, url,
                                      (key != NULL && *key != '\0') ? key : NULL,
                                      self->cancellable, on_updated, g_object_ref (self));
}

static void
on_save_clicked (RelayProviderDialog *self)
{
  /* The click that ends Enter's keyboard activation: the save began then. */
  if (self->activated)
    {
      self->activated = FALSE;
      return;
    }
  start_save (self);
}

/* Enter (the default widget) or Space on the button: GTK shows it pressed
 * and clicks it 250 ms later; an Escape in between closed the dialog with
 * nothing saved.  The save starts at once instead. */
static void
on_save_activate (RelayProviderDialog *self)
{
  /* The class handler ran first: a click follows only when it began the
   * pressed look (the button realized, no activation under way already). */
  if (gtk_widget_has_css_class (GTK_WIDGET (self->save_button), "keyboard-activating"))
    self->activated = TRUE;
  start_save (self);
}

static void
load_provider (RelayProviderDialog *self)
{
  g_autoptr(RelayProviderRow) row = NULL;
  g_autoptr(GError) error = NULL;

  if (self->provider_id == 0)
    {
      gtk_window_set_title (GTK_WINDOW (self), _("Add Provider"));
      gtk_button_set_label (self->save_button, _("_Add"));
      gtk_label_set_label (self->key_hint_label,
                           _("Kept in your key store, never in the order book, and never shown again."));
      update_save (self);
      return;
    }

  gtk_window_set_title (GTK_WINDOW (self), _("Edit Provider"));
  gtk_button_set_label (self->save_button, _("_Save"));
  gtk_label_set_label (self->intro_label,
                       _("Change the name or the URL, or paste a new key."));
  /* GTK 4.8 has the property but not its setter. */
  g_object_set (self->key_entry, "placeholder-text", _("leave empty to keep the current key"), NULL);
  gtk_label_set_label (self->key_hint_label,
                       _("The current key is never shown. Leave the field empty to keep it."));
  row = relay_store_get_provider (relay_core_get_store (self->core), self->provider_id, &error);
  if (row == NULL)
    {
      relay_manage_show_error (NULL, self->error_label, error->message);
      gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), FALSE);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->name_entry), row->name);
  gtk_editable_set_text (GTK_EDITABLE (self->url_entry), row->url);
  g_free (self->currency);
  self->currency = g_strdup (row->currency);
  self->low_balance = row->low_balance;
  if (row->low_balance >= 0)
    {
      g_autofree char *amount = relay_format_money (row->low_balance, NULL, RELAY_MONEY_STYLE_TOTAL);

      gtk_editable_set_text (GTK_EDITABLE (self->low_balance_entry), amount);
    }
  update_save (self);
}

static void
relay_provider_dialog_constructed (GObject *object)
{
  RelayProviderDialog *self = RELAY_PROVIDER_DIALOG (object);

  G_OBJECT_CLASS (relay_provider_dialog_parent_class)->constructed (object);

  load_provider (self);
}

static void
relay_provider_dialog_dispose (GObject *object)
{
  RelayProviderDialog *self = RELAY_PROVIDER_DIALOG (object);

  /* A save still under way completes without the dialog (see on_added()):
   * closing with the application is no giving up. */
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->patience_source, g_source_remove);
  g_clear_weak_pointer (&self->focus_before);
  gtk_widget_dispose_template (GTK_WIDGET (self), RELAY_TYPE_PROVIDER_DIALOG);
  g_clear_object (&self->core);
  g_clear_pointer (&self->currency, g_free);

  G_OBJECT_CLASS (relay_provider_dialog_parent_class)->dispose (object);
}

static void
relay_provider_dialog_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  RelayProviderDialog *self = RELAY_PROVIDER_DIALOG (object);

  switch (prop_id)
    {
    case PROP_CORE:
      g_value_set_object (value, self->core);
      break;
    case PROP_PROVIDER_ID:
      g_value_set_int64 (value, self->provider_id);
      break;
    case PROP_PATIENCE_MS:
      g_value_set_uint (value, self->patience_ms);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_provider_dialog_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  RelayProviderDialog *self = RELAY_PROVIDER_DIALOG (object);

  switch (prop_id)
    {
    case PROP_CORE:
      self->core = g_value_dup_object (value);
      break;
    case PROP_PROVIDER_ID:
      self->provider_id = g_value_get_int64 (value);
      break;
    case PROP_PATIENCE_MS:
      self->patience_ms = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_provider_dialog_class_init (RelayProviderDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = relay_provider_dialog_constructed;
  object_class->dispose = relay_provider_dialog_dispose;
  object_class->get_property = relay_provider_dialog_get_property;
  object_class->set_property = relay_provider_dialog_set_property;
  GTK_WINDOW_CLASS (klass)->close_request = relay_provider_dialog_close_request;

  properties[PROP_CORE] =
    g_param_spec_object ("core", NULL, NULL, RELAY_TYPE_CORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROVIDER_ID] =
    g_param_spec_int64 ("provider-id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* How long a save may wait for the key store before the dialog asks
   * whether to keep waiting (tests make it short). */
  properties[PROP_PATIENCE_MS] =
    g_param_spec_uint ("patience-ms", NULL, NULL, 1, G_MAXUINT, DEFAULT_PATIENCE_MS,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_BOOLEAN);

  relay_manage_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RELAY_MANAGE_RESOURCE_PATH "relay-provider-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, RelayProviderDialog, intro_label);
  gtk_widget_class_bind_template_child (widget_class, RelayProviderDialog, form_grid);
  gtk_widget_class_bind_template_child (widget_class, RelayProviderDialog, name_entry);
  gtk_widget_class_bind_template_child (widget_class, RelayProviderDialog, name_error_label);
  gtk_widget_class_bind_template_child (widget_class, RelayProviderDialog, url_entry);
  gtk_widget_class_bind_template_child (widget_class, RelayProviderDialog, url_error_label);
  gtk_widget_class_bind_template_child (widget_class, RelayProviderDialog, key_entry);
  gtk_widget_class_bind_template_child (widget_class, RelayProviderDialog, low_balance_entry);
  gtk_widget_class_bind_template_child (widget_class, RelayProviderDialog, low_balance_hint_label);
  gtk_widget_class_bind_template_child (widget_class, RelayProviderDialog, key_hint_label);
  gtk_widget_class_bind_template_child (widget_class, RelayProviderDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, RelayProviderDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, RelayProviderDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, RelayProviderDialog, wait_box);
  gtk_widget_class_bind_template_child (widget_class, RelayProviderDialog, keep_waiting_button);
  gtk_widget_class_bind_template_child (widget_class, RelayProviderDialog, give_up_button);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_save_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_keep_waiting_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_give_up_clicked);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
relay_provider_dialog_init (RelayProviderDialog *self)
{
  self->low_balance = -1;
  self->patience_ms = DEFAULT_PATIENCE_MS;
  gtk_widget_init_template (GTK_WIDGET (self));
}

RelayProviderDialog *
relay_provider_dialog_new (RelayCore *core,
                           gint64     provider_id,
                           GtkWindow *parent)
{
  g_return_val_if_fail (RELAY_IS_CORE (core), NULL);

  return g_object_new (RELAY_TYPE_PROVIDER_DIALOG,
                       "core", core,
                       "provider-id", provider_id,
                       "transient-for", parent,
                       NULL);
}

gint64
relay_provider_dialog_get_provider_id (RelayProviderDialog *self)
{
  g_return_val_if_fail (RELAY_IS_PROVIDER_DIALOG (self), 0);
  return self->provider_id;
}
