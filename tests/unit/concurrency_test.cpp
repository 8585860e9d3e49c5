// One client shared by many threads: exact counts under contention.
#include <content_client/basic_content_client.hpp>
#include <content_client/breaker/circuit_breaker.hpp>
#include <content_client/metrics/execution_metrics.hpp>
#include <content_client/rate_limit/token_bucket.hpp>
#include <content_client/retry/exponential_retry.hpp>
#include <content_client/testing/mock_transport.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <atomic>
#include <latch>
#include <mutex>
#include <thread>
#include <vector>

namespace cc = content_client;
using cc::testing::mock_transport;
using namespace std::chrono_literals;

namespace {

using shared_client = cc::basic_content_client<mock_transport, cc::no_auth, cc::exponential_retry, cc::token_bucket,
                                               cc::circuit_breaker, cc::execution_metrics>;

constexpr int thread_count = 8;
constexpr int calls_per_thread = 250;

}  // namespace

BOOST_AUTO_TEST_SUITE(concurrency)

BOOST_AUTO_TEST_CASE(token_bucket_reservations_exact)
{
    cc::token_bucket bucket({.rate_per_second = 10.0, .burst = 5});
    const auto now = std::chrono::steady_clock::time_point{};
    std::mutex mutex;
    std::vector<std::chrono::nanoseconds> waits;

    std::vector<std::thread> threads;
    for (int t = 0; t < thread_count; ++t)
        threads.emplace_back([&] {
            std::vector<std::chrono::nanoseconds> local;
            for (int i = 0; i < calls_per_thread; ++i)
                local.push_back(bucket.acquire(now));
            std::lock_guard lock(mutex);
            waits.insert(waits.end(), local.begin(), local.end());
        });
    for (auto& t : threads)
        t.join();

    // Every reservation is distinct: 5 free tokens, then one every 100 ms.
    std::sort(waits.begin(), waits.end());
    const int total = thread_count * calls_per_thread;
    BOOST_REQUIRE(waits.size() == static_cast<std::size_t>(total));
    for (int k = 0; k < total; ++k) {
        auto expected = k < 5 ? 0ms : std::chrono::milliseconds(100 * (k - 4));
        BOOST_TEST(std::chrono::abs(waits[static_cast<std::size_t>(k)] - expected) < 1us, "reservation " << k);
    }
    BOOST_TEST(bucket.tokens(now) == 5.0 - total);
}

BOOST_AUTO_TEST_CASE(shared_client_counts_every_call)
{
    mock_transport mock;
    mock.on_request([](const cc::request&) { return cc::testing::mock_reply{.status = 200, .body = "{}"}; });
    const int total = thread_count * calls_per_thread;
    shared_client api(mock, {.base_url = "http://api.test"}, {}, cc::exponential_retry(),
                      cc::token_bucket({.rate_per_second = 0.001, .burst = total + 100}), cc::circuit_breaker());

    std::vector<std::thread> threads;
    for (int t = 0; t < thread_count; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < calls_per_thread; ++i)
                api.http_request("GET", "/items");
        });
    for (auto& t : threads)
        t.join();

    BOOST_TEST(mock.request_count() == static_cast<std::size_t>(total));
    BOOST_TEST(api.metrics().counts().success == static_cast<std::uint64_t>(total));
    BOOST_TEST(api.rate_limit().tokens(mock.now()) == 100.0);
    BOOST_TEST(mock.sleeps().empty());
}

BOOST_AUTO_TEST_CASE(half_open_lets_single_probe)
{
    mock_transport mock;
    shared_client api(mock, {.base_url = "http://api.test"}, {}, cc::exponential_retry({.max_attempts = 1}),
                      cc::token_bucket(), cc::circuit_breaker({.failure_threshold = 1}));
    mock.push(500);
    BOOST_CHECK_THROW(api.http_request("GET", "/x"), cc::error);
    mock.advance(60s);

    // The probe delays its reply until every other caller has been rejected.
    std::atomic<int> rejected{0};
    mock.on_request([&](const cc::request&) {
        for (int i = 0; i < 2000 && rejected.load() < thread_count - 1; ++i)
            std::this_thread::sleep_for(1ms);
        return cc::testing::mock_reply{.status = 200, .body = "{}"};
    });

    std::latch start(thread_count);
    std::atomic<int> succeeded{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < thread_count; ++t)
        threads.emplace_back([&] {
            start.arrive_and_wait();
            try {
                api.http_request("GET", "/probe");
                ++succeeded;
            } catch (const cc::circuit_open_error&) {
                ++rejected;
            }
        });
    for (auto& t : threads)
        t.join();

    BOOST_TEST(succeeded.load() == 1);
    BOOST_TEST(rejected.load() == thread_count - 1);
    BOOST_TEST(mock.request_count() == 2u);
    BOOST_TEST((api.circuit_breaker().state(mock.now()) == cc::breaker_state::closed));
}

BOOST_AUTO_TEST_CASE(coroutines_share_one_client)
{
    mock_transport mock;
    mock.on_request([](const cc::request&) { return cc::testing::mock_reply{.status = 200, .body = "{}"}; });
    shared_client api(mock, {.base_url = "http://api.test"}, {}, cc::exponential_retry(),
                      cc::token_bucket(), cc::circuit_breaker());
    std::atomic<int> completed{0};

    for (int i = 0; i < 200; ++i)
        api.async_http_request("GET", "/c", {}, [&](std::exception_ptr e, cc::response r) {
            if (!e && r.status() == 200)
                ++completed;
        });
    std::vector<std::thread> runners;
    for (int t = 0; t < 4; ++t)
        runners.emplace_back([&] { mock.context().run(); });
    for (auto& t : runners)
        t.join();

    BOOST_TEST(completed.load() == 200);
    BOOST_TEST(api.metrics().counts().success == 200u);
}

BOOST_AUTO_TEST_SUITE_END()
