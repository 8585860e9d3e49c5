// Error codes and exception classes of content_client.
#ifndef CONTENT_CLIENT_ERROR_HPP
#define CONTENT_CLIENT_ERROR_HPP

#include <content_client/response.hpp>

#include <boost/system/error_code.hpp>

#include <chrono>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace content_client {

using boost::system::error_code;

/// Error conditions reported by the client, its policies and its transports.
///
/// The values are stable: they are part of the non-throwing interface and of
/// the command-line client's exit statuses.
enum class errc {
    /// The response status is not valid for the call (`Error in API call [...]`).
    http_status = 1,
    /// 401 or 403, or a failed credential refresh.
    authentication_failed,
    /// 429 Too Many Requests, or a Retry-After wait the client will not sleep.
    rate_limited,
    /// The execution deadline or the attempt timeout was reached.
    timed_out,
    /// A read phase went past its timeout.
    read_timeout,
    /// A write phase went past its timeout.
    write_timeout,
    /// Name resolution, TCP connect or the TLS handshake went past its timeout.
    connect_timeout,
    /// No pooled connection became free within the pool timeout.
    pool_timeout,
    /// The circuit breaker is open and rejects the call.
    circuit_open,
    /// Every attempt failed on the network.
    retries_exhausted,
    /// An option or policy field has an invalid value.
    invalid_configuration,
    /// Name resolution or the TCP connection failed.
    connection_failed,
    /// The peer closed or reset an established connection.
    connection_reset,
    /// The TLS handshake or certificate verification failed.
    tls_failed,
    /// The proxy rejected or broke the connection.
    proxy_failed,
    /// The response is not valid HTTP/1.1, or its framing is broken.
    protocol_error,
    /// The connection closed before the whole response body arrived.
    truncated_body,
    /// The response body is larger than the configured limit.
    body_too_large,
    /// The response header block is larger than the configured limit.
    headers_too_large,
    /// The body could not be decoded as the requested type (JSON, XML).
    invalid_response,
    /// Too many redirects, or a redirect loop.
    too_many_redirects,
    /// A state store could not read or write its storage.
    state_store_failed,
    /// A state store's storage contains data it cannot parse.
    state_store_corrupt,
};

namespace detail {

class error_category_impl final : public boost::system::error_category {
public:
    const char* name() const noexcept override { return "content_client"; }

    std::string message(int value) const override
    {
        switch (static_cast<errc>(value)) {
        case errc::http_status: return "invalid response status";
        case errc::authentication_failed: return "authentication failed";
        case errc::rate_limited: return "rate limit exceeded";
        case errc::timed_out: return "timed out";
        case errc::read_timeout: return "read timed out";
        case errc::write_timeout: return "write timed out";
        case errc::connect_timeout: return "connect timed out";
        case errc::pool_timeout: return "timed out waiting for a pooled connection";
        case errc::circuit_open: return "circuit breaker is open";
        case errc::retries_exhausted: return "retry attempts exhausted";
        case errc::invalid_configuration: return "invalid configuration";
        case errc::connection_failed: return "connection failed";
        case errc::connection_reset: return "connection reset by peer";
        case errc::tls_failed: return "TLS handshake or certificate verification failed";
        case errc::proxy_failed: return "proxy failed";
        case errc::protocol_error: return "invalid HTTP response";
        case errc::truncated_body: return "response body truncated";
        case errc::body_too_large: return "response body too large";
        case errc::headers_too_large: return "response headers too large";
        case errc::invalid_response: return "response body could not be decoded";
        case errc::too_many_redirects: return "too many redirects";
        case errc::state_store_failed: return "state store read or write failed";
        case errc::state_store_corrupt: return "state store data is not valid";
        }
        return "unknown content_client error";
    }
};

}  // namespace detail

/// Returns the category of `errc` values; its name is "content_client".
inline const boost::system::error_category& error_category() noexcept
{
    static const detail::error_category_impl category;
    return category;
}

inline error_code make_error_code(errc e) noexcept
{
    return {static_cast<int>(e), error_category()};
}

/// Writes the code as its category, value and message, for logs and test output.
inline std::ostream& operator<<(std::ostream& os, errc e)
{
    return os << make_error_code(e);
}

/// Tells whether `ec` is one of the network failures that a retry may cure.
inline bool is_network_error(const error_code& ec) noexcept
{
    if (ec.category() != error_category())
        return false;
    switch (static_cast<errc>(ec.value())) {
    case errc::read_timeout:
    case errc::write_timeout:
    case errc::connect_timeout:
    case errc::pool_timeout:
    case errc::connection_failed:
    case errc::connection_reset:
    case errc::protocol_error:
    case errc::truncated_body:
        return true;
    default:
        return false;
    }
}

/// Details of a failed call, for the non-throwing forms.
struct diagnostics {
    /// The message the throwing form puts in `what()`.
    std::string message{};
    /// Attempts made, including the failed one; 0 when nothing was sent.
    int attempts = 0;
    /// The server's Retry-After value, when the failure carried one.
    std::optional<std::chrono::duration<double>> retry_after{};
    /// Time until the circuit breaker lets a probe through.
    std::optional<std::chrono::duration<double>> retry_in{};
    /// The last response received, if any.
    std::optional<response> last_response{};

    void clear()
    {
        message.clear();
        attempts = 0;
        retry_after.reset();
        retry_in.reset();
        last_response.reset();
    }
};

/// Base of every exception the client throws.
///
/// `what()` is the message (for an invalid status, BaseClient's
/// `Error in API call [404] - Not Found` followed by the body). The last
/// response and the number of attempts are attached. Messages never contain
/// credentials.
class error : public std::runtime_error {
public:
    error(error_code code, diagnostics info)
        : std::runtime_error(info.message), code_(code), info_(std::move(info))
    {
    }

    /// The error code; its category is `content_client::error_category()`
    /// or, for failures passed through unchanged, the originating category.
    const error_code& code() const noexcept { return code_; }

    /// The last response received, or `nullptr` when none arrived.
    const content_client::response* response() const noexcept
    {
        return info_.last_response ? &*info_.last_response : nullptr;
    }

    /// Attempts made before the error was raised.
    int attempts() const noexcept { return info_.attempts; }

    const diagnostics& details() const noexcept { return info_; }

private:
    error_code code_{};
    diagnostics info_;
};

/// 401 or 403 from the API, or a failed credential refresh.
class authentication_error : public error {
public:
    using error::error;
};

/// 429 from the API, or a Retry-After wait past the deadline or the cap.
class rate_limit_error : public error {
public:
    using error::error;

    /// The server's Retry-After value, when it sent one that parsed.
    std::optional<std::chrono::duration<double>> retry_after() const { return details().retry_after; }
};

/// The execution deadline, the attempt timeout or a phase timeout was reached.
class timeout_error : public error {
public:
    using error::error;
};

/// The circuit breaker is open.
class circuit_open_error : public error {
public:
    using error::error;

    /// Time until the breaker lets the next probe through.
    std::optional<std::chrono::duration<double>> retry_in() const { return details().retry_in; }
};

/// Network failures persisted through every attempt.
class retry_error : public error {
public:
    using error::error;
};

/// An option or a policy field has an invalid value.
class configuration_error : public error {
public:
    explicit configuration_error(std::string message)
        : error(make_error_code(errc::invalid_configuration), diagnostics{std::move(message)})
    {
    }
    using error::error;
};

/// Throws the exception class that matches `code`.
[[noreturn]] inline void throw_error(const error_code& code, diagnostics info)
{
    if (code.category() == error_category()) {
        switch (static_cast<errc>(code.value())) {
        case errc::authentication_failed: throw authentication_error(code, std::move(info));
        case errc::rate_limited: throw rate_limit_error(code, std::move(info));
        case errc::timed_out:
        case errc::read_timeout:
        case errc::write_timeout:
        case errc::connect_timeout:
        case errc::pool_timeout: throw timeout_error(code, std::move(info));
        case errc::circuit_open: throw circuit_open_error(code, std::move(info));
        case errc::retries_exhausted: throw retry_error(code, std::move(info));
        case errc::invalid_configuration: throw configuration_error(code, std::move(info));
        default: break;
        }
    }
    throw error(code, std::move(info));
}

}  // namespace content_client

template <>
struct boost::system::is_error_code_enum<content_client::errc> : std::true_type {};

#endif
