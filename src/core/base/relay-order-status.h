/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The canonical order statuses and how the providers' words map onto them. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  /* Dispatch states: ours, before the provider knows the order. */
  RELAY_ORDER_SCHEDULED,     /* waits for its time */
  RELAY_ORDER_QUEUED,        /* due; the dispatcher will send it */
  RELAY_ORDER_SENDING,       /* committed just before the request left */
  /* Provider states, once the provider gave an order id. */
  RELAY_ORDER_PENDING,
  RELAY_ORDER_PROCESSING,
  RELAY_ORDER_IN_PROGRESS,
  RELAY_ORDER_COMPLETED,
  RELAY_ORDER_PARTIAL,
  RELAY_ORDER_CANCELED,
  /* Ends of the dispatch path. */
  RELAY_ORDER_FAILED,        /* the provider refused it (or it failed there) */
  RELAY_ORDER_NEEDS_REVIEW,  /* unknown outcome, or waiting for manual approval */
  RELAY_ORDER_N_STATUSES
} RelayOrderStatus;

/* "scheduled", "queued", …, "needs_review": the canonical names used in the
 * order book, the CLI and JSON.  Static strings. */
const char      *relay_order_status_to_string   (RelayOrderStatus status);
/* Parses a canonical name; returns FALSE for anything else. */
gboolean         relay_order_status_from_string (const char       *name,
                                                 RelayOrderStatus *out);
/* A translated label for people ("In progress", "Needs review"). */
const char      *relay_order_status_get_label   (RelayOrderStatus status);

/* Maps a provider's status word ("In Progress", "Inprogress", "Cancelled",
 * "Refunded", "Fail", …), case and spacing insensitive.  Returns FALSE when the
 * word is unknown: the caller keeps the previous status and shows the word. */
gboolean         relay_order_status_from_provider (const char       *word,
                                                   RelayOrderStatus *out);

/* Sent and not finished: pending, processing, in progress. The sync polls these. */
gboolean         relay_order_status_is_active   (RelayOrderStatus status);
/* Nothing more will happen: completed, partial, canceled, failed. */
gboolean         relay_order_status_is_final    (RelayOrderStatus status);

G_END_DECLS
