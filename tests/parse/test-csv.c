/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the CSV reader (RFC 4180) and of CSV files of orders: headers,
 * BOM, CRLF, `;`, quoting, limits and bad lines with their line numbers. */
#include "relay-csv.h"

#include <string.h>

static RelayMassLine *
line_at (GPtrArray *lines, guint i)
{
  g_assert_cmpuint (i, <, lines->len);
  return g_ptr_array_index (lines, i);
}

static const char *
field (RelayCsvRecord *record, guint i)
{
  g_assert_cmpuint (i, <, record->fields->len);
  return g_ptr_array_index (record->fields, i);
}

static GPtrArray *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *lines = relay_csv_parse_mass (text, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (lines);
  return lines;
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

static void
test_rfc4180 (void)
{
  const char *text = "a,\"b,c\",\"say \"\"hi\"\"\"\r\n"
                     "\"two\nlines\",,last\r\n"
                     "x,y,z";
  g_autoptr(GPtrArray) records = relay_csv_read (text, -1, ',');
  RelayCsvRecord *r;

  g_assert_cmpuint (records->len, ==, 3);
  r = g_ptr_array_index (records, 0);
  g_assert_null (r->error);
  g_assert_cmpuint (r->line_no, ==, 1);
  g_assert_cmpuint (r->fields->len, ==, 3);
  g_assert_cmpstr (field (r, 0), ==, "a");
  g_assert_cmpstr (field (r, 1), ==, "b,c");
  g_assert_cmpstr (field (r, 2), ==, "say \"hi\"");
  r = g_ptr_array_index (records, 1);
  g_assert_null (r->error);
  g_assert_cmpuint (r->line_no, ==, 2);
  g_assert_cmpstr (field (r, 0), ==, "two\nlines");
  g_assert_cmpstr (field (r, 1), ==, "");
  g_assert_cmpstr (field (r, 2), ==, "last");
  /* The quoted line break moves the next record to line 4. */
  r = g_ptr_array_index (records, 2);
  g_assert_cmpuint (r->line_no, ==, 4);
  g_assert_cmpstr (field (r, 2), ==, "z");
}

static void
test_bad_records (void)
{
  g_autoptr(GPtrArray) records = relay_csv_read ("a,\"b\"x,c\nok,1,2\n\"open,3\n", -1, ',');
  RelayCsvRecord *r;

  g_assert_cmpuint (records->len, ==, 3);
  r = g_ptr_array_index (records, 0);
  g_assert_nonnull (r->error);
  g_assert_nonnull (strstr (r->error, "closing quote"));
  r = g_ptr_array_index (records, 1);
  g_assert_null (r->error);
  g_assert_cmpuint (r->line_no, ==, 2);
  r = g_ptr_array_index (records, 2);
  g_assert_cmpuint (r->line_no, ==, 3);
  g_assert_nonnull (r->error);
  g_assert_nonnull (strstr (r->error, "not closed"));
}

static void
test_header_any_order (void)
{
  g_autoptr(GPtrArray) lines =
    parse_ok ("Quantity,Link,Service ID,Charge,Client\n"
              "100,https://instagram.com/a,3,0.50,Ann\n"
              "200,\"https://x.com/b?a=1,2\",4,1.00,\n");

  g_assert_cmpuint (lines->len, ==, 2);
  assert_good (line_at (lines, 0), 2, "3", "https://instagram.com/a", 100);
  g_assert_cmpstr (line_at (lines, 0)->client, ==, "Ann");
  assert_good (line_at (lines, 1), 3, "4", "https://x.com/b?a=1,2", 200);
  g_assert_null (line_at (lines, 1)->client);
  g_assert_cmpstr (line_at (lines, 1)->text, ==, "200,\"https://x.com/b?a=1,2\",4,1.00,");
}

static void
test_bom_crlf_semicolon (void)
{
  g_autoptr(GPtrArray) lines =
    parse_ok ("\xEF\xBB\xBF" "SERVICE;LINK;QUANTITY;RUNS;INTERVAL\r\n"
              "5;https://t.me/c;1000;4;30\r\n"
              "\r\n"
              "6;https://t.me/d,e;50;;\r\n");

  g_assert_cmpuint (lines->len, ==, 2);
  assert_good (line_at (lines, 0), 2, "5", "https://t.me/c", 1000);
  g_assert_cmpint (line_at (lines, 0)->runs, ==, 4);
  g_assert_cmpint (line_at (lines, 0)->interval, ==, 30);
  /* The comma belongs to the link when `;` separates. */
  assert_good (line_at (lines, 1), 4, "6", "https://t.me/d,e", 50);
  g_assert_cmpint (line_at (lines, 1)->runs, ==, 0);
}

static void
test_no_header (void)
{
  g_autoptr(GPtrArray) lines = parse_ok ("7,https://a.b/c,10,Bob,2,5\n8,https://a.b/d,20\n,,,\n");

  g_assert_cmpuint (lines->len, ==, 2);
  assert_good (line_at (lines, 0), 1, "7", "https://a.b/c", 10);
  g_assert_cmpstr (line_at (lines, 0)->client, ==, "Bob");
  g_assert_cmpint (line_at (lines, 0)->runs, ==, 2);
  g_assert_cmpint (line_at (lines, 0)->interval, ==, 5);
  assert_good (line_at (lines, 1), 2, "8", "https://a.b/d", 20);
}

static void
test_bad_lines_numbered (void)
{
  g_autoptr(GPtrArray) lines =
    parse_ok ("service,link,quantity,runs\n"
              "1,https://a.b/1,100,\n"
              "x,https://a.b/2,100,\n"
              "1,https://a.b/3,1.000,\n"
              "1,,100,\n"
              "1,https://a.b/5,100,two\n"
              "1,\"https://a.b/6\"junk,100,\n"
              "1,https://a.b/7,100,\n");

  g_assert_cmpuint (lines->len, ==, 7);
  assert_good (line_at (lines, 0), 2, "1", "https://a.b/1", 100);
  for (guint i = 1; i < 6; i++)
    {
      g_test_message ("line %u: %s", line_at (lines, i)->line_no, line_at (lines, i)->error);
      g_assert_cmpuint (line_at (lines, i)->line_no, ==, i + 2);
      g_assert_nonnull (line_at (lines, i)->error);
    }
  g_assert_nonnull (strstr (line_at (lines, 1)->error, "not a service id"));
  g_assert_nonnull (strstr (line_at (lines, 2)->error, "separators"));
  g_assert_nonnull (strstr (line_at (lines, 3)->error, "link is missing"));
  g_assert_nonnull (strstr (line_at (lines, 4)->error, "runs"));
  assert_good (line_at (lines, 6), 8, "1", "https://a.b/7", 100);
}

/* A record with a byte that is not UTF-8 is a bad line with its number, the
 * byte and its column (its line too when a quoted field took the record over
 * several lines, or a NUL byte); the records around it stay good.  Such a
 * record was read with U+FFFD for the bytes and taken as good. */
static void
test_invalid_utf8 (void)
{
  static const char text[] =
    "service,link,quantity,client\r\n"
    "1,https://a.b/1,100,\r\n"                    /* 2 */
    "1,https://a.b/\xff,100,\r\n"                 /* 3 */
    "1,\"https://a.b/3\",100,\"Ann\nB\xc3\"\r\n"     /* 4-5 */
    "1,https://a.b/4,1\xe2\x82" "0,\n"                /* 6 */
    "1,https://caf\xC3\xA9.b/\xfe,10,\r"          /* 7 */
    "1,https://a.b/\0nul,10,\n"                   /* 8 */
    "1,https://a.b/9,100,\n";                     /* 9 */
  static const struct { guint line_no; const char *error; } bad[] = {
    { 3, "the line is not valid UTF-8 text (byte 0xFF at column 15)" },
    { 4, "the line is not valid UTF-8 text (byte 0xC3 at line 5, column 2)" },
    { 6, "the line is not valid UTF-8 text (byte 0xE2 at column 18)" },
    { 7, "the line is not valid UTF-8 text (byte 0xFE at column 18)" },
    { 8, "the line is not valid UTF-8 text (byte 0x00 at column 15)" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) lines = relay_csv_parse_mass (text, sizeof text - 1, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (lines->len, ==, 7);
  assert_good (line_at (lines, 0), 2, "1", "https://a.b/1", 100);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      RelayMassLine *line = line_at (lines, i + 1);

      g_assert_cmpuint (line->line_no, ==, bad[i].line_no);
      g_assert_cmpstr (line->error, ==, bad[i].error);
      g_assert_true (g_utf8_validate (line->text, -1, NULL));
      g_assert_true (g_utf8_validate (line->link, -1, NULL));
    }
  assert_good (line_at (lines, 6), 9, "1", "https://a.b/9", 100);
}

static void
test_long_field (void)
{
  g_autoptr(GString) text = g_string_new ("service,link,quantity\n1,https://a.b/");
  g_autoptr(GPtrArray) lines = NULL;

  for (guint i = 0; i < RELAY_CSV_MAX_FIELD; i++)
    g_string_append_c (text, 'x');
  g_string_append (text, ",10\n2,\"https://a.b/");
  for (guint i = 0; i < 3 * RELAY_CSV_MAX_FIELD; i++)
    g_string_append_c (text, 'y');
  g_string_append (text, "\",10\n3,https://a.b/ok,10\n");
  lines = parse_ok (text->str);
  g_assert_cmpuint (lines->len, ==, 3);
  {
    g_autoptr(GString) wide = g_string_new ("1,https://a.b/c,10");
    g_autoptr(GPtrArray) records = NULL;

    for (guint i = 0; i < 1000; i++)
      g_string_append_c (wide, ',');
    records = relay_csv_read (wide->str, -1, ',');
    g_assert_cmpuint (records->len, ==, 1);
    g_assert_nonnull (strstr (((RelayCsvRecord *) g_ptr_array_index (records, 0))->error,
                              "more than 256 fields"));
    g_assert_cmpuint (((RelayCsvRecord *) g_ptr_array_index (records, 0))->fields->len, ==, 256);
  }
  g_assert_nonnull (strstr (line_at (lines, 0)->error, "longer than 2000"));
  g_assert_nonnull (strstr (line_at (lines, 1)->error, "longer than 2000"));
  g_assert_cmpuint (line_at (lines, 1)->line_no, ==, 3);
  assert_good (line_at (lines, 2), 4, "3", "https://a.b/ok", 10);
}

static void
test_bad_header (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) lines = relay_csv_parse_mass ("service,quantity\n1,10\n", -1, &error);

  g_assert_null (lines);
  g_assert_error (error, RELAY_CSV_ERROR, RELAY_CSV_ERROR_HEADER);
  g_assert_nonnull (strstr (error->message, "link"));
  g_clear_error (&error);
  lines = relay_csv_parse_mass ("Service,Link,Quantity,Qty\n1,a,10,10\n", -1, &error);
  g_assert_null (lines);
  g_assert_error (error, RELAY_CSV_ERROR, RELAY_CSV_ERROR_HEADER);
  g_assert_nonnull (strstr (error->message, "twice"));
}

/* Writing: RFC 4180 quoting, and formulas from outside shown as text while
 * numbers (a negative remains, a refund) stay numbers. */
static void
test_append_field (void)
{
  static const struct { const char *in; const char *out; } cases[] = {
    { "plain", "plain" },
    { NULL, "" },
    { "a,b", "\"a,b\"" },
    { "say \"hi\"", "\"say \"\"hi\"\"\"" },
    { "two\nlines", "\"two\nlines\"" },
    { "=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"" },
    { "=1+2", "'=1+2" },
    { "+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0" },
    { "@SUM(A1)", "'@SUM(A1)" },
    { "\tx", "'\tx" },
    { "-5", "-5" },
    { "-0.25", "-0.25" },
    { "+3", "+3" },
    { "-", "'-" },
    { "-1+1", "'-1+1" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) out = g_string_new (NULL);

      relay_csv_append_field (out, cases[i].in);
      g_assert_cmpstr (out->str, ==, cases[i].out);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/csv/rfc4180", test_rfc4180);
  g_test_add_func ("/csv/bad-records", test_bad_records);
  g_test_add_func ("/csv/header-any-order", test_header_any_order);
  g_test_add_func ("/csv/bom-crlf-semicolon", test_bom_crlf_semicolon);
  g_test_add_func ("/csv/no-header", test_no_header);
  g_test_add_func ("/csv/bad-lines-numbered", test_bad_lines_numbered);
  g_test_add_func ("/csv/long-field", test_long_field);
  g_test_add_func ("/csv/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/csv/bad-header", test_bad_header);

  g_test_add_func ("/csv/append-field", test_append_field);
  return g_test_run ();
}
