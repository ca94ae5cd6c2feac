// Reading an experiment config: TOML text -> overrides applied -> every key
// checked -> ExperimentConfig, plus the effective config written back as TOML
// (every key, defaults included) so the experiment file records what ran.
#include "io/config.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "io/analysis_config.hpp"
#include "io/config_schema.hpp"
#include "io/config_sweep.hpp"
#include "io/config_values.hpp"
#include "io/toml_writer.hpp"
#include "tasks/python_task.hpp"
#include "util/error.hpp"
#include "util/suggest.hpp"

namespace rnnlab {

using namespace config_detail;

namespace {

// Sections in the order they are documented and written back.
const std::vector<std::string> kSections = {"task",   "model",    "train", "curriculum",
                                            "ensemble", "output", "analysis", "sweep"};
// Keys of a [[curriculum]] stage besides the task parameters it changes.
const std::vector<std::string> kStageKeys = {"iterations", "until_accuracy"};

// The fixed keys of a section; empty for [task] (keys depend on the task),
// [analysis] (read by each analysis: io/analysis_config.hpp) and [sweep]
// (io/config_sweep.hpp).
std::vector<std::string> section_keys(const std::string& section) {
  if (section == "model") return keys_of(model_fields());
  if (section == "train") return keys_of(train_fields());
  if (section == "ensemble") return keys_of(ensemble_fields());
  if (section == "output") return keys_of(output_fields());
  return {};
}

// "section.key" of the first fixed section that has `key`, for keys put in the wrong section.
std::string section_holding(const std::string& key) {
  for (const auto& section : kSections)
    for (const auto& known : section_keys(section))
      if (known == key) return section + "." + key;
  return "";
}

[[noreturn]] void unknown_key(const std::string& section, const std::string& key,
                              const std::vector<std::string>& known, const Origins& origins) {
  const std::string dotted = section + "." + key;
  // A key spelt exactly as in another section was most likely put in the wrong one.
  const std::string elsewhere = section_holding(key);
  std::string hint = elsewhere.empty() ? did_you_mean(key, known, section + ".") : "; did you mean '" + elsewhere + "'?";
  if (hint.empty() && !known.empty()) hint = " (keys of [" + section + "]: " + join(known) + ")";
  fail(origins.of(dotted), "unknown key '" + dotted + "'" + hint);
}

toml::table parse_toml(std::string_view text, std::string_view source) {
  try {
    return toml::parse(text, std::string(source));
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    throw InputError(fmt::format("{}:{}:{}: TOML syntax error: {}", source, where.line, where.column,
                                 e.description()));
  }
}

// --- overrides -------------------------------------------------------------

// Applies one "section.key=value" to the parsed table. The value is TOML if it
// parses as one value, else the text itself, so model.activation=relu works
// without quotes.
void set_override(toml::table& root, const std::string& text, Origins& origins) {
  const std::string origin = "--set " + text;
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0)
    fail(origin, "expected section.key=value (for example model.units=128)");
  const std::string dotted = text.substr(0, eq);
  const std::string value_text = text.substr(eq + 1);

  std::vector<std::string> path;
  std::size_t start = 0;
  for (std::size_t dot; (dot = dotted.find('.', start)) != std::string::npos; start = dot + 1)
    path.push_back(dotted.substr(start, dot - start));
  path.push_back(dotted.substr(start));
  for (const auto& part : path)
    if (part.empty() || part.find_first_of(" \t") != std::string::npos)
      fail(origin, "expected section.key=value, got the key '" + dotted + "'");
  if (path.size() < 2) {
    const std::string elsewhere = section_holding(dotted);
    fail(origin, "unknown key '" + dotted + "'; keys are written section.key" +
                     (elsewhere.empty() ? "" : ": did you mean '" + elsewhere + "'?"));
  }

  toml::table* table = &root;
  std::string prefix;
  for (std::size_t i = 0; i + 1 < path.size(); ++i) {
    prefix += (i ? "." : "") + path[i];
    toml::node* child = table->get(path[i]);
    if (!child) child = &table->insert_or_assign(path[i], toml::table{}).first->second;
    table = child->as_table();
    if (!table) fail(origin, "cannot set a key under '" + prefix + "': it is not a table");
  }

  toml::table parsed;
  bool is_toml = false;
  try {
    parsed = toml::parse("v = " + value_text);
    is_toml = parsed.size() == 1 && parsed.contains("v");  // one value, nothing smuggled after it
  } catch (const toml::parse_error&) {
  }
  if (is_toml)
    table->insert_or_assign(path.back(), std::move(*parsed.get("v")));
  else
    table->insert_or_assign(path.back(), value_text);
  origins.overrides[dotted] = origin;
}

// --- sections ------------------------------------------------------------

// Every top-level entry must be a known section holding a table, and the
// fixed sections may hold only their own keys.
void check_structure(const toml::table& root, const Origins& origins) {
  for (const auto& [key, node] : root) {
    const std::string name(key.str());
    if (std::find(kSections.begin(), kSections.end(), name) == kSections.end()) {
      std::string hint = did_you_mean(name, kSections);
      if (!node.is_table()) {
        // A plain key above the first [section]: most likely meant for one.
        const std::string elsewhere = section_holding(name);
        fail(origins.of(name), "unknown key '" + name + "' outside any section" +
                                   (elsewhere.empty() ? " (keys belong in one of: " + join(kSections) + ")"
                                                      : "; did you mean '" + elsewhere + "'?"));
      }
      if (hint.empty()) hint = " (sections: " + join(kSections) + ")";
      fail(origins.of(name), "unknown section '" + name + "'" + hint);
    }
    if (name == "curriculum") {
      if (!node.is_array_of_tables())
        fail(origins.of(name), "curriculum = " + render(node) + " has the wrong type: expected stages, each written "
                                   "[[curriculum]] with its keys under it, got " + type_name(node));
      continue;  // each stage's keys are checked by read_curriculum
    }
    if (!node.is_table())
      fail(origins.of(name), name + " = " + render(node) + " has the wrong type: expected a section ([" + name +
                                 "] with keys under it), got " + type_name(node));
    const auto known = section_keys(name);
    if (known.empty()) continue;
    for (const auto& [inner, value] : *node.as_table()) {
      const std::string inner_name(inner.str());
      if (std::find(known.begin(), known.end(), inner_name) == known.end())
        unknown_key(name, inner_name, known, origins);
    }
  }
}

template <class S>
void read_section(const toml::table& root, const std::string& section, const std::vector<Field<S>>& fields,
                  S& spec, const Origins& origins) {
  const toml::table* table = root.get_as<toml::table>(section);
  if (!table) return;
  for (const auto& field : fields)
    if (const toml::node* node = table->get(field.key)) {
      const std::string dotted = section + "." + field.key;
      field.read(spec, *node, dotted, origins.of(dotted));
    }
}

template <class S>
std::string write_section(const std::string& section, const std::vector<Field<S>>& fields, const S& spec) {
  std::string text = "[" + section + "]\n";
  for (const auto& field : fields) text += field.key + " = " + field.write(spec) + "\n";
  return text + "\n";
}

// Checks that involve more than one key.
void check_model(const ModelSpec& model, const Origins& origins) {
  if (!(model.tau >= model.dt))
    fail(origins.of("model.tau"),
         fmt::format("model.tau = {} is out of range: must be >= model.dt = {} (alpha = dt/tau must be in (0, 1])",
                     format_real(model.tau), format_real(model.dt)));
  // A learned tau_i never goes below tau_min (model/time_constants.hpp): below
  // dt its a_i would pass 1, above tau the first step would already be clamped.
  if (model.tau_min != 0 && !(model.tau_min >= model.dt && model.tau_min <= model.tau))
    fail(origins.of("model.tau_min"),
         fmt::format("model.tau_min = {} is out of range: must be 0 (meaning model.dt) or between model.dt = {} and "
                     "model.tau = {}",
                     format_real(model.tau_min), format_real(model.dt), format_real(model.tau)));
  if (model.readout_excitatory && !model.dale)
    fail(origins.of("model.readout_excitatory"),
         "model.readout_excitatory = true needs model.dale = true (without Dale's law no unit is excitatory)");
}

std::vector<std::string> task_names() {
  std::vector<std::string> names;
  for (const auto& info : task_registry()) names.push_back(info.name);
  return names;
}

// A task parameter's value: a number, boolean or string.
ParamValue read_param(const toml::node& node, const std::string& dotted, const Origins& origins) {
  if (const auto* integer = node.as_integer()) return static_cast<double>(integer->get());
  if (const auto* real = node.as_floating_point()) return real->get();
  if (const auto* boolean = node.as_boolean()) return boolean->get();
  if (const auto* string = node.as_string()) return string->get();
  fail(origins.of(dotted), dotted + " = " + render(node) +
                               " has the wrong type: expected a number, boolean or string, got " + type_name(node));
}

// [task]: the name picks the task; the other keys are its parameters, which
// the task registry validates and completes with defaults. A task from Python
// (tasks/python_task.hpp) keeps its keys as given and makes no task here (null).
std::unique_ptr<Task> read_task(const toml::table& root, double dt, TaskSpec& spec, const Origins& origins) {
  const toml::table* table = root.get_as<toml::table>("task");
  if (!table)
    fail(origins.source, "missing section [task]; it needs at least name = \"...\" (tasks: " + join(task_names()) + ")");
  const toml::node* name_node = table->get("name");
  if (!name_node)
    fail(origins.of("task.name"), "missing key 'task.name': the task to train (one of " + join(task_names()) + ")");
  spec.name = read_string(*name_node, "task.name", origins.of("task.name"));
  const bool python = is_python_task(spec.name);
  const TaskInfo* info = find_task(spec.name);
  if (!info && !python)
    fail(origins.of("task.name"), "task.name = " + render(*name_node) + " is not a known task: must be one of " +
                                      join(task_names()) + did_you_mean(spec.name, task_names()));

  std::vector<std::string> known;
  if (info)
    for (const auto& param : info->params) known.push_back(param.name);
  ParamValues given;
  for (const auto& [key, node] : *table) {
    const std::string name(key.str());
    if (name == "name") continue;
    const std::string dotted = "task." + name;
    if (!python && std::find(known.begin(), known.end(), name) == known.end()) {
      const std::string elsewhere = section_holding(name);
      std::string hint = elsewhere.empty() ? did_you_mean(name, known, "task.") : "; did you mean '" + elsewhere + "'?";
      if (hint.empty()) hint = known.empty() ? " (task '" + spec.name + "' has no parameters)"
                                             : " (parameters of task '" + spec.name + "': " + join(known) + ")";
      fail(origins.of(dotted), "unknown key '" + dotted + "'" + hint);
    }
    given[name] = read_param(node, dotted, origins);
  }
  spec.params = given;
  if (python) return nullptr;
  for (const auto& param : info->params) spec.params.emplace(param.name, param.default_value);

  try {
    return make_task(spec.name, given, dt);
  } catch (const InputError& e) {
    // The registry names the key ("task.bits: ..."); add where the value came from.
    const std::string message = e.what();
    std::string origin = origins.source;
    for (const auto& [dotted, text] : origins.overrides)
      if (message.rfind(dotted + ":", 0) == 0 || message.find(dotted + " ") != std::string::npos) origin = text;
    throw InputError(origin + ": " + message);
  }
}

// [[curriculum]]: each stage's iterations (train.iterations when not given),
// its until_accuracy, and the task parameters it changes, checked as [task]'s
// are but named curriculum[i].key (i from 0, in file order). Each stage's task
// is made once here, so a combination the task refuses is refused now.
Curriculum read_curriculum(const toml::table& root, const ExperimentConfig& config, const Origins& origins) {
  Curriculum stages;
  const toml::array* array = root.get_as<toml::array>("curriculum");
  if (!array) return stages;
  if (array->empty()) fail(origins.of("curriculum"), "curriculum has no stages: give at least one [[curriculum]]");
  const TaskInfo* info = find_task(config.task.name);
  std::vector<std::string> known;
  if (info)
    for (const auto& param : info->params) known.push_back(param.name);
  for (std::size_t i = 0; i < array->size(); ++i) {
    const toml::table& table = *array->get(i)->as_table();
    const std::string prefix = fmt::format("curriculum[{}].", i);
    CurriculumStage stage;
    stage.iterations = config.train.iterations;
    stage.task = config.task.params;
    for (const auto& [key, node] : table) {
      const std::string name(key.str());
      const std::string dotted = prefix + name;
      const std::string origin = origins.of("curriculum");
      if (name == "iterations") {
        stage.iterations = static_cast<int>(read_integer(node, dotted, origin, interval(1, false, 1e9, false)));
      } else if (name == "until_accuracy") {
        stage.until_accuracy = read_real(node, dotted, origin, interval(0, true, 1, false));
      } else if (!info) {
        fail(origin, fmt::format("unknown key '{}': task '{}' is written in Python, so a stage cannot change its "
                                 "parameters (a stage's keys: {})",
                                 dotted, config.task.name, join(kStageKeys)));
      } else if (std::find(known.begin(), known.end(), name) == known.end()) {
        std::string hint = did_you_mean(name, known, prefix);
        if (hint.empty()) hint = " (a stage's keys: " + join(kStageKeys) + ", and the parameters of task '" +
                                 config.task.name + "': " + join(known) + ")";
        fail(origin, "unknown key '" + dotted + "'" + hint);
      } else {
        stage.task[name] = read_param(node, dotted, origins);
      }
    }
    if (info) {
      try {
        make_task(config.task.name, stage.task, config.model.dt);
      } catch (const InputError& e) {
        // The registry names the key as task.KEY; the value is this stage's.
        std::string message = e.what();
        if (message.rfind("task.", 0) == 0) message = prefix + message.substr(5);
        fail(origins.of("curriculum"), message);
      }
    }
    stages.push_back(std::move(stage));
  }
  return stages;
}

// [[curriculum]] as written back: each stage's iterations, until_accuracy
// (when on) and the task parameters it sets to values other than [task]'s.
std::string write_curriculum(const ExperimentConfig& config) {
  std::string text;
  for (const CurriculumStage& stage : config.curriculum) {
    text += "[[curriculum]]\niterations = " + toml_integer(stage.iterations) + "\n";
    if (stage.until_accuracy > 0) text += "until_accuracy = " + toml_real(stage.until_accuracy) + "\n";
    TaskSpec changed{config.task.name, {}};
    for (const auto& [key, value] : stage.task)
      if (auto it = config.task.params.find(key); it == config.task.params.end() || it->second != value)
        changed.params[key] = value;
    for (const auto& [key, value] : task_table(changed).values)
      if (key != "name") text += toml_key(key) + " = " + value + "\n";
    text += "\n";
  }
  return text;
}

// The [task] table as a config file holds it (io/toml_writer.hpp), then a blank line.
std::string write_task(const TaskSpec& task) { return to_toml({task_table(task)}) + "\n"; }

std::string write_config(const ExperimentConfig& config, const toml::table& root,
                         const std::vector<std::string>& overrides, const std::string& heading = "") {
  std::string text = "# rnnlab config as run: every key, defaults filled in\n" + heading;
  for (const auto& set : overrides) {
    // TOML comments may not hold control characters (a newline would end the
    // comment), so those are shown escaped.
    std::string line;
    for (char c : set) {
      const auto byte = static_cast<unsigned char>(c);
      line += (byte < 0x20 && c != '\t') || byte == 0x7f ? fmt::format("\\x{:02x}", byte) : std::string(1, c);
    }
    text += "# --set " + line + "\n";
  }
  text += "\n";
  text += write_task(config.task);
  text += write_section("model", model_fields(), config.model);
  text += write_section("train", train_fields(), config.train);
  text += write_curriculum(config);
  text += write_section("ensemble", ensemble_fields(), config.ensemble);
  text += write_section("output", output_fields(), config.output);
  text += write_sweep(config.sweep);
  // [analysis] is kept as given; each analysis reads its own subtable.
  if (const toml::table* analysis = root.get_as<toml::table>("analysis")) {
    toml::table wrapper;
    wrapper.insert_or_assign("analysis", *analysis);
    std::ostringstream os;
    os << toml::toml_formatter{wrapper};
    text += os.str() + "\n";
  }
  return text;
}

// Everything but [sweep], from `root` (a point's values already put in).
ExperimentConfig read_config(const toml::table& root, const Origins& origins) {
  ExperimentConfig config;
  read_section(root, "model", model_fields(), config.model, origins);
  check_model(config.model, origins);
  read_section(root, "train", train_fields(), config.train, origins);
  read_section(root, "ensemble", ensemble_fields(), config.ensemble, origins);
  read_section(root, "output", output_fields(), config.output, origins);

  const auto task = read_task(root, config.model.dt, config.task, origins);
  try {
    config.model.inputs = task ? task->n_inputs() : python_task_channels(config.task.name, config.task.params, "inputs");
    config.model.outputs = task ? task->n_outputs() : python_task_channels(config.task.name, config.task.params, "outputs");
  } catch (const InputError& e) {
    fail(origins.source, e.what());
  }
  config.curriculum = read_curriculum(root, config, origins);
  return config;
}

// The full config of every sweep point, each checked as a config of its own,
// so a combination that cannot run (model.readout_excitatory with
// model.dale = false, model.tau below a swept model.dt) is refused now.
std::vector<ExperimentConfig> read_points(const toml::table& root, const Sweep& sweep, const Origins& origins) {
  std::vector<ExperimentConfig> points;
  for (int p = 0; p < sweep.points(); ++p) {
    toml::table point_root = root;
    apply_sweep_point(point_root, sweep, p);
    const std::string where = fmt::format("sweep point {} of {}: {}", p, sweep.points(), sweep.label(p));
    try {
      points.push_back(read_config(point_root, origins));
    } catch (const InputError& e) {
      throw InputError(fmt::format("{} (at {})", e.what(), where));
    }
    points.back().toml_text = write_config(points.back(), point_root, {}, "# " + where + "\n");
  }
  return points;
}

}  // namespace

std::vector<std::uint64_t> ExperimentConfig::seeds() const {
  std::vector<std::uint64_t> out;
  for (int k = 0; k < ensemble.seeds; ++k) out.push_back(train.seed + static_cast<std::uint64_t>(k));
  return out;
}

std::vector<NetworkSlot> ExperimentConfig::networks() const {
  const std::vector<std::uint64_t> per_point = seeds();
  std::vector<NetworkSlot> out;
  if (sweep.empty()) {
    for (const std::uint64_t seed : per_point) out.push_back({seed, seed, -1});
    return out;
  }
  for (int p = 0; p < sweep.points(); ++p)
    for (const std::uint64_t seed : per_point) out.push_back({static_cast<std::uint64_t>(out.size()), seed, p});
  return out;
}

long ExperimentConfig::iteration_budget() const {
  if (curriculum.empty()) return train.iterations;
  long total = 0;
  for (const CurriculumStage& stage : curriculum) total += stage.iterations;
  return total;
}

const ExperimentConfig& ExperimentConfig::at(int point) const {
  if (point < 0) return *this;
  if (point >= static_cast<int>(points.size()))
    throw Error(fmt::format("sweep point {} does not exist: the config has {}", point, points.size()));
  return points[static_cast<std::size_t>(point)];
}

ExperimentConfig parse_config(std::string_view toml_text, std::string_view source,
                              const std::vector<std::string>& overrides) {
  Origins origins;
  origins.source = std::string(source);
  toml::table root = parse_toml(toml_text, source);
  for (const auto& text : overrides) set_override(root, text, origins);
  check_structure(root, origins);
  const Sweep sweep = take_sweep(root, origins);

  // The values outside [sweep] must make a valid config on their own too.
  ExperimentConfig config = read_config(root, origins);
  config.sweep = sweep;
  if (!sweep.empty()) config.points = read_points(root, sweep, origins);
  config.toml_text = write_config(config, root, overrides);
  // A mistake in [analysis.fixed_points] is refused now, not after training.
  read_fixed_point_config(config.toml_text, source);
  return config;
}

ExperimentConfig load_config(const std::string& path, const std::vector<std::string>& overrides) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw InputError("cannot read config '" + path + "': no such file");
  if (std::filesystem::is_directory(path, ec))
    throw InputError("cannot read config '" + path + "': it is a directory, expected a TOML file");
  std::ifstream in(path, std::ios::binary);
  if (!in.is_open()) throw InputError("cannot read config '" + path + "': " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw InputError("cannot read config '" + path + "': read error");
  return parse_config(text.str(), path, overrides);
}

namespace {

toml::table config_attribute(const std::string& config_text, const std::string& path) {
  try {
    return toml::parse(config_text, path + " (config attribute)");
  } catch (const toml::parse_error& e) {
    throw InputError(fmt::format("{}: the config attribute is not valid TOML ({}); pass --task NAME", path,
                                 e.description()));
  }
}

}  // namespace

std::string task_table_text(const std::string& config_text, const std::string& path) {
  if (config_text.empty()) return "";
  const toml::table root = config_attribute(config_text, path);
  const toml::table* task = root.get_as<toml::table>("task");
  if (!task) return "";
  toml::table wrapper;
  wrapper.insert_or_assign("task", *task);
  std::ostringstream os;
  os << toml::toml_formatter{wrapper};
  return os.str() + "\n";
}

LossKind trained_loss(const std::string& config_text, const std::string& path) {
  if (config_text.empty()) return LossKind::mse;
  const toml::table root = config_attribute(config_text, path);
  const std::optional<std::string> name = root["train"]["loss"].value<std::string>();
  return name ? parse_loss(*name, path + ": train.loss") : LossKind::mse;
}

}  // namespace rnnlab
