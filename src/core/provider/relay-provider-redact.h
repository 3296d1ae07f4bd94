/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Taking an API key out of text that came from a provider.  Pure functions, safe from any
 * thread. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What a key is replaced with. */
#define RELAY_REDACTED "***"

/* Keys shorter than this are not looked for: they would match ordinary words. */
#define RELAY_REDACT_MIN_SECRET 4

/* A cut-off start of the key at the end of a text ("… for key 4f9a2c…") is
 * replaced when it is at least this many characters long. */
#define RELAY_REDACT_MIN_FRAGMENT 6

/* @text with every occurrence of @secret replaced by RELAY_REDACTED, as a new
 * string.  Matches ignore ASCII case ("ABC123" for "abc123") and accept every
 * character of the key written as itself, URL-encoded ("%2F", "%2f", "+" for a
 * space) or URL-encoded twice ("%252F"), in any mix.  A start of the key of at
 * least RELAY_REDACT_MIN_FRAGMENT characters at the very end of @text (before
 * trailing spaces, dots or "…") is replaced too.  NULL @secret, or one shorter
 * than RELAY_REDACT_MIN_SECRET, gives a plain copy; NULL @text gives NULL. */
char     *relay_redact      (const char *text, const char *secret);

/* TRUE when relay_redact() would change @text. */
gboolean  relay_redact_hits (const char *text, const char *secret);

/* Replaces *@text with its redacted form when it holds the key; *@text may be
 * NULL. */
void      relay_redact_in_place (char **text, const char *secret);

G_END_DECLS
