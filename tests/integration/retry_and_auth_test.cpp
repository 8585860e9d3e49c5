// Retries, the circuit breaker and authentication over the real
// beast_transport: BaseClient's urllib3-style retries, exponential_retry with
// the server's Retry-After, a breaker that stops reaching a failing server,
// the OAuth2 client-credentials grant against a token server, an API key in
// the query, and an OAuth2 token kept in a file_store between clients.
#include "integration/integration_support.hpp"
#include "support/test_server.hpp"

#include <content_client/content_client.hpp>
#include <content_client/state/file_store.hpp>

#include <boost/test/unit_test.hpp>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <exception>
#include <filesystem>
#include <latch>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace cc = content_client;
namespace ts = content_client::test_support;
using namespace std::chrono_literals;
using cc::integration::catch_error;
using cc::integration::contains;
using cc::integration::seconds_taken;

namespace {

/// The generous bound on the calls here, which wait at most a few hundred milliseconds by design.
constexpr double max_seconds = 10.0;

constexpr std::string_view client_id = "integration-client";
constexpr std::string_view client_secret = "s3cr3t-value-42";

/// Splits an `application/x-www-form-urlencoded` body whose names and values need no decoding.
std::map<std::string, std::string> form_fields(std::string_view body)
{
    std::map<std::string, std::string> fields;
    while (!body.empty()) {
        auto end = body.find('&');
        auto pair = body.substr(0, end);
        auto equals = pair.find('=');
        if (equals != std::string_view::npos)
            fields[std::string(pair.substr(0, equals))] = std::string(pair.substr(equals + 1));
        if (end == std::string_view::npos)
            break;
        body.remove_prefix(end + 1);
    }
    return fields;
}

/// An OAuth2 token endpoint (`POST /oauth/token`) that issues `token-1`,
/// `token-2`, ... to requests with the expected client credentials and
/// rejects others with 401.
class token_server {
public:
    explicit token_server(std::chrono::milliseconds delay = 0ms)
    {
        server_.route("POST", "/oauth/token", [this, delay](const ts::received_request& req) {
            auto fields = form_fields(req.body);
            if (fields["grant_type"] != "client_credentials" || fields["client_id"] != client_id ||
                fields["client_secret"] != client_secret)
                return ts::json_reply(401, R"({"error":"invalid_client"})");

            const auto number = ++issued_;
            auto issued = ts::json_reply(200, R"({"access_token":"token-)" + std::to_string(number) +
                                                   R"(","token_type":"Bearer","expires_in":3600})");
            issued.delay = delay;
            return issued;
        });
    }

    ts::http_server& server() noexcept { return server_; }

    std::string token_url() const { return server_.url("/oauth/token"); }

    cc::oauth2_settings settings() const
    {
        return {.token_url = token_url(), .client_id = std::string(client_id),
                .client_secret = std::string(client_secret)};
    }

private:
    std::atomic<int> issued_{0};
    // Declared last so that its thread stops before `issued_` goes away.
    ts::http_server server_;
};

/// Routes `GET /items` on `server` to 200 for `Authorization: Bearer <accepted_token>` and 401 otherwise.
void route_items_for_token(ts::http_server& server, std::string accepted_token)
{
    server.route("GET", "/items", [accepted = "Bearer " + accepted_token](const ts::received_request& req) {
        if (req.header("Authorization").value_or("") != accepted)
            return ts::json_reply(401, R"({"error":"invalid_token"})");
        return ts::json_reply(200, R"({"ok":true})");
    });
}

/// A directory under the system's temporary directory, removed with its contents on destruction.
class temporary_directory {
public:
    explicit temporary_directory(std::string_view name)
        : path_(std::filesystem::temp_directory_path() /
                (std::string(name) + "-" + std::to_string(::getpid()) + "-" +
                 std::to_string(std::chrono::steady_clock::now().time_since_epoch().count())))
    {
        std::filesystem::create_directories(path_);
    }

    temporary_directory(const temporary_directory&) = delete;
    temporary_directory& operator=(const temporary_directory&) = delete;

    ~temporary_directory()
    {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }

    const std::filesystem::path& path() const noexcept { return path_; }

private:
    std::filesystem::path path_;
};

ts::reply with_header(ts::reply r, std::string name, std::string value)
{
    r.headers.emplace_back(std::move(name), std::move(value));
    return r;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(retry_and_auth)

BOOST_AUTO_TEST_CASE(baseclient_retry_succeeds_third_attempt)
{
    ts::http_server server;
    server.route("GET", "/flaky",
                 ts::replies_in_order({ts::json_reply(503, R"({"error":"busy"})"), ts::json_reply(503, R"({"error":"busy"})"),
                                       ts::json_reply(200, R"({"ok":true})")}));
    cc::base_client api({.base_url = server.url()});
    std::optional<cc::response> res;

    double seconds = seconds_taken([&] {
        res = api.http_request("GET", "/flaky", {.retries = 3, .status_list_to_retry = {503}, .backoff_factor = 0.05});
    });

    BOOST_TEST(res->json()["ok"].get_bool().value());
    BOOST_TEST(server.requests_handled() == 3u);
    BOOST_TEST(seconds < max_seconds);
}

BOOST_AUTO_TEST_CASE(baseclient_retries_exhausted_raise_status)
{
    ts::http_server server;
    server.route("GET", "/down", ts::json_reply(503, R"({"error":"busy"})"));
    cc::base_client api({.base_url = server.url()});

    auto e = catch_error<cc::error>([&] {
        api.http_request("GET", "/down", {.retries = 2, .status_list_to_retry = {503}, .backoff_factor = 0.05});
    });

    BOOST_TEST_REQUIRE(e.has_value());
    BOOST_TEST(e->code() == cc::errc::http_status);
    BOOST_TEST(contains(e->what(), "Error in API call [503] - Service Unavailable"), "message: " << e->what());
    BOOST_TEST(server.requests_handled() == 3u);
}

BOOST_AUTO_TEST_CASE(exponential_retry_backs_off_then_succeeds)
{
    ts::http_server server;
    server.route("GET", "/flaky",
                 ts::replies_in_order({ts::json_reply(503, "{}"), ts::json_reply(503, "{}"),
                                       ts::json_reply(200, R"({"ok":true})")}));
    cc::client api({.base_url = server.url()}, cc::any_auth(),
                   cc::exponential_retry({.max_attempts = 4, .initial_delay = 50ms}));
    std::optional<cc::response> res;

    double seconds = seconds_taken([&] { res = api.http_request("GET", "/flaky"); });

    BOOST_TEST(res->json()["ok"].get_bool().value());
    BOOST_TEST(server.requests_handled() == 3u);
    // The delays are 50 ms and 100 ms, each at least 80 % of itself after jitter.
    BOOST_TEST(seconds >= 0.119);
    BOOST_TEST(seconds < max_seconds);
}

BOOST_AUTO_TEST_CASE(exponential_retry_waits_retry_after)
{
    ts::http_server server;
    server.route("GET", "/busy",
                 ts::replies_in_order({with_header(ts::json_reply(503, "{}"), "Retry-After", "0.2"),
                                       ts::json_reply(200, R"({"ok":true})")}));
    cc::client api({.base_url = server.url()}, cc::any_auth(),
                   cc::exponential_retry({.max_attempts = 3, .initial_delay = 50ms}));
    std::optional<cc::response> res;

    double seconds = seconds_taken([&] { res = api.http_request("GET", "/busy"); });

    BOOST_TEST(res->json()["ok"].get_bool().value());
    BOOST_TEST(server.requests_handled() == 2u);
    BOOST_TEST(seconds >= 0.199);
    BOOST_TEST(seconds < max_seconds);
}

BOOST_AUTO_TEST_CASE(too_many_requests_retried_after_wait)
{
    ts::http_server server;
    server.route("GET", "/limited",
                 ts::replies_in_order({with_header(ts::json_reply(429, R"({"error":"slow down"})"), "Retry-After", "0.3"),
                                       ts::json_reply(200, R"({"ok":true})")}));
    cc::client api({.base_url = server.url()}, cc::any_auth(),
                   cc::exponential_retry({.max_attempts = 3, .initial_delay = 50ms}));
    std::optional<cc::response> res;

    double seconds = seconds_taken([&] { res = api.http_request("GET", "/limited"); });

    BOOST_TEST(res->json()["ok"].get_bool().value());
    BOOST_TEST(server.requests_handled() == 2u);
    BOOST_TEST(seconds >= 0.299);
    BOOST_TEST(seconds < max_seconds);
}

BOOST_AUTO_TEST_CASE(circuit_breaker_stops_reaching_server)
{
    ts::http_server server;
    server.route("GET", "/broken", ts::json_reply(500, R"({"error":"internal"})"));
    cc::client api({.base_url = server.url()}, cc::any_auth(), cc::exponential_retry({.max_attempts = 1}),
                   cc::token_bucket(), cc::circuit_breaker({.failure_threshold = 3, .recovery_timeout = 60s}));

    int status_errors = 0;
    for (int i = 0; i < 3; ++i) {
        auto e = catch_error<cc::error>([&] { api.http_request("GET", "/broken"); });
        if (e && e->code() == cc::errc::http_status)
            ++status_errors;
    }
    auto rejected = catch_error<cc::circuit_open_error>([&] { api.http_request("GET", "/broken"); });
    auto rejected_again = catch_error<cc::circuit_open_error>([&] { api.http_request("GET", "/broken"); });

    BOOST_TEST(status_errors == 3);
    BOOST_TEST_REQUIRE(rejected.has_value());
    BOOST_TEST(rejected->code() == cc::errc::circuit_open);
    BOOST_TEST_REQUIRE(rejected->retry_in().has_value());
    BOOST_TEST(rejected->retry_in()->count() > 0.0);
    BOOST_TEST(rejected_again.has_value());
    BOOST_TEST(server.requests_handled() == 3u);
}

BOOST_AUTO_TEST_CASE(oauth2_token_request_form_sent)
{
    token_server tokens;
    ts::http_server api_server;
    route_items_for_token(api_server, "token-1");
    cc::client api({.base_url = api_server.url()}, cc::oauth2_client_credentials(tokens.settings()));

    api.http_request("GET", "/items");

    auto token_requests = tokens.server().requests();
    BOOST_TEST_REQUIRE(token_requests.size() == 1u);
    auto fields = form_fields(token_requests[0].body);
    BOOST_TEST(token_requests[0].method == "POST");
    BOOST_TEST(token_requests[0].header("Content-Type").value_or("") == "application/x-www-form-urlencoded");
    BOOST_TEST(fields["grant_type"] == "client_credentials");
    BOOST_TEST(fields["client_id"] == client_id);
    BOOST_TEST(fields["client_secret"] == client_secret);
}

BOOST_AUTO_TEST_CASE(oauth2_token_reused_across_calls)
{
    token_server tokens;
    ts::http_server api_server;
    route_items_for_token(api_server, "token-1");
    cc::client api({.base_url = api_server.url()}, cc::oauth2_client_credentials(tokens.settings()));

    int succeeded = 0;
    for (int i = 0; i < 4; ++i) {
        if (api.http_request("GET", "/items").json()["ok"].get_bool().value())
            ++succeeded;
    }

    BOOST_TEST(succeeded == 4);
    BOOST_TEST(tokens.server().requests_handled() == 1u);
    BOOST_TEST(api_server.requests_handled() == 4u);
    for (const auto& received : api_server.requests())
        BOOST_TEST(received.header("Authorization").value_or("") == "Bearer token-1");
}

BOOST_AUTO_TEST_CASE(oauth2_unauthorized_refreshes_once)
{
    token_server tokens;
    ts::http_server api_server;
    // The API rejects the first token, as after a revocation, and accepts the second.
    route_items_for_token(api_server, "token-2");
    cc::client api({.base_url = api_server.url()}, cc::oauth2_client_credentials(tokens.settings()));

    auto res = api.http_request("GET", "/items");

    BOOST_TEST(res.json()["ok"].get_bool().value());
    BOOST_TEST(tokens.server().requests_handled() == 2u);
    auto api_requests = api_server.requests();
    BOOST_TEST_REQUIRE(api_requests.size() == 2u);
    BOOST_TEST(api_requests[0].header("Authorization").value_or("") == "Bearer token-1");
    BOOST_TEST(api_requests[1].header("Authorization").value_or("") == "Bearer token-2");
}

BOOST_AUTO_TEST_CASE(oauth2_persistent_unauthorized_refreshes_once)
{
    token_server tokens;
    ts::http_server api_server;
    route_items_for_token(api_server, "a-token-never-issued");
    cc::client api({.base_url = api_server.url()}, cc::oauth2_client_credentials(tokens.settings()));

    auto e = catch_error<cc::authentication_error>([&] { api.http_request("GET", "/items"); });

    BOOST_TEST_REQUIRE(e.has_value());
    BOOST_TEST(contains(e->what(), "Error in API call [401]"), "message: " << e->what());
    BOOST_TEST(tokens.server().requests_handled() == 2u);
    BOOST_TEST(api_server.requests_handled() == 2u);
}

BOOST_AUTO_TEST_CASE(oauth2_token_error_hides_secret)
{
    ts::http_server token_endpoint;
    // The endpoint echoes the form it received, client_secret included.
    token_endpoint.route("POST", "/oauth/token", [](const ts::received_request& req) {
        return ts::text_reply(400, "invalid_grant for request: " + req.body);
    });
    ts::http_server api_server;
    route_items_for_token(api_server, "token-1");
    cc::client api({.base_url = api_server.url()},
                   cc::oauth2_client_credentials({.token_url = token_endpoint.url("/oauth/token"),
                                                  .client_id = std::string(client_id),
                                                  .client_secret = std::string(client_secret)}));

    auto e = catch_error<cc::authentication_error>([&] { api.http_request("GET", "/items"); });

    BOOST_TEST_REQUIRE(e.has_value());
    BOOST_TEST(e->code() == cc::errc::authentication_failed);
    BOOST_TEST(contains(e->what(), "400"), "message: " << e->what());
    BOOST_TEST(contains(e->what(), "invalid_grant"), "message: " << e->what());
    BOOST_TEST(!contains(e->what(), client_secret), "message: " << e->what());
    BOOST_TEST(token_endpoint.requests_handled() == 1u);
    BOOST_TEST(api_server.requests_handled() == 0u);
}

BOOST_AUTO_TEST_CASE(oauth2_sixteen_threads_one_token)
{
    constexpr int thread_count = 16;
    // The token arrives late, so every thread asks for credentials while the first request is in flight.
    token_server tokens(200ms);
    ts::http_server api_server;
    route_items_for_token(api_server, "token-1");
    cc::client api({.base_url = api_server.url()}, cc::oauth2_client_credentials(tokens.settings()));
    std::latch start(thread_count);
    std::atomic<int> succeeded{0};
    std::mutex failures_mutex;
    std::vector<std::string> failures;

    std::vector<std::thread> threads;
    for (int t = 0; t < thread_count; ++t) {
        threads.emplace_back([&] {
            start.arrive_and_wait();
            try {
                if (api.http_request("GET", "/items").json()["ok"].get_bool().value())
                    ++succeeded;
            } catch (const std::exception& e) {
                std::lock_guard lock(failures_mutex);
                failures.push_back(e.what());
            }
        });
    }
    for (auto& thread : threads)
        thread.join();

    BOOST_TEST(succeeded.load() == thread_count);
    BOOST_TEST(failures.empty());
    if (!failures.empty())
        BOOST_TEST_MESSAGE("first failure: " << failures.front());
    BOOST_TEST(tokens.server().requests_handled() == 1u);
    BOOST_TEST(api_server.requests_handled() == static_cast<std::size_t>(thread_count));
}

BOOST_AUTO_TEST_CASE(api_key_query_param_received)
{
    ts::http_server server;
    server.route("GET", "/items", ts::json_reply(200, "{}"));
    cc::basic_content_client<cc::beast_transport, cc::api_key_auth> api(
        {.base_url = server.url()}, cc::api_key_auth("k3y-value", std::nullopt, "api_key"));

    api.http_request("GET", "/items", {.params = {{"limit", "5"}}});

    auto received = server.requests().at(0);
    BOOST_TEST(received.query == "limit=5&api_key=k3y-value");
    BOOST_TEST(!received.header("api_key").has_value());
}

BOOST_AUTO_TEST_CASE(api_key_header_received)
{
    ts::http_server server;
    server.route("GET", "/items", ts::json_reply(200, "{}"));
    cc::client api({.base_url = server.url()}, cc::api_key_auth("k3y-value", "X-Api-Key"));

    api.http_request("GET", "/items");

    auto received = server.requests().at(0);
    BOOST_TEST(received.header("X-Api-Key").value_or("") == "k3y-value");
    BOOST_TEST(received.query.empty());
}

BOOST_AUTO_TEST_CASE(file_store_token_survives_client)
{
    temporary_directory directory("content_client_integration");
    const auto state_file = directory.path() / "state.json";
    token_server tokens;
    ts::http_server api_server;
    route_items_for_token(api_server, "token-1");

    {
        cc::client first({.base_url = api_server.url()},
                         cc::oauth2_client_credentials(tokens.settings(), cc::file_store(state_file)));
        first.http_request("GET", "/items");
    }
    // A new client with its own transport and store object, as a later run of the integration would have.
    cc::client second({.base_url = api_server.url()},
                      cc::oauth2_client_credentials(tokens.settings(), cc::file_store(state_file)));
    auto res = second.http_request("GET", "/items");

    BOOST_TEST(res.json()["ok"].get_bool().value());
    BOOST_TEST(tokens.server().requests_handled() == 1u);
    BOOST_TEST(api_server.requests_handled() == 2u);
    BOOST_TEST(api_server.requests().at(1).header("Authorization").value_or("") == "Bearer token-1");
    BOOST_TEST(std::filesystem::exists(state_file));
}

BOOST_AUTO_TEST_SUITE_END()
