// Helpers shared by the integration tests: catching an expected exception
// and measuring the time a call took.
#ifndef CONTENT_CLIENT_TESTS_INTEGRATION_INTEGRATION_SUPPORT_HPP
#define CONTENT_CLIENT_TESTS_INTEGRATION_INTEGRATION_SUPPORT_HPP

#include <chrono>
#include <optional>
#include <string_view>
#include <utility>

namespace content_client::integration {

/// Runs `call` and returns the `Exception` it throws, or no value when it returns normally.
///
/// An exception of another type propagates, so Boost.Test reports it with its message.
template <class Exception, class Call>
std::optional<Exception> catch_error(Call&& call)
{
    try {
        std::forward<Call>(call)();
    } catch (const Exception& e) {
        return e;
    }
    return std::nullopt;
}

/// Runs `call` and returns the time it took on the steady clock, in seconds.
template <class Call>
double seconds_taken(Call&& call)
{
    const auto start = std::chrono::steady_clock::now();
    std::forward<Call>(call)();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// True when `text` contains `part`.
inline bool contains(std::string_view text, std::string_view part)
{
    return text.find(part) != std::string_view::npos;
}

}  // namespace content_client::integration

#endif
