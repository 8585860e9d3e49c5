// The basic request surface over the mock transport.
#include <content_client/basic_content_client.hpp>
#include <content_client/testing/mock_transport.hpp>

#include <boost/test/unit_test.hpp>

namespace cc = content_client;
using cc::testing::mock_transport;

BOOST_AUTO_TEST_SUITE(client_basics)

BOOST_AUTO_TEST_CASE(get_joins_base_url_and_suffix)
{
    mock_transport mock;
    cc::basic_content_client<mock_transport> api(mock, {.base_url = "http://api.test/v1"});
    mock.push(200, R"({"ok":true})");

    auto res = api.http_request("GET", "/items");

    BOOST_TEST(res.status() == 200);
    BOOST_TEST(mock.requests().at(0).url == "http://api.test/v1/items");
    BOOST_TEST(res.json()["ok"].get_bool().value() == true);
}

BOOST_AUTO_TEST_SUITE_END()
