/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayCore: reports of a period (periods and dates in local time, the
 * report itself read by a worker on its own connection to the book). */
#include "config.h"

#include "relay-core-private.h"
#include "relay-error.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

static const char * const period_names[] = { "today", "7d", "30d", "month" };

gboolean
relay_report_period_from_string (const char        *name,
                                 RelayReportPeriod *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (period_names); i++)
    if (g_strcmp0 (name, period_names[i]) == 0)
      {
        *out = (RelayReportPeriod) i;
        return TRUE;
      }
  return FALSE;
}

/* Local midnight of the day of @when, @days_back days earlier. */
static GDateTime *
local_midnight (GDateTime *when,
                int        days_back)
{
  g_autoptr(GDateTime) day = g_date_time_new_local (g_date_time_get_year (when),
                                                    g_date_time_get_month (when),
                                                    g_date_time_get_day_of_month (when), 0, 0, 0);

  return g_date_time_add_days (day, -days_back);
}

void
relay_report_period_range (RelayReportPeriod  period,
                           GDateTime         *now,
                           gint64            *out_from,
                           gint64            *out_to)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (now);
  g_autoptr(GDateTime) today = local_midnight (local, 0);
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (today, 1);
  g_autoptr(GDateTime) from = NULL;

  switch (period)
    {
    case RELAY_REPORT_PERIOD_TODAY:
      from = g_date_time_ref (today);
      break;
    case RELAY_REPORT_PERIOD_7_DAYS:
      from = local_midnight (local, 6);
      break;
    case RELAY_REPORT_PERIOD_30_DAYS:
      from = local_midnight (local, 29);
      break;
    case RELAY_REPORT_PERIOD_MONTH:
    default:
      from = g_date_time_add_days (today, 1 - g_date_time_get_day_of_month (local));
      break;
    }
  *out_from = g_date_time_to_unix (from);
  *out_to = g_date_time_to_unix (tomorrow);
}

/* "YYYY-MM-DD" -> local midnight of that day, as a GDateTime. */
static GDateTime *
parse_day (const char  *text,
           GError     **error)
{
  int year, month, day;
  char end;

  if (text == NULL || strlen (text) != 10 ||
      sscanf (text, "%4d-%2d-%2d%c", &year, &month, &day, &end) != 3 ||
      text[4] != '-' || text[7] != '-' || !g_date_valid_dmy (day, month, year))
    {
      g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID,
                   _("“%s” is not a date: write it as YYYY-MM-DD"), text ? text : "");
      return NULL;
    }
  /* A report covers days of the order book's era: before 1970 nothing was
   * recorded, and the day after 9999-12-31 (the period's end) does not exist. */
  if (year < 1970 || year > 9998)
    {
      g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE,
                   _("“%s” is outside the dates a report covers (1970-01-01 to 9998-12-31)"), text);
      return NULL;
    }
  return g_date_time_new_local (year, month, day, 0, 0, 0);
}

gboolean
relay_report_parse_days (const char  *from_day,
                         const char  *to_day,
                         gint64      *out_from,
                         gint64      *out_to,
                         GError     **error)
{
  g_autoptr(GDateTime) from = parse_day (from_day, error);
  g_autoptr(GDateTime) to = NULL;
  g_autoptr(GDateTime) after = NULL;

  if (from == NULL || (to = parse_day (to_day, error)) == NULL)
    return FALSE;
  if (g_date_time_compare (from, to) > 0)
    {
      g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID,
                   _("The period ends (%s) before it starts (%s)"), to_day, from_day);
      return FALSE;
    }
  after = g_date_time_add_days (to, 1);
  if (after == NULL)
    {
      g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE,
                   _("“%s” is outside the dates a report covers (1970-01-01 to 9998-12-31)"), to_day);
      return FALSE;
    }
  *out_from = g_date_time_to_unix (from);
  *out_to = g_date_time_to_unix (after);
  return TRUE;
}

typedef struct
{
  gint64           from;
  gint64           to;
  RelayReportGroup group;
} ReportJob;

static gpointer
report_read (RelayStore *store, gpointer data, GError **error)
{
  ReportJob *job = data;

  return relay_store_report (store, job->from, job->to, job->group, error);
}

void
relay_core_report_async (RelayCore           *self,
                         gint64               from,
                         gint64               to,
                         RelayReportGroup     group,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (RELAY_IS_CORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_core_report_async);
  if (from >= to)
    {
      g_task_return_new_error (task, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID,
                               _("The period is empty"));
      return;
    }
  {
    ReportJob *job = g_new0 (ReportJob, 1);

    job->from = from;
    job->to = to;
    job->group = group;
    relay_core_read_in_worker (self, task, report_read, job, g_free,
                               (GDestroyNotify) relay_report_free);
  }
}

RelayReport *
relay_core_report_finish (RelayCore     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
