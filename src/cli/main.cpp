// rnnlab: train recurrent rate networks on cognitive tasks and take them apart.
//
// Exit codes: 0 success; 1 the work failed; 2 bad input (config, arguments,
// files), reported before any work and without writing anything.
#include <H5Cpp.h>
#include <fmt/format.h>

#include <new>
#include <vector>
#include <string>

#include "cli/commands.hpp"
#include "cli/text.hpp"
#include "util/error.hpp"
#include "util/mpi.hpp"

int main(int argc, char** argv) {
  CLI::App app{"rnnlab: train recurrent rate networks on cognitive tasks and analyse them", "rnnlab"};
  app.set_version_flag("--version", std::string(RNNLAB_VERSION));
  app.require_subcommand(1);
  // -q / -v anywhere on the line (before or after the subcommand: its own
  // unknown options fall through to here), for every command (cli/text.hpp).
  bool quiet = false, verbose = false;
  app.add_flag("-q,--quiet", quiet, "Print only errors and the final result (the file written)");
  app.add_flag("-v,--verbose", verbose, "Also print each network's analysis lines as they are computed (run; the others print a line per network already)");
  app.fallthrough();

  namespace cli = rnnlab::cli;
  const std::vector<cli::Subcommand> commands = {cli::add_tasks(app),   cli::add_train(app), cli::add_info(app),
                                                 cli::add_report(app),
                                                 cli::add_analyze(app), cli::add_import(app), cli::add_eval(app), cli::add_run(app),
                                                 cli::add_perturb(app),
                                                 cli::add_behaviour(app)};

  // Under mpirun/srun (and built with MPI) this process is one rank of a job;
  // otherwise MPI is never initialised (util/mpi.hpp, docs/cluster.md).
  try {
    rnnlab::mpi::init(&argc, &argv);
  } catch (const rnnlab::InputError& e) {
    fmt::print(stderr, "rnnlab: error: {}\n", e.what());
    return 2;
  }
  // An error on one rank ends the job (others may be waiting for it), and
  // names the rank when there are several.
  const std::string who = rnnlab::mpi::size() > 1 ? fmt::format("rnnlab (rank {})", rnnlab::mpi::rank()) : "rnnlab";
  auto fail = [&](int code, const char* kind, const char* what) {
    fmt::print(stderr, "{}: {}: {}\n", who, kind, what);
    std::fflush(stderr);
    rnnlab::mpi::abort_job(code);
    return code;
  };
  auto done = [](int code) {
    rnnlab::mpi::finalize();
    return code;
  };

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = rnnlab::mpi::is_root() ? app.exit(e) : (e.get_exit_code() == 0 ? 0 : 2);
    if (rnnlab::mpi::is_root() && dynamic_cast<const CLI::ExtrasError*>(&e))
      for (const cli::Subcommand& command : commands)
        if (command.app->parsed() && !command.unexpected_hint.empty())
          fmt::print(stderr, "{}\n", command.unexpected_hint);
    return done(code == 0 ? 0 : 2);
  }
  if (quiet && verbose) return fail(2, "error", "--quiet and --verbose: choose one");
  cli::verbosity() = quiet ? cli::Verbosity::quiet : verbose ? cli::Verbosity::verbose : cli::Verbosity::normal;
  try {
    for (const cli::Subcommand& command : commands)
      if (command.app->parsed()) return done(command.run());
  } catch (const rnnlab::InputError& e) {
    return fail(2, "error", e.what());
  } catch (const std::bad_alloc&) {
    return fail(1, "failed", "out of memory (std::bad_alloc): the job needs more memory than this machine gives it");
  } catch (const std::exception& e) {
    return fail(1, "failed", e.what());
  } catch (const H5::Exception& e) {
    // The HDF5 C++ API throws its own hierarchy, not std::exception. The code
    // translates these where it knows the file; this is the last net.
    const std::string what = "HDF5 error in " + e.getFuncName() + ": " + e.getDetailMsg();
    return fail(1, "failed", what.c_str());
  } catch (...) {
    return fail(1, "failed", "an unknown error");
  }
  return done(0);
}
