/* SPDX-License-Identifier: GPL-3.0-or-later */
/* CSV files of orders, as hosted panels export them: an RFC 4180 reader and
 * the mass-order lines it makes. */
#pragma once

#include <glib.h>

#include "relay-mass-parse.h"

G_BEGIN_DECLS

/* The longest field accepted; a longer one is an error on its line. */
#define RELAY_CSV_MAX_FIELD 2000

#define RELAY_CSV_ERROR (relay_csv_error_quark ())
GQuark relay_csv_error_quark (void);

typedef enum
{
  RELAY_CSV_ERROR_HEADER,    /* the header lacks a column, or names one twice */
} RelayCsvError;

typedef struct
{
  guint      line_no;   /* 1-based line on which the record starts */
  char      *text;      /* the record as written (valid UTF-8) */
  GPtrArray *fields;    /* char*, unquoted, not trimmed */
  char      *error;     /* NULL when well formed (an unterminated quote, text after a
                         * closing quote, a field over RELAY_CSV_MAX_FIELD) */
} RelayCsvRecord;

void relay_csv_record_free (RelayCsvRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayCsvRecord, relay_csv_record_free)

/* Splits @text (@len bytes, or -1 when NUL-terminated) into records per RFC
 * 4180: fields separated by @separator, quoted fields with "" for a quote and
 * line breaks inside, records ended by \r\n, \n or \r; a leading BOM skipped;
 * blank lines skipped.  A bad record carries ->error and never stops the
 * others; a record with a byte that is not UTF-8 (or a NUL byte) is a bad
 * record, "the line is not valid UTF-8 text (byte 0xFF at column 12)", its
 * ->text and ->fields showing the bytes as U+FFFD.  Linear in @len.
 * -> GPtrArray of RelayCsvRecord. */
GPtrArray *relay_csv_read (const char *text, gssize len, char separator);

/* Appends @text (NULL = empty) to @out as one CSV field: quoted when it
 * holds a comma, a quote or a line break, quotes doubled (RFC 4180).  Text a
 * spreadsheet would run as a formula — starting with = + - @, a tab or a
 * carriage return, and not a plain number such as "-5" or "-0.25" — gets a
 * leading ' so it is shown as text ("CSV injection": a link or a note from a
 * client or a panel could otherwise compute, fetch a URL or run a command). */
void relay_csv_append_field (GString *out, const char *text);

/* The separator the first line of @text uses: `;` when it has more `;` than
 * `,` outside quotes, else `,`. */
char relay_csv_guess_separator (const char *text, gssize len);

/* Reads a CSV of orders into mass-order lines (the same RelayMassLine items
 * relay_mass_parse() makes, with ->client, ->runs and ->interval filled from
 * their columns).  The first record is a header when it names the columns
 * (`service`, `link`, `quantity`, `client`, `runs`, `interval` and the
 * variants panels export, such as “Service ID” or “Qty”, in any order and
 * case; other columns are ignored); without one, the columns are taken in
 * that order.  Each line is checked as a pasted line is; a field over
 * RELAY_CSV_MAX_FIELD, a bad runs or interval, a malformed record or one that
 * is not valid UTF-8 is an error on that line, and the other lines stay.  NULL with RELAY_CSV_ERROR_HEADER only when the header
 * lacks service, link or quantity or names a column twice. */
GPtrArray *relay_csv_parse_mass (const char *text, gssize len, GError **error);

G_END_DECLS
