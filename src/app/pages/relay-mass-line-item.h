/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayMassLineItem: one line of a mass order as the preview shows it, and what became of it. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  RELAY_MASS_LINE_READY,    /* good; will go when submitted */
  RELAY_MASS_LINE_BAD,      /* has an error; stays in the text for fixing */
  RELAY_MASS_LINE_QUEUED,   /* recorded as a queued order, not sent yet */
  RELAY_MASS_LINE_SENT,     /* the provider took it */
  RELAY_MASS_LINE_FAILED,   /* the provider refused it */
  RELAY_MASS_LINE_REVIEW,   /* unknown outcome: a person has to look */
  RELAY_MASS_LINE_RETRY,    /* never left; queued again for later */
} RelayMassLineState;

GType relay_mass_line_state_get_type (void) G_GNUC_CONST;
#define RELAY_TYPE_MASS_LINE_STATE (relay_mass_line_state_get_type ())

#define RELAY_TYPE_MASS_LINE_ITEM (relay_mass_line_item_get_type ())
G_DECLARE_FINAL_TYPE (RelayMassLineItem, relay_mass_line_item, RELAY, MASS_LINE_ITEM, GObject)

/* @error NULL for a good line.  Copies every string. */
RelayMassLineItem  *relay_mass_line_item_new             (guint               line_number,
                                                          const char         *text,
                                                          const char         *service_name,
                                                          const char         *link,
                                                          gint64              quantity,
                                                          const char         *charge_text,
                                                          const char         *error);
guint               relay_mass_line_item_get_line_number (RelayMassLineItem  *self);
const char         *relay_mass_line_item_get_text        (RelayMassLineItem  *self);
const char         *relay_mass_line_item_get_service_name (RelayMassLineItem *self);
const char         *relay_mass_line_item_get_link        (RelayMassLineItem  *self);
/* "1,000", or "" when the line has no quantity. */
const char         *relay_mass_line_item_get_quantity_text (RelayMassLineItem *self);
const char         *relay_mass_line_item_get_charge_text (RelayMassLineItem  *self);
/* The style classes of the status text for the line's state ("error", "success", …). */
const char * const *relay_mass_line_item_get_status_classes (RelayMassLineItem *self);
/* NULL for a good line. */
const char         *relay_mass_line_item_get_error       (RelayMassLineItem  *self);
RelayMassLineState  relay_mass_line_item_get_state       (RelayMassLineItem  *self);
/* What became of the line's order ("sent as 23519", "failed: …"); NULL before. */
const char         *relay_mass_line_item_get_outcome     (RelayMassLineItem  *self);
/* What the status column shows: the error, the outcome, or "ready". */
const char         *relay_mass_line_item_get_status_text (RelayMassLineItem  *self);
void                relay_mass_line_item_set_outcome     (RelayMassLineItem  *self,
                                                          RelayMassLineState  state,
                                                          const char         *outcome);

G_END_DECLS
