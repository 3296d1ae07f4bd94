/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The plain-link reader of relay-link.c, open to its tests. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RELAY_LINK_MAX_LENGTH 2048
#define RELAY_LINK_MAX_HOST   253

/* A plain web link's parts: the host as written, the path and the query
 * (NULL without '?'), copied into fixed buffers. */
typedef struct
{
  char        host[RELAY_LINK_MAX_HOST + 1];
  char        path[RELAY_LINK_MAX_LENGTH + 1];
  const char *query;            /* points into the link */
} RelayLinkParts;

gboolean relay_link_split_plain (const char     *link,
                                 RelayLinkParts *parts);

G_END_DECLS
