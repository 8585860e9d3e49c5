// The state that copies of beast_transport share, and the phases of one
// request: connect, write, read and redirect.
#ifndef CONTENT_CLIENT_TRANSPORT_DETAIL_BEAST_TRANSPORT_CORE_HPP
#define CONTENT_CLIENT_TRANSPORT_DETAIL_BEAST_TRANSPORT_CORE_HPP

#include <content_client/error.hpp>
#include <content_client/options.hpp>
#include <content_client/detail/config.hpp>
#include <content_client/transport/detail/connection.hpp>
#include <content_client/transport/detail/connection_pool.hpp>
#include <content_client/transport/detail/content_decoding.hpp>
#include <content_client/transport/detail/messages.hpp>
#include <content_client/transport/detail/proxy.hpp>
#include <content_client/transport/detail/proxy_tunnel.hpp>
#include <content_client/transport/detail/redirect.hpp>
#include <content_client/transport/detail/tls_setup.hpp>
#include <content_client/transport/detail/url_parts.hpp>
#include <content_client/transport/message.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/system/system_error.hpp>

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace content_client::detail {

CONTENT_CLIENT_COROUTINES_BEGIN

/// The state shared by the copies of one `beast_transport`: limits, the TLS
/// context, the proxy settings, the connection pool, and the strand on which
/// every socket operation runs.
///
/// `send` must run on `strand()`. The strand keeps each connection's
/// operations and its timeout handlers from running at the same time, even
/// when the executor's context is run by several threads.
class beast_transport_core {
public:
    using clock = std::chrono::steady_clock;
    using response_parser = boost::beast::http::response_parser<boost::beast::http::string_body>;

    /// Throws `configuration_error` when a TLS file or a proxy variable of the environment is not valid.
    beast_transport_core(const boost::asio::any_io_executor& executor, const client_options& options)
        : executor_(executor),
          strand_(boost::asio::make_strand(executor)),
          max_body_size_(options.max_body_size),
          max_header_size_(options.max_header_size),
          verify_(options.verify),
          tls_context_(boost::asio::ssl::context::tls_client),
          pool_(options.max_connections_per_host, to_nanoseconds(options.idle_timeout))
    {
        configure_tls_context(tls_context_, options);
        if (options.proxy)
            proxies_ = proxy_settings::from_environment();
    }

    const boost::asio::any_io_executor& executor() const noexcept { return executor_; }
    boost::asio::any_io_executor strand() const { return strand_; }
    std::size_t max_body_size() const noexcept { return max_body_size_; }
    std::size_t max_header_size() const noexcept { return max_header_size_; }
    connection_pool& pool() noexcept { return pool_; }

    /// Sends `req`, following redirects when `opts.follow_redirects` is set. Runs on `strand()`.
    boost::asio::awaitable<send_result> send(const request& req, const send_options& opts)
    {
        const auto start = clock::now();
        bool request_sent = false;
        try {
            auto result = co_await send_following_redirects(req, opts, request_sent);
            if (!result.ec)
                result.response.set_elapsed(clock::now() - start);
            co_return result;
        } catch (const boost::system::system_error& e) {
            send_result result;
            result.ec = make_error_code(errc::connection_failed);
            result.message = std::string("sending the request failed: ") + e.what();
            result.request_sent = request_sent;
            co_return result;
        }
    }

private:
    /// The outcome of one exchange on one connection.
    enum class exchange_state {
        /// A response arrived and the connection may carry another request.
        reusable,
        /// A response arrived and the connection must close.
        completed,
        /// The exchange failed, and `send_result` contains the error.
        failed,
        /// A re-used connection turned out to be closed before any byte of a
        /// response arrived, so the request may be sent again.
        stale,
    };

    static std::chrono::nanoseconds to_nanoseconds(std::chrono::duration<double> d)
    {
        if (d <= std::chrono::duration<double>::zero())
            return std::chrono::nanoseconds::zero();
        if (d >= std::chrono::duration<double>(std::chrono::hours(24 * 365)))
            return std::chrono::hours(24 * 365);
        return std::chrono::duration_cast<std::chrono::nanoseconds>(d);
    }

    boost::asio::awaitable<send_result> send_following_redirects(const request& req, const send_options& opts,
                                                                 bool& request_sent)
    {
        const request* current = &req;
        std::optional<request> redirected;
        url_parts url;
        std::string error;
        if (!parse_url_parts(req.url, url, error))
            co_return failure(errc::invalid_configuration, error, false);

        for (int redirects = 0;; ++redirects) {
            auto result = co_await send_to(*current, url, opts);
            request_sent = request_sent || result.request_sent;
            result.request_sent = request_sent;
            if (result.ec)
                co_return result;

            const int status = result.response.status();
            auto location = result.response.header("Location");
            if (!opts.follow_redirects || !is_redirect_status(status) || !location)
                co_return result;

            if (redirects >= opts.max_redirects) {
                result.ec = make_error_code(errc::too_many_redirects);
                result.message = "stopped after " + std::to_string(redirects) + " redirects: " + url.location +
                                 " redirects again with " + std::to_string(status) +
                                 ", and send_options::max_redirects is " + std::to_string(opts.max_redirects);
                co_return result;
            }

            request next;
            url_parts next_url;
            if (!make_redirect_request(*current, url, status, *location, opts, next, next_url, error))
                co_return failure(errc::protocol_error, error, request_sent);
            redirected = std::move(next);
            current = &*redirected;
            url = std::move(next_url);
        }
    }

    /// Sends one request to `url` and reads its response, re-sending once on
    /// a fresh connection when a pooled one turns out to be closed.
    ///
    /// It waits for a connection slot of the pool key first, up to
    /// `send_options::pool_timeout` and the deadline of the attempt.
    boost::asio::awaitable<send_result> send_to(const request& req, const url_parts& url, const send_options& opts)
    {
        send_result result;
        const proxy_endpoint* proxy = proxies_ ? proxies_->proxy_for(url) : nullptr;
        // A plain http request goes to the proxy itself; an https one goes through a CONNECT tunnel.
        const proxy_endpoint* http_proxy = proxy && !url.tls ? proxy : nullptr;

        outgoing_request message;
        std::string error;
        if (!build_request_message(req, url, message, error, http_proxy))
            co_return failure(errc::invalid_configuration, error, false);

        const std::string key = proxy ? url.origin + " via " + proxy->host_and_port : url.origin;
        const auto pool_expiry = make_phase_expiry(clock::now(), opts.pool_timeout, opts.deadline);
        auto lease = co_await pool_.acquire(key, pool_expiry.at);
        if (!lease) {
            co_return timeout_failure(pool_expiry, errc::pool_timeout,
                                      "no connection to " + url.origin + " became free (client_options."
                                      "max_connections_per_host is " + std::to_string(pool_.max_per_key()) + ")",
                                      "pool timeout");
        }

        auto& conn = lease.conn();
        const bool reused = conn != nullptr;
        if (!conn) {
            conn = co_await connect(url, proxy, opts, result);
            if (!conn)
                co_return result;
        }

        auto state = co_await exchange(*conn, message, req, url, http_proxy, opts, reused, result);
        if (state == exchange_state::stale) {
            // The server most likely closed the idle connection before the request
            // reached it. NOTE: this re-sends requests of every method, while RFC 9112
            // section 9.3.1 allows automatic retries only for idempotent methods.
            // The risk is small, because no byte of a response arrived.
            conn = co_await connect(url, proxy, opts, result);
            if (!conn)
                co_return result;
            state = co_await exchange(*conn, message, req, url, http_proxy, opts, false, result);
        }

        // The lease closes the connection and frees its slot unless it goes back to the pool.
        if (state == exchange_state::reusable)
            pool_.put(lease, clock::now());
        co_return result;
    }

    /// Resolves the host, connects, and runs the TLS handshake for https.
    ///
    /// With `proxy`, it connects to the proxy instead, and for https opens a
    /// CONNECT tunnel to the origin first. A failure to reach the proxy is
    /// `errc::proxy_failed`. Returns `nullptr` and fills `result` when a step fails.
    boost::asio::awaitable<std::unique_ptr<connection>> connect(const url_parts& url, const proxy_endpoint* proxy,
                                                                const send_options& opts, send_result& result)
    {
        using namespace boost::asio::experimental::awaitable_operators;
        namespace asio = boost::asio;
        constexpr auto token = asio::as_tuple(asio::use_awaitable);
        const auto expiry = make_phase_expiry(clock::now(), opts.connect_timeout, opts.deadline);
        const auto executor = co_await asio::this_coro::executor;

        const std::string& host = proxy ? proxy->host : url.host;
        const std::uint16_t port = proxy ? proxy->port : url.port;
        const std::string peer = proxy ? "the proxy " + proxy->host_and_port : url.host_and_port;
        const errc unreachable = proxy ? errc::proxy_failed : errc::connection_failed;

        asio::ip::tcp::resolver resolver(executor);
        asio::steady_timer timer(executor, expiry.at);
        auto resolved =
            co_await (resolver.async_resolve(host, std::to_string(port), token) || timer.async_wait(token));
        if (resolved.index() == 1) {
            result = timeout_failure(expiry, errc::connect_timeout, "name resolution for " + host + " did not finish",
                                     "connect timeout");
            co_return nullptr;
        }
        auto [resolve_error, endpoints] = std::get<0>(std::move(resolved));
        if (resolve_error) {
            result = failure(unreachable, "name resolution for " + peer + " failed: " + resolve_error.message(), false);
            co_return nullptr;
        }

        auto conn = url.tls ? std::make_unique<connection>(executor, tls_context_)
                            : std::make_unique<connection>(executor);
        set_expiry(conn->tcp(), expiry);
        auto [connect_error, endpoint] = co_await conn->tcp().async_connect(endpoints, token);
        if (connect_error == boost::beast::error::timeout) {
            result = timeout_failure(expiry, errc::connect_timeout, "connect to " + peer + " did not finish",
                                     "connect timeout");
            co_return nullptr;
        }
        if (connect_error) {
            result = failure(unreachable, "connect to " + peer + " failed: " + connect_error.message(), false);
            co_return nullptr;
        }

        if (proxy && url.tls && !co_await open_connect_tunnel(conn->tcp(), url, *proxy, expiry, result))
            co_return nullptr;
        if (url.tls && !co_await handshake(*conn, url, expiry, result))
            co_return nullptr;

        conn->tcp().expires_never();
        co_return conn;
    }

    /// Runs the TLS handshake with SNI and, unless `verify` is off, checks
    /// that the certificate names the host (RFC 6125) or its IP address.
    boost::asio::awaitable<bool> handshake(connection& conn, const url_parts& url, const phase_expiry& expiry,
                                           send_result& result)
    {
        namespace ssl = boost::asio::ssl;
        auto& stream = *conn.tls();

        // RFC 6066 section 3 does not allow an IP address as the server name.
        if (!url.host_is_address && !SSL_set_tlsext_host_name(stream.native_handle(), url.host.c_str())) {
            result = failure(errc::tls_failed, "setting the TLS server name for " + url.host_and_port + " failed",
                             false);
            co_return false;
        }
        if (verify_ && !expect_peer_identity(stream.native_handle(), url)) {
            result = failure(errc::tls_failed, "setting the expected TLS peer name for " + url.host_and_port + " failed",
                             false);
            co_return false;
        }

        auto [handshake_error] =
            co_await stream.async_handshake(ssl::stream_base::client, boost::asio::as_tuple(boost::asio::use_awaitable));
        if (handshake_error == boost::beast::error::timeout) {
            result = timeout_failure(expiry, errc::connect_timeout,
                                     "the TLS handshake with " + url.host_and_port + " did not finish",
                                     "connect timeout");
            co_return false;
        }
        if (handshake_error) {
            std::string reason = handshake_error.message();
            const long verify_result = SSL_get_verify_result(stream.native_handle());
            if (verify_ && verify_result != X509_V_OK)
                reason += std::string(": ") + X509_verify_cert_error_string(verify_result);
            result = failure(errc::tls_failed, "the TLS handshake with " + url.host_and_port + " failed: " + reason,
                             false);
            co_return false;
        }
        co_return true;
    }

    /// Makes OpenSSL's chain verification also check the host name or IP
    /// address, so that a mismatch is reported as such by `SSL_get_verify_result`.
    static bool expect_peer_identity(SSL* ssl, const url_parts& url)
    {
        if (url.host_is_address)
            return X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), url.host.c_str()) == 1;
        SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
        return SSL_set1_host(ssl, url.host.c_str()) == 1;
    }

    /// Writes the request and reads the response on `conn`.
    ///
    /// Returns `stale` instead of an error only when `reused` is true and the
    /// connection closed before any byte of a response arrived.
    boost::asio::awaitable<exchange_state> exchange(connection& conn, const outgoing_request& message,
                                                    const request& req, const url_parts& url,
                                                    const proxy_endpoint* http_proxy, const send_options& opts,
                                                    bool reused, send_result& result)
    {
        const auto write_expiry = make_phase_expiry(clock::now(), opts.write_timeout, opts.deadline);
        set_expiry(conn.tcp(), write_expiry);
        result.request_sent = true;
        auto [write_error, written] = co_await conn.async_write(message);
        if (write_error) {
            if (reused && is_closed_connection(write_error))
                co_return exchange_state::stale;
            result = write_failure(write_error, url, write_expiry);
            blame_proxy(result, http_proxy);
            co_return exchange_state::failed;
        }

        const auto read_expiry = make_phase_expiry(clock::now(), opts.read_timeout, opts.deadline);
        set_expiry(conn.tcp(), read_expiry);
        std::optional<response_parser> parser;
        for (;;) {
            parser.emplace();
            parser->header_limit(header_limit());
            parser->body_limit(static_cast<std::uint64_t>(max_body_size_));
            if (req.method == "HEAD")
                parser->skip(true);

            auto [read_error, read] = co_await conn.async_read(*parser);
            if (read_error) {
                const bool nothing_read = !parser->got_some() && conn.buffer().size() == 0;
                if (reused && nothing_read && is_closed_connection(read_error))
                    co_return exchange_state::stale;
                result = read_failure(read_error, *parser, url, read_expiry);
                blame_proxy(result, http_proxy);
                co_return exchange_state::failed;
            }

            // An interim 1xx response precedes the final one (RFC 9110 section 15.2).
            const auto status = parser->get().result_int();
            if (status < 100 || status >= 200 || status == 101)
                break;
        }
        conn.tcp().expires_never();

        auto message_read = parser->release();
        const bool reusable = !message_read.need_eof() && conn.buffer().size() == 0;
        if (!decode_body(message_read, req, url, result))
            co_return exchange_state::failed;
        result.response = make_response(std::move(message_read), req.url);
        co_return reusable ? exchange_state::reusable : exchange_state::completed;
    }

    /// Decodes a gzip or deflate body in place, then drops Content-Encoding
    /// and sets Content-Length to the decoded size.
    ///
    /// Returns false and fills `result` when the body does not decode
    /// (`errc::invalid_response`) or its decoded size exceeds `max_body_size`
    /// (`errc::body_too_large`).
    bool decode_body(boost::beast::http::response<boost::beast::http::string_body>& message, const request& req,
                     const url_parts& url, send_result& result) const
    {
        namespace http = boost::beast::http;
        const auto field = message.find(http::field::content_encoding);
        if (field == message.end())
            return true;
        const auto coding = coding_of(field->value());
        const auto status = message.result_int();
        // HEAD responses and 204 and 304 responses have no body (RFC 9110 sections 9.3.2, 15.3.5 and 15.4.5).
        if (coding == content_coding::none || req.method == "HEAD" || status == 204 || status == 304 ||
            message.body().empty())
            return true;

        std::string decoded;
        std::string error;
        const auto outcome = decode_content(coding, message.body(), max_body_size_, decoded, error);
        if (outcome == decode_status::too_large) {
            result = failure(errc::body_too_large,
                             "the decoded response body from " + url.location + " is larger than the limit of " +
                                 std::to_string(max_body_size_) + " bytes set by client_options.max_body_size",
                             true);
            return false;
        }
        if (outcome == decode_status::invalid) {
            result = failure(errc::invalid_response,
                             "the response body from " + url.location + " is labelled Content-Encoding: " +
                                 std::string(field->value()) + " but does not decode: " + error,
                             true);
            return false;
        }

        message.erase(http::field::content_encoding);
        if (message.find(http::field::content_length) != message.end())
            message.set(http::field::content_length, std::to_string(decoded.size()));
        message.body() = std::move(decoded);
        return true;
    }

    /// Turns a network failure on a connection to an http proxy into
    /// `errc::proxy_failed`, because the proxy is the peer that failed.
    static void blame_proxy(send_result& result, const proxy_endpoint* http_proxy)
    {
        if (!http_proxy || (result.ec != errc::connection_reset && result.ec != errc::connection_failed))
            return;
        result.ec = make_error_code(errc::proxy_failed);
        result.message = "through the proxy " + http_proxy->host_and_port + ": " + result.message;
    }

    std::uint32_t header_limit() const noexcept
    {
        constexpr auto max = std::numeric_limits<std::uint32_t>::max();
        return max_header_size_ >= max ? max : static_cast<std::uint32_t>(max_header_size_);
    }

    static void set_expiry(boost::beast::tcp_stream& stream, const phase_expiry& expiry)
    {
        if (expiry.at == clock::time_point::max())
            stream.expires_never();
        else
            stream.expires_at(expiry.at);
    }

    /// True for the errors of a connection that the server closed while it was idle.
    static bool is_closed_connection(const boost::system::error_code& ec) noexcept
    {
        namespace asio = boost::asio;
        return ec == asio::error::eof || ec == boost::beast::http::error::end_of_stream ||
               ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
               ec == asio::error::connection_aborted || ec == asio::ssl::error::stream_truncated;
    }

    static send_result write_failure(const boost::system::error_code& ec, const url_parts& url,
                                     const phase_expiry& expiry)
    {
        if (ec == boost::beast::error::timeout) {
            return timeout_failure(expiry, errc::write_timeout, "sending the request to " + url.location + " did not finish",
                                   "write timeout", true);
        }
        if (ec.category() == boost::asio::error::get_ssl_category()) {
            return failure(errc::tls_failed, "the TLS connection to " + url.host_and_port + " failed: " + ec.message(),
                           true);
        }
        return failure(errc::connection_reset, "sending the request to " + url.location + " failed: " + ec.message(),
                       true);
    }

    send_result read_failure(const boost::system::error_code& ec, const response_parser& parser,
                                    const url_parts& url, const phase_expiry& expiry) const
    {
        namespace http = boost::beast::http;
        namespace asio = boost::asio;

        if (ec == boost::beast::error::timeout) {
            const std::string unfinished = parser.got_some() ? "the response from " + url.location + " did not finish"
                                                             : "no response from " + url.location;
            return timeout_failure(expiry, errc::read_timeout, unfinished, "read timeout", true);
        }
        if (ec == http::error::body_limit) {
            return failure(errc::body_too_large,
                           "the response body from " + url.location + " is larger than the limit of " +
                               std::to_string(max_body_size_) + " bytes set by client_options.max_body_size",
                           true);
        }
        if (ec == http::error::header_limit) {
            return failure(errc::headers_too_large,
                           "the response header block from " + url.location + " is larger than the limit of " +
                               std::to_string(header_limit()) +
                               " bytes set by client_options.max_header_size",
                           true);
        }
        // A body delimited by the end of the connection is complete only when
        // TLS ends with close_notify. Without it, an attacker could have cut the body short.
        if (parser.is_header_done() && ec == asio::ssl::error::stream_truncated) {
            return failure(errc::truncated_body,
                           "the TLS connection closed without close_notify before the response body from " +
                               url.location + " was known to be complete",
                           true);
        }
        if (parser.is_header_done() && (ec == http::error::partial_message || ec == asio::error::eof)) {
            return failure(errc::truncated_body,
                           "the connection closed before the whole response body from " + url.location + " arrived",
                           true);
        }
        if (ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::ssl::error::stream_truncated) {
            return failure(errc::connection_reset,
                           "the server closed the connection without sending a response to " + url.location, true);
        }
        if (ec == http::error::partial_message) {
            return failure(errc::connection_reset,
                           "the connection closed in the middle of the response header from " + url.location, true);
        }
        // With TLS 1.3 a server rejects a client certificate, or the lack of
        // one, only after the client's handshake finished, so the alert arrives here.
        if (ec.category() == asio::error::get_ssl_category()) {
            return failure(errc::tls_failed,
                           "the TLS connection to " + url.host_and_port + " failed: " + ec.message(), true);
        }
        if (ec.category() == http::make_error_code(http::error::bad_version).category()) {
            return failure(errc::protocol_error,
                           "the response from " + url.location + " is not valid HTTP/1.1: " + ec.message(), true);
        }
        return failure(errc::connection_reset,
                       "reading the response from " + url.location + " failed: " + ec.message(), true);
    }

    boost::asio::any_io_executor executor_;
    boost::asio::strand<boost::asio::any_io_executor> strand_;
    std::size_t max_body_size_;
    std::size_t max_header_size_;
    bool verify_;
    boost::asio::ssl::context tls_context_;
    /// Set when `client_options::proxy` is true.
    std::optional<proxy_settings> proxies_;
    connection_pool pool_;
};

CONTENT_CLIENT_COROUTINES_END

}  // namespace content_client::detail

#endif
