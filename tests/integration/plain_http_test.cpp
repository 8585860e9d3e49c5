// base_client and client over the real beast_transport against a well-behaved
// HTTP/1.1 server on 127.0.0.1: requests as the server received them,
// status errors, bodies, keep-alive, stale pooled connections, the
// asynchronous forms and threads sharing one client.
#include "integration/integration_support.hpp"
#include "support/test_server.hpp"

#include <content_client/content_client.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/object.hpp>
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <exception>
#include <future>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace cc = content_client;
namespace ts = content_client::test_support;
using cc::integration::catch_error;
using cc::integration::contains;

namespace {

/// Returns `size` bytes of a repeating pattern that a shifted or truncated copy does not match.
std::string patterned_body(std::size_t size)
{
    std::string body;
    body.reserve(size);
    for (std::size_t i = 0; i < size; ++i)
        body.push_back(static_cast<char>('a' + (i * 7 + i / 26) % 26));
    return body;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(plain_http)

BOOST_AUTO_TEST_CASE(get_returns_parsed_json)
{
    ts::http_server server;
    server.route("GET", "/v1/items", ts::json_reply(200, R"({"items":[1,2,3],"next":null})"));
    cc::base_client api({.base_url = server.url("/v1")});

    auto res = api.http_request("GET", "/items");

    BOOST_TEST(res.status() == 200);
    BOOST_TEST(res.json()["items"].get_array().size() == 3u);
    BOOST_TEST(res.json()["next"].is_null());
    BOOST_TEST(server.requests().at(0).method == "GET");
    BOOST_TEST(server.requests().at(0).path == "/v1/items");
}

BOOST_AUTO_TEST_CASE(post_json_body_echoed_back)
{
    ts::http_server server;
    server.route("POST", "/echo", [](const ts::received_request& req) { return ts::json_reply(200, req.body); });
    cc::base_client api({.base_url = server.url()});

    auto res = api.http_request("POST", "/echo",
                                {.json_data = boost::json::object{{"name", "alert"}, {"severity", 3}}});

    auto received = server.requests().at(0);
    BOOST_TEST(received.header("Content-Type").value_or("") == "application/json");
    BOOST_TEST(received.header("Content-Length").value_or("") == std::to_string(received.body.size()));
    BOOST_TEST(res.json()["name"].get_string().value() == "alert");
    BOOST_TEST(res.json()["severity"].get_int64().value() == 3);
}

BOOST_AUTO_TEST_CASE(query_params_received_exactly)
{
    ts::http_server server;
    server.route("GET", "/search", ts::json_reply(200, "{}"));
    cc::base_client api({.base_url = server.url()});

    api.http_request("GET", "/search",
                     {.params = {{"q", "a b"}, {"path", "/x"}, {"limit", "50"}, {"tag", "1"}, {"tag", "2"}}});

    auto received = server.requests().at(0);
    BOOST_TEST(received.path == "/search");
    BOOST_TEST(received.query == "q=a+b&path=%2Fx&limit=50&tag=1&tag=2");
}

BOOST_AUTO_TEST_CASE(default_headers_sent_with_user_agent)
{
    ts::http_server server;
    server.route("GET", "/items", ts::json_reply(200, "{}"));
    cc::base_client api({.base_url = server.url(), .headers = {{"X-Default", "d"}, {"Accept", "application/json"}}});

    api.http_request("GET", "/items");

    auto received = server.requests().at(0);
    BOOST_TEST(received.header("X-Default").value_or("") == "d");
    BOOST_TEST(received.header("Accept").value_or("") == "application/json");
    BOOST_TEST(received.header("User-Agent").has_value());
    BOOST_TEST(received.header("Host").value_or("") == "127.0.0.1:" + std::to_string(server.port()));
}

BOOST_AUTO_TEST_CASE(per_call_headers_replace_defaults)
{
    ts::http_server server;
    server.route("GET", "/items", ts::json_reply(200, "{}"));
    cc::base_client api({.base_url = server.url(), .headers = {{"X-Default", "d"}}});

    api.http_request("GET", "/items", {.headers = {{"X-Call", "c"}}});

    auto received = server.requests().at(0);
    BOOST_TEST(received.header("X-Call").value_or("") == "c");
    BOOST_TEST(!received.header("X-Default").has_value());
    BOOST_TEST(received.header("User-Agent").has_value());
}

BOOST_AUTO_TEST_CASE(not_found_raises_error)
{
    ts::http_server server;
    cc::base_client api({.base_url = server.url()});

    auto e = catch_error<cc::error>([&] { api.http_request("GET", "/missing"); });

    BOOST_TEST_REQUIRE(e.has_value());
    BOOST_TEST(std::string(e->what()) == "Error in API call [404] - Not Found\n{\"error\": \"not found\"}");
    BOOST_TEST(e->code() == cc::errc::http_status);
    BOOST_TEST_REQUIRE(e->response() != nullptr);
    BOOST_TEST(e->response()->status() == 404);
    BOOST_TEST(e->response()->text() == R"({"error":"not found"})");
}

BOOST_AUTO_TEST_CASE(unauthorized_raises_authentication_error)
{
    ts::http_server server;
    server.route("GET", "/items", ts::json_reply(401, R"({"error":"bad credentials"})"));
    cc::base_client api({.base_url = server.url()});

    auto e = catch_error<cc::authentication_error>([&] { api.http_request("GET", "/items"); });

    BOOST_TEST_REQUIRE(e.has_value());
    BOOST_TEST(e->code() == cc::errc::authentication_failed);
    BOOST_TEST(contains(e->what(), "Error in API call [401] - Unauthorized"));
}

BOOST_AUTO_TEST_CASE(forbidden_raises_authentication_error)
{
    ts::http_server server;
    server.route("GET", "/items", ts::json_reply(403, R"({"error":"forbidden"})"));
    cc::base_client api({.base_url = server.url()});

    auto e = catch_error<cc::authentication_error>([&] { api.http_request("GET", "/items"); });

    BOOST_TEST_REQUIRE(e.has_value());
    BOOST_TEST(e->code() == cc::errc::authentication_failed);
    BOOST_TEST(contains(e->what(), "Error in API call [403] - Forbidden"));
}

BOOST_AUTO_TEST_CASE(too_many_requests_carries_retry_after)
{
    ts::http_server server;
    auto limited = ts::json_reply(429, R"({"error":"slow down"})");
    limited.headers.emplace_back("Retry-After", "7");
    server.route("GET", "/items", limited);
    cc::base_client api({.base_url = server.url()});

    auto e = catch_error<cc::rate_limit_error>([&] { api.http_request("GET", "/items"); });

    BOOST_TEST_REQUIRE(e.has_value());
    BOOST_TEST(e->code() == cc::errc::rate_limited);
    BOOST_TEST_REQUIRE(e->retry_after().has_value());
    BOOST_TEST(e->retry_after()->count() == 7.0);
    BOOST_TEST(server.requests_handled() == 1u);
}

BOOST_AUTO_TEST_CASE(chunked_body_read_fully)
{
    ts::http_server server;
    auto chunked = ts::json_reply(200, R"({"events":["a","b","c"],"done":true})");
    chunked.chunked = true;
    server.route("GET", "/events", chunked);
    cc::base_client api({.base_url = server.url()});

    auto res = api.http_request("GET", "/events");

    BOOST_TEST(res.header("Transfer-Encoding").value_or("") == "chunked");
    BOOST_TEST(res.text() == R"({"events":["a","b","c"],"done":true})");
    BOOST_TEST(res.json()["done"].get_bool().value());
}

BOOST_AUTO_TEST_CASE(megabyte_body_read_intact)
{
    const std::string body = patterned_body(1024 * 1024);
    ts::http_server server;
    server.route("GET", "/blob", ts::text_reply(200, body));
    cc::base_client api({.base_url = server.url()});

    auto res = api.get("/blob");

    BOOST_TEST(res.text().size() == body.size());
    BOOST_TEST((res.text() == body));
}

BOOST_AUTO_TEST_CASE(head_returns_headers_only)
{
    ts::http_server server;
    server.route("GET", "/items", ts::json_reply(200, R"({"items":[]})"));
    cc::base_client api({.base_url = server.url()});

    auto res = api.http_request("HEAD", "/items", {.resp_type = cc::resp_type::response});
    auto after = api.get("/items");

    BOOST_TEST(res.status() == 200);
    BOOST_TEST(res.text().empty());
    BOOST_TEST(res.header("Content-Length").value_or("") == "12");
    BOOST_TEST(server.requests().at(0).method == "HEAD");
    BOOST_TEST(after.text() == R"({"items":[]})");
    BOOST_TEST(server.connections_accepted() == 1u);
}

BOOST_AUTO_TEST_CASE(no_content_returns_empty_body)
{
    ts::http_server server;
    server.route("DELETE", "/items/7", ts::reply{.status = 204});
    cc::base_client api({.base_url = server.url()});

    auto res = api.delete_("/items/7");
    auto as_json = api.http_request("DELETE", "/items/7");

    BOOST_TEST(res.status() == 204);
    BOOST_TEST(res.text().empty());
    BOOST_TEST(as_json.status() == 204);
    BOOST_TEST(as_json.json().is_object());
}

BOOST_AUTO_TEST_CASE(keep_alive_reuses_one_connection)
{
    ts::http_server server;
    server.route("GET", "/items", ts::json_reply(200, "{}"));
    server.route("POST", "/items", ts::json_reply(201, "{}"));
    cc::base_client api({.base_url = server.url()});

    for (int i = 0; i < 3; ++i) {
        api.http_request("GET", "/items");
        api.http_request("POST", "/items", {.json_data = boost::json::object{{"i", i}}});
    }

    BOOST_TEST(server.requests_handled() == 6u);
    BOOST_TEST(server.connections_accepted() == 1u);
    BOOST_TEST(api.transport().idle_connections("http://127.0.0.1:" + std::to_string(server.port())) == 1u);
}

BOOST_AUTO_TEST_CASE(server_closing_after_response_replaced)
{
    ts::http_server server;
    server.route("GET", "/items", ts::json_reply(200, R"({"ok":true})"));
    server.set_close_after_response(true);
    cc::base_client api({.base_url = server.url()});

    int succeeded = 0;
    for (int i = 0; i < 5; ++i) {
        if (api.http_request("GET", "/items").json()["ok"].get_bool().value())
            ++succeeded;
    }

    BOOST_TEST(succeeded == 5);
    BOOST_TEST(server.requests_handled() == 5u);
    BOOST_TEST(server.connections_accepted() == 5u);
}

BOOST_AUTO_TEST_CASE(connections_closed_between_calls_replaced)
{
    ts::http_server server;
    server.route("GET", "/items", ts::json_reply(200, R"({"ok":true})"));
    cc::base_client api({.base_url = server.url()});

    int succeeded = 0;
    for (int i = 0; i < 4; ++i) {
        if (api.http_request("GET", "/items").json()["ok"].get_bool().value())
            ++succeeded;
        server.close_connections();
    }

    BOOST_TEST(succeeded == 4);
    BOOST_TEST(server.requests_handled() == 4u);
    BOOST_TEST(server.connections_accepted() == 4u);
}

BOOST_AUTO_TEST_CASE(stale_connection_post_sent_once)
{
    ts::http_server server;
    server.route("POST", "/items", [](const ts::received_request& req) { return ts::json_reply(201, req.body); });
    server.set_close_after_response(true);
    cc::base_client api({.base_url = server.url()});

    api.http_request("POST", "/items", {.json_data = boost::json::object{{"n", 1}}});
    auto second = api.http_request("POST", "/items", {.json_data = boost::json::object{{"n", 2}}});

    auto requests = server.requests();
    BOOST_TEST_REQUIRE(requests.size() == 2u);
    BOOST_TEST(requests[0].body == R"({"n":1})");
    BOOST_TEST(requests[1].body == R"({"n":2})");
    BOOST_TEST(second.status() == 201);
    BOOST_TEST(second.json()["n"].get_int64().value() == 2);
}

BOOST_AUTO_TEST_CASE(async_request_with_use_future)
{
    ts::http_server server;
    server.route("GET", "/items", ts::json_reply(200, R"({"async":"future"})"));
    cc::base_client api({.base_url = server.url()});

    std::future<cc::response> pending = api.async_http_request("GET", "/items", {}, boost::asio::use_future);

    BOOST_TEST_REQUIRE((pending.wait_for(std::chrono::seconds(10)) == std::future_status::ready));
    auto res = pending.get();
    BOOST_TEST(res.status() == 200);
    BOOST_TEST(res.json()["async"].get_string().value() == "future");
}

BOOST_AUTO_TEST_CASE(async_future_reports_status_error)
{
    ts::http_server server;
    cc::base_client api({.base_url = server.url()});

    auto pending = api.async_http_request("GET", "/missing", {}, boost::asio::use_future);

    BOOST_TEST_REQUIRE((pending.wait_for(std::chrono::seconds(10)) == std::future_status::ready));
    auto e = catch_error<cc::error>([&] { pending.get(); });
    BOOST_TEST_REQUIRE(e.has_value());
    BOOST_TEST(e->code() == cc::errc::http_status);
    BOOST_TEST(contains(e->what(), "Error in API call [404] - Not Found"));
}

BOOST_AUTO_TEST_CASE(async_request_with_use_awaitable)
{
    ts::http_server server;
    server.route("GET", "/items", ts::json_reply(200, R"({"async":"awaitable"})"));
    server.route("GET", "/limited", ts::json_reply(429, R"({"error":"slow down"})"));
    cc::base_client api({.base_url = server.url()});
    boost::asio::io_context io;
    std::optional<cc::response> received;
    bool rate_limited = false;
    std::exception_ptr failure;
    bool finished = false;

    boost::asio::co_spawn(
        io,
        [&]() -> boost::asio::awaitable<void> {
            // Each operation is a named variable, not a temporary inside the
            // co_await expression: g++ 12 has destroyed such temporaries twice
            // when an exception passes through the co_await.
            auto items = api.async_http_request("GET", "/items", {}, boost::asio::use_awaitable);
            received = co_await std::move(items);
            try {
                auto limited = api.async_http_request("GET", "/limited", {}, boost::asio::use_awaitable);
                co_await std::move(limited);
            } catch (const cc::rate_limit_error&) {
                rate_limited = true;
            }
        },
        [&](std::exception_ptr e) {
            failure = e;
            finished = true;
        });
    io.run_for(std::chrono::seconds(10));

    BOOST_TEST_REQUIRE(finished);
    BOOST_TEST_REQUIRE(!failure);
    BOOST_TEST_REQUIRE(received.has_value());
    BOOST_TEST(received->json()["async"].get_string().value() == "awaitable");
    BOOST_TEST(rate_limited);
}

BOOST_AUTO_TEST_CASE(content_client_get_over_transport)
{
    ts::http_server server;
    server.route("GET", "/items", ts::json_reply(200, R"({"ok":true})"));
    cc::client api({.base_url = server.url()});

    auto res = api.http_request("GET", "/items");

    BOOST_TEST(res.json()["ok"].get_bool().value());
    BOOST_TEST(server.requests_handled() == 1u);
}

BOOST_AUTO_TEST_CASE(eight_threads_share_one_client)
{
    constexpr int thread_count = 8;
    constexpr int calls_per_thread = 10;
    ts::http_server server;
    server.route("GET", "/items", [](const ts::received_request& req) {
        return ts::json_reply(200, R"({"query":")" + req.query + R"("})");
    });
    cc::base_client api({.base_url = server.url()});
    std::atomic<int> succeeded{0};
    std::mutex failures_mutex;
    std::vector<std::string> failures;

    std::vector<std::thread> threads;
    for (int t = 0; t < thread_count; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < calls_per_thread; ++i) {
                const std::string id = std::to_string(t) + "-" + std::to_string(i);
                try {
                    auto res = api.http_request("GET", "/items", {.params = {{"id", id}}});
                    if (res.json()["query"].get_string().value() == "id=" + id)
                        ++succeeded;
                } catch (const std::exception& e) {
                    std::lock_guard lock(failures_mutex);
                    failures.push_back(e.what());
                }
            }
        });
    }
    for (auto& thread : threads)
        thread.join();

    BOOST_TEST(succeeded.load() == thread_count * calls_per_thread);
    BOOST_TEST(failures.empty());
    if (!failures.empty())
        BOOST_TEST_MESSAGE("first failure: " << failures.front());
    BOOST_TEST(server.requests_handled() == static_cast<std::size_t>(thread_count * calls_per_thread));
}

BOOST_AUTO_TEST_SUITE_END()
