/* SPDX-License-Identifier: GPL-3.0-or-later */
/* smm-relay-cli in a Russian locale (decimal comma): what scripts read back —
 * --csv — keeps the C form, so a Russian user's CSV opens like anyone's. */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <gio/gio.h>
#include <glib/gstdio.h>

typedef struct
{
  GSubprocess *sim;
  char        *api_url;
  char        *dir;
  char        *db;
  char        *keys;
} Fixture;

/* Runs the CLI on the fixture's book with @locale (NULL: the test's own) and
 * returns its stdout; the exit status must be 0. */
static char *
cli (Fixture *f, const char *locale, const char *input, ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *arg;
  va_list ap;

  g_ptr_array_add (args, (gpointer) g_getenv ("SMM_RELAY_CLI"));
  g_ptr_array_add (args, "--db");
  g_ptr_array_add (args, f->db);
  va_start (ap, input);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  g_subprocess_launcher_setenv (launcher, "SMM_RELAY_KEYS", f->keys, TRUE);
  if (locale != NULL)
    {
      g_subprocess_launcher_setenv (launcher, "LC_ALL", locale, TRUE);
      g_subprocess_launcher_setenv (launcher, "LANGUAGE", "ru", TRUE);
    }
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) args->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, input, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_test_message ("$ smm-relay-cli %s …\n%s%s", (char *) args->pdata[3], out, err);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
  return g_steal_pointer (&out);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) in = NULL;
  g_autoptr(GRegex) url = g_regex_new ("admin at (http://127\\.0\\.0\\.1:\\d+)/", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *line = NULL;
  g_autofree char *base = NULL;

  f->dir = g_dir_make_tmp ("smm-relay-locale-XXXXXX", &error);
  g_assert_no_error (error);
  f->db = g_build_filename (f->dir, "book.db", NULL);
  f->keys = g_build_filename (f->dir, "keys", NULL);
  f->sim = g_subprocess_new (G_SUBPROCESS_FLAGS_STDERR_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                             g_getenv ("SMM_RELAY_SIM"), "--port", "0", "--speed", "100", NULL);
  g_assert_no_error (error);
  in = g_data_input_stream_new (g_subprocess_get_stderr_pipe (f->sim));
  line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_regex_match (url, line, 0, &match));
  base = g_match_info_fetch (match, 1);
  f->api_url = g_strconcat (base, "/api/v2", NULL);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_autofree char *wal = g_strconcat (f->db, "-wal", NULL);
  g_autofree char *shm = g_strconcat (f->db, "-shm", NULL);

  g_subprocess_force_exit (f->sim);
  g_subprocess_wait (f->sim, NULL, NULL);
  g_clear_object (&f->sim);
  g_remove (f->db);
  g_remove (wal);
  g_remove (shm);
  g_remove (f->keys);
  g_rmdir (f->dir);
  g_free (f->api_url);
  g_free (f->db);
  g_free (f->keys);
  g_free (f->dir);
}

/* Issue 11: report --csv printed the margin with the locale's decimal mark
 * ("33,3" under ru_RU), one field too many for every spreadsheet. */
static void
test_report_csv_keeps_dot (Fixture *f, gconstpointer data)
{
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) fields = NULL;

  if (setlocale (LC_NUMERIC, "ru_RU.UTF-8") == NULL)
    {
      g_test_skip ("no ru_RU.UTF-8 locale on this machine (localedef -i ru_RU -f UTF-8 ru_RU.UTF-8)");
      return;
    }
  setlocale (LC_NUMERIC, "C");

  g_free (cli (f, NULL, "demo-key\n", "provider", "add", "Demo", f->api_url, "--key-file", "-", NULL));
  g_free (cli (f, NULL, NULL, "services", "sync", "Demo", NULL));
  g_free (cli (f, NULL, NULL, "service", "map", "1", "Demo", "101", "--price", "1.35", NULL));
  g_free (cli (f, NULL, NULL, "client", "add", "Acme", NULL));
  g_free (cli (f, NULL, NULL, "order", "add", "1", "https://www.instagram.com/acme/", "1000",
               "--client", "Acme", NULL));

  out = cli (f, "ru_RU.UTF-8", NULL, "report", "--csv", NULL);
  lines = g_strsplit (out, "\r\n", -1);  /* RFC 4180 */
  g_assert_cmpstr (lines[0], ==, "key,id,currency,orders,charged,refunded,cost,profit,margin");
  g_assert_nonnull (lines[1]);
  fields = g_strsplit (lines[1], ",", -1);
  g_assert_cmpuint (g_strv_length (fields), ==, 9);
  g_assert_cmpstr (fields[0], ==, "Acme");
  g_assert_cmpstr (fields[4], ==, "1.35");
  g_assert_nonnull (strchr (fields[8], '.'));
}

/* What people read follows the locale: the client's balance and the report's
 * money read "1,35" under ru_RU; --json keeps "1.35". */
static void
test_text_follows_locale (Fixture *f, gconstpointer data)
{
  g_autofree char *show = NULL;
  g_autofree char *json = NULL;
  g_autofree char *report = NULL;

  if (setlocale (LC_NUMERIC, "ru_RU.UTF-8") == NULL)
    {
      g_test_skip ("no ru_RU.UTF-8 locale on this machine (localedef -i ru_RU -f UTF-8 ru_RU.UTF-8)");
      return;
    }
  setlocale (LC_NUMERIC, "C");

  g_free (cli (f, NULL, "demo-key\n", "provider", "add", "Demo", f->api_url, "--key-file", "-", NULL));
  g_free (cli (f, NULL, NULL, "services", "sync", "Demo", NULL));
  g_free (cli (f, NULL, NULL, "service", "map", "1", "Demo", "101", "--price", "1.35", NULL));
  g_free (cli (f, NULL, NULL, "client", "add", "Acme", NULL));
  g_free (cli (f, NULL, NULL, "order", "add", "1", "https://www.instagram.com/acme/", "1000",
               "--client", "Acme", NULL));

  show = cli (f, "ru_RU.UTF-8", NULL, "client", "show", "Acme", NULL);
  json = cli (f, "ru_RU.UTF-8", NULL, "client", "show", "Acme", "--json", NULL);
  report = cli (f, "ru_RU.UTF-8", NULL, "report", NULL);
  g_assert_nonnull (strstr (show, "1,35"));
  g_assert_null (strstr (show, "1.35"));
  g_assert_nonnull (strstr (report, "1,35"));
  g_assert_nonnull (strstr (json, "1.35"));
  g_assert_null (strstr (json, "1,35"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/cli-locale/report-csv-keeps-dot", Fixture, NULL, fixture_set_up,
              test_report_csv_keeps_dot, fixture_tear_down);
  g_test_add ("/cli-locale/text-follows-locale", Fixture, NULL, fixture_set_up,
              test_text_follows_locale, fixture_tear_down);
  return g_test_run ();
}
