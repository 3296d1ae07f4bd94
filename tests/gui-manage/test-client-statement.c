/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A client's statement on the Clients page under Xvfb: the summary for the chosen period, the
 * CSV export (the same bytes as `smm-relay-cli client statement --csv`), and the printed
 * statement rendered to PDF, paginated. */
#include "config.h"

#include "manage-test-util.h"

#include <string.h>
#include <glib/gstdio.h>

#include "relay-client-item.h"
#include "relay-ledger-item.h"
#include "relay-manage.h"

#define PAGE_TYPE RELAY_TYPE_CLIENTS_PAGE

/* The positions of the page's period list. */
#define PERIOD_LAST_MONTH 1
#define PERIOD_ALL_TIME 4

static GtkWidget *
child (MtFixture *f, const char *name)
{
  return mt_child (f->page, PAGE_TYPE, name);
}

typedef struct
{
  MtFixture  *f;
  const char *text;
} SummaryWait;

static gboolean
summary_has (gpointer data)
{
  SummaryWait *w = data;

  return strstr (gtk_label_get_label (GTK_LABEL (child (w->f, "statement_label"))), w->text) != NULL;
}

/* The summary is read on a worker: waits until the label says @text. */
static const char *
wait_summary (MtFixture *f, const char *text)
{
  SummaryWait w = { f, text };

  mt_wait_until (summary_has, &w, 0);
  return gtk_label_get_label (GTK_LABEL (child (f, "statement_label")));
}

/* A provider, my service 1 (the sim's 103) at 1.20 per 1,000, the client
 * "Acme Agency" with @n_orders orders of 500 and one payment of 5.00; the
 * page shown with them chosen and the period "All time". */
static gint64
prepare (MtFixture *f, guint n_orders)
{
  gint64 provider_id = mt_add_provider (f, "Demo provider");
  gint64 client_id;

  mt_sync_services (f, provider_id);
  mt_map (f, 1, provider_id, "103", 1200000, FALSE);
  client_id = relay_store_add_client (f->store, "Acme Agency", NULL);
  g_assert_cmpint (client_id, >, 0);
  for (guint i = 0; i < n_orders; i++)
    {
      g_autofree char *link = g_strdup_printf ("https://www.instagram.com/p/Acme%u/", i);

      mt_place (f, 1, client_id, link, 500);
    }
  g_assert_true (relay_store_add_payment (f->store, client_id, 5000000, "Bank transfer", NULL));

  mt_show_page (f, relay_clients_page_new (f->core));
  /* Nobody's ledger is read before someone is picked (a client of a big
   * book has a million rows): no client is chosen by itself. */
  g_assert_cmpuint (gtk_single_selection_get_selected (mt_object (f->page, PAGE_TYPE,
                                                                  "clients_selection")),
                    ==, GTK_INVALID_LIST_POSITION);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child (f, "detail_stack"))), ==,
                   "none");
  gtk_single_selection_set_selected (mt_object (f->page, PAGE_TYPE, "clients_selection"), 0);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (child (f, "period_dropdown")), PERIOD_ALL_TIME);
  return client_id;
}

typedef struct
{
  gboolean      done;
  GAsyncResult *result;
} Async;

static void
async_ready (GObject *source, GAsyncResult *result, gpointer data)
{
  Async *async = data;

  async->result = g_object_ref (result);
  async->done = TRUE;
}

static gboolean
async_done (gpointer data)
{
  return ((Async *) data)->done;
}

static void
test_summary_and_csv (MtFixture *f, gconstpointer data)
{
  gint64 client_id = prepare (f, 3);
  const char *summary;
  g_autoptr(RelayStatement) expected = NULL;
  g_autofree char *expected_csv = NULL;
  g_autofree char *dir = g_dir_make_tmp ("statement-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "statement.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  Async async = { 0 };

  /* The summary: the period, the counts and the money to the cent. */
  summary = wait_summary (f, "All time");
  g_test_message ("summary: %s", summary);
  g_assert_nonnull (strstr (summary, "\n"));
  g_assert_nonnull (strstr (summary, "All time, 3 orders, 1 payment"));
  g_assert_nonnull (strstr (summary, "charged 1.80 USD"));
  g_assert_nonnull (strstr (summary, "paid 5.00 USD"));
  g_assert_nonnull (strstr (summary, "closing -3.20 USD"));
  g_assert_true (gtk_widget_get_sensitive (child (f, "export_button")));
  g_assert_true (gtk_widget_get_sensitive (child (f, "print_button")));

  /* The export holds exactly what the core's CSV of that statement is. */
  relay_clients_page_export_statement_async (RELAY_CLIENTS_PAGE (f->page), file, NULL,
                                             async_ready, &async);
  mt_wait_until (async_done, &async, 0);
  g_assert_true (relay_clients_page_export_statement_finish (RELAY_CLIENTS_PAGE (f->page),
                                                             async.result, &error));
  g_assert_no_error (error);
  g_clear_object (&async.result);
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  expected = relay_core_client_statement (f->core, client_id, 0, G_MAXINT64, &error);
  g_assert_no_error (error);
  expected_csv = relay_statement_to_csv (expected);
  g_assert_cmpstr (contents, ==, expected_csv);
  g_assert_nonnull (strstr (contents, "Bank transfer"));
  g_assert_nonnull (strstr (contents, "https://www.instagram.com/p/Acme2/"));

  /* Last month had none of it: said so, with what was owed then. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (child (f, "period_dropdown")), PERIOD_LAST_MONTH);
  summary = wait_summary (f, "no orders or payments");
  g_assert_nonnull (strstr (summary, "no orders or payments; owed 0.00 USD"));

  g_unlink (path);
  g_rmdir (dir);
}

/* A client with more ledger entries than the page lists: the newest 200 are
 * listed (newest first), the summary still counts the whole history, and
 * it is read on a worker, so the label is filled after the pick returns. */
static void
test_ledger_bounded (MtFixture *f, gconstpointer data)
{
  GListModel *ledger;
  g_autoptr(RelayLedgerItem) first = NULL;
  const char *summary;

  prepare (f, 230);
  ledger = G_LIST_MODEL (mt_object (f->page, PAGE_TYPE, "ledger_selection"));
  mt_wait_tree_text (child (f, "ledger_view"), "Bank transfer");
  g_test_message ("ledger rows listed: %u of 231", g_list_model_get_n_items (ledger));
  g_assert_cmpuint (g_list_model_get_n_items (ledger), ==, 200);
  first = g_list_model_get_item (ledger, 0);
  g_assert_cmpstr (relay_ledger_item_get_entry (first)->kind, ==, "payment");
  summary = wait_summary (f, "All time");
  g_assert_nonnull (strstr (summary, "230 orders, 1 payment"));
}

/* The pages of a PDF cairo wrote: its page objects. */
static guint
pdf_n_pages (const char *path)
{
  g_autofree char *pdf = NULL;
  gsize len = 0;
  guint n = 0;

  g_assert_true (g_file_get_contents (path, &pdf, &len, NULL));
  g_assert_true (g_str_has_prefix (pdf, "%PDF-"));
  /* Streams hold NUL bytes: a search that stops at none. */
  for (gsize i = 0; i + 12 <= len; i++)
    if (memcmp (pdf + i, "/Type /Page", 11) == 0 && pdf[i + 11] != 's')
      n++;
  return n;
}

static void
print_pdf (MtFixture *f, const char *name, int *out_pages, guint *out_pdf_pages)
{
  g_autofree char *dir = g_dir_make_tmp ("statement-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (relay_clients_page_print_statement (RELAY_CLIENTS_PAGE (f->page), path,
                                                     out_pages, &error));
  g_assert_no_error (error);
  *out_pdf_pages = pdf_n_pages (path);
  g_test_message ("%s: %d pages, %u in the PDF", name, *out_pages, *out_pdf_pages);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_print_short (MtFixture *f, gconstpointer data)
{
  int pages = 0;
  guint pdf_pages = 0;

  prepare (f, 3);
  print_pdf (f, "short.pdf", &pages, &pdf_pages);
  g_assert_cmpint (pages, ==, 1);
  g_assert_cmpuint (pdf_pages, ==, 1);
}

static void
test_print_paginated (MtFixture *f, gconstpointer data)
{
  int pages = 0;
  guint pdf_pages = 0;

  /* 150 orders and a payment: more rows than three pages of any paper hold
   * at the statement's font (an A4 or Letter page takes about 60). */
  prepare (f, 150);
  print_pdf (f, "long.pdf", &pages, &pdf_pages);
  g_assert_cmpint (pages, >=, 3);
  g_assert_cmpuint (pdf_pages, ==, (guint) pages);
}

/* A picture of the page with a statement (tests/clients-statement.png). */
static void
test_picture (MtFixture *f, gconstpointer data)
{
  gint64 provider_id = mt_add_provider (f, "Demo provider");
  const char *names[] = { "Acme Agency", "Bright Media", "Nordic Growth Co." };
  gint64 ids[G_N_ELEMENTS (names)];
  g_autofree char *path = NULL;

  mt_sync_services (f, provider_id);
  mt_map (f, 1, provider_id, "103", 1200000, FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    ids[i] = relay_store_add_client (f->store, names[i], NULL);
  for (guint i = 0; i < 7; i++)
    {
      g_autofree char *link = g_strdup_printf ("https://www.instagram.com/p/Acme%u/", i);

      mt_place (f, 1, ids[0], link, 1000 + 500 * i);
    }
  mt_place (f, 1, ids[1], "https://www.instagram.com/p/Bright1/", 5000);
  mt_dispatch (f);
  relay_store_add_payment (f->store, ids[0], 5000000, "Bank transfer", NULL);

  mt_show_page (f, relay_clients_page_new (f->core));
  gtk_window_set_default_size (f->window, 1280, 800);
  gtk_single_selection_set_selected (mt_object (f->page, PAGE_TYPE, "clients_selection"), 0);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (child (f, "period_dropdown")), PERIOD_ALL_TIME);
  mt_wait_tree_text (child (f, "ledger_view"), "Bank transfer");
  path = mt_save_png (GTK_WIDGET (f->window), "clients-statement.png");
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
}

int
main (int argc, char **argv)
{
  mt_init (&argc, &argv);
  relay_manage_init ();

  g_test_add ("/manage/clients/statement/summary-and-csv", MtFixture, NULL,
              mt_fixture_setup, test_summary_and_csv, mt_fixture_teardown);
  g_test_add ("/manage/clients/statement/ledger-bounded", MtFixture, NULL,
              mt_fixture_setup, test_ledger_bounded, mt_fixture_teardown);
  g_test_add ("/manage/clients/statement/print-short", MtFixture, NULL,
              mt_fixture_setup, test_print_short, mt_fixture_teardown);
  g_test_add ("/manage/clients/statement/print-paginated", MtFixture, NULL,
              mt_fixture_setup, test_print_paginated, mt_fixture_teardown);
  g_test_add ("/manage/clients/statement/picture", MtFixture, NULL,
              mt_fixture_setup, test_picture, mt_fixture_teardown);
  return g_test_run ();
}
