/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayMassPlanModel: a RelayMassPlan as a GListModel of RelayMassLineItem, made on demand. */
#pragma once

#include <gio/gio.h>

#include "relay-core.h"
#include "relay-mass-line-item.h"

G_BEGIN_DECLS

#define RELAY_TYPE_MASS_PLAN_MODEL (relay_mass_plan_model_get_type ())
G_DECLARE_FINAL_TYPE (RelayMassPlanModel, relay_mass_plan_model, RELAY, MASS_PLAN_MODEL, GObject)

/* Takes ownership of @plan.  Items are made when first asked for, so a plan
 * of 10,000 lines costs nothing until rows are shown.  @service_names (gint64
 * id -> name, may be NULL; referenced) names the services of lines that have an
 * error, which the plan does not carry. */
RelayMassPlanModel *relay_mass_plan_model_new           (RelayMassPlan      *plan,
                                                         GHashTable         *service_names);
/* Borrowed. */
RelayMassPlan      *relay_mass_plan_model_get_plan      (RelayMassPlanModel *self);
/* Ties the ids relay_core_submit_mass_order() returned (one per good line, in
 * order) to the lines, which become queued. */
void                relay_mass_plan_model_set_order_ids (RelayMassPlanModel *self,
                                                         GArray             *ids);
/* Whether @order_id is the order of one of the lines. */
gboolean            relay_mass_plan_model_has_order     (RelayMassPlanModel *self,
                                                         gint64              order_id);
/* Records what became of @order_id's line.  FALSE when no line has it. */
gboolean            relay_mass_plan_model_set_outcome   (RelayMassPlanModel *self,
                                                         gint64              order_id,
                                                         RelayMassLineState  state,
                                                         const char         *outcome);
RelayMassLineState  relay_mass_plan_model_get_state     (RelayMassPlanModel *self,
                                                         guint               position);
/* The lines that have an error, as written, one a line.  New string. */
char               *relay_mass_plan_model_dup_bad_text  (RelayMassPlanModel *self);

G_END_DECLS
