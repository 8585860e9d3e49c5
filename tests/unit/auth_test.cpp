// Authentication handlers: API key, bearer, Basic, OAuth2 client credentials, any_auth.
#include <content_client/auth/any_auth.hpp>
#include <content_client/auth/api_key_auth.hpp>
#include <content_client/auth/basic_auth.hpp>
#include <content_client/auth/bearer_token_auth.hpp>
#include <content_client/auth/oauth2_client_credentials.hpp>
#include <content_client/basic_content_client.hpp>
#include <content_client/testing/mock_transport.hpp>

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <map>
#include <string>
#include <thread>
#include <vector>

namespace cc = content_client;
using cc::testing::mock_transport;
using namespace std::chrono_literals;

namespace {

using auth_client = cc::basic_content_client<mock_transport, cc::any_auth>;

const std::string token_url = "http://auth.test/oauth/token";
const std::string secret = "s3cr3t-Value-42";

cc::oauth2_client_credentials make_oauth(cc::name_value_list params = {})
{
    return cc::oauth2_client_credentials(token_url, "client-1", secret, "read write", "api://x", std::move(params));
}

std::string configuration_message(auto make)
{
    try {
        make();
    } catch (const cc::configuration_error& e) {
        return e.what();
    }
    return "no configuration_error";
}

template <class Request>
bool is_token_request(const Request& req)
{
    return req.url == token_url;
}

// A store with the load/save surface, kept in memory for the test.
struct map_store {
    std::shared_ptr<std::map<std::string, boost::json::value>> values = std::make_shared<std::map<std::string, boost::json::value>>();

    std::optional<boost::json::value> load(std::string_view key) const
    {
        auto it = values->find(std::string(key));
        if (it == values->end())
            return std::nullopt;
        return it->second;
    }
    void save(std::string_view key, const boost::json::value& value) { (*values)[std::string(key)] = value; }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(simple_auth_handlers)

BOOST_AUTO_TEST_CASE(api_key_sets_header_and_param)
{
    mock_transport mock;
    auth_client api(mock, {.base_url = "http://api.test"}, cc::api_key_auth("k&y 1", "X-API-Key", "api_key"));
    mock.push(200, "{}");

    api.http_request("GET", "/items", {.params = {{"api_key", "user"}}});

    auto req = mock.requests().at(0);
    BOOST_TEST(req.headers.find("X-API-Key").value() == "k&y 1");
    BOOST_TEST(req.url == "http://api.test/items?api_key=user&api_key=k%26y+1");
}

BOOST_AUTO_TEST_CASE(api_key_validation_messages)
{
    BOOST_TEST(configuration_message([] { cc::api_key_auth a("", "X-Key"); }) ==
               "api_key_auth requires a non-empty key");
    BOOST_TEST(configuration_message([] { cc::api_key_auth a("key", std::nullopt, std::nullopt); }) ==
               "api_key_auth requires header_name or query_param");
    auto injected = configuration_message([] { cc::api_key_auth a("key\r\nX-Evil: 1", "X-Key"); });
    BOOST_TEST(injected.find("CR, LF or NUL") != std::string::npos);
    BOOST_TEST(injected.find("X-Evil") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(bearer_sets_authorization)
{
    mock_transport mock;
    auth_client api(mock, {.base_url = "http://api.test"}, cc::bearer_token_auth("tok"));
    mock.push(200, "{}");

    api.http_request("GET", "/x", {.headers = {{"Authorization", "Basic old"}}});

    BOOST_TEST(mock.requests().at(0).headers.find("Authorization").value() == "Bearer tok");
    BOOST_TEST(configuration_message([] { cc::bearer_token_auth b(""); }) ==
               "bearer_token_auth requires a non-empty token");
}

BOOST_AUTO_TEST_CASE(basic_encodes_utf8_credentials)
{
    mock_transport mock;
    auth_client api(mock, {.base_url = "http://api.test"}, cc::basic_auth("ümlaut", "pa:ss"));
    mock.push(200, "{}");

    api.http_request("GET", "/x");

    BOOST_TEST(mock.requests().at(0).headers.find("Authorization").value() == "Basic w7xtbGF1dDpwYTpzcw==");
    BOOST_TEST(configuration_message([] { cc::basic_auth b("", "p"); }) == "basic_auth requires a non-empty username");
}

BOOST_AUTO_TEST_CASE(empty_any_auth_adds_nothing)
{
    mock_transport mock;
    auth_client api(mock, {.base_url = "http://api.test"});
    mock.push(200, "{}");

    api.http_request("GET", "/x");

    BOOST_TEST(!mock.requests().at(0).headers.contains("Authorization"));
}

BOOST_AUTO_TEST_CASE(custom_handler_in_any_auth)
{
    struct signing_auth {
        void apply(cc::request& req) const { req.headers.set("X-Signature", "sig:" + req.method); }
    };
    mock_transport mock;
    auth_client api(mock, {.base_url = "http://api.test"}, signing_auth{});
    mock.push(401);

    // A handler without the 401 hook gets no second attempt.
    BOOST_CHECK_THROW(api.http_request("DELETE", "/x"), cc::authentication_error);
    BOOST_TEST(mock.request_count() == 1u);
    BOOST_TEST(mock.requests().at(0).headers.find("X-Signature").value() == "sig:DELETE");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(oauth2_client_credentials_flow)

BOOST_AUTO_TEST_CASE(token_request_form_fields)
{
    mock_transport mock;
    auth_client api(mock, {.base_url = "http://api.test"}, make_oauth({{"scope", "override"}, {"resource", "r"}}));
    mock.push(200, R"({"access_token":"T1","expires_in":3600})");
    mock.push(200, "{}");

    api.http_request("GET", "/x");

    auto token_req = mock.requests().at(0);
    BOOST_TEST(token_req.method == "POST");
    BOOST_TEST(token_req.url == token_url);
    BOOST_TEST(token_req.headers.find("Content-Type").value() == "application/x-www-form-urlencoded");
    BOOST_TEST(token_req.body == "grant_type=client_credentials&client_id=client-1&client_secret=" + secret +
                                     "&scope=override&audience=api%3A%2F%2Fx&resource=r");
    BOOST_TEST(mock.requests().at(1).headers.find("Authorization").value() == "Bearer T1");
}

BOOST_AUTO_TEST_CASE(token_reused_until_refresh_margin)
{
    mock_transport mock;
    auth_client api(mock, {.base_url = "http://api.test"}, make_oauth());
    mock.on_request([n = 0](const cc::request& req) mutable {
        cc::testing::mock_reply reply;
        reply.body = is_token_request(req) ? R"({"access_token":"T)" + std::to_string(++n) + R"(","expires_in":"120"})"
                                           : "{}";
        return reply;
    });

    api.http_request("GET", "/a");
    mock.advance(59s);
    api.http_request("GET", "/b");
    mock.advance(1s);
    api.http_request("GET", "/c");

    auto reqs = mock.requests();
    BOOST_TEST(reqs.size() == 5u);
    BOOST_TEST(reqs.at(2).headers.find("Authorization").value() == "Bearer T1");
    BOOST_TEST(is_token_request(reqs.at(3)));
    BOOST_TEST(reqs.at(4).headers.find("Authorization").value() == "Bearer T2");
}

BOOST_AUTO_TEST_CASE(expires_in_missing_means_hour)
{
    mock_transport mock;
    auth_client api(mock, {.base_url = "http://api.test"}, make_oauth());
    mock.push(200, R"({"access_token":"T1","expires_in":"soon"})");
    mock.push(200, "{}");
    mock.push(200, "{}");

    api.http_request("GET", "/a");
    mock.advance(3539s);
    api.http_request("GET", "/b");

    BOOST_TEST(mock.request_count() == 3u);
}

BOOST_AUTO_TEST_CASE(expires_in_zero_serves_one_call)
{
    mock_transport mock;
    auth_client api(mock, {.base_url = "http://api.test"}, make_oauth());
    mock.push(200, R"({"access_token":"T1","expires_in":0})");
    mock.push(200, "{}");
    mock.push(200, R"({"access_token":"T2","expires_in":0})");
    mock.push(200, "{}");

    api.http_request("GET", "/a");
    api.http_request("GET", "/b");

    BOOST_TEST(mock.requests().at(3).headers.find("Authorization").value() == "Bearer T2");
}

BOOST_AUTO_TEST_CASE(unauthorized_forces_one_refresh)
{
    mock_transport mock;
    auth_client api(mock, {.base_url = "http://api.test"}, make_oauth());
    mock.push(200, R"({"access_token":"T1"})");
    mock.push(401);
    mock.push(200, R"({"access_token":"T2"})");
    mock.push(200, "{}");

    auto res = api.http_request("GET", "/x");

    BOOST_TEST(res.status() == 200);
    BOOST_TEST(mock.request_count() == 4u);
    BOOST_TEST(mock.requests().at(3).headers.find("Authorization").value() == "Bearer T2");
}

BOOST_AUTO_TEST_CASE(second_unauthorized_raises_no_loop)
{
    mock_transport mock;
    auth_client api(mock, {.base_url = "http://api.test"}, make_oauth());
    mock.push(200, R"({"access_token":"T1"})");
    mock.push(401);
    mock.push(200, R"({"access_token":"T2"})");
    mock.push(401, R"({"error":"bad token"})");

    try {
        api.http_request("GET", "/x");
        BOOST_FAIL("no error raised");
    } catch (const cc::authentication_error& e) {
        BOOST_TEST(e.response()->status() == 401);
        BOOST_TEST(e.attempts() == 2);
    }
    BOOST_TEST(mock.request_count() == 4u);
}

BOOST_AUTO_TEST_CASE(token_endpoint_failures_hide_secret)
{
    struct failure_case {
        cc::testing::mock_reply reply;
        std::string expected_start;
    };
    std::vector<failure_case> cases;
    cases.push_back({{.status = 400, .body = R"({"error":"invalid_client","echo":")" + secret + "\"}"},
                     "Token refresh failed with status 400: "});
    cases.push_back({{.status = 200, .body = R"({"token_type":"bearer"})"},
                     "Failed to refresh token: No access_token in response"});
    cases.push_back({{.status = 200, .body = "not json " + secret}, "Failed to refresh token: "});
    cases.push_back({{.failure = cc::testing::network_failure::read_timeout}, "Token refresh timed out: "});
    cases.push_back({{.failure = cc::testing::network_failure::connect_error}, "Failed to refresh token: "});

    for (const auto& c : cases) {
        mock_transport mock;
        auth_client api(mock, {.base_url = "http://api.test"}, make_oauth());
        mock.push(c.reply);

        try {
            api.http_request("GET", "/x");
            BOOST_FAIL("no error raised");
        } catch (const cc::authentication_error& e) {
            std::string message = e.what();
            BOOST_TEST(message.rfind(c.expected_start, 0) == 0, message);
            BOOST_TEST(message.find(secret) == std::string::npos, message);
        }
        BOOST_TEST(mock.request_count() == 1u);
    }
}

BOOST_AUTO_TEST_CASE(concurrent_callers_single_token_request)
{
    mock_transport mock;
    auth_client api(mock, {.base_url = "http://api.test"}, make_oauth());
    std::atomic<int> token_requests{0};
    mock.on_request([&](const cc::request& req) {
        cc::testing::mock_reply reply;
        reply.body = "{}";
        if (is_token_request(req)) {
            ++token_requests;
            // Hold the refresh open so that every other caller queues behind it.
            std::this_thread::sleep_for(50ms);
            reply.body = R"({"access_token":"shared"})";
        }
        return reply;
    });

    std::vector<std::thread> callers;
    for (int i = 0; i < 32; ++i)
        callers.emplace_back([&] { api.http_request("GET", "/x"); });
    for (auto& t : callers)
        t.join();

    BOOST_TEST(token_requests.load() == 1);
    BOOST_TEST(mock.request_count() == 33u);
}

BOOST_AUTO_TEST_CASE(stored_token_reused_by_next_process)
{
    map_store store;
    mock_transport first;
    auth_client api1(first, {.base_url = "http://api.test"}, cc::oauth2_client_credentials({
        .token_url = token_url, .client_id = "client-1", .client_secret = secret}, store));
    first.push(200, R"({"access_token":"T1","expires_in":600})");
    first.push(200, "{}");
    api1.http_request("GET", "/a");

    mock_transport second;
    auth_client api2(second, {.base_url = "http://api.test"}, cc::oauth2_client_credentials({
        .token_url = token_url, .client_id = "client-1", .client_secret = secret}, store));
    second.push(200, "{}");
    api2.http_request("GET", "/b");

    BOOST_TEST(second.request_count() == 1u);
    BOOST_TEST(second.requests().at(0).headers.find("Authorization").value() == "Bearer T1");
    auto stored = store.values->at("oauth2_token/client-1@" + token_url).as_object();
    BOOST_TEST(stored.at("expires_at").to_number<double>() ==
               std::chrono::duration<double>(mock_transport::system_start().time_since_epoch()).count() + 600);
}

BOOST_AUTO_TEST_CASE(expired_stored_token_refetched)
{
    map_store store;
    boost::json::object stale;
    stale["access_token"] = "OLD";
    stale["expires_at"] =
        std::chrono::duration<double>(mock_transport::system_start().time_since_epoch()).count() + 30;
    store.save("oauth2_token/client-1@" + token_url, stale);

    mock_transport mock;
    auth_client api(mock, {.base_url = "http://api.test"}, cc::oauth2_client_credentials({
        .token_url = token_url, .client_id = "client-1", .client_secret = secret}, store));
    mock.push(200, R"({"access_token":"NEW"})");
    mock.push(200, "{}");

    api.http_request("GET", "/x");

    BOOST_TEST(mock.requests().at(1).headers.find("Authorization").value() == "Bearer NEW");
}

BOOST_AUTO_TEST_CASE(oauth_validation_messages)
{
    BOOST_TEST(configuration_message([] { cc::oauth2_client_credentials o("", "id", "s"); }) ==
               "oauth2_client_credentials requires a non-empty token_url");
    BOOST_TEST(configuration_message([] { cc::oauth2_client_credentials o("http://a.test/t", "", "s"); }) ==
               "oauth2_client_credentials requires a non-empty client_id");
    BOOST_TEST(configuration_message([] { cc::oauth2_client_credentials o("http://a.test/t", "id", ""); }) ==
               "oauth2_client_credentials requires a non-empty client_secret");
}

BOOST_AUTO_TEST_CASE(short_token_reused_half_lifetime)
{
    mock_transport mock;
    auth_client api(mock, {.base_url = "http://api.test"}, make_oauth());
    mock.on_request([n = 0](const cc::request& req) mutable {
        cc::testing::mock_reply reply;
        reply.body = is_token_request(req) ? R"({"access_token":"T)" + std::to_string(++n) + R"(","expires_in":60})"
                                           : "{}";
        return reply;
    });

    // The lifetime (60 s) is not longer than the margin (60 s), so the
    // token is refreshed halfway instead of on every call.
    api.http_request("GET", "/a");
    mock.advance(29s);
    api.http_request("GET", "/b");
    mock.advance(1s);
    api.http_request("GET", "/c");

    auto reqs = mock.requests();
    BOOST_TEST_REQUIRE(reqs.size() == 5u);
    BOOST_TEST(reqs.at(2).headers.find("Authorization").value() == "Bearer T1");
    BOOST_TEST(is_token_request(reqs.at(3)));
    BOOST_TEST(reqs.at(4).headers.find("Authorization").value() == "Bearer T2");
}

BOOST_AUTO_TEST_CASE(stored_short_token_reused)
{
    map_store store;
    const cc::oauth2_settings settings{.token_url = token_url, .client_id = "client-1", .client_secret = secret};
    mock_transport first;
    auth_client first_api(first, {.base_url = "http://api.test"}, cc::oauth2_client_credentials(settings, store));
    first.push(200, R"({"access_token":"T1","expires_in":60})");
    first.push(200, "{}");
    first_api.http_request("GET", "/a");

    // A later process, 20 s into the token's 60 s lifetime: before its refresh time at 30 s.
    mock_transport second;
    second.advance(20s);
    auth_client second_api(second, {.base_url = "http://api.test"}, cc::oauth2_client_credentials(settings, store));
    second.push(200, "{}");
    second_api.http_request("GET", "/b");

    BOOST_TEST_REQUIRE(second.requests().size() == 1u);
    BOOST_TEST(second.requests().at(0).headers.find("Authorization").value() == "Bearer T1");
}

BOOST_AUTO_TEST_CASE(stored_token_kept_per_scope)
{
    map_store store;
    mock_transport mock;
    auth_client read_api(mock, {.base_url = "http://api.test"},
                         cc::oauth2_client_credentials({.token_url = token_url, .client_id = "client-1",
                                                        .client_secret = secret, .scope = "alerts.read"},
                                                       store));
    auth_client write_api(mock, {.base_url = "http://api.test"},
                          cc::oauth2_client_credentials({.token_url = token_url, .client_id = "client-1",
                                                         .client_secret = secret, .scope = "alerts.write"},
                                                        store));
    mock.push(200, R"({"access_token":"READ"})");
    mock.push(200, "{}");
    mock.push(200, R"({"access_token":"WRITE"})");
    mock.push(200, "{}");

    read_api.http_request("GET", "/a");
    write_api.http_request("GET", "/b");

    auto reqs = mock.requests();
    BOOST_TEST_REQUIRE(reqs.size() == 4u);
    BOOST_TEST(is_token_request(reqs.at(2)));
    BOOST_TEST(reqs.at(3).headers.find("Authorization").value() == "Bearer WRITE");
    BOOST_TEST(store.values->count("oauth2_token/client-1@" + token_url + " scope=alerts.read") == 1u);
    BOOST_TEST(store.values->count("oauth2_token/client-1@" + token_url + " scope=alerts.write") == 1u);
}

BOOST_AUTO_TEST_CASE(unauthorized_attempt_reaches_metrics)
{
    struct attempt_counter {
        std::shared_ptr<std::vector<int>> statuses = std::make_shared<std::vector<int>>();
        void on_attempt(const cc::attempt_record& record) { statuses->push_back(record.status.value_or(0)); }
        void on_call(const cc::call_record&) {}
    };
    attempt_counter counter;
    mock_transport mock;
    cc::basic_content_client<mock_transport, cc::any_auth, cc::no_retry, cc::no_rate_limit, cc::no_circuit_breaker,
                             attempt_counter>
        api(mock, {.base_url = "http://api.test"}, make_oauth(), {}, {}, {}, counter);
    mock.push(200, R"({"access_token":"T1"})");
    mock.push(401);
    mock.push(200, R"({"access_token":"T2"})");
    mock.push(200, "{}");

    api.http_request("GET", "/a");

    const std::vector<int> expected{401, 200};
    BOOST_TEST(*counter.statuses == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
