// Compile-fail case of the metrics_recorder concept: a metrics policy without on_call().
//
// run_compile_fail.py compiles this file twice. With CONTENT_CLIENT_COMPILE_FAIL
// defined the policy lacks on_call(), and the compiler must reject
// basic_content_client with a diagnostic that names `metrics_recorder`. Without
// the macro the policy is complete and the file must compile.
#include <content_client/basic_content_client.hpp>
#include <content_client/testing/mock_transport.hpp>

namespace {

/// Counts attempts and calls.
struct counting_metrics {
    int attempts = 0;
    int calls = 0;

    void on_attempt(const content_client::attempt_record&) { ++attempts; }

#ifndef CONTENT_CLIENT_COMPILE_FAIL
    void on_call(const content_client::call_record&) { ++calls; }
#endif
};

}  // namespace

int main()
{
    using content_client::no_auth;
    using content_client::no_circuit_breaker;
    using content_client::no_rate_limit;
    using content_client::no_retry;
    using content_client::testing::mock_transport;

    mock_transport mock;
    content_client::basic_content_client<mock_transport, no_auth, no_retry, no_rate_limit, no_circuit_breaker,
                                         counting_metrics>
        api(mock, {.base_url = "http://api.test"});
    mock.push(200, "{}");

    return api.http_request("GET", "/items").status() == 200 ? 0 : 1;
}
