// Compile-fail case of the auth_handler concept: an auth policy without apply().
//
// run_compile_fail.py compiles this file twice. With CONTENT_CLIENT_COMPILE_FAIL
// defined the policy lacks apply(), and the compiler must reject
// basic_content_client with a diagnostic that names `auth_handler`. Without the
// macro the policy is complete and the file must compile.
#include <content_client/basic_content_client.hpp>
#include <content_client/testing/mock_transport.hpp>

#include <string>

namespace {

/// Sends a fixed bearer token.
struct static_token_auth {
    std::string token = "secret";

#ifndef CONTENT_CLIENT_COMPILE_FAIL
    void apply(content_client::request& req) { req.headers.set("Authorization", "Bearer " + token); }
#endif
};

}  // namespace

int main()
{
    using content_client::testing::mock_transport;

    mock_transport mock;
    content_client::basic_content_client<mock_transport, static_token_auth> api(mock,
                                                                                {.base_url = "http://api.test"});
    mock.push(200, "{}");

    return api.http_request("GET", "/items").status() == 200 ? 0 : 1;
}
