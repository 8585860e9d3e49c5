// Helpers of the transport-level integration tests: one blocking call of
// beast_transport::async_send, and environment variables set for one scope.
#ifndef CONTENT_CLIENT_TESTS_INTEGRATION_TRANSPORT_CALLS_HPP
#define CONTENT_CLIENT_TESTS_INTEGRATION_TRANSPORT_CALLS_HPP

#include <content_client/detail/config.hpp>
#include <content_client/transport/beast_transport.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>

#include <cstdlib>
#include <future>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace content_client::integration {

CONTENT_CLIENT_COROUTINES_BEGIN

/// Starts one `async_send` of `req` on the transport's executor and returns its future.
///
/// `transport`, `req` and `opts` must stay valid until the future is ready.
inline std::future<send_result> start_send(beast_transport& transport, const request& req, const send_options& opts)
{
    return boost::asio::co_spawn(
        transport.get_executor(),
        [&transport, &req, &opts]() -> boost::asio::awaitable<send_result> {
            co_return co_await transport.async_send(req, opts);
        },
        boost::asio::use_future);
}

/// Sends `method` to `url` with `headers` on `transport` and waits for the result.
inline send_result send_once(beast_transport& transport, std::string method, std::string url,
                             http_headers headers = {}, const send_options& opts = {})
{
    request req{std::move(method), std::move(url), std::move(headers), {}};
    return start_send(transport, req, opts).get();
}

CONTENT_CLIENT_COROUTINES_END

/// Sets environment variables for the lifetime of the object and restores
/// their earlier values, or unsets them, in the destructor.
///
/// Tests in one process run one at a time, so no other thread reads the
/// environment meanwhile.
class scoped_environment {
public:
    /// Sets each `name` to `value`; a null `value` unsets it.
    explicit scoped_environment(std::vector<std::pair<std::string, const char*>> values)
    {
        for (auto& [name, value] : values) {
            const char* old = std::getenv(name.c_str());
            saved_.push_back({name, old ? std::optional<std::string>(old) : std::nullopt});
            if (value)
                ::setenv(name.c_str(), value, 1);
            else
                ::unsetenv(name.c_str());
        }
    }

    scoped_environment(const scoped_environment&) = delete;
    scoped_environment& operator=(const scoped_environment&) = delete;

    ~scoped_environment()
    {
        for (auto it = saved_.rbegin(); it != saved_.rend(); ++it) {
            if (it->second)
                ::setenv(it->first.c_str(), it->second->c_str(), 1);
            else
                ::unsetenv(it->first.c_str());
        }
    }

private:
    std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

}  // namespace content_client::integration

#endif
