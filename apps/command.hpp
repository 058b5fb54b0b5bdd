#pragma once
// Each subcommand lives in its own apps/cmd_*.cpp and registers itself here, so adding a command
// never touches main.cpp. A command reports bad input by throwing isacbf::InputError (exit 2).
#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

namespace isacbf::apps {

struct Command {
  std::string name;
  std::function<void(CLI::App& root)> attach;  // adds the subcommand and its callback to root
};

std::vector<Command>& registry();

struct RegisterCommand {
  RegisterCommand(std::string name, std::function<void(CLI::App&)> attach) {
    registry().push_back({std::move(name), std::move(attach)});
  }
};

// Exit code a command wants when it returns normally (default 0).
void set_exit_code(int code);
int exit_code();

}  // namespace isacbf::apps
