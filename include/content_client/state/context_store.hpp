// The context_store concept, and scoped_store, which gives a client its own key space.
#ifndef CONTENT_CLIENT_STATE_CONTEXT_STORE_HPP
#define CONTENT_CLIENT_STATE_CONTEXT_STORE_HPP

#include <content_client/error.hpp>

#include <boost/json/value.hpp>

#include <concepts>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace content_client {

/// Key-value storage of JSON values that outlives one run of an integration.
///
/// | expression | type | semantics |
/// |---|---|---|
/// | `s.load(key)` | `std::optional<boost::json::value>` | a copy of the value stored under `key`, or no value when there is none |
/// | `s.save(key, value)` | `void` | stores a copy of `value` under `key`, replacing any previous value |
/// | `s.erase(key)` | `void` | removes `key`; removing a missing key does nothing |
///
/// `key` is a `std::string_view` and `value` a `const boost::json::value&`.
/// Failures are thrown; a store never reports a missing key as an error.
/// Values may be credentials, so error messages name keys, never values.
template <class S>
concept context_store = requires(S& s, std::string_view key, const boost::json::value& value) {
    { s.load(key) } -> std::same_as<std::optional<boost::json::value>>;
    { s.save(key, value) } -> std::same_as<void>;
    { s.erase(key) } -> std::same_as<void>;
};

/// A view of a store that puts every key under `"<name>/"`.
///
/// Two clients that share one store, each through its own `scoped_store`,
/// cannot read or overwrite each other's keys: `scoped_store(store, "a")`
/// saves `token` as `a/token`, `scoped_store(store, "b")` as `b/token`.
/// The name must be non-empty and must not contain `/`, so that no two
/// names produce overlapping prefixes. Scopes nest: a `scoped_store` of a
/// `scoped_store` uses `"<outer>/<inner>/"`.
///
/// `Store` is held by value. The shipped stores share their contents between
/// copies; for a user store whose copies do not, use a reference type:
/// `scoped_store<my_store&>`. Thread safety is that of `Store`.
///
/// Example:
/// @code
/// memory_store shared;
/// scoped_store alerts(shared, "alerts");
/// alerts.save("cursor", "abc");  // stored in `shared` as "alerts/cursor"
/// @endcode
template <context_store Store>
class scoped_store {
public:
    /// Wraps `store`; throws `configuration_error` when `name` is empty or contains `/`.
    scoped_store(Store store, std::string_view name) : store_(std::forward<Store>(store))
    {
        if (name.empty() || name.find('/') != std::string_view::npos)
            throw configuration_error("invalid scoped_store name ('" + std::string(name) +
                                      "'): it must be non-empty and must not contain '/'");
        prefix_.reserve(name.size() + 1);
        prefix_.append(name);
        prefix_.push_back('/');
    }

    std::optional<boost::json::value> load(std::string_view key) { return store_.load(scoped_key(key)); }

    void save(std::string_view key, const boost::json::value& value) { store_.save(scoped_key(key), value); }

    void erase(std::string_view key) { store_.erase(scoped_key(key)); }

    /// The prefix put before every key: the name followed by `/`.
    const std::string& prefix() const noexcept { return prefix_; }

    /// The wrapped store.
    Store& store() noexcept { return store_; }
    const Store& store() const noexcept { return store_; }

private:
    std::string scoped_key(std::string_view key) const
    {
        std::string scoped;
        scoped.reserve(prefix_.size() + key.size());
        scoped.append(prefix_);
        scoped.append(key);
        return scoped;
    }

    Store store_;
    std::string prefix_;
};

}  // namespace content_client

#endif
