// Copyright 2026 The net Authors.
//
// The event-loop echo server of the classic exercise, one program for every
// backend, written on the loop's own API: a net::EventLoop, a net::Listener
// that accepts, and per connection a raw readiness handler
// (`EventLoop::Watch()` with a `net::IoHandler`) that reads, writes back
// what the socket takes and keeps the rest. (examples/echo_server does the
// same with net::Connection, which keeps that buffer for you.)
//
//   loop_server --listen ADDR:PORT --backend NAME [--max-seconds N]
//
// NAME is select, poll, epoll, kqueue, iocp, wsapoll (or default). A
// backend this OS does not have exits 1 ("backend kqueue is not available
// on this OS (available: epoll, poll, select)"); a name that is no backend
// at all is a bad command line (exit 2).
//
// Prints the address it listens on as its first line of standard output
// (port 0 picks a free port), then echoes every byte back until killed, or
// until --max-seconds pass (exit 0). The listener is kReusable: SO_REUSEADDR
// where it means "rebind while old connections are in TIME_WAIT", so the
// server can be restarted on its port at once.
//
// Each connection, level-triggered:
//
//   * readable: one receive into the server's 64 KiB buffer; what arrived
//     is sent back at once if nothing is pending, and what the socket did
//     not take is kept (`pending_`);
//   * while anything is pending the connection also watches for writable,
//     and sends from `pending_` when it is;
//   * while more than kHighWater (256 KiB) is pending it stops reading
//     (interest writable only): a peer that sends without reading its echo
//     is held back by TCP instead of growing the server's memory;
//   * at the peer's end of stream what is pending is still sent, then the
//     connection is closed; an error closes it at once.

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "examples/classic.h"
#include "examples/flags.h"
#include "net/net.h"

namespace {

constexpr const char kProgram[] = "loop_server";
constexpr const char kUsage[] =
    "usage: loop_server --listen ADDR:PORT --backend NAME [--max-seconds N]\n"
    "  --listen       address to listen on (default 127.0.0.1:0; port 0 "
    "picks a free port)\n"
    "  --backend      the event loop: select, poll, epoll, kqueue, iocp, "
    "wsapoll\n"
    "                 (default: this OS's default)\n"
    "  --max-seconds  stop after N seconds (default: run until killed)\n";

// Stop reading from a connection while more than this waits to be sent.
constexpr std::size_t kHighWater = 256 * 1024;

class EchoConnection;

// Owns the connections; all of them share one receive buffer (one thread).
class EchoServer {
 public:
  explicit EchoServer(net::EventLoop& loop) : loop_(loop), buffer_(64 * 1024) {}

  // Closes every connection still open (before the loop is destroyed).
  ~EchoServer();

  EchoServer(const EchoServer&) = delete;
  EchoServer& operator=(const EchoServer&) = delete;

  // Listener's accept callback: `socket` is non-blocking.
  void Accept(net::Socket socket);

  // Forgets (destroys) `c`, whose registration is gone.
  void Remove(EchoConnection* c) { connections_.erase(c); }

  net::EventLoop& loop() { return loop_; }
  absl::Span<char> buffer() { return absl::MakeSpan(buffer_); }

 private:
  net::EventLoop& loop_;
  std::vector<char> buffer_;
  std::unordered_map<EchoConnection*, std::unique_ptr<EchoConnection>>
      connections_;
};

// One client: its socket, its registration and what waits to be sent.
class EchoConnection final : public net::IoHandler {
 public:
  EchoConnection(EchoServer& server, net::Socket socket)
      : server_(server), socket_(std::move(socket)) {}

  absl::Status Start() {
    NET_ASSIGN_OR_RETURN(
        id_, server_.loop().Watch(socket_.native_handle(), interest_, this));
    return absl::OkStatus();
  }

  // Unwatches and closes (the server's destructor).
  void Close() {
    if (id_ != 0) {
      server_.loop().Unwatch(id_, net::UnwatchMode::kClosing).IgnoreError();
      id_ = 0;
    }
    socket_.Close().IgnoreError();
  }

  void OnReady(net::Readiness r) override {
    // Make room first, then read: a readable and writable socket whose
    // pending bytes leave can take the new ones at once.
    if (!pending().empty() && (r.writable || r.error)) {
      if (!Flush()) return Finish();
    }
    if (reading() && (r.readable || r.hangup || r.error)) {
      if (!Read()) return Finish();
    }
    if (peer_done_ && pending().empty()) return Finish();
    UpdateInterest();
  }

 private:
  bool reading() const { return !peer_done_ && pending().size() <= kHighWater; }

  absl::string_view pending() const {
    return absl::string_view(pending_).substr(sent_);
  }

  // One receive, echoed at once as far as the socket takes it. False when
  // the connection failed.
  bool Read() {
    absl::Span<char> buffer = server_.buffer();
    absl::StatusOr<net::IoResult> r = socket_.Receive(buffer);
    if (!r.ok()) return false;  // reset: nothing to send it to
    if (r->would_block()) return true;
    if (r->end_of_stream()) {
      peer_done_ = true;
      return true;
    }
    absl::string_view data(buffer.data(), r->bytes());
    if (pending().empty()) {
      absl::StatusOr<net::IoResult> w = socket_.Send(data);
      if (!w.ok()) return false;
      data.remove_prefix(w->bytes());  // 0 when it would block
    }
    if (!data.empty()) {
      // Append to what is pending; drop what was sent once it is most of
      // the string, so the string does not grow without bound.
      if (sent_ > 0 && sent_ >= pending_.size() / 2) {
        pending_.erase(0, sent_);
        sent_ = 0;
      }
      pending_.append(data.data(), data.size());
    }
    return true;
  }

  // Sends what is pending until the socket takes no more. False when the
  // connection failed.
  bool Flush() {
    while (!pending().empty()) {
      absl::string_view rest = pending();
      absl::StatusOr<net::IoResult> w = socket_.Send(rest);
      if (!w.ok()) return false;
      if (w->would_block()) break;
      sent_ += w->bytes();
    }
    if (pending().empty()) {
      // Give the memory back: an idle connection holds no buffer.
      std::string().swap(pending_);
      sent_ = 0;
    }
    return true;
  }

  // Watch for readable while reading, for writable while anything waits.
  void UpdateInterest() {
    net::Interest want = net::Interest::kNone;
    if (reading()) want = want | net::Interest::kReadable;
    if (!pending().empty()) want = want | net::Interest::kWritable;
    if (want == interest_) return;
    interest_ = want;
    absl::Status modified = server_.loop().Modify(id_, interest_);
    if (!modified.ok()) {
      std::fprintf(stderr, "%s: %s\n", kProgram,
                   std::string(modified.message()).c_str());
      Finish();
    }
  }

  // Closes the connection and destroys it (the loop does not touch a
  // handler after its registration is gone).
  void Finish() {
    Close();
    server_.Remove(this);
  }

  EchoServer& server_;
  net::Socket socket_;
  net::WatchId id_ = 0;
  net::Interest interest_ = net::Interest::kReadable;
  std::string pending_;   // received, not yet sent back ...
  std::size_t sent_ = 0;  // ... from this offset on
  bool peer_done_ = false;
};

EchoServer::~EchoServer() {
  for (auto& entry : connections_) entry.second->Close();
}

void EchoServer::Accept(net::Socket socket) {
  auto c = std::make_unique<EchoConnection>(*this, std::move(socket));
  if (absl::Status s = c->Start(); !s.ok()) {
    std::fprintf(stderr, "%s: %s\n", kProgram,
                 std::string(s.message()).c_str());
    return;  // `c` closes the socket
  }
  EchoConnection* key = c.get();
  connections_.emplace(key, std::move(c));
}

// "epoll, poll, select".
std::string BackendList(const std::vector<net::EventLoopBackend>& backends) {
  return absl::StrJoin(backends, ", ",
                       [](std::string* out, net::EventLoopBackend b) {
                         absl::StrAppend(out, net::EventLoopBackendName(b));
                       });
}

}  // namespace

int main(int argc, char** argv) {
  std::string listen = "127.0.0.1:0";
  net::EventLoopOptions loop_options;
  int max_seconds = 0;
  const std::optional<int> stop = net_examples::ParseFlags(
      argc, argv, kProgram, kUsage,
      [&](const std::string& name, const std::string& value) {
        if (name == "--listen") {
          listen = value;
          return absl::OkStatus();
        }
        if (name == "--backend") {
          absl::StatusOr<net::EventLoopBackend> backend =
              net::ParseEventLoopBackend(value);
          if (!backend.ok()) {
            return absl::InvalidArgumentError(backend.status().message());
          }
          loop_options.backend = *backend;
          return absl::OkStatus();
        }
        if (name == "--max-seconds") {
          return net_examples::ParseInteger(name, value, 0, 1000000,
                                            &max_seconds);
        }
        return absl::NotFoundError(name);
      });
  if (stop.has_value()) return *stop;
  absl::StatusOr<net::SocketAddress> address =
      net::SocketAddress::Parse(listen);
  if (!address.ok()) {
    return net_examples::Fail(kProgram, address.status().message(), 2);
  }

  const std::vector<net::EventLoopBackend> available =
      net::AvailableEventLoopBackends();
  if (loop_options.backend != net::EventLoopBackend::kDefault &&
      std::find(available.begin(), available.end(), loop_options.backend) ==
          available.end()) {
    return net_examples::Fail(
        kProgram,
        absl::StrCat(
            "backend ", net::EventLoopBackendName(loop_options.backend),
            " is not available on this OS (available: ", BackendList(available),
            ")"),
        1);
  }
  absl::StatusOr<std::unique_ptr<net::EventLoop>> loop =
      net::EventLoop::Create(loop_options);
  if (!loop.ok()) {
    return net_examples::Fail(kProgram, loop.status().message(), 1);
  }

  // Declared after the loop, destroyed before it: the server closes its
  // connections, then the listener (declared last) goes first.
  EchoServer server(**loop);
  net::ListenerOptions listener_options;
  listener_options.flags = net::ListenerFlags::kReusable;
  absl::StatusOr<std::unique_ptr<net::Listener>> listener = net::Listener::Bind(
      **loop, *address,
      [&server](net::Socket socket, const net::SocketAddress&) {
        server.Accept(std::move(socket));
      },
      listener_options);
  if (!listener.ok()) {
    return net_examples::Fail(kProgram, listener.status().message(), 1);
  }
  (*listener)->SetErrorCallback([](const absl::Status& error) {
    std::fprintf(stderr, "%s: accept: %s\n", kProgram,
                 std::string(error.message()).c_str());
  });
  absl::StatusOr<net::SocketAddress> bound = (*listener)->LocalAddress();
  if (!bound.ok()) {
    return net_examples::Fail(kProgram, bound.status().message(), 1);
  }
  std::printf("%s\n", bound->ToString().c_str());
  std::fflush(stdout);

  if (max_seconds > 0) {
    (*loop)->AddTimer(absl::Seconds(max_seconds), [&loop] { (*loop)->Stop(); });
  }
  const absl::Status run = (*loop)->Run();
  if (!run.ok()) return net_examples::Fail(kProgram, run.message(), 1);
  return 0;
}
