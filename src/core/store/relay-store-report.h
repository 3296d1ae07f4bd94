/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the order book says about a period: money per client, provider,
 * service or day (one row per currency: amounts in different currencies are
 * never added), orders per status, profit per day and delivery figures per
 * provider service.  Plain structs, so a page can take them from a worker. */
#pragma once

#include <glib.h>

#include "relay-order-status.h"

G_BEGIN_DECLS

typedef struct _RelayStore RelayStore;

typedef enum
{
  RELAY_REPORT_BY_CLIENT,
  RELAY_REPORT_BY_PROVIDER,
  RELAY_REPORT_BY_SERVICE,
  RELAY_REPORT_BY_DAY,
} RelayReportGroup;

/* "client", "provider", "service", "day" <-> RelayReportGroup. */
gboolean    relay_report_group_from_string (const char *name, RelayReportGroup *out);
const char *relay_report_group_to_string   (RelayReportGroup group);

/* Money of the orders placed in the period, in one currency.  Micro-units.
 *   charged:  what the clients were charged (the orders' prices)
 *   refunded: what they got back (refunds and their corrections)
 *   cost:     what the provider kept: its reported charge when it gave one,
 *             else the cost when the order was sent; 0 for orders it never
 *             took (not sent, refused, failed)
 *   profit:   charged - refunded - cost */
typedef struct
{
  char   *key;              /* client, provider or service name, or the day
                             * "YYYY-MM-DD" (local time); "" for orders without one */
  gint64  key_id;           /* client, provider or my service id; 0 for days and none */
  char   *currency;         /* "" when no provider said it yet */
  gint64  orders;
  gint64  charged;
  gint64  refunded;
  gint64  cost;
  gint64  profit;
  double  margin;           /* profit / (charged - refunded) x 100 (a ratio, not money);
                             * 0 when the clients kept nothing */
} RelayReportRow;

/* Durations in seconds: the least, the quartiles and the most (a box plot). */
typedef struct
{
  gint64 n;                 /* samples; the rest is 0 when n = 0 */
  gint64 min;
  gint64 q1;
  gint64 median;
  gint64 q3;
  gint64 max;
} RelayDurationStats;

/* How one provider service delivered the orders of the period that were sent to it. */
typedef struct
{
  gint64  provider_id;
  char   *provider_name;        /* "" when the provider was removed */
  char   *provider_service_id;
  char   *service_name;         /* the provider's name of the service, "" when unknown */
  gint64  orders;               /* sent */
  RelayDurationStats to_start;  /* sent -> first sign of delivery (in progress, partial, completed) */
  RelayDurationStats to_complete; /* sent -> completed */
  gint64  finished;             /* completed, partial or canceled */
  gint64  partial;
  gint64  canceled;
  gint64  refilled;             /* orders with at least one refill asked */
  double  partial_rate;         /* partial / finished, 0..1 (0 when nothing finished) */
  double  cancel_rate;          /* canceled / finished */
  double  refill_rate;          /* refilled / (completed + partial) */
} RelayDeliveryRow;

typedef struct
{
  gint64           from;        /* Unix seconds, inclusive */
  gint64           to;          /* Unix seconds, exclusive */
  RelayReportGroup group;
  gint64           orders;
  gint64           by_status[RELAY_ORDER_N_STATUSES];
  GPtrArray       *totals;      /* RelayReportRow per currency (key ""), by currency */
  GPtrArray       *rows;        /* RelayReportRow per group key and currency, by key */
  GPtrArray       *days;        /* RelayReportRow per day and currency, by day: profit per day */
  GPtrArray       *delivery;    /* RelayDeliveryRow per provider service, by provider */
} RelayReport;

void relay_report_row_free   (RelayReportRow *row);
void relay_delivery_row_free (RelayDeliveryRow *row);
void relay_report_free       (RelayReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayReportRow, relay_report_row_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayDeliveryRow, relay_delivery_row_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayReport, relay_report_free)

/* The report of the orders created in [@from, @to): a few aggregate queries
 * over indexed columns.  Every sum is checked: a total beyond 64 bits is
 * refused (RELAY_INPUT_ERROR_RANGE, or the store's error for SQL sums) rather
 * than wrapped.  Like every store method, call it in the store's thread; a
 * worker may open its own store on the same file (see relay_core_report_async()). */
RelayReport *relay_store_report (RelayStore       *self,
                                 gint64            from,
                                 gint64            to,
                                 RelayReportGroup  group,
                                 GError          **error);

/* What the order book knows of one provider, for its health check. */
typedef struct
{
  gint64  backlog_orders;     /* queued and scheduled orders going to it */
  gint64  backlog_cost;       /* what they cost at its current rates (micro-units) */
  gboolean backlog_beyond;    /* that cost is beyond the money limits: no balance covers it */
  gint64  recent_order_id;    /* the last order it accepted (0 = none) */
  char   *recent_provider_order_id;
  gint64  sent;               /* orders it accepted since @since */
  gint64  failed;             /* orders it refused or failed since @since */
  gint64  unknown;            /* orders whose outcome at it is unknown (needs review) */
  gint64  refills;            /* refills asked since @since */
  gint64  refills_rejected;   /* of them, refused or rejected by it */
  gint64  claims_lost;        /* orders since @since placed while their service offered
                               * refill or cancel, which its catalog no longer offers */
} RelayProviderFacts;

void relay_provider_facts_clear (RelayProviderFacts *facts);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RelayProviderFacts, relay_provider_facts_clear)

/* Fills @out for provider @provider_id; @since (Unix seconds) bounds the
 * counts of recent events.  Sums are checked (RELAY_INPUT_ERROR_RANGE). */
gboolean relay_store_provider_facts (RelayStore         *self,
                                     gint64              provider_id,
                                     gint64              since,
                                     RelayProviderFacts *out,
                                     GError            **error);

G_END_DECLS
