/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayCore: backing up the order book in a worker thread, so the window never waits on it. */
#include "config.h"

#include "relay-core.h"

typedef struct
{
  char     *source;
  char     *dest;
  gboolean  overwrite;
} BackupJob;

static void
backup_job_free (BackupJob *job)
{
  g_free (job->source);
  g_free (job->dest);
  g_free (job);
}

static void
backup_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  BackupJob *job = task_data;
  GError *error = NULL;

  if (relay_store_backup_file (job->source, job->dest, job->overwrite, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
relay_core_backup_async (RelayCore           *self,
                         const char          *dest_path,
                         gboolean             overwrite,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  BackupJob *job;

  g_return_if_fail (RELAY_IS_CORE (self));
  g_return_if_fail (dest_path != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, relay_core_backup_async);
  job = g_new0 (BackupJob, 1);
  /* The thread gets copies: it never touches the store object itself. */
  job->source = g_strdup (relay_store_get_path (relay_core_get_store (self)));
  job->dest = g_strdup (dest_path);
  job->overwrite = overwrite;
  g_task_set_task_data (task, job, (GDestroyNotify) backup_job_free);
  g_task_run_in_thread (task, backup_thread);
}

gboolean
relay_core_backup_finish (RelayCore     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
