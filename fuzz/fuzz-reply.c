/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzzes every reply parser of the provider API with hostile bodies.
 * Byte 0 picks the parser, byte 1 the HTTP status; the rest is the body.
 * Each parser must return a result or set a RELAY_PROVIDER_ERROR, never both
 * and never neither, and every text it hands on must be valid UTF-8. */
#include "fuzz-common.h"
#include "relay-error.h"
#include "relay-provider-reply.h"

static const guint statuses[] = { 200, 200, 200, 200, 201, 400, 403, 404, 429, 500, 502, 503 };

static void
check_text (const char *text)
{
  if (text != NULL)
    FUZZ_CHECK (g_utf8_validate (text, -1, NULL));
}

static void
check_status (RelayProviderStatus *status)
{
  FUZZ_CHECK (status != NULL);
  check_text (status->order_id);
  check_text (status->error);
  check_text (status->status_word);
  check_text (status->currency);
}

static void
check_items (GPtrArray *items)
{
  for (guint i = 0; i < items->len; i++)
    {
      RelayProviderItemResult *item = g_ptr_array_index (items, i);

      FUZZ_CHECK (item != NULL);
      check_text (item->order_id);
      check_text (item->result_id);
      check_text (item->error);
    }
}

static void
check_refill_status (RelayProviderRefillStatus *status)
{
  FUZZ_CHECK (status != NULL);
  check_text (status->refill_id);
  check_text (status->status_word);
  check_text (status->error);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  gboolean have_result = FALSE;
  guint http_status;

  fuzz_setup ();
  if (size < 2)
    return 0;
  http_status = statuses[data[1] % G_N_ELEMENTS (statuses)];
  body = g_bytes_new (data + 2, size - 2);

  switch (data[0] % 10)
    {
    case 0:
      {
        guint n_skipped = G_MAXUINT;
        g_autoptr(GPtrArray) services = relay_reply_parse_services (http_status, body,
                                                                    &n_skipped, &error);
        if ((have_result = services != NULL))
          {
            FUZZ_CHECK (n_skipped != G_MAXUINT);
            for (guint i = 0; i < services->len; i++)
              {
                RelayProviderService *service = g_ptr_array_index (services, i);

                FUZZ_CHECK (service != NULL);
                FUZZ_CHECK (service->service_id != NULL && *service->service_id != '\0');
                check_text (service->service_id);
                /* A refused entry names its id only: the catalog keeps its
                 * previous row. */
                if (service->refused)
                  {
                    FUZZ_CHECK (service->name == NULL && service->rate == 0);
                    continue;
                  }
                FUZZ_CHECK (service->name != NULL);
                check_text (service->name);
                check_text (service->type);
                check_text (service->category);
                FUZZ_CHECK (service->rate >= 0);
              }
          }
        break;
      }
    case 1:
      {
        g_autofree char *order_id = relay_reply_parse_add (http_status, body, &error);
        if ((have_result = order_id != NULL))
          {
            FUZZ_CHECK (*order_id != '\0');
            check_text (order_id);
          }
        break;
      }
    case 2:
      {
        g_autoptr(RelayProviderStatus) status = relay_reply_parse_status (http_status, body,
                                                                          &error);
        if ((have_result = status != NULL))
          check_status (status);
        break;
      }
    case 3:
      {
        g_autoptr(GHashTable) table = relay_reply_parse_statuses (http_status, body, &error);
        if ((have_result = table != NULL))
          {
            GHashTableIter iter;
            gpointer key, value;

            g_hash_table_iter_init (&iter, table);
            while (g_hash_table_iter_next (&iter, &key, &value))
              {
                check_text (key);
                check_status (value);
              }
          }
        break;
      }
    case 4:
      {
        g_autoptr(RelayProviderBalance) balance = relay_reply_parse_balance (http_status, body,
                                                                             &error);
        if ((have_result = balance != NULL))
          check_text (balance->currency);
        break;
      }
    case 5:
      {
        g_autofree char *refill_id = relay_reply_parse_refill (http_status, body, &error);
        if ((have_result = refill_id != NULL))
          {
            FUZZ_CHECK (*refill_id != '\0');
            check_text (refill_id);
          }
        break;
      }
    case 6:
    case 7:
      {
        g_autoptr(GPtrArray) items = relay_reply_parse_item_results (
          http_status, body, data[0] % 10 == 6 ? "refill" : "cancel", &error);
        if ((have_result = items != NULL))
          check_items (items);
        break;
      }
    case 8:
      {
        g_autoptr(RelayProviderRefillStatus) status =
          relay_reply_parse_refill_status (http_status, body, &error);
        if ((have_result = status != NULL))
          check_refill_status (status);
        break;
      }
    case 9:
      {
        g_autoptr(GPtrArray) list = relay_reply_parse_refill_statuses (http_status, body,
                                                                       &error);
        if ((have_result = list != NULL))
          for (guint i = 0; i < list->len; i++)
            check_refill_status (g_ptr_array_index (list, i));
        break;
      }
    default:
      g_assert_not_reached ();
    }

  if (have_result)
    FUZZ_CHECK (error == NULL);
  else
    {
      FUZZ_CHECK (error != NULL);
      FUZZ_CHECK (error->domain == RELAY_PROVIDER_ERROR);
      FUZZ_CHECK (error->message != NULL && *error->message != '\0');
      FUZZ_CHECK (g_utf8_validate (error->message, -1, NULL));
    }
  return 0;
}
