// The rate-limit policy that never waits.
#ifndef CONTENT_CLIENT_RATE_LIMIT_NO_RATE_LIMIT_HPP
#define CONTENT_CLIENT_RATE_LIMIT_NO_RATE_LIMIT_HPP

#include <chrono>

namespace content_client {

/// Lets every attempt through at once.
struct no_rate_limit {
    static constexpr bool is_noop = true;
    std::chrono::nanoseconds acquire(std::chrono::steady_clock::time_point) const noexcept { return {}; }
};

}  // namespace content_client

#endif
