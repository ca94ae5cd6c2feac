// Results declared after files were already written with hand-written
// writers: the declared reader loads those files, and the declared writer
// writes the very same layout (member names, element types, shapes, bytes).
// The files are in tests/fixtures/old-layouts/ (README there says how they
// were made). Also the map of groups: children named at run time.
#include <gtest/gtest.h>

#include <H5Cpp.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "analysis/census_schema.hpp"
#include "analysis/dynamics_schema.hpp"
#include "analysis/perturbation_schema.hpp"
#include "io/h5.hpp"
#include "io/result_file.hpp"
#include "util/error.hpp"

namespace rnnlab {
namespace {

const std::string kOld = std::string(RNNLAB_FIXTURES_DIR) + "/old-layouts/analyses.h5";

std::vector<std::string> members(const H5::Group& g) {
  std::vector<std::string> out;
  for (hsize_t i = 0; i < g.getNumObjs(); ++i) out.push_back(g.getObjnameByIdx(i));
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> attribute_names(const H5::H5Object& o) {
  std::vector<std::string> out;
  for (int i = 0; i < o.getNumAttrs(); ++i) out.push_back(o.openAttribute(static_cast<unsigned>(i)).getName());
  std::sort(out.begin(), out.end());
  return out;
}

void expect_same_attributes(const H5::H5Object& a, const H5::H5Object& b, const std::string& path) {
  ASSERT_EQ(attribute_names(a), attribute_names(b)) << path;
  for (const std::string& name : attribute_names(a)) {
    const H5::Attribute x = a.openAttribute(name), y = b.openAttribute(name);
    ASSERT_TRUE(x.getDataType() == y.getDataType()) << path << "@" << name << ": element type";
    if (x.getTypeClass() == H5T_STRING) {
      EXPECT_EQ(h5::read_string_attr(a, name), h5::read_string_attr(b, name)) << path << "@" << name;
      continue;
    }
    std::vector<char> u(x.getStorageSize()), v(y.getStorageSize());
    ASSERT_EQ(u.size(), v.size()) << path << "@" << name;
    x.read(x.getDataType(), u.data());
    y.read(y.getDataType(), v.data());
    EXPECT_EQ(0, std::memcmp(u.data(), v.data(), u.size())) << path << "@" << name << ": value";
  }
}

// The two groups hold the same members with the same element types, shapes and bytes.
void expect_same_tree(const H5::Group& a, const H5::Group& b, const std::string& path) {
  expect_same_attributes(a, b, path);
  ASSERT_EQ(members(a), members(b)) << path;
  for (const std::string& name : members(a)) {
    const std::string where = path + "/" + name;
    ASSERT_EQ(a.childObjType(name), b.childObjType(name)) << where;
    if (a.childObjType(name) == H5O_TYPE_GROUP) {
      expect_same_tree(a.openGroup(name), b.openGroup(name), where);
      continue;
    }
    const H5::DataSet x = a.openDataSet(name), y = b.openDataSet(name);
    ASSERT_TRUE(x.getDataType() == y.getDataType()) << where << ": element type";
    ASSERT_EQ(h5::shape(a, name), h5::shape(b, name)) << where;
    expect_same_attributes(x, y, where);
    if (x.getTypeClass() == H5T_STRING) {
      EXPECT_EQ(h5::read_strings(a, name), h5::read_strings(b, name)) << where;
      continue;
    }
    std::vector<char> u(x.getStorageSize()), v(y.getStorageSize());
    ASSERT_EQ(u.size(), v.size()) << where;
    if (u.empty()) continue;
    x.read(u.data(), x.getDataType());
    y.read(v.data(), y.getDataType());
    EXPECT_EQ(0, std::memcmp(u.data(), v.data(), u.size())) << where << ": values";
  }
}

// Reading `g` as `s` is refused with an InputError that names `member`.
void expect_refused_naming(const H5::Group& g, const schema::Schema& s, const std::string& member,
                           const SymbolSizes& known = {}) {
  try {
    read_result(g, s, known);
    ADD_FAILURE() << "a wrong shape of " << member << " was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(member), std::string::npos) << e.what();
  }
}

// The old file's group, read by the declaration and written again into a fresh file.
template <class T>
void expect_rewritten_identically(const schema::Declaration<T>& d, const std::string& group,
                                  const SymbolSizes& known) {
  const H5::H5File old(kOld, H5F_ACC_RDONLY);
  const H5::Group stored = old.openGroup(group);
  const T value = d.read(read_result(stored, d.schema(), known));
  H5::H5File fresh = h5::create_in_memory("rewritten-" + group);
  H5::Group g = fresh.createGroup("result");
  write_result(g, d.schema(), d.write(value));
  expect_same_tree(stored, g, group);
  h5::abandon(fresh);
}

TEST(OldLayout, DynamicsOfEveryNetworkIsReadAndWrittenAgainByteForByte) {
  for (const char* seed : {"3", "4"}) {
    SCOPED_TRACE(seed);
    expect_rewritten_identically(dynamics_schema(), std::string("networks/") + seed + "/analysis/dynamics",
                                 {{"N", 4}, {"I", 1}});
  }
}

TEST(OldLayout, DynamicsReadsTheValuesTheOldWriterStored) {
  const H5::H5File old(kOld, H5F_ACC_RDONLY);
  const H5::Group g = old.openGroup("networks/4/analysis/dynamics");
  const DynamicsRecord r = dynamics_schema().read(read_result(g, dynamics_schema().schema()));
  EXPECT_EQ(r.task, h5::read_string_attr(g, "task"));
  EXPECT_EQ(r.settings.trials, h5::read_long_attr(g, "trials"));
  EXPECT_EQ(r.pca.components, h5::read_matrix(g.openGroup("pca"), "components"));
  ASSERT_EQ(r.conditions.size(), members(g.openGroup("conditions")).size());
  EXPECT_EQ(r.conditions.at("1").mean_states, h5::read_matrix(g.openGroup("conditions/1"), "mean_states"));
  ASSERT_TRUE(r.attractors && r.inputs && r.memory && r.signature);
  EXPECT_EQ(r.attractors->type, h5::read_strings(g.openGroup("attractors"), "type"));
  EXPECT_EQ(r.inputs->names.size(), r.inputs->operating.size() + 1);  // zero input, then the operating ones
  EXPECT_EQ(*r.signature, h5::read_vector(g, "signature"));
}

TEST(OldLayout, AWrongShapeIsRefusedNamingTheDataset) {
  const H5::H5File old(kOld, H5F_ACC_RDONLY);
  DynamicsRecord r = dynamics_schema().read(
      read_result(old.openGroup("networks/3/analysis/dynamics"), dynamics_schema().schema()));
  r.conditions.at("0").autonomous_pcs.conservativeResize(Eigen::NoChange, 2);  // K is 1 here: pca/components
  H5::H5File fresh = h5::create_in_memory("wrong-shape");
  H5::Group g = fresh.createGroup("dynamics");
  write_result(g, dynamics_schema().schema(), dynamics_schema().write(r));
  expect_refused_naming(g, dynamics_schema().schema(), "dynamics/conditions/0/autonomous_pcs", {{"N", 4}});
  h5::abandon(fresh);
}

TEST(OldLayout, CensusIsReadAndWrittenAgainByteForByte) {
  expect_rewritten_identically(census_schema(), "analysis/census", {});
}

TEST(OldLayout, CensusReadsTheValuesTheOldWriterStored) {
  const H5::H5File old(kOld, H5F_ACC_RDONLY);
  const H5::Group g = old.openGroup("analysis/census");
  const CensusRecord c = census_schema().read(read_result(g, census_schema().schema()));
  EXPECT_EQ(c.seeds, (std::vector<double>{3, 4}));
  EXPECT_EQ(c.networks, 2);
  EXPECT_EQ(c.table, h5::read_string_attr(g, "table"));
  EXPECT_EQ(c.similarity.cca, h5::read_matrix(g.openGroup("similarity"), "cca"));
  EXPECT_EQ(c.families.label.size(), 2u);
  EXPECT_TRUE(c.by_group.empty());  // not a sweep: no by_group/
}

TEST(OldLayout, ACensusMatrixOfTheWrongSizeIsRefusedNamingIt) {
  const H5::H5File old(kOld, H5F_ACC_RDONLY);
  CensusRecord c = census_schema().read(read_result(old.openGroup("analysis/census"), census_schema().schema()));
  c.similarity.procrustes = Eigen::MatrixXd::Zero(3, 3);  // 2 networks
  H5::H5File fresh = h5::create_in_memory("wrong-census");
  H5::Group g = fresh.createGroup("census");
  write_result(g, census_schema().schema(), census_schema().write(c));
  expect_refused_naming(g, census_schema().schema(), "census/similarity/procrustes");
  h5::abandon(fresh);
}

TEST(OldLayout, PerturbationCurvesAreReadAndWrittenAgainByteForByte) {
  for (const char* seed : {"3", "4"}) {
    SCOPED_TRACE(seed);
    expect_rewritten_identically(perturbation_schema(), std::string("networks/") + seed + "/analysis/perturbation",
                                 {});
  }
  const H5::H5File old(kOld, H5F_ACC_RDONLY);
  const PerturbationRecord r = perturbation_schema().read(
      read_result(old.openGroup("networks/3/analysis/perturbation"), perturbation_schema().schema()));
  ASSERT_EQ(r.curves.size(), 2u);  // the group names chosen at run time are the keys
  const StoredPerturbation& kick = r.curves.at("kick");
  EXPECT_EQ(kick.kick_step, 10);
  EXPECT_FALSE(kick.spectral_radius_w_rec.has_value());
  const StoredPerturbation& prune = r.curves.at("prune_magnitude");
  EXPECT_EQ(prune.levels, (std::vector<double>{0, 0.5, 1}));
  ASSERT_TRUE(prune.spectral_radius_w_rec.has_value());
  EXPECT_EQ(prune.spectral_radius_w_rec->back(), 0.0);  // every connection pruned
}

TEST(OldLayout, ACurveOfTheWrongLengthIsRefusedNamingIt) {
  PerturbationRecord r;
  StoredPerturbation& c = r.curves["weight_noise"];
  c.levels = {0, 0.1, 0.5};
  c.accuracy = {1, 0.9, 0.5};
  c.loss = {0, 0.1};  // one short
  c.removed = {0, 0, 0};
  c.perturbation = "weight_noise";
  H5::H5File fresh = h5::create_in_memory("wrong-curve");
  H5::Group g = fresh.createGroup("perturbation");
  write_result(g, perturbation_schema().schema(), perturbation_schema().write(r));
  expect_refused_naming(g, perturbation_schema().schema(), "perturbation/weight_noise/loss");
  h5::abandon(fresh);
}

// ---- the map of groups ----

struct Curve {
  Eigen::VectorXd y;
  std::string label;
};
struct Curves {
  std::vector<double> x;
  std::map<std::string, Curve> by_name;
  std::map<std::string, Curve> beside;  // stored in the group itself
};

const schema::Declaration<Curves>& curves_schema() {
  static const schema::Declaration<Curves> d = [] {
    schema::Declaration<Curve> c("Curve", "one curve");
    c.field("y", &Curve::y, "X", "", "values");
    c.field("label", &Curve::label, "", "", "what it is");
    schema::Declaration<Curves> d("Curves", "curves named at run time");
    d.field("x", &Curves::x, "X", "", "abscissa");
    d.group_map("by_name", &Curves::by_name, c, "in a subgroup");
    d.group_map("beside", &Curves::beside, c, "in this group").in_place();
    return d;
  }();
  return d;
}

TEST(ResultMap, EntriesNamedAtRunTimeRoundTripAndKeepTheirShapesChecked) {
  Curves v;
  v.x = {0.0, 0.5, 1.0};
  v.by_name["prune_magnitude"] = {Eigen::Vector3d(1, 0.5, 0.25), "pruned"};
  v.by_name["noise"] = {Eigen::Vector3d(1, 0.9, 0.1), "noisy"};
  v.beside["7"] = {Eigen::Vector3d(3, 2, 1), "seven"};
  H5::H5File file = h5::create_in_memory("map-test");
  H5::Group g = file.createGroup("curves");
  write_result(g, curves_schema().schema(), curves_schema().write(v));
  EXPECT_TRUE(h5::exists(g, "by_name/prune_magnitude/y"));
  EXPECT_TRUE(h5::exists(g, "7/y"));  // in place: beside x and by_name/
  const Curves back = curves_schema().read(read_result(g, curves_schema().schema()));
  ASSERT_EQ(back.by_name.size(), 2u);
  EXPECT_EQ(back.by_name.at("noise").y, v.by_name.at("noise").y);
  EXPECT_EQ(back.by_name.at("prune_magnitude").label, "pruned");
  ASSERT_EQ(back.beside.size(), 1u);  // by_name/ is a declared group, not an entry
  EXPECT_EQ(back.beside.at("7").y, v.beside.at("7").y);

  H5::Group noise = g.openGroup("by_name/noise");
  noise.unlink("y");
  h5::write_vector(noise, "y", Eigen::VectorXd(Eigen::VectorXd::Zero(4)));
  expect_refused_naming(g, curves_schema().schema(), "by_name/noise/y");
  h5::abandon(file);
}

}  // namespace
}  // namespace rnnlab
