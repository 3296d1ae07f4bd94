/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Plain results of the provider API ("SMM panel API v2"). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One entry of the `services` reply. */
typedef struct
{
  char    *service_id;  /* the provider's id, as text ("1", "1043") */
  char    *name;
  char    *type;        /* "Default", "Package", "Custom Comments", … ("Default" when missing) */
  char    *category;
  gint64   rate;        /* micro-units per 1,000, parsed exactly */
  gint64   min;
  gint64   max;
  gboolean refill;
  gboolean cancel;
  gboolean dripfeed;
  /* TRUE: the entry names a service (service_id set) but its name or rate is
   * unusable (missing, negative, not a number); every other field is unset.
   * The catalog keeps its previous row for that id instead of removing it. */
  gboolean refused;
} RelayProviderService;

/* The status of one order (`status` with `order`, or one entry of `orders`). */
typedef struct
{
  char    *order_id;      /* the provider's id (set by the multi-status parser) */
  char    *error;         /* non-NULL when this entry is {"error": …}; other fields unset */
  char    *status_word;   /* as the provider said it ("In Progress") */
  gboolean has_charge;
  gint64   charge;        /* micro-units */
  gboolean has_start_count;
  gint64   start_count;
  gboolean has_remains;
  gint64   remains;       /* may be negative (over-delivery) */
  char    *currency;      /* may be NULL */
} RelayProviderStatus;

typedef struct
{
  gint64  balance;        /* micro-units; may be negative on some panels */
  char   *currency;
} RelayProviderBalance;

/* One entry of a multi-order reply (`refill` with `orders`, `cancel`). */
typedef struct
{
  char *order_id;
  char *result_id;        /* refill id for refill; "1" for cancel; NULL on error */
  char *error;            /* the provider's words, or NULL */
} RelayProviderItemResult;

/* One entry of `refill_status`. */
typedef struct
{
  char *refill_id;
  char *status_word;      /* "Completed", "Pending", "In progress", "Rejected" */
  char *error;
} RelayProviderRefillStatus;

/* What `add` needs.  Only the fields the service type uses are sent; strings
 * that are NULL and numbers that are 0 are left out. */
typedef struct
{
  const char *service_id;
  const char *link;
  gint64      quantity;
  gint64      runs;          /* drip-feed */
  gint64      interval;      /* drip-feed, minutes */
  const char *comments;      /* one per line */
  const char *usernames;     /* one per line */
  const char *username;
  const char *hashtags;
  const char *hashtag;
  const char *media;
  gint64      answer_number;
  /* Subscriptions */
  gint64      min;
  gint64      max;
  gint64      posts;
  gint64      old_posts;
  gint64      delay;
  const char *expiry;
} RelayProviderAddRequest;

void relay_provider_service_free       (RelayProviderService *self);
void relay_provider_status_free        (RelayProviderStatus *self);
void relay_provider_balance_free       (RelayProviderBalance *self);
void relay_provider_item_result_free   (RelayProviderItemResult *self);
void relay_provider_refill_status_free (RelayProviderRefillStatus *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayProviderService, relay_provider_service_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayProviderStatus, relay_provider_status_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayProviderBalance, relay_provider_balance_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayProviderItemResult, relay_provider_item_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayProviderRefillStatus, relay_provider_refill_status_free)

/* Well-known classes of a provider's refusal, read from its words.  Used to
 * decide failover; the words themselves are always kept and shown. */
typedef enum
{
  RELAY_REJECT_OTHER,
  RELAY_REJECT_FUNDS,          /* Not enough funds on balance */
  RELAY_REJECT_SERVICE,        /* Incorrect service ID, Service is disabled */
  RELAY_REJECT_LINK,           /* Incorrect link */
  RELAY_REJECT_QUANTITY,       /* Quantity less than minimal / more than maximal */
  RELAY_REJECT_ACTIVE_ORDER,   /* You have active order with this link */
  RELAY_REJECT_AUTH,           /* Invalid API key */
} RelayRejectKind;

RelayRejectKind relay_provider_reject_kind (const char *provider_words);

/* The one rule for the id a provider gives an order: either a positive
 * decimal integer of 1 to 19 digits with no leading zero ("23501", what
 * panels send as a number or a numeric string), or a token of 1 to 64 ASCII
 * letters, digits, '_' and '-' that starts with a letter or digit and holds
 * at least one letter ("ab-12_x").  "0", "-1", 20 digits, "12 34", "***"
 * are not ids: they cannot go back into an `orders` list or tell two orders
 * apart.  NULL is not valid. */
#define RELAY_PROVIDER_ID_MAX_LENGTH 64
gboolean        relay_provider_id_is_valid (const char *id);

G_END_DECLS
