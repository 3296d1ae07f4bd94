/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayCheckDialog: runs the core's health check of one provider and lists
 * its steps with a pass / warn / fail icon and the reason.  The core answers
 * with all steps at the end, so a spinner row stands for them until then. */
#include "config.h"

#include "relay-check-dialog.h"
#include "relay-reports.h"
#include "relay-format.h"

#include <glib/gi18n-lib.h>

struct _RelayCheckDialog
{
  AdwWindow       parent_instance;

  AdwWindowTitle *window_title;
  GtkButton      *run_button;
  GtkLabel       *summary_label;
  GtkListBox     *steps_list;
  AdwExpanderRow *test_row;
  AdwComboRow    *service_row;
  GtkStringList  *service_names;
  AdwEntryRow    *link_row;
  GtkSpinButton  *quantity_spin;
  GtkLabel       *error_label;

  RelayCore      *core;
  gint64          provider_id;
  char           *provider_name;
  GArray         *service_ids;   /* gint64: my services mapped to this provider, as listed */
  GCancellable   *cancellable;
  GPtrArray      *steps;         /* RelayHealthStep, the last answer */
  gboolean        started;
};

G_DEFINE_FINAL_TYPE (RelayCheckDialog, relay_check_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_RUNNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
step_title (const char *name)
{
  static const struct { const char *name; const char *title; } titles[] = {
    { "key", N_("API key") },
    { "services", N_("Services") },
    { "mapping", N_("Mapping") },
    { "margin", N_("Margin") },
    { "limits", N_("Limits") },
    { "balance", N_("Balance") },
    { "status", N_("Status requests") },
    { "refill_cancel", N_("Refill and cancel") },
    { "errors", N_("Recent errors") },
    { "test_order", N_("Test order") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    if (g_strcmp0 (name, titles[i].name) == 0)
      return _(titles[i].title);
  return name;
}

static void
clear_steps (RelayCheckDialog *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->steps_list))) != NULL)
    gtk_list_box_remove (self->steps_list, child);
}

static GtkWidget *
step_row (const RelayHealthStep *step)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon;
  const char *icon_name;
  const char *css;
  const char *result;

  switch (step->result)
    {
    case RELAY_HEALTH_PASS:
      icon_name = "emblem-ok-symbolic";
      css = "success";
      result = _("Passed");
      break;
    case RELAY_HEALTH_WARN:
      icon_name = "dialog-warning-symbolic";
      css = "warning";
      result = _("Warning");
      break;
    case RELAY_HEALTH_FAIL:
    default:
      icon_name = "dialog-error-symbolic";
      css = "error";
      /* TRANSLATORS: the result of one step of a provider's health check */
      result = C_("check step", "Failed");
      break;
    }
  icon = gtk_image_new_from_icon_name (icon_name);
  gtk_widget_add_css_class (icon, css);
  gtk_widget_set_tooltip_text (icon, result);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, result, -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), step_title (step->name));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), step->detail ? step->detail : "");
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_set_name (row, step->name);
  return row;
}

static void
set_running (RelayCheckDialog *self,
             gboolean          running)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->run_button), !running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->test_row), !running);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static void
show_error (RelayCheckDialog *self,
            const char       *text)
{
  gtk_label_set_label (self->error_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), text != NULL);
}

static void
on_check_ready (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(RelayCheckDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) steps = relay_core_check_provider_finish (RELAY_CORE (source), result, &error);
  guint failed = 0;
  guint warned = 0;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->cancellable);
  clear_steps (self);
  set_running (self, FALSE);
  g_clear_pointer (&self->steps, g_ptr_array_unref);
  if (steps == NULL)
    {
      g_autofree char *reason = relay_format_sentence (error->message);

      gtk_label_set_label (self->summary_label, _("The check could not run"));
      show_error (self, reason);
      return;
    }
  for (guint i = 0; i < steps->len; i++)
    {
      RelayHealthStep *step = g_ptr_array_index (steps, i);

      failed += step->result == RELAY_HEALTH_FAIL;
      warned += step->result == RELAY_HEALTH_WARN;
      gtk_list_box_append (self->steps_list, step_row (step));
    }
  if (failed > 0)
    gtk_label_set_label (self->summary_label,
                         g_dngettext (GETTEXT_PACKAGE, "A step failed", "Some steps failed", failed));
  else if (warned > 0)
    gtk_label_set_label (self->summary_label, _("Working, with warnings"));
  else
    gtk_label_set_label (self->summary_label, _("Everything works"));
  self->steps = g_steal_pointer (&steps);
}

void
relay_check_dialog_run (RelayCheckDialog *self)
{
  g_autofree char *service = NULL;
  const char *link = NULL;
  gint64 quantity = 0;
  GtkWidget *row;
  GtkWidget *box;
  GtkWidget *spinner;
  GtkWidget *label;

  g_return_if_fail (RELAY_IS_CHECK_DIALOG (self));

  if (self->cancellable != NULL)
    return;
  show_error (self, NULL);
  if (adw_expander_row_get_enable_expansion (self->test_row))
    {
      guint selected = adw_combo_row_get_selected (self->service_row);

      if (selected == GTK_INVALID_LIST_POSITION || selected >= self->service_ids->len)
        {
          show_error (self, _("Choose the service of the test order: map one of your services to this provider first."));
          return;
        }
      link = gtk_editable_get_text (GTK_EDITABLE (self->link_row));
      if (link == NULL || *link == '\0')
        {
          show_error (self, _("The test order needs a link"));
          return;
        }
      service = g_strdup_printf ("%" G_GINT64_FORMAT, g_array_index (self->service_ids, gint64, selected));
      quantity = gtk_spin_button_get_value_as_int (self->quantity_spin);
    }

  clear_steps (self);
  g_clear_pointer (&self->steps, g_ptr_array_unref);
  row = gtk_list_box_row_new ();
  gtk_widget_set_name (row, "running");
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  spinner = gtk_spinner_new ();
  gtk_spinner_start (GTK_SPINNER (spinner));
  label = gtk_label_new (service ? _("Checking the provider and placing the test order…")
                                 : _("Checking the provider…"));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_box_append (GTK_BOX (box), spinner);
  gtk_box_append (GTK_BOX (box), label);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_append (self->steps_list, row);
  gtk_label_set_label (self->summary_label, _("Checking…"));

  self->cancellable = g_cancellable_new ();
  set_running (self, TRUE);
  relay_core_check_provider_async (self->core, self->provider_id, service, link, quantity,
                                   self->cancellable, on_check_ready, g_object_ref (self));
}

gboolean
relay_check_dialog_get_running (RelayCheckDialog *self)
{
  g_return_val_if_fail (RELAY_IS_CHECK_DIALOG (self), FALSE);
  return self->cancellable != NULL;
}

GPtrArray *
relay_check_dialog_get_steps (RelayCheckDialog *self)
{
  g_return_val_if_fail (RELAY_IS_CHECK_DIALOG (self), NULL);
  return self->steps;
}

/* My services mapped to this provider, for the test order. */
static void
load_services (RelayCheckDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) services = relay_store_list_services (relay_core_get_store (self->core), &error);

  if (services == NULL)
    {
      g_warning ("Could not list the services: %s", error->message);
      return;
    }
  for (guint i = 0; i < services->len; i++)
    {
      RelayServiceRow *service = g_ptr_array_index (services, i);
      g_autofree char *text = NULL;

      if (service->primary == NULL || service->primary->provider_id != self->provider_id)
        continue;
      text = g_strdup_printf ("%" G_GINT64_FORMAT " · %s", service->id, service->name);
      gtk_string_list_append (self->service_names, text);
      g_array_append_val (self->service_ids, service->id);
    }
}

GtkWidget *
relay_check_dialog_new (GtkWindow  *parent,
                        RelayCore  *core,
                        gint64      provider_id,
                        const char *provider_name)
{
  RelayCheckDialog *self;
  g_autofree char *title = NULL;

  g_return_val_if_fail (RELAY_IS_CORE (core), NULL);

  self = g_object_new (RELAY_TYPE_CHECK_DIALOG, "transient-for", parent, NULL);
  self->core = g_object_ref (core);
  self->provider_id = provider_id;
  self->provider_name = g_strdup (provider_name);
  /* TRANSLATORS: the title of the check dialog; %s is a provider's name */
  title = g_strdup_printf (_("Check %s"), provider_name);
  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_window_title_set_title (self->window_title, title);
  load_services (self);
  return GTK_WIDGET (self);
}

static void
relay_check_dialog_show (GtkWidget *widget)
{
  RelayCheckDialog *self = RELAY_CHECK_DIALOG (widget);

  GTK_WIDGET_CLASS (relay_check_dialog_parent_class)->show (widget);
  if (!self->started && self->core != NULL)
    {
      self->started = TRUE;
      relay_check_dialog_run (self);
    }
}

static void
relay_check_dialog_dispose (GObject *object)
{
  RelayCheckDialog *self = RELAY_CHECK_DIALOG (object);

  /* Closing stops waiting for the answer (a test order already sent stays in the book). */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->core);
  gtk_widget_dispose_template (GTK_WIDGET (self), RELAY_TYPE_CHECK_DIALOG);
  G_OBJECT_CLASS (relay_check_dialog_parent_class)->dispose (object);
}

static void
relay_check_dialog_finalize (GObject *object)
{
  RelayCheckDialog *self = RELAY_CHECK_DIALOG (object);

  g_free (self->provider_name);
  g_array_unref (self->service_ids);
  g_clear_pointer (&self->steps, g_ptr_array_unref);
  G_OBJECT_CLASS (relay_check_dialog_parent_class)->finalize (object);
}

static void
relay_check_dialog_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, relay_check_dialog_get_running (RELAY_CHECK_DIALOG (object)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_check_dialog_class_init (RelayCheckDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relay_check_dialog_dispose;
  object_class->finalize = relay_check_dialog_finalize;
  object_class->get_property = relay_check_dialog_get_property;
  widget_class->show = relay_check_dialog_show;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  relay_reports_init ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/smmrelay/SmmRelay/reports/relay-check-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, RelayCheckDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, RelayCheckDialog, run_button);
  gtk_widget_class_bind_template_child (widget_class, RelayCheckDialog, summary_label);
  gtk_widget_class_bind_template_child (widget_class, RelayCheckDialog, steps_list);
  gtk_widget_class_bind_template_child (widget_class, RelayCheckDialog, test_row);
  gtk_widget_class_bind_template_child (widget_class, RelayCheckDialog, service_row);
  gtk_widget_class_bind_template_child (widget_class, RelayCheckDialog, service_names);
  gtk_widget_class_bind_template_child (widget_class, RelayCheckDialog, link_row);
  gtk_widget_class_bind_template_child (widget_class, RelayCheckDialog, quantity_spin);
  gtk_widget_class_bind_template_child (widget_class, RelayCheckDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, relay_check_dialog_run);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
relay_check_dialog_init (RelayCheckDialog *self)
{
  self->service_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gtk_widget_init_template (GTK_WIDGET (self));
}
