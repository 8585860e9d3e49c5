// The TLS client context of beast_transport: protocol versions, verification,
// a CA file and a client certificate for mutual TLS.
#ifndef CONTENT_CLIENT_TRANSPORT_DETAIL_TLS_SETUP_HPP
#define CONTENT_CLIENT_TRANSPORT_DETAIL_TLS_SETUP_HPP

#include <content_client/error.hpp>
#include <content_client/options.hpp>

#include <boost/asio/ssl/context.hpp>
#include <boost/system/error_code.hpp>

#include <openssl/ssl.h>

#include <cstddef>
#include <fstream>
#include <string>
#include <string_view>

namespace content_client::detail {

/// Throws `configuration_error` unless `path` names a file that can be opened for reading.
inline void require_readable_file(std::string_view option, const std::string& path)
{
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        throw configuration_error("client_options." + std::string(option) + " names the file '" + path +
                                  "', which does not exist or cannot be read");
    }
}

/// Throws `configuration_error` for a file that OpenSSL could not load.
[[noreturn]] inline void throw_invalid_pem(std::string_view option, const std::string& path, std::string_view what,
                                           const boost::system::error_code& ec)
{
    throw configuration_error("client_options." + std::string(option) + " names the file '" + path +
                              "', which is not a valid PEM " + std::string(what) + ": " + ec.message());
}

/// Sets up `context` for TLS 1.2 and later with the verification and the
/// files of `options`.
///
/// With `ca_file`, the CA certificates of that file are trusted instead of
/// the system store. With `client_cert_file` and `client_key_file`, the
/// client presents that certificate when a server asks for one. Throws
/// `configuration_error` naming the option and the path when a file is
/// missing, unreadable or invalid, or when only one of the client
/// certificate and key is set. Messages never contain file contents.
inline void configure_tls_context(boost::asio::ssl::context& context, const client_options& options)
{
    namespace ssl = boost::asio::ssl;
    context.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                        ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    context.set_verify_mode(options.verify ? ssl::verify_peer : ssl::verify_none);

    boost::system::error_code ec;
    if (!options.ca_file.empty()) {
        require_readable_file("ca_file", options.ca_file);
        context.load_verify_file(options.ca_file, ec);
        if (ec)
            throw_invalid_pem("ca_file", options.ca_file, "CA certificate file", ec);
    } else if (options.verify) {
        // A system without a trust store still gets a transport, and every
        // verified handshake then fails with a certificate error.
        boost::system::error_code ignored;
        context.set_default_verify_paths(ignored);
    }

    const bool has_cert = !options.client_cert_file.empty();
    const bool has_key = !options.client_key_file.empty();
    if (has_cert != has_key) {
        throw configuration_error(has_cert ? "client_options.client_cert_file is set without client_key_file; "
                                             "set both for mutual TLS"
                                           : "client_options.client_key_file is set without client_cert_file; "
                                             "set both for mutual TLS");
    }
    if (!has_cert)
        return;

    require_readable_file("client_cert_file", options.client_cert_file);
    require_readable_file("client_key_file", options.client_key_file);
    context.use_certificate_chain_file(options.client_cert_file, ec);
    if (ec)
        throw_invalid_pem("client_cert_file", options.client_cert_file, "certificate chain", ec);
    // An encrypted key would make OpenSSL prompt on the terminal, so it gets an
    // empty passphrase and fails to load instead.
    context.set_password_callback([](std::size_t, ssl::context::password_purpose) { return std::string(); });
    context.use_private_key_file(options.client_key_file, ssl::context::pem, ec);
    if (ec) {
        // OpenSSL also fails here, with "key values mismatch", when the key is valid but not the certificate's.
        throw configuration_error("client_options.client_key_file names the file '" + options.client_key_file +
                                  "', which could not be loaded as the PEM private key of client_options."
                                  "client_cert_file: " +
                                  ec.message());
    }
    if (SSL_CTX_check_private_key(context.native_handle()) != 1) {
        throw configuration_error("client_options.client_key_file '" + options.client_key_file +
                                  "' does not match the certificate in client_options.client_cert_file '" +
                                  options.client_cert_file + "'");
    }
}

}  // namespace content_client::detail

#endif
