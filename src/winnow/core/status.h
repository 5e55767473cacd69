// Status and Result<T>: how Winnow reports recoverable errors (I/O, recipe, bad samples)
// without exceptions crossing layer boundaries. Internal invariants use WINNOW_CHECK.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace winnow {

class [[nodiscard]] Status {
 public:
  Status() = default;
  static Status Ok() { return Status(); }
  static Status Error(std::string message) { return Status(std::move(message)); }

  bool ok() const { return !message_.has_value(); }
  const std::string& message() const {
    static const std::string kEmpty;
    return message_ ? *message_ : kEmpty;
  }
  // Prefixes context ("file.jsonl:12: ") to an error; a no-op on success.
  Status WithContext(const std::string& context) const {
    return ok() ? *this : Status(context + ": " + *message_);
  }

 private:
  explicit Status(std::string message) : message_(std::move(message)) {}
  std::optional<std::string> message_;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Status status) : value_(std::move(status)) {}   // NOLINT
  bool ok() const { return std::holds_alternative<T>(value_); }
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(value_); }
  T& value() { return std::get<T>(value_); }
  const T& value() const { return std::get<T>(value_); }
  T& operator*() { return value(); }
  T* operator->() { return &value(); }

 private:
  std::variant<T, Status> value_;
};

[[noreturn]] inline void CheckFailed(const char* expr, const char* file, int line) {
  std::fprintf(stderr, "winnow: internal error: check failed: %s at %s:%d\n", expr, file, line);
  std::abort();
}

}  // namespace winnow

// Always-on invariant check; never reachable from user input.
#define WINNOW_CHECK(cond) \
  ((cond) ? (void)0 : ::winnow::CheckFailed(#cond, __FILE__, __LINE__))

#define WINNOW_RETURN_IF_ERROR(expr)   \
  do {                                 \
    ::winnow::Status _st = (expr);     \
    if (!_st.ok()) return _st;         \
  } while (0)
