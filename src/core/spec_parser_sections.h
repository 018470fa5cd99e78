// The parts of the spec parser, one per section of config.json, shared by its .cc files only.
#pragma once

#include <string>
#include <vector>

#include "core/json_field.h"
#include "core/spec.h"

namespace cradle::spec_parser {

// A path that must be absolute, returned cleaned ("/dev//shm/" -> "/dev/shm").
std::string parse_absolute_path(const JsonField& field);
IdMapping parse_id_mapping(const JsonField& field);
// "KEY=value", as in the environment of the process and of hooks.
std::string parse_env_variable(const JsonField& field);

Process parse_process(const JsonField& process);
Linux parse_linux(const JsonField& linux);
ns::SeccompProfile parse_seccomp(const JsonField& seccomp);
cgroups::Resources parse_resources(const JsonField& resources);

// The rules between sections, checked once the whole spec is read.
void validate_spec(const Spec& spec);

}  // namespace cradle::spec_parser
