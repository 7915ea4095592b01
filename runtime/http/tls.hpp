// TLS over OpenSSL memory BIOs: the session never touches a socket, it turns ciphertext into
// plaintext and back, so the same connection code serves http and https, server and client.
#pragma once

#include <memory>
#include <string>
#include <string_view>

struct ssl_ctx_st;
struct ssl_st;
struct bio_st;

namespace coder::http {

class tls_context {
 public:
  // Loads and checks the certificate chain and key (and that they match). Throws
  // std::runtime_error naming the file and OpenSSL's reason, so start-up fails with a clear
  // message.
  static std::shared_ptr<tls_context> server(const std::string& cert_file,
                                             const std::string& key_file);
  // Verifies the peer against ca_file (or the system store when empty) and the host name,
  // unless insecure. Throws std::runtime_error on an unreadable CA file.
  static std::shared_ptr<tls_context> client(const std::string& ca_file, bool insecure);

  ~tls_context();
  tls_context(const tls_context&) = delete;
  tls_context& operator=(const tls_context&) = delete;

  ssl_ctx_st* native() const { return ctx_; }
  bool is_server() const { return server_; }
  bool verify_peer() const { return verify_; }

 private:
  tls_context(ssl_ctx_st* ctx, bool server, bool verify)
      : ctx_(ctx), server_(server), verify_(verify) {}
  ssl_ctx_st* ctx_;
  bool server_;
  bool verify_;
};

// One TLS connection. Loop thread only.
class tls_session {
 public:
  // server_name: SNI and the name checked against the certificate (client side only).
  tls_session(std::shared_ptr<tls_context> ctx, const std::string& server_name = {});
  ~tls_session();
  tls_session(const tls_session&) = delete;
  tls_session& operator=(const tls_session&) = delete;

  // Client side: produces the ClientHello.
  bool start(std::string& ciphertext_out);
  // Network bytes in; decrypted bytes appended to plaintext, handshake replies to ciphertext_out.
  // false on a fatal error (see error()).
  bool receive(std::string_view ciphertext, std::string& plaintext, std::string& ciphertext_out);
  // Encrypts plaintext; before the handshake completes it is kept and sent right after.
  bool send(std::string_view plaintext, std::string& ciphertext_out);
  // close_notify alert.
  void shutdown(std::string& ciphertext_out);

  bool handshake_done() const { return handshake_done_; }
  bool peer_closed() const { return peer_closed_; }
  const std::string& error() const { return error_; }

 private:
  bool fail(std::string what);
  bool flush_pending(std::string& ciphertext_out);
  void drain_output(std::string& ciphertext_out);

  std::shared_ptr<tls_context> ctx_;
  ssl_st* ssl_ = nullptr;
  bio_st* in_ = nullptr;   // network -> OpenSSL
  bio_st* out_ = nullptr;  // OpenSSL -> network
  bool handshake_done_ = false;
  bool peer_closed_ = false;
  std::string pending_plaintext_;
  std::string error_;
};

}  // namespace coder::http
