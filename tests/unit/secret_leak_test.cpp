// Credentials never appear in error messages, `what()`, `diagnostics`, error
// code messages or metrics records, even when the server echoes them back.
//
// Every check searches each produced text for every known secret below, in
// each form a message could quote it. The forms are: as given,
// percent-encoded (query parameters and form bodies), base64 (Basic
// credentials), JSON-escaped (a JSON body that the status message
// re-serializes) and bytes-escaped (a body quoted as a Python bytes literal).
#include <content_client/auth/any_auth.hpp>
#include <content_client/auth/api_key_auth.hpp>
#include <content_client/auth/basic_auth.hpp>
#include <content_client/auth/bearer_token_auth.hpp>
#include <content_client/auth/oauth2_client_credentials.hpp>
#include <content_client/basic_content_client.hpp>
#include <content_client/breaker/circuit_breaker.hpp>
#include <content_client/rate_limit/no_rate_limit.hpp>
#include <content_client/retry/exponential_retry.hpp>
#include <content_client/retry/no_retry.hpp>
#include <content_client/testing/mock_transport.hpp>
#include <content_client/transport/detail/proxy.hpp>
#include <content_client/transport/detail/redirect.hpp>
#include <content_client/transport/detail/url_parts.hpp>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>
#include <boost/url/parse.hpp>

#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "errc_printer.hpp"

namespace cc = content_client;
using cc::testing::mock_reply;
using cc::testing::mock_transport;
using cc::testing::network_failure;
using namespace std::chrono_literals;

namespace {

// The secrets. The API key, the basic_auth password and the OAuth2 client
// secret contain characters that percent-encoding changes ('/', '+', '=').
// The basic_auth password also contains a non-ASCII letter that JSON and
// bytes-literal escaping change. So each encoded form below differs from
// the raw value.
const std::string api_key = "AK-7f3c/key+value=9";
const std::string bearer_token = "BT-bearer.9d1e_token";
const std::string basic_user = "leak-user";
const std::string basic_password = "BP-pass/w\xc3\xb6rd+4";
const std::string client_user = "client-user";
const std::string client_password = "CP-client-pw-8e2a";
const std::string call_user = "call-user";
const std::string call_password = "RP-call-pw-5b7c";
const std::string oauth_secret = "OS-oauth/secret+9=x";
const std::string userinfo_password = "UP-userinfo-pw-6c1a";
const std::string proxy_password = "PP-proxy-pw-3f9d";

const std::string token_url = "http://auth.test/oauth/token";

/// The access token the mock's token endpoint issues as its `number`th.
std::string access_token(int number)
{
    return "AT-access-token-" + std::to_string(number);
}

struct secret_form {
    std::string label;
    std::string value;
};

/// Every secret in every form. The expected encodings are written out, not
/// computed by the library under test.
const std::vector<secret_form>& secret_forms()
{
    static const std::vector<secret_form> forms = {
        {"the API key", api_key},
        {"the percent-encoded API key", "AK-7f3c%2Fkey%2Bvalue%3D9"},
        {"the bearer token", bearer_token},
        {"the basic_auth password", basic_password},
        {"the JSON-escaped basic_auth password", "BP-pass/w\\u00f6rd+4"},
        {"the bytes-escaped basic_auth password", "BP-pass/w\\xc3\\xb6rd+4"},
        {"the base64 basic_auth credentials", "bGVhay11c2VyOkJQLXBhc3Mvd8O2cmQrNA=="},
        {"the client_options.auth password", client_password},
        {"the base64 client_options.auth credentials", "Y2xpZW50LXVzZXI6Q1AtY2xpZW50LXB3LThlMmE="},
        {"the request_options.auth password", call_password},
        {"the base64 request_options.auth credentials", "Y2FsbC11c2VyOlJQLWNhbGwtcHctNWI3Yw=="},
        {"the OAuth2 client secret", oauth_secret},
        {"the percent-encoded OAuth2 client secret", "OS-oauth%2Fsecret%2B9%3Dx"},
        {"the first OAuth2 access token", access_token(1)},
        {"the second OAuth2 access token", access_token(2)},
        {"the URL's user information password", userinfo_password},
        {"the proxy password", proxy_password},
        {"the base64 proxy credentials", "cHJveHktdXNlcjpQUC1wcm94eS1wdy0zZjlk"},
    };
    return forms;
}

/// Names each secret form found in `text`, or returns an empty string.
std::string secrets_in(std::string_view text)
{
    std::string found;
    for (const auto& form : secret_forms()) {
        if (text.find(form.value) == std::string_view::npos)
            continue;
        if (!found.empty())
            found += ", ";
        found += form.label;
    }
    return found;
}

/// A text the client produced, with where it came from.
struct produced_text {
    std::string source;
    std::string text;
};

void expect_no_secret(const std::vector<produced_text>& texts)
{
    for (const auto& [source, text] : texts) {
        auto found = secrets_in(text);
        BOOST_TEST(found.empty(), source << " contains " << found << ":\n" << text);
    }
}

/// Builds a JSON echo of `req` as httpbin's /anything does: the decoded
/// query parameters, the raw body, the decoded form fields, the header
/// fields and the URL.
std::string echo_json(const cc::request& req)
{
    boost::json::object args;
    if (auto url = boost::urls::parse_uri(req.url))
        for (auto param : url->params())
            args[param.key] = param.value;

    boost::json::object form;
    if (req.headers.find("Content-Type") == std::optional<std::string_view>("application/x-www-form-urlencoded")) {
        if (auto parsed = boost::urls::parse_uri("http://form.test/?" + req.body))
            for (auto field : parsed->params())
                form[field.key] = field.value;
    }

    boost::json::object headers;
    for (const auto& [name, value] : req.headers)
        headers[name] = value;

    boost::json::object echo;
    echo["args"] = std::move(args);
    echo["data"] = req.body;
    echo["form"] = std::move(form);
    echo["headers"] = std::move(headers);
    echo["url"] = req.url;
    return boost::json::serialize(echo);
}

/// Builds a plain-text echo of `req`: the request line, the header fields and the body.
std::string echo_text(const cc::request& req)
{
    std::string text = req.method + " " + req.url + "\n";
    for (const auto& [name, value] : req.headers)
        text += name + ": " + value + "\n";
    return text + "\n" + req.body;
}

/// A reply function that echoes the request as JSON with `status` and `headers`.
std::function<mock_reply(const cc::request&)> echo_reply(int status, cc::http_headers headers = {})
{
    return [status, headers](const cc::request& req) {
        return mock_reply{.status = status, .headers = headers, .body = echo_json(req)};
    };
}

std::function<mock_reply(const cc::request&)> failure_reply(network_failure failure)
{
    return [failure](const cc::request&) { return mock_reply{.failure = failure}; };
}

/// Keeps the URLs that the client gives its metrics policy. Copies share the record.
struct recording_metrics {
    struct record {
        std::mutex mutex;
        std::vector<produced_text> urls;
    };
    std::shared_ptr<record> seen = std::make_shared<record>();

    void on_attempt(const cc::attempt_record& attempt)
    {
        std::lock_guard lock(seen->mutex);
        seen->urls.push_back({"attempt_record.url", std::string(attempt.url)});
    }
    void on_call(const cc::call_record& call)
    {
        std::lock_guard lock(seen->mutex);
        seen->urls.push_back({"call_record.url", std::string(call.url)});
    }
};

/// BaseClient's urllib3-style retries.
using base_client = cc::basic_content_client<mock_transport, cc::any_auth, cc::no_retry, cc::no_rate_limit,
                                             cc::circuit_breaker, recording_metrics>;
/// ContentClient's exponential retries.
using retrying_client = cc::basic_content_client<mock_transport, cc::any_auth, cc::exponential_retry,
                                                 cc::no_rate_limit, cc::circuit_breaker, recording_metrics>;

/// A way to send credentials.
struct auth_variant {
    std::string name;
    std::function<cc::any_auth()> make_auth = [] { return cc::any_auth(); };
    std::string base_url = "http://api.test/v1";
    std::optional<cc::basic_credentials> client_auth{};
    std::optional<cc::basic_credentials> call_auth{};
    /// Replies of the OAuth2 token endpoint; the int counts its requests from 1.
    std::function<mock_reply(const cc::request&, int)> token_reply = [](const cc::request&, int number) {
        return mock_reply{.body = R"({"access_token":")" + access_token(number) + R"(","expires_in":3600})"};
    };
};

cc::oauth2_client_credentials make_oauth()
{
    return cc::oauth2_client_credentials(token_url, "client-1", oauth_secret);
}

std::vector<auth_variant> auth_variants()
{
    return {
        {.name = "api_key_auth in a header", .make_auth = [] { return cc::any_auth(cc::api_key_auth(api_key, "X-API-Key")); }},
        {.name = "api_key_auth in the query",
         .make_auth = [] { return cc::any_auth(cc::api_key_auth(api_key, std::nullopt, "api_key")); }},
        {.name = "bearer_token_auth", .make_auth = [] { return cc::any_auth(cc::bearer_token_auth(bearer_token)); }},
        {.name = "basic_auth", .make_auth = [] { return cc::any_auth(cc::basic_auth(basic_user, basic_password)); }},
        {.name = "client_options.auth", .client_auth = cc::basic_credentials{client_user, client_password}},
        {.name = "request_options.auth", .call_auth = cc::basic_credentials{call_user, call_password}},
        {.name = "oauth2_client_credentials", .make_auth = [] { return cc::any_auth(make_oauth()); }},
        {.name = "user information in base_url", .base_url = "http://url-user:" + userinfo_password + "@api.test/v1"},
    };
}

/// A failure of the API call.
struct api_failure {
    std::string name;
    cc::errc expected;
    std::function<mock_reply(const cc::request&)> reply;
    /// Use exponential_retry in place of BaseClient's retries.
    bool exponential = false;
    cc::request_options options{};
    cc::timeout_settings timeouts{};
    cc::circuit_breaker_policy breaker{};
    /// Failed calls made before the checked one, to open the breaker.
    int priming_calls = 0;
};

std::vector<api_failure> api_failures()
{
    const cc::timeout_settings short_window{.execution = cc::seconds_f(40), .safety_buffer = cc::seconds_f(10)};
    return {
        {.name = "401 echo", .expected = cc::errc::authentication_failed, .reply = echo_reply(401)},
        {.name = "403 echo", .expected = cc::errc::authentication_failed, .reply = echo_reply(403)},
        {.name = "404 echo", .expected = cc::errc::http_status, .reply = echo_reply(404)},
        {.name = "429 echo with Retry-After",
         .expected = cc::errc::rate_limited,
         .reply = echo_reply(429, {{"Retry-After", "30"}})},
        {.name = "500 echo", .expected = cc::errc::http_status, .reply = echo_reply(500)},
        {.name = "302 outside ok_codes",
         .expected = cc::errc::http_status,
         .reply = echo_reply(302, {{"Location", "http://api.test/v1/moved"}}),
         .options = {.ok_codes = {200}, .allow_redirects = false}},
        {.name = "plain-text echo with resp_type json",
         .expected = cc::errc::invalid_response,
         .reply = [](const cc::request& req) { return mock_reply{.body = echo_text(req)}; }},
        {.name = "connect failure",
         .expected = cc::errc::connection_failed,
         .reply = failure_reply(network_failure::connect_error)},
        {.name = "connect timeout",
         .expected = cc::errc::connect_timeout,
         .reply = failure_reply(network_failure::connect_timeout)},
        {.name = "connection reset",
         .expected = cc::errc::connection_reset,
         .reply = failure_reply(network_failure::connection_reset)},
        {.name = "read timeout", .expected = cc::errc::read_timeout, .reply = failure_reply(network_failure::read_timeout)},
        {.name = "protocol error",
         .expected = cc::errc::protocol_error,
         .reply = failure_reply(network_failure::protocol_error)},
        {.name = "status retries exhausted (exponential_retry)",
         .expected = cc::errc::http_status,
         .reply = echo_reply(503),
         .exponential = true},
        {.name = "network retries exhausted (exponential_retry)",
         .expected = cc::errc::retries_exhausted,
         .reply = failure_reply(network_failure::connection_reset),
         .exponential = true},
        {.name = "BaseClient retries exhausted with raise_on_status",
         .expected = cc::errc::retries_exhausted,
         .reply = echo_reply(503),
         .options = {.retries = 2, .status_list_to_retry = {503}, .raise_on_status = true}},
        {.name = "execution deadline during the response",
         .expected = cc::errc::timed_out,
         .reply = [](const cc::request& req) { return mock_reply{.body = echo_json(req), .latency = 100s}; },
         .timeouts = short_window},
        {.name = "Retry-After past the execution deadline",
         .expected = cc::errc::http_status,
         .reply = echo_reply(503, {{"Retry-After", "120"}}),
         .exponential = true,
         .timeouts = short_window},
        {.name = "circuit open",
         .expected = cc::errc::circuit_open,
         .reply = echo_reply(500),
         .breaker = {.failure_threshold = 1},
         .priming_calls = 1},
        {.name = "CR LF in another header",
         .expected = cc::errc::invalid_configuration,
         .reply = echo_reply(200),
         .options = {.headers = {{"X-API-Key", api_key}, {"Authorization", "Bearer " + bearer_token},
                                 {"X-Trace", "a\r\nX-Injected: 1"}}}},
        {.name = "CR LF after the credential",
         .expected = cc::errc::invalid_configuration,
         .reply = echo_reply(200),
         .options = {.headers = {{"Authorization", "Bearer " + bearer_token + "\r\nX-Injected: 1"}}}},
    };
}

/// The three forms of a call, and the asynchronous one.
enum class call_form { throwing, error_code_only, diagnostics, async };

const char* form_name(call_form form)
{
    switch (form) {
    case call_form::throwing: return "throwing form";
    case call_form::error_code_only: return "error_code& form";
    case call_form::diagnostics: return "diagnostics& form";
    case call_form::async: return "async_http_request";
    }
    return "?";
}

/// Collects the texts of an exception that a call raised.
void collect_exception(std::exception_ptr failure, cc::errc expected, std::vector<produced_text>& texts)
{
    try {
        std::rethrow_exception(failure);
    } catch (const cc::error& e) {
        BOOST_TEST(e.code() == expected);
        BOOST_TEST(!std::string_view(e.what()).empty());
        texts.push_back({"what()", e.what()});
        texts.push_back({"code().message()", e.code().message()});
        texts.push_back({"details().message", e.details().message});
    } catch (const std::exception& e) {
        BOOST_ERROR("an exception not derived from content_client::error: " << e.what());
    }
}

/// Sends one failing call in `form` and returns every text it produced.
template <class Client>
std::vector<produced_text> fail_once(Client& api, mock_transport& mock, call_form form,
                                     const cc::request_options& options, cc::errc expected)
{
    std::vector<produced_text> texts;
    switch (form) {
    case call_form::throwing:
        try {
            api.http_request("GET", "/items", options);
            BOOST_ERROR("no error raised");
        } catch (...) {
            collect_exception(std::current_exception(), expected, texts);
        }
        break;
    case call_form::error_code_only: {
        cc::error_code ec;
        api.http_request("GET", "/items", options, ec);
        BOOST_TEST(ec == expected);
        texts.push_back({"error_code.message()", ec.message()});
        break;
    }
    case call_form::diagnostics: {
        cc::error_code ec;
        cc::diagnostics info;
        api.http_request("GET", "/items", options, ec, info);
        BOOST_TEST(ec == expected);
        texts.push_back({"error_code.message()", ec.message()});
        texts.push_back({"diagnostics.message", info.message});
        break;
    }
    case call_form::async: {
        std::exception_ptr failure;
        bool completed = false;
        api.async_http_request("GET", "/items", options, [&](std::exception_ptr e, cc::response) {
            failure = e;
            completed = true;
        });
        mock.context().run();
        BOOST_TEST(completed);
        if (failure)
            collect_exception(failure, expected, texts);
        else
            BOOST_ERROR("no exception_ptr set");
        break;
    }
    }
    return texts;
}

/// Runs `failure` with the credentials of `variant` in every call form and
/// checks every text produced, metrics records included.
template <class Client, class Retry>
void check_every_form(const auth_variant& variant, const api_failure& failure, Retry retry)
{
    for (auto form : {call_form::throwing, call_form::error_code_only, call_form::diagnostics, call_form::async}) {
        BOOST_TEST_CONTEXT(variant.name << ", " << failure.name << ", " << form_name(form))
        {
            mock_transport mock;
            mock.on_request([&variant, &failure, tokens = 0](const cc::request& req) mutable {
                if (req.url == token_url)
                    return variant.token_reply(req, ++tokens);
                return failure.reply(req);
            });
            recording_metrics metrics;
            cc::client_options client_opts{.base_url = variant.base_url, .auth = variant.client_auth,
                                           .timeouts = failure.timeouts};
            Client api(mock, client_opts, variant.make_auth(), retry, cc::no_rate_limit{},
                       cc::circuit_breaker(failure.breaker), metrics);

            auto options = failure.options;
            if (variant.call_auth)
                options.auth = variant.call_auth;
            for (int i = 0; i < failure.priming_calls; ++i) {
                cc::error_code ignored;
                api.http_request("GET", "/items", options, ignored);
            }

            auto texts = fail_once(api, mock, form, options, failure.expected);
            {
                std::lock_guard lock(metrics.seen->mutex);
                texts.insert(texts.end(), metrics.seen->urls.begin(), metrics.seen->urls.end());
            }
            expect_no_secret(texts);
        }
    }
}

void check_every_form(const auth_variant& variant, const api_failure& failure)
{
    if (failure.exponential)
        check_every_form<retrying_client>(variant, failure,
                                          cc::exponential_retry({.max_attempts = 3, .jitter = 0.0}));
    else
        check_every_form<base_client>(variant, failure, cc::no_retry{});
}

/// Returns the message of the configuration_error that `make` throws.
std::string configuration_message(auto make)
{
    try {
        make();
    } catch (const cc::configuration_error& e) {
        return e.what();
    }
    return "no configuration_error";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(secret_leaks)

BOOST_AUTO_TEST_CASE(api_failures_hide_credentials)
{
    for (const auto& variant : auth_variants())
        for (const auto& failure : api_failures())
            check_every_form(variant, failure);
}

BOOST_AUTO_TEST_CASE(token_endpoint_failures_hide_credentials)
{
    struct token_failure {
        std::string name;
        std::function<mock_reply(const cc::request&, int)> reply;
    };
    auto echo_with = [](int status) {
        return [status](const cc::request& req, int) { return mock_reply{.status = status, .body = echo_json(req)}; };
    };
    const std::vector<token_failure> cases = {
        {"token endpoint 400 echo", echo_with(400)},
        {"token endpoint 401 echo", echo_with(401)},
        {"token endpoint 500 echo", echo_with(500)},
        {"token response not JSON",
         [](const cc::request& req, int) { return mock_reply{.body = echo_text(req)}; }},
        {"token response without access_token",
         [](const cc::request& req, int) {
             return mock_reply{.body = R"({"token_type":"bearer","echo":)" + echo_json(req) + "}"};
         }},
        {"token endpoint past token_timeout",
         [](const cc::request& req, int number) {
             return mock_reply{.body = R"({"access_token":")" + access_token(number) + R"(","echo":)" +
                                       echo_json(req) + "}",
                               .latency = 100s};
         }},
        {"token endpoint read timeout",
         [](const cc::request&, int) { return mock_reply{.failure = network_failure::read_timeout}; }},
        {"token endpoint connection failure",
         [](const cc::request&, int) { return mock_reply{.failure = network_failure::connect_error}; }},
    };

    const api_failure unreached{.name = "API call", .expected = cc::errc::authentication_failed,
                                .reply = echo_reply(200)};
    for (const auto& c : cases) {
        auth_variant variant{.name = "oauth2_client_credentials, " + c.name,
                             .make_auth = [] { return cc::any_auth(make_oauth()); },
                             .token_reply = c.reply};
        check_every_form(variant, unreached);
    }
}

BOOST_AUTO_TEST_CASE(echoed_authorization_redacted_in_message)
{
    mock_transport mock;
    cc::basic_content_client<mock_transport, cc::bearer_token_auth> api(mock, {.base_url = "http://api.test"},
                                                                         cc::bearer_token_auth(bearer_token));
    mock.push(401, R"({"headers":{"Authorization":"Bearer )" + bearer_token + R"("}})");

    cc::error_code ec;
    cc::diagnostics info;
    auto res = api.http_request("GET", "/items", {}, ec, info);

    BOOST_TEST(ec == cc::errc::authentication_failed);
    BOOST_TEST(info.message == "Error in API call [401] - Unauthorized\n"
                               R"({"headers": {"Authorization": "Bearer <redacted>"}})");
    // The response itself is what the server sent.
    BOOST_TEST(res.text().find(bearer_token) != std::string_view::npos);
}

BOOST_AUTO_TEST_CASE(echoed_non_ascii_password_redacted)
{
    // Messages escape the non-ASCII letter of the password: the status
    // message re-serializes a JSON body, and a body that is not JSON is
    // quoted as a Python bytes literal.
    mock_transport mock;
    cc::basic_content_client<mock_transport, cc::basic_auth> api(mock, {.base_url = "http://api.test"},
                                                                  cc::basic_auth(basic_user, basic_password));
    mock.push(403, R"({"user":"leak-user","password":")" + basic_password + R"("})");
    mock.push(200, "password=" + basic_password);

    cc::error_code ec;
    cc::diagnostics info;
    api.http_request("GET", "/items", {}, ec, info);
    BOOST_TEST(ec == cc::errc::authentication_failed);
    BOOST_TEST(info.message == "Error in API call [403] - Forbidden\n"
                               R"({"user": "leak-user", "password": "<redacted>"})");

    api.http_request("GET", "/items", {}, ec, info);
    BOOST_TEST(ec == cc::errc::invalid_response);
    BOOST_TEST(info.message == "Failed to parse json object from response: b'password=<redacted>'");
}

BOOST_AUTO_TEST_CASE(latin1_echo_of_utf8_token_redacted)
{
    // "t\u00f6ken" in UTF-8; a server that reads header bytes as Latin-1
    // echoes it as "t\u00c3\u00b6ken".
    const std::string token = "t\xc3\xb6ken-Zq7";
    mock_transport mock;
    cc::basic_content_client<mock_transport, cc::bearer_token_auth> api(mock, {.base_url = "http://api.test"},
                                                                         cc::bearer_token_auth(token));
    mock.push(401, R"({"Authorization":"Bearer t\u00c3\u00b6ken-Zq7"})");

    cc::error_code ec;
    cc::diagnostics info;
    api.http_request("GET", "/items", {}, ec, info);

    BOOST_TEST(ec == cc::errc::authentication_failed);
    BOOST_TEST(info.message == "Error in API call [401] - Unauthorized\n"
                               R"({"Authorization": "Bearer <redacted>"})");
}

BOOST_AUTO_TEST_CASE(redaction_helpers_replace_secrets)
{
    BOOST_TEST(cc::detail::redact("key=ab%2F and ab, abc", {"ab", "", "ab%2F"}) ==
               "key=<redacted> and <redacted>, <redacted>c");
    BOOST_TEST(cc::detail::redact("no secret here", {}) == "no secret here");
    BOOST_TEST(cc::detail::redact_url_passwords("GET http://u:p%40ss@h.test/x and https://[::1]:8443/y?a=b@c") ==
               "GET http://u:<redacted>@h.test/x and https://[::1]:8443/y?a=b@c");
    BOOST_TEST(cc::detail::redact_url_passwords("'ftp://user:pw@[::1' and http://user@h.test/") ==
               "'ftp://user:<redacted>@[::1' and http://user@h.test/");
}

BOOST_AUTO_TEST_CASE(handlers_list_their_secret_values)
{
    auto values_of = [](const cc::any_auth& auth) {
        std::string joined;
        for (const auto& value : auth.secret_values())
            joined += value + "\n";
        return joined;
    };

    auto key_values = values_of(cc::api_key_auth(api_key, std::nullopt, "api_key"));
    BOOST_TEST(key_values.find(api_key + "\n") != std::string::npos);
    BOOST_TEST(key_values.find("AK-7f3c%2Fkey%2Bvalue%3D9\n") != std::string::npos);

    BOOST_TEST(values_of(cc::bearer_token_auth(bearer_token)).find(bearer_token + "\n") != std::string::npos);

    auto basic_values = values_of(cc::basic_auth(basic_user, basic_password));
    BOOST_TEST(basic_values.find(basic_password + "\n") != std::string::npos);
    BOOST_TEST(basic_values.find("bGVhay11c2VyOkJQLXBhc3Mvd8O2cmQrNA==\n") != std::string::npos);
    BOOST_TEST(basic_values.find(basic_user + "\n") == std::string::npos);

    auto oauth_values = values_of(make_oauth());
    BOOST_TEST(oauth_values.find(oauth_secret + "\n") != std::string::npos);
    BOOST_TEST(oauth_values.find("OS-oauth%2Fsecret%2B9%3Dx\n") != std::string::npos);

    BOOST_TEST(cc::any_auth().secret_values().empty());
}

BOOST_AUTO_TEST_CASE(configuration_errors_hide_credentials)
{
    std::vector<produced_text> texts;
    auto add = [&](std::string source, std::string text) { texts.push_back({std::move(source), std::move(text)}); };

    add("api_key_auth with CR LF in the key",
        configuration_message([] { cc::api_key_auth a(api_key + "\r\nX-Injected: 1", "X-API-Key"); }));
    add("bearer_token_auth with LF in the token",
        configuration_message([] { cc::bearer_token_auth b(bearer_token + "\n"); }));
    add("basic_auth with ':' in the user name",
        configuration_message([] { cc::basic_auth b("a:" + basic_password, basic_password); }));
    add("base_url with user information and another scheme", configuration_message([] {
            cc::basic_content_client<mock_transport> api(
                mock_transport(), {.base_url = "ftp://url-user:" + userinfo_password + "@api.test/"});
        }));
    add("base_url with user information that does not parse", configuration_message([] {
            cc::basic_content_client<mock_transport> api(
                mock_transport(), {.base_url = "http://url-user:" + userinfo_password + "@[::1/"});
        }));
    add("client_options.headers with CR LF", configuration_message([] {
            cc::basic_content_client<mock_transport> api(
                mock_transport(), {.base_url = "http://api.test",
                                   .headers = {{"X-API-Key", api_key}, {"X-Trace", "a\r\nb"}}});
        }));

    for (const auto& [source, text] : texts)
        BOOST_TEST(text != "no configuration_error", source);

    mock_transport mock;
    cc::basic_content_client<mock_transport> api(mock, {.base_url = "http://api.test"});
    cc::error_code ec;
    cc::diagnostics info;
    api.http_request("GET", "", {.full_url = "ftp://url-user:" + userinfo_password + "@api.test/x"}, ec, info);
    BOOST_TEST(ec == cc::errc::invalid_configuration);
    add("full_url with user information and another scheme", info.message);
    api.http_request("GET", "", {.auth = cc::basic_credentials{"a:b", call_password}}, ec, info);
    BOOST_TEST(ec == cc::errc::invalid_configuration);
    add("request_options.auth with ':' in the user name", info.message);
    BOOST_TEST(mock.request_count() == 0u);

    for (const auto& text : texts)
        BOOST_TEST_CONTEXT(text.source) { expect_no_secret({text}); }
}

BOOST_AUTO_TEST_CASE(redirect_messages_hide_credentials)
{
    // The real transport builds these messages; the mock does not follow redirects.
    const std::string from = "http://url-user:" + userinfo_password + "@api.test/v1/items?api_key=AK-7f3c%2Fkey%2Bvalue%3D9";
    cc::detail::url_parts from_parts;
    std::string error;
    BOOST_TEST_REQUIRE(cc::detail::parse_url_parts(from, from_parts, error));

    cc::request current;
    current.method = "GET";
    current.url = from;
    current.headers = {{"Authorization", "Bearer " + bearer_token}, {"X-API-Key", api_key}};

    std::vector<produced_text> texts{{"url_parts.location", from_parts.location},
                                     {"url_parts.host_and_port", from_parts.host_and_port}};
    for (const std::string& location : {std::string("http://[::1"), "ftp://url-user:" + userinfo_password + "@other.test/"}) {
        cc::request next;
        cc::detail::url_parts next_parts;
        std::string message;
        BOOST_TEST(!cc::detail::make_redirect_request(current, from_parts, 302, location, {}, next, next_parts,
                                                      message));
        texts.push_back({"the redirect error for Location " + location, message});
    }
    cc::detail::url_parts ignored;
    std::string invalid;
    BOOST_TEST(!cc::detail::parse_url_parts("http://url-user:" + userinfo_password + "@[::1/", ignored, invalid));
    texts.push_back({"parse_url_parts error", invalid});

    expect_no_secret(texts);
}

BOOST_AUTO_TEST_CASE(proxy_url_errors_hide_password)
{
    const std::string credentials = "proxy-user:" + proxy_password + "@";
    std::vector<produced_text> texts;
    const std::vector<std::string> invalid_urls = {"socks5://" + credentials + "proxy.test:1080",
                                                   "http://" + credentials + "proxy.test:0",
                                                   "http://" + credentials + "[::1", "http://" + credentials + ":3128"};
    for (const auto& url : invalid_urls) {
        auto message = configuration_message([&] { cc::detail::parse_proxy_url("HTTPS_PROXY", url); });
        BOOST_TEST(message != "no configuration_error", url);
        texts.push_back({"the proxy URL error for " + url, message});
    }

    auto proxy = cc::detail::parse_proxy_url("HTTPS_PROXY", "http://" + credentials + "proxy.test:3128");
    BOOST_TEST(proxy.authorization == "Basic cHJveHktdXNlcjpQUC1wcm94eS1wdy0zZjlk");
    texts.push_back({"proxy_endpoint.host_and_port", proxy.host_and_port});

    expect_no_secret(texts);
}

BOOST_AUTO_TEST_SUITE_END()
