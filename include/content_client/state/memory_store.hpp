// A context store that keeps its values in memory.
#ifndef CONTENT_CLIENT_STATE_MEMORY_STORE_HPP
#define CONTENT_CLIENT_STATE_MEMORY_STORE_HPP

#include <content_client/state/context_store.hpp>

#include <boost/json/storage_ptr.hpp>
#include <boost/json/value.hpp>

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace content_client {

/// A `context_store` in memory, for tests and for state that needs to
/// outlive one client but not the process.
///
/// Values are deep-copied in and out on the default memory resource, so a
/// stored value does not depend on the resource of the value it came from.
/// Copies share the contents, so a test keeps one copy and gives another to
/// the code under test. All members are thread-safe.
class memory_store {
public:
    memory_store() : state_(std::make_shared<shared>()) {}

    std::optional<boost::json::value> load(std::string_view key) const
    {
        std::lock_guard lock(state_->mutex);
        auto it = state_->values.find(key);
        if (it == state_->values.end())
            return std::nullopt;
        return boost::json::value(it->second, boost::json::storage_ptr());
    }

    void save(std::string_view key, const boost::json::value& value)
    {
        // Copy outside the lock, because the copy may allocate a large tree.
        boost::json::value copy(value, boost::json::storage_ptr());

        std::lock_guard lock(state_->mutex);
        auto it = state_->values.find(key);
        if (it == state_->values.end())
            state_->values.emplace(std::string(key), std::move(copy));
        else
            it->second = std::move(copy);
    }

    void erase(std::string_view key)
    {
        std::lock_guard lock(state_->mutex);
        auto it = state_->values.find(key);
        if (it != state_->values.end())
            state_->values.erase(it);
    }

    /// Number of stored keys.
    std::size_t size() const
    {
        std::lock_guard lock(state_->mutex);
        return state_->values.size();
    }

private:
    struct shared {
        mutable std::mutex mutex;
        std::map<std::string, boost::json::value, std::less<>> values;
    };

    std::shared_ptr<shared> state_;
};

}  // namespace content_client

#endif
