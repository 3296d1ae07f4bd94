/* SPDX-License-Identifier: GPL-3.0-or-later */
/* How a simulated order and a refill move through their states over time. */
#include "relay-sim-private.h"
#include "relay-money.h"

#include <math.h>

void
relay_sim_order_rec_free (RelaySimOrderRec *rec)
{
  if (rec == NULL)
    return;
  g_free (rec->service_id);
  g_free (rec->link);
  g_free (rec);
}

double
relay_sim_order_rec_end_time (const RelaySimOrderRec *rec)
{
  double start = rec->created + rec->pending;

  if (rec->canceled_by_user)
    return rec->canceled_at;
  switch (rec->outcome)
    {
    case RELAY_SIM_OUTCOME_CANCELED:
      return start;
    case RELAY_SIM_OUTCOME_PARTIAL:
      return start + rec->duration * ((double) rec->stop_delivered / (double) rec->total);
    case RELAY_SIM_OUTCOME_COMPLETED:
    default:
      return start + rec->duration;
    }
}

void
relay_sim_order_rec_progress (const RelaySimOrderRec *rec,
                              double                  now,
                              RelaySimProgress       *out)
{
  double start = rec->created + rec->pending;

  out->delivered = 0;
  if (rec->canceled_by_user)
    {
      out->state = RELAY_SIM_STATE_CANCELED;
      out->delivered = rec->canceled_delivered;
    }
  else if (now < start)
    out->state = RELAY_SIM_STATE_PENDING;
  else if (now >= relay_sim_order_rec_end_time (rec))
    {
      switch (rec->outcome)
        {
        case RELAY_SIM_OUTCOME_CANCELED:
          out->state = RELAY_SIM_STATE_CANCELED;
          break;
        case RELAY_SIM_OUTCOME_PARTIAL:
          out->state = RELAY_SIM_STATE_PARTIAL;
          out->delivered = rec->stop_delivered;
          break;
        case RELAY_SIM_OUTCOME_COMPLETED:
        default:
          out->state = RELAY_SIM_STATE_COMPLETED;
          out->delivered = rec->total;
          break;
        }
    }
  else
    {
      double p = rec->duration > 0 ? (now - start) / rec->duration : 1.0;
      gint64 delivered = (gint64) floor ((double) rec->total * CLAMP (p, 0.0, 1.0));

      out->state = RELAY_SIM_STATE_IN_PROGRESS;
      if (rec->outcome == RELAY_SIM_OUTCOME_PARTIAL)
        delivered = MIN (delivered, rec->stop_delivered);
      out->delivered = CLAMP (delivered, 0, MAX (rec->total - 1, 0));
    }

  out->remains = rec->total - out->delivered;
  out->charge = rec->price;
  if (out->state == RELAY_SIM_STATE_PARTIAL || out->state == RELAY_SIM_STATE_CANCELED)
    {
      gint64 refund;

      /* The record was priced by relay_money_for_quantity(), so it can be refunded. */
      if (relay_money_refund (rec->rate, rec->total, out->delivered, &refund, NULL))
        out->charge = rec->price - refund;
    }
}

gboolean
relay_sim_order_rec_started (const RelaySimOrderRec *rec,
                             double                  now)
{
  double start = rec->created + rec->pending;

  if (rec->canceled_by_user)
    return rec->canceled_at >= start;
  if (rec->outcome == RELAY_SIM_OUTCOME_CANCELED)
    return FALSE;
  return now >= start;
}

const char *
relay_sim_state_to_string (RelaySimState state)
{
  switch (state)
    {
    case RELAY_SIM_STATE_PENDING:
      return "Pending";
    case RELAY_SIM_STATE_IN_PROGRESS:
      return "In progress";
    case RELAY_SIM_STATE_COMPLETED:
      return "Completed";
    case RELAY_SIM_STATE_PARTIAL:
      return "Partial";
    case RELAY_SIM_STATE_CANCELED:
    default:
      return "Canceled";
    }
}

const char *
relay_sim_state_to_word (RelaySimState state,
                         guint         variant)
{
  if (state == RELAY_SIM_STATE_IN_PROGRESS && (variant & RELAY_SIM_VARIANT_IN_PROGRESS_CAPITAL))
    return "In Progress";
  if (state == RELAY_SIM_STATE_CANCELED && (variant & RELAY_SIM_VARIANT_CANCELLED))
    return "Cancelled";
  return relay_sim_state_to_string (state);
}

RelaySimRefillState
relay_sim_refill_state (const RelaySimRefill *refill,
                        double                now)
{
  double t = now - refill->created;

  if (t < refill->pending)
    return RELAY_SIM_REFILL_PENDING;
  if (refill->rejected)
    return RELAY_SIM_REFILL_REJECTED;
  if (t < refill->pending + refill->duration)
    return RELAY_SIM_REFILL_IN_PROGRESS;
  return RELAY_SIM_REFILL_COMPLETED;
}

const char *
relay_sim_refill_state_to_word (RelaySimRefillState state)
{
  switch (state)
    {
    case RELAY_SIM_REFILL_PENDING:
      return "Pending";
    case RELAY_SIM_REFILL_IN_PROGRESS:
      return "In progress";
    case RELAY_SIM_REFILL_COMPLETED:
      return "Completed";
    case RELAY_SIM_REFILL_REJECTED:
    default:
      return "Rejected";
    }
}
