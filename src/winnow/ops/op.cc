#include "winnow/ops/op.h"

namespace winnow {

const char* OpKindName(OpKind k) {
  switch (k) {
    case OpKind::kMapper: return "mapper";
    case OpKind::kFilter: return "filter";
    case OpKind::kDeduplicator: return "deduplicator";
    case OpKind::kSelector: return "selector";
    case OpKind::kGrouper: return "grouper";
  }
  return "?";
}

Op::Op(std::string name, const Params& params, const OpEnv& env)
    : name_(std::move(name)), text_key_(env.text_key) {
  const json::Value& tk = params.Get("text_key");
  if (tk.type() == json::Type::kString) text_key_ = tk.as_string();
}

Filter::Filter(std::string name, const Params& params, const OpEnv& env)
    : Op(std::move(name), params, env) {
  min_closed_ = params.Get("min_closed_interval").is_null() || params.Bool("min_closed_interval");
  max_closed_ = params.Get("max_closed_interval").is_null() || params.Bool("max_closed_interval");
  reversed_ = !params.Get("reversed_range").is_null() && params.Bool("reversed_range");
  if (reversed_) {  // DJ flips both closures, then negates the result
    min_closed_ = !min_closed_;
    max_closed_ = !max_closed_;
  }
}

bool Filter::KeepValue(double v, double min_v, double max_v) const {
  bool keep = (min_closed_ ? v >= min_v : v > min_v) && (max_closed_ ? v <= max_v : v < max_v);
  return reversed_ ? !keep : keep;
}

std::string Filter::DropReason(const Sample& s) const { return "dropped by " + name_; }

std::string Filter::RangeReason(const Sample& s, std::string_view key, double min_v,
                                double max_v) const {
  std::string r(key);
  r += "=";
  if (const StatValue* v = s.stats().Find(key)) v->AppendJson(&r);
  auto bound = [](double d) {
    if (d >= kPyMaxSize) return std::string("inf");
    if (d <= -kPyMaxSize) return std::string("-inf");
    std::string b;
    json::AppendDouble(d, &b);
    return b;
  };
  r += reversed_ ? " inside " : " outside ";
  r += min_closed_ ? "[" : "(";
  r += bound(min_v) + ", " + bound(max_v);
  r += max_closed_ ? "]" : ")";
  return r;
}

}  // namespace winnow
