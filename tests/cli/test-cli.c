/* SPDX-License-Identifier: GPL-3.0-or-later */
/* End to end: smm-relay-cli against smm-relay-sim on 127.0.0.1, from a provider to a ledger. */
#include "config.h"

#include <signal.h>
#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "cli-run.h"
#include "cli-sim.h"

#define PROVIDER "Demo panel"
#define SIM_KEY "demo-key"
#define WATCH_LIMIT_S 60

/* The ordered cases share one simulator and one order book. */
typedef struct
{
  CliBook     *book;
  CliSim      *sim;
  guint        n_catalog;    /* services in the simulator's catalog */
  GHashTable  *services;     /* my service id (string) -> JsonObject of `service list --json` */
} Fixture;

static Fixture fx;

/* ---- running things ---- */

#define run_cli(run, input, ...) cli_run (fx.book->cli, (run), (input), __VA_ARGS__)
#define cli_json(...) cli_run_json (fx.book->cli, __VA_ARGS__)

static JsonNode *
http_json (const char *method, const char *path, GHashTable *form)
{
  g_autoptr(GBytes) body = cli_sim_http (fx.sim, method, path, form);
  g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));

  return cli_parse_json (text);
}

/* ---- small readers ---- */

/* "12.345" -> micro-units; the CLI's decimal strings. */
static gint64
money (const char *text)
{
  gboolean negative = text[0] == '-';
  const char *p = negative ? text + 1 : text;
  gint64 whole = 0, frac = 0;
  int n_frac = 0;

  for (; g_ascii_isdigit (*p); p++)
    whole = whole * 10 + (*p - '0');
  if (*p == '.')
    for (p++; g_ascii_isdigit (*p) && n_frac < 6; p++, n_frac++)
      frac = frac * 10 + (*p - '0');
  g_assert_cmpint (*p, ==, '\0');
  for (; n_frac < 6; n_frac++)
    frac *= 10;
  return (negative ? -1 : 1) * (whole * 1000000 + frac);
}

/* The simulator writes money as a number or a string. */
static gint64
sim_money (JsonObject *object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  g_assert_nonnull (node);
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return money (json_node_get_string (node));
  return (gint64) (json_node_get_double (node) * 1000000.0 + 0.5);
}

static guint
count_lines (const char *text, const char *prefix)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], prefix))
      n++;
  return n;
}

/* The first line of @text that starts with @prefix, or NULL. */
static char *
find_line (const char *text, const char *prefix)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], prefix))
      return g_strdup (lines[i]);
  return NULL;
}

/* "order 12: …" -> 12 */
static gint64
order_id_of (const char *line)
{
  gint64 id;

  g_assert_true (g_str_has_prefix (line, "order "));
  id = g_ascii_strtoll (line + strlen ("order "), NULL, 10);
  g_assert_cmpint (id, >, 0);
  return id;
}

static JsonObject *
order_json (gint64 id)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  JsonNode *node = cli_json ("order", "show", text, "--json");
  JsonObject *object = json_object_ref (json_node_get_object (node));

  json_node_unref (node);
  return object;
}

/* A link of the kind a service of @platform / @kind takes, unique per @n. */
static char *
make_link (const char *platform, const char *kind, guint n)
{
  gboolean profile = g_strcmp0 (kind, "profile") == 0;

  if (g_strcmp0 (platform, "Instagram") == 0)
    return profile ? g_strdup_printf ("https://instagram.com/user_%u", n)
                   : g_strdup_printf ("https://www.instagram.com/p/Cx%uAbc/", n);
  if (g_strcmp0 (platform, "TikTok") == 0)
    return profile ? g_strdup_printf ("https://www.tiktok.com/@user_%u", n)
                   : g_strdup_printf ("https://www.tiktok.com/@user_%u/video/72%08u", n, n);
  g_assert_not_reached ();
  return NULL;
}

static JsonObject *
my_service (const char *id)
{
  JsonObject *s = g_hash_table_lookup (fx.services, id);

  g_assert_nonnull (s);
  return s;
}

/* The catalog entry of the provider service my service @id is mapped to. */
static JsonObject *
catalog_entry (const char *id)
{
  g_autoptr(JsonNode) node = cli_json ("services", "list", "--json");
  const char *psid = json_object_get_string_member (my_service (id), "provider_service");
  JsonArray *array = json_node_get_array (node);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *entry = json_array_get_object_element (array, i);
      if (g_strcmp0 (json_object_get_string_member (entry, "service"), psid) == 0)
        return json_object_ref (entry);
    }
  g_assert_not_reached ();
  return NULL;
}

/* ---- the cases, in order ---- */

static void
test_usage (void)
{
  g_auto(CliRun) run = { 0 };

  run_cli (&run, NULL, "--version");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "smm-relay-cli " PACKAGE_VERSION));
  cli_run_clear (&run);

  run_cli (&run, NULL, "--help");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "mass-order"));
  g_assert_nonnull (strstr (run.out, "provider add NAME URL --key-file FILE"));
  cli_run_clear (&run);

  run_cli (&run, NULL, "order", "add", "--help");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "--comments-file"));
  g_assert_nonnull (strstr (run.out, "--db"));
  cli_run_clear (&run);

  run_cli (&run, NULL, "help", "service", "map");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "--fallback"));
  cli_run_clear (&run);

  run_cli (&run, NULL, "frobnicate");
  g_assert_cmpint (run.status, ==, 2);
  g_assert_true (g_str_has_prefix (run.err, "smm-relay-cli: "));
  g_assert_nonnull (strstr (run.err, "--help"));
  cli_run_clear (&run);

  run_cli (&run, NULL, "orders", "--status", "bogus");
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "needs_review"));
  cli_run_clear (&run);

  run_cli (&run, NULL, "orders", "--json", "--csv");
  g_assert_cmpint (run.status, ==, 2);
  cli_run_clear (&run);

  run_cli (&run, NULL, "provider");
  g_assert_cmpint (run.status, ==, 2);
}

static void
test_provider (void)
{
  g_auto(CliRun) run = { 0 };
  g_autoptr(JsonNode) list = NULL;
  JsonObject *p;

  /* A key never comes on the command line: neither as an argument nor an option. */
  run_cli (&run, NULL, "provider", "add", PROVIDER, fx.sim->url, SIM_KEY);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_null (strstr (run.err, SIM_KEY));
  cli_run_clear (&run);
  run_cli (&run, NULL, "provider", "add", PROVIDER, fx.sim->url, "--key", SIM_KEY);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_null (strstr (run.err, SIM_KEY));
  cli_run_clear (&run);
  run_cli (&run, NULL, "provider", "add", PROVIDER, fx.sim->url);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "--key-file"));
  cli_run_clear (&run);
  /* A file that does not exist: its name (which may be a key) is not repeated. */
  run_cli (&run, NULL, "provider", "add", PROVIDER, fx.sim->url, "--key-file",
           "demo-key-typed-here");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_null (strstr (run.err, "demo-key-typed-here"));
  cli_run_clear (&run);

  /* An empty key, and a plain-http URL that is not this machine, are refused. */
  run_cli (&run, "\n", "provider", "add", PROVIDER, fx.sim->url, "--key-file", "-");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_true (g_str_has_prefix (run.err, "smm-relay-cli: "));
  cli_run_clear (&run);
  run_cli (&run, SIM_KEY "\n", "provider", "add", "Remote", "http://panel.example.com/api/v2",
           "--key-file", "-");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_true (g_str_has_prefix (run.err, "smm-relay-cli: "));
  g_assert_cmpuint (count_lines (run.err, ""), ==, 2);   /* one line and the final newline */
  cli_run_clear (&run);

  /* The real one, key on stdin with its trailing newline. */
  run_cli (&run, SIM_KEY "\n", "provider", "add", PROVIDER, fx.sim->url, "--key-file", "-");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "balance: 1000.00 USD"));
  g_assert_cmpstr (run.err, ==, "");
  cli_run_clear (&run);
  run_cli (&run, SIM_KEY "\n", "provider", "add", PROVIDER, fx.sim->url, "--key-file", "-");
  g_assert_cmpint (run.status, ==, 1);   /* the name is taken */
  cli_run_clear (&run);

  run_cli (&run, NULL, "provider", "balance", PROVIDER);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "1000.00 USD\n");
  cli_run_clear (&run);

  /* A wrong key: the provider's words come back, exit 1. */
  {
    g_autofree char *key_file = g_build_filename (fx.book->dir, "wrong.key", NULL);

    g_assert_true (g_file_set_contents (key_file, "not-the-key\n", -1, NULL));
    run_cli (&run, NULL, "provider", "add", "Wrong", fx.sim->url, "--key-file", key_file);
    g_assert_cmpint (run.status, ==, 0);   /* added, with a warning */
    g_assert_nonnull (strstr (run.err, "Invalid API key"));
    cli_run_clear (&run);
    run_cli (&run, NULL, "provider", "balance", "Wrong");
    g_assert_cmpint (run.status, ==, 1);
    g_assert_nonnull (strstr (run.err, "Invalid API key"));
    cli_run_clear (&run);
    run_cli (&run, NULL, "provider", "list");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "Invalid API key"));
    cli_run_clear (&run);
    run_cli (&run, NULL, "provider", "set-key", "Wrong", "--key-file", key_file);
    g_assert_cmpint (run.status, ==, 0);
    cli_run_clear (&run);
    run_cli (&run, NULL, "provider", "remove", "Wrong");
    g_assert_cmpint (run.status, ==, 0);
    cli_run_clear (&run);
  }

  run_cli (&run, NULL, "provider", "balance", "Nope");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "no provider named “Nope”"));
  cli_run_clear (&run);

  list = cli_json ("provider", "list", "--json");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 1);
  p = json_array_get_object_element (json_node_get_array (list), 0);
  g_assert_cmpstr (json_object_get_string_member (p, "name"), ==, PROVIDER);
  g_assert_cmpstr (json_object_get_string_member (p, "url"), ==, fx.sim->url);
  g_assert_cmpstr (json_object_get_string_member (p, "currency"), ==, "USD");
  g_assert_cmpstr (json_object_get_string_member (p, "balance"), ==, "1000.00");
  g_assert_true (json_object_get_null_member (p, "last_error"));
  /* The key is in the key file, never in the order book or the output. */
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *path = g_strconcat (fx.book->db, i ? "-wal" : "", NULL);
      g_autofree char *db = NULL;
      gsize len = 0;

      if (g_file_get_contents (path, &db, &len, NULL))
        g_assert_null (g_strstr_len (db, len, SIM_KEY));
    }
}

static void
test_services_sync (void)
{
  g_auto(CliRun) run = { 0 };
  g_autoptr(GHashTable) form = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(JsonNode) catalog = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autofree char *expected = NULL;

  /* What the panel itself offers. */
  g_hash_table_insert (form, "key", SIM_KEY);
  g_hash_table_insert (form, "action", "services");
  catalog = http_json ("POST", "/api/v2", form);
  fx.n_catalog = json_array_get_length (json_node_get_array (catalog));
  g_assert_cmpuint (fx.n_catalog, >, 20);

  run_cli (&run, NULL, "services", "sync", PROVIDER);
  g_assert_cmpint (run.status, ==, 0);
  expected = g_strdup_printf ("%u services: %u new, 0 changed, 0 removed\n", fx.n_catalog,
                              fx.n_catalog);
  g_assert_true (g_str_has_suffix (run.out, expected));
  g_assert_cmpuint (count_lines (run.out, "new "), ==, fx.n_catalog);
  cli_run_clear (&run);

  /* Nothing changed since. */
  g_free (expected);
  expected = g_strdup_printf ("%u services: 0 new, 0 changed, 0 removed\n", fx.n_catalog);
  run_cli (&run, NULL, "services", "sync", PROVIDER);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, expected);
  cli_run_clear (&run);

  list = cli_json ("services", "list", "--json");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, fx.n_catalog);
  run_cli (&run, NULL, "services", "list", "--search", "TikTok");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "TikTok Views"));
  g_assert_null (strstr (run.out, "Instagram Likes"));
  cli_run_clear (&run);

  run_cli (&run, NULL, "services", "sync", "Nope");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "no provider named “Nope”"));
}

static void
test_service_map (void)
{
  g_auto(CliRun) run = { 0 };
  g_autoptr(JsonNode) list = NULL;
  JsonArray *array;

  /* 1: Instagram followers (refill, cancel); 2: Instagram likes; 3: TikTok
   * views; 4: TikTok likes; 5: Instagram followers with a fallback; 6: manual. */
  run_cli (&run, NULL, "service", "map", "1", PROVIDER, "101", "--price", "1.50");
  g_assert_cmpint (run.status, ==, 0);
  cli_run_clear (&run);
  run_cli (&run, NULL, "service", "map", "2", PROVIDER, "103", "--price", "0.20", "--name",
           "Likes, fast");
  g_assert_cmpint (run.status, ==, 0);
  cli_run_clear (&run);
  run_cli (&run, NULL, "service", "map", "3", PROVIDER, "121", "--price", "0.05");
  g_assert_cmpint (run.status, ==, 0);
  cli_run_clear (&run);
  run_cli (&run, NULL, "service", "map", "4", PROVIDER, "122", "--price", "0.60");
  g_assert_cmpint (run.status, ==, 0);
  cli_run_clear (&run);
  run_cli (&run, NULL, "service", "map", "5", PROVIDER, "102", "--price", "1.20", "--fallback",
           PROVIDER ":101");
  g_assert_cmpint (run.status, ==, 0);
  cli_run_clear (&run);
  run_cli (&run, NULL, "--db", fx.book->db, "service", "map", "6", PROVIDER, "105", "--price", "0.05",
           "--manual");
  g_assert_cmpint (run.status, ==, 0);
  cli_run_clear (&run);

  run_cli (&run, NULL, "service", "map", "7", PROVIDER, "107", "--price", "20");
  g_assert_cmpint (run.status, ==, 0);
  cli_run_clear (&run);

  /* Bad prices: not an amount (usage), below the provider's rate (refused). */
  run_cli (&run, NULL, "service", "map", "9", PROVIDER, "101", "--price", "1,50");
  g_assert_cmpint (run.status, ==, 2);
  cli_run_clear (&run);
  run_cli (&run, NULL, "service", "map", "9", PROVIDER, "101", "--price", "abc");
  g_assert_cmpint (run.status, ==, 2);
  cli_run_clear (&run);
  run_cli (&run, NULL, "service", "map", "9", PROVIDER, "101", "--price", "0.10");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "below cost"));
  cli_run_clear (&run);
  run_cli (&run, NULL, "service", "map", "9", PROVIDER, "101");
  g_assert_cmpint (run.status, ==, 2);
  cli_run_clear (&run);
  run_cli (&run, NULL, "service", "map", "9", "Nope", "101", "--price", "2");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "no provider named “Nope”"));
  cli_run_clear (&run);
  run_cli (&run, NULL, "service", "map", "9", PROVIDER, "99999", "--price", "2");
  g_assert_cmpint (run.status, ==, 1);
  cli_run_clear (&run);
  run_cli (&run, NULL, "service", "map", "9", PROVIDER, "101", "--price", "2", "--fallback",
           "nocolon");
  g_assert_cmpint (run.status, ==, 2);
  cli_run_clear (&run);

  /* A mapping to remove again. */
  run_cli (&run, NULL, "service", "map", "8", PROVIDER, "124", "--price", "0.30");
  g_assert_cmpint (run.status, ==, 0);
  cli_run_clear (&run);
  run_cli (&run, NULL, "service", "remove", "8");
  g_assert_cmpint (run.status, ==, 0);
  cli_run_clear (&run);

  list = cli_json ("service", "list", "--json");
  array = json_node_get_array (list);
  g_assert_cmpuint (json_array_get_length (array), ==, 7);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *s = json_array_get_object_element (array, i);
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT,
                                             json_object_get_int_member (s, "id"));

      g_assert_true (json_object_get_boolean_member (s, "orderable"));
      g_assert_cmpstr (json_object_get_string_member (s, "provider"), ==, PROVIDER);
      g_assert_cmpint (money (json_object_get_string_member (s, "margin")), ==,
                       money (json_object_get_string_member (s, "price")) -
                       money (json_object_get_string_member (s, "provider_rate")));
      g_hash_table_insert (fx.services, g_steal_pointer (&id), json_object_ref (s));
    }
  g_assert_cmpstr (json_object_get_string_member (my_service ("2"), "name"), ==, "Likes, fast");
  g_assert_true (json_object_get_boolean_member (my_service ("6"), "manual"));
  g_assert_false (json_object_get_boolean_member (my_service ("1"), "manual"));
  g_assert_true (json_object_get_null_member (my_service ("1"), "fallback"));
  {
    JsonObject *fallback = json_object_get_object_member (my_service ("5"), "fallback");

    g_assert_nonnull (fallback);
    g_assert_cmpstr (json_object_get_string_member (fallback, "service"), ==, "101");
  }

  run_cli (&run, NULL, "service", "list");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, PROVIDER ":101"));
  g_assert_nonnull (strstr (run.out, "manual"));
}

static void
test_clients (void)
{
  g_auto(CliRun) run = { 0 };
  g_autoptr(JsonNode) list = NULL;

  run_cli (&run, NULL, "client", "add", "Alice");
  g_assert_cmpint (run.status, ==, 0);
  cli_run_clear (&run);
  run_cli (&run, NULL, "client", "add", "Bob Smith");
  g_assert_cmpint (run.status, ==, 0);
  cli_run_clear (&run);
  run_cli (&run, NULL, "client", "add", "Alice");
  g_assert_cmpint (run.status, ==, 1);
  cli_run_clear (&run);
  run_cli (&run, NULL, "client", "show", "Nobody");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "no client named “Nobody”"));
  cli_run_clear (&run);

  list = cli_json ("client", "list", "--json");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 2);
}

typedef struct
{
  guint       entry;    /* which of the 100 orders */
  const char *text;
  const char *reason;   /* the core's reason, whole or (partial) a part of it */
  gboolean    partial;
} BadLine;

#define SUMMARY_HEAD "96 of 100 lines sent, 4 refused, total "

static void
test_mass_order (void)
{
  static const BadLine bad[] = {
    { 7, "99 | https://instagram.com/p/Cabc | 100", "there is no service 99 among your services",
      FALSE },
    { 23, "2 | https://instagram.com/p/Ctoo_few | 5",
      "quantity 5 is below this service’s minimum of 10", FALSE },
    { 51, "this is not an order", "“|”", TRUE },
    { 88, "1 | https://instagram.com/p/Cpost_link | 100", "profile link", TRUE },
  };
  const char *mine[] = { "1", "2", "3", "4", "5" };
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GHashTable) good = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  g_autofree char *path = g_build_filename (fx.book->dir, "mass.txt", NULL);
  g_auto(CliRun) run = { 0 };
  g_autofree char *summary = NULL;
  g_autoptr(GHashTable) entries = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                         (GDestroyNotify) json_object_unref);
  gint64 total = 0;
  guint next_bad = 0, n_good = 0;
  guint text_line = 0;
  guint line_of[101];   /* entry -> its line in the text (blank lines count) */

  for (guint line = 1; line <= 100; line++)
    {
      line_of[line] = ++text_line;
      const char *id = mine[line % G_N_ELEMENTS (mine)];
      JsonObject *entry;
      g_autofree char *link = NULL;
      gint64 quantity;

      if (next_bad < G_N_ELEMENTS (bad) && bad[next_bad].entry == line)
        {
          g_string_append_printf (text, "%s\n", bad[next_bad++].text);
          continue;
        }
      entry = g_hash_table_lookup (entries, id);
      if (entry == NULL)
        {
          entry = catalog_entry (id);
          g_hash_table_insert (entries, (char *) id, entry);
        }
      link = make_link (json_object_get_string_member (entry, "platform"),
                        json_object_get_string_member (entry, "link_kind"), line);
      quantity = json_object_get_int_member (entry, "min") + 10 * (line % 5);
      /* Spaces around the bars, and blank lines, are allowed. */
      g_string_append_printf (text, line % 3 ? "%s | %s | %" G_GINT64_FORMAT "\n"
                                             : "%s|%s|%" G_GINT64_FORMAT "\n\n",
                              id, link, quantity);
      if (line % 3 == 0)
        text_line++;
      total += (money (json_object_get_string_member (my_service (id), "price")) * quantity + 500)
               / 1000;
      g_hash_table_insert (good, GUINT_TO_POINTER (line), g_steal_pointer (&link));
      n_good++;
    }
  g_assert_cmpuint (n_good, ==, 96);
  g_assert_true (g_file_set_contents (path, text->str, -1, NULL));

  /* A dry run records nothing and says what would go. */
  run_cli (&run, NULL, "mass-order", path, "--dry-run", "--client", "Alice");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.out, "96 of 100 lines can be ordered, 4 refused"));
  cli_run_clear (&run);
  {
    g_autoptr(JsonNode) orders = cli_json ("orders", "--json");
    g_assert_cmpuint (json_array_get_length (json_node_get_array (orders)), ==, 0);
  }

  run_cli (&run, NULL, "mass-order", path, "--client", "Alice");
  g_assert_cmpint (run.status, ==, 1);   /* four lines were refused */
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *prefix = g_strdup_printf ("line %u: ", line_of[bad[i].entry]);
      g_autofree char *found = find_line (run.out, prefix);

      g_assert_nonnull (found);
      if (bad[i].partial)
        g_assert_nonnull (strstr (found + strlen (prefix), bad[i].reason));
      else
        g_assert_cmpstr (found + strlen (prefix), ==, bad[i].reason);
    }
  for (guint line = 1; line <= 100; line++)
    {
      g_autofree char *prefix = g_strdup_printf ("line %u: order ", line_of[line]);
      g_autofree char *found = find_line (run.out, prefix);

      if (!g_hash_table_contains (good, GUINT_TO_POINTER (line)))
        {
          g_assert_null (found);
          continue;
        }
      g_assert_nonnull (found);
      g_assert_nonnull (strstr (found, " sent ("));
    }
  summary = find_line (run.out, SUMMARY_HEAD);
  g_assert_nonnull (summary);
  g_assert_true (g_str_has_suffix (summary, " USD"));
  {
    gsize len = strlen (summary) - strlen (SUMMARY_HEAD) - strlen (" USD");
    g_autofree char *amount = g_strndup (summary + strlen (SUMMARY_HEAD), len);
    g_assert_cmpint (money (amount), ==, total);
  }
  cli_run_clear (&run);

  /* The book has them, each with its provider's order id, for Alice. */
  {
    g_autoptr(JsonNode) orders = cli_json ("orders", "--json", "--client", "Alice");
    JsonArray *array = json_node_get_array (orders);

    g_assert_cmpuint (json_array_get_length (array), ==, 96);
    for (guint i = 0; i < 96; i++)
      {
        JsonObject *o = json_array_get_object_element (array, i);

        g_assert_false (json_object_get_null_member (o, "provider_order_id"));
        g_assert_cmpstr (json_object_get_string_member (o, "client"), ==, "Alice");
        g_assert_cmpstr (json_object_get_string_member (o, "provider"), ==, PROVIDER);
      }
  }

  /* An all-good mass order from stdin, only recorded; dispatch sends it. */
  {
    g_autoptr(JsonObject) entry = catalog_entry ("3");
    g_autofree char *link1 = make_link (json_object_get_string_member (entry, "platform"),
                                        json_object_get_string_member (entry, "link_kind"), 1001);
    g_autofree char *link2 = make_link (json_object_get_string_member (entry, "platform"),
                                        json_object_get_string_member (entry, "link_kind"), 1002);
    g_autofree char *input = g_strdup_printf ("3 | %s | 1000\r\n3 | %s | 2000\r\n", link1, link2);

    run_cli (&run, input, "mass-order", "-", "--no-send", "--client", "Bob Smith");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpuint (count_lines (run.out, "line "), ==, 2);
    g_assert_nonnull (strstr (run.out, "2 of 2 lines recorded, 0 refused, total "));
    cli_run_clear (&run);

    run_cli (&run, NULL, "orders", "--status", "queued", "--json");
    g_assert_cmpint (run.status, ==, 0);
    {
      g_autoptr(JsonNode) queued = cli_parse_json (run.out);
      g_assert_cmpuint (json_array_get_length (json_node_get_array (queued)), ==, 2);
    }
    cli_run_clear (&run);

    run_cli (&run, NULL, "dispatch");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "dispatch: 2 sent, 0 failed"));
    g_assert_cmpuint (count_lines (run.out, "order "), ==, 2);
    cli_run_clear (&run);
  }

  /* Nothing usable at all. */
  run_cli (&run, "\n\n", "mass-order");
  g_assert_cmpint (run.status, ==, 1);
  cli_run_clear (&run);
  run_cli (&run, "1 | https://instagram.com/x_y | 1\n", "mass-order", "--json");
  g_assert_cmpint (run.status, ==, 1);
  {
    g_autoptr(JsonNode) node = cli_parse_json (run.out);
    JsonObject *o = json_node_get_object (node);

    g_assert_cmpint (json_object_get_int_member (o, "refused"), ==, 1);
    g_assert_cmpint (json_object_get_int_member (o, "sent"), ==, 0);
  }
}

static void
test_order (void)
{
  g_auto(CliRun) run = { 0 };
  g_autoptr(JsonObject) order = NULL;
  gint64 id;

  run_cli (&run, NULL, "order", "add", "1", "https://instagram.com/solo.user", "150", "--client",
           "Bob Smith");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "order "));
  g_assert_nonnull (strstr (run.out, ": sent to " PROVIDER " as "));
  id = order_id_of (run.out);
  cli_run_clear (&run);

  order = order_json (id);
  g_assert_cmpstr (json_object_get_string_member (order, "link"), ==,
                   "https://instagram.com/solo.user");
  g_assert_cmpint (json_object_get_int_member (order, "quantity"), ==, 150);
  g_assert_cmpint (json_object_get_int_member (order, "service"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (order, "price"), ==, "0.225");
  g_assert_cmpstr (json_object_get_string_member (order, "client"), ==, "Bob Smith");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (order, "events")), >=, 2);

  {
    g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, id);

    run_cli (&run, NULL, "order", "show", text);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "History:"));
    g_assert_nonnull (strstr (run.out, "queued → sending"));
    g_assert_nonnull (strstr (run.out, "https://instagram.com/solo.user"));
    cli_run_clear (&run);
  }

  /* Refused before anything is recorded: link kind, quantity, unknown service. */
  run_cli (&run, NULL, "order", "add", "1", "https://instagram.com/p/Cpost", "150");
  g_assert_cmpint (run.status, ==, 1);
  cli_run_clear (&run);
  run_cli (&run, NULL, "order", "add", "1", "https://instagram.com/someone", "99999999");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "maximum"));
  cli_run_clear (&run);
  run_cli (&run, NULL, "order", "add", "42", "https://instagram.com/someone", "100");
  g_assert_cmpint (run.status, ==, 1);
  cli_run_clear (&run);
  run_cli (&run, NULL, "order", "add", "1", "https://instagram.com/someone", "ten");
  g_assert_cmpint (run.status, ==, 2);
  cli_run_clear (&run);

  /* Scheduled far ahead, then canceled before it went. */
  run_cli (&run, NULL, "order", "add", "2", "https://instagram.com/p/Csched", "100", "--at",
           "2099-01-01 10:00");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "scheduled for 2099-01-01 10:00"));
  id = order_id_of (run.out);
  cli_run_clear (&run);
  {
    g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, id);

    run_cli (&run, NULL, "cancel", text);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "before it was sent"));
    cli_run_clear (&run);
  }

  /* A manual service: waits for approval, shows in the review list, then goes. */
  run_cli (&run, NULL, "order", "add", "6", "https://www.instagram.com/reel/Cmanual1/", "500");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "awaiting approval"));
  id = order_id_of (run.out);
  cli_run_clear (&run);
  {
    g_autoptr(JsonNode) review = cli_json ("review", "list", "--json");
    JsonArray *array = json_node_get_array (review);
    gboolean found = FALSE;

    for (guint i = 0; i < json_array_get_length (array); i++)
      {
        JsonObject *o = json_array_get_object_element (array, i);

        if (json_object_get_int_member (o, "id") == id)
          {
            found = TRUE;
            g_assert_cmpstr (json_object_get_string_member (o, "reason"), ==, "awaiting approval");
            g_assert_cmpint (json_object_get_int_member (o, "quantity"), ==, 500);
          }
      }
    g_assert_true (found);
  }
  run_cli (&run, NULL, "review", "list");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "awaiting approval"));
  cli_run_clear (&run);
  {
    g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, id);

    run_cli (&run, NULL, "review", "approve", text);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, ": sent to " PROVIDER " as "));
    cli_run_clear (&run);
    /* Only once. */
    run_cli (&run, NULL, "review", "approve", text);
    g_assert_cmpint (run.status, ==, 1);
    cli_run_clear (&run);
    run_cli (&run, NULL, "review", "placed", text, "12345");
    g_assert_cmpint (run.status, ==, 1);
    cli_run_clear (&run);
  }

  /* A manual order that is turned down: failed, refunded. */
  run_cli (&run, NULL, "order", "add", "6", "https://www.instagram.com/reel/Cmanual2/", "400",
           "--client", "Bob Smith");
  g_assert_cmpint (run.status, ==, 0);
  id = order_id_of (run.out);
  cli_run_clear (&run);
  {
    g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
    g_autoptr(JsonObject) o = NULL;

    run_cli (&run, NULL, "review", "not-placed", text);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "not placed"));
    cli_run_clear (&run);
    o = order_json (id);
    g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "failed");
    g_assert_cmpstr (json_object_get_string_member (o, "refunded"), ==,
                     json_object_get_string_member (o, "price"));
  }
}

/* `order add` sends the order it placed and nothing else: orders staged with
 * `mass-order --no-send` wait for `dispatch`. */
static void
test_order_add_sends_only_it (void)
{
  g_auto(CliRun) run = { 0 };
  g_autoptr(JsonObject) entry = catalog_entry ("3");
  g_autofree char *link1 = make_link (json_object_get_string_member (entry, "platform"),
                                      json_object_get_string_member (entry, "link_kind"), 2001);
  g_autofree char *link2 = make_link (json_object_get_string_member (entry, "platform"),
                                      json_object_get_string_member (entry, "link_kind"), 2002);
  g_autofree char *input = g_strdup_printf ("3 | %s | 1000\n3 | %s | 2000\n", link1, link2);

  run_cli (&run, input, "mass-order", "-", "--no-send");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "2 of 2 lines recorded"));
  cli_run_clear (&run);

  run_cli (&run, NULL, "order", "add", "1", "https://instagram.com/only.this.one", "120");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, ": sent to " PROVIDER " as "));
  g_assert_cmpuint (count_lines (run.out, "order "), ==, 1);
  cli_run_clear (&run);

  {
    g_autoptr(JsonNode) queued = cli_json ("orders", "--status", "queued", "--json");
    JsonArray *array = json_node_get_array (queued);
    guint n_staged = 0;

    for (guint i = 0; i < json_array_get_length (array); i++)
      {
        const char *link = json_object_get_string_member (json_array_get_object_element (array, i),
                                                          "link");

        if (g_strcmp0 (link, link1) == 0 || g_strcmp0 (link, link2) == 0)
          n_staged++;
      }
    g_assert_cmpuint (n_staged, ==, 2);
  }

  /* `dispatch` is what sends them. */
  run_cli (&run, NULL, "dispatch");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "dispatch: 2 sent, 0 failed"));
  cli_run_clear (&run);
}

static void
test_order_kinds (void)
{
  g_auto(CliRun) run = { 0 };
  g_autoptr(JsonObject) o = NULL;
  g_autofree char *text = NULL;
  JsonObject *extra;
  gint64 id;

  /* Custom comments from stdin: the quantity is the number of comments. */
  run_cli (&run, "Nice!\nGreat shot\n\nWow\nLove it\nSo good\n", "order", "add", "7",
           "https://www.instagram.com/p/Ccomments/", "--comments-file", "-", "--client", "Alice");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, ": sent to " PROVIDER " as "));
  o = order_json (order_id_of (run.out));
  g_assert_cmpint (json_object_get_int_member (o, "quantity"), ==, 5);
  extra = json_object_get_object_member (o, "extra");
  g_assert_nonnull (strstr (json_object_get_string_member (extra, "comments"), "Great shot"));
  g_clear_pointer (&o, json_object_unref);
  cli_run_clear (&run);

  /* Drip-feed. */
  run_cli (&run, NULL, "order", "add", "5", "https://instagram.com/drip_user", "100", "--runs", "3",
           "--interval", "10");
  g_assert_cmpint (run.status, ==, 0);
  o = order_json (order_id_of (run.out));
  g_assert_cmpint (json_object_get_int_member (o, "runs"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (o, "interval"), ==, 10);
  g_clear_pointer (&o, json_object_unref);
  cli_run_clear (&run);

  /* ISO 8601 time; canceled again so that nothing stays active. */
  run_cli (&run, NULL, "order", "add", "3", "https://www.tiktok.com/@later/video/7200000099", "500",
           "--at", "2099-06-01T08:30:00Z");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "scheduled for 2099-06-01"));
  text = g_strdup_printf ("%" G_GINT64_FORMAT, order_id_of (run.out));
  cli_run_clear (&run);
  run_cli (&run, NULL, "cancel", text);
  g_assert_cmpint (run.status, ==, 0);
  cli_run_clear (&run);
  run_cli (&run, NULL, "order", "add", "3", "https://www.tiktok.com/@later/video/7200000099", "500",
           "--at", "next tuesday");
  g_assert_cmpint (run.status, ==, 2);
  cli_run_clear (&run);

  /* The provider refuses: no money left there.  The order waits for funds,
   * queued (issue 9), and is canceled so that nothing stays active. */
  cli_sim_control (fx.sim, "balance", "0");
  run_cli (&run, NULL, "order", "add", "2", "https://instagram.com/p/Cfunds", "100");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_true (g_str_has_prefix (run.out, "order "));
  g_assert_true (g_str_has_suffix (run.out, ": not sent yet: Waiting for funds at " PROVIDER
                                            ": the panel said “Not enough funds on balance”\n"));
  g_free (text);
  text = g_strdup_printf ("%" G_GINT64_FORMAT, order_id_of (run.out));
  cli_run_clear (&run);
  run_cli (&run, NULL, "cancel", text);
  g_assert_cmpint (run.status, ==, 0);
  cli_run_clear (&run);
  cli_sim_control (fx.sim, "balance", "1000");

  /* Rate limited: the request provably never left, so it waits for a retry;
   * canceled before it goes. */
  {
    g_autoptr(GHashTable) form = g_hash_table_new (g_str_hash, g_str_equal);
    g_autoptr(GBytes) body = NULL;

    g_hash_table_insert (form, "fault", "rate_limit");
    g_hash_table_insert (form, "action", "add");
    g_hash_table_insert (form, "count", "1");
    body = cli_sim_http (fx.sim, "POST", "/sim/control", form);
    run_cli (&run, NULL, "order", "add", "2", "https://instagram.com/p/Cretry", "100");
    g_assert_cmpint (run.status, ==, 1);
    g_assert_nonnull (strstr (run.out, ": not sent yet: "));
    g_free (text);
    text = g_strdup_printf ("%" G_GINT64_FORMAT, order_id_of (run.out));
    cli_run_clear (&run);
    run_cli (&run, NULL, "cancel", text);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "before it was sent"));
    cli_run_clear (&run);
  }

  /* The primary service is disabled at the panel: the fallback takes the order. */
  cli_sim_control (fx.sim, "disable_service", "102");
  run_cli (&run, NULL, "order", "add", "5", "https://instagram.com/failover_user", "50");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, ": sent to " PROVIDER " as "));
  o = order_json (order_id_of (run.out));
  g_assert_cmpstr (json_object_get_string_member (o, "provider_service_id"), ==, "101");
  g_clear_pointer (&o, json_object_unref);
  cli_run_clear (&run);
  cli_sim_control (fx.sim, "enable_service", "102");

  /* The panel took the order but the reply was lost: it needs review, and a
   * person who found it on the panel records its id. */
  {
    g_autoptr(GHashTable) form = g_hash_table_new (g_str_hash, g_str_equal);
    g_autoptr(GBytes) body = NULL;
    g_autoptr(JsonNode) sim_orders = NULL;
    const char *link = "https://www.tiktok.com/@lost_reply/video/7200000001";
    g_autofree char *sim_id = NULL;
    JsonArray *array;

    g_hash_table_insert (form, "fault", "html_after");
    g_hash_table_insert (form, "action", "add");
    g_hash_table_insert (form, "count", "1");
    body = cli_sim_http (fx.sim, "POST", "/sim/control", form);

    run_cli (&run, NULL, "order", "add", "4", link, "100");
    g_assert_cmpint (run.status, ==, 1);
    g_assert_nonnull (strstr (run.out, ": needs review: "));
    id = order_id_of (run.out);
    cli_run_clear (&run);

    run_cli (&run, NULL, "review", "list");
    g_assert_cmpint (run.status, ==, 0);
    g_free (text);
    text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
    g_assert_nonnull (strstr (run.out, text));
    cli_run_clear (&run);

    sim_orders = http_json ("GET", "/sim/orders", NULL);
    array = json_node_get_array (sim_orders);
    for (guint i = 0; i < json_array_get_length (array); i++)
      {
        JsonObject *s = json_array_get_object_element (array, i);
        if (g_strcmp0 (json_object_get_string_member (s, "link"), link) == 0)
          sim_id = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (s, "order"));
      }
    g_assert_nonnull (sim_id);
    run_cli (&run, NULL, "review", "placed", text, sim_id);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, ": sent to " PROVIDER " as "));
    g_assert_nonnull (strstr (run.out, sim_id));
  }
}

static void
test_dispatch_watch (void)
{
  const char *args[] = { "dispatch", "--watch", "1", NULL };
  g_autoptr(GSubprocess) watch = NULL;
  g_auto(CliRun) watched = { 0 };
  g_auto(CliRun) run = { 0 };

  watch = cli_runner_spawnv (fx.book->cli, args);
  g_usleep (G_USEC_PER_SEC / 2);
  /* An order recorded meanwhile is sent by the watch. */
  run_cli (&run, NULL, "order", "add", "3", "https://www.tiktok.com/@watched/video/7200000123",
           "300", "--no-send");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_suffix (run.out, ": queued\n"));
  cli_run_clear (&run);
  g_usleep (2 * G_USEC_PER_SEC);
  g_subprocess_send_signal (watch, SIGINT);
  cli_runner_wait (fx.book->cli, &watched, watch);
  g_assert_cmpint (watched.status, ==, 0);   /* -1 when it did not exit */
  g_assert_nonnull (strstr (watched.out, ": sent to " PROVIDER " as "));
  g_assert_nonnull (strstr (watched.out, "dispatch: 1 sent, 0 failed"));
}

static gboolean
no_active_orders (void)
{
  g_autoptr(JsonNode) active = cli_json ("orders", "--status", "active", "--json");

  return json_array_get_length (json_node_get_array (active)) == 0;
}

static void
test_sync_watch (void)
{
  const char *args[] = { "sync", "--watch", "1", NULL };
  g_autoptr(GSubprocess) watch = NULL;
  g_auto(CliRun) watched = { 0 };
  gint64 deadline = g_get_monotonic_time () + WATCH_LIMIT_S * G_USEC_PER_SEC;
  gboolean idle = FALSE;

  watch = cli_runner_spawnv (fx.book->cli, args);
  while (g_get_monotonic_time () < deadline)
    {
      g_usleep (G_USEC_PER_SEC / 2);
      if (no_active_orders ())
        {
          idle = TRUE;
          break;
        }
    }
  g_subprocess_send_signal (watch, SIGTERM);
  cli_runner_wait (fx.book->cli, &watched, watch);
  g_assert_true (idle);
  g_assert_cmpint (watched.status, ==, 0);   /* -1 when it did not exit */
  g_assert_nonnull (strstr (watched.out, "checked "));
  g_assert_nonnull (strstr (watched.out, " → completed"));

  /* One more run: nothing left to ask about. */
  {
    g_auto(CliRun) run = { 0 };

    run_cli (&run, NULL, "sync");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.out, ==, "checked 0 orders in 0 requests; 0 changed\n");
  }
}

/* The simulator's word for a canonical status. */
static const char *
sim_word (const char *status)
{
  static const char * const map[][2] = {
    { "pending", "Pending" }, { "in_progress", "In progress" }, { "completed", "Completed" },
    { "partial", "Partial" }, { "canceled", "Canceled" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    if (g_strcmp0 (map[i][0], status) == 0)
      return map[i][1];
  return NULL;
}

static void
test_compare_with_sim (void)
{
  g_autoptr(JsonNode) ours = cli_json ("orders", "--json");
  g_autoptr(JsonNode) theirs = http_json ("GET", "/sim/orders", NULL);
  g_autoptr(GHashTable) sim = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonArray *ours_array = json_node_get_array (ours);
  JsonArray *sim_array = json_node_get_array (theirs);
  guint n_sent = 0, n_completed = 0, n_partial = 0, n_canceled = 0;

  for (guint i = 0; i < json_array_get_length (sim_array); i++)
    {
      JsonObject *o = json_array_get_object_element (sim_array, i);

      g_hash_table_insert (sim, g_strdup_printf ("%" G_GINT64_FORMAT,
                                                 json_object_get_int_member (o, "order")), o);
    }

  for (guint i = 0; i < json_array_get_length (ours_array); i++)
    {
      JsonObject *o = json_array_get_object_element (ours_array, i);
      const char *provider_id;
      const char *status = json_object_get_string_member (o, "status");
      JsonObject *s;

      /* Every column is there, with its type. */
      g_assert_true (json_object_has_member (o, "service_name"));
      g_assert_true (json_object_has_member (o, "provider_status"));
      g_assert_true (json_object_has_member (o, "start_count"));
      g_assert_true (json_object_has_member (o, "cost"));
      g_assert_true (json_object_has_member (o, "refunded"));
      g_assert_true (json_object_has_member (o, "currency"));
      g_assert_true (json_object_has_member (o, "error"));
      g_assert_true (g_str_has_suffix (json_object_get_string_member (o, "created_at"), "Z"));
      g_assert_true (g_str_has_suffix (json_object_get_string_member (o, "updated_at"), "Z"));
      money (json_object_get_string_member (o, "price"));

      if (json_object_get_null_member (o, "provider_order_id"))
        {
          /* Never sent: failed, or canceled before it was sent. */
          g_assert_true (g_strcmp0 (status, "failed") == 0 || g_strcmp0 (status, "canceled") == 0);
          continue;
        }
      provider_id = json_object_get_string_member (o, "provider_order_id");
      s = g_hash_table_lookup (sim, provider_id);
      g_assert_nonnull (s);
      n_sent++;
      g_assert_cmpstr (json_object_get_string_member (s, "link"), ==,
                       json_object_get_string_member (o, "link"));
      g_assert_cmpint (json_object_get_int_member (s, "quantity"), ==,
                       json_object_get_int_member (o, "quantity"));
      g_assert_cmpstr (sim_word (status), ==, json_object_get_string_member (s, "status"));
      /* The panel's own word varies ("Cancelled", "In Progress"); it is kept as said. */
      g_assert_false (json_object_get_null_member (o, "provider_status"));
      g_assert_false (json_object_get_null_member (o, "remains"));
      g_assert_cmpint (json_object_get_int_member (o, "remains"), ==,
                       json_object_get_int_member (s, "remains"));
      g_assert_cmpint (money (json_object_get_string_member (o, "cost")), ==,
                       sim_money (s, "price"));
      if (g_strcmp0 (status, "completed") == 0)
        n_completed++;
      else if (g_strcmp0 (status, "partial") == 0)
        n_partial++;
      else if (g_strcmp0 (status, "canceled") == 0)
        n_canceled++;
    }
  g_test_message ("%u sent: %u completed, %u partial, %u canceled", n_sent, n_completed,
                  n_partial, n_canceled);
  g_assert_cmpuint (n_sent, ==, g_hash_table_size (sim));
  g_assert_cmpuint (n_completed + n_partial + n_canceled, ==, n_sent);
  g_assert_cmpuint (n_completed, >, 0);
}

/* Orders of @status whose my service is @service. */
static gint64
find_order (const char *status, gint64 service)
{
  g_autoptr(JsonNode) orders = cli_json ("orders", "--status", status, "--json");
  JsonArray *array = json_node_get_array (orders);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *o = json_array_get_object_element (array, i);
      if (json_object_get_int_member (o, "service") == service)
        return json_object_get_int_member (o, "id");
    }
  return 0;
}

static void
test_refill_cancel (void)
{
  g_auto(CliRun) run = { 0 };
  g_autofree char *refillable = NULL;
  g_autofree char *not_refillable = NULL;
  g_autofree char *running = NULL;
  g_autoptr(JsonObject) order = NULL;
  gint64 id;

  id = find_order ("completed", 1);
  g_assert_cmpint (id, >, 0);
  refillable = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  id = find_order ("completed", 2);
  g_assert_cmpint (id, >, 0);
  not_refillable = g_strdup_printf ("%" G_GINT64_FORMAT, id);

  run_cli (&run, NULL, "refill", refillable);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "refill requested (refill "));
  cli_run_clear (&run);
  order = order_json (g_ascii_strtoll (refillable, NULL, 10));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (order, "refills")), ==, 1);

  /* One good, one refused, one unknown: a line each, exit 1. */
  run_cli (&run, NULL, "refill", refillable, not_refillable, "999999");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpuint (count_lines (run.out, "order "), ==, 3);
  g_assert_nonnull (strstr (run.out, "cannot refill"));
  cli_run_clear (&run);

  /* Freeze the panel's clock so that an order stays running, then cancel it there. */
  cli_sim_control (fx.sim, "speed", "0");
  run_cli (&run, NULL, "order", "add", "1", "https://instagram.com/cancel.me", "200", "--client",
           "Alice");
  g_assert_cmpint (run.status, ==, 0);
  running = g_strdup_printf ("%" G_GINT64_FORMAT, order_id_of (run.out));
  cli_run_clear (&run);
  run_cli (&run, NULL, "cancel", running);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "cancel requested"));
  cli_run_clear (&run);
  cli_sim_control (fx.sim, "speed", "200");

  /* A finished order cannot be canceled. */
  run_cli (&run, NULL, "cancel", not_refillable);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.out, "cannot cancel"));
  cli_run_clear (&run);

  /* The sync learns of the cancel and refunds the client. */
  {
    gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
    g_autoptr(JsonObject) o = NULL;

    while (g_get_monotonic_time () < deadline)
      {
        run_cli (&run, NULL, "sync");
        g_assert_cmpint (run.status, ==, 0);
        cli_run_clear (&run);
        g_clear_pointer (&o, json_object_unref);
        o = order_json (g_ascii_strtoll (running, NULL, 10));
        if (g_strcmp0 (json_object_get_string_member (o, "status"), "canceled") == 0)
          break;
        g_usleep (G_USEC_PER_SEC / 4);
      }
    g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "canceled");
    g_assert_cmpstr (json_object_get_string_member (o, "refunded"), ==,
                     json_object_get_string_member (o, "price"));
  }
}

static void
check_ledger (const char *client)
{
  g_autoptr(JsonNode) node = cli_json ("client", "show", client, "--json");
  JsonObject *o = json_node_get_object (node);
  JsonArray *ledger = json_object_get_array_member (o, "ledger");
  gint64 sum = 0, charges = 0, refunds = 0, payments = 0;
  GList *members = json_object_get_members (o);

  /* Exactly these members. */
  g_assert_cmpuint (g_list_length (members), ==, 3);
  g_list_free (members);
  g_assert_cmpstr (json_object_get_string_member (o, "name"), ==, client);
  g_assert_cmpuint (json_array_get_length (ledger), >, 0);
  for (guint i = 0; i < json_array_get_length (ledger); i++)
    {
      JsonObject *e = json_array_get_object_element (ledger, i);
      const char *kind = json_object_get_string_member (e, "kind");
      gint64 amount = money (json_object_get_string_member (e, "amount"));
      GList *keys = json_object_get_members (e);

      g_assert_cmpuint (g_list_length (keys), ==, 4);
      g_list_free (keys);
      g_assert_true (g_str_has_suffix (json_object_get_string_member (e, "at"), "Z"));
      sum += amount;
      if (g_strcmp0 (kind, "charge") == 0)
        {
          g_assert_cmpint (amount, >, 0);
          g_assert_false (json_object_get_null_member (e, "order"));
          charges += amount;
        }
      else if (g_strcmp0 (kind, "refund") == 0)
        {
          g_assert_cmpint (amount, <, 0);
          g_assert_false (json_object_get_null_member (e, "order"));
          refunds -= amount;
        }
      else if (g_strcmp0 (kind, "payment") == 0)
        {
          g_assert_true (json_object_get_null_member (e, "order"));
          payments -= amount;
        }
    }
  g_test_message ("%s: charges %" G_GINT64_FORMAT ", refunds %" G_GINT64_FORMAT ", payments %"
                  G_GINT64_FORMAT, client, charges, refunds, payments);
  g_assert_cmpint (sum, ==, money (json_object_get_string_member (o, "balance")));
  g_assert_cmpint (charges - refunds - payments, ==, sum);
}

static void
test_ledger (void)
{
  g_auto(CliRun) run = { 0 };
  g_autoptr(JsonNode) before = NULL;
  g_autoptr(JsonNode) after = NULL;

  check_ledger ("Alice");
  check_ledger ("Bob Smith");

  before = cli_json ("client", "show", "Alice", "--json");
  run_cli (&run, NULL, "client", "pay", "Alice", "5.25", "--note", "bank transfer");
  g_assert_cmpint (run.status, ==, 0);
  cli_run_clear (&run);
  run_cli (&run, NULL, "client", "pay", "Alice", "-3");
  g_assert_cmpint (run.status, ==, 2);
  cli_run_clear (&run);
  /* Issue 8 (T8 #2): like the window, no fraction of a cent, never rounded;
   * grouped digits are read ("1,000.50"). */
  run_cli (&run, NULL, "client", "pay", "Alice", "12.345");
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "decimals"));
  cli_run_clear (&run);
  run_cli (&run, NULL, "client", "pay", "Alice", "1,000.50");
  g_assert_cmpint (run.status, ==, 0);
  cli_run_clear (&run);
  after = cli_json ("client", "show", "Alice", "--json");
  g_assert_cmpint (money (json_object_get_string_member (json_node_get_object (after), "balance")),
                   ==,
                   money (json_object_get_string_member (json_node_get_object (before), "balance"))
                   - 5250000 - 1000500000);
  check_ledger ("Alice");

  run_cli (&run, NULL, "client", "list");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Bob Smith"));
  cli_run_clear (&run);
  run_cli (&run, NULL, "client", "show", "Alice");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "bank transfer"));
}

/* Splits one RFC 4180 record; returns the number of fields. */
static guint
csv_fields (const char *line, GPtrArray *out)
{
  g_autoptr(GString) field = g_string_new (NULL);
  gboolean quoted = FALSE;

  for (const char *p = line; ; p++)
    {
      if (quoted)
        {
          g_assert_cmpint (*p, !=, '\0');
          if (*p == '"' && p[1] == '"')
            g_string_append_c (field, *p++);
          else if (*p == '"')
            quoted = FALSE;
          else
            g_string_append_c (field, *p);
          continue;
        }
      if (*p == '"')
        quoted = TRUE;
      else if (*p == ',' || *p == '\0')
        {
          g_ptr_array_add (out, g_strdup (field->str));
          g_string_truncate (field, 0);
          if (*p == '\0')
            break;
        }
      else
        g_string_append_c (field, *p);
    }
  return out->len;
}

static void
test_orders_output (void)
{
  g_auto(CliRun) run = { 0 };
  g_autoptr(JsonNode) all = cli_json ("orders", "--json");
  guint n_orders = json_array_get_length (json_node_get_array (all));
  g_auto(GStrv) lines = NULL;
  gboolean quoted_name = FALSE;

  run_cli (&run, NULL, "orders", "--csv");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "id,service,service_name,link,quantity,status,"
                                            "provider_status,provider,provider_order_id,"
                                            "start_count,remains,charge,cost,price,refunded,"
                                            "currency,client,error,created_at,updated_at\r\n"));
  lines = g_strsplit (run.out, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, n_orders + 2);   /* header, rows, "" */
  for (guint i = 1; i <= n_orders; i++)
    {
      g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);

      g_assert_cmpuint (csv_fields (lines[i], fields), ==, 20);
      if (strchr (lines[i], '"') != NULL)
        quoted_name = TRUE;
    }
  g_assert_true (quoted_name);   /* "Likes, fast" and the catalog's names with commas */
  cli_run_clear (&run);

  run_cli (&run, NULL, "orders", "--limit", "5");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpuint (count_lines (run.out, ""), ==, 5 + 2);
  g_assert_true (g_str_has_prefix (run.out, " ID  CREATED"));   /* ids are right-aligned */
  cli_run_clear (&run);

  run_cli (&run, NULL, "orders", "--status", "attention", "--provider", PROVIDER, "--json");
  g_assert_cmpint (run.status, ==, 0);
  cli_run_clear (&run);
  run_cli (&run, NULL, "orders", "--search", "solo.user", "--json");
  g_assert_cmpint (run.status, ==, 0);
  {
    g_autoptr(JsonNode) found = cli_parse_json (run.out);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (found)), ==, 1);
  }
  cli_run_clear (&run);

  /* A book that is not there yet is created, empty. */
  {
    g_autofree char *other = g_build_filename (fx.book->dir, "other.db", NULL);

    run_cli (&run, NULL, "orders", "--db", other);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.out, ==, "No orders.\n");
  }
}

/* report: the totals are the sums of `orders --json`, per client the ledger;
 * CSV has the same rows; bad periods are usage errors. */
static void
test_report (void)
{
  g_auto(CliRun) run = { 0 };
  g_autoptr(JsonNode) orders = cli_json ("orders", "--json", "--limit", "100000");
  g_autoptr(JsonNode) report = cli_json ("report", "--period", "today", "--by", "client", "--json");
  g_autoptr(JsonNode) empty = NULL;
  g_autoptr(GHashTable) charged_by_client = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  JsonArray *list = json_node_get_array (orders);
  JsonObject *r = json_node_get_object (report);
  JsonObject *by_status = json_object_get_object_member (r, "by_status");
  JsonArray *rows = json_object_get_array_member (r, "rows");
  gint64 charged = 0, refunded = 0, n_rows_orders = 0, rows_profit = 0;
  g_autoptr(GHashTable) statuses = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto(GStrv) lines = NULL;

  g_assert_cmpuint (json_array_get_length (list), >, 0);
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *o = json_array_get_object_element (list, i);
      const char *status = json_object_get_string_member (o, "status");
      const char *client = json_object_get_string_member_with_default (o, "client", NULL);
      gint64 *sum;

      charged += money (json_object_get_string_member (o, "price"));
      refunded += money (json_object_get_string_member (o, "refunded"));
      g_hash_table_insert (statuses, (gpointer) status,
                           GINT_TO_POINTER (GPOINTER_TO_INT (g_hash_table_lookup (statuses, status)) + 1));
      if (client == NULL)
        client = "";
      sum = g_hash_table_lookup (charged_by_client, client);
      if (sum == NULL)
        {
          sum = g_new0 (gint64, 1);
          g_hash_table_insert (charged_by_client, g_strdup (client), sum);
        }
      *sum += money (json_object_get_string_member (o, "price"))
              - money (json_object_get_string_member (o, "refunded"));
    }
  g_assert_cmpstr (json_object_get_string_member (r, "currency"), ==, "USD");
  g_assert_cmpint (json_object_get_int_member (r, "orders"), ==, json_array_get_length (list));
  g_assert_cmpint (money (json_object_get_string_member (r, "charged")), ==, charged);
  g_assert_cmpint (money (json_object_get_string_member (r, "refunded")), ==, refunded);
  g_assert_cmpint (money (json_object_get_string_member (r, "profit")), ==,
                   charged - refunded - money (json_object_get_string_member (r, "cost")));
  g_assert_cmpint (money (json_object_get_string_member (r, "cost")), >, 0);
  {
    GList *names = json_object_get_members (by_status);

    g_assert_cmpuint (g_list_length (names), ==, 11);
    for (GList *m = names; m != NULL; m = m->next)
      g_assert_cmpint (json_object_get_int_member (by_status, m->data), ==,
                       GPOINTER_TO_INT (g_hash_table_lookup (statuses, m->data)));
    g_list_free (names);
  }
  g_assert_cmpuint (json_array_get_length (rows), >=, 2);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      const char *key = json_object_get_string_member (row, "key");
      gint64 *kept = g_hash_table_lookup (charged_by_client, key);

      g_assert_nonnull (kept);
      g_assert_cmpint (money (json_object_get_string_member (row, "charged"))
                       - money (json_object_get_string_member (row, "refunded")), ==, *kept);
      n_rows_orders += json_object_get_int_member (row, "orders");
      rows_profit += money (json_object_get_string_member (row, "profit"));
    }
  g_assert_cmpint (n_rows_orders, ==, json_array_get_length (list));
  g_assert_cmpint (rows_profit, ==, money (json_object_get_string_member (r, "profit")));

  /* CSV: a header, then the same rows. */
  run_cli (&run, NULL, "report", "--period", "today", "--csv");
  g_assert_cmpint (run.status, ==, 0);
  lines = g_strsplit (run.out, "\r\n", -1);
  g_assert_cmpstr (lines[0], ==, "key,id,currency,orders,charged,refunded,cost,profit,margin");
  g_assert_cmpuint (g_strv_length (lines), ==, json_array_get_length (rows) + 2);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
      JsonObject *row = json_array_get_object_element (rows, i);

      g_assert_cmpuint (csv_fields (lines[i + 1], fields), ==, 9);
      g_assert_cmpstr (g_ptr_array_index (fields, 0), ==, json_object_get_string_member (row, "key"));
      g_assert_cmpstr (g_ptr_array_index (fields, 4), ==, json_object_get_string_member (row, "charged"));
      g_assert_cmpstr (g_ptr_array_index (fields, 7), ==, json_object_get_string_member (row, "profit"));
    }
  cli_run_clear (&run);

  /* For people, by day, and a period with nothing in it. */
  run_cli (&run, NULL, "report", "--by", "day");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Total"));
  cli_run_clear (&run);
  empty = cli_json ("report", "--from", "2001-01-01", "--to", "2001-01-31", "--json");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (empty), "orders"), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (empty), "charged"), ==, "0.00");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (empty), "to"), ==, "2001-01-31");

  run_cli (&run, NULL, "report", "--period", "9d");
  g_assert_cmpint (run.status, ==, 2);
  cli_run_clear (&run);
  run_cli (&run, NULL, "report", "--from", "2026-02-30");
  g_assert_cmpint (run.status, ==, 2);
  cli_run_clear (&run);
  run_cli (&run, NULL, "report", "--from", "2026-03-02", "--to", "2026-03-01");
  g_assert_cmpint (run.status, ==, 2);
  cli_run_clear (&run);
  run_cli (&run, NULL, "report", "--json", "--csv");
  g_assert_cmpint (run.status, ==, 2);
  cli_run_clear (&run);
  run_cli (&run, NULL, "report", "--by", "week");
  g_assert_cmpint (run.status, ==, 2);
}

/* provider check --json: the steps in order, each pass, warn or fail, and the
 * exit status 1 exactly when one failed; a refused key fails it. */
static void
check_steps (const char *out, int status, const char *must_fail)
{
  static const char * const names[] = { "key", "services", "mapping", "margin", "limits", "balance",
                                        "status", "refill_cancel", "errors" };
  g_autoptr(JsonNode) node = cli_parse_json (out);
  JsonObject *o = json_node_get_object (node);
  JsonArray *steps = json_object_get_array_member (o, "steps");
  gboolean failed = FALSE;

  g_assert_cmpstr (json_object_get_string_member (o, "provider"), ==, PROVIDER);
  g_assert_cmpuint (json_array_get_length (steps), ==, G_N_ELEMENTS (names));
  for (guint i = 0; i < json_array_get_length (steps); i++)
    {
      JsonObject *step = json_array_get_object_element (steps, i);
      const char *result = json_object_get_string_member (step, "result");

      g_assert_cmpstr (json_object_get_string_member (step, "name"), ==, names[i]);
      g_assert_true (g_str_equal (result, "pass") || g_str_equal (result, "warn") ||
                     g_str_equal (result, "fail"));
      g_assert_nonnull (json_object_get_string_member (step, "detail"));
      g_assert_null (strstr (json_object_get_string_member (step, "detail"), SIM_KEY));
      failed |= g_str_equal (result, "fail");
      if (must_fail != NULL && g_str_equal (names[i], must_fail))
        g_assert_cmpstr (result, ==, "fail");
    }
  g_assert_cmpint (status, ==, failed ? 1 : 0);
  if (must_fail != NULL)
    g_assert_true (failed);
}

static void
test_provider_check (void)
{
  g_auto(CliRun) run = { 0 };

  run_cli (&run, NULL, "provider", "check", PROVIDER, "--json");
  check_steps (run.out, run.status, NULL);
  cli_run_clear (&run);

  /* The next request (the balance, i.e. the key) gets {"error": …}. */
  cli_sim_control (fx.sim, "fault", "error_json");
  run_cli (&run, NULL, "provider", "check", PROVIDER, "--json");
  check_steps (run.out, run.status, "key");
  g_assert_cmpint (run.status, ==, 1);
  cli_run_clear (&run);

  run_cli (&run, NULL, "provider", "check", PROVIDER);
  g_assert_true (run.status == 0 || run.status == 1);
  g_assert_nonnull (strstr (run.out, "refill_cancel"));
  cli_run_clear (&run);
  run_cli (&run, NULL, "provider", "check", PROVIDER, "https://www.instagram.com/p/x/", "10");
  g_assert_cmpint (run.status, ==, 2);
  cli_run_clear (&run);
  run_cli (&run, NULL, "provider", "check", PROVIDER, "--test-order", "1");
  g_assert_cmpint (run.status, ==, 2);
  cli_run_clear (&run);
  run_cli (&run, NULL, "provider", "check", "No such panel");
  g_assert_cmpint (run.status, ==, 1);
}

static guint
n_json_array (JsonNode *node)
{
  return json_array_get_length (json_node_get_array (node));
}

/* The orders whose link is @link: in our book and at the simulator. */
static guint
sim_orders_with_link (const char *link)
{
  g_autoptr(JsonNode) theirs = http_json ("GET", "/sim/orders", NULL);
  JsonArray *array = json_node_get_array (theirs);
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (array); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (array, i),
                                                  "link"), link) == 0)
      n++;
  return n;
}

static void
test_mass_order_csv (void)
{
  g_autofree char *path = g_build_filename (fx.book->dir, "orders.csv", NULL);
  g_autofree char *bad_path = g_build_filename (fx.book->dir, "bad-header.csv", NULL);
  g_autoptr(JsonNode) orders_before = cli_json ("orders", "--json");
  g_autoptr(JsonNode) clients_before = cli_json ("client", "list", "--json");
  g_autoptr(JsonNode) orders_after = NULL;
  g_autoptr(JsonNode) clients_after = NULL;
  g_autoptr(JsonObject) o = NULL;
  g_auto(CliRun) run = { 0 };
  g_autofree char *line = NULL;
  gint64 alice_order, bob_order, drip_order;
  /* A panel's export: BOM, CRLF, columns in its own order, names in its own
   * case, a column of its own (Charge), a quoted field with a line break. */
  const char *csv =
    "\xEF\xBB\xBF" "Link,Quantity,Service ID,Charge,Client,Runs,Interval\r\n"
    "https://www.tiktok.com/@csv_user/video/7200000101,1000,3,0.05,Alice,,\r\n"       /* 2: Alice */
    "https://www.tiktok.com/@csv_user/video/7200000102,1000,3,0.05,Nobody,,\r\n"      /* 3: no such client */
    "https://www.tiktok.com/@csv_user/video/7200000103,\"1,000\",3,0.05,,,\r\n"       /* 4: bad quantity */
    "\"https://www.tiktok.com/@csv_user/video/7200000104\",1000,3,\"0,05\",,,\r\n"    /* 5: the default client */
    "https://instagram.com/csv_drip,100,5,0.36,\"Bob Smith\",3,10\r\n"     /* 6: drip-feed */
    "\"note\nover two lines\",,,,,,\r\n"                                    /* 7-8: no service */
    "https://www.tiktok.com/@csv_user/video/7200000109,1000,3,0.05,,x,\r\n";          /* 9: bad runs */

  g_assert_true (g_file_set_contents (path, csv, -1, NULL));
  run_cli (&run, NULL, "mass-order", "--csv", path, "--client", "Bob Smith");
  g_assert_cmpint (run.status, ==, 1);   /* lines were refused */
  g_assert_nonnull (strstr (run.out, "line 3: there is no client named “Nobody”"));
  g_assert_nonnull (strstr (run.out, "line 4: quantity “1,000” is not a whole number"));
  line = find_line (run.out, "line 7: ");
  g_assert_nonnull (line);
  g_clear_pointer (&line, g_free);
  g_assert_nonnull (strstr (run.out, "line 9: runs “x” is not a whole number"));
  g_assert_nonnull (strstr (run.out, "3 of 7 lines sent, 4 refused"));
  line = find_line (run.out, "line 2: order ");
  g_assert_nonnull (line);
  g_assert_nonnull (strstr (line, " sent ("));
  alice_order = g_ascii_strtoll (line + strlen ("line 2: order "), NULL, 10);
  g_clear_pointer (&line, g_free);
  line = find_line (run.out, "line 5: order ");
  g_assert_nonnull (line);
  bob_order = g_ascii_strtoll (line + strlen ("line 5: order "), NULL, 10);
  g_clear_pointer (&line, g_free);
  line = find_line (run.out, "line 6: order ");
  g_assert_nonnull (line);
  drip_order = g_ascii_strtoll (line + strlen ("line 6: order "), NULL, 10);
  cli_run_clear (&run);

  /* Exactly the three good lines were recorded, each for its client. */
  orders_after = cli_json ("orders", "--json");
  g_assert_cmpuint (n_json_array (orders_after), ==, n_json_array (orders_before) + 3);
  o = order_json (alice_order);
  g_assert_cmpstr (json_object_get_string_member (o, "client"), ==, "Alice");
  g_clear_pointer (&o, json_object_unref);
  o = order_json (bob_order);
  g_assert_cmpstr (json_object_get_string_member (o, "client"), ==, "Bob Smith");
  g_clear_pointer (&o, json_object_unref);
  o = order_json (drip_order);
  g_assert_cmpstr (json_object_get_string_member (o, "client"), ==, "Bob Smith");
  g_assert_cmpint (json_object_get_int_member (o, "runs"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (o, "interval"), ==, 10);
  g_clear_pointer (&o, json_object_unref);
  /* An unknown client is never made up. */
  clients_after = cli_json ("client", "list", "--json");
  g_assert_cmpuint (n_json_array (clients_after), ==, n_json_array (clients_before));

  /* Sent once each; a dispatch afterwards sends nothing again. */
  run_cli (&run, NULL, "dispatch");
  g_assert_cmpint (run.status, ==, 0);
  cli_run_clear (&run);
  g_assert_cmpuint (sim_orders_with_link ("https://www.tiktok.com/@csv_user/video/7200000101"), ==, 1);
  g_assert_cmpuint (sim_orders_with_link ("https://www.tiktok.com/@csv_user/video/7200000104"), ==, 1);
  g_assert_cmpuint (sim_orders_with_link ("https://instagram.com/csv_drip"), ==, 1);
  g_assert_cmpuint (sim_orders_with_link ("https://www.tiktok.com/@csv_user/video/7200000102"), ==, 0);

  /* A drip-feed line costs every run: 3 × 100 at 1.20 per 1,000. */
  run_cli (&run, "service,link,quantity,runs,interval\n5,https://instagram.com/csv_drip2,100,3,10\n",
           "mass-order", "--csv", "-", "--dry-run", "--json");
  g_assert_cmpint (run.status, ==, 0);
  {
    g_autoptr(JsonNode) node = cli_parse_json (run.out);
    JsonObject *root = json_node_get_object (node);
    JsonObject *l = json_array_get_object_element (json_object_get_array_member (root, "lines"), 0);

    g_assert_cmpstr (json_object_get_string_member (l, "price"), ==, "0.36");
    g_assert_cmpstr (json_object_get_string_member (root, "total"), ==, "0.36");
  }
  cli_run_clear (&run);

  /* `;` as the separator, and JSON. */
  run_cli (&run, "service;link;quantity\n3;https://www.tiktok.com/@csv_user/video/7200000110;0\n",
           "mass-order", "--csv", "-", "--json");
  g_assert_cmpint (run.status, ==, 1);
  {
    g_autoptr(JsonNode) node = cli_parse_json (run.out);
    JsonObject *root = json_node_get_object (node);
    JsonObject *l = json_array_get_object_element (json_object_get_array_member (root, "lines"), 0);

    g_assert_cmpint (json_object_get_int_member (root, "refused"), ==, 1);
    g_assert_cmpint (json_object_get_int_member (l, "line"), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (l, "error"), ==,
                     "the quantity must be at least 1");
  }
  cli_run_clear (&run);

  /* A header without a link column: nothing is recorded. */
  g_assert_true (g_file_set_contents (bad_path, "service,quantity\n3,1000\n", -1, NULL));
  run_cli (&run, NULL, "mass-order", "--csv", bad_path);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "no link column"));
  cli_run_clear (&run);
  run_cli (&run, NULL, "mass-order", "--csv", bad_path, path);
  g_assert_cmpint (run.status, ==, 2);
  cli_run_clear (&run);
  {
    g_autoptr(JsonNode) last = cli_json ("orders", "--json");
    g_assert_cmpuint (n_json_array (last), ==, n_json_array (orders_before) + 3);
  }
}

/* The statement of @client as JSON, checked against itself: the lines sum to
 * the totals and opening + charged − refunded − paid = closing. */
static JsonNode *
statement_json (const char *client, const char *from, const char *to)
{
  g_auto(CliRun) run = { 0 };
  JsonNode *node;
  JsonObject *st;
  JsonArray *orders, *payments;
  gint64 charged = 0, refunded = 0, paid = 0;

  if (from != NULL)
    run_cli (&run, NULL, "client", "statement", client, "--json", "--from", from, "--to", to);
  else
    run_cli (&run, NULL, "client", "statement", client, "--json");
  g_assert_cmpint (run.status, ==, 0);
  node = cli_parse_json (run.out);
  st = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (st, "client"), ==, client);
  orders = json_object_get_array_member (st, "orders");
  payments = json_object_get_array_member (st, "payments");
  for (guint i = 0; i < json_array_get_length (orders); i++)
    {
      JsonObject *o = json_array_get_object_element (orders, i);

      charged += money (json_object_get_string_member (o, "charged"));
      refunded += money (json_object_get_string_member (o, "refunded"));
    }
  for (guint i = 0; i < json_array_get_length (payments); i++)
    paid += money (json_object_get_string_member (json_array_get_object_element (payments, i),
                                                  "amount"));
  g_assert_cmpint (charged, ==, money (json_object_get_string_member (st, "charged")));
  g_assert_cmpint (refunded, ==, money (json_object_get_string_member (st, "refunded")));
  g_assert_cmpint (paid, ==, money (json_object_get_string_member (st, "paid")));
  g_assert_cmpint (money (json_object_get_string_member (st, "opening")) + charged - refunded - paid,
                   ==, money (json_object_get_string_member (st, "closing")));
  return node;
}

static void
test_client_statement (void)
{
  g_autoptr(JsonNode) show = NULL;
  g_autoptr(JsonNode) all = NULL;
  g_autoptr(JsonNode) today_node = NULL;
  g_autoptr(JsonNode) later_node = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (now, 1);
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *next_day = g_date_time_format (tomorrow, "%Y-%m-%d");
  g_autofree char *closing_row = NULL;
  g_auto(CliRun) run = { 0 };
  JsonObject *st;
  JsonArray *ledger;
  gint64 ledger_charges = 0, ledger_refunds = 0, ledger_payments = 0;
  const char *note = "=HYPERLINK(\"http://evil.example/?a,b\",\"click\")";

  /* A note a spreadsheet would run, with a comma and quotes in it. */
  run_cli (&run, NULL, "client", "pay", "Alice", "0.01", "--note", note);
  g_assert_cmpint (run.status, ==, 0);
  cli_run_clear (&run);

  /* The whole history: the statement is the ledger, to the micro-unit. */
  show = cli_json ("client", "show", "Alice", "--json");
  ledger = json_object_get_array_member (json_node_get_object (show), "ledger");
  for (guint i = 0; i < json_array_get_length (ledger); i++)
    {
      JsonObject *e = json_array_get_object_element (ledger, i);
      const char *kind = json_object_get_string_member (e, "kind");
      gint64 amount = money (json_object_get_string_member (e, "amount"));

      if (g_str_equal (kind, "charge"))
        ledger_charges += amount;
      else if (g_str_equal (kind, "refund"))
        ledger_refunds -= amount;
      else
        ledger_payments -= amount;
    }
  all = statement_json ("Alice", NULL, NULL);
  st = json_node_get_object (all);
  g_assert_cmpint (ledger_charges, >, 0);
  g_assert_cmpint (ledger_refunds, >, 0);
  g_assert_cmpint (ledger_payments, >, 0);
  g_assert_cmpint (money (json_object_get_string_member (st, "opening")), ==, 0);
  g_assert_cmpint (money (json_object_get_string_member (st, "charged")), ==, ledger_charges);
  g_assert_cmpint (money (json_object_get_string_member (st, "refunded")), ==, ledger_refunds);
  g_assert_cmpint (money (json_object_get_string_member (st, "paid")), ==, ledger_payments);
  g_assert_cmpstr (json_object_get_string_member (st, "closing"), ==,
                   json_object_get_string_member (json_node_get_object (show), "balance"));
  g_assert_cmpstr (json_object_get_string_member (st, "currency"), ==, "USD");
  {
    g_autoptr(JsonNode) alice_orders = cli_json ("orders", "--json", "--client", "Alice");

    /* Every order of Alice's was charged: each has its line. */
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (st, "orders")), ==,
                      n_json_array (alice_orders));
  }

  /* Today holds everything; from tomorrow on, the opening is the balance. */
  today_node = statement_json ("Alice", today, today);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (today_node), "closing"),
                   ==, json_object_get_string_member (st, "closing"));
  later_node = statement_json ("Alice", next_day, next_day);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (later_node), "opening"),
                   ==, json_object_get_string_member (st, "closing"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (later_node), "orders")), ==, 0);

  /* CSV: the balances and the note, quoted and guarded against formulas. */
  run_cli (&run, NULL, "client", "statement", "Alice", "--csv");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "date,type,order,service,link,quantity,status,charged,"
                                            "refunded,paid,balance,currency,note\r\n"));
  g_assert_nonnull (strstr (run.out, "\r\n,opening_balance,,,,,,,,,0.00,USD,\r\n"));
  closing_row = g_strdup_printf ("\r\n,closing_balance,,,,,,%s,%s,%s,%s,USD,\r\n",
                                 json_object_get_string_member (st, "charged"),
                                 json_object_get_string_member (st, "refunded"),
                                 json_object_get_string_member (st, "paid"),
                                 json_object_get_string_member (st, "closing"));
  g_assert_nonnull (strstr (run.out, closing_row));
  g_assert_true (g_str_has_suffix (run.out, closing_row + 2));
  g_assert_nonnull (strstr (run.out,
                            ",USD,\"'=HYPERLINK(\"\"http://evil.example/?a,b\"\",\"\"click\"\")\"\r\n"));
  g_assert_null (strstr (run.out, ",=HYPERLINK"));
  cli_run_clear (&run);

  /* A client whose only order is not sent yet: the currency its provider
   * gives it, not an empty column. */
  run_cli (&run, NULL, "client", "add", "Queued Only");
  g_assert_cmpint (run.status, ==, 0);
  cli_run_clear (&run);
  run_cli (&run, NULL, "order", "add", "1", "https://instagram.com/queued.only", "150", "--client",
           "Queued Only", "--no-send");
  g_assert_cmpint (run.status, ==, 0);
  cli_run_clear (&run);
  run_cli (&run, NULL, "client", "statement", "Queued Only", "--csv");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "\r\n,opening_balance,,,,,,,,,0.00,USD,\r\n"));
  g_assert_null (strstr (run.out, ",,\r\n"));   /* no row ends with an empty currency and note */
  cli_run_clear (&run);

  run_cli (&run, NULL, "client", "statement", "Alice", "--csv", "--json");
  g_assert_cmpint (run.status, ==, 2);
  cli_run_clear (&run);
  run_cli (&run, NULL, "client", "statement", "Alice", "--from", "2026-13-01");
  g_assert_cmpint (run.status, ==, 2);
  cli_run_clear (&run);
  run_cli (&run, NULL, "client", "statement", "Nobody");
  g_assert_cmpint (run.status, ==, 1);
}

int
main (int argc, char **argv)
{
  int status;

  fx.book = cli_test_init (&argc, &argv, "test-cli-XXXXXX");
  if (fx.book == NULL)
    return g_test_run ();
  fx.services = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) json_object_unref);
  fx.sim = cli_sim_start ("--speed", "200", "--seed", "7", NULL);

  g_test_add_func ("/cli/usage", test_usage);
  g_test_add_func ("/cli/provider", test_provider);
  g_test_add_func ("/cli/services-sync", test_services_sync);
  g_test_add_func ("/cli/service-map", test_service_map);
  g_test_add_func ("/cli/clients", test_clients);
  g_test_add_func ("/cli/mass-order", test_mass_order);
  g_test_add_func ("/cli/order", test_order);
  g_test_add_func ("/cli/order-add-sends-only-it", test_order_add_sends_only_it);
  g_test_add_func ("/cli/order-kinds", test_order_kinds);
  g_test_add_func ("/cli/dispatch-watch", test_dispatch_watch);
  g_test_add_func ("/cli/sync-watch", test_sync_watch);
  g_test_add_func ("/cli/compare-with-sim", test_compare_with_sim);
  g_test_add_func ("/cli/refill-cancel", test_refill_cancel);
  g_test_add_func ("/cli/ledger", test_ledger);
  g_test_add_func ("/cli/orders-output", test_orders_output);
  g_test_add_func ("/cli/report", test_report);
  g_test_add_func ("/cli/provider-check", test_provider_check);
  g_test_add_func ("/cli/mass-order-csv", test_mass_order_csv);
  g_test_add_func ("/cli/client-statement", test_client_statement);
  status = g_test_run ();

  g_clear_pointer (&fx.sim, cli_sim_free);
  g_clear_pointer (&fx.services, g_hash_table_unref);
  g_clear_pointer (&fx.book, cli_book_free);
  return status;
}
