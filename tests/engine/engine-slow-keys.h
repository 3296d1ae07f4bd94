/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A key store that takes its time in every call (a keyring the bus has to
 * start, or one that prompts), in front of a real one, and counts the calls
 * made on the thread that made it (the main loop's, in the tests). */
#pragma once

#include "relay-key-store.h"

G_BEGIN_DECLS

#define ET_TYPE_SLOW_KEYS (et_slow_keys_get_type ())
G_DECLARE_FINAL_TYPE (EtSlowKeys, et_slow_keys, ET, SLOW_KEYS, GObject)

struct _EtSlowKeys
{
  GObject        parent_instance;
  RelayKeyStore *inner;
  GThread       *main_thread;
  guint          slow_ms;
  gint           n_lookups;          /* atomic, as the three below */
  gint           n_stores;
  gint           n_removes;
  gint           n_on_main_thread;   /* calls of any kind on the main thread */
};

/* Each store, lookup and remove sleeps @slow_ms, then asks @inner. */
EtSlowKeys *et_slow_keys_new (RelayKeyStore *inner, guint slow_ms);

G_END_DECLS
