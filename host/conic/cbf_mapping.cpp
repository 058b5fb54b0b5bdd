// CBF content (cbf_data.hpp) to our conic form: every cone block becomes rows s = T g, where g are the
// file's affine rows (CON rows, the scalar variables, svec of each PSD variable, svec of each PSDCON),
// in the fixed cone order of problem.hpp.

#include "host/common/errors.hpp"
#include "host/conic/cbf_data.hpp"
#include "host/conic/sdpa_reader.hpp"
#include "kernels/psd.hpp"

namespace isacbf::conic {

namespace {

enum class Group { zero, nonneg, soc, psd, exp, dexp };

struct Block {
  Group group;
  CbfCone kind;  // for the map T (nonpos, rsoc, exp and dexp are not the identity)
  long size;     // rows
  long first;    // first row of g
  int order = 0;
};

Group group_of(CbfCone kind) {
  switch (kind) {
    case CbfCone::zero: return Group::zero;
    case CbfCone::nonneg:
    case CbfCone::nonpos: return Group::nonneg;
    case CbfCone::soc:
    case CbfCone::rsoc: return Group::soc;
    case CbfCone::exp: return Group::exp;
    default: return Group::dexp;
  }
}

// svec position of entry (row, col), row >= col, of an order-n matrix, and the weight with which the
// entry enters <M, X> = sum weight * M_rc * svec(X)_pos.
std::pair<long, double> svec_entry(int n, long row, long col) {
  return {kernels::svec_position(n, static_cast<int>(row), static_cast<int>(col)), row == col ? 1.0 : kernels::kSqrt2};
}

using RowSum = std::vector<std::pair<long, double>>;  // a row of s as a weighted sum of rows of g

// The rows of s = T g for one block (T orthogonal and symmetric; cbf_reader.hpp's header comment).
std::vector<RowSum> mapped_rows(const Block& b) {
  std::vector<RowSum> out;
  const long r = b.first;
  const double h = kernels::kInvSqrt2;
  switch (b.kind) {
    case CbfCone::nonpos:
      for (long i = 0; i < b.size; ++i) out.push_back({{r + i, -1.0}});
      break;
    case CbfCone::rsoc:
      out.push_back({{r, h}, {r + 1, h}});
      out.push_back({{r, h}, {r + 1, -h}});
      for (long i = 2; i < b.size; ++i) out.push_back({{r + i, 1.0}});
      break;
    case CbfCone::exp:
    case CbfCone::dexp:
      out = {{{r + 2, 1.0}}, {{r + 1, 1.0}}, {{r, 1.0}}};
      break;
    default:
      for (long i = 0; i < b.size; ++i) out.push_back({{r + i, 1.0}});
  }
  return out;
}

}  // namespace

CbfFile cbf_to_conic(const CbfData& d) {
  const long n = d.variables, m = d.constraints;
  // columns z = [x; svec X_0; ...] and the rows of g: CON, one per variable, PSDVAR svec, PSDCON svec
  std::vector<long> psdvar_col, psdcon_row;
  long nz = n;
  for (const int o : d.psd_variable_orders) psdvar_col.push_back(nz), nz += kernels::svec_size(o);
  long rows = m + nz;
  for (const int o : d.psd_constraint_orders) psdcon_row.push_back(rows), rows += kernels::svec_size(o);
  if (nz > kMaxSdpaRows || rows > kMaxSdpaRows)
    throw InputError("CON", "the file needs more than " + std::to_string(kMaxSdpaRows) + " rows or variables");

  Eigen::VectorXd c = Eigen::VectorXd::Zero(nz);
  for (const auto& [j, v] : d.objective) c[j] = v;
  for (const CbfMatrixEntry& e : d.objective_psd) {
    const auto [pos, w] = svec_entry(d.psd_variable_orders[static_cast<std::size_t>(e.matrix)], e.row, e.col);
    c[psdvar_col[static_cast<std::size_t>(e.matrix)] + pos] = w * e.value;
  }
  std::vector<Eigen::Triplet<double>> g;
  Eigen::VectorXd h = Eigen::VectorXd::Zero(rows);
  for (const auto& [i, j, v] : d.a) g.emplace_back(static_cast<int>(i), static_cast<int>(j), v);
  for (const auto& [i, v] : d.b) h[i] = v;
  for (const auto& [i, e] : d.f) {
    const auto [pos, w] = svec_entry(d.psd_variable_orders[static_cast<std::size_t>(e.matrix)], e.row, e.col);
    g.emplace_back(static_cast<int>(i), static_cast<int>(psdvar_col[static_cast<std::size_t>(e.matrix)] + pos), w * e.value);
  }
  for (const auto& [j, e] : d.h) {
    const auto [pos, w] = svec_entry(d.psd_constraint_orders[static_cast<std::size_t>(e.matrix)], e.row, e.col);
    g.emplace_back(static_cast<int>(psdcon_row[static_cast<std::size_t>(e.matrix)] + pos), static_cast<int>(j), w * e.value);
  }
  for (const CbfMatrixEntry& e : d.d) {
    const auto [pos, w] = svec_entry(d.psd_constraint_orders[static_cast<std::size_t>(e.matrix)], e.row, e.col);
    h[psdcon_row[static_cast<std::size_t>(e.matrix)] + pos] = w * e.value;
  }

  // the cone blocks on g; a variable's row is g = z, written only where a cone holds it (free ones none)
  std::vector<Block> blocks;
  auto variable_rows = [&](long first_row, long count) {
    for (long i = 0; i < count; ++i) g.emplace_back(static_cast<int>(first_row + i), static_cast<int>(first_row - m + i), 1.0);
  };
  long first = 0;
  for (const CbfConeBlock& k : d.constraint_cones) {
    if (k.kind != CbfCone::free) blocks.push_back({group_of(k.kind), k.kind, k.size, first});
    first += k.size;
  }
  for (const CbfConeBlock& k : d.variable_cones) {
    if (k.kind != CbfCone::free) {
      blocks.push_back({group_of(k.kind), k.kind, k.size, first});
      variable_rows(first, k.size);
    }
    first += k.size;
  }
  for (std::size_t j = 0; j < d.psd_variable_orders.size(); ++j) {
    const int o = d.psd_variable_orders[j];
    blocks.push_back({Group::psd, CbfCone::free, kernels::svec_size(o), m + psdvar_col[j], o});
    variable_rows(m + psdvar_col[j], kernels::svec_size(o));
  }
  for (std::size_t i = 0; i < d.psd_constraint_orders.size(); ++i) {
    const int o = d.psd_constraint_orders[i];
    blocks.push_back({Group::psd, CbfCone::free, kernels::svec_size(o), psdcon_row[i], o});
  }
  Eigen::SparseMatrix<double, Eigen::RowMajor> G(rows, nz);
  G.setFromTriplets(g.begin(), g.end());

  // our rows in the fixed cone order: s = T g, so A = -T G and b = T h
  CbfFile f;
  ConicProblem& p = f.problem;
  std::vector<RowSum> out;
  for (const Group group : {Group::zero, Group::nonneg, Group::soc, Group::psd, Group::exp, Group::dexp})
    for (const Block& b : blocks) {
      if (b.group != group) continue;
      for (RowSum& r : mapped_rows(b)) out.push_back(std::move(r));
      switch (group) {
        case Group::zero: p.cones.zero += static_cast<int>(b.size); break;
        case Group::nonneg: p.cones.nonneg += static_cast<int>(b.size); break;
        case Group::soc: p.cones.soc.push_back(static_cast<int>(b.size)); break;
        case Group::psd: p.cones.psd_real.push_back(b.order); break;
        case Group::exp: ++p.cones.exp_primal; break;
        case Group::dexp: ++p.cones.exp_dual; break;
      }
    }
  std::vector<Eigen::Triplet<double>> a, t;
  p.b = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(out.size()));
  for (std::size_t r = 0; r < out.size(); ++r)
    for (const auto& [src, w] : out[r]) {
      t.emplace_back(static_cast<int>(r), static_cast<int>(src), w);
      p.b[static_cast<Eigen::Index>(r)] += w * h[src];
      for (Eigen::SparseMatrix<double, Eigen::RowMajor>::InnerIterator it(G, src); it; ++it)
        a.emplace_back(static_cast<int>(r), static_cast<int>(it.col()), -w * it.value());
    }
  p.A.resize(static_cast<Eigen::Index>(out.size()), nz);
  p.A.setFromTriplets(a.begin(), a.end());
  p.A.prune(0.0);
  p.c = d.maximize ? Eigen::VectorXd(-c) : c;

  CbfLayout& l = f.layout;
  l.maximize = d.maximize;
  l.objective_constant = d.objective_constant;
  l.scalar_variables = static_cast<int>(n);
  l.psd_variable_orders = d.psd_variable_orders;
  l.constraint_rows = static_cast<int>(m);
  l.psd_constraint_orders = d.psd_constraint_orders;
  l.row_map.resize(static_cast<Eigen::Index>(out.size()), rows);
  l.row_map.setFromTriplets(t.begin(), t.end());
  return f;
}

}  // namespace isacbf::conic
