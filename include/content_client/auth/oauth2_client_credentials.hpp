// OAuth 2.0 client-credentials grant (RFC 6749 section 4.4) with automatic refresh.
#ifndef CONTENT_CLIENT_AUTH_OAUTH2_CLIENT_CREDENTIALS_HPP
#define CONTENT_CLIENT_AUTH_OAUTH2_CLIENT_CREDENTIALS_HPP

#include <content_client/auth/auth_context.hpp>
#include <content_client/detail/config.hpp>
#include <content_client/detail/request_builder.hpp>
#include <content_client/detail/text.hpp>
#include <content_client/detail/url.hpp>
#include <content_client/error.hpp>
#include <content_client/options.hpp>
#include <content_client/transport/message.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/value.hpp>

#include <charconv>
#include <chrono>
#include <cmath>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace content_client {

/// Settings of `oauth2_client_credentials`.
struct oauth2_settings {
    /// The token endpoint.
    std::string token_url{};
    std::string client_id{};
    std::string client_secret{};
    /// Sent as `scope` when not empty.
    std::string scope{};
    /// Sent as `audience` when not empty.
    std::string audience{};
    /// Extra form fields; a name already sent is replaced.
    name_value_list auth_params{};
    /// Bound on the whole token request.
    seconds_f token_timeout{30.0};
    /// A token is refreshed this long before it expires, or halfway through
    /// its lifetime when that comes later.
    seconds_f refresh_margin{60.0};
};

CONTENT_CLIENT_COROUTINES_BEGIN

/// Fetches a bearer token with the client-credentials grant and refreshes it.
///
/// The token request is a form-encoded POST of `grant_type`, `client_id`,
/// `client_secret`, then `scope` and `audience` when set, then
/// `auth_params`, sent over the client's own transport (same TLS and proxy
/// settings), following redirects. `expires_in` may be a number or a
/// numeric string; when it is missing or not a number the token lives
/// 3600 s; 0 means the token serves the current call only. A token is
/// refreshed `refresh_margin` before it expires, but not before half its
/// lifetime has passed, so a token that lives 60 s is still reused for 30 s.
///
/// Any number of concurrent callers cause a single token request. A 401
/// from the API makes the next attempt fetch a new token, once per call.
///
/// With a store (any type with `load(key)` and `save(key, value)`, such as
/// `file_store`), the token is kept under a key derived from the token URL,
/// the client id, the scope and the audience, with its wall-clock expiry,
/// so the next process reuses it until it expires.
///
/// Failures are `authentication_error`s: `Token refresh failed with status
/// 400: <body>`, `Token refresh timed out: ...`, `Failed to refresh token:
/// ...`. The client secret never appears in them, even when the endpoint
/// echoes it. Copies share the token. Thread-safe.
class oauth2_client_credentials {
public:
    explicit oauth2_client_credentials(oauth2_settings settings) : state_(std::make_shared<shared>())
    {
        if (settings.token_url.empty())
            throw configuration_error("oauth2_client_credentials requires a non-empty token_url");
        if (settings.client_id.empty())
            throw configuration_error("oauth2_client_credentials requires a non-empty client_id");
        if (settings.client_secret.empty())
            throw configuration_error("oauth2_client_credentials requires a non-empty client_secret");
        if (!(settings.token_timeout.count() > 0) || !std::isfinite(settings.token_timeout.count()))
            throw configuration_error("invalid oauth2_settings.token_timeout (" +
                                      detail::format_seconds(settings.token_timeout) +
                                      "): it must be a positive number of seconds");
        if (!(settings.refresh_margin.count() >= 0) || !std::isfinite(settings.refresh_margin.count()))
            throw configuration_error("invalid oauth2_settings.refresh_margin (" +
                                      detail::format_seconds(settings.refresh_margin) +
                                      "): it must be 0 or more seconds");
        std::string message;
        request_options probe;
        probe.full_url = settings.token_url;
        if (detail::build_url({}, {}, probe, message).empty())
            throw configuration_error("invalid oauth2_settings.token_url: " + message);
        state_->settings = std::move(settings);
    }

    /// Keeps the token in `store` between processes.
    template <class Store>
        requires requires(Store& s, std::string_view key, const boost::json::value& v) {
            { s.load(key) } -> std::convertible_to<std::optional<boost::json::value>>;
            s.save(key, v);
        }
    oauth2_client_credentials(oauth2_settings settings, Store store) : oauth2_client_credentials(std::move(settings))
    {
        auto shared_store = std::make_shared<Store>(std::move(store));
        state_->load = [shared_store](std::string_view key) { return shared_store->load(key); };
        state_->save = [shared_store](std::string_view key, const boost::json::value& v) { shared_store->save(key, v); };
    }

    /// The reference's positional form.
    oauth2_client_credentials(std::string token_url, std::string client_id, std::string client_secret,
                              std::string scope = {}, std::string audience = {}, name_value_list auth_params = {})
        : oauth2_client_credentials(oauth2_settings{std::move(token_url), std::move(client_id),
                                                    std::move(client_secret), std::move(scope), std::move(audience),
                                                    std::move(auth_params)})
    {
    }

    /// The key under which a store keeps the token: the client id, the token
    /// URL, and the scope and audience when set, because a token granted
    /// for one scope must not serve a request for another.
    ///
    /// NOTE: `auth_params` and the client secret are not part of the key, so
    /// a changed secret or extra field reuses a stored token until it expires.
    std::string store_key() const
    {
        const auto& settings = state_->settings;
        std::string key = "oauth2_token/" + settings.client_id + "@" + settings.token_url;
        if (!settings.scope.empty())
            key += " scope=" + settings.scope;
        if (!settings.audience.empty())
            key += " audience=" + settings.audience;
        return key;
    }

    /// Makes sure a valid token is held, fetching one when needed.
    boost::asio::awaitable<auth_result> async_prepare(auth_context& ctx)
    {
        auto state = state_;
        while (true) {
            std::unique_lock lock(state->mutex);
            auto now = ctx.system_now();
            if (!state->loaded && state->load) {
                state->loaded = true;
                if (auto failure = load_stored(*state, now))
                    co_return *failure;
            }
            if (state->token && !state->stale && now < state->refresh_at) {
                // A token for this call only is handed out once.
                if (state->single_use)
                    state->stale = true;
                co_return auth_result{};
            }
            if (!state->refreshing) {
                state->refreshing = true;
                lock.unlock();
                co_return co_await refresh(state, ctx);
            }

            // Another caller is fetching: wait for it and share its outcome,
            // even a token that is already inside the refresh margin.
            auto generation = state->generation;
            lock.unlock();
            co_await wait_for_refresh(state);
            std::lock_guard relock(state->mutex);
            if (state->generation != generation) {
                if (state->last_failure)
                    co_return *state->last_failure;
                co_return auth_result{};
            }
        }
    }

    /// Sets `Authorization: Bearer <token>`.
    void apply(request& req) const
    {
        std::lock_guard lock(state_->mutex);
        if (state_->token)
            req.headers.set("Authorization", "Bearer " + *state_->token);
    }

    /// Marks the token that the API rejected as stale, so the next attempt
    /// fetches a new one; a token already replaced by another caller is kept.
    bool on_unauthorized(const request& rejected)
    {
        std::lock_guard lock(state_->mutex);
        auto sent = rejected.headers.find("Authorization");
        if (state_->token && sent && *sent == "Bearer " + *state_->token)
            state_->stale = true;
        return true;
    }

    /// The client secret as given and as form-encoded in the token request,
    /// and the access token held.
    std::vector<std::string> secret_values() const
    {
        std::lock_guard lock(state_->mutex);
        const auto& secret = state_->settings.client_secret;
        std::vector<std::string> values{secret, detail::form_encode(secret)};
        if (state_->token)
            values.push_back(*state_->token);
        return values;
    }

    /// Token requests sent so far.
    std::size_t token_requests() const
    {
        std::lock_guard lock(state_->mutex);
        return state_->token_requests;
    }

    std::string_view name() const noexcept { return "oauth2_client_credentials"; }

private:
    using time_point = std::chrono::system_clock::time_point;
    struct waiter {
        boost::asio::any_io_executor executor;
        std::shared_ptr<boost::asio::steady_timer> timer;
    };

    struct shared {
        std::mutex mutex;
        oauth2_settings settings;
        std::optional<std::string> token;
        time_point refresh_at{};
        bool stale = false;
        bool single_use = false;
        bool refreshing = false;
        bool loaded = false;
        std::size_t generation = 0;
        std::size_t token_requests = 0;
        std::optional<auth_result> last_failure;
        std::vector<waiter> waiters;
        std::function<std::optional<boost::json::value>(std::string_view)> load;
        std::function<void(std::string_view, const boost::json::value&)> save;
    };

    // Suspends until the refresh in flight ends. The waiter's timer is
    // woken on its own executor, so the waker never touches it from another thread.
    static boost::asio::awaitable<void> wait_for_refresh(std::shared_ptr<shared> state)
    {
        auto ex = co_await boost::asio::this_coro::executor;
        auto timer = std::make_shared<boost::asio::steady_timer>(ex, boost::asio::steady_timer::time_point::max());
        {
            std::lock_guard lock(state->mutex);
            if (!state->refreshing)
                co_return;
            state->waiters.push_back({ex, timer});
        }
        boost::system::error_code ignored;
        co_await timer->async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ignored));
    }

    // Replaces the secret as given and as form-encoded in the token request.
    static std::string hide_secret(std::string_view text, const std::string& secret)
    {
        return detail::redact(text, {secret, detail::form_encode(secret)});
    }

    std::optional<auth_result> load_stored(shared& s, time_point now)
    {
        try {
            auto stored = s.load(store_key());
            if (!stored || !stored->is_object())
                return std::nullopt;
            const auto& obj = stored->as_object();
            auto token = obj.if_contains("access_token");
            auto expires = obj.if_contains("expires_at");
            if (!token || !token->is_string() || token->as_string().empty() || !expires || !expires->is_number())
                return std::nullopt;
            auto expires_at = time_point(std::chrono::duration_cast<time_point::duration>(
                std::chrono::duration<double>(expires->to_number<double>())));
            // A saved token carries its refresh time; an entry without one
            // is refreshed `refresh_margin` before it expires.
            auto refresh_at = expires_at - std::chrono::duration_cast<time_point::duration>(s.settings.refresh_margin);
            if (auto stored_refresh = obj.if_contains("refresh_at"); stored_refresh && stored_refresh->is_number())
                refresh_at = std::min(expires_at, time_point(std::chrono::duration_cast<time_point::duration>(
                                                      std::chrono::duration<double>(stored_refresh->to_number<double>()))));
            if (now < refresh_at) {
                s.token = std::string(token->as_string());
                s.refresh_at = refresh_at;
                s.stale = false;
            }
        } catch (const std::exception& e) {
            return auth_result{make_error_code(errc::authentication_failed),
                               "Failed to load the stored OAuth2 token: " + std::string(e.what())};
        }
        return std::nullopt;
    }

    static std::optional<double> parse_expires_in(const simdjson::dom::element& doc)
    {
        auto field = doc["expires_in"];
        if (field.error())
            return std::nullopt;
        auto value = field.value_unsafe();
        if (value.is_number())
            return value.get_double().value_unsafe();
        if (value.is_string()) {
            std::string_view text = value.get_string().value_unsafe();
            double number = 0;
            auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
            if (ec == std::errc() && end == text.data() + text.size() && std::isfinite(number))
                return number;
        }
        return std::nullopt;
    }

    request make_token_request() const
    {
        const auto& s = state_->settings;
        name_value_list form{{"grant_type", "client_credentials"}, {"client_id", s.client_id},
                             {"client_secret", s.client_secret}};
        if (!s.scope.empty())
            form.emplace_back("scope", s.scope);
        if (!s.audience.empty())
            form.emplace_back("audience", s.audience);
        for (const auto& [name, value] : s.auth_params) {
            bool replaced = false;
            for (auto& field : form)
                if (field.first == name) {
                    field.second = value;
                    replaced = true;
                }
            if (!replaced)
                form.emplace_back(name, value);
        }

        request req;
        req.method = "POST";
        req.url = s.token_url;
        req.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                       {"Accept", "application/json"},
                       {"User-Agent", std::string(detail::default_user_agent)}};
        req.body = detail::encode_fields(form);
        return req;
    }

    boost::asio::awaitable<auth_result> refresh(std::shared_ptr<shared> state, auth_context& ctx)
    {
        const auto& s = state->settings;
        auto timeout = std::chrono::duration_cast<std::chrono::nanoseconds>(s.token_timeout);
        send_options opts;
        opts.connect_timeout = opts.read_timeout = opts.write_timeout = opts.pool_timeout = timeout;
        opts.deadline = ctx.now() + timeout;

        auth_result result;
        std::optional<std::string> token;
        time_point expires_at{};
        time_point refresh_at{};
        bool single_use = false;
        try {
            // Named, not a temporary inside the co_await expression: g++ 12
            // has destroyed such temporaries twice when an exception passes through.
            const request token_request = make_token_request();
            auto sent = co_await ctx.send(token_request, opts);
            const auto now = ctx.system_now();
            result = interpret(sent, now, token, expires_at, single_use);
            refresh_at = expires_at - refresh_margin_for(s.refresh_margin, expires_at - now);
            if (!result.ec && state->save && !single_use) {
                boost::json::object stored;
                stored["access_token"] = *token;
                stored["expires_at"] = std::chrono::duration<double>(expires_at.time_since_epoch()).count();
                stored["refresh_at"] = std::chrono::duration<double>(refresh_at.time_since_epoch()).count();
                state->save(store_key(), stored);
            }
        } catch (const std::exception& e) {
            result = {make_error_code(errc::authentication_failed),
                      "Failed to refresh token: " + hide_secret(e.what(), s.client_secret)};
        }

        std::vector<waiter> waiters;
        {
            std::lock_guard lock(state->mutex);
            ++state->token_requests;
            ++state->generation;
            state->refreshing = false;
            if (!result.ec) {
                state->token = std::move(token);
                state->refresh_at = refresh_at;
                state->single_use = single_use;
                state->stale = single_use;
                state->last_failure.reset();
            } else {
                state->last_failure = result;
            }
            waiters.swap(state->waiters);
        }
        // Each waiter resumes on its own executor. The timer moves into the
        // posted handler, so that this thread keeps no reference to it: the
        // waiter's io_context may be destroyed as soon as its call ends, and
        // a timer must not outlive the io_context it belongs to.
        for (auto& w : waiters) {
            auto executor = std::move(w.executor);
            boost::asio::post(executor, [timer = std::move(w.timer)] {
                timer->expires_at(boost::asio::steady_timer::time_point::min());
            });
        }
        co_return result;
    }

    /// Returns how long before expiry a token with `lifetime` left is
    /// refreshed: `margin`, but at most half the lifetime, so that a token
    /// that lives no longer than the margin still serves several calls.
    static time_point::duration refresh_margin_for(seconds_f margin, time_point::duration lifetime)
    {
        const auto configured = std::chrono::duration_cast<time_point::duration>(margin);
        if (lifetime <= time_point::duration::zero())
            return time_point::duration::zero();
        return std::min(configured, lifetime / 2);
    }

    auth_result interpret(const send_result& sent, time_point now, std::optional<std::string>& token,
                          time_point& expires_at, bool& single_use) const
    {
        const auto& s = state_->settings;
        auto fail = [&](std::string message) {
            return auth_result{make_error_code(errc::authentication_failed), hide_secret(std::move(message), s.client_secret)};
        };

        if (sent.ec) {
            bool timed_out = sent.ec == errc::timed_out || sent.ec == errc::read_timeout ||
                             sent.ec == errc::connect_timeout || sent.ec == errc::write_timeout;
            return fail((timed_out ? "Token refresh timed out: " : "Failed to refresh token: ") + sent.message);
        }
        const auto& res = sent.response;
        if (res.status() < 200 || res.status() > 299)
            return fail("Token refresh failed with status " + std::to_string(res.status()) + ": " +
                        std::string(res.text()));

        auto doc = res.try_json();
        if (doc.error())
            return fail(std::string("Failed to refresh token: the token endpoint's response is not JSON (") +
                        simdjson::error_message(doc.error()) + ")");
        auto access = doc.value_unsafe()["access_token"];
        if (access.error() || !access.value_unsafe().is_string() ||
            access.value_unsafe().get_string().value_unsafe().empty())
            return fail("Failed to refresh token: No access_token in response");
        std::string value(access.value_unsafe().get_string().value_unsafe());
        if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos)
            return fail("Failed to refresh token: the access_token contains CR, LF or NUL");

        double expires_in = parse_expires_in(doc.value_unsafe()).value_or(3600.0);
        if (expires_in < 0)
            expires_in = 0;
        single_use = expires_in == 0;
        auto lifetime = std::chrono::duration_cast<time_point::duration>(std::chrono::duration<double>(expires_in));
        expires_at = now + lifetime;
        token = std::move(value);
        return {};
    }

    std::shared_ptr<shared> state_;
};

CONTENT_CLIENT_COROUTINES_END

}  // namespace content_client

#endif
