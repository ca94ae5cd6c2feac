// The HDF5 helpers of io/h5.hpp. Callers hold h5_lock(); nothing here locks,
// so that an update_experiment() edit can call these under its own lock.
#include "io/h5.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <complex>
#include <cstring>
#include <cstdlib>
#include <limits>
#include <optional>

#include <fmt/format.h>

#include "util/error.hpp"

namespace rnnlab::h5 {

namespace {

using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

}  // namespace

std::string where(const H5::H5Location& loc, const std::string& name) {
  std::string group;
  try {
    group = loc.getFileName() + ":";
  } catch (const H5::Exception&) {
  }
  if (const auto* object = dynamic_cast<const H5::H5Object*>(&loc)) {
    try {
      std::string path = object->getObjName();
      group += path == "/" ? "/" : path + "/";
    } catch (const H5::Exception&) {
    }
  }
  return group + name;
}

std::string shape_text(const std::vector<hsize_t>& dims) {
  std::string text = "(";
  for (std::size_t i = 0; i < dims.size(); ++i) text += (i ? ", " : "") + std::to_string(dims[i]);
  return text + (dims.size() == 1 ? ",)" : ")");
}

namespace {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  std::string part;
  for (char c : path) {
    if (c == '/') {
      if (!part.empty()) parts.push_back(part);
      part.clear();
    } else {
      part += c;
    }
  }
  if (!part.empty()) parts.push_back(part);
  return parts;
}

// Datasets are replaced, not appended to, so that re-running an analysis
// into the same file overwrites its old result.
void unlink_if_present(H5::Group& g, const std::string& name) {
  if (exists(g, name)) g.unlink(name);
}

// Storage of large datasets. A dataset of at least kChunkedFrom values is
// stored in chunks of about kChunkValues values, compressed with shuffle +
// gzip (HDF5's standard filters: h5py and every HDF5 tool read them as is)
// when that pays. Connectivity masks, sparse weights, curves and most
// analysis arrays shrink several-fold; a dense random weight matrix saves
// only ~10% (its mantissas are noise) for a 5-10x slower write and read, so
// it stays uncompressed and contiguous. Whether it pays is tried on the first
// chunk (a few milliseconds) before the dataset is written.
constexpr hsize_t kChunkedFrom = 8192;           // 64 KiB of float64
constexpr hsize_t kChunkValues = 1 << 17;        // 1 MiB chunks
constexpr int kGzipLevel = 4;                    // most of level 9's ratio at a fraction of its time
constexpr double kWorthwhileRatio = 0.8;         // compressed only if it saves at least a fifth

H5::DSetCreatPropList compressed_layout(const std::vector<hsize_t>& chunk) {
  H5::DSetCreatPropList plist;
  plist.setChunk(static_cast<int>(chunk.size()), chunk.data());
  plist.setShuffle();  // bytes of equal significance together: exponents compress, zeros vanish
  plist.setDeflate(kGzipLevel);
  return plist;
}

// The chunk shape for `dims`: whole rows (or runs of one row) of about kChunkValues values.
std::vector<hsize_t> chunk_shape(const std::vector<hsize_t>& dims) {
  std::vector<hsize_t> chunk(dims);
  if (chunk.size() == 1) chunk[0] = std::min(dims[0], kChunkValues);
  if (chunk.size() == 2) {
    chunk[1] = std::min(dims[1], kChunkValues);
    chunk[0] = std::clamp<hsize_t>(kChunkValues / chunk[1], 1, dims[0]);
  }
  return chunk;
}

// Compresses the first `count` values (at most one chunk) in a scratch file
// in memory and says whether they shrank below kWorthwhileRatio of their size.
template <class T>
bool compression_pays(const T* data, hsize_t count, const H5::PredType& file_type, const H5::PredType& memory_type) {
  count = std::min(count, kChunkValues);
  static int trials = 0;  // a fresh name each time: the core driver refuses a name already open
  H5::H5File scratch = create_in_memory("compression-trial-" + std::to_string(++trials));
  H5::DataSpace space(1, &count);
  H5::DataSet ds = scratch.createDataSet("trial", file_type, space, compressed_layout({count}));
  ds.write(data, memory_type);
  const double stored = static_cast<double>(ds.getStorageSize());
  ds.close();
  abandon(scratch);
  return stored < kWorthwhileRatio * static_cast<double>(count * sizeof(T));
}

// Writes `data` (count values of T) as a dataset of `file_type`, chunked and
// compressed when that pays (see above).
template <class T>
void write_values(H5::Group& g, const std::string& name, const T* data, const std::vector<hsize_t>& dims,
                  const H5::PredType& file_type, const H5::PredType& memory_type) {
  unlink_if_present(g, name);
  H5::DataSpace space(static_cast<int>(dims.size()), dims.data());
  const hsize_t count = static_cast<hsize_t>(space.getSimpleExtentNpoints());
  static const bool have_gzip = H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0 && H5Zfilter_avail(H5Z_FILTER_SHUFFLE) > 0;
  const bool compress =
      have_gzip && !dims.empty() && count >= kChunkedFrom && compression_pays(data, count, file_type, memory_type);
  H5::DataSet ds = g.createDataSet(name, file_type, space,
                                   compress ? compressed_layout(chunk_shape(dims)) : H5::DSetCreatPropList::DEFAULT);
  // Zero-sized datasets are legal (no inputs, say) but have nothing to write.
  if (count > 0) ds.write(data, memory_type);
}

void write_doubles(H5::Group& g, const std::string& name, const double* data, const std::vector<hsize_t>& dims) {
  write_values(g, name, data, dims, H5::PredType::IEEE_F64LE, H5::PredType::NATIVE_DOUBLE);
}

// The values as float32 when every one of them is exactly a float32 (the
// cast back gives the same bits, signed zeros and infinities included; NaN
// never compares equal, so a weight set with NaN stays float64): nothing is lost.
std::optional<std::vector<float>> exact_floats(const double* data, std::size_t count) {
  std::vector<float> floats(count);
  for (std::size_t i = 0; i < count; ++i) {
    floats[i] = static_cast<float>(data[i]);
    const double back = static_cast<double>(floats[i]);
    if (std::memcmp(&back, data + i, sizeof(double)) != 0) return std::nullopt;
  }
  return floats;
}

// float32 in the file when that is exact (exact_floats), float64 otherwise.
void write_compact(H5::Group& g, const std::string& name, const double* data, const std::vector<hsize_t>& dims) {
  std::size_t count = 1;
  for (hsize_t d : dims) count *= static_cast<std::size_t>(d);
  if (const auto floats = exact_floats(data, count))
    write_values(g, name, floats->data(), dims, H5::PredType::IEEE_F32LE, H5::PredType::NATIVE_FLOAT);
  else
    write_doubles(g, name, data, dims);
}

H5::StrType utf8_string_type() {
  H5::StrType type(H5::PredType::C_S1, H5T_VARIABLE);
  type.setCset(H5T_CSET_UTF8);
  return type;
}

H5::CompType complex_type() {
  // std::complex<double> is laid out as double[2] (real, imaginary), which is
  // exactly the compound h5py recognises as complex128.
  H5::CompType type(sizeof(std::complex<double>));
  type.insertMember("r", 0, H5::PredType::NATIVE_DOUBLE);
  type.insertMember("i", sizeof(double), H5::PredType::NATIVE_DOUBLE);
  return type;
}

std::vector<hsize_t> dims_of(const H5::DataSet& ds) {
  H5::DataSpace space = ds.getSpace();
  std::vector<hsize_t> dims(static_cast<std::size_t>(space.getSimpleExtentNdims()));
  if (!dims.empty()) space.getSimpleExtentDims(dims.data());
  return dims;
}

// This machine's physical memory in bytes (no limit if unknown).
double memory_bytes() {
  const long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGESIZE);
  return pages > 0 && page > 0 ? static_cast<double>(pages) * static_cast<double>(page)
                               : std::numeric_limits<double>::infinity();
}

// A declared size is only a number in the file: a corrupted one can claim
// petabytes. Refused before the buffer is allocated (in double arithmetic,
// so the product of the dimensions cannot overflow).
void check_fits_in_memory(const H5::Group& g, const std::string& name, const std::vector<hsize_t>& dims,
                          std::size_t bytes_per_element) {
  double bytes = static_cast<double>(bytes_per_element);
  for (hsize_t d : dims) bytes *= static_cast<double>(d);
  if (bytes > memory_bytes())
    throw InputError(fmt::format("{}: declared shape {} needs {:.3g} GB, more than this machine's memory ({:.3g} GB); "
                                 "the file is corrupted or not an rnnlab file",
                                 where(g, name), shape_text(dims), bytes / 1e9, memory_bytes() / 1e9));
}

// HDF5's row-major values into the column-major `m`, in tiles so that both
// the reads and the writes stay in cache (a plain transposing loop over a
// 2000 x 2000 matrix misses the cache on nearly every write).
template <class T>
void from_row_major(const T* values, Eigen::MatrixXd& m) {
  constexpr Eigen::Index kTile = 64;
  const Eigen::Index rows = m.rows(), cols = m.cols();
  double* out = m.data();
  for (Eigen::Index i0 = 0; i0 < rows; i0 += kTile)
    for (Eigen::Index j0 = 0; j0 < cols; j0 += kTile) {
      const Eigen::Index i1 = std::min(rows, i0 + kTile), j1 = std::min(cols, j0 + kTile);
      for (Eigen::Index j = j0; j < j1; ++j)
        for (Eigen::Index i = i0; i < i1; ++i) out[j * rows + i] = static_cast<double>(values[i * cols + j]);
    }
}

H5::DataSet open_dataset(const H5::Group& g, const std::string& name) {
  if (!exists(g, name)) throw Error(where(g, name) + ": no such dataset");
  try {
    return g.openDataSet(name);
  } catch (const H5::Exception& e) {
    // A dangling link or a damaged object header: say which dataset.
    throw Error(where(g, name) + ": cannot open the dataset: " + message(e));
  }
}

void require_numeric(const H5::Group& g, const std::string& name, const H5::DataSet& ds) {
  const H5T_class_t cls = ds.getTypeClass();
  if (cls != H5T_FLOAT && cls != H5T_INTEGER)
    throw Error(where(g, name) + ": expected a numeric dataset");
}

}  // namespace

std::string message(const H5::Exception& e) {
  std::string detail = e.getDetailMsg();
  // HDF5's error stack holds the innermost cause (a write that failed with
  // "File too large", say), which the C++ exception does not carry.
  std::string cause;
  H5Ewalk2(
      H5E_DEFAULT, H5E_WALK_UPWARD,
      [](unsigned n, const H5E_error2_t* err, void* data) -> herr_t {
        if (n == 0 && err->desc) *static_cast<std::string*>(data) = err->desc;
        return 0;
      },
      &cause);
  if (cause.size() > 200) cause = cause.substr(0, 200) + "...";
  if (detail.empty()) detail = "HDF5 error";
  if (!cause.empty() && cause != detail) detail += " (" + cause + ")";
  return detail;
}

void close_once(H5::H5File& file) {
  const hid_t id = file.getId();
  // Our own reference: the wrapper's close then only drops its one (and
  // forgets the id, so its destructor does nothing); the real close, with
  // the flush, is ours and happens once.
  if (H5Iinc_ref(id) < 0) throw H5::FileIException("close_once", "not an open file");
  file.close();
  if (H5Fclose(id) < 0) throw H5::FileIException("H5Fclose", "cannot flush and close the file");
}

void abandon(H5::H5File& file) noexcept {
  try {
    if (file.getId() >= 0 && H5Iis_valid(file.getId()) > 0) close_once(file);
  } catch (...) {
  }
}

namespace {

H5::FileAccPropList in_memory_access() {
  H5::FileAccPropList fapl;
  // Grows in 1 MiB steps; no backing store: nothing touches the disk until save_image.
  fapl.setCore(1 << 20, false);
  return fapl;
}

}  // namespace

H5::H5File create_in_memory(const std::string& name) {
  return H5::H5File(name, H5F_ACC_TRUNC, H5::FileCreatPropList::DEFAULT, in_memory_access());
}

H5::H5File open_in_memory(const std::string& path) {
  return H5::H5File(path, H5F_ACC_RDWR, H5::FileCreatPropList::DEFAULT, in_memory_access());
}

void fill_and_save(H5::H5File& file, const std::function<void(H5::H5File&)>& fill, const std::string& path) {
  try {
    fill(file);
  } catch (...) {
    abandon(file);  // closed once here, not again by the destructor
    throw;
  }
  save_image(file, path);
}

void save_image(H5::H5File& file, const std::string& path) {
  std::vector<char> image;
  try {
    // Every cached object and the superblock go into the memory buffer first.
    if (H5Fflush(file.getId(), H5F_SCOPE_GLOBAL) < 0) throw H5::FileIException("H5Fflush", "cannot flush the file");
    const ssize_t size = H5Fget_file_image(file.getId(), nullptr, 0);
    if (size < 0) throw H5::FileIException("H5Fget_file_image", "cannot take the file's image");
    image.resize(static_cast<std::size_t>(size));
    if (H5Fget_file_image(file.getId(), image.data(), image.size()) != size)
      throw H5::FileIException("H5Fget_file_image", "cannot take the file's image");
  } catch (...) {
    abandon(file);
    throw;
  }
  close_once(file);  // in memory: nothing to flush to disk, cannot meet a full disk

  const auto fail = [&](const char* what, int err) {
    throw Error(fmt::format("cannot write '{}': {} failed: {}", path, what, std::strerror(err)));
  };
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail("open", errno);
  std::size_t done = 0;
  while (done < image.size()) {
    const ssize_t n = ::write(fd, image.data() + done, image.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = n < 0 ? errno : EIO;
      ::close(fd);
      fail("write", err);
    }
    done += static_cast<std::size_t>(n);
  }
  // Some file systems (NFS, quotas) report a full disk only here.
  if (::fdatasync(fd) != 0) {
    const int err = errno;
    ::close(fd);
    fail("sync", err);
  }
  if (::close(fd) != 0) fail("close", errno);
}

std::vector<hsize_t> shape(const H5::Group& g, const std::string& name) { return dims_of(open_dataset(g, name)); }

bool exists(const H5::Group& parent, const std::string& path) {
  // H5Lexists needs every intermediate link to exist, so walk the path.
  std::string prefix;
  for (const auto& part : split_path(path)) {
    prefix += prefix.empty() ? part : "/" + part;
    if (H5Lexists(parent.getId(), prefix.c_str(), H5P_DEFAULT) <= 0) return false;
  }
  return !prefix.empty();
}

H5::Group require_group(H5::Group& parent, const std::string& path) {
  const auto open_or_create = [](const H5::Group& location, const std::string& name) {
    if (!exists(location, name)) return location.createGroup(name);
    if (location.childObjType(name) != H5O_TYPE_GROUP) throw Error(where(location, name) + ": exists and is not a group");
    return location.openGroup(name);
  };
  // `parent` may be an H5File, whose id lives outside the Group base: copying
  // it into a Group would lose the id, so the first step starts from `parent` itself.
  const auto parts = split_path(path);
  if (parts.empty()) return parent.openGroup(".");
  H5::Group current = open_or_create(parent, parts[0]);
  for (std::size_t i = 1; i < parts.size(); ++i) current = open_or_create(current, parts[i]);
  return current;
}

void write_matrix(H5::Group& g, const std::string& name, const Eigen::MatrixXd& m) {
  const RowMajor row_major = m;  // HDF5 is row-major: [i, j] in h5py is m(i, j)
  write_doubles(g, name, row_major.data(),
                {static_cast<hsize_t>(m.rows()), static_cast<hsize_t>(m.cols())});
}

void write_vector(H5::Group& g, const std::string& name, const Eigen::VectorXd& v) {
  write_doubles(g, name, v.data(), {static_cast<hsize_t>(v.size())});
}

void write_matrix_compact(H5::Group& g, const std::string& name, const Eigen::MatrixXd& m) {
  const RowMajor row_major = m;
  write_compact(g, name, row_major.data(), {static_cast<hsize_t>(m.rows()), static_cast<hsize_t>(m.cols())});
}

void write_vector_compact(H5::Group& g, const std::string& name, const Eigen::VectorXd& v) {
  write_compact(g, name, v.data(), {static_cast<hsize_t>(v.size())});
}

void write_vector(H5::Group& g, const std::string& name, const std::vector<double>& v) {
  write_doubles(g, name, v.data(), {static_cast<hsize_t>(v.size())});
}

void write_complex_vector(H5::Group& g, const std::string& name, const Eigen::VectorXcd& v) {
  unlink_if_present(g, name);
  const hsize_t n = static_cast<hsize_t>(v.size());
  H5::DataSpace space(1, &n);
  const H5::CompType type = complex_type();
  H5::DataSet ds = g.createDataSet(name, type, space);
  if (n > 0) ds.write(v.data(), type);
}

void write_strings(H5::Group& g, const std::string& name, const std::vector<std::string>& v) {
  unlink_if_present(g, name);
  const hsize_t n = v.size();
  H5::DataSpace space(1, &n);
  const H5::StrType type = utf8_string_type();
  H5::DataSet ds = g.createDataSet(name, type, space);
  std::vector<const char*> pointers;
  for (const auto& s : v) pointers.push_back(s.c_str());
  if (n > 0) ds.write(pointers.data(), type);
}

Eigen::MatrixXd read_matrix(const H5::Group& g, const std::string& name) {
  H5::DataSet ds = open_dataset(g, name);
  require_numeric(g, name, ds);
  const auto dims = dims_of(ds);
  if (dims.size() > 2) throw Error(where(g, name) + ": expected at most 2 dimensions, found " +
                                   std::to_string(dims.size()));
  check_fits_in_memory(g, name, dims, sizeof(double));
  const Eigen::Index rows = dims.empty() ? 1 : static_cast<Eigen::Index>(dims[0]);
  const Eigen::Index cols = dims.size() < 2 ? 1 : static_cast<Eigen::Index>(dims[1]);
  Eigen::MatrixXd m(rows, cols);
  if (m.size() == 0) return m;
  // Read in the file's type when it is float32 (the weights, mostly): half
  // the bytes, and the cast to double happens in the transposing copy below
  // instead of in a separate HDF5 conversion pass. At N = 2000 this is most
  // of `rnnlab info`'s time.
  if (ds.getTypeClass() == H5T_FLOAT && ds.getDataType().getSize() == sizeof(float)) {
    std::vector<float> values(static_cast<std::size_t>(m.size()));
    ds.read(values.data(), H5::PredType::NATIVE_FLOAT);
    from_row_major(values.data(), m);
  } else {
    std::vector<double> values(static_cast<std::size_t>(m.size()));
    ds.read(values.data(), H5::PredType::NATIVE_DOUBLE);
    from_row_major(values.data(), m);
  }
  return m;
}

Eigen::VectorXd read_vector(const H5::Group& g, const std::string& name) {
  H5::DataSet ds = open_dataset(g, name);
  require_numeric(g, name, ds);
  const auto dims = dims_of(ds);
  if (dims.size() != 1) throw Error(where(g, name) + ": expected a 1-D dataset");
  check_fits_in_memory(g, name, dims, sizeof(double));
  Eigen::VectorXd v(static_cast<Eigen::Index>(dims[0]));
  if (v.size() > 0) ds.read(v.data(), H5::PredType::NATIVE_DOUBLE);
  return v;
}

Eigen::VectorXcd read_complex_vector(const H5::Group& g, const std::string& name) {
  H5::DataSet ds = open_dataset(g, name);
  if (ds.getTypeClass() != H5T_COMPOUND) throw Error(where(g, name) + ": expected a complex (compound r, i) dataset");
  const auto dims = dims_of(ds);
  if (dims.size() != 1) throw Error(where(g, name) + ": expected a 1-D dataset");
  check_fits_in_memory(g, name, dims, sizeof(std::complex<double>));
  Eigen::VectorXcd v(static_cast<Eigen::Index>(dims[0]));
  // HDF5 matches compound members by name, so files written by h5py
  // (members "r", "i") convert into our layout directly.
  if (v.size() > 0) ds.read(v.data(), complex_type());
  return v;
}

std::vector<std::string> read_strings(const H5::Group& g, const std::string& name) {
  H5::DataSet ds = open_dataset(g, name);
  if (ds.getTypeClass() != H5T_STRING) throw Error(where(g, name) + ": expected a string dataset");
  const auto dims = dims_of(ds);
  if (dims.size() != 1) throw Error(where(g, name) + ": expected a 1-D dataset");
  const std::size_t n = dims[0];
  std::vector<std::string> out;
  if (n == 0) return out;
  H5::StrType file_type = ds.getStrType();
  check_fits_in_memory(g, name, dims, file_type.isVariableStr() ? sizeof(char*) : file_type.getSize());
  if (file_type.isVariableStr()) {
    const H5::StrType type = utf8_string_type();
    std::vector<char*> pointers(n, nullptr);
    ds.read(pointers.data(), type);
    for (char* p : pointers) out.emplace_back(p ? p : "");
    H5::DataSet::vlenReclaim(pointers.data(), type, ds.getSpace());
  } else {
    // Fixed-length strings (numpy "S" arrays): null-padded or space-padded.
    const std::size_t width = file_type.getSize();
    std::vector<char> buffer(n * width);
    ds.read(buffer.data(), file_type);
    for (std::size_t i = 0; i < n; ++i) {
      std::string s(buffer.data() + i * width, width);
      s.erase(s.find_last_not_of(std::string("\0 ", 2)) + 1);
      out.push_back(s);
    }
  }
  return out;
}

namespace {

void walk_attributes(const H5::H5Object& obj) {
  for (int i = 0; i < obj.getNumAttrs(); ++i) {
    try {
      H5::Attribute attr = obj.openAttribute(static_cast<unsigned>(i));
      if (attr.getTypeClass() == H5T_STRING) {
        std::string value;
        attr.read(attr.getDataType(), value);
      } else if (attr.getTypeClass() == H5T_FLOAT || attr.getTypeClass() == H5T_INTEGER) {
        const hssize_t n = attr.getSpace().getSimpleExtentNpoints();
        if (n > 0 && n < (1 << 20)) {
          std::vector<double> values(static_cast<std::size_t>(n));
          attr.read(H5::PredType::NATIVE_DOUBLE, values.data());
        }
      }
    } catch (const std::exception&) {
    } catch (const H5::Exception&) {
    }
  }
}

void walk_group(const H5::Group& g, int depth) {
  walk_attributes(g);
  if (depth > 32) return;  // a hard-link cycle in a crafted file
  for (hsize_t i = 0; i < g.getNumObjs(); ++i) {
    try {
      const std::string name = g.getObjnameByIdx(i);
      const H5O_type_t type = g.childObjType(name);
      if (type == H5O_TYPE_GROUP) {
        walk_group(g.openGroup(name), depth + 1);
      } else if (type == H5O_TYPE_DATASET) {
        const H5::DataSet ds = g.openDataSet(name);
        walk_attributes(ds);
        (void)dims_of(ds);
        if (ds.getTypeClass() == H5T_STRING) (void)read_strings(g, name);
      }
    } catch (const std::exception&) {
    } catch (const H5::Exception&) {
    }
  }
}

}  // namespace

void walk_metadata(const std::string& path) {
  try {
    const H5::H5File file(path, H5F_ACC_RDONLY);
    walk_group(file.openGroup("/"), 0);
  } catch (const std::exception&) {
  } catch (const H5::Exception&) {
  }
}

namespace {

H5::Attribute replace_attr(H5::H5Object& obj, const std::string& name, const H5::DataType& type) {
  if (obj.attrExists(name)) obj.removeAttr(name);
  return obj.createAttribute(name, type, H5::DataSpace(H5S_SCALAR));
}

H5::Attribute open_attr(const H5::H5Object& obj, const std::string& name) {
  if (!obj.attrExists(name)) throw Error(where(obj, "@" + name) + ": no such attribute");
  return obj.openAttribute(name);
}

}  // namespace

void write_attr(H5::H5Object& obj, const std::string& name, const std::string& value) {
  const H5::StrType type = utf8_string_type();
  H5::Attribute attr = replace_attr(obj, name, type);
  // Variable-length strings live in the global heap, so a long config text
  // does not hit the 64 KiB limit on an attribute's header.
  const char* pointer = value.c_str();
  attr.write(type, &pointer);
}

void write_attr(H5::H5Object& obj, const std::string& name, double value) {
  H5::Attribute attr = replace_attr(obj, name, H5::PredType::IEEE_F64LE);
  attr.write(H5::PredType::NATIVE_DOUBLE, &value);
}

void write_attr(H5::H5Object& obj, const std::string& name, long value) {
  H5::Attribute attr = replace_attr(obj, name, H5::PredType::STD_I64LE);
  attr.write(H5::PredType::NATIVE_LONG, &value);
}

bool has_attr(const H5::H5Object& obj, const std::string& name) { return obj.attrExists(name); }

std::string read_string_attr(const H5::H5Object& obj, const std::string& name) {
  H5::Attribute attr = open_attr(obj, name);
  if (attr.getTypeClass() != H5T_STRING) throw Error(where(obj, "@" + name) + ": expected a string attribute");
  std::string value;
  // Handles both variable-length (h5py str) and fixed-length (numpy bytes) strings.
  attr.read(attr.getDataType(), value);
  const auto end = value.find('\0');
  if (end != std::string::npos) value.resize(end);
  return value;
}

double read_double_attr(const H5::H5Object& obj, const std::string& name) {
  H5::Attribute attr = open_attr(obj, name);
  const H5T_class_t cls = attr.getTypeClass();
  if ((cls != H5T_FLOAT && cls != H5T_INTEGER) || attr.getSpace().getSimpleExtentNpoints() != 1)
    throw Error(where(obj, "@" + name) + ": expected a number");
  double value = 0;
  attr.read(H5::PredType::NATIVE_DOUBLE, &value);
  return value;
}

long read_long_attr(const H5::H5Object& obj, const std::string& name) {
  H5::Attribute attr = open_attr(obj, name);
  if (attr.getTypeClass() != H5T_INTEGER || attr.getSpace().getSimpleExtentNpoints() != 1)
    throw Error(where(obj, "@" + name) + ": expected an integer");
  long value = 0;
  attr.read(H5::PredType::NATIVE_LONG, &value);
  return value;
}

}  // namespace rnnlab::h5

namespace rnnlab::h5 {

namespace {

template <class T>
void write_typed(H5::Group& g, const std::string& name, const std::vector<hsize_t>& dims, const H5::DataType& file_type,
                 const H5::DataType& memory_type, const T* data) {
  unlink_if_present(g, name);
  H5::DataSpace space(static_cast<int>(dims.size()), dims.data());
  H5::DataSet ds = g.createDataSet(name, file_type, space);
  if (space.getSimpleExtentNpoints() > 0) ds.write(data, memory_type);
}

template <class T>
std::vector<T> read_typed(const H5::Group& g, const std::string& name, std::vector<hsize_t>& dims,
                          const H5::DataType& memory_type) {
  H5::DataSet ds = open_dataset(g, name);
  dims = dims_of(ds);
  check_fits_in_memory(g, name, dims, sizeof(T));
  hsize_t count = 1;
  for (hsize_t d : dims) count *= d;
  std::vector<T> out(count);
  if (count > 0) ds.read(out.data(), memory_type);
  return out;
}

}  // namespace

void write_array(H5::Group& g, const std::string& name, const std::vector<hsize_t>& dims, const double* data) {
  write_doubles(g, name, data, dims);
}

void write_array(H5::Group& g, const std::string& name, const std::vector<hsize_t>& dims, const long long* data) {
  write_typed(g, name, dims, H5::PredType::STD_I64LE, H5::PredType::NATIVE_LLONG, data);
}

void write_flags(H5::Group& g, const std::string& name, const std::vector<hsize_t>& dims, const unsigned char* data) {
  write_typed(g, name, dims, H5::PredType::STD_U8LE, H5::PredType::NATIVE_UCHAR, data);
}

void write_array(H5::Group& g, const std::string& name, const std::vector<hsize_t>& dims,
                 const std::complex<double>* data) {
  const H5::CompType type = complex_type();
  write_typed(g, name, dims, type, type, data);
}

H5T_class_t dataset_class(const H5::Group& g, const std::string& name) { return open_dataset(g, name).getTypeClass(); }

std::vector<double> read_doubles(const H5::Group& g, const std::string& name, std::vector<hsize_t>& dims) {
  require_numeric(g, name, open_dataset(g, name));
  return read_typed<double>(g, name, dims, H5::PredType::NATIVE_DOUBLE);
}

std::vector<long long> read_integers(const H5::Group& g, const std::string& name, std::vector<hsize_t>& dims) {
  if (dataset_class(g, name) != H5T_INTEGER) throw Error(where(g, name) + ": expected an integer dataset");
  return read_typed<long long>(g, name, dims, H5::PredType::NATIVE_LLONG);
}

std::vector<std::complex<double>> read_complexes(const H5::Group& g, const std::string& name,
                                                 std::vector<hsize_t>& dims) {
  if (dataset_class(g, name) != H5T_COMPOUND) throw Error(where(g, name) + ": expected a complex (compound r, i) dataset");
  return read_typed<std::complex<double>>(g, name, dims, complex_type());
}

H5T_class_t attr_class(const H5::H5Object& obj, const std::string& name) { return open_attr(obj, name).getTypeClass(); }

}  // namespace rnnlab::h5
