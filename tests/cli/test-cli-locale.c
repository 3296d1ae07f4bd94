/* SPDX-License-Identifier: GPL-3.0-or-later */
/* smm-relay-cli in a Russian locale (decimal comma): what scripts read back —
 * --csv — keeps the C form, so a Russian user's CSV opens like anyone's. */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <gio/gio.h>

#include "cli-run.h"
#include "cli-sim.h"

typedef struct
{
  CliSim  *sim;
  CliBook *book;
} Fixture;

/* Runs the CLI on the fixture's book with @locale (NULL: the test's own) and
 * returns its stdout; the exit status must be 0. */
static char *
cli (Fixture *f, const char *locale, const char *input, ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_auto(CliRun) run = { 0 };
  const char *arg;
  va_list ap;

  va_start (ap, input);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  cli_runner_setenv (f->book->cli, "LC_ALL", locale);
  cli_runner_setenv (f->book->cli, "LANGUAGE", locale != NULL ? "ru" : NULL);
  cli_runner_runv (f->book->cli, &run, input, (const char * const *) args->pdata);
  g_assert_cmpint (run.status, ==, 0);   /* -1 when it did not exit */
  return g_steal_pointer (&run.out);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autofree char *keys = NULL;

  f->sim = cli_sim_start ("--speed", "100", NULL);
  f->book = cli_book_new ("smm-relay-locale-XXXXXX");
  keys = g_build_filename (f->book->dir, "keys", NULL);
  cli_runner_setenv (f->book->cli, "SMM_RELAY_KEYS", keys);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_pointer (&f->sim, cli_sim_free);
  g_clear_pointer (&f->book, cli_book_free);
}

/* FALSE (the test skipped) when this machine has no ru_RU.UTF-8 locale. */
static gboolean
have_ru_locale (void)
{
  if (setlocale (LC_NUMERIC, "ru_RU.UTF-8") == NULL)
    {
      g_test_skip ("no ru_RU.UTF-8 locale on this machine (localedef -i ru_RU -f UTF-8 ru_RU.UTF-8)");
      return FALSE;
    }
  setlocale (LC_NUMERIC, "C");
  return TRUE;
}

/* The provider, its catalog, service 1 at 1.35 and an order of 1,000 of it
 * for the client Acme. */
static void
fill_book (Fixture *f)
{
  g_free (cli (f, NULL, "demo-key\n", "provider", "add", "Demo", f->sim->url, "--key-file", "-", NULL));
  g_free (cli (f, NULL, NULL, "services", "sync", "Demo", NULL));
  g_free (cli (f, NULL, NULL, "service", "map", "1", "Demo", "101", "--price", "1.35", NULL));
  g_free (cli (f, NULL, NULL, "client", "add", "Acme", NULL));
  g_free (cli (f, NULL, NULL, "order", "add", "1", "https://www.instagram.com/acme/", "1000",
               "--client", "Acme", NULL));
}

/* Issue 11: report --csv printed the margin with the locale's decimal mark
 * ("33,3" under ru_RU), one field too many for every spreadsheet. */
static void
test_report_csv_keeps_dot (Fixture *f, gconstpointer data)
{
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) fields = NULL;

  if (!have_ru_locale ())
    return;
  fill_book (f);

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

  if (!have_ru_locale ())
    return;
  fill_book (f);

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
