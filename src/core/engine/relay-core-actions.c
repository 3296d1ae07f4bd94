/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayCore: refill and cancel requests, batched per provider. */
#include "config.h"

#include "relay-core-private.h"
#include "relay-error.h"

#include <glib/gi18n-lib.h>

typedef struct
{
  gboolean   cancel;        /* TRUE: cancel; FALSE: refill */
  GPtrArray *results;       /* RelayActionResult*, in the caller's order */
  guint      pending;       /* requests in flight */
} ActionData;

/* One request: up to RELAY_PROVIDER_MAX_IDS orders of one provider. */
typedef struct
{
  GTask      *task;         /* borrowed; the action's task holds itself while pending */
  gint64      provider_id;
  GPtrArray  *provider_ids; /* char*, the provider's order ids */
  GArray     *indexes;      /* guint, index into ActionData.results */
} Chunk;

void
relay_action_result_free (RelayActionResult *result)
{
  if (result == NULL)
    return;
  g_free (result->message);
  g_free (result);
}

static void
action_data_free (ActionData *data)
{
  g_clear_pointer (&data->results, g_ptr_array_unref);
  g_free (data);
}

static void
chunk_free (Chunk *chunk)
{
  g_ptr_array_unref (chunk->provider_ids);
  g_array_unref (chunk->indexes);
  g_free (chunk);
}

static void
set_result (RelayActionResult *result, gboolean ok, const char *message)
{
  result->ok = ok;
  g_free (result->message);
  result->message = g_strdup (message);
}

static void
finish_if_done (GTask *task)
{
  ActionData *data = g_task_get_task_data (task);

  if (data->pending > 0)
    return;
  g_task_return_pointer (task, g_ptr_array_ref (data->results),
                         (GDestroyNotify) g_ptr_array_unref);
  g_object_unref (task);
}

/* Records what the provider answered for one order. */
static void
apply_item (RelayCore          *self,
            ActionData         *data,
            RelayActionResult  *result,
            const char         *result_id,
            const char         *error_text)
{
  RelayStore *store = relay_core_get_store (self);
  g_autofree char *detail = NULL;

  if (error_text != NULL)
    {
      detail = data->cancel
        ? g_strdup_printf (_("Cancel refused by the provider: %s"), error_text)
        : g_strdup_printf (_("Refill refused by the provider: %s"), error_text);
      set_result (result, FALSE, error_text);
    }
  else if (data->cancel)
    {
      detail = g_strdup (_("Cancel requested; the provider accepted it"));
      set_result (result, TRUE, _("cancel requested"));
    }
  else
    {
      detail = g_strdup_printf (_("Refill requested (refill %s)"), result_id ? result_id : "?");
      relay_store_add_refill (store, result->order_id, result_id ? result_id : "", NULL);
      set_result (result, TRUE, result_id ? result_id : "");
    }
  relay_store_add_order_note (store, result->order_id, "user", detail, NULL);
}

static void
chunk_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  Chunk *chunk = user_data;
  GTask *task = chunk->task;
  RelayCore *self = g_task_get_source_object (task);
  ActionData *data = g_task_get_task_data (task);
  RelayProviderClient *client = RELAY_PROVIDER_CLIENT (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autofree char *single_id = NULL;

  if (data->cancel)
    items = relay_provider_client_cancel_finish (client, res, &error);
  else if (chunk->provider_ids->len == 1)
    single_id = relay_provider_client_refill_finish (client, res, &error);
  else
    items = relay_provider_client_refills_finish (client, res, &error);

  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      error->code != RELAY_PROVIDER_ERROR_REJECTED)
    relay_core_note_provider (self, chunk->provider_id, error);
  else if (error == NULL)
    relay_core_note_provider (self, chunk->provider_id, NULL);

  for (guint i = 0; i < chunk->indexes->len; i++)
    {
      guint index = g_array_index (chunk->indexes, guint, i);
      const char *provider_order_id = g_ptr_array_index (chunk->provider_ids, i);
      RelayActionResult *result = g_ptr_array_index (data->results, index);
      RelayProviderItemResult *found = NULL;

      if (error != NULL)
        {
          /* A rejected single refill is about that order: keep it in its history. */
          if (error->domain == RELAY_PROVIDER_ERROR && error->code == RELAY_PROVIDER_ERROR_REJECTED)
            apply_item (self, data, result, NULL, error->message);
          else
            set_result (result, FALSE, error->message);
          continue;
        }
      if (single_id != NULL)
        {
          apply_item (self, data, result, single_id, NULL);
          continue;
        }
      for (guint j = 0; items != NULL && j < items->len; j++)
        {
          RelayProviderItemResult *item = g_ptr_array_index (items, j);
          if (g_strcmp0 (item->order_id, provider_order_id) == 0)
            {
              found = item;
              break;
            }
        }
      if (found == NULL)
        set_result (result, FALSE, _("the provider did not answer for this order"));
      else
        apply_item (self, data, result, found->result_id, found->error);
    }

  data->pending--;
  chunk_free (chunk);
  finish_if_done (task);
}

/* The chunk's provider's client is there (its key read off the main loop). */
static void
chunk_client_ready (GObject *source, GAsyncResult *res, gpointer user_data)
{
  Chunk *chunk = user_data;
  GTask *task = chunk->task;
  ActionData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(RelayProviderClient) client = NULL;
  g_autoptr(GError) error = NULL;
  const char * const *ids = (const char * const *) chunk->provider_ids->pdata;
  guint n = chunk->provider_ids->len;

  client = relay_core_get_client_finish (RELAY_CORE (source), res, &error);
  if (client == NULL)
    {
      for (guint i = 0; i < chunk->indexes->len; i++)
        set_result (g_ptr_array_index (data->results, g_array_index (chunk->indexes, guint, i)),
                    FALSE, error->message);
      data->pending--;
      chunk_free (chunk);
      finish_if_done (task);
      return;
    }
  if (data->cancel)
    relay_provider_client_cancel_async (client, ids, n, cancellable, chunk_done, chunk);
  else if (n == 1)
    relay_provider_client_refill_async (client, ids[0], cancellable, chunk_done, chunk);
  else
    relay_provider_client_refills_async (client, ids, n, cancellable, chunk_done, chunk);
}

static void
send_chunk (RelayCore *self, GTask *task, Chunk *chunk)
{
  ActionData *data = g_task_get_task_data (task);

  data->pending++;
  chunk->task = task;
  relay_core_get_client_async (self, chunk->provider_id, NULL, chunk_client_ready, chunk);
}

/* Checks one order locally; returns TRUE when it must be asked of its provider.
 * Orders not sent yet are canceled here and now. */
static gboolean
check_order (RelayCore *self, ActionData *data, RelayActionResult *result,
             const RelayOrderRow *order)
{
  RelayStore *store = relay_core_get_store (self);
  g_autoptr(GError) error = NULL;

  if (data->cancel)
    {
      if (order->status == RELAY_ORDER_QUEUED || order->status == RELAY_ORDER_SCHEDULED)
        {
          if (relay_store_cancel_unsent (store, order->id, _("Canceled before it was sent"),
                                         &error))
            set_result (result, TRUE, _("canceled before it was sent"));
          else
            set_result (result, FALSE, error->message);
          return FALSE;
        }
      if (order->status == RELAY_ORDER_NEEDS_REVIEW &&
          g_strcmp0 (order->review_reason, RELAY_REVIEW_AWAITING_APPROVAL) == 0)
        {
          if (relay_store_review_not_placed (store, order->id, FALSE, &error))
            set_result (result, TRUE, _("canceled before it was approved"));
          else
            set_result (result, FALSE, error->message);
          return FALSE;
        }
      if (!relay_order_can_cancel (order))
        {
          if (order->status == RELAY_ORDER_NEEDS_REVIEW)
            set_result (result, FALSE, _("this order needs review first: it may or may not exist at the provider"));
          else if (!relay_order_status_is_active (order->status))
            set_result (result, FALSE, _("only orders that are still running can be canceled"));
          else
            set_result (result, FALSE, _("its service does not allow cancelling"));
          return FALSE;
        }
    }
  else if (!relay_order_can_refill (order))
    {
      if (order->status != RELAY_ORDER_COMPLETED && order->status != RELAY_ORDER_PARTIAL)
        set_result (result, FALSE, _("only completed or partial orders can be refilled"));
      else if (!order->can_refill)
        set_result (result, FALSE, _("its service does not offer refills"));
      else
        set_result (result, FALSE, _("the provider has no id for this order"));
      return FALSE;
    }
  return TRUE;
}

static void
run_action (RelayCore           *self,
            gboolean             cancel,
            const gint64        *order_ids,
            guint                n_ids,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data,
            gpointer             source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  ActionData *data = g_new0 (ActionData, 1);
  g_autoptr(GHashTable) chunks = relay_int64_table_new (NULL);  /* provider -> open Chunk */
  RelayStore *store = relay_core_get_store (self);

  g_task_set_source_tag (task, source_tag);
  data->cancel = cancel;
  data->results = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_action_result_free);
  g_task_set_task_data (task, data, (GDestroyNotify) action_data_free);
  data->pending = 1;   /* held until every chunk is sent */

  for (guint i = 0; i < n_ids; i++)
    {
      RelayActionResult *result = g_new0 (RelayActionResult, 1);
      g_autoptr(RelayOrderRow) order = NULL;
      g_autoptr(GError) error = NULL;
      Chunk *chunk;

      result->order_id = order_ids[i];
      g_ptr_array_add (data->results, result);
      order = relay_store_get_order (store, order_ids[i], &error);
      if (order == NULL)
        {
          set_result (result, FALSE, error->message);
          continue;
        }
      if (!check_order (self, data, result, order))
        continue;

      chunk = relay_int64_table_lookup (chunks, order->provider_id);
      if (chunk == NULL)
        {
          chunk = g_new0 (Chunk, 1);
          chunk->provider_id = order->provider_id;
          chunk->provider_ids = g_ptr_array_new_with_free_func (g_free);
          chunk->indexes = g_array_new (FALSE, FALSE, sizeof (guint));
          relay_int64_table_insert (chunks, order->provider_id, chunk);
        }
      g_ptr_array_add (chunk->provider_ids, g_strdup (order->provider_order_id));
      g_array_append_val (chunk->indexes, i);
      if (chunk->provider_ids->len == RELAY_PROVIDER_MAX_IDS)
        {
          g_hash_table_remove (chunks, &order->provider_id);
          send_chunk (self, task, chunk);
        }
    }

  {
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init (&iter, chunks);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      send_chunk (self, task, value);
  }
  data->pending--;
  finish_if_done (task);
}

void
relay_core_refill_async (RelayCore *self, const gint64 *order_ids, guint n_ids,
                         GCancellable *cancellable, GAsyncReadyCallback callback,
                         gpointer user_data)
{
  g_return_if_fail (RELAY_IS_CORE (self));
  run_action (self, FALSE, order_ids, n_ids, cancellable, callback, user_data,
              relay_core_refill_async);
}

GPtrArray *
relay_core_refill_finish (RelayCore *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
relay_core_cancel_async (RelayCore *self, const gint64 *order_ids, guint n_ids,
                         GCancellable *cancellable, GAsyncReadyCallback callback,
                         gpointer user_data)
{
  g_return_if_fail (RELAY_IS_CORE (self));
  run_action (self, TRUE, order_ids, n_ids, cancellable, callback, user_data,
              relay_core_cancel_async);
}

GPtrArray *
relay_core_cancel_finish (RelayCore *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
