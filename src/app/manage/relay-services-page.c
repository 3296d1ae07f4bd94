/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayServicesPage: shows a provider's catalog (searched in SQL, grouped by category, the last
 * sync's changes marked), syncs it, and lists and maps my services with their margins. */
#include "config.h"

#include "relay-services-page.h"
#include "relay-catalog-item.h"
#include "relay-manage-private.h"
#include "relay-map-service-dialog.h"
#include "relay-mapping-item.h"
#include "relay-money.h"
#include "relay-provider-item.h"

#include <glib/gi18n-lib.h>

struct _RelayServicesPage
{
  GtkWidget           parent_instance;

  GtkStack           *stack;
  GtkDropDown        *provider_drop_down;
  GtkDropDown        *category_drop_down;
  GtkStringList      *categories;
  GtkSearchEntry     *search_entry;
  GtkToggleButton    *changes_button;
  GtkSpinner         *sync_spinner;
  GtkButton          *sync_button;
  GtkLabel           *catalog_summary_label;
  GtkStack           *catalog_stack;
  GtkLabel           *catalog_empty_label;
  GtkColumnView      *catalog_view;
  GtkSingleSelection *catalog_selection;
  GtkLabel           *services_summary_label;
  GtkLabel           *problems_label;
  GtkButton          *map_button;
  GtkButton          *edit_button;
  GtkButton          *remove_button;
  GtkStack           *services_stack;
  GtkColumnView      *services_view;
  GtkSingleSelection *services_selection;
  GtkListBox         *price_changes_list;
  GtkLabel           *price_changes_empty_label;

  RelayCore          *core;
  gulong              catalog_changed_id;
  gulong              prices_changed_id;
  guint               sync_price_changes;  /* what the running sync's prices-changed said */
  guint               sync_below_cost;
  guint               reload_source;
  gboolean            stale;      /* the book changed (or was never read) while hidden */
  GListStore         *providers;    /* RelayProviderItem */
  GListStore         *catalog;      /* RelayCatalogItem */
  GListStore         *services;     /* RelayMappingItem */
  GCancellable       *cancellable;
  gint64              syncing_id;   /* the provider being synced; 0 = none */
  gboolean            loading;      /* selections change because of a reload, not the user */
};

G_DEFINE_FINAL_TYPE (RelayServicesPage, relay_services_page, GTK_TYPE_WIDGET)

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

static void reload_catalog (RelayServicesPage *self, gboolean with_categories);

static void
emit_message (RelayServicesPage *self, const char *text)
{
  g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, text);
}

static RelayProviderItem *
current_provider (RelayServicesPage *self)
{
  return gtk_drop_down_get_selected_item (self->provider_drop_down);
}

static gint64
current_provider_id (RelayServicesPage *self)
{
  RelayProviderItem *item = current_provider (self);

  return item ? relay_provider_item_get_id (item) : 0;
}

static void
update_actions (RelayServicesPage *self)
{
  gboolean has_provider = current_provider (self) != NULL;
  gboolean service_selected = gtk_single_selection_get_selected_item (self->services_selection) != NULL;

  gtk_widget_set_sensitive (GTK_WIDGET (self->sync_button), has_provider && self->syncing_id == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->sync_spinner), self->syncing_id != 0);
  gtk_spinner_set_spinning (self->sync_spinner, self->syncing_id != 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->map_button), has_provider);
  gtk_widget_set_sensitive (GTK_WIDGET (self->edit_button), service_selected);
  gtk_widget_set_sensitive (GTK_WIDGET (self->remove_button), service_selected);
}

/* ---- providers ---- */

static void
reload_providers (RelayServicesPage *self)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) items = NULL;
  gint64 selected_id = current_provider_id (self);
  guint selected = 0;

  rows = relay_store_list_providers (relay_core_get_store (self->core), NULL);
  if (rows == NULL)
    return;
  g_ptr_array_set_free_func (rows, NULL);
  items = g_ptr_array_new_full (rows->len, g_object_unref);
  for (guint i = 0; i < rows->len; i++)
    {
      RelayProviderRow *row = g_ptr_array_index (rows, i);

      if (row->id == selected_id)
        selected = i;
      g_ptr_array_add (items, relay_provider_item_new (row));
    }

  self->loading = TRUE;
  g_list_store_splice (self->providers, 0, g_list_model_get_n_items (G_LIST_MODEL (self->providers)),
                       items->pdata, items->len);
  gtk_drop_down_set_selected (self->provider_drop_down,
                              items->len > 0 ? selected : GTK_INVALID_LIST_POSITION);
  self->loading = FALSE;

  gtk_stack_set_visible_child_name (self->stack, items->len > 0 ? "content" : "empty");
}

/* ---- the catalog ---- */

static int compare_strings (gconstpointer a, gconstpointer b);

static gboolean
same_strings (GListModel *list, GPtrArray *names)
{
  guint n = g_list_model_get_n_items (list);

  if (n != names->len)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (list, i);

      if (g_strcmp0 (gtk_string_object_get_string (item), g_ptr_array_index (names, i)) != 0)
        return FALSE;
    }
  return TRUE;
}

/* "All categories" and every category of @rows, keeping the chosen one. */
static void
reload_categories (RelayServicesPage *self, GPtrArray *rows)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GtkStringObject *chosen = gtk_drop_down_get_selected_item (self->category_drop_down);
  guint chosen_index = 0;
  g_autofree char *chosen_name = NULL;

  if (chosen != NULL && gtk_drop_down_get_selected (self->category_drop_down) > 0)
    chosen_name = g_strdup (gtk_string_object_get_string (chosen));

  for (guint i = 0; i < rows->len; i++)
    {
      const RelayCatalogRow *row = g_ptr_array_index (rows, i);

      if (row->category != NULL && *row->category != '\0' &&
          g_hash_table_add (seen, row->category))
        g_ptr_array_add (names, row->category);
    }
  g_ptr_array_sort (names, compare_strings);
  g_ptr_array_insert (names, 0, (gpointer) _("All categories"));
  for (guint i = 1; chosen_name != NULL && i < names->len; i++)
    if (g_strcmp0 (g_ptr_array_index (names, i), chosen_name) == 0)
      chosen_index = i;

  /* Most reloads leave the categories as they are: rebuilding the
   * drop-down's list would close its popover and lose its scroll. */
  if (same_strings (G_LIST_MODEL (self->categories), names))
    return;
  g_ptr_array_add (names, NULL);

  self->loading = TRUE;
  gtk_string_list_splice (self->categories, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->categories)),
                          (const char * const *) names->pdata);
  gtk_drop_down_set_selected (self->category_drop_down, chosen_index);
  self->loading = FALSE;
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return g_utf8_collate (*(const char * const *) a, *(const char * const *) b);
}

static int
compare_category (gconstpointer a, gconstpointer b)
{
  const RelayCatalogRow *row_a = *(RelayCatalogRow * const *) a;
  const RelayCatalogRow *row_b = *(RelayCatalogRow * const *) b;

  return g_utf8_collate (row_a->category ? row_a->category : "",
                         row_b->category ? row_b->category : "");
}

static void
update_catalog_summary (RelayServicesPage *self, GPtrArray *all)
{
  RelayProviderItem *provider = current_provider (self);
  const RelayProviderRow *provider_row = provider ? relay_provider_item_get_row (provider) : NULL;
  guint offered = 0, n_new = 0, n_changed = 0, n_removed = 0;
  g_autofree char *text = NULL;
  g_autofree char *ago = NULL;

  if (provider_row == NULL || provider_row->services_synced_at == 0)
    {
      gtk_label_set_label (self->catalog_summary_label, _("Not synced yet"));
      return;
    }
  for (guint i = 0; i < all->len; i++)
    {
      const RelayCatalogRow *row = g_ptr_array_index (all, i);

      if (!row->removed)
        offered++;
      switch (relay_catalog_change_from_markers (row->change))
        {
        case RELAY_CATALOG_CHANGE_NEW:
          n_new++;
          break;
        case RELAY_CATALOG_CHANGE_CHANGED:
          n_changed++;
          break;
        case RELAY_CATALOG_CHANGE_REMOVED:
          n_removed++;
          break;
        case RELAY_CATALOG_CHANGE_NONE:
        default:
          break;
        }
    }
  ago = relay_format_ago (provider_row->services_synced_at, g_get_real_time () / G_USEC_PER_SEC);
  /* TRANSLATORS: the catalog summary: "36 services · synced 2 min ago: 2 new, 1 changed, 0 removed" */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u service · synced %s: %u new, %u changed, %u removed",
                                       "%u services · synced %s: %u new, %u changed, %u removed",
                                       offered),
                          offered, ago, n_new, n_changed, n_removed);
  gtk_label_set_label (self->catalog_summary_label, text);
}

/* @with_categories: rebuild the category drop-down's list too.  Never from
 * that drop-down's own ::notify (changing a model in its selection's
 * notification sends GTK 4.8 into a long loop). */
static void
reload_catalog (RelayServicesPage *self,
                gboolean           with_categories)
{
  RelayStore *store = relay_core_get_store (self->core);
  RelayProviderItem *provider = current_provider (self);
  g_autoptr(GPtrArray) all = NULL;
  gboolean first_sync;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  gboolean only_changes = gtk_toggle_button_get_active (self->changes_button);
  guint category_index = gtk_drop_down_get_selected (self->category_drop_down);
  GtkStringObject *category_item = gtk_drop_down_get_selected_item (self->category_drop_down);
  g_autofree char *category = NULL;
  const char *currency = NULL;
  RelayCatalogItem *selected_item = gtk_single_selection_get_selected_item (self->catalog_selection);
  gint64 selected_id = selected_item ? relay_catalog_item_get_row (selected_item)->id : 0;
  guint selected = GTK_INVALID_LIST_POSITION;
  const char *previous_category = NULL;

  if (provider == NULL)
    {
      g_list_store_remove_all (self->catalog);
      return;
    }
  currency = relay_provider_item_get_row (provider)->currency;
  if (category_item != NULL && category_index > 0)
    category = g_strdup (gtk_string_object_get_string (category_item));

  all = relay_store_list_catalog (store, relay_provider_item_get_id (provider), NULL, TRUE, &error);
  if (all == NULL)
    {
      g_warning ("Could not read the catalog: %s", error->message);
      return;
    }
  if (with_categories)
    reload_categories (self, all);
  update_catalog_summary (self, all);

  /* The search is SQL; category and "only changes" narrow what it found. */
  if (search != NULL && *search != '\0')
    {
      rows = relay_store_list_catalog (store, relay_provider_item_get_id (provider), search, TRUE,
                                       &error);
      if (rows == NULL)
        {
          g_warning ("Could not search the catalog: %s", error->message);
          return;
        }
    }
  else
    rows = g_ptr_array_ref (all);

  first_sync = relay_catalog_rows_first_sync (all);

  /* Grouped by category (a stable sort keeps the provider's id order within). */
  items = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_sort (rows, compare_category);
  for (guint i = 0; i < rows->len; i++)
    {
      RelayCatalogRow *row = g_ptr_array_index (rows, i);
      gboolean group_start;

      if (category != NULL && g_strcmp0 (row->category, category) != 0)
        continue;
      if (only_changes && row->change == NULL)
        continue;
      group_start = previous_category == NULL || g_strcmp0 (previous_category, row->category) != 0;
      previous_category = row->category;
      /* The item takes the row: steal it from the array. */
      g_ptr_array_index (rows, i) = NULL;
      if (row->id == selected_id)
        selected = items->len;
      g_ptr_array_add (items, relay_catalog_item_new (row, currency, group_start, first_sync));
    }

  self->loading = TRUE;
  g_list_store_splice (self->catalog, 0, g_list_model_get_n_items (G_LIST_MODEL (self->catalog)),
                       items->pdata, items->len);
  gtk_single_selection_set_selected (self->catalog_selection, selected);
  self->loading = FALSE;

  if (items->len > 0)
    gtk_stack_set_visible_child_name (self->catalog_stack, "list");
  else
    {
      g_autofree char *text = NULL;

      if (all->len == 0)
        /* TRANSLATORS: the catalog of a provider that was never synced */
        text = g_strdup_printf (_("No services from %s yet — press Sync Services to fetch its catalog."),
                                relay_provider_item_get_row (provider)->name);
      else if (only_changes && category == NULL && (search == NULL || *search == '\0'))
        text = g_strdup (_("The last sync changed nothing."));
      else
        text = g_strdup (_("No service matches — clear the search or choose All categories."));
      gtk_label_set_label (self->catalog_empty_label, text);
      gtk_stack_set_visible_child_name (self->catalog_stack, "empty");
    }
}

/* ---- my services ---- */

/* How many recent rate changes the page lists. */
#define N_PRICE_CHANGES 20

/* "Instagram Followers: cost 0.90 → 1.20 USD, your price 1.35 → 1.80 USD"
 * above "Demo provider · 2026-12-03 17:02:11"; a fixed price left below
 * cost in the error colour. */
static GtkWidget *
price_change_row (const RelayPriceChange *change)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  g_autofree char *text = relay_price_change_describe (change);
  g_autofree char *when = relay_format_time (change->at);
  /* TRANSLATORS: under a price change: "Demo provider · 2026-12-03 17:02:11" */
  g_autofree char *where = g_strdup_printf (_("%s · %s"), change->provider_name, when);
  GtkWidget *title = gtk_label_new (text);
  GtkWidget *subtitle = gtk_label_new (where);

  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_selectable (GTK_LABEL (title), TRUE);
  gtk_widget_set_focusable (title, FALSE);
  if (change->below_cost)
    gtk_widget_add_css_class (title, "error");
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), subtitle);
  return box;
}

/* Fills the Price Changes list; returns the newest change of each service
 * (service id -> RelayPriceChange, owned by @changes). */
static GHashTable *
reload_price_changes (RelayServicesPage *self,
                      GPtrArray         *changes)
{
  GHashTable *latest = g_hash_table_new (g_int64_hash, g_int64_equal);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->price_changes_list))) != NULL)
    gtk_list_box_remove (self->price_changes_list, child);
  for (guint i = 0; changes != NULL && i < changes->len; i++)
    {
      RelayPriceChange *change = g_ptr_array_index (changes, i);

      if (!g_hash_table_contains (latest, &change->service_id))
        g_hash_table_insert (latest, &change->service_id, change);
      if (i < N_PRICE_CHANGES)
        gtk_list_box_append (self->price_changes_list, price_change_row (change));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->price_changes_list), changes != NULL && changes->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->price_changes_empty_label),
                          changes == NULL || changes->len == 0);
  return latest;
}

static void
reload_services (RelayServicesPage *self)
{
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GHashTable) latest_change = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  RelayMappingItem *selected_item = gtk_single_selection_get_selected_item (self->services_selection);
  gint64 selected_id = selected_item ? relay_mapping_item_get_row (selected_item)->id : 0;
  guint selected = GTK_INVALID_LIST_POSITION;
  guint n_blocked = 0;
  g_autofree char *text = NULL;
  g_autoptr(GString) problems = g_string_new (NULL);

  rows = relay_store_list_services (relay_core_get_store (self->core), &error);
  if (rows == NULL)
    {
      g_warning ("Could not list my services: %s", error->message);
      return;
    }
  /* A bounded read: the newest changes, enough to explain each service's last one. */
  changes = relay_core_list_price_changes (self->core, 0, 0, 0, 200, NULL);
  latest_change = reload_price_changes (self, changes);
  g_ptr_array_set_free_func (rows, NULL);
  items = g_ptr_array_new_full (rows->len, g_object_unref);
  for (guint i = 0; i < rows->len; i++)
    {
      RelayServiceRow *row = g_ptr_array_index (rows, i);
      RelayMappingItem *item = relay_mapping_item_new (row);

      if (row->id == selected_id)
        selected = i;
      if (relay_mapping_item_get_problem (item) != NULL)
        {
          g_autofree char *reason = relay_format_sentence (relay_mapping_item_get_problem (item));
          RelayPriceChange *change = g_hash_table_lookup (latest_change, &row->id);

          n_blocked++;
          if (problems->len > 0)
            g_string_append_c (problems, '\n');
          /* TRANSLATORS: one service that blocks ordering: "Service 12, Instagram Likes: Selling below cost: …" */
          g_string_append_printf (problems, _("Service %d, %s: %s"), (int) row->id, row->name, reason);
          /* Why: the sync that raised the rate above a fixed price. */
          if (change != NULL && change->below_cost && change->new_price == row->price &&
              change->new_cost == (row->primary ? row->primary->rate : -1))
            {
              g_autofree char *old_cost = relay_format_money (change->old_cost, row->currency,
                                                              RELAY_MONEY_STYLE_UNIT_PRICE);
              g_autofree char *new_cost = relay_format_money (change->new_cost, row->currency,
                                                              RELAY_MONEY_STYLE_UNIT_PRICE);
              g_autofree char *when = relay_format_time (change->at);

              /* TRANSLATORS: why a fixed price is below cost: " — the provider's rate rose
               * from 0.90 USD to 1.20 USD on 2026-12-03 17:02:11; raise your price or price it by a markup" */
              g_string_append_printf (problems, _(" — the provider’s rate rose from %s to %s on %s; "
                                                  "raise your price or price it by a markup"),
                                      old_cost, new_cost, when);
            }
        }
      g_ptr_array_add (items, item);
    }

  self->loading = TRUE;
  g_list_store_splice (self->services, 0, g_list_model_get_n_items (G_LIST_MODEL (self->services)),
                       items->pdata, items->len);
  gtk_single_selection_set_selected (self->services_selection, selected);
  self->loading = FALSE;

  gtk_stack_set_visible_child_name (self->services_stack, items->len > 0 ? "list" : "empty");
  if (items->len == 0)
    text = g_strdup ("");
  else if (n_blocked == 0)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u service, all orderable",
                                         "%u services, all orderable", items->len),
                            items->len);
  else
    /* TRANSLATORS: "12 services, 1 blocks ordering" */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u services, %u blocks ordering",
                                         "%u services, %u block ordering", n_blocked),
                            items->len, n_blocked);
  gtk_label_set_label (self->services_summary_label, text);
  gtk_label_set_label (self->problems_label, problems->str);
  gtk_widget_set_visible (GTK_WIDGET (self->problems_label), problems->len > 0);
  if (n_blocked > 0)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->services_summary_label), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->services_summary_label), "error");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->services_summary_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->services_summary_label), "dim-label");
    }
}

static void
reload (RelayServicesPage *self)
{
  g_clear_handle_id (&self->reload_source, g_source_remove);
  if (self->core == NULL)
    {
      g_list_store_remove_all (self->catalog);
      g_list_store_remove_all (self->services);
      g_list_store_remove_all (self->providers);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      update_actions (self);
      return;
    }
  /* A provider's catalog can be thousands of services: read only for a page
   * someone looks at (the window opens on another one; a catalog sync started
   * elsewhere changes it); map () reads it when shown. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->stale = TRUE;
      return;
    }
  self->stale = FALSE;
  reload_providers (self);
  reload_catalog (self, TRUE);
  reload_services (self);
  update_actions (self);
}

static gboolean
reload_idle (gpointer data)
{
  RelayServicesPage *self = data;

  self->reload_source = 0;
  reload (self);
  return G_SOURCE_REMOVE;
}

/* The sync this page runs counts the price changes it brought. */
static void
on_prices_changed (RelayServicesPage *self,
                   gint64             provider_id,
                   guint              n_changes,
                   guint              n_below_cost)
{
  if (provider_id != self->syncing_id)
    return;
  self->sync_price_changes += n_changes;
  self->sync_below_cost += n_below_cost;
}

/* Store signals come in bursts: one reload per burst, from idle. */
static void
on_catalog_changed (RelayServicesPage *self, gint64 provider_id)
{
  if (self->reload_source == 0)
    self->reload_source = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, reload_idle, self, NULL);
}

static void
on_provider_changed (RelayServicesPage *self)
{
  if (self->loading || self->core == NULL)
    return;
  self->loading = TRUE;
  gtk_drop_down_set_selected (self->category_drop_down, 0);
  self->loading = FALSE;
  reload_catalog (self, TRUE);
  update_actions (self);
}

static void
on_filter_changed (RelayServicesPage *self)
{
  if (self->loading || self->core == NULL)
    return;
  reload_catalog (self, FALSE);
}

static void
on_catalog_selection_changed (RelayServicesPage *self)
{
  update_actions (self);
}

static void
on_services_selection_changed (RelayServicesPage *self)
{
  update_actions (self);
}

/* ---- sync ---- */

static void
sync_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(RelayServicesPage) self = user_data;
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GPtrArray) offered = NULL;
  g_autoptr(RelayProviderRow) provider = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint n_new = 0, n_changed = 0, n_removed = 0;
  gint64 provider_id = self->syncing_id;

  changes = relay_core_sync_services_finish (RELAY_CORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->syncing_id = 0;
  update_actions (self);

  provider = relay_store_get_provider (relay_core_get_store (self->core), provider_id, NULL);
  if (changes == NULL)
    {
      g_autofree char *reason = relay_format_sentence (error->message);

      /* TRANSLATORS: "Could not sync Demo provider: Invalid API key" */
      text = g_strdup_printf (_("Could not sync %s: %s"), provider ? provider->name : "", reason);
      emit_message (self, text);
      return;
    }

  for (guint i = 0; i < changes->len; i++)
    switch (relay_catalog_change_from_markers (((RelayCatalogRow *) g_ptr_array_index (changes, i))->change))
      {
      case RELAY_CATALOG_CHANGE_NEW:
        n_new++;
        break;
      case RELAY_CATALOG_CHANGE_REMOVED:
        n_removed++;
        break;
      case RELAY_CATALOG_CHANGE_CHANGED:
        n_changed++;
        break;
      case RELAY_CATALOG_CHANGE_NONE:
      default:
        break;
      }
  offered = relay_store_list_catalog (relay_core_get_store (self->core), provider_id, NULL, FALSE, NULL);
  /* TRANSLATORS: after a sync: "36 services: 2 new, 1 changed, 0 removed" */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u service: %u new, %u changed, %u removed",
                                       "%u services: %u new, %u changed, %u removed",
                                       offered ? offered->len : 0),
                          offered ? offered->len : 0, n_new, n_changed, n_removed);
  if (self->sync_price_changes > 0)
    {
      g_autofree char *prices = NULL;
      g_autofree char *joined = NULL;

      /* TRANSLATORS: after a sync, appended to its summary: "2 price changes" */
      prices = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u price change",
                                             "%u price changes", self->sync_price_changes),
                                self->sync_price_changes);
      if (self->sync_below_cost > 0)
        {
          /* TRANSLATORS: after a sync, appended: "1 service now below cost" */
          g_autofree char *below = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                 "%u service now below cost",
                                                                 "%u services now below cost",
                                                                 self->sync_below_cost),
                                                    self->sync_below_cost);
          /* TRANSLATORS: two parts of a sync summary: "2 price changes, 1 service now below cost" */
          g_autofree char *both = g_strdup_printf (_("%s, %s"), prices, below);

          g_free (prices);
          prices = g_steal_pointer (&both);
        }
      /* TRANSLATORS: the sync summary and its price changes: "36 services: …; 2 price changes" */
      joined = g_strdup_printf (_("%s; %s"), text, prices);
      g_free (text);
      text = g_steal_pointer (&joined);
    }
  emit_message (self, text);
  reload (self);
}

static void
on_sync_clicked (RelayServicesPage *self)
{
  gint64 provider_id = current_provider_id (self);

  if (provider_id == 0 || self->syncing_id != 0)
    return;
  self->syncing_id = provider_id;
  self->sync_price_changes = 0;
  self->sync_below_cost = 0;
  update_actions (self);
  relay_core_sync_services_async (self->core, provider_id, self->cancellable, sync_done,
                                  g_object_ref (self));
}

/* ---- map, edit, remove ---- */

static void
on_dialog_saved (RelayServicesPage *self, gint64 service_id)
{
  g_autoptr(RelayServiceRow) service = NULL;
  g_autofree char *text = NULL;

  reload (self);
  service = relay_store_get_service (relay_core_get_store (self->core), service_id, NULL);
  if (service != NULL && service->primary != NULL)
    {
      g_autofree char *margin = relay_manage_format_margin (service->price, service->primary->rate,
                                                            service->currency);

      /* TRANSLATORS: "Service 12 saved, margin 0.30 USD · 25 %" */
      text = g_strdup_printf (_("Service %d saved, margin %s"), (int) service_id, margin);
    }
  else
    text = g_strdup_printf (_("Service %d saved"), (int) service_id);
  emit_message (self, text);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->services)); i++)
    {
      g_autoptr(RelayMappingItem) item = g_list_model_get_item (G_LIST_MODEL (self->services), i);

      if (relay_mapping_item_get_row (item)->id == service_id)
        gtk_single_selection_set_selected (self->services_selection, i);
    }
}

static RelayMapServiceDialog *
new_dialog (RelayServicesPage *self)
{
  RelayMapServiceDialog *dialog;

  dialog = relay_map_service_dialog_new (self->core, relay_manage_get_window (GTK_WIDGET (self)));
  g_signal_connect_object (dialog, "saved", G_CALLBACK (on_dialog_saved), self, G_CONNECT_SWAPPED);
  return dialog;
}

static void
map_catalog_row (RelayServicesPage *self, RelayCatalogItem *item)
{
  RelayMapServiceDialog *dialog;

  if (self->core == NULL)
    return;
  dialog = new_dialog (self);
  if (item != NULL)
    relay_map_service_dialog_set_catalog (dialog, relay_catalog_item_get_row (item));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_map_clicked (RelayServicesPage *self)
{
  map_catalog_row (self, gtk_single_selection_get_selected_item (self->catalog_selection));
}

static void
on_catalog_activated (RelayServicesPage *self, guint position)
{
  g_autoptr(RelayCatalogItem) item = g_list_model_get_item (G_LIST_MODEL (self->catalog), position);

  map_catalog_row (self, item);
}

static void
edit_service (RelayServicesPage *self, RelayMappingItem *item)
{
  RelayMapServiceDialog *dialog;

  if (self->core == NULL || item == NULL)
    return;
  dialog = new_dialog (self);
  relay_map_service_dialog_set_service (dialog, relay_mapping_item_get_row (item));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_edit_clicked (RelayServicesPage *self)
{
  edit_service (self, gtk_single_selection_get_selected_item (self->services_selection));
}

static void
on_service_activated (RelayServicesPage *self, guint position)
{
  g_autoptr(RelayMappingItem) item = g_list_model_get_item (G_LIST_MODEL (self->services), position);

  edit_service (self, item);
}

static void
remove_confirmed (GtkWidget *owner, gpointer user_data)
{
  RelayServicesPage *self = RELAY_SERVICES_PAGE (owner);
  gint64 service_id = GPOINTER_TO_SIZE (user_data);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (self->core == NULL)
    return;
  if (!relay_store_remove_service (relay_core_get_store (self->core), service_id, &error))
    {
      g_autofree char *reason = relay_format_sentence (error->message);

      /* TRANSLATORS: "Could not remove service 12: …" */
      text = g_strdup_printf (_("Could not remove service %d: %s"), (int) service_id, reason);
    }
  else
    text = g_strdup_printf (_("Service %d removed"), (int) service_id);
  emit_message (self, text);
}

static void
on_remove_clicked (RelayServicesPage *self)
{
  RelayMappingItem *item = gtk_single_selection_get_selected_item (self->services_selection);
  const RelayServiceRow *row;
  g_autofree char *question = NULL;

  if (item == NULL)
    return;
  row = relay_mapping_item_get_row (item);
  /* TRANSLATORS: "Remove service 12, Instagram Likes?" */
  question = g_strdup_printf (_("Remove service %d, %s?"), (int) row->id, row->name);
  relay_manage_confirm (GTK_WIDGET (self), question,
                        _("Clients can no longer order it. Orders already placed keep their history."),
                        _("_Remove"), TRUE, remove_confirmed, GSIZE_TO_POINTER ((gsize) row->id), NULL);
}

/* ---- the object ---- */

static void
relay_services_page_dispose (GObject *object)
{
  RelayServicesPage *self = RELAY_SERVICES_PAGE (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->reload_source, g_source_remove);
  if (self->core != NULL)
    {
      g_clear_signal_handler (&self->catalog_changed_id, relay_core_get_store (self->core));
      g_clear_signal_handler (&self->prices_changed_id, self->core);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), RELAY_TYPE_SERVICES_PAGE);
  /* gtk_widget_dispose_template() leaves a root without an id. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->providers);
  g_clear_object (&self->catalog);
  g_clear_object (&self->services);
  g_clear_object (&self->core);

  G_OBJECT_CLASS (relay_services_page_parent_class)->dispose (object);
}

static void
relay_services_page_finalize (GObject *object)
{
  RelayServicesPage *self = RELAY_SERVICES_PAGE (object);

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (relay_services_page_parent_class)->finalize (object);
}

static void
relay_services_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  RelayServicesPage *self = RELAY_SERVICES_PAGE (object);

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
relay_services_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  RelayServicesPage *self = RELAY_SERVICES_PAGE (object);

  switch (prop_id)
    {
    case PROP_CORE:
      relay_services_page_set_core (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_services_page_map (GtkWidget *widget)
{
  RelayServicesPage *self = RELAY_SERVICES_PAGE (widget);

  GTK_WIDGET_CLASS (relay_services_page_parent_class)->map (widget);
  if (self->stale)
    reload (self);
}

static void
relay_services_page_class_init (RelayServicesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relay_services_page_dispose;
  object_class->finalize = relay_services_page_finalize;
  object_class->get_property = relay_services_page_get_property;
  object_class->set_property = relay_services_page_set_property;
  widget_class->map = relay_services_page_map;

  properties[PROP_CORE] =
    g_param_spec_object ("core", NULL, NULL, RELAY_TYPE_CORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);

  g_type_ensure (RELAY_TYPE_PROVIDER_ITEM);
  g_type_ensure (RELAY_TYPE_CATALOG_ITEM);
  g_type_ensure (RELAY_TYPE_MAPPING_ITEM);
  relay_manage_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RELAY_MANAGE_RESOURCE_PATH "relay-services-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "relay-services-page");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

  gtk_widget_class_bind_template_child (widget_class, RelayServicesPage, stack);
  gtk_widget_class_bind_template_child (widget_class, RelayServicesPage, provider_drop_down);
  gtk_widget_class_bind_template_child (widget_class, RelayServicesPage, category_drop_down);
  gtk_widget_class_bind_template_child (widget_class, RelayServicesPage, categories);
  gtk_widget_class_bind_template_child (widget_class, RelayServicesPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, RelayServicesPage, changes_button);
  gtk_widget_class_bind_template_child (widget_class, RelayServicesPage, sync_spinner);
  gtk_widget_class_bind_template_child (widget_class, RelayServicesPage, sync_button);
  gtk_widget_class_bind_template_child (widget_class, RelayServicesPage, catalog_summary_label);
  gtk_widget_class_bind_template_child (widget_class, RelayServicesPage, catalog_stack);
  gtk_widget_class_bind_template_child (widget_class, RelayServicesPage, catalog_empty_label);
  gtk_widget_class_bind_template_child (widget_class, RelayServicesPage, catalog_view);
  gtk_widget_class_bind_template_child (widget_class, RelayServicesPage, catalog_selection);
  gtk_widget_class_bind_template_child (widget_class, RelayServicesPage, services_summary_label);
  gtk_widget_class_bind_template_child (widget_class, RelayServicesPage, problems_label);
  gtk_widget_class_bind_template_child (widget_class, RelayServicesPage, map_button);
  gtk_widget_class_bind_template_child (widget_class, RelayServicesPage, edit_button);
  gtk_widget_class_bind_template_child (widget_class, RelayServicesPage, remove_button);
  gtk_widget_class_bind_template_child (widget_class, RelayServicesPage, services_stack);
  gtk_widget_class_bind_template_child (widget_class, RelayServicesPage, services_view);
  gtk_widget_class_bind_template_child (widget_class, RelayServicesPage, services_selection);
  gtk_widget_class_bind_template_child (widget_class, RelayServicesPage, price_changes_list);
  gtk_widget_class_bind_template_child (widget_class, RelayServicesPage, price_changes_empty_label);
  gtk_widget_class_bind_template_callback (widget_class, on_provider_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_catalog_selection_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_services_selection_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_catalog_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_service_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_sync_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_map_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_edit_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_remove_clicked);
}

static void
relay_services_page_init (RelayServicesPage *self)
{
  self->providers = g_list_store_new (RELAY_TYPE_PROVIDER_ITEM);
  self->catalog = g_list_store_new (RELAY_TYPE_CATALOG_ITEM);
  self->services = g_list_store_new (RELAY_TYPE_MAPPING_ITEM);
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  self->loading = TRUE;
  gtk_drop_down_set_model (self->provider_drop_down, G_LIST_MODEL (self->providers));
  gtk_single_selection_set_model (self->catalog_selection, G_LIST_MODEL (self->catalog));
  gtk_single_selection_set_model (self->services_selection, G_LIST_MODEL (self->services));
  self->loading = FALSE;
  update_actions (self);
}

GtkWidget *
relay_services_page_new (RelayCore *core)
{
  return g_object_new (RELAY_TYPE_SERVICES_PAGE, "core", core, NULL);
}

RelayCore *
relay_services_page_get_core (RelayServicesPage *self)
{
  g_return_val_if_fail (RELAY_IS_SERVICES_PAGE (self), NULL);
  return self->core;
}

void
relay_services_page_set_core (RelayServicesPage *self,
                              RelayCore         *core)
{
  g_return_if_fail (RELAY_IS_SERVICES_PAGE (self));
  g_return_if_fail (core == NULL || RELAY_IS_CORE (core));

  if (self->core == core)
    return;
  if (self->core != NULL)
    {
      g_clear_signal_handler (&self->catalog_changed_id, relay_core_get_store (self->core));
      g_clear_signal_handler (&self->prices_changed_id, self->core);
    }
  g_set_object (&self->core, core);
  if (core != NULL)
    {
      self->catalog_changed_id = g_signal_connect_object (relay_core_get_store (core), "catalog-changed",
                                                          G_CALLBACK (on_catalog_changed), self,
                                                          G_CONNECT_SWAPPED);
      self->prices_changed_id = g_signal_connect_object (core, "prices-changed",
                                                         G_CALLBACK (on_prices_changed), self,
                                                         G_CONNECT_SWAPPED);
    }
  reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CORE]);
}
