// How resp_type checks the body, empty responses and the verb helpers.
#include <content_client/basic_content_client.hpp>
#include <content_client/detail/text.hpp>
#include <content_client/testing/mock_transport.hpp>

#include <boost/test/unit_test.hpp>

#include <functional>
#include <string>
#include <string_view>

#include "errc_printer.hpp"

namespace cc = content_client;
using cc::testing::mock_transport;

namespace {

using client_type = cc::basic_content_client<mock_transport>;

// Sends one GET that the mock replies to with 200 and `body`, returns the error code and fills `info`.
cc::error_code check_body(std::string body, cc::request_options options, cc::diagnostics& info)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock.push(200, std::move(body));
    cc::error_code ec;
    api.http_request("GET", "/x", std::move(options), ec, info);
    return ec;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(resp_type)

BOOST_AUTO_TEST_CASE(json_is_default_and_parses)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock.push(200, R"({"items":[1,2,3],"next":"abc"})");

    auto res = api.http_request("GET", "/x");

    BOOST_TEST(res.json()["items"].get_array().size() == 3u);
    BOOST_TEST(std::string_view(res.json()["next"].get_string().value()) == "abc");
}

BOOST_AUTO_TEST_CASE(json_element_lives_with_response_copy)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock.push(200, R"({"n":42})");
    simdjson::dom::element element;
    cc::response copy;

    {
        auto res = api.http_request("GET", "/x");
        element = res.json();
        copy = res;
    }

    BOOST_TEST(element["n"].get_int64().value() == 42);
    BOOST_TEST(copy.json()["n"].get_int64().value() == 42);
}

BOOST_AUTO_TEST_CASE(empty_body_is_empty_object)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock.push(200, "");
    mock.push(204, " \r\n");

    auto empty = api.http_request("GET", "/x");
    auto blank = api.http_request("GET", "/x");

    BOOST_TEST(empty.json().is_object());
    BOOST_TEST(empty.json().get_object().size() == 0u);
    BOOST_TEST(blank.json().is_object());
    BOOST_TEST(blank.status() == 204);
}

BOOST_AUTO_TEST_CASE(invalid_json_raises_parse_error)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock.push(200, "not json");

    try {
        api.http_request("GET", "/x");
        BOOST_FAIL("expected content_client::error");
    } catch (const cc::error& e) {
        BOOST_TEST(std::string(e.what()) == "Failed to parse json object from response: b'not json'");
        BOOST_TEST(e.code() == cc::errc::invalid_response);
        BOOST_TEST(e.response() != nullptr);
        BOOST_TEST(e.response()->status() == 200);
        BOOST_TEST(e.attempts() == 1);
    }
}

BOOST_AUTO_TEST_CASE(response_json_throws_on_invalid_body)
{
    cc::response res(200, "OK", {}, "{broken", "https://api.test/x");

    BOOST_CHECK_THROW(res.json(), std::runtime_error);
    BOOST_TEST(res.try_json().error() != simdjson::SUCCESS);
}

BOOST_AUTO_TEST_CASE(parse_error_quotes_body_as_python_bytes)
{
    cc::diagnostics info;

    check_body("it's", {}, info);
    BOOST_TEST(info.message == "Failed to parse json object from response: b\"it's\"");

    check_body("a'b\"c", {}, info);
    BOOST_TEST(info.message == "Failed to parse json object from response: b'a\\'b\"c'");

    check_body("tab\there\r\nback\\slash", {}, info);
    BOOST_TEST(info.message == "Failed to parse json object from response: b'tab\\there\\r\\nback\\\\slash'");

    check_body("caf\xc3\xa9\x01\x7f", {}, info);
    BOOST_TEST(info.message == "Failed to parse json object from response: b'caf\\xc3\\xa9\\x01\\x7f'");

    check_body(std::string("nul\0end", 7), {}, info);
    BOOST_TEST(info.message == "Failed to parse json object from response: b'nul\\x00end'");
}

BOOST_AUTO_TEST_CASE(python_bytes_repr_matches_python)
{
    BOOST_TEST(cc::detail::python_bytes_repr("") == "b''");
    BOOST_TEST(cc::detail::python_bytes_repr("\"") == "b'\"'");
    BOOST_TEST(cc::detail::python_bytes_repr("'") == "b\"'\"");
    BOOST_TEST(cc::detail::python_bytes_repr("\x80\xff") == "b'\\x80\\xff'");
    BOOST_TEST(cc::detail::python_bytes_repr("~ ") == "b'~ '");
}

BOOST_AUTO_TEST_CASE(parse_error_shortens_long_body)
{
    cc::diagnostics info;
    std::string body(5000, 'x');

    check_body(body, {}, info);

    BOOST_TEST(info.message == "Failed to parse json object from response: b'" + std::string(4096, 'x') +
                                   "' (first 4096 of 5000 bytes)");
}

BOOST_AUTO_TEST_CASE(text_content_response_skip_checks)
{
    for (auto type : {cc::resp_type::text, cc::resp_type::content, cc::resp_type::response}) {
        mock_transport mock;
        client_type api(mock, {.base_url = "https://api.test"});
        mock.push(200, "not json");

        auto res = api.http_request("GET", "/x", {.resp_type = type});

        BOOST_TEST(res.text() == "not json");
        BOOST_TEST(res.content().size() == 8u);
        BOOST_TEST(static_cast<char>(res.content()[0]) == 'n');
    }
}

BOOST_AUTO_TEST_CASE(xml_valid_body_returns_response)
{
    cc::diagnostics info;

    auto ec = check_body(R"(<?xml version="1.0"?><a x="1"><b/>text</a>)", {.resp_type = cc::resp_type::xml}, info);

    BOOST_TEST(!ec);
}

BOOST_AUTO_TEST_CASE(xml_invalid_body_raises_error)
{
    for (std::string body : {"<a><b></a>", "not xml", "", "<a>"}) {
        BOOST_TEST_CONTEXT("body '" << body << "'")
        {
            cc::diagnostics info;

            auto ec = check_body(body, {.resp_type = cc::resp_type::xml}, info);

            BOOST_TEST(ec == cc::errc::invalid_response);
            BOOST_TEST(info.message.starts_with("Failed to parse xml object from response: "));
            BOOST_TEST(info.last_response.has_value());
        }
    }
}

BOOST_AUTO_TEST_CASE(empty_response_returned_for_204)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock.push(204, "not json");

    auto res = api.http_request("DELETE", "/x", {.return_empty_response = true});

    BOOST_TEST(res.status() == 204);
    BOOST_TEST(res.text() == "not json");
}

BOOST_AUTO_TEST_CASE(empty_response_needs_flag)
{
    cc::diagnostics info;
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock.push(204, "not json");

    cc::error_code ec;
    api.http_request("DELETE", "/x", {}, ec, info);

    BOOST_TEST(ec == cc::errc::invalid_response);
    BOOST_TEST(info.message == "Failed to parse json object from response: b'not json'");
}

BOOST_AUTO_TEST_CASE(empty_valid_codes_replace_default)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock.push(202, "accepted");
    mock.push(204, "not json");

    auto accepted = api.http_request("POST", "/x", {.return_empty_response = true, .empty_valid_codes = {202}});
    cc::error_code ec;
    api.http_request("POST", "/x", {.return_empty_response = true, .empty_valid_codes = {202}}, ec);

    BOOST_TEST(accepted.status() == 202);
    BOOST_TEST(accepted.text() == "accepted");
    BOOST_TEST(ec == cc::errc::invalid_response);
}

BOOST_AUTO_TEST_CASE(empty_response_still_checks_status)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock.push(204, "");

    cc::error_code ec;
    api.http_request("GET", "/x", {.ok_codes = {200}, .return_empty_response = true}, ec);

    BOOST_TEST(ec == cc::errc::http_status);
}

BOOST_AUTO_TEST_CASE(verb_helpers_send_their_method)
{
    using member = cc::response (client_type::*)(std::string_view, cc::request_options);
    const std::vector<std::pair<member, std::string>> helpers = {
        {&client_type::get, "GET"},     {&client_type::post, "POST"},      {&client_type::put, "PUT"},
        {&client_type::patch, "PATCH"}, {&client_type::delete_, "DELETE"},
    };

    for (const auto& [helper, method] : helpers) {
        mock_transport mock;
        client_type api(mock, {.base_url = "https://api.test"});
        mock.push(200, "plain text, not JSON");

        auto res = std::invoke(helper, api, "/v", cc::request_options{});

        BOOST_TEST(mock.requests().at(0).method == method);
        BOOST_TEST(mock.requests().at(0).url == "https://api.test/v");
        BOOST_TEST(res.text() == "plain text, not JSON");
    }
}

BOOST_AUTO_TEST_CASE(verb_helper_keeps_explicit_resp_type)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock.push(200, "not json");

    BOOST_CHECK_THROW(api.get("/v", {.resp_type = cc::resp_type::json}), cc::error);
}

BOOST_AUTO_TEST_CASE(verb_helper_still_checks_status)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock.push(500, "boom");

    BOOST_CHECK_THROW(api.post("/v"), cc::error);
}

BOOST_AUTO_TEST_CASE(post_helper_sends_json_body)
{
    mock_transport mock;
    client_type api(mock, {.base_url = "https://api.test"});
    mock.push(201, "");

    auto res = api.post("/items", {.json_data = boost::json::value{{"name", "n"}}});

    BOOST_TEST(res.status() == 201);
    BOOST_TEST(mock.requests().at(0).body == R"({"name":"n"})");
}

BOOST_AUTO_TEST_SUITE_END()
