/* SPDX-License-Identifier: GPL-3.0-or-later */
/* How a page asks the window for a transient message (an AdwToast), without
 * knowing the window.
 *
 * A page has either or both of these signals; the window connects to every
 * page that has them:
 *
 *   "message" (const char *text)  — a toast with the text alone (kept for the
 *                                    pages that have it);
 *   "toast"   (AdwToast *toast)   — a toast the page made, with an action:
 *                                    declare it with relay_toast_signal_new ()
 *                                    and emit it with relay_toast_emit ().
 *
 * Actions a toast may name: "win.show-order" (int64 order id),
 * "win.show-page" (string: "orders", "new-order", "mass-order", "services",
 * "providers", "clients", "review") and any "app." action.
 *
 * Staleness: a toast whose action is "win.show-order" is dismissed by the
 * window as soon as that order's status changes ("Order 26 is scheduled"
 * goes when order 26 is canceled).  Otherwise a page may keep the toast
 * (g_object_ref) and call
 * relay_toast_dismiss () when what it says stops being true (the order it
 * announced was canceled).  The window dismisses the toasts of a page the
 * user leaves, except those with a button (their action still makes sense
 * from anywhere); one message per event: a page that shows its outcome
 * inline should not also emit it. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Installs the "toast" signal on @klass (a GtkWidget class); returns its id. */
static inline guint
relay_toast_signal_new (gpointer klass)
{
  return g_signal_new ("toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                       NULL, NULL, NULL, G_TYPE_NONE, 1, ADW_TYPE_TOAST);
}

/* Makes a toast saying @title (plain text: it is escaped for the toast's
 * markup), with a button @button_label that activates @action_name with
 * @target (a floating reference is sunk; @button_label, @action_name and
 * @target may be NULL for a toast without a button), emits @signal_id on
 * @page and returns a new reference to the toast: keep it to dismiss the
 * toast when it is stale, or unref it. */
static inline AdwToast *
relay_toast_emit_dup (gpointer    page,
                      guint       signal_id,
                      const char *title,
                      const char *button_label,
                      const char *action_name,
                      GVariant   *target)
{
  g_autoptr(AdwToast) toast = adw_toast_new ("");
  g_autofree char *escaped = g_markup_escape_text (title, -1);

  adw_toast_set_title (toast, escaped);
  if (button_label != NULL && action_name != NULL)
    {
      adw_toast_set_button_label (toast, button_label);
      adw_toast_set_action_name (toast, action_name);
      if (target != NULL)
        adw_toast_set_action_target_value (toast, target);
    }
  else if (target != NULL)
    g_variant_unref (g_variant_ref_sink (target));
  g_signal_emit (page, signal_id, 0, toast);
  return g_steal_pointer (&toast);
}

/* relay_toast_emit_dup () for a toast the page does not keep. */
static inline void
relay_toast_emit (gpointer    page,
                  guint       signal_id,
                  const char *title,
                  const char *button_label,
                  const char *action_name,
                  GVariant   *target)
{
  g_autoptr(AdwToast) toast = relay_toast_emit_dup (page, signal_id, title, button_label,
                                                    action_name, target);
}

/* When the window showed the toast (g_get_monotonic_time ()), as qdata. */
#define RELAY_TOAST_SHOWN_AT_KEY "relay-toast-shown-at"
/* libadwaita 1.2 animates a new toast in for 300 ms; dismissing it during
 * that animation leaves a freed toast for a later animation (a crash when
 * the overlay is next unmapped). */
#define RELAY_TOAST_SHOW_MS 400

static inline void relay_toast_dismiss (AdwToast *toast);

static inline gboolean
relay_toast_dismiss_cb (gpointer data)
{
  /* It may have started to appear since (queued behind another toast). */
  relay_toast_dismiss (ADW_TOAST (data));
  return G_SOURCE_REMOVE;
}

/* Dismisses @toast now, or when it has finished appearing: use this rather
 * than adw_toast_dismiss () for a toast that may have just been shown.  (The
 * window moves a queued toast's time forward whenever the toast before it
 * goes, which is when the queued one starts to appear.) */
static inline void
relay_toast_dismiss (AdwToast *toast)
{
  gint64 *shown_at = g_object_get_data (G_OBJECT (toast), RELAY_TOAST_SHOWN_AT_KEY);
  gint64 age_ms = shown_at != NULL ? (g_get_monotonic_time () - *shown_at) / 1000
                                   : RELAY_TOAST_SHOW_MS;

  if (age_ms >= RELAY_TOAST_SHOW_MS)
    adw_toast_dismiss (toast);
  else
    g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) (RELAY_TOAST_SHOW_MS - age_ms),
                        relay_toast_dismiss_cb, g_object_ref (toast), g_object_unref);
}

G_END_DECLS
