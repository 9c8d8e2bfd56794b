// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: tests/posix/netns_util.h
// -----------------------------------------------------------------------------
//
// Test plumbing for checks that must not touch the test process itself:
//
//   * `RunInChildProcess()` runs a function in a forked child, bounded in
//     time, and hands back the text it returned plus how the child ended (so
//     a test can see that a child was killed by SIGPIPE, for instance).
//   * `RunInNetworkNamespace()` does the same inside a fresh Linux network
//     namespace: only `lo`, brought up, with the iptables rules the caller
//     gives installed in that namespace alone. The host's network and
//     firewall are never touched, and the namespace disappears with the
//     child. Needs root (CAP_SYS_ADMIN for unshare, CAP_NET_ADMIN for the
//     rules); where that or iptables is unavailable, the status says why and
//     the test skips.
//
// The body runs in the child, after fork(): it must not use doctest
// assertions (their results would stay in the child). It reports what it saw
// as text, and the parent checks it. The shell twin of this file,
// scripts/in-netns.sh, runs any command (e.g. wine and a Windows test
// executable) in such a namespace.
//
// Example:
//
//   net_test::NetnsSetup setup;
//   setup.iptables = {{"-A", "OUTPUT", "-d", "127.0.0.2/32", "-j", "DROP"}};
//   absl::StatusOr<net_test::NetnsRun> run = net_test::RunInNetworkNamespace(
//       setup, [] { return std::string("what the body saw"); },
//       absl::Seconds(5));
//   if (absl::IsUnavailable(run.status())) {
//     NET_SKIP(std::string(run.status().message()));
//   }

#ifndef NET_TESTS_POSIX_NETNS_UTIL_H_
#define NET_TESTS_POSIX_NETNS_UTIL_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace net_test {

// How a child process ended and what its body returned.
struct ChildResult {
  bool exited = false;  // exited normally (see exit_code)
  int exit_code = -1;   // the exit status when `exited`
  int signal = 0;       // the signal that killed it, when not `exited`
  std::string output;   // the text the body returned (may be partial if killed)

  // "exited with 0", "killed by signal 13 (Broken pipe)".
  std::string Describe() const;
};

// RunInChildProcess()
//
// Forks. The child runs `body`, writes the returned text to a pipe and
// `_exit(0)`s without running the parent's atexit handlers (if `body`
// throws, as a failed doctest REQUIRE does, it `_exit(70)`s instead). The
// parent collects the text and the child's end. If `timeout` passes first, the
// child is killed with SIGKILL and the result is kDeadlineExceeded.
//
// Errors: kInternal if pipe/fork fail; kDeadlineExceeded on timeout.
absl::StatusOr<ChildResult> RunInChildProcess(
    const std::function<std::string()>& body, absl::Duration timeout);

// What the namespace gets before the body runs.
struct NetnsSetup {
  // IPv4 rules, each the arguments after the iptables program, e.g.
  // {"-A", "OUTPUT", "-d", "127.0.0.2/32", "-p", "tcp", "-j", "REJECT",
  //  "--reject-with", "icmp-host-unreachable"}.
  std::vector<std::vector<std::string>> iptables;
  // IPv6 rules, for ip6tables of the same flavour.
  std::vector<std::vector<std::string>> ip6tables;
};

// EnterNetworkNamespace()
//
// Moves the calling process into a new network namespace, brings `lo` up
// (ioctl SIOCSIFFLAGS, no `ip` needed) and installs `setup`'s rules with the
// first iptables flavour that accepts them: $NET_TEST_IPTABLES if set, else
// `iptables` (nf_tables on Debian 12), then `iptables-legacy`. Returns the
// flavour used (`iptables -V`'s answer, e.g. "iptables v1.8.9 (nf_tables)"),
// or "" when there were no rules.
//
// Call it only in a process of its own (`RunInChildProcess()`): there is no
// way back to the original namespace.
//
// Errors: kUnavailable, naming the reason, when this machine cannot do it:
// not root, unshare(CLONE_NEWNET) refused, no iptables program, or every
// flavour refused the rules (no nf_tables / ip_tables support). kInternal
// when `lo` cannot be brought up.
absl::StatusOr<std::string> EnterNetworkNamespace(const NetnsSetup& setup);

// The result of `RunInNetworkNamespace()`.
struct NetnsRun {
  std::string iptables;  // the flavour used, see EnterNetworkNamespace()
  std::string output;    // what the body returned
};

// RunInNetworkNamespace()
//
// `RunInChildProcess()` + `EnterNetworkNamespace()`: the body runs in a
// fresh namespace set up as `setup` says. The namespace, its rules and its
// sockets vanish when the child exits.
//
// Errors: kUnavailable (skip: the reason says why) from
// `EnterNetworkNamespace()`; kInternal when the child crashed or exited
// abnormally (the message says how); kDeadlineExceeded on timeout.
absl::StatusOr<NetnsRun> RunInNetworkNamespace(
    const NetnsSetup& setup, const std::function<std::string()>& body,
    absl::Duration timeout);

// StatusToText(), StatusFromText()
//
// A status across the fork: its code, message and payloads (so that
// `net::GetSocketError()` reads the same in the parent as in the child) as
// one line of text without a newline, and back. `StatusFromText()` of text
// that `StatusToText()` did not make is kInternal, quoting it.
std::string StatusToText(const absl::Status& status);
absl::Status StatusFromText(absl::string_view text);

// ChildReport, Report(), ParseReports()
//
// How a body tells the parent what it saw: one line per observation,
// "<label>\t<ms>\t<note>\t<status>", the status as `StatusToText()` makes
// it (so its SocketError and native code survive the fork). `Report()` makes
// a line; `ParseReports()` reads them back, passing over any line that is
// not one.
struct ChildReport {
  std::string label;
  int64_t elapsed_ms = -1;
  std::string note;
  absl::Status status;
};
std::string Report(const std::string& label, absl::Duration elapsed,
                   const std::string& note, const absl::Status& status);
std::vector<ChildReport> ParseReports(const std::string& text);

// RunReporting()
//
// The parent's side of `RunInNetworkNamespace()` for a body that reports
// with `Report()`: true with its reports parsed into `*seen`, each printed
// (doctest MESSAGE), and the iptables flavour used when there were rules.
// False, with the reason in `*skip` (the case skips), where this machine
// cannot make the namespace or the body reported one labelled "skip" (or
// "<anything>:skip"), the status's message saying why. Any other failure of
// the run fails the case (a doctest REQUIRE, in the parent).
bool RunReporting(const NetnsSetup& setup,
                  const std::function<std::string()>& body,
                  absl::Duration timeout, std::vector<ChildReport>* seen,
                  std::string* skip);

// SplitReportLines()
//
// The lines of `text` that have exactly `fields` tab-separated fields (the
// last may hold tabs), each split: the parsing half of any such report.
std::vector<std::vector<std::string>> SplitReportLines(absl::string_view text,
                                                       int fields);

// UsePrivateHostsFile()
//
// Gives the calling process a mount namespace of its own in which
// /etc/hosts reads `content` (a bind mount over it), so that names resolve
// to the addresses a test chooses, through the OS resolver, without
// touching the host's file. `/` is made private first: nothing propagates
// back. Call it only in a process of its own (`RunInChildProcess()`).
//
// Errors: kUnavailable, naming the reason, where this machine cannot do it
// (not Linux, not root, unshare(CLONE_NEWNS) or the mount refused).
absl::Status UsePrivateHostsFile(absl::string_view content);

// RunCommand()
//
// Runs `argv` (argv[0] looked up in PATH and the sbin directories) with
// posix_spawn, waits, and returns its exit status with stdout and stderr
// combined in `*output`. -1 if it could not be started (`*output` says why).
int RunCommand(const std::vector<std::string>& argv, std::string* output);

}  // namespace net_test

#endif  // NET_TESTS_POSIX_NETNS_UTIL_H_
