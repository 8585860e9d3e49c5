// The messages a transport exchanges: the request it sends, its options and its result.
#ifndef CONTENT_CLIENT_TRANSPORT_MESSAGE_HPP
#define CONTENT_CLIENT_TRANSPORT_MESSAGE_HPP

#include <content_client/error.hpp>
#include <content_client/http_headers.hpp>
#include <content_client/response.hpp>

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace content_client {

/// A request ready to send: the client built its URL, header fields and body.
struct request {
    /// The method in upper case, for example "GET".
    std::string method{};
    /// The absolute `http` or `https` URL, query included.
    std::string url{};
    http_headers headers{};
    std::string body{};
};

/// The settings a transport applies to one attempt.
struct send_options {
    /// Bound on name resolution, TCP connect and the TLS handshake.
    std::chrono::nanoseconds connect_timeout = std::chrono::seconds(10);
    /// Bound on sending the request.
    std::chrono::nanoseconds write_timeout = std::chrono::seconds(60);
    /// Bound on receiving the response.
    std::chrono::nanoseconds read_timeout = std::chrono::seconds(60);
    /// Bound on waiting for a free pooled connection.
    std::chrono::nanoseconds pool_timeout = std::chrono::seconds(60);
    /// Bound on the whole attempt, on the transport's clock.
    std::optional<std::chrono::steady_clock::time_point> deadline{};
    /// Follow redirects.
    bool follow_redirects = true;
    /// Maximum number of redirects followed.
    int max_redirects = 30;
    /// Header fields removed when a redirect leaves the original scheme, host or port.
    std::vector<std::string> sensitive_headers{};
};

/// The result of one attempt.
struct send_result {
    /// Empty on success, else a `content_client::errc` value.
    error_code ec{};
    /// A message naming what failed (the address, the timeout, the limit);
    /// never contains header values.
    std::string message{};
    /// The response, valid when `ec` is empty.
    content_client::response response{};
    /// True when any byte of the request may have reached the server.
    bool request_sent = false;
};

}  // namespace content_client

#endif
