/* SPDX-License-Identifier: GPL-3.0-or-later */
/* smm-relay-cli services … and service …: the providers' catalogs, and my services on them. */
#include <inttypes.h>
#include "config.h"

#include "relay-cli-private.h"
#include "relay-link.h"
#include "relay-format.h"
#include "relay-price-rule.h"

#include <stdio.h>
#include <string.h>

#define NAME_WIDTH 48

static const char *
link_kind_name (RelayLinkKind kind)
{
  switch (kind)
    {
    case RELAY_LINK_PROFILE:
      return "profile";
    case RELAY_LINK_POST:
      return "post";
    case RELAY_LINK_ANY:
    default:
      return "any";
    }
}

/* "Default, 0.90 USD per 1000, 50–10000" */
static char *
describe_service (const RelayCatalogRow *row, const char *currency)
{
  g_autofree char *rate = relay_money_format_with_currency (row->rate, currency);

  return g_strdup_printf (_("%s, %s per 1000, %" PRId64 "–%" PRId64),
                          row->type ? row->type : "Default", rate, row->min, row->max);
}

static gboolean
has_change (const RelayCatalogRow *row, const char *what)
{
  g_auto(GStrv) parts = NULL;

  if (row->change == NULL)
    return FALSE;
  parts = g_strsplit (row->change, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (g_strcmp0 (g_strstrip (parts[i]), what) == 0)
      return TRUE;
  return FALSE;
}

/* What changed in a service that was there before. */
static char *
describe_change (const RelayCatalogRow *row, const char *currency)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  if (has_change (row, "rate_up") || has_change (row, "rate_down"))
    {
      g_autofree char *old_rate = relay_money_format (row->prev_rate);
      g_autofree char *new_rate = relay_money_format_with_currency (row->rate, currency);

      g_ptr_array_add (parts, g_strdup_printf (_("rate %s → %s"), old_rate, new_rate));
    }
  if (has_change (row, "limits"))
    g_ptr_array_add (parts, g_strdup_printf (_("min/max now %" PRId64 "–%"
                                               PRId64), row->min, row->max));
  if (has_change (row, "type"))
    g_ptr_array_add (parts, g_strdup_printf (_("type now %s"), row->type));
  if (parts->len == 0)
    g_ptr_array_add (parts, g_strdup (row->change));
  g_ptr_array_add (parts, NULL);
  return g_strjoinv ("; ", (char **) parts->pdata);
}

/* The rate changes the sync that follows @after_id recorded for my services
 * of @provider_id: each as a sentence, then those that stopped below cost. */
static int
print_price_changes (RelayCli *cli,
                     gint64    provider_id,
                     gint64    after_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GString) stopped = g_string_new (NULL);
  guint n_below = 0;

  changes = relay_core_list_price_changes (cli->core, provider_id, after_id, 0, 0, &error);
  if (changes == NULL)
    return relay_cli_fail_error (error);
  if (changes->len == 0)
    return RELAY_CLI_EXIT_OK;
  g_print (g_dngettext (GETTEXT_PACKAGE, "%u price change:\n", "%u price changes:\n",
                        changes->len), changes->len);
  /* Oldest first, as they happened. */
  for (guint i = changes->len; i-- > 0;)
    {
      RelayPriceChange *change = g_ptr_array_index (changes, i);
      g_autofree char *text = relay_price_change_describe (change);

      g_print ("  %s\n", text);
      if (change->below_cost)
        {
          g_string_append_printf (stopped, "%s%s (%" PRId64 ")", n_below > 0 ? ", " : "",
                                  change->service_name, change->service_id);
          n_below++;
        }
    }
  if (n_below > 0)
    g_print (g_dngettext (GETTEXT_PACKAGE,
                          "%u service stopped taking orders, its fixed price now below cost: %s\n",
                          "%u services stopped taking orders, their fixed price now below cost: %s\n",
                          n_below), n_below, stopped->str);
  return RELAY_CLI_EXIT_OK;
}

static int
services_sync (RelayCli *cli, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayProviderRow) provider = NULL;
  g_autoptr(RelayProviderRow) after = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GPtrArray) catalog = NULL;
  g_autoptr(GPtrArray) last = NULL;
  guint n_new = 0, n_changed = 0, n_removed = 0, n_refused = 0;
  gint64 last_id;
  const char *currency;
  int status = relay_cli_parse (cli, NULL, argv, 1, 1);

  if (status >= 0)
    return status;
  if (relay_cli_open (cli) == NULL)
    return RELAY_CLI_EXIT_FAILED;
  provider = relay_cli_find_provider (cli, argv[1], &error);
  if (provider == NULL)
    return relay_cli_fail_error (error);
  last = relay_core_list_price_changes (cli->core, 0, 0, 0, 1, &error);
  if (last == NULL)
    return relay_cli_fail_error (error);
  last_id = last->len > 0 ? ((RelayPriceChange *) g_ptr_array_index (last, 0))->id : 0;

  relay_core_sync_services_async (cli->core, provider->id, NULL, relay_cli_async_ready, cli);
  result = relay_cli_wait (cli);
  changes = relay_core_sync_services_finish (cli->core, result, &error);
  if (changes == NULL)
    {
      relay_cli_fail (_("%s: %s"), provider->name, error->message);
      return relay_cli_error_status (error);
    }

  after = relay_store_get_provider (relay_core_get_store (cli->core), provider->id, NULL);
  currency = after != NULL ? after->currency : NULL;
  for (guint i = 0; i < changes->len; i++)
    {
      RelayCatalogRow *row = g_ptr_array_index (changes, i);
      g_autofree char *name = relay_cli_shorten (row->name, NAME_WIDTH * 2);

      if (has_change (row, "refused"))
        {
          n_refused++;
          g_print (_("refused  %s  %s: the panel sent this service without a usable name "
                     "or rate; its previous entry is kept\n"), row->service_id, name);
        }
      else if (row->removed || has_change (row, "removed"))
        {
          n_removed++;
          g_print (_("removed  %s  %s\n"), row->service_id, name);
        }
      else if (has_change (row, "new"))
        {
          g_autofree char *details = describe_service (row, currency);

          n_new++;
          g_print (_("new      %s  %s (%s)\n"), row->service_id, name, details);
        }
      else
        {
          g_autofree char *details = describe_change (row, currency);

          n_changed++;
          g_print (_("changed  %s  %s: %s\n"), row->service_id, name, details);
        }
    }

  catalog = relay_store_list_catalog (relay_core_get_store (cli->core), provider->id, NULL, FALSE,
                                      &error);
  if (catalog == NULL)
    return relay_cli_fail_error (error);
  g_print (g_dngettext (GETTEXT_PACKAGE,
                        "%u service: %u new, %u changed, %u removed\n",
                        "%u services: %u new, %u changed, %u removed\n", catalog->len),
           catalog->len, n_new, n_changed, n_removed);
  if (n_refused > 0)
    g_print (g_dngettext (GETTEXT_PACKAGE,
                          "%u entry of the panel's list was refused (see above)\n",
                          "%u entries of the panel's list were refused (see above)\n",
                          n_refused), n_refused);
  /* The panel's entries without a usable id, name or rate are not stored (a
   * known id keeps its previous entry, "refused" above): a list of nothing
   * but those, or an empty one, leaves nothing to order.  Said, and exit 1. */
  if (catalog->len == 0)
    {
      g_printerr (_("%s: warning: no usable service came from “%s”: its list was empty, or "
                    "no entry had a usable id, name and rate (such entries are skipped)\n"),
                  RELAY_CLI_NAME, provider->name);
      status = print_price_changes (cli, provider->id, last_id);
      return status == RELAY_CLI_EXIT_OK ? RELAY_CLI_EXIT_FAILED : status;
    }
  return print_price_changes (cli, provider->id, last_id);
}

/* Provider id -> currency, for the rates of a catalog list. */
static GHashTable *
provider_currencies (RelayCli *cli)
{
  GHashTable *table = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  RelayStore *store = relay_core_get_store (cli->core);
  g_autoptr(GPtrArray) providers = relay_store_list_providers (store, NULL);

  for (guint i = 0; providers != NULL && i < providers->len; i++)
    {
      RelayProviderRow *p = g_ptr_array_index (providers, i);
      g_hash_table_insert (table, g_memdup2 (&p->id, sizeof p->id), g_strdup (p->currency));
    }
  return table;
}

static int
services_list (RelayCli *cli, char **argv)
{
  g_autofree char *provider_name = NULL;
  g_autofree char *search = NULL;
  gboolean json = FALSE;
  gboolean removed = FALSE;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayProviderRow) provider = NULL;
  g_autoptr(GPtrArray) catalog = NULL;
  g_autoptr(GHashTable) currencies = NULL;
  const GOptionEntry entries[] = {
    { "provider", 0, 0, G_OPTION_ARG_STRING, &provider_name, N_("only this provider’s services"),
      N_("NAME") },
    { "search", 0, 0, G_OPTION_ARG_STRING, &search, N_("only services whose name, category, type "
      "or id contains TEXT"), N_("TEXT") },
    { "removed", 0, 0, G_OPTION_ARG_NONE, &removed, N_("include services the provider no longer "
      "offers"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("print JSON"), NULL },
    { NULL }
  };
  int status = relay_cli_parse (cli, entries, argv, 0, 0);

  if (status >= 0)
    return status;
  if (relay_cli_open (cli) == NULL)
    return RELAY_CLI_EXIT_FAILED;
  if (provider_name != NULL)
    {
      provider = relay_cli_find_provider (cli, provider_name, &error);
      if (provider == NULL)
        return relay_cli_fail_error (error);
    }
  catalog = relay_store_list_catalog (relay_core_get_store (cli->core), provider ? provider->id : 0,
                                      search, removed, &error);
  if (catalog == NULL)
    return relay_cli_fail_error (error);
  currencies = provider_currencies (cli);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < catalog->len; i++)
        {
          RelayCatalogRow *row = g_ptr_array_index (catalog, i);
          RelayPlatform platform;
          RelayLinkKind kind;

          relay_link_classify_service (row->name, row->category, &platform, &kind);
          json_builder_begin_object (builder);
          relay_cli_json_string (builder, "provider", row->provider_name);
          relay_cli_json_string (builder, "service", row->service_id);
          relay_cli_json_string (builder, "name", row->name);
          relay_cli_json_string (builder, "type", row->type);
          relay_cli_json_string (builder, "category", row->category);
          relay_cli_json_money (builder, "rate", TRUE, row->rate);
          relay_cli_json_string (builder, "currency",
                                 g_hash_table_lookup (currencies, &row->provider_id));
          relay_cli_json_int (builder, "min", TRUE, row->min);
          relay_cli_json_int (builder, "max", TRUE, row->max);
          json_builder_set_member_name (builder, "refill");
          json_builder_add_boolean_value (builder, row->refill);
          json_builder_set_member_name (builder, "cancel");
          json_builder_add_boolean_value (builder, row->cancel);
          json_builder_set_member_name (builder, "dripfeed");
          json_builder_add_boolean_value (builder, row->dripfeed);
          json_builder_set_member_name (builder, "removed");
          json_builder_add_boolean_value (builder, row->removed);
          relay_cli_json_string (builder, "platform", platform != RELAY_PLATFORM_OTHER
                                                      ? relay_platform_get_label (platform) : NULL);
          relay_cli_json_string (builder, "link_kind", link_kind_name (kind));
          relay_cli_json_string (builder, "change", row->change);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      relay_cli_print_json (root);
      return RELAY_CLI_EXIT_OK;
    }

  if (catalog->len == 0)
    {
      g_print (_("No services; fetch a provider’s catalog with “%s services sync PROVIDER”.\n"),
               RELAY_CLI_NAME);
      return RELAY_CLI_EXIT_OK;
    }
  {
    g_autoptr(RelayCliTable) table = relay_cli_table_new (_("PROVIDER"), _("ID"), _("NAME"),
                                                          _("TYPE"), _("RATE/1000"), _("MIN"),
                                                          _("MAX"), _("OFFERS"), NULL);

    relay_cli_table_align_right (table, 1);
    relay_cli_table_align_right (table, 4);
    relay_cli_table_align_right (table, 5);
    relay_cli_table_align_right (table, 6);
    for (guint i = 0; i < catalog->len; i++)
      {
        RelayCatalogRow *row = g_ptr_array_index (catalog, i);
        g_autofree char *name = relay_cli_shorten (row->name, NAME_WIDTH);
        g_autofree char *rate = relay_money_format_with_currency (
          row->rate, g_hash_table_lookup (currencies, &row->provider_id));
        g_autofree char *min = g_strdup_printf ("%" PRId64, row->min);
        g_autofree char *max = g_strdup_printf ("%" PRId64, row->max);
        g_autoptr(GString) offers = g_string_new (NULL);

        if (row->refill)
          g_string_append (offers, _("refill "));
        if (row->cancel)
          g_string_append (offers, _("cancel "));
        if (row->dripfeed)
          g_string_append (offers, _("drip-feed "));
        if (row->removed)
          g_string_append (offers, _("REMOVED "));
        relay_cli_table_add (table, row->provider_name, row->service_id, name, row->type, rate,
                             min, max, g_strchomp (offers->str));
      }
    relay_cli_table_print (table);
  }
  return RELAY_CLI_EXIT_OK;
}

/* ---- my services ---- */

static gboolean
parse_fallback (const char *text, char **out_provider, char **out_service)
{
  const char *colon = text ? strrchr (text, ':') : NULL;

  if (colon == NULL || colon == text || colon[1] == '\0')
    return FALSE;
  *out_provider = g_strndup (text, colon - text);
  *out_service = g_strdup (colon + 1);
  return TRUE;
}

/* "rule: +35 %, step 0.05", "rule: +35 %" or "fixed".  New string. */
static char *
describe_pricing (const RelayServiceRow *s)
{
  g_autofree char *markup = NULL;
  g_autofree char *step = NULL;

  if (!s->has_rule)
    return g_strdup (_("fixed"));
  markup = relay_price_format_markup (s->markup_ppm);
  if (s->price_step == 0)
    /* Translators: a price rule: the provider's rate plus 35 % */
    return g_strdup_printf (_("rule: +%s %%"), markup);
  step = relay_format_money (s->price_step, NULL, RELAY_MONEY_STYLE_UNIT_PRICE);
  /* Translators: a price rule: rate plus 35 %, rounded up to a step of 0.05 */
  return g_strdup_printf (_("rule: +%s %%, step %s"), markup, step);
}

/* Reads --round STEP in @provider's currency (relay_money_parse_typed()). */
static gboolean
parse_step (const char             *text,
            const RelayProviderRow *provider,
            gint64                 *out_step,
            GError                **error)
{
  *out_step = 0;
  if (text == NULL)
    return TRUE;
  return relay_money_parse_typed (text, provider->currency, out_step, error);
}

static int
service_map (RelayCli *cli, char **argv)
{
  g_autofree char *price_text = NULL;
  g_autofree char *markup_text = NULL;
  g_autofree char *round_text = NULL;
  g_autofree char *pricing = NULL;
  gint64 markup_ppm = -1;
  gint64 step = 0;
  g_autofree char *name = NULL;
  g_autofree char *fallback = NULL;
  g_autofree char *fallback_provider_name = NULL;
  g_autofree char *fallback_service = NULL;
  gboolean manual = FALSE;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayProviderRow) provider = NULL;
  g_autoptr(RelayProviderRow) fallback_provider = NULL;
  g_autoptr(RelayServiceRow) service = NULL;
  g_autofree char *price_str = NULL;
  gint64 id = 0;
  gint64 price = 0;
  const GOptionEntry entries[] = {
    { "price", 0, 0, G_OPTION_ARG_STRING, &price_text, N_("my fixed price per 1,000"),
      N_("PRICE") },
    { "markup", 0, 0, G_OPTION_ARG_STRING, &markup_text, N_("price by a rule instead: the "
      "provider’s rate plus PERCENT (such as 35 or 35.5), repriced at each catalog sync"),
      N_("PERCENT") },
    { "round", 0, 0, G_OPTION_ARG_STRING, &round_text, N_("with --markup: round the price up to "
      "a multiple of STEP (such as 0.05), in the provider’s currency"), N_("STEP") },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("the name my clients see (default: the "
      "provider’s)"), N_("TEXT") },
    { "manual", 0, 0, G_OPTION_ARG_NONE, &manual, N_("orders wait for approval before they are "
      "sent"), NULL },
    { "fallback", 0, 0, G_OPTION_ARG_STRING, &fallback, N_("send here when the primary refuses "
      "the order"), N_("PROVIDER:SERVICE_ID") },
    { NULL }
  };
  int status = relay_cli_parse (cli, entries, argv, 3, 3);

  if (status >= 0)
    return status;
  if (!relay_cli_parse_id (argv[1], &id))
    return relay_cli_usage (cli, _("“%s” is not a service id (a positive whole number)"), argv[1]);
  if (price_text != NULL && markup_text != NULL)
    return relay_cli_usage (cli, _("give either --price or --markup, not both"));
  if (price_text == NULL && markup_text == NULL)
    return relay_cli_usage (cli, _("--price PRICE_PER_1000 or --markup PERCENT is required"));
  if (round_text != NULL && markup_text == NULL)
    return relay_cli_usage (cli, _("--round goes with --markup"));
  if (price_text != NULL && !relay_money_parse (price_text, &price, &error))
    return relay_cli_usage (cli, _("bad --price: %s"), error->message);
  if (markup_text != NULL && !relay_price_parse_markup (markup_text, &markup_ppm, &error))
    return relay_cli_usage (cli, _("bad --markup: %s"), error->message);
  if (fallback != NULL && !parse_fallback (fallback, &fallback_provider_name, &fallback_service))
    return relay_cli_usage (cli, _("--fallback is PROVIDER:SERVICE_ID, "
                                   "such as “Demo provider:12”"));

  if (relay_cli_open (cli) == NULL)
    return RELAY_CLI_EXIT_FAILED;
  provider = relay_cli_find_provider (cli, argv[2], &error);
  if (provider == NULL)
    return relay_cli_fail_error (error);
  if (!parse_step (round_text, provider, &step, &error))
    return relay_cli_usage (cli, _("bad --round: %s"), error->message);
  if (fallback_provider_name != NULL)
    {
      fallback_provider = relay_cli_find_provider (cli, fallback_provider_name, &error);
      if (fallback_provider == NULL)
        return relay_cli_fail_error (error);
    }
  if (!relay_core_map_service_full (cli->core, id, name, price, markup_ppm, step, provider->id,
                                    argv[3], fallback_provider ? fallback_provider->id : 0,
                                    fallback_service, manual, &error))
    return relay_cli_fail_error (error);

  service = relay_store_get_service (relay_core_get_store (cli->core), id, &error);
  if (service == NULL)
    return relay_cli_fail_error (error);
  price_str = relay_money_format_with_currency (service->price, service->currency);
  pricing = describe_pricing (service);
  g_print (_("service %" PRId64 " “%s” → %s:%s at %s per 1000 (%s)%s%s%s\n"),
           service->id, service->name, service->primary->provider_name,
           service->primary->service_id, price_str, pricing,
           service->fallback ? _(", fallback ") : "",
           service->fallback ? service->fallback->provider_name : "",
           service->manual ? _(", manual approval") : "");
  return RELAY_CLI_EXIT_OK;
}

static int
service_price (RelayCli *cli, char **argv)
{
  g_autofree char *markup_text = NULL;
  g_autofree char *round_text = NULL;
  g_autofree char *price_str = NULL;
  g_autofree char *pricing = NULL;
  gboolean fixed = FALSE;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayServiceRow) service = NULL;
  g_autoptr(RelayServiceRow) after = NULL;
  g_autoptr(RelayProviderRow) provider = NULL;
  gint64 id = 0;
  gint64 markup_ppm = -1;
  gint64 step = 0;
  const GOptionEntry entries[] = {
    { "markup", 0, 0, G_OPTION_ARG_STRING, &markup_text, N_("price by the provider’s rate plus "
      "PERCENT, repriced at each catalog sync"), N_("PERCENT") },
    { "round", 0, 0, G_OPTION_ARG_STRING, &round_text, N_("with --markup: round the price up to "
      "a multiple of STEP, in the provider’s currency"), N_("STEP") },
    { "fixed", 0, 0, G_OPTION_ARG_NONE, &fixed, N_("keep the price it has now, fixed (no rule)"),
      NULL },
    { NULL }
  };
  int status = relay_cli_parse (cli, entries, argv, 1, 1);

  if (status >= 0)
    return status;
  if (!relay_cli_parse_id (argv[1], &id))
    return relay_cli_usage (cli, _("“%s” is not a service id (a positive whole number)"), argv[1]);
  if ((markup_text != NULL) == fixed)
    return relay_cli_usage (cli, _("give either --markup PERCENT or --fixed"));
  if (round_text != NULL && markup_text == NULL)
    return relay_cli_usage (cli, _("--round goes with --markup"));
  if (markup_text != NULL && !relay_price_parse_markup (markup_text, &markup_ppm, &error))
    return relay_cli_usage (cli, _("bad --markup: %s"), error->message);

  if (relay_cli_open (cli) == NULL)
    return RELAY_CLI_EXIT_FAILED;
  service = relay_store_get_service (relay_core_get_store (cli->core), id, &error);
  if (service == NULL)
    return relay_cli_fail_error (error);
  provider = relay_store_get_provider (relay_core_get_store (cli->core),
                                      service->primary->provider_id, &error);
  if (provider == NULL)
    return relay_cli_fail_error (error);
  if (!parse_step (round_text, provider, &step, &error))
    return relay_cli_usage (cli, _("bad --round: %s"), error->message);
  if (!relay_core_set_price_rule (cli->core, id, markup_ppm, step, &error))
    return relay_cli_fail_error (error);

  after = relay_store_get_service (relay_core_get_store (cli->core), id, &error);
  if (after == NULL)
    return relay_cli_fail_error (error);
  price_str = relay_money_format_with_currency (after->price, after->currency);
  pricing = describe_pricing (after);
  g_print (_("service %" PRId64 " “%s” at %s per 1000 (%s)\n"), after->id, after->name, price_str,
           pricing);
  return RELAY_CLI_EXIT_OK;
}

static char *
catalog_ref (const RelayCatalogRow *row)
{
  return row ? g_strdup_printf ("%s:%s", row->provider_name, row->service_id) : NULL;
}

static void
service_to_json (JsonBuilder *builder, const RelayServiceRow *s, const GError *problem)
{
  json_builder_begin_object (builder);
  relay_cli_json_int (builder, "id", TRUE, s->id);
  relay_cli_json_string (builder, "name", s->name);
  relay_cli_json_money (builder, "price", TRUE, s->price);
  relay_cli_json_string (builder, "currency", s->currency);
  relay_cli_json_string (builder, "pricing", s->has_rule ? "rule" : "fixed");
  {
    g_autofree char *markup = s->has_rule ? relay_price_format_markup (s->markup_ppm) : NULL;

    relay_cli_json_string (builder, "markup_percent", markup);
  }
  relay_cli_json_money (builder, "price_step", s->has_rule, s->price_step);
  json_builder_set_member_name (builder, "manual");
  json_builder_add_boolean_value (builder, s->manual);
  relay_cli_json_string (builder, "provider", s->primary ? s->primary->provider_name : NULL);
  relay_cli_json_string (builder, "provider_service", s->primary ? s->primary->service_id : NULL);
  relay_cli_json_string (builder, "provider_service_name", s->primary ? s->primary->name : NULL);
  relay_cli_json_string (builder, "type", s->primary ? s->primary->type : NULL);
  relay_cli_json_money (builder, "provider_rate", s->primary != NULL,
                        s->primary ? s->primary->rate : 0);
  relay_cli_json_money (builder, "margin", s->primary != NULL,
                        s->primary ? s->price - s->primary->rate : 0);
  json_builder_set_member_name (builder, "fallback");
  if (s->fallback != NULL)
    {
      json_builder_begin_object (builder);
      relay_cli_json_string (builder, "provider", s->fallback->provider_name);
      relay_cli_json_string (builder, "service", s->fallback->service_id);
      relay_cli_json_money (builder, "rate", TRUE, s->fallback->rate);
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "orderable");
  json_builder_add_boolean_value (builder, problem == NULL);
  json_builder_set_member_name (builder, "below_cost");
  json_builder_add_boolean_value (builder, g_error_matches (problem, RELAY_INPUT_ERROR,
                                                            RELAY_INPUT_ERROR_BELOW_COST));
  relay_cli_json_string (builder, "problem", problem ? problem->message : NULL);
  json_builder_end_object (builder);
}

static int
service_list (RelayCli *cli, char **argv)
{
  gboolean json = FALSE;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) services = NULL;
  g_autoptr(RelayCliTable) table = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("print JSON"), NULL },
    { NULL }
  };
  int status = relay_cli_parse (cli, entries, argv, 0, 0);
  guint n_flagged = 0;

  if (status >= 0)
    return status;
  if (relay_cli_open (cli) == NULL)
    return RELAY_CLI_EXIT_FAILED;
  services = relay_store_list_services (relay_core_get_store (cli->core), &error);
  if (services == NULL)
    return relay_cli_fail_error (error);

  if (json)
    {
      builder = json_builder_new ();
      json_builder_begin_array (builder);
    }
  else if (services->len == 0)
    {
      g_print (_("No services of yours yet; map one with “%s service map ID PROVIDER "
                 "PROVIDER_SERVICE_ID --price PRICE”.\n"), RELAY_CLI_NAME);
      return RELAY_CLI_EXIT_OK;
    }
  else
    {
      table = relay_cli_table_new (_("ID"), _("NAME"), _("PRICE/1000"), _("PRICING"),
                                   _("PROVIDER:SERVICE"), _("RATE/1000"), _("MARGIN"),
                                   _("FALLBACK"), _("MODE"), _("PROBLEM"), NULL);
      relay_cli_table_align_right (table, 0);
      relay_cli_table_align_right (table, 2);
      relay_cli_table_align_right (table, 5);
      relay_cli_table_align_right (table, 6);
    }

  for (guint i = 0; i < services->len; i++)
    {
      RelayServiceRow *s = g_ptr_array_index (services, i);
      g_autoptr(GError) problem = NULL;

      /* The core's rule decides whether it can be sold: below cost, removed. */
      if (!relay_service_check_orderable (s, &problem))
        n_flagged++;
      if (json)
        {
          service_to_json (builder, s, problem);
          continue;
        }
      {
        g_autofree char *id = g_strdup_printf ("%" PRId64, s->id);
        g_autofree char *name = relay_cli_shorten (s->name, NAME_WIDTH);
        g_autofree char *price = relay_money_format_with_currency (s->price, s->currency);
        g_autofree char *primary = catalog_ref (s->primary);
        g_autofree char *rate = s->primary ? relay_money_format (s->primary->rate) : NULL;
        g_autofree char *margin = s->primary
          ? relay_money_format (s->price - s->primary->rate) : NULL;
        g_autofree char *fallback = catalog_ref (s->fallback);
        g_autofree char *pricing = describe_pricing (s);
        g_autofree char *flag = NULL;

        if (problem != NULL)
          flag = g_strdup_printf ("! %s",
                                  g_error_matches (problem, RELAY_INPUT_ERROR,
                                                   RELAY_INPUT_ERROR_BELOW_COST)
                                  ? _("BELOW COST") : problem->message);
        relay_cli_table_add (table, id, name, price, pricing, primary, rate, margin, fallback,
                             s->manual ? _("manual") : _("auto"), flag);
      }
    }

  if (json)
    {
      g_autoptr(JsonNode) root = NULL;

      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      relay_cli_print_json (root);
      return RELAY_CLI_EXIT_OK;
    }
  relay_cli_table_print (table);
  if (n_flagged > 0)
    g_print (g_dngettext (GETTEXT_PACKAGE,
                          "\n%u service cannot be ordered now (marked “!”): "
                          "fix its price or mapping.\n",
                          "\n%u services cannot be ordered now (marked “!”): "
                          "fix their price or mapping.\n",
                          n_flagged), n_flagged);
  return RELAY_CLI_EXIT_OK;
}

static int
service_remove (RelayCli *cli, char **argv)
{
  g_autoptr(GError) error = NULL;
  gint64 id = 0;
  int status = relay_cli_parse (cli, NULL, argv, 1, 1);

  if (status >= 0)
    return status;
  if (!relay_cli_parse_id (argv[1], &id))
    return relay_cli_usage (cli, _("“%s” is not a service id (a positive whole number)"), argv[1]);
  if (relay_cli_open (cli) == NULL)
    return RELAY_CLI_EXIT_FAILED;
  if (!relay_store_remove_service (relay_core_get_store (cli->core), id, &error))
    return relay_cli_fail_error (error);
  g_print (_("service %" PRId64 " removed\n"), id);
  return RELAY_CLI_EXIT_OK;
}

/* "YYYY-MM-DD" (local midnight), "YYYY-MM-DD HH:MM" or ISO 8601. */
static gboolean
parse_since (const char *text, gint64 *out_unix)
{
  g_autoptr(GTimeZone) local = NULL;
  g_autoptr(GDateTime) day = NULL;
  int year, month, mday;
  char tail;

  if (sscanf (text, "%4d-%2d-%2d%c", &year, &month, &mday, &tail) != 3)
    return relay_cli_parse_time (text, out_unix);
  local = g_time_zone_new_local ();
  day = g_date_time_new (local, year, month, mday, 0, 0, 0);
  if (day == NULL)
    return FALSE;
  *out_unix = g_date_time_to_unix (day);
  return TRUE;
}

int
relay_cli_price_changes (RelayCli *cli, char **argv)
{
  g_autofree char *since_text = NULL;
  g_autofree char *provider_name = NULL;
  gboolean json = FALSE;
  gint limit = 0;
  gint64 since = 0;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayProviderRow) provider = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  const GOptionEntry entries[] = {
    { "since", 0, 0, G_OPTION_ARG_STRING, &since_text, N_("only changes from DATE on "
      "(YYYY-MM-DD or “YYYY-MM-DD HH:MM”, local time)"), N_("DATE") },
    { "provider", 0, 0, G_OPTION_ARG_STRING, &provider_name, N_("only this provider’s services"),
      N_("NAME") },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_("at most N changes, the newest"), N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("print JSON"), NULL },
    { NULL }
  };
  int status = relay_cli_parse (cli, entries, argv, 0, 0);

  if (status >= 0)
    return status;
  if (since_text != NULL && !parse_since (since_text, &since))
    return relay_cli_usage (cli, _("“%s” is not a date (YYYY-MM-DD or “YYYY-MM-DD HH:MM”)"),
                            since_text);
  if (limit < 0)
    return relay_cli_usage (cli, _("--limit is a positive whole number"));
  if (relay_cli_open (cli) == NULL)
    return RELAY_CLI_EXIT_FAILED;
  if (provider_name != NULL)
    {
      provider = relay_cli_find_provider (cli, provider_name, &error);
      if (provider == NULL)
        return relay_cli_fail_error (error);
    }
  changes = relay_core_list_price_changes (cli->core, provider ? provider->id : 0, 0, since, limit,
                                           &error);
  if (changes == NULL)
    return relay_cli_fail_error (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < changes->len; i++)
        {
          RelayPriceChange *c = g_ptr_array_index (changes, i);

          json_builder_begin_object (builder);
          relay_cli_json_int (builder, "id", TRUE, c->id);
          relay_cli_json_time (builder, "at", c->at);
          relay_cli_json_int (builder, "service_id", TRUE, c->service_id);
          relay_cli_json_string (builder, "service", c->service_name);
          relay_cli_json_string (builder, "provider", c->provider_name);
          relay_cli_json_string (builder, "currency", c->currency);
          relay_cli_json_money (builder, "old_cost", TRUE, c->old_cost);
          relay_cli_json_money (builder, "new_cost", TRUE, c->new_cost);
          relay_cli_json_money (builder, "old_price", TRUE, c->old_price);
          relay_cli_json_money (builder, "new_price", TRUE, c->new_price);
          json_builder_set_member_name (builder, "below_cost");
          json_builder_add_boolean_value (builder, c->below_cost);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      relay_cli_print_json (root);
      return RELAY_CLI_EXIT_OK;
    }

  if (changes->len == 0)
    {
      g_print (_("No price changes; they are recorded when a catalog sync "
                 "(“%s services sync PROVIDER”) finds a new rate for a service of yours.\n"),
               RELAY_CLI_NAME);
      return RELAY_CLI_EXIT_OK;
    }
  {
    g_autoptr(RelayCliTable) table = relay_cli_table_new (_("WHEN"), _("ID"), _("SERVICE"),
                                                          _("PROVIDER"), _("COST/1000"),
                                                          _("PRICE/1000"), _("NOTE"), NULL);

    relay_cli_table_align_right (table, 1);
    for (guint i = 0; i < changes->len; i++)
      {
        RelayPriceChange *c = g_ptr_array_index (changes, i);
        g_autofree char *when = relay_cli_format_local (c->at);
        g_autofree char *id = g_strdup_printf ("%" PRId64, c->service_id);
        g_autofree char *name = relay_cli_shorten (c->service_name, NAME_WIDTH);
        g_autofree char *old_cost = relay_format_money (c->old_cost, NULL, RELAY_MONEY_STYLE_UNIT_PRICE);
        g_autofree char *new_cost = relay_format_money (c->new_cost, c->currency,
                                                        RELAY_MONEY_STYLE_UNIT_PRICE);
        g_autofree char *old_price = relay_format_money (c->old_price, NULL,
                                                         RELAY_MONEY_STYLE_UNIT_PRICE);
        g_autofree char *new_price = relay_format_money (c->new_price, c->currency,
                                                         RELAY_MONEY_STYLE_UNIT_PRICE);
        g_autofree char *cost = g_strdup_printf ("%s → %s", old_cost, new_cost);
        g_autofree char *price = g_strdup_printf ("%s → %s", old_price, new_price);

        relay_cli_table_add (table, when, id, name, c->provider_name, cost, price,
                             c->below_cost ? _("! BELOW COST: orders stopped") : NULL);
      }
    relay_cli_table_print (table);
  }
  return RELAY_CLI_EXIT_OK;
}

const RelayCliCommand relay_cli_services_commands[] = {
  { "sync", N_("PROVIDER"),
    N_("Fetch a provider’s catalog and show what changed since the last sync "
       "(exit 1 when no usable service came)"),
    services_sync, NULL },
  { "list", N_("[--provider NAME] [--search TEXT] [--removed] [--json]"),
    N_("List the providers’ services"), services_list, NULL },
  { NULL }
};

const RelayCliCommand relay_cli_service_commands[] = {
  { "map", N_("ID PROVIDER PROVIDER_SERVICE_ID (--price PRICE_PER_1000 | --markup PERCENT "
              "[--round STEP]) [--name TEXT] [--manual] [--fallback PROVIDER:PROVIDER_SERVICE_ID]"),
    N_("Create or change my service ID, sold at PRICE per 1,000 or at the provider’s rate plus "
       "a markup"), service_map, NULL },
  { "price", N_("ID (--markup PERCENT [--round STEP] | --fixed)"),
    N_("Price my service ID by a rule (the provider’s rate plus a markup) or fix its price"),
    service_price, NULL },
  { "list", N_("[--json]"), N_("List my services with price, cost and margin"),
    service_list, NULL },
  { "remove", N_("ID"), N_("Remove one of my services"), service_remove, NULL },
  { NULL }
};
