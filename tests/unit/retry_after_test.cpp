// Parsing of the Retry-After header field: delay-seconds and the three HTTP-date forms.
#include <content_client/detail/retry_after.hpp>

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace cc = content_client;
using namespace std::chrono_literals;

namespace {

// 2026-01-01T00:00:00Z, a Thursday, which is also where the mock transport's wall clock starts.
const std::chrono::system_clock::time_point now = std::chrono::sys_days(std::chrono::year(2026) / 1 / 1);

// The parsed wait in seconds, or -1 when the value was rejected (so a failed check prints it).
double wait_seconds(std::string_view value)
{
    auto wait = cc::detail::parse_retry_after(value, now);
    if (!wait)
        return -1;
    return std::chrono::duration<double>(*wait).count();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(retry_after)

BOOST_AUTO_TEST_CASE(retry_after_integer_seconds)
{
    BOOST_TEST(wait_seconds("0") == 0.0);
    BOOST_TEST(wait_seconds("1") == 1.0);
    BOOST_TEST(wait_seconds("120") == 120.0);
    BOOST_TEST(wait_seconds("007") == 7.0);
}

BOOST_AUTO_TEST_CASE(retry_after_fractional_seconds)
{
    BOOST_TEST(wait_seconds("1.5") == 1.5);
    BOOST_TEST(wait_seconds("0.25") == 0.25);
    BOOST_TEST((cc::detail::parse_retry_after("2.5", now) == std::optional<std::chrono::nanoseconds>(2500ms)));
}

BOOST_AUTO_TEST_CASE(retry_after_trims_whitespace)
{
    BOOST_TEST(wait_seconds("  30") == 30.0);
    BOOST_TEST(wait_seconds("30 \t") == 30.0);
    BOOST_TEST(wait_seconds("\t 2.5 ") == 2.5);
}

BOOST_AUTO_TEST_CASE(retry_after_imf_fixdate)
{
    BOOST_TEST(wait_seconds("Thu, 01 Jan 2026 00:01:00 GMT") == 60.0);
    BOOST_TEST(wait_seconds("Fri, 02 Jan 2026 00:00:00 GMT") == 86400.0);
    BOOST_TEST(wait_seconds("  Thu, 01 Jan 2026 01:00:00 GMT ") == 3600.0);
}

BOOST_AUTO_TEST_CASE(retry_after_rfc850_date)
{
    BOOST_TEST(wait_seconds("Thursday, 01-Jan-26 00:01:00 GMT") == 60.0);
    BOOST_TEST(wait_seconds("Friday, 02-Jan-26 00:00:10 GMT") == 86410.0);
}

BOOST_AUTO_TEST_CASE(retry_after_asctime_date)
{
    BOOST_TEST(wait_seconds("Thu Jan  1 00:01:00 2026") == 60.0);
    BOOST_TEST(wait_seconds("Sat Jan 10 00:00:00 2026") == 9.0 * 86400.0);
}

BOOST_AUTO_TEST_CASE(retry_after_past_date_has_no_value)
{
    BOOST_TEST(wait_seconds("Wed, 31 Dec 2025 23:59:59 GMT") == -1.0);
    BOOST_TEST(wait_seconds("Thu, 01 Jan 2026 00:00:00 GMT") == -1.0);
    BOOST_TEST(wait_seconds("Sun, 06 Nov 1994 08:49:37 GMT") == -1.0);
    BOOST_TEST(wait_seconds("Sunday, 06-Nov-94 08:49:37 GMT") == -1.0);
    BOOST_TEST(wait_seconds("Sun Nov  6 08:49:37 1994") == -1.0);
}

BOOST_AUTO_TEST_CASE(retry_after_negative_has_no_value)
{
    BOOST_TEST(wait_seconds("-1") == -1.0);
    BOOST_TEST(wait_seconds("-0.5") == -1.0);
    BOOST_TEST(wait_seconds("+5") == -1.0);
}

BOOST_AUTO_TEST_CASE(retry_after_malformed_has_no_value)
{
    for (std::string value : {"soon", "5s", "1,5", "1.2.3", ".5", "5.", "1e3", "0x10", "5 6", "Thu, 01 Jan 2026",
                              "Thu, 32 Jan 2026 00:01:00 GMT", "Thu, 01 Foo 2026 00:01:00 GMT",
                              "Thu, 01 Jan 2026 24:00:00 GMT", "Thu, 01 Jan 2026 00:01:00 UTC",
                              "Thu, 30 Feb 2026 00:01:00 GMT", "Thu Jan  1 00:01 2026"}) {
        BOOST_TEST_CONTEXT("value '" << value << "'")
        {
            BOOST_TEST(wait_seconds(value) == -1.0);
        }
    }
}

BOOST_AUTO_TEST_CASE(retry_after_empty_has_no_value)
{
    BOOST_TEST(wait_seconds("") == -1.0);
    BOOST_TEST(wait_seconds("   ") == -1.0);
    BOOST_TEST(wait_seconds("\t") == -1.0);
}

BOOST_AUTO_TEST_CASE(retry_after_inf_and_nan_have_no_value)
{
    BOOST_TEST(wait_seconds("inf") == -1.0);
    BOOST_TEST(wait_seconds("infinity") == -1.0);
    BOOST_TEST(wait_seconds("nan") == -1.0);
    BOOST_TEST(wait_seconds("NaN") == -1.0);
}

BOOST_AUTO_TEST_CASE(retry_after_huge_has_no_value)
{
    BOOST_TEST(wait_seconds("1000000001") == -1.0);
    BOOST_TEST(wait_seconds("99999999999999999999999999") == -1.0);
    BOOST_TEST(wait_seconds("1" + std::string(400, '0')) == -1.0);
    BOOST_TEST(wait_seconds("Fri, 31 Dec 9999 23:59:59 GMT") == -1.0);
}

BOOST_AUTO_TEST_CASE(retry_after_largest_accepted_value)
{
    BOOST_TEST(wait_seconds("1000000000") == 1e9);
}

BOOST_AUTO_TEST_SUITE_END()
