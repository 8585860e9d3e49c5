// Parsing of the Retry-After header field (RFC 9110 section 10.2.3).
#ifndef CONTENT_CLIENT_DETAIL_RETRY_AFTER_HPP
#define CONTENT_CLIENT_DETAIL_RETRY_AFTER_HPP

#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <optional>
#include <string_view>

namespace content_client::detail {

/// The largest Retry-After accepted, in seconds; larger values count as overflow.
inline constexpr double max_retry_after_seconds = 1e9;

inline std::string_view trim(std::string_view s) noexcept
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

/// Parses delay-seconds, allowing a fraction ("120", "1.5"). Rejects signs,
/// exponents, `inf`, `nan` and values above `max_retry_after_seconds`.
inline std::optional<std::chrono::nanoseconds> parse_delay_seconds(std::string_view s) noexcept
{
    if (s.empty() || s.find_first_not_of("0123456789.") != std::string_view::npos || s.front() == '.' ||
        s.back() == '.')
        return std::nullopt;
    double value = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value, std::chars_format::fixed);
    if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(value) || value < 0 ||
        value > max_retry_after_seconds)
        return std::nullopt;
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::duration<double>(value));
}

inline std::optional<int> parse_fixed_digits(std::string_view s) noexcept
{
    int value = 0;
    if (s.empty())
        return std::nullopt;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc() || end != s.data() + s.size() || s.find_first_not_of("0123456789") != std::string_view::npos)
        return std::nullopt;
    return value;
}

inline std::optional<unsigned> parse_month(std::string_view s) noexcept
{
    static constexpr std::array<std::string_view, 12> names = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    for (unsigned i = 0; i < names.size(); ++i)
        if (names[i] == s)
            return i + 1;
    return std::nullopt;
}

inline std::optional<std::chrono::sys_seconds> make_time(int year, unsigned month, int day, std::string_view hms)
{
    if (hms.size() != 8 || hms[2] != ':' || hms[5] != ':')
        return std::nullopt;
    auto h = parse_fixed_digits(hms.substr(0, 2));
    auto m = parse_fixed_digits(hms.substr(3, 2));
    auto sec = parse_fixed_digits(hms.substr(6, 2));
    if (!h || !m || !sec || *h > 23 || *m > 59 || *sec > 60)
        return std::nullopt;
    std::chrono::year_month_day date{std::chrono::year(year), std::chrono::month(month),
                                     std::chrono::day(static_cast<unsigned>(day))};
    if (!date.ok())
        return std::nullopt;
    return std::chrono::sys_days(date) + std::chrono::hours(*h) + std::chrono::minutes(*m) +
           std::chrono::seconds(*sec);
}

/// Parses an HTTP-date in any of the three forms RFC 9110 section 5.6.7
/// requires a recipient to accept: IMF-fixdate, RFC 850 and asctime.
inline std::optional<std::chrono::sys_seconds> parse_http_date(std::string_view s)
{
    // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
    if (s.size() == 29 && s[3] == ',' && s.substr(25) == " GMT") {
        auto day = parse_fixed_digits(s.substr(5, 2));
        auto month = parse_month(s.substr(8, 3));
        auto year = parse_fixed_digits(s.substr(12, 4));
        if (day && month && year)
            return make_time(*year, *month, *day, s.substr(17, 8));
        return std::nullopt;
    }

    // asctime: "Sun Nov  6 08:49:37 1994"
    if (s.size() == 24 && s[3] == ' ' && s[7] == ' ') {
        auto month = parse_month(s.substr(4, 3));
        auto day = parse_fixed_digits(trim(s.substr(8, 2)));
        auto year = parse_fixed_digits(s.substr(20, 4));
        if (day && month && year)
            return make_time(*year, *month, *day, s.substr(11, 8));
        return std::nullopt;
    }

    // RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT"; a two-digit year within 50
    // years of now is meant (RFC 9110 section 5.6.7), taken here as 19xx for 50-99.
    auto comma = s.find(", ");
    if (comma != std::string_view::npos && s.size() == comma + 24 && s.substr(s.size() - 4) == " GMT") {
        auto rest = s.substr(comma + 2);
        if (rest[2] != '-' || rest[6] != '-')
            return std::nullopt;
        auto day = parse_fixed_digits(rest.substr(0, 2));
        auto month = parse_month(rest.substr(3, 3));
        auto year = parse_fixed_digits(rest.substr(7, 2));
        if (day && month && year)
            return make_time(*year < 50 ? 2000 + *year : 1900 + *year, *month, *day, rest.substr(10, 8));
    }
    return std::nullopt;
}

/// Parses a Retry-After value into a wait from `now`.
///
/// Returns no value for an empty, malformed, negative, infinite or
/// overflowing value and for a date that is not in the future, so the
/// caller falls back to its own backoff.
inline std::optional<std::chrono::nanoseconds> parse_retry_after(std::string_view value,
                                                                 std::chrono::system_clock::time_point now)
{
    value = trim(value);
    if (value.empty())
        return std::nullopt;
    if (auto seconds = parse_delay_seconds(value))
        return seconds;
    auto date = parse_http_date(value);
    // Compare in whole seconds first: a date as late as year 9999 does not
    // fit in the nanoseconds of system_clock.
    const auto now_seconds = std::chrono::floor<std::chrono::seconds>(now);
    if (!date || *date <= now_seconds)
        return std::nullopt;
    if (std::chrono::duration<double>(*date - now_seconds).count() > max_retry_after_seconds)
        return std::nullopt;
    return std::chrono::duration_cast<std::chrono::nanoseconds>(*date - now);
}

}  // namespace content_client::detail

#endif
