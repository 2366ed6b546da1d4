#include "nas/search/surrogate_model.hpp"

#include <xgboost/c_api.h>

#include <stdexcept>
#include <string>

namespace tessera::search {

namespace {

void check(int rc, const char* what) {
  if (rc != 0) throw std::runtime_error(std::string("xgboost ") + what + ": " + XGBGetLastError());
}

// A dense matrix owned for the duration of one call.
struct Matrix {
  DMatrixHandle h = nullptr;
  explicit Matrix(const std::vector<std::vector<float>>& rows) {
    if (rows.empty()) throw std::invalid_argument("xgboost: no rows");
    const size_t cols = rows.front().size();
    std::vector<float> flat;
    flat.reserve(rows.size() * cols);
    for (const auto& r : rows) {
      if (r.size() != cols) throw std::invalid_argument("xgboost: rows of different lengths");
      flat.insert(flat.end(), r.begin(), r.end());
    }
    check(XGDMatrixCreateFromMat(flat.data(), bst_ulong(rows.size()), bst_ulong(cols), -1e30f, &h), "matrix");
  }
  ~Matrix() { XGDMatrixFree(h); }
};

}  // namespace

GradientBoostedModel::GradientBoostedModel(const std::vector<std::vector<float>>& rows, const std::vector<float>& targets,
                                           const BoosterOptions& opt) {
  if (rows.size() != targets.size()) throw std::invalid_argument("xgboost: one target per row");
  Matrix m(rows);
  check(XGDMatrixSetFloatInfo(m.h, "label", targets.data(), bst_ulong(targets.size())), "labels");
  BoosterHandle b = nullptr;
  check(XGBoosterCreate(&m.h, 1, &b), "create");
  booster_ = b;
  const std::pair<const char*, std::string> params[] = {
      {"objective", "reg:squarederror"}, {"tree_method", "exact"}, {"nthread", "1"},
      {"max_depth", std::to_string(opt.max_depth)}, {"eta", std::to_string(opt.eta)},
      {"seed", std::to_string(opt.seed % 2147483647u)}, {"verbosity", "0"}};
  for (const auto& [k, v] : params) check(XGBoosterSetParam(b, k, v.c_str()), k);
  for (int i = 0; i < opt.rounds; ++i) check(XGBoosterUpdateOneIter(b, i, m.h), "train");
}

GradientBoostedModel::~GradientBoostedModel() { XGBoosterFree(booster_); }

std::vector<float> GradientBoostedModel::predict(const std::vector<std::vector<float>>& rows) const {
  Matrix m(rows);
  bst_ulong len = 0;
  const float* out = nullptr;
  check(XGBoosterPredict(booster_, m.h, 0, 0, 0, &len, &out), "predict");
  return std::vector<float>(out, out + len);
}

}  // namespace tessera::search
