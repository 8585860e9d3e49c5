// The policy and authentication flags of content-client, and the calls it
// makes with them, on the mock transport and its virtual clock.
#include "cli_client.hpp"
#include "cli_options.hpp"

#include <content_client/testing/mock_transport.hpp>

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <filesystem>
#include <initializer_list>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <unistd.h>
#include <vector>

namespace cc = content_client;
namespace cli = content_client_cli;
using namespace std::chrono_literals;

namespace {

using environment_map = std::map<std::string, std::string, std::less<>>;

cli::environment_lookup lookup_in(environment_map variables)
{
    return [variables = std::move(variables)](std::string_view name) -> std::optional<std::string> {
        auto found = variables.find(name);
        if (found == variables.end())
            return std::nullopt;
        return found->second;
    };
}

cli::command parse(std::initializer_list<std::string_view> args, environment_map env = {})
{
    const std::vector<std::string_view> list(args);
    return cli::parse_command_line(list, lookup_in(std::move(env)));
}

/// Returns the usage_error message for `args`, or an empty string when they parse.
std::string usage_message(std::initializer_list<std::string_view> args, environment_map env = {})
{
    try {
        parse(args, std::move(env));
    } catch (const cli::usage_error& e) {
        return e.what();
    }
    return {};
}

bool contains(std::string_view text, std::string_view part)
{
    return text.find(part) != std::string_view::npos;
}

/// The exit status and the two output streams of one run.
struct run_result {
    int status = -1;
    std::string out{};
    std::string err{};
};

run_result run(const cli::command& cmd, const cc::testing::mock_transport& mock)
{
    std::ostringstream out;
    std::ostringstream err;
    run_result result;
    result.status = cli::run_command(cmd, [&mock] { return mock; }, out, err);
    result.out = out.str();
    result.err = err.str();
    return result;
}

/// Returns the Authorization header that `auth` adds to a request.
std::string authorization_of(const cli::auth_choice& auth)
{
    auto handler = cli::make_auth(auth);
    cc::request req;
    req.method = "GET";
    req.url = "http://127.0.0.1/";
    handler.apply(req);
    return std::string(req.headers.find("Authorization").value_or(""));
}

bool is_token_request(const cc::request& req)
{
    return req.url.find("/oauth2/token") != std::string::npos;
}

/// A directory under the system's temporary directory, removed at the end of the test.
class temporary_directory {
public:
    temporary_directory()
        : path_(std::filesystem::temp_directory_path() /
                ("content_client_cli_test_" + std::to_string(::getpid()) + "_" + std::to_string(next_id_++)))
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

    const std::filesystem::path& path() const { return path_; }

private:
    static inline int next_id_ = 0;
    std::filesystem::path path_;
};

constexpr std::string_view api_url = "http://127.0.0.1:9/v1/alerts";

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_policy_flags)

BOOST_AUTO_TEST_CASE(defaults_add_no_policy)
{
    auto cmd = parse({"GET", api_url});

    BOOST_TEST(!cmd.retry.has_value());
    BOOST_TEST(cmd.rate_limit.rate_per_second == 0.0);
    BOOST_TEST(!cmd.breaker.has_value());
    BOOST_TEST(!cmd.client.timeouts.execution.has_value());
    BOOST_TEST((cmd.auth.scheme == cli::auth_scheme::none));
    BOOST_TEST(cmd.repeat == 1);
    BOOST_TEST(!cmd.verbose);
}

BOOST_AUTO_TEST_CASE(retry_flags_select_exponential_retry)
{
    auto cmd = parse({"--max-attempts", "3", "--initial-delay", "0.5", "--multiplier", "3", "--max-delay", "10",
                      "--jitter", "0", "--max-retry-after=60", "GET", api_url});

    BOOST_TEST_REQUIRE(cmd.retry.has_value());
    BOOST_TEST(cmd.retry->max_attempts == 3);
    BOOST_TEST(cmd.retry->initial_delay.count() == 0.5);
    BOOST_TEST(cmd.retry->multiplier == 3.0);
    BOOST_TEST(cmd.retry->max_delay.count() == 10.0);
    BOOST_TEST(cmd.retry->jitter == 0.0);
    BOOST_TEST(cmd.retry->max_retry_after.count() == 60.0);
}

BOOST_AUTO_TEST_CASE(one_retry_flag_keeps_other_defaults)
{
    auto cmd = parse({"--jitter", "0.1", "GET", api_url});

    BOOST_TEST_REQUIRE(cmd.retry.has_value());
    BOOST_TEST(cmd.retry->max_attempts == 5);
    BOOST_TEST(cmd.retry->initial_delay.count() == 1.0);
    BOOST_TEST(cmd.retry->jitter == 0.1);
}

BOOST_AUTO_TEST_CASE(rate_breaker_and_deadline_flags_parsed)
{
    auto cmd = parse({"--rate", "2.5", "--burst", "4", "--breaker-threshold", "3", "--breaker-recovery", "15",
                      "--execution", "300", "--safety-buffer", "20", "--repeat", "7", "-v", "GET", api_url});

    BOOST_TEST(cmd.rate_limit.rate_per_second == 2.5);
    BOOST_TEST(cmd.rate_limit.burst == 4);
    BOOST_TEST_REQUIRE(cmd.breaker.has_value());
    BOOST_TEST(cmd.breaker->failure_threshold == 3);
    BOOST_TEST(cmd.breaker->recovery_timeout.count() == 15.0);
    BOOST_TEST_REQUIRE(cmd.client.timeouts.execution.has_value());
    BOOST_TEST(cmd.client.timeouts.execution->count() == 300.0);
    BOOST_TEST(cmd.client.timeouts.safety_buffer.count() == 20.0);
    BOOST_TEST(cmd.repeat == 7);
    BOOST_TEST(cmd.verbose);
}

BOOST_AUTO_TEST_CASE(invalid_policy_values_rejected)
{
    const std::pair<std::string_view, std::string_view> cases[] = {
        {"--max-attempts", "0"},      {"--max-attempts", "1001"},    {"--max-attempts", "2.5"},
        {"--initial-delay", "-1"},    {"--initial-delay", "nan"},    {"--max-delay", "0"},
        {"--max-delay", "inf"},       {"--multiplier", "0.5"},       {"--multiplier", "x"},
        {"--jitter", "1.5"},          {"--jitter", "-0.1"},          {"--max-retry-after", "-5"},
        {"--max-retry-after", "1e9"}, {"--rate", "-1"},              {"--rate", "nan"},
        {"--burst", "0"},             {"--burst", "1000001"},        {"--breaker-threshold", "0"},
        {"--breaker-recovery", "0"},  {"--breaker-recovery", "-3"},  {"--execution", "0"},
        {"--safety-buffer", "0"},     {"--repeat", "0"},             {"--repeat", "many"},
    };
    for (const auto& [flag, value] : cases) {
        BOOST_TEST_CONTEXT(flag << ' ' << value)
        {
            auto message = usage_message({flag, value, "GET", api_url});
            BOOST_TEST(contains(message, flag));
            BOOST_TEST(contains(message, "'" + std::string(value) + "'"));
        }
    }
}

BOOST_AUTO_TEST_CASE(backoff_factor_with_exponential_retry_rejected)
{
    auto message = usage_message({"--backoff-factor", "2", "--max-attempts", "3", "GET", api_url});

    BOOST_TEST(contains(message, "--backoff-factor"));
    BOOST_TEST(contains(message, "--initial-delay"));
}

BOOST_AUTO_TEST_CASE(flags_without_companion_rejected)
{
    BOOST_TEST(contains(usage_message({"--burst", "5", "GET", api_url}), "--burst needs --rate"));
    BOOST_TEST(contains(usage_message({"--safety-buffer", "5", "GET", api_url}), "--safety-buffer needs --execution"));
}

BOOST_AUTO_TEST_CASE(execution_not_above_safety_buffer_rejected)
{
    auto message = usage_message({"--execution", "10", "GET", api_url});
    BOOST_TEST(contains(message, "--execution"));
    BOOST_TEST(contains(message, "safety buffer of 30 s"));

    BOOST_TEST(contains(usage_message({"--execution", "5", "--safety-buffer", "5", "GET", api_url}), "--execution"));
    BOOST_TEST(usage_message({"--execution", "10", "--safety-buffer", "2", "GET", api_url}).empty());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(cli_auth_flags)

BOOST_AUTO_TEST_CASE(bearer_flag_sets_header)
{
    auto cmd = parse({"--bearer", "tok-123", "GET", api_url});

    BOOST_TEST((cmd.auth.scheme == cli::auth_scheme::bearer));
    BOOST_TEST(authorization_of(cmd.auth) == "Bearer tok-123");
}

BOOST_AUTO_TEST_CASE(environment_chooses_scheme_without_flags)
{
    auto cmd = parse({"GET", api_url}, {{"CONTENT_CLIENT_BEARER", "env-token"}});

    BOOST_TEST((cmd.auth.scheme == cli::auth_scheme::bearer));
    BOOST_TEST(authorization_of(cmd.auth) == "Bearer env-token");
}

BOOST_AUTO_TEST_CASE(flag_wins_over_environment)
{
    auto cmd = parse({"--bearer", "flag-token", "GET", api_url}, {{"CONTENT_CLIENT_BEARER", "env-token"}});

    BOOST_TEST(authorization_of(cmd.auth) == "Bearer flag-token");
}

BOOST_AUTO_TEST_CASE(flags_of_other_scheme_ignore_environment)
{
    auto cmd = parse({"--basic", "user:pw", "GET", api_url}, {{"CONTENT_CLIENT_BEARER", "env-token"}});

    BOOST_TEST((cmd.auth.scheme == cli::auth_scheme::basic));
    BOOST_TEST(authorization_of(cmd.auth) == "Basic dXNlcjpwdw==");
}

BOOST_AUTO_TEST_CASE(empty_environment_variable_ignored)
{
    auto cmd = parse({"GET", api_url}, {{"CONTENT_CLIENT_BEARER", ""}});

    BOOST_TEST((cmd.auth.scheme == cli::auth_scheme::none));
}

BOOST_AUTO_TEST_CASE(two_schemes_rejected)
{
    auto message = usage_message({"--bearer", "t", "--basic", "u:p", "GET", api_url});
    BOOST_TEST(contains(message, "--bearer and --basic choose different authentication schemes"));

    message = usage_message({"--api-key-param", "key", "--client-id", "id", "GET", api_url});
    BOOST_TEST(contains(message, "--api-key-param and --client-id"));

    message = usage_message({"GET", api_url}, {{"CONTENT_CLIENT_BEARER", "t"}, {"CONTENT_CLIENT_BASIC", "u:p"}});
    BOOST_TEST(contains(message, "CONTENT_CLIENT_BEARER and CONTENT_CLIENT_BASIC"));
}

BOOST_AUTO_TEST_CASE(api_key_in_header_and_query)
{
    auto cmd = parse({"--api-key", "k-1", "--api-key-header", "X-API-Key", "--api-key-param", "api_key", "GET",
                      api_url});
    BOOST_TEST_REQUIRE((cmd.auth.scheme == cli::auth_scheme::api_key));

    auto handler = cli::make_auth(cmd.auth);
    cc::request req;
    req.method = "GET";
    req.url = std::string(api_url);
    handler.apply(req);
    BOOST_TEST(req.headers.find("X-API-Key").value_or("") == "k-1");
    BOOST_TEST(contains(req.url, "api_key=k-1"));
}

BOOST_AUTO_TEST_CASE(api_key_from_environment)
{
    auto cmd = parse({"--api-key-header", "X-API-Key", "GET", api_url}, {{"CONTENT_CLIENT_API_KEY", "env-key"}});

    BOOST_TEST_REQUIRE((cmd.auth.scheme == cli::auth_scheme::api_key));
    BOOST_TEST(cmd.auth.api_key.value_or("") == "env-key");
}

BOOST_AUTO_TEST_CASE(api_key_needs_key_and_place)
{
    BOOST_TEST(contains(usage_message({"--api-key", "k", "GET", api_url}), "--api-key-header NAME"));
    BOOST_TEST(contains(usage_message({"GET", api_url}, {{"CONTENT_CLIENT_API_KEY", "k"}}), "--api-key-param NAME"));
    BOOST_TEST(contains(usage_message({"--api-key-header", "X-Key", "GET", api_url}), "missing API key"));
}

BOOST_AUTO_TEST_CASE(basic_splits_at_first_colon)
{
    auto cmd = parse({"--basic", "svc:pa:ss", "GET", api_url});

    // base64("svc:pa:ss")
    BOOST_TEST(authorization_of(cmd.auth) == "Basic c3ZjOnBhOnNz");
}

BOOST_AUTO_TEST_CASE(basic_without_colon_hides_value)
{
    auto message = usage_message({"--basic", "no-colon-secret", "GET", api_url});

    BOOST_TEST(contains(message, "USER:PASSWORD"));
    BOOST_TEST(!contains(message, "no-colon-secret"));
}

BOOST_AUTO_TEST_CASE(oauth2_flags_build_settings)
{
    auto cmd = parse({"--oauth2-token-url", "http://127.0.0.1:9/oauth2/token", "--client-id", "collector",
                      "--client-secret", "cs-1", "--scope", "read", "--audience", "api", "GET", api_url});

    BOOST_TEST_REQUIRE((cmd.auth.scheme == cli::auth_scheme::oauth2));
    BOOST_TEST(cmd.auth.client_id.value_or("") == "collector");
    BOOST_TEST(cmd.auth.scope.value_or("") == "read");
    BOOST_TEST(cmd.auth.audience.value_or("") == "api");
    BOOST_TEST(static_cast<bool>(cli::make_auth(cmd.auth)));
}

BOOST_AUTO_TEST_CASE(oauth2_secret_from_environment)
{
    auto cmd = parse({"--oauth2-token-url", "http://127.0.0.1:9/oauth2/token", "--client-id", "collector", "GET",
                      api_url},
                     {{"CONTENT_CLIENT_CLIENT_SECRET", "env-secret"}});

    BOOST_TEST(cmd.auth.client_secret.value_or("") == "env-secret");
}

BOOST_AUTO_TEST_CASE(oauth2_missing_parts_rejected)
{
    BOOST_TEST(contains(usage_message({"--client-id", "c", "--client-secret", "s", "GET", api_url}),
                        "need --oauth2-token-url"));
    BOOST_TEST(contains(usage_message({"--oauth2-token-url", "http://127.0.0.1:9/t", "--client-secret", "s", "GET",
                                       api_url}),
                        "needs --client-id"));
    BOOST_TEST(contains(usage_message({"--oauth2-token-url", "http://127.0.0.1:9/t", "--client-id", "c", "GET",
                                       api_url}),
                        "CONTENT_CLIENT_CLIENT_SECRET"));
}

BOOST_AUTO_TEST_CASE(state_file_needs_oauth2)
{
    auto message = usage_message({"--state-file", "/tmp/state.json", "--bearer", "t", "GET", api_url});

    BOOST_TEST(contains(message, "--state-file"));
    BOOST_TEST(contains(message, "--oauth2-token-url"));
}

BOOST_AUTO_TEST_CASE(empty_secret_rejected_without_echo)
{
    for (std::string_view flag : {"--bearer", "--api-key", "--basic", "--client-secret"}) {
        BOOST_TEST_CONTEXT(flag)
        {
            const std::string arg = std::string(flag) + "=";
            auto message = usage_message({arg, "GET", api_url});
            BOOST_TEST(contains(message, "empty value for " + std::string(flag)));
        }
    }
}

BOOST_AUTO_TEST_CASE(usage_errors_never_show_secrets)
{
    const std::string secret = "Zq9-secret-value";
    const std::vector<std::vector<std::string>> command_lines = {
        {"--bearer", secret, "--basic", "u:" + secret, "GET", std::string(api_url)},
        {"--api-key", secret, "GET", std::string(api_url)},
        {"--basic", secret, "GET", std::string(api_url)},
        {"--client-secret", secret, "GET", std::string(api_url)},
        {"--oauth2-token-url", "http://127.0.0.1:9/t", "--client-secret", secret, "GET", std::string(api_url)},
        {"--bearer", secret, "--state-file", "/tmp/s.json", "GET", std::string(api_url)},
        {"--bearer", secret, "GET"},
        {"--bearer", secret, "--no-such-flag", "GET", std::string(api_url)},
        {"--bearer=" + secret, "--timeout", "-1", "GET", std::string(api_url)},
    };
    for (const auto& line : command_lines) {
        const std::vector<std::string_view> args(line.begin(), line.end());
        std::string message;
        try {
            cli::parse_command_line(args, lookup_in({}));
        } catch (const cli::usage_error& e) {
            message = e.what();
        }
        BOOST_TEST_CONTEXT("command line starting " << line.front() << ' ' << line.at(2))
        {
            BOOST_TEST(!message.empty());
            BOOST_TEST(!contains(message, secret));
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(cli_calls)

BOOST_AUTO_TEST_CASE(base_client_mode_makes_one_attempt)
{
    cc::testing::mock_transport mock;
    mock.push(503, R"({"error":"busy"})");

    auto result = run(parse({"GET", api_url}), mock);

    BOOST_TEST(result.status == cli::exit_status::api_error);
    BOOST_TEST(mock.request_count() == 1u);
    BOOST_TEST(result.out.empty());
    BOOST_TEST(contains(result.err, "content-client: Error in API call [503]"));
}

BOOST_AUTO_TEST_CASE(exponential_retry_waits_exact_delays)
{
    cc::testing::mock_transport mock;
    mock.push(503);
    mock.push(503);
    mock.push(200, R"({"ok":true})");

    auto result = run(parse({"--max-attempts", "3", "--initial-delay", "1", "--jitter", "0", "GET", api_url}), mock);

    BOOST_TEST(result.status == cli::exit_status::success);
    BOOST_TEST(result.out == "{\"ok\":true}\n");
    const std::vector<std::chrono::nanoseconds> expected{1s, 2s};
    BOOST_TEST(mock.sleeps() == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(exhausted_retries_exit_with_status_error)
{
    cc::testing::mock_transport mock;
    for (int i = 0; i < 2; ++i)
        mock.push(500);

    auto result = run(parse({"--max-attempts", "2", "--initial-delay", "0", "GET", api_url}), mock);

    BOOST_TEST(mock.request_count() == 2u);
    BOOST_TEST(result.status == cli::exit_status::api_error);
}

BOOST_AUTO_TEST_CASE(verbose_writes_attempt_lines)
{
    cc::testing::mock_transport mock;
    mock.push(503);
    mock.push(200, "{}");

    auto result = run(parse({"-v", "--max-attempts", "2", "--initial-delay", "1.5", "--jitter", "0", "--api-key",
                             "k-secret", "--api-key-param", "key", "-p", "q=1", "GET", api_url}),
                      mock);

    BOOST_TEST(result.status == cli::exit_status::success);
    BOOST_TEST(contains(result.err, "content-client: attempt 1: GET http://127.0.0.1:9/v1/alerts -> 503 in 0.000 s; "
                                    "next attempt in 1.500 s\n"));
    BOOST_TEST(contains(result.err, "content-client: attempt 2: GET http://127.0.0.1:9/v1/alerts -> 200 in 0.000 s\n"));
    BOOST_TEST(!contains(result.err, "k-secret"));
}

BOOST_AUTO_TEST_CASE(printable_url_drops_userinfo_and_query)
{
    BOOST_TEST(cli::attempt_trace::printable_url("https://user:pw@api.example:8443/v1/x?key=k#f") ==
               "https://api.example:8443/v1/x");
    BOOST_TEST(cli::attempt_trace::printable_url("not a url?key=k") == "not a url");
    // The client reports a URL password as <redacted>, which does not parse as a URI.
    BOOST_TEST(cli::attempt_trace::printable_url("http://svc:<redacted>@127.0.0.1:8080/v1?key=k") ==
               "http://127.0.0.1:8080/v1");
}

BOOST_AUTO_TEST_CASE(rate_limit_spaces_repeated_calls)
{
    cc::testing::mock_transport mock;
    for (int i = 0; i < 4; ++i)
        mock.push(200, "{}");

    auto result = run(parse({"--rate", "2", "--burst", "2", "--repeat", "4", "GET", api_url}), mock);

    BOOST_TEST(result.status == cli::exit_status::success);
    BOOST_TEST(result.out == "{}\n{}\n{}\n{}\n");
    // Two tokens at the start, then one every 0.5 s.
    const std::vector<std::chrono::nanoseconds> expected{500ms, 500ms};
    BOOST_TEST(mock.sleeps() == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(breaker_opens_across_repeated_calls)
{
    cc::testing::mock_transport mock;
    mock.push(500);
    mock.push(500);

    auto result =
        run(parse({"--breaker-threshold", "2", "--breaker-recovery", "10", "--repeat", "4", "GET", api_url}), mock);

    BOOST_TEST(mock.request_count() == 2u);
    BOOST_TEST(result.status == cli::exit_status::circuit_open);
    BOOST_TEST(contains(result.err, "content-client: call 2 of 4: Error in API call [500]"));
    BOOST_TEST(contains(result.err, "content-client: call 3 of 4: Circuit breaker is open"));
    BOOST_TEST(contains(result.err, "content-client: call 4 of 4: Circuit breaker is open"));
}

BOOST_AUTO_TEST_CASE(breaker_stays_closed_without_flags)
{
    cc::testing::mock_transport mock;
    for (int i = 0; i < 8; ++i)
        mock.push(500);

    auto result = run(parse({"--repeat", "8", "GET", api_url}), mock);

    BOOST_TEST(mock.request_count() == 8u);
    BOOST_TEST(result.status == cli::exit_status::api_error);
}

BOOST_AUTO_TEST_CASE(execution_deadline_stops_retry)
{
    cc::testing::mock_transport mock;
    mock.push(503);
    mock.push(503);

    // The deadline is 4 s after the start: the 3 s delay fits, the 6 s one does not.
    auto result = run(parse({"--execution", "5", "--safety-buffer", "1", "--max-attempts", "5", "--initial-delay", "3",
                             "--jitter", "0", "GET", api_url}),
                      mock);

    BOOST_TEST(mock.request_count() == 2u);
    BOOST_TEST(result.status == cli::exit_status::timed_out);
    BOOST_TEST(contains(result.err, "execution deadline reached"));
}

BOOST_AUTO_TEST_CASE(configuration_error_stops_repeat)
{
    cc::testing::mock_transport mock;

    auto result = run(parse({"-H", "X-Test: a\rb", "--repeat", "3", "GET", api_url}), mock);

    BOOST_TEST(result.status == cli::exit_status::usage);
    BOOST_TEST(mock.request_count() == 0u);
}

BOOST_AUTO_TEST_CASE(oauth2_token_kept_in_state_file)
{
    temporary_directory dir;
    const std::string state_file = (dir.path() / "state.json").string();
    int token_requests = 0;
    auto serve = [&token_requests](const cc::request& req) {
        cc::testing::mock_reply reply;
        if (is_token_request(req)) {
            ++token_requests;
            reply.body = R"({"access_token":"tok-)" + std::to_string(token_requests) + R"(","expires_in":3600})";
        } else {
            reply.status = req.headers.find("Authorization").value_or("") == "Bearer tok-1" ? 200 : 401;
            reply.body = "{}";
        }
        return reply;
    };
    const auto cmd = parse({"--oauth2-token-url", "http://127.0.0.1:9/oauth2/token", "--client-id", "collector",
                            "--client-secret", "cs-1", "--state-file", state_file, "GET", api_url});

    // Two runs, each with its own transport as two processes have.
    for (int run_number = 1; run_number <= 2; ++run_number) {
        BOOST_TEST_CONTEXT("run " << run_number)
        {
            cc::testing::mock_transport mock;
            mock.on_request(serve);
            auto result = run(cmd, mock);
            BOOST_TEST(result.status == cli::exit_status::success);
            BOOST_TEST(token_requests == 1);
        }
    }
    BOOST_TEST(std::filesystem::exists(state_file));
}

BOOST_AUTO_TEST_CASE(failures_never_show_secrets)
{
    const std::string secret = "S3cr3t-Value-42";
    // "user:S3cr3t-Value-42" in base64.
    const std::string basic_base64 = "dXNlcjpTM2NyM3QtVmFsdWUtNDI=";
    // Every response echoes the request's headers and URL, as some test servers do.
    auto echo = [](int status) {
        return [status](const cc::request& req) {
            cc::testing::mock_reply reply;
            reply.status = status;
            reply.body = "{\"url\":\"" + req.url + "\",\"headers\":\"";
            for (const auto& [name, value] : req.headers)
                reply.body += name + "=" + value + ";";
            reply.body += "\"}";
            return reply;
        };
    };
    const std::vector<std::vector<std::string>> flag_sets = {
        {"--bearer", secret},
        {"--api-key", secret, "--api-key-header", "X-Key", "--api-key-param", "key"},
        {"--basic", "user:" + secret},
        {"--oauth2-token-url", "http://127.0.0.1:9/oauth2/token", "--client-id", "c", "--client-secret", secret},
    };
    for (const auto& flags : flag_sets) {
        for (int status : {400, 401, 403, 429, 500}) {
            std::vector<std::string> line = flags;
            line.insert(line.end(), {"-v", "--max-attempts", "2", "--initial-delay", "0", "GET", std::string(api_url)});
            const std::vector<std::string_view> args(line.begin(), line.end());
            cc::testing::mock_transport mock;
            mock.on_request(echo(status));

            std::ostringstream out;
            std::ostringstream err;
            const auto cmd = cli::parse_command_line(args, lookup_in({}));
            cli::run_command(cmd, [&mock] { return mock; }, out, err);

            BOOST_TEST_CONTEXT(flags.front() << " with status " << status)
            {
                BOOST_TEST(!err.str().empty());
                BOOST_TEST(!contains(err.str(), secret));
                BOOST_TEST(!contains(err.str(), basic_base64));
            }
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
