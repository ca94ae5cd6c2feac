// See cpu_check.hpp. CMake compiles this file for generic x86-64 even when the
// rest of the build uses -march=native, so that the check itself cannot fault.
// For the same reason it uses only C library calls and no C++ templates or
// inline functions from headers: an inline function emitted here could be
// merged by the linker with a copy compiled for the native CPU, and the
// constructor would then run that copy.
#include "util/cpu_check.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

#ifdef RNNLAB_CPU_FEATURES_FILE
// Configure time wrote one RNNLAB_CPU_FEATURE("name") line per extension that
// -march=native enabled; __builtin_cpu_supports needs each name as a literal.
struct CpuFeature {
  const char* name;
  bool supported;
};

#define RNNLAB_CPU_FEATURE(name) {name, __builtin_cpu_supports(name) != 0},

void check_cpu_features() {
  __builtin_cpu_init();  // needed when called before the constructors have run
  const CpuFeature features[] = {
#include RNNLAB_CPU_FEATURES_FILE
      {nullptr, true}};
  char missing[512] = "";
  char required[1024] = "";
  bool any_missing = false;
  for (const CpuFeature& f : features) {
    if (!f.name) break;
    std::strncat(required, " ", sizeof(required) - std::strlen(required) - 1);
    std::strncat(required, f.name, sizeof(required) - std::strlen(required) - 1);
    if (!f.supported) {
      any_missing = true;
      std::strncat(missing, " ", sizeof(missing) - std::strlen(missing) - 1);
      std::strncat(missing, f.name, sizeof(missing) - std::strlen(missing) - 1);
    }
  }
  if (!any_missing) return;
  std::fprintf(stderr,
               "rnnlab: this CPU lacks instructions this binary was compiled for (it was built with "
               "-DRNNLAB_NATIVE=ON, i.e. -march=native, on another machine).\n"
               "  missing:%s\n"
               "  compiled for:%s\n"
               "Rebuild without -DRNNLAB_NATIVE=ON (the portable default), or on a machine of this kind.\n",
               missing, required);
  std::fflush(stderr);
  std::_Exit(2);
}

#undef RNNLAB_CPU_FEATURE
#else
void check_cpu_features() {}  // portable build: generic x86-64 runs everywhere
#endif

// Priority 101 (the first one not reserved for the implementation): before
// every ordinary static initialiser of the program.
__attribute__((constructor(101))) void check_cpu_features_at_start() { check_cpu_features(); }

}  // namespace

// Referenced by the linker option -u (CMakeLists.txt) so that this object, and
// with it the constructor above, is linked from the static library into every
// binary even though nothing calls into it.
extern "C" {
extern const int rnnlab_cpu_check_linked;
const int rnnlab_cpu_check_linked = 1;
}

namespace rnnlab {

void require_cpu_features() { check_cpu_features(); }

}  // namespace rnnlab
