// The columns a point's report contributes to the results store: the
// headline metrics of an estimate or simulate report (latency, throughput,
// energy by component, area, TOPS/W, EDAP, utilisation, stalls by cause),
// compare's errors, evaluate's accuracies.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "workloads/base/results_store.hpp"

namespace tessera::sweep {

// Parses a report (JSON text); throws std::runtime_error when it is not one.
std::vector<std::pair<std::string, base::Value>> report_metrics(const std::string& json_text);

}  // namespace tessera::sweep
