// The metrics policy that records nothing.
#ifndef CONTENT_CLIENT_METRICS_NO_METRICS_HPP
#define CONTENT_CLIENT_METRICS_NO_METRICS_HPP

#include <content_client/policy_types.hpp>

namespace content_client {

/// Records nothing; `with_metrics` has no effect with it.
struct no_metrics {
    static constexpr bool is_noop = true;
    void on_attempt(const attempt_record&) const noexcept {}
    void on_call(const call_record&) const noexcept {}
};

}  // namespace content_client

#endif
