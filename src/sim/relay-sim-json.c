/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The simulator's JSON writer: numbers as strings or numbers, money exactly. */
#include <inttypes.h>
#include "relay-sim-private.h"
#include "relay-money.h"

void
relay_sim_json_init (RelaySimJson    *json,
                     RelaySimNumbers  numbers,
                     GRand           *rand)
{
  json->str = g_string_sized_new (256);
  json->numbers = numbers;
  json->rand = rand;
  json->depth = 0;
  json->has_items = 0;
  json->after_key = FALSE;
}

char *
relay_sim_json_steal (RelaySimJson *json)
{
  return g_string_free (g_steal_pointer (&json->str), FALSE);
}

void
relay_sim_json_clear (RelaySimJson *json)
{
  if (json->str != NULL)
    g_string_free (g_steal_pointer (&json->str), TRUE);
}

/* Writes the comma a new value or key needs, unless it follows a key. */
static void
begin_item (RelaySimJson *json)
{
  guint64 bit = G_GUINT64_CONSTANT (1) << MIN (json->depth, 63);

  if (json->after_key)
    {
      json->after_key = FALSE;
      return;
    }
  if (json->has_items & bit)
    g_string_append_c (json->str, ',');
  json->has_items |= bit;
}

static void
open_level (RelaySimJson *json,
            char          c)
{
  begin_item (json);
  g_string_append_c (json->str, c);
  json->depth++;
  json->has_items &= ~(G_GUINT64_CONSTANT (1) << MIN (json->depth, 63));
}

static void
close_level (RelaySimJson *json,
             char          c)
{
  g_return_if_fail (json->depth > 0);
  json->depth--;
  g_string_append_c (json->str, c);
}

void
relay_sim_json_begin_object (RelaySimJson *json)
{
  open_level (json, '{');
}

void
relay_sim_json_end_object (RelaySimJson *json)
{
  close_level (json, '}');
}

void
relay_sim_json_begin_array (RelaySimJson *json)
{
  open_level (json, '[');
}

void
relay_sim_json_end_array (RelaySimJson *json)
{
  close_level (json, ']');
}

static void
append_quoted (GString    *str,
               const char *text)
{
  g_string_append_c (str, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"':
          g_string_append (str, "\\\"");
          break;
        case '\\':
          g_string_append (str, "\\\\");
          break;
        case '\n':
          g_string_append (str, "\\n");
          break;
        case '\r':
          g_string_append (str, "\\r");
          break;
        case '\t':
          g_string_append (str, "\\t");
          break;
        case '/':
          /* PHP's json_encode escapes slashes; so do the panels. */
          g_string_append (str, "\\/");
          break;
        default:
          if (c < 0x20)
            g_string_append_printf (str, "\\u%04x", c);
          else
            g_string_append_c (str, (char) c);
        }
    }
  g_string_append_c (str, '"');
}

void
relay_sim_json_key (RelaySimJson *json,
                    const char   *key)
{
  begin_item (json);
  append_quoted (json->str, key);
  g_string_append_c (json->str, ':');
  json->after_key = TRUE;
}

void
relay_sim_json_string (RelaySimJson *json,
                       const char   *value)
{
  begin_item (json);
  append_quoted (json->str, value != NULL ? value : "");
}

static gboolean
as_string (RelaySimJson *json)
{
  switch (json->numbers)
    {
    case RELAY_SIM_NUMBERS_STRINGS:
      return TRUE;
    case RELAY_SIM_NUMBERS_NUMBERS:
      return FALSE;
    case RELAY_SIM_NUMBERS_MIXED:
    default:
      return json->rand != NULL ? g_rand_boolean (json->rand) : TRUE;
    }
}

void
relay_sim_json_int (RelaySimJson *json,
                    gint64        value)
{
  begin_item (json);
  if (as_string (json))
    g_string_append_printf (json->str, "\"%" PRId64 "\"", value);
  else
    g_string_append_printf (json->str, "%" PRId64, value);
}

void
relay_sim_json_int_number (RelaySimJson *json,
                           gint64        value)
{
  begin_item (json);
  g_string_append_printf (json->str, "%" PRId64, value);
}

void
relay_sim_json_decimal_text (RelaySimJson *json,
                             const char   *text)
{
  begin_item (json);
  if (json->numbers == RELAY_SIM_NUMBERS_NUMBERS)
    g_string_append (json->str, text);
  else
    append_quoted (json->str, text);
}

void
relay_sim_json_money (RelaySimJson *json,
                      gint64        micro)
{
  g_autofree char *text = relay_money_format (micro);

  begin_item (json);
  if (as_string (json))
    append_quoted (json->str, text);
  else
    g_string_append (json->str, text);
}

void
relay_sim_json_boolean (RelaySimJson *json,
                        gboolean      value)
{
  begin_item (json);
  g_string_append (json->str, value ? "true" : "false");
}

void
relay_sim_json_null (RelaySimJson *json)
{
  begin_item (json);
  g_string_append (json->str, "null");
}

char *
relay_sim_json_error (const char *message)
{
  RelaySimJson json;

  relay_sim_json_init (&json, RELAY_SIM_NUMBERS_STRINGS, NULL);
  relay_sim_json_begin_object (&json);
  relay_sim_json_key (&json, "error");
  relay_sim_json_string (&json, message);
  relay_sim_json_end_object (&json);
  return relay_sim_json_steal (&json);
}
