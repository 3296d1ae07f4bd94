/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The API v2 client's actions: the form of each request and the checks before it is sent. */
#include "relay-provider-client.h"
#include "relay-provider-client-private.h"
#include "relay-error.h"

#include <glib/gi18n-lib.h>

static gboolean
id_is_sendable (const char *id)
{
  if (id == NULL || *id == '\0')
    return FALSE;
  for (const char *p = id; *p != '\0'; p++)
    {
      if (*p == ',' || g_ascii_isspace (*p) || g_ascii_iscntrl (*p))
        return FALSE;
    }
  return TRUE;
}

static void
set_bad_id_error (GError **error)
{
  g_set_error_literal (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_CONFIG,
                       _("an id is empty or contains a comma, a space or a control character"));
}

static gboolean
check_ids (const char * const *ids, guint n_ids, GError **error)
{
  if (ids == NULL || n_ids == 0 || n_ids > RELAY_PROVIDER_MAX_IDS)
    {
      g_set_error (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_CONFIG,
                   _("between 1 and %u ids can be sent in one request, not %u"),
                   RELAY_PROVIDER_MAX_IDS, ids == NULL ? 0 : n_ids);
      return FALSE;
    }
  for (guint i = 0; i < n_ids; i++)
    {
      if (!id_is_sendable (ids[i]))
        {
          set_bad_id_error (error);
          return FALSE;
        }
    }
  return TRUE;
}

static char *
join_ids (const char * const *ids, guint n_ids)
{
  GString *joined = g_string_new (NULL);

  for (guint i = 0; i < n_ids; i++)
    {
      if (i > 0)
        g_string_append_c (joined, ',');
      g_string_append (joined, ids[i]);
    }
  return g_string_free (joined, FALSE);
}

/* services */

void
relay_provider_client_services_async (RelayProviderClient *self,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (RELAY_IS_PROVIDER_CLIENT (self));

  relay_provider_client_submit (self, RELAY_REPLY_SERVICES,
                                relay_provider_client_form_new (self, "services"), NULL,
                                cancellable, callback, user_data,
                                relay_provider_client_services_async);
}

GPtrArray *
relay_provider_client_services_finish (RelayProviderClient *self, GAsyncResult *result,
                                       GError **error)
{
  return relay_provider_client_finish (self, result, relay_provider_client_services_async, error);
}

/* add */

static gboolean
check_add_request (const RelayProviderAddRequest *r, GError **error)
{
  if (r == NULL || !id_is_sendable (r->service_id))
    {
      g_set_error_literal (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_CONFIG,
                           _("the order has no valid service id"));
      return FALSE;
    }
  if (r->quantity < 0 || r->runs < 0 || r->interval < 0 || r->answer_number < 0 ||
      r->min < 0 || r->max < 0 || r->posts < 0 || r->old_posts < 0 || r->delay < 0)
    {
      g_set_error_literal (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_CONFIG,
                           _("the order has a negative number"));
      return FALSE;
    }
  return TRUE;
}

void
relay_provider_client_add_async (RelayProviderClient           *self,
                                 const RelayProviderAddRequest *request,
                                 GCancellable                  *cancellable,
                                 GAsyncReadyCallback            callback,
                                 gpointer                       user_data)
{
  GError *error = NULL;
  GString *form;

  g_return_if_fail (RELAY_IS_PROVIDER_CLIENT (self));

  if (!check_add_request (request, &error))
    {
      relay_provider_client_report_error (self, error, cancellable, callback, user_data,
                           relay_provider_client_add_async);
      return;
    }

  form = relay_provider_client_form_new (self, "add");
  relay_provider_form_add (form, "service", request->service_id);
  relay_provider_form_add (form, "link", request->link);
  relay_provider_form_add_number (form, "quantity", request->quantity);
  relay_provider_form_add_number (form, "runs", request->runs);
  relay_provider_form_add_number (form, "interval", request->interval);
  relay_provider_form_add (form, "comments", request->comments);
  relay_provider_form_add (form, "usernames", request->usernames);
  relay_provider_form_add (form, "username", request->username);
  relay_provider_form_add (form, "hashtags", request->hashtags);
  relay_provider_form_add (form, "hashtag", request->hashtag);
  relay_provider_form_add (form, "media", request->media);
  relay_provider_form_add_number (form, "answer_number", request->answer_number);
  relay_provider_form_add_number (form, "min", request->min);
  relay_provider_form_add_number (form, "max", request->max);
  relay_provider_form_add_number (form, "posts", request->posts);
  relay_provider_form_add_number (form, "old_posts", request->old_posts);
  relay_provider_form_add_number (form, "delay", request->delay);
  relay_provider_form_add (form, "expiry", request->expiry);

  relay_provider_client_submit (self, RELAY_REPLY_ADD, form, NULL, cancellable, callback,
                                user_data, relay_provider_client_add_async);
}

char *
relay_provider_client_add_finish (RelayProviderClient *self, GAsyncResult *result, GError **error)
{
  return relay_provider_client_finish (self, result, relay_provider_client_add_async, error);
}

/* Requests with one id (`order` or `refill`). */
static void
submit_one_id (RelayProviderClient *self,
               RelayRequestKind          kind,
               const char          *action,
               const char          *field,
               const char          *id,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data,
               gpointer             source_tag)
{
  GError *error = NULL;
  GString *form;

  if (!id_is_sendable (id))
    {
      set_bad_id_error (&error);
      relay_provider_client_report_error (self, error, cancellable, callback, user_data,
                                          source_tag);
      return;
    }
  form = relay_provider_client_form_new (self, action);
  relay_provider_form_add (form, field, id);
  relay_provider_client_submit (self, kind, form, id, cancellable, callback, user_data,
                                source_tag);
}

/* Requests with 1 to RELAY_PROVIDER_MAX_IDS ids (`orders` or `refills`). */
static void
submit_ids (RelayProviderClient *self,
            RelayRequestKind          kind,
            const char          *action,
            const char          *field,
            const char * const  *ids,
            guint                n_ids,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data,
            gpointer             source_tag)
{
  GError *error = NULL;
  g_autofree char *joined = NULL;
  GString *form;

  if (!check_ids (ids, n_ids, &error))
    {
      relay_provider_client_report_error (self, error, cancellable, callback, user_data,
                                          source_tag);
      return;
    }
  joined = join_ids (ids, n_ids);
  form = relay_provider_client_form_new (self, action);
  relay_provider_form_add (form, field, joined);
  relay_provider_client_submit (self, kind, form, NULL, cancellable, callback, user_data,
                                source_tag);
}

/* status */

void
relay_provider_client_status_async (RelayProviderClient *self,
                                    const char          *order_id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (RELAY_IS_PROVIDER_CLIENT (self));

  submit_one_id (self, RELAY_REPLY_STATUS, "status", "order", order_id, cancellable, callback,
                 user_data, relay_provider_client_status_async);
}

RelayProviderStatus *
relay_provider_client_status_finish (RelayProviderClient *self, GAsyncResult *result,
                                     GError **error)
{
  return relay_provider_client_finish (self, result, relay_provider_client_status_async, error);
}

void
relay_provider_client_statuses_async (RelayProviderClient *self,
                                      const char * const  *order_ids,
                                      guint                n_ids,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (RELAY_IS_PROVIDER_CLIENT (self));

  submit_ids (self, RELAY_REPLY_STATUSES, "status", "orders", order_ids, n_ids, cancellable,
              callback, user_data, relay_provider_client_statuses_async);
}

GHashTable *
relay_provider_client_statuses_finish (RelayProviderClient *self, GAsyncResult *result,
                                       GError **error)
{
  return relay_provider_client_finish (self, result, relay_provider_client_statuses_async, error);
}

/* balance */

void
relay_provider_client_balance_async (RelayProviderClient *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (RELAY_IS_PROVIDER_CLIENT (self));

  relay_provider_client_submit (self, RELAY_REPLY_BALANCE,
                                relay_provider_client_form_new (self, "balance"), NULL,
                                cancellable, callback, user_data,
                                relay_provider_client_balance_async);
}

RelayProviderBalance *
relay_provider_client_balance_finish (RelayProviderClient *self, GAsyncResult *result,
                                      GError **error)
{
  return relay_provider_client_finish (self, result, relay_provider_client_balance_async, error);
}

/* refill */

void
relay_provider_client_refill_async (RelayProviderClient *self,
                                    const char          *order_id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (RELAY_IS_PROVIDER_CLIENT (self));

  submit_one_id (self, RELAY_REPLY_REFILL, "refill", "order", order_id, cancellable, callback,
                 user_data, relay_provider_client_refill_async);
}

char *
relay_provider_client_refill_finish (RelayProviderClient *self, GAsyncResult *result,
                                     GError **error)
{
  return relay_provider_client_finish (self, result, relay_provider_client_refill_async, error);
}

void
relay_provider_client_refills_async (RelayProviderClient *self,
                                     const char * const  *order_ids,
                                     guint                n_ids,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (RELAY_IS_PROVIDER_CLIENT (self));

  submit_ids (self, RELAY_REPLY_REFILLS, "refill", "orders", order_ids, n_ids, cancellable,
              callback, user_data, relay_provider_client_refills_async);
}

GPtrArray *
relay_provider_client_refills_finish (RelayProviderClient *self, GAsyncResult *result,
                                      GError **error)
{
  return relay_provider_client_finish (self, result, relay_provider_client_refills_async, error);
}

/* refill_status */

void
relay_provider_client_refill_status_async (RelayProviderClient *self,
                                           const char          *refill_id,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_return_if_fail (RELAY_IS_PROVIDER_CLIENT (self));

  submit_one_id (self, RELAY_REPLY_REFILL_STATUS, "refill_status", "refill", refill_id,
                 cancellable, callback, user_data, relay_provider_client_refill_status_async);
}

RelayProviderRefillStatus *
relay_provider_client_refill_status_finish (RelayProviderClient *self, GAsyncResult *result,
                                            GError **error)
{
  return relay_provider_client_finish (self, result, relay_provider_client_refill_status_async,
                                       error);
}

void
relay_provider_client_refill_statuses_async (RelayProviderClient *self,
                                             const char * const  *refill_ids,
                                             guint                n_ids,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  g_return_if_fail (RELAY_IS_PROVIDER_CLIENT (self));

  submit_ids (self, RELAY_REPLY_REFILL_STATUSES, "refill_status", "refills", refill_ids, n_ids,
              cancellable, callback, user_data, relay_provider_client_refill_statuses_async);
}

GPtrArray *
relay_provider_client_refill_statuses_finish (RelayProviderClient *self, GAsyncResult *result,
                                              GError **error)
{
  return relay_provider_client_finish (self, result,
                                       relay_provider_client_refill_statuses_async, error);
}

/* cancel */

void
relay_provider_client_cancel_async (RelayProviderClient *self,
                                    const char * const  *order_ids,
                                    guint                n_ids,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (RELAY_IS_PROVIDER_CLIENT (self));

  submit_ids (self, RELAY_REPLY_CANCEL, "cancel", "orders", order_ids, n_ids, cancellable,
              callback, user_data, relay_provider_client_cancel_async);
}

GPtrArray *
relay_provider_client_cancel_finish (RelayProviderClient *self, GAsyncResult *result,
                                     GError **error)
{
  return relay_provider_client_finish (self, result, relay_provider_client_cancel_async, error);
}
