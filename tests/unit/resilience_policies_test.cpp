// The sans-io resilience policies: exponential_retry, token_bucket, circuit_breaker.
#include <content_client/breaker/circuit_breaker.hpp>
#include <content_client/rate_limit/token_bucket.hpp>
#include <content_client/retry/exponential_retry.hpp>

#include <boost/test/unit_test.hpp>

#include <string>

namespace cc = content_client;
using namespace std::chrono_literals;
using time_point = std::chrono::steady_clock::time_point;

namespace {

cc::attempt_outcome status_outcome(int attempt, int status, int max_attempts = 5)
{
    cc::attempt_outcome o;
    o.attempt = attempt;
    o.max_attempts = max_attempts;
    o.method = "GET";
    o.status = status;
    o.request_sent = true;
    return o;
}

std::string rejection_message(auto make)
{
    try {
        make();
    } catch (const cc::configuration_error& e) {
        return e.what();
    }
    return "no configuration_error";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(exponential_retry_policy)

BOOST_AUTO_TEST_CASE(delays_double_without_jitter)
{
    cc::exponential_retry retry({.jitter = 0.0});

    BOOST_TEST(retry.next_delay(status_outcome(1, 503)).value() == 1s);
    BOOST_TEST(retry.next_delay(status_outcome(2, 503)).value() == 2s);
    BOOST_TEST(retry.next_delay(status_outcome(3, 503)).value() == 4s);
    BOOST_TEST(retry.base_delay(10) == 60s);
}

BOOST_AUTO_TEST_CASE(delay_capped_without_overflow)
{
    cc::exponential_retry retry({.max_attempts = 2000, .jitter = 0.0});

    BOOST_TEST(retry.next_delay(status_outcome(1000, 503, 2000)).value() == 60s);
}

BOOST_AUTO_TEST_CASE(jitter_stays_within_cap)
{
    cc::exponential_retry high({.jitter = 1.0}, [] { return 0.999999; });
    cc::exponential_retry low({.jitter = 1.0}, [] { return 0.0; });

    BOOST_TEST(high.next_delay(status_outcome(10, 503, 20)).value() <= 60s);
    BOOST_TEST(low.next_delay(status_outcome(3, 503)).value() == 0s);
}

BOOST_AUTO_TEST_CASE(jitter_moves_delay_by_fraction)
{
    cc::exponential_retry retry({.jitter = 0.2}, [] { return 0.75; });

    // 4 s moved by 0.2 * (2 * 0.75 - 1) = +10 %.
    auto delay = retry.next_delay(status_outcome(3, 503)).value();
    BOOST_TEST(std::chrono::duration<double>(delay).count() == 4.4, boost::test_tools::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(stops_after_max_attempts)
{
    cc::exponential_retry retry({.max_attempts = 3});

    BOOST_TEST(retry.next_delay(status_outcome(2, 503, 3)).has_value());
    BOOST_TEST(!retry.next_delay(status_outcome(3, 503, 3)).has_value());
    BOOST_TEST(retry.max_attempts(0) == 3);
    BOOST_TEST(retry.max_attempts(2) == 3);
}

BOOST_AUTO_TEST_CASE(status_outside_list_not_retried)
{
    cc::exponential_retry retry;

    BOOST_TEST(!retry.next_delay(status_outcome(1, 404)).has_value());
    BOOST_TEST(!retry.next_delay(status_outcome(1, 501)).has_value());
}

BOOST_AUTO_TEST_CASE(call_status_list_overrides_policy)
{
    cc::exponential_retry retry;
    const int statuses[] = {404};
    auto outcome = status_outcome(1, 404);
    outcome.retry_statuses = statuses;

    BOOST_TEST(retry.next_delay(outcome).has_value());
    outcome.status = 503;
    BOOST_TEST(!retry.next_delay(outcome).has_value());
}

BOOST_AUTO_TEST_CASE(retry_after_replaces_backoff)
{
    cc::exponential_retry retry({.jitter = 0.5});
    auto outcome = status_outcome(1, 429);
    outcome.retry_after = 7500ms;

    BOOST_TEST(retry.next_delay(outcome).value() == 7500ms);
}

BOOST_AUTO_TEST_CASE(retry_after_past_cap_ends_call)
{
    cc::exponential_retry retry({.max_retry_after = 10s});
    auto outcome = status_outcome(1, 429);
    outcome.retry_after = 11s;

    BOOST_TEST(!retry.next_delay(outcome).has_value());
}

BOOST_AUTO_TEST_CASE(network_errors_retried)
{
    cc::exponential_retry retry({.jitter = 0.0});
    cc::attempt_outcome outcome;
    outcome.max_attempts = 5;
    outcome.method = "GET";

    for (auto code : {cc::errc::connection_failed, cc::errc::connect_timeout, cc::errc::read_timeout,
                      cc::errc::write_timeout, cc::errc::connection_reset, cc::errc::protocol_error,
                      cc::errc::pool_timeout}) {
        outcome.ec = cc::make_error_code(code);
        BOOST_TEST(retry.next_delay(outcome).has_value(), outcome.ec.message());
    }
    outcome.ec = cc::make_error_code(cc::errc::body_too_large);
    BOOST_TEST(!retry.next_delay(outcome).has_value());
}

BOOST_AUTO_TEST_CASE(non_idempotent_retried_only_unsent)
{
    cc::exponential_retry retry({.retry_non_idempotent = false});
    cc::attempt_outcome outcome;
    outcome.max_attempts = 5;
    outcome.method = "POST";
    outcome.ec = cc::make_error_code(cc::errc::connection_reset);
    outcome.request_sent = true;

    BOOST_TEST(!retry.next_delay(outcome).has_value());
    outcome.ec = cc::make_error_code(cc::errc::connection_failed);
    outcome.request_sent = false;
    BOOST_TEST(retry.next_delay(outcome).has_value());
    outcome.method = "PUT";
    outcome.request_sent = true;
    BOOST_TEST(retry.next_delay(outcome).has_value());
}

BOOST_AUTO_TEST_CASE(invalid_fields_rejected_by_name)
{
    BOOST_TEST(rejection_message([] { cc::exponential_retry r({.max_attempts = 0}); }) ==
               "invalid retry_policy.max_attempts (0): it counts every attempt and must be at least 1");
    BOOST_TEST(rejection_message([] { cc::exponential_retry r({.multiplier = 0.5}); }) ==
               "invalid retry_policy.multiplier (0.5): it must be at least 1.0");
    BOOST_TEST(rejection_message([] { cc::exponential_retry r({.jitter = 1.5}); }) ==
               "invalid retry_policy.jitter (1.5): it must be between 0.0 and 1.0");
    BOOST_TEST(rejection_message([] { cc::exponential_retry r({.max_delay = cc::seconds_f(0)}); }) ==
               "invalid retry_policy.max_delay (0 s): it must be a positive number of seconds");
    BOOST_TEST(rejection_message([] { cc::exponential_retry r({.initial_delay = cc::seconds_f(-1)}); }) ==
               "invalid retry_policy.initial_delay (-1 s): it must be 0 or more seconds");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(token_bucket_policy)

BOOST_AUTO_TEST_CASE(starts_with_burst_tokens)
{
    cc::token_bucket bucket({.rate_per_second = 2.0, .burst = 3});
    time_point t0{};

    BOOST_TEST(bucket.acquire(t0).count() == 0);
    BOOST_TEST(bucket.acquire(t0).count() == 0);
    BOOST_TEST(bucket.acquire(t0).count() == 0);
    BOOST_TEST(bucket.acquire(t0) == 500ms);
    BOOST_TEST(bucket.acquire(t0) == 1000ms);
}

BOOST_AUTO_TEST_CASE(idle_bucket_never_exceeds_burst)
{
    cc::token_bucket bucket({.rate_per_second = 10.0, .burst = 2});
    time_point t0{};
    bucket.acquire(t0);

    BOOST_TEST(bucket.tokens(t0 + std::chrono::hours(24)) == 2.0);
    BOOST_TEST(bucket.acquire(t0 + std::chrono::hours(24)).count() == 0);
    BOOST_TEST(bucket.acquire(t0 + std::chrono::hours(24)).count() == 0);
    BOOST_TEST(bucket.acquire(t0 + std::chrono::hours(24)) == 100ms);
}

BOOST_AUTO_TEST_CASE(disabled_bucket_never_waits)
{
    cc::token_bucket bucket;

    for (int i = 0; i < 100; ++i)
        BOOST_TEST(bucket.acquire(time_point{}).count() == 0);
}

BOOST_AUTO_TEST_CASE(retry_after_pauses_attempts)
{
    cc::token_bucket bucket({.rate_per_second = 100.0, .burst = 10});
    time_point t0{};

    bucket.on_retry_after(t0, 5s);

    BOOST_TEST(bucket.acquire(t0 + 1s) == 4s);
    BOOST_TEST(bucket.acquire(t0 + 5s).count() == 0);
}

BOOST_AUTO_TEST_CASE(retry_after_ignored_when_disrespected)
{
    cc::token_bucket bucket({.rate_per_second = 100.0, .burst = 10, .respect_retry_after = false});
    bucket.on_retry_after(time_point{}, 5s);

    BOOST_TEST(bucket.acquire(time_point{}).count() == 0);
}

BOOST_AUTO_TEST_CASE(invalid_rate_rejected_by_name)
{
    BOOST_TEST(rejection_message([] { cc::token_bucket b({.rate_per_second = -1.0}); }) ==
               "invalid rate_limit_policy.rate_per_second (-1.0): it must be 0 (disabled) or a positive number of "
               "requests per second");
    BOOST_TEST(rejection_message([] { cc::token_bucket b({.rate_per_second = 1.0, .burst = 0}); }) ==
               "invalid rate_limit_policy.burst (0): the bucket must hold at least 1 token");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(circuit_breaker_policy)

BOOST_AUTO_TEST_CASE(opens_after_threshold_failures)
{
    cc::circuit_breaker breaker({.failure_threshold = 3, .recovery_timeout = cc::seconds_f(10)});
    time_point t0{};

    breaker.record_failure(t0);
    breaker.record_failure(t0);
    BOOST_TEST(!breaker.allow(t0).has_value());
    breaker.record_failure(t0);

    BOOST_TEST(breaker.allow(t0 + 4s).value() == 6s);
    BOOST_TEST((breaker.state(t0) == cc::breaker_state::open));
}

BOOST_AUTO_TEST_CASE(success_resets_failure_count)
{
    cc::circuit_breaker breaker({.failure_threshold = 3});
    time_point t0{};

    breaker.record_failure(t0);
    breaker.record_failure(t0);
    breaker.record_success(t0);
    breaker.record_failure(t0);
    breaker.record_failure(t0);

    BOOST_TEST(!breaker.allow(t0).has_value());
}

BOOST_AUTO_TEST_CASE(half_open_allows_single_probe)
{
    cc::circuit_breaker breaker({.failure_threshold = 1, .recovery_timeout = cc::seconds_f(10)});
    time_point t0{};
    breaker.record_failure(t0);

    BOOST_TEST(!breaker.allow(t0 + 10s).has_value());
    BOOST_TEST(breaker.allow(t0 + 10s).has_value());
    BOOST_TEST(breaker.allow(t0 + 11s).has_value());
}

BOOST_AUTO_TEST_CASE(successful_probe_closes)
{
    cc::circuit_breaker breaker({.failure_threshold = 1, .recovery_timeout = cc::seconds_f(10)});
    time_point t0{};
    breaker.record_failure(t0);
    breaker.allow(t0 + 10s);

    breaker.record_success(t0 + 10s);

    BOOST_TEST(!breaker.allow(t0 + 10s).has_value());
    BOOST_TEST(!breaker.allow(t0 + 10s).has_value());
    BOOST_TEST((breaker.state(t0 + 10s) == cc::breaker_state::closed));
}

BOOST_AUTO_TEST_CASE(failed_probe_reopens)
{
    cc::circuit_breaker breaker({.failure_threshold = 1, .recovery_timeout = cc::seconds_f(10)});
    time_point t0{};
    breaker.record_failure(t0);
    breaker.allow(t0 + 10s);

    breaker.record_failure(t0 + 12s);

    BOOST_TEST(breaker.allow(t0 + 13s).value() == 9s);
}

BOOST_AUTO_TEST_CASE(invalid_threshold_rejected_by_name)
{
    BOOST_TEST(rejection_message([] { cc::circuit_breaker b({.failure_threshold = 0}); }) ==
               "invalid circuit_breaker_policy.failure_threshold (0): it must be at least 1");
    BOOST_TEST(rejection_message([] { cc::circuit_breaker b({.recovery_timeout = cc::seconds_f(0)}); }) ==
               "invalid circuit_breaker_policy.recovery_timeout (0 s): it must be a positive number of seconds");
}

BOOST_AUTO_TEST_SUITE_END()
