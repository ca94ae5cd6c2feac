#include "report/report.hpp"

#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "report/report_data.hpp"
#include "util/error.hpp"
#include "util/text_file.hpp"

namespace rnnlab::report {

// The page's own script and style (src/report/page.js, page.css), embedded at
// build time (generated/report_assets.cpp).
extern const char* const kPageScript;
extern const char* const kPageStyle;

namespace {

namespace fs = std::filesystem;

// A script inlined in <script> must not contain "</script" (any case): in a
// JavaScript string or regular expression "<\/" means the same.
std::string inline_script(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t k = 0; k < text.size(); ++k) {
    if (text[k] == '<' && k + 7 < text.size() && text[k + 1] == '/') {
      std::string word = text.substr(k + 2, 6);
      for (char& c : word) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (word == "script") {
        out += "<\\/";
        ++k;
        continue;
      }
    }
    out += text[k];
  }
  return out;
}

std::string html_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

fs::path executable_dir() {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : self.parent_path();
}

}  // namespace

std::string find_plotly_js() {
  std::vector<fs::path> candidates;
  const char* env = std::getenv("RNNLAB_PLOTLY_JS");
  const bool chosen = env && *env;  // the user's choice is the only place looked at
  if (chosen) candidates.emplace_back(env);
  const fs::path exe = executable_dir();
  if (!chosen && !exe.empty()) {
    candidates.push_back(exe / "share/rnnlab/plotly.min.js");
    candidates.push_back(exe.parent_path() / "share/rnnlab/plotly.min.js");
  }
#ifdef RNNLAB_REPORT_SOURCE_DIR
  if (!chosen)
    candidates.push_back(fs::path(RNNLAB_REPORT_SOURCE_DIR) / "third_party/node_modules/plotly.js-dist-min/plotly.min.js");
#endif
  std::string looked;
  for (const fs::path& p : candidates) {
    std::error_code ec;
    if (fs::is_regular_file(p, ec)) return p.string();
    looked += "\n  " + p.string();
  }
  throw Error("cannot write the report: plotly.js (plotly.min.js) not found; looked in:" + looked +
              "\ninstall it with scripts/install-deps.sh (npm package plotly.js-dist-min into "
              "third_party/node_modules), or point RNNLAB_PLOTLY_JS at a plotly.min.js");
}

ReportStats write_report(const std::string& h5_path, const std::string& html_path) {
  const ReportData data = read_report_data(h5_path);  // bad input first: exit 2 before anything else
  const std::string plotly = read_text(find_plotly_js());
  if (plotly.empty()) throw Error("cannot write the report: plotly.min.js is empty");

  const std::string title = "rnnlab report: " + fs::path(h5_path).filename().string();
  std::string page;
  page.reserve(plotly.size() + 4096 + [&] {
    std::size_t n = data.networks.size() * 64;
    for (const std::string& s : data.networks) n += s.size();
    return n;
  }());
  page += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  page += "<meta name=\"generator\" content=\"rnnlab report\">\n";
  page += "<title>" + html_escape(title) + "</title>\n<style>\n";
  page += kPageStyle;
  page += "</style>\n";
  // plotly.js (MIT licence, docs/report.md), inlined so the page opens offline.
  page += "<script>\n" + inline_script(plotly) + "\n</script>\n</head>\n<body>\n";
  page += "<div id=\"app\"><p>Loading...</p></div>\n";
  page += "<script type=\"application/json\" id=\"rnnlab-index\">" + json_for_script(data.index) + "</script>\n";
  // Each network's data in its own block, parsed only when it is opened.
  for (std::size_t k = 0; k < data.networks.size(); ++k)
    page += "<script type=\"application/json\" id=\"net-" + std::to_string(k) + "\">" + data.networks[k] +
            "</script>\n";
  page += "<script>\n";
  page += inline_script(kPageScript);
  page += "\n</script>\n</body>\n</html>\n";

  // Atomic: a temporary file beside the target, renamed over it when complete.
  const fs::path target(html_path);
  if (target.has_parent_path()) {
    std::error_code ec;
    if (!fs::is_directory(target.parent_path(), ec))
      throw InputError("cannot write '" + html_path + "': no folder " + target.parent_path().string());
  }
  write_text_atomically(html_path, page);
  return ReportStats{static_cast<int>(data.networks.size()), page.size()};
}

}  // namespace rnnlab::report
