// Compile-fail case of the retry_strategy concept: a retry policy without next_delay().
//
// run_compile_fail.py compiles this file twice. With CONTENT_CLIENT_COMPILE_FAIL
// defined the policy lacks next_delay(), and the compiler must reject
// basic_content_client with a diagnostic that names `retry_strategy`. Without
// the macro the policy is complete and the file must compile.
#include <content_client/basic_content_client.hpp>
#include <content_client/testing/mock_transport.hpp>

#include <chrono>
#include <optional>

namespace {

/// Makes three attempts, one second apart.
struct fixed_delay_retry {
    int max_attempts(int) const { return 3; }

#ifndef CONTENT_CLIENT_COMPILE_FAIL
    std::optional<std::chrono::nanoseconds> next_delay(const content_client::attempt_outcome&) const
    {
        return std::chrono::seconds(1);
    }
#endif
};

}  // namespace

int main()
{
    using content_client::testing::mock_transport;

    mock_transport mock;
    content_client::basic_content_client<mock_transport, content_client::no_auth, fixed_delay_retry> api(
        mock, {.base_url = "http://api.test"});
    mock.push(200, "{}");

    return api.http_request("GET", "/items").status() == 200 ? 0 : 1;
}
