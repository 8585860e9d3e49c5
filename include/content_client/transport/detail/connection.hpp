// One HTTP/1.1 connection of beast_transport, plain or TLS, with its read buffer.
#ifndef CONTENT_CLIENT_TRANSPORT_DETAIL_CONNECTION_HPP
#define CONTENT_CLIENT_TRANSPORT_DETAIL_CONNECTION_HPP

#include <content_client/detail/config.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/system/error_code.hpp>

#include <cstddef>
#include <optional>
#include <tuple>

namespace content_client::detail {

CONTENT_CLIENT_COROUTINES_BEGIN

/// A TCP connection, with a TLS stream on top for https, and the buffer of
/// bytes read from it but not parsed yet.
///
/// Every operation runs on the executor given to the constructor, one at a
/// time. Operations complete with `(error_code, bytes)` instead of throwing.
class connection {
public:
    /// Bytes reserved in the read buffer up front, so a large body is read
    /// in large pieces.
    static constexpr std::size_t read_buffer_reserve = 64 * 1024;

    using tls_stream = boost::beast::ssl_stream<boost::beast::tcp_stream>;
    using io_result = std::tuple<boost::system::error_code, std::size_t>;

    /// Creates a plain connection.
    explicit connection(const boost::asio::any_io_executor& executor) : plain_(std::in_place, executor)
    {
        buffer_.reserve(read_buffer_reserve);
    }

    /// Creates a connection that runs TLS over TCP with the settings of `context`.
    connection(const boost::asio::any_io_executor& executor, boost::asio::ssl::context& context)
        : tls_(std::in_place, executor, context)
    {
        buffer_.reserve(read_buffer_reserve);
    }

    /// The TCP stream, which carries the timeouts and the socket.
    boost::beast::tcp_stream& tcp() noexcept { return tls_ ? tls_->next_layer() : *plain_; }

    /// The TLS stream, or `nullptr` for a plain connection.
    tls_stream* tls() noexcept { return tls_ ? &*tls_ : nullptr; }

    /// Bytes received and not parsed yet.
    boost::beast::flat_buffer& buffer() noexcept { return buffer_; }

    /// Writes a whole HTTP message.
    template <class Message>
    boost::asio::awaitable<io_result> async_write(const Message& message)
    {
        constexpr auto token = boost::asio::as_tuple(boost::asio::use_awaitable);
        if (tls_)
            co_return co_await boost::beast::http::async_write(*tls_, message, token);
        co_return co_await boost::beast::http::async_write(*plain_, message, token);
    }

    /// Reads one whole HTTP message into `parser`.
    template <class Parser>
    boost::asio::awaitable<io_result> async_read(Parser& parser)
    {
        constexpr auto token = boost::asio::as_tuple(boost::asio::use_awaitable);
        if (tls_)
            co_return co_await boost::beast::http::async_read(*tls_, buffer_, parser, token);
        co_return co_await boost::beast::http::async_read(*plain_, buffer_, parser, token);
    }

private:
    std::optional<boost::beast::tcp_stream> plain_;
    std::optional<tls_stream> tls_;
    boost::beast::flat_buffer buffer_;
};

CONTENT_CLIENT_COROUTINES_END

}  // namespace content_client::detail

#endif
