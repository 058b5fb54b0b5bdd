// The `isacbf` command line: dispatches to the registered subcommands and maps errors to exit codes
// (formats.md): 2 bad input, 3 no usable GPU, 1 anything else.
#include <algorithm>
#include <iostream>

#include "apps/command.hpp"
#include "host/common/errors.hpp"
#include "host/common/json_io.hpp"

namespace isacbf::apps {

std::vector<Command>& registry() {
  static std::vector<Command> commands;
  return commands;
}

namespace {
int g_exit_code = 0;
}
void set_exit_code(int code) { g_exit_code = code; }
int exit_code() { return g_exit_code; }

}  // namespace isacbf::apps

int main(int argc, char** argv) {
  using namespace isacbf;
  CLI::App app{"isacbf: secure ISAC beamforming (model A: target eavesdropper, model B: aerial eavesdroppers)"};
  app.require_subcommand(1);
  auto& commands = apps::registry();
  std::sort(commands.begin(), commands.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  for (const auto& command : commands) command.attach(app);
  // CLI11 reads an unknown first word as a stray positional ("A subcommand is required"): name it.
  if (argc > 1 && argv[1][0] != '-' &&
      std::none_of(commands.begin(), commands.end(), [&](const apps::Command& c) { return c.name == argv[1]; })) {
    std::cerr << "isacbf: bad input: unknown command '" << argv[1] << "' (isacbf --help lists them)\n";
    return exit_code::bad_input;
  }
  try {
    app.parse(argc, argv);
    // Whatever a command printed must have reached stdout (`isacbf validate F > /dev/full` fails).
    json_io::check_written(std::cout, "standard output");
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : exit_code::bad_input;
  } catch (const InputError& e) {
    std::cerr << "isacbf: bad input: " << e.what() << "\n";
    return exit_code::bad_input;
  } catch (const GpuUnavailable& e) {
    std::cerr << "isacbf: no usable GPU: " << e.what() << "\n";
    return exit_code::no_gpu;
  } catch (const std::exception& e) {
    std::cerr << "isacbf: error: " << e.what() << "\n";
    return exit_code::other;
  }
  return apps::exit_code();
}
