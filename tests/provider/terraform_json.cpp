#include "terraform_json.hpp"

namespace coder::provider::test {

TerraformJson::TerraformJson(const std::string& json) {
  doc_.Parse(json.c_str());
}

std::vector<StateResource> TerraformJson::resources() const {
  std::vector<StateResource> out;
  if (!ok() || !doc_.HasMember("values") || !doc_["values"].HasMember("root_module")) return out;
  const auto& root = doc_["values"]["root_module"];
  if (!root.HasMember("resources")) return out;
  for (const auto& r : root["resources"].GetArray())
    out.push_back({r["address"].GetString(), r["type"].GetString(), &r["values"]});
  return out;
}

const rapidjson::Value* TerraformJson::resource(const std::string& address) const {
  for (const auto& r : resources())
    if (r.address == address) return r.values;
  return nullptr;
}

std::size_t TerraformJson::count_of_type(const std::string& type) const {
  std::size_t n = 0;
  for (const auto& r : resources())
    if (r.type == type && r.address.rfind("data.", 0) != 0) ++n;
  return n;
}

const rapidjson::Value* TerraformJson::output(const std::string& name) const {
  if (!ok() || !doc_.HasMember(name.c_str())) return nullptr;
  return &doc_[name.c_str()]["value"];
}

std::string string_at(const rapidjson::Value* v, const char* member) {
  if (v == nullptr || !v->IsObject() || !v->HasMember(member) || !(*v)[member].IsString())
    return "<missing>";
  return (*v)[member].GetString();
}

}  // namespace coder::provider::test
