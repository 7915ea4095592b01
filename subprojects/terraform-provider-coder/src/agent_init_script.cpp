#include "agent_init_script.hpp"

namespace coder::provider {

namespace {

std::string sh_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

std::string ps_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::string trim_slash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

std::string posix_script(const AgentScriptInput& in) {
  const std::string url = trim_slash(in.access_url);
  const std::string binary_url = url + "/bin/coder-agent-" + in.os + "-" + in.arch;
  std::string s;
  s += "#!/bin/sh\n";
  s += "# coder-node agent bootstrap: fetch coder-agent from the deployment and run it.\n";
  s += "set -eu\n";
  s += "CODER_AGENT_URL=" + sh_quote(url) + "\n";
  s += "CODER_AGENT_AUTH=" + sh_quote(in.auth) + "\n";
  if (in.auth == "token") s += "CODER_AGENT_TOKEN=\"${CODER_AGENT_TOKEN:-" + in.token + "}\"\n";
  s += "export CODER_AGENT_URL CODER_AGENT_AUTH";
  s += in.auth == "token" ? " CODER_AGENT_TOKEN\n" : "\n";
  s += "BINARY_URL=" + sh_quote(binary_url) + "\n";
  s += "BINARY_DIR=\"${CODER_AGENT_BINARY_DIR:-$(mktemp -d 2>/dev/null || echo "
       "/tmp/coder-agent.$$)}\"\n";
  s += "mkdir -p \"$BINARY_DIR\"\n";
  s += "BINARY=\"$BINARY_DIR/coder-agent\"\n";
  s += "attempt=0\n";
  s += "while :; do\n";
  s += "  if command -v curl >/dev/null 2>&1; then\n";
  s += "    curl -fsSL -o \"$BINARY\" \"$BINARY_URL\" && break\n";
  s += "  elif command -v wget >/dev/null 2>&1; then\n";
  s += "    wget -q -O \"$BINARY\" \"$BINARY_URL\" && break\n";
  s += "  else\n";
  s += "    echo \"coder init_script: neither curl nor wget is installed\" >&2\n";
  s += "    exit 1\n";
  s += "  fi\n";
  s += "  attempt=$((attempt + 1))\n";
  s += "  if [ \"$attempt\" -ge 60 ]; then\n";
  s += "    echo \"coder init_script: could not download $BINARY_URL\" >&2\n";
  s += "    exit 1\n";
  s += "  fi\n";
  s += "  echo \"coder init_script: download of $BINARY_URL failed, retrying in 5s\" >&2\n";
  s += "  sleep 5\n";
  s += "done\n";
  s += "chmod +x \"$BINARY\"\n";
  s += "exec \"$BINARY\"\n";
  return s;
}

std::string powershell_script(const AgentScriptInput& in) {
  const std::string url = trim_slash(in.access_url);
  const std::string binary_url = url + "/bin/coder-agent-windows-" + in.arch + ".exe";
  std::string s;
  s += "$ErrorActionPreference = 'Stop'\n";
  s += "$env:CODER_AGENT_URL = " + ps_quote(url) + "\n";
  s += "$env:CODER_AGENT_AUTH = " + ps_quote(in.auth) + "\n";
  if (in.auth == "token")
    s += "if (-not $env:CODER_AGENT_TOKEN) { $env:CODER_AGENT_TOKEN = " + ps_quote(in.token) +
         " }\n";
  s += "$binary = Join-Path $env:TEMP 'coder-agent.exe'\n";
  s += "while ($true) {\n";
  s += "  try { Invoke-WebRequest -Uri " + ps_quote(binary_url) +
       " -OutFile $binary -UseBasicParsing; break }\n";
  s += "  catch { Write-Error \"coder init_script: download failed, retrying in 5s\" -ErrorAction "
       "Continue; Start-Sleep -Seconds 5 }\n";
  s += "}\n";
  s += "& $binary\n";
  return s;
}

}  // namespace

std::string agent_init_script(const AgentScriptInput& in) {
  return in.os == "windows" ? powershell_script(in) : posix_script(in);
}

}  // namespace coder::provider
