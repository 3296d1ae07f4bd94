/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The canonical order statuses and how the providers' words map onto them. */
#include "relay-order-status.h"

#include <string.h>
#include <glib/gi18n-lib.h>

static const char * const names[RELAY_ORDER_N_STATUSES] = {
  "scheduled", "queued", "sending", "pending", "processing", "in_progress",
  "completed", "partial", "canceled", "failed", "needs_review",
};

static const char * const labels[RELAY_ORDER_N_STATUSES] = {
  N_("Scheduled"), N_("Queued"), N_("Sending"), N_("Pending"), N_("Processing"),
  N_("In progress"), N_("Completed"), N_("Partial"), N_("Canceled"), N_("Failed"),
  N_("Needs review"),
};

/* Provider words, folded to lower case without spaces, dashes or underscores. */
static const struct { const char *word; RelayOrderStatus status; } provider_words[] = {
  { "pending", RELAY_ORDER_PENDING },
  { "awaiting", RELAY_ORDER_PENDING },
  { "processing", RELAY_ORDER_PROCESSING },
  { "inprogress", RELAY_ORDER_IN_PROGRESS },
  { "active", RELAY_ORDER_IN_PROGRESS },
  { "completed", RELAY_ORDER_COMPLETED },
  { "complete", RELAY_ORDER_COMPLETED },
  { "partial", RELAY_ORDER_PARTIAL },
  { "partiallycompleted", RELAY_ORDER_PARTIAL },
  { "canceled", RELAY_ORDER_CANCELED },
  { "cancelled", RELAY_ORDER_CANCELED },
  { "refunded", RELAY_ORDER_CANCELED },
  { "error", RELAY_ORDER_FAILED },
  { "fail", RELAY_ORDER_FAILED },
  { "failed", RELAY_ORDER_FAILED },
};

const char *
relay_order_status_to_string (RelayOrderStatus status)
{
  g_return_val_if_fail (status < RELAY_ORDER_N_STATUSES, "unknown");
  return names[status];
}

gboolean
relay_order_status_from_string (const char       *name,
                                RelayOrderStatus *out)
{
  if (name == NULL)
    return FALSE;
  for (guint i = 0; i < RELAY_ORDER_N_STATUSES; i++)
    if (strcmp (names[i], name) == 0)
      {
        *out = (RelayOrderStatus) i;
        return TRUE;
      }
  return FALSE;
}

const char *
relay_order_status_get_label (RelayOrderStatus status)
{
  g_return_val_if_fail (status < RELAY_ORDER_N_STATUSES, "");
  return _(labels[status]);
}

gboolean
relay_order_status_from_provider (const char       *word,
                                  RelayOrderStatus *out)
{
  char folded[32];
  gsize n = 0;

  if (word == NULL)
    return FALSE;
  for (const char *p = word; *p != '\0'; p++)
    {
      if (*p == ' ' || *p == '_' || *p == '-' || *p == '\t')
        continue;
      if (n + 1 >= sizeof folded)
        return FALSE;
      folded[n++] = g_ascii_tolower (*p);
    }
  folded[n] = '\0';
  for (guint i = 0; i < G_N_ELEMENTS (provider_words); i++)
    if (strcmp (provider_words[i].word, folded) == 0)
      {
        *out = provider_words[i].status;
        return TRUE;
      }
  return FALSE;
}

gboolean
relay_order_status_is_active (RelayOrderStatus status)
{
  return status == RELAY_ORDER_PENDING ||
         status == RELAY_ORDER_PROCESSING ||
         status == RELAY_ORDER_IN_PROGRESS;
}

gboolean
relay_order_status_is_final (RelayOrderStatus status)
{
  return status == RELAY_ORDER_COMPLETED ||
         status == RELAY_ORDER_PARTIAL ||
         status == RELAY_ORDER_CANCELED ||
         status == RELAY_ORDER_FAILED;
}
