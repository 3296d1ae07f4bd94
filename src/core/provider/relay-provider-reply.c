/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reply parsers of the provider API: pure functions from (HTTP status, body) to a result or
 * an error. */
#include "relay-provider-reply.h"
#include "relay-provider-json-private.h"
#include "relay-provider-redact.h"
#include "relay-error.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <string.h>

/* How far into an unreadable body we look for signs of an HTML page. */
#define HTML_SNIFF_SIZE 1024

static gboolean
looks_like_html (const char *data, gsize len)
{
  static const char * const marks[] = { "<!doctype", "<html", "<head", "<body", "<title", NULL };
  g_autofree char *head = g_ascii_strdown (data, MIN (len, HTML_SNIFF_SIZE));

  for (guint i = 0; marks[i] != NULL; i++)
    {
      if (strstr (head, marks[i]) != NULL)
        return TRUE;
    }
  return FALSE;
}

static void
set_html_error (guint http_status, GError **error)
{
  /* A rate limit or bot protection page comes from a proxy in front of the
   * panel that refused to forward the request. */
  int code = (http_status == 429 || http_status == 403)
             ? RELAY_PROVIDER_ERROR_NOT_SENT : RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME;

  g_set_error (error, RELAY_PROVIDER_ERROR, code,
               _("provider returned an HTML page (HTTP %u)"), http_status);
}

gsize
relay_reply_size_limit (RelayReplyKind kind)
{
  switch (kind)
    {
    case RELAY_REPLY_SERVICES:
      return RELAY_REPLY_LIMIT_SERVICES;
    case RELAY_REPLY_BALANCE:
      return RELAY_REPLY_LIMIT_BALANCE;
    case RELAY_REPLY_ADD:
    case RELAY_REPLY_STATUS:
    case RELAY_REPLY_REFILL:
    case RELAY_REPLY_REFILL_STATUS:
      return RELAY_REPLY_LIMIT_ONE;
    case RELAY_REPLY_STATUSES:
    case RELAY_REPLY_REFILLS:
    case RELAY_REPLY_REFILL_STATUSES:
    case RELAY_REPLY_CANCEL:
      return RELAY_REPLY_LIMIT_MANY;
    default:
      g_return_val_if_reached (RELAY_REPLY_LIMIT_BALANCE);
    }
}

const char *
relay_reply_action (RelayReplyKind kind)
{
  switch (kind)
    {
    case RELAY_REPLY_SERVICES:
      return "services";
    case RELAY_REPLY_ADD:
      return "add";
    case RELAY_REPLY_STATUS:
    case RELAY_REPLY_STATUSES:
      return "status";
    case RELAY_REPLY_BALANCE:
      return "balance";
    case RELAY_REPLY_REFILL:
    case RELAY_REPLY_REFILLS:
      return "refill";
    case RELAY_REPLY_REFILL_STATUS:
    case RELAY_REPLY_REFILL_STATUSES:
      return "refill_status";
    case RELAY_REPLY_CANCEL:
      return "cancel";
    default:
      g_return_val_if_reached ("?");
    }
}

guint
relay_reply_json_depth (const char *data, gsize len)
{
  return relay_reply_json_scan (data, len, NULL);
}

guint
relay_reply_json_scan (const char *data, gsize len, gsize *n_values)
{
  guint depth = 0;
  guint deepest = 0;
  gsize values = 1;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;  /* the escaped character, whatever it is */
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;
        case '[':
        case '{':
          depth++;
          deepest = MAX (deepest, depth);
          values++;
          break;
        case ']':
        case '}':
          if (depth > 0)
            depth--;
          break;
        case ',':
          values++;
          break;
        default:
          break;
        }
    }
  if (n_values != NULL)
    *n_values = values;
  return deepest;
}

gsize
relay_reply_max_values (RelayReplyKind kind)
{
  return relay_reply_size_limit (kind) / 16;
}

/* The start of @data with a byte order mark and white space skipped. */
static const char *
skip_blank (const char *data, gsize *len)
{
  if (*len >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      data += 3;
      *len -= 3;
    }
  while (*len > 0 && g_ascii_isspace (*data))
    {
      data++;
      (*len)--;
    }
  return data;
}

void
relay_reply_set_too_large (RelayReplyKind kind, guint http_status, const char *head,
                           gsize head_len, gint64 size, GError **error)
{
  gsize limit = relay_reply_size_limit (kind);

  /* The error page of a proxy is told as such even when it is long: 403 and
   * 429 from a proxy mean the panel never saw the request. */
  head = skip_blank (head, &head_len);
  if (head_len > 0 && (*head == '<' || looks_like_html (head, head_len)))
    {
      set_html_error (http_status, error);
      return;
    }
  if (size >= 0)
    /* TRANSLATORS: %s is the API action, untranslated: “status”, “add”, “services”… */
    g_set_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME,
                 _("provider reply too large for %s (%" PRId64 " bytes, limit %zu)"),
                 relay_reply_action (kind), size, limit);
  else
    g_set_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME,
                 _("provider reply too large for %s (more than %zu bytes, limit %zu)"),
                 relay_reply_action (kind), limit, limit);
}

static void redact_node (JsonNode *node, const char *secret);

typedef struct
{
  const char *secret;
  GPtrArray  *doomed;   /* names of members to drop */
} RedactMembers;

static void
redact_member (JsonObject *object, const char *name, JsonNode *node, gpointer data)
{
  RedactMembers *members = data;

  if (relay_redact_hits (name, members->secret))
    {
      if (members->doomed == NULL)
        members->doomed = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (members->doomed, g_strdup (name));
    }
  else
    redact_node (node, members->secret);
}

/* Every string of the tree with the key taken out; a member whose name holds
 * the key is dropped.  The depth is limited before the tree is built. */
static void
redact_node (JsonNode *node, const char *secret)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        RedactMembers members = { secret, NULL };

        json_object_foreach_member (object, redact_member, &members);
        if (members.doomed != NULL)
          {
            for (guint i = 0; i < members.doomed->len; i++)
              json_object_remove_member (object, g_ptr_array_index (members.doomed, i));
            g_ptr_array_unref (members.doomed);
          }
      }
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        for (guint i = 0; i < n; i++)
          redact_node (json_array_get_element (array, i), secret);
      }
      break;
    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_INT64 &&
          secret[strspn (secret, "0123456789")] == '\0')
        {
          /* A key of digits only may come back as a number. */
          char digits[32];

          g_snprintf (digits, sizeof digits, "%" G_GINT64_FORMAT, json_node_get_int (node));
          if (relay_redact_hits (digits, secret))
            json_node_set_string (node, RELAY_REDACTED);
        }
      else if (json_node_get_value_type (node) == G_TYPE_STRING)
        {
          const char *text = json_node_get_string (node);

          if (relay_redact_hits (text, secret))
            {
              g_autofree char *redacted = relay_redact (text, secret);

              json_node_set_string (node, redacted);
            }
        }
      break;
    case JSON_NODE_NULL:
    default:
      break;
    }
}

/* json-glib 1.6 reads an integer literal of 19 digits or more into 64 bits
 * without a word (-99999999999999999999 becomes 1).  A copy of @data with
 * every such literal quoted, so the readers see it as text and refuse it as
 * out of range for that field only; NULL when there is none. */
static GString *
quote_long_integers (const char *data, gsize len)
{
  GString *out = NULL;
  gsize copied = 0;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < len; i++)
    {
      gsize start, end;
      guint n_digits = 0;
      gboolean integer = TRUE;

      if (in_string)
        {
          if (data[i] == '\\')
            i++;
          else if (data[i] == '"')
            in_string = FALSE;
          continue;
        }
      if (data[i] == '"')
        {
          in_string = TRUE;
          continue;
        }
      if (data[i] != '-' && !g_ascii_isdigit (data[i]))
        continue;
      start = i;
      for (end = i; end < len && (g_ascii_isdigit (data[end]) || strchr ("+-.eE", data[end]) != NULL); end++)
        {
          if (g_ascii_isdigit (data[end]))
            n_digits++;
          else if (data[end] != '-' || end != start)
            integer = FALSE;
        }
      i = end - 1;
      if (!integer || n_digits < 19)
        continue;
      if (out == NULL)
        out = g_string_sized_new (len + 16);
      g_string_append_len (out, data + copied, start - copied);
      g_string_append_c (out, '"');
      g_string_append_len (out, data + start, end - start);
      g_string_append_c (out, '"');
      copied = end;
    }
  if (out != NULL)
    g_string_append_len (out, data + copied, len - copied);
  return out;
}

/* The parsed JSON of a reply of @kind, or NULL with an error for a body that
 * is not JSON at all, too large or too deep.  Every string in it has the key
 * taken out.  Does not look for {"error": …}: each parser decides where an
 * error may stand. */
static JsonNode *
read_reply (RelayReplyKind kind, guint http_status, GBytes *body, const char *secret,
            GError **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GString) quoted = NULL;
  const char *data = "";
  gsize len = 0;
  gsize n_values = 0;
  guint depth;
  JsonNode *root;

  if (body != NULL)
    data = g_bytes_get_data (body, &len);
  if (data == NULL)
    data = "";
  if (len > relay_reply_size_limit (kind))
    {
      relay_reply_set_too_large (kind, http_status, data,
                                 MIN (len, (gsize) HTML_SNIFF_SIZE), (gint64) len, error);
      return NULL;
    }
  data = skip_blank (data, &len);
  if (len == 0)
    {
      g_set_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME,
                   _("provider returned an empty reply (HTTP %u)"), http_status);
      return NULL;
    }
  if (*data == '<')
    {
      set_html_error (http_status, error);
      return NULL;
    }
  /* json-glib recurses once per level: a few hundred kB of "[" overflow the
   * stack.  Nothing deeper than the limit reaches it. */
  depth = relay_reply_json_scan (data, len, &n_values);
  if (depth > RELAY_REPLY_MAX_DEPTH)
    {
      g_set_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME,
                   _("provider reply nested %u levels deep (limit %u)"),
                   depth, (guint) RELAY_REPLY_MAX_DEPTH);
      return NULL;
    }
  /* json-glib spends ~80 bytes on each value: 32 MiB of "0," would take
   * 1.3 GB.  Real replies have far fewer values than bytes / 16. */
  if (n_values > relay_reply_max_values (kind))
    {
      g_set_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME,
                   _("provider reply to %s has too many values (%zu, limit %zu)"),
                   relay_reply_action (kind), n_values, relay_reply_max_values (kind));
      return NULL;
    }

  quoted = quote_long_integers (data, len);
  if (quoted != NULL)
    {
      data = quoted->str;
      len = quoted->len;
    }
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, (gssize) len, &local_error))
    {
      if (looks_like_html (data, len))
        set_html_error (http_status, error);
      else
        {
          /* json-glib quotes the panel's bytes as they are: control
           * characters and a UTF-8 sequence cut in half. */
          g_autofree char *words = relay_json_clean_words (local_error->message, -1);

          g_set_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME,
                       _("provider returned unreadable JSON (HTTP %u): %s"),
                       http_status, words);
        }
      return NULL;
    }
  root = json_parser_steal_root (parser);
  if (root == NULL)
    {
      g_set_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME,
                   _("provider returned an empty reply (HTTP %u)"), http_status);
      return NULL;
    }
  if (secret != NULL && strlen (secret) >= RELAY_REDACT_MIN_SECRET)
    redact_node (root, secret);
  return root;
}

/* TRUE (and REJECTED in @error) when @node is {"error": …}. */
static gboolean
check_rejected (JsonNode *node, GError **error)
{
  g_autofree char *words = relay_json_dup_error (node);

  if (words == NULL)
    return FALSE;
  g_set_error_literal (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_REJECTED, words);
  return TRUE;
}

static void
set_shape_error (GError **error, guint http_status, const char *expected)
{
  g_set_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME,
               _("provider returned JSON of an unexpected shape (HTTP %u): expected %s"),
               http_status, expected);
}

static void
set_missing_error (GError **error, const char *message)
{
  g_set_error_literal (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME, message);
}

/* Reads the common start of every reply that must be an object: the object,
 * or NULL with an error (not JSON, an {"error": …}, or not an object). */
static JsonObject *
read_object_reply (RelayReplyKind kind, guint http_status, GBytes *body, const char *secret,
                   JsonNode **root_out, GError **error)
{
  g_autoptr(JsonNode) root = read_reply (kind, http_status, body, secret, error);

  if (root == NULL || check_rejected (root, error))
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      set_shape_error (error, http_status, _("an object"));
      return NULL;
    }
  *root_out = g_steal_pointer (&root);
  return json_node_get_object (*root_out);
}

/* ---- services ---------------------------------------------------------- */

static RelayProviderService *
parse_service (JsonNode *node, const char *key)
{
  g_autoptr(RelayProviderService) service = g_new0 (RelayProviderService, 1);
  JsonObject *object;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  object = json_node_get_object (node);

  service->service_id = relay_json_dup_id (relay_json_member (object, "service"));
  if (service->service_id == NULL)
    service->service_id = relay_json_dup_id (relay_json_member (object, "id"));
  if (service->service_id == NULL && key != NULL)
    {
      g_autoptr(JsonNode) key_node = json_node_init_string (json_node_alloc (), key);

      service->service_id = relay_json_dup_id (key_node);
    }
  if (service->service_id == NULL)
    return NULL;
  service->name = relay_json_dup_text (relay_json_member (object, "name"), RELAY_REPLY_MAX_NAME);
  if (service->name == NULL ||
      !relay_json_read_money (relay_json_member (object, "rate"), &service->rate) ||
      service->rate < 0)
    {
      /* A known id with a bad entry: refused, and its previous row kept
       * (dropping it would read as "the provider no longer offers it"). */
      g_clear_pointer (&service->name, g_free);
      service->rate = 0;
      service->refused = TRUE;
      return g_steal_pointer (&service);
    }

  service->type = relay_json_dup_text (relay_json_member (object, "type"), RELAY_REPLY_MAX_TYPE);
  if (service->type == NULL)
    service->type = g_strdup ("Default");
  service->category = relay_json_dup_text (relay_json_member (object, "category"),
                                           RELAY_REPLY_MAX_CATEGORY);
  if (service->category == NULL)
    service->category = g_strdup ("");
  /* 0 when the panel does not say; the catalog decides what that means. */
  if (!relay_json_read_count (relay_json_member (object, "min"), &service->min))
    service->min = 0;
  if (!relay_json_read_count (relay_json_member (object, "max"), &service->max))
    service->max = 0;
  service->refill = relay_json_read_bool (relay_json_member (object, "refill"), FALSE);
  service->cancel = relay_json_read_bool (relay_json_member (object, "cancel"), FALSE);
  service->dripfeed = relay_json_read_bool (relay_json_member (object, "dripfeed"), FALSE);
  return g_steal_pointer (&service);
}

static void
add_service (GPtrArray *services, guint *skipped, JsonNode *node, const char *key)
{
  RelayProviderService *service = parse_service (node, key);

  if (service == NULL || service->refused)
    (*skipped)++;
  if (service != NULL)
    g_ptr_array_add (services, service);
}

/* Some panels send the catalog keyed by id, or wrapped in {"services": […]}. */
static JsonArray *
find_wrapped_list (JsonObject *object)
{
  static const char * const names[] = { "services", "data", NULL };

  for (guint i = 0; names[i] != NULL; i++)
    {
      JsonNode *node = relay_json_member (object, names[i]);

      if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
        return json_node_get_array (node);
    }
  return NULL;
}

static gboolean
has_object_member (JsonObject *object)
{
  g_autoptr(GList) values = json_object_get_values (object);

  for (GList *l = values; l != NULL; l = l->next)
    {
      if (JSON_NODE_HOLDS_OBJECT ((JsonNode *) l->data))
        return TRUE;
    }
  return FALSE;
}

static GPtrArray *
parse_services (guint http_status, GBytes *body, const char *secret, guint *n_skipped,
                GError **error)
{
  g_autoptr(JsonNode) root = read_reply (RELAY_REPLY_SERVICES, http_status, body, secret, error);
  g_autoptr(GPtrArray) services = NULL;
  JsonArray *array = NULL;
  guint skipped = 0;

  if (root == NULL || check_rejected (root, error))
    return NULL;

  services = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_provider_service_free);
  if (JSON_NODE_HOLDS_ARRAY (root))
    array = json_node_get_array (root);
  else if (JSON_NODE_HOLDS_OBJECT (root))
    array = find_wrapped_list (json_node_get_object (root));

  if (array != NULL)
    {
      guint n = json_array_get_length (array);

      for (guint i = 0; i < n; i++)
        add_service (services, &skipped, json_array_get_element (array, i), NULL);
    }
  else if (JSON_NODE_HOLDS_OBJECT (root) && has_object_member (json_node_get_object (root)))
    {
      JsonObject *object = json_node_get_object (root);
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        add_service (services, &skipped, json_object_get_member (object, l->data), l->data);
    }
  else
    {
      set_shape_error (error, http_status, _("a list of services"));
      return NULL;
    }

  if (n_skipped != NULL)
    *n_skipped = skipped;
  return g_steal_pointer (&services);
}

/* ---- add --------------------------------------------------------------- */

/* A reply that is nothing but an id ("23501" or 23501): digits only, so
 * that a bare string of words is never taken for an id. */
static char *
dup_bare_id (JsonNode *root)
{
  gint64 whole;

  if (!JSON_NODE_HOLDS_VALUE (root) || !relay_json_read_count (root, &whole) || whole <= 0)
    return NULL;
  return g_strdup_printf ("%" PRId64, whole);
}

/* An `add` reply whose order id breaks relay_provider_id_is_valid(): the
 * request went out and the panel may have the order, so the outcome is
 * unknown (review, never sent again), with the panel's words for the id. */
static void
set_bad_order_id_error (GError **error, JsonNode *order)
{
  g_autofree char *text = relay_json_dup_text (order, RELAY_PROVIDER_ID_MAX_LENGTH);
  g_autofree char *words = relay_json_clean_words (text, -1);

  g_set_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME,
               /* TRANSLATORS: the id the panel sent, e.g. “12 34” */
               _("provider answered with an order id that is not one: “%s”; the order may exist"),
               words);
}

static char *
parse_add (guint http_status, GBytes *body, const char *secret, GError **error)
{
  g_autoptr(JsonNode) root = read_reply (RELAY_REPLY_ADD, http_status, body, secret, error);
  JsonNode *order;
  char *id;

  if (root == NULL)
    return NULL;

  /* An order id is the strongest fact in a reply: the order exists, whatever
   * else the panel wrote beside it. */
  id = dup_bare_id (root);
  if (id != NULL)
    return id;
  if (JSON_NODE_HOLDS_OBJECT (root))
    {
      order = relay_json_member (json_node_get_object (root), "order");
      id = relay_json_dup_id (order);
      if (id != NULL && relay_provider_id_is_valid (id))
        return id;
      g_clear_pointer (&id, g_free);
      if (!check_rejected (root, NULL) && order != NULL && JSON_NODE_HOLDS_VALUE (order) &&
          json_node_get_value_type (order) != G_TYPE_BOOLEAN && !relay_json_is_blank (order))
        {
          set_bad_order_id_error (error, order);
          return NULL;
        }
      if (check_rejected (root, error) || check_rejected (order, error))
        {
          /* {"error": …} with HTTP 5xx comes from a gateway or a panel that
           * broke half way: the order may exist.  Only a panel's own 2xx/4xx
           * refusal is a definite no. */
          if (http_status >= 500)
            {
              g_autofree char *words = g_strdup ((*error)->message);

              g_clear_error (error);
              g_set_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME,
                           _("provider answered HTTP %u with “%s”; the order may exist"),
                           http_status, words);
            }
          return NULL;
        }
      set_missing_error (error, _("provider reply has no order id"));
      return NULL;
    }
  if (JSON_NODE_HOLDS_ARRAY (root))
    set_shape_error (error, http_status, _("an object"));
  else
    set_missing_error (error, _("provider reply has no order id"));
  return NULL;
}

/* ---- status ------------------------------------------------------------ */

/* Fills a status from one object; FALSE when it has no status word. */
static gboolean
read_status_object (JsonObject *object, RelayProviderStatus *status)
{
  status->status_word = relay_json_dup_text (relay_json_member (object, "status"),
                                             RELAY_REPLY_MAX_STATUS);
  if (status->status_word == NULL)
    return FALSE;
  status->has_charge = relay_json_read_money (relay_json_member (object, "charge"),
                                              &status->charge);
  status->has_start_count = relay_json_read_count (relay_json_member (object, "start_count"),
                                                   &status->start_count);
  status->has_remains = relay_json_read_count (relay_json_member (object, "remains"),
                                               &status->remains);
  status->currency = relay_json_dup_currency (relay_json_member (object, "currency"));
  return TRUE;
}

static RelayProviderStatus *
parse_status (guint http_status, GBytes *body, const char *secret, GError **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(RelayProviderStatus) status = NULL;
  JsonObject *object = read_object_reply (RELAY_REPLY_STATUS, http_status, body, secret, &root,
                                          error);

  if (object == NULL)
    return NULL;
  status = g_new0 (RelayProviderStatus, 1);
  if (!read_status_object (object, status))
    {
      set_missing_error (error, _("provider reply has no order status"));
      return NULL;
    }
  return g_steal_pointer (&status);
}

/* The digits of @text before its decimal mark when it is written as a
 * plain decimal number ("-1 000.5" -> 4, sign and spaces ignored), and
 * whether a digit other than 0 follows the mark; -1 when it is not a number. */
static int
count_whole_digits (const char *text, gboolean *out_fraction)
{
  const char *p = text;
  int n_digits = 0;

  *out_fraction = FALSE;
  while (g_ascii_isspace (*p))
    p++;
  if (*p == '-' || *p == '+')
    p++;
  for (; g_ascii_isdigit (*p) || *p == ' '; p++)
    n_digits += g_ascii_isdigit (*p) ? 1 : 0;
  if (*p == '.')
    {
      for (p++; g_ascii_isdigit (*p); p++)
        *out_fraction |= *p != '0';
    }
  while (g_ascii_isspace (*p))
    p++;
  return *p == '\0' && n_digits > 0 ? n_digits : -1;
}

/* Why the member @name (remains, charge or currency) that is there could not
 * be read.  The panel's own text where json-glib kept it (a string, or an
 * integer of 19+ digits, which read_reply() quotes); json-glib writes a
 * number back its own way ("-1e+18", "500.69999999999999"), so a number is
 * described instead. */
static char *
describe_unreadable (const char *name, JsonNode *node)
{
  gboolean is_charge = g_str_equal (name, "charge");
  gboolean is_number = !g_str_equal (name, "currency");
  gboolean fraction = FALSE;
  g_autofree char *text = NULL;
  int n_digits;

  if (is_number && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (node);

      d = d < 0 ? -d : d;
      /* TRANSLATORS: %s is "remains" or "charge" */
      if (is_charge || d >= 9007199254740992.0)
        return g_strdup_printf (_("%s over the limit"), name);
      /* TRANSLATORS: %s is "remains" */
      return g_strdup_printf (_("%s not a whole number"), name);
    }
  if (is_number && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf (_("%s over the limit"), name);

  text = relay_json_dup_text (node, is_number ? RELAY_REPLY_MAX_STATUS : RELAY_REPLY_MAX_CURRENCY);
  if (text != NULL && is_number &&
      (n_digits = count_whole_digits (text, &fraction)) > 0)
    {
      /* TRANSLATORS: "remains over the limit: “-99999999999999999999”" */
      if (n_digits > (is_charge ? 13 : 18))
        return g_strdup_printf (_("%s over the limit: “%s”"), name, text);
      /* TRANSLATORS: "remains not a whole number: “157.5”" */
      if (!is_charge && fraction)
        return g_strdup_printf (_("%s not a whole number: “%s”"), name, text);
    }
  /* TRANSLATORS: "unreadable remains “lots”" */
  return g_strdup_printf (_("unreadable %s “%s”"), name, text ? text : "…");
}

/* A remains or charge that is there but cannot be read (beyond 64 bits,
 * "abc", an object) is not an unknown one: taken for unknown, a Partial
 * would be refunded in full.  Nor is a currency that is no currency code.
 * Why, or NULL. */
static char *
dup_unreadable_number (JsonObject                *object,
                       const RelayProviderStatus *status)
{
  static const char * const names[] = { "remains", "charge", "currency" };
  const gboolean read[] = { status->has_remains, status->has_charge, status->currency != NULL };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      JsonNode *node = relay_json_member (object, names[i]);

      if (!read[i] && !relay_json_is_blank (node))
        return describe_unreadable (names[i], node);
    }
  return NULL;
}

/* One entry of a multi-status reply; never NULL. */
static RelayProviderStatus *
parse_status_entry (const char *order_id, JsonNode *node)
{
  RelayProviderStatus *status = g_new0 (RelayProviderStatus, 1);
  char *unreadable;

  status->order_id = g_utf8_make_valid (order_id, -1);
  status->error = relay_json_dup_error (node);
  if (status->error != NULL)
    return status;
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node) ||
      !read_status_object (json_node_get_object (node), status))
    {
      g_clear_pointer (&status->status_word, g_free);
      status->error = g_strdup (_("unreadable entry"));
    }
  else if ((unreadable = dup_unreadable_number (json_node_get_object (node), status)) != NULL)
    {
      /* An entry error: the order keeps its status and shows these words. */
      g_clear_pointer (&status->status_word, g_free);
      status->error = unreadable;
    }
  return status;
}

static GHashTable *
parse_statuses (guint http_status, GBytes *body, const char *secret, GError **error)
{
  g_autoptr(JsonNode) root = read_reply (RELAY_REPLY_STATUSES, http_status, body, secret, error);
  g_autoptr(GHashTable) table = NULL;

  if (root == NULL || check_rejected (root, error))
    return NULL;

  table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                 (GDestroyNotify) relay_provider_status_free);
  if (JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *object = json_node_get_object (root);
      g_autoptr(GList) members = NULL;
      JsonNode *word = relay_json_member (object, "status");

      /* A single-order reply where a keyed one was asked for. */
      if (word != NULL && JSON_NODE_HOLDS_VALUE (word))
        {
          set_shape_error (error, http_status, _("statuses keyed by order id"));
          return NULL;
        }
      members = json_object_get_members (object);
      for (GList *l = members; l != NULL; l = l->next)
        {
          const char *key = l->data;

          /* A member name is the panel's bytes too. */
          g_hash_table_replace (table, g_utf8_make_valid (key, -1),
                                parse_status_entry (key, json_object_get_member (object, key)));
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (root))
    {
      /* A dialect: [{"order": 1, "status": …}, …]. */
      JsonArray *array = json_node_get_array (root);
      guint n = json_array_get_length (array);

      for (guint i = 0; i < n; i++)
        {
          JsonNode *node = json_array_get_element (array, i);
          g_autofree char *id = NULL;

          if (JSON_NODE_HOLDS_OBJECT (node))
            id = relay_json_dup_id (relay_json_member (json_node_get_object (node), "order"));
          if (id != NULL)
            g_hash_table_replace (table, g_strdup (id), parse_status_entry (id, node));
        }
    }
  else
    {
      set_shape_error (error, http_status, _("statuses keyed by order id"));
      return NULL;
    }
  return g_steal_pointer (&table);
}

/* ---- balance ----------------------------------------------------------- */

static RelayProviderBalance *
parse_balance (guint http_status, GBytes *body, const char *secret, GError **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(RelayProviderBalance) balance = NULL;
  JsonObject *object = read_object_reply (RELAY_REPLY_BALANCE, http_status, body, secret, &root,
                                          error);

  if (object == NULL)
    return NULL;
  balance = g_new0 (RelayProviderBalance, 1);
  if (!relay_json_read_money (relay_json_member (object, "balance"), &balance->balance))
    {
      set_missing_error (error, _("provider reply has no balance"));
      return NULL;
    }
  balance->currency = relay_json_dup_currency (relay_json_member (object, "currency"));
  return g_steal_pointer (&balance);
}

/* ---- refill ------------------------------------------------------------ */

static char *
parse_refill (guint http_status, GBytes *body, const char *secret, GError **error)
{
  g_autoptr(JsonNode) root = read_reply (RELAY_REPLY_REFILL, http_status, body, secret, error);
  JsonNode *refill;
  char *id;

  if (root == NULL)
    return NULL;
  id = dup_bare_id (root);
  if (id != NULL)
    return id;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      set_shape_error (error, http_status, _("an object"));
      return NULL;
    }
  refill = relay_json_member (json_node_get_object (root), "refill");
  id = relay_json_dup_id (refill);
  if (id != NULL)
    return id;
  if (check_rejected (root, error) || check_rejected (refill, error))
    return NULL;
  set_missing_error (error, _("provider reply has no refill id"));
  return NULL;
}

/* ---- refill with orders, cancel ---------------------------------------- */

/* Reads the outcome for one order from @value (the member named
 * @result_field, or NULL) and @entry (the whole entry, may hold an error). */
static RelayProviderItemResult *
parse_item (const char *order_id, JsonNode *entry, JsonNode *value, const char *result_field)
{
  RelayProviderItemResult *item = g_new0 (RelayProviderItemResult, 1);

  item->order_id = g_utf8_make_valid (order_id, -1);
  item->error = relay_json_dup_error (value);
  if (item->error == NULL && value == NULL)
    item->error = relay_json_dup_error (entry);
  if (item->error != NULL)
    return item;

  if (value != NULL && JSON_NODE_HOLDS_VALUE (value))
    {
      if (g_strcmp0 (result_field, "cancel") == 0)
        {
          /* 1, true, "1" accepted; 0, false, "0" refused without words. */
          if (relay_json_read_bool (value, FALSE))
            item->result_id = g_strdup ("1");
          else if (!relay_json_read_bool (value, TRUE))
            item->error = g_strdup (_("provider did not accept the request"));
        }
      else
        item->result_id = relay_json_dup_id (value);
    }
  if (item->result_id == NULL && item->error == NULL)
    item->error = g_strdup (_("unreadable entry"));
  return item;
}

static RelayProviderItemResult *
parse_item_entry (JsonNode *node, const char *key, const char *result_field)
{
  g_autofree char *id = NULL;
  JsonObject *object = NULL;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      object = json_node_get_object (node);
      id = relay_json_dup_id (relay_json_member (object, "order"));
    }
  if (id == NULL && key != NULL)
    id = g_utf8_make_valid (key, -1);
  if (id == NULL)
    return NULL;
  /* Keyed dialect: {"1": 1} or {"1": {"error": …}} or {"1": {"refill": 5}}. */
  if (object == NULL)
    return parse_item (id, node, node, result_field);
  return parse_item (id, node, relay_json_member (object, result_field), result_field);
}

static GPtrArray *
parse_item_results (RelayReplyKind kind, guint http_status, GBytes *body, const char *secret,
                    const char *result_field, GError **error)
{
  g_autoptr(JsonNode) root = read_reply (kind, http_status, body, secret, error);
  g_autoptr(GPtrArray) items = NULL;

  if (root == NULL)
    return NULL;
  items = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_provider_item_result_free);
  if (JSON_NODE_HOLDS_ARRAY (root))
    {
      JsonArray *array = json_node_get_array (root);
      guint n = json_array_get_length (array);

      for (guint i = 0; i < n; i++)
        {
          RelayProviderItemResult *item =
            parse_item_entry (json_array_get_element (array, i), NULL, result_field);

          if (item != NULL)
            g_ptr_array_add (items, item);
        }
      return g_steal_pointer (&items);
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      set_shape_error (error, http_status, _("a list of results"));
      return NULL;
    }
  if (check_rejected (root, error))
    return NULL;

  {
    JsonObject *object = json_node_get_object (root);
    g_autoptr(GList) members = NULL;

    /* One entry sent bare: {"order": 1, "refill": 5}. */
    if (relay_json_member (object, "order") != NULL)
      {
        RelayProviderItemResult *item = parse_item_entry (root, NULL, result_field);

        if (item == NULL)
          {
            set_shape_error (error, http_status, _("a list of results"));
            return NULL;
          }
        g_ptr_array_add (items, item);
        return g_steal_pointer (&items);
      }
    members = json_object_get_members (object);
    for (GList *l = members; l != NULL; l = l->next)
      {
        RelayProviderItemResult *item =
          parse_item_entry (json_object_get_member (object, l->data), l->data, result_field);

        if (item != NULL)
          g_ptr_array_add (items, item);
      }
  }
  return g_steal_pointer (&items);
}

/* ---- refill_status ----------------------------------------------------- */

static RelayProviderRefillStatus *
parse_refill_status (guint http_status, GBytes *body, const char *secret, GError **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(RelayProviderRefillStatus) status = NULL;
  JsonObject *object = read_object_reply (RELAY_REPLY_REFILL_STATUS, http_status, body, secret,
                                          &root, error);
  JsonNode *word;

  if (object == NULL)
    return NULL;
  word = relay_json_member (object, "status");
  if (check_rejected (word, error))
    return NULL;
  status = g_new0 (RelayProviderRefillStatus, 1);
  status->refill_id = relay_json_dup_id (relay_json_member (object, "refill"));
  status->status_word = relay_json_dup_text (word, RELAY_REPLY_MAX_STATUS);
  if (status->status_word == NULL)
    {
      set_missing_error (error, _("provider reply has no refill status"));
      return NULL;
    }
  return g_steal_pointer (&status);
}

static RelayProviderRefillStatus *
parse_refill_status_entry (JsonNode *node, const char *key)
{
  RelayProviderRefillStatus *status;
  g_autofree char *id = NULL;
  JsonObject *object = NULL;
  JsonNode *word = NULL;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      object = json_node_get_object (node);
      id = relay_json_dup_id (relay_json_member (object, "refill"));
    }
  if (id == NULL && key != NULL)
    id = g_utf8_make_valid (key, -1);
  if (id == NULL)
    return NULL;

  status = g_new0 (RelayProviderRefillStatus, 1);
  status->refill_id = g_steal_pointer (&id);
  if (object != NULL)
    word = relay_json_member (object, "status");
  else if (key != NULL)
    word = node;  /* keyed dialect: {"1": "Completed"} */

  status->error = relay_json_dup_error (word);
  if (status->error == NULL && (word == NULL || JSON_NODE_HOLDS_OBJECT (word)))
    status->error = relay_json_dup_error (node);
  if (status->error == NULL && (word == NULL || JSON_NODE_HOLDS_VALUE (word)))
    status->status_word = relay_json_dup_text (word, RELAY_REPLY_MAX_STATUS);
  if (status->error == NULL && status->status_word == NULL)
    status->error = g_strdup (_("unreadable entry"));
  return status;
}

static GPtrArray *
parse_refill_statuses (guint http_status, GBytes *body, const char *secret, GError **error)
{
  g_autoptr(JsonNode) root = read_reply (RELAY_REPLY_REFILL_STATUSES, http_status, body, secret,
                                         error);
  g_autoptr(GPtrArray) statuses = NULL;

  if (root == NULL || check_rejected (root, error))
    return NULL;
  statuses = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_provider_refill_status_free);
  if (JSON_NODE_HOLDS_ARRAY (root))
    {
      JsonArray *array = json_node_get_array (root);
      guint n = json_array_get_length (array);

      for (guint i = 0; i < n; i++)
        {
          RelayProviderRefillStatus *status =
            parse_refill_status_entry (json_array_get_element (array, i), NULL);

          if (status != NULL)
            g_ptr_array_add (statuses, status);
        }
    }
  else if (JSON_NODE_HOLDS_OBJECT (root) &&
           relay_json_member (json_node_get_object (root), "status") == NULL)
    {
      JsonObject *object = json_node_get_object (root);
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        {
          RelayProviderRefillStatus *status =
            parse_refill_status_entry (json_object_get_member (object, l->data), l->data);

          if (status != NULL)
            g_ptr_array_add (statuses, status);
        }
    }
  else
    {
      set_shape_error (error, http_status, _("a list of refill statuses"));
      return NULL;
    }
  return g_steal_pointer (&statuses);
}

/* ---- any reply --------------------------------------------------------- */

gpointer
relay_reply_parse (RelayReplyKind kind, guint http_status, GBytes *body, const char *secret,
                   GDestroyNotify *free_func, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  GDestroyNotify free_result = NULL;
  gpointer result = NULL;

  switch (kind)
    {
    case RELAY_REPLY_SERVICES:
      result = parse_services (http_status, body, secret, NULL, &local_error);
      free_result = (GDestroyNotify) g_ptr_array_unref;
      break;
    case RELAY_REPLY_ADD:
      result = parse_add (http_status, body, secret, &local_error);
      free_result = g_free;
      break;
    case RELAY_REPLY_STATUS:
      result = parse_status (http_status, body, secret, &local_error);
      free_result = (GDestroyNotify) relay_provider_status_free;
      break;
    case RELAY_REPLY_STATUSES:
      result = parse_statuses (http_status, body, secret, &local_error);
      free_result = (GDestroyNotify) g_hash_table_unref;
      break;
    case RELAY_REPLY_BALANCE:
      result = parse_balance (http_status, body, secret, &local_error);
      free_result = (GDestroyNotify) relay_provider_balance_free;
      break;
    case RELAY_REPLY_REFILL:
      result = parse_refill (http_status, body, secret, &local_error);
      free_result = g_free;
      break;
    case RELAY_REPLY_REFILLS:
      result = parse_item_results (kind, http_status, body, secret, "refill", &local_error);
      free_result = (GDestroyNotify) g_ptr_array_unref;
      break;
    case RELAY_REPLY_CANCEL:
      result = parse_item_results (kind, http_status, body, secret, "cancel", &local_error);
      free_result = (GDestroyNotify) g_ptr_array_unref;
      break;
    case RELAY_REPLY_REFILL_STATUS:
      result = parse_refill_status (http_status, body, secret, &local_error);
      free_result = (GDestroyNotify) relay_provider_refill_status_free;
      break;
    case RELAY_REPLY_REFILL_STATUSES:
      result = parse_refill_statuses (http_status, body, secret, &local_error);
      free_result = (GDestroyNotify) g_ptr_array_unref;
      break;
    default:
      g_return_val_if_reached (NULL);
    }

  if (free_func != NULL)
    *free_func = free_result;
  if (result == NULL && local_error == NULL)
    local_error = g_error_new_literal (RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME,
                                       _("provider reply could not be read"));
  if (result == NULL)
    {
      /* The words were redacted in the tree; the sentence around them (and
       * json-glib's own words about the body) once more, as a whole. */
      relay_redact_in_place (&local_error->message, secret);
      g_propagate_error (error, g_steal_pointer (&local_error));
    }
  return result;
}

/* ---- the parsers of each kind ------------------------------------------ */

GPtrArray *
relay_reply_parse_services (guint http_status, GBytes *body, guint *n_skipped, GError **error)
{
  return parse_services (http_status, body, NULL, n_skipped, error);
}

char *
relay_reply_parse_add (guint http_status, GBytes *body, GError **error)
{
  return parse_add (http_status, body, NULL, error);
}

RelayProviderStatus *
relay_reply_parse_status (guint http_status, GBytes *body, GError **error)
{
  return parse_status (http_status, body, NULL, error);
}

GHashTable *
relay_reply_parse_statuses (guint http_status, GBytes *body, GError **error)
{
  return parse_statuses (http_status, body, NULL, error);
}

RelayProviderBalance *
relay_reply_parse_balance (guint http_status, GBytes *body, GError **error)
{
  return parse_balance (http_status, body, NULL, error);
}

char *
relay_reply_parse_refill (guint http_status, GBytes *body, GError **error)
{
  return parse_refill (http_status, body, NULL, error);
}

GPtrArray *
relay_reply_parse_item_results (guint http_status, GBytes *body, const char *result_field,
                                GError **error)
{
  RelayReplyKind kind;

  g_return_val_if_fail (result_field != NULL, NULL);

  kind = g_strcmp0 (result_field, "cancel") == 0 ? RELAY_REPLY_CANCEL : RELAY_REPLY_REFILLS;
  return parse_item_results (kind, http_status, body, NULL, result_field, error);
}

RelayProviderRefillStatus *
relay_reply_parse_refill_status (guint http_status, GBytes *body, GError **error)
{
  return parse_refill_status (http_status, body, NULL, error);
}

GPtrArray *
relay_reply_parse_refill_statuses (guint http_status, GBytes *body, GError **error)
{
  return parse_refill_statuses (http_status, body, NULL, error);
}
