/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayFundsBanner: reads relay_core_provider_funds_state() for every provider when the
 * providers change (the store's ::catalog-changed: balances, thresholds and waits are written
 * with them), shows the ones that are low or waiting, and refreshes their balances on demand.
 * After a run's sends it says the balance left after them (the dispatcher's ::funds-wait, what
 * the notifier's toast says) until the book has a newer reading of the balance. */
#include "config.h"

#include "relay-funds-banner.h"
#include "relay-pages-private.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

/* What a run said is left at a provider after its sends, and the book's
 * reading it was said against: it stands until the book reads anew. */
typedef struct
{
  gint64   left;
  gboolean had_reading;
  gint64   reading;
  gint64   reading_at;
} AfterSends;

struct _RelayFundsBanner
{
  GtkWidget     parent_instance;

  GtkLabel     *text_label;
  GtkButton    *refresh_button;

  RelayCore    *core;
  GSignalGroup *store_signals;
  GSignalGroup *dispatcher_signals;
  GHashTable   *after_sends;    /* gint64 provider id -> AfterSends */
  GArray       *providers;      /* gint64: the ones shown */
  char         *text;
  guint         n_refreshing;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (RelayFundsBanner, relay_funds_banner, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The balance after the run's sends that stands for @state's reading, or
 * NULL once the book read the balance again (then it is forgotten). */
static const AfterSends *
lookup_after_sends (RelayFundsBanner *self, const RelayFundsState *state)
{
  const AfterSends *after = g_hash_table_lookup (self->after_sends, &state->provider_id);

  if (after == NULL)
    return NULL;
  if (after->had_reading != state->has_balance || after->reading != state->balance ||
      after->reading_at != state->balance_at)
    {
      g_hash_table_remove (self->after_sends, &state->provider_id);
      return NULL;
    }
  return after->left != state->balance ? after : NULL;
}

/* The low-balance line for what is left after the sends, or NULL. */
static char *
dup_low_after_sends (const RelayFundsState *state, gint64 left)
{
  g_autofree char *has = NULL;
  g_autofree char *below = NULL;

  if (state->low_balance < 0 || left >= state->low_balance)
    return NULL;
  has = relay_format_money (left, state->currency, RELAY_MONEY_STYLE_TOTAL);
  below = relay_format_money (state->low_balance, state->currency, RELAY_MONEY_STYLE_TOTAL);
  /* Translators: "Balance at Demo provider is low: 3.20 USD (warning below 10.00 USD)" */
  return g_strdup_printf (_("Balance at %s is low: %s (warning below %s)"),
                          state->provider, has, below);
}

static void
update (RelayFundsBanner *self)
{
  g_autoptr(GPtrArray) providers = NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  g_array_set_size (self->providers, 0);
  if (self->core != NULL)
    providers = relay_store_list_providers (relay_core_get_store (self->core), NULL);
  for (guint i = 0; providers != NULL && i < providers->len; i++)
    {
      const RelayProviderRow *row = g_ptr_array_index (providers, i);
      g_autoptr(RelayFundsState) state = relay_core_provider_funds_state (self->core, row->id, NULL);
      const AfterSends *after;

      if (state == NULL)
        continue;
      after = lookup_after_sends (self, state);
      if (after != NULL)
        {
          /* The book's reading is from before the run's sends. */
          if (state->waiting)
            {
              g_free (state->waiting_text);
              state->waiting_text = relay_funds_state_dup_waiting_after_sends (state, after->left);
            }
          g_free (state->low_text);
          state->low_text = dup_low_after_sends (state, after->left);
        }
      if (state->waiting_text == NULL && state->low_text == NULL)
        continue;
      /* Waiting says more than low (orders are held): first. */
      if (state->waiting_text != NULL)
        g_string_append_printf (text, "%s%s", text->len > 0 ? "\n" : "", state->waiting_text);
      if (state->low_text != NULL)
        g_string_append_printf (text, "%s%s", text->len > 0 ? "\n" : "", state->low_text);
      g_array_append_val (self->providers, row->id);
    }

  g_clear_pointer (&self->text, g_free);
  if (text->len > 0)
    self->text = g_strdup (text->str);
  gtk_label_set_label (self->text_label, self->text ? self->text : "");
  gtk_widget_set_visible (GTK_WIDGET (self), self->text != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->refresh_button), self->n_refreshing == 0);
  gtk_button_set_label (self->refresh_button,
                        self->n_refreshing > 0 ? _("Refreshing…") : _("Refresh _Balance"));
}

/* A run left orders waiting at @provider_id with @balance left after its
 * sends (the book still has the reading from before them). */
static void
on_funds_wait (RelayFundsBanner *self,
               gint64            provider_id,
               gint64            needed,
               gint64            balance)
{
  g_autoptr(RelayProviderRow) row = NULL;
  AfterSends *after;

  if (self->core == NULL)
    return;
  row = relay_store_get_provider (relay_core_get_store (self->core), provider_id, NULL);
  if (row == NULL)
    return;
  after = g_new0 (AfterSends, 1);
  after->left = balance;
  after->had_reading = row->has_balance;
  after->reading = row->balance;
  after->reading_at = row->balance_at;
  g_hash_table_insert (self->after_sends, g_memdup2 (&provider_id, sizeof provider_id), after);
  update (self);
}

static void
on_refreshed (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(RelayFundsBanner) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayProviderBalance) balance = NULL;

  /* The core records the balance (or the panel's error) in the book. */
  balance = relay_core_refresh_balance_finish (RELAY_CORE (source), result, &error);
  if (balance == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Balance not refreshed: %s", error->message);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (self->n_refreshing > 0)
    self->n_refreshing--;
  update (self);
}

static void
on_refresh_clicked (RelayFundsBanner *self)
{
  if (self->core == NULL || self->n_refreshing > 0)
    return;
  for (guint i = 0; i < self->providers->len; i++)
    {
      /* Asked by the user: the orders its panel refused for funds are tried
       * again if the balance covers them, even at the same reading. */
      relay_dispatcher_forget_funds_refusal (relay_core_get_dispatcher (self->core),
                                             g_array_index (self->providers, gint64, i));
      self->n_refreshing++;
      relay_core_refresh_balance_async (self->core, g_array_index (self->providers, gint64, i),
                                        self->cancellable, on_refreshed, g_object_ref (self));
    }
  update (self);
}

RelayCore *
relay_funds_banner_get_core (RelayFundsBanner *self)
{
  g_return_val_if_fail (RELAY_IS_FUNDS_BANNER (self), NULL);
  return self->core;
}

void
relay_funds_banner_set_core (RelayFundsBanner *self,
                             RelayCore        *core)
{
  g_return_if_fail (RELAY_IS_FUNDS_BANNER (self));
  g_return_if_fail (core == NULL || RELAY_IS_CORE (core));

  if (self->core == core)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->n_refreshing = 0;
  g_set_object (&self->core, core);
  g_hash_table_remove_all (self->after_sends);
  g_signal_group_set_target (self->store_signals, core ? relay_core_get_store (core) : NULL);
  g_signal_group_set_target (self->dispatcher_signals,
                             core ? relay_core_get_dispatcher (core) : NULL);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CORE]);
}

const char *
relay_funds_banner_get_text (RelayFundsBanner *self)
{
  g_return_val_if_fail (RELAY_IS_FUNDS_BANNER (self), NULL);
  return self->text;
}

static void
relay_funds_banner_dispose (GObject *object)
{
  RelayFundsBanner *self = RELAY_FUNDS_BANNER (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  if (self->store_signals != NULL)
    g_signal_group_set_target (self->store_signals, NULL);
  g_clear_object (&self->store_signals);
  if (self->dispatcher_signals != NULL)
    g_signal_group_set_target (self->dispatcher_signals, NULL);
  g_clear_object (&self->dispatcher_signals);
  gtk_widget_dispose_template (GTK_WIDGET (self), RELAY_TYPE_FUNDS_BANNER);
  /* gtk_widget_dispose_template() leaves a root without an id. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->core);

  G_OBJECT_CLASS (relay_funds_banner_parent_class)->dispose (object);
}

static void
relay_funds_banner_finalize (GObject *object)
{
  RelayFundsBanner *self = RELAY_FUNDS_BANNER (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->providers, g_array_unref);
  g_clear_pointer (&self->after_sends, g_hash_table_unref);
  g_clear_pointer (&self->text, g_free);

  G_OBJECT_CLASS (relay_funds_banner_parent_class)->finalize (object);
}

static void
relay_funds_banner_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  RelayFundsBanner *self = RELAY_FUNDS_BANNER (object);

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
relay_funds_banner_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  RelayFundsBanner *self = RELAY_FUNDS_BANNER (object);

  switch (prop_id)
    {
    case PROP_CORE:
      relay_funds_banner_set_core (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_funds_banner_class_init (RelayFundsBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relay_funds_banner_dispose;
  object_class->finalize = relay_funds_banner_finalize;
  object_class->get_property = relay_funds_banner_get_property;
  object_class->set_property = relay_funds_banner_set_property;

  properties[PROP_CORE] =
    g_param_spec_object ("core", NULL, NULL, RELAY_TYPE_CORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  relay_pages_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, RELAY_PAGES_RESOURCE_PATH
                                               "relay-funds-banner.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "relay-funds-banner");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_widget_class_bind_template_child (widget_class, RelayFundsBanner, text_label);
  gtk_widget_class_bind_template_child (widget_class, RelayFundsBanner, refresh_button);
  gtk_widget_class_bind_template_callback (widget_class, on_refresh_clicked);
}

static void
relay_funds_banner_init (RelayFundsBanner *self)
{
  self->providers = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->after_sends = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  self->store_signals = g_signal_group_new (RELAY_TYPE_STORE);
  g_signal_group_connect_object (self->store_signals, "catalog-changed", G_CALLBACK (update),
                                 self, G_CONNECT_SWAPPED);
  self->dispatcher_signals = g_signal_group_new (RELAY_TYPE_DISPATCHER);
  g_signal_group_connect_object (self->dispatcher_signals, "funds-wait", G_CALLBACK (on_funds_wait),
                                 self, G_CONNECT_SWAPPED);
}

GtkWidget *
relay_funds_banner_new (RelayCore *core)
{
  return g_object_new (RELAY_TYPE_FUNDS_BANNER, "core", core, NULL);
}
