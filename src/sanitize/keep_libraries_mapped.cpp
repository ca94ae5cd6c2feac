// Linked into `rnnlab` only in sanitizer builds (RNNLAB_SANITIZE, `make sanitize`).
//
// OpenMPI loads its components (mca_*.so) with dlopen and unloads them in
// MPI_Finalize. The memory they keep until exit is reported by LeakSanitizer
// at exit, when the libraries are gone: the report's frames then read
// "<unknown module>", and scripts/sanitize-suppressions.txt, which names
// those libraries, cannot match them. Turning dlclose into a no-op keeps every
// library mapped until the process ends, so each leak report names its
// library and only OpenMPI's own are suppressed: a leak in rnnlab code in an
// MPI run is still reported. The executable's definition interposes on libc's
// for every library (CMake exports it: --export-dynamic-symbol=dlclose).
extern "C" int dlclose(void* /*handle*/) { return 0; }
