// Precompiled header of the integration tests: Boost.Test, the whole library, Beast and the loopback test servers.
#include <boost/asio/use_future.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/test/unit_test.hpp>
#include <content_client/content_client.hpp>
#include <content_client/state/file_store.hpp>
#include <support/test_server.hpp>
