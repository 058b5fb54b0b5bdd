#include "host/conic/cbf_reader.hpp"

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <tuple>
#include <utility>

#include "host/common/errors.hpp"
#include "host/common/input_file.hpp"
#include "host/conic/cbf_data.hpp"
#include "host/conic/file_numbers.hpp"
#include "host/conic/sdpa_reader.hpp"
#include "kernels/psd.hpp"

namespace isacbf::conic {

namespace {

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

CbfCone cone_of(const std::string& name, int line) {
  if (name == "F") return CbfCone::free;
  if (name == "L+") return CbfCone::nonneg;
  if (name == "L-") return CbfCone::nonpos;
  if (name == "L=") return CbfCone::zero;
  if (name == "Q") return CbfCone::soc;
  if (name == "QR") return CbfCone::rsoc;
  if (name == "EXP") return CbfCone::exp;
  if (name == "EXP*") return CbfCone::dexp;
  throw InputError(line_field(line), "cone '" + name + "' is not supported (F, L+, L-, L=, Q, QR, EXP, EXP*)");
}

// "total blocks" header, then `blocks` lines "CONE size" that must add up to `total`.
std::vector<CbfConeBlock> read_cone_list(Lines& lines, const std::string& section, long& total) {
  const Line& head = lines.next(section + " header (total size, number of cones)", 2);
  total = file_integer(head.tokens[0], head.number, section + " size", 0, kMaxSdpaRows);
  const long nblocks = file_integer(head.tokens[1], head.number, section + " cones", 0, total);
  std::vector<CbfConeBlock> blocks;
  long sum = 0;
  for (long k = 0; k < nblocks; ++k) {
    const Line& l = lines.next(section + " cone", 2);
    const CbfCone kind = cone_of(l.tokens[0], l.number);
    const long size = file_integer(l.tokens[1], l.number, "cone size", 1, total);
    if ((kind == CbfCone::exp || kind == CbfCone::dexp) && size != 3)
      throw InputError(line_field(l.number), "an exponential cone has size 3, got " + std::to_string(size));
    if (kind == CbfCone::rsoc && size < 2) throw InputError(line_field(l.number), "a rotated quadratic cone has size >= 2");
    blocks.push_back({kind, size});
    sum += size;
  }
  if (sum != total)
    throw InputError(line_field(head.number), section + " cones add up to " + std::to_string(sum) + ", the header says " + std::to_string(total));
  return blocks;
}

// "count" header, then `count` lines of PSD orders.
std::vector<int> read_orders(Lines& lines, const std::string& section) {
  const Line& head = lines.next(section + " count", 1);
  const long count = file_integer(head.tokens[0], head.number, section + " count", 0, kMaxSdpaRows);
  std::vector<int> orders;
  for (long k = 0; k < count; ++k) {
    const Line& l = lines.next(section + " order", 1);
    orders.push_back(static_cast<int>(file_integer(l.tokens[0], l.number, "PSD order", 1, kMaxSdpaPsdOrder)));
  }
  return orders;
}

// Reads the sections of a CBF file into CbfData, checking every index as it comes.
class Parser {
 public:
  explicit Parser(std::istream& in) : lines_(in) {}

  CbfData parse() {
    bool have_version = false;
    while (!lines_.done()) {
      const Line& kw = lines_.next("a section keyword", 1);
      const std::string& key = kw.tokens[0];
      if (!have_version && key != "VER") throw InputError(line_field(kw.number), "a CBF file starts with VER, got '" + key + "'");
      const bool declaration = key == "VAR" || key == "PSDVAR" || key == "CON" || key == "PSDCON" || key == "OBJSENSE";
      if (declaration && coordinates_)
        throw InputError(line_field(kw.number), key + " after the coordinate sections: declarations come first");
      if (key == "VER") {
        const Line& l = lines_.next("the version", 1);
        file_integer(l.tokens[0], l.number, "version", 1, 3);
        have_version = true;
      } else if (key == "OBJSENSE") {
        const Line& l = lines_.next("the objective sense", 1);
        if (l.tokens[0] != "MIN" && l.tokens[0] != "MAX")
          throw InputError(line_field(l.number), "OBJSENSE is MIN or MAX, got '" + l.tokens[0] + "'");
        d_.maximize = l.tokens[0] == "MAX";
      } else if (key == "VAR" || key == "CON") {
        const bool var = key == "VAR";
        if (var ? have_var_ : have_con_) throw InputError(line_field(kw.number), key + " given twice");
        (var ? d_.variable_cones : d_.constraint_cones) = read_cone_list(lines_, key, var ? d_.variables : d_.constraints);
        (var ? have_var_ : have_con_) = true;
      } else if (key == "PSDVAR" || key == "PSDCON") {
        const bool var = key == "PSDVAR";
        if (var ? have_psdvar_ : have_psdcon_) throw InputError(line_field(kw.number), key + " given twice");
        (var ? d_.psd_variable_orders : d_.psd_constraint_orders) = read_orders(lines_, key);
        (var ? have_psdvar_ : have_psdcon_) = true;
      } else if (key == "INT") {
        throw InputError(line_field(kw.number), "integer variables (INT) are not supported: this is a continuous conic solver");
      } else if (key == "POWCONES" || key == "POW*CONES") {
        throw InputError(line_field(kw.number), "power cones (" + key + ") are not supported");
      } else if (key == "OBJBCOORD") {
        const Line& l = lines_.next("OBJBCOORD value", 1);
        d_.objective_constant = file_number(l.tokens[0], l.number, "value");
      } else {
        coordinates(key, kw.number);
      }
    }
    if (!have_version) throw InputError("line 1", "empty file: a CBF file starts with VER");
    return std::move(d_);
  }

 private:
  // One coordinate section: a count, then that many entries.
  void coordinates(const std::string& key, int line) {
    const int section = coordinate_section(key, line);
    const Line& head = lines_.next(key + " count", 1);
    const long count = file_integer(head.tokens[0], head.number, key + " count", 0, static_cast<long>(lines_.left()));
    coordinates_ = true;
    static const std::size_t fields[] = {2, 4, 3, 2, 5, 5, 4};  // OBJA OBJF A B F H D
    for (long e = 0; e < count; ++e) {
      const Line& l = lines_.next(key + " entry", fields[section]);
      const auto& t = l.tokens;
      const int ln = l.number;
      switch (section) {
        case 0: {
          const long j = variable(t[0], ln);
          once(section, j, 0, 0, 0, ln);
          d_.objective.emplace_back(j, file_number(t[1], ln, "value"));
          break;
        }
        case 1: d_.objective_psd.push_back(entry(d_.psd_variable_orders, "PSD variable", t, 0, ln, section, 0)); break;
        case 2: {
          const long i = constraint(t[0], ln), j = variable(t[1], ln);
          once(section, i, j, 0, 0, ln);
          d_.a.emplace_back(i, j, file_number(t[2], ln, "value"));
          break;
        }
        case 3: {
          const long i = constraint(t[0], ln);
          once(section, i, 0, 0, 0, ln);
          d_.b.emplace_back(i, file_number(t[1], ln, "value"));
          break;
        }
        case 4: {
          const long i = constraint(t[0], ln);
          d_.f.emplace_back(i, entry(d_.psd_variable_orders, "PSD variable", t, 1, ln, section, i));
          break;
        }
        case 5: {
          const long j = variable(t[1], ln);
          std::vector<std::string> rest{t[0], t[2], t[3], t[4]};  // PSD constraint, k, l, value
          d_.h.emplace_back(j, entry(d_.psd_constraint_orders, "PSD constraint", rest, 0, ln, section, j));
          break;
        }
        default: d_.d.push_back(entry(d_.psd_constraint_orders, "PSD constraint", t, 0, ln, section, 0));
      }
    }
  }

  static int coordinate_section(const std::string& key, int line) {
    static const char* names[] = {"OBJACOORD", "OBJFCOORD", "ACOORD", "BCOORD", "FCOORD", "HCOORD", "DCOORD"};
    for (int s = 0; s < 7; ++s)
      if (key == names[s]) return s;
    throw InputError(line_field(line), "unknown section '" + key + "'");
  }

  long variable(const std::string& tok, int line) const { return file_integer(tok, line, "variable", 0, d_.variables - 1); }
  long constraint(const std::string& tok, int line) const { return file_integer(tok, line, "constraint", 0, d_.constraints - 1); }

  // "matrix k l value" from t[first..first+3]; the pair ordered row >= col; a repeat is an error.
  CbfMatrixEntry entry(const std::vector<int>& orders, const std::string& what, const std::vector<std::string>& t, std::size_t first, int line,
                       int section, long owner) {
    const long matrix = file_integer(t[first], line, what, 0, static_cast<long>(orders.size()) - 1);
    const long o = orders[static_cast<std::size_t>(matrix)];
    long k = file_integer(t[first + 1], line, "row", 0, o - 1), l = file_integer(t[first + 2], line, "column", 0, o - 1);
    if (k < l) std::swap(k, l);
    once(section, owner, matrix, k, l, line);
    return {matrix, k, l, file_number(t[first + 3], line, "value")};
  }

  // (section, indices) given twice is an error: readers differ on a repeat (sum or overwrite).
  void once(int section, long a, long b, long c, long d, int line) {
    if (!seen_.emplace(section, a, b, c, d).second) throw InputError(line_field(line), "entry given twice in this section");
  }

  Lines lines_;
  CbfData d_;
  bool have_var_ = false, have_con_ = false, have_psdvar_ = false, have_psdcon_ = false, coordinates_ = false;
  std::set<std::tuple<int, long, long, long, long>> seen_;
};

}  // namespace

CbfFile parse_cbf(std::istream& in, const std::string& name, const DeclaredSizeLimit& limit) {
  try {
    const CbfData data = Parser(in).parse();
    // Rows: the CON rows, a row per scalar variable in a cone other than F, the svec rows of the PSD
    // variables and PSDCONs; columns: the scalar variables and the PSD variables' svec.
    double psd_variables = 0.0, psd_constraints = 0.0, variable_rows = 0.0;
    for (const int n : data.psd_variable_orders) psd_variables += kernels::svec_size(n);
    for (const int n : data.psd_constraint_orders) psd_constraints += kernels::svec_size(n);
    for (const auto& block : data.variable_cones)
      if (block.kind != CbfCone::free) variable_rows += static_cast<double>(block.size);
    check_declared_size(limit, static_cast<double>(data.constraints) + variable_rows + psd_variables + psd_constraints,
                        static_cast<double>(data.variables) + psd_variables);
    return cbf_to_conic(data);
  } catch (const InputError& e) {
    throw e.in_file(name);
  }
}

CbfFile read_cbf_file(const std::string& path, const DeclaredSizeLimit& limit) {
  std::ifstream in = open_input_file(path, "file", "CBF");
  return parse_cbf(in, path, limit);
}

}  // namespace isacbf::conic
