/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by the management pages: resources, style sheet, formatters and the confirmation dialog. */
#include "config.h"

#include "relay-manage.h"
#include "relay-manage-private.h"
#include "relay-manage-resources.h"
#include "relay-money.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

void
relay_manage_init (void)
{
  relay_manage_ensure_resources ();
  g_type_ensure (RELAY_TYPE_SERVICES_PAGE);
  g_type_ensure (RELAY_TYPE_PROVIDERS_PAGE);
  g_type_ensure (RELAY_TYPE_CLIENTS_PAGE);
  g_type_ensure (RELAY_TYPE_REVIEW_PAGE);
}

void
relay_manage_ensure_resources (void)
{
  static gsize style_loaded = 0;
  GdkDisplay *display;

  /* Referencing the generated resource keeps its object file (and the
   * constructor that registers it) in the link of the static library. */
  g_assert (relay_manage_get_resource () != NULL);

  display = gdk_display_get_default ();
  if (display != NULL && g_once_init_enter (&style_loaded))
    {
      g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

      gtk_css_provider_load_from_resource (provider, RELAY_MANAGE_RESOURCE_PATH "relay-manage.css");
      gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      g_once_init_leave (&style_loaded, 1);
    }
}



char *
relay_manage_format_margin (gint64 price, gint64 rate, const char *currency)
{
  gint64 margin = price - rate;
  /* A margin is an amount earned per 1,000, shown like a total (never
   * "0.01107 USD"; relay_format_money() keeps a tiny one from reading 0). */
  g_autofree char *amount = relay_format_money (margin, currency, RELAY_MONEY_STYLE_TOTAL);
  double percent;

  if (margin < 0 || price <= 0)
    return g_steal_pointer (&amount);
  percent = (double) margin * 100.0 / (double) price;
  if (percent < 10.0 && fabs (percent - round (percent)) >= 0.05)
    /* TRANSLATORS: a margin: the amount, then the share of the price, e.g. "0.03 USD · 2.5 %" */
    return g_strdup_printf (_("%s · %.1f %%"), amount, percent);
  /* TRANSLATORS: a margin: the amount, then the share of the price, e.g. "0.30 USD · 25 %" */
  return g_strdup_printf (_("%s · %.0f %%"), amount, round (percent));
}




char *
relay_manage_dup_text (GtkEditable *editable)
{
  char *text = g_strstrip (g_strdup (gtk_editable_get_text (editable)));

  if (*text == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

void
relay_manage_show_error (GtkWidget  *field,
                         GtkLabel   *label,
                         const char *text)
{
  gboolean failed = text != NULL && *text != '\0';

  gtk_label_set_label (label, failed ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), failed);
  if (field == NULL)
    return;
  if (failed)
    {
      gtk_widget_add_css_class (field, "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (field),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                   -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (field),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                      -1);
    }
  else
    {
      gtk_widget_remove_css_class (field, "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (field), GTK_ACCESSIBLE_STATE_INVALID);
      gtk_accessible_reset_property (GTK_ACCESSIBLE (field), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
}

char *
relay_manage_dup_book_currency (RelayStore *store)
{
  return relay_store_dup_book_currency (store);
}

GtkWindow *
relay_manage_get_window (GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (widget);

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

/* ---- the confirmation dialog ---- */

typedef struct
{
  GtkWidget              *owner;
  RelayManageConfirmFunc  func;
  gpointer                user_data;
  GDestroyNotify          destroy_data;
} Confirm;

static void
confirm_free (gpointer  data,
              GClosure *closure)
{
  Confirm *confirm = data;

  if (confirm->destroy_data != NULL)
    confirm->destroy_data (confirm->user_data);
  g_clear_object (&confirm->owner);
  g_free (confirm);
}

static void
confirm_response (GtkDialog *dialog,
                  int        response,
                  Confirm   *confirm)
{
  /* Hidden first, so that what func opens (another dialog) is on top. */
  gtk_widget_set_visible (GTK_WIDGET (dialog), FALSE);
  if (response == GTK_RESPONSE_ACCEPT)
    confirm->func (confirm->owner, confirm->user_data);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

GtkWidget *
relay_manage_confirm (GtkWidget              *owner,
                      const char             *text,
                      const char             *secondary_text,
                      const char             *accept_label,
                      gboolean                destructive,
                      RelayManageConfirmFunc  func,
                      gpointer                user_data,
                      GDestroyNotify          destroy_data)
{
  Confirm *confirm = g_new0 (Confirm, 1);
  GtkWidget *dialog;
  GtkWidget *accept;

  confirm->owner = g_object_ref (owner);
  confirm->func = func;
  confirm->user_data = user_data;
  confirm->destroy_data = destroy_data;

  dialog = gtk_message_dialog_new (relay_manage_get_window (owner),
                                   GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE,
                                   "%s", text);
  if (secondary_text != NULL)
    gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", secondary_text);
  gtk_dialog_add_button (GTK_DIALOG (dialog), _("_Cancel"), GTK_RESPONSE_CANCEL);
  accept = gtk_dialog_add_button (GTK_DIALOG (dialog), accept_label, GTK_RESPONSE_ACCEPT);
  gtk_widget_add_css_class (accept, destructive ? "destructive-action" : "suggested-action");
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  g_signal_connect_data (dialog, "response", G_CALLBACK (confirm_response),
                         confirm, confirm_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}
