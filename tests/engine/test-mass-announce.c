/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Sending a mass order: the dispatcher's waves are announced together
 * (::orders-changed at most about every 100 ms, the first at once and the
 * rest when the run ends), not once per wave: each announcement has every
 * order list of the window read again.  Every order written is announced,
 * and all of them before the run is over. */
#include "engine-test-util.h"

#define SERVICE 1
#define PSID "103"
#define N_ORDERS 600

typedef struct
{
  guint       n_emissions;
  GHashTable *seen;        /* gint64 ids announced */
  gboolean    run_over;
  gboolean    late;        /* announced after the run said it ended */
} Announced;

static void
on_orders_changed (RelayStore *store, GArray *ids, gpointer data)
{
  Announced *a = data;

  a->n_emissions++;
  if (a->run_over)
    a->late = TRUE;
  for (guint i = 0; i < ids->len; i++)
    g_hash_table_add (a->seen, g_memdup2 (&g_array_index (ids, gint64, i), sizeof (gint64)));
}

static void
test_waves_announced_together (void)
{
  g_autoptr(EtBook) book = et_book_new ();
  g_autoptr(RelaySim) sim = et_sim_new ();
  g_autoptr(RelayCore) core = et_core_new (book);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(RelayMassPlan) plan = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = relay_sim_dup_url (sim);
  RelayStore *store = relay_core_get_store (core);
  Announced a = { 0, g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL) };
  RelayDispatchReport report;
  gint64 provider_id, start, elapsed_ms;
  gulong handler;

  provider_id = et_add_provider (core, "Sim", url);
  et_map (core, SERVICE, provider_id, PSID, 0, NULL, FALSE);
  relay_sim_set_balance (sim, 1000000 * RELAY_MICRO);
  for (guint i = 0; i < N_ORDERS; i++)
    g_string_append_printf (text, "%d | https://www.instagram.com/p/Wave%u/ | %u\n",
                            SERVICE, i, 100 + i);
  plan = relay_core_plan_mass_order (core, text->str, &error);
  g_assert_no_error (error);
  ids = relay_core_submit_mass_order (core, plan, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, N_ORDERS);

  handler = g_signal_connect (store, "orders-changed", G_CALLBACK (on_orders_changed), &a);
  start = g_get_monotonic_time ();
  report = et_dispatch (core);
  elapsed_ms = (g_get_monotonic_time () - start) / 1000;
  a.run_over = TRUE;
  et_spin (300);
  g_signal_handler_disconnect (store, handler);

  g_test_message ("%u orders sent in %" G_GINT64_FORMAT " ms, announced in %u emissions",
                  report.n_sent, elapsed_ms, a.n_emissions);
  g_assert_cmpuint (report.n_sent, ==, N_ORDERS);
  g_assert_cmpuint (relay_sim_get_n_orders (sim), ==, N_ORDERS);
  /* At most one per 100 ms, the first at once and one at the end. */
  g_assert_cmpuint (a.n_emissions, >=, 1);
  g_assert_cmpuint (a.n_emissions, <=, elapsed_ms / 100 + 2);
  g_assert_false (a.late);
  for (guint i = 0; i < ids->len; i++)
    g_assert_true (g_hash_table_contains (a.seen, &g_array_index (ids, gint64, i)));
  g_hash_table_unref (a.seen);
}

int
main (int argc, char *argv[])
{
  et_init (&argc, &argv);
  g_test_add_func ("/engine/mass-announce/waves-together", test_waves_announced_together);
  return g_test_run ();
}
