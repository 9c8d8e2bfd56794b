// Copyright 2026 The net Authors.
//
// Forked children and throwaway network namespaces for the POSIX tests; see
// netns_util.h. Linux only for the namespace part (unshare(2)); the build
// compiles tests/posix/ on every POSIX system, so the namespace code is in
// one `#if` below that answers kUnavailable elsewhere.

#include "tests/posix/netns_util.h"

#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__linux__)
#include <sched.h>
#include <sys/mount.h>
#endif

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/cord.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "tests/posix/subprocess.h"
#include "tests/test_util.h"

extern char** environ;

namespace net_test {
namespace {

// Reads `fd` until EOF (or a read error) or `deadline`. Returns false on
// timeout.
bool ReadAll(int fd, absl::Time deadline, std::string* out) {
  char buffer[4096];
  for (;;) {
    absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) return false;
    pollfd p = {fd, POLLIN, 0};
    int ms = static_cast<int>(absl::ToInt64Milliseconds(left)) + 1;
    int ready = poll(&p, 1, ms);
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) return true;
    if (ready == 0) continue;  // the deadline check above ends the loop
    ssize_t n = read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return true;
    out->append(buffer, static_cast<std::size_t>(n));
  }
}

void WriteAll(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += static_cast<std::size_t>(n);
  }
}

// argv[0] as a path: itself if it has a '/', else the first executable of
// that name in PATH or the sbin directories (which a non-login root shell's
// PATH may lack).
std::string FindExecutable(const std::string& name) {
  if (name.find('/') != std::string::npos) return name;
  const char* path = std::getenv("PATH");
  std::string dirs = absl::StrCat(path != nullptr ? path : "",
                                  ":/usr/local/sbin:/usr/sbin:/sbin");
  for (absl::string_view dir : absl::StrSplit(dirs, ':', absl::SkipEmpty())) {
    std::string candidate = absl::StrCat(dir, "/", name);
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

#if defined(__linux__)
// Brings `lo` up in the current namespace: SIOCGIFFLAGS, set IFF_UP,
// SIOCSIFFLAGS.
absl::Status BringLoopbackUp() {
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return absl::InternalError(
        absl::StrCat("socket for SIOCSIFFLAGS: ", ErrnoText(errno)));
  }
  ifreq request;
  std::memset(&request, 0, sizeof request);
  std::snprintf(request.ifr_name, sizeof request.ifr_name, "%s", "lo");
  absl::Status status;
  if (ioctl(fd, SIOCGIFFLAGS, &request) != 0) {
    status = absl::InternalError(
        absl::StrCat("ioctl(SIOCGIFFLAGS, lo): ", ErrnoText(errno)));
  } else {
    request.ifr_flags = static_cast<short>(request.ifr_flags | IFF_UP);
    if (ioctl(fd, SIOCSIFFLAGS, &request) != 0) {
      status = absl::InternalError(
          absl::StrCat("ioctl(SIOCSIFFLAGS, lo up): ", ErrnoText(errno)));
    }
  }
  close(fd);
  return status;
}

// Installs `rules` with `program`; on the first refusal returns the
// command and its output.
absl::Status InstallRules(const std::string& program,
                          const std::vector<std::vector<std::string>>& rules) {
  for (const std::vector<std::string>& rule : rules) {
    std::vector<std::string> argv = {program, "-w", "3"};
    argv.insert(argv.end(), rule.begin(), rule.end());
    std::string output;
    int code = RunCommand(argv, &output);
    if (code != 0) {
      return absl::UnavailableError(
          absl::StrCat("`", absl::StrJoin(argv, " "), "` failed (exit ", code,
                       "): ", absl::StripAsciiWhitespace(output)));
    }
  }
  return absl::OkStatus();
}
#endif  // defined(__linux__)

}  // namespace

std::string ChildResult::Describe() const {
  if (exited) return absl::StrCat("exited with ", exit_code);
  return absl::StrCat("killed by signal ", signal, " (", strsignal(signal),
                      ")");
}

int RunCommand(const std::vector<std::string>& argv, std::string* output) {
  output->clear();
  if (argv.empty()) {
    *output = "empty command";
    return -1;
  }
  std::string path = FindExecutable(argv[0]);
  if (path.empty()) {
    *output = absl::StrCat(argv[0], ": not found in PATH or the sbin dirs");
    return -1;
  }
  int pipe_fds[2];
  if (!MakePipe(pipe_fds)) {
    *output = absl::StrCat("pipe: ", ErrnoText(errno));
    return -1;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDERR_FILENO);
  std::vector<char*> args;
  for (const std::string& a : argv)
    args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  int error =
      posix_spawn(&pid, path.c_str(), &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_fds[1]);
  if (error != 0) {
    close(pipe_fds[0]);
    *output = absl::StrCat("posix_spawn ", path, ": ", ErrnoText(error));
    return -1;
  }
  ReadAll(pipe_fds[0], absl::Now() + absl::Seconds(30), output);
  close(pipe_fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  absl::StrAppend(output, " [killed by signal ", WTERMSIG(status), "]");
  return 128 + WTERMSIG(status);
}

absl::StatusOr<ChildResult> RunInChildProcess(
    const std::function<std::string()>& body, absl::Duration timeout) {
  int pipe_fds[2];
  if (!MakePipe(pipe_fds)) {
    return absl::InternalError(absl::StrCat("pipe: ", ErrnoText(errno)));
  }
  // Nothing buffered may be written twice (once by each process).
  std::fflush(nullptr);
  pid_t pid = fork();
  if (pid < 0) {
    int error = errno;
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    return absl::InternalError(absl::StrCat("fork: ", ErrnoText(error)));
  }
  if (pid == 0) {
    close(pipe_fds[0]);
    // A doctest REQUIRE in the body throws; it must not unwind into the
    // parent's copy of the test runner, which would go on running tests.
    int code = 0;
    try {
      WriteAll(pipe_fds[1], body());
    } catch (...) {
      WriteAll(pipe_fds[1], "[child body threw: an assertion failed in it]");
      code = 70;
    }
    close(pipe_fds[1]);
    std::fflush(nullptr);
    _exit(code);  // not exit(): the parent's atexit handlers stay out
  }
  close(pipe_fds[1]);
  ChildResult result;
  bool finished = ReadAll(pipe_fds[0], absl::Now() + timeout, &result.output);
  close(pipe_fds[0]);
  if (!finished) kill(pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!finished) {
    return absl::DeadlineExceededError(absl::StrCat(
        "child ", pid, " did not finish within ", absl::FormatDuration(timeout),
        "; killed. Output so far: ", result.output));
  }
  if (WIFEXITED(status)) {
    result.exited = true;
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
  }
  return result;
}

absl::StatusOr<std::string> EnterNetworkNamespace(const NetnsSetup& setup) {
#if defined(__linux__)
  if (unshare(CLONE_NEWNET) != 0) {
    int error = errno;
    std::string why =
        geteuid() != 0
            ? absl::StrCat("not root (euid ", geteuid(),
                           "): creating a network namespace needs "
                           "CAP_SYS_ADMIN")
            : "this kernel or container refuses new network namespaces";
    return absl::UnavailableError(
        absl::StrCat("unshare(CLONE_NEWNET): ", ErrnoText(error), "; ", why));
  }
  if (absl::Status s = BringLoopbackUp(); !s.ok()) return s;
  if (setup.iptables.empty() && setup.ip6tables.empty()) return std::string();

  std::vector<std::string> flavours;
  if (const char* forced = std::getenv("NET_TEST_IPTABLES");
      forced != nullptr && *forced != '\0') {
    flavours.push_back(forced);
  } else {
    flavours = {"iptables", "iptables-legacy"};
  }
  std::vector<std::string> refusals;
  for (const std::string& v4 : flavours) {
    if (FindExecutable(v4).empty()) {
      refusals.push_back(absl::StrCat(v4, ": not installed"));
      continue;
    }
    // ip6tables of the same flavour: iptables-legacy -> ip6tables-legacy.
    std::string v6 = absl::StrCat(
        "ip6", absl::StripPrefix(v4.substr(v4.rfind('/') + 1), "ip"));
    absl::Status s = InstallRules(v4, setup.iptables);
    if (s.ok()) s = InstallRules(v6, setup.ip6tables);
    if (s.ok()) {
      std::string version;
      RunCommand({v4, "-V"}, &version);
      return std::string(absl::StripAsciiWhitespace(version));
    }
    refusals.push_back(std::string(s.message()));
    // Undo what this flavour installed before trying the next one.
    std::string ignored;
    RunCommand({v4, "-w", "3", "-F"}, &ignored);
    if (!setup.ip6tables.empty()) RunCommand({v6, "-w", "3", "-F"}, &ignored);
  }
  return absl::UnavailableError(absl::StrCat(
      "no iptables flavour could install the rules in the namespace: ",
      absl::StrJoin(refusals, "; ")));
#else
  (void)setup;
  return absl::UnavailableError(
      "network namespaces are Linux only (unshare(CLONE_NEWNET))");
#endif
}

// "<code>\t<message>[\t<payload url>\t<payload>]...", each field
// C-escaped (which escapes tabs and newlines).
std::string StatusToText(const absl::Status& status) {
  std::string text = absl::StrCat(static_cast<int>(status.code()), "\t",
                                  absl::CEscape(status.message()));
  status.ForEachPayload(
      [&text](absl::string_view url, const absl::Cord& payload) {
        absl::StrAppend(&text, "\t", absl::CEscape(url), "\t",
                        absl::CEscape(std::string(payload)));
      });
  return text;
}

absl::Status StatusFromText(absl::string_view text) {
  std::vector<std::string> fields;
  bool escaped_well = true;
  for (absl::string_view field : absl::StrSplit(text, '\t')) {
    fields.emplace_back();
    escaped_well = escaped_well && absl::CUnescape(field, &fields.back());
  }
  int code = 0;
  if (!escaped_well || fields.size() % 2 != 0 ||
      !absl::SimpleAtoi(fields[0], &code) || code < 0 ||
      code > static_cast<int>(absl::StatusCode::kUnauthenticated)) {
    return absl::InternalError(
        absl::StrCat("not a status from StatusToText(): \"", text, "\""));
  }
  absl::Status status(static_cast<absl::StatusCode>(code), fields[1]);
  for (std::size_t i = 2; i + 1 < fields.size(); i += 2) {
    status.SetPayload(fields[i], absl::Cord(fields[i + 1]));
  }
  return status;
}

absl::Status UsePrivateHostsFile(absl::string_view content) {
#if defined(__linux__)
  if (unshare(CLONE_NEWNS) != 0) {
    return absl::UnavailableError(
        absl::StrCat("unshare(CLONE_NEWNS): ", ErrnoText(errno)));
  }
  // Without this a bind mount under a shared `/` would show on the host.
  if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
    return absl::UnavailableError(
        absl::StrCat("mount(/, MS_REC | MS_PRIVATE): ", ErrnoText(errno)));
  }
  char path[] = "/tmp/net-test-hosts-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) {
    return absl::UnavailableError(
        absl::StrCat("mkstemp(", path, "): ", ErrnoText(errno)));
  }
  WriteAll(fd, std::string(content));
  close(fd);
  absl::Status status;
  if (mount(path, "/etc/hosts", nullptr, MS_BIND, nullptr) != 0) {
    status = absl::UnavailableError(
        absl::StrCat("mount --bind ", path, " /etc/hosts: ", ErrnoText(errno)));
  }
  unlink(path);  // the mount keeps the file while this namespace lives
  return status;
#else
  (void)content;
  return absl::UnavailableError(
      "private mount namespaces are Linux only (unshare(CLONE_NEWNS))");
#endif
}

absl::StatusOr<NetnsRun> RunInNetworkNamespace(
    const NetnsSetup& setup, const std::function<std::string()>& body,
    absl::Duration timeout) {
  // The child answers "S<reason>" when it could not set up (skip), else
  // "O<iptables flavour>\n<body output>".
  absl::StatusOr<ChildResult> child = RunInChildProcess(
      [&setup, &body]() -> std::string {
        absl::StatusOr<std::string> entered = EnterNetworkNamespace(setup);
        if (!entered.ok()) {
          return absl::StrCat(absl::IsUnavailable(entered.status()) ? "S" : "E",
                              entered.status().message());
        }
        return absl::StrCat("O", *entered, "\n", body());
      },
      timeout);
  if (!child.ok()) return child.status();
  if (!child->exited || child->exit_code != 0) {
    return absl::InternalError(absl::StrCat(
        "namespace child ", child->Describe(), "; output: ", child->output));
  }
  absl::string_view out = child->output;
  if (absl::ConsumePrefix(&out, "S")) {
    return absl::UnavailableError(out);
  }
  if (absl::ConsumePrefix(&out, "E")) {
    return absl::InternalError(out);
  }
  if (!absl::ConsumePrefix(&out, "O")) {
    return absl::InternalError(
        absl::StrCat("namespace child sent garbage: ", child->output));
  }
  NetnsRun run;
  std::size_t newline = out.find('\n');
  run.iptables = std::string(out.substr(0, newline));
  run.output = std::string(out.substr(newline + 1));
  return run;
}

std::string Report(const std::string& label, absl::Duration elapsed,
                   const std::string& note, const absl::Status& status) {
  return absl::StrCat(label, "\t", absl::ToInt64Milliseconds(elapsed), "\t",
                      note, "\t", StatusToText(status), "\n");
}

std::vector<std::vector<std::string>> SplitReportLines(absl::string_view text,
                                                       int fields) {
  std::vector<std::vector<std::string>> out;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    std::vector<std::string> f =
        absl::StrSplit(line, absl::MaxSplits('\t', fields - 1));
    if (static_cast<int>(f.size()) == fields) out.push_back(std::move(f));
  }
  return out;
}

std::vector<ChildReport> ParseReports(const std::string& text) {
  std::vector<ChildReport> out;
  for (const std::vector<std::string>& f : SplitReportLines(text, 4)) {
    ChildReport seen;
    seen.label = f[0];
    (void)absl::SimpleAtoi(f[1], &seen.elapsed_ms);
    seen.note = f[2];
    seen.status = StatusFromText(f[3]);
    out.push_back(std::move(seen));
  }
  return out;
}

bool RunReporting(const NetnsSetup& setup,
                  const std::function<std::string()>& body,
                  absl::Duration timeout, std::vector<ChildReport>* seen,
                  std::string* skip) {
  absl::StatusOr<NetnsRun> run = RunInNetworkNamespace(setup, body, timeout);
  if (absl::IsUnavailable(run.status())) {
    *skip = std::string(run.status().message());
    return false;
  }
  NET_REQUIRE_OK(run);
  if (!run->iptables.empty()) {
    MESSAGE("namespace rules installed with: ", run->iptables);
  }
  *seen = ParseReports(run->output);
  for (const ChildReport& s : *seen) {
    MESSAGE(s.label, " after ", s.elapsed_ms, " ms, ", s.note, ": ", s.status);
    if (s.label == "skip" || absl::EndsWith(s.label, ":skip")) {
      *skip = std::string(s.status.message());
      return false;
    }
  }
  return true;
}

}  // namespace net_test
