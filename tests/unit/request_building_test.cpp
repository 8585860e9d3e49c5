// How a call turns into a request: URL, query, header fields, credentials and body.
#include <content_client/basic_content_client.hpp>
#include <content_client/detail/url.hpp>
#include <content_client/testing/mock_transport.hpp>

#include <boost/json/value.hpp>
#include <boost/test/unit_test.hpp>
#include <boost/url/parse.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "errc_printer.hpp"

namespace cc = content_client;
using cc::testing::mock_transport;

namespace {

using client_type = cc::basic_content_client<mock_transport>;

// The host of `url` as the transport would connect to it, or "" when `url` is not a URI.
std::string host_of(std::string_view url)
{
    auto parsed = boost::urls::parse_uri(url);
    if (!parsed)
        return {};
    return std::string(parsed->encoded_host());
}

// Sends one GET with `options` and returns the request the mock received.
cc::testing::recorded_request send_get(const cc::client_options& client_opts, std::string_view suffix,
                              cc::request_options options = {})
{
    mock_transport mock;
    client_type api(mock, client_opts);
    mock.push(200, "{}");
    api.http_request("GET", suffix, std::move(options));
    return mock.requests().at(0);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(request_building)

BOOST_AUTO_TEST_CASE(urljoin_appends_slash_to_bare_base)
{
    BOOST_TEST(cc::detail::urljoin("https://a.com", "") == "https://a.com/");
}

BOOST_AUTO_TEST_CASE(urljoin_drops_one_leading_slash)
{
    BOOST_TEST(cc::detail::urljoin("https://a.com/", "/api") == "https://a.com/api");
    BOOST_TEST(cc::detail::urljoin("https://a.com/x", "//y") == "https://a.com/x//y");
}

BOOST_AUTO_TEST_CASE(urljoin_keeps_relative_suffix)
{
    BOOST_TEST(cc::detail::urljoin("https://a.com/api/", "v1") == "https://a.com/api/v1");
    BOOST_TEST(cc::detail::urljoin("", "x") == "/x");
}

BOOST_AUTO_TEST_CASE(request_without_suffix_ends_in_slash)
{
    auto sent = send_get({.base_url = "https://a.com"}, "");

    BOOST_TEST(sent.url == "https://a.com/");
}

BOOST_AUTO_TEST_CASE(request_joins_base_and_suffix)
{
    BOOST_TEST(send_get({.base_url = "https://a.com/"}, "/api").url == "https://a.com/api");
    BOOST_TEST(send_get({.base_url = "https://a.com/x"}, "//y").url == "https://a.com/x//y");
    BOOST_TEST(send_get({.base_url = "https://a.com/api/"}, "v1").url == "https://a.com/api/v1");
}

BOOST_AUTO_TEST_CASE(full_url_wins_over_base_url)
{
    auto sent = send_get({.base_url = "https://a.com/api"}, "/ignored", {.full_url = "https://other.test/x"});

    BOOST_TEST(sent.url == "https://other.test/x");
}

BOOST_AUTO_TEST_CASE(full_url_works_without_base_url)
{
    auto sent = send_get({}, "", {.full_url = "http://other.test/only"});

    BOOST_TEST(sent.url == "http://other.test/only");
}

BOOST_AUTO_TEST_CASE(url_suffix_never_changes_host)
{
    const std::vector<std::string> suffixes = {
        "@evil.test/x", "//evil.test",   "http://evil.test", "..",         "../..",
        "%2F%2Fevil",   "\\\\evil.test", "\\evil.test/x",    "a b/c d",    "/ @evil.test",
        ":8080/x",      "?x=1",          "#frag",            "@evil.test", "//user@evil.test:443/x",
    };

    for (const auto& suffix : suffixes) {
        BOOST_TEST_CONTEXT("url_suffix '" << suffix << "'")
        {
            mock_transport mock;
            client_type api(mock, {.base_url = "https://a.com"});
            mock.push(200, "{}");

            cc::error_code ec;
            api.http_request("GET", suffix, {}, ec);

            if (ec) {
                BOOST_TEST(ec == cc::errc::invalid_configuration);
                BOOST_TEST(mock.request_count() == 0u);
            } else {
                BOOST_TEST(host_of(mock.requests().at(0).url) == "a.com");
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(url_suffix_with_spaces_is_encoded)
{
    auto sent = send_get({.base_url = "https://a.com"}, "/a b");

    BOOST_TEST(sent.url == "https://a.com/a%20b");
}

BOOST_AUTO_TEST_CASE(url_suffix_backslash_is_encoded)
{
    auto sent = send_get({.base_url = "https://a.com"}, "\\\\evil.test");

    BOOST_TEST(sent.url == "https://a.com/%5C%5Cevil.test");
    BOOST_TEST(host_of(sent.url) == "a.com");
}

BOOST_AUTO_TEST_CASE(empty_base_url_without_full_url_rejected)
{
    mock_transport mock;
    client_type api(mock, {});

    try {
        api.http_request("GET", "/x");
        BOOST_FAIL("expected configuration_error");
    } catch (const cc::configuration_error& e) {
        BOOST_TEST(e.code() == cc::errc::invalid_configuration);
        BOOST_TEST(std::string(e.what()).find("base_url") != std::string::npos);
        BOOST_TEST(std::string(e.what()).find("full_url") != std::string::npos);
    }
    BOOST_TEST(mock.request_count() == 0u);
}

BOOST_AUTO_TEST_CASE(query_encodes_space_and_slash)
{
    auto sent = send_get({.base_url = "https://a.com"}, "/s", {.params = {{"q", "a b/c"}, {"x y", "~-._"}}});

    BOOST_TEST(sent.url == "https://a.com/s?q=a+b%2Fc&x+y=~-._");
}

BOOST_AUTO_TEST_CASE(query_keeps_repeated_keys)
{
    auto sent = send_get({.base_url = "https://a.com"}, "/s", {.params = {{"id", "1"}, {"id", "2"}, {"id", "3"}}});

    BOOST_TEST(sent.url == "https://a.com/s?id=1&id=2&id=3");
}

BOOST_AUTO_TEST_CASE(query_appends_to_existing_query)
{
    auto from_suffix = send_get({.base_url = "https://a.com"}, "/s?a=1", {.params = {{"b", "2"}}});
    auto from_full_url = send_get({}, "", {.full_url = "https://b.com/s?a=1#top", .params = {{"b", "2"}}});

    BOOST_TEST(from_suffix.url == "https://a.com/s?a=1&b=2");
    BOOST_TEST(from_full_url.url == "https://b.com/s?a=1&b=2");
}

BOOST_AUTO_TEST_CASE(query_encodes_reserved_and_non_ascii)
{
    auto sent = send_get({.base_url = "https://a.com"}, "/s", {.params = {{"k", "a&b=c+d%\xc3\xa9"}}});

    BOOST_TEST(sent.url == "https://a.com/s?k=a%26b%3Dc%2Bd%25%C3%A9");
}

BOOST_AUTO_TEST_CASE(params_parser_quotes_names_and_values)
{
    std::vector<std::string> seen;
    auto keep_slash = [&seen](std::string_view s) {
        seen.emplace_back(s);
        std::string out;
        for (char c : s)
            out += c == ' ' ? std::string("%20") : std::string(1, c);
        return out;
    };

    auto sent = send_get({.base_url = "https://a.com"}, "/s",
                         {.params = {{"a b", "x/y z"}}, .params_parser = keep_slash});

    BOOST_TEST(sent.url == "https://a.com/s?a%20b=x/y%20z");
    BOOST_TEST(seen.size() == 2u);
    BOOST_TEST(seen.at(0) == "a b");
    BOOST_TEST(seen.at(1) == "x/y z");
}

BOOST_AUTO_TEST_CASE(params_parser_invalid_escape_rejected)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://a.com"});
    auto broken = [](std::string_view) { return std::string("%zz"); };

    cc::error_code ec;
    cc::diagnostics info;
    api.http_request("GET", "/s", {.params = {{"a", "b"}}, .params_parser = broken}, ec, info);

    BOOST_TEST(ec == cc::errc::invalid_configuration);
    BOOST_TEST(info.message.find("params_parser") != std::string::npos);
    BOOST_TEST(mock.request_count() == 0u);
}

BOOST_AUTO_TEST_CASE(default_headers_sent_without_call_headers)
{
    auto sent = send_get({.base_url = "https://a.com", .headers = {{"X-Api-Key", "k1"}, {"Accept", "text/csv"}}},
                         "/h");

    BOOST_TEST(sent.headers.find("X-Api-Key").value_or("") == "k1");
    BOOST_TEST(sent.headers.find("Accept").value_or("") == "text/csv");
}

BOOST_AUTO_TEST_CASE(call_headers_replace_default_headers)
{
    auto sent = send_get({.base_url = "https://a.com", .headers = {{"X-Api-Key", "k1"}, {"Accept", "text/csv"}}},
                         "/h", {.headers = {{"accept", "application/json"}}});

    BOOST_TEST(!sent.headers.contains("X-Api-Key"));
    BOOST_TEST(sent.headers.find("ACCEPT").value_or("") == "application/json");
    BOOST_TEST(sent.headers.find("Accept").value_or("") == "application/json");
}

BOOST_AUTO_TEST_CASE(user_agent_added_when_absent)
{
    auto sent = send_get({.base_url = "https://a.com"}, "/h");

    auto agent = sent.headers.find("User-Agent");
    BOOST_TEST(agent.has_value());
    BOOST_TEST(std::string(agent.value_or("")).starts_with("content_client/"));
}

BOOST_AUTO_TEST_CASE(user_agent_kept_in_any_case)
{
    auto from_client = send_get({.base_url = "https://a.com", .headers = {{"user-agent", "mine/1"}}}, "/h");
    auto from_call = send_get({.base_url = "https://a.com"}, "/h", {.headers = {{"USER-AGENT", "call/2"}}});

    int client_count = 0;
    for (const auto& field : from_client.headers)
        client_count += cc::iequals(field.first, "User-Agent") ? 1 : 0;
    int call_count = 0;
    for (const auto& field : from_call.headers)
        call_count += cc::iequals(field.first, "User-Agent") ? 1 : 0;

    BOOST_TEST(client_count == 1);
    BOOST_TEST(from_client.headers.find("User-Agent").value_or("") == "mine/1");
    BOOST_TEST(call_count == 1);
    BOOST_TEST(from_call.headers.find("User-Agent").value_or("") == "call/2");
}

BOOST_AUTO_TEST_CASE(client_basic_auth_sent)
{
    auto sent = send_get({.base_url = "https://a.com", .auth = cc::basic_credentials{"user", "pass"}}, "/a");

    BOOST_TEST(sent.headers.find("Authorization").value_or("") == "Basic dXNlcjpwYXNz");
}

BOOST_AUTO_TEST_CASE(call_basic_auth_overrides_client_auth)
{
    auto sent = send_get({.base_url = "https://a.com", .auth = cc::basic_credentials{"user", "pass"}}, "/a",
                         {.auth = cc::basic_credentials{"Aladdin", "open sesame"}});

    BOOST_TEST(sent.headers.find("Authorization").value_or("") == "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
}

BOOST_AUTO_TEST_CASE(basic_auth_base64_pads_exactly)
{
    BOOST_TEST(cc::detail::base64_encode("") == "");
    BOOST_TEST(cc::detail::base64_encode("f") == "Zg==");
    BOOST_TEST(cc::detail::base64_encode("fo") == "Zm8=");
    BOOST_TEST(cc::detail::base64_encode("foo") == "Zm9v");
    BOOST_TEST(cc::detail::base64_encode("u:\xff") == "dTr/");
}

BOOST_AUTO_TEST_CASE(basic_auth_user_with_colon_rejected)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://a.com"});

    cc::error_code ec;
    cc::diagnostics info;
    api.http_request("GET", "/a", {.auth = cc::basic_credentials{"a:b", "secret-pw"}}, ec, info);

    BOOST_TEST(ec == cc::errc::invalid_configuration);
    BOOST_TEST(info.message.find("secret-pw") == std::string::npos);
    BOOST_TEST(mock.request_count() == 0u);
}

BOOST_AUTO_TEST_CASE(json_data_sets_body_and_content_type)
{
    boost::json::value payload = {{"name", "x"}, {"n", 1}};

    auto sent = send_get({.base_url = "https://a.com"}, "/j", {.json_data = payload});

    BOOST_TEST(sent.body == R"({"name":"x","n":1})");
    BOOST_TEST(sent.headers.find("Content-Type").value_or("") == "application/json");
}

BOOST_AUTO_TEST_CASE(json_data_keeps_caller_content_type)
{
    boost::json::value payload = {{"a", 1}};

    auto sent = send_get({.base_url = "https://a.com"}, "/j",
                         {.headers = {{"content-type", "application/vnd.api+json"}}, .json_data = payload});

    int count = 0;
    for (const auto& field : sent.headers)
        count += cc::iequals(field.first, "Content-Type") ? 1 : 0;
    BOOST_TEST(count == 1);
    BOOST_TEST(sent.headers.find("Content-Type").value_or("") == "application/vnd.api+json");
}

BOOST_AUTO_TEST_CASE(raw_data_sent_unchanged)
{
    auto sent = send_get({.base_url = "https://a.com"}, "/d", {.data = "a=1&b=two words"});

    BOOST_TEST(sent.body == "a=1&b=two words");
    BOOST_TEST(!sent.headers.contains("Content-Type"));
}

BOOST_AUTO_TEST_CASE(form_data_is_urlencoded)
{
    auto sent = send_get({.base_url = "https://a.com"}, "/d", {.data = {{"a", "1"}, {"b", "two words/x"}}});

    BOOST_TEST(sent.body == "a=1&b=two+words%2Fx");
    BOOST_TEST(sent.headers.find("Content-Type").value_or("") == "application/x-www-form-urlencoded");
}

BOOST_AUTO_TEST_CASE(data_wins_over_json_data)
{
    boost::json::value payload = {{"a", 1}};

    auto sent = send_get({.base_url = "https://a.com"}, "/d", {.json_data = payload, .data = "raw"});

    BOOST_TEST(sent.body == "raw");
}

BOOST_AUTO_TEST_CASE(files_make_multipart_body)
{
    auto sent = send_get({.base_url = "https://a.com"}, "/u",
                         {.data = {{"note", "hello"}},
                          .files = {{.field = "upload", .filename = "a.txt", .content = "file body",
                                     .content_type = "text/plain"}}});

    auto content_type = std::string(sent.headers.find("Content-Type").value_or(""));
    const std::string prefix = "multipart/form-data; boundary=";
    BOOST_TEST(content_type.starts_with(prefix));
    const std::string boundary = content_type.substr(prefix.size());
    BOOST_TEST(!boundary.empty());
    const std::string expected = "--" + boundary +
                                 "\r\n"
                                 "Content-Disposition: form-data; name=\"note\"\r\n\r\n"
                                 "hello\r\n"
                                 "--" +
                                 boundary +
                                 "\r\n"
                                 "Content-Disposition: form-data; name=\"upload\"; filename=\"a.txt\"\r\n"
                                 "Content-Type: text/plain\r\n\r\n"
                                 "file body\r\n"
                                 "--" +
                                 boundary + "--\r\n";
    BOOST_TEST(sent.body == expected);
}

BOOST_AUTO_TEST_CASE(files_with_raw_data_rejected)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://a.com"});

    cc::error_code ec;
    api.http_request("POST", "/u", {.data = "raw", .files = {{.field = "f", .filename = "a", .content = "x"}}}, ec);

    BOOST_TEST(ec == cc::errc::invalid_configuration);
    BOOST_TEST(mock.request_count() == 0u);
}

BOOST_AUTO_TEST_CASE(header_value_with_line_break_rejected)
{
    const std::vector<std::string> values = {"secret\r\nX-Injected: 1", "secret\ninjected", "secret\rinjected",
                                             std::string("secret\0tail", 11)};

    for (const auto& value : values) {
        mock_transport mock;
        client_type api(mock, {.base_url = "https://a.com"});

        try {
            api.http_request("GET", "/h", {.headers = {{"X-Token", value}}});
            BOOST_FAIL("expected configuration_error");
        } catch (const cc::configuration_error& e) {
            const std::string message = e.what();
            BOOST_TEST(message.find("X-Token") != std::string::npos);
            BOOST_TEST(message.find("secret") == std::string::npos);
            BOOST_TEST(message.find("injected") == std::string::npos);
        }
        BOOST_TEST(mock.request_count() == 0u);
    }
}

BOOST_AUTO_TEST_CASE(header_name_with_line_break_rejected)
{
    const std::vector<std::string> names = {"X-A\r\nX-B", "X-A\n", std::string("X\0A", 3), "", "X A"};

    for (const auto& name : names) {
        mock_transport mock;
        client_type api(mock, {.base_url = "https://a.com"});

        cc::error_code ec;
        cc::diagnostics info;
        api.http_request("GET", "/h", {.headers = {{name, "secret-value"}}}, ec, info);

        BOOST_TEST(ec == cc::errc::invalid_configuration);
        BOOST_TEST(info.message.find("header name") != std::string::npos);
        BOOST_TEST(info.message.find("secret-value") == std::string::npos);
        BOOST_TEST(mock.request_count() == 0u);
    }
}

BOOST_AUTO_TEST_CASE(client_header_with_line_break_rejected)
{
    mock_transport mock;

    try {
        client_type api(mock, {.base_url = "https://a.com", .headers = {{"Authorization", "Bearer tok\r\nX: y"}}});
        BOOST_FAIL("expected configuration_error");
    } catch (const cc::configuration_error& e) {
        const std::string message = e.what();
        BOOST_TEST(message.find("Authorization") != std::string::npos);
        BOOST_TEST(message.find("client_options.headers") != std::string::npos);
        BOOST_TEST(message.find("tok") == std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(method_is_upper_cased)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://a.com"});
    mock.push(200, "{}");

    api.http_request("patch", "/m");

    BOOST_TEST(mock.requests().at(0).method == "PATCH");
}

BOOST_AUTO_TEST_CASE(invalid_method_rejected)
{
    for (std::string method : {"", "GE T", "GET\r\n", "G(T"}) {
        mock_transport mock;
        client_type api(mock, {.base_url = "https://a.com"});

        BOOST_CHECK_THROW(api.http_request(method, "/m"), cc::configuration_error);
        BOOST_TEST(mock.request_count() == 0u);
    }
}

BOOST_AUTO_TEST_CASE(invalid_base_url_rejected_at_construction)
{
    mock_transport mock;

    for (std::string base : {"ftp://a.com", "a.com/api", "https://"}) {
        BOOST_TEST_CONTEXT("base_url '" << base << "'")
        {
            try {
                client_type api(mock, {.base_url = base});
                BOOST_FAIL("expected configuration_error");
            } catch (const cc::configuration_error& e) {
                BOOST_TEST(std::string(e.what()).find("base_url") != std::string::npos);
            }
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
