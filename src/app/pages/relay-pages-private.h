/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the files of the pages library share: its resources and style, and small text formatters. */
#pragma once

#include <gtk/gtk.h>

#include "relay-format.h"

G_BEGIN_DECLS

#define RELAY_PAGES_RESOURCE_PATH "/io/github/smmrelay/SmmRelay/pages/"

/* Makes sure the library's GResource is linked in and registered, and loads
 * its style sheet for the default display once.  Call from class_init. */
void  relay_pages_ensure_resources (void);

/* Puts @error_text under a field: shows @label with the text (or hides it
 * when NULL) and adds / removes the "error" style on @field. */
void  relay_pages_show_field_error (GtkWidget  *field,
                                    GtkLabel   *label,
                                    const char *error_text);


/* GTK 4.8's drop-down search matches only the start of the item's string
 * (search-match-mode arrives in 4.12): makes @drop_down's search match
 * anywhere in it.  Call after each gtk_drop_down_set_model(). */
void  relay_pages_drop_down_search_anywhere (GtkDropDown *drop_down);

/* The whole text of @view's buffer.  New string. */
char *relay_pages_dup_text_view    (GtkTextView *view);

G_END_DECLS
