/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Bench: refreshing thousands of active orders with batched multi-status
 * requests against one request per order, on the simulator with latency. */
#include "bench-common.h"

#include "relay-dispatcher.h"
#include "relay-money.h"
#include "relay-sim.h"
#include "relay-sync.h"

#include <unistd.h>

static gboolean done;

static void
dispatched (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autofree RelayDispatchReport *report = relay_dispatcher_run_finish (RELAY_DISPATCHER (source), result, NULL);
  guint *n_sent = user_data;

  *n_sent = report ? report->n_sent : 0;
  done = TRUE;
}

static void
services_synced (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GPtrArray **out = user_data;

  *out = relay_core_sync_services_finish (RELAY_CORE (source), result, NULL);
  done = TRUE;
}

static void
synced (GObject *source, GAsyncResult *result, gpointer user_data)
{
  RelaySyncReport **out = user_data;

  *out = relay_sync_run_finish (RELAY_SYNC (source), result, NULL);
  done = TRUE;
}

typedef struct { guint pending; } Baseline;

static void
one_status (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Baseline *baseline = user_data;
  g_autoptr(RelayProviderStatus) status =
    relay_provider_client_status_finish (RELAY_PROVIDER_CLIENT (source), result, NULL);

  if (--baseline->pending == 0)
    done = TRUE;
}

int
main (int argc, char **argv)
{
  guint n_orders = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 2000;
  guint latency = argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : 40;
  g_autofree char *dir = bench_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "orders.db", NULL);
  g_autoptr(RelaySim) sim = relay_sim_new ();
  g_autoptr(RelayCore) core = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) drafts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) active = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(RelaySyncReport) report = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autofree char *url = NULL;
  RelayProviderClient *client;
  Baseline baseline = { 0 };
  gint64 provider_id;
  guint n_sent = 0;
  double t0, batched, single;

  relay_sim_set_seed (sim, 7);
  relay_sim_set_balance (sim, 1000000 * RELAY_MICRO);
  if (!relay_sim_listen (sim, 0, &error))
    g_error ("%s", error->message);
  url = relay_sim_dup_url (sim);
  core = relay_core_new (db, NULL, &error);
  if (core == NULL)
    g_error ("%s", error->message);
  provider_id = relay_core_add_provider (core, "bench", url, "demo-key", &error);
  if (provider_id == 0)
    g_error ("%s", error->message);
  done = FALSE;
  relay_core_sync_services_async (core, provider_id, NULL, services_synced, &changes);
  bench_wait (&done);
  {
    g_autoptr(GPtrArray) catalog = relay_store_list_catalog (relay_core_get_store (core), provider_id,
                                                             "Instagram Likes", FALSE, &error);
    RelayCatalogRow *row = catalog && catalog->len ? g_ptr_array_index (catalog, 0) : NULL;

    if (row == NULL || !relay_core_map_service (core, 1, "likes", row->rate * 2, provider_id,
                                                row->service_id, 0, NULL, FALSE, &error))
      g_error ("no Instagram Likes service to map: %s", error ? error->message : "");
    for (guint i = 0; i < n_orders; i++)
      {
        RelayOrderDraft *draft = g_new0 (RelayOrderDraft, 1);
        draft->service_id = 1;
        draft->link = "https://www.instagram.com/p/BenchPost1/";
        draft->quantity = MAX (row->min, 1000);
        g_ptr_array_add (drafts, draft);
      }
  }
  ids = relay_core_place_orders (core, drafts, "bench", &error);
  if (ids == NULL)
    g_error ("%s", error->message);
  done = FALSE;
  relay_dispatcher_run_async (relay_core_get_dispatcher (core), NULL, dispatched, &n_sent);
  bench_wait (&done);

  relay_sim_set_latency (sim, latency, latency);
  g_print ("sync of %u active orders, %u ms per request, 4 requests at once per provider\n",
           n_sent, latency);

  /* The baseline below asks about the same orders. */
  active = relay_store_list_active (relay_core_get_store (core), &error);

  done = FALSE;
  t0 = bench_now ();
  relay_sync_run_async (relay_core_get_sync (core), NULL, synced, &report);
  bench_wait (&done);
  batched = bench_now () - t0;
  g_print ("  batched (orders=, 100 a request): %5u requests  %8.3f s\n", report->n_requests, batched);

  /* Baseline: what a naive poller does, one `status` request per order. */
  client = relay_core_get_client (core, provider_id, &error);
  done = FALSE;
  t0 = bench_now ();
  baseline.pending = active->len;
  for (guint i = 0; i < active->len; i++)
    {
      RelayOrderRow *row = g_ptr_array_index (active, i);
      relay_provider_client_status_async (client, row->provider_order_id, NULL, one_status, &baseline);
    }
  if (active->len > 0)
    bench_wait (&done);
  single = bench_now () - t0;
  g_print ("  baseline (one request per order): %5u requests  %8.3f s\n", active->len, single);
  g_print ("  ratio: batched is %.1fx faster\n", batched > 0 ? single / batched : 0.0);

  g_clear_object (&core);
  bench_cleanup (dir);
  return 0;
}
