// Bearer-token authentication (RFC 6750 section 2.1).
#ifndef CONTENT_CLIENT_AUTH_BEARER_TOKEN_AUTH_HPP
#define CONTENT_CLIENT_AUTH_BEARER_TOKEN_AUTH_HPP

#include <content_client/detail/request_builder.hpp>
#include <content_client/error.hpp>
#include <content_client/transport/message.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace content_client {

/// Sends `Authorization: Bearer <token>`.
///
/// Throws `configuration_error` for an empty token or one that contains
/// CR, LF or NUL; the token never appears in a message.
class bearer_token_auth {
public:
    explicit bearer_token_auth(std::string token) : value_("Bearer " + token)
    {
        if (token.empty())
            throw configuration_error("bearer_token_auth requires a non-empty token");
        std::string message;
        if (!detail::check_headers({{"Authorization", value_}}, "bearer_token_auth", message))
            throw configuration_error(message);
    }

    void apply(request& req) const { req.headers.set("Authorization", value_); }

    /// The token.
    std::vector<std::string> secret_values() const { return {value_.substr(std::string_view("Bearer ").size())}; }

    std::string_view name() const noexcept { return "bearer"; }

private:
    std::string value_;
};

}  // namespace content_client

#endif
