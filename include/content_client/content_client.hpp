// The whole library: the client, the shipped policies, the transports and the aliases.
#ifndef CONTENT_CLIENT_CONTENT_CLIENT_HPP
#define CONTENT_CLIENT_CONTENT_CLIENT_HPP

#include <content_client/auth/no_auth.hpp>
#include <content_client/basic_content_client.hpp>
#include <content_client/breaker/no_circuit_breaker.hpp>
#include <content_client/concepts.hpp>
#include <content_client/content_client_fwd.hpp>
#include <content_client/error.hpp>
#include <content_client/http_headers.hpp>
#include <content_client/metrics/no_metrics.hpp>
#include <content_client/options.hpp>
#include <content_client/rate_limit/no_rate_limit.hpp>
#include <content_client/response.hpp>
#include <content_client/retry/no_retry.hpp>
#include <content_client/testing/mock_transport.hpp>
#include <content_client/transport/beast_transport.hpp>
#include <content_client/transport/message.hpp>
#include <content_client/version.hpp>

namespace content_client {

/// BaseClient's semantics over the real transport: no retries unless a call
/// passes `retries`, no rate limit, no breaker, no metrics.
using base_client = basic_content_client<beast_transport>;

}  // namespace content_client

#endif
