/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Error domains shared by every part of the core. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Failures of a request to a provider.  The code is the *class* of the failure,
 * which is what decides whether a request may be retried. */
#define RELAY_PROVIDER_ERROR (relay_provider_error_quark ())
typedef enum
{
  /* The request provably never reached the provider (connection refused, DNS,
   * TLS handshake, proxy refused before forwarding, rate limited): safe to retry. */
  RELAY_PROVIDER_ERROR_NOT_SENT,
  /* The provider definitely said no ({"error": …}); the message is its words. */
  RELAY_PROVIDER_ERROR_REJECTED,
  /* The request may have been processed (timeout after sending, connection dropped
   * mid-reply, unreadable or HTML reply): never retry blindly. */
  RELAY_PROVIDER_ERROR_UNKNOWN_OUTCOME,
  /* Our own configuration is wrong (URL not https, no key): nothing was sent. */
  RELAY_PROVIDER_ERROR_CONFIG,
} RelayProviderError;

/* Failures of the order book. */
#define RELAY_STORE_ERROR (relay_store_error_quark ())
typedef enum
{
  RELAY_STORE_ERROR_FAILED,     /* SQLite said no; message has its words */
  RELAY_STORE_ERROR_NOT_FOUND,  /* no such provider / service / client / order */
  RELAY_STORE_ERROR_EXISTS,     /* a unique name is taken */
  RELAY_STORE_ERROR_STATE,      /* the row is not in a state that allows this */
  RELAY_STORE_ERROR_VERSION,    /* the file was written by a newer SMM Relay */
} RelayStoreError;

/* Bad input from a person: money, quantities, links, mass-order lines. */
#define RELAY_INPUT_ERROR (relay_input_error_quark ())
typedef enum
{
  RELAY_INPUT_ERROR_INVALID,
  RELAY_INPUT_ERROR_RANGE,
  RELAY_INPUT_ERROR_UNKNOWN_SERVICE,
  RELAY_INPUT_ERROR_LINK,
  RELAY_INPUT_ERROR_BELOW_COST,
} RelayInputError;

GQuark relay_provider_error_quark (void);
GQuark relay_store_error_quark    (void);
GQuark relay_input_error_quark    (void);

G_END_DECLS
