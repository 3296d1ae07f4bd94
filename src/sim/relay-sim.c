/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The simulator object: its settings, clock, records, faults and refunds. */
#include "relay-sim-private.h"
#include "relay-money.h"

#include <math.h>

G_DEFINE_FINAL_TYPE (RelaySim, relay_sim, G_TYPE_OBJECT)

static const char * const fault_names[RELAY_SIM_N_FAULTS] = {
  [RELAY_SIM_FAULT_NONE] = "none",
  [RELAY_SIM_FAULT_TIMEOUT] = "timeout",
  [RELAY_SIM_FAULT_HTML_BEFORE] = "html_before",
  [RELAY_SIM_FAULT_HTML_AFTER] = "html_after",
  [RELAY_SIM_FAULT_DROP_BEFORE] = "drop_before",
  [RELAY_SIM_FAULT_DROP_AFTER] = "drop_after",
  [RELAY_SIM_FAULT_ERROR_JSON] = "error_json",
  [RELAY_SIM_FAULT_RATE_LIMIT] = "rate_limit",
};

gboolean
relay_sim_fault_from_string (const char    *name,
                             RelaySimFault *out)
{
  g_return_val_if_fail (out != NULL, FALSE);

  if (name == NULL)
    return FALSE;
  for (guint i = 0; i < RELAY_SIM_N_FAULTS; i++)
    {
      /* "html-before" is accepted as well as "html_before". */
      g_autofree char *alt = g_strdelimit (g_strdup (fault_names[i]), "_", '-');

      if (g_ascii_strcasecmp (name, fault_names[i]) == 0 || g_ascii_strcasecmp (name, alt) == 0)
        {
          *out = i;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
relay_sim_fault_to_string (RelaySimFault fault)
{
  g_return_val_if_fail (fault < RELAY_SIM_N_FAULTS, NULL);
  return fault_names[fault];
}

void
relay_sim_order_free (RelaySimOrder *order)
{
  if (order == NULL)
    return;
  g_free (order->service_id);
  g_free (order->link);
  g_free (order->status);
  g_free (order);
}

static void
fault_rule_free (RelaySimFaultRule *rule)
{
  g_free (rule->action);
  g_free (rule->body);
  g_free (rule);
}

/* A small generator with no state beyond its seed (splitmix64), so that what
 * happens to order N depends only on the seed and N. */
static guint64
mix_next (guint64 *state)
{
  guint64 z = (*state += G_GUINT64_CONSTANT (0x9E3779B97F4A7C15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  return z ^ (z >> 31);
}

static double
mix_double (guint64 *state)
{
  return (double) (mix_next (state) >> 11) * (1.0 / 9007199254740992.0);
}

static guint64
mix_seed (guint32 seed,
          guint64 salt,
          gint64  id)
{
  return (guint64) seed * G_GUINT64_CONSTANT (0x100000001B3)
         ^ (salt * G_GUINT64_CONSTANT (0xD6E8FEB86659FD93))
         ^ ((guint64) id * G_GUINT64_CONSTANT (0xC2B2AE3D27D4EB4F));
}

static void
reset_ids (RelaySim *self)
{
  guint64 state = mix_seed (self->seed, 1, 0);

  /* Panels have been running for a while: ids start somewhere like 23501. */
  self->next_order_id = 20501 + (gint64) (mix_next (&state) % 60) * 100;
  self->next_refill_id = 1 + (gint64) (mix_next (&state) % 90) * 10;
}

static int
compare_end_time (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  const RelaySimOrderRec *ra = a;
  const RelaySimOrderRec *rb = b;
  double ea = relay_sim_order_rec_end_time (ra);
  double eb = relay_sim_order_rec_end_time (rb);

  if (ea != eb)
    return ea < eb ? -1 : 1;
  return ra->id < rb->id ? -1 : ra->id > rb->id;
}

static void
relay_sim_dispose (GObject *object)
{
  RelaySim *self = RELAY_SIM (object);

  relay_sim_server_stop (self);
  relay_sim_state_close (self);

  G_OBJECT_CLASS (relay_sim_parent_class)->dispose (object);
}

static void
relay_sim_finalize (GObject *object)
{
  RelaySim *self = RELAY_SIM (object);

  relay_sim_clear_records (self);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->api_key, g_free);
  g_clear_pointer (&self->rand, g_rand_free);
  g_clear_pointer (&self->services_by_id, g_hash_table_unref);
  g_clear_pointer (&self->services, g_ptr_array_unref);
  g_clear_pointer (&self->disabled, g_hash_table_unref);
  g_clear_pointer (&self->orders_by_id, g_hash_table_unref);
  g_clear_pointer (&self->links, g_hash_table_unref);
  g_clear_pointer (&self->unsettled, g_sequence_free);
  g_clear_pointer (&self->orders, g_ptr_array_unref);
  g_clear_pointer (&self->refills_by_id, g_hash_table_unref);
  g_clear_pointer (&self->refills, g_ptr_array_unref);
  g_clear_pointer (&self->injected, g_ptr_array_unref);
  g_clear_pointer (&self->replies, g_ptr_array_unref);
  g_clear_pointer (&self->fault_rates, g_ptr_array_unref);
  g_clear_pointer (&self->requests, g_hash_table_unref);
  g_clear_pointer (&self->dirty_orders, g_hash_table_unref);
  g_clear_pointer (&self->dirty_refills, g_hash_table_unref);
  g_clear_pointer (&self->state_path, g_free);

  G_OBJECT_CLASS (relay_sim_parent_class)->finalize (object);
}

static void
relay_sim_class_init (RelaySimClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = relay_sim_dispose;
  object_class->finalize = relay_sim_finalize;
}

static void
index_services (RelaySim *self)
{
  g_clear_pointer (&self->services_by_id, g_hash_table_unref);
  self->services_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < self->services->len; i++)
    {
      RelaySimService *service = g_ptr_array_index (self->services, i);

      g_hash_table_insert (self->services_by_id, service->id, service);
    }
}

static void
relay_sim_init (RelaySim *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->api_key = g_strdup (RELAY_SIM_DEFAULT_KEY);
  self->speed = 1.0;
  self->seed = RELAY_SIM_DEFAULT_SEED;
  self->rand = g_rand_new_with_seed (self->seed);
  self->numbers = RELAY_SIM_NUMBERS_MIXED;
  self->clock_base = 0;
  self->clock_anchor = g_get_monotonic_time ();
  self->services = relay_sim_catalog_new (0);
  index_services (self);
  self->disabled = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->balance = RELAY_SIM_DEFAULT_BALANCE;
  self->orders = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_sim_order_rec_free);
  self->orders_by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  self->links = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                       (GDestroyNotify) g_ptr_array_unref);
  self->unsettled = g_sequence_new (NULL);
  self->refills = g_ptr_array_new_with_free_func (g_free);
  self->refills_by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  self->injected = g_ptr_array_new_with_free_func ((GDestroyNotify) fault_rule_free);
  self->replies = g_ptr_array_new_with_free_func ((GDestroyNotify) fault_rule_free);
  self->fault_rates = g_ptr_array_new_with_free_func ((GDestroyNotify) fault_rule_free);
  self->requests = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->dirty_orders = g_hash_table_new (NULL, NULL);
  self->dirty_refills = g_hash_table_new (NULL, NULL);
  reset_ids (self);
}

/**
 * relay_sim_new:
 *
 * Returns: (transfer full): a simulator that is not listening yet.  It lives
 * in the thread-default main context of the calling thread.
 */
RelaySim *
relay_sim_new (void)
{
  return g_object_new (RELAY_TYPE_SIM, NULL);
}

gboolean
relay_sim_listen (RelaySim  *self,
                  guint      port,
                  GError   **error)
{
  g_return_val_if_fail (RELAY_IS_SIM (self), FALSE);
  g_return_val_if_fail (port <= G_MAXUINT16, FALSE);

  return relay_sim_server_start (self, port, error);
}

char *
relay_sim_dup_url (RelaySim *self)
{
  g_return_val_if_fail (RELAY_IS_SIM (self), NULL);

  return g_strdup_printf ("http://127.0.0.1:%u/api/v2", self->port);
}

guint
relay_sim_get_port (RelaySim *self)
{
  g_return_val_if_fail (RELAY_IS_SIM (self), 0);

  return self->port;
}

void
relay_sim_set_api_key (RelaySim   *self,
                       const char *key)
{
  g_return_if_fail (RELAY_IS_SIM (self));
  g_return_if_fail (key != NULL);

  g_free (self->api_key);
  self->api_key = g_strdup (key);
}

void
relay_sim_set_latency (RelaySim *self,
                       guint     min_ms,
                       guint     max_ms)
{
  g_return_if_fail (RELAY_IS_SIM (self));

  self->latency_min = MIN (min_ms, max_ms);
  self->latency_max = MAX (min_ms, max_ms);
}

double
relay_sim_now (RelaySim *self)
{
  gint64 elapsed = g_get_monotonic_time () - self->clock_anchor;

  return self->clock_base + (double) elapsed / G_USEC_PER_SEC * self->speed;
}

void
relay_sim_set_speed (RelaySim *self,
                     double    speed)
{
  g_return_if_fail (RELAY_IS_SIM (self));
  g_return_if_fail (speed >= 0);

  self->clock_base = relay_sim_now (self);
  self->clock_anchor = g_get_monotonic_time ();
  self->speed = speed;
}

void
relay_sim_set_seed (RelaySim *self,
                    guint32   seed)
{
  g_return_if_fail (RELAY_IS_SIM (self));

  self->seed = seed;
  g_rand_set_seed (self->rand, seed);
  if (self->orders->len == 0 && self->refills->len == 0)
    {
      reset_ids (self);
      relay_sim_mark_meta_dirty (self);
    }
}

void
relay_sim_set_numbers (RelaySim        *self,
                       RelaySimNumbers  numbers)
{
  g_return_if_fail (RELAY_IS_SIM (self));
  g_return_if_fail (numbers <= RELAY_SIM_NUMBERS_NUMBERS);

  self->numbers = numbers;
}

void
relay_sim_set_balance (RelaySim *self,
                       gint64    micro)
{
  g_return_if_fail (RELAY_IS_SIM (self));

  relay_sim_settle (self);
  self->balance = micro;
  relay_sim_mark_meta_dirty (self);
}

gboolean
relay_sim_top_up (RelaySim *self,
                  gint64    micro)
{
  gint64 sum;

  g_return_val_if_fail (RELAY_IS_SIM (self), FALSE);

  relay_sim_settle (self);
  if (micro < 0 || !relay_money_add (self->balance, micro, &sum, NULL) ||
      sum > RELAY_MONEY_MAX_AMOUNT)
    return FALSE;
  self->balance = sum;
  relay_sim_mark_meta_dirty (self);
  return TRUE;
}

gint64
relay_sim_get_balance (RelaySim *self)
{
  g_return_val_if_fail (RELAY_IS_SIM (self), 0);

  relay_sim_settle (self);
  return self->balance;
}

void
relay_sim_set_service_disabled (RelaySim   *self,
                                const char *service_id,
                                gboolean    disabled)
{
  g_return_if_fail (RELAY_IS_SIM (self));
  g_return_if_fail (service_id != NULL);

  if (disabled)
    g_hash_table_add (self->disabled, g_strdup (service_id));
  else
    g_hash_table_remove (self->disabled, service_id);
  relay_sim_mark_meta_dirty (self);
}

static gboolean
rule_matches (const RelaySimFaultRule *rule,
              const char              *action)
{
  return rule->action == NULL || g_strcmp0 (rule->action, action) == 0;
}

void
relay_sim_set_fault_rate (RelaySim      *self,
                          const char    *action,
                          RelaySimFault  fault,
                          double         probability)
{
  RelaySimFaultRule *rule;

  g_return_if_fail (RELAY_IS_SIM (self));
  g_return_if_fail (fault < RELAY_SIM_N_FAULTS);

  for (guint i = 0; i < self->fault_rates->len; i++)
    {
      rule = g_ptr_array_index (self->fault_rates, i);
      if (rule->fault == fault && g_strcmp0 (rule->action, action) == 0)
        {
          g_ptr_array_remove_index (self->fault_rates, i);
          break;
        }
    }
  if (fault == RELAY_SIM_FAULT_NONE || probability <= 0)
    return;

  rule = g_new0 (RelaySimFaultRule, 1);
  rule->action = g_strdup (action);
  rule->fault = fault;
  rule->probability = MIN (probability, 1.0);
  g_ptr_array_add (self->fault_rates, rule);
}

void
relay_sim_inject_fault (RelaySim      *self,
                        const char    *action,
                        RelaySimFault  fault,
                        guint          count)
{
  RelaySimFaultRule *rule;

  g_return_if_fail (RELAY_IS_SIM (self));
  g_return_if_fail (fault < RELAY_SIM_N_FAULTS);

  /* Injecting "none" forgets what was injected for that action. */
  if (fault == RELAY_SIM_FAULT_NONE)
    {
      for (guint i = self->injected->len; i > 0; i--)
        {
          rule = g_ptr_array_index (self->injected, i - 1);
          if (g_strcmp0 (rule->action, action) == 0)
            g_ptr_array_remove_index (self->injected, i - 1);
        }
      return;
    }
  if (count == 0)
    return;

  rule = g_new0 (RelaySimFaultRule, 1);
  rule->action = g_strdup (action);
  rule->fault = fault;
  rule->count = count;
  g_ptr_array_add (self->injected, rule);
}

void
relay_sim_inject_reply (RelaySim   *self,
                        const char *action,
                        const char *body,
                        guint       count)
{
  RelaySimFaultRule *rule;

  g_return_if_fail (RELAY_IS_SIM (self));
  g_return_if_fail (body != NULL);

  if (count == 0)
    return;
  rule = g_new0 (RelaySimFaultRule, 1);
  rule->action = g_strdup (action);
  rule->body = g_strdup (body);
  rule->count = count;
  g_ptr_array_add (self->replies, rule);
}

char *
relay_sim_pick_reply (RelaySim   *self,
                      const char *action)
{
  for (guint i = 0; i < self->replies->len; i++)
    {
      RelaySimFaultRule *rule = g_ptr_array_index (self->replies, i);
      char *body;

      if (!rule_matches (rule, action))
        continue;
      body = g_strdup (rule->body);
      if (--rule->count == 0)
        g_ptr_array_remove_index (self->replies, i);
      return body;
    }
  return NULL;
}

RelaySimFault
relay_sim_pick_fault (RelaySim   *self,
                      const char *action)
{
  for (guint i = 0; i < self->injected->len; i++)
    {
      RelaySimFaultRule *rule = g_ptr_array_index (self->injected, i);
      RelaySimFault fault = rule->fault;

      if (!rule_matches (rule, action))
        continue;
      if (--rule->count == 0)
        g_ptr_array_remove_index (self->injected, i);
      return fault;
    }
  for (guint i = 0; i < self->fault_rates->len; i++)
    {
      RelaySimFaultRule *rule = g_ptr_array_index (self->fault_rates, i);

      if (rule_matches (rule, action) && g_rand_double (self->rand) < rule->probability)
        return rule->fault;
    }
  return RELAY_SIM_FAULT_NONE;
}

void
relay_sim_count_request (RelaySim   *self,
                         const char *action)
{
  const char *key = action != NULL && *action != '\0' ? action : "(none)";
  gpointer count = g_hash_table_lookup (self->requests, key);

  g_hash_table_replace (self->requests, g_strdup (key), GUINT_TO_POINTER (GPOINTER_TO_UINT (count) + 1));
  self->n_requests++;
}

void
relay_sim_advance (RelaySim *self,
                   double    seconds)
{
  g_return_if_fail (RELAY_IS_SIM (self));
  g_return_if_fail (seconds >= 0);

  self->clock_base += seconds;
  relay_sim_settle (self);
  relay_sim_mark_meta_dirty (self);
}

/**
 * relay_sim_set_state_file:
 *
 * Loads the orders, balance and clock kept in @path when it has them, or
 * writes the current ones there; afterwards every change is written within a
 * fraction of a second and when the simulator goes away.  Errors are in the
 * G_IO_ERROR domain, with SQLite's words.
 */
gboolean
relay_sim_set_state_file (RelaySim    *self,
                          const char  *path,
                          GError     **error)
{
  g_return_val_if_fail (RELAY_IS_SIM (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  return relay_sim_state_open (self, path, error);
}

/* Records. */

void
relay_sim_clear_records (RelaySim *self)
{
  if (self->orders == NULL)
    return;
  g_hash_table_remove_all (self->dirty_orders);
  g_hash_table_remove_all (self->dirty_refills);
  g_sequence_remove_range (g_sequence_get_begin_iter (self->unsettled),
                           g_sequence_get_end_iter (self->unsettled));
  g_hash_table_remove_all (self->links);
  g_hash_table_remove_all (self->orders_by_id);
  g_ptr_array_set_size (self->orders, 0);
  g_hash_table_remove_all (self->refills_by_id);
  g_ptr_array_set_size (self->refills, 0);
}

void
relay_sim_insert_order (RelaySim         *self,
                        RelaySimOrderRec *rec)
{
  GPtrArray *same_link;

  g_ptr_array_add (self->orders, rec);
  g_hash_table_insert (self->orders_by_id, &rec->id, rec);
  same_link = g_hash_table_lookup (self->links, rec->link);
  if (same_link == NULL)
    {
      same_link = g_ptr_array_new ();
      g_hash_table_insert (self->links, rec->link, same_link);
    }
  g_ptr_array_add (same_link, rec);
  if (!rec->settled)
    rec->settle_iter = g_sequence_insert_sorted (self->unsettled, rec, compare_end_time, NULL);
  self->next_order_id = MAX (self->next_order_id, rec->id + 1);
}

void
relay_sim_insert_refill (RelaySim       *self,
                         RelaySimRefill *refill)
{
  g_ptr_array_add (self->refills, refill);
  g_hash_table_insert (self->refills_by_id, &refill->id, refill);
  self->next_refill_id = MAX (self->next_refill_id, refill->id + 1);
}

RelaySimService *
relay_sim_lookup_service (RelaySim   *self,
                          const char *id)
{
  return g_hash_table_lookup (self->services_by_id, id);
}

RelaySimOrderRec *
relay_sim_lookup_order (RelaySim *self,
                        gint64    id)
{
  return g_hash_table_lookup (self->orders_by_id, &id);
}

RelaySimRefill *
relay_sim_lookup_refill (RelaySim *self,
                         gint64    id)
{
  return g_hash_table_lookup (self->refills_by_id, &id);
}

gboolean
relay_sim_has_active_order_with_link (RelaySim   *self,
                                      const char *link)
{
  GPtrArray *same_link = g_hash_table_lookup (self->links, link);
  double now = relay_sim_now (self);

  for (guint i = 0; same_link != NULL && i < same_link->len; i++)
    {
      RelaySimProgress progress;

      relay_sim_order_rec_progress (g_ptr_array_index (same_link, i), now, &progress);
      if (progress.state == RELAY_SIM_STATE_PENDING || progress.state == RELAY_SIM_STATE_IN_PROGRESS)
        return TRUE;
    }
  return FALSE;
}

RelaySimOrderRec *
relay_sim_add_order (RelaySim        *self,
                     RelaySimService *service,
                     const char      *link,
                     gint64           quantity,
                     gint64           runs,
                     gint64           interval,
                     gint64           total,
                     gint64           price)
{
  RelaySimOrderRec *rec = g_new0 (RelaySimOrderRec, 1);
  guint64 state;
  double r;

  rec->id = self->next_order_id;
  state = mix_seed (self->seed, 2, rec->id);
  /* Other customers order too: ids mostly follow each other, sometimes skip. */
  self->next_order_id = rec->id + 1 + (mix_next (&state) % 4 == 0 ? (gint64) (mix_next (&state) % 3) : 0);

  rec->service_id = g_strdup (service->id);
  rec->link = g_strdup (link);
  rec->quantity = quantity;
  rec->runs = runs;
  rec->interval = interval;
  rec->total = total;
  rec->rate = service->rate;
  rec->price = price;
  rec->created = relay_sim_now (self);
  rec->pending = 2.0 + 4.0 * mix_double (&state);
  /* A few seconds for a hundred, a couple of minutes for tens of thousands. */
  rec->duration = MIN (4.0 + 1.1 * sqrt ((double) total), 150.0) * (0.8 + 0.4 * mix_double (&state));
  if (runs > 1)
    rec->duration += (double) (runs - 1) * (double) interval * 60.0;
  rec->start_count = (gint64) pow (10.0, 1.0 + 4.0 * mix_double (&state));
  r = mix_double (&state);
  if (r < 0.05)
    rec->outcome = RELAY_SIM_OUTCOME_CANCELED;
  else if (r < 0.15 && total >= 2)
    rec->outcome = RELAY_SIM_OUTCOME_PARTIAL;
  else
    rec->outcome = RELAY_SIM_OUTCOME_COMPLETED;
  if (rec->outcome == RELAY_SIM_OUTCOME_PARTIAL)
    {
      gint64 stop = (gint64) ((double) total * (0.3 + 0.65 * mix_double (&state)));

      rec->stop_delivered = CLAMP (stop, 1, total - 1);
    }
  rec->variant = (guint) (mix_next (&state) & 7);
  /* Only orders that will give money back wait in the settle queue. */
  rec->settled = rec->outcome == RELAY_SIM_OUTCOME_COMPLETED;

  self->balance -= price;
  relay_sim_insert_order (self, rec);
  relay_sim_mark_order_dirty (self, rec);
  relay_sim_mark_meta_dirty (self);
  return rec;
}

static void
apply_refund (RelaySim         *self,
              RelaySimOrderRec *rec,
              double            now)
{
  RelaySimProgress progress;

  relay_sim_order_rec_progress (rec, now, &progress);
  self->balance += rec->price - progress.charge;
  rec->settled = TRUE;
  if (rec->settle_iter != NULL)
    {
      g_sequence_remove (rec->settle_iter);
      rec->settle_iter = NULL;
    }
  relay_sim_mark_order_dirty (self, rec);
  relay_sim_mark_meta_dirty (self);
}

void
relay_sim_settle (RelaySim *self)
{
  double now = relay_sim_now (self);

  while (g_sequence_get_length (self->unsettled) > 0)
    {
      GSequenceIter *first = g_sequence_get_begin_iter (self->unsettled);
      RelaySimOrderRec *rec = g_sequence_get (first);

      if (relay_sim_order_rec_end_time (rec) > now)
        break;
      apply_refund (self, rec, now);
    }
}

void
relay_sim_cancel_order (RelaySim         *self,
                        RelaySimOrderRec *rec)
{
  double now = relay_sim_now (self);
  RelaySimProgress progress;

  relay_sim_order_rec_progress (rec, now, &progress);
  g_return_if_fail (progress.state == RELAY_SIM_STATE_PENDING
                    || progress.state == RELAY_SIM_STATE_IN_PROGRESS);

  if (rec->settle_iter != NULL)
    {
      g_sequence_remove (rec->settle_iter);
      rec->settle_iter = NULL;
    }
  rec->canceled_by_user = TRUE;
  rec->canceled_at = now;
  rec->canceled_delivered = progress.delivered;
  apply_refund (self, rec, now);
}

RelaySimRefill *
relay_sim_add_refill (RelaySim         *self,
                      RelaySimOrderRec *rec)
{
  RelaySimRefill *refill = g_new0 (RelaySimRefill, 1);
  guint64 state;

  refill->id = self->next_refill_id;
  state = mix_seed (self->seed, 3, refill->id);
  refill->order_id = rec->id;
  refill->created = relay_sim_now (self);
  refill->pending = 3.0 + 7.0 * mix_double (&state);
  refill->duration = 10.0 + 50.0 * mix_double (&state);
  refill->rejected = mix_double (&state) < 0.05;
  relay_sim_insert_refill (self, refill);
  relay_sim_mark_refill_dirty (self, refill);
  relay_sim_mark_meta_dirty (self);
  return refill;
}

RelaySimOrder *
relay_sim_order_from_rec (RelaySim               *self,
                          const RelaySimOrderRec *rec)
{
  RelaySimOrder *order = g_new0 (RelaySimOrder, 1);
  double now = relay_sim_now (self);
  RelaySimProgress progress;

  relay_sim_order_rec_progress (rec, now, &progress);
  order->id = rec->id;
  order->service_id = g_strdup (rec->service_id);
  order->link = g_strdup (rec->link);
  order->quantity = rec->quantity;
  order->status = g_strdup (relay_sim_state_to_string (progress.state));
  order->start_count = relay_sim_order_rec_started (rec, now) ? rec->start_count : 0;
  order->remains = progress.remains;
  order->charge = progress.charge;
  order->runs = rec->runs;
  order->interval = rec->interval;
  return order;
}

guint
relay_sim_get_n_orders (RelaySim *self)
{
  g_return_val_if_fail (RELAY_IS_SIM (self), 0);

  return self->orders->len;
}

/**
 * relay_sim_dup_orders:
 *
 * Returns: (transfer full) (element-type RelaySimOrder): the accepted orders
 * by id, each with its progress now; free with g_ptr_array_unref().
 */
GPtrArray *
relay_sim_dup_orders (RelaySim *self)
{
  GPtrArray *orders;

  g_return_val_if_fail (RELAY_IS_SIM (self), NULL);

  relay_sim_settle (self);
  orders = g_ptr_array_new_full (self->orders->len, (GDestroyNotify) relay_sim_order_free);
  for (guint i = 0; i < self->orders->len; i++)
    g_ptr_array_add (orders, relay_sim_order_from_rec (self, g_ptr_array_index (self->orders, i)));
  return orders;
}

guint
relay_sim_count_orders_with_link (RelaySim   *self,
                                  const char *link)
{
  GPtrArray *same_link;

  g_return_val_if_fail (RELAY_IS_SIM (self), 0);
  g_return_val_if_fail (link != NULL, 0);

  same_link = g_hash_table_lookup (self->links, link);
  return same_link != NULL ? same_link->len : 0;
}

guint
relay_sim_get_n_requests (RelaySim   *self,
                          const char *action)
{
  g_return_val_if_fail (RELAY_IS_SIM (self), 0);

  if (action == NULL)
    return self->n_requests;
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->requests, action));
}

/* Additions to the header's contract. */

void
relay_sim_set_reject_duplicate_links (RelaySim *self,
                                      gboolean  reject)
{
  g_return_if_fail (RELAY_IS_SIM (self));

  self->reject_duplicate_links = !!reject;
}

void
relay_sim_set_extra_services (RelaySim *self,
                              guint     n_extra)
{
  g_return_if_fail (RELAY_IS_SIM (self));

  g_clear_pointer (&self->services_by_id, g_hash_table_unref);
  g_clear_pointer (&self->services, g_ptr_array_unref);
  self->services = relay_sim_catalog_new (n_extra);
  index_services (self);
}

double
relay_sim_get_clock (RelaySim *self)
{
  g_return_val_if_fail (RELAY_IS_SIM (self), 0);

  return relay_sim_now (self);
}

/* Persistence hooks; relay-sim-state.c writes them out. */

void
relay_sim_mark_order_dirty (RelaySim         *self,
                            RelaySimOrderRec *rec)
{
  if (self->db == NULL)
    return;
  g_hash_table_add (self->dirty_orders, rec);
  relay_sim_state_schedule_flush (self);
}

void
relay_sim_mark_refill_dirty (RelaySim       *self,
                             RelaySimRefill *refill)
{
  if (self->db == NULL)
    return;
  g_hash_table_add (self->dirty_refills, refill);
  relay_sim_state_schedule_flush (self);
}

void
relay_sim_mark_meta_dirty (RelaySim *self)
{
  if (self->db == NULL)
    return;
  self->dirty_meta = TRUE;
  relay_sim_state_schedule_flush (self);
}
