// The breaker policy that never opens.
#ifndef CONTENT_CLIENT_BREAKER_NO_CIRCUIT_BREAKER_HPP
#define CONTENT_CLIENT_BREAKER_NO_CIRCUIT_BREAKER_HPP

#include <chrono>
#include <optional>

namespace content_client {

/// Lets every call through and records nothing.
struct no_circuit_breaker {
    static constexpr bool is_noop = true;
    std::optional<std::chrono::nanoseconds> allow(std::chrono::steady_clock::time_point) const noexcept { return std::nullopt; }
    void record_success(std::chrono::steady_clock::time_point) const noexcept {}
    void record_failure(std::chrono::steady_clock::time_point) const noexcept {}
};

}  // namespace content_client

#endif
