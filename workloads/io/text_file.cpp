#include "workloads/io/text_file.hpp"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "workloads/base/error.hpp"

namespace tessera::io {

std::string read_file(const std::string& path, const std::string& what) {
  std::error_code ec;
  const auto st = std::filesystem::status(path, ec);
  if (!std::filesystem::exists(st)) throw InputError({path, 0, 0}, "", "cannot open " + what + ": no such file");
  if (std::filesystem::is_directory(st))
    throw InputError({path, 0, 0}, "", "is a directory; expected a " + what);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError({path, 0, 0}, "", "cannot open " + what);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw InputError({path, 0, 0}, "", "cannot read " + what);
  return text;
}

namespace {

// Length of the valid UTF-8 sequence at s[i], 0 if invalid (RFC 3629, table 3-7 of the Unicode standard).
size_t utf8_length(std::string_view s, size_t i) {
  auto at = [&](size_t k) { return i + k < s.size() ? uint8_t(s[i + k]) : uint8_t(0); };
  auto cont = [](uint8_t b, uint8_t lo = 0x80, uint8_t hi = 0xBF) { return b >= lo && b <= hi; };
  const uint8_t b0 = at(0);
  if (b0 < 0x80) return 1;
  if (b0 >= 0xC2 && b0 <= 0xDF) return cont(at(1)) ? 2 : 0;
  if (b0 == 0xE0) return cont(at(1), 0xA0) && cont(at(2)) ? 3 : 0;
  if (b0 == 0xED) return cont(at(1), 0x80, 0x9F) && cont(at(2)) ? 3 : 0;
  if (b0 >= 0xE1 && b0 <= 0xEF) return cont(at(1)) && cont(at(2)) ? 3 : 0;
  if (b0 == 0xF0) return cont(at(1), 0x90) && cont(at(2)) && cont(at(3)) ? 4 : 0;
  if (b0 >= 0xF1 && b0 <= 0xF3) return cont(at(1)) && cont(at(2)) && cont(at(3)) ? 4 : 0;
  if (b0 == 0xF4) return cont(at(1), 0x80, 0x8F) && cont(at(2)) && cont(at(3)) ? 4 : 0;
  return 0;
}

}  // namespace

void check_text(std::string_view text, const std::string& name) {
  int line = 1, column = 1;
  for (size_t i = 0; i < text.size();) {
    if (text[i] == '\0') throw InputError({name, line, column}, "", "NUL byte in a text file");
    const size_t n = utf8_length(text, i);
    if (n == 0) throw InputError({name, line, column}, "", "invalid UTF-8 (byte " + std::to_string(i) + ")");
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
    i += n;
  }
}

}  // namespace tessera::io
