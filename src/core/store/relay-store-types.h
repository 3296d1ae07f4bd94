/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Rows of the order book, as plain structs.  Money is micro-units (gint64);
 * times are Unix seconds (UTC). */
#pragma once

#include <glib.h>

#include "relay-order-status.h"

G_BEGIN_DECLS

/* orders.review_reason of an order of a manual service, waiting to be approved. */
#define RELAY_REVIEW_AWAITING_APPROVAL "awaiting approval"

typedef struct
{
  gint64  id;
  char   *name;
  char   *url;
  char   *key_ref;        /* opaque id of the key in the RelayKeyStore */
  char   *currency;       /* from the last balance or services reply, may be NULL */
  gboolean has_balance;
  gint64  balance;
  gint64  balance_at;
  char   *last_error;     /* last failure talking to it, NULL when the last call worked */
  gint64  services_synced_at;
  guint   max_concurrent;
  gint64  created_at;
  gint64  low_balance;      /* warn when the balance is below this; -1 = no warning */
  gint64  funds_needed;     /* what its orders waiting for funds need; -1 = not waiting */
  gint64  funds_wait_since; /* when they began to wait; 0 = not waiting */
} RelayProviderRow;

/* A service in a provider's catalog (the last `services` sync). */
typedef struct
{
  gint64   id;              /* local row id */
  gint64   provider_id;
  char    *provider_name;
  char    *service_id;      /* the provider's id */
  char    *name;
  char    *type;
  char    *category;
  gint64   rate;            /* micro per 1,000 */
  gint64   min;
  gint64   max;
  gboolean refill;
  gboolean cancel;
  gboolean dripfeed;
  gboolean removed;         /* gone from the provider's catalog at the last sync */
  char    *change;          /* what the last sync changed: NULL, or a comma list of
                               "new", "rate_up", "rate_down", "limits", "type", "removed",
                               or "refused" (the panel sent this id with no usable name or
                               rate; the row is the previous one, kept) */
  gint64   prev_rate;       /* rate before the last sync, when it changed */
  gint64   synced_at;
} RelayCatalogRow;

/* One of my services: what my clients order, mapped to a provider service. */
typedef struct
{
  gint64   id;              /* my service id, chosen by the user; used in mass orders */
  char    *name;
  gint64   price;           /* my price, micro per 1,000 */
  gboolean manual;          /* orders wait for approval before they are sent */
  RelayCatalogRow *primary; /* the mapped provider service (owned) */
  RelayCatalogRow *fallback;/* or NULL (owned) */
  char    *currency;        /* the primary provider's currency, may be NULL */
  gboolean has_rule;        /* priced by a rule (below); FALSE = a fixed price */
  gint64   markup_ppm;      /* the rule: rate x (1 + markup_ppm / 10^6) (350000 = 35 %) */
  gint64   price_step;      /* the rule: rounded up to this (micro), 0 = no rounding */
} RelayServiceRow;

/* A provider rate change a catalog sync brought to one of my services (the
 * price_changes table), with my price before and after. */
typedef struct
{
  gint64   id;
  gint64   service_id;      /* my service */
  char    *service_name;
  gint64   provider_id;
  char    *provider_name;
  char    *currency;        /* the provider's, may be NULL */
  gint64   at;
  gint64   old_cost;        /* provider rate per 1,000 before */
  gint64   new_cost;
  gint64   old_price;       /* my price per 1,000 before */
  gint64   new_price;
  gboolean below_cost;      /* a fixed price now under the rate: orders stop */
} RelayPriceChange;

typedef struct
{
  gint64  id;
  char   *name;
  gint64  balance;          /* what the client owes: sum of the ledger */
  int     balance_beyond;   /* 0, or +1 / -1 when the sum is above G_MAXINT64 / below
                             * -G_MAXINT64 and @balance holds that limit */
  gint64  n_orders;
  gint64  n_active;
  gint64  created_at;
} RelayClientRow;

typedef struct
{
  gint64  id;
  gint64  client_id;
  gint64  order_id;         /* 0 when not about an order */
  gint64  event_id;         /* 0 when not from an order event */
  char   *kind;             /* "charge", "refund", "payment", "adjustment" */
  gint64  amount;           /* signed: positive = the client owes more */
  char   *note;
  gint64  at;
} RelayLedgerEntry;

typedef struct
{
  gint64  id;
  gint64  service_id;       /* my service */
  char   *service_name;
  gint64  client_id;        /* 0 = none */
  char   *client_name;
  gint64  provider_id;      /* the provider it goes / went to */
  char   *provider_name;
  gint64  catalog_id;       /* the provider service it goes / went to */
  char   *provider_service_id;
  char   *provider_order_id;/* NULL until sent */
  char   *link;
  gint64  quantity;
  char   *extra_json;       /* type-specific fields as a JSON object, or NULL */
  gint64  runs;             /* drip-feed, 0 = none */
  gint64  interval;         /* minutes */
  RelayOrderStatus status;
  char   *provider_status;  /* the provider's own word, as said */
  char   *error;            /* the last failure or the provider's refusal */
  char   *review_reason;    /* why it needs review (set in needs_review) */
  gboolean has_start_count;
  gint64  start_count;
  gboolean has_remains;
  gint64  remains;
  gboolean has_charge;
  gint64  charge;           /* what the provider reports it took */
  char   *currency;
  gint64  cost;             /* provider rate x quantity when it was sent */
  gint64  price;            /* what the client was charged */
  gint64  refunded;         /* what the client got back */
  gboolean can_refill;
  gboolean can_cancel;
  gint64  attempts;
  gint64  scheduled_at;     /* 0 = as soon as possible */
  gint64  next_attempt_at;
  gint64  created_at;
  gint64  sent_at;
  gint64  updated_at;
} RelayOrderRow;

typedef struct
{
  gint64  id;
  gint64  order_id;
  gint64  at;
  gboolean has_old_status;
  RelayOrderStatus old_status;
  RelayOrderStatus new_status;
  char   *source;           /* "dispatch", "sync", "user", "startup", "cli" */
  char   *detail;
} RelayOrderEvent;

typedef struct
{
  gint64  id;
  gint64  order_id;
  char   *provider_refill_id;
  char   *status;           /* the provider's word, or "requested" */
  char   *error;
  gint64  created_at;
  gint64  updated_at;
} RelayRefillRow;

/* An order to be recorded.  Validation (relay_order_rules.h) comes first. */
typedef struct
{
  gint64      service_id;
  gint64      client_id;    /* 0 = none */
  const char *link;
  gint64      quantity;
  const char *extra_json;   /* NULL or a JSON object with the type's fields */
  gint64      runs;
  gint64      interval;
  gint64      scheduled_at; /* 0 = now */
} RelayOrderDraft;

/* What a sync learnt of one order (from RelayProviderStatus). */
typedef struct
{
  gint64       order_id;
  const char  *status_word; /* NULL when the entry was an error */
  const char  *error;
  gboolean     has_start_count;
  gint64       start_count;
  gboolean     has_remains;
  gint64       remains;
  gboolean     has_charge;
  gint64       charge;
  const char  *currency;
} RelayStatusUpdate;

void relay_provider_row_free (RelayProviderRow *row);
void relay_catalog_row_free  (RelayCatalogRow *row);
void relay_service_row_free  (RelayServiceRow *row);
void relay_price_change_free (RelayPriceChange *row);
void relay_client_row_free   (RelayClientRow *row);
void relay_ledger_entry_free (RelayLedgerEntry *row);
void relay_order_row_free    (RelayOrderRow *row);
void relay_order_event_free  (RelayOrderEvent *row);
void relay_refill_row_free   (RelayRefillRow *row);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayProviderRow, relay_provider_row_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayCatalogRow, relay_catalog_row_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayServiceRow, relay_service_row_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayPriceChange, relay_price_change_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayClientRow, relay_client_row_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayLedgerEntry, relay_ledger_entry_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayOrderRow, relay_order_row_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayOrderEvent, relay_order_event_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayRefillRow, relay_refill_row_free)

/* Which orders a list shows.  Zero-initialised = all orders, newest first. */
typedef enum
{
  RELAY_ORDER_FILTER_ALL,
  RELAY_ORDER_FILTER_ACTIVE,      /* scheduled, queued, sending, pending, processing, in_progress */
  RELAY_ORDER_FILTER_ATTENTION,   /* needs_review, failed */
  RELAY_ORDER_FILTER_COMPLETED,
  RELAY_ORDER_FILTER_PARTIAL,
  RELAY_ORDER_FILTER_CANCELED,
  RELAY_ORDER_FILTER_FAILED,
  RELAY_ORDER_FILTER_STATUS,      /* exactly RelayOrderQuery.status */
} RelayOrderFilter;

typedef enum
{
  RELAY_ORDER_SORT_ID,
  RELAY_ORDER_SORT_CLIENT,
  RELAY_ORDER_SORT_SERVICE,
  RELAY_ORDER_SORT_LINK,
  RELAY_ORDER_SORT_QUANTITY,
  RELAY_ORDER_SORT_PROGRESS,
  RELAY_ORDER_SORT_START_COUNT,
  RELAY_ORDER_SORT_REMAINS,
  RELAY_ORDER_SORT_CHARGE,
  RELAY_ORDER_SORT_STATUS,
  RELAY_ORDER_SORT_UPDATED,
} RelayOrderSort;

typedef struct
{
  RelayOrderFilter filter;
  RelayOrderStatus status;      /* with RELAY_ORDER_FILTER_STATUS */
  gint64           client_id;   /* 0 = any */
  gint64           provider_id; /* 0 = any */
  const char      *search;      /* link substring, local id, or provider order id; NULL = any */
  RelayOrderSort   sort;
  gboolean         ascending;   /* default newest / largest first */
} RelayOrderQuery;

G_END_DECLS
