/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzzes the mass-order parser with arbitrary pasted text: it must never
 * crash, must keep every non-blank line, and a line without an error must
 * hold what the parser promises (a numeric service, a link without spaces,
 * a positive quantity). */
#include "fuzz-common.h"
#include "relay-mass-parse.h"

#include <string.h>

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(GPtrArray) lines = NULL;
  guint previous_line_no = 0;

  fuzz_setup ();
  lines = relay_mass_parse (text);
  FUZZ_CHECK (lines != NULL);
  /* Never more lines than line ends + 1. */
  FUZZ_CHECK (lines->len <= strlen (text) + 1);

  for (guint i = 0; i < lines->len; i++)
    {
      RelayMassLine *line = g_ptr_array_index (lines, i);

      FUZZ_CHECK (line != NULL);
      FUZZ_CHECK (line->line_no > previous_line_no);
      previous_line_no = line->line_no;
      FUZZ_CHECK (line->text != NULL);
      FUZZ_CHECK (g_utf8_validate (line->text, -1, NULL));
      if (line->error != NULL)
        {
          FUZZ_CHECK (*line->error != '\0');
          FUZZ_CHECK (g_utf8_validate (line->error, -1, NULL));
          continue;
        }
      FUZZ_CHECK (line->service != NULL && *line->service != '\0');
      for (const char *p = line->service; *p != '\0'; p++)
        FUZZ_CHECK (g_ascii_isdigit (*p));
      FUZZ_CHECK (line->link != NULL && *line->link != '\0');
      FUZZ_CHECK (g_utf8_validate (line->link, -1, NULL));
      for (const char *p = line->link; *p != '\0'; p++)
        FUZZ_CHECK (!g_ascii_isspace (*p));
      FUZZ_CHECK (line->quantity > 0);
    }
  return 0;
}
