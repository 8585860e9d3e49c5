// Certificates for the TLS tests, made at run time with OpenSSL's C API: a
// CA, server certificates (good, another host name, expired) and a client
// certificate, written as PEM files into a temporary directory.
#ifndef CONTENT_CLIENT_TESTS_SUPPORT_TEST_CERTIFICATES_HPP
#define CONTENT_CLIENT_TESTS_SUPPORT_TEST_CERTIFICATES_HPP

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>

namespace content_client::test_support {

/// A certificate and its private key, both PEM-encoded.
struct pem_pair {
    std::string certificate;
    std::string private_key;
};

namespace detail {

struct pkey_free {
    void operator()(EVP_PKEY* p) const noexcept { EVP_PKEY_free(p); }
};
struct x509_free {
    void operator()(X509* p) const noexcept { X509_free(p); }
};
struct bio_free {
    void operator()(BIO* p) const noexcept { BIO_free(p); }
};
using pkey_ptr = std::unique_ptr<EVP_PKEY, pkey_free>;
using x509_ptr = std::unique_ptr<X509, x509_free>;

inline void check(bool ok, const char* step)
{
    if (!ok)
        throw std::runtime_error(std::string("creating a test certificate failed at ") + step);
}

inline pkey_ptr make_key()
{
    pkey_ptr key(EVP_EC_gen("P-256"));
    check(key != nullptr, "EVP_EC_gen");
    return key;
}

inline void add_extension(X509* cert, X509* issuer, int nid, const char* value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    check(ext != nullptr, "X509V3_EXT_conf_nid");
    const int added = X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
    check(added == 1, "X509_add_ext");
}

/// Creates an unsigned certificate for `key` named `common_name`, valid from
/// `not_before` to `not_after` seconds from now, issued by `issuer`, or by
/// itself when `issuer` is null. `sign` signs it once its extensions are added.
inline x509_ptr make_certificate(EVP_PKEY* key, const std::string& common_name, long not_before, long not_after,
                                 X509* issuer)
{
    static std::mt19937 serials(std::random_device{}());
    x509_ptr cert(X509_new());
    check(cert != nullptr, "X509_new");
    check(X509_set_version(cert.get(), 2) == 1, "X509_set_version");
    check(ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), static_cast<long>(serials() & 0x7fffffff)) == 1,
          "ASN1_INTEGER_set");
    check(X509_gmtime_adj(X509_getm_notBefore(cert.get()), not_before) != nullptr, "notBefore");
    check(X509_gmtime_adj(X509_getm_notAfter(cert.get()), not_after) != nullptr, "notAfter");
    check(X509_set_pubkey(cert.get(), key) == 1, "X509_set_pubkey");

    X509_NAME* name = X509_get_subject_name(cert.get());
    check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                     reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1, 0) == 1,
          "X509_NAME_add_entry_by_txt");
    X509* signer = issuer ? issuer : cert.get();
    check(X509_set_issuer_name(cert.get(), X509_get_subject_name(signer)) == 1, "X509_set_issuer_name");
    add_extension(cert.get(), signer, NID_subject_key_identifier, "hash");
    add_extension(cert.get(), signer, NID_authority_key_identifier, "keyid:always");
    return cert;
}

inline void sign(X509* cert, EVP_PKEY* key)
{
    check(X509_sign(cert, key, EVP_sha256()) > 0, "X509_sign");
}

inline std::string to_pem(X509* cert)
{
    std::unique_ptr<BIO, bio_free> bio(BIO_new(BIO_s_mem()));
    check(bio && PEM_write_bio_X509(bio.get(), cert) == 1, "PEM_write_bio_X509");
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(size));
}

inline std::string to_pem(EVP_PKEY* key)
{
    std::unique_ptr<BIO, bio_free> bio(BIO_new(BIO_s_mem()));
    check(bio && PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1,
          "PEM_write_bio_PrivateKey");
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(size));
}

}  // namespace detail

/// A test CA with the certificates it issued, kept in memory and written to
/// PEM files in a temporary directory that the destructor removes.
///
/// The good server certificate names `127.0.0.1` and `localhost`; the
/// other-host certificate names only `other.invalid`; the expired one names
/// `127.0.0.1` but expired a day ago. The client certificate is for TLS
/// client authentication.
class test_certificates {
public:
    test_certificates()
    {
        namespace d = detail;
        constexpr long day = 24 * 60 * 60;

        auto ca_key = d::make_key();
        auto ca = d::make_certificate(ca_key.get(), "content_client test CA", -day, 30 * day, nullptr);
        d::add_extension(ca.get(), ca.get(), NID_basic_constraints, "critical,CA:TRUE");
        d::add_extension(ca.get(), ca.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
        d::sign(ca.get(), ca_key.get());
        ca_ = {d::to_pem(ca.get()), d::to_pem(ca_key.get())};

        auto issue = [&](const std::string& name, const char* alt_names, const char* usage, long not_before,
                         long not_after) {
            auto key = d::make_key();
            auto cert = d::make_certificate(key.get(), name, not_before, not_after, ca.get());
            d::add_extension(cert.get(), ca.get(), NID_basic_constraints, "critical,CA:FALSE");
            d::add_extension(cert.get(), ca.get(), NID_ext_key_usage, usage);
            if (alt_names)
                d::add_extension(cert.get(), ca.get(), NID_subject_alt_name, alt_names);
            d::sign(cert.get(), ca_key.get());
            return pem_pair{d::to_pem(cert.get()), d::to_pem(key.get())};
        };
        server_ = issue("127.0.0.1", "IP:127.0.0.1,DNS:localhost", "serverAuth", -day, 30 * day);
        other_host_ = issue("other.invalid", "DNS:other.invalid", "serverAuth", -day, 30 * day);
        expired_ = issue("127.0.0.1", "IP:127.0.0.1,DNS:localhost", "serverAuth", -2 * day, -day);
        client_ = issue("content_client test client", nullptr, "clientAuth", -day, 30 * day);

        std::random_device random;
        directory_ = std::filesystem::temp_directory_path() /
                     ("content_client_tls_" + std::to_string(random()) + std::to_string(random()));
        std::filesystem::create_directories(directory_);
        write("ca.pem", ca_.certificate);
        write("client.pem", client_.certificate);
        write("client-key.pem", client_.private_key);
    }

    test_certificates(const test_certificates&) = delete;
    test_certificates& operator=(const test_certificates&) = delete;

    ~test_certificates()
    {
        std::error_code ignored;
        std::filesystem::remove_all(directory_, ignored);
    }

    const pem_pair& ca() const noexcept { return ca_; }
    const pem_pair& server() const noexcept { return server_; }
    const pem_pair& other_host() const noexcept { return other_host_; }
    const pem_pair& expired() const noexcept { return expired_; }
    const pem_pair& client() const noexcept { return client_; }

    /// The path of the CA certificate file.
    std::string ca_file() const { return (directory_ / "ca.pem").string(); }
    /// The path of the client certificate file.
    std::string client_cert_file() const { return (directory_ / "client.pem").string(); }
    /// The path of the client private key file.
    std::string client_key_file() const { return (directory_ / "client-key.pem").string(); }
    /// A path in the temporary directory for a file a test writes itself.
    std::string path(const std::string& name) const { return (directory_ / name).string(); }

    /// Writes `content` to `name` in the temporary directory and returns its path.
    std::string write(const std::string& name, const std::string& content) const
    {
        const auto file = directory_ / name;
        std::ofstream out(file, std::ios::binary | std::ios::trunc);
        out << content;
        if (!out)
            throw std::runtime_error("writing the test file " + file.string() + " failed");
        return file.string();
    }

private:
    pem_pair ca_;
    pem_pair server_;
    pem_pair other_host_;
    pem_pair expired_;
    pem_pair client_;
    std::filesystem::path directory_;
};

}  // namespace content_client::test_support

#endif
