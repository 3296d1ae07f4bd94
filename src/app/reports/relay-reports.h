/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Reports page, its charts and the provider check dialog. */
#pragma once

#include "relay-reports-page.h"
#include "relay-check-dialog.h"

G_BEGIN_DECLS

/* Registers the types (so a window template can name them), the library's
 * resources and its style sheet.  Call from the window's class_init. */
void relay_reports_init (void);

G_END_DECLS
