// The authentication policy that adds nothing.
#ifndef CONTENT_CLIENT_AUTH_NO_AUTH_HPP
#define CONTENT_CLIENT_AUTH_NO_AUTH_HPP

#include <content_client/transport/message.hpp>

namespace content_client {

/// Adds no credentials; the client's and the call's `auth` still apply.
struct no_auth {
    static constexpr bool is_noop = true;
    void apply(request&) const noexcept {}
};

}  // namespace content_client

#endif
