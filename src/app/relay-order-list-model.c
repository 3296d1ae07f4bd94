/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayOrderListModel: the orders of the book as a lazy, windowed GListModel. */
#include "config.h"

#include "relay-order-list-model.h"

typedef struct
{
  guint      start;
  GPtrArray *items;             /* RelayOrderItem, owned, positions start.. */
} Window;

typedef enum
{
  COUNT_NONE,
  COUNT_GROW,   /* a new query: its first rows shown, the rest to add */
  COUNT_SYNC,   /* the book changed: the list to bring up to date */
} CountKind;

/* An item alive somewhere (our cache or a view's row), found by its order id so
 * that a row fetched again gets the same object back. */
typedef struct
{
  RelayOrderListModel *model;
  gint64               id;
  RelayOrderItem      *item;    /* weak */
} LiveEntry;

struct _RelayOrderListModel
{
  GObject          parent_instance;

  RelayStore      *store;
  gulong           orders_changed_id;
  RelayOrderQuery  query;
  char            *search;      /* owns query.search */
  guint            n_items;
  GPtrArray       *windows;     /* Window*, least recently used first */
  GHashTable      *live;        /* &LiveEntry.id -> LiveEntry */

  /* While a new query's rows are announced above the old ones (replace_rows):
   * the old rows start at @leaving_at; their cached windows. */
  gboolean               replacing;
  guint                  leaving_at;
  GPtrArray             *leaving;

  /* A count the store cannot give at once (a search, a client) is made on a
   * thread with a connection of its own (count_later()); meanwhile the list
   * holds the rows read so far.  @generation names the query and book the
   * count must be of: a count of an older one is dropped. */
  GMainContext          *context;
  GThreadPool           *counter;
  GMutex                 counter_lock;
  RelayStore            *counter_store;   /* the thread's; under counter_lock */
  guint                  generation;      /* under counter_lock */
  CountKind              counting;
  gboolean               recount;         /* the book changed while counting */
  GArray                *changed_ids;     /* since the count began */

  /* While no view shows the list (relay_order_list_model_set_held()): the
   * book changed since. */
  gboolean               held;
  gboolean               stale;
};

static void relay_order_list_model_iface_init (GListModelInterface *iface);

/* The rows of the current query: while replace_rows() announces them above
 * the old ones, n_items counts those too. */
static guint
n_current (RelayOrderListModel *self)
{
  return self->replacing ? self->leaving_at : self->n_items;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (RelayOrderListModel, relay_order_list_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      relay_order_list_model_iface_init))

enum {
  PROP_0,
  PROP_STORE,
  PROP_N_ITEMS,
  PROP_COUNTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
window_free (Window *window)
{
  g_ptr_array_unref (window->items);
  g_free (window);
}

static void
live_entry_gone (gpointer  data,
                 GObject  *where_the_object_was)
{
  LiveEntry *entry = data;

  g_hash_table_remove (entry->model->live, &entry->id);
}

static RelayOrderItem *
item_for_row (RelayOrderListModel *self,
              const RelayOrderRow *row)
{
  LiveEntry *entry = g_hash_table_lookup (self->live, &row->id);
  RelayOrderItem *item;

  if (entry != NULL)
    {
      relay_order_item_update_from_row (entry->item, row);
      return g_object_ref (entry->item);
    }

  item = relay_order_item_new (row);
  entry = g_new0 (LiveEntry, 1);
  entry->model = self;
  entry->id = row->id;
  entry->item = item;
  g_hash_table_insert (self->live, &entry->id, entry);
  g_object_weak_ref (G_OBJECT (item), live_entry_gone, entry);
  return item;
}

static guint
count_rows (RelayOrderListModel *self)
{
  g_autoptr(GError) error = NULL;
  gint64 n = relay_store_count_orders (self->store, &self->query, &error);

  if (error != NULL)
    {
      g_warning ("Could not count the orders: %s", error->message);
      return 0;
    }
  return (guint) CLAMP (n, 0, G_MAXUINT);
}

static GPtrArray *
fetch_rows (RelayOrderListModel *self,
            guint                start,
            guint                limit)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *rows;

  if (limit == 0)
    return g_ptr_array_new ();
  rows = relay_store_list_orders (self->store, &self->query, start, limit, &error);
  if (rows == NULL)
    g_warning ("Could not read the orders: %s", error ? error->message : "?");
  return rows;
}

static gint64
item_id (GPtrArray *items,
         guint      i)
{
  return relay_order_item_get_id (g_ptr_array_index (items, i));
}

static gint64
row_id (GPtrArray *rows,
        guint      i)
{
  return ((RelayOrderRow *) g_ptr_array_index (rows, i))->id;
}

/* The rows at positions [@start, @start + @len) of the list as it is now
 * (@n_items rows), counted from its nearer end: OFFSET walks every row it
 * skips. */
static GPtrArray *
fetch_positions (RelayOrderListModel *self,
                 guint                n_items,
                 guint                start,
                 guint                len)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *rows;

  if (len == 0 || start + len > n_items || n_items - (start + len) >= start)
    return fetch_rows (self, start, len);
  rows = relay_store_list_orders_near (self->store, &self->query, 0, TRUE,
                                       n_items - (start + len), len, &error);
  if (rows == NULL)
    g_warning ("Could not read the orders: %s", error ? error->message : "?");
  return rows;
}

/* The rows of a new window [@start, @start + @len), found from the nearest
 * place the model knows: the top, the bottom, or a cached window's first or
 * last row when the sort can seek from a row.  OFFSET walks every row it
 * skips (half the book for the middle of it), a seek only the window; rows
 * fetched next to a cached window are also the ones that follow it in the
 * book, even if the count is a moment behind.  Falls back to OFFSET when the
 * anchor row is gone. */
static GPtrArray *
fetch_window (RelayOrderListModel *self,
              guint                start,
              guint                len)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *rows;
  guint best = start;
  gint64 anchor_id = 0;
  gboolean backward = FALSE;

  if (len == 0)
    return g_ptr_array_new ();
  if (n_current (self) - (start + len) < best)
    {
      best = n_current (self) - (start + len);
      backward = TRUE;
    }
  if (relay_store_can_seek_orders (&self->query))
    for (guint w = 0; w < self->windows->len; w++)
      {
        Window *window = g_ptr_array_index (self->windows, w);
        guint end = window->start + window->items->len;

        if (window->items->len == 0)
          continue;
        if (end <= start && start - end < best)
          {
            best = start - end;
            anchor_id = item_id (window->items, window->items->len - 1);
            backward = FALSE;
          }
        else if (window->start >= start + len && window->start - (start + len) < best)
          {
            best = window->start - (start + len);
            anchor_id = item_id (window->items, 0);
            backward = TRUE;
          }
      }
  if (anchor_id == 0 && !backward)
    return fetch_rows (self, start, len);

  rows = relay_store_list_orders_near (self->store, &self->query, anchor_id, backward,
                                       best, len, &error);
  if (rows != NULL && rows->len == len)
    return rows;
  g_clear_pointer (&rows, g_ptr_array_unref);
  return fetch_rows (self, start, len);
}

static GPtrArray *
items_for_rows (RelayOrderListModel *self,
                GPtrArray           *rows,
                guint                limit)
{
  GPtrArray *items = g_ptr_array_new_full (MIN (rows->len, limit), g_object_unref);

  for (guint i = 0; i < rows->len && i < limit; i++)
    g_ptr_array_add (items, item_for_row (self, g_ptr_array_index (rows, i)));
  return items;
}

static Window *
find_window_at (RelayOrderListModel *self,
                guint                start)
{
  for (guint i = 0; i < self->windows->len; i++)
    {
      Window *window = g_ptr_array_index (self->windows, i);

      if (window->start == start)
        return window;
    }
  return NULL;
}

static void
add_window (RelayOrderListModel *self,
            guint                start,
            GPtrArray           *items)
{
  Window *window = g_new0 (Window, 1);

  window->start = start;
  window->items = items;
  g_ptr_array_add (self->windows, window);
  while (self->windows->len > RELAY_ORDER_LIST_N_WINDOWS)
    g_ptr_array_remove_index (self->windows, 0);
}

static gboolean
has_items (GPtrArray *windows)
{
  for (guint i = 0; i < windows->len; i++)
    if (((Window *) g_ptr_array_index (windows, i))->items->len > 0)
      return TRUE;
  return FALSE;
}

static void
set_n_items (RelayOrderListModel *self,
             guint                position,
             guint                removed,
             guint                added,
             guint                n_items)
{
  gboolean count_changed = self->n_items != n_items;

  self->n_items = n_items;
  if (removed > 0 || added > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
  if (count_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/* ---- counting off the main loop ---- */

typedef struct
{
  RelayOrderListModel *model;      /* for the thread: alive while the pool is */
  GWeakRef             model_ref;  /* for the main context */
  guint                generation;
  RelayOrderQuery      query;
  char                *search;
  gint64               n;
  GError              *error;
} CountJob;

static void sync_with_count (RelayOrderListModel *self,
                             GArray              *ids,
                             guint                new_n);

static void
count_job_free (gpointer data)
{
  CountJob *job = data;

  g_weak_ref_clear (&job->model_ref);
  g_free (job->search);
  g_clear_error (&job->error);
  g_free (job);
}

/* Whether the count of the current query must wait for the thread. */
static gboolean
counts_later (RelayOrderListModel *self)
{
  return self->counter != NULL && !relay_store_can_count_orders_at_once (&self->query);
}

/* A count not wanted any more: its answer is dropped and the statement
 * making it stopped. */
static void
stop_counting (RelayOrderListModel *self)
{
  g_mutex_lock (&self->counter_lock);
  self->generation++;
  if (self->counter_store != NULL && self->counting != COUNT_NONE)
    relay_store_interrupt (self->counter_store);
  g_mutex_unlock (&self->counter_lock);
  self->counting = COUNT_NONE;
  self->recount = FALSE;
  g_clear_pointer (&self->changed_ids, g_array_unref);
}

static void
take_count (RelayOrderListModel *self,
            CountKind            kind,
            guint                n)
{
  g_autoptr(GArray) ids = g_steal_pointer (&self->changed_ids);

  self->counting = COUNT_NONE;
  if (kind == COUNT_GROW)
    {
      /* The rows after the first window: the list as it was read. */
      if (n > self->n_items)
        set_n_items (self, self->n_items, 0, n - self->n_items, n);
      else if (n < self->n_items)
        set_n_items (self, n, self->n_items - n, 0, n);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COUNTED]);
    }
  else
    sync_with_count (self, ids, n);
}

static void count_later (RelayOrderListModel *self,
                         CountKind            kind);

/* In the main context: the thread's count, if it is still of the list. */
static gboolean
count_done (gpointer data)
{
  CountJob *job = data;
  g_autoptr(RelayOrderListModel) self = g_weak_ref_get (&job->model_ref);
  CountKind kind;
  guint n;

  if (self == NULL || job->generation != self->generation || self->counting == COUNT_NONE)
    return G_SOURCE_REMOVE;
  kind = self->counting;
  if (job->error != NULL)
    {
      /* No connection of its own: counted here, slower but right. */
      g_warning ("Could not count the orders on a thread: %s", job->error->message);
      self->counting = COUNT_NONE;
      n = count_rows (self);
    }
  else
    n = (guint) CLAMP (job->n, 0, G_MAXUINT);
  take_count (self, kind, n);
  if (self->recount && self->counting == COUNT_NONE)
    {
      self->recount = FALSE;
      count_later (self, COUNT_SYNC);
    }
  return G_SOURCE_REMOVE;
}

/* On the counting thread. */
static void
count_run (gpointer data,
           gpointer user_data)
{
  CountJob *job = data;
  RelayOrderListModel *self = user_data;
  RelayStore *store;
  gboolean wanted;

  g_mutex_lock (&self->counter_lock);
  wanted = job->generation == self->generation;
  store = self->counter_store;
  g_mutex_unlock (&self->counter_lock);
  if (!wanted)
    {
      count_job_free (job);
      return;
    }
  if (store == NULL)
    {
      store = relay_store_open (relay_store_get_path (self->store), &job->error);
      g_mutex_lock (&self->counter_lock);
      self->counter_store = store;
      wanted = job->generation == self->generation;
      g_mutex_unlock (&self->counter_lock);
    }
  if (!wanted)
    {
      count_job_free (job);
      return;
    }
  if (store != NULL)
    job->n = relay_store_count_orders (store, &job->query, &job->error);
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, count_done, job, count_job_free);
}

/* Counts the current query's rows on the thread; take_count() applies them
 * if nothing newer came meanwhile. */
static void
count_later (RelayOrderListModel *self,
             CountKind            kind)
{
  CountJob *job = g_new0 (CountJob, 1);

  job->model = self;
  g_weak_ref_init (&job->model_ref, self);
  g_mutex_lock (&self->counter_lock);
  job->generation = ++self->generation;
  g_mutex_unlock (&self->counter_lock);
  job->query = self->query;
  job->search = g_strdup (self->search);
  job->query.search = job->search;
  self->counting = kind;
  g_thread_pool_push (self->counter, job, NULL);
}

/* Another query, from the old one: the new rows come above the old ones,
 * then the old ones go, as two changes.  Neither has GtkSingleSelection look
 * at a row (see reset()).  A view that shows its first row in between (the
 * orders page does while relay_order_list_model_get_replacing()) hands the
 * widgets of the old rows to the new ones: GTK 4.8 rebinds the ~200 rows it
 * keeps instead of destroying them and making new ones.  Meanwhile an old
 * row comes from the cache only: the old list is never read again.
 *
 * When the store cannot count the new rows at once, the first window is read
 * (and one row more, to tell whether there are more) and shown; the rest are
 * counted on a thread and added when known (take_count()). */
static void
replace_rows (RelayOrderListModel *self)
{
  g_autoptr(GPtrArray) rows = NULL;
  GPtrArray *first = NULL;
  gboolean later = FALSE;
  guint old_n = self->n_items;
  guint new_n;

  stop_counting (self);
  if (counts_later (self))
    {
      rows = fetch_rows (self, 0, RELAY_ORDER_LIST_WINDOW + 1);
      new_n = rows != NULL ? rows->len : 0;
      later = new_n > RELAY_ORDER_LIST_WINDOW;
      if (new_n > 0)
        first = items_for_rows (self, rows, RELAY_ORDER_LIST_WINDOW);
    }
  else
    new_n = count_rows (self);

  if (old_n == 0 || new_n == 0 || !has_items (self->windows))
    {
      /* Nothing to rebind from: every row goes, then the new ones come. */
      g_ptr_array_set_size (self->windows, 0);
      if (first != NULL)
        add_window (self, 0, first);
      if (old_n > 0 && new_n > 0)
        {
          self->n_items = 0;
          g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, 0);
          set_n_items (self, 0, 0, new_n, new_n);
        }
      else
        set_n_items (self, 0, old_n, new_n, new_n);
    }
  else
    {
      self->leaving = g_steal_pointer (&self->windows);
      self->windows = g_ptr_array_new_with_free_func ((GDestroyNotify) window_free);
      if (first != NULL)
        add_window (self, 0, first);
      self->replacing = TRUE;
      self->leaving_at = new_n;
      self->n_items = new_n + old_n;
      g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, new_n);
      self->replacing = FALSE;
      self->leaving_at = 0;
      g_clear_pointer (&self->leaving, g_ptr_array_unref);

      self->n_items = new_n;
      g_list_model_items_changed (G_LIST_MODEL (self), new_n, old_n, 0);
      if (new_n != old_n)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
    }
  if (later)
    count_later (self, COUNT_GROW);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COUNTED]);
}

/* Another query: every row goes, then the new ones come, as two changes.
 * One change (0, old, new) would have GTK 4.8 look for the selected item
 * among every new row (GtkSingleSelection asks for each of them: a walk of
 * the book); with nothing added while the old rows go, it looks at none. */
static void
reset (RelayOrderListModel *self)
{
  guint old_n = self->n_items;
  guint new_n;

  g_ptr_array_set_size (self->windows, 0);
  new_n = count_rows (self);
  if (old_n > 0 && new_n > 0)
    {
      self->n_items = 0;
      g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, 0);
      set_n_items (self, 0, 0, new_n, new_n);
    }
  else
    set_n_items (self, 0, old_n, new_n, new_n);
}

typedef struct
{
  guint position;
  guint removed;
  guint added;
} Range;

static void
mark_seen (GHashTable *seen,
           gint64      id)
{
  g_hash_table_add (seen, g_memdup2 (&id, sizeof id));
}

static gint
compare_window_start (gconstpointer a,
                      gconstpointer b)
{
  const Window *wa = *(Window * const *) a;
  const Window *wb = *(Window * const *) b;

  return wa->start < wb->start ? -1 : wa->start > wb->start;
}

/* Same number of rows: re-read each cached window; rows still in place update
 * in place, and only a stretch whose ids moved is announced.  Returns FALSE
 * when the book moved more than the count says (the caller starts over). */
static gboolean
sync_same_count (RelayOrderListModel *self,
                 GHashTable          *seen,
                 GArray              *ranges)
{
  g_autoptr(GPtrArray) by_start = g_ptr_array_sized_new (self->windows->len);
  guint w = 0;

  /* Windows that touch are read as one stretch: one walk, not one each. */
  for (guint i = 0; i < self->windows->len; i++)
    g_ptr_array_add (by_start, g_ptr_array_index (self->windows, i));
  g_ptr_array_sort (by_start, compare_window_start);
  while (w < by_start->len)
    {
      Window *head = g_ptr_array_index (by_start, w);
      g_autoptr(GPtrArray) rows = NULL;
      guint end = head->start + head->items->len;
      guint next = w + 1;

      while (next < by_start->len && ((Window *) g_ptr_array_index (by_start, next))->start == end)
        end += ((Window *) g_ptr_array_index (by_start, next++))->items->len;
      rows = fetch_positions (self, self->n_items, head->start, end - head->start);
      if (rows == NULL || rows->len != end - head->start)
        return FALSE;

      for (; w < next; w++)
        {
          Window *window = g_ptr_array_index (by_start, w);
          guint offset = window->start - head->start;
          guint first = G_MAXUINT;
          guint last = 0;

          for (guint i = 0; i < window->items->len; i++)
            {
              RelayOrderRow *row = g_ptr_array_index (rows, offset + i);

              mark_seen (seen, row->id);
              if (item_id (window->items, i) == row->id)
                relay_order_item_update_from_row (g_ptr_array_index (window->items, i), row);
              else
                {
                  first = MIN (first, i);
                  last = MAX (last, i);
                }
            }
          if (first != G_MAXUINT)
            {
              Range range = { window->start + first, last - first + 1, last - first + 1 };
              GPtrArray *items = g_ptr_array_new_full (window->items->len, g_object_unref);

              for (guint i = 0; i < window->items->len; i++)
                g_ptr_array_add (items, item_for_row (self, g_ptr_array_index (rows, offset + i)));
              g_ptr_array_unref (window->items);
              window->items = items;
              g_array_append_val (ranges, range);
            }
        }
    }
  return TRUE;
}

/* Does every cached window other than the first hold the same ids @delta
 * positions further on in the new list? */
static gboolean
other_windows_shifted (RelayOrderListModel *self,
                       Window              *first,
                       guint                new_n,
                       gint64               delta)
{
  for (guint w = 0; w < self->windows->len; w++)
    {
      Window *window = g_ptr_array_index (self->windows, w);
      g_autoptr(GPtrArray) rows = NULL;
      gint64 start = (gint64) window->start + delta;

      if (window == first)
        continue;
      if (start < 0 || start + window->items->len > new_n)
        return FALSE;
      rows = fetch_positions (self, new_n, (guint) start, window->items->len);
      if (rows == NULL || rows->len != window->items->len)
        return FALSE;
      for (guint i = 0; i < rows->len; i++)
        if (row_id (rows, i) != item_id (window->items, i))
          return FALSE;
    }
  return TRUE;
}

/* The count changed.  With the first window cached, find the common prefix and
 * the smallest (removed, added) after it that lines the rest of the window up
 * again: new orders at the top of a newest-first list give (0, 0, n). */
static Range
sync_new_count (RelayOrderListModel *self,
                guint                new_n,
                GHashTable          *seen)
{
  Range whole = { 0, self->n_items, new_n };
  Window *first = find_window_at (self, 0);
  g_autoptr(GPtrArray) rows = NULL;
  gint64 delta = (gint64) new_n - (gint64) self->n_items;
  GPtrArray *old;
  GPtrArray *items;
  guint p = 0;
  guint n_old;
  Range range;
  gboolean found = FALSE;

  if (first == NULL || self->n_items == 0 || ABS (delta) > RELAY_ORDER_LIST_WINDOW)
    {
      g_ptr_array_set_size (self->windows, 0);
      return whole;
    }

  old = first->items;
  n_old = old->len;
  rows = fetch_rows (self, 0, n_old + (guint) MAX (delta, 0));
  if (rows == NULL)
    {
      g_ptr_array_set_size (self->windows, 0);
      return whole;
    }
  for (guint i = 0; i < rows->len; i++)
    mark_seen (seen, row_id (rows, i));

  while (p < n_old && p < rows->len && item_id (old, p) == row_id (rows, p))
    p++;

  range.position = p;
  range.removed = self->n_items - p;
  range.added = new_n - p;
  for (guint removed = 0; removed < n_old - p && !found; removed++)
    {
      gint64 added = (gint64) removed + delta;
      guint overlap = n_old - p - removed;
      gboolean same = TRUE;

      if (added < 0 || p + added + overlap > rows->len)
        continue;
      for (guint k = 0; k < overlap && same; k++)
        same = item_id (old, p + removed + k) == row_id (rows, p + (guint) added + k);
      if (same && other_windows_shifted (self, first, new_n, delta))
        {
          range.removed = removed;
          range.added = (guint) added;
          found = TRUE;
        }
    }

  /* The new first window, reusing live items; then drop the old cache. */
  items = items_for_rows (self, rows, RELAY_ORDER_LIST_WINDOW);
  g_ptr_array_set_size (self->windows, 0);
  add_window (self, 0, items);
  return range;
}

static void
update_other_live_items (RelayOrderListModel *self,
                         GArray              *ids,
                         GHashTable          *seen)
{
  for (guint i = 0; ids != NULL && i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      LiveEntry *entry;
      g_autoptr(RelayOrderRow) row = NULL;

      if (g_hash_table_contains (seen, &id))
        continue;
      entry = g_hash_table_lookup (self->live, &id);
      if (entry == NULL)
        continue;
      row = relay_store_get_order (self->store, id, NULL);
      if (row != NULL)
        relay_order_item_update_from_row (entry->item, row);
    }
}

static void
sync_with_count (RelayOrderListModel *self,
                 GArray              *ids,
                 guint                new_n)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GArray) ranges = g_array_new (FALSE, FALSE, sizeof (Range));

  if (new_n == self->n_items)
    {
      if (!sync_same_count (self, seen, ranges))
        {
          reset (self);
          return;
        }
      update_other_live_items (self, ids, seen);
      for (guint i = 0; i < ranges->len; i++)
        {
          Range *range = &g_array_index (ranges, Range, i);

          g_list_model_items_changed (G_LIST_MODEL (self), range->position,
                                      range->removed, range->added);
        }
    }
  else
    {
      Range range = sync_new_count (self, new_n, seen);

      update_other_live_items (self, ids, seen);
      set_n_items (self, range.position, range.removed, range.added, new_n);
    }
}

/* The book changed (@ids, or anything when NULL): the list follows, at once
 * when the store counts the rows at once, else once they are counted on the
 * thread; changes meanwhile are gathered for one more count after it. */
static void
sync_with_store (RelayOrderListModel *self,
                 GArray              *ids)
{
  if (!counts_later (self))
    {
      sync_with_count (self, ids, count_rows (self));
      return;
    }
  if (ids != NULL && ids->len > 0)
    {
      if (self->changed_ids == NULL)
        self->changed_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_array_append_vals (self->changed_ids, ids->data, ids->len);
    }
  if (self->counting != COUNT_NONE)
    self->recount = TRUE;
  else
    count_later (self, COUNT_SYNC);
}

static void
on_orders_changed (RelayStore          *store,
                   GArray              *ids,
                   RelayOrderListModel *self)
{
  if (self->held)
    {
      self->stale = TRUE;
      return;
    }
  sync_with_store (self, ids);
}

/* ---- GListModel ---- */

/* Old row @position while replace_rows() announces the new ones: from the
 * old windows, never read again (the old query's rows far down the book
 * cost a walk of OFFSET rows each).  A view asks for the rows it shows,
 * which it asked for before; should the cache have let one go, a blank
 * item stands in for it: the old rows go before anything is drawn, and a
 * blank item is no other row's (GTK 4.8 warns of an item twice in a
 * removed range). */
static gpointer
leaving_item (RelayOrderListModel *self,
              guint                position)
{
  RelayOrderRow blank = { 0 };

  for (guint i = 0; i < self->leaving->len; i++)
    {
      Window *window = g_ptr_array_index (self->leaving, i);

      if (position >= window->start && position < window->start + window->items->len)
        return g_object_ref (g_ptr_array_index (window->items, position - window->start));
    }
  blank.status = RELAY_ORDER_QUEUED;
  return relay_order_item_new (&blank);
}

static GType
relay_order_list_model_get_item_type (GListModel *model)
{
  return RELAY_TYPE_ORDER_ITEM;
}

static guint
relay_order_list_model_get_n_items (GListModel *model)
{
  return RELAY_ORDER_LIST_MODEL (model)->n_items;
}

static gpointer
relay_order_list_model_get_item (GListModel *model,
                                 guint       position)
{
  RelayOrderListModel *self = RELAY_ORDER_LIST_MODEL (model);
  g_autoptr(GPtrArray) rows = NULL;
  GPtrArray *items;
  guint start;
  guint len;

  if (position >= self->n_items)
    return NULL;

  /* An old row while a new query's rows come (replace_rows). */
  if (self->replacing && position >= self->leaving_at)
    return leaving_item (self, position - self->leaving_at);

  for (guint i = self->windows->len; i > 0; i--)
    {
      Window *window = g_ptr_array_index (self->windows, i - 1);

      if (position >= window->start && position < window->start + window->items->len)
        {
          /* Most recently used last. */
          if (i != self->windows->len)
            {
              g_ptr_array_steal_index (self->windows, i - 1);
              g_ptr_array_add (self->windows, window);
            }
          return g_object_ref (g_ptr_array_index (window->items, position - window->start));
        }
    }

  start = position - position % RELAY_ORDER_LIST_WINDOW;
  len = MIN (RELAY_ORDER_LIST_WINDOW, n_current (self) - start);
  /* While a new query's rows come above the old ones (replace_rows), GTK asks
   * for the two just above the old rows, the new list's last: read those, not
   * the window they end. */
  if (self->replacing && start + RELAY_ORDER_LIST_WINDOW >= n_current (self) &&
      position - start >= RELAY_ORDER_LIST_WINDOW / 2)
    {
      start = position;
      len = n_current (self) - position;
    }
  rows = fetch_window (self, start, len);
  if (rows == NULL || position - start >= rows->len)
    return NULL;
  items = items_for_rows (self, rows, rows->len);
  add_window (self, start, items);
  return g_object_ref (g_ptr_array_index (items, position - start));
}

static void
relay_order_list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = relay_order_list_model_get_item_type;
  iface->get_n_items = relay_order_list_model_get_n_items;
  iface->get_item = relay_order_list_model_get_item;
}

/* ---- GObject ---- */

static void
relay_order_list_model_constructed (GObject *object)
{
  RelayOrderListModel *self = RELAY_ORDER_LIST_MODEL (object);

  G_OBJECT_CLASS (relay_order_list_model_parent_class)->constructed (object);

  g_return_if_fail (RELAY_IS_STORE (self->store));
  self->orders_changed_id = g_signal_connect (self->store, "orders-changed",
                                              G_CALLBACK (on_orders_changed), self);
  self->context = g_main_context_ref_thread_default ();
  /* A book in memory has no second connection: it counts here. */
  if (relay_store_is_shared (self->store))
    self->counter = g_thread_pool_new_full (count_run, self, count_job_free, 1, FALSE, NULL);
  self->n_items = count_rows (self);
}

static void
relay_order_list_model_dispose (GObject *object)
{
  RelayOrderListModel *self = RELAY_ORDER_LIST_MODEL (object);

  if (self->store != NULL)
    g_clear_signal_handler (&self->orders_changed_id, self->store);
  if (self->counter != NULL)
    {
      /* The count under way stops at once; the ones waiting are dropped. */
      stop_counting (self);
      g_thread_pool_free (g_steal_pointer (&self->counter), TRUE, TRUE);
    }
  g_clear_object (&self->counter_store);
  if (self->windows != NULL)
    g_ptr_array_set_size (self->windows, 0);

  G_OBJECT_CLASS (relay_order_list_model_parent_class)->dispose (object);
}

static void
relay_order_list_model_finalize (GObject *object)
{
  RelayOrderListModel *self = RELAY_ORDER_LIST_MODEL (object);
  GHashTableIter iter;
  gpointer value;

  /* Items may outlive us in a view: they must not call back. */
  g_hash_table_iter_init (&iter, self->live);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      LiveEntry *entry = value;

      g_object_weak_unref (G_OBJECT (entry->item), live_entry_gone, entry);
    }
  g_clear_pointer (&self->live, g_hash_table_unref);
  g_clear_pointer (&self->windows, g_ptr_array_unref);
  g_clear_pointer (&self->search, g_free);
  g_clear_pointer (&self->changed_ids, g_array_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_mutex_clear (&self->counter_lock);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (relay_order_list_model_parent_class)->finalize (object);
}

static void
relay_order_list_model_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  RelayOrderListModel *self = RELAY_ORDER_LIST_MODEL (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->n_items);
      break;
    case PROP_COUNTED:
      g_value_set_boolean (value, relay_order_list_model_get_counted (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_order_list_model_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  RelayOrderListModel *self = RELAY_ORDER_LIST_MODEL (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
relay_order_list_model_class_init (RelayOrderListModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = relay_order_list_model_constructed;
  object_class->dispose = relay_order_list_model_dispose;
  object_class->finalize = relay_order_list_model_finalize;
  object_class->get_property = relay_order_list_model_get_property;
  object_class->set_property = relay_order_list_model_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, RELAY_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* FALSE while the rows after the first window are being counted. */
  properties[PROP_COUNTED] =
    g_param_spec_boolean ("counted", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
relay_order_list_model_init (RelayOrderListModel *self)
{
  self->windows = g_ptr_array_new_with_free_func ((GDestroyNotify) window_free);
  self->live = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);
  g_mutex_init (&self->counter_lock);
}

/* ---- public ---- */

RelayOrderListModel *
relay_order_list_model_new (RelayStore *store)
{
  g_return_val_if_fail (RELAY_IS_STORE (store), NULL);
  return g_object_new (RELAY_TYPE_ORDER_LIST_MODEL, "store", store, NULL);
}

RelayStore *
relay_order_list_model_get_store (RelayOrderListModel *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER_LIST_MODEL (self), NULL);
  return self->store;
}

const RelayOrderQuery *
relay_order_list_model_get_query (RelayOrderListModel *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER_LIST_MODEL (self), NULL);
  return &self->query;
}

void
relay_order_list_model_set_query (RelayOrderListModel   *self,
                                  const RelayOrderQuery *query)
{
  g_autofree char *old_search = NULL;

  g_return_if_fail (RELAY_IS_ORDER_LIST_MODEL (self));
  g_return_if_fail (query != NULL);

  /* @query->search may be the current one. */
  old_search = g_steal_pointer (&self->search);
  self->query = *query;
  self->search = (query->search != NULL && *query->search != '\0') ? g_strdup (query->search) : NULL;
  self->query.search = self->search;
  replace_rows (self);
}

gboolean
relay_order_list_model_get_replacing (RelayOrderListModel *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER_LIST_MODEL (self), FALSE);
  return self->replacing;
}

gboolean
relay_order_list_model_get_counted (RelayOrderListModel *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER_LIST_MODEL (self), FALSE);
  return self->counting != COUNT_GROW;
}

void
relay_order_list_model_set_filter (RelayOrderListModel *self,
                                   RelayOrderFilter     filter)
{
  RelayOrderQuery query;

  g_return_if_fail (RELAY_IS_ORDER_LIST_MODEL (self));
  query = self->query;
  query.filter = filter;
  relay_order_list_model_set_query (self, &query);
}

void
relay_order_list_model_set_client_id (RelayOrderListModel *self,
                                      gint64               client_id)
{
  RelayOrderQuery query;

  g_return_if_fail (RELAY_IS_ORDER_LIST_MODEL (self));
  query = self->query;
  query.client_id = client_id;
  relay_order_list_model_set_query (self, &query);
}

void
relay_order_list_model_set_provider_id (RelayOrderListModel *self,
                                        gint64               provider_id)
{
  RelayOrderQuery query;

  g_return_if_fail (RELAY_IS_ORDER_LIST_MODEL (self));
  query = self->query;
  query.provider_id = provider_id;
  relay_order_list_model_set_query (self, &query);
}

void
relay_order_list_model_set_search (RelayOrderListModel *self,
                                   const char          *search)
{
  RelayOrderQuery query;

  g_return_if_fail (RELAY_IS_ORDER_LIST_MODEL (self));
  query = self->query;
  query.search = search;
  relay_order_list_model_set_query (self, &query);
}

void
relay_order_list_model_set_sort (RelayOrderListModel *self,
                                 RelayOrderSort       sort,
                                 gboolean             ascending)
{
  RelayOrderQuery query;

  g_return_if_fail (RELAY_IS_ORDER_LIST_MODEL (self));
  query = self->query;
  query.sort = sort;
  query.ascending = ascending;
  relay_order_list_model_set_query (self, &query);
}

void
relay_order_list_model_reload (RelayOrderListModel *self)
{
  g_return_if_fail (RELAY_IS_ORDER_LIST_MODEL (self));
  sync_with_store (self, NULL);
}

void
relay_order_list_model_set_held (RelayOrderListModel *self,
                                 gboolean             held)
{
  g_return_if_fail (RELAY_IS_ORDER_LIST_MODEL (self));

  held = !!held;
  if (self->held == held)
    return;
  self->held = held;
  if (!held && self->stale)
    {
      self->stale = FALSE;
      sync_with_store (self, NULL);
    }
}

gboolean
relay_order_list_model_get_held (RelayOrderListModel *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER_LIST_MODEL (self), FALSE);
  return self->held;
}

void
relay_order_list_model_refresh_times (RelayOrderListModel *self)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (RELAY_IS_ORDER_LIST_MODEL (self));
  g_hash_table_iter_init (&iter, self->live);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    relay_order_item_refresh_times (((LiveEntry *) value)->item, now);
}

RelayOrderItem *
relay_order_list_model_find_item (RelayOrderListModel *self,
                                  gint64               id)
{
  LiveEntry *entry;

  g_return_val_if_fail (RELAY_IS_ORDER_LIST_MODEL (self), NULL);
  entry = g_hash_table_lookup (self->live, &id);
  return entry != NULL ? entry->item : NULL;
}

guint
relay_order_list_model_get_n_live_items (RelayOrderListModel *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER_LIST_MODEL (self), 0);
  return g_hash_table_size (self->live);
}

guint
relay_order_list_model_get_n_windows (RelayOrderListModel *self)
{
  g_return_val_if_fail (RELAY_IS_ORDER_LIST_MODEL (self), 0);
  return self->windows->len;
}
