/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the order rules: types and fields, quantities, limits, drip-feed, margins, extras. */
#include "relay-error.h"
#include "relay-order-rules.h"

#include <string.h>

/* A mapped service of my own, built by hand: Instagram followers at 0.90 per
 * 1,000 from the provider, sold at 1.20, 50..10000. */
typedef struct
{
  RelayCatalogRow primary;
  RelayServiceRow service;
} Fixture;

static void
fixture_init (Fixture *f, const char *type, const char *name)
{
  memset (f, 0, sizeof *f);
  f->primary.id = 7;
  f->primary.provider_id = 1;
  f->primary.service_id = (char *) "1043";
  f->primary.name = (char *) name;
  f->primary.type = (char *) type;
  f->primary.category = (char *) "Instagram";
  f->primary.rate = 900000;
  f->primary.min = 50;
  f->primary.max = 10000;
  f->service.id = 12;
  f->service.name = (char *) "My followers (any name)";
  f->service.price = 1200000;
  f->service.primary = &f->primary;
}

static void
assert_error_message (GError *error, GQuark domain, int code, const char *message)
{
  g_assert_error (error, domain, code);
  if (message != NULL)
    g_assert_cmpstr (error->message, ==, message);
}

/* Orderable ---------------------------------------------------------------- */

static void
test_orderable (void)
{
  Fixture f;
  g_autoptr(GError) error = NULL;

  fixture_init (&f, "Default", "Instagram Followers");
  g_assert_true (relay_service_check_orderable (&f.service, &error));
  g_assert_no_error (error);

  /* Selling at cost is allowed; below it is not. */
  f.service.price = 900000;
  g_assert_true (relay_service_check_orderable (&f.service, NULL));
  f.service.price = 800000;
  g_assert_false (relay_service_check_orderable (&f.service, &error));
  assert_error_message (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_BELOW_COST,
                        "selling below cost: your price 0.80 per 1,000 is under the "
                        "provider’s 0.90");
  g_clear_error (&error);

  f.service.price = 278189;
  f.primary.rate = 278190;
  g_assert_false (relay_service_check_orderable (&f.service, &error));
  assert_error_message (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_BELOW_COST,
                        "selling below cost: your price 0.278189 per 1,000 is under the "
                        "provider’s 0.27819");
  g_clear_error (&error);

  /* Issue 8 (T8 #4): with the provider's currency, as everywhere else. */
  f.service.currency = (char *) "USD";
  f.service.price = 2000000;
  f.primary.rate = 3300000;
  g_assert_false (relay_service_check_orderable (&f.service, &error));
  assert_error_message (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_BELOW_COST,
                        "selling below cost: your price 2.00 USD per 1,000 is under the "
                        "provider’s 3.30 USD");
  g_clear_error (&error);
  f.service.currency = NULL;

  /* Removed at the last sync, or not mapped at all. */
  fixture_init (&f, "Default", "Instagram Followers");
  f.primary.removed = TRUE;
  g_assert_false (relay_service_check_orderable (&f.service, &error));
  assert_error_message (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_UNKNOWN_SERVICE,
                        "the provider no longer offers this service");
  g_clear_error (&error);
  g_assert_false (relay_order_check (&f.service, "https://instagram.com/name", 100, NULL, 0, 0,
                                     &error));
  g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_UNKNOWN_SERVICE);
  g_clear_error (&error);

  f.service.primary = NULL;
  g_assert_false (relay_service_check_orderable (&f.service, &error));
  g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_UNKNOWN_SERVICE);
  g_clear_error (&error);

  /* Below cost is checked before anything else in an order. */
  fixture_init (&f, "Default", "Instagram Followers");
  f.service.price = 100;
  g_assert_false (relay_order_check (&f.service, "not a link", 1, NULL, 0, 0, &error));
  g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_BELOW_COST);
}

/* Types and fields ------------------------------------------------------------ */

static void
test_type_fields (void)
{
  static const struct { const char *type; RelayFieldFlags fields; } cases[] = {
    { "Default", RELAY_FIELD_LINK | RELAY_FIELD_QUANTITY },
    { "default", RELAY_FIELD_LINK | RELAY_FIELD_QUANTITY },
    { NULL, RELAY_FIELD_LINK | RELAY_FIELD_QUANTITY },
    { "Something New", RELAY_FIELD_LINK | RELAY_FIELD_QUANTITY },
    { "Package", RELAY_FIELD_LINK },
    { "Custom Comments", RELAY_FIELD_LINK | RELAY_FIELD_COMMENTS },
    { "custom_comments", RELAY_FIELD_LINK | RELAY_FIELD_COMMENTS },
    { "CUSTOM COMMENTS PACKAGE", RELAY_FIELD_LINK | RELAY_FIELD_COMMENTS },
    { "Mentions Custom List", RELAY_FIELD_LINK | RELAY_FIELD_USERNAMES },
    { "Mentions with Hashtags",
      RELAY_FIELD_LINK | RELAY_FIELD_QUANTITY | RELAY_FIELD_USERNAMES | RELAY_FIELD_HASHTAGS },
    { "Mentions Hashtag", RELAY_FIELD_LINK | RELAY_FIELD_QUANTITY | RELAY_FIELD_HASHTAG },
    { "Mentions User Followers", RELAY_FIELD_LINK | RELAY_FIELD_QUANTITY | RELAY_FIELD_USERNAME },
    { "Mentions Media Likers", RELAY_FIELD_LINK | RELAY_FIELD_QUANTITY | RELAY_FIELD_MEDIA },
    { "Comment Likes", RELAY_FIELD_LINK | RELAY_FIELD_QUANTITY | RELAY_FIELD_USERNAME },
    { "Poll", RELAY_FIELD_LINK | RELAY_FIELD_QUANTITY | RELAY_FIELD_ANSWER_NUMBER },
    { "Subscriptions", RELAY_FIELD_SUBSCRIPTION },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("type “%s”", cases[i].type ? cases[i].type : "(null)");
      g_assert_cmphex (relay_service_type_fields (cases[i].type, FALSE), ==, cases[i].fields);
    }

  /* Drip-feed is offered where the API takes runs and interval: Default orders. */
  g_assert_cmphex (relay_service_type_fields ("Default", TRUE), ==,
                   RELAY_FIELD_LINK | RELAY_FIELD_QUANTITY | RELAY_FIELD_DRIPFEED);
  g_assert_cmphex (relay_service_type_fields ("Package", TRUE), ==, RELAY_FIELD_LINK);
  g_assert_cmphex (relay_service_type_fields ("Subscriptions", TRUE), ==,
                   RELAY_FIELD_SUBSCRIPTION);
}

/* The type asked before does not stand for the next one: alternating types,
 * and long types that begin alike. */
static void
test_type_fields_in_turn (void)
{
  g_autofree char *long_package = g_strdup_printf ("%*s%s", 70, "", "Package");
  g_autofree char *long_poll = g_strdup_printf ("%*s%s", 70, "", "Poll");
  g_autofree char *long_comments = g_strdup_printf ("Custom_Comments%*s", 70, "");

  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmphex (relay_service_type_fields ("Package", FALSE), ==, RELAY_FIELD_LINK);
      g_assert_cmphex (relay_service_type_fields ("Default", TRUE), ==,
                       RELAY_FIELD_LINK | RELAY_FIELD_QUANTITY | RELAY_FIELD_DRIPFEED);
      g_assert_cmphex (relay_service_type_fields ("Default", FALSE), ==,
                       RELAY_FIELD_LINK | RELAY_FIELD_QUANTITY);
      g_assert_cmphex (relay_service_type_fields (NULL, FALSE), ==,
                       RELAY_FIELD_LINK | RELAY_FIELD_QUANTITY);
      g_assert_cmphex (relay_service_type_fields ("Package", FALSE), ==, RELAY_FIELD_LINK);
      g_assert_cmphex (relay_service_type_fields ("package", FALSE), ==, RELAY_FIELD_LINK);
      g_assert_cmphex (relay_service_type_fields (long_package, FALSE), ==, RELAY_FIELD_LINK);
      g_assert_cmphex (relay_service_type_fields (long_poll, FALSE), ==,
                       RELAY_FIELD_LINK | RELAY_FIELD_QUANTITY | RELAY_FIELD_ANSWER_NUMBER);
      g_assert_cmphex (relay_service_type_fields (long_comments, FALSE), ==,
                       RELAY_FIELD_LINK | RELAY_FIELD_COMMENTS);
      g_assert_cmpint (relay_order_effective_quantity ("Package", 500, NULL), ==, 1);
      g_assert_cmpint (relay_order_effective_quantity ("Default", 500, NULL), ==, 500);
      g_assert_cmpint (relay_order_effective_quantity (long_package, 500, NULL), ==, 1);
      g_assert_cmpint (relay_order_effective_quantity (long_poll, 500, NULL), ==, 500);
    }
}

static void
test_effective_quantity (void)
{
  RelayOrderExtras extras = { 0 };

  extras.comments = (char *) "Nice!\n\nGreat post\r\n   \r\nLove it\n";
  extras.usernames = (char *) "@one\r@two";

  g_assert_cmpint (relay_order_effective_quantity ("Default", 500, &extras), ==, 500);
  g_assert_cmpint (relay_order_effective_quantity ("Package", 500, &extras), ==, 1);
  g_assert_cmpint (relay_order_effective_quantity ("Package", 0, NULL), ==, 1);
  g_assert_cmpint (relay_order_effective_quantity ("Custom Comments", 500, &extras), ==, 3);
  g_assert_cmpint (relay_order_effective_quantity ("Custom Comments", 500, NULL), ==, 0);
  g_assert_cmpint (relay_order_effective_quantity ("Custom Comments Package", 500, &extras),
                   ==, 1);
  g_assert_cmpint (relay_order_effective_quantity ("Mentions Custom List", 500, &extras), ==, 2);
  g_assert_cmpint (relay_order_effective_quantity ("Mentions with Hashtags", 500, &extras),
                   ==, 500);
  g_assert_cmpint (relay_order_effective_quantity ("Poll", 70, &extras), ==, 70);
  g_assert_cmpint (relay_order_effective_quantity ("unknown", 70, NULL), ==, 70);
}

typedef struct
{
  const char       *type;
  const char       *name;        /* the provider's service name: sets the link kind */
  const char       *link;
  gint64            quantity;
  RelayOrderExtras  extras;
  int               code;        /* -1: accepted */
  const char       *message;     /* NULL: any */
} CheckCase;

#define ACCEPTED -1
#define PROFILE_LINK "https://instagram.com/name"
#define POST_LINK "https://instagram.com/p/CODE123"

static const CheckCase check_cases[] = {
  /* Default */
  { "Default", "Instagram Followers", PROFILE_LINK, 100, { 0 }, ACCEPTED, NULL },
  { "Default", "Instagram Followers", PROFILE_LINK, 50, { 0 }, ACCEPTED, NULL },
  { "Default", "Instagram Followers", PROFILE_LINK, 10000, { 0 }, ACCEPTED, NULL },
  { "Default", "Instagram Followers", PROFILE_LINK, 20, { 0 }, RELAY_INPUT_ERROR_RANGE,
    "quantity 20 is below this service’s minimum of 50" },
  { "Default", "Instagram Followers", PROFILE_LINK, 10001, { 0 }, RELAY_INPUT_ERROR_RANGE,
    "quantity 10001 is above this service’s maximum of 10000" },
  { "Default", "Instagram Followers", PROFILE_LINK, 0, { 0 }, RELAY_INPUT_ERROR_RANGE,
    "the quantity must be at least 1" },
  { "Default", "Instagram Followers", PROFILE_LINK, -100, { 0 }, RELAY_INPUT_ERROR_RANGE, NULL },
  { "Default", "Instagram Followers", POST_LINK, 100, { 0 }, RELAY_INPUT_ERROR_LINK,
    "this is an Instagram post link; this service needs a profile link such as "
    "https://instagram.com/name" },
  { "Default", "Instagram Likes", POST_LINK, 100, { 0 }, ACCEPTED, NULL },
  { "Default", "Instagram Likes", PROFILE_LINK, 100, { 0 }, RELAY_INPUT_ERROR_LINK, NULL },
  { "Default", "Instagram Followers", NULL, 100, { 0 }, RELAY_INPUT_ERROR_LINK,
    "the link is missing" },
  { "Default", "Instagram Followers", "@name", 100, { 0 }, ACCEPTED, NULL },
  /* The link is checked before the quantity. */
  { "Default", "Instagram Followers", "https://tiktok.com/@name", 1, { 0 },
    RELAY_INPUT_ERROR_LINK, "“tiktok.com” is not an Instagram link" },

  /* Package: no quantity needed, none checked. */
  { "Package", "Instagram Followers Package", PROFILE_LINK, 0, { 0 }, ACCEPTED, NULL },
  { "Package", "Instagram Followers Package", PROFILE_LINK, 999999, { 0 }, ACCEPTED, NULL },
  { "Package", "Instagram Followers Package", "", 0, { 0 }, RELAY_INPUT_ERROR_LINK, NULL },

  /* Custom Comments: quantity = the lines. */
  { "Custom Comments", "Instagram Custom Comments", POST_LINK, 0,
    { .comments = (char *) "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\nn\no\np\nq\nr\ns\nt\nu\nv\nw"
      "\nx\ny\nz\naa\nbb\ncc\ndd\nee\nff\ngg\nhh\nii\njj\nkk\nll\nmm\nnn\noo\npp\nqq\nrr\nss\ntt"
      "\nuu\nvv\nww\nxx" }, ACCEPTED, NULL },
  { "Custom Comments", "Instagram Custom Comments", POST_LINK, 5000,
    { .comments = (char *) "Nice!\nGreat!" }, RELAY_INPUT_ERROR_RANGE,
    "2 comments are fewer than this service’s minimum of 50" },
  { "Custom Comments", "Instagram Custom Comments", POST_LINK, 100, { 0 },
    RELAY_INPUT_ERROR_INVALID, "the comments are missing; write one comment a line" },
  { "Custom Comments", "Instagram Custom Comments", POST_LINK, 100,
    { .comments = (char *) " \n\t\n" }, RELAY_INPUT_ERROR_INVALID, NULL },

  /* Custom Comments Package */
  { "Custom Comments Package", "Instagram Comments Package", POST_LINK, 0,
    { .comments = (char *) "Nice!\nGreat!" }, ACCEPTED, NULL },
  { "Custom Comments Package", "Instagram Comments Package", POST_LINK, 0, { 0 },
    RELAY_INPUT_ERROR_INVALID, "the comments are missing; write one comment a line" },

  /* Mentions Custom List: quantity = the user names. */
  { "Mentions Custom List", "Instagram Mentions", POST_LINK, 0,
    { .usernames = (char *) "one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\nten\n"
      "a1\na2\na3\na4\na5\na6\na7\na8\na9\na10\na11\na12\na13\na14\na15\na16\na17\na18\na19\n"
      "b1\nb2\nb3\nb4\nb5\nb6\nb7\nb8\nb9\nb10\nb11\nb12\nb13\nb14\nb15\nb16\nb17\nb18\nb19\n"
      "c1\nc2" }, ACCEPTED, NULL },
  { "Mentions Custom List", "Instagram Mentions", POST_LINK, 100,
    { .usernames = (char *) "one\ntwo" }, RELAY_INPUT_ERROR_RANGE,
    "2 user names are fewer than this service’s minimum of 50" },
  { "Mentions Custom List", "Instagram Mentions", POST_LINK, 100, { 0 },
    RELAY_INPUT_ERROR_INVALID, "the user names are missing; write one user name a line" },

  /* Mentions with Hashtags */
  { "Mentions with Hashtags", "Instagram Mentions", POST_LINK, 100,
    { .usernames = (char *) "one\ntwo", .hashtags = (char *) "#a\n#b" }, ACCEPTED, NULL },
  { "Mentions with Hashtags", "Instagram Mentions", POST_LINK, 100,
    { .usernames = (char *) "one\ntwo" }, RELAY_INPUT_ERROR_INVALID, "the hashtags are missing" },
  { "Mentions with Hashtags", "Instagram Mentions", POST_LINK, 10,
    { .usernames = (char *) "one", .hashtags = (char *) "#a" }, RELAY_INPUT_ERROR_RANGE, NULL },

  /* Mentions Hashtag */
  { "Mentions Hashtag", "Instagram Mentions", POST_LINK, 100, { .hashtag = (char *) "#cats" },
    ACCEPTED, NULL },
  { "Mentions Hashtag", "Instagram Mentions", POST_LINK, 100, { 0 },
    RELAY_INPUT_ERROR_INVALID, "the hashtag is missing" },
  { "Mentions Hashtag", "Instagram Mentions", POST_LINK, 100, { .hashtag = (char *) "#two words" },
    RELAY_INPUT_ERROR_INVALID, "“#two words” has a space in it" },

  /* Mentions User Followers */
  { "Mentions User Followers", "Instagram Mentions", POST_LINK, 100,
    { .username = (char *) "someone" }, ACCEPTED, NULL },
  { "Mentions User Followers", "Instagram Mentions", POST_LINK, 100, { 0 },
    RELAY_INPUT_ERROR_INVALID, "the user name is missing" },

  /* Mentions Media Likers */
  { "Mentions Media Likers", "Instagram Mentions", POST_LINK, 100,
    { .media = (char *) "https://instagram.com/p/OTHER" }, ACCEPTED, NULL },
  { "Mentions Media Likers", "Instagram Mentions", POST_LINK, 100, { 0 },
    RELAY_INPUT_ERROR_INVALID, "the media link is missing" },

  /* Comment Likes */
  { "Comment Likes", "Instagram Comment Likes", POST_LINK, 100,
    { .username = (char *) "author" }, ACCEPTED, NULL },
  { "Comment Likes", "Instagram Comment Likes", POST_LINK, 100, { .username = (char *) "  " },
    RELAY_INPUT_ERROR_INVALID, "the user name is missing" },
  { "Comment Likes", "Instagram Comment Likes", PROFILE_LINK, 100,
    { .username = (char *) "author" }, RELAY_INPUT_ERROR_LINK, NULL },

  /* Poll */
  { "Poll", "Telegram Poll Votes", "https://t.me/channel_name/42", 100,
    { .answer_number = 2 }, ACCEPTED, NULL },
  { "Poll", "Telegram Poll Votes", "https://t.me/channel_name/42", 100, { 0 },
    RELAY_INPUT_ERROR_INVALID, "the answer number must be 1 or more" },
  { "Poll", "Telegram Poll Votes", "https://t.me/channel_name", 100, { .answer_number = 1 },
    RELAY_INPUT_ERROR_LINK, NULL },

  /* Subscriptions: no link; min and max per post within the service's limits. */
  { "Subscriptions", "Instagram Auto Likes", NULL, 0,
    { .username = (char *) "someone", .min = 100, .max = 200, .posts = 10, .delay = 30,
      .expiry = (char *) "31/12/2030" }, ACCEPTED, NULL },
  { "Subscriptions", "Instagram Auto Likes", "whatever, not checked", 0,
    { .username = (char *) "someone", .min = 50, .max = 10000, .old_posts = 5 }, ACCEPTED, NULL },
  /* ... but it is kept with the order: no control character (the CLI's own
   * check said so for `order add` before the core did), no bytes that are
   * not text. */
  { "Subscriptions", "Instagram Auto Likes", "https://x/\x1b[2J", 0,
    { .username = (char *) "someone", .min = 50, .max = 10000, .old_posts = 5 },
    RELAY_INPUT_ERROR_LINK, "the link “https://x/\x1b[2J” has a control character (U+001B) in it" },
  { "Subscriptions", "Instagram Auto Likes", "\xC2\x9B" "31m", 0,
    { .username = (char *) "someone", .min = 50, .max = 10000, .old_posts = 5 },
    RELAY_INPUT_ERROR_LINK, "the link “\xC2\x9B" "31m” has a control character (U+009B) in it" },
  { "Subscriptions", "Instagram Auto Likes", "https://x/\xff", 0,
    { .username = (char *) "someone", .min = 50, .max = 10000, .old_posts = 5 },
    RELAY_INPUT_ERROR_LINK, "the link is not valid text" },
  { "Subscriptions", "Instagram Auto Likes", NULL, 0,
    { .min = 100, .max = 200, .posts = 10 }, RELAY_INPUT_ERROR_INVALID, "the user name is missing" },
  { "Subscriptions", "Instagram Auto Likes", NULL, 0,
    { .username = (char *) "someone", .min = 300, .max = 200, .posts = 10 },
    RELAY_INPUT_ERROR_RANGE, "min 300 is above max 200" },
  { "Subscriptions", "Instagram Auto Likes", NULL, 0,
    { .username = (char *) "someone", .min = 10, .max = 200, .posts = 10 },
    RELAY_INPUT_ERROR_RANGE, "min 10 is below this service’s minimum of 50" },
  { "Subscriptions", "Instagram Auto Likes", NULL, 0,
    { .username = (char *) "someone", .min = 100, .max = 20000, .posts = 10 },
    RELAY_INPUT_ERROR_RANGE, "max 20000 is above this service’s maximum of 10000" },
  { "Subscriptions", "Instagram Auto Likes", NULL, 0,
    { .username = (char *) "someone", .max = 200, .posts = 10 },
    RELAY_INPUT_ERROR_RANGE, "min must be at least 1" },
  { "Subscriptions", "Instagram Auto Likes", NULL, 0,
    { .username = (char *) "someone", .min = 100, .max = 200 }, RELAY_INPUT_ERROR_INVALID,
    "say how many new posts or old posts the subscription covers" },
  { "Subscriptions", "Instagram Auto Likes", NULL, 0,
    { .username = (char *) "someone", .min = 100, .max = 200, .posts = 5, .delay = -1 },
    RELAY_INPUT_ERROR_INVALID, NULL },
  { "Subscriptions", "Instagram Auto Likes", NULL, 0,
    { .username = (char *) "someone", .min = 100, .max = 200, .posts = 5,
      .expiry = (char *) "2030-12-31" }, RELAY_INPUT_ERROR_INVALID,
    "the expiry date “2030-12-31” is not a date such as 31/12/2025" },
  { "Subscriptions", "Instagram Auto Likes", NULL, 0,
    { .username = (char *) "someone", .min = 100, .max = 200, .posts = 5,
      .expiry = (char *) "31/02/2030" }, RELAY_INPUT_ERROR_INVALID, NULL },
};

static void
test_check_table (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (check_cases); i++)
    {
      const CheckCase *c = &check_cases[i];
      g_autoptr(GError) error = NULL;
      Fixture f;
      gboolean ok;

      fixture_init (&f, c->type, c->name);
      ok = relay_order_check (&f.service, c->link, c->quantity, &c->extras, 0, 0, &error);
      g_test_message ("case %u: %s “%s”: %s", i, c->type, c->name,
                      error ? error->message : "accepted");
      if (c->code == ACCEPTED)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
        }
      else
        {
          g_assert_false (ok);
          assert_error_message (error, RELAY_INPUT_ERROR, c->code, c->message);
        }
    }
}

static void
test_link_kind_from_primary (void)
{
  Fixture f;
  g_autoptr(GError) error = NULL;

  /* My own name says nothing (or says the wrong thing); the provider's decides. */
  fixture_init (&f, "Default", "TikTok Views");
  f.primary.category = (char *) "TikTok";
  f.service.name = (char *) "Instagram Followers Deluxe";
  g_assert_true (relay_order_check (&f.service, "https://vm.tiktok.com/ZMabc/", 100, NULL, 0, 0,
                                    &error));
  g_assert_no_error (error);
  g_assert_false (relay_order_check (&f.service, "https://instagram.com/name", 100, NULL, 0, 0,
                                     &error));
  g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_LINK);
  g_clear_error (&error);

  /* A service of no known platform takes any web link. */
  fixture_init (&f, "Default", "Website Traffic");
  f.primary.category = (char *) "Traffic";
  g_assert_true (relay_order_check (&f.service, "https://example.com/page", 100, NULL, 0, 0,
                                    NULL));
}

static void
test_limits_unset (void)
{
  Fixture f;

  /* A catalog with no limits (0) still needs a quantity of 1 or more. */
  fixture_init (&f, "Default", "Instagram Followers");
  f.primary.min = 0;
  f.primary.max = 0;
  g_assert_true (relay_order_check (&f.service, PROFILE_LINK, 1, NULL, 0, 0, NULL));
  g_assert_true (relay_order_check (&f.service, PROFILE_LINK, 50000000, NULL, 0, 0, NULL));
  g_assert_false (relay_order_check (&f.service, PROFILE_LINK, 0, NULL, 0, 0, NULL));
}

static void
test_dripfeed (void)
{
  Fixture f;
  g_autoptr(GError) error = NULL;

  fixture_init (&f, "Default", "Instagram Followers");

  /* Not allowed by this service. */
  g_assert_false (relay_order_check (&f.service, PROFILE_LINK, 100, NULL, 5, 10, &error));
  assert_error_message (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID,
                        "this service does not take drip-feed orders");
  g_clear_error (&error);

  f.primary.dripfeed = TRUE;
  g_assert_true (relay_order_check (&f.service, PROFILE_LINK, 100, NULL, 5, 10, &error));
  g_assert_no_error (error);
  g_assert_true (relay_order_check (&f.service, PROFILE_LINK, 100, NULL, 0, 0, NULL));
  g_assert_true (relay_order_check (&f.service, PROFILE_LINK, 100, NULL, 2, 1, NULL));
  g_assert_true (relay_order_check (&f.service, PROFILE_LINK, 100, NULL, 10000, 1, NULL));

  /* Quantity is per run: each run must be within min..max. */
  g_assert_true (relay_order_check (&f.service, PROFILE_LINK, 10000, NULL, 50, 60, NULL));
  g_assert_false (relay_order_check (&f.service, PROFILE_LINK, 20, NULL, 50, 60, &error));
  g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE);
  g_clear_error (&error);

  g_assert_false (relay_order_check (&f.service, PROFILE_LINK, 100, NULL, 1, 10, &error));
  assert_error_message (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE,
                        "drip-feed needs at least 2 runs");
  g_clear_error (&error);
  g_assert_false (relay_order_check (&f.service, PROFILE_LINK, 100, NULL, 10001, 10, &error));
  assert_error_message (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE,
                        "drip-feed takes at most 10000 runs");
  g_clear_error (&error);
  g_assert_false (relay_order_check (&f.service, PROFILE_LINK, 100, NULL, 5, 0, &error));
  assert_error_message (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE,
                        "the interval between drip-feed runs must be at least 1 minute");
  g_clear_error (&error);
  g_assert_false (relay_order_check (&f.service, PROFILE_LINK, 100, NULL, 0, 10, &error));
  g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE);
  g_clear_error (&error);
  g_assert_false (relay_order_check (&f.service, PROFILE_LINK, 100, NULL, -3, 10, &error));
  g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE);
  g_clear_error (&error);

  /* Only Default orders take drip-feed, whatever the catalog says. */
  fixture_init (&f, "Package", "Instagram Followers Package");
  f.primary.dripfeed = TRUE;
  g_assert_false (relay_order_check (&f.service, PROFILE_LINK, 0, NULL, 5, 10, &error));
  g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID);
}

/* Extras JSON ------------------------------------------------------------------ */

static void
assert_extras_equal (const RelayOrderExtras *a, const RelayOrderExtras *b)
{
  g_assert_cmpstr (a->comments, ==, b->comments);
  g_assert_cmpstr (a->usernames, ==, b->usernames);
  g_assert_cmpstr (a->username, ==, b->username);
  g_assert_cmpstr (a->hashtags, ==, b->hashtags);
  g_assert_cmpstr (a->hashtag, ==, b->hashtag);
  g_assert_cmpstr (a->media, ==, b->media);
  g_assert_cmpint (a->answer_number, ==, b->answer_number);
  g_assert_cmpint (a->min, ==, b->min);
  g_assert_cmpint (a->max, ==, b->max);
  g_assert_cmpint (a->posts, ==, b->posts);
  g_assert_cmpint (a->old_posts, ==, b->old_posts);
  g_assert_cmpint (a->delay, ==, b->delay);
  g_assert_cmpstr (a->expiry, ==, b->expiry);
}

static void
test_extras_round_trip (void)
{
  const RelayOrderExtras cases[] = {
    { .comments = (char *) "Nice!\n“Quoted” \\ backslash\ttab\r\nÜnïcödé 👍\n" },
    { .usernames = (char *) "one\ntwo", .hashtags = (char *) "#a #b" },
    { .username = (char *) "someone", .hashtag = (char *) "#cats", .media = (char *) "https://x" },
    { .answer_number = 3 },
    { .username = (char *) "u", .min = 1, .max = G_MAXINT64, .posts = 10, .old_posts = 4,
      .delay = 600, .expiry = (char *) "31/12/2030" },
    { .comments = (char *) "", .min = -5 },
    { .comments = (char *) "a", .usernames = (char *) "b", .username = (char *) "c",
      .hashtags = (char *) "d", .hashtag = (char *) "e", .media = (char *) "f",
      .answer_number = 1, .min = 2, .max = 3, .posts = 4, .old_posts = 5, .delay = 6,
      .expiry = (char *) "g" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = relay_order_extras_to_json (&cases[i]);
      g_autofree char *again = NULL;
      g_autoptr(RelayOrderExtras) back = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("extras %u: %s", i, json);
      g_assert_nonnull (json);
      back = relay_order_extras_from_json (json, &error);
      g_assert_no_error (error);
      assert_extras_equal (back, &cases[i]);
      again = relay_order_extras_to_json (back);
      g_assert_cmpstr (again, ==, json);
    }
}

static void
test_extras_only_set_fields (void)
{
  RelayOrderExtras empty = { 0 };
  RelayOrderExtras poll = { .answer_number = 2 };
  RelayOrderExtras comments = { .comments = (char *) "a\nb" };
  g_autofree char *poll_json = relay_order_extras_to_json (&poll);
  g_autofree char *comments_json = relay_order_extras_to_json (&comments);

  g_assert_null (relay_order_extras_to_json (&empty));
  g_assert_null (relay_order_extras_to_json (NULL));
  g_assert_cmpstr (poll_json, ==, "{\"answer_number\":2}");
  g_assert_cmpstr (comments_json, ==, "{\"comments\":\"a\\nb\"}");
}

static void
test_extras_from_json (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayOrderExtras) none = relay_order_extras_from_json (NULL, &error);
  g_autoptr(RelayOrderExtras) blank = relay_order_extras_from_json ("", &error);
  g_autoptr(RelayOrderExtras) unknown = NULL;
  g_autoptr(RelayOrderExtras) tolerant = NULL;
  RelayOrderExtras zero = { 0 };
  static const char * const bad[] = {
    "{", "[1, 2]", "\"text\"", "42", "{\"min\": \"many\"}", "{\"min\": 1.5}",
    "{\"comments\": 5}", "{\"username\": [\"a\"]}", "{\"answer_number\": {}}", "nonsense",
  };

  g_assert_no_error (error);
  assert_extras_equal (none, &zero);
  assert_extras_equal (blank, &zero);

  /* Unknown fields are ignored; null is unset; numbers may come as strings. */
  unknown = relay_order_extras_from_json ("{\"future_field\": [1, {\"a\": 2}], \"username\": "
                                          "\"bob\", \"hashtag\": null, \"max\": \"200\", "
                                          "\"min\": 100}", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (unknown->username, ==, "bob");
  g_assert_null (unknown->hashtag);
  g_assert_cmpint (unknown->min, ==, 100);
  g_assert_cmpint (unknown->max, ==, 200);

  tolerant = relay_order_extras_from_json ("{}", &error);
  g_assert_no_error (error);
  assert_extras_equal (tolerant, &zero);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(RelayOrderExtras) extras = NULL;

      g_test_message ("bad extras %s", bad[i]);
      extras = relay_order_extras_from_json (bad[i], &error);
      g_assert_null (extras);
      g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID);
      g_clear_error (&error);
    }
}

/* The add request ----------------------------------------------------------------- */

static const RelayOrderExtras full_extras = {
  .comments = (char *) "c1\nc2", .usernames = (char *) "u1\nu2", .username = (char *) "u",
  .hashtags = (char *) "#h1 #h2", .hashtag = (char *) "#h", .media = (char *) "https://m",
  .answer_number = 3, .min = 10, .max = 20, .posts = 5, .old_posts = 2, .delay = 30,
  .expiry = (char *) "31/12/2030",
};

static void
fill (RelayProviderAddRequest *request, const char *type, gint64 runs, gint64 interval)
{
  /* Start from garbage: fill must not leave anything of it. */
  memset (request, 0x5a, sizeof *request);
  relay_order_fill_add_request (request, "1043", type, "https://instagram.com/p/X", 500,
                                runs, interval, &full_extras);
  g_assert_cmpstr (request->service_id, ==, "1043");
}

static void
assert_no_subscription (const RelayProviderAddRequest *r)
{
  g_assert_cmpint (r->min, ==, 0);
  g_assert_cmpint (r->max, ==, 0);
  g_assert_cmpint (r->posts, ==, 0);
  g_assert_cmpint (r->old_posts, ==, 0);
  g_assert_cmpint (r->delay, ==, 0);
  g_assert_null (r->expiry);
}

static void
test_fill_add_request (void)
{
  RelayProviderAddRequest r;

  fill (&r, "Default", 0, 0);
  g_assert_cmpstr (r.link, ==, "https://instagram.com/p/X");
  g_assert_cmpint (r.quantity, ==, 500);
  g_assert_cmpint (r.runs, ==, 0);
  g_assert_cmpint (r.interval, ==, 0);
  g_assert_null (r.comments);
  g_assert_null (r.usernames);
  g_assert_null (r.username);
  g_assert_null (r.hashtags);
  g_assert_null (r.hashtag);
  g_assert_null (r.media);
  g_assert_cmpint (r.answer_number, ==, 0);
  assert_no_subscription (&r);

  fill (&r, "default", 5, 15);
  g_assert_cmpint (r.quantity, ==, 500);
  g_assert_cmpint (r.runs, ==, 5);
  g_assert_cmpint (r.interval, ==, 15);

  fill (&r, "Package", 5, 15);
  g_assert_cmpstr (r.link, ==, "https://instagram.com/p/X");
  g_assert_cmpint (r.quantity, ==, 0);
  g_assert_cmpint (r.runs, ==, 0);
  g_assert_cmpint (r.interval, ==, 0);
  g_assert_null (r.comments);

  fill (&r, "Custom Comments", 0, 0);
  g_assert_cmpstr (r.link, ==, "https://instagram.com/p/X");
  g_assert_cmpint (r.quantity, ==, 0);
  g_assert_cmpstr (r.comments, ==, "c1\nc2");
  g_assert_null (r.usernames);
  g_assert_null (r.username);

  fill (&r, "Custom Comments Package", 0, 0);
  g_assert_cmpint (r.quantity, ==, 0);
  g_assert_cmpstr (r.comments, ==, "c1\nc2");

  fill (&r, "Mentions Custom List", 0, 0);
  g_assert_cmpint (r.quantity, ==, 0);
  g_assert_cmpstr (r.usernames, ==, "u1\nu2");
  g_assert_null (r.comments);
  g_assert_null (r.hashtags);

  fill (&r, "Mentions with Hashtags", 0, 0);
  g_assert_cmpint (r.quantity, ==, 500);
  g_assert_cmpstr (r.usernames, ==, "u1\nu2");
  g_assert_cmpstr (r.hashtags, ==, "#h1 #h2");
  g_assert_null (r.hashtag);
  g_assert_null (r.username);

  fill (&r, "Mentions Hashtag", 0, 0);
  g_assert_cmpint (r.quantity, ==, 500);
  g_assert_cmpstr (r.hashtag, ==, "#h");
  g_assert_null (r.hashtags);
  g_assert_null (r.usernames);

  fill (&r, "Mentions User Followers", 0, 0);
  g_assert_cmpint (r.quantity, ==, 500);
  g_assert_cmpstr (r.username, ==, "u");
  g_assert_null (r.media);

  fill (&r, "Mentions Media Likers", 0, 0);
  g_assert_cmpint (r.quantity, ==, 500);
  g_assert_cmpstr (r.media, ==, "https://m");
  g_assert_null (r.username);

  fill (&r, "Comment Likes", 0, 0);
  g_assert_cmpint (r.quantity, ==, 500);
  g_assert_cmpstr (r.username, ==, "u");

  fill (&r, "Poll", 4, 4);
  g_assert_cmpint (r.quantity, ==, 500);
  g_assert_cmpint (r.answer_number, ==, 3);
  g_assert_cmpint (r.runs, ==, 0);
  assert_no_subscription (&r);

  fill (&r, "Subscriptions", 0, 0);
  g_assert_null (r.link);
  g_assert_cmpint (r.quantity, ==, 0);
  g_assert_cmpstr (r.username, ==, "u");
  g_assert_cmpint (r.min, ==, 10);
  g_assert_cmpint (r.max, ==, 20);
  g_assert_cmpint (r.posts, ==, 5);
  g_assert_cmpint (r.old_posts, ==, 2);
  g_assert_cmpint (r.delay, ==, 30);
  g_assert_cmpstr (r.expiry, ==, "31/12/2030");
  g_assert_null (r.comments);
  g_assert_cmpint (r.answer_number, ==, 0);

  /* No extras at all. */
  memset (&r, 0x5a, sizeof r);
  relay_order_fill_add_request (&r, "9", "Custom Comments", "https://x", 10, 0, 0, NULL);
  g_assert_cmpstr (r.service_id, ==, "9");
  g_assert_null (r.comments);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/order-rules/orderable", test_orderable);
  g_test_add_func ("/order-rules/type-fields", test_type_fields);
  g_test_add_func ("/order-rules/type-fields/in-turn", test_type_fields_in_turn);
  g_test_add_func ("/order-rules/effective-quantity", test_effective_quantity);
  g_test_add_func ("/order-rules/check", test_check_table);
  g_test_add_func ("/order-rules/check/link-from-primary", test_link_kind_from_primary);
  g_test_add_func ("/order-rules/check/limits-unset", test_limits_unset);
  g_test_add_func ("/order-rules/check/dripfeed", test_dripfeed);
  g_test_add_func ("/order-rules/extras/round-trip", test_extras_round_trip);
  g_test_add_func ("/order-rules/extras/only-set-fields", test_extras_only_set_fields);
  g_test_add_func ("/order-rules/extras/from-json", test_extras_from_json);
  g_test_add_func ("/order-rules/fill-add-request", test_fill_add_request);

  return g_test_run ();
}
