// Retries with no_retry: BaseClient's urllib3 schedule for calls that pass `retries`.
#include <content_client/basic_content_client.hpp>
#include <content_client/testing/mock_transport.hpp>

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <string>
#include <vector>

#include "errc_printer.hpp"

namespace cc = content_client;
using cc::testing::mock_transport;
using cc::testing::network_failure;
using namespace std::chrono_literals;

namespace {

using client_type = cc::basic_content_client<mock_transport>;

// The sleeps the mock recorded, in seconds, so a failed check prints them.
std::vector<double> sleep_seconds(const mock_transport& mock)
{
    std::vector<double> out;
    for (auto sleep : mock.sleeps())
        out.push_back(std::chrono::duration<double>(sleep).count());
    return out;
}

// Queues `count` copies of one status reply.
void push_many(mock_transport& mock, int count, int status, const std::string& body = {},
               const cc::http_headers& headers = {})
{
    for (int i = 0; i < count; ++i)
        mock.push(status, body, headers);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(baseclient_retry)

BOOST_AUTO_TEST_CASE(no_retries_makes_one_attempt)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    push_many(mock, 3, 503);

    cc::error_code ec;
    cc::diagnostics info;
    api.http_request("GET", "/x", {.status_list_to_retry = {503}}, ec, info);

    BOOST_TEST(ec == cc::errc::http_status);
    BOOST_TEST(mock.request_count() == 1u);
    BOOST_TEST(info.attempts == 1);
    BOOST_TEST(mock.sleeps().empty());
}

BOOST_AUTO_TEST_CASE(no_retries_ignores_retry_after)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    push_many(mock, 2, 503, "", {{"Retry-After", "1"}});

    cc::error_code ec;
    api.http_request("GET", "/x", {}, ec);

    BOOST_TEST(mock.request_count() == 1u);
    BOOST_TEST(mock.sleeps().empty());
}

BOOST_AUTO_TEST_CASE(retry_stops_after_max_attempts)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    push_many(mock, 10, 500);

    cc::error_code ec;
    cc::diagnostics info;
    api.http_request("GET", "/x", {.retries = 3, .status_list_to_retry = {500}}, ec, info);

    BOOST_TEST(mock.request_count() == 4u);
    BOOST_TEST(info.attempts == 4);
    BOOST_TEST(mock.pending_replies() == 6u);
    BOOST_TEST(ec == cc::errc::http_status);
}

BOOST_AUTO_TEST_CASE(retry_succeeds_after_failures)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    push_many(mock, 2, 502);
    mock.push(200, R"({"ok":true})");

    auto res = api.http_request("GET", "/x", {.retries = 5, .status_list_to_retry = {502}});

    BOOST_TEST(res.status() == 200);
    BOOST_TEST(mock.request_count() == 3u);
    BOOST_TEST(sleep_seconds(mock) == std::vector<double>({0, 10}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(retry_schedule_default_factor)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    push_many(mock, 8, 503);

    cc::error_code ec;
    api.http_request("GET", "/x", {.retries = 7, .status_list_to_retry = {503}}, ec);

    BOOST_TEST(mock.request_count() == 8u);
    BOOST_TEST(sleep_seconds(mock) == std::vector<double>({0, 10, 20, 40, 80, 120, 120}), boost::test_tools::per_element());
    BOOST_TEST((mock.now() - mock_transport::start_time() == 390s));
}

BOOST_AUTO_TEST_CASE(retry_schedule_factor_one)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    push_many(mock, 9, 503);

    cc::error_code ec;
    api.http_request("GET", "/x", {.retries = 8, .status_list_to_retry = {503}, .backoff_factor = 1.0}, ec);

    BOOST_TEST(sleep_seconds(mock) == std::vector<double>({0, 2, 4, 8, 16, 32, 64, 120}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(retry_schedule_fractional_factor)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    push_many(mock, 4, 503);

    cc::error_code ec;
    api.http_request("GET", "/x", {.retries = 3, .status_list_to_retry = {503}, .backoff_factor = 0.25}, ec);

    BOOST_TEST(sleep_seconds(mock) == std::vector<double>({0, 0.5, 1.0}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(retry_schedule_zero_factor)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    push_many(mock, 3, 503);

    cc::error_code ec;
    api.http_request("GET", "/x", {.retries = 2, .status_list_to_retry = {503}, .backoff_factor = 0.0}, ec);

    BOOST_TEST(sleep_seconds(mock) == std::vector<double>({0, 0}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(retry_jitter_stays_in_bounds)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    push_many(mock, 5, 503);

    cc::error_code ec;
    api.http_request("GET", "/x",
                     {.retries = 4, .status_list_to_retry = {503}, .backoff_factor = 1.0, .backoff_jitter = 0.5}, ec);

    auto sleeps = mock.sleeps();
    BOOST_TEST_REQUIRE(sleeps.size() == 4u);
    BOOST_TEST(sleeps[0].count() == 0);
    BOOST_TEST((sleeps[1] >= 2s));
    BOOST_TEST((sleeps[1] <= 2500ms));
    BOOST_TEST((sleeps[2] >= 4s));
    BOOST_TEST((sleeps[2] <= 4500ms));
    BOOST_TEST((sleeps[3] >= 8s));
    BOOST_TEST((sleeps[3] <= 8500ms));
}

BOOST_AUTO_TEST_CASE(retry_jitter_capped_at_120s)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    push_many(mock, 3, 503);

    cc::error_code ec;
    api.http_request("GET", "/x",
                     {.retries = 2, .status_list_to_retry = {503}, .backoff_factor = 60.0, .backoff_jitter = 30.0},
                     ec);

    BOOST_TEST(sleep_seconds(mock) == std::vector<double>({0, 120}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(unlisted_status_not_retried)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    push_many(mock, 3, 500);

    cc::error_code ec;
    api.http_request("GET", "/x", {.retries = 2, .status_list_to_retry = {503}}, ec);

    BOOST_TEST(mock.request_count() == 1u);
    BOOST_TEST(ec == cc::errc::http_status);
}

BOOST_AUTO_TEST_CASE(empty_retry_list_retries_no_status)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    push_many(mock, 3, 503);

    cc::error_code ec;
    api.http_request("GET", "/x", {.retries = 2}, ec);

    BOOST_TEST(mock.request_count() == 1u);
}

BOOST_AUTO_TEST_CASE(retry_after_statuses_retried_unlisted)
{
    for (int status : {413, 429, 503}) {
        BOOST_TEST_CONTEXT("status " << status)
        {
            mock_transport mock;
            client_type api(mock, {.base_url = "https://api.test"});
            mock.push(status, "", {{"Retry-After", "7"}});
            mock.push(200, "{}");

            auto res = api.http_request("GET", "/x", {.retries = 1});

            BOOST_TEST(res.status() == 200);
            BOOST_TEST(mock.request_count() == 2u);
            BOOST_TEST(sleep_seconds(mock) == std::vector<double>({7}), boost::test_tools::per_element());
        }
    }
}

BOOST_AUTO_TEST_CASE(retry_after_ignored_for_other_statuses)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock.push(500, "", {{"Retry-After", "7"}});
    mock.push(200, "{}");

    cc::error_code ec;
    api.http_request("GET", "/x", {.retries = 1}, ec);

    BOOST_TEST(ec == cc::errc::http_status);
    BOOST_TEST(mock.request_count() == 1u);
}

BOOST_AUTO_TEST_CASE(status_429_without_retry_after_not_retried)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    push_many(mock, 2, 429);

    cc::error_code ec;
    api.http_request("GET", "/x", {.retries = 1}, ec);

    BOOST_TEST(ec == cc::errc::rate_limited);
    BOOST_TEST(mock.request_count() == 1u);
}

BOOST_AUTO_TEST_CASE(listed_status_sleeps_retry_after)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock.push(500, "", {{"Retry-After", "3"}});
    mock.push(500, "");
    mock.push(500, "", {{"Retry-After", "1.5"}});
    mock.push(200, "{}");

    api.http_request("GET", "/x", {.retries = 3, .status_list_to_retry = {500}});

    BOOST_TEST(sleep_seconds(mock) == std::vector<double>({3, 10, 1.5}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(retry_after_http_date_used_as_sleep)
{
    // The mock's wall clock starts at 2026-01-01T00:00:00Z, a Thursday.
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock.push(503, "", {{"Retry-After", "Thu, 01 Jan 2026 00:01:30 GMT"}});
    mock.push(200, "{}");

    api.http_request("GET", "/x", {.retries = 1});

    BOOST_TEST(sleep_seconds(mock) == std::vector<double>({90}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(retry_after_capped_at_six_hours)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock.push(429, "", {{"Retry-After", "100000"}});
    mock.push(200, "{}");

    api.http_request("GET", "/x", {.retries = 1});

    BOOST_TEST(sleep_seconds(mock) == std::vector<double>({21600}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(malformed_retry_after_falls_back_to_backoff)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock.push(503, "", {{"Retry-After", "soon"}});
    mock.push(503, "", {{"Retry-After", "-5"}});
    mock.push(200, "{}");

    api.http_request("GET", "/x", {.retries = 2});

    BOOST_TEST(mock.request_count() == 3u);
    BOOST_TEST(sleep_seconds(mock) == std::vector<double>({0, 10}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(connect_failure_retried_for_head)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock.push(network_failure::connect_error);
    mock.push(network_failure::connect_timeout);
    mock.push(200, "");

    auto res = api.http_request("HEAD", "/x", {.retries = 2});

    BOOST_TEST(res.status() == 200);
    BOOST_TEST(mock.request_count() == 3u);
    BOOST_TEST(sleep_seconds(mock) == std::vector<double>({0, 10}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(connect_failure_retried_for_options)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock.push(network_failure::connect_error);
    mock.push(204, "");

    auto res = api.http_request("OPTIONS", "/x", {.retries = 1});

    BOOST_TEST(res.status() == 204);
    BOOST_TEST(mock.request_count() == 2u);
}

BOOST_AUTO_TEST_CASE(read_failure_retried_for_allowed_methods)
{
    for (std::string method : {"GET", "POST", "PUT", "PATCH", "DELETE"}) {
        BOOST_TEST_CONTEXT("method " << method)
        {
            mock_transport mock;
            client_type api(mock, {.base_url = "https://api.test"});
            mock.push(network_failure::read_timeout);
            mock.push(network_failure::connection_reset);
            mock.push(200, "{}");

            auto res = api.http_request(method, "/x", {.retries = 2});

            BOOST_TEST(res.status() == 200);
            BOOST_TEST(mock.request_count() == 3u);
        }
    }
}

BOOST_AUTO_TEST_CASE(read_failure_not_retried_for_head)
{
    for (auto failure : {network_failure::read_timeout, network_failure::connection_reset,
                         network_failure::protocol_error, network_failure::truncated_body}) {
        mock_transport mock;
        client_type api(mock, {.base_url = "https://api.test"});
        mock.push(failure);
        mock.push(200, "");

        cc::error_code ec;
        api.http_request("HEAD", "/x", {.retries = 2}, ec);

        BOOST_TEST(static_cast<bool>(ec));
        BOOST_TEST(mock.request_count() == 1u);
    }
}

BOOST_AUTO_TEST_CASE(listed_status_not_retried_for_head)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    push_many(mock, 2, 503, "", {{"Retry-After", "1"}});

    cc::error_code ec;
    api.http_request("HEAD", "/x", {.retries = 1, .status_list_to_retry = {503}}, ec);

    BOOST_TEST(mock.request_count() == 1u);
    BOOST_TEST(ec == cc::errc::http_status);
}

BOOST_AUTO_TEST_CASE(exhausted_network_retries_keep_error)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock.push(network_failure::connect_timeout);
    mock.push(network_failure::connect_timeout);

    try {
        api.http_request("GET", "/x", {.retries = 1});
        BOOST_FAIL("expected timeout_error");
    } catch (const cc::timeout_error& e) {
        BOOST_TEST(e.code() == cc::errc::connect_timeout);
        BOOST_TEST(e.attempts() == 2);
        BOOST_TEST(std::string(e.what()).starts_with("Connection Timeout Error - "));
    }
}

BOOST_AUTO_TEST_CASE(exhausted_status_returns_api_error)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    push_many(mock, 3, 503, R"({"busy":true})");

    try {
        api.http_request("GET", "/x", {.retries = 2, .status_list_to_retry = {503}});
        BOOST_FAIL("expected content_client::error");
    } catch (const cc::retry_error&) {
        BOOST_FAIL("raise_on_status is off, so no retry_error");
    } catch (const cc::error& e) {
        BOOST_TEST(std::string(e.what()) == "Error in API call [503] - Service Unavailable\n{\"busy\": true}");
        BOOST_TEST(e.code() == cc::errc::http_status);
        BOOST_TEST(e.attempts() == 3);
        BOOST_TEST(e.response() != nullptr);
        BOOST_TEST(e.response()->status() == 503);
    }
}

BOOST_AUTO_TEST_CASE(exhausted_status_raises_retry_error)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    push_many(mock, 3, 503);

    try {
        api.http_request("GET", "/x", {.retries = 2, .status_list_to_retry = {503}, .raise_on_status = true});
        BOOST_FAIL("expected retry_error");
    } catch (const cc::retry_error& e) {
        BOOST_TEST(std::string(e.what()) ==
                   "Max Retries Error- Request attempts with 2 retries failed. \nReason: too many 503 error responses");
        BOOST_TEST(e.code() == cc::errc::retries_exhausted);
        BOOST_TEST(e.attempts() == 3);
        BOOST_TEST(e.response() != nullptr);
        BOOST_TEST(e.response()->status() == 503);
    }
    BOOST_TEST(sleep_seconds(mock) == std::vector<double>({0, 10}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(exhausted_retry_after_status_not_retry_error)
{
    // urllib3 retries an unlisted 429 with Retry-After only while retries
    // remain, so the last 429 is an ordinary response, never MaxRetryError.
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    push_many(mock, 2, 429, "", {{"Retry-After", "2"}});

    try {
        api.http_request("GET", "/x", {.retries = 1, .raise_on_status = true});
        BOOST_FAIL("expected rate_limit_error");
    } catch (const cc::rate_limit_error& e) {
        BOOST_TEST(std::string(e.what()) == "Error in API call [429] - Too Many Requests\n");
        BOOST_TEST(e.attempts() == 2);
    }
    BOOST_TEST(sleep_seconds(mock) == std::vector<double>({2}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(exhausted_listed_429_raises_retry_error)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    push_many(mock, 2, 429, "", {{"Retry-After", "2"}});

    BOOST_CHECK_THROW(
        api.http_request("GET", "/x", {.retries = 1, .status_list_to_retry = {429}, .raise_on_status = true}),
        cc::retry_error);
    BOOST_TEST(mock.request_count() == 2u);
}

BOOST_AUTO_TEST_CASE(retried_status_in_ok_codes_still_retried)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock.push(503, "{}");
    mock.push(200, R"({"n":1})");

    auto res = api.http_request("GET", "/x", {.ok_codes = {200, 503}, .retries = 1, .status_list_to_retry = {503}});

    BOOST_TEST(res.status() == 200);
    BOOST_TEST(mock.request_count() == 2u);
}

BOOST_AUTO_TEST_CASE(exhausted_status_in_ok_codes_returned)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    push_many(mock, 2, 503, "{}");

    auto res = api.http_request("GET", "/x", {.ok_codes = {200, 503}, .retries = 1, .status_list_to_retry = {503}});

    BOOST_TEST(res.status() == 503);
    BOOST_TEST(mock.request_count() == 2u);
}

BOOST_AUTO_TEST_CASE(retries_apply_to_plain_http)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "http://api.test"});
    mock.push(503, "");
    mock.push(200, "{}");

    auto res = api.http_request("GET", "/x", {.retries = 1, .status_list_to_retry = {503}});

    BOOST_TEST(res.status() == 200);
    BOOST_TEST(mock.request_count() == 2u);
}

BOOST_AUTO_TEST_CASE(retries_do_not_stick_to_client)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock.push(503, "");
    mock.push(200, "{}");
    push_many(mock, 2, 503);

    api.http_request("GET", "/x", {.retries = 1, .status_list_to_retry = {503}});
    cc::error_code ec;
    api.http_request("GET", "/x", {.status_list_to_retry = {503}}, ec);

    BOOST_TEST(ec == cc::errc::http_status);
    BOOST_TEST(mock.request_count() == 3u);
}

BOOST_AUTO_TEST_CASE(each_attempt_resends_same_request)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock.push(503, "");
    mock.push(200, "{}");

    api.http_request("POST", "/x", {.params = {{"a", "1"}}, .data = "body", .retries = 1,
                                    .status_list_to_retry = {503}});

    auto requests = mock.requests();
    BOOST_TEST_REQUIRE(requests.size() == 2u);
    BOOST_TEST(requests[0].url == requests[1].url);
    BOOST_TEST(requests[0].body == "body");
    BOOST_TEST(requests[1].body == "body");
    BOOST_TEST(requests[0].headers == requests[1].headers);
}

BOOST_AUTO_TEST_SUITE_END()
