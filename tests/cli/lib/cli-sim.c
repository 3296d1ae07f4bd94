/* SPDX-License-Identifier: GPL-3.0-or-later */
/* smm-relay-sim as a subprocess of a test. */
#include "cli-sim.h"
#include "cli-run.h"

#include <signal.h>
#include <string.h>

CliSim *
cli_sim_start (const char *first_option, ...)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) in = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  const char *program = g_getenv ("SMM_RELAY_SIM");
  const char *prefix = "listening on ";
  const char *path;
  CliSim *sim = g_new0 (CliSim, 1);
  va_list options;

  g_assert_nonnull (program);
  g_ptr_array_add (argv, (char *) program);
  g_ptr_array_add (argv, (char *) "--port");
  g_ptr_array_add (argv, (char *) "0");
  va_start (options, first_option);
  for (const char *option = first_option; option != NULL; option = va_arg (options, const char *))
    g_ptr_array_add (argv, (char *) option);
  va_end (options);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, cli_die_with_parent, NULL, NULL);
  sim->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                               &error);
  g_assert_no_error (error);
  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sim->process));
  line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, prefix));
  sim->url = g_strdup (line + strlen (prefix));
  g_assert_true (g_str_has_prefix (sim->url, "http://127.0.0.1:"));
  path = strstr (sim->url + strlen ("http://"), "/");
  g_assert_nonnull (path);
  sim->root = g_strndup (sim->url, path - sim->url);
  sim->session = soup_session_new ();
  g_test_message ("simulator at %s", sim->url);
  return sim;
}

void
cli_sim_stop (CliSim *sim)
{
  if (sim->process == NULL)
    return;
  g_subprocess_send_signal (sim->process, SIGTERM);
  g_subprocess_wait (sim->process, NULL, NULL);
  g_clear_object (&sim->process);
}

void
cli_sim_free (CliSim *sim)
{
  if (sim == NULL)
    return;
  cli_sim_stop (sim);
  g_clear_object (&sim->session);
  g_free (sim->url);
  g_free (sim->root);
  g_free (sim);
}

GBytes *
cli_sim_http (CliSim *sim, const char *method, const char *path, GHashTable *form)
{
  g_autofree char *url = g_strconcat (sim->root, path, NULL);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GError) error = NULL;
  GBytes *body;

  if (form != NULL)
    msg = soup_message_new_from_encoded_form (method, url, soup_form_encode_hash (form));
  else
    msg = soup_message_new (method, url);
  body = soup_session_send_and_read (sim->session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
  return body;
}

void
cli_sim_control (CliSim *sim, const char *name, const char *value)
{
  g_autoptr(GHashTable) form = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GBytes) body = NULL;

  g_hash_table_insert (form, (char *) name, (char *) value);
  body = cli_sim_http (sim, "POST", "/sim/control", form);
}
