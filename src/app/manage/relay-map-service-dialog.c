/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayMapServiceDialog: the mapping form; the margin is the core's rule, asked live and again on Save. */
#include "config.h"

#include "relay-map-service-dialog.h"
#include "relay-manage-private.h"
#include "relay-money.h"
#include "relay-error.h"
#include "relay-order-rules.h"
#include "relay-provider-item.h"
#include "relay-price-rule.h"

#include <glib/gi18n-lib.h>

struct _RelayMapServiceDialog
{
  GtkWindow      parent_instance;

  GtkSpinButton *id_spin;
  GtkLabel      *id_hint_label;
  GtkEntry      *name_entry;
  GtkEntry      *price_entry;
  GtkLabel      *price_hint_label;
  GtkDropDown   *price_mode_drop_down;
  GtkWidget     *fixed_box;
  GtkWidget     *rule_box;
  GtkEntry      *markup_entry;
  GtkEntry      *step_entry;
  GtkLabel      *rule_hint_label;
  GtkDropDown   *provider_drop_down;
  GtkEntry      *service_entry;
  GtkLabel      *service_info_label;
  GtkSwitch     *fallback_switch;
  GtkWidget     *fallback_box;
  GtkDropDown   *fallback_provider_drop_down;
  GtkEntry      *fallback_service_entry;
  GtkLabel      *fallback_info_label;
  GtkSwitch     *manual_switch;
  GtkLabel      *margin_label;
  GtkLabel      *error_label;
  GtkButton     *save_button;

  RelayCore     *core;
  GListStore    *providers;     /* RelayProviderItem */
  gint64         editing_id;    /* 0 = a new service */
};

G_DEFINE_FINAL_TYPE (RelayMapServiceDialog, relay_map_service_dialog, GTK_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_CORE,
  N_PROPS
};

enum {
  SIGNAL_SAVED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static RelayStore *
get_store (RelayMapServiceDialog *self)
{
  return relay_core_get_store (self->core);
}

static gint64
selected_provider (GtkDropDown *drop_down)
{
  RelayProviderItem *item = gtk_drop_down_get_selected_item (drop_down);

  return item ? relay_provider_item_get_id (item) : 0;
}

static const char *
selected_provider_name (GtkDropDown *drop_down)
{
  RelayProviderItem *item = gtk_drop_down_get_selected_item (drop_down);

  return item ? relay_provider_item_get_row (item)->name : NULL;
}

static void
select_provider (GtkDropDown *drop_down, GListModel *providers, gint64 provider_id)
{
  guint n = g_list_model_get_n_items (providers);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RelayProviderItem) item = g_list_model_get_item (providers, i);

      if (relay_provider_item_get_id (item) == provider_id)
        {
          gtk_drop_down_set_selected (drop_down, i);
          return;
        }
    }
}

/* The catalog row the provider / service fields name, or NULL with the
 * sentence that says why in @out_problem. */
static RelayCatalogRow *
lookup_catalog (RelayMapServiceDialog  *self,
                GtkDropDown            *provider_drop_down,
                GtkEntry               *service_entry,
                char                  **out_problem)
{
  g_autofree char *service_id = relay_manage_dup_text (GTK_EDITABLE (service_entry));
  gint64 provider_id = selected_provider (provider_drop_down);
  RelayCatalogRow *row;

  *out_problem = NULL;
  if (provider_id == 0)
    {
      *out_problem = g_strdup (_("Add a provider first, on the Providers page"));
      return NULL;
    }
  if (service_id == NULL)
    {
      *out_problem = g_strdup (_("Type the provider’s service ID, as its catalog shows it"));
      return NULL;
    }
  row = relay_store_find_catalog_service (get_store (self), provider_id, service_id, NULL);
  if (row == NULL)
    {
      /* TRANSLATORS: "Demo provider has no service 999; sync its services if it is new" */
      *out_problem = g_strdup_printf (_("%s has no service %s; sync its services if it is new"),
                                      selected_provider_name (provider_drop_down), service_id);
      return NULL;
    }
  return row;
}

static char *
describe_catalog (const RelayCatalogRow *row, const char *currency)
{
  g_autofree char *rate = relay_format_money (row->rate, currency, RELAY_MONEY_STYLE_UNIT_PRICE);
  g_autofree char *limits = relay_format_limits (row->min, row->max);

  if (row->removed)
    /* TRANSLATORS: a provider service that is gone from the provider's catalog */
    return g_strdup_printf (_("%s — no longer offered"), row->name);
  /* TRANSLATORS: a provider service: name · rate per 1,000 · quantities */
  return g_strdup_printf (_("%s · %s per 1,000 · %s"), row->name, rate, limits);
}

static char *
dup_provider_currency (RelayMapServiceDialog *self, GtkDropDown *drop_down)
{
  RelayProviderItem *item = gtk_drop_down_get_selected_item (drop_down);

  return item ? g_strdup (relay_provider_item_get_row (item)->currency) : NULL;
}

static void
set_hint (GtkLabel *label, const char *text, gboolean failed)
{
  gtk_label_set_label (label, text ? text : "");
  if (failed)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (label), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (label), "error");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (label), "dim-label");
    }
}

enum { PRICE_FIXED, PRICE_RULE };

static gboolean
rule_selected (RelayMapServiceDialog *self)
{
  return gtk_drop_down_get_selected (self->price_mode_drop_down) == PRICE_RULE;
}

/* The rule the markup and step fields hold: FALSE with the sentence that
 * says what is wrong in @out_problem (NULL when the markup is still empty). */
static gboolean
read_rule (RelayMapServiceDialog  *self,
           const char             *currency,
           gint64                 *out_markup_ppm,
           gint64                 *out_step,
           char                  **out_problem)
{
  g_autofree char *markup_text = relay_manage_dup_text (GTK_EDITABLE (self->markup_entry));
  g_autofree char *step_text = relay_manage_dup_text (GTK_EDITABLE (self->step_entry));
  g_autoptr(GError) error = NULL;

  *out_problem = NULL;
  *out_step = 0;
  if (markup_text == NULL)
    return FALSE;
  if (!relay_price_parse_markup (markup_text, out_markup_ppm, &error))
    {
      *out_problem = relay_format_sentence (error->message);
      return FALSE;
    }
  if (step_text != NULL && !relay_money_parse_typed (step_text, currency, out_step, &error))
    {
      /* TRANSLATORS: a bad rounding step: "Rounding step: …reason…" */
      g_autofree char *reason = relay_format_sentence (error->message);

      *out_problem = g_strdup_printf (_("Rounding step: %s"), reason);
      return FALSE;
    }
  return TRUE;
}

/* Reads the form again: the provider service, the price and the margin. */
static void
revalidate (RelayMapServiceDialog *self)
{
  g_autoptr(RelayCatalogRow) primary = NULL;
  g_autoptr(RelayCatalogRow) fallback = NULL;
  g_autofree char *problem = NULL;
  g_autofree char *currency = dup_provider_currency (self, self->provider_drop_down);
  g_autofree char *price_text = relay_manage_dup_text (GTK_EDITABLE (self->price_entry));
  gboolean fallback_on = gtk_switch_get_active (self->fallback_switch);
  gint64 price = 0;
  gboolean price_ok = FALSE;
  gboolean below_cost = FALSE;
  g_autofree char *price_problem = NULL;   /* said at the price field */
  gint64 id = gtk_spin_button_get_value_as_int (self->id_spin);

  gboolean by_rule = rule_selected (self);

  gtk_widget_set_visible (self->fixed_box, !by_rule);
  gtk_widget_set_visible (self->rule_box, by_rule);
  if (by_rule)
    g_clear_pointer (&price_text, g_free);
  primary = lookup_catalog (self, self->provider_drop_down, self->service_entry, &problem);
  if (primary != NULL)
    {
      g_autofree char *text = describe_catalog (primary, currency);

      set_hint (self->service_info_label, text, primary->removed);
    }
  else
    set_hint (self->service_info_label, problem, gtk_editable_get_text (GTK_EDITABLE (self->service_entry))[0] != '\0');

  if (price_text != NULL)
    {
      g_autoptr(GError) error = NULL;

      price_ok = relay_money_parse (price_text, &price, &error);
      if (!price_ok)
        {
          price_problem = relay_format_sentence (error->message);
          set_hint (self->margin_label, "", FALSE);
        }
    }
  if (by_rule)
    {
      g_autofree char *rule_problem = NULL;
      gint64 markup_ppm = 0;
      gint64 step = 0;

      /* The live preview: the price the rule gives on today's rate. */
      if (!read_rule (self, currency, &markup_ppm, &step, &rule_problem))
        set_hint (self->rule_hint_label,
                  rule_problem ? rule_problem : _("Type the markup in percent of the provider’s rate"),
                  rule_problem != NULL);
      else if (primary == NULL)
        set_hint (self->rule_hint_label, _("Choose the provider service to see your price"), FALSE);
      else
        {
          g_autoptr(GError) error = NULL;

          if (primary->rate <= 0)
            set_hint (self->rule_hint_label,
                      _("The provider’s rate is 0: a markup on it gives no price; set a fixed price"),
                      TRUE);
          else if (!relay_price_apply_rule (primary->rate, markup_ppm, step, &price, &error))
            {
              g_autofree char *reason = relay_format_sentence (error->message);

              set_hint (self->rule_hint_label, reason, TRUE);
            }
          else
            {
              g_autofree char *rate = relay_format_money (primary->rate, currency,
                                                          RELAY_MONEY_STYLE_UNIT_PRICE);
              g_autofree char *result = relay_format_money (price, currency,
                                                            RELAY_MONEY_STYLE_UNIT_PRICE);
              /* TRANSLATORS: the price a rule gives now: "Your price now: 1.25 USD per 1,000
               * (the provider charges 0.90 USD); repriced at each catalog sync" */
              g_autofree char *text = g_strdup_printf (_("Your price now: %s per 1,000 (the provider "
                                                         "charges %s); repriced at each catalog sync"),
                                                       result, rate);

              price_ok = TRUE;
              set_hint (self->rule_hint_label, text, FALSE);
            }
        }
    }

  /* The margin, as the core's rule sees it. */
  if (price_ok && primary != NULL)
    {
      RelayServiceRow check = { 0 };
      g_autoptr(GError) error = NULL;

      check.id = id;
      check.price = price;
      check.primary = primary;
      if (relay_service_check_orderable (&check, &error))
        {
          g_autofree char *margin = relay_manage_format_margin (price, primary->rate, currency);
          /* TRANSLATORS: the live margin of a mapping, e.g. "Margin: 0.30 USD · 25 % per 1,000" */
          g_autofree char *text = g_strdup_printf (_("Margin: %s per 1,000"), margin);

          set_hint (self->margin_label, text, FALSE);
          gtk_widget_remove_css_class (GTK_WIDGET (self->margin_label), "dim-label");
        }
      else if (g_error_matches (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_BELOW_COST))
        {
          g_autofree char *loss = relay_format_money (primary->rate - price, currency,
                                                      RELAY_MONEY_STYLE_UNIT_PRICE);
          /* TRANSLATORS: the margin of a price below cost: "Loss: 0.40 USD per 1,000" */
          g_autofree char *text = g_strdup_printf (_("Loss: %s per 1,000"), loss);

          /* The reason once, at the price; the margin line gives the figure. */
          below_cost = TRUE;
          price_problem = relay_format_sentence (error->message);
          set_hint (self->margin_label, text, TRUE);
        }
      else
        {
          g_autofree char *reason = relay_format_sentence (error->message);

          set_hint (self->margin_label, reason, TRUE);
        }
    }
  else if (by_rule)
    set_hint (self->margin_label, "", FALSE);
  else if (price_text == NULL)
    set_hint (self->margin_label, _("Type your price to see the margin"), FALSE);
  else if (price_ok)
    set_hint (self->margin_label, _("Choose the provider service to see the margin"), FALSE);

  /* Under the price: its problem, or what the provider charges. */
  if (price_problem != NULL)
    {
      set_hint (self->price_hint_label, price_problem, TRUE);
      gtk_widget_add_css_class (GTK_WIDGET (self->price_entry), "error");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->price_entry), "error");
      if (primary != NULL)
        {
          g_autofree char *rate = relay_format_money (primary->rate, currency,
                                                      RELAY_MONEY_STYLE_UNIT_PRICE);
          /* TRANSLATORS: what the provider charges, shown beside my price */
          g_autofree char *text = g_strdup_printf (_("The provider charges %s"), rate);

          set_hint (self->price_hint_label, text, FALSE);
        }
      else
        set_hint (self->price_hint_label, "", FALSE);
    }

  gtk_widget_set_visible (self->fallback_box, fallback_on);
  gtk_widget_set_visible (GTK_WIDGET (self->fallback_info_label), fallback_on);
  if (fallback_on)
    {
      g_autofree char *fallback_problem = NULL;
      g_autofree char *fallback_currency = dup_provider_currency (self, self->fallback_provider_drop_down);

      fallback = lookup_catalog (self, self->fallback_provider_drop_down, self->fallback_service_entry,
                                 &fallback_problem);
      if (fallback != NULL)
        {
          g_autofree char *text = describe_catalog (fallback, fallback_currency);

          set_hint (self->fallback_info_label, text, fallback->removed);
        }
      else
        set_hint (self->fallback_info_label, fallback_problem,
                  gtk_editable_get_text (GTK_EDITABLE (self->fallback_service_entry))[0] != '\0');
    }

  if (self->editing_id == 0)
    {
      g_autoptr(RelayServiceRow) existing = relay_store_get_service (get_store (self), id, NULL);

      if (existing != NULL)
        {
          /* TRANSLATORS: my service id is taken: "Service 12 exists (Instagram Likes): saving replaces it" */
          g_autofree char *text = g_strdup_printf (_("Service %d exists (%s): saving replaces it"),
                                                   (int) id, existing->name);

          set_hint (self->id_hint_label, text, TRUE);
        }
      else
        set_hint (self->id_hint_label, _("The number clients and mass orders use"), FALSE);
    }

  /* The core has the last word on Save (and its refusal is shown): only
   * what cannot be sent at all keeps the button off. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button),
                            price_ok && !below_cost &&
                            selected_provider (self->provider_drop_down) != 0 &&
                            gtk_editable_get_text (GTK_EDITABLE (self->service_entry))[0] != '\0');
}

static void
on_field_changed (RelayMapServiceDialog *self)
{
  relay_manage_show_error (NULL, self->error_label, NULL);
  revalidate (self);
}

static void
on_cancel_clicked (RelayMapServiceDialog *self)
{
  gtk_window_close (GTK_WINDOW (self));
}

static void
on_save_clicked (RelayMapServiceDialog *self)
{
  g_autofree char *name = relay_manage_dup_text (GTK_EDITABLE (self->name_entry));
  g_autofree char *price_text = relay_manage_dup_text (GTK_EDITABLE (self->price_entry));
  g_autofree char *service_id = relay_manage_dup_text (GTK_EDITABLE (self->service_entry));
  g_autofree char *fallback_service_id = NULL;
  g_autofree char *currency = dup_provider_currency (self, self->provider_drop_down);
  g_autofree char *rule_problem = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;
  gint64 price = 0;
  gint64 markup_ppm = -1;
  gint64 step = 0;
  gint64 fallback_provider_id = 0;

  if (!gtk_widget_get_sensitive (GTK_WIDGET (self->save_button)))
    return;

  gtk_spin_button_update (self->id_spin);
  id = gtk_spin_button_get_value_as_int (self->id_spin);
  if (gtk_switch_get_active (self->fallback_switch))
    {
      fallback_provider_id = selected_provider (self->fallback_provider_drop_down);
      fallback_service_id = relay_manage_dup_text (GTK_EDITABLE (self->fallback_service_entry));
    }

  if (rule_selected (self) && !read_rule (self, currency, &markup_ppm, &step, &rule_problem))
    {
      relay_manage_show_error (NULL, self->error_label,
                               rule_problem ? rule_problem
                                            : _("Type the markup in percent of the provider’s rate"));
      return;
    }
  if ((!rule_selected (self) && !relay_money_parse (price_text ? price_text : "", &price, &error)) ||
      !relay_core_map_service_full (self->core, id, name, price, markup_ppm, step,
                                    selected_provider (self->provider_drop_down), service_id,
                                    fallback_provider_id, fallback_service_id,
                                    gtk_switch_get_active (self->manual_switch), &error))
    {
      g_autofree char *text = relay_format_sentence (error->message);

      relay_manage_show_error (NULL, self->error_label, text);
      return;
    }

  g_signal_emit (self, signals[SIGNAL_SAVED], 0, id);
  gtk_window_destroy (GTK_WINDOW (self));
}

/* The next free id of mine: one above the highest. */
static gint64
next_service_id (RelayMapServiceDialog *self)
{
  g_autoptr(GPtrArray) services = relay_store_list_services (get_store (self), NULL);
  gint64 highest = 0;

  for (guint i = 0; services != NULL && i < services->len; i++)
    highest = MAX (highest, ((RelayServiceRow *) g_ptr_array_index (services, i))->id);
  return highest + 1;
}

static void
load_providers (RelayMapServiceDialog *self)
{
  g_autoptr(GPtrArray) rows = relay_store_list_providers (get_store (self), NULL);

  if (rows == NULL)
    return;
  g_ptr_array_set_free_func (rows, NULL);
  for (guint i = 0; i < rows->len; i++)
    {
      g_autoptr(RelayProviderItem) item = relay_provider_item_new (g_ptr_array_index (rows, i));

      g_list_store_append (self->providers, item);
    }
}

static void
relay_map_service_dialog_constructed (GObject *object)
{
  RelayMapServiceDialog *self = RELAY_MAP_SERVICE_DIALOG (object);

  G_OBJECT_CLASS (relay_map_service_dialog_parent_class)->constructed (object);

  load_providers (self);
  gtk_drop_down_set_model (self->provider_drop_down, G_LIST_MODEL (self->providers));
  gtk_drop_down_set_model (self->fallback_provider_drop_down, G_LIST_MODEL (self->providers));
  gtk_spin_button_set_value (self->id_spin, next_service_id (self));
  revalidate (self);
}

static void
relay_map_service_dialog_dispose (GObject *object)
{
  RelayMapServiceDialog *self = RELAY_MAP_SERVICE_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), RELAY_TYPE_MAP_SERVICE_DIALOG);
  g_clear_object (&self->providers);
  g_clear_object (&self->core);

  G_OBJECT_CLASS (relay_map_service_dialog_parent_class)->dispose (object);
}

static void
relay_map_service_dialog_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  RelayMapServiceDialog *self = RELAY_MAP_SERVICE_DIALOG (object);

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
relay_map_service_dialog_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  RelayMapServiceDialog *self = RELAY_MAP_SERVICE_DIALOG (object);

  switch (prop_id)
    {
    case PROP_CORE:
      self->core = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_map_service_dialog_class_init (RelayMapServiceDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = relay_map_service_dialog_constructed;
  object_class->dispose = relay_map_service_dialog_dispose;
  object_class->get_property = relay_map_service_dialog_get_property;
  object_class->set_property = relay_map_service_dialog_set_property;

  properties[PROP_CORE] =
    g_param_spec_object ("core", NULL, NULL, RELAY_TYPE_CORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  g_type_ensure (RELAY_TYPE_PROVIDER_ITEM);
  relay_manage_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RELAY_MANAGE_RESOURCE_PATH "relay-map-service-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, RelayMapServiceDialog, id_spin);
  gtk_widget_class_bind_template_child (widget_class, RelayMapServiceDialog, id_hint_label);
  gtk_widget_class_bind_template_child (widget_class, RelayMapServiceDialog, name_entry);
  gtk_widget_class_bind_template_child (widget_class, RelayMapServiceDialog, price_entry);
  gtk_widget_class_bind_template_child (widget_class, RelayMapServiceDialog, price_hint_label);
  gtk_widget_class_bind_template_child (widget_class, RelayMapServiceDialog, price_mode_drop_down);
  gtk_widget_class_bind_template_child (widget_class, RelayMapServiceDialog, fixed_box);
  gtk_widget_class_bind_template_child (widget_class, RelayMapServiceDialog, rule_box);
  gtk_widget_class_bind_template_child (widget_class, RelayMapServiceDialog, markup_entry);
  gtk_widget_class_bind_template_child (widget_class, RelayMapServiceDialog, step_entry);
  gtk_widget_class_bind_template_child (widget_class, RelayMapServiceDialog, rule_hint_label);
  gtk_widget_class_bind_template_child (widget_class, RelayMapServiceDialog, provider_drop_down);
  gtk_widget_class_bind_template_child (widget_class, RelayMapServiceDialog, service_entry);
  gtk_widget_class_bind_template_child (widget_class, RelayMapServiceDialog, service_info_label);
  gtk_widget_class_bind_template_child (widget_class, RelayMapServiceDialog, fallback_switch);
  gtk_widget_class_bind_template_child (widget_class, RelayMapServiceDialog, fallback_box);
  gtk_widget_class_bind_template_child (widget_class, RelayMapServiceDialog, fallback_provider_drop_down);
  gtk_widget_class_bind_template_child (widget_class, RelayMapServiceDialog, fallback_service_entry);
  gtk_widget_class_bind_template_child (widget_class, RelayMapServiceDialog, fallback_info_label);
  gtk_widget_class_bind_template_child (widget_class, RelayMapServiceDialog, manual_switch);
  gtk_widget_class_bind_template_child (widget_class, RelayMapServiceDialog, margin_label);
  gtk_widget_class_bind_template_child (widget_class, RelayMapServiceDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, RelayMapServiceDialog, save_button);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
relay_map_service_dialog_init (RelayMapServiceDialog *self)
{
  self->providers = g_list_store_new (RELAY_TYPE_PROVIDER_ITEM);
  gtk_widget_init_template (GTK_WIDGET (self));
}

RelayMapServiceDialog *
relay_map_service_dialog_new (RelayCore *core,
                              GtkWindow *parent)
{
  g_return_val_if_fail (RELAY_IS_CORE (core), NULL);

  return g_object_new (RELAY_TYPE_MAP_SERVICE_DIALOG,
                       "core", core,
                       "transient-for", parent,
                       NULL);
}

void
relay_map_service_dialog_set_catalog (RelayMapServiceDialog *self,
                                      const RelayCatalogRow *row)
{
  g_return_if_fail (RELAY_IS_MAP_SERVICE_DIALOG (self));
  g_return_if_fail (row != NULL);

  select_provider (self->provider_drop_down, G_LIST_MODEL (self->providers), row->provider_id);
  gtk_editable_set_text (GTK_EDITABLE (self->service_entry), row->service_id);
  if (gtk_editable_get_text (GTK_EDITABLE (self->name_entry))[0] == '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->name_entry), row->name);
  revalidate (self);
}

void
relay_map_service_dialog_set_service (RelayMapServiceDialog *self,
                                      const RelayServiceRow *service)
{
  g_autofree char *price = NULL;
  g_autofree char *title = NULL;

  g_return_if_fail (RELAY_IS_MAP_SERVICE_DIALOG (self));
  g_return_if_fail (service != NULL);

  self->editing_id = service->id;
  title = g_strdup_printf (_("Edit Service %d"), (int) service->id);
  gtk_window_set_title (GTK_WINDOW (self), title);
  gtk_spin_button_set_value (self->id_spin, service->id);
  gtk_widget_set_sensitive (GTK_WIDGET (self->id_spin), FALSE);
  set_hint (self->id_hint_label, _("The number clients and mass orders use"), FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->name_entry), service->name ? service->name : "");
  price = relay_money_format (service->price);
  gtk_editable_set_text (GTK_EDITABLE (self->price_entry), price);
  if (service->has_rule)
    {
      g_autofree char *markup = relay_price_format_markup (service->markup_ppm);
      g_autofree char *step = service->price_step > 0
        ? relay_format_money (service->price_step, NULL, RELAY_MONEY_STYLE_UNIT_PRICE) : NULL;

      gtk_editable_set_text (GTK_EDITABLE (self->markup_entry), markup);
      gtk_editable_set_text (GTK_EDITABLE (self->step_entry), step ? step : "");
    }
  gtk_drop_down_set_selected (self->price_mode_drop_down,
                              service->has_rule ? PRICE_RULE : PRICE_FIXED);
  if (service->primary != NULL)
    {
      select_provider (self->provider_drop_down, G_LIST_MODEL (self->providers),
                       service->primary->provider_id);
      gtk_editable_set_text (GTK_EDITABLE (self->service_entry), service->primary->service_id);
    }
  gtk_switch_set_active (self->fallback_switch, service->fallback != NULL);
  if (service->fallback != NULL)
    {
      select_provider (self->fallback_provider_drop_down, G_LIST_MODEL (self->providers),
                       service->fallback->provider_id);
      gtk_editable_set_text (GTK_EDITABLE (self->fallback_service_entry),
                             service->fallback->service_id);
    }
  gtk_switch_set_active (self->manual_switch, service->manual);
  revalidate (self);
}
