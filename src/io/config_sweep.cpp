// Reading and applying [sweep]. Each value is checked by the same Field that
// reads the key in its own section, so a sweep accepts exactly what the
// section would, with the same messages; the full config of every point is
// then checked by parse_config (io/config.cpp) before any work starts.
#include "io/config_sweep.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "io/config_schema.hpp"
#include "tasks/task.hpp"
#include "util/suggest.hpp"

namespace rnnlab::config_detail {

namespace {

// The sections whose keys may be swept: [model], [train] and the task's
// parameters (each point's networks train and are analysed on that point's
// task; task.name is not: a file holds one task).
const std::vector<std::string> kSweptSections = {"model", "train", "task"};

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

// The values of a task parameter, as TOML text: numbers, booleans or strings.
// The task registry checks each one (type, range, choices) when every point's
// config is read (read_points in io/config.cpp), naming task.<key>.
std::vector<std::string> read_task_values(const std::string& dotted, const toml::array& values,
                                          const std::string& where) {
  std::vector<std::string> texts;
  for (const toml::node& value : values) {
    if (!value.is_number() && !value.is_boolean() && !value.is_string())
      fail(where, fmt::format("{} lists {}, of the wrong type: expected numbers, booleans or strings, got {}", dotted,
                              render(value), type_name(value)));
    const std::string text = render(value);
    if (std::find(texts.begin(), texts.end(), text) != texts.end())
      fail(where, fmt::format("{} lists the value {} twice: each point of a sweep must differ", dotted, text));
    texts.push_back(text);
  }
  return texts;
}

// task.<key>: a parameter of the config's task ([task] name).
void check_task_key(const std::string& key, const std::string& task, const std::string& where) {
  if (key == "name")
    fail(where, "'task.name' cannot be swept: a file holds one task (sweep its parameters, e.g. \"task.delay\")");
  const TaskInfo* info = find_task(task);
  if (!info) fail(where, "task parameters can be swept only with a known [task] name, got '" + task + "'");
  std::vector<std::string> known;
  for (const ParamSpec& p : info->params) known.push_back(p.name);
  if (std::find(known.begin(), known.end(), key) == known.end()) {
    std::string hint = did_you_mean(key, known, "task.");
    if (hint.empty()) hint = " (parameters of task '" + task + "': " + join(known) + ")";
    fail(where, "unknown key 'task." + key + "'" + hint);
  }
}

SweepAxis read_axis(const std::string& dotted, const toml::node& node, const std::string& origin,
                    const std::string& task) {
  const std::string where = origin + ": in [sweep]";
  const auto dot = dotted.find('.');
  const std::string section = dot == std::string::npos ? "" : dotted.substr(0, dot);
  const std::string key = dot == std::string::npos ? dotted : dotted.substr(dot + 1);
  const bool known_section = std::find(kSweptSections.begin(), kSweptSections.end(), section) != kSweptSections.end();
  if (section == "ensemble" || section == "output" || section == "analysis")
    fail(where, fmt::format("'{}' cannot be swept: only [model], [train] and [task] parameters can (the seeds are "
                            "the sweep's other axis)",
                            dotted));
  if (section == "task") check_task_key(key, task, where);
  if (dotted == "train.seed")
    fail(where, "'train.seed' cannot be swept: the seeds are the sweep's other axis (ensemble.seeds networks, "
                "seeds train.seed, train.seed + 1, ..., at every point)");
  const auto keys = sweepable_keys();
  if (!known_section || (section != "task" && std::find(keys.begin(), keys.end(), dotted) == keys.end())) {
    std::string hint = did_you_mean(dotted, keys);
    // A bare key ("units") most likely meant its section's.
    if (hint.empty() && dot == std::string::npos) hint = did_you_mean("model." + dotted, keys);
    if (hint.empty() && dot == std::string::npos) hint = did_you_mean("train." + dotted, keys);
    if (hint.empty()) hint = " (sweep keys are written section.key, a key of [model] or [train] or a task parameter)";
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
  axis.values = section == "model"  ? read_values(model_fields(), key, dotted, *values, where)
                : section == "task" ? read_task_values(dotted, *values, where)
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
  // The task whose parameters may be swept ("" if [task] has no name: read_config refuses that later).
  std::string task;
  if (const toml::node* name = root.at_path("task.name").node(); name && name->is_string())
    task = name->value<std::string>().value_or("");
  Sweep sweep;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const std::string& dotted = entries[i].first;
    // "model.units" = [...] and [sweep.model] units = [...] name the same key.
    if (i > 0 && entries[i - 1].first == dotted)
      fail(origins.of("sweep." + dotted), "[sweep] gives '" + dotted + "' twice");
    sweep.axes.push_back(read_axis(dotted, *entries[i].second, origins.of("sweep." + dotted), task));
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
