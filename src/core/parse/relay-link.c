/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Links per platform: reading a service's platform and link kind, and checking a link against them. */
#include "relay-link.h"
#include "relay-link-private.h"
#include "relay-error.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#define MAX_LINK_LENGTH RELAY_LINK_MAX_LENGTH

/* Invisible or no-break spaces that come with pasted text. */
static const char * const unicode_blanks[] = {
  "\xC2\xA0", "\xE2\x80\xAF", "\xE2\x80\x89", "\xE2\x80\x8B", "\xEF\xBB\xBF",
  "\xE3\x80\x80",
};

/* Byte classes for the checks that run over every character of a link. */
enum
{
  CLASS_SPACE = 1 << 0,   /* an ASCII space or a tab */
  CLASS_HIGH  = 1 << 1,   /* not ASCII */
  CLASS_HOST  = 1 << 2,   /* a plain host: ASCII letters and digits, '.' and '-' */
  CLASS_PLAIN = 1 << 3,   /* a plain link's path: letters, digits and "-._~@+,=!" */
  CLASS_QUERY = 1 << 4,   /* a plain link's query: the same, '&', '/' and '?' */
  CLASS_CODE  = 1 << 5,   /* code_ok(): ASCII letters and digits, '-' and '_' */
  CLASS_CONTROL = 1 << 6, /* an ASCII control character: < 0x20 but a tab, 0x7f */
};

#define CLASSES_ALNUM (CLASS_HOST | CLASS_PLAIN | CLASS_QUERY | CLASS_CODE)
#define CLASSES_MARK  (CLASS_PLAIN | CLASS_QUERY)

static const guint8 link_classes[256] = {
  [0x00 ... 0x08] = CLASS_CONTROL, ['\t'] = CLASS_SPACE, [0x0a ... 0x1f] = CLASS_CONTROL,
  [' '] = CLASS_SPACE, [0x7f] = CLASS_CONTROL,
  [0x80 ... 0xff] = CLASS_HIGH,
  ['0' ... '9'] = CLASSES_ALNUM, ['A' ... 'Z'] = CLASSES_ALNUM, ['a' ... 'z'] = CLASSES_ALNUM,
  ['.'] = CLASS_HOST | CLASSES_MARK,
  ['-'] = CLASS_HOST | CLASSES_MARK | CLASS_CODE,
  ['_'] = CLASSES_MARK | CLASS_CODE,
  ['~'] = CLASSES_MARK, ['@'] = CLASSES_MARK, ['+'] = CLASSES_MARK, [','] = CLASSES_MARK,
  ['='] = CLASSES_MARK, ['!'] = CLASSES_MARK,
  ['&'] = CLASS_QUERY, ['/'] = CLASS_QUERY, ['?'] = CLASS_QUERY,
};

static inline gboolean
has_class (char c, guint8 classes)
{
  return (link_classes[(guchar) c] & classes) != 0;
}

/* What a link's path says it points to. */
typedef enum
{
  SHAPE_NONE,     /* the site itself: no path */
  SHAPE_UNKNOWN,  /* a page of the site that is neither a profile nor a post */
  SHAPE_PROFILE,
  SHAPE_POST,
  SHAPE_SHORT,    /* a short link: a post most of the time, but it does not say */
  SHAPE_EITHER,   /* a Spotify playlist: followed like a profile, played like a post */
} Shape;

/* The characters and length of a user name on a platform. */
typedef struct
{
  const char *extra_chars;  /* allowed besides ASCII letters and digits */
  guint       min_len;
  guint       max_len;
} NameRule;

typedef Shape (*ShapeFunc) (const char *host, char **segs, guint n_segs, const char *query);

typedef struct
{
  const char  *label;
  const char  *a_link;           /* "a TikTok link" */
  const char  *a_profile_link;   /* "an Instagram profile link" */
  const char  *a_post_link;      /* "an Instagram post link" */
  const char  *profile_example;
  const char  *post_example;
  const char  *hosts[8];         /* without www., m., mobile., web. */
  gboolean     bare_names;       /* panels take "@name" for profile services */
  const NameRule *names;
  ShapeFunc    shape;
} PlatformInfo;

static const NameRule instagram_names = { "._", 1, 30 };
static const NameRule tiktok_names = { "._", 2, 24 };
static const NameRule twitter_names = { "_", 1, 15 };
static const NameRule telegram_names = { "_", 4, 32 };
static const NameRule facebook_names = { ".-_", 1, 80 };
static const NameRule twitch_names = { "_", 3, 25 };

static gboolean
str_in (const char *s, const char * const *list)
{
  for (guint i = 0; list[i] != NULL; i++)
    if (g_ascii_strcasecmp (s, list[i]) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
name_ok (const char *name, const NameRule *rule)
{
  gsize len = strlen (name);

  if (len < rule->min_len || len > rule->max_len)
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr (rule->extra_chars, *p) == NULL)
      return FALSE;
  return TRUE;
}

/* A post code or a video id: letters, digits, `-` and `_`. */
static gboolean
code_ok (const char *code)
{
  if (*code == '\0')
    return FALSE;
  for (const char *p = code; *p != '\0'; p++)
    if (!has_class (*p, CLASS_CODE))
      return FALSE;
  return TRUE;
}

static gboolean
digits_ok (const char *s)
{
  if (*s == '\0')
    return FALSE;
  for (const char *p = s; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

/* TRUE when @query has `name=` with a non-empty value. */
static gboolean
query_has (const char *query, const char *name)
{
  gsize len = strlen (name);

  for (const char *p = query; p != NULL && *p != '\0'; )
    {
      if (strncmp (p, name, len) == 0 && p[len] == '=' && p[len + 1] != '\0' && p[len + 1] != '&')
        return TRUE;
      p = strchr (p, '&');
      if (p != NULL)
        p++;
    }
  return FALSE;
}

static Shape
instagram_shape (const char *host, char **segs, guint n, const char *query)
{
  static const char * const post_words[] = { "p", "reel", "reels", "tv", NULL };
  static const char * const reserved[] = {
    "explore", "accounts", "direct", "about", "developer", "legal", "web", "stories",
    "challenge", "privacy", "p", "reel", "reels", "tv", NULL
  };

  if (n == 0)
    return SHAPE_NONE;
  if (str_in (segs[0], post_words))
    return n >= 2 && code_ok (segs[1]) ? SHAPE_POST : SHAPE_UNKNOWN;
  if (n >= 3 && str_in (segs[1], post_words) && code_ok (segs[2]))
    return SHAPE_POST;                      /* instagram.com/name/reel/CODE */
  if (g_ascii_strcasecmp (segs[0], "stories") == 0)
    return n >= 2 ? SHAPE_POST : SHAPE_UNKNOWN;
  if (n == 1 && name_ok (segs[0], &instagram_names) && !str_in (segs[0], reserved))
    return SHAPE_PROFILE;
  return SHAPE_UNKNOWN;
}

static Shape
tiktok_shape (const char *host, char **segs, guint n, const char *query)
{
  static const char * const post_words[] = { "video", "photo", NULL };

  if (strcmp (host, "vm.tiktok.com") == 0 || strcmp (host, "vt.tiktok.com") == 0)
    return n >= 1 ? SHAPE_SHORT : SHAPE_NONE;
  if (n == 0)
    return SHAPE_NONE;
  if (strcmp (segs[0], "t") == 0)
    return n >= 2 ? SHAPE_SHORT : SHAPE_UNKNOWN;
  if (strcmp (segs[0], "v") == 0)
    return n >= 2 ? SHAPE_POST : SHAPE_UNKNOWN;   /* m.tiktok.com/v/ID.html */
  if (segs[0][0] != '@' || !name_ok (segs[0] + 1, &tiktok_names))
    return SHAPE_UNKNOWN;
  if (n == 1)
    return SHAPE_PROFILE;
  if (n >= 3 && str_in (segs[1], post_words) && digits_ok (segs[2]))
    return SHAPE_POST;
  return SHAPE_UNKNOWN;
}

static Shape
youtube_shape (const char *host, char **segs, guint n, const char *query)
{
  static const char * const post_words[] = { "shorts", "live", "embed", "v", "post", NULL };
  static const char * const profile_words[] = { "channel", "c", "user", NULL };
  static const char * const reserved[] = {
    "watch", "results", "feed", "playlist", "shorts", "live", "embed", "v", "channel", "c",
    "user", "account", "premium", "gaming", "hashtag", "post", NULL
  };

  if (strcmp (host, "youtu.be") == 0)
    return n >= 1 && code_ok (segs[0]) ? SHAPE_POST : SHAPE_NONE;
  if (n == 0)
    return SHAPE_NONE;
  if (strcmp (segs[0], "watch") == 0)
    return query_has (query, "v") ? SHAPE_POST : SHAPE_UNKNOWN;
  if (str_in (segs[0], post_words))
    return n >= 2 && code_ok (segs[1]) ? SHAPE_POST : SHAPE_UNKNOWN;
  if (segs[0][0] == '@' && segs[0][1] != '\0')
    return SHAPE_PROFILE;                   /* youtube.com/@name, /@name/videos */
  if (str_in (segs[0], profile_words))
    return n >= 2 ? SHAPE_PROFILE : SHAPE_UNKNOWN;
  if (n == 1 && code_ok (segs[0]) && !str_in (segs[0], reserved))
    return SHAPE_PROFILE;                   /* the old custom address youtube.com/name */
  return SHAPE_UNKNOWN;
}

static Shape
twitter_shape (const char *host, char **segs, guint n, const char *query)
{
  static const char * const status_words[] = { "status", "statuses", NULL };
  static const char * const reserved[] = {
    "home", "explore", "i", "search", "settings", "messages", "notifications", "intent",
    "share", "hashtag", "login", "signup", "tos", "privacy", NULL
  };

  if (n == 0)
    return SHAPE_NONE;
  if (strcmp (segs[0], "i") == 0)
    {
      if (n >= 3 && str_in (segs[1], status_words) && digits_ok (segs[2]))
        return SHAPE_POST;
      if (n >= 4 && strcmp (segs[1], "web") == 0 && str_in (segs[2], status_words) &&
          digits_ok (segs[3]))
        return SHAPE_POST;
      return SHAPE_UNKNOWN;
    }
  if (!name_ok (segs[0], &twitter_names) || str_in (segs[0], reserved))
    return SHAPE_UNKNOWN;
  if (n == 1)
    return SHAPE_PROFILE;
  if (n >= 3 && str_in (segs[1], status_words) && digits_ok (segs[2]))
    return SHAPE_POST;
  return SHAPE_UNKNOWN;
}

static Shape
facebook_shape (const char *host, char **segs, guint n, const char *query)
{
  static const char * const post_pages[] = {
    "photo.php", "photo", "permalink.php", "story.php", "video.php", NULL
  };
  static const char * const post_words[] = { "posts", "videos", "photos", "reel", "permalink", NULL };
  static const char * const reserved[] = {
    "home.php", "login", "login.php", "watch", "marketplace", "gaming", "events", "help",
    "settings", "groups", "pages", "people", "share", "reel", "reels", "profile.php", NULL
  };

  if (strcmp (host, "fb.watch") == 0)
    return n >= 1 ? SHAPE_POST : SHAPE_NONE;
  if (n == 0)
    return SHAPE_NONE;
  if (strcmp (segs[0], "watch") == 0)
    return query_has (query, "v") ? SHAPE_POST : SHAPE_UNKNOWN;
  if (strcmp (segs[0], "reel") == 0 || strcmp (segs[0], "reels") == 0)
    return n >= 2 ? SHAPE_POST : SHAPE_UNKNOWN;
  if (strcmp (segs[0], "share") == 0)
    {
      if (n >= 3 && strlen (segs[1]) == 1 && strchr ("pvr", segs[1][0]) != NULL)
        return SHAPE_POST;                  /* facebook.com/share/p/CODE */
      return n >= 2 ? SHAPE_SHORT : SHAPE_UNKNOWN;
    }
  if (str_in (segs[0], post_pages))
    return SHAPE_POST;
  if (strcmp (segs[0], "profile.php") == 0)
    return query_has (query, "id") ? SHAPE_PROFILE : SHAPE_UNKNOWN;
  if (strcmp (segs[0], "groups") == 0)
    {
      if (n >= 4 && (strcmp (segs[2], "posts") == 0 || strcmp (segs[2], "permalink") == 0))
        return SHAPE_POST;
      return n >= 2 ? SHAPE_PROFILE : SHAPE_UNKNOWN;
    }
  if (strcmp (segs[0], "pages") == 0 || strcmp (segs[0], "people") == 0)
    return n >= 2 ? SHAPE_PROFILE : SHAPE_UNKNOWN;
  if (!name_ok (segs[0], &facebook_names) || str_in (segs[0], reserved))
    return SHAPE_UNKNOWN;
  if (n == 1)
    return SHAPE_PROFILE;
  if (n >= 3 && str_in (segs[1], post_words))
    return SHAPE_POST;                      /* facebook.com/name/posts/ID */
  return SHAPE_UNKNOWN;
}

static Shape
telegram_shape (const char *host, char **segs, guint n, const char *query)
{
  static const char * const reserved[] = {
    "share", "addstickers", "addemoji", "proxy", "socks", "iv", "setlanguage", "login", NULL
  };

  if (n > 0 && strcmp (segs[0], "s") == 0)
    {
      segs++;                               /* t.me/s/name: the web preview of a channel */
      n--;
    }
  if (n == 0)
    return SHAPE_NONE;
  if (segs[0][0] == '+' && segs[0][1] != '\0')
    return SHAPE_PROFILE;                   /* an invite link */
  if (strcmp (segs[0], "joinchat") == 0)
    return n >= 2 ? SHAPE_PROFILE : SHAPE_UNKNOWN;
  if (strcmp (segs[0], "c") == 0)           /* a private channel: t.me/c/ID/POST */
    {
      if (n >= 3 && digits_ok (segs[1]) && digits_ok (segs[2]))
        return SHAPE_POST;
      return n == 2 && digits_ok (segs[1]) ? SHAPE_PROFILE : SHAPE_UNKNOWN;
    }
  if (!name_ok (segs[0], &telegram_names) || str_in (segs[0], reserved))
    return SHAPE_UNKNOWN;
  if (n == 1)
    return SHAPE_PROFILE;
  if (digits_ok (segs[1]))
    return SHAPE_POST;
  return SHAPE_UNKNOWN;
}

static Shape
spotify_shape (const char *host, char **segs, guint n, const char *query)
{
  static const char * const post_words[] = { "track", "album", "episode", NULL };
  static const char * const profile_words[] = { "artist", "user", "show", NULL };

  if (strcmp (host, "spotify.link") == 0)
    return n >= 1 ? SHAPE_SHORT : SHAPE_NONE;
  if (n > 0 && g_str_has_prefix (segs[0], "intl-"))
    {
      segs++;                               /* open.spotify.com/intl-de/track/ID */
      n--;
    }
  if (n > 0 && strcmp (segs[0], "embed") == 0)
    {
      segs++;
      n--;
    }
  if (n == 0)
    return SHAPE_NONE;
  if (n < 2 || !code_ok (segs[1]))
    return SHAPE_UNKNOWN;
  if (str_in (segs[0], post_words))
    return SHAPE_POST;
  if (str_in (segs[0], profile_words))
    return SHAPE_PROFILE;
  if (strcmp (segs[0], "playlist") == 0)
    return SHAPE_EITHER;
  return SHAPE_UNKNOWN;
}

static Shape
twitch_shape (const char *host, char **segs, guint n, const char *query)
{
  static const char * const reserved[] = {
    "directory", "settings", "videos", "p", "search", "downloads", "jobs", "turbo", NULL
  };

  if (strcmp (host, "clips.twitch.tv") == 0)
    return n >= 1 ? SHAPE_POST : SHAPE_NONE;
  if (n == 0)
    return SHAPE_NONE;
  if (strcmp (segs[0], "videos") == 0)
    return n >= 2 && digits_ok (segs[1]) ? SHAPE_POST : SHAPE_UNKNOWN;
  if (!name_ok (segs[0], &twitch_names) || str_in (segs[0], reserved))
    return SHAPE_UNKNOWN;
  if (n == 1)
    return SHAPE_PROFILE;
  if (n >= 3 && strcmp (segs[1], "clip") == 0)
    return SHAPE_POST;
  return SHAPE_UNKNOWN;
}

static Shape
threads_shape (const char *host, char **segs, guint n, const char *query)
{
  if (n == 0)
    return SHAPE_NONE;
  if (strcmp (segs[0], "t") == 0)
    return n >= 2 ? SHAPE_POST : SHAPE_UNKNOWN;
  if (segs[0][0] != '@' || !name_ok (segs[0] + 1, &instagram_names))
    return SHAPE_UNKNOWN;
  if (n == 1)
    return SHAPE_PROFILE;
  if (n >= 3 && strcmp (segs[1], "post") == 0 && code_ok (segs[2]))
    return SHAPE_POST;
  return SHAPE_UNKNOWN;
}

static Shape
discord_shape (const char *host, char **segs, guint n, const char *query)
{
  if (n == 0)
    return SHAPE_NONE;
  if (strcmp (host, "discord.gg") == 0)
    return code_ok (segs[0]) ? SHAPE_PROFILE : SHAPE_UNKNOWN;
  if (strcmp (segs[0], "invite") == 0)
    return n >= 2 && code_ok (segs[1]) ? SHAPE_PROFILE : SHAPE_UNKNOWN;
  if (strcmp (segs[0], "channels") == 0)
    {
      if (n >= 4)
        return SHAPE_POST;                  /* a message: /channels/SERVER/CHANNEL/MESSAGE */
      return n >= 2 ? SHAPE_PROFILE : SHAPE_UNKNOWN;
    }
  return SHAPE_UNKNOWN;
}

static const PlatformInfo platforms[RELAY_N_PLATFORMS] = {
  [RELAY_PLATFORM_OTHER] = {
    N_("Other"), N_("a web link"), N_("a profile link"), N_("a post link"),
    "https://example.com/name", "https://example.com/post",
    { NULL }, FALSE, NULL, NULL },
  [RELAY_PLATFORM_INSTAGRAM] = {
    "Instagram", N_("an Instagram link"), N_("an Instagram profile link"),
    N_("an Instagram post link"),
    "https://instagram.com/name", "https://instagram.com/p/CODE",
    { "instagram.com", "instagr.am", NULL },
    TRUE, &instagram_names, instagram_shape },
  [RELAY_PLATFORM_TIKTOK] = {
    "TikTok", N_("a TikTok link"), N_("a TikTok profile link"), N_("a TikTok video link"),
    "https://tiktok.com/@name", "https://tiktok.com/@name/video/1234567890",
    { "tiktok.com", "vm.tiktok.com", "vt.tiktok.com", NULL },
    TRUE, &tiktok_names, tiktok_shape },
  [RELAY_PLATFORM_YOUTUBE] = {
    "YouTube", N_("a YouTube link"), N_("a YouTube channel link"), N_("a YouTube video link"),
    "https://youtube.com/@name", "https://youtube.com/watch?v=ID",
    { "youtube.com", "youtu.be", "music.youtube.com", NULL },
    FALSE, NULL, youtube_shape },
  [RELAY_PLATFORM_TWITTER] = {
    "X (Twitter)", N_("an X (Twitter) link"), N_("an X (Twitter) profile link"),
    N_("an X (Twitter) post link"),
    "https://x.com/name", "https://x.com/name/status/1234567890",
    { "twitter.com", "x.com", NULL },
    TRUE, &twitter_names, twitter_shape },
  [RELAY_PLATFORM_FACEBOOK] = {
    "Facebook", N_("a Facebook link"), N_("a Facebook page or profile link"),
    N_("a Facebook post link"),
    "https://facebook.com/name", "https://facebook.com/name/posts/ID",
    { "facebook.com", "fb.com", "fb.watch", NULL },
    FALSE, NULL, facebook_shape },
  [RELAY_PLATFORM_TELEGRAM] = {
    "Telegram", N_("a Telegram link"), N_("a Telegram channel link"),
    N_("a Telegram post link"),
    "https://t.me/name", "https://t.me/name/123",
    { "t.me", "telegram.me", "telegram.dog", NULL },
    TRUE, &telegram_names, telegram_shape },
  [RELAY_PLATFORM_SPOTIFY] = {
    "Spotify", N_("a Spotify link"), N_("a Spotify artist, user or playlist link"),
    N_("a Spotify track link"),
    "https://open.spotify.com/artist/ID", "https://open.spotify.com/track/ID",
    { "open.spotify.com", "spotify.link", NULL },
    FALSE, NULL, spotify_shape },
  [RELAY_PLATFORM_TWITCH] = {
    "Twitch", N_("a Twitch link"), N_("a Twitch channel link"), N_("a Twitch video link"),
    "https://twitch.tv/name", "https://twitch.tv/videos/1234567890",
    { "twitch.tv", "clips.twitch.tv", NULL },
    FALSE, NULL, twitch_shape },
  [RELAY_PLATFORM_THREADS] = {
    "Threads", N_("a Threads link"), N_("a Threads profile link"), N_("a Threads post link"),
    "https://threads.net/@name", "https://threads.net/@name/post/CODE",
    { "threads.net", "threads.com", NULL },
    TRUE, &instagram_names, threads_shape },
  [RELAY_PLATFORM_DISCORD] = {
    "Discord", N_("a Discord link"), N_("a Discord invite link"), N_("a Discord message link"),
    "https://discord.gg/CODE", "https://discord.com/channels/SERVER/CHANNEL/MESSAGE",
    { "discord.gg", "discord.com", "discordapp.com", NULL },
    FALSE, NULL, discord_shape },
};

const char *
relay_platform_get_label (RelayPlatform platform)
{
  g_return_val_if_fail (platform < RELAY_N_PLATFORMS, "");
  if (platform == RELAY_PLATFORM_OTHER)
    return _(platforms[platform].label);
  return platforms[platform].label;
}

/* Classifying services ---------------------------------------------------- */

typedef struct
{
  const char    *word;
  RelayPlatform  platform;
} PlatformWord;

static const PlatformWord platform_words[] = {
  { "instagram", RELAY_PLATFORM_INSTAGRAM }, { "insta", RELAY_PLATFORM_INSTAGRAM },
  { "ig", RELAY_PLATFORM_INSTAGRAM }, { "igtv", RELAY_PLATFORM_INSTAGRAM },
  { "tiktok", RELAY_PLATFORM_TIKTOK },
  { "youtube", RELAY_PLATFORM_YOUTUBE }, { "yt", RELAY_PLATFORM_YOUTUBE },
  { "twitter", RELAY_PLATFORM_TWITTER }, { "x", RELAY_PLATFORM_TWITTER },
  { "tweet", RELAY_PLATFORM_TWITTER }, { "tweets", RELAY_PLATFORM_TWITTER },
  { "retweet", RELAY_PLATFORM_TWITTER }, { "retweets", RELAY_PLATFORM_TWITTER },
  { "facebook", RELAY_PLATFORM_FACEBOOK }, { "fb", RELAY_PLATFORM_FACEBOOK },
  { "telegram", RELAY_PLATFORM_TELEGRAM }, { "tg", RELAY_PLATFORM_TELEGRAM },
  { "spotify", RELAY_PLATFORM_SPOTIFY },
  { "twitch", RELAY_PLATFORM_TWITCH },
  { "threads", RELAY_PLATFORM_THREADS },
  { "discord", RELAY_PLATFORM_DISCORD },
};

static const char * const profile_words[] = {
  "followers", "follower", "follows", "subscribers", "subscriber", "subs", "members",
  "member", "friends", "friend", "listeners", NULL
};

static const char * const post_words[] = {
  "likes", "like", "views", "view", "comments", "comment", "shares", "share", "saves",
  "save", "reactions", "reaction", "impressions", "impression", "plays", "play", "streams",
  "retweets", "retweet", "reposts", "repost", "votes", "vote", "watch", NULL
};

/* Splits into lower-case words of letters and digits (bytes above 127 count
 * as letters, so that words in other scripts stay whole). */
static GPtrArray *
split_words (const char *text)
{
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);
  const char *p = text;

  while (p != NULL && *p != '\0')
    {
      const char *start;

      while (*p != '\0' && !g_ascii_isalnum (*p) && (guchar) *p < 0x80)
        p++;
      start = p;
      while (*p != '\0' && (g_ascii_isalnum (*p) || (guchar) *p >= 0x80))
        p++;
      if (p > start)
        g_ptr_array_add (words, g_ascii_strdown (start, p - start));
    }
  return words;
}

static gboolean
find_platform (GPtrArray *words, RelayPlatform *out)
{
  for (guint i = 0; i < words->len; i++)
    {
      const char *word = g_ptr_array_index (words, i);

      if (strcmp (word, "tik") == 0 && i + 1 < words->len &&
          strcmp (g_ptr_array_index (words, i + 1), "tok") == 0)
        {
          *out = RELAY_PLATFORM_TIKTOK;
          return TRUE;
        }
      for (guint j = 0; j < G_N_ELEMENTS (platform_words); j++)
        if (strcmp (word, platform_words[j].word) == 0)
          {
            *out = platform_words[j].platform;
            return TRUE;
          }
    }
  return FALSE;
}

/* Sets what the words ask for: a profile, a post, both, or nothing. */
static void
find_kind (GPtrArray *words, gboolean *profile, gboolean *post, gboolean *either)
{
  static const char * const page_words[] = { "likes", "like", "followers", "follows", NULL };
  static const char * const visit_words[] = { "visits", "visit", "views", "view", NULL };

  for (guint i = 0; i < words->len; i++)
    {
      const char *word = g_ptr_array_index (words, i);
      const char *next = i + 1 < words->len ? g_ptr_array_index (words, i + 1) : "";

      if (strcmp (word, "page") == 0 && str_in (next, page_words))
        {
          *profile = TRUE;                  /* Facebook page likes */
          i++;
        }
      else if (strcmp (word, "profile") == 0 && str_in (next, visit_words))
        {
          *profile = TRUE;
          i++;
        }
      else if (strcmp (word, "story") == 0 || strcmp (word, "stories") == 0)
        *either = TRUE;                     /* story views: a profile or a story link */
      else if (str_in (word, profile_words))
        *profile = TRUE;
      else if (str_in (word, post_words))
        *post = TRUE;
    }
}

/* The last service classified, per thread: a mass order asks about the same
 * service for every one of its lines, and splitting and comparing its words
 * was ~40 % of planning a 10,000-line paste.  Fixed buffers (no heap): a
 * name or category longer than them is simply not remembered. */
#define MEMO_TEXT 256

typedef struct
{
  gboolean      valid;
  gboolean      has_name;
  gboolean      has_category;
  char          name[MEMO_TEXT];
  char          category[MEMO_TEXT];
  RelayPlatform platform;
  RelayLinkKind kind;
} ClassifyMemo;

static __thread ClassifyMemo classify_memo;

static gboolean
memo_text_matches (gboolean has, const char *memo, const char *text)
{
  return text == NULL ? !has : has && strcmp (memo, text) == 0;
}

static gboolean
memo_text_fits (const char *text)
{
  return text == NULL || strlen (text) < MEMO_TEXT;
}

static void classify_service (const char *name, const char *category,
                              RelayPlatform *out_platform, RelayLinkKind *out_kind);

void
relay_link_classify_service (const char    *name,
                             const char    *category,
                             RelayPlatform *out_platform,
                             RelayLinkKind *out_kind)
{
  ClassifyMemo *memo = &classify_memo;
  RelayPlatform platform;
  RelayLinkKind kind;

  if (!memo->valid ||
      !memo_text_matches (memo->has_name, memo->name, name) ||
      !memo_text_matches (memo->has_category, memo->category, category))
    {
      classify_service (name, category, &platform, &kind);
      memo->valid = memo_text_fits (name) && memo_text_fits (category);
      if (memo->valid)
        {
          memo->has_name = name != NULL;
          memo->has_category = category != NULL;
          g_strlcpy (memo->name, name ? name : "", MEMO_TEXT);
          g_strlcpy (memo->category, category ? category : "", MEMO_TEXT);
          memo->platform = platform;
          memo->kind = kind;
        }
    }
  else
    {
      platform = memo->platform;
      kind = memo->kind;
    }
  if (out_platform != NULL)
    *out_platform = platform;
  if (out_kind != NULL)
    *out_kind = kind;
}

static void
classify_service (const char    *name,
                  const char    *category,
                  RelayPlatform *out_platform,
                  RelayLinkKind *out_kind)
{
  g_autoptr(GPtrArray) name_words = split_words (name);
  g_autoptr(GPtrArray) category_words = split_words (category);
  RelayPlatform platform = RELAY_PLATFORM_OTHER;
  gboolean profile = FALSE, post = FALSE, either = FALSE;
  RelayLinkKind kind = RELAY_LINK_ANY;

  if (!find_platform (name_words, &platform))
    find_platform (category_words, &platform);

  /* The name says what is delivered; the category only when the name does not. */
  find_kind (name_words, &profile, &post, &either);
  if (!profile && !post && !either)
    find_kind (category_words, &profile, &post, &either);
  if (!either && profile != post)
    kind = profile ? RELAY_LINK_PROFILE : RELAY_LINK_POST;

  if (out_platform != NULL)
    *out_platform = platform;
  if (out_kind != NULL)
    *out_kind = kind;
}

/* Checking links ---------------------------------------------------------- */

static gboolean
fail (GError **error, const char *format, ...) G_GNUC_PRINTF (2, 3);

static gboolean
fail (GError **error, const char *format, ...)
{
  va_list args;
  char *message;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_LINK, message);
  g_free (message);
  return FALSE;
}

static const char *
example_for (const PlatformInfo *info, RelayLinkKind kind)
{
  return kind == RELAY_LINK_POST ? info->post_example : info->profile_example;
}

static gboolean
host_of_any_platform (const char *host)
{
  for (guint i = 0; i < RELAY_N_PLATFORMS; i++)
    for (guint j = 0; platforms[i].hosts[j] != NULL; j++)
      if (strcmp (host, platforms[i].hosts[j]) == 0)
        return TRUE;
  return FALSE;
}

/* "www.instagram.com" -> "instagram.com"; the result borrows from @host. */
static const char *
strip_host_prefix (const char *host)
{
  static const char * const prefixes[] = { "www.", "m.", "mobile.", "web.", NULL };

  for (guint i = 0; prefixes[i] != NULL; i++)
    {
      gsize len = strlen (prefixes[i]);

      if (strncmp (host, prefixes[i], len) == 0)
        return host + len;
    }
  return host;
}

/* "instagram.com" or "www.instagram.com", but not "mat.me" for "t.me". */
static gboolean
ends_with_host (const char *name, const char *host)
{
  gsize name_len = strlen (name);
  gsize host_len = strlen (host);

  if (name_len < host_len || strcmp (name + name_len - host_len, host) != 0)
    return FALSE;
  return name_len == host_len || name[name_len - host_len - 1] == '.';
}

static gboolean
check_bare_name (const char         *link,
                 const PlatformInfo *info,
                 RelayPlatform       platform,
                 RelayLinkKind       kind,
                 GError            **error)
{
  const char *name = link[0] == '@' ? link + 1 : link;
  g_autofree char *lower = g_ascii_strdown (name, -1);

  /* "instagram.com" alone is a site, not a user name. */
  for (guint i = 0; i < RELAY_N_PLATFORMS; i++)
    for (guint j = 0; platforms[i].hosts[j] != NULL; j++)
      if (ends_with_host (lower, platforms[i].hosts[j]))
        return fail (error, _("“%s” is not a full link; write it with https:// in front"), link);

  if (platform == RELAY_PLATFORM_OTHER)
    return fail (error, _("“%s” is not a link; a link starts with https://"), link);
  if (!info->bare_names)
    return fail (error, _("“%s” is not a link; use the full address, such as %s"),
                 link, example_for (info, kind));
  if (kind == RELAY_LINK_POST)
    return fail (error, _("“%s” is a user name; this service needs a post link such as %s"),
                 link, info->post_example);
  if (!name_ok (name, info->names))
    /* TRANSLATORS: "“@na!me” is not a valid Instagram user name" */
    return fail (error, _("“%s” is not a valid %s user name"), link, info->label);
  return TRUE;
}

static gboolean
check_shape (Shape               shape,
             const PlatformInfo *info,
             RelayLinkKind       kind,
             GError            **error)
{
  switch (kind)
    {
    case RELAY_LINK_ANY:
      if (shape == SHAPE_NONE)
        return fail (error, _("this link points to no profile or post; use a link such as %s"),
                     info->profile_example);
      return TRUE;

    case RELAY_LINK_PROFILE:
      if (shape == SHAPE_PROFILE || shape == SHAPE_EITHER)
        return TRUE;
      if (shape == SHAPE_POST)
        /* TRANSLATORS: "this is an Instagram post link; this service needs a profile link such as https://instagram.com/name" */
        return fail (error, _("this is %s; this service needs a profile link such as %s"),
                     _(info->a_post_link), info->profile_example);
      if (shape == SHAPE_SHORT)
        return fail (error, _("a short link does not show which profile it is; this service "
                              "needs a profile link such as %s"), info->profile_example);
      /* TRANSLATORS: "an Instagram profile link looks like https://instagram.com/name" */
      return fail (error, _("%s looks like %s"), _(info->a_profile_link), info->profile_example);

    case RELAY_LINK_POST:
      if (shape == SHAPE_POST || shape == SHAPE_SHORT || shape == SHAPE_EITHER)
        return TRUE;
      if (shape == SHAPE_PROFILE)
        return fail (error, _("this is %s; this service needs a post link such as %s"),
                     _(info->a_profile_link), info->post_example);
      return fail (error, _("%s looks like %s"), _(info->a_post_link), info->post_example);

    default:
      g_return_val_if_reached (FALSE);
    }
}

/* Characters a plain link's path and query may hold: letters, digits and
 * the marks real links carry ('-', '.', '_', '~', '@', '+', ',', '=', '!',
 * and '&' in the query).  Anything else (percent-encoding, ':' and '[' in
 * the host, userinfo, a fragment, quotes, non-ASCII) is GUri's to read. */
static inline gboolean
plain_char (char c, gboolean in_query)
{
  return has_class (c, in_query ? CLASS_QUERY : CLASS_PLAIN);
}

/* Reads "http(s)://host/path?query" — nearly every link a mass order holds —
 * without GUri's allocations: the same host, path and query GUri
 * (G_URI_FLAGS_ENCODED) gives, or FALSE when the link is not that plain
 * (then GUri reads it).  A path with "." or ".." segments, which GUri
 * rewrites, is not plain. */
gboolean
relay_link_split_plain (const char     *link,
                        RelayLinkParts *parts)
{
  const char *p, *host, *path;
  gsize host_len, path_len, seg_len = 0;
  gboolean seg_dots = TRUE;

  if (strncmp (link, "https://", 8) == 0)
    host = link + 8;
  else if (strncmp (link, "http://", 7) == 0)
    host = link + 7;
  else
    return FALSE;
  for (p = host; has_class (*p, CLASS_HOST); p++)
    ;
  host_len = (gsize) (p - host);
  if (host_len == 0 || host_len > RELAY_LINK_MAX_HOST || (*p != '\0' && *p != '/' && *p != '?'))
    return FALSE;
  path = p;
  for (; *p != '\0' && *p != '?'; p++)
    {
      if (*p == '/')
        {
          if (seg_len > 0 && seg_len <= 2 && seg_dots)
            return FALSE;
          seg_len = 0;
          seg_dots = TRUE;
          continue;
        }
      if (!plain_char (*p, FALSE))
        return FALSE;
      seg_len++;
      seg_dots = seg_dots && *p == '.';
    }
  if (seg_len > 0 && seg_len <= 2 && seg_dots)
    return FALSE;
  path_len = (gsize) (p - path);
  if (path_len > RELAY_LINK_MAX_LENGTH)
    return FALSE;
  parts->query = NULL;
  if (*p == '?')
    {
      parts->query = p + 1;
      for (p++; *p != '\0'; p++)
        if (!has_class (*p, CLASS_QUERY))   /* plain_char (*p, TRUE), '/' or '?' */
          return FALSE;
    }
  memcpy (parts->host, host, host_len);
  parts->host[host_len] = '\0';
  memcpy (parts->path, path, path_len);
  parts->path[path_len] = '\0';
  return TRUE;
}

/* The first control character in @link (@len bytes of valid UTF-8) as a
 * code point: a C0 character other than a tab, DEL, or a C1 character
 * U+0080–U+009F (two bytes, 0xC2 then 0x80–0x9F); -1 when there is none. */
static gint
first_control (const char *link, gsize len)
{
  for (gsize i = 0; i < len; i++)
    {
      guchar c = (guchar) link[i];

      if (link_classes[c] & CLASS_CONTROL)
        return c;
      if (c == 0xC2 && i + 1 < len && (guchar) link[i + 1] >= 0x80 &&
          (guchar) link[i + 1] <= 0x9F)
        return (guchar) link[i + 1];
    }
  return -1;
}

static gboolean
fail_control (GError **error, const char *link, gint control)
{
  /* TRANSLATORS: the link as written, then the code point of the first
   * control character in it: "… has a control character (U+001B) in it" */
  return fail (error, _("the link “%s” has a control character (U+%04X) in it"), link,
               (guint) control);
}

gboolean
relay_link_check_text (const char *link, GError **error)
{
  gsize len;
  gint control;

  if (link == NULL)
    return TRUE;
  len = strlen (link);
  if (!g_utf8_validate (link, len, NULL))
    return fail (error, _("the link is not valid text"));
  if ((control = first_control (link, len)) >= 0)
    return fail_control (error, link, control);
  return TRUE;
}

gboolean
relay_link_check (const char    *link,
                  RelayPlatform  platform,
                  RelayLinkKind  kind,
                  GError       **error)
{
  const PlatformInfo *info;
  g_autoptr(GUri) uri = NULL;
  RelayLinkParts plain;
  g_autofree char *host_copy = NULL;
  char *host;
  const char *path, *query;
  char *segs[RELAY_LINK_MAX_LENGTH / 2 + 2];
  g_autofree char *path_copy = NULL;
  const char *bare_host;
  guint n_segs = 0;
  gboolean known_host = FALSE;
  guint8 classes = 0;
  gint control;
  gsize len;

  g_return_val_if_fail (platform < RELAY_N_PLATFORMS, FALSE);
  info = &platforms[platform];

  if (link == NULL || *link == '\0')
    return fail (error, _("the link is missing"));
  /* Whether there is a space, a control character or a byte above ASCII
   * (only then can the text be invalid).  Whole words of bytes in 0x21-0x7e
   * have none of them; the other words are read byte by byte. */
  len = strlen (link);
  for (gsize i = 0; i < len; )
    {
      gsize stop;

      if (len - i >= sizeof (guint64))
        {
          guint64 word;

          memcpy (&word, link + i, sizeof word);
          if (!(((word - G_GUINT64_CONSTANT (0x2121212121212121)) | word |
                 (word + G_GUINT64_CONSTANT (0x0101010101010101))) &
                G_GUINT64_CONSTANT (0x8080808080808080)))
            {
              i += sizeof word;
              continue;
            }
        }
      for (stop = MIN (i + sizeof (guint64), len); i < stop; i++)
        classes |= link_classes[(guchar) link[i]];
    }
  if (len > MAX_LINK_LENGTH)
    return fail (error, g_dngettext (GETTEXT_PACKAGE, "the link is longer than %d character",
                                     "the link is longer than %d characters", MAX_LINK_LENGTH),
                 MAX_LINK_LENGTH);
  if ((classes & CLASS_HIGH) && !g_utf8_validate (link, len, NULL))
    return fail (error, _("the link is not valid text"));
  if ((classes & (CLASS_CONTROL | CLASS_HIGH)) && (control = first_control (link, len)) >= 0)
    return fail_control (error, link, control);
  if (classes & CLASS_SPACE)
    return fail (error, _("the link “%s” has a space in it"), link);
  for (guint i = 0; (classes & CLASS_HIGH) && i < G_N_ELEMENTS (unicode_blanks); i++)
    if (strstr (link, unicode_blanks[i]) != NULL)
      return fail (error, _("the link “%s” has a space in it"), link);

  if (strstr (link, "://") == NULL)
    {
      const char *name = link[0] == '@' ? link + 1 : link;

      if (strchr (name, '/') != NULL || g_str_has_prefix (name, "www.") || strchr (name, ':'))
        return fail (error, _("“%s” is not a full link; write it with https:// in front"), link);
      return check_bare_name (link, info, platform, kind, error);
    }

  if (relay_link_split_plain (link, &plain))
    {
      host = plain.host;
      path = plain.path;
      query = plain.query;
    }
  else
    {
      uri = g_uri_parse (link, G_URI_FLAGS_ENCODED | G_URI_FLAGS_SCHEME_NORMALIZE, NULL);
      if (uri == NULL)
        return fail (error, _("“%s” is not a valid link"), link);
      if (g_strcmp0 (g_uri_get_scheme (uri), "https") != 0 &&
          g_strcmp0 (g_uri_get_scheme (uri), "http") != 0)
        return fail (error, _("“%s” is not a web link; a link starts with https://"), link);
      if (g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
        return fail (error, _("“%s” has no site name after https://"), link);
      host = host_copy = g_strdup (g_uri_get_host (uri));
      path = g_uri_get_path (uri);
      query = g_uri_get_query (uri);
    }

  if (platform == RELAY_PLATFORM_OTHER)
    return TRUE;

  for (char *h = host; *h != '\0'; h++)
    if (*h >= 'A' && *h <= 'Z')
      *h += 'a' - 'A';
  if (*host != '\0' && host[strlen (host) - 1] == '.')
    host[strlen (host) - 1] = '\0';
  bare_host = strip_host_prefix (host);
  for (guint i = 0; info->hosts[i] != NULL && !known_host; i++)
    known_host = strcmp (bare_host, info->hosts[i]) == 0;
  if (!known_host && host_of_any_platform (bare_host))
    /* TRANSLATORS: "“facebook.com” is not a TikTok link" */
    return fail (error, _("“%s” is not %s"), host, _(info->a_link));
  if (!known_host)
    /* TRANSLATORS: "“spotify.com” is not a Spotify link; a Spotify track link looks like https://open.spotify.com/track/ID" */
    return fail (error, _("“%s” is not %s; %s looks like %s"), host, _(info->a_link),
                 kind == RELAY_LINK_POST ? _(info->a_post_link) : _(info->a_profile_link),
                 example_for (info, kind));

  /* The path's non-empty segments, split in place in a copy (a plain
   * link's path is already a copy). */
  if (uri != NULL)
    path = path_copy = g_strdup (path);
  for (char *seg = (char *) path; *seg != '\0' && n_segs < G_N_ELEMENTS (segs) - 1;)
    {
      char *end = strchr (seg, '/');

      if (end != NULL)
        *end = '\0';
      if (*seg != '\0')
        segs[n_segs++] = seg;
      if (end == NULL)
        break;
      seg = end + 1;
    }
  segs[n_segs] = NULL;

  return check_shape (info->shape (bare_host, segs, n_segs, query), info, kind, error);
}
