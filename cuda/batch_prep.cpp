// Host side of the GPU backend (see batch_prep.hpp). Plain C++ with Eigen: also built without CUDA.
#include "cuda/batch_prep.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>

#include "cuda/woodbury_factor.hpp"
#include "host/common/errors.hpp"
#include "host/conic/cone_projector.hpp"
#include "host/conic/initial_scale.hpp"
#include "kernels/adaptive_scale.hpp"

namespace isacbf::gpu {

using namespace isacbf::conic;

namespace {

using RowMat = Eigen::SparseMatrix<double, Eigen::RowMajor>;
using ColMat = Eigen::SparseMatrix<double, Eigen::ColMajor>;


AdmmLayout make_layout(const ConicProblem& p) {
  AdmmLayout lay;
  lay.n = static_cast<int>(p.A.cols());
  lay.m = static_cast<int>(p.A.rows());
  lay.zero = p.cones.zero;
  lay.nonneg = p.cones.nonneg;
  lay.soc = p.cones.soc;
  long long row = lay.zero + lay.nonneg;
  for (int q : lay.soc) row += q;
  auto add_groups = [&](const std::vector<int>& sizes, bool cplx) {
    for (int n : sizes) {  // consecutive blocks of one size form one launch
      const long long len = cplx ? 1LL * n * n : 1LL * n * (n + 1) / 2;
      if (!lay.psd.empty() && lay.psd.back().n == n && lay.psd.back().complex == cplx)
        ++lay.psd.back().blocks;
      else
        lay.psd.push_back({n, 1, cplx, row});
      row += len;
    }
  };
  add_groups(p.cones.psd_real, false);
  add_groups(p.cones.psd_complex, true);
  lay.exp_offset = static_cast<int>(row);
  lay.exp_primal = p.cones.exp_primal;
  lay.exp_dual = p.cones.exp_dual;
  return lay;
}

Status to_status(int code) {
  switch (code) {
    case kOptimal: return Status::optimal;
    case kInfeasible: return Status::infeasible;
    case kUnbounded: return Status::unbounded;
    case kNumerical: return Status::numerical_error;
    default: return Status::max_iterations;
  }
}

constexpr double kInf = std::numeric_limits<double>::infinity();
double inf_norm(const Eigen::VectorXd& v) { return v.size() ? v.lpNorm<Eigen::Infinity>() : 0.0; }

// Solution of one instance from its final (u, v), unscaled, with the CPU reference's conventions
// (host/conic/admm.cpp): certificates normalised to b^T y = -1 / c^T x = -1.
void fill_solution(const ConicProblem& pr, const Equilibration& eq, const double* u, const double* v, int code,
                   Solution& s) {
  const Eigen::Index n = pr.A.cols(), m = pr.A.rows();
  const Eigen::Map<const Eigen::VectorXd> ux(u, n), uy(u + n, m), vs(v + n, m);
  const double tau = u[n + m];
  const Eigen::VectorXd xh = eq.E.cwiseProduct(ux) / eq.sigma_b;
  const Eigen::VectorXd yh = eq.D.cwiseProduct(uy) / eq.sigma_c;
  const Eigen::VectorXd sh = vs.cwiseQuotient(eq.D) / eq.sigma_b;
  s.status = to_status(code);
  if (s.status == Status::infeasible) {
    s.y = yh / (-pr.b.dot(yh));
    s.x = Eigen::VectorXd::Zero(n);
    s.s = Eigen::VectorXd::Zero(m);
    s.dual_objective = -pr.b.dot(s.y);
    s.primal_objective = kInf;
    s.dual_residual = inf_norm(pr.A.transpose() * s.y);
    s.message = "primal infeasible: b^T y = -1, ||A^T y||_inf = " + std::to_string(s.dual_residual);
  } else if (s.status == Status::unbounded) {
    const double cx = -pr.c.dot(xh);
    s.x = xh / cx;
    s.s = sh / cx;
    s.y = Eigen::VectorXd::Zero(m);
    s.primal_objective = s.dual_objective = -kInf;
    s.primal_residual = inf_norm(pr.A * s.x + s.s);
    s.message = "dual infeasible: c^T x = -1, ||A x + s||_inf = " + std::to_string(s.primal_residual);
  } else if (tau > 0.0 && std::isfinite(tau)) {
    s.x = xh / tau;
    s.y = yh / tau;
    s.s = sh / tau;
    const Eigen::VectorXd ax = pr.A * s.x;
    s.primal_objective = pr.c.dot(s.x);
    s.dual_objective = -pr.b.dot(s.y);
    s.primal_residual = inf_norm(ax + s.s - pr.b);
    s.dual_residual = inf_norm(pr.A.transpose() * s.y + pr.c);
    s.gap = std::abs(s.primal_objective - s.dual_objective);
  } else {
    s.x = Eigen::VectorXd::Zero(n);
    s.y = Eigen::VectorXd::Zero(m);
    s.s = Eigen::VectorXd::Zero(m);
    s.primal_objective = s.dual_objective = std::numeric_limits<double>::quiet_NaN();
    s.message = "no point with tau > 0";
  }
}

}  // namespace

void parallel_for(int count, const std::function<void(int)>& f) {
  const int threads = std::max(1, std::min<int>(count, static_cast<int>(std::thread::hardware_concurrency())));
  if (threads == 1) {
    for (int i = 0; i < count; ++i) f(i);
    return;
  }
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      // contiguous chunks: neighbouring instances (and their output slots) stay on one thread
      const int lo = static_cast<int>(1LL * count * t / threads), hi = static_cast<int>(1LL * count * (t + 1) / threads);
      for (int i = lo; i < hi; ++i) f(i);
    });
  for (auto& th : pool) th.join();
}


PreparedBatch prepare_batch(const std::vector<ConicProblem>& batch, const Settings& settings,
                            const std::vector<WarmStart>& warm_starts, std::vector<Solution>& out) {
  validate(settings);  // the CPU reference's check (host/conic/problem.cpp)
  conic::validate_warm_starts(batch.size(), warm_starts);
  const int total = static_cast<int>(batch.size());
  out.assign(total, Solution{});
  PreparedBatch prep;
  // Like the CPU reference, an invalid instance is reported (numerical_error, "batch[i]: ...") and the
  // rest are solved. The device batch needs one cone structure and one sparsity pattern of A (GpuBatchSolver
  // splits a batch that mixes them).
  std::vector<int> valid(total, 1);
  parallel_for(total, [&](int i) {
    try {
      validate(batch[i]);
    } catch (const InputError&) {
      valid[i] = 0;
    }
  });
  std::vector<int>& index = prep.index;
  for (int i = 0; i < total; ++i) {
    if (valid[i]) { index.push_back(i); continue; }
    try {
      validate(batch[i]);  // again, on this thread, for its message
    } catch (const InputError& e) {
      out[i].status = Status::numerical_error;
      out[i].message = "batch[" + std::to_string(i) + "]: " + e.what();
    }
  }
  if (index.empty()) return prep;
  const int B = static_cast<int>(index.size());
  const ConicProblem& first = batch[index[0]];
  const auto blocks = cone_blocks(first.cones);
  std::vector<ColMat> A(B);
  std::vector<Equilibration>& eq = prep.eq;
  eq.resize(B);
  std::vector<Eigen::VectorXd> bh(B), ch(B);
  enum Bad { kFine, kCones, kPattern };
  std::vector<int> bad(B, kFine);
  parallel_for(B, [&](int k) {  // equilibration as in the CPU reference, instance by instance
    const ConicProblem& pr = batch[index[k]];
    if (!(pr.cones == first.cones) || pr.A.rows() != first.A.rows() || pr.A.cols() != first.A.cols()) {
      bad[k] = kCones;
      return;
    }
    eq[k] = ruiz_equilibrate(pr.A, blocks, settings.equilibration_passes, settings.equilibration_l2_pass, psd_scaling(settings));
    Eigen::SparseMatrix<double> ah;
    apply_equilibration(eq[k], pr.A, pr.b, pr.c, ah, bh[k], ch[k], settings.normalize_bc);
    A[k] = std::move(ah);
    A[k].makeCompressed();
  });
  for (int k = 1; k < B; ++k)
    if (bad[k] == kFine && !same_sparsity_pattern(A[k], A[0])) bad[k] = kPattern;
  for (int k = 0; k < B; ++k) {
    if (bad[k] == kFine) continue;
    const std::string where = "batch[" + std::to_string(index[k]) + "]";
    if (bad[k] == kCones) throw InputError(where + ".cones", "the GPU batch needs one cone structure and size");
    throw InputError(where + ".A", "the GPU batch needs one sparsity pattern of A");
  }

  AdmmHostData& h = prep.data;
  h.batch = B;
  h.layout = make_layout(first);
  const int n = h.layout.n, m = h.layout.m;
  const long long L = n + m + 1;
  const RowMat pattern = A[0];
  const int nnz = static_cast<int>(A[0].nonZeros());
  h.row_ptr.assign(pattern.outerIndexPtr(), pattern.outerIndexPtr() + m + 1);
  h.col_idx.assign(pattern.innerIndexPtr(), pattern.innerIndexPtr() + nnz);
  h.col_ptr.assign(A[0].outerIndexPtr(), A[0].outerIndexPtr() + n + 1);
  h.row_idx.assign(A[0].innerIndexPtr(), A[0].innerIndexPtr() + nnz);
  // Rows with one entry go to the diagonal D; the others form R (Woodbury, woodbury_factor.hpp).
  for (int i = 0; i < m; ++i)
    if (h.row_ptr[i + 1] - h.row_ptr[i] > 1) h.multi_rows.push_back(i);
  const int p = static_cast<int>(h.multi_rows.size());
  {  // refinement when some column has no single-entry row (AdmmHostData::refine)
    std::vector<char> covered(n, 0);
    for (int i = 0; i < m; ++i)
      if (h.row_ptr[i + 1] - h.row_ptr[i] == 1) covered[h.col_idx[h.row_ptr[i]]] = 1;
    h.refine = p > 0 && std::find(covered.begin(), covered.end(), 0) != covered.end();
  }
  std::vector<std::vector<std::pair<int, int>>> by_col(n);
  for (int r = 0; r < p; ++r)
    for (int k = h.row_ptr[h.multi_rows[r]]; k < h.row_ptr[h.multi_rows[r] + 1]; ++k)
      by_col[h.col_idx[k]].push_back({r, k});
  h.rt_ptr.push_back(0);
  for (int j = 0; j < n; ++j) {
    for (const auto& [r, k] : by_col[j]) { h.rt_k.push_back(r); h.rt_pos.push_back(k); }
    h.rt_ptr.push_back(static_cast<int>(h.rt_k.size()));
  }
  h.csr_vals.resize(1LL * B * nnz);
  h.csc_vals.resize(1LL * B * nnz);
  h.dinv.resize(1LL * B * n);
  h.chol.resize(1LL * B * p * p);
  h.b.resize(1LL * B * m);
  h.c.resize(1LL * B * n);
  h.r.resize(B * L);
  h.w0.assign(B * L, 0.0);
  h.dinv_rows.resize(1LL * B * m);
  h.einv_cols.resize(1LL * B * n);
  h.sigma.resize(2LL * B);
  h.scale0.resize(B);
  // CSR position of every CSC entry (shared pattern): the per-instance CSR values need no conversion.
  std::vector<int> csr_pos(nnz);
  {
    std::vector<int> next(h.row_ptr.begin(), h.row_ptr.end() - 1);
    for (int j = 0; j < n; ++j)
      for (int k = h.col_ptr[j]; k < h.col_ptr[j + 1]; ++k) csr_pos[k] = next[h.row_idx[k]]++;
  }
  std::vector<int> bad_factor(B, 0);
  parallel_for(B, [&](int b) {
    const double* csc = A[b].valuePtr();
    double* csr = h.csr_vals.data() + 1LL * b * nnz;
    for (int k = 0; k < nnz; ++k) csr[csr_pos[k]] = csc[k];
    std::copy_n(csc, nnz, h.csc_vals.begin() + 1LL * b * nnz);
    // the CPU reference's metric at its initial scale (initial_scale.hpp, kernels/adaptive_scale.hpp)
    h.scale0[b] = initial_scale(settings.scale, bh[b], ch[b]);
    Eigen::VectorXd r(L);
    kernels::metric_diagonal(n, m, first.cones.zero, settings.rho_x, h.scale0[b], r.data());
    Eigen::Map<Eigen::VectorXd>(h.r.data() + b * L, L) = r;
    if (!factor_woodbury(h, b, r.data(), h.dinv.data() + 1LL * b * n, h.chol.data() + 1LL * b * p * p))
      bad_factor[b] = 1;
    Eigen::Map<Eigen::VectorXd>(h.b.data() + 1LL * b * m, m) = bh[b];
    Eigen::Map<Eigen::VectorXd>(h.c.data() + 1LL * b * n, n) = ch[b];
    Eigen::Map<Eigen::VectorXd>(h.dinv_rows.data() + 1LL * b * m, m) = eq[b].D.cwiseInverse();
    Eigen::Map<Eigen::VectorXd>(h.einv_cols.data() + 1LL * b * n, n) = eq[b].E.cwiseInverse();
    h.sigma[2 * b] = eq[b].sigma_b;
    h.sigma[2 * b + 1] = eq[b].sigma_c;
    double* w = h.w0.data() + b * L;
    w[L - 1] = 1.0;
    const int i = index[b];
    if (!warm_starts.empty() && warm_starts[i].x.size() == n) {  // as the CPU reference: w = u + R^{-1} v, scaled
      const WarmStart& ws = warm_starts[i];
      const ConicProblem& pr = batch[i];
      Eigen::Map<Eigen::VectorXd>(w, n) = eq[b].sigma_b * ws.x.cwiseQuotient(eq[b].E);
      Eigen::VectorXd sl = ws.s.size() == m ? ws.s : Eigen::VectorXd(pr.b - pr.A * ws.x);
      if (ws.s.size() != m) ConeProjector(pr.cones).project_primal(sl.data());
      const Eigen::VectorXd y = ws.y.size() == m ? ws.y : Eigen::VectorXd::Zero(m);
      const Eigen::VectorXd sh = eq[b].sigma_b * eq[b].D.cwiseProduct(sl);
      Eigen::Map<Eigen::VectorXd>(w + n, m) = eq[b].sigma_c * y.cwiseQuotient(eq[b].D) + sh.cwiseQuotient(r.segment(n, m));
    }
  });
  for (int b = 0; b < B; ++b)
    if (bad_factor[b]) throw std::runtime_error("Woodbury factor failed for batch[" + std::to_string(index[b]) + "]");
  return prep;
}

void finish_batch(const std::vector<ConicProblem>& batch, const PreparedBatch& prep, const AdmmResult& res,
                  double seconds, std::vector<Solution>& out) {
  const long long L = prep.data.layout.n + prep.data.layout.m + 1;
  parallel_for(static_cast<int>(prep.index.size()), [&](int b) {
    Solution& s = out[prep.index[b]];
    fill_solution(batch[prep.index[b]], prep.eq[b], res.u.data() + b * L, res.v.data() + b * L, res.code[b], s);
    if (s.status == Status::max_iterations && s.message.empty())
      s.message = res.time_limit_hit ? "time limit reached" : "iteration limit reached";
    s.iterations = res.iterations[b];
    s.seconds = seconds;  // the batch's wall time: instances are solved together
    s.scale = res.scale[b];
    s.scale_updates = res.scale_updates[b];
    s.anderson_accepted = res.anderson_accepted[b];
    s.anderson_rejected = res.anderson_rejected[b];
    s.linear_solver = "woodbury-gpu";
  });
}

}  // namespace isacbf::gpu
