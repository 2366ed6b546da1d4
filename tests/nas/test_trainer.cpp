// The trainer: a tiny network learns a linearly separable problem with either
// optimizer, runs are reproducible from the seed, and a resumed run continues
// exactly like an uninterrupted one.
#include <gtest/gtest.h>

#include <filesystem>

#include "arch/device/rng.hpp"
#include "nas/trainer.hpp"
#include "workloads/ir/builder.hpp"
#include "nas_helpers.hpp"

using namespace tessera;
using namespace tessera::nas;

using tessera::nas::test::halves;

namespace {

Network tiny() {
  NetBuilder b("tiny", {1, 4, 4});
  b.flatten();
  b.linear(2, NetBuilder::kLast, "fc");
  return b.build();
}

TrainOptions quick(const std::string& optimizer) {
  TrainOptions o;
  o.optimizer = optimizer;
  o.lr = optimizer == "adam" ? 0.01 : 0.1;
  o.epochs = 4;
  o.batch_size = 16;
  o.threads = 1;
  o.seed = 3;
  return o;
}

}  // namespace

TEST(Trainer, TinyNetworkLearnsASeparableProblem) {
  const auto train_set = halves(400, 1), test_set = halves(200, 2);
  for (const char* opt : {"sgd", "adam"}) {
    std::vector<EpochReport> seen;
    TrainResult r = train(tiny(), train_set, test_set, quick(opt), [&](const EpochReport& e) { seen.push_back(e); });
    ASSERT_EQ(r.epochs.size(), 4u) << opt;
    EXPECT_EQ(seen.size(), 4u) << opt;
    EXPECT_EQ(r.parameters, 16 * 2 + 2) << opt;
    EXPECT_EQ(r.test_accuracy, 1.0) << opt;
    EXPECT_LT(r.epochs.back().train_loss, r.epochs.front().train_loss) << opt;
    EXPECT_LT(r.epochs.back().lr, 0.01 * quick(opt).lr) << opt;  // cosine schedule ends near 0
  }
}

TEST(Trainer, SameSeedSameRunWithAugmentation) {
  const auto train_set = halves(200, 1), test_set = halves(100, 2);
  TrainOptions o = quick("sgd");
  o.augment = true;
  o.crop_padding = 1;
  auto a = train(tiny(), train_set, test_set, o), b = train(tiny(), train_set, test_set, o);
  o.seed = 4;
  auto c = train(tiny(), train_set, test_set, o);
  for (size_t e = 0; e < a.epochs.size(); ++e) {
    EXPECT_EQ(a.epochs[e].train_loss, b.epochs[e].train_loss) << e;
    EXPECT_EQ(a.epochs[e].test_loss, b.epochs[e].test_loss) << e;
  }
  EXPECT_NE(a.epochs[0].train_loss, c.epochs[0].train_loss);
}

TEST(Trainer, ResumedRunMatchesAnUninterruptedOne) {
  const auto train_set = halves(200, 5), test_set = halves(100, 6);
  const std::string dir = ::testing::TempDir() + "/trainer_ckpt";
  std::filesystem::remove_all(dir);
  TrainOptions o = quick("sgd");
  o.schedule = "constant";
  o.lr = 0.01;
  TrainResult whole = train(tiny(), train_set, test_set, o);

  o.checkpoint_dir = dir;
  o.epochs = 2;
  train(tiny(), train_set, test_set, o);
  o.epochs = 4;
  o.resume = true;
  TrainResult rest = train(tiny(), train_set, test_set, o);
  ASSERT_EQ(rest.epochs.size(), 2u);
  EXPECT_EQ(rest.epochs[0].epoch, 3);
  EXPECT_EQ(rest.epochs[0].train_loss, whole.epochs[2].train_loss);
  EXPECT_EQ(rest.epochs[1].test_loss, whole.epochs[3].test_loss);
  EXPECT_EQ(evaluate_checkpoint(tiny(), dir, test_set), rest.test_accuracy);
}

TEST(Trainer, RejectsDataOfAnotherGeometry) {
  data::ImageSet wrong = halves(10, 1);
  wrong.width = wrong.height = 2;
  wrong.images.resize(40);
  try {
    train(tiny(), wrong, wrong, quick("sgd"));
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("images are 1x2x2; network 'tiny' takes 1x4x4"), std::string::npos) << e.what();
  }
}

TEST(Trainer, ProgressLine) {
  EpochReport r;
  r.epoch = 3;
  r.epochs = 10;
  r.lr = 0.0413;
  r.train_loss = 0.28411;
  r.train_accuracy = 0.8971;
  r.test_loss = 0.271;
  r.test_accuracy = 0.90851;
  r.seconds = 27.94;
  EXPECT_EQ(progress_line(r), "epoch   3/10  lr 0.04130  loss 0.2841  train  89.71%  test  90.85% (loss 0.2710)  27.9 s");
}
