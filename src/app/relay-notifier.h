/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayNotifier: what SMM Relay tells the desktop (GNotification) or the window (a toast):
 * orders that ended partial, failed, need review or completed, orders waiting for funds, a
 * low balance, provider price changes and failed health checks.  Each kind can be turned
 * off in GSettings; nothing is said about what the focused window shows, and a notification
 * is withdrawn when its order or page is then looked at. */
#pragma once

#include <adwaita.h>

#include "relay-core.h"
#include "relay-window.h"

G_BEGIN_DECLS

typedef enum
{
  RELAY_NOTIFY_COMPLETED,     /* GSettings key "notify-completed" */
  RELAY_NOTIFY_PARTIAL,       /* "notify-partial" */
  RELAY_NOTIFY_FAILED,        /* "notify-failed" */
  RELAY_NOTIFY_REVIEW,        /* "notify-review" */
  RELAY_NOTIFY_FUNDS,         /* "notify-funds": orders wait for funds */
  RELAY_NOTIFY_LOW_BALANCE,   /* "notify-low-balance" */
  RELAY_NOTIFY_PRICES,        /* "notify-prices": a provider's rates changed */
  RELAY_NOTIFY_HEALTH,        /* "notify-health": a provider's health check failed */
  RELAY_NOTIFY_N_KINDS
} RelayNotifyKind;

#define RELAY_TYPE_NOTIFIER (relay_notifier_get_type ())
G_DECLARE_FINAL_TYPE (RelayNotifier, relay_notifier, RELAY, NOTIFIER, GObject)

/* Signals (what was said, for tests and logs):
 *   ::sent (const char *id, const char *title, const char *body)  a notification was
 *       sent (or would have been: without a session bus it is only emitted); @body may be NULL
 *   ::withdrawn (const char *id)  it was taken back because its item was looked at
 *   ::toast (const char *text)    said in the focused window instead
 *
 * Adds the action app.show-page (s) to @application: notifications about a
 * page ("providers", "services") open it.  @settings may be NULL (all on). */
RelayNotifier *relay_notifier_new            (GtkApplication *application,
                                              GSettings      *settings);
/* Follows @core's dispatcher, store and price changes (NULL = none). */
void           relay_notifier_set_core       (RelayNotifier  *self,
                                              RelayCore      *core);
/* Follows what @window shows (page, order in the details, focus) and shows
 * toasts in it; also follows the provider check dialogs opened from it. */
void           relay_notifier_watch_window   (RelayNotifier  *self,
                                              RelayWindow    *window);
/* What the person looks at: @active whether a window of the app has the
 * focus, @page the page it shows ("orders", "providers", …), @order_id the
 * order in the details (0 = none).  Notifications about it are withdrawn.
 * relay_notifier_watch_window() calls it; tests call it directly. */
void           relay_notifier_set_view       (RelayNotifier  *self,
                                              gboolean        active,
                                              const char     *page,
                                              gint64          order_id);
/* Whether @kind is to be told (the master "notifications" key and its own). */
gboolean       relay_notifier_get_enabled    (RelayNotifier  *self,
                                              RelayNotifyKind kind);

/* Orders whose status changed (RelayStatusChange; a sync or dispatch run's
 * changes): completed, partial, failed and needs-review ones are told — one
 * notification per order for up to three, else one per status with the
 * count ("50 orders failed"). */
void           relay_notifier_orders_changed (RelayNotifier  *self,
                                              GArray         *changes);
/* A health check of @provider ended with @steps (RelayHealthStep*); told when
 * a step failed. */
void           relay_notifier_health_checked (RelayNotifier  *self,
                                              const char     *provider,
                                              GPtrArray      *steps);

G_END_DECLS
