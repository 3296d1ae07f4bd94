/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Taking an API key out of a provider's text: in any ASCII case, URL-encoded once or twice,
 * and a cut-off start of it at the end. */
#define _GNU_SOURCE  /* memmem */

#include "relay-provider-redact.h"

#include <string.h>

/* One character as compared: ASCII lower case; '+' and ' ' are one class
 * (a form-encoded space is a '+', and "%2B" decodes to '+'). */
static char
fold (char c)
{
  c = g_ascii_tolower (c);
  return c == '+' ? ' ' : c;
}

/* The text decoded for matching: dec[i] is one character of the text,
 * written at bytes start[i] .. start[i + 1] - 1 ("%2F" and "%252F" are one
 * character). */
typedef struct
{
  char  *dec;
  gsize *start;   /* n + 1 entries */
  gsize  n;
} Decoded;

static void
decoded_clear (Decoded *d)
{
  g_free (d->dec);
  g_free (d->start);
}

static void
decode (const char *text, gsize len, Decoded *d)
{
  gsize p = 0;

  d->dec = g_malloc (len + 1);
  d->start = g_new (gsize, len + 1);
  d->n = 0;
  while (p < len)
    {
      const char *s = text + p;
      char c = *s;
      gsize width = 1;

      if (c == '%' && p + 5 <= len && s[1] == '2' && s[2] == '5' &&
          g_ascii_isxdigit (s[3]) && g_ascii_isxdigit (s[4]))
        {
          c = (char) (g_ascii_xdigit_value (s[3]) * 16 + g_ascii_xdigit_value (s[4]));
          width = 5;
        }
      else if (c == '%' && p + 3 <= len && g_ascii_isxdigit (s[1]) && g_ascii_isxdigit (s[2]))
        {
          c = (char) (g_ascii_xdigit_value (s[1]) * 16 + g_ascii_xdigit_value (s[2]));
          width = 3;
        }
      d->dec[d->n] = fold (c);
      d->start[d->n] = p;
      d->n++;
      p += width;
    }
  d->start[d->n] = len;
}

static gboolean
is_trailer (const char *text, gsize end, gsize *width)
{
  /* "…" is E2 80 A6 in UTF-8. */
  if (end >= 3 && memcmp (text + end - 3, "\xE2\x80\xA6", 3) == 0)
    {
      *width = 3;
      return TRUE;
    }
  if (end >= 1 && (text[end - 1] == '.' || g_ascii_isspace (text[end - 1])))
    {
      *width = 1;
      return TRUE;
    }
  return FALSE;
}

/* The redacted text, or NULL when nothing in @text is the key. */
static char *
redact_or_null (const char *text, const char *secret)
{
  g_autofree char *key = NULL;
  g_autoptr(GString) out = NULL;
  Decoded d = { 0 };
  gsize len, m, i = 0, copied = 0, raw_end, dec_end, width;
  gsize frag_from = G_MAXSIZE;

  if (text == NULL || secret == NULL)
    return NULL;
  m = strlen (secret);
  if (m < RELAY_REDACT_MIN_SECRET)
    return NULL;
  key = g_strdup (secret);
  for (gsize k = 0; k < m; k++)
    key[k] = fold (key[k]);

  /* Most strings cannot hold the key: it (or a fragment of it long enough to
   * count) starts with its first two characters, as themselves or encoded. */
  for (len = 0; text[len] != '\0'; len++)
    {
      if (text[len] == '%' ||
          (fold (text[len]) == key[0] && (text[len + 1] == '%' || fold (text[len + 1]) == key[1])))
        break;
    }
  if (text[len] == '\0')
    return NULL;
  len += strlen (text + len);
  decode (text, len, &d);

  /* A cut-off start of the key at the end. */
  raw_end = len;
  while (is_trailer (text, raw_end, &width))
    raw_end -= width;
  for (dec_end = d.n; dec_end > 0 && d.start[dec_end] > raw_end; dec_end--)
    ;
  if (d.start[dec_end] == raw_end)
    {
      for (gsize k = MIN (m - 1, dec_end); k >= RELAY_REDACT_MIN_FRAGMENT; k--)
        {
          if (memcmp (d.dec + dec_end - k, key, k) == 0)
            {
              frag_from = dec_end - k;
              break;
            }
        }
    }

  while (i < d.n)
    {
      const char *hit = NULL;

      if (d.n - i >= m)
        hit = memmem (d.dec + i, d.n - i, key, m);
      if (hit == NULL || (gsize) (hit - d.dec) >= frag_from)
        {
          if (frag_from < d.n && frag_from >= i)
            {
              if (out == NULL)
                out = g_string_sized_new (len);
              g_string_append_len (out, text + copied, d.start[frag_from] - copied);
              g_string_append (out, RELAY_REDACTED);
              copied = raw_end;
            }
          break;
        }
      i = (gsize) (hit - d.dec);
      if (out == NULL)
        out = g_string_sized_new (len);
      g_string_append_len (out, text + copied, d.start[i] - copied);
      g_string_append (out, RELAY_REDACTED);
      i += m;
      copied = d.start[i];
    }
  decoded_clear (&d);
  if (out == NULL)
    return NULL;
  g_string_append (out, text + copied);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
relay_redact (const char *text, const char *secret)
{
  char *redacted = redact_or_null (text, secret);

  return redacted != NULL ? redacted : g_strdup (text);
}

gboolean
relay_redact_hits (const char *text, const char *secret)
{
  g_autofree char *redacted = redact_or_null (text, secret);

  return redacted != NULL;
}

void
relay_redact_in_place (char **text, const char *secret)
{
  char *redacted;

  g_return_if_fail (text != NULL);

  redacted = redact_or_null (*text, secret);
  if (redacted == NULL)
    return;
  g_free (*text);
  *text = redacted;
}
