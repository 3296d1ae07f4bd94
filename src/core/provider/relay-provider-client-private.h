/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the files of RelayProviderClient share: the request queue and the form helpers. */
#pragma once

#include "relay-provider-client.h"
#include "relay-provider-reply.h"

G_BEGIN_DECLS

/* Which parser reads the reply, and its size limit. */
typedef RelayReplyKind RelayRequestKind;

/* A form that starts with the key and @action. */
GString  *relay_provider_client_form_new     (RelayProviderClient *self,
                                              const char          *action);
/* Appends name=value, percent-encoded; nothing when @value is NULL. */
void      relay_provider_form_add            (GString             *form,
                                              const char          *name,
                                              const char          *value);
/* Appends name=value; nothing when @value is 0. */
void      relay_provider_form_add_number     (GString             *form,
                                              const char          *name,
                                              gint64               value);

/* Queues a request (taking @form) and calls @callback with its parsed reply;
 * @single_id is the id of a one-id request, set on its result. */
void      relay_provider_client_submit       (RelayProviderClient *self,
                                              RelayRequestKind     kind,
                                              GString             *form,
                                              const char          *single_id,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data,
                                              gpointer             source_tag);
/* Fails a call before anything is queued (takes @error); the callback runs
 * from the main loop, never before the call returns. */
void      relay_provider_client_report_error (RelayProviderClient *self,
                                              GError              *error,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data,
                                              gpointer             source_tag);
/* The result of a call made with @source_tag (new reference/copy), or NULL
 * with @error. */
gpointer  relay_provider_client_finish       (RelayProviderClient *self,
                                              GAsyncResult        *result,
                                              gpointer             source_tag,
                                              GError             **error);

G_END_DECLS
