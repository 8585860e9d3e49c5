// An authentication handler chosen at run time.
#ifndef CONTENT_CLIENT_AUTH_ANY_AUTH_HPP
#define CONTENT_CLIENT_AUTH_ANY_AUTH_HPP

#include <content_client/auth/auth_context.hpp>
#include <content_client/detail/config.hpp>
#include <content_client/concepts.hpp>
#include <content_client/transport/message.hpp>

#include <boost/asio/awaitable.hpp>

#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace content_client {

CONTENT_CLIENT_COROUTINES_BEGIN

/// Holds any authentication handler, chosen at run time, with its optional
/// hooks (token refresh, 401 handling, sensitive header names, secret values).
///
/// A default-constructed `any_auth` adds no credentials. Copies share the
/// handler, so a token fetched through one copy serves the others.
class any_auth {
public:
    any_auth() = default;

    template <auth_handler Handler>
        requires(!std::is_same_v<std::remove_cvref_t<Handler>, any_auth>)
    any_auth(Handler handler) : impl_(std::make_shared<model<Handler>>(std::move(handler)))
    {
    }

    void apply(request& req)
    {
        if (impl_)
            impl_->apply(req);
    }

    boost::asio::awaitable<auth_result> async_prepare(auth_context& ctx)
    {
        if (impl_)
            co_return co_await impl_->async_prepare(ctx);
        co_return auth_result{};
    }

    bool on_unauthorized(const request& rejected) { return impl_ && impl_->on_unauthorized(rejected); }

    std::vector<std::string> sensitive_headers() const
    {
        return impl_ ? impl_->sensitive_headers() : std::vector<std::string>{};
    }

    std::vector<std::string> secret_values() const
    {
        return impl_ ? impl_->secret_values() : std::vector<std::string>{};
    }

    /// True when a handler is held.
    explicit operator bool() const noexcept { return impl_ != nullptr; }

private:
    struct concept_base {
        virtual ~concept_base() = default;
        virtual void apply(request& req) = 0;
        virtual boost::asio::awaitable<auth_result> async_prepare(auth_context& ctx) = 0;
        virtual bool on_unauthorized(const request& rejected) = 0;
        virtual std::vector<std::string> sensitive_headers() const = 0;
        virtual std::vector<std::string> secret_values() const = 0;
    };

    template <class Handler>
    struct model final : concept_base {
        explicit model(Handler h) : handler(std::move(h)) {}

        void apply(request& req) override { handler.apply(req); }

        boost::asio::awaitable<auth_result> async_prepare(auth_context& ctx) override
        {
            if constexpr (auth_with_prepare<Handler>)
                co_return co_await handler.async_prepare(ctx);
            else
                co_return auth_result{};
        }

        bool on_unauthorized(const request& rejected) override
        {
            if constexpr (auth_with_unauthorized_hook<Handler>)
                return handler.on_unauthorized(rejected);
            else
                return false;
        }

        std::vector<std::string> sensitive_headers() const override
        {
            if constexpr (auth_with_sensitive_headers<Handler>)
                return handler.sensitive_headers();
            else
                return {};
        }

        std::vector<std::string> secret_values() const override
        {
            if constexpr (auth_with_secret_values<Handler>)
                return handler.secret_values();
            else
                return {};
        }

        Handler handler;
    };

    std::shared_ptr<concept_base> impl_;
};

CONTENT_CLIENT_COROUTINES_END

}  // namespace content_client

#endif
