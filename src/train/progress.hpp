#pragma once
// One progress line per ensemble on the terminal: networks done, the slowest
// network's iteration, mean loss and accuracy of the latest reports, time left.
// Rewritten in place (\r) on a terminal, a plain line every few seconds
// otherwise (logs of batch jobs).
#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>

#include "train/trainer.hpp"

namespace rnnlab {

class TerminalProgress : public ProgressSink {
 public:
  TerminalProgress(int networks, long iterations, std::FILE* out = stderr);
  void update(std::uint64_t seed, long iteration, double loss, double val_accuracy) override;
  void finished(std::uint64_t seed, const std::string& status, const std::string& reason) override;
  // Ends the in-place line.
  void close();

 private:
  void print_locked(bool force);

  struct Latest {
    long iteration = 0;
    double loss = 0, accuracy = 0;
    bool done = false;
  };
  std::mutex mutex_;
  std::map<std::uint64_t, Latest> latest_;
  int networks_;
  long iterations_;
  std::FILE* out_;
  bool tty_;
  std::chrono::steady_clock::time_point start_, last_print_;
};

}  // namespace rnnlab
