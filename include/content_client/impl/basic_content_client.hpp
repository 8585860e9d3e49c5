// The request pipeline of basic_content_client.
#ifndef CONTENT_CLIENT_IMPL_BASIC_CONTENT_CLIENT_HPP
#define CONTENT_CLIENT_IMPL_BASIC_CONTENT_CLIENT_HPP

// The class this file defines members of; basic_content_client.hpp includes
// this file at its end, and the include guard above makes that cycle safe.
#include <content_client/basic_content_client.hpp>

#include <content_client/auth/auth_context.hpp>
#include <content_client/detail/config.hpp>
#include <content_client/detail/request_builder.hpp>
#include <content_client/detail/response_checks.hpp>
#include <content_client/detail/retry_after.hpp>
#include <content_client/detail/text.hpp>
#include <content_client/detail/urllib3_retry.hpp>

#include <boost/asio/io_context.hpp>

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace content_client {

namespace detail {

/// The maximum timeout accepted; a longer one would overflow the clocks' arithmetic.
inline constexpr seconds_f max_duration{365.0 * 24 * 3600};

/// The maximum number of retries a call may request.
inline constexpr int max_retries = 1000;

/// Checks the options of one call; returns false and sets `message` for the first invalid one.
inline bool check_request_options(const request_options& o, std::string& message)
{
    if (o.retries < 0 || o.retries > max_retries) {
        message = "invalid request_options.retries (" + std::to_string(o.retries) + "): it must be between 0 and " +
                  std::to_string(max_retries);
        return false;
    }
    if (!(o.backoff_factor >= 0) || o.backoff_factor > max_duration.count()) {
        message = "invalid request_options.backoff_factor (" + python_float_repr(o.backoff_factor) +
                  "): it must be 0 or more seconds";
        return false;
    }
    if (!(o.backoff_jitter >= 0) || o.backoff_jitter > max_duration.count()) {
        message = "invalid request_options.backoff_jitter (" + python_float_repr(o.backoff_jitter) +
                  "): it must be 0 or more seconds";
        return false;
    }
    if (o.timeout) {
        for (auto value : {o.timeout->connect, o.timeout->read}) {
            if (!(value.count() > 0) || value > max_duration) {
                message = "invalid request_options.timeout (" + format_seconds(value) +
                          "): it must be a positive number of seconds, at most 365 days";
                return false;
            }
        }
    }
    for (int code : o.ok_codes) {
        if (code < 100 || code > 599) {
            message = "invalid status " + std::to_string(code) +
                      " in request_options.ok_codes: a status is between 100 and 599";
            return false;
        }
    }
    return true;
}

/// Checks the client's options; throws `configuration_error` naming the first invalid field.
inline void check_client_options(const client_options& o)
{
    auto positive = [](seconds_f value, std::string_view field) {
        if (!(value.count() > 0) || value > max_duration)
            throw configuration_error("invalid " + std::string(field) + " (" + format_seconds(value) +
                                      "): it must be a positive number of seconds, at most 365 days");
    };
    positive(o.timeout, "client_options.timeout");
    positive(o.timeouts.connect, "timeouts.connect");
    positive(o.timeouts.read, "timeouts.read");
    positive(o.timeouts.write, "timeouts.write");
    positive(o.timeouts.pool, "timeouts.pool");
    positive(o.timeouts.safety_buffer, "timeouts.safety_buffer");
    if (o.timeouts.execution) {
        positive(*o.timeouts.execution, "timeouts.execution");
        if (*o.timeouts.execution <= o.timeouts.safety_buffer)
            throw configuration_error("invalid timeouts.execution (" + format_seconds(*o.timeouts.execution) +
                                      "): it must be greater than timeouts.safety_buffer (" +
                                      format_seconds(o.timeouts.safety_buffer) + ")");
    }
    for (int code : o.ok_codes)
        if (code < 100 || code > 599)
            throw configuration_error("invalid status " + std::to_string(code) +
                                      " in client_options.ok_codes: a status is between 100 and 599");
    if (o.max_body_size == 0)
        throw configuration_error("invalid client_options.max_body_size (0): it must be at least 1 byte");
    if (o.max_header_size == 0)
        throw configuration_error("invalid client_options.max_header_size (0): it must be at least 1 byte");
    if (o.max_redirects < 0)
        throw configuration_error("invalid client_options.max_redirects (" + std::to_string(o.max_redirects) +
                                  "): it must be 0 or more");
    if (o.max_connections_per_host == 0)
        throw configuration_error("invalid client_options.max_connections_per_host (0): it must be at least 1");
    positive(o.idle_timeout, "client_options.idle_timeout");
    if (o.client_cert_file.empty() != o.client_key_file.empty())
        throw configuration_error("client_options.client_cert_file and client_options.client_key_file must be set "
                                  "together for mutual TLS");

    std::string message;
    if (!check_headers(o.headers, "client_options.headers", message))
        throw configuration_error(message);
    if (!o.base_url.empty()) {
        request_options probe;
        if (build_url(o.base_url, {}, probe, message).empty())
            throw configuration_error("invalid client_options.base_url: " + message);
    }
}

/// The transport options of one attempt: the phase timeouts, bounded by the
/// call's timeout and the execution deadline.
inline send_options make_send_options(const client_options& client, const request_options& call,
                                      std::chrono::steady_clock::time_point now,
                                      std::optional<std::chrono::steady_clock::time_point> execution_deadline)
{
    using std::chrono::nanoseconds;
    auto to_ns = [](seconds_f s) { return std::chrono::duration_cast<nanoseconds>(s); };

    seconds_f connect = client.timeouts.connect;
    seconds_f attempt = client.timeout;
    if (call.timeout) {
        connect = std::min(connect, call.timeout->connect);
        attempt = call.timeout->connect == call.timeout->read ? call.timeout->read
                                                               : call.timeout->connect + call.timeout->read;
    }

    send_options so;
    so.connect_timeout = to_ns(std::min(connect, attempt));
    so.write_timeout = to_ns(std::min(client.timeouts.write, attempt));
    so.read_timeout = to_ns(std::min(client.timeouts.read, attempt));
    so.pool_timeout = to_ns(std::min(client.timeouts.pool, attempt));
    so.deadline = now + to_ns(attempt);
    if (execution_deadline && *execution_deadline < *so.deadline)
        so.deadline = execution_deadline;
    so.follow_redirects = call.allow_redirects && !call.raise_on_redirect;
    so.max_redirects = client.max_redirects;
    return so;
}

/// Replaces the credentials of a call in `message` with `<redacted>`.
///
/// These are the handler's secret values, the password and base64 form of
/// the Basic `credentials`, and the password of any URL's user information.
/// Each value is also replaced in the two escaped forms in which messages
/// quote a body. The status message re-serializes a JSON body with non-ASCII
/// characters escaped, and the message of a body that did not decode quotes
/// it as a Python bytes literal.
template <class Auth>
void redact_credentials(std::string& message, const Auth& auth, const std::optional<basic_credentials>& credentials)
{
    if (message.empty())
        return;
    std::vector<std::string> secrets;
    if constexpr (auth_with_secret_values<Auth>)
        secrets = auth.secret_values();
    if (credentials) {
        secrets.push_back(credentials->password);
        secrets.push_back(base64_encode(credentials->username + ":" + credentials->password));
    }
    const auto count = secrets.size();
    for (std::size_t i = 0; i < count; ++i) {
        std::string json;
        append_python_json_string(json, secrets[i]);
        secrets.push_back(json.substr(1, json.size() - 2));
        const std::string bytes = python_bytes_repr(secrets[i]);
        secrets.push_back(bytes.substr(2, bytes.size() - 3));
        // A server that decodes header bytes as Latin-1 (Python's http.server
        // and WSGI servers do) echoes a UTF-8 secret as one character per byte.
        const bool non_ascii = std::any_of(secrets[i].begin(), secrets[i].end(),
                                           [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
        if (non_ascii) {
            const std::string misread = latin1_to_utf8(secrets[i]);
            std::string misread_json;
            append_python_json_string(misread_json, misread);
            secrets.push_back(misread);
            secrets.push_back(misread_json.substr(1, misread_json.size() - 2));
        }
    }
    message = redact_url_passwords(redact(message, std::move(secrets)));
}

}  // namespace detail

template <transport Transport, auth_handler Auth, retry_strategy Retry, rate_limiter RateLimit, breaker Breaker,
          metrics_recorder Metrics>
basic_content_client<Transport, Auth, Retry, RateLimit, Breaker, Metrics>::basic_content_client(
    Transport transport, client_options options, Auth auth, Retry retry, RateLimit rate_limit, Breaker breaker,
    Metrics metrics)
    : transport_(std::move(transport)),
      config_{std::move(options), {}},
      auth_(std::move(auth)),
      retry_(std::move(retry)),
      rate_limit_(std::move(rate_limit)),
      breaker_(std::move(breaker)),
      metrics_(std::move(metrics))
{
    detail::check_client_options(config_.options);
    config_.created = transport_.now();
}

template <transport Transport, auth_handler Auth, retry_strategy Retry, rate_limiter RateLimit, breaker Breaker,
          metrics_recorder Metrics>
response basic_content_client<Transport, Auth, Retry, RateLimit, Breaker, Metrics>::http_request(
    std::string_view method, std::string_view url_suffix, request_options options, error_code& ec,
    diagnostics& info)
{
    // The call runs on a private io_context in this thread; the transport's
    // own I/O objects complete onto it through Asio's associated executor.
    boost::asio::io_context context;
    std::exception_ptr failure;
    std::optional<detail::call_result> result;
    boost::asio::co_spawn(context, run_call(std::string(method), std::string(url_suffix), std::move(options)),
                          [&](std::exception_ptr e, detail::call_result r) {
                              failure = e;
                              result.emplace(std::move(r));
                          });
    context.run();
    if (failure)
        std::rethrow_exception(failure);

    ec = result->ec;
    info = std::move(result->info);
    if (ec && !info.last_response && result->response.status() != 0)
        info.last_response = result->response;
    return std::move(result->response);
}

CONTENT_CLIENT_COROUTINES_BEGIN

template <transport Transport, auth_handler Auth, retry_strategy Retry, rate_limiter RateLimit, breaker Breaker,
          metrics_recorder Metrics>
boost::asio::awaitable<detail::call_result>
basic_content_client<Transport, Auth, Retry, RateLimit, Breaker, Metrics>::run_call(std::string method,
                                                                                   std::string url_suffix,
                                                                                   request_options options)
{
    using std::chrono::nanoseconds;
    detail::call_result result;
    const auto& client = config_.options;
    const auto call_start = transport_.now();
    const auto deadline = execution_deadline();

    auto fail = [&](errc code, std::string message) {
        result.ec = make_error_code(code);
        result.info.message = std::move(message);
    };
    // Runs before every co_return: no message carries the call's
    // credentials, even when the server echoes them in its body.
    auto redact_message = [&] {
        detail::redact_credentials(result.info.message, auth_, options.auth ? options.auth : client.auth);
    };

    // Built once; each attempt copies it and adds credentials.
    request base_request;
    // Metrics see the URL without the handler's credentials and without a user information password.
    std::string reported_url;
    // Gives the metrics policy the one record of this call, also when the
    // call ends before its first attempt.
    auto report_call = [&]([[maybe_unused]] int attempts, [[maybe_unused]] std::optional<int> status) {
        if constexpr (!is_noop_policy<Metrics>) {
            call_record record;
            // The request's method is upper-cased, but invalid options end the call before it is built.
            record.method = base_request.method.empty() ? std::string_view(method) : std::string_view(base_request.method);
            record.url = reported_url;
            record.attempts = attempts;
            record.status = status;
            record.ec = result.ec;
            record.elapsed = std::chrono::duration_cast<nanoseconds>(transport_.now() - call_start);
            record.with_metrics = options.with_metrics;
            metrics_.on_call(record);
        }
    };

    // Build the request.
    {
        std::string message;
        if (!detail::check_request_options(options, message) ||
            !detail::build_request(client, method, url_suffix, options, base_request, message)) {
            fail(errc::invalid_configuration, std::move(message));
            report_call(0, std::nullopt);
            redact_message();
            co_return result;
        }
    }
    if constexpr (!is_noop_policy<Metrics>)
        reported_url = detail::redact_url_passwords(base_request.url);

    // 1. The breaker rejects the call while open.
    if constexpr (!is_noop_policy<Breaker>) {
        if (auto wait = breaker_.allow(transport_.now())) {
            fail(errc::circuit_open, "Circuit breaker is open, refusing to send request; the next probe is allowed in " +
                                         detail::format_seconds(*wait));
            result.info.retry_in = *wait;
            report_call(0, std::nullopt);
            redact_message();
            co_return result;
        }
    }

    const bool urllib3_mode = is_noop_policy<Retry>;
    const int max_attempts = std::max(1, static_cast<int>(retry_.max_attempts(options.retries)));
    int attempt = 0;
    int sent_attempts = 0;
    int consecutive_failures = 0;
    bool call_succeeded = false;
    bool unauthorized_retry_used = false;
    std::optional<int> final_status;

    std::vector<std::string> sensitive_headers;
    if constexpr (auth_with_sensitive_headers<Auth>)
        sensitive_headers = auth_.sensitive_headers();
    auth_context auth_ctx;
    if constexpr (auth_with_prepare<Auth>) {
        auth_ctx.send = [this](const request& r, const send_options& o) { return transport_.async_send(r, o); };
        auth_ctx.now = [this] { return transport_.now(); };
        auth_ctx.system_now = [this] { return transport_.system_now(); };
    }

    // Gives the metrics policy the record of the attempt that just ended.
    auto report_attempt = [&]([[maybe_unused]] const request& req, [[maybe_unused]] std::optional<int> status,
                              [[maybe_unused]] error_code ec, [[maybe_unused]] auto latency,
                              [[maybe_unused]] std::optional<nanoseconds> next_delay) {
        if constexpr (!is_noop_policy<Metrics>) {
            attempt_record record;
            record.method = req.method;
            record.url = reported_url;
            record.attempt = attempt;
            record.status = status;
            record.ec = ec;
            record.latency = std::chrono::duration_cast<nanoseconds>(latency);
            record.next_delay = next_delay;
            record.with_metrics = options.with_metrics;
            metrics_.on_attempt(record);
        }
    };

    // Returns false when `wait` would end past the execution deadline.
    auto fits_deadline = [&](nanoseconds wait) {
        return !deadline || transport_.now() + wait < *deadline;
    };
    auto deadline_message = [&](std::string_view what, nanoseconds wait) {
        auto left = *deadline > transport_.now() ? *deadline - transport_.now() : nanoseconds(0);
        return "execution deadline reached: " + std::string(what) + " of " + detail::format_seconds(wait) +
               " would end past it (" + detail::format_seconds(left) +
               " left before the safety buffer of " + detail::format_seconds(client.timeouts.safety_buffer) + ")";
    };

    // 2. The attempt loop.
    while (true) {
        ++attempt;
        ++sent_attempts;
        result.info.attempts = sent_attempts;

        if (deadline && transport_.now() >= *deadline) {
            fail(errc::timed_out, deadline_message("attempt " + std::to_string(attempt), nanoseconds(0)));
            break;
        }

        // 2.1 Rate limit: one token per attempt.
        if constexpr (!is_noop_policy<RateLimit>) {
            auto wait = rate_limit_.acquire(transport_.now());
            if (wait > nanoseconds(0)) {
                if (!fits_deadline(wait)) {
                    fail(errc::timed_out, deadline_message("the rate-limit wait", wait));
                    break;
                }
                co_await transport_.async_sleep(wait);
            }
        }

        // 2.2 Credentials: fetch or refresh a token when the handler needs one.
        if constexpr (auth_with_prepare<Auth>) {
            auto prepared = co_await auth_.async_prepare(auth_ctx);
            if (prepared.ec) {
                result.ec = prepared.ec;
                result.info.message = std::move(prepared.message);
                break;
            }
        }
        request req = base_request;
        if constexpr (!is_noop_policy<Auth>)
            auth_.apply(req);

        // 2.3 Send.
        auto send_opts = detail::make_send_options(client, options, transport_.now(), deadline);
        send_opts.sensitive_headers = sensitive_headers;
        const auto attempt_start = transport_.now();
        send_result sent = co_await transport_.async_send(req, send_opts);
        const auto latency = transport_.now() - attempt_start;

        // The attempt's own timeout, unlike the execution deadline, is a
        // read or connect timeout that a retry may cure.
        if (sent.ec == errc::timed_out && (!deadline || *send_opts.deadline < *deadline))
            sent.ec = make_error_code(sent.request_sent ? errc::read_timeout : errc::connect_timeout);

        std::optional<int> status;
        std::optional<nanoseconds> retry_after;
        bool has_retry_after = false;
        if (!sent.ec) {
            status = sent.response.status();
            if (auto value = sent.response.header("Retry-After")) {
                has_retry_after = true;
                retry_after = detail::parse_retry_after(*value, transport_.system_now());
            }
        }
        final_status = status;

        // A 401 makes the handler drop its token; the call tries once more at
        // once, and that try keeps the attempt number.
        if constexpr (auth_with_unauthorized_hook<Auth>) {
            if (status && *status == 401 && !unauthorized_retry_used && auth_.on_unauthorized(req)) {
                unauthorized_retry_used = true;
                report_attempt(req, status, sent.ec, latency, nanoseconds(0));
                --attempt;
                continue;
            }
        }

        // A 429's Retry-After pauses every attempt that the rate limiter spaces.
        if constexpr (requires { rate_limit_.on_retry_after(transport_.now(), std::chrono::nanoseconds()); }) {
            if (status && *status == 429 && retry_after)
                rate_limit_.on_retry_after(transport_.now(), *retry_after);
        }

        // 2.4 Classify and choose the delay before the next attempt.
        std::optional<nanoseconds> delay;
        bool retryable = false;
        if (urllib3_mode) {
            // urllib3 honours Retry-After only while retries remain, so an
            // exhausted unlisted 429 is returned as a response, not as retry_error.
            if (status)
                retryable = options.retries > 0 &&
                            detail::urllib3_retries_status(req.method, *status, options.status_list_to_retry,
                                                           has_retry_after && attempt < max_attempts);
            else
                retryable = options.retries > 0 && detail::urllib3_retries_error(req.method, sent.ec, sent.request_sent);
            if (retryable && attempt < max_attempts)
                delay = detail::urllib3_sleep(consecutive_failures + 1, options.backoff_factor,
                                              options.backoff_jitter, retry_after);
        } else {
            attempt_outcome outcome;
            outcome.attempt = attempt;
            outcome.max_attempts = max_attempts;
            outcome.method = req.method;
            outcome.status = status;
            outcome.ec = sent.ec;
            outcome.request_sent = sent.request_sent;
            outcome.retry_after = retry_after;
            outcome.retry_statuses = options.status_list_to_retry;
            outcome.now = transport_.now();
            if (attempt < max_attempts)
                delay = retry_.next_delay(outcome);
            retryable = delay.has_value();
        }

        report_attempt(req, status, sent.ec, latency, delay);

        if (delay) {
            ++consecutive_failures;
            if (!fits_deadline(*delay)) {
                // A server-requested wait past the deadline fails with the
                // status's own error, which carries the Retry-After value.
                if (status) {
                    result.response = sent.response;
                    result.info.last_response = sent.response;
                }
                result.info.retry_after = retry_after;
                const bool server_wait = status && retry_after && *delay == *retry_after;
                fail(server_wait ? detail::status_error_code(*status) : errc::timed_out,
                     deadline_message(server_wait ? "the server's Retry-After wait" : "the retry sleep", *delay));
                break;
            }

            // A retry does not start while the breaker is open.
            if constexpr (requires { { breaker_.is_open(transport_.now()) } -> std::convertible_to<bool>; }) {
                if (breaker_.is_open(transport_.now())) {
                    if (status) {
                        result.response = sent.response;
                        result.info.last_response = sent.response;
                    }
                    fail(errc::circuit_open, "Circuit breaker is open, refusing to retry the request");
                    break;
                }
            }
            co_await transport_.async_sleep(*delay);
            continue;
        }

        // 3. The final outcome of the call.
        if (sent.ec) {
            result.ec = sent.ec;
            result.info.message = detail::network_error_message(sent.ec, sent.message, client.verify);
            // A policy that retried network failures reports their exhaustion as retry_error.
            if (!urllib3_mode && attempt > 1 && is_network_error(sent.ec)) {
                result.ec = make_error_code(errc::retries_exhausted);
                result.info.message = "Exceeded retry attempts: " + result.info.message;
            }
            break;
        }

        result.response = std::move(sent.response);
        if (retryable && options.raise_on_status) {
            fail(errc::retries_exhausted, "Max Retries Error- Request attempts with " + std::to_string(options.retries) +
                                              " retries failed. \nReason: too many " + std::to_string(*status) +
                                              " error responses");
            result.info.last_response = result.response;
            break;
        }

        if (!detail::status_is_valid(*status, options.ok_codes.empty() ? client.ok_codes : options.ok_codes)) {
            if (options.error_handler) {
                try {
                    options.error_handler(result.response);
                } catch (...) {
                    if constexpr (!is_noop_policy<Breaker>)
                        breaker_.record_failure(transport_.now());
                    throw;
                }
            } else {
                auto code = detail::status_error_code(*status);
                fail(code, detail::status_error_message(result.response));
                result.info.last_response = result.response;
                result.info.retry_after = retry_after;
                break;
            }
        }

        // 4. Cast the response for resp_type.
        std::string message;
        if (!detail::check_resp_type(result.response, options, message)) {
            fail(errc::invalid_response, std::move(message));
            result.info.last_response = result.response;
            // The status was valid, so the breaker counts a success although the body did not decode.
            call_succeeded = true;
            break;
        }
        call_succeeded = true;
        break;
    }

    // 5. The breaker and the metrics see the call's final outcome.
    if constexpr (!is_noop_policy<Breaker>) {
        if (call_succeeded)
            breaker_.record_success(transport_.now());
        else
            breaker_.record_failure(transport_.now());
    }
    report_call(sent_attempts, final_status);
    redact_message();
    co_return result;
}

CONTENT_CLIENT_COROUTINES_END

}  // namespace content_client

#endif
