// A transport for tests: scripted replies, a record of requests, a virtual clock.
#ifndef CONTENT_CLIENT_TESTING_MOCK_TRANSPORT_HPP
#define CONTENT_CLIENT_TESTING_MOCK_TRANSPORT_HPP

#include <content_client/transport/message.hpp>
#include <content_client/detail/config.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/status.hpp>

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace content_client::testing {

/// A network failure the mock transport reports in place of a response.
enum class network_failure {
    /// The connection was refused; nothing was sent.
    connect_error,
    /// Connecting took longer than the connect timeout; nothing was sent.
    connect_timeout,
    /// The request was sent, the response did not come in time.
    read_timeout,
    /// Sending took longer than the write timeout.
    write_timeout,
    /// The server reset the connection after the request was sent.
    connection_reset,
    /// The server sent something that is not HTTP.
    protocol_error,
    /// The connection closed in the middle of the body.
    truncated_body,
};

/// One scripted reply: a response or a network failure.
struct mock_reply {
    int status = 200;
    std::string reason{};
    http_headers headers{};
    std::string body{};
    /// Server time spent before the reply; the virtual clock advances by it,
    /// and an attempt whose deadline or read timeout comes first times out.
    std::chrono::nanoseconds latency{};
    /// When set, the attempt fails this way and the other fields are ignored.
    std::optional<network_failure> failure{};
};

/// A request as the mock transport received it.
struct recorded_request {
    std::string method{};
    std::string url{};
    http_headers headers{};
    std::string body{};
    /// The virtual time the attempt started.
    std::chrono::steady_clock::time_point sent_at{};
    send_options options{};
};

CONTENT_CLIENT_COROUTINES_BEGIN

/// A transport that replies from a script and never touches the network.
///
/// Replies are taken in order from a queue (`push`). When the queue is
/// empty, the handler set with `on_request` builds the reply, and without
/// one the call throws `std::logic_error` naming the request. Every received request is
/// recorded. Time is virtual: `async_sleep` records the duration and moves
/// the clock forward at once, so a test checks exact delays instantly.
///
/// Copies share the script, the record and the clock, so a test keeps one
/// copy and gives another to the client. All members are thread-safe.
class mock_transport {
public:
    using clock = std::chrono::steady_clock;

    mock_transport() : state_(std::make_shared<state>()) {}

    /// Queues a reply.
    void push(mock_reply reply)
    {
        std::lock_guard lock(state_->mutex);
        state_->replies.push_back(std::move(reply));
    }

    /// Queues a response with a status, a body and header fields.
    void push(int status, std::string body = {}, http_headers headers = {})
    {
        mock_reply reply;
        reply.status = status;
        reply.body = std::move(body);
        reply.headers = std::move(headers);
        push(std::move(reply));
    }

    /// Queues a network failure.
    void push(network_failure failure)
    {
        mock_reply reply;
        reply.failure = failure;
        push(std::move(reply));
    }

    /// Sets the handler that builds replies when the queue is empty.
    void on_request(std::function<mock_reply(const request&)> handler)
    {
        std::lock_guard lock(state_->mutex);
        state_->handler = std::make_shared<std::function<mock_reply(const request&)>>(std::move(handler));
    }

    /// Every request received so far, in order.
    std::vector<recorded_request> requests() const
    {
        std::lock_guard lock(state_->mutex);
        return state_->requests;
    }

    std::size_t request_count() const
    {
        std::lock_guard lock(state_->mutex);
        return state_->requests.size();
    }

    /// Every duration passed to `async_sleep`, in order.
    std::vector<std::chrono::nanoseconds> sleeps() const
    {
        std::lock_guard lock(state_->mutex);
        return state_->sleeps;
    }

    /// Replies still queued.
    std::size_t pending_replies() const
    {
        std::lock_guard lock(state_->mutex);
        return state_->replies.size();
    }

    /// Moves the virtual clocks forward.
    void advance(std::chrono::nanoseconds d)
    {
        std::lock_guard lock(state_->mutex);
        state_->elapsed += d;
    }

    /// Virtual monotonic time; starts at a fixed point and moves only by
    /// `advance`, `async_sleep` and reply latencies.
    clock::time_point now() const
    {
        std::lock_guard lock(state_->mutex);
        return start_time() + state_->elapsed;
    }

    /// Virtual wall-clock time; starts at 2026-01-01T00:00:00Z and moves with `now()`.
    std::chrono::system_clock::time_point system_now() const
    {
        std::lock_guard lock(state_->mutex);
        return system_start() + std::chrono::duration_cast<std::chrono::system_clock::duration>(state_->elapsed);
    }

    /// The executor of the mock's own io_context, where `async_http_request`
    /// runs; drive it with `context().run()`.
    boost::asio::any_io_executor get_executor() const { return state_->context.get_executor(); }

    boost::asio::io_context& context() const { return state_->context; }

    /// Records the delay and moves the clock forward; completes at once.
    boost::asio::awaitable<void> async_sleep(std::chrono::nanoseconds d)
    {
        {
            std::lock_guard lock(state_->mutex);
            state_->sleeps.push_back(d);
            if (d > std::chrono::nanoseconds(0))
                state_->elapsed += d;
        }
        co_await boost::asio::post(co_await boost::asio::this_coro::executor, boost::asio::use_awaitable);
    }

    /// Replies to one attempt from the script.
    boost::asio::awaitable<send_result> async_send(const request& req, const send_options& opts)
    {
        send_result result = answer(req, opts);
        co_await boost::asio::post(co_await boost::asio::this_coro::executor, boost::asio::use_awaitable);
        co_return result;
    }

    /// The fixed virtual start of `now()`.
    static clock::time_point start_time() { return clock::time_point(std::chrono::hours(24 * 365)); }

    /// The fixed virtual start of `system_now()`: 2026-01-01T00:00:00Z.
    static std::chrono::system_clock::time_point system_start()
    {
        return std::chrono::sys_days(std::chrono::year(2026) / 1 / 1);
    }

private:
    struct state {
        mutable std::mutex mutex;
        std::deque<mock_reply> replies;
        // Shared so that a stateful handler keeps its state across calls,
        // which run it without the lock so that it may use the mock.
        std::shared_ptr<std::function<mock_reply(const request&)>> handler;
        std::vector<recorded_request> requests;
        std::vector<std::chrono::nanoseconds> sleeps;
        std::chrono::nanoseconds elapsed{};
        mutable boost::asio::io_context context;
    };

    send_result answer(const request& req, const send_options& opts)
    {
        std::unique_lock lock(state_->mutex);
        auto now = start_time() + state_->elapsed;
        state_->requests.push_back({req.method, req.url, req.headers, req.body, now, opts});

        mock_reply reply;
        if (!state_->replies.empty()) {
            reply = std::move(state_->replies.front());
            state_->replies.pop_front();
        } else if (state_->handler) {
            auto handler = state_->handler;
            lock.unlock();
            reply = (*handler)(req);
            lock.lock();
        } else {
            throw std::logic_error("mock_transport: no scripted reply left for " + req.method + " " + req.url +
                                   "; push() one or set on_request()");
        }

        send_result result;
        if (reply.failure)
            return fail(result, *reply.failure, req);

        // The reply arrives after its latency unless the read timeout or the deadline comes first.
        auto arrival = start_time() + state_->elapsed + reply.latency;
        auto read_end = start_time() + state_->elapsed + opts.read_timeout;
        if (opts.deadline && *opts.deadline < arrival && *opts.deadline <= read_end) {
            state_->elapsed = std::max(state_->elapsed, *opts.deadline - start_time());
            result.request_sent = true;
            result.ec = make_error_code(errc::timed_out);
            result.message = "no response from " + req.url + " before the attempt's deadline";
            return result;
        }
        if (read_end < arrival) {
            state_->elapsed += opts.read_timeout;
            return fail(result, network_failure::read_timeout, req);
        }
        state_->elapsed += reply.latency;

        std::string reason = reply.reason;
        if (reason.empty())
            reason = std::string(boost::beast::http::obsolete_reason(boost::beast::http::int_to_status(
                static_cast<unsigned>(reply.status))));
        result.response = response(reply.status, std::move(reason), std::move(reply.headers), std::move(reply.body),
                                   req.url);
        result.response.set_elapsed(reply.latency);
        result.request_sent = true;
        return result;
    }

    static send_result& fail(send_result& result, network_failure failure, const request& req)
    {
        switch (failure) {
        case network_failure::connect_error:
            result.ec = make_error_code(errc::connection_failed);
            result.message = "connect to " + req.url + " failed: Connection refused (scripted)";
            break;
        case network_failure::connect_timeout:
            result.ec = make_error_code(errc::connect_timeout);
            result.message = "connect to " + req.url + " timed out (scripted)";
            break;
        case network_failure::read_timeout:
            result.ec = make_error_code(errc::read_timeout);
            result.message = "no response from " + req.url + " within the read timeout";
            result.request_sent = true;
            break;
        case network_failure::write_timeout:
            result.ec = make_error_code(errc::write_timeout);
            result.message = "sending to " + req.url + " timed out (scripted)";
            result.request_sent = true;
            break;
        case network_failure::connection_reset:
            result.ec = make_error_code(errc::connection_reset);
            result.message = "connection to " + req.url + " reset by peer (scripted)";
            result.request_sent = true;
            break;
        case network_failure::protocol_error:
            result.ec = make_error_code(errc::protocol_error);
            result.message = "invalid HTTP response from " + req.url + " (scripted)";
            result.request_sent = true;
            break;
        case network_failure::truncated_body:
            result.ec = make_error_code(errc::truncated_body);
            result.message = "response from " + req.url + " ended before its Content-Length (scripted)";
            result.request_sent = true;
            break;
        }
        return result;
    }

    std::shared_ptr<state> state_{};
};

CONTENT_CLIENT_COROUTINES_END

}  // namespace content_client::testing

#endif
