// Precompiled header of the unit tests: Boost.Test and the client over the mock transport.
#include <boost/test/unit_test.hpp>
#include <content_client/basic_content_client.hpp>
#include <content_client/testing/mock_transport.hpp>
