// The client template that composes a transport and five policies.
#ifndef CONTENT_CLIENT_BASIC_CONTENT_CLIENT_HPP
#define CONTENT_CLIENT_BASIC_CONTENT_CLIENT_HPP

#include <content_client/content_client_fwd.hpp>
#include <content_client/detail/config.hpp>
#include <content_client/error.hpp>
#include <content_client/options.hpp>
#include <content_client/response.hpp>
#include <content_client/transport/message.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace content_client {

namespace detail {

/// The client's options with the start of its execution window.
struct client_config {
    client_options options;
    std::chrono::steady_clock::time_point created{};
};

/// The result of one call: a response, or an error with its details.
struct call_result {
    error_code ec{};
    diagnostics info;
    content_client::response response{};
};

}  // namespace detail

CONTENT_CLIENT_COROUTINES_BEGIN

/// An HTTP client for REST APIs, composed from a transport and five policies.
///
/// `Transport` does the I/O and owns time. `Auth` adds credentials,
/// `Retry` chooses attempts and delays, `RateLimit` spaces attempts,
/// `Breaker` stops calls to a failing service and `Metrics` observes. Each
/// policy's `no_*` default removes its step at compile time, so
/// `basic_content_client<T>` behaves as BaseClient and costs what its
/// transport and options cost.
///
/// Every call has three forms: throwing (`http_request`, `get`, ...),
/// non-throwing (with `error_code&`), and asynchronous
/// (`async_http_request`, any Asio completion token).
///
/// Thread safety: one client may be shared by threads and coroutines;
/// the policies it ships with lock what they share.
template <transport Transport, auth_handler Auth, retry_strategy Retry, rate_limiter RateLimit, breaker Breaker,
          metrics_recorder Metrics>
class basic_content_client {
public:
    using transport_type = Transport;
    using auth_type = Auth;
    using retry_type = Retry;
    using rate_limit_type = RateLimit;
    using breaker_type = Breaker;
    using metrics_type = Metrics;

    /// Creates the transport from `options`. Throws `configuration_error`
    /// when an option is invalid, naming it.
    explicit basic_content_client(client_options options, Auth auth = Auth(), Retry retry = Retry(),
                                  RateLimit rate_limit = RateLimit(), Breaker breaker = Breaker(),
                                  Metrics metrics = Metrics())
        requires std::constructible_from<Transport, const client_options&>
        // `options` is copied, not moved: the order in which arguments are
        // evaluated is unspecified, and a move could empty the strings (such
        // as `ca_file`) before the transport reads them.
        : basic_content_client(Transport(options), options, std::move(auth), std::move(retry),
                               std::move(rate_limit), std::move(breaker), std::move(metrics))
    {
    }

    /// Uses the given transport (for example a `testing::mock_transport`
    /// whose copy the test keeps).
    basic_content_client(Transport transport, client_options options, Auth auth = Auth(), Retry retry = Retry(),
                         RateLimit rate_limit = RateLimit(), Breaker breaker = Breaker(),
                         Metrics metrics = Metrics());

    /// Sends a request and returns its response.
    ///
    /// The URL is `base_url` joined with `url_suffix`, or `options.full_url`.
    /// With `resp_type` json (the default) the body must be JSON (an empty
    /// body counts as `{}`), and `response::json()` returns it.
    ///
    /// Throws the error class of the failure: `error` for an invalid status
    /// (`Error in API call [404] - Not Found` and the body),
    /// `authentication_error` for 401 and 403, `rate_limit_error` for 429,
    /// `timeout_error`, `circuit_open_error`, `retry_error`,
    /// `configuration_error`. An exception thrown by `options.error_handler`
    /// propagates unchanged.
    response http_request(std::string_view method, std::string_view url_suffix = {},
                          request_options options = {})
    {
        error_code ec;
        diagnostics info;
        auto result = http_request(method, url_suffix, std::move(options), ec, info);
        if (ec)
            throw_error(ec, std::move(info));
        return result;
    }

    /// Sends a request; reports a failure in `ec` and `info` instead of throwing.
    ///
    /// On failure the returned response is the last one received (for
    /// example the 404), or a default response when none arrived.
    response http_request(std::string_view method, std::string_view url_suffix, request_options options,
                          error_code& ec, diagnostics& info);

    /// Sends a request; reports a failure in `ec` instead of throwing.
    response http_request(std::string_view method, std::string_view url_suffix, request_options options,
                          error_code& ec)
    {
        diagnostics info;
        return http_request(method, url_suffix, std::move(options), ec, info);
    }

    /// Starts a request on the transport's executor and completes `token`
    /// with `void(std::exception_ptr, response)`.
    ///
    /// The exception, when set, is the one the throwing form would throw, so
    /// `co_await client.async_http_request(..., asio::use_awaitable)` throws
    /// `rate_limit_error` for a 429. Works with `use_awaitable`,
    /// `use_future`, `deferred` and callbacks.
    template <class CompletionToken>
    auto async_http_request(std::string method, std::string url_suffix, request_options options,
                            CompletionToken&& token)
    {
        auto ex = boost::asio::any_io_executor(transport_.get_executor());
        return boost::asio::co_spawn(
            ex,
            [this, method = std::move(method), url_suffix = std::move(url_suffix),
             options = std::move(options)]() mutable -> boost::asio::awaitable<response> {
                // A named operation keeps the by-value arguments out of the
                // co_await expression, whose temporaries g++ 12 can destroy twice.
                auto call = run_call(std::move(method), std::move(url_suffix), std::move(options));
                auto result = co_await std::move(call);
                if (result.ec)
                    throw_error(result.ec, std::move(result.info));
                co_return std::move(result.response);
            },
            std::forward<CompletionToken>(token));
    }

    /// Sends a GET; `resp_type` defaults to `response`, so the body is not checked.
    response get(std::string_view url_suffix = {}, request_options options = {})
    {
        return verb("GET", url_suffix, std::move(options));
    }
    /// Sends a POST; put the body in `options.json_data` or `options.data`.
    response post(std::string_view url_suffix = {}, request_options options = {})
    {
        return verb("POST", url_suffix, std::move(options));
    }
    response put(std::string_view url_suffix = {}, request_options options = {})
    {
        return verb("PUT", url_suffix, std::move(options));
    }
    response patch(std::string_view url_suffix = {}, request_options options = {})
    {
        return verb("PATCH", url_suffix, std::move(options));
    }
    /// Sends a DELETE (`delete` is a C++ keyword).
    response delete_(std::string_view url_suffix = {}, request_options options = {})
    {
        return verb("DELETE", url_suffix, std::move(options));
    }

    /// Time left before the execution deadline, or no value without an execution window.
    std::optional<std::chrono::nanoseconds> time_remaining() const
    {
        auto deadline = execution_deadline();
        if (!deadline)
            return std::nullopt;
        auto now = transport_.now();
        return *deadline > now ? *deadline - now : std::chrono::nanoseconds(0);
    }

    const client_options& options() const noexcept { return config_.options; }
    Transport& transport() noexcept { return transport_; }
    Auth& auth() noexcept { return auth_; }
    Retry& retry() noexcept { return retry_; }
    RateLimit& rate_limit() noexcept { return rate_limit_; }
    Breaker& circuit_breaker() noexcept { return breaker_; }
    Metrics& metrics() noexcept { return metrics_; }

private:
    response verb(std::string_view method, std::string_view url_suffix, request_options options)
    {
        if (!options.resp_type)
            options.resp_type = resp_type::response;
        return http_request(method, url_suffix, std::move(options));
    }

    std::optional<std::chrono::steady_clock::time_point> execution_deadline() const
    {
        const auto& t = config_.options.timeouts;
        if (!t.execution)
            return std::nullopt;
        return config_.created +
               std::chrono::duration_cast<std::chrono::nanoseconds>(*t.execution - t.safety_buffer);
    }

    boost::asio::awaitable<detail::call_result> run_call(std::string method, std::string url_suffix,
                                                         request_options options);

    Transport transport_;
    detail::client_config config_;
    [[no_unique_address]] Auth auth_;
    [[no_unique_address]] Retry retry_;
    [[no_unique_address]] RateLimit rate_limit_;
    [[no_unique_address]] Breaker breaker_;
    [[no_unique_address]] Metrics metrics_;
};

CONTENT_CLIENT_COROUTINES_END

}  // namespace content_client

#include <content_client/impl/basic_content_client.hpp>

#endif
