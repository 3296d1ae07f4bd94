/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Providers page under Xvfb: add through the dialog (the key is never readable back), test
 * the connection, edit keeping the key, a wrong key's error, removal refused while orders run. */
#include "config.h"

#include "manage-test-util.h"

#include <string.h>
#include "relay-manage.h"
#include "relay-provider-dialog.h"
#include "relay-file-key-store.h"
#include "engine-slow-keys.h"

#define PAGE_TYPE RELAY_TYPE_PROVIDERS_PAGE

/* ---- a key store that does not answer until the test lets it ---- */

#define TEST_TYPE_GATE_KEYS (test_gate_keys_get_type ())
G_DECLARE_FINAL_TYPE (TestGateKeys, test_gate_keys, TEST, GATE_KEYS, GObject)

struct _TestGateKeys
{
  GObject        parent_instance;
  RelayKeyStore *inner;
  GMutex         lock;
  GCond          opened;
  gboolean       open;       /* under lock: stores go through */
  char          *last_ref;   /* under lock: the ref of the last key stored */
  gint           n_stores;   /* atomic, as n_removes */
  gint           n_removes;
};

static void gate_keys_iface_init (RelayKeyStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestGateKeys, test_gate_keys, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (RELAY_TYPE_KEY_STORE, gate_keys_iface_init))

/* A store waits (a keyring prompting unseen) until test_gate_keys_open(). */
static gboolean
gate_store (RelayKeyStore *store, const char *ref, const char *name, const char *key,
            GError **error)
{
  TestGateKeys *self = TEST_GATE_KEYS (store);

  g_mutex_lock (&self->lock);
  while (!self->open)
    g_cond_wait (&self->opened, &self->lock);
  g_free (self->last_ref);
  self->last_ref = g_strdup (ref);
  g_mutex_unlock (&self->lock);
  g_atomic_int_inc (&self->n_stores);
  return relay_key_store_store_named (self->inner, ref, name, key, error);
}

static char *
gate_lookup (RelayKeyStore *store, const char *ref, GError **error)
{
  return relay_key_store_lookup (TEST_GATE_KEYS (store)->inner, ref, error);
}

static gboolean
gate_remove (RelayKeyStore *store, const char *ref, GError **error)
{
  TestGateKeys *self = TEST_GATE_KEYS (store);
  gboolean removed = relay_key_store_remove (self->inner, ref, error);

  g_atomic_int_inc (&self->n_removes);
  return removed;
}

static const char *
gate_get_kind (RelayKeyStore *store)
{
  return "keyring";
}

static char *
gate_dup_description (RelayKeyStore *store)
{
  return g_strdup ("silent test keyring");
}

static void
gate_keys_iface_init (RelayKeyStoreInterface *iface)
{
  iface->store = gate_store;
  iface->lookup = gate_lookup;
  iface->remove = gate_remove;
  iface->get_kind = gate_get_kind;
  iface->dup_description = gate_dup_description;
}

static void
test_gate_keys_finalize (GObject *object)
{
  TestGateKeys *self = TEST_GATE_KEYS (object);

  g_clear_object (&self->inner);
  g_free (self->last_ref);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->opened);
  G_OBJECT_CLASS (test_gate_keys_parent_class)->finalize (object);
}

static void
test_gate_keys_class_init (TestGateKeysClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_gate_keys_finalize;
}

static void
test_gate_keys_init (TestGateKeys *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->opened);
}

static void
test_gate_keys_open (TestGateKeys *self)
{
  g_mutex_lock (&self->lock);
  self->open = TRUE;
  g_cond_broadcast (&self->opened);
  g_mutex_unlock (&self->lock);
}

static char *
test_gate_keys_dup_last_ref (TestGateKeys *self)
{
  char *ref;

  g_mutex_lock (&self->lock);
  ref = g_strdup (self->last_ref);
  g_mutex_unlock (&self->lock);
  return ref;
}

static GtkWidget *
child (MtFixture *f, const char *name)
{
  return mt_child (f->page, PAGE_TYPE, name);
}

static GtkSingleSelection *
selection (MtFixture *f)
{
  return mt_object (f->page, PAGE_TYPE, "selection");
}

static gboolean
stack_shows_list (gpointer data)
{
  MtFixture *f = data;

  return g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (child (f, "stack"))), "list") == 0;
}

static gboolean
not_busy (gpointer data)
{
  MtFixture *f = data;

  return !gtk_widget_get_visible (child (f, "spinner"));
}

static const char *
status_text (MtFixture *f)
{
  return gtk_label_get_label (GTK_LABEL (child (f, "status_label")));
}

static void
show_page (MtFixture *f)
{
  mt_show_page (f, relay_providers_page_new (f->core));
}

/* Fills and saves the provider dialog the page opened. */
static void
fill_dialog (const char *name, const char *url, const char *key)
{
  GtkWidget *dialog = mt_wait_window (RELAY_TYPE_PROVIDER_DIALOG);

  if (name != NULL)
    mt_set_text (mt_child (dialog, RELAY_TYPE_PROVIDER_DIALOG, "name_entry"), name);
  if (url != NULL)
    mt_set_text (mt_child (dialog, RELAY_TYPE_PROVIDER_DIALOG, "url_entry"), url);
  if (key != NULL)
    mt_set_text (mt_child (dialog, RELAY_TYPE_PROVIDER_DIALOG, "key_entry"), key);
  mt_click (mt_child (dialog, RELAY_TYPE_PROVIDER_DIALOG, "save_button"));
}

static gboolean
no_dialog (gpointer data)
{
  return mt_find_window (RELAY_TYPE_PROVIDER_DIALOG) == NULL;
}

static gboolean
dialog_shows_error (gpointer data)
{
  GtkWidget *dialog = mt_find_window (RELAY_TYPE_PROVIDER_DIALOG);

  /* A name in use: said under the name field (issue 3). */
  return dialog != NULL &&
         gtk_widget_is_visible (mt_child (dialog, RELAY_TYPE_PROVIDER_DIALOG, "name_error_label"));
}

static void
test_empty_state (MtFixture *f, gconstpointer data)
{
  show_page (f);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child (f, "stack"))), ==, "empty");
  g_assert_true (gtk_widget_is_visible (child (f, "empty_add_button")));
  g_assert_true (mt_tree_has_text (f->page, "No Provider Yet"));
  /* Issue 8: the empty state is a libadwaita status page. */
  g_assert_true (mt_has_status_page (f->page, "No Provider Yet"));
  g_assert_true (mt_tree_has_text (f->page, "try the demo provider"));
  g_free (mt_save_png (GTK_WIDGET (f->window), "providers-empty.png"));
}

static void
test_add_test_edit (MtFixture *f, gconstpointer data)
{
  GtkWidget *dialog;
  GtkWidget *key_entry;
  g_autoptr(GPtrArray) providers = NULL;
  RelayProviderRow *row;

  show_page (f);
  mt_click (child (f, "empty_add_button"));
  fill_dialog ("Demo panel", f->sim_url, "demo-key");
  mt_wait_until (no_dialog, NULL, 0);
  mt_wait_until (stack_shows_list, f, 0);
  g_assert_cmpuint (mt_view_n_items (child (f, "provider_view")), ==, 1);
  g_assert_nonnull (mt_last_message (f));

  /* Adding tests the connection at once. */
  mt_wait_until (not_busy, f, 0);
  g_assert_nonnull (strstr (status_text (f), "1,000.00 USD"));
  g_assert_true (gtk_widget_has_css_class (child (f, "status_label"), "success"));
  /* Issue 8: one message per event — the answer under the toolbar, not a toast too. */
  for (guint i = 0; i < f->messages->len; i++)
    g_assert_null (strstr (g_ptr_array_index (f->messages, i), "1,000.00 USD"));
  /* The key is in the key store only: no widget anywhere shows it. */
  g_assert_false (mt_any_window_has_text ("demo-key"));

  /* Test connection, pressed. */
  gtk_label_set_label (GTK_LABEL (child (f, "status_label")), "");
  mt_click (child (f, "test_button"));
  mt_wait_until (not_busy, f, 0);
  g_test_message ("status: %s", status_text (f));
  g_assert_nonnull (strstr (status_text (f), "answers: balance 1,000.00 USD"));
  mt_wait_tree_text (child (f, "provider_view"), "1,000.00 USD");

  /* Edit: the key field is empty and says so; saving it empty keeps the key. */
  mt_click (child (f, "edit_button"));
  dialog = mt_wait_window (RELAY_TYPE_PROVIDER_DIALOG);
  key_entry = mt_child (dialog, RELAY_TYPE_PROVIDER_DIALOG, "key_entry");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (key_entry)), ==, "");
  g_assert_true (mt_tree_has_text (dialog, "Leave the field empty to keep it"));
  g_assert_false (mt_any_window_has_text ("demo-key"));
  fill_dialog ("Main panel", NULL, NULL);
  mt_wait_until (no_dialog, NULL, 0);
  mt_wait_until (not_busy, f, 0);
  providers = relay_store_list_providers (f->store, NULL);
  g_assert_cmpuint (providers->len, ==, 1);
  row = g_ptr_array_index (providers, 0);
  g_assert_cmpstr (row->name, ==, "Main panel");
  /* The kept key still works. */
  g_assert_nonnull (strstr (status_text (f), "Main panel answers"));
  g_assert_false (mt_any_window_has_text ("demo-key"));
}

static void
test_wrong_key (MtFixture *f, gconstpointer data)
{
  show_page (f);
  mt_click (child (f, "empty_add_button"));
  fill_dialog ("Stale panel", f->sim_url, "not-the-key");
  mt_wait_until (no_dialog, NULL, 0);
  mt_wait_until (stack_shows_list, f, 0);
  mt_wait_until (not_busy, f, 0);
  g_assert_nonnull (strstr (status_text (f), "Invalid API key"));
  g_assert_true (gtk_widget_has_css_class (child (f, "status_label"), "error"));
  /* The Last error column says it too. */
  mt_wait_tree_text (child (f, "provider_view"), "Invalid API key");
}

static void
test_invalid_dialog_input (MtFixture *f, gconstpointer data)
{
  GtkWidget *dialog;

  mt_add_provider (f, "Taken");
  show_page (f);
  mt_click (child (f, "add_button"));
  fill_dialog ("Taken", f->sim_url, "demo-key");
  /* The core refused: the dialog stays with the reason. */
  mt_wait_until (dialog_shows_error, NULL, 0);
  dialog = mt_find_window (RELAY_TYPE_PROVIDER_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_widget_is_visible (mt_child (dialog, RELAY_TYPE_PROVIDER_DIALOG,
                                                  "name_error_label")));
  g_assert_true (mt_tree_has_text (dialog, "already exists"));
  /* Issue 8, defect 10: the URL is checked live, at its field, in the order
   * form's words; Add stays off meanwhile. */
  {
    GtkWidget *url = mt_child (dialog, RELAY_TYPE_PROVIDER_DIALOG, "url_entry");
    GtkWidget *url_error = mt_child (dialog, RELAY_TYPE_PROVIDER_DIALOG, "url_error_label");
    GtkWidget *save = mt_child (dialog, RELAY_TYPE_PROVIDER_DIALOG, "save_button");

    mt_set_text (mt_child (dialog, RELAY_TYPE_PROVIDER_DIALOG, "name_entry"), "Plain");
    mt_set_text (url, "panel.example.com/api/v2");
    g_assert_true (gtk_widget_is_visible (url_error));
    g_assert_true (mt_tree_has_text (url_error, "write it with https:// in front"));
    g_assert_true (gtk_widget_has_css_class (url, "error"));
    g_assert_false (gtk_widget_get_sensitive (save));
    mt_set_text (url, "http://panel.example.com/api/v2");
    g_assert_true (gtk_widget_is_visible (url_error));
    g_assert_true (mt_tree_has_text (url_error, "https://"));
    g_assert_false (gtk_widget_get_sensitive (save));
    mt_set_text (url, "https://panel.example.com/api/v2");
    g_assert_false (gtk_widget_is_visible (url_error));
    g_assert_false (gtk_widget_has_css_class (url, "error"));
    g_assert_true (gtk_widget_get_sensitive (save));
  }
  g_assert_nonnull (mt_find_window (RELAY_TYPE_PROVIDER_DIALOG));
  gtk_window_close (GTK_WINDOW (dialog));
  mt_wait_until (no_dialog, NULL, 0);
  g_assert_cmpuint (mt_view_n_items (child (f, "provider_view")), ==, 1);
}

static void
answer_message_dialog (int response)
{
  GtkWidget *dialog = mt_wait_window (GTK_TYPE_MESSAGE_DIALOG);

  gtk_dialog_response (GTK_DIALOG (dialog), response);
}

static gboolean
provider_count_is (MtFixture *f, guint n)
{
  return mt_view_n_items (child (f, "provider_view")) == n;
}

static gboolean
one_provider (gpointer data)
{
  return provider_count_is (data, 1);
}

static gboolean
idle_panel_removed_said (gpointer data)
{
  const char *message = mt_last_message (data);

  return message != NULL && strstr (message, "B idle panel removed") != NULL;
}

static gboolean
stack_shows_empty (gpointer data)
{
  MtFixture *f = data;

  return g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (child (f, "stack"))), "empty") == 0;
}

static void
test_remove (MtFixture *f, gconstpointer data)
{
  gint64 busy = mt_add_provider (f, "A busy panel");
  gint64 order_id;
  g_autoptr(RelayOrderRow) order = NULL;

  mt_add_provider (f, "B idle panel");
  mt_sync_services (f, busy);
  mt_map (f, 1, busy, "103", 200000, FALSE);
  order_id = mt_place (f, 1, 0, "https://www.instagram.com/p/RemoveMe/", 100);
  mt_dispatch (f);
  order = mt_order (f, order_id);
  g_assert_cmpint (order->status, ==, RELAY_ORDER_PENDING);

  show_page (f);
  g_assert_cmpuint (mt_view_n_items (child (f, "provider_view")), ==, 2);

  /* The busy one (first, by name): the core refuses and the page says why. */
  gtk_single_selection_set_selected (selection (f), 0);
  mt_click (child (f, "remove_button"));
  answer_message_dialog (GTK_RESPONSE_ACCEPT);
  mt_spin (50);
  g_assert_true (gtk_widget_has_css_class (child (f, "status_label"), "error"));
  g_assert_nonnull (strstr (status_text (f), "Could not remove A busy panel"));
  g_assert_cmpuint (mt_view_n_items (child (f, "provider_view")), ==, 2);

  /* Cancel keeps it. */
  gtk_single_selection_set_selected (selection (f), 1);
  mt_click (child (f, "remove_button"));
  answer_message_dialog (GTK_RESPONSE_CANCEL);
  mt_spin (50);
  g_assert_cmpuint (mt_view_n_items (child (f, "provider_view")), ==, 2);

  /* The idle one goes. */
  mt_click (child (f, "remove_button"));
  answer_message_dialog (GTK_RESPONSE_ACCEPT);
  mt_wait_until (one_provider, f, 0);
  /* Said once its key is gone too (on a worker). */
  mt_wait_until (idle_panel_removed_said, f, 0);

  /* Once the order is done, the busy one can go too; then the page is empty. */
  relay_sim_advance (f->sim, 30 * 24 * 3600.0);
  mt_sync_orders (f);
  g_clear_pointer (&order, relay_order_row_free);
  order = mt_order (f, order_id);
  g_assert_true (relay_order_status_is_final (order->status));
  /* It still has my service: refused again, with the core's reason. */
  gtk_single_selection_set_selected (selection (f), 0);
  mt_click (child (f, "remove_button"));
  answer_message_dialog (GTK_RESPONSE_ACCEPT);
  mt_spin (50);
  g_assert_nonnull (strstr (status_text (f), "mapped to provider"));
  g_assert_true (relay_store_remove_service (f->store, 1, NULL));
  gtk_single_selection_set_selected (selection (f), 0);
  mt_click (child (f, "remove_button"));
  answer_message_dialog (GTK_RESPONSE_ACCEPT);
  mt_wait_until (stack_shows_empty, f, 0);
}

/* A keyring that takes its time (started by the bus, or asking for a
 * password): Save returns at once, the dialog says it is saving and cannot
 * be edited, saved twice or closed half-way, and closes once the key is
 * kept — never a key-store call on the main thread. */
static void
test_save_waits_for_keyring (MtFixture *f, gconstpointer data)
{
  g_autofree char *keys_path = g_build_filename (f->dir, "slow-keys", NULL);
  g_autofree char *db = g_build_filename (f->dir, "orders.db", NULL);
  g_autoptr(EtSlowKeys) keys = et_slow_keys_new (relay_file_key_store_new (keys_path), 600);
  g_autoptr(RelayCore) core = NULL;
  g_autoptr(RelayProviderRow) row = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *dialog, *save;
  gint64 t0, click_ms;

  core = relay_core_new (db, RELAY_KEY_STORE (keys), &error);
  g_assert_no_error (error);
  show_page (f);
  dialog = GTK_WIDGET (relay_provider_dialog_new (core, 0, f->window));
  gtk_window_present (GTK_WINDOW (dialog));
  mt_set_text (mt_child (dialog, RELAY_TYPE_PROVIDER_DIALOG, "name_entry"), "Slow keyring panel");
  mt_set_text (mt_child (dialog, RELAY_TYPE_PROVIDER_DIALOG, "url_entry"), f->sim_url);
  mt_set_text (mt_child (dialog, RELAY_TYPE_PROVIDER_DIALOG, "key_entry"), "demo-key");
  save = mt_child (dialog, RELAY_TYPE_PROVIDER_DIALOG, "save_button");

  t0 = g_get_monotonic_time ();
  mt_click (save);
  click_ms = (g_get_monotonic_time () - t0) / 1000;
  g_test_message ("Save returned after %" G_GINT64_FORMAT " ms (a key-store call: 600 ms)", click_ms);
  g_assert_cmpint (click_ms, <, 300);
  g_assert_false (gtk_widget_get_sensitive (save));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (save)), ==, "Saving…");
  g_assert_false (gtk_widget_is_sensitive (mt_child (dialog, RELAY_TYPE_PROVIDER_DIALOG, "name_entry")));
  g_assert_false (gtk_widget_is_sensitive (mt_child (dialog, RELAY_TYPE_PROVIDER_DIALOG, "key_entry")));
  g_assert_false (gtk_widget_get_sensitive (mt_child (dialog, RELAY_TYPE_PROVIDER_DIALOG, "cancel_button")));
  /* Enter (the default widget) while saving starts no second save. */
  gtk_widget_activate_action (dialog, "default.activate", NULL);
  gtk_window_close (GTK_WINDOW (dialog));
  mt_spin (50);
  g_assert_nonnull (mt_find_window (RELAY_TYPE_PROVIDER_DIALOG));

  mt_wait_until (no_dialog, NULL, 5000);
  g_assert_cmpint (g_atomic_int_get (&keys->n_stores), ==, 1);
  g_assert_cmpint (g_atomic_int_get (&keys->n_on_main_thread), ==, 0);
  row = relay_store_find_provider (f->store, "Slow keyring panel", NULL);
  g_assert_nonnull (row);
}

static GtkWidget *
dialog_child (GtkWidget *dialog, const char *name)
{
  return mt_child (dialog, RELAY_TYPE_PROVIDER_DIALOG, name);
}

static gboolean
wait_shown (gpointer data)
{
  return gtk_widget_get_visible (dialog_child (data, "wait_box"));
}

static gboolean
wait_hidden (gpointer data)
{
  return !gtk_widget_get_visible (dialog_child (data, "wait_box"));
}

static gboolean
key_removed (gpointer data)
{
  return g_atomic_int_get (&TEST_GATE_KEYS (data)->n_removes) > 0;
}

/* Issue 1: a key store that never answers.  After the dialog's patience it
 * says so and offers Keep Waiting or Give Up; given up, nothing is saved —
 * no provider in the book, and the key the key store keeps when it answers
 * at last is removed again. */
static void
test_keyring_not_answering (MtFixture *f, gconstpointer data)
{
  g_autofree char *keys_path = g_build_filename (f->dir, "gate-keys", NULL);
  g_autofree char *db = g_build_filename (f->dir, "orders.db", NULL);
  g_autoptr(TestGateKeys) keys = g_object_new (TEST_TYPE_GATE_KEYS, NULL);
  g_autoptr(RelayCore) core = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RelayProviderRow) row = NULL;
  g_autofree char *ref = NULL;
  g_autofree char *kept = NULL;
  GtkWidget *dialog, *save, *wait_box;
  gint64 t0, waited_ms;

  keys->inner = relay_file_key_store_new (keys_path);
  core = relay_core_new (db, RELAY_KEY_STORE (keys), &error);
  g_assert_no_error (error);
  show_page (f);
  dialog = GTK_WIDGET (relay_provider_dialog_new (core, 0, f->window));
  g_object_set (dialog, "patience-ms", 300u, NULL);
  gtk_window_present (GTK_WINDOW (dialog));
  mt_set_text (dialog_child (dialog, "name_entry"), "Silent keyring panel");
  mt_set_text (dialog_child (dialog, "url_entry"), f->sim_url);
  mt_set_text (dialog_child (dialog, "key_entry"), "demo-key");
  save = dialog_child (dialog, "save_button");
  wait_box = dialog_child (dialog, "wait_box");

  t0 = g_get_monotonic_time ();
  mt_click (save);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (save)), ==, "Saving…");
  g_assert_false (gtk_widget_get_visible (wait_box));
  mt_wait_until (wait_shown, dialog, 5000);
  waited_ms = (g_get_monotonic_time () - t0) / 1000;
  g_test_message ("the dialog asked after %" G_GINT64_FORMAT " ms (patience 300 ms)", waited_ms);
  g_assert_cmpint (waited_ms, >=, 290);
  g_assert_true (mt_tree_has_text (wait_box, "not answering"));
  /* The way out is sensitive while the form still waits. */
  g_assert_true (gtk_widget_is_sensitive (dialog_child (dialog, "keep_waiting_button")));
  g_assert_true (gtk_widget_is_sensitive (dialog_child (dialog, "give_up_button")));
  g_assert_true (gtk_widget_has_focus (dialog_child (dialog, "keep_waiting_button")));
  g_assert_false (gtk_widget_is_sensitive (dialog_child (dialog, "name_entry")));
  g_free (mt_save_png (dialog, "provider-dialog-keyring-wait.png"));

  /* Keep Waiting: the question goes, and comes back while it still waits. */
  mt_click (dialog_child (dialog, "keep_waiting_button"));
  g_assert_false (gtk_widget_get_visible (wait_box));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (save)), ==, "Saving…");
  mt_wait_until (wait_shown, dialog, 5000);

  /* Give Up: the form is back, says nothing was saved, and can be left. */
  mt_click (dialog_child (dialog, "give_up_button"));
  mt_wait_until (wait_hidden, dialog, 0);
  g_assert_true (gtk_widget_is_sensitive (dialog_child (dialog, "name_entry")));
  g_assert_true (gtk_widget_get_sensitive (dialog_child (dialog, "cancel_button")));
  g_assert_true (gtk_widget_get_sensitive (save));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (save)), ==, "_Add");
  g_assert_true (mt_tree_has_text (dialog, "Not saved"));
  row = relay_store_find_provider (relay_core_get_store (core), "Silent keyring panel", NULL);
  g_assert_null (row);

  /* The key store answers at last: the key it kept is removed again, and
   * the book never gets the provider. */
  test_gate_keys_open (keys);
  mt_wait_until (key_removed, keys, 5000);
  mt_spin (100);
  g_assert_cmpint (g_atomic_int_get (&keys->n_stores), ==, 1);
  ref = test_gate_keys_dup_last_ref (keys);
  g_assert_nonnull (ref);
  kept = relay_key_store_lookup (keys->inner, ref, NULL);
  g_assert_null (kept);
  row = relay_store_find_provider (relay_core_get_store (core), "Silent keyring panel", NULL);
  g_assert_null (row);
  g_assert_nonnull (mt_find_window (RELAY_TYPE_PROVIDER_DIALOG));

  /* Tried again, with the key store answering: added. */
  mt_click (save);
  mt_wait_until (no_dialog, NULL, 5000);
  row = relay_store_find_provider (relay_core_get_store (core), "Silent keyring panel", NULL);
  g_assert_nonnull (row);
  kept = relay_key_store_lookup (keys->inner, row->key_ref, NULL);
  g_assert_cmpstr (kept, ==, "demo-key");
}

/* What Enter does in the focused field: GtkText's ::activate, which
 * activates the window's default widget (Add). */
static void
press_enter (GtkWidget *dialog)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (dialog));

  g_assert_true (GTK_IS_TEXT (focus));
  g_signal_emit_by_name (focus, "activate");
}

static gboolean
provider_added (gpointer data)
{
  MtFixture *f = data;
  g_autoptr(RelayProviderRow) row = relay_store_find_provider (f->store, "Quick panel", NULL);

  return row != NULL;
}

/* Issue 2: Enter, then Escape at once.  GTK clicks a button activated from
 * the keyboard 250 ms later; the Escape in between closed the dialog with
 * nothing added.  The save starts with the Enter, and Escape waits for it. */
static void
test_enter_then_escape (MtFixture *f, gconstpointer data)
{
  GtkWidget *dialog, *key_entry;

  show_page (f);
  mt_click (child (f, "add_button"));
  dialog = mt_wait_window (RELAY_TYPE_PROVIDER_DIALOG);
  mt_set_text (dialog_child (dialog, "name_entry"), "Quick panel");
  mt_set_text (dialog_child (dialog, "url_entry"), f->sim_url);
  key_entry = dialog_child (dialog, "key_entry");
  mt_set_text (key_entry, "demo-key");
  gtk_widget_grab_focus (key_entry);
  mt_spin (20);

  /* Enter in the key field (activates the default widget, Add), then the
   * Escape key's action, in the same moment. */
  press_enter (dialog);
  gtk_widget_activate_action (dialog, "window.close", NULL);

  mt_wait_until (no_dialog, NULL, 5000);
  mt_wait_until (provider_added, f, 5000);
  mt_spin (300);
  mt_wait_until (one_provider, f, 0);
  g_assert_nonnull (strstr (mt_last_message (f), "Quick panel added"));
}

static gboolean
widget_has_focus_within (GtkWidget *widget)
{
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (widget));

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

static gboolean
name_error_shown (gpointer data)
{
  return gtk_widget_get_visible (dialog_child (data, "name_error_label"));
}

/* Issue 3: a name in use is the name field's fault: the error shows under
 * it and the focus goes there, not back to the key field Enter was in. */
static void
test_name_refusal_focus (MtFixture *f, gconstpointer data)
{
  GtkWidget *dialog, *name, *key_entry;

  mt_add_provider (f, "Taken");
  show_page (f);
  mt_click (child (f, "add_button"));
  dialog = mt_wait_window (RELAY_TYPE_PROVIDER_DIALOG);
  name = dialog_child (dialog, "name_entry");
  mt_set_text (name, "Taken");
  mt_set_text (dialog_child (dialog, "url_entry"), f->sim_url);
  key_entry = dialog_child (dialog, "key_entry");
  mt_set_text (key_entry, "demo-key");
  gtk_widget_grab_focus (key_entry);
  mt_spin (20);
  g_assert_true (widget_has_focus_within (key_entry));

  press_enter (dialog);
  mt_wait_until (name_error_shown, dialog, 5000);
  /* The click GTK makes 250 ms after Enter starts no second save. */
  mt_spin (400);
  g_assert_true (widget_has_focus_within (name));
  g_assert_true (gtk_widget_has_css_class (name, "error"));
  g_assert_true (mt_tree_has_text (dialog_child (dialog, "name_error_label"), "already exists"));
  g_assert_false (gtk_widget_get_visible (dialog_child (dialog, "error_label")));
  g_free (mt_save_png (dialog, "provider-dialog-name-taken.png"));

  /* A new name clears it, and adds. */
  mt_set_text (name, "Free name");
  g_assert_false (gtk_widget_get_visible (dialog_child (dialog, "name_error_label")));
  g_assert_false (gtk_widget_has_css_class (name, "error"));
  mt_click (dialog_child (dialog, "save_button"));
  mt_wait_until (no_dialog, NULL, 5000);
  g_assert_cmpuint (mt_view_n_items (child (f, "provider_view")), ==, 2);
}

static void
test_screenshot (MtFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  gint64 broken;

  mt_add_provider (f, "Demo provider");
  broken = relay_core_add_provider (f->core, "Backup panel", f->sim_url, "expired-key", &error);
  g_assert_no_error (error);
  relay_core_add_provider (f->core, "New panel", "https://panel.example.com/api/v2", "key", &error);
  g_assert_no_error (error);

  show_page (f);
  mt_click (child (f, "refresh_button"));
  mt_wait_until (not_busy, f, 0);
  /* The last test: the working one, selected. */
  gtk_single_selection_set_selected (selection (f), 1);
  mt_click (child (f, "test_button"));
  mt_wait_until (not_busy, f, 0);
  mt_wait_tree_text (child (f, "provider_view"), "Invalid API key");
  g_assert_true (broken > 0);
  path = mt_save_png (GTK_WIDGET (f->window), "providers.png");
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
}

int
main (int argc, char **argv)
{
  mt_init (&argc, &argv);
  relay_manage_init ();

  g_test_add ("/manage/providers/empty-state", MtFixture, NULL,
              mt_fixture_setup, test_empty_state, mt_fixture_teardown);
  g_test_add ("/manage/providers/add-test-edit", MtFixture, NULL,
              mt_fixture_setup, test_add_test_edit, mt_fixture_teardown);
  g_test_add ("/manage/providers/wrong-key", MtFixture, NULL,
              mt_fixture_setup, test_wrong_key, mt_fixture_teardown);
  g_test_add ("/manage/providers/dialog-refusals", MtFixture, NULL,
              mt_fixture_setup, test_invalid_dialog_input, mt_fixture_teardown);
  g_test_add ("/manage/providers/remove", MtFixture, NULL,
              mt_fixture_setup, test_remove, mt_fixture_teardown);
  g_test_add ("/manage/providers/save-waits-for-keyring", MtFixture, NULL,
              mt_fixture_setup, test_save_waits_for_keyring, mt_fixture_teardown);
  g_test_add ("/manage/providers/keyring-not-answering", MtFixture, NULL,
              mt_fixture_setup, test_keyring_not_answering, mt_fixture_teardown);
  g_test_add ("/manage/providers/enter-then-escape", MtFixture, NULL,
              mt_fixture_setup, test_enter_then_escape, mt_fixture_teardown);
  g_test_add ("/manage/providers/name-refusal-focus", MtFixture, NULL,
              mt_fixture_setup, test_name_refusal_focus, mt_fixture_teardown);
  g_test_add ("/manage/providers/screenshot", MtFixture, NULL,
              mt_fixture_setup, test_screenshot, mt_fixture_teardown);
  return g_test_run ();
}
