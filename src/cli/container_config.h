// create/run's options: bound by CLI11, checked and turned into a CreateContainerRequest here.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cli/command.h"

namespace cradle::cli {

struct ContainerOptions {
  std::string name;
  std::vector<std::string> env;
  std::vector<std::string> env_files;
  std::vector<std::string> volumes;
  std::vector<std::string> labels;
  std::string workdir;
  std::string user;
  std::string hostname;
  std::string network;
  std::string memory;
  std::string cpus;
  int64_t pids_limit = 0;
  std::string entrypoint;
  bool read_only = false;
  std::vector<std::string> cap_add;
  std::vector<std::string> cap_drop;
  bool privileged = false;
  bool init = false;
  bool interactive = false;
  bool tty = false;
  bool remove = false;
  std::vector<std::string> words;  // IMAGE [COMMAND [ARG...]]
};

void add_container_options(CLI::App* command, ContainerOptions& options);

// The request for Containers.Create; throws CliError for a value the CLI can tell is wrong.
v1::CreateContainerRequest create_request(const ContainerOptions& options);

}  // namespace cradle::cli
