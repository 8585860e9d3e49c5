// content-client: send an HTTP request from the command line with base_client.
//
// Run `content-client --help` for the flags, the output forms and the exit
// statuses, which cli/cli_options.hpp implements.
#include "cli_options.hpp"

#include <content_client/content_client.hpp>

#include <exception>
#include <iostream>
#include <string_view>
#include <vector>

namespace {

void print_error(std::string_view message)
{
    std::cerr << "content-client: " << message;
    if (message.empty() || message.back() != '\n')
        std::cerr << '\n';
}

}  // namespace

int main(int argc, char* argv[])
{
    namespace cli = content_client_cli;

    const std::vector<std::string_view> args(argv + 1, argv + argc);
    cli::command cmd;
    try {
        cmd = cli::parse_command_line(args);
    } catch (const cli::usage_error& e) {
        print_error(e.what());
        return cli::exit_status::usage;
    }
    if (cmd.show_help) {
        std::cout << cli::help_text;
        return cli::exit_status::success;
    }

    try {
        content_client::base_client api(cmd.client);
        auto res = api.http_request(cmd.method, {}, cmd.request);
        cli::write_response(std::cout, res, cmd.output);
        std::cout.flush();
    } catch (const content_client::error& e) {
        print_error(e.what());
        return cli::exit_status_for(e);
    } catch (const std::exception& e) {
        // Anything else is unexpected (for example std::bad_alloc). Exit 10,
        // the documented status of failures without their own status.
        print_error(e.what());
        return cli::exit_status::api_error;
    }

    if (!std::cout) {
        print_error("writing the response to standard output failed");
        return cli::exit_status::api_error;
    }
    return cli::exit_status::success;
}
