// HTTP Basic authentication (RFC 7617).
#ifndef CONTENT_CLIENT_AUTH_BASIC_AUTH_HPP
#define CONTENT_CLIENT_AUTH_BASIC_AUTH_HPP

#include <content_client/detail/text.hpp>
#include <content_client/error.hpp>
#include <content_client/transport/message.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace content_client {

/// Sends `Authorization: Basic <base64(username:password)>` over UTF-8.
///
/// Throws `configuration_error` for an empty user name or one containing
/// `:`, which Basic authentication cannot carry. An empty password is allowed.
class basic_auth {
public:
    basic_auth(std::string username, std::string password) : password_(std::move(password))
    {
        if (username.empty())
            throw configuration_error("basic_auth requires a non-empty username");
        if (username.find(':') != std::string::npos)
            throw configuration_error("basic_auth: the username contains ':', which Basic authentication cannot "
                                      "carry (RFC 7617 section 2)");
        value_ = "Basic " + detail::base64_encode(username + ":" + password_);
    }

    void apply(request& req) const { req.headers.set("Authorization", value_); }

    /// The password, and the base64 credentials as sent.
    std::vector<std::string> secret_values() const
    {
        return {password_, value_.substr(std::string_view("Basic ").size())};
    }

    std::string_view name() const noexcept { return "basic"; }

private:
    std::string password_;
    std::string value_;
};

}  // namespace content_client

#endif
