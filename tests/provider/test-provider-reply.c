/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of the provider reply parsers: real-looking samples, every quirk of real panels,
 * broken bodies. */
#include "relay-provider-reply.h"
#include "relay-provider-redact.h"
#include "relay-error.h"

#include <string.h>

static GBytes *
text (const char *body)
{
  return g_bytes_new (body, strlen (body));
}

#define assert_provider_error(err, expected_code, expected_message)      \
  G_STMT_START {                                                          \
    g_assert_error ((err), RELAY_PROVIDER_ERROR, (expected_code));        \
    g_assert_cmpstr ((err)->message, ==, (expected_message));             \
  } G_STMT_END

/* ---- common rules, through the `add` parser ----------------------------- */

static void
test_add_ok (void)
{
  static const struct { const char *body; const char *id; } cases[] = {
    { "{\"order\": 23501}", "23501" },
    { "{\"order\": \"23501\"}", "23501" },
    { "{\"order\": \" 23501 \"}", "23501" },
    { "{\"order\": 23501.0}", "23501" },
    { "\"23501\"", "23501" },
    { "23501", "23501" },
    { "\xEF\xBB\xBF{\"order\": 7}", "7" },
    { "\n\r\t  {\"order\": 8}  \n", "8" },
    { "{\"order\": 9, \"charge\": \"0.90\", \"currency\": \"USD\", \"x\": [1, {\"y\": null}]}", "9" },
    /* An order id wins over anything beside it: the order exists. */
    { "{\"order\": 10, \"error\": \"Something went wrong\"}", "10" },
    { "{\"order\": 11, \"error\": null}", "11" },
    { "{\"order\": \"ab-12\"}", "ab-12" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) body = text (cases[i].body);
      g_autoptr(GError) error = NULL;
      g_autofree char *id = relay_reply_parse_add (200, body, &error);

      g_test_message ("body: %s", cases[i].body);
      g_assert_no_error (error);
      g_assert_cmpstr (id, ==, cases[i].id);
    }
}

/* An {"error": …} with HTTP 5xx comes from a gateway or a half-broken panel:
 * the order may exist, so it is never a definite refusal. */
static void
test_add_error_with_5xx (void)
{
  static const struct { guint status; const char *body; } cases[] = {
    { 500, "{\"error\": \"Incorrect service ID\"}" },
    { 504, "{\"error\": \"Gateway Timeout\"}" },
    { 503, "{\"error\": \"upstream balance service unavailable\"}" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) body = g_bytes_new_static (cases[i].body, strlen (cases[i].body));
      g_autoptr(GError) error = NULL;
      g_autofree char *id = relay_reply_parse_add (cases[i].status, body, &error);

      g_assert_null (id);
      g_assert_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME);
      g_assert_nonnull (strstr (error->message, "the order may exist"));
    }
}

static void
test_add_rejected (void)
{
  static const struct { guint status; const char *body; const char *words; } cases[] = {
    { 200, "{\"error\": \"Not enough funds on balance\"}", "Not enough funds on balance" },
    { 200, "{\"error\": \"  Incorrect\\n link\\t\\u0001 \"}", "Incorrect link" },
    { 400, "{\"error\": \"Quantity less than minimal 50\"}", "Quantity less than minimal 50" },
    { 200, "{\"error\": {\"message\": \"Service is disabled\"}}", "Service is disabled" },
    { 200, "{\"error\": 1, \"message\": \"Invalid API key\"}", "Invalid API key" },
    { 200, "{\"error\": true}", "provider refused the request without giving a reason" },
    { 200, "{\"error\": \"\\u0007\\u0008\"}", "provider refused the request without giving a reason" },
    { 200, "{\"order\": {\"error\": \"Incorrect link\"}}", "Incorrect link" },
    { 200, "{\"order\": null, \"error\": \"Incorrect request\"}", "Incorrect request" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) body = text (cases[i].body);
      g_autoptr(GError) error = NULL;
      g_autofree char *id = relay_reply_parse_add (cases[i].status, body, &error);

      g_test_message ("body: %s", cases[i].body);
      g_assert_null (id);
      assert_provider_error (error, RELAY_PROVIDER_ERROR_REJECTED, cases[i].words);
    }
}

static void
test_error_words_capped (void)
{
  g_autoptr(GString) json = g_string_new ("{\"error\": \"");
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  for (guint i = 0; i < 1000; i++)
    g_string_append (json, "é");
  g_string_append (json, "\"}");
  body = text (json->str);
  id = relay_reply_parse_add (200, body, &error);
  g_assert_null (id);
  g_assert_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_REJECTED);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_cmpint (g_utf8_strlen (error->message, -1), ==, 300);
  /* The cut is visible. */
  g_assert_true (g_str_has_suffix (error->message, "é…"));
}

static void
test_unreadable_bodies (void)
{
  static const struct { guint status; const char *body; int code; const char *message; } cases[] = {
    { 502, "<html><body><h1>502 Bad Gateway</h1></body></html>",
      RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME, "provider returned an HTML page (HTTP 502)" },
    { 503, "\n  <!DOCTYPE html><html><title>Service Unavailable</title></html>",
      RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME, "provider returned an HTML page (HTTP 503)" },
    { 522, "<!DOCTYPE html><title>Connection timed out | example.com | Cloudflare</title>",
      RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME, "provider returned an HTML page (HTTP 522)" },
    { 200, "<br />\n<b>Warning</b>: something on line 12<br />\n{\"order\": 5}",
      RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME, "provider returned an HTML page (HTTP 200)" },
    { 200, "Warning: db down\n<html><body>oops</body></html>",
      RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME, "provider returned an HTML page (HTTP 200)" },
    { 429, "<html><body>Too Many Requests</body></html>",
      RELAY_PROVIDER_ERROR_NOT_SENT, "provider returned an HTML page (HTTP 429)" },
    { 403, "<!DOCTYPE html><html><title>Just a moment...</title></html>",
      RELAY_PROVIDER_ERROR_NOT_SENT, "provider returned an HTML page (HTTP 403)" },
    { 200, "", RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME, "provider returned an empty reply (HTTP 200)" },
    { 200, " \n\t\r\n ", RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME,
      "provider returned an empty reply (HTTP 200)" },
    { 200, "\xEF\xBB\xBF", RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME,
      "provider returned an empty reply (HTTP 200)" },
    { 504, "", RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME, "provider returned an empty reply (HTTP 504)" },
    { 200, "{}", RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME, "provider reply has no order id" },
    { 200, "{\"order\": null}", RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME, "provider reply has no order id" },
    { 200, "{\"order\": \"\"}", RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME, "provider reply has no order id" },
    { 200, "{\"order\": false}", RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME, "provider reply has no order id" },
    { 200, "{\"error\": \"\", \"order\": \" \"}", RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME,
      "provider reply has no order id" },
    { 200, "\"Incorrect request\"", RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME,
      "provider reply has no order id" },
    { 200, "null", RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME, "provider reply has no order id" },
    { 200, "[{\"order\": 5}]", RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME,
      "provider returned JSON of an unexpected shape (HTTP 200): expected an object" },
    { 500, "{\"message\": \"Internal error\"}", RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME,
      "provider reply has no order id" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) body = text (cases[i].body);
      g_autoptr(GError) error = NULL;
      g_autofree char *id = relay_reply_parse_add (cases[i].status, body, &error);

      g_test_message ("HTTP %u body: %s", cases[i].status, cases[i].body);
      g_assert_null (id);
      assert_provider_error (error, cases[i].code, cases[i].message);
    }
}

static void
test_truncated_json (void)
{
  static const char * const bodies[] = {
    "{\"order\": 235",
    "{\"order\": \"23501",
    "{\"charge\": \"0.27819\", \"start_count\": ",
    "[{\"service\": 1, \"name\": \"Followers\"",
    "{",
    "Bad Gateway",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(GBytes) body = text (bodies[i]);
      g_autoptr(GError) error = NULL;
      g_autofree char *id = relay_reply_parse_add (200, body, &error);

      g_test_message ("body: %s", bodies[i]);
      g_assert_null (id);
      g_assert_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME);
      g_assert_true (g_str_has_prefix (error->message,
                                       "provider returned unreadable JSON (HTTP 200): "));
      /* json-glib's reason follows the colon. */
      g_assert_cmpuint (strlen (error->message),
                        >, strlen ("provider returned unreadable JSON (HTTP 200): "));
    }
}

static void
test_null_body (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = relay_reply_parse_add (200, NULL, &error);

  g_assert_null (id);
  assert_provider_error (error, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME,
                         "provider returned an empty reply (HTTP 200)");
}

/* ---- status ------------------------------------------------------------ */

static RelayProviderStatus *
parse_status_ok (const char *json)
{
  g_autoptr(GBytes) body = text (json);
  g_autoptr(GError) error = NULL;
  RelayProviderStatus *status = relay_reply_parse_status (200, body, &error);

  g_test_message ("body: %s", json);
  g_assert_no_error (error);
  g_assert_nonnull (status);
  return status;
}

static void
test_status (void)
{
  g_autoptr(RelayProviderStatus) s = NULL;

  s = parse_status_ok ("{\"charge\": \"0.27819\", \"start_count\": \"3572\", \"status\": \"Partial\", "
                       "\"remains\": \"157\", \"currency\": \"USD\"}");
  g_assert_null (s->error);
  g_assert_cmpstr (s->status_word, ==, "Partial");
  g_assert_true (s->has_charge);
  g_assert_cmpint (s->charge, ==, 278190);
  g_assert_true (s->has_start_count);
  g_assert_cmpint (s->start_count, ==, 3572);
  g_assert_true (s->has_remains);
  g_assert_cmpint (s->remains, ==, 157);
  g_assert_cmpstr (s->currency, ==, "USD");
  g_clear_pointer (&s, relay_provider_status_free);

  s = parse_status_ok ("{\"charge\": 0.27819, \"start_count\": 3572, \"status\": \"In Progress\", "
                       "\"remains\": 157, \"unknown_field\": {\"a\": [1, 2]}}");
  g_assert_cmpstr (s->status_word, ==, "In Progress");
  g_assert_cmpint (s->charge, ==, 278190);
  g_assert_cmpint (s->start_count, ==, 3572);
  g_assert_cmpint (s->remains, ==, 157);
  g_assert_null (s->currency);
  g_clear_pointer (&s, relay_provider_status_free);

  /* Before the order starts: "" and null mean "not known yet". */
  s = parse_status_ok ("{\"charge\": \"\", \"start_count\": null, \"status\": \"Pending\", "
                       "\"remains\": \"  \", \"currency\": \"\"}");
  g_assert_cmpstr (s->status_word, ==, "Pending");
  g_assert_false (s->has_charge);
  g_assert_false (s->has_start_count);
  g_assert_false (s->has_remains);
  g_assert_null (s->currency);
  g_clear_pointer (&s, relay_provider_status_free);

  /* Spaces, over-delivery, a whole-number charge, status words kept as said. */
  s = parse_status_ok ("{\"charge\": \" 1.5 \", \"start_count\": \" 3 572 \", "
                       "\"status\": \" Inprogress \", \"remains\": \"-12\"}");
  g_assert_cmpstr (s->status_word, ==, "Inprogress");
  g_assert_cmpint (s->charge, ==, 1500000);
  g_assert_cmpint (s->start_count, ==, 3572);
  g_assert_cmpint (s->remains, ==, -12);
  g_clear_pointer (&s, relay_provider_status_free);

  s = parse_status_ok ("{\"charge\": 2, \"status\": \"Cancelled\", \"remains\": \"100.0\"}");
  g_assert_cmpstr (s->status_word, ==, "Cancelled");
  g_assert_cmpint (s->charge, ==, 2000000);
  g_assert_cmpint (s->remains, ==, 100);
  g_clear_pointer (&s, relay_provider_status_free);

  s = parse_status_ok ("{\"status\": \"Canceled\", \"charge\": \"abc\", \"remains\": \"12abc\"}");
  g_assert_cmpstr (s->status_word, ==, "Canceled");
  g_assert_false (s->has_charge);
  g_assert_false (s->has_remains);
  g_clear_pointer (&s, relay_provider_status_free);

  /* An unknown word is kept for the user to see. */
  s = parse_status_ok ("{\"status\": \"Awaiting moderation\"}");
  g_assert_cmpstr (s->status_word, ==, "Awaiting moderation");
}

static void
test_status_errors (void)
{
  static const struct { guint status; const char *body; int code; const char *message; } cases[] = {
    { 200, "{\"error\": \"Incorrect order ID\"}", RELAY_PROVIDER_ERROR_REJECTED, "Incorrect order ID" },
    { 200, "{\"charge\": \"0.2\"}", RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME,
      "provider reply has no order status" },
    { 200, "{\"status\": \"\"}", RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME,
      "provider reply has no order status" },
    { 200, "[]", RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME,
      "provider returned JSON of an unexpected shape (HTTP 200): expected an object" },
    { 200, "42", RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME,
      "provider returned JSON of an unexpected shape (HTTP 200): expected an object" },
    { 502, "<html>Bad gateway</html>", RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME,
      "provider returned an HTML page (HTTP 502)" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) body = text (cases[i].body);
      g_autoptr(GError) error = NULL;
      g_autoptr(RelayProviderStatus) s = relay_reply_parse_status (cases[i].status, body, &error);

      g_test_message ("body: %s", cases[i].body);
      g_assert_null (s);
      assert_provider_error (error, cases[i].code, cases[i].message);
    }
}

static void
test_statuses (void)
{
  g_autoptr(GBytes) body = text (
    "{\"1\": {\"charge\": \"0.27819\", \"start_count\": \"3572\", \"status\": \"Partial\", "
    "\"remains\": \"157\", \"currency\": \"USD\"},"
    " \"10\": {\"error\": \"Incorrect order ID\"},"
    " \"11\": {\"error\": \"  Incorrect order ID\\n\"},"
    " \"12\": \"garbage\","
    " \"13\": [1, 2],"
    " \"14\": {\"charge\": 1},"
    " \"15\": null,"
    " \"16\": {\"charge\": 1.25, \"start_count\": 0, \"status\": \"Completed\", \"remains\": 0}}");
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) table = relay_reply_parse_statuses (200, body, &error);
  RelayProviderStatus *s;

  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (table), ==, 8);

  s = g_hash_table_lookup (table, "1");
  g_assert_cmpstr (s->order_id, ==, "1");
  g_assert_null (s->error);
  g_assert_cmpstr (s->status_word, ==, "Partial");
  g_assert_cmpint (s->charge, ==, 278190);
  g_assert_cmpint (s->remains, ==, 157);

  s = g_hash_table_lookup (table, "10");
  g_assert_cmpstr (s->order_id, ==, "10");
  g_assert_cmpstr (s->error, ==, "Incorrect order ID");
  g_assert_null (s->status_word);
  s = g_hash_table_lookup (table, "11");
  g_assert_cmpstr (s->error, ==, "Incorrect order ID");

  for (guint i = 12; i <= 15; i++)
    {
      char key[8];

      g_snprintf (key, sizeof key, "%u", i);
      s = g_hash_table_lookup (table, key);
      g_assert_nonnull (s);
      g_assert_cmpstr (s->order_id, ==, key);
      g_assert_cmpstr (s->error, ==, "unreadable entry");
      g_assert_null (s->status_word);
    }

  s = g_hash_table_lookup (table, "16");
  g_assert_null (s->error);
  g_assert_cmpstr (s->status_word, ==, "Completed");
  g_assert_cmpint (s->charge, ==, 1250000);
  g_assert_true (s->has_start_count);
  g_assert_cmpint (s->start_count, ==, 0);
  g_assert_true (s->has_remains);
  g_assert_cmpint (s->remains, ==, 0);
}

static void
test_statuses_shapes (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) array = text ("[{\"order\": 5, \"status\": \"Pending\"}, {\"order\": \"6\", "
                                  "\"error\": \"Incorrect order ID\"}, {\"status\": \"x\"}, 7]");
  g_autoptr(GBytes) empty = text ("{}");
  g_autoptr(GBytes) rejected = text ("{\"error\": \"Incorrect request\"}");
  g_autoptr(GBytes) single = text ("{\"status\": \"Pending\", \"charge\": \"1\"}");
  g_autoptr(GBytes) scalar = text ("\"1,2,3\"");
  g_autoptr(GHashTable) table = NULL;

  table = relay_reply_parse_statuses (200, array, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (table), ==, 2);
  g_assert_cmpstr (((RelayProviderStatus *) g_hash_table_lookup (table, "5"))->status_word, ==,
                   "Pending");
  g_assert_cmpstr (((RelayProviderStatus *) g_hash_table_lookup (table, "6"))->error, ==,
                   "Incorrect order ID");
  g_clear_pointer (&table, g_hash_table_unref);

  table = relay_reply_parse_statuses (200, empty, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (table), ==, 0);
  g_clear_pointer (&table, g_hash_table_unref);

  table = relay_reply_parse_statuses (200, rejected, &error);
  g_assert_null (table);
  assert_provider_error (error, RELAY_PROVIDER_ERROR_REJECTED, "Incorrect request");
  g_clear_error (&error);

  table = relay_reply_parse_statuses (200, single, &error);
  g_assert_null (table);
  assert_provider_error (error, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME,
                         "provider returned JSON of an unexpected shape (HTTP 200): "
                         "expected statuses keyed by order id");
  g_clear_error (&error);

  table = relay_reply_parse_statuses (200, scalar, &error);
  g_assert_null (table);
  g_assert_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME);
}

/* ---- balance ----------------------------------------------------------- */

static void
test_balance (void)
{
  static const struct { const char *body; gint64 micro; const char *currency; } ok[] = {
    { "{\"balance\": \"100.84292\", \"currency\": \"USD\"}", 100842920, "USD" },
    { "{\"balance\": 100.84292, \"currency\": \"USD\"}", 100842920, "USD" },
    { "{\"balance\": 100, \"currency\": \"EUR\"}", 100000000, "EUR" },
    { "{\"balance\": \" -5.5 \"}", -5500000, NULL },
    { "{\"balance\": \"0\", \"currency\": \"\"}", 0, NULL },
  };
  static const struct { const char *body; int code; const char *message; } bad[] = {
    { "{\"currency\": \"USD\"}", RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME, "provider reply has no balance" },
    { "{\"balance\": \"\"}", RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME, "provider reply has no balance" },
    { "{\"balance\": \"1e3\"}", RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME, "provider reply has no balance" },
    { "[{\"balance\": \"1\"}]", RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME,
      "provider returned JSON of an unexpected shape (HTTP 200): expected an object" },
    { "{\"error\": \"Invalid API key\"}", RELAY_PROVIDER_ERROR_REJECTED, "Invalid API key" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (ok); i++)
    {
      g_autoptr(GBytes) body = text (ok[i].body);
      g_autoptr(GError) error = NULL;
      g_autoptr(RelayProviderBalance) b = relay_reply_parse_balance (200, body, &error);

      g_test_message ("body: %s", ok[i].body);
      g_assert_no_error (error);
      g_assert_cmpint (b->balance, ==, ok[i].micro);
      g_assert_cmpstr (b->currency, ==, ok[i].currency);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GBytes) body = text (bad[i].body);
      g_autoptr(GError) error = NULL;
      g_autoptr(RelayProviderBalance) b = relay_reply_parse_balance (200, body, &error);

      g_test_message ("body: %s", bad[i].body);
      g_assert_null (b);
      assert_provider_error (error, bad[i].code, bad[i].message);
    }
}

/* ---- refill, cancel ------------------------------------------------------ */

static void
test_refill (void)
{
  static const struct { const char *body; const char *id; int code; const char *message; } cases[] = {
    { "{\"refill\": \"1\"}", "1", 0, NULL },
    { "{\"refill\": 1}", "1", 0, NULL },
    { "{\"refill\": \" 77 \", \"extra\": true}", "77", 0, NULL },
    { "\"15\"", "15", 0, NULL },
    { "{\"refill\": {\"error\": \"Refill is disabled for this service\"}}", NULL,
      RELAY_PROVIDER_ERROR_REJECTED, "Refill is disabled for this service" },
    { "{\"error\": \"Incorrect order ID\"}", NULL, RELAY_PROVIDER_ERROR_REJECTED, "Incorrect order ID" },
    { "{}", NULL, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME, "provider reply has no refill id" },
    { "{\"refill\": null}", NULL, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME, "provider reply has no refill id" },
    { "[1]", NULL, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME,
      "provider returned JSON of an unexpected shape (HTTP 200): expected an object" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) body = text (cases[i].body);
      g_autoptr(GError) error = NULL;
      g_autofree char *id = relay_reply_parse_refill (200, body, &error);

      g_test_message ("body: %s", cases[i].body);
      if (cases[i].id != NULL)
        {
          g_assert_no_error (error);
          g_assert_cmpstr (id, ==, cases[i].id);
        }
      else
        {
          g_assert_null (id);
          assert_provider_error (error, cases[i].code, cases[i].message);
        }
    }
}

static RelayProviderItemResult *
find_item (GPtrArray *items, const char *order_id)
{
  for (guint i = 0; i < items->len; i++)
    {
      RelayProviderItemResult *item = g_ptr_array_index (items, i);

      if (g_strcmp0 (item->order_id, order_id) == 0)
        return item;
    }
  return NULL;
}

static void
test_refills (void)
{
  g_autoptr(GBytes) body = text (
    "[{\"order\": 1, \"refill\": 1}, {\"order\": 3, \"refill\": {\"error\": \"Incorrect order ID\"}},"
    " {\"order\": \"5\", \"refill\": \"77\", \"note\": \"x\"}, 5, {\"refill\": 9},"
    " {\"order\": 9, \"refill\": null}, {\"order\": 10, \"error\": \"Refill is disabled for this service\"}]");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = relay_reply_parse_item_results (200, body, "refill", &error);
  RelayProviderItemResult *item;

  g_assert_no_error (error);
  /* The bare 5 and the entry without an order id cannot be placed. */
  g_assert_cmpuint (items->len, ==, 5);
  item = find_item (items, "1");
  g_assert_cmpstr (item->result_id, ==, "1");
  g_assert_null (item->error);
  item = find_item (items, "3");
  g_assert_null (item->result_id);
  g_assert_cmpstr (item->error, ==, "Incorrect order ID");
  item = find_item (items, "5");
  g_assert_cmpstr (item->result_id, ==, "77");
  item = find_item (items, "9");
  g_assert_null (item->result_id);
  g_assert_cmpstr (item->error, ==, "unreadable entry");
  item = find_item (items, "10");
  g_assert_cmpstr (item->error, ==, "Refill is disabled for this service");
}

static void
test_cancel (void)
{
  g_autoptr(GBytes) body = text (
    "[{\"order\": 9, \"cancel\": {\"error\": \"Incorrect order ID\"}}, {\"order\": 2, \"cancel\": 1},"
    " {\"order\": \"4\", \"cancel\": true}, {\"order\": 6, \"cancel\": \"1\"},"
    " {\"order\": 7, \"cancel\": 0}, {\"order\": 8, \"cancel\": \"maybe\"}]");
  g_autoptr(GBytes) rejected = text ("{\"error\": \"Incorrect request\"}");
  g_autoptr(GBytes) keyed = text ("{\"11\": 1, \"12\": {\"error\": \"Incorrect order ID\"}}");
  g_autoptr(GBytes) html = text ("<html>oops</html>");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = relay_reply_parse_item_results (200, body, "cancel", &error);
  RelayProviderItemResult *item;

  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 6);
  item = find_item (items, "9");
  g_assert_null (item->result_id);
  g_assert_cmpstr (item->error, ==, "Incorrect order ID");
  for (guint i = 0; i < 3; i++)
    {
      static const char * const accepted[] = { "2", "4", "6" };

      item = find_item (items, accepted[i]);
      g_assert_cmpstr (item->result_id, ==, "1");
      g_assert_null (item->error);
    }
  item = find_item (items, "7");
  g_assert_null (item->result_id);
  g_assert_cmpstr (item->error, ==, "provider did not accept the request");
  item = find_item (items, "8");
  g_assert_cmpstr (item->error, ==, "unreadable entry");
  g_clear_pointer (&items, g_ptr_array_unref);

  items = relay_reply_parse_item_results (200, keyed, "cancel", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 2);
  g_assert_cmpstr (find_item (items, "11")->result_id, ==, "1");
  g_assert_cmpstr (find_item (items, "12")->error, ==, "Incorrect order ID");
  g_clear_pointer (&items, g_ptr_array_unref);

  items = relay_reply_parse_item_results (200, rejected, "cancel", &error);
  g_assert_null (items);
  assert_provider_error (error, RELAY_PROVIDER_ERROR_REJECTED, "Incorrect request");
  g_clear_error (&error);

  items = relay_reply_parse_item_results (503, html, "cancel", &error);
  g_assert_null (items);
  assert_provider_error (error, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME,
                         "provider returned an HTML page (HTTP 503)");
}

/* ---- refill_status ----------------------------------------------------- */

static void
test_refill_status (void)
{
  static const struct { const char *body; const char *word; int code; const char *message; } cases[] = {
    { "{\"status\": \"Completed\"}", "Completed", 0, NULL },
    { "{\"status\": \" In progress \", \"x\": 1}", "In progress", 0, NULL },
    { "{\"status\": {\"error\": \"Refill not found\"}}", NULL, RELAY_PROVIDER_ERROR_REJECTED,
      "Refill not found" },
    { "{\"error\": \"Incorrect refill ID\"}", NULL, RELAY_PROVIDER_ERROR_REJECTED,
      "Incorrect refill ID" },
    { "{}", NULL, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME, "provider reply has no refill status" },
    { "[]", NULL, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME,
      "provider returned JSON of an unexpected shape (HTTP 200): expected an object" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) body = text (cases[i].body);
      g_autoptr(GError) error = NULL;
      g_autoptr(RelayProviderRefillStatus) s = relay_reply_parse_refill_status (200, body, &error);

      g_test_message ("body: %s", cases[i].body);
      if (cases[i].word != NULL)
        {
          g_assert_no_error (error);
          g_assert_cmpstr (s->status_word, ==, cases[i].word);
          g_assert_null (s->error);
        }
      else
        {
          g_assert_null (s);
          assert_provider_error (error, cases[i].code, cases[i].message);
        }
    }
}

static void
test_refill_statuses (void)
{
  g_autoptr(GBytes) body = text (
    "[{\"refill\": 1, \"status\": \"Completed\"}, {\"refill\": 3, \"status\": {\"error\": \"Refill not found\"}},"
    " {\"refill\": \"4\", \"status\": \"Rejected\"}, {\"refill\": 5}, {\"status\": \"Pending\"}, 7,"
    " {\"refill\": 8, \"error\": \"Incorrect refill ID\"}]");
  g_autoptr(GBytes) single = text ("{\"status\": \"Completed\"}");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = relay_reply_parse_refill_statuses (200, body, &error);
  RelayProviderRefillStatus *s;

  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 5);
  s = g_ptr_array_index (list, 0);
  g_assert_cmpstr (s->refill_id, ==, "1");
  g_assert_cmpstr (s->status_word, ==, "Completed");
  g_assert_null (s->error);
  s = g_ptr_array_index (list, 1);
  g_assert_cmpstr (s->refill_id, ==, "3");
  g_assert_null (s->status_word);
  g_assert_cmpstr (s->error, ==, "Refill not found");
  s = g_ptr_array_index (list, 2);
  g_assert_cmpstr (s->refill_id, ==, "4");
  g_assert_cmpstr (s->status_word, ==, "Rejected");
  s = g_ptr_array_index (list, 3);
  g_assert_cmpstr (s->refill_id, ==, "5");
  g_assert_cmpstr (s->error, ==, "unreadable entry");
  s = g_ptr_array_index (list, 4);
  g_assert_cmpstr (s->refill_id, ==, "8");
  g_assert_cmpstr (s->error, ==, "Incorrect refill ID");
  g_clear_pointer (&list, g_ptr_array_unref);

  list = relay_reply_parse_refill_statuses (200, single, &error);
  g_assert_null (list);
  assert_provider_error (error, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME,
                         "provider returned JSON of an unexpected shape (HTTP 200): "
                         "expected a list of refill statuses");
}

/* ---- services ---------------------------------------------------------- */

static RelayProviderService *
find_service (GPtrArray *services, const char *id)
{
  for (guint i = 0; i < services->len; i++)
    {
      RelayProviderService *service = g_ptr_array_index (services, i);

      if (g_strcmp0 (service->service_id, id) == 0)
        return service;
    }
  return NULL;
}

static void
test_services (void)
{
  g_autoptr(GBytes) body = text (
    "[{\"service\": 1, \"name\": \"Followers\", \"type\": \"Default\", \"category\": \"First Category\","
    "  \"rate\": \"0.90\", \"min\": \"50\", \"max\": \"10000\", \"refill\": true, \"cancel\": true, \"dripfeed\": false},"
    " {\"service\": \"1043\", \"name\": \" Comments \", \"type\": \"Custom Comments\", \"category\": \"IG\","
    "  \"rate\": 8, \"min\": 10, \"max\": 1500, \"refill\": 0, \"cancel\": 1, \"dripfeed\": \"1\"},"
    " {\"service\": 3, \"name\": \"Likes\", \"rate\": \" 0.27819 \", \"min\": \" 100 \", \"max\": \"50 000\","
    "  \"refill\": \"true\", \"cancel\": \"0\", \"average_time\": \"3 hours\"},"
    " {\"service\": 4, \"name\": \"Views\", \"rate\": 0.00123, \"min\": \"\", \"max\": null},"
    " {\"service\": 5, \"name\": \"\", \"rate\": \"1.00\"},"
    " {\"service\": 6, \"name\": \"No rate\"},"
    " {\"service\": 7, \"name\": \"Bad rate\", \"rate\": \"abc\"},"
    " {\"service\": null, \"name\": \"No id\", \"rate\": \"1\"},"
    " {\"name\": \"Missing id\", \"rate\": \"1\"},"
    " {\"service\": 8, \"name\": \"Negative\", \"rate\": \"-1\"},"
    " \"garbage\", 12, null, [1]]");
  g_autoptr(GError) error = NULL;
  guint skipped = 0;
  g_autoptr(GPtrArray) services = relay_reply_parse_services (200, body, &skipped, &error);
  static const char * const refused_ids[] = { "5", "6", "7", "8" };
  RelayProviderService *s;

  g_assert_no_error (error);
  /* 4 good, 4 with an id but no usable name or rate (kept, refused). */
  g_assert_cmpuint (services->len, ==, 8);
  g_assert_cmpuint (skipped, ==, 10);
  for (guint i = 0; i < G_N_ELEMENTS (refused_ids); i++)
    {
      s = find_service (services, refused_ids[i]);
      g_assert_nonnull (s);
      g_assert_true (s->refused);
      g_assert_null (s->name);
      g_assert_cmpint (s->rate, ==, 0);
    }

  s = find_service (services, "1");
  g_assert_false (s->refused);
  g_assert_cmpstr (s->name, ==, "Followers");
  g_assert_cmpstr (s->type, ==, "Default");
  g_assert_cmpstr (s->category, ==, "First Category");
  g_assert_cmpint (s->rate, ==, 900000);
  g_assert_cmpint (s->min, ==, 50);
  g_assert_cmpint (s->max, ==, 10000);
  g_assert_true (s->refill);
  g_assert_true (s->cancel);
  g_assert_false (s->dripfeed);

  s = find_service (services, "1043");
  g_assert_cmpstr (s->name, ==, "Comments");
  g_assert_cmpstr (s->type, ==, "Custom Comments");
  g_assert_cmpint (s->rate, ==, 8000000);
  g_assert_cmpint (s->min, ==, 10);
  g_assert_cmpint (s->max, ==, 1500);
  g_assert_false (s->refill);
  g_assert_true (s->cancel);
  g_assert_true (s->dripfeed);

  s = find_service (services, "3");
  g_assert_cmpstr (s->type, ==, "Default");
  g_assert_cmpstr (s->category, ==, "");
  g_assert_cmpint (s->rate, ==, 278190);
  g_assert_cmpint (s->min, ==, 100);
  g_assert_cmpint (s->max, ==, 50000);
  g_assert_true (s->refill);
  g_assert_false (s->cancel);
  g_assert_false (s->dripfeed);

  s = find_service (services, "4");
  g_assert_cmpint (s->rate, ==, 1230);
  g_assert_cmpint (s->min, ==, 0);
  g_assert_cmpint (s->max, ==, 0);
  g_assert_false (s->refill);
}

static void
test_services_shapes (void)
{
  g_autoptr(GBytes) keyed = text ("{\"1\": {\"name\": \"A\", \"rate\": \"1\"}, "
                                  "\"2\": {\"service\": 22, \"name\": \"B\", \"rate\": \"2\"}, \"3\": 5}");
  g_autoptr(GBytes) wrapped = text ("{\"status\": \"ok\", \"services\": [{\"service\": 1, \"name\": \"A\", "
                                    "\"rate\": \"1\"}]}");
  g_autoptr(GBytes) rejected = text ("{\"error\": \"Invalid API key\"}");
  g_autoptr(GBytes) wrong = text ("{\"balance\": \"1\"}");
  g_autoptr(GBytes) empty = text ("[]");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) services = NULL;
  guint skipped = 99;

  services = relay_reply_parse_services (200, keyed, &skipped, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (services->len, ==, 2);
  g_assert_cmpuint (skipped, ==, 1);
  g_assert_nonnull (find_service (services, "1"));
  g_assert_nonnull (find_service (services, "22"));
  g_clear_pointer (&services, g_ptr_array_unref);

  services = relay_reply_parse_services (200, wrapped, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (services->len, ==, 1);
  g_clear_pointer (&services, g_ptr_array_unref);

  services = relay_reply_parse_services (200, empty, &skipped, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (services->len, ==, 0);
  g_assert_cmpuint (skipped, ==, 0);
  g_clear_pointer (&services, g_ptr_array_unref);

  services = relay_reply_parse_services (200, rejected, NULL, &error);
  g_assert_null (services);
  assert_provider_error (error, RELAY_PROVIDER_ERROR_REJECTED, "Invalid API key");
  g_clear_error (&error);

  services = relay_reply_parse_services (200, wrong, NULL, &error);
  g_assert_null (services);
  assert_provider_error (error, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME,
                         "provider returned JSON of an unexpected shape (HTTP 200): "
                         "expected a list of services");
}

static GBytes *
make_catalog (gsize min_size, guint *n_out)
{
  GString *json = g_string_sized_new (min_size + 1024);
  guint n = 0;

  g_string_append_c (json, '[');
  while (json->len < min_size)
    {
      if (n > 0)
        g_string_append_c (json, ',');
      g_string_append_printf (json,
                              "{\"service\": %u, \"name\": \"Instagram Followers [Real, %u/day]\", "
                              "\"type\": \"Default\", \"category\": \"Instagram · Followers\", "
                              "\"rate\": \"%u.%05u\", \"min\": \"%u\", \"max\": %u, "
                              "\"refill\": %s, \"cancel\": %u, \"dripfeed\": false}",
                              n + 1, n % 97, n % 13, n % 100000, 10 + n % 50, 10000 + n,
                              n % 2 ? "true" : "false", n % 2);
      n++;
    }
  g_string_append_c (json, ']');
  *n_out = n;
  return g_string_free_to_bytes (json);
}

static void
test_services_big_catalog (void)
{
  guint n = 0;
  g_autoptr(GBytes) body = make_catalog (2 * 1024 * 1024, &n);
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimer) timer = g_timer_new ();
  guint skipped = 1;
  g_autoptr(GPtrArray) services = relay_reply_parse_services (200, body, &skipped, &error);
  RelayProviderService *last;

  g_test_message ("%u services, %" G_GSIZE_FORMAT " bytes parsed in %.3f s", n,
                  g_bytes_get_size (body), g_timer_elapsed (timer, NULL));
  g_assert_no_error (error);
  g_assert_cmpuint (services->len, ==, n);
  g_assert_cmpuint (skipped, ==, 0);
  last = g_ptr_array_index (services, n - 1);
  g_assert_cmpstr (last->category, ==, "Instagram · Followers");
  g_assert_cmpint (last->max, ==, 10000 + n - 1);
}

static void
test_huge_body_refused (void)
{
  gsize size = (gsize) 70 * 1024 * 1024;
  char *data = g_malloc (size);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) services = NULL;

  memset (data, ' ', size);
  data[0] = '[';
  data[size - 1] = ']';
  body = g_bytes_new_take (data, size);
  services = relay_reply_parse_services (200, body, NULL, &error);
  g_assert_null (services);
  assert_provider_error (error, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME,
                         "provider reply too large for services (73400320 bytes, limit 33554432)");
}

/* ---- small readers ------------------------------------------------------- */

static void
test_parse_count (void)
{
  static const struct { const char *text; gboolean ok; gint64 value; } cases[] = {
    { "3572", TRUE, 3572 },
    { " 3572 ", TRUE, 3572 },
    { "3 572", TRUE, 3572 },
    { "-157", TRUE, -157 },
    { "+5", TRUE, 5 },
    { "0", TRUE, 0 },
    { "157.0", TRUE, 157 },
    { "157.00", TRUE, 157 },
    { "9223372036854775807", TRUE, G_MAXINT64 },
    { "", FALSE, 0 },
    { "   ", FALSE, 0 },
    { NULL, FALSE, 0 },
    { "157.5", FALSE, 0 },
    { "1e3", FALSE, 0 },
    { "abc", FALSE, 0 },
    { "12abc", FALSE, 0 },
    { "-", FALSE, 0 },
    { "9223372036854775808", FALSE, 0 },
    { "99999999999999999999999", FALSE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 value = -42;
      gboolean ok = relay_reply_parse_count (cases[i].text, &value);

      g_test_message ("text: %s", cases[i].text ? cases[i].text : "(null)");
      g_assert_cmpint (ok, ==, cases[i].ok);
      if (ok)
        g_assert_cmpint (value, ==, cases[i].value);
      else
        g_assert_cmpint (value, ==, -42);
    }
}

static void
test_reject_kind (void)
{
  static const struct { const char *words; RelayRejectKind kind; } cases[] = {
    { "Not enough funds on balance", RELAY_REJECT_FUNDS },
    { "Insufficient BALANCE", RELAY_REJECT_FUNDS },
    { "Incorrect service ID", RELAY_REJECT_SERVICE },
    { "Service is disabled", RELAY_REJECT_SERVICE },
    { "service disabled", RELAY_REJECT_SERVICE },
    { "Service not found", RELAY_REJECT_SERVICE },
    { "Incorrect link", RELAY_REJECT_LINK },
    { "Invalid link format", RELAY_REJECT_LINK },
    { "Quantity less than minimal 50", RELAY_REJECT_QUANTITY },
    { "Quantity more than maximal 10000", RELAY_REJECT_QUANTITY },
    { "You have active order with this link. Please wait until order being completed.",
      RELAY_REJECT_ACTIVE_ORDER },
    { "Invalid API key", RELAY_REJECT_AUTH },
    { "invalid key", RELAY_REJECT_AUTH },
    { "Incorrect request", RELAY_REJECT_OTHER },
    { "Refill is disabled for this service", RELAY_REJECT_OTHER },
    { "", RELAY_REJECT_OTHER },
    { NULL, RELAY_REJECT_OTHER },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("words: %s", cases[i].words ? cases[i].words : "(null)");
      g_assert_cmpint (relay_provider_reject_kind (cases[i].words), ==, cases[i].kind);
    }
}

/* ---- the corpus: tests/provider/replies/<parser>-<ok|rejected|unknown>-*.json ---- */

static gboolean
parse_with (const char *parser, GBytes *body, GError **error)
{
  gpointer result = NULL;
  GDestroyNotify free_func = NULL;

  if (g_str_equal (parser, "add"))
    result = relay_reply_parse_add (200, body, error), free_func = g_free;
  else if (g_str_equal (parser, "status"))
    result = relay_reply_parse_status (200, body, error),
    free_func = (GDestroyNotify) relay_provider_status_free;
  else if (g_str_equal (parser, "statuses"))
    result = relay_reply_parse_statuses (200, body, error),
    free_func = (GDestroyNotify) g_hash_table_unref;
  else if (g_str_equal (parser, "balance"))
    result = relay_reply_parse_balance (200, body, error),
    free_func = (GDestroyNotify) relay_provider_balance_free;
  else if (g_str_equal (parser, "refill"))
    result = relay_reply_parse_refill (200, body, error), free_func = g_free;
  else if (g_str_equal (parser, "refills"))
    result = relay_reply_parse_item_results (200, body, "refill", error),
    free_func = (GDestroyNotify) g_ptr_array_unref;
  else if (g_str_equal (parser, "cancel"))
    result = relay_reply_parse_item_results (200, body, "cancel", error),
    free_func = (GDestroyNotify) g_ptr_array_unref;
  else if (g_str_equal (parser, "refill_status"))
    result = relay_reply_parse_refill_status (200, body, error),
    free_func = (GDestroyNotify) relay_provider_refill_status_free;
  else if (g_str_equal (parser, "refill_statuses"))
    result = relay_reply_parse_refill_statuses (200, body, error),
    free_func = (GDestroyNotify) g_ptr_array_unref;
  else if (g_str_equal (parser, "services"))
    result = relay_reply_parse_services (200, body, NULL, error),
    free_func = (GDestroyNotify) g_ptr_array_unref;
  else
    g_error ("no parser called %s", parser);

  if (result == NULL)
    return FALSE;
  free_func (result);
  return TRUE;
}

static void
test_corpus (void)
{
  g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "provider", "replies", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint n_files = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      g_autofree char *stem = NULL;
      g_auto(GStrv) parts = NULL;
      g_autofree char *contents = NULL;
      gsize len = 0;
      g_autoptr(GBytes) body = NULL;
      g_autoptr(GError) error = NULL;
      const char *expect;

      if (!g_str_has_suffix (name, ".json"))
        continue;
      stem = g_strndup (name, strlen (name) - strlen (".json"));
      parts = g_strsplit (stem, "-", 3);
      g_assert_cmpuint (g_strv_length (parts), >=, 2);
      expect = parts[1];
      g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
      body = g_bytes_new (contents, len);
      g_test_message ("corpus: %s", name);

      if (g_str_equal (expect, "ok"))
        {
          g_assert_true (parse_with (parts[0], body, &error));
          g_assert_no_error (error);
        }
      else
        {
          int code = g_str_equal (expect, "rejected") ? RELAY_PROVIDER_ERROR_REJECTED
                                                      : RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME;

          g_assert_false (parse_with (parts[0], body, &error));
          g_assert_error (error, RELAY_PROVIDER_ERROR, code);
        }

      /* Every cut of the body is either read or refused with a provider
       * error: never a crash, never a different domain. */
      for (gsize cut = 0; cut < len; cut++)
        {
          g_autoptr(GBytes) part = g_bytes_new (contents, cut);
          g_autoptr(GError) cut_error = NULL;

          if (!parse_with (parts[0], part, &cut_error))
            g_assert_true (cut_error != NULL && cut_error->domain == RELAY_PROVIDER_ERROR);
        }
      n_files++;
    }
  g_assert_cmpuint (n_files, >=, 20);
}

/* ---- hostile replies ------------------------------------------------------ */

static const RelayReplyKind all_kinds[] = {
  RELAY_REPLY_SERVICES, RELAY_REPLY_ADD, RELAY_REPLY_STATUS, RELAY_REPLY_STATUSES,
  RELAY_REPLY_BALANCE, RELAY_REPLY_REFILL, RELAY_REPLY_REFILLS, RELAY_REPLY_REFILL_STATUS,
  RELAY_REPLY_REFILL_STATUSES, RELAY_REPLY_CANCEL,
};

/* relay_reply_parse() of @kind: TRUE and the result freed, or FALSE. */
static gboolean
parse_kind (RelayReplyKind kind, GBytes *body, const char *secret, GError **error)
{
  GDestroyNotify free_func = NULL;
  gpointer result = relay_reply_parse (kind, 200, body, secret, &free_func, error);

  if (result == NULL)
    return FALSE;
  g_assert_nonnull (free_func);
  free_func (result);
  return TRUE;
}

static GBytes *
repeated (const char *piece, gsize times)
{
  GString *out = g_string_new (NULL);

  for (gsize i = 0; i < times; i++)
    g_string_append (out, piece);
  return g_string_free_to_bytes (out);
}

static void
test_json_depth (void)
{
  static const struct { const char *json; guint depth; } cases[] = {
    { "", 0 },
    { "42", 0 },
    { "[]", 1 },
    { "{\"a\": [1, {\"b\": []}]}", 4 },
    { "\"[[[[\"", 0 },
    { "{\"e\": \"a \\\" [[[ \"}", 1 },              /* an escaped quote does not end the string */
    { "{\"e\": \"a \\\\\"}", 1 },                    /* an escaped backslash does */
    { "{\"e\": \"a \\\\\", \"f\": [[]]}", 3 },
    { "]]]][", 1 },                                   /* never below zero */
    { "[[[[[", 5 },                                   /* truncated */
    { "\"[[[", 0 },                                   /* an unterminated string */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("depth of %s", cases[i].json);
      g_assert_cmpuint (relay_reply_json_depth (cases[i].json, strlen (cases[i].json)), ==,
                        cases[i].depth);
    }
}

/* json-glib 1.6 recurses once per level: 200 kB of "[" crashed every
 * command.  Every parser refuses it before json-glib sees it. */
static void
test_deep_nesting (void)
{
  g_autoptr(GBytes) deep = repeated ("[", 200 * 1024);
  g_autoptr(GBytes) deep_objects = repeated ("{\"a\":", 40 * 1024);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) services = NULL;
  g_autofree char *id = NULL;

  /* Through the parsers' own entry points. */
  services = relay_reply_parse_services (200, deep, NULL, &error);
  g_assert_null (services);
  assert_provider_error (error, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME,
                         "provider reply nested 204800 levels deep (limit 32)");
  g_clear_error (&error);
  services = relay_reply_parse_services (200, deep_objects, NULL, &error);
  g_assert_null (services);
  assert_provider_error (error, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME,
                         "provider reply nested 40960 levels deep (limit 32)");
  g_clear_error (&error);

  for (guint i = 0; i < G_N_ELEMENTS (all_kinds); i++)
    {
      RelayReplyKind kind = all_kinds[i];
      g_autoptr(GError) kind_error = NULL;
      g_autoptr(GBytes) body = repeated ("[", MIN (200 * 1024, relay_reply_size_limit (kind)));
      g_autofree char *expected =
        g_strdup_printf ("provider reply nested %" G_GSIZE_FORMAT " levels deep (limit 32)",
                         g_bytes_get_size (body));

      g_assert_false (parse_kind (kind, body, "secret-key", &kind_error));
      assert_provider_error (kind_error, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME, expected);
    }

  /* An `add` whose reply is too deep to read may have placed the order. */
  id = relay_reply_parse_add (200, deep_objects, &error);
  g_assert_null (id);
  g_assert_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME);
}

/* At the limit a reply is read; one level more is refused, and brackets
 * inside strings do not count. */
static void
test_nesting_limit (void)
{
  g_autoptr(GString) json = g_string_new ("{\"order\": 5, \"x\": ");
  g_autoptr(GString) words = g_string_new ("{\"error\": \"[[[[{{{{");
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  for (guint i = 1; i < RELAY_REPLY_MAX_DEPTH; i++)
    g_string_append_c (json, '[');
  for (guint i = 1; i < RELAY_REPLY_MAX_DEPTH; i++)
    g_string_append_c (json, ']');
  g_string_append_c (json, '}');
  body = g_bytes_new (json->str, json->len);
  id = relay_reply_parse_add (200, body, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id, ==, "5");
  g_clear_pointer (&id, g_free);
  g_clear_pointer (&body, g_bytes_unref);

  g_string_insert_c (json, json->len - 1, ']');
  g_string_insert_c (json, strlen ("{\"order\": 5, \"x\": "), '[');
  body = g_bytes_new (json->str, json->len);
  id = relay_reply_parse_add (200, body, &error);
  g_assert_null (id);
  assert_provider_error (error, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME,
                         "provider reply nested 33 levels deep (limit 32)");
  g_clear_error (&error);
  g_clear_pointer (&body, g_bytes_unref);

  for (guint i = 0; i < 5000; i++)
    g_string_append (words, "[{");
  g_string_append (words, " \\\" [[[ \\\\\"}");
  body = g_bytes_new (words->str, words->len);
  id = relay_reply_parse_add (200, body, &error);
  g_assert_null (id);
  g_assert_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_REJECTED);
  g_assert_true (g_str_has_prefix (error->message, "[[[[{{{{[{[{"));
  g_assert_true (g_str_has_suffix (error->message, "…"));
}

/* Each action has a size limit: a balance may not be large, a catalog may. */
static void
test_size_limits (void)
{
  static const struct { RelayReplyKind kind; const char *json; gsize limit; } cases[] = {
    { RELAY_REPLY_BALANCE, "{\"balance\": \"100.84\", \"currency\": \"USD\"}", 16 * 1024 },
    { RELAY_REPLY_ADD, "{\"order\": 23501}", 64 * 1024 },
    { RELAY_REPLY_STATUS, "{\"status\": \"Pending\"}", 64 * 1024 },
    { RELAY_REPLY_REFILL, "{\"refill\": \"5\"}", 64 * 1024 },
    { RELAY_REPLY_REFILL_STATUS, "{\"status\": \"Completed\"}", 64 * 1024 },
    { RELAY_REPLY_STATUSES, "{\"1\": {\"status\": \"Pending\"}}", 1024 * 1024 },
    { RELAY_REPLY_REFILLS, "[{\"order\": 1, \"refill\": 5}]", 1024 * 1024 },
    { RELAY_REPLY_REFILL_STATUSES, "[{\"refill\": 7, \"status\": \"Completed\"}]", 1024 * 1024 },
    { RELAY_REPLY_CANCEL, "[{\"order\": 1, \"cancel\": 1}]", 1024 * 1024 },
    { RELAY_REPLY_SERVICES, "[{\"service\": 1, \"name\": \"Likes\", \"rate\": \"0.9\"}]",
      32 * 1024 * 1024 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gsize limit = cases[i].limit;
      char *data = g_malloc (limit + 1);
      g_autoptr(GBytes) at_limit = NULL;
      g_autoptr(GBytes) over = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *expected = NULL;

      g_assert_cmpuint (relay_reply_size_limit (cases[i].kind), ==, limit);
      memset (data, ' ', limit + 1);
      memcpy (data, cases[i].json, strlen (cases[i].json));
      over = g_bytes_new_take (data, limit + 1);
      at_limit = g_bytes_new_from_bytes (over, 0, limit);
      g_assert_true (parse_kind (cases[i].kind, at_limit, NULL, &error));
      g_assert_no_error (error);
      g_assert_false (parse_kind (cases[i].kind, over, NULL, &error));
      expected = g_strdup_printf ("provider reply too large for %s (%" G_GSIZE_FORMAT
                                  " bytes, limit %" G_GSIZE_FORMAT ")",
                                  relay_reply_action (cases[i].kind), limit + 1, limit);
      assert_provider_error (error, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME, expected);
    }
}

/* A catalog may be large, but not a heap of tiny values: json-glib spends
 * ~80 bytes on each, so 32 MiB of "0," would have taken 1.3 GB. */
static void
test_value_limits (void)
{
  gsize limit = relay_reply_max_values (RELAY_REPLY_SERVICES);
  g_autoptr(GString) json = g_string_new ("[");
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) services = NULL;
  g_autofree char *expected = NULL;
  gsize n_values = 0;

  g_assert_cmpuint (limit, ==, 2 * 1024 * 1024);
  g_assert_cmpuint (relay_reply_json_scan ("[1, {\"a\": \"x,[\"}, []]", 22, &n_values), ==, 2);
  g_assert_cmpuint (n_values, ==, 6);  /* one more than the 5 values: an estimate from above */

  for (gsize i = 0; i < limit; i++)
    g_string_append (json, "0,");
  g_string_append (json, "0]");
  body = g_bytes_new (json->str, json->len);
  services = relay_reply_parse_services (200, body, NULL, &error);
  g_assert_null (services);
  expected = g_strdup_printf ("provider reply to services has too many values (%" G_GSIZE_FORMAT
                              ", limit %" G_GSIZE_FORMAT ")", limit + 2, limit);
  assert_provider_error (error, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME, expected);
  g_clear_error (&error);
  g_clear_pointer (&body, g_bytes_unref);

  /* A balance holds a handful of values, not a thousand. */
  g_string_assign (json, "{\"balance\": \"1.00\", \"x\": [");
  for (guint i = 0; i < 1100; i++)
    g_string_append (json, "0,");
  g_string_append (json, "0]}");
  body = g_bytes_new (json->str, json->len);
  g_assert_false (parse_kind (RELAY_REPLY_BALANCE, body, NULL, &error));
  assert_provider_error (error, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME,
                         "provider reply to balance has too many values (1104, limit 1024)");
}

static void
test_redact (void)
{
  static const struct { const char *text; const char *secret; const char *expected; } cases[] = {
    { "Invalid API key: Sk3y+/Q=9z-abc", "Sk3y+/Q=9z-abc", "Invalid API key: ***" },
    { "INVALID API KEY: SK3Y+/Q=9Z-ABC!", "Sk3y+/Q=9z-abc", "INVALID API KEY: ***!" },
    { "key=Sk3y%2B%2FQ%3D9z-abc&x=1", "Sk3y+/Q=9z-abc", "key=***&x=1" },
    { "key=sk3y%2b%2fq%3d9z-abc", "Sk3y+/Q=9z-abc", "key=***" },
    { "key=Sk3y%252B%252FQ%253D9z-abc", "Sk3y+/Q=9z-abc", "key=***" },
    { "key=Sk3y+%2FQ=9z-abc", "Sk3y+/Q=9z-abc", "key=***" },
    { "key=%53%6B%33%79 /Q=9z-abc", "Sk3y+/Q=9z-abc", "key=***" },
    { "a abc123def b ABC123DEF c", "abc123def", "a *** b *** c" },
    { "abc123defabc123def", "abc123def", "******" },
    /* A cut-off start of the key at the end. */
    { "Unknown key abc123d…", "abc123def", "Unknown key ***…" },
    { "Unknown key ABC123D...", "abc123def", "Unknown key ***..." },
    { "Unknown key abc12", "abc123def", "Unknown key abc12" },      /* 5 characters: kept */
    { "abc123 is a word", "abc123def", "abc123 is a word" },        /* not at the end */
    /* Nothing to take out. */
    { "Order not found", "abc123def", "Order not found" },
    { "Order not found", NULL, "Order not found" },
    { "key abc", "abc", "key abc" },                                /* too short to look for */
    { "", "abc123def", "" },
    { "100%", "abc123def", "100%" },
    { "%2", "abc123def", "%2" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *redacted = relay_redact (cases[i].text, cases[i].secret);

      g_test_message ("redact %s", cases[i].text);
      g_assert_cmpstr (redacted, ==, cases[i].expected);
      g_assert_cmpint (relay_redact_hits (cases[i].text, cases[i].secret), ==,
                       g_strcmp0 (cases[i].text, cases[i].expected) != 0);
    }
  g_assert_null (relay_redact (NULL, "abc123def"));
}

static GBytes *
fixture (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "provider", "replies", name, NULL);
  char *contents = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  return g_bytes_new_take (contents, len);
}

#define ECHO_KEY "Sk3y+/Q=9z-abc"

static void
assert_no_key (const char *text)
{
  g_autofree char *lower = NULL;

  if (text == NULL)
    return;
  lower = g_ascii_strdown (text, -1);
  g_assert_null (strstr (lower, "sk3y+/"));
  g_assert_null (strstr (lower, "sk3y%2b"));
  g_assert_null (strstr (lower, "sk3y /"));
  g_assert_null (strstr (lower, "q=9z-abc"));
  g_assert_null (strstr (lower, "q%3d9z"));
  g_assert_null (strstr (lower, "9z-abc"));
}

/* The key in per-order errors of status, refill and cancel replies, upper
 * case, URL-encoded, JSON-escaped, cut off: never in a result. */
static void
test_redact_replies (void)
{
  g_autoptr(GBytes) statuses_body = fixture ("statuses-ok-key-echo.json");
  g_autoptr(GBytes) refills_body = fixture ("refills-ok-key-echo.json");
  g_autoptr(GBytes) cancel_body = fixture ("cancel-ok-key-echo.json");
  g_autoptr(GError) error = NULL;
  GDestroyNotify free_func = NULL;
  g_autoptr(GHashTable) statuses = NULL;
  g_autoptr(GPtrArray) refills = NULL;
  g_autoptr(GPtrArray) cancels = NULL;
  g_autoptr(GString) long_words = g_string_new ("{\"error\": \"");
  g_autoptr(GBytes) long_body = NULL;
  g_autoptr(GBytes) keyed = NULL;
  g_autoptr(GHashTable) keyed_table = NULL;
  RelayProviderStatus *status;

  statuses = relay_reply_parse (RELAY_REPLY_STATUSES, 200, statuses_body, ECHO_KEY, &free_func, &error);
  g_assert_no_error (error);
  g_assert_true (free_func == (GDestroyNotify) g_hash_table_unref);
  status = g_hash_table_lookup (statuses, "1002");
  g_assert_cmpstr (status->error, ==, "Order 1002 not found for API key ***");
  status = g_hash_table_lookup (statuses, "1003");
  g_assert_cmpstr (status->error, ==, "Incorrect order ID (key=***)");
  status = g_hash_table_lookup (statuses, "1004");
  g_assert_cmpstr (status->status_word, ==, "In progress");

  refills = relay_reply_parse (RELAY_REPLY_REFILLS, 200, refills_body, ECHO_KEY, &free_func, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (refills->len, ==, 3);
  g_assert_cmpstr (((RelayProviderItemResult *) refills->pdata[0])->error, ==, "Refill denied for ***");
  g_assert_cmpstr (((RelayProviderItemResult *) refills->pdata[1])->error, ==, "bad key ***");
  g_assert_cmpstr (((RelayProviderItemResult *) refills->pdata[2])->result_id, ==, "77");

  cancels = relay_reply_parse (RELAY_REPLY_CANCEL, 200, cancel_body, ECHO_KEY, &free_func, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cancels->len, ==, 3);
  for (guint i = 0; i < cancels->len; i++)
    {
      RelayProviderItemResult *item = cancels->pdata[i];

      g_test_message ("cancel %s: %s", item->order_id, item->error);
      assert_no_key (item->error);
      if (g_str_equal (item->order_id, "1002"))
        g_assert_cmpstr (item->error, ==, "Cannot cancel with key ***");
      else if (g_str_equal (item->order_id, "1003"))
        g_assert_cmpstr (item->error, ==, "key *** may not cancel orders of ***…");
      else
        g_assert_cmpstr (item->result_id, ==, "1");
    }

  /* The key where the 300-character cap falls: taken out before the cut,
   * so no piece of it is left. */
  for (guint i = 0; i < 290; i++)
    g_string_append_c (long_words, 'x');
  g_string_append (long_words, " SK3Y+/Q=9Z-ABC SK3Y+/Q=9Z-ABC\"}");
  long_body = g_bytes_new (long_words->str, long_words->len);
  g_assert_null (relay_reply_parse (RELAY_REPLY_BALANCE, 200, long_body, ECHO_KEY, &free_func, &error));
  g_assert_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_REJECTED);
  assert_no_key (error->message);
  g_assert_true (g_str_has_suffix (error->message, "x *** ***"));
  g_clear_error (&error);

  /* An entry keyed by the key itself is dropped, not stored. */
  keyed = text ("{\"Sk3y+/Q=9z-abc\": {\"status\": \"Completed\"}, \"1\": {\"status\": \"Pending\"}}");
  keyed_table = relay_reply_parse (RELAY_REPLY_STATUSES, 200, keyed, ECHO_KEY, &free_func, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (keyed_table), ==, 1);
  g_assert_nonnull (g_hash_table_lookup (keyed_table, "1"));

  /* A key of digits only, sent back as a number. */
  {
    g_autoptr(GBytes) numeric = text ("{\"1\": {\"status\": 73915546, \"remains\": 5}}");
    g_autoptr(GHashTable) numeric_table =
      relay_reply_parse (RELAY_REPLY_STATUSES, 200, numeric, "73915546", &free_func, &error);

    g_assert_no_error (error);
    status = g_hash_table_lookup (numeric_table, "1");
    g_assert_cmpstr (status->status_word, ==, "***");
    g_assert_cmpint (status->remains, ==, 5);
  }

  /* A sentence of ours around the panel's words: redacted as a whole. */
  {
    g_autoptr(GBytes) gateway = text ("{\"error\": \"upstream said key=SK3Y%2B%2FQ%3D9Z-ABC\"}");

    g_assert_null (relay_reply_parse (RELAY_REPLY_ADD, 502, gateway, ECHO_KEY, &free_func, &error));
    assert_provider_error (error, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME,
                           "provider answered HTTP 502 with “upstream said key=***”; the order may exist");
  }
}

static void
assert_capped (const char *text, guint cap)
{
  g_assert_nonnull (text);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_cmpint (g_utf8_strlen (text, -1), ==, cap);
  g_assert_true (g_str_has_suffix (text, "…"));
}

/* Panel strings had no length cap: a 100,000-character currency was stored. */
/* json-glib wraps integer literals of 19+ digits silently; they must be
 * refused for their field only, never read as a small number. */
static void
test_long_integers (void)
{
  g_autoptr(GBytes) body = text ("{\"1\": {\"status\": \"Partial\", \"remains\": -99999999999999999999, "
                                 "\"charge\": \"0.5\"}, "
                                 "\"2\": {\"status\": \"Partial\", \"remains\": 99999999999999999999}, "
                                 "\"3\": {\"status\": \"In progress\", \"remains\": 9223372036854775807, "
                                 "\"start_count\": \"12\"}, "
                                 "\"4\": {\"status\": \"Completed\", \"remains\": 0, \"note\": \"-99999999999999999999\"}}");
  g_autoptr(GBytes) add_body = text ("{\"order\": 123456789012345678901234}");
  g_autoptr(GHashTable) statuses = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *order = NULL;
  RelayProviderStatus *entry;

  statuses = relay_reply_parse_statuses (200, body, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (statuses), ==, 4);
  /* Not 1 and not -1, the values json-glib would make of them. */
  for (guint i = 1; i <= 2; i++)
    {
      g_autofree char *id = g_strdup_printf ("%u", i);

      entry = g_hash_table_lookup (statuses, id);
      g_assert_nonnull (entry);
      g_assert_true (entry->error != NULL || !entry->has_remains);
      if (entry->has_remains)
        g_assert_cmpint (entry->remains, !=, 1);
    }
  entry = g_hash_table_lookup (statuses, "3");
  g_assert_null (entry->error);
  g_assert_true (entry->has_remains);
  g_assert_cmpint (entry->remains, ==, G_MAXINT64);
  entry = g_hash_table_lookup (statuses, "4");
  g_assert_null (entry->error);
  g_assert_cmpint (entry->remains, ==, 0);

  /* An order id too long for 64 bits is kept exactly, as text. */
  order = relay_reply_parse_add (200, add_body, &error);
  if (order != NULL)
    g_assert_cmpstr (order, ==, "123456789012345678901234");
  else
    g_assert_nonnull (error);
}

static void
test_string_caps (void)
{
  g_autofree char *huge = g_strnfill (100000, 'U');
  g_autofree char *statuses_json = g_strdup_printf ("{\"1\": {\"status\": \"%s\", \"currency\": \"%s\"}}",
                                                    huge, huge);
  g_autofree char *balance_json = g_strdup_printf ("{\"balance\": \"1.00\", \"currency\": \"%s\"}", huge);
  g_autofree char *status_json = g_strdup_printf ("{\"status\": \"Pending\", \"currency\": \"%.20000s\"}",
                                                  huge);
  g_autofree char *services_json =
    g_strdup_printf ("[{\"service\": 1, \"name\": \"%s\", \"category\": \"%s\", \"type\": \"%s\", "
                     "\"rate\": \"0.5\"}, {\"service\": 2, \"name\": \"Likes\", \"category\": \"IG\", "
                     "\"rate\": 1, \"type\": \"Default\"}]", huge, huge, huge);
  g_autoptr(GBytes) statuses_body = text (statuses_json);
  g_autoptr(GBytes) balance_body = text (balance_json);
  g_autoptr(GBytes) status_body = text (status_json);
  g_autoptr(GBytes) services_body = text (services_json);
  g_autoptr(GHashTable) statuses = NULL;
  g_autoptr(RelayProviderBalance) balance = NULL;
  g_autoptr(RelayProviderStatus) status = NULL;
  g_autoptr(GPtrArray) services = NULL;
  g_autoptr(GError) error = NULL;
  RelayProviderStatus *entry;
  RelayProviderService *service;

  statuses = relay_reply_parse_statuses (200, statuses_body, &error);
  g_assert_no_error (error);
  entry = g_hash_table_lookup (statuses, "1");
  /* A currency of 100,000 characters is no currency: the entry is refused
   * with the start of the panel's words (issue 7), never kept cut. */
  g_assert_null (entry->currency);
  g_assert_null (entry->status_word);
  g_assert_cmpint (RELAY_REPLY_MAX_CURRENCY, ==, 16);
  g_assert_cmpstr (entry->error, ==, "unreadable currency “UUUUUUUUUUUUUUU…”");

  status = relay_reply_parse_status (200, status_body, &error);
  g_assert_no_error (error);
  g_assert_null (status->currency);
  g_assert_cmpstr (status->status_word, ==, "Pending");

  services = relay_reply_parse_services (200, services_body, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (services->len, ==, 2);
  service = services->pdata[0];
  assert_capped (service->name, RELAY_REPLY_MAX_NAME);
  assert_capped (service->category, RELAY_REPLY_MAX_CATEGORY);
  assert_capped (service->type, RELAY_REPLY_MAX_TYPE);
  service = services->pdata[1];
  g_assert_cmpstr (service->name, ==, "Likes");
  g_assert_cmpstr (service->category, ==, "IG");

  /* A balance reply of 100 kB is not a balance: refused whole. */
  balance = relay_reply_parse_balance (200, balance_body, &error);
  g_assert_null (balance);
  g_assert_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME);
  g_assert_true (g_str_has_prefix (error->message, "provider reply too large for balance ("));
}

/* ---- issue 7: hostile ids and bytes ------------------------------------- */

/* The one rule for a provider's order id. */
static void
test_id_rule (void)
{
  static const char * const good[] = {
    "1", "23501", "9223372036854775807", "9999999999999999999", "ab-12", "x", "A_1-b",
    "0a", "1234567890123456789012345678901234567890123456789012345678901abc",
  };
  static const char * const bad[] = {
    "", "0", "00", "0123", "-1", "+1", "12 34", " 1", "1,2", "***", "1.5",
    "99999999999999999999", "1-2", "_a", "-a", "a b", "a\n", "\xc3\xa9t\xc3\xa9",
    "12345678901234567890123456789012345678901234567890123456789012abc",
  };

  g_assert_false (relay_provider_id_is_valid (NULL));
  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_test_message ("good: %s", good[i]);
      g_assert_true (relay_provider_id_is_valid (good[i]));
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_test_message ("bad: %s", bad[i]);
      g_assert_false (relay_provider_id_is_valid (bad[i]));
    }
}

/* An `add` reply with an id that breaks the rule: the order may exist
 * (never a refusal, never an id), and the panel's words are shown. */
static void
test_add_bad_id (void)
{
  static const struct { const char *body; const char *shown; } cases[] = {
    { "{\"order\": \"12 34\"}", "“12 34”" },
    { "{\"order\": -1}", "“-1”" },
    { "{\"order\": 0}", "“0”" },
    { "{\"order\": 99999999999999999999}", "“99999999999999999999”" },
    { "{\"order\": \"sk-secret-key\"}", "“***”" },
    { "{\"order\": \"a\\u0001b\"}", "“ab”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) body = text (cases[i].body);
      g_autoptr(GError) error = NULL;
      g_autofree char *id = relay_reply_parse (RELAY_REPLY_ADD, 200, body, "sk-secret-key",
                                               NULL, &error);

      g_test_message ("body: %s", cases[i].body);
      g_assert_null (id);
      g_assert_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME);
      g_assert_nonnull (strstr (error->message, cases[i].shown));
      g_assert_null (strstr (error->message, "sk-secret-key"));
    }
  /* A bare 0 is not an id either. */
  {
    g_autoptr(GBytes) body = text ("0");
    g_autoptr(GError) error = NULL;
    g_autofree char *id = relay_reply_parse_add (200, body, &error);

    g_assert_null (id);
    g_assert_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME);
  }
}

/* json-glib's error quotes the panel's bytes: a cut UTF-8 sequence and
 * control characters reached the review reason (fuzz regression
 * add-json-error-invalid-utf8).  Every text a parser hands on is valid. */
static void
test_invalid_utf8 (void)
{
  /* fuzz/regressions/reply/add-json-error-invalid-utf8 (HTTP 400). */
  static const char add_body[] =
    "{\"err\x17""\x17""\x17""\x17""\x17""\x17""\x17""\x17""\x17""\x17""\x17""\x17""\x17""\x17""\x17""\x17""\x17""\x17""\x17""\x17""\x17""\x17""\x17""%\x17""\x10""\x10""\x10""\x10""\x10""\x10""\x10""\xef""\xbb""\xbf""\x10""\x10""\x10""\x10""\x10""VVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVV\x1b""VVVVVVVVVVVVVVVVVValance\"}\x0a""";
  static const char statuses_body[] =
    "{\"2350\xe2\x80\": {\"status\": \"Pending\"}, \"235\xff\": {\"status\": \"Pen\xe2\x80\"}}";
  g_autoptr(GBytes) add = g_bytes_new (add_body, sizeof add_body - 1);
  g_autoptr(GBytes) statuses = g_bytes_new (statuses_body, sizeof statuses_body - 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = relay_reply_parse_add (400, add, &error);
  g_autoptr(GHashTable) table = NULL;
  GHashTableIter iter;
  gpointer key, value;

  g_assert_null (id);
  g_assert_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME);
  g_test_message ("%s", error->message);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  for (const char *p = error->message; *p != '\0'; p++)
    g_assert_false (g_ascii_iscntrl (*p));
  g_clear_error (&error);

  table = relay_reply_parse_statuses (200, statuses, &error);
  if (table == NULL)
    {
      /* json-glib may refuse the bytes: then its words must be clean. */
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      return;
    }
  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      RelayProviderStatus *status = value;

      g_assert_true (g_utf8_validate (key, -1, NULL));
      g_assert_true (g_utf8_validate (status->order_id, -1, NULL));
      g_assert_true (status->status_word == NULL ||
                     g_utf8_validate (status->status_word, -1, NULL));
    }
}

/* A currency must look like a currency code (issue 7). */
static void
test_currency_rule (void)
{
  static const struct { const char *json; const char *currency; } cases[] = {
    { "\"USD\"", "USD" }, { "\" eur \"", "eur" }, { "\"USDT\"", "USDT" }, { "\"RUB2\"", "RUB2" },
    { "\"U\"", NULL }, { "\"ABCDEFGHI\"", NULL }, { "\"US D\"", NULL }, { "\"US…\"", NULL },
    { "\"$\"", NULL }, { "840", NULL }, { "\"\"", NULL }, { "null", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"1\": {\"status\": \"Pending\", "
                                               "\"currency\": %s}}", cases[i].json);
      g_autoptr(GBytes) body = text (json);
      g_autoptr(GError) error = NULL;
      g_autoptr(GHashTable) table = relay_reply_parse_statuses (200, body, &error);
      RelayProviderStatus *entry;

      g_test_message ("%s", json);
      g_assert_no_error (error);
      entry = g_hash_table_lookup (table, "1");
      g_assert_cmpstr (entry->currency, ==, cases[i].currency);
      if (cases[i].currency == NULL && strcmp (cases[i].json, "null") != 0 &&
          strcmp (cases[i].json, "\"\"") != 0)
        {
          g_assert_null (entry->status_word);
          g_assert_nonnull (entry->error);
          g_assert_true (g_str_has_prefix (entry->error, "unreadable currency"));
        }
      else
        g_assert_cmpstr (entry->status_word, ==, "Pending");
    }
}

/* The words for a number that cannot be taken: the panel's text, never
 * json-glib's rewriting of it ("-1e+18", "500.69999999999999"), and a
 * charge beyond the limit said to be over the limit (issue 7). */
static void
test_unreadable_numbers (void)
{
  static const struct { const char *member; const char *error; } cases[] = {
    { "\"remains\": -1e18", "remains over the limit" },
    { "\"remains\": 500.7", "remains not a whole number" },
    { "\"remains\": \"500.7\"", "remains not a whole number: “500.7”" },
    { "\"remains\": -99999999999999999999", "remains over the limit: “-99999999999999999999”" },
    { "\"remains\": \"lots\"", "unreadable remains “lots”" },
    { "\"charge\": 1e15", "charge over the limit" },
    { "\"charge\": 1000000000000000", "charge over the limit" },
    { "\"charge\": \"1000000000000000\"", "charge over the limit: “1000000000000000”" },
    { "\"charge\": \"abc\"", "unreadable charge “abc”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"1\": {\"status\": \"Partial\", %s}}",
                                               cases[i].member);
      g_autoptr(GBytes) body = text (json);
      g_autoptr(GError) error = NULL;
      g_autoptr(GHashTable) table = relay_reply_parse_statuses (200, body, &error);
      RelayProviderStatus *entry;

      g_test_message ("%s", json);
      g_assert_no_error (error);
      entry = g_hash_table_lookup (table, "1");
      g_assert_null (entry->status_word);
      g_assert_cmpstr (entry->error, ==, cases[i].error);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/provider/reply/add/ok", test_add_ok);
  g_test_add_func ("/provider/reply/add/rejected", test_add_rejected);
  g_test_add_func ("/provider/reply/add/error-with-5xx", test_add_error_with_5xx);
  g_test_add_func ("/provider/reply/error-words-capped", test_error_words_capped);
  g_test_add_func ("/provider/reply/unreadable", test_unreadable_bodies);
  g_test_add_func ("/provider/reply/truncated-json", test_truncated_json);
  g_test_add_func ("/provider/reply/null-body", test_null_body);
  g_test_add_func ("/provider/reply/status/ok", test_status);
  g_test_add_func ("/provider/reply/status/errors", test_status_errors);
  g_test_add_func ("/provider/reply/statuses/mixed", test_statuses);
  g_test_add_func ("/provider/reply/statuses/shapes", test_statuses_shapes);
  g_test_add_func ("/provider/reply/balance", test_balance);
  g_test_add_func ("/provider/reply/refill", test_refill);
  g_test_add_func ("/provider/reply/refills", test_refills);
  g_test_add_func ("/provider/reply/cancel", test_cancel);
  g_test_add_func ("/provider/reply/refill-status", test_refill_status);
  g_test_add_func ("/provider/reply/refill-statuses", test_refill_statuses);
  g_test_add_func ("/provider/reply/services/entries", test_services);
  g_test_add_func ("/provider/reply/services/shapes", test_services_shapes);
  g_test_add_func ("/provider/reply/services/2mb-catalog", test_services_big_catalog);
  g_test_add_func ("/provider/reply/services/70mb-refused", test_huge_body_refused);
  g_test_add_func ("/provider/reply/parse-count", test_parse_count);
  g_test_add_func ("/provider/reply/reject-kind", test_reject_kind);
  g_test_add_func ("/provider/reply/corpus", test_corpus);
  g_test_add_func ("/provider/reply/json-depth", test_json_depth);
  g_test_add_func ("/provider/reply/deep-nesting", test_deep_nesting);
  g_test_add_func ("/provider/reply/nesting-limit", test_nesting_limit);
  g_test_add_func ("/provider/reply/size-limits", test_size_limits);
  g_test_add_func ("/provider/reply/value-limits", test_value_limits);
  g_test_add_func ("/provider/reply/redact", test_redact);
  g_test_add_func ("/provider/reply/redact-replies", test_redact_replies);
  g_test_add_func ("/provider/reply/string-caps", test_string_caps);
  g_test_add_func ("/provider/reply/long-integers", test_long_integers);
  g_test_add_func ("/provider/reply/id-rule", test_id_rule);
  g_test_add_func ("/provider/reply/add-bad-id", test_add_bad_id);
  g_test_add_func ("/provider/reply/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/provider/reply/currency-rule", test_currency_rule);
  g_test_add_func ("/provider/reply/unreadable-numbers", test_unreadable_numbers);

  return g_test_run ();
}
