// The parts of an http or https URL that one HTTP/1.1 exchange needs.
#ifndef CONTENT_CLIENT_TRANSPORT_DETAIL_URL_PARTS_HPP
#define CONTENT_CLIENT_TRANSPORT_DETAIL_URL_PARTS_HPP

#include <boost/url/parse.hpp>
#include <boost/url/scheme.hpp>
#include <boost/url/url_view.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace content_client::detail {

/// A request URL split into what the connection, the request line and the
/// error messages use.
struct url_parts {
    /// True for `https`.
    bool tls = false;
    /// True when the host is an IPv4 or IPv6 address rather than a name.
    bool host_is_address = false;
    /// The host name or address to resolve and verify, IPv6 without brackets.
    std::string host;
    /// The port, the scheme's default when the URL names none.
    std::uint16_t port = 0;
    /// The `Host` field value: the host, then `:port` unless it is the default port.
    std::string host_field;
    /// The host and port for messages, for example `127.0.0.1:8080` or `[::1]:443`.
    std::string host_and_port;
    /// The request target in origin form: the encoded path (at least `/`) and query.
    std::string target;
    /// `scheme://host:port`, the key of the connection pool.
    std::string origin;
    /// `scheme://host[:port]/path` for messages.
    ///
    /// It leaves out user information and the query, because both may carry
    /// credentials.
    std::string location;
};

/// Returns the scheme's default port: 443 for https, 80 for http.
inline std::uint16_t default_port(bool tls) noexcept { return tls ? 443 : 80; }

/// Splits an absolute http or https URL into `parts`.
///
/// Returns false and sets `error` to a sentence naming the problem when the
/// URL is not valid, has no host, or uses another scheme.
inline bool parse_url_parts(std::string_view url, url_parts& parts, std::string& error)
{
    auto parsed = boost::urls::parse_uri(url);
    if (!parsed) {
        // The URL itself stays out of the message, because its query or user information may contain credentials.
        error = "the request URL is not a valid absolute URI: " + parsed.error().message();
        return false;
    }
    const boost::urls::url_view& view = *parsed;

    if (view.scheme_id() != boost::urls::scheme::http && view.scheme_id() != boost::urls::scheme::https) {
        error = "the URL scheme '" + std::string(view.scheme()) + "' is not supported; use http or https";
        return false;
    }
    parts.tls = view.scheme_id() == boost::urls::scheme::https;

    switch (view.host_type()) {
    case boost::urls::host_type::name:
        parts.host_is_address = false;
        break;
    case boost::urls::host_type::ipv4:
    case boost::urls::host_type::ipv6:
        parts.host_is_address = true;
        break;
    default:
        error = "the request URL has no host name or IP address";
        return false;
    }
    parts.host = view.host_address();
    if (parts.host.empty()) {
        error = "the request URL has an empty host";
        return false;
    }

    // "http://host:/" has an empty port, which RFC 3986 section 3.2.3 treats as the default.
    parts.port = default_port(parts.tls);
    const bool explicit_port = view.has_port() && !view.port().empty();
    if (explicit_port) {
        if (view.port_number() == 0) {
            error = "the URL port '" + std::string(view.port()) + "' is not a number from 1 to 65535";
            return false;
        }
        parts.port = view.port_number();
    }

    const std::string encoded_host(view.encoded_host());
    const std::string port_text = std::to_string(parts.port);
    const std::string scheme = parts.tls ? "https" : "http";
    parts.host_and_port = encoded_host + ":" + port_text;
    parts.host_field = parts.port == default_port(parts.tls) ? encoded_host : parts.host_and_port;
    parts.origin = scheme + "://" + parts.host_and_port;

    std::string path(view.encoded_path());
    if (path.empty())
        path = "/";
    parts.target = path;
    if (view.has_query())
        parts.target += "?" + std::string(view.encoded_query());
    parts.location = scheme + "://" + parts.host_field + path;
    return true;
}

}  // namespace content_client::detail

#endif
