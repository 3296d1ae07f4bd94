/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Another writer holding a book's write lock, on a thread of its own (the
 * test's thread must stay free: the app's own writes on it wait for the lock
 * too) until released or a time limit passes. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _EtBookLock EtBookLock;

/* Takes the write lock of the book at @path (BEGIN IMMEDIATE on a connection
 * of its own) and returns once it is held; it is let go by
 * et_book_lock_release() or @max_ms after it is held. */
EtBookLock *et_book_lock_take    (const char *path, guint max_ms);
/* Lets the lock go (if still held), waits for its thread and frees @lock. */
void        et_book_lock_release (EtBookLock *lock);

G_END_DECLS
