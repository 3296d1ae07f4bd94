/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The API v2 actions of the simulated panel: form fields in, a JSON reply out. */
#include <inttypes.h>
#include "relay-sim-private.h"
#include "relay-money.h"

#include <stdio.h>
#include <string.h>

#define JSON_TYPE "application/json; charset=utf-8"

void
relay_sim_reply_clear (RelaySimReply *reply)
{
  g_clear_pointer (&reply->body, g_free);
}


/* Form fields. */

static const char *
field (GHashTable *form,
       const char *name)
{
  return g_hash_table_lookup (form, name);
}

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (; *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

/* A positive id made of digits only (spaces around allowed). */
static gboolean
parse_id (const char *text,
          gint64     *out)
{
  guint64 value = 0;
  int n = 0;

  if (text == NULL)
    return FALSE;
  while (g_ascii_isspace (*text))
    text++;
  for (; g_ascii_isdigit (*text); text++, n++)
    {
      if (n >= 18)
        return FALSE;
      value = value * 10 + (guint64) (*text - '0');
    }
  while (g_ascii_isspace (*text))
    text++;
  if (n == 0 || *text != '\0' || value == 0)
    return FALSE;
  *out = (gint64) value;
  return TRUE;
}

/* What PHP's intval() makes of a field: leading digits, else 0. */
static gint64
intval (const char *text)
{
  gint64 value = 0;
  gboolean negative = FALSE;

  if (text == NULL)
    return 0;
  while (g_ascii_isspace (*text))
    text++;
  if (*text == '-' || *text == '+')
    negative = *text++ == '-';
  for (int n = 0; g_ascii_isdigit (*text) && n < 15; text++, n++)
    value = value * 10 + (*text - '0');
  return negative ? -value : value;
}

/* The non-blank lines of a textarea field. */
static guint
count_lines (const char *text)
{
  g_auto (GStrv) lines = NULL;
  guint n = 0;

  if (text == NULL)
    return 0;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (!is_blank (lines[i]))
      n++;
  return n;
}

/* Splits "1, 2,3" into trimmed non-empty tokens; NULL when there are more
 * than the panel takes at once. */
static GPtrArray *
split_ids (const char *text)
{
  g_autoptr (GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) parts = g_strsplit (text, ",", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *token = g_strstrip (parts[i]);

      if (*token == '\0')
        continue;
      if (tokens->len == RELAY_SIM_MAX_IDS)
        return NULL;
      g_ptr_array_add (tokens, g_strdup (token));
    }
  return g_steal_pointer (&tokens);
}

static gboolean
is_handle (const char *text)
{
  gsize n = 0;

  if (*text == '@')
    text++;
  for (; *text != '\0'; text++, n++)
    if (!g_ascii_isalnum (*text) && *text != '_' && *text != '.')
      return FALSE;
  return n >= 2 && n <= 64;
}

static gboolean
is_host (const char *start,
         gsize       len)
{
  gboolean dot = FALSE;

  if (len < 3 || start[0] == '.' || start[0] == '-' || start[len - 1] == '.')
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (start[i] == '.')
        dot = TRUE;
      else if (!g_ascii_isalnum (start[i]) && start[i] != '-' && start[i] != ':')
        return FALSE;
    }
  return dot;
}

/* Whether a panel would take @link: a URL, a bare domain path, or a handle. */
static gboolean
link_is_plausible (const char *link)
{
  gsize len = strlen (link);
  const char *rest = link;

  if (len == 0 || len > 2048)
    return FALSE;
  for (const char *p = link; *p != '\0'; p++)
    if ((guchar) *p <= 0x20 || strchr ("<>\"'`{}|\\^", *p) != NULL)
      return FALSE;

  if (g_ascii_strncasecmp (link, "https://", 8) == 0)
    rest = link + 8;
  else if (g_ascii_strncasecmp (link, "http://", 7) == 0)
    rest = link + 7;
  else if (strchr (link, ':') != NULL)
    return FALSE;
  else if (strchr (link, '/') == NULL && strchr (link, '.') == NULL)
    return is_handle (link);

  return is_host (rest, strcspn (rest, "/?#"));
}

/* Numbers the catalog writes: each service keeps one habit when mixed. */
static void
catalog_int (RelaySimJson *json,
             gint64        value,
             gboolean      as_string)
{
  if (json->numbers == RELAY_SIM_NUMBERS_STRINGS
      || (json->numbers == RELAY_SIM_NUMBERS_MIXED && as_string))
    {
      g_autofree char *text = g_strdup_printf ("%" PRId64, value);

      relay_sim_json_string (json, text);
    }
  else
    relay_sim_json_int_number (json, value);
}

static void
catalog_flag (RelaySimJson      *json,
              const char        *name,
              RelaySimFlagStyle  style,
              gboolean           value)
{
  switch (style)
    {
    case RELAY_SIM_FLAGS_INTEGERS:
      relay_sim_json_key (json, name);
      relay_sim_json_int_number (json, value ? 1 : 0);
      break;
    case RELAY_SIM_FLAGS_SPARSE:
      if (!value)
        break;
      G_GNUC_FALLTHROUGH;
    case RELAY_SIM_FLAGS_BOOLEANS:
    default:
      relay_sim_json_key (json, name);
      relay_sim_json_boolean (json, value);
      break;
    }
}

static char *
action_services (RelaySim   *self,
                 GHashTable *form)
{
  RelaySimJson json;

  relay_sim_json_init (&json, self->numbers, self->rand);
  relay_sim_json_begin_array (&json);
  for (guint i = 0; i < self->services->len; i++)
    {
      RelaySimService *service = g_ptr_array_index (self->services, i);
      gint64 id = g_ascii_strtoll (service->id, NULL, 10);

      relay_sim_json_begin_object (&json);
      relay_sim_json_key (&json, "service");
      catalog_int (&json, id, service->id_as_string);
      relay_sim_json_key (&json, "name");
      relay_sim_json_string (&json, service->name);
      relay_sim_json_key (&json, "type");
      relay_sim_json_string (&json, relay_sim_service_type_to_string (service->type));
      relay_sim_json_key (&json, "category");
      relay_sim_json_string (&json, service->category);
      relay_sim_json_key (&json, "rate");
      relay_sim_json_decimal_text (&json, service->rate_text);
      relay_sim_json_key (&json, "min");
      catalog_int (&json, service->min, id % 5 != 0);
      relay_sim_json_key (&json, "max");
      catalog_int (&json, service->max, id % 5 != 0);
      catalog_flag (&json, "refill", service->flag_style, service->flags & RELAY_SIM_SERVICE_REFILL);
      catalog_flag (&json, "cancel", service->flag_style, service->flags & RELAY_SIM_SERVICE_CANCEL);
      if (service->type == RELAY_SIM_TYPE_DEFAULT || (service->flags & RELAY_SIM_SERVICE_DRIPFEED))
        catalog_flag (&json, "dripfeed", service->flag_style,
                      service->flags & RELAY_SIM_SERVICE_DRIPFEED);
      if (service->average_time != NULL)
        {
          relay_sim_json_key (&json, "average_time");
          relay_sim_json_string (&json, service->average_time);
        }
      relay_sim_json_end_object (&json);
    }
  relay_sim_json_end_array (&json);
  return relay_sim_json_steal (&json);
}

static gboolean
handle_field_ok (const char *text)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (text != NULL ? text : ""));

  return is_handle (trimmed);
}

/* Reads the fields of @service's type into the units to deliver; a new error
 * message when the panel would refuse them. */
static char *
read_quantity (RelaySimService *service,
               GHashTable      *form,
               gint64          *quantity,
               gint64          *total)
{
  const char *text;

  *quantity = intval (field (form, "quantity"));
  switch (service->type)
    {
    case RELAY_SIM_TYPE_PACKAGE:
      *quantity = service->min;
      break;
    case RELAY_SIM_TYPE_CUSTOM_COMMENTS:
      *quantity = count_lines (field (form, "comments"));
      break;
    case RELAY_SIM_TYPE_CUSTOM_COMMENTS_PACKAGE:
      if (count_lines (field (form, "comments")) == 0)
        return g_strdup ("Incorrect comments");
      *quantity = service->min;
      break;
    case RELAY_SIM_TYPE_MENTIONS_CUSTOM_LIST:
      *quantity = count_lines (field (form, "usernames"));
      break;
    case RELAY_SIM_TYPE_MENTIONS_WITH_HASHTAGS:
      if (count_lines (field (form, "usernames")) == 0)
        return g_strdup ("Incorrect usernames");
      if (count_lines (field (form, "hashtags")) == 0)
        return g_strdup ("Incorrect hashtags");
      break;
    case RELAY_SIM_TYPE_MENTIONS_HASHTAG:
      if (is_blank (field (form, "hashtag")))
        return g_strdup ("Incorrect hashtag");
      break;
    case RELAY_SIM_TYPE_MENTIONS_USER_FOLLOWERS:
    case RELAY_SIM_TYPE_COMMENT_LIKES:
      if (!handle_field_ok (field (form, "username")))
        return g_strdup ("Incorrect username");
      break;
    case RELAY_SIM_TYPE_MENTIONS_MEDIA_LIKERS:
      text = field (form, "media");
      if (is_blank (text) || !link_is_plausible (text))
        return g_strdup ("Incorrect media");
      break;
    case RELAY_SIM_TYPE_POLL:
      if (intval (field (form, "answer_number")) < 1)
        return g_strdup ("Incorrect answer number");
      break;
    case RELAY_SIM_TYPE_DEFAULT:
    case RELAY_SIM_TYPE_SUBSCRIPTIONS:
    default:
      break;
    }
  *total = *quantity;
  return NULL;
}

static char *
check_range (RelaySimService *service,
             gint64           min,
             gint64           max)
{
  if (min < service->min)
    return g_strdup_printf ("Quantity less than minimal %" PRId64, service->min);
  if (max > service->max)
    return g_strdup_printf ("Quantity more than maximal %" PRId64, service->max);
  return NULL;
}

static gboolean
subscription_delay_allowed (gint64 delay)
{
  static const gint64 allowed[] = { 0, 5, 10, 15, 20, 30, 40, 50, 60, 90, 120, 150, 180,
                                    210, 240, 270, 300, 360, 420, 480, 540, 600 };

  for (guint i = 0; i < G_N_ELEMENTS (allowed); i++)
    if (allowed[i] == delay)
      return TRUE;
  return FALSE;
}

static gboolean
expiry_is_date (const char *text)
{
  int day, month, year;
  char extra;

  /* Panels take dd/mm/yyyy. */
  if (sscanf (text, "%2d/%2d/%4d%c", &day, &month, &year, &extra) != 3)
    return FALSE;
  return g_date_valid_dmy (day, month, year);
}

/* Subscriptions: no link; min..max per post times the number of posts. */
static char *
read_subscription (RelaySimService *service,
                   GHashTable      *form,
                   char           **link,
                   gint64          *quantity,
                   gint64          *total)
{
  const char *username = field (form, "username");
  const char *expiry = field (form, "expiry");
  g_autofree char *name = g_strstrip (g_strdup (username != NULL ? username : ""));
  gint64 min = intval (field (form, "min"));
  gint64 max = intval (field (form, "max"));
  gint64 posts = MAX (intval (field (form, "posts")), 0) + MAX (intval (field (form, "old_posts")), 0);
  char *error;

  if (!is_handle (name))
    return g_strdup ("Incorrect username");
  if ((error = check_range (service, min, max)) != NULL)
    return error;
  if (min > max)
    return g_strdup ("Incorrect min/max");
  if (posts <= 0 || posts > 1000)
    return g_strdup ("Incorrect posts");
  if (!subscription_delay_allowed (intval (field (form, "delay"))))
    return g_strdup ("Incorrect delay");
  if (!is_blank (expiry) && !expiry_is_date (expiry))
    return g_strdup ("Incorrect expiry date");

  *link = g_steal_pointer (&name);
  *quantity = max * posts;
  *total = *quantity;
  return NULL;
}

static char *
action_add (RelaySim   *self,
            GHashTable *form)
{
  g_autofree char *link = NULL;
  g_autofree char *error = NULL;
  RelaySimService *service;
  RelaySimOrderRec *rec;
  const char *link_text = field (form, "link");
  gint64 service_id;
  gint64 quantity = 0;
  gint64 total = 0;
  gint64 runs = 0;
  gint64 interval = 0;
  gint64 price;
  char id_text[24];
  RelaySimJson json;

  if (!parse_id (field (form, "service"), &service_id))
    return relay_sim_json_error ("Incorrect service ID");
  g_snprintf (id_text, sizeof id_text, "%" PRId64, service_id);
  service = relay_sim_lookup_service (self, id_text);
  if (service == NULL)
    return relay_sim_json_error ("Incorrect service ID");
  if (g_hash_table_contains (self->disabled, service->id))
    return relay_sim_json_error ("Service is disabled");

  if (service->type == RELAY_SIM_TYPE_SUBSCRIPTIONS)
    {
      error = read_subscription (service, form, &link, &quantity, &total);
      if (error != NULL)
        return relay_sim_json_error (error);
    }
  else
    {
      link = g_strstrip (g_strdup (link_text != NULL ? link_text : ""));
      if (!link_is_plausible (link))
        return relay_sim_json_error ("Incorrect link");
      error = read_quantity (service, form, &quantity, &total);
      if (error == NULL)
        error = check_range (service, quantity, quantity);
      if (error != NULL)
        return relay_sim_json_error (error);
    }

  /* Drip-feed: @runs times @quantity, @interval minutes apart; 0 or 1 run
   * is a plain order. */
  runs = intval (field (form, "runs"));
  if (runs < 0 || runs > 1)
    {
      if (!(service->flags & RELAY_SIM_SERVICE_DRIPFEED))
        return relay_sim_json_error ("Drip-feed is disabled for this service");
      if (runs < 2 || runs > 1000)
        return relay_sim_json_error ("Incorrect runs");
      interval = intval (field (form, "interval"));
      if (interval < 1 || interval > 60 * 24 * 7)
        return relay_sim_json_error ("Incorrect interval");
      total = quantity * runs;
    }
  else
    runs = 0;

  if (!relay_money_for_quantity (service->rate, total, &price, NULL))
    return relay_sim_json_error ("Incorrect quantity");
  if (price > self->balance)
    return relay_sim_json_error ("Not enough funds on balance");
  if (self->reject_duplicate_links && relay_sim_has_active_order_with_link (self, link))
    return relay_sim_json_error ("You have active order with this link. Please wait until order being completed.");

  rec = relay_sim_add_order (self, service, link, quantity, runs, interval, total, price);

  relay_sim_json_init (&json, self->numbers, self->rand);
  relay_sim_json_begin_object (&json);
  relay_sim_json_key (&json, "order");
  relay_sim_json_int (&json, rec->id);
  relay_sim_json_end_object (&json);
  return relay_sim_json_steal (&json);
}

static void
write_order_status (RelaySim               *self,
                    RelaySimJson           *json,
                    const RelaySimOrderRec *rec,
                    double                  now)
{
  RelaySimProgress progress;

  relay_sim_order_rec_progress (rec, now, &progress);
  relay_sim_json_begin_object (json);
  relay_sim_json_key (json, "charge");
  relay_sim_json_money (json, progress.charge);
  relay_sim_json_key (json, "start_count");
  if (relay_sim_order_rec_started (rec, now))
    relay_sim_json_int (json, rec->start_count);
  else if (rec->variant & RELAY_SIM_VARIANT_START_COUNT_EMPTY)
    relay_sim_json_string (json, "");
  else
    relay_sim_json_int (json, 0);
  relay_sim_json_key (json, "status");
  relay_sim_json_string (json, relay_sim_state_to_word (progress.state, rec->variant));
  relay_sim_json_key (json, "remains");
  relay_sim_json_int (json, progress.remains);
  relay_sim_json_key (json, "currency");
  relay_sim_json_string (json, RELAY_SIM_CURRENCY);
  relay_sim_json_end_object (json);
}

static void
write_error_object (RelaySimJson *json,
                    const char   *message)
{
  relay_sim_json_begin_object (json);
  relay_sim_json_key (json, "error");
  relay_sim_json_string (json, message);
  relay_sim_json_end_object (json);
}

static RelaySimOrderRec *
lookup_order_text (RelaySim   *self,
                   const char *text)
{
  gint64 id;

  if (!parse_id (text, &id))
    return NULL;
  return relay_sim_lookup_order (self, id);
}

/* {"order": 9, …}: the id as the panel would echo it. */
static void
write_order_key (RelaySimJson *json,
                 const char   *key,
                 const char   *token)
{
  gint64 id;

  relay_sim_json_key (json, key);
  if (parse_id (token, &id))
    relay_sim_json_int_number (json, id);
  else
    relay_sim_json_string (json, token);
}

static char *
action_status (RelaySim   *self,
               GHashTable *form)
{
  const char *orders = field (form, "orders");
  double now = relay_sim_now (self);
  RelaySimJson json;

  if (orders != NULL)
    {
      g_autoptr (GPtrArray) tokens = split_ids (orders);
      g_autoptr (GHashTable) seen = NULL;

      if (tokens == NULL || tokens->len == 0)
        return relay_sim_json_error ("Incorrect request");

      seen = g_hash_table_new (g_str_hash, g_str_equal);
      relay_sim_json_init (&json, self->numbers, self->rand);
      relay_sim_json_begin_object (&json);
      for (guint i = 0; i < tokens->len; i++)
        {
          const char *token = g_ptr_array_index (tokens, i);
          RelaySimOrderRec *rec;

          if (!g_hash_table_add (seen, (gpointer) token))
            continue;
          rec = lookup_order_text (self, token);
          relay_sim_json_key (&json, token);
          if (rec != NULL)
            write_order_status (self, &json, rec, now);
          else
            write_error_object (&json, "Incorrect order ID");
        }
      relay_sim_json_end_object (&json);
      return relay_sim_json_steal (&json);
    }
  else
    {
      RelaySimOrderRec *rec = lookup_order_text (self, field (form, "order"));

      if (field (form, "order") == NULL)
        return relay_sim_json_error ("Incorrect request");
      if (rec == NULL)
        return relay_sim_json_error ("Incorrect order ID");
      relay_sim_json_init (&json, self->numbers, self->rand);
      write_order_status (self, &json, rec, now);
      return relay_sim_json_steal (&json);
    }
}

static char *
action_balance (RelaySim   *self,
                GHashTable *form)
{
  RelaySimJson json;

  relay_sim_json_init (&json, self->numbers, self->rand);
  relay_sim_json_begin_object (&json);
  relay_sim_json_key (&json, "balance");
  relay_sim_json_money (&json, self->balance);
  relay_sim_json_key (&json, "currency");
  relay_sim_json_string (&json, RELAY_SIM_CURRENCY);
  relay_sim_json_end_object (&json);
  return relay_sim_json_steal (&json);
}

static gboolean
has_active_refill (RelaySim         *self,
                   RelaySimOrderRec *rec,
                   double            now)
{
  for (guint i = self->refills->len; i > 0; i--)
    {
      RelaySimRefill *refill = g_ptr_array_index (self->refills, i - 1);
      RelaySimRefillState state;

      if (refill->order_id != rec->id)
        continue;
      state = relay_sim_refill_state (refill, now);
      if (state == RELAY_SIM_REFILL_PENDING || state == RELAY_SIM_REFILL_IN_PROGRESS)
        return TRUE;
    }
  return FALSE;
}

/* Creates a refill for the order @token names, or says why not. */
static const char *
refill_one (RelaySim        *self,
            const char      *token,
            RelaySimRefill **out)
{
  RelaySimOrderRec *rec = lookup_order_text (self, token);
  double now = relay_sim_now (self);
  RelaySimService *service;
  RelaySimProgress progress;

  if (rec == NULL)
    return "Incorrect order ID";
  service = relay_sim_lookup_service (self, rec->service_id);
  if (service == NULL || !(service->flags & RELAY_SIM_SERVICE_REFILL))
    return "Refill is disabled for this service";
  relay_sim_order_rec_progress (rec, now, &progress);
  if (progress.state != RELAY_SIM_STATE_COMPLETED && progress.state != RELAY_SIM_STATE_PARTIAL)
    return "Refill is not available for this order";
  if (has_active_refill (self, rec, now))
    return "Refill is already in progress for this order";
  *out = relay_sim_add_refill (self, rec);
  return NULL;
}

static char *
action_refill (RelaySim   *self,
               GHashTable *form)
{
  const char *orders = field (form, "orders");
  RelaySimRefill *refill = NULL;
  const char *error;
  RelaySimJson json;

  relay_sim_json_init (&json, self->numbers, self->rand);
  if (orders != NULL)
    {
      g_autoptr (GPtrArray) tokens = split_ids (orders);

      if (tokens == NULL || tokens->len == 0)
        {
          relay_sim_json_clear (&json);
          return relay_sim_json_error ("Incorrect request");
        }
      relay_sim_json_begin_array (&json);
      for (guint i = 0; i < tokens->len; i++)
        {
          const char *token = g_ptr_array_index (tokens, i);

          relay_sim_json_begin_object (&json);
          write_order_key (&json, "order", token);
          relay_sim_json_key (&json, "refill");
          error = refill_one (self, token, &refill);
          if (error != NULL)
            write_error_object (&json, error);
          else
            relay_sim_json_int (&json, refill->id);
          relay_sim_json_end_object (&json);
        }
      relay_sim_json_end_array (&json);
      return relay_sim_json_steal (&json);
    }

  if (field (form, "order") == NULL)
    {
      relay_sim_json_clear (&json);
      return relay_sim_json_error ("Incorrect request");
    }
  error = refill_one (self, field (form, "order"), &refill);
  if (error != NULL)
    {
      relay_sim_json_clear (&json);
      return relay_sim_json_error (error);
    }
  relay_sim_json_begin_object (&json);
  relay_sim_json_key (&json, "refill");
  relay_sim_json_int (&json, refill->id);
  relay_sim_json_end_object (&json);
  return relay_sim_json_steal (&json);
}

static RelaySimRefill *
lookup_refill_text (RelaySim   *self,
                    const char *text)
{
  gint64 id;

  if (!parse_id (text, &id))
    return NULL;
  return relay_sim_lookup_refill (self, id);
}

static char *
action_refill_status (RelaySim   *self,
                      GHashTable *form)
{
  const char *refills = field (form, "refills");
  double now = relay_sim_now (self);
  RelaySimRefill *refill;
  RelaySimJson json;

  if (refills != NULL)
    {
      g_autoptr (GPtrArray) tokens = split_ids (refills);

      if (tokens == NULL || tokens->len == 0)
        return relay_sim_json_error ("Incorrect request");
      relay_sim_json_init (&json, self->numbers, self->rand);
      relay_sim_json_begin_array (&json);
      for (guint i = 0; i < tokens->len; i++)
        {
          const char *token = g_ptr_array_index (tokens, i);

          refill = lookup_refill_text (self, token);
          relay_sim_json_begin_object (&json);
          write_order_key (&json, "refill", token);
          relay_sim_json_key (&json, "status");
          if (refill != NULL)
            relay_sim_json_string (&json, relay_sim_refill_state_to_word (relay_sim_refill_state (refill, now)));
          else
            write_error_object (&json, "Refill not found");
          relay_sim_json_end_object (&json);
        }
      relay_sim_json_end_array (&json);
      return relay_sim_json_steal (&json);
    }

  if (field (form, "refill") == NULL)
    return relay_sim_json_error ("Incorrect request");
  refill = lookup_refill_text (self, field (form, "refill"));
  if (refill == NULL)
    return relay_sim_json_error ("Refill not found");
  relay_sim_json_init (&json, self->numbers, self->rand);
  relay_sim_json_begin_object (&json);
  relay_sim_json_key (&json, "status");
  relay_sim_json_string (&json, relay_sim_refill_state_to_word (relay_sim_refill_state (refill, now)));
  relay_sim_json_end_object (&json);
  return relay_sim_json_steal (&json);
}

static const char *
cancel_one (RelaySim   *self,
            const char *token)
{
  RelaySimOrderRec *rec = lookup_order_text (self, token);
  RelaySimService *service;
  RelaySimProgress progress;

  if (rec == NULL)
    return "Incorrect order ID";
  service = relay_sim_lookup_service (self, rec->service_id);
  if (service == NULL || !(service->flags & RELAY_SIM_SERVICE_CANCEL))
    return "Cancel is disabled for this service";
  relay_sim_order_rec_progress (rec, relay_sim_now (self), &progress);
  if (progress.state != RELAY_SIM_STATE_PENDING && progress.state != RELAY_SIM_STATE_IN_PROGRESS)
    return "This order cannot be canceled";
  relay_sim_cancel_order (self, rec);
  return NULL;
}

static char *
action_cancel (RelaySim   *self,
               GHashTable *form)
{
  const char *orders = field (form, "orders");
  const char *error;
  RelaySimJson json;

  if (orders != NULL)
    {
      g_autoptr (GPtrArray) tokens = split_ids (orders);

      if (tokens == NULL || tokens->len == 0)
        return relay_sim_json_error ("Incorrect request");
      relay_sim_json_init (&json, self->numbers, self->rand);
      relay_sim_json_begin_array (&json);
      for (guint i = 0; i < tokens->len; i++)
        {
          const char *token = g_ptr_array_index (tokens, i);

          relay_sim_json_begin_object (&json);
          write_order_key (&json, "order", token);
          relay_sim_json_key (&json, "cancel");
          error = cancel_one (self, token);
          if (error != NULL)
            write_error_object (&json, error);
          else
            relay_sim_json_int (&json, 1);
          relay_sim_json_end_object (&json);
        }
      relay_sim_json_end_array (&json);
      return relay_sim_json_steal (&json);
    }

  if (field (form, "order") == NULL)
    return relay_sim_json_error ("Incorrect request");
  error = cancel_one (self, field (form, "order"));
  if (error != NULL)
    return relay_sim_json_error (error);
  relay_sim_json_init (&json, self->numbers, self->rand);
  relay_sim_json_begin_object (&json);
  relay_sim_json_key (&json, "cancel");
  relay_sim_json_int (&json, 1);
  relay_sim_json_end_object (&json);
  return relay_sim_json_steal (&json);
}

typedef char *(*ActionFunc) (RelaySim *self, GHashTable *form);

static const struct
{
  const char *name;
  ActionFunc  func;
} actions[] = {
  { "services", action_services },
  { "add", action_add },
  { "status", action_status },
  { "balance", action_balance },
  { "refill", action_refill },
  { "refill_status", action_refill_status },
  { "cancel", action_cancel },
};

void
relay_sim_api_process (RelaySim      *self,
                       GHashTable    *form,
                       RelaySimReply *reply)
{
  const char *key = field (form, "key");
  const char *action = field (form, "action");
  char *body = NULL;

  relay_sim_settle (self);
  if (key == NULL || g_strcmp0 (key, self->api_key) != 0)
    body = relay_sim_json_error ("Invalid API key");
  for (guint i = 0; body == NULL && action != NULL && i < G_N_ELEMENTS (actions); i++)
    if (g_str_equal (action, actions[i].name))
      body = actions[i].func (self, form);
  if (body == NULL)
    body = relay_sim_json_error ("Incorrect request");

  g_free (reply->body);
  reply->status = SOUP_STATUS_OK;
  reply->content_type = JSON_TYPE;
  reply->body = body;
}

/* Admin views. */

char *
relay_sim_api_orders_json (RelaySim *self)
{
  double now;
  RelaySimJson json;

  relay_sim_settle (self);
  now = relay_sim_now (self);
  relay_sim_json_init (&json, RELAY_SIM_NUMBERS_NUMBERS, NULL);
  relay_sim_json_begin_array (&json);
  for (guint i = 0; i < self->orders->len; i++)
    {
      RelaySimOrderRec *rec = g_ptr_array_index (self->orders, i);
      RelaySimProgress progress;

      relay_sim_order_rec_progress (rec, now, &progress);
      relay_sim_json_begin_object (&json);
      relay_sim_json_key (&json, "order");
      relay_sim_json_int_number (&json, rec->id);
      relay_sim_json_key (&json, "service");
      relay_sim_json_string (&json, rec->service_id);
      relay_sim_json_key (&json, "link");
      relay_sim_json_string (&json, rec->link);
      relay_sim_json_key (&json, "quantity");
      relay_sim_json_int_number (&json, rec->quantity);
      relay_sim_json_key (&json, "runs");
      relay_sim_json_int_number (&json, rec->runs);
      relay_sim_json_key (&json, "interval");
      relay_sim_json_int_number (&json, rec->interval);
      relay_sim_json_key (&json, "status");
      relay_sim_json_string (&json, relay_sim_state_to_string (progress.state));
      relay_sim_json_key (&json, "start_count");
      relay_sim_json_int_number (&json, relay_sim_order_rec_started (rec, now) ? rec->start_count : 0);
      relay_sim_json_key (&json, "remains");
      relay_sim_json_int_number (&json, progress.remains);
      relay_sim_json_key (&json, "charge");
      relay_sim_json_money (&json, progress.charge);
      relay_sim_json_key (&json, "price");
      relay_sim_json_money (&json, rec->price);
      relay_sim_json_key (&json, "created");
      relay_sim_json_int_number (&json, (gint64) rec->created);
      relay_sim_json_end_object (&json);
    }
  relay_sim_json_end_array (&json);
  return relay_sim_json_steal (&json);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

char *
relay_sim_api_stats_json (RelaySim *self)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  g_autofree char *balance = NULL;
  GHashTableIter iter;
  gpointer key;
  RelaySimJson json;

  relay_sim_settle (self);
  g_hash_table_iter_init (&iter, self->requests);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (names, key);
  g_ptr_array_sort (names, compare_strings);
  balance = relay_money_format (self->balance);

  relay_sim_json_init (&json, RELAY_SIM_NUMBERS_NUMBERS, NULL);
  relay_sim_json_begin_object (&json);
  relay_sim_json_key (&json, "orders");
  relay_sim_json_int_number (&json, self->orders->len);
  relay_sim_json_key (&json, "requests");
  relay_sim_json_begin_object (&json);
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);

      relay_sim_json_key (&json, name);
      relay_sim_json_int_number (&json, GPOINTER_TO_UINT (g_hash_table_lookup (self->requests, name)));
    }
  relay_sim_json_end_object (&json);
  relay_sim_json_key (&json, "total_requests");
  relay_sim_json_int_number (&json, self->n_requests);
  relay_sim_json_key (&json, "balance");
  relay_sim_json_string (&json, balance);
  relay_sim_json_key (&json, "clock");
  relay_sim_json_int_number (&json, (gint64) relay_sim_now (self));
  relay_sim_json_end_object (&json);
  return relay_sim_json_steal (&json);
}
