#pragma once
// Each subcommand of `rnnlab` registers its options on the app and returns the
// function to run when it is chosen. One file per subcommand.
#include <CLI/CLI.hpp>
#include <functional>

namespace rnnlab::cli {

using Command = std::function<int()>;

struct Subcommand {
  CLI::App* app;  // the parsed subcommand
  Command run;
};

Subcommand add_tasks(CLI::App& app);
Subcommand add_train(CLI::App& app);
Subcommand add_info(CLI::App& app);

}  // namespace rnnlab::cli
