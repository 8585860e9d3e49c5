// Response bodies with Content-Encoding gzip and deflate, decoded by the real
// beast_transport: the Accept-Encoding it sends, zlib-wrapped and raw
// deflate, invalid and truncated data, the size limit on the decoded body,
// and responses that have no body to decode.
#include "integration/integration_support.hpp"
#include "integration/transport_calls.hpp"
#include "support/test_server.hpp"

#include <content_client/content_client.hpp>

#include <boost/test/unit_test.hpp>

#include <zlib.h>

#include <stdexcept>
#include <string>

namespace cc = content_client;
namespace ts = content_client::test_support;
using cc::integration::catch_error;
using cc::integration::contains;
using cc::integration::send_once;

namespace {

/// zlib window bits for each framing: gzip, zlib-wrapped deflate and raw deflate.
constexpr int gzip_framing = 15 + 16;
constexpr int zlib_framing = 15;
constexpr int raw_framing = -15;

/// Compresses `data` with zlib in the framing that `window_bits` selects.
std::string compress(const std::string& data, int window_bits)
{
    z_stream stream{};
    if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw std::runtime_error("deflateInit2 failed");
    std::string out(deflateBound(&stream, static_cast<uLong>(data.size())) + 32, '\0');
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    stream.avail_in = static_cast<uInt>(data.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&stream, Z_FINISH);
    out.resize(stream.total_out);
    deflateEnd(&stream);
    if (rc != Z_STREAM_END)
        throw std::runtime_error("deflate did not finish");
    return out;
}

/// Returns a 200 reply whose body is `body` with `Content-Encoding: coding`.
ts::reply encoded_reply(const std::string& coding, std::string body)
{
    ts::reply r;
    r.headers.emplace_back("Content-Type", "text/plain");
    r.headers.emplace_back("Content-Encoding", coding);
    r.body = std::move(body);
    return r;
}

std::string sample_text()
{
    std::string text;
    for (int i = 0; i < 200; ++i)
        text += "line " + std::to_string(i) + " of a compressible response body\n";
    return text;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(compression)

BOOST_AUTO_TEST_CASE(gzip_body_decoded)
{
    ts::http_server server;
    server.route("GET", "/text", encoded_reply("gzip", compress(sample_text(), gzip_framing)));
    cc::beast_transport transport;

    auto result = send_once(transport, "GET", server.url("/text"));

    BOOST_TEST_REQUIRE(!result.ec, result.message);
    BOOST_TEST(result.response.text() == sample_text());
    BOOST_TEST(!result.response.header("Content-Encoding").has_value());
    BOOST_TEST(result.response.header("Content-Length").value_or("") == std::to_string(sample_text().size()));
    BOOST_TEST_REQUIRE(server.requests().size() == 1u);
    BOOST_TEST(server.requests()[0].header("Accept-Encoding").value_or("") == "gzip, deflate");
}

BOOST_AUTO_TEST_CASE(chunked_gzip_body_decoded)
{
    ts::http_server server;
    auto r = encoded_reply("gzip", compress(sample_text(), gzip_framing));
    r.chunked = true;
    server.route("GET", "/text", r);
    cc::beast_transport transport;

    auto result = send_once(transport, "GET", server.url("/text"));

    BOOST_TEST_REQUIRE(!result.ec, result.message);
    BOOST_TEST(result.response.text() == sample_text());
}

BOOST_AUTO_TEST_CASE(zlib_deflate_body_decoded)
{
    ts::http_server server;
    server.route("GET", "/text", encoded_reply("deflate", compress(sample_text(), zlib_framing)));
    cc::beast_transport transport;

    auto result = send_once(transport, "GET", server.url("/text"));

    BOOST_TEST_REQUIRE(!result.ec, result.message);
    BOOST_TEST(result.response.text() == sample_text());
    BOOST_TEST(!result.response.header("Content-Encoding").has_value());
}

BOOST_AUTO_TEST_CASE(raw_deflate_body_decoded)
{
    ts::http_server server;
    server.route("GET", "/text", encoded_reply("deflate", compress(sample_text(), raw_framing)));
    cc::beast_transport transport;

    auto result = send_once(transport, "GET", server.url("/text"));

    BOOST_TEST_REQUIRE(!result.ec, result.message);
    BOOST_TEST(result.response.text() == sample_text());
}

BOOST_AUTO_TEST_CASE(request_accept_encoding_kept)
{
    ts::http_server server;
    server.route("GET", "/text", ts::text_reply(200, "plain"));
    cc::beast_transport transport;
    cc::http_headers headers;
    headers.set("Accept-Encoding", "identity");

    auto result = send_once(transport, "GET", server.url("/text"), headers);

    BOOST_TEST_REQUIRE(!result.ec, result.message);
    BOOST_TEST_REQUIRE(server.requests().size() == 1u);
    BOOST_TEST(server.requests()[0].header("Accept-Encoding").value_or("") == "identity");
}

BOOST_AUTO_TEST_CASE(mislabelled_gzip_fails)
{
    ts::http_server server;
    server.route("GET", "/text", encoded_reply("gzip", "this body was never compressed"));
    cc::beast_transport transport;

    auto result = send_once(transport, "GET", server.url("/text"));

    BOOST_TEST((result.ec == cc::errc::invalid_response), "code: " << result.ec.message());
    BOOST_TEST(contains(result.message, "Content-Encoding: gzip"), result.message);
    BOOST_TEST(contains(result.message, server.url("/text")), result.message);
}

BOOST_AUTO_TEST_CASE(truncated_gzip_fails)
{
    const std::string full = compress(sample_text(), gzip_framing);
    ts::http_server server;
    server.route("GET", "/text", encoded_reply("gzip", full.substr(0, full.size() / 2)));
    cc::beast_transport transport;

    auto result = send_once(transport, "GET", server.url("/text"));

    BOOST_TEST((result.ec == cc::errc::invalid_response), "code: " << result.ec.message());
    BOOST_TEST(contains(result.message, "ends before"), result.message);
}

BOOST_AUTO_TEST_CASE(mislabelled_body_client_error)
{
    ts::http_server server;
    server.route("GET", "/text", encoded_reply("deflate", "plain text, not deflate data"));
    cc::base_client api({.base_url = server.url()});

    auto e = catch_error<cc::error>([&] { api.get("/text"); });

    BOOST_TEST_REQUIRE(e.has_value());
    BOOST_TEST((e->code() == cc::errc::invalid_response), "code: " << e->code().message());
}

BOOST_AUTO_TEST_CASE(zip_bomb_stops_at_limit)
{
    constexpr std::size_t limit = 1024 * 1024;
    const std::string bomb = compress(std::string(16 * limit, '\0'), gzip_framing);
    BOOST_TEST_REQUIRE(bomb.size() < limit);
    ts::http_server server;
    server.route("GET", "/bomb", encoded_reply("gzip", bomb));
    cc::beast_transport transport({.max_body_size = limit});

    auto result = send_once(transport, "GET", server.url("/bomb"));

    BOOST_TEST((result.ec == cc::errc::body_too_large), "code: " << result.ec.message());
    BOOST_TEST(contains(result.message, "decoded"), result.message);
    BOOST_TEST(contains(result.message, std::to_string(limit)), result.message);
}

BOOST_AUTO_TEST_CASE(body_at_limit_accepted)
{
    constexpr std::size_t limit = 64 * 1024;
    const std::string text(limit, 'x');
    ts::http_server server;
    server.route("GET", "/text", encoded_reply("gzip", compress(text, gzip_framing)));
    cc::beast_transport transport({.max_body_size = limit});

    auto result = send_once(transport, "GET", server.url("/text"));

    BOOST_TEST_REQUIRE(!result.ec, result.message);
    BOOST_TEST(result.response.text().size() == limit);
}

BOOST_AUTO_TEST_CASE(head_response_not_decoded)
{
    ts::http_server server;
    server.route("GET", "/text", encoded_reply("gzip", compress(sample_text(), gzip_framing)));
    cc::beast_transport transport;

    auto result = send_once(transport, "HEAD", server.url("/text"));

    BOOST_TEST_REQUIRE(!result.ec, result.message);
    BOOST_TEST(result.response.text().empty());
    BOOST_TEST(result.response.header("Content-Encoding").value_or("") == "gzip");
}

BOOST_AUTO_TEST_CASE(no_content_not_decoded)
{
    ts::http_server server;
    auto r = encoded_reply("gzip", "");
    r.status = 204;
    server.route("GET", "/empty", r);
    cc::beast_transport transport;

    auto result = send_once(transport, "GET", server.url("/empty"));

    BOOST_TEST_REQUIRE(!result.ec, result.message);
    BOOST_TEST(result.response.status() == 204);
}

BOOST_AUTO_TEST_CASE(empty_gzip_body_accepted)
{
    ts::http_server server;
    server.route("GET", "/empty", encoded_reply("gzip", ""));
    cc::beast_transport transport;

    auto result = send_once(transport, "GET", server.url("/empty"));

    BOOST_TEST_REQUIRE(!result.ec, result.message);
    BOOST_TEST(result.response.text().empty());
}

BOOST_AUTO_TEST_CASE(unknown_coding_left_alone)
{
    ts::http_server server;
    server.route("GET", "/text", encoded_reply("br", "opaque bytes"));
    cc::beast_transport transport;

    auto result = send_once(transport, "GET", server.url("/text"));

    BOOST_TEST_REQUIRE(!result.ec, result.message);
    BOOST_TEST(result.response.text() == "opaque bytes");
    BOOST_TEST(result.response.header("Content-Encoding").value_or("") == "br");
}

BOOST_AUTO_TEST_SUITE_END()
