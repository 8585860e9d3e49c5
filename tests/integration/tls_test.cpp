// TLS with the real beast_transport against HTTPS servers on 127.0.0.1:
// certificate and host name verification, a CA file, verify=false, mutual
// TLS, invalid TLS files, and bodies that end without close_notify.
#include "integration/integration_support.hpp"
#include "integration/transport_calls.hpp"
#include "support/test_certificates.hpp"
#include "support/tls_server.hpp"

#include <content_client/content_client.hpp>

#include <boost/test/unit_test.hpp>

#include <string>

namespace cc = content_client;
namespace ts = content_client::test_support;
using cc::integration::catch_error;
using cc::integration::contains;
using cc::integration::send_once;

namespace {

/// The certificates of every TLS test, created once per process.
const ts::test_certificates& certificates()
{
    static const ts::test_certificates certs;
    return certs;
}

ts::tls_server_options serving(const ts::pem_pair& identity)
{
    return {.identity = identity};
}

const std::string verification_failed = "SSL Certificate Verification Failed - ";

}  // namespace

BOOST_AUTO_TEST_SUITE(tls)

BOOST_AUTO_TEST_CASE(unknown_ca_fails_verification)
{
    ts::tls_server server(serving(certificates().server()));
    cc::base_client api({.base_url = server.url()});

    auto e = catch_error<cc::error>([&] { api.get("/items"); });

    BOOST_TEST_REQUIRE(e.has_value());
    BOOST_TEST((e->code() == cc::errc::tls_failed), "code: " << e->code().message());
    BOOST_TEST(std::string(e->what()).starts_with(verification_failed), e->what());
    BOOST_TEST(contains(e->what(), "127.0.0.1:" + std::to_string(server.port())), e->what());
    BOOST_TEST(server.requests_received() == 0u);
}

BOOST_AUTO_TEST_CASE(trusted_ca_file_succeeds)
{
    ts::tls_server server(serving(certificates().server()));
    cc::base_client api({.base_url = server.url(), .ca_file = certificates().ca_file()});

    auto res = api.get("/items");

    BOOST_TEST(res.status() == 200);
    BOOST_TEST(res.text() == R"({"secure":true})");
}

BOOST_AUTO_TEST_CASE(trusted_ca_file_host_name)
{
    ts::tls_server server(serving(certificates().server()));
    cc::base_client api({.base_url = server.url("/", "localhost"), .ca_file = certificates().ca_file()});

    auto res = api.get("/items");

    BOOST_TEST(res.status() == 200);
}

BOOST_AUTO_TEST_CASE(wrong_host_name_fails)
{
    ts::tls_server server(serving(certificates().other_host()));
    cc::base_client api({.base_url = server.url(), .ca_file = certificates().ca_file()});

    auto e = catch_error<cc::error>([&] { api.get("/items"); });

    BOOST_TEST_REQUIRE(e.has_value());
    BOOST_TEST((e->code() == cc::errc::tls_failed), "code: " << e->code().message());
    BOOST_TEST(std::string(e->what()).starts_with(verification_failed), e->what());
    BOOST_TEST(contains(e->what(), "mismatch"), e->what());
}

BOOST_AUTO_TEST_CASE(expired_certificate_fails)
{
    ts::tls_server server(serving(certificates().expired()));
    cc::base_client api({.base_url = server.url(), .ca_file = certificates().ca_file()});

    auto e = catch_error<cc::error>([&] { api.get("/items"); });

    BOOST_TEST_REQUIRE(e.has_value());
    BOOST_TEST((e->code() == cc::errc::tls_failed), "code: " << e->code().message());
    BOOST_TEST(std::string(e->what()).starts_with(verification_failed), e->what());
    BOOST_TEST(contains(e->what(), "expired"), e->what());
}

BOOST_AUTO_TEST_CASE(verify_false_accepts_any_certificate)
{
    ts::tls_server server(serving(certificates().other_host()));
    cc::base_client api({.base_url = server.url(), .verify = false});

    auto res = api.get("/items");

    BOOST_TEST(res.status() == 200);
}

BOOST_AUTO_TEST_CASE(verify_false_expired_certificate)
{
    ts::tls_server server(serving(certificates().expired()));
    cc::base_client api({.base_url = server.url(), .verify = false});

    auto res = api.get("/items");

    BOOST_TEST(res.status() == 200);
}

BOOST_AUTO_TEST_CASE(mutual_tls_with_client_certificate)
{
    auto options = serving(certificates().server());
    options.client_ca = certificates().ca().certificate;
    ts::tls_server server(options);
    cc::base_client api({.base_url = server.url(),
                         .ca_file = certificates().ca_file(),
                         .client_cert_file = certificates().client_cert_file(),
                         .client_key_file = certificates().client_key_file()});

    auto res = api.get("/items");

    BOOST_TEST(res.status() == 200);
    BOOST_TEST(server.handshakes_completed() == 1u);
}

BOOST_AUTO_TEST_CASE(mutual_tls_without_client_certificate)
{
    auto options = serving(certificates().server());
    options.client_ca = certificates().ca().certificate;
    ts::tls_server server(options);
    cc::base_client api({.base_url = server.url(), .ca_file = certificates().ca_file()});

    auto e = catch_error<cc::error>([&] { api.get("/items"); });

    BOOST_TEST_REQUIRE(e.has_value());
    BOOST_TEST((e->code() == cc::errc::tls_failed), "code: " << e->code().message() << ", message: " << e->what());
    BOOST_TEST(server.requests_received() == 0u);
}

BOOST_AUTO_TEST_CASE(missing_ca_file_rejected)
{
    const std::string path = certificates().path("no-such-ca.pem");

    auto e = catch_error<cc::configuration_error>([&] { cc::beast_transport transport({.ca_file = path}); });

    BOOST_TEST_REQUIRE(e.has_value());
    BOOST_TEST(contains(e->what(), "client_options.ca_file"), e->what());
    BOOST_TEST(contains(e->what(), path), e->what());
}

BOOST_AUTO_TEST_CASE(invalid_ca_file_rejected)
{
    const std::string path = certificates().write("not-a-ca.pem", "secret-looking text that is no PEM\n");

    auto e = catch_error<cc::configuration_error>([&] { cc::beast_transport transport({.ca_file = path}); });

    BOOST_TEST_REQUIRE(e.has_value());
    BOOST_TEST(contains(e->what(), "client_options.ca_file"), e->what());
    BOOST_TEST(contains(e->what(), path), e->what());
    BOOST_TEST(!contains(e->what(), "secret-looking"), e->what());
}

BOOST_AUTO_TEST_CASE(invalid_client_key_rejected)
{
    const std::string path = certificates().write("bad-key.pem", "not a key\n");

    auto e = catch_error<cc::configuration_error>([&] {
        cc::beast_transport transport(
            {.client_cert_file = certificates().client_cert_file(), .client_key_file = path});
    });

    BOOST_TEST_REQUIRE(e.has_value());
    BOOST_TEST(contains(e->what(), "client_options.client_key_file"), e->what());
    BOOST_TEST(contains(e->what(), path), e->what());
}

BOOST_AUTO_TEST_CASE(client_cert_without_key_rejected)
{
    auto e = catch_error<cc::configuration_error>(
        [&] { cc::beast_transport transport({.client_cert_file = certificates().client_cert_file()}); });

    BOOST_TEST_REQUIRE(e.has_value());
    BOOST_TEST(contains(e->what(), "client_key_file"), e->what());
}

BOOST_AUTO_TEST_CASE(mismatched_client_key_rejected)
{
    const std::string other_key = certificates().write("other-key.pem", certificates().server().private_key);

    auto e = catch_error<cc::configuration_error>([&] {
        cc::beast_transport transport(
            {.client_cert_file = certificates().client_cert_file(), .client_key_file = other_key});
    });

    BOOST_TEST_REQUIRE(e.has_value());
    BOOST_TEST(contains(e->what(), "client_options.client_key_file"), e->what());
    BOOST_TEST(contains(e->what(), "mismatch"), e->what());
}

BOOST_AUTO_TEST_CASE(close_delimited_body_without_close_notify)
{
    auto options = serving(certificates().server());
    options.body_end = ts::tls_body_end::close_without_notify;
    ts::tls_server server(options);
    cc::beast_transport transport({.ca_file = certificates().ca_file()});

    auto result = send_once(transport, "GET", server.url("/items"));

    BOOST_TEST((result.ec == cc::errc::truncated_body), "code: " << result.ec.message() << ": " << result.message);
    BOOST_TEST(contains(result.message, "close_notify"), result.message);
}

BOOST_AUTO_TEST_CASE(close_delimited_body_with_close_notify)
{
    auto options = serving(certificates().server());
    options.body_end = ts::tls_body_end::close_notify;
    ts::tls_server server(options);
    cc::beast_transport transport({.ca_file = certificates().ca_file()});

    auto result = send_once(transport, "GET", server.url("/items"));

    BOOST_TEST(!result.ec, result.message);
    BOOST_TEST(result.response.text() == R"({"secure":true})");
}

BOOST_AUTO_TEST_CASE(keep_alive_reuses_tls_connection)
{
    ts::tls_server server(serving(certificates().server()));
    cc::beast_transport transport({.ca_file = certificates().ca_file()});

    auto first = send_once(transport, "GET", server.url("/a"));
    auto second = send_once(transport, "GET", server.url("/b"));

    BOOST_TEST(!first.ec, first.message);
    BOOST_TEST(!second.ec, second.message);
    BOOST_TEST(server.connections_accepted() == 1u);
    BOOST_TEST(server.requests_received() == 2u);
}

BOOST_AUTO_TEST_SUITE_END()
