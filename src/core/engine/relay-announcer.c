/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayAnnouncer: each ::orders-changed has every order list of the window
 * read again, so the orders a sync or a dispatch run changes are told at
 * once when the last announcement is older than the interval, else together
 * when it is up; relay_announcer_flush() tells the rest (the end of a run). */
#include "config.h"

#include "relay-announcer.h"

struct _RelayAnnouncer
{
  RelayStore   *store;
  guint         interval_ms;
  GMainContext *context;        /* where the delayed announcement runs; NULL = default */
  GArray       *ids;            /* order ids not announced yet */
  gboolean      ledger_changed;
  gint64        announced_at;   /* monotonic µs of the last announcement, 0 = none */
  GSource      *due;            /* the delayed announcement; it holds a reference */
};

static void
announcer_clear (RelayAnnouncer *self)
{
  g_clear_object (&self->store);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->ids, g_array_unref);
}

/* @context: where a delayed announcement runs (the owner's run), NULL for
 * the global default one. */
RelayAnnouncer *
relay_announcer_new (RelayStore   *store,
                     guint         interval_ms,
                     GMainContext *context)
{
  RelayAnnouncer *self = g_rc_box_new0 (RelayAnnouncer);

  self->store = g_object_ref (store);
  self->interval_ms = interval_ms;
  self->context = context != NULL ? g_main_context_ref (context) : NULL;
  self->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  return self;
}

RelayAnnouncer *
relay_announcer_ref (RelayAnnouncer *self)
{
  return g_rc_box_acquire (self);
}

/* A delayed announcement still due keeps its announcer (and its store)
 * until it has run. */
void
relay_announcer_unref (RelayAnnouncer *self)
{
  g_rc_box_release_full (self, (GDestroyNotify) announcer_clear);
}

void
relay_announcer_flush (RelayAnnouncer *self)
{
  if (self->due != NULL)
    {
      g_source_destroy (self->due);
      g_clear_pointer (&self->due, g_source_unref);
    }
  if (self->ids->len == 0 && !self->ledger_changed)
    return;
  self->announced_at = g_get_monotonic_time ();
  relay_store_notify_changes (self->store, self->ids, self->ledger_changed);
  g_array_set_size (self->ids, 0);
  self->ledger_changed = FALSE;
}

static gboolean
announce_due (gpointer data)
{
  RelayAnnouncer *self = data;

  g_clear_pointer (&self->due, g_source_unref);
  relay_announcer_flush (self);
  return G_SOURCE_REMOVE;
}

/* Notes @order_ids (and whether the ledger changed): told now, or once the
 * interval since the last announcement is up. */
void
relay_announcer_add (RelayAnnouncer *self,
                     const GArray   *order_ids,
                     gboolean        ledger_changed)
{
  gint64 wait_ms;

  if (order_ids != NULL)
    g_array_append_vals (self->ids, order_ids->data, order_ids->len);
  self->ledger_changed |= ledger_changed;
  if (self->due != NULL || (self->ids->len == 0 && !self->ledger_changed))
    return;
  wait_ms = (self->announced_at - g_get_monotonic_time ()) / 1000 + self->interval_ms;
  if (self->announced_at == 0 || wait_ms <= 0)
    {
      relay_announcer_flush (self);
      return;
    }
  self->due = g_timeout_source_new ((guint) wait_ms);
  g_source_set_callback (self->due, announce_due, relay_announcer_ref (self),
                         (GDestroyNotify) relay_announcer_unref);
  g_source_set_static_name (self->due, "[relay] announce");
  g_source_attach (self->due, self->context);
}
