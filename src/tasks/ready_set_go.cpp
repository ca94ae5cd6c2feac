// ready_set_go: interval reproduction (Jazayeri & Shadlen 2010). A "ready"
// flash and a "set" flash are separated by a sample interval; the output must
// emit a "go" pulse that same interval after set. The network has to measure
// an interval and then produce it, the classic test of neural timing.
#include <cmath>
#include <string>

#include "tasks/common.hpp"

namespace rnnlab {
namespace {

using namespace taskkit;

class ReadySetGo final : public Task {
 public:
  ReadySetGo(const ParamValues& p, double dt)
      : dt_(dt),
        ready_(steps_of(number(p, "ready_onset"), dt)),
        flash_(steps_at_least_one(number(p, "flash"), dt)),
        interval_min_(steps_of(number(p, "interval_min"), dt)),
        interval_max_(steps_of(number(p, "interval_max"), dt)),
        go_(steps_at_least_one(number(p, "go"), dt)),
        grace_(steps_of(number(p, "grace"), dt)),
        steps_(ready_ + 2 * interval_max_ + go_ + steps_of(number(p, "tail"), dt)),
        tolerance_(number(p, "tolerance")) {
    require(interval_min_ <= interval_max_, p, "interval_min", "must not exceed " + shown(p, "interval_max"));
    require(interval_min_ > flash_, p, "interval_min", "must be longer than " + shown(p, "flash") + ", or the flashes merge");
    require(grace_ < go_, p, "grace", "must be shorter than " + shown(p, "go") + ", or nothing of the go pulse is scored");
  }

  std::string name() const override { return "ready_set_go"; }
  // Inputs: 0 ready flash, 1 set flash.
  int n_inputs() const override { return 2; }
  int n_outputs() const override { return 1; }
  int steps() const override { return steps_; }

  TrialBatch batch(int trials, Rng& rng) const override {
    TrialBatch batch = empty_batch(2, 1, steps_, trials, {"interval_ms", "set_ms", "go_ms"});
    for (int b = 0; b < trials; ++b) {
      const int interval = static_cast<int>(rng.uniform_int(interval_min_, interval_max_));
      const int set = ready_ + interval, go = set + interval;
      fill(batch.inputs, batch, 0, b, ready_, ready_ + flash_, 1.0f);
      fill(batch.inputs, batch, 1, b, set, set + flash_, 1.0f);
      fill(batch.targets, batch, 0, b, go, go + go_, 1.0f);
      mask_out(batch, b, go, go + grace_);
      mask_out(batch, b, go + go_, go + go_ + grace_);
      batch.conditions(b, 0) = interval * dt_;
      batch.conditions(b, 1) = set * dt_;
      batch.conditions(b, 2) = go * dt_;
    }
    return batch;
  }

  // Right when the output first exceeds 0.5 within tolerance * interval of the
  // go time (never before it by more, and it does cross at all).
  double accuracy(const TrialBatch& batch, const Eigen::MatrixXf& outputs) const override {
    check_outputs(batch, outputs, 1, name());
    int right = 0;
    for (int b = 0; b < batch.trials; ++b) {
      const int interval = static_cast<int>(std::lround(batch.conditions(b, 0) / dt_));
      const int go = static_cast<int>(std::lround(batch.conditions(b, 2) / dt_));
      const int slack = std::max(1, static_cast<int>(std::lround(tolerance_ * interval)));
      int first = -1;
      for (int t = 0; t < batch.steps && first < 0; ++t)
        if (outputs(0, batch.col(t, b)) > 0.5f) first = t;
      right += first >= 0 && std::abs(first - go) <= slack;
    }
    return batch.trials > 0 ? static_cast<double>(right) / batch.trials : 0.0;
  }

 private:
  double dt_;
  int ready_, flash_, interval_min_, interval_max_, go_, grace_, steps_;
  double tolerance_;
};

}  // namespace

TaskInfo ready_set_go_task() {
  return TaskInfo{
      "ready_set_go",
      "interval reproduction (Jazayeri & Shadlen 2010): ready and set flashes an interval apart, output a go "
      "pulse (height 1) that interval after set; accuracy: the output first exceeds 0.5 within tolerance * "
      "interval of the go time",
      {
          ms_param("ready_onset", 100, "time of the ready flash"),
          ms_param("flash", 20, "length of each flash"),
          ms_param("interval_min", 400, "shortest sample interval"),
          ms_param("interval_max", 800, "longest sample interval"),
          ms_param("go", 100, "length of the go pulse"),
          ms_param("tail", 100, "time after the latest possible go pulse"),
          real_param("tolerance", 0.15, "allowed timing error as a fraction of the interval", 0, 10),
          ms_param("grace", 30, "after each edge of the go pulse the loss ignores this long"),
      },
      [](const ParamValues& p, double dt) -> std::unique_ptr<Task> { return std::make_unique<ReadySetGo>(p, dt); },
  };
}

}  // namespace rnnlab
