// The retry schedule of BaseClient's urllib3 `Retry`, for calls that pass `retries`.
#ifndef CONTENT_CLIENT_DETAIL_URLLIB3_RETRY_HPP
#define CONTENT_CLIENT_DETAIL_URLLIB3_RETRY_HPP

#include <content_client/error.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>
#include <random>
#include <span>
#include <string_view>

namespace content_client::detail {

/// urllib3's cap on one backoff sleep, in seconds (`Retry.DEFAULT_BACKOFF_MAX`).
inline constexpr double urllib3_backoff_max = 120.0;
/// urllib3's cap on a Retry-After sleep, in seconds (`Retry.retry_after_max`, urllib3 2.x).
inline constexpr double urllib3_retry_after_max = 21600.0;

/// Methods BaseClient lets urllib3 retry after a response or a read failure.
inline bool urllib3_method_allowed(std::string_view method) noexcept
{
    return method == "GET" || method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

/// Tells whether urllib3 retries a response: the method is allowed and the
/// status is in the force list, or the status is 413, 429 or 503 and the
/// response carries a Retry-After field.
inline bool urllib3_retries_status(std::string_view method, int status, std::span<const int> force_list,
                                   bool has_retry_after) noexcept
{
    if (!urllib3_method_allowed(method))
        return false;
    if (std::find(force_list.begin(), force_list.end(), status) != force_list.end())
        return true;
    return has_retry_after && (status == 413 || status == 429 || status == 503);
}

/// Tells whether urllib3 retries a network failure: a failure before the
/// request was sent (connect error or timeout) for any method, a read
/// failure only for allowed methods.
inline bool urllib3_retries_error(std::string_view method, const error_code& ec, bool request_sent) noexcept
{
    if (!is_network_error(ec))
        return false;
    if (!request_sent || ec == errc::connect_timeout || ec == errc::connection_failed)
        return true;
    return urllib3_method_allowed(method);
}

/// The sleep before the next attempt after `consecutive_failures` failed
/// attempts: the response's Retry-After when it has one (at most 6 hours),
/// else 0 after the first failure and `factor * 2^(k-1)` plus up to `jitter`
/// seconds after the k-th, at most 120 s.
inline std::chrono::nanoseconds urllib3_sleep(int consecutive_failures, double backoff_factor, double backoff_jitter,
                                             std::optional<std::chrono::nanoseconds> retry_after)
{
    using seconds_f = std::chrono::duration<double>;
    if (retry_after) {
        auto capped = std::min(seconds_f(*retry_after).count(), urllib3_retry_after_max);
        return std::chrono::duration_cast<std::chrono::nanoseconds>(seconds_f(capped));
    }
    if (consecutive_failures <= 1)
        return {};

    double exponent = std::min(consecutive_failures - 1, 64);
    double seconds = backoff_factor * std::pow(2.0, exponent);
    if (backoff_jitter > 0) {
        std::minstd_rand engine(std::random_device{}());
        seconds += std::uniform_real_distribution<double>(0.0, 1.0)(engine) * backoff_jitter;
    }
    seconds = std::clamp(seconds, 0.0, urllib3_backoff_max);
    return std::chrono::duration_cast<std::chrono::nanoseconds>(seconds_f(seconds));
}

}  // namespace content_client::detail

#endif
