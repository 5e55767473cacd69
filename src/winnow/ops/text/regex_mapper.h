// Base for DJ's clean_*_mapper ops: re.sub(pattern, repl, text, flags=re.DOTALL) with a default
// pattern, DJ's r'...' unwrapping of user patterns, and no change when nothing matches.
#pragma once

#include <memory>
#include <string>

#include "winnow/core/regex.h"
#include "winnow/ops/op.h"
#include "winnow/ops/registry.h"

namespace winnow {

// For a default pattern that never matches whitespace: true if a whitespace-free token may
// contain a match (a cheap necessary condition, e.g. "has an '@'"). Lets the mapper run the
// regex only on candidate tokens; a user-supplied pattern is always searched in full.
using TokenPrefilter = bool (*)(std::string_view token);

class RegexMapper : public Mapper {
 public:
  RegexMapper(std::string name, const Params& p, const OpEnv& env, const std::string& default_pattern,
              TokenPrefilter prefilter = nullptr);
  Status Map(Sample& s) const override;

  // Load-time validation shared by the clean_* ops: the pattern compiles, the repl is valid.
  static Status Validate(const Params& p, const std::string& default_pattern);
  // The op's params: pattern (None = the default) and repl.
  static std::vector<ParamSpec> Specs(const std::string& what);

 private:
  std::shared_ptr<const Regex> regex_;
  std::string repl_;
  TokenPrefilter prefilter_ = nullptr;  // set only while the default pattern is in use
};

}  // namespace winnow
