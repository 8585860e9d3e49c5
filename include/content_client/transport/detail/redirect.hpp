// The request that follows a redirect response, as RFC 9110 section 15.4 describes it.
#ifndef CONTENT_CLIENT_TRANSPORT_DETAIL_REDIRECT_HPP
#define CONTENT_CLIENT_TRANSPORT_DETAIL_REDIRECT_HPP

#include <content_client/http_headers.hpp>
#include <content_client/transport/detail/url_parts.hpp>
#include <content_client/transport/message.hpp>

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include <string>
#include <string_view>

namespace content_client::detail {

/// Header fields dropped when a redirect changes the scheme, host or port,
/// besides `send_options::sensitive_headers`.
inline constexpr std::string_view cross_origin_dropped_headers[] = {
    "Authorization",
    "Proxy-Authorization",
    "Cookie",
    "Host",
};

/// Builds in `next` the request that follows the redirect `status` with
/// `location` from `current`, which was sent to `from`.
///
/// 303 turns every method but HEAD into GET (RFC 9110 section 15.4.4). 301
/// and 302 turn POST into GET, which sections 15.4.2 and 15.4.3 allow for
/// historical reasons. A request turned into GET loses its body and the
/// fields that describe the body. 307 and 308 keep the method and the body. Returns false and sets `error` when `location` is not
/// a valid URI reference or leads to an unsupported URL.
inline bool make_redirect_request(const request& current, const url_parts& from, int status,
                                  std::string_view location, const send_options& opts, request& next,
                                  url_parts& next_url, std::string& error)
{
    auto base = boost::urls::parse_uri(current.url);
    auto reference = boost::urls::parse_uri_reference(location);
    if (!base || !reference) {
        error = "the Location of the " + std::to_string(status) + " redirect from " + from.location +
                " is not a valid URI reference";
        return false;
    }
    boost::urls::url target;
    if (auto resolved = boost::urls::resolve(*base, *reference, target); !resolved) {
        error = "the Location of the " + std::to_string(status) + " redirect from " + from.location +
                " cannot be resolved: " + resolved.error().message();
        return false;
    }
    next.url = std::string(target.buffer());

    std::string url_error;
    if (!parse_url_parts(next.url, next_url, url_error)) {
        error = "the " + std::to_string(status) + " redirect from " + from.location +
                " leads to an unsupported URL: " + url_error;
        return false;
    }

    next.headers = current.headers;
    const bool to_get = (status == 303 && current.method != "HEAD") ||
                        ((status == 301 || status == 302) && current.method == "POST");
    if (to_get) {
        next.method = "GET";
        next.body.clear();
        next.headers.erase("Content-Length");
        next.headers.erase("Content-Type");
        next.headers.erase("Transfer-Encoding");
    } else {
        next.method = current.method;
        next.body = current.body;
    }

    if (!iequals(next_url.origin, from.origin)) {
        for (auto name : cross_origin_dropped_headers)
            next.headers.erase(name);
        for (const auto& name : opts.sensitive_headers)
            next.headers.erase(name);
    }
    return true;
}

}  // namespace content_client::detail

#endif
