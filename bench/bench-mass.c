/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Bench: the mass-order path — planning a 10,000-line paste and recording it
 * in one transaction, against one transaction per order. */
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

int
main (int argc, char **argv)
{
  guint n_lines = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 10000;
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
