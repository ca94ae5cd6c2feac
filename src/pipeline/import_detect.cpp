#include "pipeline/import_detect.hpp"

#include <H5Cpp.h>

#include <filesystem>
#include <mutex>

#include "io/h5.hpp"
#include "io/import.hpp"

namespace rnnlab {

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

const std::vector<std::string>& import_formats() {
  static const std::vector<std::string> formats = {"auto", "keras", "arrays", "torch"};
  return formats;
}

std::string detect_import_format(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return "arrays";
  std::lock_guard lock(h5_lock());
  H5::Exception::dontPrint();
  try {
    if (!H5::H5File::isHdf5(path)) return "arrays";
    H5::H5File file(path, H5F_ACC_RDONLY);
    if (h5::has_attr(file, "model_config")) return "keras";
    bool torch = false;
    // The link-info type differs between HDF5 1.10 (H5L_info_t) and 1.12+
    // (H5L_info2_t); a generic lambda converts to either callback type.
    H5Lvisit(
        file.getId(), H5_INDEX_NAME, H5_ITER_NATIVE,
        [](hid_t, const char* name, const auto*, void* found) -> herr_t {
          const std::string n = name;
          if (n == "weight_hh_l0" || ends_with(n, "/weight_hh_l0") || ends_with(n, ".weight_hh_l0")) {
            *static_cast<bool*>(found) = true;
            return 1;  // stop
          }
          return 0;
        },
        &torch);
    return torch ? "torch" : "arrays";
  } catch (const H5::Exception&) {
    return "arrays";  // unreadable: the importer reports it, naming the file
  }
}

NetworkRecord import_network(const std::string& path, const std::string& format, double dt, double tau) {
  const std::string kind = format == "auto" ? detect_import_format(path) : format;
  if (kind == "keras") return import_keras(path, dt, tau);
  return import_arrays(path, kind == "torch", dt, tau);
}

}  // namespace rnnlab
