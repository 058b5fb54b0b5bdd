#include "host/conic/cbf_reader.hpp"

#include <cerrno>
#include <cfloat>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <tuple>
#include <utility>

#include "host/common/errors.hpp"
#include "host/conic/sdpa_reader.hpp"

namespace isacbf::conic {

namespace {

std::string line_field(int line) { return "line " + std::to_string(line); }

struct Line {
  std::vector<std::string> tokens;
  int number = 0;
};

// The file's non-blank lines, '#' comments dropped.
class Lines {
 public:
  explicit Lines(std::istream& in) {
    std::string text;
    int number = 0;
    while (std::getline(in, text)) {
      ++number;
      if (const auto hash = text.find('#'); hash != std::string::npos) text.erase(hash);
      std::istringstream ls(text);
      Line line{{}, number};
      for (std::string tok; ls >> tok;) line.tokens.push_back(tok);
      if (!line.tokens.empty()) lines_.push_back(std::move(line));
    }
    last_ = number;
  }
  bool done() const { return pos_ >= lines_.size(); }
  // The next line, which must hold `count` tokens.
  const Line& next(const std::string& what, std::size_t count) {
    if (done()) throw InputError(line_field(last_), "unexpected end of file while reading " + what);
    const Line& l = lines_[pos_++];
    if (l.tokens.size() != count)
      throw InputError(line_field(l.number), what + ": expected " + std::to_string(count) + " fields, got " + std::to_string(l.tokens.size()));
    return l;
  }
  std::size_t left() const { return lines_.size() - pos_; }

 private:
  std::vector<Line> lines_;
  std::size_t pos_ = 0;
  int last_ = 0;
};

double number(const std::string& tok, int line, const std::string& what) {
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(tok.c_str(), &end);
  const bool overflow = errno == ERANGE && std::fabs(v) > DBL_MIN;  // an underflow is a finite value
  if (end == tok.c_str() || *end != '\0' || overflow || !std::isfinite(v))
    throw InputError(line_field(line), what + ": '" + tok + "' is not a finite number");
  return v;
}

// An integer in [low, high].
long integer(const std::string& tok, int line, const std::string& what, long low, long high) {
  const double v = number(tok, line, what);
  if (v != std::floor(v)) throw InputError(line_field(line), what + ": '" + tok + "' is not an integer");
  if (v < static_cast<double>(low) || v > static_cast<double>(high))
    throw InputError(line_field(line), what + " " + tok + " outside " + std::to_string(low) + ".." + std::to_string(high));
  return static_cast<long>(v);
}

enum class Kind { free, nonneg, nonpos, zero, soc, rsoc, exp, dexp, psd };

struct Block {
  Kind kind;
  long size;       // rows (svec length for psd)
  long first_row;  // in the row space g = G z + h
  int order = 0;   // psd only
};

Kind kind_of(const std::string& name, int line) {
  if (name == "F") return Kind::free;
  if (name == "L+") return Kind::nonneg;
  if (name == "L-") return Kind::nonpos;
  if (name == "L=") return Kind::zero;
  if (name == "Q") return Kind::soc;
  if (name == "QR") return Kind::rsoc;
  if (name == "EXP") return Kind::exp;
  if (name == "EXP*") return Kind::dexp;
  throw InputError(line_field(line), "cone '" + name + "' is not supported (F, L+, L-, L=, Q, QR, EXP, EXP*)");
}

// "count blocks" header, then `blocks` lines "CONE size" that must add up to `count`.
std::vector<Block> read_cone_list(Lines& lines, const std::string& section, long& count, long first_row) {
  const Line& head = lines.next(section + " header (total size, number of cones)", 2);
  count = integer(head.tokens[0], head.number, section + " size", 0, kMaxSdpaRows);
  const long nblocks = integer(head.tokens[1], head.number, section + " cones", 0, count);
  std::vector<Block> blocks;
  long total = 0;
  for (long k = 0; k < nblocks; ++k) {
    const Line& l = lines.next(section + " cone", 2);
    const Kind kind = kind_of(l.tokens[0], l.number);
    const long size = integer(l.tokens[1], l.number, "cone size", 1, count);
    if ((kind == Kind::exp || kind == Kind::dexp) && size != 3)
      throw InputError(line_field(l.number), "an exponential cone has size 3, got " + std::to_string(size));
    if (kind == Kind::rsoc && size < 2) throw InputError(line_field(l.number), "a rotated quadratic cone has size >= 2");
    blocks.push_back({kind, size, first_row + total});
    total += size;
  }
  if (total != count)
    throw InputError(line_field(head.number), section + " cones add up to " + std::to_string(total) + ", the header says " + std::to_string(count));
  return blocks;
}

// "count" header, then `count` lines of PSD orders.
std::vector<int> read_orders(Lines& lines, const std::string& section) {
  const Line& head = lines.next(section + " count", 1);
  const long count = integer(head.tokens[0], head.number, section + " count", 0, kMaxSdpaRows);
  std::vector<int> orders;
  for (long k = 0; k < count; ++k) {
    const Line& l = lines.next(section + " order", 1);
    orders.push_back(static_cast<int>(integer(l.tokens[0], l.number, "PSD order", 1, kMaxSdpaPsdOrder)));
  }
  return orders;
}

long svec_size(long n) { return n * (n + 1) / 2; }

// svec position of entry (k, l) of an order-n matrix (either triangle) and its weight for an inner
// product <M, X> = sum weight * M_kl * svec(X)_pos.
std::pair<long, double> svec_entry(long n, long k, long l) {
  if (k < l) std::swap(k, l);
  return {l * n - l * (l - 1) / 2 + (k - l), k == l ? 1.0 : std::sqrt(2.0)};
}

// Output rows (each a weighted sum of at most two rows of g) for one cone block, in the order of our
// cone: the linear map T of the header comment.
std::vector<std::vector<std::pair<long, double>>> mapped_rows(const Block& b) {
  std::vector<std::vector<std::pair<long, double>>> out;
  const long r = b.first_row;
  const double h = 1.0 / std::sqrt(2.0);
  switch (b.kind) {
    case Kind::nonpos:
      for (long i = 0; i < b.size; ++i) out.push_back({{r + i, -1.0}});
      break;
    case Kind::rsoc:
      out.push_back({{r, h}, {r + 1, h}});
      out.push_back({{r, h}, {r + 1, -h}});
      for (long i = 2; i < b.size; ++i) out.push_back({{r + i, 1.0}});
      break;
    case Kind::exp:
    case Kind::dexp:
      out = {{{r + 2, 1.0}}, {{r + 1, 1.0}}, {{r, 1.0}}};
      break;
    default:
      for (long i = 0; i < b.size; ++i) out.push_back({{r + i, 1.0}});
  }
  return out;
}

}  // namespace

CbfFile parse_cbf(std::istream& in, const std::string& name) {
  try {
    Lines lines(in);
    CbfFile f;
    long n = -1, m = -1;  // scalar variables, CON rows (-1: section not read yet)
    std::vector<Block> var_blocks, con_blocks;
    std::vector<int> psdcon_orders;
    bool have_version = false, have_psdvar = false, have_psdcon = false;
    std::vector<Eigen::Triplet<double>> g;  // rows: CON (m), VAR (n), PSDVAR svec, PSDCON svec
    std::vector<std::pair<long, double>> h;
    Eigen::VectorXd c;
    std::vector<long> psdvar_col, psdcon_row;  // first column of each X_j in z, first row of each PSDCON
    std::set<std::tuple<int, long, long, long, long>> seen;  // (section, indices): an entry given twice is an error
    auto once = [&](int section, long a, long b, long c2, long d, int line) {
      if (!seen.emplace(section, a, b, c2, d).second) throw InputError(line_field(line), "entry given twice in this section");
    };
    long nz = -1;  // columns of z, fixed once the variables are known
    bool coordinates_started = false;  // declarations (VAR, CON, PSD...) must precede coordinates
    auto columns = [&](int line) {
      if (n < 0) n = 0;  // no VAR section: PSD variables only
      if (nz < 0) {
        nz = n;
        for (const int o : f.layout.psd_variable_orders) {
          psdvar_col.push_back(nz);
          nz += svec_size(o);
        }
        if (nz > kMaxSdpaRows) throw InputError(line_field(line), "more than " + std::to_string(kMaxSdpaRows) + " variables");
        c = Eigen::VectorXd::Zero(nz);
      }
      return nz;
    };
    auto con_rows = [&] {
      if (m < 0) m = 0;  // no CON section: no constraint rows
      return m;
    };
    auto coordinate_count = [&](const std::string& section) {
      const Line& head = lines.next(section + " count", 1);
      const long count = integer(head.tokens[0], head.number, section + " count", 0, static_cast<long>(lines.left()));
      columns(head.number);
      coordinates_started = true;
      return count;
    };
    auto psd_index = [&](const std::vector<int>& orders, const std::string& tok, int line, const std::string& what) {
      return integer(tok, line, what, 0, static_cast<long>(orders.size()) - 1);
    };

    while (!lines.done()) {
      const Line& kw = lines.next("a section keyword", 1);
      const std::string& key = kw.tokens[0];
      if (!have_version && key != "VER") throw InputError(line_field(kw.number), "a CBF file starts with VER, got '" + key + "'");
      const bool declaration = key == "VAR" || key == "PSDVAR" || key == "CON" || key == "PSDCON" || key == "OBJSENSE";
      if (declaration && coordinates_started)
        throw InputError(line_field(kw.number), key + " after the coordinate sections: declarations come first");
      if (key == "VER") {
        const Line& l = lines.next("the version", 1);
        integer(l.tokens[0], l.number, "version", 1, 3);
        have_version = true;
      } else if (key == "OBJSENSE") {
        const Line& l = lines.next("the objective sense", 1);
        if (l.tokens[0] != "MIN" && l.tokens[0] != "MAX") throw InputError(line_field(l.number), "OBJSENSE is MIN or MAX, got '" + l.tokens[0] + "'");
        f.layout.maximize = l.tokens[0] == "MAX";
      } else if (key == "VAR") {
        if (n >= 0) throw InputError(line_field(kw.number), "VAR given twice");
        var_blocks = read_cone_list(lines, "VAR", n, 0);  // first_row fixed below, once m is known
        f.layout.scalar_variables = static_cast<int>(n);
      } else if (key == "PSDVAR") {
        if (n >= 0 || have_psdvar) throw InputError(line_field(kw.number), "PSDVAR must come once, before VAR");
        f.layout.psd_variable_orders = read_orders(lines, "PSDVAR");
        have_psdvar = true;
      } else if (key == "CON") {
        if (m >= 0) throw InputError(line_field(kw.number), "CON given twice");
        con_blocks = read_cone_list(lines, "CON", m, 0);
      } else if (key == "PSDCON") {
        if (have_psdcon) throw InputError(line_field(kw.number), "PSDCON given twice");
        psdcon_orders = read_orders(lines, "PSDCON");
        have_psdcon = true;
      } else if (key == "INT") {
        throw InputError(line_field(kw.number), "integer variables (INT) are not supported: this is a continuous conic solver");
      } else if (key == "POWCONES" || key == "POW*CONES") {
        throw InputError(line_field(kw.number), "power cones (" + key + ") are not supported");
      } else if (key == "OBJACOORD") {
        const long count = coordinate_count(key);
        for (long e = 0; e < count; ++e) {
          const Line& l = lines.next("OBJACOORD entry (j value)", 2);
          const long j = integer(l.tokens[0], l.number, "variable", 0, n - 1);
          once(0, j, 0, 0, 0, l.number);
          c[j] = number(l.tokens[1], l.number, "value");
        }
      } else if (key == "OBJBCOORD") {
        const Line& l = lines.next("OBJBCOORD value", 1);
        f.layout.objective_constant = number(l.tokens[0], l.number, "value");
      } else if (key == "OBJFCOORD") {
        const long count = coordinate_count(key);
        for (long e = 0; e < count; ++e) {
          const Line& l = lines.next("OBJFCOORD entry (j k l value)", 4);
          const long j = psd_index(f.layout.psd_variable_orders, l.tokens[0], l.number, "PSD variable");
          const long o = f.layout.psd_variable_orders[static_cast<std::size_t>(j)];
          const long k = integer(l.tokens[1], l.number, "row", 0, o - 1), q = integer(l.tokens[2], l.number, "column", 0, o - 1);
          once(1, j, std::max(k, q), std::min(k, q), 0, l.number);
          const auto [pos, w] = svec_entry(o, k, q);
          c[psdvar_col[static_cast<std::size_t>(j)] + pos] = w * number(l.tokens[3], l.number, "value");
        }
      } else if (key == "ACOORD") {
        const long count = coordinate_count(key);
        const long rows = con_rows();
        for (long e = 0; e < count; ++e) {
          const Line& l = lines.next("ACOORD entry (i j value)", 3);
          const long i = integer(l.tokens[0], l.number, "constraint", 0, rows - 1), j = integer(l.tokens[1], l.number, "variable", 0, n - 1);
          once(2, i, j, 0, 0, l.number);
          g.emplace_back(static_cast<int>(i), static_cast<int>(j), number(l.tokens[2], l.number, "value"));
        }
      } else if (key == "BCOORD") {
        const long count = coordinate_count(key);
        const long rows = con_rows();
        for (long e = 0; e < count; ++e) {
          const Line& l = lines.next("BCOORD entry (i value)", 2);
          const long i = integer(l.tokens[0], l.number, "constraint", 0, rows - 1);
          once(3, i, 0, 0, 0, l.number);
          h.emplace_back(i, number(l.tokens[1], l.number, "value"));
        }
      } else if (key == "FCOORD") {
        const long count = coordinate_count(key);
        const long rows = con_rows();
        for (long e = 0; e < count; ++e) {
          const Line& l = lines.next("FCOORD entry (i j k l value)", 5);
          const long i = integer(l.tokens[0], l.number, "constraint", 0, rows - 1);
          const long j = psd_index(f.layout.psd_variable_orders, l.tokens[1], l.number, "PSD variable");
          const long o = f.layout.psd_variable_orders[static_cast<std::size_t>(j)];
          const long k = integer(l.tokens[2], l.number, "row", 0, o - 1), q = integer(l.tokens[3], l.number, "column", 0, o - 1);
          once(4, i, j, std::max(k, q), std::min(k, q), l.number);
          const auto [pos, w] = svec_entry(o, k, q);
          g.emplace_back(static_cast<int>(i), static_cast<int>(psdvar_col[static_cast<std::size_t>(j)] + pos), w * number(l.tokens[4], l.number, "value"));
        }
      } else if (key == "HCOORD" || key == "DCOORD") {
        const bool hcoord = key == "HCOORD";
        const long count = coordinate_count(key);
        if (psdcon_row.empty()) {  // PSDCON rows follow the CON, VAR and PSDVAR rows
          long row = con_rows() + n + (nz - n);
          for (const int o : psdcon_orders) {
            psdcon_row.push_back(row);
            row += svec_size(o);
          }
        }
        for (long e = 0; e < count; ++e) {
          const Line& l = lines.next(key + (hcoord ? " entry (i j k l value)" : " entry (i k l value)"), hcoord ? 5 : 4);
          const long i = psd_index(psdcon_orders, l.tokens[0], l.number, "PSD constraint");
          const long j = hcoord ? integer(l.tokens[1], l.number, "variable", 0, n - 1) : -1;
          const std::size_t t = hcoord ? 2 : 1;
          const long o = psdcon_orders[static_cast<std::size_t>(i)];
          const long k = integer(l.tokens[t], l.number, "row", 0, o - 1), q = integer(l.tokens[t + 1], l.number, "column", 0, o - 1);
          once(hcoord ? 5 : 6, i, j, std::max(k, q), std::min(k, q), l.number);
          const auto [pos, w] = svec_entry(o, k, q);
          const long row = psdcon_row[static_cast<std::size_t>(i)] + pos;
          const double v = w * number(l.tokens[t + 2], l.number, "value");
          if (hcoord) g.emplace_back(static_cast<int>(row), static_cast<int>(j), v);
          else h.emplace_back(row, v);
        }
      } else {
        throw InputError(line_field(kw.number), "unknown section '" + key + "'");
      }
    }
    if (!have_version) throw InputError("line 1", "empty file: a CBF file starts with VER");
    columns(0);
    const long rows_con = con_rows();

    // The row space: CON rows, then VAR rows (g = x), PSDVAR rows (g = svec X_j), PSDCON rows.
    std::vector<Block> blocks = con_blocks;
    for (Block b : var_blocks) {
      if (b.kind == Kind::free) continue;
      b.first_row += rows_con;
      for (long i = 0; i < b.size; ++i) g.emplace_back(static_cast<int>(b.first_row + i), static_cast<int>(b.first_row - rows_con + i), 1.0);
      blocks.push_back(b);
    }
    long row = rows_con + n;
    for (std::size_t j = 0; j < f.layout.psd_variable_orders.size(); ++j) {
      const int o = f.layout.psd_variable_orders[j];
      for (long i = 0; i < svec_size(o); ++i) g.emplace_back(static_cast<int>(row + i), static_cast<int>(psdvar_col[j] + i), 1.0);
      blocks.push_back({Kind::psd, svec_size(o), row, o});
      row += svec_size(o);
    }
    for (const int o : psdcon_orders) {
      blocks.push_back({Kind::psd, svec_size(o), row, o});
      row += svec_size(o);
    }
    if (row > kMaxSdpaRows) throw InputError("CON", "the cones need more than " + std::to_string(kMaxSdpaRows) + " rows");
    Eigen::SparseMatrix<double, Eigen::RowMajor> G(row, nz);
    G.setFromTriplets(g.begin(), g.end());
    Eigen::VectorXd hv = Eigen::VectorXd::Zero(row);
    for (const auto& [i, v] : h) hv[i] += v;

    // Our rows in the fixed cone order: s = T g, so A = -T G and b = T h.
    ConicProblem& p = f.problem;
    std::vector<std::vector<std::pair<long, double>>> out;
    auto take = [&](Kind kind) {
      for (const Block& b : blocks) {
        const bool nonneg_group = kind == Kind::nonneg && b.kind == Kind::nonpos;
        const bool soc_group = kind == Kind::soc && b.kind == Kind::rsoc;
        if (b.kind != kind && !nonneg_group && !soc_group) continue;
        for (auto& r : mapped_rows(b)) out.push_back(std::move(r));
        switch (kind) {
          case Kind::zero: p.cones.zero += static_cast<int>(b.size); break;
          case Kind::nonneg: p.cones.nonneg += static_cast<int>(b.size); break;
          case Kind::soc: p.cones.soc.push_back(static_cast<int>(b.size)); break;
          case Kind::psd: p.cones.psd_real.push_back(b.order); break;
          case Kind::exp: ++p.cones.exp_primal; break;
          case Kind::dexp: ++p.cones.exp_dual; break;
          default: break;
        }
      }
    };
    for (const Kind kind : {Kind::zero, Kind::nonneg, Kind::soc, Kind::psd, Kind::exp, Kind::dexp}) take(kind);
    std::vector<Eigen::Triplet<double>> a;
    p.b = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(out.size()));
    for (std::size_t r = 0; r < out.size(); ++r)
      for (const auto& [src, w] : out[r]) {
        p.b[static_cast<Eigen::Index>(r)] += w * hv[src];
        for (Eigen::SparseMatrix<double, Eigen::RowMajor>::InnerIterator it(G, src); it; ++it)
          a.emplace_back(static_cast<int>(r), static_cast<int>(it.col()), -w * it.value());
      }
    p.A.resize(static_cast<Eigen::Index>(out.size()), nz);
    p.A.setFromTriplets(a.begin(), a.end());
    p.A.prune(0.0);
    std::vector<Eigen::Triplet<double>> t;
    for (std::size_t r = 0; r < out.size(); ++r)
      for (const auto& [src, w] : out[r]) t.emplace_back(static_cast<int>(r), static_cast<int>(src), w);
    f.layout.row_map.resize(static_cast<Eigen::Index>(out.size()), row);
    f.layout.row_map.setFromTriplets(t.begin(), t.end());
    f.layout.constraint_rows = static_cast<int>(rows_con);
    f.layout.psd_constraint_orders = psdcon_orders;
    p.c = f.layout.maximize ? Eigen::VectorXd(-c) : c;
    return f;
  } catch (const InputError& e) {
    throw e.in_file(name);
  }
}

CbfFile read_cbf_file(const std::string& path) {
  if (std::filesystem::is_directory(path)) throw InputError("file", "'" + path + "' is a directory, not a CBF file", path);
  std::ifstream in(path);
  if (!in) throw InputError("file", "cannot open '" + path + "'", path);
  return parse_cbf(in, path);
}

}  // namespace isacbf::conic
