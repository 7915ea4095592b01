#include "runtime/http/blocking_client.hpp"

#include <future>

namespace coder::http {

blocking_client::blocking_client(client_options options)
    : loop_(std::make_unique<uv::event_loop>()) {
  loop_->start();
  client_ = std::make_unique<client>(*loop_, std::move(options));
}

blocking_client::~blocking_client() {
  client_.reset();
  loop_->stop();
}

client_response blocking_client::request(client_request req) {
  auto result = std::make_shared<std::promise<client_response>>();
  auto future = result->get_future();
  client_->request(std::move(req),
                   [result](client_response r) { result->set_value(std::move(r)); });
  return future.get();
}

client_response blocking_client::get(const std::string& url, header_map headers) {
  client_request req;
  req.url = url;
  req.headers = std::move(headers);
  return request(std::move(req));
}

client_response blocking_client::post(const std::string& url, std::string body,
                                      header_map headers) {
  client_request req;
  req.method = "POST";
  req.url = url;
  req.body = std::move(body);
  req.headers = std::move(headers);
  return request(std::move(req));
}

}  // namespace coder::http
