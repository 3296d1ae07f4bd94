/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the page tests share: a private order book and key file, a simulator on
 * 127.0.0.1, a window for the page, bounded waits, widget lookups and screenshots. */
#pragma once

#include <gtk/gtk.h>

#include "relay-core.h"
#include "relay-dispatcher.h"
#include "relay-sync.h"
#include "relay-error.h"
#include "relay-money.h"
#include "relay-sim.h"

G_BEGIN_DECLS

/* The longest any single wait may take before the test fails. */
#define MT_WAIT_MS 20000

typedef struct
{
  char      *dir;         /* private folder: the order book lives here */
  RelaySim  *sim;
  char      *sim_url;
  RelayCore *core;
  RelayStore *store;      /* borrowed from core */
  GtkWindow *window;
  GtkWidget *page;        /* borrowed: the window's child */
  GPtrArray *messages;    /* what the page said through ::message */
} MtFixture;

/* gtk_init(), g_test_init() and SMM_RELAY_KEYS pointed at a temp file, before
 * any thread starts. */
void        mt_init              (int *argc, char ***argv);

/* A simulator, and a core on a new book in a new folder. */
void        mt_fixture_setup     (MtFixture *f, gconstpointer data);
void        mt_fixture_teardown  (MtFixture *f, gconstpointer data);
/* Puts @page in a 1080×760 window (the room the main window leaves a page),
 * collects its ::message, and waits until it is drawn. */
void        mt_show_page         (MtFixture *f, GtkWidget *page);
/* The last ::message, or NULL. */
const char *mt_last_message      (MtFixture *f);

/* Iterates the main context until @cond holds; fails the test after @timeout_ms (0 = MT_WAIT_MS). */
void        mt_wait_until        (gboolean (*cond) (gpointer), gpointer data, guint timeout_ms);
void        mt_spin              (guint ms);

/* The template child @name of @widget (of class @type); fails when there is none. */
GtkWidget  *mt_child             (GtkWidget *widget, GType type, const char *name);
/* The same for a template object that is not a widget (a selection model). */
gpointer    mt_object            (GtkWidget *widget, GType type, const char *name);
/* Presses @button (which must be visible and sensitive). */
void        mt_click             (GtkWidget *button);
void        mt_set_text          (GtkWidget *editable, const char *text);
/* The first shown toplevel window of @type, or NULL. */
GtkWidget  *mt_find_window       (GType type);
/* Waits for a window of @type to be shown and returns it. */
GtkWidget  *mt_wait_window       (GType type);
/* Whether @text occurs in any label, editable, tooltip or accessible text
 * under @root (@root included). */
gboolean    mt_tree_has_text     (GtkWidget *root, const char *text);
/* Whether a shown AdwStatusPage titled @title is in @root's tree. */
gboolean    mt_has_status_page   (GtkWidget *root, const char *title);
/* Waits until @text shows under @root (lists fill from idle and on layout). */
void        mt_wait_tree_text    (GtkWidget *root, const char *text);
/* Whether @text occurs in the widgets of any toplevel window. */
gboolean    mt_any_window_has_text (const char *text);
/* The number of rows in @view (a GtkColumnView or GtkListView). */
guint       mt_view_n_items      (GtkWidget *view);

/* Renders @widget to @name (a PNG) in the build dir; returns the path (new string). */
char       *mt_save_png          (GtkWidget *widget, const char *name);

/* Core shortcuts for setting a test up (not what is tested). */
gint64      mt_add_provider      (MtFixture *f, const char *name);
void        mt_sync_services     (MtFixture *f, gint64 provider_id);
/* Asks the provider's balance (which also tells its currency). */
void        mt_refresh_balance   (MtFixture *f, gint64 provider_id);
void        mt_map               (MtFixture *f, gint64 id, gint64 provider_id, const char *psid,
                                  gint64 price, gboolean manual);
gint64      mt_place             (MtFixture *f, gint64 service_id, gint64 client_id,
                                  const char *link, gint64 quantity);
RelayDispatchReport mt_dispatch  (MtFixture *f);
/* One status sync of the active orders. */
void        mt_sync_orders       (MtFixture *f);
RelayOrderRow *mt_order          (MtFixture *f, gint64 order_id);

G_END_DECLS
