// Keep-alive connections of beast_transport per pool key, with a limit on
// open connections per key and an asynchronous wait for a free one.
#ifndef CONTENT_CLIENT_TRANSPORT_DETAIL_CONNECTION_POOL_HPP
#define CONTENT_CLIENT_TRANSPORT_DETAIL_CONNECTION_POOL_HPP

#include <content_client/detail/config.hpp>
#include <content_client/transport/detail/connection.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace content_client::detail {

CONTENT_CLIENT_COROUTINES_BEGIN

class connection_pool;

/// The right to use one connection slot of a pool key, and the connection
/// in it once one is taken from the pool or opened.
///
/// The destructor gives the slot back and closes the connection, unless
/// `connection_pool::put` stored the connection as idle first. Move-only.
class pool_lease {
public:
    pool_lease() = default;
    pool_lease(connection_pool* pool, std::string key, std::unique_ptr<connection> conn)
        : pool_(pool), key_(std::move(key)), conn_(std::move(conn))
    {
    }
    pool_lease(pool_lease&& other) noexcept
        : pool_(std::exchange(other.pool_, nullptr)), key_(std::move(other.key_)), conn_(std::move(other.conn_))
    {
    }
    pool_lease& operator=(pool_lease&& other) noexcept
    {
        if (this != &other) {
            release();
            pool_ = std::exchange(other.pool_, nullptr);
            key_ = std::move(other.key_);
            conn_ = std::move(other.conn_);
        }
        return *this;
    }
    pool_lease(const pool_lease&) = delete;
    pool_lease& operator=(const pool_lease&) = delete;
    ~pool_lease() { release(); }

    /// True when the lease holds a slot.
    explicit operator bool() const noexcept { return pool_ != nullptr; }

    const std::string& key() const noexcept { return key_; }

    /// The connection in the slot, or `nullptr` when a new one must be opened.
    std::unique_ptr<connection>& conn() noexcept { return conn_; }

private:
    friend class connection_pool;

    inline void release() noexcept;

    connection_pool* pool_ = nullptr;
    std::string key_;
    std::unique_ptr<connection> conn_;
};

/// Open connections per pool key: at most `max_per_key` busy and idle ones
/// together, and idle keep-alive connections that expire after `idle_timeout`.
///
/// The key is the origin (`scheme://host:port`) for a direct connection and
/// the origin followed by ` via ` and the proxy for a proxied one. The TLS
/// settings, and so the verification mode, belong to one transport, so a
/// connection opened with `verify` off is never used by a transport that
/// verifies.
///
/// `acquire`, `put` and the destructor of `pool_lease` must run on the
/// transport's strand. `idle_count` and `clear` may be called from any thread.
class connection_pool {
public:
    using clock = std::chrono::steady_clock;
    using time_point = clock::time_point;

    connection_pool(std::size_t max_per_key, std::chrono::nanoseconds idle_timeout)
        : max_per_key_(std::max<std::size_t>(max_per_key, 1)), idle_timeout_(idle_timeout)
    {
    }

    std::size_t max_per_key() const noexcept { return max_per_key_; }

    /// Waits until `key` has an idle connection or a free slot, up to `until`.
    ///
    /// Returns a lease with the most recently released idle connection, or
    /// with no connection when the caller must open one, or an empty lease
    /// when `until` passed first. No thread blocks while it waits.
    boost::asio::awaitable<pool_lease> acquire(std::string key, time_point until)
    {
        // Each pass either returns or waits on a timer that expires at `until`,
        // so the loop ends by `until` at the latest.
        for (;;) {
            if (auto lease = try_acquire(key, clock::now()))
                co_return lease;
            if (clock::now() >= until)
                co_return pool_lease();

            auto waiter = std::make_shared<boost::asio::steady_timer>(co_await boost::asio::this_coro::executor, until);
            {
                std::lock_guard lock(mutex_);
                entries_[key].waiters.push_back(waiter);
            }
            // `put` and `pool_lease` cancel the timer to wake the waiter.
            co_await waiter->async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
            {
                std::lock_guard lock(mutex_);
                auto it = entries_.find(key);
                if (it != entries_.end())
                    std::erase(it->second.waiters, waiter);
            }
        }
    }

    /// Stores the connection of `lease` as idle for its key and wakes one waiter.
    void put(pool_lease& lease, time_point now)
    {
        if (!lease.pool_ || !lease.conn_)
            return;
        std::shared_ptr<boost::asio::steady_timer> woken;
        {
            std::lock_guard lock(mutex_);
            auto& entry = entries_[lease.key_];
            entry.idle.push_back({std::move(lease.conn_), now});
            woken = pop_waiter(entry);
        }
        lease.pool_ = nullptr;
        if (woken)
            woken->cancel();
    }

    /// Closes every idle connection.
    void clear()
    {
        std::vector<idle_connection> closing;
        std::lock_guard lock(mutex_);
        for (auto& [key, entry] : entries_) {
            entry.open -= entry.idle.size();
            for (auto& idle : entry.idle)
                closing.push_back(std::move(idle));
            entry.idle.clear();
        }
    }

    /// The number of idle connections for `key`.
    std::size_t idle_count(std::string_view key) const
    {
        std::lock_guard lock(mutex_);
        auto it = entries_.find(key);
        return it == entries_.end() ? 0 : it->second.idle.size();
    }

    /// The number of open connections for `key`, busy and idle.
    std::size_t open_count(std::string_view key) const
    {
        std::lock_guard lock(mutex_);
        auto it = entries_.find(key);
        return it == entries_.end() ? 0 : it->second.open;
    }

private:
    friend class pool_lease;

    struct idle_connection {
        std::unique_ptr<connection> conn;
        time_point since;
    };

    struct key_entry {
        /// Connections counted against `max_per_key_`: busy ones, slots being opened, and idle ones.
        std::size_t open = 0;
        std::vector<idle_connection> idle;
        std::deque<std::shared_ptr<boost::asio::steady_timer>> waiters;
    };

    pool_lease try_acquire(const std::string& key, time_point now)
    {
        std::vector<idle_connection> expired;
        std::lock_guard lock(mutex_);
        auto& entry = entries_[key];
        std::erase_if(entry.idle, [&](idle_connection& idle) {
            if (now - idle.since < idle_timeout_)
                return false;
            expired.push_back(std::move(idle));
            return true;
        });
        entry.open -= expired.size();

        if (!entry.idle.empty()) {
            auto conn = std::move(entry.idle.back().conn);
            entry.idle.pop_back();
            return pool_lease(this, key, std::move(conn));
        }
        if (entry.open < max_per_key_) {
            ++entry.open;
            return pool_lease(this, key, nullptr);
        }
        // The expired connections close when `expired` goes out of scope.
        return pool_lease();
    }

    /// Gives back the slot of a lease whose connection closed or was never opened.
    void release_slot(const std::string& key) noexcept
    {
        std::shared_ptr<boost::asio::steady_timer> woken;
        {
            std::lock_guard lock(mutex_);
            auto it = entries_.find(key);
            if (it == entries_.end())
                return;
            if (it->second.open > 0)
                --it->second.open;
            woken = pop_waiter(it->second);
        }
        if (woken)
            woken->cancel();
    }

    static std::shared_ptr<boost::asio::steady_timer> pop_waiter(key_entry& entry)
    {
        if (entry.waiters.empty())
            return nullptr;
        auto waiter = std::move(entry.waiters.front());
        entry.waiters.pop_front();
        return waiter;
    }

    std::size_t max_per_key_;
    std::chrono::nanoseconds idle_timeout_;
    mutable std::mutex mutex_;
    std::map<std::string, key_entry, std::less<>> entries_;
};

inline void pool_lease::release() noexcept
{
    if (!pool_)
        return;
    conn_.reset();
    std::exchange(pool_, nullptr)->release_slot(key_);
}

CONTENT_CLIENT_COROUTINES_END

}  // namespace content_client::detail

#endif
