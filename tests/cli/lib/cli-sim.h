/* SPDX-License-Identifier: GPL-3.0-or-later */
/* smm-relay-sim as a subprocess of a test, on 127.0.0.1 at a free port. */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct
{
  GSubprocess *process;
  char        *url;       /* http://127.0.0.1:PORT/api/v2 */
  char        *root;      /* http://127.0.0.1:PORT */
  SoupSession *session;   /* for cli_sim_http() */
} CliSim;

/* Starts $SMM_RELAY_SIM --port 0 followed by @first_option … (NULL-terminated)
 * and reads the URL it listens on.  It dies with the test. */
CliSim    *cli_sim_start          (const char *first_option, ...) G_GNUC_NULL_TERMINATED;
/* Stops it (SIGTERM, then waits); again is a no-op. */
void       cli_sim_stop           (CliSim *sim);
void       cli_sim_free           (CliSim *sim);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CliSim, cli_sim_free)

/* @method @path (below the root) with @form (or none); fails the test unless
 * the answer is 200, and returns its body. */
GBytes    *cli_sim_http           (CliSim *sim, const char *method, const char *path,
                                   GHashTable *form);
/* POST /sim/control @name=@value. */
void       cli_sim_control        (CliSim *sim, const char *name, const char *value);

G_END_DECLS
