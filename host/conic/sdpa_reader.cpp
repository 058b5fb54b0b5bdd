#include "host/conic/sdpa_reader.hpp"

#include <filesystem>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <unordered_map>
#include <utility>
#include <vector>

#include "host/common/errors.hpp"
#include "host/common/input_file.hpp"
#include "host/conic/file_numbers.hpp"
#include "kernels/psd.hpp"

namespace isacbf::conic {

namespace {

struct Token {
  std::string text;
  int line;
};

double to_double(const Token& t, const std::string& what) { return file_number(t.text, t.line, what); }

// Counts and indices: any int (the checks against the header follow).
long to_int(const Token& t, const std::string& what) { return file_integer(t.text, t.line, what, -2000000000L, 2000000000L); }

}  // namespace

std::vector<long> sdpa_block_offsets(const std::vector<long>& block_sizes) {
  std::vector<long> offset(block_sizes.size());
  long rows = 0;
  for (std::size_t k = 0; k < block_sizes.size(); ++k)
    if (block_sizes[k] < 0 || block_sizes[k] == 1) {
      offset[k] = rows;
      rows += std::labs(block_sizes[k]);
    }
  for (std::size_t k = 0; k < block_sizes.size(); ++k)
    if (block_sizes[k] >= 2) {
      offset[k] = rows;
      rows += block_sizes[k] * (block_sizes[k] + 1) / 2;
    }
  return offset;
}

long sdpa_row_count(const std::vector<long>& block_sizes) {
  long rows = 0;
  for (const long s : block_sizes) rows += s >= 2 ? s * (s + 1) / 2 : std::labs(s);
  return rows;
}

SdpaFile parse_sdpa_file(std::istream& in, const std::string& name, const DeclaredSizeLimit& limit) {
  try {
    std::vector<Token> tokens;
    std::string line;
    int lineno = 0;
    bool header_done = false;
    while (std::getline(in, line)) {
      ++lineno;
      if (!header_done && !line.empty() && (line[0] == '"' || line[0] == '*')) continue;
      for (char& ch : line)
        if (ch == ',' || ch == '{' || ch == '}' || ch == '(' || ch == ')' || ch == '\r') ch = ' ';
      std::istringstream ls(line);
      std::string tok;
      while (ls >> tok) {
        tokens.push_back({tok, lineno});
        header_done = true;
      }
    }
    std::size_t pos = 0;
    auto next = [&](const std::string& what) -> const Token& {
      if (pos >= tokens.size()) throw InputError(line_field(lineno), "unexpected end of file while reading " + what);
      return tokens[pos++];
    };
    // Counts and sizes are checked against what the file holds and against kMaxSdpaRows before
    // anything is allocated: a header can declare far more than any solve could use.
    // The header lines of m, of the number of blocks and of the block sizes may end in free text
    // (SDPA's own examples write "3 = mDIM"); like SDPA and CSDP, the rest of those lines is skipped.
    auto skip_rest_of_line = [&](int line) {
      while (pos < tokens.size() && tokens[pos].line == line) ++pos;
    };
    const Token& tm = next("m (number of constraint matrices)");
    if (tm.text == "VER" || tm.text[0] == '#')
      throw InputError(line_field(tm.line), "'" + tm.text + "' starts a CBF file, not an SDPA file (isacbf conic reads names ending in .cbf, or --format cbf, as CBF)");
    const long m = to_int(tm, "m");
    if (m < 1) throw InputError(line_field(tm.line), "m must be >= 1");
    skip_rest_of_line(tm.line);
    const Token& tb = next("number of blocks");
    const long nblocks = to_int(tb, "number of blocks");
    if (nblocks < 1) throw InputError(line_field(tb.line), "number of blocks must be >= 1");
    skip_rest_of_line(tb.line);
    const long left = static_cast<long>(tokens.size() - pos);
    if (nblocks + m > left)
      throw InputError(line_field(tb.line), "the header declares " + std::to_string(nblocks) + " block sizes and " + std::to_string(m) +
                                                " objective entries, but the file holds only " + std::to_string(left) + " more numbers");
    std::vector<long> sizes(static_cast<std::size_t>(nblocks));
    long declared_rows = 0;
    for (auto& s : sizes) {
      const Token& t = next("block sizes");
      s = to_int(t, "block size");
      if (s == 0) throw InputError(line_field(t.line), "block size 0");
      if (s > kMaxSdpaPsdOrder)
        throw InputError(line_field(t.line), "block of order " + std::to_string(s) + " above the largest this solver takes (" +
                                                 std::to_string(kMaxSdpaPsdOrder) + ")");
      declared_rows += s > 0 ? s * (s + 1) / 2 : -s;
      if (declared_rows > kMaxSdpaRows)
        throw InputError(line_field(t.line), "the blocks need more than " + std::to_string(kMaxSdpaRows) + " rows (this solver's limit)");
    }
    skip_rest_of_line(tokens[pos - 1].line);
    check_declared_size(limit, static_cast<double>(declared_rows), static_cast<double>(m));
    Eigen::VectorXd c(m);
    for (long i = 0; i < m; ++i) c[i] = to_double(next("the objective vector c"), "c[" + std::to_string(i + 1) + "]");
    // More numbers on c's last line than m is a mismatch of m, not the start of an entry.
    if (pos < tokens.size() && tokens[pos].line == tokens[pos - 1].line)
      throw InputError(line_field(tokens[pos].line), "the objective vector c holds more than m = " + std::to_string(m) + " numbers");

    // row layout: non-negative rows (LP blocks and 1x1 blocks) first, then PSD blocks
    ConicProblem p;
    const std::vector<long> offset = sdpa_block_offsets(sizes);
    for (const long s : sizes) {
      if (s < 0 || s == 1) p.cones.nonneg += static_cast<int>(std::labs(s));
      else p.cones.psd_real.push_back(static_cast<int>(s));
    }
    const long rows = p.cones.dimension();
    std::vector<Eigen::Triplet<double>> trip;
    Eigen::VectorXd b = Eigen::VectorXd::Zero(rows);
    // Each entry of a matrix may be given once: (i, j) and (j, i) are the same entry. Readers differ
    // on a repeat (CSDP overwrites C's and keeps both of F_i's), so it is an error, not a guess.
    std::unordered_map<long, int> entry_line;
    while (pos < tokens.size()) {
      const int ln = tokens[pos].line;
      const long matno = to_int(next("entry matrix number"), "matrix number");
      const long blk = to_int(next("entry block number"), "block number");
      long i = to_int(next("entry row"), "row index");
      long j = to_int(next("entry column"), "column index");
      const double val = to_double(next("entry value"), "value");
      if (matno < 0 || matno > m)
        throw InputError(line_field(ln), "matrix number " + std::to_string(matno) + " outside 0.." + std::to_string(m));
      if (blk < 1 || blk > nblocks)
        throw InputError(line_field(ln), "block number " + std::to_string(blk) + " outside 1.." + std::to_string(nblocks));
      const long s = sizes[static_cast<std::size_t>(blk - 1)];
      const long order = std::labs(s);
      if (i < 1 || i > order || j < 1 || j > order)
        throw InputError(line_field(ln), "index (" + std::to_string(i) + ", " + std::to_string(j) + ") outside block " +
                                             std::to_string(blk) + " of order " + std::to_string(order));
      const long i_given = i, j_given = j;
      long row;
      double coef = val;
      if (s < 0 || s == 1) {
        if (i != j) throw InputError(line_field(ln), "off-diagonal entry in diagonal block " + std::to_string(blk));
        row = offset[static_cast<std::size_t>(blk - 1)] + (i - 1);
      } else {
        if (i < j) std::swap(i, j);  // lower triangle: i >= j
        row = offset[static_cast<std::size_t>(blk - 1)] +
              kernels::svec_position(static_cast<int>(s), static_cast<int>(i - 1), static_cast<int>(j - 1));
        if (i != j) coef *= std::sqrt(2.0);
      }
      const auto [seen, first] = entry_line.try_emplace(matno * rows + row, ln);
      if (!first)
        throw InputError(line_field(ln), "entry (" + std::to_string(i_given) + ", " + std::to_string(j_given) + ") of matrix " +
                                             std::to_string(matno) + " in block " + std::to_string(blk) + " was already given on line " +
                                             std::to_string(seen->second) + " ((i, j) and (j, i) are one entry)");
      if (matno == 0) b[row] -= coef;
      else trip.emplace_back(static_cast<int>(row), static_cast<int>(matno - 1), -coef);
    }
    p.A.resize(rows, m);
    p.A.setFromTriplets(trip.begin(), trip.end());
    p.A.prune(0.0);
    p.b = b;
    p.c = c;
    return {std::move(p), std::move(sizes)};
  } catch (const InputError& e) {
    throw e.in_file(name);
  }
}

SdpaFile read_sdpa_file(const std::string& path, const DeclaredSizeLimit& limit) {
  std::ifstream in = open_input_file(path, "file", "SDPA");
  return parse_sdpa_file(in, path, limit);
}

ConicProblem parse_sdpa(std::istream& in, const std::string& name) { return parse_sdpa_file(in, name).problem; }

ConicProblem read_sdpa(const std::string& path) { return read_sdpa_file(path).problem; }

}  // namespace isacbf::conic
