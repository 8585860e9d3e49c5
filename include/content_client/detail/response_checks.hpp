// Status validation, error messages and resp_type checks, as BaseClient words them.
#ifndef CONTENT_CLIENT_DETAIL_RESPONSE_CHECKS_HPP
#define CONTENT_CLIENT_DETAIL_RESPONSE_CHECKS_HPP

#include <content_client/detail/text.hpp>
#include <content_client/error.hpp>
#include <content_client/options.hpp>
#include <content_client/response.hpp>

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

namespace content_client::detail {

/// The maximum number of body bytes quoted in a "Failed to parse" message.
inline constexpr std::size_t max_quoted_body = 4096;

/// Tells whether `status` is valid: listed in `ok_codes` when that is not
/// empty, else below 400 (BaseClient's `_is_status_code_valid`).
inline bool status_is_valid(int status, const std::vector<int>& ok_codes)
{
    if (!ok_codes.empty())
        return std::find(ok_codes.begin(), ok_codes.end(), status) != ok_codes.end();
    return status < 400;
}

/// The error code of an invalid status: 429 `rate_limited`, 401 and 403
/// `authentication_failed`, any other `http_status`.
inline errc status_error_code(int status) noexcept
{
    if (status == 429)
        return errc::rate_limited;
    if (status == 401 || status == 403)
        return errc::authentication_failed;
    return errc::http_status;
}

/// BaseClient's message for an invalid status: `Error in API call [404] - Not Found`,
/// a newline, and the body re-serialized as Python's `json.dumps` would when
/// it is JSON, else the body as it came.
inline std::string status_error_message(const response& res)
{
    std::string message = "Error in API call [" + std::to_string(res.status()) + "] - " + std::string(res.reason()) + "\n";
    auto body = res.text();
    if (body.find_first_not_of(" \t\r\n") != std::string_view::npos) {
        auto parsed = res.try_json();
        if (!parsed.error()) {
            append_python_json(message, parsed.value_unsafe());
            return message;
        }
    }
    message += body;
    return message;
}

/// The message of a network failure, with BaseClient's wording for the
/// failures it translates and the transport's detail on the next line.
inline std::string network_error_message(const error_code& ec, std::string_view detail, bool verify)
{
    std::string head;
    if (ec == errc::connect_timeout) {
        head = "Connection Timeout Error - potential reasons might be that the Server URL parameter is incorrect or "
               "that the Server is not accessible from your host.";
    } else if (ec == errc::tls_failed && verify) {
        head = "SSL Certificate Verification Failed - try selecting 'Trust any certificate' checkbox in the "
               "integration configuration.";
    } else if (ec == errc::proxy_failed) {
        head = "Proxy Error - if the 'Use system proxy' checkbox in the integration configuration is selected, try "
               "clearing the checkbox.";
    } else if (ec == errc::connection_failed || ec == errc::connection_reset || ec == errc::protocol_error) {
        // requests raises ConnectionError for these, a broken status line included.
        const char* type = ec == errc::connection_failed  ? "connection_failed"
                           : ec == errc::connection_reset ? "connection_reset"
                                                          : "protocol_error";
        head = "Verify that the server URL parameter is correct and that you have access to the server from your "
               "host.\nError Type: <content_client::errc::" +
               std::string(type) + ">";
    }
    if (head.empty())
        return std::string(detail.empty() ? std::string_view(ec.message()) : detail);
    if (!detail.empty()) {
        head += '\n';
        head += detail;
    }
    return head;
}

/// Checks the body against `resp_type` as BaseClient's `cast_response` does.
/// Returns false and sets `message` when it does not decode.
inline bool check_resp_type(const response& res, const request_options& options, std::string& message)
{
    const auto type = options.resp_type.value_or(resp_type::json);
    if (options.return_empty_response) {
        static const std::vector<int> default_codes{204};
        const auto& codes = options.empty_valid_codes.empty() ? default_codes : options.empty_valid_codes;
        if (std::find(codes.begin(), codes.end(), res.status()) != codes.end())
            return true;
    }

    auto quoted_body = [&] {
        auto body = res.text();
        std::string out = python_bytes_repr(body.substr(0, max_quoted_body));
        if (body.size() > max_quoted_body)
            out += " (first " + std::to_string(max_quoted_body) + " of " + std::to_string(body.size()) + " bytes)";
        return out;
    };

    if (type == resp_type::json) {
        // An empty body is an empty object, so a 204 never fails here.
        if (!res.try_json().error())
            return true;
        message = "Failed to parse json object from response: " + quoted_body();
        return false;
    }

    if (type == resp_type::xml) {
        std::istringstream input{std::string(res.text())};
        boost::property_tree::ptree tree;
        try {
            if (res.text().find('<') == std::string_view::npos)
                throw boost::property_tree::xml_parser_error("no element found", "", 1);
            boost::property_tree::read_xml(input, tree);
        } catch (const boost::property_tree::xml_parser_error& e) {
            message = "Failed to parse xml object from response: " + quoted_body() + "\n" + e.message() + " at line " +
                      std::to_string(e.line());
            return false;
        }
    }
    return true;
}

}  // namespace content_client::detail

#endif
