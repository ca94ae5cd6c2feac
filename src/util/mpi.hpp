#pragma once
// MPI across processes, when there is any (docs/cluster.md).
//
// The same binary runs alone or under a launcher: MPI is used only when rnnlab
// was built with it (CMake found MPI: RNNLAB_HAVE_MPI) and the process was
// started by mpirun or srun, which we tell from the launcher's environment
// (OMPI_COMM_WORLD_SIZE, PMI_SIZE, PMIX_RANK) before calling MPI_Init; a plain
// `rnnlab train` never initialises MPI. Without MPI this is one process: rank
// 0 of 1, and every call below is a no-op.
//
// MPI is called from the main thread only (MPI_THREAD_FUNNELED).
namespace rnnlab::mpi {

// Whether a launcher started this process (its environment says so).
bool launched_by_launcher();

// Initialises MPI when built with it and launched by a launcher. Throws
// InputError if launched with several processes by a binary built without
// MPI (each would otherwise train the whole ensemble into the same file).
void init(int* argc, char*** argv);
// Ends MPI after a normal exit of every rank (collective).
void finalize();
// After an error on this rank: ends every rank of the job with `code`, so no
// rank waits forever at a barrier. Returns only when MPI is not in use.
void abort_job(int code);

int rank();  // 0 without MPI
int size();  // 1 without MPI
inline bool is_root() { return rank() == 0; }

void barrier();
// Rank 0's `value`, on every rank.
long broadcast(long value);

}  // namespace rnnlab::mpi
