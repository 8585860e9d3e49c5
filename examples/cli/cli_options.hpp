// The command line of content-client: parsing, help text, output and exit statuses.
//
// The flags and exit statuses are a public interface of the library: scripts
// depend on them, so change them only in ways that keep old command lines working.
#ifndef CONTENT_CLIENT_EXAMPLES_CLI_OPTIONS_HPP
#define CONTENT_CLIENT_EXAMPLES_CLI_OPTIONS_HPP

#include <content_client/auth/oauth2_client_credentials.hpp>
#include <content_client/breaker/circuit_breaker.hpp>
#include <content_client/error.hpp>
#include <content_client/options.hpp>
#include <content_client/rate_limit/token_bucket.hpp>
#include <content_client/response.hpp>
#include <content_client/retry/exponential_retry.hpp>

#include <boost/json/parser.hpp>
#include <boost/json/value.hpp>

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <limits>
#include <optional>
#include <ostream>
#include <sstream>
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

/// The largest accepted `--max-attempts`.
inline constexpr int max_attempts_limit = 1000;

/// The largest accepted `--repeat`, `--burst` and `--breaker-threshold`.
inline constexpr int max_count = 1000000;

/// The environment variables that stand in for the secret flags.
namespace environment {
inline constexpr std::string_view bearer = "CONTENT_CLIENT_BEARER";
inline constexpr std::string_view api_key = "CONTENT_CLIENT_API_KEY";
inline constexpr std::string_view basic = "CONTENT_CLIENT_BASIC";
inline constexpr std::string_view client_secret = "CONTENT_CLIENT_CLIENT_SECRET";
}  // namespace environment

/// Looks up an environment variable; no value when it is unset.
using environment_lookup = std::function<std::optional<std::string>(std::string_view name)>;

/// Reads the process environment with `std::getenv`.
inline std::optional<std::string> process_environment(std::string_view name)
{
    const char* value = std::getenv(std::string(name).c_str());
    if (!value)
        return std::nullopt;
    return std::string(value);
}

/// The authentication scheme a command line chooses.
enum class auth_scheme { none, bearer, api_key, basic, oauth2 };

/// The authentication flags as given, and the scheme they choose.
///
/// `parse_command_line` fills the secrets that the flags leave out from the
/// environment and sets `scheme`. `make_auth` builds the handler.
struct auth_choice {
    auth_scheme scheme = auth_scheme::none;
    std::optional<std::string> bearer_token{};
    std::optional<std::string> api_key{};
    std::optional<std::string> api_key_header{};
    std::optional<std::string> api_key_param{};
    /// `USER:PASSWORD`, split at the first colon.
    std::optional<std::string> basic{};
    std::optional<std::string> token_url{};
    std::optional<std::string> client_id{};
    std::optional<std::string> client_secret{};
    std::optional<std::string> scope{};
    std::optional<std::string> audience{};
    /// The `--state-file` path, where the OAuth2 token is kept between runs; empty for none.
    std::string state_file{};
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
    /// The `exponential_retry` settings, set by any of its flags; without
    /// them the client retries as BaseClient does (`--retries`).
    std::optional<content_client::retry_policy> retry{};
    /// The token bucket; a rate of 0 (the default) means no limit.
    content_client::rate_limit_policy rate_limit{};
    /// The circuit breaker, set by its flags; without them it never opens.
    std::optional<content_client::circuit_breaker_policy> breaker{};
    auth_choice auth{};
    /// How many times the request is sent, one call after the other.
    int repeat = 1;
    /// Write one line per attempt to standard error.
    bool verbose = false;
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
    // The value is not quoted: a mistyped "Authorization Bearer TOKEN" carries a credential.
    if (colon == std::string_view::npos || colon == 0)
        throw usage_error("invalid value for " + std::string(flag) +
                          ": expected 'Name: value', a header name, a colon and the value (the value given is "
                          "not shown, because it may contain a credential)");
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
    // The value is not quoted: a query parameter may carry an API key.
    if (equals == std::string_view::npos || equals == 0)
        throw usage_error("invalid value for " + std::string(flag) +
                          ": expected name=value (the value given is not shown, because it may contain a "
                          "credential)");
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

/// Parses a number of seconds from 0 (when `allow_zero`) or above 0, to 365 days.
inline content_client::seconds_f parse_seconds(std::string_view flag, std::string_view value, bool allow_zero)
{
    double seconds = 0;
    if (!parse_finite_double(value, seconds) || seconds < 0 || (!allow_zero && seconds == 0) ||
        seconds > max_timeout_seconds)
        reject_value(flag, value,
                     allow_zero ? "a number of seconds from 0 to 31536000 (365 days)"
                                : "a number of seconds greater than 0 and at most 31536000 (365 days)");
    return content_client::seconds_f{seconds};
}

/// Parses a whole number from `min` to `max`.
inline int parse_count(std::string_view flag, std::string_view value, int min, int max)
{
    int count = 0;
    if (!parse_int(value, count) || count < min || count > max)
        reject_value(flag, value, "a whole number from " + std::to_string(min) + " to " + std::to_string(max));
    return count;
}

/// Returns the retry settings, creating them: any retry flag selects `exponential_retry`.
inline content_client::retry_policy& retry_settings(command& cmd)
{
    if (!cmd.retry)
        cmd.retry.emplace();
    return *cmd.retry;
}

inline void set_max_attempts(command& cmd, std::string_view flag, std::string_view value)
{
    retry_settings(cmd).max_attempts = parse_count(flag, value, 1, max_attempts_limit);
}

inline void set_initial_delay(command& cmd, std::string_view flag, std::string_view value)
{
    retry_settings(cmd).initial_delay = parse_seconds(flag, value, true);
}

inline void set_max_delay(command& cmd, std::string_view flag, std::string_view value)
{
    retry_settings(cmd).max_delay = parse_seconds(flag, value, false);
}

inline void set_multiplier(command& cmd, std::string_view flag, std::string_view value)
{
    double multiplier = 0;
    if (!parse_finite_double(value, multiplier) || multiplier < 1.0)
        reject_value(flag, value, "a number of at least 1.0");
    retry_settings(cmd).multiplier = multiplier;
}

inline void set_jitter(command& cmd, std::string_view flag, std::string_view value)
{
    double jitter = 0;
    if (!parse_finite_double(value, jitter) || jitter < 0.0 || jitter > 1.0)
        reject_value(flag, value, "a fraction from 0.0 to 1.0, such as 0.2 for 20 %");
    retry_settings(cmd).jitter = jitter;
}

inline void set_max_retry_after(command& cmd, std::string_view flag, std::string_view value)
{
    retry_settings(cmd).max_retry_after = parse_seconds(flag, value, true);
}

inline void set_rate(command& cmd, std::string_view flag, std::string_view value)
{
    double rate = 0;
    if (!parse_finite_double(value, rate) || rate < 0)
        reject_value(flag, value, "a number of requests per second, 0 or more (0 means no limit)");
    cmd.rate_limit.rate_per_second = rate;
}

inline void set_burst(command& cmd, std::string_view flag, std::string_view value)
{
    cmd.rate_limit.burst = parse_count(flag, value, 1, max_count);
}

/// Returns the breaker settings, creating them with the reference's defaults.
inline content_client::circuit_breaker_policy& breaker_settings(command& cmd)
{
    if (!cmd.breaker)
        cmd.breaker.emplace();
    return *cmd.breaker;
}

inline void set_breaker_threshold(command& cmd, std::string_view flag, std::string_view value)
{
    breaker_settings(cmd).failure_threshold = parse_count(flag, value, 1, max_count);
}

inline void set_breaker_recovery(command& cmd, std::string_view flag, std::string_view value)
{
    breaker_settings(cmd).recovery_timeout = parse_seconds(flag, value, false);
}

inline void set_execution(command& cmd, std::string_view flag, std::string_view value)
{
    cmd.client.timeouts.execution = parse_seconds(flag, value, false);
}

inline void set_safety_buffer(command& cmd, std::string_view flag, std::string_view value)
{
    cmd.client.timeouts.safety_buffer = parse_seconds(flag, value, false);
}

inline void set_repeat(command& cmd, std::string_view flag, std::string_view value)
{
    cmd.repeat = parse_count(flag, value, 1, max_count);
}

inline void set_verbose(command& cmd, std::string_view, std::string_view)
{
    cmd.verbose = true;
}

/// Returns a non-empty flag value. The message never shows the value,
/// because these flags carry secrets or their companions.
inline std::string non_empty(std::string_view flag, std::string_view value)
{
    if (value.empty())
        throw usage_error("empty value for " + std::string(flag) + ": expected a non-empty value");
    return std::string(value);
}

inline void set_bearer(command& cmd, std::string_view flag, std::string_view value)
{
    cmd.auth.bearer_token = non_empty(flag, value);
}

inline void set_api_key(command& cmd, std::string_view flag, std::string_view value)
{
    cmd.auth.api_key = non_empty(flag, value);
}

inline void set_api_key_header(command& cmd, std::string_view flag, std::string_view value)
{
    cmd.auth.api_key_header = non_empty(flag, value);
}

inline void set_api_key_param(command& cmd, std::string_view flag, std::string_view value)
{
    cmd.auth.api_key_param = non_empty(flag, value);
}

inline void set_basic(command& cmd, std::string_view flag, std::string_view value)
{
    cmd.auth.basic = non_empty(flag, value);
}

inline void set_token_url(command& cmd, std::string_view flag, std::string_view value)
{
    cmd.auth.token_url = non_empty(flag, value);
}

inline void set_client_id(command& cmd, std::string_view flag, std::string_view value)
{
    cmd.auth.client_id = non_empty(flag, value);
}

inline void set_client_secret(command& cmd, std::string_view flag, std::string_view value)
{
    cmd.auth.client_secret = non_empty(flag, value);
}

inline void set_scope(command& cmd, std::string_view flag, std::string_view value)
{
    cmd.auth.scope = non_empty(flag, value);
}

inline void set_audience(command& cmd, std::string_view flag, std::string_view value)
{
    cmd.auth.audience = non_empty(flag, value);
}

inline void set_state_file(command& cmd, std::string_view flag, std::string_view value)
{
    cmd.auth.state_file = parse_path(flag, value);
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
    {"--max-attempts", '\0', true, set_max_attempts},
    {"--initial-delay", '\0', true, set_initial_delay},
    {"--max-delay", '\0', true, set_max_delay},
    {"--multiplier", '\0', true, set_multiplier},
    {"--jitter", '\0', true, set_jitter},
    {"--max-retry-after", '\0', true, set_max_retry_after},
    {"--rate", '\0', true, set_rate},
    {"--burst", '\0', true, set_burst},
    {"--breaker-threshold", '\0', true, set_breaker_threshold},
    {"--breaker-recovery", '\0', true, set_breaker_recovery},
    {"--execution", '\0', true, set_execution},
    {"--safety-buffer", '\0', true, set_safety_buffer},
    {"--repeat", '\0', true, set_repeat},
    {"--verbose", 'v', false, set_verbose},
    {"--bearer", '\0', true, set_bearer},
    {"--api-key", '\0', true, set_api_key},
    {"--api-key-header", '\0', true, set_api_key_header},
    {"--api-key-param", '\0', true, set_api_key_param},
    {"--basic", '\0', true, set_basic},
    {"--oauth2-token-url", '\0', true, set_token_url},
    {"--client-id", '\0', true, set_client_id},
    {"--client-secret", '\0', true, set_client_secret},
    {"--scope", '\0', true, set_scope},
    {"--audience", '\0', true, set_audience},
    {"--state-file", '\0', true, set_state_file},
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

/// Returns the non-empty value of the environment variable `name`, if any.
inline std::optional<std::string> lookup(const environment_lookup& env, std::string_view name)
{
    if (!env)
        return std::nullopt;
    auto value = env(name);
    if (value && value->empty())
        return std::nullopt;
    return value;
}

/// Sets `auth.scheme` and fills the secrets that the flags leave out from the environment.
///
/// The flags choose at most one scheme. When they choose none, one of
/// CONTENT_CLIENT_BEARER, CONTENT_CLIENT_API_KEY and CONTENT_CLIENT_BASIC may
/// choose it. No message shows a secret.
inline void resolve_auth(auth_choice& auth, const environment_lookup& env)
{
    struct chosen_scheme {
        auth_scheme scheme;
        std::string_view source;
    };
    std::vector<chosen_scheme> by_flags;
    if (auth.bearer_token)
        by_flags.push_back({auth_scheme::bearer, "--bearer"});
    if (auth.api_key || auth.api_key_header || auth.api_key_param)
        by_flags.push_back({auth_scheme::api_key, auth.api_key          ? "--api-key"
                                                  : auth.api_key_header ? "--api-key-header"
                                                                        : "--api-key-param"});
    if (auth.basic)
        by_flags.push_back({auth_scheme::basic, "--basic"});
    if (auth.token_url || auth.client_id || auth.client_secret || auth.scope || auth.audience)
        by_flags.push_back({auth_scheme::oauth2, auth.token_url     ? "--oauth2-token-url"
                                                 : auth.client_id     ? "--client-id"
                                                 : auth.client_secret ? "--client-secret"
                                                 : auth.scope         ? "--scope"
                                                                      : "--audience"});
    if (by_flags.size() > 1)
        throw usage_error(std::string(by_flags[0].source) + " and " + std::string(by_flags[1].source) +
                          " choose different authentication schemes; give the flags of one scheme only");

    if (!by_flags.empty()) {
        auth.scheme = by_flags.front().scheme;
    } else {
        std::vector<chosen_scheme> by_environment;
        if (lookup(env, environment::bearer))
            by_environment.push_back({auth_scheme::bearer, environment::bearer});
        if (lookup(env, environment::api_key))
            by_environment.push_back({auth_scheme::api_key, environment::api_key});
        if (lookup(env, environment::basic))
            by_environment.push_back({auth_scheme::basic, environment::basic});
        if (by_environment.size() > 1)
            throw usage_error("the environment variables " + std::string(by_environment[0].source) + " and " +
                              std::string(by_environment[1].source) +
                              " choose different authentication schemes; unset one of them, or choose a scheme "
                              "with a flag");
        auth.scheme = by_environment.empty() ? auth_scheme::none : by_environment.front().scheme;
    }

    switch (auth.scheme) {
    case auth_scheme::none:
        break;
    case auth_scheme::bearer:
        if (!auth.bearer_token)
            auth.bearer_token = lookup(env, environment::bearer);
        break;
    case auth_scheme::api_key:
        if (!auth.api_key)
            auth.api_key = lookup(env, environment::api_key);
        if (!auth.api_key)
            throw usage_error("missing API key: give --api-key KEY or set CONTENT_CLIENT_API_KEY");
        if (!auth.api_key_header && !auth.api_key_param)
            throw usage_error("the API key needs a place: give --api-key-header NAME, --api-key-param NAME, or both");
        break;
    case auth_scheme::basic:
        if (!auth.basic)
            auth.basic = lookup(env, environment::basic);
        if (auth.basic->find(':') == std::string::npos)
            throw usage_error("invalid value for --basic (or CONTENT_CLIENT_BASIC): expected USER:PASSWORD with a "
                              "colon after the user name; the value is not shown because it contains a password");
        break;
    case auth_scheme::oauth2:
        if (!auth.client_secret)
            auth.client_secret = lookup(env, environment::client_secret);
        if (!auth.token_url)
            throw usage_error("--client-id, --client-secret, --scope and --audience need --oauth2-token-url URL");
        if (!auth.client_id)
            throw usage_error("--oauth2-token-url needs --client-id ID");
        if (!auth.client_secret)
            throw usage_error("--oauth2-token-url needs the client secret: give --client-secret SECRET or set "
                              "CONTENT_CLIENT_CLIENT_SECRET");
        break;
    }

    if (!auth.state_file.empty() && auth.scheme != auth_scheme::oauth2)
        throw usage_error("--state-file keeps the OAuth2 token between runs, so it needs --oauth2-token-url");
}

}  // namespace detail

/// Parses the arguments after the program name.
///
/// Accepts `--flag VALUE`, `--flag=VALUE`, `-H VALUE` and `-HVALUE`, and `--`
/// ends the flags. The request is sent to `full_url` with an empty URL suffix,
/// because joining an absolute URL onto `base_url` would append a `/` to its path.
/// Throws `usage_error` for an unknown flag, a missing or invalid value, a
/// flag without the flag it needs, or a wrong number of arguments. The URL
/// itself is checked by the client. `env` supplies the secrets that the
/// flags leave out (see `environment`).
inline command parse_command_line(std::span<const std::string_view> args,
                                  const environment_lookup& env = process_environment)
{
    command cmd;
    std::vector<std::string_view> positional;
    // The long names of the flags on the command line, for the checks that combine flags.
    std::vector<std::string_view> given_flags;
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
        given_flags.push_back(spec->long_name);

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

    auto was_given = [&](std::string_view name) {
        return std::find(given_flags.begin(), given_flags.end(), name) != given_flags.end();
    };
    if (cmd.retry && was_given("--backoff-factor"))
        throw usage_error("--backoff-factor sets BaseClient's retry schedule, which the exponential retry flags "
                          "replace; give --initial-delay and --multiplier instead");
    if (was_given("--burst") && cmd.rate_limit.rate_per_second == 0)
        throw usage_error("--burst needs --rate with a rate above 0");
    if (was_given("--safety-buffer") && !cmd.client.timeouts.execution)
        throw usage_error("--safety-buffer needs --execution");
    if (const auto& execution = cmd.client.timeouts.execution;
        execution && *execution <= cmd.client.timeouts.safety_buffer)
    {
        std::ostringstream buffer;
        buffer << cmd.client.timeouts.safety_buffer.count();
        throw usage_error("--execution must be longer than the safety buffer of " + buffer.str() +
                          " s, which --safety-buffer sets (default 30 s)");
    }
    detail::resolve_auth(cmd.auth, env);
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

Sends an HTTP request with content_client and writes the response body to
standard output. Without the policy flags below the client behaves as the
XSOAR BaseClient: no retry unless --retries is given, no rate limit, no
circuit breaker and no authentication.

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
  --repeat N
        Send the request N times, one call after the other (1 to 1000000),
        through one client, so that the rate limit and the circuit breaker
        apply across the calls. Each response is written as one output;
        each failure is reported on standard error and the calls go on.
        Default: 1.
  -v, --verbose
        Write one line per attempt to standard error: the method, the URL
        without its query, the status or the error, the latency and the
        delay before the next attempt.
  -h, --help
        Print this help and exit.

Retry with exponential backoff (any of these flags replaces BaseClient's
retry schedule; --retries and --retry-status still override the attempt
count and the statuses, and --backoff-factor is rejected):
  --max-attempts N
        Attempts per call, the first included (1 to 1000). Default: 5.
  --initial-delay SECONDS
        Delay before the second attempt (0 or more). Default: 1.
  --multiplier F
        Factor between one delay and the next (at least 1.0). Default: 2.
  --max-delay SECONDS
        Largest delay, jitter included (greater than 0). Default: 60.
  --jitter F
        Fraction of each delay added or removed at random (0.0 to 1.0).
        Default: 0.2.
  --max-retry-after SECONDS
        Longest Retry-After the client waits (0 or more). A longer one ends
        the call at once with the status's error. Default: 900.
  Retried: 408, 413, 425, 429, 500, 502, 503, 504 and network failures. A
  Retry-After field replaces the computed delay.

Rate limit (a token bucket that every attempt, retries included, takes one
token from):
  --rate R
        Tokens added per second (0 or more; 0 means no limit). Default: 0.
  --burst N
        Tokens the bucket holds and starts with (1 to 1000000). Needs
        --rate. Default: 1.

Circuit breaker (without these flags it never opens):
  --breaker-threshold N
        Failed calls in a row that open the breaker (1 to 1000000).
        Default: 5.
  --breaker-recovery SECONDS
        Time the breaker stays open before one probe call goes through
        (greater than 0). Default: 60.

Execution deadline:
  --execution SECONDS
        Length of the execution window, which starts when the client is
        created. An attempt, a retry delay or a rate-limit wait that would
        end within the safety buffer of the window's end is not started,
        and the call fails with a timeout (exit 13). When the wait is a
        server's Retry-After, the call fails at once with the status's
        error instead (exit 12 for 429, 10 for 503).
  --safety-buffer SECONDS
        Time kept free at the end of the window (greater than 0, less than
        --execution). Needs --execution. Default: 30.

Authentication (give the flags of one scheme):
  --bearer TOKEN
        Send 'Authorization: Bearer TOKEN'.
  --api-key KEY
        Send KEY in the header --api-key-header NAME, in the query
        parameter --api-key-param NAME, or in both; one of them is needed.
  --basic USER:PASSWORD
        Send HTTP Basic credentials; the password starts after the first
        colon.
  --oauth2-token-url URL --client-id ID --client-secret SECRET
        Fetch a token with the OAuth2 client-credentials grant from URL,
        send it as a bearer token, refresh it 60 s before it expires, and
        fetch a new one once when the API answers 401. --scope S and
        --audience A add those fields to the token request.
  --state-file PATH
        Keep the OAuth2 token in the JSON file PATH (mode 0600), so that
        the next run reuses it until it expires. PATH.lock, created next to
        it, serializes writers. Needs --oauth2-token-url.

Environment:
  CONTENT_CLIENT_BEARER            the value of --bearer
  CONTENT_CLIENT_API_KEY           the value of --api-key
  CONTENT_CLIENT_BASIC             the value of --basic (USER:PASSWORD)
  CONTENT_CLIENT_CLIENT_SECRET     the value of --client-secret
  A variable is read only when its flag is not given, so that secrets
  need not appear in the process list. When no authentication flag is
  given, CONTENT_CLIENT_BEARER, CONTENT_CLIENT_API_KEY (with
  --api-key-header or --api-key-param) or CONTENT_CLIENT_BASIC chooses the
  scheme; setting two of them is an error. Messages never show a secret.

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
  11  authentication failed: 401 or 403, or the OAuth2 token request or
      the state file failed (authentication_error)
  12  rate limited: 429 (rate_limit_error)
  13  a timeout: connect, read, write or the whole attempt (timeout_error)
  14  the circuit breaker is open (circuit_open_error)
  15  retries exhausted (retry_error)
  16  the connection, the TLS handshake or the proxy failed
)";

}  // namespace content_client_cli

#endif
