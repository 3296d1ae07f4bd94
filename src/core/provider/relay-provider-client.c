/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The API v2 client: form POSTs through a shared SoupSession, a FIFO queue per provider, a total
 * timeout per request, and the classification of every failure as not sent, rejected or unknown. */
#define G_LOG_DOMAIN "relay-provider"

#include "relay-provider-client.h"
#include "relay-provider-client-private.h"
#include "relay-provider-reply.h"
#include "relay-error.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#define DEFAULT_MAX_CONCURRENT 4
#define DEFAULT_TIMEOUT_MS 30000
/* Requests that may wait behind the max-concurrent ones.  A waiting request
 * holds its form and a task (under 1 KiB), so the bound is a few MiB; status
 * sync asks 100 orders a request, so it covers 409,600 active orders. */
#define DEFAULT_MAX_WAITING 4096
#define USER_AGENT "SMM-Relay/0.1"
/* Bodies are read in chunks of up to this size, and no further than the size
 * limit of the action (relay_reply_size_limit()): a runaway body is never
 * held whole. */
#define READ_CHUNK_SIZE ((gsize) 64 * 1024)
/* What is read of a body in one main-loop turn when it is there already
 * (read_on()). */
#define MAX_READ_A_TURN ((gsize) 256 * 1024)
/* The first read is small and each full one doubles the next up to
 * READ_CHUNK_SIZE: most replies are a few dozen bytes, and growing the body
 * by 64 KiB for each of them cost ~12 % of the main thread while sending. */
#define FIRST_READ_SIZE ((gsize) 4 * 1024)
/* A reply above this is parsed in a worker thread, whatever its action:
 * json-glib builds its tree at 5-20 MB/s here (an 8 MB catalog: ~0.5 s of
 * CPU), and a 100-order status reply (~10 KB) took 1-2 ms to parse and
 * redact — several of them arriving in one main-loop turn made a stall of
 * tens of ms during a refresh.  Only the short answers (an order's id, a
 * balance, one status) are read on the caller's thread. */
#define THREAD_PARSE_SIZE ((gsize) 2 * 1024)

/* How a request reaches the provider and back.
 *
 * Every request is a POST.  libsoup 3 never re-sends a POST by itself:
 * - HTTP/1.1: after an I/O error it restarts a message only when
 *   SOUP_METHOD_IS_IDEMPOTENT (method) holds (GET, HEAD, OPTIONS, PROPFIND,
 *   TRACE, PUT, DELETE) — a method test, not the SOUP_MESSAGE_IDEMPOTENT flag;
 * - a non-idempotent method without SOUP_MESSAGE_IDEMPOTENT is always given a
 *   fresh connection, so there is no stale keep-alive connection to fail on;
 * - HTTP/2 restarts only a stream the server refused (REFUSED_STREAM,
 *   HTTP_1_1_REQUIRED) before reading data, which the protocol guarantees was
 *   not processed.
 * A request that changes something (add, refill, cancel) never carries
 * SOUP_MESSAGE_IDEMPOTENT.  `add` also carries SOUP_MESSAGE_NEW_CONNECTION so
 * that it stays on a fresh connection even if libsoup's default for POST ever
 * changes.  The questions (services, status, balance, refill_status) do carry
 * it: asking twice is harmless, and without it every one of them would open a
 * TCP connection of its own — 10,000 status questions meant 10,000
 * connections, each left open on the server side by a libsoup 3.2 server
 * (the simulator) until the process ran out of file descriptors and every
 * later request waited for its timeout.  With it they reuse the idle
 * keep-alive connections, at most max-concurrent of them.  Redirects are not followed
 * (SOUP_MESSAGE_NO_REDIRECT): a redirect would re-send the key to another
 * address, possibly turning the POST into a GET.
 *
 * Whether the provider may have seen the request is decided by whether the
 * whole body went out: "wrote-body-data" counts the bytes as they are written
 * to the connection (so a timeout that lands between the last write and
 * "wrote-body" still counts as sent), "wrote-body" marks the end.  A server
 * cannot act on a POST whose body it has not fully received. */

typedef struct
{
  RelayProviderClient *client;          /* borrowed: the task holds a reference */
  GTask               *task;            /* borrowed: the task owns this */
  RelayRequestKind     kind;
  char                *single_id;       /* `order` / `refill` of a one-id request */
  GBytes              *form;            /* the body, key included: never logged */
  SoupMessage         *msg;
  GCancellable        *cancellable;     /* ours: cancelled by the caller's, the timeout, dispose */
  GSource             *caller_source;   /* watches the caller's cancellable */
  GSource             *timeout_source;
  GInputStream        *stream;
  GByteArray          *body;
  gsize                chunk;           /* the size of the read under way */
  guint                http_status;
  gsize                form_written;
  gboolean             body_sent;
  gboolean             timed_out;
  gboolean             cancelled;       /* by the caller or by dispose */
  gboolean             in_flight;
  gboolean             started;         /* libsoup began on it: the timeout runs */
  gboolean             done;
} Request;

struct _RelayProviderClient
{
  GObject      parent_instance;
  SoupSession *session;
  GUri        *uri;
  char        *url;
  char        *key;
  guint        max_concurrent;
  guint        max_waiting;
  guint        timeout_ms;
  GQueue       waiting;     /* GTask *, oldest first; one reference each */
  GQueue       in_flight;   /* GTask *; one reference each */
  gboolean     disposed;
};

G_DEFINE_FINAL_TYPE (RelayProviderClient, relay_provider_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_URL,
  PROP_MAX_CONCURRENT,
  PROP_MAX_WAITING,
  PROP_TIMEOUT_MS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void pump (RelayProviderClient *self);
static void request_arm_timeout (Request *req);

/* ---- small helpers ----------------------------------------------------- */

/* The form holds the API key: its memory is wiped when the last holder
 * (libsoup's request stream or us) lets go of it. */
typedef struct
{
  char  *data;
  gsize  len;
} Secret;

static void
secret_free (gpointer data)
{
  Secret *secret = data;

  explicit_bzero (secret->data, secret->len);
  g_free (secret->data);
  g_free (secret);
}

static void
request_free (Request *req)
{
  if (req->msg != NULL)
    g_signal_handlers_disconnect_by_data (req->msg, req);
  if (req->caller_source != NULL)
    g_source_destroy (req->caller_source);
  g_clear_pointer (&req->caller_source, g_source_unref);
  if (req->timeout_source != NULL)
    g_source_destroy (req->timeout_source);
  g_clear_pointer (&req->timeout_source, g_source_unref);
  g_clear_object (&req->stream);
  g_clear_object (&req->msg);
  g_clear_object (&req->cancellable);
  g_clear_pointer (&req->body, g_byte_array_unref);
  g_clear_pointer (&req->form, g_bytes_unref);
  g_free (req->single_id);
  g_free (req);
}

static char *
format_duration (guint ms)
{
  if (ms % 1000 == 0)
    return g_strdup_printf (_("%u s"), ms / 1000);
  return g_strdup_printf (_("%u ms"), ms);
}

static gboolean
text_is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  while (g_ascii_isspace (*text))
    text++;
  return *text == '\0';
}

/* ---- the form ---------------------------------------------------------- */

void
relay_provider_form_add (GString *form, const char *name, const char *value)
{
  g_autofree char *escaped = NULL;

  if (value == NULL)
    return;
  escaped = g_uri_escape_string (value, NULL, FALSE);
  if (form->len > 0)
    g_string_append_c (form, '&');
  g_string_append (form, name);
  g_string_append_c (form, '=');
  g_string_append (form, escaped);
}

void
relay_provider_form_add_number (GString *form, const char *name, gint64 value)
{
  char buf[32];

  if (value == 0)
    return;
  g_snprintf (buf, sizeof buf, "%" PRId64, value);
  relay_provider_form_add (form, name, buf);
}

GString *
relay_provider_client_form_new (RelayProviderClient *self, const char *action)
{
  GString *form = g_string_new (NULL);

  relay_provider_form_add (form, "key", self->key);
  relay_provider_form_add (form, "action", action);
  return form;
}

static GBytes *
form_end (GString *form)
{
  Secret *secret = g_new (Secret, 1);

  secret->len = form->len;
  secret->data = g_string_free (form, FALSE);
  return g_bytes_new_with_free_func (secret->data, secret->len, secret_free, secret);
}

/* ---- URL --------------------------------------------------------------- */

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

gboolean
relay_provider_url_check (const char *url, GError **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  /* The URL itself is never quoted back: a pasted URL may carry a key. */
  if (url == NULL || *url == '\0')
    {
      g_set_error_literal (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_CONFIG,
                           _("the provider’s API URL is empty"));
      return FALSE;
    }
  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL)
    {
      g_set_error_literal (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_CONFIG,
                           _("the provider’s API URL is not a valid URL"));
      return FALSE;
    }
  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if (host == NULL || *host == '\0')
    {
      g_set_error_literal (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_CONFIG,
                           _("the provider’s API URL has no host name"));
      return FALSE;
    }
  if (g_ascii_strcasecmp (scheme, "https") != 0 &&
      !(g_ascii_strcasecmp (scheme, "http") == 0 && host_is_loopback (host)))
    {
      g_set_error_literal (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_CONFIG,
                           _("the provider’s API URL must start with https:// "
                             "(plain http:// is allowed only for this computer)"));
      return FALSE;
    }
  if (g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error_literal (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_CONFIG,
                           _("the provider’s API URL must not contain a user name or password"));
      return FALSE;
    }
  if (g_uri_get_query (uri) != NULL)
    {
      g_set_error_literal (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_CONFIG,
                           _("the provider’s API URL must not contain a query "
                             "(the part after “?”); the key is sent separately"));
      return FALSE;
    }
  return TRUE;
}

/* ---- finishing a request ----------------------------------------------- */

/* Gives the request's slot back and stops its timer; the next waiting
 * request may start.  Idempotent. */
static void
request_end (GTask *task)
{
  Request *req = g_task_get_task_data (task);
  RelayProviderClient *self = req->client;

  if (req->done)
    return;
  req->done = TRUE;
  if (req->caller_source != NULL)
    g_source_destroy (req->caller_source);
  g_clear_pointer (&req->caller_source, g_source_unref);
  if (req->timeout_source != NULL)
    g_source_destroy (req->timeout_source);
  g_clear_pointer (&req->timeout_source, g_source_unref);
  if (req->msg != NULL)
    g_signal_handlers_disconnect_by_data (req->msg, req);

  if (req->in_flight)
    {
      req->in_flight = FALSE;
      if (g_queue_remove (&self->in_flight, task))
        g_object_unref (task);
      pump (self);
    }
  else if (g_queue_remove (&self->waiting, task))
    g_object_unref (task);
}

static void
request_fail (GTask *task, GError *error)
{
  request_end (task);
  g_task_return_error (task, error);
}

static GError *
new_cancelled_error (void)
{
  return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("the request was cancelled"));
}

/* The money-critical part: what a transport failure means for the request. */
static GError *
classify_failure (Request *req, const GError *error)
{
  const char *host = g_uri_get_host (req->client->uri);

  if (req->timed_out)
    {
      g_autofree char *duration = format_duration (req->client->timeout_ms);

      if (req->body_sent)
        return g_error_new (RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME,
                            _("the request was sent but %s did not answer within %s"),
                            host, duration);
      return g_error_new (RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_NOT_SENT,
                          _("could not send the request to %s within %s"), host, duration);
    }
  if (req->cancelled || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Only an order needs the difference: for the other actions a
       * cancelled answer is simply not wanted any more. */
      if (req->kind == RELAY_REPLY_ADD && req->body_sent)
        return g_error_new_literal (RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME,
                                    _("the request was sent but cancelled "
                                      "before the provider answered"));
      return new_cancelled_error ();
    }
  if (!req->body_sent)
    return g_error_new (RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_NOT_SENT,
                        _("could not send the request to %s: %s"), host, error->message);
  return g_error_new (RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME,
                      _("the connection to %s broke after the request was sent: %s"),
                      host, error->message);
}

static void
request_fail_transport (GTask *task, const GError *error)
{
  Request *req = g_task_get_task_data (task);

  g_debug ("%s: request failed (%s sent): %s", g_uri_get_host (req->client->uri),
           req->body_sent ? "body" : "nothing", error->message);
  request_fail (task, classify_failure (req, error));
}

/* Returns the parsed result of @req through @task.  The parser takes the key
 * out of every string of the panel's before anything sees it (the order
 * book, exports, the window, logs). */
static void
return_parsed (GTask *task, Request *req, GBytes *body)
{
  GError *error = NULL;
  GDestroyNotify free_func = NULL;
  gpointer result;

  result = relay_reply_parse (req->kind, req->http_status, body, req->client->key, &free_func,
                              &error);
  if (result == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (req->kind == RELAY_REPLY_STATUS)
    {
      RelayProviderStatus *one = result;

      if (one->order_id == NULL)
        one->order_id = g_strdup (req->single_id);
    }
  else if (req->kind == RELAY_REPLY_REFILL_STATUS)
    {
      RelayProviderRefillStatus *one = result;

      if (one->refill_id == NULL)
        one->refill_id = g_strdup (req->single_id);
    }
  g_task_return_pointer (task, result, free_func);
}

static void
parse_in_thread (GTask *task, gpointer source_object, gpointer task_data,
                 GCancellable *cancellable)
{
  Request *req = task_data;
  g_autoptr(GBytes) body = g_byte_array_free_to_bytes (g_steal_pointer (&req->body));

  return_parsed (task, req, body);
}

static void
request_complete (GTask *task)
{
  Request *req = g_task_get_task_data (task);

  g_debug ("%s: HTTP %u, %u bytes", g_uri_get_host (req->client->uri), req->http_status,
           req->body->len);
  request_end (task);
  /* Parsed in a worker; the callback still runs in the caller's context. */
  if (req->body->len > THREAD_PARSE_SIZE)
    {
      g_task_run_in_thread (task, parse_in_thread);
    }
  else
    {
      g_autoptr(GBytes) body = g_byte_array_free_to_bytes (g_steal_pointer (&req->body));

      return_parsed (task, req, body);
    }
}

/* ---- reading the reply ------------------------------------------------- */

static void read_next (GTask *task);
static void read_cb (GObject *source, GAsyncResult *result, gpointer user_data);

/* The whole size the server announced, or -1 (none, or the size before
 * decoding). */
static gint64
announced_size (Request *req)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (req->msg);

  if (soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CONTENT_LENGTH ||
      soup_message_headers_get_one (headers, "Content-Encoding") != NULL)
    return -1;
  return (gint64) soup_message_headers_get_content_length (headers);
}

/* The size of a reply's first read: the whole body at once when the server
 * announced its length within the action's limit (up to READ_CHUNK_SIZE),
 * else FIRST_READ_SIZE.  The connection (with the next request waiting for
 * it) is free only once the body's end is read: a 10 KB status reply took
 * four reads (4 KiB, then what had arrived, then the end), now two. */
static gsize
first_read_size (Request *req)
{
  gint64 size = announced_size (req);

  if (size < 0 || (guint64) size > relay_reply_size_limit (req->kind))
    return FIRST_READ_SIZE;
  return CLAMP ((gsize) size + 1, FIRST_READ_SIZE, READ_CHUNK_SIZE);
}

/* The body went over the action's limit: the rest is never read. */
static void
request_fail_too_large (GTask *task)
{
  Request *req = g_task_get_task_data (task);
  GError *error = NULL;
  gint64 size = announced_size (req);

  if (size >= 0 && (guint64) size < req->body->len)
    size = -1;
  relay_reply_set_too_large (req->kind, req->http_status, (const char *) req->body->data,
                             req->body->len, size, &error);
  g_debug ("%s: reply to %s over its limit after %u bytes", g_uri_get_host (req->client->uri),
           relay_reply_action (req->kind), req->body->len);
  /* Closing the stream drops the connection. */
  g_input_stream_close_async (req->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_clear_pointer (&req->body, g_byte_array_unref);
  request_fail (task, error);
}

/* What a read of @n bytes (or @error) means for @task (borrowed): TRUE when
 * the body goes on, FALSE when the request ended (completed or failed). */
static gboolean
read_done (GTask *task, gssize n, const GError *error)
{
  Request *req = g_task_get_task_data (task);

  if (n < 0)
    {
      request_fail_transport (task, error);
      return FALSE;
    }
  if (n == 0)
    {
      request_complete (task);
      return FALSE;
    }
  /* A body announced too large is refused after its first chunk (enough to
   * tell an HTML error page), one that only grows too large once it does. */
  if (req->body->len > relay_reply_size_limit (req->kind) ||
      announced_size (req) > (gint64) relay_reply_size_limit (req->kind))
    {
      request_fail_too_large (task);
      return FALSE;
    }
  if ((gsize) n == req->chunk && req->chunk < READ_CHUNK_SIZE)
    req->chunk *= 2;
  return TRUE;
}

/* Reads what has arrived at once, and waits (read_next) only when nothing
 * more has: a reply whose body came with its headers — most of them — is
 * read to its end, and its connection given to the next request, in the
 * main-loop turn its headers came in.  An asynchronous read returns in a
 * turn of its own even when its bytes are there: a 100-order status reply
 * took three turns (headers, body, end) before the next request could
 * start, each behind whatever else the main loop had to do.  At most
 * MAX_READ_A_TURN bytes are read in one turn: a big catalog that arrived at
 * once still lets the window draw between its pieces.  Takes the reference
 * to @task. */
static void
read_on (GTask *task_in)
{
  g_autoptr(GTask) task = task_in;
  Request *req = g_task_get_task_data (task);
  GPollableInputStream *pollable = NULL;
  gsize start = req->body->len;

  if (G_IS_POLLABLE_INPUT_STREAM (req->stream) &&
      g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (req->stream)))
    pollable = G_POLLABLE_INPUT_STREAM (req->stream);
  while (pollable != NULL && req->body->len - start < MAX_READ_A_TURN)
    {
      g_autoptr(GError) error = NULL;
      gsize before = req->body->len;
      gssize n;

      g_byte_array_set_size (req->body, before + req->chunk);
      n = g_pollable_input_stream_read_nonblocking (pollable, req->body->data + before,
                                                    req->chunk, req->cancellable, &error);
      g_byte_array_set_size (req->body, before + MAX (n, 0));
      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        break;
      if (!read_done (task, n, error))
        return;
    }
  read_next (g_steal_pointer (&task));
}

static void
read_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *req = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gsize before = req->body->len - req->chunk;
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  g_byte_array_set_size (req->body, before + MAX (n, 0));
  if (read_done (task, n, error))
    read_on (g_steal_pointer (&task));
}

/* Takes the reference to @task. */
static void
read_next (GTask *task)
{
  Request *req = g_task_get_task_data (task);
  gsize before = req->body->len;

  g_byte_array_set_size (req->body, before + req->chunk);
  g_input_stream_read_async (req->stream, req->body->data + before, req->chunk,
                             G_PRIORITY_DEFAULT, req->cancellable, read_cb, task);
}

static void
send_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *req = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  req->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (req->stream == NULL)
    {
      request_fail_transport (task, error);
      return;
    }
  /* A status line arrived, so the request reached something that answers. */
  req->body_sent = TRUE;
  req->http_status = soup_message_get_status (req->msg);
  req->body = g_byte_array_new ();
  req->chunk = first_read_size (req);
  read_on (g_steal_pointer (&task));
}

/* ---- signals of the message -------------------------------------------- */

static void
wrote_body_data_cb (SoupMessage *msg, guint chunk_size, gpointer user_data)
{
  Request *req = user_data;

  req->form_written += chunk_size;
  if (req->form_written >= g_bytes_get_size (req->form))
    req->body_sent = TRUE;
}

static void
wrote_body_cb (SoupMessage *msg, gpointer user_data)
{
  Request *req = user_data;

  req->body_sent = TRUE;
}

static void
starting_cb (SoupMessage *msg, gpointer user_data)
{
  /* The session puts its own User-Agent on every message just before
   * "starting"; ours goes on after it. */
  soup_message_headers_replace (soup_message_get_request_headers (msg), "User-Agent", USER_AGENT);
  /* On a kept-alive connection this is libsoup's first step. */
  request_arm_timeout (user_data);
}

static void
network_event_cb (SoupMessage       *msg,
                  GSocketClientEvent event,
                  GIOStream         *connection,
                  gpointer           user_data)
{
  /* A new connection: resolving, connecting, the TLS handshake count. */
  request_arm_timeout (user_data);
}

static gboolean
accept_certificate_cb (SoupMessage         *msg,
                       GTlsCertificate     *certificate,
                       GTlsCertificateFlags errors,
                       gpointer             user_data)
{
  /* Never accept a certificate that failed verification: the key would go
   * to whoever is in the middle.  The handshake fails; nothing was sent. */
  return FALSE;
}

/* ---- timeout and cancellation ------------------------------------------ */

static gboolean
timeout_cb (gpointer user_data)
{
  GTask *task = user_data;
  Request *req = g_task_get_task_data (task);

  g_clear_pointer (&req->timeout_source, g_source_unref);
  req->timed_out = TRUE;
  g_cancellable_cancel (req->cancellable);
  return G_SOURCE_REMOVE;
}

static gboolean
caller_cancelled_cb (GCancellable *cancellable, gpointer user_data)
{
  GTask *task = user_data;
  Request *req = g_task_get_task_data (task);

  g_clear_pointer (&req->caller_source, g_source_unref);
  if (req->done)
    return G_SOURCE_REMOVE;
  if (req->in_flight)
    {
      /* The reply callbacks finish the task and classify the cancel. */
      req->cancelled = TRUE;
      g_cancellable_cancel (req->cancellable);
    }
  else
    {
      g_object_ref (task);
      request_fail (task, new_cancelled_error ());
      g_object_unref (task);
    }
  return G_SOURCE_REMOVE;
}

static GSource *
attach_source (GSource *source, GTask *task, GSourceFunc func, const char *name)
{
  g_source_set_callback (source, func, task, NULL);
  g_source_set_name (source, name);
  g_source_attach (source, g_task_get_context (task));
  return source;
}

/* The timeout counts from when libsoup begins on the request (its first
 * network event, or "starting" on a kept-alive connection), not from when it
 * was handed over: a request that waits in the session's own queue behind
 * other clients' requests to the same host (max-conns-per-host) has not
 * started, and each of those it waits for is bounded by its own timeout. */
static void
request_arm_timeout (Request *req)
{
  if (req->started || req->done)
    return;
  req->started = TRUE;
  req->timeout_source = attach_source (g_timeout_source_new (req->client->timeout_ms), req->task,
                                       timeout_cb, "[relay-provider] request timeout");
}

/* ---- the queue --------------------------------------------------------- */

static void
request_start (RelayProviderClient *self, GTask *task)
{
  Request *req = g_task_get_task_data (task);
  SoupMessageHeaders *headers;
  GMainContext *context = g_task_get_context (task);
  SoupMessageFlags flags = SOUP_MESSAGE_NO_REDIRECT;

  req->in_flight = TRUE;
  g_queue_push_tail (&self->in_flight, task);  /* the reference moves from `waiting` */

  req->msg = soup_message_new_from_uri (SOUP_METHOD_POST, self->uri);
  switch (req->kind)
    {
    case RELAY_REPLY_ADD:
      flags |= SOUP_MESSAGE_NEW_CONNECTION;
      break;
    case RELAY_REPLY_SERVICES:
    case RELAY_REPLY_STATUS:
    case RELAY_REPLY_STATUSES:
    case RELAY_REPLY_BALANCE:
    case RELAY_REPLY_REFILL_STATUS:
    case RELAY_REPLY_REFILL_STATUSES:
      /* A question: it may go on a kept-alive connection (see the top). */
      flags |= SOUP_MESSAGE_IDEMPOTENT;
      break;
    case RELAY_REPLY_REFILL:
    case RELAY_REPLY_REFILLS:
    case RELAY_REPLY_CANCEL:
    default:
      break;
    }
  soup_message_set_flags (req->msg, flags);
  /* A SoupLogger the app may add would print the body, and the key with it. */
  soup_message_disable_feature (req->msg, SOUP_TYPE_LOGGER);
  headers = soup_message_get_request_headers (req->msg);
  soup_message_headers_replace (headers, "Accept", "application/json");
  soup_message_set_request_body_from_bytes (req->msg, "application/x-www-form-urlencoded",
                                            req->form);
  g_signal_connect (req->msg, "starting", G_CALLBACK (starting_cb), req);
  g_signal_connect (req->msg, "network-event", G_CALLBACK (network_event_cb), req);
  g_signal_connect (req->msg, "wrote-body-data", G_CALLBACK (wrote_body_data_cb), req);
  g_signal_connect (req->msg, "wrote-body", G_CALLBACK (wrote_body_cb), req);
  g_signal_connect (req->msg, "accept-certificate", G_CALLBACK (accept_certificate_cb), req);

  g_main_context_push_thread_default (context);
  soup_session_send_async (self->session, req->msg, G_PRIORITY_DEFAULT, req->cancellable,
                           send_cb, g_object_ref (task));
  g_main_context_pop_thread_default (context);
}

static void
pump (RelayProviderClient *self)
{
  while (!self->disposed &&
         self->in_flight.length < self->max_concurrent &&
         !g_queue_is_empty (&self->waiting))
    request_start (self, g_queue_pop_head (&self->waiting));
}

/* Creates the task of a request; @form is taken. */
static GTask *
request_new (RelayProviderClient *self,
             RelayRequestKind     kind,
             GBytes              *form,
             const char          *single_id,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data,
             gpointer             source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Request *req = g_new0 (Request, 1);

  g_task_set_source_tag (task, source_tag);
  /* A result that arrived must be returned even if the caller cancelled in
   * the meantime: an order id must never be lost to a late cancel. */
  g_task_set_check_cancellable (task, FALSE);
  req->client = self;
  req->task = task;
  req->kind = kind;
  req->form = form;
  req->single_id = g_strdup (single_id);
  req->cancellable = g_cancellable_new ();
  g_task_set_task_data (task, req, (GDestroyNotify) request_free);
  return task;
}

/* Queues @task (taking the reference) and starts it when a slot is free. */
static void
request_submit (RelayProviderClient *self, GTask *task)
{
  Request *req = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (self->disposed || g_cancellable_is_cancelled (cancellable))
    {
      g_task_return_error (task, new_cancelled_error ());
      g_object_unref (task);
      return;
    }
  /* Back-pressure: memory stays bounded whatever a caller queues.  The
   * callback runs from the main loop, like every other answer. */
  if (self->in_flight.length >= self->max_concurrent &&
      self->waiting.length >= self->max_waiting)
    {
      g_task_return_new_error (task, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_NOT_SENT,
                               g_dngettext (GETTEXT_PACKAGE,
                                            "not sent: %u request to %s is already waiting; "
                                            "try again when it has finished",
                                            "not sent: %u requests to %s are already waiting; "
                                            "try again when some have finished",
                                            self->waiting.length),
                               self->waiting.length, g_uri_get_host (self->uri));
      g_object_unref (task);
      return;
    }
  if (cancellable != NULL)
    req->caller_source = attach_source (g_cancellable_source_new (cancellable), task,
                                        G_SOURCE_FUNC (caller_cancelled_cb),
                                        "[relay-provider] caller cancelled");
  g_queue_push_tail (&self->waiting, task);
  pump (self);
}

void
relay_provider_client_submit (RelayProviderClient *self,
                              RelayRequestKind     kind,
                              GString             *form,
                              const char          *single_id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data,
                              gpointer             source_tag)
{
  request_submit (self, request_new (self, kind, form_end (form), single_id, cancellable,
                                     callback, user_data, source_tag));
}

void
relay_provider_client_report_error (RelayProviderClient *self,
                     GError              *error,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data,
                     gpointer             source_tag)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_check_cancellable (task, FALSE);
  g_task_return_error (task, error);
}

gpointer
relay_provider_client_finish (RelayProviderClient *self, GAsyncResult *result, gpointer source_tag,
                GError **error)
{
  g_return_val_if_fail (RELAY_IS_PROVIDER_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- GObject ----------------------------------------------------------- */

static void
relay_provider_client_dispose (GObject *object)
{
  RelayProviderClient *self = RELAY_PROVIDER_CLIENT (object);
  g_autoptr(GPtrArray) flying = g_ptr_array_new_with_free_func (g_object_unref);
  GTask *task;

  self->disposed = TRUE;
  while ((task = g_queue_peek_head (&self->waiting)) != NULL)
    {
      g_object_ref (task);
      request_fail (task, new_cancelled_error ());
      g_object_unref (task);
    }
  /* Cancelling may complete a request at once, which edits the queue. */
  for (GList *l = self->in_flight.head; l != NULL; l = l->next)
    g_ptr_array_add (flying, g_object_ref (l->data));
  for (guint i = 0; i < flying->len; i++)
    {
      Request *req = g_task_get_task_data (g_ptr_array_index (flying, i));

      req->cancelled = TRUE;
      g_cancellable_cancel (req->cancellable);
    }
  g_clear_object (&self->session);

  G_OBJECT_CLASS (relay_provider_client_parent_class)->dispose (object);
}

static void
relay_provider_client_finalize (GObject *object)
{
  RelayProviderClient *self = RELAY_PROVIDER_CLIENT (object);

  g_clear_pointer (&self->uri, g_uri_unref);
  g_clear_pointer (&self->url, g_free);
  if (self->key != NULL)
    explicit_bzero (self->key, strlen (self->key));
  g_clear_pointer (&self->key, g_free);

  G_OBJECT_CLASS (relay_provider_client_parent_class)->finalize (object);
}

static void
relay_provider_client_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  RelayProviderClient *self = RELAY_PROVIDER_CLIENT (object);

  switch (prop_id)
    {
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    case PROP_MAX_CONCURRENT:
      g_value_set_uint (value, self->max_concurrent);
      break;
    case PROP_MAX_WAITING:
      g_value_set_uint (value, self->max_waiting);
      break;
    case PROP_TIMEOUT_MS:
      g_value_set_uint (value, self->timeout_ms);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_provider_client_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  RelayProviderClient *self = RELAY_PROVIDER_CLIENT (object);

  switch (prop_id)
    {
    case PROP_MAX_CONCURRENT:
      relay_provider_client_set_max_concurrent (self, g_value_get_uint (value));
      break;
    case PROP_MAX_WAITING:
      relay_provider_client_set_max_waiting (self, g_value_get_uint (value));
      break;
    case PROP_TIMEOUT_MS:
      relay_provider_client_set_timeout_ms (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_provider_client_class_init (RelayProviderClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = relay_provider_client_dispose;
  object_class->finalize = relay_provider_client_finalize;
  object_class->get_property = relay_provider_client_get_property;
  object_class->set_property = relay_provider_client_set_property;

  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_CONCURRENT] =
    g_param_spec_uint ("max-concurrent", NULL, NULL, 1, G_MAXUINT, DEFAULT_MAX_CONCURRENT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_WAITING] =
    g_param_spec_uint ("max-waiting", NULL, NULL, 0, G_MAXUINT, DEFAULT_MAX_WAITING,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIMEOUT_MS] =
    g_param_spec_uint ("timeout-ms", NULL, NULL, 1, G_MAXUINT, DEFAULT_TIMEOUT_MS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
relay_provider_client_init (RelayProviderClient *self)
{
  self->max_concurrent = DEFAULT_MAX_CONCURRENT;
  self->max_waiting = DEFAULT_MAX_WAITING;
  self->timeout_ms = DEFAULT_TIMEOUT_MS;
  g_queue_init (&self->waiting);
  g_queue_init (&self->in_flight);
}

/* ---- public ------------------------------------------------------------ */

RelayProviderClient *
relay_provider_client_new (SoupSession *session,
                           const char  *url,
                           const char  *key,
                           GError     **error)
{
  RelayProviderClient *self;

  g_return_val_if_fail (SOUP_IS_SESSION (session), NULL);

  if (!relay_provider_url_check (url, error))
    return NULL;
  if (text_is_blank (key))
    {
      g_set_error_literal (error, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_CONFIG,
                           _("the provider’s API key is empty"));
      return NULL;
    }

  self = g_object_new (RELAY_TYPE_PROVIDER_CLIENT, NULL);
  self->session = g_object_ref (session);
  self->uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  self->url = g_strdup (url);
  self->key = g_strdup (key);
  return self;
}

const char *
relay_provider_client_get_url (RelayProviderClient *self)
{
  g_return_val_if_fail (RELAY_IS_PROVIDER_CLIENT (self), NULL);

  return self->url;
}

void
relay_provider_client_set_max_concurrent (RelayProviderClient *self, guint n)
{
  g_return_if_fail (RELAY_IS_PROVIDER_CLIENT (self));

  n = MAX (n, 1);
  if (self->max_concurrent == n)
    return;
  self->max_concurrent = n;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_CONCURRENT]);
  pump (self);
}

void
relay_provider_client_set_max_waiting (RelayProviderClient *self, guint n)
{
  g_return_if_fail (RELAY_IS_PROVIDER_CLIENT (self));

  if (self->max_waiting == n)
    return;
  self->max_waiting = n;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_WAITING]);
}

guint
relay_provider_client_get_n_waiting (RelayProviderClient *self)
{
  g_return_val_if_fail (RELAY_IS_PROVIDER_CLIENT (self), 0);

  return self->waiting.length;
}

static gboolean
fail_cancelled_cb (gpointer data)
{
  GPtrArray *tasks = data;

  for (guint i = 0; i < tasks->len; i++)
    {
      GTask *task = g_ptr_array_index (tasks, i);
      Request *req = g_task_get_task_data (task);

      /* The caller's own cancellable may have failed it meanwhile. */
      if (!req->done)
        request_fail (task, new_cancelled_error ());
    }
  return G_SOURCE_REMOVE;
}

guint
relay_provider_client_cancel_waiting (RelayProviderClient *self)
{
  GPtrArray *tasks;
  GSource *source;
  GTask *task;
  guint n;

  g_return_val_if_fail (RELAY_IS_PROVIDER_CLIENT (self), 0);

  n = self->waiting.length;
  if (n == 0)
    return 0;
  /* Taken out of the queue now, so none of them starts; failed from an idle
   * so that no callback runs (and queues again) inside this call. */
  tasks = g_ptr_array_new_full (n, g_object_unref);
  while ((task = g_queue_pop_head (&self->waiting)) != NULL)
    g_ptr_array_add (tasks, task);
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, fail_cancelled_cb, tasks, (GDestroyNotify) g_ptr_array_unref);
  g_source_set_static_name (source, "[relay-provider] cancel waiting");
  g_source_attach (source, g_task_get_context (g_ptr_array_index (tasks, 0)));
  g_source_unref (source);
  return n;
}

void
relay_provider_client_set_timeout_ms (RelayProviderClient *self, guint ms)
{
  g_return_if_fail (RELAY_IS_PROVIDER_CLIENT (self));

  /* 0 would time out at once; it means "the default". */
  if (ms == 0)
    ms = DEFAULT_TIMEOUT_MS;
  if (self->timeout_ms == ms)
    return;
  self->timeout_ms = ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT_MS]);
}

