/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The demo set-up against an in-process simulator: everything a new user
 * needs to see the flow, and nothing twice when it runs again. */
#include "engine-test-util.h"

static void
prepare (RelayCore *core, const char *url)
{
  EtAsync async = { 0 };
  g_autoptr(GError) error = NULL;
  gboolean ok;

  relay_demo_prepare_async (core, url, NULL, et_async_ready, &async);
  ok = relay_demo_prepare_finish (core, et_async_wait (&async), &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  et_async_clear (&async);
}

static GPtrArray *
all_orders (RelayStore *store)
{
  RelayOrderQuery query = { 0 };
  g_autoptr(GError) error = NULL;
  GPtrArray *orders;

  query.ascending = TRUE;
  orders = relay_store_list_orders (store, &query, 0, 10000, &error);
  g_assert_no_error (error);
  return orders;
}

static char *
services_signature (RelayStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) services = relay_store_list_services (store, &error);
  GString *text = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < services->len; i++)
    {
      RelayServiceRow *service = g_ptr_array_index (services, i);

      g_string_append_printf (text, "%" G_GINT64_FORMAT ":%s:%" G_GINT64_FORMAT ":%s;", service->id,
                              service->name, service->price, service->primary->service_id);
    }
  return g_string_free (text, FALSE);
}

static void
test_demo (void)
{
  g_autoptr(EtBook) book = et_book_new ();
  g_autoptr(RelaySim) sim = et_sim_new ();
  g_autoptr(RelaySim) sim2 = NULL;
  g_autoptr(RelayCore) core = et_core_new (book);
  RelayStore *store = relay_core_get_store (core);
  g_autofree char *url = relay_sim_dup_url (sim);
  g_autofree char *url2 = NULL;
  g_autofree char *signature = NULL;
  g_autofree char *signature2 = NULL;
  g_autoptr(RelayProviderRow) provider = NULL;
  g_autoptr(GPtrArray) services = NULL;
  g_autoptr(GPtrArray) clients = NULL;
  g_autoptr(GPtrArray) orders = NULL;
  g_autoptr(GPtrArray) providers = NULL;
  g_autoptr(GError) error = NULL;
  guint n_orders;
  guint n_sim_orders;

  prepare (core, url);

  provider = relay_store_find_provider (store, RELAY_DEMO_PROVIDER_NAME, &error);
  g_assert_no_error (error);
  g_assert_nonnull (provider);
  g_assert_cmpstr (provider->url, ==, url);
  g_assert_null (provider->last_error);

  services = relay_store_list_services (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (services->len, >=, 10);
  for (guint i = 0; i < services->len; i++)
    {
      RelayServiceRow *service = g_ptr_array_index (services, i);

      g_assert_nonnull (service->primary);
      g_assert_cmpint (service->primary->provider_id, ==, provider->id);
      /* Never below cost. */
      g_assert_cmpint (service->price, >=, service->primary->rate);
      g_assert_true (relay_service_check_orderable (service, NULL));
    }

  clients = relay_store_list_clients (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (clients->len, ==, 3);

  orders = all_orders (store);
  g_assert_cmpuint (orders->len, >, 0);
  n_orders = orders->len;
  for (guint i = 0; i < orders->len; i++)
    {
      RelayOrderRow *order = g_ptr_array_index (orders, i);

      if (order->status != RELAY_ORDER_PENDING && !relay_order_status_is_active (order->status))
        g_error ("demo order %" G_GINT64_FORMAT " is %s (%s)", order->id,
                 relay_order_status_to_string (order->status), order->error ? order->error : "");
      g_assert_nonnull (order->provider_order_id);
      g_assert_cmpint (order->client_id, !=, 0);
    }
  n_sim_orders = relay_sim_get_n_orders (sim);
  g_assert_cmpuint (n_sim_orders, ==, n_orders);
  g_test_message ("demo: %u services, %u clients, %u orders", services->len, clients->len, n_orders);

  /* Again: nothing new. */
  signature = services_signature (store);
  prepare (core, url);
  g_clear_pointer (&orders, g_ptr_array_unref);
  orders = all_orders (store);
  g_assert_cmpuint (orders->len, ==, n_orders);
  g_assert_cmpuint (relay_sim_get_n_orders (sim), ==, n_sim_orders);
  signature2 = services_signature (store);
  g_assert_cmpstr (signature2, ==, signature);
  g_clear_pointer (&clients, g_ptr_array_unref);
  clients = relay_store_list_clients (store, &error);
  g_assert_cmpuint (clients->len, ==, 3);

  /* The simulator comes back on another port (the next run of the app). */
  sim2 = et_sim_new ();
  url2 = relay_sim_dup_url (sim2);
  g_assert_cmpstr (url2, !=, url);
  g_clear_object (&sim);
  prepare (core, url2);
  g_clear_pointer (&provider, relay_provider_row_free);
  provider = relay_store_find_provider (store, RELAY_DEMO_PROVIDER_NAME, &error);
  g_assert_cmpstr (provider->url, ==, url2);
  providers = relay_store_list_providers (store, &error);
  g_assert_cmpuint (providers->len, ==, 1);
  g_clear_pointer (&orders, g_ptr_array_unref);
  orders = all_orders (store);
  g_assert_cmpuint (orders->len, ==, n_orders);
  g_assert_cmpuint (relay_sim_get_n_requests (sim2, "add"), ==, 0);
  g_clear_pointer (&signature2, g_free);
  signature2 = services_signature (store);
  g_assert_cmpstr (signature2, ==, signature);

  /* And the new URL is the one used: a balance refresh reaches sim2. */
  {
    EtAsync async = { 0 };
    g_autoptr(RelayProviderBalance) balance = NULL;

    relay_core_refresh_balance_async (core, provider->id, NULL, et_async_ready, &async);
    balance = relay_core_refresh_balance_finish (core, et_async_wait (&async), &error);
    g_assert_no_error (error);
    et_async_clear (&async);
    g_assert_cmpuint (relay_sim_get_n_requests (sim2, "balance"), ==, 1);
  }
}

/* A fresh book and a second core on it (the window and the CLI) both
 * preparing: one set of orders, not two. */
static void
test_demo_second_core (void)
{
  g_autoptr(EtBook) book = et_book_new ();
  g_autoptr(RelaySim) sim = et_sim_new ();
  g_autoptr(RelayCore) core = et_core_new (book);
  g_autofree char *url = relay_sim_dup_url (sim);
  g_autoptr(RelayCore) other = NULL;
  g_autoptr(GPtrArray) orders = NULL;
  guint n;

  prepare (core, url);
  orders = all_orders (relay_core_get_store (core));
  n = orders->len;
  g_clear_object (&core);
  other = et_core_new (book);
  prepare (other, url);
  g_clear_pointer (&orders, g_ptr_array_unref);
  orders = all_orders (relay_core_get_store (other));
  g_assert_cmpuint (orders->len, ==, n);
  g_assert_cmpuint (relay_sim_get_n_orders (sim), ==, n);
}

int
main (int argc, char **argv)
{
  et_init (&argc, &argv);
  g_test_add_func ("/engine/demo/prepare", test_demo);
  g_test_add_func ("/engine/demo/reopen", test_demo_second_core);
  return g_test_run ();
}
