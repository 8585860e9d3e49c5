// An ordered list of HTTP header fields with case-insensitive names.
#ifndef CONTENT_CLIENT_HTTP_HEADERS_HPP
#define CONTENT_CLIENT_HTTP_HEADERS_HPP

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace content_client {

/// Compares two header names as RFC 9110 section 5.1 requires: ASCII case-insensitively.
inline bool iequals(std::string_view a, std::string_view b) noexcept
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; };
        if (lower(a[i]) != lower(b[i]))
            return false;
    }
    return true;
}

/// An ordered list of header fields.
///
/// Names compare case-insensitively; the order and spelling given are kept
/// when the fields are sent. A name may occur more than once (`add`); `set`
/// replaces every occurrence.
class http_headers {
public:
    using value_type = std::pair<std::string, std::string>;
    using const_iterator = std::vector<value_type>::const_iterator;

    http_headers() = default;
    http_headers(std::initializer_list<value_type> fields) : fields_(fields) {}

    /// Returns the value of the first field called `name`, if any.
    std::optional<std::string_view> find(std::string_view name) const
    {
        for (const auto& [n, v] : fields_)
            if (iequals(n, name))
                return std::string_view(v);
        return std::nullopt;
    }

    bool contains(std::string_view name) const { return find(name).has_value(); }

    /// Replaces every field called `name` with one field holding `value`.
    void set(std::string name, std::string value)
    {
        erase(name);
        fields_.emplace_back(std::move(name), std::move(value));
    }

    /// Appends a field, keeping existing fields of the same name.
    void add(std::string name, std::string value) { fields_.emplace_back(std::move(name), std::move(value)); }

    /// Removes every field called `name`; returns how many were removed.
    std::size_t erase(std::string_view name)
    {
        auto before = fields_.size();
        std::erase_if(fields_, [&](const value_type& f) { return iequals(f.first, name); });
        return before - fields_.size();
    }

    bool empty() const noexcept { return fields_.empty(); }
    std::size_t size() const noexcept { return fields_.size(); }
    const_iterator begin() const noexcept { return fields_.begin(); }
    const_iterator end() const noexcept { return fields_.end(); }
    void clear() noexcept { fields_.clear(); }

    friend bool operator==(const http_headers&, const http_headers&) = default;

private:
    std::vector<value_type> fields_;
};

}  // namespace content_client

#endif
