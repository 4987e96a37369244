// Status and Result: expected failures as values.
//
// A Status is either ok or carries a stable error code (e.g. "kombit.case_not_found"),
// a human message, and optionally the list of rule violations that caused it. Codes are
// mapped to HTTP statuses in exactly one place (src/net/errors.cc); code in core never
// knows about HTTP. Result<T> is a value or a Status. Both are cheap to move and are
// not thread-safe to mutate concurrently (plain values).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace adda {

// One broken rule: a stable rule id (documented in docs/), the field it concerns
// (JSON pointer-like path, may be empty) and a plain message.
struct Violation {
  std::string rule;
  std::string field;
  std::string message;

  bool operator==(const Violation& o) const {
    return rule == o.rule && field == o.field && message == o.message;
  }
};
void to_json(nlohmann::json& j, const Violation& v);
void from_json(const nlohmann::json& j, Violation& v);

class Status {
 public:
  Status() = default;  // ok
  static Status Ok() { return Status(); }
  static Status Error(std::string code, std::string message,
                      std::vector<Violation> violations = {}) {
    Status s;
    s.code_ = std::move(code);
    s.message_ = std::move(message);
    s.violations_ = std::move(violations);
    return s;
  }

  bool ok() const { return code_.empty(); }
  explicit operator bool() const { return ok(); }
  const std::string& code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::vector<Violation>& violations() const { return violations_; }
  std::string ToString() const { return ok() ? "ok" : code_ + ": " + message_; }

 private:
  std::string code_;
  std::string message_;
  std::vector<Violation> violations_;
};

// A value of T, or the Status saying why there is none.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}  // NOLINT
  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() { return *value_; }
  const T& operator*() const { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace adda
