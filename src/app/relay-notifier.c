/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayNotifier: turns the core's events into GNotifications (or toasts in the focused
 * window), batched, each kind switchable, never about what the person is looking at, and
 * withdrawn once they look at it. */
#include "config.h"

#include "relay-notifier.h"
#include "relay-check-dialog.h"
#include "relay-format.h"
#include "relay-order-details.h"
#include "relay-order-item.h"
#include "relay-orders-page.h"

#include <inttypes.h>
#include <glib/gi18n.h>

/* Up to this many orders each get a notification of their own. */
#define MAX_SINGLE_ORDERS 3
/* A batch's body names this many order numbers, then "and N more". */
#define MAX_NAMED_ORDERS 5

struct _RelayNotifier
{
  GObject         parent_instance;

  GtkApplication *application;   /* weak */
  GSettings      *settings;      /* may be NULL */
  RelayCore      *core;
  GSignalGroup   *core_signals;
  GSignalGroup   *store_signals;
  GSignalGroup   *dispatcher_signals;

  /* What the person looks at. */
  RelayWindow    *window;        /* weak */
  gboolean        active;
  char           *page;
  gint64          order_id;

  /* Sent and not withdrawn: id -> "order:ID" or "page:NAME". */
  GHashTable     *shown;
  /* Providers (gint64 id) now low / waiting for funds, told once per episode. */
  GHashTable     *low;
  GHashTable     *waiting;
  /* Waits that began (gint64 ids) and are not told yet: told from an idle,
   * unless this process's dispatcher tells them first (::funds-wait), with
   * the balance after its sends. */
  GArray         *new_waits;
  guint           new_waits_id;
  GListModel     *toplevels;
  gulong          toplevels_id;
};

G_DEFINE_FINAL_TYPE (RelayNotifier, relay_notifier, G_TYPE_OBJECT)

enum {
  SIGNAL_SENT,
  SIGNAL_WITHDRAWN,
  SIGNAL_TOAST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *kind_keys[RELAY_NOTIFY_N_KINDS] = {
  "notify-completed", "notify-partial", "notify-failed", "notify-review",
  "notify-funds", "notify-low-balance", "notify-prices", "notify-health",
};

gboolean
relay_notifier_get_enabled (RelayNotifier   *self,
                            RelayNotifyKind  kind)
{
  g_autoptr(GSettingsSchema) schema = NULL;

  g_return_val_if_fail (RELAY_IS_NOTIFIER (self), FALSE);
  g_return_val_if_fail (kind < RELAY_NOTIFY_N_KINDS, FALSE);

  if (self->settings == NULL)
    return TRUE;
  if (!g_settings_get_boolean (self->settings, "notifications"))
    return FALSE;
  g_object_get (self->settings, "settings-schema", &schema, NULL);
  if (schema != NULL && !g_settings_schema_has_key (schema, kind_keys[kind]))
    return TRUE;
  return g_settings_get_boolean (self->settings, kind_keys[kind]);
}

/* ---- what is looked at ---- */

static char *
order_item_key (gint64 order_id)
{
  return g_strdup_printf ("order:%" PRId64, order_id);
}

static char *
page_item_key (const char *page)
{
  return g_strdup_printf ("page:%s", page);
}

/* Whether the focused window shows the item @key ("order:ID", "page:NAME"). */
static gboolean
is_viewed (RelayNotifier *self,
           const char    *key)
{
  g_autofree char *order = NULL;
  g_autofree char *page = NULL;

  if (!self->active || self->page == NULL)
    return FALSE;
  if (self->order_id != 0 && g_strcmp0 (self->page, "orders") == 0)
    {
      order = order_item_key (self->order_id);
      if (g_strcmp0 (key, order) == 0)
        return TRUE;
    }
  page = page_item_key (self->page);
  return g_strcmp0 (key, page) == 0;
}

static gboolean
can_send (RelayNotifier *self)
{
  GApplication *app = G_APPLICATION (self->application);

  /* Notifications go over the session bus; without one GLib 2.74 only warns. */
  return app != NULL && g_application_get_is_registered (app) &&
         g_application_get_dbus_connection (app) != NULL;
}

static void
withdraw (RelayNotifier *self,
          const char    *id)
{
  g_autofree char *owned = g_strdup (id);

  if (!g_hash_table_remove (self->shown, owned))
    return;
  if (can_send (self))
    g_application_withdraw_notification (G_APPLICATION (self->application), owned);
  g_signal_emit (self, signals[SIGNAL_WITHDRAWN], 0, owned);
}

void
relay_notifier_set_view (RelayNotifier *self,
                         gboolean       active,
                         const char    *page,
                         gint64         order_id)
{
  GHashTableIter iter;
  gpointer id, key;
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);

  g_return_if_fail (RELAY_IS_NOTIFIER (self));

  self->active = active;
  g_free (self->page);
  self->page = g_strdup (page);
  self->order_id = order_id;

  g_hash_table_iter_init (&iter, self->shown);
  while (g_hash_table_iter_next (&iter, &id, &key))
    if (is_viewed (self, key))
      g_ptr_array_add (seen, g_strdup (id));
  for (guint i = 0; i < seen->len; i++)
    withdraw (self, g_ptr_array_index (seen, i));
}

/* ---- saying it ---- */

/* Sends @notification (titled @title, with @body) as @id, about @item_key. */
static void
send (RelayNotifier *self,
      const char    *id,
      const char    *item_key,
      GNotification *notification,
      const char    *title,
      const char    *body)
{
  g_hash_table_replace (self->shown, g_strdup (id), g_strdup (item_key));
  if (can_send (self))
    g_application_send_notification (G_APPLICATION (self->application), id, notification);
  g_signal_emit (self, signals[SIGNAL_SENT], 0, id, title, body);
}

/* In the focused window: a toast (with Show Order for one order). */
static void
toast (RelayNotifier *self,
       const char    *text,
       gint64         order_id)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  g_autoptr(AdwToast) toast = adw_toast_new (escaped);

  if (order_id != 0)
    {
      adw_toast_set_button_label (toast, _("Show Order"));
      adw_toast_set_action_name (toast, "win.show-order");
      adw_toast_set_action_target_value (toast, g_variant_new_int64 (order_id));
    }
  if (self->window != NULL)
    relay_window_add_toast (self->window, toast);
  g_signal_emit (self, signals[SIGNAL_TOAST], 0, text);
}

/* About a page: a notification that opens it, or a toast when a window has
 * the focus; nothing when it shows that page. */
static void
tell_page (RelayNotifier *self,
           const char    *id,
           const char    *page,
           const char    *title,
           const char    *body)
{
  g_autofree char *key = page_item_key (page);
  g_autoptr(GNotification) notification = NULL;

  if (is_viewed (self, key))
    return;
  if (self->active)
    {
      g_autofree char *text = body ? g_strdup_printf ("%s: %s", title, body) : g_strdup (title);

      toast (self, text, 0);
      return;
    }
  notification = g_notification_new (title);
  if (body != NULL)
    g_notification_set_body (notification, body);
  g_notification_set_default_action_and_target (notification, "app.show-page", "s", page);
  send (self, id, key, notification, title, body);
}

/* ---- orders ---- */

static gboolean
status_kind (RelayOrderStatus  status,
             RelayNotifyKind  *out_kind)
{
  switch (status)
    {
    case RELAY_ORDER_COMPLETED:
      *out_kind = RELAY_NOTIFY_COMPLETED;
      return TRUE;
    case RELAY_ORDER_PARTIAL:
      *out_kind = RELAY_NOTIFY_PARTIAL;
      return TRUE;
    case RELAY_ORDER_FAILED:
      *out_kind = RELAY_NOTIFY_FAILED;
      return TRUE;
    case RELAY_ORDER_NEEDS_REVIEW:
      *out_kind = RELAY_NOTIFY_REVIEW;
      return TRUE;
    default:
      return FALSE;
    }
}

static char *
order_title (gint64           id,
             RelayOrderStatus status)
{
  g_autofree char *number = g_strdup_printf ("%" PRId64, id);

  switch (status)
    {
    case RELAY_ORDER_COMPLETED:
      return g_strdup_printf (_("Order #%s completed"), number);
    case RELAY_ORDER_PARTIAL:
      return g_strdup_printf (_("Order #%s ended partial"), number);
    case RELAY_ORDER_FAILED:
      return g_strdup_printf (_("Order #%s failed"), number);
    case RELAY_ORDER_NEEDS_REVIEW:
    default:
      return g_strdup_printf (_("Order #%s needs review"), number);
    }
}

/* "50 orders failed" */
static char *
batch_title (guint            n,
             RelayOrderStatus status)
{
  g_autofree char *count = relay_format_count (n);

  switch (status)
    {
    case RELAY_ORDER_COMPLETED:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s order completed",
                                           "%s orders completed", n), count);
    case RELAY_ORDER_PARTIAL:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s order ended partial",
                                           "%s orders ended partial", n), count);
    case RELAY_ORDER_FAILED:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s order failed",
                                           "%s orders failed", n), count);
    case RELAY_ORDER_NEEDS_REVIEW:
    default:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s order needs review",
                                           "%s orders need review", n), count);
    }
}

/* "#101, #102, #103, #104, #105 and 45 more" */
static char *
batch_body (GArray *ids)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint named = MIN (ids->len, MAX_NAMED_ORDERS);

  for (guint i = 0; i < named; i++)
    g_string_append_printf (text, "%s#%" PRId64, i > 0 ? ", " : "",
                            g_array_index (ids, gint64, i));
  if (ids->len > named)
    {
      g_autofree char *more = relay_format_count (ids->len - named);
      g_autofree char *list = g_string_free (g_steal_pointer (&text), FALSE);

      /* TRANSLATORS: "#101, #102, #103, #104, #105 and 45 more" */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s and %s more", "%s and %s more",
                                           ids->len - named),
                              list, more);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static const char *
batch_id (RelayOrderStatus status)
{
  switch (status)
    {
    case RELAY_ORDER_COMPLETED:
      return "orders-completed";
    case RELAY_ORDER_PARTIAL:
      return "orders-partial";
    case RELAY_ORDER_FAILED:
      return "orders-failed";
    case RELAY_ORDER_NEEDS_REVIEW:
    default:
      return "orders-review";
    }
}

static void
tell_order (RelayNotifier    *self,
            gint64            order_id,
            RelayOrderStatus  status)
{
  g_autofree char *title = order_title (order_id, status);
  g_autofree char *id = g_strdup_printf ("order-%" PRId64, order_id);
  g_autofree char *key = order_item_key (order_id);
  g_autoptr(GNotification) notification = NULL;
  g_autoptr(RelayOrderRow) row = NULL;
  g_autofree char *body = NULL;

  if (self->active)
    {
      toast (self, title, order_id);
      return;
    }
  notification = g_notification_new (title);
  if (self->core != NULL)
    row = relay_store_get_order (relay_core_get_store (self->core), order_id, NULL);
  if (row != NULL)
    {
      body = g_strdup_printf ("%s · %s", row->service_name ? row->service_name : "",
                              row->link ? row->link : "");
      g_notification_set_body (notification, body);
    }
  if (status == RELAY_ORDER_FAILED)
    g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  g_notification_set_default_action_and_target (notification, "app.show-order", "x", order_id);
  send (self, id, key, notification, title, body);
}

void
relay_notifier_orders_changed (RelayNotifier *self,
                               GArray        *changes)
{
  const RelayOrderStatus order[] = {
    RELAY_ORDER_FAILED, RELAY_ORDER_NEEDS_REVIEW, RELAY_ORDER_PARTIAL, RELAY_ORDER_COMPLETED,
  };
  GArray *by_status[RELAY_ORDER_N_STATUSES] = { NULL };
  /* Read once a call, not once a change: a refresh may bring 10,000
   * changes, and each reading is a few GSettings lookups (-1: not read). */
  int enabled[RELAY_NOTIFY_N_KINDS];
  /* Each order once: the changes of several runs come in one call (the
   * window gathers a refresh's and a dispatch's), and runs that overlapped
   * while the book was held each reported the same order ("#3, #2, #3, #2,
   * #3 and 1 more").  The last status an order was told in wins. */
  g_autoptr(GHashTable) last = g_hash_table_new (g_int64_hash, g_int64_equal);
  guint total = 0;

  g_return_if_fail (RELAY_IS_NOTIFIER (self));

  for (guint i = 0; changes != NULL && i < changes->len; i++)
    g_hash_table_insert (last, &g_array_index (changes, RelayStatusChange, i).order_id,
                         &g_array_index (changes, RelayStatusChange, i));

  for (guint k = 0; k < G_N_ELEMENTS (enabled); k++)
    enabled[k] = -1;
  for (guint i = 0; changes != NULL && i < changes->len; i++)
    {
      const RelayStatusChange *change = &g_array_index (changes, RelayStatusChange, i);
      RelayNotifyKind kind;

      if (g_hash_table_lookup (last, &change->order_id) != change)
        continue;
      if (!status_kind (change->new_status, &kind))
        continue;
      if (enabled[kind] < 0)
        enabled[kind] = relay_notifier_get_enabled (self, kind);
      if (!enabled[kind])
        continue;
      /* Its details are on screen: it says it itself (is_viewed() for its
       * "order:ID" key, without making the key). */
      if (self->active && self->page != NULL && self->order_id == change->order_id &&
          g_strcmp0 (self->page, "orders") == 0)
        continue;
      if (by_status[change->new_status] == NULL)
        by_status[change->new_status] = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_array_append_val (by_status[change->new_status], change->order_id);
      total++;
    }
  for (guint s = 0; total > 0 && s < G_N_ELEMENTS (order); s++)
    {
      GArray *ids = by_status[order[s]];
      g_autoptr(GNotification) notification = NULL;
      g_autofree char *title = NULL;
      g_autofree char *body = NULL;

      if (ids == NULL)
        continue;
      if (total <= MAX_SINGLE_ORDERS || ids->len == 1)
        {
          for (guint i = 0; i < ids->len; i++)
            tell_order (self, g_array_index (ids, gint64, i), order[s]);
          continue;
        }
      /* A batch: one notification for the status, however many orders. */
      title = batch_title (ids->len, order[s]);
      body = batch_body (ids);
      if (self->active)
        {
          g_autofree char *text = g_strdup_printf ("%s: %s", title, body);

          toast (self, text, 0);
          continue;
        }
      notification = g_notification_new (title);
      g_notification_set_body (notification, body);
      if (order[s] == RELAY_ORDER_FAILED)
        g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
      g_notification_set_default_action_and_target (notification, "app.show-page", "s",
                                                    order[s] == RELAY_ORDER_NEEDS_REVIEW
                                                    ? "review" : "orders");
      send (self, batch_id (order[s]), order[s] == RELAY_ORDER_NEEDS_REVIEW
                                       ? "page:review" : "page:orders", notification, title, body);
    }
  for (guint s = 0; s < RELAY_ORDER_N_STATUSES; s++)
    g_clear_pointer (&by_status[s], g_array_unref);
}

/* ---- funds and balances ---- */

/* @after_sends: the balance less what this process's run just sent (the
 * book's reading is from before the sends), or NULL to say the book's. */
static void
tell_funds_wait (RelayNotifier         *self,
                 const RelayFundsState *state,
                 const gint64          *after_sends)
{
  g_autofree char *id = g_strdup_printf ("funds-%" PRId64, state->provider_id);
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;

  if (!relay_notifier_get_enabled (self, RELAY_NOTIFY_FUNDS))
    return;
  /* TRANSLATORS: a notification's title; %s is a provider's name */
  title = g_strdup_printf (_("Orders wait for funds at %s"), state->provider);
  if (after_sends != NULL && state->has_balance && *after_sends != state->balance)
    {
      body = relay_funds_state_dup_waiting_after_sends (state, *after_sends);
    }
  tell_page (self, id, "providers", title, body != NULL ? body : state->waiting_text);
}

/* The waits that began and were not told by ::funds-wait meanwhile. */
static gboolean
tell_new_waits (gpointer data)
{
  RelayNotifier *self = data;
  g_autoptr(GArray) ids = self->new_waits;

  self->new_waits_id = 0;
  self->new_waits = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint i = 0; self->core != NULL && i < ids->len; i++)
    {
      gint64 provider_id = g_array_index (ids, gint64, i);
      g_autoptr(RelayFundsState) state = NULL;

      if (!g_hash_table_contains (self->waiting, &provider_id))
        continue;
      state = relay_core_provider_funds_state (self->core, provider_id, NULL);
      if (state != NULL && state->waiting)
        tell_funds_wait (self, state, NULL);
    }
  return G_SOURCE_REMOVE;
}

static gboolean
is_new_wait (RelayNotifier *self, gint64 provider_id)
{
  for (guint i = 0; i < self->new_waits->len; i++)
    if (g_array_index (self->new_waits, gint64, i) == provider_id)
      return TRUE;
  return FALSE;
}

/* Whether @provider_id's wait was still to be told (and is no more). */
static gboolean
take_new_wait (RelayNotifier *self, gint64 provider_id)
{
  for (guint i = 0; i < self->new_waits->len; i++)
    if (g_array_index (self->new_waits, gint64, i) == provider_id)
      {
        g_array_remove_index (self->new_waits, i);
        return TRUE;
      }
  return FALSE;
}

static void
tell_low_balance (RelayNotifier         *self,
                  const RelayFundsState *state)
{
  g_autofree char *id = g_strdup_printf ("low-balance-%" PRId64, state->provider_id);
  g_autofree char *title = NULL;

  if (!relay_notifier_get_enabled (self, RELAY_NOTIFY_LOW_BALANCE))
    return;
  /* TRANSLATORS: a notification's title; %s is a provider's name */
  title = g_strdup_printf (_("Low balance at %s"), state->provider);
  tell_page (self, id, "providers", title, state->low_text);
}

/* Follows one provider's funds: tells a low balance and a wait for funds
 * once when they begin, withdraws them when they end.  @announce FALSE only
 * records (what was so before this run started is no news). */
static void
check_provider (RelayNotifier *self,
                gint64         provider_id,
                gboolean       announce)
{
  g_autoptr(RelayFundsState) state = NULL;
  g_autofree char *low_id = g_strdup_printf ("low-balance-%" PRId64, provider_id);
  g_autofree char *funds_id = g_strdup_printf ("funds-%" PRId64, provider_id);
  gboolean was_low = g_hash_table_contains (self->low, &provider_id);
  gboolean was_waiting = g_hash_table_contains (self->waiting, &provider_id);

  if (self->core != NULL)
    state = relay_core_provider_funds_state (self->core, provider_id, NULL);

  if (state != NULL && state->low && !was_low)
    {
      g_hash_table_add (self->low, g_memdup2 (&provider_id, sizeof provider_id));
      if (announce)
        tell_low_balance (self, state);
    }
  else if ((state == NULL || !state->low) && was_low)
    {
      g_hash_table_remove (self->low, &provider_id);
      withdraw (self, low_id);
    }

  if (state != NULL && state->waiting && !was_waiting)
    {
      g_hash_table_add (self->waiting, g_memdup2 (&provider_id, sizeof provider_id));
      /* Told a moment later: the run that started it says so right after
       * writing it, with the balance after its sends (on_funds_wait()). */
      if (announce && !is_new_wait (self, provider_id))
        {
          g_array_append_val (self->new_waits, provider_id);
          if (self->new_waits_id == 0)
            self->new_waits_id = g_idle_add_full (G_PRIORITY_DEFAULT, tell_new_waits, self, NULL);
        }
    }
  else if ((state == NULL || !state->waiting) && was_waiting)
    {
      g_hash_table_remove (self->waiting, &provider_id);
      withdraw (self, funds_id);
    }
}

static void
check_providers (RelayNotifier *self,
                 gboolean       announce)
{
  g_autoptr(GPtrArray) providers = NULL;
  g_autoptr(GHashTable) gone = NULL;
  GHashTableIter iter;
  gpointer key;

  if (self->core == NULL)
    return;
  providers = relay_store_list_providers (relay_core_get_store (self->core), NULL);
  if (providers == NULL)
    return;
  for (guint i = 0; i < providers->len; i++)
    check_provider (self, ((RelayProviderRow *) g_ptr_array_index (providers, i))->id, announce);

  /* Removed providers: nothing left to tell. */
  gone = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_hash_table_iter_init (&iter, self->low);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_hash_table_add (gone, g_memdup2 (key, sizeof (gint64)));
  g_hash_table_iter_init (&iter, self->waiting);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_hash_table_add (gone, g_memdup2 (key, sizeof (gint64)));
  for (guint i = 0; i < providers->len; i++)
    g_hash_table_remove (gone, &((RelayProviderRow *) g_ptr_array_index (providers, i))->id);
  g_hash_table_iter_init (&iter, gone);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    check_provider (self, *(gint64 *) key, FALSE);
}

static void
on_catalog_changed (RelayNotifier *self)
{
  /* Balances, thresholds and waits are written with the providers. */
  check_providers (self, TRUE);
}

static void
on_funds_wait (GObject       *dispatcher,
               gint64         provider_id,
               gint64         needed,
               gint64         balance,
               RelayNotifier *self)
{
  g_autoptr(RelayFundsState) state = NULL;
  gboolean was_waiting = g_hash_table_contains (self->waiting, &provider_id);

  /* Recorded (not told) when the book's ::catalog-changed did not already. */
  check_provider (self, provider_id, FALSE);
  /* Told already: an idle of tell_new_waits() came first. */
  if ((was_waiting && !take_new_wait (self, provider_id)) || self->core == NULL ||
      !g_hash_table_contains (self->waiting, &provider_id))
    return;
  state = relay_core_provider_funds_state (self->core, provider_id, NULL);
  if (state != NULL && state->waiting)
    tell_funds_wait (self, state, &balance);
}

static void
on_funds_resumed (GObject       *dispatcher,
                  gint64         provider_id,
                  RelayNotifier *self)
{
  check_provider (self, provider_id, TRUE);
}

/* ---- prices ---- */

static void
on_prices_changed (RelayCore     *core,
                   gint64         provider_id,
                   guint          n_changes,
                   guint          n_below_cost,
                   RelayNotifier *self)
{
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *id = g_strdup_printf ("prices-%" PRId64, provider_id);
  g_autofree char *title = NULL;
  g_autofree char *count = relay_format_count (n_changes);
  const char *provider = NULL;

  if (n_changes == 0 || !relay_notifier_get_enabled (self, RELAY_NOTIFY_PRICES))
    return;
  changes = relay_core_list_price_changes (core, provider_id, 0, 0, (gint) n_changes, NULL);
  for (guint i = 0; changes != NULL && i < changes->len && i < MAX_SINGLE_ORDERS; i++)
    {
      const RelayPriceChange *change = g_ptr_array_index (changes, i);
      g_autofree char *line = relay_price_change_describe (change);

      provider = change->provider_name;
      g_string_append_printf (body, "%s%s", i > 0 ? "\n" : "", line);
    }
  if (changes != NULL && changes->len > MAX_SINGLE_ORDERS)
    {
      g_autofree char *more = relay_format_count (changes->len - MAX_SINGLE_ORDERS);

      g_string_append_c (body, '\n');
      /* TRANSLATORS: the last line of a price change notification */
      g_string_append_printf (body, g_dngettext (GETTEXT_PACKAGE, "and %s more", "and %s more",
                                                 changes->len - MAX_SINGLE_ORDERS),
                              more);
    }
  if (n_below_cost > 0)
    {
      g_autofree char *below = relay_format_count (n_below_cost);

      /* TRANSLATORS: a price change notification's title */
      title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%s service now costs more than its price",
                                            "%s services now cost more than their price",
                                            n_below_cost),
                               below);
    }
  else if (provider != NULL)
    /* TRANSLATORS: a price change notification's title: "3 prices changed at Demo provider" */
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s price changed at %s",
                                          "%s prices changed at %s", n_changes),
                             count, provider);
  else
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s price changed",
                                          "%s prices changed", n_changes),
                             count);
  tell_page (self, id, "services", title, body->len > 0 ? body->str : NULL);
}

/* ---- health checks ---- */

void
relay_notifier_health_checked (RelayNotifier *self,
                               const char    *provider,
                               GPtrArray     *steps)
{
  const RelayHealthStep *failed = NULL;
  guint n_failed = 0;
  g_autofree char *title = NULL;
  g_autofree char *id = NULL;

  g_return_if_fail (RELAY_IS_NOTIFIER (self));

  for (guint i = 0; steps != NULL && i < steps->len; i++)
    {
      const RelayHealthStep *step = g_ptr_array_index (steps, i);

      if (step->result == RELAY_HEALTH_FAIL)
        {
          if (failed == NULL)
            failed = step;
          n_failed++;
        }
    }
  if (failed == NULL || !relay_notifier_get_enabled (self, RELAY_NOTIFY_HEALTH))
    return;
  id = g_strdup_printf ("health-%s", provider ? provider : "");
  /* TRANSLATORS: a notification's title; %s is a provider's name */
  title = g_strdup_printf (_("Check of %s failed"), provider ? provider : "");
  tell_page (self, id, "providers", title, failed->detail);
}

/* ---- following a window ---- */

/* The window is in front when it is the active window, or when the active
 * window is one of its own dialogs (Edit Provider, Map Service…, a confirm):
 * transient for it, directly or through another dialog. */
static gboolean
window_in_front (RelayNotifier *self)
{
  GtkWindow *main_window = GTK_WINDOW (self->window);
  guint n;

  if (gtk_window_is_active (main_window))
    return TRUE;
  n = self->toplevels != NULL ? g_list_model_get_n_items (self->toplevels) : 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (self->toplevels, i);

      if (!gtk_window_is_active (window))
        continue;
      for (GtkWindow *parent = gtk_window_get_transient_for (window); parent != NULL;
           parent = gtk_window_get_transient_for (parent))
        if (parent == main_window)
          return TRUE;
    }
  return FALSE;
}

static void
update_view (RelayNotifier *self)
{
  GtkStack *stack;
  RelayOrderDetails *details;
  RelayOrderItem *item;
  const char *page = NULL;
  gint64 order_id = 0;
  gboolean active;

  /* A window going away shows nothing any more (its children are going too). */
  if (self->window == NULL || gtk_widget_in_destruction (GTK_WIDGET (self->window)))
    return;
  active = window_in_front (self);
  stack = relay_window_get_stack (self->window);
  if (stack != NULL)
    page = gtk_stack_get_visible_child_name (stack);
  details = relay_orders_page_get_details (relay_window_get_orders_page (self->window));
  item = details != NULL ? relay_order_details_get_item (details) : NULL;
  if (item != NULL)
    order_id = relay_order_item_get_id (item);
  relay_notifier_set_view (self, active, page, order_id);
}

static void
on_check_running (RelayCheckDialog *dialog,
                  GParamSpec       *pspec,
                  RelayNotifier    *self)
{
  const char *provider;

  if (relay_check_dialog_get_running (dialog))
    return;
  /* Looking at the dialog is looking at the result. */
  if (gtk_window_is_active (GTK_WINDOW (dialog)))
    return;
  provider = g_object_get_data (G_OBJECT (dialog), "relay-provider-name");
  relay_notifier_health_checked (self, provider ? provider : gtk_window_get_title (GTK_WINDOW (dialog)),
                                 relay_check_dialog_get_steps (dialog));
}

static void
on_toplevels_changed (GListModel    *toplevels,
                      guint          position,
                      guint          removed,
                      guint          added,
                      RelayNotifier *self)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      /* A dialog of the window taking or leaving the focus moves the
       * window in or out of front. */
      if (g_object_get_data (window, "relay-notifier-focus-watched") == NULL)
        {
          g_object_set_data (window, "relay-notifier-focus-watched", GINT_TO_POINTER (TRUE));
          g_signal_connect_object (window, "notify::is-active", G_CALLBACK (update_view), self,
                                   G_CONNECT_SWAPPED);
        }
      if (RELAY_IS_CHECK_DIALOG (window) &&
          g_object_get_data (window, "relay-notifier-watched") == NULL)
        {
          g_object_set_data (window, "relay-notifier-watched", GINT_TO_POINTER (TRUE));
          g_signal_connect_object (window, "notify::running", G_CALLBACK (on_check_running),
                                   self, 0);
        }
    }
}

static void
on_window_destroy (RelayWindow   *window,
                   RelayNotifier *self)
{
  if (self->window != window)
    return;
  g_object_remove_weak_pointer (G_OBJECT (window), (gpointer *) &self->window);
  self->window = NULL;
  self->active = FALSE;
  g_signal_handlers_disconnect_by_data (window, self);
}

void
relay_notifier_watch_window (RelayNotifier *self,
                             RelayWindow   *window)
{
  RelayOrderDetails *details;

  g_return_if_fail (RELAY_IS_NOTIFIER (self));
  g_return_if_fail (RELAY_IS_WINDOW (window));

  if (self->window != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->window), (gpointer *) &self->window);
  self->window = window;
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &self->window);
  g_signal_connect_object (window, "notify::is-active", G_CALLBACK (update_view), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (window, "destroy", G_CALLBACK (on_window_destroy), self, 0);
  g_signal_connect_object (relay_window_get_stack (window), "notify::visible-child-name",
                           G_CALLBACK (update_view), self, G_CONNECT_SWAPPED);
  details = relay_orders_page_get_details (relay_window_get_orders_page (window));
  if (details != NULL)
    g_signal_connect_object (details, "notify::item", G_CALLBACK (update_view), self,
                             G_CONNECT_SWAPPED);
  update_view (self);
}

/* ---- app.show-page ---- */

static void
show_page_activated (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  RelayNotifier *self = user_data;
  GtkWindow *window;

  if (self->application == NULL)
    return;
  g_application_activate (G_APPLICATION (self->application));
  window = gtk_application_get_active_window (self->application);
  if (window != NULL)
    gtk_widget_activate_action_variant (GTK_WIDGET (window), "win.show-page", parameter);
}

/* ---- the object ---- */

void
relay_notifier_set_core (RelayNotifier *self,
                         RelayCore     *core)
{
  g_return_if_fail (RELAY_IS_NOTIFIER (self));
  g_return_if_fail (core == NULL || RELAY_IS_CORE (core));

  if (self->core == core)
    return;
  g_set_object (&self->core, core);
  g_hash_table_remove_all (self->low);
  g_hash_table_remove_all (self->waiting);
  g_array_set_size (self->new_waits, 0);
  g_signal_group_set_target (self->core_signals, core);
  g_signal_group_set_target (self->store_signals, core ? relay_core_get_store (core) : NULL);
  g_signal_group_set_target (self->dispatcher_signals,
                             core ? relay_core_get_dispatcher (core) : NULL);
  /* What is low or waiting as the book opens is shown on the pages, not told. */
  check_providers (self, FALSE);
}

static void
relay_notifier_dispose (GObject *object)
{
  RelayNotifier *self = RELAY_NOTIFIER (object);

  if (self->toplevels != NULL)
    g_clear_signal_handler (&self->toplevels_id, self->toplevels);
  self->toplevels = NULL;
  if (self->window != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->window), (gpointer *) &self->window);
  self->window = NULL;
  if (self->application != NULL)
    {
      g_action_map_remove_action (G_ACTION_MAP (self->application), "show-page");
      g_object_remove_weak_pointer (G_OBJECT (self->application), (gpointer *) &self->application);
    }
  self->application = NULL;
  if (self->core_signals != NULL)
    g_signal_group_set_target (self->core_signals, NULL);
  if (self->store_signals != NULL)
    g_signal_group_set_target (self->store_signals, NULL);
  if (self->dispatcher_signals != NULL)
    g_signal_group_set_target (self->dispatcher_signals, NULL);
  g_clear_object (&self->core_signals);
  g_clear_object (&self->store_signals);
  g_clear_object (&self->dispatcher_signals);
  g_clear_handle_id (&self->new_waits_id, g_source_remove);
  g_clear_object (&self->core);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (relay_notifier_parent_class)->dispose (object);
}

static void
relay_notifier_finalize (GObject *object)
{
  RelayNotifier *self = RELAY_NOTIFIER (object);

  g_clear_pointer (&self->page, g_free);
  g_clear_pointer (&self->shown, g_hash_table_unref);
  g_clear_pointer (&self->low, g_hash_table_unref);
  g_clear_pointer (&self->waiting, g_hash_table_unref);
  g_clear_pointer (&self->new_waits, g_array_unref);

  G_OBJECT_CLASS (relay_notifier_parent_class)->finalize (object);
}

static void
relay_notifier_class_init (RelayNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = relay_notifier_dispose;
  object_class->finalize = relay_notifier_finalize;

  signals[SIGNAL_SENT] =
    g_signal_new ("sent", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[SIGNAL_WITHDRAWN] =
    g_signal_new ("withdrawn", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[SIGNAL_TOAST] =
    g_signal_new ("toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
relay_notifier_init (RelayNotifier *self)
{
  self->shown = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->low = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->waiting = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->new_waits = g_array_new (FALSE, FALSE, sizeof (gint64));

  self->core_signals = g_signal_group_new (RELAY_TYPE_CORE);
  g_signal_group_connect_object (self->core_signals, "prices-changed",
                                 G_CALLBACK (on_prices_changed), self, 0);
  self->store_signals = g_signal_group_new (RELAY_TYPE_STORE);
  g_signal_group_connect_object (self->store_signals, "catalog-changed",
                                 G_CALLBACK (on_catalog_changed), self, G_CONNECT_SWAPPED);
  self->dispatcher_signals = g_signal_group_new (RELAY_TYPE_DISPATCHER);
  /* Its signals are known once its class is. */
  g_type_class_unref (g_type_class_ref (RELAY_TYPE_DISPATCHER));
  /* The dispatcher announces waits for funds once it gates on them. */
  if (g_signal_lookup ("funds-wait", RELAY_TYPE_DISPATCHER) != 0)
    g_signal_group_connect_object (self->dispatcher_signals, "funds-wait",
                                   G_CALLBACK (on_funds_wait), self, 0);
  if (g_signal_lookup ("funds-resumed", RELAY_TYPE_DISPATCHER) != 0)
    g_signal_group_connect_object (self->dispatcher_signals, "funds-resumed",
                                   G_CALLBACK (on_funds_resumed), self, 0);
}

RelayNotifier *
relay_notifier_new (GtkApplication *application,
                    GSettings      *settings)
{
  RelayNotifier *self;
  const GActionEntry entries[] = {
    { "show-page", show_page_activated, "s" },
  };

  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);

  self = g_object_new (RELAY_TYPE_NOTIFIER, NULL);
  self->settings = settings ? g_object_ref (settings) : NULL;
  self->application = application;
  if (application != NULL)
    {
      g_object_add_weak_pointer (G_OBJECT (application), (gpointer *) &self->application);
      if (g_action_map_lookup_action (G_ACTION_MAP (application), "show-page") == NULL)
        g_action_map_add_action_entries (G_ACTION_MAP (application), entries,
                                         G_N_ELEMENTS (entries), self);
    }
  self->toplevels = gtk_window_get_toplevels ();
  self->toplevels_id = g_signal_connect_object (self->toplevels, "items-changed",
                                                G_CALLBACK (on_toplevels_changed), self, 0);
  return self;
}
