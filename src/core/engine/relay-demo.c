/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The demo: a book wired to the built-in simulator, with services mapped,
 * clients and a first batch of orders, so a new user sees the whole flow. */
#include "config.h"

#include "relay-demo.h"
#include "relay-core-private.h"
#include "relay-link.h"
#include "relay-money.h"
#include "relay-error.h"

#include <json-glib/json-glib.h>

#include <glib/gi18n-lib.h>

#define N_DEMO_SERVICES 12

static const char * const demo_clients[] = { "Acme Coffee", "Nina Rossi", "Studio Lumen" };

/* Links of a made-up coffee shop; each service takes the first its platform
 * and link kind accept (relay_link_check decides, not this list). */
static const char * const demo_links[] = {
  "https://www.instagram.com/acme.coffee/",
  "https://www.instagram.com/p/C8xYz12AbCd/",
  "https://www.tiktok.com/@acmecoffee",
  "https://www.tiktok.com/@acmecoffee/video/7301234567890123456",
  "https://www.youtube.com/@AcmeCoffee",
  "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
  "https://x.com/acmecoffee",
  "https://x.com/acmecoffee/status/1790000000000000000",
  "https://www.facebook.com/acmecoffee",
  "https://www.facebook.com/acmecoffee/posts/1234567890",
  "https://www.facebook.com/watch/?v=1234567890",
  "https://t.me/acmecoffee",
  "https://t.me/acmecoffee/123",
  "https://open.spotify.com/artist/4Z8W4fKeB5YxbusRsdQVPb",
  "https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC",
  "https://www.twitch.tv/acmecoffee",
  "https://www.twitch.tv/videos/1234567890",
  "https://www.threads.net/@acmecoffee",
  "https://www.threads.net/@acmecoffee/post/C8xYz12AbCd",
  "https://discord.gg/acmecoffee",
  "https://acme-coffee.example/",
};

typedef struct
{
  char   *sim_url;
  gint64  provider_id;
} Prepare;

static void
prepare_free (Prepare *prepare)
{
  g_free (prepare->sim_url);
  g_free (prepare);
}

static const char *
demo_link_for (const RelayCatalogRow *service)
{
  RelayPlatform platform;
  RelayLinkKind kind;

  relay_link_classify_service (service->name, service->category, &platform, &kind);
  for (guint i = 0; i < G_N_ELEMENTS (demo_links); i++)
    if (relay_link_check (demo_links[i], platform, kind, NULL))
      return demo_links[i];
  return NULL;
}

/* Maps a dozen plain services, one per platform first, at the provider's rate
 * plus half, rounded up to the cent. */
static gboolean
map_services (RelayCore *core, gint64 provider_id, GError **error)
{
  RelayStore *store = relay_core_get_store (core);
  g_autoptr(GPtrArray) catalog = NULL;
  g_autoptr(GHashTable) platforms = g_hash_table_new (NULL, NULL);
  gint64 next_id = 1;

  catalog = relay_store_list_catalog (store, provider_id, NULL, FALSE, error);
  if (catalog == NULL)
    return FALSE;
  for (guint pass = 0; pass < 2 && next_id <= N_DEMO_SERVICES; pass++)
    for (guint i = 0; i < catalog->len && next_id <= N_DEMO_SERVICES; i++)
      {
        RelayCatalogRow *row = g_ptr_array_index (catalog, i);
        RelayPlatform platform;
        RelayLinkKind kind;
        gint64 price;

        if (g_ascii_strcasecmp (row->type, "Default") != 0 || demo_link_for (row) == NULL)
          continue;
        relay_link_classify_service (row->name, row->category, &platform, &kind);
        if (platform == RELAY_PLATFORM_OTHER)
          continue;   /* no sample link of ours fits a platform we do not know */
        /* First pass: one service per platform; second: fill up. */
        if (pass == 0 && g_hash_table_contains (platforms, GINT_TO_POINTER (platform)))
          continue;
        if (pass == 1 && g_hash_table_contains (platforms, GINT_TO_POINTER (-row->id)))
          continue;
        g_hash_table_add (platforms, GINT_TO_POINTER (platform));
        g_hash_table_add (platforms, GINT_TO_POINTER (-row->id));
        price = (row->rate * 3 / 2 + 9999) / 10000 * 10000;
        if (!relay_core_map_service (core, next_id++, row->name, price, provider_id,
                                     row->service_id, 0, NULL, FALSE, error))
          return FALSE;
      }
  return TRUE;
}

static gboolean
add_clients (RelayStore *store, GError **error)
{
  g_autoptr(GPtrArray) clients = relay_store_list_clients (store, error);

  if (clients == NULL)
    return FALSE;
  if (clients->len > 0)
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (demo_clients); i++)
    if (relay_store_add_client (store, demo_clients[i], error) == 0)
      return FALSE;
  return TRUE;
}

/* A first batch: two orders of each mapped service, spread over the clients. */
static gboolean
place_first_orders (RelayCore *core, GError **error)
{
  RelayStore *store = relay_core_get_store (core);
  g_autoptr(GPtrArray) services = relay_store_list_services (store, error);
  g_autoptr(GPtrArray) clients = NULL;
  g_autoptr(GPtrArray) drafts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) ids = NULL;
  RelayOrderQuery all = { 0 };
  gint64 n_orders;

  if (services == NULL)
    return FALSE;
  n_orders = relay_store_count_orders (store, &all, error);
  if (n_orders != 0)
    return n_orders > 0;
  clients = relay_store_list_clients (store, error);
  if (clients == NULL)
    return FALSE;

  for (guint round = 0; round < 2; round++)
    for (guint i = 0; i < services->len; i++)
      {
        RelayServiceRow *service = g_ptr_array_index (services, i);
        RelayOrderDraft *draft;
        const char *link = demo_link_for (service->primary);
        gint64 quantity;

        if (link == NULL)
          continue;
        quantity = CLAMP ((round + 1) * 500 + i * 100, service->primary->min, service->primary->max);
        draft = g_new0 (RelayOrderDraft, 1);
        draft->service_id = service->id;
        draft->link = link;
        draft->quantity = quantity;
        if (clients->len > 0)
          draft->client_id = ((RelayClientRow *) g_ptr_array_index (clients,
                                                    (i + round) % clients->len))->id;
        g_ptr_array_add (drafts, draft);
      }
  if (drafts->len == 0)
    return TRUE;
  ids = relay_core_place_orders (core, drafts, "demo", error);
  return ids != NULL;
}

static void
dispatch_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree RelayDispatchReport *report = NULL;

  report = relay_dispatcher_run_finish (RELAY_DISPATCHER (source), result, &error);
  if (report == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
services_synced (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  RelayCore *core = RELAY_CORE (source);
  Prepare *prepare = g_task_get_task_data (task);
  RelayStore *store = relay_core_get_store (core);
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GPtrArray) services = NULL;
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;

  changes = relay_core_sync_services_finish (core, result, &error);
  if (changes == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  services = relay_store_list_services (store, &error);
  if (services == NULL ||
      (services->len == 0 && !map_services (core, prepare->provider_id, &error)) ||
      !add_clients (store, &error) ||
      !place_first_orders (core, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  cancellable = g_task_get_cancellable (task);
  relay_dispatcher_run_async (relay_core_get_dispatcher (core), cancellable,
                              dispatch_done, g_steal_pointer (&task));
}

void
relay_demo_prepare_async (RelayCore           *core,
                          const char          *sim_url,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (core, cancellable, callback, user_data);
  RelayStore *store = relay_core_get_store (core);
  g_autoptr(RelayProviderRow) provider = NULL;
  Prepare *prepare = g_new0 (Prepare, 1);
  GError *error = NULL;

  g_task_set_source_tag (task, relay_demo_prepare_async);
  prepare->sim_url = g_strdup (sim_url);
  g_task_set_task_data (task, prepare, (GDestroyNotify) prepare_free);

  provider = relay_store_find_provider (store, RELAY_DEMO_PROVIDER_NAME, NULL);
  if (provider == NULL)
    prepare->provider_id = relay_core_add_provider (core, RELAY_DEMO_PROVIDER_NAME, sim_url,
                                                    RELAY_DEMO_KEY, &error);
  else
    {
      prepare->provider_id = provider->id;
      /* The simulator's port changes from run to run; the key may be gone if
       * the config dir was cleaned: set both again. */
      if (!relay_core_update_provider (core, provider->id, NULL, sim_url, RELAY_DEMO_KEY, &error))
        prepare->provider_id = 0;
    }
  if (prepare->provider_id == 0)
    {
      g_task_return_error (task, error);
      return;
    }
  relay_core_sync_services_async (core, prepare->provider_id, cancellable, services_synced,
                                  g_steal_pointer (&task));
}

gboolean
relay_demo_prepare_finish (RelayCore *core, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, core), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- the demo provider's balance ---- */

/* The simulator's admin endpoint behind a provider URL on this computer
 * ("http://127.0.0.1:PORT/api/v2" -> "http://127.0.0.1:PORT/sim/control"),
 * or NULL when @url is not a simulator's. */
static char *
control_url_for (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  const char *host;

  if (uri == NULL || g_strcmp0 (g_uri_get_scheme (uri), "http") != 0)
    return NULL;
  host = g_uri_get_host (uri);
  if (g_strcmp0 (host, "127.0.0.1") != 0 && g_strcmp0 (host, "localhost") != 0)
    return NULL;
  if (g_uri_get_port (uri) <= 0)
    return NULL;
  return g_strdup_printf ("http://127.0.0.1:%d/sim/control", g_uri_get_port (uri));
}

typedef struct
{
  gint64      provider_id;
  char       *provider;
  SoupMessage *msg;
} Fund;

static void
fund_free (Fund *fund)
{
  g_free (fund->provider);
  g_clear_object (&fund->msg);
  g_free (fund);
}

static void
fund_refreshed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  RelayProviderBalance *balance;

  balance = relay_core_refresh_balance_finish (RELAY_CORE (source), result, &error);
  if (balance == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, balance, (GDestroyNotify) relay_provider_balance_free);
}

/* The simulator's words in {"error": …}, or NULL. */
static char *
reply_error (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize size = 0;
  const char *data = g_bytes_get_data (body, &size);
  JsonNode *root;
  JsonObject *object;

  if (!json_parser_load_from_data (parser, data, (gssize) MIN (size, 65536), NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  object = json_node_get_object (root);
  if (!json_object_has_member (object, "error") ||
      json_node_get_value_type (json_object_get_member (object, "error")) != G_TYPE_STRING)
    return NULL;
  return g_utf8_make_valid (json_object_get_string_member (object, "error"), 200);
}

static void
fund_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  Fund *fund = g_task_get_task_data (task);
  RelayCore *core = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *words = NULL;
  GCancellable *cancellable;
  guint status;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, RELAY_PROVIDER_ERROR, RELAY_PROVIDER_ERROR_NOT_SENT,
                                 _("%s does not answer (is the demo running?): %s"),
                                 fund->provider, error->message);
      return;
    }
  status = soup_message_get_status (fund->msg);
  words = reply_error (body);
  if (status == SOUP_STATUS_NOT_FOUND)
    {
      g_task_return_new_error (task, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID,
                               _("%s is not a simulator: top up its balance on the panel’s website"),
                               fund->provider);
      return;
    }
  if (status != SOUP_STATUS_OK || words != NULL)
    {
      g_task_return_new_error (task, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID,
                               _("%s refused the new balance: %s"), fund->provider,
                               words != NULL ? words : soup_status_get_phrase (status));
      return;
    }
  cancellable = g_task_get_cancellable (task);
  relay_core_refresh_balance_async (core, fund->provider_id, cancellable, fund_refreshed,
                                    g_steal_pointer (&task));
}

void
relay_demo_fund_async (RelayCore           *core,
                       gint64               provider_id,
                       gint64               amount,
                       gboolean             set,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (core, cancellable, callback, user_data);
  g_autoptr(RelayProviderRow) provider = NULL;
  g_autofree char *url = NULL;
  g_autofree char *text = NULL;
  g_autofree char *form = NULL;
  GError *error = NULL;
  Fund *fund;

  g_task_set_source_tag (task, relay_demo_fund_async);
  provider = relay_store_get_provider (relay_core_get_store (core), provider_id, &error);
  if (provider == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (!relay_money_check_amount (amount, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  url = control_url_for (provider->url);
  if (url == NULL)
    {
      g_task_return_new_error (task, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID,
                               _("%s is not a simulator on this computer: top up its balance "
                                 "on the panel’s website"), provider->name);
      return;
    }

  fund = g_new0 (Fund, 1);
  fund->provider_id = provider_id;
  fund->provider = g_strdup (provider->name);
  g_task_set_task_data (task, fund, (GDestroyNotify) fund_free);
  text = relay_money_format (amount);
  form = soup_form_encode (set ? "balance" : "top_up", text, NULL);
  fund->msg = soup_message_new_from_encoded_form (SOUP_METHOD_POST, url, g_steal_pointer (&form));
  soup_session_send_and_read_async (relay_core_get_session (core), fund->msg, G_PRIORITY_DEFAULT,
                                    cancellable, fund_sent, g_steal_pointer (&task));
}

RelayProviderBalance *
relay_demo_fund_finish (RelayCore *core, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, core), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
