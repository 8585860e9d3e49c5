// The client of content-client: the authentication handler, the policies and
// the loop that sends the request `--repeat` times.
//
// `run_command` is a template on the transport, so that the tests run it on
// the mock transport with its virtual clock; the program uses beast_transport.
#ifndef CONTENT_CLIENT_EXAMPLES_CLI_CLIENT_HPP
#define CONTENT_CLIENT_EXAMPLES_CLI_CLIENT_HPP

#include "cli_options.hpp"

#include <content_client/auth/any_auth.hpp>
#include <content_client/auth/api_key_auth.hpp>
#include <content_client/auth/basic_auth.hpp>
#include <content_client/auth/bearer_token_auth.hpp>
#include <content_client/auth/oauth2_client_credentials.hpp>
#include <content_client/basic_content_client.hpp>
#include <content_client/breaker/circuit_breaker.hpp>
#include <content_client/policy_types.hpp>
#include <content_client/rate_limit/token_bucket.hpp>
#include <content_client/retry/exponential_retry.hpp>
#include <content_client/retry/no_retry.hpp>
#include <content_client/state/file_store.hpp>

#include <boost/url/parse.hpp>

#include <chrono>
#include <iomanip>
#include <limits>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

namespace content_client_cli {

/// Writes `message` to `err` after the program name, ending it with a newline.
inline void write_error(std::ostream& err, std::string_view message)
{
    err << "content-client: " << message;
    if (message.empty() || message.back() != '\n')
        err << '\n';
    err.flush();
}

/// Builds the handler of the scheme that `parse_command_line` chose.
///
/// Throws `configuration_error` when the library rejects a value, for example
/// an invalid token URL or state file path.
inline content_client::any_auth make_auth(const auth_choice& auth)
{
    namespace cc = content_client;
    switch (auth.scheme) {
    case auth_scheme::none:
        return {};
    case auth_scheme::bearer:
        return cc::bearer_token_auth(*auth.bearer_token);
    case auth_scheme::api_key:
        return cc::api_key_auth(*auth.api_key, auth.api_key_header, auth.api_key_param);
    case auth_scheme::basic: {
        const auto colon = auth.basic->find(':');
        return cc::basic_auth(auth.basic->substr(0, colon), auth.basic->substr(colon + 1));
    }
    case auth_scheme::oauth2: {
        cc::oauth2_settings settings;
        settings.token_url = *auth.token_url;
        settings.client_id = *auth.client_id;
        settings.client_secret = *auth.client_secret;
        settings.scope = auth.scope.value_or("");
        settings.audience = auth.audience.value_or("");
        if (auth.state_file.empty())
            return cc::oauth2_client_credentials(std::move(settings));
        return cc::oauth2_client_credentials(std::move(settings), cc::file_store(auth.state_file));
    }
    }
    return {};
}

/// The metrics policy behind `--verbose`: one line per attempt on a stream.
///
/// A line contains the attempt number, the method, the URL without its user
/// information and query (where an API key may travel), the status or the
/// error, the latency and the delay before the next attempt.
class attempt_trace {
public:
    /// Writes to `out`; a null `out` writes nothing.
    explicit attempt_trace(std::ostream* out = nullptr) : out_(out) {}

    void on_attempt(const content_client::attempt_record& record)
    {
        if (!out_)
            return;
        std::ostream& out = *out_;
        const auto flags = out.flags();
        const auto precision = out.precision();
        out << std::fixed << std::setprecision(3);
        out << "content-client: attempt " << record.attempt << ": " << record.method << ' '
            << printable_url(record.url) << " -> ";
        if (record.status)
            out << *record.status;
        else
            out << record.ec.message();
        out << " in " << std::chrono::duration<double>(record.latency).count() << " s";
        if (record.next_delay)
            out << "; next attempt in " << std::chrono::duration<double>(*record.next_delay).count() << " s";
        out << '\n';
        out.flush();
        out.flags(flags);
        out.precision(precision);
    }

    void on_call(const content_client::call_record&) {}

    /// Returns `scheme://host[:port]/path` of `url`.
    static std::string printable_url(std::string_view url)
    {
        auto parsed = boost::urls::parse_uri(url);
        if (!parsed) {
            // Drop the query and the user information by hand.
            auto text = url.substr(0, url.find_first_of("?#"));
            const auto authority = text.find("://");
            if (authority != std::string_view::npos) {
                const auto at = text.find('@', authority + 3);
                if (at != std::string_view::npos && at < text.find('/', authority + 3))
                    return std::string(text.substr(0, authority + 3)) + std::string(text.substr(at + 1));
            }
            return std::string(text);
        }
        std::string text(parsed->scheme());
        text += "://";
        text += parsed->encoded_host_and_port();
        text += parsed->encoded_path();
        return text;
    }

private:
    std::ostream* out_;
};

namespace detail {

/// A breaker policy that never opens in practice, for a command line without breaker flags.
inline content_client::circuit_breaker_policy never_opening_breaker()
{
    content_client::circuit_breaker_policy policy;
    policy.failure_threshold = std::numeric_limits<int>::max();
    return policy;
}

template <class Transport, class Retry>
int run_calls(const command& cmd, Transport transport, Retry retry, std::ostream& out, std::ostream& err)
{
    namespace cc = content_client;
    using client_type =
        cc::basic_content_client<Transport, cc::any_auth, Retry, cc::token_bucket, cc::circuit_breaker, attempt_trace>;

    client_type api(std::move(transport), cmd.client, make_auth(cmd.auth), std::move(retry),
                    cc::token_bucket(cmd.rate_limit), cc::circuit_breaker(cmd.breaker.value_or(never_opening_breaker())),
                    attempt_trace(cmd.verbose ? &err : nullptr));

    int status = exit_status::success;
    for (int call = 1; call <= cmd.repeat; ++call) {
        const std::string prefix =
            cmd.repeat > 1 ? "call " + std::to_string(call) + " of " + std::to_string(cmd.repeat) + ": " : "";
        try {
            auto res = api.http_request(cmd.method, {}, cmd.request);
            write_response(out, res, cmd.output);
            out.flush();
        } catch (const cc::configuration_error& e) {
            // The next call would fail the same way.
            write_error(err, prefix + e.what());
            return exit_status::usage;
        } catch (const cc::error& e) {
            write_error(err, prefix + e.what());
            status = exit_status_for(e);
        }
        if (!out) {
            write_error(err, "writing the response to standard output failed");
            return exit_status::api_error;
        }
    }
    return status;
}

}  // namespace detail

/// Sends the request of `cmd` `cmd.repeat` times over the transport that
/// `make_transport()` returns, writes each response to `out` and each error
/// to `err`, and returns the exit status.
///
/// The status is 0 when every call succeeded, else the status of the last
/// failed call. A `configuration_error` stops at once with status 2, because
/// the next calls would fail the same way.
template <class MakeTransport>
int run_command(const command& cmd, MakeTransport make_transport, std::ostream& out, std::ostream& err)
{
    try {
        if (cmd.retry)
            return detail::run_calls(cmd, make_transport(), content_client::exponential_retry(*cmd.retry), out, err);
        return detail::run_calls(cmd, make_transport(), content_client::no_retry(), out, err);
    } catch (const content_client::error& e) {
        write_error(err, e.what());
        return exit_status_for(e);
    }
}

}  // namespace content_client_cli

#endif
