// Uses content_client through its umbrella header, as a consuming project
// does, and checks one scripted request over the mock transport.
#include <content_client/content_client.hpp>

#include <iostream>

int main()
{
    using content_client::testing::mock_transport;

    mock_transport mock;
    content_client::basic_content_client<mock_transport> api(mock, {.base_url = "http://api.test/v1"});
    mock.push(200, R"({"items":[{"id":7}]})");

    auto res = api.http_request("GET", "/items", {.params = {{"limit", "1"}}});

    if (res.status() != 200) {
        std::cerr << "consumer: expected status 200, got " << res.status() << '\n';
        return 1;
    }
    const auto sent_url = mock.requests().at(0).url;
    if (sent_url != "http://api.test/v1/items?limit=1") {
        std::cerr << "consumer: expected the URL http://api.test/v1/items?limit=1, got " << sent_url << '\n';
        return 1;
    }
    const auto id = res.json()["items"].at(0)["id"].get_int64().value();
    if (id != 7) {
        std::cerr << "consumer: expected items[0].id == 7 in the JSON body, got " << id << '\n';
        return 1;
    }
    std::cout << "consumer: GET " << sent_url << " returned " << res.status() << '\n';
    return 0;
}
