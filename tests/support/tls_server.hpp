// A small HTTPS server on 127.0.0.1 for the TLS tests: a fixed JSON reply,
// an optional client certificate check, and a choice of how the response
// body ends.
#ifndef CONTENT_CLIENT_TESTS_SUPPORT_TLS_SERVER_HPP
#define CONTENT_CLIENT_TESTS_SUPPORT_TLS_SERVER_HPP

#include "support/test_certificates.hpp"

#include <content_client/detail/config.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <string>
#include <thread>

namespace content_client::test_support {

CONTENT_CLIENT_COROUTINES_BEGIN

/// How a `tls_server` ends each response.
enum class tls_body_end {
    /// Content-Length, and the connection stays open for more requests.
    content_length,
    /// No length: the body ends when the server sends close_notify and closes.
    close_notify,
    /// No length: the server closes TCP without close_notify, which is a truncation attack.
    close_without_notify,
};

/// The settings of a `tls_server`.
struct tls_server_options {
    /// The server's certificate and key.
    pem_pair identity;
    /// When set, the server requires a client certificate issued by this CA.
    std::string client_ca{};
    tls_body_end body_end = tls_body_end::content_length;
    /// The body of every response; its Content-Type is `application/json`.
    std::string body = R"({"secure":true})";
};

/// An HTTPS/1.1 server on 127.0.0.1 that answers every request with 200 and
/// `tls_server_options::body`. It serves on its own thread until destroyed.
class tls_server {
public:
    using tcp = boost::asio::ip::tcp;

    explicit tls_server(tls_server_options options)
        : options_(std::move(options)), context_(boost::asio::ssl::context::tls_server), acceptor_(io_)
    {
        namespace ssl = boost::asio::ssl;
        context_.use_certificate_chain(boost::asio::buffer(options_.identity.certificate));
        context_.use_private_key(boost::asio::buffer(options_.identity.private_key), ssl::context::pem);
        if (!options_.client_ca.empty()) {
            context_.add_certificate_authority(boost::asio::buffer(options_.client_ca));
            context_.set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
        }

        tcp::endpoint endpoint(boost::asio::ip::address_v4::loopback(), 0);
        acceptor_.open(endpoint.protocol());
        acceptor_.bind(endpoint);
        acceptor_.listen();
        port_ = acceptor_.local_endpoint().port();
        boost::asio::co_spawn(io_, accept_loop(), boost::asio::detached);
        thread_ = std::thread([this] { io_.run(); });
    }

    tls_server(const tls_server&) = delete;
    tls_server& operator=(const tls_server&) = delete;

    /// Stops serving, closes the connections and joins the thread.
    ~tls_server()
    {
        io_.stop();
        if (thread_.joinable())
            thread_.join();
    }

    unsigned short port() const noexcept { return port_; }

    /// Returns `https://HOST:PORT` followed by `path`, for host `127.0.0.1` unless given.
    std::string url(const std::string& path = "/", const std::string& host = "127.0.0.1") const
    {
        return "https://" + host + ":" + std::to_string(port_) + path;
    }

    /// The number of TCP connections accepted so far.
    std::size_t connections_accepted() const noexcept { return accepted_; }
    /// The number of TLS handshakes that succeeded so far.
    std::size_t handshakes_completed() const noexcept { return handshakes_; }
    /// The number of requests received so far, counted before their responses are written.
    std::size_t requests_received() const noexcept { return received_; }

private:
    using tls_stream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

    boost::asio::awaitable<void> accept_loop()
    {
        constexpr auto token = boost::asio::as_tuple(boost::asio::use_awaitable);
        for (;;) {
            auto [ec, socket] = co_await acceptor_.async_accept(token);
            if (ec)
                co_return;
            ++accepted_;
            boost::asio::co_spawn(io_, serve(std::move(socket)), boost::asio::detached);
        }
    }

    boost::asio::awaitable<void> serve(tcp::socket socket)
    {
        namespace http = boost::beast::http;
        namespace ssl = boost::asio::ssl;
        constexpr auto token = boost::asio::as_tuple(boost::asio::use_awaitable);

        tls_stream stream(std::move(socket), context_);
        stream.next_layer().expires_after(std::chrono::seconds(10));
        auto [handshake_error] = co_await stream.async_handshake(ssl::stream_base::server, token);
        if (handshake_error)
            co_return;
        ++handshakes_;

        boost::beast::flat_buffer buffer;
        // A client sends at most a few requests per connection in these tests, and the expiry bounds the loop.
        for (;;) {
            stream.next_layer().expires_after(std::chrono::seconds(10));
            http::request<http::string_body> request;
            auto [read_error, read] = co_await http::async_read(stream, buffer, request, token);
            if (read_error)
                co_return;
            ++received_;

            http::response<http::string_body> response(http::status::ok, 11);
            response.set(http::field::content_type, "application/json");
            response.body() = options_.body;
            if (options_.body_end == tls_body_end::content_length) {
                response.keep_alive(request.keep_alive());
                response.prepare_payload();
            } else {
                // Without Content-Length the body is delimited by the end of the connection (RFC 9112 section 6.3).
                response.set(http::field::connection, "close");
            }
            auto [write_error, written] = co_await http::async_write(stream, response, token);
            if (write_error)
                co_return;

            if (options_.body_end == tls_body_end::close_notify) {
                co_await stream.async_shutdown(token);
                co_return;
            }
            if (options_.body_end == tls_body_end::close_without_notify) {
                boost::system::error_code ignored;
                stream.next_layer().socket().shutdown(tcp::socket::shutdown_both, ignored);
                stream.next_layer().socket().close(ignored);
                co_return;
            }
            if (!request.keep_alive())
                co_return;
        }
    }

    tls_server_options options_;
    // The TLS context is declared before the io_context, so that it outlives the sessions the io_context destroys.
    boost::asio::ssl::context context_;
    boost::asio::io_context io_;
    tcp::acceptor acceptor_;
    unsigned short port_ = 0;
    std::atomic<std::size_t> accepted_{0};
    std::atomic<std::size_t> handshakes_{0};
    std::atomic<std::size_t> received_{0};
    std::thread thread_;
};

CONTENT_CLIENT_COROUTINES_END

}  // namespace content_client::test_support

#endif
