// Reading `terraform show -json` and `terraform output -json` in tests.
#pragma once

#include <rapidjson/document.h>

#include <string>
#include <vector>

namespace coder::provider::test {

struct StateResource {
  std::string address;  // e.g. coder_agent.main, terraform_data.workspace[0]
  std::string type;
  const rapidjson::Value* values = nullptr;
};

class TerraformJson {
 public:
  explicit TerraformJson(const std::string& json);
  bool ok() const { return !doc_.HasParseError() && doc_.IsObject(); }
  const rapidjson::Document& doc() const { return doc_; }
  // Root-module resources of a `show -json` state (managed and data).
  std::vector<StateResource> resources() const;
  const rapidjson::Value* resource(const std::string& address) const;
  std::size_t count_of_type(const std::string& type) const;
  // `output -json`: the value of output `name`.
  const rapidjson::Value* output(const std::string& name) const;

 private:
  rapidjson::Document doc_;
};

std::string string_at(const rapidjson::Value* v, const char* member);

}  // namespace coder::provider::test
