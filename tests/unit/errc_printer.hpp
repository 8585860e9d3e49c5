// Lets Boost.Test print content_client::errc, so `BOOST_TEST(ec == errc::x)` shows both sides.
#ifndef CONTENT_CLIENT_TESTS_UNIT_ERRC_PRINTER_HPP
#define CONTENT_CLIENT_TESTS_UNIT_ERRC_PRINTER_HPP

#include <content_client/error.hpp>

#include <ostream>

namespace content_client {

// Found by argument-dependent lookup from Boost.Test's printer.
inline std::ostream& boost_test_print_type(std::ostream& out, errc value)
{
    return out << "errc(" << static_cast<int>(value) << ": " << make_error_code(value).message() << ")";
}

}  // namespace content_client

#endif
