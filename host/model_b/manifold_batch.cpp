#include "host/model_b/manifold_batch.hpp"

#include <array>
#include <map>
#include <string>

#include "host/common/errors.hpp"
#include "host/common/parallel_for.hpp"

namespace isacbf::model_b {
namespace {

std::string at(const char* what, std::size_t i) { return std::string(what) + "[" + std::to_string(i) + "]"; }

template <typename T, typename Matrix>
void append(std::vector<T>& out, const Matrix& m) {
  out.insert(out.end(), m.data(), m.data() + m.size());
}

class CpuManifoldSolver final : public ManifoldBatchSolver {
 public:
  explicit CpuManifoldSolver(int threads) : threads_(threads) {}
  conic::Backend backend() const override { return conic::Backend::cpu; }

  std::vector<ManifoldResult> minimise(const std::vector<ManifoldProblem>& problems, const std::vector<Eigen::MatrixXcd>& F0,
                                       const ManifoldOptions& options) override {
    check_manifold_batch(problems, F0, options);  // the same checks as the GPU, before any work
    std::vector<ManifoldResult> out(problems.size());
    parallel_for(problems.size(), [&](std::size_t i) { out[i] = minimise_on_circle_manifold(problems[i], F0[i], options); }, threads_);
    return out;
  }

 private:
  int threads_;
};

}  // namespace

std::unique_ptr<ManifoldBatchSolver> make_cpu_manifold_solver(int threads) {
  if (threads < 0) throw InputError("threads", "must be >= 0");
  return std::make_unique<CpuManifoldSolver>(threads);
}

namespace {

// Validates problems[i] with its start (errors name "problems[i]..." / "F0[i]") and returns its shape.
std::array<int, 6> checked_shape(const std::vector<ManifoldProblem>& problems, const std::vector<Eigen::MatrixXcd>& F0, std::size_t i) {
  const ManifoldProblem& p = problems[i];
  if (F0[i].size() == 0) throw InputError(at("F0", i), "must be non-empty");
  try {
    validate(p, F0[i]);
  } catch (const InputError& e) {
    throw e.nested_in(at("problems", i));
  }
  return {static_cast<int>(F0[i].rows()), static_cast<int>(F0[i].cols()), static_cast<int>(probe_count(p, F0[i])),
          static_cast<int>(p.B.cols()),   static_cast<int>(p.pen_a.size()), p.identity_probes ? 1 : 0};
}

void check_counts(const std::vector<ManifoldProblem>& problems, const std::vector<Eigen::MatrixXcd>& F0, const ManifoldOptions& options) {
  validate(options);
  if (problems.size() != F0.size()) throw InputError("F0", "expected one starting point per problem");
}

}  // namespace

kernels::ManifoldDims check_manifold_batch(const std::vector<ManifoldProblem>& problems, const std::vector<Eigen::MatrixXcd>& F0,
                                           const ManifoldOptions& options) {
  check_counts(problems, F0, options);
  std::array<int, 6> shape{};
  for (std::size_t i = 0; i < problems.size(); ++i) {
    const std::array<int, 6> dims = checked_shape(problems, F0, i);
    if (i == 0) shape = dims;
    if (dims != shape)
      throw InputError(at("problems", i),
                       "shape (Nt, N_RF, P, L, penalties, identity probes) differs from problems[0]'s; a batch has one shape");
  }
  return {shape[0], shape[1], shape[2], shape[3], shape[4], shape[5]};
}

std::vector<ManifoldResult> minimise_by_shape(ManifoldBatchSolver& solver, const std::vector<ManifoldProblem>& problems,
                                              const std::vector<Eigen::MatrixXcd>& F0, const ManifoldOptions& options) {
  check_counts(problems, F0, options);
  // Checked here so that errors name the caller's index, not the index inside a shape group.
  std::map<std::array<int, 6>, std::vector<std::size_t>> groups;
  for (std::size_t i = 0; i < problems.size(); ++i) groups[checked_shape(problems, F0, i)].push_back(i);
  std::vector<ManifoldResult> out(problems.size());
  for (const auto& [shape, members] : groups) {
    std::vector<ManifoldProblem> batch;
    std::vector<Eigen::MatrixXcd> starts;
    for (std::size_t i : members) {
      batch.push_back(problems[i]);
      starts.push_back(F0[i]);
    }
    std::vector<ManifoldResult> res = solver.minimise(batch, starts, options);
    for (std::size_t k = 0; k < members.size(); ++k) out[members[k]] = std::move(res[k]);
  }
  return out;
}

ManifoldBatchData pack_manifold_batch(const std::vector<ManifoldProblem>& problems, const std::vector<Eigen::MatrixXcd>& F0,
                                      const ManifoldOptions& options) {
  ManifoldBatchData d;
  d.dims = check_manifold_batch(problems, F0, options);
  d.batch = static_cast<int>(problems.size());
  for (std::size_t i = 0; i < problems.size(); ++i) {
    const ManifoldProblem& p = problems[i];
    append(d.C, p.C);
    append(d.B, p.B);
    append(d.beta, p.beta);
    append(d.F0, F0[i]);
    append(d.a, p.a);
    for (const auto& pa : p.pen_a) append(d.pen_a, pa);
    d.kappa.push_back(p.kappa);
    d.pi.push_back(p.pi);
    d.pen_pi.insert(d.pen_pi.end(), p.pen_pi.begin(), p.pen_pi.end());
    d.pen_kappa.insert(d.pen_kappa.end(), p.pen_kappa.begin(), p.pen_kappa.end());
    d.mu.insert(d.mu.end(), p.mu.begin(), p.mu.end());
  }
  return d;
}

}  // namespace isacbf::model_b
