// The project's one error shape: {"message": ..., "detail": ..., "validations": [{field, detail}]}
// with Content-Type: application/json. Every error answer, from the server itself or a handler,
// goes through here so clients parse one format.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "runtime/http/response.hpp"

namespace coder::http {

struct validation_error {
  std::string field;
  std::string detail;
};

std::string make_error_body(std::string_view message, std::string_view detail = {},
                            const std::vector<validation_error>& validations = {});

response make_error_response(int status, std::string_view message, std::string_view detail = {},
                             const std::vector<validation_error>& validations = {});

}  // namespace coder::http
