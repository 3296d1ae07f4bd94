/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of mass-order parsing: separators, blank lines, line ends, bad lines and speed. */
#include "relay-mass-parse.h"

#include <string.h>

static RelayMassLine *
line_at (GPtrArray *lines, guint i)
{
  g_assert_cmpuint (i, <, lines->len);
  return g_ptr_array_index (lines, i);
}

static void
assert_good (RelayMassLine *line, guint line_no, const char *service, const char *link,
             gint64 quantity)
{
  g_assert_cmpstr (line->error, ==, NULL);
  g_assert_cmpuint (line->line_no, ==, line_no);
  g_assert_cmpstr (line->service, ==, service);
  g_assert_cmpstr (line->link, ==, link);
  g_assert_cmpint (line->quantity, ==, quantity);
}

/* Parses one line and returns its error (or NULL), checking it parsed as one line. */
static char *
one_error (const char *text)
{
  g_autoptr(GPtrArray) lines = relay_mass_parse (text);
  RelayMassLine *line;

  g_test_message ("line “%s”", text);
  g_assert_cmpuint (lines->len, ==, 1);
  line = line_at (lines, 0);
  g_assert_cmpuint (line->line_no, ==, 1);
  g_assert_cmpstr (line->text, ==, text);
  g_assert_nonnull (line->service);
  g_assert_nonnull (line->link);
  return g_strdup (line->error);
}

static void
assert_error (const char *text, const char *expected)
{
  g_autofree char *error = one_error (text);

  g_assert_cmpstr (error, ==, expected);
}

static void
test_separators (void)
{
  static const struct { const char *text; const char *service, *link; gint64 quantity; } cases[] = {
    { "1|https://x|100", "1", "https://x", 100 },
    { " 1 | link | 100 ", "1", "link", 100 },
    { "1 |https://instagram.com/name| 250", "1", "https://instagram.com/name", 250 },
    { "1\t|\thttps://x\t|\t100", "1", "https://x", 100 },
    { "\t 12 \t|  https://t.me/chan/5 |\t7\t", "12", "https://t.me/chan/5", 7 },
    { "1\thttps://x\t100", "1", "https://x", 100 },                /* a pasted spreadsheet */
    { "1\t\thttps://x\t\t\t100", "1", "https://x", 100 },
    { "007 | https://x | 0100", "007", "https://x", 100 },
    { "1|https://youtube.com/watch?v=a&t=1|1000000000", "1", "https://youtube.com/watch?v=a&t=1",
      1000000000 },
    { "1\xC2\xA0|\xC2\xA0https://x\xE2\x80\x8B|\xE2\x80\xAF" "100", "1", "https://x", 100 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) lines = relay_mass_parse (cases[i].text);

      g_test_message ("line “%s”", cases[i].text);
      g_assert_cmpuint (lines->len, ==, 1);
      assert_good (line_at (lines, 0), 1, cases[i].service, cases[i].link, cases[i].quantity);
      g_assert_cmpstr (line_at (lines, 0)->text, ==, cases[i].text);
    }
}

static void
test_blank_lines (void)
{
  g_autoptr(GPtrArray) lines = relay_mass_parse ("\n"
                                                 "1 | https://a | 10\n"
                                                 "   \n"
                                                 "\t\n"
                                                 "\n"
                                                 "2 | https://b | 20\n"
                                                 "\n");
  g_autoptr(GPtrArray) empty = relay_mass_parse ("");
  g_autoptr(GPtrArray) blank = relay_mass_parse (" \n\t\r\n\r\n  \n\xC2\xA0\n\xE2\x80\x8B");
  g_autoptr(GPtrArray) none = relay_mass_parse (NULL);

  g_assert_cmpuint (lines->len, ==, 2);
  assert_good (line_at (lines, 0), 2, "1", "https://a", 10);
  assert_good (line_at (lines, 1), 6, "2", "https://b", 20);
  g_assert_cmpuint (empty->len, ==, 0);
  g_assert_cmpuint (blank->len, ==, 0);
  g_assert_cmpuint (none->len, ==, 0);
}

static void
test_line_ends (void)
{
  g_autoptr(GPtrArray) crlf = relay_mass_parse ("1|https://a|10\r\n\r\n2|https://b|20\r\n");
  g_autoptr(GPtrArray) cr = relay_mass_parse ("1|https://a|10\r\r2|https://b|20\r");
  g_autoptr(GPtrArray) mixed = relay_mass_parse ("1|https://a|10\n2|https://b|20\r\n"
                                                 "3|https://c|30\r4|https://d|40");
  g_autoptr(GPtrArray) bom = relay_mass_parse ("\xEF\xBB\xBF" "5|https://e|50");

  g_assert_cmpuint (crlf->len, ==, 2);
  assert_good (line_at (crlf, 0), 1, "1", "https://a", 10);
  assert_good (line_at (crlf, 1), 3, "2", "https://b", 20);
  g_assert_cmpstr (line_at (crlf, 1)->text, ==, "2|https://b|20");

  g_assert_cmpuint (cr->len, ==, 2);
  assert_good (line_at (cr, 0), 1, "1", "https://a", 10);
  assert_good (line_at (cr, 1), 3, "2", "https://b", 20);

  g_assert_cmpuint (mixed->len, ==, 4);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpuint (line_at (mixed, i)->line_no, ==, i + 1);
  assert_good (line_at (mixed, 3), 4, "4", "https://d", 40);

  g_assert_cmpuint (bom->len, ==, 1);
  assert_good (line_at (bom, 0), 1, "5", "https://e", 50);
}

static void
test_bad_quantity (void)
{
  static const struct { const char *text; const char *error; } cases[] = {
    { "1 | https://x | 0", "the quantity must be at least 1" },
    { "1 | https://x | 000", "the quantity must be at least 1" },
    { "1 | https://x | -5", "quantity “-5” is negative" },
    { "1 | https://x | +5", "quantity “+5” has a sign; write the number alone" },
    { "1 | https://x | 1.5", "quantity “1.5” is not a whole number; write digits only, "
                             "without separators" },
    { "1 | https://x | 1,000", "quantity “1,000” is not a whole number; write digits only, "
                               "without separators" },
    { "1 | https://x | 1 000", "quantity “1 000” is not a whole number; write digits only, "
                               "without separators" },
    { "1 | https://x | 1\xC2\xA0" "000", "quantity “1\xC2\xA0" "000” is not a whole number; "
                                         "write digits only, without separators" },
    { "1 | https://x | 1'000", "quantity “1'000” is not a whole number; write digits only, "
                               "without separators" },
    { "1 | https://x | 1.", "quantity “1.” is not a whole number" },
    { "1 | https://x | abc", "quantity “abc” is not a whole number" },
    { "1 | https://x | 1e3", "quantity “1e3” is not a whole number" },
    { "1 | https://x | 100k", "quantity “100k” is not a whole number" },
    { "1 | https://x | ", "the quantity is missing" },
    { "1 | https://x |", "the quantity is missing" },
    { "1 | https://x | 1000000001", "quantity 1000000001 is above the limit of 1000000000" },
    { "1 | https://x | 99999999999999999999999", "quantity 99999999999999999999999 is above "
                                                "the limit of 1000000000" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_error (cases[i].text, cases[i].error);

  /* A bad quantity still reports the service and the link it read. */
  {
    g_autoptr(GPtrArray) lines = relay_mass_parse ("3 | https://x | 1,000");
    RelayMassLine *line = line_at (lines, 0);

    g_assert_cmpstr (line->service, ==, "3");
    g_assert_cmpstr (line->link, ==, "https://x");
    g_assert_cmpint (line->quantity, ==, 0);
  }
}

static void
test_field_count (void)
{
  static const struct { const char *text; const char *error; } cases[] = {
    { "1 | https://x", "expected `service | link | quantity`, found 2 fields "
                       "(the quantity is missing)" },
    { "https://x | 100", "expected `service | link | quantity`, found 2 fields "
                         "(the service id is missing)" },
    { "1 | 100", "expected `service | link | quantity`, found 2 fields (the link is missing)" },
    { "| https://x", "expected `service | link | quantity`, found 2 fields "
                     "(the service id is missing)" },
    { "1", "expected `service | link | quantity`, found 1 field "
           "(the link and the quantity are missing)" },
    { "https://x", "expected `service | link | quantity`, found 1 field "
                   "(the service id and the quantity are missing)" },
    { "1 https://x 100", "expected `service | link | quantity`, found 1 field "
                         "(separate the fields with “|”)" },
    { "1 | https://x | 100 | 5", "expected `service | link | quantity`, found 4 fields" },
    { "1 | https://x | 100 |", "expected `service | link | quantity`, found 4 fields" },
    { "1||https://x|100", "expected `service | link | quantity`, found 4 fields" },
    { "1\thttps://x\t100\textra", "expected `service | link | quantity`, found 4 fields" },
    { "1\thttps://x", "expected `service | link | quantity`, found 2 fields "
                      "(the quantity is missing)" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_error (cases[i].text, cases[i].error);
}

static void
test_bad_service_and_link (void)
{
  static const struct { const char *text; const char *error; } cases[] = {
    { "abc | https://x | 100", "“abc” is not a service id" },
    { "0 | https://x | 100", "“0” is not a service id" },
    { "-1 | https://x | 100", "“-1” is not a service id" },
    { "1.5 | https://x | 100", "“1.5” is not a service id" },
    { "#1 | https://x | 100", "“#1” is not a service id" },
    { "99999999999999999999 | https://x | 100", "“99999999999999999999” is not a service id" },
    { " | https://x | 100", "the service id is missing" },
    { "1 |  | 100", "the link is missing" },
    { "1 | https://x y | 100", "the link “https://x y” has a space in it" },
    { "1 | https://x\ty | 100", "the link “https://x\ty” has a space in it" },
    { "1 | https://x\xC2\xA0y | 100", "the link “https://x\xC2\xA0y” has a space in it" },
    /* A control character is named, not called a space (it was, for \v and \f,
     * and an ESC or a BEL passed as part of the link). */
    { "1 | https://x\x07y | 100", "the link “https://x\x07y” has a control character (U+0007) in it" },
    { "1 | https://x/\x1b[31mred | 100",
      "the link “https://x/\x1b[31mred” has a control character (U+001B) in it" },
    { "1 | https://x\vy | 100", "the link “https://x\vy” has a control character (U+000B) in it" },
    { "1 | https://x\x7fy | 100", "the link “https://x\x7fy” has a control character (U+007F) in it" },
    { "1 | https://x\xC2\x9B" "31m | 100",
      "the link “https://x\xC2\x9B" "31m” has a control character (U+009B) in it" },
    /* The control character is named before a space, wherever each is. */
    { "1 | https://x y\x01 | 100", "the link “https://x y\x01” has a control character (U+0001) in it" },
    /* 0xC2 followed by a byte above 0x9F is a letter, not a C1 control. */
    { "1 | https://x\xC2\xBFy | 100", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_error (cases[i].text, cases[i].error);
}

static void
test_bad_lines_do_not_stop_others (void)
{
  g_autoptr(GPtrArray) lines = relay_mass_parse ("1 | https://a | 100\n"
                                                 "oops\n"
                                                 "\n"
                                                 "2 | https://b | 1,000\n"
                                                 "3 | https://c | 300\n");

  g_assert_cmpuint (lines->len, ==, 4);
  assert_good (line_at (lines, 0), 1, "1", "https://a", 100);
  g_assert_nonnull (line_at (lines, 1)->error);
  g_assert_cmpuint (line_at (lines, 1)->line_no, ==, 2);
  g_assert_cmpstr (line_at (lines, 1)->text, ==, "oops");
  g_assert_nonnull (line_at (lines, 2)->error);
  g_assert_cmpuint (line_at (lines, 2)->line_no, ==, 4);
  assert_good (line_at (lines, 3), 5, "3", "https://c", 300);
}

/* A line that is not UTF-8 is a bad line, whichever field the bad byte is
 * in (a link with U+FFFD in it was a good line); its strings stay UTF-8. */
static void
test_invalid_utf8 (void)
{
  g_autoptr(GPtrArray) lines = relay_mass_parse ("1 | https://x/\xff\xfe | 10\n"
                                                 "2 | https://y | \xc3\n");

  g_assert_cmpuint (lines->len, ==, 2);
  for (guint i = 0; i < lines->len; i++)
    {
      RelayMassLine *line = line_at (lines, i);

      g_assert_true (g_utf8_validate (line->text, -1, NULL));
      g_assert_true (g_utf8_validate (line->link, -1, NULL));
      g_assert_nonnull (line->error);
      g_assert_true (g_utf8_validate (line->error, -1, NULL));
      g_assert_cmpint (line->quantity, ==, 0);
    }
  g_assert_cmpstr (line_at (lines, 0)->error, ==,
                   "the line is not valid UTF-8 text (byte 0xFF at column 15)");
  g_assert_cmpstr (line_at (lines, 1)->error, ==,
                   "the line is not valid UTF-8 text (byte 0xC3 at column 17)");
}

/* Every line end counts for the numbering: \n, \r\n and a lone \r end one
 * line each, so "\n\r" and "\r\r\n" end two (the second one blank). */
static void
test_line_ends_numbered (void)
{
  static const struct { guint line_no; const char *text; } expected[] = {
    { 1, "1|https://a|10" },
    { 2, "2|https://b|20" },
    { 4, "3|https://c|30" },
    { 6, "4|https://d|40" },
    { 8, "5|https://e|50" },
  };
  g_autoptr(GPtrArray) lines = relay_mass_parse ("1|https://a|10\r"        /* 1 */
                                                 "2|https://b|20\n\r"      /* 2, 3 */
                                                 "3|https://c|30\r\r\n"    /* 4, 5 */
                                                 "4|https://d|40\r\n"      /* 6 */
                                                 "\r"                      /* 7 */
                                                 "5|https://e|50\r");      /* 8 */
  g_autoptr(GPtrArray) last = relay_mass_parse ("\r\n\n1 | https://a | 10\r\n\r");

  g_assert_cmpuint (lines->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      RelayMassLine *line = line_at (lines, i);

      g_assert_cmpuint (line->line_no, ==, expected[i].line_no);
      g_assert_cmpstr (line->text, ==, expected[i].text);
      g_assert_null (line->error);
      g_assert_cmpint (line->quantity, ==, 10 * (i + 1));
    }
  g_assert_cmpuint (last->len, ==, 1);
  assert_good (line_at (last, 0), 3, "1", "https://a", 10);
  g_assert_cmpstr (line_at (last, 0)->text, ==, "1 | https://a | 10");
}

/* A line with bytes that are not UTF-8 is a bad line with its own number,
 * its first bad byte and that byte's column (in characters); the lines
 * around it, before and after, are read as usual (with the Unicode blanks of
 * valid text still blanks).  Such lines were read with U+FFFD for the bytes
 * and taken as good when U+FFFD fell in a link. */
static void
test_invalid_utf8_line_numbers (void)
{
  static const struct { guint line_no; const char *text; const char *error; } bad[] = {
    { 4, "4 | https://c | 4\xEF\xBF\xBD" "0",
      "the line is not valid UTF-8 text (byte 0xFF at column 18)" },
    { 5, "5 | https://d/\xEF\xBF\xBD | 50",
      "the line is not valid UTF-8 text (byte 0xC3 at column 15)" },
    { 6, "6 | https://e | 60\xEF\xBF\xBD\xEF\xBF\xBD",
      "the line is not valid UTF-8 text (byte 0xE2 at column 19)" },
    { 8, "8 | https://g\xEF\xBF\xBD | 80",
      "the line is not valid UTF-8 text (byte 0xFF at column 14)" },
    { 10, "1 | https://caf\xC3\xA9/\xEF\xBF\xBD | 10",
      "the line is not valid UTF-8 text (byte 0xFF at column 18)" },
  };
  g_autoptr(GPtrArray) lines = relay_mass_parse ("1 | https://a | 10\n"
                                                 "2\xC2\xA0|\xC2\xA0https://b\xC2\xA0|\xC2\xA0" "20\n"
                                                 "\n"
                                                 "4 | https://c | 4\xff" "0\n"
                                                 "5 | https://d/\xc3 | 50\n"
                                                 "6 | https://e | 60\xe2\x80\r\n"
                                                 "7\xE2\x80\xAF|\xE2\x80\xAFhttps://f\xE3\x80\x80|"
                                                 "\xE3\x80\x80" "70\n"
                                                 "8 | https://g\xff | 80\r"
                                                 "9 | https://h | 90\n"
                                                 "1 | https://caf\xC3\xA9/\xff | 10\n"
                                                 "11 | https://i | 110");
  guint n_bad = 0;

  g_assert_cmpuint (lines->len, ==, 10);
  assert_good (line_at (lines, 0), 1, "1", "https://a", 10);
  assert_good (line_at (lines, 1), 2, "2", "https://b", 20);
  assert_good (line_at (lines, 5), 7, "7", "https://f", 70);
  assert_good (line_at (lines, 7), 9, "9", "https://h", 90);
  assert_good (line_at (lines, 9), 11, "11", "https://i", 110);
  for (guint i = 0; i < lines->len; i++)
    {
      RelayMassLine *line = line_at (lines, i);

      g_assert_true (g_utf8_validate (line->text, -1, NULL));
      g_assert_true (g_utf8_validate (line->service, -1, NULL));
      g_assert_true (g_utf8_validate (line->link, -1, NULL));
      if (line->error == NULL)
        continue;
      g_assert_cmpuint (n_bad, <, G_N_ELEMENTS (bad));
      g_assert_cmpuint (line->line_no, ==, bad[n_bad].line_no);
      g_assert_cmpstr (line->text, ==, bad[n_bad].text);
      g_assert_cmpstr (line->error, ==, bad[n_bad].error);
      g_assert_cmpint (line->quantity, ==, 0);
      n_bad++;
    }
  g_assert_cmpuint (n_bad, ==, G_N_ELEMENTS (bad));
}

/* Tabs, vertical tabs and form feeds are blanks: trimmed around fields and
 * a run of them is a blank line; inside a link a tab is a space, and a
 * vertical tab or a form feed a control character. */
static void
test_blank_trimming (void)
{
  g_autoptr(GPtrArray) lines = relay_mass_parse ("\v1\v|\fhttps://x\f|\t\v100\f\t\n"
                                                 "\v\f\t \n"
                                                 "2\thttps://y\v\t\v200\n"
                                                 "3 | https://x\vy | 300\n"
                                                 "4 | https://x\fy | 400\n"
                                                 "\f5\thttps://z\t\t\f\t500\v");

  g_assert_cmpuint (lines->len, ==, 5);
  assert_good (line_at (lines, 0), 1, "1", "https://x", 100);
  assert_good (line_at (lines, 1), 3, "2", "https://y", 200);
  g_assert_cmpstr (line_at (lines, 2)->error, ==,
                   "the link “https://x\vy” has a control character (U+000B) in it");
  g_assert_cmpuint (line_at (lines, 2)->line_no, ==, 4);
  g_assert_cmpstr (line_at (lines, 3)->error, ==,
                   "the link “https://x\fy” has a control character (U+000C) in it");
  assert_good (line_at (lines, 4), 6, "5", "https://z", 500);
}

/* A blank anywhere inside a link, whatever its place: each byte of a long
 * link is looked at. */
static void
test_blank_in_link_everywhere (void)
{
  static const char * const blanks[] = {
    " ", "\t", "\xC2\xA0", "\xE2\x80\xAF", "\xE2\x80\x89", "\xE2\x80\x8B",
    "\xEF\xBB\xBF", "\xE3\x80\x80",
  };
  const char *link = "https://example.com/abcdefghijklmnop/q";

  for (guint b = 0; b < G_N_ELEMENTS (blanks); b++)
    for (gsize at = 0; at <= strlen (link); at++)
      {
        g_autofree char *spaced = g_strdup_printf ("%.*s%s%s", (int) at, link, blanks[b],
                                                   link + at);
        g_autofree char *text = g_strdup_printf ("1 | %s | 100", spaced);
        g_autoptr(GPtrArray) lines = relay_mass_parse (text);

        g_assert_cmpuint (lines->len, ==, 1);
        if (at == 0 || at == strlen (link))
          {
            /* At either end it is trimmed away. */
            assert_good (line_at (lines, 0), 1, "1", link, 100);
          }
        else
          {
            g_autofree char *expected = g_strdup_printf ("the link “%s” has a space in it",
                                                         spaced);

            g_assert_cmpstr (line_at (lines, 0)->error, ==, expected);
            g_assert_cmpstr (line_at (lines, 0)->link, ==, spaced);
          }
      }
}

/* A control character anywhere inside a link is named with its code point,
 * whatever its place (each byte of a long link is looked at, the word-wide
 * scan included): C0 but tab, DEL, C1.  At either end a vertical tab or a
 * form feed is trimmed as a blank; the others stay part of the link. */
static void
test_control_in_link_everywhere (void)
{
  static const struct { const char *bytes; const char *name; gboolean trimmed; } controls[] = {
    { "\x01", "U+0001", FALSE }, { "\x07", "U+0007", FALSE }, { "\v", "U+000B", TRUE },
    { "\f", "U+000C", TRUE }, { "\x1b", "U+001B", FALSE }, { "\x1f", "U+001F", FALSE },
    { "\x7f", "U+007F", FALSE }, { "\xC2\x80", "U+0080", FALSE },
    { "\xC2\x9F", "U+009F", FALSE },
  };
  const char *link = "https://example.com/abcdefghijklmnop/q";

  for (guint c = 0; c < G_N_ELEMENTS (controls); c++)
    for (gsize at = 0; at <= strlen (link); at++)
      {
        g_autofree char *bad = g_strdup_printf ("%.*s%s%s", (int) at, link, controls[c].bytes,
                                                link + at);
        g_autofree char *text = g_strdup_printf ("1 | %s | 100", bad);
        g_autoptr(GPtrArray) lines = relay_mass_parse (text);

        g_assert_cmpuint (lines->len, ==, 1);
        if ((at == 0 || at == strlen (link)) && controls[c].trimmed)
          {
            assert_good (line_at (lines, 0), 1, "1", link, 100);
          }
        else
          {
            g_autofree char *expected = g_strdup_printf ("the link “%s” has a control "
                                                         "character (%s) in it", bad,
                                                         controls[c].name);

            g_assert_cmpstr (line_at (lines, 0)->error, ==, expected);
            g_assert_cmpstr (line_at (lines, 0)->link, ==, bad);
            g_assert_cmpint (line_at (lines, 0)->quantity, ==, 0);
          }
      }
}

/* The best of three runs, in ms: the machine may be busy with other work. */
static GPtrArray *
timed_parse (const char *text, double *best_ms)
{
  GPtrArray *lines = NULL;

  *best_ms = G_MAXDOUBLE;
  for (guint run = 0; run < 3; run++)
    {
      gint64 start = g_get_monotonic_time ();

      g_clear_pointer (&lines, g_ptr_array_unref);
      lines = relay_mass_parse (text);
      *best_ms = MIN (*best_ms, (g_get_monotonic_time () - start) / 1000.0);
    }
  return lines;
}

/* 10,000 lines, 10 of them bad at known places, with blank lines and CRLF mixed in. */
static void
test_many_lines (void)
{
  static const guint bad_at[] = { 1, 17, 999, 1000, 2500, 4242, 5001, 7777, 9998, 10000 };
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GPtrArray) lines = NULL;
  guint n_bad = 0, next_bad = 0;
  double elapsed;

  for (guint i = 1; i <= 10000; i++)
    {
      gboolean bad = next_bad < G_N_ELEMENTS (bad_at) && bad_at[next_bad] == i;

      if (bad)
        {
          next_bad++;
          switch (i % 3)
            {
            case 0: g_string_append_printf (text, "%u | https://instagram.com/u%u | 1,000", i, i); break;
            case 1: g_string_append_printf (text, "x%u | https://instagram.com/u%u | 10", i, i); break;
            default: g_string_append_printf (text, "%u | https://instagram.com/u%u", i, i); break;
            }
        }
      else
        g_string_append_printf (text, "%u | https://instagram.com/u%u | %u", i % 50 + 1, i, i * 3);
      g_string_append (text, i % 7 == 0 ? "\r\n" : "\n");
    }

  lines = timed_parse (text->str, &elapsed);
  g_test_message ("10,000 lines parsed in %.2f ms (best of 3)", elapsed);

  g_assert_cmpuint (lines->len, ==, 10000);
  next_bad = 0;
  for (guint i = 0; i < lines->len; i++)
    {
      RelayMassLine *line = line_at (lines, i);

      g_assert_cmpuint (line->line_no, ==, i + 1);
      if (line->error != NULL)
        {
          g_assert_cmpuint (n_bad, <, G_N_ELEMENTS (bad_at));
          g_assert_cmpuint (line->line_no, ==, bad_at[n_bad]);
          n_bad++;
        }
      else
        g_assert_cmpint (line->quantity, ==, (gint64) line->line_no * 3);
    }
  g_assert_cmpuint (n_bad, ==, G_N_ELEMENTS (bad_at));
  /* A few ms on an idle machine; generous for busy ones, skipped under valgrind. */
  if (g_getenv ("RELAY_UNDER_VALGRIND") == NULL)
    g_assert_cmpfloat (elapsed, <, 250.0);
}

/* 100,000 lines in well under a second: linear, with blank lines between. */
static void
test_linear (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GPtrArray) lines = NULL;
  double elapsed;

  for (guint i = 1; i <= 100000; i++)
    g_string_append_printf (text, "%u|https://tiktok.com/@user%u/video/%u|%u\n\n", i, i, i, i);

  lines = timed_parse (text->str, &elapsed);
  g_test_message ("100,000 lines parsed in %.2f ms (best of 3)", elapsed);

  g_assert_cmpuint (lines->len, ==, 100000);
  g_assert_cmpuint (line_at (lines, 99999)->line_no, ==, 199999);
  g_assert_null (line_at (lines, 99999)->error);
  if (g_getenv ("RELAY_UNDER_VALGRIND") == NULL)
    g_assert_cmpfloat (elapsed, <, 1000.0);
}

/* One very long line must not be quadratic either. */
static void
test_long_line (void)
{
  g_autoptr(GString) text = g_string_new ("1 | https://x/");
  g_autoptr(GPtrArray) lines = NULL;

  for (guint i = 0; i < 200000; i++)
    g_string_append (text, "abcde");
  g_string_append (text, " | 10");
  lines = relay_mass_parse (text->str);
  g_assert_cmpuint (lines->len, ==, 1);
  g_assert_null (line_at (lines, 0)->error);
  g_assert_cmpuint (strlen (line_at (lines, 0)->link), ==, strlen ("https://x/") + 1000000);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mass-parse/separators", test_separators);
  g_test_add_func ("/mass-parse/blank-lines", test_blank_lines);
  g_test_add_func ("/mass-parse/line-ends", test_line_ends);
  g_test_add_func ("/mass-parse/bad-quantity", test_bad_quantity);
  g_test_add_func ("/mass-parse/field-count", test_field_count);
  g_test_add_func ("/mass-parse/bad-service-and-link", test_bad_service_and_link);
  g_test_add_func ("/mass-parse/bad-lines-do-not-stop-others", test_bad_lines_do_not_stop_others);
  g_test_add_func ("/mass-parse/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/mass-parse/line-ends-numbered", test_line_ends_numbered);
  g_test_add_func ("/mass-parse/invalid-utf8-line-numbers", test_invalid_utf8_line_numbers);
  g_test_add_func ("/mass-parse/blank-trimming", test_blank_trimming);
  g_test_add_func ("/mass-parse/blank-in-link-everywhere", test_blank_in_link_everywhere);
  g_test_add_func ("/mass-parse/control-in-link-everywhere", test_control_in_link_everywhere);
  g_test_add_func ("/mass-parse/many-lines", test_many_lines);
  g_test_add_func ("/mass-parse/linear", test_linear);
  g_test_add_func ("/mass-parse/long-line", test_long_line);

  return g_test_run ();
}
