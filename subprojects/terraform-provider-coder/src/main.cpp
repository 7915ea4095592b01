// terraform-provider-coder: checks it was launched by Terraform, serves the provider over gRPC
// on a Unix socket in a private temporary directory (TLS when Terraform asks for AutoMTLS),
// announces itself with the handshake line, and exits when Terraform calls
// GRPCController.Shutdown or sends SIGTERM.
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <thread>

#include "handshake.hpp"
#include "plugin_server.hpp"
#include "provider_env.hpp"
#include "provider_version.hpp"
#include "tls_certificate.hpp"

namespace {

using namespace coder::provider;

class ShutdownLatch {
 public:
  void trigger() {
    std::lock_guard lock(mutex_);
    done_ = true;
    cv_.notify_all();
  }
  void wait() {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [this] { return done_; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool done_ = false;
};

// Terraform forwards Ctrl-C to the whole process group; a provider must keep serving so that
// Terraform can finish its in-flight calls and stop it through StopProvider/Shutdown. SIGTERM
// (or SIGHUP) still ends it.
void watch_signals(const sigset_t& signals, ShutdownLatch& latch) {
  std::thread([signals, &latch] {
    for (;;) {
      int sig = 0;
      if (sigwait(&signals, &sig) != 0) continue;
      if (sig == SIGINT) continue;
      latch.trigger();
      return;
    }
  }).detach();
}

std::filesystem::path make_private_dir() {
  const std::string base = env_or("TMPDIR", "/tmp");
  std::string templ = base + "/terraform-provider-coder-XXXXXX";
  if (mkdtemp(templ.data()) == nullptr) return {};
  return templ;  // mkdtemp creates it 0700: only our user can reach the socket
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && (std::string(argv[1]) == "--version" || std::string(argv[1]) == "version")) {
    std::cout << "terraform-provider-coder " << provider_version << "\n";
    return 0;
  }
  if (auto problem = launch_environment_error()) {
    std::cerr << *problem << "\n";
    return 1;
  }

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // before any thread exists, so all inherit it

  const std::filesystem::path dir = make_private_dir();
  if (dir.empty()) {
    std::perror(
        "terraform-provider-coder: cannot create a temporary directory for the plugin socket");
    return 1;
  }
  const std::string socket_path = (dir / "plugin.sock").string();
  if (socket_path.size() >= sizeof(sockaddr_un::sun_path)) {
    std::cerr << "terraform-provider-coder: the socket path " << socket_path
              << " is longer than a Unix socket "
              << "address allows (" << sizeof(sockaddr_un::sun_path) - 1
              << " bytes); set TMPDIR to a shorter directory\n";
    std::filesystem::remove_all(dir);
    return 1;
  }

  std::shared_ptr<grpc::ServerCredentials> credentials = grpc::InsecureServerCredentials();
  std::string certificate;
  if (auto client_cert = env("PLUGIN_CLIENT_CERT"); client_cert && !client_cert->empty()) {
    std::string err;
    auto cert = generate_server_certificate(err);
    if (!cert) {
      std::cerr << "terraform-provider-coder: cannot create the TLS certificate for AutoMTLS: "
                << err << "\n";
      std::filesystem::remove_all(dir);
      return 1;
    }
    // Only the Terraform process that launched us holds the key of PLUGIN_CLIENT_CERT.
    grpc::SslServerCredentialsOptions tls(
        GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
    tls.pem_root_certs = *client_cert;
    tls.pem_key_cert_pairs.push_back({cert->key_pem, cert->cert_pem});
    credentials = grpc::SslServerCredentials(tls);
    certificate = cert->cert_der_base64;
  }

  ShutdownLatch latch;
  watch_signals(signals, latch);

  ProviderService provider;
  ControllerService controller([&latch] { latch.trigger(); });
  grpc::EnableDefaultHealthCheckService(true);
  grpc::ServerBuilder builder;
  builder.AddListeningPort("unix:" + socket_path, credentials);
  builder.RegisterService(&provider);
  builder.RegisterService(&controller);
  builder.SetMaxReceiveMessageSize(256 * 1024 * 1024);
  builder.SetMaxSendMessageSize(256 * 1024 * 1024);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server) {
    std::cerr << "terraform-provider-coder: cannot start the gRPC server on " << socket_path
              << (certificate.empty() ? "" : " (is PLUGIN_CLIENT_CERT a PEM certificate?)") << "\n";
    std::filesystem::remove_all(dir);
    return 1;
  }
  // go-plugin's health check asks for the service named "plugin".
  server->GetHealthCheckService()->SetServingStatus("plugin", true);

  std::cout << handshake_line(socket_path, certificate) << std::flush;

  latch.wait();
  // Let the Shutdown reply and any in-flight call finish, but never hang Terraform.
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  server->Wait();
  std::filesystem::remove_all(dir);
  return 0;
}
