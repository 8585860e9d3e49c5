// The position of a resumable collection (cursor, page, offset, last event), saved in a context store.
#ifndef CONTENT_CLIENT_STATE_COLLECTION_STATE_HPP
#define CONTENT_CLIENT_STATE_COLLECTION_STATE_HPP

#include <content_client/error.hpp>
#include <content_client/state/context_store.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/storage_ptr.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace content_client {

/// The position at which an event collector stopped, so that its next run resumes there.
///
/// Every field is optional: a collector uses the ones its API pages by.
/// The JSON form has exactly six keys: `cursor`, `page`, `offset`,
/// `last_event_id`, `partial_results` and `metadata`. An unset optional is
/// `null`. The client itself never reads or writes this state.
///
/// Example:
/// @code
/// auto state = collection_state::load(store, "events");
/// // ... fetch the page after state.cursor ...
/// state.cursor = next_cursor;
/// state.save(store, "events");
/// @endcode
struct collection_state {
    /// Opaque cursor or page token the API returned last.
    std::optional<std::string> cursor{};
    /// Page number of the next request.
    std::optional<std::int64_t> page{};
    /// Item offset of the next request.
    std::optional<std::int64_t> offset{};
    /// Identifier of the last event already processed.
    std::optional<std::string> last_event_id{};
    /// Results fetched but not yet delivered.
    boost::json::array partial_results{};
    /// Anything else the collector wants to keep.
    boost::json::object metadata{};

    /// Returns the JSON form: the six keys, with `null` for an unset optional.
    boost::json::object to_json() const
    {
        boost::json::object out;
        out["cursor"] = optional_to_json(cursor);
        out["page"] = optional_to_json(page);
        out["offset"] = optional_to_json(offset);
        out["last_event_id"] = optional_to_json(last_event_id);
        out["partial_results"] = partial_results;
        out["metadata"] = metadata;
        return out;
    }

    /// Reads the JSON form.
    ///
    /// `null` and an empty object give the defaults. Each key is read on its
    /// own: a missing key or an explicit `null` leaves the field unset (an
    /// empty array or object for `partial_results` and `metadata`). Other
    /// keys are ignored.
    ///
    /// @throws configuration_error when `json` is neither an object nor
    ///         `null`, or when a key has a value of the wrong type. The
    ///         message names the key and never the value.
    static collection_state from_json(const boost::json::value& json)
    {
        collection_state state;
        if (json.is_null())
            return state;
        if (!json.is_object())
            throw configuration_error(std::string("invalid collection_state: expected a JSON object or null, got ") +
                                      kind_name(json.kind()));

        const auto& in = json.get_object();
        state.cursor = read_string(in, "cursor");
        state.page = read_integer(in, "page");
        state.offset = read_integer(in, "offset");
        state.last_event_id = read_string(in, "last_event_id");

        if (const auto* results = present(in, "partial_results")) {
            if (!results->is_array())
                throw_wrong_type("partial_results", "an array", *results);
            state.partial_results = boost::json::array(results->get_array(), boost::json::storage_ptr());
        }
        if (const auto* metadata = present(in, "metadata")) {
            if (!metadata->is_object())
                throw_wrong_type("metadata", "an object", *metadata);
            state.metadata = boost::json::object(metadata->get_object(), boost::json::storage_ptr());
        }
        return state;
    }

    /// Reads the state saved under `key`, or returns the defaults when there is none.
    ///
    /// @throws configuration_error when the saved value is not a valid state,
    ///         and whatever `store.load` throws.
    template <context_store Store>
    static collection_state load(Store& store, std::string_view key)
    {
        auto saved = store.load(key);
        if (!saved)
            return {};
        return from_json(*saved);
    }

    /// Saves `to_json()` under `key`, replacing the previous state.
    template <context_store Store>
    void save(Store& store, std::string_view key) const
    {
        store.save(key, boost::json::value(to_json()));
    }

    friend bool operator==(const collection_state&, const collection_state&) = default;

private:
    template <class T>
    static boost::json::value optional_to_json(const std::optional<T>& field)
    {
        if (!field)
            return nullptr;
        return boost::json::value(*field);
    }

    /// The value of `key`, or `nullptr` when it is missing or `null`.
    static const boost::json::value* present(const boost::json::object& in, std::string_view key)
    {
        const auto* value = in.if_contains(key);
        if (value == nullptr || value->is_null())
            return nullptr;
        return value;
    }

    static std::optional<std::string> read_string(const boost::json::object& in, std::string_view key)
    {
        const auto* value = present(in, key);
        if (value == nullptr)
            return std::nullopt;
        if (!value->is_string())
            throw_wrong_type(key, "a string", *value);
        return std::string(value->get_string());
    }

    static std::optional<std::int64_t> read_integer(const boost::json::object& in, std::string_view key)
    {
        const auto* value = present(in, key);
        if (value == nullptr)
            return std::nullopt;
        if (value->is_int64())
            return value->get_int64();
        if (value->is_uint64() && value->get_uint64() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            return static_cast<std::int64_t>(value->get_uint64());
        if (value->is_uint64())
            throw configuration_error("invalid collection_state." + std::string(key) +
                                      ": the integer is larger than the int64 maximum");
        throw_wrong_type(key, "an integer", *value);
    }

    [[noreturn]] static void throw_wrong_type(std::string_view key, const char* expected,
                                              const boost::json::value& value)
    {
        throw configuration_error("invalid collection_state." + std::string(key) + ": expected " + expected +
                                  " or null, got " + kind_name(value.kind()));
    }

    static const char* kind_name(boost::json::kind k) noexcept
    {
        switch (k) {
        case boost::json::kind::null: return "null";
        case boost::json::kind::bool_: return "a boolean";
        case boost::json::kind::int64:
        case boost::json::kind::uint64: return "an integer";
        case boost::json::kind::double_: return "a floating-point number";
        case boost::json::kind::string: return "a string";
        case boost::json::kind::array: return "an array";
        case boost::json::kind::object: return "an object";
        }
        return "an unknown JSON kind";
    }
};

}  // namespace content_client

#endif
