/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The management pages the window shows: Services & mapping, Providers, Clients and Review. */
#pragma once

#include "relay-services-page.h"
#include "relay-providers-page.h"
#include "relay-clients-page.h"
#include "relay-review-page.h"

G_BEGIN_DECLS

/* Registers the page types (so a window template can name them) and the
 * library's resources.  Call from the window's class_init. */
void relay_manage_init (void);

G_END_DECLS
