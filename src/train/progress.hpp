#pragma once
// One progress line per ensemble on the terminal: networks done, the slowest
// network's iteration, mean loss and accuracy of the latest reports, time left.
// Rewritten in place (\r) on a terminal, a plain line every few seconds
// otherwise (logs of batch jobs). Under MPI the line is one rank's: it says so
// ("rank 0 of 3, its share"), and adds the job's total as last counted from
// the checkpoint folder (overall()).
#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <string>

#include "train/trainer.hpp"

namespace rnnlab {

class TerminalProgress : public ProgressSink {
 public:
  // `networks` this sink will hear of; `scope`, if not empty, says whose they are ("rank 0 of 3, its share").
  TerminalProgress(int networks, long iterations, std::FILE* out = stderr, std::string scope = "");
  // The whole job's count, finished of networks, when last counted (every rank's networks).
  void overall(int finished, int networks);
  void update(std::uint64_t seed, long iteration, double loss, double val_accuracy) override;
  void finished(std::uint64_t seed, const std::string& status, const std::string& reason) override;
  // Ends the in-place line.
  void close();

 private:
  void print_locked(bool force);
  int done_locked() const;

  struct Latest {
    long iteration = 0;
    double loss = 0, accuracy = 0;
    bool done = false;
  };
  std::mutex mutex_;
  std::map<std::uint64_t, Latest> latest_;
  int networks_;
  long iterations_;
  std::string scope_;
  int overall_finished_ = -1, overall_networks_ = 0;  // -1: not counted yet
  int printed_done_ = -1;  // networks done as of the last printed line: close() does not repeat it
  std::FILE* out_;
  bool tty_;
  std::chrono::steady_clock::time_point start_, last_print_;
};

}  // namespace rnnlab
