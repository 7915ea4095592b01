#include "actors/users/credentials/identity_validation.hpp"

#include <array>
#include <cmath>
#include <map>
#include <set>
#include <vector>

namespace coder::credentials {
namespace {

bool is_ascii_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Decodes UTF-8 into code points; nullopt on any malformed sequence.
std::optional<std::vector<char32_t>> decode_utf8(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    auto b0 = static_cast<unsigned char>(s[i]);
    std::size_t extra = 0;
    char32_t cp = 0;
    char32_t min = 0;
    if (b0 < 0x80) {
      out.push_back(b0);
      ++i;
      continue;
    } else if ((b0 & 0xe0) == 0xc0) {
      extra = 1, cp = b0 & 0x1f, min = 0x80;
    } else if ((b0 & 0xf0) == 0xe0) {
      extra = 2, cp = b0 & 0x0f, min = 0x800;
    } else if ((b0 & 0xf8) == 0xf0) {
      extra = 3, cp = b0 & 0x07, min = 0x10000;
    } else {
      return std::nullopt;
    }
    if (i + extra >= s.size()) return std::nullopt;  // truncated sequence
    for (std::size_t k = 1; k <= extra; ++k) {
      auto b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xc0) != 0x80) return std::nullopt;
      cp = (cp << 6) | (b & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return std::nullopt;
    out.push_back(cp);
    i += extra + 1;
  }
  return out;
}

bool is_control_or_space(unsigned char c) {
  return c <= 0x20 || c == 0x7f;
}

// RFC 5322 atext, plus any non-ASCII byte (RFC 6531 internationalised addresses).
bool is_atext(unsigned char c) {
  if (c >= 0x80) return true;
  if (is_ascii_alnum(static_cast<char>(c))) return true;
  return std::string_view("!#$%&'*+-/=?^_`{|}~").find(static_cast<char>(c)) !=
         std::string_view::npos;
}

std::optional<std::string> validate_domain(std::string_view domain) {
  if (domain.empty()) return "must have a domain after the @";
  if (domain.find('.') == std::string_view::npos) return "domain must contain a dot";
  std::size_t start = 0;
  std::string_view last_label;
  while (start <= domain.size()) {
    auto dot = domain.find('.', start);
    auto label =
        domain.substr(start, dot == std::string_view::npos ? domain.size() - start : dot - start);
    if (label.empty())
      return "domain must not have empty labels (leading, trailing or double dots)";
    if (label.size() > 63) return "domain labels must be <= 63 bytes";
    if (label.front() == '-' || label.back() == '-')
      return "domain labels must not start or end with a hyphen";
    for (unsigned char c : label) {
      if (c < 0x80 && !is_ascii_alnum(static_cast<char>(c)) && c != '-')
        return "domain may contain only letters, digits, hyphens and dots";
    }
    last_label = label;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  bool all_digits = true;
  for (char c : last_label)
    if (c < '0' || c > '9') all_digits = false;
  if (all_digits) return "domain must end in a name, not a number";
  return std::nullopt;
}

}  // namespace

bool is_valid_utf8(std::string_view text) {
  return decode_utf8(text).has_value();
}

std::string identity_key(std::string_view value) {
  std::string out(value);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::optional<std::string> validate_username(std::string_view username) {
  if (username.empty()) return "must be >= 1 character";
  if (username.size() > username_max_length) return "must be <= 32 characters";
  // "new" and "create" collide with dashboard routes (as in Coder); "me" is the API's alias for
  // the caller in /api/v2/users/{user}, so a user named "me" could never be addressed by name.
  auto key = identity_key(username);
  if (key == "new" || key == "create" || key == "me")
    return "cannot use \"" + std::string(username) + "\" as a name";
  // ^[a-zA-Z0-9]+(?:-[a-zA-Z0-9]+)*$ : alphanumeric runs joined by single hyphens.
  bool previous_hyphen = true;  // forbids a leading hyphen
  for (char c : username) {
    if (c == '-') {
      if (previous_hyphen) return "must be alphanumeric with hyphens";
      previous_hyphen = true;
    } else if (is_ascii_alnum(c)) {
      previous_hyphen = false;
    } else {
      return "must be alphanumeric with hyphens";
    }
  }
  if (previous_hyphen) return "must be alphanumeric with hyphens";
  return std::nullopt;
}

std::optional<std::string> validate_email(std::string_view email) {
  if (email.empty()) return "must not be empty";
  if (email.size() > email_max_bytes) return "must be <= 254 bytes";
  if (!is_valid_utf8(email)) return "must be valid UTF-8";
  for (unsigned char c : email)
    if (is_control_or_space(c)) return "must not contain spaces or control characters";
  auto at = email.find('@');
  if (at == std::string_view::npos) return "must contain an @";
  if (email.find('@', at + 1) != std::string_view::npos) return "must contain exactly one @";
  auto local = email.substr(0, at);
  if (local.empty()) return "must have a name before the @";
  if (local.size() > email_local_max_bytes) return "part before the @ must be <= 64 bytes";
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos)
    return "part before the @ must not start or end with a dot or contain two dots in a row";
  for (unsigned char c : local)
    if (c != '.' && !is_atext(c)) return "part before the @ contains a character not allowed there";
  return validate_domain(email.substr(at + 1));
}

double password_entropy_bits(std::string_view password) {
  auto decoded = decode_utf8(password);
  if (!decoded) return 0.0;
  static constexpr std::array<std::string_view, 6> classes = {"!@$&*",
                                                              "_-., ",
                                                              "\"#%'()+/:;<=>?[\\]^{|}~",
                                                              "abcdefghijklmnopqrstuvwxyz",
                                                              "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                                                              "0123456789"};
  std::array<bool, classes.size()> used{};
  std::set<char32_t> others;
  std::map<char32_t, int> counts;
  for (char32_t cp : *decoded) {
    auto& n = counts[cp];
    if (n < 2) ++n;  // repeating a character adds little: count each at most twice
    bool classified = false;
    for (std::size_t k = 0; k < classes.size() && !classified; ++k) {
      if (cp < 0x80 && classes[k].find(static_cast<char>(cp)) != std::string_view::npos) {
        used[k] = true;
        classified = true;
      }
    }
    if (!classified) others.insert(cp);
  }
  double pool = static_cast<double>(others.size());
  for (std::size_t k = 0; k < classes.size(); ++k)
    if (used[k]) pool += static_cast<double>(classes[k].size());
  int length = 0;
  for (const auto& [cp, n] : counts) length += n;
  if (pool <= 1.0) return 0.0;
  return length * std::log2(pool);
}

std::optional<std::string> validate_password(std::string_view password) {
  auto decoded = decode_utf8(password);
  if (!decoded) return "must be valid UTF-8";
  if (decoded->size() < password_min_chars) return "must be at least 8 characters";
  if (decoded->size() > password_max_chars) return "must be no more than 64 characters";
  if (password_entropy_bits(password) >= password_min_entropy_bits) return std::nullopt;
  bool lower = false, upper = false, digit = false, special = false;
  for (char32_t cp : *decoded) {
    if (cp >= 'a' && cp <= 'z')
      lower = true;
    else if (cp >= 'A' && cp <= 'Z')
      upper = true;
    else if (cp >= '0' && cp <= '9')
      digit = true;
    else
      special = true;
  }
  std::string tips;
  auto add = [&tips](std::string_view tip) {
    if (!tips.empty()) tips += ", ";
    tips += tip;
  };
  if (!special) add("special characters");
  if (!lower) add("lowercase letters");
  if (!upper) add("uppercase letters");
  if (!digit) add("numbers");
  if (tips.empty()) return "is too easy to guess; try a longer password";
  return "is too easy to guess; try a longer password or add " + tips;
}

std::optional<std::string> validate_real_name(std::string_view name) {
  if (name.size() > real_name_max_bytes) return "must be <= 128 characters";
  if (!is_valid_utf8(name)) return "must be valid UTF-8";
  auto is_space = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
  if (!name.empty() && (is_space(name.front()) || is_space(name.back())))
    return "must not have leading or trailing whitespace";
  return std::nullopt;
}

}  // namespace coder::credentials
