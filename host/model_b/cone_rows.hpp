#pragma once
// Writes convex steps in the conic form of host/conic/problem.hpp from affine expressions, so the
// model code reads like the math: each cone entry is an affine function of the real variable vector
// x, and the row stored is s = b - A x (A = -coefficients, b = constant).
#include <Eigen/Dense>
#include <complex>
#include <utility>
#include <vector>

#include "host/conic/problem.hpp"

namespace isacbf::model_b {

struct Affine {
  std::vector<std::pair<int, double>> terms;  // (variable index, coefficient)
  double constant = 0.0;

  Affine& add(int var, double coef) {
    if (coef != 0.0) terms.emplace_back(var, coef);
    return *this;
  }
  Affine& add(const Affine& other, double scale = 1.0);
  Affine scaled(double s) const;
  double value(const Eigen::VectorXd& x) const;
};

// a^H v for a fixed a in C^n and a complex variable v stored as (Re v_i, Im v_i) pairs from offset.
struct ComplexAffine {
  Affine re, im;
};
ComplexAffine inner(const Eigen::VectorXcd& a, int offset);

// tr(X M) for Hermitian M and X stored as hvec from offset: coefficients are hvec(M).
Affine hermitian_functional(const Eigen::MatrixXcd& M, int offset);

// hvec (problem.hpp): per column j, X_jj then for i > j: sqrt2 Re X_ij, sqrt2 Im X_ij.
Eigen::VectorXd hvec(const Eigen::MatrixXcd& X);
Eigen::MatrixXcd unhvec(const Eigen::VectorXd& v, int n);

class ConeRows {
 public:
  explicit ConeRows(int num_vars) : num_vars_(num_vars), c_(Eigen::VectorXd::Zero(num_vars)) {}
  int num_vars() const { return num_vars_; }
  Eigen::VectorXd& objective() { return c_; }
  void add_nonneg(Affine e) { nonneg_.push_back(std::move(e)); }
  void add_soc(std::vector<Affine> entries) { soc_.push_back(std::move(entries)); }  // t first
  // ||z||^2 <= r * w as the SOC (r + w, r - w, 2 z).
  void add_rotated_soc(const Affine& r, const Affine& w, const std::vector<Affine>& z);
  // X (n x n Hermitian, hvec at offset) is PSD.
  void add_psd_complex_variable(int n, int offset);
  conic::ConicProblem build() const;

 private:
  int num_vars_;
  Eigen::VectorXd c_;
  std::vector<Affine> nonneg_;
  std::vector<std::vector<Affine>> soc_;
  std::vector<std::pair<int, std::vector<Affine>>> psd_complex_;
};

}  // namespace isacbf::model_b
