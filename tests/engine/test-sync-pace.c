/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The pace of a status refresh: a reply frees its connection for the next
 * request in the main-loop turn it arrives in, and the simulator answers
 * when its latency is up, counted from the request's arrival. */
#include "engine-test-util.h"
#include "relay-provider-client.h"

/* Counts the turns of the thread-default main context. */
typedef struct
{
  GSource source;
  guint   turns;
} TurnCounter;

static gboolean
turn_prepare (GSource *source, gint *timeout)
{
  ((TurnCounter *) source)->turns++;
  *timeout = -1;
  return FALSE;
}

static gboolean
turn_dispatch (GSource *source, GSourceFunc callback, gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs turn_funcs = { turn_prepare, NULL, turn_dispatch, NULL, NULL, NULL };

static int
compare_uint (gconstpointer a, gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

/* 100 ids a request, each the panel does not know: a reply of ~4 KB (parsed
 * on a worker thread, as a real 100-order reply is).  With the simulator on
 * the same thread and no latency, the main loop turns only for this request:
 * sent, answered, read, parsed.  An asynchronous read returns in a turn of
 * its own even when its bytes are there; the body (and its end) came with
 * the headers, and is read in their turn. */
static void
test_reply_read_in_its_turn (void)
{
  g_autoptr(RelaySim) sim = et_sim_new ();
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = relay_sim_dup_url (sim);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayProviderClient) client = relay_provider_client_new (session, url, "demo-key",
                                                                     &error);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  GSource *counter = g_source_new (&turn_funcs, sizeof (TurnCounter));
  guint turns[21];

  g_assert_no_error (error);
  for (guint i = 0; i < RELAY_PROVIDER_MAX_IDS; i++)
    g_ptr_array_add (ids, g_strdup_printf ("%u", 900000 + i));
  g_source_attach (counter, NULL);
  for (guint r = 0; r < G_N_ELEMENTS (turns); r++)
    {
      EtAsync async = { 0 };
      g_autoptr(GHashTable) statuses = NULL;
      guint before = ((TurnCounter *) counter)->turns;

      relay_provider_client_statuses_async (client, (const char * const *) ids->pdata, ids->len,
                                            NULL, et_async_ready, &async);
      statuses = relay_provider_client_statuses_finish (client, et_async_wait (&async), &error);
      turns[r] = ((TurnCounter *) counter)->turns - before;
      g_assert_no_error (error);
      g_assert_cmpuint (g_hash_table_size (statuses), ==, RELAY_PROVIDER_MAX_IDS);
      et_async_clear (&async);
    }
  g_source_destroy (counter);
  g_source_unref (counter);
  qsort (turns, G_N_ELEMENTS (turns), sizeof (guint), compare_uint);
  g_test_message ("main-loop turns a request: least %u, median %u, most %u", turns[0],
                  turns[G_N_ELEMENTS (turns) / 2], turns[G_N_ELEMENTS (turns) - 1]);
  /* The least is what the code needs (a busy machine only adds turns: a
   * body that came in pieces, a parse that took long).  9 before: the body,
   * then its end, each read in a turn of its own.  Under AddressSanitizer
   * on a loaded machine even the least came in pieces once (9 in the
   * fresh-clone CI at b5e6017): there the count is only reported. */
#if defined(__SANITIZE_ADDRESS__)
  if (turns[0] > 8)
    g_test_message ("(not checked under AddressSanitizer)");
#else
  g_assert_cmpuint (turns[0], <=, 8);
#endif
}

typedef struct
{
  gboolean done;
  gint64   headers_at;
} Timed;

static void
headers_came (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Timed *timed = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);

  g_assert_no_error (error);
  timed->headers_at = g_get_monotonic_time ();
  timed->done = TRUE;
}

/* How long the simulator takes to answer a catalog request (to its reply's
 * headers), in µs: the least of three. */
static gint64
time_to_headers (SoupSession *session, const char *url)
{
  gint64 least = G_MAXINT64;

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_POST, url);
      g_autoptr(GBytes) form = g_bytes_new_static ("key=demo-key&action=services", 28);
      Timed timed = { FALSE, 0 };
      gint64 start;

      soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", form);
      start = g_get_monotonic_time ();
      soup_session_send_async (session, msg, G_PRIORITY_DEFAULT, NULL, headers_came, &timed);
      et_wait_flag (&timed.done, 0);
      least = MIN (least, timed.headers_at - start);
      /* The connection is dropped with the unread body: each request starts alike. */
      soup_session_abort (session);
    }
  return least;
}

/* A panel's latency is the time from its receiving a request to its
 * answering it: the simulator's own work on the request (here a catalog of
 * 60,000 services written out) is part of it, not added to it.  With the
 * latency set to about that work's time, the answer comes about as soon as
 * without any latency — it took both, one after the other, before. */
static void
test_sim_latency_from_arrival (void)
{
  g_autoptr(RelaySim) sim = et_sim_new ();
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = relay_sim_dup_url (sim);
  gint64 work, answered;
  guint latency_ms;

  relay_sim_set_extra_services (sim, 60000);
  relay_sim_set_latency (sim, 0, 0);
  work = time_to_headers (session, url);
  latency_ms = (guint) (work / 1000) + 1;
  relay_sim_set_latency (sim, latency_ms, latency_ms);
  answered = time_to_headers (session, url);
  g_test_message ("the catalog's own time %.1f ms; with a latency of %u ms: %.1f ms",
                  work / 1000.0, latency_ms, answered / 1000.0);
  /* Never before the latency is up. */
  g_assert_cmpint (answered, >=, (gint64) latency_ms * 1000);
  /* Before: the work, then the latency (twice the work). */
  g_assert_cmpint (answered, <, work * 3 / 2 + 5000);
}

int
main (int argc, char **argv)
{
  et_init (&argc, &argv);
  g_test_add_func ("/sync-pace/reply-read-in-its-turn", test_reply_read_in_its_turn);
  g_test_add_func ("/sync-pace/sim-latency-from-arrival", test_sim_latency_from_arrival);
  return g_test_run ();
}
