// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: examples/flags.h
// -----------------------------------------------------------------------------
//
// What the example programs share: the command line (`--name value` pairs,
// and --help), and for the echo servers (examples/echo_server, and
// bench/echo_listener, the hand-written one the benchmark keeps) their common
// flags and `main()`: listen, print the bound address, run the loop.

#ifndef NET_EXAMPLES_FLAGS_H_
#define NET_EXAMPLES_FLAGS_H_

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/time/time.h"
#include "net/net.h"

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

// ServerFlags
//
// The command line every echo server shares:
//   --listen ADDR:PORT        (default 127.0.0.1:0; port 0 picks a free port)
//   --backend NAME            the event loop's backend
//   --max-seconds N           stop after N seconds (0: run until killed)
//   --trigger edge|level      how connections are watched
struct ServerFlags {
  std::string listen = "127.0.0.1:0";
  net::EventLoopOptions loop;
  int max_seconds = 0;
  bool level_triggered = false;
};

// TakeServerFlag()
//
// For `ParseFlags()`: takes one of the flags of `ServerFlags` into `flags`;
// kNotFound for any other name.
inline absl::Status TakeServerFlag(const std::string& name,
                                   const std::string& value,
                                   ServerFlags& flags) {
  if (name == "--listen") {
    flags.listen = value;
  } else if (name == "--backend") {
    absl::StatusOr<net::EventLoopBackend> b = net::ParseEventLoopBackend(value);
    if (!b.ok()) return absl::InvalidArgumentError(b.status().message());
    flags.loop.backend = *b;
  } else if (name == "--max-seconds") {
    if (!absl::SimpleAtoi(value, &flags.max_seconds) || flags.max_seconds < 0) {
      return absl::InvalidArgumentError(
          "--max-seconds wants a whole number >= 0");
    }
  } else if (name == "--trigger") {
    if (value != "edge" && value != "level") {
      return absl::InvalidArgumentError("--trigger wants edge or level");
    }
    flags.level_triggered = value == "level";
  } else {
    return absl::NotFoundError(name);
  }
  return absl::OkStatus();
}

// RunServer()
//
// The `main()` of an echo server: creates the loop (`flags.loop`), has
// `make_server(loop)` build the server (a `std::unique_ptr` to anything with
// `Accept(net::Socket)`), listens on `flags.listen` (SO_REUSEADDR) handing
// every accepted socket to it, prints the bound address as the first line of
// standard output, and runs the loop until `flags.max_seconds` pass (or
// forever). The server is destroyed before the loop. Returns what `main()`
// returns: 0; 1 after a failure, 2 for a bad address (said on stderr, after
// `program`).
template <typename MakeServer>
int RunServer(const char* program, const ServerFlags& flags,
              MakeServer make_server) {
  auto fail = [program](absl::string_view message, int status) {
    std::fprintf(stderr, "%s: %s\n", program, std::string(message).c_str());
    return status;
  };
  absl::StatusOr<net::SocketAddress> address =
      net::SocketAddress::Parse(flags.listen);
  if (!address.ok()) return fail(address.status().message(), 2);
  absl::StatusOr<std::unique_ptr<net::EventLoop>> loop =
      net::EventLoop::Create(flags.loop);
  if (!loop.ok()) return fail(loop.status().message(), 1);
  auto server = make_server(**loop);
  absl::StatusOr<std::unique_ptr<net::Listener>> listener = net::Listener::Bind(
      **loop, *address,
      [&server](net::Socket s, const net::SocketAddress&) {
        server->Accept(std::move(s));
      },
      {.flags = net::ListenerFlags::kReusable});
  if (!listener.ok()) return fail(listener.status().message(), 1);
  (*listener)->SetErrorCallback([program](const absl::Status& s) {
    std::fprintf(stderr, "%s: accept: %s\n", program,
                 std::string(s.message()).c_str());
  });
  absl::StatusOr<net::SocketAddress> bound = (*listener)->LocalAddress();
  if (!bound.ok()) return fail(bound.status().message(), 1);
  std::printf("%s\n", bound->ToString().c_str());
  std::fflush(stdout);
  if (flags.max_seconds > 0) {
    (*loop)->AddTimer(absl::Seconds(flags.max_seconds),
                      [&loop] { (*loop)->Stop(); });
  }
  absl::Status run = (*loop)->Run();
  if (!run.ok()) return fail(run.message(), 1);
  return 0;
}

}  // namespace net_examples

#endif  // NET_EXAMPLES_FLAGS_H_
