// The pipeline from Python (src/pipeline/): rnnlab.run, rnnlab.analyze and the
// analysis registry, import detection, and the one TOML writer (to_toml).
//
// Lines of progress go to a Python callable line(text), called with the GIL
// held from whichever thread reports; the work itself runs without the GIL.
#include <pybind11/functional.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cmath>
#include <mutex>

#include "io/config.hpp"
#include "io/toml_writer.hpp"
#include "pipeline/analysis_registry.hpp"
#include "pipeline/import_detect.hpp"
#include "pipeline/run.hpp"
#include "util/error.hpp"

namespace rnnlab::py_bind {

namespace py = pybind11;

namespace {

// ---- to_toml: a dict of sections -> TOML text (io/toml_writer.hpp) ----

std::string type_of(const py::handle& value) { return py::str(py::type::of(value).attr("__name__")); }

std::string value_text(const py::handle& v) {
  if (py::isinstance<py::bool_>(v)) return toml_bool(v.cast<bool>());
  if (py::isinstance<py::int_>(v)) return toml_integer(v.cast<std::int64_t>());
  if (py::isinstance<py::float_>(v)) return toml_real(v.cast<double>());
  if (py::isinstance<py::str>(v)) return toml_string(v.cast<std::string>());
  if (py::isinstance<py::list>(v) || py::isinstance<py::tuple>(v)) {
    std::vector<std::string> items;
    for (const py::handle& item : v) items.push_back(value_text(item));
    return toml_array(items);
  }
  if (py::hasattr(v, "item") && !py::isinstance<py::dict>(v)) return value_text(v.attr("item")());  // NumPy scalars
  throw py::type_error("cannot write " + type_of(v) + " " + py::repr(v).cast<std::string>() + " as a TOML value");
}

TomlTable table_of(const std::string& name, const py::dict& d) {
  TomlTable table{name, {}, {}};
  for (const auto& [key, value] : d) {
    const std::string k = py::str(key);
    if (py::isinstance<py::dict>(value)) continue;
    table.set(k, value_text(value));
  }
  for (const auto& [key, value] : d)
    if (py::isinstance<py::dict>(value)) table.tables.push_back(table_of(py::str(key), value.cast<py::dict>()));
  return table;
}

// A list of dicts is an array of tables, written [[section]] once per dict
// after the sections ([[curriculum]]: docs/config.md).
std::string array_of_tables(const std::string& section, const py::handle& items) {
  std::string text;
  for (const py::handle& item : items) {
    if (!py::isinstance<py::dict>(item))
      throw py::type_error("config['" + section + "'] must be a dict of keys (a TOML section) or a list of them, got "
                           "a list holding " + type_of(item));
    const std::size_t at = text.size();
    text += "[" + to_toml({table_of(section, item.cast<py::dict>())});  // "[section]" becomes "[[section]]"
    text.insert(at + section.size() + 3, "]");
  }
  return text;
}

std::string dict_to_toml(const py::dict& config) {
  std::vector<TomlTable> tables;
  std::string arrays;
  for (const auto& [key, body] : config) {
    const std::string section = py::str(key);
    if (py::isinstance<py::list>(body) || py::isinstance<py::tuple>(body)) {
      arrays += array_of_tables(section, body);
      continue;
    }
    if (!py::isinstance<py::dict>(body))
      throw py::type_error("config['" + section + "'] must be a dict of keys (a TOML section) or a list of them, got " +
                           type_of(body));
    tables.push_back(table_of(section, body.cast<py::dict>()));
  }
  return to_toml(tables) + arrays;
}

// ---- progress lines to Python ----

// A LineSink calling `callback` (None: nothing) with the GIL; an exception
// in it is kept (the first) and does not stop the work.
struct PyLines {
  py::object callback;
  std::mutex mutex;
  std::string error;

  LineSink sink() {
    if (callback.is_none()) return {};
    return [this](const std::string& line) {
      std::lock_guard lock(mutex);
      py::gil_scoped_acquire gil;
      try {
        callback(line);
      } catch (py::error_already_set& e) {
        if (error.empty()) error = e.what();
      }
    };
  }
  ~PyLines() {
    py::gil_scoped_acquire gil;
    callback = py::object();
  }
};

py::dict run_dict(const RunResult& r, const std::string& callback_error) {
  py::dict d;
  d["analysed"] = r.analysed;
  d["results"] = r.results;
  d["summary_path"] = r.summary_path;
  d["summary"] = r.summary;
  d["sweep_files"] = r.sweep_files;
  d["report"] = r.report_path;
  d["report_error"] = r.report_error;
  d["failures"] = r.failures;
  d["progress_error"] = callback_error;
  return d;
}

py::dict run_experiment_py(const std::string& config_path, const std::string& config_text, const std::string& source,
                           const std::vector<std::string>& overrides, const std::string& dir, int threads, bool force,
                           bool quiet, py::object progress) {
  // A file is read as `rnnlab run FILE` reads it (its name in messages and in the stored config).
  const ExperimentConfig config =
      config_path.empty() ? parse_config(config_text, source, overrides) : load_config(config_path, overrides);
  PyLines lines{std::move(progress), {}, {}};
  RunOptions options;
  options.dir = dir;
  options.threads = threads;
  options.force = force;
  options.quiet = quiet;
  options.say = lines.sink();
  options.failed = lines.sink();
  RunResult result;
  {
    py::gil_scoped_release release;
    result = run_experiment(config, options);
  }
  return run_dict(result, lines.error);
}

// rnnlab.analyze's keyword options: FixedPointOverrides by name.
FixedPointOverrides overrides_from(const py::dict& options) {
  FixedPointOverrides o;
  for (const auto& [key, value] : options) {
    const std::string k = py::str(key);
    if (value.is_none()) continue;
    if (k == "starts") o.starts = value.cast<int>();
    else if (k == "trials") o.trials = value.cast<int>();
    else if (k == "threads") o.threads = value.cast<int>();
    else if (k == "max_iterations") o.max_iterations = value.cast<int>();
    else if (k == "noise") o.noise = value.cast<double>();
    else if (k == "tolerance") o.tolerance = value.cast<double>();
    else if (k == "input") o.input = value.cast<std::string>();
    else if (k == "seed") o.seed = value.cast<std::uint64_t>();
    else if (k == "task") o.task = value.cast<std::string>();
    else
      throw InputError("analyze: unknown option '" + k +
                       "': the options are task, starts, trials, noise, tolerance, max_iterations, threads, input, "
                       "seed (the fixed-point finder's; task also serves the dynamics)");
  }
  return o;
}

py::list analyze_py(const std::string& path, const std::vector<std::string>& names, const py::dict& options,
                    py::object progress) {
  AnalysisOptions o;
  o.fixed_points = overrides_from(options);
  PyLines lines{std::move(progress), {}, {}};
  o.notes = lines.sink();
  o.details = lines.sink();
  std::vector<AnalysisReport> reports;
  {
    py::gil_scoped_release release;
    analyze_file(path, names, o, [&](const AnalysisReport& r) { reports.push_back(r); });
  }
  py::list out;
  for (const AnalysisReport& r : reports) {
    py::dict d;
    d["name"] = r.analysis->name;
    d["group"] = r.analysis->group;
    d["text"] = r.done.text;
    d["lines"] = r.lines;
    out.append(d);
  }
  return out;
}

py::list registry_py() {
  py::list out;
  for (const AnalysisInfo& a : analysis_registry()) {
    py::dict d;
    d["name"] = a.name;
    d["flag"] = a.flag();
    d["title"] = a.title;
    d["description"] = a.description;
    d["group"] = a.group;
    d["uses_task"] = a.uses_task;
    out.append(d);
  }
  return out;
}

}  // namespace

void bind_pipeline(py::module_& m) {
  m.def("to_toml", &dict_to_toml, py::arg("config"),
        "{'section': {'key': value, 'sub': {...}}} -> TOML text, as rnnlab writes every config (io/toml_writer.hpp)");
  m.def("run_experiment", &run_experiment_py, py::arg("config_path"), py::arg("config_text"), py::arg("source"),
        py::arg("overrides"), py::arg("dir"), py::arg("threads"), py::arg("force"), py::arg("quiet"),
        py::arg("progress"), "`rnnlab run`: train, analyse, summarise (pipeline/run.hpp); a dict of what it wrote");
  m.def("analyze", &analyze_py, py::arg("path"), py::arg("names"), py::arg("options"), py::arg("progress"),
        "`rnnlab analyze`: the named analyses of the registry on every network of the file");
  m.def("analysis_registry", &registry_py, "The analyses `rnnlab analyze` and `rnnlab run` know, in order");
  m.def("detect_import_format", &detect_import_format, py::arg("path"),
        "'keras', 'torch' or 'arrays': what `rnnlab import --format auto` reads the file as");
}

}  // namespace rnnlab::py_bind
