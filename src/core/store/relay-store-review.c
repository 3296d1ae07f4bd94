/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayStore: the review queue, where a person settles what the dispatcher
 * could not know (an unknown outcome) or must not decide alone (approval). */
#include "config.h"

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
                   _("An order that was placed needs the provider's order id"));
      return FALSE;
    }
  if (!relay_store_begin (self, error))
    return FALSE;
  if (!relay_store_load_facts (self, order_id, &facts, error) ||
      !relay_store_check_status (&facts, RELAY_STATUS_BIT (RELAY_ORDER_NEEDS_REVIEW), _(review_refusal), error))
    goto fail;

  /* An order approved and placed by hand never went through mark_sending. */
  cost = facts.cost;
  if (cost == 0 && facts.catalog_id != 0)
    {
      g_autoptr (RelayCatalogRow) target = relay_store_get_catalog_row (self, facts.catalog_id, error);

      if (target == NULL)
        goto fail;
      cost = relay_money_for_quantity (target->rate, relay_store_units (facts.quantity, facts.runs));
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
