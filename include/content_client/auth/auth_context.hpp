// The optional hooks of authentication handlers and the services they receive.
#ifndef CONTENT_CLIENT_AUTH_AUTH_CONTEXT_HPP
#define CONTENT_CLIENT_AUTH_AUTH_CONTEXT_HPP

#include <content_client/error.hpp>
#include <content_client/transport/message.hpp>

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <concepts>
#include <functional>
#include <string>
#include <vector>

namespace content_client {

/// The services a handler may use while it prepares an attempt: the
/// client's transport, whatever its type, and its clocks.
struct auth_context {
    /// Sends a request over the client's transport (same TLS and proxy settings).
    std::function<boost::asio::awaitable<send_result>(const request&, const send_options&)> send{};
    /// The transport's monotonic clock.
    std::function<std::chrono::steady_clock::time_point()> now{};
    /// The transport's wall clock, for expiries that outlive the process.
    std::function<std::chrono::system_clock::time_point()> system_now{};
};

/// The result of preparing credentials: empty, or the failure with a message
/// that never contains a secret.
struct auth_result {
    error_code ec{};
    std::string message{};
};

/// Handlers that fetch credentials before an attempt (OAuth2) have
/// `co_await h.async_prepare(ctx)` returning `auth_result`.
template <class H>
concept auth_with_prepare = requires(H& h, auth_context& ctx) {
    { h.async_prepare(ctx) } -> std::same_as<boost::asio::awaitable<auth_result>>;
};

/// Handlers that can cure a 401 have `h.on_unauthorized(rejected)`: it
/// returns true when the call should send the request once more with fresh
/// credentials.
template <class H>
concept auth_with_unauthorized_hook = requires(H& h, const request& rejected) {
    { h.on_unauthorized(rejected) } -> std::convertible_to<bool>;
};

/// Handlers that put a credential in a header other than `Authorization`
/// name it in `h.sensitive_headers()`, so it is dropped on a redirect to
/// another host.
template <class H>
concept auth_with_sensitive_headers = requires(const H& h) {
    { h.sensitive_headers() } -> std::convertible_to<std::vector<std::string>>;
};

/// Handlers list the credentials they send in `h.secret_values()`, in each
/// form a server could echo them (as sent, percent-encoded, base64), so
/// the client replaces them with `<redacted>` in the messages it builds.
template <class H>
concept auth_with_secret_values = requires(const H& h) {
    { h.secret_values() } -> std::convertible_to<std::vector<std::string>>;
};

}  // namespace content_client

#endif
