// Compiler settings shared by the library's headers.
#ifndef CONTENT_CLIENT_DETAIL_CONFIG_HPP
#define CONTENT_CLIENT_DETAIL_CONFIG_HPP

// GCC (11 to 15 at least) reports the coroutine frames of Asio's awaitable
// as allocated and freed by mismatched functions once it inlines them, a
// false positive (GCC PR middle-end/109224): Asio pairs its own frame
// operator new and delete. These macros silence that one warning around
// the library's coroutines, so users who build with -Werror are not stopped.
#if defined(__GNUC__) && !defined(__clang__)
#define CONTENT_CLIENT_COROUTINES_BEGIN \
    _Pragma("GCC diagnostic push") _Pragma("GCC diagnostic ignored \"-Wmismatched-new-delete\"")
#define CONTENT_CLIENT_COROUTINES_END _Pragma("GCC diagnostic pop")
#else
#define CONTENT_CLIENT_COROUTINES_BEGIN
#define CONTENT_CLIENT_COROUTINES_END
#endif

#endif
