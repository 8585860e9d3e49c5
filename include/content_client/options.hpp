// Client-wide and per-call options.
#ifndef CONTENT_CLIENT_OPTIONS_HPP
#define CONTENT_CLIENT_OPTIONS_HPP

#include <content_client/http_headers.hpp>
#include <content_client/response.hpp>

#include <boost/json/value.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace content_client {

/// Seconds as a floating-point duration, the unit of every timeout option.
using seconds_f = std::chrono::duration<double>;

/// Timeouts per phase of a request, and the execution window of the client.
///
/// The defaults are the reference's: connect 10 s, read 60 s, write 60 s,
/// pool 60 s, no execution window, safety buffer 30 s.
struct timeout_settings {
    /// Name resolution, TCP connect and the TLS handshake.
    seconds_f connect{10.0};
    /// Receiving the response, from the end of the request to the last byte.
    seconds_f read{60.0};
    /// Sending the request.
    seconds_f write{60.0};
    /// Waiting for a free pooled connection.
    seconds_f pool{60.0};
    /// Length of the execution window that starts when the client is created.
    std::optional<seconds_f> execution{};
    /// Time kept free at the end of the execution window.
    seconds_f safety_buffer{30.0};
};

/// A user name and password sent as HTTP Basic authentication.
struct basic_credentials {
    std::string username{};
    std::string password{};
};

/// The check `http_request` applies to the response body.
enum class resp_type {
    /// Parse the body as JSON; an empty body is an empty object.
    json,
    /// Return the response; the body is text.
    text,
    /// Return the response; the body is bytes.
    content,
    /// Check that the body is well-formed XML, then return the response.
    xml,
    /// Return the response as received.
    response,
};

/// A query parameter or form field: a name and a value, repeated names allowed.
using name_value_list = std::vector<std::pair<std::string, std::string>>;

/// A request body given as raw text or as form fields.
///
/// Raw text is sent as it is; form fields are encoded as
/// `application/x-www-form-urlencoded`, which also sets Content-Type unless
/// the request's headers set it.
class request_data {
public:
    request_data() = default;
    request_data(std::string raw) : value_(std::move(raw)) {}
    request_data(const char* raw) : value_(std::string(raw)) {}
    request_data(std::string_view raw) : value_(std::string(raw)) {}
    request_data(std::initializer_list<std::pair<std::string, std::string>> form) : value_(name_value_list(form)) {}
    request_data(name_value_list form) : value_(std::move(form)) {}

    bool empty() const noexcept { return std::holds_alternative<std::monostate>(value_); }
    const std::string* raw() const noexcept { return std::get_if<std::string>(&value_); }
    const name_value_list* form() const noexcept { return std::get_if<name_value_list>(&value_); }

private:
    std::variant<std::monostate, std::string, name_value_list> value_{};
};

/// One file of a `multipart/form-data` upload.
struct upload_file {
    /// The form field name.
    std::string field{};
    /// The file name sent in Content-Disposition.
    std::string filename{};
    /// The file's bytes.
    std::string content{};
    std::string content_type = "application/octet-stream";
};

/// A per-call timeout: one value, or a (connect, read) pair as `requests` takes it.
///
/// One value bounds the whole attempt, so a server that trickles one byte a
/// second is stopped by it. A pair bounds connecting by the first value and
/// the whole attempt by their sum. `timeout_settings` bounds each phase too.
struct call_timeout {
    seconds_f connect{};
    seconds_f read{};

    template <class Rep, class Period>
    call_timeout(std::chrono::duration<Rep, Period> both) : connect(both), read(both)
    {
    }

    template <class Rep1, class Period1, class Rep2, class Period2>
    call_timeout(std::chrono::duration<Rep1, Period1> c, std::chrono::duration<Rep2, Period2> r) : connect(c), read(r)
    {
    }
};

/// Options of one call, named and defaulted as `BaseClient._http_request`'s
/// keyword arguments.
///
/// Use designated initializers:
/// `client.http_request("GET", "/items", {.params = {{"limit", "50"}}, .ok_codes = {200}})`.
struct request_options {
    /// An absolute URL to call instead of `base_url` + `url_suffix`.
    std::string full_url{};
    /// Header fields that replace (not extend) the client's default headers.
    http_headers headers{};
    /// HTTP Basic credentials that replace the client's `auth`.
    std::optional<basic_credentials> auth{};
    /// A JSON body; sets `Content-Type: application/json`.
    std::optional<boost::json::value> json_data{};
    /// Query parameters, encoded as a form (spaces as `+`, `/` as `%2F`).
    name_value_list params{};
    /// A raw or form-encoded body.
    request_data data{};
    /// Files sent as `multipart/form-data`, together with `data`'s form fields.
    std::vector<upload_file> files{};
    /// Overrides the client's timeout for this call.
    std::optional<call_timeout> timeout{};
    /// The check applied to the body (see `content_client::resp_type`). Unset
    /// means `json` for `http_request` and `response` for the verb helpers.
    std::optional<content_client::resp_type> resp_type{};
    /// Valid statuses for this call; empty means the client's `ok_codes`.
    std::vector<int> ok_codes{};
    /// Return the response itself when its status is in `empty_valid_codes`.
    bool return_empty_response = false;
    /// Retries on top of the first attempt; 0 leaves it to the retry policy.
    int retries = 0;
    /// Statuses retried by this call; empty means the retry policy's list.
    std::vector<int> status_list_to_retry{};
    /// BaseClient's backoff factor in seconds: sleeps are 0, 2f, 4f, ... capped at 120 s.
    double backoff_factor = 5.0;
    /// Up to this many seconds of random delay added to each BaseClient-style backoff.
    double backoff_jitter = 0.0;
    /// Fail instead of following a redirect.
    bool raise_on_redirect = false;
    /// Raise `retry_error` when a retried status exhausts the retries.
    bool raise_on_status = false;
    /// Called with a response whose status is not valid, in place of the
    /// default handler; it may throw, or return to accept the response.
    std::function<void(const response&)> error_handler{};
    /// Statuses that mean "empty but successful"; empty means {204}.
    std::vector<int> empty_valid_codes{};
    /// Percent-encodes each query parameter name and value in place of the
    /// default form encoding, as `urlencode(params, quote_via=...)` does.
    std::function<std::string(std::string_view)> params_parser{};
    /// Count this call in the metrics policy's execution metrics.
    bool with_metrics = false;
    /// Follow redirects (301, 302, 303, 307, 308).
    bool allow_redirects = true;
};

/// Options of a client, named and defaulted as BaseClient's constructor arguments.
struct client_options {
    /// Prefix of every `url_suffix`, for example `https://api.example.com/v1`.
    std::string base_url{};
    /// Verify the server's TLS certificate and host name.
    bool verify = true;
    /// Use `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY` from the environment.
    bool proxy = false;
    /// Valid statuses; empty means every status below 400.
    std::vector<int> ok_codes{};
    /// Default header fields, used by calls that pass no headers.
    http_headers headers{};
    /// Default HTTP Basic credentials.
    std::optional<basic_credentials> auth{};
    /// Bound on one attempt, in seconds, unless a call passes its own.
    seconds_f timeout{60.0};
    /// Name used in logs, traces and the User-Agent.
    std::string client_name = "content_client";
    /// Keep request traces and performance figures for the diagnostic report.
    bool diagnostic_mode = false;
    /// Timeouts per phase and the execution window.
    timeout_settings timeouts{};
    /// Largest accepted response body, in bytes.
    std::size_t max_body_size = 256u * 1024u * 1024u;
    /// Largest accepted response header block, in bytes.
    std::size_t max_header_size = 64u * 1024u;
    /// A PEM file of CA certificates trusted instead of the system store.
    std::string ca_file{};
    /// A PEM client certificate (chain) for mutual TLS; needs `client_key_file`.
    std::string client_cert_file{};
    /// The PEM private key of `client_cert_file`.
    std::string client_key_file{};
    /// Most redirects one request follows.
    int max_redirects = 30;
    /// Most connections open at once to one scheme, host and port; a request
    /// beyond it waits up to `timeouts.pool` for a free one.
    std::size_t max_connections_per_host = 10;
    /// Idle pooled connections older than this are closed.
    seconds_f idle_timeout{60.0};
};

}  // namespace content_client

#endif
