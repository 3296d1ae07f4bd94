/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Links per platform: which kind of link a service needs, and whether a link
 * is one. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  RELAY_PLATFORM_OTHER,     /* unknown platform: any http(s) link is accepted */
  RELAY_PLATFORM_INSTAGRAM,
  RELAY_PLATFORM_TIKTOK,
  RELAY_PLATFORM_YOUTUBE,
  RELAY_PLATFORM_TWITTER,   /* twitter.com and x.com */
  RELAY_PLATFORM_FACEBOOK,
  RELAY_PLATFORM_TELEGRAM,
  RELAY_PLATFORM_SPOTIFY,
  RELAY_PLATFORM_TWITCH,
  RELAY_PLATFORM_THREADS,
  RELAY_PLATFORM_DISCORD,
  RELAY_N_PLATFORMS
} RelayPlatform;

typedef enum
{
  RELAY_LINK_ANY,           /* profile or post */
  RELAY_LINK_PROFILE,       /* followers, subscribers, members */
  RELAY_LINK_POST,          /* likes, views, comments, shares, saves */
} RelayLinkKind;

/* Reads the platform and link kind a service needs from its name and category
 * ("Instagram Followers [Real]" -> INSTAGRAM, PROFILE). */
void        relay_link_classify_service (const char *name, const char *category,
                                         RelayPlatform *out_platform, RelayLinkKind *out_kind);
const char *relay_platform_get_label    (RelayPlatform platform);

/* Checks @link for a service of @platform / @kind.  On failure sets
 * RELAY_INPUT_ERROR_LINK with the reason in one sentence ("an Instagram
 * profile link looks like https://instagram.com/name", "this is a post link;
 * this service needs a profile link").  A bare "@name" or "name" is accepted
 * for profile services of platforms where the panels take it (Instagram,
 * TikTok, Twitter, Telegram). */
gboolean    relay_link_check (const char *link, RelayPlatform platform, RelayLinkKind kind,
                              GError **error);
/* Only whether @link (NULL = none) is text fit to keep: valid UTF-8 without
 * a control character (C0 but a tab, DEL, C1), with relay_link_check()'s
 * messages; for the services that take no link, whose link is not sent. */
gboolean    relay_link_check_text (const char *link, GError **error);

G_END_DECLS
