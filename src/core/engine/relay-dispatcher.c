/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Sends due orders with a write-ahead record: queued -> sending (committed)
 * -> pending | failed | needs_review; failover on a definite refusal; retries
 * only what provably never left. */
#include "config.h"

#include "relay-core-private.h"
#include "relay-error.h"

#include <string.h>
#include <inttypes.h>
#include <glib/gi18n-lib.h>

#define MAX_IN_FLIGHT 16
#define FETCH_SIZE 200
#define DEFAULT_RETRY_DELAY 30

struct _RelayDispatcher
{
  GObject             parent_instance;
  RelayCore          *core;        /* not owned: the core owns us */
  GPtrArray          *waiters;     /* GTask*, completed when the run ends */
  GQueue              queue;       /* RelayOrderRow*, due and not started */
  RelayDispatchReport report;
  gboolean            running;
  gboolean            stopping;
  guint               in_flight;
  guint               done;
  guint               total;
  guint               retry_delay;
  GHashTable         *retried;      /* gint64 ids requeued as not sent during this run */
};

typedef struct
{
  RelayDispatcher  *self;
  RelayOrderRow    *order;
  RelayServiceRow  *service;
  RelayCatalogRow  *catalog;     /* borrowed from service */
  RelayOrderExtras *extras;
  RelayProviderAddRequest request;
} Send;

enum { SIGNAL_PROGRESS, SIGNAL_ORDER_SENT, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (RelayDispatcher, relay_dispatcher, G_TYPE_OBJECT)

static void pump (RelayDispatcher *self);

static void
send_free (Send *send)
{
  g_object_unref (send->self);
  relay_order_row_free (send->order);
  relay_service_row_free (send->service);
  g_clear_pointer (&send->extras, relay_order_extras_free);
  g_free (send);
}

static RelayStore *
get_store (RelayDispatcher *self)
{
  return relay_core_get_store (self->core);
}

/* Whether @catalog can take an order of @service now (not removed, not below cost). */
static gboolean
catalog_usable (const RelayServiceRow *service, RelayCatalogRow *catalog, GError **error)
{
  RelayServiceRow check = *service;

  check.primary = catalog;
  check.fallback = NULL;
  return relay_service_check_orderable (&check, error);
}

/* The fallback takes the order only as it is: same service type (so the same
 * fields and units) and the quantity within its limits. */
static gboolean
can_fail_over (const RelayServiceRow *service,
               const RelayCatalogRow *current,
               const RelayOrderRow   *order)
{
  const RelayCatalogRow *fallback = service->fallback;

  return fallback != NULL &&
         current->id != fallback->id &&
         g_ascii_strcasecmp (fallback->type, current->type) == 0 &&
         (order->quantity >= fallback->min) &&
         (fallback->max <= 0 || order->quantity <= fallback->max) &&
         (order->runs <= 1 || fallback->dripfeed) &&
         catalog_usable (service, service->fallback, NULL);
}

static void
finish_one (RelayDispatcher *self, gint64 order_id, RelayOrderStatus status)
{
  self->done++;
  g_signal_emit (self, signals[SIGNAL_ORDER_SENT], 0, order_id, (guint) status);
  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0, self->done, self->total);
}

static void
fail_order (RelayDispatcher *self, gint64 order_id, const char *reason)
{
  g_autoptr(GError) error = NULL;

  if (!relay_store_mark_failed (get_store (self), order_id, reason, "dispatch", &error))
    g_warning ("Could not record order %" PRId64 " as failed: %s", order_id, error->message);
  self->report.n_failed++;
  finish_one (self, order_id, RELAY_ORDER_FAILED);
}

static void
fail_over (RelayDispatcher        *self,
           const RelayOrderRow    *order,
           const RelayServiceRow  *service,
           const char             *why)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *detail = NULL;

  detail = g_strdup_printf (_("Failover: %s (%s); sending to %s, service %s"),
                            order->provider_name ? order->provider_name : _("the provider"),
                            why, service->fallback->provider_name,
                            service->fallback->service_id);
  if (!relay_store_requeue (get_store (self), order->id, service->fallback->id,
                            0, detail, &error))
    g_warning ("Could not requeue order %" PRId64 ": %s", order->id, error->message);
  /* Not finished: it comes back from the store as a due order. */
  self->total--;
}

static void
add_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Send *send = user_data;
  RelayDispatcher *self = send->self;
  RelayStore *store = get_store (self);
  gint64 order_id = send->order->id;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) store_error = NULL;
  g_autofree char *provider_order_id = NULL;

  provider_order_id = relay_provider_client_add_finish (RELAY_PROVIDER_CLIENT (source), result, &error);
  self->in_flight--;

  if (provider_order_id != NULL)
    {
      relay_core_note_provider (self->core, send->catalog->provider_id, NULL);
      if (!relay_store_mark_sent (store, order_id, provider_order_id, &store_error))
        g_critical ("Order %" PRId64 " was placed as %s but could not be recorded: %s",
                    order_id, provider_order_id, store_error->message);
      self->report.n_sent++;
      finish_one (self, order_id, RELAY_ORDER_PENDING);
    }
  else if (error->domain == RELAY_PROVIDER_ERROR && error->code == RELAY_PROVIDER_ERROR_REJECTED)
    {
      RelayRejectKind kind = relay_provider_reject_kind (error->message);

      if ((kind == RELAY_REJECT_FUNDS || kind == RELAY_REJECT_SERVICE) &&
          can_fail_over (send->service, send->catalog, send->order))
        fail_over (self, send->order, send->service, error->message);
      else
        fail_order (self, order_id, error->message);
    }
  else if (error->domain == RELAY_PROVIDER_ERROR && error->code == RELAY_PROVIDER_ERROR_NOT_SENT)
    {
      relay_core_note_provider (self->core, send->catalog->provider_id, error);
      if (can_fail_over (send->service, send->catalog, send->order))
        fail_over (self, send->order, send->service, error->message);
      else
        {
          gint64 when = g_get_real_time () / G_USEC_PER_SEC + self->retry_delay;
          g_autofree char *detail = g_strdup_printf (_("Not sent: %s; it will be sent again"),
                                                     error->message);

          /* Tried once per run: never again in this one, even with no delay. */
          g_hash_table_add (self->retried, g_memdup2 (&order_id, sizeof order_id));
          if (!relay_store_requeue (store, order_id, 0, when, detail, &store_error))
            g_warning ("Could not requeue order %" PRId64 ": %s", order_id,
                       store_error->message);
          self->report.n_retry++;
          finish_one (self, order_id, RELAY_ORDER_QUEUED);
        }
    }
  else if (error->domain == RELAY_PROVIDER_ERROR && error->code == RELAY_PROVIDER_ERROR_CONFIG)
    fail_order (self, order_id, error->message);
  else
    {
      /* Unknown outcome (or anything we cannot classify): the provider may
       * have the order.  Never retry; a person settles it. */
      relay_core_note_provider (self->core, send->catalog->provider_id, error);
      if (!relay_store_mark_needs_review (store, order_id, error->message, &store_error))
        g_critical ("Could not record order %" PRId64 " as needing review: %s",
                    order_id, store_error->message);
      self->report.n_review++;
      finish_one (self, order_id, RELAY_ORDER_NEEDS_REVIEW);
    }

  send_free (send);
  pump (self);
}

/* Picks where @send goes: its recorded provider service, else the primary;
 * the fallback when that one cannot take it now (removed, below cost, no key).
 * Returns the client, or NULL after recording the order as failed. */
static RelayProviderClient *
choose_route (RelayDispatcher *self, Send *send)
{
  RelayServiceRow *service = send->service;

  if (service->fallback != NULL && send->order->catalog_id == service->fallback->id)
    send->catalog = service->fallback;
  else
    send->catalog = service->primary;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      RelayProviderClient *client = NULL;
      g_autofree char *detail = NULL;

      if (catalog_usable (service, send->catalog, &error))
        client = relay_core_get_client (self->core, send->catalog->provider_id, &error);
      if (client != NULL)
        return client;
      if (!can_fail_over (service, send->catalog, send->order))
        {
          fail_order (self, send->order->id, error->message);
          return NULL;
        }
      detail = g_strdup_printf (_("Failover before sending: %s; sending to %s, service %s"),
                                error->message, service->fallback->provider_name,
                                service->fallback->service_id);
      relay_store_add_order_note (get_store (self), send->order->id, "dispatch", detail, NULL);
      send->catalog = service->fallback;
    }
}

/* Takes one due order through the write-ahead step and sends it. */
static void
start_send (RelayDispatcher *self, RelayOrderRow *order)
{
  RelayStore *store = get_store (self);
  g_autoptr(GError) error = NULL;
  Send *send;
  RelayProviderClient *client;

  send = g_new0 (Send, 1);
  send->self = g_object_ref (self);
  send->order = order;
  send->service = relay_store_get_service (store, order->service_id, NULL);
  if (send->service == NULL || send->service->primary == NULL)
    {
      fail_order (self, order->id, _("Its service no longer exists in your services"));
      send_free (send);
      return;
    }
  send->extras = relay_order_extras_from_json (order->extra_json, &error);
  if (send->extras == NULL)
    {
      fail_order (self, order->id, error->message);
      send_free (send);
      return;
    }
  client = choose_route (self, send);
  if (client == NULL)
    {
      send_free (send);
      return;
    }

  /* The write-ahead step: committed before the request leaves.  FALSE means
   * another run or process took the order: it must not be sent from here. */
  if (!relay_store_mark_sending (store, order->id, send->catalog->id, &error))
    {
      /* STATE: someone else took it.  Anything else (disk full, a lock held
       * too long) would only repeat: stop this run instead of spinning. */
      if (!g_error_matches (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_STATE))
        {
          g_warning ("Stopped sending: could not record order %" PRId64 " as being sent: %s",
                     order->id, error->message);
          self->stopping = TRUE;
        }
      self->total--;
      send_free (send);
      return;
    }

  relay_order_fill_add_request (&send->request, send->catalog->service_id, send->catalog->type,
                                order->link, order->quantity, order->runs, order->interval,
                                send->extras);
  self->in_flight++;
  /* No cancellable: once the intent is recorded the request runs to its end,
   * so its outcome is always recorded.  Stopping only stops new sends. */
  relay_provider_client_add_async (client, &send->request, NULL, add_done, send);
}

static void
finish_run (RelayDispatcher *self)
{
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->waiters);

  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->running = FALSE;
  self->stopping = FALSE;
  g_queue_clear_full (&self->queue, (GDestroyNotify) relay_order_row_free);
  for (guint i = 0; i < waiters->len; i++)
    g_task_return_pointer (g_ptr_array_index (waiters, i),
                           g_memdup2 (&self->report, sizeof self->report), g_free);
}

static gboolean
waiters_cancelled (RelayDispatcher *self)
{
  for (guint i = 0; i < self->waiters->len; i++)
    if (!g_cancellable_is_cancelled (g_task_get_cancellable (g_ptr_array_index (self->waiters, i))))
      return FALSE;
  return self->waiters->len > 0;
}

static void
pump (RelayDispatcher *self)
{
  g_object_ref (self);
  if (waiters_cancelled (self))
    self->stopping = TRUE;

  while (!self->stopping && self->in_flight < MAX_IN_FLIGHT)
    {
      if (g_queue_is_empty (&self->queue))
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(GPtrArray) due = NULL;
          /* Now, not the run's start: an order placed while a run goes on
           * (a caller joined it) is sent by it. */
          due = relay_store_list_due_orders (get_store (self), g_get_real_time () / G_USEC_PER_SEC,
                                             FETCH_SIZE, &error);
          if (due == NULL)
            {
              g_warning ("Could not read the due orders: %s", error->message);
              break;
            }
          for (guint i = due->len; i > 0; i--)
            {
              RelayOrderRow *row = g_ptr_array_index (due, i - 1);
              if (g_hash_table_contains (self->retried, &row->id))
                g_ptr_array_remove_index (due, i - 1);
            }
          if (due->len == 0)
            break;
          g_ptr_array_set_free_func (due, NULL);
          for (guint i = 0; i < due->len; i++)
            g_queue_push_tail (&self->queue, g_ptr_array_index (due, i));
          self->total += due->len;
          g_signal_emit (self, signals[SIGNAL_PROGRESS], 0, self->done, self->total);
        }
      start_send (self, g_queue_pop_head (&self->queue));
    }

  if (self->running && self->in_flight == 0 &&
      (self->stopping || g_queue_is_empty (&self->queue)))
    finish_run (self);
  g_object_unref (self);
}

static void
relay_dispatcher_finalize (GObject *object)
{
  RelayDispatcher *self = RELAY_DISPATCHER (object);

  g_queue_clear_full (&self->queue, (GDestroyNotify) relay_order_row_free);
  g_clear_pointer (&self->waiters, g_ptr_array_unref);
  g_clear_pointer (&self->retried, g_hash_table_unref);
  G_OBJECT_CLASS (relay_dispatcher_parent_class)->finalize (object);
}

static void
relay_dispatcher_class_init (RelayDispatcherClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = relay_dispatcher_finalize;

  signals[SIGNAL_PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
  signals[SIGNAL_ORDER_SENT] =
    g_signal_new ("order-sent", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_UINT);
}

static void
relay_dispatcher_init (RelayDispatcher *self)
{
  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->retry_delay = DEFAULT_RETRY_DELAY;
  self->retried = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_queue_init (&self->queue);
}

RelayDispatcher *
relay_dispatcher_new (RelayCore *core)
{
  RelayDispatcher *self = g_object_new (RELAY_TYPE_DISPATCHER, NULL);

  self->core = core;
  return self;
}

void
relay_dispatcher_run_async (RelayDispatcher     *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (RELAY_IS_DISPATCHER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_dispatcher_run_async);
  g_ptr_array_add (self->waiters, task);
  if (self->running)
    return;

  self->running = TRUE;
  self->stopping = FALSE;
  g_hash_table_remove_all (self->retried);
  self->done = 0;
  self->total = 0;
  memset (&self->report, 0, sizeof self->report);
  /* A dead process's "sending" orders go to review (B: sender lease). */
  relay_store_reap_dead_senders (get_store (self), NULL);
  pump (self);
}

RelayDispatchReport *
relay_dispatcher_run_finish (RelayDispatcher *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
relay_dispatcher_is_running (RelayDispatcher *self)
{
  g_return_val_if_fail (RELAY_IS_DISPATCHER (self), FALSE);
  return self->running;
}

void
relay_dispatcher_stop (RelayDispatcher *self)
{
  g_return_if_fail (RELAY_IS_DISPATCHER (self));
  if (!self->running)
    return;
  self->stopping = TRUE;
  pump (self);
}

void
relay_dispatcher_set_retry_delay (RelayDispatcher *self, guint seconds)
{
  g_return_if_fail (RELAY_IS_DISPATCHER (self));
  self->retry_delay = seconds;
}
