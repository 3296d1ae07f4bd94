/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the provider simulator, driven from the outside with a plain SoupSession. */
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <math.h>
#include <signal.h>
#include <string.h>

#include "relay-money.h"
#include "relay-sim.h"

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

typedef struct
{
  RelaySim    *sim;
  SoupSession *session;
  char        *url;
  char        *base;   /* http://127.0.0.1:PORT */
} Fixture;

typedef struct
{
  guint       status;
  GBytes     *body;
  GError     *error;
  JsonNode   *json;
  gboolean    done;
  gint64      elapsed_us;
} Reply;

static void
reply_clear (Reply *reply)
{
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_clear_error (&reply->error);
  g_clear_pointer (&reply->json, json_node_unref);
  memset (reply, 0, sizeof *reply);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr (GError) error = NULL;

  f->sim = relay_sim_new ();
  relay_sim_set_seed (f->sim, 1234);
  g_assert_true (relay_sim_listen (f->sim, 0, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (relay_sim_get_port (f->sim), >, 0);
  f->url = relay_sim_dup_url (f->sim);
  f->base = g_strdup_printf ("http://127.0.0.1:%u", relay_sim_get_port (f->sim));
  f->session = soup_session_new_with_options ("timeout", 20, NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->session);
  g_clear_object (&f->sim);
  g_clear_pointer (&f->url, g_free);
  g_clear_pointer (&f->base, g_free);
  /* Let the closed connections' sources run out. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Reply *reply = user_data;

  reply->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &reply->error);
  reply->done = TRUE;
}

static void
send_message (SoupSession *session,
              SoupMessage *msg,
              Reply       *reply)
{
  gint64 start = g_get_monotonic_time ();

  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, on_sent, reply);
  while (!reply->done)
    g_main_context_iteration (NULL, TRUE);
  reply->elapsed_us = g_get_monotonic_time () - start;
  reply->status = soup_message_get_status (msg);
  if (reply->body != NULL && reply->status == SOUP_STATUS_OK)
    {
      g_autoptr (JsonParser) parser = json_parser_new ();
      g_autoptr (GError) error = NULL;

      if (json_parser_load_from_data (parser, g_bytes_get_data (reply->body, NULL),
                                      (gssize) g_bytes_get_size (reply->body), &error))
        reply->json = json_node_ref (json_parser_get_root (parser));
    }
}

/* POSTs key=demo-key plus the NULL-terminated name/value pairs to @url. */
static void
post_valist (Fixture     *f,
             SoupSession *session,
             const char  *url,
             Reply       *reply,
             va_list      args)
{
  g_autoptr (GHashTable) form = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (SoupMessage) msg = NULL;
  const char *name;

  g_hash_table_insert (form, (gpointer) "key", (gpointer) "demo-key");
  while ((name = va_arg (args, const char *)) != NULL)
    {
      const char *value = va_arg (args, const char *);

      if (value == NULL)
        g_hash_table_remove (form, name);
      else
        g_hash_table_insert (form, (gpointer) name, (gpointer) value);
    }
  msg = soup_message_new_from_encoded_form ("POST", url, soup_form_encode_hash (form));
  send_message (session, msg, reply);
}

static void
api (Fixture *f,
     Reply   *reply,
     ...)
{
  va_list args;

  reply_clear (reply);
  va_start (args, reply);
  post_valist (f, f->session, f->url, reply, args);
  va_end (args);
}

static void
api_with (Fixture     *f,
          SoupSession *session,
          Reply       *reply,
          ...)
{
  va_list args;

  reply_clear (reply);
  va_start (args, reply);
  post_valist (f, session, f->url, reply, args);
  va_end (args);
}

static void
admin (Fixture    *f,
       const char *method,
       const char *path,
       const char *form,
       Reply      *reply)
{
  g_autofree char *url = g_strconcat (f->base, path, NULL);
  g_autoptr (SoupMessage) msg = NULL;

  reply_clear (reply);
  if (form != NULL)
    msg = soup_message_new_from_encoded_form (method, url, g_strdup (form));
  else
    msg = soup_message_new (method, url);
  send_message (f->session, msg, reply);
}

static JsonObject *
reply_object (Reply *reply)
{
  g_assert_no_error (reply->error);
  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_nonnull (reply->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (reply->json));
  return json_node_get_object (reply->json);
}

static JsonArray *
reply_array (Reply *reply)
{
  g_assert_no_error (reply->error);
  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_nonnull (reply->json);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (reply->json));
  return json_node_get_array (reply->json);
}

static void
assert_error (Reply      *reply,
              const char *message)
{
  JsonObject *object = reply_object (reply);

  g_assert_true (json_object_has_member (object, "error"));
  g_assert_cmpstr (json_object_get_string_member (object, "error"), ==, message);
}

/* A number the panel may have sent as a string or a number. */
static gint64
node_int (JsonNode *node)
{
  g_assert_true (JSON_NODE_HOLDS_VALUE (node));
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (node);

      return *text == '\0' ? 0 : g_ascii_strtoll (text, NULL, 10);
    }
  return json_node_get_int (node);
}

static gint64
member_int (JsonObject *object,
            const char *name)
{
  g_assert_true (json_object_has_member (object, name));
  return node_int (json_object_get_member (object, name));
}

static gint64
member_money (JsonObject *object,
              const char *name)
{
  JsonNode *node = json_object_get_member (object, name);
  gint64 micro = 0;

  g_assert_nonnull (node);
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    g_assert_true (relay_money_parse (json_node_get_string (node), &micro, NULL));
  else if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    micro = llround (json_node_get_double (node) * 1e6);
  else
    micro = json_node_get_int (node) * RELAY_MICRO;
  return micro;
}

static gint64
add_order (Fixture    *f,
           const char *service,
           const char *link,
           const char *quantity)
{
  Reply reply = { 0 };
  gint64 id;

  api (f, &reply, "action", "add", "service", service, "link", link, "quantity", quantity, NULL);
  id = member_int (reply_object (&reply), "order");
  reply_clear (&reply);
  return id;
}

static gint64
api_balance (Fixture *f)
{
  Reply reply = { 0 };
  gint64 balance;
  JsonObject *object;

  api (f, &reply, "action", "balance", NULL);
  object = reply_object (&reply);
  g_assert_cmpstr (json_object_get_string_member (object, "currency"), ==, "USD");
  balance = member_money (object, "balance");
  reply_clear (&reply);
  return balance;
}

/* The rate of @service_id from the services reply, in micro-units. */
static gint64
service_rate (Fixture    *f,
              const char *service_id)
{
  Reply reply = { 0 };
  JsonArray *services;
  gint64 rate = -1;

  api (f, &reply, "action", "services", NULL);
  services = reply_array (&reply);
  for (guint i = 0; i < json_array_get_length (services); i++)
    {
      JsonObject *service = json_array_get_object_element (services, i);

      if (member_int (service, "service") == g_ascii_strtoll (service_id, NULL, 10))
        rate = member_money (service, "rate");
    }
  reply_clear (&reply);
  g_assert_cmpint (rate, >=, 0);
  return rate;
}

static JsonObject *
status_of (Fixture *f,
           Reply   *reply,
           gint64   id)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, id);

  api (f, reply, "action", "status", "order", text, NULL);
  return reply_object (reply);
}

static const char *
canonical_status (const char *word)
{
  if (g_ascii_strcasecmp (word, "in progress") == 0)
    return "In progress";
  if (g_str_equal (word, "Cancelled"))
    return "Canceled";
  return word;
}

/* What the panel took equals what its orders charge now, to the micro-unit. */
static void
assert_balance_invariant (Fixture *f,
                          gint64   initial)
{
  g_autoptr (GPtrArray) orders = relay_sim_dup_orders (f->sim);
  gint64 charged = 0;

  for (guint i = 0; i < orders->len; i++)
    charged += ((RelaySimOrder *) g_ptr_array_index (orders, i))->charge;
  g_assert_cmpint (api_balance (f), ==, initial - charged);
}

/* Tests. */

static void
test_services (Fixture       *f,
               gconstpointer  data)
{
  static const char * const types[] = {
    "Default", "Package", "Custom Comments", "Custom Comments Package", "Mentions Custom List",
    "Mentions with Hashtags", "Mentions Hashtag", "Mentions User Followers",
    "Mentions Media Likers", "Comment Likes", "Poll", "Subscriptions",
  };
  g_autoptr (GHashTable) seen_types = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) ids = g_hash_table_new (g_int64_hash, g_int64_equal);
  gboolean id_string = FALSE, id_number = FALSE, flag_bool = FALSE, flag_int = FALSE;
  gboolean flag_missing = FALSE;
  g_autoptr (GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);
  Reply reply = { 0 };
  JsonArray *services;

  api (f, &reply, "action", "services", NULL);
  services = reply_array (&reply);
  g_assert_cmpuint (json_array_get_length (services), >=, 36);

  for (guint i = 0; i < json_array_get_length (services); i++)
    {
      JsonObject *service = json_array_get_object_element (services, i);
      JsonNode *id_node = json_object_get_member (service, "service");
      const char *rate = json_object_get_string_member (service, "rate");
      const char *dot = strchr (rate, '.');
      gint64 micro;
      gint64 *id = g_new (gint64, 1);

      *id = node_int (id_node);
      g_ptr_array_add (keep, id);
      g_assert_cmpint (*id, >=, 101);
      g_assert_true (g_hash_table_add (ids, id));
      if (json_node_get_value_type (id_node) == G_TYPE_STRING)
        id_string = TRUE;
      else
        id_number = TRUE;
      g_assert_nonnull (json_object_get_string_member (service, "name"));
      g_assert_nonnull (json_object_get_string_member (service, "category"));
      g_hash_table_add (seen_types, (gpointer) json_object_get_string_member (service, "type"));
      g_assert_true (relay_money_parse (rate, &micro, NULL));
      g_assert_cmpint (micro, >, 0);
      g_assert_true (dot == NULL || strlen (dot + 1) <= 5);
      g_assert_cmpint (member_int (service, "min"), >=, 1);
      g_assert_cmpint (member_int (service, "max"), >=, member_int (service, "min"));
      if (!json_object_has_member (service, "dripfeed") || !json_object_has_member (service, "cancel"))
        flag_missing = TRUE;
      if (json_object_has_member (service, "refill"))
        {
          GType type = json_node_get_value_type (json_object_get_member (service, "refill"));

          flag_bool |= type == G_TYPE_BOOLEAN;
          flag_int |= type == G_TYPE_INT64;
        }
    }
  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      if (!g_hash_table_contains (seen_types, types[i]))
        g_test_message ("type %s missing", types[i]);
      g_assert_true (g_hash_table_contains (seen_types, types[i]));
    }
  /* Like real panels: ids as numbers and strings, flags as booleans, 0/1 or missing. */
  g_assert_true (id_string && id_number);
  g_assert_true (flag_bool && flag_int && flag_missing);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, "services"), ==, 1);
  reply_clear (&reply);
}

static void
test_key_and_actions (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *get_url = NULL;
  g_autoptr (SoupMessage) msg = NULL;
  Reply reply = { 0 };

  api (f, &reply, "key", "wrong", "action", "balance", NULL);
  assert_error (&reply, "Invalid API key");
  api (f, &reply, "key", NULL, "action", "balance", NULL);
  assert_error (&reply, "Invalid API key");
  api (f, &reply, "action", "frobnicate", NULL);
  assert_error (&reply, "Incorrect request");
  api (f, &reply, NULL);
  assert_error (&reply, "Incorrect request");

  relay_sim_set_api_key (f->sim, "other-key");
  api (f, &reply, "action", "balance", NULL);
  assert_error (&reply, "Invalid API key");
  api (f, &reply, "key", "other-key", "action", "balance", NULL);
  g_assert_true (json_object_has_member (reply_object (&reply), "balance"));
  relay_sim_set_api_key (f->sim, "demo-key");

  /* GET with a query, as many panels accept. */
  get_url = g_strdup_printf ("%s?key=demo-key&action=balance", f->url);
  msg = soup_message_new ("GET", get_url);
  reply_clear (&reply);
  send_message (f->session, msg, &reply);
  g_assert_true (json_object_has_member (reply_object (&reply), "balance"));
  g_clear_object (&msg);

  /* The other endpoint paths. */
  for (guint i = 0; i < 3; i++)
    {
      static const char * const paths[] = { "/api/v1", "/api", "/api/v2/" };
      g_autofree char *url = g_strconcat (f->base, paths[i], NULL);

      reply_clear (&reply);
      msg = soup_message_new_from_encoded_form ("POST", url,
                                                g_strdup ("key=demo-key&action=balance"));
      send_message (f->session, msg, &reply);
      g_assert_true (json_object_has_member (reply_object (&reply), "balance"));
      g_clear_object (&msg);
    }

  admin (f, "GET", "/nothing/here", NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 404);
  reply_clear (&reply);
}

static void
test_add_happy (Fixture       *f,
                gconstpointer  data)
{
  gint64 rate = service_rate (f, "102");
  gint64 before = api_balance (f);
  gint64 first, second;
  g_autoptr (GPtrArray) orders = NULL;
  RelaySimOrder *order;

  g_assert_cmpint (before, ==, 1000 * RELAY_MICRO);
  first = add_order (f, "102", "https://instagram.com/someone", "1234");
  g_assert_cmpint (first, >, 10000);
  g_assert_cmpint (api_balance (f), ==, before - checked_price (rate, 1234));
  g_assert_cmpint (checked_price (rate, 1234), ==, 343286);  /* 0.27819 × 1.234 */

  second = add_order (f, "102", "https://instagram.com/someone", "777");
  g_assert_cmpint (second, >, first);
  g_assert_cmpint (api_balance (f), ==,
                   before - checked_price (rate, 1234) - checked_price (rate, 777));
  g_assert_cmpint (relay_sim_get_balance (f->sim), ==, api_balance (f));

  g_assert_cmpuint (relay_sim_get_n_orders (f->sim), ==, 2);
  g_assert_cmpuint (relay_sim_count_orders_with_link (f->sim, "https://instagram.com/someone"), ==, 2);
  g_assert_cmpuint (relay_sim_count_orders_with_link (f->sim, "https://instagram.com/other"), ==, 0);
  orders = relay_sim_dup_orders (f->sim);
  g_assert_cmpuint (orders->len, ==, 2);
  order = g_ptr_array_index (orders, 0);
  g_assert_cmpint (order->id, ==, first);
  g_assert_cmpstr (order->service_id, ==, "102");
  g_assert_cmpstr (order->link, ==, "https://instagram.com/someone");
  g_assert_cmpint (order->quantity, ==, 1234);
  g_assert_cmpstr (order->status, ==, "Pending");
  g_assert_cmpint (order->remains, ==, 1234);
  g_assert_cmpint (order->charge, ==, checked_price (rate, 1234));
  g_assert_cmpint (order->runs, ==, 0);
}

static void
test_add_validation (Fixture       *f,
                     gconstpointer  data)
{
  gint64 before = api_balance (f);
  Reply reply = { 0 };

  api (f, &reply, "action", "add", "service", "99999", "link", "https://x.com/a", "quantity", "100", NULL);
  assert_error (&reply, "Incorrect service ID");
  api (f, &reply, "action", "add", "service", "abc", "link", "https://x.com/a", "quantity", "100", NULL);
  assert_error (&reply, "Incorrect service ID");
  api (f, &reply, "action", "add", "link", "https://x.com/a", "quantity", "100", NULL);
  assert_error (&reply, "Incorrect service ID");

  relay_sim_set_service_disabled (f->sim, "101", TRUE);
  api (f, &reply, "action", "add", "service", "101", "link", "https://instagram.com/a", "quantity", "100", NULL);
  assert_error (&reply, "Service is disabled");
  relay_sim_set_service_disabled (f->sim, "101", FALSE);

  api (f, &reply, "action", "add", "service", "101", "link", "", "quantity", "100", NULL);
  assert_error (&reply, "Incorrect link");
  api (f, &reply, "action", "add", "service", "101", "quantity", "100", NULL);
  assert_error (&reply, "Incorrect link");
  api (f, &reply, "action", "add", "service", "101", "link", "not a link", "quantity", "100", NULL);
  assert_error (&reply, "Incorrect link");
  api (f, &reply, "action", "add", "service", "101", "link", "javascript:alert(1)", "quantity", "100", NULL);
  assert_error (&reply, "Incorrect link");
  api (f, &reply, "action", "add", "service", "101", "link", "https://", "quantity", "100", NULL);
  assert_error (&reply, "Incorrect link");

  api (f, &reply, "action", "add", "service", "101", "link", "https://instagram.com/a", "quantity", "49", NULL);
  assert_error (&reply, "Quantity less than minimal 50");
  api (f, &reply, "action", "add", "service", "101", "link", "https://instagram.com/a", "quantity", "10001", NULL);
  assert_error (&reply, "Quantity more than maximal 10000");
  api (f, &reply, "action", "add", "service", "101", "link", "https://instagram.com/a", "quantity", "lots", NULL);
  assert_error (&reply, "Quantity less than minimal 50");
  api (f, &reply, "action", "add", "service", "101", "link", "https://instagram.com/a", NULL);
  assert_error (&reply, "Quantity less than minimal 50");

  /* Custom comments: the quantity is the number of lines. */
  api (f, &reply, "action", "add", "service", "107", "link", "https://instagram.com/p/x",
       "comments", "nice\ngreat\n\nwow", NULL);
  assert_error (&reply, "Quantity less than minimal 5");
  api (f, &reply, "action", "add", "service", "108", "link", "https://instagram.com/p/x", NULL);
  assert_error (&reply, "Incorrect comments");
  api (f, &reply, "action", "add", "service", "110", "link", "https://instagram.com/p/x",
       "quantity", "100", "hashtags", "#a", NULL);
  assert_error (&reply, "Incorrect usernames");
  api (f, &reply, "action", "add", "service", "110", "link", "https://instagram.com/p/x",
       "quantity", "100", "usernames", "a1\nb2", NULL);
  assert_error (&reply, "Incorrect hashtags");
  api (f, &reply, "action", "add", "service", "111", "link", "https://instagram.com/p/x",
       "quantity", "100", NULL);
  assert_error (&reply, "Incorrect hashtag");
  api (f, &reply, "action", "add", "service", "112", "link", "https://instagram.com/p/x",
       "quantity", "100", NULL);
  assert_error (&reply, "Incorrect username");
  api (f, &reply, "action", "add", "service", "113", "link", "https://instagram.com/p/x",
       "quantity", "100", "media", "no such thing", NULL);
  assert_error (&reply, "Incorrect media");
  api (f, &reply, "action", "add", "service", "114", "link", "https://instagram.com/p/x",
       "quantity", "100", "username", "", NULL);
  assert_error (&reply, "Incorrect username");
  api (f, &reply, "action", "add", "service", "137", "link", "https://youtube.com/post/x",
       "quantity", "100", "answer_number", "0", NULL);
  assert_error (&reply, "Incorrect answer number");
  api (f, &reply, "action", "add", "service", "109", "link", "https://instagram.com/p/x",
       "usernames", "one\ntwo", NULL);
  assert_error (&reply, "Quantity less than minimal 10");

  /* Subscriptions: no link, min/max per post. */
  api (f, &reply, "action", "add", "service", "115", "min", "100", "max", "200", "posts", "5", NULL);
  assert_error (&reply, "Incorrect username");
  api (f, &reply, "action", "add", "service", "115", "username", "someone", "min", "10", "max", "200",
       "posts", "5", NULL);
  assert_error (&reply, "Quantity less than minimal 50");
  api (f, &reply, "action", "add", "service", "115", "username", "someone", "min", "100", "max", "9000",
       "posts", "5", NULL);
  assert_error (&reply, "Quantity more than maximal 5000");
  api (f, &reply, "action", "add", "service", "115", "username", "someone", "min", "100", "max", "200",
       NULL);
  assert_error (&reply, "Incorrect posts");
  api (f, &reply, "action", "add", "service", "115", "username", "someone", "min", "100", "max", "200",
       "posts", "5", "delay", "7", NULL);
  assert_error (&reply, "Incorrect delay");
  api (f, &reply, "action", "add", "service", "115", "username", "someone", "min", "100", "max", "200",
       "posts", "5", "expiry", "tomorrow", NULL);
  assert_error (&reply, "Incorrect expiry date");

  /* Drip-feed only where the service allows it, with an interval. */
  api (f, &reply, "action", "add", "service", "101", "link", "https://instagram.com/a", "quantity", "100",
       "runs", "5", "interval", "10", NULL);
  assert_error (&reply, "Drip-feed is disabled for this service");
  api (f, &reply, "action", "add", "service", "102", "link", "https://instagram.com/a", "quantity", "100",
       "runs", "5", NULL);
  assert_error (&reply, "Incorrect interval");

  g_assert_cmpuint (relay_sim_get_n_orders (f->sim), ==, 0);
  g_assert_cmpint (api_balance (f), ==, before);
  reply_clear (&reply);
}

static void
test_add_types (Fixture       *f,
                gconstpointer  data)
{
  gint64 balance = api_balance (f);
  g_autoptr (GPtrArray) orders = NULL;
  Reply reply = { 0 };
  RelaySimOrder *order;
  struct
  {
    const char *service;
    gint64      expected_total;
    const char *fields[12];
  } cases[] = {
    { "107", 5, { "link", "https://instagram.com/p/x", "comments", "a\nb\nc\nd\ne", NULL } },
    { "108", 10, { "link", "https://instagram.com/p/x", "comments", "only one", NULL } },
    { "116", 1000, { "link", "https://instagram.com/x", "quantity", "5", NULL } },
    { "109", 10, { "link", "https://instagram.com/p/x", "usernames", "a1\na2\na3\na4\na5\na6\na7\na8\na9\na10", NULL } },
    { "110", 100, { "link", "https://instagram.com/p/x", "quantity", "100", "usernames", "a1\nb2", "hashtags", "#x", NULL } },
    { "111", 100, { "link", "https://instagram.com/p/x", "quantity", "100", "hashtag", "#sun", NULL } },
    { "112", 200, { "link", "https://instagram.com/p/x", "quantity", "200", "username", "someone", NULL } },
    { "113", 300, { "link", "https://instagram.com/p/x", "quantity", "300", "media", "https://instagram.com/p/y", NULL } },
    { "114", 50, { "link", "https://instagram.com/p/x", "quantity", "50", "username", "author_1", NULL } },
    { "137", 100, { "link", "https://youtube.com/post/x", "quantity", "100", "answer_number", "2", NULL } },
    { "115", 1000, { "username", "someone", "min", "100", "max", "200", "posts", "5", "delay", "30", NULL } },
    { "102", 500, { "link", "https://instagram.com/a", "quantity", "100", "runs", "5", "interval", "10", NULL } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 rate = service_rate (f, cases[i].service);
      const char * const *v = cases[i].fields;
      gint64 charge = checked_price (rate, cases[i].expected_total);

      /* Up to five field pairs; the list ends at the first NULL name. */
      api (f, &reply, "action", "add", "service", cases[i].service,
           v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], NULL);
      if (!json_object_has_member (reply_object (&reply), "order"))
        g_test_message ("service %s: %s", cases[i].service,
                        json_object_get_string_member (reply_object (&reply), "error"));
      g_assert_true (json_object_has_member (reply_object (&reply), "order"));
      balance -= charge;
      g_assert_cmpint (api_balance (f), ==, balance);

      orders = relay_sim_dup_orders (f->sim);
      order = g_ptr_array_index (orders, orders->len - 1);
      g_assert_cmpint (order->remains, ==, cases[i].expected_total);
      g_assert_cmpint (order->charge, ==, charge);
      g_clear_pointer (&orders, g_ptr_array_unref);
    }

  /* Drip-feed: the runs and interval are kept; the charge counts every run. */
  orders = relay_sim_dup_orders (f->sim);
  order = g_ptr_array_index (orders, orders->len - 1);
  g_assert_cmpint (order->runs, ==, 5);
  g_assert_cmpint (order->interval, ==, 10);
  g_assert_cmpint (order->quantity, ==, 100);
  g_assert_cmpint (order->charge, ==, checked_price (278190, 500));
  reply_clear (&reply);
}

static void
test_funds (Fixture       *f,
            gconstpointer  data)
{
  gint64 rate = service_rate (f, "133");  /* 18.50 per 1000 */
  Reply reply = { 0 };

  relay_sim_set_balance (f->sim, 1850000);
  api (f, &reply, "action", "add", "service", "133", "link", "https://youtube.com/@c", "quantity", "101", NULL);
  assert_error (&reply, "Not enough funds on balance");
  g_assert_cmpint (api_balance (f), ==, 1850000);
  g_assert_cmpuint (relay_sim_get_n_orders (f->sim), ==, 0);

  add_order (f, "133", "https://youtube.com/@c", "100");
  g_assert_cmpint (checked_price (rate, 100), ==, 1850000);
  g_assert_cmpint (api_balance (f), ==, 0);
  api (f, &reply, "action", "add", "service", "133", "link", "https://youtube.com/@c", "quantity", "100", NULL);
  assert_error (&reply, "Not enough funds on balance");
  reply_clear (&reply);
}

static void
test_status (Fixture       *f,
             gconstpointer  data)
{
  gint64 a = add_order (f, "122", "https://tiktok.com/@a/video/1", "100");
  gint64 b = add_order (f, "122", "https://tiktok.com/@a/video/2", "200");
  g_autofree char *ids = g_strdup_printf ("%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ",999,abc,%" G_GINT64_FORMAT,
                                          a, b, a);
  g_autofree char *key_a = g_strdup_printf ("%" G_GINT64_FORMAT, a);
  g_autofree char *key_b = g_strdup_printf ("%" G_GINT64_FORMAT, b);
  g_autoptr (GString) many = g_string_new (NULL);
  JsonObject *object, *entry;
  JsonNode *start;
  Reply reply = { 0 };

  object = status_of (f, &reply, a);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "Pending");
  g_assert_cmpint (member_int (object, "remains"), ==, 100);
  g_assert_cmpstr (json_object_get_string_member (object, "currency"), ==, "USD");
  start = json_object_get_member (object, "start_count");
  g_assert_true (node_int (start) == 0);
  g_assert_cmpint (member_money (object, "charge"), ==, checked_price (350000, 100));

  api (f, &reply, "action", "status", "orders", ids, NULL);
  object = reply_object (&reply);
  g_assert_cmpuint (json_object_get_size (object), ==, 4);
  entry = json_object_get_object_member (object, key_a);
  g_assert_cmpint (member_int (entry, "remains"), ==, 100);
  entry = json_object_get_object_member (object, key_b);
  g_assert_cmpint (member_int (entry, "remains"), ==, 200);
  entry = json_object_get_object_member (object, "999");
  g_assert_cmpstr (json_object_get_string_member (entry, "error"), ==, "Incorrect order ID");
  entry = json_object_get_object_member (object, "abc");
  g_assert_cmpstr (json_object_get_string_member (entry, "error"), ==, "Incorrect order ID");

  api (f, &reply, "action", "status", "order", "999", NULL);
  assert_error (&reply, "Incorrect order ID");
  api (f, &reply, "action", "status", NULL);
  assert_error (&reply, "Incorrect request");

  for (guint i = 0; i < 101; i++)
    g_string_append_printf (many, "%s%u", i ? "," : "", 1000 + i);
  api (f, &reply, "action", "status", "orders", many->str, NULL);
  assert_error (&reply, "Incorrect request");
  /* Exactly 100 is fine. */
  g_string_truncate (many, strrchr (many->str, ',') - many->str);
  api (f, &reply, "action", "status", "orders", many->str, NULL);
  g_assert_cmpuint (json_object_get_size (reply_object (&reply)), ==, 100);
  reply_clear (&reply);
}

/* Places @n orders, lets them all end and checks every figure. */
static void
test_progress (Fixture       *f,
               gconstpointer  data)
{
  gint64 rate = service_rate (f, "122");
  gint64 start_balance = api_balance (f);
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GString) list = g_string_new (NULL);
  guint n_completed = 0, n_partial = 0, n_canceled = 0, n_in_progress = 0;
  gboolean spelled_capital = FALSE, spelled_cancelled = FALSE;
  gint64 charged = 0;
  Reply reply = { 0 };
  JsonObject *object;

  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *link = g_strdup_printf ("https://tiktok.com/@p/video/%u", i);
      gint64 id = add_order (f, "122", link, i % 2 ? "1000" : "100");

      g_array_append_val (ids, id);
      g_string_append_printf (list, "%s%" G_GINT64_FORMAT, i ? "," : "", id);
    }

  /* A little later some are under way, with a start count. */
  relay_sim_advance (f->sim, 8);
  api (f, &reply, "action", "status", "orders", list->str, NULL);
  object = reply_object (&reply);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT, g_array_index (ids, gint64, i));
      JsonObject *entry = json_object_get_object_member (object, key);
      const char *word = json_object_get_string_member (entry, "status");

      if (g_str_equal (canonical_status (word), "In progress"))
        {
          n_in_progress++;
          spelled_capital |= g_str_equal (word, "In Progress");
          g_assert_cmpint (member_int (entry, "start_count"), >, 0);
          g_assert_cmpint (member_int (entry, "remains"), <=, i % 2 ? 1000 : 100);
        }
    }
  g_assert_cmpuint (n_in_progress, >, 0);

  relay_sim_advance (f->sim, 3600);
  api (f, &reply, "action", "status", "orders", list->str, NULL);
  object = reply_object (&reply);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT, g_array_index (ids, gint64, i));
      JsonObject *entry = json_object_get_object_member (object, key);
      const char *word = json_object_get_string_member (entry, "status");
      const char *status = canonical_status (word);
      gint64 quantity = i % 2 ? 1000 : 100;
      gint64 remains = member_int (entry, "remains");
      gint64 charge = member_money (entry, "charge");

      charged += charge;
      if (g_str_equal (status, "Completed"))
        {
          n_completed++;
          g_assert_cmpint (remains, ==, 0);
          g_assert_cmpint (charge, ==, checked_price (rate, quantity));
        }
      else if (g_str_equal (status, "Partial"))
        {
          n_partial++;
          g_assert_cmpint (remains, >, 0);
          g_assert_cmpint (remains, <, quantity);
          g_assert_cmpint (charge, ==, checked_price (rate, quantity - remains));
        }
      else if (g_str_equal (status, "Canceled"))
        {
          n_canceled++;
          spelled_cancelled |= g_str_equal (word, "Cancelled");
          g_assert_cmpint (remains, ==, quantity);
          g_assert_cmpint (charge, ==, 0);
        }
      else
        g_assert_not_reached ();
    }
  g_test_message ("completed %u, partial %u, canceled %u", n_completed, n_partial, n_canceled);
  g_assert_cmpuint (n_completed, >=, 70);
  g_assert_cmpuint (n_partial, >, 0);
  g_assert_cmpuint (n_canceled, >, 0);
  g_assert_true (spelled_capital || spelled_cancelled);
  /* Refunds went back to the balance to the micro-unit. */
  g_assert_cmpint (api_balance (f), ==, start_balance - charged);
  reply_clear (&reply);
}

/* The same seed gives the same story. */
static void
test_reproducible (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr (GPtrArray) first = NULL;
  g_autoptr (GPtrArray) second = NULL;
  g_autoptr (RelaySim) other = relay_sim_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *url = NULL;

  relay_sim_set_seed (other, 1234);
  g_assert_true (relay_sim_listen (other, 0, &error));
  for (guint round = 0; round < 2; round++)
    {
      if (round == 1)
        {
          g_free (f->url);
          f->url = relay_sim_dup_url (other);
        }
      for (guint i = 0; i < 30; i++)
        add_order (f, "101", "https://instagram.com/same", "500");
    }
  relay_sim_advance (f->sim, 3600);
  relay_sim_advance (other, 3600);
  first = relay_sim_dup_orders (f->sim);
  second = relay_sim_dup_orders (other);
  g_assert_cmpuint (first->len, ==, second->len);
  for (guint i = 0; i < first->len; i++)
    {
      RelaySimOrder *a = g_ptr_array_index (first, i);
      RelaySimOrder *b = g_ptr_array_index (second, i);

      g_assert_cmpint (a->id, ==, b->id);
      g_assert_cmpstr (a->status, ==, b->status);
      g_assert_cmpint (a->remains, ==, b->remains);
      g_assert_cmpint (a->charge, ==, b->charge);
      g_assert_cmpint (a->start_count, ==, b->start_count);
    }
}

static gint64
find_order_in_state (Fixture    *f,
                     const char *service,
                     const char *state)
{
  for (guint attempt = 0; attempt < 40; attempt++)
    {
      g_autofree char *link = g_strdup_printf ("https://example.com/find/%u", attempt);
      gint64 id = add_order (f, service, link, "1000");
      g_autoptr (GPtrArray) orders = NULL;

      relay_sim_advance (f->sim, g_str_equal (state, "In progress") ? 8 : 3600);
      orders = relay_sim_dup_orders (f->sim);
      for (guint i = 0; i < orders->len; i++)
        {
          RelaySimOrder *order = g_ptr_array_index (orders, i);

          if (order->id == id && g_str_equal (order->status, state))
            return id;
        }
    }
  g_assert_not_reached ();
  return 0;
}

static void
test_refill (Fixture       *f,
             gconstpointer  data)
{
  gint64 no_refill = add_order (f, "102", "https://instagram.com/x", "100");
  gint64 active = add_order (f, "101", "https://instagram.com/y", "100");
  g_autofree char *no_refill_text = g_strdup_printf ("%" G_GINT64_FORMAT, no_refill);
  g_autofree char *active_text = g_strdup_printf ("%" G_GINT64_FORMAT, active);
  g_autofree char *done_text = NULL;
  g_autofree char *many = NULL;
  g_autofree char *refill_text = NULL;
  const char *seen[4] = { NULL };
  guint n_seen = 0;
  gint64 done, refill;
  JsonObject *object;
  JsonArray *array;
  Reply reply = { 0 };

  api (f, &reply, "action", "refill", "order", no_refill_text, NULL);
  assert_error (&reply, "Refill is disabled for this service");
  api (f, &reply, "action", "refill", "order", active_text, NULL);
  assert_error (&reply, "Refill is not available for this order");
  api (f, &reply, "action", "refill", "order", "1", NULL);
  assert_error (&reply, "Incorrect order ID");

  done = find_order_in_state (f, "101", "Completed");
  done_text = g_strdup_printf ("%" G_GINT64_FORMAT, done);
  api (f, &reply, "action", "refill", "order", done_text, NULL);
  refill = member_int (reply_object (&reply), "refill");
  g_assert_cmpint (refill, >, 0);
  refill_text = g_strdup_printf ("%" G_GINT64_FORMAT, refill);
  api (f, &reply, "action", "refill", "order", done_text, NULL);
  assert_error (&reply, "Refill is already in progress for this order");

  /* Pending → In progress → Completed (or Rejected) as time passes. */
  for (guint i = 0; i < 4; i++)
    {
      api (f, &reply, "action", "refill_status", "refill", refill_text, NULL);
      object = reply_object (&reply);
      if (n_seen == 0 || g_strcmp0 (seen[n_seen - 1], json_object_get_string_member (object, "status")) != 0)
        seen[n_seen++] = g_intern_string (json_object_get_string_member (object, "status"));
      relay_sim_advance (f->sim, i == 0 ? 11 : 40);
    }
  g_assert_cmpstr (seen[0], ==, "Pending");
  g_assert_true (g_str_equal (seen[n_seen - 1], "Completed") || g_str_equal (seen[n_seen - 1], "Rejected"));

  api (f, &reply, "action", "refill_status", "refill", "77777", NULL);
  assert_error (&reply, "Refill not found");

  many = g_strdup_printf ("%s,%s,%s,zzz", done_text, no_refill_text, "1");
  api (f, &reply, "action", "refill", "orders", many, NULL);
  array = reply_array (&reply);
  g_assert_cmpuint (json_array_get_length (array), ==, 4);
  object = json_array_get_object_element (array, 0);
  g_assert_cmpint (member_int (object, "order"), ==, done);
  g_assert_cmpint (member_int (object, "refill"), >, refill);
  object = json_array_get_object_element (array, 1);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "refill"), "error"),
                   ==, "Refill is disabled for this service");
  object = json_array_get_object_element (array, 2);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "refill"), "error"),
                   ==, "Incorrect order ID");
  object = json_array_get_object_element (array, 3);
  g_assert_cmpstr (json_object_get_string_member (object, "order"), ==, "zzz");

  g_free (many);
  many = g_strdup_printf ("%s,4242", refill_text);
  api (f, &reply, "action", "refill_status", "refills", many, NULL);
  array = reply_array (&reply);
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  object = json_array_get_object_element (array, 0);
  g_assert_cmpint (member_int (object, "refill"), ==, refill);
  g_assert_nonnull (json_object_get_string_member (object, "status"));
  object = json_array_get_object_element (array, 1);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "status"), "error"),
                   ==, "Refill not found");
  reply_clear (&reply);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  gint64 rate = service_rate (f, "122");
  gint64 no_cancel = add_order (f, "124", "https://tiktok.com/@a/video/9", "1000");
  gint64 pending = add_order (f, "122", "https://tiktok.com/@a/video/10", "1000");
  gint64 running, done, balance_before, balance_after;
  g_autofree char *list = NULL;
  g_autofree char *running_text = NULL;
  g_autoptr (GPtrArray) orders = NULL;
  JsonArray *array;
  JsonObject *object;
  Reply reply = { 0 };

  balance_before = api_balance (f);
  list = g_strdup_printf ("%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",5", no_cancel, pending);
  api (f, &reply, "action", "cancel", "orders", list, NULL);
  array = reply_array (&reply);
  g_assert_cmpuint (json_array_get_length (array), ==, 3);
  object = json_array_get_object_element (array, 0);
  g_assert_cmpint (member_int (object, "order"), ==, no_cancel);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "cancel"), "error"),
                   ==, "Cancel is disabled for this service");
  object = json_array_get_object_element (array, 1);
  g_assert_cmpint (member_int (object, "cancel"), ==, 1);
  object = json_array_get_object_element (array, 2);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "cancel"), "error"),
                   ==, "Incorrect order ID");
  /* A pending order gives everything back. */
  object = status_of (f, &reply, pending);
  g_assert_cmpstr (canonical_status (json_object_get_string_member (object, "status")), ==, "Canceled");
  g_assert_cmpint (member_money (object, "charge"), ==, 0);
  g_assert_cmpint (member_int (object, "remains"), ==, 1000);
  g_assert_cmpint (api_balance (f), ==, balance_before + checked_price (rate, 1000));

  /* A running one gives back what was not delivered. */
  running = find_order_in_state (f, "122", "In progress");
  running_text = g_strdup_printf ("%" G_GINT64_FORMAT, running);
  balance_before = api_balance (f);
  relay_sim_advance (f->sim, 2);
  api (f, &reply, "action", "cancel", "order", running_text, NULL);
  g_assert_cmpint (member_int (reply_object (&reply), "cancel"), ==, 1);
  object = status_of (f, &reply, running);
  g_assert_cmpstr (canonical_status (json_object_get_string_member (object, "status")), ==, "Canceled");
  g_assert_cmpint (member_int (object, "remains"), >, 0);
  g_assert_cmpint (member_int (object, "remains"), <, 1000);
  g_assert_cmpint (member_money (object, "charge"), ==,
                   checked_price (rate, 1000 - member_int (object, "remains")));
  balance_after = api_balance (f);
  g_assert_cmpint (balance_after, >, balance_before);
  assert_balance_invariant (f, 1000 * RELAY_MICRO);
  /* It stays that way. */
  relay_sim_advance (f->sim, 3600);
  object = status_of (f, &reply, running);
  g_assert_cmpstr (canonical_status (json_object_get_string_member (object, "status")), ==, "Canceled");
  assert_balance_invariant (f, 1000 * RELAY_MICRO);

  /* Finished orders cannot be canceled. */
  done = find_order_in_state (f, "122", "Completed");
  g_free (list);
  list = g_strdup_printf ("%" G_GINT64_FORMAT, done);
  api (f, &reply, "action", "cancel", "orders", list, NULL);
  object = json_array_get_object_element (reply_array (&reply), 0);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "cancel"), "error"),
                   ==, "This order cannot be canceled");

  orders = relay_sim_dup_orders (f->sim);
  for (guint i = 0; i < orders->len; i++)
    {
      RelaySimOrder *order = g_ptr_array_index (orders, i);

      if (order->id == running)
        g_assert_cmpstr (order->status, ==, "Canceled");
    }
  reply_clear (&reply);
}

static gboolean
body_contains (Reply      *reply,
               const char *text)
{
  g_autofree char *body = NULL;

  if (reply->body == NULL)
    return FALSE;
  body = g_strndup (g_bytes_get_data (reply->body, NULL), g_bytes_get_size (reply->body));
  return strstr (body, text) != NULL;
}

static void
test_faults (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr (SoupSession) impatient = soup_session_new_with_options ("timeout", 1, NULL);
  gint64 balance = api_balance (f);
  gint64 rate = service_rate (f, "101");
  gint64 price = checked_price (rate, 100);
  guint n_add;
  Reply reply = { 0 };

  /* Before: nothing happens. */
  relay_sim_inject_fault (f->sim, "add", RELAY_SIM_FAULT_HTML_BEFORE, 1);
  api (f, &reply, "action", "add", "service", "101", "link", "https://instagram.com/f1", "quantity", "100", NULL);
  g_assert_no_error (reply.error);
  g_assert_cmpuint (reply.status, ==, 502);
  g_assert_true (body_contains (&reply, "<title>502 Bad Gateway</title>"));
  g_assert_cmpuint (relay_sim_count_orders_with_link (f->sim, "https://instagram.com/f1"), ==, 0);

  relay_sim_inject_fault (f->sim, "add", RELAY_SIM_FAULT_RATE_LIMIT, 1);
  api (f, &reply, "action", "add", "service", "101", "link", "https://instagram.com/f2", "quantity", "100", NULL);
  g_assert_cmpuint (reply.status, ==, 429);
  g_assert_true (body_contains (&reply, "429 Too Many Requests"));
  g_assert_cmpuint (relay_sim_count_orders_with_link (f->sim, "https://instagram.com/f2"), ==, 0);

  relay_sim_inject_fault (f->sim, "add", RELAY_SIM_FAULT_ERROR_JSON, 1);
  api (f, &reply, "action", "add", "service", "101", "link", "https://instagram.com/f3", "quantity", "100", NULL);
  assert_error (&reply, "Incorrect request");
  g_assert_cmpuint (relay_sim_count_orders_with_link (f->sim, "https://instagram.com/f3"), ==, 0);

  n_add = relay_sim_get_n_requests (f->sim, "add");
  relay_sim_inject_fault (f->sim, "add", RELAY_SIM_FAULT_DROP_BEFORE, 1);
  api (f, &reply, "action", "add", "service", "101", "link", "https://instagram.com/f4", "quantity", "100", NULL);
  g_assert_nonnull (reply.error);
  g_test_message ("drop before: %s", reply.error->message);
  g_assert_cmpuint (relay_sim_count_orders_with_link (f->sim, "https://instagram.com/f4"), ==, 0);
  /* The client did not quietly send it again. */
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, "add"), ==, n_add + 1);
  g_assert_cmpint (api_balance (f), ==, balance);

  /* After: the order exists and was paid for, but the client cannot know. */
  relay_sim_inject_fault (f->sim, "add", RELAY_SIM_FAULT_HTML_AFTER, 1);
  api (f, &reply, "action", "add", "service", "101", "link", "https://instagram.com/f5", "quantity", "100", NULL);
  g_assert_cmpuint (reply.status, ==, 502);
  g_assert_true (body_contains (&reply, "502 Bad Gateway"));
  g_assert_cmpuint (relay_sim_count_orders_with_link (f->sim, "https://instagram.com/f5"), ==, 1);
  balance -= price;
  g_assert_cmpint (api_balance (f), ==, balance);

  relay_sim_inject_fault (f->sim, "add", RELAY_SIM_FAULT_DROP_AFTER, 1);
  api (f, &reply, "action", "add", "service", "101", "link", "https://instagram.com/f6", "quantity", "100", NULL);
  g_assert_nonnull (reply.error);
  g_assert_cmpuint (relay_sim_count_orders_with_link (f->sim, "https://instagram.com/f6"), ==, 1);
  balance -= price;
  g_assert_cmpint (api_balance (f), ==, balance);

  relay_sim_inject_fault (f->sim, "add", RELAY_SIM_FAULT_TIMEOUT, 1);
  api_with (f, impatient, &reply, "action", "add", "service", "101", "link", "https://instagram.com/f7",
            "quantity", "100", NULL);
  g_assert_error (reply.error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpint (reply.elapsed_us, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpuint (relay_sim_count_orders_with_link (f->sim, "https://instagram.com/f7"), ==, 1);
  balance -= price;
  g_assert_cmpint (api_balance (f), ==, balance);

  /* Injected faults wait for their action; other actions pass. */
  relay_sim_inject_fault (f->sim, "add", RELAY_SIM_FAULT_HTML_BEFORE, 2);
  g_assert_cmpint (api_balance (f), ==, balance);
  api (f, &reply, "action", "add", "service", "101", "link", "https://instagram.com/f8", "quantity", "100", NULL);
  g_assert_cmpuint (reply.status, ==, 502);
  api (f, &reply, "action", "add", "service", "101", "link", "https://instagram.com/f8", "quantity", "100", NULL);
  g_assert_cmpuint (reply.status, ==, 502);
  api (f, &reply, "action", "add", "service", "101", "link", "https://instagram.com/f8", "quantity", "100", NULL);
  g_assert_true (json_object_has_member (reply_object (&reply), "order"));

  /* Any action; then a rate of 1 and of 0. */
  relay_sim_inject_fault (f->sim, NULL, RELAY_SIM_FAULT_RATE_LIMIT, 1);
  api (f, &reply, "action", "services", NULL);
  g_assert_cmpuint (reply.status, ==, 429);
  relay_sim_set_fault_rate (f->sim, "balance", RELAY_SIM_FAULT_HTML_BEFORE, 1.0);
  for (guint i = 0; i < 3; i++)
    {
      api (f, &reply, "action", "balance", NULL);
      g_assert_cmpuint (reply.status, ==, 502);
    }
  api (f, &reply, "action", "services", NULL);
  g_assert_cmpuint (reply.status, ==, 200);
  relay_sim_set_fault_rate (f->sim, "balance", RELAY_SIM_FAULT_HTML_BEFORE, 0);
  api (f, &reply, "action", "balance", NULL);
  g_assert_cmpuint (reply.status, ==, 200);

  /* Half the time, roughly. */
  {
    guint n_faults = 0;

    relay_sim_set_fault_rate (f->sim, "balance", RELAY_SIM_FAULT_ERROR_JSON, 0.5);
    for (guint i = 0; i < 60; i++)
      {
        api (f, &reply, "action", "balance", NULL);
        if (json_object_has_member (reply_object (&reply), "error"))
          n_faults++;
      }
    g_assert_cmpuint (n_faults, >, 10);
    g_assert_cmpuint (n_faults, <, 50);
  }
  reply_clear (&reply);
}

/* A timed-out client goes away while the reply is held; nothing must break. */
static void
test_timeout_disconnect (Fixture       *f,
                         gconstpointer  data)
{
  Reply reply = { 0 };

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr (SoupSession) impatient = soup_session_new_with_options ("timeout", 1, NULL);

      relay_sim_inject_fault (f->sim, NULL, RELAY_SIM_FAULT_TIMEOUT, 1);
      api_with (f, impatient, &reply, "action", "balance", NULL);
      g_assert_error (reply.error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
    }
  /* Replies that fall due after the client gave up: sent into, or dropped
   * on, a connection that is gone. */
  relay_sim_set_latency (f->sim, 1500, 1500);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr (SoupSession) impatient = soup_session_new_with_options ("timeout", 1, NULL);
      gint64 until;

      if (i == 1)
        relay_sim_inject_fault (f->sim, NULL, RELAY_SIM_FAULT_DROP_AFTER, 1);
      api_with (f, impatient, &reply, "action", "balance", NULL);
      g_assert_error (reply.error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
      g_clear_object (&impatient);
      until = g_get_monotonic_time () + 1000 * 1000;
      while (g_get_monotonic_time () < until)
        if (!g_main_context_iteration (NULL, FALSE))
          g_usleep (10000);
    }
  relay_sim_set_latency (f->sim, 0, 0);

  /* The simulator goes on serving. */
  g_assert_cmpint (api_balance (f), ==, 1000 * RELAY_MICRO);
  reply_clear (&reply);
}

static void
test_extra_services (Fixture       *f,
                     gconstpointer  data)
{
  Reply reply = { 0 };
  JsonArray *services;
  JsonObject *last;
  g_autofree char *id = NULL;
  g_autofree char *quantity = NULL;

  relay_sim_set_extra_services (f->sim, 3000);
  api (f, &reply, "action", "services", NULL);
  services = reply_array (&reply);
  g_assert_cmpuint (json_array_get_length (services), >=, 3036);
  last = json_array_get_object_element (services, json_array_get_length (services) - 1);
  id = g_strdup_printf ("%" G_GINT64_FORMAT, member_int (last, "service"));
  quantity = g_strdup_printf ("%" G_GINT64_FORMAT, member_int (last, "min"));
  g_assert_cmpstr (json_object_get_string_member (last, "type"), ==, "Default");
  add_order (f, id, "https://instagram.com/extra", quantity);
  g_assert_cmpuint (relay_sim_get_n_orders (f->sim), ==, 1);
  reply_clear (&reply);
}

static void
test_latency (Fixture       *f,
              gconstpointer  data)
{
  Reply reply = { 0 };

  relay_sim_set_latency (f->sim, 200, 250);
  api (f, &reply, "action", "balance", NULL);
  reply_object (&reply);
  g_assert_cmpint (reply.elapsed_us, >=, 200 * 1000);
  /* Latency before a drop, too. */
  relay_sim_inject_fault (f->sim, NULL, RELAY_SIM_FAULT_DROP_BEFORE, 1);
  api (f, &reply, "action", "balance", NULL);
  g_assert_nonnull (reply.error);
  g_assert_cmpint (reply.elapsed_us, >=, 200 * 1000);
  relay_sim_set_latency (f->sim, 0, 0);
  api (f, &reply, "action", "balance", NULL);
  reply_object (&reply);
  reply_clear (&reply);
}

static void
test_counters (Fixture       *f,
               gconstpointer  data)
{
  Reply reply = { 0 };

  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, NULL), ==, 0);
  api (f, &reply, "action", "balance", NULL);
  api (f, &reply, "action", "balance", NULL);
  api (f, &reply, "action", "status", "order", "1", NULL);
  api (f, &reply, "key", "bad", "action", "add", NULL);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, "balance"), ==, 2);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, "status"), ==, 1);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, "add"), ==, 1);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, "refill"), ==, 0);
  g_assert_cmpuint (relay_sim_get_n_requests (f->sim, NULL), ==, 4);
  g_assert_cmpuint (relay_sim_get_n_orders (f->sim), ==, 0);
  reply_clear (&reply);
}

static void
test_numbers (Fixture       *f,
              gconstpointer  data)
{
  gint64 id = add_order (f, "101", "https://instagram.com/n", "100");
  JsonObject *object;
  Reply reply = { 0 };

  relay_sim_set_numbers (f->sim, RELAY_SIM_NUMBERS_STRINGS);
  relay_sim_advance (f->sim, 10);
  object = status_of (f, &reply, id);
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (object, "remains")), ==, G_TYPE_STRING);
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (object, "charge")), ==, G_TYPE_STRING);
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (object, "start_count")), ==, G_TYPE_STRING);

  relay_sim_set_numbers (f->sim, RELAY_SIM_NUMBERS_NUMBERS);
  object = status_of (f, &reply, id);
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (object, "remains")), ==, G_TYPE_INT64);
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (object, "charge")), ==, G_TYPE_DOUBLE);
  g_assert_cmpint (member_money (object, "charge"), ==, 90000);
  api (f, &reply, "action", "balance", NULL);
  g_assert_cmpint (member_money (reply_object (&reply), "balance"), ==, 1000 * RELAY_MICRO - 90000);
  reply_clear (&reply);
}

static void
test_duplicate_links (Fixture       *f,
                      gconstpointer  data)
{
  Reply reply = { 0 };

  add_order (f, "101", "https://instagram.com/dup", "100");
  add_order (f, "101", "https://instagram.com/dup", "100");
  relay_sim_set_reject_duplicate_links (f->sim, TRUE);
  api (f, &reply, "action", "add", "service", "101", "link", "https://instagram.com/dup", "quantity", "100", NULL);
  assert_error (&reply, "You have active order with this link. Please wait until order being completed.");
  relay_sim_advance (f->sim, 3600);
  add_order (f, "101", "https://instagram.com/dup", "100");
  g_assert_cmpuint (relay_sim_count_orders_with_link (f->sim, "https://instagram.com/dup"), ==, 3);
  reply_clear (&reply);
}

static void
test_admin (Fixture       *f,
            gconstpointer  data)
{
  JsonObject *object;
  JsonArray *array;
  Reply reply = { 0 };
  g_autofree char *balance = NULL;

  add_order (f, "101", "https://instagram.com/admin", "100");
  admin (f, "GET", "/sim/stats", NULL, &reply);
  object = reply_object (&reply);
  g_assert_cmpint (json_object_get_int_member (object, "orders"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (object, "requests"), "add"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (object, "balance"), ==, "999.91");

  admin (f, "GET", "/sim/orders", NULL, &reply);
  array = reply_array (&reply);
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  object = json_array_get_object_element (array, 0);
  g_assert_cmpstr (json_object_get_string_member (object, "link"), ==, "https://instagram.com/admin");
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "Pending");

  admin (f, "POST", "/sim/control", "fault=html_before&count=1&action=add", &reply);
  reply_object (&reply);
  api (f, &reply, "action", "balance", NULL);
  g_assert_cmpuint (reply.status, ==, 200);
  api (f, &reply, "action", "add", "service", "101", "link", "https://instagram.com/admin", "quantity", "100", NULL);
  g_assert_cmpuint (reply.status, ==, 502);

  admin (f, "POST", "/sim/control", "fault_rate=rate_limit&probability=1&action=services", &reply);
  reply_object (&reply);
  api (f, &reply, "action", "services", NULL);
  g_assert_cmpuint (reply.status, ==, 429);
  admin (f, "POST", "/sim/control", "fault_rate=rate_limit&probability=0&action=services", &reply);
  api (f, &reply, "action", "services", NULL);
  g_assert_cmpuint (reply.status, ==, 200);

  admin (f, "POST", "/sim/control", "advance=3600", &reply);
  admin (f, "GET", "/sim/orders", NULL, &reply);
  object = json_array_get_object_element (reply_array (&reply), 0);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), !=, "Pending");

  admin (f, "POST", "/sim/control", "balance=12.5", &reply);
  g_assert_cmpint (api_balance (f), ==, 12500000);
  admin (f, "POST", "/sim/control", "disable_service=101", &reply);
  api (f, &reply, "action", "add", "service", "101", "link", "https://instagram.com/admin", "quantity", "100", NULL);
  assert_error (&reply, "Service is disabled");
  admin (f, "POST", "/sim/control", "enable_service=101", &reply);
  api (f, &reply, "action", "add", "service", "101", "link", "https://instagram.com/admin", "quantity", "100", NULL);
  g_assert_true (json_object_has_member (reply_object (&reply), "order"));

  admin (f, "POST", "/sim/control", "latency_min=150&latency_max=150", &reply);
  api (f, &reply, "action", "balance", NULL);
  g_assert_cmpint (reply.elapsed_us, >=, 150 * 1000);
  admin (f, "POST", "/sim/control", "latency_min=0&latency_max=0", &reply);

  admin (f, "POST", "/sim/control", "fault=meteor", &reply);
  g_assert_cmpuint (reply.status, ==, 400);
  admin (f, "POST", "/sim/control", "balance=lots", &reply);
  g_assert_cmpuint (reply.status, ==, 400);
  /* A GET must not change the panel (a prefetch or a crawler could send it). */
  admin (f, "GET", "/sim/stats", NULL, &reply);
  balance = g_strdup (json_object_get_string_member (reply_object (&reply), "balance"));
  admin (f, "GET", "/sim/control?balance=99", NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 405);
  admin (f, "GET", "/sim/stats", NULL, &reply);
  g_assert_cmpstr (json_object_get_string_member (reply_object (&reply), "balance"), ==, balance);
  g_assert_cmpstr (balance, !=, "99.00");
  admin (f, "GET", "/sim/nothing", NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 404);
  reply_clear (&reply);
}

static void
test_state_file (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("relay-sim-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "sub", "state.db", NULL);
  g_autoptr (GPtrArray) before = NULL;
  g_autoptr (GPtrArray) after = NULL;
  Fixture fixture = { 0 };
  Fixture *f = &fixture;
  gint64 balance, last_id, next_id;
  double clock;

  g_assert_no_error (error);
  fixture_set_up (f, NULL);
  g_assert_true (relay_sim_set_state_file (f->sim, path, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *link = g_strdup_printf ("https://instagram.com/state/%u", i);

      last_id = add_order (f, "101", link, "300");
    }
  relay_sim_advance (f->sim, 20);
  relay_sim_set_service_disabled (f->sim, "103", TRUE);
  before = relay_sim_dup_orders (f->sim);
  balance = relay_sim_get_balance (f->sim);
  clock = relay_sim_get_clock (f->sim);
  fixture_tear_down (f, NULL);

  fixture_set_up (f, NULL);
  g_assert_true (relay_sim_set_state_file (f->sim, path, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (relay_sim_get_n_orders (f->sim), ==, 20);
  g_assert_cmpfloat (relay_sim_get_clock (f->sim), >=, clock);
  g_assert_cmpfloat (relay_sim_get_clock (f->sim), <, clock + 5);
  after = relay_sim_dup_orders (f->sim);
  for (guint i = 0; i < before->len; i++)
    {
      RelaySimOrder *a = g_ptr_array_index (before, i);
      RelaySimOrder *b = g_ptr_array_index (after, i);

      g_assert_cmpint (a->id, ==, b->id);
      g_assert_cmpstr (a->link, ==, b->link);
      g_assert_cmpint (a->quantity, ==, b->quantity);
      if (g_str_equal (a->status, "Canceled") || g_str_equal (a->status, "Partial")
          || g_str_equal (a->status, "Completed"))
        g_assert_cmpstr (a->status, ==, b->status);
      if (a->start_count != 0 && b->start_count != 0)
        g_assert_cmpint (a->start_count, ==, b->start_count);
      g_assert_cmpint (llabs (a->remains - b->remains), <=, 30);
    }
  g_assert_cmpint (api_balance (f), >=, balance);
  assert_balance_invariant (f, 1000 * RELAY_MICRO);
  next_id = add_order (f, "101", "https://instagram.com/state/next", "300");
  g_assert_cmpint (next_id, >, last_id);
  {
    Reply reply = { 0 };

    api (f, &reply, "action", "add", "service", "103", "link", "https://instagram.com/p/z", "quantity", "100", NULL);
    assert_error (&reply, "Service is disabled");
    reply_clear (&reply);
  }
  /* Refunds are settled once, across restarts. */
  relay_sim_advance (f->sim, 3600);
  balance = relay_sim_get_balance (f->sim);
  fixture_tear_down (f, NULL);

  fixture_set_up (f, NULL);
  g_assert_true (relay_sim_set_state_file (f->sim, path, &error));
  g_assert_cmpuint (relay_sim_get_n_orders (f->sim), ==, 21);
  relay_sim_advance (f->sim, 3600);
  g_assert_cmpint (relay_sim_get_balance (f->sim), ==, balance);
  fixture_tear_down (f, NULL);

  /* A file that is not a database. */
  {
    g_autofree char *bad = g_build_filename (dir, "bad.db", NULL);
    g_autoptr (RelaySim) sim = relay_sim_new ();

    g_assert_true (g_file_set_contents (bad, "this is not sqlite, not at all, no no no no no", -1, NULL));
    g_assert_false (relay_sim_set_state_file (sim, bad, &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
    g_unlink (bad);
  }

  g_unlink (path);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);
    g_autofree char *sub = g_path_get_dirname (path);

    g_unlink (wal);
    g_unlink (shm);
    g_rmdir (sub);
  }
  g_rmdir (dir);
}

static void
test_executable (void)
{
  const char *exe = g_getenv ("SMM_RELAY_SIM");
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GDataInputStream) out = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *port_text = NULL;
  Fixture fixture = { 0 };
  Fixture *f = &fixture;
  Reply reply = { 0 };
  JsonObject *object;

  if (exe == NULL || !g_file_test (exe, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("SMM_RELAY_SIM is not set to the built smm-relay-sim");
      return;
    }

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                              exe, "--port", "0", "--seed", "7", "--balance", "50",
                              "--numbers", "strings", "--latency", "5:10",
                              "--fault-rate", "refill:html_before=0.5", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_test_message ("%s", line);
  g_assert_true (g_str_has_prefix (line, "listening on http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (line, "/api/v2"));

  f->url = g_strdup (line + strlen ("listening on "));
  port_text = g_strndup (f->url + strlen ("http://127.0.0.1:"),
                         strlen (f->url) - strlen ("http://127.0.0.1:") - strlen ("/api/v2"));
  f->base = g_strdup_printf ("http://127.0.0.1:%s", port_text);
  f->session = soup_session_new_with_options ("timeout", 10, NULL);

  api (f, &reply, "action", "balance", NULL);
  object = reply_object (&reply);
  g_assert_cmpstr (json_object_get_string_member (object, "balance"), ==, "50.00");
  g_assert_cmpint (add_order (f, "122", "https://tiktok.com/@x/video/1", "100"), >, 0);
  admin (f, "GET", "/sim/stats", NULL, &reply);
  g_assert_cmpint (json_object_get_int_member (reply_object (&reply), "orders"), ==, 1);

  g_subprocess_send_signal (process, SIGTERM);
  g_assert_true (g_subprocess_wait (process, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);

  reply_clear (&reply);
  g_clear_object (&f->session);
  g_free (f->url);
  g_free (f->base);
}

static void
test_executable_bad_option (void)
{
  const char *exe = g_getenv ("SMM_RELAY_SIM");
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GError) error = NULL;

  if (exe == NULL || !g_file_test (exe, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("SMM_RELAY_SIM is not set to the built smm-relay-sim");
      return;
    }
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                              exe, "--fault-rate", "meteor=2", NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait (process, NULL, &error));
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), !=, 0);
}

static void
test_fault_names (void)
{
  RelaySimFault fault;

  for (RelaySimFault i = 0; i < RELAY_SIM_N_FAULTS; i++)
    {
      g_assert_true (relay_sim_fault_from_string (relay_sim_fault_to_string (i), &fault));
      g_assert_cmpint (fault, ==, i);
    }
  g_assert_true (relay_sim_fault_from_string ("drop-after", &fault));
  g_assert_cmpint (fault, ==, RELAY_SIM_FAULT_DROP_AFTER);
  g_assert_false (relay_sim_fault_from_string ("meteor", &fault));
  g_assert_false (relay_sim_fault_from_string (NULL, &fault));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/sim/fault-names", test_fault_names);
  ADD ("/sim/services", test_services);
  ADD ("/sim/services/extra", test_extra_services);
  ADD ("/sim/key-and-actions", test_key_and_actions);
  ADD ("/sim/add/happy", test_add_happy);
  ADD ("/sim/add/validation", test_add_validation);
  ADD ("/sim/add/types", test_add_types);
  ADD ("/sim/add/funds", test_funds);
  ADD ("/sim/add/duplicate-links", test_duplicate_links);
  ADD ("/sim/status", test_status);
  ADD ("/sim/progress", test_progress);
  ADD ("/sim/reproducible", test_reproducible);
  ADD ("/sim/refill", test_refill);
  ADD ("/sim/cancel", test_cancel);
  ADD ("/sim/numbers", test_numbers);
  ADD ("/sim/faults", test_faults);
  ADD ("/sim/faults/timeout-disconnect", test_timeout_disconnect);
  ADD ("/sim/latency", test_latency);
  ADD ("/sim/counters", test_counters);
  ADD ("/sim/admin", test_admin);
  g_test_add_func ("/sim/state-file", test_state_file);
  g_test_add_func ("/sim/executable", test_executable);
  g_test_add_func ("/sim/executable/bad-option", test_executable_bad_option);

#undef ADD

  return g_test_run ();
}
