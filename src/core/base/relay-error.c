/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Error domains shared by every part of the core. */
#include "relay-error.h"

G_DEFINE_QUARK (relay-provider-error-quark, relay_provider_error)
G_DEFINE_QUARK (relay-store-error-quark, relay_store_error)
G_DEFINE_QUARK (relay-input-error-quark, relay_input_error)
