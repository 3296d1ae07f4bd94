/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayLedgerItem: one entry of a client's ledger as a list item. */
#pragma once

#include <glib-object.h>

#include "relay-store-types.h"

G_BEGIN_DECLS

#define RELAY_TYPE_LEDGER_ITEM (relay_ledger_item_get_type ())
G_DECLARE_FINAL_TYPE (RelayLedgerItem, relay_ledger_item, RELAY, LEDGER_ITEM, GObject)

/* Takes @entry.  @currency: the book's, may be NULL. */
RelayLedgerItem        *relay_ledger_item_new       (RelayLedgerEntry *entry,
                                                     const char       *currency);
const RelayLedgerEntry *relay_ledger_item_get_entry (RelayLedgerItem  *self);

G_END_DECLS
