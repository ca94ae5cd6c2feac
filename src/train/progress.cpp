#include "train/progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>

namespace rnnlab {

TerminalProgress::TerminalProgress(int networks, long iterations, std::FILE* out, std::string scope)
    : networks_(networks),
      iterations_(iterations),
      scope_(std::move(scope)),
      out_(out),
      tty_(::isatty(::fileno(out)) != 0) {
  start_ = last_print_ = std::chrono::steady_clock::now();
}

void TerminalProgress::overall(int finished, int networks) {
  std::lock_guard lock(mutex_);
  overall_finished_ = finished;
  overall_networks_ = networks;
}

void TerminalProgress::update(std::uint64_t seed, long iteration, double loss, double val_accuracy) {
  std::lock_guard lock(mutex_);
  Latest& l = latest_[seed];
  l.iteration = iteration;
  l.loss = loss;
  l.accuracy = val_accuracy;
  print_locked(false);
}

void TerminalProgress::finished(std::uint64_t seed, const std::string& status, const std::string& reason) {
  std::lock_guard lock(mutex_);
  Latest& l = latest_[seed];
  l.done = true;
  if (status != "trained") {
    fmt::print(out_, "{}network {}: {} ({})\n", tty_ ? "\r\033[K" : "", seed, status, reason);
  }
  print_locked(true);
}

void TerminalProgress::close() {
  std::lock_guard lock(mutex_);
  // The last network's finished() has usually printed the final count already.
  if (printed_done_ != done_locked()) print_locked(true);
  if (tty_) fmt::print(out_, "\n");
  std::fflush(out_);
}

int TerminalProgress::done_locked() const {
  int done = 0;
  for (const auto& [seed, l] : latest_) done += l.done;
  return done;
}

void TerminalProgress::print_locked(bool force) {
  const auto now = std::chrono::steady_clock::now();
  const double since_print = std::chrono::duration<double>(now - last_print_).count();
  if (!force && since_print < (tty_ ? 0.25 : 5.0)) return;
  last_print_ = now;

  int done = 0, reporting = 0;
  double loss = 0, accuracy = 0, work_done = 0;
  for (const auto& [seed, l] : latest_) {
    done += l.done;
    work_done += l.done ? static_cast<double>(iterations_) : static_cast<double>(l.iteration);
    if (l.iteration > 0) {
      ++reporting;
      loss += l.loss;
      accuracy += l.accuracy;
    }
  }
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double total_work = static_cast<double>(networks_) * static_cast<double>(iterations_);
  const double fraction = total_work > 0 ? std::min(1.0, work_done / total_work) : 1.0;
  const std::string left = fraction > 0.01 ? fmt::format("{:.0f}s left", elapsed * (1 - fraction) / fraction) : "--";
  std::string line = fmt::format("train{}: {}/{} networks done | {:3.0f}% | loss {:.4g} | accuracy {:.3f} | {:.0f}s, {}",
                                 scope_.empty() ? "" : " (" + scope_ + ")", done, networks_, 100 * fraction,
                                 reporting ? loss / reporting : 0.0, reporting ? accuracy / reporting : 0.0, elapsed,
                                 left);
  if (overall_finished_ >= 0)
    line += fmt::format(" | all ranks: {}/{} finished", overall_finished_, overall_networks_);
  printed_done_ = done;
  if (tty_)
    fmt::print(out_, "\r\033[K{}", line);
  else
    fmt::print(out_, "{}\n", line);
  std::fflush(out_);
}

}  // namespace rnnlab
