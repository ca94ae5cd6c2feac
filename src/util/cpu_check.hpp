#pragma once
// The start-up check of a binary built with -DRNNLAB_NATIVE=ON (CMakeLists.txt,
// README.md "Building"): such a binary contains instructions of the building
// machine's CPU (AVX2, AVX-512, FMA, ...) and would die of SIGILL on a CPU
// without them, typically an older compute node of a cluster whose login node
// built it. Instead it prints which extensions are missing and exits with
// status 2.
//
// The check runs by itself, as a priority constructor (before the static
// initialisers of the code compiled for the native CPU, and before main), in
// every executable and Python module linked against rnnlab_core; nothing
// needs to call it. In the default portable build it checks nothing.
namespace rnnlab {

// Runs the check again (idempotent): returns when the CPU has every extension
// the binary was compiled for, otherwise prints the message and exits(2).
void require_cpu_features();

}  // namespace rnnlab
