/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayStore: what the status sync reads and writes: active orders, the
 * providers' statuses, refills, and notes in an order's history. */
#include <inttypes.h>
#include "config.h"

#include "relay-store-private.h"

/* The book keeps only valid UTF-8, whatever a caller passes (a second line
 * behind the provider layer, so that `orders --json` and every reader can
 * decode it): a repaired copy of @text, or NULL when it needs none. */
static char *
book_text (const char *text)
{
  return text != NULL && !g_utf8_validate (text, -1, NULL) ? g_utf8_make_valid (text, -1) : NULL;
}

GPtrArray *
relay_store_list_active (RelayStore  *self,
                         GError     **error)
{
  g_autoptr (RelayStmt) stmt = NULL;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);

  stmt = relay_store_prepare (self,
                              "SELECT " RELAY_ORDER_COLUMNS " FROM orders o" RELAY_ORDER_JOINS
                              " WHERE o.status IN ('pending', 'processing', 'in_progress')"
                              " ORDER BY o.provider_id, o.id", error);
  if (stmt == NULL)
    return NULL;
  return relay_store_collect_orders (self, stmt, error);
}

GPtrArray *
relay_store_list_active_page (RelayStore  *self,
                              gint64       after_id,
                              guint        limit,
                              GError     **error)
{
  g_autoptr (RelayStmt) stmt = NULL;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);

  /* A walk of the not-final orders by id from @after_id, a page's worth
   * (schema 5's partial index orders_active_id, whose condition is repeated
   * so that it applies): never every active order of each status past
   * @after_id read and sorted again for each page. */
  stmt = relay_store_prepare (self,
                              "SELECT " RELAY_ORDER_COLUMNS " FROM orders o INDEXED BY orders_active_id"
                              RELAY_ORDER_JOINS
                              " WHERE o.status IN ('scheduled', 'queued', 'sending', 'pending',"
                              "                    'processing', 'in_progress')"
                              "   AND o.status IN ('pending', 'processing', 'in_progress')"
                              "   AND o.id > ?1 ORDER BY o.id LIMIT ?2", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, after_id);
  sqlite3_bind_int64 (stmt, 2, limit);
  return relay_store_collect_orders (self, stmt, error);
}

/* Sent and not finished, or finished as partial / canceled (whose numbers a
 * provider may still correct, without changing the status). */
static gboolean
is_touchable (RelayOrderStatus status)
{
  return relay_order_status_is_active (status) ||
         status == RELAY_ORDER_PARTIAL ||
         status == RELAY_ORDER_CANCELED;
}

static gboolean
same_opt (gboolean has_a,
          gint64   a,
          gboolean has_b,
          gint64   b)
{
  return has_a == has_b && (!has_a || a == b);
}

static gboolean
record_error (RelayStore               *self,
              RelayOrderFacts          *facts,
              const RelayStatusUpdate  *update,
              gint64                    now,
              gboolean                 *out_touched,
              GError                  **error)
{
  g_autoptr (RelayStmt) stmt = NULL;

  if (g_strcmp0 (facts->error, update->error) == 0)
    return TRUE;
  stmt = relay_store_prepare (self, "UPDATE orders SET error = ?, updated_at = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  relay_stmt_bind_text (stmt, 1, update->error);
  sqlite3_bind_int64 (stmt, 2, now);
  sqlite3_bind_int64 (stmt, 3, facts->id);
  if (!relay_store_step_done (self, stmt, error))
    return FALSE;
  *out_touched = TRUE;
  return TRUE;
}

/* The panel's words when an update carries numbers no panel can mean for
 * this order, else NULL.  Remains above the order's units, or an
 * over-delivery beyond the most units any order may have (remains <
 * -RELAY_MONEY_MAX_UNITS, such as -9223372036854775807), or a charge
 * below zero or above RELAY_MONEY_MAX_AMOUNT, or an order in the book that
 * cannot be priced: such a reply is not applied (no status change, no
 * refund), see hold_reply().  Over-delivery within
 * that is real and applied: the refund counts the order as fully delivered. */
static char *
describe_absurd (const RelayOrderFacts   *facts,
                 const RelayStatusUpdate *update)
{
  gint64 units = relay_store_units (facts->quantity, facts->runs);
  const char *word = update->status_word ? update->status_word : "";
  g_autoptr (GError) error = NULL;
  gint64 refund;

  /* A book written before the limits may hold an order that cannot be
   * priced: it is held rather than failing the whole reply. */
  if (!relay_money_refund (facts->unit_price, units, 0, &refund, &error))
    return g_strdup_printf ("reply not applied: %s (status “%s”)", error->message, word);
  if (update->has_remains &&
      (update->remains > units || update->remains < -RELAY_MONEY_MAX_UNITS))
    return g_strdup_printf ("reply not applied: remains %" PRId64 " for an order of %" PRId64
                            " units (status “%s”)", update->remains, units, word);
  /* An order's currency is the provider's when it was sent: a reply in
   * another one would move its charge and cost to another column of the
   * reports. */
  if (update->currency != NULL && facts->currency != NULL &&
      g_ascii_strcasecmp (update->currency, facts->currency) != 0)
    return g_strdup_printf ("reply not applied: currency %s for an order in %s (status “%s”)",
                            update->currency, facts->currency, word);
  if (update->has_charge && (update->charge < 0 || update->charge > RELAY_MONEY_MAX_AMOUNT))
    {
      g_autofree char *charge = relay_money_format (update->charge);

      return g_strdup_printf ("reply not applied: charge %s (status “%s”)", charge, word);
    }
  return NULL;
}

/* Keeps an order as it is when its reply was absurd: the panel's words go to
 * the order's error and, once, to its history, where the person looking at it
 * sees them; the next sane reply applies as usual.  Not the review queue: a
 * sent order there could be "not placed, send again" and go out twice. */
static gboolean
hold_reply (RelayStore       *self,
            RelayOrderFacts  *facts,
            const char       *words,
            gint64            now,
            gboolean         *out_touched,
            GError          **error)
{
  g_autoptr (RelayStmt) stmt = NULL;

  if (g_strcmp0 (facts->error, words) == 0)
    return TRUE;
  stmt = relay_store_prepare (self,
                              "UPDATE orders SET error = ?, updated_at = ? WHERE id = ? AND status = ?",
                              error);
  if (stmt == NULL)
    return FALSE;
  relay_stmt_bind_text (stmt, 1, words);
  sqlite3_bind_int64 (stmt, 2, now);
  sqlite3_bind_int64 (stmt, 3, facts->id);
  relay_stmt_bind_text (stmt, 4, relay_order_status_to_string (facts->status));
  if (!relay_store_step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->db) != 1)
    return TRUE;
  if (relay_store_add_event (self, facts->id, FALSE, 0, facts->status, "sync", words, now,
                             error) == 0)
    return FALSE;
  *out_touched = TRUE;
  return TRUE;
}

/* Applies one update to a touchable order, inside the open transaction. */
static gboolean
apply_one (RelayStore               *self,
           RelayOrderFacts          *facts,
           const RelayStatusUpdate  *update,
           gint64                    now,
           gboolean                 *out_touched,
           gboolean                 *out_status_changed,
           gboolean                 *out_ledger_changed,
           GError                  **error)
{
  g_autoptr (RelayStmt) stmt = NULL;
  g_autoptr (GString) sql = NULL;
  RelayOrderStatus old_status = facts->status;
  RelayOrderStatus new_status = facts->status;
  RelayOrderStatus mapped;
  const char *word = update->status_word ? update->status_word : facts->provider_status;
  /* Fixed when the order was sent (the provider's); see describe_absurd().
   * Only an order sent before its provider's currency was known takes the
   * first one a reply names (a code, checked when the reply was read). */
  const char *currency = facts->currency ? facts->currency : update->currency;
  gboolean has_start_count = update->has_start_count || facts->has_start_count;
  gint64 start_count = update->has_start_count ? update->start_count : facts->start_count;
  gboolean has_remains = update->has_remains || facts->has_remains;
  gint64 remains = update->has_remains ? update->remains : facts->remains;
  gboolean has_charge = update->has_charge || facts->has_charge;
  gint64 charge = update->has_charge ? update->charge : facts->charge;
  gint64 event_id;

  /* An unknown word keeps the canonical status; the word is still shown. */
  if (relay_order_status_from_provider (update->status_word, &mapped))
    new_status = mapped;
  /* A finished order is never moved again. */
  if (relay_order_status_is_final (old_status) && new_status != old_status)
    return TRUE;

  if (new_status == old_status &&
      g_strcmp0 (word, facts->provider_status) == 0 &&
      g_strcmp0 (currency, facts->currency) == 0 &&
      same_opt (has_start_count, start_count, facts->has_start_count, facts->start_count) &&
      same_opt (has_remains, remains, facts->has_remains, facts->remains) &&
      same_opt (has_charge, charge, facts->has_charge, facts->charge) &&
      facts->error == NULL)
    return TRUE;

  /* Only the columns that change are written: SQLite rewrites the entry of
   * every index over a column named in SET, whether its value moved or not
   * (schema 5 has a dozen over status, remains, charge, updated_at…), and
   * that was most of a status refresh's time.  At most 2^7 texts (times
   * three for the start and end times), each prepared once.  Guarded on the
   * status read in this transaction. */
  sql = g_string_new ("UPDATE orders SET updated_at = ?7");
  if (new_status != old_status)
    g_string_append (sql, ", status = ?1");
  if (g_strcmp0 (word, facts->provider_status) != 0)
    g_string_append (sql, ", provider_status = ?2");
  if (!same_opt (has_start_count, start_count, facts->has_start_count, facts->start_count))
    g_string_append (sql, ", start_count = ?3");
  if (!same_opt (has_remains, remains, facts->has_remains, facts->remains))
    g_string_append (sql, ", remains = ?4");
  if (!same_opt (has_charge, charge, facts->has_charge, facts->charge))
    g_string_append (sql, ", charge = ?5");
  if (g_strcmp0 (currency, facts->currency) != 0)
    g_string_append (sql, ", currency = ?6");
  if (facts->error != NULL)
    g_string_append (sql, ", error = NULL");
  /* What the orders_started and orders_completed triggers would set when the
   * event below is added, set here instead: their second UPDATE of the row
   * then changes nothing, where it wrote the row and the wide orders_report
   * index entry again (most orders of a refresh start). */
  if (new_status != old_status &&
      (new_status == RELAY_ORDER_IN_PROGRESS || new_status == RELAY_ORDER_PARTIAL ||
       new_status == RELAY_ORDER_COMPLETED))
    g_string_append (sql, ", started_at = COALESCE (started_at, ?7)");
  if (new_status != old_status && new_status == RELAY_ORDER_COMPLETED)
    g_string_append (sql, ", completed_at = COALESCE (completed_at, ?7)");
  g_string_append (sql, " WHERE id = ?8 AND status = ?9");
  stmt = relay_store_prepare (self, sql->str, error);
  if (stmt == NULL)
    return FALSE;
  relay_stmt_bind_text (stmt, 1, relay_order_status_to_string (new_status));
  relay_stmt_bind_text (stmt, 2, word);
  relay_stmt_bind_opt_int64 (stmt, 3, has_start_count, start_count);
  relay_stmt_bind_opt_int64 (stmt, 4, has_remains, remains);
  relay_stmt_bind_opt_int64 (stmt, 5, has_charge, charge);
  relay_stmt_bind_text (stmt, 6, currency);
  sqlite3_bind_int64 (stmt, 7, now);
  sqlite3_bind_int64 (stmt, 8, facts->id);
  relay_stmt_bind_text (stmt, 9, relay_order_status_to_string (old_status));
  if (!relay_store_step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->db) != 1)
    return TRUE;   /* moved meanwhile: the next refresh sees it as it is */
  *out_touched = TRUE;
  if (new_status == old_status && relay_order_status_is_final (old_status) &&
      !same_opt (has_remains, remains, facts->has_remains, facts->remains))
    {
      g_autofree char *before = facts->has_remains
        ? g_strdup_printf ("%" PRId64, facts->remains) : g_strdup ("?");
      g_autofree char *detail = g_strdup_printf ("remains corrected by the provider: %s -> %"
                                                 PRId64, before, remains);

      event_id = relay_store_add_event (self, facts->id, TRUE, old_status, old_status, "sync",
                                        detail, now, error);
      if (event_id == 0)
        return FALSE;
      facts->has_remains = has_remains;
      facts->remains = remains;
      return relay_store_settle_correction (self, facts, event_id, now, out_ledger_changed, error);
    }
  if (new_status == old_status)
    return TRUE;

  *out_status_changed = TRUE;
  event_id = relay_store_add_event (self, facts->id, TRUE, old_status, new_status, "sync",
                                    update->status_word, now, error);
  if (event_id == 0)
    return FALSE;
  /* The refund counts what was delivered by the new numbers. */
  facts->has_remains = has_remains;
  facts->remains = remains;
  return relay_store_settle (self, facts, new_status, event_id, now, out_ledger_changed, error);
}

static gboolean
apply_all (RelayStore  *self,
           GPtrArray   *updates,
           gint64       now,
           GArray      *touched,
           GArray      *changed,
           GArray      *held,
           gboolean    *out_ledger_changed,
           GError     **error)
{
  for (guint i = 0; i < updates->len; i++)
    {
      RelayStatusUpdate repaired = *(const RelayStatusUpdate *) g_ptr_array_index (updates, i);
      const RelayStatusUpdate *update = &repaired;
      g_autofree char *valid_word = book_text (repaired.status_word);
      g_autofree char *valid_error = book_text (repaired.error);
      g_autofree char *valid_currency = book_text (repaired.currency);
      g_auto (RelayOrderFacts) facts = { 0 };
      g_autoptr (GError) local_error = NULL;
      g_autofree char *absurd = NULL;
      gboolean was_touched = FALSE;
      gboolean status_changed = FALSE;

      if (valid_word != NULL)
        repaired.status_word = valid_word;
      if (valid_error != NULL)
        repaired.error = valid_error;
      if (valid_currency != NULL)
        repaired.currency = valid_currency;
      /* One unknown id must not spoil the others. */
      if (!relay_store_load_facts (self, update->order_id, &facts, &local_error))
        {
          if (g_error_matches (local_error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_NOT_FOUND))
            continue;
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (!is_touchable (facts.status))
        continue;
      if (update->error != NULL)
        {
          if (!record_error (self, &facts, update, now, &was_touched, error))
            return FALSE;
        }
      else if ((absurd = describe_absurd (&facts, update)) != NULL)
        {
          if (!hold_reply (self, &facts, absurd, now, &was_touched, error))
            return FALSE;
          g_array_append_val (held, update->order_id);
        }
      else if (!apply_one (self, &facts, update, now, &was_touched, &status_changed,
                           out_ledger_changed, error))
        return FALSE;

      if (was_touched)
        g_array_append_val (touched, update->order_id);
      if (status_changed)
        g_array_append_val (changed, update->order_id);
    }
  return TRUE;
}

gboolean
relay_store_apply_statuses (RelayStore  *self,
                            GPtrArray   *updates,
                            GArray     **out_changed,
                            GError     **error)
{
  return relay_store_apply_statuses_full (self, updates, out_changed, NULL, error);
}

gboolean
relay_store_apply_statuses_quiet (RelayStore  *self,
                                  GPtrArray   *updates,
                                  GArray     **out_touched,
                                  GArray     **out_changed,
                                  GArray     **out_held,
                                  gboolean    *out_ledger_changed,
                                  GError     **error)
{
  g_autoptr (GArray) touched = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GArray) changed = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GArray) held = g_array_new (FALSE, FALSE, sizeof (gint64));
  gboolean ledger_changed = FALSE;

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (updates != NULL, FALSE);

  if (!relay_store_begin (self, error))
    return FALSE;
  if (!apply_all (self, updates, relay_store_now (), touched, changed, held, &ledger_changed,
                  error))
    {
      relay_store_rollback (self);
      return FALSE;
    }
  if (!relay_store_commit (self, error))
    return FALSE;

  if (out_touched != NULL)
    *out_touched = g_steal_pointer (&touched);
  if (out_changed != NULL)
    *out_changed = g_steal_pointer (&changed);
  if (out_held != NULL)
    *out_held = g_steal_pointer (&held);
  if (out_ledger_changed != NULL)
    *out_ledger_changed = ledger_changed;
  return TRUE;
}

gboolean
relay_store_apply_statuses_full (RelayStore  *self,
                                 GPtrArray   *updates,
                                 GArray     **out_changed,
                                 GArray     **out_held,
                                 GError     **error)
{
  g_autoptr (GArray) touched = NULL;
  gboolean ledger_changed = FALSE;

  if (!relay_store_apply_statuses_quiet (self, updates, &touched, out_changed, out_held,
                                         &ledger_changed, error))
    return FALSE;
  relay_store_notify_changes (self, touched, ledger_changed);
  return TRUE;
}

void
relay_store_notify_changes (RelayStore *self,
                            GArray     *order_ids,
                            gboolean    clients_changed)
{
  g_return_if_fail (RELAY_IS_STORE (self));

  relay_store_emit_orders_changed (self, order_ids);
  if (clients_changed)
    relay_store_emit_clients_changed (self);
}

/* ---- refills ---- */

#define REFILL_SELECT \
  "SELECT id, order_id, provider_refill_id, status, error, created_at, updated_at FROM refills "

static GPtrArray *
collect_refills (RelayStore  *self,
                 RelayStmt   *stmt,
                 GError     **error)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_refill_row_free);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RelayRefillRow *row = g_new0 (RelayRefillRow, 1);

      row->id = sqlite3_column_int64 (stmt, 0);
      row->order_id = sqlite3_column_int64 (stmt, 1);
      row->provider_refill_id = relay_stmt_dup_text (stmt, 2);
      row->status = relay_stmt_dup_text (stmt, 3);
      row->error = relay_stmt_dup_text (stmt, 4);
      row->created_at = sqlite3_column_int64 (stmt, 5);
      row->updated_at = sqlite3_column_int64 (stmt, 6);
      g_ptr_array_add (rows, row);
    }
  if (rc != SQLITE_DONE)
    {
      relay_store_set_db_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

gboolean
relay_store_add_refill (RelayStore  *self,
                        gint64       order_id,
                        const char  *provider_refill_id,
                        GError     **error)
{
  g_auto (RelayOrderFacts) facts = { 0 };
  g_autoptr (RelayStmt) stmt = NULL;
  gint64 now = relay_store_now ();

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);

  if (!relay_store_load_facts (self, order_id, &facts, error))
    return FALSE;
  stmt = relay_store_prepare (self,
                              "INSERT INTO refills (order_id, provider_refill_id, status, created_at, updated_at) "
                              "VALUES (?, ?, 'requested', ?3, ?3)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, order_id);
  relay_stmt_bind_text (stmt, 2, provider_refill_id);
  sqlite3_bind_int64 (stmt, 3, now);
  if (!relay_store_step_done (self, stmt, error))
    return FALSE;

  relay_store_emit_order_changed (self, order_id);
  return TRUE;
}

GPtrArray *
relay_store_list_refills (RelayStore  *self,
                          gint64       order_id,
                          GError     **error)
{
  g_autoptr (RelayStmt) stmt = NULL;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);

  stmt = relay_store_prepare (self, REFILL_SELECT "WHERE order_id = ? ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, order_id);
  return collect_refills (self, stmt, error);
}

GPtrArray *
relay_store_list_active_refills (RelayStore  *self,
                                 GError     **error)
{
  g_autoptr (RelayStmt) stmt = NULL;

  g_return_val_if_fail (RELAY_IS_STORE (self), NULL);

  stmt = relay_store_prepare (self,
                              REFILL_SELECT
                              "WHERE lower (replace (status, ' ', '')) NOT IN ('completed', 'rejected') "
                              "ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  return collect_refills (self, stmt, error);
}

/* Writes a refill's status and error; with @guarded, only while they are
 * still @seen_status and @seen_error.  *@out_written says whether the row
 * was written (FALSE: changed meanwhile when guarded, or gone). */
static gboolean
write_refill_status (RelayStore  *self,
                     gint64       refill_id,
                     gboolean     guarded,
                     const char  *seen_status,
                     const char  *seen_error,
                     const char  *status,
                     const char  *error_text,
                     gboolean    *out_written,
                     GError     **error)
{
  g_autofree char *valid_status = book_text (status);
  g_autofree char *valid_error_text = book_text (error_text);
  g_autoptr (RelayStmt) stmt = NULL;
  gint64 order_id;
  int rc;

  if (valid_status != NULL)
    status = valid_status;
  if (valid_error_text != NULL)
    error_text = valid_error_text;

  *out_written = FALSE;
  stmt = relay_store_prepare (self, guarded
                              ? "UPDATE refills SET status = COALESCE (?1, status), error = ?2, updated_at = ?3 "
                                "WHERE id = ?4 AND status IS ?5 AND error IS ?6 RETURNING order_id"
                              : "UPDATE refills SET status = COALESCE (?1, status), error = ?2, updated_at = ?3 "
                                "WHERE id = ?4 RETURNING order_id", error);
  if (stmt == NULL)
    return FALSE;
  relay_stmt_bind_text (stmt, 1, status);
  relay_stmt_bind_text (stmt, 2, error_text);
  sqlite3_bind_int64 (stmt, 3, relay_store_now ());
  sqlite3_bind_int64 (stmt, 4, refill_id);
  if (guarded)
    {
      relay_stmt_bind_text (stmt, 5, seen_status);
      relay_stmt_bind_text (stmt, 6, seen_error);
    }
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc != SQLITE_ROW)
    return relay_store_set_db_error (self, error);
  order_id = sqlite3_column_int64 (stmt, 0);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return relay_store_set_db_error (self, error);

  *out_written = TRUE;
  relay_store_emit_order_changed (self, order_id);
  return TRUE;
}

gboolean
relay_store_set_refill_status (RelayStore  *self,
                               gint64       refill_id,
                               const char  *status,
                               const char  *error_text,
                               GError     **error)
{
  gboolean written;

  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);

  if (!write_refill_status (self, refill_id, FALSE, NULL, NULL, status, error_text, &written,
                            error))
    return FALSE;
  if (!written)
    {
      g_set_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_NOT_FOUND,
                   _("No refill with id %" PRId64), refill_id);
      return FALSE;
    }
  return TRUE;
}

gboolean
relay_store_update_refill_status (RelayStore  *self,
                                  gint64       refill_id,
                                  const char  *seen_status,
                                  const char  *seen_error,
                                  const char  *status,
                                  const char  *error_text,
                                  gboolean    *out_written,
                                  GError     **error)
{
  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);
  g_return_val_if_fail (out_written != NULL, FALSE);

  return write_refill_status (self, refill_id, TRUE, seen_status, seen_error, status, error_text,
                              out_written, error);
}

gboolean
relay_store_add_order_note (RelayStore  *self,
                            gint64       order_id,
                            const char  *source,
                            const char  *detail,
                            GError     **error)
{
  g_autofree char *valid_detail = book_text (detail);
  g_auto (RelayOrderFacts) facts = { 0 };

  if (valid_detail != NULL)
    detail = valid_detail;
  g_return_val_if_fail (RELAY_IS_STORE (self), FALSE);

  if (!relay_store_begin (self, error))
    return FALSE;
  if (!relay_store_load_facts (self, order_id, &facts, error) ||
      relay_store_add_event (self, order_id, FALSE, 0, facts.status, source, detail,
                             relay_store_now (), error) == 0 ||
      !relay_store_commit (self, error))
    {
      relay_store_rollback (self);
      return FALSE;
    }

  relay_store_emit_order_changed (self, order_id);
  return TRUE;
}
