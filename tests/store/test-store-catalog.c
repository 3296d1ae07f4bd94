/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the catalogs (what a services sync changed) and my services. */
#include <string.h>

#include "test-store.h"

static GPtrArray *
new_services (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) test_provider_service_free);
}

static RelayCatalogRow *
find_row (GPtrArray  *rows,
          const char *service_id)
{
  for (guint i = 0; i < rows->len; i++)
    {
      RelayCatalogRow *row = g_ptr_array_index (rows, i);

      if (g_strcmp0 (row->service_id, service_id) == 0)
        return row;
    }
  return NULL;
}

static RelayCatalogRow *
get_row (Book       *book,
         gint64      provider_id,
         const char *service_id)
{
  g_autoptr (GError) error = NULL;
  RelayCatalogRow *row = relay_store_find_catalog_service (book->store, provider_id, service_id, &error);

  g_assert_no_error (error);
  return row;
}

static void
test_catalog_diff (Book          *book,
                   gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) services = new_services ();
  g_autoptr (GPtrArray) changes = NULL;
  gint64 provider_id;

  provider_id = relay_store_add_provider (book->store, "Diff", "https://diff.example", NULL, &error);
  g_assert_no_error (error);

  for (guint i = 1; i <= 7; i++)
    {
      g_autofree char *id = g_strdup_printf ("%u", i);

      g_ptr_array_add (services, make_provider_service (id, "Service", "Default", "1.00001", 100, 5000));
    }
  g_assert_true (relay_store_replace_catalog (book->store, provider_id, services, &changes, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, ==, 7);
  for (guint i = 0; i < changes->len; i++)
    {
      RelayCatalogRow *row = g_ptr_array_index (changes, i);

      g_assert_cmpstr (row->change, ==, "new");
      g_assert_cmpint (row->rate, ==, 1000010);
      g_assert_cmpstr (row->provider_name, ==, "Diff");
    }
  g_clear_pointer (&changes, g_ptr_array_unref);

  /* 1 up, 2 down, 3 limits, 4 type, 5 gone, 6 rate down and limits, 7 the same, 8 new. */
  g_ptr_array_set_size (services, 0);
  g_ptr_array_add (services, make_provider_service ("1", "Service", "Default", "1.00002", 100, 5000));
  g_ptr_array_add (services, make_provider_service ("2", "Service", "Default", "0.99999", 100, 5000));
  g_ptr_array_add (services, make_provider_service ("3", "Service", "Default", "1.00001", 50, 5000));
  g_ptr_array_add (services, make_provider_service ("4", "Service", "Package", "1.00001", 100, 5000));
  g_ptr_array_add (services, make_provider_service ("6", "Service", "Default", "0.5", 100, 10000));
  g_ptr_array_add (services, make_provider_service ("7", "Renamed", "default", "1.00001", 100, 5000));
  g_ptr_array_add (services, make_provider_service ("8", "Service", "Default", "3", 1, 10));
  g_ptr_array_add (services, make_provider_service ("8", "Duplicate", "Default", "4", 1, 10));
  book_reset_signals (book);
  g_assert_true (relay_store_replace_catalog (book->store, provider_id, services, &changes, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (book->n_catalog_changed, ==, 1);
  g_assert_cmpuint (book->n_commits, ==, 1);
  g_assert_cmpuint (changes->len, ==, 7);
  g_assert_cmpstr (find_row (changes, "1")->change, ==, "rate_up");
  g_assert_cmpint (find_row (changes, "1")->prev_rate, ==, 1000010);
  g_assert_cmpint (find_row (changes, "1")->rate, ==, 1000020);
  g_assert_cmpstr (find_row (changes, "2")->change, ==, "rate_down");
  g_assert_cmpint (find_row (changes, "2")->prev_rate, ==, 1000010);
  g_assert_cmpstr (find_row (changes, "3")->change, ==, "limits");
  g_assert_cmpint (find_row (changes, "3")->min, ==, 50);
  g_assert_cmpstr (find_row (changes, "4")->change, ==, "type");
  g_assert_cmpstr (find_row (changes, "5")->change, ==, "removed");
  g_assert_true (find_row (changes, "5")->removed);
  g_assert_cmpstr (find_row (changes, "6")->change, ==, "rate_down,limits");
  g_assert_null (find_row (changes, "7"));
  g_assert_cmpstr (find_row (changes, "8")->change, ==, "new");
  g_assert_cmpint (find_row (changes, "8")->rate, ==, 3000000);
  g_clear_pointer (&changes, g_ptr_array_unref);
  {
    g_autoptr (RelayCatalogRow) row = get_row (book, provider_id, "7");

    g_assert_null (row->change);
    g_assert_cmpstr (row->name, ==, "Renamed");
    g_assert_cmpint (row->prev_rate, ==, 0);
  }

  /* The same list again: nothing changed, 5 stays removed without a mark. */
  g_assert_true (relay_store_replace_catalog (book->store, provider_id, services, &changes, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, ==, 0);
  g_clear_pointer (&changes, g_ptr_array_unref);
  {
    g_autoptr (RelayCatalogRow) row = get_row (book, provider_id, "5");

    g_assert_true (row->removed);
    g_assert_null (row->change);
  }
  {
    g_autoptr (GPtrArray) listed = relay_store_list_catalog (book->store, provider_id, NULL, FALSE, &error);
    g_autoptr (GPtrArray) all = relay_store_list_catalog (book->store, provider_id, NULL, TRUE, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (listed->len, ==, 7);
    g_assert_cmpuint (all->len, ==, 8);
    /* Numeric order of the provider's ids. */
    g_assert_cmpstr (((RelayCatalogRow *) g_ptr_array_index (all, 0))->service_id, ==, "1");
    g_assert_cmpstr (((RelayCatalogRow *) g_ptr_array_index (all, 7))->service_id, ==, "8");
  }

  /* It comes back. */
  g_ptr_array_add (services, make_provider_service ("5", "Service", "Default", "1.00001", 100, 5000));
  g_assert_true (relay_store_replace_catalog (book->store, provider_id, services, &changes, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, ==, 1);
  g_assert_cmpstr (find_row (changes, "5")->change, ==, "new");
  g_assert_false (find_row (changes, "5")->removed);

  g_assert_false (relay_store_replace_catalog (book->store, 999, services, NULL, &error));
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_NOT_FOUND);
}

static void
test_catalog_search (Book          *book,
                     gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) by_name = relay_store_list_catalog (book->store, 0, "hq", FALSE, &error);
  g_autoptr (GPtrArray) by_id = relay_store_list_catalog (book->store, 0, "9", FALSE, &error);
  g_autoptr (GPtrArray) by_category = relay_store_list_catalog (book->store, book->provider_a, "category",
                                                               FALSE, &error);
  g_autoptr (GPtrArray) wildcard = relay_store_list_catalog (book->store, 0, "%", FALSE, &error);
  g_autoptr (RelayCatalogRow) missing = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (by_name->len, ==, 1);
  g_assert_cmpstr (((RelayCatalogRow *) g_ptr_array_index (by_name, 0))->service_id, ==, "2");
  g_assert_cmpuint (by_id->len, ==, 1);
  g_assert_cmpstr (((RelayCatalogRow *) g_ptr_array_index (by_id, 0))->name, ==, "Likes");
  g_assert_cmpuint (by_category->len, ==, 2);
  g_assert_cmpuint (wildcard->len, ==, 0);

  missing = relay_store_find_catalog_service (book->store, book->provider_a, "77", &error);
  g_assert_null (missing);
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "Provider “Provider A” has no service “77” in its catalog");
}

static void
test_catalog_speed (Book          *book,
                    gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) services = new_services ();
  g_autoptr (GPtrArray) changes = NULL;
  g_autoptr (GTimer) timer = g_timer_new ();
  double first;
  double second;

  for (guint i = 0; i < 5000; i++)
    {
      g_autofree char *id = g_strdup_printf ("%u", 1000 + i);
      g_autofree char *rate = g_strdup_printf ("%u.%05u", i % 7, (i * 7919) % 100000);

      g_ptr_array_add (services, make_provider_service (id, "A service with a long name", "Default",
                                                        rate, 10, 100000));
    }
  g_timer_start (timer);
  g_assert_true (relay_store_replace_catalog (book->store, book->provider_a, services, &changes, &error));
  first = g_timer_elapsed (timer, NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, ==, 5002);   /* 5,000 new, "1" and "2" removed */
  g_clear_pointer (&changes, g_ptr_array_unref);

  for (guint i = 0; i < services->len; i += 2)
    ((RelayProviderService *) g_ptr_array_index (services, i))->rate += 10;
  g_timer_start (timer);
  g_assert_true (relay_store_replace_catalog (book->store, book->provider_a, services, &changes, &error));
  second = g_timer_elapsed (timer, NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, ==, 2500);

  g_test_message ("5,000 services: first sync %.1f ms, second %.1f ms", first * 1000, second * 1000);
  /* Valgrind (its preload library) slows everything fifty-fold. */
  if (strstr (g_getenv ("LD_PRELOAD") ? g_getenv ("LD_PRELOAD") : "", "valgrind") != NULL)
    return;
  g_assert_cmpfloat (first, <, 1.0);
  g_assert_cmpfloat (second, <, 1.0);
}

static void
test_map_service (Book          *book,
                  gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = NULL;

  {
    g_autoptr (RelayServiceRow) service = relay_store_get_service (book->store, SERVICE_PLAIN, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (service->name, ==, "Plain followers");
    g_assert_cmpint (service->price, ==, 500000);
    g_assert_false (service->manual);
    g_assert_cmpint (service->primary->id, ==, book->catalog_a1);
    g_assert_cmpstr (service->primary->provider_name, ==, "Provider A");
    g_assert_nonnull (service->fallback);
    g_assert_cmpint (service->fallback->id, ==, book->catalog_a2);
    g_assert_cmpint (service->fallback->rate, ==, 300000);
  }

  /* A new one without a name takes the provider service's. */
  g_assert_true (relay_store_map_service (book->store, 20, NULL, 900000, book->catalog_b9, 0, FALSE, &error));
  g_assert_no_error (error);
  {
    g_autoptr (RelayServiceRow) service = relay_store_get_service (book->store, 20, &error);

    g_assert_cmpstr (service->name, ==, "Likes");
    g_assert_null (service->fallback);
  }
  /* Remapped: keeps its name, gains a fallback. */
  g_assert_true (relay_store_set_provider_balance (book->store, book->provider_a, 5, "EUR", &error));
  g_assert_true (relay_store_map_service (book->store, 20, NULL, 950000, book->catalog_a1, book->catalog_b9,
                                          TRUE, &error));
  g_assert_no_error (error);
  {
    g_autoptr (RelayServiceRow) service = relay_store_get_service (book->store, 20, &error);

    g_assert_cmpstr (service->name, ==, "Likes");
    g_assert_cmpint (service->price, ==, 950000);
    g_assert_true (service->manual);
    g_assert_cmpint (service->primary->id, ==, book->catalog_a1);
    g_assert_cmpint (service->fallback->id, ==, book->catalog_b9);
    g_assert_cmpstr (service->currency, ==, "EUR");
  }

  g_assert_false (relay_store_map_service (book->store, 21, "x", 1, 999, 0, FALSE, &error));
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (relay_store_map_service (book->store, 21, "x", 1, book->catalog_a1, 999, FALSE, &error));
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (relay_store_map_service (book->store, 0, "x", 1, book->catalog_a1, 0, FALSE, &error));
  g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE);
  g_clear_error (&error);

  list = relay_store_list_services (book->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 4);
  g_assert_cmpint (((RelayServiceRow *) g_ptr_array_index (list, 3))->id, ==, 20);

  g_assert_true (relay_store_remove_service (book->store, 20, &error));
  g_assert_no_error (error);
  g_assert_false (relay_store_remove_service (book->store, 20, &error));
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "No service with id 20");
}

/* A services reply with one malformed rate (parsed as a refused entry, see
 * /provider/reply/services): that entry is refused and its previous row
 * kept (not read as removed, not changed); a refused unknown id is not added. */
static RelayProviderService *
refused_service (const char *service_id)
{
  RelayProviderService *service = g_new0 (RelayProviderService, 1);

  service->service_id = g_strdup (service_id);
  service->refused = TRUE;
  return service;
}

static void
test_catalog_refused (Book          *book,
                      gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) services = new_services ();
  g_autoptr (GPtrArray) changes = NULL;
  g_autoptr (RelayCatalogRow) row = NULL;
  RelayCatalogRow *change;
  gint64 provider_id;

  provider_id = relay_store_add_provider (book->store, "Bad", "https://bad.example", NULL, &error);
  g_assert_no_error (error);
  g_ptr_array_add (services, make_provider_service ("101", "Likes", "Default", "1.00", 10, 100));
  g_ptr_array_add (services, make_provider_service ("102", "Followers", "Default", "2.00", 10, 100));
  g_assert_true (relay_store_replace_catalog (book->store, provider_id, services, NULL, &error));
  g_assert_no_error (error);

  g_ptr_array_set_size (services, 0);
  g_ptr_array_add (services, make_provider_service ("101", "Likes", "Default", "1.00", 10, 100));
  g_ptr_array_add (services, refused_service ("102"));
  g_ptr_array_add (services, refused_service ("103"));
  g_assert_true (relay_store_replace_catalog (book->store, provider_id, services, &changes, &error));
  g_assert_no_error (error);

  /* Only 102 is reported, as refused; 103 (never listed) is not added. */
  g_assert_cmpuint (changes->len, ==, 1);
  change = find_row (changes, "102");
  g_assert_nonnull (change);
  g_assert_cmpstr (change->change, ==, "refused");
  g_assert_false (change->removed);

  row = get_row (book, provider_id, "102");
  g_assert_false (row->removed);
  g_assert_cmpstr (row->name, ==, "Followers");
  g_assert_cmpint (row->rate, ==, 2000000);
  g_clear_pointer (&row, relay_catalog_row_free);
  row = relay_store_find_catalog_service (book->store, provider_id, "103", &error);
  g_assert_null (row);
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_NOT_FOUND);
}

void
add_catalog_tests (void)
{
  g_test_add ("/store/catalog/refused", Book, NULL, book_setup, test_catalog_refused, book_teardown);
  g_test_add ("/store/catalog/diff", Book, NULL, book_setup, test_catalog_diff, book_teardown);
  g_test_add ("/store/catalog/search", Book, NULL, book_setup, test_catalog_search, book_teardown);
  g_test_add ("/store/catalog/speed", Book, NULL, book_setup_file, test_catalog_speed, book_teardown);
  g_test_add ("/store/services/map", Book, NULL, book_setup, test_map_service, book_teardown);
}
