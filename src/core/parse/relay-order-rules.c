/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The rules an order must pass before it is recorded: types, fields, limits, links and margins. */
#include "relay-order-rules.h"
#include "relay-error.h"
#include "relay-format.h"
#include "relay-link.h"
#include "relay-money.h"

#include <string.h>
#include <json-glib/json-glib.h>
#include <inttypes.h>
#include <glib/gi18n-lib.h>

#define MIN_RUNS 2
#define MAX_RUNS 10000
#define MIN_INTERVAL 1

typedef enum
{
  QUANTITY_GIVEN,      /* the quantity field */
  QUANTITY_ONE,        /* a package */
  QUANTITY_COMMENTS,   /* the number of comments */
  QUANTITY_USERNAMES,  /* the number of user names */
  QUANTITY_NONE,       /* subscriptions: min and max per post instead */
} QuantityRule;

typedef struct
{
  const char     *folded;    /* the type in lower case without spaces, `_` or `-` */
  RelayFieldFlags fields;
  QuantityRule    quantity;
  gboolean        dripfeed;  /* the API takes runs and interval for this type */
} TypeInfo;

static const TypeInfo types[] = {
  { "default", RELAY_FIELD_LINK | RELAY_FIELD_QUANTITY, QUANTITY_GIVEN, TRUE },
  { "package", RELAY_FIELD_LINK, QUANTITY_ONE, FALSE },
  { "customcomments", RELAY_FIELD_LINK | RELAY_FIELD_COMMENTS, QUANTITY_COMMENTS, FALSE },
  { "customcommentspackage", RELAY_FIELD_LINK | RELAY_FIELD_COMMENTS, QUANTITY_ONE, FALSE },
  { "mentionscustomlist", RELAY_FIELD_LINK | RELAY_FIELD_USERNAMES, QUANTITY_USERNAMES, FALSE },
  { "mentionswithhashtags",
    RELAY_FIELD_LINK | RELAY_FIELD_QUANTITY | RELAY_FIELD_USERNAMES | RELAY_FIELD_HASHTAGS,
    QUANTITY_GIVEN, FALSE },
  { "mentionshashtag", RELAY_FIELD_LINK | RELAY_FIELD_QUANTITY | RELAY_FIELD_HASHTAG,
    QUANTITY_GIVEN, FALSE },
  { "mentionsuserfollowers", RELAY_FIELD_LINK | RELAY_FIELD_QUANTITY | RELAY_FIELD_USERNAME,
    QUANTITY_GIVEN, FALSE },
  { "mentionsmedialikers", RELAY_FIELD_LINK | RELAY_FIELD_QUANTITY | RELAY_FIELD_MEDIA,
    QUANTITY_GIVEN, FALSE },
  { "commentlikes", RELAY_FIELD_LINK | RELAY_FIELD_QUANTITY | RELAY_FIELD_USERNAME,
    QUANTITY_GIVEN, FALSE },
  { "poll", RELAY_FIELD_LINK | RELAY_FIELD_QUANTITY | RELAY_FIELD_ANSWER_NUMBER,
    QUANTITY_GIVEN, FALSE },
  { "subscriptions", RELAY_FIELD_SUBSCRIPTION, QUANTITY_NONE, FALSE },
};

/* "Custom Comments", "custom_comments" and "CUSTOM-COMMENTS" are one type;
 * anything unknown is Default. */
static const TypeInfo *
fold_type (const char *type)
{
  char folded[48];
  gsize n = 0;

  for (const char *p = type; *p != '\0'; p++)
    {
      if (*p == ' ' || *p == '_' || *p == '-' || *p == '\t')
        continue;
      if (n + 1 >= sizeof folded)
        return &types[0];
      folded[n++] = *p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p;   /* g_ascii_tolower() */
    }
  folded[n] = '\0';
  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    if (strcmp (types[i].folded, folded) == 0)
      return &types[i];
  return &types[0];
}

/* The last type looked up, per thread: every line of a mass order asks
 * about the same service's type, several times. */
#define TYPE_MEMO_TEXT 64

typedef struct
{
  const TypeInfo *info;           /* NULL: nothing remembered */
  char            type[TYPE_MEMO_TEXT];
} TypeMemo;

static __thread TypeMemo type_memo;

static const TypeInfo *
lookup_type (const char *type)
{
  TypeMemo *memo = &type_memo;
  const TypeInfo *info;

  if (type == NULL)
    return &types[0];
  if (memo->info != NULL && strcmp (memo->type, type) == 0)
    return memo->info;
  info = fold_type (type);
  if (g_strlcpy (memo->type, type, sizeof memo->type) < sizeof memo->type)
    memo->info = info;
  else
    memo->info = NULL;             /* too long to remember */
  return info;
}

static RelayFieldFlags
type_fields (const TypeInfo *info, gboolean dripfeed)
{
  if (dripfeed && info->dripfeed)
    return info->fields | RELAY_FIELD_DRIPFEED;
  return info->fields;
}

RelayFieldFlags
relay_service_type_fields (const char *type, gboolean dripfeed)
{
  return type_fields (lookup_type (type), dripfeed);
}

static gint64
count_lines (const char *text)
{
  gint64 n = 0;
  gboolean content = FALSE;

  if (text == NULL)
    return 0;
  for (const char *p = text; ; p++)
    {
      if (*p == '\0' || *p == '\n' || *p == '\r')
        {
          if (content)
            n++;
          content = FALSE;
          if (*p == '\0')
            break;
        }
      else if (!g_ascii_isspace (*p))
        content = TRUE;
    }
  return n;
}

gint64
relay_order_effective_quantity (const char             *type,
                                gint64                  quantity,
                                const RelayOrderExtras *extras)
{
  switch (lookup_type (type)->quantity)
    {
    case QUANTITY_ONE:
      return 1;
    case QUANTITY_COMMENTS:
      return extras != NULL ? count_lines (extras->comments) : 0;
    case QUANTITY_USERNAMES:
      return extras != NULL ? count_lines (extras->usernames) : 0;
    case QUANTITY_GIVEN:
    case QUANTITY_NONE:
    default:
      return quantity;
    }
}

/* Extras ------------------------------------------------------------------ */

void
relay_order_extras_free (RelayOrderExtras *extras)
{
  if (extras == NULL)
    return;
  g_free (extras->comments);
  g_free (extras->usernames);
  g_free (extras->username);
  g_free (extras->hashtags);
  g_free (extras->hashtag);
  g_free (extras->media);
  g_free (extras->expiry);
  g_free (extras);
}

typedef struct
{
  const char *key;
  gsize       offset;
  gboolean    is_string;
} ExtraField;

#define STRING_FIELD(name) { #name, G_STRUCT_OFFSET (RelayOrderExtras, name), TRUE }
#define NUMBER_FIELD(name) { #name, G_STRUCT_OFFSET (RelayOrderExtras, name), FALSE }

static const ExtraField extra_fields[] = {
  STRING_FIELD (comments),
  STRING_FIELD (usernames),
  STRING_FIELD (username),
  STRING_FIELD (hashtags),
  STRING_FIELD (hashtag),
  STRING_FIELD (media),
  NUMBER_FIELD (answer_number),
  NUMBER_FIELD (min),
  NUMBER_FIELD (max),
  NUMBER_FIELD (posts),
  NUMBER_FIELD (old_posts),
  NUMBER_FIELD (delay),
  STRING_FIELD (expiry),
};

char *
relay_order_extras_to_json (const RelayOrderExtras *extras)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  gboolean any = FALSE;

  if (extras == NULL)
    return NULL;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (extra_fields); i++)
    {
      const ExtraField *field = &extra_fields[i];

      if (field->is_string)
        {
          const char *value = G_STRUCT_MEMBER (const char *, extras, field->offset);

          if (value == NULL)
            continue;
          json_builder_set_member_name (builder, field->key);
          json_builder_add_string_value (builder, value);
        }
      else
        {
          gint64 value = G_STRUCT_MEMBER (gint64, extras, field->offset);

          if (value == 0)
            continue;
          json_builder_set_member_name (builder, field->key);
          json_builder_add_int_value (builder, value);
        }
      any = TRUE;
    }
  json_builder_end_object (builder);
  if (!any)
    return NULL;

  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* A number, or a string of digits (with an optional minus) for tolerance. */
static gboolean
read_number (JsonNode *node, gint64 *out)
{
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
    {
      *out = json_node_get_int (node);
      return TRUE;
    }
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (node);

      return g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, out, NULL);
    }
  return FALSE;
}

RelayOrderExtras *
relay_order_extras_from_json (const char *json, GError **error)
{
  g_autoptr(RelayOrderExtras) extras = g_new0 (RelayOrderExtras, 1);
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObject *object;

  if (json == NULL || *json == '\0')
    return g_steal_pointer (&extras);

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, json, -1, &local_error))
    {
      g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID,
                   _("the order’s extra fields are not valid JSON: %s"), local_error->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID,
                           _("the order’s extra fields are not a JSON object"));
      return NULL;
    }
  object = json_node_get_object (json_parser_get_root (parser));

  for (guint i = 0; i < G_N_ELEMENTS (extra_fields); i++)
    {
      const ExtraField *field = &extra_fields[i];
      JsonNode *node = json_object_get_member (object, field->key);

      if (node == NULL || JSON_NODE_HOLDS_NULL (node))
        continue;
      if (field->is_string)
        {
          if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
            {
              g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID,
                           _("the order’s extra field “%s” is not text"), field->key);
              return NULL;
            }
          G_STRUCT_MEMBER (char *, extras, field->offset) = json_node_dup_string (node);
        }
      else if (!read_number (node, &G_STRUCT_MEMBER (gint64, extras, field->offset)))
        {
          g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID,
                       _("the order’s extra field “%s” is not a whole number"), field->key);
          return NULL;
        }
    }
  return g_steal_pointer (&extras);
}

/* Checks ------------------------------------------------------------------ */

gboolean
relay_service_check_orderable (const RelayServiceRow *service, GError **error)
{
  g_return_val_if_fail (service != NULL, FALSE);

  if (service->primary == NULL)
    {
      g_set_error_literal (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_UNKNOWN_SERVICE,
                           _("this service is not mapped to a provider’s service"));
      return FALSE;
    }
  if (service->primary->removed)
    {
      g_set_error_literal (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_UNKNOWN_SERVICE,
                           _("the provider no longer offers this service"));
      return FALSE;
    }
  if (!relay_money_check_price (service->price, error))
    return FALSE;
  if (service->primary->rate > RELAY_MONEY_MAX_PER_THOUSAND)
    {
      g_autofree char *rate = relay_money_format (service->primary->rate);
      g_autofree char *limit = relay_money_format (RELAY_MONEY_MAX_PER_THOUSAND);

      g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE,
                   _("the provider’s rate %s per 1,000 is above the limit of %s per 1,000"),
                   rate, limit);
      return FALSE;
    }
  if (service->price < service->primary->rate)
    {
      g_autofree char *price = relay_format_money (service->price, service->currency,
                                                   RELAY_MONEY_STYLE_UNIT_PRICE);
      g_autofree char *rate = relay_format_money (service->primary->rate, service->currency,
                                                  RELAY_MONEY_STYLE_UNIT_PRICE);

      g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_BELOW_COST,
                   _("selling below cost: your price %s per 1,000 is under the provider’s %s"),
                   price, rate);
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_empty (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}

static gboolean
has_space (const char *text)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));

  for (const char *p = copy; *p != '\0'; p++)
    if (g_ascii_isspace (*p))
      return TRUE;
  return FALSE;
}

static gboolean
invalid (GError **error, const char *format, ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError **error, const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_INVALID, message);
  return FALSE;
}

typedef enum
{
  RANGE_QUANTITY,
  RANGE_COMMENTS,
  RANGE_USERNAMES,
  RANGE_MIN,
  RANGE_MAX,
} RangeWhat;

/* Whole sentences for the translators: at least 1, below the minimum, above the maximum. */
static const char * const range_messages[][3] = {
  [RANGE_QUANTITY] = {
    N_("the quantity must be at least 1"),
    N_("quantity %s is below this service’s minimum of %s"),
    N_("quantity %s is above this service’s maximum of %s"),
  },
  [RANGE_COMMENTS] = {  /* the counts: in range_format () */
    N_("the comments are missing; write one comment a line"),
    NULL,
    NULL,
  },
  [RANGE_USERNAMES] = {
    N_("the user names are missing; write one user name a line"),
    NULL,
    NULL,
  },
  [RANGE_MIN] = {
    N_("min must be at least 1"),
    N_("min %s is below this service’s minimum of %s"),
    N_("min %s is above this service’s maximum of %s"),
  },
  [RANGE_MAX] = {
    N_("max must be at least 1"),
    N_("max %s is below this service’s minimum of %s"),
    N_("max %s is above this service’s maximum of %s"),
  },
};

static gboolean
range_fail (GError **error, const char *format, gint64 value, gint64 limit)
{
  char value_text[24], limit_text[24];

  g_snprintf (value_text, sizeof value_text, "%" PRId64, value);
  g_snprintf (limit_text, sizeof limit_text, "%" PRId64, limit);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE, format, value_text, limit_text);
#pragma GCC diagnostic pop
  return FALSE;
}

/* The translated format of range_messages[@what][@which] (1: below the
 * minimum, 2: above the maximum); a count of comments or user names in the
 * plural form @value needs. */
static const char *
range_format (RangeWhat what, guint which, gint64 value)
{
  gulong n = value > 0 ? (gulong) value : 0;

  if (what == RANGE_COMMENTS)
    return which == 1
      ? g_dngettext (GETTEXT_PACKAGE, "%s comment is fewer than this service’s minimum of %s",
                     "%s comments are fewer than this service’s minimum of %s", n)
      : g_dngettext (GETTEXT_PACKAGE, "%s comment is more than this service’s maximum of %s",
                     "%s comments are more than this service’s maximum of %s", n);
  if (what == RANGE_USERNAMES)
    return which == 1
      ? g_dngettext (GETTEXT_PACKAGE, "%s user name is fewer than this service’s minimum of %s",
                     "%s user names are fewer than this service’s minimum of %s", n)
      : g_dngettext (GETTEXT_PACKAGE, "%s user name is more than this service’s maximum of %s",
                     "%s user names are more than this service’s maximum of %s", n);
  return _(range_messages[what][which]);
}

static gboolean
check_range (RangeWhat              what,
             gint64                 value,
             const RelayCatalogRow *primary,
             GError               **error)
{
  if (value < 1)
    {
      /* An empty list is a missing field rather than a number out of range. */
      g_set_error_literal (error, RELAY_INPUT_ERROR,
                           what == RANGE_COMMENTS || what == RANGE_USERNAMES
                           ? RELAY_INPUT_ERROR_INVALID : RELAY_INPUT_ERROR_RANGE,
                           _(range_messages[what][0]));
      return FALSE;
    }
  if (primary->min > 0 && value < primary->min)
    return range_fail (error, range_format (what, 1, value), value, primary->min);
  if (primary->max > 0 && value > primary->max)
    return range_fail (error, range_format (what, 2, value), value, primary->max);
  return TRUE;
}

static gboolean
check_link (const RelayCatalogRow *primary, const char *link, GError **error)
{
  RelayPlatform platform;
  RelayLinkKind kind;

  relay_link_classify_service (primary->name, primary->category, &platform, &kind);
  return relay_link_check (link, platform, kind, error);
}

static gboolean
check_quantity (const TypeInfo         *info,
                const RelayCatalogRow  *primary,
                gint64                  quantity,
                const RelayOrderExtras *extras,
                GError                **error)
{
  switch (info->quantity)
    {
    case QUANTITY_GIVEN:
      return check_range (RANGE_QUANTITY, quantity, primary, error);

    case QUANTITY_COMMENTS:
      {
        gint64 n = count_lines (extras != NULL ? extras->comments : NULL);

        return check_range (RANGE_COMMENTS, n, primary, error);
      }

    case QUANTITY_USERNAMES:
      {
        gint64 n = count_lines (extras != NULL ? extras->usernames : NULL);

        return check_range (RANGE_USERNAMES, n, primary, error);
      }

    case QUANTITY_ONE:
    case QUANTITY_NONE:
    default:
      return TRUE;
    }
}

/* "31/12/2025": the d/m/Y format the panels take. */
static gboolean
expiry_ok (const char *expiry)
{
  g_auto(GStrv) parts = g_strsplit (expiry, "/", -1);
  guint64 day, month, year;

  if (g_strv_length (parts) != 3 ||
      !g_ascii_string_to_unsigned (parts[0], 10, 1, 31, &day, NULL) ||
      !g_ascii_string_to_unsigned (parts[1], 10, 1, 12, &month, NULL) ||
      !g_ascii_string_to_unsigned (parts[2], 10, 2000, 9999, &year, NULL) ||
      strlen (parts[2]) != 4)
    return FALSE;
  return g_date_valid_dmy (day, month, year);
}

static gboolean
check_subscription (const RelayCatalogRow  *primary,
                    const RelayOrderExtras *extras,
                    GError                **error)
{
  RelayOrderExtras none = { 0 };

  if (extras == NULL)
    extras = &none;
  if (is_empty (extras->username))
    return invalid (error, _("the user name is missing"));
  if (has_space (extras->username))
    return invalid (error, _("the user name “%s” has a space in it"), extras->username);
  if (!check_range (RANGE_MIN, extras->min, primary, error) ||
      !check_range (RANGE_MAX, extras->max, primary, error))
    return FALSE;
  if (extras->min > extras->max)
    {
      return range_fail (error, _("min %s is above max %s"), extras->min, extras->max);
    }
  if (extras->posts < 0 || extras->old_posts < 0)
    return invalid (error, _("the number of posts cannot be negative"));
  if (extras->posts == 0 && extras->old_posts == 0)
    return invalid (error, _("say how many new posts or old posts the subscription covers"));
  if (extras->delay < 0)
    return invalid (error, _("the delay cannot be negative"));
  if (extras->expiry != NULL && *extras->expiry != '\0' && !expiry_ok (extras->expiry))
    return invalid (error, _("the expiry date “%s” is not a date such as 31/12/2025"),
                    extras->expiry);
  return TRUE;
}

static gboolean
check_text_field (const char *value,
                  const char *missing,
                  gboolean    single_word,
                  GError    **error)
{
  if (is_empty (value))
    return invalid (error, "%s", missing);
  if (single_word && has_space (value))
    return invalid (error, _("“%s” has a space in it"), value);
  return TRUE;
}

static gboolean
check_fields (RelayFieldFlags         fields,
              const RelayCatalogRow  *primary,
              const RelayOrderExtras *extras,
              GError                **error)
{
  RelayOrderExtras none = { 0 };

  if (extras == NULL)
    extras = &none;
  if ((fields & RELAY_FIELD_COMMENTS) &&
      !check_text_field (extras->comments,
                         _("the comments are missing; write one comment a line"), FALSE, error))
    return FALSE;
  if ((fields & RELAY_FIELD_USERNAMES) &&
      !check_text_field (extras->usernames,
                         _("the user names are missing; write one user name a line"), FALSE, error))
    return FALSE;
  if ((fields & RELAY_FIELD_USERNAME) &&
      !check_text_field (extras->username, _("the user name is missing"), TRUE, error))
    return FALSE;
  if ((fields & RELAY_FIELD_HASHTAGS) &&
      !check_text_field (extras->hashtags, _("the hashtags are missing"), FALSE, error))
    return FALSE;
  if ((fields & RELAY_FIELD_HASHTAG) &&
      !check_text_field (extras->hashtag, _("the hashtag is missing"), TRUE, error))
    return FALSE;
  if ((fields & RELAY_FIELD_MEDIA) &&
      !check_text_field (extras->media, _("the media link is missing"), TRUE, error))
    return FALSE;
  if ((fields & RELAY_FIELD_ANSWER_NUMBER) && extras->answer_number < 1)
    return invalid (error, _("the answer number must be 1 or more"));
  if (fields & RELAY_FIELD_SUBSCRIPTION)
    return check_subscription (primary, extras, error);
  return TRUE;
}

static gboolean
check_dripfeed (RelayFieldFlags fields, gint64 runs, gint64 interval, GError **error)
{
  if (runs == 0 && interval == 0)
    return TRUE;
  if (!(fields & RELAY_FIELD_DRIPFEED))
    return invalid (error, _("this service does not take drip-feed orders"));
  if (runs < MIN_RUNS)
    {
      g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE,
                   g_dngettext (GETTEXT_PACKAGE, "drip-feed needs at least %d run",
                                "drip-feed needs at least %d runs", MIN_RUNS), MIN_RUNS);
      return FALSE;
    }
  if (runs > MAX_RUNS)
    {
      g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE,
                   g_dngettext (GETTEXT_PACKAGE, "drip-feed takes at most %d run",
                                "drip-feed takes at most %d runs", MAX_RUNS), MAX_RUNS);
      return FALSE;
    }
  if (interval < MIN_INTERVAL)
    {
      g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE,
                   g_dngettext (GETTEXT_PACKAGE,
                                "the interval between drip-feed runs must be at least %d minute",
                                "the interval between drip-feed runs must be at least %d minutes",
                                MIN_INTERVAL),
                   MIN_INTERVAL);
      return FALSE;
    }
  return TRUE;
}

gboolean
relay_order_check (const RelayServiceRow  *service,
                   const char             *link,
                   gint64                  quantity,
                   const RelayOrderExtras *extras,
                   gint64                  runs,
                   gint64                  interval,
                   GError                **error)
{
  const RelayCatalogRow *primary;
  const TypeInfo *info;
  RelayFieldFlags fields;

  g_return_val_if_fail (service != NULL, FALSE);

  if (!relay_service_check_orderable (service, error))
    return FALSE;
  primary = service->primary;
  info = lookup_type (primary->type);
  fields = type_fields (info, primary->dripfeed);

  if ((fields & RELAY_FIELD_LINK) && !check_link (primary, link, error))
    return FALSE;
  /* A link a service does not take is not sent, but it is kept with the
   * order: never a control character or bytes that are not text. */
  if (!(fields & RELAY_FIELD_LINK) && !relay_link_check_text (link, error))
    return FALSE;
  if (!check_quantity (info, primary, quantity, extras, error))
    return FALSE;
  if (!check_fields (fields, primary, extras, error))
    return FALSE;
  if (!check_dripfeed (fields, runs, interval, error))
    return FALSE;
  /* Whatever a panel's limits say (some send no maximum), an order's units
   * stay where its price cannot overflow. */
  if (quantity > RELAY_ORDER_MAX_UNITS ||
      (runs > 1 && quantity > RELAY_ORDER_MAX_UNITS / runs))
    {
      g_autofree char *limit = relay_format_count (RELAY_ORDER_MAX_UNITS);

      g_set_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_RANGE,
                   g_dngettext (GETTEXT_PACKAGE, "an order of more than %s unit in all is not accepted",
                                "an order of more than %s units in all is not accepted",
                                (gulong) RELAY_ORDER_MAX_UNITS), limit);
      return FALSE;
    }
  return TRUE;
}

void
relay_order_fill_add_request (RelayProviderAddRequest *request,
                              const char              *provider_service_id,
                              const char              *type,
                              const char              *link,
                              gint64                   quantity,
                              gint64                   runs,
                              gint64                   interval,
                              const RelayOrderExtras  *extras)
{
  const TypeInfo *info = lookup_type (type);
  RelayFieldFlags fields = info->fields;
  RelayOrderExtras none = { 0 };

  g_return_if_fail (request != NULL);

  if (extras == NULL)
    extras = &none;
  *request = (RelayProviderAddRequest) { 0 };
  request->service_id = provider_service_id;

  if (fields & RELAY_FIELD_LINK)
    request->link = link;
  if (fields & RELAY_FIELD_QUANTITY)
    request->quantity = quantity;
  if (info->dripfeed && runs > 0)
    {
      request->runs = runs;
      request->interval = interval;
    }
  if (fields & RELAY_FIELD_COMMENTS)
    request->comments = extras->comments;
  if (fields & RELAY_FIELD_USERNAMES)
    request->usernames = extras->usernames;
  if (fields & (RELAY_FIELD_USERNAME | RELAY_FIELD_SUBSCRIPTION))
    request->username = extras->username;
  if (fields & RELAY_FIELD_HASHTAGS)
    request->hashtags = extras->hashtags;
  if (fields & RELAY_FIELD_HASHTAG)
    request->hashtag = extras->hashtag;
  if (fields & RELAY_FIELD_MEDIA)
    request->media = extras->media;
  if (fields & RELAY_FIELD_ANSWER_NUMBER)
    request->answer_number = extras->answer_number;
  if (fields & RELAY_FIELD_SUBSCRIPTION)
    {
      request->min = extras->min;
      request->max = extras->max;
      request->posts = extras->posts;
      request->old_posts = extras->old_posts;
      request->delay = extras->delay;
      request->expiry = extras->expiry;
    }
}

gint64
relay_order_units (const RelayOrderRow *order)
{
  gint64 units;

  g_return_val_if_fail (order != NULL, 0);
  if (order->quantity < 0 || __builtin_mul_overflow (order->quantity, MAX (order->runs, 1), &units))
    return G_MAXINT64;
  return units;
}

gint64
relay_order_delivered (const RelayOrderRow *order)
{
  gint64 units = relay_order_units (order);

  if (order->has_remains)
    {
      /* No subtraction that can overflow, whatever a panel reported. */
      if (order->remains >= units)
        return 0;
      if (order->remains <= 0)
        return units;
      return units - order->remains;
    }
  return order->status == RELAY_ORDER_COMPLETED ? units : 0;
}

gboolean
relay_order_can_refill (const RelayOrderRow *order)
{
  g_return_val_if_fail (order != NULL, FALSE);
  return order->can_refill &&
         order->provider_order_id != NULL &&
         (order->status == RELAY_ORDER_COMPLETED || order->status == RELAY_ORDER_PARTIAL);
}

gboolean
relay_order_can_cancel (const RelayOrderRow *order)
{
  g_return_val_if_fail (order != NULL, FALSE);
  switch (order->status)
    {
    case RELAY_ORDER_SCHEDULED:
    case RELAY_ORDER_QUEUED:
      return TRUE;
    case RELAY_ORDER_NEEDS_REVIEW:
      return g_strcmp0 (order->review_reason, RELAY_REVIEW_AWAITING_APPROVAL) == 0;
    default:
      return order->can_cancel && order->provider_order_id != NULL &&
             relay_order_status_is_active (order->status);
    }
}
