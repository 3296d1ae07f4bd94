/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The money: 10,000 random orders through the order book's state machine.
 * Per client the ledger is what was charged minus what was refunded, to the
 * micro-unit; per order what the client keeps paying is exactly the price of
 * what was delivered. */
#include "engine-test-util.h"

/* The checked money functions, for amounts a test knows are in range. */
static inline gint64
checked_price (gint64 per_thousand, gint64 units)
{
  gint64 amount = -1;

  g_assert_true (relay_money_for_quantity (per_thousand, units, &amount, NULL));
  return amount;
}

static inline gint64
checked_refund (gint64 per_thousand, gint64 units, gint64 delivered)
{
  gint64 amount = -1;

  g_assert_true (relay_money_refund (per_thousand, units, delivered, &amount, NULL));
  return amount;
}

#define N_ORDERS 10000
#define N_CLIENTS 23
#define N_SERVICES 17

typedef enum
{
  OUT_COMPLETED,
  OUT_OVER,            /* completed with negative remains (over-delivery) */
  OUT_PARTIAL,
  OUT_CANCELED,        /* nothing delivered */
  OUT_CANCELED_SOME,   /* canceled after some delivery */
  OUT_PROVIDER_FAIL,   /* the provider says "Fail" */
  OUT_REFUSED,         /* failed when sending (the provider said no) */
  OUT_NOT_SENT,        /* failed before it was sent (canceled while queued) */
  OUT_REVIEW_NO,       /* unknown outcome, then "it was not placed" */
  N_OUTCOMES
} Outcome;

static const char * const outcome_names[N_OUTCOMES] = {
  "completed", "over-delivered", "partial", "canceled", "canceled-some", "provider-fail",
  "refused", "not-sent", "review-not-placed",
};

typedef struct
{
  gint64  id;
  gint64  client_id;
  gint64  unit_price;   /* my price per 1,000 */
  gint64  units;        /* quantity × runs */
  gint64  remains;      /* what the provider will report at the end */
  Outcome outcome;
  gboolean active;      /* sent and not final yet */
} Model;

static gint64
expected_delivered (const Model *m)
{
  switch (m->outcome)
    {
    case OUT_COMPLETED:
    case OUT_OVER:
      return m->units;
    case OUT_PARTIAL:
    case OUT_CANCELED_SOME:
      return m->units - m->remains;
    default:
      return 0;
    }
}

static const char *
final_word (const Model *m, GRand *rand)
{
  switch (m->outcome)
    {
    case OUT_COMPLETED:
    case OUT_OVER:
      return g_rand_boolean (rand) ? "Completed" : "completed";
    case OUT_PARTIAL:
      return "Partial";
    case OUT_CANCELED:
    case OUT_CANCELED_SOME:
      return g_rand_boolean (rand) ? "Canceled" : (g_rand_boolean (rand) ? "Cancelled" : "Refunded");
    case OUT_PROVIDER_FAIL:
      return "Fail";
    default:
      g_assert_not_reached ();
    }
}

static void
apply_batch (RelayStore *store, GPtrArray *updates)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) changed = NULL;

  if (updates->len == 0)
    return;
  relay_store_apply_statuses (store, updates, &changed, &error);
  g_assert_no_error (error);
  g_ptr_array_set_size (updates, 0);
}

static RelayStatusUpdate *
update_new (gint64 order_id, const char *word, gboolean has_remains, gint64 remains)
{
  RelayStatusUpdate *update = g_new0 (RelayStatusUpdate, 1);

  update->order_id = order_id;
  update->status_word = word;
  update->has_remains = has_remains;
  update->remains = remains;
  update->currency = "USD";
  return update;
}

static void
test_random_ledger (void)
{
  g_autoptr(EtBook) book = et_book_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayStore) store = relay_store_open (book->db_path, &error);
  g_autoptr(GPtrArray) catalog = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_provider_service_free);
  g_autoptr(GPtrArray) drafts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) links = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) updates = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) ids = NULL;
  g_autofree Model *model = g_new0 (Model, N_ORDERS);
  gint64 clients[N_CLIENTS];
  gint64 services_price[N_SERVICES + 1];
  gint64 services_catalog[N_SERVICES + 1];
  gboolean services_drip[N_SERVICES + 1];
  gint64 expect_owed[N_CLIENTS] = { 0 };
  guint counts[N_OUTCOMES] = { 0 };
  guint32 seed = g_test_rand_int ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  gint64 provider_id;
  gint64 total_price = 0, total_refunded = 0;

  g_test_message ("seed %u", seed);
  g_assert_no_error (error);

  provider_id = relay_store_add_provider (store, "Ledger panel", "http://127.0.0.1:9/api/v2", "ref", &error);
  g_assert_no_error (error);
  for (guint i = 1; i <= N_SERVICES; i++)
    {
      RelayProviderService *service = g_new0 (RelayProviderService, 1);

      service->service_id = g_strdup_printf ("%u", 500 + i);
      service->name = g_strdup_printf ("Ledger service %u", i);
      service->type = g_strdup ("Default");
      service->category = g_strdup ("Ledger");
      service->rate = 10;   /* 0.00001 per 1,000: every price is above cost */
      service->min = 1;
      service->max = 10000000;
      service->dripfeed = i % 4 == 0;
      service->cancel = TRUE;
      g_ptr_array_add (catalog, service);
    }
  relay_store_replace_catalog (store, provider_id, catalog, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 1; i <= N_SERVICES; i++)
    {
      g_autofree char *psid = g_strdup_printf ("%u", 500 + i);
      g_autoptr(RelayCatalogRow) row = relay_store_find_catalog_service (store, provider_id, psid, &error);

      g_assert_no_error (error);
      /* A random price with 5 decimals: 0.00001 .. 99.99999 per 1,000. */
      services_price[i] = (gint64) g_rand_int_range (rand, 1, 10000000) * 10;
      services_catalog[i] = row->id;
      services_drip[i] = i % 4 == 0;
      relay_store_map_service (store, i, NULL, services_price[i], row->id, 0, FALSE, &error);
      g_assert_no_error (error);
    }
  for (guint i = 0; i < N_CLIENTS; i++)
    {
      g_autofree char *name = g_strdup_printf ("Client %u", i);

      clients[i] = relay_store_add_client (store, name, &error);
      g_assert_no_error (error);
    }

  /* The orders, recorded at once. */
  for (guint i = 0; i < N_ORDERS; i++)
    {
      RelayOrderDraft *draft = g_new0 (RelayOrderDraft, 1);
      Model *m = &model[i];
      guint service = g_rand_int_range (rand, 1, N_SERVICES + 1);
      gint64 quantity = 2 * g_rand_int_range (rand, 0, 5000) + 1;   /* odd: rounding matters */
      gint64 runs = services_drip[service] && g_rand_boolean (rand) ? g_rand_int_range (rand, 2, 8) : 0;

      g_ptr_array_add (links, g_strdup_printf ("https://example.com/ledger/%u", i));
      draft->service_id = service;
      draft->client_id = clients[g_rand_int_range (rand, 0, N_CLIENTS)];
      draft->link = g_ptr_array_index (links, i);
      draft->quantity = quantity;
      draft->runs = runs;
      draft->interval = runs > 0 ? g_rand_int_range (rand, 1, 60) : 0;
      g_ptr_array_add (drafts, draft);

      m->client_id = draft->client_id;
      m->unit_price = services_price[service];
      m->units = quantity * MAX (runs, 1);
      m->outcome = g_rand_int_range (rand, 0, N_OUTCOMES);
      switch (m->outcome)
        {
        case OUT_PARTIAL:
        case OUT_CANCELED_SOME:
          m->remains = m->units > 1 ? g_rand_int_range (rand, 1, (gint32) m->units) : 1;
          if (m->units == 1)
            m->outcome = OUT_CANCELED;
          break;
        case OUT_OVER:
          m->remains = -g_rand_int_range (rand, 1, 50);
          break;
        case OUT_CANCELED:
        case OUT_PROVIDER_FAIL:
          m->remains = m->units;
          break;
        default:
          m->remains = 0;
        }
      counts[m->outcome]++;
    }
  ids = relay_store_insert_orders (store, drafts, "test", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, N_ORDERS);
  for (guint i = 0; i < N_ORDERS; i++)
    model[i].id = g_array_index (ids, gint64, i);
  for (guint i = 0; i < N_OUTCOMES; i++)
    g_test_message ("%s: %u", outcome_names[i], counts[i]);

  /* Dispatch, as the dispatcher would record it. */
  for (guint i = 0; i < N_ORDERS; i++)
    {
      Model *m = &model[i];
      g_autoptr(RelayOrderRow) row = NULL;
      g_autofree char *pid = NULL;

      if (m->outcome == OUT_NOT_SENT)
        {
          relay_store_mark_failed (store, m->id, "Canceled before it was sent", "user", &error);
          g_assert_no_error (error);
          continue;
        }
      row = et_store_order (store, m->id);
      relay_store_mark_sending (store, m->id, row->catalog_id ? row->catalog_id
                                : services_catalog[row->service_id], &error);
      g_assert_no_error (error);
      if (m->outcome == OUT_REFUSED)
        {
          relay_store_mark_failed (store, m->id, "Not enough funds on balance", "dispatch", &error);
          g_assert_no_error (error);
          continue;
        }
      if (m->outcome == OUT_REVIEW_NO)
        {
          relay_store_mark_needs_review (store, m->id, "provider returned an HTML page (HTTP 502)", &error);
          g_assert_no_error (error);
          relay_store_review_not_placed (store, m->id, FALSE, &error);
          g_assert_no_error (error);
          continue;
        }
      pid = g_strdup_printf ("%" G_GINT64_FORMAT, 100000 + m->id);
      relay_store_mark_sent (store, m->id, pid, &error);
      g_assert_no_error (error);
      m->active = TRUE;
    }

  /* First sync: some start running (and report a remains on the way). */
  for (guint i = 0; i < N_ORDERS; i++)
    {
      Model *m = &model[i];

      if (!m->active || g_rand_int_range (rand, 0, 3) == 0)
        continue;
      g_ptr_array_add (updates, update_new (m->id, g_rand_boolean (rand) ? "In progress" : "Processing",
                                            TRUE, MAX (m->remains, 0) + (m->units - MAX (m->remains, 0)) / 2));
      if (updates->len == 100)
        apply_batch (store, updates);
    }
  apply_batch (store, updates);

  /* Then the end, in batches of 100 as the sync sends them; each final
   * reply comes twice (a second sync before the first was seen), which must
   * not refund twice. */
  for (guint round = 0; round < 2; round++)
    {
      for (guint i = 0; i < N_ORDERS; i++)
        {
          Model *m = &model[i];

          if (!m->active)
            continue;
          g_ptr_array_add (updates, update_new (m->id, final_word (m, rand), TRUE, m->remains));
          if (updates->len == 100)
            apply_batch (store, updates);
        }
      apply_batch (store, updates);
    }

  /* Per order. */
  for (guint i = 0; i < N_ORDERS; i++)
    {
      Model *m = &model[i];
      g_autoptr(RelayOrderRow) row = et_store_order (store, m->id);
      gint64 delivered = expected_delivered (m);
      gint64 price = checked_price (m->unit_price, m->units);

      if (row->price != price || row->price - row->refunded != checked_price (m->unit_price, delivered))
        g_error ("order %" G_GINT64_FORMAT " (%s, %" G_GINT64_FORMAT " units at %" G_GINT64_FORMAT
                 ", runs %" G_GINT64_FORMAT ", remains %" G_GINT64_FORMAT "): price %" G_GINT64_FORMAT
                 " (expected %" G_GINT64_FORMAT "), refunded %" G_GINT64_FORMAT " (expected %" G_GINT64_FORMAT ")",
                 m->id, outcome_names[m->outcome], m->units, m->unit_price, row->runs, m->remains,
                 row->price, price, row->refunded, checked_refund (m->unit_price, m->units, delivered));
      g_assert_cmpint (row->refunded, ==, checked_refund (m->unit_price, m->units, delivered));
      g_assert_true (relay_order_status_is_final (row->status));
      switch (m->outcome)
        {
        case OUT_COMPLETED:
        case OUT_OVER:
          g_assert_cmpint (row->status, ==, RELAY_ORDER_COMPLETED);
          break;
        case OUT_PARTIAL:
          g_assert_cmpint (row->status, ==, RELAY_ORDER_PARTIAL);
          break;
        case OUT_CANCELED:
        case OUT_CANCELED_SOME:
          g_assert_cmpint (row->status, ==, RELAY_ORDER_CANCELED);
          break;
        default:
          g_assert_cmpint (row->status, ==, RELAY_ORDER_FAILED);
        }
      for (guint c = 0; c < N_CLIENTS; c++)
        if (clients[c] == m->client_id)
          expect_owed[c] += row->price - row->refunded;
      total_price += row->price;
      total_refunded += row->refunded;
    }

  /* Per client: the ledger and the balance the client list shows. */
  for (guint c = 0; c < N_CLIENTS; c++)
    {
      g_autoptr(RelayClientRow) client = relay_store_get_client (store, clients[c], &error);
      gint64 charges = 0, refunds = 0;
      g_autoptr(GPtrArray) ledger = relay_store_list_ledger (store, clients[c], &error);

      g_assert_no_error (error);
      for (guint i = 0; i < ledger->len; i++)
        {
          RelayLedgerEntry *entry = g_ptr_array_index (ledger, i);

          if (g_str_equal (entry->kind, "charge"))
            charges += entry->amount;
          else if (g_str_equal (entry->kind, "refund"))
            refunds += entry->amount;
          else
            g_error ("unexpected ledger entry kind %s", entry->kind);
          g_assert_cmpint (entry->order_id, >, 0);
        }
      g_assert_cmpint (charges + refunds, ==, expect_owed[c]);
      g_assert_cmpint (et_ledger_sum (store, clients[c]), ==, expect_owed[c]);
      g_assert_cmpint (client->balance, ==, expect_owed[c]);
    }
  g_test_message ("charged %" G_GINT64_FORMAT ", refunded %" G_GINT64_FORMAT " micro-units",
                  total_price, total_refunded);
}

/* A panel that corrects the numbers of a finished partial order (some do,
 * a sync later): the book must stay consistent, what the client pays always
 * being the price of what the book says was delivered. */
static void
test_correction (void)
{
  g_autoptr(EtBook) book = et_book_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayStore) store = relay_store_open (book->db_path, &error);
  g_autoptr(GPtrArray) catalog = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_provider_service_free);
  g_autoptr(GPtrArray) drafts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) updates = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(RelayOrderRow) row = NULL;
  g_autoptr(RelayCatalogRow) catalog_row = NULL;
  RelayProviderService *service = g_new0 (RelayProviderService, 1);
  RelayOrderDraft *draft = g_new0 (RelayOrderDraft, 1);
  gint64 provider_id, client_id, id;
  const gint64 unit = 1234570;   /* 1.23457 per 1,000 */

  provider_id = relay_store_add_provider (store, "Panel", "http://127.0.0.1:9/api/v2", "ref", &error);
  g_assert_no_error (error);
  service->service_id = g_strdup ("1");
  service->name = g_strdup ("Likes");
  service->type = g_strdup ("Default");
  service->category = g_strdup ("Likes");
  service->rate = 10;
  service->min = 1;
  service->max = 100000;
  g_ptr_array_add (catalog, service);
  relay_store_replace_catalog (store, provider_id, catalog, NULL, &error);
  g_assert_no_error (error);
  catalog_row = relay_store_find_catalog_service (store, provider_id, "1", &error);
  relay_store_map_service (store, 1, NULL, unit, catalog_row->id, 0, FALSE, &error);
  g_assert_no_error (error);
  client_id = relay_store_add_client (store, "Client", &error);
  draft->service_id = 1;
  draft->client_id = client_id;
  draft->link = "https://example.com/correction";
  draft->quantity = 1001;
  g_ptr_array_add (drafts, draft);
  ids = relay_store_insert_orders (store, drafts, "test", &error);
  g_assert_no_error (error);
  id = g_array_index (ids, gint64, 0);
  relay_store_mark_sending (store, id, catalog_row->id, &error);
  g_assert_no_error (error);
  relay_store_mark_sent (store, id, "777", &error);
  g_assert_no_error (error);

  g_ptr_array_add (updates, update_new (id, "Partial", TRUE, 401));
  apply_batch (store, updates);
  row = et_store_order (store, id);
  g_assert_cmpint (row->status, ==, RELAY_ORDER_PARTIAL);
  g_assert_cmpint (row->refunded, ==, checked_refund (unit, 1001, 600));
  g_clear_pointer (&row, relay_order_row_free);

  /* The next reply says 301 remained, not 401. */
  g_ptr_array_add (updates, update_new (id, "Partial", TRUE, 301));
  apply_batch (store, updates);
  row = et_store_order (store, id);
  g_assert_cmpint (row->status, ==, RELAY_ORDER_PARTIAL);
  g_assert_true (row->has_remains);
  g_assert_cmpint (row->price - row->refunded, ==,
                   checked_price (unit, row->quantity - row->remains));
  g_assert_cmpint (et_ledger_sum (store, client_id), ==, row->price - row->refunded);
}

int
main (int argc, char **argv)
{
  et_init (&argc, &argv);
  g_test_add_func ("/engine/ledger/random-10000", test_random_ledger);
  g_test_add_func ("/engine/ledger/correction", test_correction);
  return g_test_run ();
}
