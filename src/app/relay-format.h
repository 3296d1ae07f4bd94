/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Small text formatters shared by the widgets: counts, ages and times. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* 4820 -> "4,820", -12 -> "-12".  New string. */
char *relay_format_count (gint64 value);
/* How long ago @then was, seen from @now (Unix seconds): "just now",
 * "12 s ago", "2 min ago", "3 h ago", "4 d ago"; "—" when @then is 0.  New string. */
char *relay_format_ago   (gint64 then, gint64 now);
/* A Unix time as local "2026-11-26 14:03:05"; "—" when 0.  New string. */
char *relay_format_time  (gint64 unix_time);

G_END_DECLS
