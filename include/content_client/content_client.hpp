// The whole library: the client, the shipped policies, the transports and the aliases.
#ifndef CONTENT_CLIENT_CONTENT_CLIENT_HPP
#define CONTENT_CLIENT_CONTENT_CLIENT_HPP

#include <content_client/auth/any_auth.hpp>
#include <content_client/auth/api_key_auth.hpp>
#include <content_client/auth/auth_context.hpp>
#include <content_client/auth/basic_auth.hpp>
#include <content_client/auth/bearer_token_auth.hpp>
#include <content_client/auth/no_auth.hpp>
#include <content_client/auth/oauth2_client_credentials.hpp>
#include <content_client/basic_content_client.hpp>
#include <content_client/breaker/circuit_breaker.hpp>
#include <content_client/breaker/no_circuit_breaker.hpp>
#include <content_client/concepts.hpp>
#include <content_client/content_client_fwd.hpp>
#include <content_client/error.hpp>
#include <content_client/http_headers.hpp>
#include <content_client/metrics/execution_metrics.hpp>
#include <content_client/metrics/no_metrics.hpp>
#include <content_client/options.hpp>
#include <content_client/rate_limit/no_rate_limit.hpp>
#include <content_client/rate_limit/token_bucket.hpp>
#include <content_client/response.hpp>
#include <content_client/retry/exponential_retry.hpp>
#include <content_client/retry/no_retry.hpp>
#include <content_client/state/collection_state.hpp>
#include <content_client/state/context_store.hpp>
#include <content_client/state/file_store.hpp>
#include <content_client/state/memory_store.hpp>
#include <content_client/testing/mock_transport.hpp>
#include <content_client/transport/beast_transport.hpp>
#include <content_client/transport/message.hpp>
#include <content_client/version.hpp>

namespace content_client {

/// BaseClient's semantics over the real transport: no retries unless a call
/// passes `retries`, no rate limit, no breaker, no metrics.
using base_client = basic_content_client<beast_transport>;

/// ContentClient's defaults over the real transport: authentication chosen
/// at run time, exponential retry (5 attempts), a token bucket (disabled
/// until given a rate), a circuit breaker (5 failures, 60 s) and execution
/// metrics. Pass the policies to the constructor to configure them:
/// `client api(options, bearer_token_auth(token), exponential_retry({.max_attempts = 3}))`.
using client = basic_content_client<beast_transport, any_auth, exponential_retry, token_bucket, circuit_breaker,
                                    execution_metrics>;

}  // namespace content_client

#endif
