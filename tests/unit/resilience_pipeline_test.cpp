// Retry, rate limit, breaker and execution deadline inside the client's pipeline.
#include <content_client/basic_content_client.hpp>
#include <content_client/breaker/circuit_breaker.hpp>
#include <content_client/metrics/execution_metrics.hpp>
#include <content_client/rate_limit/token_bucket.hpp>
#include <content_client/retry/exponential_retry.hpp>
#include <content_client/testing/mock_transport.hpp>

#include <boost/test/unit_test.hpp>

#include <vector>

namespace cc = content_client;
using cc::testing::mock_transport;
using cc::testing::network_failure;
using namespace std::chrono_literals;

namespace {

using retrying_client = cc::basic_content_client<mock_transport, cc::no_auth, cc::exponential_retry,
                                                 cc::token_bucket, cc::circuit_breaker, cc::execution_metrics>;

retrying_client make_client(mock_transport mock, cc::retry_policy retry = {.jitter = 0.0},
                            cc::rate_limit_policy rate = {}, cc::circuit_breaker_policy breaker = {},
                            cc::timeout_settings timeouts = {})
{
    return retrying_client(std::move(mock), {.base_url = "http://api.test", .timeouts = timeouts}, cc::no_auth{},
                           cc::exponential_retry(retry), cc::token_bucket(rate), cc::circuit_breaker(breaker));
}

std::vector<std::chrono::nanoseconds> seconds_list(std::initializer_list<double> values)
{
    std::vector<std::chrono::nanoseconds> out;
    for (double v : values)
        out.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::duration<double>(v)));
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(resilience_pipeline)

BOOST_AUTO_TEST_CASE(retry_sleeps_exact_exponential_sequence)
{
    mock_transport mock;
    auto api = make_client(mock);
    for (int i = 0; i < 4; ++i)
        mock.push(503);
    mock.push(200, "{}");

    auto res = api.http_request("GET", "/x");

    BOOST_TEST(res.status() == 200);
    BOOST_TEST(mock.request_count() == 5u);
    BOOST_TEST(mock.sleeps() == seconds_list({1, 2, 4, 8}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(exhausted_status_raises_status_error)
{
    mock_transport mock;
    auto api = make_client(mock, {.max_attempts = 3, .jitter = 0.0});
    for (int i = 0; i < 3; ++i)
        mock.push(503, "down");

    try {
        api.http_request("GET", "/x");
        BOOST_FAIL("no error raised");
    } catch (const cc::error& e) {
        BOOST_TEST(e.code() == cc::errc::http_status);
        BOOST_TEST(e.attempts() == 3);
        BOOST_TEST(std::string(e.what()) == "Error in API call [503] - Service Unavailable\ndown");
    }
    BOOST_TEST(mock.request_count() == 3u);
}

BOOST_AUTO_TEST_CASE(exhausted_network_failures_raise_retry_error)
{
    mock_transport mock;
    auto api = make_client(mock, {.max_attempts = 3, .jitter = 0.0});
    for (int i = 0; i < 3; ++i)
        mock.push(network_failure::connection_reset);

    BOOST_CHECK_THROW(api.http_request("GET", "/x"), cc::retry_error);
    BOOST_TEST(mock.request_count() == 3u);
    BOOST_TEST(api.metrics().counts().retry_error == 1u);
    BOOST_TEST(api.metrics().counts().retries == 2u);
}

BOOST_AUTO_TEST_CASE(retry_after_used_as_wait)
{
    mock_transport mock;
    auto api = make_client(mock);
    mock.push(429, "", {{"Retry-After", "7"}});
    mock.push(503, "", {{"Retry-After", "Thu, 01 Jan 2026 00:00:12 GMT"}});
    mock.push(200, "{}");

    api.http_request("GET", "/x");

    // The date is 12 s after the mock's wall clock start; 7 s have passed by then.
    BOOST_TEST(mock.sleeps() == seconds_list({7, 5}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(hostile_retry_after_falls_back)
{
    for (const char* value : {"-3", "abc", "", "inf", "nan", "1e400", "99999999999999999999", "Wed, 32 Oct 2026"}) {
        mock_transport mock;
        auto api = make_client(mock);
        mock.push(503, "", {{"Retry-After", value}});
        mock.push(200, "{}");

        api.http_request("GET", "/x");

        BOOST_TEST(mock.sleeps() == seconds_list({1}), boost::test_tools::per_element());
    }
}

BOOST_AUTO_TEST_CASE(retry_after_over_cap_fails_at_once)
{
    mock_transport mock;
    auto api = make_client(mock, {.jitter = 0.0, .max_retry_after = cc::seconds_f(60)});
    mock.push(429, "slow down", {{"Retry-After", "3600"}});

    try {
        api.http_request("GET", "/x");
        BOOST_FAIL("no error raised");
    } catch (const cc::rate_limit_error& e) {
        BOOST_TEST(e.retry_after().has_value());
        BOOST_TEST(e.retry_after()->count() == 3600.0);
    }
    BOOST_TEST(mock.sleeps().empty());
}

BOOST_AUTO_TEST_CASE(retry_after_past_deadline_fails_at_once)
{
    mock_transport mock;
    auto api = make_client(mock, {.jitter = 0.0}, {}, {},
                           {.execution = cc::seconds_f(100), .safety_buffer = cc::seconds_f(30)});
    mock.push(503, "busy", {{"Retry-After", "120"}});

    try {
        api.http_request("GET", "/x");
        BOOST_FAIL("no error raised");
    } catch (const cc::error& e) {
        BOOST_TEST(e.code() == cc::errc::http_status);
        BOOST_TEST(e.details().retry_after->count() == 120.0);
        BOOST_TEST(std::string(e.what()).find("execution deadline") != std::string::npos);
    }
    BOOST_TEST(mock.sleeps().empty());
}

BOOST_AUTO_TEST_CASE(backoff_past_deadline_raises_timeout)
{
    mock_transport mock;
    auto api = make_client(mock, {.initial_delay = cc::seconds_f(80), .max_delay = cc::seconds_f(100), .jitter = 0.0}, {}, {},
                           {.execution = cc::seconds_f(100), .safety_buffer = cc::seconds_f(30)});
    mock.push(503);

    BOOST_CHECK_THROW(api.http_request("GET", "/x"), cc::timeout_error);
    BOOST_TEST(mock.sleeps().empty());
    BOOST_TEST(api.time_remaining().value() == 70s);
}

BOOST_AUTO_TEST_CASE(rate_limit_takes_token_per_attempt)
{
    mock_transport mock;
    auto api = make_client(mock, {.initial_delay = cc::seconds_f(0), .jitter = 0.0}, {.rate_per_second = 2.0});
    mock.push(503);
    mock.push(503);
    mock.push(200, "{}");

    api.http_request("GET", "/x");

    // Burst 1: the first attempt is free, each retry waits half a second for its token.
    BOOST_TEST(mock.sleeps() == seconds_list({0, 0.5, 0, 0.5}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(rate_limit_pauses_after_429)
{
    mock_transport mock;
    auto api = make_client(mock, {.max_attempts = 1}, {.rate_per_second = 100.0, .burst = 10});
    mock.push(429, "", {{"Retry-After", "30"}});
    mock.push(200, "{}");

    BOOST_CHECK_THROW(api.http_request("GET", "/x"), cc::rate_limit_error);
    api.http_request("GET", "/y");

    BOOST_TEST(mock.sleeps() == seconds_list({30}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(rate_limit_wait_respects_deadline)
{
    mock_transport mock;
    auto api = make_client(mock, {.max_attempts = 1}, {.rate_per_second = 0.01},
                           {}, {.execution = cc::seconds_f(60), .safety_buffer = cc::seconds_f(30)});
    mock.push(200, "{}");

    api.http_request("GET", "/x");
    BOOST_CHECK_THROW(api.http_request("GET", "/y"), cc::timeout_error);
    BOOST_TEST(mock.request_count() == 1u);
}

BOOST_AUTO_TEST_CASE(breaker_opens_and_probes)
{
    mock_transport mock;
    auto api = make_client(mock, {.max_attempts = 1}, {}, {.failure_threshold = 2, .recovery_timeout = cc::seconds_f(60)});
    mock.push(500);
    mock.push(500);
    BOOST_CHECK_THROW(api.http_request("GET", "/x"), cc::error);
    BOOST_CHECK_THROW(api.http_request("GET", "/x"), cc::error);

    try {
        api.http_request("GET", "/x");
        BOOST_FAIL("no error raised");
    } catch (const cc::circuit_open_error& e) {
        BOOST_TEST(e.retry_in().value().count() == 60.0);
    }
    BOOST_TEST(mock.request_count() == 2u);

    mock.advance(60s);
    mock.push(200, "{}");
    BOOST_TEST(api.http_request("GET", "/x").status() == 200);
    BOOST_TEST((api.circuit_breaker().state(mock.now()) == cc::breaker_state::closed));
}

BOOST_AUTO_TEST_CASE(failed_probe_reopens_breaker)
{
    mock_transport mock;
    auto api = make_client(mock, {.max_attempts = 1}, {}, {.failure_threshold = 1, .recovery_timeout = cc::seconds_f(10)});
    mock.push(500);
    BOOST_CHECK_THROW(api.http_request("GET", "/x"), cc::error);

    mock.advance(10s);
    mock.push(502);
    BOOST_CHECK_THROW(api.http_request("GET", "/x"), cc::error);

    BOOST_CHECK_THROW(api.http_request("GET", "/x"), cc::circuit_open_error);
    BOOST_TEST(mock.request_count() == 2u);
}

BOOST_AUTO_TEST_CASE(retry_waits_not_while_breaker_open)
{
    mock_transport mock;
    cc::circuit_breaker shared({.failure_threshold = 1, .recovery_timeout = cc::seconds_f(60)});
    retrying_client api(mock, {.base_url = "http://api.test"}, cc::no_auth{}, cc::exponential_retry({.jitter = 0.0}),
                        cc::token_bucket(), shared);
    mock.on_request([&](const cc::request&) {
        // Another call sharing the breaker fails while this one is in flight.
        shared.record_failure(mock.now());
        cc::testing::mock_reply reply;
        reply.status = 503;
        return reply;
    });

    BOOST_CHECK_THROW(api.http_request("GET", "/x"), cc::circuit_open_error);
    BOOST_TEST(mock.request_count() == 1u);
    BOOST_TEST(mock.sleeps().empty());
}

BOOST_AUTO_TEST_CASE(metrics_count_final_outcome_once)
{
    mock_transport mock;
    auto api = make_client(mock);
    mock.push(503);
    mock.push(200, "{}");
    mock.push(404);
    mock.push(401);
    mock.push(429);

    api.http_request("GET", "/a");
    BOOST_CHECK_THROW(api.http_request("GET", "/b"), cc::error);
    BOOST_CHECK_THROW(api.http_request("GET", "/c"), cc::authentication_error);
    BOOST_CHECK_THROW(api.http_request("GET", "/d", {.retries = 0, .status_list_to_retry = {500}}),
                      cc::rate_limit_error);

    auto counts = api.metrics().counts();
    BOOST_TEST(counts.success == 1u);
    BOOST_TEST(counts.retries == 1u);
    BOOST_TEST(counts.service_error == 1u);
    BOOST_TEST(counts.auth_error == 1u);
    BOOST_TEST(counts.quota_error == 1u);
}

BOOST_AUTO_TEST_CASE(per_call_retries_override_policy)
{
    mock_transport mock;
    auto api = make_client(mock);
    mock.push(503);
    mock.push(503);

    BOOST_CHECK_THROW(api.http_request("GET", "/x", {.retries = 1}), cc::error);
    BOOST_TEST(mock.request_count() == 2u);
}

BOOST_AUTO_TEST_CASE(metrics_count_unsent_calls)
{
    mock_transport mock;
    auto api = make_client(mock, {.max_attempts = 1}, {}, {.failure_threshold = 1});
    mock.push(500);

    BOOST_CHECK_THROW(api.http_request("GET", "/a"), cc::error);
    BOOST_CHECK_THROW(api.http_request("GET", "/b"), cc::circuit_open_error);
    BOOST_CHECK_THROW(api.http_request("GET", "/c", {.ok_codes = {99}}), cc::configuration_error);

    auto counts = api.metrics().counts();
    BOOST_TEST(mock.request_count() == 1u);
    BOOST_TEST(counts.service_error == 1u);
    // The breaker rejection and the invalid options are failures outside the other categories.
    BOOST_TEST(counts.general_error == 2u);
}

BOOST_AUTO_TEST_SUITE_END()
