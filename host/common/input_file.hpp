#pragma once
// Opening a file the user named, with the one error every reader gives: InputError(field, "is a directory,
// not the KIND file" or "cannot open the KIND file", path), so a bad path exits 2 naming the field and the file.
#include <fstream>
#include <string>

namespace isacbf {

std::ifstream open_input_file(const std::string& path, const std::string& field, const std::string& kind);
std::string read_input_file(const std::string& path, const std::string& field, const std::string& kind);  // whole text

}  // namespace isacbf
