// Fuzzing the experiment file: a small trained file (robustness_support.hpp),
// damaged in seeded random ways (truncations, bit flips, datasets replaced by
// wrong shapes, wrong dtypes, absurd declared sizes, dangling links, bad
// attributes), goes through eval, info, analyze --spectrum and analyze
// --fixed-points. Whatever the damage: no crash (signal), no hang (timeout),
// and every refusal is exit 1 or 2 with a message on stderr.
#include <gtest/gtest.h>

#include <cstdio>
#include <limits>
#include <random>
#include <fstream>

#include "io/h5.hpp"
#include "robustness_support.hpp"

namespace rnnlab {
namespace {

namespace fs = std::filesystem;
using namespace robustness_support;

// The arrays of network 1 and 2, and a curve, that a mutation may replace.
const char* const kDatasets[] = {
    "networks/1/trained/w_rec", "networks/1/trained/w_in", "networks/1/trained/w_out", "networks/1/trained/b",
    "networks/1/trained/b_out", "networks/1/trained/x0",   "networks/2/initial/w_rec", "networks/2/trained/w_rec",
    "networks/2/train/loss",    "networks/1/trained/mask_rec",
};

struct Mutation {
  std::string what;
  // True when the damage certainly makes the file invalid (not a bit flip
  // that may land in a weight's mantissa): every command must refuse it, exit 2.
  bool invalid = false;
};

// Applies mutation `kind` to `file`, drawing its details from `rng`.
Mutation mutate(const std::string& file, int kind, std::mt19937_64& rng) {
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  const std::string dataset = kDatasets[pick(std::size(kDatasets))];
  const bool is_curve = dataset.find("/train/") != std::string::npos;
  switch (kind) {
    case 0: {  // truncation
      std::vector<char> bytes = file_bytes(file);
      const std::size_t keep = pick(bytes.size());
      bytes.resize(keep);
      write_bytes(file, bytes);
      return {fmt::format("truncated to {} bytes", keep)};
    }
    case 1: {  // bit flips
      std::vector<char> bytes = file_bytes(file);
      const int flips = 1 + static_cast<int>(pick(8));
      std::string where;
      for (int i = 0; i < flips; ++i) {
        const std::size_t at = pick(bytes.size());
        bytes[at] = static_cast<char>(bytes[at] ^ (1 << pick(8)));
        where += fmt::format(" {}", at);
      }
      write_bytes(file, bytes);
      return {fmt::format("{} bit flip(s) at bytes{}", flips, where)};
    }
    case 2: {  // a wrong shape (by chance it may be the right one, or any 1-D for a curve)
      std::vector<hsize_t> original;
      {
        std::lock_guard lock(h5_lock());
        H5::H5File f(file, H5F_ACC_RDONLY);
        if (h5::exists(f, dataset)) original = h5::shape(f, dataset);
      }
      std::vector<hsize_t> dims(pick(4));
      for (hsize_t& d : dims) d = pick(12);
      replace_dataset(file, dataset, dims, 0.25);
      const bool valid = dims == original || (is_curve && dims.size() == 1);
      return {fmt::format("{} replaced by shape {}", dataset, h5::shape_text(dims)), !valid};
    }
    case 3:  // a wrong dtype
      replace_with_strings(file, dataset);
      return {dataset + " replaced by strings", true};
    case 4: {  // an absurd declared size
      const std::vector<hsize_t> dims = pick(2) ? std::vector<hsize_t>{1ULL << 40} : std::vector<hsize_t>{1ULL << 24, 1ULL << 24};
      replace_dataset(file, dataset, dims, 0, /*chunked=*/true);
      return {fmt::format("{} declared as {}", dataset, h5::shape_text(dims)), true};
    }
    case 5: {  // a dangling soft link where a dataset was
      std::lock_guard lock(h5_lock());
      H5::H5File f(file, H5F_ACC_RDWR);
      if (h5::exists(f, dataset)) f.unlink(dataset);  // a dense mask_rec is not stored
      H5Lcreate_soft("/nowhere/at/all", f.getId(), dataset.c_str(), H5P_DEFAULT, H5P_DEFAULT);
      return {dataset + " replaced by a dangling link", true};
    }
    default: {  // an attribute a simulation would use
      const double values[] = {std::numeric_limits<double>::quiet_NaN(), -1.0, 0.0, 1e300,
                               std::numeric_limits<double>::infinity()};
      const char* names[] = {"alpha", "dt"};
      const char* name = names[pick(2)];
      const double value = values[pick(std::size(values))];
      set_double_attr(file, pick(2) ? "networks/1" : "networks/2", name, value);
      // dt = 1e300 is a (strange) valid step.
      return {fmt::format("@{} = {}", name, value), !(std::string(name) == "dt" && value == 1e300)};
    }
  }
}

TEST(Fuzz, DamagedExperimentFilesNeverCrashOrHang) {
  ASSERT_FALSE(base_file().empty());
  H5::Exception::dontPrint();
  const fs::path dir = testing_support::fresh_test_dir("rnnlab-fuzz");
  std::mt19937_64 rng(20261129);
  constexpr int kKinds = 7;
  constexpr int kMutants = 42;  // six of each kind
  const char* const commands[] = {"eval {} --trials 8", "info {}", "analyze {} --spectrum",
                                  "analyze {} --fixed-points --starts 8 --trials 8"};
  int refused = 0, accepted = 0;
  for (int m = 0; m < kMutants; ++m) {
    const std::string file = (dir / fmt::format("mutant-{}.h5", m)).string();
    fs::copy_file(base_file(), file, fs::copy_options::overwrite_existing);
    Mutation mutation;
    try {
      mutation = mutate(file, m % kKinds, rng);
    } catch (const H5::Exception& e) {
      ADD_FAILURE() << "mutation " << m << " failed: " << e.getDetailMsg();
      continue;
    }
    for (const char* command : commands) {
      const std::string args = fmt::format(fmt::runtime(command), file);
      const Outcome o = run_with_timeout(args, dir);
      SCOPED_TRACE(fmt::format("mutant {} ({}): rnnlab {}", m, mutation.what, args));
      EXPECT_EQ(o.signal, 0) << "crashed or hung (signal " << o.signal << "); stderr: " << o.err;
      if (o.signal != 0) continue;
      EXPECT_TRUE(o.code == 0 || o.code == 1 || o.code == 2) << "exit " << o.code << "; stderr: " << o.err;
      if (mutation.invalid) {
        EXPECT_EQ(o.code, 2) << "an invalid file must be refused as bad input; stderr: " << o.err;
      }
      if (o.code == 0) {
        ++accepted;
        continue;
      }
      ++refused;
      EXPECT_TRUE(o.err.find("rnnlab: error: ") != std::string::npos ||
                  o.err.find("rnnlab: failed: ") != std::string::npos)
          << "a refusal needs a message on stderr, got: " << o.err;
    }
  }
  std::printf("fuzz: %d runs refused, %d accepted\n", refused, accepted);
  // The damage must reach the reader: most mutants are refused.
  EXPECT_GT(refused, accepted) << refused << " refused, " << accepted << " accepted";
  fs::remove_all(dir);
}

}  // namespace
}  // namespace rnnlab
