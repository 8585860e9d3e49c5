// The context stores (memory_store, scoped_store, file_store) and collection_state.
#include <content_client/state/collection_state.hpp>
#include <content_client/state/context_store.hpp>
#include <content_client/state/file_store.hpp>
#include <content_client/state/memory_store.hpp>

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace cc = content_client;
namespace fs = std::filesystem;
namespace json = boost::json;

static_assert(cc::context_store<cc::memory_store>);
static_assert(cc::context_store<cc::file_store>);
static_assert(cc::context_store<cc::scoped_store<cc::memory_store>>);
static_assert(cc::context_store<cc::scoped_store<cc::memory_store&>>);
static_assert(cc::context_store<cc::scoped_store<cc::scoped_store<cc::file_store>>>);
static_assert(!cc::context_store<int>);

namespace {

/// A fresh directory under the system temporary directory, removed with its contents at scope exit.
class temp_dir {
public:
    temp_dir()
    {
        std::random_device entropy;
        path_ = fs::temp_directory_path() / ("content_client_state_" + std::to_string(::getpid()) + "_" +
                                             std::to_string(entropy()));
        fs::create_directory(path_);
    }
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
    ~temp_dir()
    {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }

    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

std::string read_text(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void write_text(const fs::path& path, const std::string& text)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
}

std::set<std::string> file_names(const fs::path& directory)
{
    std::set<std::string> names;
    for (const auto& entry : fs::directory_iterator(directory))
        names.insert(entry.path().filename().string());
    return names;
}

/// Runs `action` and returns the `content_client::error` it throws, or no value when it throws none.
template <class Action>
std::optional<cc::error> caught_error(Action action)
{
    try {
        action();
    } catch (const cc::error& e) {
        return e;
    }
    return std::nullopt;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

BOOST_AUTO_TEST_SUITE(state_memory_store)

BOOST_AUTO_TEST_CASE(memory_store_round_trip)
{
    cc::memory_store store;
    json::value token = {{"access_token", "abc"}, {"expires_at", 1700000000}};

    store.save("token", token);

    BOOST_TEST(store.load("token").value() == token);
    BOOST_TEST(!store.load("missing").has_value());
    store.erase("token");
    BOOST_TEST(!store.load("token").has_value());
    BOOST_CHECK_NO_THROW(store.erase("token"));
}

BOOST_AUTO_TEST_CASE(memory_store_save_replaces_value)
{
    cc::memory_store store;

    store.save("cursor", "a");
    store.save("cursor", "b");

    BOOST_TEST(store.load("cursor").value() == json::value("b"));
    BOOST_TEST(store.size() == 1u);
}

BOOST_AUTO_TEST_CASE(memory_store_copies_share_values)
{
    cc::memory_store first;
    cc::memory_store second = first;

    first.save("cursor", "page-2");
    second.save("page", 3);

    BOOST_TEST(second.load("cursor").value() == json::value("page-2"));
    BOOST_TEST(first.load("page").value() == json::value(3));
    BOOST_TEST(first.size() == 2u);
}

BOOST_AUTO_TEST_CASE(memory_store_outlives_source_resource)
{
    cc::memory_store store;
    {
        json::monotonic_resource resource;
        json::value value = json::parse(R"({"items":[1,2,3],"name":"feed"})", &resource);
        store.save("state", value);
    }

    auto loaded = store.load("state");

    BOOST_TEST(loaded.value() == json::parse(R"({"items":[1,2,3],"name":"feed"})"));
    BOOST_TEST(loaded->storage().get() == json::storage_ptr().get());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(state_scoped_store)

BOOST_AUTO_TEST_CASE(scoped_stores_isolate_namespaces)
{
    cc::memory_store shared;
    cc::scoped_store alerts(shared, "alerts");
    cc::scoped_store incidents(shared, "incidents");

    alerts.save("oauth2_token", "token-a");
    incidents.save("oauth2_token", "token-b");

    BOOST_TEST(alerts.load("oauth2_token").value() == json::value("token-a"));
    BOOST_TEST(incidents.load("oauth2_token").value() == json::value("token-b"));
    BOOST_TEST(shared.load("alerts/oauth2_token").value() == json::value("token-a"));
    BOOST_TEST(shared.load("incidents/oauth2_token").value() == json::value("token-b"));
    BOOST_TEST(!shared.load("oauth2_token").has_value());
}

BOOST_AUTO_TEST_CASE(scoped_store_erase_stays_inside)
{
    cc::memory_store shared;
    cc::scoped_store alerts(shared, "alerts");
    cc::scoped_store incidents(shared, "incidents");
    alerts.save("cursor", 1);
    incidents.save("cursor", 2);

    alerts.erase("cursor");

    BOOST_TEST(!alerts.load("cursor").has_value());
    BOOST_TEST(incidents.load("cursor").value() == json::value(2));
}

BOOST_AUTO_TEST_CASE(scoped_store_rejects_invalid_names)
{
    cc::memory_store shared;

    BOOST_CHECK_THROW(cc::scoped_store(shared, ""), cc::configuration_error);
    auto slash = caught_error([&] { cc::scoped_store(shared, "a/b"); });

    BOOST_REQUIRE(slash.has_value());
    BOOST_TEST((slash->code() == cc::errc::invalid_configuration));
    BOOST_TEST(contains(slash->what(), "'a/b'"));
}

BOOST_AUTO_TEST_CASE(scoped_stores_nest_and_reference)
{
    cc::memory_store shared;
    cc::scoped_store<cc::memory_store&> outer(shared, "outer");
    cc::scoped_store inner(outer, "inner");

    inner.save("key", true);

    BOOST_TEST(inner.prefix() == "inner/");
    BOOST_TEST(&outer.store() == &shared);
    BOOST_TEST(shared.load("outer/inner/key").value() == json::value(true));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(state_file_store)

BOOST_AUTO_TEST_CASE(file_store_round_trip_across_instances)
{
    temp_dir dir;
    auto path = dir.path() / "state.json";
    json::value token = {{"access_token", "abc"}, {"expires_at", 1700000000}, {"scopes", {"read", "write"}}};
    {
        cc::file_store writer(path);
        writer.save("token", token);
        writer.save("cursor", "page-7");
    }

    // A new object reads the file as the next process of an integration would.
    cc::file_store reader(path);

    BOOST_TEST(reader.load("token").value() == token);
    BOOST_TEST(reader.load("cursor").value() == json::value("page-7"));
    BOOST_TEST(!reader.load("missing").has_value());
    BOOST_TEST(json::parse(read_text(path)).as_object().size() == 2u);
}

BOOST_AUTO_TEST_CASE(file_store_erase_removes_key)
{
    temp_dir dir;
    cc::file_store store(dir.path() / "state.json");
    store.save("a", 1);
    store.save("b", 2);

    store.erase("a");
    store.erase("never-saved");

    BOOST_TEST(!cc::file_store(store.path()).load("a").has_value());
    BOOST_TEST(cc::file_store(store.path()).load("b").value() == json::value(2));
}

BOOST_AUTO_TEST_CASE(file_store_missing_file_is_empty)
{
    temp_dir dir;
    cc::file_store store(dir.path() / "state.json");

    BOOST_TEST(!store.load("token").has_value());
    BOOST_CHECK_NO_THROW(store.erase("token"));
    BOOST_TEST(!fs::exists(store.path()));
}

BOOST_AUTO_TEST_CASE(file_store_file_mode_0600)
{
    temp_dir dir;
    auto path = dir.path() / "state.json";
    write_text(path, R"({"old":1})");
    fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                              fs::perms::others_read);
    cc::file_store store(path);

    store.save("token", "secret");

    struct ::stat info {};
    BOOST_REQUIRE(::stat(path.c_str(), &info) == 0);
    BOOST_TEST((info.st_mode & 07777) == 0600u);
    BOOST_TEST(S_ISREG(info.st_mode));
    BOOST_TEST(store.load("old").value() == json::value(1));
}

BOOST_AUTO_TEST_CASE(file_store_leaves_no_temporary_files)
{
    temp_dir dir;
    cc::file_store store(dir.path() / "state.json");

    for (int i = 0; i < 5; ++i)
        store.save("key" + std::to_string(i), i);
    store.erase("key0");

    BOOST_TEST((file_names(dir.path()) == std::set<std::string>{"state.json", "state.json.lock"}));
}

BOOST_AUTO_TEST_CASE(file_store_reports_corrupt_file)
{
    temp_dir dir;
    auto path = dir.path() / "state.json";
    const std::string corrupt = "{\"token\": \"abc\", ";
    write_text(path, corrupt);
    cc::file_store store(path);

    auto on_load = caught_error([&] { store.load("token"); });
    auto on_save = caught_error([&] { store.save("cursor", "next"); });
    auto on_erase = caught_error([&] { store.erase("token"); });

    BOOST_REQUIRE(on_load.has_value());
    BOOST_TEST((on_load->code() == cc::errc::state_store_corrupt));
    BOOST_TEST(contains(on_load->what(), path.string()));
    BOOST_TEST(contains(on_load->what(), "is not a JSON object"));
    BOOST_TEST(contains(on_load->what(), "fix or remove it"));
    BOOST_REQUIRE(on_save.has_value());
    BOOST_TEST((on_save->code() == cc::errc::state_store_corrupt));
    BOOST_REQUIRE(on_erase.has_value());
    BOOST_TEST(read_text(path) == corrupt);
}

BOOST_AUTO_TEST_CASE(file_store_rejects_non_object_json)
{
    temp_dir dir;
    auto path = dir.path() / "state.json";
    write_text(path, "[1, 2, 3]\n");
    cc::file_store store(path);

    auto on_save = caught_error([&] { store.save("cursor", "next"); });

    BOOST_REQUIRE(on_save.has_value());
    BOOST_TEST((on_save->code() == cc::errc::state_store_corrupt));
    BOOST_TEST(contains(on_save->what(), "array"));
    BOOST_TEST(contains(on_save->what(), path.string()));
    BOOST_TEST(read_text(path) == "[1, 2, 3]\n");
}

BOOST_AUTO_TEST_CASE(file_store_rejects_unreadable_path)
{
    temp_dir dir;
    // A directory where the file should be cannot be read, even by root.
    auto directory = dir.path() / "state.json";
    fs::create_directory(directory);
    // A regular file where a parent directory should be makes both reading and writing fail.
    auto blocker = dir.path() / "blocker";
    write_text(blocker, "not a directory");
    cc::file_store in_directory(directory);
    cc::file_store under_file(blocker / "state.json");

    auto on_directory = caught_error([&] { in_directory.load("token"); });
    auto on_load = caught_error([&] { under_file.load("token"); });
    auto on_save = caught_error([&] { under_file.save("token", "secret-value"); });

    BOOST_REQUIRE(on_directory.has_value());
    BOOST_TEST((on_directory->code() == cc::errc::state_store_failed));
    BOOST_TEST(contains(on_directory->what(), directory.string()));
    BOOST_REQUIRE(on_load.has_value());
    BOOST_TEST((on_load->code() == cc::errc::state_store_failed));
    BOOST_REQUIRE(on_save.has_value());
    BOOST_TEST((on_save->code() == cc::errc::state_store_failed));
    BOOST_TEST(contains(on_save->what(), "'token'"));
    BOOST_TEST(!contains(on_save->what(), "secret-value"));
    BOOST_TEST(read_text(blocker) == "not a directory");
}

BOOST_AUTO_TEST_CASE(file_store_rejects_unreadable_permissions)
{
    if (::geteuid() == 0) {
        BOOST_TEST_MESSAGE("skipped: root reads files regardless of their mode");
        return;
    }
    temp_dir dir;
    auto path = dir.path() / "state.json";
    write_text(path, R"({"token":"abc"})");
    fs::permissions(path, fs::perms::none);
    cc::file_store store(path);

    auto on_load = caught_error([&] { store.load("token"); });

    BOOST_REQUIRE(on_load.has_value());
    BOOST_TEST((on_load->code() == cc::errc::state_store_failed));
    BOOST_TEST(contains(on_load->what(), path.string()));
}

BOOST_AUTO_TEST_CASE(file_store_rejects_empty_path)
{
    BOOST_CHECK_THROW(cc::file_store(""), cc::configuration_error);
    BOOST_CHECK_THROW(cc::file_store("/tmp/"), cc::configuration_error);
}

BOOST_AUTO_TEST_CASE(file_store_keeps_other_keys)
{
    temp_dir dir;
    auto path = dir.path() / "state.json";
    cc::file_store first(path);
    cc::file_store second(path);
    first.save("first", 1);
    second.save("second", 2);

    // Another process rewrites the file between two saves of `first`.
    auto contents = json::parse(read_text(path)).as_object();
    contents["external"] = "kept";
    write_text(path, json::serialize(contents));
    first.save("first", 10);

    cc::file_store reader(path);
    BOOST_TEST(reader.load("first").value() == json::value(10));
    BOOST_TEST(reader.load("second").value() == json::value(2));
    BOOST_TEST(reader.load("external").value() == json::value("kept"));
}

BOOST_AUTO_TEST_CASE(file_store_concurrent_saves_survive)
{
    temp_dir dir;
    auto path = dir.path() / "state.json";
    cc::file_store shared(path);
    constexpr int thread_count = 8;
    constexpr int keys_per_thread = 10;

    // Even threads use copies of one store, which share a mutex. Odd threads use objects
    // of their own, which only the lock file serialises.
    std::vector<std::thread> threads;
    for (int t = 0; t < thread_count; ++t) {
        threads.emplace_back([&, t] {
            cc::file_store store = t % 2 == 0 ? shared : cc::file_store(path);
            for (int k = 0; k < keys_per_thread; ++k)
                store.save("t" + std::to_string(t) + "-k" + std::to_string(k), t * 100 + k);
        });
    }
    for (auto& thread : threads)
        thread.join();

    auto contents = json::parse(read_text(path)).as_object();
    BOOST_TEST(contents.size() == static_cast<std::size_t>(thread_count * keys_per_thread));
    for (int t = 0; t < thread_count; ++t) {
        for (int k = 0; k < keys_per_thread; ++k) {
            auto key = "t" + std::to_string(t) + "-k" + std::to_string(k);
            BOOST_TEST(shared.load(key).value_or(nullptr) == json::value(t * 100 + k), key);
        }
    }
    BOOST_TEST((file_names(dir.path()) == std::set<std::string>{"state.json", "state.json.lock"}));
}

BOOST_AUTO_TEST_CASE(file_store_with_scoped_store)
{
    temp_dir dir;
    cc::file_store file(dir.path() / "state.json");
    cc::scoped_store alerts(file, "alerts");
    cc::scoped_store incidents(file, "incidents");

    alerts.save("oauth2_token", "a");
    incidents.save("oauth2_token", "b");

    auto contents = json::parse(read_text(file.path())).as_object();
    BOOST_TEST(contents.at("alerts/oauth2_token") == json::value("a"));
    BOOST_TEST(contents.at("incidents/oauth2_token") == json::value("b"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(state_collection_state)

BOOST_AUTO_TEST_CASE(collection_state_defaults_to_json)
{
    cc::collection_state state;

    auto out = state.to_json();

    BOOST_TEST(out.size() == 6u);
    BOOST_TEST(out.at("cursor").is_null());
    BOOST_TEST(out.at("page").is_null());
    BOOST_TEST(out.at("offset").is_null());
    BOOST_TEST(out.at("last_event_id").is_null());
    BOOST_TEST(out.at("partial_results") == json::array());
    BOOST_TEST(out.at("metadata") == json::object());
}

BOOST_AUTO_TEST_CASE(collection_state_round_trips_json)
{
    cc::collection_state state{
        .cursor = "c-42",
        .page = 3,
        .offset = 150,
        .last_event_id = "evt-9",
        .partial_results = {1, "two", {{"three", 3}}},
        .metadata = {{"since", "2024-01-01T00:00:00Z"}},
    };

    auto out = state.to_json();
    auto back = cc::collection_state::from_json(out);

    BOOST_TEST(out.at("cursor") == json::value("c-42"));
    BOOST_TEST(out.at("page") == json::value(3));
    BOOST_TEST(out.at("offset") == json::value(150));
    BOOST_TEST(out.at("last_event_id") == json::value("evt-9"));
    BOOST_TEST((back == state));
}

BOOST_AUTO_TEST_CASE(collection_state_reads_nulls_as_unset)
{
    auto from_null = cc::collection_state::from_json(nullptr);
    auto from_empty = cc::collection_state::from_json(json::object());
    auto from_nulls = cc::collection_state::from_json(json::parse(
        R"({"cursor":null,"page":null,"offset":null,"last_event_id":null,"partial_results":null,"metadata":null})"));
    auto partial = cc::collection_state::from_json(json::parse(R"({"page":2,"unknown":"ignored"})"));

    BOOST_TEST((from_null == cc::collection_state{}));
    BOOST_TEST((from_empty == cc::collection_state{}));
    BOOST_TEST((from_nulls == cc::collection_state{}));
    BOOST_TEST(partial.page.value() == 2);
    BOOST_TEST(!partial.cursor.has_value());
    BOOST_TEST(partial.partial_results.empty());
}

BOOST_AUTO_TEST_CASE(collection_state_rejects_wrong_types)
{
    struct wrong_type_case {
        const char* json;
        const char* key;
    };
    const wrong_type_case cases[] = {
        {R"({"cursor":1})", "collection_state.cursor"},
        {R"({"page":"2"})", "collection_state.page"},
        {R"({"page":1.5})", "collection_state.page"},
        {R"({"page":18446744073709551615})", "collection_state.page"},
        {R"({"offset":true})", "collection_state.offset"},
        {R"({"last_event_id":["x"]})", "collection_state.last_event_id"},
        {R"({"partial_results":{}})", "collection_state.partial_results"},
        {R"({"metadata":[]})", "collection_state.metadata"},
        {R"(["not","an","object"])", "collection_state"},
    };

    for (const auto& c : cases) {
        auto rejected = caught_error([&] { cc::collection_state::from_json(json::parse(c.json)); });

        BOOST_TEST_CONTEXT(c.json)
        {
            BOOST_REQUIRE(rejected.has_value());
            BOOST_TEST((rejected->code() == cc::errc::invalid_configuration));
            BOOST_TEST(contains(rejected->what(), c.key));
        }
    }
}

BOOST_AUTO_TEST_CASE(collection_state_error_omits_value)
{
    auto rejected = caught_error(
        [] { cc::collection_state::from_json(json::parse(R"({"cursor":{"secret":"s3cr3t"}})")); });

    BOOST_REQUIRE(rejected.has_value());
    BOOST_TEST(!contains(rejected->what(), "s3cr3t"));
}

BOOST_AUTO_TEST_CASE(collection_state_saves_to_stores)
{
    temp_dir dir;
    cc::memory_store memory;
    cc::scoped_store scoped(memory, "events");
    cc::file_store file(dir.path() / "state.json");
    cc::collection_state state{.cursor = "next", .page = 4, .metadata = {{"run", 1}}};

    auto empty = cc::collection_state::load(memory, "collection");
    state.save(scoped, "collection");
    state.save(file, "collection");

    BOOST_TEST((empty == cc::collection_state{}));
    BOOST_TEST((cc::collection_state::load(scoped, "collection") == state));
    BOOST_TEST((cc::collection_state::load(file, "collection") == state));
    BOOST_TEST(memory.load("events/collection").value().as_object().size() == 6u);
}

BOOST_AUTO_TEST_SUITE_END()
