// Reading and applying [sweep]. Each value is checked by the same Field that
// reads the key in its own section, so a sweep accepts exactly what the
// section would, with the same messages; the full config of every point is
// then checked by parse_config (io/config.cpp) before any work starts.
#include "io/config_sweep.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "io/config_schema.hpp"
#include "util/suggest.hpp"

namespace rnnlab::config_detail {

namespace {

// The sections whose keys may be swept. [task] is not among them: the analyses
// run every network of a file on the file's one task.
const std::vector<std::string> kSweptSections = {"model", "train"};

// Every point's config is built and checked up front; beyond this many that
// alone would take minutes, and the point count must fit an int.
constexpr int kMaxPoints = 100000;

std::vector<std::string> sweepable_keys() {
  std::vector<std::string> keys;
  for (const auto& key : keys_of(model_fields())) keys.push_back("model." + key);
  for (const auto& key : keys_of(train_fields()))
    if (key != "seed") keys.push_back("train." + key);
  return keys;
}

// Nested tables ([sweep.model] units = [...], or --set sweep.model.units=[...])
// become dotted keys, as if written "model.units" = [...].
void flatten(const toml::table& table, const std::string& prefix,
             std::vector<std::pair<std::string, const toml::node*>>& out) {
  for (const auto& [key, node] : table) {
    const std::string dotted = prefix + std::string(key.str());
    if (const toml::table* inner = node.as_table())
      flatten(*inner, dotted + ".", out);
    else
      out.emplace_back(dotted, &node);
  }
}

// Checks each value of one axis with the key's Field; returns them as canonical text.
template <class S>
std::vector<std::string> read_values(const std::vector<Field<S>>& fields, const std::string& key,
                                     const std::string& dotted, const toml::array& values, const std::string& origin) {
  const auto field = std::find_if(fields.begin(), fields.end(), [&](const Field<S>& f) { return f.key == key; });
  std::vector<std::string> texts;
  for (const toml::node& value : values) {
    S scratch;
    field->read(scratch, value, dotted, origin);
    const std::string text = field->write(scratch);
    if (std::find(texts.begin(), texts.end(), text) != texts.end())
      fail(origin, fmt::format("{} lists the value {} twice: each point of a sweep must differ", dotted, text));
    texts.push_back(text);
  }
  return texts;
}

SweepAxis read_axis(const std::string& dotted, const toml::node& node, const std::string& origin) {
  const std::string where = origin + ": in [sweep]";
  const auto dot = dotted.find('.');
  const std::string section = dot == std::string::npos ? "" : dotted.substr(0, dot);
  const std::string key = dot == std::string::npos ? dotted : dotted.substr(dot + 1);
  const bool known_section = std::find(kSweptSections.begin(), kSweptSections.end(), section) != kSweptSections.end();
  if (section == "task" || section == "ensemble" || section == "output" || section == "analysis")
    fail(where, fmt::format("'{}' cannot be swept: only [model] and [train] keys can (the analyses run every "
                            "network of a file on its one task; the seeds are the sweep's other axis)",
                            dotted));
  if (dotted == "train.seed")
    fail(where, "'train.seed' cannot be swept: the seeds are the sweep's other axis (ensemble.seeds networks, "
                "seeds train.seed, train.seed + 1, ..., at every point)");
  const auto keys = sweepable_keys();
  if (!known_section || std::find(keys.begin(), keys.end(), dotted) == keys.end()) {
    std::string hint = did_you_mean(dotted, keys);
    // A bare key ("units") most likely meant its section's.
    if (hint.empty() && dot == std::string::npos) hint = did_you_mean("model." + dotted, keys);
    if (hint.empty() && dot == std::string::npos) hint = did_you_mean("train." + dotted, keys);
    if (hint.empty()) hint = " (sweep keys are written section.key, a key of [model] or [train])";
    fail(where, "unknown key '" + dotted + "'" + hint);
  }
  const toml::array* values = node.as_array();
  if (!values)
    fail(where, fmt::format("{} = {} has the wrong type: expected an array of the values to sweep, e.g. "
                            "\"{}\" = [{}, ...], got {}",
                            dotted, render(node), dotted, render(node), type_name(node)));
  if (values->empty()) fail(where, dotted + " = [] is empty: give the values to sweep (at least one)");
  SweepAxis axis;
  axis.key = dotted;
  axis.values = section == "model" ? read_values(model_fields(), key, dotted, *values, where)
                                   : read_values(train_fields(), key, dotted, *values, where);
  return axis;
}

}  // namespace

Sweep take_sweep(toml::table& root, const Origins& origins) {
  const toml::table* table = root.get_as<toml::table>("sweep");
  if (!table) return {};
  std::vector<std::pair<std::string, const toml::node*>> entries;
  flatten(*table, "", entries);
  if (entries.empty())
    fail(origins.of("sweep"),
         "[sweep] is empty: give each key to sweep with its values, e.g. \"model.units\" = [32, 64]");
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  Sweep sweep;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const std::string& dotted = entries[i].first;
    // "model.units" = [...] and [sweep.model] units = [...] name the same key.
    if (i > 0 && entries[i - 1].first == dotted)
      fail(origins.of("sweep." + dotted), "[sweep] gives '" + dotted + "' twice");
    sweep.axes.push_back(read_axis(dotted, *entries[i].second, origins.of("sweep." + dotted)));
  }
  double points = 1;
  for (const SweepAxis& axis : sweep.axes) points *= static_cast<double>(axis.values.size());
  if (points > kMaxPoints)
    fail(origins.of("sweep"), fmt::format("[sweep] has {:.0f} points, more than the {} a job can hold; split it into "
                                          "several jobs (several configs or --set sweep....)",
                                          points, kMaxPoints));
  root.erase("sweep");
  return sweep;
}

void apply_sweep_point(toml::table& root, const Sweep& sweep, int p) {
  for (const auto& [dotted, text] : sweep.point(p)) {
    const auto dot = dotted.find('.');
    const std::string section = dotted.substr(0, dot);
    toml::node* node = root.get(section);
    if (!node) node = &root.insert_or_assign(section, toml::table{}).first->second;
    toml::table parsed = toml::parse("v = " + text);  // canonical text written by a Field: always valid
    node->as_table()->insert_or_assign(dotted.substr(dot + 1), std::move(*parsed.get("v")));
  }
}

std::string write_sweep(const Sweep& sweep) {
  if (sweep.empty()) return "";
  std::string text = "[sweep]\n";
  for (const SweepAxis& axis : sweep.axes) text += format_string(axis.key) + " = [" + join(axis.values) + "]\n";
  return text + "\n";
}

}  // namespace rnnlab::config_detail
