/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Mass order page's Import CSV… under Xvfb against the simulator: a file as hosted panels
 * export it is previewed with errors on its own line numbers, submitted in one transaction,
 * and leaves its header above the lines to fix; too big, not UTF-8 and headerless files are
 * refused with a clear reason and nothing of an earlier plan can be submitted under it. */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "pages-test-util.h"
#include "relay-mass-order-page.h"
#include "relay-mass-line-item.h"

#include <adwaita.h>

#define SEND_WAIT_MS 60000

typedef struct
{
  PtEnv              *env;
  RelayMassOrderPage *page;
  char               *dir;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  adw_init ();
  f->env = pt_env_new ();
  f->dir = g_dir_make_tmp ("mass-csv-XXXXXX", NULL);
  f->page = RELAY_MASS_ORDER_PAGE (relay_mass_order_page_new (f->env->core));
  pt_env_show (f->env, GTK_WIDGET (f->page), "SMM Relay — Mass order", 1200, 820);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  pt_env_free (f->env);
}

static gpointer
child (Fixture *f, const char *name)
{
  return pt_child (f->page, RELAY_TYPE_MASS_ORDER_PAGE, name);
}

static GListModel *
preview (Fixture *f)
{
  return G_LIST_MODEL (gtk_column_view_get_model (child (f, "preview_view")));
}

static gboolean
preview_has_two (gpointer data)
{
  return g_list_model_get_n_items (preview (data)) == 2;
}

static char *
buffer_text (Fixture *f)
{
  GtkTextBuffer *buffer = child (f, "paste_buffer");
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static char *
write_file (Fixture *f, const char *name, const char *contents, gssize len)
{
  char *path = g_build_filename (f->dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, len, NULL));
  return path;
}

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
} Import;

static void
import_ready (GObject *source, GAsyncResult *result, gpointer data)
{
  Import *import = data;

  import->ok = relay_mass_order_page_import_csv_finish (RELAY_MASS_ORDER_PAGE (source), result,
                                                        &import->error);
  import->done = TRUE;
}

static gboolean
import_done (gpointer data)
{
  return ((Import *) data)->done;
}

/* Imports @path as the button's file chooser would; returns the error or NULL. */
static GError *
import (Fixture *f, const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  Import result = { 0 };

  relay_mass_order_page_import_csv_async (f->page, file, NULL, import_ready, &result);
  pt_wait (import_done, &result, 10000);
  g_assert_true (result.ok == (result.error == NULL));
  return result.error;
}

static gboolean
not_busy (gpointer data)
{
  Fixture *f = data;

  return !relay_mass_order_page_get_busy (f->page);
}

/* Whether the page asks "Send … Orders for …?" (in the page itself). */
static gboolean
confirmation_shown (gpointer data)
{
  Fixture *f = data;

  return gtk_widget_get_visible (child (f, "confirm_box"));
}

/* Submit, then Send in the question the page asks. */
static void
submit (Fixture *f)
{
  g_assert_true (gtk_widget_get_sensitive (child (f, "submit_button")));
  g_signal_emit_by_name (child (f, "submit_button"), "clicked");
  pt_wait (confirmation_shown, f, 5000);
  g_signal_emit_by_name (child (f, "confirm_send_button"), "clicked");
  g_assert_false (confirmation_shown (f));
  pt_spin (20);
}

/* The export of a hosted panel: its own column names and order, a column
 * this app does not use, a line's own client, CRLF line ends. */
static const char panel_csv[] =
  "Link;Qty;Service ID;Client;Note\r\n"
  "https://instagram.com/csv_good_one;100;1;Acme Agency;first\r\n"     /* line 2: goes */
  "https://instagram.com/csv_too_few;10;1;;below the minimum\r\n"      /* line 3: 50 at least */
  "https://instagram.com/p/CsvLikes1/;200;2;Bright Media;\r\n"         /* line 4: goes */
  "https://instagram.com/csv_who;100;1;Nobody Ltd;unknown client\r\n"  /* line 5: no such client */
  "https://instagram.com/csv_good_last;300;1;;\r\n";                   /* line 6: goes */

static void
test_import_and_submit (Fixture *f, gconstpointer data)
{
  g_autofree char *path = write_file (f, "panel-export.csv", panel_csv, -1);
  g_autoptr(GError) error = import (f, path);
  GtkTextBuffer *buffer = child (f, "paste_buffer");
  GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), "bad-line");
  const guint expected_lines[] = { 2, 3, 4, 5, 6 };
  const gboolean expected_bad[] = { FALSE, TRUE, FALSE, TRUE, FALSE };
  g_autofree char *left = NULL;
  RelayOrderQuery query = { 0 };
  GListModel *model;

  g_assert_no_error (error);
  /* Planned when the import completes: no wait for the typing delay. */
  model = preview (f);
  g_assert_nonnull (model);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 5);
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(RelayMassLineItem) item = g_list_model_get_item (model, i);
      GtkTextIter iter;

      g_assert_cmpuint (relay_mass_line_item_get_line_number (item), ==, expected_lines[i]);
      g_assert_cmpint (relay_mass_line_item_get_state (item) == RELAY_MASS_LINE_BAD, ==,
                       expected_bad[i]);
      /* The mark is on the file's own line in the text. */
      gtk_text_buffer_get_iter_at_line_offset (buffer, &iter, (int) expected_lines[i] - 1, 1);
      g_assert_cmpint (gtk_text_iter_has_tag (&iter, tag), ==, expected_bad[i]);
    }
  g_assert_nonnull (strstr (pt_label_text (child (f, "summary_label")),
                            "3 lines will go · 2 have errors"));
  g_assert_true (gtk_widget_get_visible (child (f, "import_label")));
  g_assert_nonnull (strstr (pt_label_text (child (f, "import_label")), "panel-export.csv"));
  g_assert_cmpstr (gtk_button_get_label (child (f, "submit_button")), ==, "S_ubmit 3 Orders");

  /* Submitted as pasted lines are: the good ones recorded at once and sent. */
  submit (f);
  pt_wait (not_busy, f, SEND_WAIT_MS);
  g_assert_cmpuint (relay_sim_get_n_orders (f->env->sim), ==, 3);
  g_assert_cmpint (relay_store_count_orders (relay_core_get_store (f->env->core), &query, NULL),
                   ==, 3);

  /* The two to fix stay, under the file's header, and are read as CSV again. */
  left = buffer_text (f);
  g_assert_cmpstr (left, ==,
                   "Link;Qty;Service ID;Client;Note\n"
                   "https://instagram.com/csv_too_few;10;1;;below the minimum\n"
                   "https://instagram.com/csv_who;100;1;Nobody Ltd;unknown client");
  /* Planned on the core's worker: shown once the plan comes. */
  pt_wait (preview_has_two, f, 5000);
  model = preview (f);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(RelayMassLineItem) item = g_list_model_get_item (model, i);

      g_assert_cmpuint (relay_mass_line_item_get_line_number (item), ==, i + 2);
      g_assert_cmpint (relay_mass_line_item_get_state (item), ==, RELAY_MASS_LINE_BAD);
    }
  g_assert_false (gtk_widget_get_sensitive (child (f, "submit_button")));
  g_free (pt_save_png (GTK_WIDGET (f->page), "mass-csv-left.png"));

  /* Cleared, the box takes pasted lines again. */
  relay_mass_order_page_set_text (f->page, "");
  pt_spin (400);
  g_assert_false (gtk_widget_get_visible (child (f, "import_label")));
}

static void
test_refused_files (Fixture *f, gconstpointer data)
{
  g_autofree char *good = write_file (f, "good.csv",
                                      "service,link,quantity\n1,https://instagram.com/ok_one,100\n", -1);
  g_autofree char *big_text = NULL;
  g_autofree char *big = NULL;
  g_autofree char *latin1 = write_file (f, "latin1.csv",
                                        "service,link,quantity\n1,https://instagram.com/caf\xe9,100\n", -1);
  g_autofree char *headless = write_file (f, "no-quantity.csv",
                                          "service,link\n1,https://instagram.com/ok_two\n", -1);
  g_autofree char *text = NULL;
  GError *error;
  gsize big_len = RELAY_MASS_ORDER_CSV_MAX_BYTES + 1;

  /* A good file first: Submit is on for its line. */
  error = import (f, good);
  g_assert_no_error (error);
  g_assert_true (gtk_widget_get_sensitive (child (f, "submit_button")));

  /* Over the cap: refused before reading, the text and plan unchanged. */
  big_text = g_malloc (big_len);
  memset (big_text, 'x', big_len);
  big = write_file (f, "huge.csv", big_text, (gssize) big_len);
  error = import (f, big);
  g_assert_nonnull (error);
  g_test_message ("too big: %s", error->message);
  g_assert_nonnull (strstr (error->message, "huge.csv"));
  /* The CLI's limit and message, a round number (T9 18:08). */
  g_assert_cmpint (RELAY_MASS_ORDER_CSV_MAX_BYTES, ==, RELAY_MASS_ORDER_MAX_BYTES);
  g_assert_cmpint (RELAY_MASS_ORDER_MAX_BYTES, >=, 6 * 1000 * 1000);
  g_assert_nonnull (strstr (error->message, "a file of orders can be at most 16.0\u00a0MB"));
  g_clear_error (&error);
  text = buffer_text (f);
  g_assert_nonnull (strstr (text, "ok_one"));
  g_clear_pointer (&text, g_free);

  /* Not UTF-8 (a spreadsheet's "CSV" in Latin-1): said so. */
  error = import (f, latin1);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "not UTF-8"));
  g_clear_error (&error);

  /* A header without a quantity column: the file is read, the reason shown,
   * and the good file's plan can no longer be submitted. */
  error = import (f, headless);
  g_assert_no_error (error);
  g_test_message ("header: %s", pt_label_text (child (f, "summary_label")));
  g_assert_nonnull (strstr (pt_label_text (child (f, "summary_label")), "quantity"));
  g_assert_false (gtk_widget_get_sensitive (child (f, "submit_button")));
  g_assert_cmpuint (relay_sim_get_n_orders (f->env->sim), ==, 0);
}

static gboolean
one_good_line (gpointer data)
{
  Fixture *f = data;
  GListModel *model = preview (f);
  g_autoptr(RelayMassLineItem) item = NULL;

  if (model == NULL || g_list_model_get_n_items (model) != 1)
    return FALSE;
  item = g_list_model_get_item (model, 0);
  return relay_mass_line_item_get_state (item) != RELAY_MASS_LINE_BAD &&
         relay_mass_line_item_get_error (item) == NULL;
}

/* Select all and paste over an imported file: the pasted lines are read as
 * pasted lines (they were each refused as a CSV record, the file's hint
 * still shown: RETEST10 #1). */
static void
test_paste_over_import (Fixture *f, gconstpointer data)
{
  g_autofree char *path = write_file (f, "panel-export.csv", panel_csv, -1);
  g_autoptr(GError) error = import (f, path);
  GtkTextBuffer *buffer = child (f, "paste_buffer");
  GtkTextIter start, end;

  g_assert_no_error (error);
  g_assert_true (gtk_widget_get_visible (child (f, "import_label")));
  /* As a paste over a selection of everything does. */
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_begin_user_action (buffer);
  gtk_text_buffer_delete (buffer, &start, &end);
  gtk_text_buffer_insert (buffer, &start, "1 | https://instagram.com/pasted_over | 100", -1);
  gtk_text_buffer_end_user_action (buffer);
  pt_wait (one_good_line, f, 5000);
  g_assert_false (gtk_widget_get_visible (child (f, "import_label")));
  g_assert_nonnull (strstr (pt_label_text (child (f, "summary_label")), "1 line will go"));
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add ("/pages/mass-csv/import-and-submit", Fixture, NULL,
              fixture_set_up, test_import_and_submit, fixture_tear_down);
  g_test_add ("/pages/mass-csv/refused-files", Fixture, NULL,
              fixture_set_up, test_refused_files, fixture_tear_down);
  g_test_add ("/pages/mass-csv/paste-over-import", Fixture, NULL,
              fixture_set_up, test_paste_over_import, fixture_tear_down);
  return g_test_run ();
}
