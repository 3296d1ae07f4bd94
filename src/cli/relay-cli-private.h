/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the files of smm-relay-cli share: the run context, option parsing,
 * waiting for async results, error reporting and the output helpers. */
#pragma once

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "relay-core.h"
#include "relay-dispatcher.h"
#include "relay-sync.h"
#include "relay-error.h"
#include "relay-money.h"

G_BEGIN_DECLS

#define RELAY_CLI_NAME "smm-relay-cli"

/* Exit statuses (written down in `--help` and smm-relay-cli(1)). */
enum
{
  RELAY_CLI_EXIT_OK = 0,
  RELAY_CLI_EXIT_FAILED = 1,        /* some input or action was refused */
  RELAY_CLI_EXIT_USAGE = 2,         /* bad command line */
  RELAY_CLI_EXIT_UNREACHABLE = 3,   /* a provider could not be reached or gave no usable
                                     * answer (HTML page, 5xx, timeout, broken reply) */
  RELAY_CLI_EXIT_INTERRUPTED = 130, /* SIGINT/SIGTERM stopped the command before its end */
};

typedef struct _RelayCliCommand RelayCliCommand;

/* One run of the tool: what main() parsed and what the commands share. */
typedef struct
{
  const RelayCliCommand *command;   /* the command being run */
  char         *path;           /* its full name, "provider add" */
  char         *db_path;        /* --db, or NULL for $SMM_RELAY_DB / the default */
  RelayCore    *core;           /* opened by relay_cli_open() */
  GMainLoop    *loop;
  GAsyncResult *result;         /* set by relay_cli_async_ready() */
  gboolean      stderr_is_tty;
  gboolean      quit_requested; /* SIGINT or SIGTERM arrived */
  gboolean      watching;       /* a --watch loop, which a signal ends normally (exit 0) */
  guint         signal_ids[2];
  GCancellable *cancellable;    /* cancelled by a signal: for reads such as sync */
} RelayCli;

/* A command or a group of subcommands. */
struct _RelayCliCommand
{
  const char            *name;
  const char            *args;        /* the synopsis after the name, untranslated markup-free */
  const char            *summary;     /* N_() */
  /* @argv: a GStrv owned by the caller; argv[0] is the command. */
  int                  (*run)        (RelayCli *cli, char **argv);
  const RelayCliCommand *subcommands; /* NULL-name terminated, or NULL */
};

/* ---- smm-relay-cli.c ---- */

/* Opens the order book (once); on failure prints the error and returns NULL. */
RelayCore    *relay_cli_open          (RelayCli *cli);
/* The key store of "demo-keys" beside the book at @db_path, or NULL. */
RelayKeyStore *relay_cli_demo_keys_beside (const char *db_path);
/* A GAsyncReadyCallback with the RelayCli as user data. */
void          relay_cli_async_ready   (GObject *source, GAsyncResult *result, gpointer user_data);
/* Runs the main loop until relay_cli_async_ready() was called; returns the
 * result (owned). */
GAsyncResult *relay_cli_wait          (RelayCli *cli);
/* Runs the main loop for @seconds, or less when a SIGINT/SIGTERM arrives. */
void          relay_cli_sleep         (RelayCli *cli, guint seconds);
/* Installs (or removes) handlers for SIGINT and SIGTERM that set
 * quit_requested, stop the dispatcher and quit the loop. */
void          relay_cli_catch_signals (RelayCli *cli, gboolean catch);
/* Runs the dispatcher once; prints progress on stderr when it is a tty and
 * @progress is TRUE.  Returns a new report, NULL with @error on failure. */
/* Sends the orders @ids (@n_ids of them) or, when @n_ids is 0, every due
 * order, and waits for the outcome; Ctrl-C stops new sends. */
RelayDispatchReport *relay_cli_run_dispatcher (RelayCli *cli, const gint64 *ids, guint n_ids,
                                               gboolean progress, GError **error);

/* "smm-relay-cli: <message>" on stderr; returns RELAY_CLI_EXIT_FAILED, or for
 * relay_cli_fail_error() relay_cli_error_status (@error). */
int           relay_cli_fail          (const char *format, ...) G_GNUC_PRINTF (1, 2);
int           relay_cli_fail_error    (const GError *error);
/* The exit status for @error: RELAY_CLI_EXIT_UNREACHABLE when a provider was
 * not reached or gave no usable answer (RELAY_PROVIDER_ERROR_NOT_SENT: refused
 * connection, 429/403 page; RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME: an HTML page,
 * a 5xx, a timeout, a broken or unreadable reply), else RELAY_CLI_EXIT_FAILED
 * (the panel's own {"error": …}, our configuration, the book, bad input). */
int           relay_cli_error_status  (const GError *error);
/* The same plus a hint to the --help of the command; returns RELAY_CLI_EXIT_USAGE. */
int           relay_cli_usage         (RelayCli *cli, const char *format, ...) G_GNUC_PRINTF (2, 3);

/* Parses the options of the command into @entries (may be NULL) plus the
 * common --db and --help, removing them from @argv (a GStrv) so that only the
 * command and its positional arguments stay.  Then checks that there are
 * @min to @max positional arguments (@max -1 = any).  Returns -1 to go on,
 * else the exit status (help shown: 0; bad usage: 2). */
int           relay_cli_parse         (RelayCli           *cli,
                                       const GOptionEntry *entries,
                                       char              **argv,
                                       int                 min,
                                       int                 max);

/* ---- lookups and conversions shared by the commands ---- */
RelayProviderRow *relay_cli_find_provider (RelayCli *cli, const char *name, GError **error);
RelayClientRow   *relay_cli_find_client   (RelayCli *cli, const char *name, GError **error);
/* A positive whole number (an id, a quantity). */
gboolean      relay_cli_parse_id      (const char *text, gint64 *out);
/* Reads a whole UTF-8 file, or stdin for "-".  @what names it in errors
 * ("key file"); the message never contains @path, which may be a key typed
 * by mistake. */
char         *relay_cli_read_file     (const char *path, const char *what, gsize max_size,
                                       GError **error);
/* The same without the UTF-8 check, its length in @out_len (may be NULL):
 * for the mass-order files, whose parsers tell a line that is not UTF-8 by its
 * number and keep the others. */
char         *relay_cli_read_file_raw (const char *path, const char *what, gsize max_size,
                                       gsize *out_len, GError **error);
/* 'YYYY-MM-DD HH:MM' in local time, or ISO 8601 (local time when no zone). */
gboolean      relay_cli_parse_time    (const char *text, gint64 *out_unix);

/* ---- relay-cli-output.c ---- */

/* A table for people: columns aligned to the widest cell. */
typedef struct _RelayCliTable RelayCliTable;
RelayCliTable *relay_cli_table_new      (const char *first_heading, ...) G_GNUC_NULL_TERMINATED;
/* Marks column @column as right-aligned (numbers, money). */
void           relay_cli_table_align_right (RelayCliTable *table, guint column);
/* Prints no heading row (for label/value lists). */
void           relay_cli_table_hide_headings (RelayCliTable *table);
/* Appends a row of as many cells as there are headings (NULL = empty cell). */
void           relay_cli_table_add      (RelayCliTable *table, ...);
void           relay_cli_table_add_strv (RelayCliTable *table, const char * const *cells);
void           relay_cli_table_print    (RelayCliTable *table);
void           relay_cli_table_free     (RelayCliTable *table);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RelayCliTable, relay_cli_table_free)

/* Control characters (C0 other than a line break or a tab, DEL, C1) are
 * never written to a terminal as they are: a user's file could move the
 * cursor or recolour it.  @text with each shown escaped, "\x1b" or "\u009b"
 * (new string); every g_print() and g_printerr() goes through it, and table
 * cells before they are measured. */
char          *relay_cli_escape_controls (const char *text);
/* The first control character in @text, or NULL. */
const char    *relay_cli_find_control   (const char *text);
/* @text cut to @max characters with an ellipsis (new string). */
char          *relay_cli_shorten        (const char *text, guint max);
/* Unix seconds -> "2026-11-26T23:40:00Z" / "2026-11-27 00:40" (local); "" for 0. */
char          *relay_cli_format_utc     (gint64 unix_time);
char          *relay_cli_format_local   (gint64 unix_time);
/* The same with seconds, for histories. */
char          *relay_cli_format_local_seconds (gint64 unix_time);
/* Pretty-prints @node to stdout followed by a newline. */
void           relay_cli_print_json     (JsonNode *node);
/* Builder helpers: a member whose value is a string / money / time, or null. */
void           relay_cli_json_string    (JsonBuilder *builder, const char *name, const char *value);
void           relay_cli_json_int       (JsonBuilder *builder, const char *name, gboolean has_value,
                                         gint64 value);
void           relay_cli_json_money     (JsonBuilder *builder, const char *name, gboolean has_value,
                                         gint64 micro);
void           relay_cli_json_time      (JsonBuilder *builder, const char *name, gint64 unix_time);
/* One CSV record (RFC 4180: fields with a comma, quote or line break are
 * quoted, quotes doubled; CRLF at the end) on stdout. */
void           relay_cli_csv_row        (const char * const *fields, guint n_fields);

/* ---- the orders, shared by orders, order, mass-order and review ---- */
/* A JSON object of every column of @order. */
void           relay_cli_order_to_json  (JsonBuilder *builder, const RelayOrderRow *order);
/* The same columns (the first twenty) as CSV records. */
void           relay_cli_orders_csv_header (void);
void           relay_cli_order_to_csv   (const RelayOrderRow *order);
/* "order 12: sent to Demo provider as 23501", … ; returns whether the order
 * went (or waits for its time or an approval, which is what was asked).
 * @store (may be NULL) is read for the reason of a retry. */
gboolean       relay_cli_print_order_outcome (RelayStore *store, const RelayOrderRow *order);
/* Why an order waits or failed: its error, else the detail of its last event
 * (a retry records its reason only there).  New string. */
char          *relay_cli_dup_order_reason (RelayStore *store, const RelayOrderRow *order);

/* ---- relay-cli-providers.c ---- */
/* The ids of @provider_id's queued orders (those a balance read may send),
 * taken before the read for relay_cli_print_funds_change(). */
GArray        *relay_cli_list_queued        (RelayCli *cli, gint64 provider_id);
/* After a balance was read: says when the orders that waited for funds at
 * @before's provider went (how many of @queued, may be NULL, were sent and
 * how many need review or failed), and what still waits or is low. */
void           relay_cli_print_funds_change (RelayCli *cli, const RelayProviderRow *before,
                                             GArray *queued);

/* ---- the commands ---- */
extern const RelayCliCommand relay_cli_provider_commands[];
extern const RelayCliCommand relay_cli_services_commands[];
extern const RelayCliCommand relay_cli_service_commands[];
extern const RelayCliCommand relay_cli_client_commands[];
extern const RelayCliCommand relay_cli_order_commands[];
extern const RelayCliCommand relay_cli_review_commands[];
extern const RelayCliCommand relay_cli_demo_commands[];

int relay_cli_orders     (RelayCli *cli, char **argv);
int relay_cli_refill     (RelayCli *cli, char **argv);
int relay_cli_cancel     (RelayCli *cli, char **argv);
int relay_cli_mass_order (RelayCli *cli, char **argv);
int relay_cli_dispatch   (RelayCli *cli, char **argv);
int relay_cli_sync       (RelayCli *cli, char **argv);
int relay_cli_backup     (RelayCli *cli, char **argv);
int relay_cli_report     (RelayCli *cli, char **argv);
int relay_cli_price_changes (RelayCli *cli, char **argv);

G_END_DECLS
