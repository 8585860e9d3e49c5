// A context store kept in one JSON file, replaced atomically on every save.
#ifndef CONTENT_CLIENT_STATE_FILE_STORE_HPP
#define CONTENT_CLIENT_STATE_FILE_STORE_HPP

#include <content_client/error.hpp>
#include <content_client/state/context_store.hpp>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/storage_ptr.hpp>
#include <boost/json/value.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

namespace content_client {

namespace detail {

/// An owned POSIX file descriptor, closed on destruction.
class unique_fd {
public:
    unique_fd() = default;
    explicit unique_fd(int fd) noexcept : fd_(fd) {}
    unique_fd(unique_fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    unique_fd& operator=(unique_fd&& other) noexcept
    {
        if (this != &other) {
            reset();
            fd_ = std::exchange(other.fd_, -1);
        }
        return *this;
    }
    unique_fd(const unique_fd&) = delete;
    unique_fd& operator=(const unique_fd&) = delete;
    ~unique_fd() { reset(); }

    int get() const noexcept { return fd_; }
    explicit operator bool() const noexcept { return fd_ >= 0; }

    /// Closes the descriptor and returns `close`'s errno, or 0.
    int close() noexcept
    {
        int fd = std::exchange(fd_, -1);
        if (fd >= 0 && ::close(fd) != 0)
            return errno;
        return 0;
    }

private:
    void reset() noexcept
    {
        if (fd_ >= 0)
            ::close(fd_);
        fd_ = -1;
    }

    int fd_ = -1;
};

inline std::string errno_text(int err) { return std::system_category().message(err); }

/// Throws `error` with `code` and `message`.
[[noreturn]] inline void throw_store_error(errc code, std::string message)
{
    throw error(make_error_code(code), diagnostics{std::move(message)});
}

}  // namespace detail

/// A `context_store` that keeps all keys in one JSON object file.
///
/// The file maps each key to its value. A missing file is an empty store;
/// the first `save` creates it. The file's mode is 0600, because values may
/// be credentials such as OAuth tokens.
///
/// Every `save` and `erase` takes an exclusive `flock` on `<path>.lock`,
/// re-reads the file and changes one key, so keys that other processes or
/// other `file_store` objects saved in the meantime survive. It then
/// replaces the file atomically. It writes a temporary file with mode 0600
/// in the same directory, calls `fsync`, renames it over the file and calls
/// `fsync` on the directory, so a crash leaves either the old or the new
/// file. `load` takes no lock, because a rename never exposes a
/// half-written file. The lock file stays in the directory.
///
/// When the file is not a JSON object, `load`, `save` and `erase` throw
/// `error` with `errc::state_store_corrupt`. When it cannot be read or
/// written, they throw `errc::state_store_failed`. The message names the
/// path and the fix. A file that is not a JSON object is never overwritten.
/// Files larger than `max_file_size` count as corrupt. Messages name keys
/// and paths, never values.
///
/// Copies share one mutex, and all members are thread-safe. Separate
/// objects for one path, in one process or in several, are serialised by
/// the lock file.
///
/// NOTE: `flock` is advisory and, on some network filesystems, local to one
/// host. Another program that rewrites the file without taking the lock can
/// still lose a concurrent save.
class file_store {
public:
    /// Maximum size of the state file, in bytes. Every operation that reads a larger file throws.
    static constexpr std::size_t max_file_size = 64 * 1024 * 1024;

    /// Uses the file at `path`, which need not exist yet. Throws
    /// `configuration_error` when `path` is empty or ends with `/`.
    explicit file_store(std::filesystem::path path) : state_(std::make_shared<shared>())
    {
        if (path.empty() || !path.has_filename())
            throw configuration_error("invalid file_store path ('" + path.string() +
                                      "'): it must name a file");
        state_->path = std::move(path);
        state_->lock_path = state_->path;
        state_->lock_path += ".lock";
    }

    const std::filesystem::path& path() const noexcept { return state_->path; }

    std::optional<boost::json::value> load(std::string_view key) const
    {
        std::lock_guard lock(state_->mutex);
        auto contents = read_file();
        auto it = contents.find(key);
        if (it == contents.end())
            return std::nullopt;
        return boost::json::value(std::move(it->value()), boost::json::storage_ptr());
    }

    void save(std::string_view key, const boost::json::value& value)
    {
        std::lock_guard lock(state_->mutex);
        auto file_lock = lock_file(key);

        auto contents = read_file();
        contents.insert_or_assign(key, value);
        write_file(key, contents);
    }

    void erase(std::string_view key)
    {
        std::lock_guard lock(state_->mutex);
        auto file_lock = lock_file(key);

        auto contents = read_file();
        if (contents.erase(key) == 0)
            return;
        write_file(key, contents);
    }

private:
    struct shared {
        std::mutex mutex;
        std::filesystem::path path;
        std::filesystem::path lock_path;
    };

    std::string quoted_path() const { return "'" + state_->path.string() + "'"; }

    [[noreturn]] void throw_write_error(std::string_view key, std::string_view step, int err) const
    {
        detail::throw_store_error(errc::state_store_failed,
                                  "failed to update key '" + std::string(key) + "' to state file " +
                                      quoted_path() + ": " + std::string(step) + ": " +
                                      detail::errno_text(err) +
                                      "; check that the directory exists and is writable");
    }

    /// Opens `<path>.lock` and takes an exclusive `flock`, which lasts until the descriptor is closed.
    detail::unique_fd lock_file(std::string_view key) const
    {
        detail::unique_fd fd(::open(state_->lock_path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600));
        if (!fd) {
            int err = errno;
            throw_write_error(key, "cannot open lock file '" + state_->lock_path.string() + "'", err);
        }

        // Only an interrupting signal leads to another try.
        for (int attempt = 0; ::flock(fd.get(), LOCK_EX) != 0; ++attempt) {
            int err = errno;
            if (err != EINTR || attempt >= 100)
                throw_write_error(key, "cannot lock '" + state_->lock_path.string() + "'", err);
        }
        return fd;
    }

    /// Reads and parses the file. A missing file is an empty object.
    boost::json::object read_file() const
    {
        detail::unique_fd fd(::open(state_->path.c_str(), O_RDONLY | O_CLOEXEC));
        if (!fd) {
            int err = errno;
            if (err == ENOENT)
                return {};
            throw_read_error(err);
        }

        std::string text;
        char chunk[16384];
        // Each pass reads at least one byte, retries after a signal or ends the loop,
        // and the size check bounds the total.
        for (int interrupted = 0;;) {
            auto n = ::read(fd.get(), chunk, sizeof chunk);
            if (n < 0 && errno == EINTR && ++interrupted < 100)
                continue;
            if (n < 0)
                throw_read_error(errno);
            if (n == 0)
                break;
            text.append(chunk, static_cast<std::size_t>(n));
            if (text.size() > max_file_size)
                detail::throw_store_error(errc::state_store_corrupt,
                                          "state file " + quoted_path() + " is larger than " +
                                              std::to_string(max_file_size) +
                                              " bytes; fix or remove it");
        }

        boost::system::error_code ec;
        auto parsed = boost::json::parse(text, ec);
        if (ec)
            throw_corrupt("it is not valid JSON: " + ec.message());
        if (!parsed.is_object())
            throw_corrupt(std::string("it contains a JSON ") + kind_name(parsed.kind()));
        return std::move(parsed.as_object());
    }

    [[noreturn]] void throw_read_error(int err) const
    {
        detail::throw_store_error(errc::state_store_failed,
                                  "failed to read state file " + quoted_path() + ": " +
                                      detail::errno_text(err) +
                                      "; check that it is a readable regular file");
    }

    [[noreturn]] void throw_corrupt(const std::string& reason) const
    {
        detail::throw_store_error(errc::state_store_corrupt,
                                  "state file " + quoted_path() + " is not a JSON object (" + reason +
                                      "); fix or remove it");
    }

    static const char* kind_name(boost::json::kind k) noexcept
    {
        switch (k) {
        case boost::json::kind::null: return "null";
        case boost::json::kind::bool_: return "boolean";
        case boost::json::kind::int64:
        case boost::json::kind::uint64:
        case boost::json::kind::double_: return "number";
        case boost::json::kind::string: return "string";
        case boost::json::kind::array: return "array";
        case boost::json::kind::object: return "object";
        }
        return "value";
    }

    /// Replaces the file with `contents` by writing a temporary file, fsync, rename and fsync of the directory.
    void write_file(std::string_view key, const boost::json::object& contents) const
    {
        auto text = boost::json::serialize(contents);
        text.push_back('\n');

        auto directory = state_->path.parent_path();
        if (directory.empty())
            directory = ".";

        auto [temp_path, fd] = create_temporary(key, directory);
        write_all(key, temp_path, fd, text);

        if (::fsync(fd.get()) != 0)
            fail_with_temporary(key, temp_path, "fsync of the temporary file failed", errno);
        if (int err = fd.close(); err != 0)
            fail_with_temporary(key, temp_path, "close of the temporary file failed", err);
        if (::rename(temp_path.c_str(), state_->path.c_str()) != 0)
            fail_with_temporary(key, temp_path, "rename over the state file failed", errno);

        sync_directory(key, directory);
    }

    /// Creates a new file with mode 0600 and a random name next to the state file.
    std::pair<std::filesystem::path, detail::unique_fd> create_temporary(
        std::string_view key, const std::filesystem::path& directory) const
    {
        std::random_device entropy;
        std::uniform_int_distribution<std::uint64_t> random_bits;
        int err = EEXIST;

        // A clash means another writer picked the same random name, so a few new names suffice.
        for (int attempt = 0; attempt < 16 && err == EEXIST; ++attempt) {
            auto name = "." + state_->path.filename().string() + ".tmp-" +
                        std::to_string(random_bits(entropy));
            auto temp_path = directory / name;
            detail::unique_fd fd(
                ::open(temp_path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600));
            if (fd) {
                // The umask can remove permission bits, so fchmod sets the mode to exactly 0600.
                if (::fchmod(fd.get(), 0600) != 0)
                    fail_with_temporary(key, temp_path, "fchmod of the temporary file failed", errno);
                return {std::move(temp_path), std::move(fd)};
            }
            err = errno;
        }
        throw_write_error(key, "cannot create a temporary file in '" + directory.string() + "'", err);
    }

    void write_all(std::string_view key, const std::filesystem::path& temp_path, const detail::unique_fd& fd,
                   const std::string& text) const
    {
        std::size_t written = 0;
        // Each pass writes at least one byte, retries after a signal, or throws.
        for (int interrupted = 0; written < text.size();) {
            auto n = ::write(fd.get(), text.data() + written, text.size() - written);
            if (n < 0 && errno == EINTR && ++interrupted < 100)
                continue;
            if (n <= 0)
                fail_with_temporary(key, temp_path, "write of the temporary file failed", n < 0 ? errno : EIO);
            written += static_cast<std::size_t>(n);
        }
    }

    /// Removes the temporary file and throws. The state file stays as it was.
    [[noreturn]] void fail_with_temporary(std::string_view key, const std::filesystem::path& temp_path,
                                          std::string_view step, int err) const
    {
        ::unlink(temp_path.c_str());
        throw_write_error(key, step, err);
    }

    /// Makes the rename durable. A filesystem that cannot sync a directory (EINVAL, ENOTSUP) is accepted.
    void sync_directory(std::string_view key, const std::filesystem::path& directory) const
    {
        detail::unique_fd fd(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        if (!fd)
            throw_write_error(key, "the file was replaced, but opening its directory to sync it failed", errno);
        if (::fsync(fd.get()) != 0 && errno != EINVAL && errno != ENOTSUP)
            throw_write_error(key, "the file was replaced, but fsync of its directory failed", errno);
    }

    std::shared_ptr<shared> state_;
};

}  // namespace content_client

#endif
