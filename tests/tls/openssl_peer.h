// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: tests/tls/openssl_peer.h
// -----------------------------------------------------------------------------
//
// Real TLS peers for the tests (POSIX only): `openssl s_server` and
// `openssl s_client` as child processes, on loopback only.
//
//   * `OpensslProcess`: one running `openssl` command with its stdin, stdout
//     and stderr on pipes. A thread drains the output as it comes (the child
//     never blocks on a full pipe); a test writes to stdin, waits for text
//     with a bounded wait, and reads what was printed so far. The destructor
//     ends the child (SIGTERM, then SIGKILL) and reaps it.
//   * `OpensslServer`: `s_server -accept 127.0.0.1:0` (or `[::1]:0`) that has
//     said which port it took and is listening.
//   * `OpensslClient`: `s_client -connect 127.0.0.1:<port>`, run to the end
//     (`Run()`) or kept running (`Start()`).
//
// What OpenSSL 3.0's tools do (measured with 3.0.19; fixture_test.cc checks
// the parts the tests rely on):
//
//   * s_server prints "ACCEPT 127.0.0.1:<port>" once it listens; that is how
//     the port of `-accept 127.0.0.1:0` is learnt.
//   * Plain mode (no -www/-rev): what the client sends is written to the
//     server's stdout as it arrives, and the server's stdin lines go to the
//     client (and the other way round for s_client). `-rev` echoes each line
//     reversed; `-www` answers "GET /" with a status page and closes.
//   * Both read stdin in chunks (what one read() returns), and the first
//     byte of a chunk can make it a command, not data. s_server (unless
//     -quiet or -brief): "Q..." ends the server and "q..." the connection,
//     whatever follows; "R\n"/"r\n" asks for a TLS 1.2 renegotiation
//     (HelloRequest; "R" also asks for a client certificate); "K\n"/"k\n"
//     sends a TLS 1.3 KeyUpdate (update requested / not); "c\n" a TLS 1.3
//     post-handshake certificate request. Each prints
//     "SSL_do_handshake -> <n>"; a command for the wrong version (R under
//     TLS 1.3, K under 1.2) does nothing but leave an error ("wrong ssl
//     version") that is printed when the connection ends. s_client (unless
//     -ign_eof, -quiet or -nocommands): a chunk starting with "Q" quits, "R"
//     renegotiates
//     ("RENEGOTIATING" on stderr; s_server 3.0 refuses it with a
//     no_renegotiation alert unless -client_renegotiation), "K"/"k" sends a
//     KeyUpdate ("KEYUPDATE" on stderr); the rest of that chunk is dropped.
//     So write a command on its own and wait for its effect before writing
//     more, and never send data that starts with one of these letters.
//   * Closing: the end of s_client's stdin makes it send close_notify and
//     exit 0 ("DONE" on stderr), unless -ign_eof (implied by -quiet) is
//     given: then it waits for the server to close. s_server prints "DONE"
//     when the client closed cleanly and "ERROR" with OpenSSL's error
//     otherwise ("unexpected eof while reading" for an EOF without
//     close_notify). s_server's "q\n", and the end of its stdin while a
//     connection is open, close the socket without close_notify (a
//     truncation, s_client exits 1 with "unexpected eof while reading");
//     "q" keeps the server running, the end of stdin ends it.
//   * Verification: s_client prints "Verify return code: 0 (ok)" on stdout
//     after a verified handshake, "Verify return code: <n> (<reason>)"
//     otherwise, and "depth=.." / "verify error:num=<n>:<reason>" on
//     stderr; with -verify_return_error a failed verification ends the
//     handshake and the exit status is 1. It checks the name only with
//     -verify_hostname or -verify_ip. -brief moves the summary to stderr
//     ("Verification: OK") with no "Verify return code" line.
//   * Sessions: "New, TLSv1.3, Cipher is ..." or "Reused, TLSv1.3, ..." on
//     stdout. Under TLS 1.3 the ticket arrives after the handshake, so
//     `-sess_out` writes nothing if the client ends at once (stdin empty):
//     keep it running until the file exists; for the same reason
//     `-reconnect` is never "Reused" under TLS 1.3 (it is under 1.2).
//
// s_server writes part of its output with stdio's printf, which a pipe
// fully buffers; the child therefore runs under `stdbuf -oL` when coreutils
// has it (`line_buffered()` says), so that "SSL_do_handshake -> 1" is seen
// when it happens rather than at the next flush.
//
// On Linux the child is killed if the thread that started it ends
// (PR_SET_PDEATHSIG), so a test that dies or times out leaves no server
// behind: start peers from the test's own thread, not from a short-lived one.
//
// Example:
//
//   if (absl::Status s = net_test::OpensslAvailable(); !s.ok()) {
//     NET_SKIP(std::string(s.message()));
//   }
//   const net_test::TestPki& pki = net_test::GetTestPki();
//   auto server = net_test::OpensslServer::Start(
//       {"-cert", pki.leaf.cert_file, "-key", pki.leaf.key_file});
//   NET_REQUIRE_OK(server);
//   ... connect to 127.0.0.1:(*server)->port() with net ...
//   CHECK((*server)->WaitForOutput("hello", absl::Seconds(5)));

#ifndef NET_TESTS_TLS_OPENSSL_PEER_H_
#define NET_TESTS_TLS_OPENSSL_PEER_H_

#include <sys/types.h>

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace net_test {

// OpensslPath()
//
// The `openssl` program: $NET_TEST_OPENSSL if set, else /usr/bin/openssl,
// else the first `openssl` in PATH.
//
// Errors: kUnavailable "openssl command line not found (...)" when there is
// none; a test skips with that message.
absl::StatusOr<std::string> OpensslPath();

// OpensslAvailable()
//
// OK when `OpensslPath()` finds a program; its error otherwise.
absl::Status OpensslAvailable();

// How a finished child ended and what it printed.
struct ProcessResult {
  bool exited = false;     // exited normally (see exit_code)
  int exit_code = -1;      // the exit status when `exited`
  int signal = 0;          // the signal that ended it, when not `exited`
  bool timed_out = false;  // killed (SIGKILL) because its time was up
  std::string out;         // stdout
  std::string err;         // stderr
  std::string output;      // both, in the order they were read

  // "exited with 0", "killed by signal 9 (Killed) after the timeout".
  std::string Describe() const;
};

// OpensslProcess
//
// One running `openssl` child. Not copyable or movable (a thread reads its
// pipes); every method may be called from any thread.
class OpensslProcess {
 public:
  // OpensslProcess::Start()
  //
  // Runs `openssl <args...>` (no shell; args are passed as they are) with
  // stdin, stdout and stderr on pipes, the default SIGPIPE disposition and
  // no blocked signals. Does not wait for anything.
  //
  // Errors: kUnavailable when there is no openssl (OpensslPath()); kInternal
  // when pipe/fork/exec fail (exec failures are seen here, not later).
  static absl::StatusOr<std::unique_ptr<OpensslProcess>> Start(
      const std::vector<std::string>& args);

  OpensslProcess(const OpensslProcess&) = delete;
  OpensslProcess& operator=(const OpensslProcess&) = delete;
  // Closes stdin, sends SIGTERM, waits up to 2 s, then SIGKILLs; reaps.
  virtual ~OpensslProcess();

  pid_t pid() const { return pid_; }
  // The command line, for messages ("openssl s_server -accept ...").
  const std::string& command() const { return command_; }
  // True when the child's stdout is line-buffered through stdbuf(1).
  bool line_buffered() const { return line_buffered_; }

  // OpensslProcess::Write()
  //
  // Writes `text` to the child's stdin (blocking until the pipe takes it).
  // A lone command letter and "\n" is a command to s_server/s_client, not
  // data (see the file comment).
  //
  // Errors: kFailedPrecondition after CloseStdin(); kUnavailable when the
  // child no longer reads (EPIPE: it exited); kDeadlineExceeded if the pipe
  // stays full for `timeout`. Never raises SIGPIPE.
  absl::Status Write(absl::string_view text,
                     absl::Duration timeout = absl::Seconds(5));

  // Closes the child's stdin (s_client then closes its connection, unless
  // -ign_eof). Idempotent.
  void CloseStdin();

  // OpensslProcess::WaitForOutput()
  //
  // Waits until `needle` appears in `output()` at or after byte `from`,
  // `timeout` passes, or the child's output ends. Returns whether it
  // appeared. Take `output().size()` before a command to wait for new text
  // only.
  bool WaitForOutput(absl::string_view needle, absl::Duration timeout,
                     std::size_t from = 0) const;

  // What the child printed so far: stdout, stderr, and both in the order
  // they were read (the two are separate pipes, so lines written close
  // together may come in either order).
  std::string stdout_text() const;
  std::string stderr_text() const;
  std::string output() const;

  // OpensslProcess::Wait()
  //
  // Waits for the child to exit and its output to end. If `timeout` passes
  // first the child is killed (SIGKILL) and `timed_out` is set. The process
  // is reaped: later calls return the same result.
  ProcessResult Wait(absl::Duration timeout);

  // True while the child has not been seen to exit.
  bool Running();

 protected:
  OpensslProcess() = default;
  // Starts `openssl <args...>` in this object (see Start()).
  absl::Status Launch(const std::vector<std::string>& args);
  // Waits until `done()` (called with the output lock held) or `timeout`;
  // returns done().
  bool WaitUntil(const std::function<bool()>& done,
                 absl::Duration timeout) const;
  // Called with the output lock held, from WaitUntil()'s `done`.
  const std::string& stdout_locked() const { return out_; }
  bool output_ended_locked() const { return output_ended_; }

 private:
  // Sends `sig` unless the child was already reaped.
  void Signal(int sig);
  void ReadOutput();  // the reader thread
  // waitpid() without blocking (block = false) or until the child is gone;
  // true once it was reaped.
  bool Reap(bool block);

  pid_t pid_ = -1;
  std::string command_;
  bool line_buffered_ = false;
  int stdin_fd_ = -1;
  int stdout_fd_ = -1;
  int stderr_fd_ = -1;
  int wake_fds_[2] = {-1, -1};  // tells the reader to stop
  std::thread reader_;

  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::string out_, err_, output_;  // guarded by mutex_
  bool output_ended_ = false;       // guarded by mutex_

  std::mutex stdin_mutex_;  // one writer at a time; guards stdin_fd_
  std::mutex wait_mutex_;   // guards reaped_, status_
  bool reaped_ = false;
  int status_ = 0;
  bool timed_out_ = false;
};

// OpensslServer
//
// `openssl s_server -accept <host>:0 <args...>`, started and listening.
class OpensslServer : public OpensslProcess {
 public:
  // OpensslServer::Start()
  //
  // Starts the server on `host` ("127.0.0.1" or "::1"; nothing else) and
  // waits up to `timeout` for its "ACCEPT <host>:<port>" line, printed
  // once it listens. `args` are the other s_server options: "-cert",
  // "-key", "-tls1_2", "-naccept", "1", "-rev", ... (not -accept, -port,
  // -unix; not -quiet or -brief either: they hide the ACCEPT line).
  //
  // Errors: kUnavailable without openssl; kInvalidArgument for another host
  // or a listening, -quiet or -brief option in `args`; kDeadlineExceeded if no
  // ACCEPT line came in time, kInternal if it exited first (both with its
  // output).
  static absl::StatusOr<std::unique_ptr<OpensslServer>> Start(
      const std::vector<std::string>& args,
      const std::string& host = "127.0.0.1",
      absl::Duration timeout = absl::Seconds(5));

  // The port it listens on.
  int port() const { return port_; }
  // Its loopback address as given to Start().
  const std::string& host() const { return host_; }

 private:
  OpensslServer() = default;

  int port_ = 0;
  std::string host_;
};

// OpensslClient
//
// `openssl s_client -connect <host>:<port> <args...>`, on loopback only.
class OpensslClient {
 public:
  // OpensslClient::Run()
  //
  // Runs the client to the end: writes `stdin_data`, closes stdin, and
  // waits up to `timeout` for it to exit (then kills it; see
  // `ProcessResult::timed_out`). Without -ign_eof in `args` the client
  // closes the connection as soon as it has sent `stdin_data`.
  //
  // Errors: as Start(). A client that fails (exit status 1) is not an
  // error: the result says so.
  static absl::StatusOr<ProcessResult> Run(
      int port, const std::vector<std::string>& args,
      absl::string_view stdin_data, absl::Duration timeout,
      const std::string& host = "127.0.0.1");

  // OpensslClient::Start()
  //
  // Starts the client and returns at once, for tests that talk to it
  // (Write(), WaitForOutput(), CloseStdin(), Wait()).
  //
  // Errors: kUnavailable without openssl; kInvalidArgument for a host other
  // than "127.0.0.1" / "::1", a port outside 1..65535, or -connect, -host,
  // -port, -proxy or -unix in `args`; kInternal if it cannot be started.
  static absl::StatusOr<std::unique_ptr<OpensslProcess>> Start(
      int port, const std::vector<std::string>& args,
      const std::string& host = "127.0.0.1");
};

}  // namespace net_test

#endif  // NET_TESTS_TLS_OPENSSL_PEER_H_
