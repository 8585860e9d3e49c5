// Compile-fail case of the breaker concept: a circuit breaker without record_failure().
//
// run_compile_fail.py compiles this file twice. With CONTENT_CLIENT_COMPILE_FAIL
// defined the policy lacks record_failure(), and the compiler must reject
// basic_content_client with a diagnostic that names `breaker`. Without the
// macro the policy is complete and the file must compile.
#include <content_client/basic_content_client.hpp>
#include <content_client/testing/mock_transport.hpp>

#include <chrono>
#include <optional>

namespace {

/// Opens for good after three consecutive failures.
struct three_strikes_breaker {
    int consecutive_failures = 0;

    std::optional<std::chrono::nanoseconds> allow(std::chrono::steady_clock::time_point) const
    {
        if (consecutive_failures >= 3)
            return std::chrono::nanoseconds::max();
        return std::nullopt;
    }

    void record_success(std::chrono::steady_clock::time_point) { consecutive_failures = 0; }

#ifndef CONTENT_CLIENT_COMPILE_FAIL
    void record_failure(std::chrono::steady_clock::time_point) { ++consecutive_failures; }
#endif
};

}  // namespace

int main()
{
    using content_client::no_auth;
    using content_client::no_rate_limit;
    using content_client::no_retry;
    using content_client::testing::mock_transport;

    mock_transport mock;
    content_client::basic_content_client<mock_transport, no_auth, no_retry, no_rate_limit, three_strikes_breaker> api(
        mock, {.base_url = "http://api.test"});
    mock.push(200, "{}");

    return api.http_request("GET", "/items").status() == 200 ? 0 : 1;
}
