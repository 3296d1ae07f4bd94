/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the page tests share: a simulator, a core with the demo provider and a few mapped
 * services, a window to show a page in, and pictures of it. */
#pragma once

#include <gtk/gtk.h>

#include "engine-test-util.h"

G_BEGIN_DECLS

/* My services the tests map (see pt_env_new()). */
enum
{
  PT_FOLLOWERS = 1,   /* sim 101 Instagram Followers, Default, 50 – 10,000, profile link */
  PT_LIKES = 2,       /* sim 103 Instagram Likes, Default, drip-feed, 10 – 20,000, post link */
  PT_COMMENTS = 3,    /* sim 107 Instagram Custom Comments, 5 – 500 comments */
  PT_TIKTOK = 4,      /* sim 122 TikTok Likes, 50 – 100,000 */
  PT_MANUAL = 5,      /* sim 121 TikTok Views, sent after approval */
  PT_BELOW_COST = 6,  /* sim 123 TikTok Followers, its price lowered under the rate */
};

typedef struct
{
  EtBook    *book;
  RelaySim  *sim;
  RelayCore *core;
  gint64     provider_id;
  gint64     client_id;   /* "Acme Agency" */
  GtkWindow *window;
} PtEnv;

/* A simulator, a core on a private book, the provider "Demo provider" with its
 * catalog synced, the services above mapped at twice the rate, and a client. */
PtEnv     *pt_env_new       (void);
void       pt_env_free      (PtEnv *env);

/* Shows @page in a window of @width × @height with a header bar titled
 * @title, and waits until it has been drawn. */
void       pt_env_show      (PtEnv      *env,
                             GtkWidget  *page,
                             const char *title,
                             int         width,
                             int         height);

/* A template child of @page (a class of this library). */
gpointer   pt_child         (gpointer    page,
                             GType       type,
                             const char *name);

/* Iterates the main context until @cond holds; fails the test after @timeout_ms. */
void       pt_wait          (gboolean  (*cond) (gpointer),
                             gpointer    data,
                             guint       timeout_ms);
/* Iterates the main context for @ms. */
void       pt_spin          (guint       ms);

/* Renders @widget's window to @name (a PNG) in the build dir; returns the path. */
char      *pt_save_png      (GtkWidget  *widget,
                             const char *name);

/* Renders a popover (its own surface, so not in its window's picture) to @name. */
char      *pt_save_popover_png (GtkWidget  *popover,
                                const char *name);

/* The label's text, for asserting on. */
const char *pt_label_text   (gpointer    label);

G_END_DECLS
