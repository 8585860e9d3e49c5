// A small HTTP/1.1 API server for the examples: it listens on 127.0.0.1 on an
// ephemeral port and serves the routes a program adds, on its own thread.
//
// It exists so that every example runs without network access. It is not a
// production server: one thread, no TLS, no request-size limits beyond
// Beast's defaults (8 KiB of headers, 1 MiB of body).
#ifndef CONTENT_CLIENT_EXAMPLES_DEMO_SERVER_HPP
#define CONTENT_CLIENT_EXAMPLES_DEMO_SERVER_HPP

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <boost/url/encoding_opts.hpp>
#include <boost/url/params_view.hpp>
#include <boost/url/parse.hpp>

#include <exception>
#include <functional>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace demo {

/// One request as the server received it.
struct request {
    std::string method{};
    /// The path without the query, percent-decoded.
    std::string path{};
    /// The query parameters in order, percent-decoded (`+` as a space).
    std::vector<std::pair<std::string, std::string>> params{};
    std::vector<std::pair<std::string, std::string>> headers{};
    std::string body{};

    /// Returns the value of the first header field called `name` (case-insensitive), if any.
    std::optional<std::string> header(std::string_view name) const
    {
        for (const auto& [field, value] : headers)
            if (boost::beast::iequals(field, name))
                return value;
        return std::nullopt;
    }

    /// Returns the fields of an application/x-www-form-urlencoded body in
    /// order, percent-decoded (`+` as a space). Throws
    /// `boost::system::system_error` when the body is not valid form data,
    /// so the server replies 500.
    std::vector<std::pair<std::string, std::string>> form() const
    {
        boost::urls::encoding_opts options;
        options.space_as_plus = true;
        std::vector<std::pair<std::string, std::string>> fields;
        for (auto field : boost::urls::params_view(body, options))
            fields.emplace_back(field.key, field.value);
        return fields;
    }
};

/// The response a route returns.
struct reply {
    int status = 200;
    std::string body{};
    std::string content_type = "application/json";
    /// Extra header fields, for example Retry-After.
    std::vector<std::pair<std::string, std::string>> headers{};
};

/// Returns a reply whose body is `value` serialized as JSON.
inline reply json_reply(int status, const boost::json::value& value,
                        std::vector<std::pair<std::string, std::string>> headers = {})
{
    return {status, boost::json::serialize(value), "application/json", std::move(headers)};
}

/// Computes the reply to one request. It runs on the server's thread, so
/// state it shares with the main thread needs a lock or an atomic.
using handler = std::function<reply(const request&)>;

/// An HTTP/1.1 server on 127.0.0.1 with routes keyed by method and path.
///
/// The constructor binds the port and starts the thread, and the destructor
/// stops it and closes every connection. A request with no route gets 404
/// and a JSON body naming the method and path. When a handler throws, the
/// request gets 500 and the error is printed to standard error.
class server {
public:
    server()
    {
        namespace asio = boost::asio;
        acceptor_.open(asio::ip::tcp::v4());
        acceptor_.set_option(asio::socket_base::reuse_address(true));
        acceptor_.bind({asio::ip::make_address_v4("127.0.0.1"), 0});
        acceptor_.listen();
        asio::co_spawn(context_, accept_loop(), asio::detached);
        thread_ = std::thread([this] { context_.run(); });
    }

    server(const server&) = delete;
    server& operator=(const server&) = delete;

    ~server()
    {
        context_.stop();
        thread_.join();
    }

    /// Adds or replaces the route for `method` and `path`, also while the server runs.
    void route(std::string method, std::string path, handler h)
    {
        std::lock_guard lock(mutex_);
        routes_[{std::move(method), std::move(path)}] = std::move(h);
    }

    unsigned short port() const { return acceptor_.local_endpoint().port(); }

    /// Returns `http://127.0.0.1:PORT` followed by `path`.
    std::string url(std::string_view path = {}) const
    {
        return "http://127.0.0.1:" + std::to_string(port()) + std::string(path);
    }

private:
    using http_request = boost::beast::http::request<boost::beast::http::string_body>;
    using http_response = boost::beast::http::response<boost::beast::http::string_body>;

    boost::asio::awaitable<void> accept_loop()
    {
        namespace asio = boost::asio;
        while (true) {
            boost::system::error_code ec;
            auto socket = co_await acceptor_.async_accept(asio::redirect_error(asio::use_awaitable, ec));
            if (ec)
                co_return;
            asio::co_spawn(context_, serve_connection(std::move(socket)), asio::detached);
        }
    }

    boost::asio::awaitable<void> serve_connection(boost::asio::ip::tcp::socket socket)
    {
        namespace asio = boost::asio;
        namespace http = boost::beast::http;
        boost::beast::flat_buffer buffer;
        while (true) {
            boost::system::error_code ec;
            http_request req;
            co_await http::async_read(socket, buffer, req, asio::redirect_error(asio::use_awaitable, ec));
            if (ec)
                co_return;

            http_response res = respond(req);
            co_await http::async_write(socket, res, asio::redirect_error(asio::use_awaitable, ec));
            if (ec || !res.keep_alive())
                co_return;
        }
    }

    http_response respond(const http_request& in)
    {
        namespace http = boost::beast::http;
        request req = to_request(in);

        handler h;
        {
            std::lock_guard lock(mutex_);
            auto found = routes_.find({req.method, req.path});
            if (found != routes_.end())
                h = found->second;
        }

        reply out;
        if (!h) {
            out = json_reply(404, {{"error", "no route for " + req.method + " " + req.path}});
        } else {
            try {
                out = h(req);
            } catch (const std::exception& e) {
                std::cerr << "demo server: the handler of " << req.method << ' ' << req.path
                          << " failed: " << e.what() << '\n';
                out = json_reply(500, {{"error", e.what()}});
            }
        }

        http_response res{static_cast<http::status>(out.status), in.version()};
        res.set(http::field::server, "content_client demo server");
        if (!out.body.empty() || !out.content_type.empty())
            res.set(http::field::content_type, out.content_type);
        for (const auto& [name, value] : out.headers)
            res.set(name, value);
        res.body() = std::move(out.body);
        res.keep_alive(in.keep_alive());
        res.prepare_payload();
        return res;
    }

    static request to_request(const http_request& in)
    {
        request req;
        req.method = std::string(in.method_string());
        for (const auto& field : in)
            req.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
        req.body = in.body();

        auto target = boost::urls::parse_origin_form(in.target());
        if (!target) {
            req.path = std::string(in.target());
            return req;
        }
        req.path = target->path();
        for (auto param : target->params())
            req.params.emplace_back(param.key, param.value);
        return req;
    }

    boost::asio::io_context context_{1};
    boost::asio::ip::tcp::acceptor acceptor_{context_};
    std::mutex mutex_;
    std::map<std::pair<std::string, std::string>, handler> routes_;
    std::thread thread_;
};

}  // namespace demo

#endif
