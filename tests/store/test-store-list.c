/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the orders list: every filter, search and sort, checked against
 * the same rules computed in C over every order, and windows over it. */
#include <string.h>

#include "test-store.h"

typedef struct
{
  Book      *book;
  GPtrArray *orders;   /* every RelayOrderRow of the book */
} Fixture;

static void
make_orders (Book *book)
{
  g_autoptr (GError) error = NULL;
  static const gint64 services[] = { SERVICE_PLAIN, SERVICE_OTHER, SERVICE_MANUAL };
  gint64 clients[] = { 0, book->client_1, book->client_2 };
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  for (guint i = 0; i < 60; i++)
    {
      g_autofree char *link = NULL;
      g_autofree char *provider_order_id = g_strdup_printf ("p-%u", i);
      gint64 service = services[i % 3];
      gint64 id;
      RelayStatusUpdate update = { 0 };
      g_autoptr (GPtrArray) updates = g_ptr_array_new ();

      if (i % 5 == 0)
        link = g_strdup_printf ("https://x.example/100%%_off/%u", i);
      else if (i % 5 == 1)
        link = g_strdup_printf ("https://ABC.example/%u", i);
      else
        link = g_strdup_printf ("https://x.example/p/%u", 1000 - i);
      id = book_order (book, service, clients[(i / 3) % 3], link, 100 + (i * 37) % 500,
                       i % 11 == 0 ? 2 : 0, i % 13 == 4 ? now + 3600 : 0);
      if (service == SERVICE_MANUAL)
        {
          if (i % 2 == 0)
            g_assert_true (relay_store_review_not_placed (book->store, id, TRUE, &error));
          g_assert_no_error (error);
          continue;
        }
      if (i % 13 == 4)
        continue;

      update.order_id = id;
      g_ptr_array_add (updates, &update);
      switch (i % 8)
        {
        case 0:
          break;
        case 1:
          book_send (book, id, provider_order_id);
          break;
        case 2:
          book_send (book, id, provider_order_id);
          update.status_word = "In progress";
          update.has_start_count = TRUE;
          update.start_count = (i * 7919) % 1000;
          update.has_remains = TRUE;
          update.remains = (i * 31) % 100;
          g_assert_true (relay_store_apply_statuses (book->store, updates, NULL, &error));
          break;
        case 3:
          book_send (book, id, provider_order_id);
          update.status_word = "Completed";
          update.has_remains = TRUE;
          update.has_start_count = TRUE;
          update.start_count = i;
          g_assert_true (relay_store_apply_statuses (book->store, updates, NULL, &error));
          break;
        case 4:
          book_send (book, id, provider_order_id);
          update.status_word = "Partial";
          update.has_remains = TRUE;
          update.remains = (i * 13) % 90;
          g_assert_true (relay_store_apply_statuses (book->store, updates, NULL, &error));
          break;
        case 5:
          book_send (book, id, provider_order_id);
          update.status_word = "Canceled";
          g_assert_true (relay_store_apply_statuses (book->store, updates, NULL, &error));
          break;
        case 6:
          g_assert_true (relay_store_mark_failed (book->store, id, "Incorrect link", "dispatch", &error));
          break;
        default:
          g_assert_true (relay_store_mark_sending (book->store, id, book->catalog_a1, &error));
          g_assert_true (relay_store_mark_needs_review (book->store, id, "timed out", &error));
          break;
        }
      g_assert_no_error (error);
    }
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  RelayOrderQuery all = { 0 };

  fixture->book = g_new0 (Book, 1);
  book_setup (fixture->book, data);
  make_orders (fixture->book);
  fixture->orders = relay_store_list_orders (fixture->book->store, &all, 0, 1000, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->orders->len, ==, 60);
  book_check_counts (fixture->book);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_pointer (&fixture->orders, g_ptr_array_unref);
  book_teardown (fixture->book, data);
  g_free (fixture->book);
}

/* ---- the rules, in C ---- */

static gboolean
in_filter (const RelayOrderRow   *order,
           const RelayOrderQuery *query)
{
  switch (query->filter)
    {
    case RELAY_ORDER_FILTER_ALL:
      return TRUE;
    case RELAY_ORDER_FILTER_ACTIVE:
      return order->status <= RELAY_ORDER_IN_PROGRESS;
    case RELAY_ORDER_FILTER_ATTENTION:
      return order->status == RELAY_ORDER_NEEDS_REVIEW || order->status == RELAY_ORDER_FAILED;
    case RELAY_ORDER_FILTER_COMPLETED:
      return order->status == RELAY_ORDER_COMPLETED;
    case RELAY_ORDER_FILTER_PARTIAL:
      return order->status == RELAY_ORDER_PARTIAL;
    case RELAY_ORDER_FILTER_CANCELED:
      return order->status == RELAY_ORDER_CANCELED;
    case RELAY_ORDER_FILTER_FAILED:
      return order->status == RELAY_ORDER_FAILED;
    case RELAY_ORDER_FILTER_STATUS:
      return order->status == query->status;
    default:
      g_assert_not_reached ();
    }
}

static gboolean
matches (const RelayOrderRow   *order,
         const RelayOrderQuery *query)
{
  if (!in_filter (order, query))
    return FALSE;
  if (query->client_id != 0 && order->client_id != query->client_id)
    return FALSE;
  if (query->provider_id != 0 && order->provider_id != query->provider_id)
    return FALSE;
  if (query->search != NULL)
    {
      g_autofree char *link = g_ascii_strdown (order->link, -1);
      g_autofree char *needle = g_ascii_strdown (query->search, -1);
      guint64 id;

      g_autofree char *client = g_ascii_strdown (order->client_name ? order->client_name : "", -1);
      g_autofree char *service = g_ascii_strdown (order->service_name ? order->service_name : "", -1);

      if (strstr (link, needle) != NULL || g_strcmp0 (order->provider_order_id, query->search) == 0)
        return TRUE;
      /* The names the table shows are searched too. */
      if ((order->client_name != NULL && strstr (client, needle) != NULL) ||
          (order->service_name != NULL && strstr (service, needle) != NULL))
        return TRUE;
      return g_ascii_string_to_unsigned (query->search, 10, 1, G_MAXINT64, &id, NULL) &&
             (gint64) id == order->id;
    }
  return TRUE;
}

static int
cmp_opt (gboolean has_a, gint64 a, gboolean has_b, gint64 b)
{
  if (has_a != has_b)
    return has_a ? 1 : -1;    /* NULL sorts first */
  return has_a ? (a > b) - (a < b) : 0;
}

static int
cmp_text (const char *a, const char *b, gboolean nocase)
{
  if (a == NULL || b == NULL)
    return (a != NULL) - (b != NULL);
  return nocase ? g_ascii_strcasecmp (a, b) : strcmp (a, b);
}

static double
progress (const RelayOrderRow *order)
{
  gint64 units = order->quantity * MAX (order->runs, 1);

  if (order->status == RELAY_ORDER_COMPLETED)
    return 1.0;
  if (!order->has_remains)
    return 0.0;
  return MIN (MAX ((units - order->remains) * 1.0 / units, 0.0), 1.0);
}

static int
compare (gconstpointer pa,
         gconstpointer pb,
         gpointer      user_data)
{
  const RelayOrderRow *a = *(RelayOrderRow * const *) pa;
  const RelayOrderRow *b = *(RelayOrderRow * const *) pb;
  RelayOrderSort sort = GPOINTER_TO_INT (user_data);
  int result = 0;

  switch (sort)
    {
    case RELAY_ORDER_SORT_ID: result = 0; break;
    case RELAY_ORDER_SORT_CLIENT: result = cmp_text (a->client_name, b->client_name, TRUE); break;
    case RELAY_ORDER_SORT_SERVICE: result = cmp_text (a->service_name, b->service_name, FALSE); break;
    case RELAY_ORDER_SORT_LINK: result = cmp_text (a->link, b->link, FALSE); break;
    case RELAY_ORDER_SORT_QUANTITY: result = cmp_opt (TRUE, a->quantity, TRUE, b->quantity); break;
    case RELAY_ORDER_SORT_PROGRESS:
      result = (progress (a) > progress (b)) - (progress (a) < progress (b));
      break;
    case RELAY_ORDER_SORT_START_COUNT:
      result = cmp_opt (a->has_start_count, a->start_count, b->has_start_count, b->start_count);
      break;
    case RELAY_ORDER_SORT_REMAINS:
      result = cmp_opt (a->has_remains, a->remains, b->has_remains, b->remains);
      break;
    /* What the client pays: the price less the refund. */
    case RELAY_ORDER_SORT_CHARGE:
      result = cmp_opt (TRUE, a->price - a->refunded, TRUE, b->price - b->refunded);
      break;
    case RELAY_ORDER_SORT_STATUS: result = cmp_opt (TRUE, a->status, TRUE, b->status); break;
    case RELAY_ORDER_SORT_UPDATED: result = cmp_opt (TRUE, a->updated_at, TRUE, b->updated_at); break;
    default: g_assert_not_reached ();
    }
  return result != 0 ? result : (a->id > b->id) - (a->id < b->id);
}

static void
check_query (Fixture               *fixture,
             const RelayOrderQuery *query)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) expected = g_ptr_array_new ();
  g_autoptr (GPtrArray) listed = NULL;
  gint64 count;

  for (guint i = 0; i < fixture->orders->len; i++)
    if (matches (g_ptr_array_index (fixture->orders, i), query))
      g_ptr_array_add (expected, g_ptr_array_index (fixture->orders, i));
  g_ptr_array_sort_with_data (expected, compare, GINT_TO_POINTER (query->sort));
  if (!query->ascending)
    for (guint i = 0; i < expected->len / 2; i++)
      {
        gpointer swap = expected->pdata[i];

        expected->pdata[i] = expected->pdata[expected->len - 1 - i];
        expected->pdata[expected->len - 1 - i] = swap;
      }

  count = relay_store_count_orders (fixture->book->store, query, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count, ==, expected->len);

  listed = relay_store_list_orders (fixture->book->store, query, 0, 1000, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, expected->len);
  for (guint i = 0; i < listed->len; i++)
    g_assert_cmpint (((RelayOrderRow *) g_ptr_array_index (listed, i))->id, ==,
                     ((RelayOrderRow *) g_ptr_array_index (expected, i))->id);

  /* Windows of 7 give the same rows in the same order. */
  for (guint offset = 0; offset < expected->len; offset += 7)
    {
      g_autoptr (GPtrArray) page = relay_store_list_orders (fixture->book->store, query, offset, 7, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (page->len, ==, MIN (7, expected->len - offset));
      for (guint i = 0; i < page->len; i++)
        g_assert_cmpint (((RelayOrderRow *) g_ptr_array_index (page, i))->id, ==,
                         ((RelayOrderRow *) g_ptr_array_index (expected, offset + i))->id);
    }
}

static void
test_filters_and_sorts (Fixture       *fixture,
                        gconstpointer  data)
{
  Book *book = fixture->book;
  const gint64 clients[] = { 0, book->client_1, book->client_2 };
  const gint64 providers[] = { 0, book->provider_a, book->provider_b };
  guint n_nonempty = 0;

  for (int filter = RELAY_ORDER_FILTER_ALL; filter <= RELAY_ORDER_FILTER_STATUS; filter++)
    for (int sort = RELAY_ORDER_SORT_ID; sort <= RELAY_ORDER_SORT_UPDATED; sort++)
      for (int ascending = 0; ascending < 2; ascending++)
        {
          RelayOrderQuery query = { 0 };

          query.filter = filter;
          query.status = RELAY_ORDER_NEEDS_REVIEW;
          query.sort = sort;
          query.ascending = ascending;
          query.client_id = clients[(filter + sort) % 3];
          query.provider_id = providers[(sort + ascending) % 3];
          check_query (fixture, &query);
          query.client_id = 0;
          query.provider_id = 0;
          check_query (fixture, &query);
          if (relay_store_count_orders (book->store, &query, NULL) > 0)
            n_nonempty++;
        }
  /* Every filter has rows in this book. */
  g_assert_cmpuint (n_nonempty, ==, 8 * 11 * 2);
}

static void
test_search (Fixture       *fixture,
             gconstpointer  data)
{
  static const char * const searches[] = {
    "abc", "ABC.example", "100%", "100%_", "%", "_", "p-9", "p-", "7", "12", "/p/99", "nothing",
  };
  RelayOrderQuery query = { 0 };
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (searches); i++)
    for (int sort = RELAY_ORDER_SORT_ID; sort <= RELAY_ORDER_SORT_UPDATED; sort += 3)
      {
        query.search = searches[i];
        query.sort = sort;
        check_query (fixture, &query);
        query.filter = RELAY_ORDER_FILTER_ACTIVE;
        check_query (fixture, &query);
        query.filter = RELAY_ORDER_FILTER_ALL;
      }

  /* The literal cases, spelled out. */
  query.search = "%";
  g_assert_cmpint (relay_store_count_orders (fixture->book->store, &query, &error), ==, 12);
  query.search = "p-9";
  g_assert_cmpint (relay_store_count_orders (fixture->book->store, &query, &error), ==, 1);
  query.search = "   ";
  g_assert_cmpint (relay_store_count_orders (fixture->book->store, &query, &error), ==, 60);
  g_assert_cmpint (relay_store_count_orders (fixture->book->store, NULL, &error), ==, 60);
  g_assert_no_error (error);
}

void
add_list_tests (void)
{
  g_test_add ("/store/list/filters-sorts", Fixture, NULL, fixture_setup, test_filters_and_sorts,
              fixture_teardown);
  g_test_add ("/store/list/search", Fixture, NULL, fixture_setup, test_search, fixture_teardown);
}
