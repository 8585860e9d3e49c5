// Loopback servers for the integration tests: a scriptable HTTP/1.1 server,
// a raw TCP server that misbehaves on purpose, and a port that refuses
// connections.
//
// Every server listens on 127.0.0.1 on an ephemeral port, runs its own
// io_context on its own thread from construction, and stops and joins that
// thread in its destructor, also when clients are still connected.
//
// The servers share no code with the library under test, so a bug in the
// client's HTTP handling cannot hide behind the same bug in the server.
#ifndef CONTENT_CLIENT_TESTS_SUPPORT_TEST_SERVER_HPP
#define CONTENT_CLIENT_TESTS_SUPPORT_TEST_SERVER_HPP

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http.hpp>

#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace content_client::test_support {

/// One request as a test server received it.
struct received_request {
    std::string method{};  ///< The method token as sent, for example `GET`.
    std::string target{};  ///< The request target as sent: path and query, still percent-encoded.
    std::string path{};    ///< The target up to the first `?`.
    std::string query{};   ///< The target after the first `?`, without it; empty when there is none.
    std::vector<std::pair<std::string, std::string>> headers{};  ///< Header fields in the order received.
    std::string body{};
    /// The connection that carried the request, counted from 1 in the order the server accepted them.
    std::size_t connection_id = 0;

    /// Returns the value of the first header field called `name` (case-insensitive), if any.
    std::optional<std::string> header(std::string_view name) const
    {
        for (const auto& [field_name, value] : headers) {
            if (boost::beast::iequals(field_name, name))
                return value;
        }
        return std::nullopt;
    }
};

/// The response an `http_server` route sends.
///
/// The server adds `Content-Length`, or `Transfer-Encoding: chunked` when
/// `chunked` is set. When `headers` already contains one of these two fields,
/// the server adds neither and sends the headers as given, so a test can
/// announce a length that the body does not have. The body is left out of
/// responses to HEAD and of 1xx, 204 and 304 responses.
struct reply {
    int status = 200;
    /// The reason phrase. When empty, the server sends the standard phrase of `status`.
    std::string reason{};
    /// Extra header fields, sent in this order. A name may repeat.
    std::vector<std::pair<std::string, std::string>> headers{};
    std::string body{};
    /// Sends the body with chunked transfer coding (one chunk and the last chunk).
    bool chunked = false;
    /// The time to wait before the response is written. The server keeps serving other connections meanwhile.
    std::chrono::milliseconds delay{0};
    /// Sends `Connection: close` and closes the connection after the response.
    bool close_after = false;
};

/// Returns a reply with a JSON body and `Content-Type: application/json`.
inline reply json_reply(int status, std::string body)
{
    reply r;
    r.status = status;
    r.headers.emplace_back("Content-Type", "application/json");
    r.body = std::move(body);
    return r;
}

/// Returns a reply with a plain-text body and `Content-Type: text/plain`.
inline reply text_reply(int status, std::string body)
{
    reply r;
    r.status = status;
    r.headers.emplace_back("Content-Type", "text/plain");
    r.body = std::move(body);
    return r;
}

/// A route's function: it receives the request and returns the reply to send.
///
/// It runs on the server's thread, one request at a time. A handler that
/// blocks stalls every connection of that server, so use `reply::delay` to
/// respond late.
using request_handler = std::function<reply(const received_request&)>;

/// Returns a handler that sends `replies` in order, one per request, and then
/// repeats the last one: for example `{json_reply(503, ...), json_reply(200, ...)}`.
inline request_handler replies_in_order(std::vector<reply> replies)
{
    if (replies.empty())
        replies.push_back(json_reply(500, R"({"error":"replies_in_order was given no replies"})"));

    struct sequence_state {
        std::vector<reply> replies;
        std::atomic<std::size_t> next{0};
    };
    auto state = std::make_shared<sequence_state>();
    state->replies = std::move(replies);

    return [state](const received_request&) {
        std::size_t index = state->next.fetch_add(1);
        if (index >= state->replies.size())
            index = state->replies.size() - 1;
        return state->replies[index];
    };
}

namespace detail {

using tcp = boost::asio::ip::tcp;

/// The largest request header block and body the servers read; larger requests fail to parse.
inline constexpr std::uint32_t max_request_header_bytes = 64 * 1024;
inline constexpr std::uint64_t max_request_body_bytes = 16 * 1024 * 1024;

/// Opens `acceptor` on 127.0.0.1 with a port the system chooses, and starts listening.
inline void listen_on_loopback(tcp::acceptor& acceptor)
{
    tcp::endpoint endpoint(boost::asio::ip::address_v4::loopback(), 0);
    acceptor.open(endpoint.protocol());
    acceptor.bind(endpoint);
    acceptor.listen(boost::asio::socket_base::max_listen_connections);
}

/// Returns `http://127.0.0.1:PORT` followed by `path`, adding a leading `/` when `path` lacks one.
inline std::string loopback_url(unsigned short port, std::string_view path)
{
    std::string url = "http://127.0.0.1:" + std::to_string(port);
    if (path.empty() || path.front() != '/')
        url += '/';
    url += path;
    return url;
}

inline received_request to_received_request(const boost::beast::http::request<boost::beast::http::string_body>& request,
                                            std::size_t connection_id)
{
    received_request received;
    received.method = std::string(request.method_string());
    received.target = std::string(request.target());

    std::string_view target = request.target();
    auto question_mark = target.find('?');
    received.path = std::string(target.substr(0, question_mark));
    if (question_mark != std::string_view::npos)
        received.query = std::string(target.substr(question_mark + 1));

    for (const auto& field : request)
        received.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    received.body = request.body();
    received.connection_id = connection_id;
    return received;
}

} // namespace detail

/// A scriptable HTTP/1.1 server with keep-alive on 127.0.0.1.
///
/// Routes match the method and the path exactly, and ignore the query. The
/// method `*` matches any method. A HEAD request without a route of its own
/// uses the GET route and gets its reply without the body. A request without
/// a route gets 404 with the body `{"error":"not found"}`. A handler that
/// throws a `std::exception` produces a 500 reply whose body is the
/// exception's message. The server records every request it receives.
///
/// All public members are safe to call from any thread while the server runs.
///
/// ```cpp
/// http_server server;
/// server.route("GET", "/items", json_reply(200, R"({"items":[]})"));
/// auto url = server.url("/items");
/// ```
class http_server {
public:
    using tcp = boost::asio::ip::tcp;

    /// Starts listening and serving on a new thread.
    http_server() : acceptor_(io_)
    {
        detail::listen_on_loopback(acceptor_);
        port_ = acceptor_.local_endpoint().port();
        accept_next();
        thread_ = std::thread([this] { io_.run(); });
    }

    http_server(const http_server&) = delete;
    http_server& operator=(const http_server&) = delete;

    /// Stops the server without waiting for clients, closes every connection and joins the thread.
    ~http_server()
    {
        io_.stop();
        if (thread_.joinable())
            thread_.join();

        // The thread is gone, so the sessions can be touched from here.
        boost::system::error_code ignored;
        acceptor_.close(ignored);
        for (const auto& weak : sessions_) {
            if (auto live = weak.lock())
                live->close();
        }
    }

    unsigned short port() const noexcept { return port_; }

    /// Returns `http://127.0.0.1:PORT` followed by `path`.
    std::string url(std::string_view path = "/") const { return detail::loopback_url(port_, path); }

    /// Sets the handler for `method` and `path`, replacing an earlier one for the same pair.
    void route(std::string method, std::string path, request_handler handler)
    {
        std::lock_guard lock(mutex_);
        routes_[{std::move(method), std::move(path)}] = std::move(handler);
    }

    /// Sets a route that sends the same reply to every request.
    void route(std::string method, std::string path, reply fixed_reply)
    {
        route(std::move(method), std::move(path), [fixed_reply = std::move(fixed_reply)](const received_request&) {
            return fixed_reply;
        });
    }

    /// Makes the server close each connection right after writing a response.
    ///
    /// The response still allows keep-alive (it carries no `Connection:
    /// close`), so a client keeps the connection in its pool and finds it
    /// closed when it sends the next request there.
    void set_close_after_response(bool enabled) noexcept { close_after_response_ = enabled; }

    /// Closes every open connection now, idle or not, without sending anything.
    ///
    /// Use it between two requests to turn a client's pooled connection stale
    /// at a known point. Returns after the connections are closed, or after
    /// five seconds if the server thread is blocked in a handler.
    void close_connections()
    {
        auto done = std::make_shared<std::promise<void>>();
        auto closed = done->get_future();
        boost::asio::post(io_, [this, done] {
            for (const auto& weak : sessions_) {
                if (auto live = weak.lock())
                    live->close();
            }
            done->set_value();
        });
        closed.wait_for(std::chrono::seconds(5));
    }

    /// Returns the number of TCP connections accepted so far.
    std::size_t connections_accepted() const noexcept { return connections_accepted_; }

    /// Returns the number of complete requests received so far, counted before their handlers run.
    std::size_t requests_handled() const
    {
        std::lock_guard lock(mutex_);
        return requests_.size();
    }

    /// Returns a copy of every request received so far, in order.
    std::vector<received_request> requests() const
    {
        std::lock_guard lock(mutex_);
        return requests_;
    }

    /// Waits until at least `count` requests have arrived. Returns false if `timeout` passes first.
    bool wait_for_requests(std::size_t count, std::chrono::milliseconds timeout) const
    {
        std::unique_lock lock(mutex_);
        return request_arrived_.wait_for(lock, timeout, [&] { return requests_.size() >= count; });
    }

private:
    /// One connection of an `http_server`: reads requests and writes replies until either side closes.
    class session : public std::enable_shared_from_this<session> {
    public:
        session(http_server& server, tcp::socket socket, std::size_t id)
            : server_(server), socket_(std::move(socket)), timer_(socket_.get_executor()), id_(id)
        {
        }

        void start() { read_next(); }

        void close()
        {
            boost::system::error_code ignored;
            timer_.cancel();
            socket_.shutdown(tcp::socket::shutdown_both, ignored);
            socket_.close(ignored);
        }

    private:
        using response_type = boost::beast::http::response<boost::beast::http::string_body>;

        void read_next()
        {
            parser_.emplace();
            parser_->header_limit(detail::max_request_header_bytes);
            parser_->body_limit(detail::max_request_body_bytes);
            boost::beast::http::async_read(socket_, buffer_, *parser_,
                                           [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                                               self->on_read(ec);
                                           });
        }

        void on_read(boost::system::error_code ec)
        {
            // End of stream, a malformed request or a closed socket all end the connection.
            if (ec) {
                close();
                return;
            }

            auto request = parser_->release();
            reply result = server_.handle(detail::to_received_request(request, id_));
            bool is_head = request.method() == boost::beast::http::verb::head;
            auto delay = result.delay;
            auto response = make_response(std::move(result), request.keep_alive(), is_head);
            response_ = std::make_unique<response_type>(std::move(response));

            if (delay <= std::chrono::milliseconds::zero()) {
                write();
                return;
            }
            timer_.expires_after(delay);
            timer_.async_wait([self = shared_from_this()](boost::system::error_code wait_error) {
                if (!wait_error)
                    self->write();
            });
        }

        void write()
        {
            boost::beast::http::async_write(socket_, *response_,
                                            [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                                                self->on_write(ec);
                                            });
        }

        void on_write(boost::system::error_code ec)
        {
            if (ec || !response_->keep_alive() || server_.close_after_response_) {
                close();
                return;
            }
            read_next();
        }

        static response_type make_response(reply source, bool client_keeps_alive, bool is_head)
        {
            namespace http = boost::beast::http;

            response_type response;
            response.version(11);
            response.result(static_cast<unsigned>(source.status));
            if (!source.reason.empty())
                response.reason(source.reason);
            for (const auto& [name, value] : source.headers)
                response.insert(name, value);

            // RFC 9110 section 8.6 forbids Content-Length in 1xx and 204 responses and lets a 304 omit it.
            bool framing_given = response.count(http::field::content_length) > 0 ||
                                 response.count(http::field::transfer_encoding) > 0;
            bool status_has_no_body = source.status < 200 || source.status == 204 || source.status == 304;
            if (!framing_given && !status_has_no_body) {
                if (source.chunked && !is_head)
                    response.chunked(true);
                else
                    response.content_length(source.body.size());
            }

            // A response to HEAD announces the body's length but carries no body (RFC 9110 section 9.3.2),
            // and 1xx, 204 and 304 responses never carry one (RFC 9110 section 6.4.1).
            if (!is_head && !status_has_no_body)
                response.body() = std::move(source.body);

            response.keep_alive(client_keeps_alive && !source.close_after);
            return response;
        }

        http_server& server_;
        tcp::socket socket_;
        boost::asio::steady_timer timer_;
        std::size_t id_;
        boost::beast::flat_buffer buffer_;
        std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
        std::unique_ptr<response_type> response_;
    };

    void accept_next()
    {
        acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
            if (ec)
                return; // The acceptor was closed or failed, so the server accepts no more connections.

            std::size_t id = ++connections_accepted_;
            auto started = std::make_shared<session>(*this, std::move(socket), id);
            std::erase_if(sessions_, [](const std::weak_ptr<session>& weak) { return weak.expired(); });
            sessions_.push_back(started);
            started->start();
            accept_next();
        });
    }

    /// Records `request` and returns the reply of its route, or 404 when there is none.
    reply handle(const received_request& request)
    {
        request_handler handler;
        {
            std::lock_guard lock(mutex_);
            requests_.push_back(request);
            auto found = routes_.find({request.method, request.path});
            if (found == routes_.end() && request.method == "HEAD")
                found = routes_.find({"GET", request.path});
            if (found == routes_.end())
                found = routes_.find({"*", request.path});
            if (found != routes_.end())
                handler = found->second;
        }
        request_arrived_.notify_all();

        if (!handler)
            return json_reply(404, R"({"error":"not found"})");

        reply result;
        try {
            result = handler(request);
        } catch (const std::exception& e) {
            return text_reply(500, std::string("request handler threw: ") + e.what());
        }

        // Beast rejects status codes above 999 with an exception, and HTTP defines none below 100.
        if (result.status < 100 || result.status > 999)
            return text_reply(500, "request handler returned the invalid status " + std::to_string(result.status));
        return result;
    }

    // Declared first so that it is destroyed last, because the sockets and timers below belong to it.
    boost::asio::io_context io_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_ = boost::asio::make_work_guard(io_);
    tcp::acceptor acceptor_;
    unsigned short port_ = 0;

    // Touched only on the server thread, or after it has been joined.
    std::vector<std::weak_ptr<session>> sessions_;

    mutable std::mutex mutex_;
    mutable std::condition_variable request_arrived_;
    std::map<std::pair<std::string, std::string>, request_handler> routes_;
    std::vector<received_request> requests_;

    std::atomic<std::size_t> connections_accepted_{0};
    std::atomic<bool> close_after_response_{false};

    std::thread thread_;
};

namespace detail {

/// The state a `raw_server` shares with its connection threads.
///
/// The destructor interrupts blocking socket calls through `shutdown()` on
/// each socket, and pauses through the condition variable.
struct raw_server_state {
    std::mutex mutex;
    std::condition_variable stop_requested;
    bool stopping = false;
    std::map<std::size_t, tcp::socket::native_handle_type> open_sockets;
    std::vector<received_request> requests;
    std::vector<std::string> behaviour_errors;

    /// Registers an open connection. Returns false when the server is already stopping.
    bool add(std::size_t id, tcp::socket::native_handle_type handle)
    {
        std::lock_guard lock(mutex);
        if (stopping)
            return false;
        open_sockets.emplace(id, handle);
        return true;
    }

    /// Forgets a connection before its socket is closed, so that `stop` never shuts down a reused descriptor.
    void remove(std::size_t id)
    {
        std::lock_guard lock(mutex);
        open_sockets.erase(id);
    }

    /// Wakes every connection thread, so that pauses end and blocked reads and writes fail.
    void stop()
    {
        {
            std::lock_guard lock(mutex);
            stopping = true;
            // ::shutdown is a plain system call on the descriptor, so unlike the Asio socket object it may be
            // used while another thread is blocked on that socket. Reads then return end of stream and writes fail.
            // NOTE: this POSIX call makes raw_server build only on POSIX systems.
            for (const auto& [id, handle] : open_sockets)
                ::shutdown(handle, SHUT_RDWR);
        }
        stop_requested.notify_all();
    }

    /// Waits for `duration`. Returns true, early, when the server starts stopping.
    bool wait_for_stop(std::chrono::milliseconds duration)
    {
        std::unique_lock lock(mutex);
        return stop_requested.wait_for(lock, duration, [this] { return stopping; });
    }

    bool is_stopping()
    {
        std::lock_guard lock(mutex);
        return stopping;
    }
};

} // namespace detail

/// One accepted connection of a `raw_server`, handed to its behaviour.
///
/// The behaviour runs on a thread of its own and uses blocking calls. Every
/// call returns soon after the server starts stopping, so a behaviour built
/// from these calls never delays the server's destructor. Blocking calls on
/// `socket()` itself are interrupted too, but a behaviour must wait with
/// `pause`, never with `std::this_thread::sleep_for`.
class raw_connection {
public:
    using tcp = boost::asio::ip::tcp;

    raw_connection(tcp::socket socket, std::size_t id, detail::raw_server_state& state)
        : socket_(std::move(socket)), id_(id), state_(state)
    {
    }

    raw_connection(const raw_connection&) = delete;
    raw_connection& operator=(const raw_connection&) = delete;

    ~raw_connection() { close(); }

    /// The connected socket, for behaviours the helpers below do not cover.
    tcp::socket& socket() noexcept { return socket_; }

    /// The connection's number, counted from 1 in the order the server accepted them.
    std::size_t id() const noexcept { return id_; }

    /// Reads one HTTP request and records it in the server's `requests()`.
    ///
    /// Returns nothing when the client closed the connection, sent something
    /// that is not a valid request, or the server is stopping.
    std::optional<received_request> read_request()
    {
        boost::beast::http::request_parser<boost::beast::http::string_body> parser;
        parser.header_limit(detail::max_request_header_bytes);
        parser.body_limit(detail::max_request_body_bytes);

        boost::system::error_code ec;
        boost::beast::http::read(socket_, buffer_, parser, ec);
        if (ec)
            return std::nullopt;

        auto received = detail::to_received_request(parser.get(), id_);
        std::lock_guard lock(state_.mutex);
        state_.requests.push_back(received);
        return received;
    }

    /// Writes `bytes` verbatim. Returns false when the write failed or the server is stopping.
    bool send(std::string_view bytes)
    {
        boost::system::error_code ec;
        boost::asio::write(socket_, boost::asio::buffer(bytes.data(), bytes.size()), ec);
        return !ec && !state_.is_stopping();
    }

    /// Waits for `duration`. Returns false, early, when the server starts stopping.
    bool pause(std::chrono::milliseconds duration) { return !state_.wait_for_stop(duration); }

    /// Keeps the connection open, discarding what the client sends, until the client closes it or the server stops.
    void hold_open()
    {
        char discarded[4096];
        boost::system::error_code ec;
        while (!ec)
            socket_.read_some(boost::asio::buffer(discarded), ec);
    }

    /// Closes the connection gracefully: the client reads end of stream.
    ///
    /// Data the client sent that was never read makes the system send a
    /// reset instead, so read the request first when the client must see a
    /// clean end of stream.
    void close()
    {
        if (!socket_.is_open())
            return;
        state_.remove(id_);
        boost::system::error_code ignored;
        socket_.shutdown(tcp::socket::shutdown_both, ignored);
        socket_.close(ignored);
    }

    /// Closes the connection with a TCP reset (linger time 0): the client sees "connection reset by peer".
    void reset()
    {
        if (!socket_.is_open())
            return;
        state_.remove(id_);
        boost::system::error_code ignored;
        socket_.set_option(boost::asio::socket_base::linger(true, 0), ignored);
        socket_.close(ignored);
    }

private:
    tcp::socket socket_;
    std::size_t id_;
    detail::raw_server_state& state_;
    boost::beast::flat_buffer buffer_;
};

/// A TCP server on 127.0.0.1 that runs a scripted behaviour on every connection it accepts.
///
/// Each connection gets a thread of its own, so a behaviour that keeps one
/// connection open does not stop the server from accepting the next. The
/// connection is closed when the behaviour returns. The ready-made
/// behaviours are in the namespace `behaviours`.
///
/// ```cpp
/// raw_server server(behaviours::truncated_body("{\"a\":", 100));
/// auto url = server.url("/items");
/// ```
class raw_server {
public:
    using tcp = boost::asio::ip::tcp;

    /// The function run for each connection. Threads of several connections may call it at the same time.
    using behaviour = std::function<void(raw_connection&)>;

    /// Starts listening; each accepted connection runs `per_connection`.
    explicit raw_server(behaviour per_connection) : behaviour_(std::move(per_connection)), acceptor_(io_)
    {
        detail::listen_on_loopback(acceptor_);
        port_ = acceptor_.local_endpoint().port();
        accept_next();
        accept_thread_ = std::thread([this] { io_.run(); });
    }

    raw_server(const raw_server&) = delete;
    raw_server& operator=(const raw_server&) = delete;

    /// Interrupts every behaviour, closes every connection and joins every thread.
    ~raw_server()
    {
        state_.stop();
        io_.stop();
        if (accept_thread_.joinable())
            accept_thread_.join();

        // No thread is started after the accepting thread has ended.
        for (auto& connection_thread : connection_threads_) {
            if (connection_thread.joinable())
                connection_thread.join();
        }
        boost::system::error_code ignored;
        acceptor_.close(ignored);
    }

    unsigned short port() const noexcept { return port_; }

    /// Returns `http://127.0.0.1:PORT` followed by `path`.
    std::string url(std::string_view path = "/") const { return detail::loopback_url(port_, path); }

    /// Returns the number of TCP connections accepted so far.
    std::size_t connections_accepted() const noexcept { return connections_accepted_; }

    /// Returns a copy of every request that behaviours read with `raw_connection::read_request`.
    std::vector<received_request> requests() const
    {
        std::lock_guard lock(state_.mutex);
        return state_.requests;
    }

    /// Returns the messages of exceptions that escaped a behaviour; empty when none did.
    std::vector<std::string> behaviour_errors() const
    {
        std::lock_guard lock(state_.mutex);
        return state_.behaviour_errors;
    }

private:
    void accept_next()
    {
        acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
            if (ec)
                return; // The acceptor was closed or failed, so the server accepts no more connections.

            std::size_t id = ++connections_accepted_;
            auto connection = std::make_unique<raw_connection>(std::move(socket), id, state_);
            if (!state_.add(id, connection->socket().native_handle()))
                return; // The server is stopping. The connection closes as it goes out of scope.

            connection_threads_.emplace_back([this, connection = std::move(connection)] { run(*connection); });
            accept_next();
        });
    }

    void run(raw_connection& connection)
    {
        try {
            behaviour_(connection);
        } catch (const std::exception& e) {
            std::lock_guard lock(state_.mutex);
            state_.behaviour_errors.push_back("connection " + std::to_string(connection.id()) + ": " + e.what());
        }
        connection.close();
    }

    const behaviour behaviour_;
    mutable detail::raw_server_state state_;

    // Declared before the acceptor so that it is destroyed after it.
    boost::asio::io_context io_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_ = boost::asio::make_work_guard(io_);
    tcp::acceptor acceptor_;
    unsigned short port_ = 0;
    std::atomic<std::size_t> connections_accepted_{0};

    // Grows on the accepting thread only. The destructor reads it after joining that thread.
    // NOTE: finished threads are joined only by the destructor, so each connection keeps its thread's stack
    // reserved until then; fine for tests that open tens of connections, not for thousands.
    std::vector<std::thread> connection_threads_;
    std::thread accept_thread_;
};

/// Ready-made misbehaviours for `raw_server`.
///
/// Unless its description states otherwise, each behaviour reads the
/// client's request first, so that closing afterwards gives the client a
/// clean end of stream rather than a reset.
namespace behaviours {

/// Reads the request and never responds. The connection stays open until the client closes it or the server stops.
inline raw_server::behaviour never_respond()
{
    return [](raw_connection& connection) {
        if (connection.read_request())
            connection.hold_open();
    };
}

/// Reads the request, then sends `bytes` verbatim and closes the connection.
inline raw_server::behaviour send_bytes(std::string bytes)
{
    return [bytes = std::move(bytes)](raw_connection& connection) {
        if (connection.read_request())
            connection.send(bytes);
    };
}

/// Sends a 200 response whose header block arrives at once and whose body
/// then arrives one byte every `interval`.
///
/// The connection closes after the last byte.
inline raw_server::behaviour trickle_body(std::string body, std::chrono::milliseconds interval)
{
    return [body = std::move(body), interval](raw_connection& connection) {
        if (!connection.read_request())
            return;

        std::string head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " +
                           std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
        if (!connection.send(head))
            return;
        for (char byte : body) {
            if (!connection.pause(interval) || !connection.send(std::string_view(&byte, 1)))
                return;
        }
    };
}

/// Sends a 200 response that announces `declared_length` bytes of body but sends only `body`, then closes.
///
/// `declared_length` should be larger than `body.size()`.
inline raw_server::behaviour truncated_body(std::string body, std::size_t declared_length)
{
    return send_bytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                      std::to_string(declared_length) + "\r\n\r\n" + body);
}

/// Sends a chunked 200 response whose second chunk-size line is not hexadecimal, then closes.
inline raw_server::behaviour broken_chunked()
{
    return send_bytes("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "5\r\nhello\r\n"
                      "zz\r\n world\r\n"
                      "0\r\n\r\n");
}

/// Sends a 200 response with two different Content-Length values (5 and 7), which RFC 9112 section 6.3 makes invalid.
inline raw_server::behaviour conflicting_content_length()
{
    return send_bytes("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\n"
                      "hello!!");
}

/// Sends a 200 response whose header block is at least `header_bytes` long, made of `X-Filler-N` fields.
inline raw_server::behaviour huge_headers(std::size_t header_bytes = 1024 * 1024)
{
    std::string response = "HTTP/1.1 200 OK\r\n";
    const std::string filler_value(1000, 'a');
    for (std::size_t n = 0; response.size() < header_bytes; ++n)
        response += "X-Filler-" + std::to_string(n) + ": " + filler_value + "\r\n";
    response += "Content-Length: 2\r\n\r\n{}";
    return send_bytes(std::move(response));
}

/// Sends a line that is not an HTTP status line, then closes.
inline raw_server::behaviour garbage_status_line()
{
    return send_bytes("this is not an HTTP response\r\n\r\n");
}

/// Reads the request and closes the connection without sending a byte: the client reads end of stream.
inline raw_server::behaviour close_without_response()
{
    return [](raw_connection& connection) {
        connection.read_request();
        connection.close();
    };
}

/// Closes each connection as soon as it is accepted, before reading anything.
///
/// The client sees end of stream, or a reset if its request had already
/// arrived unread.
inline raw_server::behaviour close_on_accept()
{
    return [](raw_connection& connection) { connection.close(); };
}

/// Resets each connection as soon as it is accepted, before reading anything.
///
/// Either the client's write of the request or its read of the response
/// fails with "connection reset by peer", depending on timing.
inline raw_server::behaviour reset_on_accept()
{
    return [](raw_connection& connection) { connection.reset(); };
}

} // namespace behaviours

/// Returns a loopback port that refused connections when this function returned.
///
/// The port was bound and released, so nothing listens on it.
/// NOTE: another process may bind the port afterwards. `refusing_port`
/// keeps the port reserved for as long as a test needs it.
inline unsigned short refused_port()
{
    boost::asio::io_context io;
    boost::asio::ip::tcp::socket socket(io);
    boost::asio::ip::tcp::endpoint endpoint(boost::asio::ip::address_v4::loopback(), 0);
    socket.open(endpoint.protocol());
    socket.bind(endpoint);
    return socket.local_endpoint().port();
}

/// A loopback port that refuses connections for as long as this object lives.
///
/// The object keeps a socket bound to the port without listening on it. No
/// other socket can bind the port meanwhile, and a connection attempt gets a
/// reset, which the client reports as ECONNREFUSED.
class refusing_port {
public:
    refusing_port() : socket_(io_)
    {
        boost::asio::ip::tcp::endpoint endpoint(boost::asio::ip::address_v4::loopback(), 0);
        socket_.open(endpoint.protocol());
        socket_.bind(endpoint);
        port_ = socket_.local_endpoint().port();
    }

    unsigned short port() const noexcept { return port_; }

    /// Returns `http://127.0.0.1:PORT` followed by `path`.
    std::string url(std::string_view path = "/") const { return detail::loopback_url(port_, path); }

private:
    boost::asio::io_context io_;
    boost::asio::ip::tcp::socket socket_;
    unsigned short port_ = 0;
};

} // namespace content_client::test_support

#endif // CONTENT_CLIENT_TESTS_SUPPORT_TEST_SERVER_HPP
