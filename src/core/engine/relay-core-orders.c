/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayCore: checking and recording new orders, one by one or by the mass. */
#include "config.h"

#include "relay-core-private.h"
#include "relay-error.h"
#include "relay-money.h"

#include <errno.h>
#include <inttypes.h>
#include <glib/gi18n-lib.h>

/* My services looked up once per batch. */
typedef struct
{
  RelayStore *store;
  GHashTable *services;   /* id -> RelayServiceRow, or a NULL value when unknown */
  gint64      last_id;    /* the last service found, asked again line after line */
  const RelayServiceRow *last_row;   /* in @services; NULL: none yet */
} ServiceCache;

static void
service_cache_init (ServiceCache *cache, RelayStore *store)
{
  cache->store = store;
  cache->services = relay_int64_table_new ((GDestroyNotify) relay_service_row_free);
  cache->last_id = 0;
  cache->last_row = NULL;
}

static void
service_cache_clear (ServiceCache *cache)
{
  g_clear_pointer (&cache->services, g_hash_table_unref);
}

static const RelayServiceRow *
service_cache_get (ServiceCache *cache, gint64 id, GError **error)
{
  RelayServiceRow *row;

  if (cache->last_row != NULL && cache->last_id == id)
    return cache->last_row;
  if (g_hash_table_lookup_extended (cache->services, &id, NULL, (gpointer *) &row))
    {
      if (row == NULL)
        g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_UNKNOWN_SERVICE,
                     _("there is no service %" PRId64 " among your services"), id);
      return row;
    }
  row = relay_store_get_service (cache->store, id, NULL);
  relay_int64_table_insert (cache->services, id, row);
  if (row == NULL)
    g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_UNKNOWN_SERVICE,
                 _("there is no service %" PRId64 " among your services"), id);
  else
    {
      cache->last_id = id;
      cache->last_row = row;
    }
  return row;
}

GArray *
relay_core_place_orders (RelayCore   *self,
                         GPtrArray   *drafts,
                         const char  *source,
                         GError     **error)
{
  ServiceCache cache;
  g_autoptr(GPtrArray) checked = g_ptr_array_new_with_free_func (g_free);
  GArray *ids = NULL;

  g_return_val_if_fail (RELAY_IS_CORE (self), NULL);
  g_return_val_if_fail (drafts != NULL, NULL);

  service_cache_init (&cache, relay_core_get_store (self));
  for (guint i = 0; i < drafts->len; i++)
    {
      const RelayOrderDraft *draft = g_ptr_array_index (drafts, i);
      const RelayServiceRow *service;
      g_autoptr(RelayOrderExtras) extras = NULL;
      g_autoptr(GError) local_error = NULL;
      RelayOrderDraft *copy;

      service = service_cache_get (&cache, draft->service_id, &local_error);
      if (service != NULL)
        extras = relay_order_extras_from_json (draft->extra_json, &local_error);
      if (local_error == NULL)
        relay_order_check (service, draft->link, draft->quantity, extras,
                           draft->runs, draft->interval, &local_error);
      if (local_error != NULL)
        {
          if (drafts->len == 1)
            g_propagate_error (error, g_steal_pointer (&local_error));
          else
            g_set_error (error, local_error->domain, local_error->code,
                         _("Order %u of %u: %s"), i + 1, drafts->len, local_error->message);
          service_cache_clear (&cache);
          return NULL;
        }
      copy = g_memdup2 (draft, sizeof *draft);
      copy->quantity = relay_order_effective_quantity (service->primary->type,
                                                       draft->quantity, extras);
      g_ptr_array_add (checked, copy);
    }
  service_cache_clear (&cache);

  ids = relay_store_insert_orders (relay_core_get_store (self), checked,
                                   source ? source : "user", error);
  return ids;
}

gboolean
relay_core_approve_order (RelayCore *self, gint64 order_id, GError **error)
{
  RelayStore *store = relay_core_get_store (self);
  g_autoptr(RelayOrderRow) order = NULL;

  g_return_val_if_fail (RELAY_IS_CORE (self), FALSE);

  order = relay_store_get_order (store, order_id, error);
  if (order == NULL)
    return FALSE;
  if (order->status != RELAY_ORDER_NEEDS_REVIEW ||
      g_strcmp0 (order->review_reason, RELAY_REVIEW_AWAITING_APPROVAL) != 0)
    {
      g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_STATE,
                   _("Order %" PRId64 " is not waiting for approval; an order whose "
                     "outcome is unknown is settled as placed or not placed"), order_id);
      return FALSE;
    }
  return relay_store_review_not_placed (store, order_id, TRUE, error);
}

/* ---- mass orders ---- */

static void
relay_mass_item_free (RelayMassItem *item)
{
  g_clear_pointer (&item->line, relay_mass_line_free);
  g_clear_pointer (&item->error, g_free);
  g_free (item);
}

void
relay_mass_plan_free (RelayMassPlan *plan)
{
  if (plan == NULL)
    return;
  g_clear_pointer (&plan->items, g_ptr_array_unref);
  g_clear_pointer (&plan->services, g_hash_table_unref);
  g_clear_pointer (&plan->currency, g_free);
  g_free (plan);
}

static gboolean
parse_service_id (const char *text, gint64 *out)
{
  char *end = NULL;
  gint64 value = 0;
  gsize n;

  /* Up to 18 digits alone (what nearly every line has) cannot overflow:
   * read here, with what g_ascii_strtoll() would give. */
  for (n = 0; n < 18 && g_ascii_isdigit (text[n]); n++)
    value = value * 10 + (text[n] - '0');
  if (n > 0 && text[n] == '\0')
    {
      if (value <= 0)
        return FALSE;
      *out = value;
      return TRUE;
    }

  errno = 0;
  value = g_ascii_strtoll (text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || value <= 0)
    return FALSE;
  *out = value;
  return TRUE;
}

/* The client named @name, looked up once per batch; NULL with @error when unknown. */
static gint64
client_cache_get (GHashTable *clients, RelayStore *store, const char *name, GError **error)
{
  g_autoptr(RelayClientRow) row = NULL;
  g_autoptr(GError) local_error = NULL;
  gpointer value;

  /* The table holds the id, or NULL for a name known not to exist. */
  if (g_hash_table_lookup_extended (clients, name, NULL, &value))
    {
      if (value == NULL)
        g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID,
                     _("there is no client named “%s”; add the client first"), name);
      return value != NULL ? *(gint64 *) value : 0;
    }
  row = relay_store_find_client (store, name, &local_error);
  if (row == NULL && !g_error_matches (local_error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));   /* the book, not the name */
      return 0;
    }
  if (row == NULL)
    {
      g_hash_table_insert (clients, g_strdup (name), NULL);
      g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID,
                   _("there is no client named “%s”; add the client first"), name);
      return 0;
    }
  g_hash_table_insert (clients, g_strdup (name), g_memdup2 (&row->id, sizeof row->id));
  return row->id;
}

static RelayMassPlan *plan_mass_lines (RelayStore *store, GPtrArray *lines);

RelayMassPlan *
relay_core_plan_mass_order (RelayCore *self, const char *text, GError **error)
{
  g_autoptr(GPtrArray) lines = NULL;

  g_return_val_if_fail (RELAY_IS_CORE (self), NULL);

  lines = relay_mass_parse (text ? text : "");
  return plan_mass_lines (relay_core_get_store (self), lines);
}

RelayMassPlan *
relay_core_plan_mass_order_csv (RelayCore *self, const char *text, gssize len, GError **error)
{
  g_autoptr(GPtrArray) lines = NULL;

  g_return_val_if_fail (RELAY_IS_CORE (self), NULL);

  lines = relay_csv_parse_mass (text ? text : "", text ? len : 0, error);
  if (lines == NULL)
    return NULL;
  return plan_mass_lines (relay_core_get_store (self), lines);
}

/* A plan made on a worker: the text (owned) and how to read it. */
typedef struct
{
  char     *text;
  gboolean  csv;
} PlanJob;

static void
plan_job_free (PlanJob *job)
{
  g_free (job->text);
  g_free (job);
}

static gpointer
plan_read (RelayStore *store, gpointer data, GError **error)
{
  PlanJob *job = data;
  g_autoptr(GPtrArray) lines = NULL;

  if (job->csv)
    lines = relay_csv_parse_mass (job->text, -1, error);
  else
    lines = relay_mass_parse (job->text);
  if (lines == NULL)
    return NULL;
  return plan_mass_lines (store, lines);
}

void
relay_core_plan_mass_order_async (RelayCore           *self,
                                  const char          *text,
                                  gboolean             csv,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PlanJob *job;

  g_return_if_fail (RELAY_IS_CORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_core_plan_mass_order_async);
  job = g_new0 (PlanJob, 1);
  job->text = g_strdup (text ? text : "");
  job->csv = csv;
  relay_core_read_in_worker (self, task, plan_read, job, (GDestroyNotify) plan_job_free,
                             (GDestroyNotify) relay_mass_plan_free);
}

RelayMassPlan *
relay_core_plan_mass_order_finish (RelayCore     *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Checks each of @lines (taken: the plan's items own them) against @store. */
static RelayMassPlan *
plan_mass_lines (RelayStore *store, GPtrArray *lines)
{
  g_autoptr(GHashTable) clients = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  RelayMassPlan *plan;
  ServiceCache cache;

  g_ptr_array_set_free_func (lines, NULL);
  plan = g_new0 (RelayMassPlan, 1);
  plan->items = g_ptr_array_new_full (lines->len, (GDestroyNotify) relay_mass_item_free);
  service_cache_init (&cache, store);

  for (guint i = 0; i < lines->len; i++)
    {
      RelayMassItem *item = g_new0 (RelayMassItem, 1);
      const RelayServiceRow *service = NULL;
      g_autoptr(GError) local_error = NULL;
      gint64 service_id = 0;

      item->line = g_ptr_array_index (lines, i);   /* the item owns it now */
      g_ptr_array_add (plan->items, item);

      if (item->line->error != NULL)
        {
          item->error = g_strdup (item->line->error);
          plan->n_bad++;
          continue;
        }
      if (!parse_service_id (item->line->service, &service_id))
        {
          item->error = g_strdup_printf (_("“%s” is not a service id"), item->line->service);
          plan->n_bad++;
          continue;
        }
      if (item->line->client != NULL)
        item->client_id = client_cache_get (clients, store, item->line->client, &local_error);
      if (local_error == NULL)
        service = service_cache_get (&cache, service_id, &local_error);
      if (service != NULL)
        relay_order_check (service, item->line->link, item->line->quantity, NULL,
                           item->line->runs, item->line->interval, &local_error);
      if (local_error != NULL)
        {
          item->error = g_strdup (local_error->message);
          plan->n_bad++;
          continue;
        }
      item->line->quantity = relay_order_effective_quantity (service->primary->type,
                                                             item->line->quantity, NULL);
      /* Checked: a line whose price or whose share of the total cannot be
       * counted is a bad line, with the reason. */
      /* A drip-feed line is charged for every run; relay_order_check() has
       * bounded quantity × runs by RELAY_ORDER_MAX_UNITS. */
      if (!relay_money_for_quantity (service->price,
                                     item->line->quantity * MAX (item->line->runs, 1),
                                     &item->price, &local_error) ||
          !relay_money_add (plan->total, item->price, &plan->total, &local_error))
        {
          item->price = 0;
          item->error = g_strdup (local_error->message);
          plan->n_bad++;
          continue;
        }
      item->service = (RelayServiceRow *) service;
      plan->n_good++;
      if (plan->currency == NULL && service->currency != NULL)
        plan->currency = g_strdup (service->currency);
    }
  /* The items point into the cache: the plan keeps it. */
  plan->services = g_steal_pointer (&cache.services);
  return plan;
}

/* The drafts of @plan's good lines; the links are borrowed from @plan. */
static GPtrArray *
mass_drafts (RelayMassPlan  *plan,
             gint64          client_id,
             GError        **error)
{
  g_autoptr(GPtrArray) drafts = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < plan->items->len; i++)
    {
      RelayMassItem *item = g_ptr_array_index (plan->items, i);
      RelayOrderDraft *draft;

      if (item->error != NULL)
        continue;
      draft = g_new0 (RelayOrderDraft, 1);
      draft->service_id = item->service->id;
      draft->client_id = item->client_id != 0 ? item->client_id : client_id;
      draft->link = item->line->link;
      draft->quantity = item->line->quantity;
      draft->runs = item->line->runs;
      draft->interval = item->line->interval;
      g_ptr_array_add (drafts, draft);
    }
  if (drafts->len == 0)
    {
      g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID,
                   _("No line of the mass order can be sent"));
      return NULL;
    }
  return g_steal_pointer (&drafts);
}

GArray *
relay_core_submit_mass_order (RelayCore      *self,
                              RelayMassPlan  *plan,
                              gint64          client_id,
                              GError        **error)
{
  g_autoptr(GPtrArray) drafts = NULL;

  g_return_val_if_fail (RELAY_IS_CORE (self), NULL);
  g_return_val_if_fail (plan != NULL, NULL);

  drafts = mass_drafts (plan, client_id, error);
  if (drafts == NULL)
    return NULL;
  return relay_store_insert_orders (relay_core_get_store (self), drafts, "mass-order", error);
}

/* One mass order recorded on a thread. */
typedef struct
{
  char      *db_path;
  GPtrArray *drafts;          /* RelayOrderDraft*, links in @links */
  GPtrArray *links;           /* char*, owned */
  gboolean   ledger_changed;
} SubmitJob;

static void
submit_job_free (SubmitJob *job)
{
  g_free (job->db_path);
  g_ptr_array_unref (job->drafts);
  g_ptr_array_unref (job->links);
  g_free (job);
}

static void
submit_thread (GTask        *task,
               gpointer      source,
               gpointer      data,
               GCancellable *cancellable)
{
  SubmitJob *job = data;
  g_autoptr(RelayStore) store = NULL;
  g_autoptr(GError) error = NULL;
  GArray *ids;

  if (g_task_return_error_if_cancelled (task))
    return;
  store = relay_store_open (job->db_path, &error);
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  ids = relay_store_insert_orders_quiet (store, job->drafts, "mass-order", &job->ledger_changed,
                                         &error);
  if (ids == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, ids, (GDestroyNotify) g_array_unref);
}

/* Back on the caller's thread: the signals, then the caller's callback. */
static void
submit_written (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RelayCore *self = RELAY_CORE (source);
  SubmitJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  GArray *ids = g_task_propagate_pointer (G_TASK (result), &error);

  if (ids == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  relay_store_notify_changes (relay_core_get_store (self), ids, job->ledger_changed);
  g_task_return_pointer (task, ids, (GDestroyNotify) g_array_unref);
}

void
relay_core_submit_mass_order_async (RelayCore           *self,
                                    RelayMassPlan       *plan,
                                    gint64               client_id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) thread_task = NULL;
  g_autoptr(GError) error = NULL;
  RelayStore *store;
  const char *path;
  SubmitJob *job;

  g_return_if_fail (RELAY_IS_CORE (self));
  g_return_if_fail (plan != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_core_submit_mass_order_async);
  store = relay_core_get_store (self);
  path = relay_store_get_path (store);
  if (!relay_store_is_shared (store))
    {
      /* A second connection would see another book. */
      GArray *ids = relay_core_submit_mass_order (self, plan, client_id, &error);

      if (ids == NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_pointer (task, ids, (GDestroyNotify) g_array_unref);
      return;
    }

  job = g_new0 (SubmitJob, 1);
  job->db_path = g_strdup (path);
  job->links = g_ptr_array_new_with_free_func (g_free);
  job->drafts = mass_drafts (plan, client_id, &error);
  if (job->drafts == NULL)
    {
      job->drafts = g_ptr_array_new ();
      submit_job_free (job);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* The plan's links are the caller's: copies for the thread. */
  for (guint i = 0; i < job->drafts->len; i++)
    {
      RelayOrderDraft *draft = g_ptr_array_index (job->drafts, i);
      char *link = g_strdup (draft->link);

      g_ptr_array_add (job->links, link);
      draft->link = link;
    }
  /* Cancelling stops a submit that has not started writing; once the lines
   * are recorded, the caller gets their ids (and ::orders-changed), never
   * "cancelled" for orders that are in the book. */
  g_task_set_check_cancellable (task, FALSE);
  thread_task = g_task_new (self, cancellable, submit_written, g_steal_pointer (&task));
  g_task_set_check_cancellable (thread_task, FALSE);
  g_task_set_source_tag (thread_task, relay_core_submit_mass_order_async);
  g_task_set_task_data (thread_task, job, (GDestroyNotify) submit_job_free);
  g_task_run_in_thread (thread_task, submit_thread);
}

GArray *
relay_core_submit_mass_order_finish (RelayCore     *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

char *
relay_mass_order_describe_too_large (const char *name,
                                     guint64     size)
{
  g_autofree char *size_text = g_format_size (size);
  g_autofree char *max_text = g_format_size (RELAY_MASS_ORDER_MAX_BYTES);

  /* TRANSLATORS: "big.csv is 17.2 MB; a file of orders can be at most 16.0 MB" */
  return g_strdup_printf (_("%s is %s; a file of orders can be at most %s"), name, size_text,
                          max_text);
}
