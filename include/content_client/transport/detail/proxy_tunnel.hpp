// The CONNECT tunnel through an HTTP proxy (RFC 9110 section 9.3.6) that an
// https request of beast_transport runs its TLS handshake in.
#ifndef CONTENT_CLIENT_TRANSPORT_DETAIL_PROXY_TUNNEL_HPP
#define CONTENT_CLIENT_TRANSPORT_DETAIL_PROXY_TUNNEL_HPP

#include <content_client/error.hpp>
#include <content_client/detail/config.hpp>
#include <content_client/transport/detail/messages.hpp>
#include <content_client/transport/detail/proxy.hpp>
#include <content_client/transport/detail/url_parts.hpp>
#include <content_client/transport/message.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <cstdint>
#include <string>

namespace content_client::detail {

CONTENT_CLIENT_COROUTINES_BEGIN

/// The largest header block accepted in a proxy's response to CONNECT, in bytes.
inline constexpr std::uint32_t max_connect_response_header = 16 * 1024;

/// Asks `proxy`, to which `stream` is connected, for a tunnel to the host
/// and port of `url`, and reads its response.
///
/// Returns true when the proxy responded with a 2xx status. Otherwise sets
/// `result` to `errc::proxy_failed` with a message that names the proxy and
/// the status or the cause, or to a timeout when `stream`'s expiry passes.
/// Messages never contain the proxy credentials.
inline boost::asio::awaitable<bool> open_connect_tunnel(boost::beast::tcp_stream& stream, const url_parts& url,
                                                        const proxy_endpoint& proxy, const phase_expiry& expiry,
                                                        send_result& result)
{
    namespace http = boost::beast::http;
    constexpr auto token = boost::asio::as_tuple(boost::asio::use_awaitable);
    const std::string where = "the proxy " + proxy.host_and_port;

    http::request<http::empty_body> connect_request(http::verb::connect, url.host_and_port, 11);
    connect_request.set(http::field::host, url.host_and_port);
    if (!proxy.authorization.empty())
        connect_request.set(http::field::proxy_authorization, proxy.authorization);

    auto [write_error, written] = co_await http::async_write(stream, connect_request, token);
    if (write_error == boost::beast::error::timeout) {
        result = timeout_failure(expiry, errc::connect_timeout,
                                 "sending CONNECT " + url.host_and_port + " to " + where + " did not finish",
                                 "connect timeout");
        co_return false;
    }
    if (write_error) {
        result = failure(errc::proxy_failed,
                         "sending CONNECT " + url.host_and_port + " to " + where + " failed: " + write_error.message(),
                         false);
        co_return false;
    }

    // The response to CONNECT is read up to the end of its header, because a
    // 2xx response has no body and the tunnel starts right after it.
    boost::beast::flat_buffer buffer;
    http::response_parser<http::empty_body> parser;
    parser.header_limit(max_connect_response_header);
    auto [read_error, read] = co_await http::async_read_header(stream, buffer, parser, token);
    if (read_error == boost::beast::error::timeout) {
        result = timeout_failure(expiry, errc::connect_timeout,
                                 "the response of " + where + " to CONNECT " + url.host_and_port + " did not arrive",
                                 "connect timeout");
        co_return false;
    }
    if (read_error) {
        result = failure(errc::proxy_failed,
                         "reading the response of " + where + " to CONNECT " + url.host_and_port +
                             " failed: " + read_error.message(),
                         false);
        co_return false;
    }

    const auto& response = parser.get();
    const unsigned status = response.result_int();
    if (status < 200 || status >= 300) {
        std::string reason(response.reason());
        result = failure(errc::proxy_failed,
                         where + " responded to CONNECT " + url.host_and_port + " with status " + std::to_string(status) +
                             (reason.empty() ? std::string() : " " + reason),
                         false);
        co_return false;
    }
    if (buffer.size() != 0) {
        result = failure(errc::proxy_failed,
                         where + " sent data after its response to CONNECT " + url.host_and_port +
                             " before the TLS handshake started",
                         false);
        co_return false;
    }
    co_return true;
}

CONTENT_CLIENT_COROUTINES_END

}  // namespace content_client::detail

#endif
