// Proxies with the real beast_transport: http requests in absolute form,
// https through a CONNECT tunnel, Proxy-Authorization from the proxy URL,
// NO_PROXY, client_options::proxy = false, and proxy failures. The proxy
// settings come from environment variables set around the construction of
// each client.
#include "integration/integration_support.hpp"
#include "integration/transport_calls.hpp"
#include "support/proxy_server.hpp"
#include "support/test_certificates.hpp"
#include "support/test_server.hpp"
#include "support/tls_server.hpp"

#include <content_client/content_client.hpp>
#include <content_client/transport/detail/proxy.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/test/unit_test.hpp>

#include <optional>
#include <string>
#include <vector>

namespace cc = content_client;
namespace ts = content_client::test_support;
using cc::integration::catch_error;
using cc::integration::contains;
using cc::integration::scoped_environment;

namespace {

const std::string proxy_error = "Proxy Error - ";

/// Sets every proxy variable: the upper-case names to the given values and
/// the lower-case names to nothing, unless `lower_http` is given.
std::vector<std::pair<std::string, const char*>> proxy_variables(const std::string* http, const std::string* https,
                                                                 const char* no_proxy,
                                                                 const std::string* lower_http = nullptr)
{
    return {{"HTTP_PROXY", http ? http->c_str() : nullptr},
            {"http_proxy", lower_http ? lower_http->c_str() : nullptr},
            {"HTTPS_PROXY", https ? https->c_str() : nullptr},
            {"https_proxy", nullptr},
            {"NO_PROXY", no_proxy},
            {"no_proxy", nullptr}};
}

/// Creates a client with `options` while the proxy variables have the given values.
void make_client(std::optional<cc::base_client>& api, const cc::client_options& options,
                 std::vector<std::pair<std::string, const char*>> variables)
{
    scoped_environment environment(std::move(variables));
    api.emplace(options);
}

/// Returns a port on 127.0.0.1 on which nothing listens, most likely.
unsigned short unused_port()
{
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::address_v4::loopback(), 0});
    return acceptor.local_endpoint().port();
}

const ts::test_certificates& certificates()
{
    static const ts::test_certificates certs;
    return certs;
}

cc::detail::url_parts parts(const std::string& url)
{
    cc::detail::url_parts result;
    std::string error;
    if (!cc::detail::parse_url_parts(url, result, error))
        throw std::runtime_error(error);
    return result;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(proxy)

BOOST_AUTO_TEST_CASE(http_request_in_absolute_form)
{
    ts::http_server server;
    server.route("GET", "/items", ts::json_reply(200, R"({"items":[]})"));
    ts::proxy_server proxy;
    const std::string proxy_url = proxy.url();
    std::optional<cc::base_client> api;
    make_client(api, {.base_url = server.url(), .proxy = true}, proxy_variables(&proxy_url, nullptr, nullptr));

    auto res = api->get("/items", {.params = {{"q", "1"}}});

    BOOST_TEST(res.status() == 200);
    BOOST_TEST(proxy.forwarded_requests() == 1u);
    BOOST_TEST(proxy.connect_requests() == 0u);
    BOOST_TEST_REQUIRE(proxy.targets().size() == 1u);
    BOOST_TEST(proxy.targets()[0] == server.url("/items?q=1"));
    BOOST_TEST_REQUIRE(server.requests().size() == 1u);
    BOOST_TEST(server.requests()[0].target == "/items?q=1");
}

BOOST_AUTO_TEST_CASE(proxy_credentials_sent_decoded)
{
    ts::http_server server;
    server.route("GET", "/items", ts::json_reply(200, "{}"));
    // base64 of "us@er:p:ss", the percent-decoded user and password of the proxy URL.
    ts::proxy_server proxy("Basic dXNAZXI6cDpzcw==");
    const std::string proxy_url = proxy.url("us%40er:p%3Ass");
    std::optional<cc::base_client> api;
    make_client(api, {.base_url = server.url(), .proxy = true}, proxy_variables(&proxy_url, nullptr, nullptr));

    auto res = api->get("/items");

    BOOST_TEST(res.status() == 200);
    BOOST_TEST_REQUIRE(server.requests().size() == 1u);
    BOOST_TEST(!server.requests()[0].header("Proxy-Authorization").has_value());
}

BOOST_AUTO_TEST_CASE(https_through_connect_tunnel)
{
    ts::tls_server server({.identity = certificates().server()});
    ts::proxy_server proxy;
    const std::string proxy_url = proxy.url();
    std::optional<cc::base_client> api;
    make_client(api, {.base_url = server.url(), .proxy = true, .ca_file = certificates().ca_file()},
                proxy_variables(nullptr, &proxy_url, nullptr));

    auto first = api->get("/a");
    auto second = api->get("/b");

    BOOST_TEST(first.status() == 200);
    BOOST_TEST(second.status() == 200);
    BOOST_TEST(proxy.connect_requests() == 1u);
    BOOST_TEST_REQUIRE(proxy.targets().size() == 1u);
    BOOST_TEST(proxy.targets()[0] == "127.0.0.1:" + std::to_string(server.port()));
    BOOST_TEST(server.requests_received() == 2u);
}

BOOST_AUTO_TEST_CASE(https_tunnel_still_verifies_origin)
{
    ts::tls_server server({.identity = certificates().other_host()});
    ts::proxy_server proxy;
    const std::string proxy_url = proxy.url();
    std::optional<cc::base_client> api;
    make_client(api, {.base_url = server.url(), .proxy = true, .ca_file = certificates().ca_file()},
                proxy_variables(nullptr, &proxy_url, nullptr));

    auto e = catch_error<cc::error>([&] { api->get("/a"); });

    BOOST_TEST_REQUIRE(e.has_value());
    BOOST_TEST((e->code() == cc::errc::tls_failed), "code: " << e->code().message());
    BOOST_TEST(proxy.connect_requests() == 1u);
}

BOOST_AUTO_TEST_CASE(no_proxy_bypasses_proxy)
{
    ts::http_server server;
    server.route("GET", "/items", ts::json_reply(200, "{}"));
    ts::proxy_server proxy;
    const std::string proxy_url = proxy.url();
    std::optional<cc::base_client> api;
    make_client(api, {.base_url = server.url(), .proxy = true},
                proxy_variables(&proxy_url, &proxy_url, "example.com, 127.0.0.1"));

    auto res = api->get("/items");

    BOOST_TEST(res.status() == 200);
    BOOST_TEST(proxy.forwarded_requests() == 0u);
    BOOST_TEST(server.requests().size() == 1u);
}

BOOST_AUTO_TEST_CASE(proxy_false_ignores_environment)
{
    ts::http_server server;
    server.route("GET", "/items", ts::json_reply(200, "{}"));
    const std::string dead_proxy = "http://127.0.0.1:" + std::to_string(unused_port());
    std::optional<cc::base_client> api;
    make_client(api, {.base_url = server.url(), .proxy = false}, proxy_variables(&dead_proxy, &dead_proxy, nullptr));

    auto res = api->get("/items");

    BOOST_TEST(res.status() == 200);
}

BOOST_AUTO_TEST_CASE(lower_case_variable_preferred)
{
    ts::http_server server;
    server.route("GET", "/items", ts::json_reply(200, "{}"));
    ts::proxy_server proxy;
    const std::string proxy_url = proxy.url();
    const std::string dead_proxy = "http://127.0.0.1:" + std::to_string(unused_port());
    std::optional<cc::base_client> api;
    make_client(api, {.base_url = server.url(), .proxy = true},
                proxy_variables(&dead_proxy, nullptr, nullptr, &proxy_url));

    auto res = api->get("/items");

    BOOST_TEST(res.status() == 200);
    BOOST_TEST(proxy.forwarded_requests() == 1u);
}

BOOST_AUTO_TEST_CASE(refused_proxy_reports_proxy_error)
{
    const unsigned short port = unused_port();
    const std::string dead_proxy = "http://user:hunter2@127.0.0.1:" + std::to_string(port);
    std::optional<cc::base_client> api;
    make_client(api, {.base_url = "http://127.0.0.1:9/", .proxy = true},
                proxy_variables(&dead_proxy, nullptr, nullptr));

    auto e = catch_error<cc::error>([&] { api->get("/items"); });

    BOOST_TEST_REQUIRE(e.has_value());
    BOOST_TEST((e->code() == cc::errc::proxy_failed), "code: " << e->code().message());
    BOOST_TEST(std::string(e->what()).starts_with(proxy_error), e->what());
    BOOST_TEST(contains(e->what(), "127.0.0.1:" + std::to_string(port)), e->what());
    BOOST_TEST(!contains(e->what(), "hunter2"), e->what());
}

BOOST_AUTO_TEST_CASE(connect_rejected_reports_status)
{
    ts::tls_server server({.identity = certificates().server()});
    ts::proxy_server proxy;
    proxy.set_connect_status(403);
    const std::string proxy_url = proxy.url();
    std::optional<cc::base_client> api;
    make_client(api, {.base_url = server.url(), .proxy = true, .ca_file = certificates().ca_file()},
                proxy_variables(nullptr, &proxy_url, nullptr));

    auto e = catch_error<cc::error>([&] { api->get("/a"); });

    BOOST_TEST_REQUIRE(e.has_value());
    BOOST_TEST((e->code() == cc::errc::proxy_failed), "code: " << e->code().message());
    BOOST_TEST(std::string(e->what()).starts_with(proxy_error), e->what());
    BOOST_TEST(contains(e->what(), "403"), e->what());
    BOOST_TEST(contains(e->what(), "127.0.0.1:" + std::to_string(proxy.port())), e->what());
    BOOST_TEST(server.connections_accepted() == 0u);
}

BOOST_AUTO_TEST_CASE(connect_without_credentials_rejected)
{
    ts::tls_server server({.identity = certificates().server()});
    ts::proxy_server proxy("Basic dXNAZXI6cDpzcw==");
    const std::string proxy_url = proxy.url();
    std::optional<cc::base_client> api;
    make_client(api, {.base_url = server.url(), .proxy = true, .ca_file = certificates().ca_file()},
                proxy_variables(nullptr, &proxy_url, nullptr));

    auto e = catch_error<cc::error>([&] { api->get("/a"); });

    BOOST_TEST_REQUIRE(e.has_value());
    BOOST_TEST((e->code() == cc::errc::proxy_failed), "code: " << e->code().message());
    BOOST_TEST(contains(e->what(), "407"), e->what());
}

BOOST_AUTO_TEST_CASE(unsupported_proxy_scheme_rejected)
{
    const std::string socks = "socks5://127.0.0.1:1080";

    auto e = catch_error<cc::configuration_error>([&] {
        std::optional<cc::base_client> api;
        make_client(api, {.base_url = "http://127.0.0.1:9/", .proxy = true}, proxy_variables(&socks, nullptr, nullptr));
    });

    BOOST_TEST_REQUIRE(e.has_value());
    BOOST_TEST(contains(e->what(), "HTTP_PROXY"), e->what());
}

BOOST_AUTO_TEST_CASE(environment_restored_after_construction)
{
    const std::string proxy_url = "http://127.0.0.1:1";
    {
        const std::vector<std::pair<std::string, const char*>> outer_values{{"HTTP_PROXY", "http://127.0.0.1:2"}};
        scoped_environment outer(outer_values);
        std::optional<cc::base_client> api;
        make_client(api, {.base_url = "http://127.0.0.1:9/", .proxy = true},
                    proxy_variables(&proxy_url, nullptr, nullptr));
        BOOST_TEST(std::string(std::getenv("HTTP_PROXY")) == "http://127.0.0.1:2");
    }
}

BOOST_AUTO_TEST_CASE(no_proxy_matching_rules)
{
    struct no_proxy_case {
        const char* list;
        const char* url;
        bool bypass;
    };
    const no_proxy_case cases[] = {
        {"example.com", "http://example.com/", true},
        {"example.com", "http://api.example.com/", true},
        {"example.com", "http://badexample.com/", false},
        {".example.com", "http://api.example.com/", true},
        {".example.com", "http://example.com/", true},
        {"EXAMPLE.com", "http://Api.Example.COM/", true},
        {"*", "http://anything.test/", true},
        {"a.test, *", "http://b.test/", true},
        {" a.test ,b.test ", "http://b.test/", true},
        {"10.0.0.1", "http://10.0.0.1:8080/", true},
        {"10.0.0.1", "http://10.0.0.2/", false},
        {"10.0.0.0/8", "http://10.20.30.40/", true},
        {"10.0.0.0/8", "http://11.0.0.1/", false},
        {"::1", "http://[::1]:8080/", true},
        {"[::1]:8080", "http://[::1]:8080/", true},
        {"[::1]:8080", "http://[::1]:9090/", false},
        {"fd00::/8", "http://[fd12::1]/", true},
        {"example.com:8080", "http://example.com:8080/", true},
        {"example.com:8080", "http://example.com/", false},
        {"", "http://example.com/", false},
        {"localhost", "http://127.0.0.1/", false},
    };
    for (const auto& c : cases) {
        cc::detail::proxy_settings settings;
        settings.set_no_proxy(c.list);
        BOOST_TEST(settings.bypasses(parts(c.url)) == c.bypass, "NO_PROXY='" << c.list << "', URL " << c.url);
    }
}

BOOST_AUTO_TEST_SUITE_END()
