#include <optional>
#include <vector>

#include "host/conic/linsys.hpp"

namespace isacbf::conic {

namespace {

class WoodburySystem final : public LinearSystem {
 public:
  using Single = WoodburyRows::Single;
  WoodburySystem(int n, std::vector<Single> singles, std::vector<int> dense_rows, Eigen::MatrixXd U0)
      : n_(n), singles_(std::move(singles)), dense_rows_(std::move(dense_rows)), U0_(std::move(U0)) {}

  void factor(const Eigen::VectorXd& d, double rho_x) override {
    inv_delta_ = Eigen::VectorXd::Constant(n_, rho_x);
    for (const auto& s : singles_) inv_delta_[s.col] += d[s.row] * s.a * s.a;
    inv_delta_ = inv_delta_.cwiseInverse();
    const auto r = static_cast<Eigen::Index>(dense_rows_.size());
    U_ = U0_;
    for (Eigen::Index k = 0; k < r; ++k) U_.col(k) *= std::sqrt(d[dense_rows_[k]]);
    Eigen::MatrixXd cap = Eigen::MatrixXd::Identity(r, r);
    cap.noalias() += U_.transpose() * inv_delta_.asDiagonal() * U_;
    llt_.compute(cap);
  }

  void solve(Eigen::VectorXd& rhs) const override {
    Eigen::VectorXd t = inv_delta_.cwiseProduct(rhs);
    if (U_.cols() > 0) {
      Eigen::VectorXd z = llt_.solve(U_.transpose() * t);
      t.noalias() -= inv_delta_.asDiagonal() * (U_ * z);
    }
    rhs = t;
  }

  std::string name() const override { return "woodbury"; }
  std::string detail() const override { return std::to_string(dense_rows_.size()) + " dense rows"; }

 private:
  int n_;
  std::vector<Single> singles_;
  std::vector<int> dense_rows_;
  Eigen::MatrixXd U0_, U_;
  Eigen::VectorXd inv_delta_;
  Eigen::LLT<Eigen::MatrixXd> llt_;
};

}  // namespace

std::optional<WoodburyRows> woodbury_rows(const Eigen::SparseMatrix<double>& A) {
  const auto m = A.rows(), n = A.cols();
  const Eigen::SparseMatrix<double, Eigen::RowMajor> R = A;
  WoodburyRows out;
  std::vector<char> covered(static_cast<std::size_t>(n), 0);
  for (Eigen::Index i = 0; i < m; ++i) {
    int count = 0;
    Eigen::Index col = -1;
    double val = 0.0;
    for (Eigen::SparseMatrix<double, Eigen::RowMajor>::InnerIterator it(R, i); it; ++it) {
      if (it.value() == 0.0) continue;
      ++count;
      col = it.col();
      val = it.value();
    }
    if (count == 1) {
      out.singles.push_back({static_cast<int>(i), static_cast<int>(col), val});
      covered[static_cast<std::size_t>(col)] = 1;
    } else if (count > 1) {
      out.dense.push_back(static_cast<int>(i));
    }
  }
  for (char c : covered)
    if (!c) return std::nullopt;  // a column without a diagonal term: Delta ~ rho_x would be ill-conditioned
  if (4 * static_cast<Eigen::Index>(out.dense.size()) > n || out.dense.size() > 2000) return std::nullopt;
  return out;
}

std::unique_ptr<LinearSystem> make_woodbury_system(const Eigen::SparseMatrix<double>& A) {
  std::optional<WoodburyRows> rows = woodbury_rows(A);
  if (!rows) return nullptr;
  const Eigen::SparseMatrix<double, Eigen::RowMajor> R = A;
  const auto& dense = rows->dense;
  Eigen::MatrixXd U0 = Eigen::MatrixXd::Zero(A.cols(), static_cast<Eigen::Index>(dense.size()));
  for (std::size_t k = 0; k < dense.size(); ++k)
    for (Eigen::SparseMatrix<double, Eigen::RowMajor>::InnerIterator it(R, dense[k]); it; ++it)
      U0(it.col(), static_cast<Eigen::Index>(k)) = it.value();
  return std::make_unique<WoodburySystem>(static_cast<int>(A.cols()), std::move(rows->singles), std::move(rows->dense),
                                          std::move(U0));
}

}  // namespace isacbf::conic
