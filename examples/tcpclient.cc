// Copyright 2026 The net Authors.
//
// The classic blocking echo client (tcpclient.c) on net::Socket: reads its
// standard input line by line, sends each line, reads the echo of that line
// back and prints it on standard output.
//
//   tcpclient --connect HOST:PORT [--timeout SECONDS]
//
// HOST is a name (net::Resolve; each address is tried in turn) or an IP
// literal ([::1] for IPv6). At the end of standard input the client shuts
// down its write side (a last line without '\n' is sent before, and its
// echo read after: a line server echoes it when it sees the end) and reads
// until the server closes. Exits 0 if every line came back identical and
// nothing more came; 1 otherwise (what differed on stderr), or when the
// server cannot be reached, resets the connection or does not answer
// within --timeout seconds (default 30, per operation); 2 for a bad command
// line.

#include <cstddef>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "examples/classic.h"
#include "examples/flags.h"
#include "net/net.h"

namespace {

constexpr const char kProgram[] = "tcpclient";
constexpr const char kUsage[] =
    "usage: tcpclient --connect HOST:PORT [--timeout SECONDS]\n"
    "  --connect  the echo server (HOST a name or an IP literal, "
    "[::1]:7 for IPv6)\n"
    "  --timeout  give up on a connect, send or receive after this many "
    "seconds\n"
    "             (default 30)\n";

// The most mismatching lines reported one by one.
constexpr int kMaxReported = 3;

// Reads one line of `in` into `*line`, with its '\n' if it has one. False
// at the end of the input.
bool ReadLine(std::FILE* in, std::string* line) {
  line->clear();
  int c;
  while ((c = std::getc(in)) != EOF) {
    line->push_back(static_cast<char>(c));
    if (c == '\n') break;
  }
  return !line->empty();
}

// Lines from a blocking socket, each wait bounded by `timeout`.
class LineReader {
 public:
  LineReader(net::Socket& socket, absl::Duration timeout)
      : socket_(socket), timeout_(timeout) {}

  // The next line with its '\n', or the next `max` bytes if no '\n' comes
  // before; less at the end of the stream, and "" after it.
  absl::StatusOr<std::string> Read(std::size_t max) {
    for (;;) {
      const std::size_t newline = buffer_.find('\n');
      std::size_t take = 0;
      if (newline != std::string::npos && newline < max) {
        take = newline + 1;
      } else if (buffer_.size() >= max) {
        take = max;
      } else if (end_of_stream_) {
        take = buffer_.size();
      }
      if (take > 0 || end_of_stream_) {
        std::string line = buffer_.substr(0, take);
        buffer_.erase(0, take);
        return line;
      }
      NET_RETURN_IF_ERROR(Fill());
    }
  }

 private:
  absl::Status Fill() {
    NET_ASSIGN_OR_RETURN(bool readable, socket_.WaitReadable(timeout_));
    if (!readable) {
      return absl::DeadlineExceededError(absl::StrCat(
          "no answer from the server for ", absl::FormatDuration(timeout_)));
    }
    char chunk[64 * 1024];
    NET_ASSIGN_OR_RETURN(net::IoResult r,
                         socket_.Receive(absl::MakeSpan(chunk)));
    if (r.end_of_stream()) {
      end_of_stream_ = true;
    } else {
      buffer_.append(chunk, r.bytes());
    }
    return absl::OkStatus();
  }

  net::Socket& socket_;
  const absl::Duration timeout_;
  std::string buffer_;
  bool end_of_stream_ = false;
};

// Prints `text` on standard output as it came.
void Print(absl::string_view text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

// Runs the client; OK when every line came back identical.
absl::Status Run(const net_examples::Target& target, absl::Duration timeout) {
  NET_ASSIGN_OR_RETURN(std::vector<net::SocketAddress> addresses,
                       net_examples::Resolve(target));
  NET_ASSIGN_OR_RETURN(net::Socket socket,
                       net_examples::ConnectToAny(addresses, timeout));
  LineReader reader(socket, timeout);
  std::size_t lines = 0;
  int differing = 0;
  bool shut_down = false;
  std::string line;
  while (ReadLine(stdin, &line)) {
    ++lines;
    NET_RETURN_IF_ERROR(socket.SendAll(line, timeout));
    if (line.back() != '\n') {
      // The last line, without '\n': a line server echoes it at the end.
      NET_RETURN_IF_ERROR(socket.Shutdown(net::ShutdownMode::kWrite));
      shut_down = true;
    }
    NET_ASSIGN_OR_RETURN(std::string echo, reader.Read(line.size()));
    Print(echo);
    if (echo != line) {
      if (++differing <= kMaxReported) {
        std::fprintf(
            stderr, "%s: %s\n", kProgram,
            absl::StrCat("line ", lines, " came back different (", line.size(),
                         " bytes sent, ", echo.size(), " back)")
                .c_str());
      }
      if (echo.empty()) {
        return absl::DataLossError(absl::StrCat(
            "the server closed the connection after ", lines - 1, " lines"));
      }
    }
  }
  if (!shut_down) {
    NET_RETURN_IF_ERROR(socket.Shutdown(net::ShutdownMode::kWrite));
  }
  // Anything after the last echo is more than was sent.
  std::size_t extra = 0;
  for (;;) {
    NET_ASSIGN_OR_RETURN(std::string more, reader.Read(64 * 1024));
    if (more.empty()) break;
    Print(more);
    extra += more.size();
  }
  if (extra > 0) {
    return absl::DataLossError(absl::StrCat("the server sent ", extra,
                                            " bytes more than it was sent"));
  }
  if (differing > 0) {
    return absl::DataLossError(
        absl::StrCat(differing, " of ", lines, " lines came back different"));
  }
  return absl::OkStatus();
}

}  // namespace

int main(int argc, char** argv) {
  std::string connect;
  absl::Duration timeout = absl::Seconds(30);
  const std::optional<int> stop = net_examples::ParseFlags(
      argc, argv, kProgram, kUsage,
      [&](const std::string& name, const std::string& value) {
        if (name == "--connect") {
          connect = value;
          return absl::OkStatus();
        }
        if (name == "--timeout") {
          return net_examples::ParseSeconds(name, value, &timeout);
        }
        return absl::NotFoundError(name);
      });
  if (stop.has_value()) return *stop;
  absl::StatusOr<net_examples::Target> target =
      net_examples::ParseTarget(connect);
  if (!target.ok()) {
    return net_examples::Fail(kProgram, target.status().message(), 2);
  }
  const absl::Status run = Run(*target, timeout);
  if (!run.ok()) return net_examples::Fail(kProgram, run.message(), 1);
  return 0;
}
