/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Price rules: the markup typed by a person, the rule's price with its
 * rounding step and limits, repricing after a catalog sync (through the
 * simulator on 127.0.0.1), the rate-change history and the below-cost stop
 * of fixed prices. */
#include "engine-test-util.h"
#include "relay-price-rule.h"
#include "relay-format.h"

#include <inttypes.h>
#include <locale.h>
#include <sqlite3.h>

#define FOLLOWERS 1   /* my service on sim 101 */
#define LIKES     2   /* my service on sim 102 */
#define PROFILE "https://instagram.com/someone"

typedef struct
{
  EtBook     *book;
  RelaySim   *sim;
  RelayCore  *core;
  RelayStore *store;
  gint64      provider_id;
  guint       n_signals;
  gint64      signal_provider;
  guint       signal_changes;
  guint       signal_below;
} Fixture;

/* A two-service catalog with the given rates (per 1,000, as the panel writes them). */
static char *
catalog (const char *followers_rate, const char *likes_rate)
{
  return g_strdup_printf ("[{\"service\": 101, \"name\": \"Instagram Followers\", \"type\": \"Default\", "
                          "\"category\": \"Instagram\", \"rate\": \"%s\", \"min\": 50, \"max\": 10000, "
                          "\"refill\": true, \"cancel\": true},"
                          " {\"service\": \"102\", \"name\": \"Instagram Likes\", \"type\": \"Default\", "
                          "\"category\": \"Instagram\", \"rate\": \"%s\", \"min\": 10, \"max\": 5000}]",
                          followers_rate, likes_rate);
}

static GPtrArray *
sync_catalog (Fixture *f, const char *followers_rate, const char *likes_rate)
{
  g_autofree char *body = catalog (followers_rate, likes_rate);
  g_autoptr(GError) error = NULL;
  EtAsync async = { 0 };
  GPtrArray *changes;

  relay_sim_inject_reply (f->sim, "services", body, 1);
  relay_core_sync_services_async (f->core, f->provider_id, NULL, et_async_ready, &async);
  changes = relay_core_sync_services_finish (f->core, et_async_wait (&async), &error);
  g_assert_no_error (error);
  g_assert_nonnull (changes);
  et_async_clear (&async);
  return changes;
}

static void
prices_changed_cb (RelayCore *core, gint64 provider_id, guint n_changes, guint n_below, Fixture *f)
{
  f->n_signals++;
  f->signal_provider = provider_id;
  f->signal_changes = n_changes;
  f->signal_below = n_below;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) first = NULL;

  f->book = et_book_new ();
  f->sim = et_sim_new ();
  relay_sim_set_speed (f->sim, 0);
  f->core = et_core_new (f->book);
  f->store = relay_core_get_store (f->core);
  url = relay_sim_dup_url (f->sim);
  f->provider_id = relay_core_add_provider (f->core, "Sim", url, "demo-key", &error);
  g_assert_no_error (error);
  first = sync_catalog (f, "0.90", "2.00");
  g_signal_connect (f->core, "prices-changed", G_CALLBACK (prices_changed_cb), f);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->core);
  g_clear_object (&f->sim);
  g_clear_pointer (&f->book, et_book_free);
}

static RelayServiceRow *
service (Fixture *f, gint64 id)
{
  g_autoptr(GError) error = NULL;
  RelayServiceRow *row = relay_store_get_service (f->store, id, &error);

  g_assert_no_error (error);
  return row;
}

static GPtrArray *
history (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *rows = relay_core_list_price_changes (f->core, 0, 0, 0, 0, &error);

  g_assert_no_error (error);
  g_assert_nonnull (rows);
  return rows;
}

static void
map_rule (Fixture *f, gint64 id, const char *psid, gint64 markup_ppm, gint64 step)
{
  g_autoptr(GError) error = NULL;

  relay_core_map_service_full (f->core, id, NULL, 0, markup_ppm, step, f->provider_id, psid, 0,
                               NULL, FALSE, &error);
  g_assert_no_error (error);
}

static void
map_fixed (Fixture *f, gint64 id, const char *psid, gint64 price)
{
  g_autoptr(GError) error = NULL;

  relay_core_map_service (f->core, id, NULL, price, f->provider_id, psid, 0, NULL, FALSE, &error);
  g_assert_no_error (error);
}

/* ---- pure parts ---- */

static void
test_parse_markup (void)
{
  static const struct { const char *text; gint64 ppm; } good[] = {
    { "35", 350000 }, { "35.5", 355000 }, { "0.25", 2500 }, { " 35 % ", 350000 },
    { "0", 0 }, { "1000", 10000000 }, { "1000.0000", 10000000 }, { "0.0001", 1 },
    { "12.3456", 123456 }, { "007", 70000 },
  };
  static const struct { const char *text; int code; const char *says; } bad[] = {
    { "-5", RELAY_INPUT_ERROR_RANGE, "negative" },
    { "−5", RELAY_INPUT_ERROR_RANGE, "negative" },
    { "1000.0001", RELAY_INPUT_ERROR_RANGE, "1,000" },
    { "1001", RELAY_INPUT_ERROR_RANGE, "1,000" },
    { "99999999999999999999999", RELAY_INPUT_ERROR_RANGE, "1,000" },
    { "35.12345", RELAY_INPUT_ERROR_INVALID, "5 decimals" },
    { "abc", RELAY_INPUT_ERROR_INVALID, "not a markup" },
    { "", RELAY_INPUT_ERROR_INVALID, "Type a markup" },
    { "%", RELAY_INPUT_ERROR_INVALID, "Type a markup" },
    { "3e2", RELAY_INPUT_ERROR_INVALID, "not a markup" },
    { "+35", RELAY_INPUT_ERROR_INVALID, "not a markup" },
    { "35.", RELAY_INPUT_ERROR_INVALID, "not a markup" },
    { ".", RELAY_INPUT_ERROR_INVALID, "not a markup" },
    { "1.2.3", RELAY_INPUT_ERROR_INVALID, "not a markup" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 ppm = -1;

      g_assert_true (relay_price_parse_markup (good[i].text, &ppm, &error));
      g_assert_no_error (error);
      g_assert_cmpint (ppm, ==, good[i].ppm);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 ppm = -7;

      g_assert_false (relay_price_parse_markup (bad[i].text, &ppm, &error));
      g_assert_error (error, RELAY_INPUT_ERROR, bad[i].code);
      g_test_message ("“%s”: %s", bad[i].text, error->message);
      g_assert_nonnull (strstr (error->message, bad[i].says));
      g_assert_cmpint (ppm, ==, -7);
    }
  {
    g_autofree char *a = relay_price_format_markup (355000);
    g_autofree char *b = relay_price_format_markup (2500);
    g_autofree char *c = relay_price_format_markup (350000);
    g_autofree char *d = relay_price_format_markup (1);

    g_assert_cmpstr (a, ==, "35.5");
    g_assert_cmpstr (b, ==, "0.25");
    g_assert_cmpstr (c, ==, "35");
    g_assert_cmpstr (d, ==, "0.0001");
  }
}

static gint64
apply (gint64 rate, gint64 ppm, gint64 step)
{
  g_autoptr(GError) error = NULL;
  gint64 price = -1;

  g_assert_true (relay_price_apply_rule (rate, ppm, step, &price, &error));
  g_assert_no_error (error);
  return price;
}

static void
test_rule_rounding (void)
{
  /* 0.90 + 35 % = 1.215, up to the next 0.05 = 1.25. */
  g_assert_cmpint (apply (900000, 350000, 50000), ==, 1250000);
  /* 0.90 + 50 % = 1.35 exactly: a multiple of the step stays. */
  g_assert_cmpint (apply (900000, 500000, 50000), ==, 1350000);
  g_assert_cmpint (apply (1200000, 500000, 50000), ==, 1800000);
  /* No step: exact to the micro-unit, rounded UP (1.35 micro -> 2). */
  g_assert_cmpint (apply (278190, 100000, 0), ==, 306009);
  g_assert_cmpint (apply (1, 350000, 0), ==, 2);
  g_assert_cmpint (apply (3, 333333, 0), ==, 4);
  /* A step larger than the price: one step. */
  g_assert_cmpint (apply (10000, 0, 1000000), ==, 1000000);
  /* Markup 0 and step 1 micro: the rate itself. */
  g_assert_cmpint (apply (900000, 0, 1), ==, 900000);
  /* 1,000 %: eleven times the rate. */
  g_assert_cmpint (apply (900000, RELAY_PRICE_MAX_MARKUP_PPM, 0), ==, 9900000);
  g_assert_cmpint (apply (0, 350000, 50000), ==, 0);

  /* Never below cost, always on the step, never more than a step above the exact price. */
  for (guint i = 0; i < 20000; i++)
    {
      gint64 rate = g_test_rand_int_range (0, 2000000000) * (gint64) g_test_rand_int_range (1, 45);
      gint64 ppm = g_test_rand_int_range (0, RELAY_PRICE_MAX_MARKUP_PPM + 1);
      gint64 step = g_test_rand_bit () ? 0 : g_test_rand_int_range (1, 5000000);
      gint64 price = apply (rate, ppm, step);
      /* exact = rate × (10^6 + ppm) / 10^6, in 128 bits to check the 64-bit path. */
      __int128 exact_num = (__int128) rate * (RELAY_MICRO + ppm);

      g_assert_cmpint (price, >=, rate);
      g_assert_true ((__int128) price * RELAY_MICRO >= exact_num);
      if (step > 0)
        {
          g_assert_cmpint (price % step, ==, 0);
          g_assert_true (((__int128) price - step) * RELAY_MICRO < exact_num);
        }
      else
        g_assert_true (((__int128) price - 1) * RELAY_MICRO < exact_num);
    }
}

static void
test_rule_overflow (void)
{
  static const struct { gint64 rate; gint64 ppm; gint64 step; } refused[] = {
    { RELAY_MONEY_MAX_PER_THOUSAND, 1, 0 },
    { RELAY_MONEY_MAX_PER_THOUSAND, 0, 3 },
    { RELAY_MONEY_MAX_PER_THOUSAND - 1, 0, RELAY_MONEY_MAX_PER_THOUSAND + 1 },
    { 9000000000000, RELAY_PRICE_MAX_MARKUP_PPM, 0 },
    { G_MAXINT64, RELAY_PRICE_MAX_MARKUP_PPM, 0 },
    { G_MAXINT64, 0, 0 },
    { 1, 0, G_MAXINT64 },
    { G_MAXINT64 - 5, 0, G_MAXINT64 },
    { -1, 0, 0 },
    { 1000, -1, 0 },
    { 1000, RELAY_PRICE_MAX_MARKUP_PPM + 1, 0 },
    { 1000, 0, -5 },
  };

  /* The highest rate with no markup is still a price. */
  g_assert_cmpint (apply (RELAY_MONEY_MAX_PER_THOUSAND, 0, 0), ==, RELAY_MONEY_MAX_PER_THOUSAND);
  g_assert_cmpint (apply (RELAY_MONEY_MAX_PER_THOUSAND, 0, 1000000), ==, RELAY_MONEY_MAX_PER_THOUSAND);
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 price = -7;

      g_assert_false (relay_price_apply_rule (refused[i].rate, refused[i].ppm, refused[i].step,
                                              &price, &error));
      g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE);
      g_assert_cmpint (price, ==, -7);
      g_test_message ("%" PRId64 " +%" PRId64 " ppm step %" PRId64 ": %s", refused[i].rate,
                      refused[i].ppm, refused[i].step, error->message);
    }
}

/* ---- with the order book and the simulator ---- */

static void
test_reprice_up_down (Fixture *f, gconstpointer data)
{
  g_autoptr(RelayServiceRow) before = NULL;
  g_autoptr(RelayServiceRow) up = NULL;
  g_autoptr(RelayServiceRow) down = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *text = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *cost_new = NULL;
  g_autofree char *price_new = NULL;
  RelayPriceChange *change;

  map_rule (f, FOLLOWERS, "101", 500000, 50000);
  before = service (f, FOLLOWERS);
  g_assert_true (before->has_rule);
  g_assert_cmpint (before->markup_ppm, ==, 500000);
  g_assert_cmpint (before->price_step, ==, 50000);
  g_assert_cmpint (before->price, ==, 1350000);

  changes = sync_catalog (f, "1.20", "2.00");
  up = service (f, FOLLOWERS);
  g_assert_cmpint (up->price, ==, 1800000);
  g_assert_true (up->has_rule);
  g_assert_cmpuint (f->n_signals, ==, 1);
  g_assert_cmpint (f->signal_provider, ==, f->provider_id);
  g_assert_cmpuint (f->signal_changes, ==, 1);
  g_assert_cmpuint (f->signal_below, ==, 0);

  rows = history (f);
  g_assert_cmpuint (rows->len, ==, 1);
  change = g_ptr_array_index (rows, 0);
  g_assert_cmpint (change->service_id, ==, FOLLOWERS);
  g_assert_cmpstr (change->service_name, ==, "Instagram Followers");
  g_assert_cmpint (change->provider_id, ==, f->provider_id);
  g_assert_cmpint (change->old_cost, ==, 900000);
  g_assert_cmpint (change->new_cost, ==, 1200000);
  g_assert_cmpint (change->old_price, ==, 1350000);
  g_assert_cmpint (change->new_price, ==, 1800000);
  g_assert_false (change->below_cost);
  g_assert_cmpint (change->at, >, 0);

  text = relay_price_change_describe (change);
  cost_new = relay_format_money (1200000, change->currency, RELAY_MONEY_STYLE_UNIT_PRICE);
  price_new = relay_format_money (1800000, change->currency, RELAY_MONEY_STYLE_UNIT_PRICE);
  expected = g_strdup_printf ("Instagram Followers: cost 0.90 → %s, your price 1.35 → %s",
                              cost_new, price_new);
  g_test_message ("%s", text);
  g_assert_cmpstr (text, ==, expected);

  g_clear_pointer (&changes, g_ptr_array_unref);
  g_clear_pointer (&rows, g_ptr_array_unref);
  changes = sync_catalog (f, "0.80", "2.00");
  down = service (f, FOLLOWERS);
  /* 0.80 × 1.5 = 1.20, on the step. */
  g_assert_cmpint (down->price, ==, 1200000);
  rows = history (f);
  g_assert_cmpuint (rows->len, ==, 2);
  change = g_ptr_array_index (rows, 0);   /* newest first */
  g_assert_cmpint (change->old_cost, ==, 1200000);
  g_assert_cmpint (change->new_cost, ==, 800000);
  g_assert_cmpint (change->old_price, ==, 1800000);
  g_assert_cmpint (change->new_price, ==, 1200000);
  g_assert_cmpuint (f->n_signals, ==, 2);
}

static void
test_no_change_no_history (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) a = NULL;
  g_autoptr(GPtrArray) b = NULL;
  g_autoptr(GPtrArray) c = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(RelayServiceRow) likes = NULL;

  map_rule (f, FOLLOWERS, "101", 350000, 50000);
  map_fixed (f, LIKES, "102", 3000000);
  a = sync_catalog (f, "0.90", "2.00");
  b = sync_catalog (f, "0.90", "2.00");
  rows = history (f);
  g_assert_cmpuint (rows->len, ==, 0);
  g_assert_cmpuint (f->n_signals, ==, 0);

  /* Only the service whose rate moved is recorded; the other stays silent. */
  g_clear_pointer (&rows, g_ptr_array_unref);
  c = sync_catalog (f, "0.90", "2.10");
  rows = history (f);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpint (((RelayPriceChange *) g_ptr_array_index (rows, 0))->service_id, ==, LIKES);
  /* A fixed price is never repriced. */
  likes = service (f, LIKES);
  g_assert_false (likes->has_rule);
  g_assert_cmpint (likes->price, ==, 3000000);
}

static void
test_two_syncs (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) a = NULL;
  g_autoptr(GPtrArray) b = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) newer = NULL;
  g_autoptr(GPtrArray) one = NULL;
  g_autoptr(GPtrArray) later = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayServiceRow) s = NULL;
  RelayPriceChange *first, *second;

  map_rule (f, FOLLOWERS, "101", 350000, 50000);
  a = sync_catalog (f, "1.00", "2.00");
  b = sync_catalog (f, "1.10", "2.00");
  s = service (f, FOLLOWERS);
  /* 1.10 × 1.35 = 1.485 -> 1.50. */
  g_assert_cmpint (s->price, ==, 1500000);
  rows = history (f);
  g_assert_cmpuint (rows->len, ==, 2);
  second = g_ptr_array_index (rows, 0);
  first = g_ptr_array_index (rows, 1);
  g_assert_cmpint (second->id, >, first->id);
  /* 0.90 -> 1.00: 1.215 -> 1.25 became 1.35 -> 1.35. */
  g_assert_cmpint (first->old_cost, ==, 900000);
  g_assert_cmpint (first->new_cost, ==, 1000000);
  g_assert_cmpint (first->old_price, ==, 1250000);
  g_assert_cmpint (first->new_price, ==, 1350000);
  /* The second starts where the first ended. */
  g_assert_cmpint (second->old_cost, ==, first->new_cost);
  g_assert_cmpint (second->old_price, ==, first->new_price);
  g_assert_cmpint (second->new_price, ==, 1500000);
  g_assert_cmpuint (f->n_signals, ==, 2);

  newer = relay_core_list_price_changes (f->core, 0, first->id, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (newer->len, ==, 1);
  g_assert_cmpint (((RelayPriceChange *) g_ptr_array_index (newer, 0))->id, ==, second->id);
  one = relay_core_list_price_changes (f->core, f->provider_id, 0, 0, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (one->len, ==, 1);
  later = relay_core_list_price_changes (f->core, 0, 0, second->at + 1, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (later->len, ==, 0);
}

static void
test_fixed_below_cost (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(RelayServiceRow) fixed = NULL;
  g_autoptr(RelayServiceRow) rule = NULL;
  g_autoptr(GPtrArray) drafts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) problem = NULL;
  g_autofree char *text = NULL;
  RelayOrderDraft *draft = g_new0 (RelayOrderDraft, 1);
  guint n_below = 0;

  map_fixed (f, FOLLOWERS, "101", 1000000);
  map_rule (f, 3, "101", 200000, 0);
  changes = sync_catalog (f, "1.20", "2.00");

  fixed = service (f, FOLLOWERS);
  g_assert_cmpint (fixed->price, ==, 1000000);
  g_assert_false (relay_service_check_orderable (fixed, &problem));
  g_assert_error (problem, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_BELOW_COST);
  rule = service (f, 3);
  g_assert_cmpint (rule->price, ==, 1440000);
  g_assert_true (relay_service_check_orderable (rule, NULL));

  rows = history (f);
  g_assert_cmpuint (rows->len, ==, 2);
  for (guint i = 0; i < rows->len; i++)
    {
      RelayPriceChange *change = g_ptr_array_index (rows, i);

      g_assert_cmpint (change->new_cost, ==, 1200000);
      if (change->service_id == FOLLOWERS)
        {
          g_assert_true (change->below_cost);
          g_assert_cmpint (change->old_price, ==, 1000000);
          g_assert_cmpint (change->new_price, ==, 1000000);
          text = relay_price_change_describe (change);
          n_below++;
        }
      else
        g_assert_false (change->below_cost);
    }
  g_assert_cmpuint (n_below, ==, 1);
  g_assert_cmpuint (f->n_signals, ==, 1);
  g_assert_cmpuint (f->signal_changes, ==, 2);
  g_assert_cmpuint (f->signal_below, ==, 1);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "orders stopped"));

  /* It stops taking orders. */
  draft->service_id = FOLLOWERS;
  draft->link = PROFILE;
  draft->quantity = 100;
  g_ptr_array_add (drafts, draft);
  ids = relay_core_place_orders (f->core, drafts, "test", &error);
  g_assert_null (ids);
  g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_BELOW_COST);
}

static void
test_overflow_at_max_rate (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(RelayServiceRow) s = NULL;
  g_autoptr(GError) problem = NULL;
  RelayPriceChange *change;

  map_rule (f, FOLLOWERS, "101", 350000, 50000);
  /* The highest rate SMM Relay prices: 35 % on it is beyond the limit. */
  changes = sync_catalog (f, "1000000", "2.00");
  s = service (f, FOLLOWERS);
  g_assert_cmpint (s->price, ==, 1250000);     /* kept, not wrapped */
  g_assert_false (relay_service_check_orderable (s, &problem));
  rows = history (f);
  g_assert_cmpuint (rows->len, ==, 1);
  change = g_ptr_array_index (rows, 0);
  g_assert_cmpint (change->new_cost, ==, RELAY_MONEY_MAX_PER_THOUSAND);
  g_assert_cmpint (change->new_price, ==, 1250000);
  g_assert_true (change->below_cost);
  g_assert_cmpuint (f->signal_below, ==, 1);

  /* A rate beyond the limit. */
  g_clear_pointer (&changes, g_ptr_array_unref);
  g_clear_pointer (&rows, g_ptr_array_unref);
  changes = sync_catalog (f, "9000000000000", "2.00");
  rows = history (f);
  g_assert_cmpuint (rows->len, ==, 2);
}

static void
test_set_rule (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayServiceRow) ruled = NULL;
  g_autoptr(RelayServiceRow) fixed = NULL;
  g_autoptr(RelayServiceRow) remapped = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  map_fixed (f, FOLLOWERS, "101", 2000000);
  g_assert_true (relay_core_set_price_rule (f->core, FOLLOWERS, 350000, 50000, &error));
  g_assert_no_error (error);
  ruled = service (f, FOLLOWERS);
  g_assert_true (ruled->has_rule);
  g_assert_cmpint (ruled->price, ==, 1250000);

  /* Back to fixed: keeps the price the rule gave, and a sync no longer moves it. */
  g_assert_true (relay_core_set_price_rule (f->core, FOLLOWERS, -1, 0, &error));
  g_assert_no_error (error);
  fixed = service (f, FOLLOWERS);
  g_assert_false (fixed->has_rule);
  g_assert_cmpint (fixed->price, ==, 1250000);
  changes = sync_catalog (f, "1.00", "2.00");
  g_clear_pointer (&fixed, relay_service_row_free);
  fixed = service (f, FOLLOWERS);
  g_assert_cmpint (fixed->price, ==, 1250000);
  rows = history (f);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpint (((RelayPriceChange *) g_ptr_array_index (rows, 0))->new_price, ==, 1250000);

  /* Mapping with a fixed price drops a rule. */
  g_assert_true (relay_core_set_price_rule (f->core, FOLLOWERS, 100000, 0, &error));
  map_fixed (f, FOLLOWERS, "101", 1500000);
  remapped = service (f, FOLLOWERS);
  g_assert_false (remapped->has_rule);
  g_assert_cmpint (remapped->price, ==, 1500000);

  /* Refused: a rule beyond the limit, a negative step, an unknown service. */
  g_assert_false (relay_core_set_price_rule (f->core, FOLLOWERS, RELAY_PRICE_MAX_MARKUP_PPM + 1, 0,
                                             &error));
  g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE);
  g_clear_error (&error);
  g_assert_false (relay_core_set_price_rule (f->core, FOLLOWERS, 0, -1, &error));
  g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE);
  g_clear_error (&error);
  g_assert_false (relay_core_set_price_rule (f->core, 99, 0, 0, &error));
  g_assert_error (error, RELAY_STORE_ERROR, RELAY_STORE_ERROR_NOT_FOUND);
}

static void
test_rule_on_zero_rate (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(RelayServiceRow) s = NULL;

  changes = sync_catalog (f, "0", "2.00");
  g_assert_false (relay_core_map_service_full (f->core, FOLLOWERS, NULL, 0, 350000, 0,
                                               f->provider_id, "101", 0, NULL, FALSE, &error));
  g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  /* A rule whose rate drops to 0 keeps its last price. */
  g_clear_pointer (&changes, g_ptr_array_unref);
  changes = sync_catalog (f, "0.90", "2.00");
  map_rule (f, FOLLOWERS, "101", 350000, 50000);
  g_clear_pointer (&changes, g_ptr_array_unref);
  changes = sync_catalog (f, "0", "2.00");
  s = service (f, FOLLOWERS);
  g_assert_cmpint (s->price, ==, 1250000);
}

static void
test_unmapped_not_recorded (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  map_rule (f, FOLLOWERS, "101", 350000, 50000);
  changes = sync_catalog (f, "0.90", "5.00");
  rows = history (f);
  g_assert_cmpuint (rows->len, ==, 0);
  g_assert_cmpuint (f->n_signals, ==, 0);
}

/* The catalog write of a 1,000-service sync that reprices 200 services:
 * measured (the main-loop budget is 16 ms) and checked for exactness. */
static void
test_big_catalog (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) services = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_provider_service_free);
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GPtrArray) price_changes = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;
  double ms;

  for (guint round = 0; round < 3; round++)
    {
      g_ptr_array_set_size (services, 0);
      for (guint i = 0; i < 1000; i++)
        {
          RelayProviderService *s = g_new0 (RelayProviderService, 1);

          s->service_id = g_strdup_printf ("%u", 5000 + i);
          s->name = g_strdup_printf ("Service %u", i);
          s->type = g_strdup ("Default");
          s->category = g_strdup ("Bulk");
          s->rate = 1000000 + i + (round == 2 ? 10000 : 0);
          s->min = 10;
          s->max = 100000;
          g_ptr_array_add (services, s);
        }
      if (round == 1)
        for (guint i = 0; i < 200; i++)
          {
            g_autofree char *psid = g_strdup_printf ("%u", 5000 + i * 5);
            map_rule (f, 100 + i, psid, 350000, 50000);
          }
      g_clear_pointer (&changes, g_ptr_array_unref);
      g_clear_pointer (&price_changes, g_ptr_array_unref);
      start = g_get_monotonic_time ();
      g_assert_true (relay_store_replace_catalog_full (f->store, f->provider_id, services, &changes,
                                                       &price_changes, &error));
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_assert_no_error (error);
      g_test_message ("round %u: 1,000 services, %u changes, %u price changes in %.1f ms",
                      round, changes->len, price_changes->len, ms);
    }
  /* The changed rows come back whole, in catalog order. */
  g_assert_cmpuint (changes->len, ==, 1000);
  for (guint i = 0; i < changes->len; i++)
    {
      RelayCatalogRow *row = g_ptr_array_index (changes, i);
      g_autofree char *psid = g_strdup_printf ("%u", 5000 + i);

      g_assert_nonnull (row);
      g_assert_cmpstr (row->service_id, ==, psid);
      g_assert_cmpint (row->rate, ==, 1000000 + i + 10000);
      g_assert_cmpint (row->prev_rate, ==, 1000000 + i);
      g_assert_cmpstr (row->change, ==, "rate_up");
    }
  g_assert_cmpuint (price_changes->len, ==, 200);
  for (guint i = 0; i < 200; i++)
    {
      g_autoptr(RelayServiceRow) s = service (f, 100 + i);
      gint64 rate = 1000000 + i * 5 + 10000;

      g_assert_cmpint (s->price, ==, apply (rate, 350000, 50000));
    }
}

static int
count_commit (void *data)
{
  (*(guint *) data)++;
  return 0;
}

static void
count_catalog_changed (RelayStore *store, gint64 provider_id, guint *n)
{
  (*n)++;
}

/* The catalog write of a sync happens on a connection of its own in a
 * worker thread: the main connection (the window's) commits nothing, and the
 * store's ::catalog-changed still comes, on this thread, with the new rows
 * visible to it. */
static void
test_sync_writes_off_main (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(RelayServiceRow) s = NULL;
  guint n_commits = 0;
  guint n_changed = 0;

  map_rule (f, FOLLOWERS, "101", 500000, 50000);
  sqlite3_commit_hook (relay_store_get_db (f->store), count_commit, &n_commits);
  g_signal_connect (f->store, "catalog-changed", G_CALLBACK (count_catalog_changed), &n_changed);
  changes = sync_catalog (f, "1.20", "2.00");
  sqlite3_commit_hook (relay_store_get_db (f->store), NULL, NULL);
  g_test_message ("main-connection commits during the sync: %u", n_commits);
  g_assert_cmpuint (n_commits, ==, 0);
  g_assert_cmpuint (n_changed, >=, 1);
  g_assert_cmpuint (f->n_signals, ==, 1);
  g_assert_cmpuint (changes->len, ==, 1);
  s = service (f, FOLLOWERS);
  g_assert_cmpint (s->price, ==, 1800000);
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "C");
  et_init (&argc, &argv);

  g_test_add_func ("/engine/pricing/parse-markup", test_parse_markup);
  g_test_add_func ("/engine/pricing/rule-rounding", test_rule_rounding);
  g_test_add_func ("/engine/pricing/rule-overflow", test_rule_overflow);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/engine/pricing/reprice-up-down", test_reprice_up_down);
  ADD ("/engine/pricing/no-change-no-history", test_no_change_no_history);
  ADD ("/engine/pricing/two-syncs", test_two_syncs);
  ADD ("/engine/pricing/fixed-below-cost", test_fixed_below_cost);
  ADD ("/engine/pricing/overflow-at-max-rate", test_overflow_at_max_rate);
  ADD ("/engine/pricing/set-rule", test_set_rule);
  ADD ("/engine/pricing/rule-on-zero-rate", test_rule_on_zero_rate);
  ADD ("/engine/pricing/unmapped-not-recorded", test_unmapped_not_recorded);
  ADD ("/engine/pricing/big-catalog", test_big_catalog);
  ADD ("/engine/pricing/sync-writes-off-main", test_sync_writes_off_main);
#undef ADD
  return g_test_run ();
}
