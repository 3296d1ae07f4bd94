/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the files of RelayApplication share: the instance struct. */
#pragma once

#include "relay-application.h"
#include "relay-sim.h"
#include "relay-notifier.h"
#include "relay-window.h"

G_BEGIN_DECLS

struct _RelayApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  RelayNotifier  *notifier;         /* notifications and their toasts */

  /* The book. */
  gboolean        demo;
  char           *db_path;          /* --db, or NULL */
  char           *demo_dir;         /* --demo-dir, or NULL */
  RelayCore      *core;
  GError         *open_error;       /* why the book could not be opened */
  RelaySim       *sim;              /* demo mode only */
  char           *sim_url;
  gboolean        ready;
  GCancellable   *cancellable;      /* everything started for this book */

  /* The refresh. */
  guint           first_refresh_id; /* the first one, once the window has shown itself */
  GdkFrameClock  *first_paint_clock; /* the window's, until its first frame is painted */
  gulong          first_paint_id;
  guint           refresh_id;       /* sync + dispatch every refresh-interval */
  guint           tick_id;          /* the 1 s "updated N s ago" text */
  guint           updated_text_id;  /* "Updated just now", a few frames after a refresh */
  guint           n_running;        /* sync and dispatch runs going on */
  gint64          last_dispatch;    /* monotonic seconds */
  char           *updated_text;
  GArray         *dispatch_changes; /* RelayStatusChange from ::order-sent */
  GArray         *pending_changes;  /* RelayStatusChange told to the notifier soon */
  guint           notify_id;        /* that telling */
  gulong          order_sent_id;
  GArray         *sent_providers;   /* gint64: balances to refresh after a dispatch */
  gboolean        quitting;         /* quit asked for: waiting for the sends in flight */
};

/* relay-application-settings.c */
GSettings   *relay_application_settings_new  (void);

/* relay-application-actions.c */
void         relay_application_add_actions   (RelayApplication *self);
/* The active RelayWindow, made and shown when there is none. */
RelayWindow *relay_application_get_window    (RelayApplication *self);

/* relay-application-backup.c: app.backup, "Back Up the Order Book…" */
void         relay_application_add_backup_action (RelayApplication *self);
/* relay-application-help.c: app.help (F1), the help or why it cannot open */
void         relay_application_add_help_action (RelayApplication *self);

G_END_DECLS
