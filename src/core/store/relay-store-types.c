/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Free functions of the order book's plain row structs. */
#include "relay-store-types.h"

void
relay_provider_row_free (RelayProviderRow *row)
{
  if (row == NULL)
    return;
  g_free (row->name);
  g_free (row->url);
  g_free (row->key_ref);
  g_free (row->currency);
  g_free (row->last_error);
  g_free (row);
}

void
relay_catalog_row_free (RelayCatalogRow *row)
{
  if (row == NULL)
    return;
  g_free (row->provider_name);
  g_free (row->service_id);
  g_free (row->name);
  g_free (row->type);
  g_free (row->category);
  g_free (row->change);
  g_free (row);
}

void
relay_service_row_free (RelayServiceRow *row)
{
  if (row == NULL)
    return;
  g_free (row->name);
  g_clear_pointer (&row->primary, relay_catalog_row_free);
  g_clear_pointer (&row->fallback, relay_catalog_row_free);
  g_free (row->currency);
  g_free (row);
}

void
relay_price_change_free (RelayPriceChange *row)
{
  if (row == NULL)
    return;
  g_free (row->service_name);
  g_free (row->provider_name);
  g_free (row->currency);
  g_free (row);
}

void
relay_client_row_free (RelayClientRow *row)
{
  if (row == NULL)
    return;
  g_free (row->name);
  g_free (row);
}

void
relay_ledger_entry_free (RelayLedgerEntry *row)
{
  if (row == NULL)
    return;
  g_free (row->kind);
  g_free (row->note);
  g_free (row);
}

void
relay_order_row_free (RelayOrderRow *row)
{
  if (row == NULL)
    return;
  g_free (row->service_name);
  g_free (row->client_name);
  g_free (row->provider_name);
  g_free (row->provider_service_id);
  g_free (row->provider_order_id);
  g_free (row->link);
  g_free (row->extra_json);
  g_free (row->provider_status);
  g_free (row->error);
  g_free (row->review_reason);
  g_free (row->currency);
  g_free (row);
}

void
relay_order_event_free (RelayOrderEvent *row)
{
  if (row == NULL)
    return;
  g_free (row->source);
  g_free (row->detail);
  g_free (row);
}

void
relay_refill_row_free (RelayRefillRow *row)
{
  if (row == NULL)
    return;
  g_free (row->provider_refill_id);
  g_free (row->status);
  g_free (row->error);
  g_free (row);
}
