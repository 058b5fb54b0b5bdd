#include "host/xcheck/cvxopt_solver.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>

#include "host/common/errors.hpp"
#include "host/common/json_io.hpp"

namespace isacbf::xcheck {
namespace {

std::string default_script() {
  if (const char* env = std::getenv("ISACBF_CVXOPT_SCRIPT")) return env;
  // This file is host/xcheck/cvxopt_solver.cpp; the script lives in scripts/ at the repository root.
  return (std::filesystem::path(__FILE__).parent_path().parent_path().parent_path() / "scripts" / "cvxopt_bridge.py").string();
}

nlohmann::json problem_to_json(const conic::ConicProblem& p) {
  nlohmann::json cones = {{"zero", p.cones.zero},       {"nonneg", p.cones.nonneg},
                          {"soc", p.cones.soc},         {"psd_real", p.cones.psd_real},
                          {"psd_complex", p.cones.psd_complex}, {"exp_primal", p.cones.exp_primal},
                          {"exp_dual", p.cones.exp_dual}};
  nlohmann::json triplets = nlohmann::json::array();
  for (int col = 0; col < p.A.outerSize(); ++col)
    for (Eigen::SparseMatrix<double>::InnerIterator it(p.A, col); it; ++it) triplets.push_back({it.row(), it.col(), it.value()});
  return {{"cones", cones},
          {"m", p.A.rows()},
          {"n", p.A.cols()},
          {"A", triplets},
          {"b", std::vector<double>(p.b.data(), p.b.data() + p.b.size())},
          {"c", std::vector<double>(p.c.data(), p.c.data() + p.c.size())}};
}

conic::Status parse_status(const std::string& s) {
  if (s == "optimal") return conic::Status::optimal;
  if (s == "infeasible") return conic::Status::infeasible;
  if (s == "unbounded") return conic::Status::unbounded;
  if (s == "max_iterations") return conic::Status::max_iterations;
  return conic::Status::numerical_error;
}

std::string temp_path(const std::string& tag) {
  static std::mt19937_64 rng(std::random_device{}());
  return (std::filesystem::temp_directory_path() / ("isacbf_cvxopt_" + tag + "_" + std::to_string(rng()) + ".json")).string();
}

}  // namespace

CvxoptSolver::CvxoptSolver(std::string python, std::string script)
    : python_(std::move(python)), script_(script.empty() ? default_script() : std::move(script)) {}

bool CvxoptSolver::available(const std::string& python) {
  const std::string cmd = python + " -c 'import cvxopt, numpy' >/dev/null 2>&1";
  return std::system(cmd.c_str()) == 0;
}

std::vector<conic::Solution> CvxoptSolver::solve(const std::vector<conic::ConicProblem>& batch, const conic::Settings& settings,
                                                 const std::vector<conic::WarmStart>&) {
  for (std::size_t i = 0; i < batch.size(); ++i) {
    try {
      conic::validate(batch[i]);
    } catch (const InputError& e) {
      throw InputError("batch[" + std::to_string(i) + "]." + e.field(), "invalid conic problem");
    }
  }
  const auto start = std::chrono::steady_clock::now();
  nlohmann::json doc = {{"problems", nlohmann::json::array()},
                        {"settings", {{"verbose", settings.verbose}, {"maxiters", 200}}}};
  for (const auto& p : batch) doc["problems"].push_back(problem_to_json(p));
  const std::string in = temp_path("in"), out = temp_path("out");
  {
    std::ofstream f(in);
    f << doc.dump();
  }
  const std::string cmd = python_ + " '" + script_ + "' < '" + in + "' > '" + out + "'";
  const int rc = std::system(cmd.c_str());
  if (!std::getenv("ISACBF_CVXOPT_KEEP")) std::filesystem::remove(in);
  else std::fprintf(stderr, "cvxopt input kept: %s\n", in.c_str());
  if (rc != 0) {
    std::filesystem::remove(out);
    throw std::runtime_error("cvxopt bridge failed (exit " + std::to_string(rc) + "): " + cmd);
  }
  const nlohmann::json result = json_io::parse_file(out);
  std::filesystem::remove(out);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::vector<conic::Solution> sols;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const auto& r = result.at("solutions").at(i);
    conic::Solution s;
    s.status = parse_status(r.value("status", "numerical_error"));
    if (r.contains("x")) {
      const auto x = r["x"].get<std::vector<double>>();
      s.x = Eigen::Map<const Eigen::VectorXd>(x.data(), static_cast<Eigen::Index>(x.size()));
    }
    s.primal_objective = r.value("primal_objective", 0.0);
    s.dual_objective = r.value("dual_objective", 0.0);
    s.iterations = r.value("iterations", 0);
    s.seconds = seconds / static_cast<double>(batch.size());
    s.linear_solver = "cvxopt";
    s.message = r.value("message", "");
    if (r.contains("certificate_residual"))
      s.message += " (certificate residual " + std::to_string(r["certificate_residual"].get<double>()) + ")";
    if (s.status == conic::Status::optimal && s.x.size() == batch[i].c.size()) {
      const Eigen::VectorXd slack = batch[i].b - batch[i].A * s.x;
      s.s = slack;
      s.primal_residual = 0.0;  // feasibility is checked by the caller against the cones
    }
    sols.push_back(std::move(s));
  }
  return sols;
}

}  // namespace isacbf::xcheck
