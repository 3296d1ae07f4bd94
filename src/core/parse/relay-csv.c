/* SPDX-License-Identifier: GPL-3.0-or-later */
/* CSV files of orders: an RFC 4180 reader, the header of a panel's export, and
 * the mass-order lines made from each record. */
#include "relay-csv.h"

#include <string.h>
#include <glib/gi18n-lib.h>

/* The most drip-feed runs / minutes a field may say before it is a typo; the
 * order rules then apply their own, tighter limits. */
#define MAX_DRIP_NUMBER G_GINT64_CONSTANT (1000000000)
/* The most fields a record may have: an order needs six, a panel's export a
 * few more; past this a record is an error and its extra fields are dropped. */
#define MAX_FIELDS 256

G_DEFINE_QUARK (relay-csv-error-quark, relay_csv_error)

typedef enum
{
  COL_SERVICE,
  COL_LINK,
  COL_QUANTITY,
  COL_CLIENT,
  COL_RUNS,
  COL_INTERVAL,
  N_COLS
} Column;

/* Header names, compared after keeping only letters and digits in lower case
 * ("Service ID" -> "serviceid", "Interval (min)" -> "intervalmin"). */
static const struct
{
  const char *name;
  Column      column;
} header_names[] = {
  { "service", COL_SERVICE }, { "serviceid", COL_SERVICE }, { "services", COL_SERVICE },
  { "link", COL_LINK }, { "url", COL_LINK }, { "targetlink", COL_LINK },
  { "quantity", COL_QUANTITY }, { "qty", COL_QUANTITY }, { "quantities", COL_QUANTITY },
  { "client", COL_CLIENT }, { "clientname", COL_CLIENT }, { "customer", COL_CLIENT },
  { "runs", COL_RUNS }, { "dripfeedruns", COL_RUNS },
  { "interval", COL_INTERVAL }, { "intervalmin", COL_INTERVAL },
  { "intervalminutes", COL_INTERVAL }, { "dripfeedinterval", COL_INTERVAL },
};

void
relay_csv_record_free (RelayCsvRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->text);
  g_clear_pointer (&record->fields, g_ptr_array_unref);
  g_free (record->error);
  g_free (record);
}

static gsize
skip_bom (const char *text, gsize len)
{
  return len >= 3 && memcmp (text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

char
relay_csv_guess_separator (const char *text, gssize len)
{
  gsize n = len < 0 ? strlen (text) : (gsize) len;
  gsize commas = 0, semicolons = 0;
  gboolean quoted = FALSE;

  for (gsize i = skip_bom (text, n); i < n; i++)
    {
      char c = text[i];

      if (c == '"')
        quoted = !quoted;
      else if (!quoted && (c == '\n' || c == '\r'))
        break;
      else if (!quoted && c == ',')
        commas++;
      else if (!quoted && c == ';')
        semicolons++;
    }
  return semicolons > commas ? ';' : ',';
}

static gboolean
is_blank_record (const char *start, gsize len)
{
  for (gsize i = 0; i < len; i++)
    if (start[i] != ' ' && start[i] != '\t')
      return FALSE;
  return TRUE;
}

static char *
valid_text (const char *start, gsize len)
{
  return g_utf8_validate (start, len, NULL) ? g_strndup (start, len)
                                            : g_utf8_make_valid (start, len);
}

/* Where the valid UTF-8 from @from on ends in @text (@n bytes): the first
 * byte that is not (a NUL byte is not, in a CSV file), or @n. */
static gsize
first_invalid (const char *text, gsize from, gsize n)
{
  const char *valid;

  if (from >= n || g_utf8_validate_len (text + from, n - from, &valid))
    return n;
  return valid - text;
}

/* The error of the record from @start whose first byte that is not UTF-8 is
 * at @bad (its line number, when not the record's first, and column). */
static char *
invalid_record_error (const char *text, gsize start, gsize bad, guint line_no)
{
  gsize line_start = start;
  guint later = 0;

  for (gsize k = start; k < bad; k++)
    if (text[k] == '\n' || (text[k] == '\r' && text[k + 1] != '\n'))
      {
        later++;
        line_start = k + 1;
      }
  return relay_mass_invalid_utf8_error (text + line_start, text + bad,
                                        later > 0 ? line_no + later : 0);
}

GPtrArray *
relay_csv_read (const char *text, gssize len, char separator)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_csv_record_free);
  gsize n, i, bad;
  guint line_no = 1;

  if (text == NULL)
    return records;
  n = len < 0 ? strlen (text) : (gsize) len;
  i = skip_bom (text, n);
  /* The text is checked once; a record is looked at again only when it
   * holds a byte that is not UTF-8 (such a record is an error on its line). */
  bad = first_invalid (text, i, n);

  while (i < n)
    {
      g_autoptr(RelayCsvRecord) record = g_new0 (RelayCsvRecord, 1);
      g_autoptr(GString) field = g_string_new (NULL);
      gsize start = i;
      gsize end;
      gboolean done = FALSE;

      record->line_no = line_no;
      record->fields = g_ptr_array_new_with_free_func (g_free);

      /* One field per turn; i is at its first byte. */
      while (!done)
        {
          g_string_truncate (field, 0);
          if (i < n && text[i] == '"')
            {
              gboolean closed = FALSE;

              for (i++; i < n; i++)
                {
                  if (text[i] == '"')
                    {
                      if (i + 1 < n && text[i + 1] == '"')
                        {
                          g_string_append_c (field, '"');
                          i++;
                          continue;
                        }
                      closed = TRUE;
                      i++;
                      break;
                    }
                  if (text[i] == '\n' || (text[i] == '\r' && !(i + 1 < n && text[i + 1] == '\n')))
                    line_no++;
                  if (field->len <= RELAY_CSV_MAX_FIELD)
                    g_string_append_c (field, text[i]);
                }
              if (!closed && record->error == NULL)
                record->error = g_strdup (_("a quoted field is not closed"));
              /* Only blanks may follow the closing quote before the separator. */
              while (i < n && (text[i] == ' ' || text[i] == '\t'))
                i++;
              if (i < n && text[i] != separator && text[i] != '\n' && text[i] != '\r' &&
                  record->error == NULL)
                record->error = g_strdup (_("text after the closing quote of a field "
                                            "(write a quote inside a field as \"\")"));
              while (i < n && text[i] != separator && text[i] != '\n' && text[i] != '\r')
                i++;
            }
          else
            {
              gsize field_start = i;

              while (i < n && text[i] != separator && text[i] != '\n' && text[i] != '\r')
                i++;
              g_string_append_len (field, text + field_start,
                                   MIN (i - field_start, (gsize) RELAY_CSV_MAX_FIELD + 1));
            }

          if (field->len > RELAY_CSV_MAX_FIELD && record->error == NULL)
            record->error = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                          "field %u is longer than %u character",
                                                          "field %u is longer than %u characters",
                                                          RELAY_CSV_MAX_FIELD),
                                             record->fields->len + 1, RELAY_CSV_MAX_FIELD);
          if (record->fields->len < MAX_FIELDS)
            g_ptr_array_add (record->fields, valid_text (field->str, field->len));
          else if (record->error == NULL)
            record->error = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "more than %u field",
                                                          "more than %u fields", MAX_FIELDS),
                                             MAX_FIELDS);

          if (i < n && text[i] == separator)
            i++;
          else
            done = TRUE;
        }

      end = i;
      if (i < n && text[i] == '\r' && i + 1 < n && text[i + 1] == '\n')
        i += 2;
      else if (i < n)
        i++;

      if (bad < end)
        {
          if (record->error == NULL)
            record->error = invalid_record_error (text, start, bad, record->line_no);
          bad = first_invalid (text, i, n);
        }
      line_no++;

      if (record->error == NULL && is_blank_record (text + start, end - start))
        continue;
      record->text = valid_text (text + start, MIN (end - start, (gsize) 4 * RELAY_CSV_MAX_FIELD));
      g_ptr_array_add (records, g_steal_pointer (&record));
    }
  return records;
}

/* Letters and digits of @name in lower case. */
static char *
header_key (const char *name)
{
  GString *key = g_string_new (NULL);

  for (const char *p = name; *p != '\0'; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (key, g_ascii_tolower (*p));
  return g_string_free (key, FALSE);
}

static gboolean
header_column (const char *name, Column *out)
{
  g_autofree char *key = header_key (name);

  for (guint i = 0; i < G_N_ELEMENTS (header_names); i++)
    if (strcmp (key, header_names[i].name) == 0)
      {
        *out = header_names[i].column;
        return TRUE;
      }
  return FALSE;
}

/* Whether @record is a header: one of its fields names the service, link or
 * quantity column. */
static gboolean
record_is_header (const RelayCsvRecord *record)
{
  for (guint i = 0; i < record->fields->len; i++)
    {
      Column column;

      if (header_column (g_ptr_array_index (record->fields, i), &column) &&
          column <= COL_QUANTITY)
        return TRUE;
    }
  return FALSE;
}

static gboolean
read_header (const RelayCsvRecord *record, int *index, GError **error)
{
  static const char * const names[] = { "service", "link", "quantity", "client", "runs",
                                        "interval" };

  for (guint c = 0; c < N_COLS; c++)
    index[c] = -1;
  for (guint i = 0; i < record->fields->len; i++)
    {
      const char *name = g_ptr_array_index (record->fields, i);
      Column column;

      if (!header_column (name, &column))
        continue;   /* a column of the panel's own, such as the charge */
      if (index[column] >= 0)
        {
          g_set_error (error, RELAY_CSV_ERROR, RELAY_CSV_ERROR_HEADER,
                       _("line %u: the header names the %s column twice"), record->line_no,
                       names[column]);
          return FALSE;
        }
      index[column] = i;
    }
  for (guint c = COL_SERVICE; c <= COL_QUANTITY; c++)
    if (index[c] < 0)
      {
        g_set_error (error, RELAY_CSV_ERROR, RELAY_CSV_ERROR_HEADER,
                     _("line %u: the header has no %s column (it needs service, link and "
                       "quantity; client, runs and interval are optional)"),
                     record->line_no, names[c]);
        return FALSE;
      }
  return TRUE;
}

static const char *
field_at (const RelayCsvRecord *record, int index)
{
  if (index < 0 || (guint) index >= record->fields->len)
    return "";
  return g_ptr_array_index (record->fields, index);
}

/* An optional drip-feed number: empty = 0. */
static gboolean
parse_drip (const char *text, gint64 *out)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  guint64 value = 0;

  if (*copy == '\0')
    {
      *out = 0;
      return TRUE;
    }
  for (const char *p = copy; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  if (!g_ascii_string_to_unsigned (copy, 10, 0, MAX_DRIP_NUMBER, &value, NULL))
    return FALSE;
  *out = (gint64) value;
  return TRUE;
}

static RelayMassLine *
line_from_record (const RelayCsvRecord *record, const int *index)
{
  const char *service = field_at (record, index[COL_SERVICE]);
  const char *link = field_at (record, index[COL_LINK]);
  const char *quantity = field_at (record, index[COL_QUANTITY]);
  const char *runs = field_at (record, index[COL_RUNS]);
  const char *interval = field_at (record, index[COL_INTERVAL]);
  g_autofree char *client = g_strstrip (g_strdup (field_at (record, index[COL_CLIENT])));
  g_autoptr(GPtrArray) parsed = NULL;
  g_autofree char *joined = NULL;
  RelayMassLine *line;

  if (record->error != NULL)
    {
      line = g_new0 (RelayMassLine, 1);
      line->service = g_strdup ("");
      line->link = g_strdup ("");
      line->error = g_strdup (record->error);
    }
  else if (strpbrk (service, "|\r\n") != NULL || strpbrk (link, "|\r\n") != NULL ||
           strpbrk (quantity, "|\r\n") != NULL)
    {
      line = g_new0 (RelayMassLine, 1);
      line->service = g_strstrip (g_strdup (service));
      line->link = g_strstrip (g_strdup (link));
      line->error = g_strdup (_("the service, link or quantity has a “|” or a line break in it"));
    }
  else
    {
      /* The very rules of a pasted line: the same checks and the same messages. */
      joined = g_strdup_printf ("%s|%s|%s", service, link, quantity);
      parsed = relay_mass_parse (joined);
      if (parsed->len == 1)
        {
          line = g_ptr_array_steal_index (parsed, 0);
        }
      else
        {
          line = g_new0 (RelayMassLine, 1);
          line->service = g_strdup ("");
          line->link = g_strdup ("");
          line->error = g_strdup (_("the service id, the link and the quantity are missing"));
        }
    }

  g_free (line->text);
  line->text = g_strdup (record->text);
  line->line_no = record->line_no;
  line->client = *client != '\0' ? g_steal_pointer (&client) : NULL;
  if (line->error == NULL && !parse_drip (runs, &line->runs))
    line->error = g_strdup_printf (_("runs “%s” is not a whole number"), runs);
  if (line->error == NULL && !parse_drip (interval, &line->interval))
    line->error = g_strdup_printf (_("interval “%s” is not a whole number of minutes"), interval);
  return line;
}

GPtrArray *
relay_csv_parse_mass (const char *text, gssize len, GError **error)
{
  g_autoptr(GPtrArray) records = NULL;
  GPtrArray *lines;
  int index[N_COLS] = { COL_SERVICE, COL_LINK, COL_QUANTITY, COL_CLIENT, COL_RUNS, COL_INTERVAL };
  guint first = 0;

  if (text == NULL)
    text = "";
  records = relay_csv_read (text, len, relay_csv_guess_separator (text, len));
  if (records->len > 0 && record_is_header (g_ptr_array_index (records, 0)))
    {
      if (!read_header (g_ptr_array_index (records, 0), index, error))
        return NULL;
      first = 1;
    }

  lines = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_mass_line_free);
  for (guint i = first; i < records->len; i++)
    {
      RelayCsvRecord *record = g_ptr_array_index (records, i);
      gboolean empty = record->error == NULL;

      /* Spreadsheets end a sheet with rows of bare separators: not orders. */
      for (guint f = 0; empty && f < record->fields->len; f++)
        if (!is_blank_record (g_ptr_array_index (record->fields, f),
                              strlen (g_ptr_array_index (record->fields, f))))
          empty = FALSE;
      if (!empty)
        g_ptr_array_add (lines, line_from_record (record, index));
    }
  return lines;
}

/* "-5", "-0.25", "+3": a number, which a spreadsheet reads as one, not as a formula. */
static gboolean
is_plain_number (const char *text)
{
  const char *p = text;
  gboolean digits = FALSE;

  if (*p == '-' || *p == '+')
    p++;
  for (; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        digits = TRUE;
      else if (*p != '.')
        return FALSE;
    }
  return digits;
}

void
relay_csv_append_field (GString    *out,
                        const char *text)
{
  gboolean quote;

  g_return_if_fail (out != NULL);

  if (text == NULL)
    text = "";
  quote = strpbrk (text, ",\"\r\n") != NULL;
  if (quote)
    g_string_append_c (out, '"');
  if (text[0] != '\0' && strchr ("=+-@\t\r", text[0]) != NULL && !is_plain_number (text))
    g_string_append_c (out, '\'');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  if (quote)
    g_string_append_c (out, '"');
}
