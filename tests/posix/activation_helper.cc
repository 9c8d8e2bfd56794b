// Copyright 2026 The net Authors.
//
// activation_helper: the child process of tests/posix/activation_test.cc.
// The test starts it as systemd or inetd would (sockets at descriptors 3 and
// up with LISTEN_PID / LISTEN_FDS / LISTEN_FDNAMES, or a socket at
// descriptor 0) and reads what it prints. It calls the library as a
// service would and reports, one fact per line, what it was handed:
//
//   activation_helper list [keep]   net::ListenFds(); `keep`: variables kept
//   activation_helper serve         ListenFds(), then Listener::Adopt() on
//                                   each; each accepted connection gets the
//                                   socket's name, then EOF
//   activation_helper inetd         net::InetdSocket(): sends "inetd
//                                   <family> <type>\n" over a connected one;
//                                   a listening one ("wait" service) is
//                                   served through Listener::Adopt()
//
// Lines: `fd <n> open=<0|1> cloexec=<0|1>` for descriptors 0 and 3 to 6,
// before and after the call (prefixed `before`/`after`); `result ok <count>`
// or `result error <CODE> <message>`; `socket fd=<n> name=<name>
// family=<f> type=<t> cloexec=<0|1> local=<address>`; `env LISTEN_PID=<v>
// LISTEN_FDS=<v> LISTEN_FDNAMES=<v>` (`-` when unset). Exit status 0, or 3
// when serving did not finish within 5 s, 2 for a bad command line.

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "net/net.h"

namespace {

void Say(const std::string& line) {
  std::fputs(line.c_str(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

void SayDescriptors(absl::string_view when) {
  for (int fd : {0, 3, 4, 5, 6}) {
    struct stat st;
    const bool open = fstat(fd, &st) == 0;
    const int flags = open ? fcntl(fd, F_GETFD) : 0;
    Say(absl::StrCat(when, " fd ", fd, " open=", open ? 1 : 0, " cloexec=",
                     (flags >= 0 && (flags & FD_CLOEXEC) != 0) ? 1 : 0));
  }
}

std::string Env(const char* name) {
  const char* v = getenv(name);
  return v == nullptr ? "-" : v;
}

void SayEnvironment() {
  Say(absl::StrCat("env LISTEN_PID=", Env("LISTEN_PID"),
                   " LISTEN_FDS=", Env("LISTEN_FDS"),
                   " LISTEN_FDNAMES=", Env("LISTEN_FDNAMES")));
}

void SayError(const absl::Status& status) {
  Say(absl::StrCat("result error ", absl::StatusCodeToString(status.code()),
                   " ", status.message()));
}

void SaySocket(const net::Socket& socket, absl::string_view name) {
  absl::StatusOr<bool> cloexec = socket.IsCloseOnExec();
  absl::StatusOr<net::SocketAddress> local = socket.LocalAddress();
  Say(absl::StrCat("socket fd=", socket.native_handle(), " name=", name,
                   " family=", net::AddressFamilyName(socket.family()),
                   " type=", net::SocketTypeName(socket.type()), " cloexec=",
                   cloexec.ok() && *cloexec ? 1 : 0, " local=",
                   local.ok() ? local->ToString() : "?"));
}

// Accepts one connection on each socket through Listener::Adopt() and
// sends it `names[i]`. Returns whether all were served within 5 s.
bool Serve(std::vector<net::Socket> sockets, std::vector<std::string> names) {
  absl::StatusOr<std::unique_ptr<net::EventLoop>> loop =
      net::EventLoop::Create();
  if (!loop.ok()) {
    SayError(loop.status());
    return false;
  }
  std::size_t served = 0;
  std::vector<std::unique_ptr<net::Listener>> listeners;
  net::ListenerOptions options;
  options.backlog = 0;  // the manager made them listen
  options.flags = net::ListenerFlags::kCloseOnFree;
  for (std::size_t i = 0; i < sockets.size(); ++i) {
    const std::string name = names[i];
    absl::StatusOr<std::unique_ptr<net::Listener>> listener =
        net::Listener::Adopt(
            **loop, std::move(sockets[i]),
            [name, &served](net::Socket socket, const net::SocketAddress&) {
              // Accepted sockets are non-blocking by default.
              absl::Status sent = socket.SendAll(name, absl::Seconds(2));
              if (!sent.ok()) SayError(sent);
              Say(absl::StrCat("served ", name));
              ++served;
            },
            options);
    if (!listener.ok()) {
      SayError(listener.status());
      return false;
    }
    listeners.push_back(*std::move(listener));
  }
  const absl::Time deadline = absl::Now() + absl::Seconds(5);
  while (served < listeners.size() && absl::Now() < deadline) {
    absl::StatusOr<int> ran = (*loop)->RunOnce(absl::Milliseconds(50));
    if (!ran.ok()) {
      SayError(ran.status());
      return false;
    }
  }
  listeners.clear();
  return served == names.size();
}

int List(bool keep, bool serve) {
  SayDescriptors("before");
  absl::StatusOr<std::vector<net::ActivatedSocket>> fds = net::ListenFds(!keep);
  if (!fds.ok()) {
    SayError(fds.status());
  } else {
    Say(absl::StrCat("result ok ", fds->size()));
    for (const net::ActivatedSocket& fd : *fds) SaySocket(fd.socket, fd.name);
  }
  SayEnvironment();
  SayDescriptors("after");
  if (!serve || !fds.ok()) return 0;
  std::vector<net::Socket> sockets;
  std::vector<std::string> names;
  for (net::ActivatedSocket& fd : *fds) {
    sockets.push_back(std::move(fd.socket));
    names.push_back(fd.name);
  }
  return Serve(std::move(sockets), std::move(names)) ? 0 : 3;
}

int Inetd() {
  absl::StatusOr<net::Socket> socket = net::InetdSocket();
  if (!socket.ok()) {
    SayError(socket.status());
    return 0;
  }
  Say("result ok 1");
  SaySocket(*socket, "inetd");
  absl::StatusOr<bool> listening =
      socket->GetOption<net::AcceptConnections>();
  if (listening.ok() && *listening) {
    std::vector<net::Socket> sockets;
    sockets.push_back(*std::move(socket));
    return Serve(std::move(sockets), {"inetd-wait"}) ? 0 : 3;
  }
  absl::Status sent = socket->SendAll(
      absl::StrCat("inetd ", net::AddressFamilyName(socket->family()), " ",
                   net::SocketTypeName(socket->type()), "\n"),
      absl::Seconds(2));
  if (!sent.ok()) SayError(sent);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<absl::string_view> args(argv + 1, argv + argc);
  if (args.size() >= 1 && args[0] == "list") {
    return List(args.size() == 2 && args[1] == "keep", /*serve=*/false);
  }
  if (args.size() == 1 && args[0] == "serve") return List(false, true);
  if (args.size() == 1 && args[0] == "inetd") return Inetd();
  std::fputs("usage: activation_helper list [keep] | serve | inetd\n", stderr);
  return 2;
}
