// Counters of call outcomes by category, as the reference's execution metrics.
#ifndef CONTENT_CLIENT_METRICS_EXECUTION_METRICS_HPP
#define CONTENT_CLIENT_METRICS_EXECUTION_METRICS_HPP

#include <content_client/error.hpp>
#include <content_client/policy_types.hpp>

#include <atomic>
#include <cstdint>
#include <memory>

namespace content_client {

/// A snapshot of `execution_metrics`.
struct execution_counts {
    std::uint64_t success = 0;
    /// 429 and rate-limit failures.
    std::uint64_t quota_error = 0;
    /// 401, 403 and failed credential refreshes.
    std::uint64_t auth_error = 0;
    /// Any other invalid status.
    std::uint64_t service_error = 0;
    /// Failures outside the other categories (an undecodable body, a circuit breaker rejection).
    std::uint64_t general_error = 0;
    std::uint64_t connection_error = 0;
    std::uint64_t timeout_error = 0;
    std::uint64_t ssl_error = 0;
    std::uint64_t proxy_error = 0;
    /// Calls whose retries were exhausted.
    std::uint64_t retry_error = 0;
    /// Attempts that were retried (every attempt after the first of a call).
    std::uint64_t retries = 0;

    friend bool operator==(const execution_counts&, const execution_counts&) = default;
};

/// Counts each call once, by its final outcome, and each retry.
///
/// Unlike the reference, which counts every failed attempt, a 503 followed
/// by a 200 counts one success and one retry. With `count_all` false, only
/// calls that pass `with_metrics` are counted (BaseClient's opt-in). Copies
/// share the counters. Thread-safe (atomic counters).
class execution_metrics {
public:
    explicit execution_metrics(bool count_all = true) : counters_(std::make_shared<counters>()), count_all_(count_all)
    {
    }

    void on_attempt(const attempt_record& record)
    {
        if (counted(record.with_metrics) && record.next_delay)
            ++counters_->retries;
    }

    void on_call(const call_record& record)
    {
        if (!counted(record.with_metrics))
            return;
        ++category(record.ec);
    }

    /// The counters now.
    execution_counts counts() const
    {
        const auto& c = *counters_;
        execution_counts out;
        out.success = c.success;
        out.quota_error = c.quota_error;
        out.auth_error = c.auth_error;
        out.service_error = c.service_error;
        out.general_error = c.general_error;
        out.connection_error = c.connection_error;
        out.timeout_error = c.timeout_error;
        out.ssl_error = c.ssl_error;
        out.proxy_error = c.proxy_error;
        out.retry_error = c.retry_error;
        out.retries = c.retries;
        return out;
    }

private:
    struct counters {
        std::atomic<std::uint64_t> success{0}, quota_error{0}, auth_error{0}, service_error{0}, general_error{0},
            connection_error{0}, timeout_error{0}, ssl_error{0}, proxy_error{0}, retry_error{0}, retries{0};
    };

    bool counted(bool with_metrics) const noexcept { return count_all_ || with_metrics; }

    std::atomic<std::uint64_t>& category(const error_code& ec)
    {
        auto& c = *counters_;
        if (!ec)
            return c.success;
        if (ec.category() != error_category())
            return c.general_error;
        switch (static_cast<errc>(ec.value())) {
        case errc::rate_limited: return c.quota_error;
        case errc::authentication_failed: return c.auth_error;
        case errc::http_status: return c.service_error;
        case errc::timed_out:
        case errc::read_timeout:
        case errc::write_timeout:
        case errc::connect_timeout:
        case errc::pool_timeout: return c.timeout_error;
        case errc::connection_failed:
        case errc::connection_reset:
        case errc::protocol_error:
        case errc::truncated_body: return c.connection_error;
        case errc::tls_failed: return c.ssl_error;
        case errc::proxy_failed: return c.proxy_error;
        case errc::retries_exhausted: return c.retry_error;
        default: return c.general_error;
        }
    }

    std::shared_ptr<counters> counters_;
    bool count_all_ = true;
};

}  // namespace content_client

#endif
