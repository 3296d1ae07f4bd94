/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The translations are complete and the source lets them be: every po/LINGUAS
 * file passes `msgfmt --check` with 0 fuzzy and 0 untranslated messages and
 * translates every message of a .pot made now from po/POTFILES.in; every file
 * with translatable strings is in POTFILES.in; no message is cut by a format
 * macro xgettext cannot read; no count is written into a singular sentence. */
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>

typedef struct
{
  char *out;
  char *err;
  int   status;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

/* Runs @argv in @cwd; fails the test when it cannot be started. */
static void
run_program (const char *cwd, const char *const *argv, Run *run)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *command = g_strjoinv (" ", (char **) argv);

  memset (run, 0, sizeof *run);
  g_spawn_sync (cwd, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                &run->out, &run->err, &run->status, &error);
  g_assert_no_error (error);
  g_test_message ("$ %s -> %d\n%s", command, run->status, run->err);
}

static char *
source_root (void)
{
  return g_canonicalize_filename ("..", g_test_get_dir (G_TEST_DIST));
}

/* The languages of po/LINGUAS, in order. */
static GPtrArray *
linguas (const char *root)
{
  g_autofree char *path = g_build_filename (root, "po", "LINGUAS", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *langs = g_ptr_array_new_with_free_func (g_free);

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) words = g_strsplit_set (g_strstrip (lines[i]), " \t", -1);

      if (lines[i][0] == '#')
        continue;
      for (guint j = 0; words[j] != NULL; j++)
        if (words[j][0] != '\0')
          g_ptr_array_add (langs, g_strdup (words[j]));
    }
  return langs;
}

/* The .pot of the tree as it is now, the way the smm-relay-pot target makes
 * it (meson's glib preset), in a temporary folder; xgettext's warnings are
 * returned in @warnings. */
static char *
fresh_pot (const char *root, const char *tmp, char **warnings)
{
  char *pot = g_build_filename (tmp, "fresh.pot", NULL);
  const char *argv[] = {
    "xgettext", "--package-name=smm-relay", "-D", root, "-f", "po/POTFILES.in",
    "-k_", "-o", pot, "--from-code=UTF-8", "--add-comments",
    "--keyword=_", "--keyword=N_", "--keyword=C_:1c,2", "--keyword=NC_:1c,2",
    "--keyword=g_dcgettext:2", "--keyword=g_dngettext:2,3", "--keyword=g_dpgettext2:2c,3",
    "--flag=N_:1:pass-c-format", "--flag=C_:2:pass-c-format", "--flag=NC_:2:pass-c-format",
    "--flag=g_dngettext:2:pass-c-format", "--flag=g_strdup_printf:1:c-format",
    "--flag=g_string_printf:2:c-format", "--flag=g_string_append_printf:2:c-format",
    "--flag=g_error_new:3:c-format", "--flag=g_set_error:4:c-format",
    "--flag=g_markup_printf_escaped:1:c-format", "--flag=g_log:3:c-format",
    "--flag=g_print:1:c-format", "--flag=g_printerr:1:c-format", "--flag=g_printf:1:c-format",
    "--flag=g_fprintf:2:c-format", "--flag=g_sprintf:2:c-format", "--flag=g_snprintf:3:c-format",
    NULL
  };
  Run run;

  run_program (root, argv, &run);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_file_test (pot, G_FILE_TEST_EXISTS));
  *warnings = g_steal_pointer (&run.err);
  run_clear (&run);
  return pot;
}

/* msgfmt --check --statistics: "N translated messages, M fuzzy translations,
 * K untranslated messages." with the last two left out when 0. */
static void
test_statistics (void)
{
  g_autofree char *root = source_root ();
  g_autoptr(GPtrArray) langs = linguas (root);
  g_autoptr(GRegex) number = g_regex_new ("(\\d+) (translated|fuzzy|untranslated)", 0, 0, NULL);

  g_assert_cmpuint (langs->len, >, 0);
  for (guint i = 0; i < langs->len; i++)
    {
      const char *lang = g_ptr_array_index (langs, i);
      g_autofree char *po = g_strdup_printf ("po/%s.po", lang);
      const char *argv[] = { "msgfmt", "--check", "--statistics", "-o", "/dev/null", po, NULL };
      g_autoptr(GMatchInfo) match = NULL;
      guint64 translated = 0, fuzzy = 0, untranslated = 0;
      Run run;

      run_program (root, argv, &run);
      g_assert_cmpint (run.status, ==, 0);
      g_regex_match (number, run.err, 0, &match);
      while (g_match_info_matches (match))
        {
          g_autofree char *n = g_match_info_fetch (match, 1);
          g_autofree char *what = g_match_info_fetch (match, 2);
          guint64 value = g_ascii_strtoull (n, NULL, 10);

          if (g_str_equal (what, "translated"))
            translated = value;
          else if (g_str_equal (what, "fuzzy"))
            fuzzy = value;
          else
            untranslated = value;
          g_match_info_next (match, NULL);
        }
      g_test_message ("%s: %" G_GUINT64_FORMAT " translated, %" G_GUINT64_FORMAT " fuzzy, %"
                      G_GUINT64_FORMAT " untranslated", lang, translated, fuzzy, untranslated);
      g_assert_cmpuint (translated, >, 0);
      g_assert_cmpuint (fuzzy, ==, 0);
      g_assert_cmpuint (untranslated, ==, 0);
      run_clear (&run);
    }
}

/* A string added to the source since the last `smm-relay-update-po` is not
 * in the .po yet: msgcmp counts it (and any untranslated or fuzzy entry). */
static void
test_complete (void)
{
  g_autofree char *root = source_root ();
  g_autoptr(GPtrArray) langs = linguas (root);
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("smm-relay-po-XXXXXX", &error);
  g_autofree char *warnings = NULL;
  g_autofree char *pot = NULL;

  g_assert_no_error (error);
  pot = fresh_pot (root, tmp, &warnings);
  for (guint i = 0; i < langs->len; i++)
    {
      const char *lang = g_ptr_array_index (langs, i);
      g_autofree char *po = g_strdup_printf ("po/%s.po", lang);
      const char *argv[] = { "msgcmp", po, pot, NULL };
      Run run;

      run_program (root, argv, &run);
      if (run.status != 0)
        g_test_message ("%s.po lacks messages of the source; run `ninja -C BUILD smm-relay-update-po` "
                        "and translate them", lang);
      g_assert_cmpint (run.status, ==, 0);
      run_clear (&run);
    }
  g_unlink (pot);
  g_rmdir (tmp);
}

/* `_("Order %" G_GINT64_FORMAT …)` reaches xgettext as "Order %": the message
 * is never translated.  PRId64 (which xgettext knows) or %zu instead. */
static void
test_no_cut_messages (void)
{
  g_autofree char *root = source_root ();
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("smm-relay-po-XXXXXX", &error);
  g_autofree char *warnings = NULL;
  g_autofree char *pot = NULL;

  g_assert_no_error (error);
  pot = fresh_pot (root, tmp, &warnings);
  g_assert_null (strstr (warnings, "ends in the middle of a directive"));
  g_unlink (pot);
  g_rmdir (tmp);
}

/* Reads the msgid of each entry of @pot with whether it has a msgid_plural. */
static void
for_each_msgid (const char *pot,
                void      (*func) (const char *msgid, gboolean plural, gpointer data),
                gpointer    data)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) msgid = NULL;
  gboolean in_msgid = FALSE;

  g_assert_true (g_file_get_contents (pot, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];

      if (g_str_has_prefix (line, "msgid \""))
        {
          msgid = g_string_new (NULL);
          g_string_append_len (msgid, line + 7, strlen (line) - 8);
          in_msgid = TRUE;
        }
      else if (in_msgid && line[0] == '"')
        g_string_append_len (msgid, line + 1, strlen (line) - 2);
      else if (in_msgid)
        {
          in_msgid = FALSE;
          if (msgid->len > 0)
            func (msgid->str, g_str_has_prefix (line, "msgid_plural "), data);
          g_string_free (g_steal_pointer (&msgid), TRUE);
        }
    }
}

static void
check_count (const char *msgid, gboolean plural, gpointer data)
{
  GPtrArray *bad = data;
  static GRegex *count = NULL;

  if (count == NULL)
    count = g_regex_new ("(%[0-9$]*[lzh]*[dus]|%<PRI[diu]64>) (more |new |active |queued )?"
                         "(orders|services|lines|runs|days|minutes|hours|fields|characters|"
                         "providers|clients|refills|requests|payments|steps|mappings|changes|"
                         "units|comments|user names|decimals)\\b(?! sync)", G_REGEX_OPTIMIZE, 0, NULL);
  if (!plural && (g_regex_match (count, msgid, 0, NULL) || strstr (msgid, "(s)") != NULL))
    g_ptr_array_add (bad, g_strdup (msgid));
}

/* "%u orders" in a message without a plural reads "1 orders" in English and
 * is wrong for most numbers in Russian: counts go through ngettext. */
static void
test_counts_have_plurals (void)
{
  g_autofree char *root = source_root ();
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("smm-relay-po-XXXXXX", &error);
  g_autofree char *warnings = NULL;
  g_autofree char *pot = NULL;
  g_autoptr(GPtrArray) bad = g_ptr_array_new_with_free_func (g_free);

  g_assert_no_error (error);
  pot = fresh_pot (root, tmp, &warnings);
  for_each_msgid (pot, check_count, bad);
  for (guint i = 0; i < bad->len; i++)
    g_test_message ("a count without ngettext: \"%s\"", (char *) g_ptr_array_index (bad, i));
  g_assert_cmpuint (bad->len, ==, 0);
  g_unlink (pot);
  g_rmdir (tmp);
}

static gboolean
has_translatable (const char *path)
{
  static const char *const marks[] = {
    "_(\"", "N_(\"", "C_(\"", "NC_(\"", "ngettext (", "g_dngettext (", "g_dpgettext2 (",
    "translatable=\"yes\"", NULL
  };
  g_autofree char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return FALSE;
  for (guint i = 0; marks[i] != NULL; i++)
    if (strstr (text, marks[i]) != NULL)
      return TRUE;
  return FALSE;
}

static void
collect_sources (const char *root, const char *dir, GPtrArray *found)
{
  g_autofree char *path = g_build_filename (root, dir, NULL);
  g_autoptr(GDir) d = g_dir_open (path, 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *rel = g_build_filename (dir, name, NULL);
      g_autofree char *full = g_build_filename (root, rel, NULL);

      if (g_file_test (full, G_FILE_TEST_IS_DIR))
        collect_sources (root, rel, found);
      else if (g_str_has_suffix (name, ".desktop.in") || g_str_has_suffix (name, ".metainfo.xml.in") ||
               g_str_has_suffix (name, ".gschema.xml"))
        g_ptr_array_add (found, g_steal_pointer (&rel));  /* xgettext reads them whole */
      else if ((g_str_has_suffix (name, ".c") || g_str_has_suffix (name, ".ui")) &&
               has_translatable (full))
        g_ptr_array_add (found, g_steal_pointer (&rel));
    }
}

/* A new file with _() that is not in po/POTFILES.in is never translated. */
static void
test_potfiles (void)
{
  g_autofree char *root = source_root ();
  g_autofree char *list_path = g_build_filename (root, "po", "POTFILES.in", NULL);
  g_autofree char *list = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GHashTable) listed = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  guint missing = 0;

  g_assert_true (g_file_get_contents (list_path, &list, NULL, NULL));
  lines = g_strsplit (list, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      g_autofree char *full = NULL;

      if (*line == '\0' || *line == '#')
        continue;
      full = g_build_filename (root, line, NULL);
      if (!g_file_test (full, G_FILE_TEST_EXISTS))
        g_test_message ("po/POTFILES.in lists %s, which does not exist", line);
      g_assert_true (g_file_test (full, G_FILE_TEST_EXISTS));
      g_hash_table_add (listed, line);
    }
  collect_sources (root, "src", found);
  collect_sources (root, "data", found);
  for (guint i = 0; i < found->len; i++)
    if (!g_hash_table_contains (listed, g_ptr_array_index (found, i)))
      {
        g_test_message ("%s has translatable strings but is not in po/POTFILES.in",
                        (char *) g_ptr_array_index (found, i));
        missing++;
      }
  g_assert_cmpuint (found->len, >, 50);
  g_assert_cmpuint (missing, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* Every check reports, not only the first that fails. */
  g_test_set_nonfatal_assertions ();
  g_test_add_func ("/translations/potfiles", test_potfiles);
  g_test_add_func ("/translations/no-cut-messages", test_no_cut_messages);
  g_test_add_func ("/translations/counts-have-plurals", test_counts_have_plurals);
  g_test_add_func ("/translations/statistics", test_statistics);
  g_test_add_func ("/translations/complete", test_complete);
  return g_test_run ();
}
