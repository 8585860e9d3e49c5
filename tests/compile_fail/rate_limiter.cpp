// Compile-fail case of the rate_limiter concept: a rate limiter without acquire().
//
// run_compile_fail.py compiles this file twice. With CONTENT_CLIENT_COMPILE_FAIL
// defined the policy lacks acquire(), and the compiler must reject
// basic_content_client with a diagnostic that names `rate_limiter`. Without the
// macro the policy is complete and the file must compile.
#include <content_client/basic_content_client.hpp>
#include <content_client/testing/mock_transport.hpp>

#include <chrono>

namespace {

/// Spaces attempts at least `spacing` apart.
struct fixed_spacing_limiter {
    std::chrono::nanoseconds spacing = std::chrono::milliseconds(100);
    std::chrono::steady_clock::time_point next_free{};

#ifndef CONTENT_CLIENT_COMPILE_FAIL
    std::chrono::nanoseconds acquire(std::chrono::steady_clock::time_point now)
    {
        auto start = next_free > now ? next_free : now;
        next_free = start + spacing;
        return start - now;
    }
#endif
};

}  // namespace

int main()
{
    using content_client::no_auth;
    using content_client::no_retry;
    using content_client::testing::mock_transport;

    mock_transport mock;
    content_client::basic_content_client<mock_transport, no_auth, no_retry, fixed_spacing_limiter> api(
        mock, {.base_url = "http://api.test"});
    mock.push(200, "{}");

    return api.http_request("GET", "/items").status() == 200 ? 0 : 1;
}
