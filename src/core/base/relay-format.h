/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Small text formatters for people (the window's pages, the CLI): counts,
 * quantity ranges, ages and times. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* 4820 -> "4,820", -12 -> "-12".  New string. */
char *relay_format_count (gint64 value);
/* A service's quantity range: "50 – 10,000", or "from 50" when @max <= 0.  New string. */
char *relay_format_limits (gint64 min, gint64 max);
/* @text with its first letter in upper case, to show one of the core's
 * sentences on its own ("the link is missing" -> "The link is missing").
 * New string; NULL for NULL. */
char *relay_format_sentence (const char *text);
/* How long ago @then was, seen from @now (Unix seconds): "just now",
 * "12 s ago", "2 min ago", "3 h ago", "4 d ago"; "—" when @then is 0.  New string. */
char *relay_format_ago   (gint64 then, gint64 now);
/* A Unix time as local "2026-11-26 14:03:05"; "—" when 0.  New string. */
char *relay_format_time  (gint64 unix_time);

G_END_DECLS
