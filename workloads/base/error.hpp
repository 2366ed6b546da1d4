// One error type for every bad input (config, network, weights, dataset, command line).
// The message always reads "file:line:column: key: what is wrong and what is allowed";
// the CLI prints it and exits with code 2 before anything is written.
#pragma once

#include <stdexcept>
#include <string>

namespace tessera {

struct SourceLoc {
  std::string file;  // path, or "--set a.b=v" for a command-line override
  int line = 0;      // 1-based; 0 when unknown
  int column = 0;    // 1-based; 0 when unknown

  std::string str() const;
};

class InputError : public std::runtime_error {
 public:
  InputError(SourceLoc loc, std::string key, std::string message);

  const SourceLoc& loc() const { return loc_; }
  const std::string& key() const { return key_; }
  const std::string& message() const { return message_; }

 private:
  SourceLoc loc_;
  std::string key_;
  std::string message_;
};

// Exit code for every input error (documented in the README).
constexpr int kExitInputError = 2;

}  // namespace tessera
