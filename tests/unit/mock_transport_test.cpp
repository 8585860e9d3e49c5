// The mock transport: shared state, the request record, the virtual clock and scripted timeouts.
#include <content_client/basic_content_client.hpp>
#include <content_client/testing/mock_transport.hpp>

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <stdexcept>
#include <string>

#include "errc_printer.hpp"

namespace cc = content_client;
using cc::testing::mock_reply;
using cc::testing::mock_transport;
using namespace std::chrono_literals;

namespace {

using client_type = cc::basic_content_client<mock_transport>;

// Virtual time passed since the mock started, in seconds.
double elapsed_seconds(const mock_transport& mock)
{
    return std::chrono::duration<double>(mock.now() - mock_transport::start_time()).count();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(mock_transport_behaviour)

BOOST_AUTO_TEST_CASE(mock_copies_share_state)
{
    mock_transport mock;
    mock_transport copy = mock;
    client_type api(copy, {.base_url = "https://api.test"});

    mock.push(200, "{}");
    api.http_request("GET", "/x");
    copy.advance(5s);

    BOOST_TEST(mock.request_count() == 1u);
    BOOST_TEST(copy.request_count() == 1u);
    BOOST_TEST(mock.pending_replies() == 0u);
    BOOST_TEST(elapsed_seconds(mock) == 5.0);
}

BOOST_AUTO_TEST_CASE(mock_records_requests)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock.push(200, "{}");
    mock.push(201, "{}");
    mock.advance(3s);

    api.http_request("GET", "/a", {.headers = {{"X-Trace", "t1"}}});
    api.http_request("POST", "/b", {.data = "payload"});

    auto requests = mock.requests();
    BOOST_TEST_REQUIRE(requests.size() == 2u);
    BOOST_TEST(requests[0].method == "GET");
    BOOST_TEST(requests[0].url == "https://api.test/a");
    BOOST_TEST(requests[0].headers.find("X-Trace").value_or("") == "t1");
    BOOST_TEST(requests[0].body.empty());
    BOOST_TEST((requests[0].sent_at == mock_transport::start_time() + 3s));
    BOOST_TEST(requests[1].method == "POST");
    BOOST_TEST(requests[1].url == "https://api.test/b");
    BOOST_TEST(requests[1].body == "payload");
}

BOOST_AUTO_TEST_CASE(mock_records_send_options)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test", .timeout = cc::seconds_f(20),
                           .timeouts = {.connect = cc::seconds_f(4), .read = cc::seconds_f(30)}});
    mock.push(200, "{}");

    api.http_request("GET", "/a", {.allow_redirects = false});

    auto options = mock.requests().at(0).options;
    BOOST_TEST((options.connect_timeout == 4s));
    BOOST_TEST((options.read_timeout == 20s));
    BOOST_TEST((options.deadline == mock_transport::start_time() + 20s));
    BOOST_TEST(!options.follow_redirects);
}

BOOST_AUTO_TEST_CASE(mock_latency_advances_clock)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock_reply reply;
    reply.body = "{}";
    reply.latency = 1500ms;
    mock.push(reply);

    auto res = api.http_request("GET", "/x");

    BOOST_TEST(elapsed_seconds(mock) == 1.5);
    BOOST_TEST((res.elapsed() == 1500ms));
    BOOST_TEST(mock.sleeps().empty());
}

BOOST_AUTO_TEST_CASE(mock_system_clock_follows_virtual_clock)
{
    mock_transport mock;

    mock.advance(90s);

    BOOST_TEST((mock.system_now() == mock_transport::system_start() + 90s));
    BOOST_TEST((mock_transport::system_start() ==
                std::chrono::sys_days(std::chrono::year(2026) / std::chrono::January / 1)));
}

BOOST_AUTO_TEST_CASE(mock_latency_past_call_timeout_times_out)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock_reply reply;
    reply.body = "{}";
    reply.latency = 10s;
    mock.push(reply);

    try {
        api.http_request("GET", "/x", {.timeout = cc::seconds_f(5)});
        BOOST_FAIL("expected timeout_error");
    } catch (const cc::timeout_error& e) {
        BOOST_TEST(e.code() == cc::errc::read_timeout);
        BOOST_TEST(e.response() == nullptr);
    }
    BOOST_TEST(elapsed_seconds(mock) == 5.0);
}

BOOST_AUTO_TEST_CASE(mock_latency_past_read_timeout_times_out)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test", .timeouts = {.read = cc::seconds_f(2)}});
    mock_reply reply;
    reply.body = "{}";
    reply.latency = 3s;
    mock.push(reply);

    cc::error_code ec;
    api.http_request("GET", "/x", {}, ec);

    BOOST_TEST(ec == cc::errc::read_timeout);
    BOOST_TEST(elapsed_seconds(mock) == 2.0);
}

BOOST_AUTO_TEST_CASE(mock_latency_within_timeout_succeeds)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock_reply reply;
    reply.body = "{}";
    reply.latency = 5s;
    mock.push(reply);

    auto res = api.http_request("GET", "/x", {.timeout = cc::seconds_f(5)});

    BOOST_TEST(res.status() == 200);
    BOOST_TEST(elapsed_seconds(mock) == 5.0);
}

BOOST_AUTO_TEST_CASE(mock_timeout_pair_bounds_attempt_by_sum)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock_reply slow;
    slow.body = "{}";
    slow.latency = 7s;
    mock.push(slow);
    mock_reply slower = slow;
    slower.latency = 9s;
    mock.push(slower);

    auto res = api.http_request("GET", "/x", {.timeout = cc::call_timeout(cc::seconds_f(2), cc::seconds_f(6))});
    cc::error_code ec;
    api.http_request("GET", "/x", {.timeout = cc::call_timeout(cc::seconds_f(2), cc::seconds_f(6))}, ec);

    BOOST_TEST(res.status() == 200);
    BOOST_TEST((mock.requests().at(0).options.connect_timeout == 2s));
    BOOST_TEST(ec == cc::errc::read_timeout);
    BOOST_TEST(elapsed_seconds(mock) == 15.0);
}

BOOST_AUTO_TEST_CASE(mock_handler_answers_when_queue_empty)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    int calls = 0;
    mock.on_request([&calls](const cc::request& req) {
        ++calls;
        mock_reply reply;
        reply.status = req.method == "DELETE" ? 204 : 200;
        reply.body = R"({"path":")" + req.url + "\"}";
        return reply;
    });
    mock.push(202, "{}");

    auto queued = api.http_request("GET", "/q");
    auto handled = api.http_request("GET", "/h");
    auto deleted = api.delete_("/d");

    BOOST_TEST(queued.status() == 202);
    BOOST_TEST(handled.status() == 200);
    BOOST_TEST(std::string_view(handled.json()["path"].get_string().value()) == "https://api.test/h");
    BOOST_TEST(deleted.status() == 204);
    BOOST_TEST(calls == 2);
}

BOOST_AUTO_TEST_CASE(mock_default_reason_is_standard)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock.push(409, "");
    mock.push(200, "{}");

    cc::error_code ec;
    auto conflict = api.http_request("GET", "/x", {}, ec);
    auto ok = api.http_request("GET", "/x");

    BOOST_TEST(conflict.reason() == "Conflict");
    BOOST_TEST(ok.reason() == "OK");
}

BOOST_AUTO_TEST_CASE(mock_empty_script_throws_logic_error)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});

    try {
        api.http_request("GET", "/missing");
        BOOST_FAIL("expected std::logic_error");
    } catch (const std::logic_error& e) {
        const std::string message = e.what();
        BOOST_TEST(message.find("no scripted reply") != std::string::npos);
        BOOST_TEST(message.find("GET https://api.test/missing") != std::string::npos);
        BOOST_TEST(message.find("push()") != std::string::npos);
    }
    BOOST_TEST(mock.request_count() == 1u);
}

BOOST_AUTO_TEST_CASE(mock_empty_script_escapes_non_throwing_form)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});

    cc::error_code ec;
    BOOST_CHECK_THROW(api.http_request("GET", "/x", {}, ec), std::logic_error);
}

BOOST_AUTO_TEST_SUITE_END()
