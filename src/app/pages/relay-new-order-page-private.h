/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the files of RelayNewOrderPage share: its fields, the form as read, and the placing. */
#pragma once

#include "relay-new-order-page.h"
#include "relay-client-picker.h"
#include "relay-funds-banner.h"
#include "relay-service-item.h"

G_BEGIN_DECLS

struct _RelayNewOrderPage
{
  GtkWidget          parent_instance;

  RelayFundsBanner  *funds_banner;
  GtkDropDown       *service_drop_down;
  GtkLabel          *service_details_label;
  GtkLabel          *service_error_label;
  GtkWidget         *link_label;
  GtkWidget         *link_box;
  GtkEntry          *link_entry;
  GtkLabel          *link_error_label;
  GtkWidget         *quantity_label;
  GtkWidget         *quantity_box;
  GtkEntry          *quantity_entry;
  GtkLabel          *quantity_hint_label;
  GtkLabel          *quantity_error_label;
  GtkWidget         *comments_label;
  GtkWidget         *comments_box;
  GtkTextBuffer     *comments_buffer;
  GtkLabel          *comments_count_label;
  GtkWidget         *usernames_label;
  GtkWidget         *usernames_box;
  GtkTextBuffer     *usernames_buffer;
  GtkLabel          *usernames_count_label;
  GtkWidget         *username_label;
  GtkEntry          *username_entry;
  GtkWidget         *hashtags_label;
  GtkEntry          *hashtags_entry;
  GtkWidget         *hashtag_label;
  GtkEntry          *hashtag_entry;
  GtkWidget         *media_label;
  GtkEntry          *media_entry;
  GtkWidget         *answer_label;
  GtkSpinButton     *answer_spin;
  GtkWidget         *per_post_label;
  GtkWidget         *per_post_box;
  GtkSpinButton     *sub_min_spin;
  GtkSpinButton     *sub_max_spin;
  GtkWidget         *posts_label;
  GtkWidget         *posts_box;
  GtkSpinButton     *posts_spin;
  GtkSpinButton     *old_posts_spin;
  GtkWidget         *delay_label;
  GtkWidget         *delay_box;
  GtkSpinButton     *delay_spin;
  GtkEntry          *expiry_entry;
  GtkWidget         *dripfeed_label;
  GtkWidget         *dripfeed_box;
  GtkSwitch         *dripfeed_switch;
  GtkWidget         *dripfeed_fields;
  GtkSpinButton     *runs_spin;
  GtkSpinButton     *interval_spin;
  GtkLabel          *dripfeed_total_label;
  GtkSwitch         *schedule_switch;
  GtkMenuButton     *schedule_button;
  GtkLabel          *schedule_button_label;
  GtkCalendar       *schedule_calendar;
  GtkSpinButton     *schedule_hour_spin;
  GtkSpinButton     *schedule_minute_spin;
  GtkLabel          *schedule_error_label;
  RelayClientPicker *client_picker;
  GtkLabel          *charge_label;
  GtkLabel          *cost_label;
  GtkButton         *place_button;
  GtkSpinner        *place_spinner;
  GtkLabel          *problem_label;
  GtkWidget         *result_box;
  GtkImage          *result_icon;
  GtkLabel          *result_label;

  RelayCore         *core;
  gulong             catalog_changed_id;
  gulong             order_sent_id;
  guint              refresh_source;
  GListStore        *services;      /* RelayServiceItem */
  RelayServiceItem  *service;       /* the chosen one, or NULL */
  GCancellable      *cancellable;
  gint64             sending_id;    /* the order being sent from here; 0 = none */
  /* Providers whose currency was asked for (their balance reply tells it):
   * gint64 id -> NULL while asking, "" once answered, else why it failed. */
  GHashTable        *currency_asks;
  gboolean           refreshing;
  gboolean           valid;
};

/* What the form says right now. */
typedef struct
{
  const RelayServiceRow *service;   /* NULL when none is chosen */
  RelayFieldFlags        fields;
  char                  *link;      /* stripped */
  gint64                 quantity;  /* 0 when the text is not a quantity */
  char                  *quantity_error;  /* why the quantity text is refused, or NULL */
  RelayOrderExtras      *extras;
  gint64                 runs;
  gint64                 interval;
  gint64                 scheduled_at;
  char                  *schedule_error;
} Form;

/* relay-new-order-page.c */
void   relay_new_order_page_read_form      (RelayNewOrderPage *self,
                                            Form              *form);
void   relay_new_order_form_clear          (Form              *form);
gint64 relay_new_order_form_units          (const Form        *form);
void   relay_new_order_page_emit_message   (RelayNewOrderPage *self,
                                            const char        *text);
/* A toast about @order_id for the window, with a "Show Order" button. */
void   relay_new_order_page_emit_order_toast (RelayNewOrderPage *self,
                                              const char        *text,
                                              gint64             order_id);
void   relay_new_order_page_emit_placed    (RelayNewOrderPage *self,
                                            gint64             order_id);
void   relay_new_order_page_notify_busy    (RelayNewOrderPage *self);
/* Puts @quantity in the quantity field, as plain digits. */
void   relay_new_order_page_set_quantity   (RelayNewOrderPage *self,
                                            gint64             quantity);

/* relay-new-order-page-place.c */
/* Records the form as one order and sends it; says what became of it. */
void   relay_new_order_page_place          (RelayNewOrderPage *self);
/* The dispatcher's ::order-sent, for the order sent from this page. */
void   relay_new_order_page_on_order_sent  (RelayNewOrderPage *self,
                                            gint64             order_id,
                                            guint              status);

G_END_DECLS
