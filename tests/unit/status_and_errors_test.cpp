// Status validation, BaseClient's error messages, error classes and network failures.
#include <content_client/basic_content_client.hpp>
#include <content_client/testing/mock_transport.hpp>

#include <boost/test/unit_test.hpp>

#include <stdexcept>
#include <string>

#include "errc_printer.hpp"

namespace cc = content_client;
using cc::testing::mock_transport;
using cc::testing::network_failure;

namespace {

using client_type = cc::basic_content_client<mock_transport>;

// The exception a custom error handler throws, unrelated to content_client::error.
struct handler_failure : std::runtime_error {
    int status;
    explicit handler_failure(int s) : std::runtime_error("handler saw " + std::to_string(s)), status(s) {}
};

// Sends one GET that the mock replies to with `status` and `body`, and returns the error code.
cc::error_code status_code_of(int status, std::string body, cc::request_options options = {},
                              cc::client_options client_opts = {.base_url = "https://api.test"})
{
    mock_transport mock;
    client_type api(mock, std::move(client_opts));
    mock.push(status, std::move(body));
    cc::error_code ec;
    api.http_request("GET", "/x", std::move(options), ec);
    return ec;
}

// Returns the message that the throwing form raises for one scripted reply.
std::string message_for(int status, std::string body)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock.push(status, std::move(body));
    try {
        api.http_request("GET", "/x");
    } catch (const cc::error& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(status_and_errors)

BOOST_AUTO_TEST_CASE(status_below_400_valid_by_default)
{
    BOOST_TEST(!status_code_of(200, "{}"));
    BOOST_TEST(!status_code_of(201, "{}"));
    BOOST_TEST(!status_code_of(302, ""));
    BOOST_TEST(!status_code_of(399, ""));
    BOOST_TEST(status_code_of(400, "") == cc::errc::http_status);
    BOOST_TEST(status_code_of(500, "") == cc::errc::http_status);
}

BOOST_AUTO_TEST_CASE(redirect_status_valid_by_default)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock.push(301, "", {{"Location", "https://api.test/new"}});

    auto res = api.http_request("GET", "/old", {.allow_redirects = false});

    BOOST_TEST(res.status() == 301);
}

BOOST_AUTO_TEST_CASE(client_ok_codes_replace_default_rule)
{
    cc::client_options client_opts{.base_url = "https://api.test", .ok_codes = {200, 404}};

    BOOST_TEST(!status_code_of(404, "{}", {}, client_opts));
    BOOST_TEST(status_code_of(201, "{}", {}, client_opts) == cc::errc::http_status);
}

BOOST_AUTO_TEST_CASE(call_ok_codes_override_client_ok_codes)
{
    cc::client_options client_opts{.base_url = "https://api.test", .ok_codes = {200}};

    BOOST_TEST(!status_code_of(500, "{}", {.ok_codes = {500}}, client_opts));
    BOOST_TEST(status_code_of(200, "{}", {.ok_codes = {500}}, client_opts) == cc::errc::http_status);
}

BOOST_AUTO_TEST_CASE(status_message_reserializes_json_body)
{
    BOOST_TEST(message_for(404, R"({"error":"x"})") == "Error in API call [404] - Not Found\n{\"error\": \"x\"}");
}

BOOST_AUTO_TEST_CASE(status_message_uses_python_separators)
{
    BOOST_TEST(message_for(400, R"({"a":[1,2,{"b":null}],"c":true,"d":false})") ==
               "Error in API call [400] - Bad Request\n{\"a\": [1, 2, {\"b\": null}], \"c\": true, \"d\": false}");
    BOOST_TEST(message_for(400, R"(  [ ]  )") == "Error in API call [400] - Bad Request\n[]");
    BOOST_TEST(message_for(400, R"({})") == "Error in API call [400] - Bad Request\n{}");
}

BOOST_AUTO_TEST_CASE(status_message_escapes_non_ascii)
{
    // U+00E9, U+20AC and U+1F600 (a surrogate pair in Python's output).
    BOOST_TEST(message_for(400, "{\"m\":\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"}") ==
               "Error in API call [400] - Bad Request\n{\"m\": \"caf\\u00e9 \\u20ac \\ud83d\\ude00\"}");
}

BOOST_AUTO_TEST_CASE(status_message_escapes_control_characters)
{
    BOOST_TEST(message_for(400, R"({"m":"a\"b\\c\n\t\u0001\/"})") ==
               "Error in API call [400] - Bad Request\n{\"m\": \"a\\\"b\\\\c\\n\\t\\u0001/\"}");
}

BOOST_AUTO_TEST_CASE(status_message_formats_numbers_as_python)
{
    BOOST_TEST(message_for(400, R"({"i":-7,"u":18446744073709551615,"f":1.5,"g":2.0,"h":1e2})") ==
               "Error in API call [400] - Bad Request\n{\"i\": -7, \"u\": 18446744073709551615, \"f\": 1.5, "
               "\"g\": 2.0, \"h\": 100.0}");
}

BOOST_AUTO_TEST_CASE(status_message_floats_match_python_repr)
{
    // Python's repr switches to exponent notation below 1e-4 and from 1e16 on.
    BOOST_TEST(message_for(400, R"([100000.0,1e15,1e16,0.0001,0.00001,1.25e-7,123456789.5,1.5e300,-0.0])") ==
               "Error in API call [400] - Bad Request\n[100000.0, 1000000000000000.0, 1e+16, 0.0001, 1e-05, "
               "1.25e-07, 123456789.5, 1.5e+300, -0.0]");
}

BOOST_AUTO_TEST_CASE(status_message_keeps_raw_non_json_body)
{
    BOOST_TEST(message_for(502, "<html>bad gateway</html>") ==
               "Error in API call [502] - Bad Gateway\n<html>bad gateway</html>");
}

BOOST_AUTO_TEST_CASE(status_message_with_empty_body)
{
    BOOST_TEST(message_for(500, "") == "Error in API call [500] - Internal Server Error\n");
    BOOST_TEST(message_for(500, "  ") == "Error in API call [500] - Internal Server Error\n  ");
}

BOOST_AUTO_TEST_CASE(status_message_uses_server_reason)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    cc::testing::mock_reply reply;
    reply.status = 404;
    reply.reason = "Nope";
    reply.body = "gone";
    mock.push(reply);

    cc::error_code ec;
    cc::diagnostics info;
    api.http_request("GET", "/x", {}, ec, info);

    BOOST_TEST(info.message == "Error in API call [404] - Nope\ngone");
}

BOOST_AUTO_TEST_CASE(status_404_raises_base_error)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock.push(404, R"({"error":"x"})");

    try {
        api.http_request("GET", "/x");
        BOOST_FAIL("expected content_client::error");
    } catch (const cc::authentication_error&) {
        BOOST_FAIL("404 is not an authentication error");
    } catch (const cc::rate_limit_error&) {
        BOOST_FAIL("404 is not a rate-limit error");
    } catch (const cc::error& e) {
        BOOST_TEST(e.code() == cc::errc::http_status);
        BOOST_TEST((e.code().category() == cc::error_category()));
        BOOST_TEST(e.response() != nullptr);
        BOOST_TEST(e.response()->status() == 404);
        BOOST_TEST(e.response()->text() == R"({"error":"x"})");
        BOOST_TEST(e.attempts() == 1);
    }
}

BOOST_AUTO_TEST_CASE(status_429_raises_rate_limit_error)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock.push(429, "slow down", {{"Retry-After", "7"}});

    try {
        api.http_request("GET", "/x");
        BOOST_FAIL("expected rate_limit_error");
    } catch (const cc::rate_limit_error& e) {
        BOOST_TEST(e.code() == cc::errc::rate_limited);
        BOOST_TEST(e.response() != nullptr);
        BOOST_TEST(e.response()->status() == 429);
        BOOST_TEST(e.attempts() == 1);
        BOOST_TEST(e.retry_after().has_value());
        BOOST_TEST(e.retry_after().value_or(cc::seconds_f(0)).count() == 7.0);
        BOOST_TEST(std::string(e.what()) == "Error in API call [429] - Too Many Requests\nslow down");
    }
}

BOOST_AUTO_TEST_CASE(status_401_and_403_raise_authentication_error)
{
    for (int status : {401, 403}) {
        mock_transport mock;
        client_type api(mock, {.base_url = "https://api.test"});
        mock.push(status, R"({"detail":"no"})");

        try {
            api.http_request("GET", "/x");
            BOOST_FAIL("expected authentication_error");
        } catch (const cc::authentication_error& e) {
            BOOST_TEST(e.code() == cc::errc::authentication_failed);
            BOOST_TEST(e.response() != nullptr);
            BOOST_TEST(e.response()->status() == status);
            BOOST_TEST(e.attempts() == 1);
            BOOST_TEST(std::string(e.what()).starts_with("Error in API call [" + std::to_string(status) + "] - "));
        }
    }
}

BOOST_AUTO_TEST_CASE(throwing_error_handler_propagates_unchanged)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock.push(404, "gone");
    int calls = 0;
    auto handler = [&calls](const cc::response& res) {
        ++calls;
        throw handler_failure(res.status());
    };

    try {
        api.http_request("GET", "/x", {.error_handler = handler});
        BOOST_FAIL("expected handler_failure");
    } catch (const handler_failure& e) {
        BOOST_TEST(e.status == 404);
        BOOST_TEST(std::string(e.what()) == "handler saw 404");
    }
    BOOST_TEST(calls == 1);
}

BOOST_AUTO_TEST_CASE(throwing_error_handler_escapes_non_throwing_form)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock.push(500, "");
    auto handler = [](const cc::response& res) { throw handler_failure(res.status()); };

    cc::error_code ec;
    BOOST_CHECK_THROW(api.http_request("GET", "/x", {.error_handler = handler}, ec), handler_failure);
}

BOOST_AUTO_TEST_CASE(returning_error_handler_accepts_response)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock.push(404, R"({"items":[]})");
    int calls = 0;
    auto handler = [&calls](const cc::response&) { ++calls; };

    auto res = api.http_request("GET", "/x", {.error_handler = handler});

    BOOST_TEST(calls == 1);
    BOOST_TEST(res.status() == 404);
    BOOST_TEST(res.json()["items"].is_array());
}

BOOST_AUTO_TEST_CASE(error_handler_not_called_for_valid_status)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock.push(200, "{}");
    int calls = 0;

    api.http_request("GET", "/x", {.error_handler = [&calls](const cc::response&) { ++calls; }});

    BOOST_TEST(calls == 0);
}

BOOST_AUTO_TEST_CASE(returning_error_handler_still_casts_body)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock.push(500, "not json");

    cc::error_code ec;
    cc::diagnostics info;
    api.http_request("GET", "/x", {.error_handler = [](const cc::response&) {}}, ec, info);

    BOOST_TEST(ec == cc::errc::invalid_response);
    BOOST_TEST(info.message == "Failed to parse json object from response: b'not json'");
}

BOOST_AUTO_TEST_CASE(non_throwing_form_reports_code_and_response)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock.push(404, R"({"error":"x"})");

    cc::error_code ec;
    auto res = api.http_request("GET", "/x", {}, ec);

    BOOST_TEST(ec == cc::errc::http_status);
    BOOST_TEST(ec.message() == "invalid response status");
    BOOST_TEST(res.status() == 404);
    BOOST_TEST(res.text() == R"({"error":"x"})");
}

BOOST_AUTO_TEST_CASE(non_throwing_form_fills_diagnostics)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock.push(429, "later", {{"Retry-After", "3"}});

    cc::error_code ec;
    cc::diagnostics info;
    auto res = api.http_request("GET", "/x", {}, ec, info);

    BOOST_TEST(ec == cc::errc::rate_limited);
    BOOST_TEST(info.message == "Error in API call [429] - Too Many Requests\nlater");
    BOOST_TEST(info.attempts == 1);
    BOOST_TEST(info.last_response.has_value());
    BOOST_TEST(info.last_response.value_or(cc::response()).status() == 429);
    BOOST_TEST(info.retry_after.value_or(cc::seconds_f(0)).count() == 3.0);
    BOOST_TEST(res.status() == 429);
}

BOOST_AUTO_TEST_CASE(non_throwing_form_matches_throwing_message)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock.push(403, R"({"m":"denied"})");
    mock.push(403, R"({"m":"denied"})");

    cc::error_code ec;
    cc::diagnostics info;
    api.http_request("GET", "/x", {}, ec, info);
    std::string thrown;
    cc::error_code thrown_code;
    try {
        api.http_request("GET", "/x");
    } catch (const cc::error& e) {
        thrown = e.what();
        thrown_code = e.code();
    }

    BOOST_TEST(ec == thrown_code);
    BOOST_TEST(info.message == thrown);
}

BOOST_AUTO_TEST_CASE(non_throwing_form_clears_code_on_success)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock.push(200, "{}");
    cc::error_code ec = cc::make_error_code(cc::errc::http_status);

    api.http_request("GET", "/x", {}, ec);

    BOOST_TEST(!ec);
}

BOOST_AUTO_TEST_CASE(connect_error_uses_connection_message)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock.push(network_failure::connect_error);

    try {
        api.http_request("GET", "/x");
        BOOST_FAIL("expected content_client::error");
    } catch (const cc::timeout_error&) {
        BOOST_FAIL("a refused connection is not a timeout");
    } catch (const cc::error& e) {
        const std::string message = e.what();
        BOOST_TEST(e.code() == cc::errc::connection_failed);
        BOOST_TEST(e.response() == nullptr);
        BOOST_TEST(e.attempts() == 1);
        BOOST_TEST(message.starts_with("Verify that the server URL parameter is correct and that you have access to "
                                       "the server from your host.\nError Type: "
                                       "<content_client::errc::connection_failed>\n"));
        BOOST_TEST(message.find("Connection refused") != std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(connect_timeout_uses_timeout_message)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock.push(network_failure::connect_timeout);

    try {
        api.http_request("GET", "/x");
        BOOST_FAIL("expected timeout_error");
    } catch (const cc::timeout_error& e) {
        BOOST_TEST(e.code() == cc::errc::connect_timeout);
        BOOST_TEST(e.response() == nullptr);
        BOOST_TEST(std::string(e.what()).starts_with(
            "Connection Timeout Error - potential reasons might be that the Server URL parameter is incorrect or that "
            "the Server is not accessible from your host.\n"));
    }
}

BOOST_AUTO_TEST_CASE(read_timeout_raises_timeout_error)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock.push(network_failure::read_timeout);

    try {
        api.http_request("GET", "/x");
        BOOST_FAIL("expected timeout_error");
    } catch (const cc::timeout_error& e) {
        BOOST_TEST(e.code() == cc::errc::read_timeout);
        BOOST_TEST(e.response() == nullptr);
        BOOST_TEST(std::string(e.what()) == "no response from https://api.test/x within the read timeout");
    }
}

BOOST_AUTO_TEST_CASE(connection_reset_uses_connection_message)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock.push(network_failure::connection_reset);

    cc::error_code ec;
    cc::diagnostics info;
    api.http_request("GET", "/x", {}, ec, info);

    BOOST_TEST(ec == cc::errc::connection_reset);
    BOOST_TEST(info.message.starts_with("Verify that the server URL parameter is correct and that you have access to "
                                        "the server from your host.\nError Type: "
                                        "<content_client::errc::connection_reset>\n"));
    BOOST_CHECK_THROW(cc::throw_error(ec, info), cc::error);
}

BOOST_AUTO_TEST_CASE(protocol_error_uses_connection_message)
{
    // requests raises ConnectionError for a broken status line, so BaseClient
    // words it as a connection failure.
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock.push(network_failure::protocol_error);

    try {
        api.http_request("GET", "/x");
        BOOST_FAIL("expected content_client::error");
    } catch (const cc::timeout_error&) {
        BOOST_FAIL("a protocol error is not a timeout");
    } catch (const cc::error& e) {
        BOOST_TEST(e.code() == cc::errc::protocol_error);
        BOOST_TEST(std::string(e.what()).starts_with(
            "Verify that the server URL parameter is correct and that you have access to the server from your "
            "host.\nError Type: <content_client::errc::protocol_error>\n"));
        BOOST_TEST(std::string(e.what()).find("invalid HTTP response") != std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(truncated_body_reports_transport_detail)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock.push(network_failure::truncated_body);

    try {
        api.http_request("GET", "/x");
        BOOST_FAIL("expected content_client::error");
    } catch (const cc::timeout_error&) {
        BOOST_FAIL("a truncated body is not a timeout");
    } catch (const cc::error& e) {
        BOOST_TEST(e.code() == cc::errc::truncated_body);
        BOOST_TEST(std::string(e.what()) == "response from https://api.test/x ended before its Content-Length (scripted)");
    }
}

BOOST_AUTO_TEST_CASE(write_timeout_raises_timeout_error)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock.push(network_failure::write_timeout);

    cc::error_code ec;
    api.http_request("GET", "/x", {}, ec);

    BOOST_TEST(ec == cc::errc::write_timeout);
    BOOST_CHECK_THROW(cc::throw_error(ec, {}), cc::timeout_error);
}

BOOST_AUTO_TEST_CASE(execution_not_above_safety_buffer_rejected)
{
    mock_transport mock;

    try {
        client_type api(mock, {.base_url = "https://api.test",
                               .timeouts = {.execution = cc::seconds_f(30), .safety_buffer = cc::seconds_f(30)}});
        BOOST_FAIL("expected configuration_error");
    } catch (const cc::configuration_error& e) {
        const std::string message = e.what();
        BOOST_TEST(e.code() == cc::errc::invalid_configuration);
        BOOST_TEST(message.find("timeouts.execution") != std::string::npos);
        BOOST_TEST(message.find("30 s") != std::string::npos);
        BOOST_TEST(message.find("safety_buffer") != std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(non_positive_client_timeouts_rejected)
{
    mock_transport mock;
    const std::vector<std::pair<cc::client_options, std::string>> cases = {
        {{.base_url = "https://api.test", .timeout = cc::seconds_f(0)}, "client_options.timeout"},
        {{.base_url = "https://api.test", .timeout = cc::seconds_f(-1)}, "client_options.timeout"},
        {{.base_url = "https://api.test", .timeouts = {.connect = cc::seconds_f(0)}}, "timeouts.connect"},
        {{.base_url = "https://api.test", .timeouts = {.read = cc::seconds_f(-5)}}, "timeouts.read"},
        {{.base_url = "https://api.test", .timeouts = {.write = cc::seconds_f(0)}}, "timeouts.write"},
        {{.base_url = "https://api.test", .timeouts = {.pool = cc::seconds_f(0)}}, "timeouts.pool"},
        {{.base_url = "https://api.test", .timeouts = {.execution = cc::seconds_f(-1)}}, "timeouts.execution"},
    };

    for (const auto& [options, field] : cases) {
        BOOST_TEST_CONTEXT("field " << field)
        {
            try {
                client_type api(mock, options);
                BOOST_FAIL("expected configuration_error");
            } catch (const cc::configuration_error& e) {
                BOOST_TEST(std::string(e.what()).find(field) != std::string::npos);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(client_ok_code_out_of_range_rejected)
{
    mock_transport mock;

    try {
        client_type api(mock, {.base_url = "https://api.test", .ok_codes = {200, 42}});
        BOOST_FAIL("expected configuration_error");
    } catch (const cc::configuration_error& e) {
        const std::string message = e.what();
        BOOST_TEST(message.find("client_options.ok_codes") != std::string::npos);
        BOOST_TEST(message.find("42") != std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(call_ok_code_out_of_range_rejected)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});

    cc::error_code ec;
    cc::diagnostics info;
    api.http_request("GET", "/x", {.ok_codes = {42}}, ec, info);

    BOOST_TEST(ec == cc::errc::invalid_configuration);
    BOOST_TEST(info.message.find("request_options.ok_codes") != std::string::npos);
    BOOST_TEST(info.message.find("42") != std::string::npos);
    BOOST_TEST(mock.request_count() == 0u);
}

BOOST_AUTO_TEST_CASE(non_positive_call_timeout_rejected)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});

    for (double seconds : {0.0, -1.0}) {
        cc::error_code ec;
        cc::diagnostics info;
        api.http_request("GET", "/x", {.timeout = cc::seconds_f(seconds)}, ec, info);

        BOOST_TEST(ec == cc::errc::invalid_configuration);
        BOOST_TEST(info.message.find("request_options.timeout") != std::string::npos);
    }
    BOOST_TEST(mock.request_count() == 0u);
}

BOOST_AUTO_TEST_CASE(configuration_error_reports_no_attempts)
{
    mock_transport mock;
    client_type api(mock, {});

    cc::error_code ec;
    cc::diagnostics info;
    auto res = api.http_request("GET", "/x", {}, ec, info);

    BOOST_TEST(ec == cc::errc::invalid_configuration);
    BOOST_TEST(info.attempts == 0);
    BOOST_TEST(!info.last_response.has_value());
    BOOST_TEST(res.status() == 0);
}

BOOST_AUTO_TEST_SUITE_END()
