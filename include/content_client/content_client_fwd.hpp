// Declares basic_content_client with its default policies.
#ifndef CONTENT_CLIENT_CONTENT_CLIENT_FWD_HPP
#define CONTENT_CLIENT_CONTENT_CLIENT_FWD_HPP

#include <content_client/auth/no_auth.hpp>
#include <content_client/breaker/no_circuit_breaker.hpp>
#include <content_client/concepts.hpp>
#include <content_client/metrics/no_metrics.hpp>
#include <content_client/rate_limit/no_rate_limit.hpp>
#include <content_client/retry/no_retry.hpp>

namespace content_client {

template <transport Transport, auth_handler Auth = no_auth, retry_strategy Retry = no_retry,
          rate_limiter RateLimit = no_rate_limit, breaker Breaker = no_circuit_breaker,
          metrics_recorder Metrics = no_metrics>
class basic_content_client;

class beast_transport;

}  // namespace content_client

#endif
