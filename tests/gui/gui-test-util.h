/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the window tests share: the real application and its window on a
 * book in a private folder, and bounded waits on the main context. */
#pragma once

#include <gtk/gtk.h>

#include "relay-application.h"
#include "relay-window.h"

G_BEGIN_DECLS

typedef struct
{
  char             *dir;     /* private folder, removed by gt_app_stop() */
  char             *book;    /* dir/orders.db */
  RelayApplication *app;
  RelayWindow      *window;  /* borrowed: the window gt_app_start() opened */
} GtApp;

/* g_test_init(), and no session bus: a test fails fast instead of
 * autolaunching one. */
void         gt_init          (int *argc, char ***argv);

/* A new private folder named after @tmpl (g_dir_make_tmp) and the path of
 * the book in it (not created: a test may fill it before gt_app_start()). */
void         gt_app_make_dir  (GtApp *fixture, const char *tmpl);
/* Registers and activates the application on the demo book (@demo) or on
 * fixture->book, and keeps its window.  Calls gt_app_make_dir() first when
 * there is no folder yet. */
void         gt_app_start     (GtApp *fixture, gboolean demo, const char *tmpl);
/* Closes the application's window, quits, frees the application and removes
 * the folder. */
void         gt_app_stop      (GtApp *fixture);

/* The application's RelayWindow, or NULL. */
RelayWindow *gt_get_window    (RelayApplication *app);

/* Iterates the main context until @cond holds or @timeout_ms pass;
 * returns whether it holds. */
gboolean     gt_wait_until    (gboolean (*cond) (gpointer), gpointer data, guint timeout_ms);
/* Iterates the main context for @ms. */
void         gt_spin          (guint ms);

G_END_DECLS
