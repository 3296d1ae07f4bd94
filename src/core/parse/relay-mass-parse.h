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
 * service id that is a positive whole number, a link without spaces, and a
 * quantity that is a positive whole number (thousands separators refused).
 * Returns a GPtrArray of RelayMassLine in text order; bad lines carry ->error
 * and never stop the others.  Linear in the size of @text. */
GPtrArray *relay_mass_parse (const char *text);

G_END_DECLS
