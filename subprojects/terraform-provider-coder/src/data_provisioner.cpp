// data coder_provisioner: the os and architecture of the machine running Terraform, in Go's
// naming (amd64, arm64, armv7) because templates compare them with coder_agent's arch.
#include <sys/utsname.h>

#include "crypto_ids.hpp"
#include "provider_catalog.hpp"

namespace coder::provider {

namespace {

using cty::Type;
using cty::Value;

std::string go_arch(const std::string& machine) {
  if (machine == "x86_64") return "amd64";
  if (machine == "aarch64" || machine == "arm64") return "arm64";
  if (machine.rfind("armv7", 0) == 0) return "armv7";
  if (machine == "i386" || machine == "i686") return "386";
  return machine;
}

Schema provisioner_schema() {
  Schema s;
  s.version = 1;
  s.block.description = "Use this data source to get information about the Coder provisioner.";
  s.block.attributes = {
      computed("id", Type::string(), "A random UUID."),
      computed("os", Type::string(), "The operating system of the host, e.g. linux."),
      computed("arch", Type::string(), "The architecture of the host, e.g. amd64."),
  };
  return s;
}

class ProvisionerDataSource final : public DataSource {
 public:
  std::string type_name() const override { return "coder_provisioner"; }
  const Schema& schema() const override { return schema_; }

  Diagnostics read(Value& state, const ProviderConfig&) const override {
    struct utsname u {};
    std::string os = "linux", machine = "x86_64";
    if (uname(&u) == 0) {
      os = u.sysname;
      machine = u.machine;
    }
    for (auto& c : os) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    state.set_attr("id", Value::string(random_uuid()));
    state.set_attr("os", Value::string(os));
    state.set_attr("arch", Value::string(go_arch(machine)));
    return {};
  }

 private:
  Schema schema_ = provisioner_schema();
};

}  // namespace

std::unique_ptr<DataSource> make_provisioner_data_source() {
  return std::make_unique<ProvisionerDataSource>();
}

}  // namespace coder::provider
