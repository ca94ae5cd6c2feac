// rnnlab: train recurrent rate networks on cognitive tasks and take them apart.
//
// Exit codes: 0 success; 1 the work failed; 2 bad input (config, arguments,
// files), reported before any work and without writing anything.
#include <fmt/format.h>

#include <vector>
#include <string>

#include "cli/commands.hpp"
#include "util/error.hpp"

int main(int argc, char** argv) {
  CLI::App app{"rnnlab: train recurrent rate networks on cognitive tasks and analyse them", "rnnlab"};
  app.set_version_flag("--version", std::string(RNNLAB_VERSION));
  app.require_subcommand(1);

  namespace cli = rnnlab::cli;
  const std::vector<cli::Subcommand> commands = {cli::add_tasks(app),   cli::add_train(app), cli::add_info(app),
                                                 cli::add_analyze(app), cli::add_import(app), cli::add_eval(app), cli::add_run(app)};

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  try {
    for (const cli::Subcommand& command : commands)
      if (command.app->parsed()) return command.run();
  } catch (const rnnlab::InputError& e) {
    fmt::print(stderr, "rnnlab: error: {}\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    fmt::print(stderr, "rnnlab: failed: {}\n", e.what());
    return 1;
  }
  return 0;
}
