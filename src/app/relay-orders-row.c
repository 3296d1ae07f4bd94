/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayOrdersRow: one row of the orders table as one widget.
 *
 * GTK 4.8 keeps about 200 rows alive in a list, and a GtkColumnView row is
 * a list item widget with a cell widget per column (each a list item of
 * its own, with a click gesture and a motion controller) around our cell
 * widgets: ~25 widgets a row, ~5,000 in the table.  Making and dropping
 * them was most of a search's time, and styling them most of a style
 * change's.  Here a row draws its columns itself, with one PangoLayout per
 * column made once and given a new text at each bind; the status pill is
 * its one child (its colours are the style sheet's).  The columns' places
 * come from the table's header (RelayOrderColumns). */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "relay-orders-row.h"
#include "relay-order-status.h"
#include "relay-status-pill.h"

/* A cell's padding (libadwaita's "columnview > listview > row > cell") and
 * the 1 px border left of every cell but the first. */
#define CELL_PAD_X 6
#define CELL_PAD_Y 8
#define CELL_BORDER 1
/* The progress cell: a caption over a thin bar (style.css had 4 px), 2 px apart. */
#define BAR_HEIGHT 4
#define BAR_SPACING 2
/* libadwaita's .caption: 9pt. */
#define CAPTION_POINTS 9.0

typedef struct
{
  const char        *notify[2];   /* the item's properties the column shows */
  float              xalign;
  PangoEllipsizeMode ellipsize;
  gboolean           numeric;     /* tabular figures */
} ColumnSpec;

static const ColumnSpec specs[RELAY_ORDER_N_CELLS] = {
  [RELAY_ORDER_CELL_ID] = { { "id" }, 1.0f, PANGO_ELLIPSIZE_END, TRUE },
  [RELAY_ORDER_CELL_CLIENT] = { { "client" }, 0.0f, PANGO_ELLIPSIZE_END, FALSE },
  [RELAY_ORDER_CELL_SERVICE] = { { "service" }, 0.0f, PANGO_ELLIPSIZE_END, FALSE },
  [RELAY_ORDER_CELL_LINK] = { { "link-markup" }, 0.0f, PANGO_ELLIPSIZE_MIDDLE, FALSE },
  [RELAY_ORDER_CELL_QUANTITY] = { { "quantity-text" }, 1.0f, PANGO_ELLIPSIZE_END, TRUE },
  [RELAY_ORDER_CELL_PROGRESS] = { { "progress-text", "progress" }, 0.0f, PANGO_ELLIPSIZE_NONE, TRUE },
  [RELAY_ORDER_CELL_START_COUNT] = { { "start-count-text" }, 1.0f, PANGO_ELLIPSIZE_END, TRUE },
  [RELAY_ORDER_CELL_REMAINS] = { { "remains-text" }, 1.0f, PANGO_ELLIPSIZE_END, TRUE },
  [RELAY_ORDER_CELL_CHARGE] = { { "charge-text" }, 1.0f, PANGO_ELLIPSIZE_END, TRUE },
  [RELAY_ORDER_CELL_STATUS] = { { "status" }, 0.0f, PANGO_ELLIPSIZE_NONE, FALSE },
  [RELAY_ORDER_CELL_UPDATED] = { { "updated-text" }, 0.0f, PANGO_ELLIPSIZE_END, FALSE },
};

struct _RelayOrdersRow
{
  GtkWidget          parent_instance;

  RelayOrderColumns *columns;
  gulong             columns_changed_id;
  RelayOrderItem    *item;
  gulong             notify_id;
  double             progress;
  char              *link_markup;                      /* what the link layout shows */
  PangoLayout       *layouts[RELAY_ORDER_N_CELLS];     /* NULL for the status */
  RelayStatusPill   *pill;
  /* The row's height, for the pango context of this serial and the pill's
   * height (0: not measured yet). */
  int                height;
  guint              height_serial;
  int                pill_height;
};

G_DEFINE_FINAL_TYPE (RelayOrdersRow, relay_orders_row, GTK_TYPE_WIDGET)

/* ---- texts ---- */

static void
set_layout_text (PangoLayout *layout,
                 const char  *text)
{
  if (text == NULL)
    text = "";
  /* pango_layout_set_text() lays the text out again even when it is the same. */
  if (g_strcmp0 (pango_layout_get_text (layout), text) != 0)
    pango_layout_set_text (layout, text, -1);
}

static const char *
item_text (RelayOrderItem     *item,
           RelayOrderCellKind  kind)
{
  switch (kind)
    {
    case RELAY_ORDER_CELL_CLIENT:
      return relay_order_item_get_client (item);
    case RELAY_ORDER_CELL_SERVICE:
      return relay_order_item_get_service (item);
    case RELAY_ORDER_CELL_QUANTITY:
      return relay_order_item_get_quantity_text (item);
    case RELAY_ORDER_CELL_PROGRESS:
      return relay_order_item_get_progress_text (item);
    case RELAY_ORDER_CELL_START_COUNT:
      return relay_order_item_get_start_count_text (item);
    case RELAY_ORDER_CELL_REMAINS:
      return relay_order_item_get_remains_text (item);
    case RELAY_ORDER_CELL_CHARGE:
      return relay_order_item_get_charge_text (item);
    case RELAY_ORDER_CELL_UPDATED:
      return relay_order_item_get_updated_text (item);
    case RELAY_ORDER_CELL_ID:
    case RELAY_ORDER_CELL_LINK:
    case RELAY_ORDER_CELL_STATUS:
    case RELAY_ORDER_N_CELLS:
    default:
      g_assert_not_reached ();
    }
  return NULL;
}

/* What the row reads to assistive technologies: every column, as the
 * table's cells did one by one. */
static void
update_accessible_label (RelayOrdersRow *self)
{
  g_autofree char *label = NULL;

  if (self->item == NULL)
    {
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL);
      return;
    }
  /* Translators: what a screen reader says for a row of the orders table:
   * the order's ID, client, service, link, quantity, progress, start
   * count, remains, charge, status and when it was updated, e.g. "Order
   * 1204, Acme Coffee, Instagram Likes, instagram.com/p/abc, quantity 1,000,
   * progress 40 %, start 120, remains 600, charge $1.25, In progress,
   * updated 5 min ago" */
  label = g_strdup_printf (_("Order %s, %s, %s, %s, quantity %s, progress %s, start %s, "
                             "remains %s, charge %s, %s, updated %s"),
                           relay_orders_row_get_text (self, RELAY_ORDER_CELL_ID),
                           relay_orders_row_get_text (self, RELAY_ORDER_CELL_CLIENT),
                           relay_orders_row_get_text (self, RELAY_ORDER_CELL_SERVICE),
                           relay_order_item_get_link (self->item) != NULL
                             ? relay_order_item_get_link (self->item) : "",
                           relay_orders_row_get_text (self, RELAY_ORDER_CELL_QUANTITY),
                           relay_orders_row_get_text (self, RELAY_ORDER_CELL_PROGRESS),
                           relay_orders_row_get_text (self, RELAY_ORDER_CELL_START_COUNT),
                           relay_orders_row_get_text (self, RELAY_ORDER_CELL_REMAINS),
                           relay_orders_row_get_text (self, RELAY_ORDER_CELL_CHARGE),
                           relay_orders_row_get_text (self, RELAY_ORDER_CELL_STATUS),
                           relay_orders_row_get_text (self, RELAY_ORDER_CELL_UPDATED));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static void
update_column (RelayOrdersRow      *self,
               RelayOrderCellKind  kind)
{
  RelayOrderItem *item = self->item;

  switch (kind)
    {
    case RELAY_ORDER_CELL_ID:
      {
        char id[24];

        g_snprintf (id, sizeof id, "%" G_GINT64_FORMAT, relay_order_item_get_id (item));
        set_layout_text (self->layouts[kind], id);
      }
      break;
    case RELAY_ORDER_CELL_LINK:
      {
        const char *markup = relay_order_item_get_link_markup (item);

        if (markup == NULL)
          markup = "";
        if (g_strcmp0 (self->link_markup, markup) != 0)
          {
            g_free (self->link_markup);
            self->link_markup = g_strdup (markup);
            pango_layout_set_markup (self->layouts[kind], markup, -1);
          }
      }
      break;
    case RELAY_ORDER_CELL_STATUS:
      relay_status_pill_set_status (self->pill, relay_order_item_get_status (item));
      break;
    case RELAY_ORDER_CELL_PROGRESS:
      self->progress = CLAMP (relay_order_item_get_progress (item), 0.0, 1.0);
      set_layout_text (self->layouts[kind], item_text (item, kind));
      break;
    case RELAY_ORDER_CELL_CLIENT:
    case RELAY_ORDER_CELL_SERVICE:
    case RELAY_ORDER_CELL_QUANTITY:
    case RELAY_ORDER_CELL_START_COUNT:
    case RELAY_ORDER_CELL_REMAINS:
    case RELAY_ORDER_CELL_CHARGE:
    case RELAY_ORDER_CELL_UPDATED:
      set_layout_text (self->layouts[kind], item_text (item, kind));
      break;
    case RELAY_ORDER_N_CELLS:
    default:
      g_assert_not_reached ();
    }
}

/* One handler a row for every notification of its item (a connect per
 * column cost ~2,000 connects and disconnects a new query): the ones the
 * columns show redraw the row, the others are ignored. */
static void
on_item_notify (RelayOrderItem *item,
                GParamSpec     *pspec,
                RelayOrdersRow  *self)
{
  gboolean shown = FALSE;

  for (RelayOrderCellKind kind = 0; kind < RELAY_ORDER_N_CELLS; kind++)
    for (guint i = 0; i < G_N_ELEMENTS (specs[kind].notify) && specs[kind].notify[i] != NULL; i++)
      if (strcmp (pspec->name, specs[kind].notify[i]) == 0)
        {
          update_column (self, kind);
          shown = TRUE;
        }
  if (!shown)
    return;
  update_accessible_label (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
relay_orders_row_set_item (RelayOrdersRow  *self,
                          RelayOrderItem *item)
{
  g_return_if_fail (RELAY_IS_ORDERS_ROW (self));
  g_return_if_fail (item == NULL || RELAY_IS_ORDER_ITEM (item));

  if (self->item == item)
    return;
  if (self->item != NULL)
    g_clear_signal_handler (&self->notify_id, self->item);
  g_set_object (&self->item, item);
  if (item == NULL)
    {
      for (RelayOrderCellKind kind = 0; kind < RELAY_ORDER_N_CELLS; kind++)
        if (self->layouts[kind] != NULL)
          set_layout_text (self->layouts[kind], "");
      g_clear_pointer (&self->link_markup, g_free);
      self->progress = 0;
      relay_status_pill_set_status (self->pill, RELAY_ORDER_N_STATUSES);
    }
  else
    {
      for (RelayOrderCellKind kind = 0; kind < RELAY_ORDER_N_CELLS; kind++)
        update_column (self, kind);
      self->notify_id = g_signal_connect (item, "notify", G_CALLBACK (on_item_notify), self);
    }
  update_accessible_label (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

RelayOrderItem *
relay_orders_row_get_item (RelayOrdersRow *self)
{
  g_return_val_if_fail (RELAY_IS_ORDERS_ROW (self), NULL);
  return self->item;
}

const char *
relay_orders_row_get_text (RelayOrdersRow      *self,
                          RelayOrderCellKind  kind)
{
  g_return_val_if_fail (RELAY_IS_ORDERS_ROW (self), NULL);
  g_return_val_if_fail (kind < RELAY_ORDER_N_CELLS, NULL);

  if (kind == RELAY_ORDER_CELL_STATUS)
    {
      RelayOrderStatus status = relay_status_pill_get_status (self->pill);

      return status < RELAY_ORDER_N_STATUSES ? relay_order_status_get_label (status) : "";
    }
  return pango_layout_get_text (self->layouts[kind]);
}

gboolean
relay_orders_row_get_column_rect (RelayOrdersRow      *self,
                                 RelayOrderCellKind  kind,
                                 graphene_rect_t    *rect)
{
  int x, width;

  g_return_val_if_fail (RELAY_IS_ORDERS_ROW (self), FALSE);
  g_return_val_if_fail (kind < RELAY_ORDER_N_CELLS, FALSE);
  g_return_val_if_fail (rect != NULL, FALSE);

  if (!relay_order_columns_get (self->columns, kind, &x, &width))
    return FALSE;
  graphene_rect_init (rect, x, 0, width, gtk_widget_get_height (GTK_WIDGET (self)));
  return TRUE;
}

/* ---- size ---- */

static int
line_height (PangoContext               *context,
             const PangoFontDescription *font)
{
  PangoFontMetrics *metrics = pango_context_get_metrics (context, font, NULL);
  int height = pango_font_metrics_get_ascent (metrics) + pango_font_metrics_get_descent (metrics);

  pango_font_metrics_unref (metrics);
  return PANGO_PIXELS_CEIL (height);
}

/* The caption's font: the row's at 9pt (in pixels at the screen's
 * resolution, as GTK turns CSS points into a font size). */
static PangoFontDescription *
caption_font (GtkWidget *widget)
{
  PangoContext *context = gtk_widget_get_pango_context (widget);
  PangoFontDescription *font = pango_font_description_copy (pango_context_get_font_description (context));
  int dpi = 0;

  g_object_get (gtk_widget_get_settings (widget), "gtk-xft-dpi", &dpi, NULL);
  pango_font_description_set_absolute_size (font, CAPTION_POINTS * (dpi > 0 ? dpi / 1024.0 : 96.0) /
                                                  72.0 * PANGO_SCALE);
  return font;
}

/* The heights of a line of text and of the progress (caption and bar) for
 * the rows' font: the same for every row, measured once for a font. */
typedef struct
{
  PangoFontDescription *font;
  int                   dpi;
  int                   text;
  int                   progress;
} LineHeights;

static LineHeights line_heights;

static const LineHeights *
get_line_heights (GtkWidget *widget)
{
  PangoContext *context = gtk_widget_get_pango_context (widget);
  const PangoFontDescription *font = pango_context_get_font_description (context);
  int dpi = 0;

  g_object_get (gtk_widget_get_settings (widget), "gtk-xft-dpi", &dpi, NULL);
  if (line_heights.font == NULL || line_heights.dpi != dpi ||
      !pango_font_description_equal (line_heights.font, font))
    {
      g_autoptr(PangoFontDescription) caption = caption_font (widget);

      g_clear_pointer (&line_heights.font, pango_font_description_free);
      line_heights.font = pango_font_description_copy (font);
      line_heights.dpi = dpi;
      line_heights.text = line_height (context, NULL);
      line_heights.progress = line_height (context, caption) + BAR_SPACING + BAR_HEIGHT;
    }
  return &line_heights;
}

/* Every row is as high: its content (a line of text, the progress's
 * caption and bar, the status pill) and the cell padding, whatever the
 * order shows.  Measured again only when the font changes. */
static int
row_height (RelayOrdersRow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  PangoContext *context = gtk_widget_get_pango_context (widget);
  guint serial = pango_context_get_serial (context);
  int pill_height = 0;

  gtk_widget_measure (GTK_WIDGET (self->pill), GTK_ORIENTATION_VERTICAL, -1, NULL, &pill_height,
                      NULL, NULL);
  if (self->height == 0 || serial != self->height_serial || pill_height > self->pill_height)
    {
      const LineHeights *heights = get_line_heights (widget);
      g_autoptr(PangoFontDescription) caption = caption_font (widget);

      self->pill_height = MAX (self->pill_height, pill_height);
      self->height = MAX (MAX (heights->text, heights->progress), self->pill_height) + 2 * CELL_PAD_Y;
      self->height_serial = serial;
      pango_layout_set_font_description (self->layouts[RELAY_ORDER_CELL_PROGRESS], caption);
    }
  return self->height;
}

static void
relay_orders_row_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  RelayOrdersRow *self = RELAY_ORDERS_ROW (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = relay_order_columns_get_total_width (self->columns);
  else
    *minimum = *natural = row_height (self);
}

/* The inside of column @kind's cell (no padding, no border); FALSE when
 * the column is hidden or too narrow. */
static gboolean
content_box (RelayOrdersRow      *self,
             RelayOrderCellKind  kind,
             int                *x,
             int                *width)
{
  int cell_x, cell_width, border;

  if (!relay_order_columns_get (self->columns, kind, &cell_x, &cell_width))
    return FALSE;
  border = cell_x > 0 ? CELL_BORDER : 0;
  *x = cell_x + border + CELL_PAD_X;
  *width = cell_width - border - 2 * CELL_PAD_X;
  return *width > 0;
}

static void
relay_orders_row_size_allocate (GtkWidget *widget,
                               int        width,
                               int        height,
                               int        baseline)
{
  RelayOrdersRow *self = RELAY_ORDERS_ROW (widget);
  GtkWidget *pill = GTK_WIDGET (self->pill);
  int x, content_width, pill_min, pill_nat, pill_height, pill_width;

  if (!content_box (self, RELAY_ORDER_CELL_STATUS, &x, &content_width))
    {
      gtk_widget_set_child_visible (pill, FALSE);
      return;
    }
  gtk_widget_set_child_visible (pill, TRUE);
  if (!gtk_widget_get_visible (pill))
    return;
  gtk_widget_measure (pill, GTK_ORIENTATION_HORIZONTAL, -1, &pill_min, &pill_nat, NULL, NULL);
  gtk_widget_measure (pill, GTK_ORIENTATION_VERTICAL, -1, NULL, &pill_height, NULL, NULL);
  /* As the cell placed it: at the start, its natural width if it fits. */
  pill_width = MAX (pill_min, MIN (pill_nat, content_width));
  if (gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL)
    x += MAX (0, content_width - pill_width);
  gtk_widget_size_allocate (pill,
                            &(GtkAllocation) { x, (height - pill_height) / 2,
                                               pill_width, pill_height },
                            -1);
}

/* ---- drawing ---- */

static void
draw_text (GtkSnapshot   *snapshot,
           PangoLayout   *layout,
           const GdkRGBA *color,
           int            x,
           int            y)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
draw_bar (GtkSnapshot   *snapshot,
          const GdkRGBA *color,
          float          x,
          float          y,
          float          width)
{
  GskRoundedRect bar;

  if (width <= 0)
    return;
  gsk_rounded_rect_init_from_rect (&bar, &GRAPHENE_RECT_INIT (x, y, width, BAR_HEIGHT),
                                   BAR_HEIGHT / 2.0f);
  gtk_snapshot_push_rounded_clip (snapshot, &bar);
  gtk_snapshot_append_color (snapshot, color, &bar.bounds);
  gtk_snapshot_pop (snapshot);
}

static void
relay_orders_row_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  RelayOrdersRow *self = RELAY_ORDERS_ROW (widget);
  GtkStyleContext *style = gtk_widget_get_style_context (widget);
  int height = gtk_widget_get_height (widget);
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  GdkRGBA color;

  if (self->item == NULL)
    return;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (style, &color);
  G_GNUC_END_IGNORE_DEPRECATIONS

  for (RelayOrderCellKind kind = 0; kind < RELAY_ORDER_N_CELLS; kind++)
    {
      PangoLayout *layout = self->layouts[kind];
      PangoRectangle logical;
      int x, width;

      if (layout == NULL || !content_box (self, kind, &x, &width))
        continue;
      /* The progress is clipped (as its cell was), the others ellipsized. */
      if (kind != RELAY_ORDER_CELL_PROGRESS)
        pango_layout_set_width (layout, width * PANGO_SCALE);
      pango_layout_get_pixel_extents (layout, NULL, &logical);
      gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (x, 0, width, height));
      if (kind == RELAY_ORDER_CELL_PROGRESS)
        {
          /* The caption over the bar, the two centred as a box. */
          int y = (height - (logical.height + BAR_SPACING + BAR_HEIGHT)) / 2;
          int bar_y = y + logical.height + BAR_SPACING;
          GdkRGBA trough = color;
          GdkRGBA accent;
          float done = (float) (self->progress * width);

          G_GNUC_BEGIN_IGNORE_DEPRECATIONS
          if (!gtk_style_context_lookup_color (style, "accent_bg_color", &accent))
            accent = color;
          G_GNUC_END_IGNORE_DEPRECATIONS
          trough.alpha *= 0.15f;
          draw_text (snapshot, layout, &color, x, y);
          draw_bar (snapshot, &trough, x, bar_y, width);
          draw_bar (snapshot, &accent, rtl ? x + width - done : x, bar_y, done);
        }
      else
        draw_text (snapshot, layout, &color, x, (height - logical.height) / 2);
      gtk_snapshot_pop (snapshot);
    }
  gtk_widget_snapshot_child (widget, GTK_WIDGET (self->pill), snapshot);
}

/* ---- tooltips ---- */

/* The service and link are often cut short: the whole text as a tooltip,
 * computed when GTK asks (a hover), for the column under the pointer. */
static gboolean
relay_orders_row_query_tooltip (GtkWidget  *widget,
                               int         x,
                               int         y,
                               gboolean    keyboard_mode,
                               GtkTooltip *tooltip)
{
  RelayOrdersRow *self = RELAY_ORDERS_ROW (widget);
  RelayOrderCellKind kind;
  const char *text = NULL;
  int cell_x, cell_width;

  if (self->item == NULL || keyboard_mode)
    return FALSE;
  kind = relay_order_columns_kind_at (self->columns, x);
  if (kind == RELAY_ORDER_CELL_LINK)
    text = relay_order_item_get_link (self->item);
  else if (kind == RELAY_ORDER_CELL_SERVICE)
    text = relay_order_item_get_service (self->item);
  if (text == NULL || *text == '\0')
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  /* Asked again when the pointer moves to another column. */
  relay_order_columns_get (self->columns, kind, &cell_x, &cell_width);
  gtk_tooltip_set_tip_area (tooltip, &(GdkRectangle) { cell_x, 0, cell_width,
                                                       gtk_widget_get_height (widget) });
  return TRUE;
}

/* ---- GObject ---- */

static void
on_columns_changed (RelayOrderColumns *columns,
                    RelayOrdersRow     *self)
{
  if (gtk_widget_get_width (GTK_WIDGET (self)) != relay_order_columns_get_total_width (columns))
    gtk_widget_queue_resize (GTK_WIDGET (self));
  else
    gtk_widget_queue_allocate (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

GtkWidget *
relay_orders_row_new (RelayOrderColumns *columns)
{
  RelayOrdersRow *self;

  g_return_val_if_fail (RELAY_IS_ORDER_COLUMNS (columns), NULL);

  self = g_object_new (RELAY_TYPE_ORDERS_ROW, NULL);
  self->columns = g_object_ref (columns);
  self->columns_changed_id = g_signal_connect (columns, "changed",
                                               G_CALLBACK (on_columns_changed), self);
  return GTK_WIDGET (self);
}

static void
relay_orders_row_dispose (GObject *object)
{
  RelayOrdersRow *self = RELAY_ORDERS_ROW (object);

  if (self->item != NULL)
    g_clear_signal_handler (&self->notify_id, self->item);
  g_clear_object (&self->item);
  if (self->columns != NULL)
    g_clear_signal_handler (&self->columns_changed_id, self->columns);
  g_clear_object (&self->columns);
  if (self->pill != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->pill));
      self->pill = NULL;
    }
  for (guint i = 0; i < RELAY_ORDER_N_CELLS; i++)
    g_clear_object (&self->layouts[i]);
  g_clear_pointer (&self->link_markup, g_free);

  G_OBJECT_CLASS (relay_orders_row_parent_class)->dispose (object);
}

static void
relay_orders_row_class_init (RelayOrdersRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = relay_orders_row_dispose;
  widget_class->measure = relay_orders_row_measure;
  widget_class->size_allocate = relay_orders_row_size_allocate;
  widget_class->snapshot = relay_orders_row_snapshot;
  widget_class->query_tooltip = relay_orders_row_query_tooltip;

  gtk_widget_class_set_css_name (widget_class, "orderrow");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
relay_orders_row_init (RelayOrdersRow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  g_autoptr(PangoAttrList) numeric = pango_attr_list_new ();

  pango_attr_list_insert (numeric, pango_attr_font_features_new ("tnum"));
  for (RelayOrderCellKind kind = 0; kind < RELAY_ORDER_N_CELLS; kind++)
    {
      const ColumnSpec *spec = &specs[kind];
      PangoLayout *layout;
      gboolean right;

      if (kind == RELAY_ORDER_CELL_STATUS)
        continue;
      layout = gtk_widget_create_pango_layout (widget, NULL);
      right = spec->xalign > 0.5f;
      if (gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL)
        right = !right;
      pango_layout_set_alignment (layout, right ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
      pango_layout_set_ellipsize (layout, spec->ellipsize);
      pango_layout_set_single_paragraph_mode (layout, TRUE);
      if (spec->numeric)
        pango_layout_set_attributes (layout, numeric);
      self->layouts[kind] = layout;
    }
  self->pill = RELAY_STATUS_PILL (relay_status_pill_new ());
  gtk_widget_set_parent (GTK_WIDGET (self->pill), widget);
  gtk_widget_set_has_tooltip (widget, TRUE);
}
