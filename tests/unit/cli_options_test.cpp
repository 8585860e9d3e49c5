// The command line of content-client: flag parsing, exit statuses and output.
#include "cli_options.hpp"

#include <content_client/error.hpp>

#include <boost/asio/error.hpp>
#include <boost/test/unit_test.hpp>

#include <initializer_list>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace cc = content_client;
namespace cli = content_client_cli;

namespace {

/// An environment with no variables, so that the machine's environment cannot change a test.
std::optional<std::string> empty_environment(std::string_view)
{
    return std::nullopt;
}

cli::command parse(std::initializer_list<std::string_view> args)
{
    const std::vector<std::string_view> list(args);
    return cli::parse_command_line(list, empty_environment);
}

/// Returns the usage_error message for `args`, or an empty string when they parse.
std::string usage_message(std::initializer_list<std::string_view> args)
{
    try {
        parse(args);
    } catch (const cli::usage_error& e) {
        return e.what();
    }
    return {};
}

bool contains(std::string_view text, std::string_view part)
{
    return text.find(part) != std::string_view::npos;
}

/// Returns the exit status for the exception that `throw_error` raises for `code`.
int exit_status_of(cc::error_code code)
{
    try {
        cc::throw_error(code, cc::diagnostics{"failure"});
    } catch (const cc::error& e) {
        return cli::exit_status_for(e);
    }
    return -1;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_options)

BOOST_AUTO_TEST_CASE(method_and_url_set_full_url)
{
    auto cmd = parse({"GET", "http://127.0.0.1:8080/v1/items"});

    BOOST_TEST(!cmd.show_help);
    BOOST_TEST(cmd.method == "GET");
    BOOST_TEST(cmd.url == "http://127.0.0.1:8080/v1/items");
    BOOST_TEST(cmd.request.full_url == "http://127.0.0.1:8080/v1/items");
    BOOST_TEST(cmd.client.base_url.empty());
    BOOST_TEST((cmd.output == cc::resp_type::json));
    BOOST_TEST((cmd.request.resp_type == cc::resp_type::json));
}

BOOST_AUTO_TEST_CASE(defaults_match_base_client)
{
    auto cmd = parse({"GET", "http://127.0.0.1/"});

    BOOST_TEST(cmd.client.verify);
    BOOST_TEST(!cmd.client.proxy);
    BOOST_TEST(cmd.client.ok_codes.empty());
    BOOST_TEST(cmd.client.timeout.count() == 60.0);
    BOOST_TEST(cmd.request.retries == 0);
    BOOST_TEST(cmd.request.backoff_factor == 5.0);
    BOOST_TEST(cmd.request.headers.empty());
    BOOST_TEST(cmd.request.params.empty());
    BOOST_TEST(!cmd.request.json_data);
    BOOST_TEST(cmd.request.data.empty());
}

BOOST_AUTO_TEST_CASE(headers_repeat_in_all_forms)
{
    auto cmd = parse({"-H", "Accept: application/json", "--header=X-Trace:  abc \t", "-HX-Empty:", "--header",
                      "X-Url: http://a:1/", "GET", "http://127.0.0.1/"});

    std::vector<std::pair<std::string, std::string>> fields(cmd.request.headers.begin(), cmd.request.headers.end());
    BOOST_TEST_REQUIRE(fields.size() == 4u);
    BOOST_TEST(fields[0].first == "Accept");
    BOOST_TEST(fields[0].second == "application/json");
    BOOST_TEST(fields[1].first == "X-Trace");
    BOOST_TEST(fields[1].second == "abc");
    BOOST_TEST(fields[2].first == "X-Empty");
    BOOST_TEST(fields[2].second == "");
    BOOST_TEST(fields[3].second == "http://a:1/");
}

BOOST_AUTO_TEST_CASE(header_without_colon_rejected)
{
    auto message = usage_message({"-H", "Authorization Bearer tok-in-header", "GET", "http://127.0.0.1/"});

    BOOST_TEST(contains(message, "-H"));
    BOOST_TEST(contains(message, "'Name: value'"));
    // The value may carry a credential, so it is not shown.
    BOOST_TEST(!contains(message, "tok-in-header"));
    BOOST_TEST(contains(message, "see content-client --help"));
    BOOST_TEST(contains(usage_message({"--header", ": value", "GET", "http://127.0.0.1/"}), "--header"));
}

BOOST_AUTO_TEST_CASE(params_keep_order_and_equals)
{
    auto cmd = parse({"-p", "q=tls certificate", "--param=filter=a=b", "-plimit=", "GET", "http://127.0.0.1/"});

    BOOST_TEST_REQUIRE(cmd.request.params.size() == 3u);
    BOOST_TEST(cmd.request.params[0].first == "q");
    BOOST_TEST(cmd.request.params[0].second == "tls certificate");
    BOOST_TEST(cmd.request.params[1].first == "filter");
    BOOST_TEST(cmd.request.params[1].second == "a=b");
    BOOST_TEST(cmd.request.params[2].first == "limit");
    BOOST_TEST(cmd.request.params[2].second == "");
}

BOOST_AUTO_TEST_CASE(param_without_name_rejected)
{
    for (std::string_view bad : {"limit", "=5"}) {
        BOOST_TEST_CONTEXT("value " << bad)
        {
            auto message = usage_message({"--param", bad, "GET", "http://127.0.0.1/"});
            BOOST_TEST(contains(message, "--param"));
            BOOST_TEST(!contains(message, "'" + std::string(bad) + "'"));
            BOOST_TEST(contains(message, "name=value"));
        }
    }
}

BOOST_AUTO_TEST_CASE(json_body_parsed)
{
    auto cmd = parse({"--json", R"({"name":"alpha","tags":[1,2]})", "POST", "http://127.0.0.1/"});

    BOOST_TEST_REQUIRE(cmd.request.json_data.has_value());
    const auto& object = cmd.request.json_data->as_object();
    BOOST_TEST(object.at("name").as_string() == "alpha");
    BOOST_TEST(object.at("tags").as_array().size() == 2u);
}

BOOST_AUTO_TEST_CASE(invalid_json_names_flag_and_error)
{
    auto message = usage_message({"--json={a:1}", "POST", "http://127.0.0.1/"});
    BOOST_TEST(contains(message, "--json"));
    BOOST_TEST(contains(message, "syntax error"));
    BOOST_TEST(contains(message, "at byte 1"));

    BOOST_TEST(contains(usage_message({"--json", R"({"a":1)", "POST", "http://127.0.0.1/"}), "incomplete JSON"));
    BOOST_TEST(contains(usage_message({"--json", "[1] x", "POST", "http://127.0.0.1/"}), "extra data"));
    BOOST_TEST(contains(usage_message({"--json", "", "POST", "http://127.0.0.1/"}), "--json"));
}

BOOST_AUTO_TEST_CASE(long_value_shortened_in_message)
{
    const std::string value(500, 'x');

    auto message = usage_message({"--json", value, "POST", "http://127.0.0.1/"});

    BOOST_TEST(contains(message, "(500 bytes)"));
    BOOST_TEST(message.size() < 300u);
}

BOOST_AUTO_TEST_CASE(raw_data_kept_unchanged)
{
    auto cmd = parse({"--data", "-starts with a dash", "PUT", "http://127.0.0.1/"});

    BOOST_TEST_REQUIRE(cmd.request.data.raw() != nullptr);
    BOOST_TEST(*cmd.request.data.raw() == "-starts with a dash");
}

BOOST_AUTO_TEST_CASE(json_and_data_together_rejected)
{
    auto message = usage_message({"--json", "{}", "--data", "x", "POST", "http://127.0.0.1/"});

    BOOST_TEST(contains(message, "--json"));
    BOOST_TEST(contains(message, "--data"));
}

BOOST_AUTO_TEST_CASE(status_lists_parsed)
{
    auto cmd = parse({"--ok-codes", "200,201", "--retry-status=429,503", "GET", "http://127.0.0.1/"});

    BOOST_TEST(cmd.client.ok_codes == (std::vector<int>{200, 201}));
    BOOST_TEST(cmd.request.status_list_to_retry == (std::vector<int>{429, 503}));
}

BOOST_AUTO_TEST_CASE(invalid_status_lists_rejected)
{
    for (std::string_view flag : {"--ok-codes", "--retry-status"}) {
        for (std::string_view bad : {"", "200,", ",200", "200,,201", "abc", "99", "600", "200 ", "+200", "2e2"}) {
            BOOST_TEST_CONTEXT(flag << " " << bad)
            {
                auto message = usage_message({flag, bad, "GET", "http://127.0.0.1/"});
                BOOST_TEST(contains(message, flag));
                BOOST_TEST(contains(message, "'" + std::string(bad) + "'"));
                BOOST_TEST(contains(message, "see content-client --help"));
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(resp_type_values)
{
    const std::pair<std::string_view, cc::resp_type> cases[] = {
        {"json", cc::resp_type::json},       {"text", cc::resp_type::text},
        {"content", cc::resp_type::content}, {"xml", cc::resp_type::xml},
        {"response", cc::resp_type::response},
    };
    for (const auto& [name, type] : cases) {
        BOOST_TEST_CONTEXT("--resp-type " << name)
        {
            auto cmd = parse({"--resp-type", name, "GET", "http://127.0.0.1/"});
            BOOST_TEST((cmd.output == type));
            BOOST_TEST((cmd.request.resp_type == type));
        }
    }

    auto message = usage_message({"--resp-type=JSON", "GET", "http://127.0.0.1/"});
    BOOST_TEST(contains(message, "--resp-type"));
    BOOST_TEST(contains(message, "'JSON'"));
}

BOOST_AUTO_TEST_CASE(timeout_raises_read_and_write)
{
    auto cmd = parse({"--timeout", "120.5", "GET", "http://127.0.0.1/"});

    BOOST_TEST(cmd.client.timeout.count() == 120.5);
    BOOST_TEST(cmd.client.timeouts.read.count() == 120.5);
    BOOST_TEST(cmd.client.timeouts.write.count() == 120.5);
    BOOST_TEST(cmd.client.timeouts.connect.count() == 10.0);
}

BOOST_AUTO_TEST_CASE(short_timeout_keeps_phase_defaults)
{
    auto cmd = parse({"--timeout=0.25", "GET", "http://127.0.0.1/"});

    BOOST_TEST(cmd.client.timeout.count() == 0.25);
    BOOST_TEST(cmd.client.timeouts.read.count() == 60.0);
    BOOST_TEST(cmd.client.timeouts.write.count() == 60.0);
}

BOOST_AUTO_TEST_CASE(invalid_timeouts_rejected)
{
    for (std::string_view bad : {"0", "-1", "abc", "1s", "nan", "inf", "", "1e12", " 1"}) {
        BOOST_TEST_CONTEXT("--timeout " << bad)
        {
            auto message = usage_message({"--timeout", bad, "GET", "http://127.0.0.1/"});
            BOOST_TEST(contains(message, "--timeout"));
            BOOST_TEST(contains(message, "'" + std::string(bad) + "'"));
        }
    }
}

BOOST_AUTO_TEST_CASE(retry_options_parsed)
{
    auto cmd = parse({"--retries", "3", "--backoff-factor", "0.1", "GET", "http://127.0.0.1/"});

    BOOST_TEST(cmd.request.retries == 3);
    BOOST_TEST(cmd.request.backoff_factor == 0.1);
    BOOST_TEST(parse({"--retries=0", "--backoff-factor=0", "GET", "http://127.0.0.1/"}).request.retries == 0);
}

BOOST_AUTO_TEST_CASE(invalid_retry_counts_rejected)
{
    for (std::string_view bad : {"-1", "x", "1.5", "1001", "99999999999", ""}) {
        BOOST_TEST_CONTEXT("--retries " << bad)
        {
            auto message = usage_message({"--retries", bad, "GET", "http://127.0.0.1/"});
            BOOST_TEST(contains(message, "--retries"));
            BOOST_TEST(contains(message, "'" + std::string(bad) + "'"));
        }
    }
    for (std::string_view bad : {"-0.5", "nan", "inf", "fast"}) {
        BOOST_TEST_CONTEXT("--backoff-factor " << bad)
        {
            auto message = usage_message({"--backoff-factor", bad, "GET", "http://127.0.0.1/"});
            BOOST_TEST(contains(message, "--backoff-factor"));
            BOOST_TEST(contains(message, "'" + std::string(bad) + "'"));
        }
    }
}

BOOST_AUTO_TEST_CASE(switches_set_client_options)
{
    auto cmd = parse({"--insecure", "--proxy", "GET", "https://127.0.0.1/"});

    BOOST_TEST(!cmd.client.verify);
    BOOST_TEST(cmd.client.proxy);
}

BOOST_AUTO_TEST_CASE(switch_with_value_rejected)
{
    auto message = usage_message({"--insecure=yes", "GET", "https://127.0.0.1/"});

    BOOST_TEST(contains(message, "--insecure"));
    BOOST_TEST(contains(message, "'yes'"));
}

BOOST_AUTO_TEST_CASE(tls_file_flags_set_paths)
{
    auto cmd = parse({"--ca-file", "/etc/ca.pem", "--cert=/etc/client.pem", "--key", "/etc/client-key.pem", "GET",
                      "https://127.0.0.1/"});

    BOOST_TEST(cmd.client.ca_file == "/etc/ca.pem");
    BOOST_TEST(cmd.client.client_cert_file == "/etc/client.pem");
    BOOST_TEST(cmd.client.client_key_file == "/etc/client-key.pem");
}

BOOST_AUTO_TEST_CASE(tls_files_default_empty)
{
    auto cmd = parse({"GET", "https://127.0.0.1/"});

    BOOST_TEST(cmd.client.ca_file.empty());
    BOOST_TEST(cmd.client.client_cert_file.empty());
    BOOST_TEST(cmd.client.client_key_file.empty());
}

BOOST_AUTO_TEST_CASE(cert_without_key_rejected)
{
    auto cert_only = usage_message({"--cert", "/etc/client.pem", "GET", "https://127.0.0.1/"});
    auto key_only = usage_message({"--key", "/etc/client-key.pem", "GET", "https://127.0.0.1/"});

    BOOST_TEST(contains(cert_only, "--cert and --key"));
    BOOST_TEST(contains(key_only, "--cert and --key"));
}

BOOST_AUTO_TEST_CASE(empty_path_rejected)
{
    for (std::string_view flag : {"--ca-file=", "--cert=", "--key="}) {
        BOOST_TEST_CONTEXT("flag " << flag)
        {
            auto message = usage_message({flag, "GET", "https://127.0.0.1/"});
            BOOST_TEST(contains(message, flag.substr(0, flag.size() - 1)));
            BOOST_TEST(contains(message, "a file path"));
        }
    }
}

BOOST_AUTO_TEST_CASE(redirect_flags_set_options)
{
    auto defaults = parse({"GET", "http://127.0.0.1/"});
    auto no_redirects = parse({"--no-redirects", "GET", "http://127.0.0.1/"});
    auto limited = parse({"--max-redirects", "3", "GET", "http://127.0.0.1/"});
    auto zero = parse({"--max-redirects=0", "GET", "http://127.0.0.1/"});

    BOOST_TEST(defaults.request.allow_redirects);
    BOOST_TEST(defaults.client.max_redirects == 30);
    BOOST_TEST(!no_redirects.request.allow_redirects);
    BOOST_TEST(limited.client.max_redirects == 3);
    BOOST_TEST(limited.request.allow_redirects);
    BOOST_TEST(zero.client.max_redirects == 0);
}

BOOST_AUTO_TEST_CASE(invalid_max_redirects_rejected)
{
    for (std::string_view bad : {"-1", "1001", "many", "", "2.5"}) {
        BOOST_TEST_CONTEXT("--max-redirects " << bad)
        {
            auto message = usage_message({"--max-redirects", bad, "GET", "http://127.0.0.1/"});
            BOOST_TEST(contains(message, "--max-redirects"));
            BOOST_TEST(contains(message, "0 to 1000"));
        }
    }
}

BOOST_AUTO_TEST_CASE(no_redirects_takes_no_value)
{
    auto message = usage_message({"--no-redirects=1", "GET", "http://127.0.0.1/"});

    BOOST_TEST(contains(message, "--no-redirects"));
    BOOST_TEST(contains(message, "takes no value"));
}

BOOST_AUTO_TEST_CASE(unknown_flags_rejected)
{
    for (std::string_view bad : {"--verbosity", "--retries-max=3", "-x", "--HEADER"}) {
        BOOST_TEST_CONTEXT("flag " << bad)
        {
            auto message = usage_message({bad, "GET", "http://127.0.0.1/"});
            BOOST_TEST(contains(message, "unknown option"));
            BOOST_TEST(contains(message, std::string(bad).substr(0, std::string(bad).find('='))));
            BOOST_TEST(contains(message, "see content-client --help"));
        }
    }
}

BOOST_AUTO_TEST_CASE(missing_value_rejected)
{
    for (std::string_view flag : {"--timeout", "-H", "--json", "--retries"}) {
        BOOST_TEST_CONTEXT("flag " << flag)
        {
            auto message = usage_message({"GET", "http://127.0.0.1/", flag});
            BOOST_TEST(contains(message, "missing value for " + std::string(flag)));
        }
    }
}

BOOST_AUTO_TEST_CASE(argument_count_checked)
{
    BOOST_TEST(contains(usage_message({}), "expected METHOD and URL, got 0 arguments"));
    BOOST_TEST(contains(usage_message({"GET"}), "got 1 argument"));
    BOOST_TEST(contains(usage_message({"GET", "http://127.0.0.1/", "extra"}), "got 3 arguments"));
}

BOOST_AUTO_TEST_CASE(double_dash_ends_flags)
{
    auto cmd = parse({"--retries", "1", "--", "GET", "-not-a-flag"});

    BOOST_TEST(cmd.method == "GET");
    BOOST_TEST(cmd.url == "-not-a-flag");
    BOOST_TEST(cmd.request.retries == 1);
}

BOOST_AUTO_TEST_CASE(help_stops_parsing)
{
    BOOST_TEST(parse({"--help"}).show_help);
    BOOST_TEST(parse({"-h"}).show_help);
    BOOST_TEST(parse({"GET", "-h", "--no-such-flag"}).show_help);
}

BOOST_AUTO_TEST_CASE(help_documents_flags_and_statuses)
{
    const std::string_view help = cli::help_text;

    for (const auto& spec : cli::detail::flags)
        BOOST_TEST(contains(help, spec.long_name), spec.long_name << " is documented");
    for (std::string_view status : {"\n  0 ", "\n  2 ", "\n  10 ", "\n  11 ", "\n  12 ", "\n  13 ", "\n  14 ",
                                    "\n  15 ", "\n  16 "})
        BOOST_TEST(contains(help, status), "exit status" << status << "is documented");
    BOOST_TEST(contains(help, "--help"));
}

BOOST_AUTO_TEST_CASE(exit_status_per_error_class)
{
    const std::pair<cc::errc, int> cases[] = {
        {cc::errc::http_status, 10},          {cc::errc::authentication_failed, 11},
        {cc::errc::rate_limited, 12},         {cc::errc::timed_out, 13},
        {cc::errc::read_timeout, 13},         {cc::errc::write_timeout, 13},
        {cc::errc::connect_timeout, 13},      {cc::errc::pool_timeout, 13},
        {cc::errc::circuit_open, 14},         {cc::errc::retries_exhausted, 15},
        {cc::errc::invalid_configuration, 2}, {cc::errc::connection_failed, 16},
        {cc::errc::connection_reset, 16},     {cc::errc::tls_failed, 16},
        {cc::errc::proxy_failed, 16},         {cc::errc::protocol_error, 10},
        {cc::errc::truncated_body, 10},       {cc::errc::body_too_large, 10},
        {cc::errc::invalid_response, 10},     {cc::errc::too_many_redirects, 10},
    };
    for (const auto& [code, status] : cases) {
        BOOST_TEST_CONTEXT("errc " << static_cast<int>(code) << " (" << cc::make_error_code(code).message() << ")")
        {
            BOOST_TEST(exit_status_of(cc::make_error_code(code)) == status);
        }
    }
}

BOOST_AUTO_TEST_CASE(exit_status_of_other_errors)
{
    BOOST_TEST(cli::exit_status_for(cc::configuration_error("invalid timeouts.read")) == 2);
    BOOST_TEST(exit_status_of(boost::asio::error::connection_refused) == 10);
    BOOST_TEST(cli::exit_status_for(cc::error(cc::errc::connection_failed, {})) == 16);
}

BOOST_AUTO_TEST_CASE(json_output_is_compact_line)
{
    cc::response res(200, "OK", {}, "{ \"a\" : [1, 2],\n \"b\": \"x\" }", "http://127.0.0.1/");
    std::ostringstream out;

    cli::write_response(out, res, cc::resp_type::json);

    BOOST_TEST(out.str() == "{\"a\":[1,2],\"b\":\"x\"}\n");
}

BOOST_AUTO_TEST_CASE(empty_json_body_prints_empty_object)
{
    cc::response res(204, "No Content", {}, "", "http://127.0.0.1/");
    std::ostringstream out;

    cli::write_response(out, res, cc::resp_type::json);

    BOOST_TEST(out.str() == "{}\n");
}

BOOST_AUTO_TEST_CASE(text_output_is_raw_body)
{
    const std::string body("line 1\nbinary \x01\x00 end", 20);
    cc::response res(200, "OK", {}, body, "http://127.0.0.1/");

    for (auto type : {cc::resp_type::text, cc::resp_type::content, cc::resp_type::xml}) {
        std::ostringstream out;
        cli::write_response(out, res, type);
        BOOST_TEST(out.str() == body);
    }
}

BOOST_AUTO_TEST_CASE(response_output_has_status_and_headers)
{
    cc::response res(404, "Not Found", {{"Content-Type", "text/plain"}, {"X-Id", "7"}}, "gone", "http://127.0.0.1/");
    std::ostringstream out;

    cli::write_response(out, res, cc::resp_type::response);

    BOOST_TEST(out.str() == "HTTP 404 Not Found\nContent-Type: text/plain\nX-Id: 7\n\ngone");
}

BOOST_AUTO_TEST_SUITE_END()
