/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A private order book against an in-process simulator, for the tests that
 * drive it through the CLI or the core. */
#include "engine-test-fixture.h"

void
et_fixture_set_up (EtFixture *f, gconstpointer data)
{
  f->book = et_book_new ();
  f->sim = et_sim_new ();
  relay_sim_set_speed (f->sim, 0);
  f->url = relay_sim_dup_url (f->sim);
  f->cli = cli_runner_new ();
  cli_runner_setenv (f->cli, "SMM_RELAY_DB", f->book->db_path);
  cli_runner_setenv (f->cli, "SMM_RELAY_KEYS", f->book->keys_path);
  cli_runner_setenv (f->cli, "LC_ALL", "C.UTF-8");
  /* The simulator answers from this thread: a run waits on it at most this long. */
  cli_runner_set_timeout (f->cli, ET_WAIT_MS);
}

void
et_fixture_tear_down (EtFixture *f, gconstpointer data)
{
  g_clear_object (&f->core);
  g_clear_object (&f->sim);
  g_clear_pointer (&f->url, g_free);
  g_clear_pointer (&f->cli, cli_runner_free);
  g_clear_pointer (&f->book, et_book_free);
}

void
et_fixture_add_provider_cli (EtFixture *f)
{
  g_auto(CliRun) add = { 0 };
  g_autofree char *key_file = g_build_filename (f->book->dir, "key.txt", NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (key_file, "demo-key\n", -1, &error);
  g_assert_no_error (error);
  cli_run (f->cli, &add, NULL, "provider", "add", "Sim", f->url, "--key-file", key_file);
  g_assert_cmpint (add.status, ==, 0);
}

void
et_fixture_open_core (EtFixture *f, guint seed)
{
  relay_sim_set_seed (f->sim, seed);
  f->core = et_core_new (f->book);
  f->store = relay_core_get_store (f->core);
  f->provider_id = et_add_provider (f->core, "Sim", f->url);
  et_map (f->core, ET_FOLLOWERS, f->provider_id, "101", 0, NULL, FALSE);
  f->client_id = et_add_client (f->core, "Client");
}

void
et_fixture_set_up_core (EtFixture *f, gconstpointer seed)
{
  et_fixture_set_up (f, seed);
  et_fixture_open_core (f, GPOINTER_TO_UINT (seed));
  cli_runner_setenv (f->cli, "LC_ALL", "C");
}

gint64
et_fixture_place_sent (EtFixture *f, const char *link, gint64 quantity)
{
  gint64 id = et_place (f->core, ET_FOLLOWERS, f->client_id, link, quantity);
  RelayDispatchReport report = et_dispatch (f->core);
  g_autoptr(RelayOrderRow) order = et_order (f->core, id);

  g_assert_cmpuint (report.n_sent, ==, 1);
  g_assert_cmpint (order->status, ==, RELAY_ORDER_PENDING);
  g_assert_nonnull (order->provider_order_id);
  return id;
}
