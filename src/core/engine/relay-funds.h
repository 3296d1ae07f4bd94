/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayFunds: the dispatcher's gate on the providers' balances.  Before an
 * order is sent it knows the provider's balance (read again when older than
 * a minute or unknown) less what this process sent since that reading, and
 * says whether the order's cost is covered.  An order that is not waits,
 * queued, with the reason; the book records when a provider starts and stops
 * waiting for funds (guarded UPDATEs), and each is announced once (::wait,
 * ::resumed).  Main thread only. */
#pragma once

#include <gio/gio.h>

#include "relay-store.h"
#include "relay-client-pool.h"

G_BEGIN_DECLS

/* A balance older than this (seconds) is read again before orders go. */
#define RELAY_FUNDS_DEFAULT_MAX_AGE 60

#define RELAY_TYPE_FUNDS (relay_funds_get_type ())
G_DECLARE_FINAL_TYPE (RelayFunds, relay_funds, RELAY, FUNDS, GObject)

/* Signals:
 *   ::wait (gint64 provider_id, gint64 needed, gint64 balance)
 *       the provider's orders began to wait for funds: they need @needed,
 *       the balance (less what was sent since it was read) is @balance.
 *       Emitted by the one run (of any process) that found it not waiting.
 *   ::resumed (gint64 provider_id)
 *       it waits no longer: a run that saw every due order found none short. */

/* Keeps a reference to @clients (and through it the order book). */
RelayFunds *relay_funds_new          (RelayClientPool *clients);
/* Seconds after which a balance is read again before orders go (default
 * RELAY_FUNDS_DEFAULT_MAX_AGE; 0 = before every run). */
void        relay_funds_set_max_age  (RelayFunds *self, guint seconds);

/* Whether @provider_words, a panel's refusal of `add`, says that its balance
 * does not cover the order ("Not enough funds on balance", "Insufficient
 * balance", "Недостаточно средств", …; any case). */
gboolean    relay_funds_is_refusal   (const char *provider_words);

/* The cost of @order at @catalog's rate: quantity (× runs for drip-feed) at
 * the rate per 1,000, the same amount the book records when it is sent.
 * RELAY_INPUT_ERROR_RANGE when that is beyond the money limits. */
gboolean    relay_funds_order_cost   (const RelayCatalogRow *catalog,
                                      const RelayOrderRow   *order,
                                      gint64                *out_cost,
                                      GError               **error);

/* The start of a dispatcher run: reads the providers' keys off the main
 * thread (relay_client_pool_load_async()), so that the run's
 * relay_client_pool_get() never waits for the keyring; then, when orders are
 * due, reads again, in parallel, the balance of every provider my services send to (or fall back
 * to) whose reading is unknown, older than the max age, or refused by the
 * panel since (relay_store_list_due_providers()).  Never
 * fails: a provider that does not answer keeps its last reading (an unknown
 * balance lets orders go; the panel decides). */
void        relay_funds_begin_run_async  (RelayFunds          *self,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
void        relay_funds_begin_run_finish (RelayFunds   *self,
                                          GAsyncResult *result);

/* Whether @order may go to @catalog now.  TRUE: its cost (*@out_cost) is
 * counted as spent from the provider's balance; give it back with
 * relay_funds_give_back() when the panel did not take the order.  FALSE with
 * *@out_reason (new string, translated) and *@out_cost: the balance does not
 * cover it (or the panel refused for funds in this run); if it is left to
 * wait, say so with relay_funds_note_waiting().  FALSE with @error
 * (RELAY_INPUT_ERROR_RANGE): its cost cannot be counted. */
gboolean    relay_funds_take         (RelayFunds             *self,
                                      const RelayCatalogRow  *catalog,
                                      const RelayOrderRow    *order,
                                      gint64                 *out_cost,
                                      char                  **out_reason,
                                      GError                **error);
/* An order taken with @cost for @provider_id did not cost anything after all
 * (refused, or never sent). */
void        relay_funds_give_back    (RelayFunds *self, gint64 provider_id, gint64 cost);
/* An order of @cost stays queued waiting for funds at @provider_id. */
void        relay_funds_note_waiting (RelayFunds *self, gint64 provider_id, gint64 cost);
/* The panel itself refused an order taken with @cost for lack of funds: the
 * cost is given back, the provider's other orders wait for the rest of the
 * run, and in later runs until a reading of the balance differs from the one
 * the panel refused them with.  Returns the reason to leave the order queued
 * with (new string, translated). */
char       *relay_funds_refused      (RelayFunds *self, gint64 provider_id, gint64 cost,
                                      const char *provider_words);
/* The end of a run: records in the book the providers found short (the one
 * that starts a wait emits ::wait) and, when @complete — the run saw every
 * due order — ends the wait of each waiting provider that had no order short
 * in it (::resumed). */
void        relay_funds_end_run      (RelayFunds *self, gboolean complete);
/* A user's own balance check: the panel's refusal for funds is forgotten. */
void        relay_funds_forget_refusal (RelayFunds *self, gint64 provider_id);

G_END_DECLS
