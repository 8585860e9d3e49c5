// A small HTTP proxy on 127.0.0.1 for the proxy tests: CONNECT tunnels and
// absolute-form forwarding to servers on 127.0.0.1, with request counts and
// an optional Proxy-Authorization check.
#ifndef CONTENT_CLIENT_TESTS_SUPPORT_PROXY_SERVER_HPP
#define CONTENT_CLIENT_TESTS_SUPPORT_PROXY_SERVER_HPP

#include <content_client/detail/config.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/url/parse.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace content_client::test_support {

CONTENT_CLIENT_COROUTINES_BEGIN

/// An HTTP/1.1 proxy on 127.0.0.1 that serves on its own thread until destroyed.
///
/// It tunnels `CONNECT 127.0.0.1:PORT` and forwards absolute-form requests
/// (`GET http://127.0.0.1:PORT/path`) to servers on 127.0.0.1 only; other
/// targets get 403. When `required_authorization` is set, a request whose
/// Proxy-Authorization differs gets 407. `set_connect_status` makes it answer
/// every CONNECT with another status instead of opening the tunnel.
class proxy_server {
public:
    using tcp = boost::asio::ip::tcp;

    explicit proxy_server(std::string required_authorization = {})
        : required_authorization_(std::move(required_authorization)), acceptor_(io_)
    {
        tcp::endpoint endpoint(boost::asio::ip::address_v4::loopback(), 0);
        acceptor_.open(endpoint.protocol());
        acceptor_.bind(endpoint);
        acceptor_.listen();
        port_ = acceptor_.local_endpoint().port();
        boost::asio::co_spawn(io_, accept_loop(), boost::asio::detached);
        thread_ = std::thread([this] { io_.run(); });
    }

    proxy_server(const proxy_server&) = delete;
    proxy_server& operator=(const proxy_server&) = delete;

    /// Stops serving, closes every connection and tunnel, and joins the thread.
    ~proxy_server()
    {
        io_.stop();
        if (thread_.joinable())
            thread_.join();
    }

    unsigned short port() const noexcept { return port_; }

    /// Returns `http://127.0.0.1:PORT`, or with `user_info` (`user:password`)
    /// `http://user:password@127.0.0.1:PORT`.
    std::string url(const std::string& user_info = {}) const
    {
        return "http://" + (user_info.empty() ? std::string() : user_info + "@") + "127.0.0.1:" +
               std::to_string(port_);
    }

    /// Answers every CONNECT with `status` and closes the connection, instead of tunnelling.
    void set_connect_status(unsigned status) noexcept { connect_status_ = status; }

    /// The number of CONNECT requests received, rejected ones included.
    std::size_t connect_requests() const noexcept { return connects_; }
    /// The number of absolute-form requests received, rejected ones included.
    std::size_t forwarded_requests() const noexcept { return forwards_; }

    /// The request targets received, in order: `host:port` for CONNECT, the absolute URL otherwise.
    std::vector<std::string> targets() const
    {
        std::lock_guard lock(mutex_);
        return targets_;
    }

    /// The Proxy-Authorization values received, in order; empty strings for requests without one.
    std::vector<std::string> authorizations() const
    {
        std::lock_guard lock(mutex_);
        return authorizations_;
    }

private:
    using request_type = boost::beast::http::request<boost::beast::http::string_body>;
    using response_type = boost::beast::http::response<boost::beast::http::string_body>;

    boost::asio::awaitable<void> accept_loop()
    {
        constexpr auto token = boost::asio::as_tuple(boost::asio::use_awaitable);
        for (;;) {
            auto [ec, socket] = co_await acceptor_.async_accept(token);
            if (ec)
                co_return;
            boost::asio::co_spawn(io_, serve(boost::beast::tcp_stream(std::move(socket))), boost::asio::detached);
        }
    }

    static response_type make_reply(unsigned status, bool keep_alive)
    {
        response_type reply(static_cast<boost::beast::http::status>(status), 11);
        reply.set(boost::beast::http::field::content_type, "text/plain");
        reply.body() = "proxy status " + std::to_string(status) + "\n";
        if (status == 407)
            reply.set(boost::beast::http::field::proxy_authenticate, "Basic realm=\"test proxy\"");
        reply.keep_alive(keep_alive);
        reply.prepare_payload();
        return reply;
    }

    /// Returns the port of a `127.0.0.1:PORT` or `localhost:PORT` authority, or no value for other hosts.
    static std::optional<unsigned short> loopback_port(std::string_view host, std::string_view port)
    {
        if ((host != "127.0.0.1" && host != "localhost") || port.empty() || port.size() > 5)
            return std::nullopt;
        unsigned value = 0;
        for (char c : port) {
            if (c < '0' || c > '9')
                return std::nullopt;
            value = value * 10 + static_cast<unsigned>(c - '0');
        }
        if (value == 0 || value > 65535)
            return std::nullopt;
        return static_cast<unsigned short>(value);
    }

    boost::asio::awaitable<void> serve(boost::beast::tcp_stream client)
    {
        namespace http = boost::beast::http;
        constexpr auto token = boost::asio::as_tuple(boost::asio::use_awaitable);
        boost::beast::flat_buffer buffer;

        // The expiry on each read bounds the loop when a client stays idle.
        for (;;) {
            client.expires_after(std::chrono::seconds(10));
            request_type request;
            auto [read_error, read] = co_await http::async_read(client, buffer, request, token);
            if (read_error)
                co_return;

            const std::string target(request.target());
            const std::string authorization(request[http::field::proxy_authorization]);
            const bool is_connect = request.method() == http::verb::connect;
            {
                std::lock_guard lock(mutex_);
                targets_.push_back(target);
                authorizations_.push_back(authorization);
            }
            if (is_connect)
                ++connects_;
            else
                ++forwards_;

            if (!required_authorization_.empty() && authorization != required_authorization_) {
                co_await http::async_write(client, make_reply(407, !is_connect), token);
                if (is_connect)
                    co_return;
                continue;
            }

            if (is_connect) {
                co_await tunnel(std::move(client), buffer, target);
                co_return;
            }
            if (!co_await forward(client, request))
                co_return;
        }
    }

    /// Opens a tunnel to the CONNECT target and relays bytes both ways until either side closes.
    boost::asio::awaitable<void> tunnel(boost::beast::tcp_stream client, boost::beast::flat_buffer& buffer,
                                        const std::string& target)
    {
        using namespace boost::asio::experimental::awaitable_operators;
        namespace http = boost::beast::http;
        constexpr auto token = boost::asio::as_tuple(boost::asio::use_awaitable);

        if (connect_status_ != 0) {
            co_await http::async_write(client, make_reply(connect_status_, false), token);
            co_return;
        }
        const auto colon = target.rfind(':');
        const auto port = colon == std::string::npos
                              ? std::nullopt
                              : loopback_port(std::string_view(target).substr(0, colon),
                                              std::string_view(target).substr(colon + 1));
        if (!port) {
            co_await http::async_write(client, make_reply(403, false), token);
            co_return;
        }

        tcp::socket upstream(io_);
        auto [connect_error] = co_await upstream.async_connect(
            tcp::endpoint(boost::asio::ip::address_v4::loopback(), *port), token);
        if (connect_error) {
            co_await http::async_write(client, make_reply(502, false), token);
            co_return;
        }

        const std::string established = "HTTP/1.1 200 Connection established\r\n\r\n";
        auto [write_error, written] = co_await boost::asio::async_write(client, boost::asio::buffer(established), token);
        if (write_error)
            co_return;
        client.expires_never();
        if (buffer.size() != 0) {
            co_await boost::asio::async_write(upstream, buffer.data(), token);
            buffer.consume(buffer.size());
        }

        tcp::socket downstream = client.release_socket();
        co_await (relay(downstream, upstream) || relay(upstream, downstream));
    }

    /// Copies bytes from `from` to `to` until `from` ends or a write fails.
    static boost::asio::awaitable<void> relay(tcp::socket& from, tcp::socket& to)
    {
        constexpr auto token = boost::asio::as_tuple(boost::asio::use_awaitable);
        std::array<char, 16 * 1024> data{};
        // Each pass reads at least one byte or returns, so the loop ends when the peer closes.
        for (;;) {
            auto [read_error, n] = co_await from.async_read_some(boost::asio::buffer(data), token);
            if (read_error)
                co_return;
            auto [write_error, written] = co_await boost::asio::async_write(to, boost::asio::buffer(data, n), token);
            if (write_error)
                co_return;
        }
    }

    /// Forwards an absolute-form request to its origin on a new connection
    /// and writes the answer back. Returns false when the client connection must close.
    boost::asio::awaitable<bool> forward(boost::beast::tcp_stream& client, request_type& request)
    {
        namespace http = boost::beast::http;
        constexpr auto token = boost::asio::as_tuple(boost::asio::use_awaitable);
        const bool keep_alive = request.keep_alive();

        auto parsed = boost::urls::parse_uri(request.target());
        std::optional<unsigned short> port;
        if (parsed && parsed->scheme() == "http") {
            const std::string host(parsed->encoded_host());
            const std::string port_text = parsed->has_port() ? std::string(parsed->port()) : std::string("80");
            port = loopback_port(host, port_text);
        }
        if (!port) {
            auto [write_error, written] = co_await http::async_write(client, make_reply(403, keep_alive), token);
            co_return !write_error && keep_alive;
        }

        std::string origin_target(parsed->encoded_path());
        if (origin_target.empty())
            origin_target = "/";
        if (parsed->has_query())
            origin_target += "?" + std::string(parsed->encoded_query());
        request.target(origin_target);
        request.erase(http::field::proxy_authorization);
        request.erase("Proxy-Connection");
        request.keep_alive(false);

        boost::beast::tcp_stream upstream(io_);
        upstream.expires_after(std::chrono::seconds(10));
        auto [connect_error] =
            co_await upstream.async_connect(tcp::endpoint(boost::asio::ip::address_v4::loopback(), *port), token);
        if (connect_error) {
            auto [write_error, written] = co_await http::async_write(client, make_reply(502, keep_alive), token);
            co_return !write_error && keep_alive;
        }
        auto [send_error, sent] = co_await http::async_write(upstream, request, token);
        boost::beast::flat_buffer upstream_buffer;
        http::response_parser<http::string_body> parser;
        parser.body_limit(64 * 1024 * 1024);
        if (request.method() == http::verb::head)
            parser.skip(true);
        auto [answer_error, answered] = co_await http::async_read(upstream, upstream_buffer, parser, token);
        if (send_error || answer_error) {
            auto [write_error, written] = co_await http::async_write(client, make_reply(502, keep_alive), token);
            co_return !write_error && keep_alive;
        }

        auto response = parser.release();
        response.keep_alive(keep_alive);
        auto [write_error, written] = co_await http::async_write(client, response, token);
        co_return !write_error && keep_alive;
    }

    std::string required_authorization_;
    boost::asio::io_context io_;
    tcp::acceptor acceptor_;
    unsigned short port_ = 0;
    std::atomic<unsigned> connect_status_{0};
    std::atomic<std::size_t> connects_{0};
    std::atomic<std::size_t> forwards_{0};
    mutable std::mutex mutex_;
    std::vector<std::string> targets_;
    std::vector<std::string> authorizations_;
    std::thread thread_;
};

CONTENT_CLIENT_COROUTINES_END

}  // namespace content_client::test_support

#endif
