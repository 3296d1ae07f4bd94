/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the window tests share: the real application and its window on a
 * book in a private folder, and bounded waits on the main context. */
#pragma once

#include <gtk/gtk.h>

#include "relay-application.h"
#include "relay-store.h"
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

/* ---- order books (the order-list and order-cells tests) ---- */

/* Fills order @i of a batch gt_book_add_orders() records (its service_id is
 * already 1) and returns its link, a new string freed after the batch. */
typedef char *(*GtOrderFunc) (guint i, RelayOrderDraft *draft, gpointer data);

/* A new private folder named after @tmpl (g_dir_make_tmp). */
char        *gt_make_dir         (const char *tmpl);
/* Removes the folder *@dir and everything in it, and frees and clears *@dir. */
void         gt_clear_dir        (char **dir);
/* The path of the book in @dir (dir/orders.db), a new string. */
char        *gt_book_path        (const char *dir);
/* Opens (creates) the book in @dir. */
RelayStore  *gt_book_open        (const char *dir);
/* What every order-list test's book has: the panel "Test panel" (on
 * 127.0.0.1:9, where nothing answers) with catalog service "1" (Instagram
 * Likes, 0.50 per 1,000, 10-100,000), mapped as service 1 "Likes" at 0.90,
 * and the client Alice.  Returns Alice's id. */
gint64       gt_book_add_catalog (RelayStore *store);
/* Records @n orders as source "test", each filled by @func; asserts they all
 * were and returns their ids. */
GArray      *gt_book_add_orders  (RelayStore  *store,
                                  guint        n,
                                  GtOrderFunc  func,
                                  gpointer     data);

G_END_DECLS
