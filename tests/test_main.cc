// Copyright 2026 The net Authors.
//
// The doctest entry point shared by every test executable.

#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
