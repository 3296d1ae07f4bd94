/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of links per platform: classifying services and checking links against them. */
#include "relay-error.h"
#include "relay-link.h"
#include "relay-link-private.h"

#include <string.h>

#define IG RELAY_PLATFORM_INSTAGRAM
#define TT RELAY_PLATFORM_TIKTOK
#define YT RELAY_PLATFORM_YOUTUBE
#define TW RELAY_PLATFORM_TWITTER
#define FB RELAY_PLATFORM_FACEBOOK
#define TG RELAY_PLATFORM_TELEGRAM
#define SP RELAY_PLATFORM_SPOTIFY
#define TV RELAY_PLATFORM_TWITCH
#define TH RELAY_PLATFORM_THREADS
#define DC RELAY_PLATFORM_DISCORD
#define OT RELAY_PLATFORM_OTHER

#define ANY RELAY_LINK_ANY
#define PROFILE RELAY_LINK_PROFILE
#define POST RELAY_LINK_POST

/* The reason classes, as a piece of the message each must contain. */
#define OK NULL
#define NOT_PLATFORM " link"                      /* "“facebook.com” is not a TikTok link" */
#define NEEDS_PROFILE "this service needs a profile link such as"
#define NEEDS_POST "this service needs a post link such as"
#define LOOKS_LIKE " looks like "
#define SHORT_LINK "a short link does not show which profile"
#define NO_PATH "points to no profile or post"
#define BAD_NAME "is not a valid"
#define NOT_FULL "is not a full link"
#define NOT_A_LINK "is not a link"
#define NOT_WEB "is not a web link"
#define SPACE "has a space in it"
#define MISSING "the link is missing"
#define NO_HOST "has no site name"
#define INVALID "is not a valid link"

typedef struct
{
  const char    *link;
  RelayPlatform  platform;
  RelayLinkKind  kind;
  const char    *reason;   /* NULL: accepted */
} LinkCase;

static const LinkCase link_cases[] = {
  /* Instagram */
  { "https://instagram.com/name", IG, PROFILE, OK },
  { "https://www.instagram.com/some.name_1/", IG, PROFILE, OK },
  { "https://m.instagram.com/name?igsh=abc", IG, PROFILE, OK },
  { "HTTPS://WWW.INSTAGRAM.COM/Name", IG, PROFILE, OK },
  { "https://instagram.com/p/CxYz_12-ab/", IG, POST, OK },
  { "https://www.instagram.com/reel/CxYz12ab/?utm_source=ig_web", IG, POST, OK },
  { "https://instagram.com/tv/CxYz12ab", IG, POST, OK },
  { "https://instagram.com/name/reel/CxYz12ab/", IG, POST, OK },
  { "https://instagram.com/p/CxYz12ab/", IG, PROFILE,
    "this is an Instagram post link; this service needs a profile link such as "
    "https://instagram.com/name" },
  { "https://instagram.com/name", IG, POST,
    "this is an Instagram profile link; this service needs a post link such as "
    "https://instagram.com/p/CODE" },
  { "https://instagram.com/explore/tags/cats", IG, PROFILE,
    "an Instagram profile link looks like https://instagram.com/name" },
  { "https://instagram.com/p/", IG, POST, LOOKS_LIKE },
  { "https://instagram.com/", IG, ANY, NO_PATH },
  { "https://instagram.com", IG, PROFILE, LOOKS_LIKE },
  { "https://facebook.com/name", IG, PROFILE, "“facebook.com” is not an Instagram link" },
  { "https://instagram.com.evil.example/name", IG, PROFILE, NOT_PLATFORM },
  { "https://notinstagram.com/name", IG, PROFILE, NOT_PLATFORM },
  { "@name", IG, PROFILE, OK },
  { "some.name_1", IG, PROFILE, OK },
  { "@name", IG, ANY, OK },
  { "@na me", IG, PROFILE, SPACE },
  { "@na!me", IG, PROFILE, "“@na!me” is not a valid Instagram user name" },
  { "@name", IG, POST, NEEDS_POST },
  { "instagram.com/name", IG, PROFILE, NOT_FULL },
  { "www.instagram.com", IG, PROFILE, NOT_FULL },
  { "instagram.com", IG, PROFILE, NOT_FULL },
  { "https://instagram.com/stories/name/3141592653589793/", IG, ANY, OK },

  /* TikTok */
  { "https://www.tiktok.com/@user.name", TT, PROFILE, OK },
  { "https://tiktok.com/@user/video/7234567890123456789", TT, POST, OK },
  { "https://www.tiktok.com/@user/photo/7234567890123456789?lang=en", TT, POST, OK },
  { "https://vm.tiktok.com/ZMabc123/", TT, POST, OK },
  { "https://vt.tiktok.com/ZSabc123/", TT, POST, OK },
  { "https://www.tiktok.com/t/ZTabc123/", TT, POST, OK },
  { "https://m.tiktok.com/v/7234567890123456789.html", TT, POST, OK },
  { "https://vm.tiktok.com/ZMabc123/", TT, PROFILE, SHORT_LINK },
  { "https://tiktok.com/@user/video/7234567890123456789", TT, PROFILE,
    "this is a TikTok video link; this service needs a profile link such as "
    "https://tiktok.com/@name" },
  { "https://tiktok.com/@user", TT, POST, NEEDS_POST },
  { "https://tiktok.com/user", TT, PROFILE, LOOKS_LIKE },
  { "https://tiktok.com/@user/video/abc", TT, POST, LOOKS_LIKE },
  { "https://facebook.com/watch?v=1", TT, POST, "“facebook.com” is not a TikTok link" },
  { "@user.name", TT, PROFILE, OK },
  { "@u", TT, PROFILE, BAD_NAME },

  /* YouTube */
  { "https://www.youtube.com/watch?v=dQw4w9WgXcQ", YT, POST, OK },
  { "https://youtube.com/watch?feature=share&v=dQw4w9WgXcQ", YT, POST, OK },
  { "https://youtu.be/dQw4w9WgXcQ?t=42", YT, POST, OK },
  { "https://m.youtube.com/watch?v=dQw4w9WgXcQ", YT, POST, OK },
  { "https://youtube.com/shorts/abcDEF12345", YT, POST, OK },
  { "https://www.youtube.com/live/abcDEF12345", YT, POST, OK },
  { "https://music.youtube.com/watch?v=abcDEF12345", YT, POST, OK },
  { "https://www.youtube.com/@channel.name", YT, PROFILE, OK },
  { "https://youtube.com/@channel/videos", YT, PROFILE, OK },
  { "https://youtube.com/channel/UC1234567890abcdefghij", YT, PROFILE, OK },
  { "https://youtube.com/c/SomeName", YT, PROFILE, OK },
  { "https://youtube.com/user/SomeName", YT, PROFILE, OK },
  { "https://youtube.com/watch?v=dQw4w9WgXcQ", YT, PROFILE,
    "this is a YouTube video link; this service needs a profile link such as "
    "https://youtube.com/@name" },
  { "https://youtu.be/dQw4w9WgXcQ", YT, PROFILE, NEEDS_PROFILE },
  { "https://youtube.com/@channel", YT, POST, NEEDS_POST },
  { "https://www.youtube.com/post/UgkxAbCdEf", YT, POST, OK },
  { "https://youtube.com/watch", YT, POST, LOOKS_LIKE },
  { "https://youtube.com/watch?v=", YT, POST, LOOKS_LIKE },
  { "https://youtu.be/", YT, POST, LOOKS_LIKE },
  { "@channel", YT, PROFILE, NOT_A_LINK },
  { "https://vimeo.com/12345", YT, POST, "“vimeo.com” is not a YouTube link" },

  /* X (Twitter) */
  { "https://twitter.com/jack", TW, PROFILE, OK },
  { "https://x.com/jack", TW, PROFILE, OK },
  { "https://mobile.twitter.com/jack", TW, PROFILE, OK },
  { "https://x.com/jack/status/20", TW, POST, OK },
  { "https://twitter.com/jack/status/20?s=20", TW, POST, OK },
  { "https://x.com/jack/status/20/photo/1", TW, POST, OK },
  { "https://x.com/i/web/status/20", TW, POST, OK },
  { "https://x.com/jack/status/20", TW, PROFILE, NEEDS_PROFILE },
  { "https://x.com/jack", TW, POST, NEEDS_POST },
  { "https://x.com/jack/status/abc", TW, POST, LOOKS_LIKE },
  { "https://x.com/home", TW, PROFILE, LOOKS_LIKE },
  { "@jack_1", TW, PROFILE, OK },
  { "@jack.dorsey", TW, PROFILE, BAD_NAME },
  { "@averyveryverylongname", TW, PROFILE, BAD_NAME },
  { "https://x.co/jack", TW, PROFILE, NOT_PLATFORM },

  /* Facebook */
  { "https://facebook.com/somepage", FB, PROFILE, OK },
  { "https://www.facebook.com/profile.php?id=100012345678901", FB, PROFILE, OK },
  { "https://fb.com/somepage", FB, PROFILE, OK },
  { "https://m.facebook.com/groups/123456789/", FB, PROFILE, OK },
  { "https://facebook.com/somepage/posts/pfbid0abc", FB, POST, OK },
  { "https://www.facebook.com/watch/?v=123456789", FB, POST, OK },
  { "https://fb.watch/abcDEF/", FB, POST, OK },
  { "https://www.facebook.com/reel/123456789", FB, POST, OK },
  { "https://www.facebook.com/photo.php?fbid=123", FB, POST, OK },
  { "https://www.facebook.com/share/p/abcDEF/", FB, POST, OK },
  { "https://facebook.com/somepage/videos/123", FB, PROFILE, NEEDS_PROFILE },
  { "https://fb.watch/abcDEF/", FB, PROFILE, NEEDS_PROFILE },
  { "https://facebook.com/somepage", FB, POST, NEEDS_POST },
  { "https://facebook.com/profile.php", FB, PROFILE, LOOKS_LIKE },
  { "somepage", FB, PROFILE, NOT_A_LINK },

  /* Telegram */
  { "https://t.me/channel_name", TG, PROFILE, OK },
  { "https://telegram.me/channel_name", TG, PROFILE, OK },
  { "https://t.me/+AbCdEf123", TG, PROFILE, OK },
  { "https://t.me/joinchat/AbCdEf123", TG, PROFILE, OK },
  { "https://t.me/channel_name/123", TG, POST, OK },
  { "https://t.me/s/channel_name/123", TG, POST, OK },
  { "https://t.me/c/1234567890/55", TG, POST, OK },
  { "https://t.me/channel_name/123", TG, PROFILE, NEEDS_PROFILE },
  { "https://t.me/channel_name", TG, POST,
    "this is a Telegram channel link; this service needs a post link such as "
    "https://t.me/name/123" },
  { "https://t.me/channel_name/abc", TG, POST, LOOKS_LIKE },
  { "@channel_name", TG, PROFILE, OK },
  { "channel_name", TG, PROFILE, OK },
  { "@abc", TG, PROFILE, BAD_NAME },
  { "@chan-nel", TG, PROFILE, BAD_NAME },
  { "https://web.telegram.org/k/", TG, PROFILE, NOT_PLATFORM },

  /* Spotify */
  { "https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC", SP, POST, OK },
  { "https://open.spotify.com/intl-de/track/4uLU6hMCjMI75M1A2tKUQC?si=x", SP, POST, OK },
  { "https://open.spotify.com/artist/0OdUWJ0sBjDrqHygGUXeCF", SP, PROFILE, OK },
  { "https://open.spotify.com/playlist/37i9dQZF1DXcBWIGoYBM5M", SP, PROFILE, OK },
  { "https://open.spotify.com/playlist/37i9dQZF1DXcBWIGoYBM5M", SP, POST, OK },
  { "https://spotify.link/abc123", SP, POST, OK },
  { "https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC", SP, PROFILE, NEEDS_PROFILE },
  { "https://spotify.com/track/4uLU6hMCjMI75M1A2tKUQC", SP, POST,
    "“spotify.com” is not a Spotify link; a Spotify track link looks like "
    "https://open.spotify.com/track/ID" },

  /* Twitch */
  { "https://www.twitch.tv/streamer_1", TV, PROFILE, OK },
  { "https://twitch.tv/videos/1234567890", TV, POST, OK },
  { "https://clips.twitch.tv/FunnyClipSlug", TV, POST, OK },
  { "https://www.twitch.tv/streamer_1/clip/FunnyClipSlug", TV, POST, OK },
  { "https://twitch.tv/videos/1234567890", TV, PROFILE, NEEDS_PROFILE },
  { "https://twitch.tv/directory", TV, PROFILE, LOOKS_LIKE },

  /* Threads */
  { "https://www.threads.net/@user.name", TH, PROFILE, OK },
  { "https://www.threads.com/@user.name", TH, PROFILE, OK },
  { "https://www.threads.net/@user.name/post/C1aBcD2eFgH", TH, POST, OK },
  { "https://www.threads.net/@user.name/post/C1aBcD2eFgH", TH, PROFILE, NEEDS_PROFILE },
  { "https://www.threads.net/user.name", TH, PROFILE, LOOKS_LIKE },
  { "@user.name", TH, PROFILE, OK },

  /* Discord */
  { "https://discord.gg/abcDEF", DC, PROFILE, OK },
  { "https://discord.com/invite/abcDEF", DC, PROFILE, OK },
  { "https://discordapp.com/invite/abcDEF", DC, ANY, OK },
  { "https://discord.com/channels/1/2/3", DC, POST, OK },
  { "https://discord.com/login", DC, PROFILE, LOOKS_LIKE },
  { "@server", DC, PROFILE, NOT_A_LINK },

  /* Other platforms: any web link with a host */
  { "https://example.com/anything?at=all", OT, ANY, OK },
  { "http://example.com", OT, PROFILE, OK },
  { "https://vk.com/club1", OT, POST, OK },
  { "ftp://example.com/file", OT, ANY, NOT_WEB },
  { "javascript:alert(1)", OT, ANY, NOT_FULL },
  { "mailto://someone@example.com", OT, ANY, NOT_WEB },
  { "https://", OT, ANY, NO_HOST },
  { "https:///path", OT, ANY, NO_HOST },
  { "example.com/page", OT, ANY, NOT_FULL },
  { "@name", OT, PROFILE, NOT_A_LINK },
  { "https://exa mple.com", OT, ANY, SPACE },
  { " https://example.com", OT, ANY, SPACE },
  { "https://example.com/a\xC2\xA0" "b", OT, ANY, SPACE },
  { "https://t.me/name\xE2\x80\x8B", TG, PROFILE, SPACE },
  { "https://example.com/\xff", OT, ANY, "not valid text" },
  { "https://example.com/%zz", OT, ANY, INVALID },
  { "", OT, ANY, MISSING },
  { NULL, IG, PROFILE, MISSING },

  /* Any platform's links for ANY kind: profiles, posts and short links */
  { "https://instagram.com/name", IG, ANY, OK },
  { "https://instagram.com/p/abc", IG, ANY, OK },
  { "https://vm.tiktok.com/ZMabc123/", TT, ANY, OK },
  { "https://youtube.com/playlist?list=PL123", YT, ANY, OK },
  { "https://tiktok.com/", TT, ANY, NO_PATH },
};

static void
test_check_table (void)
{
  guint n_good = 0, n_bad = 0;

  for (guint i = 0; i < G_N_ELEMENTS (link_cases); i++)
    {
      const LinkCase *c = &link_cases[i];
      g_autoptr(GError) error = NULL;
      gboolean ok = relay_link_check (c->link, c->platform, c->kind, &error);

      g_autofree char *shown = g_utf8_make_valid (c->link ? c->link : "(null)", -1);

      g_test_message ("case %u: “%s” for %s / %d: %s", i, shown,
                      relay_platform_get_label (c->platform), c->kind,
                      error ? error->message : "accepted");
      if (c->reason == NULL)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          n_good++;
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_LINK);
          g_assert_true (g_utf8_validate (error->message, -1, NULL));
          if (strstr (error->message, c->reason) == NULL)
            g_error ("case %u: “%s” does not contain “%s”", i, error->message, c->reason);
          n_bad++;
        }
    }
  g_assert_cmpuint (n_good + n_bad, >=, 60);
  g_assert_cmpuint (n_good, >=, 30);
  g_assert_cmpuint (n_bad, >=, 30);
}

static void
test_error_is_optional (void)
{
  g_assert_false (relay_link_check ("nonsense link", IG, PROFILE, NULL));
  g_assert_true (relay_link_check ("https://instagram.com/name", IG, PROFILE, NULL));
}

static void
test_long_link (void)
{
  g_autoptr(GString) link = g_string_new ("https://example.com/");
  g_autoptr(GError) error = NULL;

  while (link->len < 5000)
    g_string_append (link, "abcdefghij");
  g_assert_false (relay_link_check (link->str, OT, ANY, &error));
  g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_LINK);
}

/* A space, a tab or a Unicode blank anywhere in a link, at any place in
 * it, is "a space" (for every platform). */
static void
test_space_everywhere (void)
{
  static const char * const spaces[] = {
    " ", "\t",
    "\xC2\xA0", "\xE2\x80\xAF", "\xE2\x80\x89", "\xE2\x80\x8B", "\xEF\xBB\xBF", "\xE3\x80\x80",
  };
  const char *link = "https://www.instagram.com/p/Abc12_xyz/";
  const RelayPlatform platforms[] = { IG, OT, YT };

  for (guint s = 0; s < G_N_ELEMENTS (spaces); s++)
    for (gsize at = 0; at <= strlen (link); at++)
      for (guint p = 0; p < G_N_ELEMENTS (platforms); p++)
        {
          g_autofree char *spaced = g_strdup_printf ("%.*s%s%s", (int) at, link, spaces[s],
                                                     link + at);
          g_autofree char *expected = g_strdup_printf ("the link “%s” has a space in it", spaced);
          g_autoptr(GError) error = NULL;

          g_assert_false (relay_link_check (spaced, platforms[p], ANY, &error));
          g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_LINK);
          g_assert_cmpstr (error->message, ==, expected);
        }
}

/* A control character anywhere in a link, at any place in it, is named
 * with its code point (for every platform): C0 characters other than a tab
 * (line breaks, a vertical tab, a form feed, ESC…), DEL and the C1
 * characters.  They were all "a space". */
static void
test_control_everywhere (void)
{
  static const struct { const char *bytes; const char *name; } controls[] = {
    { "\x01", "U+0001" }, { "\x07", "U+0007" }, { "\n", "U+000A" }, { "\r", "U+000D" },
    { "\v", "U+000B" }, { "\f", "U+000C" }, { "\x1b", "U+001B" }, { "\x1f", "U+001F" },
    { "\x7f", "U+007F" }, { "\xC2\x80", "U+0080" }, { "\xC2\x9B", "U+009B" },
    { "\xC2\x9F", "U+009F" },
  };
  const char *link = "https://www.instagram.com/p/Abc12_xyz/";
  const RelayPlatform platforms[] = { IG, OT, YT };

  for (guint c = 0; c < G_N_ELEMENTS (controls); c++)
    for (gsize at = 0; at <= strlen (link); at++)
      for (guint p = 0; p < G_N_ELEMENTS (platforms); p++)
        {
          g_autofree char *bad = g_strdup_printf ("%.*s%s%s", (int) at, link, controls[c].bytes,
                                                  link + at);
          g_autofree char *expected = g_strdup_printf ("the link “%s” has a control character "
                                                       "(%s) in it", bad, controls[c].name);
          g_autoptr(GError) error = NULL;

          g_assert_false (relay_link_check (bad, platforms[p], ANY, &error));
          g_assert_error (error, RELAY_INPUT_ERROR, RELAY_INPUT_ERROR_LINK);
          g_assert_cmpstr (error->message, ==, expected);
        }

  /* The first of them is named, and before a space. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (relay_link_check ("https://example.com/a b\x07" "c\x1b", OT, ANY, &error));
    g_assert_cmpstr (error->message, ==,
                     "the link “https://example.com/a b\x07" "c\x1b” has a control character "
                     "(U+0007) in it");
  }
  /* U+00A0 and U+00BF (0xC2 then a byte above 0x9F) are not C1 controls. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_true (relay_link_check ("https://example.com/\xC2\xBF", OT, ANY, &error));
    g_assert_no_error (error);
  }
}

/* What is said first when a link is wrong in several ways: too long, then
 * not valid text, then a control character, then a space. */
static void
test_check_order (void)
{
  g_autoptr(GString) long_link = g_string_new ("https://example.com/a b\xff");
  g_autoptr(GError) too_long = NULL;
  g_autoptr(GError) invalid = NULL;
  g_autoptr(GError) space = NULL;
  g_autoptr(GError) accented = NULL;
  g_autoptr(GError) fits = NULL;

  while (long_link->len <= 2048)
    g_string_append_c (long_link, 'x');
  g_assert_false (relay_link_check (long_link->str, OT, ANY, &too_long));
  g_assert_cmpstr (too_long->message, ==, "the link is longer than 2048 characters");

  g_assert_false (relay_link_check ("https://example.com/a b\xff", OT, ANY, &invalid));
  g_assert_cmpstr (invalid->message, ==, "the link is not valid text");

  g_assert_false (relay_link_check ("https://example.com/\xC3\xA9 b", OT, ANY, &space));
  g_assert_cmpstr (space->message, ==, "the link “https://example.com/\xC3\xA9 b” has a space in it");

  /* Letters beyond ASCII are neither spaces nor invalid. */
  g_assert_true (relay_link_check ("https://example.com/caf\xC3\xA9", OT, ANY, &accented));
  g_assert_no_error (accented);

  /* 2048 characters exactly is not too long. */
  g_string_set_size (long_link, 0);
  g_string_append (long_link, "https://example.com/");
  while (long_link->len < 2048)
    g_string_append_c (long_link, 'x');
  g_assert_true (relay_link_check (long_link->str, OT, ANY, &fits));
  g_assert_no_error (fits);
}

typedef struct
{
  const char    *name;
  const char    *category;
  RelayPlatform  platform;
  RelayLinkKind  kind;
} ClassifyCase;

static const ClassifyCase classify_cases[] = {
  { "Instagram Followers [Real]", "Instagram", IG, PROFILE },
  { "Instagram Likes | Max 50K | Instant", "Instagram Likes", IG, POST },
  { "Real HQ [30 days refill]", "Instagram Followers", IG, PROFILE },
  { "Reels Views", "Instagram", IG, POST },
  { "IG Story Views", "Instagram", IG, ANY },
  { "Instagram Profile Visits", NULL, IG, PROFILE },
  { "Instagram Mentions [Custom List]", "Instagram", IG, ANY },
  { "TikTok Followers", "TikTok", TT, PROFILE },
  { "Tik Tok Views [Fast]", "", TT, POST },
  { "TikTok Saves", "TikTok", TT, POST },
  { "YouTube Subscribers", "YouTube", YT, PROFILE },
  { "YouTube Watch Time 4000h", "YouTube", YT, POST },
  { "YT Likes", NULL, YT, POST },
  { "Twitter Followers", "Twitter", TW, PROFILE },
  { "X Followers", "X / Twitter", TW, PROFILE },
  { "Retweets", "x.com", TW, POST },
  { "Tweet Impressions", NULL, TW, POST },
  { "X Reposts", NULL, TW, POST },
  { "Facebook Page Likes", "Facebook", FB, PROFILE },
  { "Facebook Post Likes", "Facebook", FB, POST },
  { "FB Post Reactions [Love]", NULL, FB, POST },
  { "Facebook Friends", NULL, FB, PROFILE },
  { "Telegram Channel Members", "Telegram", TG, PROFILE },
  { "Telegram Post Views [Last 5]", "Telegram", TG, POST },
  { "TG Poll Votes", NULL, TG, POST },
  { "Spotify Plays", "Spotify", SP, POST },
  { "Spotify Monthly Listeners", "Spotify", SP, PROFILE },
  { "Twitch Followers", "Twitch", TV, PROFILE },
  { "Threads Likes", "Threads", TH, POST },
  { "Discord Server Members", "Discord", DC, PROFILE },
  { "Website Traffic from Google", "Traffic", OT, ANY },
  { "Followers + Likes combo", "Instagram", IG, ANY },
  { "Followers", "Other", OT, PROFILE },
  { "Instagram 10x Speed Likes", NULL, IG, POST },
  { NULL, NULL, OT, ANY },
  /* Names as the simulator's catalog writes them. */
  { "Instagram Followers [Real, 30 days refill]", "Instagram - Followers", IG, PROFILE },
  { "Instagram Views [Reels, Instant]", "Instagram - Views", IG, POST },
  { "Instagram Story Views [All stories]", "Instagram - Views", IG, ANY },
  { "Instagram Custom Comments Package [10 comments]", "Instagram - Comments", IG, POST },
  { "Instagram 1000 Followers Package", "Instagram - Packages", IG, PROFILE },
  { "YouTube Watch Time [1000 hours Package]", "YouTube - Watch Time", YT, POST },
  { "YouTube Community Poll Votes", "YouTube - Poll", YT, POST },
  { "X (Twitter) Retweets", "Twitter/X - Retweets", TW, POST },
  { "Facebook Page Likes + Followers", "Facebook - Page", FB, PROFILE },
  { "Telegram Channel Members [Real]", "Telegram - Members", TG, PROFILE },
  { "Spotify Followers [Artist]", "Spotify - Followers", SP, PROFILE },
  { "Twitch Live Viewers [1 hour]", "Twitch - Viewers", TV, ANY },
  { "Threads Followers", "Threads - Followers", TH, PROFILE },
  { "LinkedIn Post Likes", "LinkedIn - Likes", OT, POST },
  { "Discord Server Members [Offline]", "Discord - Members", DC, PROFILE },
  { "Instagram Comments Likes [Server 4]", "Instagram - Comments Likes", IG, POST },
};

static void
test_classify (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (classify_cases); i++)
    {
      const ClassifyCase *c = &classify_cases[i];
      RelayPlatform platform = RELAY_N_PLATFORMS;
      RelayLinkKind kind = (RelayLinkKind) 99;

      g_test_message ("classify “%s” in “%s”", c->name ? c->name : "(null)",
                      c->category ? c->category : "(null)");
      relay_link_classify_service (c->name, c->category, &platform, &kind);
      g_assert_cmpint (platform, ==, c->platform);
      g_assert_cmpint (kind, ==, c->kind);
    }
  /* Outputs are optional. */
  relay_link_classify_service ("Instagram Followers", NULL, NULL, NULL);
}

static void
test_labels (void)
{
  g_assert_cmpstr (relay_platform_get_label (IG), ==, "Instagram");
  g_assert_cmpstr (relay_platform_get_label (TT), ==, "TikTok");
  g_assert_cmpstr (relay_platform_get_label (OT), ==, "Other");
  for (guint i = 0; i < RELAY_N_PLATFORMS; i++)
    {
      g_assert_nonnull (relay_platform_get_label (i));
      g_assert_cmpstr (relay_platform_get_label (i), !=, "");
    }
}

/* The plain reader must give exactly the host, path and query GUri gives
 * (as relay_link_check used to read every link), or leave the link to GUri. */
static void
assert_plain_like_guri (const char *link, guint *n_plain)
{
  RelayLinkParts parts;
  g_autoptr(GUri) uri = NULL;
  const char *path;

  if (!relay_link_split_plain (link, &parts))
    return;
  (*n_plain)++;
  uri = g_uri_parse (link, G_URI_FLAGS_ENCODED | G_URI_FLAGS_SCHEME_NORMALIZE, NULL);
  if (uri == NULL)
    g_error ("plain, but GUri refuses it: %s", link);
  g_assert_true (g_str_equal (g_uri_get_scheme (uri), "https") ||
                 g_str_equal (g_uri_get_scheme (uri), "http"));
  g_assert_cmpstr (parts.host, ==, g_uri_get_host (uri));
  path = g_uri_get_path (uri);
  /* An empty path is "/" to GUri (scheme normalisation): no segment either way. */
  if (parts.path[0] == '\0' && g_str_equal (path, "/"))
    path = "";
  g_assert_cmpstr (parts.path, ==, path);
  g_assert_cmpstr (parts.query, ==, g_uri_get_query (uri));
  g_assert_null (g_uri_get_userinfo (uri));
  g_assert_null (g_uri_get_fragment (uri));
}

static void
test_plain_split (void)
{
  static const char * const links[] = {
    "https://www.instagram.com/p/Bench1/", "https://instagram.com/name", "http://t.me/chan/5",
    "https://www.tiktok.com/@name/video/123?lang=en&is_from_webapp=1", "https://youtu.be/abc?t=5",
    "https://HOST.example.COM./a//b/", "https://x.com", "https://x.com?", "https://x.com/?a=b?c",
    "https://x.com/a/./b", "https://x.com/a/../b", "https://x.com/..", "https://x.com/.../a",
    "https://x.com/.a/b.", "https://user@x.com/a", "https://x.com:443/a", "https://x.com/a#frag",
    "https://x.com/a%20b", "https://[::1]/a", "https:///a", "https://x.com/a:b", "HTTPS://x.com/a",
    "https://x.com/a b", "https://x.com/\xD0\xB0", "ftp://x.com/a", "https://-x-.com/~a_b+c,d=e!f",
  };
  static const char alphabet[] = "aZ09-._~@+,=!&?/#%:[] ";
  static const char * const starts[] = { "https://", "http://", "https://x.com", "https://x.com/", "" };
  GRand *rand = g_rand_new_with_seed (20261203);
  guint n_plain = 0;

  for (guint i = 0; i < G_N_ELEMENTS (links); i++)
    assert_plain_like_guri (links[i], &n_plain);
  g_assert_cmpuint (n_plain, >=, 12);
  for (guint i = 0; i < 200000; i++)
    {
      char link[64];
      gsize len = (gsize) g_strlcpy (link, starts[g_rand_int_range (rand, 0, G_N_ELEMENTS (starts))],
                                     sizeof link);
      guint n = (guint) g_rand_int_range (rand, 0, 20);

      for (guint j = 0; j < n && len + 1 < sizeof link; j++)
        link[len++] = alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];
      link[len] = '\0';
      assert_plain_like_guri (link, &n_plain);
    }
  g_test_message ("%u links read plain, each as GUri reads it", n_plain);
  g_assert_cmpuint (n_plain, >, 10000);
  g_rand_free (rand);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/link/check/table", test_check_table);
  g_test_add_func ("/link/check/no-error", test_error_is_optional);
  g_test_add_func ("/link/check/long", test_long_link);
  g_test_add_func ("/link/check/space-everywhere", test_space_everywhere);
  g_test_add_func ("/link/check/control-everywhere", test_control_everywhere);
  g_test_add_func ("/link/check/order", test_check_order);
  g_test_add_func ("/link/classify", test_classify);
  g_test_add_func ("/link/labels", test_labels);
  g_test_add_func ("/link/plain-split", test_plain_split);

  return g_test_run ();
}
