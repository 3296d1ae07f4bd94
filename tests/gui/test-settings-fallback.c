/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window's settings when the schema is not installed (a build run
 * without `meson devenv`): a warning and settings in memory, not an abort. */
#include "config.h"

#include <glib/gstdio.h>
#include <adwaita.h>

#include "relay-application.h"

static guint n_schema_warnings;

static GLogWriterOutput
writer (GLogLevelFlags   level,
        const GLogField *fields,
        gsize            n_fields,
        gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_strcmp0 (fields[i].key, "MESSAGE") == 0 && fields[i].length < 0 &&
        (level & G_LOG_LEVEL_WARNING) != 0 &&
        strstr (fields[i].value, "is not installed") != NULL)
      n_schema_warnings++;
  if ((level & (G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO)) != 0)
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_standard_streams (level, fields, n_fields, user_data);
}

static void
test_fallback (void)
{
  g_autoptr(RelayApplication) app = relay_application_new ();
  g_autoptr(GError) error = NULL;
  GSettings *settings;

  /* Registering runs startup, which reads the settings; no window is made. */
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  {
    GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
    g_autoptr(GSettingsSchema) installed =
      source != NULL ? g_settings_schema_source_lookup (source, APP_ID, TRUE) : NULL;

    if (installed != NULL)
      {
        g_test_skip ("SMM Relay's schema is installed on this machine");
        return;
      }
  }
  settings = relay_application_get_settings (app);
  g_assert_nonnull (settings);
  g_assert_cmpuint (n_schema_warnings, ==, 1);

  /* They work for this run. */
  g_assert_cmpuint (g_settings_get_uint (settings, "refresh-interval"), ==, 30);
  g_settings_set_uint (settings, "refresh-interval", 45);
  g_assert_cmpuint (g_settings_get_uint (settings, "refresh-interval"), ==, 45);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *empty = g_dir_make_tmp ("smm-relay-noschema-XXXXXX", &error);
  int result;

  g_assert_no_error (error);
  /* Not in GSETTINGS_SCHEMA_DIR nor the user's data dir; the system's data
   * dir holds the desktop's schemas (libadwaita reads them) but not ours,
   * as on a machine where SMM Relay was built and not installed. */
  g_setenv ("GSETTINGS_SCHEMA_DIR", empty, TRUE);
  g_setenv ("XDG_DATA_DIRS", "/usr/share", TRUE);
  g_setenv ("XDG_DATA_HOME", empty, TRUE);
  g_unsetenv ("GSETTINGS_BACKEND");
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/smm-relay-test", TRUE);
  g_log_set_writer_func (writer, NULL, NULL);

  g_test_init (&argc, &argv, NULL);
  /* The warning is expected: not fatal here. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_test_add_func ("/settings/fallback", test_fallback);
  result = g_test_run ();
  g_rmdir (empty);
  return result;
}
