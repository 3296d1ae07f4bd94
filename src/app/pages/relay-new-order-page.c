/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayNewOrderPage: picks one of my services, shows only the fields its type needs, checks them
 * live with relay_order_check() and shows the charge (placing is in -place.c). */
#include "config.h"

#include "relay-new-order-page-private.h"
#include "relay-error.h"
#include "relay-link.h"
#include "relay-money.h"
#include "relay-quantity.h"
#include "relay-pages-private.h"
#include "../relay-toast.h"

#include <glib/gi18n-lib.h>

G_DEFINE_FINAL_TYPE (RelayNewOrderPage, relay_new_order_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CORE,
  PROP_BUSY,
  N_PROPS
};

enum {
  SIGNAL_MESSAGE,
  SIGNAL_ORDER_PLACED,
  SIGNAL_TOAST,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void revalidate (RelayNewOrderPage *self);

/* ---- reading the form ---- */

/* The spin button's number as typed, before it is committed (so the charge
 * follows every keystroke); its value when the text is not a number. */
static gint64
spin_get_int (GtkSpinButton *spin)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (spin))));
  gint64 value;

  if (g_ascii_string_to_signed (text, 10, 0, G_MAXINT64, &value, NULL))
    return value;
  return (gint64) gtk_spin_button_get_value (spin);
}

static char *
dup_entry (GtkEntry *entry)
{
  char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));

  if (*text == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

static char *
dup_buffer (GtkTextBuffer *buffer)
{
  GtkTextIter start, end;
  char *text;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      return text;
  g_free (text);
  return NULL;
}

/* The picked local date and time, which must be in the future. */
static gboolean
read_schedule (RelayNewOrderPage *self, gint64 *out, char **out_error)
{
  g_autoptr(GDateTime) day = gtk_calendar_get_date (self->schedule_calendar);
  g_autoptr(GDateTime) when = NULL;
  g_autofree char *text = NULL;

  when = g_date_time_new_local (g_date_time_get_year (day), g_date_time_get_month (day),
                                g_date_time_get_day_of_month (day),
                                gtk_spin_button_get_value_as_int (self->schedule_hour_spin),
                                gtk_spin_button_get_value_as_int (self->schedule_minute_spin), 0);
  if (when == NULL)
    {
      *out_error = g_strdup (_("Choose a date and time to send it"));
      return FALSE;
    }
  if (g_date_time_to_unix (when) <= g_get_real_time () / G_USEC_PER_SEC)
    {
      text = relay_format_minute (when, FALSE);
      /* TRANSLATORS: the chosen send-later time is in the past: "2026-12-01 10:00 has already passed" */
      *out_error = g_strdup_printf (_("%s has already passed; choose a later time"), text);
      return FALSE;
    }
  *out = g_date_time_to_unix (when);
  return TRUE;
}

/* The picker's button shows the chosen local time: "Fri 2026-12-04 14:00". */
static void
show_schedule (RelayNewOrderPage *self)
{
  g_autoptr(GDateTime) day = gtk_calendar_get_date (self->schedule_calendar);
  g_autoptr(GDateTime) when = NULL;
  g_autofree char *text = NULL;

  when = g_date_time_new_local (g_date_time_get_year (day), g_date_time_get_month (day),
                                g_date_time_get_day_of_month (day),
                                gtk_spin_button_get_value_as_int (self->schedule_hour_spin),
                                gtk_spin_button_get_value_as_int (self->schedule_minute_spin), 0);
  text = relay_format_minute (when, TRUE);
  gtk_label_set_label (self->schedule_button_label, text);
}

void
relay_new_order_page_read_form (RelayNewOrderPage *self, Form *form)
{
  const RelayCatalogRow *primary;
  RelayFieldFlags fields;
  RelayOrderExtras *extras;

  *form = (Form) { 0 };
  form->extras = extras = g_new0 (RelayOrderExtras, 1);
  form->link = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->link_entry))));
  if (self->service == NULL)
    return;

  form->service = relay_service_item_get_row (self->service);
  primary = form->service->primary;
  fields = form->fields = relay_service_type_fields (primary ? primary->type : NULL,
                                                     primary ? primary->dripfeed : FALSE);

  if (fields & (RELAY_FIELD_QUANTITY | RELAY_FIELD_SUBSCRIPTION))
    {
      g_autoptr(GError) error = NULL;
      const char *text = gtk_editable_get_text (GTK_EDITABLE (self->quantity_entry));

      /* The core reads the text or refuses it: never a number nobody typed. */
      if (!relay_quantity_parse (text, &form->quantity, &error) ||
          ((fields & RELAY_FIELD_QUANTITY) && primary != NULL &&
           !relay_quantity_check_limits (form->quantity, primary->min, primary->max, &error)) ||
          ((fields & RELAY_FIELD_SUBSCRIPTION) &&
           !relay_quantity_check_limits (form->quantity, 1, 0, &error)))
        {
          form->quantity = 0;
          form->quantity_error = relay_format_sentence (error->message);
        }
    }
  if (fields & RELAY_FIELD_COMMENTS)
    extras->comments = dup_buffer (self->comments_buffer);
  if (fields & RELAY_FIELD_USERNAMES)
    extras->usernames = dup_buffer (self->usernames_buffer);
  if (fields & (RELAY_FIELD_USERNAME | RELAY_FIELD_SUBSCRIPTION))
    extras->username = dup_entry (self->username_entry);
  if (fields & RELAY_FIELD_HASHTAGS)
    extras->hashtags = dup_entry (self->hashtags_entry);
  if (fields & RELAY_FIELD_HASHTAG)
    extras->hashtag = dup_entry (self->hashtag_entry);
  if (fields & RELAY_FIELD_MEDIA)
    extras->media = dup_entry (self->media_entry);
  if (fields & RELAY_FIELD_ANSWER_NUMBER)
    extras->answer_number = spin_get_int (self->answer_spin);
  if (fields & RELAY_FIELD_SUBSCRIPTION)
    {
      extras->min = spin_get_int (self->sub_min_spin);
      extras->max = spin_get_int (self->sub_max_spin);
      extras->posts = spin_get_int (self->posts_spin);
      extras->old_posts = spin_get_int (self->old_posts_spin);
      extras->delay = spin_get_int (self->delay_spin);
      extras->expiry = dup_entry (self->expiry_entry);
    }
  if ((fields & RELAY_FIELD_DRIPFEED) && gtk_switch_get_active (self->dripfeed_switch))
    {
      form->runs = spin_get_int (self->runs_spin);
      form->interval = spin_get_int (self->interval_spin);
    }
  if (gtk_switch_get_active (self->schedule_switch))
    read_schedule (self, &form->scheduled_at, &form->schedule_error);
}

void
relay_new_order_form_clear (Form *form)
{
  g_clear_pointer (&form->link, g_free);
  g_clear_pointer (&form->extras, relay_order_extras_free);
  g_clear_pointer (&form->schedule_error, g_free);
  g_clear_pointer (&form->quantity_error, g_free);
}

void
relay_new_order_page_set_quantity (RelayNewOrderPage *self,
                                   gint64             quantity)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, quantity);

  gtk_editable_set_text (GTK_EDITABLE (self->quantity_entry), text);
}

/* What the order is charged for, by the core's rules: the effective quantity
 * of the type, times the runs of a drip-feed (relay_order_units()). */
gint64
relay_new_order_form_units (const Form *form)
{
  RelayOrderRow order = { 0 };

  if (form->service == NULL || form->service->primary == NULL)
    return 0;
  order.quantity = relay_order_effective_quantity (form->service->primary->type, form->quantity,
                                                   form->extras);
  order.runs = form->runs;
  return relay_order_units (&order);
}

/* ---- showing what the service needs ---- */

static void
show_row (GtkWidget *label, GtkWidget *field, gboolean visible)
{
  gtk_widget_set_visible (label, visible);
  gtk_widget_set_visible (field, visible);
}

static void
set_spin_limits (GtkSpinButton *spin, gint64 min, gint64 max, gboolean reset)
{
  double lower = MAX (min, 1);
  double upper = max > 0 ? (double) max : 1e9;
  double step = 1;
  double value = gtk_spin_button_get_value (spin);

  /* Steps that suit the size: 10 for a minimum of 50, 100 for 100 to 999 … */
  while (step * 10 <= lower)
    step *= 10;
  gtk_spin_button_set_range (spin, lower, MAX (lower, upper));
  gtk_spin_button_set_increments (spin, step, step * 10);
  if (reset || value < lower || value > upper)
    gtk_spin_button_set_value (spin, lower);
}

static void
update_link_placeholder (RelayNewOrderPage *self, const RelayCatalogRow *primary)
{
  RelayPlatform platform;
  RelayLinkKind kind;
  g_autofree char *text = NULL;

  relay_link_classify_service (primary->name, primary->category, &platform, &kind);
  if (platform == RELAY_PLATFORM_OTHER)
    text = g_strdup ("https://");
  else if (kind == RELAY_LINK_PROFILE)
    /* TRANSLATORS: placeholder of the link field; %s is a platform such as Instagram */
    text = g_strdup_printf (_("Link to the %s profile (https://…)"), relay_platform_get_label (platform));
  else if (kind == RELAY_LINK_POST)
    /* TRANSLATORS: placeholder of the link field; %s is a platform such as Instagram */
    text = g_strdup_printf (_("Link to the %s post (https://…)"), relay_platform_get_label (platform));
  else
    /* TRANSLATORS: placeholder of the link field; %s is a platform such as Instagram */
    text = g_strdup_printf (_("%s link (https://…)"), relay_platform_get_label (platform));
  gtk_entry_set_placeholder_text (self->link_entry, text);
}

static char *
service_details (const RelayServiceRow *service)
{
  const RelayCatalogRow *primary = service->primary;
  GString *text = g_string_new (NULL);

  if (primary == NULL)
    return g_string_free (text, FALSE);
  g_string_append_printf (text, "%s · %s · %s", primary->category ? primary->category : "",
                          primary->type ? primary->type : "Default",
                          primary->provider_name ? primary->provider_name : "");
  if (primary->refill)
    g_string_append_printf (text, " · %s", _("refill"));
  if (primary->cancel)
    g_string_append_printf (text, " · %s", _("cancel"));
  if (primary->dripfeed)
    g_string_append_printf (text, " · %s", _("drip-feed"));
  if (service->manual)
    g_string_append_printf (text, " · %s", _("sent after your approval"));
  return g_string_free (text, FALSE);
}

/* ---- the provider's currency ---- */

typedef struct
{
  RelayNewOrderPage *self;
  gint64             provider_id;
} CurrencyAsk;

static void revalidate (RelayNewOrderPage *self);

static void
currency_answered (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  CurrencyAsk *ask = user_data;
  g_autoptr(RelayNewOrderPage) self = ask->self;
  g_autoptr(RelayProviderBalance) balance = NULL;
  g_autoptr(GError) error = NULL;
  gint64 provider_id = ask->provider_id;

  g_free (ask);
  balance = relay_core_refresh_balance_finish (RELAY_CORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->currency_asks == NULL)
    return;
  /* The core recorded it in the book: the services come again with it
   * (::catalog-changed); until then, and when the reply had none, say so. */
  g_hash_table_insert (self->currency_asks, g_memdup2 (&provider_id, sizeof provider_id),
                       balance != NULL ? g_strdup ("") : relay_format_sentence (error->message));
  revalidate (self);
}

/* A provider whose currency the book does not know yet (its balance was
 * never asked): ask once, off the main loop. */
static void
ask_currency (RelayNewOrderPage *self, const RelayServiceRow *service)
{
  CurrencyAsk *ask;
  gint64 provider_id;

  if (self->core == NULL || service == NULL || service->primary == NULL ||
      (service->currency != NULL && *service->currency != '\0'))
    return;
  provider_id = service->primary->provider_id;
  if (g_hash_table_contains (self->currency_asks, &provider_id))
    return;
  g_hash_table_insert (self->currency_asks, g_memdup2 (&provider_id, sizeof provider_id), NULL);
  ask = g_new0 (CurrencyAsk, 1);
  ask->self = g_object_ref (self);
  ask->provider_id = provider_id;
  relay_core_refresh_balance_async (self->core, provider_id, self->cancellable,
                                    currency_answered, ask);
}

/* Why the amounts have no currency, or NULL when they have one. */
static char *
dup_currency_note (RelayNewOrderPage *self, const RelayServiceRow *service)
{
  const char *provider = service->primary->provider_name ? service->primary->provider_name : "";
  gint64 provider_id = service->primary->provider_id;
  gpointer reason = NULL;

  if (service->currency != NULL && *service->currency != '\0')
    return NULL;
  if (!g_hash_table_lookup_extended (self->currency_asks, &provider_id, NULL, &reason) ||
      reason == NULL)
    /* TRANSLATORS: under the charge while the currency is not known; %s is a provider */
    return g_strdup_printf (_("Asking %s for its currency…"), provider);
  if (*(const char *) reason == '\0')
    /* TRANSLATORS: under the charge; %s is a provider whose balance reply had no currency */
    return g_strdup_printf (_("%s did not say its currency"), provider);
  /* TRANSLATORS: under the charge; "Demo provider did not say its currency: Invalid API key" */
  return g_strdup_printf (_("%s did not say its currency: %s"), provider, (const char *) reason);
}

/* Shows the fields of the chosen service's type; @same keeps what was typed
 * (the list was only refreshed). */
static void
service_changed (RelayNewOrderPage *self, gboolean same)
{
  const RelayServiceRow *service;
  const RelayCatalogRow *primary;
  RelayFieldFlags fields;
  gboolean quantity_spin;
  g_autofree char *details = NULL;
  g_autofree char *limits = NULL;
  g_autofree char *reason = NULL;

  if (self->service == NULL || relay_service_item_get_row (self->service)->primary == NULL)
    {
      gtk_label_set_label (self->service_details_label,
                           self->services != NULL &&
                           g_list_model_get_n_items (G_LIST_MODEL (self->services)) == 0
                           ? _("No services yet: map a provider’s service in Services first.")
                           : "");
      relay_pages_show_field_error (GTK_WIDGET (self->service_drop_down),
                                    self->service_error_label, NULL);
      revalidate (self);
      return;
    }

  service = relay_service_item_get_row (self->service);
  primary = service->primary;
  fields = relay_service_type_fields (primary->type, primary->dripfeed);
  ask_currency (self, service);

  details = service_details (service);
  gtk_label_set_label (self->service_details_label, details);
  reason = relay_format_sentence (relay_service_item_get_reason (self->service));
  relay_pages_show_field_error (GTK_WIDGET (self->service_drop_down), self->service_error_label,
                                reason);

  quantity_spin = (fields & (RELAY_FIELD_QUANTITY | RELAY_FIELD_SUBSCRIPTION)) != 0;
  show_row (self->link_label, self->link_box, fields & RELAY_FIELD_LINK);
  show_row (self->quantity_label, self->quantity_box, quantity_spin);
  show_row (self->comments_label, self->comments_box, fields & RELAY_FIELD_COMMENTS);
  show_row (self->usernames_label, self->usernames_box, fields & RELAY_FIELD_USERNAMES);
  show_row (self->username_label, GTK_WIDGET (self->username_entry),
            fields & (RELAY_FIELD_USERNAME | RELAY_FIELD_SUBSCRIPTION));
  show_row (self->hashtags_label, GTK_WIDGET (self->hashtags_entry), fields & RELAY_FIELD_HASHTAGS);
  show_row (self->hashtag_label, GTK_WIDGET (self->hashtag_entry), fields & RELAY_FIELD_HASHTAG);
  show_row (self->media_label, GTK_WIDGET (self->media_entry), fields & RELAY_FIELD_MEDIA);
  show_row (self->answer_label, GTK_WIDGET (self->answer_spin),
            fields & RELAY_FIELD_ANSWER_NUMBER);
  show_row (self->per_post_label, self->per_post_box, fields & RELAY_FIELD_SUBSCRIPTION);
  show_row (self->posts_label, self->posts_box, fields & RELAY_FIELD_SUBSCRIPTION);
  show_row (self->delay_label, self->delay_box, fields & RELAY_FIELD_SUBSCRIPTION);
  show_row (self->dripfeed_label, self->dripfeed_box, fields & RELAY_FIELD_DRIPFEED);
  if (!(fields & RELAY_FIELD_DRIPFEED))
    gtk_switch_set_active (self->dripfeed_switch, FALSE);

  limits = relay_format_limits (primary->min, primary->max);
  if (fields & RELAY_FIELD_QUANTITY)
    {
      if (!same)
        relay_new_order_page_set_quantity (self, MAX (primary->min, 1));
      gtk_label_set_label (self->quantity_hint_label, limits);
    }
  else if (fields & RELAY_FIELD_SUBSCRIPTION)
    {
      /* The provider takes min and max per post; the order book charges a quantity. */
      set_spin_limits (self->sub_min_spin, primary->min, primary->max, !same);
      set_spin_limits (self->sub_max_spin, primary->min, primary->max, !same);
      gtk_label_set_label (self->quantity_hint_label,
                           _("what the client is charged for; per post the provider takes "
                             "between the least and the most below"));
    }
  if (fields & RELAY_FIELD_LINK)
    update_link_placeholder (self, primary);

  revalidate (self);
}

/* ---- checking ---- */

/* The number of lines the core counts in a list field (it ignores blank
 * lines): asked of the core through the list type that counts them. */
static gint64
count_list (const char *type_counting, const RelayOrderExtras *extras)
{
  return relay_order_effective_quantity (type_counting, 0, extras);
}

static void
show_counts (RelayNewOrderPage *self, const Form *form)
{
  if (form->fields & RELAY_FIELD_COMMENTS)
    {
      gint64 n = count_list ("Custom Comments", form->extras);
      g_autofree char *count = relay_format_count (n);
      g_autofree char *text = NULL;

      /* TRANSLATORS: "12 comments, one per line" */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s comment, one per line",
                                           "%s comments, one per line", (gulong) n),
                              count);
      gtk_label_set_label (self->comments_count_label, text);
    }
  if (form->fields & RELAY_FIELD_USERNAMES)
    {
      gint64 n = count_list ("Mentions Custom List", form->extras);
      g_autofree char *count = relay_format_count (n);
      g_autofree char *text = NULL;

      /* TRANSLATORS: "12 user names, one per line" */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s user name, one per line",
                                           "%s user names, one per line", (gulong) n),
                              count);
      gtk_label_set_label (self->usernames_count_label, text);
    }
  if (form->fields & RELAY_FIELD_DRIPFEED)
    {
      gboolean on = gtk_switch_get_active (self->dripfeed_switch);

      gtk_widget_set_sensitive (self->dripfeed_fields, on);
      if (on)
        {
          g_autofree char *total = relay_format_count (relay_new_order_form_units (form));
          g_autofree char *each = relay_format_count (form->quantity);
          g_autofree char *runs = relay_format_count (form->runs);
          g_autofree char *text = NULL;

          /* TRANSLATORS: "Total 5,000: 1,000 in each of 5 runs" */
          text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Total %s: %s in each of %s run",
                                               "Total %s: %s in each of %s runs", (gulong) form->runs),
                                  total, each, runs);
          gtk_label_set_label (self->dripfeed_total_label, text);
        }
      else
        gtk_label_set_label (self->dripfeed_total_label,
                             _("Delivers the quantity several times, with a pause between runs"));
    }
}

static void
show_charge (RelayNewOrderPage *self, const Form *form)
{
  const RelayServiceRow *service = form->service;
  gint64 units = relay_new_order_form_units (form);
  gint64 charge, cost;
  g_autofree char *charge_text = NULL;
  g_autofree char *cost_text = NULL;
  g_autofree char *margin_text = NULL;
  g_autofree char *details = NULL;
  g_autofree char *note = NULL;
  g_autoptr(GError) error = NULL;

  if (service == NULL || service->primary == NULL || units <= 0)
    {
      gtk_label_set_label (self->charge_label, "—");
      gtk_label_set_label (self->cost_label, "");
      return;
    }
  /* Both amounts are within [0, RELAY_MONEY_MAX_AMOUNT], so is the margin. */
  if (!relay_money_for_quantity (service->price, units, &charge, &error) ||
      !relay_money_for_quantity (service->primary->rate, units, &cost, &error))
    {
      gtk_label_set_label (self->charge_label, "—");
      gtk_label_set_label (self->cost_label, error->message);
      return;
    }
  charge_text = relay_format_money (charge, service->currency, RELAY_MONEY_STYLE_TOTAL);
  cost_text = relay_format_money (cost, service->currency, RELAY_MONEY_STYLE_TOTAL);
  margin_text = relay_format_money (charge - cost, service->currency, RELAY_MONEY_STYLE_TOTAL);
  /* TRANSLATORS: what the provider takes for the order and what is left */
  details = g_strdup_printf (_("Provider cost %s · margin %s"), cost_text, margin_text);
  note = dup_currency_note (self, service);
  if (note != NULL)
    {
      /* Never a bare number: an amount is in some currency, and which one
       * comes with the provider's balance reply. */
      g_autofree char *amount = g_steal_pointer (&charge_text);
      g_autofree char *costs = g_steal_pointer (&details);

      /* TRANSLATORS: the charge while the provider's currency is not known: "0.40 (currency not known yet)" */
      charge_text = g_strdup_printf (_("%s (currency not known yet)"), amount);
      details = g_strdup_printf ("%s\n%s", note, costs);
    }
  gtk_label_set_label (self->charge_label, charge_text);
  gtk_label_set_label (self->cost_label, details);
}

static void
show_problem (RelayNewOrderPage *self, const char *text, gboolean is_error)
{
  g_autofree char *sentence = relay_format_sentence (text);

  gtk_label_set_label (self->problem_label, sentence ? sentence : "");
  if (is_error)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->problem_label), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->problem_label), "error");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->problem_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->problem_label), "dim-label");
    }
}

static void
revalidate (RelayNewOrderPage *self)
{
  Form form;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) link_error = NULL;
  g_autofree char *link_text = NULL;
  g_autofree char *schedule_text = NULL;
  gboolean ok;

  relay_new_order_page_read_form (self, &form);
  gtk_widget_set_sensitive (GTK_WIDGET (self->schedule_button),
                            gtk_switch_get_active (self->schedule_switch));
  show_schedule (self);

  if (form.service == NULL)
    {
      relay_pages_show_field_error (GTK_WIDGET (self->link_entry), self->link_error_label, NULL);
      relay_pages_show_field_error (GTK_WIDGET (self->schedule_button), self->schedule_error_label,
                                    NULL);
      relay_pages_show_field_error (GTK_WIDGET (self->quantity_entry), self->quantity_error_label,
                                    NULL);
      show_charge (self, &form);
      show_problem (self, _("Choose a service"), FALSE);
      self->valid = FALSE;
      gtk_widget_set_sensitive (GTK_WIDGET (self->place_button), FALSE);
      relay_new_order_form_clear (&form);
      return;
    }

  /* The link, under its field, as soon as something is typed. */
  if ((form.fields & RELAY_FIELD_LINK) && *form.link != '\0' && form.service->primary != NULL)
    {
      RelayPlatform platform;
      RelayLinkKind kind;

      relay_link_classify_service (form.service->primary->name, form.service->primary->category,
                                   &platform, &kind);
      if (!relay_link_check (form.link, platform, kind, &link_error))
        link_text = relay_format_sentence (link_error->message);
    }
  relay_pages_show_field_error (GTK_WIDGET (self->link_entry), self->link_error_label, link_text);
  schedule_text = relay_format_sentence (form.schedule_error);
  relay_pages_show_field_error (GTK_WIDGET (self->schedule_button), self->schedule_error_label,
                                schedule_text);
  relay_pages_show_field_error (GTK_WIDGET (self->quantity_entry), self->quantity_error_label,
                                form.quantity_error);

  show_counts (self, &form);
  show_charge (self, &form);

  /* THE rule: the same check the core makes before recording the order. */
  ok = relay_order_check (form.service, form.link, form.quantity, form.extras,
                          form.runs, form.interval, &error);
  if (form.quantity_error != NULL)
    {
      /* Said at the field; the core's "at least 1" for a 0 would contradict it. */
      ok = FALSE;
      show_problem (self, _("Check the quantity"), FALSE);
    }
  else if (!ok)
    {
      if (g_error_matches (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_LINK))
        show_problem (self, *form.link == '\0' ? _("Enter the link") : _("Check the link"),
                      FALSE);
      else if (g_error_matches (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_BELOW_COST) ||
               g_error_matches (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_UNKNOWN_SERVICE))
        show_problem (self, _("This service cannot be ordered now"), FALSE);
      else
        show_problem (self, error->message, TRUE);
    }
  else if (form.schedule_error != NULL)
    {
      ok = FALSE;
      show_problem (self, _("Check when to send it"), FALSE);
    }
  else if (form.scheduled_at != 0)
    show_problem (self, _("Ready to be scheduled"), FALSE);
  else
    show_problem (self, "", FALSE);

  self->valid = ok;
  gtk_widget_set_sensitive (GTK_WIDGET (self->place_button), ok && self->sending_id == 0);
  relay_new_order_form_clear (&form);
}

static void
on_input_changed (RelayNewOrderPage *self)
{
  revalidate (self);
}

/* ---- the service list ---- */

static guint
find_service (RelayNewOrderPage *self, gint64 service_id)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->services));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RelayServiceItem) item = g_list_model_get_item (G_LIST_MODEL (self->services), i);

      if (relay_service_item_get_id (item) == service_id)
        return i;
    }
  return GTK_INVALID_LIST_POSITION;
}

static guint
first_orderable (RelayNewOrderPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->services));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RelayServiceItem) item = g_list_model_get_item (G_LIST_MODEL (self->services), i);

      if (relay_service_item_get_orderable (item))
        return i;
    }
  return n > 0 ? 0 : GTK_INVALID_LIST_POSITION;
}

static void
take_selection (RelayNewOrderPage *self)
{
  RelayServiceItem *item = gtk_drop_down_get_selected_item (self->service_drop_down);
  gboolean same = item != NULL && self->service != NULL &&
                  relay_service_item_get_id (item) == relay_service_item_get_id (self->service);

  g_set_object (&self->service, item);
  service_changed (self, same);
}

static void
refresh_services (RelayNewOrderPage *self)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  gint64 wanted = self->service ? relay_service_item_get_id (self->service) : 0;
  guint position;

  if (self->core != NULL)
    {
      rows = relay_store_list_services (relay_core_get_store (self->core), &error);
      if (rows == NULL)
        g_warning ("Could not list the services: %s", error->message);
    }
  if (rows != NULL)
    {
      /* The items take the rows. */
      g_ptr_array_set_free_func (rows, NULL);
      for (guint i = 0; i < rows->len; i++)
        g_ptr_array_add (items, relay_service_item_new (g_ptr_array_index (rows, i)));
    }

  self->refreshing = TRUE;
  g_list_store_splice (self->services, 0, g_list_model_get_n_items (G_LIST_MODEL (self->services)),
                       items->pdata, items->len);
  position = wanted != 0 ? find_service (self, wanted) : GTK_INVALID_LIST_POSITION;
  if (position == GTK_INVALID_LIST_POSITION)
    position = first_orderable (self);
  gtk_drop_down_set_selected (self->service_drop_down, position);
  self->refreshing = FALSE;
  take_selection (self);
}

static gboolean
refresh_idle (gpointer user_data)
{
  RelayNewOrderPage *self = user_data;

  self->refresh_source = 0;
  refresh_services (self);
  return G_SOURCE_REMOVE;
}

static void
on_catalog_changed (RelayNewOrderPage *self)
{
  /* Several changes in a row (a sync, a mapping) make one refresh. */
  if (self->refresh_source == 0)
    self->refresh_source = g_idle_add (refresh_idle, self);
}

static void
on_service_selected (RelayNewOrderPage *self)
{
  if (self->refreshing)
    return;
  take_selection (self);
}
static void
on_place_clicked (RelayNewOrderPage *self)
{
  relay_new_order_page_place (self);
}

/* The page's focus is the Link field: what is typed after Ctrl+N goes there
 * (the service is picked or remembered; the link is new every time). */
static gboolean
relay_new_order_page_grab_focus (GtkWidget *widget)
{
  RelayNewOrderPage *self = RELAY_NEW_ORDER_PAGE (widget);

  return gtk_widget_grab_focus (GTK_WIDGET (self->link_entry));
}

static void
on_entry_activate (RelayNewOrderPage *self)
{
  if (self->valid && self->sending_id == 0)
    relay_new_order_page_place (self);
}

/* ---- the object ---- */

void
relay_new_order_page_emit_message (RelayNewOrderPage *self,
                                   const char        *text)
{
  g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, text);
}

void
relay_new_order_page_emit_order_toast (RelayNewOrderPage *self,
                                       const char        *text,
                                       gint64             order_id)
{
  /* The window's toast, with a button to the order (see relay-toast.h). */
  relay_toast_emit (self, signals[SIGNAL_TOAST], text, _("Show Order"), "win.show-order",
                    g_variant_new_int64 (order_id));
}

void
relay_new_order_page_emit_placed (RelayNewOrderPage *self,
                                  gint64             order_id)
{
  g_signal_emit (self, signals[SIGNAL_ORDER_PLACED], 0, order_id);
}

void
relay_new_order_page_notify_busy (RelayNewOrderPage *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

void
relay_new_order_page_set_core (RelayNewOrderPage *self,
                               RelayCore         *core)
{
  g_return_if_fail (RELAY_IS_NEW_ORDER_PAGE (self));
  g_return_if_fail (core == NULL || RELAY_IS_CORE (core));

  if (self->core == core)
    return;
  if (self->core != NULL)
    {
      g_clear_signal_handler (&self->catalog_changed_id, relay_core_get_store (self->core));
      g_clear_signal_handler (&self->order_sent_id, relay_core_get_dispatcher (self->core));
    }
  g_set_object (&self->core, core);
  /* Another book: its providers are asked afresh. */
  g_hash_table_remove_all (self->currency_asks);
  if (self->core != NULL)
    {
      self->catalog_changed_id =
        g_signal_connect_object (relay_core_get_store (self->core), "catalog-changed",
                                 G_CALLBACK (on_catalog_changed), self, G_CONNECT_SWAPPED);
      self->order_sent_id =
        g_signal_connect_object (relay_core_get_dispatcher (self->core), "order-sent",
                                 G_CALLBACK (relay_new_order_page_on_order_sent), self, G_CONNECT_SWAPPED);
    }
  relay_client_picker_set_core (self->client_picker, core);
  relay_funds_banner_set_core (self->funds_banner, core);
  refresh_services (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CORE]);
}

static void
relay_new_order_page_dispose (GObject *object)
{
  RelayNewOrderPage *self = RELAY_NEW_ORDER_PAGE (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  if (self->core != NULL)
    {
      g_clear_signal_handler (&self->catalog_changed_id, relay_core_get_store (self->core));
      g_clear_signal_handler (&self->order_sent_id, relay_core_get_dispatcher (self->core));
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), RELAY_TYPE_NEW_ORDER_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->service);
  g_clear_object (&self->services);
  g_clear_object (&self->core);
  g_clear_pointer (&self->currency_asks, g_hash_table_unref);

  G_OBJECT_CLASS (relay_new_order_page_parent_class)->dispose (object);
}

static void
relay_new_order_page_finalize (GObject *object)
{
  RelayNewOrderPage *self = RELAY_NEW_ORDER_PAGE (object);

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (relay_new_order_page_parent_class)->finalize (object);
}

static void
relay_new_order_page_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  RelayNewOrderPage *self = RELAY_NEW_ORDER_PAGE (object);

  switch (prop_id)
    {
    case PROP_CORE:
      g_value_set_object (value, self->core);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->sending_id != 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_new_order_page_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  RelayNewOrderPage *self = RELAY_NEW_ORDER_PAGE (object);

  switch (prop_id)
    {
    case PROP_CORE:
      relay_new_order_page_set_core (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_new_order_page_class_init (RelayNewOrderPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relay_new_order_page_dispose;
  object_class->finalize = relay_new_order_page_finalize;
  widget_class->grab_focus = relay_new_order_page_grab_focus;
  object_class->get_property = relay_new_order_page_get_property;
  object_class->set_property = relay_new_order_page_set_property;

  properties[PROP_CORE] =
    g_param_spec_object ("core", NULL, NULL, RELAY_TYPE_CORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[SIGNAL_TOAST] = relay_toast_signal_new (klass);
  signals[SIGNAL_ORDER_PLACED] =
    g_signal_new ("order-placed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  g_type_ensure (RELAY_TYPE_SERVICE_ITEM);
  g_type_ensure (RELAY_TYPE_CLIENT_PICKER);
  g_type_ensure (RELAY_TYPE_FUNDS_BANNER);
  relay_pages_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RELAY_PAGES_RESOURCE_PATH "relay-new-order-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "relay-new-order-page");

  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, funds_banner);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, service_drop_down);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, service_details_label);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, service_error_label);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, link_label);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, link_box);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, link_entry);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, link_error_label);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, quantity_label);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, quantity_box);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, quantity_entry);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, quantity_error_label);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, quantity_hint_label);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, comments_label);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, comments_box);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, comments_buffer);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, comments_count_label);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, usernames_label);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, usernames_box);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, usernames_buffer);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, usernames_count_label);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, username_label);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, username_entry);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, hashtags_label);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, hashtags_entry);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, hashtag_label);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, hashtag_entry);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, media_label);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, media_entry);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, answer_label);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, answer_spin);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, per_post_label);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, per_post_box);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, sub_min_spin);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, sub_max_spin);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, posts_label);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, posts_box);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, posts_spin);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, old_posts_spin);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, delay_label);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, delay_box);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, delay_spin);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, expiry_entry);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, dripfeed_label);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, dripfeed_box);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, dripfeed_switch);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, dripfeed_fields);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, runs_spin);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, interval_spin);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, dripfeed_total_label);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, schedule_switch);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, schedule_button);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, schedule_button_label);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, schedule_calendar);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, schedule_hour_spin);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, schedule_minute_spin);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, schedule_error_label);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, client_picker);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, charge_label);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, cost_label);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, place_button);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, place_spinner);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, problem_label);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, result_box);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, result_icon);
  gtk_widget_class_bind_template_child (widget_class, RelayNewOrderPage, result_label);

  gtk_widget_class_bind_template_callback (widget_class, on_service_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_input_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_place_clicked);
}

/* Tomorrow at the next whole hour: a sensible first guess for "send later". */
static void
set_default_schedule (RelayNewOrderPage *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) later = g_date_time_add_hours (now, 25);

  gtk_calendar_select_day (self->schedule_calendar, later);
  gtk_spin_button_set_value (self->schedule_hour_spin, g_date_time_get_hour (later));
  gtk_spin_button_set_value (self->schedule_minute_spin, 0);
}

static void
relay_new_order_page_init (RelayNewOrderPage *self)
{
  self->cancellable = g_cancellable_new ();
  self->services = g_list_store_new (RELAY_TYPE_SERVICE_ITEM);
  self->currency_asks = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->refreshing = TRUE;
  gtk_drop_down_set_model (self->service_drop_down, G_LIST_MODEL (self->services));
  self->refreshing = FALSE;
  relay_pages_drop_down_search_anywhere (self->service_drop_down);

  set_default_schedule (self);
  service_changed (self, FALSE);
}

GtkWidget *
relay_new_order_page_new (RelayCore *core)
{
  return g_object_new (RELAY_TYPE_NEW_ORDER_PAGE, "core", core, NULL);
}

RelayCore *
relay_new_order_page_get_core (RelayNewOrderPage *self)
{
  g_return_val_if_fail (RELAY_IS_NEW_ORDER_PAGE (self), NULL);
  return self->core;
}

gboolean
relay_new_order_page_select_service (RelayNewOrderPage *self,
                                     gint64             service_id)
{
  guint position;

  g_return_val_if_fail (RELAY_IS_NEW_ORDER_PAGE (self), FALSE);

  position = find_service (self, service_id);
  if (position == GTK_INVALID_LIST_POSITION)
    return FALSE;
  gtk_drop_down_set_selected (self->service_drop_down, position);
  return TRUE;
}

gboolean
relay_new_order_page_get_busy (RelayNewOrderPage *self)
{
  g_return_val_if_fail (RELAY_IS_NEW_ORDER_PAGE (self), FALSE);
  return self->sending_id != 0;
}
