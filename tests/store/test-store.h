/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fixtures shared by the order book's tests: a small book with two
 * providers, their catalogs, my services and clients, and signal counters. */
#pragma once

#include <sqlite3.h>

#include "relay-store.h"
#include "relay-error.h"
#include "relay-money.h"
#include "relay-provider-types.h"

G_BEGIN_DECLS

/* My services in the book. */
#define SERVICE_PLAIN   10  /* 0.5 per 1,000 on provider A "1" (0.27819), fallback A "2" */
#define SERVICE_MANUAL  11  /* 1.23457 per 1,000 on provider A "1", manual */
#define SERVICE_OTHER   12  /* 2.0 per 1,000 on provider B "9" (1.10001) */

typedef struct
{
  RelayStore *store;
  char       *tmp_dir;      /* set when the book is a file */
  gint64      provider_a;
  gint64      provider_b;
  gint64      catalog_a1;   /* rate 0.27819 */
  gint64      catalog_a2;   /* rate 0.3 */
  gint64      catalog_b9;   /* rate 1.10001 */
  gint64      client_1;
  gint64      client_2;

  /* Signals seen since the last book_reset_signals(). */
  guint       n_orders_changed;
  GArray     *orders_changed_ids;
  guint       n_catalog_changed;
  guint       n_clients_changed;
  guint       n_commits;    /* from sqlite3_commit_hook */
} Book;

void        book_setup          (Book *book, gconstpointer data);
void        book_setup_file     (Book *book, gconstpointer data);
void        book_teardown       (Book *book, gconstpointer data);
void        book_reset_signals  (Book *book);

/* Records one order and returns its id (asserts success). */
gint64      book_order          (Book *book, gint64 service_id, gint64 client_id, const char *link,
                                 gint64 quantity, gint64 runs, gint64 scheduled_at);
/* queued -> sending -> pending with @provider_order_id, on the service's primary. */
void        book_send           (Book *book, gint64 order_id, const char *provider_order_id);
RelayOrderRow *book_get         (Book *book, gint64 order_id);
/* A single integer from raw SQL with up to one integer parameter. */
gint64      book_sql_int        (Book *book, const char *sql, gint64 arg);
/* The sum of the ledger for one order, and its number of entries of @kind. */
gint64      book_ledger_sum     (Book *book, gint64 order_id);
gint64      book_ledger_count   (Book *book, gint64 order_id, const char *kind);
gboolean    book_ids_contain    (GArray *ids, gint64 id);
/* count_by_status (kept by triggers) equals COUNT(*) per status. */
void        book_check_counts   (Book *book);

RelayProviderService *make_provider_service (const char *service_id, const char *name,
                                             const char *type, const char *rate,
                                             gint64 min, gint64 max);
void                  test_provider_service_free (RelayProviderService *self);
RelayStatusUpdate     status_update (gint64 order_id, const char *word, gboolean has_remains,
                                     gint64 remains);

void add_schema_tests  (void);
void add_catalog_tests (void);
void add_orders_tests  (void);
void add_sync_tests    (void);
void add_money_tests   (void);
void add_list_tests    (void);
void add_durability_tests (void);
void add_senders_tests (void);
void add_watch_tests   (void);

G_END_DECLS
