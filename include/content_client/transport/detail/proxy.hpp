// Proxy settings of beast_transport read from the environment, and the
// NO_PROXY rules that decide which hosts bypass the proxy.
#ifndef CONTENT_CLIENT_TRANSPORT_DETAIL_PROXY_HPP
#define CONTENT_CLIENT_TRANSPORT_DETAIL_PROXY_HPP

#include <content_client/error.hpp>
#include <content_client/http_headers.hpp>
#include <content_client/detail/text.hpp>
#include <content_client/transport/detail/url_parts.hpp>

#include <boost/asio/ip/address.hpp>
#include <boost/system/error_code.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/scheme.hpp>
#include <boost/url/url_view.hpp>

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace content_client::detail {

/// An HTTP proxy: where to connect, and the Proxy-Authorization value when
/// its URL has user information.
struct proxy_endpoint {
    std::string host;
    std::uint16_t port = 0;
    /// `host:port` for messages and pool keys; never contains credentials.
    std::string host_and_port;
    /// `Basic <base64(user:password)>`, or empty.
    std::string authorization;
};

/// Parses a proxy URL such as `http://user:pass@proxy:3128`, or `proxy:3128`
/// without a scheme, as curl and requests accept it.
///
/// `variable` names the environment variable for the error message. Only
/// `http` proxies are supported, and the port defaults to 80 as in requests.
/// Throws `configuration_error` naming the variable; the message leaves out
/// the value, because it may contain a password.
inline proxy_endpoint parse_proxy_url(std::string_view variable, std::string_view value)
{
    std::string text(value);
    if (text.find("://") == std::string::npos)
        text = "http://" + text;

    auto parsed = boost::urls::parse_uri(text);
    if (!parsed) {
        throw configuration_error("the proxy URL in the environment variable " + std::string(variable) +
                                  " is not a valid URL: " + parsed.error().message());
    }
    const boost::urls::url_view& view = *parsed;
    if (view.scheme_id() != boost::urls::scheme::http) {
        throw configuration_error("the proxy URL in the environment variable " + std::string(variable) +
                                  " uses the scheme '" + std::string(view.scheme()) +
                                  "'; only http:// proxies are supported");
    }

    proxy_endpoint proxy;
    proxy.host = view.host_address();
    if (proxy.host.empty()) {
        throw configuration_error("the proxy URL in the environment variable " + std::string(variable) +
                                  " has no host");
    }
    proxy.port = 80;
    if (view.has_port() && !view.port().empty()) {
        if (view.port_number() == 0) {
            throw configuration_error("the proxy URL in the environment variable " + std::string(variable) +
                                      " has a port that is not a number from 1 to 65535");
        }
        proxy.port = view.port_number();
    }
    proxy.host_and_port = std::string(view.encoded_host()) + ":" + std::to_string(proxy.port);

    // `user()` and `password()` return the percent-decoded text.
    if (view.has_userinfo())
        proxy.authorization = "Basic " + base64_encode(std::string(view.user()) + ":" + std::string(view.password()));
    return proxy;
}

/// One NO_PROXY entry: a host name or domain, an IP address or network, and an optional port.
struct no_proxy_rule {
    /// A lower-case host name without leading dots; empty for an address rule.
    std::string domain;
    std::optional<boost::asio::ip::address> network;
    /// Leading bits of `network` that must match.
    unsigned prefix_bits = 0;
    /// The port the rule is limited to, or 0 for every port.
    std::uint16_t port = 0;
};

/// Returns true when the first `bits` bits of `a` and `b` are equal; both
/// must be of the same family.
inline bool same_prefix(const boost::asio::ip::address& a, const boost::asio::ip::address& b, unsigned bits)
{
    auto compare = [bits](const auto& x, const auto& y) {
        for (unsigned i = 0; i < x.size() && bits > i * 8; ++i) {
            const unsigned left = bits - i * 8;
            const unsigned mask = left >= 8 ? 0xffu : (0xffu << (8 - left)) & 0xffu;
            if ((x[i] & mask) != (y[i] & mask))
                return false;
        }
        return true;
    };
    if (a.is_v4() && b.is_v4())
        return compare(a.to_v4().to_bytes(), b.to_v4().to_bytes());
    if (a.is_v6() && b.is_v6())
        return compare(a.to_v6().to_bytes(), b.to_v6().to_bytes());
    return false;
}

/// Proxy settings: the proxies per scheme and the hosts that bypass them.
class proxy_settings {
public:
    /// Reads `https_proxy`/`HTTPS_PROXY`, `http_proxy`/`HTTP_PROXY` and
    /// `no_proxy`/`NO_PROXY` with `std::getenv`, the lower-case name first as
    /// curl and Python's urllib do. Never modifies the environment.
    static proxy_settings from_environment()
    {
        proxy_settings settings;
        if (auto [name, value] = read_variable("https_proxy", "HTTPS_PROXY"); !value.empty())
            settings.https_ = parse_proxy_url(name, value);
        if (auto [name, value] = read_variable("http_proxy", "HTTP_PROXY"); !value.empty())
            settings.http_ = parse_proxy_url(name, value);
        settings.set_no_proxy(read_variable("no_proxy", "NO_PROXY").second);
        return settings;
    }

    /// Replaces the NO_PROXY rules with those of `list`.
    ///
    /// The list is comma-separated, and blanks around entries are ignored.
    /// `*` alone bypasses the proxy for every host. A name matches itself
    /// and its subdomains, with or without a leading dot (`example.com` and
    /// `.example.com` both match `api.example.com`). An IP address matches
    /// itself, and `address/bits` matches a network. A `:port` suffix limits
    /// an entry to that port; IPv6 addresses with a port are written in brackets.
    void set_no_proxy(std::string_view list)
    {
        rules_.clear();
        bypass_all_ = false;
        while (!list.empty()) {
            const auto comma = list.find(',');
            auto entry = trim(list.substr(0, comma));
            list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
            if (entry.empty())
                continue;
            if (entry == "*") {
                bypass_all_ = true;
                continue;
            }
            if (auto rule = parse_rule(entry))
                rules_.push_back(std::move(*rule));
        }
    }

    /// The proxy for `url`, or `nullptr` when it is reached directly.
    const proxy_endpoint* proxy_for(const url_parts& url) const
    {
        const auto& proxy = url.tls ? https_ : http_;
        if (!proxy || bypasses(url))
            return nullptr;
        return &*proxy;
    }

    /// True when NO_PROXY sends `url` past the proxy.
    bool bypasses(const url_parts& url) const
    {
        if (bypass_all_)
            return true;
        boost::system::error_code ec;
        const auto address = boost::asio::ip::make_address(url.host, ec);
        const std::string host = to_lower(url.host);
        for (const auto& rule : rules_) {
            if (rule.port != 0 && rule.port != url.port)
                continue;
            if (rule.network) {
                if (!ec && same_prefix(address, *rule.network, rule.prefix_bits))
                    return true;
                continue;
            }
            if (host == rule.domain ||
                (host.size() > rule.domain.size() && host.ends_with(rule.domain) &&
                 host[host.size() - rule.domain.size() - 1] == '.'))
                return true;
        }
        return false;
    }

private:
    static std::pair<std::string, std::string> read_variable(const char* lower, const char* upper)
    {
        if (const char* value = std::getenv(lower); value && *value)
            return {lower, value};
        if (const char* value = std::getenv(upper); value && *value)
            return {upper, value};
        return {upper, {}};
    }

    static std::string_view trim(std::string_view s)
    {
        const auto first = s.find_first_not_of(" \t");
        if (first == std::string_view::npos)
            return {};
        const auto last = s.find_last_not_of(" \t");
        return s.substr(first, last - first + 1);
    }

    static std::string to_lower(std::string_view s)
    {
        std::string out(s);
        for (auto& c : out)
            if (c >= 'A' && c <= 'Z')
                c = static_cast<char>(c - 'A' + 'a');
        return out;
    }

    /// Parses one NO_PROXY entry; returns no value for an entry that cannot match anything.
    static std::optional<no_proxy_rule> parse_rule(std::string_view entry)
    {
        no_proxy_rule rule;

        // Split off a port: "[v6]:port", "host:port", but a bare IPv6 address has several colons.
        if (entry.front() == '[') {
            const auto close = entry.find(']');
            if (close == std::string_view::npos)
                return std::nullopt;
            auto rest = entry.substr(close + 1);
            if (rest.starts_with(':') && !parse_port(rest.substr(1), rule.port))
                return std::nullopt;
            entry = entry.substr(1, close - 1);
        } else if (const auto colon = entry.rfind(':');
                   colon != std::string_view::npos && entry.find(':') == colon) {
            if (!parse_port(entry.substr(colon + 1), rule.port))
                return std::nullopt;
            entry = entry.substr(0, colon);
        }

        std::string_view bits_text;
        if (const auto slash = entry.find('/'); slash != std::string_view::npos) {
            bits_text = entry.substr(slash + 1);
            entry = entry.substr(0, slash);
        }
        boost::system::error_code ec;
        const auto address = boost::asio::ip::make_address(std::string(entry), ec);
        if (!ec) {
            const unsigned max_bits = address.is_v4() ? 32 : 128;
            rule.prefix_bits = max_bits;
            if (!bits_text.empty()) {
                std::uint16_t bits = 0;
                if (!parse_port(bits_text, bits, max_bits))
                    return std::nullopt;
                rule.prefix_bits = bits;
            }
            rule.network = address;
            return rule;
        }
        if (!bits_text.empty())
            return std::nullopt;

        while (entry.starts_with('.') || entry.starts_with('*'))
            entry.remove_prefix(1);
        if (entry.empty())
            return std::nullopt;
        rule.domain = to_lower(entry);
        return rule;
    }

    /// Parses a decimal number from 1 (0 for prefix lengths) to `max`.
    static bool parse_port(std::string_view text, std::uint16_t& out, unsigned max = 65535)
    {
        if (text.empty() || text.size() > 5)
            return false;
        unsigned value = 0;
        for (char c : text) {
            if (c < '0' || c > '9')
                return false;
            value = value * 10 + static_cast<unsigned>(c - '0');
        }
        if (value > max || (max == 65535 && value == 0))
            return false;
        out = static_cast<std::uint16_t>(value);
        return true;
    }

    std::optional<proxy_endpoint> https_;
    std::optional<proxy_endpoint> http_;
    std::vector<no_proxy_rule> rules_;
    bool bypass_all_ = false;
};

}  // namespace content_client::detail

#endif
