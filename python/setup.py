"""Builds rnnlab._core with the repository's CMake project (one level up).

pip builds in place (pip >= 21.3), so the C++ sources beside python/ are reachable.
"""
import os
import pathlib
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        # RNNLAB_BUILD_DIR reuses an existing CMake build (e.g. make's build/): only _core is brought up to date.
        reuse = os.environ.get("RNNLAB_BUILD_DIR")
        build = pathlib.Path(reuse or pathlib.Path(self.build_temp) / "cmake").resolve()
        if not (reuse and (build / "CMakeCache.txt").exists()):
            # A configured build keeps its own options (and its source tree, so the
            # package can be installed from a copy of python/); otherwise configure one.
            self.configure(build, tests=bool(reuse))
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", str(os.cpu_count() or 1))
        subprocess.run(["cmake", "--build", str(build), "--target", "_core", "-j", jobs], check=True)
        built = next((build / "python" / "rnnlab").glob("_core*.so"))
        target = pathlib.Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        self.copy_file(str(built), str(target))

    def configure(self, build: pathlib.Path, tests: bool):
        if not (REPO / "CMakeLists.txt").exists():
            raise RuntimeError(f"{REPO} is not the rnnlab repository: install from its python/ folder, "
                               "or set RNNLAB_BUILD_DIR to a configured CMake build of it")
        args = ["-DCMAKE_BUILD_TYPE=Release", f"-DPython3_EXECUTABLE={sys.executable}"]
        if not tests:
            args += ["-DRNNLAB_TESTS=OFF", "-DRNNLAB_BENCH=OFF"]
        try:  # pybind11 from pip (build isolation) ships its CMake config
            import pybind11

            args.append(f"-Dpybind11_DIR={pybind11.get_cmake_dir()}")
        except ImportError:
            pass  # the system's (Debian pybind11-dev)
        subprocess.run(["cmake", "-S", str(REPO), "-B", str(build)] + args, check=True)


setup(ext_modules=[Extension("rnnlab._core", sources=[])], cmdclass={"build_ext": CMakeBuild})
