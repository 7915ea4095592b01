// The gRPC services the provider process serves: tfplugin6.Provider (the provider itself) and
// plugin.GRPCController (Terraform's "you may exit now").
#pragma once

#include <functional>
#include <mutex>

#include "grpc_controller.grpc.pb.h"
#include "provider_catalog.hpp"
#include "tfplugin6.grpc.pb.h"

namespace coder::provider {

class ProviderService final : public tfplugin6::Provider::Service {
 public:
  ProviderService();

  using Status = grpc::Status;
  using Ctx = grpc::ServerContext;
  Status GetProviderSchema(Ctx*, const tfplugin6::GetProviderSchema::Request*,
                           tfplugin6::GetProviderSchema::Response*) override;
  Status ValidateProviderConfig(Ctx*, const tfplugin6::ValidateProviderConfig::Request*,
                                tfplugin6::ValidateProviderConfig::Response*) override;
  Status ValidateResourceConfig(Ctx*, const tfplugin6::ValidateResourceConfig::Request*,
                                tfplugin6::ValidateResourceConfig::Response*) override;
  Status ValidateDataResourceConfig(Ctx*, const tfplugin6::ValidateDataResourceConfig::Request*,
                                    tfplugin6::ValidateDataResourceConfig::Response*) override;
  Status UpgradeResourceState(Ctx*, const tfplugin6::UpgradeResourceState::Request*,
                              tfplugin6::UpgradeResourceState::Response*) override;
  Status ConfigureProvider(Ctx*, const tfplugin6::ConfigureProvider::Request*,
                           tfplugin6::ConfigureProvider::Response*) override;
  Status ReadResource(Ctx*, const tfplugin6::ReadResource::Request*,
                      tfplugin6::ReadResource::Response*) override;
  Status PlanResourceChange(Ctx*, const tfplugin6::PlanResourceChange::Request*,
                            tfplugin6::PlanResourceChange::Response*) override;
  Status ApplyResourceChange(Ctx*, const tfplugin6::ApplyResourceChange::Request*,
                             tfplugin6::ApplyResourceChange::Response*) override;
  Status ReadDataSource(Ctx*, const tfplugin6::ReadDataSource::Request*,
                        tfplugin6::ReadDataSource::Response*) override;
  Status StopProvider(Ctx*, const tfplugin6::StopProvider::Request*,
                      tfplugin6::StopProvider::Response*) override;

 private:
  ProviderConfig config() const;

  Catalog catalog_;
  mutable std::mutex mutex_;  // gRPC calls arrive on several threads; ConfigureProvider writes
  ProviderConfig config_;
};

class ControllerService final : public plugin::GRPCController::Service {
 public:
  explicit ControllerService(std::function<void()> on_shutdown)
      : on_shutdown_(std::move(on_shutdown)) {}
  grpc::Status Shutdown(grpc::ServerContext*, const plugin::Empty*, plugin::Empty*) override;

 private:
  std::function<void()> on_shutdown_;
};

}  // namespace coder::provider
