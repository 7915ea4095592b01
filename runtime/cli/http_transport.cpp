#include "runtime/cli/http_transport.hpp"

#include "runtime/http/blocking_client.hpp"

namespace coder::cli {
namespace {

class http_transport final : public api_transport {
 public:
  http_transport(const server_url& url, http::client_options options)
      : origin_(url.scheme + "://" + url.authority()), client_(std::move(options)) {}

  std::variant<http::response, std::string> round_trip(const http::request& request) override {
    http::client_request req;
    req.method = request.method;
    req.url = origin_ + request.target;
    req.headers = request.headers;
    req.body = request.body;
    auto reply = client_.request(std::move(req));
    if (!reply.ok()) return std::move(reply.error);
    http::response out;
    out.status = reply.status;
    out.headers = std::move(reply.headers);
    out.body = std::move(reply.body);
    return out;
  }

 private:
  std::string origin_;  // scheme://host:port; request targets already carry the base path
  http::blocking_client client_;
};

}  // namespace

std::unique_ptr<api_transport> make_http_transport(const server_url& url,
                                                   http::client_options options) {
  return std::make_unique<http_transport>(url, std::move(options));
}

}  // namespace coder::cli
