/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayReportItem: a report row's key, counts and money formatted once for the table. */
#include "config.h"

#include "relay-report-item.h"
#include "relay-format.h"

#include <glib/gi18n-lib.h>

struct _RelayReportItem
{
  GObject   parent_instance;

  char     *texts[RELAY_REPORT_N_COLUMNS];
  gboolean  loss;
};

G_DEFINE_FINAL_TYPE (RelayReportItem, relay_report_item, G_TYPE_OBJECT)

RelayReportItem *
relay_report_item_new (const RelayReportRow *row,
                       const char           *none_key)
{
  RelayReportItem *self = g_object_new (RELAY_TYPE_REPORT_ITEM, NULL);
  const char *currency = row->currency;

  self->texts[RELAY_REPORT_COLUMN_KEY] = g_strdup (row->key && *row->key ? row->key : none_key);
  self->texts[RELAY_REPORT_COLUMN_ORDERS] = relay_format_count (row->orders);
  self->texts[RELAY_REPORT_COLUMN_CHARGED] = relay_format_money (row->charged, currency, RELAY_MONEY_STYLE_TOTAL);
  self->texts[RELAY_REPORT_COLUMN_REFUNDED] = relay_format_money (row->refunded, currency, RELAY_MONEY_STYLE_TOTAL);
  self->texts[RELAY_REPORT_COLUMN_COST] = relay_format_money (row->cost, currency, RELAY_MONEY_STYLE_TOTAL);
  self->texts[RELAY_REPORT_COLUMN_PROFIT] = relay_format_money (row->profit, currency, RELAY_MONEY_STYLE_TOTAL);
  /* TRANSLATORS: a margin in percent */
  self->texts[RELAY_REPORT_COLUMN_MARGIN] = g_strdup_printf (_("%.1f %%"), row->margin);
  self->loss = row->profit < 0;
  return self;
}

const char *
relay_report_item_get_text (RelayReportItem   *self,
                            RelayReportColumn  column)
{
  g_return_val_if_fail (RELAY_IS_REPORT_ITEM (self), NULL);
  g_return_val_if_fail (column < RELAY_REPORT_N_COLUMNS, NULL);
  return self->texts[column];
}

gboolean
relay_report_item_get_loss (RelayReportItem *self)
{
  g_return_val_if_fail (RELAY_IS_REPORT_ITEM (self), FALSE);
  return self->loss;
}

static void
relay_report_item_finalize (GObject *object)
{
  RelayReportItem *self = RELAY_REPORT_ITEM (object);

  for (guint i = 0; i < RELAY_REPORT_N_COLUMNS; i++)
    g_free (self->texts[i]);
  G_OBJECT_CLASS (relay_report_item_parent_class)->finalize (object);
}

static void
relay_report_item_class_init (RelayReportItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = relay_report_item_finalize;
}

static void
relay_report_item_init (RelayReportItem *self)
{
}
