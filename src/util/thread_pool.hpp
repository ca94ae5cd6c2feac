#pragma once
// A fixed set of worker threads that run the jobs 0 .. count-1 of one call
// and return when all are done; the calling thread works too. Which thread
// runs which job is left to chance, so a caller that wants the same bits for
// any thread count gives every job its own output and combines them in job
// order afterwards (train/bptt.cpp does so for the chunks of a batch).
#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace rnnlab {

class ThreadPool {
 public:
  // threads <= 1: no workers, every job runs on the calling thread.
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int threads() const { return static_cast<int>(workers_.size()) + 1; }

  // Runs job(0) .. job(count - 1). The first exception a job throws is
  // rethrown here once every started job has finished; the jobs not yet
  // started are skipped. Calls from several threads run one after another.
  void run(int count, const std::function<void(int)>& job);

 private:
  void work_on_current_call();
  void worker_loop();

  std::vector<std::thread> workers_;
  std::mutex call_mutex_;  // one run() at a time
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  const std::function<void(int)>* job_ = nullptr;
  int count_ = 0, next_ = 0, busy_ = 0;
  long generation_ = 0;
  bool stopping_ = false;
  std::exception_ptr error_;
};

}  // namespace rnnlab
