// A gradient-boosted regression model (XGBoost's C API), as AnalogNAS's
// surrogate: trained on the candidates evaluated so far, it predicts the
// score of candidates not yet evaluated. One thread, fixed seed: deterministic.
#pragma once

#include <cstdint>
#include <vector>

namespace tessera::search {

struct BoosterOptions {
  int rounds = 50;       // boosting rounds
  int max_depth = 4;
  double eta = 0.3;      // learning rate
  uint64_t seed = 0;
};

class GradientBoostedModel {
 public:
  // rows: one feature vector per sample (all the same length); targets: one per row.
  GradientBoostedModel(const std::vector<std::vector<float>>& rows, const std::vector<float>& targets,
                       const BoosterOptions& opt);
  ~GradientBoostedModel();
  GradientBoostedModel(const GradientBoostedModel&) = delete;
  GradientBoostedModel& operator=(const GradientBoostedModel&) = delete;

  std::vector<float> predict(const std::vector<std::vector<float>>& rows) const;

 private:
  void* booster_ = nullptr;  // BoosterHandle
};

}  // namespace tessera::search
