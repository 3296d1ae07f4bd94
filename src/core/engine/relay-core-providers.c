/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayCore: a provider's balance, funds and catalog sync (adding, changing
 * and removing providers: relay-core-provider-edit.c). */
#include "config.h"

#include "relay-core-private.h"
#include "relay-error.h"
#include "relay-format.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

/* ---- the balance write, off the main loop ----
 *
 * A balance that came back is recorded through the client pool's writes
 * (relay_client_pool_write_async()): another writer (the CLI, a cron sync)
 * may hold the book's write lock for seconds, and the main loop must not wait
 * for it (busy_timeout) — a reply that landed while a mass order was being
 * recorded froze the window, quit included, until the other writer let go.
 * The writes take turns in the order they were asked for (the funds' and the
 * providers' last errors in the same queue), so an older balance never lands
 * after a newer one; ::catalog-changed follows once, on the caller's thread.
 * A private ":memory:" book is written in place. */

static void
balance_written (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) outer = user_data;
  g_autoptr(GError) error = NULL;

  if (!relay_client_pool_write_finish (RELAY_CLIENT_POOL (source), result, &error))
    g_task_return_error (outer, g_steal_pointer (&error));
  else
    g_task_return_boolean (outer, TRUE);
}

/* Records @balance as @provider_id's (the caller's thread never waits for
 * the book's write lock); not cancellable: a balance read is recorded. */
static void
record_balance_async (RelayCore                  *self,
                      gint64                      provider_id,
                      const RelayProviderBalance *balance,
                      GAsyncReadyCallback         callback,
                      gpointer                    user_data)
{
  GTask *outer = g_task_new (self, NULL, callback, user_data);

  g_task_set_source_tag (outer, record_balance_async);
  relay_client_pool_record_balance_async (relay_core_get_clients (self), provider_id,
                                          balance->balance, balance->currency,
                                          balance_written, outer);
}

static gboolean
record_balance_finish (RelayCore     *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- balance ---- */

typedef struct
{
  gint64                provider_id;
  RelayProviderRow     *before;     /* the provider before the balance is recorded */
  RelayProviderBalance *balance;    /* once it came */
} RefreshBalance;

static void
refresh_balance_free (RefreshBalance *refresh)
{
  g_clear_pointer (&refresh->before, relay_provider_row_free);
  g_clear_pointer (&refresh->balance, relay_provider_balance_free);
  g_free (refresh);
}

/* Whether the provider's orders waited for funds (as @before says) and
 * @balance may now cover some of them: it covers what they need, it grew,
 * or it was unknown. */
static gboolean
may_resume (const RelayProviderRow *before, const RelayProviderBalance *balance)
{
  if (before == NULL || before->funds_needed < 0)
    return FALSE;
  return balance->balance >= before->funds_needed || !before->has_balance ||
         balance->balance > before->balance;
}

static void
resume_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  RefreshBalance *refresh = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree RelayDispatchReport *report = NULL;

  /* The balance was recorded: a failure to send is the orders' own (their
   * history says why), not the balance request's. */
  report = relay_dispatcher_run_finish (RELAY_DISPATCHER (source), result, &error);
  if (report == NULL)
    g_message ("The orders waiting for funds were not sent: %s", error->message);
  g_task_return_pointer (task, g_steal_pointer (&refresh->balance),
                         (GDestroyNotify) relay_provider_balance_free);
}

/* The balance is in the book: the orders that waited for funds may go. */
static void
balance_recorded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  RelayCore *self = RELAY_CORE (source);
  RefreshBalance *refresh = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!record_balance_finish (self, result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (may_resume (refresh->before, refresh->balance))
    {
      /* Its orders go by themselves: the dispatcher's gate decides which the
       * balance covers, and ends the wait when none is left short. */
      GCancellable *cancellable = g_task_get_cancellable (task);

      relay_dispatcher_run_async (relay_core_get_dispatcher (self), cancellable, resume_done,
                                  g_steal_pointer (&task));
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&refresh->balance),
                         (GDestroyNotify) relay_provider_balance_free);
}

static void
balance_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  RelayCore *self = g_task_get_source_object (task);
  RefreshBalance *refresh = g_task_get_task_data (task);
  gint64 provider_id = refresh->provider_id;
  g_autoptr(GError) error = NULL;

  refresh->balance = relay_provider_client_balance_finish (RELAY_PROVIDER_CLIENT (source), result,
                                                           &error);
  if (refresh->balance == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        relay_core_note_provider (self, provider_id, error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  relay_core_note_provider (self, provider_id, NULL);
  refresh->before = relay_store_get_provider (relay_core_get_store (self), provider_id, NULL);
  record_balance_async (self, provider_id, refresh->balance, balance_recorded,
                        g_steal_pointer (&task));
}

/* The provider's client is there (its key read off the main loop). */
static void
balance_client_ready (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(RelayProviderClient) client = NULL;
  GCancellable *cancellable;
  GError *error = NULL;

  client = relay_core_get_client_finish (RELAY_CORE (source), result, &error);
  if (client == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  cancellable = g_task_get_cancellable (task);
  relay_provider_client_balance_async (client, cancellable, balance_done,
                                       g_steal_pointer (&task));
}

void
relay_core_refresh_balance_async (RelayCore           *self,
                                  gint64               provider_id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  RefreshBalance *refresh = g_new0 (RefreshBalance, 1);

  g_task_set_source_tag (task, relay_core_refresh_balance_async);
  refresh->provider_id = provider_id;
  g_task_set_task_data (task, refresh, (GDestroyNotify) refresh_balance_free);
  relay_core_get_client_async (self, provider_id, cancellable, balance_client_ready,
                               g_steal_pointer (&task));
}

RelayProviderBalance *
relay_core_refresh_balance_finish (RelayCore *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- funds ---- */

gboolean
relay_core_set_low_balance (RelayCore   *self,
                            gint64       provider_id,
                            gint64       threshold,
                            GError     **error)
{
  g_return_val_if_fail (RELAY_IS_CORE (self), FALSE);
  return relay_store_set_low_balance (relay_core_get_store (self), provider_id, threshold, error);
}

void
relay_funds_state_free (RelayFundsState *state)
{
  if (state == NULL)
    return;
  g_free (state->provider);
  g_free (state->currency);
  g_free (state->low_text);
  g_free (state->waiting_text);
  g_free (state);
}

RelayFundsState *
relay_core_provider_funds_state (RelayCore   *self,
                                 gint64       provider_id,
                                 GError     **error)
{
  RelayStore *store;
  g_autoptr(RelayProviderRow) row = NULL;
  g_autoptr(RelayFundsState) state = NULL;

  g_return_val_if_fail (RELAY_IS_CORE (self), NULL);

  store = relay_core_get_store (self);
  row = relay_store_get_provider (store, provider_id, error);
  if (row == NULL)
    return NULL;
  state = g_new0 (RelayFundsState, 1);
  state->provider_id = row->id;
  state->provider = g_strdup (row->name);
  state->currency = g_strdup (row->currency);
  state->has_balance = row->has_balance;
  state->balance = row->balance;
  state->balance_at = row->balance_at;
  state->low_balance = row->low_balance;
  state->low = row->has_balance && row->low_balance >= 0 && row->balance < row->low_balance;
  state->waiting = row->funds_needed >= 0;
  state->needed = row->funds_needed;
  state->waiting_since = row->funds_wait_since;
  if (state->low)
    {
      g_autofree char *has = relay_format_money (row->balance, row->currency,
                                                 RELAY_MONEY_STYLE_TOTAL);
      g_autofree char *below = relay_format_money (row->low_balance, row->currency,
                                                   RELAY_MONEY_STYLE_TOTAL);

      /* Translators: "Balance at Demo provider is low: 3.20 USD (warning below 10.00 USD)" */
      state->low_text = g_strdup_printf (_("Balance at %s is low: %s (warning below %s)"),
                                         row->name, has, below);
    }
  if (state->waiting)
    {
      g_autofree char *needs = relay_format_money (row->funds_needed, row->currency,
                                                   RELAY_MONEY_STYLE_TOTAL);
      g_autofree char *has = NULL;

      if (!relay_store_count_queued_for_provider (store, provider_id, &state->n_waiting, error))
        return NULL;
      if (row->has_balance)
        has = relay_format_money (row->balance, row->currency, RELAY_MONEY_STYLE_TOTAL);
      else
        has = g_strdup (_("unknown"));
      /* Translators: "3 orders wait for funds at Demo provider (needs 4.50 USD, has 1.20 USD)" */
      state->waiting_text =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "%" PRId64 " order waits for funds at %s (needs %s, has %s)",
                                      "%" PRId64 " orders wait for funds at %s (needs %s, has %s)",
                                      (gulong) state->n_waiting),
                         state->n_waiting, row->name, needs, has);
    }
  return g_steal_pointer (&state);
}

char *
relay_funds_state_dup_waiting_after_sends (const RelayFundsState *state,
                                           gint64                 left)
{
  g_autofree char *needs = relay_format_money (state->needed, state->currency,
                                               RELAY_MONEY_STYLE_TOTAL);
  g_autofree char *has = relay_format_money (left, state->currency, RELAY_MONEY_STYLE_TOTAL);

  /* TRANSLATORS: "3 orders wait for funds at Demo provider (needs 4.50 USD, has
   * 1.20 USD left after the orders just sent)": the balance read before the
   * sending, less what they cost */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%" PRId64 " order waits for funds at %s (needs %s, "
                                       "has %s left after the orders just sent)",
                                       "%" PRId64 " orders wait for funds at %s (needs %s, "
                                       "has %s left after the orders just sent)",
                                       (gulong) state->n_waiting),
                          state->n_waiting, state->provider, needs, has);
}

/* ---- catalog ---- */

static gboolean
provider_has_currency (RelayCore *self, gint64 provider_id)
{
  g_autoptr(RelayProviderRow) row = relay_store_get_provider (relay_core_get_store (self),
                                                              provider_id, NULL);

  return row == NULL || (row->currency != NULL && *row->currency != '\0');
}

typedef struct
{
  gint64     provider_id;
  GPtrArray *changes;       /* RelayCatalogRow*, once the catalog is stored */
} SyncServices;

static void
sync_services_free (SyncServices *sync)
{
  g_clear_pointer (&sync->changes, g_ptr_array_unref);
  g_free (sync);
}

/* The balance asked for after a catalog sync is recorded (or not: its
 * failure does not fail the sync, which already succeeded). */
static void
currency_recorded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  SyncServices *sync = g_task_get_task_data (task);

  record_balance_finish (RELAY_CORE (source), result, NULL);
  g_task_return_pointer (task, g_steal_pointer (&sync->changes), (GDestroyNotify) g_ptr_array_unref);
}

/* The balance asked for after a catalog sync: its failure does not fail the
 * sync, which already succeeded. */
static void
currency_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  RelayCore *self = g_task_get_source_object (task);
  SyncServices *sync = g_task_get_task_data (task);
  g_autoptr(RelayProviderBalance) balance = NULL;

  balance = relay_provider_client_balance_finish (RELAY_PROVIDER_CLIENT (source), result, NULL);
  if (balance != NULL)
    {
      record_balance_async (self, sync->provider_id, balance, currency_recorded,
                            g_steal_pointer (&task));
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&sync->changes), (GDestroyNotify) g_ptr_array_unref);
}

/* The catalog is in the book. */
static void
catalog_stored (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  RelayCore *self = RELAY_CORE (source);
  SyncServices *sync = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  RelayProviderClient *client;

  sync->changes = relay_core_store_catalog_finish (self, result, &error);
  if (sync->changes == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* The catalog says nothing of the currency its rates are in; the balance
   * does.  Ask once, so prices show with their currency from the start. */
  if (!provider_has_currency (self, sync->provider_id) &&
      (client = relay_core_get_client (self, sync->provider_id, NULL)) != NULL)
    {
      relay_provider_client_balance_async (client, g_task_get_cancellable (task),
                                           currency_done, g_object_ref (task));
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&sync->changes), (GDestroyNotify) g_ptr_array_unref);
}

static void
services_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  RelayCore *self = g_task_get_source_object (task);
  SyncServices *sync = g_task_get_task_data (task);
  gint64 provider_id = sync->provider_id;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) services = NULL;

  services = relay_provider_client_services_finish (RELAY_PROVIDER_CLIENT (source), result, &error);
  if (services == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        relay_core_note_provider (self, provider_id, error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  relay_core_note_provider (self, provider_id, NULL);
  /* Written in a worker thread: a catalog of thousands never stalls the window. */
  relay_core_store_catalog_async (self, provider_id, services, catalog_stored,
                                  g_steal_pointer (&task));
}

static void
services_client_ready (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(RelayProviderClient) client = NULL;
  GCancellable *cancellable;
  GError *error = NULL;

  client = relay_core_get_client_finish (RELAY_CORE (source), result, &error);
  if (client == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  cancellable = g_task_get_cancellable (task);
  relay_provider_client_services_async (client, cancellable, services_done,
                                        g_steal_pointer (&task));
}

void
relay_core_sync_services_async (RelayCore           *self,
                                gint64               provider_id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  SyncServices *sync = g_new0 (SyncServices, 1);

  g_task_set_source_tag (task, relay_core_sync_services_async);
  sync->provider_id = provider_id;
  g_task_set_task_data (task, sync, (GDestroyNotify) sync_services_free);
  relay_core_get_client_async (self, provider_id, cancellable, services_client_ready,
                               g_steal_pointer (&task));
}

GPtrArray *
relay_core_sync_services_finish (RelayCore *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
