// The command line of content-client: parsing, help text, output and exit statuses.
//
// The flags and exit statuses are a public interface of the library: scripts
// depend on them, so change them only in ways that keep old command lines working.
#ifndef CONTENT_CLIENT_EXAMPLES_CLI_OPTIONS_HPP
#define CONTENT_CLIENT_EXAMPLES_CLI_OPTIONS_HPP

#include <content_client/error.hpp>
#include <content_client/options.hpp>
#include <content_client/response.hpp>

#include <boost/json/parser.hpp>
#include <boost/json/value.hpp>

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <ostream>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace content_client_cli {

/// Exit statuses of content-client, one per error class of the library.
namespace exit_status {
inline constexpr int success = 0;
/// Invalid command line, or an option value the client rejects (`configuration_error`).
inline constexpr int usage = 2;
/// An invalid response status, a body that does not decode, or any other failure (`error`).
inline constexpr int api_error = 10;
inline constexpr int authentication = 11;
inline constexpr int rate_limited = 12;
inline constexpr int timed_out = 13;
inline constexpr int circuit_open = 14;
inline constexpr int retries_exhausted = 15;
/// A connection, TLS or proxy failure.
inline constexpr int connection = 16;
}  // namespace exit_status

/// The largest accepted `--retries`, so that the attempt count stays far from `int` overflow.
inline constexpr int max_retries = 1000;

/// The largest accepted `--timeout` in seconds (365 days). Deadlines are
/// computed in nanoseconds on a 64-bit clock, so a much larger value would overflow.
inline constexpr double max_timeout_seconds = 365.0 * 24 * 3600;

/// An invalid command line. `what()` names the flag and the value and ends
/// with a pointer to `--help`.
class usage_error : public std::runtime_error {
public:
    explicit usage_error(const std::string& message) : std::runtime_error(message + "; see content-client --help") {}
};

/// A parsed command line: the request to send and how to print its result.
struct command {
    /// Set by `-h` or `--help`, after which nothing else is parsed.
    bool show_help = false;
    std::string method{};
    /// The absolute URL, sent as `request_options::full_url`.
    std::string url{};
    content_client::client_options client{};
    content_client::request_options request{};
    /// The `--resp-type` value, `json` unless given.
    content_client::resp_type output = content_client::resp_type::json;
};

namespace detail {

/// Quotes a command-line value for a message, shortened to its first 80 bytes.
inline std::string quote(std::string_view value)
{
    constexpr std::size_t max_quoted = 80;
    if (value.size() <= max_quoted)
        return "'" + std::string(value) + "'";
    return "'" + std::string(value.substr(0, max_quoted)) + "...' (" + std::to_string(value.size()) + " bytes)";
}

[[noreturn]] inline void reject_value(std::string_view flag, std::string_view value, std::string_view expected)
{
    throw usage_error("invalid value " + quote(value) + " for " + std::string(flag) + ": expected " +
                      std::string(expected));
}

/// Parses a whole decimal integer, rejecting a '+' sign, spaces and trailing text.
inline bool parse_int(std::string_view text, int& out)
{
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, out);
    return !text.empty() && ec == std::errc() && ptr == end;
}

/// Parses a whole decimal or scientific number, rejecting infinities and NaN.
inline bool parse_finite_double(std::string_view text, double& out)
{
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, out);
    return !text.empty() && ec == std::errc() && ptr == end && std::isfinite(out);
}

inline constexpr std::string_view status_list_rule = "a comma-separated list of statuses from 100 to 599, such as 200,201";

/// Parses `200,201` into statuses from 100 to 599.
inline std::vector<int> parse_status_list(std::string_view flag, std::string_view value)
{
    std::vector<int> statuses;
    std::string_view rest = value;
    while (true) {
        auto comma = rest.find(',');
        auto item = rest.substr(0, comma);
        int status = 0;
        if (!parse_int(item, status) || status < 100 || status > 599)
            reject_value(flag, value, status_list_rule);
        statuses.push_back(status);
        if (comma == std::string_view::npos)
            break;
        rest.remove_prefix(comma + 1);
    }
    return statuses;
}

/// Parses `Name: value` as curl's `-H` does: the name up to the first colon,
/// the value after it without leading and trailing spaces and tabs.
inline void add_header(command& cmd, std::string_view flag, std::string_view value)
{
    auto colon = value.find(':');
    if (colon == std::string_view::npos || colon == 0)
        reject_value(flag, value, "'Name: value', a header name, a colon and the value");
    auto name = value.substr(0, colon);
    auto field = value.substr(colon + 1);
    auto first = field.find_first_not_of(" \t");
    field = first == std::string_view::npos ? std::string_view() : field.substr(first);
    field = field.substr(0, field.find_last_not_of(" \t") + 1);
    cmd.request.headers.add(std::string(name), std::string(field));
}

inline void add_param(command& cmd, std::string_view flag, std::string_view value)
{
    auto equals = value.find('=');
    if (equals == std::string_view::npos || equals == 0)
        reject_value(flag, value, "name=value");
    cmd.request.params.emplace_back(std::string(value.substr(0, equals)), std::string(value.substr(equals + 1)));
}

/// Parses `--json` with Boost.JSON. The error names the parse error and its byte offset.
inline void set_json(command& cmd, std::string_view flag, std::string_view value)
{
    boost::json::parser parser;
    boost::system::error_code ec;
    std::size_t consumed = parser.write(value.data(), value.size(), ec);
    if (ec)
        throw usage_error("invalid JSON in " + std::string(flag) + ": " + ec.message() + " at byte " +
                          std::to_string(consumed) + " of " + quote(value));
    cmd.request.json_data = parser.release();
}

inline void set_data(command& cmd, std::string_view, std::string_view value)
{
    cmd.request.data = std::string(value);
}

inline void set_ok_codes(command& cmd, std::string_view flag, std::string_view value)
{
    cmd.client.ok_codes = parse_status_list(flag, value);
}

inline void set_resp_type(command& cmd, std::string_view flag, std::string_view value)
{
    using content_client::resp_type;
    if (value == "json")
        cmd.output = resp_type::json;
    else if (value == "text")
        cmd.output = resp_type::text;
    else if (value == "content")
        cmd.output = resp_type::content;
    else if (value == "xml")
        cmd.output = resp_type::xml;
    else if (value == "response")
        cmd.output = resp_type::response;
    else
        reject_value(flag, value, "one of json, text, content, xml, response");
    cmd.request.resp_type = cmd.output;
}

/// Sets the attempt timeout, and raises the read and write timeouts to it, so
/// that a timeout above their 60 s defaults is honoured.
inline void set_timeout(command& cmd, std::string_view flag, std::string_view value)
{
    double seconds = 0;
    if (!parse_finite_double(value, seconds) || seconds <= 0 || seconds > max_timeout_seconds)
        reject_value(flag, value, "a number of seconds greater than 0 and at most 31536000 (365 days)");
    const content_client::seconds_f timeout{seconds};
    auto& timeouts = cmd.client.timeouts;
    cmd.client.timeout = timeout;
    timeouts.read = std::max(timeouts.read, timeout);
    timeouts.write = std::max(timeouts.write, timeout);
}

inline void set_retries(command& cmd, std::string_view flag, std::string_view value)
{
    int retries = 0;
    if (!parse_int(value, retries) || retries < 0 || retries > max_retries)
        reject_value(flag, value, "a whole number from 0 to " + std::to_string(max_retries));
    cmd.request.retries = retries;
}

inline void set_retry_status(command& cmd, std::string_view flag, std::string_view value)
{
    cmd.request.status_list_to_retry = parse_status_list(flag, value);
}

inline void set_backoff_factor(command& cmd, std::string_view flag, std::string_view value)
{
    double factor = 0;
    if (!parse_finite_double(value, factor) || factor < 0)
        reject_value(flag, value, "a number of seconds of 0 or more");
    cmd.request.backoff_factor = factor;
}

inline void set_insecure(command& cmd, std::string_view, std::string_view)
{
    cmd.client.verify = false;
}

inline void set_proxy(command& cmd, std::string_view, std::string_view)
{
    cmd.client.proxy = true;
}

/// Returns `value` as a file path. The file itself is checked when the client is created.
inline std::string parse_path(std::string_view flag, std::string_view value)
{
    if (value.empty())
        reject_value(flag, value, "a file path");
    return std::string(value);
}

inline void set_ca_file(command& cmd, std::string_view flag, std::string_view value)
{
    cmd.client.ca_file = parse_path(flag, value);
}

inline void set_client_cert(command& cmd, std::string_view flag, std::string_view value)
{
    cmd.client.client_cert_file = parse_path(flag, value);
}

inline void set_client_key(command& cmd, std::string_view flag, std::string_view value)
{
    cmd.client.client_key_file = parse_path(flag, value);
}

inline void set_no_redirects(command& cmd, std::string_view, std::string_view)
{
    cmd.request.allow_redirects = false;
}

/// The largest `--max-redirects` value accepted.
inline constexpr int max_redirects_limit = 1000;

inline void set_max_redirects(command& cmd, std::string_view flag, std::string_view value)
{
    int redirects = 0;
    if (!parse_int(value, redirects) || redirects < 0 || redirects > max_redirects_limit)
        reject_value(flag, value, "a whole number from 0 to " + std::to_string(max_redirects_limit));
    cmd.client.max_redirects = redirects;
}

/// One flag: its names, whether it takes a value, and what it sets.
struct flag_spec {
    std::string_view long_name;
    char short_name;
    bool takes_value;
    void (*apply)(command&, std::string_view flag, std::string_view value);
};

inline constexpr flag_spec flags[] = {
    {"--header", 'H', true, add_header},
    {"--param", 'p', true, add_param},
    {"--json", '\0', true, set_json},
    {"--data", '\0', true, set_data},
    {"--ok-codes", '\0', true, set_ok_codes},
    {"--resp-type", '\0', true, set_resp_type},
    {"--timeout", '\0', true, set_timeout},
    {"--retries", '\0', true, set_retries},
    {"--retry-status", '\0', true, set_retry_status},
    {"--backoff-factor", '\0', true, set_backoff_factor},
    {"--insecure", '\0', false, set_insecure},
    {"--proxy", '\0', false, set_proxy},
    {"--ca-file", '\0', true, set_ca_file},
    {"--cert", '\0', true, set_client_cert},
    {"--key", '\0', true, set_client_key},
    {"--no-redirects", '\0', false, set_no_redirects},
    {"--max-redirects", '\0', true, set_max_redirects},
};

inline const flag_spec* find_long_flag(std::string_view name)
{
    for (const auto& spec : flags)
        if (spec.long_name == name)
            return &spec;
    return nullptr;
}

inline const flag_spec* find_short_flag(char name)
{
    for (const auto& spec : flags)
        if (spec.short_name == name)
            return &spec;
    return nullptr;
}

}  // namespace detail

/// Parses the arguments after the program name.
///
/// Accepts `--flag VALUE`, `--flag=VALUE`, `-H VALUE` and `-HVALUE`, and `--`
/// ends the flags. The request is sent to `full_url` with an empty URL suffix,
/// because joining an absolute URL onto `base_url` would append a `/` to its path.
/// Throws `usage_error` for an unknown flag, a missing or invalid value, or a
/// wrong number of arguments. The URL itself is checked by the client.
inline command parse_command_line(std::span<const std::string_view> args)
{
    command cmd;
    std::vector<std::string_view> positional;
    bool flags_ended = false;

    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string_view arg = args[i];
        if (flags_ended || arg.size() < 2 || arg.front() != '-') {
            positional.push_back(arg);
            continue;
        }
        if (arg == "--") {
            flags_ended = true;
            continue;
        }
        if (arg == "-h" || arg == "--help") {
            cmd.show_help = true;
            return cmd;
        }

        // Split the flag from a value written in the same argument.
        const detail::flag_spec* spec = nullptr;
        std::string_view flag;
        std::optional<std::string_view> attached;
        if (arg.starts_with("--")) {
            auto equals = arg.find('=');
            flag = arg.substr(0, equals);
            if (equals != std::string_view::npos)
                attached = arg.substr(equals + 1);
            spec = detail::find_long_flag(flag);
        } else {
            flag = arg.substr(0, 2);
            if (arg.size() > 2)
                attached = arg.substr(2);
            spec = detail::find_short_flag(arg[1]);
        }
        if (!spec)
            throw usage_error("unknown option " + detail::quote(flag));

        if (!spec->takes_value) {
            if (attached)
                throw usage_error("option " + std::string(flag) + " takes no value, but " + detail::quote(*attached) +
                                  " was given");
            spec->apply(cmd, flag, {});
            continue;
        }
        std::string_view value;
        if (attached) {
            value = *attached;
        } else if (i + 1 < args.size()) {
            value = args[++i];
        } else {
            throw usage_error("missing value for " + std::string(flag));
        }
        spec->apply(cmd, flag, value);
    }

    if (cmd.request.json_data && !cmd.request.data.empty())
        throw usage_error("--json and --data both set a body; give only one of them");
    if (cmd.client.client_cert_file.empty() != cmd.client.client_key_file.empty())
        throw usage_error("--cert and --key go together: give both for a client certificate, or neither");
    if (positional.size() != 2)
        throw usage_error("expected METHOD and URL, got " + std::to_string(positional.size()) +
                          (positional.size() == 1 ? " argument" : " arguments"));
    cmd.method = positional[0];
    cmd.url = positional[1];
    cmd.request.full_url = cmd.url;
    cmd.request.resp_type = cmd.output;
    return cmd;
}

/// Returns the exit status for an exception thrown by the client.
///
/// The most derived error class decides. A plain `error` is a connection
/// failure when its code is `connection_failed`, `connection_reset`,
/// `tls_failed` or `proxy_failed`.
inline int exit_status_for(const content_client::error& e) noexcept
{
    namespace cc = content_client;
    if (dynamic_cast<const cc::configuration_error*>(&e))
        return exit_status::usage;
    if (dynamic_cast<const cc::authentication_error*>(&e))
        return exit_status::authentication;
    if (dynamic_cast<const cc::rate_limit_error*>(&e))
        return exit_status::rate_limited;
    if (dynamic_cast<const cc::timeout_error*>(&e))
        return exit_status::timed_out;
    if (dynamic_cast<const cc::circuit_open_error*>(&e))
        return exit_status::circuit_open;
    if (dynamic_cast<const cc::retry_error*>(&e))
        return exit_status::retries_exhausted;

    const auto& code = e.code();
    if (code == cc::errc::connection_failed || code == cc::errc::connection_reset || code == cc::errc::tls_failed ||
        code == cc::errc::proxy_failed)
        return exit_status::connection;
    return exit_status::api_error;
}

/// Writes the result of a successful call to `out` in the form `type` selects.
///
/// json: the body re-serialized compactly on one line, then a newline. text,
/// content and xml: the body bytes unchanged. response: `HTTP STATUS REASON`,
/// one `Name: value` line per header field, a blank line, then the body.
inline void write_response(std::ostream& out, const content_client::response& res, content_client::resp_type type)
{
    using content_client::resp_type;
    const auto body = res.text();
    switch (type) {
    case resp_type::json:
        out << simdjson::to_string(res.json()) << '\n';
        return;
    case resp_type::response:
        out << "HTTP " << res.status() << ' ' << res.reason() << '\n';
        for (const auto& [name, value] : res.headers())
            out << name << ": " << value << '\n';
        out << '\n';
        out.write(body.data(), static_cast<std::streamsize>(body.size()));
        return;
    case resp_type::text:
    case resp_type::content:
    case resp_type::xml:
        out.write(body.data(), static_cast<std::streamsize>(body.size()));
        return;
    }
}

/// The text `content-client --help` prints.
inline constexpr std::string_view help_text = R"(Usage: content-client [options] METHOD URL

Sends an HTTP request with content_client's base_client, which behaves as
the XSOAR BaseClient, and writes the response body to standard output.

Arguments:
  METHOD    the HTTP method, for example GET, POST, PUT, PATCH or DELETE
  URL       the absolute http:// or https:// URL to call

Options (each option with a value also accepts --option=VALUE):
  -H, --header 'NAME: VALUE'
        Add a request header field. Repeatable. The client adds User-Agent
        unless one is given, and Content-Type for --json unless one is given.
  -p, --param NAME=VALUE
        Add a query parameter, form-encoded and appended to the URL's query.
        Repeatable.
  --json TEXT
        Send TEXT, which must be valid JSON, as the body with
        Content-Type: application/json.
  --data TEXT
        Send TEXT as the body, unchanged. Give --json or --data, not both.
  --ok-codes LIST
        Comma-separated statuses that count as success, for example 200,201.
        Default: every status below 400.
  --resp-type TYPE
        How the body is checked and printed: json, text, content, xml or
        response. Default: json.
  --timeout SECONDS
        Bound on the whole attempt, in seconds (greater than 0, at most
        31536000). Default: 60. The read and write timeouts are raised to at
        least this value. Connecting is bounded by 10 s or SECONDS, whichever
        is smaller.
  --retries N
        Retries after the first attempt, as BaseClient's urllib3 Retry makes
        them (0 to 1000). Default: 0. A network failure before the request
        was sent is retried for every method. A network failure after it,
        or a status, is retried only for GET, POST, PUT, PATCH and DELETE.
        A status is retried when it is in --retry-status, or when it is 413,
        429 or 503 and the response has a Retry-After field.
  --retry-status LIST
        Comma-separated statuses to retry, for example 429,503. Default: none.
  --backoff-factor SECONDS
        Backoff factor F, in seconds (0 or more). Before retry k the client
        waits 0 s for k = 1 and F * 2^(k-1) s after that (2F, 4F, ...), at
        most 120 s. A Retry-After field replaces that wait. Default: 5.
  --insecure
        Do not verify the server's TLS certificate and host name.
  --proxy
        Use HTTPS_PROXY, HTTP_PROXY and NO_PROXY from the environment.
  --ca-file PATH
        Trust the CA certificates in the PEM file PATH instead of the
        system trust store.
  --cert PATH
        Present the PEM client certificate (or chain) in PATH when the
        server requests one (mutual TLS). Needs --key.
  --key PATH
        The unencrypted PEM private key of --cert.
  --no-redirects
        Print a redirect response instead of following it.
  --max-redirects N
        Follow at most N redirects (0 to 1000). Default: 30. One more
        redirect fails the request.
  -h, --help
        Print this help and exit.

Output:
  json       the body, parsed and written compactly on one line, then a newline
             (an empty body prints {})
  text, content
             the body bytes as received
  xml        the body bytes as received, after checking that it is well-formed XML
  response   'HTTP STATUS REASON', one 'Name: value' line per header field,
             a blank line, then the body bytes as received
  On failure nothing is written to standard output, and the error message,
  prefixed with 'content-client: ', goes to standard error.

Exit status:
  0   success
  2   invalid command line, or an option value the client rejects, such as a
      URL that is not absolute or an invalid header name (configuration_error)
  10  an invalid status, such as 404 or 500 (error); also a body that does
      not decode as --resp-type, and any failure not listed below
  11  authentication failed: 401 or 403 (authentication_error)
  12  rate limited: 429 (rate_limit_error)
  13  a timeout: connect, read, write or the whole attempt (timeout_error)
  14  the circuit breaker is open (circuit_open_error)
  15  retries exhausted (retry_error)
  16  the connection, the TLS handshake or the proxy failed
)";

}  // namespace content_client_cli

#endif
