// A circuit breaker: closed, open, half-open.
#ifndef CONTENT_CLIENT_BREAKER_CIRCUIT_BREAKER_HPP
#define CONTENT_CLIENT_BREAKER_CIRCUIT_BREAKER_HPP

#include <content_client/detail/text.hpp>
#include <content_client/error.hpp>
#include <content_client/options.hpp>

#include <chrono>
#include <cmath>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace content_client {

/// Settings of `circuit_breaker`; the defaults are the reference's.
struct circuit_breaker_policy {
    /// Failed calls in a row that open the breaker.
    int failure_threshold = 5;
    /// Time the breaker stays open before it lets one probe through.
    seconds_f recovery_timeout{60.0};
};

/// Checks `policy`; throws `configuration_error` naming the first invalid field.
inline void check_circuit_breaker_policy(const circuit_breaker_policy& p)
{
    if (p.failure_threshold < 1)
        throw configuration_error("invalid circuit_breaker_policy.failure_threshold (" +
                                  std::to_string(p.failure_threshold) + "): it must be at least 1");
    if (!std::isfinite(p.recovery_timeout.count()) || p.recovery_timeout.count() <= 0)
        throw configuration_error("invalid circuit_breaker_policy.recovery_timeout (" +
                                  detail::format_seconds(p.recovery_timeout) +
                                  "): it must be a positive number of seconds");
}

/// The state of a `circuit_breaker`.
enum class breaker_state { closed, open, half_open };

/// Rejects calls after `failure_threshold` failed calls in a row.
///
/// Closed: every call goes through; a success resets the count. Open: every
/// call is rejected until `recovery_timeout` has passed since it opened.
/// Half-open: exactly one call (the probe) goes through, whatever the
/// concurrency, and the others are rejected; a successful probe closes the
/// breaker, a failed one opens it again. Copies share the state. Thread-safe.
class circuit_breaker {
public:
    using time_point = std::chrono::steady_clock::time_point;

    explicit circuit_breaker(circuit_breaker_policy policy = {}) : state_(std::make_shared<shared>())
    {
        check_circuit_breaker_policy(policy);
        state_->policy = policy;
    }

    const circuit_breaker_policy& policy() const noexcept { return state_->policy; }

    /// Lets a call through (no value), or returns the time until the next probe.
    std::optional<std::chrono::nanoseconds> allow(time_point now)
    {
        std::lock_guard lock(state_->mutex);
        auto& s = *state_;
        switch (s.state) {
        case breaker_state::closed:
            return std::nullopt;
        case breaker_state::open: {
            auto reopen = *s.opened_at + recovery(s);
            if (now < reopen)
                return reopen - now;
            s.state = breaker_state::half_open;
            return std::nullopt;
        }
        case breaker_state::half_open:
            // The probe is in flight; if it fails the breaker stays open for a full recovery timeout.
            return recovery(s);
        }
        return std::nullopt;
    }

    /// Tells whether a call at `now` would be rejected, without taking the probe.
    bool is_open(time_point now) const
    {
        std::lock_guard lock(state_->mutex);
        const auto& s = *state_;
        if (s.state == breaker_state::half_open)
            return true;
        return s.state == breaker_state::open && now < *s.opened_at + recovery(s);
    }

    void record_success(time_point)
    {
        std::lock_guard lock(state_->mutex);
        state_->state = breaker_state::closed;
        state_->failures = 0;
        state_->opened_at.reset();
    }

    void record_failure(time_point now)
    {
        std::lock_guard lock(state_->mutex);
        auto& s = *state_;
        ++s.failures;
        if (s.state == breaker_state::half_open || s.failures >= s.policy.failure_threshold) {
            s.state = breaker_state::open;
            s.opened_at = now;
        }
    }

    /// The state at `now`; an open breaker whose timeout has passed reports `half_open`.
    breaker_state state(time_point now) const
    {
        std::lock_guard lock(state_->mutex);
        const auto& s = *state_;
        if (s.state == breaker_state::open && now >= *s.opened_at + recovery(s))
            return breaker_state::half_open;
        return s.state;
    }

    /// Failed calls in a row so far.
    int failures() const
    {
        std::lock_guard lock(state_->mutex);
        return state_->failures;
    }

private:
    struct shared {
        mutable std::mutex mutex;
        circuit_breaker_policy policy;
        breaker_state state = breaker_state::closed;
        int failures = 0;
        std::optional<time_point> opened_at;
    };

    static std::chrono::nanoseconds recovery(const shared& s)
    {
        return std::chrono::duration_cast<std::chrono::nanoseconds>(s.policy.recovery_timeout);
    }

    std::shared_ptr<shared> state_;
};

}  // namespace content_client

#endif
