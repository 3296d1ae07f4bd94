/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The status refresh: active orders by provider, 100 ids a request, each reply
 * applied whole in a transaction (the replies that came while the writer was
 * busy share one); and the refills that are not final, read as soon as the
 * last page of orders is and asked about behind the orders' requests: a run
 * ends when its last reply is recorded, not one reading and one round trip
 * later.  The providers' API keys are read off the main loop
 * (relay_client_pool_load_async) while the first pages are read; requests
 * cut before that wait for it.
 *
 * The main loop never reads or writes the book for long: the active orders
 * are read a page at a time on a thread of their own with a connection of
 * their own (the main loop only cuts each page into requests), and the
 * replies are applied on another thread with another connection (one at a
 * time, in the order they came); ::orders-changed is then emitted here, on
 * the main loop's thread.  A book in memory is read and written on the main
 * loop (a second connection would see another book).
 *
 * Nor does it wait for another process's write lock: the errors of the
 * orders no status can be asked for go through the same writer as the
 * replies, and the refills' statuses through the client pool's writes
 * (relay_client_pool_write_async(): at once while the book is free, else on
 * a worker); a run ends once they are in the book, and a write that fails
 * counts in the report's n_errors (the next refresh asks again). */
#include "config.h"

#include "relay-sync.h"
#include "relay-announcer.h"
#include "relay-error.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

struct _RelaySync
{
  GObject          parent_instance;
  RelayStore      *store;
  RelayClientPool *clients;
  GPtrArray       *waiters;       /* GTask* */
  GCancellable    *cancellable;   /* of the run in progress: relay_sync_stop() or the
                                   * first caller's cancellable cancel it */
  GCancellable    *caller_cancellable;
  gulong           caller_handler;
  RelaySyncReport *report;        /* of the run in progress */
  guint            pending;       /* requests in flight and replies not yet recorded
                                   * (+1 while reading the orders, +1 while reading
                                   * the refills, +1 until the keys are read) */
  guint            in_flight;     /* requests in flight */
  guint            orders_left;   /* status requests not yet recorded (+1 while reading) */
  GPtrArray       *refill_replies;  /* RefillReply*: recorded once orders_left is 0 */
  gboolean         clients_ready; /* every provider's key is read */
  GPtrArray       *held_orders;   /* StatusChunk* cut before the keys were read */
  GPtrArray       *held_refills;  /* RefillChunk* likewise */
  gint64           last_run;

  /* Reading the active orders, a page at a time. */
  gint64           after_id;      /* the last order read */
  GHashTable      *open_chunks;   /* provider id -> StatusChunk still filling */
  GPtrArray       *bad;           /* RelayStatusUpdate of ids no status can be asked for */
  gboolean         page_asked;    /* a page is being read */
  gboolean         reading_held;  /* the next page waits: too many requests in flight */
  GMainContext    *context;       /* the run's */
  GThreadPool     *reader;        /* reads the pages (NULL for a book in memory) */
  RelayStore      *reader_store;  /* its connection: only the reader thread uses it */
  GError          *reader_error;  /* why the connection could not be opened */

  /* Applying the replies: one thread, its own connection (NULL until the
   * first reply; only that thread touches it).  The replies that came while
   * it wrote are applied together, in one transaction (one commit, one sync
   * to the disk, for all of them). */
  GThreadPool     *writer;
  RelayStore      *writer_store;
  GError          *writer_error;  /* why the connection could not be opened */
  GMutex           writer_lock;   /* guards the two below */
  GPtrArray       *writer_jobs;   /* ApplyJob* waiting for the writer */
  gboolean         writer_busy;   /* the writer is taking them */

  /* The orders the replies changed, not yet announced: ::orders-changed is
   * emitted at most every ANNOUNCE_INTERVAL_MS during a run, and once when
   * its replies are all in (each emission makes every view of the book read
   * its rows again: once per reply of 100 was most of the main loop's time
   * in a refresh, and the replies of one commit came back to back). */
  RelayAnnouncer  *announcer;     /* the run's, in its context */
};

/* At most this many replies (of 100 orders) in one transaction, whatever
 * piled up.  Each commit writes every index page it dirtied again: 5 a
 * commit cost ~15 % more CPU than 20 for 10,000 orders (bench-mass submit
 * 10000 20).  The main loop's connection may wait for the write lock
 * meanwhile (~50 µs an order on a quiet core: up to ~100 ms). */
#define MAX_JOBS_A_COMMIT 20

#define ACTIVE_PAGE 200

/* No page more is read while this many requests are in flight, or this
 * many replies wait for the writer: a book with a million active orders is
 * not read into memory and queued at once.  Well above the 4 connections a
 * provider gets and the replies a commit takes, so that reading never slows
 * a refresh down (replies waiting for a busy writer do not hold the
 * requests back). */
#define MAX_REQUESTS_AHEAD 64
#define MAX_REPLIES_WAITING 256

#define ANNOUNCE_INTERVAL_MS 200

/* One page of active orders, or the refills not final, read on the reader
 * thread (or in an idle of the run's thread for a book in memory). */
typedef struct
{
  RelaySync *self;
  gboolean   refills;            /* the refills, not a page of orders */
  gint64     after_id;
  GMainContext *context;         /* the run's */
  GPtrArray *page;               /* RelayOrderRow* or RelayRefillRow*, the result */
  GArray    *provider_ids;       /* gint64, of each refill's order (0: gone) */
  GError    *error;
} PageJob;

static gboolean refills_read (gpointer data);
static void read_refills (RelayStore *store, PageJob *job);

/* One `status` request. */
typedef struct
{
  RelaySync  *self;
  gint64      provider_id;
  GHashTable *orders;             /* provider order id -> RelayOrderRow (owned) */
} StatusChunk;

/* One `refill_status` request. */
typedef struct
{
  RelaySync  *self;
  gint64      provider_id;
  GHashTable *refills;            /* provider refill id -> RelayRefillRow (owned) */
} RefillChunk;

/* A refill_status reply waiting for the orders' replies to be recorded: its
 * write would otherwise wait for the writer's lock (a commit of up to
 * MAX_JOBS_A_COMMIT replies). */
typedef struct
{
  RefillChunk *chunk;
  GPtrArray   *statuses;          /* RelayProviderRefillStatus*, or NULL: failed */
} RefillReply;

/* One reply to apply on the writer thread, and what came of it. */
typedef struct
{
  StatusChunk  *chunk;
  GHashTable   *statuses;        /* the reply: the updates borrow from it */
  GPtrArray    *updates;         /* RelayStatusUpdate* */
  gboolean      counted;         /* the updates' errors are the sync's, counted already */
  GMainContext *context;         /* where the run is */
  /* Results, for the main loop's thread. */
  GError       *error;
  GArray       *touched;
  GArray       *changes;         /* RelayStatusChange */
  GArray       *held;
  GPtrArray    *held_errors;     /* char*, the error of each held order now */
  gboolean      ledger_changed;
} ApplyJob;

G_DEFINE_FINAL_TYPE (RelaySync, relay_sync, G_TYPE_OBJECT)

static void start_refills (RelaySync *self);
static void ask_page (RelaySync *self);
static void send_status_chunk (RelaySync *self, StatusChunk *chunk);
static void send_refill_chunk (RelaySync *self, RefillChunk *chunk);
static void record_refill_replies (RelaySync *self);

/* Calls @func (@data) in an idle of @context, always: never at once on the
 * calling thread, even when that thread could take the context meanwhile
 * (g_main_context_invoke() would, and the store's signals would then be
 * emitted on a worker thread). */
static void
invoke_on (GMainContext *context,
           gint          priority,
           GSourceFunc   func,
           gpointer      data)
{
  GSource *source = g_idle_source_new ();

  g_source_set_priority (source, priority);
  g_source_set_callback (source, func, data, NULL);
  g_source_set_static_name (source, "[relay-sync]");
  g_source_attach (source, context);
  g_source_unref (source);
}

static GHashTable *
provider_table_new (void)
{
  return g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}

void
relay_sync_report_free (RelaySyncReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->changes, g_array_unref);
  g_free (report->not_updated_reason);
  g_free (report);
}

static RelaySyncReport *
report_copy (const RelaySyncReport *report)
{
  RelaySyncReport *copy = g_memdup2 (report, sizeof *report);

  copy->changes = g_array_copy (report->changes);
  copy->not_updated_reason = g_strdup (report->not_updated_reason);
  return copy;
}

static void
finish_run (RelaySync *self)
{
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->waiters);
  g_autoptr(RelaySyncReport) report = g_steal_pointer (&self->report);

  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  if (self->caller_cancellable != NULL)
    g_cancellable_disconnect (self->caller_cancellable, self->caller_handler);
  self->caller_handler = 0;
  g_clear_object (&self->caller_cancellable);
  g_clear_object (&self->cancellable);
  report->finished_at = g_get_real_time () / G_USEC_PER_SEC;
  self->last_run = report->finished_at;
  for (guint i = 0; i < waiters->len; i++)
    g_task_return_pointer (g_ptr_array_index (waiters, i), report_copy (report),
                           (GDestroyNotify) relay_sync_report_free);
}

static gboolean
finish_idle (gpointer data)
{
  g_autoptr(RelaySync) self = data;

  finish_run (self);
  return G_SOURCE_REMOVE;
}

/* Whether another page of active orders may be read now. */
static gboolean
may_read (RelaySync *self)
{
  return self->in_flight + self->held_orders->len < MAX_REQUESTS_AHEAD &&
         self->pending - self->in_flight < MAX_REPLIES_WAITING;
}

/* Reads the next page if it waited and may be read now. */
static void
resume_reading (RelaySync *self)
{
  if (self->reading_held && may_read (self))
    {
      self->reading_held = FALSE;
      ask_page (self);
    }
}

/* Called when a request, a reading or the keys' reading ends. */
static void
release (RelaySync *self)
{
  g_assert (self->pending > 0);
  if (--self->pending > 0)
    {
      resume_reading (self);
      return;
    }
  /* Every reply is in: the views show them before the run ends, and the
   * callers learn of the end in a dispatch of its own (the views' reading
   * of the last changes and what a caller does at the end — a window's
   * notifications, its labels — do not add up in one main-loop turn). */
  relay_announcer_flush (self->announcer);
  invoke_on (self->context, G_PRIORITY_DEFAULT_IDLE, finish_idle, g_object_ref (self));
}

/* Called when a status request (or the reading of the orders) ends: once
 * none is left, the refill replies that waited are recorded. */
static void
release_orders (RelaySync *self)
{
  g_assert (self->orders_left > 0);
  if (--self->orders_left == 0)
    record_refill_replies (self);
  release (self);
}

/* The keys are read: the requests cut meanwhile go. */
static void
clients_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(RelaySync) self = user_data;
  g_autoptr(GPtrArray) orders = g_steal_pointer (&self->held_orders);
  g_autoptr(GPtrArray) refills = g_steal_pointer (&self->held_refills);

  relay_client_pool_load_finish (RELAY_CLIENT_POOL (source), result);
  self->clients_ready = TRUE;
  self->held_orders = g_ptr_array_new ();
  self->held_refills = g_ptr_array_new ();
  for (guint i = 0; i < orders->len; i++)
    send_status_chunk (self, g_ptr_array_index (orders, i));
  for (guint i = 0; i < refills->len; i++)
    send_refill_chunk (self, g_ptr_array_index (refills, i));
  release (self);
}

static void
note_failure (RelaySync *self, gint64 provider_id, const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->report->n_errors++;
  relay_client_pool_note (self->clients, provider_id, error);
}

/* ---- orders ---- */

/* An order the run asked about but left as it was: its reply (or its id)
 * was refused, and @reason is its error now. */
static void
note_not_updated (RelaySync *self, gint64 order_id, const char *reason)
{
  self->report->n_not_updated++;
  if (self->report->not_updated_reason == NULL)
    self->report->not_updated_reason = g_strdup_printf (_("order %" PRId64 ": %s"), order_id,
                                                        reason ? reason : "");
}

static void
status_chunk_free (StatusChunk *chunk)
{
  g_hash_table_unref (chunk->orders);
  g_object_unref (chunk->self);
  g_free (chunk);
}

static void
apply_job_free (ApplyJob *job)
{
  status_chunk_free (job->chunk);
  g_hash_table_unref (job->statuses);
  g_ptr_array_unref (job->updates);
  g_main_context_unref (job->context);
  g_clear_error (&job->error);
  g_clear_pointer (&job->touched, g_array_unref);
  g_clear_pointer (&job->changes, g_array_unref);
  g_clear_pointer (&job->held, g_array_unref);
  g_clear_pointer (&job->held_errors, g_ptr_array_unref);
  g_free (job);
}

/* Splits what one transaction for several replies did into each reply's
 * share: @ids (order ids) go to the job that asked about them. */
static void
split_ids (GArray *ids, GHashTable *owner, gsize field)
{
  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      ApplyJob *job = g_hash_table_lookup (owner, &id);
      GArray **array;

      if (job == NULL)
        continue;
      array = G_STRUCT_MEMBER_P (job, field);
      g_array_append_val (*array, id);
    }
}

static void read_back (ApplyJob *job, GArray *changed, RelayStore *store);

/* Applies the updates of every job of @jobs through @store (either
 * connection) in one transaction, and reads back what the run reports. */
static void
apply_jobs (GPtrArray *jobs, RelayStore *store)
{
  g_autoptr(GPtrArray) updates = NULL;
  g_autoptr(GHashTable) owner = NULL;
  g_autoptr(GArray) touched = NULL;
  g_autoptr(GArray) changed = NULL;
  g_autoptr(GArray) held = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ledger_changed = FALSE;

  if (jobs->len == 1)
    {
      ApplyJob *job = g_ptr_array_index (jobs, 0);

      if (relay_store_apply_statuses_quiet (store, job->updates, &job->touched, &changed,
                                            &job->held, &job->ledger_changed, &job->error))
        read_back (job, changed, store);
      return;
    }
  updates = g_ptr_array_new ();
  owner = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint j = 0; j < jobs->len; j++)
    {
      ApplyJob *job = g_ptr_array_index (jobs, j);

      for (guint i = 0; i < job->updates->len; i++)
        {
          RelayStatusUpdate *update = g_ptr_array_index (job->updates, i);

          g_ptr_array_add (updates, update);
          g_hash_table_insert (owner, &update->order_id, job);
        }
    }
  if (!relay_store_apply_statuses_quiet (store, updates, &touched, &changed, &held,
                                         &ledger_changed, &error))
    {
      for (guint j = 0; j < jobs->len; j++)
        ((ApplyJob *) g_ptr_array_index (jobs, j))->error = g_error_copy (error);
      return;
    }
  for (guint j = 0; j < jobs->len; j++)
    {
      ApplyJob *job = g_ptr_array_index (jobs, j);

      job->touched = g_array_new (FALSE, FALSE, sizeof (gint64));
      job->held = g_array_new (FALSE, FALSE, sizeof (gint64));
      /* The clients' ledgers changed for all or none: one signal is enough,
       * and one more costs only a reload. */
      job->ledger_changed = ledger_changed;
    }
  split_ids (touched, owner, G_STRUCT_OFFSET (ApplyJob, touched));
  split_ids (held, owner, G_STRUCT_OFFSET (ApplyJob, held));
  for (guint j = 0; j < jobs->len; j++)
    {
      ApplyJob *job = g_ptr_array_index (jobs, j);
      g_autoptr(GArray) mine = g_array_new (FALSE, FALSE, sizeof (gint64));

      for (guint i = 0; i < changed->len; i++)
        {
          gint64 id = g_array_index (changed, gint64, i);

          if (g_hash_table_lookup (owner, &id) == job)
            g_array_append_val (mine, id);
        }
      read_back (job, mine, store);
    }
}

/* What the run reports of @job once applied: the errors of its held orders
 * and the status changes of @changed, as the book has them now. */
static void
read_back (ApplyJob *job, GArray *changed, RelayStore *store)
{
  job->held_errors = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < job->held->len; i++)
    {
      g_autoptr(RelayOrderRow) now = relay_store_get_order (store, g_array_index (job->held,
                                                                                gint64, i), NULL);

      g_ptr_array_add (job->held_errors, now != NULL ? g_strdup (now->error) : NULL);
    }
  job->changes = g_array_new (FALSE, FALSE, sizeof (RelayStatusChange));
  if (changed->len == 0)
    return;
  /* An order is in @changed when the status its reply's word maps to was
   * written over another (the word and the old status were read in the
   * transaction that wrote it): no read of each order again. */
  {
    g_autoptr(GHashTable) words = g_hash_table_new (g_int64_hash, g_int64_equal);
    g_autoptr(GHashTable) before = g_hash_table_new (g_int64_hash, g_int64_equal);
    GHashTableIter iter;
    gpointer value;

    for (guint i = 0; i < job->updates->len; i++)
      {
        RelayStatusUpdate *update = g_ptr_array_index (job->updates, i);

        g_hash_table_insert (words, &update->order_id, update);
      }
    g_hash_table_iter_init (&iter, job->chunk->orders);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      g_hash_table_insert (before, &((RelayOrderRow *) value)->id, value);
    for (guint i = 0; i < changed->len; i++)
      {
        gint64 id = g_array_index (changed, gint64, i);
        RelayStatusUpdate *update = g_hash_table_lookup (words, &id);
        RelayOrderRow *row = g_hash_table_lookup (before, &id);
        RelayStatusChange change = { id, 0, 0 };

        if (update == NULL ||
            !relay_order_status_from_provider (update->status_word, &change.new_status))
          continue;
        if (row != NULL)
          change.old_status = row->status;
        if (change.new_status == change.old_status)
          continue;
        g_array_append_val (job->changes, change);
      }
  }
}

/* Back on the run's thread: the signals, the report, the request's end. */
static gboolean
apply_job_done (gpointer data)
{
  ApplyJob *job = data;
  RelaySync *self = job->chunk->self;

  if (job->error != NULL)
    {
      g_warning ("Could not record the statuses: %s", job->error->message);
      self->report->n_errors++;
    }
  else
    {
      relay_announcer_add (self->announcer, job->touched, job->ledger_changed);
      for (guint i = 0; i < job->updates->len && !job->counted; i++)
        {
          RelayStatusUpdate *update = g_ptr_array_index (job->updates, i);

          if (update->error != NULL)
            note_not_updated (self, update->order_id, update->error);
        }
      for (guint i = 0; i < job->held->len; i++)
        note_not_updated (self, g_array_index (job->held, gint64, i),
                          g_ptr_array_index (job->held_errors, i));
      g_array_append_vals (self->report->changes, job->changes->data, job->changes->len);
    }
  release_orders (self);
  apply_job_free (job);
  return G_SOURCE_REMOVE;
}

/* Back on the run's thread with the replies of one commit. */
static gboolean
apply_jobs_done (gpointer data)
{
  g_autoptr(GPtrArray) jobs = data;

  for (guint j = 0; j < jobs->len; j++)
    apply_job_done (g_ptr_array_index (jobs, j));
  return G_SOURCE_REMOVE;
}

/* The writer thread: takes the replies waiting (up to MAX_JOBS_A_COMMIT at
 * a time, in the order they came) until none is left.  The sync itself is
 * never referenced here: each job holds it until it is done on the run's
 * thread, and finalize waits for this thread. */
static void
apply_job_run (gpointer data, gpointer user_data)
{
  RelaySync *self = user_data;

  for (;;)
    {
      g_autoptr(GPtrArray) jobs = g_ptr_array_new ();
      GMainContext *context;

      g_mutex_lock (&self->writer_lock);
      while (jobs->len < MAX_JOBS_A_COMMIT && self->writer_jobs->len > 0)
        g_ptr_array_add (jobs, g_ptr_array_steal_index (self->writer_jobs, 0));
      if (jobs->len == 0)
        self->writer_busy = FALSE;
      g_mutex_unlock (&self->writer_lock);
      if (jobs->len == 0)
        return;

      if (self->writer_store == NULL && self->writer_error == NULL)
        self->writer_store = relay_store_open (relay_store_get_path (self->store),
                                               &self->writer_error);
      if (self->writer_store != NULL)
        apply_jobs (jobs, self->writer_store);
      else
        for (guint j = 0; j < jobs->len; j++)
          ((ApplyJob *) g_ptr_array_index (jobs, j))->error = g_error_copy (self->writer_error);
      /* One callback for the whole commit: the main loop takes its replies
       * in one go, and announces them once. */
      context = ((ApplyJob *) g_ptr_array_index (jobs, 0))->context;
      invoke_on (context, G_PRIORITY_DEFAULT, apply_jobs_done, g_steal_pointer (&jobs));
    }
}

static void queue_apply_job (RelaySync *self, ApplyJob *job);

static void
statuses_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  StatusChunk *chunk = user_data;
  RelaySync *self = chunk->self;
  g_autoptr(GError) error = NULL;
  GHashTable *statuses = NULL;
  ApplyJob *job;
  GHashTableIter iter;
  gpointer key, value;

  statuses = relay_provider_client_statuses_finish (RELAY_PROVIDER_CLIENT (source), result, &error);
  g_assert (self->in_flight > 0);
  self->in_flight--;
  resume_reading (self);
  if (statuses == NULL)
    {
      note_failure (self, chunk->provider_id, error);
      release_orders (self);
      status_chunk_free (chunk);
      return;
    }
  relay_client_pool_note (self->clients, chunk->provider_id, NULL);

  job = g_new0 (ApplyJob, 1);
  job->chunk = chunk;
  job->statuses = statuses;
  job->updates = g_ptr_array_new_with_free_func (g_free);
  job->context = g_main_context_ref_thread_default ();
  g_hash_table_iter_init (&iter, statuses);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      RelayProviderStatus *status = value;
      RelayOrderRow *order = g_hash_table_lookup (chunk->orders, key);
      RelayStatusUpdate *update;

      if (order == NULL)
        continue;   /* an id we did not ask about */
      update = g_new0 (RelayStatusUpdate, 1);
      update->order_id = order->id;
      update->status_word = status->error ? NULL : status->status_word;
      update->error = status->error;
      update->has_start_count = status->has_start_count;
      update->start_count = status->start_count;
      update->has_remains = status->has_remains;
      update->remains = status->remains;
      update->has_charge = status->has_charge;
      update->charge = status->charge;
      update->currency = status->currency;
      g_ptr_array_add (job->updates, update);
    }
  if (job->updates->len == 0)
    {
      job->held = g_array_new (FALSE, FALSE, sizeof (gint64));
      job->changes = g_array_new (FALSE, FALSE, sizeof (RelayStatusChange));
      apply_job_done (job);
      return;
    }
  queue_apply_job (self, job);
}

/* Applies @job on the writer thread, after the jobs queued before it (here
 * for a book in memory); apply_job_done() follows on the run's thread. */
static void
queue_apply_job (RelaySync *self, ApplyJob *job)
{
  if (!relay_store_is_shared (self->store))
    {
      /* A second connection would see another book. */
      g_autoptr(GPtrArray) jobs = g_ptr_array_new ();

      g_ptr_array_add (jobs, job);
      apply_jobs (jobs, self->store);
      apply_job_done (job);
      return;
    }
  if (self->writer == NULL)
    self->writer = g_thread_pool_new (apply_job_run, self, 1, FALSE, NULL);
  g_mutex_lock (&self->writer_lock);
  g_ptr_array_add (self->writer_jobs, job);
  if (!self->writer_busy)
    {
      self->writer_busy = TRUE;
      g_thread_pool_push (self->writer, self, NULL);
    }
  g_mutex_unlock (&self->writer_lock);
}

/* A RelayStatusUpdate whose error the sync made (the others borrow theirs). */
static void
free_update (gpointer data)
{
  RelayStatusUpdate *update = data;

  g_free ((char *) update->error);
  g_free (update);
}

static void
send_status_chunk (RelaySync *self, StatusChunk *chunk)
{
  g_autoptr(GError) error = NULL;
  g_autofree const char **ids = NULL;
  RelayProviderClient *client;
  guint n = 0;

  if (!self->clients_ready)
    {
      g_ptr_array_add (self->held_orders, chunk);
      return;
    }
  /* Answered from memory: the keys were read (no provider is asked about
   * before its key is). */
  client = relay_client_pool_get (self->clients, chunk->provider_id, NULL, &error);
  if (client == NULL)
    {
      note_failure (self, chunk->provider_id, error);
      status_chunk_free (chunk);
      return;
    }
  ids = (const char **) g_hash_table_get_keys_as_array (chunk->orders, &n);
  self->pending++;
  self->orders_left++;
  self->in_flight++;
  self->report->n_requests++;
  self->report->n_checked += n;
  relay_provider_client_statuses_async (client, ids, n, self->cancellable, statuses_done, chunk);
}

/* The end of the reading: the chunks still filling go, the orders whose id
 * no status can be asked for say why, and the refills are read (their
 * requests go behind the orders'). */
static void
end_orders (RelaySync *self)
{
  g_autoptr(GPtrArray) bad = g_steal_pointer (&self->bad);
  g_autoptr(GHashTable) open_chunks = g_steal_pointer (&self->open_chunks);
  GHashTableIter iter;
  gpointer value;

  /* The table frees its keys, never its chunks. */
  g_hash_table_iter_init (&iter, open_chunks);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      if (g_cancellable_is_cancelled (self->cancellable))
        status_chunk_free (value);
      else
        send_status_chunk (self, value);
    }
  /* Why they are not updated: applied like a reply (the writer's, after
   * the replies before it); counted in the report already (cut_page()). */
  if (bad->len > 0)
    {
      ApplyJob *job = g_new0 (ApplyJob, 1);
      StatusChunk *chunk = g_new0 (StatusChunk, 1);

      chunk->self = g_object_ref (self);
      chunk->orders = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                             (GDestroyNotify) relay_order_row_free);
      job->chunk = chunk;
      job->statuses = g_hash_table_new (NULL, NULL);
      job->updates = g_steal_pointer (&bad);
      job->counted = TRUE;
      job->context = g_main_context_ref (self->context);
      self->pending++;
      self->orders_left++;
      queue_apply_job (self, job);
    }
  start_refills (self);
  release_orders (self);
}

/* Cuts one page of active orders into chunks of at most 100 of one
 * provider, each sent as soon as it is full (@page is taken). */
static void
cut_page (RelaySync *self, GPtrArray *page)
{
  g_ptr_array_set_free_func (page, NULL);
  for (guint i = 0; i < page->len; i++)
    {
      RelayOrderRow *order = g_ptr_array_index (page, i);
      StatusChunk *chunk;

      if (order->provider_order_id == NULL)
        {
          relay_order_row_free (order);
          continue;
        }
      if (!relay_provider_id_is_valid (order->provider_order_id))
        {
          /* One such id would make the whole request of 100 refused: it is
           * left out, and the order says why it is not updated. */
          RelayStatusUpdate *update = g_new0 (RelayStatusUpdate, 1);

          update->order_id = order->id;
          update->error = g_strdup_printf (_("not updated: the provider's order id “%s” "
                                             "is not one a status can be asked for"),
                                           order->provider_order_id);
          g_ptr_array_add (self->bad, update);
          note_not_updated (self, order->id, update->error);
          relay_order_row_free (order);
          continue;
        }
      chunk = g_hash_table_lookup (self->open_chunks, &order->provider_id);
      if (chunk == NULL)
        {
          chunk = g_new0 (StatusChunk, 1);
          chunk->self = g_object_ref (self);
          chunk->provider_id = order->provider_id;
          chunk->orders = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                 (GDestroyNotify) relay_order_row_free);
          g_hash_table_insert (self->open_chunks,
                               g_memdup2 (&order->provider_id, sizeof (gint64)), chunk);
        }
      if (g_hash_table_contains (chunk->orders, order->provider_order_id))
        {
          relay_order_row_free (order);   /* two local orders with one provider id */
          continue;
        }
      g_hash_table_insert (chunk->orders, order->provider_order_id, order);
      if (g_hash_table_size (chunk->orders) == RELAY_PROVIDER_MAX_IDS)
        {
          g_hash_table_remove (self->open_chunks, &order->provider_id);
          send_status_chunk (self, chunk);
        }
    }
  g_ptr_array_unref (page);
}

static void
page_job_free (PageJob *job)
{
  g_clear_pointer (&job->page, g_ptr_array_unref);
  g_clear_pointer (&job->provider_ids, g_array_unref);
  g_clear_error (&job->error);
  g_main_context_unref (job->context);
  g_object_unref (job->self);
  g_free (job);
}

/* On the run's thread, with a page read: the next one is asked for at once
 * (read while this one is cut and sent), unless this was the last one or
 * enough requests are in flight already (then release() asks for it). */
static gboolean
page_read (gpointer data)
{
  PageJob *job = data;
  RelaySync *self = job->self;

  self->page_asked = FALSE;
  if (job->page == NULL)
    {
      g_warning ("Could not read the active orders: %s", job->error->message);
      end_orders (self);
    }
  else if (g_cancellable_is_cancelled (self->cancellable))
    end_orders (self);
  else
    {
      gboolean last = job->page->len < ACTIVE_PAGE;

      if (job->page->len > 0)
        self->after_id = ((RelayOrderRow *) g_ptr_array_index (job->page,
                                                               job->page->len - 1))->id;
      if (!last && may_read (self))
        ask_page (self);
      else if (!last)
        self->reading_held = TRUE;
      cut_page (self, g_steal_pointer (&job->page));
      if (last)
        end_orders (self);
    }
  page_job_free (job);
  return G_SOURCE_REMOVE;
}

/* The reader thread: one page, through its own connection. */
static void
read_page_run (gpointer data, gpointer user_data)
{
  PageJob *job = data;
  RelaySync *self = user_data;

  if (self->reader_store == NULL && self->reader_error == NULL)
    self->reader_store = relay_store_open (relay_store_get_path (self->store),
                                           &self->reader_error);
  if (self->reader_store == NULL)
    job->error = g_error_copy (self->reader_error);
  else if (job->refills)
    read_refills (self->reader_store, job);
  else
    job->page = relay_store_list_active_page (self->reader_store, job->after_id, ACTIVE_PAGE,
                                              &job->error);
  invoke_on (job->context, G_PRIORITY_DEFAULT_IDLE, job->refills ? refills_read : page_read, job);
}

/* A book in memory: the page is read in an idle of the run's thread, below
 * GTK's redraw and layout (the window keeps painting between pages). */
static gboolean
read_page_here (gpointer data)
{
  PageJob *job = data;

  job->page = relay_store_list_active_page (job->self->store, job->after_id, ACTIVE_PAGE,
                                            &job->error);
  return page_read (job);
}

/* Asks for the page of active orders after the last one read. */
static void
ask_page (RelaySync *self)
{
  PageJob *job = g_new0 (PageJob, 1);

  g_assert (!self->page_asked);
  job->self = g_object_ref (self);
  job->after_id = self->after_id;
  job->context = g_main_context_ref (self->context);
  self->page_asked = TRUE;
  if (self->reader != NULL)
    g_thread_pool_push (self->reader, job, NULL);
  else
    invoke_on (self->context, G_PRIORITY_DEFAULT_IDLE, read_page_here, job);
}

/* Reads the active orders a page at a time, cut into chunks of at most 100
 * of one provider, each sent as soon as it is full. */
static void
start_orders (RelaySync *self)
{
  self->pending++;   /* held while the orders are being read */
  self->orders_left++;
  self->after_id = 0;
  self->reading_held = FALSE;
  self->open_chunks = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->bad = g_ptr_array_new_with_free_func (free_update);
  if (self->reader == NULL && relay_store_is_shared (self->store))
    self->reader = g_thread_pool_new (read_page_run, self, 1, FALSE, NULL);
  ask_page (self);
}

/* ---- refills ---- */

static void
refill_chunk_free (RefillChunk *chunk)
{
  g_hash_table_unref (chunk->refills);
  g_object_unref (chunk->self);
  g_free (chunk);
}

/* One refill whose status a reply changed: what was read, what to write. */
typedef struct
{
  gint64  refill_id;
  gint64  order_id;
  char   *seen_status;
  char   *seen_error;
  char   *status;
  char   *error;
} RefillItem;

/* The refills of one reply, written through the pool (on the main
 * connection or a worker's: only read there, never shared). */
typedef struct
{
  RelaySync  *self;          /* a reference, the run's thread's */
  RelayStore *main_store;    /* to tell the main connection from a worker's */
  GArray     *items;         /* RefillItem */
  /* Set by the write: */
  gboolean    in_place;      /* on the main connection: its signals told the views */
  GArray     *changed;       /* the orders of the refills written */
  guint       n_refused;     /* refills the book refused (gone, ...) */
  char       *refused;       /* the first one's error */
} RefillWrite;

static void
refill_item_clear (RefillItem *item)
{
  g_free (item->seen_status);
  g_free (item->seen_error);
  g_free (item->status);
  g_free (item->error);
}

static void
refill_write_free (RefillWrite *write)
{
  g_array_unref (write->items);
  g_array_unref (write->changed);
  g_free (write->refused);
  g_object_unref (write->self);
  g_free (write);
}

/* Through @store (either connection): each refill guarded on what the run
 * read, so that one written later than asked never overwrites a newer
 * status.  Fails only when another connection holds the book: on the main
 * connection that sends it to a worker, which writes it all again (a refill
 * written already is then left alone: it changed). */
static gboolean
write_refills (RelayStore *store, gpointer data, gboolean *out_written, GError **error)
{
  RefillWrite *write = data;

  write->in_place = store == write->main_store;
  g_array_set_size (write->changed, 0);
  write->n_refused = 0;
  g_clear_pointer (&write->refused, g_free);
  for (guint i = 0; i < write->items->len; i++)
    {
      RefillItem *item = &g_array_index (write->items, RefillItem, i);
      g_autoptr(GError) local_error = NULL;
      gboolean written = FALSE;

      if (!relay_store_update_refill_status (store, item->refill_id, item->seen_status,
                                             item->seen_error, item->status, item->error,
                                             &written, &local_error))
        {
          if (relay_store_was_busy (store))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          if (write->n_refused++ == 0)
            write->refused = g_strdup_printf ("refill %" PRId64 ": %s", item->refill_id,
                                              local_error->message);
          continue;
        }
      if (written)
        g_array_append_val (write->changed, item->order_id);
    }
  /* Orders, not a provider's row: no ::catalog-changed. */
  *out_written = FALSE;
  return TRUE;
}

/* Back on the run's thread: what a worker wrote announced, a failure
 * counted, and the reply's share of the run released. */
static void
refills_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  RefillWrite *write = user_data;
  RelaySync *self = write->self;
  g_autoptr(GError) error = NULL;

  if (!relay_client_pool_write_finish (RELAY_CLIENT_POOL (source), result, &error))
    {
      g_warning ("Could not record the status of %u refills (the next refresh asks again): %s",
                 write->items->len - write->changed->len, error->message);
      self->report->n_errors++;
    }
  if (write->n_refused > 0)
    g_warning ("Could not record %u refills: %s", write->n_refused, write->refused);
  if (!write->in_place && write->changed->len > 0)
    relay_announcer_add (self->announcer, write->changed, FALSE);
  release (self);
  refill_write_free (write);
}

/* Records one refill_status reply (@statuses taken): the refills it changed,
 * through the pool's writes; released once they are in. */
static void
record_refill_reply (RelaySync *self, RefillChunk *chunk, GPtrArray *statuses_in)
{
  g_autoptr(GPtrArray) statuses = statuses_in;
  RefillWrite *write = g_new0 (RefillWrite, 1);

  write->self = g_object_ref (self);
  write->main_store = self->store;
  write->items = g_array_new (FALSE, TRUE, sizeof (RefillItem));
  g_array_set_clear_func (write->items, (GDestroyNotify) refill_item_clear);
  write->changed = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint i = 0; statuses != NULL && i < statuses->len; i++)
    {
      RelayProviderRefillStatus *status = g_ptr_array_index (statuses, i);
      RelayRefillRow *refill = g_hash_table_lookup (chunk->refills, status->refill_id);
      RefillItem item = { 0 };

      if (refill == NULL)
        continue;
      if (g_strcmp0 (refill->status, status->status_word) == 0 &&
          g_strcmp0 (refill->error, status->error) == 0)
        continue;
      item.refill_id = refill->id;
      item.order_id = refill->order_id;
      item.seen_status = g_strdup (refill->status);
      item.seen_error = g_strdup (refill->error);
      item.status = g_strdup (status->status_word ? status->status_word : refill->status);
      item.error = g_strdup (status->error);
      g_array_append_val (write->items, item);
    }
  refill_chunk_free (chunk);
  if (write->items->len == 0)
    {
      refill_write_free (write);
      release (self);
      return;
    }
  relay_client_pool_write_async (self->clients, 0, write_refills, write, NULL,
                                 refills_written, write);
}

static void
record_refill_replies (RelaySync *self)
{
  g_autoptr(GPtrArray) replies = g_steal_pointer (&self->refill_replies);

  self->refill_replies = g_ptr_array_new ();
  for (guint i = 0; replies != NULL && i < replies->len; i++)
    {
      RefillReply *reply = g_ptr_array_index (replies, i);

      record_refill_reply (self, reply->chunk, reply->statuses);
      g_free (reply);
    }
}

static void
refill_statuses_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  RefillChunk *chunk = user_data;
  RelaySync *self = chunk->self;
  g_autoptr(GError) error = NULL;
  GPtrArray *statuses;
  RefillReply *reply;

  statuses = relay_provider_client_refill_statuses_finish (RELAY_PROVIDER_CLIENT (source),
                                                           result, &error);
  if (statuses == NULL)
    note_failure (self, chunk->provider_id, error);
  if (self->orders_left == 0)
    {
      record_refill_reply (self, chunk, statuses);
      return;
    }
  reply = g_new0 (RefillReply, 1);
  reply->chunk = chunk;
  reply->statuses = statuses;
  g_ptr_array_add (self->refill_replies, reply);
}

static void
send_refill_chunk (RelaySync *self, RefillChunk *chunk)
{
  g_autoptr(GError) error = NULL;
  g_autofree const char **ids = NULL;
  RelayProviderClient *client;
  guint n = 0;

  if (!self->clients_ready)
    {
      g_ptr_array_add (self->held_refills, chunk);
      return;
    }
  client = relay_client_pool_get (self->clients, chunk->provider_id, NULL, &error);
  if (client == NULL)
    {
      note_failure (self, chunk->provider_id, error);
      refill_chunk_free (chunk);
      return;
    }
  ids = (const char **) g_hash_table_get_keys_as_array (chunk->refills, &n);
  self->pending++;
  self->report->n_requests++;
  relay_provider_client_refill_statuses_async (client, ids, n, self->cancellable,
                                               refill_statuses_done, chunk);
}

/* The refills not final, and the provider of each one's order (0 when the
 * order is gone), read through @store (on the reader thread). */
static void
read_refills (RelayStore *store, PageJob *job)
{
  job->page = relay_store_list_active_refills (store, &job->error);
  if (job->page == NULL)
    return;
  job->provider_ids = g_array_sized_new (FALSE, TRUE, sizeof (gint64), job->page->len);
  for (guint i = 0; i < job->page->len; i++)
    {
      RelayRefillRow *refill = g_ptr_array_index (job->page, i);
      g_autoptr(RelayOrderRow) order = relay_store_get_order (store, refill->order_id, NULL);
      gint64 provider_id = order != NULL ? order->provider_id : 0;

      g_array_append_val (job->provider_ids, provider_id);
    }
}

/* On the run's thread with the refills read: cut into requests of at most
 * 100 of one provider, and sent. */
static gboolean
refills_read (gpointer data)
{
  PageJob *job = data;
  RelaySync *self = job->self;
  GPtrArray *refills = job->page;
  g_autoptr(GHashTable) chunks = provider_table_new ();   /* provider -> RefillChunk */
  GHashTableIter iter;
  gpointer value;

  if (refills == NULL)
    g_warning ("Could not read the refills: %s", job->error->message);
  else
    g_ptr_array_set_free_func (refills, NULL);
  for (guint i = 0; refills != NULL && i < refills->len; i++)
    {
      RelayRefillRow *refill = g_ptr_array_index (refills, i);
      gint64 provider_id = g_array_index (job->provider_ids, gint64, i);
      RefillChunk *chunk;

      if (provider_id == 0 || refill->provider_refill_id == NULL ||
          *refill->provider_refill_id == '\0')
        {
          relay_refill_row_free (refill);
          continue;
        }
      chunk = g_hash_table_lookup (chunks, &provider_id);
      if (chunk == NULL)
        {
          chunk = g_new0 (RefillChunk, 1);
          chunk->self = g_object_ref (self);
          chunk->provider_id = provider_id;
          chunk->refills = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                  (GDestroyNotify) relay_refill_row_free);
          g_hash_table_insert (chunks, g_memdup2 (&provider_id, sizeof (gint64)), chunk);
        }
      if (g_hash_table_contains (chunk->refills, refill->provider_refill_id))
        {
          relay_refill_row_free (refill);
          continue;
        }
      g_hash_table_insert (chunk->refills, refill->provider_refill_id, refill);
      if (g_hash_table_size (chunk->refills) == RELAY_PROVIDER_MAX_IDS)
        {
          g_hash_table_remove (chunks, &provider_id);
          send_refill_chunk (self, chunk);
        }
    }
  g_hash_table_iter_init (&iter, chunks);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    send_refill_chunk (self, value);
  release (self);
  page_job_free (job);
  return G_SOURCE_REMOVE;
}

/* Reads the refills not final (on the reader thread, or here for a book in
 * memory), then asks their providers about them. */
static void
start_refills (RelaySync *self)
{
  PageJob *job = g_new0 (PageJob, 1);

  self->pending++;   /* held while the refills are being read */
  job->self = g_object_ref (self);
  job->refills = TRUE;
  job->context = g_main_context_ref (self->context);
  if (self->reader != NULL)
    {
      g_thread_pool_push (self->reader, job, NULL);
      return;
    }
  read_refills (self->store, job);
  refills_read (job);
}

/* ---- the object ---- */

static void
relay_sync_dispose (GObject *object)
{
  RelaySync *self = RELAY_SYNC (object);

  g_clear_object (&self->clients);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (relay_sync_parent_class)->dispose (object);
}

static void
relay_sync_finalize (GObject *object)
{
  RelaySync *self = RELAY_SYNC (object);

  /* No job is left: each holds a reference to the sync until it is done. */
  if (self->reader != NULL)
    g_thread_pool_free (self->reader, FALSE, TRUE);
  g_clear_object (&self->reader_store);
  g_clear_error (&self->reader_error);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->announcer, relay_announcer_unref);
  if (self->writer != NULL)
    g_thread_pool_free (self->writer, FALSE, TRUE);
  g_clear_object (&self->writer_store);
  g_clear_error (&self->writer_error);
  g_clear_pointer (&self->writer_jobs, g_ptr_array_unref);
  g_mutex_clear (&self->writer_lock);
  g_clear_pointer (&self->open_chunks, g_hash_table_unref);
  g_clear_pointer (&self->bad, g_ptr_array_unref);
  g_clear_pointer (&self->held_orders, g_ptr_array_unref);
  g_clear_pointer (&self->held_refills, g_ptr_array_unref);
  g_clear_pointer (&self->refill_replies, g_ptr_array_unref);
  g_clear_pointer (&self->waiters, g_ptr_array_unref);
  g_clear_pointer (&self->report, relay_sync_report_free);
  G_OBJECT_CLASS (relay_sync_parent_class)->finalize (object);
}

static void
relay_sync_class_init (RelaySyncClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = relay_sync_dispose;
  G_OBJECT_CLASS (klass)->finalize = relay_sync_finalize;
}

static void
relay_sync_init (RelaySync *self)
{
  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->writer_jobs = g_ptr_array_new ();
  g_mutex_init (&self->writer_lock);
}

RelaySync *
relay_sync_new (RelayClientPool *clients)
{
  RelaySync *self;

  g_return_val_if_fail (RELAY_IS_CLIENT_POOL (clients), NULL);

  self = g_object_new (RELAY_TYPE_SYNC, NULL);
  self->clients = g_object_ref (clients);
  self->store = g_object_ref (relay_client_pool_get_store (clients));
  return self;
}

static void
caller_cancelled (GCancellable *cancellable, gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

void
relay_sync_run_async (RelaySync           *self,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (RELAY_IS_SYNC (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_sync_run_async);
  g_ptr_array_add (self->waiters, task);
  if (self->report != NULL)
    return;   /* joins the run in progress */

  self->report = g_new0 (RelaySyncReport, 1);
  self->report->changes = g_array_new (FALSE, FALSE, sizeof (RelayStatusChange));
  self->cancellable = g_cancellable_new ();
  g_clear_pointer (&self->context, g_main_context_unref);
  self->context = g_main_context_ref_thread_default ();
  /* The last run's said everything before it ended. */
  g_clear_pointer (&self->announcer, relay_announcer_unref);
  self->announcer = relay_announcer_new (self->store, ANNOUNCE_INTERVAL_MS, self->context);
  if (cancellable != NULL)
    {
      self->caller_cancellable = g_object_ref (cancellable);
      self->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled),
                                                    g_object_ref (self->cancellable),
                                                    g_object_unref);
    }
  /* A dead process's "sending" orders go to review (B: sender lease). */
  relay_store_reap_dead_senders (self->store, NULL);
  g_object_ref (self);
  self->pending = 1;   /* held until the keys are read (clients_loaded) */
  self->clients_ready = FALSE;
  self->orders_left = 0;
  g_clear_pointer (&self->refill_replies, g_ptr_array_unref);
  self->refill_replies = g_ptr_array_new ();
  g_clear_pointer (&self->held_orders, g_ptr_array_unref);
  g_clear_pointer (&self->held_refills, g_ptr_array_unref);
  self->held_orders = g_ptr_array_new ();
  self->held_refills = g_ptr_array_new ();
  relay_client_pool_load_async (self->clients, self->cancellable, clients_loaded,
                                g_object_ref (self));
  start_orders (self);
  g_object_unref (self);
}

RelaySyncReport *
relay_sync_run_finish (RelaySync *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
relay_sync_is_running (RelaySync *self)
{
  g_return_val_if_fail (RELAY_IS_SYNC (self), FALSE);
  return self->report != NULL;
}

void
relay_sync_stop (RelaySync *self)
{
  g_return_if_fail (RELAY_IS_SYNC (self));
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

gint64
relay_sync_get_last_run (RelaySync *self)
{
  g_return_val_if_fail (RELAY_IS_SYNC (self), 0);
  return self->last_run;
}
