// The production api_transport: HTTP/1.1 (and HTTPS) to the deployment through
// http::blocking_client, which runs its own event loop — the CLI is an ordinary blocking process.
#pragma once

#include <memory>

#include "runtime/cli/api_client.hpp"
#include "runtime/cli/server_url.hpp"
#include "runtime/http/client.hpp"

namespace coder::cli {

std::unique_ptr<api_transport> make_http_transport(const server_url& url,
                                                   http::client_options options = {});

}  // namespace coder::cli
