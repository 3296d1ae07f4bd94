/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tolerant readers of single JSON values: numbers as strings or numbers, ids, flags, words. */
#include "relay-provider-json-private.h"
#include "relay-provider-reply.h"
#include "relay-money.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#define MAX_ID_LENGTH 64
/* Beyond this a double no longer holds every whole number exactly. */
#define MAX_EXACT_DOUBLE 9007199254740992.0
/* relay_money_parse() refuses more than 9e12 whole units. */
#define MAX_MONEY_WHOLE 9e12

JsonNode *
relay_json_member (JsonObject *object, const char *name)
{
  if (object == NULL)
    return NULL;
  return json_object_get_member (object, name);
}

static gboolean
is_value_of (JsonNode *node, GType type)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

/* The string with every ASCII space removed: "1 000 " -> "1000". */
static char *
strip_spaces (const char *text)
{
  GString *out = g_string_sized_new (strlen (text));

  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isspace (*p))
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

gboolean
relay_json_is_blank (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (is_value_of (node, G_TYPE_STRING))
    {
      const char *p = json_node_get_string (node);

      while (p != NULL && g_ascii_isspace (*p))
        p++;
      return p == NULL || *p == '\0';
    }
  return FALSE;
}

gboolean
relay_reply_parse_count (const char *text, gint64 *out)
{
  g_autofree char *digits = NULL;
  const char *p;
  gboolean negative = FALSE;
  guint64 value = 0;
  guint n_digits = 0;

  g_return_val_if_fail (out != NULL, FALSE);

  if (text == NULL)
    return FALSE;
  digits = strip_spaces (text);
  p = digits;
  if (*p == '-' || *p == '+')
    negative = *p++ == '-';
  for (; g_ascii_isdigit (*p); p++, n_digits++)
    {
      value = value * 10 + (guint64) (*p - '0');
      if (value > (guint64) G_MAXINT64)
        return FALSE;
    }
  if (n_digits == 0)
    return FALSE;
  /* "157.0" and "157.00" are whole numbers written by a sloppy panel. */
  if (*p == '.')
    {
      for (p++; *p == '0'; p++)
        ;
    }
  if (*p != '\0')
    return FALSE;
  *out = negative ? -(gint64) value : (gint64) value;
  return TRUE;
}

gboolean
relay_json_read_count (JsonNode *node, gint64 *out)
{
  if (relay_json_is_blank (node))
    return FALSE;
  if (is_value_of (node, G_TYPE_INT64))
    {
      *out = json_node_get_int (node);
      return TRUE;
    }
  if (is_value_of (node, G_TYPE_DOUBLE))
    {
      double d = json_node_get_double (node);

      if (d > MAX_EXACT_DOUBLE || d < -MAX_EXACT_DOUBLE || (double) (gint64) d != d)
        return FALSE;
      *out = (gint64) d;
      return TRUE;
    }
  if (is_value_of (node, G_TYPE_STRING))
    return relay_reply_parse_count (json_node_get_string (node), out);
  return FALSE;
}

/* relay_money_parse() with a leading minus allowed (balances may be negative). */
static gboolean
parse_signed_money (const char *text, gint64 *out)
{
  g_autofree char *compact = strip_spaces (text);
  const char *p = compact;
  gboolean negative = FALSE;
  gint64 micro = 0;

  if (*p == '-' || *p == '+')
    negative = *p++ == '-';
  if (!relay_money_parse (p, &micro, NULL))
    return FALSE;
  *out = negative ? -micro : micro;
  return TRUE;
}

gboolean
relay_json_read_money (JsonNode *node, gint64 *out)
{
  if (relay_json_is_blank (node))
    return FALSE;
  if (is_value_of (node, G_TYPE_INT64))
    {
      gint64 whole = json_node_get_int (node);

      if (whole > (gint64) MAX_MONEY_WHOLE || whole < -(gint64) MAX_MONEY_WHOLE)
        return FALSE;
      *out = whole * RELAY_MICRO;
      return TRUE;
    }
  if (is_value_of (node, G_TYPE_DOUBLE))
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      double d = json_node_get_double (node);

      if (d > MAX_MONEY_WHOLE || d < -MAX_MONEY_WHOLE)
        return FALSE;
      /* A JSON number is already a binary approximation; six decimals give
       * back the decimal the panel meant ("0.27819" -> 0.278190). */
      g_ascii_formatd (buf, sizeof buf, "%.6f", d);
      return parse_signed_money (buf, out);
    }
  if (is_value_of (node, G_TYPE_STRING))
    return parse_signed_money (json_node_get_string (node), out);
  return FALSE;
}

gboolean
relay_json_read_bool (JsonNode *node, gboolean fallback)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  if (is_value_of (node, G_TYPE_BOOLEAN))
    return json_node_get_boolean (node);
  if (is_value_of (node, G_TYPE_INT64))
    return json_node_get_int (node) != 0;
  if (is_value_of (node, G_TYPE_DOUBLE))
    return json_node_get_double (node) != 0.0;
  if (is_value_of (node, G_TYPE_STRING))
    {
      static const char * const yes[] = { "1", "true", "yes", "on", "y", NULL };
      static const char * const no[] = { "0", "false", "no", "off", "n", "", NULL };
      g_autofree char *word = g_ascii_strdown (json_node_get_string (node), -1);

      g_strstrip (word);
      if (g_strv_contains (yes, word))
        return TRUE;
      if (g_strv_contains (no, word))
        return FALSE;
    }
  return fallback;
}

char *
relay_json_dup_id (JsonNode *node)
{
  gint64 whole;

  if (relay_json_is_blank (node))
    return NULL;
  if (is_value_of (node, G_TYPE_STRING))
    {
      g_autofree char *id = g_strstrip (g_strdup (json_node_get_string (node)));

      if (strlen (id) > MAX_ID_LENGTH)
        return NULL;
      for (const char *p = id; *p != '\0'; p++)
        {
          /* An id goes back into comma-separated lists and form fields. */
          if (g_ascii_iscntrl (*p) || *p == ',')
            return NULL;
        }
      if (!g_utf8_validate (id, -1, NULL))
        return NULL;
      return g_steal_pointer (&id);
    }
  if (relay_json_read_count (node, &whole))
    return g_strdup_printf ("%" PRId64, whole);
  return NULL;
}

char *
relay_json_cap (char *text, guint max_chars)
{
  const char *cut;
  GString *capped;

  g_return_val_if_fail (max_chars > 0, text);

  if (text == NULL)
    return NULL;
  /* Walk at most max_chars + 1 characters: never the whole of a long text. */
  cut = text;
  for (guint n = 0; n < max_chars; n++)
    {
      if (*cut == '\0')
        return text;
      cut = g_utf8_next_char (cut);
    }
  if (*cut == '\0')
    return text;
  cut = g_utf8_offset_to_pointer (text, max_chars - 1);
  capped = g_string_new_len (text, cut - text);
  g_free (text);
  /* A cut may leave a space before the mark. */
  while (capped->len > 0 && g_ascii_isspace (capped->str[capped->len - 1]))
    g_string_truncate (capped, capped->len - 1);
  g_string_append (capped, "…");
  return g_string_free (capped, FALSE);
}

char *
relay_json_dup_text (JsonNode *node, guint max_chars)
{
  if (relay_json_is_blank (node))
    return NULL;
  if (is_value_of (node, G_TYPE_STRING))
    {
      char *text = g_utf8_make_valid (json_node_get_string (node), -1);

      return relay_json_cap (g_strstrip (text), max_chars);
    }
  if (is_value_of (node, G_TYPE_INT64))
    return g_strdup_printf ("%" PRId64, json_node_get_int (node));
  if (is_value_of (node, G_TYPE_DOUBLE))
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      return g_strdup (g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
    }
  return NULL;
}

char *
relay_json_dup_currency (JsonNode *node)
{
  const char *text;
  gsize start;
  gsize len;

  if (!is_value_of (node, G_TYPE_STRING))
    return NULL;
  text = json_node_get_string (node);
  for (start = 0; g_ascii_isspace (text[start]); start++)
    ;
  for (len = 0; g_ascii_isalnum (text[start + len]); len++)
    {
      if (len == 8)
        return NULL;
    }
  if (len < 2)
    return NULL;
  for (const char *p = text + start + len; *p != '\0'; p++)
    {
      if (!g_ascii_isspace (*p))
        return NULL;
    }
  return g_strndup (text + start, len);
}

char *
relay_json_clean_words (const char *words, gssize length)
{
  g_autofree char *valid = NULL;
  GString *out;
  guint n_chars = 0;
  gboolean pending_space = FALSE;

  if (words == NULL)
    return g_strdup ("");
  valid = g_utf8_make_valid (words, length);
  out = g_string_new (NULL);
  /* One character more than the cap tells a text that must be cut. */
  for (const char *p = valid; *p != '\0' && n_chars <= RELAY_PROVIDER_WORDS_MAX;
       p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        {
          pending_space = out->len > 0;
          continue;
        }
      if (g_unichar_iscntrl (c))
        continue;
      if (pending_space)
        {
          g_string_append_c (out, ' ');
          n_chars++;
          pending_space = FALSE;
          if (n_chars > RELAY_PROVIDER_WORDS_MAX)
            break;
        }
      g_string_append_unichar (out, c);
      n_chars++;
    }
  return relay_json_cap (g_string_free (out, FALSE), RELAY_PROVIDER_WORDS_MAX);
}

static char *
words_or_no_reason (const char *words)
{
  g_autofree char *clean = relay_json_clean_words (words, -1);

  if (*clean == '\0')
    return g_strdup (_("provider refused the request without giving a reason"));
  return g_steal_pointer (&clean);
}

char *
relay_json_dup_error (JsonNode *node)
{
  JsonObject *object;
  JsonNode *error;
  JsonNode *message;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  object = json_node_get_object (node);
  error = relay_json_member (object, "error");
  if (relay_json_is_blank (error))
    return NULL;

  message = relay_json_member (object, "message");
  if (is_value_of (error, G_TYPE_STRING))
    return words_or_no_reason (json_node_get_string (error));
  if (JSON_NODE_HOLDS_OBJECT (error))
    {
      JsonObject *inner = json_node_get_object (error);
      JsonNode *words = relay_json_member (inner, "message");

      if (!is_value_of (words, G_TYPE_STRING))
        words = relay_json_member (inner, "error");
      if (is_value_of (words, G_TYPE_STRING))
        return words_or_no_reason (json_node_get_string (words));
      return words_or_no_reason (NULL);
    }
  /* {"error": 1, "message": "…"} and {"error": true}; {"error": false} and
   * {"error": 0} are a panel saying there was no error. */
  if (!relay_json_read_bool (error, TRUE))
    return NULL;
  if (is_value_of (message, G_TYPE_STRING))
    return words_or_no_reason (json_node_get_string (message));
  return words_or_no_reason (NULL);
}
