/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The GTest fixture of the tests that drive a private order book against an
 * in-process simulator, through the CLI (tests/cli) or the core. */
#pragma once

#include "engine-test-util.h"
#include "cli-run.h"

G_BEGIN_DECLS

/* My service et_fixture_open_core() maps to the simulator's 101 (Instagram
 * Followers, 50..10,000, a profile link). */
#define ET_FOLLOWERS 2

typedef struct
{
  EtBook     *book;
  RelaySim   *sim;          /* speed 0: its clock moves only when the test says so */
  char       *url;
  CliRunner  *cli;          /* smm-relay-cli on the book ($SMM_RELAY_DB, $SMM_RELAY_KEYS) */
  /* After et_fixture_open_core(): */
  RelayCore  *core;
  RelayStore *store;
  gint64      provider_id;
  gint64      client_id;
} EtFixture;

/* A book, a simulator on this thread's main context and a runner of the CLI
 * on them (LC_ALL=C.UTF-8, a run fails after ET_WAIT_MS). */
void    et_fixture_set_up           (EtFixture *f, gconstpointer data);
void    et_fixture_tear_down        (EtFixture *f, gconstpointer data);
/* `provider add Sim URL --key-file FILE` (key demo-key) through the CLI. */
void    et_fixture_add_provider_cli (EtFixture *f);
/* The simulator's seed, then a core on the book with the provider "Sim",
 * ET_FOLLOWERS mapped to its 101 and the client "Client". */
void    et_fixture_open_core        (EtFixture *f, guint seed);
/* et_fixture_set_up() and et_fixture_open_core() with the seed in @seed
 * (GUINT_TO_POINTER), the CLI in the plain C locale: the set-up of the
 * tests that drive the core. */
void    et_fixture_set_up_core      (EtFixture *f, gconstpointer seed);
/* Places @quantity of ET_FOLLOWERS for @link and sends it; returns its id. */
gint64  et_fixture_place_sent       (EtFixture *f, const char *link, gint64 quantity);

G_END_DECLS
