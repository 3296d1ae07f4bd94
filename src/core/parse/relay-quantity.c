/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Quantities as people type them, read strictly: a typo is an error, never
 * another number. */
#include "relay-quantity.h"

#include <langinfo.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "relay-error.h"
#include "relay-format.h"
#include "relay-order-rules.h"

/* Kinds of digit-group separators; all blanks count as one kind. */
typedef enum
{
  SEP_NONE,
  SEP_BLANK,
  SEP_OTHER,
} SepKind;

static gboolean
is_blank (gunichar c)
{
  return c == ' ' || c == 0x00A0 || c == 0x202F || c == 0x2009 || c == 0x2007;
}

static gboolean
is_unichar_of (gunichar c, const char *mark)
{
  return mark != NULL && *mark != '\0' && g_utf8_get_char (mark) == c &&
         *g_utf8_next_char (mark) == '\0';
}

static gboolean
fail_invalid (GError **error, const char *text, const char *group_mark)
{
  g_autofree char *example = NULL;
  const char *mark = group_mark;

  if (mark == NULL || *mark == '\0')
    mark = ",";
  example = g_strconcat ("1", mark, "500", NULL);
  g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID,
               /* TRANSLATORS: %s is what was typed, e.g. "2k"; "1500 or 1,500" is an example */
               _("“%s” is not a whole number; write digits only, such as 1500 or %s"),
               text, example);
  return FALSE;
}

gboolean
relay_quantity_parse_with_marks (const char  *text,
                                 const char  *decimal_mark,
                                 const char  *group_mark,
                                 gint64      *out_quantity,
                                 GError     **error)
{
  g_autofree char *typed = NULL;
  const char *p;
  gint64 value = 0;
  SepKind kind = SEP_NONE;
  gunichar sep_char = 0;
  guint run = 0;        /* digits in the current group */
  guint groups = 0;     /* groups finished so far */
  gboolean overflow = FALSE;

  g_return_val_if_fail (out_quantity != NULL, FALSE);

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    text = "";
  typed = g_strstrip (g_strdup (text));
  /* Strip Unicode blanks too (a pasted no-break space). */
  while (*typed != '\0' && is_blank (g_utf8_get_char (typed)))
    memmove (typed, g_utf8_next_char (typed), strlen (g_utf8_next_char (typed)) + 1);
  for (gsize len = strlen (typed); len > 0; len = strlen (typed))
    {
      char *last = g_utf8_find_prev_char (typed, typed + len);
      if (last == NULL || !is_blank (g_utf8_get_char (last)))
        break;
      *last = '\0';
    }

  if (*typed == '\0')
    {
      g_set_error_literal (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID,
                           _("the quantity is missing"));
      return FALSE;
    }
  if (*typed == '-' || g_utf8_get_char (typed) == 0x2212)
    {
      g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID,
                   _("quantity “%s” is negative"), typed);
      return FALSE;
    }
  if (*typed == '+')
    {
      g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID,
                   _("quantity “%s” has a sign; write the number alone"), typed);
      return FALSE;
    }

  for (p = typed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c >= '0' && c <= '9')
        {
          int digit = (int) (c - '0');

          /* A grouped number has groups of exactly three after the first. */
          if (groups > 0 && run == 3)
            return fail_invalid (error, typed, group_mark);
          if (value > (G_MAXINT64 - digit) / 10)
            overflow = TRUE;
          else
            value = value * 10 + digit;
          run++;
          continue;
        }

      if (is_unichar_of (c, decimal_mark))
        {
          g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID,
                       /* TRANSLATORS: %s is what was typed, e.g. "1.5" */
                       _("“%s” is not a whole number; a quantity is counted in whole units"),
                       typed);
          return FALSE;
        }

      if (is_blank (c) || c == ',' || c == '.' || c == '\'' || c == 0x2019 ||
          is_unichar_of (c, group_mark))
        {
          SepKind this_kind = is_blank (c) ? SEP_BLANK : SEP_OTHER;

          /* Between groups: after 1–3 leading digits, then after each 3. */
          if (run == 0 || (groups == 0 && run > 3) || (groups > 0 && run != 3))
            return fail_invalid (error, typed, group_mark);
          if (kind != SEP_NONE &&
              (kind != this_kind || (this_kind == SEP_OTHER && c != sep_char)))
            return fail_invalid (error, typed, group_mark);
          kind = this_kind;
          sep_char = c;
          groups++;
          run = 0;
          continue;
        }

      return fail_invalid (error, typed, group_mark);
    }

  if (groups > 0 && run != 3)
    return fail_invalid (error, typed, group_mark);

  if (overflow || value > RELAY_ORDER_MAX_UNITS)
    {
      g_autofree char *limit = relay_format_count (RELAY_ORDER_MAX_UNITS);

      g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE,
                   _("quantity %s is above the limit of %s"), typed, limit);
      return FALSE;
    }

  *out_quantity = value;
  return TRUE;
}

gboolean
relay_quantity_parse (const char  *text,
                      gint64      *out_quantity,
                      GError     **error)
{
  return relay_quantity_parse_with_marks (text, nl_langinfo (RADIXCHAR),
                                          nl_langinfo (THOUSEP), out_quantity, error);
}

gboolean
relay_quantity_check_limits (gint64    quantity,
                             gint64    min,
                             gint64    max,
                             GError  **error)
{
  g_autofree char *value_text = relay_format_count (quantity);
  g_autofree char *range_text = NULL;
  g_autofree char *limit_text = NULL;
  gint64 low = MAX (min, 1);
  gint64 high = max > 0 ? MIN (max, RELAY_ORDER_MAX_UNITS) : RELAY_ORDER_MAX_UNITS;

  if (quantity >= low && quantity <= high)
    return TRUE;

  range_text = relay_format_limits (low, max > 0 ? high : 0);
  if (quantity < low)
    {
      limit_text = relay_format_count (low);
      g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE,
                   /* TRANSLATORS: "30 is below this service’s minimum of 50 (it takes 50 – 10,000)" */
                   _("%s is below this service’s minimum of %s (it takes %s)"),
                   value_text, limit_text, range_text);
    }
  else
    {
      limit_text = relay_format_count (high);
      g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE,
                   /* TRANSLATORS: "20,000 is above this service’s maximum of 10,000 (it takes 50 – 10,000)" */
                   _("%s is above this service’s maximum of %s (it takes %s)"),
                   value_text, limit_text, range_text);
    }
  return FALSE;
}
