/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The simulator's HTTP side: routes, latency, faults and the admin endpoints. */
#include "relay-sim-private.h"
#include "relay-money.h"

#include <glib/gi18n-lib.h>
#include <string.h>
#ifdef __linux__
#include <sys/timerfd.h>
#include <unistd.h>
#endif

#define HTML_TYPE "text/html"
#define JSON_TYPE "application/json; charset=utf-8"
/* How long a TIMEOUT fault holds its reply: far beyond any client's patience. */
#define HOLD_MS (10 * 60 * 1000)
/* libsoup 3.2 has no name for it. */
#define STATUS_TOO_MANY_REQUESTS 429

/* A reply waiting for its time: latency, a TIMEOUT fault, or a drop. */
typedef struct
{
  RelaySim          *sim;
  SoupServerMessage *msg;
  GSource           *source;
  gulong             disconnected_id;
  gboolean           drop;
} RelaySimHeld;

static const char bad_gateway_page[] =
  "<html>\r\n"
  "<head><title>502 Bad Gateway</title></head>\r\n"
  "<body>\r\n"
  "<center><h1>502 Bad Gateway</h1></center>\r\n"
  "<hr><center>nginx</center>\r\n"
  "</body>\r\n"
  "</html>\r\n";

static const char too_many_page[] =
  "<html>\r\n"
  "<head><title>429 Too Many Requests</title></head>\r\n"
  "<body>\r\n"
  "<center><h1>429 Too Many Requests</h1></center>\r\n"
  "<hr><center>nginx</center>\r\n"
  "</body>\r\n"
  "</html>\r\n";

static const char not_found_page[] =
  "<html>\r\n"
  "<head><title>404 Not Found</title></head>\r\n"
  "<body>\r\n"
  "<center><h1>404 Not Found</h1></center>\r\n"
  "<hr><center>nginx</center>\r\n"
  "</body>\r\n"
  "</html>\r\n";

static const char not_allowed_page[] =
  "<html>\r\n"
  "<head><title>405 Not Allowed</title></head>\r\n"
  "<body>\r\n"
  "<center><h1>405 Not Allowed</h1></center>\r\n"
  "<hr><center>nginx</center>\r\n"
  "</body>\r\n"
  "</html>\r\n";

static void
reply_html (RelaySimReply *reply,
            guint          status,
            const char    *page)
{
  g_free (reply->body);
  reply->status = status;
  reply->content_type = HTML_TYPE;
  reply->body = g_strdup (page);
}

static void
held_free (RelaySimHeld *held)
{
  if (held->disconnected_id != 0)
    g_signal_handler_disconnect (held->msg, held->disconnected_id);
  if (held->source != NULL)
    {
      g_source_destroy (held->source);
      g_source_unref (held->source);
    }
  g_object_unref (held->msg);
  g_free (held);
}

static void
close_stolen (GIOStream *stream)
{
  if (stream == NULL)
    return;
  g_io_stream_close (stream, NULL, NULL);
  g_object_unref (stream);
}

static gboolean
on_held_due (gpointer user_data)
{
  RelaySimHeld *held = user_data;
  RelaySim *self = held->sim;

  self->held = g_list_remove (self->held, held);
  g_clear_pointer (&held->source, g_source_unref);
  g_signal_handler_disconnect (held->msg, held->disconnected_id);
  held->disconnected_id = 0;

  if (held->drop)
    close_stolen (soup_server_message_steal_connection (held->msg));
  else
    soup_server_message_unpause (held->msg);

  held_free (held);
  return G_SOURCE_REMOVE;
}

/* The client went away first: forget the reply. */
static void
on_held_disconnected (SoupServerMessage *msg,
                      gpointer           user_data)
{
  RelaySimHeld *held = user_data;

  g_debug ("relay-sim: client left before its reply was due");
  held->sim->held = g_list_remove (held->sim->held, held);
  held_free (held);
}

#ifdef __linux__
/* A source that fires at a monotonic time to the microsecond: a timerfd the
 * source owns.  A GLib timeout fires up to a millisecond late (the poll's
 * timeout is rounded up to whole milliseconds) — a 20 ms latency came out
 * at 20.5-21 ms, 2.5-5 % more than asked for on every reply. */
typedef struct
{
  GSource source;
  int     fd;
} RelaySimDueSource;

static gboolean
due_source_dispatch (GSource     *source,
                     GSourceFunc  callback,
                     gpointer     user_data)
{
  return callback (user_data);
}

static void
due_source_finalize (GSource *source)
{
  close (((RelaySimDueSource *) source)->fd);
}

static GSourceFuncs due_source_funcs = {
  NULL, NULL, due_source_dispatch, due_source_finalize, NULL, NULL,
};
#endif

/* A source that fires once the monotonic clock reaches @due_us. */
static GSource *
due_source_new (gint64 due_us)
{
  gint64 wait_us = due_us - g_get_monotonic_time ();
#ifdef __linux__
  int fd = timerfd_create (CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);

  if (fd >= 0)
    {
      /* g_get_monotonic_time() is CLOCK_MONOTONIC on Linux; a time already
       * past fires at once (an absolute time of zero would disarm it). */
      struct itimerspec spec = { { 0, 0 }, { 0, 0 } };
      gint64 at = MAX (due_us, 1);

      spec.it_value.tv_sec = at / G_USEC_PER_SEC;
      spec.it_value.tv_nsec = (at % G_USEC_PER_SEC) * 1000;
      if (timerfd_settime (fd, TFD_TIMER_ABSTIME, &spec, NULL) == 0)
        {
          GSource *source = g_source_new (&due_source_funcs, sizeof (RelaySimDueSource));

          ((RelaySimDueSource *) source)->fd = fd;
          g_source_add_unix_fd (source, fd, G_IO_IN);
          return source;
        }
      close (fd);
    }
#endif
  /* Rounded up: never before @due_us. */
  return g_timeout_source_new ((guint) ((MAX (wait_us, 0) + 999) / 1000));
}

static void
hold (RelaySim          *self,
      SoupServerMessage *msg,
      gint64             arrived_at,
      guint              delay_ms,
      gboolean           drop)
{
  RelaySimHeld *held = g_new0 (RelaySimHeld, 1);

  held->sim = self;
  held->msg = g_object_ref (msg);
  held->drop = drop;
  soup_server_message_pause (msg);
  held->disconnected_id = g_signal_connect (msg, "disconnected",
                                            G_CALLBACK (on_held_disconnected), held);
  /* The latency counts from the request's arrival, as a panel's would: its
   * own work for the request (100 orders read and written out) is part of
   * it, not added to it. */
  if (arrived_at == 0)
    arrived_at = g_get_monotonic_time ();
  held->source = due_source_new (arrived_at + (gint64) delay_ms * 1000);
  g_source_set_static_name (held->source, "[relay-sim] held reply");
  g_source_set_callback (held->source, on_held_due, held, NULL);
  g_source_attach (held->source, self->context);
  self->held = g_list_prepend (self->held, held);
}

static void
send_reply (RelaySim          *self,
            SoupServerMessage *msg,
            RelaySimReply     *reply)
{
  if (!reply->drop)
    {
      char *body = g_steal_pointer (&reply->body);

      soup_server_message_set_status (msg, reply->status, NULL);
      if (reply->status == STATUS_TOO_MANY_REQUESTS)
        soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                      "Retry-After", "30");
      soup_server_message_set_response (msg, reply->content_type, SOUP_MEMORY_TAKE,
                                        body, body != NULL ? strlen (body) : 0);
    }
  /* A dropped connection is closed from the main loop, never from inside the
   * handler, so that the server's I/O is not pulled away under itself. */
  if (reply->drop || reply->delay_ms > 0)
    hold (self, msg, reply->arrived_at, reply->delay_ms, reply->drop);
}

/* The form fields of a request: the query, then the body on top of it. */
static GHashTable *
read_form (SoupServerMessage *msg,
           GHashTable        *query)
{
  GHashTable *form = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  SoupMessageBody *body;
  SoupMessageHeaders *headers;
  const char *content_type;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GHashTable) fields = NULL;
  GHashTableIter iter;
  gpointer key, value;

  if (query != NULL)
    {
      g_hash_table_iter_init (&iter, query);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_replace (form, g_strdup (key), g_strdup (value));
    }

  if (g_strcmp0 (soup_server_message_get_method (msg), SOUP_METHOD_POST) != 0)
    return form;

  body = soup_server_message_get_request_body (msg);
  bytes = soup_message_body_flatten (body);
  headers = soup_server_message_get_request_headers (msg);
  content_type = soup_message_headers_get_content_type (headers, NULL);

  if (g_strcmp0 (content_type, "multipart/form-data") == 0)
    {
      SoupMultipart *multipart = soup_multipart_new_from_message (headers, bytes);

      /* soup_form_decode_multipart() frees the multipart. */
      if (multipart != NULL)
        fields = soup_form_decode_multipart (multipart, NULL, NULL, NULL, NULL);
    }
  else if (g_bytes_get_size (bytes) > 0)
    {
      g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

      fields = soup_form_decode (text);
    }

  if (fields != NULL)
    {
      g_hash_table_iter_init (&iter, fields);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_replace (form, g_strdup (key), g_strdup (value));
    }
  return form;
}

static gboolean
is_api_path (const char *path)
{
  static const char * const paths[] = {
    "/api", "/api/", "/api/v1", "/api/v1/", "/api/v2", "/api/v2/",
  };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    if (g_str_equal (path, paths[i]))
      return TRUE;
  return FALSE;
}

static guint
pick_latency (RelaySim *self)
{
  if (self->latency_max == 0)
    return 0;
  if (self->latency_min == self->latency_max)
    return self->latency_min;
  return (guint) g_rand_int_range (self->rand, (gint32) self->latency_min,
                                   (gint32) self->latency_max + 1);
}

static void
api_handler (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  RelaySim *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  g_autoptr (GHashTable) form = NULL;
  RelaySimReply reply = { 0 };
  const char *action;
  RelaySimFault fault;

  reply.arrived_at = g_get_monotonic_time ();
  if (!is_api_path (path))
    {
      reply_html (&reply, SOUP_STATUS_NOT_FOUND, not_found_page);
      send_reply (self, msg, &reply);
      return;
    }
  if (g_strcmp0 (method, SOUP_METHOD_GET) != 0 && g_strcmp0 (method, SOUP_METHOD_POST) != 0)
    {
      reply_html (&reply, SOUP_STATUS_METHOD_NOT_ALLOWED, not_allowed_page);
      send_reply (self, msg, &reply);
      return;
    }

  form = read_form (msg, query);
  action = g_hash_table_lookup (form, "action");
  relay_sim_count_request (self, action);
  /* The client sends each write (add, refill, cancel) on a fresh connection
   * and never reuses it; libsoup 3.2's server would keep such a connection
   * open after the client closed it, one descriptor per order for as long
   * as the demo runs.  Closed here after the reply. */
  if (g_strcmp0 (action, "add") == 0 || g_strcmp0 (action, "refill") == 0 ||
      g_strcmp0 (action, "cancel") == 0)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  "Connection", "close");
  /* An injected reply, for tests of what hostile panels send. */
  if ((reply.body = relay_sim_pick_reply (self, action)) != NULL)
    {
      reply.status = SOUP_STATUS_OK;
      reply.content_type = JSON_TYPE;
      send_reply (self, msg, &reply);
      relay_sim_reply_clear (&reply);
      return;
    }
  fault = relay_sim_pick_fault (self, action);
  reply.delay_ms = pick_latency (self);

  switch (fault)
    {
    case RELAY_SIM_FAULT_HTML_BEFORE:
      reply_html (&reply, SOUP_STATUS_BAD_GATEWAY, bad_gateway_page);
      break;
    case RELAY_SIM_FAULT_RATE_LIMIT:
      reply_html (&reply, STATUS_TOO_MANY_REQUESTS, too_many_page);
      break;
    case RELAY_SIM_FAULT_DROP_BEFORE:
      reply.drop = TRUE;
      break;
    case RELAY_SIM_FAULT_ERROR_JSON:
      reply.status = SOUP_STATUS_OK;
      reply.content_type = JSON_TYPE;
      reply.body = relay_sim_json_error ("Incorrect request");
      break;
    case RELAY_SIM_FAULT_HTML_AFTER:
      relay_sim_api_process (self, form, &reply);
      reply_html (&reply, SOUP_STATUS_BAD_GATEWAY, bad_gateway_page);
      break;
    case RELAY_SIM_FAULT_DROP_AFTER:
      relay_sim_api_process (self, form, &reply);
      reply.drop = TRUE;
      break;
    case RELAY_SIM_FAULT_TIMEOUT:
      relay_sim_api_process (self, form, &reply);
      reply.delay_ms += HOLD_MS;
      break;
    case RELAY_SIM_FAULT_NONE:
    case RELAY_SIM_N_FAULTS:
    default:
      relay_sim_api_process (self, form, &reply);
      break;
    }

  if (fault != RELAY_SIM_FAULT_NONE)
    g_debug ("relay-sim: %s fault on action %s", relay_sim_fault_to_string (fault),
             action != NULL ? action : "(none)");
  send_reply (self, msg, &reply);
  relay_sim_reply_clear (&reply);
}

/* Admin endpoints: /sim/orders, /sim/stats, /sim/control. */

static char *
admin_error (const char *format,
             ...) G_GNUC_PRINTF (1, 2);

static char *
admin_error (const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  return relay_sim_json_error (message);
}

static gboolean
parse_double (const char *text,
              double     *out)
{
  char *end = NULL;
  double value;

  if (text == NULL)
    return FALSE;
  value = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !(value >= 0) || value > 1e12)
    return FALSE;
  *out = value;
  return TRUE;
}

static gboolean
parse_uint (const char *text,
            guint      *out)
{
  guint64 value;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT, &value, NULL))
    return FALSE;
  *out = (guint) value;
  return TRUE;
}

/* Applies the control fields; NULL on success or a new JSON error body. */
static char *
admin_control (RelaySim   *self,
               GHashTable *form)
{
  const char *action = g_hash_table_lookup (form, "action");
  const char *text;
  RelaySimFault fault;
  double value;
  guint count;
  gint64 micro;

  if (action != NULL && *action == '\0')
    action = NULL;

  if ((text = g_hash_table_lookup (form, "fault")) != NULL)
    {
      if (!relay_sim_fault_from_string (text, &fault))
        return admin_error ("unknown fault “%s”", text);
      count = 1;
      if (g_hash_table_contains (form, "count")
          && !parse_uint (g_hash_table_lookup (form, "count"), &count))
        return admin_error ("count must be a whole number");
      relay_sim_inject_fault (self, action, fault, count);
    }
  if ((text = g_hash_table_lookup (form, "reply")) != NULL)
    {
      count = 1;
      if (g_hash_table_contains (form, "count")
          && !parse_uint (g_hash_table_lookup (form, "count"), &count))
        return admin_error ("count must be a whole number");
      relay_sim_inject_reply (self, action, text, count);
    }
  if ((text = g_hash_table_lookup (form, "fault_rate")) != NULL)
    {
      if (!relay_sim_fault_from_string (text, &fault))
        return admin_error ("unknown fault “%s”", text);
      if (!parse_double (g_hash_table_lookup (form, "probability"), &value) || value > 1)
        return admin_error ("probability must be between 0 and 1");
      relay_sim_set_fault_rate (self, action, fault, value);
    }
  if ((text = g_hash_table_lookup (form, "advance")) != NULL)
    {
      if (!parse_double (text, &value))
        return admin_error ("advance must be a number of seconds");
      relay_sim_advance (self, value);
    }
  if ((text = g_hash_table_lookup (form, "balance")) != NULL)
    {
      if (!relay_money_parse (text, &micro, NULL))
        return admin_error ("balance must be an amount such as 100.84292");
      relay_sim_set_balance (self, micro);
    }
  if ((text = g_hash_table_lookup (form, "top_up")) != NULL)
    {
      if (!relay_money_parse (text, &micro, NULL))
        return admin_error ("top_up must be an amount such as 25.50");
      if (!relay_sim_top_up (self, micro))
        return admin_error ("top_up would take the balance beyond the money limits");
    }
  if ((text = g_hash_table_lookup (form, "disable_service")) != NULL)
    relay_sim_set_service_disabled (self, text, TRUE);
  if ((text = g_hash_table_lookup (form, "enable_service")) != NULL)
    relay_sim_set_service_disabled (self, text, FALSE);
  if (g_hash_table_contains (form, "latency_min") || g_hash_table_contains (form, "latency_max"))
    {
      guint min = self->latency_min;
      guint max = self->latency_max;

      if (g_hash_table_contains (form, "latency_min")
          && !parse_uint (g_hash_table_lookup (form, "latency_min"), &min))
        return admin_error ("latency_min must be milliseconds");
      if (g_hash_table_contains (form, "latency_max")
          && !parse_uint (g_hash_table_lookup (form, "latency_max"), &max))
        return admin_error ("latency_max must be milliseconds");
      if (!g_hash_table_contains (form, "latency_max"))
        max = MAX (min, max);
      relay_sim_set_latency (self, min, max);
    }
  if ((text = g_hash_table_lookup (form, "speed")) != NULL)
    {
      if (!parse_double (text, &value))
        return admin_error ("speed must be a number");
      relay_sim_set_speed (self, value);
    }
  if ((text = g_hash_table_lookup (form, "reject_duplicate_links")) != NULL)
    relay_sim_set_reject_duplicate_links (self, g_strcmp0 (text, "1") == 0
                                                || g_ascii_strcasecmp (text, "true") == 0);
  return NULL;
}

static void
admin_handler (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  RelaySim *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  const char *remote = soup_server_message_get_remote_host (msg);
  RelaySimReply reply = { 0 };

  reply.status = SOUP_STATUS_OK;
  reply.content_type = JSON_TYPE;
  if (remote == NULL || !g_str_has_prefix (remote, "127."))
    {
      reply.status = SOUP_STATUS_FORBIDDEN;
      reply.body = relay_sim_json_error ("loopback only");
    }
  else if (g_str_equal (path, "/sim/orders") && g_str_equal (method, SOUP_METHOD_GET))
    reply.body = relay_sim_api_orders_json (self);
  else if (g_str_equal (path, "/sim/stats") && g_str_equal (method, SOUP_METHOD_GET))
    reply.body = relay_sim_api_stats_json (self);
  else if (g_str_equal (path, "/sim/control") && !g_str_equal (method, SOUP_METHOD_POST))
    {
      /* It changes the panel's state: never from a GET a browser or a
       * prefetch could send. */
      reply.status = SOUP_STATUS_METHOD_NOT_ALLOWED;
      reply.body = relay_sim_json_error ("use POST for /sim/control");
    }
  else if (g_str_equal (path, "/sim/control"))
    {
      g_autoptr (GHashTable) form = read_form (msg, query);

      reply.body = admin_control (self, form);
      if (reply.body != NULL)
        reply.status = SOUP_STATUS_BAD_REQUEST;
      else
        reply.body = relay_sim_api_stats_json (self);
    }
  else
    reply_html (&reply, SOUP_STATUS_NOT_FOUND, not_found_page);

  send_reply (self, msg, &reply);
  relay_sim_reply_clear (&reply);
}

static void
default_handler (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  RelaySim *self = user_data;
  RelaySimReply reply = { 0 };

  reply_html (&reply, SOUP_STATUS_NOT_FOUND, not_found_page);
  send_reply (self, msg, &reply);
  relay_sim_reply_clear (&reply);
}

gboolean
relay_sim_server_start (RelaySim  *self,
                        guint      port,
                        GError   **error)
{
  g_autoptr (SoupServer) server = NULL;
  GSList *uris;

  if (self->server != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   _("The simulator is already listening on port %u"), self->port);
      return FALSE;
    }

  /* The server's sockets live in the context that is thread-default now. */
  g_main_context_push_thread_default (self->context);
  server = soup_server_new ("server-header", "nginx", NULL);
  soup_server_add_handler (server, NULL, default_handler, self, NULL);
  soup_server_add_handler (server, "/api", api_handler, self, NULL);
  soup_server_add_handler (server, "/sim", admin_handler, self, NULL);
  if (!soup_server_listen_local (server, port, SOUP_SERVER_LISTEN_IPV4_ONLY, error))
    {
      g_main_context_pop_thread_default (self->context);
      return FALSE;
    }
  g_main_context_pop_thread_default (self->context);

  uris = soup_server_get_uris (server);
  self->port = uris != NULL ? (guint) g_uri_get_port (uris->data) : port;
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  self->server = g_steal_pointer (&server);
  return TRUE;
}

void
relay_sim_server_stop (RelaySim *self)
{
  if (self->server != NULL)
    soup_server_disconnect (self->server);
  /* Held replies still on the list belong to connections that are going. */
  while (self->held != NULL)
    {
      RelaySimHeld *held = self->held->data;

      self->held = g_list_delete_link (self->held, self->held);
      held_free (held);
    }
  g_clear_object (&self->server);
}
