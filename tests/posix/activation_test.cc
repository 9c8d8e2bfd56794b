// Copyright 2026 The net Authors.
//
// Socket activation (net/activation.h): what a service started by systemd
// or inetd gets from `net::ListenFds()` and `net::InetdSocket()`, and that
// `Listener::Adopt()` serves on those sockets.
//
// Approach. A child process is started as the service manager starts one:
// fork, the sockets put at descriptors 3, 4, ... (or 0) without
// close-on-exec, LISTEN_PID set to the child's own pid between fork and
// exec (as systemd does), then exec of tests/posix/activation_helper, which
// calls the library and prints what it was handed, one fact per line. The
// garbage-value cases need no descriptors and run in this process (the
// process's own pid in LISTEN_PID).
//
// Cases of shared/RELIABILITY.md: R3 (descriptors: each adopted socket
// close-on-exec so no child inherits it; on error none is adopted, closed
// or left changed; counted with /proc/self/fd in this process); the bad
// environment values are the bad-input class of P2/P4 (rejected with a
// message naming the variable and quoting at most 40 bytes, never
// partially applied). The rest is issue 15's "must hold" list: two named
// descriptors in a child, a wrong LISTEN_PID adopts nothing, a
// LISTEN_FDNAMES count mismatch is an error.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__linux__)
#include <sys/prctl.h>
#endif

#include <doctest/doctest.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "net/activation.h"
#include "net/net.h"
#include "tests/posix/subprocess.h"
#include "tests/test_util.h"

extern char** environ;

namespace net_test {
namespace {

// How to start the child: its arguments, what goes on which descriptor,
// the environment to add, and whether LISTEN_PID is its own pid.
struct ChildSpec {
  std::string program = NET_ACTIVATION_HELPER;
  std::vector<std::string> args;
  std::vector<std::pair<int, int>> fds;  // {target, source}; source -1 closes
  std::vector<std::string> env;          // "NAME=value"
  bool listen_pid_self = false;
};

// A started child; Finish() collects its output and exit status.
class Child {
 public:
  explicit Child(const ChildSpec& spec) { Start(spec); }
  ~Child() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      int status = 0;
      waitpid(pid_, &status, 0);
    }
    if (out_ >= 0) close(out_);
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  bool started() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }

  // Reads the output until EOF and waits for the exit, within `limit`;
  // the child is killed if it takes longer. Returns the exit code (-1 if it
  // did not exit by itself).
  int Finish(absl::Duration limit = absl::Seconds(10)) {
    const absl::Time deadline = absl::Now() + limit;
    char buffer[4096];
    while (out_ >= 0) {
      const absl::Duration left = deadline - absl::Now();
      if (left <= absl::ZeroDuration()) break;
      struct pollfd p = {out_, POLLIN, 0};
      const int ready = poll(&p, 1, static_cast<int>(absl::ToInt64Milliseconds(left)) + 1);
      if (ready < 0 && errno == EINTR) continue;
      if (ready <= 0) break;
      const ssize_t n = read(out_, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        close(out_);
        out_ = -1;
        break;
      }
      output_.append(buffer, static_cast<std::size_t>(n));
    }
    int code = -1;
    while (pid_ > 0) {
      int status = 0;
      const pid_t done = waitpid(pid_, &status, WNOHANG);
      if (done == pid_) {
        pid_ = -1;
        if (WIFEXITED(status)) code = WEXITSTATUS(status);
        break;
      }
      if (absl::Now() >= deadline) {
        kill(pid_, SIGKILL);
        waitpid(pid_, &status, 0);
        pid_ = -1;
        output_ += "\n(killed after the time limit)";
        break;
      }
      absl::SleepFor(absl::Milliseconds(2));
    }
    return code;
  }
  const std::string& output() const { return output_; }

 private:
  void Start(const ChildSpec& spec) {
    // Everything the child needs is made before fork: between fork and exec
    // only async-signal-safe calls.
    std::vector<std::string> argv_strings = {spec.program};
    argv_strings.insert(argv_strings.end(), spec.args.begin(), spec.args.end());
    std::vector<char*> argv;
    for (std::string& a : argv_strings) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> env_strings;
    for (char** e = environ; *e != nullptr; ++e) {
      if (!absl::StartsWith(*e, "LISTEN_")) env_strings.push_back(*e);
    }
    env_strings.insert(env_strings.end(), spec.env.begin(), spec.env.end());
    std::vector<char*> envp;
    for (std::string& e : env_strings) envp.push_back(e.data());
    char listen_pid[32] = "LISTEN_PID=";
    if (spec.listen_pid_self) envp.push_back(listen_pid);
    envp.push_back(nullptr);
    int pipe_fds[2];
    REQUIRE(MakePipe(pipe_fds));
    std::vector<std::pair<int, int>> fds = spec.fds;
    fds.emplace_back(STDOUT_FILENO, pipe_fds[1]);
    fds.emplace_back(STDERR_FILENO, pipe_fds[1]);

    pid_ = fork();
    if (pid_ == 0) {
#if defined(__linux__)
      prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
      if (spec.listen_pid_self) {
        // "LISTEN_PID=" and this process's pid in decimal.
        char digits[16];
        int n = 0;
        for (long v = static_cast<long>(getpid()); v > 0 && n < 15; v /= 10) {
          digits[n++] = static_cast<char>('0' + v % 10);
        }
        char* p = listen_pid + std::strlen("LISTEN_PID=");
        while (n > 0) *p++ = digits[--n];
        *p = '\0';
      }
      // First out of the way (close-on-exec copies at 100 and up), then
      // onto their targets: dup2 clears close-on-exec on the target.
      int high[16];
      const std::size_t count = fds.size() < 16 ? fds.size() : 16;
      for (std::size_t i = 0; i < count; ++i) {
        high[i] = fds[i].second < 0
                      ? -1
                      : fcntl(fds[i].second, F_DUPFD_CLOEXEC, 100);
      }
      for (std::size_t i = 0; i < count; ++i) {
        if (high[i] < 0) {
          close(fds[i].first);
        } else {
          dup2(high[i], fds[i].first);
        }
      }
      execve(argv[0], argv.data(), envp.data());
      _exit(127);
    }
    close(pipe_fds[1]);
    out_ = pipe_fds[0];
    REQUIRE_MESSAGE(pid_ > 0, "fork: ", ErrnoText(errno));
  }

  pid_t pid_ = -1;
  int out_ = -1;
  std::string output_;
};

// Runs a child to its end; REQUIREs exit status 0.
std::string Run(const ChildSpec& spec) {
  Child child(spec);
  const int code = child.Finish();
  INFO("child output:\n", child.output());
  REQUIRE_EQ(code, 0);
  return child.output();
}

bool Has(const std::string& output, absl::string_view line_start) {
  for (absl::string_view line : absl::StrSplit(output, '\n')) {
    if (absl::StartsWith(line, line_start)) return true;
  }
  return false;
}

std::string Line(const std::string& output, absl::string_view line_start) {
  for (absl::string_view line : absl::StrSplit(output, '\n')) {
    if (absl::StartsWith(line, line_start)) return std::string(line);
  }
  return "";
}

// A pipe's read end: a descriptor that is open but not a socket.
struct Pipe {
  Pipe() { REQUIRE(MakePipe(fds)); }
  ~Pipe() {
    close(fds[0]);
    close(fds[1]);
  }
  int fds[2];
};

int Fd(const net::Socket& s) { return static_cast<int>(s.native_handle()); }

constexpr const char* kUnset = "env LISTEN_PID=- LISTEN_FDS=- LISTEN_FDNAMES=-";

// The child's report that descriptors 3 and 4 are still open, with
// close-on-exec as `cloexec` says, and that the variables were unset.
void CheckBothOpenAndUnset(const std::string& out, bool cloexec) {
  const char* bit = cloexec ? "1" : "0";
  CHECK(Has(out, absl::StrCat("after fd 3 open=1 cloexec=", bit)));
  CHECK(Has(out, absl::StrCat("after fd 4 open=1 cloexec=", bit)));
  CHECK(Has(out, kUnset));
}

TEST_CASE("a child started with LISTEN_FDS=2 and LISTEN_FDNAMES=a:b serves a "
          "connection on each socket through Listener::Adopt") {
  net::Socket tcp = Listen(net::AddressFamily::kIPv4);
  const net::SocketAddress tcp_address = LocalAddressOf(tcp);
  net::Socket unix_listener = OpenSocket(net::AddressFamily::kUnix);
  const std::string path = TempSocketPath("activation");
  absl::StatusOr<net::SocketAddress> unix_address = net::SocketAddress::Unix(path);
  NET_REQUIRE_OK(unix_address);
  NET_REQUIRE_OK(unix_listener.Bind(*unix_address));
  NET_REQUIRE_OK(unix_listener.Listen());

  ChildSpec spec;
  spec.args = {"serve"};
  spec.fds = {{3, Fd(tcp)}, {4, Fd(unix_listener)}};
  spec.env = {"LISTEN_FDS=2", "LISTEN_FDNAMES=a:b"};
  spec.listen_pid_self = true;
  Child child(spec);
  REQUIRE(child.started());
  // Only the child holds the listening sockets now.
  NET_REQUIRE_OK(tcp.Close());
  NET_REQUIRE_OK(unix_listener.Close());

  std::vector<std::pair<net::SocketAddress, std::string>> expect = {
      {tcp_address, "a"}, {*unix_address, "b"}};
  for (const auto& [address, name] : expect) {
    CAPTURE(address.ToString());
    net::Socket client = OpenSocket(address.family());
    NET_REQUIRE_OK(client.Connect(address, absl::Seconds(5)));
    std::string got;
    char buffer[16];
    for (int i = 0; i < 10; ++i) {  // until EOF; the child sends 1 byte
      absl::StatusOr<bool> ready = client.WaitReadable(absl::Seconds(5));
      NET_REQUIRE_OK(ready);
      REQUIRE(*ready);
      absl::StatusOr<net::IoResult> r = client.Receive(absl::MakeSpan(buffer));
      NET_REQUIRE_OK(r);
      if (r->end_of_stream()) break;
      got.append(buffer, r->bytes());
    }
    CHECK_EQ(got, name);
  }
  const int code = child.Finish();
  INFO("child output:\n", child.output());
  CHECK_EQ(code, 0);
  CHECK(Has(child.output(), "result ok 2"));
  CHECK(Has(child.output(), absl::StrCat("socket fd=3 name=a family=ipv4 type=stream "
                                         "cloexec=1 local=",
                                         tcp_address.ToString())));
  CHECK(Has(child.output(), "socket fd=4 name=b family=unix type=stream cloexec=1"));
  CHECK(Has(child.output(), "served a"));
  CHECK(Has(child.output(), "served b"));
  unlink(path.c_str());
}

TEST_CASE("ListenFds reads each socket's family and type, makes it "
          "close-on-exec and clears the variables") {
  net::Socket tcp6;
  const bool ipv6 = HaveIPv6();
  net::Socket tcp = Listen(net::AddressFamily::kIPv4);
  net::Socket udp = Listen(net::AddressFamily::kIPv4, net::SocketType::kDatagram);
  if (ipv6) tcp6 = Listen(net::AddressFamily::kIPv6);
  ChildSpec spec;
  spec.args = {"list"};
  spec.fds = {{3, Fd(tcp)}, {4, Fd(udp)}};
  std::string names = "web:dns";
  if (ipv6) {
    spec.fds.emplace_back(5, Fd(tcp6));
    names += ":web6";
  } else {
    spec.fds.emplace_back(5, -1);
  }
  spec.env = {absl::StrCat("LISTEN_FDS=", ipv6 ? 3 : 2),
              absl::StrCat("LISTEN_FDNAMES=", names)};
  spec.listen_pid_self = true;
  const std::string out = Run(spec);
  INFO(out);
  // Handed over without close-on-exec, as a manager does...
  CHECK(Has(out, "before fd 3 open=1 cloexec=0"));
  CHECK(Has(out, "before fd 4 open=1 cloexec=0"));
  CHECK(Has(out, absl::StrCat("result ok ", ipv6 ? 3 : 2)));
  CHECK(Has(out, absl::StrCat("socket fd=3 name=web family=ipv4 type=stream cloexec=1 local=",
                              LocalAddressOf(tcp).ToString())));
  CHECK(Has(out, absl::StrCat("socket fd=4 name=dns family=ipv4 type=datagram cloexec=1 local=",
                              LocalAddressOf(udp).ToString())));
  if (ipv6) {
    CHECK(Has(out, absl::StrCat("socket fd=5 name=web6 family=ipv6 type=stream cloexec=1 local=",
                                LocalAddressOf(tcp6).ToString())));
  }
  // ...and close-on-exec once adopted, seen by the OS too.
  CheckBothOpenAndUnset(out, true);
}

TEST_CASE("ListenFds without names calls every socket unknown, and keeps "
          "the variables when asked to") {
  net::Socket tcp = Listen(net::AddressFamily::kIPv4);
  ChildSpec spec;
  spec.args = {"list", "keep"};
  spec.fds = {{3, Fd(tcp)}};
  spec.env = {"LISTEN_FDS=1"};
  spec.listen_pid_self = true;
  Child child(spec);
  const pid_t pid = child.pid();
  REQUIRE_EQ(child.Finish(), 0);
  const std::string& out = child.output();
  INFO(out);
  CHECK(Has(out, "result ok 1"));
  CHECK(Has(out, "socket fd=3 name=unknown family=ipv4 type=stream cloexec=1"));
  CHECK(Has(out, absl::StrCat("env LISTEN_PID=", pid, " LISTEN_FDS=1 LISTEN_FDNAMES=-")));
}

TEST_CASE("a LISTEN_PID of another process adopts nothing and leaves the "
          "descriptors alone") {
  net::Socket tcp = Listen(net::AddressFamily::kIPv4);
  ChildSpec spec;
  spec.args = {"list"};
  spec.fds = {{3, Fd(tcp)}};
  // This test process's pid: the variables were meant for the parent.
  spec.env = {absl::StrCat("LISTEN_PID=", getpid()), "LISTEN_FDS=1",
              "LISTEN_FDNAMES=a"};
  const std::string out = Run(spec);
  INFO(out);
  CHECK(Has(out, "result ok 0"));
  CHECK(Has(out, "after fd 3 open=1 cloexec=0"));  // untouched
  CHECK(Has(out, kUnset));  // not for us, and not for our children either

  SUBCASE("no LISTEN_PID at all is no activation") {
    ChildSpec none;
    none.args = {"list"};
    none.fds = {{3, Fd(tcp)}};
    none.env = {"LISTEN_FDS=1"};
    const std::string out2 = Run(none);
    INFO(out2);
    CHECK(Has(out2, "result ok 0"));
    CHECK(Has(out2, "after fd 3 open=1 cloexec=0"));
  }
}

TEST_CASE("a LISTEN_FDNAMES count mismatch is an error, and nothing is "
          "adopted or closed") {
  net::Socket a = Listen(net::AddressFamily::kIPv4);
  net::Socket b = Listen(net::AddressFamily::kIPv4);
  for (const char* names : {"a", "a:b:c", "", "a:b:"}) {
    CAPTURE(names);
    ChildSpec spec;
    spec.args = {"list"};
    spec.fds = {{3, Fd(a)}, {4, Fd(b)}};
    spec.env = {"LISTEN_FDS=2", absl::StrCat("LISTEN_FDNAMES=", names)};
    spec.listen_pid_self = true;
    const std::string out = Run(spec);
    INFO(out);
    const std::string result = Line(out, "result ");
    CHECK(absl::StartsWith(result, "result error INVALID_ARGUMENT"));
    CHECK(absl::StrContains(result, "LISTEN_FDNAMES"));
    CHECK(absl::StrContains(result, "LISTEN_FDS=2"));
    CheckBothOpenAndUnset(out, false);
  }
}

TEST_CASE("a descriptor in the LISTEN_FDS range that is not a socket, or "
          "not open, is an error naming it") {
  net::Socket tcp = Listen(net::AddressFamily::kIPv4);
  Pipe not_socket;
  struct Case {
    std::vector<std::pair<int, int>> fds;
    const char* count;
    const char* says;
  };
  const Case cases[] = {
      {{{3, not_socket.fds[0]}}, "1", "descriptor 3 is not a socket (a pipe or fifo)"},
      {{{3, Fd(tcp)}, {4, not_socket.fds[0]}}, "2",
       "descriptor 4 is not a socket (a pipe or fifo)"},
      {{{3, Fd(tcp)}, {4, -1}}, "2", "descriptor 4 is not open"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.says);
    ChildSpec spec;
    spec.args = {"list"};
    spec.fds = c.fds;
    spec.env = {absl::StrCat("LISTEN_FDS=", c.count)};
    spec.listen_pid_self = true;
    const std::string out = Run(spec);
    INFO(out);
    const std::string result = Line(out, "result ");
    CHECK(absl::StartsWith(result, "result error INVALID_ARGUMENT"));
    CHECK(absl::StrContains(result, c.says));
    // The socket before the bad one was neither adopted nor changed.
    CHECK(Has(out, "after fd 3 open=1 cloexec=0"));
  }
}

// In this process: the garbage cases fail before any descriptor is looked
// at, so the test's own descriptors 3 and up are safe.
class ScopedEnvironment {
 public:
  ScopedEnvironment(const char* pid, const char* fds, const char* names) {
    Set("LISTEN_PID", pid);
    Set("LISTEN_FDS", fds);
    Set("LISTEN_FDNAMES", names);
  }
  ~ScopedEnvironment() {
    unsetenv("LISTEN_PID");
    unsetenv("LISTEN_FDS");
    unsetenv("LISTEN_FDNAMES");
  }

 private:
  static void Set(const char* name, const char* value) {
    if (value == nullptr) {
      unsetenv(name);
    } else {
      setenv(name, value, 1);
    }
  }
};

TEST_CASE("garbage LISTEN_FDS and LISTEN_PID values are invalid arguments "
          "naming the variable, and the variables are cleared") {
  const std::string self = absl::StrCat(getpid());
  const int before = OpenDescriptorCount();
  const std::string long_value(5000, '7');
  struct Case {
    std::string pid;
    std::string fds;
    const char* variable;
  };
  const Case cases[] = {
      {self, "", "LISTEN_FDS"},
      {self, "abc", "LISTEN_FDS"},
      {self, "-1", "LISTEN_FDS"},
      {self, "0", "LISTEN_FDS"},
      {self, "+2", "LISTEN_FDS"},
      {self, " 2", "LISTEN_FDS"},
      {self, "2 ", "LISTEN_FDS"},
      {self, "2x", "LISTEN_FDS"},
      {self, "0x2", "LISTEN_FDS"},
      {self, "2147483645", "LISTEN_FDS"},  // INT_MAX - 2: past the last fd
      {self, "99999999999999999999999", "LISTEN_FDS"},
      {self, long_value, "LISTEN_FDS"},
      {"", "1", "LISTEN_PID"},
      {"abc", "1", "LISTEN_PID"},
      {"0", "1", "LISTEN_PID"},
      {"-5", "1", "LISTEN_PID"},
      {"2147483648", "1", "LISTEN_PID"},
      {"99999999999999999999999", "1", "LISTEN_PID"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.pid);
    CAPTURE(c.fds.substr(0, 50));
    ScopedEnvironment env(c.pid.c_str(), c.fds.c_str(), "a");
    absl::StatusOr<std::vector<net::ActivatedSocket>> fds = net::ListenFds();
    REQUIRE_FALSE(fds.ok());
    CHECK_EQ(fds.status().code(), absl::StatusCode::kInvalidArgument);
    const std::string message(fds.status().message());
    CAPTURE(message);
    // The value's own complaint (quoted), not a later check's.
    const std::string& value = c.variable == std::string("LISTEN_PID") ? c.pid : c.fds;
    CHECK(absl::StrContains(
        message, absl::StrCat(c.variable, "=\"", value.substr(0, 40), "\"")));
    CHECK(absl::StrContains(message, "whole decimal number"));
    CHECK(message.size() < 200);  // a long value is quoted in part only
    CHECK(getenv("LISTEN_PID") == nullptr);
    CHECK(getenv("LISTEN_FDS") == nullptr);
    CHECK(getenv("LISTEN_FDNAMES") == nullptr);
  }
  if (before >= 0) CHECK_EQ(OpenDescriptorCount(), before);

  SUBCASE("the largest count is still a number: it fails on the descriptors") {
    ScopedEnvironment env(self.c_str(), "2147483644", nullptr);
    absl::StatusOr<std::vector<net::ActivatedSocket>> fds = net::ListenFds();
    REQUIRE_FALSE(fds.ok());
    CHECK(absl::StrContains(fds.status().message(), "descriptor"));
    CHECK_FALSE(absl::StrContains(fds.status().message(), "whole decimal"));
  }
}

TEST_CASE("inetd nowait: the connected socket at descriptor 0 is adopted "
          "and carries the conversation") {
  auto [client, server] = TcpPair();
  ChildSpec spec;
  spec.args = {"inetd"};
  spec.fds = {{0, Fd(server)}};
  Child child(spec);
  REQUIRE(child.started());
  NET_REQUIRE_OK(server.Close());
  std::string got;
  char buffer[64];
  for (int i = 0; i < 20 && !absl::EndsWith(got, "\n"); ++i) {
    absl::StatusOr<bool> ready = client.WaitReadable(absl::Seconds(5));
    NET_REQUIRE_OK(ready);
    REQUIRE(*ready);
    absl::StatusOr<net::IoResult> r = client.Receive(absl::MakeSpan(buffer));
    NET_REQUIRE_OK(r);
    if (r->end_of_stream()) break;
    got.append(buffer, r->bytes());
  }
  CHECK_EQ(got, "inetd ipv4 stream\n");
  REQUIRE_EQ(child.Finish(), 0);
  INFO(child.output());
  CHECK(Has(child.output(), "socket fd=0 name=inetd family=ipv4 type=stream cloexec=1"));
}

TEST_CASE("inetd wait: the listening socket at descriptor 0 serves through "
          "Listener::Adopt") {
  net::Socket listener = Listen(net::AddressFamily::kIPv4);
  const net::SocketAddress where = LocalAddressOf(listener);
  ChildSpec spec;
  spec.args = {"inetd"};
  spec.fds = {{0, Fd(listener)}};
  Child child(spec);
  REQUIRE(child.started());
  NET_REQUIRE_OK(listener.Close());
  net::Socket client = OpenSocket();
  NET_REQUIRE_OK(client.Connect(where, absl::Seconds(5)));
  CHECK_EQ(ReceiveExactly(client, 10), "inetd-wait");
  REQUIRE_EQ(child.Finish(), 0);
  INFO(child.output());
  CHECK(Has(child.output(), "served inetd-wait"));
}

TEST_CASE("InetdSocket refuses a standard input that is not a socket") {
  Pipe not_socket;
  ChildSpec spec;
  spec.args = {"inetd"};
  spec.fds = {{0, not_socket.fds[0]}};
  std::string out = Run(spec);
  INFO(out);
  std::string result = Line(out, "result ");
  CHECK(absl::StartsWith(result, "result error INVALID_ARGUMENT"));
  CHECK(absl::StrContains(result, "descriptor 0 is not a socket"));

  ChildSpec closed;
  closed.args = {"inetd"};
  closed.fds = {{0, -1}};
  out = Run(closed);
  result = Line(out, "result ");
  CHECK(absl::StartsWith(result, "result error INVALID_ARGUMENT"));
  CHECK(absl::StrContains(result, "descriptor 0 is not open"));
}

#if defined(NET_PROBE_PATH)
TEST_CASE("net-probe --listen-fds shows the sockets it was handed") {
  net::Socket tcp = Listen(net::AddressFamily::kIPv4);
  net::Socket udp = Listen(net::AddressFamily::kIPv4, net::SocketType::kDatagram);
  ChildSpec spec;
  spec.program = NET_PROBE_PATH;
  spec.args = {"--listen-fds"};
  spec.fds = {{3, Fd(tcp)}, {4, Fd(udp)}};
  spec.env = {"LISTEN_FDS=2", "LISTEN_FDNAMES=http:dns"};
  spec.listen_pid_self = true;
  const std::string out = Run(spec);
  INFO(out);
  CHECK(absl::StartsWith(out, "net-probe: sockets handed to this process\n"));
  CHECK(absl::StrContains(out, "2 sockets"));
  const std::string http = Line(out, "  3 ");
  CHECK(absl::StrContains(http, "http"));
  CHECK(absl::StrContains(http, "ipv4"));
  CHECK(absl::StrContains(http, "stream"));
  CHECK(absl::StrContains(http, LocalAddressOf(tcp).ToString()));
  const std::string dns = Line(out, "  4 ");
  CHECK(absl::StrContains(dns, "dns"));
  CHECK(absl::StrContains(dns, "datagram"));
  CHECK(absl::StrContains(dns, LocalAddressOf(udp).ToString()));
}
#endif

}  // namespace
}  // namespace net_test
