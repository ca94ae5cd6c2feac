#include "util/thread_pool.hpp"

namespace rnnlab {

ThreadPool::ThreadPool(int threads) {
  for (int i = 1; i < threads; ++i) workers_.emplace_back([this] { worker_loop(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& w : workers_) w.join();
}

// Takes job indices until none is left. Called with mutex_ unlocked.
void ThreadPool::work_on_current_call() {
  std::unique_lock lock(mutex_);
  ++busy_;
  while (next_ < count_) {
    const int i = next_++;
    lock.unlock();
    std::exception_ptr error;
    try {
      (*job_)(i);
    } catch (...) {
      error = std::current_exception();
    }
    lock.lock();
    if (error && !error_) {
      error_ = error;
      next_ = count_;  // skip the rest
    }
  }
  if (--busy_ == 0) done_.notify_all();
}

void ThreadPool::worker_loop() {
  long seen = 0;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || generation_ != seen; });
      if (stopping_) return;
      seen = generation_;
    }
    work_on_current_call();
  }
}

void ThreadPool::run(int count, const std::function<void(int)>& job) {
  if (workers_.empty() || count <= 1) {
    for (int i = 0; i < count; ++i) job(i);
    return;
  }
  std::lock_guard call(call_mutex_);
  {
    std::lock_guard lock(mutex_);
    job_ = &job;
    count_ = count;
    next_ = 0;
    error_ = nullptr;
    ++generation_;
  }
  wake_.notify_all();
  work_on_current_call();
  std::unique_lock lock(mutex_);
  // A worker that wakes late finds no job left and leaves at once; one that is
  // still inside a job keeps busy_ above zero.
  done_.wait(lock, [&] { return busy_ == 0 && next_ >= count_; });
  job_ = nullptr;
  count_ = 0;
  if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
}

}  // namespace rnnlab
