/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by the pages: resources, style sheet and small text formatters. */
#include "config.h"

#include "relay-pages-private.h"
#include "relay-pages-confirm.h"
#include "relay-pages-resources.h"

#include <adwaita.h>

#include <string.h>
#include <glib/gi18n-lib.h>

void
relay_pages_ensure_resources (void)
{
  static gsize style_loaded = 0;
  GdkDisplay *display;

  /* Referencing the generated resource keeps its object file (and the
   * constructor that registers it) in the link of the static library. */
  g_assert (relay_pages_get_resource () != NULL);

  display = gdk_display_get_default ();
  if (display != NULL && g_once_init_enter (&style_loaded))
    {
      g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

      gtk_css_provider_load_from_resource (provider, RELAY_PAGES_RESOURCE_PATH "relay-pages.css");
      gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      g_once_init_leave (&style_loaded, 1);
    }
}



void
relay_pages_show_field_error (GtkWidget  *field,
                              GtkLabel   *label,
                              const char *error_text)
{
  gboolean failed = error_text != NULL && *error_text != '\0';

  gtk_label_set_label (label, failed ? error_text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), failed);
  if (failed)
    {
      gtk_widget_add_css_class (field, "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (field),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                   -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (field),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, error_text,
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
relay_pages_dup_text_view (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}


#if !GTK_CHECK_VERSION (4, 12, 0)
/* The GtkStringFilter of the drop-down's popup list, found through the popup's
 * list view: popup -> GtkListView -> GtkSingleSelection -> GtkFilterListModel. */
static GtkStringFilter *
find_search_filter (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkStringFilter *found;

      if (GTK_IS_LIST_VIEW (child))
        {
          GtkSelectionModel *selection = gtk_list_view_get_model (GTK_LIST_VIEW (child));
          GListModel *model = NULL;
          GtkFilter *filter;

          if (GTK_IS_SINGLE_SELECTION (selection))
            model = gtk_single_selection_get_model (GTK_SINGLE_SELECTION (selection));
          if (!GTK_IS_FILTER_LIST_MODEL (model))
            continue;
          filter = gtk_filter_list_model_get_filter (GTK_FILTER_LIST_MODEL (model));
          if (GTK_IS_STRING_FILTER (filter))
            return GTK_STRING_FILTER (filter);
          continue;
        }
      found = find_search_filter (child);
      if (found != NULL)
        return found;
    }
  return NULL;
}
#endif

void
relay_pages_drop_down_search_anywhere (GtkDropDown *drop_down)
{
#if GTK_CHECK_VERSION (4, 12, 0)
  gtk_drop_down_set_search_match_mode (drop_down, GTK_STRING_FILTER_MATCH_MODE_SUBSTRING);
#else
  GtkStringFilter *filter = find_search_filter (GTK_WIDGET (drop_down));

  /* Not found: the search still works, on prefixes only. */
  if (filter != NULL)
    gtk_string_filter_set_match_mode (filter, GTK_STRING_FILTER_MATCH_MODE_SUBSTRING);
#endif
}

/* ---- confirmations ---- */

gboolean
relay_pages_confirmations_enabled (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL || !g_settings_schema_has_key (schema, RELAY_PAGES_CONFIRM_KEY))
    return TRUE;
  settings = g_settings_new_full (schema, NULL, NULL);
  return g_settings_get_boolean (settings, RELAY_PAGES_CONFIRM_KEY);
}

typedef struct
{
  RelayPagesConfirmFunc on_confirm;
  gpointer              user_data;
  GDestroyNotify        destroy;
} Confirm;

static void
confirm_free (Confirm *confirm)
{
  if (confirm->destroy != NULL)
    confirm->destroy (confirm->user_data);
  g_free (confirm);
}

static void
confirm_closure_free (gpointer data, GClosure *closure)
{
  confirm_free (data);
}

static void
on_confirm_response (AdwMessageDialog *dialog,
                     const char       *response,
                     Confirm          *confirm)
{
  if (g_strcmp0 (response, "confirm") == 0)
    confirm->on_confirm (confirm->user_data);
}

GtkWidget *
relay_pages_confirm (GtkWidget             *widget,
                     const char            *heading,
                     const char            *body,
                     const char            *confirm_label,
                     gboolean               destructive,
                     RelayPagesConfirmFunc  on_confirm,
                     gpointer               user_data,
                     GDestroyNotify         destroy)
{
  GtkRoot *root = widget != NULL ? gtk_widget_get_root (widget) : NULL;
  Confirm *confirm;
  GtkWidget *dialog;

  g_return_val_if_fail (on_confirm != NULL, NULL);

  if (!relay_pages_confirmations_enabled ())
    {
      on_confirm (user_data);
      if (destroy != NULL)
        destroy (user_data);
      return NULL;
    }

  confirm = g_new0 (Confirm, 1);
  confirm->on_confirm = on_confirm;
  confirm->user_data = user_data;
  confirm->destroy = destroy;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "confirm", confirm_label,
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "confirm",
                                              destructive ? ADW_RESPONSE_DESTRUCTIVE
                                                          : ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_confirm_response), confirm,
                         confirm_closure_free, 0);
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}
