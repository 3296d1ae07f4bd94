/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayApplication: the AdwApplication.  It holds the core (the order book and
 * everything that talks to providers), the demo provider in demo mode, the
 * settings, the refresh timer and the application actions. */
#pragma once

#include <adwaita.h>

#include "relay-core.h"

G_BEGIN_DECLS

#define RELAY_TYPE_APPLICATION (relay_application_get_type ())
G_DECLARE_FINAL_TYPE (RelayApplication, relay_application, RELAY, APPLICATION, AdwApplication)

RelayApplication *relay_application_new          (void);

/* Which book to open, instead of the command line (tests): @demo opens the demo
 * book and starts the demo provider; @db_path overrides the book's path; in
 * demo mode @demo_dir (may be NULL) holds the demo book, its keys and the
 * simulator's state.  Call before the application is registered. */
void              relay_application_set_book     (RelayApplication *self,
                                                  gboolean          demo,
                                                  const char       *db_path,
                                                  const char       *demo_dir);

/* NULL before start-up or when the book could not be opened. */
RelayCore        *relay_application_get_core     (RelayApplication *self);
/* The settings: the installed schema's, or, when the schema is not
 * installed (an uninstalled build run without `meson devenv`), the build
 * tree's schema or none, kept in memory with a warning. */
GSettings        *relay_application_get_settings (RelayApplication *self);
gboolean          relay_application_get_demo     (RelayApplication *self);
/* TRUE once the book is open and, in demo mode, the demo is prepared. */
gboolean          relay_application_get_ready    (RelayApplication *self);
/* Whether a status refresh or a dispatch run is going on. */
gboolean          relay_application_get_syncing  (RelayApplication *self);
/* "updated 12 s ago", ticking every second. */
const char       *relay_application_get_updated_text (RelayApplication *self);
/* The URL of the in-process demo provider, or NULL. */
const char       *relay_application_get_sim_url  (RelayApplication *self);

/* Runs a status refresh of the active orders and sends the due orders now. */
void              relay_application_refresh      (RelayApplication *self);
/* Closes the book and opens the demo book in this process, with new windows. */
void              relay_application_switch_to_demo (RelayApplication *self);

G_END_DECLS
