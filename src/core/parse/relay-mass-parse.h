/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Mass-order text: one order a line, `service | link | quantity`. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint   line_no;     /* 1-based line number in the pasted text */
  char   *text;        /* the line as written (without the newline) */
  char   *service;     /* my service id as written, trimmed */
  char   *link;        /* trimmed */
  gint64  quantity;
  char   *error;       /* NULL when the line is well formed; else one sentence */
  /* Only from a CSV file (relay-csv.h); NULL / 0 for pasted lines. */
  char   *client;      /* the client's name as written, trimmed; NULL = none */
  gint64  runs;        /* drip-feed runs, 0 = none */
  gint64  interval;    /* drip-feed minutes between runs, 0 = none */
} RelayMassLine;

void relay_mass_line_free (RelayMassLine *line);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayMassLine, relay_mass_line_free)

/* Splits @text into lines (\n, \r\n or \r), skips blank lines, and parses each
 * on its own: three fields separated by `|` (spaces around it optional), a
 * service id that is a positive whole number, a link without spaces or
 * control characters, and a quantity that is a positive whole number
 * (thousands separators refused).  A line that is not valid UTF-8 is a bad
 * line ("the line is not valid UTF-8 text (byte 0xFF at column 12)"); its
 * ->text, ->service and ->link show the bad bytes as U+FFFD.  Returns a
 * GPtrArray of RelayMassLine in text order; bad lines carry ->error and never
 * stop the others.  Linear in the size of @text; @text is read as it is
 * (any bytes up to its NUL). */
GPtrArray *relay_mass_parse (const char *text);

/* The error of a line that is not valid UTF-8: @bad is its first byte that
 * is not, on the line starting at @line_start; its column is counted in
 * characters from there (1-based).  @later_line is the file's line number
 * when a CSV record spans lines and @bad is on a later one than its first,
 * else 0.  (New string.) */
char *relay_mass_invalid_utf8_error (const char *line_start, const char *bad,
                                     guint later_line);

G_END_DECLS
