// base_client over the real beast_transport against servers that misbehave
// on purpose: silence, a trickling body, broken framing, oversized responses
// and connections that close or reset. Every call must end with the right
// error well before a generous bound, never hang.
#include "integration/integration_support.hpp"
#include "support/test_server.hpp"

#include <content_client/content_client.hpp>

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace cc = content_client;
namespace ts = content_client::test_support;
using namespace std::chrono_literals;
using cc::integration::catch_error;
using cc::integration::contains;
using cc::integration::seconds_taken;

namespace {

/// The generous bound on every failing call here. The timeouts used are
/// 0.5 s; the bound leaves room for a loaded machine, so it catches hangs,
/// not slowness.
constexpr double max_seconds = 10.0;

/// True when `code` is one of the codes of an attempt that ran out of time.
bool is_timeout_code(const cc::error_code& code)
{
    return code == cc::errc::timed_out || code == cc::errc::read_timeout;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(misbehaving_server)

BOOST_AUTO_TEST_CASE(silent_server_times_out)
{
    ts::raw_server server(ts::behaviours::never_respond());
    cc::base_client api({.base_url = server.url()});
    std::optional<cc::timeout_error> e;

    double seconds = seconds_taken(
        [&] { e = catch_error<cc::timeout_error>([&] { api.http_request("GET", "/items", {.timeout = 500ms}); }); });

    BOOST_TEST_REQUIRE(e.has_value());
    BOOST_TEST(is_timeout_code(e->code()), "code: " << e->code());
    BOOST_TEST(seconds < max_seconds);
    BOOST_TEST(server.requests().size() == 1u);
}

BOOST_AUTO_TEST_CASE(silent_server_client_timeout_applies)
{
    ts::raw_server server(ts::behaviours::never_respond());
    cc::base_client api({.base_url = server.url(), .timeout = cc::seconds_f(0.5)});
    std::optional<cc::timeout_error> e;

    double seconds =
        seconds_taken([&] { e = catch_error<cc::timeout_error>([&] { api.http_request("GET", "/items"); }); });

    BOOST_TEST_REQUIRE(e.has_value());
    BOOST_TEST(is_timeout_code(e->code()), "code: " << e->code());
    BOOST_TEST(seconds < max_seconds);
}

BOOST_AUTO_TEST_CASE(trickling_body_stopped_by_timeout)
{
    // 200 bytes at one byte per 50 ms would take 10 s.
    ts::raw_server server(ts::behaviours::trickle_body(std::string(200, 'x'), 50ms));
    cc::base_client api({.base_url = server.url()});
    std::optional<cc::timeout_error> e;

    double seconds = seconds_taken(
        [&] { e = catch_error<cc::timeout_error>([&] { api.get("/slow", {.timeout = 500ms}); }); });

    BOOST_TEST_REQUIRE(e.has_value());
    BOOST_TEST(is_timeout_code(e->code()), "code: " << e->code());
    BOOST_TEST(seconds < max_seconds);
}

BOOST_AUTO_TEST_CASE(truncated_body_raises_error)
{
    ts::raw_server server(ts::behaviours::truncated_body(R"({"items":[1,2)", 100));
    cc::base_client api({.base_url = server.url()});
    std::optional<cc::error> e;

    double seconds = seconds_taken([&] { e = catch_error<cc::error>([&] { api.http_request("GET", "/items"); }); });

    BOOST_TEST_REQUIRE(e.has_value());
    BOOST_TEST(e->code() == cc::errc::truncated_body);
    BOOST_TEST(contains(e->what(), "closed before the whole response body"), "message: " << e->what());
    BOOST_TEST(seconds < max_seconds);
}

BOOST_AUTO_TEST_CASE(broken_chunked_raises_protocol_error)
{
    ts::raw_server server(ts::behaviours::broken_chunked());
    cc::base_client api({.base_url = server.url()});
    std::optional<cc::error> e;

    double seconds = seconds_taken([&] { e = catch_error<cc::error>([&] { api.get("/items"); }); });

    BOOST_TEST_REQUIRE(e.has_value());
    BOOST_TEST(e->code() == cc::errc::protocol_error);
    BOOST_TEST(contains(e->what(), "is not valid HTTP/1.1"), "message: " << e->what());
    BOOST_TEST(contains(e->what(), server.url("/items")), "message: " << e->what());
    BOOST_TEST(seconds < max_seconds);
}

BOOST_AUTO_TEST_CASE(conflicting_content_length_rejected)
{
    ts::raw_server server(ts::behaviours::conflicting_content_length());
    cc::base_client api({.base_url = server.url()});
    std::optional<cc::error> e;

    double seconds = seconds_taken([&] { e = catch_error<cc::error>([&] { api.get("/items"); }); });

    BOOST_TEST_REQUIRE(e.has_value());
    BOOST_TEST(e->code() == cc::errc::protocol_error);
    BOOST_TEST(contains(e->what(), "is not valid HTTP/1.1"), "message: " << e->what());
    BOOST_TEST(seconds < max_seconds);
}

BOOST_AUTO_TEST_CASE(garbage_status_line_rejected)
{
    ts::raw_server server(ts::behaviours::garbage_status_line());
    cc::base_client api({.base_url = server.url()});
    std::optional<cc::error> e;

    double seconds = seconds_taken([&] { e = catch_error<cc::error>([&] { api.get("/items"); }); });

    BOOST_TEST_REQUIRE(e.has_value());
    BOOST_TEST(e->code() == cc::errc::protocol_error);
    BOOST_TEST(contains(e->what(), "is not valid HTTP/1.1"), "message: " << e->what());
    BOOST_TEST(seconds < max_seconds);
}

BOOST_AUTO_TEST_CASE(huge_headers_exceed_limit)
{
    ts::raw_server server(ts::behaviours::huge_headers(1024 * 1024));
    cc::base_client api({.base_url = server.url(), .max_header_size = 16 * 1024});
    std::optional<cc::error> e;

    double seconds = seconds_taken([&] { e = catch_error<cc::error>([&] { api.get("/items"); }); });

    BOOST_TEST_REQUIRE(e.has_value());
    BOOST_TEST(e->code() == cc::errc::headers_too_large);
    BOOST_TEST(contains(e->what(), "max_header_size"), "message: " << e->what());
    BOOST_TEST(contains(e->what(), "16384"), "message: " << e->what());
    BOOST_TEST(seconds < max_seconds);
}

BOOST_AUTO_TEST_CASE(huge_headers_exceed_default_limit)
{
    ts::raw_server server(ts::behaviours::huge_headers(1024 * 1024));
    cc::base_client api({.base_url = server.url()});
    std::optional<cc::error> e;

    double seconds = seconds_taken([&] { e = catch_error<cc::error>([&] { api.get("/items"); }); });

    BOOST_TEST_REQUIRE(e.has_value());
    BOOST_TEST(e->code() == cc::errc::headers_too_large);
    BOOST_TEST(contains(e->what(), "max_header_size"), "message: " << e->what());
    BOOST_TEST(seconds < max_seconds);
}

BOOST_AUTO_TEST_CASE(body_over_limit_rejected)
{
    ts::http_server server;
    server.route("GET", "/blob", ts::text_reply(200, std::string(5000, 'b')));
    cc::base_client api({.base_url = server.url(), .max_body_size = 1000});
    std::optional<cc::error> e;

    double seconds = seconds_taken([&] { e = catch_error<cc::error>([&] { api.get("/blob"); }); });

    BOOST_TEST_REQUIRE(e.has_value());
    BOOST_TEST(e->code() == cc::errc::body_too_large);
    BOOST_TEST(contains(e->what(), "max_body_size"), "message: " << e->what());
    BOOST_TEST(contains(e->what(), "1000"), "message: " << e->what());
    BOOST_TEST(seconds < max_seconds);
}

BOOST_AUTO_TEST_CASE(chunked_body_over_limit_rejected)
{
    ts::http_server server;
    auto chunked = ts::text_reply(200, std::string(5000, 'b'));
    chunked.chunked = true;
    server.route("GET", "/blob", chunked);
    cc::base_client api({.base_url = server.url(), .max_body_size = 1000});
    std::optional<cc::error> e;

    double seconds = seconds_taken([&] { e = catch_error<cc::error>([&] { api.get("/blob"); }); });

    BOOST_TEST_REQUIRE(e.has_value());
    BOOST_TEST(e->code() == cc::errc::body_too_large);
    BOOST_TEST(contains(e->what(), "max_body_size"), "message: " << e->what());
    BOOST_TEST(seconds < max_seconds);
}

BOOST_AUTO_TEST_CASE(refused_port_raises_connection_failed)
{
    ts::refusing_port port;
    cc::base_client api({.base_url = port.url()});
    std::optional<cc::error> e;

    double seconds = seconds_taken([&] { e = catch_error<cc::error>([&] { api.get("/items"); }); });

    BOOST_TEST_REQUIRE(e.has_value());
    BOOST_TEST(e->code() == cc::errc::connection_failed);
    BOOST_TEST(contains(e->what(), "Verify that the server URL parameter is correct"), "message: " << e->what());
    BOOST_TEST(contains(e->what(), "127.0.0.1:" + std::to_string(port.port())), "message: " << e->what());
    BOOST_TEST(e->response() == nullptr);
    BOOST_TEST(seconds < max_seconds);
}

BOOST_AUTO_TEST_CASE(close_without_response_raises_error)
{
    ts::raw_server server(ts::behaviours::close_without_response());
    cc::base_client api({.base_url = server.url()});
    std::optional<cc::error> e;

    double seconds = seconds_taken([&] { e = catch_error<cc::error>([&] { api.get("/items"); }); });

    BOOST_TEST_REQUIRE(e.has_value());
    BOOST_TEST(e->code() == cc::errc::connection_reset);
    BOOST_TEST(contains(e->what(), "without sending a response"), "message: " << e->what());
    BOOST_TEST(seconds < max_seconds);
}

BOOST_AUTO_TEST_CASE(close_on_accept_raises_error)
{
    ts::raw_server server(ts::behaviours::close_on_accept());
    cc::base_client api({.base_url = server.url()});
    std::optional<cc::error> e;

    double seconds = seconds_taken([&] { e = catch_error<cc::error>([&] { api.get("/items"); }); });

    BOOST_TEST_REQUIRE(e.has_value());
    BOOST_TEST(e->code() == cc::errc::connection_reset);
    BOOST_TEST(seconds < max_seconds);
}

BOOST_AUTO_TEST_CASE(reset_on_accept_raises_error)
{
    ts::raw_server server(ts::behaviours::reset_on_accept());
    cc::base_client api({.base_url = server.url()});
    std::optional<cc::error> e;

    double seconds = seconds_taken([&] { e = catch_error<cc::error>([&] { api.get("/items"); }); });

    BOOST_TEST_REQUIRE(e.has_value());
    // The reset may arrive before the connect completes, then the connect fails.
    BOOST_TEST((e->code() == cc::errc::connection_reset || e->code() == cc::errc::connection_failed),
               "code: " << e->code() << ", message: " << e->what());
    BOOST_TEST(seconds < max_seconds);
}

BOOST_AUTO_TEST_CASE(failed_call_leaves_client_usable)
{
    ts::raw_server broken(ts::behaviours::truncated_body("{", 10));
    ts::http_server healthy;
    healthy.route("GET", "/items", ts::json_reply(200, R"({"ok":true})"));
    cc::base_client api({.base_url = healthy.url()});

    auto e = catch_error<cc::error>([&] { api.get("", {.full_url = broken.url("/items")}); });
    auto res = api.http_request("GET", "/items");

    BOOST_TEST_REQUIRE(e.has_value());
    BOOST_TEST(e->code() == cc::errc::truncated_body);
    BOOST_TEST(res.json()["ok"].get_bool().value());
}

BOOST_AUTO_TEST_SUITE_END()
