// The asynchronous form, the size of a client without policies, and the execution deadline.
#include <content_client/basic_content_client.hpp>
#include <content_client/testing/mock_transport.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <exception>
#include <future>
#include <optional>
#include <string>

#include "errc_printer.hpp"

namespace cc = content_client;
using cc::testing::mock_transport;
using namespace std::chrono_literals;

namespace {

using client_type = cc::basic_content_client<mock_transport>;

// A transport and the client's configuration side by side: what a client
// without policies should cost.
struct transport_and_config {
    mock_transport transport;
    cc::detail::client_config config;
};

// The client's remaining execution time in seconds, or -1 without an execution window.
double remaining_seconds(const client_type& api)
{
    auto left = api.time_remaining();
    if (!left)
        return -1;
    return std::chrono::duration<double>(*left).count();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(async_and_layout)

BOOST_AUTO_TEST_CASE(async_request_with_use_future)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock.push(200, R"({"n":3})");

    std::future<cc::response> result = api.async_http_request("GET", "/x", {}, boost::asio::use_future);
    mock.context().run();

    auto res = result.get();
    BOOST_TEST(res.status() == 200);
    BOOST_TEST(res.json()["n"].get_int64().value() == 3);
    BOOST_TEST(mock.requests().at(0).url == "https://api.test/x");
}

BOOST_AUTO_TEST_CASE(async_request_future_carries_error)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock.push(404, R"({"error":"x"})");

    auto result = api.async_http_request("GET", "/x", {}, boost::asio::use_future);
    mock.context().run();

    try {
        result.get();
        BOOST_FAIL("expected content_client::error");
    } catch (const cc::error& e) {
        BOOST_TEST(std::string(e.what()) == "Error in API call [404] - Not Found\n{\"error\": \"x\"}");
        BOOST_TEST(e.code() == cc::errc::http_status);
    }
}

BOOST_AUTO_TEST_CASE(async_request_with_callback)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock.push(201, "{}");
    int calls = 0;
    std::exception_ptr failure;
    cc::response received;

    api.async_http_request("POST", "/items", {.data = "x"}, [&](std::exception_ptr e, cc::response res) {
        ++calls;
        failure = e;
        received = std::move(res);
    });
    BOOST_TEST(calls == 0);
    mock.context().run();

    BOOST_TEST(calls == 1);
    BOOST_TEST(!failure);
    BOOST_TEST(received.status() == 201);
    BOOST_TEST(mock.requests().at(0).method == "POST");
}

BOOST_AUTO_TEST_CASE(async_request_callback_gets_exception)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock.push(401, "");
    std::exception_ptr failure;

    api.async_http_request("GET", "/x", {}, [&](std::exception_ptr e, cc::response) { failure = e; });
    mock.context().run();

    BOOST_TEST_REQUIRE(static_cast<bool>(failure));
    BOOST_CHECK_THROW(std::rethrow_exception(failure), cc::authentication_error);
}

BOOST_AUTO_TEST_CASE(async_request_awaitable_raises_rate_limit)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock.push(429, "", {{"Retry-After", "30"}});
    mock.push(200, R"({"ok":true})");
    std::optional<std::string> caught;
    std::optional<double> retry_after;
    int ok_status = 0;

    // NOTE: each operation is created before its co_await. With the
    // temporaries inside the co_await expression, the g++ 12 build aborted
    // here with "free(): invalid pointer".
    auto body = [&]() -> boost::asio::awaitable<void> {
        try {
            auto limited = api.async_http_request("GET", "/limited", {}, boost::asio::use_awaitable);
            co_await std::move(limited);
        } catch (const cc::rate_limit_error& e) {
            caught = e.what();
            if (e.retry_after())
                retry_after = e.retry_after()->count();
        }
        auto second = api.async_http_request("GET", "/ok", {}, boost::asio::use_awaitable);
        auto res = co_await std::move(second);
        ok_status = res.status();
    };
    boost::asio::co_spawn(mock.context(), body, boost::asio::detached);
    mock.context().run();

    BOOST_TEST(caught.value_or("") == "Error in API call [429] - Too Many Requests\n");
    BOOST_TEST(retry_after.value_or(-1) == 30.0);
    BOOST_TEST(ok_status == 200);
    BOOST_TEST(mock.request_count() == 2u);
}

BOOST_AUTO_TEST_CASE(async_requests_run_concurrently)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock.on_request([](const cc::request& req) {
        cc::testing::mock_reply reply;
        reply.body = R"({"url":")" + req.url + "\"}";
        return reply;
    });

    auto first = api.async_http_request("GET", "/1", {}, boost::asio::use_future);
    auto second = api.async_http_request("GET", "/2", {}, boost::asio::use_future);
    auto third = api.async_http_request("GET", "/3", {}, boost::asio::use_future);
    mock.context().run();

    BOOST_TEST(first.get().url() == "https://api.test/1");
    BOOST_TEST(second.get().url() == "https://api.test/2");
    BOOST_TEST(third.get().url() == "https://api.test/3");
    BOOST_TEST(mock.request_count() == 3u);
}

BOOST_AUTO_TEST_CASE(async_request_retries_on_virtual_clock)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock.push(503, "");
    mock.push(503, "");
    mock.push(200, "{}");

    auto result = api.async_http_request("GET", "/x", {.retries = 2, .status_list_to_retry = {503}},
                                         boost::asio::use_future);
    mock.context().run();

    BOOST_TEST(result.get().status() == 200);
    BOOST_TEST(mock.sleeps().size() == 2u);
    BOOST_TEST((mock.now() - mock_transport::start_time() == 10s));
}

BOOST_AUTO_TEST_CASE(client_without_policies_adds_no_bytes)
{
    BOOST_TEST(sizeof(client_type) == sizeof(transport_and_config));
}

BOOST_AUTO_TEST_CASE(time_remaining_without_window_is_empty)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});

    BOOST_TEST(!api.time_remaining().has_value());
}

BOOST_AUTO_TEST_CASE(time_remaining_starts_at_window_minus_buffer)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test",
                           .timeouts = {.execution = cc::seconds_f(100), .safety_buffer = cc::seconds_f(30)}});

    BOOST_TEST((api.time_remaining() == std::optional<std::chrono::nanoseconds>(70s)));
    mock.advance(25s);
    BOOST_TEST(remaining_seconds(api) == 45.0);
    mock.advance(60s);
    BOOST_TEST(remaining_seconds(api) == 0.0);
}

BOOST_AUTO_TEST_CASE(deadline_stops_retry_sleep_at_once)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test",
                           .timeouts = {.execution = cc::seconds_f(100), .safety_buffer = cc::seconds_f(30)}});
    mock.push(503, "");
    mock.push(503, "");
    mock.push(200, "{}");

    try {
        api.http_request("GET", "/x", {.retries = 3, .status_list_to_retry = {503}, .backoff_factor = 50.0});
        BOOST_FAIL("expected timeout_error");
    } catch (const cc::timeout_error& e) {
        const std::string message = e.what();
        BOOST_TEST(e.code() == cc::errc::timed_out);
        BOOST_TEST(e.attempts() == 2);
        BOOST_TEST(e.response() != nullptr);
        BOOST_TEST(e.response()->status() == 503);
        BOOST_TEST(message.find("execution deadline") != std::string::npos);
        BOOST_TEST(message.find("retry sleep of 100 s") != std::string::npos);
        BOOST_TEST(message.find("70 s left") != std::string::npos);
    }
    // The first retry starts at once, and the 100 s sleep that would pass the deadline never starts.
    BOOST_TEST(mock.sleeps().size() == 1u);
    BOOST_TEST(mock.sleeps().at(0).count() == 0);
    BOOST_TEST(mock.request_count() == 2u);
    BOOST_TEST(remaining_seconds(api) == 70.0);
}

BOOST_AUTO_TEST_CASE(deadline_stops_backoff_after_sleeps)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test",
                           .timeouts = {.execution = cc::seconds_f(100), .safety_buffer = cc::seconds_f(30)}});
    for (int i = 0; i < 4; ++i)
        mock.push(503, "");

    cc::error_code ec;
    cc::diagnostics info;
    api.http_request("GET", "/x", {.retries = 3, .status_list_to_retry = {503}, .backoff_factor = 20.0}, ec, info);

    BOOST_TEST(ec == cc::errc::timed_out);
    BOOST_TEST(info.attempts == 3);
    BOOST_TEST(mock.sleeps().size() == 2u);
    BOOST_TEST(remaining_seconds(api) == 30.0);
    BOOST_TEST(info.message.find("retry sleep of 80 s") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(deadline_on_429_raises_rate_limit_error)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test",
                           .timeouts = {.execution = cc::seconds_f(100), .safety_buffer = cc::seconds_f(30)}});
    mock.push(429, "", {{"Retry-After", "600"}});

    try {
        api.http_request("GET", "/x", {.retries = 1});
        BOOST_FAIL("expected rate_limit_error");
    } catch (const cc::rate_limit_error& e) {
        BOOST_TEST(e.retry_after().value_or(cc::seconds_f(0)).count() == 600.0);
        BOOST_TEST(std::string(e.what()).find("execution deadline") != std::string::npos);
    }
    BOOST_TEST(mock.sleeps().empty());
}

BOOST_AUTO_TEST_CASE(deadline_bounds_attempt_timeout)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test",
                           .timeouts = {.execution = cc::seconds_f(100), .safety_buffer = cc::seconds_f(30)}});
    cc::testing::mock_reply slow;
    slow.body = "{}";
    slow.latency = 65s;
    mock.push(slow);
    mock.advance(20s);

    cc::error_code ec;
    api.http_request("GET", "/x", {}, ec);

    BOOST_TEST((mock.requests().at(0).options.deadline == mock_transport::start_time() + 70s));
    BOOST_TEST(ec == cc::errc::timed_out);
    BOOST_TEST(remaining_seconds(api) == 0.0);
}

BOOST_AUTO_TEST_CASE(deadline_passed_sends_nothing)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test",
                           .timeouts = {.execution = cc::seconds_f(100), .safety_buffer = cc::seconds_f(30)}});
    mock.push(200, "{}");
    mock.advance(70s);

    cc::error_code ec;
    cc::diagnostics info;
    api.http_request("GET", "/x", {}, ec, info);

    BOOST_TEST(ec == cc::errc::timed_out);
    BOOST_TEST(info.message.find("execution deadline") != std::string::npos);
    BOOST_TEST(mock.request_count() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
