// Text formatting shared by the client's messages.
#ifndef CONTENT_CLIENT_DETAIL_TEXT_HPP
#define CONTENT_CLIENT_DETAIL_TEXT_HPP

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace content_client::detail {

/// Re-encodes `bytes`, read as Latin-1 (ISO 8859-1), as UTF-8.
inline std::string latin1_to_utf8(std::string_view bytes)
{
    std::string out;
    out.reserve(bytes.size() * 2);
    for (char c : bytes) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x80) {
            out += c;
        } else {
            out += static_cast<char>(0xC0 | (byte >> 6));
            out += static_cast<char>(0x80 | (byte & 0x3F));
        }
    }
    return out;
}

/// Formats `bytes` as a Python bytes literal (`b'not json'`), as BaseClient's
/// "Failed to parse json object from response" message shows the body.
inline std::string python_bytes_repr(std::string_view bytes)
{
    bool has_single = bytes.find('\'') != std::string_view::npos;
    bool has_double = bytes.find('"') != std::string_view::npos;
    char quote = (has_single && !has_double) ? '"' : '\'';
    static constexpr char hex[] = "0123456789abcdef";

    std::string out = "b";
    out += quote;
    for (char c : bytes) {
        auto byte = static_cast<unsigned char>(c);
        if (c == quote || c == '\\') {
            out += '\\';
            out += c;
        } else if (c == '\t') {
            out += "\\t";
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (byte < 0x20 || byte >= 0x7f) {
            out += "\\x";
            out += hex[byte >> 4];
            out += hex[byte & 0x0f];
        } else {
            out += c;
        }
    }
    out += quote;
    return out;
}

/// Appends `s` as a JSON string with every non-ASCII character escaped as
/// `\uXXXX` (a surrogate pair above U+FFFF), as Python's `json.dumps` does.
inline void append_python_json_string(std::string& out, std::string_view s)
{
    static constexpr char hex[] = "0123456789abcdef";
    auto append_u = [&](unsigned cp) {
        out += "\\u";
        for (int shift = 12; shift >= 0; shift -= 4)
            out += hex[(cp >> shift) & 0xf];
    };

    out += '"';
    for (std::size_t i = 0; i < s.size();) {
        auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            default:
                if (c < 0x20)
                    append_u(c);
                else
                    out += static_cast<char>(c);
            }
            ++i;
            continue;
        }

        // simdjson validated the UTF-8, so the sequence length follows from the lead byte.
        int length = 2;
        unsigned cp = c & 0x1fu;
        if (c >= 0xf0) {
            length = 4;
            cp = c & 0x07u;
        } else if (c >= 0xe0) {
            length = 3;
            cp = c & 0x0fu;
        }
        for (int k = 1; k < length && i + static_cast<std::size_t>(k) < s.size(); ++k)
            cp = (cp << 6) | (static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]) & 0x3f);
        i += static_cast<std::size_t>(length);
        if (cp >= 0x10000) {
            cp -= 0x10000;
            append_u(0xd800 + (cp >> 10));
            append_u(0xdc00 + (cp & 0x3ff));
        } else {
            append_u(cp);
        }
    }
    out += '"';
}

/// Formats a double as Python's `repr` does: the shortest digits that read
/// back the same, in positional notation when the decimal exponent is from
/// -5 to 15 (`100000.0`, `0.0001`), else as `1e+16` or `1e-05`.
inline std::string python_float_repr(double value)
{
    if (std::isnan(value))
        return "NaN";
    if (std::isinf(value))
        return value > 0 ? "Infinity" : "-Infinity";

    // Shortest round-trip digits in scientific form, for example "-1.25e-07".
    char buffer[64];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
    std::string_view text(buffer, static_cast<std::size_t>(end - buffer));
    std::string out;
    if (text.front() == '-') {
        out += '-';
        text.remove_prefix(1);
    }
    const auto e = text.find('e');
    std::string digits(text.substr(0, e));
    std::erase(digits, '.');
    int exponent = 0;
    std::from_chars(text.data() + e + 1 + (text[e + 1] == '+' ? 1 : 0), text.data() + text.size(), exponent);

    if (exponent < -4 || exponent >= 16) {
        out += digits.substr(0, 1);
        if (digits.size() > 1)
            out += "." + digits.substr(1);
        out += exponent < 0 ? "e-" : "e+";
        const int magnitude = exponent < 0 ? -exponent : exponent;
        if (magnitude < 10)
            out += '0';
        out += std::to_string(magnitude);
    } else if (exponent < 0) {
        out += "0." + std::string(static_cast<std::size_t>(-exponent - 1), '0') + digits;
    } else {
        const auto integral = static_cast<std::size_t>(exponent) + 1;
        if (digits.size() <= integral) {
            out += digits + std::string(integral - digits.size(), '0') + ".0";
        } else {
            out += digits.substr(0, integral) + "." + digits.substr(integral);
        }
    }
    return out;
}

/// Appends `element` serialized as Python's `json.dumps` does by default:
/// separators `, ` and `: `, non-ASCII escaped.
inline void append_python_json(std::string& out, simdjson::dom::element element)
{
    switch (element.type()) {
    case simdjson::dom::element_type::ARRAY: {
        out += '[';
        bool first = true;
        // Keep the array in a variable: iterating the temporary result would dangle.
        simdjson::dom::array array = element.get_array().value_unsafe();
        for (auto item : array) {
            if (!first)
                out += ", ";
            first = false;
            append_python_json(out, item);
        }
        out += ']';
        break;
    }
    case simdjson::dom::element_type::OBJECT: {
        out += '{';
        bool first = true;
        simdjson::dom::object object = element.get_object().value_unsafe();
        for (auto field : object) {
            if (!first)
                out += ", ";
            first = false;
            append_python_json_string(out, field.key);
            out += ": ";
            append_python_json(out, field.value);
        }
        out += '}';
        break;
    }
    case simdjson::dom::element_type::INT64: out += std::to_string(element.get_int64().value_unsafe()); break;
    case simdjson::dom::element_type::UINT64: out += std::to_string(element.get_uint64().value_unsafe()); break;
    case simdjson::dom::element_type::DOUBLE: out += python_float_repr(element.get_double().value_unsafe()); break;
    case simdjson::dom::element_type::STRING: append_python_json_string(out, element.get_string().value_unsafe()); break;
    case simdjson::dom::element_type::BOOL: out += element.get_bool().value_unsafe() ? "true" : "false"; break;
    case simdjson::dom::element_type::NULL_VALUE: out += "null"; break;
    }
}

/// Formats a duration in seconds for messages: "2 s", "0.5 s", "1.25 s".
inline std::string format_seconds(std::chrono::duration<double> d)
{
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.3f", d.count());
    std::string out(buffer);
    while (!out.empty() && out.back() == '0')
        out.pop_back();
    if (!out.empty() && out.back() == '.')
        out.pop_back();
    return out + " s";
}

/// Encodes `input` as standard base64 with padding (RFC 4648 section 4).
///
/// Written here because Boost 1.81 has no public base64 encoder (Beast's is
/// in its `detail` namespace), and OpenSSL's would tie the client's core to libcrypto.
inline std::string base64_encode(std::string_view input)
{
    static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((input.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 3 <= input.size(); i += 3) {
        std::uint32_t n = (static_cast<unsigned char>(input[i]) << 16) |
                          (static_cast<unsigned char>(input[i + 1]) << 8) | static_cast<unsigned char>(input[i + 2]);
        out += alphabet[(n >> 18) & 63];
        out += alphabet[(n >> 12) & 63];
        out += alphabet[(n >> 6) & 63];
        out += alphabet[n & 63];
    }
    std::size_t rest = input.size() - i;
    if (rest > 0) {
        std::uint32_t n = static_cast<std::uint32_t>(static_cast<unsigned char>(input[i])) << 16;
        if (rest == 2)
            n |= static_cast<std::uint32_t>(static_cast<unsigned char>(input[i + 1])) << 8;
        out += alphabet[(n >> 18) & 63];
        out += alphabet[(n >> 12) & 63];
        out += rest == 2 ? alphabet[(n >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

/// The text that replaces a credential in messages.
inline constexpr std::string_view redaction_marker = "<redacted>";

/// Returns `text` with every occurrence of each non-empty value of `secrets`
/// replaced by `<redacted>`. Where values overlap at one position, the
/// longest is replaced, so no part of it remains.
inline std::string redact(std::string_view text, std::vector<std::string> secrets)
{
    std::erase_if(secrets, [](const std::string& s) { return s.empty(); });
    if (secrets.empty())
        return std::string(text);
    std::sort(secrets.begin(), secrets.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });

    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        auto rest = text.substr(i);
        auto match = std::find_if(secrets.begin(), secrets.end(), [&](const auto& s) { return rest.starts_with(s); });
        if (match == secrets.end()) {
            out += text[i++];
            continue;
        }
        out += redaction_marker;
        i += match->size();
    }
    return out;
}

/// Returns `text` with the password of every URL's user information
/// (`scheme://user:password@host`) replaced by `<redacted>`. The URLs need
/// not be valid, so the text of a URL that failed to parse is covered too.
inline std::string redact_url_passwords(std::string text)
{
    // Characters that end the authority, or the URL, before any '@' of the user information.
    static constexpr std::string_view authority_end = "/?#@ \t\r\n\"'<>\\";
    for (auto scheme_end = text.find("://"); scheme_end != std::string::npos;
         scheme_end = text.find("://", scheme_end + 3)) {
        const auto start = scheme_end + 3;
        const auto at = text.find_first_of(authority_end, start);
        if (at == std::string::npos || text[at] != '@')
            continue;
        const auto colon = text.find(':', start);
        if (colon < at)
            text.replace(colon + 1, at - colon - 1, redaction_marker);
    }
    return text;
}

}  // namespace content_client::detail

#endif
