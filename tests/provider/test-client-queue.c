/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The provider client at any queue depth, against the simulator on 127.0.0.1: thousands of
 * requests queued at once complete without a connection each, the timeout counts from when a
 * request starts (not from when it was queued), the waiting queue is bounded, and waiting
 * requests can be cancelled without being sent. */
#include "relay-provider-client.h"
#include "relay-error.h"
#include "relay-sim.h"

#include <dirent.h>
#include <string.h>

#define WAIT_LIMIT_US (60 * G_USEC_PER_SEC)

typedef struct
{
  guint n_done;
  guint n_answered;     /* a reply was parsed (a status, or the panel's refusal) */
  guint n_transport;    /* NOT_SENT or UNKNOWN_OUTCOME */
  guint n_cancelled;
  guint n_refused;      /* NOT_SENT before anything was sent: the bound */
  char *first_transport;
} Tally;

static void
tally_clear (Tally *tally)
{
  g_clear_pointer (&tally->first_transport, g_free);
}

static void
status_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Tally *tally = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayProviderStatus) status =
    relay_provider_client_status_finish (RELAY_PROVIDER_CLIENT (source), result, &error);

  tally->n_done++;
  if (status != NULL || g_error_matches (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_REJECTED))
    tally->n_answered++;
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    tally->n_cancelled++;
  else if (g_error_matches (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_NOT_SENT) &&
           strstr (error->message, "already waiting") != NULL)
    tally->n_refused++;
  else
    {
      tally->n_transport++;
      if (tally->first_transport == NULL)
        tally->first_transport = g_strdup (error->message);
    }
}

static void
wait_for_count (Tally *tally, guint n)
{
  gint64 limit = g_get_monotonic_time () + WAIT_LIMIT_US;

  while (tally->n_done < n)
    {
      g_main_context_iteration (NULL, TRUE);
      if (g_get_monotonic_time () > limit)
        g_error ("%u of %u answers within %d s", tally->n_done, n,
                 (int) (WAIT_LIMIT_US / G_USEC_PER_SEC));
    }
}

/* Runs the main loop for @ms more. */
static void
spin (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
}

static guint
count_open_fds (void)
{
  DIR *dir = opendir ("/proc/self/fd");
  struct dirent *entry;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((entry = readdir (dir)) != NULL)
    if (entry->d_name[0] != '.')
      n++;
  closedir (dir);
  return n;
}

static RelaySim *
start_sim (guint latency_ms, char **url)
{
  RelaySim *sim = relay_sim_new ();
  g_autoptr(GError) error = NULL;

  relay_sim_set_seed (sim, 11);
  relay_sim_set_latency (sim, latency_ms, latency_ms);
  g_assert_true (relay_sim_listen (sim, 0, &error));
  g_assert_no_error (error);
  *url = relay_sim_dup_url (sim);
  return sim;
}

static RelayProviderClient *
new_client (SoupSession *session, const char *url)
{
  g_autoptr(GError) error = NULL;
  RelayProviderClient *client = relay_provider_client_new (session, url, "demo-key", &error);

  g_assert_no_error (error);
  g_assert_nonnull (client);
  return client;
}

static void
queue_statuses (RelayProviderClient *client, guint n, GCancellable *cancellable, Tally *tally)
{
  for (guint i = 0; i < n; i++)
    {
      char id[24];

      g_snprintf (id, sizeof id, "%u", 500000 + i);
      relay_provider_client_status_async (client, id, cancellable, status_done, tally);
    }
}

/* 2,000 status questions queued at once all get their answer, over the
 * client's few kept-alive connections: before, each opened a connection of
 * its own, which the simulator's libsoup 3.2 server never closed — one file
 * descriptor per request, until the process ran out and every later request
 * waited for its timeout. */
static void
test_deep_queue (void)
{
  g_autofree char *url = NULL;
  g_autoptr(RelaySim) sim = start_sim (0, &url);
  g_autoptr(SoupSession) session = soup_session_new_with_options ("max-conns", 64,
                                                                  "max-conns-per-host", 16, NULL);
  g_autoptr(RelayProviderClient) client = new_client (session, url);
  Tally tally = { 0 };
  guint fds_before, fds_after;

  fds_before = count_open_fds ();
  queue_statuses (client, 2000, NULL, &tally);
  g_assert_cmpuint (tally.n_done, ==, 0);
  wait_for_count (&tally, 2000);
  fds_after = count_open_fds ();

  g_test_message ("2000 requests: %u answered, %u transport failures (%s); fds %u -> %u",
                  tally.n_answered, tally.n_transport,
                  tally.first_transport ? tally.first_transport : "none", fds_before, fds_after);
  g_assert_cmpuint (tally.n_answered, ==, 2000);
  g_assert_cmpuint (tally.n_transport, ==, 0);
  g_assert_cmpuint (relay_sim_get_n_requests (sim, "status"), ==, 2000);
  /* Both ends of at most a handful of connections, not one per request. */
  g_assert_cmpuint (fds_after, <=, fds_before + 40);
  tally_clear (&tally);
}

/* A request queued behind slow ones does not time out: its timeout counts
 * from when the session begins on it.  The session here runs one request to
 * the host at a time, so the client's four wait in libsoup's queue; each
 * takes 250 ms against a 700 ms timeout, the last ends ~1.5 s after it was
 * handed over. */
static void
test_timeout_from_start (void)
{
  g_autofree char *url = NULL;
  g_autoptr(RelaySim) sim = start_sim (250, &url);
  g_autoptr(SoupSession) session = soup_session_new_with_options ("max-conns", 1,
                                                                  "max-conns-per-host", 1, NULL);
  g_autoptr(RelayProviderClient) client = new_client (session, url);
  Tally tally = { 0 };

  relay_provider_client_set_timeout_ms (client, 700);
  queue_statuses (client, 6, NULL, &tally);
  wait_for_count (&tally, 6);
  g_test_message ("6 requests, one at a time: %u answered, %u failed (%s)", tally.n_answered,
                  tally.n_transport, tally.first_transport ? tally.first_transport : "none");
  g_assert_cmpuint (tally.n_answered, ==, 6);
  g_assert_cmpuint (tally.n_transport, ==, 0);
  tally_clear (&tally);

  /* The timeout still holds for a request that has started: 250 ms of
   * latency against 100 ms. */
  relay_provider_client_set_timeout_ms (client, 100);
  queue_statuses (client, 1, NULL, &tally);
  wait_for_count (&tally, 7);
  g_assert_cmpuint (tally.n_transport, ==, 1);
  g_assert_nonnull (strstr (tally.first_transport, "did not answer within 100 ms"));
  tally_clear (&tally);
}

/* Beyond max-waiting a request is refused at once (NOT_SENT, from the main
 * loop, never inside the call), nothing of it reaches the panel, and the
 * queued ones still complete. */
static void
test_bound (void)
{
  g_autofree char *url = NULL;
  g_autoptr(RelaySim) sim = start_sim (100, &url);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(RelayProviderClient) client = new_client (session, url);
  Tally tally = { 0 };

  relay_provider_client_set_max_concurrent (client, 1);
  relay_provider_client_set_max_waiting (client, 3);
  queue_statuses (client, 6, NULL, &tally);
  g_assert_cmpuint (tally.n_done, ==, 0);
  g_assert_cmpuint (relay_provider_client_get_n_waiting (client), ==, 3);
  wait_for_count (&tally, 6);
  g_assert_cmpuint (tally.n_refused, ==, 2);
  g_assert_cmpuint (tally.n_answered, ==, 4);
  g_assert_cmpuint (tally.n_transport, ==, 0);
  g_assert_cmpuint (relay_sim_get_n_requests (sim, "status"), ==, 4);

  /* Room again once they are done. */
  queue_statuses (client, 4, NULL, &tally);
  wait_for_count (&tally, 10);
  g_assert_cmpuint (tally.n_answered, ==, 8);
  g_assert_cmpuint (tally.n_refused, ==, 2);
  tally_clear (&tally);
}

/* Waiting requests are cancelled without being sent, by
 * relay_provider_client_cancel_waiting() (those on the wire go on) and by the
 * caller's cancellable. */
static void
test_cancel_waiting (void)
{
  g_autofree char *url = NULL;
  g_autoptr(RelaySim) sim = start_sim (150, &url);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(RelayProviderClient) client = new_client (session, url);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Tally tally = { 0 };

  relay_provider_client_set_max_concurrent (client, 2);
  /* Two start at once (the client hands them to libsoup as they are
   * queued); the 150 ms latency keeps them on the wire meanwhile. */
  queue_statuses (client, 20, NULL, &tally);
  g_assert_cmpuint (relay_provider_client_cancel_waiting (client), ==, 18);
  g_assert_cmpuint (relay_provider_client_get_n_waiting (client), ==, 0);
  g_assert_cmpuint (tally.n_done, ==, 0);
  wait_for_count (&tally, 20);
  g_assert_cmpuint (tally.n_cancelled, ==, 18);
  g_assert_cmpuint (tally.n_answered, ==, 2);
  spin (300);
  g_assert_cmpuint (relay_sim_get_n_requests (sim, "status"), ==, 2);
  tally_clear (&tally);

  /* The caller's cancellable: the waiting ones fail at once, unsent. */
  memset (&tally, 0, sizeof tally);
  queue_statuses (client, 10, cancellable, &tally);
  spin (20);
  g_cancellable_cancel (cancellable);
  wait_for_count (&tally, 10);
  g_assert_cmpuint (tally.n_cancelled + tally.n_answered, ==, 10);
  g_assert_cmpuint (tally.n_cancelled, >=, 8);
  g_assert_cmpuint (tally.n_transport, ==, 0);
  spin (300);
  g_assert_cmpuint (relay_sim_get_n_requests (sim, "status"), <=, 4);
  tally_clear (&tally);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/provider/queue/deep", test_deep_queue);
  g_test_add_func ("/provider/queue/timeout-from-start", test_timeout_from_start);
  g_test_add_func ("/provider/queue/bound", test_bound);
  g_test_add_func ("/provider/queue/cancel-waiting", test_cancel_waiting);

  return g_test_run ();
}
