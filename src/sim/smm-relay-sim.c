/* SPDX-License-Identifier: GPL-3.0-or-later */
/* smm-relay-sim: the provider simulator as a stand-alone server on 127.0.0.1. */
#include "config.h"

#include <glib-unix.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "relay-money.h"
#include "relay-sim.h"

typedef struct
{
  int      port;
  char    *key;
  double   speed;
  gint64   seed;
  char    *latency;
  char   **fault_rates;
  char    *numbers;
  char    *balance;
  char    *state;
  int      extra_services;
  gboolean reject_duplicate_links;
} Options;

static void
options_clear (Options *options)
{
  g_free (options->key);
  g_free (options->latency);
  g_strfreev (options->fault_rates);
  g_free (options->numbers);
  g_free (options->balance);
  g_free (options->state);
}

static gboolean
parse_latency (const char  *text,
               guint       *min,
               guint       *max,
               GError     **error)
{
  g_auto (GStrv) parts = g_strsplit (text, ":", 2);
  guint64 lo, hi;

  if (!g_ascii_string_to_unsigned (parts[0], 10, 0, 600000, &lo, error))
    return FALSE;
  hi = lo;
  if (parts[1] != NULL && !g_ascii_string_to_unsigned (parts[1], 10, 0, 600000, &hi, error))
    return FALSE;
  *min = (guint) MIN (lo, hi);
  *max = (guint) MAX (lo, hi);
  return TRUE;
}

/* "[ACTION:]NAME=P", e.g. "drop_after=0.05" or "add:timeout=0.1". */
static gboolean
apply_fault_rate (RelaySim    *sim,
                  const char  *text,
                  GError     **error)
{
  g_autofree char *copy = g_strdup (text);
  char *action = NULL;
  char *name = copy;
  char *equals = strchr (copy, '=');
  char *colon = strchr (copy, ':');
  char *end = NULL;
  RelaySimFault fault;
  double probability;

  if (equals == NULL)
    goto invalid;
  *equals = '\0';
  if (colon != NULL && colon < equals)
    {
      *colon = '\0';
      action = copy;
      name = colon + 1;
    }
  if (!relay_sim_fault_from_string (name, &fault))
    goto invalid;
  probability = g_ascii_strtod (equals + 1, &end);
  if (end == equals + 1 || *end != '\0' || !(probability >= 0 && probability <= 1))
    goto invalid;
  relay_sim_set_fault_rate (sim, action, fault, probability);
  return TRUE;

invalid:
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               "--fault-rate “%s”: expected [ACTION:]NAME=P with NAME one of timeout, html_before, "
               "html_after, drop_before, drop_after, error_json, rate_limit and P in 0..1", text);
  return FALSE;
}

static gboolean
configure (RelaySim  *sim,
           Options   *options,
           GError   **error)
{
  if (options->extra_services > 0)
    relay_sim_set_extra_services (sim, (guint) options->extra_services);
  if (options->seed >= 0)
    relay_sim_set_seed (sim, (guint32) options->seed);
  if (options->state != NULL && !relay_sim_set_state_file (sim, options->state, error))
    return FALSE;
  if (options->key != NULL)
    relay_sim_set_api_key (sim, options->key);
  if (options->speed >= 0)
    relay_sim_set_speed (sim, options->speed);
  if (options->latency != NULL)
    {
      guint min, max;

      if (!parse_latency (options->latency, &min, &max, error))
        {
          g_prefix_error (error, "--latency “%s”: ", options->latency);
          return FALSE;
        }
      relay_sim_set_latency (sim, min, max);
    }
  for (guint i = 0; options->fault_rates != NULL && options->fault_rates[i] != NULL; i++)
    if (!apply_fault_rate (sim, options->fault_rates[i], error))
      return FALSE;
  if (options->numbers != NULL)
    {
      if (g_str_equal (options->numbers, "mixed"))
        relay_sim_set_numbers (sim, RELAY_SIM_NUMBERS_MIXED);
      else if (g_str_equal (options->numbers, "strings"))
        relay_sim_set_numbers (sim, RELAY_SIM_NUMBERS_STRINGS);
      else if (g_str_equal (options->numbers, "numbers"))
        relay_sim_set_numbers (sim, RELAY_SIM_NUMBERS_NUMBERS);
      else
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--numbers “%s”: expected mixed, strings or numbers", options->numbers);
          return FALSE;
        }
    }
  if (options->balance != NULL)
    {
      gint64 micro;

      if (!relay_money_parse (options->balance, &micro, error))
        {
          g_prefix_error (error, "--balance: ");
          return FALSE;
        }
      relay_sim_set_balance (sim, micro);
    }
  relay_sim_set_reject_duplicate_links (sim, options->reject_duplicate_links);
  return TRUE;
}

static gboolean
on_quit_signal (gpointer user_data)
{
  GMainLoop *loop = user_data;

  g_main_loop_quit (loop);
  return G_SOURCE_CONTINUE;
}

int
main (int   argc,
      char *argv[])
{
  Options options = { .port = 0, .speed = -1, .seed = -1 };
  GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &options.port,
      "Port on 127.0.0.1 (0 = any free port)", "N" },
    { "key", 'k', 0, G_OPTION_ARG_STRING, &options.key,
      "API key the panel accepts (default demo-key)", "KEY" },
    { "speed", 0, 0, G_OPTION_ARG_DOUBLE, &options.speed,
      "Simulated seconds per real second (default 1)", "X" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &options.seed,
      "Seed for outcomes, ids and faults (default 42)", "N" },
    { "latency", 0, 0, G_OPTION_ARG_STRING, &options.latency,
      "Delay before every reply, in milliseconds", "MIN[:MAX]" },
    { "fault-rate", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options.fault_rates,
      "Fault probability, e.g. drop_after=0.05 or add:timeout=0.1 (repeatable)",
      "[ACTION:]NAME=P" },
    { "numbers", 0, 0, G_OPTION_ARG_STRING, &options.numbers,
      "How numbers are written: mixed (default), strings or numbers", "STYLE" },
    { "balance", 0, 0, G_OPTION_ARG_STRING, &options.balance,
      "Starting balance in USD (default 1000)", "AMOUNT" },
    { "state", 0, 0, G_OPTION_ARG_FILENAME, &options.state,
      "Keep orders, balance and clock in this SQLite file across restarts", "FILE" },
    { "extra-services", 0, 0, G_OPTION_ARG_INT, &options.extra_services,
      "Add N generated services to the catalog (big-catalog benches)", "N" },
    { "reject-duplicate-links", 0, 0, G_OPTION_ARG_NONE, &options.reject_duplicate_links,
      "Refuse a new order for a link that has an active order", NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  g_autoptr (RelaySim) sim = NULL;
  g_autofree char *url = NULL;
  guint sigint_id, sigterm_id;

  setlocale (LC_ALL, "");
  g_set_prgname ("smm-relay-sim");

  context = g_option_context_new ("— a simulated SMM panel (API v2) on 127.0.0.1");
  g_option_context_set_summary (context,
                                "Serves /api/v2 (also /api/v1 and /api) like a reseller panel, with\n"
                                "orders that progress over time and faults on demand.\n"
                                "Admin: GET /sim/orders, GET /sim/stats, POST /sim/control.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("smm-relay-sim: %s\n", error->message);
      options_clear (&options);
      return 2;
    }
  if (options.port < 0 || options.port > 65535)
    {
      g_printerr ("smm-relay-sim: --port must be between 0 and 65535\n");
      options_clear (&options);
      return 2;
    }

  /* Signals first, so that a SIGTERM during start-up still ends cleanly. */
  loop = g_main_loop_new (NULL, FALSE);
  sigint_id = g_unix_signal_add (SIGINT, on_quit_signal, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, on_quit_signal, loop);

  sim = relay_sim_new ();
  if (!configure (sim, &options, &error)
      || !relay_sim_listen (sim, (guint) options.port, &error))
    {
      g_printerr ("smm-relay-sim: %s\n", error->message);
      options_clear (&options);
      g_source_remove (sigint_id);
      g_source_remove (sigterm_id);
      return 1;
    }

  url = relay_sim_dup_url (sim);
  printf ("listening on %s\n", url);
  fflush (stdout);
  g_printerr ("smm-relay-sim: key “%s”; admin at http://127.0.0.1:%u/sim/stats\n",
              options.key != NULL ? options.key : "demo-key", relay_sim_get_port (sim));
  options_clear (&options);

  g_main_loop_run (loop);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);

  /* Dropping the simulator writes its state file one last time. */
  g_clear_object (&sim);
  return 0;
}
