// The concepts that constrain the policies of basic_content_client.
#ifndef CONTENT_CLIENT_CONCEPTS_HPP
#define CONTENT_CLIENT_CONCEPTS_HPP

#include <content_client/policy_types.hpp>
#include <content_client/transport/message.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <concepts>

namespace content_client {

/// I/O and time.
///
/// | expression | type | semantics |
/// |---|---|---|
/// | `t.async_send(req, opts)` | `asio::awaitable<send_result>` | sends one attempt, following redirects when `opts.follow_redirects` is set |
/// | `t.async_sleep(d)` | `asio::awaitable<void>` | suspends for `d` on the transport's clock |
/// | `t.now()` | `std::chrono::steady_clock::time_point` | monotonic time; every policy receives it |
/// | `t.system_now()` | `std::chrono::system_clock::time_point` | wall-clock time, for HTTP dates and stored expiries |
/// | `t.get_executor()` | convertible to `asio::any_io_executor` | where `async_http_request` runs its calls |
///
/// `async_send` reports failures in `send_result::ec`; it throws only on
/// bugs. It is called concurrently from several threads on one object.
template <class T>
concept transport = requires(T& t, const T& ct, const request& req, const send_options& opts,
                             std::chrono::nanoseconds d) {
    { t.async_send(req, opts) } -> std::same_as<boost::asio::awaitable<send_result>>;
    { t.async_sleep(d) } -> std::same_as<boost::asio::awaitable<void>>;
    { ct.now() } -> std::same_as<std::chrono::steady_clock::time_point>;
    { ct.system_now() } -> std::same_as<std::chrono::system_clock::time_point>;
    { ct.get_executor() } -> std::convertible_to<boost::asio::any_io_executor>;
};

/// Adds credentials to each attempt.
///
/// | expression | type | semantics |
/// |---|---|---|
/// | `a.apply(req)` | `void` | adds header fields or query parameters to `req` |
///
/// The hooks for token refresh and for a 401 are optional and detected
/// separately.
template <class A>
concept auth_handler = requires(A& a, request& req) {
    { a.apply(req) } -> std::same_as<void>;
};

/// Decides how many attempts a call makes and how long to wait between them.
///
/// | expression | type | semantics |
/// |---|---|---|
/// | `r.max_attempts(retries)` | `int` | total attempts for a call that passed `retries` |
/// | `r.next_delay(outcome)` | `std::optional<std::chrono::nanoseconds>` | the wait before the next attempt, or no value to stop |
template <class R>
concept retry_strategy = requires(R& r, const attempt_outcome& outcome, int retries) {
    { r.max_attempts(retries) } -> std::convertible_to<int>;
    { r.next_delay(outcome) } -> std::same_as<std::optional<std::chrono::nanoseconds>>;
};

/// Spaces attempts over time.
///
/// | expression | type | semantics |
/// |---|---|---|
/// | `l.acquire(now)` | `std::chrono::nanoseconds` | reserves one token; returns how long to wait before using it |
template <class L>
concept rate_limiter = requires(L& l, std::chrono::steady_clock::time_point now) {
    { l.acquire(now) } -> std::same_as<std::chrono::nanoseconds>;
};

/// Stops calls to a failing service.
///
/// | expression | type | semantics |
/// |---|---|---|
/// | `b.allow(now)` | `std::optional<std::chrono::nanoseconds>` | no value to let the call through, else the time until the next probe |
/// | `b.record_success(now)` | `void` | the call succeeded |
/// | `b.record_failure(now)` | `void` | the call failed |
template <class B>
concept breaker = requires(B& b, std::chrono::steady_clock::time_point now) {
    { b.allow(now) } -> std::same_as<std::optional<std::chrono::nanoseconds>>;
    { b.record_success(now) } -> std::same_as<void>;
    { b.record_failure(now) } -> std::same_as<void>;
};

/// Observes attempts and calls.
///
/// | expression | type | semantics |
/// |---|---|---|
/// | `m.on_attempt(record)` | `void` | one attempt ended (response or network error) |
/// | `m.on_call(record)` | `void` | one call ended |
template <class M>
concept metrics_recorder = requires(M& m, const attempt_record& attempt, const call_record& call) {
    { m.on_attempt(attempt) } -> std::same_as<void>;
    { m.on_call(call) } -> std::same_as<void>;
};

/// A policy that does nothing declares `static constexpr bool is_noop = true`;
/// the client then removes its step at compile time.
template <class P>
inline constexpr bool is_noop_policy = requires { requires P::is_noop; };

}  // namespace content_client

#endif
