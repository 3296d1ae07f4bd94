/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tolerant readers of single JSON values, shared by the reply parsers. */
#pragma once

#include <json-glib/json-glib.h>

#include "relay-provider-reply.h"

G_BEGIN_DECLS

/* The longest refusal kept from a provider, in characters. */
#define RELAY_PROVIDER_WORDS_MAX RELAY_REPLY_MAX_WORDS

/* @text (valid UTF-8, taken) cut to at most @max_chars characters, the last
 * of which is then "…". */
char     *relay_json_cap            (char *text, guint max_chars);

/* A member of @object, or NULL when @object is NULL or lacks it. */
JsonNode *relay_json_member         (JsonObject *object, const char *name);

/* TRUE when @node is missing, null, or a string that is empty after trimming. */
gboolean  relay_json_is_blank       (JsonNode *node);

/* Money in micro-units from a number or a string (spaces allowed, a leading
 * '-' allowed).  Returns FALSE when blank or unreadable; *out is untouched. */
gboolean  relay_json_read_money     (JsonNode *node, gint64 *out);

/* A whole number from a number or a string (spaces allowed, negative allowed,
 * "157.0" accepted).  Returns FALSE when blank or unreadable. */
gboolean  relay_json_read_count     (JsonNode *node, gint64 *out);

/* A boolean from true/false, 0/1, "1"/"0", "true"/"false", "yes"/"no";
 * @fallback when missing, null or unreadable. */
gboolean  relay_json_read_bool      (JsonNode *node, gboolean fallback);

/* An id from a string (trimmed, not empty) or a whole number; new string or NULL. */
char     *relay_json_dup_id         (JsonNode *node);

/* A trimmed, non-empty string from a string or a number node, valid UTF-8 and
 * capped to @max_chars characters (see relay_json_cap()); new string or NULL. */
char     *relay_json_dup_text       (JsonNode *node, guint max_chars);

/* A currency code: 2 to 8 ASCII letters or digits after trimming ("USD",
 * "usdt"), as a new string; NULL when blank or when it does not look like
 * one (a long text, "…", spaces inside, a number). */
char     *relay_json_dup_currency   (JsonNode *node);

/* The provider's words made safe to show and store: valid UTF-8, control
 * characters removed (line breaks and tabs become one space), trimmed, at most
 * RELAY_PROVIDER_WORDS_MAX characters (a cut one ends with "…").  Never NULL;
 * may be empty. */
char     *relay_json_clean_words    (const char *words, gssize length);

/* When @node is an error ({"error": …} with a non-blank error), its cleaned
 * words as a new string; otherwise NULL.  An error that is itself an object
 * gives its "message" (or "error") member. */
char     *relay_json_dup_error      (JsonNode *node);

G_END_DECLS
