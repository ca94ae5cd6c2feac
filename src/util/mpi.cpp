// MPI when built with it (RNNLAB_HAVE_MPI), else one process. See util/mpi.hpp.
#include "util/mpi.hpp"

#include <algorithm>
#include <cstdlib>
#include <string>

#include "util/error.hpp"

#ifdef RNNLAB_HAVE_MPI
#include <mpi.h>
#endif

namespace rnnlab::mpi {

namespace {

// The number of processes the launcher says it started, 0 if none did.
int launcher_size() {
  // OpenMPI's mpirun; srun or MPICH's PMI; PMIx (srun --mpi=pmix, OpenMPI 4+).
  for (const char* var : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE"})
    if (const char* v = std::getenv(var)) return std::max(1, std::atoi(v));
  if (std::getenv("PMIX_RANK")) return 1;  // PMIx without a size variable: MPI_Comm_size tells
  return 0;
}

#ifdef RNNLAB_HAVE_MPI
bool active = false;
int world_rank = 0, world_size = 1;
#endif

}  // namespace

bool launched_by_launcher() { return launcher_size() > 0; }

#ifdef RNNLAB_HAVE_MPI

void init(int* argc, char*** argv) {
  if (active || !launched_by_launcher()) return;
  int provided = 0;
  MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided);
  active = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &world_rank);
  MPI_Comm_size(MPI_COMM_WORLD, &world_size);
}

void finalize() {
  if (!active) return;
  MPI_Finalize();
  active = false;
}

void abort_job(int code) {
  if (active && world_size > 1) MPI_Abort(MPI_COMM_WORLD, code);
}

int rank() { return world_rank; }
int size() { return world_size; }

void barrier() {
  if (active) MPI_Barrier(MPI_COMM_WORLD);
}

long broadcast(long value) {
  if (active) MPI_Bcast(&value, 1, MPI_LONG, 0, MPI_COMM_WORLD);
  return value;
}

#else  // built without MPI: one process

void init(int*, char***) {
  if (launcher_size() > 1)
    throw InputError(
        "this rnnlab was built without MPI but was started by a launcher with several processes (mpirun/srun); "
        "each would train the whole ensemble into the same file. Install libopenmpi-dev, rebuild, or run without "
        "the launcher");
}
void finalize() {}
void abort_job(int) {}
int rank() { return 0; }
int size() { return 1; }
void barrier() {}
long broadcast(long value) { return value; }

#endif

}  // namespace rnnlab::mpi
