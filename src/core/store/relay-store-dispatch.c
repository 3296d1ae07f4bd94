/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayStore: the dispatch state machine (queued -> sending -> pending |
 * failed | needs_review | queued again), as the dispatcher drives it. */
#include "config.h"

#include "relay-store-private.h"

/* Stored in English, like the provider's words, and translated when shown. */
static const char *interrupted_reason =
  N_("the app stopped while this order was being sent; check the provider's panel");

/* The book keeps only valid UTF-8, whatever a caller passes (a second line
 * behind the provider layer, so that `orders --json` and every reader can
 * decode it): a repaired copy of @text, or NULL when it needs none. */
static char *
book_text (const char *text)
{
  return text != NULL && !g_utf8_validate (text, -1, NULL) ? g_utf8_make_valid (text, -1) : NULL;
}

gboolean
relay_store_check_status (const RelayOrderFacts  *facts,
                          guint                   allowed,
                          const char             *refusal,
                          GError                **error)
{
  g_autofree char *label = NULL;

  if (allowed & RELAY_STATUS_BIT (facts->status))
    return TRUE;
  label = g_utf8_strdown (relay_order_status_get_label (facts->status), -1);
  g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_STATE, refusal, facts->id, label);
  return FALSE;
}

/* Someone else changed the order between our read and our write. */
static gboolean
check_claimed (RelayStore  *self,
               gint64       order_id,
               GError     **error)
{
  if (sqlite3_changes (self->db) == 1)
    return TRUE;
  g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_STATE,
               _("Order %" PRId64 " was changed by someone else meanwhile"), order_id);
  return FALSE;
}

/* Commits the open transaction and tells about @order_id. */
gboolean
relay_store_finish_change (RelayStore  *self,
                           gint64       order_id,
                           gboolean     ledger_changed,
                           GError     **error)
{
  if (!relay_store_commit (self, error))
    return FALSE;
  relay_store_emit_order_changed (self, order_id);
  if (ledger_changed)
    relay_store_emit_clients_changed (self);
  return TRUE;
}

gboolean
relay_store_step_update (RelayStore  *self,
                         RelayStmt   *stmt,
                         gint64       order_id,
                         GError     **error)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return relay_store_set_db_error (self, error);
  return check_claimed (self, order_id, error);
}

static gboolean
move_due_scheduled (RelayStore  *self,
                    gint64       now,
                    GError     **error)
{
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  {
    /* A read first, so that a poll with nothing due takes no write lock. */
    g_autoptr (RelayStmt) stmt = relay_store_prepare (self,
                                                      "SELECT 1 FROM orders WHERE status = 'scheduled' "
                                                      "AND next_attempt_at <= ? LIMIT 1", error);
    int rc;

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, now);
    rc = sqlite3_step (stmt);
    if (rc == SQLITE_DONE)
      return TRUE;
    if (rc != SQLITE_ROW)
      return relay_store_set_db_error (self, error);
  }

  if (!relay_store_begin (self, error))
    return FALSE;
  {
    g_autoptr (RelayStmt) stmt = relay_store_prepare (self,
                                                      "SELECT id FROM orders WHERE status = 'scheduled' "
                                                      "AND next_attempt_at <= ? ORDER BY id", error);
    int rc;

    if (stmt == NULL)
      goto fail;
    sqlite3_bind_int64 (stmt, 1, now);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        gint64 id = sqlite3_column_int64 (stmt, 0);

        g_array_append_val (ids, id);
      }
    if (rc != SQLITE_DONE)
      {
        relay_store_set_db_error (self, error);
        goto fail;
      }
  }
  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      g_autoptr (RelayStmt) stmt = relay_store_prepare (self,
                                                        "UPDATE orders SET status = 'queued', updated_at = ? "
                                                        "WHERE id = ? AND status = 'scheduled'", error);

      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, now);
      sqlite3_bind_int64 (stmt, 2, id);
      if (!relay_store_step_update (self, stmt, id, error) ||
          relay_store_add_event (self, id, TRUE, RELAY_ORDER_SCHEDULED, RELAY_ORDER_QUEUED,
                                 "dispatch", NULL, now, error) == 0)
        goto fail;
    }
  if (!relay_store_commit (self, error))
    return FALSE;
  relay_store_emit_orders_changed (self, ids);
  return TRUE;

fail:
  relay_store_rollback (self);
  return FALSE;
}

GPtrArray *
relay_store_list_due_orders (RelayStore  *self,
                             gint64       now,
                             guint        limit,
                             GError     **error)
{
  g_autoptr (RelayStmt) stmt = NULL;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);

  if (!move_due_scheduled (self, now, error))
    return NULL;
  stmt = relay_store_prepare (self,
                              "SELECT " RELAY_ORDER_COLUMNS " FROM orders o" RELAY_ORDER_JOINS
                              " WHERE o.status = 'queued' AND o.next_attempt_at <= ?"
                              " ORDER BY o.next_attempt_at, o.id LIMIT ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int64 (stmt, 2, limit);
  return relay_store_collect_orders (self, stmt, error);
}

GPtrArray *
relay_store_list_due_orders_except (RelayStore  *self,
                                    gint64       now,
                                    guint        limit,
                                    GHashTable  *skip,
                                    GError     **error)
{
  g_autoptr (RelayStmt) stmt = NULL;
  g_autoptr (GString) ids = g_string_new ("[");
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);

  if (skip == NULL || g_hash_table_size (skip) == 0)
    return relay_store_list_due_orders (self, now, limit, error);
  if (!move_due_scheduled (self, now, error))
    return NULL;
  /* The ids as one JSON array bound as text: no SQL built from values. */
  g_hash_table_iter_init (&iter, skip);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_string_append_printf (ids, "%s%" PRId64, ids->len > 1 ? "," : "", *(gint64 *) key);
  g_string_append_c (ids, ']');
  stmt = relay_store_prepare (self,
                              "SELECT " RELAY_ORDER_COLUMNS " FROM orders o" RELAY_ORDER_JOINS
                              " WHERE o.status = 'queued' AND o.next_attempt_at <= ?"
                              " AND o.id NOT IN (SELECT value FROM json_each (?))"
                              " ORDER BY o.next_attempt_at, o.id LIMIT ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, now);
  relay_stmt_bind_text (stmt, 2, ids->str);
  sqlite3_bind_int64 (stmt, 3, limit);
  return relay_store_collect_orders (self, stmt, error);
}

/* queued -> sending for @catalog_id, inside the open transaction. */
static gboolean
mark_sending_step (RelayStore  *self,
                   gint64       order_id,
                   gint64       catalog_id,
                   const char  *sender,
                   gint64       now,
                   GError     **error)
{
  g_auto (RelayOrderFacts) facts = { 0 };
  g_autoptr (RelayCatalogRow) target = NULL;
  g_autoptr (RelayStmt) stmt = NULL;
  g_autofree char *detail = NULL;
  gint64 cost;

  if (!relay_store_load_facts (self, order_id, &facts, error) ||
      !relay_store_check_status (&facts, RELAY_STATUS_BIT (RELAY_ORDER_QUEUED),
                     _("Order %" PRId64 " is %s; only queued orders can be sent"), error))
    return FALSE;
  target = relay_store_get_catalog_row (self, catalog_id, error);
  if (target == NULL)
    return FALSE;
  if (!relay_money_for_quantity (target->rate, relay_store_units (facts.quantity, facts.runs),
                                 &cost, error))
    return FALSE;

  /* The status condition is what keeps two processes from sending the same
   * order: only one UPDATE can find it queued. */
  stmt = relay_store_prepare (self,
                              "UPDATE orders SET status = 'sending', catalog_id = ?1, provider_id = ?2, "
                              "  provider_service_id = ?3, cost = ?4, can_refill = ?5, can_cancel = ?6, "
                              "  currency = COALESCE ((SELECT currency FROM providers WHERE id = ?2), currency), "
                              "  updated_at = ?7, sender = ?9, error = NULL "
                              "WHERE id = ?8 AND status = 'queued'", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, target->id);
  sqlite3_bind_int64 (stmt, 2, target->provider_id);
  relay_stmt_bind_text (stmt, 3, target->service_id);
  sqlite3_bind_int64 (stmt, 4, cost);
  sqlite3_bind_int (stmt, 5, target->refill);
  sqlite3_bind_int (stmt, 6, target->cancel);
  sqlite3_bind_int64 (stmt, 7, now);
  sqlite3_bind_int64 (stmt, 8, order_id);
  relay_stmt_bind_text (stmt, 9, sender);
  if (!relay_store_step_update (self, stmt, order_id, error))
    return FALSE;

  detail = g_strdup_printf ("%s: %s", target->provider_name, target->service_id);
  return relay_store_add_event (self, order_id, TRUE, RELAY_ORDER_QUEUED, RELAY_ORDER_SENDING,
                                "dispatch", detail, now, error) != 0;
}

gboolean
relay_store_mark_sending (RelayStore  *self,
                          gint64       order_id,
                          gint64       catalog_id,
                          GError     **error)
{
  const char *sender;

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);

  /* Who sends it, so that others can tell when this process is gone. */
  sender = relay_store_take_sender_lease (self, error);
  if (sender == NULL || !relay_store_begin (self, error))
    return FALSE;
  if (!mark_sending_step (self, order_id, catalog_id, sender, relay_store_now (), error))
    {
      relay_store_rollback (self);
      return FALSE;
    }
  return relay_store_finish_change (self, order_id, FALSE, error);
}

gboolean
relay_store_check_id_unused (RelayStore  *self,
                             gint64       order_id,
                             const char  *provider_order_id,
                             GError     **error)
{
  g_autoptr (RelayStmt) stmt = NULL;
  int rc;

  /* By the provider's id (orders_provider_order), never by scanning every
   * order of the provider: the unary + keeps the planner off orders_provider. */
  stmt = relay_store_prepare (self,
                              "SELECT o.id FROM orders o "
                              "WHERE o.provider_order_id = ?2 AND o.id != ?1 "
                              "  AND +o.provider_id = (SELECT me.provider_id FROM orders me "
                              "                        WHERE me.id = ?1) "
                              "ORDER BY o.id LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, order_id);
  relay_stmt_bind_text (stmt, 2, provider_order_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc != SQLITE_ROW)
    return relay_store_set_db_error (self, error);
  g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_EXISTS,
               _("the panel gave order %" PRId64 " the id %s, which order %" PRId64
                 " already has"), order_id, provider_order_id,
               (gint64) sqlite3_column_int64 (stmt, 0));
  return FALSE;
}

/* sending|needs_review -> pending with the provider's id, inside the open
 * transaction. */
static gboolean
mark_sent_step (RelayStore  *self,
                gint64       order_id,
                const char  *provider_order_id,
                gint64       now,
                GError     **error)
{
  g_autofree char *valid_provider_order_id = book_text (provider_order_id);
  g_auto (RelayOrderFacts) facts = { 0 };
  g_autoptr (RelayStmt) stmt = NULL;

  if (valid_provider_order_id != NULL)
    provider_order_id = valid_provider_order_id;
  if (!relay_store_load_facts (self, order_id, &facts, error) ||
      /* needs_review too: another process may have taken this order for
       * interrupted while our request was on the wire; the provider's
       * answer is the fact that settles the review. */
      !relay_store_check_status (&facts,
                     RELAY_STATUS_BIT (RELAY_ORDER_SENDING) | RELAY_STATUS_BIT (RELAY_ORDER_NEEDS_REVIEW),
                     _("Order %" PRId64 " is %s; only an order being sent can be marked sent"),
                     error))
    return FALSE;
  if (!relay_store_check_id_unused (self, order_id, provider_order_id, error))
    return FALSE;
  stmt = relay_store_prepare (self,
                              "UPDATE orders SET status = 'pending', provider_order_id = ?, error = NULL, "
                              "  review_reason = NULL, sent_at = ?2, updated_at = ?2 "
                              "WHERE id = ? AND status IN ('sending', 'needs_review')", error);
  if (stmt == NULL)
    return FALSE;
  relay_stmt_bind_text (stmt, 1, provider_order_id);
  sqlite3_bind_int64 (stmt, 2, now);
  sqlite3_bind_int64 (stmt, 3, order_id);
  return relay_store_step_update (self, stmt, order_id, error) &&
         relay_store_add_event (self, order_id, TRUE, facts.status, RELAY_ORDER_PENDING,
                                "dispatch", provider_order_id, now, error) != 0;
}

gboolean
relay_store_mark_sent (RelayStore  *self,
                       gint64       order_id,
                       const char  *provider_order_id,
                       GError     **error)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (provider_order_id != NULL, FALSE);

  if (!relay_store_begin (self, error))
    return FALSE;
  if (!mark_sent_step (self, order_id, provider_order_id, relay_store_now (), error))
    {
      relay_store_rollback (self);
      return FALSE;
    }
  return relay_store_finish_change (self, order_id, FALSE, error);
}

/* Runs one order's step inside a savepoint: when it fails, what it wrote is
 * undone and the transaction goes on with the next order. */
static gboolean
in_savepoint (RelayStore        *self,
              RelayDispatchMark *mark,
              const char        *sender,
              gint64             now,
              GError           **error)
{
  gboolean ok;

  if (!relay_store_exec (self, "SAVEPOINT dispatch_mark", error))
    return FALSE;
  if (sender != NULL)
    ok = mark_sending_step (self, mark->order_id, mark->catalog_id, sender, now, &mark->error);
  else
    ok = mark_sent_step (self, mark->order_id, mark->provider_order_id, now, &mark->error);
  if (!ok && !relay_store_exec (self, "ROLLBACK TO dispatch_mark", error))
    return FALSE;
  return relay_store_exec (self, "RELEASE dispatch_mark", error);
}

static void
clear_marks (RelayDispatchMark *marks,
             guint              n)
{
  for (guint i = 0; i < n; i++)
    g_clear_error (&marks[i].error);
}

gboolean
relay_store_record_dispatch (RelayStore         *self,
                             RelayDispatchMark  *sent,
                             guint               n_sent,
                             RelayDispatchMark  *sending,
                             guint               n_sending,
                             GArray             *out_written,
                             GError            **error)
{
  const char *sender = NULL;
  gint64 now = relay_store_now ();

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (sent != NULL || n_sent == 0, FALSE);
  g_return_val_if_fail (sending != NULL || n_sending == 0, FALSE);
  g_return_val_if_fail (out_written != NULL, FALSE);

  if (n_sent + n_sending == 0)
    return TRUE;
  for (guint i = 0; i < n_sent; i++)
    g_return_val_if_fail (sent[i].provider_order_id != NULL && sent[i].error == NULL, FALSE);
  for (guint i = 0; i < n_sending; i++)
    g_return_val_if_fail (sending[i].error == NULL, FALSE);

  /* Who sends them, so that others can tell when this process is gone. */
  if (n_sending > 0 && (sender = relay_store_take_sender_lease (self, error)) == NULL)
    return FALSE;
  if (!relay_store_begin (self, error))
    return FALSE;
  for (guint i = 0; i < n_sent; i++)
    if (!in_savepoint (self, &sent[i], NULL, now, error))
      goto fail;
  for (guint i = 0; i < n_sending; i++)
    if (!in_savepoint (self, &sending[i], sender, now, error))
      goto fail;
  if (!relay_store_commit (self, error))
    goto fail;

  for (guint i = 0; i < n_sent; i++)
    if (sent[i].error == NULL)
      g_array_append_val (out_written, sent[i].order_id);
  for (guint i = 0; i < n_sending; i++)
    if (sending[i].error == NULL)
      g_array_append_val (out_written, sending[i].order_id);
  return TRUE;

fail:
  relay_store_rollback (self);
  clear_marks (sent, n_sent);
  clear_marks (sending, n_sending);
  return FALSE;
}

gboolean
relay_store_fail_order (RelayStore       *self,
                        RelayOrderFacts  *facts,
                        const char       *reason,
                        const char       *source,
                        const char       *detail,
                        gint64            now,
                        gboolean         *out_ledger_changed,
                        GError          **error)
{
  g_autofree char *valid_reason = book_text (reason);
  g_autofree char *valid_detail = book_text (detail);
  g_autoptr (RelayStmt) stmt = NULL;
  gint64 event_id;

  if (valid_reason != NULL)
    reason = valid_reason;
  if (valid_detail != NULL)
    detail = valid_detail;
  stmt = relay_store_prepare (self,
                              "UPDATE orders SET status = 'failed', error = ?, review_reason = NULL, "
                              "  updated_at = ? WHERE id = ? AND status = ?", error);
  if (stmt == NULL)
    return FALSE;
  relay_stmt_bind_text (stmt, 1, reason);
  sqlite3_bind_int64 (stmt, 2, now);
  sqlite3_bind_int64 (stmt, 3, facts->id);
  relay_stmt_bind_text (stmt, 4, relay_order_status_to_string (facts->status));
  if (!relay_store_step_update (self, stmt, facts->id, error))
    return FALSE;
  event_id = relay_store_add_event (self, facts->id, TRUE, facts->status, RELAY_ORDER_FAILED,
                                    source, detail, now, error);
  if (event_id == 0)
    return FALSE;
  return relay_store_settle (self, facts, RELAY_ORDER_FAILED, event_id, now, out_ledger_changed, error);
}

static gboolean
fail_in_states (RelayStore  *self,
                gint64       order_id,
                const char  *reason,
                const char  *source,
                guint        allowed,
                GError     **error)
{
  g_auto (RelayOrderFacts) facts = { 0 };
  gboolean ledger_changed = FALSE;
  gint64 now = relay_store_now ();

  if (!relay_store_begin (self, error))
    return FALSE;
  if (!relay_store_load_facts (self, order_id, &facts, error) ||
      !relay_store_check_status (&facts, allowed,
                     _("Order %" PRId64 " is %s; only orders that were not placed can be marked failed"),
                     error) ||
      !relay_store_fail_order (self, &facts, reason, source ? source : "dispatch", reason, now,
                   &ledger_changed, error))
    goto fail;
  return relay_store_finish_change (self, order_id, ledger_changed, error);

fail:
  relay_store_rollback (self);
  return FALSE;
}

gboolean
relay_store_mark_failed (RelayStore  *self,
                         gint64       order_id,
                         const char  *reason,
                         const char  *source,
                         GError     **error)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  return fail_in_states (self, order_id, reason, source,
                         RELAY_STATUS_BIT (RELAY_ORDER_SENDING) |
                         RELAY_STATUS_BIT (RELAY_ORDER_NEEDS_REVIEW) |
                         RELAY_STATUS_BIT (RELAY_ORDER_QUEUED) |
                         RELAY_STATUS_BIT (RELAY_ORDER_SCHEDULED), error);
}

gboolean
relay_store_fail_unsent (RelayStore  *self,
                         gint64       order_id,
                         const char  *reason,
                         GError     **error)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  /* Only queued: "sending" may be on the wire from another process. */
  return fail_in_states (self, order_id, reason, "dispatch",
                         RELAY_STATUS_BIT (RELAY_ORDER_QUEUED), error);
}

gboolean
relay_store_mark_rejected (RelayStore  *self,
                           gint64       order_id,
                           const char  *reason,
                           GError     **error)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  return fail_in_states (self, order_id, reason, "dispatch",
                         RELAY_STATUS_BIT (RELAY_ORDER_SENDING) |
                         RELAY_STATUS_BIT (RELAY_ORDER_NEEDS_REVIEW), error);
}

gboolean
relay_store_note_unsent (RelayStore    *self,
                         const gint64  *order_ids,
                         guint          n_ids,
                         const char    *reason,
                         GArray       **out_queued,
                         GError       **error)
{
  g_autofree char *valid_reason = book_text (reason);
  g_autoptr (GArray) changed = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GArray) queued = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 now = relay_store_now ();

  if (valid_reason != NULL)
    reason = valid_reason;
  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (order_ids != NULL || n_ids == 0, FALSE);

  /* One transaction for the lot: each a guarded UPDATE on "queued". */
  if (!relay_store_begin (self, error))
    return FALSE;
  for (guint i = 0; i < n_ids; i++)
    {
      g_auto (RelayOrderFacts) facts = { 0 };
      g_autoptr (RelayStmt) stmt = NULL;
      g_autoptr (GError) local_error = NULL;

      if (!relay_store_load_facts (self, order_ids[i], &facts, &local_error))
        {
          if (g_error_matches (local_error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_NOT_FOUND))
            continue;
          g_propagate_error (error, g_steal_pointer (&local_error));
          goto fail;
        }
      if (facts.status != RELAY_ORDER_QUEUED)
        continue;   /* taken by someone else: not ours to touch */
      g_array_append_val (queued, order_ids[i]);
      stmt = relay_store_prepare (self,
                                  "UPDATE orders SET error = ?1, updated_at = ?2 "
                                  "WHERE id = ?3 AND status = 'queued' AND error IS NOT ?1", error);
      if (stmt == NULL)
        goto fail;
      relay_stmt_bind_text (stmt, 1, reason);
      sqlite3_bind_int64 (stmt, 2, now);
      sqlite3_bind_int64 (stmt, 3, order_ids[i]);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          relay_store_set_db_error (self, error);
          goto fail;
        }
      /* Said already: no new history line on every run. */
      if (sqlite3_changes (self->db) == 0)
        continue;
      if (relay_store_add_event (self, order_ids[i], FALSE, 0, RELAY_ORDER_QUEUED, "dispatch",
                                 reason, now, error) == 0)
        goto fail;
      g_array_append_val (changed, order_ids[i]);
    }
  if (changed->len == 0)
    relay_store_rollback (self);
  else if (!relay_store_commit (self, error))
    return FALSE;
  if (changed->len > 0)
    relay_store_emit_orders_changed (self, changed);
  if (out_queued != NULL)
    *out_queued = g_steal_pointer (&queued);
  return TRUE;

fail:
  relay_store_rollback (self);
  return FALSE;
}

gboolean
relay_store_cancel_unsent (RelayStore  *self,
                           gint64       order_id,
                           const char  *reason,
                           GError     **error)
{
  g_auto (RelayOrderFacts) facts = { 0 };
  g_autoptr (RelayStmt) stmt = NULL;
  gboolean ledger_changed = FALSE;
  gint64 now = relay_store_now ();
  gint64 event_id;

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);

  if (!relay_store_begin (self, error))
    return FALSE;
  /* Never "sending": that request may already be at the provider.  A queued
   * or scheduled order never reached one: it is canceled (not failed), and
   * with nothing delivered relay_store_settle() refunds its whole price. */
  if (!relay_store_load_facts (self, order_id, &facts, error) ||
      !relay_store_check_status (&facts,
                     RELAY_STATUS_BIT (RELAY_ORDER_QUEUED) | RELAY_STATUS_BIT (RELAY_ORDER_SCHEDULED),
                     _("Order %" PRId64 " is %s; only orders that were not sent can be canceled here"),
                     error))
    goto fail;
  stmt = relay_store_prepare (self,
                              "UPDATE orders SET status = 'canceled', error = NULL, review_reason = NULL, "
                              "  updated_at = ? WHERE id = ? AND status = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int64 (stmt, 2, order_id);
  relay_stmt_bind_text (stmt, 3, relay_order_status_to_string (facts.status));
  if (!relay_store_step_update (self, stmt, order_id, error))
    goto fail;
  event_id = relay_store_add_event (self, order_id, TRUE, facts.status, RELAY_ORDER_CANCELED,
                                    "user", reason, now, error);
  if (event_id == 0 ||
      !relay_store_settle (self, &facts, RELAY_ORDER_CANCELED, event_id, now, &ledger_changed, error))
    goto fail;
  return relay_store_finish_change (self, order_id, ledger_changed, error);

fail:
  relay_store_rollback (self);
  return FALSE;
}

gboolean
relay_store_mark_needs_review (RelayStore  *self,
                               gint64       order_id,
                               const char  *reason,
                               GError     **error)
{
  g_autofree char *valid_reason = book_text (reason);
  g_auto (RelayOrderFacts) facts = { 0 };
  g_autoptr (RelayStmt) stmt = NULL;
  gint64 now = relay_store_now ();

  if (valid_reason != NULL)
    reason = valid_reason;
  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);

  if (!relay_store_begin (self, error))
    return FALSE;
  if (!relay_store_load_facts (self, order_id, &facts, error) ||
      !relay_store_check_status (&facts, RELAY_STATUS_BIT (RELAY_ORDER_SENDING),
                     _("Order %" PRId64 " is %s; only an order being sent can need review"),
                     error))
    goto fail;
  stmt = relay_store_prepare (self,
                              "UPDATE orders SET status = 'needs_review', review_reason = ?, updated_at = ? "
                              "WHERE id = ? AND status = 'sending'", error);
  if (stmt == NULL)
    goto fail;
  relay_stmt_bind_text (stmt, 1, reason);
  sqlite3_bind_int64 (stmt, 2, now);
  sqlite3_bind_int64 (stmt, 3, order_id);
  if (!relay_store_step_update (self, stmt, order_id, error) ||
      relay_store_add_event (self, order_id, TRUE, RELAY_ORDER_SENDING, RELAY_ORDER_NEEDS_REVIEW,
                             "dispatch", reason, now, error) == 0)
    goto fail;
  return relay_store_finish_change (self, order_id, FALSE, error);

fail:
  relay_store_rollback (self);
  return FALSE;
}

gboolean
relay_store_requeue (RelayStore  *self,
                     gint64       order_id,
                     gint64       catalog_id,
                     gint64       next_attempt_at,
                     const char  *detail,
                     GError     **error)
{
  g_autofree char *valid_detail = book_text (detail);
  g_auto (RelayOrderFacts) facts = { 0 };
  g_autoptr (RelayCatalogRow) target = NULL;
  g_autoptr (RelayStmt) stmt = NULL;
  gint64 now = relay_store_now ();

  if (valid_detail != NULL)
    detail = valid_detail;
  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);

  if (!relay_store_begin (self, error))
    return FALSE;
  if (!relay_store_load_facts (self, order_id, &facts, error) ||
      !relay_store_check_status (&facts, RELAY_STATUS_BIT (RELAY_ORDER_SENDING),
                     _("Order %" PRId64 " is %s; only an order being sent can be queued again"),
                     error))
    goto fail;
  if (catalog_id != 0)
    {
      target = relay_store_get_catalog_row (self, catalog_id, error);
      if (target == NULL)
        goto fail;
    }

  stmt = relay_store_prepare (self,
                              "UPDATE orders SET status = 'queued', attempts = attempts + 1, "
                              "  next_attempt_at = ?1, updated_at = ?2, "
                              "  catalog_id = COALESCE (?3, catalog_id), "
                              "  provider_id = COALESCE (?4, provider_id), "
                              "  provider_service_id = COALESCE (?5, provider_service_id), "
                              "  can_refill = COALESCE (?6, can_refill), "
                              "  can_cancel = COALESCE (?7, can_cancel), "
                              "  error = ?9 "
                              "WHERE id = ?8 AND status = 'sending'", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, next_attempt_at);
  sqlite3_bind_int64 (stmt, 2, now);
  if (target != NULL)
    {
      sqlite3_bind_int64 (stmt, 3, target->id);
      sqlite3_bind_int64 (stmt, 4, target->provider_id);
      relay_stmt_bind_text (stmt, 5, target->service_id);
      sqlite3_bind_int (stmt, 6, target->refill);
      sqlite3_bind_int (stmt, 7, target->cancel);
    }
  sqlite3_bind_int64 (stmt, 8, order_id);
  /* Why it goes again, for the table and the CLI; cleared when it is sent. */
  relay_stmt_bind_text (stmt, 9, detail);
  if (!relay_store_step_update (self, stmt, order_id, error) ||
      relay_store_add_event (self, order_id, TRUE, RELAY_ORDER_SENDING, RELAY_ORDER_QUEUED,
                             "dispatch", detail, now, error) == 0)
    goto fail;
  return relay_store_finish_change (self, order_id, FALSE, error);

fail:
  relay_store_rollback (self);
  return FALSE;
}

guint
relay_store_recover_interrupted (RelayStore  *self,
                                 GError     **error)
{
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 now = relay_store_now ();

  g_return_val_if_fail (RELAY_IS_STORE (self), 0);

  if (!relay_store_begin (self, error))
    return 0;
  {
    g_autoptr (RelayStmt) stmt = relay_store_prepare (self,
                                                      "SELECT id FROM orders WHERE status = 'sending' ORDER BY id",
                                                      error);
    int rc;

    if (stmt == NULL)
      goto fail;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        gint64 id = sqlite3_column_int64 (stmt, 0);

        g_array_append_val (ids, id);
      }
    if (rc != SQLITE_DONE)
      {
        relay_store_set_db_error (self, error);
        goto fail;
      }
  }
  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      g_autoptr (RelayStmt) stmt = NULL;

      stmt = relay_store_prepare (self,
                                  "UPDATE orders SET status = 'needs_review', review_reason = ?, "
                                  "  updated_at = ? WHERE id = ? AND status = 'sending'", error);
      if (stmt == NULL)
        goto fail;
      relay_stmt_bind_text (stmt, 1, interrupted_reason);
      sqlite3_bind_int64 (stmt, 2, now);
      sqlite3_bind_int64 (stmt, 3, id);
      if (!relay_store_step_update (self, stmt, id, error) ||
          relay_store_add_event (self, id, TRUE, RELAY_ORDER_SENDING, RELAY_ORDER_NEEDS_REVIEW,
                                 "startup", interrupted_reason, now, error) == 0)
        goto fail;
    }
  if (!relay_store_commit (self, error))
    return 0;

  relay_store_emit_orders_changed (self, ids);
  return ids->len;

fail:
  relay_store_rollback (self);
  return 0;
}
