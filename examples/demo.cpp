// A tour of base_client against an API server running in this process.
//
// The server (demo_server.hpp) listens on 127.0.0.1 on an ephemeral port.
// Each step sends one call and prints what the client returned or threw:
// a JSON list, a JSON body echoed back, query parameters, the error classes
// of 404, 401 and 429, and a BaseClient-style retry of 503.
#include "demo_server.hpp"

#include <content_client/content_client.hpp>

#include <boost/json.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <iomanip>
#include <iostream>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace cc = content_client;

namespace {

/// Returns the name of the most derived error class of `e`.
std::string_view error_class(const cc::error& e)
{
    if (dynamic_cast<const cc::authentication_error*>(&e))
        return "content_client::authentication_error";
    if (dynamic_cast<const cc::rate_limit_error*>(&e))
        return "content_client::rate_limit_error";
    if (dynamic_cast<const cc::timeout_error*>(&e))
        return "content_client::timeout_error";
    if (dynamic_cast<const cc::circuit_open_error*>(&e))
        return "content_client::circuit_open_error";
    if (dynamic_cast<const cc::retry_error*>(&e))
        return "content_client::retry_error";
    if (dynamic_cast<const cc::configuration_error*>(&e))
        return "content_client::configuration_error";
    return "content_client::error";
}

void heading(int number, std::string_view title)
{
    std::cout << '\n' << number << ". " << title << '\n';
}

/// Prints the class, code and message of `e`, each message line indented.
void print_error(const cc::error& e)
{
    std::cout << "   threw " << error_class(e) << " (code: " << e.code().message() << ")\n";
    std::cout << "   what():\n";
    std::string_view message = e.what();
    while (!message.empty()) {
        auto end = message.find('\n');
        std::cout << "     | " << message.substr(0, end) << '\n';
        if (end == std::string_view::npos)
            break;
        message.remove_prefix(end + 1);
    }
}

/// Returns 503 for the first `failures` requests and 200 after that, and
/// records when each request arrived.
class flaky_endpoint {
public:
    explicit flaky_endpoint(int failures) : failures_(failures) {}

    demo::reply operator()(const demo::request&)
    {
        std::lock_guard lock(mutex_);
        arrivals_.push_back(std::chrono::steady_clock::now());
        if (static_cast<int>(arrivals_.size()) <= failures_)
            return demo::json_reply(503, {{"error", "service unavailable, try again"}});
        return demo::json_reply(200, {{"status", "ok"}, {"attempt", arrivals_.size()}});
    }

    bool returns_503(std::size_t request_index) const { return static_cast<int>(request_index) < failures_; }

    std::vector<std::chrono::steady_clock::time_point> arrivals()
    {
        std::lock_guard lock(mutex_);
        return arrivals_;
    }

private:
    std::mutex mutex_;
    int failures_;
    std::vector<std::chrono::steady_clock::time_point> arrivals_;
};

double seconds_between(std::chrono::steady_clock::time_point from, std::chrono::steady_clock::time_point to)
{
    return std::chrono::duration<double>(to - from).count();
}

void add_routes(demo::server& server, flaky_endpoint& flaky)
{
    server.route("GET", "/items", [](const demo::request&) {
        return demo::json_reply(200, boost::json::array{{{"id", 1}, {"name", "alpha"}},
                                                        {{"id", 2}, {"name", "beta"}},
                                                        {{"id", 3}, {"name", "gamma"}}});
    });
    server.route("POST", "/echo", [](const demo::request& req) {
        return demo::json_reply(200, {{"method", req.method},
                                      {"content_type", req.header("Content-Type").value_or("")},
                                      {"received", boost::json::parse(req.body)}});
    });
    server.route("GET", "/search", [](const demo::request& req) {
        boost::json::object params;
        for (const auto& [name, value] : req.params)
            params[name] = value;
        return demo::json_reply(200, {{"params", params}});
    });
    server.route("GET", "/secret", [](const demo::request&) {
        return demo::json_reply(401, {{"error", "missing or invalid token"}}, {{"WWW-Authenticate", "Bearer"}});
    });
    server.route("GET", "/busy", [](const demo::request&) {
        return demo::json_reply(429, {{"error", "too many requests"}}, {{"Retry-After", "2"}});
    });
    server.route("GET", "/flaky", [&flaky](const demo::request& req) { return flaky(req); });
}

}  // namespace

int main()
{
    flaky_endpoint flaky(2);
    demo::server server;
    add_routes(server, flaky);
    std::cout << "Demo API server listening on " << server.url() << "\n";

    cc::base_client api({.base_url = server.url(), .timeout = cc::seconds_f(5)});
    std::cout << "Client: content_client::base_client with base_url " << api.options().base_url << '\n';

    heading(1, "GET a JSON list");
    std::cout << "   api.http_request(\"GET\", \"/items\")\n";
    {
        auto res = api.http_request("GET", "/items");
        auto items = res.json().get_array();
        std::cout << "   status " << res.status() << ", " << items.size() << " items:\n";
        for (auto item : items)
            std::cout << "     id " << item["id"].get_int64().value() << ": " << item["name"].get_string().value()
                      << '\n';
    }

    heading(2, "POST a JSON body (the server echoes what it received)");
    std::cout << "   api.post(\"/echo\", {.json_data = {{\"name\", \"delta\"}, {\"tags\", {\"new\", \"demo\"}}}})\n";
    {
        auto res = api.post("/echo", {.json_data = boost::json::value{{"name", "delta"}, {"tags", {"new", "demo"}}}});
        std::cout << "   status " << res.status() << ", body: " << res.text() << '\n';
    }

    heading(3, "Query parameters (the server echoes them)");
    std::cout << "   api.get(\"/search\", {.params = {{\"q\", \"tls certificate\"}, {\"limit\", \"2\"}}})\n";
    {
        auto res = api.get("/search", {.params = {{"q", "tls certificate"}, {"limit", "2"}}});
        std::cout << "   sent to " << res.url() << '\n';
        std::cout << "   status " << res.status() << ", body: " << res.text() << '\n';
    }

    heading(4, "An error status: 404");
    std::cout << "   api.http_request(\"GET\", \"/missing\")\n";
    try {
        api.http_request("GET", "/missing");
        std::cout << "   unexpected: no error\n";
    } catch (const cc::error& e) {
        print_error(e);
        if (const auto* res = e.response())
            std::cout << "   e.response()->status() is " << res->status() << '\n';
    }

    heading(5, "401: authentication_error");
    std::cout << "   api.http_request(\"GET\", \"/secret\")\n";
    try {
        api.http_request("GET", "/secret");
        std::cout << "   unexpected: no error\n";
    } catch (const cc::authentication_error& e) {
        print_error(e);
    }

    heading(6, "429: rate_limit_error, with the server's Retry-After");
    std::cout << "   api.http_request(\"GET\", \"/busy\")\n";
    try {
        api.http_request("GET", "/busy");
        std::cout << "   unexpected: no error\n";
    } catch (const cc::rate_limit_error& e) {
        print_error(e);
        if (auto wait = e.retry_after())
            std::cout << "   e.retry_after() is " << wait->count() << " s\n";
    }

    heading(7, "Retry as BaseClient does: the server returns 503 twice, then 200");
    std::cout << "   api.http_request(\"GET\", \"/flaky\",\n"
              << "                    {.retries = 3, .status_list_to_retry = {503}, .backoff_factor = 0.1})\n";
    {
        const auto start = std::chrono::steady_clock::now();
        auto res = api.http_request("GET", "/flaky",
                                    {.retries = 3, .status_list_to_retry = {503}, .backoff_factor = 0.1});
        const auto end = std::chrono::steady_clock::now();

        std::cout << "   the server saw these attempts:\n";
        auto arrivals = flaky.arrivals();
        std::cout << std::fixed << std::setprecision(3);
        for (std::size_t i = 0; i < arrivals.size(); ++i)
            std::cout << "     attempt " << i + 1 << " at +" << seconds_between(start, arrivals[i]) << " s -> "
                      << (flaky.returns_503(i) ? 503 : 200) << '\n';
        std::cout << "   final status " << res.status() << ", body: " << res.text() << '\n';
        std::cout << "   took " << seconds_between(start, end) << " s. The first retry starts at once, and retry k\n"
                  << "   waits backoff_factor * 2^(k-1) s, so retry 2 (attempt 3) waited 0.2 s.\n";
    }

    std::cout << "\nDone.\n";
    return 0;
}
