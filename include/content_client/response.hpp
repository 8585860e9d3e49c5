// The response of one HTTP request.
#ifndef CONTENT_CLIENT_RESPONSE_HPP
#define CONTENT_CLIENT_RESPONSE_HPP

#include <content_client/http_headers.hpp>

#include <simdjson.h>

#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

namespace content_client {

/// A received HTTP response: status line, header fields, body and final URL.
///
/// Copies share the parsed JSON document, which the response owns; a
/// `simdjson::dom::element` taken from `json()` stays valid while any copy of
/// the response lives. Calling `json()` from several threads on one
/// response is safe.
class response {
public:
    response() : body_(std::make_shared<body_state>(std::string())) {}

    response(int status, std::string reason, http_headers headers, std::string body, std::string url)
        : status_(status),
          reason_(std::move(reason)),
          headers_(std::move(headers)),
          body_(std::make_shared<body_state>(std::move(body))),
          url_(std::move(url))
    {
    }

    /// The status code, for example 200; 0 for a default-constructed response.
    int status() const noexcept { return status_; }

    /// The reason phrase the server sent, or the standard one when it sent none.
    std::string_view reason() const noexcept { return reason_; }

    const http_headers& headers() const noexcept { return headers_; }

    /// The value of the first header field called `name` (case-insensitive).
    std::optional<std::string_view> header(std::string_view name) const { return headers_.find(name); }

    /// The body as text, without decoding a character set.
    std::string_view text() const noexcept { return body_ ? std::string_view(body_->text) : std::string_view(); }

    /// The body as bytes.
    std::span<const std::byte> content() const noexcept
    {
        auto t = text();
        return {reinterpret_cast<const std::byte*>(t.data()), t.size()};
    }

    /// The final URL of the request, after redirects.
    std::string_view url() const noexcept { return url_; }

    /// True when the status is below 400, as `requests.Response.ok` is.
    bool ok() const noexcept { return status_ < 400; }

    /// Parses the body as JSON with simdjson on first use.
    ///
    /// An empty body yields an empty object. Throws `std::runtime_error`
    /// naming the simdjson error when the body is not valid JSON; the client
    /// turns that into `content_client::error` with BaseClient's message.
    simdjson::dom::element json() const
    {
        auto result = try_json();
        if (result.error())
            throw std::runtime_error(std::string("response body is not valid JSON: ") +
                                     simdjson::error_message(result.error()));
        return result.value_unsafe();
    }

    /// Parses the body as JSON and reports a failure as a simdjson error code.
    simdjson::simdjson_result<simdjson::dom::element> try_json() const
    {
        auto& b = *body_;
        std::call_once(b.parsed, [&b] {
            std::string_view source = b.text;
            if (source.find_first_not_of(" \t\r\n") == std::string_view::npos)
                source = "{}";
            b.parser = std::make_unique<simdjson::dom::parser>();
            b.document = b.parser->parse(source.data(), source.size(), true);
        });
        return b.document;
    }

    /// The time between sending the request and receiving the whole response.
    std::chrono::nanoseconds elapsed() const noexcept { return elapsed_; }
    void set_elapsed(std::chrono::nanoseconds d) noexcept { elapsed_ = d; }
    void set_url(std::string url) { url_ = std::move(url); }

private:
    struct body_state {
        explicit body_state(std::string t) : text(std::move(t)) {}
        std::string text;
        std::once_flag parsed;
        std::unique_ptr<simdjson::dom::parser> parser;
        simdjson::simdjson_result<simdjson::dom::element> document{simdjson::UNINITIALIZED};
    };

    int status_ = 0;
    std::string reason_;
    http_headers headers_;
    std::shared_ptr<body_state> body_;
    std::string url_;
    std::chrono::nanoseconds elapsed_{};
};

}  // namespace content_client

#endif
