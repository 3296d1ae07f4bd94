/* SPDX-License-Identifier: GPL-3.0-or-later */
/* relay_core_plan_mass_order_async(): the window's preview plans a paste on
 * a worker with a connection of its own; the plan it hands over is the one
 * the CLI's synchronous call makes (every line, error, price and total), for
 * pasted lines and for CSV, and a cancelled plan is never handed over. */
#include "engine-test-util.h"

#define SERVICE 1
#define PSID "103"

/* The same lines, errors and money in both plans. */
static void
assert_same_plan (RelayMassPlan *a,
                  RelayMassPlan *b)
{
  g_assert_cmpuint (a->items->len, ==, b->items->len);
  g_assert_cmpuint (a->n_good, ==, b->n_good);
  g_assert_cmpuint (a->n_bad, ==, b->n_bad);
  g_assert_cmpint (a->total, ==, b->total);
  g_assert_cmpstr (a->currency, ==, b->currency);
  for (guint i = 0; i < a->items->len; i++)
    {
      RelayMassItem *x = g_ptr_array_index (a->items, i);
      RelayMassItem *y = g_ptr_array_index (b->items, i);

      g_assert_cmpuint (x->line->line_no, ==, y->line->line_no);
      g_assert_cmpstr (x->line->link, ==, y->line->link);
      g_assert_cmpint (x->line->quantity, ==, y->line->quantity);
      g_assert_cmpstr (x->error, ==, y->error);
      g_assert_cmpint (x->price, ==, y->price);
      g_assert_cmpint (x->client_id, ==, y->client_id);
      g_assert_cmpint (x->service != NULL, ==, y->service != NULL);
      if (x->service != NULL)
        g_assert_cmpint (x->service->id, ==, y->service->id);
    }
}

static RelayMassPlan *
plan_async (RelayCore    *core,
            const char   *text,
            gboolean      csv,
            GCancellable *cancellable,
            GError      **error)
{
  EtAsync async = { 0 };
  RelayMassPlan *plan;

  relay_core_plan_mass_order_async (core, text, csv, cancellable, et_async_ready, &async);
  /* Never in the call itself: the caller's main loop goes on meanwhile. */
  g_assert_null (async.result);
  plan = relay_core_plan_mass_order_finish (core, et_async_wait (&async), error);
  et_async_clear (&async);
  return plan;
}

static void
test_same_as_sync (void)
{
  g_autoptr(EtBook) book = et_book_new ();
  g_autoptr(RelaySim) sim = et_sim_new ();
  g_autoptr(RelayCore) core = et_core_new (book);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(RelayMassPlan) sync_plan = NULL;
  g_autoptr(RelayMassPlan) async_plan = NULL;
  g_autoptr(RelayMassPlan) csv_sync = NULL;
  g_autoptr(RelayMassPlan) csv_async = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = relay_sim_dup_url (sim);
  const char *csv = "Service;Link;Quantity;Client\n"
                    "1;https://www.instagram.com/p/Csv1/;100;Client\n"
                    "1;https://www.instagram.com/p/Csv2/;5;\n"
                    "1;https://www.instagram.com/p/Csv3/;200;Nobody Ltd\n";
  gint64 provider_id;

  provider_id = et_add_provider (core, "Sim", url);
  et_map (core, SERVICE, provider_id, PSID, 0, NULL, FALSE);
  et_add_client (core, "Client");
  for (guint i = 0; i < 2000; i++)
    g_string_append_printf (text, "%d | https://www.instagram.com/p/Plan%u/ | %u\n",
                            i % 97 == 0 ? 42 : SERVICE, i, i % 50 == 0 ? 1 : 100 + i);
  g_string_append (text, "not a line\n");

  sync_plan = relay_core_plan_mass_order (core, text->str, &error);
  g_assert_no_error (error);
  async_plan = plan_async (core, text->str, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (async_plan->n_bad, >, 0);
  g_assert_cmpuint (async_plan->n_good, >, 1000);
  assert_same_plan (sync_plan, async_plan);

  csv_sync = relay_core_plan_mass_order_csv (core, csv, -1, &error);
  g_assert_no_error (error);
  csv_async = plan_async (core, csv, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (csv_async->n_good, ==, 1);
  assert_same_plan (csv_sync, csv_async);

  /* An unusable CSV header is the sync call's error. */
  {
    const char *bad = "Service;Link;Service;Quantity\n1;https://www.instagram.com/p/Twice/;1;100\n";
    g_autoptr(GError) sync_error = NULL;
    g_autoptr(RelayMassPlan) none = relay_core_plan_mass_order_csv (core, bad, -1, &sync_error);

    g_assert_null (none);
    g_assert_nonnull (sync_error);
    g_assert_null (plan_async (core, bad, TRUE, NULL, &error));
    g_assert_error (error, sync_error->domain, sync_error->code);
    g_assert_cmpstr (error->message, ==, sync_error->message);
  }
}

static void
test_cancelled (void)
{
  g_autoptr(EtBook) book = et_book_new ();
  g_autoptr(RelayCore) core = et_core_new (book);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  EtAsync async = { 0 };
  RelayMassPlan *plan;

  relay_core_plan_mass_order_async (core, "1 | https://www.instagram.com/p/Gone/ | 100\n", FALSE,
                                    cancellable, et_async_ready, &async);
  g_cancellable_cancel (cancellable);
  plan = relay_core_plan_mass_order_finish (core, et_async_wait (&async), &error);
  et_async_clear (&async);
  g_assert_null (plan);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int argc, char *argv[])
{
  et_init (&argc, &argv);
  g_test_add_func ("/engine/mass-plan/same-as-sync", test_same_as_sync);
  g_test_add_func ("/engine/mass-plan/cancelled", test_cancelled);
  return g_test_run ();
}
