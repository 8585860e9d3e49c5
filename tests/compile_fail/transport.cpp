// Compile-fail case of the transport concept: a user transport without system_now().
//
// run_compile_fail.py compiles this file twice. With CONTENT_CLIENT_COMPILE_FAIL
// defined the transport lacks system_now(), and the compiler must reject
// basic_content_client with a diagnostic that names `transport`. Without the
// macro the transport is complete and the file must compile.
#include <content_client/basic_content_client.hpp>
#include <content_client/testing/mock_transport.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <utility>

namespace {

/// Forwards every operation to a mock transport.
class forwarding_transport {
public:
    explicit forwarding_transport(content_client::testing::mock_transport next) : next_(std::move(next)) {}

    boost::asio::awaitable<content_client::send_result> async_send(const content_client::request& req,
                                                                   const content_client::send_options& opts)
    {
        return next_.async_send(req, opts);
    }

    boost::asio::awaitable<void> async_sleep(std::chrono::nanoseconds d) { return next_.async_sleep(d); }

    std::chrono::steady_clock::time_point now() const { return next_.now(); }

#ifndef CONTENT_CLIENT_COMPILE_FAIL
    std::chrono::system_clock::time_point system_now() const { return next_.system_now(); }
#endif

    boost::asio::any_io_executor get_executor() const { return next_.get_executor(); }

private:
    content_client::testing::mock_transport next_;
};

}  // namespace

int main()
{
    content_client::testing::mock_transport mock;
    content_client::basic_content_client<forwarding_transport> api(forwarding_transport(mock),
                                                                   {.base_url = "http://api.test"});
    mock.push(200, "{}");

    return api.http_request("GET", "/items").status() == 200 ? 0 : 1;
}
