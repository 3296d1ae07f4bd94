/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Review page under Xvfb: an order whose reply was lost lands in review; "It was placed"
 * with the provider's id makes it pending; "It was not placed" fails and refunds it; "Send again"
 * asks first; orders of a manual service are approved (and sent) or rejected. */
#include "config.h"

#include "manage-test-util.h"
#include "relay-format.h"

#include <string.h>

#include "relay-manage.h"
#include "relay-review-placed-dialog.h"
#include "relay-review-row.h"

#define PAGE_TYPE RELAY_TYPE_REVIEW_PAGE
#define SERVICE 1
#define MANUAL 2

typedef struct
{
  gint64 provider_id;
  gint64 client_id;
} Book;

static GtkWidget *
child (MtFixture *f, const char *name)
{
  return mt_child (f->page, PAGE_TYPE, name);
}

static guint
n_items (MtFixture *f)
{
  return relay_review_page_get_n_items (RELAY_REVIEW_PAGE (f->page));
}

static GtkWidget *
row_button (MtFixture *f, guint index, const char *name)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (child (f, "list_box")), index);

  g_assert_nonnull (row);
  return mt_child (GTK_WIDGET (row), RELAY_TYPE_REVIEW_ROW, name);
}

static void
show_page (MtFixture *f)
{
  mt_show_page (f, relay_review_page_new (f->core));
}

static Book
prepare (MtFixture *f)
{
  Book book;

  book.provider_id = mt_add_provider (f, "Demo provider");
  mt_sync_services (f, book.provider_id);
  mt_map (f, SERVICE, book.provider_id, "103", 200000, FALSE);
  mt_map (f, MANUAL, book.provider_id, "122", 900000, TRUE);
  book.client_id = relay_store_add_client (f->store, "Acme Agency", NULL);
  return book;
}

/* An order the provider took but whose reply was an HTML error page: needs review. */
static gint64
place_lost (MtFixture *f, Book *book, const char *link)
{
  g_autoptr(RelayOrderRow) order = NULL;
  gint64 id;

  relay_sim_inject_fault (f->sim, "add", RELAY_SIM_FAULT_HTML_AFTER, 1);
  id = mt_place (f, SERVICE, book->client_id, link, 500);
  mt_dispatch (f);
  order = mt_order (f, id);
  g_assert_cmpint (order->status, ==, RELAY_ORDER_NEEDS_REVIEW);
  return id;
}

static void
count_notify (guint *count)
{
  (*count)++;
}

static gboolean
n_items_is_zero (gpointer data)
{
  return n_items (data) == 0;
}

static char *
sim_order_id (MtFixture *f, const char *link)
{
  g_autoptr(GPtrArray) orders = relay_sim_dup_orders (f->sim);

  for (guint i = 0; i < orders->len; i++)
    {
      RelaySimOrder *order = g_ptr_array_index (orders, i);

      if (g_strcmp0 (order->link, link) == 0)
        return g_strdup_printf ("%" G_GINT64_FORMAT, order->id);
    }
  g_error ("the simulator has no order for %s", link);
}

static void
test_empty (MtFixture *f, gconstpointer data)
{
  show_page (f);
  g_assert_cmpuint (n_items (f), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child (f, "stack"))), ==, "empty");
  g_assert_true (mt_tree_has_text (f->page, "Nothing to Review"));
  /* Issue 8: the empty state is a libadwaita status page. */
  g_assert_true (mt_has_status_page (f->page, "Nothing to Review"));
}

static gboolean
no_placed_dialog (gpointer data)
{
  return mt_find_window (RELAY_TYPE_REVIEW_PLACED_DIALOG) == NULL;
}

static void
test_placed (MtFixture *f, gconstpointer data)
{
  Book book = prepare (f);
  const char *link = "https://www.instagram.com/p/LostReply/";
  gint64 id;
  guint notified = 0;
  GtkWidget *dialog;
  g_autofree char *provider_id = NULL;
  g_autoptr(RelayOrderRow) order = NULL;

  show_page (f);
  g_signal_connect_swapped (f->page, "notify::n-items", G_CALLBACK (count_notify), &notified);
  id = place_lost (f, &book, link);

  /* It shows up with what is known, and the count for the sidebar. */
  mt_wait_tree_text (child (f, "list_box"), link);
  g_assert_cmpuint (n_items (f), ==, 1);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child (f, "stack"))), ==, "list");
  g_assert_true (mt_tree_has_text (child (f, "list_box"), "Demo provider, service 103"));
  g_assert_true (mt_tree_has_text (child (f, "list_box"), "Acme Agency"));
  g_assert_true (mt_tree_has_text (child (f, "list_box"), "nobody knows whether the provider has it"));
  g_assert_false (gtk_widget_get_visible (row_button (f, 0, "approve_button")));
  /* Issue 8, defect 12: the card says what the client is charged. */
  {
    g_autoptr(RelayOrderRow) shown = relay_store_get_order (f->store, id, NULL);
    g_autofree char *charge = relay_format_money (shown->price, shown->currency,
                                                  RELAY_MONEY_STYLE_TOTAL);

    g_assert_cmpint (shown->price, >, 0);
    g_test_message ("charge on the card: %s", charge);
    g_assert_true (g_str_has_suffix (charge, " USD"));
    g_assert_true (mt_tree_has_text (child (f, "list_box"), charge));
  }

  /* It was placed: the provider's id, then pending. */
  mt_click (row_button (f, 0, "placed_button"));
  dialog = mt_wait_window (RELAY_TYPE_REVIEW_PLACED_DIALOG);
  g_assert_true (mt_tree_has_text (dialog, link));
  provider_id = sim_order_id (f, link);
  mt_set_text (mt_child (dialog, RELAY_TYPE_REVIEW_PLACED_DIALOG, "id_entry"), provider_id);
  mt_click (mt_child (dialog, RELAY_TYPE_REVIEW_PLACED_DIALOG, "save_button"));
  mt_wait_until (no_placed_dialog, NULL, 0);

  order = mt_order (f, id);
  g_assert_cmpint (order->status, ==, RELAY_ORDER_PENDING);
  g_assert_cmpstr (order->provider_order_id, ==, provider_id);
  mt_wait_until (n_items_is_zero, f, 0);
  g_assert_cmpuint (notified, ==, 2);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child (f, "stack"))), ==, "empty");
  g_assert_nonnull (strstr (mt_last_message (f), "is placed"));
  /* Placed means no second order at the provider. */
  g_assert_cmpuint (relay_sim_count_orders_with_link (f->sim, link), ==, 1);
}

static void
test_not_placed (MtFixture *f, gconstpointer data)
{
  Book book = prepare (f);
  const char *link = "https://www.instagram.com/p/NeverArrived/";
  gint64 id;
  g_autoptr(RelayOrderRow) order = NULL;

  id = place_lost (f, &book, link);
  show_page (f);
  g_assert_cmpuint (n_items (f), ==, 1);
  mt_click (row_button (f, 0, "not_placed_button"));
  order = mt_order (f, id);
  g_assert_cmpint (order->status, ==, RELAY_ORDER_FAILED);
  g_assert_cmpint (order->refunded, ==, order->price);
  mt_wait_until (n_items_is_zero, f, 0);
  g_assert_nonnull (strstr (mt_last_message (f), "the client was refunded"));
}

static gboolean
order_left_review (gpointer data)
{
  MtFixture *f = ((gpointer *) data)[0];
  gint64 id = *(gint64 *) ((gpointer *) data)[1];
  g_autoptr(RelayOrderRow) order = mt_order (f, id);

  return order->status != RELAY_ORDER_NEEDS_REVIEW && order->status != RELAY_ORDER_QUEUED &&
         order->status != RELAY_ORDER_SENDING;
}

static void
wait_sent (MtFixture *f, gint64 id)
{
  gpointer data[2] = { f, &id };

  mt_wait_until (order_left_review, data, 0);
  /* The toast comes when the dispatcher's run ends. */
  mt_spin (100);
}

static void
test_send_again (MtFixture *f, gconstpointer data)
{
  Book book = prepare (f);
  const char *link = "https://www.instagram.com/p/SendTwice/";
  gint64 id;
  g_autoptr(RelayOrderRow) order = NULL;
  GtkWidget *question;

  id = place_lost (f, &book, link);
  show_page (f);

  /* Asked first, with the risk said; Cancel leaves it in review. */
  mt_click (row_button (f, 0, "resend_button"));
  question = mt_wait_window (GTK_TYPE_MESSAGE_DIALOG);
  g_assert_true (mt_tree_has_text (question, "duplicate"));
  gtk_dialog_response (GTK_DIALOG (question), GTK_RESPONSE_CANCEL);
  mt_spin (50);
  order = mt_order (f, id);
  g_assert_cmpint (order->status, ==, RELAY_ORDER_NEEDS_REVIEW);
  g_assert_cmpuint (n_items (f), ==, 1);

  /* Confirmed: sent again by the dispatcher (here the provider had it: two orders). */
  mt_click (row_button (f, 0, "resend_button"));
  gtk_dialog_response (GTK_DIALOG (mt_wait_window (GTK_TYPE_MESSAGE_DIALOG)), GTK_RESPONSE_ACCEPT);
  wait_sent (f, id);
  g_clear_pointer (&order, relay_order_row_free);
  order = mt_order (f, id);
  g_assert_cmpint (order->status, ==, RELAY_ORDER_PENDING);
  g_assert_cmpuint (relay_sim_count_orders_with_link (f->sim, link), ==, 2);
  mt_wait_until (n_items_is_zero, f, 0);
  g_assert_nonnull (strstr (mt_last_message (f), "sent to Demo provider"));
}

static void
test_approve_reject (MtFixture *f, gconstpointer data)
{
  Book book = prepare (f);
  gint64 first = mt_place (f, MANUAL, book.client_id, "https://www.tiktok.com/@acme/video/7000000000000000001", 1000);
  gint64 second = mt_place (f, MANUAL, book.client_id, "https://www.tiktok.com/@acme/video/7000000000000000002", 1000);
  g_autoptr(RelayOrderRow) order = NULL;

  show_page (f);
  g_assert_cmpuint (n_items (f), ==, 2);
  g_assert_true (mt_tree_has_text (child (f, "list_box"), "Waiting for your approval"));
  g_assert_true (mt_tree_has_text (child (f, "summary_label"), "2 orders wait for your approval"));
  g_assert_true (gtk_widget_get_visible (row_button (f, 0, "approve_button")));
  /* Issue 8: never sent, so no currency of its own — the card still names
   * the provider's ("15.00 USD", not a bare "15.00"). */
  {
    g_autoptr(RelayOrderRow) waiting = relay_store_get_order (f->store, first, NULL);
    g_autofree char *charge = relay_format_money (waiting->price, "USD", RELAY_MONEY_STYLE_TOTAL);

    /* (Read as its provider's since T8 #4: /store/money/unsent-order-currency.) */
    g_assert_cmpstr (waiting->currency, ==, "USD");
    g_test_message ("charge on the waiting card: %s", charge);
    g_assert_true (mt_tree_has_text (child (f, "list_box"), charge));
  }
  g_assert_false (gtk_widget_get_visible (row_button (f, 0, "placed_button")));

  /* Approve: sent at once. */
  mt_click (row_button (f, 0, "approve_button"));
  wait_sent (f, first);
  order = mt_order (f, first);
  g_assert_cmpint (order->status, ==, RELAY_ORDER_PENDING);
  g_assert_nonnull (strstr (mt_last_message (f), "sent to Demo provider"));

  /* Reject: failed and refunded, never sent. */
  mt_wait_tree_text (child (f, "list_box"), "7000000000000000002");
  g_assert_cmpuint (n_items (f), ==, 1);
  mt_click (row_button (f, 0, "reject_button"));
  /* Issue 8 (T8 #10): asked first, like Cancel Order; Keep leaves it. */
  {
    GtkWidget *question = mt_wait_window (GTK_TYPE_MESSAGE_DIALOG);

    g_assert_true (mt_tree_has_text (question, "Reject order"));
    gtk_dialog_response (GTK_DIALOG (question), GTK_RESPONSE_CANCEL);
    mt_spin (50);
    g_clear_pointer (&order, relay_order_row_free);
    order = mt_order (f, second);
    g_assert_cmpint (order->status, ==, RELAY_ORDER_NEEDS_REVIEW);
    mt_click (row_button (f, 0, "reject_button"));
    gtk_dialog_response (GTK_DIALOG (mt_wait_window (GTK_TYPE_MESSAGE_DIALOG)),
                         GTK_RESPONSE_ACCEPT);
    mt_spin (50);
  }
  g_assert_nonnull (strstr (mt_last_message (f), "the client was refunded"));
  g_clear_pointer (&order, relay_order_row_free);
  order = mt_order (f, second);
  g_assert_cmpint (order->status, ==, RELAY_ORDER_FAILED);
  g_assert_cmpint (order->refunded, ==, order->price);
  g_assert_cmpuint (relay_sim_count_orders_with_link (f->sim, "https://www.tiktok.com/@acme/video/7000000000000000002"), ==, 0);
  mt_wait_until (n_items_is_zero, f, 0);

  /* With No client nobody was refunded, and the toast does not say so. */
  {
    gint64 third = mt_place (f, MANUAL, 0, "https://www.tiktok.com/@acme/video/7000000000000000003", 1000);

    mt_wait_tree_text (child (f, "list_box"), "7000000000000000003");
    mt_click (row_button (f, 0, "reject_button"));
    gtk_dialog_response (GTK_DIALOG (mt_wait_window (GTK_TYPE_MESSAGE_DIALOG)),
                         GTK_RESPONSE_ACCEPT);
    mt_spin (50);
    g_clear_pointer (&order, relay_order_row_free);
    order = mt_order (f, third);
    g_assert_cmpint (order->status, ==, RELAY_ORDER_FAILED);
    g_test_message ("%s", mt_last_message (f));
    g_assert_null (strstr (mt_last_message (f), "client"));
  }
}

static void
test_screenshot (MtFixture *f, gconstpointer data)
{
  Book book = prepare (f);
  g_autofree char *path = NULL;

  place_lost (f, &book, "https://www.instagram.com/p/CwLostReply01/");
  relay_sim_inject_fault (f->sim, "add", RELAY_SIM_FAULT_DROP_AFTER, 1);
  mt_place (f, SERVICE, 0, "https://www.instagram.com/p/CwDropped002/", 2500);
  mt_dispatch (f);
  mt_place (f, MANUAL, book.client_id, "https://www.tiktok.com/@acme/video/7311111111111111111", 5000);

  show_page (f);
  g_assert_cmpuint (n_items (f), ==, 3);
  mt_wait_tree_text (child (f, "list_box"), "Waiting for your approval");
  path = mt_save_png (GTK_WIDGET (f->window), "review.png");
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
}

int
main (int argc, char **argv)
{
  mt_init (&argc, &argv);
  relay_manage_init ();

  g_test_add ("/manage/review/empty", MtFixture, NULL,
              mt_fixture_setup, test_empty, mt_fixture_teardown);
  g_test_add ("/manage/review/placed", MtFixture, NULL,
              mt_fixture_setup, test_placed, mt_fixture_teardown);
  g_test_add ("/manage/review/not-placed", MtFixture, NULL,
              mt_fixture_setup, test_not_placed, mt_fixture_teardown);
  g_test_add ("/manage/review/send-again", MtFixture, NULL,
              mt_fixture_setup, test_send_again, mt_fixture_teardown);
  g_test_add ("/manage/review/approve-reject", MtFixture, NULL,
              mt_fixture_setup, test_approve_reject, mt_fixture_teardown);
  g_test_add ("/manage/review/screenshot", MtFixture, NULL,
              mt_fixture_setup, test_screenshot, mt_fixture_teardown);
  return g_test_run ();
}
