#include "tests/runtime/http/test_support.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace coder::http::test {

test_socket::test_socket(uint16_t port)
    : codec_(codec_mode::response, *this, codec_limits{.max_body_bytes = 64 * 1024 * 1024}) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  timeval tv{10, 0};
  setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    throw std::runtime_error("test_socket: connect failed");
  }
}

test_socket::~test_socket() {
  ::close(fd_);
}

void test_socket::send(std::string_view data) {
  if (!send_ok(data)) throw std::runtime_error("test_socket: send failed");
}

bool test_socket::send_ok(std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

void test_socket::shutdown_write() {
  ::shutdown(fd_, SHUT_WR);
}

std::string test_socket::read_some() {
  if (!buffer_.empty()) return std::exchange(buffer_, {});
  char buf[65536];
  ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
}

bool test_socket::wait_closed() {
  char buf[65536];
  for (;;) {
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n == 0) return true;
    if (n < 0) return false;
  }
}

void test_socket::on_headers(message_head&& head) {
  current_.status = head.status;
  current_.headers = std::move(head.headers);
}

void test_socket::on_body(std::string_view data) {
  current_.body.append(data);
}

std::optional<wire_response> test_socket::read_response(bool head_request) {
  codec_.expect_head_response(head_request);
  current_ = wire_response{};
  for (;;) {
    if (!buffer_.empty()) {
      auto r = codec_.dispatch(buffer_);
      buffer_.erase(0, r.consumed);
      if (r.status == codec_status::message_complete) return std::move(current_);
      if (r.status != codec_status::need_more) return std::nullopt;
    }
    char buf[65536];
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) {
      auto r = codec_.finish();
      if (r.status == codec_status::message_complete) return std::move(current_);
      return std::nullopt;
    }
    buffer_.append(buf, static_cast<size_t>(n));
  }
}

self_signed make_self_signed_cert() {
  char tmpl[] = "/tmp/coder-http-tls-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) throw std::runtime_error("mkdtemp failed");
  self_signed out{tmpl, std::string(tmpl) + "/cert.pem", std::string(tmpl) + "/key.pem"};
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* x = X509_new();
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
  X509_gmtime_adj(X509_getm_notBefore(x), -60);
  X509_gmtime_adj(X509_getm_notAfter(x), 3600);
  X509_set_pubkey(x, key);
  X509_NAME* name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(x, name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, x, x, nullptr, nullptr, 0);
  for (auto [nid, value] : {std::pair{NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1"},
                            std::pair{NID_basic_constraints, "critical,CA:TRUE"}}) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    X509_add_ext(x, ext, -1);
    X509_EXTENSION_free(ext);
  }
  X509_sign(x, key, EVP_sha256());
  FILE* f = std::fopen(out.cert_file.c_str(), "w");
  PEM_write_X509(f, x);
  std::fclose(f);
  f = std::fopen(out.key_file.c_str(), "w");
  PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(f);
  X509_free(x);
  EVP_PKEY_free(key);
  return out;
}

}  // namespace coder::http::test
