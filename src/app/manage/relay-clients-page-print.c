/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RelayClientsPage: a client's statement on paper (GtkPrintOperation, drawn with cairo and
 * pango), one table paginated to the page size, the totals kept together on the last page. */
#include "config.h"

#include "relay-clients-page-private.h"
#include "relay-format.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

#define BODY_FONT "Sans 8"
#define TITLE_FONT "Sans Bold 13"
#define ROW_SPACING 1.45          /* row height as a multiple of the font's line height */
#define N_COLUMNS 9

typedef enum
{
  ROW_LINE,                       /* an order, a payment or the opening balance */
  ROW_TOTAL,                      /* a label and an amount, after the rows */
} RowKind;

typedef struct
{
  RowKind  kind;
  gboolean bold;
  char    *cells[N_COLUMNS];      /* ROW_TOTAL: [2] the label, [8] the amount */
} PrintRow;

typedef struct
{
  RelayStatement *statement;
  GPtrArray      *rows;           /* PrintRow* */
  GArray         *page_starts;    /* guint: the first row of each page */
  double          row_height;
  double          header_height;
  double          footer_height;
  char           *title;
  char           *subtitle;
  char           *printed_at;
} StatementPrint;

/* Where each column starts, as a share of the width; which are numbers. */
static const double column_x[N_COLUMNS + 1] = {
  0.0, 0.135, 0.20, 0.47, 0.54, 0.63, 0.72, 0.81, 0.905, 1.0,
};
static const gboolean column_numeric[N_COLUMNS] = {
  FALSE, TRUE, FALSE, TRUE, FALSE, TRUE, TRUE, TRUE, TRUE,
};
static const char *column_titles[N_COLUMNS] = {
  N_("Date"), N_("Order"), N_("Service / payment"), N_("Quantity"), N_("Status"),
  N_("Charged"), N_("Refunded"), N_("Paid"), N_("Balance"),
};

static void
print_row_free (PrintRow *row)
{
  for (guint i = 0; i < N_COLUMNS; i++)
    g_free (row->cells[i]);
  g_free (row);
}

static void
statement_print_free (StatementPrint *print)
{
  g_clear_pointer (&print->statement, relay_statement_free);
  g_clear_pointer (&print->rows, g_ptr_array_unref);
  g_clear_pointer (&print->page_starts, g_array_unref);
  g_free (print->title);
  g_free (print->subtitle);
  g_free (print->printed_at);
  g_free (print);
}

static char *
local_day (gint64 unix_time)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_time);
  g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;

  /* TRANSLATORS: a day in a statement's period, strftime format */
  return local ? g_date_time_format (local, _("%-d %b %Y")) : g_strdup ("?");
}

char *
relay_clients_page_describe_period (const RelayStatement *statement)
{
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  gboolean open_start = statement->from <= 0;
  gboolean open_end = statement->to == G_MAXINT64;

  if (open_start && open_end)
    return g_strdup (_("All time"));
  if (!open_start)
    from = local_day (statement->from);
  if (!open_end)
    to = local_day (statement->to - 1);   /* [from, to): the last day included */
  if (open_start)
    /* TRANSLATORS: a statement's period with no start, e.g. "up to 30 Nov 2026" */
    return g_strdup_printf (_("up to %s"), to);
  if (open_end)
    /* TRANSLATORS: a statement's period with no end, e.g. "since 1 Nov 2026" */
    return g_strdup_printf (_("since %s"), from);
  /* TRANSLATORS: a statement's period, both days included: "1 Nov 2026 – 30 Nov 2026" */
  return g_strdup_printf (_("%s – %s"), from, to);
}

static char *
money (const StatementPrint *print, gint64 amount)
{
  return relay_format_money (amount, print->statement->currency, RELAY_MONEY_STYLE_TOTAL);
}

static PrintRow *
add_row (StatementPrint *print, RowKind kind)
{
  PrintRow *row = g_new0 (PrintRow, 1);

  row->kind = kind;
  g_ptr_array_add (print->rows, row);
  return row;
}

static void
add_total (StatementPrint *print, const char *label, gint64 amount, gboolean bold)
{
  PrintRow *row = add_row (print, ROW_TOTAL);

  row->bold = bold;
  row->cells[2] = g_strdup (label);
  row->cells[8] = money (print, amount);
}

static void
build_rows (StatementPrint *print)
{
  const RelayStatement *st = print->statement;
  PrintRow *row;

  row = add_row (print, ROW_LINE);
  row->cells[2] = g_strdup (_("Opening balance"));
  row->cells[8] = relay_format_money (st->opening, NULL, RELAY_MONEY_STYLE_TOTAL);
  for (guint i = 0; i < st->lines->len; i++)
    {
      const RelayStatementLine *line = g_ptr_array_index (st->lines, i);

      row = add_row (print, ROW_LINE);
      row->cells[0] = relay_format_time (line->at);
      if (line->kind == RELAY_STATEMENT_ORDER)
        {
          row->cells[1] = g_strdup_printf ("%" PRId64, line->order_id);
          row->cells[2] = g_strdup_printf ("%s · %s", line->service ? line->service : _("(removed service)"),
                                           line->link ? line->link : "");
          row->cells[3] = relay_format_count (line->quantity);
          row->cells[4] = g_strdup (line->status ? line->status : "");
          row->cells[5] = relay_format_money (line->charged, NULL, RELAY_MONEY_STYLE_TOTAL);
          row->cells[6] = relay_format_money (line->refunded, NULL, RELAY_MONEY_STYLE_TOTAL);
        }
      else
        {
          const char *kind = g_strcmp0 (line->payment_kind, "adjustment") == 0
                             ? _("Adjustment") : _("Payment");

          row->cells[2] = line->note && *line->note ? g_strdup_printf ("%s · %s", kind, line->note)
                                                    : g_strdup (kind);
          row->cells[7] = relay_format_money (line->paid, NULL, RELAY_MONEY_STYLE_TOTAL);
        }
      row->cells[8] = relay_format_money (line->balance, NULL, RELAY_MONEY_STYLE_TOTAL);
    }
  add_total (print, _("Opening balance"), st->opening, FALSE);
  add_total (print, _("Charged"), st->charged, FALSE);
  add_total (print, _("Refunded"), st->refunded, FALSE);
  add_total (print, _("Paid"), st->paid, FALSE);
  add_total (print, _("Closing balance (owed)"), st->closing, TRUE);
}

static PangoLayout *
make_layout (GtkPrintContext *context, const char *font, gboolean bold)
{
  PangoLayout *layout = gtk_print_context_create_pango_layout (context);
  g_autoptr(PangoFontDescription) desc = pango_font_description_from_string (font);

  if (bold)
    pango_font_description_set_weight (desc, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, desc);
  return layout;
}

static double
line_height (GtkPrintContext *context, const char *font)
{
  g_autoptr(PangoLayout) layout = make_layout (context, font, FALSE);
  int height = 0;

  pango_layout_set_text (layout, "Ag", -1);
  pango_layout_get_size (layout, NULL, &height);
  return (double) height / PANGO_SCALE;
}

static void
on_begin_print (GtkPrintOperation *operation,
                GtkPrintContext   *context,
                StatementPrint    *print)
{
  double page_height = gtk_print_context_get_height (context);
  double body = line_height (context, BODY_FONT);
  double usable;
  guint per_page, n_totals = 5, used = 0;

  print->row_height = body * ROW_SPACING;
  /* The title, the subtitle, a gap, the column headings and their rule. */
  print->header_height = line_height (context, TITLE_FONT) * 1.3 + print->row_height * 2.5;
  print->footer_height = print->row_height * 1.5;
  usable = page_height - print->header_height - print->footer_height;
  per_page = MAX (1, (guint) (usable / print->row_height));

  g_array_set_size (print->page_starts, 0);
  for (guint i = 0; i < print->rows->len; i++)
    {
      const PrintRow *row = g_ptr_array_index (print->rows, i);
      /* The totals start a page of their own when they would not fit together. */
      gboolean totals_start = row->kind == ROW_TOTAL &&
                              (i == 0 || ((PrintRow *) g_ptr_array_index (print->rows, i - 1))->kind != ROW_TOTAL);
      guint gap = totals_start ? 1 : 0;
      gboolean new_page = print->page_starts->len == 0 || used + gap + 1 > per_page;

      /* The totals stay together when a page can hold them. */
      if (totals_start && used + gap + n_totals > per_page && n_totals <= per_page)
        new_page = TRUE;
      if (new_page)
        {
          g_array_append_val (print->page_starts, i);
          used = 0;
          gap = 0;
        }
      used += gap + 1;
    }
  gtk_print_operation_set_n_pages (operation, MAX (1, (int) print->page_starts->len));
}

static void
draw_text (cairo_t        *cr,
           PangoLayout    *layout,
           const char     *text,
           double          x,
           double          y,
           double          width,
           gboolean        right)
{
  pango_layout_set_text (layout, text ? text : "", -1);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, right ? PANGO_ELLIPSIZE_START : PANGO_ELLIPSIZE_END);
  pango_layout_set_alignment (layout, right ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
}

static void
on_draw_page (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page_nr,
              StatementPrint    *print)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  double width = gtk_print_context_get_width (context);
  double height = gtk_print_context_get_height (context);
  g_autoptr(PangoLayout) title = make_layout (context, TITLE_FONT, FALSE);
  g_autoptr(PangoLayout) body = make_layout (context, BODY_FONT, FALSE);
  g_autoptr(PangoLayout) bold = make_layout (context, BODY_FONT, TRUE);
  guint first, end;
  double y = 0, pad = 3;
  gboolean in_totals = FALSE;
  g_autofree char *page_text = NULL;

  if (page_nr < 0 || (guint) page_nr >= print->page_starts->len)
    return;
  first = g_array_index (print->page_starts, guint, page_nr);
  end = (guint) page_nr + 1 < print->page_starts->len
        ? g_array_index (print->page_starts, guint, page_nr + 1) : print->rows->len;

  cairo_set_source_rgb (cr, 0, 0, 0);
  draw_text (cr, title, print->title, 0, y, width, FALSE);
  y += line_height (context, TITLE_FONT) * 1.3;
  draw_text (cr, body, print->subtitle, 0, y, width, FALSE);
  y += print->row_height * 1.5;
  for (guint c = 0; c < N_COLUMNS; c++)
    draw_text (cr, bold, _(column_titles[c]), width * column_x[c], y,
               width * (column_x[c + 1] - column_x[c]) - pad, column_numeric[c]);
  y += print->row_height;
  cairo_set_line_width (cr, 0.5);
  cairo_move_to (cr, 0, y - print->row_height * 0.2);
  cairo_line_to (cr, width, y - print->row_height * 0.2);
  cairo_stroke (cr);

  for (guint i = first; i < end; i++)
    {
      const PrintRow *row = g_ptr_array_index (print->rows, i);
      PangoLayout *layout = row->bold ? bold : body;

      if (row->kind == ROW_TOTAL)
        {
          if (!in_totals)
            {
              /* A rule above the totals, a row's gap below the last line. */
              if (i > first)
                y += print->row_height;
              cairo_move_to (cr, width * column_x[2], y - print->row_height * 0.2);
              cairo_line_to (cr, width, y - print->row_height * 0.2);
              cairo_stroke (cr);
              in_totals = TRUE;
            }
          draw_text (cr, layout, row->cells[2], width * column_x[2], y,
                     width * (column_x[7] - column_x[2]), FALSE);
          draw_text (cr, layout, row->cells[8], width * column_x[7], y,
                     width * (1.0 - column_x[7]) - pad, TRUE);
        }
      else
        for (guint c = 0; c < N_COLUMNS; c++)
          draw_text (cr, layout, row->cells[c], width * column_x[c], y,
                     width * (column_x[c + 1] - column_x[c]) - pad, column_numeric[c]);
      y += print->row_height;
    }

  /* TRANSLATORS: the footer of a printed statement, "Page 2 of 5" */
  page_text = g_strdup_printf (_("Page %d of %u"), page_nr + 1, print->page_starts->len);
  draw_text (cr, body, print->printed_at, 0, height - print->row_height, width / 2, FALSE);
  draw_text (cr, body, page_text, width / 2, height - print->row_height, width / 2, TRUE);
}

GtkPrintOperation *
relay_clients_page_print_operation_new (RelayStatement *statement)
{
  GtkPrintOperation *operation = gtk_print_operation_new ();
  StatementPrint *print = g_new0 (StatementPrint, 1);
  g_autofree char *period = NULL;
  g_autofree char *now = relay_format_time (g_get_real_time () / G_USEC_PER_SEC);

  g_return_val_if_fail (statement != NULL, operation);

  print->statement = statement;
  print->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) print_row_free);
  print->page_starts = g_array_new (FALSE, FALSE, sizeof (guint));
  period = relay_clients_page_describe_period (statement);
  /* TRANSLATORS: the title of a printed statement: "Statement — Acme Agency" */
  print->title = g_strdup_printf (_("Statement — %s"), statement->client);
  if (statement->currency != NULL)
    /* TRANSLATORS: under the title of a printed statement: "1 Nov 2026 – 30 Nov 2026 · amounts in USD" */
    print->subtitle = g_strdup_printf (_("%s · amounts in %s"), period, statement->currency);
  else if (statement->mixed_currencies)
    print->subtitle = g_strdup_printf (_("%s · orders in several currencies, added as the ledger does"),
                                       period);
  else
    print->subtitle = g_strdup (period);
  /* TRANSLATORS: the footer of a printed statement, with the time it was printed */
  print->printed_at = g_strdup_printf (_("SMM Relay · printed %s"), now);
  build_rows (print);

  gtk_print_operation_set_job_name (operation, print->title);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  g_signal_connect (operation, "begin-print", G_CALLBACK (on_begin_print), print);
  g_signal_connect (operation, "draw-page", G_CALLBACK (on_draw_page), print);
  g_object_set_data_full (G_OBJECT (operation), "relay-statement-print", print,
                          (GDestroyNotify) statement_print_free);
  return operation;
}
