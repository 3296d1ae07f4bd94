/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayCore: mapping my services to provider services. */
#include "config.h"

#include "relay-core-private.h"
#include "relay-error.h"
#include "relay-money.h"

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
  if (price <= 0)
    {
      g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID,
                   _("The price per 1,000 must be more than zero"));
      return FALSE;
    }
  /* The limit that keeps every charge inside 64 bits (relay-money.h). */
  if (!relay_money_check_price (price, error))
    return FALSE;
  primary = find_catalog (store, provider_id, provider_service_id, error);
  if (primary == NULL)
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

  return relay_store_map_service (store, id, name, price, primary->id,
                                  fallback ? fallback->id : 0, manual, error);
}
