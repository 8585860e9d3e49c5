// The records that the client passes to its policies.
#ifndef CONTENT_CLIENT_POLICY_TYPES_HPP
#define CONTENT_CLIENT_POLICY_TYPES_HPP

#include <content_client/error.hpp>

#include <chrono>
#include <optional>
#include <span>
#include <string_view>

namespace content_client {

/// The outcome of one attempt, given to the retry strategy.
struct attempt_outcome {
    /// The attempt that just ended, counting from 1.
    int attempt = 1;
    /// The total attempts allowed for this call.
    int max_attempts = 1;
    std::string_view method{};
    /// The status, when a response arrived.
    std::optional<int> status{};
    /// The network error, when no response arrived.
    error_code ec{};
    /// True when a byte of the request may have reached the server.
    bool request_sent = false;
    /// The server's Retry-After value, when the response had one that parsed.
    std::optional<std::chrono::nanoseconds> retry_after{};
    /// Statuses the call retries (`status_list_to_retry`); empty means the policy's list.
    std::span<const int> retry_statuses{};
    /// Time since the previous attempt ended in failure, on the transport's clock.
    std::chrono::steady_clock::time_point now{};
};

/// The record of one attempt, given to the metrics policy.
struct attempt_record {
    std::string_view method{};
    /// The URL of the call, without the auth handler's query parameter and
    /// with `<redacted>` for a user information password.
    std::string_view url{};
    int attempt = 1;
    std::optional<int> status{};
    error_code ec{};
    std::chrono::nanoseconds latency{};
    /// The delay chosen before the next attempt, when there is one.
    std::optional<std::chrono::nanoseconds> next_delay{};
    bool with_metrics = false;
};

/// The record of one call, given to the metrics policy.
struct call_record {
    std::string_view method{};
    /// The URL of the call, as in `attempt_record`.
    std::string_view url{};
    int attempts = 0;
    std::optional<int> status{};
    /// Empty on success.
    error_code ec{};
    std::chrono::nanoseconds elapsed{};
    bool with_metrics = false;
};

}  // namespace content_client

#endif
