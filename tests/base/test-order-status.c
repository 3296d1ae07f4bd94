/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the canonical order statuses and the mapping of providers' status words. */
#include "relay-order-status.h"

static void
test_names_round_trip (void)
{
  static const char * const expected[RELAY_ORDER_N_STATUSES] = {
    "scheduled", "queued", "sending", "pending", "processing", "in_progress",
    "completed", "partial", "canceled", "failed", "needs_review",
  };

  for (guint i = 0; i < RELAY_ORDER_N_STATUSES; i++)
    {
      RelayOrderStatus status = RELAY_ORDER_N_STATUSES;
      const char *label = relay_order_status_get_label (i);

      g_assert_cmpstr (relay_order_status_to_string (i), ==, expected[i]);
      g_assert_true (relay_order_status_from_string (expected[i], &status));
      g_assert_cmpint (status, ==, i);
      g_assert_nonnull (label);
      g_assert_cmpstr (label, !=, "");
    }
  g_assert_cmpstr (relay_order_status_get_label (RELAY_ORDER_IN_PROGRESS), ==, "In progress");
  g_assert_cmpstr (relay_order_status_get_label (RELAY_ORDER_NEEDS_REVIEW), ==, "Needs review");
}

static void
test_names_refused (void)
{
  static const char * const words[] = {
    "", "Pending", "in progress", "In_progress", "cancelled", "unknown", "completed ", NULL
  };
  RelayOrderStatus status = RELAY_ORDER_QUEUED;

  for (guint i = 0; words[i] != NULL; i++)
    g_assert_false (relay_order_status_from_string (words[i], &status));
  g_assert_false (relay_order_status_from_string (NULL, &status));
  g_assert_cmpint (status, ==, RELAY_ORDER_QUEUED);
}

static void
test_provider_words (void)
{
  static const struct { const char *word; RelayOrderStatus status; } cases[] = {
    { "Pending", RELAY_ORDER_PENDING },
    { "pending", RELAY_ORDER_PENDING },
    { "In progress", RELAY_ORDER_IN_PROGRESS },
    { "In Progress", RELAY_ORDER_IN_PROGRESS },
    { "Inprogress", RELAY_ORDER_IN_PROGRESS },
    { "in_progress", RELAY_ORDER_IN_PROGRESS },
    { "IN-PROGRESS", RELAY_ORDER_IN_PROGRESS },
    { " In  progress ", RELAY_ORDER_IN_PROGRESS },
    { "Processing", RELAY_ORDER_PROCESSING },
    { "Completed", RELAY_ORDER_COMPLETED },
    { "Partial", RELAY_ORDER_PARTIAL },
    { "Canceled", RELAY_ORDER_CANCELED },
    { "Cancelled", RELAY_ORDER_CANCELED },
    { "Refunded", RELAY_ORDER_CANCELED },
    { "Fail", RELAY_ORDER_FAILED },
    { "Error", RELAY_ORDER_FAILED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      RelayOrderStatus status = RELAY_ORDER_N_STATUSES;

      g_test_message ("provider word “%s”", cases[i].word);
      g_assert_true (relay_order_status_from_provider (cases[i].word, &status));
      g_assert_cmpint (status, ==, cases[i].status);
    }
}

static void
test_provider_unknown (void)
{
  static const char * const words[] = {
    "", "Waiting for moderation", "Done!", "Progress", "In", "Paused", "queued",
    "a very long status word that does not fit anywhere at all", NULL
  };

  for (guint i = 0; words[i] != NULL; i++)
    {
      RelayOrderStatus status = RELAY_ORDER_PENDING;

      g_test_message ("unknown word “%s”", words[i]);
      g_assert_false (relay_order_status_from_provider (words[i], &status));
      g_assert_cmpint (status, ==, RELAY_ORDER_PENDING);
    }
  g_assert_false (relay_order_status_from_provider (NULL, &(RelayOrderStatus) { 0 }));
}

static void
test_sets (void)
{
  for (guint i = 0; i < RELAY_ORDER_N_STATUSES; i++)
    {
      gboolean active = i == RELAY_ORDER_PENDING || i == RELAY_ORDER_PROCESSING ||
                        i == RELAY_ORDER_IN_PROGRESS;
      gboolean final = i == RELAY_ORDER_COMPLETED || i == RELAY_ORDER_PARTIAL ||
                       i == RELAY_ORDER_CANCELED || i == RELAY_ORDER_FAILED;

      g_test_message ("status %s", relay_order_status_to_string (i));
      g_assert_cmpint (relay_order_status_is_active (i), ==, active);
      g_assert_cmpint (relay_order_status_is_final (i), ==, final);
      g_assert_false (active && final);
    }
  /* Neither: ours before sending, and the one a person must settle. */
  g_assert_false (relay_order_status_is_active (RELAY_ORDER_NEEDS_REVIEW));
  g_assert_false (relay_order_status_is_final (RELAY_ORDER_NEEDS_REVIEW));
  g_assert_false (relay_order_status_is_active (RELAY_ORDER_SENDING));
  g_assert_false (relay_order_status_is_final (RELAY_ORDER_SENDING));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/order-status/names", test_names_round_trip);
  g_test_add_func ("/order-status/names/refused", test_names_refused);
  g_test_add_func ("/order-status/provider", test_provider_words);
  g_test_add_func ("/order-status/provider/unknown", test_provider_unknown);
  g_test_add_func ("/order-status/sets", test_sets);

  return g_test_run ();
}
