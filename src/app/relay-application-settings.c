/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The settings of RelayApplication, found even when the schema is not
 * installed: a window run from the build tree must not abort. */
#include "config.h"

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>

#include "relay-application-private.h"

/* The schema as installed, or as GSETTINGS_SCHEMA_DIR points to. */
static GSettingsSchema *
lookup_installed (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();

  if (source == NULL)
    return NULL;
  return g_settings_schema_source_lookup (source, APP_ID, TRUE);
}

/* The schema compiled into the build tree this binary was built in. */
static GSettingsSchema *
lookup_build_tree (void)
{
  g_autofree char *compiled = g_build_filename (BUILD_SCHEMA_DIR, "gschemas.compiled", NULL);
  g_autoptr(GSettingsSchemaSource) source = NULL;

  if (!g_file_test (compiled, G_FILE_TEST_IS_REGULAR))
    return NULL;
  source = g_settings_schema_source_new_from_directory (BUILD_SCHEMA_DIR,
                                                        g_settings_schema_source_get_default (),
                                                        FALSE, NULL);
  if (source == NULL)
    return NULL;
  return g_settings_schema_source_lookup (source, APP_ID, FALSE);
}

/* Never aborts: the installed schema with the usual backend; else the
 * build tree's schema with the settings kept in memory for this run, and a
 * warning that says how to run it properly.  NULL only when neither is
 * there (the caller then has no settings). */
GSettings *
relay_application_settings_new (void)
{
  g_autoptr(GSettingsSchema) schema = lookup_installed ();
  g_autoptr(GSettingsBackend) memory = NULL;

  if (schema != NULL)
    return g_settings_new_full (schema, NULL, NULL);

  schema = lookup_build_tree ();
  g_warning ("The settings schema %s is not installed: preferences are kept in memory for "
             "this run only (install SMM Relay, or run it with `meson devenv -C BUILDDIR "
             "smm-relay`)", APP_ID);
  if (schema == NULL)
    return NULL;
  memory = g_memory_settings_backend_new ();
  return g_settings_new_full (schema, memory, NULL);
}
