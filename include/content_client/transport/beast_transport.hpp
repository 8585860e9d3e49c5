// The HTTP/1.1 transport over Boost.Beast, Boost.Asio and OpenSSL.
#ifndef CONTENT_CLIENT_TRANSPORT_BEAST_TRANSPORT_HPP
#define CONTENT_CLIENT_TRANSPORT_BEAST_TRANSPORT_HPP

#include <content_client/detail/config.hpp>
#include <content_client/options.hpp>
#include <content_client/transport/detail/beast_transport_core.hpp>
#include <content_client/transport/message.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

namespace content_client {

CONTENT_CLIENT_COROUTINES_BEGIN

namespace detail {

/// An `io_context` run by one background thread until the owner goes away.
///
/// The destructor stops the thread, then releases `core` before the
/// `io_context` is destroyed, because the core's strand and pooled sockets
/// belong to services of that `io_context`.
struct owned_io_context {
    boost::asio::io_context context;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work{context.get_executor()};
    std::thread thread{[this] { context.run(); }};
    std::shared_ptr<beast_transport_core> core;

    owned_io_context() = default;
    owned_io_context(const owned_io_context&) = delete;
    owned_io_context& operator=(const owned_io_context&) = delete;

    ~owned_io_context()
    {
        work.reset();
        context.stop();
        thread.join();
        core.reset();
    }
};

}  // namespace detail

/// The HTTP/1.1 transport over Boost.Beast with OpenSSL, with a keep-alive
/// connection pool, per-phase timeouts, response-size limits, redirects,
/// proxies and gzip and deflate decoding.
///
/// It satisfies `content_client::transport`. Each call of `async_send` sends
/// one attempt. It takes an idle connection to the URL's origin (scheme,
/// host, port) from the pool or opens one, then writes the request and reads
/// the response. When `send_options::follow_redirects` is set, it follows
/// 301, 302, 303, 307 and 308 responses. Network failures come back in
/// `send_result::ec` as `content_client::errc` values, not as exceptions.
///
/// Pool: at most `client_options::max_connections_per_host` connections,
/// busy and idle, are open per origin (per origin and proxy when proxied). A
/// request beyond the limit waits without blocking a thread, up to
/// `send_options::pool_timeout` and the deadline, then fails with
/// `errc::pool_timeout`. Idle connections older than
/// `client_options::idle_timeout` are closed instead of re-used.
///
/// TLS: TLS 1.2 or later, with SNI when the host is a name. Unless
/// `client_options::verify` is false, the peer certificate and the host name
/// are verified against `client_options::ca_file`, or the system trust store
/// when no CA file is set. `client_cert_file` and `client_key_file` give a
/// client certificate for mutual TLS. A body delimited by the end of the
/// connection that ends without close_notify fails with `errc::truncated_body`.
///
/// Proxy: with `client_options::proxy`, the proxies of `HTTPS_PROXY`,
/// `HTTP_PROXY` and `NO_PROXY` (lower-case names first) are read once, at
/// construction. http requests go to the proxy in absolute form, and https
/// requests through a CONNECT tunnel. See `detail::proxy_settings` for the
/// NO_PROXY rules.
///
/// Compression: requests carry `Accept-Encoding: gzip, deflate` unless they
/// set the field. gzip and deflate bodies are decoded, bounded by
/// `client_options::max_body_size`, and the response then has no
/// Content-Encoding and its Content-Length, if any, is the decoded size.
///
/// Every socket operation runs on a strand of the transport's executor. A
/// coroutine on any other executor may call `async_send`, and it resumes on
/// its own executor when the call completes.
///
/// Thread safety: one object, and its copies, may be used from many threads
/// and coroutines at once. Copies share the pool and, for the first
/// constructor, the background thread.
///
/// Lifetime: destroy the last copy only after every call has completed, and
/// never from a handler that runs on the transport's own thread.
class beast_transport {
public:
    /// Creates a transport that runs its own `io_context` on one background thread.
    ///
    /// The thread stops when the last copy of this object is destroyed.
    /// Throws `configuration_error` when a TLS file of `options` is missing or
    /// invalid, or when `options.proxy` is set and a proxy variable of the
    /// environment contains an invalid URL.
    explicit beast_transport(const client_options& options = {})
    {
        auto owner = std::make_shared<detail::owned_io_context>();
        core_ = std::make_shared<detail::beast_transport_core>(owner->context.get_executor(), options);
        owner->core = core_;
        owner_ = std::move(owner);
    }

    /// Creates a transport whose sockets and timers run on `executor`; it starts no thread.
    ///
    /// The executor's execution context must outlive every copy of this
    /// object. Throws `configuration_error` as the other constructor does.
    explicit beast_transport(boost::asio::any_io_executor executor, const client_options& options = {})
        : core_(std::make_shared<detail::beast_transport_core>(executor, options))
    {
    }

    /// Sends one attempt of `req`, following redirects when `opts.follow_redirects` is set.
    ///
    /// `req` and `opts` must stay valid until the returned awaitable completes.
    /// The response's elapsed time covers the whole call, connects and
    /// redirects included.
    boost::asio::awaitable<send_result> async_send(const request& req, const send_options& opts)
    {
        auto core = core_;
        try {
            co_return co_await boost::asio::co_spawn(core->strand(), core->send(req, opts),
                                                     boost::asio::use_awaitable);
        } catch (const boost::system::system_error& e) {
            // Only starting the coroutine on the strand can throw here, because
            // `send` catches what the network raises. Whether bytes were written
            // is unknown, so `request_sent` is set to be safe.
            send_result result;
            result.ec = make_error_code(errc::connection_failed);
            result.message = std::string("sending the request failed: ") + e.what();
            result.request_sent = true;
            co_return result;
        }
    }

    /// Suspends the calling coroutine for `d` on a timer of its own executor.
    ///
    /// Throws `boost::system::system_error` with `operation_aborted` when the
    /// calling coroutine is cancelled.
    boost::asio::awaitable<void> async_sleep(std::chrono::nanoseconds d)
    {
        if (d <= std::chrono::nanoseconds::zero())
            co_return;
        boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
        timer.expires_after(d);
        co_await timer.async_wait(boost::asio::use_awaitable);
    }

    /// The monotonic time that deadlines and timeouts use.
    std::chrono::steady_clock::time_point now() const { return std::chrono::steady_clock::now(); }

    /// The wall-clock time, for HTTP dates and stored expiries.
    std::chrono::system_clock::time_point system_now() const { return std::chrono::system_clock::now(); }

    /// The executor given to the constructor, or the executor of the own `io_context`.
    boost::asio::any_io_executor get_executor() const { return core_->executor(); }

    /// The largest response body accepted, in bytes (`client_options::max_body_size`).
    std::size_t max_body_size() const noexcept { return core_->max_body_size(); }

    /// The largest response header block accepted, in bytes (`client_options::max_header_size`).
    std::size_t max_header_size() const noexcept { return core_->max_header_size(); }

    /// The number of idle pooled direct connections to `origin`, written `scheme://host:port`.
    std::size_t idle_connections(std::string_view origin) const { return core_->pool().idle_count(origin); }

    /// Closes every idle pooled connection.
    void close_idle_connections() { core_->pool().clear(); }

private:
    // `owner_` is declared first so that it is destroyed last. The last copy
    // then drops its `core_` reference first, and the owner destroys the core
    // before its `io_context`.
    std::shared_ptr<detail::owned_io_context> owner_;
    std::shared_ptr<detail::beast_transport_core> core_;
};

CONTENT_CLIENT_COROUTINES_END

}  // namespace content_client

#endif
