/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Sends due orders with a write-ahead record: queued -> sending (committed)
 * -> pending | failed | needs_review; failover on a definite refusal; retries
 * only what provably never left.
 *
 * In waves, so that a commit (synced to the disk: ~2 ms) is shared by many
 * orders: each flush records, in ONE transaction, the provider ids that
 * arrived since the last flush and marks the next wave sending; only after
 * that commit do the wave's requests start.  A flush runs as soon as half the
 * requests have answered, else within FLUSH_MS of an answer.
 *
 * The main loop never waits for those commits: each flush's transaction runs
 * on a thread of the dispatcher's own with a connection of its own (as the
 * sync writes its replies), and only when it is back, committed, do the
 * wave's requests start and does the next flush run.  One wave is recorded at
 * a time, in the order the flushes made them.  A book in memory is written on
 * the main loop (a second connection would see another book).
 *
 * The other writes of a run — an order failed before sending, refused,
 * queued again, sent to review, a note in its history — go the same way:
 * each is an Outcome, written by the next flush's job before its wave (so
 * the writes of one order keep their order), and told (::order-sent, the
 * report, the announcer) only once it is in the book.  One that finds the
 * book held is tried again (RECORD_ATTEMPTS times, then every
 * OUTCOME_RETRY_MS while the dispatcher lives): see outcome_retry(). */
#include "config.h"

#include "relay-dispatcher.h"
#include "relay-announcer.h"
#include "relay-funds.h"
#include "relay-order-rules.h"
#include "relay-error.h"

#include <string.h>
#include <inttypes.h>
#include <glib/gi18n-lib.h>

/* Requests started and not answered (across providers; each provider's
 * client runs at most its max_concurrent of them at once). */
#define MAX_IN_FLIGHT 32
#define FETCH_SIZE 200
#define DEFAULT_RETRY_DELAY 30
/* Orders taken from the queue in one flush before the main loop gets a turn. */
#define PUMP_BUDGET 32
/* Answers recorded at once, and how long an answer may wait for others. */
#define FLUSH_REPLIES 16
#define FLUSH_MS 20
/* Tries to record the provider's order id before the order goes to review;
 * tries to record an outcome before the run tells it as needing review. */
#define RECORD_ATTEMPTS 4
/* Then an outcome is tried again this often, for as long as the dispatcher
 * lives (the order stays "sending" meanwhile: never sent again). */
#define OUTCOME_RETRY_MS 5000
/* The waves' orders are announced (::orders-changed) at once, unless the last
 * announcement was less than this long ago: then together, when the time is
 * up (and at the end of the run).  Each announcement has the order lists read
 * again, so 10,000 orders are not 600 of them. */
#define ANNOUNCE_MS 100

struct _RelayDispatcher
{
  GObject             parent_instance;
  RelayStore         *store;
  RelayClientPool    *clients;
  GPtrArray          *waiters;     /* GTask*, completed when the run ends */
  GQueue              queue;       /* RelayOrderRow*, due and not started */
  RelayDispatchReport report;
  gboolean            running;
  gboolean            stopping;
  GError             *stop_error;  /* what cut the last run short, or NULL */
  guint               in_flight;
  guint               done;
  guint               total;
  guint               retry_delay;
  GHashTable         *retried;      /* gint64 ids not to take again in this run: requeued
                                     * as not sent, or left queued without a key */
  GHashTable         *wanted;       /* gint64 ids asked for by relay_dispatcher_send_async() */
  gboolean            all_due;      /* the run sends every due order */
  GHashTable         *no_key;       /* provider id -> why (char*): no key here, this run */
  GHashTable         *unsent;       /* provider id -> GArray of order ids to leave queued */
  GPtrArray          *replied;      /* Send* whose provider id is still to record */
  guint               flush_id;     /* the next flush (an idle or a timeout) */
  gint64              flush_due;    /* its monotonic time */
  guint               retry_id;     /* the next flush for outcomes told already: a run
                                     * may end before it */
  gboolean            drained;      /* the last look found no more due orders */
  RelayFunds         *funds;        /* the balance gate (relay-funds.h) */
  gboolean            funds_ready;  /* this run's balances are read: orders may go */
  GCancellable       *funds_cancellable;  /* that reading, cancelled when the run ends */
  GHashTable         *waiting;      /* reason (char*) -> GArray of order ids left queued
                                     * waiting for funds, to record in one go */
  RelayAnnouncer     *announcer;    /* the orders the waves wrote, told every ANNOUNCE_MS */

  /* Recording the waves: one thread, its own connection (opened by the
   * first wave; only that thread uses it, and it lives as long as the
   * dispatcher: its sender lease covers the orders it marked sending). */
  GThreadPool        *writer;
  RelayStore         *writer_store;
  GError             *writer_error;  /* why that connection could not be opened */
  gboolean            recording;     /* a wave is being recorded: no flush meanwhile */
  gboolean            recording_run; /* and the run waits for it (more than outcomes
                                      * told already) */
  gboolean            flush_wanted;  /* a flush came while it was: one runs after */
  gpointer            writer_job;    /* the Wave the writer is writing (its thread only) */

  GPtrArray          *outcomes;      /* Outcome*, not in the book yet, in the order made;
                                      * each holds a write of the pool
                                      * (relay_client_pool_hold_writes()) */
};

typedef struct
{
  RelayDispatcher  *self;
  RelayOrderRow    *order;
  RelayServiceRow  *service;
  RelayCatalogRow  *catalog;     /* borrowed from service */
  RelayOrderExtras *extras;
  RelayProviderClient *client;   /* borrowed from the pool */
  RelayProviderAddRequest request;
  char             *provider_order_id;  /* the provider took it: still to record */
  gint64            cost;               /* counted as spent by the funds gate */
  guint             record_attempts;
  gint64            record_at;          /* monotonic time of the next try to record it */
} Send;

enum { SIGNAL_PROGRESS, SIGNAL_ORDER_SENT, SIGNAL_FUNDS_WAIT, SIGNAL_FUNDS_RESUMED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (RelayDispatcher, relay_dispatcher, G_TYPE_OBJECT)

static void pump (RelayDispatcher *self);
static void schedule_flush (RelayDispatcher *self, guint delay_ms);
static void schedule_retry (RelayDispatcher *self, gint64 when);

static gint
compare_ids (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static void
send_free (Send *send)
{
  g_object_unref (send->self);
  relay_order_row_free (send->order);
  relay_service_row_free (send->service);
  g_clear_pointer (&send->extras, relay_order_extras_free);
  g_free (send->provider_order_id);
  g_free (send);
}

static RelayStore *
get_store (RelayDispatcher *self)
{
  return self->store;
}

static GHashTable *
id_set_new (void)
{
  return g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}

static void
id_set_add (GHashTable *set, gint64 id)
{
  g_hash_table_add (set, g_memdup2 (&id, sizeof id));
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

/* ---- outcomes: the writes of a run besides its waves ---- */

typedef enum
{
  OUTCOME_FAIL_UNSENT,   /* queued -> failed, before any request */
  OUTCOME_REJECTED,      /* sending -> failed: the provider refused it for certain */
  OUTCOME_REQUEUE,       /* sending -> queued: it never left (again later, or failover) */
  OUTCOME_REVIEW,        /* sending -> needs_review: the provider may have it */
  OUTCOME_NOTE,          /* a line in the order's history */
  OUTCOME_LEFT_QUEUED,   /* why queued orders stay queued (relay_store_note_unsent()) */
} OutcomeKind;

typedef struct
{
  OutcomeKind       kind;
  gint64            order_id;
  char             *reason;
  gint64            catalog_id;       /* REQUEUE: the fallback (failover), else 0 */
  gint64            next_attempt_at;  /* REQUEUE */
  GArray           *ids;              /* LEFT_QUEUED: the orders */
  guint            *count;            /* the report's count, once told */
  RelayOrderStatus  status;           /* told by ::order-sent once written */
  /* Set by the writer (read once its job is back): */
  gboolean          tried;            /* tried by the last job (FALSE: skipped) */
  gboolean          busy;             /* it failed: another connection held the book */
  GError           *error;
  GArray           *queued;           /* LEFT_QUEUED: those still queued */
  /* The dispatcher's thread's: */
  gboolean          in_job;
  guint             attempts;
  gint64            retry_at;         /* monotonic time of the next try */
  gboolean          told;             /* counted and told (written, or given up for the run) */
} Outcome;

static void
outcome_free (Outcome *outcome)
{
  g_free (outcome->reason);
  g_clear_pointer (&outcome->ids, g_array_unref);
  g_clear_pointer (&outcome->queued, g_array_unref);
  g_clear_error (&outcome->error);
  g_free (outcome);
}

/* A new outcome of @kind for @order_id, to be written by the next flush;
 * the run does not end before it is told, nor the process (through the
 * pool's hold: relay_core_finish_writes()) before it is written. */
static Outcome *
outcome_add (RelayDispatcher *self, OutcomeKind kind, gint64 order_id, const char *reason)
{
  Outcome *outcome = g_new0 (Outcome, 1);

  outcome->kind = kind;
  outcome->order_id = order_id;
  outcome->reason = g_strdup (reason);
  g_ptr_array_add (self->outcomes, outcome);
  relay_client_pool_hold_writes (self->clients);
  return outcome;
}

static void
outcome_remove (RelayDispatcher *self, Outcome *outcome)
{
  g_ptr_array_remove (self->outcomes, outcome);
  relay_client_pool_release_writes (self->clients);
}

/* Whether @outcome moves an order out of "sending": until it is written the
 * order stays there, so it is tried again rather than given up. */
static gboolean
outcome_leaves_sending (const Outcome *outcome)
{
  return outcome->kind == OUTCOME_REJECTED || outcome->kind == OUTCOME_REQUEUE ||
         outcome->kind == OUTCOME_REVIEW;
}

/* Writes @outcome through @store (the writer's connection, or the book in
 * memory): each store call one guarded UPDATE on the state it reads. */
static void
outcome_write (Outcome *outcome, RelayStore *store)
{
  GError **error = &outcome->error;

  g_clear_error (error);
  g_clear_pointer (&outcome->queued, g_array_unref);
  outcome->tried = TRUE;
  outcome->busy = FALSE;
  switch (outcome->kind)
    {
    case OUTCOME_FAIL_UNSENT:
      relay_store_fail_unsent (store, outcome->order_id, outcome->reason, error);
      break;
    case OUTCOME_REJECTED:
      relay_store_mark_rejected (store, outcome->order_id, outcome->reason, error);
      break;
    case OUTCOME_REQUEUE:
      relay_store_requeue (store, outcome->order_id, outcome->catalog_id,
                           outcome->next_attempt_at, outcome->reason, error);
      break;
    case OUTCOME_REVIEW:
      relay_store_mark_needs_review (store, outcome->order_id, outcome->reason, error);
      break;
    case OUTCOME_NOTE:
      relay_store_add_order_note (store, outcome->order_id, "dispatch", outcome->reason, error);
      break;
    case OUTCOME_LEFT_QUEUED:
      relay_store_note_unsent (store, (const gint64 *) outcome->ids->data, outcome->ids->len,
                               outcome->reason, &outcome->queued, error);
      break;
    }
  if (*error == NULL)
    return;
  outcome->busy = relay_store_was_busy (store);
  /* Not "sending" any more (another process took it for interrupted), or
   * the book refuses the change: its history at least, with the reason
   * (the provider's order id, when it took it). */
  if (outcome->kind == OUTCOME_REVIEW && !outcome->busy &&
      relay_store_add_order_note (store, outcome->order_id, "dispatch", outcome->reason, NULL))
    g_clear_error (error);
}

static const char *
outcome_label (const Outcome *outcome)
{
  switch (outcome->kind)
    {
    case OUTCOME_REJECTED:
      return "failed";
    case OUTCOME_REQUEUE:
      return "queued again";
    case OUTCOME_REVIEW:
      return "needing review";
    case OUTCOME_FAIL_UNSENT:
    case OUTCOME_NOTE:
    case OUTCOME_LEFT_QUEUED:
    default:
      return "changed";
    }
}

/* A failover's requeue is in the book: the order comes back from it as a
 * due order (and a run that sends only what it was asked for asks for it
 * again). */
static void
outcome_requeued (RelayDispatcher *self, const Outcome *outcome)
{
  if (!self->running)
    return;
  if (!self->all_due)
    id_set_add (self->wanted, outcome->order_id);
  self->drained = FALSE;
  self->flush_wanted = TRUE;
}

/* The orders of a LEFT_QUEUED outcome, told: those still queued count in
 * *@outcome->count; the others someone else took meanwhile. */
static void
tell_left_queued (RelayDispatcher *self, Outcome *outcome)
{
  g_autoptr(GHashTable) still = id_set_new ();
  GArray *queued = outcome->queued != NULL ? outcome->queued : outcome->ids;

  /* Not written: they are still queued all the same. */
  if (outcome->error != NULL)
    g_warning ("Could not record why %u orders were not sent: %s", outcome->ids->len,
               outcome->error->message);
  for (guint i = 0; i < queued->len; i++)
    id_set_add (still, g_array_index (queued, gint64, i));
  for (guint i = 0; i < outcome->ids->len; i++)
    {
      gint64 id = g_array_index (outcome->ids, gint64, i);

      if (g_hash_table_contains (still, &id))
        {
          (*outcome->count)++;
          finish_one (self, id, RELAY_ORDER_QUEUED);
        }
      else
        {
          /* Someone else took it meanwhile. */
          self->total--;
          g_signal_emit (self, signals[SIGNAL_PROGRESS], 0, self->done, self->total);
        }
    }
}

/* @outcome is written (or its error is final): the report, ::order-sent. */
static void
outcome_tell (RelayDispatcher *self, Outcome *outcome)
{
  const GError *error = outcome->error;

  outcome->told = TRUE;
  switch (outcome->kind)
    {
    case OUTCOME_FAIL_UNSENT:
      if (error == NULL)
        {
          self->report.n_failed++;
          finish_one (self, outcome->order_id, RELAY_ORDER_FAILED);
          return;
        }
      /* STATE: no longer queued, another process took it: not ours.
       * Else it stays queued (this run does not take it again). */
      if (!g_error_matches (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_STATE))
        g_warning ("Could not record order %" PRId64 " as failed (it stays queued): %s",
                   outcome->order_id, error->message);
      self->total--;
      g_signal_emit (self, signals[SIGNAL_PROGRESS], 0, self->done, self->total);
      return;
    case OUTCOME_NOTE:
      if (error != NULL)
        g_message ("Could not add to the history of order %" PRId64 ": %s", outcome->order_id,
                   error->message);
      return;
    case OUTCOME_LEFT_QUEUED:
      tell_left_queued (self, outcome);
      return;
    case OUTCOME_REJECTED:
    case OUTCOME_REQUEUE:
    case OUTCOME_REVIEW:
    default:
      break;
    }
  /* Only STATE comes here with an error: someone else moved the order
   * (for review: and not even a note could be added). */
  if (error != NULL && outcome->kind == OUTCOME_REVIEW)
    g_critical ("Could not record order %" PRId64 " as needing review (%s): %s",
                outcome->order_id, outcome->reason, error->message);
  else if (error != NULL)
    g_warning ("Could not record order %" PRId64 " as %s: %s", outcome->order_id,
               outcome_label (outcome), error->message);
  if (outcome->kind == OUTCOME_REQUEUE && outcome->catalog_id != 0)
    {
      /* Failover: not finished, it goes again. */
      self->total--;
      if (error == NULL)
        outcome_requeued (self, outcome);
      return;
    }
  (*outcome->count)++;
  finish_one (self, outcome->order_id, outcome->status);
}

/* Writing @outcome (which leaves "sending") failed, not for its state: the
 * book held by another process past the writer's wait, the disk full.  It
 * is tried again, a little later each time; after RECORD_ATTEMPTS the run
 * tells it as needing review and may end, while the write is still tried
 * every OUTCOME_RETRY_MS for as long as the dispatcher lives (the process
 * waits for it before it ends: relay_core_finish_writes()).  Meanwhile the
 * order stays "sending" under this process's sender lease: nothing sends it
 * again, and should the process end first, the next run of any process
 * takes it to review (relay_store_reap_dead_senders()). */
static void
outcome_retry (RelayDispatcher *self, Outcome *outcome)
{
  gint64 now = g_get_monotonic_time ();

  outcome->attempts++;
  if (outcome->attempts < RECORD_ATTEMPTS)
    {
      if (outcome->attempts == 1)
        g_message ("Order %" PRId64 " could not be recorded as %s yet (%s); trying again",
                   outcome->order_id, outcome_label (outcome), outcome->error->message);
      outcome->retry_at = now + (100 * G_TIME_SPAN_MILLISECOND << (2 * (outcome->attempts - 1)));
      return;
    }
  outcome->retry_at = now + OUTCOME_RETRY_MS * G_TIME_SPAN_MILLISECOND;
  if (outcome->told)
    return;
  /* With the outcome's reason: should the process end before the write,
   * the log is the only place that keeps it (the provider's order id of
   * an order it accepted, which review needs to find it at the panel). */
  g_warning ("Order %" PRId64 " could not be recorded as %s (%s): it stays \"sending\" and is "
             "not sent again; the write is tried again every %d s, and if this process ends "
             "first the order goes to review. Reason: %s", outcome->order_id,
             outcome_label (outcome), outcome->error->message, OUTCOME_RETRY_MS / 1000,
             outcome->reason);
  outcome->told = TRUE;
  self->report.n_review++;
  finish_one (self, outcome->order_id, RELAY_ORDER_NEEDS_REVIEW);
}

/* Back from the job that tried @outcome (or skipped it). */
static void
outcome_settle (RelayDispatcher *self, Outcome *outcome)
{
  /* in_job stays TRUE while it is told: a flush from a handler of the
   * signals told here must not take it (see flush()). */
  if (!outcome->tried)
    {
      outcome->in_job = FALSE;
      return;   /* after one that found the book held: next time */
    }
  if (outcome->error != NULL && outcome_leaves_sending (outcome) &&
      !g_error_matches (outcome->error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_STATE))
    {
      outcome_retry (self, outcome);
      outcome->in_job = FALSE;
      return;
    }
  if (!outcome->told)
    outcome_tell (self, outcome);
  else
    {
      g_message ("Order %" PRId64 " is recorded as %s at last", outcome->order_id,
                 outcome_label (outcome));
      if (outcome->error == NULL && outcome->kind == OUTCOME_REQUEUE && outcome->catalog_id != 0)
        outcome_requeued (self, outcome);
    }
  outcome_remove (self, outcome);
}

/* Whether an outcome of the run is not told yet: the run goes on. */
static gboolean
outcomes_untold (RelayDispatcher *self)
{
  for (guint i = 0; i < self->outcomes->len; i++)
    if (!((Outcome *) g_ptr_array_index (self->outcomes, i))->told)
      return TRUE;
  return FALSE;
}

/* Before any request: only an order that is still queued fails.  One that
 * is not (another process took it) is not ours to touch: it is dropped from
 * this run.  Written with the next flush; this run does not take it again. */
static void
fail_unsent (RelayDispatcher *self, gint64 order_id, const char *reason)
{
  id_set_add (self->retried, order_id);
  outcome_add (self, OUTCOME_FAIL_UNSENT, order_id, reason);
}

/* This computer cannot send it (no key): it stays queued, with the reason,
 * for a process that can; this run does not take it again.  Recorded with
 * the others of its provider by flush_unsent(), in one transaction. */
static void
leave_queued (RelayDispatcher *self, gint64 provider_id, gint64 order_id)
{
  GArray *ids = g_hash_table_lookup (self->unsent, &provider_id);

  id_set_add (self->retried, order_id);
  if (ids == NULL)
    {
      ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_hash_table_insert (self->unsent, g_memdup2 (&provider_id, sizeof provider_id), ids);
    }
  g_array_append_val (ids, order_id);
}

/* Records @reason on the orders @ids left queued, in one transaction (with
 * the next flush); counts those still queued in *@counter. */
static void
note_left_queued (RelayDispatcher *self, GArray *ids, const char *reason, guint *counter)
{
  Outcome *outcome = outcome_add (self, OUTCOME_LEFT_QUEUED, 0, reason);

  outcome->ids = g_array_ref (ids);
  outcome->count = counter;
}

static void
flush_unsent (RelayDispatcher *self)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->unsent);
  while (g_hash_table_iter_next (&iter, &key, &value))
    note_left_queued (self, value, g_hash_table_lookup (self->no_key, key),
                      &self->report.n_no_key);
  g_hash_table_remove_all (self->unsent);
  g_hash_table_iter_init (&iter, self->waiting);
  while (g_hash_table_iter_next (&iter, &key, &value))
    note_left_queued (self, value, key, &self->report.n_funds);
  g_hash_table_remove_all (self->waiting);
}

/* The balance does not cover @order: it stays queued with @reason (written
 * with the others of that reason by flush_unsent(), unless the order says so
 * already) and this run does not take it again. */
static void
leave_waiting (RelayDispatcher *self, const RelayOrderRow *order, const char *reason)
{
  GArray *ids;

  id_set_add (self->retried, order->id);
  if (g_strcmp0 (order->error, reason) == 0)
    {
      /* Said already (by an earlier run): no write, no new history line. */
      self->report.n_funds++;
      finish_one (self, order->id, RELAY_ORDER_QUEUED);
      return;
    }
  ids = g_hash_table_lookup (self->waiting, reason);
  if (ids == NULL)
    {
      ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_hash_table_insert (self->waiting, g_strdup (reason), ids);
    }
  g_array_append_val (ids, order->id);
}

/* After the request: the provider refused it for certain. */
static void
fail_rejected (RelayDispatcher *self, gint64 order_id, const char *reason)
{
  Outcome *outcome = outcome_add (self, OUTCOME_REJECTED, order_id, reason);

  outcome->count = &self->report.n_failed;
  outcome->status = RELAY_ORDER_FAILED;
}

/* Queued again for @service's fallback; not finished: once that is in the
 * book it comes back from it as a due order (outcome_requeued()). */
static void
fail_over (RelayDispatcher        *self,
           const RelayOrderRow    *order,
           const RelayServiceRow  *service,
           const char             *why)
{
  g_autofree char *detail = NULL;
  Outcome *outcome;

  detail = g_strdup_printf (_("Failover: %s (%s); sending to %s, service %s"),
                            order->provider_name ? order->provider_name : _("the provider"),
                            why, service->fallback->provider_name,
                            service->fallback->service_id);
  outcome = outcome_add (self, OUTCOME_REQUEUE, order->id, detail);
  outcome->catalog_id = service->fallback->id;
  outcome->status = RELAY_ORDER_QUEUED;
}

/* The order goes to review with @reason (written with the next flush). */
static void
send_to_review (RelayDispatcher *self, gint64 order_id, const char *reason)
{
  Outcome *outcome = outcome_add (self, OUTCOME_REVIEW, order_id, reason);

  outcome->count = &self->report.n_review;
  outcome->status = RELAY_ORDER_NEEDS_REVIEW;
}

/* The provider took the order but its id could not be recorded (after every
 * attempt): the order goes to review with the id in its history, so that a
 * person settles it with the id at hand.  Never lost, never sent again. */
static void
record_sent_failed (Send *send, const GError *store_error)
{
  g_autofree char *reason = NULL;

  if (g_error_matches (store_error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_EXISTS))
    reason = g_strdup (store_error->message);
  else
    reason = g_strdup_printf (_("The provider accepted it as order %s, but that could not be "
                                "recorded: %s"), send->provider_order_id, store_error->message);
  send_to_review (send->self, send->order->id, reason);
}

/* What recording the provider's order id of @send came to (@error NULL:
 * recorded).  A failure (the book busy, a disk hiccup) is tried again a few
 * times, later, before the order goes to review.  Returns FALSE when @send is
 * kept for another try. */
static gboolean
record_outcome (Send *send, const GError *error)
{
  RelayDispatcher *self = send->self;

  send->record_attempts++;
  if (error == NULL)
    {
      self->report.n_sent++;
      finish_one (self, send->order->id, RELAY_ORDER_PENDING);
    }
  else if (send->record_attempts < RECORD_ATTEMPTS &&
           !g_error_matches (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_STATE) &&
           !g_error_matches (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_EXISTS))
    {
      g_message ("Order %" PRId64 " was placed but could not be recorded yet (%s); trying again",
                 send->order->id, error->message);
      send->record_at = g_get_monotonic_time () +
                        (100 * G_TIME_SPAN_MILLISECOND << (2 * (send->record_attempts - 1)));
      return FALSE;
    }
  else
    record_sent_failed (send, error);
  return TRUE;
}

/* After an answer: the next flush records it and starts the next wave —
 * at once when half the requests have answered (and more orders wait), when
 * enough answers wait or none is left on the wire; else a little later, so
 * that one commit serves many. */
static void
answered (RelayDispatcher *self)
{
  gboolean now = self->in_flight == 0 ||
                 self->replied->len >= FLUSH_REPLIES ||
                 (!self->drained && !self->stopping && self->in_flight <= MAX_IN_FLIGHT / 2);

  schedule_flush (self, now ? 0 : FLUSH_MS);
}

/* After the request: the panel refused @send for lack of funds.  A definite
 * refusal (nothing was placed): the order waits, queued, as if the balance
 * had not covered it, and this run does not send it again. */
static void
wait_refused (RelayDispatcher *self, Send *send, const char *reason)
{
  gint64 order_id = send->order->id;
  Outcome *outcome;

  relay_funds_note_waiting (self->funds, send->catalog->provider_id, send->cost);
  id_set_add (self->retried, order_id);
  outcome = outcome_add (self, OUTCOME_REQUEUE, order_id, reason);
  outcome->count = &self->report.n_funds;
  outcome->status = RELAY_ORDER_QUEUED;
}

static void
add_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Send *send = user_data;
  RelayDispatcher *self = send->self;
  gint64 order_id = send->order->id;
  g_autoptr(GError) error = NULL;

  send->provider_order_id = relay_provider_client_add_finish (RELAY_PROVIDER_CLIENT (source),
                                                              result, &error);
  self->in_flight--;
  if (send->provider_order_id != NULL)
    {
      relay_client_pool_note (self->clients, send->catalog->provider_id, NULL);
      /* Recorded with the others of the next flush; the run does not end
       * before. */
      send->record_at = 0;
      g_ptr_array_add (self->replied, send);
      answered (self);
      return;
    }

  /* Anything but an unknown outcome cost nothing at the panel. */
  if (error->domain == RELAY_PROVIDER_ERROR &&
      (error->code == RELAY_PROVIDER_ERROR_REJECTED || error->code == RELAY_PROVIDER_ERROR_NOT_SENT ||
       error->code == RELAY_PROVIDER_ERROR_CONFIG))
    relay_funds_give_back (self->funds, send->catalog->provider_id, send->cost);

  if (error->domain == RELAY_PROVIDER_ERROR && error->code == RELAY_PROVIDER_ERROR_REJECTED)
    {
      RelayRejectKind kind = relay_provider_reject_kind (error->message);
      gboolean funds = kind == RELAY_REJECT_FUNDS || relay_funds_is_refusal (error->message);
      g_autofree char *reason = NULL;

      /* The panel's "not enough funds": its other orders wait too. */
      if (funds)
        reason = relay_funds_refused (self->funds, send->catalog->provider_id, 0,
                                      error->message);
      if ((funds || kind == RELAY_REJECT_SERVICE) &&
          can_fail_over (send->service, send->catalog, send->order))
        fail_over (self, send->order, send->service, error->message);
      else if (funds)
        wait_refused (self, send, reason);
      else
        fail_rejected (self, order_id, error->message);
    }
  else if (error->domain == RELAY_PROVIDER_ERROR && error->code == RELAY_PROVIDER_ERROR_NOT_SENT)
    {
      relay_client_pool_note (self->clients, send->catalog->provider_id, error);
      if (can_fail_over (send->service, send->catalog, send->order))
        fail_over (self, send->order, send->service, error->message);
      else
        {
          gint64 when = g_get_real_time () / G_USEC_PER_SEC + self->retry_delay;
          g_autofree char *detail = g_strdup_printf (_("Not sent: %s; it will be sent again"),
                                                     error->message);
          Outcome *outcome;

          /* Tried once per run: never again in this one, even with no delay. */
          id_set_add (self->retried, order_id);
          outcome = outcome_add (self, OUTCOME_REQUEUE, order_id, detail);
          outcome->next_attempt_at = when;
          outcome->count = &self->report.n_retry;
          outcome->status = RELAY_ORDER_QUEUED;
        }
    }
  else if (error->domain == RELAY_PROVIDER_ERROR && error->code == RELAY_PROVIDER_ERROR_CONFIG)
    fail_rejected (self, order_id, error->message);
  else
    {
      /* Unknown outcome (or anything we cannot classify): the provider may
       * have the order.  Never retry; a person settles it. */
      relay_client_pool_note (self->clients, send->catalog->provider_id, error);
      send_to_review (self, order_id, error->message);
    }

  send_free (send);
  answered (self);
}

/* Picks where @send goes: its recorded provider service, else the primary;
 * the fallback when that one cannot take it now (removed, below cost, no key).
 * Returns the client, or NULL after recording the order as failed (or, when
 * only a missing key on this computer stops it, leaving it queued). */
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
      gboolean no_key = FALSE;

      const char *known_no_key = g_hash_table_lookup (self->no_key, &send->catalog->provider_id);

      /* One look in the key store per provider and run, not per order. */
      if (!catalog_usable (service, send->catalog, &error))
        ;
      else if (known_no_key != NULL)
        {
          no_key = TRUE;
          g_set_error_literal (&error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_CONFIG,
                               known_no_key);
        }
      else
        {
          client = relay_client_pool_get (self->clients, send->catalog->provider_id, &no_key,
                                          &error);
          if (no_key)
            g_hash_table_insert (self->no_key,
                                 g_memdup2 (&send->catalog->provider_id, sizeof (gint64)),
                                 g_strdup (error->message));
        }
      if (client != NULL)
        return client;
      if (!can_fail_over (service, send->catalog, send->order))
        {
          /* Our own lack, not the order's: another process may send it. */
          if (no_key)
            leave_queued (self, send->catalog->provider_id, send->order->id);
          else
            fail_unsent (self, send->order->id, error->message);
          return NULL;
        }
      detail = g_strdup_printf (_("Failover before sending: %s; sending to %s, service %s"),
                                error->message, service->fallback->provider_name,
                                service->fallback->service_id);
      /* Before the order's "sending" (the next flush writes both, in order). */
      outcome_add (self, OUTCOME_NOTE, send->order->id, detail);
      send->catalog = service->fallback;
    }
}

/* Whether the balance of @send's provider covers it (relay-funds.h); when it
 * does not, the fallback takes it if it can and its balance covers it, else
 * it is left waiting (FALSE).  FALSE too after failing an order whose cost
 * cannot be counted. */
static gboolean
funds_gate (RelayDispatcher *self, Send *send)
{
  RelayServiceRow *service = send->service;
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *fallback_reason = NULL;
  g_autofree char *detail = NULL;
  RelayProviderClient *client;
  gint64 cost = 0;

  if (relay_funds_take (self->funds, send->catalog, send->order, &send->cost, &reason, &error))
    return TRUE;
  if (error != NULL)
    {
      fail_unsent (self, send->order->id, error->message);
      return FALSE;
    }
  if (can_fail_over (service, send->catalog, send->order) &&
      !g_hash_table_contains (self->no_key, &service->fallback->provider_id) &&
      (client = relay_client_pool_get (self->clients, service->fallback->provider_id, NULL,
                                       NULL)) != NULL &&
      relay_funds_take (self->funds, service->fallback, send->order, &cost, &fallback_reason,
                        NULL))
    {
      detail = g_strdup_printf (_("Failover before sending: %s; sending to %s, service %s"),
                                reason, service->fallback->provider_name,
                                service->fallback->service_id);
      outcome_add (self, OUTCOME_NOTE, send->order->id, detail);
      send->catalog = service->fallback;
      send->client = client;
      send->cost = cost;
      return TRUE;
    }
  relay_funds_note_waiting (self->funds, send->catalog->provider_id, send->cost);
  leave_waiting (self, send->order, reason);
  return FALSE;
}

/* Readies one due order for the next wave: its service, extras, route and
 * funds.  NULL when it ends here (failed before sending, or left queued). */
static Send *
prepare_send (RelayDispatcher *self, RelayOrderRow *order)
{
  RelayStore *store = get_store (self);
  g_autoptr(GError) error = NULL;
  Send *send;

  send = g_new0 (Send, 1);
  send->self = g_object_ref (self);
  send->order = order;
  send->service = relay_store_get_service (store, order->service_id, NULL);
  if (send->service == NULL || send->service->primary == NULL)
    {
      fail_unsent (self, order->id, _("Its service no longer exists in your services"));
      send_free (send);
      return NULL;
    }
  send->extras = relay_order_extras_from_json (order->extra_json, &error);
  if (send->extras == NULL)
    {
      fail_unsent (self, order->id, error->message);
      send_free (send);
      return NULL;
    }
  send->client = choose_route (self, send);
  if (send->client == NULL || !funds_gate (self, send))
    {
      send_free (send);
      return NULL;
    }
  return send;
}

/* The write-ahead step is done for @send (committed with its wave): the
 * request leaves. */
static void
start_request (RelayDispatcher *self, Send *send)
{
  relay_order_fill_add_request (&send->request, send->catalog->service_id, send->catalog->type,
                                send->order->link, send->order->quantity, send->order->runs,
                                send->order->interval, send->extras);
  self->in_flight++;
  /* No cancellable: once the intent is recorded the request runs to its end,
   * so its outcome is always recorded.  Stopping only stops new sends. */
  relay_provider_client_add_async (send->client, &send->request, NULL, add_done, send);
}

/* One flush's transaction: the provider ids of @records to record and the
 * orders of @wave to mark sending, and what came of it. */
typedef struct
{
  RelayDispatcher   *self;        /* a reference */
  GPtrArray         *records;     /* Send* (owned) */
  GPtrArray         *wave;        /* Send* (owned) */
  RelayDispatchMark *sent;        /* one per record */
  RelayDispatchMark *sending;     /* one per order of the wave */
  GPtrArray         *outcomes;    /* Outcome* (the dispatcher's), written first */
  GArray            *changed;     /* the orders written */
  GArray            *outcome_changed;  /* the orders the outcomes changed (the writer's
                                        * connection's ::orders-changed) */
  gboolean           ledger_changed;   /* and whether they moved a client's ledger */
  gboolean           written;
  GError            *error;       /* why nothing was */
  gboolean           yielded;     /* the flush left orders for the next one */
  GMainContext      *context;     /* the dispatcher's */
  char              *path;        /* the book's */
} Wave;

static void flush_done (RelayDispatcher *self, gboolean yielded, guint n_wave);

static Wave *
wave_new (RelayDispatcher *self, GPtrArray *outcomes, GPtrArray *records, GPtrArray *wave,
          gboolean yielded)
{
  Wave *job = g_new0 (Wave, 1);

  job->self = g_object_ref (self);
  job->outcomes = outcomes;
  job->records = records;
  job->wave = wave;
  job->outcome_changed = g_array_new (FALSE, FALSE, sizeof (gint64));
  job->yielded = yielded;
  job->sent = g_new0 (RelayDispatchMark, MAX (records->len, 1));
  job->sending = g_new0 (RelayDispatchMark, MAX (wave->len, 1));
  job->changed = g_array_new (FALSE, FALSE, sizeof (gint64));
  job->context = g_main_context_ref_thread_default ();
  job->path = g_strdup (relay_store_get_path (self->store));
  for (guint i = 0; i < records->len; i++)
    {
      Send *send = g_ptr_array_index (records, i);

      job->sent[i].order_id = send->order->id;
      job->sent[i].provider_order_id = send->provider_order_id;
    }
  for (guint i = 0; i < wave->len; i++)
    {
      Send *send = g_ptr_array_index (wave, i);

      job->sending[i].order_id = send->order->id;
      job->sending[i].catalog_id = send->catalog->id;
    }
  return job;
}

static void
wave_free (Wave *job)
{
  for (guint i = 0; i < job->records->len; i++)
    g_clear_error (&job->sent[i].error);
  for (guint i = 0; i < job->wave->len; i++)
    g_clear_error (&job->sending[i].error);
  g_free (job->sent);
  g_free (job->sending);
  g_ptr_array_unref (job->outcomes);
  g_ptr_array_unref (job->records);
  g_ptr_array_unref (job->wave);
  g_array_unref (job->changed);
  g_array_unref (job->outcome_changed);
  g_clear_error (&job->error);
  g_main_context_unref (job->context);
  g_free (job->path);
  g_object_unref (job->self);
  g_free (job);
}

/* The outcomes, each its own transaction, then the wave's, through @store.
 * Once an outcome finds the book held (past the connection's busy wait),
 * the rest are left for the next job: each would wait as long. */
static void
wave_write (Wave *job, RelayStore *store)
{
  gboolean busy = FALSE;

  for (guint i = 0; i < job->outcomes->len; i++)
    {
      Outcome *outcome = g_ptr_array_index (job->outcomes, i);

      if (busy)
        {
          outcome->tried = FALSE;
          continue;
        }
      outcome_write (outcome, store);
      busy = outcome->busy;
    }
  if (job->records->len == 0 && job->wave->len == 0)
    {
      job->written = TRUE;
      return;
    }
  job->written = relay_store_record_dispatch (store, job->sent, job->records->len, job->sending,
                                              job->wave->len, job->changed, &job->error);
}

/* The writer's connection's signals, on the writer thread, while it writes
 * a job's outcomes: what the main loop announces once the job is back. */
static void
on_writer_orders_changed (RelayStore *store, GArray *ids, gpointer user_data)
{
  RelayDispatcher *self = user_data;
  Wave *job = self->writer_job;

  if (job != NULL)
    g_array_append_vals (job->outcome_changed, ids->data, ids->len);
}

static void
on_writer_clients_changed (RelayStore *store, gpointer user_data)
{
  RelayDispatcher *self = user_data;
  Wave *job = self->writer_job;

  if (job != NULL)
    job->ledger_changed = TRUE;
}

/* Back from the transaction: each outcome handled, then the wave's requests
 * started (only now: their intent is committed).  Takes the Sends. */
static void
wave_start (RelayDispatcher *self, Wave *job)
{
  gboolean dropped = FALSE;

  /* The outcomes were written first: told first, once announced (the
   * views hear of the orders before ::order-sent does). */
  relay_announcer_add (self->announcer, job->outcome_changed, job->ledger_changed);
  for (guint i = 0; i < job->outcomes->len; i++)
    outcome_settle (self, g_ptr_array_index (job->outcomes, i));

  /* Before the wave's requests start, when it may be now. */
  if (job->written)
    relay_announcer_add (self->announcer, job->changed, FALSE);

  for (guint i = 0; i < job->records->len; i++)
    {
      Send *send = g_ptr_array_index (job->records, i);

      if (record_outcome (send, job->written ? job->sent[i].error : job->error))
        send_free (send);
      else
        g_ptr_array_add (self->replied, send);
    }

  for (guint i = 0; i < job->wave->len; i++)
    {
      Send *send = g_ptr_array_index (job->wave, i);
      const GError *why = job->written ? job->sending[i].error : job->error;

      if (why == NULL)
        {
          start_request (self, send);
          continue;
        }
      /* STATE: someone else took it: it must not be sent from here.
       * Anything else (disk full, a lock held too long) would only repeat:
       * stop this run instead of spinning. */
      if (!g_error_matches (why, RELAY_STORE_ERROR, RELAY_STORE_ERROR_STATE) && !self->stopping)
        {
          g_warning ("Stopped sending: could not record order %" PRId64 " as being sent: %s",
                     send->order->id, why->message);
          self->stopping = TRUE;
          if (self->stop_error == NULL)
            self->stop_error = g_error_copy (why);
        }
      self->total--;
      dropped = TRUE;
      relay_funds_give_back (self->funds, send->catalog->provider_id, send->cost);
      send_free (send);
    }
  if (dropped)
    g_signal_emit (self, signals[SIGNAL_PROGRESS], 0, self->done, self->total);
}

/* On the dispatcher's thread, with a wave recorded by the writer. */
static gboolean
wave_recorded (gpointer data)
{
  Wave *job = data;
  RelayDispatcher *self = job->self;

  self->recording = FALSE;
  self->recording_run = FALSE;
  wave_start (self, job);
  flush_done (self, job->yielded, job->wave->len);
  wave_free (job);
  return G_SOURCE_REMOVE;
}

/* The writer thread: one wave, through its own connection; the rest back on
 * the dispatcher's thread, always in an idle of its context (never at once,
 * so that the store's signals and the requests stay on that thread). */
static void
wave_write_run (gpointer data, gpointer user_data)
{
  Wave *job = data;
  RelayDispatcher *self = user_data;
  GSource *source;

  if (self->writer_store == NULL && self->writer_error == NULL)
    {
      self->writer_store = relay_store_open (job->path, &self->writer_error);
      if (self->writer_store != NULL)
        {
          g_signal_connect (self->writer_store, "orders-changed",
                            G_CALLBACK (on_writer_orders_changed), self);
          g_signal_connect (self->writer_store, "clients-changed",
                            G_CALLBACK (on_writer_clients_changed), self);
        }
    }
  if (self->writer_store != NULL)
    {
      self->writer_job = job;
      wave_write (job, self->writer_store);
      self->writer_job = NULL;
    }
  else
    {
      job->error = g_error_copy (self->writer_error);
      for (guint i = 0; i < job->outcomes->len; i++)
        {
          Outcome *outcome = g_ptr_array_index (job->outcomes, i);

          outcome->tried = TRUE;
          g_clear_error (&outcome->error);
          outcome->error = g_error_copy (self->writer_error);
        }
    }
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, wave_recorded, job, NULL);
  g_source_set_static_name (source, "[relay-dispatcher] wave recorded");
  g_source_attach (source, job->context);
  g_source_unref (source);
}

/* @outcomes written, then one transaction: the provider ids of @records
 * recorded, the orders of @wave marked sending (on the writer thread); then
 * each outcome handled, the wave's requests started, and flush_done().
 * Takes the three arrays (@outcomes borrows its items) and the Sends. */
static void
record_and_start (RelayDispatcher *self, GPtrArray *outcomes, GPtrArray *records,
                  GPtrArray *wave, gboolean yielded)
{
  Wave *job;

  if (outcomes->len == 0 && records->len == 0 && wave->len == 0)
    {
      g_ptr_array_unref (outcomes);
      g_ptr_array_unref (records);
      g_ptr_array_unref (wave);
      flush_done (self, yielded, 0);
      return;
    }
  job = wave_new (self, outcomes, records, wave, yielded);
  if (!relay_store_is_shared (self->store))
    {
      /* A second connection would see another book. */
      wave_write (job, self->store);
      wave_start (self, job);
      flush_done (self, yielded, job->wave->len);
      wave_free (job);
      return;
    }
  self->recording = TRUE;
  self->recording_run = records->len > 0 || wave->len > 0;
  for (guint i = 0; i < outcomes->len && !self->recording_run; i++)
    self->recording_run = !((Outcome *) g_ptr_array_index (outcomes, i))->told;
  if (self->writer == NULL)
    self->writer = g_thread_pool_new (wave_write_run, self, 1, FALSE, NULL);
  g_thread_pool_push (self->writer, job, NULL);
}

static void
finish_run (RelayDispatcher *self)
{
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->waiters);
  /* Every due order was seen: a provider none of whose orders was short
   * waits no longer. */
  gboolean complete = self->all_due && !self->stopping && self->funds_ready;

  g_cancellable_cancel (self->funds_cancellable);
  g_clear_object (&self->funds_cancellable);
  /* Everything the run wrote is announced before anyone hears it ended. */
  relay_announcer_flush (self->announcer);

  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->running = FALSE;
  self->stopping = FALSE;
  self->all_due = FALSE;
  g_hash_table_remove_all (self->wanted);
  g_queue_clear_full (&self->queue, (GDestroyNotify) relay_order_row_free);
  /* After the run's state is reset: a handler of ::funds-wait may start the
   * next run. */
  relay_funds_end_run (self->funds, complete);
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

/* The orders asked for by id that are still queued and due: the first
 * FETCH_SIZE of them by id (a 10,000-line mass order is read a page at a
 * time, between flushes). */
static GPtrArray *
take_wanted (RelayDispatcher *self, gint64 now)
{
  GPtrArray *due = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_order_row_free);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->wanted);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_array_append_val (ids, *(gint64 *) key);
  g_array_sort (ids, (GCompareFunc) compare_ids);
  if (ids->len > FETCH_SIZE)
    g_array_set_size (ids, FETCH_SIZE);
  for (guint i = 0; i < ids->len; i++)
    g_hash_table_remove (self->wanted, &g_array_index (ids, gint64, i));
  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      RelayOrderRow *row;

      if (g_hash_table_contains (self->retried, &id))
        continue;
      row = relay_store_get_order (get_store (self), id, NULL);
      if (row != NULL && row->status == RELAY_ORDER_QUEUED && row->next_attempt_at <= now)
        g_ptr_array_add (due, row);
      else if (row != NULL)
        relay_order_row_free (row);
    }
  return due;
}

/* Fills the queue with the next orders to send; FALSE when there are none
 * (or they cannot be read). */
static gboolean
fetch_due (RelayDispatcher *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) due = NULL;
  /* Now, not the run's start: an order placed while a run goes on (a caller
   * joined it) is sent by it. */
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  /* A page of them may all be gone (sent, canceled): the next page then. */
  while (g_hash_table_size (self->wanted) > 0 && (due == NULL || due->len == 0))
    {
      g_clear_pointer (&due, g_ptr_array_unref);
      due = take_wanted (self, now);
    }
  if ((due == NULL || due->len == 0) && self->all_due)
    {
      g_clear_pointer (&due, g_ptr_array_unref);
      /* Without the orders this run already left alone, so that a page of
       * them never hides the orders behind it. */
      due = relay_store_list_due_orders_except (get_store (self), now, FETCH_SIZE,
                                                self->retried, &error);
      if (due == NULL)
        {
          g_warning ("Could not read the due orders: %s", error->message);
          if (self->stop_error == NULL)
            self->stop_error = g_steal_pointer (&error);
          return FALSE;
        }
    }
  if (due == NULL || due->len == 0)
    return FALSE;
  g_ptr_array_set_free_func (due, NULL);
  for (guint i = 0; i < due->len; i++)
    g_queue_push_tail (&self->queue, g_ptr_array_index (due, i));
  self->total += due->len;
  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0, self->done, self->total);
  return TRUE;
}

static void
maybe_finish (RelayDispatcher *self)
{
  if (self->running && self->in_flight == 0 && self->replied->len == 0 && self->flush_id == 0 &&
      !self->recording_run && (self->funds_ready || self->stopping) &&
      (self->stopping || g_queue_is_empty (&self->queue)) && !outcomes_untold (self))
    finish_run (self);
}

/* Records the answers that are due and starts the next wave, in one
 * transaction (see record_and_start()); flush_done() follows, once the wave
 * is recorded.  While a wave is being recorded, the flush waits for it. */
static void
flush (RelayDispatcher *self)
{
  g_autoptr(GPtrArray) outcomes = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) wave = NULL;
  /* Orders that end without a request (no key here, failed before sending)
   * each cost a read or two: a few at a time, so the main loop keeps
   * running. */
  guint budget = PUMP_BUDGET;
  gboolean yielded = FALSE;
  gint64 now = g_get_monotonic_time ();

  /* Between runs only outcomes still to write (outcome_retry()). */
  if (!self->running && self->outcomes->len == 0)
    return;
  if (self->recording)
    {
      self->flush_wanted = TRUE;
      return;
    }
  self->flush_wanted = FALSE;
  g_object_ref (self);
  if (self->running && waiters_cancelled (self))
    self->stopping = TRUE;

  records = g_ptr_array_new ();
  wave = g_ptr_array_new ();
  for (guint i = 0; i < self->replied->len;)
    {
      Send *send = g_ptr_array_index (self->replied, i);

      if (send->record_at <= now)
        g_ptr_array_add (records, g_ptr_array_steal_index (self->replied, i));
      else
        i++;
    }

  while (self->running && !self->stopping && self->funds_ready &&
         self->in_flight + wave->len < MAX_IN_FLIGHT)
    {
      Send *send;

      if (budget-- == 0)
        {
          yielded = TRUE;
          break;
        }
      /* The orders of this wave are still queued in the book: the next
       * look for due orders waits until they are marked. */
      if (g_queue_is_empty (&self->queue) && (wave->len > 0 || !fetch_due (self)))
        break;
      send = prepare_send (self, g_queue_pop_head (&self->queue));
      if (send != NULL)
        g_ptr_array_add (wave, send);
    }
  if (self->running)
    self->drained = g_queue_is_empty (&self->queue) && wave->len == 0 && !yielded;
  flush_unsent (self);
  /* Every outcome due, in the order they were made (those of the orders
   * ended above too).  Not one of a job still being settled: a handler of
   * ::order-sent or ::progress that stops or starts a run flushes from
   * inside wave_start(), and would have the writer write it again while
   * it is told and freed here. */
  outcomes = g_ptr_array_new ();
  for (guint i = 0; i < self->outcomes->len; i++)
    {
      Outcome *outcome = g_ptr_array_index (self->outcomes, i);

      if (!outcome->in_job && outcome->retry_at <= now)
        {
          outcome->in_job = TRUE;
          g_ptr_array_add (outcomes, outcome);
        }
    }
  record_and_start (self, g_steal_pointer (&outcomes), g_steal_pointer (&records),
                    g_steal_pointer (&wave), yielded);
  g_object_unref (self);
}

/* After a flush's wave is recorded and its requests started: what is left,
 * more orders (when there is room), a flush asked for meanwhile, or answers
 * to try recording again; else the run may be over. */
static void
flush_done (RelayDispatcher *self, gboolean yielded, guint n_wave)
{
  gint64 now = g_get_monotonic_time ();
  gint64 next_record = G_MAXINT64;
  gint64 next_retry = G_MAXINT64;

  for (guint i = 0; i < self->replied->len; i++)
    next_record = MIN (next_record, ((Send *) g_ptr_array_index (self->replied, i))->record_at);
  for (guint i = 0; i < self->outcomes->len; i++)
    {
      Outcome *outcome = g_ptr_array_index (self->outcomes, i);

      if (outcome->told)
        next_retry = MIN (next_retry, outcome->retry_at);
      else
        next_record = MIN (next_record, outcome->retry_at);
    }
  if (next_retry != G_MAXINT64)
    schedule_retry (self, next_retry);
  if (self->flush_wanted ||
      (!self->stopping && self->in_flight < MAX_IN_FLIGHT &&
       (yielded || !g_queue_is_empty (&self->queue) || (n_wave > 0 && !self->drained))))
    {
      self->flush_wanted = FALSE;
      schedule_flush (self, 0);
    }
  else if (next_record != G_MAXINT64)
    {
      gint64 wait_ms = (next_record - now) / 1000 + 1;

      schedule_flush (self, (guint) CLAMP (wait_ms, 1, 60000));
    }
  maybe_finish (self);
}

static gboolean
retry_cb (gpointer user_data)
{
  RelayDispatcher *self = user_data;

  self->retry_id = 0;
  flush (self);
  return G_SOURCE_REMOVE;
}

/* The next flush for the outcomes told already (outcome_retry()), at
 * @when (monotonic), unless one is due: a run does not wait for it. */
static void
schedule_retry (RelayDispatcher *self, gint64 when)
{
  gint64 wait_ms = (when - g_get_monotonic_time ()) / 1000 + 1;

  if (self->retry_id != 0)
    return;
  self->retry_id = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) CLAMP (wait_ms, 1, 60000),
                                       retry_cb, g_object_ref (self), g_object_unref);
}

static gboolean
flush_cb (gpointer user_data)
{
  RelayDispatcher *self = user_data;

  self->flush_id = 0;
  flush (self);
  return G_SOURCE_REMOVE;
}

/* Makes the next flush run within @delay_ms (0: as soon as the main loop
 * is idle), unless one is due sooner. */
static void
schedule_flush (RelayDispatcher *self, guint delay_ms)
{
  gint64 due = g_get_monotonic_time () + (gint64) delay_ms * 1000;

  if (self->flush_id != 0)
    {
      if (self->flush_due <= due)
        return;
      g_source_remove (self->flush_id);
    }
  self->flush_due = due;
  /* At the priority of the answers, not after all of them: the next wave
   * leaves while the rest of this one is still on the wire. */
  if (delay_ms == 0)
    self->flush_id = g_idle_add_full (G_PRIORITY_DEFAULT, flush_cb, g_object_ref (self),
                                      g_object_unref);
  else
    self->flush_id = g_timeout_add_full (G_PRIORITY_DEFAULT, delay_ms, flush_cb,
                                         g_object_ref (self), g_object_unref);
}

static void
pump (RelayDispatcher *self)
{
  flush (self);
}

static void
relay_dispatcher_dispose (GObject *object)
{
  RelayDispatcher *self = RELAY_DISPATCHER (object);

  if (self->announcer != NULL)
    relay_announcer_flush (self->announcer);
  g_clear_pointer (&self->announcer, relay_announcer_unref);
  /* Only when disposed by force (each flush due holds the dispatcher):
   * what was not written is let go, with its holds. */
  if (self->clients != NULL && !self->recording)
    while (self->outcomes->len > 0)
      outcome_remove (self, g_ptr_array_index (self->outcomes, 0));
  g_clear_object (&self->funds);
  g_clear_object (&self->funds_cancellable);
  g_clear_object (&self->clients);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (relay_dispatcher_parent_class)->dispose (object);
}

static void
relay_dispatcher_finalize (GObject *object)
{
  RelayDispatcher *self = RELAY_DISPATCHER (object);

  g_queue_clear_full (&self->queue, (GDestroyNotify) relay_order_row_free);
  g_clear_error (&self->stop_error);
  g_clear_pointer (&self->waiters, g_ptr_array_unref);
  g_clear_pointer (&self->retried, g_hash_table_unref);
  g_clear_pointer (&self->wanted, g_hash_table_unref);
  g_clear_pointer (&self->no_key, g_hash_table_unref);
  g_clear_pointer (&self->unsent, g_hash_table_unref);
  g_clear_pointer (&self->replied, g_ptr_array_unref);
  g_clear_pointer (&self->waiting, g_hash_table_unref);
  g_clear_pointer (&self->outcomes, g_ptr_array_unref);
  /* No wave is being recorded (each holds the dispatcher): the thread is idle. */
  if (self->writer != NULL)
    g_thread_pool_free (self->writer, FALSE, TRUE);
  g_clear_object (&self->writer_store);
  g_clear_error (&self->writer_error);
  G_OBJECT_CLASS (relay_dispatcher_parent_class)->finalize (object);
}

static void
relay_dispatcher_class_init (RelayDispatcherClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = relay_dispatcher_dispose;
  G_OBJECT_CLASS (klass)->finalize = relay_dispatcher_finalize;

  signals[SIGNAL_PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
  signals[SIGNAL_ORDER_SENT] =
    g_signal_new ("order-sent", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_UINT);
  signals[SIGNAL_FUNDS_WAIT] =
    g_signal_new ("funds-wait", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_INT64, G_TYPE_INT64, G_TYPE_INT64);
  signals[SIGNAL_FUNDS_RESUMED] =
    g_signal_new ("funds-resumed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
relay_dispatcher_init (RelayDispatcher *self)
{
  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->retry_delay = DEFAULT_RETRY_DELAY;
  self->retried = id_set_new ();
  self->wanted = id_set_new ();
  self->no_key = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->unsent = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                        (GDestroyNotify) g_array_unref);
  self->replied = g_ptr_array_new ();
  self->outcomes = g_ptr_array_new_with_free_func ((GDestroyNotify) outcome_free);
  self->waiting = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_array_unref);
  g_queue_init (&self->queue);
}

static void
on_funds_wait (RelayFunds *funds, gint64 provider_id, gint64 needed, gint64 balance,
               RelayDispatcher *self)
{
  g_signal_emit (self, signals[SIGNAL_FUNDS_WAIT], 0, provider_id, needed, balance);
}

static void
on_funds_resumed (RelayFunds *funds, gint64 provider_id, RelayDispatcher *self)
{
  g_signal_emit (self, signals[SIGNAL_FUNDS_RESUMED], 0, provider_id);
}

RelayDispatcher *
relay_dispatcher_new (RelayClientPool *clients)
{
  RelayDispatcher *self;

  g_return_val_if_fail (RELAY_IS_CLIENT_POOL (clients), NULL);

  self = g_object_new (RELAY_TYPE_DISPATCHER, NULL);
  self->clients = g_object_ref (clients);
  self->store = g_object_ref (relay_client_pool_get_store (clients));
  self->announcer = relay_announcer_new (self->store, ANNOUNCE_MS, NULL);
  self->funds = relay_funds_new (clients);
  g_signal_connect_object (self->funds, "wait", G_CALLBACK (on_funds_wait), self, 0);
  g_signal_connect_object (self->funds, "resumed", G_CALLBACK (on_funds_resumed), self, 0);
  return self;
}

/* The run's balances are read (or could not be): orders may go. */
static void
funds_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(RelayDispatcher) self = user_data;
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (result));

  relay_funds_begin_run_finish (RELAY_FUNDS (source), result);
  /* Not the run it was read for (that one ended, stopped). */
  if (!self->running || cancellable != self->funds_cancellable)
    return;
  self->funds_ready = TRUE;
  pump (self);
}

/* Adds a waiter and starts a run unless one is going on. */
static void
start_run (RelayDispatcher     *self,
           gboolean             all_due,
           const gint64        *order_ids,
           guint                n_ids,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data,
           gpointer             source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_ptr_array_add (self->waiters, task);
  if (!self->running)
    {
      self->running = TRUE;
      self->stopping = FALSE;
      g_clear_error (&self->stop_error);
      g_hash_table_remove_all (self->retried);
      g_hash_table_remove_all (self->no_key);
      self->done = 0;
      self->total = 0;
      self->drained = FALSE;
      memset (&self->report, 0, sizeof self->report);
      /* A dead process's "sending" orders go to review (B: sender lease). */
      relay_store_reap_dead_senders (self->store, NULL);
      /* Nothing goes before the balances it needs are known. */
      self->funds_ready = FALSE;
      g_clear_object (&self->funds_cancellable);
      self->funds_cancellable = g_cancellable_new ();
      relay_funds_begin_run_async (self->funds, self->funds_cancellable, funds_read,
                                   g_object_ref (self));
    }
  self->all_due = self->all_due || all_due;
  for (guint i = 0; i < n_ids; i++)
    id_set_add (self->wanted, order_ids[i]);
  if (all_due || n_ids > 0)
    self->drained = FALSE;
  pump (self);
}

void
relay_dispatcher_run_async (RelayDispatcher     *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (RELAY_IS_DISPATCHER (self));
  start_run (self, TRUE, NULL, 0, cancellable, callback, user_data, relay_dispatcher_run_async);
}

void
relay_dispatcher_send_async (RelayDispatcher     *self,
                             const gint64        *order_ids,
                             guint                n_ids,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (RELAY_IS_DISPATCHER (self));
  g_return_if_fail (order_ids != NULL || n_ids == 0);
  start_run (self, FALSE, order_ids, n_ids, cancellable, callback, user_data,
             relay_dispatcher_send_async);
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

/* See relay_funds_forget_refusal(). */
void
relay_dispatcher_forget_funds_refusal (RelayDispatcher *self,
                                       gint64           provider_id)
{
  g_return_if_fail (RELAY_IS_DISPATCHER (self));
  relay_funds_forget_refusal (self->funds, provider_id);
}

gboolean
relay_dispatcher_get_stop_error (RelayDispatcher  *self,
                                 GError          **error)
{
  g_return_val_if_fail (RELAY_IS_DISPATCHER (self), FALSE);
  if (self->stop_error == NULL)
    return TRUE;
  g_propagate_error (error, g_error_copy (self->stop_error));
  return FALSE;
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
