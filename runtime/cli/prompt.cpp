#include "runtime/cli/prompt.hpp"

#include <termios.h>
#include <unistd.h>

#include <csignal>
#include <istream>
#include <ostream>

namespace coder::cli {
namespace {

// Echo state to restore from a signal handler: only async-signal-safe calls touch it.
struct termios saved_termios;
volatile std::sig_atomic_t echo_disabled = 0;
struct sigaction previous_int, previous_term;

void restore_echo_and_reraise(int sig) {
  if (echo_disabled) ::tcsetattr(STDIN_FILENO, TCSANOW, &saved_termios);
  ::sigaction(sig, sig == SIGINT ? &previous_int : &previous_term, nullptr);
  ::raise(sig);
}

// Turns terminal echo off for its lifetime.
class echo_off {
 public:
  echo_off() {
    if (::tcgetattr(STDIN_FILENO, &saved_termios) != 0) return;
    struct sigaction action {};
    action.sa_handler = restore_echo_and_reraise;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGINT, &action, &previous_int);
    ::sigaction(SIGTERM, &action, &previous_term);
    struct termios quiet = saved_termios;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ECHONL;  // the user still sees the Enter
    echo_disabled = ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet) == 0;
    active_ = true;
  }
  ~echo_off() {
    if (!active_) return;
    if (echo_disabled) ::tcsetattr(STDIN_FILENO, TCSANOW, &saved_termios);
    echo_disabled = 0;
    ::sigaction(SIGINT, &previous_int, nullptr);
    ::sigaction(SIGTERM, &previous_term, nullptr);
  }
  echo_off(const echo_off&) = delete;
  echo_off& operator=(const echo_off&) = delete;

 private:
  bool active_ = false;
};

}  // namespace

std::optional<std::string> prompter::read_line(bool secret) {
  std::string line;
  bool ok;
  if (secret && terminal_) {
    echo_off guard;
    ok = static_cast<bool>(std::getline(in_, line));
  } else {
    ok = static_cast<bool>(std::getline(in_, line));
  }
  if (!ok) {
    failure_ = "no input (stdin closed)";
    return std::nullopt;
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

std::optional<std::string> prompter::ask(const std::string& question, const validator& validate,
                                         const std::string& default_value) {
  for (;;) {
    out_ << question;
    if (!default_value.empty()) out_ << " (" << default_value << ")";
    out_ << ": " << std::flush;
    auto answer = read_line(false);
    if (!answer) return std::nullopt;
    if (answer->empty() && !default_value.empty()) answer = default_value;
    auto problem = validate ? validate(*answer) : std::nullopt;
    if (!problem) return answer;
    if (!terminal_) {
      failure_ = question + " " + *problem;
      return std::nullopt;
    }
    out_ << "  " << question << " " << *problem << "\n";
  }
}

std::optional<std::string> prompter::ask_secret(const std::string& question,
                                                const validator& validate, bool confirm) {
  for (;;) {
    out_ << question << ": " << std::flush;
    auto answer = read_line(true);
    if (!answer) return std::nullopt;
    if (auto problem = validate ? validate(*answer) : std::nullopt) {
      if (!terminal_) {
        failure_ = question + " " + *problem;
        return std::nullopt;
      }
      out_ << "  " << question << " " << *problem << "\n";
      continue;
    }
    if (!confirm) return answer;
    out_ << "Confirm " << question << ": " << std::flush;
    auto again = read_line(true);
    if (!again) return std::nullopt;
    if (*again == *answer) return answer;
    if (!terminal_) {
      failure_ = "the two " + question + " entries do not match";
      return std::nullopt;
    }
    out_ << "  The two entries do not match; try again.\n";
  }
}

}  // namespace coder::cli
