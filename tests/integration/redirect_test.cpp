// Redirects followed by the real beast_transport: the method and body rules
// of 301, 302, 303, 307 and 308 (RFC 9110 section 15.4), allow_redirects,
// the redirect limit, and credentials kept from another origin.
#include "integration/integration_support.hpp"
#include "support/test_server.hpp"

#include <content_client/content_client.hpp>

#include <boost/json/object.hpp>
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

namespace cc = content_client;
namespace ts = content_client::test_support;
using cc::integration::catch_error;
using cc::integration::contains;
using cc::integration::seconds_taken;

namespace {

constexpr double max_seconds = 10.0;

/// What the redirect target received and what the client returned.
struct redirect_outcome {
    std::vector<ts::received_request> requests;
    int final_status = 0;
    std::string final_url;
    std::string target_url;
};

/// Sends `method` with a JSON body to `/old` of a server that redirects it
/// with `status` to `/new`, which accepts any method and echoes the body.
redirect_outcome follow_redirect(int status, const std::string& method)
{
    ts::http_server server;
    ts::reply moved{.status = status};
    moved.headers.emplace_back("Location", "/new");
    server.route(method, "/old", moved);
    server.route("*", "/new", [](const ts::received_request& req) { return ts::text_reply(200, req.body); });
    cc::base_client api({.base_url = server.url()});

    auto res = api.http_request(method, "/old",
                                {.json_data = boost::json::object{{"id", 7}}, .resp_type = cc::resp_type::text});

    return {server.requests(), res.status(), std::string(res.url()), server.url("/new")};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(redirects)

BOOST_AUTO_TEST_CASE(moved_permanently_post_becomes_get)
{
    auto outcome = follow_redirect(301, "POST");

    BOOST_TEST_REQUIRE(outcome.requests.size() == 2u);
    BOOST_TEST(outcome.requests[1].path == "/new");
    BOOST_TEST(outcome.requests[1].method == "GET");
    BOOST_TEST(outcome.requests[1].body.empty());
    BOOST_TEST(!outcome.requests[1].header("Content-Type").has_value());
    BOOST_TEST(outcome.final_status == 200);
    BOOST_TEST(outcome.final_url == outcome.target_url);
}

BOOST_AUTO_TEST_CASE(found_post_becomes_get)
{
    auto outcome = follow_redirect(302, "POST");

    BOOST_TEST_REQUIRE(outcome.requests.size() == 2u);
    BOOST_TEST(outcome.requests[1].method == "GET");
    BOOST_TEST(outcome.requests[1].body.empty());
    BOOST_TEST(outcome.final_status == 200);
}

// NOTE: Python requests, the HTTP stack of the reference, turns a 302 of any
// method but HEAD into GET. beast_transport keeps the method of everything but
// POST, as RFC 9110 section 15.4.3 allows.
BOOST_AUTO_TEST_CASE(found_put_keeps_method)
{
    auto outcome = follow_redirect(302, "PUT");

    BOOST_TEST_REQUIRE(outcome.requests.size() == 2u);
    BOOST_TEST(outcome.requests[1].method == "PUT");
    BOOST_TEST(outcome.requests[1].body == R"({"id":7})");
}

BOOST_AUTO_TEST_CASE(see_other_put_becomes_get)
{
    auto outcome = follow_redirect(303, "PUT");

    BOOST_TEST_REQUIRE(outcome.requests.size() == 2u);
    BOOST_TEST(outcome.requests[1].method == "GET");
    BOOST_TEST(outcome.requests[1].body.empty());
    BOOST_TEST(!outcome.requests[1].header("Content-Length").has_value());
    BOOST_TEST(outcome.final_status == 200);
}

BOOST_AUTO_TEST_CASE(temporary_redirect_keeps_post_body)
{
    auto outcome = follow_redirect(307, "POST");

    BOOST_TEST_REQUIRE(outcome.requests.size() == 2u);
    BOOST_TEST(outcome.requests[1].method == "POST");
    BOOST_TEST(outcome.requests[1].body == R"({"id":7})");
    BOOST_TEST(outcome.requests[1].header("Content-Type").value_or("") == "application/json");
    BOOST_TEST(outcome.final_status == 200);
}

BOOST_AUTO_TEST_CASE(permanent_redirect_keeps_post_body)
{
    auto outcome = follow_redirect(308, "POST");

    BOOST_TEST_REQUIRE(outcome.requests.size() == 2u);
    BOOST_TEST(outcome.requests[1].method == "POST");
    BOOST_TEST(outcome.requests[1].body == R"({"id":7})");
    BOOST_TEST(outcome.final_status == 200);
}

BOOST_AUTO_TEST_CASE(redirects_disabled_return_response)
{
    ts::http_server server;
    ts::reply moved{.status = 302};
    moved.headers.emplace_back("Location", "/new");
    server.route("GET", "/old", moved);
    server.route("GET", "/new", ts::json_reply(200, "{}"));
    cc::base_client api({.base_url = server.url()});

    auto res = api.get("/old", {.allow_redirects = false});

    BOOST_TEST(res.status() == 302);
    BOOST_TEST(res.header("Location").value_or("") == "/new");
    BOOST_TEST(server.requests_handled() == 1u);
}

BOOST_AUTO_TEST_CASE(redirect_loop_stops_at_limit)
{
    ts::http_server server;
    ts::reply loop{.status = 302};
    loop.headers.emplace_back("Location", "/loop");
    server.route("GET", "/loop", loop);
    cc::base_client api({.base_url = server.url()});
    std::optional<cc::error> e;

    double seconds = seconds_taken([&] { e = catch_error<cc::error>([&] { api.get("/loop"); }); });

    BOOST_TEST_REQUIRE(e.has_value());
    BOOST_TEST(e->code() == cc::errc::too_many_redirects);
    BOOST_TEST(contains(e->what(), "max_redirects"), "message: " << e->what());
    // The first request and 30 followed redirects (send_options::max_redirects).
    BOOST_TEST(server.requests_handled() == 31u);
    BOOST_TEST(seconds < max_seconds);
}

BOOST_AUTO_TEST_CASE(other_origin_gets_no_credentials)
{
    ts::http_server other;
    other.route("GET", "/landing", ts::json_reply(200, R"({"landed":true})"));
    ts::http_server origin;
    ts::reply moved{.status = 302};
    moved.headers.emplace_back("Location", other.url("/landing"));
    origin.route("GET", "/start", moved);
    cc::basic_content_client<cc::beast_transport, cc::api_key_auth> api(
        {.base_url = origin.url(), .auth = cc::basic_credentials{"user", "password"}},
        cc::api_key_auth("k3y-value", "X-Api-Key"));

    auto res = api.http_request("GET", "/start");

    BOOST_TEST(res.json()["landed"].get_bool().value());
    auto first = origin.requests().at(0);
    BOOST_TEST(first.header("Authorization").has_value());
    BOOST_TEST(first.header("X-Api-Key").value_or("") == "k3y-value");
    auto redirected = other.requests().at(0);
    BOOST_TEST(!redirected.header("Authorization").has_value());
    BOOST_TEST(!redirected.header("X-Api-Key").has_value());
    BOOST_TEST(redirected.header("Host").value_or("") == "127.0.0.1:" + std::to_string(other.port()));
}

BOOST_AUTO_TEST_CASE(other_origin_gets_no_bearer_token)
{
    ts::http_server other;
    other.route("GET", "/landing", ts::json_reply(200, R"({"landed":true})"));
    ts::http_server origin;
    ts::reply moved{.status = 307};
    moved.headers.emplace_back("Location", other.url("/landing"));
    origin.route("GET", "/start", moved);
    cc::client api({.base_url = origin.url()}, cc::bearer_token_auth("bearer-secret"));

    auto res = api.http_request("GET", "/start");

    BOOST_TEST(res.json()["landed"].get_bool().value());
    BOOST_TEST(origin.requests().at(0).header("Authorization").value_or("") == "Bearer bearer-secret");
    BOOST_TEST(!other.requests().at(0).header("Authorization").has_value());
}

BOOST_AUTO_TEST_CASE(same_origin_keeps_credentials)
{
    ts::http_server server;
    ts::reply moved{.status = 302};
    moved.headers.emplace_back("Location", "/landing");
    server.route("GET", "/start", moved);
    server.route("GET", "/landing", ts::json_reply(200, R"({"landed":true})"));
    cc::basic_content_client<cc::beast_transport, cc::api_key_auth> api(
        {.base_url = server.url(), .auth = cc::basic_credentials{"user", "password"}},
        cc::api_key_auth("k3y-value", "X-Api-Key"));

    api.http_request("GET", "/start");

    auto redirected = server.requests().at(1);
    BOOST_TEST(redirected.path == "/landing");
    BOOST_TEST(redirected.header("Authorization").has_value());
    BOOST_TEST(redirected.header("X-Api-Key").value_or("") == "k3y-value");
}

BOOST_AUTO_TEST_SUITE_END()
