/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzzes the link rules.  Byte 0 picks the platform, byte 1 the link kind;
 * the rest is a service name, a category and a link separated by newlines.
 * Classifying must give a known platform and kind; checking a link must
 * either accept it or refuse it with one RELAY_INPUT_ERROR sentence. */
#include "fuzz-common.h"
#include "relay-error.h"
#include "relay-link.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) parts = NULL;
  RelayPlatform platform;
  RelayLinkKind kind;
  const char *link;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  fuzz_setup ();
  if (size < 2)
    return 0;
  platform = data[0] % RELAY_N_PLATFORMS;
  kind = data[1] % 3;
  text = g_strndup ((const char *) data + 2, size - 2);
  parts = g_strsplit (text, "\n", 3);

  if (parts[0] != NULL && parts[1] != NULL)
    {
      RelayPlatform classified_platform = RELAY_N_PLATFORMS;
      RelayLinkKind classified_kind = RELAY_LINK_POST + 1;

      if (g_utf8_validate (parts[0], -1, NULL) && g_utf8_validate (parts[1], -1, NULL))
        {
          relay_link_classify_service (parts[0], parts[1], &classified_platform,
                                       &classified_kind);
          FUZZ_CHECK (classified_platform < RELAY_N_PLATFORMS);
          FUZZ_CHECK (classified_kind <= RELAY_LINK_POST);
          FUZZ_CHECK (relay_platform_get_label (classified_platform) != NULL);
        }
    }

  link = parts[0] == NULL ? "" : parts[parts[1] == NULL ? 0 : parts[2] == NULL ? 1 : 2];
  ok = relay_link_check (link, platform, kind, &error);
  if (ok)
    FUZZ_CHECK (error == NULL);
  else
    {
      FUZZ_CHECK (error != NULL);
      FUZZ_CHECK (error->domain == RELAY_INPUT_ERROR);
      FUZZ_CHECK (error->message != NULL && *error->message != '\0');
      FUZZ_CHECK (g_utf8_validate (error->message, -1, NULL));
    }
  return 0;
}
