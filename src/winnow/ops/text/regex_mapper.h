// Base for DJ's clean_*_mapper ops: re.sub(pattern, repl, text, flags=re.DOTALL) with a default
// pattern, DJ's r'...' unwrapping of user patterns, and no change when nothing matches.
#pragma once

#include <memory>
#include <string>

#include "winnow/core/regex.h"
#include "winnow/ops/op.h"
#include "winnow/ops/registry.h"

namespace winnow {

// For a default pattern that never matches whitespace: every match contains one of `anchors`
// (up to 3 bytes), and `may_match(token)` is a cheap necessary condition on the
// whitespace-free token around it. The mapper finds anchors 16 bytes at a time and runs the
// regex only on the candidate tokens; a user-supplied pattern is always searched in full.
struct TokenPrefilter {
  const char* anchors = nullptr;  // up to three bytes; a token holding one is checked
  bool (*may_match)(std::string_view token) = nullptr;
  char triple = 0;  // a lower-case letter: three of it in a row (any case) also anchor a token
};

class RegexMapper : public Mapper {
 public:
  // `fast_default`, if given, matches exactly the same spans as `default_pattern` with less
  // backtracking but may capture different inner groups; it is used only when the user kept the
  // default pattern and `repl` references no groups.
  RegexMapper(std::string name, const Params& p, const OpEnv& env, const std::string& default_pattern,
              TokenPrefilter prefilter = {}, const std::string* fast_default = nullptr);
  Status Map(Sample& s) const override;

  // Load-time validation shared by the clean_* ops: the pattern compiles, the repl is valid.
  static Status Validate(const Params& p, const std::string& default_pattern);
  // The op's params: pattern (None = the default) and repl.
  static std::vector<ParamSpec> Specs(const std::string& what);

 private:
  std::shared_ptr<const Regex> regex_;
  std::string repl_;
  TokenPrefilter prefilter_;  // set only while the default pattern is in use
};

// A mapper that applies fixed re.sub steps in order (DJ's LaTeX/code cleaners). Each step's
// pattern is a constant of the op, so a compile failure is an internal error.
class SubstitutionMapper : public Mapper {
 public:
  struct Step {
    std::string pattern;
    uint32_t flags;
    std::string repl;
  };
  SubstitutionMapper(std::string name, const Params& p, const OpEnv& env, const std::vector<Step>& steps);
  Status Map(Sample& s) const override;

 private:
  std::vector<std::pair<std::shared_ptr<const Regex>, std::string>> steps_;
};

// Compiles a pattern that is a constant of an op (CHECK-fails on error).
std::shared_ptr<const Regex> CompileConstant(const std::string& pattern, uint32_t flags);

// clean_links_mapper's default pattern and its faster equivalent (exposed for tests).
const std::string& CleanLinksDefaultPattern();
const std::string& CleanLinksFastPattern();

}  // namespace winnow
