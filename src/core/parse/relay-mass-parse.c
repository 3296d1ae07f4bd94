/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Mass-order text: splitting it into lines and each line into service, link and quantity. */
#include "relay-mass-parse.h"

#include <string.h>
#include <glib/gi18n-lib.h>

/* The most a single line may order; anything above is a typo. */
#define MAX_QUANTITY G_GINT64_CONSTANT (1000000000)
#define MAX_QUANTITY_TEXT "1000000000"
#define MAX_FIELDS 3

typedef struct
{
  const char *start;
  gsize       len;
} Span;

void
relay_mass_line_free (RelayMassLine *line)
{
  if (line == NULL)
    return;
  g_free (line->text);
  g_free (line->service);
  g_free (line->link);
  g_free (line->error);
  g_free (line->client);
  g_free (line);
}

/* Spaces that come with pasted text besides the ASCII ones: no-break, narrow
 * no-break, thin and ideographic spaces, zero-width space and the BOM. */
static const char * const unicode_blanks[] = {
  "\xC2\xA0", "\xE2\x80\xAF", "\xE2\x80\x89", "\xE2\x80\x8B", "\xEF\xBB\xBF",
  "\xE3\x80\x80",
};

/* The length of the blank at @p (0 when there is none); @end bounds the text. */
static inline gsize
blank_at (const char *p, const char *end)
{
  if (p >= end)
    return 0;
  if (*p == ' ' || *p == '\t' || *p == '\v' || *p == '\f')
    return 1;
  if (G_LIKELY ((guchar) *p < 0x80))
    return 0;
  for (guint i = 0; i < G_N_ELEMENTS (unicode_blanks); i++)
    {
      gsize n = strlen (unicode_blanks[i]);

      if ((gsize) (end - p) >= n && memcmp (p, unicode_blanks[i], n) == 0)
        return n;
    }
  return 0;
}

/* The length of the blank that ends at @end (0 when there is none). */
static gsize
blank_before (const char *start, const char *end)
{
  if (end <= start)
    return 0;
  if (blank_at (end - 1, end) == 1)
    return 1;
  for (gsize n = 2; n <= 3 && n <= (gsize) (end - start); n++)
    if (blank_at (end - n, end) == n)
      return n;
  return 0;
}

static Span
trim (const char *start, gsize len)
{
  const char *end = start + len;
  gsize n;

  while ((n = blank_at (start, end)) > 0)
    start += n;
  while ((n = blank_before (start, end)) > 0)
    end -= n;
  return (Span) { start, end - start };
}

static gboolean
span_is_digits (Span s)
{
  if (s.len == 0)
    return FALSE;
  for (gsize i = 0; i < s.len; i++)
    if (!g_ascii_isdigit (s.start[i]))
      return FALSE;
  return TRUE;
}

static gboolean
span_has_blank (Span s)
{
  for (gsize i = 0; i < s.len; i++)
    if (blank_at (s.start + i, s.start + s.len) > 0)
      return TRUE;
  return FALSE;
}

/* Digits only; FALSE when empty, not digits, or above @max. */
static gboolean
span_to_positive (Span s, gint64 max, gint64 *out)
{
  gint64 value = 0;

  if (!span_is_digits (s))
    return FALSE;
  for (gsize i = 0; i < s.len; i++)
    {
      int digit = s.start[i] - '0';

      if (value > (max - digit) / 10)
        return FALSE;
      value = value * 10 + digit;
    }
  *out = value;
  return value > 0;
}

/* Digits with `,` `.` `'` `_` or spaces between them: a thousands separator or a decimal. */
static gboolean
span_is_separated_number (Span s)
{
  if (s.len == 0 || !g_ascii_isdigit (s.start[0]) || !g_ascii_isdigit (s.start[s.len - 1]))
    return FALSE;
  for (gsize i = 0; i < s.len; )
    {
      char c = s.start[i];
      gsize blank = blank_at (s.start + i, s.start + s.len);

      if (blank > 0)
        i += blank;
      else if (g_ascii_isdigit (c) || c == ',' || c == '.' || c == '\'' || c == '_')
        i++;
      else
        return FALSE;
    }
  return TRUE;
}

static char *
count_error (guint n_fields, const Span *fields, gboolean line_has_blank)
{
  g_autofree char *found = NULL;
  const char *missing = NULL;

  found = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                        "expected `service | link | quantity`, found %u field",
                                        "expected `service | link | quantity`, found %u fields",
                                        n_fields),
                           n_fields);
  if (n_fields > MAX_FIELDS)
    return g_steal_pointer (&found);

  if (n_fields == 1)
    {
      if (line_has_blank)
        return g_strdup_printf (_("%s (separate the fields with “|”)"), found);
      if (span_is_digits (fields[0]))
        missing = _("the link and the quantity are missing");
      else
        missing = _("the service id and the quantity are missing");
    }
  else if (fields[0].len == 0)
    missing = _("the service id is missing");
  else if (span_is_digits (fields[0]) && span_is_digits (fields[1]))
    missing = _("the link is missing");
  else if (!span_is_digits (fields[0]) && span_is_digits (fields[1]))
    missing = _("the service id is missing");
  else
    missing = _("the quantity is missing");

  /* TRANSLATORS: the first %s is "expected … found 2 fields", the second says what is missing. */
  return g_strdup_printf (_("%s (%s)"), found, missing);
}

static char *
quantity_error (Span s)
{
  g_autofree char *text = g_strndup (s.start, s.len);
  Span digits = s;

  if (s.len == 0)
    return g_strdup (_("the quantity is missing"));

  if (s.start[0] == '-' || s.start[0] == '+')
    {
      digits.start++;
      digits.len--;
    }
  if (span_is_digits (digits))
    {
      gboolean all_zero = TRUE;

      for (gsize i = 0; i < digits.len; i++)
        if (digits.start[i] != '0')
          all_zero = FALSE;
      if (s.start[0] == '-' && !all_zero)
        return g_strdup_printf (_("quantity “%s” is negative"), text);
      if (s.start[0] != '-' && s.start[0] != '+' && all_zero)
        return g_strdup (_("the quantity must be at least 1"));
      if (s.start[0] == '+' || s.start[0] == '-')
        return g_strdup_printf (_("quantity “%s” has a sign; write the number alone"), text);
      return g_strdup_printf (_("quantity %s is above the limit of %s"), text, MAX_QUANTITY_TEXT);
    }
  if (span_is_separated_number (s))
    return g_strdup_printf (_("quantity “%s” is not a whole number; write digits only, "
                              "without separators"), text);
  return g_strdup_printf (_("quantity “%s” is not a whole number"), text);
}

/* Fills @line from its text; the first problem found becomes line->error. */
static void
parse_line (RelayMassLine *line, const char *start, gsize len)
{
  Span fields[MAX_FIELDS + 1];
  guint n_fields = 0;
  char separator = memchr (start, '|', len) != NULL ? '|' : '\t';
  const char *field_start = start;
  const char *end = start + len;
  Span service, link, quantity;
  gint64 service_id;

  /* Split.  A line without any `|` may use tabs instead (a pasted spreadsheet);
   * there, runs of tabs count as one separator. */
  for (const char *p = start; ; p++)
    {
      if (p == end || *p == separator)
        {
          Span s = trim (field_start, p - field_start);

          if (separator == '|' || s.len > 0)
            {
              if (n_fields < G_N_ELEMENTS (fields))
                fields[n_fields] = s;
              n_fields++;
            }
          field_start = p + 1;
          if (p == end)
            break;
        }
    }

  if (n_fields != MAX_FIELDS)
    {
      line->service = g_strdup ("");
      line->link = g_strdup ("");
      line->error = count_error (n_fields, fields, span_has_blank (trim (start, len)));
      return;
    }

  service = fields[0];
  link = fields[1];
  quantity = fields[2];
  line->service = g_strndup (service.start, service.len);
  line->link = g_strndup (link.start, link.len);

  if (service.len == 0)
    line->error = g_strdup (_("the service id is missing"));
  else if (!span_to_positive (service, G_MAXINT64, &service_id))
    line->error = g_strdup_printf (_("“%s” is not a service id"), line->service);
  else if (link.len == 0)
    line->error = g_strdup (_("the link is missing"));
  else if (span_has_blank (link))
    line->error = g_strdup_printf (_("the link “%s” has a space in it"), line->link);
  else if (!span_to_positive (quantity, MAX_QUANTITY, &line->quantity))
    {
      line->quantity = 0;
      line->error = quantity_error (quantity);
    }
}

static gboolean
is_blank_line (const char *start, gsize len)
{
  return trim (start, len).len == 0;
}

GPtrArray *
relay_mass_parse (const char *text)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_mass_line_free);
  const char *p = text;
  guint line_no = 0;

  if (text == NULL)
    return lines;
  /* A byte order mark from a pasted file is not part of the first line. */
  if (strncmp (p, "\xEF\xBB\xBF", 3) == 0)
    p += 3;

  while (*p != '\0')
    {
      const char *start = p;
      gsize len;
      RelayMassLine *line;

      while (*p != '\0' && *p != '\n' && *p != '\r')
        p++;
      len = p - start;
      if (*p == '\r' && p[1] == '\n')
        p += 2;
      else if (*p != '\0')
        p++;
      line_no++;

      if (is_blank_line (start, len))
        continue;

      line = g_new0 (RelayMassLine, 1);
      line->line_no = line_no;
      if (g_utf8_validate (start, len, NULL))
        {
          line->text = g_strndup (start, len);
          parse_line (line, line->text, len);
        }
      else
        {
          /* Keep every string valid UTF-8 for the UI; the bad bytes become U+FFFD. */
          line->text = g_utf8_make_valid (start, len);
          parse_line (line, line->text, strlen (line->text));
        }
      g_ptr_array_add (lines, line);
    }
  return lines;
}
