#include "host/model_b/cone_rows.hpp"

#include <cmath>
#include <string>

#include "host/common/errors.hpp"

namespace isacbf::model_b {

Affine& Affine::add(const Affine& other, double scale) {
  for (const auto& [v, c] : other.terms) add(v, c * scale);
  constant += scale * other.constant;
  return *this;
}

Affine Affine::scaled(double s) const {
  Affine out;
  out.add(*this, s);
  return out;
}

double Affine::value(const Eigen::VectorXd& x) const {
  double v = constant;
  for (const auto& [i, c] : terms) v += c * x(i);
  return v;
}

ComplexAffine inner(const Eigen::VectorXcd& a, int offset) {
  // a^H v = sum conj(a_i) v_i: Re = Re a Re v + Im a Im v; Im = Re a Im v - Im a Re v.
  ComplexAffine out;
  for (int i = 0; i < a.size(); ++i) {
    const int re = offset + 2 * i, im = re + 1;
    out.re.add(re, a(i).real()).add(im, a(i).imag());
    out.im.add(im, a(i).real()).add(re, -a(i).imag());
  }
  return out;
}

Eigen::VectorXd hvec(const Eigen::MatrixXcd& X) {
  const int n = static_cast<int>(X.rows());
  Eigen::VectorXd v(n * n);
  int r = 0;
  for (int j = 0; j < n; ++j) {
    v(r++) = X(j, j).real();
    for (int i = j + 1; i < n; ++i) {
      v(r++) = std::sqrt(2.0) * X(i, j).real();
      v(r++) = std::sqrt(2.0) * X(i, j).imag();
    }
  }
  return v;
}

Eigen::MatrixXcd unhvec(const Eigen::VectorXd& v, int n) {
  if (v.size() != n * n) throw InputError("hvec", "expected length n^2 = " + std::to_string(n * n));
  Eigen::MatrixXcd X(n, n);
  int r = 0;
  for (int j = 0; j < n; ++j) {
    X(j, j) = v(r++);
    for (int i = j + 1; i < n; ++i) {
      X(i, j) = std::complex<double>(v(r), v(r + 1)) / std::sqrt(2.0);
      X(j, i) = std::conj(X(i, j));
      r += 2;
    }
  }
  return X;
}

Affine hermitian_functional(const Eigen::MatrixXcd& M, int offset) {
  const Eigen::VectorXd coef = hvec(M);
  Affine out;
  for (int i = 0; i < coef.size(); ++i) out.add(offset + i, coef(i));
  return out;
}

void ConeRows::add_rotated_soc(const Affine& r, const Affine& w, const std::vector<Affine>& z) {
  std::vector<Affine> entries;
  Affine t = r;
  t.add(w);
  Affine u = r;
  u.add(w, -1.0);
  entries.push_back(std::move(t));
  entries.push_back(std::move(u));
  for (const auto& e : z) entries.push_back(e.scaled(2.0));
  add_soc(std::move(entries));
}

void ConeRows::add_psd_complex_variable(int n, int offset) {
  std::vector<Affine> rows(static_cast<std::size_t>(n * n));
  for (int i = 0; i < n * n; ++i) rows[static_cast<std::size_t>(i)].add(offset + i, 1.0);
  psd_complex_.emplace_back(n, std::move(rows));
}

conic::ConicProblem ConeRows::build() const {
  std::vector<const Affine*> rows;
  conic::ConicProblem p;
  p.cones.nonneg = static_cast<int>(nonneg_.size());
  for (const auto& e : nonneg_) rows.push_back(&e);
  for (const auto& cone : soc_) {
    p.cones.soc.push_back(static_cast<int>(cone.size()));
    for (const auto& e : cone) rows.push_back(&e);
  }
  for (const auto& [n, cone] : psd_complex_) {
    p.cones.psd_complex.push_back(n);
    for (const auto& e : cone) rows.push_back(&e);
  }
  std::vector<Eigen::Triplet<double>> triplets;
  p.b.resize(static_cast<Eigen::Index>(rows.size()));
  for (std::size_t r = 0; r < rows.size(); ++r) {
    for (const auto& [v, c] : rows[r]->terms) triplets.emplace_back(static_cast<int>(r), v, -c);
    p.b(static_cast<Eigen::Index>(r)) = rows[r]->constant;
  }
  p.A.resize(static_cast<Eigen::Index>(rows.size()), num_vars_);
  p.A.setFromTriplets(triplets.begin(), triplets.end());  // duplicates are summed
  p.c = c_;
  return p;
}

}  // namespace isacbf::model_b
