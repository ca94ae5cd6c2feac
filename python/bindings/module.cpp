// rnnlab._core: the C++ library for the Python package. The public API is the
// pure-Python layer (python/rnnlab/); _core speaks dicts of NumPy arrays.
#include <pybind11/pybind11.h>

#include "util/error.hpp"

namespace py = pybind11;

namespace rnnlab::py_bind {
void bind_model(py::module_& m);
void bind_tasks(py::module_& m);
void bind_train(py::module_& m);
void bind_analysis(py::module_& m);
void bind_io(py::module_& m);
void bind_dynamics(py::module_& m);
void bind_census(py::module_& m);
void bind_perturb(py::module_& m);
void bind_behaviour(py::module_& m);
void bind_results(py::module_& m);
void bind_pipeline(py::module_& m);
}  // namespace rnnlab::py_bind

PYBIND11_MODULE(_core, m) {
  m.doc() = "rnnlab C++ core (use the rnnlab package, not this module)";
  m.attr("__version__") = RNNLAB_VERSION;
  // InputError (the user's input is wrong) is a ValueError; any other rnnlab
  // Error a RuntimeError; both keep the C++ message unchanged.
  static py::exception<rnnlab::Error> error(m, "Error", PyExc_RuntimeError);
  static py::exception<rnnlab::InputError> input_error(m, "InputError", PyExc_ValueError);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const rnnlab::InputError& e) {
      input_error(e.what());
    } catch (const rnnlab::Error& e) {
      error(e.what());
    }
  });
  rnnlab::py_bind::bind_model(m);
  rnnlab::py_bind::bind_tasks(m);
  rnnlab::py_bind::bind_train(m);
  rnnlab::py_bind::bind_analysis(m);
  rnnlab::py_bind::bind_io(m);
  rnnlab::py_bind::bind_dynamics(m);
  rnnlab::py_bind::bind_census(m);
  rnnlab::py_bind::bind_perturb(m);
  rnnlab::py_bind::bind_behaviour(m);
  rnnlab::py_bind::bind_results(m);
  rnnlab::py_bind::bind_pipeline(m);
}
