/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The provider health check against the simulator: every step passes on a
 * healthy panel, and each fails for its own cause (a refused key, a broken
 * catalog, a service gone, a rate above my price, limits that admit nothing,
 * a balance short of the backlog, a status request refused, refills refused,
 * an unknown outcome, a test order the panel refuses). */
#include "engine-test-util.h"

#define LIKES     1
#define FOLLOWERS 2

static const char * const step_names[] = {
  "key", "services", "mapping", "margin", "limits", "balance", "status", "refill_cancel", "errors",
};

typedef struct
{
  EtBook     *book;
  RelaySim   *sim;
  RelayCore  *core;
  RelayStore *store;
  gint64      provider_id;
  gint64      client_id;
  gint64      order_id;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autofree char *url = NULL;

  f->book = et_book_new ();
  f->sim = et_sim_new ();
  relay_sim_set_speed (f->sim, 0);
  f->core = et_core_new (f->book);
  f->store = relay_core_get_store (f->core);
  url = relay_sim_dup_url (f->sim);
  f->provider_id = et_add_provider (f->core, "Sim", url);
  et_map (f->core, LIKES, f->provider_id, "103", 0, NULL, FALSE);
  et_map (f->core, FOLLOWERS, f->provider_id, "101", 0, NULL, FALSE);
  f->client_id = et_add_client (f->core, "Client");
  f->order_id = et_place (f->core, LIKES, f->client_id, "https://www.instagram.com/p/Health1/", 500);
  g_assert_cmpuint (et_dispatch (f->core).n_sent, ==, 1);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->core);
  g_clear_object (&f->sim);
  et_spin (10);
  g_clear_pointer (&f->book, et_book_free);
}

static GPtrArray *
check (Fixture *f, const char *service, const char *link, gint64 quantity)
{
  EtAsync async = { 0 };
  g_autoptr(GError) error = NULL;
  GPtrArray *steps;

  relay_core_check_provider_async (f->core, f->provider_id, service, link, quantity, NULL,
                                   et_async_ready, &async);
  steps = relay_core_check_provider_finish (f->core, et_async_wait (&async), &error);
  et_async_clear (&async);
  g_assert_no_error (error);
  g_assert_nonnull (steps);
  for (guint i = 0; i < steps->len; i++)
    {
      RelayHealthStep *step = g_ptr_array_index (steps, i);

      g_test_message ("%-5s %-13s %s", relay_health_result_to_string (step->result), step->name,
                      step->detail);
      /* Never the key in what people read. */
      g_assert_null (strstr (step->detail, "demo-key"));
    }
  return steps;
}

static RelayHealthStep *
step (GPtrArray *steps, const char *name)
{
  for (guint i = 0; i < steps->len; i++)
    {
      RelayHealthStep *s = g_ptr_array_index (steps, i);

      if (g_str_equal (s->name, name))
        return s;
    }
  g_assert_not_reached ();
  return NULL;
}

static void
assert_only_failure (GPtrArray *steps, const char *name)
{
  g_assert_cmpint (step (steps, name)->result, ==, RELAY_HEALTH_FAIL);
  g_assert_false (relay_health_steps_ok (steps));
}

/* A catalog reply with 101 as the simulator has it and 103 as given. */
static void
inject_catalog (Fixture *f, const char *rate103, const char *min103, const char *max103)
{
  g_autoptr(RelayCatalogRow) k101 = relay_store_find_catalog_service (f->store, f->provider_id, "101", NULL);
  g_autofree char *rate101 = relay_money_format (k101->rate);
  g_autofree char *body = NULL;
  g_autoptr(GString) list = g_string_new ("[");

  g_string_append_printf (list, "{\"service\": \"101\", \"name\": \"%s\", \"type\": \"Default\", "
                          "\"category\": \"%s\", \"rate\": \"%s\", \"min\": \"%" G_GINT64_FORMAT
                          "\", \"max\": \"%" G_GINT64_FORMAT "\", \"refill\": %s, \"cancel\": %s}",
                          k101->name, k101->category, rate101, k101->min, k101->max,
                          k101->refill ? "true" : "false", k101->cancel ? "true" : "false");
  if (rate103 != NULL)
    g_string_append_printf (list, ", {\"service\": \"103\", \"name\": \"Likes\", \"type\": \"Default\", "
                            "\"category\": \"Instagram\", \"rate\": \"%s\", \"min\": \"%s\", "
                            "\"max\": \"%s\", \"refill\": false, \"cancel\": false}",
                            rate103, min103, max103);
  g_string_append (list, "]");
  body = g_string_free (g_steal_pointer (&list), FALSE);
  relay_sim_inject_reply (f->sim, "services", body, 1);
}

static void
test_healthy (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) steps = check (f, NULL, NULL, 0);

  g_assert_cmpuint (steps->len, ==, G_N_ELEMENTS (step_names));
  for (guint i = 0; i < steps->len; i++)
    {
      RelayHealthStep *s = g_ptr_array_index (steps, i);

      g_assert_cmpstr (s->name, ==, step_names[i]);
      g_assert_cmpint (s->result, ==, RELAY_HEALTH_PASS);
    }
  g_assert_true (relay_health_steps_ok (steps));
}

static void
test_key (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) steps = NULL;

  relay_sim_set_api_key (f->sim, "another-key");
  steps = check (f, NULL, NULL, 0);
  assert_only_failure (steps, "key");
  g_assert_nonnull (strstr (step (steps, "key")->detail, "Invalid API key"));
  g_assert_cmpint (step (steps, "status")->result, ==, RELAY_HEALTH_FAIL);
}

static void
test_services (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) steps = NULL;

  relay_sim_inject_fault (f->sim, "services", RELAY_SIM_FAULT_HTML_BEFORE, 1);
  steps = check (f, NULL, NULL, 0);
  assert_only_failure (steps, "services");
  g_assert_cmpint (step (steps, "key")->result, ==, RELAY_HEALTH_PASS);
}

static void
test_mapping (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) steps = NULL;

  inject_catalog (f, NULL, NULL, NULL);   /* 103 is gone */
  steps = check (f, NULL, NULL, 0);
  assert_only_failure (steps, "mapping");
  g_assert_nonnull (strstr (step (steps, "mapping")->detail, "103"));
  g_assert_cmpint (step (steps, "services")->result, ==, RELAY_HEALTH_PASS);
}

static void
test_margin (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(RelayServiceRow) likes = relay_store_get_service (f->store, LIKES, NULL);
  g_autofree char *rate = relay_money_format (likes->price + 1);

  inject_catalog (f, rate, "10", "100000");   /* one micro-unit above my price */
  steps = check (f, NULL, NULL, 0);
  assert_only_failure (steps, "margin");
  g_assert_cmpint (step (steps, "mapping")->result, ==, RELAY_HEALTH_PASS);
}

static void
test_limits (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) steps = NULL;

  inject_catalog (f, "0.01", "1000", "10");
  steps = check (f, NULL, NULL, 0);
  assert_only_failure (steps, "limits");
  g_assert_cmpint (step (steps, "margin")->result, ==, RELAY_HEALTH_PASS);
}

static void
test_balance (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(GPtrArray) drafts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  RelayOrderDraft *draft = g_new0 (RelayOrderDraft, 1);

  /* Scheduled for tomorrow: 10,000 followers cost more than 1.00 at the panel. */
  draft->service_id = FOLLOWERS;
  draft->client_id = f->client_id;
  draft->link = "https://www.instagram.com/health_later";
  draft->quantity = 10000;
  draft->scheduled_at = g_get_real_time () / G_USEC_PER_SEC + 86400;
  g_ptr_array_add (drafts, draft);
  ids = relay_core_place_orders (f->core, drafts, "test", &error);
  g_assert_no_error (error);
  relay_sim_set_balance (f->sim, 1000000);
  steps = check (f, NULL, NULL, 0);
  assert_only_failure (steps, "balance");

  /* Enough money again: it passes. */
  g_clear_pointer (&steps, g_ptr_array_unref);
  relay_sim_set_balance (f->sim, G_GINT64_CONSTANT (1000) * 1000000);
  steps = check (f, NULL, NULL, 0);
  g_assert_cmpint (step (steps, "balance")->result, ==, RELAY_HEALTH_PASS);
}

/* A catalog that fails and a backlog beyond the money limits: the check
 * still reports every step (it once stopped with "GError set over the top
 * of a previous GError" and no steps). */
static void
test_backlog_beyond (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(GPtrArray) drafts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 12; i++)
    {
      RelayOrderDraft *draft = g_new0 (RelayOrderDraft, 1);

      draft->service_id = FOLLOWERS;
      draft->client_id = f->client_id;
      draft->link = "https://www.instagram.com/health_backlog";
      draft->quantity = 10000;
      draft->scheduled_at = g_get_real_time () / G_USEC_PER_SEC + 86400;
      g_ptr_array_add (drafts, draft);
    }
  ids = relay_core_place_orders (f->core, drafts, "test", &error);
  g_assert_no_error (error);
  /* Rates as a hostile book may hold them: 12 x 1e9 units at 1e12 per 1,000
   * is far beyond int64. */
  et_sql (f->store, "UPDATE orders SET quantity = 1000000000 WHERE status = 'scheduled'");
  et_sql (f->store, "UPDATE catalog SET rate = 1000000000000");
  relay_sim_inject_fault (f->sim, "services", RELAY_SIM_FAULT_HTML_BEFORE, 1);
  steps = check (f, NULL, NULL, 0);
  g_assert_cmpint (step (steps, "services")->result, ==, RELAY_HEALTH_FAIL);
  g_assert_cmpint (step (steps, "balance")->result, ==, RELAY_HEALTH_FAIL);
  g_assert_nonnull (strstr (step (steps, "balance")->detail, "beyond"));
  g_assert_nonnull (step (steps, "status"));
  g_assert_nonnull (step (steps, "errors"));
}

static void
test_status (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) steps = NULL;

  relay_sim_inject_fault (f->sim, "status", RELAY_SIM_FAULT_ERROR_JSON, 1);
  steps = check (f, NULL, NULL, 0);
  assert_only_failure (steps, "status");
  g_assert_nonnull (strstr (step (steps, "status")->detail, "Incorrect request"));
}

static void
test_refill_cancel (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) steps = NULL;
  g_autofree char *sql = g_strdup_printf ("INSERT INTO refills (order_id, provider_refill_id, status, "
                                          "created_at, updated_at) VALUES (%" G_GINT64_FORMAT
                                          ", '9', 'Rejected', strftime ('%%s', 'now'), "
                                          "strftime ('%%s', 'now'))", f->order_id);

  et_sql (f->store, sql);
  steps = check (f, NULL, NULL, 0);
  assert_only_failure (steps, "refill_cancel");
}

static void
test_errors (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) steps = NULL;

  /* The panel takes an order and the connection drops: its outcome is unknown. */
  relay_sim_inject_fault (f->sim, "add", RELAY_SIM_FAULT_DROP_AFTER, 1);
  et_place (f->core, LIKES, f->client_id, "https://www.instagram.com/p/Health2/", 500);
  g_assert_cmpuint (et_dispatch (f->core).n_review, ==, 1);
  steps = check (f, NULL, NULL, 0);
  assert_only_failure (steps, "errors");
}

static void
test_test_order (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) steps = NULL;
  g_autoptr(GPtrArray) failed = NULL;
  guint n_before = relay_sim_get_n_orders (f->sim);
  RelayHealthStep *last;

  steps = check (f, "1", "https://www.instagram.com/p/HealthTest/", 100);
  g_assert_cmpuint (steps->len, ==, G_N_ELEMENTS (step_names) + 1);
  last = g_ptr_array_index (steps, steps->len - 1);
  g_assert_cmpstr (last->name, ==, "test_order");
  g_assert_cmpint (last->result, ==, RELAY_HEALTH_PASS);
  g_assert_true (relay_health_steps_ok (steps));
  g_assert_cmpuint (relay_sim_get_n_orders (f->sim), ==, n_before + 1);
  g_assert_cmpuint (relay_sim_count_orders_with_link (f->sim, "https://www.instagram.com/p/HealthTest/"), ==, 1);

  /* The panel refuses the service: the test order fails with its words. */
  relay_sim_set_service_disabled (f->sim, "103", TRUE);
  failed = check (f, "1", "https://www.instagram.com/p/HealthTest2/", 100);
  last = g_ptr_array_index (failed, failed->len - 1);
  g_assert_cmpstr (last->name, ==, "test_order");
  g_assert_cmpint (last->result, ==, RELAY_HEALTH_FAIL);
  g_assert_nonnull (strstr (last->detail, "Service is disabled"));
  g_assert_false (relay_health_steps_ok (failed));
}

int
main (int argc, char **argv)
{
  et_init (&argc, &argv);
#define ADD(path, fn) g_test_add ("/health/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("healthy", test_healthy);
  ADD ("key", test_key);
  ADD ("services", test_services);
  ADD ("mapping", test_mapping);
  ADD ("margin", test_margin);
  ADD ("limits", test_limits);
  ADD ("balance", test_balance);
  ADD ("backlog-beyond", test_backlog_beyond);
  ADD ("status", test_status);
  ADD ("refill-cancel", test_refill_cancel);
  ADD ("errors", test_errors);
  ADD ("test-order", test_test_order);
  return g_test_run ();
}
