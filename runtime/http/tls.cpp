#include "runtime/http/tls.hpp"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <stdexcept>

namespace coder::http {

namespace {
std::string openssl_errors() {
  std::string out;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out.empty() ? "unknown OpenSSL error" : out;
}

[[noreturn]] void throw_tls(const std::string& what) {
  throw std::runtime_error(what + ": " + openssl_errors());
}
}  // namespace

std::shared_ptr<tls_context> tls_context::server(const std::string& cert_file,
                                                 const std::string& key_file) {
  if (cert_file.empty() || key_file.empty()) {
    throw std::runtime_error("TLS needs both a certificate file and a key file");
  }
  ERR_clear_error();
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  if (ctx == nullptr) throw_tls("SSL_CTX_new");
  std::shared_ptr<tls_context> result(new tls_context(ctx, true, false));
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  if (SSL_CTX_use_certificate_chain_file(ctx, cert_file.c_str()) != 1) {
    throw_tls("cannot load TLS certificate file " + cert_file);
  }
  if (SSL_CTX_use_PrivateKey_file(ctx, key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    if (ERR_GET_REASON(ERR_peek_last_error()) == X509_R_KEY_VALUES_MISMATCH) {
      throw_tls("TLS key file " + key_file + " does not match certificate " + cert_file);
    }
    throw_tls("cannot load TLS key file " + key_file);
  }
  if (SSL_CTX_check_private_key(ctx) != 1) {
    throw_tls("TLS key file " + key_file + " does not match certificate " + cert_file);
  }
  return result;
}

std::shared_ptr<tls_context> tls_context::client(const std::string& ca_file, bool insecure) {
  ERR_clear_error();
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  if (ctx == nullptr) throw_tls("SSL_CTX_new");
  std::shared_ptr<tls_context> result(new tls_context(ctx, false, !insecure));
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  if (!insecure) {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
    int ok = ca_file.empty() ? SSL_CTX_set_default_verify_paths(ctx)
                             : SSL_CTX_load_verify_locations(ctx, ca_file.c_str(), nullptr);
    if (ok != 1) throw_tls("cannot load CA file " + (ca_file.empty() ? "(system)" : ca_file));
  } else {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
  }
  return result;
}

tls_context::~tls_context() {
  SSL_CTX_free(ctx_);
}

tls_session::tls_session(std::shared_ptr<tls_context> ctx, const std::string& server_name)
    : ctx_(std::move(ctx)) {
  ssl_ = SSL_new(ctx_->native());
  if (ssl_ == nullptr) throw_tls("SSL_new");
  in_ = BIO_new(BIO_s_mem());
  out_ = BIO_new(BIO_s_mem());
  // Reading an empty memory BIO must mean "retry later", not EOF.
  BIO_set_mem_eof_return(in_, -1);
  BIO_set_mem_eof_return(out_, -1);
  SSL_set_bio(ssl_, in_, out_);  // ssl_ owns both BIOs now
  if (ctx_->is_server()) {
    SSL_set_accept_state(ssl_);
  } else {
    SSL_set_connect_state(ssl_);
    if (!server_name.empty()) {
      // SNI carries DNS names only (RFC 6066 §3); an IP literal is still verified below, since
      // OpenSSL 3's SSL_set1_host matches IP addresses against the IP SANs.
      unsigned char ip[16];
      bool literal = inet_pton(AF_INET, server_name.c_str(), ip) == 1 ||
                     inet_pton(AF_INET6, server_name.c_str(), ip) == 1;
      if (!literal) SSL_set_tlsext_host_name(ssl_, server_name.c_str());
      if (ctx_->verify_peer()) SSL_set1_host(ssl_, server_name.c_str());
    }
  }
}

tls_session::~tls_session() {
  SSL_free(ssl_);
}

bool tls_session::fail(std::string what) {
  if (error_.empty()) error_ = std::move(what) + ": " + openssl_errors();
  return false;
}

void tls_session::drain_output(std::string& ciphertext_out) {
  char buf[16384];
  for (;;) {
    int n = BIO_read(out_, buf, sizeof buf);
    if (n <= 0) break;
    ciphertext_out.append(buf, static_cast<size_t>(n));
  }
}

bool tls_session::start(std::string& ciphertext_out) {
  ERR_clear_error();
  int rc = SSL_do_handshake(ssl_);
  if (rc != 1) {
    int err = SSL_get_error(ssl_, rc);
    if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) {
      return fail("TLS handshake");
    }
  }
  drain_output(ciphertext_out);
  return true;
}

bool tls_session::flush_pending(std::string& ciphertext_out) {
  if (pending_plaintext_.empty()) return true;
  std::string data = std::move(pending_plaintext_);
  pending_plaintext_.clear();
  return send(data, ciphertext_out);
}

bool tls_session::receive(std::string_view ciphertext, std::string& plaintext,
                          std::string& ciphertext_out) {
  ERR_clear_error();
  if (!ciphertext.empty()) {
    BIO_write(in_, ciphertext.data(), static_cast<int>(ciphertext.size()));
  }
  if (!handshake_done_) {
    int rc = SSL_do_handshake(ssl_);
    if (rc == 1) {
      handshake_done_ = true;
    } else {
      int err = SSL_get_error(ssl_, rc);
      drain_output(ciphertext_out);  // an alert may explain the failure to the peer
      if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) return true;
      long verify = SSL_get_verify_result(ssl_);
      if (verify != X509_V_OK) {
        error_ = std::string("TLS certificate verification failed: ") +
                 X509_verify_cert_error_string(verify);
        return false;
      }
      return fail("TLS handshake");
    }
    drain_output(ciphertext_out);
    if (!flush_pending(ciphertext_out)) return false;
  }
  char buf[16384];
  for (;;) {
    int n = SSL_read(ssl_, buf, sizeof buf);
    if (n > 0) {
      plaintext.append(buf, static_cast<size_t>(n));
      continue;
    }
    int err = SSL_get_error(ssl_, n);
    if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) break;
    if (err == SSL_ERROR_ZERO_RETURN) {
      peer_closed_ = true;
      break;
    }
    drain_output(ciphertext_out);
    return fail("TLS read");
  }
  // TLS 1.3 session tickets and key updates produce output while reading.
  drain_output(ciphertext_out);
  return true;
}

bool tls_session::send(std::string_view plaintext, std::string& ciphertext_out) {
  if (!handshake_done_) {
    pending_plaintext_.append(plaintext);
    return true;
  }
  ERR_clear_error();
  while (!plaintext.empty()) {
    int chunk = static_cast<int>(std::min<size_t>(plaintext.size(), 1 << 20));
    int n = SSL_write(ssl_, plaintext.data(), chunk);
    if (n <= 0) return fail("TLS write");
    plaintext.remove_prefix(static_cast<size_t>(n));
  }
  drain_output(ciphertext_out);
  return true;
}

void tls_session::shutdown(std::string& ciphertext_out) {
  if (!handshake_done_) return;
  ERR_clear_error();
  SSL_shutdown(ssl_);
  drain_output(ciphertext_out);
}

}  // namespace coder::http
