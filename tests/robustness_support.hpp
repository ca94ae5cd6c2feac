#pragma once
// Shared by test_robustness.cpp and test_fuzz.cpp: a small trained experiment
// file made once per test binary, and edits that damage copies of it the way a
// corrupted or hand-edited file would (through the HDF5 C++ API).
#include <H5Cpp.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include "io/experiment_file.hpp"
#include "test_support.hpp"

namespace rnnlab::robustness_support {

namespace fs = std::filesystem;

// flipflop, 8 units, 2 seeds (networks 1 and 2), 20 iterations.
inline const char* const kBaseConfig = rnnlab::testing_support::kTinyFlipflop;

// The trained file, made by the binary on first use and kept for the process.
inline const std::string& base_file() {
  static std::once_flag once;
  static std::string path;
  std::call_once(once, [] {
    const fs::path dir = fs::temp_directory_path() / fmt::format("rnnlab-robust-base-{}", ::getpid());
    fs::remove_all(dir);
    fs::create_directories(dir);
    const std::string config = (dir / "base.toml").string();
    std::ofstream(config) << kBaseConfig;
    path = (dir / "base.h5").string();
    const testing_support::CommandResult r = testing_support::run_rnnlab(
        fmt::format("train {} -o {} --seeds 2 --quiet --threads 1", config, path), dir / "train.log");
    if (r.code != 0) {
      ADD_FAILURE() << "training the base file failed: " << r.output;
      path.clear();
    }
  });
  return path;
}

inline std::vector<char> file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void write_bytes(const std::string& path, const std::vector<char>& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Replaces the dataset at `path` (inside `file`) by a float64 one of shape
// `dims` filled with `value`; `chunked` declares it without writing any data,
// so a shape of petabytes costs nothing on disk.
inline void replace_dataset(const std::string& file, const std::string& path, const std::vector<hsize_t>& dims,
                            double value = 0.5, bool chunked = false) {
  std::lock_guard lock(h5_lock());
  H5::H5File f(file, H5F_ACC_RDWR);
  if (H5Lexists(f.getId(), path.c_str(), H5P_DEFAULT) > 0) f.unlink(path);
  H5::DataSpace space(static_cast<int>(dims.size()), dims.data());
  H5::DSetCreatPropList plist;
  if (chunked) {
    std::vector<hsize_t> chunk(dims.size(), 4);
    plist.setChunk(static_cast<int>(chunk.size()), chunk.data());
  }
  H5::DataSet ds = f.createDataSet(path, H5::PredType::IEEE_F64LE, space, plist);
  if (!chunked) {
    hsize_t count = 1;
    for (hsize_t d : dims) count *= d;
    std::vector<double> data(count, value);
    if (count > 0) ds.write(data.data(), H5::PredType::NATIVE_DOUBLE);
  }
}

// Replaces the dataset at `path` by a string dataset of the same length (a wrong dtype).
inline void replace_with_strings(const std::string& file, const std::string& path) {
  std::lock_guard lock(h5_lock());
  H5::H5File f(file, H5F_ACC_RDWR);
  if (H5Lexists(f.getId(), path.c_str(), H5P_DEFAULT) > 0) f.unlink(path);
  const hsize_t n = 8;
  H5::DataSpace space(1, &n);
  H5::StrType type(H5::PredType::C_S1, 4);
  H5::DataSet ds = f.createDataSet(path, type, space);
  const std::string text(n * 4, 'x');
  ds.write(text.data(), type);
}

// Sets a float64 attribute (replacing it) on the object at `path`.
inline void set_double_attr(const std::string& file, const std::string& path, const std::string& name,
                            double value) {
  std::lock_guard lock(h5_lock());
  H5::H5File f(file, H5F_ACC_RDWR);
  H5::Group g = f.openGroup(path);
  if (g.attrExists(name)) g.removeAttr(name);
  H5::Attribute a = g.createAttribute(name, H5::PredType::IEEE_F64LE, H5::DataSpace(H5S_SCALAR));
  a.write(H5::PredType::NATIVE_DOUBLE, &value);
}

// Sets a long attribute (replacing it) on the object at `path`.
inline void set_long_attr(const std::string& file, const std::string& path, const std::string& name, long value) {
  std::lock_guard lock(h5_lock());
  H5::H5File f(file, H5F_ACC_RDWR);
  H5::Group g = f.openGroup(path);
  if (g.attrExists(name)) g.removeAttr(name);
  H5::Attribute a = g.createAttribute(name, H5::PredType::STD_I64LE, H5::DataSpace(H5S_SCALAR));
  a.write(H5::PredType::NATIVE_LONG, &value);
}

// Every file under `dir` (recursively) whose name holds ".tmp".
inline std::vector<std::string> temporaries_under(const fs::path& dir) {
  std::vector<std::string> found;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); it != fs::recursive_directory_iterator(); it.increment(ec))
    if (it->path().filename().string().find(".tmp") != std::string::npos) found.push_back(it->path().string());
  return found;
}

// What a fuzzed run of the binary did.
struct Outcome {
  int code = -1;  // exit status; -1 if killed by a signal
  int signal = 0;
  std::string err;
};

// Runs `rnnlab ARGS` in `dir` (stdout and stderr to files there), killed
// after `seconds`; `env` ("NAME=value ...") is prepended to the command.
inline Outcome run_with_timeout(const std::string& args, const fs::path& dir, int seconds = 30,
                                const std::string& env = "") {
  const fs::path err = dir / "err.log";
  const std::string command = fmt::format("{} timeout -s KILL {} {} {} > {} 2> {}", env, seconds, RNNLAB_BINARY, args,
                                          (dir / "out.log").string(), err.string());
  const int status = std::system(command.c_str());
  std::ifstream in(err);
  std::stringstream ss;
  ss << in.rdbuf();
  Outcome o;
  o.err = ss.str();
  if (WIFEXITED(status)) o.code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) o.signal = WTERMSIG(status);
  // The shell reports its child's signal as 128 + n; timeout -s KILL as 137.
  if (o.code > 128) o.signal = o.code - 128;
  return o;
}

}  // namespace rnnlab::robustness_support
