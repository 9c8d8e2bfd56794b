// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: examples/flags.h
// -----------------------------------------------------------------------------
//
// The command line of the examples: `--name value` pairs, and --help.

#ifndef NET_EXAMPLES_FLAGS_H_
#define NET_EXAMPLES_FLAGS_H_

#include <cstdio>
#include <optional>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"

namespace net_examples {

// ParseFlags()
//
// Hands each `--name value` pair of `argv` to `take`, which answers OK when
// it took the value, kNotFound for a name it does not know, or another
// status whose message says what is wrong with the value. Returns what
// `main()` should return when it must stop: 0 after --help or -h (`usage`
// printed), 2 after a bad command line (said on stderr, after `program`);
// nullopt when every pair was taken.
inline std::optional<int> ParseFlags(
    int argc, char** argv, const char* program, const char* usage,
    absl::FunctionRef<absl::Status(const std::string& name,
                                   const std::string& value)>
        take) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::fputs(usage, stdout);
      return 0;
    }
    if (i + 1 >= argc) {
      std::fprintf(stderr, "%s: %s needs a value\n%s", program, arg.c_str(),
                   usage);
      return 2;
    }
    const absl::Status taken = take(arg, argv[++i]);
    if (absl::IsNotFound(taken)) {
      std::fprintf(stderr, "%s: unknown argument %s\n%s", program, arg.c_str(),
                   usage);
      return 2;
    }
    if (!taken.ok()) {
      std::fprintf(stderr, "%s: %s\n", program,
                   std::string(taken.message()).c_str());
      return 2;
    }
  }
  return std::nullopt;
}

}  // namespace net_examples

#endif  // NET_EXAMPLES_FLAGS_H_
