// content-client: send an HTTP request from the command line.
//
// Run `content-client --help` for the flags, the output forms and the exit
// statuses. cli/cli_options.hpp parses the command line and cli/cli_client.hpp
// builds the client and sends the request.
#include "cli_client.hpp"
#include "cli_options.hpp"

#include <content_client/content_client.hpp>

#include <exception>
#include <iostream>
#include <string_view>
#include <vector>

int main(int argc, char* argv[])
{
    namespace cli = content_client_cli;

    const std::vector<std::string_view> args(argv + 1, argv + argc);
    cli::command cmd;
    try {
        cmd = cli::parse_command_line(args);
    } catch (const cli::usage_error& e) {
        cli::write_error(std::cerr, e.what());
        return cli::exit_status::usage;
    }
    if (cmd.show_help) {
        std::cout << cli::help_text;
        return cli::exit_status::success;
    }

    try {
        auto make_transport = [&cmd] { return content_client::beast_transport(cmd.client); };
        return cli::run_command(cmd, make_transport, std::cout, std::cerr);
    } catch (const std::exception& e) {
        // Anything else is unexpected (for example std::bad_alloc). Exit 10,
        // the documented status of failures without their own status.
        cli::write_error(std::cerr, e.what());
        return cli::exit_status::api_error;
    }
}
