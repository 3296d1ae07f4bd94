/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The rules an order must pass before it is recorded: the one place where
 * min/max, the fields a service type needs, links and margins are checked.
 * The form, the mass-order preview, the CLI and the core all call these. */
#pragma once

#include <glib.h>

#include "relay-store-types.h"
#include "relay-provider-types.h"
#include "relay-money.h"

G_BEGIN_DECLS

/* The most units (quantity x runs) one order may have: the limit on which
 * relay-money.h's proof that no amount overflows rests. */
#define RELAY_ORDER_MAX_UNITS RELAY_MONEY_MAX_UNITS

/* Fields a service type uses besides service and link. */
typedef enum
{
  RELAY_FIELD_QUANTITY      = 1 << 0,
  RELAY_FIELD_COMMENTS      = 1 << 1,
  RELAY_FIELD_USERNAMES     = 1 << 2,
  RELAY_FIELD_USERNAME      = 1 << 3,
  RELAY_FIELD_HASHTAGS      = 1 << 4,
  RELAY_FIELD_HASHTAG       = 1 << 5,
  RELAY_FIELD_MEDIA         = 1 << 6,
  RELAY_FIELD_ANSWER_NUMBER = 1 << 7,
  RELAY_FIELD_SUBSCRIPTION  = 1 << 8,  /* username, min, max, posts/old_posts, delay, expiry; no link */
  RELAY_FIELD_DRIPFEED      = 1 << 9,  /* runs, interval (when the service allows drip-feed) */
  RELAY_FIELD_LINK          = 1 << 10,
} RelayFieldFlags;

/* Type-specific fields of an order; stored as a JSON object in orders.extra. */
typedef struct
{
  char   *comments;
  char   *usernames;
  char   *username;
  char   *hashtags;
  char   *hashtag;
  char   *media;
  gint64  answer_number;
  gint64  min;
  gint64  max;
  gint64  posts;
  gint64  old_posts;
  gint64  delay;
  char   *expiry;
} RelayOrderExtras;

void              relay_order_extras_free    (RelayOrderExtras *extras);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayOrderExtras, relay_order_extras_free)
/* NULL when nothing is set.  New string. */
char             *relay_order_extras_to_json (const RelayOrderExtras *extras);
/* NULL or "" gives empty extras; bad JSON is RELAY_INPUT_ERROR_INVALID. */
RelayOrderExtras *relay_order_extras_from_json (const char *json, GError **error);

/* The fields of @type ("Default", "Custom Comments", …, case-insensitive;
 * unknown types are treated as Default).  @dripfeed adds RELAY_FIELD_DRIPFEED. */
RelayFieldFlags   relay_service_type_fields  (const char *type, gboolean dripfeed);

/* The quantity an order of this type really has: the number of non-empty
 * lines of comments / usernames for the list types, 1 for Package,
 * else @quantity. */
gint64            relay_order_effective_quantity (const char *type, gint64 quantity,
                                                  const RelayOrderExtras *extras);

/* Selling below cost: my price per 1,000 under the provider's current rate
 * (RELAY_INPUT_ERROR_BELOW_COST, with both amounts in the message).  A
 * service whose provider service was removed is refused too, and so is a
 * price or a provider rate above RELAY_MONEY_MAX_PER_THOUSAND
 * (RELAY_INPUT_ERROR_RANGE): what passes can always be priced. */
gboolean          relay_service_check_orderable (const RelayServiceRow *service, GError **error);

/* Everything about one order of @service: orderable, link for the platform
 * and kind, quantity within min..max (RELAY_INPUT_ERROR_RANGE, "quantity 20 is
 * below this service's minimum of 50"), the type's fields present, drip-feed
 * only where allowed (runs >= 2, interval >= 1; quantity is per run).  */
gboolean          relay_order_check (const RelayServiceRow  *service,
                                     const char             *link,
                                     gint64                  quantity,
                                     const RelayOrderExtras *extras,
                                     gint64                  runs,
                                     gint64                  interval,
                                     GError                **error);

/* Units the provider delivers for @order: quantity x runs (drip-feed);
 * G_MAXINT64 for a row whose product would overflow. */
gint64            relay_order_units      (const RelayOrderRow *order);
/* Delivered so far: units - remains, clamped to [0, units]; a completed order
 * whose remains are unknown counts as fully delivered. */
gint64            relay_order_delivered  (const RelayOrderRow *order);
/* Whether a refill can be asked now: completed or partial, sent, and its
 * service offers refills. */
gboolean          relay_order_can_refill (const RelayOrderRow *order);
/* Whether it can be canceled now: not sent yet (scheduled, queued, awaiting
 * approval: canceled here), or running at the provider with a service that
 * allows cancelling. */
gboolean          relay_order_can_cancel (const RelayOrderRow *order);

/* Fills @request (borrowing strings from @order and @extras) for `add`. */
void              relay_order_fill_add_request (RelayProviderAddRequest *request,
                                                const char              *provider_service_id,
                                                const char              *type,
                                                const char              *link,
                                                gint64                   quantity,
                                                gint64                   runs,
                                                gint64                   interval,
                                                const RelayOrderExtras  *extras);

G_END_DECLS
