#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "runtime/log/log.hpp"

using namespace coder;

TEST_CASE("log lines are key=value with quoting of awkward values") {
  auto line = log::format_line(log::level::warn, "http.request",
                               {{"workspace_id", "ws-1"}, {"path", "/a b"}, {"n", 42},
                                {"q", "say \"hi\"\n"}, {"empty", ""}});
  CHECK(line.find(" level=warn event=http.request workspace_id=ws-1 ") != std::string::npos);
  CHECK(line.find(" path=\"/a b\"") != std::string::npos);
  CHECK(line.find(" n=42") != std::string::npos);
  CHECK(line.find(" q=\"say \\\"hi\\\"\\n\"") != std::string::npos);
  CHECK(line.find(" empty=\"\"") != std::string::npos);
  CHECK(line.rfind("ts=", 0) == 0);
  CHECK(line.find('\n') == std::string::npos);
}

TEST_CASE("log level filter and sink") {
  std::vector<std::string> lines;
  log::set_sink([&](std::string_view l) { lines.emplace_back(l); });
  log::set_min_level(log::level::warn);
  log::info("dropped");
  log::error("kept", {{"agent_id", "a1"}});
  log::set_min_level(log::level::info);
  log::set_sink(nullptr);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].find("event=kept agent_id=a1") != std::string::npos);
}
