/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Clients page under Xvfb: add a client inline, see an order's charge in what they owe and
 * in the ledger, record a payment (parsed as money) and see what they owe change. */
#include "config.h"

#include "manage-test-util.h"

#include <string.h>

#include "relay-client-item.h"
#include "relay-manage.h"

#define PAGE_TYPE RELAY_TYPE_CLIENTS_PAGE

static GtkWidget *
child (MtFixture *f, const char *name)
{
  return mt_child (f->page, PAGE_TYPE, name);
}

static GListModel *
clients (MtFixture *f)
{
  return G_LIST_MODEL (gtk_column_view_get_model (GTK_COLUMN_VIEW (child (f, "clients_view"))));
}

static GListModel *
ledger (MtFixture *f)
{
  return G_LIST_MODEL (gtk_column_view_get_model (GTK_COLUMN_VIEW (child (f, "ledger_view"))));
}

static const char *
owes_text (MtFixture *f)
{
  return gtk_label_get_label (GTK_LABEL (child (f, "owes_label")));
}

static void
show_page (MtFixture *f)
{
  mt_show_page (f, relay_clients_page_new (f->core));
}

/* A provider with its catalog and my service 1 (the sim's 103, 0.08 per 1,000) at 1.20. */
static gint64
prepare_service (MtFixture *f)
{
  gint64 provider_id = mt_add_provider (f, "Demo provider");

  mt_sync_services (f, provider_id);
  mt_map (f, 1, provider_id, "103", 1200000, FALSE);
  return provider_id;
}

static void
test_empty (MtFixture *f, gconstpointer data)
{
  show_page (f);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child (f, "clients_stack"))), ==, "empty");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child (f, "detail_stack"))), ==, "none");
  g_assert_true (mt_tree_has_text (f->page, "No Client Yet"));
  /* Issue 8: the empty state is a libadwaita status page. */
  g_assert_true (mt_has_status_page (f->page, "No Client Yet"));
  g_assert_false (gtk_widget_get_sensitive (child (f, "add_button")));
}

typedef struct
{
  MtFixture  *f;
  const char *text;
} OwesWait;

static gboolean
owes_contains (gpointer data)
{
  OwesWait *wait = data;

  return strstr (owes_text (wait->f), wait->text) != NULL;
}

static void
wait_owes (MtFixture *f, const char *text)
{
  OwesWait wait = { f, text };

  mt_wait_until (owes_contains, &wait, 0);
}

static void
test_add_and_pay (MtFixture *f, gconstpointer data)
{
  g_autoptr(RelayClientRow) acme = NULL;
  g_autoptr(RelayClientItem) item = NULL;

  prepare_service (f);
  show_page (f);

  /* Add a client inline. */
  mt_set_text (child (f, "new_client_entry"), "Acme Agency");
  mt_click (child (f, "add_button"));
  g_assert_cmpuint (g_list_model_get_n_items (clients (f)), ==, 1);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (f, "new_client_entry"))), ==, "");
  g_assert_cmpstr (mt_last_message (f), ==, "Client Acme Agency added");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child (f, "detail_stack"))), ==, "client");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (child (f, "client_name_label"))), ==, "Acme Agency");
  g_assert_cmpstr (owes_text (f), ==, "Paid up");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child (f, "ledger_stack"))), ==, "empty");

  /* The same name again: refused, inline. */
  mt_set_text (child (f, "new_client_entry"), "Acme Agency");
  mt_click (child (f, "add_button"));
  g_assert_true (gtk_widget_is_visible (child (f, "add_error_label")));
  g_assert_true (mt_tree_has_text (child (f, "add_error_label"), "already exists"));
  g_assert_true (gtk_widget_has_css_class (child (f, "new_client_entry"), "error"));
  g_assert_cmpuint (g_list_model_get_n_items (clients (f)), ==, 1);
  mt_set_text (child (f, "new_client_entry"), "");
  g_assert_false (gtk_widget_is_visible (child (f, "add_error_label")));

  /* An order for them is charged: they owe its price (1.20 per 1,000 × 500). */
  acme = relay_store_find_client (f->store, "Acme Agency", NULL);
  g_assert_nonnull (acme);
  mt_place (f, 1, acme->id, "https://www.instagram.com/p/AcmeLikes/", 500);
  wait_owes (f, "Owes 0.60 USD");
  g_assert_cmpuint (g_list_model_get_n_items (ledger (f)), ==, 1);
  mt_wait_tree_text (child (f, "ledger_view"), "Charge");
  mt_wait_tree_text (child (f, "clients_view"), "0.60 USD");
  g_assert_true (mt_tree_has_text (child (f, "counts_label"), "1 order, 1 active"));

  /* Issue 8, defect 10: a payment that is not money says so at the field as
   * it is typed (not after pressing Record), and Record stays off. */
  mt_set_text (child (f, "amount_entry"), "ten");
  g_assert_true (gtk_widget_is_visible (child (f, "payment_error_label")));
  g_assert_true (gtk_widget_has_css_class (child (f, "amount_entry"), "error"));
  g_assert_false (gtk_widget_get_sensitive (child (f, "record_button")));
  mt_set_text (child (f, "amount_entry"), "0");
  g_assert_true (mt_tree_has_text (child (f, "payment_error_label"), "more than 0"));
  g_assert_false (gtk_widget_get_sensitive (child (f, "record_button")));
  g_assert_cmpuint (g_list_model_get_n_items (ledger (f)), ==, 1);

  /* Issue 8 (T8 #2): a fraction of a cent is refused at the field, naming
   * the currency's decimals, never rounded; grouped digits are read. */
  mt_set_text (child (f, "amount_entry"), "12.345");
  g_assert_true (mt_tree_has_text (child (f, "payment_error_label"), "more decimals than USD has (2)"));
  g_assert_false (gtk_widget_get_sensitive (child (f, "record_button")));
  mt_set_text (child (f, "amount_entry"), "1,000.50");
  g_assert_false (gtk_widget_is_visible (child (f, "payment_error_label")));
  g_assert_true (gtk_widget_get_sensitive (child (f, "record_button")));

  /* A real one: what they owe goes down, the ledger shows it. */
  mt_set_text (child (f, "amount_entry"), "10");
  g_assert_false (gtk_widget_is_visible (child (f, "payment_error_label")));
  mt_set_text (child (f, "note_entry"), "Bank transfer");
  mt_click (child (f, "record_button"));
  g_assert_cmpstr (mt_last_message (f), ==, "Payment of 10.00 USD from Acme Agency recorded");
  wait_owes (f, "In credit: 9.40 USD");
  g_assert_cmpuint (g_list_model_get_n_items (ledger (f)), ==, 2);
  mt_wait_tree_text (child (f, "ledger_view"), "Bank transfer");
  mt_wait_tree_text (child (f, "ledger_view"), "-10.00 USD");
  item = g_list_model_get_item (clients (f), 0);
  g_assert_cmpint (relay_client_item_get_row (item)->balance, ==, -9400000);
  g_assert_cmpstr (relay_client_item_get_owes_text (item), ==, "-9.40 USD");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (f, "amount_entry"))), ==, "");
}

static void
test_screenshot (MtFixture *f, gconstpointer data)
{
  const char *names[] = { "Acme Agency", "Bright Media", "Nordic Growth Co.", "Studio Pixel" };
  gint64 ids[G_N_ELEMENTS (names)];
  g_autofree char *path = NULL;

  prepare_service (f);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    ids[i] = relay_store_add_client (f->store, names[i], NULL);
  for (guint i = 0; i < 6; i++)
    {
      g_autofree char *link = g_strdup_printf ("https://www.instagram.com/p/Acme%u/", i);

      mt_place (f, 1, ids[0], link, 1000 + 500 * i);
    }
  mt_place (f, 1, ids[1], "https://www.instagram.com/p/Bright1/", 5000);
  mt_place (f, 1, ids[2], "https://www.instagram.com/p/Nordic1/", 2500);
  mt_dispatch (f);
  relay_store_add_payment (f->store, ids[0], 5000000, "Bank transfer", NULL);
  relay_store_add_payment (f->store, ids[2], 10000000, "Prepaid", NULL);

  show_page (f);
  gtk_single_selection_set_selected (mt_object (f->page, PAGE_TYPE, "clients_selection"), 0);
  mt_wait_tree_text (child (f, "ledger_view"), "Bank transfer");
  path = mt_save_png (GTK_WIDGET (f->window), "clients.png");
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
}

int
main (int argc, char **argv)
{
  mt_init (&argc, &argv);
  relay_manage_init ();

  g_test_add ("/manage/clients/empty", MtFixture, NULL,
              mt_fixture_setup, test_empty, mt_fixture_teardown);
  g_test_add ("/manage/clients/add-and-pay", MtFixture, NULL,
              mt_fixture_setup, test_add_and_pay, mt_fixture_teardown);
  g_test_add ("/manage/clients/screenshot", MtFixture, NULL,
              mt_fixture_setup, test_screenshot, mt_fixture_teardown);
  return g_test_run ();
}
