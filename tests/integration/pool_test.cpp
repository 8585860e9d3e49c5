// The connection pool of the real beast_transport: the limit of connections
// per host, waiting for a free connection up to the pool timeout, parallel
// requests on separate connections, and the expiry of idle connections.
#include "integration/integration_support.hpp"
#include "integration/transport_calls.hpp"
#include "support/test_server.hpp"

#include <content_client/content_client.hpp>

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <future>
#include <string>
#include <thread>
#include <vector>

namespace cc = content_client;
namespace ts = content_client::test_support;
using namespace std::chrono_literals;
using cc::integration::contains;
using cc::integration::seconds_taken;
using cc::integration::send_once;
using cc::integration::start_send;

namespace {

/// Sends `count` GET requests to `url` at once and waits for all of them.
std::vector<cc::send_result> send_concurrently(cc::beast_transport& transport, const std::string& url,
                                               std::size_t count, const cc::send_options& opts = {})
{
    std::vector<cc::request> requests(count, cc::request{"GET", url, {}, {}});
    std::vector<std::future<cc::send_result>> futures;
    for (const auto& req : requests)
        futures.push_back(start_send(transport, req, opts));
    std::vector<cc::send_result> results;
    for (auto& f : futures)
        results.push_back(f.get());
    return results;
}

ts::reply slow_reply(std::chrono::milliseconds delay)
{
    auto r = ts::json_reply(200, R"({"slow":true})");
    r.delay = delay;
    return r;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(pool)

BOOST_AUTO_TEST_CASE(limit_bounds_open_connections)
{
    ts::http_server server;
    server.route("GET", "/slow", slow_reply(300ms));
    cc::beast_transport transport({.max_connections_per_host = 2});

    std::vector<cc::send_result> results;
    const double seconds = seconds_taken([&] { results = send_concurrently(transport, server.url("/slow"), 6); });

    for (const auto& result : results)
        BOOST_TEST(!result.ec, result.message);
    BOOST_TEST(server.connections_accepted() <= 2u);
    BOOST_TEST(server.requests_handled() == 6u);
    // Six requests of 0.3 s on two connections take three rounds.
    BOOST_TEST(seconds >= 0.85, "took " << seconds << " s");
}

BOOST_AUTO_TEST_CASE(concurrent_requests_run_in_parallel)
{
    ts::http_server server;
    server.route("GET", "/slow", slow_reply(500ms));
    cc::beast_transport transport({.max_connections_per_host = 6});

    std::vector<cc::send_result> results;
    const double seconds = seconds_taken([&] { results = send_concurrently(transport, server.url("/slow"), 6); });

    for (const auto& result : results)
        BOOST_TEST(!result.ec, result.message);
    BOOST_TEST(server.connections_accepted() == 6u);
    // One after another they would take 3 s.
    BOOST_TEST(seconds < 2.0, "took " << seconds << " s");
}

BOOST_AUTO_TEST_CASE(busy_pool_times_out)
{
    ts::http_server server;
    server.route("GET", "/slow", slow_reply(1500ms));
    cc::beast_transport transport({.max_connections_per_host = 1});
    cc::send_options opts;
    opts.pool_timeout = 200ms;

    auto results = send_concurrently(transport, server.url("/slow"), 2, opts);

    BOOST_TEST_REQUIRE(results.size() == 2u);
    const auto& waited = results[0].ec ? results[0] : results[1];
    const auto& served = results[0].ec ? results[1] : results[0];
    BOOST_TEST(!served.ec, served.message);
    BOOST_TEST((waited.ec == cc::errc::pool_timeout), "code: " << waited.ec.message());
    BOOST_TEST(contains(waited.message, "max_connections_per_host is 1"), waited.message);
    BOOST_TEST(contains(waited.message, "http://127.0.0.1:" + std::to_string(server.port())), waited.message);
    BOOST_TEST(!waited.request_sent);
    BOOST_TEST(server.connections_accepted() == 1u);
}

BOOST_AUTO_TEST_CASE(busy_pool_client_timeout_error)
{
    ts::http_server server;
    server.route("GET", "/slow", slow_reply(1500ms));
    cc::base_client api({.base_url = server.url(), .timeouts = {.pool = cc::seconds_f(0.2)},
                         .max_connections_per_host = 1});

    auto first = std::async(std::launch::async, [&] { return api.get("/slow").status(); });
    BOOST_TEST_REQUIRE(server.wait_for_requests(1, 5000ms));
    auto e = cc::integration::catch_error<cc::timeout_error>([&] { api.get("/slow"); });

    BOOST_TEST(first.get() == 200);
    BOOST_TEST_REQUIRE(e.has_value());
    BOOST_TEST((e->code() == cc::errc::pool_timeout), "code: " << e->code().message());
}

BOOST_AUTO_TEST_CASE(released_connection_is_reused)
{
    ts::http_server server;
    server.route("GET", "/fast", ts::json_reply(200, "{}"));
    cc::beast_transport transport({.max_connections_per_host = 1});

    for (int i = 0; i < 3; ++i) {
        auto result = send_once(transport, "GET", server.url("/fast"));
        BOOST_TEST(!result.ec, result.message);
    }

    BOOST_TEST(server.connections_accepted() == 1u);
    BOOST_TEST(transport.idle_connections("http://127.0.0.1:" + std::to_string(server.port())) == 1u);
}

BOOST_AUTO_TEST_CASE(failed_connection_frees_slot)
{
    ts::http_server server;
    ts::reply closing = ts::json_reply(200, "{}");
    closing.close_after = true;
    server.route("GET", "/close", closing);
    cc::beast_transport transport({.max_connections_per_host = 1});
    cc::send_options opts;
    opts.pool_timeout = 500ms;

    for (int i = 0; i < 3; ++i) {
        auto result = send_once(transport, "GET", server.url("/close"), {}, opts);
        BOOST_TEST(!result.ec, result.message);
    }

    BOOST_TEST(server.connections_accepted() == 3u);
}

BOOST_AUTO_TEST_CASE(idle_connection_expires)
{
    ts::http_server server;
    server.route("GET", "/fast", ts::json_reply(200, "{}"));
    cc::beast_transport transport({.idle_timeout = cc::seconds_f(0.2)});

    auto first = send_once(transport, "GET", server.url("/fast"));
    std::this_thread::sleep_for(400ms);
    auto second = send_once(transport, "GET", server.url("/fast"));

    BOOST_TEST(!first.ec, first.message);
    BOOST_TEST(!second.ec, second.message);
    BOOST_TEST(server.connections_accepted() == 2u);
}

BOOST_AUTO_TEST_SUITE_END()
