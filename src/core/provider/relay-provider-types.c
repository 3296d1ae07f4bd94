/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Freeing the provider API's plain results, and reading a refusal's class from its words. */
#include "relay-provider-types.h"

#include <string.h>

void
relay_provider_service_free (RelayProviderService *self)
{
  if (self == NULL)
    return;
  g_free (self->service_id);
  g_free (self->name);
  g_free (self->type);
  g_free (self->category);
  g_free (self);
}

void
relay_provider_status_free (RelayProviderStatus *self)
{
  if (self == NULL)
    return;
  g_free (self->order_id);
  g_free (self->error);
  g_free (self->status_word);
  g_free (self->currency);
  g_free (self);
}

void
relay_provider_balance_free (RelayProviderBalance *self)
{
  if (self == NULL)
    return;
  g_free (self->currency);
  g_free (self);
}

void
relay_provider_item_result_free (RelayProviderItemResult *self)
{
  if (self == NULL)
    return;
  g_free (self->order_id);
  g_free (self->result_id);
  g_free (self->error);
  g_free (self);
}

void
relay_provider_refill_status_free (RelayProviderRefillStatus *self)
{
  if (self == NULL)
    return;
  g_free (self->refill_id);
  g_free (self->status_word);
  g_free (self->error);
  g_free (self);
}

static gboolean
contains_any (const char *haystack, const char * const *needles)
{
  for (guint i = 0; needles[i] != NULL; i++)
    {
      if (strstr (haystack, needles[i]) != NULL)
        return TRUE;
    }
  return FALSE;
}

/* The order of the checks matters where words overlap: "Not enough funds"
 * wins over anything else, and "active order" is checked before "link"
 * ("You have active order with this link"). */
RelayRejectKind
relay_provider_reject_kind (const char *provider_words)
{
  static const char * const funds[] = { "funds", "balance", NULL };
  static const char * const auth[] = { "api key", "invalid key", NULL };
  static const char * const active[] = { "active order", NULL };
  static const char * const service[] = {
    "incorrect service", "service is disabled", "service disabled", "service not found", NULL
  };
  static const char * const link[] = { "incorrect link", "invalid link", NULL };
  static const char * const quantity[] = { "quantity", NULL };
  g_autofree char *folded = NULL;

  if (provider_words == NULL)
    return RELAY_REJECT_OTHER;

  /* ASCII folding is enough: every class is recognised by ASCII words, and
   * g_ascii_strdown leaves other bytes of UTF-8 text alone. */
  folded = g_ascii_strdown (provider_words, -1);
  if (contains_any (folded, funds))
    return RELAY_REJECT_FUNDS;
  if (contains_any (folded, auth))
    return RELAY_REJECT_AUTH;
  if (contains_any (folded, active))
    return RELAY_REJECT_ACTIVE_ORDER;
  if (contains_any (folded, service))
    return RELAY_REJECT_SERVICE;
  if (contains_any (folded, link))
    return RELAY_REJECT_LINK;
  if (contains_any (folded, quantity))
    return RELAY_REJECT_QUANTITY;
  return RELAY_REJECT_OTHER;
}

gboolean
relay_provider_id_is_valid (const char *id)
{
  gboolean all_digits = TRUE;
  gsize len = 0;

  if (id == NULL || !g_ascii_isalnum (id[0]))
    return FALSE;
  for (const char *p = id; *p != '\0'; p++, len++)
    {
      if (len >= RELAY_PROVIDER_ID_MAX_LENGTH)
        return FALSE;
      if (g_ascii_isalpha (*p))
        all_digits = FALSE;
      else if (!g_ascii_isdigit (*p) && *p != '_' && *p != '-')
        return FALSE;
    }
  if (!all_digits)
    return TRUE;
  /* Only digits, '_' and '-' and no letter: a number, and only a plain one. */
  for (const char *p = id; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
    }
  return id[0] != '0' && len <= 19;
}
