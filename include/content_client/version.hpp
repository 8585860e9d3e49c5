// The library's version.
#ifndef CONTENT_CLIENT_VERSION_HPP
#define CONTENT_CLIENT_VERSION_HPP

#define CONTENT_CLIENT_VERSION_STRING "0.1.0"

namespace content_client {

/// The library's version, as "major.minor.patch".
inline constexpr const char* version = CONTENT_CLIENT_VERSION_STRING;

}  // namespace content_client

#endif
