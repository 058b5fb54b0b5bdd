#include "apps/model_b_run.hpp"

#include <cmath>
#include <memory>

#include "apps/model_b_solver_choice.hpp"
#include "host/common/errors.hpp"
#include "host/model_b/io.hpp"
#include "host/model_b/solve.hpp"

namespace isacbf::apps {

std::vector<nlohmann::json> solve_model_b_files(const std::vector<std::string>& files, const ModelBRunOptions& opt) {
  if (!(opt.eps > 0.0)) throw InputError("--eps", "must be positive");
  if (!(opt.delta > 0.0) || !std::isfinite(opt.delta)) throw InputError("--delta", "must be positive and finite");
  model_b::SolveOptions so;
  so.scheme = opt.scheme;
  so.n_rf = opt.n_rf;
  so.include_design = opt.full;
  so.fp.delta = opt.delta;
  so.fp.conic.eps_abs = so.fp.conic.eps_rel = opt.eps;
  so.solver = model_b_solver(opt.solver, "--solver");
  if (opt.backend == "gpu") so.manifold = model_b::make_gpu_manifold_solver();
  else if (opt.backend != "cpu") throw InputError("--backend", "must be 'cpu' or 'gpu', got '" + opt.backend + "'");
  std::vector<model_b::Instance> instances;
  for (const auto& file : files) {
    instances.push_back(model_b::read_instance(file));
    try {
      model_b::check_instance(instances.back(), so);
    } catch (const InputError& e) {
      if (e.field() == "scheme") throw InputError("--scheme", "unknown scheme '" + opt.scheme + "'");
      if (e.field() == "N_RF" && opt.n_rf > 0) throw InputError("--n-rf", "must be in [1, Nt]");
      throw e.in_file(file);
    }
  }
  std::vector<nlohmann::json> results = model_b::solve_instances(instances, so);
  return results;
}

}  // namespace isacbf::apps
