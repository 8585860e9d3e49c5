// Decoding of gzip and deflate response bodies (RFC 9110 section 8.4.1) with zlib.
#ifndef CONTENT_CLIENT_TRANSPORT_DETAIL_CONTENT_DECODING_HPP
#define CONTENT_CLIENT_TRANSPORT_DETAIL_CONTENT_DECODING_HPP

#include <content_client/http_headers.hpp>

#include <zlib.h>

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>

namespace content_client::detail {

/// The Accept-Encoding value sent unless a request sets its own.
inline constexpr std::string_view default_accept_encoding = "gzip, deflate";

/// The content codings that `decode_content` undoes.
enum class content_coding {
    /// No coding, `identity`, or a coding left as received (for example `br`).
    none,
    gzip,
    deflate,
};

/// Returns the coding named by a Content-Encoding value.
///
/// Only a single `gzip`, `x-gzip` or `deflate` coding is decoded. A list of
/// codings, or another coding, is left alone, so the body comes back as received.
inline content_coding coding_of(std::string_view value)
{
    const auto first = value.find_first_not_of(" \t");
    if (first == std::string_view::npos)
        return content_coding::none;
    value = value.substr(first, value.find_last_not_of(" \t") - first + 1);
    if (iequals(value, "gzip") || iequals(value, "x-gzip"))
        return content_coding::gzip;
    if (iequals(value, "deflate"))
        return content_coding::deflate;
    return content_coding::none;
}

/// The outcome of `decode_content`.
enum class decode_status {
    ok,
    /// The decoded body would exceed the size limit.
    too_large,
    /// The body is not valid data of its coding, or it ends early.
    invalid,
};

/// Decodes `input`, which is encoded with `coding`, into `output`, stopping
/// once the decoded size would exceed `max_size` bytes.
///
/// gzip data is read with zlib's automatic gzip and zlib header detection.
/// `deflate` data is read as zlib-wrapped data when it starts with a zlib
/// header, else as raw deflate data, because servers send both and browsers
/// accept both. Bytes after the end of the first gzip member are decoded as
/// further members when they are valid, and ignored otherwise, as urllib3
/// does. On `invalid`, `error` names the cause.
inline decode_status decode_content(content_coding coding, std::string_view input, std::size_t max_size,
                                    std::string& output, std::string& error)
{
    output.clear();
    if (coding == content_coding::none || input.empty())
        return decode_status::ok;

    // RFC 1950 section 2.2: the method is 8 (deflate) and the 16-bit header is a multiple of 31.
    const auto b0 = static_cast<unsigned char>(input[0]);
    const bool zlib_header = input.size() >= 2 && (b0 & 0x0f) == 8 &&
                             ((b0 << 8) | static_cast<unsigned char>(input[1])) % 31 == 0;
    const int window_bits = coding == content_coding::deflate && !zlib_header ? -15 : 15 + 32;

    z_stream stream{};
    if (inflateInit2(&stream, window_bits) != Z_OK) {
        error = "zlib could not be initialised";
        return decode_status::invalid;
    }
    struct stream_end {
        z_stream* s;
        ~stream_end() { inflateEnd(s); }
    } end_guard{&stream};

    constexpr std::size_t chunk = 64 * 1024;
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
    stream.avail_in = static_cast<uInt>(std::min<std::size_t>(input.size(), 0xffffffffu));
    bool finished_member = false;

    // Each pass either produces output, consumes input or returns, and the
    // output is bounded by `max_size`, so the loop ends.
    for (;;) {
        const std::size_t old_size = output.size();
        const std::size_t room = max_size - std::min(max_size, old_size);
        // One byte beyond the limit is requested, so that reaching it can be told from exceeding it.
        const std::size_t grow = room >= chunk ? chunk : room + 1;
        output.resize(old_size + grow);
        stream.next_out = reinterpret_cast<Bytef*>(output.data() + old_size);
        stream.avail_out = static_cast<uInt>(grow);

        const int rc = inflate(&stream, Z_NO_FLUSH);
        output.resize(old_size + (grow - stream.avail_out));
        if (output.size() > max_size)
            return decode_status::too_large;

        if (rc == Z_STREAM_END) {
            finished_member = true;
            if (stream.avail_in == 0 || coding != content_coding::gzip)
                return decode_status::ok;
            // Another gzip member may follow.
            if (inflateReset(&stream) != Z_OK)
                return decode_status::ok;
            continue;
        }
        if (rc == Z_OK)
            continue;
        if (rc == Z_BUF_ERROR && stream.avail_out == 0)
            continue;

        if (finished_member) {
            // Bytes after a complete member that do not form another one are ignored.
            return decode_status::ok;
        }
        if (rc == Z_BUF_ERROR) {
            error = "the compressed data ends before the end of its stream";
            return decode_status::invalid;
        }
        error = stream.msg ? std::string(stream.msg) : "zlib error " + std::to_string(rc);
        return decode_status::invalid;
    }
}

}  // namespace content_client::detail

#endif
