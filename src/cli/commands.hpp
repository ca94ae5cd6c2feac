#pragma once
// Each subcommand of `rnnlab` registers its options on the app and returns the
// function to run when it is chosen. One file per subcommand.
#include <CLI/CLI.hpp>
#include <functional>
#include <string>

namespace rnnlab::cli {

using Command = std::function<int()>;

struct Subcommand {
  CLI::App* app;  // the parsed subcommand
  Command run;
  // Said after CLI11's "argument was not expected" when this subcommand was
  // chosen (e.g. analyze: the analyses there are); empty: nothing more.
  std::string unexpected_hint = {};
};

Subcommand add_tasks(CLI::App& app);
Subcommand add_train(CLI::App& app);
Subcommand add_info(CLI::App& app);
Subcommand add_analyze(CLI::App& app);
Subcommand add_import(CLI::App& app);
Subcommand add_eval(CLI::App& app);
Subcommand add_run(CLI::App& app);
Subcommand add_report(CLI::App& app);
Subcommand add_perturb(CLI::App& app);
Subcommand add_behaviour(CLI::App& app);

// Library logic the subcommands share (training into a file, the run
// pipeline, task resolution, the analysis registry) is in src/pipeline/.

}  // namespace rnnlab::cli
