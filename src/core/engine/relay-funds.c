/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayFunds: whether a provider's balance covers the orders about to go to
 * it; orders that it does not cover wait, queued, and go when it does. */
#include "config.h"

#include "relay-funds.h"
#include "relay-error.h"
#include "relay-format.h"
#include "relay-money.h"

#include <string.h>
#include <glib/gi18n-lib.h>

/* What this process knows of one provider's balance. */
typedef struct
{
  guint    loaded_run;      /* the run that read the row; 0 = never */
  char    *name;
  char    *currency;
  gboolean has_reading;     /* the book has a balance for it */
  gint64   reading;
  gint64   reading_at;
  gint64   spent;           /* sent by this process since that reading */
  /* The panel refused an order for funds: its orders wait until a reading
   * of the balance differs from the one it refused them with. */
  gboolean refused;
  gboolean refused_has_reading;
  gint64   refused_reading;
  gint64   refused_at;      /* Unix seconds */
  char    *refusal;         /* the panel's words */
  /* This run. */
  gboolean short_in_run;    /* an order was left waiting for funds */
  gint64   needed;          /* what the orders left waiting cost (saturating) */
  gint64   available;       /* the balance less what was spent, when one was left */
} Account;

struct _RelayFunds
{
  GObject          parent_instance;
  RelayClientPool *clients;
  RelayStore      *store;
  GHashTable      *accounts;   /* gint64 provider id -> Account* */
  guint            max_age;
  guint            run;        /* counts runs, from 1 */
};

enum { SIGNAL_WAIT, SIGNAL_RESUMED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (RelayFunds, relay_funds, G_TYPE_OBJECT)

static void
account_free (Account *account)
{
  g_free (account->name);
  g_free (account->currency);
  g_free (account->refusal);
  g_free (account);
}

static gint64
saturating_add (gint64 a, gint64 b)
{
  gint64 sum;

  if (!relay_money_add (a, b, &sum, NULL))
    return b > 0 ? G_MAXINT64 : -G_MAXINT64;
  return sum;
}

static Account *
get_account (RelayFunds *self, gint64 provider_id)
{
  Account *account = g_hash_table_lookup (self->accounts, &provider_id);

  if (account == NULL)
    {
      account = g_new0 (Account, 1);
      g_hash_table_insert (self->accounts, g_memdup2 (&provider_id, sizeof provider_id), account);
    }
  return account;
}

/* The provider's account with the book's reading, read once per run.  A
 * reading that differs from the last one already holds what was spent before
 * it; one that differs from the reading the panel refused with lifts the
 * refusal. */
static Account *
load_account (RelayFunds *self, gint64 provider_id)
{
  Account *account = get_account (self, provider_id);
  g_autoptr(RelayProviderRow) row = NULL;
  g_autoptr(GError) error = NULL;

  if (account->loaded_run == self->run && self->run != 0)
    return account;
  account->loaded_run = self->run;
  row = relay_store_get_provider (self->store, provider_id, &error);
  if (row == NULL)
    {
      /* Removed meanwhile, or the book cannot be read: nothing to go by. */
      g_debug ("No balance for provider %" G_GINT64_FORMAT ": %s", provider_id, error->message);
      account->has_reading = FALSE;
      account->spent = 0;
      return account;
    }
  g_free (account->name);
  account->name = g_strdup (row->name);
  g_free (account->currency);
  account->currency = g_strdup (row->currency);
  if (row->has_balance != account->has_reading ||
      (row->has_balance && row->balance != account->reading))
    account->spent = 0;
  account->has_reading = row->has_balance;
  account->reading = row->has_balance ? row->balance : 0;
  account->reading_at = row->has_balance ? row->balance_at : 0;
  /* A panel with no balance to read: tried again after the max age. */
  if (account->refused &&
      (account->has_reading != account->refused_has_reading ||
       account->reading != account->refused_reading ||
       (!account->has_reading &&
        g_get_real_time () / G_USEC_PER_SEC - account->refused_at >= (gint64) self->max_age)))
    {
      account->refused = FALSE;
      g_clear_pointer (&account->refusal, g_free);
    }
  return account;
}

static gint64
account_available (const Account *account)
{
  if (!account->has_reading)
    return 0;
  return saturating_add (account->reading, -account->spent);
}

static void
relay_funds_dispose (GObject *object)
{
  RelayFunds *self = RELAY_FUNDS (object);

  g_clear_object (&self->clients);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (relay_funds_parent_class)->dispose (object);
}

static void
relay_funds_finalize (GObject *object)
{
  RelayFunds *self = RELAY_FUNDS (object);

  g_clear_pointer (&self->accounts, g_hash_table_unref);
  G_OBJECT_CLASS (relay_funds_parent_class)->finalize (object);
}

static void
relay_funds_class_init (RelayFundsClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = relay_funds_dispose;
  G_OBJECT_CLASS (klass)->finalize = relay_funds_finalize;

  signals[SIGNAL_WAIT] =
    g_signal_new ("wait", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_INT64, G_TYPE_INT64, G_TYPE_INT64);
  signals[SIGNAL_RESUMED] =
    g_signal_new ("resumed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
relay_funds_init (RelayFunds *self)
{
  self->accounts = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                          (GDestroyNotify) account_free);
  self->max_age = RELAY_FUNDS_DEFAULT_MAX_AGE;
}

RelayFunds *
relay_funds_new (RelayClientPool *clients)
{
  RelayFunds *self;

  g_return_val_if_fail (RELAY_IS_CLIENT_POOL (clients), NULL);

  self = g_object_new (RELAY_TYPE_FUNDS, NULL);
  self->clients = g_object_ref (clients);
  self->store = g_object_ref (relay_client_pool_get_store (clients));
  return self;
}

void
relay_funds_set_max_age (RelayFunds *self, guint seconds)
{
  g_return_if_fail (RELAY_IS_FUNDS (self));
  self->max_age = seconds;
}

/* ---- what panels say ---- */

gboolean
relay_funds_is_refusal (const char *provider_words)
{
  /* Case-folded; the usual wordings of the panel scripts in the languages
   * they ship. */
  static const char * const wordings[] = {
    "not enough funds", "not enough fund", "insufficient funds", "insufficient fund",
    "insufficient balance", "not enough balance", "balance is not enough",
    "balance is too low", "balance too low", "low balance", "not enough money",
    "no enough funds", "no funds",
    "недостаточно средств", "недостаточно денег", "недостаточно баланса",
    "недостаточный баланс", "не хватает средств",
    "saldo insuficiente", "fondos insuficientes", "solde insuffisant",
    "yetersiz bakiye", "bakiye yetersiz", "nicht genügend guthaben",
    "saldo tidak cukup",
    NULL
  };
  g_autofree char *folded = NULL;

  if (provider_words == NULL || !g_utf8_validate (provider_words, -1, NULL))
    return FALSE;
  folded = g_utf8_casefold (provider_words, -1);
  for (guint i = 0; wordings[i] != NULL; i++)
    if (strstr (folded, wordings[i]) != NULL)
      return TRUE;
  return FALSE;
}

gboolean
relay_funds_order_cost (const RelayCatalogRow  *catalog,
                        const RelayOrderRow    *order,
                        gint64                 *out_cost,
                        GError                **error)
{
  g_autoptr(GError) local_error = NULL;
  gint64 units;

  g_return_val_if_fail (catalog != NULL && order != NULL, FALSE);

  /* An impossible count saturates, and the money check refuses it. */
  if (order->quantity < 0 ||
      __builtin_mul_overflow (order->quantity, MAX (order->runs, 1), &units))
    units = G_MAXINT64;
  if (!relay_money_for_quantity (catalog->rate, units, out_cost, &local_error))
    {
      g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE,
                   _("Its cost at %s cannot be counted: %s"),
                   catalog->provider_name ? catalog->provider_name : _("the provider"),
                   local_error->message);
      return FALSE;
    }
  return TRUE;
}

/* ---- a run ---- */

typedef struct
{
  RelayFunds *self;
  GTask      *task;       /* owned by the pending requests together */
  gint64      provider_id;
} Refresh;

/* One request over: the run's task returns after the last of them. */
static void
refresh_finish (Refresh *refresh)
{
  guint *pending = g_task_get_task_data (refresh->task);

  if (--(*pending) == 0)
    g_task_return_boolean (refresh->task, TRUE);
  g_object_unref (refresh->task);
  g_free (refresh);
}

/* The balance is in the book (written off the main loop when another writer
 * held it: relay_client_pool_write_async()). */
static void
balance_recorded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Refresh *refresh = user_data;
  g_autoptr(GError) error = NULL;

  if (!relay_client_pool_write_finish (RELAY_CLIENT_POOL (source), result, &error))
    g_warning ("Could not record the balance of provider %" G_GINT64_FORMAT ": %s",
               refresh->provider_id, error->message);
  refresh_finish (refresh);
}

static void
refresh_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Refresh *refresh = user_data;
  RelayFunds *self = refresh->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayProviderBalance) balance = NULL;

  balance = relay_provider_client_balance_finish (RELAY_PROVIDER_CLIENT (source), result, &error);
  if (balance != NULL)
    {
      /* The main loop never waits for the book: both writes go in turn, and
       * the run goes on once the balance is in. */
      relay_client_pool_note (self->clients, refresh->provider_id, NULL);
      relay_client_pool_record_balance_async (self->clients, refresh->provider_id,
                                              balance->balance, balance->currency,
                                              balance_recorded, refresh);
      return;
    }
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    relay_client_pool_note (self->clients, refresh->provider_id, error);
  refresh_finish (refresh);
}

static gboolean
needs_reading (RelayFunds *self, gint64 provider_id, gint64 now)
{
  g_autoptr(RelayProviderRow) row = relay_store_get_provider (self->store, provider_id, NULL);
  Account *account = g_hash_table_lookup (self->accounts, &provider_id);

  if (row == NULL)
    return FALSE;
  return !row->has_balance || now - row->balance_at >= (gint64) self->max_age ||
         row->balance_at > now || (account != NULL && account->refused);
}

/* The keys are read (relay_client_pool_load_async()): the balances that are
 * due are asked for, in parallel. */
static void
keys_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  RelayFunds *self = g_task_get_source_object (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GArray) providers = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  guint *pending = g_task_get_task_data (task);

  relay_client_pool_load_finish (RELAY_CLIENT_POOL (source), result);
  providers = relay_store_list_due_providers (self->store, now, &error);
  if (providers == NULL)
    g_warning ("Could not read which providers orders are due for: %s", error->message);
  /* One more than the requests, dropped below: the task returns once, after
   * the last of them (or now, when there is none). */
  *pending = 1;
  for (guint i = 0; providers != NULL && i < providers->len; i++)
    {
      gint64 provider_id = g_array_index (providers, gint64, i);
      RelayProviderClient *client;
      Refresh *refresh;

      if (!needs_reading (self, provider_id, now))
        continue;
      /* No key on this computer (or a refused URL): the dispatcher says why.
       * The keys were read above: this asks no key store. */
      client = relay_client_pool_get (self->clients, provider_id, NULL, NULL);
      if (client == NULL)
        continue;
      refresh = g_new0 (Refresh, 1);
      refresh->self = self;
      refresh->task = g_object_ref (task);
      refresh->provider_id = provider_id;
      (*pending)++;
      relay_provider_client_balance_async (client, cancellable, refresh_done, refresh);
    }
  if (--(*pending) == 0)
    g_task_return_boolean (task, TRUE);
}

void
relay_funds_begin_run_async (RelayFunds          *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (RELAY_IS_FUNDS (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_funds_begin_run_async);
  g_task_set_task_data (task, g_new0 (guint, 1), g_free);
  g_task_set_check_cancellable (task, FALSE);

  /* A new run: every account is read again, nothing is short yet. */
  self->run++;
  g_hash_table_iter_init (&iter, self->accounts);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Account *account = value;

      account->short_in_run = FALSE;
      account->needed = 0;
      account->available = 0;
    }
  /* The dispatcher asks for clients once this returns: their keys are read
   * first, off the main thread (the keyring may take seconds to answer). */
  relay_client_pool_load_async (self->clients, cancellable, keys_loaded, task);
}

void
relay_funds_begin_run_finish (RelayFunds *self, GAsyncResult *result)
{
  g_return_if_fail (g_task_is_valid (result, self));
  g_task_propagate_boolean (G_TASK (result), NULL);
}

static char *
short_reason (const Account *account, gint64 cost, gint64 available)
{
  g_autofree char *needs = relay_format_money (cost, account->currency, RELAY_MONEY_STYLE_TOTAL);
  g_autofree char *has = relay_format_money (available, account->currency, RELAY_MONEY_STYLE_TOTAL);

  /* Translators: "Waiting for funds at Demo provider (needs 4.50 USD, has 1.20 USD)" */
  return g_strdup_printf (_("Waiting for funds at %s (needs %s, has %s)"),
                          account->name ? account->name : _("the provider"), needs, has);
}

static char *
refusal_reason (const Account *account)
{
  /* Translators: "Waiting for funds at Demo provider: the panel said “Not enough funds on balance”" */
  return g_strdup_printf (_("Waiting for funds at %s: the panel said “%s”"),
                          account->name ? account->name : _("the provider"),
                          account->refusal ? account->refusal : "");
}

gboolean
relay_funds_take (RelayFunds             *self,
                  const RelayCatalogRow  *catalog,
                  const RelayOrderRow    *order,
                  gint64                 *out_cost,
                  char                  **out_reason,
                  GError                **error)
{
  Account *account;
  gint64 cost;
  gint64 available;

  g_return_val_if_fail (RELAY_IS_FUNDS (self), FALSE);
  g_return_val_if_fail (out_cost != NULL && out_reason != NULL, FALSE);

  *out_reason = NULL;
  if (!relay_funds_order_cost (catalog, order, &cost, error))
    return FALSE;
  *out_cost = cost;
  account = load_account (self, catalog->provider_id);
  available = account_available (account);
  if (account->refused)
    {
      account->available = available;
      *out_reason = refusal_reason (account);
      return FALSE;
    }
  /* Unknown (the panel has no balance action, or never answered it): the
   * panel decides, and a refusal for funds makes the order wait all the same. */
  if (!account->has_reading || cost <= available)
    {
      account->spent = saturating_add (account->spent, cost);
      return TRUE;
    }
  account->available = available;
  *out_reason = short_reason (account, cost, available);
  return FALSE;
}

void
relay_funds_give_back (RelayFunds *self, gint64 provider_id, gint64 cost)
{
  Account *account;

  g_return_if_fail (RELAY_IS_FUNDS (self));

  account = g_hash_table_lookup (self->accounts, &provider_id);
  if (account != NULL && cost > 0)
    account->spent = MAX (account->spent - MIN (cost, account->spent), 0);
}

void
relay_funds_note_waiting (RelayFunds *self, gint64 provider_id, gint64 cost)
{
  Account *account;

  g_return_if_fail (RELAY_IS_FUNDS (self));

  account = load_account (self, provider_id);
  if (!account->short_in_run)
    account->available = account_available (account);
  account->short_in_run = TRUE;
  account->needed = saturating_add (account->needed, MAX (cost, 0));
}

char *
relay_funds_refused (RelayFunds *self,
                     gint64      provider_id,
                     gint64      cost,
                     const char *provider_words)
{
  Account *account;

  g_return_val_if_fail (RELAY_IS_FUNDS (self), NULL);

  relay_funds_give_back (self, provider_id, cost);
  account = load_account (self, provider_id);
  account->refused = TRUE;
  account->refused_has_reading = account->has_reading;
  account->refused_reading = account->reading;
  account->refused_at = g_get_real_time () / G_USEC_PER_SEC;
  g_free (account->refusal);
  account->refusal = g_strdup (provider_words);
  account->available = account_available (account);
  return refusal_reason (account);
}

/* The user asked for @provider_id's balance again (the funds banner's
 * Refresh Balance): its orders may be tried again even if the reading is the
 * one the panel refused them with (a panel that refuses for funds while its
 * balance reads plenty kept them waiting until the reading changed). */
void
relay_funds_forget_refusal (RelayFunds *self,
                            gint64      provider_id)
{
  Account *account;

  g_return_if_fail (RELAY_IS_FUNDS (self));

  account = g_hash_table_lookup (self->accounts, &provider_id);
  if (account == NULL || !account->refused)
    return;
  account->refused = FALSE;
  g_clear_pointer (&account->refusal, g_free);
}

void
relay_funds_end_run (RelayFunds *self, gboolean complete)
{
  g_autoptr(GPtrArray) providers = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (RELAY_IS_FUNDS (self));

  g_object_ref (self);
  g_hash_table_iter_init (&iter, self->accounts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Account *account = value;
      gint64 provider_id = *(gint64 *) key;
      gboolean started = FALSE;

      if (!account->short_in_run)
        continue;
      /* A run that saw only some due orders knows part of what they need. */
      if (!relay_store_start_funds_wait (self->store, provider_id, account->needed, !complete,
                                         &started, &error))
        {
          g_warning ("Could not record that orders wait for funds at provider %" G_GINT64_FORMAT
                     ": %s", provider_id, error->message);
          g_clear_error (&error);
          continue;
        }
      /* The balance after the run's sends: orders that fitted may have gone
       * after the first was left waiting. */
      if (started)
        g_signal_emit (self, signals[SIGNAL_WAIT], 0, provider_id, account->needed,
                       account_available (account));
    }

  if (complete)
    {
      providers = relay_store_list_providers (self->store, &error);
      if (providers == NULL)
        g_warning ("Could not read the providers: %s", error->message);
      for (guint i = 0; providers != NULL && i < providers->len; i++)
        {
          RelayProviderRow *row = g_ptr_array_index (providers, i);
          Account *account = g_hash_table_lookup (self->accounts, &row->id);
          g_autoptr(GError) local_error = NULL;
          gboolean ended = FALSE;

          if (row->funds_needed < 0 || (account != NULL && account->short_in_run))
            continue;
          if (!relay_store_end_funds_wait (self->store, row->id, &ended, &local_error))
            g_warning ("Could not record that provider %s waits for funds no more: %s",
                       row->name, local_error->message);
          else if (ended)
            g_signal_emit (self, signals[SIGNAL_RESUMED], 0, row->id);
        }
    }

  g_hash_table_iter_init (&iter, self->accounts);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    ((Account *) value)->short_in_run = FALSE;
  g_object_unref (self);
}
