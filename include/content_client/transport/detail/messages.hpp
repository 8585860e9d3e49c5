// Helpers of beast_transport that build request messages, responses, phase
// expiries and the text of error messages.
#ifndef CONTENT_CLIENT_TRANSPORT_DETAIL_MESSAGES_HPP
#define CONTENT_CLIENT_TRANSPORT_DETAIL_MESSAGES_HPP

#include <content_client/http_headers.hpp>
#include <content_client/response.hpp>
#include <content_client/transport/detail/content_decoding.hpp>
#include <content_client/transport/detail/proxy.hpp>
#include <content_client/transport/detail/url_parts.hpp>
#include <content_client/transport/message.hpp>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/span_body.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace content_client::detail {

/// A request message whose body refers to `request::body` without copying it.
using outgoing_request = boost::beast::http::request<boost::beast::http::span_body<const char>>;

/// The moment one phase (connect, write or read) must end.
struct phase_expiry {
    std::chrono::steady_clock::time_point at;
    /// True when the attempt's deadline comes before the phase's own timeout.
    bool by_deadline = false;
    /// The phase's own timeout, for messages.
    std::chrono::nanoseconds timeout{};
};

/// Computes when a phase that starts at `now` must end: after `timeout`, or
/// at `deadline` when that comes first.
inline phase_expiry make_phase_expiry(std::chrono::steady_clock::time_point now, std::chrono::nanoseconds timeout,
                                      std::optional<std::chrono::steady_clock::time_point> deadline)
{
    using clock = std::chrono::steady_clock;

    // Saturate instead of overflowing when the timeout is huge.
    auto at = clock::time_point::max();
    const auto room = clock::time_point::max() - now;
    if (timeout < std::chrono::duration_cast<std::chrono::nanoseconds>(room))
        at = now + std::chrono::duration_cast<clock::duration>(std::max(timeout, std::chrono::nanoseconds::zero()));

    if (deadline && *deadline <= at)
        return {*deadline, true, timeout};
    return {at, false, timeout};
}

/// Formats a duration in seconds with at most three decimals, for example "2 s" or "0.25 s".
inline std::string format_seconds(std::chrono::nanoseconds d)
{
    char text[64];
    std::snprintf(text, sizeof text, "%.3f", std::chrono::duration<double>(d).count());
    std::string s(text);
    s.erase(s.find_last_not_of('0') + 1);
    if (!s.empty() && s.back() == '.')
        s.pop_back();
    return s + " s";
}

/// Returns a failed `send_result` with `code` and `message`.
inline send_result failure(errc code, std::string message, bool request_sent)
{
    send_result result;
    result.ec = make_error_code(code);
    result.message = std::move(message);
    result.request_sent = request_sent;
    return result;
}

/// Reports a phase that ran past its expiry. `unfinished` describes the
/// phase, and `timeout_name` names its timeout, for example "connect timeout".
inline send_result timeout_failure(const phase_expiry& expiry, errc phase_code, const std::string& unfinished,
                                   const std::string& timeout_name, bool request_sent = false)
{
    if (expiry.by_deadline)
        return failure(errc::timed_out, unfinished + " before the deadline of the attempt", request_sent);
    return failure(phase_code, unfinished + " within the " + timeout_name + " of " + format_seconds(expiry.timeout),
                   request_sent);
}

/// True for a method token as RFC 9110 section 9.1 and 5.6.2 define it.
inline bool is_http_token(std::string_view s) noexcept
{
    constexpr std::string_view extra = "!#$%&'*+-.^_`|~";
    return !s.empty() && std::all_of(s.begin(), s.end(), [&](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               extra.find(c) != std::string_view::npos;
    });
}

/// True when a header name or value contains a byte that would end the
/// field early (CR, LF or NUL), which would let it inject other fields.
inline bool has_line_break(std::string_view s) noexcept
{
    return s.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

/// True for the methods whose requests always carry Content-Length, even
/// with an empty body.
inline bool method_expects_body(std::string_view method) noexcept
{
    return method == "POST" || method == "PUT" || method == "PATCH";
}

/// Builds the HTTP/1.1 request message for `req`.
///
/// With `http_proxy`, the target is in absolute form (RFC 9112 section
/// 3.2.2) and the proxy's credentials, if any, go in Proxy-Authorization.
/// Accept-Encoding is `default_accept_encoding` unless `req` sets it.
/// Returns false and sets `error` when the method or a header field is not
/// valid; the message names the field but never its value.
inline bool build_request_message(const request& req, const url_parts& url, outgoing_request& message,
                                  std::string& error, const proxy_endpoint* http_proxy = nullptr)
{
    if (!is_http_token(req.method)) {
        error = "the request method '" + req.method + "' is not a valid HTTP method token";
        return false;
    }
    message.version(11);
    message.method_string(req.method);
    if (http_proxy)
        message.target((url.tls ? "https://" : "http://") + url.host_field + url.target);
    else
        message.target(url.target);

    if (!req.headers.contains("Host"))
        message.set(boost::beast::http::field::host, url.host_field);
    if (!req.headers.contains("Accept-Encoding"))
        message.set(boost::beast::http::field::accept_encoding, default_accept_encoding);
    if (http_proxy && !http_proxy->authorization.empty() && !req.headers.contains("Proxy-Authorization"))
        message.set(boost::beast::http::field::proxy_authorization, http_proxy->authorization);
    for (const auto& [name, value] : req.headers) {
        if (!is_http_token(name)) {
            error = "the request header name '" + name + "' is not a valid field name";
            return false;
        }
        if (has_line_break(value)) {
            error = "the value of the request header '" + name + "' contains CR, LF or NUL";
            return false;
        }
        message.insert(name, value);
    }

    if (!req.body.empty() || method_expects_body(req.method)) {
        message.body() = {req.body.data(), req.body.size()};
        message.content_length(req.body.size());
    }
    return true;
}

/// Converts a parsed response into a `content_client::response` for `url`.
inline response make_response(boost::beast::http::response<boost::beast::http::string_body>&& message,
                              std::string url)
{
    http_headers headers;
    for (const auto& field : message)
        headers.add(std::string(field.name_string()), std::string(field.value()));

    std::string reason(message.reason());
    if (reason.empty())
        reason = std::string(boost::beast::http::obsolete_reason(message.result()));

    return response(static_cast<int>(message.result_int()), std::move(reason), std::move(headers),
                    std::move(message.body()), std::move(url));
}

/// True for the statuses that `send_options::follow_redirects` follows.
inline bool is_redirect_status(int status) noexcept
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

}  // namespace content_client::detail

#endif
