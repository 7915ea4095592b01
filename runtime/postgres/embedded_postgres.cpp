#include "runtime/postgres/embedded_postgres.hpp"

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <vector>

#include "runtime/log/log.hpp"

namespace coder::postgres {
namespace {

namespace fs = std::filesystem;

constexpr const char* superuser = "coder";
constexpr const char* database = "coder";
constexpr const char* debian_package = "postgresql-15";

// The identity PostgreSQL's processes run as. As root that is the `postgres` system user,
// because initdb and postgres refuse to run as root.
struct run_identity {
  bool drop = false;
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups;
  std::string home = "/";
};

struct process_result {
  int exit_code = -1;  // -1: did not exit normally (signal, timeout, exec failure)
  std::string output;  // stdout + stderr
};

std::string errno_text(int err) {
  return std::strerror(err);
}

// Runs argv to completion (or kills it after timeout_seconds), capturing its output. `input` is
// written to the child's stdin before the fork, so a child that never reads it cannot SIGPIPE us
// (inputs here are a password line or one SQL statement, far below the pipe's capacity).
process_result run_process(const std::vector<std::string>& argv, const run_identity& who,
                           const std::vector<std::string>& env, const std::string& cwd,
                           const std::string& input, int timeout_seconds) {
  process_result result;
  int in_pipe[2];
  int out_pipe[2];
  if (pipe2(in_pipe, O_CLOEXEC) != 0) {
    result.output = "pipe: " + errno_text(errno);
    return result;
  }
  if (pipe2(out_pipe, O_CLOEXEC) != 0) {
    result.output = "pipe: " + errno_text(errno);
    close(in_pipe[0]);
    close(in_pipe[1]);
    return result;
  }
  if (!input.empty()) {
    auto n = write(in_pipe[1], input.data(), input.size());
    (void)n;  // a short write shows up as the child's own error message
  }
  close(in_pipe[1]);

  // Everything the child needs is prepared before fork(): between fork and exec only
  // async-signal-safe calls are allowed (other threads may hold malloc's lock).
  std::vector<char*> c_argv;
  for (auto& a : argv) c_argv.push_back(const_cast<char*>(a.c_str()));
  c_argv.push_back(nullptr);
  std::vector<char*> c_env;
  for (auto& e : env) c_env.push_back(const_cast<char*>(e.c_str()));
  c_env.push_back(nullptr);

  pid_t pid = fork();
  if (pid < 0) {
    result.output = "fork: " + errno_text(errno);
    close(in_pipe[0]);
    close(out_pipe[0]);
    close(out_pipe[1]);
    return result;
  }
  if (pid == 0) {
    dup2(in_pipe[0], STDIN_FILENO);
    dup2(out_pipe[1], STDOUT_FILENO);
    dup2(out_pipe[1], STDERR_FILENO);
    // Never leak the server's sockets into a daemonised postmaster.
    close_range(3, ~0U, 0);
    if (who.drop) {
      if (setgroups(who.groups.size(), who.groups.data()) != 0 || setgid(who.gid) != 0 ||
          setuid(who.uid) != 0) {
        static const char msg[] = "cannot switch to the postgres user\n";
        auto n = write(STDERR_FILENO, msg, sizeof msg - 1);
        (void)n;
        _exit(126);
      }
    }
    if (chdir(cwd.c_str()) != 0 && chdir("/") != 0) _exit(126);
    execve(c_argv[0], c_argv.data(), c_env.data());
    static const char msg[] = "exec failed\n";
    auto n = write(STDERR_FILENO, msg, sizeof msg - 1);
    (void)n;
    _exit(127);
  }
  close(in_pipe[0]);
  close(out_pipe[1]);

  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  bool timed_out = false;
  char buf[4096];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    pollfd pfd{out_pipe[0], POLLIN, 0};
    int rc = poll(&pfd, 1, static_cast<int>(left));
    if (rc < 0 && errno == EINTR) continue;
    if (rc <= 0) continue;
    auto n = read(out_pipe[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    result.output.append(buf, static_cast<size_t>(n));
  }
  close(out_pipe[0]);
  if (timed_out) {
    kill(pid, SIGKILL);
    result.output += "\n(timed out after " + std::to_string(timeout_seconds) + " s)";
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!timed_out && WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  return result;
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string tail_of_file(const fs::path& p, size_t max_bytes = 2000) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return "";
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (text.size() > max_bytes) text = "..." + text.substr(text.size() - max_bytes);
  return trim(text);
}

bool is_executable(const fs::path& p) {
  return access(p.c_str(), X_OK) == 0;
}

std::variant<fs::path, std::string> find_bin_dir(const std::string& configured) {
  std::vector<fs::path> candidates;
  if (!configured.empty()) {
    candidates.push_back(configured);
  } else {
    if (FILE* f = popen("pg_config --bindir 2>/dev/null", "r")) {
      char line[4096];
      std::string out;
      while (fgets(line, sizeof line, f)) out += line;
      pclose(f);
      out = trim(out);
      if (!out.empty()) candidates.push_back(out);
    }
    candidates.push_back("/usr/lib/postgresql/15/bin");
  }
  for (auto& dir : candidates) {
    bool all = true;
    for (auto* tool : {"initdb", "pg_ctl", "postgres", "createdb"})
      if (!is_executable(dir / tool)) all = false;
    if (all) return dir;
  }
  std::string where;
  for (auto& dir : candidates) where += (where.empty() ? "" : ", ") + dir.string();
  return "PostgreSQL server binaries (initdb, pg_ctl, postgres, createdb) not found in " + where +
         ": install the Debian package " + debian_package + " (apt-get install -y " +
         debian_package + ") or pass --postgres-url";
}

// The major version the binaries implement ("15"), from `initdb --version`.
std::string binary_major_version(const fs::path& bin_dir, const run_identity& who,
                                 const std::vector<std::string>& env) {
  auto r = run_process({(bin_dir / "initdb").string(), "--version"}, who, env, "/", "", 10);
  // "initdb (PostgreSQL) 15.5 (Debian 15.5-0+deb12u1)"
  auto pos = r.output.find(") ");
  if (pos == std::string::npos) return "";
  std::string v;
  for (size_t i = pos + 2; i < r.output.size() && std::isdigit((unsigned char)r.output[i]); ++i)
    v += r.output[i];
  return v;
}

std::string short_hash(const std::string& s) {
  uint64_t h = 1469598103934665603ULL;  // FNV-1a: stable across builds and machines
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return std::string(buf, 12);
}

std::variant<run_identity, std::string> resolve_identity() {
  run_identity who;
  if (geteuid() != 0) {
    who.uid = geteuid();
    who.gid = getegid();
    if (const char* home = std::getenv("HOME")) who.home = home;
    return who;
  }
  passwd pw{};
  passwd* found = nullptr;
  std::vector<char> buf(16384);
  if (getpwnam_r("postgres", &pw, buf.data(), buf.size(), &found) != 0 || !found)
    return std::string(
               "running as root, PostgreSQL must run as the `postgres` system user, which does "
               "not exist: install the Debian package ") +
           debian_package;
  who.drop = true;
  who.uid = pw.pw_uid;
  who.gid = pw.pw_gid;
  who.home = pw.pw_dir ? pw.pw_dir : "/";
  int n = 64;
  std::vector<gid_t> groups(n);
  if (getgrouplist("postgres", pw.pw_gid, groups.data(), &n) < 0) {
    groups.resize(n);
    getgrouplist("postgres", pw.pw_gid, groups.data(), &n);
  }
  groups.resize(n);
  who.groups = groups;
  return who;
}

// True when `who` may search (x) every directory from / down to and including `dir`.
bool can_traverse(const fs::path& dir, const run_identity& who) {
  fs::path prefix;
  for (auto& part : dir) {
    prefix /= part;
    struct stat st {};
    if (stat(prefix.c_str(), &st) != 0) return true;  // created later by us, owned by `who`
    mode_t bit = S_IXOTH;
    if (st.st_uid == who.uid) {
      bit = S_IXUSR;
    } else {
      for (gid_t g : who.groups)
        if (g == st.st_gid) bit = S_IXGRP;
      if (st.st_gid == who.gid) bit = S_IXGRP;
    }
    if (!(st.st_mode & bit)) return false;
  }
  return true;
}

std::optional<std::string> make_private_dir(const fs::path& dir, const run_identity& who) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return "cannot create " + dir.string() + ": " + ec.message();
  if (chmod(dir.c_str(), 0700) != 0) return "chmod " + dir.string() + ": " + errno_text(errno);
  if (who.drop && chown(dir.c_str(), who.uid, who.gid) != 0)
    return "chown " + dir.string() + ": " + errno_text(errno);
  return std::nullopt;
}

// Picks the directory holding data/ and run/. Normally <config>/postgres; as root, when the
// postgres user cannot reach it (e.g. under /root, mode 0700), a directory under /var/lib with a
// symlink left at <config>/postgres so operators still find it.
std::variant<fs::path, std::string> resolve_cluster_dir(const fs::path& config_dir,
                                                        const run_identity& who) {
  fs::path link = config_dir / "postgres";
  std::error_code ec;
  if (fs::is_symlink(link, ec)) {
    auto target = fs::read_symlink(link, ec);
    if (ec) return "cannot read symlink " + link.string() + ": " + ec.message();
    if (target.is_relative()) target = config_dir / target;
    if (auto err = make_private_dir(target, who)) return *err;
    return fs::canonical(target);
  }
  if (!who.drop || can_traverse(config_dir, who)) {
    if (auto err = make_private_dir(link, who)) return *err;
    return fs::canonical(link);
  }
  if (fs::exists(link, ec))
    return link.string() + " exists but the postgres user cannot reach it (a parent directory " +
           "is not searchable by it): move it to /var/lib/coder-node and leave a symlink";
  fs::path outside = fs::path("/var/lib/coder-node") / ("embedded-" + short_hash(config_dir));
  fs::create_directories(outside.parent_path(), ec);
  if (ec) return "cannot create " + outside.parent_path().string() + ": " + ec.message();
  chmod(outside.parent_path().c_str(), 0755);
  if (auto err = make_private_dir(outside, who)) return *err;
  fs::create_symlink(outside, link, ec);
  if (ec) return "cannot create symlink " + link.string() + ": " + ec.message();
  log::info("embedded_postgres.relocated",
            {{"config_dir", config_dir.string()},
             {"cluster_dir", outside.string()},
             {"symlink", link.string()},
             {"reason", "postgres user cannot traverse the config dir"}});
  return outside;
}

constexpr size_t max_socket_path = sizeof(sockaddr_un{}.sun_path) - 1;  // 107 on Linux

std::variant<fs::path, std::string> resolve_socket_dir(const fs::path& cluster_dir,
                                                       const run_identity& who, int port) {
  auto socket_name = ".s.PGSQL." + std::to_string(port);
  fs::path dir = cluster_dir / "run";
  if ((dir / socket_name).string().size() > max_socket_path) {
    // sun_path holds 107 bytes; deep config dirs fall back to a short private directory.
    dir = fs::path("/tmp") / ("coder-node-pg-" + short_hash(cluster_dir.string()));
    log::info("embedded_postgres.socket_relocated",
              {{"cluster_dir", cluster_dir.string()}, {"socket_dir", dir.string()}});
  }
  std::error_code ec;
  fs::create_directory(dir, ec);
  if (ec) return "cannot create " + dir.string() + ": " + ec.message();
  struct stat st {};
  if (lstat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    return dir.string() + " is not a directory";
  // A directory in /tmp may have been planted by someone else: it must be ours.
  if (st.st_uid != who.uid && st.st_uid != geteuid())
    return dir.string() + " is owned by uid " + std::to_string(st.st_uid) + ", refusing to use it";
  if (auto err = make_private_dir(dir, who)) return *err;
  return dir;
}

std::variant<std::string, std::string> read_or_create_password(const fs::path& file,
                                                               bool* created) {
  *created = false;
  std::ifstream in(file);
  if (in) {
    std::string pw;
    std::getline(in, pw);
    pw = trim(pw);
    if (!pw.empty()) return std::variant<std::string, std::string>(std::in_place_index<0>, pw);
  }
  unsigned char raw[24];
  std::ifstream rnd("/dev/urandom", std::ios::binary);
  if (!rnd.read(reinterpret_cast<char*>(raw), sizeof raw))
    return std::variant<std::string, std::string>(std::in_place_index<1>,
                                                  "cannot read /dev/urandom");
  static const char hex[] = "0123456789abcdef";
  std::string pw;
  for (unsigned char c : raw) {
    pw += hex[c >> 4];
    pw += hex[c & 15];
  }
  int fd = open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    return std::variant<std::string, std::string>(
        std::in_place_index<1>, "cannot write " + file.string() + ": " + errno_text(errno));
  fchmod(fd, 0600);
  std::string line = pw + "\n";
  bool ok = write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  ok = fsync(fd) == 0 && ok;
  close(fd);
  if (!ok)
    return std::variant<std::string, std::string>(std::in_place_index<1>,
                                                  "cannot write " + file.string());
  *created = true;
  return std::variant<std::string, std::string>(std::in_place_index<0>, pw);
}

long read_pid_file(const fs::path& p) {
  std::ifstream in(p);
  long pid = 0;
  if (in >> pid) return pid;
  return 0;
}

bool process_alive(long pid) {
  return pid > 0 && (kill(pid, 0) == 0 || errno == EPERM);
}

// The postmaster chdirs into its data directory, which identifies it among live processes.
bool is_postmaster_of(long pid, const fs::path& data_dir) {
  std::error_code ec;
  auto cwd = fs::read_symlink("/proc/" + std::to_string(pid) + "/cwd", ec);
  if (ec) return false;
  auto canonical = fs::weakly_canonical(data_dir, ec);
  return cwd == canonical;
}

std::string percent_encode(const std::string& s) {
  std::string out;
  static const char hex[] = "0123456789ABCDEF";
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// postgresql.conf stays as initdb wrote it; our settings live in one file we rewrite on every
// start, so a moved socket dir or changed option applies without editing PostgreSQL's file.
std::optional<std::string> write_settings(const fs::path& data_dir, const fs::path& socket_dir,
                                          const embedded_postgres_options& o,
                                          const run_identity& who) {
  auto quote = [](const std::string& s) {
    std::string out = "'";
    for (char c : s) {
      if (c == '\'') out += '\'';
      out += c;
    }
    return out + "'";
  };
  std::ostringstream conf;
  conf << "# Written by coder-node at every start; edits are overwritten.\n"
       << "listen_addresses = ''\n"
       << "unix_socket_directories = " << quote(socket_dir.string()) << "\n"
       << "unix_socket_permissions = 0700\n"
       << "port = " << o.port << "\n"
       << "password_encryption = 'scram-sha-256'\n"
       << "max_connections = 200\n";
  if (o.ephemeral) conf << "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n";
  fs::path file = data_dir / "coder-node.conf";
  {
    std::ofstream out(file, std::ios::trunc);
    out << conf.str();
    if (!out) return "cannot write " + file.string();
  }
  if (who.drop && chown(file.c_str(), who.uid, who.gid) != 0)
    return "chown " + file.string() + ": " + errno_text(errno);

  fs::path main_conf = data_dir / "postgresql.conf";
  std::ifstream in(main_conf);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string include_line = "include_if_exists = 'coder-node.conf'";
  if (text.find(include_line) == std::string::npos) {
    std::ofstream out(main_conf, std::ios::app);
    out << "\n" << include_line << "\n";
    if (!out) return "cannot append to " + main_conf.string();
  }
  return std::nullopt;
}

}  // namespace

struct embedded_postgres::impl {
  embedded_postgres_options options;
  fs::path bin_dir;
  fs::path data_dir;
  fs::path log_file;
  run_identity who;
  std::vector<std::string> env;
  std::string password;
  int lock_fd = -1;
  bool running = false;

  ~impl() {
    if (lock_fd >= 0) close(lock_fd);
  }

  process_result pg_ctl(std::vector<std::string> args) {
    std::vector<std::string> argv{(bin_dir / "pg_ctl").string(), "-D", data_dir.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, who, env, data_dir.parent_path().string(), "",
                       options.timeout_seconds + 5);
  }
};

embedded_postgres::embedded_postgres(std::unique_ptr<impl> p) : impl_(std::move(p)) {}

embedded_postgres::~embedded_postgres() {
  stop();
}

std::variant<std::unique_ptr<embedded_postgres>, std::string> embedded_postgres::start(
    embedded_postgres_options options) {
  using result = std::variant<std::unique_ptr<embedded_postgres>, std::string>;
  auto fail = [](std::string msg) {
    log::error("embedded_postgres.failed", {{"error", msg}});
    return result(std::in_place_index<1>, std::move(msg));
  };
  if (options.config_dir.empty()) return fail("embedded postgres: config dir is empty");

  auto p = std::make_unique<impl>();
  p->options = options;
  auto bin = find_bin_dir(options.bin_dir);
  if (auto* err = std::get_if<std::string>(&bin)) return fail(*err);
  p->bin_dir = std::get<fs::path>(bin);
  auto identity = resolve_identity();
  if (auto* err = std::get_if<std::string>(&identity)) return fail(*err);
  p->who = std::get<run_identity>(identity);
  p->env = {"PATH=/usr/bin:/bin", "LC_ALL=C.UTF-8", "LANG=C.UTF-8", "HOME=" + p->who.home};

  std::error_code ec;
  fs::create_directories(options.config_dir, ec);
  if (ec) return fail("cannot create config dir " + options.config_dir + ": " + ec.message());
  fs::path config_dir = fs::canonical(options.config_dir, ec);
  if (ec) return fail("cannot resolve config dir " + options.config_dir + ": " + ec.message());

  auto cluster = resolve_cluster_dir(config_dir, p->who);
  if (auto* err = std::get_if<std::string>(&cluster)) return fail(*err);
  fs::path cluster_dir = std::get<fs::path>(cluster);
  p->data_dir = cluster_dir / "data";
  p->log_file = cluster_dir / "postgres.log";

  // Two coder-node processes on one config dir would fight over the cluster; the lock also
  // tells a postmaster orphaned by a crashed coder-node from one a live coder-node is using.
  fs::path lock_path = cluster_dir / "coder-node.lock";
  p->lock_fd = open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (p->lock_fd < 0) return fail("cannot open " + lock_path.string() + ": " + errno_text(errno));
  if (flock(p->lock_fd, LOCK_EX | LOCK_NB) != 0)
    return fail("another coder-node process is using the embedded cluster in " +
                cluster_dir.string());

  auto sock = resolve_socket_dir(cluster_dir, p->who, options.port);
  if (auto* err = std::get_if<std::string>(&sock)) return fail(*err);
  fs::path socket_dir = std::get<fs::path>(sock);

  bool password_created = false;
  auto pw = read_or_create_password(config_dir / "postgres-password", &password_created);
  if (pw.index() == 1) return fail(std::get<1>(pw));
  p->password = std::get<0>(pw);

  bool fresh = !fs::exists(p->data_dir / "PG_VERSION", ec);
  if (fresh) {
    // No PG_VERSION: nothing or the remains of an interrupted initdb; start over.
    fs::remove_all(p->data_dir, ec);
    if (auto err = make_private_dir(p->data_dir, p->who)) return fail(*err);
    // initdb reads the password from a file; /dev/stdin is no option as root, because the
    // postgres user may not reopen root's pipe. The file lives only for the initdb run.
    fs::path pwfile = cluster_dir / "initdb-password";
    {
      int fd = open(pwfile.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
      if (fd < 0) return fail("cannot write " + pwfile.string() + ": " + errno_text(errno));
      std::string line = p->password + "\n";
      bool ok = write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
      if (p->who.drop) ok = fchown(fd, p->who.uid, p->who.gid) == 0 && ok;
      close(fd);
      if (!ok) return fail("cannot write " + pwfile.string());
    }
    std::vector<std::string> argv{(p->bin_dir / "initdb").string(),
                                  "-D",
                                  p->data_dir.string(),
                                  std::string("--username=") + superuser,
                                  "--auth=scram-sha-256",
                                  "--pwfile=" + pwfile.string(),
                                  "--encoding=UTF8",
                                  "--locale=C.UTF-8",
                                  "--no-instructions"};
    if (options.ephemeral) argv.push_back("--no-sync");
    auto r = run_process(argv, p->who, p->env, cluster_dir.string(), "", options.timeout_seconds);
    fs::remove(pwfile, ec);
    if (r.exit_code != 0) return fail("initdb failed: " + trim(r.output));
    log::info("embedded_postgres.initialized",
              {{"cluster_dir", cluster_dir.string()}, {"data_dir", p->data_dir.string()}});
  } else {
    std::ifstream vin(p->data_dir / "PG_VERSION");
    std::string cluster_version;
    vin >> cluster_version;
    auto binary_version = binary_major_version(p->bin_dir, p->who, p->env);
    if (!binary_version.empty() && cluster_version != binary_version)
      return fail("the cluster in " + p->data_dir.string() + " was created by PostgreSQL " +
                  cluster_version + " but the binaries in " + p->bin_dir.string() + " are " +
                  binary_version + ": upgrade it with pg_upgrade or point --postgres-url at it");
  }

  if (!fresh && password_created) {
    // The password file was lost: set the new one in single-user mode (no server running, no
    // network), since nobody could log in otherwise.
    std::string sql = std::string("ALTER ROLE ") + superuser + " PASSWORD '" + p->password + "';\n";
    auto r = run_process(
        {(p->bin_dir / "postgres").string(), "--single", "-D", p->data_dir.string(), "postgres"},
        p->who, p->env, cluster_dir.string(), sql, options.timeout_seconds);
    if (r.exit_code != 0) return fail("cannot reset the cluster password: " + trim(r.output));
    log::warn("embedded_postgres.password_reset", {{"cluster_dir", cluster_dir.string()}});
  }

  if (auto err = write_settings(p->data_dir, socket_dir, options, p->who)) return fail(*err);

  fs::path pid_file = p->data_dir / "postmaster.pid";
  if (fs::exists(pid_file, ec)) {
    long old_pid = read_pid_file(pid_file);
    if (process_alive(old_pid) && is_postmaster_of(old_pid, p->data_dir)) {
      // We hold the lock, so no live coder-node owns it: a crash left it running. Restart it
      // so that this start's settings apply.
      log::warn("embedded_postgres.orphan_stopping",
                {{"cluster_dir", cluster_dir.string()}, {"pid", old_pid}});
      auto r =
          p->pg_ctl({"stop", "-m", "fast", "-w", "-t", std::to_string(options.timeout_seconds)});
      if (r.exit_code != 0) return fail("cannot stop orphaned postmaster: " + trim(r.output));
    } else {
      // The postmaster died with the machine or a kill -9; its pid may now belong to an
      // unrelated process, which would make PostgreSQL refuse to start.
      log::warn("embedded_postgres.stale_pid_file",
                {{"cluster_dir", cluster_dir.string()}, {"stale_pid", old_pid}});
      fs::remove(pid_file, ec);
      fs::remove(socket_dir / (".s.PGSQL." + std::to_string(options.port) + ".lock"), ec);
    }
  }

  auto r = p->pg_ctl({"start", "-w", "-s", "-t", std::to_string(options.timeout_seconds), "-l",
                      p->log_file.string()});
  if (r.exit_code != 0)
    return fail("postgres did not start (" + trim(r.output) + "); " + p->log_file.string() + ": " +
                tail_of_file(p->log_file));
  p->running = true;

  std::unique_ptr<embedded_postgres> self(new embedded_postgres(std::move(p)));
  self->cluster_dir_ = cluster_dir.string();
  self->socket_dir_ = socket_dir.string();
  self->pid_ = read_pid_file(pid_file);

  fs::path marker = cluster_dir / "database-created";
  if (!fs::exists(marker, ec)) {
    auto env = self->impl_->env;
    env.push_back("PGPASSWORD=" + self->impl_->password);
    auto c = run_process({(self->impl_->bin_dir / "createdb").string(), "-h", socket_dir.string(),
                          "-p", std::to_string(options.port), "-U", superuser, database},
                         self->impl_->who, env, cluster_dir.string(), "", options.timeout_seconds);
    if (c.exit_code != 0 && c.output.find("already exists") == std::string::npos) {
      self->stop();
      return fail("createdb " + std::string(database) + " failed: " + trim(c.output));
    }
    std::ofstream(marker) << "1\n";
  }

  log::info("embedded_postgres.started", {{"cluster_dir", self->cluster_dir_},
                                          {"pid", self->pid_},
                                          {"socket", self->socket_dir_},
                                          {"port", options.port},
                                          {"created", fresh}});
  return result(std::in_place_index<0>, std::move(self));
}

std::string embedded_postgres::connection_url() const {
  return std::string("postgresql://") + superuser + ":" + impl_->password + "@/" + database +
         "?host=" + percent_encode(socket_dir_) + "&port=" + std::to_string(impl_->options.port);
}

std::string embedded_postgres::maintenance_url() const {
  return std::string("postgresql://") + superuser + ":" + impl_->password +
         "@/postgres?host=" + percent_encode(socket_dir_) +
         "&port=" + std::to_string(impl_->options.port);
}

void embedded_postgres::stop() {
  if (!impl_ || !impl_->running) return;
  impl_->running = false;
  struct release_lock {
    int& fd;
    ~release_lock() {
      if (fd >= 0) close(fd);
      fd = -1;
    }
  } release{impl_->lock_fd};
  // pg_ctl signals whatever pid the pid file names; after a crash that may be an unrelated
  // process, so only a live postmaster of this data dir is stopped.
  long pid = read_pid_file(impl_->data_dir / "postmaster.pid");
  if (!process_alive(pid) || !is_postmaster_of(pid, impl_->data_dir)) {
    log::warn("embedded_postgres.already_stopped", {{"cluster_dir", cluster_dir_}, {"pid", pid_}});
    return;
  }
  auto r = impl_->pg_ctl(
      {"stop", "-m", "fast", "-w", "-s", "-t", std::to_string(impl_->options.timeout_seconds)});
  // A socket dir relocated to /tmp is ours alone and empty once the server is down.
  if (socket_dir_.rfind(cluster_dir_ + "/", 0) != 0) rmdir(socket_dir_.c_str());
  if (r.exit_code != 0)
    log::error("embedded_postgres.stop_failed",
               {{"cluster_dir", cluster_dir_}, {"pid", pid_}, {"error", trim(r.output)}});
  else
    log::info("embedded_postgres.stopped", {{"cluster_dir", cluster_dir_}, {"pid", pid_}});
}

}  // namespace coder::postgres
