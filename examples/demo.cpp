// A tour of content_client against an API server running in this process.
//
// The server (demo_server.hpp) listens on 127.0.0.1 on an ephemeral port.
// Each step prints the calls it sends and what the client returned or threw.
// Steps 1 to 7 use base_client, which behaves as BaseClient:
//    1. GET a JSON list
//    2. POST a JSON body, which the server echoes
//    3. query parameters, which the server echoes
//    4. the error of a 404
//    5. 401: authentication_error
//    6. 429: rate_limit_error with the server's Retry-After
//    7. a BaseClient-style retry of 503
// Steps 8 to 13 show the resilience and authentication policies, with times
// measured on std::chrono::steady_clock:
//    8. exponential_retry: 503 twice, then 200, and the delay it chose before each retry
//    9. exponential_retry waits a 503's Retry-After instead of its own backoff
//   10. token_bucket: six calls at 5 per second with a burst of 2
//   11. circuit_breaker: three failed calls open it, the next call is rejected at
//       once, and after the recovery timeout a successful probe closes it
//   12. oauth2_client_credentials: a token is fetched, reused, and refreshed
//       before it expires
//   13. oauth2_client_credentials: the server revokes the token, and the 401
//       makes the client fetch a new one and send the call once more
//
// The waits in steps 7 to 12 add up to about 5.3 s, so a run takes about 5.5 s.
#include "demo_server.hpp"

#include <content_client/content_client.hpp>

#include <boost/json.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace cc = content_client;

namespace {

/// Returns the name of the most derived error class of `e`.
std::string_view error_class(const cc::error& e)
{
    if (dynamic_cast<const cc::authentication_error*>(&e))
        return "content_client::authentication_error";
    if (dynamic_cast<const cc::rate_limit_error*>(&e))
        return "content_client::rate_limit_error";
    if (dynamic_cast<const cc::timeout_error*>(&e))
        return "content_client::timeout_error";
    if (dynamic_cast<const cc::circuit_open_error*>(&e))
        return "content_client::circuit_open_error";
    if (dynamic_cast<const cc::retry_error*>(&e))
        return "content_client::retry_error";
    if (dynamic_cast<const cc::configuration_error*>(&e))
        return "content_client::configuration_error";
    return "content_client::error";
}

void heading(int number, std::string_view title)
{
    std::cout << '\n' << number << ". " << title << '\n';
}

/// Prints the class, code and message of `e`, each message line indented.
void print_error(const cc::error& e)
{
    std::cout << "   threw " << error_class(e) << " (code: " << e.code().message() << ")\n";
    std::cout << "   what():\n";
    std::string_view message = e.what();
    while (!message.empty()) {
        auto end = message.find('\n');
        std::cout << "     | " << message.substr(0, end) << '\n';
        if (end == std::string_view::npos)
            break;
        message.remove_prefix(end + 1);
    }
}

/// Returns 503 for the first `failures` requests and 200 after that, and
/// records when each request arrived. Each 503 carries `Retry-After:
/// <retry_after>` when `retry_after` is given.
class flaky_endpoint {
public:
    explicit flaky_endpoint(int failures, std::optional<std::string> retry_after = std::nullopt)
        : failures_(failures), retry_after_(std::move(retry_after))
    {
    }

    demo::reply operator()(const demo::request&)
    {
        std::lock_guard lock(mutex_);
        arrivals_.push_back(std::chrono::steady_clock::now());
        if (static_cast<int>(arrivals_.size()) <= failures_) {
            std::vector<std::pair<std::string, std::string>> headers;
            if (retry_after_)
                headers.emplace_back("Retry-After", *retry_after_);
            return demo::json_reply(503, {{"error", "service unavailable, try again"}}, std::move(headers));
        }
        return demo::json_reply(200, {{"status", "ok"}, {"attempt", arrivals_.size()}});
    }

    bool returns_503(std::size_t request_index) const { return static_cast<int>(request_index) < failures_; }

    std::vector<std::chrono::steady_clock::time_point> arrivals()
    {
        std::lock_guard lock(mutex_);
        return arrivals_;
    }

private:
    std::mutex mutex_;
    int failures_;
    std::optional<std::string> retry_after_;
    std::vector<std::chrono::steady_clock::time_point> arrivals_;
};

double seconds_between(std::chrono::steady_clock::time_point from, std::chrono::steady_clock::time_point to)
{
    return std::chrono::duration<double>(to - from).count();
}

void add_routes(demo::server& server, flaky_endpoint& flaky)
{
    server.route("GET", "/items", [](const demo::request&) {
        return demo::json_reply(200, boost::json::array{{{"id", 1}, {"name", "alpha"}},
                                                        {{"id", 2}, {"name", "beta"}},
                                                        {{"id", 3}, {"name", "gamma"}}});
    });
    server.route("POST", "/echo", [](const demo::request& req) {
        return demo::json_reply(200, {{"method", req.method},
                                      {"content_type", req.header("Content-Type").value_or("")},
                                      {"received", boost::json::parse(req.body)}});
    });
    server.route("GET", "/search", [](const demo::request& req) {
        boost::json::object params;
        for (const auto& [name, value] : req.params)
            params[name] = value;
        return demo::json_reply(200, {{"params", params}});
    });
    server.route("GET", "/secret", [](const demo::request&) {
        return demo::json_reply(401, {{"error", "missing or invalid token"}}, {{"WWW-Authenticate", "Bearer"}});
    });
    server.route("GET", "/busy", [](const demo::request&) {
        return demo::json_reply(429, {{"error", "too many requests"}}, {{"Retry-After", "2"}});
    });
    server.route("GET", "/flaky", [&flaky](const demo::request& req) { return flaky(req); });
}

using steady = std::chrono::steady_clock;

/// Formats `seconds` with three decimals and a unit, as "0.200 s".
std::string format_seconds(double seconds)
{
    std::ostringstream out;
    out << std::fixed << std::setprecision(3) << seconds << " s";
    return out.str();
}

std::string format_seconds(std::chrono::nanoseconds duration)
{
    return format_seconds(std::chrono::duration<double>(duration).count());
}

/// Formats a short duration in milliseconds with two decimals, as "0.42 ms".
std::string format_milliseconds(double seconds)
{
    std::ostringstream out;
    out << std::fixed << std::setprecision(2) << seconds * 1000 << " ms";
    return out.str();
}

/// Formats the time from `start` to `at` as "+0.200 s".
std::string format_offset(steady::time_point start, steady::time_point at)
{
    return "+" + format_seconds(seconds_between(start, at));
}

/// Returns the first line of `text`.
std::string_view first_line(std::string_view text)
{
    return text.substr(0, text.find('\n'));
}

/// A metrics policy (see the metrics_recorder concept) that keeps the number,
/// status and chosen retry delay of every attempt. Copies share the records,
/// so the caller can keep one and give another to the client. Thread-safe.
class attempt_log {
public:
    struct entry {
        int attempt = 0;
        /// No value when no response arrived.
        std::optional<int> status{};
        /// The delay the retry policy chose before the next attempt, or no value when the call ended.
        std::optional<std::chrono::nanoseconds> next_delay{};
    };

    void on_attempt(const cc::attempt_record& record)
    {
        std::lock_guard lock(state_->mutex);
        state_->entries.push_back({record.attempt, record.status, record.next_delay});
    }

    void on_call(const cc::call_record&) {}

    std::vector<entry> entries() const
    {
        std::lock_guard lock(state_->mutex);
        return state_->entries;
    }

private:
    struct shared_state {
        std::mutex mutex;
        std::vector<entry> entries;
    };

    std::shared_ptr<shared_state> state_ = std::make_shared<shared_state>();
};

/// Records when each request reached an endpoint. Thread-safe.
class arrival_log {
public:
    void record()
    {
        std::lock_guard lock(mutex_);
        times_.push_back(steady::now());
    }

    std::vector<steady::time_point> times() const
    {
        std::lock_guard lock(mutex_);
        return times_;
    }

private:
    mutable std::mutex mutex_;
    std::vector<steady::time_point> times_;
};

using retrying_client = cc::basic_content_client<cc::beast_transport, cc::no_auth, cc::exponential_retry,
                                                 cc::no_rate_limit, cc::no_circuit_breaker, attempt_log>;

/// The retry policy of steps 8 and 9. With jitter 0 the delays are exact:
/// 0.2 s before attempt 2, 0.4 s before attempt 3, 0.8 s before attempt 4.
const cc::retry_policy demo_retry_policy{
    .max_attempts = 4, .initial_delay = cc::seconds_f(0.2), .multiplier = 2.0, .jitter = 0.0};

/// Prints, for each attempt, when it reached the server and the delay the
/// retry policy chose after it.
void print_attempts(steady::time_point start, const std::vector<steady::time_point>& arrivals,
                    const std::vector<attempt_log::entry>& attempts)
{
    for (std::size_t i = 0; i < attempts.size() && i < arrivals.size(); ++i) {
        const auto& attempt = attempts[i];
        std::cout << "     attempt " << attempt.attempt << " reached the server at " << format_offset(start, arrivals[i])
                  << " -> " << (attempt.status ? std::to_string(*attempt.status) : std::string("no response"));
        if (attempt.next_delay)
            std::cout << ", the policy chose a delay of " << format_seconds(*attempt.next_delay);
        std::cout << '\n';
    }
}

void show_exponential_backoff(demo::server& server)
{
    heading(8, "exponential_retry: the server returns 503 twice, then 200");
    auto endpoint = std::make_shared<flaky_endpoint>(2);
    server.route("GET", "/retry/backoff", [endpoint](const demo::request& req) { return (*endpoint)(req); });

    attempt_log log;
    retrying_client api({.base_url = server.url(), .timeout = cc::seconds_f(5)}, cc::no_auth(),
                        cc::exponential_retry(demo_retry_policy), cc::no_rate_limit(), cc::no_circuit_breaker(), log);
    std::cout << "   exponential_retry({.max_attempts = 4, .initial_delay = 0.2 s, .multiplier = 2.0, .jitter = 0.0})\n"
              << "   api.http_request(\"GET\", \"/retry/backoff\")\n";

    const auto start = steady::now();
    auto res = api.http_request("GET", "/retry/backoff");
    const auto end = steady::now();

    print_attempts(start, endpoint->arrivals(), log.entries());
    std::cout << "   final status " << res.status() << " after " << format_seconds(seconds_between(start, end))
              << ". With jitter 0 the delay before attempt n + 1 is\n"
              << "   initial_delay * multiplier^(n-1); a jitter of 0.2 would move each delay by up to 20 %.\n";
}

void show_retry_after(demo::server& server)
{
    heading(9, "exponential_retry waits the server's Retry-After: a 503 with Retry-After: 1, then 200");
    auto endpoint = std::make_shared<flaky_endpoint>(1, "1");
    server.route("GET", "/retry/after", [endpoint](const demo::request& req) { return (*endpoint)(req); });

    attempt_log log;
    retrying_client api({.base_url = server.url(), .timeout = cc::seconds_f(5)}, cc::no_auth(),
                        cc::exponential_retry(demo_retry_policy), cc::no_rate_limit(), cc::no_circuit_breaker(), log);
    std::cout << "   the same policy as in step 8; respect_retry_after is true by default\n"
              << "   api.http_request(\"GET\", \"/retry/after\")\n";

    const auto start = steady::now();
    auto res = api.http_request("GET", "/retry/after");
    const auto end = steady::now();

    print_attempts(start, endpoint->arrivals(), log.entries());
    std::cout << "   final status " << res.status() << " after " << format_seconds(seconds_between(start, end))
              << ". The policy's own backoff before attempt 2 is "
              << format_seconds(api.retry().base_delay(1)) << ",\n"
              << "   but the server's Retry-After replaced it.\n";
}

void show_token_bucket(demo::server& server)
{
    heading(10, "token_bucket: six calls at 5 per second with a burst of 2");
    auto arrivals = std::make_shared<arrival_log>();
    server.route("GET", "/limited", [arrivals](const demo::request&) {
        arrivals->record();
        return demo::json_reply(200, {{"status", "ok"}});
    });

    using rate_limited_client = cc::basic_content_client<cc::beast_transport, cc::no_auth, cc::no_retry, cc::token_bucket>;
    rate_limited_client api({.base_url = server.url(), .timeout = cc::seconds_f(5)}, cc::no_auth(), cc::no_retry(),
                            cc::token_bucket({.rate_per_second = 5, .burst = 2}));
    std::cout << "   token_bucket({.rate_per_second = 5, .burst = 2})\n"
              << "   six times, one after the other: api.get(\"/limited\")\n";

    const auto start = steady::now();
    constexpr int calls = 6;
    for (int call = 0; call < calls; ++call)
        api.get("/limited");

    const auto times = arrivals->times();
    for (std::size_t i = 0; i < times.size(); ++i) {
        std::cout << "     call " << i + 1 << " reached the server at " << format_offset(start, times[i]);
        if (i > 0)
            std::cout << " (" << format_seconds(seconds_between(times[i - 1], times[i])) << " after call " << i << ")";
        std::cout << '\n';
    }
    std::cout << "   The bucket starts with 2 tokens and gains one every 0.2 s, so calls 1 and 2 left\n"
              << "   at once and each later call waited for a token.\n";
}

std::string_view state_name(cc::breaker_state state)
{
    switch (state) {
    case cc::breaker_state::closed: return "closed";
    case cc::breaker_state::open: return "open";
    case cc::breaker_state::half_open: return "half-open";
    }
    return "unknown";
}

void show_circuit_breaker(demo::server& server)
{
    heading(11, "circuit_breaker: three failed calls open it; a probe after the recovery timeout closes it");
    struct endpoint_state {
        std::atomic<bool> healthy{false};
        std::atomic<int> requests{0};
    };
    auto endpoint = std::make_shared<endpoint_state>();
    server.route("GET", "/unstable", [endpoint](const demo::request&) {
        ++endpoint->requests;
        if (!endpoint->healthy)
            return demo::json_reply(500, {{"error", "database unavailable"}});
        return demo::json_reply(200, {{"status", "ok"}});
    });

    using guarded_client = cc::basic_content_client<cc::beast_transport, cc::no_auth, cc::no_retry,
                                                    cc::no_rate_limit, cc::circuit_breaker>;
    guarded_client api({.base_url = server.url(), .timeout = cc::seconds_f(5)}, cc::no_auth(), cc::no_retry(),
                       cc::no_rate_limit(),
                       cc::circuit_breaker({.failure_threshold = 3, .recovery_timeout = cc::seconds_f(1.0)}));
    auto& breaker = api.circuit_breaker();
    std::cout << "   circuit_breaker({.failure_threshold = 3, .recovery_timeout = 1 s}); /unstable returns 500\n";

    const auto start = steady::now();
    constexpr int failing_calls = 3;
    for (int call = 1; call <= failing_calls; ++call) {
        try {
            api.get("/unstable");
            std::cout << "   unexpected: call " << call << " succeeded\n";
        } catch (const cc::error& e) {
            std::cout << "   call " << call << " at " << format_offset(start, steady::now()) << ": threw "
                      << error_class(e) << ": " << first_line(e.what()) << '\n'
                      << "     breaker state " << state_name(breaker.state(steady::now())) << ", failures() = "
                      << breaker.failures() << '\n';
        }
    }

    std::chrono::duration<double> probe_wait = breaker.policy().recovery_timeout;
    const auto rejected_at = steady::now();
    try {
        api.get("/unstable");
        std::cout << "   unexpected: call 4 succeeded\n";
    } catch (const cc::circuit_open_error& e) {
        const auto end = steady::now();
        std::cout << "   call 4 at " << format_offset(start, rejected_at) << ": threw " << error_class(e) << " after "
                  << format_milliseconds(seconds_between(rejected_at, end)) << ", without sending a request\n"
                  << "     | " << e.what() << '\n'
                  << "     the server saw " << endpoint->requests << " requests in all\n";
        if (auto retry_in = e.retry_in())
            probe_wait = *retry_in;
    }

    // A little longer than retry_in(), so the breaker's timeout has surely passed.
    std::this_thread::sleep_for(probe_wait + std::chrono::milliseconds(50));
    endpoint->healthy = true;
    std::cout << "   waited " << format_seconds(probe_wait.count() + 0.05) << " for retry_in() and healed /unstable; breaker state "
              << state_name(breaker.state(steady::now())) << '\n';

    auto res = api.get("/unstable");
    std::cout << "   call 5 at " << format_offset(start, steady::now()) << " (the probe): status " << res.status()
              << "; breaker state " << state_name(breaker.state(steady::now())) << ", failures() = "
              << breaker.failures() << '\n';
}

/// Returns the start of `token` ("tok-2-..." becomes "tok-2..."), so output never shows a whole token.
std::string token_prefix(std::string_view token)
{
    return std::string(token.substr(0, token.find('-', 4))) + "...";
}

/// An OAuth2 provider for steps 12 and 13: a token endpoint for the
/// client-credentials grant (RFC 6749 section 4.4) and an API route that
/// accepts only the bearer tokens it issued, before they expire and unless
/// they were revoked. Its log shows a token only by its prefix and never
/// shows the client secret. Thread-safe.
class oauth2_provider {
public:
    oauth2_provider(std::string client_id, std::string client_secret, std::chrono::seconds lifetime)
        : client_id_(std::move(client_id)), client_secret_(std::move(client_secret)), lifetime_(lifetime)
    {
    }

    /// Handles POST /oauth2/token.
    demo::reply issue_token(const demo::request& req)
    {
        std::lock_guard lock(mutex_);
        ++token_requests_;
        if (req.header("Content-Type").value_or("").find("application/x-www-form-urlencoded") != 0) {
            log("POST /oauth2/token: 400, the body is not form-encoded");
            return demo::json_reply(400, {{"error", "invalid_request"}});
        }

        std::string grant_type, client_id, client_secret;
        for (const auto& [name, value] : req.form()) {
            if (name == "grant_type")
                grant_type = value;
            else if (name == "client_id")
                client_id = value;
            else if (name == "client_secret")
                client_secret = value;
        }
        if (grant_type != "client_credentials") {
            log("POST /oauth2/token: 400, unsupported grant_type '" + grant_type + "'");
            return demo::json_reply(400, {{"error", "unsupported_grant_type"}});
        }
        if (client_id != client_id_ || client_secret != client_secret_) {
            log("POST /oauth2/token: 401, invalid client credentials for client_id '" + client_id + "'");
            return demo::json_reply(401, {{"error", "invalid_client"}});
        }

        std::string token = "tok-" + std::to_string(token_requests_) + "-" + random_hex(16);
        last_issued_at_ = steady::now();
        tokens_[token] = {last_issued_at_ + lifetime_, false};
        log("POST /oauth2/token: issued " + token_prefix(token) + " to " + client_id + ", expires_in " +
            std::to_string(lifetime_.count()));
        return demo::json_reply(
            200, {{"access_token", token}, {"token_type", "Bearer"}, {"expires_in", lifetime_.count()}});
    }

    /// Handles GET /reports: 200 for a valid bearer token, else 401.
    demo::reply serve_reports(const demo::request& req)
    {
        std::lock_guard lock(mutex_);
        constexpr std::string_view scheme = "Bearer ";
        const std::string authorization = req.header("Authorization").value_or("");
        if (authorization.rfind(scheme, 0) != 0) {
            log("GET /reports without a bearer token: 401");
            return unauthorized("missing bearer token");
        }

        const std::string token = authorization.substr(scheme.size());
        auto found = tokens_.find(token);
        std::string problem;
        if (found == tokens_.end())
            problem = "unknown token";
        else if (found->second.revoked)
            problem = "token revoked";
        else if (steady::now() >= found->second.expires_at)
            problem = "token expired";
        if (!problem.empty()) {
            log("GET /reports with " + token_prefix(token) + ": 401, " + problem);
            return unauthorized(problem);
        }

        log("GET /reports with " + token_prefix(token) + ": 200");
        return demo::json_reply(200, {{"reports", boost::json::array{"daily", "weekly"}}});
    }

    /// Revokes every token issued so far.
    void revoke_all()
    {
        std::lock_guard lock(mutex_);
        for (auto& [token, entry] : tokens_) {
            if (!entry.revoked)
                log("revoked " + token_prefix(token));
            entry.revoked = true;
        }
    }

    int token_requests() const
    {
        std::lock_guard lock(mutex_);
        return token_requests_;
    }

    steady::time_point last_issued_at() const
    {
        std::lock_guard lock(mutex_);
        return last_issued_at_;
    }

    /// Returns the log lines written since the previous call, and clears them.
    std::vector<std::string> take_log()
    {
        std::lock_guard lock(mutex_);
        return std::exchange(log_, {});
    }

private:
    struct token_entry {
        steady::time_point expires_at{};
        bool revoked = false;
    };

    static demo::reply unauthorized(const std::string& problem)
    {
        return demo::json_reply(401, {{"error", "invalid_token"}, {"error_description", problem}},
                                {{"WWW-Authenticate", "Bearer error=\"invalid_token\""}});
    }

    std::string random_hex(std::size_t length)
    {
        constexpr std::string_view digits = "0123456789abcdef";
        std::string out;
        for (std::size_t i = 0; i < length; ++i)
            out += digits[engine_() % digits.size()];
        return out;
    }

    void log(std::string line) { log_.push_back(std::move(line)); }

    mutable std::mutex mutex_;
    const std::string client_id_;
    const std::string client_secret_;
    const std::chrono::seconds lifetime_;
    int token_requests_ = 0;
    steady::time_point last_issued_at_{};
    std::map<std::string, token_entry> tokens_;
    std::vector<std::string> log_;
    std::mt19937_64 engine_{std::random_device{}()};
};

/// Sends GET /reports and prints the status, the server's log of the call
/// and the token requests counted by the server and by the client.
void call_reports(cc::client& api, const cc::oauth2_client_credentials& oauth, oauth2_provider& provider,
                  int call, steady::time_point start)
{
    const auto sent_at = steady::now();
    auto res = api.get("/reports");
    const auto end = steady::now();
    std::cout << "   call " << call << " at " << format_offset(start, sent_at) << ": api.get(\"/reports\") -> "
              << res.status() << " in " << format_milliseconds(seconds_between(sent_at, end)) << '\n';
    for (const auto& line : provider.take_log())
        std::cout << "     server: " << line << '\n';
    std::cout << "     token requests: the server saw " << provider.token_requests()
              << ", oauth.token_requests() is " << oauth.token_requests() << '\n';
}

void show_oauth2(demo::server& server)
{
    constexpr std::chrono::seconds token_lifetime{2};
    constexpr cc::seconds_f refresh_margin{0.5};
    // The secret exists only here and in the provider, and nothing prints it.
    const std::string client_secret = "demo-secret-4f9a";
    auto provider = std::make_shared<oauth2_provider>("demo-collector", client_secret, token_lifetime);
    server.route("POST", "/oauth2/token", [provider](const demo::request& req) { return provider->issue_token(req); });
    server.route("GET", "/reports", [provider](const demo::request& req) { return provider->serve_reports(req); });

    const cc::oauth2_client_credentials oauth({.token_url = server.url("/oauth2/token"),
                                               .client_id = "demo-collector",
                                               .client_secret = client_secret,
                                               .refresh_margin = refresh_margin});
    // The client keeps a copy of `oauth`, and copies share the token and the request count.
    cc::client api({.base_url = server.url(), .timeout = cc::seconds_f(5)}, oauth);

    heading(12, "oauth2_client_credentials: a token is fetched, reused, and refreshed before it expires");
    std::cout << "   oauth2_client_credentials({.token_url = \"" << server.url("/oauth2/token") << "\",\n"
              << "                              .client_id = \"demo-collector\", .client_secret = <not shown>,\n"
              << "                              .refresh_margin = 0.5 s})\n"
              << "   the server issues tokens with expires_in " << token_lifetime.count() << '\n';

    const auto start = steady::now();
    call_reports(api, oauth, *provider, 1, start);
    call_reports(api, oauth, *provider, 2, start);

    // Wait until the token is inside the refresh margin but still valid on the server.
    const auto issued_at = provider->last_issued_at();
    const auto refresh_from = issued_at + std::chrono::duration_cast<steady::duration>(token_lifetime - refresh_margin);
    const auto call_at = refresh_from + std::chrono::milliseconds(100);
    std::this_thread::sleep_until(call_at);
    std::cout << "   the token was issued at " << format_offset(start, issued_at) << " and expires at "
              << format_offset(start, issued_at + token_lifetime) << "; with refresh_margin 0.5 s\n"
              << "   the client replaces it from " << format_offset(start, refresh_from) << ". Waited until "
              << format_offset(start, steady::now()) << ".\n";
    call_reports(api, oauth, *provider, 3, start);

    heading(13, "oauth2_client_credentials: the server revokes the token; the 401 makes the client refresh once");
    provider->revoke_all();
    for (const auto& line : provider->take_log())
        std::cout << "   server: " << line << '\n';
    call_reports(api, oauth, *provider, 4, start);
    const auto counts = api.metrics().counts();
    std::cout << "   api.metrics().counts(): " << counts.success << " successes, " << counts.auth_error
              << " authentication errors: the cured 401 did not fail the call\n";
}

}  // namespace

int main()
{
    flaky_endpoint flaky(2);
    demo::server server;
    add_routes(server, flaky);
    std::cout << "Demo API server listening on " << server.url() << "\n";

    cc::base_client api({.base_url = server.url(), .timeout = cc::seconds_f(5)});
    std::cout << "Client: content_client::base_client with base_url " << api.options().base_url << '\n';

    heading(1, "GET a JSON list");
    std::cout << "   api.http_request(\"GET\", \"/items\")\n";
    {
        auto res = api.http_request("GET", "/items");
        auto items = res.json().get_array();
        std::cout << "   status " << res.status() << ", " << items.size() << " items:\n";
        for (auto item : items)
            std::cout << "     id " << item["id"].get_int64().value() << ": " << item["name"].get_string().value()
                      << '\n';
    }

    heading(2, "POST a JSON body (the server echoes what it received)");
    std::cout << "   api.post(\"/echo\", {.json_data = boost::json::value{{\"name\", \"delta\"}, {\"tags\", {\"new\", \"demo\"}}}})\n";
    {
        auto res = api.post("/echo", {.json_data = boost::json::value{{"name", "delta"}, {"tags", {"new", "demo"}}}});
        std::cout << "   status " << res.status() << ", body: " << res.text() << '\n';
    }

    heading(3, "Query parameters (the server echoes them)");
    std::cout << "   api.get(\"/search\", {.params = {{\"q\", \"tls certificate\"}, {\"limit\", \"2\"}}})\n";
    {
        auto res = api.get("/search", {.params = {{"q", "tls certificate"}, {"limit", "2"}}});
        std::cout << "   sent to " << res.url() << '\n';
        std::cout << "   status " << res.status() << ", body: " << res.text() << '\n';
    }

    heading(4, "An error status: 404");
    std::cout << "   api.http_request(\"GET\", \"/missing\")\n";
    try {
        api.http_request("GET", "/missing");
        std::cout << "   unexpected: no error\n";
    } catch (const cc::error& e) {
        print_error(e);
        if (const auto* res = e.response())
            std::cout << "   e.response()->status() is " << res->status() << '\n';
    }

    heading(5, "401: authentication_error");
    std::cout << "   api.http_request(\"GET\", \"/secret\")\n";
    try {
        api.http_request("GET", "/secret");
        std::cout << "   unexpected: no error\n";
    } catch (const cc::authentication_error& e) {
        print_error(e);
    }

    heading(6, "429: rate_limit_error, with the server's Retry-After");
    std::cout << "   api.http_request(\"GET\", \"/busy\")\n";
    try {
        api.http_request("GET", "/busy");
        std::cout << "   unexpected: no error\n";
    } catch (const cc::rate_limit_error& e) {
        print_error(e);
        if (auto wait = e.retry_after())
            std::cout << "   e.retry_after() is " << wait->count() << " s\n";
    }

    heading(7, "Retry as BaseClient does: the server returns 503 twice, then 200");
    std::cout << "   api.http_request(\"GET\", \"/flaky\",\n"
              << "                    {.retries = 3, .status_list_to_retry = {503}, .backoff_factor = 0.1})\n";
    {
        const auto start = std::chrono::steady_clock::now();
        auto res = api.http_request("GET", "/flaky",
                                    {.retries = 3, .status_list_to_retry = {503}, .backoff_factor = 0.1});
        const auto end = std::chrono::steady_clock::now();

        std::cout << "   the server saw these attempts:\n";
        auto arrivals = flaky.arrivals();
        std::cout << std::fixed << std::setprecision(3);
        for (std::size_t i = 0; i < arrivals.size(); ++i)
            std::cout << "     attempt " << i + 1 << " at +" << seconds_between(start, arrivals[i]) << " s -> "
                      << (flaky.returns_503(i) ? 503 : 200) << '\n';
        std::cout << "   final status " << res.status() << ", body: " << res.text() << '\n';
        std::cout << "   took " << seconds_between(start, end) << " s. The first retry starts at once, and retry k\n"
                  << "   waits backoff_factor * 2^(k-1) s, so retry 2 (attempt 3) waited 0.2 s.\n";
    }

    show_exponential_backoff(server);
    show_retry_after(server);
    show_token_bucket(server);
    show_circuit_breaker(server);
    show_oauth2(server);

    std::cout << "\nDone.\n";
    return 0;
}
