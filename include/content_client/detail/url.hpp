// URL joining, quoting and query encoding as BaseClient does them.
#ifndef CONTENT_CLIENT_DETAIL_URL_HPP
#define CONTENT_CLIENT_DETAIL_URL_HPP

#include <content_client/detail/text.hpp>
#include <content_client/error.hpp>
#include <content_client/options.hpp>

#include <boost/url/encode.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <boost/url/url.hpp>

#include <functional>
#include <string>
#include <string_view>

namespace content_client::detail {

/// Joins `base` and `suffix` as BaseClient's `urljoin` does: append `/` to
/// `base` unless it ends with one, drop exactly one leading `/` of `suffix`,
/// concatenate.
inline std::string urljoin(std::string_view base, std::string_view suffix)
{
    std::string out(base);
    if (out.empty() || out.back() != '/')
        out += '/';
    if (!suffix.empty() && suffix.front() == '/')
        suffix.remove_prefix(1);
    out += suffix;
    return out;
}

inline bool is_hex_digit(char c) noexcept
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/// Percent-encodes the characters that may not appear in a URL (spaces,
/// quotes, non-ASCII bytes, a `%` not followed by two hex digits) and keeps
/// every reserved and unreserved character, as `requests.utils.requote_uri` does.
inline std::string requote(std::string_view url)
{
    static constexpr std::string_view allowed =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=";
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(url.size());
    for (std::size_t i = 0; i < url.size(); ++i) {
        char c = url[i];
        if (c == '%' && i + 2 < url.size() && is_hex_digit(url[i + 1]) && is_hex_digit(url[i + 2])) {
            out += c;
            continue;
        }
        if (c != '%' && allowed.find(c) != std::string_view::npos) {
            out += c;
            continue;
        }
        auto byte = static_cast<unsigned char>(c);
        out += '%';
        out += hex[byte >> 4];
        out += hex[byte & 0x0f];
    }
    return out;
}

/// Encodes one name or value as `application/x-www-form-urlencoded`: unreserved
/// characters stay, a space becomes `+`, every other byte becomes `%XX`.
inline std::string form_encode(std::string_view s)
{
    boost::urls::encoding_opts opts;
    opts.space_as_plus = true;
    return boost::urls::encode(s, boost::urls::unreserved_chars, opts);
}

/// Encodes `fields` as `name=value&name=value`, each part through `quote`
/// when it is set, else through `form_encode`.
inline std::string encode_fields(const name_value_list& fields,
                                 const std::function<std::string(std::string_view)>& quote = {})
{
    std::string out;
    for (const auto& [name, value] : fields) {
        if (!out.empty())
            out += '&';
        out += quote ? quote(name) : form_encode(name);
        out += '=';
        out += quote ? quote(value) : form_encode(value);
    }
    return out;
}

/// Builds the URL of a call and checks it.
///
/// With `full_url` empty, the URL is `urljoin(base_url, url_suffix)` and must
/// keep the scheme, host and port of `base_url`, so a suffix cannot send the
/// request (and its credentials) to another host. Query parameters are
/// appended to any query the URL already has. Returns the URL or sets `message`.
inline std::string build_url(std::string_view base_url, std::string_view url_suffix, const request_options& opts,
                             std::string& message)
{
    std::string joined;
    if (!opts.full_url.empty()) {
        joined = requote(opts.full_url);
    } else if (base_url.empty()) {
        message = "client_options.base_url is empty; set it, or pass request_options.full_url";
        return {};
    } else {
        joined = requote(urljoin(base_url, url_suffix));
    }

    // Messages quote the URL without the password of its user information.
    auto quoted = [&] { return redact_url_passwords(joined); };
    auto parsed = boost::urls::parse_uri(joined);
    if (!parsed) {
        if (joined.find("://") == std::string::npos)
            message = "invalid URL '" + quoted() + "': it must be absolute, starting with http:// or https://";
        else
            message = "invalid URL '" + quoted() + "': " + parsed.error().message();
        return {};
    }
    boost::urls::url url = *parsed;
    if (url.scheme_id() != boost::urls::scheme::http && url.scheme_id() != boost::urls::scheme::https) {
        message = "invalid URL '" + quoted() + "': the scheme must be http or https";
        return {};
    }
    if (url.encoded_host().empty()) {
        message = "invalid URL '" + quoted() + "': the host is missing";
        return {};
    }

    if (opts.full_url.empty()) {
        const std::string base_text = requote(base_url);
        auto base = boost::urls::parse_uri(base_text);
        if (!base || base->scheme() != url.scheme() || base->encoded_host() != url.encoded_host() ||
            base->port() != url.port() || base->encoded_userinfo() != url.encoded_userinfo()) {
            message = "url_suffix '" + std::string(url_suffix) +
                      "' changes the scheme, host or port of base_url; use request_options.full_url to call another host";
            return {};
        }
    }

    if (!opts.params.empty()) {
        std::string query = encode_fields(opts.params, opts.params_parser);
        if (url.has_query() && !url.encoded_query().empty())
            query = std::string(url.encoded_query()) + "&" + query;
        try {
            url.set_encoded_query(query);
        } catch (const boost::system::system_error&) {
            message = "invalid query parameters: params_parser produced an invalid percent-encoding; "
                      "each '%' must start an escape such as %2F";
            return {};
        }
    }
    url.remove_fragment();
    return std::string(url.buffer());
}

}  // namespace content_client::detail

#endif
