// The entry point of the integration tests.
//
// The precompiled header includes Boost.Test before any source can define
// BOOST_TEST_MODULE, so main is written out with Boost.Test's own runner.
#include <boost/test/unit_test.hpp>

namespace {

bool init_integration_tests()
{
    boost::unit_test::framework::master_test_suite().p_name.value = "content_client integration tests";
    return true;
}

}  // namespace

int main(int argc, char* argv[])
{
    return boost::unit_test::unit_test_main(&init_integration_tests, argc, argv);
}
