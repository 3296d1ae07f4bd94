/* SPDX-License-Identifier: GPL-3.0-or-later */
/* smm-relay-cli output: aligned tables for people, JSON and CSV for scripts, and orders in each. */
#include <inttypes.h>
#include "config.h"

#include "relay-cli-private.h"

#include <stdio.h>
#include <string.h>

#define COLUMN_GAP "  "

struct _RelayCliTable
{
  GPtrArray *headings;  /* char* */
  GPtrArray *rows;      /* GStrv, one cell per heading */
  GArray    *right;     /* gboolean per column */
  gboolean   hide_headings;
};

RelayCliTable *
relay_cli_table_new (const char *first_heading, ...)
{
  RelayCliTable *table = g_new0 (RelayCliTable, 1);
  const char *heading;
  va_list args;

  table->headings = g_ptr_array_new_with_free_func (g_free);
  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  table->right = g_array_new (FALSE, TRUE, sizeof (gboolean));
  va_start (args, first_heading);
  for (heading = first_heading; heading != NULL; heading = va_arg (args, const char *))
    g_ptr_array_add (table->headings, g_strdup (heading));
  va_end (args);
  g_array_set_size (table->right, table->headings->len);
  return table;
}

void
relay_cli_table_align_right (RelayCliTable *table, guint column)
{
  g_return_if_fail (column < table->right->len);
  g_array_index (table->right, gboolean, column) = TRUE;
}

void
relay_cli_table_hide_headings (RelayCliTable *table)
{
  table->hide_headings = TRUE;
}

void
relay_cli_table_add_strv (RelayCliTable *table, const char * const *cells)
{
  char **row = g_new0 (char *, table->headings->len + 1);

  for (guint i = 0; i < table->headings->len; i++)
    row[i] = relay_cli_escape_controls (cells[i] ? cells[i] : "");
  g_ptr_array_add (table->rows, row);
}

void
relay_cli_table_add (RelayCliTable *table, ...)
{
  g_autofree const char **cells = g_new0 (const char *, table->headings->len + 1);
  va_list args;

  va_start (args, table);
  for (guint i = 0; i < table->headings->len; i++)
    cells[i] = va_arg (args, const char *);
  va_end (args);
  relay_cli_table_add_strv (table, cells);
}

/* ---- control characters ---- */

/* The length of the control character at @p (a C0 byte other than a line
 * break or a tab, DEL, or a C1 character: U+0080–U+009F), else 0. */
static guint
control_length (const char *p)
{
  guchar c = (guchar) p[0];

  if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
    return 1;
  if (c == 0xc2 && (guchar) p[1] >= 0x80 && (guchar) p[1] <= 0x9f)
    return 2;
  return 0;
}

static void
append_escaped (GString *out, const char *p, guint length)
{
  if (length == 1)
    g_string_append_printf (out, "\\x%02x", (guchar) p[0]);
  else
    g_string_append_printf (out, "\\u%04x", (guint) (guchar) p[1]);
}

char *
relay_cli_escape_controls (const char *text)
{
  GString *out;

  if (relay_cli_find_control (text) == NULL)
    return g_strdup (text);
  out = g_string_sized_new (strlen (text) + 16);
  for (const char *p = text; *p != '\0';)
    {
      guint length = control_length (p);

      if (length > 0)
        append_escaped (out, p, length);
      else
        g_string_append_c (out, *p);
      p += length > 0 ? length : 1;
    }
  return g_string_free (out, FALSE);
}

const char *
relay_cli_find_control (const char *text)
{
  for (const char *p = text; p != NULL && *p != '\0'; p++)
    if (control_length (p) > 0)
      return p;
  return NULL;
}

/* Cells keep to one line: line breaks and tabs become spaces. */
static char *
one_line (const char *text)
{
  char *copy = g_strdup (text);

  for (char *p = copy; *p != '\0'; p++)
    if (*p == '\n' || *p == '\r' || *p == '\t')
      *p = ' ';
  return copy;
}

static void
append_cell (GString *line, const char *text, guint width, gboolean right, gboolean last)
{
  g_autofree char *cell = one_line (text);
  guint len = (guint) g_utf8_strlen (cell, -1);
  guint pad = width > len ? width - len : 0;

  if (right)
    {
      for (guint i = 0; i < pad; i++)
        g_string_append_c (line, ' ');
      g_string_append (line, cell);
    }
  else
    {
      g_string_append (line, cell);
      if (!last)
        for (guint i = 0; i < pad; i++)
          g_string_append_c (line, ' ');
    }
  if (!last)
    g_string_append (line, COLUMN_GAP);
}

void
relay_cli_table_print (RelayCliTable *table)
{
  guint n_columns = table->headings->len;
  g_autofree guint *widths = g_new0 (guint, n_columns);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint c = 0; c < n_columns && !table->hide_headings; c++)
    widths[c] = (guint) g_utf8_strlen (g_ptr_array_index (table->headings, c), -1);
  for (guint r = 0; r < table->rows->len; r++)
    {
      char **row = g_ptr_array_index (table->rows, r);
      for (guint c = 0; c < n_columns; c++)
        widths[c] = MAX (widths[c], (guint) g_utf8_strlen (row[c], -1));
    }

  if (!table->hide_headings)
    {
      for (guint c = 0; c < n_columns; c++)
        append_cell (out, g_ptr_array_index (table->headings, c), widths[c],
                     g_array_index (table->right, gboolean, c), c + 1 == n_columns);
      g_string_append_c (out, '\n');
    }
  for (guint r = 0; r < table->rows->len; r++)
    {
      char **row = g_ptr_array_index (table->rows, r);
      for (guint c = 0; c < n_columns; c++)
        append_cell (out, row[c], widths[c], g_array_index (table->right, gboolean, c),
                     c + 1 == n_columns);
      /* No trailing blanks when the last cells are empty. */
      while (out->len > 0 && out->str[out->len - 1] == ' ')
        g_string_truncate (out, out->len - 1);
      g_string_append_c (out, '\n');
    }
  g_print ("%s", out->str);
}

void
relay_cli_table_free (RelayCliTable *table)
{
  if (table == NULL)
    return;
  g_ptr_array_unref (table->headings);
  g_ptr_array_unref (table->rows);
  g_array_unref (table->right);
  g_free (table);
}

char *
relay_cli_shorten (const char *text, guint max)
{
  g_autoptr(GString) out = NULL;
  const char *end;

  if (text == NULL)
    return g_strdup ("");
  if (max < 2 || (guint) g_utf8_strlen (text, -1) <= max)
    return g_strdup (text);
  end = g_utf8_offset_to_pointer (text, max - 1);
  out = g_string_new_len (text, end - text);
  g_string_append (out, "…");
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
relay_cli_format_utc (gint64 unix_time)
{
  g_autoptr(GDateTime) time = NULL;

  if (unix_time == 0)
    return g_strdup ("");
  time = g_date_time_new_from_unix_utc (unix_time);
  return time ? g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ") : g_strdup ("");
}

static char *
format_local (gint64 unix_time, const char *format)
{
  g_autoptr(GDateTime) time = NULL;

  if (unix_time == 0)
    return g_strdup ("");
  time = g_date_time_new_from_unix_local (unix_time);
  return time ? g_date_time_format (time, format) : g_strdup ("");
}

char *
relay_cli_format_local (gint64 unix_time)
{
  /* The same formats as the window's (relay-format.c): day first in ru. */
  return format_local (unix_time, C_("day and minute", "%Y-%m-%d %H:%M"));
}

char *
relay_cli_format_local_seconds (gint64 unix_time)
{
  return format_local (unix_time, C_("date and time", "%Y-%m-%d %H:%M:%S"));
}

/* ---- JSON ---- */

void
relay_cli_print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *data = NULL;
  gsize length = 0;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, node);
  data = json_generator_to_data (generator, &length);
  fwrite (data, 1, length, stdout);
  fputc ('\n', stdout);
  fflush (stdout);
}

void
relay_cli_json_string (JsonBuilder *builder, const char *name, const char *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

void
relay_cli_json_int (JsonBuilder *builder, const char *name, gboolean has_value, gint64 value)
{
  json_builder_set_member_name (builder, name);
  if (has_value)
    json_builder_add_int_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

void
relay_cli_json_money (JsonBuilder *builder, const char *name, gboolean has_value, gint64 micro)
{
  g_autofree char *text = has_value ? relay_money_format (micro) : NULL;

  relay_cli_json_string (builder, name, text);
}

void
relay_cli_json_time (JsonBuilder *builder, const char *name, gint64 unix_time)
{
  g_autofree char *text = unix_time != 0 ? relay_cli_format_utc (unix_time) : NULL;

  relay_cli_json_string (builder, name, text);
}

/* ---- CSV ---- */

void
relay_cli_csv_row (const char * const *fields, guint n_fields)
{
  g_autoptr(GString) line = g_string_new (NULL);

  for (guint i = 0; i < n_fields; i++)
    {
      if (i > 0)
        g_string_append_c (line, ',');
      relay_csv_append_field (line, fields[i]);
    }
  g_string_append (line, "\r\n");
  fwrite (line->str, 1, line->len, stdout);
}

/* ---- orders ---- */

typedef enum
{
  FIELD_STRING,
  FIELD_NUMBER,   /* text is a whole number */
} FieldKind;

typedef struct
{
  const char *name;
  FieldKind   kind;
  char       *text;   /* NULL = null */
} Field;

#define N_ORDER_FIELDS 20

static char *
int_text (gboolean has_value, gint64 value)
{
  return has_value ? g_strdup_printf ("%" PRId64, value) : NULL;
}

static char *
money_text (gboolean has_value, gint64 micro)
{
  return has_value ? relay_money_format (micro) : NULL;
}

static char *
time_text (gint64 unix_time)
{
  return unix_time != 0 ? relay_cli_format_utc (unix_time) : NULL;
}

/* The columns of `orders --json` and `orders --csv`, in order. */
static void
order_fields (const RelayOrderRow *o, Field fields[N_ORDER_FIELDS])
{
  /* The cost is recorded when the order is handed to its provider. */
  gboolean has_cost = o->cost != 0 || o->sent_at != 0;
  Field all[N_ORDER_FIELDS] = {
    { "id", FIELD_NUMBER, int_text (TRUE, o->id) },
    { "service", FIELD_NUMBER, int_text (TRUE, o->service_id) },
    { "service_name", FIELD_STRING, g_strdup (o->service_name) },
    { "link", FIELD_STRING, g_strdup (o->link) },
    { "quantity", FIELD_NUMBER, int_text (TRUE, o->quantity) },
    { "status", FIELD_STRING, g_strdup (relay_order_status_to_string (o->status)) },
    { "provider_status", FIELD_STRING, g_strdup (o->provider_status) },
    { "provider", FIELD_STRING, g_strdup (o->provider_name) },
    { "provider_order_id", FIELD_STRING, g_strdup (o->provider_order_id) },
    { "start_count", FIELD_NUMBER, int_text (o->has_start_count, o->start_count) },
    { "remains", FIELD_NUMBER, int_text (o->has_remains, o->remains) },
    { "charge", FIELD_STRING, money_text (o->has_charge, o->charge) },
    { "cost", FIELD_STRING, money_text (has_cost, o->cost) },
    { "price", FIELD_STRING, money_text (TRUE, o->price) },
    { "refunded", FIELD_STRING, money_text (TRUE, o->refunded) },
    { "currency", FIELD_STRING, g_strdup (o->currency) },
    { "client", FIELD_STRING, g_strdup (o->client_name) },
    { "error", FIELD_STRING, g_strdup (o->error) },
    { "created_at", FIELD_STRING, time_text (o->created_at) },
    { "updated_at", FIELD_STRING, time_text (o->updated_at) },
  };

  memcpy (fields, all, sizeof all);
}

static void
clear_fields (Field fields[N_ORDER_FIELDS])
{
  for (guint i = 0; i < N_ORDER_FIELDS; i++)
    g_clear_pointer (&fields[i].text, g_free);
}

void
relay_cli_order_to_json (JsonBuilder *builder, const RelayOrderRow *o)
{
  Field fields[N_ORDER_FIELDS];

  order_fields (o, fields);
  for (guint i = 0; i < N_ORDER_FIELDS; i++)
    {
      if (fields[i].kind == FIELD_NUMBER && fields[i].text != NULL)
        {
          json_builder_set_member_name (builder, fields[i].name);
          json_builder_add_int_value (builder, g_ascii_strtoll (fields[i].text, NULL, 10));
        }
      else
        relay_cli_json_string (builder, fields[i].name, fields[i].text);
    }
  clear_fields (fields);

  relay_cli_json_string (builder, "review_reason", o->review_reason);
  relay_cli_json_string (builder, "provider_service_id", o->provider_service_id);
  relay_cli_json_int (builder, "runs", o->runs != 0, o->runs);
  relay_cli_json_int (builder, "interval", o->runs != 0, o->interval);
  relay_cli_json_time (builder, "scheduled_at", o->scheduled_at);
  relay_cli_json_time (builder, "sent_at", o->sent_at);
  json_builder_set_member_name (builder, "attempts");
  json_builder_add_int_value (builder, o->attempts);
  json_builder_set_member_name (builder, "can_refill");
  json_builder_add_boolean_value (builder, o->can_refill);
  json_builder_set_member_name (builder, "can_cancel");
  json_builder_add_boolean_value (builder, o->can_cancel);
  json_builder_set_member_name (builder, "extra");
  {
    g_autoptr(JsonNode) extra = o->extra_json ? json_from_string (o->extra_json, NULL) : NULL;

    if (extra != NULL)
      json_builder_add_value (builder, g_steal_pointer (&extra));
    else
      json_builder_add_null_value (builder);
  }
}

void
relay_cli_orders_csv_header (void)
{
  Field fields[N_ORDER_FIELDS];
  const char *names[N_ORDER_FIELDS];
  RelayOrderRow empty = { 0 };

  order_fields (&empty, fields);
  for (guint i = 0; i < N_ORDER_FIELDS; i++)
    names[i] = fields[i].name;
  relay_cli_csv_row (names, N_ORDER_FIELDS);
  clear_fields (fields);
}

void
relay_cli_order_to_csv (const RelayOrderRow *o)
{
  Field fields[N_ORDER_FIELDS];
  const char *texts[N_ORDER_FIELDS];

  order_fields (o, fields);
  for (guint i = 0; i < N_ORDER_FIELDS; i++)
    texts[i] = fields[i].text;
  relay_cli_csv_row (texts, N_ORDER_FIELDS);
  clear_fields (fields);
}

char *
relay_cli_dup_order_reason (RelayStore *store, const RelayOrderRow *o)
{
  g_autoptr(GPtrArray) events = NULL;

  if (o->error != NULL)
    return g_strdup (o->error);
  if (store != NULL)
    events = relay_store_list_order_events (store, o->id, NULL);
  if (events != NULL && events->len > 0)
    {
      RelayOrderEvent *last = g_ptr_array_index (events, events->len - 1);

      if (last->detail != NULL)
        return g_strdup (last->detail);
    }
  return g_strdup (_("no reason given"));
}

gboolean
relay_cli_print_order_outcome (RelayStore *store, const RelayOrderRow *o)
{
  g_autofree char *when = NULL;
  g_autofree char *reason = NULL;

  switch (o->status)
    {
    case RELAY_ORDER_SCHEDULED:
      when = relay_cli_format_local (o->scheduled_at);
      g_print (_("order %" PRId64 ": scheduled for %s\n"), o->id, when);
      return TRUE;

    case RELAY_ORDER_QUEUED:
      if (o->attempts == 0 && o->error == NULL)
        {
          g_print (_("order %" PRId64 ": queued\n"), o->id);
          return TRUE;
        }
      reason = relay_cli_dup_order_reason (store, o);
      /* Due now (waiting for funds, or for a key on this computer): it goes
       * when that changes. */
      if (o->next_attempt_at <= g_get_real_time () / G_USEC_PER_SEC)
        {
          g_print (_("order %" PRId64 ": not sent yet: %s\n"), o->id, reason);
          return FALSE;
        }
      /* The request provably never left; a later “dispatch” tries again. */
      when = relay_cli_format_local_seconds (o->next_attempt_at);
      g_print (_("order %" PRId64 ": not sent yet: %s (“dispatch” tries again from %s)\n"),
               o->id, reason, when);
      return FALSE;

    case RELAY_ORDER_SENDING:
      g_print (_("order %" PRId64 ": being sent\n"), o->id);
      return FALSE;

    case RELAY_ORDER_FAILED:
      g_print (_("order %" PRId64 ": failed: %s\n"), o->id,
               o->error ? o->error : _("no reason given"));
      return FALSE;

    case RELAY_ORDER_NEEDS_REVIEW:
      if (g_strcmp0 (o->review_reason, RELAY_REVIEW_AWAITING_APPROVAL) == 0)
        {
          g_print (_("order %" PRId64 ": awaiting approval (see “review approve”)\n"),
                   o->id);
          return TRUE;
        }
      g_print (_("order %" PRId64 ": needs review: %s\n"), o->id,
               o->review_reason ? o->review_reason : (o->error ? o->error : _("no reason given")));
      return FALSE;

    case RELAY_ORDER_PENDING:
      g_print (_("order %" PRId64 ": sent to %s as %s\n"), o->id,
               o->provider_name ? o->provider_name : "?",
               o->provider_order_id ? o->provider_order_id : "?");
      return TRUE;

    case RELAY_ORDER_PROCESSING:
    case RELAY_ORDER_IN_PROGRESS:
    case RELAY_ORDER_COMPLETED:
    case RELAY_ORDER_PARTIAL:
    case RELAY_ORDER_CANCELED:
    case RELAY_ORDER_N_STATUSES:
    default:
      g_print (_("order %" PRId64 ": sent to %s as %s (now %s)\n"), o->id,
               o->provider_name ? o->provider_name : "?",
               o->provider_order_id ? o->provider_order_id : "?",
               relay_order_status_get_label (o->status));
      return TRUE;
    }
}
