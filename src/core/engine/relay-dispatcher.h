/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Sends due orders: queued -> sending (committed) -> pending | failed |
 * needs_review, with failover to a fallback service on a definite refusal, and
 * retries only when the request provably never left. */
#pragma once

#include "relay-store.h"
#include "relay-client-pool.h"

G_BEGIN_DECLS

#define RELAY_TYPE_DISPATCHER (relay_dispatcher_get_type ())
G_DECLARE_FINAL_TYPE (RelayDispatcher, relay_dispatcher, RELAY, DISPATCHER, GObject)

/* Free with g_free(). */
typedef struct
{
  guint n_sent;
  guint n_failed;
  guint n_review;
  guint n_retry;      /* not sent, queued again for later */
  guint n_no_key;     /* left queued: this computer has no API key for their provider */
  guint n_funds;      /* left queued: their provider's balance does not cover them */
} RelayDispatchReport;

/* Signals (besides ::progress and ::order-sent below):
 *   ::funds-wait (gint64 provider_id, gint64 needed, gint64 balance)
 *       orders for the provider began to wait for funds (see relay-funds.h):
 *       they need @needed micro-units, the balance less what was sent since
 *       it was read is @balance (0 when unknown).  Once per wait, by the one
 *       process that found the provider not waiting.
 *   ::funds-resumed (gint64 provider_id)
 *       the provider waits no longer: a run that saw every due order found
 *       none of its orders short (they went, or are gone).
 *
 * Before a run sends, it reads again the balance of each provider due orders
 * go to when older than a minute or unknown; an order the balance does not
 * cover goes to its service's fallback when it can, else stays queued with
 * the reason (RelayDispatchReport.n_funds), as does one the panel refuses for
 * lack of funds.
 *
 * The dispatcher holds @clients and its order book for as long as it lives,
 * and itself while requests are in flight. */
RelayDispatcher *relay_dispatcher_new (RelayClientPool *clients);

/* Sends every order due now (oldest first, several providers in parallel,
 * each within its client's concurrency limit) until none is left or
 * relay_dispatcher_stop() is called.  Only one run at a time: a call while
 * running joins the current run.  Emits ::progress (guint done, guint total)
 * and ::order-sent (gint64 order_id, guint RelayOrderStatus) as it goes —
 * the latter for every outcome (pending, failed, needs_review, queued again). */
void                 relay_dispatcher_run_async  (RelayDispatcher *self, GCancellable *cancellable,
                                                  GAsyncReadyCallback callback, gpointer user_data);
RelayDispatchReport *relay_dispatcher_run_finish (RelayDispatcher *self, GAsyncResult *result,
                                                  GError **error);
/* Sends only @order_ids (those of them still queued and due), never other
 * due orders — unless a relay_dispatcher_run_async() run is going on, which
 * this joins.  Finish with relay_dispatcher_run_finish(); the report counts
 * what the run did. */
void                 relay_dispatcher_send_async (RelayDispatcher *self, const gint64 *order_ids,
                                                  guint n_ids, GCancellable *cancellable,
                                                  GAsyncReadyCallback callback, gpointer user_data);
gboolean             relay_dispatcher_is_running (RelayDispatcher *self);
/* Starts no new request; requests already sent finish and are recorded. */
void                 relay_dispatcher_stop       (RelayDispatcher *self);
/* Why the last run ended before every due order was tried: FALSE with
 * @error set (RELAY_STORE_ERROR; its message says whether another program
 * held the book) when the book could not be written or read, TRUE when it ended because
 * every due order was handled, or by relay_dispatcher_stop() or
 * cancellation.  Valid from the run's finish callback until the next run
 * starts. */
gboolean             relay_dispatcher_get_stop_error (RelayDispatcher  *self,
                                                      GError          **error);
/* The user checks @provider_id's balance again: the orders its panel refused
 * for funds may be tried again (relay_funds_forget_refusal()). */
void                 relay_dispatcher_forget_funds_refusal (RelayDispatcher *self,
                                                            gint64           provider_id);
/* Seconds to wait before retrying an order that was not sent (default 30). */
void                 relay_dispatcher_set_retry_delay (RelayDispatcher *self, guint seconds);

G_END_DECLS
