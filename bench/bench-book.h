/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The bench's big order book: generated once, cached by generator version,
 * schema version and size. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Raise when what bench_book_ensure() writes changes: an old cache is then
 * never used. */
#define BENCH_BOOK_GENERATOR 1

/* The path of a book of @n_orders orders in @cache_dir, generated (and
 * printed about on stderr) when not there yet; NULL with @error. */
char *bench_book_ensure (const char *cache_dir, guint n_orders, GError **error);

G_END_DECLS
