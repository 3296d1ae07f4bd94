/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared set-up of the page tests: simulator, core, mapped services, a window, pictures. */
#include "config.h"

#include "pages-test-util.h"

#define SETTLE_MS 300

static void
map_service (PtEnv *env, gint64 id, const char *psid, gboolean manual)
{
  et_map (env->core, id, env->provider_id, psid, 0, NULL, manual);
}

/* The balance reply tells the provider's currency, which the pages show. */
static void
refresh_balance (PtEnv *env)
{
  EtAsync async = { 0 };
  g_autoptr(GError) error = NULL;
  RelayProviderBalance *balance;

  relay_core_refresh_balance_async (env->core, env->provider_id, NULL, et_async_ready, &async);
  balance = relay_core_refresh_balance_finish (env->core, et_async_wait (&async), &error);
  g_assert_no_error (error);
  g_assert_nonnull (balance);
  relay_provider_balance_free (balance);
  et_async_clear (&async);
}

PtEnv *
pt_env_new (void)
{
  PtEnv *env = g_new0 (PtEnv, 1);
  g_autofree char *url = NULL;
  g_autofree char *sql = NULL;

  env->book = et_book_new ();
  env->sim = et_sim_new ();
  relay_sim_set_numbers (env->sim, RELAY_SIM_NUMBERS_MIXED);
  env->core = et_core_new (env->book);
  relay_core_set_timeout_ms (env->core, 5000);
  url = relay_sim_dup_url (env->sim);
  env->provider_id = et_add_provider (env->core, "Demo provider", url);
  refresh_balance (env);

  map_service (env, PT_FOLLOWERS, "101", FALSE);
  map_service (env, PT_LIKES, "103", FALSE);
  map_service (env, PT_COMMENTS, "107", FALSE);
  map_service (env, PT_TIKTOK, "122", FALSE);
  map_service (env, PT_MANUAL, "121", TRUE);
  map_service (env, PT_BELOW_COST, "123", FALSE);
  /* The provider raised its rate after the mapping: now it sells below cost. */
  sql = g_strdup_printf ("UPDATE services SET price = 600000 WHERE id = %d", PT_BELOW_COST);
  et_sql (relay_core_get_store (env->core), sql);

  env->client_id = et_add_client (env->core, "Acme Agency");
  et_add_client (env->core, "Bright Media");
  return env;
}

void
pt_env_free (PtEnv *env)
{
  if (env == NULL)
    return;
  if (env->window != NULL)
    gtk_window_destroy (env->window);
  /* Let the widgets go before the core they hold. */
  pt_spin (50);
  g_clear_object (&env->core);
  g_clear_object (&env->sim);
  et_book_free (env->book);
  g_free (env);
}

static gboolean
is_drawn (gpointer data)
{
  guint *frames = data;

  return *frames >= 2;
}

static gboolean
count_frame (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  guint *frames = data;

  (*frames)++;
  return G_SOURCE_CONTINUE;
}

void
pt_env_show (PtEnv      *env,
             GtkWidget  *page,
             const char *title,
             int         width,
             int         height)
{
  GtkWidget *header = gtk_header_bar_new ();
  guint frames = 0;
  guint tick;

  env->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_title (env->window, title);
  gtk_window_set_titlebar (env->window, header);
  gtk_window_set_default_size (env->window, width, height);
  gtk_window_set_child (env->window, page);
  gtk_window_present (env->window);

  tick = gtk_widget_add_tick_callback (GTK_WIDGET (env->window), count_frame, &frames, NULL);
  pt_wait (is_drawn, &frames, 10000);
  gtk_widget_remove_tick_callback (GTK_WIDGET (env->window), tick);
  pt_spin (SETTLE_MS);
}

gpointer
pt_child (gpointer page, GType type, const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (page), type, name);

  g_assert_nonnull (child);
  return child;
}

void
pt_wait (gboolean (*cond) (gpointer), gpointer data, guint timeout_ms)
{
  et_wait_until (cond, data, timeout_ms);
}

void
pt_spin (guint ms)
{
  et_spin (ms);
}

static char *
save_native (GtkWidget *window, const char *name)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  char *path;
  int width, height;

  /* Let pending layout and drawing finish. */
  pt_spin (SETTLE_MS);
  width = gtk_widget_get_width (window);
  height = gtk_widget_get_height (window);
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  paintable = gtk_widget_paintable_new (window);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_nonnull (texture);

  path = g_test_build_filename (G_TEST_BUILT, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("picture: %s (%d × %d)", path, width, height);
  return path;
}

const char *
pt_label_text (gpointer label)
{
  g_assert_true (GTK_IS_LABEL (label));
  return gtk_label_get_label (GTK_LABEL (label));
}

char *
pt_save_png (GtkWidget *widget, const char *name)
{
  GtkRoot *root = gtk_widget_get_root (widget);

  g_assert_nonnull (root);
  return save_native (GTK_WIDGET (root), name);
}

char *
pt_save_popover_png (GtkWidget *popover, const char *name)
{
  g_assert_true (GTK_IS_POPOVER (popover));
  g_assert_true (gtk_widget_get_mapped (popover));
  return save_native (popover, name);
}
