// Building and checking the request of one call.
#ifndef CONTENT_CLIENT_DETAIL_REQUEST_BUILDER_HPP
#define CONTENT_CLIENT_DETAIL_REQUEST_BUILDER_HPP

#include <content_client/detail/text.hpp>
#include <content_client/detail/url.hpp>
#include <content_client/options.hpp>
#include <content_client/transport/message.hpp>
#include <content_client/version.hpp>

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <random>
#include <string>
#include <string_view>

namespace content_client::detail {

/// The User-Agent sent when neither the client's nor the call's headers set one.
inline constexpr std::string_view default_user_agent = "content_client/" CONTENT_CLIENT_VERSION_STRING;

/// Tells whether `s` is an RFC 9110 token (section 5.6.2): a method or a field name.
inline bool is_token(std::string_view s) noexcept
{
    static constexpr std::string_view specials = "!#$%&'*+-.^_`|~";
    if (s.empty())
        return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        auto u = static_cast<unsigned char>(c);
        return std::isalnum(u) || specials.find(c) != std::string_view::npos;
    });
}

/// Checks header fields; the message names the field but never its value,
/// which may be a credential. Returns false and sets `message` on failure.
inline bool check_headers(const http_headers& headers, std::string_view where, std::string& message)
{
    for (const auto& [name, value] : headers) {
        if (!is_token(name)) {
            message = "invalid header name '" + name + "' in " + std::string(where) +
                      ": a name is a non-empty token of letters, digits and !#$%&'*+-.^_`|~";
            return false;
        }
        if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
            message = "invalid value for header '" + name + "' in " + std::string(where) +
                      ": it contains CR, LF or NUL; remove the line breaks";
            return false;
        }
    }
    return true;
}

/// Builds a `multipart/form-data` body (RFC 7578) of `form` fields and `files`.
inline std::string build_multipart(const name_value_list* form, const std::vector<upload_file>& files,
                                   std::string& content_type)
{
    std::mt19937_64 engine(std::random_device{}());
    std::string boundary = "content-client-";
    static constexpr char hex[] = "0123456789abcdef";
    for (int i = 0; i < 24; ++i)
        boundary += hex[engine() & 0xf];
    content_type = "multipart/form-data; boundary=" + boundary;

    auto quoted = [](std::string_view s) {
        std::string out;
        for (char c : s) {
            if (c == '"')
                out += "%22";
            else if (c == '\r')
                out += "%0D";
            else if (c == '\n')
                out += "%0A";
            else
                out += c;
        }
        return out;
    };

    std::string body;
    if (form) {
        for (const auto& [name, value] : *form) {
            body += "--" + boundary + "\r\n";
            body += "Content-Disposition: form-data; name=\"" + quoted(name) + "\"\r\n\r\n";
            body += value + "\r\n";
        }
    }
    for (const auto& file : files) {
        body += "--" + boundary + "\r\n";
        body += "Content-Disposition: form-data; name=\"" + quoted(file.field) + "\"; filename=\"" +
                quoted(file.filename) + "\"\r\n";
        body += "Content-Type: " + file.content_type + "\r\n\r\n";
        body += file.content + "\r\n";
    }
    body += "--" + boundary + "--\r\n";
    return body;
}

/// Builds the request of a call, without credentials from the Auth policy.
///
/// Returns false and sets `message` when an option is invalid; the caller
/// reports that as `configuration_error`.
inline bool build_request(const client_options& client, std::string_view method, std::string_view url_suffix,
                          const request_options& opts, request& out, std::string& message)
{
    out.method.assign(method);
    std::transform(out.method.begin(), out.method.end(), out.method.begin(),
                   [](char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); });
    if (!is_token(out.method)) {
        message = "invalid HTTP method '" + std::string(method) + "': a method is a non-empty token such as GET";
        return false;
    }

    for (int code : opts.ok_codes) {
        if (code < 100 || code > 599) {
            message = "invalid status " + std::to_string(code) +
                      " in request_options.ok_codes: a status is between 100 and 599";
            return false;
        }
    }
    if (opts.timeout) {
        for (auto value : {opts.timeout->connect, opts.timeout->read}) {
            if (!(value.count() > 0) || !std::isfinite(value.count())) {
                message = "invalid request_options.timeout (" + format_seconds(value) +
                          "): it must be a positive number of seconds";
                return false;
            }
        }
    }

    out.url = build_url(client.base_url, url_suffix, opts, message);
    if (out.url.empty())
        return false;

    // Per-call headers replace the client's, as BaseClient does.
    const bool per_call = !opts.headers.empty();
    out.headers = per_call ? opts.headers : client.headers;
    if (!check_headers(out.headers, per_call ? "request_options.headers" : "client_options.headers", message))
        return false;
    if (!out.headers.contains("User-Agent"))
        out.headers.add("User-Agent", std::string(default_user_agent));

    const auto& credentials = opts.auth ? opts.auth : client.auth;
    if (credentials) {
        if (credentials->username.find(':') != std::string::npos) {
            message = "invalid HTTP Basic credentials: the user name contains ':', which Basic authentication "
                      "cannot carry (RFC 7617 section 2)";
            return false;
        }
        out.headers.set("Authorization",
                        "Basic " + base64_encode(credentials->username + ":" + credentials->password));
    }

    // The body: `data` wins over `json_data`, as in requests; files make it multipart.
    const auto* raw = opts.data.raw();
    const auto* form = opts.data.form();
    if (!opts.files.empty()) {
        if (raw) {
            message = "request_options.data is raw text but files are given; pass data as form fields to send "
                      "both as multipart/form-data";
            return false;
        }
        std::string content_type;
        out.body = build_multipart(form, opts.files, content_type);
        if (!out.headers.contains("Content-Type"))
            out.headers.add("Content-Type", content_type);
    } else if (raw) {
        out.body = *raw;
    } else if (form) {
        out.body = encode_fields(*form);
        if (!out.headers.contains("Content-Type"))
            out.headers.add("Content-Type", "application/x-www-form-urlencoded");
    } else if (opts.json_data) {
        out.body = boost::json::serialize(*opts.json_data);
        if (!out.headers.contains("Content-Type"))
            out.headers.add("Content-Type", "application/json");
    }
    return true;
}

}  // namespace content_client::detail

#endif
