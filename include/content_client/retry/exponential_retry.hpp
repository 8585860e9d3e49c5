// Retry with exponential backoff, jitter and Retry-After.
#ifndef CONTENT_CLIENT_RETRY_EXPONENTIAL_RETRY_HPP
#define CONTENT_CLIENT_RETRY_EXPONENTIAL_RETRY_HPP

#include <content_client/detail/text.hpp>
#include <content_client/error.hpp>
#include <content_client/options.hpp>
#include <content_client/policy_types.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace content_client {

/// Settings of `exponential_retry`; the defaults are the reference's.
struct retry_policy {
    /// Total attempts of a call, the first included (not retries).
    int max_attempts = 5;
    /// The delay before the second attempt.
    seconds_f initial_delay{1.0};
    /// The factor between one delay and the next.
    double multiplier = 2.0;
    /// The largest delay, jitter included.
    seconds_f max_delay{60.0};
    /// The fraction of each delay added or removed at random: 0.2 means ±20 %.
    double jitter = 0.2;
    /// Statuses that are retried.
    std::vector<int> retryable_status_codes{408, 413, 425, 429, 500, 502, 503, 504};
    /// Wait the server's Retry-After instead of the computed delay.
    bool respect_retry_after = true;
    /// The longest Retry-After the client sleeps; a longer one ends the call
    /// at once with the status's error, which carries the value.
    seconds_f max_retry_after{900.0};
    /// Retry POST and PATCH after the request may have reached the server.
    /// When false they are retried only when nothing was sent.
    bool retry_non_idempotent = true;
};

/// Checks `policy`; throws `configuration_error` naming the first invalid field.
inline void check_retry_policy(const retry_policy& p)
{
    auto reject = [](std::string field, std::string value, std::string rule) {
        throw configuration_error("invalid retry_policy." + field + " (" + value + "): " + rule);
    };
    if (p.max_attempts < 1)
        reject("max_attempts", std::to_string(p.max_attempts), "it counts every attempt and must be at least 1");
    if (!std::isfinite(p.initial_delay.count()) || p.initial_delay.count() < 0)
        reject("initial_delay", detail::format_seconds(p.initial_delay), "it must be 0 or more seconds");
    if (!std::isfinite(p.multiplier) || p.multiplier < 1.0)
        reject("multiplier", detail::python_float_repr(p.multiplier), "it must be at least 1.0");
    if (!std::isfinite(p.max_delay.count()) || p.max_delay.count() <= 0)
        reject("max_delay", detail::format_seconds(p.max_delay), "it must be a positive number of seconds");
    if (!(p.jitter >= 0.0 && p.jitter <= 1.0))
        reject("jitter", detail::python_float_repr(p.jitter), "it must be between 0.0 and 1.0");
    if (!std::isfinite(p.max_retry_after.count()) || p.max_retry_after.count() < 0)
        reject("max_retry_after", detail::format_seconds(p.max_retry_after), "it must be 0 or more seconds");
    for (int code : p.retryable_status_codes)
        if (code < 100 || code > 599)
            reject("retryable_status_codes", std::to_string(code), "a status is between 100 and 599");
}

/// Retries failed attempts with exponentially growing, jittered delays.
///
/// The delay before attempt n + 1 is `initial_delay * multiplier^(n-1)`,
/// capped at `max_delay`, then moved by up to ±`jitter` of itself and
/// clamped to [0, `max_delay`]. A response with a Retry-After waits that
/// long instead when `respect_retry_after` is set, unless it exceeds
/// `max_retry_after`. Retried: the statuses of the policy (or of the call's
/// `status_list_to_retry`) and network failures (connect, timeouts, reset,
/// protocol errors, a truncated body).
///
/// The random source is injectable: it returns a uniform value in [0, 1).
/// Copies share the random source. Thread-safe.
class exponential_retry {
public:
    using random_source = std::function<double()>;

    explicit exponential_retry(retry_policy policy = {}, random_source random = {})
        : policy_(std::move(policy)), random_(std::move(random))
    {
        check_retry_policy(policy_);
        if (!random_) {
            auto engine = std::make_shared<locked_engine>();
            random_ = [engine] {
                std::lock_guard lock(engine->mutex);
                return std::uniform_real_distribution<double>(0.0, 1.0)(engine->engine);
            };
        }
    }

    const retry_policy& policy() const noexcept { return policy_; }

    /// `retries + 1` when a call passes `retries > 0`, else the policy's `max_attempts`.
    int max_attempts(int retries) const noexcept { return retries > 0 ? retries + 1 : policy_.max_attempts; }

    /// The delay before attempt `attempt + 1`, without jitter or Retry-After.
    std::chrono::nanoseconds base_delay(int attempt) const noexcept
    {
        double exponent = std::max(0, attempt - 1);
        double factor = std::pow(policy_.multiplier, exponent);
        double seconds = policy_.initial_delay.count() * factor;
        if (!std::isfinite(seconds) || seconds > policy_.max_delay.count())
            seconds = policy_.max_delay.count();
        return to_ns(seconds);
    }

    /// Tells whether the outcome may be retried, whatever the attempt count.
    bool is_retryable(const attempt_outcome& o) const noexcept
    {
        if (!policy_.retry_non_idempotent && o.request_sent && (o.method == "POST" || o.method == "PATCH"))
            return false;
        if (o.status) {
            const auto& codes = o.retry_statuses.empty()
                                    ? std::span<const int>(policy_.retryable_status_codes)
                                    : o.retry_statuses;
            return std::find(codes.begin(), codes.end(), *o.status) != codes.end();
        }
        return is_network_error(o.ec);
    }

    /// The wait before the next attempt, or no value to end the call.
    std::optional<std::chrono::nanoseconds> next_delay(const attempt_outcome& o) const
    {
        if (o.attempt >= o.max_attempts || !is_retryable(o))
            return std::nullopt;

        if (o.status && o.retry_after && policy_.respect_retry_after) {
            if (*o.retry_after > std::chrono::duration_cast<std::chrono::nanoseconds>(policy_.max_retry_after))
                return std::nullopt;
            return *o.retry_after;
        }

        double base = std::chrono::duration<double>(base_delay(o.attempt)).count();
        double offset = base * policy_.jitter * (2.0 * random_() - 1.0);
        return to_ns(std::clamp(base + offset, 0.0, policy_.max_delay.count()));
    }

private:
    struct locked_engine {
        std::mutex mutex;
        std::mt19937_64 engine{std::random_device{}()};
    };

    static std::chrono::nanoseconds to_ns(double seconds) noexcept
    {
        return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::duration<double>(seconds));
    }

    retry_policy policy_;
    random_source random_;
};

}  // namespace content_client

#endif
