#include "arch/components/adc_range.hpp"

#include "workloads/io/toml_reader.hpp"

namespace tessera {

void AdcRange::load(const io::Section& s) {
  mode = s.string("mode", "range the codes cover: full (worst case of the array), clip (clip_ratio x worst case), "
                  "calibrated (largest sum over calibration images)", mode, {"full", "clip", "calibrated"});
  scope = s.string("scope", "calibrated: one range per array or per column", scope, {"array", "column"});
  clip_ratio = s.number("clip_ratio", "clip: fraction of the worst-case sum the codes cover", clip_ratio, 1e-9, 1);
  images = int(s.integer("images", "calibrated: number of calibration images", images, 1, 1 << 20));
  s.finish();
}

}  // namespace tessera
