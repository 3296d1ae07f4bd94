/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The provider simulator: a SoupServer on 127.0.0.1 that speaks API v2 the way
 * real panels do (numbers as strings or numbers, errors with HTTP 200), whose
 * orders progress over (simulated) time, and which injects faults on demand.
 * Used by the demo mode, the tests and the benches; also `smm-relay-sim`. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  RELAY_SIM_FAULT_NONE,
  RELAY_SIM_FAULT_TIMEOUT,      /* processed, then the reply is held far beyond any client timeout */
  RELAY_SIM_FAULT_HTML_BEFORE,  /* HTTP 502 HTML page; the request was not processed */
  RELAY_SIM_FAULT_HTML_AFTER,   /* processed (an `add` is recorded), then HTTP 502 HTML page */
  RELAY_SIM_FAULT_DROP_BEFORE,  /* connection closed without a reply; not processed */
  RELAY_SIM_FAULT_DROP_AFTER,   /* processed, then connection closed without a reply */
  RELAY_SIM_FAULT_ERROR_JSON,   /* {"error": "Incorrect request"} with HTTP 200; not processed */
  RELAY_SIM_FAULT_RATE_LIMIT,   /* HTTP 429 HTML page; not processed */
  RELAY_SIM_N_FAULTS
} RelaySimFault;

typedef enum
{
  RELAY_SIM_NUMBERS_MIXED,      /* each number randomly as a string or a number (default) */
  RELAY_SIM_NUMBERS_STRINGS,
  RELAY_SIM_NUMBERS_NUMBERS,
} RelaySimNumbers;

/* An order as the simulator holds it (for tests and /sim/orders). */
typedef struct
{
  gint64  id;
  char   *service_id;
  char   *link;
  gint64  quantity;
  char   *status;       /* "Pending", "In progress", "Completed", "Partial", "Canceled" */
  gint64  start_count;
  gint64  remains;
  gint64  charge;       /* micro-units */
  gint64  runs;
  gint64  interval;
} RelaySimOrder;

void relay_sim_order_free (RelaySimOrder *order);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelaySimOrder, relay_sim_order_free)

/* "timeout", "html_before", … <-> RelaySimFault; FALSE for unknown names. */
gboolean    relay_sim_fault_from_string (const char *name, RelaySimFault *out);
const char *relay_sim_fault_to_string   (RelaySimFault fault);

#define RELAY_TYPE_SIM (relay_sim_get_type ())
G_DECLARE_FINAL_TYPE (RelaySim, relay_sim, RELAY, SIM, GObject)

RelaySim *relay_sim_new (void);

/* Listens on 127.0.0.1:@port (0 = any free port) in the thread-default main
 * context.  Never binds anything but loopback. */
gboolean  relay_sim_listen   (RelaySim *self, guint port, GError **error);
/* "http://127.0.0.1:PORT/api/v2"; new string.  Valid after relay_sim_listen(). */
char     *relay_sim_dup_url  (RelaySim *self);
guint     relay_sim_get_port (RelaySim *self);

/* Default "demo-key".  Any other key gets {"error": "Invalid API key"}. */
void      relay_sim_set_api_key          (RelaySim *self, const char *key);
/* Random latency in [min_ms, max_ms] before every reply. Default 0. */
void      relay_sim_set_latency          (RelaySim *self, guint min_ms, guint max_ms);
/* Simulated seconds per real second for order progress. Default 1.0. */
void      relay_sim_set_speed            (RelaySim *self, double speed);
void      relay_sim_set_seed             (RelaySim *self, guint32 seed);
void      relay_sim_set_numbers          (RelaySim *self, RelaySimNumbers numbers);
/* Balance in micro-units, default 1000 USD.  Each `add` takes its charge;
 * an `add` that costs more gets "Not enough funds on balance". */
void      relay_sim_set_balance          (RelaySim *self, gint64 micro);
gint64    relay_sim_get_balance          (RelaySim *self);
/* Adds @micro (>= 0) to the balance, as a payment to the panel would; FALSE
 * (nothing changed) when the balance would leave the money limits. */
gboolean  relay_sim_top_up               (RelaySim *self, gint64 micro);
/* A disabled service answers `add` with "Service is disabled". */
void      relay_sim_set_service_disabled (RelaySim *self, const char *service_id, gboolean disabled);
/* Each request whose action is @action (NULL = any) suffers @fault with
 * @probability (0..1), drawn from the seeded generator. */
void      relay_sim_set_fault_rate       (RelaySim *self, const char *action, RelaySimFault fault,
                                          double probability);
/* The next @count requests whose action is @action (NULL = any) suffer @fault;
 * injected faults come before random ones. */
void      relay_sim_inject_fault         (RelaySim *self, const char *action, RelaySimFault fault,
                                          guint count);
/* The next @count requests whose action is @action (NULL = any) get @body
 * (any text, sent as JSON with HTTP 200) instead of the simulator's answer;
 * they are not processed.  For tests of hostile replies.  Before faults. */
void      relay_sim_inject_reply         (RelaySim *self, const char *action, const char *body,
                                          guint count);
/* Moves the simulated clock forward (orders progress as if time passed). */
void      relay_sim_advance              (RelaySim *self, double seconds);

/* Keeps the simulator's orders and balance in @path (created if missing) so a
 * demo survives restarts.  Call before relay_sim_listen(). */
gboolean  relay_sim_set_state_file       (RelaySim *self, const char *path, GError **error);

/* What the simulator accepted. */
guint      relay_sim_get_n_orders        (RelaySim *self);
/* GPtrArray of RelaySimOrder with their current progress. */
GPtrArray *relay_sim_dup_orders          (RelaySim *self);
/* How many accepted orders have @link (a duplicate check for tests). */
guint      relay_sim_count_orders_with_link (RelaySim *self, const char *link);
/* How many requests of @action (NULL = all) arrived (for batching tests). */
guint      relay_sim_get_n_requests      (RelaySim *self, const char *action);

/* Additions. */

/* When set, an `add` for a link that has a Pending or In progress order gets
 * "You have active order with this link. Please wait until order being
 * completed."  Off by default. */
void      relay_sim_set_reject_duplicate_links (RelaySim *self, gboolean reject);
/* Appends @n_extra generated Default services (ids from 1001) to the catalog,
 * for big-catalog benches.  Default 0. */
void      relay_sim_set_extra_services   (RelaySim *self, guint n_extra);
/* The simulated clock in seconds (real time × speed + relay_sim_advance()). */
double    relay_sim_get_clock            (RelaySim *self);

G_END_DECLS
