/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Bench: the mass-order path — planning a 10,000-line paste and recording it
 * in one transaction, against one transaction per order — and what
 * synchronous = FULL (every commit on the disk before it returns) costs there
 * and on the send path (queued -> sending -> pending, one commit each), with
 * NORMAL measured in the same run for comparison.
 *
 *   bench-mass [LINES [SENDS]]   (10000 and 1000 by default) */
#include <sqlite3.h>

#include "bench-common.h"

#include "relay-money.h"

static RelayProviderService *
fake_service (void)
{
  RelayProviderService *service = g_new0 (RelayProviderService, 1);

  service->service_id = g_strdup ("101");
  service->name = g_strdup ("Instagram Likes");
  service->type = g_strdup ("Default");
  service->category = g_strdup ("Instagram");
  service->rate = 270000;
  service->min = 10;
  service->max = 100000;
  return service;
}

/* The bench's own connection setting: the book always opens with FULL. */
static void
set_synchronous (RelayStore *store, const char *mode)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA synchronous = %s", mode);

  if (sqlite3_exec (relay_store_get_db (store), sql, NULL, NULL, NULL) != SQLITE_OK)
    g_error ("%s", sqlite3_errmsg (relay_store_get_db (store)));
}

/* Sends @n orders of @ids from @first the way the dispatcher records them:
 * mark_sending (the write-ahead step), then mark_sent.  Milliseconds. */
static double
send_path (RelayStore *store, GArray *ids, guint first, guint n, gint64 catalog_id)
{
  double t0 = bench_now ();

  for (guint i = first; i < first + n && i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      g_autoptr(GError) error = NULL;
      g_autofree char *provider_id = g_strdup_printf ("%" G_GINT64_FORMAT, 900000 + id);

      if (!relay_store_mark_sending (store, id, catalog_id, &error) ||
          !relay_store_mark_sent (store, id, provider_id, &error))
        g_error ("%s", error->message);
    }
  return (bench_now () - t0) * 1000;
}

int
main (int argc, char **argv)
{
  guint n_lines = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 10000;
  guint n_sends = argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : 1000;
  g_autoptr(GArray) normal_ids = NULL;
  double normal_submit_ms, send_full_ms, send_normal_ms;
  g_autofree char *dir = bench_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "orders.db", NULL);
  g_autoptr(RelayCore) core = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) services = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_provider_service_free);
  g_autoptr(RelayCatalogRow) row = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(RelayMassPlan) plan = NULL;
  g_autoptr(GArray) ids = NULL;
  RelayStore *store;
  gint64 provider_id;
  double t0, plan_ms, submit_ms, single_ms;

  core = relay_core_new (db, NULL, &error);
  if (core == NULL)
    g_error ("%s", error->message);
  store = relay_core_get_store (core);
  provider_id = relay_store_add_provider (store, "bench", "https://panel.example/api/v2", "ref", &error);
  g_ptr_array_add (services, fake_service ());
  if (provider_id == 0 || !relay_store_replace_catalog (store, provider_id, services, NULL, &error))
    g_error ("%s", error ? error->message : "");
  row = relay_store_find_catalog_service (store, provider_id, "101", &error);
  if (row == NULL || !relay_store_map_service (store, 1, "likes", 400000, row->id, 0, FALSE, &error))
    g_error ("%s", error ? error->message : "");

  for (guint i = 0; i < n_lines; i++)
    g_string_append_printf (text, "1 | https://www.instagram.com/p/post%u/ | %u\n", i, 100 + i % 900);

  g_print ("mass order of %u lines\n", n_lines);
  t0 = bench_now ();
  plan = relay_core_plan_mass_order (core, text->str, &error);
  plan_ms = (bench_now () - t0) * 1000;
  g_print ("  plan (parse + check every line):      %8.2f ms  (%u good, %u bad)\n",
           plan_ms, plan->n_good, plan->n_bad);

  t0 = bench_now ();
  ids = relay_core_submit_mass_order (core, plan, 0, &error);
  submit_ms = (bench_now () - t0) * 1000;
  if (ids == NULL)
    g_error ("%s", error->message);
  g_print ("  record all, one transaction:          %8.2f ms\n", submit_ms);

  /* The same with synchronous = NORMAL (what the book used before). */
  set_synchronous (store, "NORMAL");
  t0 = bench_now ();
  normal_ids = relay_core_submit_mass_order (core, plan, 0, &error);
  normal_submit_ms = (bench_now () - t0) * 1000;
  if (normal_ids == NULL)
    g_error ("%s", error->message);
  set_synchronous (store, "FULL");
  g_print ("    the same with synchronous=NORMAL:   %8.2f ms\n", normal_submit_ms);

  /* The send path, one commit per step: what FULL costs per order sent. */
  n_sends = MIN (n_sends, ids->len / 2);
  send_full_ms = send_path (store, ids, 0, n_sends, row->id);
  set_synchronous (store, "NORMAL");
  send_normal_ms = send_path (store, ids, n_sends, n_sends, row->id);
  set_synchronous (store, "FULL");
  g_print ("  send path of %u orders (queued -> sending -> pending, 2 commits each):\n", n_sends);
  g_print ("    synchronous=FULL:                   %8.2f ms  (%.3f ms an order)\n",
           send_full_ms, send_full_ms / MAX (n_sends, 1));
  g_print ("    synchronous=NORMAL:                 %8.2f ms  (%.3f ms an order)\n",
           send_normal_ms, send_normal_ms / MAX (n_sends, 1));
  g_print ("    cost of FULL:                       %+8.3f ms an order\n",
           (send_full_ms - send_normal_ms) / MAX (n_sends, 1));

  /* Baseline: one transaction per order, as a naive loop would do. */
  t0 = bench_now ();
  for (guint i = 0; i < plan->items->len; i++)
    {
      RelayMassItem *item = g_ptr_array_index (plan->items, i);
      RelayOrderDraft draft = { .service_id = 1, .link = item->line->link,
                                .quantity = item->line->quantity };
      g_autoptr(GPtrArray) one = g_ptr_array_new ();
      g_autoptr(GArray) id = NULL;

      g_ptr_array_add (one, &draft);
      id = relay_store_insert_orders (store, one, "bench", &error);
      if (id == NULL)
        g_error ("%s", error->message);
    }
  single_ms = (bench_now () - t0) * 1000;
  g_print ("  baseline, one transaction per order:  %8.2f ms\n", single_ms);
  g_print ("  ratio: one transaction is %.1fx faster\n", single_ms / MAX (submit_ms, 0.001));

  g_clear_object (&core);
  bench_cleanup (dir);
  return 0;
}
