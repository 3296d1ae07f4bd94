/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the files of the management pages share: resources, style, formatters and small helpers. */
#pragma once

#include <gtk/gtk.h>

#include "relay-core.h"

#include "relay-format.h"

G_BEGIN_DECLS

#define RELAY_MANAGE_RESOURCE_PATH "/io/github/smmrelay/SmmRelay/manage/"

/* Makes sure the library's GResource is linked in and registered, and loads
 * its style sheet for the default display once.  Call from class_init. */
void      relay_manage_ensure_resources   (void);

/* My price against the provider's rate, both per 1,000: "0.30 USD · 25 %"
 * (the share of the price that is mine); "−0.40 USD" when below cost.  New string. */
char     *relay_manage_format_margin      (gint64 price, gint64 rate, const char *currency);

/* The stripped text of @editable; NULL when it is empty.  New string. */
char     *relay_manage_dup_text           (GtkEditable *editable);

/* Shows @text in @label (hidden when NULL or empty) and marks @field (may
 * be NULL) as invalid with the "error" style and its accessible state. */
void      relay_manage_show_error         (GtkWidget  *field,
                                           GtkLabel   *label,
                                           const char *text);

/* The currency every provider of @store quotes in, when they agree; else
 * NULL.  My prices and what clients owe are in that currency.  New string. */
char     *relay_manage_dup_book_currency  (RelayStore *store);

/* The window @widget is in, for dialogs; NULL when it is not in one. */
GtkWindow *relay_manage_get_window        (GtkWidget *widget);

typedef void (*RelayManageConfirmFunc) (GtkWidget *owner, gpointer user_data);

/* Asks with a modal GtkMessageDialog over @owner's window and calls @func
 * (with @owner) only when the person presses @accept_label.  @destructive
 * styles that button as such.  Returns the dialog (borrowed; it destroys
 * itself when answered). */
GtkWidget *relay_manage_confirm           (GtkWidget              *owner,
                                           const char             *text,
                                           const char             *secondary_text,
                                           const char             *accept_label,
                                           gboolean                destructive,
                                           RelayManageConfirmFunc  func,
                                           gpointer                user_data,
                                           GDestroyNotify          destroy_data);

G_END_DECLS
