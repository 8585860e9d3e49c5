// API-key authentication in a header, a query parameter or both.
#ifndef CONTENT_CLIENT_AUTH_API_KEY_AUTH_HPP
#define CONTENT_CLIENT_AUTH_API_KEY_AUTH_HPP

#include <content_client/detail/request_builder.hpp>
#include <content_client/detail/url.hpp>
#include <content_client/error.hpp>
#include <content_client/transport/message.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace content_client {

/// Sends an API key as a header field, a query parameter, or both.
///
/// The query parameter is appended to the URL's query; an existing
/// parameter of the same name is kept. Throws `configuration_error` when
/// the key is empty, when neither a header nor a parameter name is given,
/// or when a name or the key cannot be sent (the key itself never appears
/// in a message).
class api_key_auth {
public:
    api_key_auth(std::string key, std::optional<std::string> header_name, std::optional<std::string> query_param = {})
        : key_(std::move(key)), header_name_(std::move(header_name)), query_param_(std::move(query_param))
    {
        if (key_.empty())
            throw configuration_error("api_key_auth requires a non-empty key");
        if ((!header_name_ || header_name_->empty()) && (!query_param_ || query_param_->empty()))
            throw configuration_error("api_key_auth requires header_name or query_param");
        if (header_name_ && header_name_->empty())
            header_name_.reset();
        if (query_param_ && query_param_->empty())
            query_param_.reset();
        if (header_name_) {
            std::string message;
            if (!detail::check_headers({{*header_name_, key_}}, "api_key_auth", message))
                throw configuration_error(message);
        }
    }

    /// Sets the header and appends the query parameter.
    void apply(request& req) const
    {
        if (header_name_)
            req.headers.set(*header_name_, key_);
        if (query_param_) {
            auto fragment = req.url.find('#');
            std::string tail = fragment == std::string::npos ? std::string() : req.url.substr(fragment);
            if (fragment != std::string::npos)
                req.url.erase(fragment);
            req.url += req.url.find('?') == std::string::npos ? '?' : '&';
            req.url += detail::form_encode(*query_param_) + "=" + detail::form_encode(key_) + tail;
        }
    }

    /// The header that carries the key, dropped on a redirect to another host.
    std::vector<std::string> sensitive_headers() const
    {
        if (header_name_)
            return {*header_name_};
        return {};
    }

    /// The key as sent in a header and as sent in the query.
    std::vector<std::string> secret_values() const { return {key_, detail::form_encode(key_)}; }

    std::string_view name() const noexcept { return "api_key"; }

private:
    std::string key_;
    std::optional<std::string> header_name_;
    std::optional<std::string> query_param_;
};

}  // namespace content_client

#endif
