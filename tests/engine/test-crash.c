/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The crash test: smm-relay-cli is killed (SIGKILL) in the middle of a
 * 1,000-line mass order against smm-relay-sim with faults; after the user
 * finishes the job with the CLI, no order is lost, none was sent twice, and
 * the client's ledger is right to the micro-unit. */
#include "engine-test-util.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <signal.h>

#define N_LINES 1000
#define CLIENT "Crash client"
#define PROVIDER "Crash panel"

typedef struct
{
  EtBook              *book;
  GSubprocessLauncher *launcher;
  const char          *cli;
  GSubprocess         *sim;
  char                *sim_url;     /* the API */
  char                *sim_base;    /* http://127.0.0.1:PORT */
} Crash;

/* Runs the CLI with @args (NULL-terminated, after the program and --db);
 * returns stdout, and the exit status in @out_status. */
static char *
run_cli (Crash *c, const char *stdin_text, int *out_status, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (gpointer) c->cli);
  g_ptr_array_add (argv, (gpointer) "--db");
  g_ptr_array_add (argv, c->book->db_path);
  va_start (args, out_status);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_set_flags (c->launcher, G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                   G_SUBPROCESS_FLAGS_STDERR_PIPE |
                                   (stdin_text ? G_SUBPROCESS_FLAGS_STDIN_PIPE : 0));
  process = g_subprocess_launcher_spawnv (c->launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, stdin_text, NULL, &out, &err, &error);
  g_assert_no_error (error);
  *out_status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
  if (*out_status != 0 && err != NULL && *err != '\0')
    g_test_message ("%s %s: exit %d: %s", c->cli, (char *) argv->pdata[3], *out_status, err);
  return g_steal_pointer (&out);
}

/* Like run_cli() and fails the test unless the command succeeded. */
#define CLI_OK(c, stdin_text, ...) \
  G_STMT_START { \
    int _status; \
    g_autofree char *_out = run_cli ((c), (stdin_text), &_status, __VA_ARGS__, NULL); \
    g_assert_cmpint (_status, ==, 0); \
  } G_STMT_END

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static gint64
money (JsonObject *object, const char *member)
{
  const char *text = json_object_get_string_member_with_default (object, member, NULL);
  g_autoptr(GError) error = NULL;
  gboolean negative;
  gint64 value = 0;

  g_assert_nonnull (text);
  negative = text[0] == '-';
  relay_money_parse (negative ? text + 1 : text, &value, &error);
  g_assert_no_error (error);
  return negative ? -value : value;
}

static JsonNode *
local_orders (Crash *c)
{
  int status;
  g_autofree char *out = run_cli (c, NULL, &status, "orders", "--json", NULL);

  g_assert_cmpint (status, ==, 0);
  return parse_json (out);
}

static guint
count_status (JsonArray *orders, const char *status)
{
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (orders); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (orders, i), "status"),
                   status) == 0)
      n++;
  return n;
}

static void
start_sim (Crash *c, guint seed)
{
  const char *program = g_getenv ("SMM_RELAY_SIM");
  g_autofree char *seed_text = g_strdup_printf ("%u", seed);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *line = NULL;
  const char *argv[] = {
    program, "--port", "0", "--seed", seed_text, "--latency", "2:15", "--balance", "100000",
    "--fault-rate", "add:html_after=0.04", "--fault-rate", "add:drop_after=0.04",
    "--fault-rate", "add:html_before=0.03", "--fault-rate", "add:error_json=0.03", NULL
  };

  g_subprocess_launcher_set_flags (c->launcher, G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                   G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  c->sim = g_subprocess_launcher_spawnv (c->launcher, argv, &error);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (c->sim));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "listening on "));
  c->sim_url = g_strdup (line + strlen ("listening on "));
  g_assert_true (g_str_has_prefix (c->sim_url, "http://127.0.0.1:"));
  c->sim_base = g_strndup (c->sim_url, strchr (c->sim_url + strlen ("http://127.0.0.1:"), '/') - c->sim_url);
}

static JsonNode *
sim_orders (Crash *c)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (c->sim_base, "/sim/orders", NULL);
  g_autoptr(SoupMessage) message = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  body = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, 200);
  text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  return parse_json (text);
}

static char *
write_mass_file (Crash *c, guint seed, GRand *rand, GHashTable *links)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *path = g_build_filename (c->book->dir, "mass.txt", NULL);
  g_autoptr(GError) error = NULL;

  for (guint n = 1; n <= N_LINES; n++)
    {
      g_autofree char *link = NULL;
      guint service;

      /* Posts for the likes, profiles for the followers: each link fits its
       * service, and no two lines share a link. */
      if (n % 3 == 0)
        {
          service = 2;
          link = g_strdup_printf ("https://www.instagram.com/crash_s%u_l%u", seed, n);
        }
      else
        {
          service = 1;
          link = g_strdup_printf ("https://www.instagram.com/p/CrashS%uL%u/", seed, n);
        }
      g_string_append_printf (text, "%u | %s | %d\n", service, link,
                              2 * g_rand_int_range (rand, 30, 500) + 1);
      g_hash_table_add (links, g_steal_pointer (&link));
    }
  g_file_set_contents (path, text->str, text->len, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

static gboolean
on_timeout (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_subprocess_done (GObject *source, GAsyncResult *result, gpointer data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *(gboolean *) data = TRUE;
}

static void
run_crash (guint seed)
{
  Crash c = { 0 };
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed * 7919u);
  g_autoptr(GHashTable) links = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) sim_links = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) local_by_link = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GSubprocess) mass = NULL;
  g_autoptr(JsonNode) orders_node = NULL;
  g_autoptr(JsonNode) sim_node = NULL;
  g_autoptr(JsonNode) client_node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *mass_path = NULL;
  g_autofree char *client_out = NULL;
  JsonArray *orders;
  JsonArray *at_sim;
  guint kill_ms = g_rand_int_range (rand, 50, 2001);
  gboolean killed_early = FALSE;
  gboolean timer_fired = FALSE, exited = FALSE;
  guint n_sent = 0, n_failed = 0, n_review = 0, n_dispatch_runs = 0, n_recorded_at_kill;
  gint64 n_queued_at_kill = 0, n_sending_at_kill = 0;
  gint64 sum_price = 0, sum_refunded = 0, balance;
  int status;
  const char * const sent_states[] = {
    "pending", "processing", "in_progress", "completed", "partial", "canceled", NULL
  };

  c.cli = g_getenv ("SMM_RELAY_CLI");
  if (c.cli == NULL || !g_file_test (c.cli, G_FILE_TEST_IS_EXECUTABLE) ||
      g_getenv ("SMM_RELAY_SIM") == NULL || !g_file_test (g_getenv ("SMM_RELAY_SIM"), G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("SMM_RELAY_CLI / SMM_RELAY_SIM are not built");
      return;
    }
  c.book = et_book_new ();
  c.launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_setenv (c.launcher, "SMM_RELAY_KEYS", c.book->keys_path, TRUE);
  g_subprocess_launcher_unsetenv (c.launcher, "SMM_RELAY_DB");
  /* No timeout fault here; a short timeout still keeps a stuck request from
   * stalling the test. */
  g_subprocess_launcher_setenv (c.launcher, "SMM_RELAY_TIMEOUT_MS", "5000", TRUE);
  start_sim (&c, seed);

  CLI_OK (&c, "demo-key\n", "provider", "add", PROVIDER, c.sim_url, "--key-file", "-");
  CLI_OK (&c, NULL, "services", "sync", PROVIDER);
  CLI_OK (&c, NULL, "service", "map", "1", PROVIDER, "103", "--price", "0.16371");
  CLI_OK (&c, NULL, "service", "map", "2", PROVIDER, "101", "--price", "1.79999");
  CLI_OK (&c, NULL, "client", "add", CLIENT);
  mass_path = write_mass_file (&c, seed, rand, links);

  /* The mass order, killed after kill_ms. */
  {
    const char *argv[] = { c.cli, "--db", c.book->db_path, "mass-order", mass_path,
                           "--client", CLIENT, NULL };
    guint timer;

    g_subprocess_launcher_set_flags (c.launcher, G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                     G_SUBPROCESS_FLAGS_STDERR_SILENCE);
    mass = g_subprocess_launcher_spawnv (c.launcher, argv, &error);
    g_assert_no_error (error);
    g_subprocess_wait_async (mass, NULL, wait_subprocess_done, &exited);
    timer = g_timeout_add (kill_ms, on_timeout, &timer_fired);
    while (!timer_fired && !exited)
      g_main_context_iteration (NULL, TRUE);
    if (!exited)
      {
        if (!timer_fired)
          g_source_remove (timer);
        g_subprocess_send_signal (mass, SIGKILL);
        et_wait_flag (&exited, 0);
        g_assert_true (g_subprocess_get_if_signaled (mass));
        g_assert_cmpint (g_subprocess_get_term_sig (mass), ==, SIGKILL);
      }
    else
      {
        killed_early = TRUE;   /* it finished before the kill */
        if (!timer_fired)
          g_source_remove (timer);
      }
  }

  /* What the kill left behind, read before any SMM Relay opens the book
   * (the next start turns "sending" into needs_review). */
  {
    g_autoptr(RelayStore) store = relay_store_open (c.book->db_path, &error);
    gint64 counts[RELAY_ORDER_N_STATUSES] = { 0 };

    g_assert_no_error (error);
    relay_store_count_by_status (store, counts, &error);
    g_assert_no_error (error);
    n_queued_at_kill = counts[RELAY_ORDER_QUEUED];
    n_sending_at_kill = counts[RELAY_ORDER_SENDING];
  }

  /* The user finishes the job. */
  orders_node = local_orders (&c);
  n_recorded_at_kill = json_array_get_length (json_node_get_array (orders_node));
  if (n_recorded_at_kill == 0)
    {
      g_autofree char *out = run_cli (&c, NULL, &status, "mass-order", mass_path, "--client", CLIENT, NULL);
      g_test_message ("seed %u: nothing was recorded before the kill; mass order again (exit %d)",
                      seed, status);
    }
  for (;;)
    {
      g_clear_pointer (&orders_node, json_node_unref);
      orders_node = local_orders (&c);
      orders = json_node_get_array (orders_node);
      if (count_status (orders, "queued") == 0 && count_status (orders, "scheduled") == 0)
        break;
      g_assert_cmpuint (++n_dispatch_runs, <=, 10);
      {
        g_autofree char *out = run_cli (&c, NULL, &status, "dispatch", NULL);
        g_assert_cmpint (status, ==, 0);
      }
    }

  /* Exactly 1,000 orders, each with an end or a question. */
  orders = json_node_get_array (orders_node);
  g_assert_cmpuint (json_array_get_length (orders), ==, N_LINES);
  sim_node = sim_orders (&c);
  at_sim = json_node_get_array (sim_node);
  for (guint i = 0; i < json_array_get_length (at_sim); i++)
    {
      JsonObject *o = json_array_get_object_element (at_sim, i);
      const char *link = json_object_get_string_member (o, "link");

      /* Nothing sent twice. */
      if (g_hash_table_contains (sim_links, link))
        g_error ("seed %u: the simulator has two orders for %s", seed, link);
      g_hash_table_add (sim_links, (gpointer) link);
      /* And nothing the book does not know of. */
      g_assert_true (g_hash_table_contains (links, link));
    }

  for (guint i = 0; i < json_array_get_length (orders); i++)
    {
      JsonObject *o = json_array_get_object_element (orders, i);
      const char *state = json_object_get_string_member (o, "status");
      const char *link = json_object_get_string_member (o, "link");
      const char *pid = json_object_get_string_member_with_default (o, "provider_order_id", NULL);

      g_assert_true (g_hash_table_contains (links, link));
      g_assert_false (g_hash_table_contains (local_by_link, link));   /* one order a line */
      g_hash_table_insert (local_by_link, (gpointer) link, o);
      if (g_strv_contains (sent_states, state))
        {
          g_autoptr(GPtrArray) found = NULL;

          n_sent++;
          g_assert_nonnull (pid);
          /* The simulator has it, under that id and for that link. */
          g_assert_true (g_hash_table_contains (sim_links, link));
          for (guint j = 0; j < json_array_get_length (at_sim); j++)
            {
              JsonObject *s = json_array_get_object_element (at_sim, j);

              if (g_str_equal (json_object_get_string_member (s, "link"), link))
                g_assert_cmpint (json_object_get_int_member (s, "order"), ==, g_ascii_strtoll (pid, NULL, 10));
            }
        }
      else if (g_str_equal (state, "failed"))
        {
          n_failed++;
          /* Failed means the provider does not run it. */
          if (g_hash_table_contains (sim_links, link))
            g_error ("seed %u: order %s failed locally but the simulator runs it", seed, link);
          g_assert_cmpint (money (o, "refunded"), ==, money (o, "price"));
        }
      else if (g_str_equal (state, "needs_review"))
        n_review++;
      else
        g_error ("seed %u: order %" G_GINT64_FORMAT " left in %s", seed,
                 json_object_get_int_member (o, "id"), state);
      sum_price += money (o, "price");
      sum_refunded += money (o, "refunded");
    }
  g_assert_cmpuint (n_sent + n_failed + n_review, ==, N_LINES);
  g_assert_cmpuint (json_array_get_length (at_sim), >=, n_sent);
  g_assert_cmpuint (json_array_get_length (at_sim) - n_sent, <=, n_review);

  /* The client owes what was charged less what was refunded. */
  client_out = run_cli (&c, NULL, &status, "client", "show", CLIENT, "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  client_node = parse_json (client_out);
  balance = money (json_node_get_object (client_node), "balance");
  g_assert_cmpint (balance, ==, sum_price - sum_refunded);

  g_test_message ("seed %u: killed after %u ms%s: %u orders recorded, %" G_GINT64_FORMAT " still queued, "
                  "%" G_GINT64_FORMAT " in flight (sending); %u dispatch runs after; "
                  "sent %u, failed %u, needs review %u; simulator has %u orders; "
                  "client owes %" G_GINT64_FORMAT " micro-units",
                  seed, kill_ms, killed_early ? " (it had already finished)" : "", n_recorded_at_kill,
                  n_queued_at_kill, n_sending_at_kill, n_dispatch_runs, n_sent, n_failed, n_review,
                  json_array_get_length (at_sim), balance);

  g_subprocess_send_signal (c.sim, SIGTERM);
  g_subprocess_wait (c.sim, NULL, NULL);
  g_clear_object (&c.sim);
  g_clear_object (&c.launcher);
  g_free (c.sim_url);
  g_free (c.sim_base);
  et_book_free (c.book);
}

static void
test_crash (gconstpointer data)
{
  run_crash (GPOINTER_TO_UINT (data));
}

int
main (int argc, char **argv)
{
  et_init (&argc, &argv);
  for (guint seed = 1; seed <= 4; seed++)
    {
      g_autofree char *path = g_strdup_printf ("/engine/crash/seed-%u", seed);
      g_test_add_data_func (path, GUINT_TO_POINTER (seed), test_crash);
    }
  return g_test_run ();
}
