// Copyright 2026 The net Authors.
//
// `openssl s_server` / `s_client` children for the TLS tests; see
// openssl_peer.h. fork + exec rather than posix_spawn: the child must set
// PR_SET_PDEATHSIG (Linux) before exec, so that a test killed by ctest's
// timeout leaves no server listening behind it. Between fork and exec the
// child calls only async-signal-safe functions (the test process has
// threads); everything it needs is prepared before the fork.

#include "tests/tls/openssl_peer.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__linux__)
#include <sys/prctl.h>
#endif

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "tests/posix/subprocess.h"

extern char** environ;

namespace net_test {
namespace {

void CloseFd(int& fd) {
  if (fd >= 0) close(fd);
  fd = -1;
}

// The first executable `name` in PATH, or "".
std::string FindInPath(const std::string& name) {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return "";
  for (absl::string_view dir : absl::StrSplit(path, ':', absl::SkipEmpty())) {
    std::string candidate = absl::StrCat(dir, "/", name);
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

std::string Stdbuf() {
  if (access("/usr/bin/stdbuf", X_OK) == 0) return "/usr/bin/stdbuf";
  return FindInPath("stdbuf");
}

bool IsLoopbackHost(const std::string& host) {
  return host == "127.0.0.1" || host == "::1";
}

// "127.0.0.1:443", "[::1]:443".
std::string HostPort(const std::string& host, int port) {
  if (host.find(':') != std::string::npos) {
    return absl::StrCat("[", host, "]:", port);
  }
  return absl::StrCat(host, ":", port);
}

// An option of `args` that is not allowed there, or "".
std::string ForbiddenOption(const std::vector<std::string>& args,
                            const std::vector<std::string>& forbidden) {
  for (const std::string& arg : args) {
    for (const std::string& f : forbidden) {
      if (arg == f || arg == "-" + f) return arg;  // -accept, --accept
    }
  }
  return "";
}

// In the child, after fork: `fd` onto `target`, without close-on-exec.
void MoveFd(int fd, int target) {
  if (fd == target) {
    fcntl(fd, F_SETFD, 0);
  } else {
    dup2(fd, target);
  }
}

}  // namespace

absl::StatusOr<std::string> OpensslPath() {
  const char* env = std::getenv("NET_TEST_OPENSSL");
  if (env != nullptr && *env != '\0') {
    if (access(env, X_OK) == 0) return std::string(env);
    return absl::UnavailableError(
        absl::StrCat("openssl command line not found (NET_TEST_OPENSSL=", env,
                     " is not executable)"));
  }
  if (access("/usr/bin/openssl", X_OK) == 0)
    return std::string("/usr/bin/openssl");
  std::string found = FindInPath("openssl");
  if (!found.empty()) return found;
  return absl::UnavailableError(
      "openssl command line not found (not /usr/bin/openssl, not in PATH; "
      "apt-get install openssl)");
}

absl::Status OpensslAvailable() { return OpensslPath().status(); }

std::string ProcessResult::Describe() const {
  std::string how = exited ? absl::StrCat("exited with ", exit_code)
                           : absl::StrCat("killed by signal ", signal, " (",
                                          strsignal(signal), ")");
  if (timed_out) absl::StrAppend(&how, " after the timeout");
  return how;
}

absl::StatusOr<std::unique_ptr<OpensslProcess>> OpensslProcess::Start(
    const std::vector<std::string>& args) {
  std::unique_ptr<OpensslProcess> process(new OpensslProcess());
  absl::Status launched = process->Launch(args);
  if (!launched.ok()) return launched;
  return process;
}

absl::Status OpensslProcess::Launch(const std::vector<std::string>& args) {
  absl::StatusOr<std::string> openssl = OpensslPath();
  if (!openssl.ok()) return openssl.status();

  std::vector<std::string> argv;
  std::string stdbuf = Stdbuf();
  if (!stdbuf.empty()) {
    argv = {stdbuf, "-oL"};
    line_buffered_ = true;
  }
  argv.push_back(*openssl);
  argv.insert(argv.end(), args.begin(), args.end());
  command_ = absl::StrCat("openssl ", absl::StrJoin(args, " "));
  std::vector<char*> c_argv;
  for (std::string& a : argv) c_argv.push_back(a.data());
  c_argv.push_back(nullptr);

  // stdin, stdout, stderr, and one that reports a failed exec: it is
  // close-on-exec, so EOF without data means exec succeeded.
  int in[2], out[2], err[2], exec_error[2];
  int* pipes[] = {in, out, err, exec_error, wake_fds_};
  int made = 0;
  for (; made < 5; ++made) {
    if (!MakePipe(pipes[made])) break;
  }
  if (made < 5) {
    int error = errno;
    for (int i = 0; i < made; ++i) {
      CloseFd(pipes[i][0]);
      CloseFd(pipes[i][1]);
    }
    return absl::InternalError(absl::StrCat("pipe: ", ErrnoText(error)));
  }

  const pid_t parent = getpid();
  sigset_t no_signals;
  sigemptyset(&no_signals);
  struct sigaction default_action;
  std::memset(&default_action, 0, sizeof default_action);
  default_action.sa_handler = SIG_DFL;
  sigemptyset(&default_action.sa_mask);

  pid_t pid = fork();
  if (pid == 0) {
    // The child: async-signal-safe calls only.
#if defined(__linux__)
    // Killed when the thread that forked ends (the test died); if that
    // already happened, stop here.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
#endif
    sigprocmask(SIG_SETMASK, &no_signals, nullptr);
    sigaction(SIGPIPE, &default_action, nullptr);
    MoveFd(in[0], STDIN_FILENO);
    MoveFd(out[1], STDOUT_FILENO);
    MoveFd(err[1], STDERR_FILENO);
    execv(c_argv[0], c_argv.data());
    int error = errno;
    ssize_t ignored = write(exec_error[1], &error, sizeof error);
    (void)ignored;
    _exit(127);
  }
  int fork_error = errno;
  (void)parent;
  CloseFd(in[0]);
  CloseFd(out[1]);
  CloseFd(err[1]);
  CloseFd(exec_error[1]);
  stdin_fd_ = in[1];
  stdout_fd_ = out[0];
  stderr_fd_ = err[0];
  if (pid < 0) {
    CloseFd(exec_error[0]);
    return absl::InternalError(
        absl::StrCat("fork for ", command_, ": ", ErrnoText(fork_error)));
  }
  pid_ = pid;

  int exec_errno = 0;
  ssize_t n;
  do {
    n = read(exec_error[0], &exec_errno, sizeof exec_errno);
  } while (n < 0 && errno == EINTR);
  CloseFd(exec_error[0]);
  if (n == static_cast<ssize_t>(sizeof exec_errno)) {
    Reap(/*block=*/true);
    return absl::InternalError(absl::StrCat("exec ", argv[0], " for ", command_,
                                            ": ", ErrnoText(exec_errno)));
  }

  // Writes wait with poll() against a deadline.
  fcntl(stdin_fd_, F_SETFL, fcntl(stdin_fd_, F_GETFL) | O_NONBLOCK);
  reader_ = std::thread([this] { ReadOutput(); });
  return absl::OkStatus();
}

OpensslProcess::~OpensslProcess() {
  CloseStdin();
  if (pid_ > 0 && !Reap(/*block=*/false)) {
    Signal(SIGTERM);
    const absl::Time deadline = absl::Now() + absl::Seconds(2);
    while (!Reap(/*block=*/false) && absl::Now() < deadline) {
      absl::SleepFor(absl::Milliseconds(2));
    }
    Signal(SIGKILL);
    Reap(/*block=*/true);
  }
  if (reader_.joinable()) {
    // The output normally ends with the child; a grandchild could keep the
    // pipes open, so the reader is told to stop too.
    char stop = 's';
    ssize_t ignored = write(wake_fds_[1], &stop, 1);
    (void)ignored;
    reader_.join();
  }
  CloseFd(stdout_fd_);
  CloseFd(stderr_fd_);
  CloseFd(wake_fds_[0]);
  CloseFd(wake_fds_[1]);
}

void OpensslProcess::ReadOutput() {
  bool out_open = true;
  bool err_open = true;
  char buffer[4096];
  while (out_open || err_open) {
    pollfd fds[3] = {{out_open ? stdout_fd_ : -1, POLLIN, 0},
                     {err_open ? stderr_fd_ : -1, POLLIN, 0},
                     {wake_fds_[0], POLLIN, 0}};
    int ready = poll(fds, 3, -1);
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0 || fds[2].revents != 0) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].revents == 0) continue;
      ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
      if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      std::lock_guard<std::mutex> lock(mutex_);
      if (n <= 0) {
        (i == 0 ? out_open : err_open) = false;
      } else {
        (i == 0 ? out_ : err_).append(buffer, static_cast<std::size_t>(n));
        output_.append(buffer, static_cast<std::size_t>(n));
      }
      changed_.notify_all();
    }
  }
  std::lock_guard<std::mutex> lock(mutex_);
  output_ended_ = true;
  changed_.notify_all();
}

absl::Status OpensslProcess::Write(absl::string_view text,
                                   absl::Duration timeout) {
  std::lock_guard<std::mutex> lock(stdin_mutex_);
  if (stdin_fd_ < 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("stdin of ", command_, " is closed"));
  }
  // EPIPE without SIGPIPE, and without touching the process's disposition:
  // block it in this thread, and if the write raised it, take it back.
  sigset_t pipe_set, old_mask, pending;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_set, &old_mask);
  sigpending(&pending);
  const bool was_pending = sigismember(&pending, SIGPIPE) == 1;

  absl::Status status;
  const absl::Time deadline = absl::Now() + timeout;
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = write(stdin_fd_, text.data() + done, text.size() - done);
    if (n > 0) {
      done += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) {
      absl::Duration left = deadline - absl::Now();
      if (left <= absl::ZeroDuration()) {
        status = absl::DeadlineExceededError(
            absl::StrCat(command_, " did not read its stdin within ",
                         absl::FormatDuration(timeout)));
        break;
      }
      pollfd p = {stdin_fd_, POLLOUT, 0};
      poll(&p, 1, static_cast<int>(absl::ToInt64Milliseconds(left)) + 1);
      continue;
    }
    int error = errno;
    status = error == EPIPE
                 ? absl::UnavailableError(absl::StrCat(
                       command_, " no longer reads its stdin (it exited?)"))
                 : absl::InternalError(absl::StrCat("write to ", command_, ": ",
                                                    ErrnoText(error)));
    if (error == EPIPE && !was_pending) {
      sigpending(&pending);
      if (sigismember(&pending, SIGPIPE) == 1) {
        int taken;
        sigwait(&pipe_set, &taken);
      }
    }
    break;
  }
  pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
  return status;
}

void OpensslProcess::CloseStdin() {
  std::lock_guard<std::mutex> lock(stdin_mutex_);
  CloseFd(stdin_fd_);
}

bool OpensslProcess::WaitUntil(const std::function<bool()>& done,
                               absl::Duration timeout) const {
  std::unique_lock<std::mutex> lock(mutex_);
  const auto deadline =
      std::chrono::steady_clock::now() + absl::ToChronoNanoseconds(timeout);
  return changed_.wait_until(lock, deadline, done);
}

bool OpensslProcess::WaitForOutput(absl::string_view needle,
                                   absl::Duration timeout,
                                   std::size_t from) const {
  bool found = false;
  WaitUntil(
      [&] {
        found = from <= output_.size() &&
                absl::string_view(output_).substr(from).find(needle) !=
                    absl::string_view::npos;
        return found || output_ended_;
      },
      timeout);
  return found;
}

std::string OpensslProcess::stdout_text() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return out_;
}

std::string OpensslProcess::stderr_text() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return err_;
}

std::string OpensslProcess::output() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return output_;
}

bool OpensslProcess::Reap(bool block) {
  std::lock_guard<std::mutex> lock(wait_mutex_);
  if (reaped_ || pid_ <= 0) return true;
  int status = 0;
  pid_t got;
  do {
    got = waitpid(pid_, &status, block ? 0 : WNOHANG);
  } while (got < 0 && errno == EINTR);
  if (got == pid_) {
    reaped_ = true;
    status_ = status;
  } else if (got < 0) {
    reaped_ = true;  // ECHILD: someone else reaped it; nothing to wait for
    status_ = 0;
  }
  return reaped_;
}

void OpensslProcess::Signal(int sig) {
  std::lock_guard<std::mutex> lock(wait_mutex_);
  // Never signal a reaped pid: the number may belong to another process.
  if (!reaped_ && pid_ > 0) kill(pid_, sig);
}

bool OpensslProcess::Running() { return !Reap(/*block=*/false); }

ProcessResult OpensslProcess::Wait(absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (!Reap(/*block=*/false)) {
    if (absl::Now() >= deadline) {
      Signal(SIGKILL);
      {
        std::lock_guard<std::mutex> lock(wait_mutex_);
        if (!reaped_) timed_out_ = true;
      }
      Reap(/*block=*/true);
      break;
    }
    absl::SleepFor(absl::Milliseconds(2));
  }
  // The rest of the output (bounded: a grandchild could hold the pipes).
  WaitUntil([&] { return output_ended_; }, absl::Seconds(2));

  ProcessResult result;
  {
    std::lock_guard<std::mutex> lock(wait_mutex_);
    result.exited = WIFEXITED(status_);
    result.exit_code = result.exited ? WEXITSTATUS(status_) : -1;
    result.signal = WIFSIGNALED(status_) ? WTERMSIG(status_) : 0;
    result.timed_out = timed_out_;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  result.out = out_;
  result.err = err_;
  result.output = output_;
  return result;
}

absl::StatusOr<std::unique_ptr<OpensslServer>> OpensslServer::Start(
    const std::vector<std::string>& args, const std::string& host,
    absl::Duration timeout) {
  if (!IsLoopbackHost(host)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "OpensslServer listens on 127.0.0.1 or ::1 only, not \"", host, "\""));
  }
  std::string forbidden =
      ForbiddenOption(args, {"-accept", "-port", "-unix", "-connect"});
  if (!forbidden.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "OpensslServer chooses where s_server listens: no ", forbidden));
  }
  // -quiet and -brief send s_server's stdout to a null BIO
  // (apps/s_server.c), ACCEPT line included: the port would be unknown.
  forbidden = ForbiddenOption(args, {"-quiet", "-brief"});
  if (!forbidden.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("OpensslServer cannot learn the port of s_server ",
                     forbidden, ", which hides its ACCEPT line"));
  }
  std::vector<std::string> full = {"s_server", "-accept", HostPort(host, 0)};
  full.insert(full.end(), args.begin(), args.end());

  std::unique_ptr<OpensslServer> server(new OpensslServer());
  server->host_ = host;
  absl::Status launched = server->Launch(full);
  if (!launched.ok()) return launched;

  // "ACCEPT 127.0.0.1:40123\n" or "ACCEPT [::1]:40123\n", printed and
  // flushed right after listen() (apps/lib/s_socket.c,
  // report_server_accept()).
  int port = 0;
  bool ended = false;
  server->WaitUntil(
      [&] {
        const std::string& out = server->stdout_locked();
        std::size_t at = out.find("ACCEPT ");
        std::size_t eol =
            at == std::string::npos ? std::string::npos : out.find('\n', at);
        if (eol != std::string::npos) {
          std::string line = out.substr(at, eol - at);
          std::size_t colon = line.rfind(':');
          if (colon == std::string::npos ||
              !absl::SimpleAtoi(line.substr(colon + 1), &port)) {
            port = -1;  // an ACCEPT line this code does not understand
          }
          return true;
        }
        ended = server->output_ended_locked();
        return ended;
      },
      timeout);
  if (port > 0 && port < 65536) {
    server->port_ = port;
    return server;
  }
  std::string output = server->output();
  if (port < 0) {
    return absl::InternalError(
        absl::StrCat(server->command(), ": cannot read the port in: ", output));
  }
  if (ended) {
    return absl::InternalError(
        absl::StrCat(server->command(), " ended before listening: ", output));
  }
  return absl::DeadlineExceededError(
      absl::StrCat(server->command(), " did not listen within ",
                   absl::FormatDuration(timeout), "; output: ", output));
}

absl::StatusOr<std::unique_ptr<OpensslProcess>> OpensslClient::Start(
    int port, const std::vector<std::string>& args, const std::string& host) {
  if (!IsLoopbackHost(host)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "OpensslClient connects to 127.0.0.1 or ::1 only, not \"", host, "\""));
  }
  if (port < 1 || port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("OpensslClient: bad port ", port));
  }
  std::string forbidden = ForbiddenOption(
      args, {"-connect", "-host", "-port", "-proxy", "-unix", "-accept"});
  if (!forbidden.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "OpensslClient chooses where s_client connects: no ", forbidden));
  }
  std::vector<std::string> full = {"s_client", "-connect",
                                   HostPort(host, port)};
  full.insert(full.end(), args.begin(), args.end());
  return OpensslProcess::Start(full);
}

absl::StatusOr<ProcessResult> OpensslClient::Run(
    int port, const std::vector<std::string>& args,
    absl::string_view stdin_data, absl::Duration timeout,
    const std::string& host) {
  const absl::Time deadline = absl::Now() + timeout;
  absl::StatusOr<std::unique_ptr<OpensslProcess>> client =
      Start(port, args, host);
  if (!client.ok()) return client.status();
  if (!stdin_data.empty()) {
    // A client that already gave up (a failed handshake) no longer reads:
    // that is in its result, not an error here.
    (void)(*client)->Write(stdin_data, timeout);
  }
  (*client)->CloseStdin();
  return (*client)->Wait(deadline - absl::Now());
}

}  // namespace net_test
