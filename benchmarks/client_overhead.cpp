// The time one call spends in basic_content_client, against the time of the
// transport alone.
//
// Every benchmark sends the same GET through `fixed_transport`, which returns
// a fixed 200 at once without a network, so what differs between them is
// the client's pipeline and its policies. compare.py divides each time by
// `transport_alone`, measured in the same run.
#include <content_client/content_client.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <benchmark/benchmark.h>

#include <chrono>
#include <optional>
#include <string>

namespace cc = content_client;

namespace {

/// A transport that returns the same 200 response to every request.
///
/// Each call still suspends once, as a real transport does, so that the
/// coroutine machinery is part of the baseline.
class fixed_transport {
public:
    explicit fixed_transport(boost::asio::io_context& context) : context_(&context) {}

    boost::asio::awaitable<cc::send_result> async_send(const cc::request& req, const cc::send_options&)
    {
        cc::send_result result;
        result.response = cc::response(200, "OK", {{"Content-Type", "application/json"}}, R"({"ok":true})", req.url);
        result.request_sent = true;
        co_await boost::asio::post(co_await boost::asio::this_coro::executor, boost::asio::use_awaitable);
        co_return result;
    }

    boost::asio::awaitable<void> async_sleep(std::chrono::nanoseconds)
    {
        co_await boost::asio::post(co_await boost::asio::this_coro::executor, boost::asio::use_awaitable);
    }

    std::chrono::steady_clock::time_point now() const { return std::chrono::steady_clock::now(); }
    std::chrono::system_clock::time_point system_now() const { return std::chrono::system_clock::now(); }
    boost::asio::any_io_executor get_executor() const { return context_->get_executor(); }

private:
    boost::asio::io_context* context_;
};

/// Policies that do nothing but are not marked `is_noop`, so the client
/// calls them: the difference from `no_policies` is the cost of the calls
/// that `if constexpr` removes.
struct empty_retry {
    int max_attempts(int retries) const noexcept { return retries > 0 ? retries + 1 : 1; }
    std::optional<std::chrono::nanoseconds> next_delay(const cc::attempt_outcome&) const noexcept
    {
        return std::nullopt;
    }
};
struct empty_rate_limit {
    std::chrono::nanoseconds acquire(std::chrono::steady_clock::time_point) noexcept { return {}; }
};
struct empty_breaker {
    std::optional<std::chrono::nanoseconds> allow(std::chrono::steady_clock::time_point) noexcept { return {}; }
    void record_success(std::chrono::steady_clock::time_point) noexcept {}
    void record_failure(std::chrono::steady_clock::time_point) noexcept {}
};
struct empty_metrics {
    void on_attempt(const cc::attempt_record&) noexcept {}
    void on_call(const cc::call_record&) noexcept {}
};

cc::client_options options()
{
    cc::client_options o;
    o.base_url = "http://127.0.0.1:8080/api";
    return o;
}

void transport_alone(benchmark::State& state)
{
    boost::asio::io_context context;
    fixed_transport transport(context);
    cc::request req;
    req.method = "GET";
    req.url = "http://127.0.0.1:8080/api/v1/items";
    const cc::send_options opts;
    for (auto _ : state) {
        auto done = boost::asio::co_spawn(context, transport.async_send(req, opts), boost::asio::use_future);
        context.restart();
        context.run();
        benchmark::DoNotOptimize(done.get());
    }
}
BENCHMARK(transport_alone);

/// Sends `GET /v1/items` through `api` on its own io_context, as the blocking form does.
template <class Client>
void run_calls(benchmark::State& state, Client& api)
{
    cc::request_options call;
    call.resp_type = cc::resp_type::text;
    for (auto _ : state) {
        auto res = api.http_request("GET", "/v1/items", call);
        benchmark::DoNotOptimize(res);
    }
}

void no_policies(benchmark::State& state)
{
    boost::asio::io_context context;
    cc::basic_content_client<fixed_transport> api(fixed_transport(context), options());
    run_calls(state, api);
}
BENCHMARK(no_policies);

void empty_policies(benchmark::State& state)
{
    boost::asio::io_context context;
    cc::basic_content_client<fixed_transport, cc::no_auth, empty_retry, empty_rate_limit, empty_breaker, empty_metrics>
        api(fixed_transport(context), options());
    run_calls(state, api);
}
BENCHMARK(empty_policies);

void reference_policies(benchmark::State& state)
{
    boost::asio::io_context context;
    cc::basic_content_client<fixed_transport, cc::any_auth, cc::exponential_retry, cc::token_bucket,
                             cc::circuit_breaker, cc::execution_metrics>
        api(fixed_transport(context), options(), cc::bearer_token_auth("benchmark-token"), cc::exponential_retry(),
            cc::token_bucket(), cc::circuit_breaker(), cc::execution_metrics());
    run_calls(state, api);
}
BENCHMARK(reference_policies);

void json_body_parsed(benchmark::State& state)
{
    boost::asio::io_context context;
    cc::basic_content_client<fixed_transport> api(fixed_transport(context), options());
    for (auto _ : state) {
        auto res = api.http_request("GET", "/v1/items");
        benchmark::DoNotOptimize(res.json());
    }
}
BENCHMARK(json_body_parsed);

}  // namespace

BENCHMARK_MAIN();
