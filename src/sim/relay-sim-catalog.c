/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The simulated panel's catalog: services across platforms and every type. */
#include "relay-sim-private.h"
#include "relay-money.h"

#define R  RELAY_SIM_SERVICE_REFILL
#define C  RELAY_SIM_SERVICE_CANCEL
#define D  RELAY_SIM_SERVICE_DRIPFEED

typedef struct
{
  guint               id;
  const char         *name;
  RelaySimServiceType type;
  const char         *category;
  const char         *rate;
  gint64              min;
  gint64              max;
  guint               flags;
  const char         *average_time;
} CatalogEntry;

static const CatalogEntry catalog[] = {
  { 101, "Instagram Followers [Real, 30 days refill]", RELAY_SIM_TYPE_DEFAULT,
    "Instagram - Followers", "0.90", 50, 10000, R | C, "3 hours 12 minutes" },
  { 102, "Instagram Followers [Cheap, No refill]", RELAY_SIM_TYPE_DEFAULT,
    "Instagram - Followers", "0.27819", 10, 50000, C | D, NULL },
  { 103, "Instagram Likes [Instant]", RELAY_SIM_TYPE_DEFAULT,
    "Instagram - Likes", "0.08", 10, 20000, D, "14 minutes" },
  { 104, "Instagram Likes [Real, 30 days refill]", RELAY_SIM_TYPE_DEFAULT,
    "Instagram - Likes", "0.45", 20, 5000, R | C | D, NULL },
  { 105, "Instagram Views [Reels, Instant]", RELAY_SIM_TYPE_DEFAULT,
    "Instagram - Views", "0.0125", 100, 1000000, D, NULL },
  { 106, "Instagram Story Views [All stories]", RELAY_SIM_TYPE_DEFAULT,
    "Instagram - Views", "0.05", 100, 50000, 0, NULL },
  { 107, "Instagram Custom Comments [Real]", RELAY_SIM_TYPE_CUSTOM_COMMENTS,
    "Instagram - Comments", "12", 5, 500, 0, NULL },
  { 108, "Instagram Custom Comments Package [10 comments]", RELAY_SIM_TYPE_CUSTOM_COMMENTS_PACKAGE,
    "Instagram - Comments", "25.00", 10, 10, 0, NULL },
  { 109, "Instagram Mentions [Custom List]", RELAY_SIM_TYPE_MENTIONS_CUSTOM_LIST,
    "Instagram - Mentions", "4.50", 10, 1000, 0, NULL },
  { 110, "Instagram Mentions [With Hashtags]", RELAY_SIM_TYPE_MENTIONS_WITH_HASHTAGS,
    "Instagram - Mentions", "5.25", 100, 10000, 0, NULL },
  { 111, "Instagram Mentions [Hashtag]", RELAY_SIM_TYPE_MENTIONS_HASHTAG,
    "Instagram - Mentions", "3.80", 100, 10000, 0, NULL },
  { 112, "Instagram Mentions [User Followers]", RELAY_SIM_TYPE_MENTIONS_USER_FOLLOWERS,
    "Instagram - Mentions", "4.10", 100, 20000, 0, NULL },
  { 113, "Instagram Mentions [Media Likers]", RELAY_SIM_TYPE_MENTIONS_MEDIA_LIKERS,
    "Instagram - Mentions", "4.15", 100, 20000, 0, NULL },
  { 114, "Instagram Comment Likes", RELAY_SIM_TYPE_COMMENT_LIKES,
    "Instagram - Likes", "2.50", 20, 5000, C, NULL },
  { 115, "Instagram Auto Likes [Subscription, Future posts]", RELAY_SIM_TYPE_SUBSCRIPTIONS,
    "Instagram - Auto Likes", "0.12", 50, 5000, 0, NULL },
  { 116, "Instagram 1000 Followers Package", RELAY_SIM_TYPE_PACKAGE,
    "Instagram - Packages", "1.75", 1000, 1000, R, NULL },

  { 121, "TikTok Views [Instant]", RELAY_SIM_TYPE_DEFAULT,
    "TikTok - Views", "0.00893", 100, 10000000, C | D, "6 minutes" },
  { 122, "TikTok Likes", RELAY_SIM_TYPE_DEFAULT,
    "TikTok - Likes", "0.35", 50, 100000, R | C, NULL },
  { 123, "TikTok Followers [Real, 30 days refill]", RELAY_SIM_TYPE_DEFAULT,
    "TikTok - Followers", "1.20", 100, 50000, R | C | D, NULL },
  { 124, "TikTok Shares", RELAY_SIM_TYPE_DEFAULT,
    "TikTok - Shares", "0.14", 100, 1000000, 0, NULL },
  { 125, "TikTok Custom Comments", RELAY_SIM_TYPE_CUSTOM_COMMENTS,
    "TikTok - Comments", "9.60", 5, 1000, C, NULL },
  { 126, "TikTok Comment Likes", RELAY_SIM_TYPE_COMMENT_LIKES,
    "TikTok - Likes", "1.90", 50, 10000, 0, NULL },

  { 131, "YouTube Views [Non drop, Lifetime refill]", RELAY_SIM_TYPE_DEFAULT,
    "YouTube - Views", "1.45", 500, 1000000, R | D, "1 day 2 hours" },
  { 132, "YouTube Likes", RELAY_SIM_TYPE_DEFAULT,
    "YouTube - Likes", "2.80", 50, 50000, R | C, NULL },
  { 133, "YouTube Subscribers [30 days refill]", RELAY_SIM_TYPE_DEFAULT,
    "YouTube - Subscribers", "18.50", 100, 10000, R | C, NULL },
  { 134, "YouTube Watch Time [1000 hours Package]", RELAY_SIM_TYPE_PACKAGE,
    "YouTube - Watch Time", "45", 1000, 1000, 0, NULL },
  { 135, "YouTube Custom Comments", RELAY_SIM_TYPE_CUSTOM_COMMENTS,
    "YouTube - Comments", "22.40", 5, 500, 0, NULL },
  { 136, "YouTube Comment Likes", RELAY_SIM_TYPE_COMMENT_LIKES,
    "YouTube - Likes", "3.10", 20, 10000, 0, NULL },
  { 137, "YouTube Community Poll Votes", RELAY_SIM_TYPE_POLL,
    "YouTube - Poll", "6.00", 100, 10000, 0, NULL },

  { 141, "Twitter Followers [Refill 30 days]", RELAY_SIM_TYPE_DEFAULT,
    "Twitter/X - Followers", "7.25", 100, 20000, R, NULL },
  { 142, "X (Twitter) Likes", RELAY_SIM_TYPE_DEFAULT,
    "Twitter/X - Likes", "1.10", 20, 10000, C, NULL },
  { 143, "X (Twitter) Retweets", RELAY_SIM_TYPE_DEFAULT,
    "Twitter/X - Retweets", "1.35", 20, 10000, 0, NULL },
  { 144, "Twitter Poll Votes", RELAY_SIM_TYPE_POLL,
    "Twitter/X - Poll", "2.20", 100, 100000, 0, NULL },
  { 145, "X (Twitter) Views [Instant]", RELAY_SIM_TYPE_DEFAULT,
    "Twitter/X - Views", "0.01", 100, 10000000, D, NULL },

  { 151, "Facebook Page Likes + Followers", RELAY_SIM_TYPE_DEFAULT,
    "Facebook - Page", "3.60", 100, 50000, R | C, NULL },
  { 152, "Facebook Post Likes", RELAY_SIM_TYPE_DEFAULT,
    "Facebook - Likes", "0.95", 50, 20000, 0, NULL },
  { 153, "Facebook Video Views", RELAY_SIM_TYPE_DEFAULT,
    "Facebook - Views", "0.19", 500, 1000000, D, NULL },
  { 154, "Facebook Custom Comments", RELAY_SIM_TYPE_CUSTOM_COMMENTS,
    "Facebook - Comments", "14", 5, 500, 0, NULL },

  { 161, "Telegram Channel Members [Real]", RELAY_SIM_TYPE_DEFAULT,
    "Telegram - Members", "1.85", 100, 50000, R | C, "8 hours" },
  { 162, "Telegram Future Posts Views [Subscription]", RELAY_SIM_TYPE_SUBSCRIPTIONS,
    "Telegram - Views", "0.04", 100, 100000, 0, NULL },
  { 163, "Telegram Post Views [Last post]", RELAY_SIM_TYPE_DEFAULT,
    "Telegram - Views", "0.0125", 100, 1000000, D, NULL },
  { 164, "Telegram Poll Votes", RELAY_SIM_TYPE_POLL,
    "Telegram - Poll", "1.50", 100, 50000, 0, NULL },
  { 165, "Telegram Post Reactions [Positive mix]", RELAY_SIM_TYPE_DEFAULT,
    "Telegram - Reactions", "0.42", 10, 100000, C, NULL },

  { 171, "Spotify Plays [Premium]", RELAY_SIM_TYPE_DEFAULT,
    "Spotify - Plays", "0.89", 1000, 10000000, R | D, NULL },
  { 172, "Spotify Followers [Artist]", RELAY_SIM_TYPE_DEFAULT,
    "Spotify - Followers", "1.60", 100, 100000, R, NULL },
  { 173, "Spotify Monthly Listeners", RELAY_SIM_TYPE_DEFAULT,
    "Spotify - Listeners", "4.20", 500, 100000, 0, NULL },

  { 181, "Twitch Followers", RELAY_SIM_TYPE_DEFAULT,
    "Twitch - Followers", "2.70", 100, 50000, R | C, NULL },
  { 182, "Twitch Live Viewers [1 hour]", RELAY_SIM_TYPE_DEFAULT,
    "Twitch - Viewers", "5.90", 10, 1000, 0, NULL },

  { 191, "Threads Followers", RELAY_SIM_TYPE_DEFAULT,
    "Threads - Followers", "2.10", 50, 20000, R, NULL },
  { 192, "LinkedIn Post Likes", RELAY_SIM_TYPE_DEFAULT,
    "LinkedIn - Likes", "9", 10, 2000, 0, NULL },
  { 193, "SoundCloud Plays", RELAY_SIM_TYPE_DEFAULT,
    "SoundCloud - Plays", "0.06", 1000, 10000000, D, NULL },
  { 194, "Discord Server Members [Offline]", RELAY_SIM_TYPE_DEFAULT,
    "Discord - Members", "3.30", 100, 10000, C, NULL },
};

#undef R
#undef C
#undef D

static const char * const type_names[RELAY_SIM_N_TYPES] = {
  [RELAY_SIM_TYPE_DEFAULT] = "Default",
  [RELAY_SIM_TYPE_PACKAGE] = "Package",
  [RELAY_SIM_TYPE_CUSTOM_COMMENTS] = "Custom Comments",
  [RELAY_SIM_TYPE_CUSTOM_COMMENTS_PACKAGE] = "Custom Comments Package",
  [RELAY_SIM_TYPE_MENTIONS_CUSTOM_LIST] = "Mentions Custom List",
  [RELAY_SIM_TYPE_MENTIONS_WITH_HASHTAGS] = "Mentions with Hashtags",
  [RELAY_SIM_TYPE_MENTIONS_HASHTAG] = "Mentions Hashtag",
  [RELAY_SIM_TYPE_MENTIONS_USER_FOLLOWERS] = "Mentions User Followers",
  [RELAY_SIM_TYPE_MENTIONS_MEDIA_LIKERS] = "Mentions Media Likers",
  [RELAY_SIM_TYPE_COMMENT_LIKES] = "Comment Likes",
  [RELAY_SIM_TYPE_POLL] = "Poll",
  [RELAY_SIM_TYPE_SUBSCRIPTIONS] = "Subscriptions",
};

const char *
relay_sim_service_type_to_string (RelaySimServiceType type)
{
  g_return_val_if_fail (type < RELAY_SIM_N_TYPES, "Default");
  return type_names[type];
}

void
relay_sim_service_free (RelaySimService *service)
{
  if (service == NULL)
    return;
  g_free (service->id);
  g_free (service->name);
  g_free (service->category);
  g_free (service->rate_text);
  g_free (service->average_time);
  g_free (service);
}

static RelaySimService *
service_new (guint                id,
             const char          *name,
             RelaySimServiceType  type,
             const char          *category,
             const char          *rate,
             gint64               min,
             gint64               max,
             guint                flags,
             const char          *average_time)
{
  RelaySimService *service = g_new0 (RelaySimService, 1);
  gboolean ok;

  service->id = g_strdup_printf ("%u", id);
  service->name = g_strdup (name);
  service->type = type;
  service->category = g_strdup (category);
  service->rate_text = g_strdup (rate);
  ok = relay_money_parse (rate, &service->rate, NULL);
  g_assert (ok);
  service->min = min;
  service->max = max;
  service->flags = flags;
  /* Panels disagree on how to write flags; each service keeps one habit. */
  service->flag_style = id % 3;
  service->id_as_string = id % 4 == 1;
  service->average_time = g_strdup (average_time);
  return service;
}

/* Generated services for big-catalog benches: "Instagram Likes [Server 17]". */
static RelaySimService *
extra_service_new (guint i)
{
  static const char * const platforms[] = {
    "Instagram", "TikTok", "YouTube", "Twitter", "Facebook", "Telegram", "Spotify", "Twitch",
  };
  static const char * const things[] = {
    "Followers", "Likes", "Views", "Comments Likes", "Shares", "Saves", "Impressions",
  };
  const char *platform = platforms[i % G_N_ELEMENTS (platforms)];
  const char *thing = things[(i / G_N_ELEMENTS (platforms)) % G_N_ELEMENTS (things)];
  guint id = 1001 + i;
  g_autofree char *name = g_strdup_printf ("%s %s [Server %u]", platform, thing, i + 1);
  g_autofree char *category = g_strdup_printf ("%s - %s", platform, thing);
  /* 0.001 .. 9.999 with up to 5 decimals, derived from the index. */
  guint64 h = (guint64) (i + 1) * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15);
  g_autofree char *rate = g_strdup_printf ("%u.%05u", (guint) ((h >> 40) % 10),
                                           (guint) ((h >> 8) % 99999) + 1);
  guint flags = (guint) ((h >> 20) % 8);

  return service_new (id, name, RELAY_SIM_TYPE_DEFAULT, category, rate,
                      10 * (1 + (h >> 30) % 10), 10000 * (1 + (h >> 34) % 100), flags, NULL);
}

GPtrArray *
relay_sim_catalog_new (guint n_extra)
{
  GPtrArray *services;

  services = g_ptr_array_new_full (G_N_ELEMENTS (catalog) + n_extra,
                                   (GDestroyNotify) relay_sim_service_free);
  for (guint i = 0; i < G_N_ELEMENTS (catalog); i++)
    {
      const CatalogEntry *e = &catalog[i];

      g_ptr_array_add (services, service_new (e->id, e->name, e->type, e->category, e->rate,
                                              e->min, e->max, e->flags, e->average_time));
    }
  for (guint i = 0; i < n_extra; i++)
    g_ptr_array_add (services, extra_service_new (i));
  return services;
}
