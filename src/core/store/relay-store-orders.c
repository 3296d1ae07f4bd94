/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayStore: recording orders, reading them back, their event history, and
 * the refund rule every status change goes through. */
#include "config.h"

#include "relay-store-private.h"

#define FACTS_SELECT \
  "SELECT id, status, client_id, service_id, catalog_id, quantity, runs, unit_price, price, " \
  "  refunded, cost, scheduled_at, start_count, remains, charge, provider_status, currency, " \
  "  error, review_reason FROM orders WHERE id = ?"

/* The review reason of an order waiting for approval: data that the app and
 * the CLI compare with, so stored as is and never translated. */
static const char *awaiting_approval = RELAY_REVIEW_AWAITING_APPROVAL;

gint64
relay_store_units (gint64 quantity,
                   gint64 runs)
{
  gint64 units;

  /* A hostile book must not overflow: an impossible count saturates, and
   * relay_money_for_quantity() refuses it. */
  if (quantity < 0 || __builtin_mul_overflow (quantity, MAX (runs, 1), &units))
    return G_MAXINT64;
  return units;
}

/* Units delivered by the provider's remains, within [0, @units] and with no
 * arithmetic that can overflow: remains unknown = nothing delivered,
 * remains <= 0 (over-delivery) = all of it. */
static gint64
delivered_units (gint64   units,
                 gboolean has_remains,
                 gint64   remains)
{
  if (!has_remains || remains >= units)
    return 0;
  if (remains <= 0)
    return units;
  return units - remains;
}

/* A refund within [0, @price], whatever the book holds. */
static gint64
refund_within_price (gint64 refund,
                     gint64 price)
{
  return CLAMP (refund, 0, MAX (price, 0));
}

void
relay_order_facts_clear (RelayOrderFacts *facts)
{
  g_clear_pointer (&facts->provider_status, g_free);
  g_clear_pointer (&facts->currency, g_free);
  g_clear_pointer (&facts->error, g_free);
  g_clear_pointer (&facts->review_reason, g_free);
}

static gboolean
set_order_not_found (gint64   id,
                     GError **error)
{
  g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_NOT_FOUND,
               _("No order with id %" PRId64), id);
  return FALSE;
}

RelayOrderRow *
relay_store_order_from_stmt (RelayStmt *stmt)
{
  RelayOrderRow *row = g_new0 (RelayOrderRow, 1);

  row->id = sqlite3_column_int64 (stmt, 0);
  row->service_id = sqlite3_column_int64 (stmt, 1);
  row->service_name = relay_stmt_dup_text (stmt, 2);
  row->client_id = sqlite3_column_int64 (stmt, 3);
  row->client_name = relay_stmt_dup_text (stmt, 4);
  row->provider_id = sqlite3_column_int64 (stmt, 5);
  row->provider_name = relay_stmt_dup_text (stmt, 6);
  row->catalog_id = sqlite3_column_int64 (stmt, 7);
  row->provider_service_id = relay_stmt_dup_text (stmt, 8);
  row->provider_order_id = relay_stmt_dup_text (stmt, 9);
  row->link = relay_stmt_dup_text (stmt, 10);
  row->quantity = sqlite3_column_int64 (stmt, 11);
  row->extra_json = relay_stmt_dup_text (stmt, 12);
  row->runs = sqlite3_column_int64 (stmt, 13);
  row->interval = sqlite3_column_int64 (stmt, 14);
  row->status = relay_stmt_get_status (stmt, 15);
  row->provider_status = relay_stmt_dup_text (stmt, 16);
  row->error = relay_stmt_dup_text (stmt, 17);
  row->review_reason = relay_stmt_dup_text (stmt, 18);
  row->has_start_count = relay_stmt_get_opt_int64 (stmt, 19, &row->start_count);
  row->has_remains = relay_stmt_get_opt_int64 (stmt, 20, &row->remains);
  row->has_charge = relay_stmt_get_opt_int64 (stmt, 21, &row->charge);
  row->currency = relay_stmt_dup_text (stmt, 22);
  row->cost = sqlite3_column_int64 (stmt, 23);
  row->price = sqlite3_column_int64 (stmt, 24);
  row->refunded = sqlite3_column_int64 (stmt, 25);
  row->can_refill = sqlite3_column_int (stmt, 26) != 0;
  row->can_cancel = sqlite3_column_int (stmt, 27) != 0;
  row->attempts = sqlite3_column_int64 (stmt, 28);
  row->scheduled_at = sqlite3_column_int64 (stmt, 29);
  row->next_attempt_at = sqlite3_column_int64 (stmt, 30);
  row->created_at = sqlite3_column_int64 (stmt, 31);
  row->sent_at = sqlite3_column_int64 (stmt, 32);
  row->updated_at = sqlite3_column_int64 (stmt, 33);
  return row;
}

GPtrArray *
relay_store_collect_orders (RelayStore  *self,
                            RelayStmt   *stmt,
                            GError     **error)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_order_row_free);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, relay_store_order_from_stmt (stmt));
  if (rc != SQLITE_DONE)
    {
      relay_store_set_db_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

gboolean
relay_store_load_facts (RelayStore       *self,
                        gint64            order_id,
                        RelayOrderFacts  *facts,
                        GError          **error)
{
  g_autoptr (RelayStmt) stmt = relay_store_prepare (self, FACTS_SELECT, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, order_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return set_order_not_found (order_id, error);
  if (rc != SQLITE_ROW)
    return relay_store_set_db_error (self, error);

  relay_order_facts_clear (facts);
  facts->id = sqlite3_column_int64 (stmt, 0);
  facts->status = relay_stmt_get_status (stmt, 1);
  facts->client_id = sqlite3_column_int64 (stmt, 2);
  facts->service_id = sqlite3_column_int64 (stmt, 3);
  facts->catalog_id = sqlite3_column_int64 (stmt, 4);
  facts->quantity = sqlite3_column_int64 (stmt, 5);
  facts->runs = sqlite3_column_int64 (stmt, 6);
  facts->unit_price = sqlite3_column_int64 (stmt, 7);
  facts->price = sqlite3_column_int64 (stmt, 8);
  facts->refunded = sqlite3_column_int64 (stmt, 9);
  facts->cost = sqlite3_column_int64 (stmt, 10);
  facts->scheduled_at = sqlite3_column_int64 (stmt, 11);
  facts->has_start_count = relay_stmt_get_opt_int64 (stmt, 12, &facts->start_count);
  facts->has_remains = relay_stmt_get_opt_int64 (stmt, 13, &facts->remains);
  facts->has_charge = relay_stmt_get_opt_int64 (stmt, 14, &facts->charge);
  facts->provider_status = relay_stmt_dup_text (stmt, 15);
  facts->currency = relay_stmt_dup_text (stmt, 16);
  facts->error = relay_stmt_dup_text (stmt, 17);
  facts->review_reason = relay_stmt_dup_text (stmt, 18);
  return TRUE;
}

gint64
relay_store_add_event (RelayStore        *self,
                       gint64             order_id,
                       gboolean           has_old_status,
                       RelayOrderStatus   old_status,
                       RelayOrderStatus   new_status,
                       const char        *source,
                       const char        *detail,
                       gint64             now,
                       GError           **error)
{
  g_autoptr (RelayStmt) stmt = NULL;

  stmt = relay_store_prepare (self,
                              "INSERT INTO order_events (order_id, at, old_status, new_status, source, detail) "
                              "VALUES (?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, order_id);
  sqlite3_bind_int64 (stmt, 2, now);
  relay_stmt_bind_text (stmt, 3, has_old_status ? relay_order_status_to_string (old_status) : NULL);
  relay_stmt_bind_text (stmt, 4, relay_order_status_to_string (new_status));
  relay_stmt_bind_text (stmt, 5, source != NULL ? source : "user");
  relay_stmt_bind_text (stmt, 6, detail);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      relay_store_set_db_error (self, error);
      return 0;
    }
  return sqlite3_last_insert_rowid (self->db);
}

static gboolean
write_ledger (RelayStore  *self,
              gint64       client_id,
              gint64       order_id,
              gint64       event_id,
              const char  *kind,
              gint64       amount,
              const char  *note,
              gint64       now,
              GError     **error)
{
  g_autoptr (RelayStmt) stmt = NULL;

  stmt = relay_store_prepare (self,
                              "INSERT INTO ledger (client_id, order_id, event_id, kind, amount, note, at) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, client_id);
  sqlite3_bind_int64 (stmt, 2, order_id);
  relay_stmt_bind_opt_int64 (stmt, 3, event_id != 0, event_id);
  relay_stmt_bind_text (stmt, 4, kind);
  sqlite3_bind_int64 (stmt, 5, amount);
  relay_stmt_bind_text (stmt, 6, note);
  sqlite3_bind_int64 (stmt, 7, now);
  return relay_store_step_done (self, stmt, error);
}

/* The refund rule, applied when an order reaches @new_status: failed gives
 * back the whole price, partial and canceled what was not delivered
 * (relay_money_refund() on units - remains; remains unknown = nothing
 * delivered).  An order is refunded at most once: refunded = 0 is checked
 * here, in the UPDATE, and by the unique index on ledger refunds. */
gboolean
relay_store_settle (RelayStore            *self,
                    const RelayOrderFacts *facts,
                    RelayOrderStatus       new_status,
                    gint64                 event_id,
                    gint64                 now,
                    gboolean              *out_ledger_changed,
                    GError               **error)
{
  g_autoptr (RelayStmt) stmt = NULL;
  gint64 units = relay_store_units (facts->quantity, facts->runs);
  gint64 refund;

  if (new_status == RELAY_ORDER_FAILED)
    refund = facts->price;
  else if (new_status == RELAY_ORDER_PARTIAL || new_status == RELAY_ORDER_CANCELED)
    {
      if (!relay_money_refund (facts->unit_price, units,
                               delivered_units (units, facts->has_remains, facts->remains),
                               &refund, error))
        return FALSE;
    }
  else
    return TRUE;
  refund = refund_within_price (refund, facts->price);
  if (facts->refunded != 0 || refund <= 0)
    return TRUE;

  stmt = relay_store_prepare (self, "UPDATE orders SET refunded = ? WHERE id = ? AND refunded = 0",
                              error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, refund);
  sqlite3_bind_int64 (stmt, 2, facts->id);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return relay_store_set_db_error (self, error);
  if (sqlite3_changes (self->db) != 1 || facts->client_id == 0)
    return TRUE;

  if (!write_ledger (self, facts->client_id, facts->id, event_id, "refund", -refund,
                     relay_order_status_to_string (new_status), now, error))
    return FALSE;
  if (out_ledger_changed != NULL)
    *out_ledger_changed = TRUE;
  return TRUE;
}

/* A provider corrected the numbers of an order that already ended partial or
 * canceled: the refund follows the new remains.  The difference is written as
 * an "adjustment" pointing at @event_id, so the ledger still sums to charges
 * minus refunds and each order's price - refunded stays the price of what was
 * delivered. */
gboolean
relay_store_settle_correction (RelayStore            *self,
                               const RelayOrderFacts *facts,
                               gint64                 event_id,
                               gint64                 now,
                               gboolean              *out_ledger_changed,
                               GError               **error)
{
  g_autoptr (RelayStmt) stmt = NULL;
  gint64 units = relay_store_units (facts->quantity, facts->runs);
  gint64 refund;
  gint64 adjustment;

  if (facts->status != RELAY_ORDER_PARTIAL && facts->status != RELAY_ORDER_CANCELED)
    return TRUE;
  if (!relay_money_refund (facts->unit_price, units,
                           delivered_units (units, facts->has_remains, facts->remains),
                           &refund, error))
    return FALSE;
  refund = refund_within_price (refund, facts->price);
  if (refund == facts->refunded)
    return TRUE;
  /* refund is within [0, G_MAXINT64], so -refund is too. */
  if (!relay_money_add (facts->refunded, -refund, &adjustment, error))
    return FALSE;

  stmt = relay_store_prepare (self, "UPDATE orders SET refunded = ? WHERE id = ? AND refunded = ?",
                              error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, refund);
  sqlite3_bind_int64 (stmt, 2, facts->id);
  sqlite3_bind_int64 (stmt, 3, facts->refunded);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return relay_store_set_db_error (self, error);
  if (sqlite3_changes (self->db) != 1 || facts->client_id == 0)
    return TRUE;

  if (!write_ledger (self, facts->client_id, facts->id, event_id, "adjustment",
                     adjustment, N_("refund corrected by the provider's numbers"),
                     now, error))
    return FALSE;
  if (out_ledger_changed != NULL)
    *out_ledger_changed = TRUE;
  return TRUE;
}

/* What insert_orders needs of my service. */
typedef struct
{
  gint64   price;
  gboolean manual;
  gint64   catalog_id;
  gint64   provider_id;
  char    *provider_service_id;
  gboolean refill;
  gboolean cancel;
} ServiceFacts;

static gboolean
load_service_facts (RelayStore    *self,
                    gint64         service_id,
                    ServiceFacts  *out,
                    GError       **error)
{
  g_autoptr (RelayStmt) stmt = NULL;
  int rc;

  stmt = relay_store_prepare (self,
                              "SELECT s.price, s.manual, s.catalog_id, k.provider_id, k.service_id, "
                              "  k.refill, k.cancel "
                              "FROM services s JOIN catalog k ON k.id = s.catalog_id WHERE s.id = ?",
                              error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, service_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_NOT_FOUND,
                   _("No service with id %" PRId64), service_id);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return relay_store_set_db_error (self, error);
  out->price = sqlite3_column_int64 (stmt, 0);
  out->manual = sqlite3_column_int (stmt, 1) != 0;
  out->catalog_id = sqlite3_column_int64 (stmt, 2);
  out->provider_id = sqlite3_column_int64 (stmt, 3);
  g_free (out->provider_service_id);
  out->provider_service_id = relay_stmt_dup_text (stmt, 4);
  out->refill = sqlite3_column_int (stmt, 5) != 0;
  out->cancel = sqlite3_column_int (stmt, 6) != 0;
  return TRUE;
}

static gboolean
check_client (RelayStore  *self,
              gint64       client_id,
              GError     **error)
{
  g_autoptr (RelayStmt) stmt = relay_store_prepare (self, "SELECT 1 FROM clients WHERE id = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, client_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc == SQLITE_DONE)
    g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_NOT_FOUND,
                 _("No client with id %" PRId64), client_id);
  else
    relay_store_set_db_error (self, error);
  return FALSE;
}

static gboolean
insert_order (RelayStore            *self,
              const RelayOrderDraft *draft,
              const char            *source,
              gint64                 now,
              gint64                *out_id,
              gboolean              *out_ledger_changed,
              GError               **error)
{
  ServiceFacts service = { 0 };
  g_autoptr (RelayStmt) stmt = NULL;
  g_autofree char *detail = NULL;
  RelayOrderStatus status;
  const char *reason = NULL;
  gint64 runs = MAX (draft->runs, 0);
  gint64 price;
  gint64 id;
  gint64 event_id;
  gboolean ok = FALSE;

  if (draft->quantity < 1)
    {
      g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE,
                   _("The quantity must be at least 1, not %" PRId64), draft->quantity);
      return FALSE;
    }
  if (!load_service_facts (self, draft->service_id, &service, error))
    goto out;
  if (draft->client_id != 0 && !check_client (self, draft->client_id, error))
    goto out;

  if (!relay_money_for_quantity (service.price, relay_store_units (draft->quantity, runs),
                                 &price, error))
    goto out;
  if (service.manual)
    {
      status = RELAY_ORDER_NEEDS_REVIEW;
      reason = awaiting_approval;
      detail = g_strdup (awaiting_approval);
    }
  else if (draft->scheduled_at > now)
    {
      g_autoptr (GDateTime) when = g_date_time_new_from_unix_utc (draft->scheduled_at);

      status = RELAY_ORDER_SCHEDULED;
      if (when != NULL)
        detail = g_date_time_format_iso8601 (when);
    }
  else
    status = RELAY_ORDER_QUEUED;

  stmt = relay_store_prepare (self,
                              "INSERT INTO orders (service_id, client_id, provider_id, catalog_id, "
                              "  provider_service_id, link, quantity, extra_json, runs, interval, status, "
                              "  review_reason, unit_price, price, can_refill, can_cancel, scheduled_at, "
                              "  next_attempt_at, created_at, updated_at) "
                              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
                              "  ?16, ?17, ?18, ?19, ?19)", error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_int64 (stmt, 1, draft->service_id);
  relay_stmt_bind_opt_int64 (stmt, 2, draft->client_id != 0, draft->client_id);
  sqlite3_bind_int64 (stmt, 3, service.provider_id);
  sqlite3_bind_int64 (stmt, 4, service.catalog_id);
  relay_stmt_bind_text (stmt, 5, service.provider_service_id);
  relay_stmt_bind_text (stmt, 6, draft->link != NULL ? draft->link : "");
  sqlite3_bind_int64 (stmt, 7, draft->quantity);
  relay_stmt_bind_text (stmt, 8, draft->extra_json);
  sqlite3_bind_int64 (stmt, 9, runs);
  sqlite3_bind_int64 (stmt, 10, MAX (draft->interval, 0));
  relay_stmt_bind_text (stmt, 11, relay_order_status_to_string (status));
  relay_stmt_bind_text (stmt, 12, reason);
  sqlite3_bind_int64 (stmt, 13, service.price);
  sqlite3_bind_int64 (stmt, 14, price);
  sqlite3_bind_int (stmt, 15, service.refill);
  sqlite3_bind_int (stmt, 16, service.cancel);
  sqlite3_bind_int64 (stmt, 17, MAX (draft->scheduled_at, 0));
  sqlite3_bind_int64 (stmt, 18, MAX (draft->scheduled_at, now));
  sqlite3_bind_int64 (stmt, 19, now);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      relay_store_set_db_error (self, error);
      goto out;
    }
  id = sqlite3_last_insert_rowid (self->db);

  event_id = relay_store_add_event (self, id, FALSE, 0, status, source, detail, now, error);
  if (event_id == 0)
    goto out;
  if (draft->client_id != 0)
    {
      if (!write_ledger (self, draft->client_id, id, event_id, "charge", price, NULL, now, error))
        goto out;
      *out_ledger_changed = TRUE;
    }
  *out_id = id;
  ok = TRUE;

out:
  g_free (service.provider_service_id);
  return ok;
}

GArray *
relay_store_insert_orders_quiet (RelayStore  *self,
                                 GPtrArray   *drafts,
                                 const char  *source,
                                 gboolean    *out_ledger_changed,
                                 GError     **error)
{
  g_autoptr (GArray) ids = NULL;
  gboolean ledger_changed = FALSE;
  gint64 now = relay_store_now ();

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);
  g_return_val_if_fail (drafts != NULL, NULL);

  ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), drafts->len);
  if (!relay_store_begin (self, error))
    return NULL;
  for (guint i = 0; i < drafts->len; i++)
    {
      gint64 id = 0;

      if (!insert_order (self, g_ptr_array_index (drafts, i), source, now, &id, &ledger_changed,
                         error))
        {
          if (drafts->len > 1)
            g_prefix_error (error, _("Order %u of %u: "), i + 1, drafts->len);
          relay_store_rollback (self);
          return NULL;
        }
      g_array_append_val (ids, id);
    }
  if (!relay_store_commit (self, error))
    return NULL;
  if (out_ledger_changed != NULL)
    *out_ledger_changed = ledger_changed;
  return g_steal_pointer (&ids);
}

GArray *
relay_store_insert_orders (RelayStore  *self,
                           GPtrArray   *drafts,
                           const char  *source,
                           GError     **error)
{
  gboolean ledger_changed = FALSE;
  GArray *ids = relay_store_insert_orders_quiet (self, drafts, source, &ledger_changed, error);

  if (ids != NULL)
    {
      relay_store_emit_orders_changed (self, ids);
      if (ledger_changed)
        relay_store_emit_clients_changed (self);
    }
  return ids;
}

RelayOrderRow *
relay_store_get_order (RelayStore  *self,
                       gint64       id,
                       GError     **error)
{
  g_autoptr (RelayStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);

  stmt = relay_store_prepare (self,
                              "SELECT " RELAY_ORDER_COLUMNS " FROM orders o" RELAY_ORDER_JOINS
                              " WHERE o.id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return relay_store_order_from_stmt (stmt);
  if (rc == SQLITE_DONE)
    set_order_not_found (id, error);
  else
    relay_store_set_db_error (self, error);
  return NULL;
}

GPtrArray *
relay_store_list_order_events (RelayStore  *self,
                               gint64       order_id,
                               GError     **error)
{
  g_auto (RelayOrderFacts) facts = { 0 };
  g_autoptr (RelayStmt) stmt = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  int rc;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);

  if (!relay_store_load_facts (self, order_id, &facts, error))
    return NULL;
  stmt = relay_store_prepare (self,
                              "SELECT id, order_id, at, old_status, new_status, source, detail "
                              "FROM order_events WHERE order_id = ? ORDER BY at, id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, order_id);
  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_order_event_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RelayOrderEvent *event = g_new0 (RelayOrderEvent, 1);

      event->id = sqlite3_column_int64 (stmt, 0);
      event->order_id = sqlite3_column_int64 (stmt, 1);
      event->at = sqlite3_column_int64 (stmt, 2);
      event->has_old_status = sqlite3_column_type (stmt, 3) != SQLITE_NULL;
      if (event->has_old_status)
        event->old_status = relay_stmt_get_status (stmt, 3);
      event->new_status = relay_stmt_get_status (stmt, 4);
      event->source = relay_stmt_dup_text (stmt, 5);
      event->detail = relay_stmt_dup_text (stmt, 6);
      g_ptr_array_add (rows, event);
    }
  if (rc != SQLITE_DONE)
    {
      relay_store_set_db_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

gboolean
relay_store_count_by_status (RelayStore  *self,
                             gint64       counts[RELAY_ORDER_N_STATUSES],
                             GError     **error)
{
  g_autoptr (RelayStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);

  for (guint i = 0; i < RELAY_ORDER_N_STATUSES; i++)
    counts[i] = 0;
  /* Kept by triggers on orders (see the schema). */
  stmt = relay_store_prepare (self, "SELECT status, n FROM order_counts", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    counts[relay_stmt_get_status (stmt, 0)] = sqlite3_column_int64 (stmt, 1);
  if (rc != SQLITE_DONE)
    return relay_store_set_db_error (self, error);
  return TRUE;
}

gint64
relay_store_get_max_order_id (RelayStore *self)
{
  g_autoptr (RelayStmt) stmt = NULL;

  g_return_val_if_fail (RELAY_IS_STORE (self), 0);

  stmt = relay_store_prepare_query (self, "SELECT COALESCE (MAX (id), 0) FROM orders", NULL);
  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return 0;
  return sqlite3_column_int64 (stmt, 0);
}
