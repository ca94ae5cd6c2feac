// `rnnlab report` (docs/report.md): what the page embeds, bad input, and the
// page itself in a real browser (headless Chromium driven by
// tests/report/check_report.js; skipped, saying so, only without chromium or node).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "io/experiment_file.hpp"
#include "io/h5.hpp"
#include "test_support.hpp"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using rnnlab::testing_support::CommandResult;

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// The JSON block <script type="application/json" id="ID"> of a page.
json json_block(const std::string& html, const std::string& id) {
  const std::string open = "<script type=\"application/json\" id=\"" + id + "\">";
  const std::size_t start = html.find(open);
  if (start == std::string::npos) return nullptr;
  const std::size_t from = start + open.size();
  return json::parse(html.substr(from, html.find("</script>", from) - from));
}

// A path the shell finds, or "".
std::string which(const std::string& program) {
  const fs::path log = fs::temp_directory_path() / fmt::format("rnnlab-which-{}.log", ::getpid());
  const CommandResult r = rnnlab::testing_support::run_shell("command -v " + program, log);
  fs::remove(log);
  std::string path = r.output.substr(0, r.output.find('\n'));
  return r.code == 0 ? path : "";
}

class Report : public ::testing::Test {
 protected:
  void SetUp() override { dir = rnnlab::testing_support::fresh_test_dir("rnnlab-report-test"); }
  void TearDown() override { fs::remove_all(dir); }
  CommandResult run(const std::string& args, const std::string& env = "") {
    const fs::path log = dir / "command.log";
    CommandResult r = rnnlab::testing_support::run_shell(fmt::format("{} {} {}", env, RNNLAB_BINARY, args), log);
    fs::remove(log);
    return r;
  }
  fs::path dir;
};

// Two small networks with known weights and curves; the first one's reason
// holds "</script>", which must not end the page's data block early.
rnnlab::Experiment known_experiment() {
  rnnlab::Experiment e;
  e.config = "[task]\nname = \"flipflop\"\n";
  e.rnnlab_version = "0.1.0";
  for (int k = 0; k < 2; ++k) {
    rnnlab::NetworkRecord r;
    r.seed = static_cast<std::uint64_t>(7 + k);
    r.status = "trained";
    r.status_reason = k == 0 ? "</script><b>not markup" : "reached 3 iterations";
    r.iterations = 3;
    rnnlab::Network net;
    const int n = 3;
    net.w_in = Eigen::MatrixXd::Constant(n, 1, 0.5);
    net.w_rec = Eigen::MatrixXd::Zero(n, n);
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j) net.w_rec(i, j) = 0.1 * (i + 1) - 0.01 * j + k;
    net.w_out = Eigen::MatrixXd::Constant(1, n, 0.25);
    net.b = Eigen::VectorXd::Zero(n);
    net.b_out = Eigen::VectorXd::Zero(1);
    net.x0 = Eigen::VectorXd::Zero(n);
    net.alpha = 0.2;
    net.dt = 10.0;
    r.initial = net;
    r.trained = net;
    r.curves.iteration = {1, 2, 3};
    r.curves.loss = {0.9, 0.5, 0.123456789};
    r.curves.val_loss = {1.0, 0.6, 0.3};
    r.curves.val_accuracy = {0.25, 0.5, 0.75 + 0.125 * k};
    r.curves.wall_time = {0.1, 0.2, 0.3};
    e.networks.push_back(r);
  }
  return e;
}

TEST_F(Report, EmbedsEachNetworkAsItsOwnBlockWithTheFilesNumbers) {
  const fs::path h5 = dir / "known.h5";
  rnnlab::write_experiment(h5.string(), known_experiment());
  const CommandResult r = run(fmt::format("report {} -o {}", h5.string(), (dir / "page.html").string()));
  ASSERT_EQ(r.code, 0) << r.output;
  const std::string html = read_text(dir / "page.html");
  // plotly, the index, two networks, the page's script: five script elements
  // and five closing tags, whatever the data hold.
  EXPECT_EQ(count_of(html, "<script"), 5u);
  EXPECT_EQ(count_of(html, "</script>"), 5u);

  const json index = json_block(html, "rnnlab-index");
  ASSERT_TRUE(index.is_object());
  ASSERT_EQ(index["networks"].size(), 2u);
  EXPECT_EQ(index["networks"][0]["key"], "7");
  EXPECT_EQ(index["networks"][0]["status_reason"], "</script><b>not markup");
  EXPECT_DOUBLE_EQ(index["networks"][1]["val_accuracy"].get<double>(), 0.875);
  EXPECT_DOUBLE_EQ(index["networks"][0]["loss"].get<double>(), 0.123457) << "curves at 6 significant digits";
  EXPECT_EQ(index["networks"][0]["units"], 3);

  const json net = json_block(html, "net-1");
  ASSERT_TRUE(net.is_object());
  EXPECT_DOUBLE_EQ(net["@"]["alpha"].get<double>(), 0.2);
  const json& w = net["trained"]["w_rec"];
  EXPECT_EQ(w["shape"], json::array({3, 3}));
  // W[i, j] from j to i, rows as stored: W[2, 1] = 0.3 - 0.01 + 1.
  EXPECT_NEAR(w["data"][2][1].get<double>(), 1.29, 1e-12);
  EXPECT_TRUE(json_block(html, "net-2").is_null());
}

TEST_F(Report, ComplexEigenvaluesOfTheSpectrumAnalysisArriveAsRealAndImaginaryParts) {
  const fs::path h5 = dir / "known.h5";
  rnnlab::write_experiment(h5.string(), known_experiment());
  ASSERT_EQ(run(fmt::format("analyze {} --spectrum", h5.string())).code, 0);
  ASSERT_EQ(run(fmt::format("report {}", h5.string())).code, 0);
  const std::string html = read_text(dir / "report.html");  // default: beside the file
  const json eig = json_block(html, "net-0")["analysis"]["spectrum"]["trained"]["eigenvalues"];
  Eigen::VectorXcd stored;
  {
    std::lock_guard lock(rnnlab::h5_lock());
    H5::H5File f(h5.string(), H5F_ACC_RDONLY);
    stored = rnnlab::h5::read_complex_vector(f.openGroup("networks/7/analysis/spectrum/trained"), "eigenvalues");
  }
  ASSERT_EQ(eig["re"].size(), static_cast<std::size_t>(stored.size()));
  for (Eigen::Index k = 0; k < stored.size(); ++k) {
    EXPECT_NEAR(eig["re"][k].get<double>(), stored[k].real(), 1e-3 * std::abs(stored[k]) + 1e-12);
    EXPECT_NEAR(eig["im"][k].get<double>(), stored[k].imag(), 1e-3 * std::abs(stored[k]) + 1e-12);
  }
}

TEST_F(Report, BadInputExitsTwoNamingTheFileAndWritesNothing) {
  const fs::path text = dir / "notes.h5";
  std::ofstream(text) << "not hdf5\n";
  const fs::path plain = dir / "plain.h5";
  {
    std::lock_guard lock(rnnlab::h5_lock());
    H5::H5File f(plain.string(), H5F_ACC_TRUNC);
    f.createGroup("something");
  }
  for (const fs::path& input : {text, plain, dir / "absent.h5"}) {
    const CommandResult r = run(fmt::format("report {} -o {}", input.string(), (dir / "out.html").string()));
    EXPECT_EQ(r.code, 2) << r.output;
    EXPECT_NE(r.output.find(input.string()), std::string::npos) << r.output;
    EXPECT_FALSE(fs::exists(dir / "out.html"));
  }
}

TEST_F(Report, WithoutPlotlyItFailsSayingHowToInstallItAndKeepsTheOldPage) {
  const fs::path h5 = dir / "known.h5";
  rnnlab::write_experiment(h5.string(), known_experiment());
  std::ofstream(dir / "report.html") << "the old page";
  const CommandResult r = run(fmt::format("report {}", h5.string()), "RNNLAB_PLOTLY_JS=" + (dir / "none.js").string());
  EXPECT_EQ(r.code, 1) << r.output;
  EXPECT_NE(r.output.find("scripts/install-deps.sh"), std::string::npos) << r.output;
  EXPECT_EQ(read_text(dir / "report.html"), "the old page");
  for (const auto& entry : fs::directory_iterator(dir))
    EXPECT_EQ(entry.path().filename().string().find(".tmp-"), std::string::npos) << entry.path();
}

// The page in headless Chromium: rows, panels, boundary, filters, census clicks.
TEST_F(Report, OpensInHeadlessChromium) {
  const std::string chromium = which("chromium");
  const std::string node = which("node");
  if (chromium.empty() || node.empty())
    GTEST_SKIP() << "SKIPPED the browser test of rnnlab report: " << (chromium.empty() ? "chromium" : "node")
                 << " is not installed (scripts/install-deps.sh installs it)";
  const fs::path puppeteer = fs::path(RNNLAB_SOURCE_DIR) / "third_party/node_modules/puppeteer-core";
  ASSERT_TRUE(fs::exists(puppeteer / "package.json"))
      << "puppeteer-core is missing from third_party/node_modules: run scripts/install-deps.sh";
  // Two sweep points of two seeds, every analysis (rnnlab run): a census
  // whose sweep categories each hold half the networks.
  std::ofstream(dir / "sweep.toml") << R"([task]
name = "simple_dm"
[model]
units = 12
dt = 5.0
tau = 50.0
[train]
iterations = 20
batch = 16
validate_every = 10
seed = 1
[ensemble]
seeds = 2
[sweep]
"model.units" = [8, 12]
)";
  const CommandResult trained =
      run(fmt::format("run {} -o {} -q --threads 2", (dir / "sweep.toml").string(), (dir / "run").string()));
  ASSERT_EQ(trained.code, 0) << trained.output;
  EXPECT_TRUE(fs::exists(dir / "run/report.html")) << "rnnlab run writes the report beside results.h5";
  const fs::path page = dir / "run/page.html";
  ASSERT_EQ(run(fmt::format("report {} -o {}", (dir / "run/results.h5").string(), page.string())).code, 0);
  const fs::path log = dir / "browser.log";
  const CommandResult browser = rnnlab::testing_support::run_shell(
      fmt::format("{} {}/tests/report/check_report.js {} 4 0.1 {} {}", node, RNNLAB_SOURCE_DIR, page.string(),
                  chromium, puppeteer.string()),
      log);
  EXPECT_EQ(browser.code, 0) << browser.output;
  EXPECT_NE(browser.output.find("ok: no console errors"), std::string::npos) << browser.output;
}

}  // namespace
