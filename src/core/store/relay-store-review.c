/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayStore: the review queue, where a person settles what the dispatcher
 * could not know (an unknown outcome) or must not decide alone (approval). */
#include "config.h"

#include <unistd.h>

#include "relay-store-private.h"

/* Stored in English, like the provider's words, and translated when shown. */
static const char *awaiting_approval = RELAY_REVIEW_AWAITING_APPROVAL;
static const char *approved_detail = N_("approved");
static const char *resend_detail = N_("not placed; sending again");
static const char *not_placed_detail = N_("not placed");

GPtrArray *
relay_store_list_review (RelayStore  *self,
                         GError     **error)
{
  g_autoptr (RelayStmt) stmt = NULL;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);

  stmt = relay_store_prepare (self,
                              "SELECT " RELAY_ORDER_COLUMNS " FROM orders o" RELAY_ORDER_JOINS
                              " WHERE o.status = 'needs_review' ORDER BY o.id", error);
  if (stmt == NULL)
    return NULL;
  return relay_store_collect_orders (self, stmt, error);
}

static const char *review_refusal =
  N_("Order %" PRId64 " is %s; only orders that need review can be settled this way");

gboolean
relay_store_review_placed (RelayStore  *self,
                           gint64       order_id,
                           const char  *provider_order_id,
                           GError     **error)
{
  g_auto (RelayOrderFacts) facts = { 0 };
  g_autoptr (RelayStmt) stmt = NULL;
  gint64 now = relay_store_now ();
  gint64 cost;

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);

  if (provider_order_id == NULL || *provider_order_id == '\0')
    {
      g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID,
                   _("An order that was placed needs the provider’s order id"));
      return FALSE;
    }
  if (!relay_store_begin (self, error))
    return FALSE;
  if (!relay_store_load_facts (self, order_id, &facts, error) ||
      !relay_store_check_status (&facts, RELAY_STATUS_BIT (RELAY_ORDER_NEEDS_REVIEW), _(review_refusal), error) ||
      !relay_store_check_id_unused (self, order_id, provider_order_id, error))
    goto fail;

  /* An order approved and placed by hand never went through mark_sending. */
  cost = facts.cost;
  if (cost == 0 && facts.catalog_id != 0)
    {
      g_autoptr (RelayCatalogRow) target = relay_store_get_catalog_row (self, facts.catalog_id, error);

      if (target == NULL)
        goto fail;
      if (!relay_money_for_quantity (target->rate, relay_store_units (facts.quantity, facts.runs),
                                     &cost, error))
        goto fail;
    }

  stmt = relay_store_prepare (self,
                              "UPDATE orders SET status = 'pending', provider_order_id = ?, cost = ?, "
                              "  review_reason = NULL, error = NULL, sent_at = ?3, updated_at = ?3 "
                              "WHERE id = ? AND status = 'needs_review'", error);
  if (stmt == NULL)
    goto fail;
  relay_stmt_bind_text (stmt, 1, provider_order_id);
  sqlite3_bind_int64 (stmt, 2, cost);
  sqlite3_bind_int64 (stmt, 3, now);
  sqlite3_bind_int64 (stmt, 4, order_id);
  if (!relay_store_step_update (self, stmt, order_id, error) ||
      relay_store_add_event (self, order_id, TRUE, RELAY_ORDER_NEEDS_REVIEW, RELAY_ORDER_PENDING,
                             "user", provider_order_id, now, error) == 0)
    goto fail;
  return relay_store_finish_change (self, order_id, FALSE, error);

fail:
  relay_store_rollback (self);
  return FALSE;
}

static gboolean
resend_order (RelayStore       *self,
              RelayOrderFacts  *facts,
              gint64            now,
              GError          **error)
{
  g_autoptr (RelayStmt) stmt = NULL;
  gboolean approval = g_strcmp0 (facts->review_reason, awaiting_approval) == 0;
  RelayOrderStatus status = facts->scheduled_at > now ? RELAY_ORDER_SCHEDULED : RELAY_ORDER_QUEUED;

  stmt = relay_store_prepare (self,
                              "UPDATE orders SET status = ?, review_reason = NULL, next_attempt_at = ?, "
                              "  updated_at = ? WHERE id = ? AND status = 'needs_review'", error);
  if (stmt == NULL)
    return FALSE;
  relay_stmt_bind_text (stmt, 1, relay_order_status_to_string (status));
  sqlite3_bind_int64 (stmt, 2, MAX (facts->scheduled_at, now));
  sqlite3_bind_int64 (stmt, 3, now);
  sqlite3_bind_int64 (stmt, 4, facts->id);
  if (!relay_store_step_update (self, stmt, facts->id, error))
    return FALSE;
  return relay_store_add_event (self, facts->id, TRUE, RELAY_ORDER_NEEDS_REVIEW, status, "user",
                                approval ? approved_detail : resend_detail, now, error) != 0;
}

gboolean
relay_store_review_not_placed (RelayStore  *self,
                               gint64       order_id,
                               gboolean     resend,
                               GError     **error)
{
  g_auto (RelayOrderFacts) facts = { 0 };
  gboolean ledger_changed = FALSE;
  gint64 now = relay_store_now ();

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);

  if (!relay_store_begin (self, error))
    return FALSE;
  if (!relay_store_load_facts (self, order_id, &facts, error) ||
      !relay_store_check_status (&facts, RELAY_STATUS_BIT (RELAY_ORDER_NEEDS_REVIEW), _(review_refusal), error))
    goto fail;
  if (resend)
    {
      if (!resend_order (self, &facts, now, error))
        goto fail;
    }
  else if (!relay_store_fail_order (self, &facts, not_placed_detail, "user", not_placed_detail, now,
                        &ledger_changed, error))
    goto fail;
  return relay_store_finish_change (self, order_id, ledger_changed, error);

fail:
  relay_store_rollback (self);
  return FALSE;
}

/* ---- orders of dead senders ---- */

static const char *dead_sender_reason =
  N_("the program that was sending this order stopped before the provider answered; check the provider's panel");

/* One dead sender's orders in "sending" -> needs_review, in one transaction
 * and one UPDATE guarded on status and sender.  Returns FALSE on error. */
static gboolean
take_orders_of (RelayStore  *self,
                const char  *token,
                GArray      *out_ids,
                GError     **error)
{
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 now = relay_store_now ();
  int rc;

  {
    /* A read first: a sender that died with nothing in flight costs no write. */
    g_autoptr (RelayStmt) stmt = relay_store_prepare (self,
                                                      "SELECT 1 FROM orders WHERE status = 'sending' "
                                                      "AND sender = ? LIMIT 1", error);

    if (stmt == NULL)
      return FALSE;
    relay_stmt_bind_text (stmt, 1, token);
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
                                                      "SELECT id FROM orders WHERE status = 'sending' "
                                                      "AND sender = ? ORDER BY id", error);

    if (stmt == NULL)
      goto fail;
    relay_stmt_bind_text (stmt, 1, token);
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
  {
    g_autoptr (RelayStmt) stmt = relay_store_prepare (self,
                                                      "UPDATE orders SET status = 'needs_review', "
                                                      "  review_reason = ?, updated_at = ? "
                                                      "WHERE status = 'sending' AND sender = ?", error);

    if (stmt == NULL)
      goto fail;
    relay_stmt_bind_text (stmt, 1, dead_sender_reason);
    sqlite3_bind_int64 (stmt, 2, now);
    relay_stmt_bind_text (stmt, 3, token);
    if (sqlite3_step (stmt) != SQLITE_DONE)
      {
        relay_store_set_db_error (self, error);
        goto fail;
      }
    /* The write lock is ours since the SELECT: the same rows. */
    if ((guint) sqlite3_changes (self->db) != ids->len)
      {
        g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_STATE,
                     _("The orders of a stopped sender were changed by someone else meanwhile"));
        goto fail;
      }
  }
  for (guint i = 0; i < ids->len; i++)
    if (relay_store_add_event (self, g_array_index (ids, gint64, i), TRUE, RELAY_ORDER_SENDING,
                               RELAY_ORDER_NEEDS_REVIEW, "recovery", dead_sender_reason, now,
                               error) == 0)
      goto fail;
  if (!relay_store_commit (self, error))
    return FALSE;
  g_array_append_vals (out_ids, ids->data, ids->len);
  return TRUE;

fail:
  relay_store_rollback (self);
  return FALSE;
}

guint
relay_store_reap_dead_senders (RelayStore  *self,
                               GError     **error)
{
  g_autoptr (GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gboolean ok = TRUE;

  g_return_val_if_fail (RELAY_IS_STORE (self), 0);

  if (!relay_store_list_senders (self, tokens, error))
    return 0;
  for (guint i = 0; ok && i < tokens->len; i++)
    {
      const char *token = g_ptr_array_index (tokens, i);
      int fd;

      if (!relay_store_sender_is_dead (self, token, &fd))
        continue;
      /* Its lock stays ours until its orders are settled; its file goes
       * only when they are, so a failure here is tried again next time. */
      ok = take_orders_of (self, token, ids, error);
      if (ok)
        relay_store_forget_sender (self, token, fd);
      else if (fd >= 0)
        close (fd);
    }
  relay_store_emit_orders_changed (self, ids);
  return ok ? ids->len : 0;
}
