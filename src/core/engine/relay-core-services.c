/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayCore: mapping my services to provider services. */
#include "config.h"

#include "relay-core-private.h"
#include "relay-error.h"
#include "relay-money.h"
#include "relay-format.h"
#include "relay-price-rule.h"

#include <glib/gi18n-lib.h>

static RelayCatalogRow *
find_catalog (RelayStore   *store,
              gint64        provider_id,
              const char   *service_id,
              GError      **error)
{
  g_autoptr(RelayProviderRow) provider = relay_store_get_provider (store, provider_id, error);
  RelayCatalogRow *row;

  if (provider == NULL)
    return NULL;
  row = relay_store_find_catalog_service (store, provider_id, service_id, NULL);
  if (row == NULL)
    {
      g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_UNKNOWN_SERVICE,
                   _("%s has no service %s; sync its services first"), provider->name, service_id);
      return NULL;
    }
  if (row->removed)
    {
      g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_UNKNOWN_SERVICE,
                   _("%s no longer offers service %s"), provider->name, service_id);
      relay_catalog_row_free (row);
      return NULL;
    }
  return row;
}

static void announce_prices (RelayCore *self, gint64 provider_id, GPtrArray *price_changes);

/* The price @markup_ppm and @price_step give on @primary's rate now. */
static gboolean
rule_price (const RelayCatalogRow  *primary,
            gint64                  markup_ppm,
            gint64                  price_step,
            gint64                 *out_price,
            GError                **error)
{
  if (price_step < 0 || price_step > RELAY_MONEY_MAX_PER_THOUSAND)
    {
      g_autofree char *limit = relay_money_format (RELAY_MONEY_MAX_PER_THOUSAND);

      g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE,
                   _("A rounding step must be between 0 and %s"), limit);
      return FALSE;
    }
  if (primary->rate <= 0)
    {
      g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID,
                   _("%s’s rate for service %s is 0: a markup on it gives no price; set a fixed price"),
                   primary->provider_name, primary->service_id);
      return FALSE;
    }
  return relay_price_apply_rule (primary->rate, markup_ppm, price_step, out_price, error);
}

gboolean
relay_core_map_service (RelayCore   *self,
                        gint64       id,
                        const char  *name,
                        gint64       price,
                        gint64       provider_id,
                        const char  *provider_service_id,
                        gint64       fallback_provider_id,
                        const char  *fallback_service_id,
                        gboolean     manual,
                        GError     **error)
{
  return relay_core_map_service_full (self, id, name, price, -1, 0, provider_id,
                                      provider_service_id, fallback_provider_id,
                                      fallback_service_id, manual, error);
}

gboolean
relay_core_map_service_full (RelayCore   *self,
                             gint64       id,
                             const char  *name,
                             gint64       price,
                             gint64       markup_ppm,
                             gint64       price_step,
                             gint64       provider_id,
                             const char  *provider_service_id,
                             gint64       fallback_provider_id,
                             const char  *fallback_service_id,
                             gboolean     manual,
                             GError     **error)
{
  RelayStore *store = relay_core_get_store (self);
  g_autoptr(RelayCatalogRow) primary = NULL;
  g_autoptr(RelayCatalogRow) fallback = NULL;
  RelayServiceRow check = { 0 };

  g_return_val_if_fail (RELAY_IS_CORE (self), FALSE);

  if (id <= 0)
    {
      g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID,
                   _("A service id is a positive whole number"));
      return FALSE;
    }
  if (markup_ppm < 0 && price <= 0)
    {
      g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID,
                   _("The price per 1,000 must be more than zero"));
      return FALSE;
    }
  /* The limit that keeps every charge inside 64 bits (relay-money.h). */
  if (markup_ppm < 0 && !relay_money_check_price (price, error))
    return FALSE;
  primary = find_catalog (store, provider_id, provider_service_id, error);
  if (primary == NULL)
    return FALSE;
  if (markup_ppm >= 0 && !rule_price (primary, markup_ppm, price_step, &price, error))
    return FALSE;
  if (fallback_provider_id != 0)
    {
      fallback = find_catalog (store, fallback_provider_id, fallback_service_id, error);
      if (fallback == NULL)
        return FALSE;
      if (g_ascii_strcasecmp (fallback->type, primary->type) != 0)
        {
          g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID,
                       _("The fallback must be a service of the same type (%s), not %s"),
                       primary->type, fallback->type);
          return FALSE;
        }
      if (fallback->id == primary->id)
        {
          g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID,
                       _("The fallback must be another provider service than the primary one"));
          return FALSE;
        }
    }

  /* The margin rule is relay_service_check_orderable(); ask it about the
   * mapping as it would be. */
  check.id = id;
  check.price = price;
  check.primary = primary;
  if (!relay_service_check_orderable (&check, error))
    return FALSE;

  return relay_store_map_service_full (store, id, name, price, markup_ppm,
                                       markup_ppm >= 0 ? price_step : 0, primary->id,
                                       fallback ? fallback->id : 0, manual, error);
}

gboolean
relay_core_set_price_rule (RelayCore   *self,
                           gint64       service_id,
                           gint64       markup_ppm,
                           gint64       price_step,
                           GError     **error)
{
  RelayStore *store = relay_core_get_store (self);
  g_autoptr(RelayServiceRow) service = NULL;
  gint64 price;

  g_return_val_if_fail (RELAY_IS_CORE (self), FALSE);

  service = relay_store_get_service (store, service_id, error);
  if (service == NULL)
    return FALSE;
  price = service->price;
  if (markup_ppm >= 0 && !rule_price (service->primary, markup_ppm, price_step, &price, error))
    return FALSE;
  return relay_store_set_price_rule (store, service_id, service->price, price, markup_ppm,
                                     markup_ppm >= 0 ? price_step : 0, error);
}

GPtrArray *
relay_core_list_price_changes (RelayCore   *self,
                               gint64       provider_id,
                               gint64       after_id,
                               gint64       since,
                               gint         limit,
                               GError     **error)
{
  g_return_val_if_fail (RELAY_IS_CORE (self), NULL);
  return relay_store_list_price_changes (relay_core_get_store (self), provider_id, after_id, since,
                                         limit, error);
}

gboolean
relay_core_store_catalog (RelayCore   *self,
                          gint64       provider_id,
                          GPtrArray   *services,
                          GPtrArray  **out_changes,
                          GError     **error)
{
  g_autoptr(GPtrArray) price_changes = NULL;

  if (!relay_store_replace_catalog_full (relay_core_get_store (self), provider_id, services,
                                         out_changes, &price_changes, error))
    return FALSE;
  announce_prices (self, provider_id, price_changes);
  return TRUE;
}

/* ---- the catalog write, off the main loop ---- */

typedef struct
{
  gint64     provider_id;
  char      *path;
  GPtrArray *services;        /* RelayProviderService*, read only in the thread */
  GPtrArray *changes;         /* RelayCatalogRow*, from the thread */
  GPtrArray *price_changes;   /* RelayPriceChange*, from the thread */
} StoreJob;

static void
store_job_free (StoreJob *job)
{
  g_free (job->path);
  g_clear_pointer (&job->services, g_ptr_array_unref);
  g_clear_pointer (&job->changes, g_ptr_array_unref);
  g_clear_pointer (&job->price_changes, g_ptr_array_unref);
  g_free (job);
}

/* The worker: one transaction on a connection of its own (WAL lets the main
 * connection read meanwhile; a write there waits at most for this one). */
static void
store_catalog_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  StoreJob *job = task_data;
  g_autoptr(RelayStore) store = NULL;
  g_autoptr(GError) error = NULL;

  store = relay_store_open (job->path, &error);
  if (store == NULL ||
      !relay_store_replace_catalog_full (store, job->provider_id, job->services, &job->changes,
                                         &job->price_changes, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
announce_prices (RelayCore  *self,
                 gint64      provider_id,
                 GPtrArray  *price_changes)
{
  guint n_below = 0;

  if (price_changes == NULL || price_changes->len == 0)
    return;
  for (guint i = 0; i < price_changes->len; i++)
    if (((RelayPriceChange *) g_ptr_array_index (price_changes, i))->below_cost)
      n_below++;
  g_signal_emit_by_name (self, "prices-changed", provider_id, price_changes->len, n_below);
}

/* Back on the main thread: the book's signals, then the caller's result. */
static void
catalog_written (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) outer = user_data;
  RelayCore *self = RELAY_CORE (source);
  StoreJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (outer, g_steal_pointer (&error));
      return;
    }
  relay_store_notify_catalog_changed (relay_core_get_store (self), job->provider_id);
  announce_prices (self, job->provider_id, job->price_changes);
  g_task_return_pointer (outer, g_steal_pointer (&job->changes), (GDestroyNotify) g_ptr_array_unref);
}

void
relay_core_store_catalog_async (RelayCore           *self,
                                gint64               provider_id,
                                GPtrArray           *services,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) outer = g_task_new (self, NULL, callback, user_data);
  g_autoptr(GTask) inner = NULL;
  const char *path = relay_store_get_path (relay_core_get_store (self));
  StoreJob *job;

  g_task_set_source_tag (outer, relay_core_store_catalog_async);
  if (!relay_store_is_shared (relay_core_get_store (self)))
    {
      /* A private in-memory book has no second connection: write it here. */
      g_autoptr(GError) error = NULL;
      GPtrArray *changes = NULL;

      if (!relay_core_store_catalog (self, provider_id, services, &changes, &error))
        g_task_return_error (outer, g_steal_pointer (&error));
      else
        g_task_return_pointer (outer, changes, (GDestroyNotify) g_ptr_array_unref);
      return;
    }
  job = g_new0 (StoreJob, 1);
  job->provider_id = provider_id;
  job->path = g_strdup (path);
  job->services = g_ptr_array_ref (services);
  /* Not cancellable: once the fetched catalog is there, it is stored. */
  inner = g_task_new (self, NULL, catalog_written, g_steal_pointer (&outer));
  g_task_set_task_data (inner, job, (GDestroyNotify) store_job_free);
  g_task_run_in_thread (inner, store_catalog_thread);
}

GPtrArray *
relay_core_store_catalog_finish (RelayCore     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

char *
relay_price_change_describe (const RelayPriceChange *change)
{
  g_autofree char *old_cost = NULL;
  g_autofree char *new_cost = NULL;
  g_autofree char *old_price = NULL;
  g_autofree char *new_price = NULL;

  g_return_val_if_fail (change != NULL, NULL);

  old_cost = relay_format_money (change->old_cost, NULL, RELAY_MONEY_STYLE_UNIT_PRICE);
  new_cost = relay_format_money (change->new_cost, change->currency, RELAY_MONEY_STYLE_UNIT_PRICE);
  old_price = relay_format_money (change->old_price, NULL, RELAY_MONEY_STYLE_UNIT_PRICE);
  new_price = relay_format_money (change->new_price, change->currency, RELAY_MONEY_STYLE_UNIT_PRICE);

  if (change->below_cost)
    /* Translators: a provider's rate rose above a fixed price: "Instagram
     * Followers: cost 0.90 → 1.20 USD, above your price 1.10 USD; orders stopped" */
    return g_strdup_printf (_("%s: cost %s → %s, above your price %s; orders stopped"),
                            change->service_name, old_cost, new_cost, new_price);
  if (change->old_price == change->new_price)
    /* Translators: "Instagram Followers: cost 0.90 → 1.00 USD, your price stays 1.35 USD" */
    return g_strdup_printf (_("%s: cost %s → %s, your price stays %s"),
                            change->service_name, old_cost, new_cost, new_price);
  /* Translators: "Instagram Followers: cost 0.90 → 1.20 USD, your price 1.35 → 1.80 USD" */
  return g_strdup_printf (_("%s: cost %s → %s, your price %s → %s"),
                          change->service_name, old_cost, new_cost, old_price, new_price);
}
