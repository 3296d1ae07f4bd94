/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayMassPlanModel: the lines of a mass-order plan as a list model whose items are made on
 * demand, plus the outcome of each line once its order is sent. */
#include "config.h"

#include "relay-mass-plan-model.h"
#include "relay-money.h"
#include "relay-format.h"

struct _RelayMassPlanModel
{
  GObject        parent_instance;

  RelayMassPlan *plan;
  GPtrArray     *items;       /* RelayMassLineItem*, NULL until asked for */
  guint8        *states;      /* RelayMassLineState per line */
  char         **outcomes;    /* per line, NULL until something happened */
  GHashTable    *positions;   /* order id (gint64*) -> position + 1 */
  GHashTable    *names;       /* my service id (gint64*) -> name, or NULL */
};

static void relay_mass_plan_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RelayMassPlanModel, relay_mass_plan_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      relay_mass_plan_model_list_model_init))

static void
item_free (gpointer item)
{
  if (item != NULL)
    g_object_unref (item);
}

static RelayMassItem *
get_plan_item (RelayMassPlanModel *self, guint position)
{
  return g_ptr_array_index (self->plan->items, position);
}

static GType
relay_mass_plan_model_get_item_type (GListModel *model)
{
  return RELAY_TYPE_MASS_LINE_ITEM;
}

static guint
relay_mass_plan_model_get_n_items (GListModel *model)
{
  return RELAY_MASS_PLAN_MODEL (model)->plan->items->len;
}

static RelayMassLineItem *
make_item (RelayMassPlanModel *self, guint position)
{
  const RelayMassItem *item = get_plan_item (self, position);
  const RelayMassLine *line = item->line;
  g_autofree char *charge = NULL;
  g_autofree char *service = NULL;
  RelayMassLineItem *line_item;

  /* Exact, to the micro-unit where the charge needs it ("0.1365 USD"), so
   * that the lines add up to the total under them: five lines rounded to
   * "0.14 USD" each read as 0.70 beside a total of 0.68. */
  if (item->error == NULL && item->service != NULL)
    charge = relay_format_money (item->price, item->service->currency, RELAY_MONEY_STYLE_UNIT_PRICE);
  if (item->service != NULL)
    service = g_strdup (item->service->name);
  else if (line->service != NULL && *line->service != '\0')
    {
      gint64 id = 0;
      const char *name = NULL;

      if (self->names != NULL && g_ascii_string_to_signed (line->service, 10, 1, G_MAXINT64,
                                                           &id, NULL))
        name = g_hash_table_lookup (self->names, &id);
      service = name != NULL ? g_strdup (name) : g_strdup_printf ("#%s", line->service);
    }

  line_item = relay_mass_line_item_new (line->line_no, line->text, service, line->link,
                                        line->quantity, charge, item->error);
  if (self->states != NULL && self->states[position] != RELAY_MASS_LINE_READY &&
      self->states[position] != RELAY_MASS_LINE_BAD)
    relay_mass_line_item_set_outcome (line_item, self->states[position],
                                      self->outcomes[position]);
  return line_item;
}

static gpointer
relay_mass_plan_model_get_item (GListModel *model,
                                guint       position)
{
  RelayMassPlanModel *self = RELAY_MASS_PLAN_MODEL (model);

  if (position >= self->plan->items->len)
    return NULL;
  if (g_ptr_array_index (self->items, position) == NULL)
    g_ptr_array_index (self->items, position) = make_item (self, position);
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
relay_mass_plan_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = relay_mass_plan_model_get_item_type;
  iface->get_n_items = relay_mass_plan_model_get_n_items;
  iface->get_item = relay_mass_plan_model_get_item;
}

static void
relay_mass_plan_model_finalize (GObject *object)
{
  RelayMassPlanModel *self = RELAY_MASS_PLAN_MODEL (object);

  g_clear_pointer (&self->items, g_ptr_array_unref);
  if (self->outcomes != NULL)
    for (guint i = 0; i < self->plan->items->len; i++)
      g_free (self->outcomes[i]);
  g_clear_pointer (&self->outcomes, g_free);
  g_clear_pointer (&self->states, g_free);
  g_clear_pointer (&self->positions, g_hash_table_unref);
  g_clear_pointer (&self->names, g_hash_table_unref);
  g_clear_pointer (&self->plan, relay_mass_plan_free);

  G_OBJECT_CLASS (relay_mass_plan_model_parent_class)->finalize (object);
}

static void
relay_mass_plan_model_class_init (RelayMassPlanModelClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = relay_mass_plan_model_finalize;
}

static void
relay_mass_plan_model_init (RelayMassPlanModel *self)
{
}

RelayMassPlanModel *
relay_mass_plan_model_new (RelayMassPlan *plan,
                           GHashTable    *service_names)
{
  RelayMassPlanModel *self;

  g_return_val_if_fail (plan != NULL, NULL);

  self = g_object_new (RELAY_TYPE_MASS_PLAN_MODEL, NULL);
  self->plan = plan;
  self->names = service_names != NULL ? g_hash_table_ref (service_names) : NULL;
  self->items = g_ptr_array_new_full (plan->items->len, item_free);
  g_ptr_array_set_size (self->items, plan->items->len);
  return self;
}

RelayMassPlan *
relay_mass_plan_model_get_plan (RelayMassPlanModel *self)
{
  g_return_val_if_fail (RELAY_IS_MASS_PLAN_MODEL (self), NULL);
  return self->plan;
}

static void
set_line (RelayMassPlanModel *self,
          guint               position,
          RelayMassLineState  state,
          const char         *outcome)
{
  RelayMassLineItem *item = g_ptr_array_index (self->items, position);

  self->states[position] = state;
  g_free (self->outcomes[position]);
  self->outcomes[position] = g_strdup (outcome);
  if (item != NULL)
    relay_mass_line_item_set_outcome (item, state, outcome);
}

void
relay_mass_plan_model_set_order_ids (RelayMassPlanModel *self,
                                     GArray             *ids)
{
  guint next = 0;
  guint n;

  g_return_if_fail (RELAY_IS_MASS_PLAN_MODEL (self));
  g_return_if_fail (ids != NULL);

  n = self->plan->items->len;
  if (self->states == NULL)
    {
      self->states = g_new0 (guint8, n);
      self->outcomes = g_new0 (char *, n);
    }
  g_clear_pointer (&self->positions, g_hash_table_unref);
  self->positions = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  for (guint i = 0; i < n; i++)
    {
      const RelayMassItem *item = get_plan_item (self, i);

      if (item->error != NULL)
        {
          self->states[i] = RELAY_MASS_LINE_BAD;
          continue;
        }
      if (next >= ids->len)
        break;
      g_hash_table_insert (self->positions, g_memdup2 (&g_array_index (ids, gint64, next),
                                                       sizeof (gint64)),
                           GUINT_TO_POINTER (i + 1));
      next++;
      set_line (self, i, RELAY_MASS_LINE_QUEUED, NULL);
    }
}

gboolean
relay_mass_plan_model_has_order (RelayMassPlanModel *self,
                                 gint64              order_id)
{
  g_return_val_if_fail (RELAY_IS_MASS_PLAN_MODEL (self), FALSE);

  return self->positions != NULL && g_hash_table_contains (self->positions, &order_id);
}

gboolean
relay_mass_plan_model_set_outcome (RelayMassPlanModel *self,
                                   gint64              order_id,
                                   RelayMassLineState  state,
                                   const char         *outcome)
{
  guint position;

  g_return_val_if_fail (RELAY_IS_MASS_PLAN_MODEL (self), FALSE);

  if (self->positions == NULL)
    return FALSE;
  position = GPOINTER_TO_UINT (g_hash_table_lookup (self->positions, &order_id));
  if (position == 0)
    return FALSE;
  set_line (self, position - 1, state, outcome);
  return TRUE;
}

RelayMassLineState
relay_mass_plan_model_get_state (RelayMassPlanModel *self,
                                 guint               position)
{
  g_return_val_if_fail (RELAY_IS_MASS_PLAN_MODEL (self), RELAY_MASS_LINE_READY);
  g_return_val_if_fail (position < self->plan->items->len, RELAY_MASS_LINE_READY);

  if (self->states != NULL)
    return self->states[position];
  return get_plan_item (self, position)->error != NULL ? RELAY_MASS_LINE_BAD
                                                      : RELAY_MASS_LINE_READY;
}

char *
relay_mass_plan_model_dup_bad_text (RelayMassPlanModel *self)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (RELAY_IS_MASS_PLAN_MODEL (self), NULL);

  for (guint i = 0; i < self->plan->items->len; i++)
    {
      const RelayMassItem *item = get_plan_item (self, i);

      if (item->error == NULL)
        continue;
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, item->line->text);
    }
  return g_string_free (text, FALSE);
}
