// The operator registry: DJ op name -> kind, docs, param table, stat keys, factory.
// Registration is explicit (RegisterBuiltinOps), never static initializers a linker can drop.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "winnow/ops/op.h"
#include "winnow/ops/params.h"

namespace winnow {

struct OpInfo {
  std::string name;
  OpKind kind;
  std::string doc;
  std::vector<ParamSpec> params;     // the op's own params (common kwargs are added by the registry)
  std::vector<std::string> stat_keys;
  std::function<std::unique_ptr<Op>(const Params&, const OpEnv&)> factory;
  // Optional load-time check of param combinations (e.g. unsupported modes), before any data.
  std::function<Status(const Params&)> validate;
};

class Registry {
 public:
  // The process-wide registry with every built-in op registered.
  static const Registry& Builtin();

  void Add(OpInfo info);
  const OpInfo* Find(std::string_view name) const;
  const std::vector<OpInfo>& ops() const { return ops_; }
  std::vector<std::string> Names() const;

  // DJ kwargs every op accepts (text_key, batch_size, num_proc, ...), and the extra ones for
  // filters (min_closed_interval, max_closed_interval, reversed_range).
  static const std::vector<ParamSpec>& CommonParams();
  static const std::vector<ParamSpec>& FilterParams();
  // All params an op accepts, in declaration order: its own, then the common ones.
  static std::vector<const ParamSpec*> AllParams(const OpInfo& info);

 private:
  std::vector<OpInfo> ops_;
};

// Adds every built-in op; one call per op group.
void RegisterBuiltinOps(Registry& r);

// Helpers for op files to declare params compactly.
ParamSpec IntParam(std::string name, double def, std::string doc);
ParamSpec FloatParam(std::string name, double def, std::string doc);
ParamSpec BoolParam(std::string name, bool def, std::string doc);
ParamSpec StringParam(std::string name, std::string def, std::string doc);
ParamSpec Optional(ParamSpec p);
// Accepts null as well, keeping p's (non-null) default (DJ's Optional[...] = value).
inline ParamSpec Nullable(ParamSpec p) { p.nullable = true; return p; }
ParamSpec Range(ParamSpec p, std::optional<double> min, std::optional<double> max,
                bool min_exclusive = false);

// Renders the `winnow ops NAME` text and docs/ops.md from the registry.
std::string DescribeOp(const OpInfo& info);
std::string OpsMarkdown(const Registry& r);
// The README's one-line-per-op list (between its `ops:begin` / `ops:end` markers).
std::string OpsReadmeList(const Registry& r);

}  // namespace winnow
