// Copyright 2026 The net Authors.
//
// The event loop's set of watched handles: an array of flags below its
// dense limit, a hash set at and past it, one count over both.

#include <vector>

#include "core/handle_set_internal.h"
#include "tests/test_util.h"

using net::NativeHandle;
using net::internal::HandleSet;

TEST_CASE("a handle set refuses a second insert and forgets an erased handle") {
  HandleSet set(/*dense_limit=*/64);
  for (NativeHandle h : {NativeHandle{0}, NativeHandle{5}, NativeHandle{63},
                         NativeHandle{64}, NativeHandle{1000},
                         net::kInvalidHandle - 1}) {
    CAPTURE(h);
    CHECK_FALSE(set.Contains(h));
    CHECK(set.Insert(h));
    CHECK(set.Contains(h));
    CHECK_FALSE(set.Insert(h));
  }
  CHECK(set.size() == 6);
  CHECK(set.Erase(63));   // dense
  CHECK(set.Erase(64));   // sparse: the limit itself
  CHECK_FALSE(set.Erase(63));
  CHECK_FALSE(set.Erase(64));
  CHECK_FALSE(set.Contains(63));
  CHECK_FALSE(set.Contains(64));
  CHECK(set.size() == 4);
  CHECK(set.Insert(63));  // reusable after an erase
  CHECK(set.size() == 5);
}

TEST_CASE("a handle set ignores erases of handles it never had") {
  HandleSet set(/*dense_limit=*/16);
  CHECK_FALSE(set.Erase(3));      // below the limit, past the array
  CHECK_FALSE(set.Erase(40000));  // sparse
  CHECK(set.Insert(2));
  CHECK_FALSE(set.Erase(3));      // inside the array, not set
  CHECK(set.size() == 1);
}

TEST_CASE("a handle set grows its array for descriptors in any order") {
  HandleSet set;  // the loop's default limit
  // Descending, so the array is sized by its first insert, then ascending
  // past it, the way descriptors come and go.
  std::vector<NativeHandle> down, up;
  for (int h = 5000; h >= 0; h -= 7) down.push_back(static_cast<NativeHandle>(h));
  for (int h = 5001; h < 20000; h += 3) up.push_back(static_cast<NativeHandle>(h));
  for (NativeHandle h : down) CHECK(set.Insert(h));
  for (NativeHandle h : up) CHECK(set.Insert(h));
  CHECK(set.size() == down.size() + up.size());
  for (NativeHandle h : down) CHECK_FALSE(set.Insert(h));
  CHECK(set.size() == down.size() + up.size());
  for (NativeHandle h : up) CHECK(set.Erase(h));
  for (NativeHandle h : down) CHECK(set.Erase(h));
  CHECK(set.size() == 0);
  CHECK_FALSE(set.Contains(5000));
}
