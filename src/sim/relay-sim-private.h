/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the files of the simulator share: its instance struct, the catalog,
 * the order model, the JSON writer and the persistence hooks. */
#pragma once

#include <libsoup/soup.h>
#include <sqlite3.h>

#include "relay-sim.h"

G_BEGIN_DECLS

#define RELAY_SIM_DEFAULT_KEY      "demo-key"
#define RELAY_SIM_DEFAULT_SEED     42
#define RELAY_SIM_DEFAULT_BALANCE  (G_GINT64_CONSTANT (1000) * 1000000)
#define RELAY_SIM_MAX_IDS          100
#define RELAY_SIM_CURRENCY         "USD"

/* The service types of provider-api.md. */
typedef enum
{
  RELAY_SIM_TYPE_DEFAULT,
  RELAY_SIM_TYPE_PACKAGE,
  RELAY_SIM_TYPE_CUSTOM_COMMENTS,
  RELAY_SIM_TYPE_CUSTOM_COMMENTS_PACKAGE,
  RELAY_SIM_TYPE_MENTIONS_CUSTOM_LIST,
  RELAY_SIM_TYPE_MENTIONS_WITH_HASHTAGS,
  RELAY_SIM_TYPE_MENTIONS_HASHTAG,
  RELAY_SIM_TYPE_MENTIONS_USER_FOLLOWERS,
  RELAY_SIM_TYPE_MENTIONS_MEDIA_LIKERS,
  RELAY_SIM_TYPE_COMMENT_LIKES,
  RELAY_SIM_TYPE_POLL,
  RELAY_SIM_TYPE_SUBSCRIPTIONS,
  RELAY_SIM_N_TYPES
} RelaySimServiceType;

typedef enum
{
  RELAY_SIM_SERVICE_REFILL   = 1 << 0,
  RELAY_SIM_SERVICE_CANCEL   = 1 << 1,
  RELAY_SIM_SERVICE_DRIPFEED = 1 << 2,
} RelaySimServiceFlags;

/* How a service writes its refill/cancel/dripfeed flags in `services`. */
typedef enum
{
  RELAY_SIM_FLAGS_BOOLEANS,     /* true / false */
  RELAY_SIM_FLAGS_INTEGERS,     /* 1 / 0 */
  RELAY_SIM_FLAGS_SPARSE,       /* true when set, left out when not */
} RelaySimFlagStyle;

typedef struct
{
  char                *id;         /* "101" */
  char                *name;
  RelaySimServiceType  type;
  char                *category;
  char                *rate_text;  /* per 1,000 as the panel writes it: "0.27819" */
  gint64               rate;       /* the same in micro-units */
  gint64               min;        /* for packages min == max == the package size */
  gint64               max;
  RelaySimServiceFlags flags;
  RelaySimFlagStyle    flag_style;
  gboolean             id_as_string;
  char                *average_time;  /* an extra field a few panels add; may be NULL */
} RelaySimService;

const char *relay_sim_service_type_to_string (RelaySimServiceType type);
void        relay_sim_service_free           (RelaySimService *service);
/* The built-in catalog (≥ 36 services, every type) plus @n_extra generated
 * Default services; GPtrArray of RelaySimService, owned by the caller. */
GPtrArray  *relay_sim_catalog_new            (guint n_extra);

/* Where an order is on its way. */
typedef enum
{
  RELAY_SIM_STATE_PENDING,
  RELAY_SIM_STATE_IN_PROGRESS,
  RELAY_SIM_STATE_COMPLETED,
  RELAY_SIM_STATE_PARTIAL,
  RELAY_SIM_STATE_CANCELED,
} RelaySimState;

/* How an order will end, decided when it is accepted. */
typedef enum
{
  RELAY_SIM_OUTCOME_COMPLETED,
  RELAY_SIM_OUTCOME_PARTIAL,
  RELAY_SIM_OUTCOME_CANCELED,
} RelaySimOutcome;

/* Spelling of the status words, decided per order. */
enum
{
  RELAY_SIM_VARIANT_IN_PROGRESS_CAPITAL = 1 << 0,  /* "In Progress" */
  RELAY_SIM_VARIANT_CANCELLED           = 1 << 1,  /* "Cancelled" */
  RELAY_SIM_VARIANT_START_COUNT_EMPTY   = 1 << 2,  /* "" rather than 0 before start */
};

typedef struct
{
  gint64          id;
  char           *service_id;
  char           *link;
  gint64          quantity;       /* as ordered (per run when drip-fed) */
  gint64          runs;           /* 0 unless drip-fed */
  gint64          interval;       /* minutes between runs */
  gint64          total;          /* units to deliver: quantity × runs */
  gint64          rate;           /* micro-units per 1,000 when ordered */
  gint64          price;          /* what `add` took from the balance */
  double          created;        /* simulated seconds */
  double          pending;        /* seconds as Pending */
  double          duration;       /* seconds from start to a full delivery */
  gint64          start_count;
  RelaySimOutcome outcome;
  gint64          stop_delivered; /* for a Partial outcome: delivered when it stops */
  gboolean        canceled_by_user;
  double          canceled_at;
  gint64          canceled_delivered;
  gboolean        settled;        /* its refund, if any, is back on the balance */
  guint           variant;
  GSequenceIter  *settle_iter;    /* in RelaySim.unsettled while a refund is due */
} RelaySimOrderRec;

typedef struct
{
  RelaySimState state;
  gint64        delivered;
  gint64        remains;
  gint64        charge;
} RelaySimProgress;

void     relay_sim_order_rec_free      (RelaySimOrderRec *rec);
/* The simulated time at which @rec ends by itself. */
double   relay_sim_order_rec_end_time  (const RelaySimOrderRec *rec);
void     relay_sim_order_rec_progress  (const RelaySimOrderRec *rec,
                                        double                  now,
                                        RelaySimProgress       *out);
/* Whether delivery began by @now, so that a start count is known. */
gboolean relay_sim_order_rec_started   (const RelaySimOrderRec *rec,
                                        double                  now);
const char *relay_sim_state_to_string  (RelaySimState state);
/* The word this order's panel uses for @state. */
const char *relay_sim_state_to_word    (RelaySimState state,
                                        guint         variant);

typedef enum
{
  RELAY_SIM_REFILL_PENDING,
  RELAY_SIM_REFILL_IN_PROGRESS,
  RELAY_SIM_REFILL_COMPLETED,
  RELAY_SIM_REFILL_REJECTED,
} RelaySimRefillState;

typedef struct
{
  gint64   id;
  gint64   order_id;
  double   created;
  double   pending;
  double   duration;
  gboolean rejected;
} RelaySimRefill;

RelaySimRefillState relay_sim_refill_state          (const RelaySimRefill *refill,
                                                     double                now);
const char         *relay_sim_refill_state_to_word  (RelaySimRefillState   state);

/* Faults picked by rule. */
typedef struct
{
  char         *action;  /* NULL = any */
  char         *body;    /* an injected reply (RelaySim.replies), else NULL */
  RelaySimFault fault;
  double        probability;
  guint         count;
} RelaySimFaultRule;

struct _RelaySim
{
  GObject          parent_instance;

  GMainContext    *context;
  SoupServer      *server;
  guint            port;
  GList           *held;          /* RelaySimHeld: replies waiting for their time */

  char            *api_key;
  guint            latency_min;
  guint            latency_max;
  double           speed;
  guint32          seed;
  GRand           *rand;          /* replies, latency and faults */
  RelaySimNumbers  numbers;
  gboolean         reject_duplicate_links;

  /* The clock: now = clock_base + (monotonic - clock_anchor) × speed. */
  double           clock_base;
  gint64           clock_anchor;

  GPtrArray       *services;      /* RelaySimService */
  GHashTable      *services_by_id;
  GHashTable      *disabled;      /* service id -> itself */

  gint64           balance;
  gint64           next_order_id;
  GPtrArray       *orders;        /* RelaySimOrderRec, by id */
  GHashTable      *orders_by_id;  /* gint64* -> rec */
  GHashTable      *links;         /* link -> GPtrArray of rec */
  GSequence       *unsettled;     /* rec ordered by end time */
  gint64           next_refill_id;
  GPtrArray       *refills;
  GHashTable      *refills_by_id;

  GPtrArray       *injected;      /* RelaySimFaultRule with a count */
  GPtrArray       *replies;       /* RelaySimFaultRule with a body and a count */
  GPtrArray       *fault_rates;   /* RelaySimFaultRule with a probability */
  GHashTable      *requests;      /* action -> count */
  guint            n_requests;

  char            *state_path;
  sqlite3         *db;
  GHashTable      *dirty_orders;  /* rec set */
  GHashTable      *dirty_refills; /* refill set */
  gboolean         dirty_meta;
  GSource         *flush_source;
};

/* relay-sim.c */
double             relay_sim_now            (RelaySim *self);
/* Puts refunds of orders that ended by @now back on the balance. */
void               relay_sim_settle         (RelaySim *self);
RelaySimService   *relay_sim_lookup_service (RelaySim *self, const char *id);
RelaySimOrderRec  *relay_sim_lookup_order   (RelaySim *self, gint64 id);
RelaySimRefill    *relay_sim_lookup_refill  (RelaySim *self, gint64 id);
gboolean           relay_sim_has_active_order_with_link (RelaySim *self, const char *link);
RelaySimOrderRec  *relay_sim_add_order      (RelaySim         *self,
                                             RelaySimService  *service,
                                             const char       *link,
                                             gint64            quantity,
                                             gint64            runs,
                                             gint64            interval,
                                             gint64            total,
                                             gint64            price);
/* Cancels an active order: freezes what was delivered, refunds the rest. */
void               relay_sim_cancel_order   (RelaySim *self, RelaySimOrderRec *rec);
RelaySimRefill    *relay_sim_add_refill     (RelaySim *self, RelaySimOrderRec *rec);
RelaySimFault      relay_sim_pick_fault     (RelaySim *self, const char *action);
/* The injected reply for the next request of @action, or NULL.  New string. */
char              *relay_sim_pick_reply     (RelaySim *self, const char *action);
void               relay_sim_count_request  (RelaySim *self, const char *action);
RelaySimOrder     *relay_sim_order_from_rec (RelaySim *self, const RelaySimOrderRec *rec);
void               relay_sim_mark_order_dirty  (RelaySim *self, RelaySimOrderRec *rec);
void               relay_sim_mark_refill_dirty (RelaySim *self, RelaySimRefill *refill);
void               relay_sim_mark_meta_dirty   (RelaySim *self);
/* Adds @rec (taking it) to the indexes; used by creation and loading. */
void               relay_sim_insert_order   (RelaySim *self, RelaySimOrderRec *rec);
void               relay_sim_insert_refill  (RelaySim *self, RelaySimRefill *refill);
void               relay_sim_clear_records  (RelaySim *self);

/* relay-sim-json.c: a small writer that writes numbers the way the panel is
 * set to (strings, numbers or a mix) and money exactly. */
typedef struct
{
  GString         *str;
  RelaySimNumbers  numbers;
  GRand           *rand;
  guint            depth;
  guint64          has_items;  /* bit per depth: a comma is due */
  gboolean         after_key;
} RelaySimJson;

void  relay_sim_json_init         (RelaySimJson *json, RelaySimNumbers numbers, GRand *rand);
char *relay_sim_json_steal        (RelaySimJson *json);
void  relay_sim_json_clear        (RelaySimJson *json);
void  relay_sim_json_begin_object (RelaySimJson *json);
void  relay_sim_json_end_object   (RelaySimJson *json);
void  relay_sim_json_begin_array  (RelaySimJson *json);
void  relay_sim_json_end_array    (RelaySimJson *json);
void  relay_sim_json_key          (RelaySimJson *json, const char *key);
void  relay_sim_json_string       (RelaySimJson *json, const char *value);
/* A number, written as a string or a number as the setting says. */
void  relay_sim_json_int          (RelaySimJson *json, gint64 value);
/* Always a JSON number. */
void  relay_sim_json_int_number   (RelaySimJson *json, gint64 value);
/* Micro-units as "0.27819" (or 0.27819 as a number, as the setting says). */
void  relay_sim_json_money        (RelaySimJson *json, gint64 micro);
/* A string that holds a decimal (a rate): quoted, or bare when numbers are numbers. */
void  relay_sim_json_decimal_text (RelaySimJson *json, const char *text);
void  relay_sim_json_boolean      (RelaySimJson *json, gboolean value);
void  relay_sim_json_null         (RelaySimJson *json);
/* {"error": @message} as the whole document. */
char *relay_sim_json_error        (const char *message);

/* relay-sim-api.c */
typedef struct
{
  guint       status;
  const char *content_type;
  char       *body;
  gboolean    drop;         /* close the connection instead of replying */
  guint       delay_ms;     /* counted from arrived_at */
  gint64      arrived_at;   /* monotonic µs the request arrived at (0: when it is held) */
} RelaySimReply;

void relay_sim_reply_clear (RelaySimReply *reply);
/* Runs one API request (form fields already merged) and fills @reply. */
void relay_sim_api_process (RelaySim *self, GHashTable *form, RelaySimReply *reply);
/* The orders as /sim/orders shows them. */
char *relay_sim_api_orders_json (RelaySim *self);
char *relay_sim_api_stats_json  (RelaySim *self);

/* relay-sim-server.c */
gboolean relay_sim_server_start (RelaySim *self, guint port, GError **error);
void     relay_sim_server_stop  (RelaySim *self);

/* relay-sim-state.c */
gboolean relay_sim_state_open  (RelaySim *self, const char *path, GError **error);
/* Writes what changed since the last flush; FALSE (and a warning) on failure. */
gboolean relay_sim_state_flush (RelaySim *self);
void     relay_sim_state_close (RelaySim *self);
void     relay_sim_state_schedule_flush (RelaySim *self);

G_END_DECLS
