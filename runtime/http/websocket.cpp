#include "runtime/http/websocket.hpp"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include "runtime/http/websocket_session.hpp"

namespace coder::http {

websocket::websocket(std::shared_ptr<detail::websocket_link> link) : link_(std::move(link)) {}

bool websocket::send(std::string message, bool text) {
  if (!link_->open) return false;
  size_t n = message.size();
  auto link = link_;
  bool below = link_->flow.account_send(n, [link] {
    if (auto s = link->session.lock()) s->check_drain();
  });
  bool posted = link_->flow.executor().post([link, n, text, m = std::move(message)]() mutable {
    if (auto s = link->session.lock()) {
      s->send(std::move(m), text, n);
    } else {
      link->flow.handed_over(n, 0);
    }
  });
  if (!posted) link_->flow.handed_over(n, 0);
  return below && posted;
}

bool websocket::send_text(std::string message) {
  return send(std::move(message), true);
}
bool websocket::send_binary(std::string message) {
  return send(std::move(message), false);
}

void websocket::close(uint16_t code, std::string reason) {
  link_->flow.executor().post([link = link_, code, r = std::move(reason)]() mutable {
    if (auto s = link->session.lock()) s->close(code, std::move(r));
  });
}

void websocket::pause() {
  link_->flow.executor().post([link = link_] {
    if (auto s = link->session.lock()) s->pause();
  });
}

void websocket::resume() {
  link_->flow.executor().post([link = link_] {
    if (auto s = link->session.lock()) s->resume();
  });
}

size_t websocket::buffered_amount() const {
  return link_->flow.buffered();
}
bool websocket::is_open() const {
  return link_->open;
}

std::string websocket_accept_key(std::string_view client_key) {
  static constexpr std::string_view guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  std::string input(client_key);
  input += guid;
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest);
  unsigned char out[4 * ((SHA_DIGEST_LENGTH + 2) / 3) + 1];
  int n = EVP_EncodeBlock(out, digest, SHA_DIGEST_LENGTH);
  return std::string(reinterpret_cast<const char*>(out), static_cast<size_t>(n));
}

}  // namespace coder::http
