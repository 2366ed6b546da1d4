// A fixed-size bit vector: one CAM column (one bit per row) or the tag register.
#pragma once

#include <cstdint>
#include <vector>

namespace tessera::ap {

class BitVec {
 public:
  BitVec() = default;
  explicit BitVec(int size, bool value = false) : size_(size), words_((size + 63) / 64) { fill(value); }

  int size() const { return size_; }
  bool get(int i) const { return (words_[i >> 6] >> (i & 63)) & 1u; }
  void set(int i, bool v) {
    uint64_t m = uint64_t(1) << (i & 63);
    if (v) words_[i >> 6] |= m;
    else words_[i >> 6] &= ~m;
  }
  void fill(bool v) {
    for (auto& w : words_) w = v ? ~uint64_t(0) : 0;
    trim();
  }
  int count() const {
    int n = 0;
    for (auto w : words_) n += __builtin_popcountll(w);
    return n;
  }
  std::vector<uint64_t>& words() { return words_; }
  const std::vector<uint64_t>& words() const { return words_; }
  // Clears the bits past size() in the last word, so that == and count() see only real rows.
  void trim() {
    if (size_ & 63) words_.back() &= (uint64_t(1) << (size_ & 63)) - 1;
  }
  bool operator==(const BitVec& o) const { return size_ == o.size_ && words_ == o.words_; }
  bool operator!=(const BitVec& o) const { return !(*this == o); }

 private:
  int size_ = 0;
  std::vector<uint64_t> words_;
};

}  // namespace tessera::ap
