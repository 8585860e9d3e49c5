// The smallest complete program: send one GET with base_client and print the JSON body.
//
// A tiny API server runs in this process on 127.0.0.1 (see demo_server.hpp),
// so the example needs no network access. Against a real API, drop the
// server and set base_url to the API's address.
#include "demo_server.hpp"

#include <content_client/content_client.hpp>

#include <iostream>

int main()
{
    demo::server server;
    server.route("GET", "/hello", [](const demo::request&) {
        return demo::json_reply(200, {{"message", "hello from the API"}, {"items", {1, 2, 3}}});
    });

    content_client::base_client api({.base_url = server.url()});

    // http_request parses the body as JSON; json() returns the parsed document.
    auto res = api.http_request("GET", "/hello");
    std::cout << simdjson::to_string(res.json()) << '\n';
    std::cout << "message: " << res.json()["message"].get_string().value() << '\n';
    return 0;
}
