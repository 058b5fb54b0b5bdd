#pragma once
// Real model A P4 problems for the GPU tests: default-scenario instances at Nt, the feasibility phase
// solved on the CPU reference, then P4 at the tight expansion of that start (the first P4 Algorithm 1
// solves). All share one cone structure and one sparsity pattern, so they form one GPU batch.
#include <cstdint>
#include <vector>

#include "host/conic/batch_solver.hpp"
#include "host/model_a/generator.hpp"
#include "host/model_a/p4_builder.hpp"
#include "host/model_a/sca.hpp"
#include "host/model_a/scaled_model.hpp"

namespace gpu_test {

inline std::vector<isacbf::conic::ConicProblem> model_a_p4_batch(int Nt, int count, std::uint64_t seed0) {
  using namespace isacbf::model_a;
  Scenario s;
  s.Nt = Nt;
  std::vector<ScaledModel> models;
  std::vector<isacbf::conic::ConicProblem> feasibility, p4;
  for (int i = 0; i < count; ++i) {
    models.push_back(make_scaled_model(generate(s, seed0 + static_cast<std::uint64_t>(i)), {}));
    feasibility.push_back(build_feasibility(models.back()));
  }
  const auto start = isacbf::conic::make_cpu_solver()->solve(feasibility, default_conic_settings());
  for (int i = 0; i < count; ++i)
    if (start[i].status == isacbf::conic::Status::optimal)
      p4.push_back(build_p4(models[i], tight_expansion(models[i], blocks_of(models[i], start[i].x))));
  return p4;
}

}  // namespace gpu_test
