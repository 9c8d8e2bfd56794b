// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: tools/net-probe/main.cc
// -----------------------------------------------------------------------------
//
// net-probe: reports what this machine's socket layer offers, through the
// public `net` API only: the backend, the interfaces and their addresses,
// what `localhost` resolves to, and timed loopback round trips over TCP, UDP
// and unix-domain sockets. docs/net-probe.md describes the output.
//
// Exit status: 0 when every probe worked or was skipped with a reason (the
// machine lacks IPv6, say); 1 when a probe failed; 2 for a bad command line.

#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "net/version.h"
#include "tools/net-probe/listen_fds.h"
#include "tools/net-probe/probe.h"
#include "tools/net-probe/report.h"

namespace net_probe {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitProbeFailed = 1;
constexpr int kExitUsage = 2;

constexpr absl::string_view kUsage =
    "Usage: net-probe [--json] [--rounds N] [--options]\n"
    "       net-probe --version\n"
    "       net-probe --listen-fds\n"
    "\n"
    "Reports what this machine's socket layer offers, through the net\n"
    "library: backend, network interfaces and addresses, what `localhost`\n"
    "resolves to, and loopback TCP, UDP and unix-domain round trips with\n"
    "timings. All traffic stays on loopback.\n"
    "\n"
    "Options:\n"
    "  --json        print JSON instead of the table\n"
    "  --options     also list every socket option: native name, level,\n"
    "                type, get/set, supported here, and its default on\n"
    "                fresh TCP and UDP sockets over IPv4 and IPv6\n"
    "  --rounds N    ping-pongs of 64 bytes per transport, 1 to 100000\n"
    "                (default 1000); the median and 99th percentile of the\n"
    "                round-trip time are reported\n"
    "  --listen-fds  only list the sockets this process was handed: by\n"
    "                systemd (LISTEN_PID, LISTEN_FDS, LISTEN_FDNAMES) and\n"
    "                by inetd (descriptor 0); exit 1 if they are malformed\n"
    "  -h, --help    print this help and exit\n"
    "  --version     print \"net-probe <version>\" (the net library's\n"
    "                version) and exit\n"
    "\n"
    "Exit status: 0 if every probe worked or was skipped with a reason,\n"
    "1 if a probe failed, 2 for a bad command line.\n";

// Command line
struct Args {
  Config config;
  bool json = false;
  bool help = false;
  bool version = false;
  bool listen_fds = false;
};

// Parses `--rounds`' value; an error message names the flag and the bounds.
bool ParseRounds(absl::string_view text, int* rounds, std::string* error) {
  long long value = 0;
  if (!absl::SimpleAtoi(text, &value) || value < kMinRounds ||
      value > kMaxRounds) {
    *error = absl::StrFormat(
        "--rounds: expected a whole number from %d to %d, got \"%s\"",
        kMinRounds, kMaxRounds, text);
    return false;
  }
  *rounds = static_cast<int>(value);
  return true;
}

// ParseArgs()
//
// Returns false with `error` set for an unknown flag, a stray argument, or a
// missing or out-of-range value.
bool ParseArgs(const std::vector<absl::string_view>& argv, Args* args,
               std::string* error) {
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const absl::string_view arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      args->help = true;
    } else if (arg == "--version") {
      args->version = true;
    } else if (arg == "--listen-fds") {
      args->listen_fds = true;
    } else if (arg == "--json") {
      args->json = true;
    } else if (arg == "--options") {
      args->config.options = true;
    } else if (arg == "--rounds") {
      if (i + 1 == argv.size()) {
        *error = "--rounds: missing value (a whole number from 1 to 100000)";
        return false;
      }
      if (!ParseRounds(argv[++i], &args->config.rounds, error)) return false;
    } else if (absl::StartsWith(arg, "--rounds=")) {
      if (!ParseRounds(arg.substr(9), &args->config.rounds, error)) {
        return false;
      }
    } else if (absl::StartsWith(arg, "-") && arg != "-") {
      *error = absl::StrFormat("unknown option \"%s\"", arg);
      return false;
    } else {
      *error = absl::StrFormat("unexpected argument \"%s\"", arg);
      return false;
    }
  }
  return true;
}

int Main(int argc, char** argv) {
  std::vector<absl::string_view> arguments(argv + 1, argv + argc);
  Args args;
  std::string error;
  if (!ParseArgs(arguments, &args, &error)) {
    absl::FPrintF(
        stderr, "net-probe: %s\nTry \"net-probe --help\" for usage.\n", error);
    return kExitUsage;
  }
  if (args.help) {
    absl::PrintF("%s", kUsage);
    return kExitOk;
  }
  if (args.version) {
    // The library's version, not a copy compiled into the tool: with the
    // shared library this is the one actually loaded.
    absl::PrintF("net-probe %s\n", net::Version());
    return kExitOk;
  }
  if (args.listen_fds) {
    if (args.json || args.config.options) {
      absl::FPrintF(stderr,
                    "net-probe: --listen-fds takes no other option (it has "
                    "no JSON form)\nTry \"net-probe --help\" for usage.\n");
      return kExitUsage;
    }
    bool failed = false;
    const std::string text = ListenFdsReport(&failed);
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
    return failed ? kExitProbeFailed : kExitOk;
  }
  const Report report = RunProbe(args.config);
  const std::string text = args.json ? FormatJson(report) : FormatTable(report);
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
  return AnyFailed(report) ? kExitProbeFailed : kExitOk;
}

}  // namespace
}  // namespace net_probe

int main(int argc, char** argv) { return net_probe::Main(argc, argv); }
