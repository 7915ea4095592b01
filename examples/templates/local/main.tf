# A workspace that is a process on the provisioner's own machine: the coder agent runs as a
# local background process, started and stopped by terraform_data + local-exec. Written exactly
# as a Coder template is: the agent's init_script and token feed the compute resource, which has
# `count = start_count` so that a stop build removes it while the agent, apps and parameters stay.
terraform {
  required_providers {
    coder = {
      source = "coder/coder"
    }
  }
}

provider "coder" {}

variable "workspaces_dir" {
  description = "Where the workspaces' home directories and agent pid files live on this machine."
  type        = string
  default     = "/tmp/coder-node-workspaces"
}

data "coder_provisioner" "me" {}
data "coder_workspace" "me" {}
data "coder_workspace_owner" "me" {}

data "coder_parameter" "project_name" {
  name         = "project_name"
  display_name = "Project name"
  description  = "Name of the directory created in the workspace."
  type         = "string"
  default      = "project"
  mutable      = true
  order        = 1
  validation {
    regex = "^[a-z][a-z0-9-]*$"
    error = "Use lowercase letters, digits and hyphens."
  }
}

data "coder_parameter" "shell" {
  name    = "shell"
  type    = "string"
  default = "/bin/sh"
  mutable = true
  order   = 2
  option {
    name  = "POSIX sh"
    value = "/bin/sh"
  }
  option {
    name  = "Bash"
    value = "/bin/bash"
  }
}

locals {
  home = "${var.workspaces_dir}/${data.coder_workspace_owner.me.name}-${data.coder_workspace.me.name}"
}

resource "coder_agent" "main" {
  os   = "linux"
  arch = data.coder_provisioner.me.arch
  dir  = local.home
  env = {
    SHELL = data.coder_parameter.shell.value
  }
  startup_script_behavior = "blocking"
  startup_script          = "mkdir -p '${local.home}/${data.coder_parameter.project_name.value}'"

  metadata {
    key          = "load"
    display_name = "Load average"
    script       = "cut -d' ' -f1 /proc/loadavg"
    interval     = 10
    timeout      = 1
  }

  display_apps {
    vscode          = false
    vscode_insiders = false
  }
}

resource "coder_app" "terminal" {
  agent_id     = coder_agent.main.id
  slug         = "terminal"
  display_name = "Terminal"
  command      = data.coder_parameter.shell.value
}

resource "coder_app" "files" {
  agent_id     = coder_agent.main.id
  slug         = "files"
  display_name = "File server"
  url          = "http://localhost:8000"
  share        = "owner"
  healthcheck {
    url       = "http://localhost:8000"
    interval  = 5
    threshold = 6
  }
}

resource "coder_script" "greeting" {
  agent_id     = coder_agent.main.id
  display_name = "Greeting"
  script       = "echo 'Hello, ${data.coder_workspace_owner.me.full_name}'"
  run_on_start = true
}

resource "coder_env" "project" {
  agent_id = coder_agent.main.id
  name     = "PROJECT_DIR"
  value    = "${local.home}/${data.coder_parameter.project_name.value}"
}

# The compute resource: the agent process itself. A new build gets a new token, and a new token
# starts a new agent process (as a new container would in a Docker template).
resource "terraform_data" "workspace" {
  count            = data.coder_workspace.me.start_count
  triggers_replace = [coder_agent.main.token]
  input = {
    home     = local.home
    pid_file = "${local.home}/.coder-agent.pid"
  }

  # setsid + redirected stdio: the agent outlives terraform, which only waits while a child holds
  # its stdout/stderr.
  provisioner "local-exec" {
    command = "mkdir -p \"$HOME_DIR\" && cd \"$HOME_DIR\" || exit 1; setsid sh -c \"$INIT_SCRIPT\" >.coder-agent.log 2>&1 </dev/null & echo $! >\"$PID_FILE\""
    environment = {
      CODER_AGENT_TOKEN = coder_agent.main.token
      INIT_SCRIPT       = coder_agent.main.init_script
      HOME_DIR          = local.home
      PID_FILE          = "${local.home}/.coder-agent.pid"
    }
  }

  provisioner "local-exec" {
    when    = destroy
    command = "if [ -f '${self.input.pid_file}' ]; then kill -TERM -$(cat '${self.input.pid_file}') 2>/dev/null || true; rm -f '${self.input.pid_file}'; fi"
  }
}

resource "coder_metadata" "workspace" {
  count       = data.coder_workspace.me.start_count
  resource_id = terraform_data.workspace[0].id
  icon        = "/icon/terminal.svg"
  item {
    key   = "home"
    value = local.home
  }
  item {
    key   = "owner"
    value = data.coder_workspace_owner.me.email
  }
}

output "agent_token" {
  value     = coder_agent.main.token
  sensitive = true
}
