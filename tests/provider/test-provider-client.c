/* SPDX-License-Identifier: GPL-3.0-or-later */
/* End-to-end tests of the provider client against the simulator and small fault servers on
 * 127.0.0.1. */
#include "relay-provider-client.h"
#include "relay-provider-reply.h"
#include "relay-error.h"
#include "relay-sim.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define WAIT_LIMIT_US (30 * G_USEC_PER_SEC)

/* A self-signed certificate for 127.0.0.1 that no trust store knows. */
static const char test_certificate_pem[] =
  "-----BEGIN CERTIFICATE-----\n"
  "MIIBjzCCATagAwIBAgIUWDAmhdM9Od5xJyKMPOKBf1YoMNgwCgYIKoZIzj0EAwIw\n"
  "FDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTEyNjIzNTYwMVoYDzIxMjYxMTAy\n"
  "MjM1NjAxWjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO\n"
  "PQMBBwNCAARiTgWx2vP4e0+8aN52yrPiYqQifDtRMHxYTsr//bvoSRQTzOU8fvWx\n"
  "UrhIdmLWo6xt/1oO700aALP3NY/tSbmOo2QwYjAdBgNVHQ4EFgQUh9dZvp2/DK0S\n"
  "A/8vuk8N1Km5tHAwHwYDVR0jBBgwFoAUh9dZvp2/DK0SA/8vuk8N1Km5tHAwDwYD\n"
  "VR0TAQH/BAUwAwEB/zAPBgNVHREECDAGhwR/AAABMAoGCCqGSM49BAMCA0cAMEQC\n"
  "IADGLPVTKvNzJHrmFB5whKHESzkw/txLXCLvPl5Tp3iKAiAEaaweASa98l34jpbq\n"
  "0evgeO4UJ5a/bs+v7p2EeAU4Uw==\n"
  "-----END CERTIFICATE-----\n"
  "-----BEGIN PRIVATE KEY-----\n"
  "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgBeSFLXXzKdjdtzy8\n"
  "VYDFkARReMvyNUL0Wqik4Y/7fpihRANCAARiTgWx2vP4e0+8aN52yrPiYqQifDtR\n"
  "MHxYTsr//bvoSRQTzOU8fvWxUrhIdmLWo6xt/1oO700aALP3NY/tSbmO\n"
  "-----END PRIVATE KEY-----\n";

/* ---- waiting for a callback --------------------------------------------- */

typedef struct
{
  GAsyncResult *result;
  GThread      *thread;
  gint64        done_at;
} Wait;

static void
wait_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Wait *wait = user_data;

  g_assert_null (wait->result);
  wait->result = g_object_ref (result);
  wait->thread = g_thread_self ();
  wait->done_at = g_get_monotonic_time ();
}

static void
wait_clear (Wait *wait)
{
  g_clear_object (&wait->result);
}

static GAsyncResult *
wait_for (Wait *wait)
{
  gint64 limit = g_get_monotonic_time () + WAIT_LIMIT_US;

  while (wait->result == NULL)
    {
      g_main_context_iteration (NULL, TRUE);
      if (g_get_monotonic_time () > limit)
        g_error ("no answer within %d s", (int) (WAIT_LIMIT_US / G_USEC_PER_SEC));
    }
  return wait->result;
}

static gboolean
quit_after (gpointer data)
{
  gboolean *flag = data;

  *flag = TRUE;
  return G_SOURCE_REMOVE;
}

static void
spin_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, quit_after, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static SoupSession *
session_new (void)
{
  SoupSession *session = soup_session_new_with_options ("max-conns", 64,
                                                        "max-conns-per-host", 32,
                                                        NULL);

  /* Never let the environment route loopback tests through a proxy. */
  soup_session_set_proxy_resolver (session, NULL);
  return session;
}

/* ---- the simulator fixture --------------------------------------------- */

typedef struct
{
  SoupSession         *session;
  RelaySim            *sim;
  char                *url;
  RelayProviderClient *client;
  char                *service_id;
  gint64               service_min;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->session = session_new ();
  f->sim = relay_sim_new ();
  relay_sim_set_seed (f->sim, 7);
  g_assert_true (relay_sim_listen (f->sim, 0, &error));
  g_assert_no_error (error);
  f->url = relay_sim_dup_url (f->sim);
  g_assert_true (g_str_has_prefix (f->url, "http://127.0.0.1:"));
  f->client = relay_provider_client_new (f->session, f->url, "demo-key", &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->client);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->client);
  /* Let finished exchanges close their connections before the server goes. */
  spin_for (20);
  g_clear_object (&f->sim);
  g_clear_object (&f->session);
  g_clear_pointer (&f->url, g_free);
  g_clear_pointer (&f->service_id, g_free);
}

static GPtrArray *
fetch_services (Fixture *f)
{
  Wait wait = { 0 };
  g_autoptr(GError) error = NULL;
  GPtrArray *services;

  relay_provider_client_services_async (f->client, NULL, wait_done, &wait);
  services = relay_provider_client_services_finish (f->client, wait_for (&wait), &error);
  wait_clear (&wait);
  g_assert_no_error (error);
  g_assert_nonnull (services);
  return services;
}

/* Finds a Default service of the simulator to order from. */
static void
pick_service (Fixture *f)
{
  g_autoptr(GPtrArray) services = fetch_services (f);

  for (guint i = 0; i < services->len; i++)
    {
      RelayProviderService *service = g_ptr_array_index (services, i);

      if (g_str_equal (service->type, "Default") && service->min > 0)
        {
          f->service_id = g_strdup (service->service_id);
          f->service_min = service->min;
          return;
        }
    }
  g_assert_not_reached ();
}

static RelayProviderAddRequest
add_request (Fixture *f, const char *link)
{
  RelayProviderAddRequest request = { 0 };

  if (f->service_id == NULL)
    pick_service (f);
  request.service_id = f->service_id;
  request.link = link;
  request.quantity = f->service_min;
  return request;
}

/* Sends one `add` and returns the order id or the error. */
static char *
add_order (Fixture *f, const char *link, GCancellable *cancellable, GError **error)
{
  RelayProviderAddRequest request = add_request (f, link);
  Wait wait = { 0 };
  char *id;

  relay_provider_client_add_async (f->client, &request, cancellable, wait_done, &wait);
  id = relay_provider_client_add_finish (f->client, wait_for (&wait), error);
  wait_clear (&wait);
  return id;
}

/* ---- every action, end to end ------------------------------------------ */

static void
test_services (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) services = fetch_services (f);

  g_assert_cmpuint (services->len, >, 0);
  for (guint i = 0; i < services->len; i++)
    {
      RelayProviderService *service = g_ptr_array_index (services, i);

      g_assert_nonnull (service->service_id);
      g_assert_nonnull (service->name);
      g_assert_cmpint (service->rate, >, 0);
    }
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, "services"), ==, 1);
}

static void
test_add_and_status (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = add_order (f, "https://instagram.com/p/relay-test-1", NULL, &error);
  g_autoptr(RelayProviderStatus) status = NULL;
  Wait wait = { 0 };

  g_assert_no_error (error);
  g_assert_nonnull (id);
  g_assert_cmpuint (relay_sim_get_n_orders (f->sim), ==, 1);
  g_assert_cmpuint (relay_sim_count_orders_with_link (f->sim, "https://instagram.com/p/relay-test-1"),
                    ==, 1);

  relay_provider_client_status_async (f->client, id, NULL, wait_done, &wait);
  status = relay_provider_client_status_finish (f->client, wait_for (&wait), &error);
  wait_clear (&wait);
  g_assert_no_error (error);
  g_assert_cmpstr (status->order_id, ==, id);
  g_assert_null (status->error);
  g_assert_nonnull (status->status_word);
  g_assert_true (status->has_charge);
  g_assert_cmpint (status->charge, >, 0);
}

static void
test_statuses (Fixture *f, gconstpointer data)
{
  char *ids[3] = { NULL };
  const char *asked[4];
  g_autoptr(GHashTable) table = NULL;
  g_autoptr(GError) error = NULL;
  Wait wait = { 0 };

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *link = g_strdup_printf ("https://instagram.com/p/relay-multi-%u", i);

      ids[i] = add_order (f, link, NULL, &error);
      g_assert_no_error (error);
      asked[i] = ids[i];
    }
  asked[3] = "987654321";

  relay_provider_client_statuses_async (f->client, asked, 4, NULL, wait_done, &wait);
  table = relay_provider_client_statuses_finish (f->client, wait_for (&wait), &error);
  wait_clear (&wait);
  g_assert_no_error (error);
  for (guint i = 0; i < 3; i++)
    {
      RelayProviderStatus *status = g_hash_table_lookup (table, ids[i]);

      g_assert_nonnull (status);
      g_assert_null (status->error);
      g_assert_nonnull (status->status_word);
    }
  g_assert_nonnull (g_hash_table_lookup (table, "987654321"));
  g_assert_nonnull (((RelayProviderStatus *) g_hash_table_lookup (table, "987654321"))->error);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, "status"), ==, 1);
  for (guint i = 0; i < 3; i++)
    g_free (ids[i]);
}

static void
test_balance (Fixture *f, gconstpointer data)
{
  g_autoptr(RelayProviderBalance) balance = NULL;
  g_autoptr(GError) error = NULL;
  Wait wait = { 0 };

  relay_sim_set_balance (f->sim, 123456789);
  relay_provider_client_balance_async (f->client, NULL, wait_done, &wait);
  balance = relay_provider_client_balance_finish (f->client, wait_for (&wait), &error);
  wait_clear (&wait);
  g_assert_no_error (error);
  g_assert_cmpint (balance->balance, ==, 123456789);
  g_assert_nonnull (balance->currency);
}

/* A refill or a cancel may be refused by the simulator for its own reasons;
 * what matters here is that the request went and the reply was read. */
static void
assert_answered (const GError *error)
{
  if (error != NULL)
    g_assert_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_REJECTED);
}

static void
test_refill_and_cancel (Fixture *f, gconstpointer data)
{
  g_autofree char *id = NULL;
  g_autofree char *refill_id = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) cancelled = NULL;
  g_autoptr(GPtrArray) refill_statuses = NULL;
  g_autoptr(RelayProviderRefillStatus) refill_status = NULL;
  g_autoptr(GError) error = NULL;
  const char *ids[2];
  Wait wait = { 0 };

  id = add_order (f, "https://instagram.com/p/relay-refill", NULL, &error);
  g_assert_no_error (error);
  relay_sim_advance (f->sim, 30 * 24 * 3600.0);

  relay_provider_client_refill_async (f->client, id, NULL, wait_done, &wait);
  refill_id = relay_provider_client_refill_finish (f->client, wait_for (&wait), &error);
  wait_clear (&wait);
  assert_answered (error);
  g_clear_error (&error);

  ids[0] = id;
  ids[1] = "987654321";
  relay_provider_client_refills_async (f->client, ids, 2, NULL, wait_done, &wait);
  items = relay_provider_client_refills_finish (f->client, wait_for (&wait), &error);
  wait_clear (&wait);
  assert_answered (error);
  g_clear_error (&error);
  if (items != NULL)
    {
      g_assert_cmpuint (items->len, ==, 2);
      for (guint i = 0; i < items->len; i++)
        {
          RelayProviderItemResult *item = g_ptr_array_index (items, i);

          g_assert_true ((item->result_id == NULL) != (item->error == NULL));
        }
    }

  relay_provider_client_refill_status_async (f->client, refill_id ? refill_id : "1", NULL,
                                             wait_done, &wait);
  refill_status = relay_provider_client_refill_status_finish (f->client, wait_for (&wait), &error);
  wait_clear (&wait);
  assert_answered (error);
  g_clear_error (&error);
  if (refill_status != NULL)
    g_assert_nonnull (refill_status->refill_id);

  ids[0] = refill_id ? refill_id : "1";
  ids[1] = "987654321";
  relay_provider_client_refill_statuses_async (f->client, ids, 2, NULL, wait_done, &wait);
  refill_statuses = relay_provider_client_refill_statuses_finish (f->client, wait_for (&wait),
                                                                  &error);
  wait_clear (&wait);
  assert_answered (error);
  g_clear_error (&error);

  ids[0] = id;
  relay_provider_client_cancel_async (f->client, ids, 2, NULL, wait_done, &wait);
  cancelled = relay_provider_client_cancel_finish (f->client, wait_for (&wait), &error);
  wait_clear (&wait);
  assert_answered (error);
  if (cancelled != NULL)
    g_assert_cmpuint (cancelled->len, ==, 2);

  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, "refill"), ==, 2);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, "refill_status"), ==, 2);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, "cancel"), ==, 1);
}

static void
test_latency (Fixture *f, gconstpointer data)
{
  g_autoptr(RelayProviderBalance) balance = NULL;
  g_autoptr(GError) error = NULL;
  Wait wait = { 0 };
  gint64 start;

  relay_sim_set_latency (f->sim, 200, 200);
  start = g_get_monotonic_time ();
  relay_provider_client_balance_async (f->client, NULL, wait_done, &wait);
  balance = relay_provider_client_balance_finish (f->client, wait_for (&wait), &error);
  g_assert_no_error (error);
  g_assert_cmpint (wait.done_at - start, >=, 195 * 1000);
  wait_clear (&wait);
}

static int
compare_gint64 (const void *a, const void *b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static void
test_max_concurrent_sim (Fixture *f, gconstpointer data)
{
  Wait waits[6] = { { 0 } };
  gint64 start;

  relay_sim_set_latency (f->sim, 150, 150);
  relay_provider_client_set_max_concurrent (f->client, 2);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < G_N_ELEMENTS (waits); i++)
    relay_provider_client_balance_async (f->client, NULL, wait_done, &waits[i]);
  for (guint i = 0; i < G_N_ELEMENTS (waits); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RelayProviderBalance) balance =
        relay_provider_client_balance_finish (f->client, wait_for (&waits[i]), &error);

      g_assert_no_error (error);
    }
  /* Three rounds of two: the k-th answer (in time) comes no sooner than
   * round k / 2 + 1 allows. */
  {
    gint64 done[G_N_ELEMENTS (waits)];

    for (guint i = 0; i < G_N_ELEMENTS (waits); i++)
      done[i] = waits[i].done_at - start;
    qsort (done, G_N_ELEMENTS (done), sizeof done[0], compare_gint64);
    for (guint k = 0; k < G_N_ELEMENTS (done); k++)
      g_assert_cmpint (done[k], >=, (k / 2 + 1) * 145 * 1000);
  }
  /* The first two asked are the first two answered (FIFO). */
  for (guint i = 2; i < G_N_ELEMENTS (waits); i++)
    {
      g_assert_cmpint (waits[i].done_at, >, waits[0].done_at);
      g_assert_cmpint (waits[i].done_at, >, waits[1].done_at);
    }
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, "balance"), ==, G_N_ELEMENTS (waits));
  for (guint i = 0; i < G_N_ELEMENTS (waits); i++)
    wait_clear (&waits[i]);
}

/* ---- faults ------------------------------------------------------------ */

static void
test_fault_timeout (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  gint64 start;

  pick_service (f);
  relay_provider_client_set_timeout_ms (f->client, 500);
  relay_sim_inject_fault (f->sim, "add", RELAY_SIM_FAULT_TIMEOUT, 1);
  start = g_get_monotonic_time ();
  id = add_order (f, "https://instagram.com/p/relay-timeout", NULL, &error);
  g_assert_null (id);
  g_assert_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME);
  g_assert_cmpstr (error->message, ==,
                   "the request was sent but 127.0.0.1 did not answer within 500 ms");
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  /* The trap: the order exists although we never heard of it. */
  g_assert_cmpuint (relay_sim_count_orders_with_link (f->sim, "https://instagram.com/p/relay-timeout"),
                    ==, 1);
}

static void
test_fault_html (Fixture *f, gconstpointer data)
{
  RelaySimFault faults[] = { RELAY_SIM_FAULT_HTML_BEFORE, RELAY_SIM_FAULT_HTML_AFTER };

  pick_service (f);
  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *id = NULL;

      relay_sim_inject_fault (f->sim, "add", faults[i], 1);
      id = add_order (f, "https://instagram.com/p/relay-html", NULL, &error);
      g_assert_null (id);
      g_assert_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME);
      g_assert_cmpstr (error->message, ==, "provider returned an HTML page (HTTP 502)");
    }
  /* Only HTML_AFTER processed the order. */
  g_assert_cmpuint (relay_sim_count_orders_with_link (f->sim, "https://instagram.com/p/relay-html"),
                    ==, 1);
}

static void
test_fault_drop (Fixture *f, gconstpointer data)
{
  RelaySimFault faults[] = { RELAY_SIM_FAULT_DROP_AFTER, RELAY_SIM_FAULT_DROP_BEFORE };

  pick_service (f);
  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *id = NULL;

      relay_sim_inject_fault (f->sim, "add", faults[i], 1);
      id = add_order (f, "https://instagram.com/p/relay-drop", NULL, &error);
      g_assert_null (id);
      /* Both look the same from here: the body went out and the connection
       * closed without an answer. */
      g_assert_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME);
      g_assert_true (g_str_has_prefix (error->message,
                                       "the connection to 127.0.0.1 broke after the request was sent: "));
    }
  g_assert_cmpuint (relay_sim_count_orders_with_link (f->sim, "https://instagram.com/p/relay-drop"),
                    ==, 1);
}

static void
test_fault_error_json (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  pick_service (f);
  relay_sim_inject_fault (f->sim, "add", RELAY_SIM_FAULT_ERROR_JSON, 1);
  id = add_order (f, "https://instagram.com/p/relay-error", NULL, &error);
  g_assert_null (id);
  g_assert_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_REJECTED);
  g_assert_cmpstr (error->message, ==, "Incorrect request");
  g_assert_cmpuint (relay_sim_get_n_orders (f->sim), ==, 0);
}

static void
test_fault_rate_limit (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  pick_service (f);
  relay_sim_inject_fault (f->sim, "add", RELAY_SIM_FAULT_RATE_LIMIT, 1);
  id = add_order (f, "https://instagram.com/p/relay-429", NULL, &error);
  g_assert_null (id);
  g_assert_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_NOT_SENT);
  g_assert_cmpstr (error->message, ==, "provider returned an HTML page (HTTP 429)");
  g_assert_cmpuint (relay_sim_get_n_orders (f->sim), ==, 0);
  g_clear_error (&error);

  /* Safe to retry, and the retry goes through. */
  id = add_order (f, "https://instagram.com/p/relay-429", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  g_assert_cmpuint (relay_sim_get_n_orders (f->sim), ==, 1);
}

static void
test_fault_rate_on_statuses (Fixture *f, gconstpointer data)
{
  const char *ids[] = { "1", "2" };
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) table = NULL;
  Wait wait = { 0 };

  relay_sim_inject_fault (f->sim, "status", RELAY_SIM_FAULT_HTML_BEFORE, 1);
  relay_provider_client_statuses_async (f->client, ids, 2, NULL, wait_done, &wait);
  table = relay_provider_client_statuses_finish (f->client, wait_for (&wait), &error);
  wait_clear (&wait);
  g_assert_null (table);
  g_assert_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME);
  g_assert_cmpstr (error->message, ==, "provider returned an HTML page (HTTP 502)");
}

static void
test_not_enough_funds (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  pick_service (f);
  relay_sim_set_balance (f->sim, 0);
  id = add_order (f, "https://instagram.com/p/relay-funds", NULL, &error);
  g_assert_null (id);
  g_assert_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_REJECTED);
  g_assert_cmpint (relay_provider_reject_kind (error->message), ==, RELAY_REJECT_FUNDS);
  g_assert_cmpuint (relay_sim_get_n_orders (f->sim), ==, 0);
}

static void
test_service_disabled (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  pick_service (f);
  relay_sim_set_service_disabled (f->sim, f->service_id, TRUE);
  id = add_order (f, "https://instagram.com/p/relay-disabled", NULL, &error);
  g_assert_null (id);
  g_assert_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_REJECTED);
  g_assert_cmpint (relay_provider_reject_kind (error->message), ==, RELAY_REJECT_SERVICE);
}

static void
test_wrong_key (Fixture *f, gconstpointer data)
{
  g_autoptr(RelayProviderClient) client = NULL;
  g_autoptr(RelayProviderBalance) balance = NULL;
  g_autoptr(GError) error = NULL;
  Wait wait = { 0 };

  client = relay_provider_client_new (f->session, f->url, "secret-wrong-key-0123", &error);
  g_assert_no_error (error);
  relay_provider_client_balance_async (client, NULL, wait_done, &wait);
  balance = relay_provider_client_balance_finish (client, wait_for (&wait), &error);
  wait_clear (&wait);
  g_assert_null (balance);
  g_assert_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_REJECTED);
  g_assert_cmpint (relay_provider_reject_kind (error->message), ==, RELAY_REJECT_AUTH);
  g_assert_null (strstr (error->message, "secret-wrong-key-0123"));
}

static guint16
closed_port (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_socket_listener_add_address (listener, address, G_SOCKET_TYPE_STREAM,
                                                G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error));
  g_assert_no_error (error);
  g_socket_listener_close (listener);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
test_connection_refused (void)
{
  g_autoptr(SoupSession) session = session_new ();
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/api/v2", closed_port ());
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayProviderClient) client = relay_provider_client_new (session, url, "k", &error);
  RelayProviderAddRequest request = { .service_id = "1", .link = "https://x.example/a", .quantity = 100 };
  g_autofree char *id = NULL;
  Wait wait = { 0 };

  g_assert_no_error (error);
  relay_provider_client_add_async (client, &request, NULL, wait_done, &wait);
  id = relay_provider_client_add_finish (client, wait_for (&wait), &error);
  wait_clear (&wait);
  g_assert_null (id);
  g_assert_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_NOT_SENT);
  g_assert_true (g_str_has_prefix (error->message, "could not send the request to 127.0.0.1: "));
}

static void
test_url_check (void)
{
  static const struct { const char *url; gboolean ok; } cases[] = {
    { "https://provider.example/api/v2", TRUE },
    { "HTTPS://provider.example:8443/api/v2", TRUE },
    { "http://127.0.0.1:8080/api/v2", TRUE },
    { "http://127.1.2.3/api/v2", TRUE },
    { "http://[::1]:9000/api/v2", TRUE },
    { "http://localhost/api/v2", TRUE },
    { "http://LOCALHOST:80/api", TRUE },
    { "http://example.com/api/v2", FALSE },
    { "http://10.0.0.1/api/v2", FALSE },
    { "http://localhost.example.com/api/v2", FALSE },
    { "http://128.0.0.1/api/v2", FALSE },
    { "ftp://provider.example/api/v2", FALSE },
    { "https://user:pass@provider.example/api/v2", FALSE },
    { "https://user@provider.example/api/v2", FALSE },
    { "https://provider.example/api/v2?key=secret", FALSE },
    { "https://provider.example/api/v2?", FALSE },
    { "provider.example/api/v2", FALSE },
    { "https:///api/v2", FALSE },
    { "", FALSE },
    { NULL, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = relay_provider_url_check (cases[i].url, &error);

      g_test_message ("url: %s", cases[i].url ? cases[i].url : "(null)");
      g_assert_cmpint (ok, ==, cases[i].ok);
      if (ok)
        g_assert_no_error (error);
      else
        {
          g_assert_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_CONFIG);
          g_assert_null (strstr (error->message, "secret"));
        }
    }
}

static void
test_new_refuses (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  RelayProviderClient *client;

  client = relay_provider_client_new (f->session, "http://example.com/api/v2", "demo-key", &error);
  g_assert_null (client);
  g_assert_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_CONFIG);
  g_clear_error (&error);

  client = relay_provider_client_new (f->session, f->url, "  ", &error);
  g_assert_null (client);
  g_assert_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_CONFIG);
  g_clear_error (&error);

  client = relay_provider_client_new (f->session, f->url, NULL, &error);
  g_assert_null (client);
  g_assert_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_CONFIG);

  spin_for (20);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, NULL), ==, 0);
}

static void
test_ids_checked (Fixture *f, gconstpointer data)
{
  const char *many[RELAY_PROVIDER_MAX_IDS + 1];
  const char *comma[] = { "1", "2,3" };
  const char *blank[] = { "1", "" };
  const char *null_id[] = { "1", NULL };
  struct { const char * const *ids; guint n; } cases[] = {
    { many, 0 }, { many, RELAY_PROVIDER_MAX_IDS + 1 }, { NULL, 1 }, { comma, 2 }, { blank, 2 },
    { null_id, 2 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (many); i++)
    many[i] = "1";

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Wait waits[4] = { { 0 } };
      g_autoptr(GError) e1 = NULL;
      g_autoptr(GError) e2 = NULL;
      g_autoptr(GError) e3 = NULL;
      g_autoptr(GError) e4 = NULL;
      g_autoptr(GHashTable) table = NULL;
      g_autoptr(GPtrArray) refills = NULL;
      g_autoptr(GPtrArray) cancels = NULL;
      g_autoptr(GPtrArray) refill_statuses = NULL;

      relay_provider_client_statuses_async (f->client, cases[i].ids, cases[i].n, NULL, wait_done,
                                            &waits[0]);
      relay_provider_client_refills_async (f->client, cases[i].ids, cases[i].n, NULL, wait_done,
                                           &waits[1]);
      relay_provider_client_cancel_async (f->client, cases[i].ids, cases[i].n, NULL, wait_done,
                                          &waits[2]);
      relay_provider_client_refill_statuses_async (f->client, cases[i].ids, cases[i].n, NULL,
                                                   wait_done, &waits[3]);
      /* Never called back before the call returns. */
      g_assert_null (waits[0].result);

      table = relay_provider_client_statuses_finish (f->client, wait_for (&waits[0]), &e1);
      refills = relay_provider_client_refills_finish (f->client, wait_for (&waits[1]), &e2);
      cancels = relay_provider_client_cancel_finish (f->client, wait_for (&waits[2]), &e3);
      refill_statuses = relay_provider_client_refill_statuses_finish (f->client,
                                                                      wait_for (&waits[3]), &e4);
      g_assert_error (e1, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_CONFIG);
      g_assert_error (e2, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_CONFIG);
      g_assert_error (e3, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_CONFIG);
      g_assert_error (e4, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_CONFIG);
      for (guint j = 0; j < G_N_ELEMENTS (waits); j++)
        wait_clear (&waits[j]);
    }

  {
    Wait wait = { 0 };
    g_autoptr(GError) error = NULL;
    g_autoptr(RelayProviderStatus) status = NULL;

    relay_provider_client_status_async (f->client, "", NULL, wait_done, &wait);
    status = relay_provider_client_status_finish (f->client, wait_for (&wait), &error);
    wait_clear (&wait);
    g_assert_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_CONFIG);
  }
  {
    Wait wait = { 0 };
    g_autoptr(GError) error = NULL;
    g_autofree char *id = NULL;
    RelayProviderAddRequest request = { .service_id = NULL, .link = "https://x.example/a" };

    relay_provider_client_add_async (f->client, &request, NULL, wait_done, &wait);
    id = relay_provider_client_add_finish (f->client, wait_for (&wait), &error);
    wait_clear (&wait);
    g_assert_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_CONFIG);
  }

  /* Exactly 100 is allowed. */
  {
    Wait wait = { 0 };
    g_autoptr(GError) error = NULL;
    g_autoptr(GHashTable) table = NULL;

    relay_provider_client_statuses_async (f->client, many, RELAY_PROVIDER_MAX_IDS, NULL,
                                          wait_done, &wait);
    table = relay_provider_client_statuses_finish (f->client, wait_for (&wait), &error);
    wait_clear (&wait);
    g_assert_no_error (error);
  }
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, NULL), ==, 1);
}

/* ---- cancellation and disposal ------------------------------------------ */

static gboolean
cancel_cb (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel_in_flight (Fixture *f, gconstpointer data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(RelayProviderBalance) balance = NULL;
  g_autoptr(GError) error = NULL;
  Wait wait = { 0 };
  gint64 start;

  relay_sim_set_latency (f->sim, 2000, 2000);
  start = g_get_monotonic_time ();
  relay_provider_client_balance_async (f->client, cancellable, wait_done, &wait);
  g_timeout_add (100, cancel_cb, cancellable);
  balance = relay_provider_client_balance_finish (f->client, wait_for (&wait), &error);
  g_assert_null (balance);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (wait.done_at - start, <, 1500 * 1000);
  wait_clear (&wait);
}

static void
test_cancel_add_after_send (Fixture *f, gconstpointer data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  RelayProviderAddRequest request;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  Wait wait = { 0 };

  request = add_request (f, "https://instagram.com/p/relay-cancelled");
  relay_sim_set_latency (f->sim, 2000, 2000);
  relay_provider_client_add_async (f->client, &request, cancellable, wait_done, &wait);
  g_timeout_add (200, cancel_cb, cancellable);
  id = relay_provider_client_add_finish (f->client, wait_for (&wait), &error);
  wait_clear (&wait);
  g_assert_null (id);
  g_assert_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME);
  g_assert_cmpstr (error->message, ==,
                   "the request was sent but cancelled before the provider answered");
}

static void
test_cancel_queued (Fixture *f, gconstpointer data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  RelayProviderAddRequest first;
  RelayProviderAddRequest second;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) queued_error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *queued_id = NULL;
  Wait wait_first = { 0 };
  Wait wait_second = { 0 };

  first = add_request (f, "https://instagram.com/p/relay-first");
  second = add_request (f, "https://instagram.com/p/relay-second");
  relay_provider_client_set_max_concurrent (f->client, 1);
  relay_sim_set_latency (f->sim, 600, 600);
  relay_provider_client_add_async (f->client, &first, NULL, wait_done, &wait_first);
  relay_provider_client_add_async (f->client, &second, cancellable, wait_done, &wait_second);
  g_timeout_add (100, cancel_cb, cancellable);

  queued_id = relay_provider_client_add_finish (f->client, wait_for (&wait_second), &queued_error);
  /* A queued `add` never left: a plain cancel, long before the first ends. */
  g_assert_error (queued_error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (wait_first.result);

  id = relay_provider_client_add_finish (f->client, wait_for (&wait_first), &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  wait_clear (&wait_first);
  wait_clear (&wait_second);
  g_assert_cmpuint (relay_sim_count_orders_with_link (f->sim, "https://instagram.com/p/relay-second"),
                    ==, 0);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, "add"), ==, 1);
}

static void
test_cancel_before (Fixture *f, gconstpointer data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(RelayProviderBalance) balance = NULL;
  g_autoptr(GError) error = NULL;
  Wait wait = { 0 };

  g_cancellable_cancel (cancellable);
  relay_provider_client_balance_async (f->client, cancellable, wait_done, &wait);
  g_assert_null (wait.result);
  balance = relay_provider_client_balance_finish (f->client, wait_for (&wait), &error);
  wait_clear (&wait);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  spin_for (50);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, NULL), ==, 0);
}

static void
test_dispose_in_flight (Fixture *f, gconstpointer data)
{
  RelayProviderAddRequest request;
  Wait waits[4] = { { 0 } };
  g_autoptr(GError) e0 = NULL;
  g_autoptr(GError) e1 = NULL;
  g_autoptr(GError) e2 = NULL;
  g_autoptr(GError) e3 = NULL;
  g_autofree char *id = NULL;
  g_autoptr(RelayProviderBalance) b1 = NULL;
  g_autoptr(RelayProviderBalance) b2 = NULL;
  g_autoptr(RelayProviderBalance) b3 = NULL;

  request = add_request (f, "https://instagram.com/p/relay-dispose");
  relay_sim_set_latency (f->sim, 1000, 1000);
  relay_provider_client_set_max_concurrent (f->client, 2);
  relay_provider_client_add_async (f->client, &request, NULL, wait_done, &waits[0]);
  relay_provider_client_balance_async (f->client, NULL, wait_done, &waits[1]);
  relay_provider_client_balance_async (f->client, NULL, wait_done, &waits[2]);  /* queued */
  spin_for (200);
  g_object_run_dispose (G_OBJECT (f->client));
  /* After dispose nothing new goes out. */
  relay_provider_client_balance_async (f->client, NULL, wait_done, &waits[3]);

  id = relay_provider_client_add_finish (f->client, wait_for (&waits[0]), &e0);
  b1 = relay_provider_client_balance_finish (f->client, wait_for (&waits[1]), &e1);
  b2 = relay_provider_client_balance_finish (f->client, wait_for (&waits[2]), &e2);
  b3 = relay_provider_client_balance_finish (f->client, wait_for (&waits[3]), &e3);
  g_assert_error (e0, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME);
  g_assert_error (e1, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_error (e2, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_error (e3, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (waits[i].done_at, <, waits[0].done_at + 900 * 1000);
  for (guint i = 0; i < G_N_ELEMENTS (waits); i++)
    wait_clear (&waits[i]);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, "balance"), <=, 1);
}

/* ---- small fault servers --------------------------------------------------- */

typedef struct
{
  SoupServer *server;
  char       *url;
  guint       current;
  guint       peak;
  guint       n_requests;
  guint       hold_ms;
  GBytes     *reply;
  const char *content_type;
  guint       status;
  gboolean    drop;
  gboolean    chunked;       /* no Content-Length: the reply is sent in chunks */
  gsize       stream_size;   /* > 0: a "[0,0,…]" of this size, made as it is sent */
  gsize       streamed;      /* bytes of it handed to the server so far */
  GBytes     *stream_piece;
  const char *location;
  GHashTable *client_ports;
  GString    *last_body;
  char       *last_method;
  char       *last_query;
  char       *last_user_agent;
  char       *last_accept;
  char       *last_content_type;
} Fake;

typedef struct
{
  Fake              *fake;
  SoupServerMessage *msg;
} Held;

/* The next piece of a streamed reply; the body is complete after the last. */
static void
fake_stream_more (SoupServerMessage *msg, gpointer user_data)
{
  Fake *fake = user_data;
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  gsize piece = g_bytes_get_size (fake->stream_piece);

  if (fake->streamed >= fake->stream_size)
    return;
  if (fake->streamed + piece + 2 >= fake->stream_size)
    {
      soup_message_body_append (body, SOUP_MEMORY_STATIC, "0]", 2);
      soup_message_body_complete (body);
      fake->streamed = fake->stream_size;
      return;
    }
  soup_message_body_append_bytes (body, fake->stream_piece);
  fake->streamed += piece;
}

static void
fake_answer_chunked (Fake *fake, SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  SoupMessageBody *body = soup_server_message_get_response_body (msg);

  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_headers_set_content_type (headers, fake->content_type, NULL);
  soup_message_body_set_accumulate (body, FALSE);
  if (fake->stream_size == 0)
    {
      /* The whole reply in chunks of 4 kB. */
      gsize size = g_bytes_get_size (fake->reply);

      for (gsize at = 0; at < size; at += 4096)
        {
          g_autoptr(GBytes) piece = g_bytes_new_from_bytes (fake->reply, at,
                                                            MIN (4096, size - at));

          soup_message_body_append_bytes (body, piece);
        }
      soup_message_body_complete (body);
      return;
    }
  /* Made as it goes, two pieces ahead of the writer: the fake never holds
   * the whole reply. */
  fake->streamed = 1;
  soup_message_body_append (body, SOUP_MEMORY_STATIC, "[", 1);
  fake_stream_more (msg, fake);
  g_signal_connect (msg, "wrote-chunk", G_CALLBACK (fake_stream_more), fake);
}

static void
fake_answer (Fake *fake, SoupServerMessage *msg)
{
  if (fake->drop)
    {
      /* Read the request, then hang up without a word. */
      g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

      g_io_stream_close (stream, NULL, NULL);
      return;
    }
  soup_server_message_set_status (msg, fake->status, NULL);
  if (fake->chunked || fake->stream_size > 0)
    {
      fake_answer_chunked (fake, msg);
      return;
    }
  if (fake->location != NULL)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Location",
                                  fake->location);
  soup_server_message_set_response (msg, fake->content_type, SOUP_MEMORY_COPY,
                                    g_bytes_get_data (fake->reply, NULL),
                                    g_bytes_get_size (fake->reply));
}

static gboolean
release_held (gpointer data)
{
  Held *held = data;

  held->fake->current--;
  fake_answer (held->fake, held->msg);
  soup_server_message_unpause (held->msg);
  g_object_unref (held->msg);
  g_free (held);
  return G_SOURCE_REMOVE;
}

static void
fake_handler (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  Fake *fake = user_data;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  GUri *uri = soup_server_message_get_uri (msg);

  fake->n_requests++;
  g_hash_table_add (fake->client_ports,
                    GUINT_TO_POINTER (g_inet_socket_address_get_port (
                      G_INET_SOCKET_ADDRESS (soup_server_message_get_remote_address (msg)))));
  g_string_assign (fake->last_body, "");
  g_string_append_len (fake->last_body, body->data, body->length);
  g_free (fake->last_method);
  fake->last_method = g_strdup (soup_server_message_get_method (msg));
  g_free (fake->last_query);
  fake->last_query = g_strdup (g_uri_get_query (uri));
  g_free (fake->last_user_agent);
  fake->last_user_agent = g_strdup (soup_message_headers_get_one (headers, "User-Agent"));
  g_free (fake->last_accept);
  fake->last_accept = g_strdup (soup_message_headers_get_one (headers, "Accept"));
  g_free (fake->last_content_type);
  fake->last_content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));

  if (fake->hold_ms > 0)
    {
      Held *held = g_new0 (Held, 1);

      held->fake = fake;
      held->msg = g_object_ref (msg);
      fake->current++;
      fake->peak = MAX (fake->peak, fake->current);
      soup_server_message_pause (msg);
      g_timeout_add (fake->hold_ms, release_held, held);
      return;
    }
  fake_answer (fake, msg);
}

static Fake *
fake_new (const char *reply, gboolean https)
{
  Fake *fake = g_new0 (Fake, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;
  GUri *uri;

  fake->server = soup_server_new (NULL, NULL);
  if (https)
    {
      g_autoptr(GTlsCertificate) certificate =
        g_tls_certificate_new_from_pem (test_certificate_pem, -1, &error);

      g_assert_no_error (error);
      soup_server_set_tls_certificate (fake->server, certificate);
    }
  soup_server_add_handler (fake->server, NULL, fake_handler, fake, NULL);
  g_assert_true (soup_server_listen_local (fake->server, 0,
                                           SOUP_SERVER_LISTEN_IPV4_ONLY |
                                           (https ? SOUP_SERVER_LISTEN_HTTPS : 0),
                                           &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (fake->server);
  uri = uris->data;
  fake->url = g_strdup_printf ("%s://127.0.0.1:%d/api/v2", https ? "https" : "http",
                               g_uri_get_port (uri));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  fake->reply = g_bytes_new (reply, strlen (reply));
  fake->content_type = "application/json";
  fake->status = 200;
  fake->last_body = g_string_new (NULL);
  fake->client_ports = g_hash_table_new (NULL, NULL);
  return fake;
}

static void
fake_free (Fake *fake)
{
  spin_for (20);
  soup_server_disconnect (fake->server);
  g_object_unref (fake->server);
  g_bytes_unref (fake->reply);
  g_clear_pointer (&fake->stream_piece, g_bytes_unref);
  g_string_free (fake->last_body, TRUE);
  g_hash_table_unref (fake->client_ports);
  g_free (fake->url);
  g_free (fake->last_method);
  g_free (fake->last_query);
  g_free (fake->last_user_agent);
  g_free (fake->last_accept);
  g_free (fake->last_content_type);
  g_free (fake);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fake, fake_free)

static RelayProviderClient *
client_for (SoupSession *session, Fake *fake, const char *key)
{
  g_autoptr(GError) error = NULL;
  RelayProviderClient *client = relay_provider_client_new (session, fake->url, key, &error);

  g_assert_no_error (error);
  return client;
}

static void
test_request_format (void)
{
  g_autoptr(SoupSession) session = session_new ();
  g_autoptr(Fake) fake = fake_new ("{\"order\": 23501}", FALSE);
  g_autoptr(RelayProviderClient) client = client_for (session, fake, "s3cr&t key=1");
  RelayProviderAddRequest request = {
    .service_id = "12", .link = "https://instagram.com/p/a?b=c&d=e", .quantity = 100,
    .runs = 5, .interval = 30, .comments = "nice!\nwow & more",
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autoptr(GHashTable) form = NULL;
  Wait wait = { 0 };

  /* The app's session has its own User-Agent; ours wins. */
  soup_session_set_user_agent (session, "Something-Else/9 ");
  relay_provider_client_add_async (client, &request, NULL, wait_done, &wait);
  id = relay_provider_client_add_finish (client, wait_for (&wait), &error);
  wait_clear (&wait);
  g_assert_no_error (error);
  g_assert_cmpstr (id, ==, "23501");

  g_assert_cmpstr (fake->last_method, ==, "POST");
  g_assert_null (fake->last_query);
  g_assert_cmpstr (fake->last_content_type, ==, "application/x-www-form-urlencoded");
  g_assert_cmpstr (fake->last_user_agent, ==, "SMM-Relay/0.1");
  g_assert_cmpstr (fake->last_accept, ==, "application/json");
  form = soup_form_decode (fake->last_body->str);
  g_assert_cmpstr (g_hash_table_lookup (form, "key"), ==, "s3cr&t key=1");
  g_assert_cmpstr (g_hash_table_lookup (form, "action"), ==, "add");
  g_assert_cmpstr (g_hash_table_lookup (form, "service"), ==, "12");
  g_assert_cmpstr (g_hash_table_lookup (form, "link"), ==, "https://instagram.com/p/a?b=c&d=e");
  g_assert_cmpstr (g_hash_table_lookup (form, "quantity"), ==, "100");
  g_assert_cmpstr (g_hash_table_lookup (form, "runs"), ==, "5");
  g_assert_cmpstr (g_hash_table_lookup (form, "interval"), ==, "30");
  g_assert_cmpstr (g_hash_table_lookup (form, "comments"), ==, "nice!\nwow & more");
  /* Zero numbers and NULL strings are left out. */
  g_assert_false (g_hash_table_contains (form, "username"));
  g_assert_false (g_hash_table_contains (form, "answer_number"));
  g_assert_cmpuint (g_hash_table_size (form), ==, 8);
}

static void
collect_log (SoupLogger         *logger,
             SoupLoggerLogLevel  level,
             char                direction,
             const char         *data,
             gpointer            user_data)
{
  g_string_append_printf (user_data, "%c %s\n", direction, data);
}

static void
test_key_not_logged (void)
{
  g_autoptr(SoupSession) session = session_new ();
  g_autoptr(Fake) fake = fake_new ("{\"error\": \"Invalid API key\"}", FALSE);
  g_autoptr(RelayProviderClient) client = client_for (session, fake, "very-secret-key-42");
  g_autoptr(SoupLogger) logger = soup_logger_new (SOUP_LOGGER_LOG_BODY);
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayProviderBalance) balance = NULL;
  Wait wait = { 0 };

  soup_logger_set_printer (logger, collect_log, log, NULL);
  soup_session_add_feature (session, SOUP_SESSION_FEATURE (logger));
  relay_provider_client_balance_async (client, NULL, wait_done, &wait);
  balance = relay_provider_client_balance_finish (client, wait_for (&wait), &error);
  wait_clear (&wait);
  g_assert_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_REJECTED);
  g_assert_cmpuint (fake->n_requests, ==, 1);
  g_assert_true (g_str_has_prefix (fake->last_body->str, "key=very-secret-key-42&"));
  g_assert_null (strstr (log->str, "very-secret-key-42"));
  g_assert_null (strstr (error->message, "very-secret-key-42"));
}

static void
test_statuses_form (void)
{
  g_autoptr(SoupSession) session = session_new ();
  g_autoptr(Fake) fake = fake_new ("{\"1\": {\"status\": \"Pending\"}, \"2\": {\"status\": \"Completed\"}}",
                                   FALSE);
  g_autoptr(RelayProviderClient) client = client_for (session, fake, "k");
  const char *ids[] = { "1", "2" };
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) table = NULL;
  g_autoptr(GHashTable) form = NULL;
  Wait wait = { 0 };

  relay_provider_client_statuses_async (client, ids, 2, NULL, wait_done, &wait);
  table = relay_provider_client_statuses_finish (client, wait_for (&wait), &error);
  wait_clear (&wait);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (table), ==, 2);
  form = soup_form_decode (fake->last_body->str);
  g_assert_cmpstr (g_hash_table_lookup (form, "action"), ==, "status");
  g_assert_cmpstr (g_hash_table_lookup (form, "orders"), ==, "1,2");
}

/* libsoup gives every POST without SOUP_MESSAGE_IDEMPOTENT a new
 * connection, and `add` also asks for one, so an order can never fail on (or
 * be re-sent after) a stale keep-alive connection.  Questions (balance here)
 * carry SOUP_MESSAGE_IDEMPOTENT and may reuse an idle connection: asking
 * twice is harmless, and a connection per question ran a deep queue out of
 * file descriptors (tests/provider/test-client-queue.c). */
static void
test_fresh_connection_per_request (void)
{
  g_autoptr(SoupSession) session = session_new ();
  g_autoptr(Fake) fake = fake_new ("{\"order\": 5}", FALSE);
  g_autoptr(RelayProviderClient) client = client_for (session, fake, "k");
  RelayProviderAddRequest request = { .service_id = "1", .link = "https://x.example/a", .quantity = 10 };

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *id = NULL;
      g_autoptr(RelayProviderBalance) balance = NULL;
      guint ports_before = g_hash_table_size (fake->client_ports);
      Wait wait = { 0 };

      relay_provider_client_add_async (client, &request, NULL, wait_done, &wait);
      id = relay_provider_client_add_finish (client, wait_for (&wait), &error);
      wait_clear (&wait);
      g_assert_no_error (error);
      /* The order came on a connection never used before. */
      g_assert_cmpuint (g_hash_table_size (fake->client_ports), ==, ports_before + 1);
      relay_provider_client_balance_async (client, NULL, wait_done, &wait);
      balance = relay_provider_client_balance_finish (client, wait_for (&wait), &error);
      wait_clear (&wait);
      g_assert_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME);
    }
  g_assert_cmpuint (fake->n_requests, ==, 6);
  /* The questions went on the orders' idle connections. */
  g_assert_cmpuint (g_hash_table_size (fake->client_ports), ==, 3);
}

static void
test_max_concurrent_peak (void)
{
  g_autoptr(SoupSession) session = session_new ();
  g_autoptr(Fake) fake = fake_new ("{\"balance\": \"1.5\", \"currency\": \"USD\"}", FALSE);
  g_autoptr(RelayProviderClient) client = client_for (session, fake, "k");
  Wait waits[9] = { { 0 } };

  fake->hold_ms = 80;
  relay_provider_client_set_max_concurrent (client, 3);
  for (guint i = 0; i < G_N_ELEMENTS (waits); i++)
    relay_provider_client_balance_async (client, NULL, wait_done, &waits[i]);
  for (guint i = 0; i < G_N_ELEMENTS (waits); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RelayProviderBalance) balance =
        relay_provider_client_balance_finish (client, wait_for (&waits[i]), &error);

      g_assert_no_error (error);
      g_assert_cmpint (balance->balance, ==, 1500000);
      wait_clear (&waits[i]);
    }
  g_assert_cmpuint (fake->n_requests, ==, 9);
  g_assert_cmpuint (fake->peak, ==, 3);
}

static void
test_default_concurrency (void)
{
  g_autoptr(SoupSession) session = session_new ();
  g_autoptr(Fake) fake = fake_new ("{\"balance\": \"1.5\", \"currency\": \"USD\"}", FALSE);
  g_autoptr(RelayProviderClient) client = client_for (session, fake, "k");
  Wait waits[10] = { { 0 } };

  fake->hold_ms = 80;
  for (guint i = 0; i < G_N_ELEMENTS (waits); i++)
    relay_provider_client_balance_async (client, NULL, wait_done, &waits[i]);
  for (guint i = 0; i < G_N_ELEMENTS (waits); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RelayProviderBalance) balance =
        relay_provider_client_balance_finish (client, wait_for (&waits[i]), &error);

      g_assert_no_error (error);
      wait_clear (&waits[i]);
    }
  g_assert_cmpuint (fake->peak, ==, 4);
}

static void
test_drop_after_read (void)
{
  g_autoptr(SoupSession) session = session_new ();
  g_autoptr(Fake) fake = fake_new ("", FALSE);
  g_autoptr(RelayProviderClient) client = client_for (session, fake, "k");
  RelayProviderAddRequest request = { .service_id = "1", .link = "https://x.example/a", .quantity = 10 };
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  Wait wait = { 0 };

  fake->drop = TRUE;
  relay_provider_client_add_async (client, &request, NULL, wait_done, &wait);
  id = relay_provider_client_add_finish (client, wait_for (&wait), &error);
  wait_clear (&wait);
  g_assert_null (id);
  g_assert_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME);
  g_assert_cmpuint (fake->n_requests, ==, 1);
}

static void
test_no_redirect (void)
{
  g_autoptr(SoupSession) session = session_new ();
  g_autoptr(Fake) target = fake_new ("{\"order\": 1}", FALSE);
  g_autoptr(Fake) fake = fake_new ("", FALSE);
  g_autoptr(RelayProviderClient) client = client_for (session, fake, "k");
  RelayProviderAddRequest request = { .service_id = "1", .link = "https://x.example/a", .quantity = 10 };
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  Wait wait = { 0 };

  /* A 307 would re-send the body, key and all, to the target. */
  fake->status = 307;
  fake->location = target->url;
  relay_provider_client_add_async (client, &request, NULL, wait_done, &wait);
  id = relay_provider_client_add_finish (client, wait_for (&wait), &error);
  wait_clear (&wait);
  g_assert_null (id);
  g_assert_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME);
  g_assert_cmpstr (error->message, ==, "provider returned an empty reply (HTTP 307)");
  g_assert_cmpuint (fake->n_requests, ==, 1);
  g_assert_cmpuint (target->n_requests, ==, 0);
}

static void
test_http_error_json (void)
{
  g_autoptr(SoupSession) session = session_new ();
  g_autoptr(Fake) fake = fake_new ("{\"error\": \"Incorrect service ID\"}", FALSE);
  g_autoptr(RelayProviderClient) client = client_for (session, fake, "k");
  RelayProviderAddRequest request = { .service_id = "1", .link = "https://x.example/a", .quantity = 10 };
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  Wait wait = { 0 };

  fake->status = 500;
  relay_provider_client_add_async (client, &request, NULL, wait_done, &wait);
  id = relay_provider_client_add_finish (client, wait_for (&wait), &error);
  wait_clear (&wait);
  /* A 5xx with an error object may come from a panel that broke half way:
   * for `add` that is an unknown outcome, never a refusal to fail over on. */
  g_assert_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME);
  g_assert_nonnull (strstr (error->message, "Incorrect service ID"));
}

/* A panel that echoes the key back must not get it into the order book. */
static void
test_key_echo_redacted (void)
{
  g_autoptr(SoupSession) session = session_new ();
  g_autoptr(Fake) fake = fake_new ("{\"error\": \"Invalid API key: k-secret-123\"}", FALSE);
  g_autoptr(RelayProviderClient) client = client_for (session, fake, "k-secret-123");
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayProviderBalance) balance = NULL;
  Wait wait = { 0 };

  relay_provider_client_balance_async (client, NULL, wait_done, &wait);
  balance = relay_provider_client_balance_finish (client, wait_for (&wait), &error);
  wait_clear (&wait);
  g_assert_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_REJECTED);
  g_assert_null (strstr (error->message, "k-secret-123"));
  g_assert_cmpstr (error->message, ==, "Invalid API key: ***");
}

static void
test_html_403 (void)
{
  g_autoptr(SoupSession) session = session_new ();
  g_autoptr(Fake) fake = fake_new ("<!DOCTYPE html><html><title>Attention Required!</title></html>",
                                   FALSE);
  g_autoptr(RelayProviderClient) client = client_for (session, fake, "k");
  RelayProviderAddRequest request = { .service_id = "1", .link = "https://x.example/a", .quantity = 10 };
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  Wait wait = { 0 };

  fake->status = 403;
  fake->content_type = "text/html";
  relay_provider_client_add_async (client, &request, NULL, wait_done, &wait);
  id = relay_provider_client_add_finish (client, wait_for (&wait), &error);
  wait_clear (&wait);
  g_assert_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_NOT_SENT);
  g_assert_cmpstr (error->message, ==, "provider returned an HTML page (HTTP 403)");
}

static void
test_untrusted_certificate (void)
{
  g_autoptr(SoupSession) session = session_new ();
  g_autoptr(Fake) fake = fake_new ("{\"order\": 1}", TRUE);
  g_autoptr(RelayProviderClient) client = client_for (session, fake, "k");
  RelayProviderAddRequest request = { .service_id = "1", .link = "https://x.example/a", .quantity = 10 };
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  Wait wait = { 0 };

  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_test_skip ("no TLS backend");
      return;
    }
  relay_provider_client_add_async (client, &request, NULL, wait_done, &wait);
  id = relay_provider_client_add_finish (client, wait_for (&wait), &error);
  wait_clear (&wait);
  g_assert_null (id);
  g_assert_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_NOT_SENT);
  g_assert_cmpuint (fake->n_requests, ==, 0);
}

/* A TLS endpoint that accepts the connection and never answers the
 * handshake: the timeout strikes before the body could be written. */
static gboolean
hold_connection (GSocketService     *service,
                 GSocketConnection  *connection,
                 GObject            *source,
                 gpointer            user_data)
{
  g_ptr_array_add (user_data, g_object_ref (connection));
  return TRUE;
}

static void
test_timeout_before_sent (void)
{
  g_autoptr(SoupSession) session = session_new ();
  g_autoptr(GSocketService) service = g_socket_service_new ();
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayProviderClient) client = NULL;
  g_autofree char *url = NULL;
  g_autofree char *id = NULL;
  RelayProviderAddRequest request = { .service_id = "1", .link = "https://x.example/a", .quantity = 10 };
  guint16 port;
  Wait wait = { 0 };

  port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (service), NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (service, "incoming", G_CALLBACK (hold_connection), held);
  g_socket_service_start (service);
  url = g_strdup_printf ("https://127.0.0.1:%u/api/v2", port);
  client = relay_provider_client_new (session, url, "k", &error);
  g_assert_no_error (error);
  relay_provider_client_set_timeout_ms (client, 300);

  relay_provider_client_add_async (client, &request, NULL, wait_done, &wait);
  id = relay_provider_client_add_finish (client, wait_for (&wait), &error);
  wait_clear (&wait);
  g_assert_null (id);
  g_assert_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_NOT_SENT);
  g_assert_cmpstr (error->message, ==, "could not send the request to 127.0.0.1 within 300 ms");
  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
}

static void
test_reply_too_large (void)
{
  g_autoptr(SoupSession) session = session_new ();
  g_autoptr(Fake) fake = fake_new ("", FALSE);
  g_autoptr(RelayProviderClient) client = client_for (session, fake, "k");
  gsize size = (gsize) 65 * 1024 * 1024;
  char *data = g_malloc (size);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) services = NULL;
  Wait wait = { 0 };

  memset (data, ' ', size);
  data[0] = '[';
  data[size - 1] = ']';
  g_bytes_unref (fake->reply);
  fake->reply = g_bytes_new_take (data, size);
  relay_provider_client_services_async (client, NULL, wait_done, &wait);
  services = relay_provider_client_services_finish (client, wait_for (&wait), &error);
  wait_clear (&wait);
  g_assert_null (services);
  g_assert_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME);
  g_assert_cmpstr (error->message, ==,
                   "provider reply too large for services (68157440 bytes, limit 33554432)");
}

static void
test_big_catalog_in_thread (void)
{
  g_autoptr(SoupSession) session = session_new ();
  g_autoptr(GString) json = g_string_new ("[");
  g_autoptr(Fake) fake = NULL;
  g_autoptr(RelayProviderClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) services = NULL;
  Wait wait = { 0 };
  guint n = 0;

  while (json->len < 1024 * 1024)
    {
      if (n > 0)
        g_string_append_c (json, ',');
      g_string_append_printf (json, "{\"service\": %u, \"name\": \"Service %u\", \"type\": \"Default\", "
                              "\"category\": \"Big\", \"rate\": \"0.%05u\", \"min\": \"10\", "
                              "\"max\": \"1000\", \"refill\": false, \"cancel\": true}",
                              n + 1, n + 1, (n % 99999) + 1);
      n++;
    }
  g_string_append_c (json, ']');
  fake = fake_new (json->str, FALSE);
  client = client_for (session, fake, "k");

  relay_provider_client_services_async (client, NULL, wait_done, &wait);
  services = relay_provider_client_services_finish (client, wait_for (&wait), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (services->len, ==, n);
  /* Parsed in a worker, answered in the caller's thread. */
  g_assert_true (wait.thread == g_thread_self ());
  wait_clear (&wait);
}

/* ---- hostile replies ------------------------------------------------------ */

/* Runs the request of @kind and returns its result (free it with
 * free_result()) or NULL with @error. */
static gpointer
run_action (RelayProviderClient *client, RelayReplyKind kind, GError **error)
{
  static const char * const ids[] = { "1002", "1003" };
  RelayProviderAddRequest request = { .service_id = "1", .link = "https://x.example/a", .quantity = 10 };
  Wait wait = { 0 };
  gpointer result = NULL;

  switch (kind)
    {
    case RELAY_REPLY_SERVICES:
      relay_provider_client_services_async (client, NULL, wait_done, &wait);
      result = relay_provider_client_services_finish (client, wait_for (&wait), error);
      break;
    case RELAY_REPLY_ADD:
      relay_provider_client_add_async (client, &request, NULL, wait_done, &wait);
      result = relay_provider_client_add_finish (client, wait_for (&wait), error);
      break;
    case RELAY_REPLY_STATUS:
      relay_provider_client_status_async (client, "1002", NULL, wait_done, &wait);
      result = relay_provider_client_status_finish (client, wait_for (&wait), error);
      break;
    case RELAY_REPLY_STATUSES:
      relay_provider_client_statuses_async (client, ids, 2, NULL, wait_done, &wait);
      result = relay_provider_client_statuses_finish (client, wait_for (&wait), error);
      break;
    case RELAY_REPLY_BALANCE:
      relay_provider_client_balance_async (client, NULL, wait_done, &wait);
      result = relay_provider_client_balance_finish (client, wait_for (&wait), error);
      break;
    case RELAY_REPLY_REFILL:
      relay_provider_client_refill_async (client, "1002", NULL, wait_done, &wait);
      result = relay_provider_client_refill_finish (client, wait_for (&wait), error);
      break;
    case RELAY_REPLY_REFILLS:
      relay_provider_client_refills_async (client, ids, 2, NULL, wait_done, &wait);
      result = relay_provider_client_refills_finish (client, wait_for (&wait), error);
      break;
    case RELAY_REPLY_REFILL_STATUS:
      relay_provider_client_refill_status_async (client, "7", NULL, wait_done, &wait);
      result = relay_provider_client_refill_status_finish (client, wait_for (&wait), error);
      break;
    case RELAY_REPLY_REFILL_STATUSES:
      relay_provider_client_refill_statuses_async (client, ids, 2, NULL, wait_done, &wait);
      result = relay_provider_client_refill_statuses_finish (client, wait_for (&wait), error);
      break;
    case RELAY_REPLY_CANCEL:
      relay_provider_client_cancel_async (client, ids, 2, NULL, wait_done, &wait);
      result = relay_provider_client_cancel_finish (client, wait_for (&wait), error);
      break;
    default:
      g_assert_not_reached ();
    }
  wait_clear (&wait);
  return result;
}

static void
free_result (RelayReplyKind kind, gpointer result)
{
  if (result == NULL)
    return;
  switch (kind)
    {
    case RELAY_REPLY_ADD:
    case RELAY_REPLY_REFILL:
      g_free (result);
      break;
    case RELAY_REPLY_STATUS:
      relay_provider_status_free (result);
      break;
    case RELAY_REPLY_STATUSES:
      g_hash_table_unref (result);
      break;
    case RELAY_REPLY_BALANCE:
      relay_provider_balance_free (result);
      break;
    case RELAY_REPLY_REFILL_STATUS:
      relay_provider_refill_status_free (result);
      break;
    default:
      g_ptr_array_unref (result);
      break;
    }
}

static void
fake_set_reply (Fake *fake, char *data, gsize size)
{
  g_bytes_unref (fake->reply);
  fake->reply = g_bytes_new_take (data, size);
}

static char *
repeat_char (char c, gsize n)
{
  char *data = g_malloc (n + 1);

  memset (data, c, n);
  data[n] = '\0';
  return data;
}

/* 200 kB of "[" used to overflow json-glib's stack: every command crashed.
 * Now: refused before parsing, as an unknown outcome (the request was sent). */
static void
test_deep_nesting (void)
{
  static const RelayReplyKind kinds[] = {
    RELAY_REPLY_BALANCE, RELAY_REPLY_SERVICES, RELAY_REPLY_STATUS, RELAY_REPLY_ADD,
    RELAY_REPLY_STATUSES, RELAY_REPLY_CANCEL,
  };
  g_autoptr(SoupSession) session = session_new ();
  g_autoptr(Fake) fake = fake_new ("", FALSE);
  g_autoptr(RelayProviderClient) client = client_for (session, fake, "k");

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) small_error = NULL;
      gsize size = 200 * 1024;
      gpointer result;

      fake_set_reply (fake, repeat_char ('[', size), size);
      result = run_action (client, kinds[i], &error);
      g_assert_null (result);
      g_assert_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME);
      g_test_message ("%s, 200 kB of [: %s", relay_reply_action (kinds[i]), error->message);
      if (relay_reply_size_limit (kinds[i]) >= size)
        g_assert_cmpstr (error->message, ==, "provider reply nested 204800 levels deep (limit 32)");
      else
        g_assert_true (g_str_has_prefix (error->message, "provider reply too large for "));

      /* Under every action's size limit: refused for its depth. */
      size = 12000;
      fake_set_reply (fake, repeat_char ('[', size), size);
      result = run_action (client, kinds[i], &small_error);
      g_assert_null (result);
      g_assert_error (small_error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME);
      g_assert_cmpstr (small_error->message, ==, "provider reply nested 12000 levels deep (limit 32)");
    }
}

/* A key in the shapes panels echo it: as is, upper case, URL-encoded (upper
 * and lower hex), form-encoded, JSON-escaped. */
#define ECHO_KEY "Sk3y+/Q=9z-abc"

static void
assert_no_key (const char *text)
{
  g_autofree char *lower = NULL;

  if (text == NULL)
    return;
  lower = g_ascii_strdown (text, -1);
  /* No piece of the key of 6 characters or more, in any form. */
  g_assert_null (strstr (lower, "sk3y+/"));
  g_assert_null (strstr (lower, "sk3y%2b"));
  g_assert_null (strstr (lower, "sk3y "));
  g_assert_null (strstr (lower, "q=9z-abc"));
  g_assert_null (strstr (lower, "q%3d9z"));
  g_assert_null (strstr (lower, "9z-abc"));
}

static void
fake_set_text (Fake *fake, const char *json)
{
  fake_set_reply (fake, g_strdup (json), strlen (json));
}

/* Per-order errors used to reach the order book as the panel wrote them, and
 * an upper-cased echo escaped the top-level redaction. */
static void
test_key_echo_per_order (void)
{
  g_autoptr(SoupSession) session = session_new ();
  g_autoptr(Fake) fake = fake_new ("", FALSE);
  g_autoptr(RelayProviderClient) client = client_for (session, fake, ECHO_KEY);
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) table = NULL;
  g_autoptr(GPtrArray) refills = NULL;
  g_autoptr(GPtrArray) cancels = NULL;
  g_autoptr(GPtrArray) refill_statuses = NULL;
  g_autoptr(RelayProviderStatus) one = NULL;
  g_autoptr(RelayProviderBalance) balance = NULL;
  RelayProviderStatus *status;

  fake_set_text (fake,
    "{\"1002\": {\"error\": \"Order 1002 not found for API key SK3Y+/Q=9Z-ABC\"},"
    " \"1003\": {\"error\": \"Incorrect order ID (key=Sk3y%2B%2FQ%3D9z-abc)\"},"
    " \"1004\": {\"status\": \"Completed for sk3y%2b%2fq%3d9z-abc\", \"currency\": \"USD\"}}");
  table = run_action (client, RELAY_REPLY_STATUSES, &error);
  g_assert_no_error (error);
  status = g_hash_table_lookup (table, "1002");
  g_assert_cmpstr (status->error, ==, "Order 1002 not found for API key ***");
  status = g_hash_table_lookup (table, "1003");
  g_assert_cmpstr (status->error, ==, "Incorrect order ID (key=***)");
  status = g_hash_table_lookup (table, "1004");
  g_assert_cmpstr (status->status_word, ==, "Completed for ***");

  fake_set_text (fake,
    "[{\"order\": 1002, \"refill\": {\"error\": \"Refill denied for SK3Y%2B%2FQ%3D9Z-ABC\"}},"
    " {\"order\": 1003, \"refill\": {\"error\": \"bad key Sk3y+%2fQ%3d9z-ab\\u0063\"}}]");
  refills = run_action (client, RELAY_REPLY_REFILLS, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (refills->len, ==, 2);
  g_assert_cmpstr (((RelayProviderItemResult *) refills->pdata[0])->error, ==, "Refill denied for ***");
  g_assert_cmpstr (((RelayProviderItemResult *) refills->pdata[1])->error, ==, "bad key ***");

  /* Encoded twice, form-encoded (a space for the "+"), cut off at the end. */
  fake_set_text (fake,
    "[{\"order\": 1002, \"cancel\": {\"error\": \"Cannot cancel with key Sk3y%252B%252FQ%253D9z-abc\"}},"
    " {\"order\": 1003, \"cancel\": {\"error\": \"key sk3y /q=9z-abc is not allowed to cancel\"}},"
    " {\"order\": 1004, \"cancel\": {\"error\": \"Unknown key SK3Y+/Q=9…\"}}]");
  cancels = run_action (client, RELAY_REPLY_CANCEL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cancels->len, ==, 3);
  for (guint i = 0; i < cancels->len; i++)
    {
      RelayProviderItemResult *item = cancels->pdata[i];

      g_test_message ("cancel %s: %s", item->order_id, item->error);
      assert_no_key (item->error);
    }
  g_assert_cmpstr (((RelayProviderItemResult *) cancels->pdata[0])->error, ==,
                   "Cannot cancel with key ***");
  g_assert_cmpstr (((RelayProviderItemResult *) cancels->pdata[1])->error, ==,
                   "key *** is not allowed to cancel");
  g_assert_cmpstr (((RelayProviderItemResult *) cancels->pdata[2])->error, ==,
                   "Unknown key ***…");

  fake_set_text (fake,
    "{\"7\": {\"status\": {\"error\": \"Refill 7 of SK3Y+/Q=9Z-ABC not found\"}}, \"8\": \"Rejected\"}");
  refill_statuses = run_action (client, RELAY_REPLY_REFILL_STATUSES, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (refill_statuses->len, ==, 2);
  for (guint i = 0; i < refill_statuses->len; i++)
    {
      RelayProviderRefillStatus *item = refill_statuses->pdata[i];

      assert_no_key (item->error);
      if (g_strcmp0 (item->refill_id, "7") == 0)
        g_assert_cmpstr (item->error, ==, "Refill 7 of *** not found");
    }

  /* One order, and the top-level refusal that becomes a provider's last error. */
  fake_set_text (fake, "{\"error\": \"Order 1002 not found for API key SK3Y%2B%2FQ%3D9Z-ABC\"}");
  one = run_action (client, RELAY_REPLY_STATUS, &error);
  g_assert_null (one);
  g_assert_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_REJECTED);
  g_assert_cmpstr (error->message, ==, "Order 1002 not found for API key ***");
  g_clear_error (&error);

  fake_set_text (fake, "{\"error\": \"INVALID API KEY SK3Y+/Q=9Z-ABC\"}");
  balance = run_action (client, RELAY_REPLY_BALANCE, &error);
  g_assert_null (balance);
  g_assert_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_REJECTED);
  g_assert_cmpstr (error->message, ==, "INVALID API KEY ***");
}

/* Each action has its own size limit: one byte over is refused, whether the
 * size was announced or only found while reading. */
static void
test_over_cap_per_action (void)
{
  static const struct { RelayReplyKind kind; const char *json; } cases[] = {
    { RELAY_REPLY_BALANCE, "{\"balance\": \"100.84\", \"currency\": \"USD\"}" },
    { RELAY_REPLY_ADD, "{\"order\": 23501}" },
    { RELAY_REPLY_STATUS, "{\"status\": \"Pending\", \"remains\": \"10\"}" },
    { RELAY_REPLY_STATUSES, "{\"1002\": {\"status\": \"Pending\"}}" },
    { RELAY_REPLY_REFILL, "{\"refill\": \"5\"}" },
    { RELAY_REPLY_REFILLS, "[{\"order\": 1002, \"refill\": 5}]" },
    { RELAY_REPLY_REFILL_STATUS, "{\"status\": \"Completed\"}" },
    { RELAY_REPLY_REFILL_STATUSES, "[{\"refill\": 7, \"status\": \"Completed\"}]" },
    { RELAY_REPLY_CANCEL, "[{\"order\": 1002, \"cancel\": 1}]" },
    { RELAY_REPLY_SERVICES, "[{\"service\": 1, \"name\": \"Likes\", \"rate\": \"0.9\"}]" },
  };
  g_autoptr(SoupSession) session = session_new ();
  g_autoptr(Fake) fake = fake_new ("", FALSE);
  g_autoptr(RelayProviderClient) client = client_for (session, fake, "k");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      RelayReplyKind kind = cases[i].kind;
      gsize limit = relay_reply_size_limit (kind);
      gsize json_len = strlen (cases[i].json);

      for (guint chunked = 0; chunked < 2; chunked++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(GError) ok_error = NULL;
          g_autofree char *expected = NULL;
          char *data;
          gpointer result;

          fake->chunked = chunked;
          /* Exactly at the limit: read. */
          data = repeat_char (' ', limit);
          memcpy (data, cases[i].json, json_len);
          fake_set_reply (fake, data, limit);
          result = run_action (client, kind, &ok_error);
          g_assert_no_error (ok_error);
          g_assert_nonnull (result);
          free_result (kind, result);

          /* One byte more: refused, and an unknown outcome (it was sent). */
          data = repeat_char (' ', limit + 1);
          memcpy (data, cases[i].json, json_len);
          fake_set_reply (fake, data, limit + 1);
          result = run_action (client, kind, &error);
          g_assert_null (result);
          g_assert_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME);
          if (chunked)
            expected = g_strdup_printf ("provider reply too large for %s (more than %" G_GSIZE_FORMAT
                                        " bytes, limit %" G_GSIZE_FORMAT ")",
                                        relay_reply_action (kind), limit, limit);
          else
            expected = g_strdup_printf ("provider reply too large for %s (%" G_GSIZE_FORMAT
                                        " bytes, limit %" G_GSIZE_FORMAT ")",
                                        relay_reply_action (kind), limit + 1, limit);
          g_assert_cmpstr (error->message, ==, expected);
        }
    }
  fake->chunked = FALSE;

  /* A proxy's long error page is still told as one: 403 means not sent. */
  {
    gsize size = 100 * 1024;
    char *page = repeat_char (' ', size);
    g_autoptr(GError) error = NULL;
    gpointer result;

    memcpy (page, "<!DOCTYPE html><html><title>Just a moment...</title>", 52);
    fake_set_reply (fake, page, size);
    fake->status = 403;
    fake->content_type = "text/html";
    result = run_action (client, RELAY_REPLY_ADD, &error);
    g_assert_null (result);
    g_assert_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_NOT_SENT);
    g_assert_cmpstr (error->message, ==, "provider returned an HTML page (HTTP 403)");
  }
}

static gsize
read_status_kb (const char *field)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents ("/proc/self/status", &contents, NULL, NULL))
    return 0;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], field))
        return (gsize) g_ascii_strtoull (lines[i] + strlen (field), NULL, 10);
    }
  return 0;
}

/* A 20 MB "[0,0,…]" balance used to be read whole and parsed on the main
 * thread: 820 MB and 3.4 s with the window frozen.  It must be refused
 * after its first bytes, quickly and without the memory.  Run in a fresh
 * process so that its peak memory is its own. */
static void
test_huge_balance (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(SoupSession) session = session_new ();
      g_autoptr(Fake) fake = fake_new ("", FALSE);
      g_autoptr(RelayProviderClient) client = client_for (session, fake, "k");
      g_autoptr(GError) error = NULL;
      gpointer result;
      gint64 start;
      gint64 took_us;
      gsize peak_kb;
      gsize size = 20 * 1000 * 1000;

      fake->stream_size = size;
      fake->stream_piece = g_bytes_new_take (g_strnfill (64 * 1024, '0'), 64 * 1024);
      for (gsize i = 1; i < 64 * 1024; i += 2)
        ((char *) g_bytes_get_data (fake->stream_piece, NULL))[i] = ',';

      start = g_get_monotonic_time ();
      result = run_action (client, RELAY_REPLY_BALANCE, &error);
      took_us = g_get_monotonic_time () - start;
      g_assert_null (result);
      g_assert_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME);
      g_assert_cmpstr (error->message, ==,
                       "provider reply too large for balance (more than 16384 bytes, limit 16384)");
      spin_for (50);
      peak_kb = read_status_kb ("VmHWM:");
      g_printerr ("20 MB balance: refused in %.1f ms, peak memory %zu kB, the fake sent %zu of %zu bytes\n",
                  took_us / 1000.0, peak_kb, fake->streamed, size);
      g_assert_cmpint (took_us, <, G_USEC_PER_SEC);
      /* The reading stopped: the rest of the reply was never made. */
      g_assert_cmpuint (fake->streamed, <, size);
      if (peak_kb > 0)
        g_assert_cmpuint (peak_kb, <, 100 * 1024);
      return;
    }
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

typedef struct
{
  gint64 last;
  gint64 longest;
  guint  ticks;
} Ticker;

static gboolean
tick (gpointer data)
{
  Ticker *ticker = data;
  gint64 now = g_get_monotonic_time ();

  if (ticker->last > 0)
    ticker->longest = MAX (ticker->longest, now - ticker->last);
  ticker->last = now;
  ticker->ticks++;
  return G_SOURCE_CONTINUE;
}

/* Big replies of every kind are parsed in a worker: a 1 ms timer keeps
 * ticking while an 8 MB catalog and a ~1 MB answer for 100 orders are read. */
static void
test_main_loop_responsive (void)
{
  g_autoptr(SoupSession) session = session_new ();
  g_autoptr(GString) catalog = g_string_new ("[");
  g_autoptr(GString) statuses = g_string_new ("{");
  g_autoptr(Fake) fake = NULL;
  g_autoptr(RelayProviderClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) services = NULL;
  g_autoptr(GHashTable) table = NULL;
  g_autofree char *zeros = g_strnfill (1199, '0');
  Ticker ticker = { 0 };
  guint n = 0;
  guint source;
  const char *ids[100];
  g_autofree char *id_text = NULL;
  Wait wait = { 0 };
  gint64 catalog_gap;
  gint64 catalog_cpu;
  gint64 least_main = G_MAXINT64;
  gint64 least_parse = G_MAXINT64;

  while (catalog->len < 8 * 1024 * 1024)
    {
      if (n > 0)
        g_string_append_c (catalog, ',');
      g_string_append_printf (catalog, "{\"service\": %u, \"name\": \"Service %u\", \"type\": \"Default\", "
                              "\"category\": \"Big\", \"rate\": \"0.%05u\", \"min\": \"10\", "
                              "\"max\": \"1000\", \"refill\": false, \"cancel\": true}",
                              n + 1, n + 1, (n % 99999) + 1);
      n++;
    }
  g_string_append_c (catalog, ']');
  fake = fake_new (catalog->str, FALSE);
  client = client_for (session, fake, "k");

  for (gsize i = 1; i < 1199; i += 2)
    zeros[i] = ',';

  source = g_timeout_add (1, tick, &ticker);
  catalog_cpu = thread_cpu_us ();
  relay_provider_client_services_async (client, NULL, wait_done, &wait);
  services = relay_provider_client_services_finish (client, wait_for (&wait), &error);
  tick (&ticker);  /* the time from the last tick to the answer counts too */
  wait_clear (&wait);
  g_assert_no_error (error);
  g_assert_cmpuint (services->len, ==, n);
  catalog_cpu = thread_cpu_us () - catalog_cpu;
  catalog_gap = ticker.longest;
  g_test_message ("8 MB catalog (%u services): longest main loop gap %.1f ms over %u ticks, "
                  "main thread CPU %.1f ms", n, catalog_gap / 1000.0, ticker.ticks,
                  catalog_cpu / 1000.0);

  /* 100 orders with a long unknown field each: 60,000 JSON values to build,
   * under the limit of 65,536. */
  for (guint i = 0; i < 100; i++)
    g_string_append_printf (statuses, "%s\"%u\": {\"status\": \"In progress\", \"charge\": \"0.5\", "
                            "\"remains\": \"%u\", \"x\": [%s]}",
                            i > 0 ? ", " : "", 5000 + i, i, zeros);
  g_string_append_c (statuses, '}');
  g_assert_cmpuint (statuses->len, <, relay_reply_size_limit (RELAY_REPLY_STATUSES));
  g_assert_cmpuint (statuses->len, >, 16 * 1024);
  g_bytes_unref (fake->reply);
  fake->reply = g_bytes_new (statuses->str, statuses->len);
  for (guint i = 0; i < 100; i++)
    ids[i] = g_intern_string (id_text = (g_free (id_text), g_strdup_printf ("%u", 5000 + i)));
  for (guint round = 0; round < 3; round++)
    {
      g_autoptr(GError) round_error = NULL;
      gint64 cpu_before = thread_cpu_us ();
      gint64 cpu_main;
      gint64 cpu_parse;

      ticker.last = 0;
      ticker.longest = 0;
      relay_provider_client_statuses_async (client, ids, 100, NULL, wait_done, &wait);
      g_clear_pointer (&table, g_hash_table_unref);
      table = relay_provider_client_statuses_finish (client, wait_for (&wait), &round_error);
      tick (&ticker);
      wait_clear (&wait);
      g_assert_no_error (round_error);
      g_assert_cmpuint (g_hash_table_size (table), ==, 100);
      cpu_main = thread_cpu_us () - cpu_before;
      {
        g_autoptr(GHashTable) direct = NULL;

        cpu_before = thread_cpu_us ();
        direct = relay_reply_parse_statuses (200, fake->reply, NULL);
        cpu_parse = thread_cpu_us () - cpu_before;
      }
      g_test_message ("%zu kB for 100 orders: longest main loop gap %.1f ms, main thread CPU "
                      "%.1f ms (parsing it takes %.1f ms)", statuses->len / 1024,
                      ticker.longest / 1000.0, cpu_main / 1000.0, cpu_parse / 1000.0);
      least_main = MIN (least_main, cpu_main);
      least_parse = MIN (least_parse, cpu_parse);
    }
  g_source_remove (source);
  /* Wall-clock gaps depend on the load of the machine; the main thread's own
   * CPU time does not: it read the reply but did not parse it. */
  g_assert_cmpint (least_main, <, least_parse / 2);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD_SIM_TEST(path, func) \
  g_test_add ("/provider/client/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD_SIM_TEST ("sim/services", test_services);
  ADD_SIM_TEST ("sim/add-and-status", test_add_and_status);
  ADD_SIM_TEST ("sim/statuses", test_statuses);
  ADD_SIM_TEST ("sim/balance", test_balance);
  ADD_SIM_TEST ("sim/refill-and-cancel", test_refill_and_cancel);
  ADD_SIM_TEST ("sim/latency", test_latency);
  ADD_SIM_TEST ("sim/max-concurrent", test_max_concurrent_sim);
  ADD_SIM_TEST ("sim/fault/timeout", test_fault_timeout);
  ADD_SIM_TEST ("sim/fault/html", test_fault_html);
  ADD_SIM_TEST ("sim/fault/drop", test_fault_drop);
  ADD_SIM_TEST ("sim/fault/error-json", test_fault_error_json);
  ADD_SIM_TEST ("sim/fault/rate-limit", test_fault_rate_limit);
  ADD_SIM_TEST ("sim/fault/html-on-statuses", test_fault_rate_on_statuses);
  ADD_SIM_TEST ("sim/not-enough-funds", test_not_enough_funds);
  ADD_SIM_TEST ("sim/service-disabled", test_service_disabled);
  ADD_SIM_TEST ("sim/wrong-key", test_wrong_key);
  ADD_SIM_TEST ("sim/new-refuses", test_new_refuses);
  ADD_SIM_TEST ("sim/ids-checked", test_ids_checked);
  ADD_SIM_TEST ("sim/cancel/in-flight", test_cancel_in_flight);
  ADD_SIM_TEST ("sim/cancel/add-after-send", test_cancel_add_after_send);
  ADD_SIM_TEST ("sim/cancel/queued", test_cancel_queued);
  ADD_SIM_TEST ("sim/cancel/before", test_cancel_before);
  ADD_SIM_TEST ("sim/dispose-in-flight", test_dispose_in_flight);

  g_test_add_func ("/provider/client/url-check", test_url_check);
  g_test_add_func ("/provider/client/key-echo-redacted", test_key_echo_redacted);
  g_test_add_func ("/provider/client/connection-refused", test_connection_refused);
  g_test_add_func ("/provider/client/fake/request-format", test_request_format);
  g_test_add_func ("/provider/client/fake/statuses-form", test_statuses_form);
  g_test_add_func ("/provider/client/fake/key-not-logged", test_key_not_logged);
  g_test_add_func ("/provider/client/fake/fresh-connection-per-request",
                   test_fresh_connection_per_request);
  g_test_add_func ("/provider/client/fake/max-concurrent-peak", test_max_concurrent_peak);
  g_test_add_func ("/provider/client/fake/default-concurrency", test_default_concurrency);
  g_test_add_func ("/provider/client/fake/drop-after-read", test_drop_after_read);
  g_test_add_func ("/provider/client/fake/no-redirect", test_no_redirect);
  g_test_add_func ("/provider/client/fake/http-500-error-json", test_http_error_json);
  g_test_add_func ("/provider/client/fake/html-403", test_html_403);
  g_test_add_func ("/provider/client/fake/untrusted-certificate", test_untrusted_certificate);
  g_test_add_func ("/provider/client/fake/timeout-before-sent", test_timeout_before_sent);
  g_test_add_func ("/provider/client/fake/reply-too-large", test_reply_too_large);
  g_test_add_func ("/provider/client/fake/big-catalog-in-thread", test_big_catalog_in_thread);
  g_test_add_func ("/provider/client/fake/deep-nesting", test_deep_nesting);
  g_test_add_func ("/provider/client/fake/key-echo-per-order", test_key_echo_per_order);
  g_test_add_func ("/provider/client/fake/over-cap-per-action", test_over_cap_per_action);
  g_test_add_func ("/provider/client/fake/huge-balance", test_huge_balance);
  g_test_add_func ("/provider/client/fake/main-loop-responsive", test_main_loop_responsive);

  return g_test_run ();
}
