#include "tls_certificate.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace coder::provider {

namespace {

template <typename T, void (*F)(T*)>
struct Deleter {
  void operator()(T* p) const { F(p); }
};
using PKeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;

std::string openssl_error(const char* what) {
  const unsigned long code = ERR_get_error();
  char buf[256] = "unknown error";
  if (code != 0) ERR_error_string_n(code, buf, sizeof buf);
  return std::string(what) + ": " + buf;
}

bool add_extension(X509* cert, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (ext == nullptr) return false;
  const bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

std::string bio_contents(BIO* bio) {
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(len));
}

}  // namespace

std::optional<ServerCertificate> generate_server_certificate(std::string& error) {
  PKeyPtr key(EVP_EC_gen("P-256"));
  if (!key) {
    error = openssl_error("generating the TLS key");
    return std::nullopt;
  }
  X509Ptr cert(X509_new());
  unsigned char serial_bytes[16];
  if (!cert || RAND_bytes(serial_bytes, sizeof serial_bytes) != 1) {
    error = openssl_error("creating the TLS certificate");
    return std::nullopt;
  }
  serial_bytes[0] &= 0x7f;  // a positive serial number
  BIGNUM* serial = BN_bin2bn(serial_bytes, sizeof serial_bytes, nullptr);
  BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(cert.get()));
  BN_free(serial);
  X509_set_version(cert.get(), 2);                        // v3, needed for extensions
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -30);  // tolerate small clock skew
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 60L * 60 * 24 * 30);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("coder-node"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  const bool extensions_ok =
      add_extension(cert.get(), NID_subject_alt_name, "DNS:localhost") &&
      add_extension(cert.get(), NID_basic_constraints, "critical,CA:TRUE") &&
      add_extension(cert.get(), NID_key_usage,
                    "critical,digitalSignature,keyEncipherment,keyCertSign") &&
      add_extension(cert.get(), NID_ext_key_usage, "serverAuth,clientAuth");
  if (!extensions_ok || X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) {
    error = openssl_error("signing the TLS certificate");
    return std::nullopt;
  }

  ServerCertificate out;
  BioPtr cert_bio(BIO_new(BIO_s_mem())), key_bio(BIO_new(BIO_s_mem()));
  if (PEM_write_bio_X509(cert_bio.get(), cert.get()) != 1 ||
      PEM_write_bio_PrivateKey(key_bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) !=
          1) {
    error = openssl_error("encoding the TLS certificate");
    return std::nullopt;
  }
  out.cert_pem = bio_contents(cert_bio.get());
  out.key_pem = bio_contents(key_bio.get());

  unsigned char* der = nullptr;
  const int der_len = i2d_X509(cert.get(), &der);
  if (der_len <= 0) {
    error = openssl_error("encoding the TLS certificate as DER");
    return std::nullopt;
  }
  std::string b64(static_cast<std::size_t>(4 * ((der_len + 2) / 3) + 1), '\0');
  const int b64_len = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()), der, der_len);
  OPENSSL_free(der);
  b64.resize(static_cast<std::size_t>(b64_len));
  while (!b64.empty() && b64.back() == '=') b64.pop_back();  // Go's RawStdEncoding
  out.cert_der_base64 = std::move(b64);
  return out;
}

}  // namespace coder::provider
