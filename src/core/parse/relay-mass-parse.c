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

/* The length of the Unicode blank at @p (0 when there is none). */
static gsize
unicode_blank_at (const char *p, const char *end)
{
  for (guint i = 0; i < G_N_ELEMENTS (unicode_blanks); i++)
    {
      gsize n = strlen (unicode_blanks[i]);

      if ((gsize) (end - p) >= n && memcmp (p, unicode_blanks[i], n) == 0)
        return n;
    }
  return 0;
}

/* The ASCII blanks: space, tab, vertical tab and form feed. */
static inline gboolean
is_ascii_blank (guchar c)
{
  return c == ' ' || c == '\t' || c == '\v' || c == '\f';
}

/* The length of the blank at @p (0 when there is none); @end bounds the text. */
static inline gsize
blank_at (const char *p, const char *end)
{
  if (p >= end)
    return 0;
  if (G_LIKELY ((guchar) *p < 0x80))
    return is_ascii_blank (*p) ? 1 : 0;
  return unicode_blank_at (p, end);
}

/* The length of the blank that ends at @end (0 when there is none). */
static inline gsize
blank_before (const char *start, const char *end)
{
  if (end <= start)
    return 0;
  /* An ASCII last byte ends no multi-byte blank. */
  if (G_LIKELY ((guchar) end[-1] < 0x80))
    return is_ascii_blank (end[-1]) ? 1 : 0;
  for (gsize n = 2; n <= 3 && n <= (gsize) (end - start); n++)
    if (blank_at (end - n, end) == n)
      return n;
  return 0;
}

static inline Span
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

/* g_strndup() of a span without a NUL in it. */
static char *
span_dup (Span s)
{
  char *copy = g_malloc (s.len + 1);

  memcpy (copy, s.start, s.len);
  copy[s.len] = '\0';
  return copy;
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

/* Whether any of the 8 bytes of @word is below 0x21 or above 0x7f: every
 * blank has such a byte (false positives are checked byte by byte). */
static inline gboolean
word_may_have_blank (guint64 word)
{
  return (((word - G_GUINT64_CONSTANT (0x2121212121212121)) | word) &
          G_GUINT64_CONSTANT (0x8080808080808080)) != 0;
}

/* The same, with DEL (0x7f) too: every blank and every control character
 * has such a byte. */
static inline gboolean
word_may_have_blank_or_control (guint64 word)
{
  return (((word - G_GUINT64_CONSTANT (0x2121212121212121)) | word |
           (word + G_GUINT64_CONSTANT (0x0101010101010101))) &
          G_GUINT64_CONSTANT (0x8080808080808080)) != 0;
}

static gboolean
span_has_blank (Span s)
{
  const char *p = s.start;
  const char *end = s.start + s.len;

  while (p < end)
    {
      const char *stop;

      if ((gsize) (end - p) >= sizeof (guint64))
        {
          guint64 word;

          memcpy (&word, p, sizeof word);
          if (!word_may_have_blank (word))
            {
              p += sizeof word;
              continue;
            }
        }
      for (stop = MIN (p + sizeof (guint64), end); p < stop; p++)
        {
          guchar c = (guchar) *p;

          if (G_LIKELY (c < 0x80) ? is_ascii_blank (c) : unicode_blank_at (p, end) > 0)
            return TRUE;
        }
    }
  return FALSE;
}

/* The control character at @p as a code point (a C0 character other than a
 * tab, DEL, or a C1 character U+0080–U+009F), or -1 when there is none. */
static inline gint
control_at (const char *p, const char *end)
{
  guchar c = (guchar) *p;

  if ((c < 0x20 && c != '\t') || c == 0x7f)
    return c;
  if (c == 0xC2 && end - p >= 2 && (guchar) p[1] >= 0x80 && (guchar) p[1] <= 0x9F)
    return (guchar) p[1];
  return -1;
}

/* What is wrong with the characters of a link: the first control character
 * in it (its code point), else -1 with *has_blank saying whether a space, a
 * tab or a Unicode blank is in it.  A vertical tab or a form feed inside a
 * link is a control character, not a space. */
static gint
span_link_control (Span s, gboolean *has_blank)
{
  const char *p = s.start;
  const char *end = s.start + s.len;

  *has_blank = FALSE;
  while (p < end)
    {
      const char *stop;

      if ((gsize) (end - p) >= sizeof (guint64))
        {
          guint64 word;

          memcpy (&word, p, sizeof word);
          if (!word_may_have_blank_or_control (word))
            {
              p += sizeof word;
              continue;
            }
        }
      for (stop = MIN (p + sizeof (guint64), end); p < stop; p++)
        {
          guchar c = (guchar) *p;
          gint control;

          if (c == ' ' || c == '\t')
            *has_blank = TRUE;
          else if ((control = control_at (p, end)) >= 0)
            return control;
          else if (c >= 0x80 && unicode_blank_at (p, end) > 0)
            *has_blank = TRUE;
        }
    }
  return -1;
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
  const char *bar = memchr (start, '|', len);
  char separator = bar != NULL ? '|' : '\t';
  const char *field_start = start;
  const char *end = start + len;
  const char *p = bar != NULL ? bar : memchr (start, '\t', len);
  Span service, link, quantity;
  gint64 service_id;
  gint control;
  gboolean link_has_blank;

  /* Split.  A line without any `|` may use tabs instead (a pasted spreadsheet);
   * there, runs of tabs count as one separator. */
  for (;;)
    {
      const char *field_end = p != NULL ? p : end;
      Span s = trim (field_start, field_end - field_start);

      if (separator == '|' || s.len > 0)
        {
          if (n_fields < G_N_ELEMENTS (fields))
            fields[n_fields] = s;
          n_fields++;
        }
      if (p == NULL)
        break;
      field_start = p + 1;
      p = memchr (field_start, separator, end - field_start);
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
  line->service = span_dup (service);
  line->link = span_dup (link);

  if (service.len == 0)
    line->error = g_strdup (_("the service id is missing"));
  else if (!span_to_positive (service, G_MAXINT64, &service_id))
    line->error = g_strdup_printf (_("“%s” is not a service id"), line->service);
  else if (link.len == 0)
    line->error = g_strdup (_("the link is missing"));
  else if ((control = span_link_control (link, &link_has_blank)) >= 0)
    /* TRANSLATORS: the link as written, then the code point of the first
     * control character in it: "… has a control character (U+001B) in it" */
    line->error = g_strdup_printf (_("the link “%s” has a control character (U+%04X) in it"),
                                   line->link, (guint) control);
  else if (link_has_blank)
    line->error = g_strdup_printf (_("the link “%s” has a space in it"), line->link);
  else if (!span_to_positive (quantity, MAX_QUANTITY, &line->quantity))
    {
      line->quantity = 0;
      line->error = quantity_error (quantity);
    }
}

/* Where the valid UTF-8 from @p on ends: @end when all of it is valid, else
 * the first byte of the first invalid sequence.  ASCII is skipped a word at a
 * time; each other character is checked with g_utf8_validate(). */
static const char *
valid_utf8_end (const char *p, const char *end)
{
  while (p < end)
    {
      const char *valid;

      while ((gsize) (end - p) >= sizeof (guint64))
        {
          guint64 word;

          memcpy (&word, p, sizeof word);
          if (word & G_GUINT64_CONSTANT (0x8080808080808080))
            break;
          p += sizeof word;
        }
      while (p < end && (guchar) *p < 0x80)
        p++;
      if (p == end)
        break;
      /* One character (at most 4 bytes), and any ASCII after it. */
      g_utf8_validate (p, MIN ((gsize) (end - p), 4), &valid);
      if (valid == p)
        return p;
      p = valid;
    }
  return end;
}

char *
relay_mass_invalid_utf8_error (const char *line_start,
                               const char *bad,
                               guint       later_line)
{
  guint column = (guint) g_utf8_strlen (line_start, bad - line_start) + 1;

  if (later_line > 0)
    /* TRANSLATORS: a CSV record over several lines: "… (byte 0xFF at line 7, column 3)" */
    return g_strdup_printf (_("the line is not valid UTF-8 text (byte 0x%02X at line %u, "
                              "column %u)"), (guint) (guchar) *bad, later_line, column);
  /* TRANSLATORS: the first byte that is not UTF-8, in hex, and its column in
   * characters: "the line is not valid UTF-8 text (byte 0xFF at column 12)" */
  return g_strdup_printf (_("the line is not valid UTF-8 text (byte 0x%02X at column %u)"),
                          (guint) (guchar) *bad, column);
}

GPtrArray *
relay_mass_parse (const char *text)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_mass_line_free);
  const char *p = text;
  const char *end, *valid_end, *next_lf, *next_cr;
  const char *bad = NULL;
  guint line_no = 0;

  if (text == NULL)
    return lines;
  /* A byte order mark from a pasted file is not part of the first line. */
  if (strncmp (p, "\xEF\xBB\xBF", 3) == 0)
    p += 3;
  end = p + strlen (p);
  /* The text is checked once; a line is checked on its own only when the
   * text is not valid up to its end. */
  valid_end = valid_utf8_end (p, end);
  next_lf = next_cr = NULL;   /* not searched yet */

  while (p < end)
    {
      const char *start = p;
      const char *line_end;
      gsize len;
      Span trimmed;
      RelayMassLine *line;

      /* The next \n and the next \r (or @end), each searched for again only
       * once the lines have passed it. */
      if (next_lf == NULL || next_lf < p)
        {
          next_lf = memchr (p, '\n', end - p);
          if (next_lf == NULL)
            next_lf = end;
        }
      if (next_cr == NULL || next_cr < p)
        {
          next_cr = memchr (p, '\r', end - p);
          if (next_cr == NULL)
            next_cr = end;
        }
      line_end = MIN (next_lf, next_cr);
      len = line_end - start;
      p = line_end;
      if (*p == '\r' && p[1] == '\n')
        p += 2;
      else if (p < end)
        p++;
      line_no++;

      trimmed = trim (start, len);
      if (trimmed.len == 0)
        continue;

      line = g_new0 (RelayMassLine, 1);
      line->line_no = line_no;
      if (line_end <= valid_end || g_utf8_validate (start, len, &bad))
        {
          line->text = span_dup ((Span) { start, len });
          parse_line (line, start, len);
        }
      else
        {
          /* A bad line whatever its fields say: a byte that is not UTF-8
           * must never reach a panel as U+FFFD in a link or a number.  Its
           * strings stay valid UTF-8 for the UI (U+FFFD shows the bytes). */
          line->text = g_utf8_make_valid (start, len);
          parse_line (line, line->text, strlen (line->text));
          g_free (line->error);
          line->quantity = 0;
          line->error = relay_mass_invalid_utf8_error (start, bad, 0);
        }
      if (line_end > valid_end && p > valid_end)
        valid_end = valid_utf8_end (p, end);
      g_ptr_array_add (lines, line);
    }
  return lines;
}
