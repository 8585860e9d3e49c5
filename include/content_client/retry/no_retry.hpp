// The retry policy of BaseClient: no retry unless a call passes `retries`.
#ifndef CONTENT_CLIENT_RETRY_NO_RETRY_HPP
#define CONTENT_CLIENT_RETRY_NO_RETRY_HPP

#include <content_client/policy_types.hpp>

#include <chrono>
#include <optional>

namespace content_client {

/// Makes one attempt per call.
///
/// A call that passes `retries = n > 0` still makes n + 1 attempts, spaced
/// and chosen as BaseClient's urllib3 `Retry` does: see `request_options`.
struct no_retry {
    static constexpr bool is_noop = true;
    int max_attempts(int retries) const noexcept { return retries > 0 ? retries + 1 : 1; }
    std::optional<std::chrono::nanoseconds> next_delay(const attempt_outcome&) const noexcept { return std::nullopt; }
};

}  // namespace content_client

#endif
