/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayCore: the health check of one provider ("is Auto Order working?"),
 * step by step in a fixed order, each pass / warn / fail with its reason. */
#include "config.h"

#include "relay-core-private.h"
#include "relay-error.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>

#define DAY_SECONDS (24 * 60 * 60)
#define REFILL_WINDOW (30 * DAY_SECONDS)

static const char * const result_names[] = { "pass", "warn", "fail" };

const char *
relay_health_result_to_string (RelayHealthResult result)
{
  g_return_val_if_fail ((guint) result < G_N_ELEMENTS (result_names), NULL);
  return result_names[result];
}

void
relay_health_step_free (RelayHealthStep *step)
{
  if (step == NULL)
    return;
  g_free (step->name);
  g_free (step->detail);
  g_free (step);
}

typedef struct
{
  RelayCore        *core;
  gint64            provider_id;
  char             *provider_name;
  GPtrArray        *steps;          /* RelayHealthStep* */
  gboolean          key_ok;
  gboolean          services_ok;
  char             *test_service;   /* my service id, NULL = no test order */
  char             *test_link;
  gint64            test_quantity;
  gint64            test_order_id;
  RelayProviderFacts facts;
} Check;

static void
check_free (Check *check)
{
  g_clear_object (&check->core);
  g_free (check->provider_name);
  g_ptr_array_unref (check->steps);
  g_free (check->test_service);
  g_free (check->test_link);
  relay_provider_facts_clear (&check->facts);
  g_free (check);
}

static void
add_step (Check             *check,
          const char        *name,
          RelayHealthResult  result,
          const char        *format,
          ...) G_GNUC_PRINTF (4, 5);

static void
add_step (Check             *check,
          const char        *name,
          RelayHealthResult  result,
          const char        *format,
          ...)
{
  RelayHealthStep *step = g_new0 (RelayHealthStep, 1);
  va_list args;

  va_start (args, format);
  step->name = g_strdup (name);
  step->result = result;
  step->detail = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (check->steps, step);
}

static void step_status (GTask *task);
static void step_test_order (GTask *task);

/* ---- what the book alone can tell: mapping, margin, limits, balance ---- */

static gboolean
is_here (const RelayCatalogRow *row,
         gint64                 provider_id)
{
  return row != NULL && row->provider_id == provider_id;
}

static void
steps_from_book (Check *check)
{
  RelayStore *store = relay_core_get_store (check->core);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) services = relay_store_list_services (store, &error);
  g_autoptr(GString) gone = g_string_new (NULL);
  g_autoptr(GString) below = g_string_new (NULL);
  g_autoptr(GString) limits = g_string_new (NULL);
  g_autoptr(GString) narrower = g_string_new (NULL);
  g_autoptr(RelayProviderRow) provider = NULL;
  guint n_mapped = 0;

  if (services == NULL)
    {
      add_step (check, "mapping", RELAY_HEALTH_FAIL, "%s", error->message);
      return;
    }
  for (guint i = 0; i < services->len; i++)
    {
      RelayServiceRow *s = g_ptr_array_index (services, i);
      const RelayCatalogRow *rows[] = { s->primary, s->fallback };

      for (guint r = 0; r < G_N_ELEMENTS (rows); r++)
        {
          const RelayCatalogRow *k = rows[r];

          if (!is_here (k, check->provider_id))
            continue;
          n_mapped++;
          if (k->removed)
            g_string_append_printf (gone, "%s%" G_GINT64_FORMAT " → %s", gone->len ? ", " : "",
                                    s->id, k->service_id);
          else if (s->price < k->rate)
            {
              g_autofree char *mine = relay_money_format (s->price);
              g_autofree char *theirs = relay_money_format (k->rate);

              if (below->len > 0)
                g_string_append (below, "; ");
              /* TRANSLATORS: one of my services priced under the provider's rate:
               * "12 sells at 0.50, the panel's rate is 0.90" */
              g_string_append_printf (below, _("%" PRId64 " sells at %s, the panel’s rate is %s"),
                                      s->id, mine, theirs);
            }
          if (!k->removed && (k->min < 0 || k->max < k->min))
            g_string_append_printf (limits, "%s%" G_GINT64_FORMAT " → %s (%" G_GINT64_FORMAT "–%"
                                    G_GINT64_FORMAT ")", limits->len ? ", " : "", s->id,
                                    k->service_id, k->min, k->max);
        }
      /* Orders my service takes (the primary's limits) that its fallback here would refuse. */
      if (is_here (s->fallback, check->provider_id) && s->primary != NULL && !s->fallback->removed &&
          (s->fallback->min > s->primary->min || s->fallback->max < s->primary->max))
        g_string_append_printf (narrower, "%s%" G_GINT64_FORMAT " (%" G_GINT64_FORMAT "–%" G_GINT64_FORMAT
                                " here, %" G_GINT64_FORMAT "–%" G_GINT64_FORMAT " at its primary)",
                                narrower->len ? ", " : "", s->id, s->fallback->min, s->fallback->max,
                                s->primary->min, s->primary->max);
    }

  if (!check->services_ok)
    add_step (check, "mapping", RELAY_HEALTH_WARN,
              _("Not checked: the panel’s catalog could not be fetched"));
  else if (n_mapped == 0)
    add_step (check, "mapping", RELAY_HEALTH_WARN, _("None of your services is mapped to this provider"));
  else if (gone->len > 0)
    add_step (check, "mapping", RELAY_HEALTH_FAIL,
              _("Mapped to services the panel no longer offers: %s"), gone->str);
  else
    add_step (check, "mapping", RELAY_HEALTH_PASS,
              g_dngettext (GETTEXT_PACKAGE, "%u mapping, its service still offered",
                           "%u mappings, every service still offered", n_mapped), n_mapped);

  if (below->len > 0)
    add_step (check, "margin", RELAY_HEALTH_FAIL, _("Selling below the provider’s rate: %s"), below->str);
  else
    add_step (check, "margin", n_mapped > 0 && check->services_ok ? RELAY_HEALTH_PASS : RELAY_HEALTH_WARN,
              check->services_ok ? _("No mapped service sells below the provider’s current rate")
                                 : _("No mapped service sells below the rates of the last sync"));

  if (limits->len > 0)
    add_step (check, "limits", RELAY_HEALTH_FAIL,
              _("The panel’s limits admit no quantity: %s"), limits->str);
  else if (narrower->len > 0)
    add_step (check, "limits", RELAY_HEALTH_WARN,
              _("As a fallback it refuses quantities your services take: %s"), narrower->str);
  else
    add_step (check, "limits", n_mapped > 0 && check->services_ok ? RELAY_HEALTH_PASS : RELAY_HEALTH_WARN,
              check->services_ok ? _("Every quantity your services take is inside the provider’s limits")
                                 : _("Every quantity your services take is inside the limits of the last sync"));

  provider = relay_store_get_provider (store, check->provider_id, NULL);
  {
    g_autofree char *need = relay_money_format_with_currency (check->facts.backlog_cost,
                                                              provider ? provider->currency : NULL);

    if (check->facts.backlog_beyond)
      add_step (check, "balance", RELAY_HEALTH_FAIL,
                g_dngettext (GETTEXT_PACKAGE,
                             "The %" PRId64 " queued or scheduled order costs more than any "
                             "balance can cover (beyond the money limits)",
                             "The %" PRId64 " queued and scheduled orders cost more than any "
                             "balance can cover (beyond the money limits)",
                             (gulong) check->facts.backlog_orders),
                check->facts.backlog_orders);
    else if (!check->key_ok || provider == NULL || !provider->has_balance)
      add_step (check, "balance", RELAY_HEALTH_FAIL,
                g_dngettext (GETTEXT_PACKAGE,
                             "The balance is unknown; %" PRId64 " queued or scheduled order needs %s",
                             "The balance is unknown; %" PRId64 " queued or scheduled orders need %s",
                             (gulong) check->facts.backlog_orders),
                check->facts.backlog_orders, need);
    else
      {
        g_autofree char *have = relay_money_format_with_currency (provider->balance, provider->currency);

        if (provider->balance < check->facts.backlog_cost)
          add_step (check, "balance", RELAY_HEALTH_FAIL,
                    g_dngettext (GETTEXT_PACKAGE,
                                 "The balance %s does not cover the %" PRId64
                                 " queued or scheduled order, which needs %s",
                                 "The balance %s does not cover the %" PRId64
                                 " queued and scheduled orders, which need %s",
                                 (gulong) check->facts.backlog_orders),
                    have, check->facts.backlog_orders, need);
        else
          add_step (check, "balance", RELAY_HEALTH_PASS,
                    g_dngettext (GETTEXT_PACKAGE,
                                 "The balance %s covers the %" PRId64 " queued or scheduled order (%s)",
                                 "The balance %s covers the %" PRId64 " queued and scheduled orders (%s)",
                                 (gulong) check->facts.backlog_orders),
                    have, check->facts.backlog_orders, need);
      }
  }
}

/* refill_cancel and errors: what the book recorded of the panel's answers. */
static void
steps_from_history (Check *check)
{
  const RelayProviderFacts *f = &check->facts;

  if (f->refills > 0 && f->refills_rejected == f->refills)
    add_step (check, "refill_cancel", RELAY_HEALTH_FAIL,
              g_dngettext (GETTEXT_PACKAGE,
                           "The panel refused the %" PRId64 " refill asked in the last 30 days",
                           "The panel refused all %" PRId64 " refills asked in the last 30 days",
                           (gulong) f->refills),
              f->refills);
  else if (f->refills_rejected > 0 || f->claims_lost > 0)
    add_step (check, "refill_cancel", RELAY_HEALTH_WARN,
              /* TRANSLATORS: refused refills of those asked, then orders placed with an option
               * the service dropped since: "2 of 9 refills refused …; 1 orders were placed …" */
              g_dngettext (GETTEXT_PACKAGE,
                           "%" PRId64 " of %" PRId64 " refill refused in the last 30 days; "
                           "%" PRId64 " orders were placed with a refill or cancel the service no longer offers",
                           "%" PRId64 " of %" PRId64 " refills refused in the last 30 days; "
                           "%" PRId64 " orders were placed with a refill or cancel the service no longer offers",
                           (gulong) f->refills),
              f->refills_rejected, f->refills, f->claims_lost);
  else
    add_step (check, "refill_cancel", RELAY_HEALTH_PASS,
              g_dngettext (GETTEXT_PACKAGE,
                           "The services still offer the refills and cancels they were ordered with; "
                           "%" PRId64 " refill asked in the last 30 days, none refused",
                           "The services still offer the refills and cancels they were ordered with; "
                           "%" PRId64 " refills asked in the last 30 days, none refused",
                           (gulong) f->refills), f->refills);

  if (f->unknown > 0)
    add_step (check, "errors", RELAY_HEALTH_FAIL,
              g_dngettext (GETTEXT_PACKAGE,
                           "%" PRId64 " order has an unknown outcome (see Review); "
                           "%" PRId64 " failed in the last 24 hours",
                           "%" PRId64 " orders have an unknown outcome (see Review); "
                           "%" PRId64 " failed in the last 24 hours", (gulong) f->unknown),
              f->unknown, f->failed);
  else if (f->failed > 0)
    add_step (check, "errors", RELAY_HEALTH_WARN,
              g_dngettext (GETTEXT_PACKAGE,
                           "%" PRId64 " order failed in the last 24 hours (%" PRId64 " accepted)",
                           "%" PRId64 " orders failed in the last 24 hours (%" PRId64 " accepted)",
                           (gulong) f->failed),
              f->failed, f->sent);
  else
    add_step (check, "errors", RELAY_HEALTH_PASS,
              _("No failures or unknown outcomes in the last 24 hours (%" PRId64 " accepted)"),
              f->sent);
}

/* ---- the requests: key, services, status, test order ---- */

static void
on_status (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Check *check = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayProviderStatus) status =
    relay_provider_client_status_finish (RELAY_PROVIDER_CLIENT (source), result, &error);

  if (status == NULL)
    add_step (check, "status", RELAY_HEALTH_FAIL, _("Order %" PRId64 " (%s at the panel): %s"),
              check->facts.recent_order_id, check->facts.recent_provider_order_id, error->message);
  else if (status->error != NULL)
    add_step (check, "status", RELAY_HEALTH_FAIL, _("Order %" PRId64 " (%s at the panel): %s"),
              check->facts.recent_order_id, check->facts.recent_provider_order_id, status->error);
  else
    add_step (check, "status", RELAY_HEALTH_PASS, _("Order %" PRId64 " (%s at the panel): %s"),
              check->facts.recent_order_id, check->facts.recent_provider_order_id,
              status->status_word ? status->status_word : "");
  steps_from_history (check);
  step_test_order (g_steal_pointer (&task));
}

static void
step_status (GTask *task)
{
  Check *check = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  RelayProviderClient *client;

  if (!check->key_ok)
    add_step (check, "status", RELAY_HEALTH_FAIL, _("Not asked: the panel did not accept the key"));
  else if (check->facts.recent_order_id == 0)
    add_step (check, "status", RELAY_HEALTH_WARN, _("No order was sent to this provider yet"));
  else if ((client = relay_core_get_client (check->core, check->provider_id, &error)) == NULL)
    add_step (check, "status", RELAY_HEALTH_FAIL, "%s", error->message);
  else
    {
      relay_provider_client_status_async (client, check->facts.recent_provider_order_id,
                                          g_task_get_cancellable (task), on_status, task);
      return;
    }
  steps_from_history (check);
  step_test_order (task);
}

static void
on_services (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Check *check = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) changes = relay_core_sync_services_finish (check->core, result, &error);
  RelayStore *store = relay_core_get_store (check->core);

  if (changes == NULL)
    add_step (check, "services", RELAY_HEALTH_FAIL, "%s", error->message);
  else
    {
      g_autoptr(GPtrArray) catalog = relay_store_list_catalog (store, check->provider_id, NULL, FALSE, NULL);
      guint n = catalog ? catalog->len : 0;

      check->services_ok = TRUE;
      add_step (check, "services", n > 0 ? RELAY_HEALTH_PASS : RELAY_HEALTH_FAIL,
                g_dngettext (GETTEXT_PACKAGE, "%u service fetched; %u changed since the last sync",
                             "%u services fetched; %u changed since the last sync", n),
                n, changes->len);
    }
  g_clear_error (&error);
  if (!relay_store_provider_facts (store, check->provider_id,
                                   g_get_real_time () / G_USEC_PER_SEC - REFILL_WINDOW, &check->facts, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* The counts of errors are of the last day, the refills' of 30 days. */
  {
    RelayProviderFacts day = { 0 };

    if (!relay_store_provider_facts (store, check->provider_id, g_get_real_time () / G_USEC_PER_SEC - DAY_SECONDS,
                                     &day, &error))
      {
        g_task_return_error (task, g_steal_pointer (&error));
        return;
      }
    check->facts.sent = day.sent;
    check->facts.failed = day.failed;
    relay_provider_facts_clear (&day);
  }
  steps_from_book (check);
  step_status (g_steal_pointer (&task));
}

static void
on_balance (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Check *check = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayProviderBalance) balance = relay_core_refresh_balance_finish (check->core, result, &error);
  GCancellable *cancellable;

  if (balance == NULL)
    add_step (check, "key", RELAY_HEALTH_FAIL, "%s", error->message);
  else
    {
      g_autofree char *text = relay_money_format_with_currency (balance->balance, balance->currency);

      check->key_ok = TRUE;
      add_step (check, "key", RELAY_HEALTH_PASS, _("The panel accepts the key (balance %s)"), text);
    }
  cancellable = g_task_get_cancellable (task);
  relay_core_sync_services_async (check->core, check->provider_id, cancellable,
                                  on_services, g_steal_pointer (&task));
}

static void
on_test_status (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Check *check = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayProviderStatus) status =
    relay_provider_client_status_finish (RELAY_PROVIDER_CLIENT (source), result, &error);

  if (status == NULL || status->error != NULL)
    add_step (check, "test_order", RELAY_HEALTH_FAIL,
              _("Order %" PRId64 " was placed, but its status request failed: %s"),
              check->test_order_id, status ? status->error : error->message);
  else
    add_step (check, "test_order", RELAY_HEALTH_PASS,
              _("Order %" PRId64 " was placed; its first status: %s"),
              check->test_order_id, status->status_word ? status->status_word : "");
  g_task_return_pointer (task, g_ptr_array_ref (check->steps), (GDestroyNotify) g_ptr_array_unref);
}

static void
on_test_sent (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Check *check = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree RelayDispatchReport *report =
    relay_dispatcher_run_finish (RELAY_DISPATCHER (source), result, &error);
  g_autoptr(RelayOrderRow) order = relay_store_get_order (relay_core_get_store (check->core),
                                                          check->test_order_id, NULL);
  RelayProviderClient *client;
  GCancellable *cancellable;

  if (order == NULL || order->provider_order_id == NULL)
    {
      g_autofree char *reason = order != NULL && order->error != NULL ? g_strdup (order->error)
        : g_strdup (error ? error->message : order ? relay_order_status_get_label (order->status) : "");

      add_step (check, "test_order", RELAY_HEALTH_FAIL,
                _("Order %" PRId64 " was not placed: %s"), check->test_order_id, reason);
      g_task_return_pointer (task, g_ptr_array_ref (check->steps), (GDestroyNotify) g_ptr_array_unref);
      return;
    }
  client = relay_core_get_client (check->core, check->provider_id, &error);
  if (client == NULL)
    {
      add_step (check, "test_order", RELAY_HEALTH_FAIL, "%s", error->message);
      g_task_return_pointer (task, g_ptr_array_ref (check->steps), (GDestroyNotify) g_ptr_array_unref);
      return;
    }
  cancellable = g_task_get_cancellable (task);
  relay_provider_client_status_async (client, order->provider_order_id, cancellable,
                                      on_test_status, g_steal_pointer (&task));
}

static void
step_test_order (GTask *owned_task)
{
  g_autoptr(GTask) task = owned_task;   /* owned: every return below drops it */
  Check *check = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  RelayStore *store = relay_core_get_store (check->core);
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayServiceRow) service = NULL;
  g_autoptr(GPtrArray) drafts = NULL;
  g_autoptr(GArray) ids = NULL;
  RelayOrderDraft *draft;
  gint64 service_id = 0;

  if (check->test_service == NULL)
    {
      g_task_return_pointer (task, g_ptr_array_ref (check->steps), (GDestroyNotify) g_ptr_array_unref);
      return;
    }
  if (!check->key_ok)
    {
      add_step (check, "test_order", RELAY_HEALTH_FAIL, _("Not placed: the panel did not accept the key"));
      g_task_return_pointer (task, g_ptr_array_ref (check->steps), (GDestroyNotify) g_ptr_array_unref);
      return;
    }
  service_id = g_ascii_strtoll (check->test_service, NULL, 10);
  service = service_id > 0 ? relay_store_get_service (store, service_id, NULL) : NULL;
  if (service == NULL || !is_here (service->primary, check->provider_id))
    {
      add_step (check, "test_order", RELAY_HEALTH_FAIL,
                _("Not placed: %s is not one of your services sent to %s"),
                check->test_service, check->provider_name);
      g_task_return_pointer (task, g_ptr_array_ref (check->steps), (GDestroyNotify) g_ptr_array_unref);
      return;
    }
  /* A real order for no client, through the same rules, book and dispatcher as any. */
  drafts = g_ptr_array_new_with_free_func (g_free);
  draft = g_new0 (RelayOrderDraft, 1);
  draft->service_id = service_id;
  draft->link = check->test_link;
  draft->quantity = check->test_quantity;
  g_ptr_array_add (drafts, draft);
  ids = relay_core_place_orders (check->core, drafts, "check", &error);
  if (ids == NULL)
    {
      add_step (check, "test_order", RELAY_HEALTH_FAIL, _("Not placed: %s"), error->message);
      g_task_return_pointer (task, g_ptr_array_ref (check->steps), (GDestroyNotify) g_ptr_array_unref);
      return;
    }
  check->test_order_id = g_array_index (ids, gint64, 0);
  relay_dispatcher_send_async (relay_core_get_dispatcher (check->core), &check->test_order_id, 1,
                               cancellable, on_test_sent, g_steal_pointer (&task));
}

void
relay_core_check_provider_async (RelayCore           *self,
                                 gint64               provider_id,
                                 const char          *test_service,
                                 const char          *test_link,
                                 gint64               test_quantity,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(RelayProviderRow) provider = NULL;
  g_autoptr(GError) error = NULL;
  Check *check;

  g_return_if_fail (RELAY_IS_CORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_core_check_provider_async);
  provider = relay_store_get_provider (relay_core_get_store (self), provider_id, &error);
  if (provider == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  check = g_new0 (Check, 1);
  check->core = g_object_ref (self);
  check->provider_id = provider_id;
  check->provider_name = g_strdup (provider->name);
  check->steps = g_ptr_array_new_with_free_func ((GDestroyNotify) relay_health_step_free);
  check->test_service = g_strdup (test_service);
  check->test_link = g_strdup (test_link);
  check->test_quantity = test_quantity;
  g_task_set_task_data (task, check, (GDestroyNotify) check_free);
  relay_core_refresh_balance_async (self, provider_id, cancellable, on_balance, g_steal_pointer (&task));
}

GPtrArray *
relay_core_check_provider_finish (RelayCore     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
relay_health_steps_ok (GPtrArray *steps)
{
  for (guint i = 0; i < steps->len; i++)
    if (((RelayHealthStep *) g_ptr_array_index (steps, i))->result == RELAY_HEALTH_FAIL)
      return FALSE;
  return TRUE;
}
