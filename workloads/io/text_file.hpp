// Reading input files whole, with the checks every reader needs: a missing
// path or a directory where a file is expected is an input error, and text
// formats (TOML, CSV, JSON) reject NUL bytes and invalid UTF-8 before a
// parser sees them (TOML++ 3.3 reaches __builtin_unreachable on some invalid
// sequences, e.g. the two bytes CD A3 at the end of the input).
#pragma once

#include <string>
#include <string_view>

namespace tessera::io {

// The file's bytes. `what` names the file in messages ("weight manifest").
std::string read_file(const std::string& path, const std::string& what = "file");

// Throws InputError at the line and column of the first NUL byte or
// invalid UTF-8 sequence (overlong forms, surrogates, code points above
// U+10FFFF, truncated sequences).
void check_text(std::string_view text, const std::string& name);

}  // namespace tessera::io
