// Token-bucket rate limiting.
#ifndef CONTENT_CLIENT_RATE_LIMIT_TOKEN_BUCKET_HPP
#define CONTENT_CLIENT_RATE_LIMIT_TOKEN_BUCKET_HPP

#include <content_client/detail/text.hpp>
#include <content_client/error.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace content_client {

/// Settings of `token_bucket`; the defaults are the reference's (disabled).
struct rate_limit_policy {
    /// Tokens added per second; 0 disables the limit.
    double rate_per_second = 0.0;
    /// The maximum number of tokens in the bucket, and the number it starts with.
    int burst = 1;
    /// Pause every attempt until a 429's Retry-After has passed.
    bool respect_retry_after = true;
};

/// Checks `policy`; throws `configuration_error` naming the first invalid field.
inline void check_rate_limit_policy(const rate_limit_policy& p)
{
    if (!std::isfinite(p.rate_per_second) || p.rate_per_second < 0)
        throw configuration_error("invalid rate_limit_policy.rate_per_second (" +
                                  detail::python_float_repr(p.rate_per_second) +
                                  "): it must be 0 (disabled) or a positive number of requests per second");
    if (p.burst < 1)
        throw configuration_error("invalid rate_limit_policy.burst (" + std::to_string(p.burst) +
                                  "): the bucket must hold at least 1 token");
}

/// Spaces attempts with a token bucket: it starts with `burst` tokens,
/// gains `rate_per_second` tokens a second up to `burst`, and every
/// attempt (retries included) takes one.
///
/// `acquire` never blocks: it reserves the next token and returns how long
/// the caller must wait before using it, so concurrent callers queue in
/// order. Copies share the bucket. Thread-safe.
class token_bucket {
public:
    using time_point = std::chrono::steady_clock::time_point;

    explicit token_bucket(rate_limit_policy policy = {}) : state_(std::make_shared<state>())
    {
        check_rate_limit_policy(policy);
        state_->policy = policy;
        state_->tokens = policy.burst;
    }

    const rate_limit_policy& policy() const noexcept { return state_->policy; }

    /// Takes one token; returns the wait before it may be used (zero when one was free).
    std::chrono::nanoseconds acquire(time_point now)
    {
        std::lock_guard lock(state_->mutex);
        auto& s = *state_;
        if (s.policy.rate_per_second <= 0)
            return pause_left(s, now);

        refill(s, now);
        s.tokens -= 1.0;
        std::chrono::nanoseconds wait{};
        if (s.tokens < 0)
            wait = to_ns(-s.tokens / s.policy.rate_per_second);
        return std::max(wait, pause_left(s, now));
    }

    /// Pauses every attempt until `now + retry_after` (a 429's Retry-After),
    /// when the policy respects it.
    void on_retry_after(time_point now, std::chrono::nanoseconds retry_after)
    {
        std::lock_guard lock(state_->mutex);
        if (!state_->policy.respect_retry_after)
            return;
        auto until = now + retry_after;
        if (!state_->paused_until || *state_->paused_until < until)
            state_->paused_until = until;
    }

    /// Tokens available at `now`; negative when callers are queued.
    double tokens(time_point now)
    {
        std::lock_guard lock(state_->mutex);
        refill(*state_, now);
        return state_->tokens;
    }

private:
    struct state {
        std::mutex mutex;
        rate_limit_policy policy;
        double tokens = 0;
        std::optional<time_point> last_refill;
        std::optional<time_point> paused_until;
    };

    static std::chrono::nanoseconds to_ns(double seconds)
    {
        return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::duration<double>(seconds));
    }

    static void refill(state& s, time_point now)
    {
        if (!s.last_refill) {
            s.last_refill = now;
            return;
        }
        if (now <= *s.last_refill)
            return;
        double elapsed = std::chrono::duration<double>(now - *s.last_refill).count();
        s.tokens = std::min<double>(s.policy.burst, s.tokens + elapsed * s.policy.rate_per_second);
        s.last_refill = now;
    }

    static std::chrono::nanoseconds pause_left(const state& s, time_point now)
    {
        if (!s.paused_until || *s.paused_until <= now)
            return {};
        return *s.paused_until - now;
    }

    std::shared_ptr<state> state_;
};

}  // namespace content_client

#endif
