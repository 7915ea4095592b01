// Interactive questions (login, users create). Reads lines from an input stream; when that stream
// is the terminal, secrets are read with echo off and echo is restored even if the user presses
// Ctrl-C. Piped input works too (one answer per line), which is what scripts and tests use.
#pragma once

#include <functional>
#include <iosfwd>
#include <optional>
#include <string>

namespace coder::cli {

class prompter {
 public:
  // `in_is_terminal` enables echo control on stdin; pass false for any other stream.
  prompter(std::istream& in, std::ostream& out, bool in_is_terminal)
      : in_(in), out_(out), terminal_(in_is_terminal) {}

  using validator = std::function<std::optional<std::string>(const std::string&)>;

  // Asks until `validate` accepts (on a terminal) or fails at the first invalid answer (piped
  // input, where asking again would loop over the rest of the script). An empty answer takes
  // `default_value` when one is given. nullopt when input ends or an answer is rejected.
  std::optional<std::string> ask(const std::string& question, const validator& validate = {},
                                 const std::string& default_value = {});
  // Same, without echo; with `confirm`, asks a second time and requires the same answer.
  std::optional<std::string> ask_secret(const std::string& question, const validator& validate,
                                        bool confirm);

  bool interactive() const { return terminal_; }
  // Why the last ask returned nullopt, for the error message.
  const std::string& failure() const { return failure_; }

 private:
  std::optional<std::string> read_line(bool secret);

  std::istream& in_;
  std::ostream& out_;
  bool terminal_;
  std::string failure_;
};

// One identity value a command takes from `--flag` or, failing that, asks for: the first user at
// login and a new user in `users create` share this shape.
struct prompted_field {
  std::string flag;
  std::string question;
  prompter::validator validate;
  std::string* target;
  bool secret;
};

}  // namespace coder::cli
