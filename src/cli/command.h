// How a verb file plugs into the command line: it adds its subcommand to the CLI11 app, binds
// the options into a struct of its own, and once CLI11 has parsed the line, leaves the action
// that run_cli then runs. Parsing never talks to the daemon; actions never see CLI11.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "cli/context.h"

namespace cradle::cli {

using Action = std::function<int(const Context&)>;

template <typename Options>
using Verb = int (*)(const Context&, const Options&);

template <typename Options>
Action bind_verb(std::shared_ptr<Options> options, Verb<Options> verb) {
  return [options, verb](const Context& ctx) { return verb(ctx, *options); };
}

template <typename Options>
void on_parsed(CLI::App* command, Action& action, std::shared_ptr<Options> options,
               Verb<Options> verb) {
  command->callback([&action, options, verb] { action = bind_verb(options, verb); });
}

// For docker-style verbs whose words after the first non-option (the image, the container) are
// the container's command, passed through untouched: `run busybox sh -c "exit 5"`. CLI11 stops
// parsing there (prefix_command) and hands the rest over as they were.
// `usage` names the words for --help ("IMAGE [COMMAND] [ARG...]").
template <typename Options>
void on_parsed_with_words(CLI::App* command, Action& action, std::shared_ptr<Options> options,
                          std::type_identity_t<std::vector<std::string> Options::*> words,
                          const std::string& usage, Verb<Options> verb) {
  command->prefix_command();
  command->footer("Arguments: " + usage +
                  "\nEverything after the first argument is passed through untouched.");
  command->callback([command, &action, options, words, verb] {
    std::vector<std::string> remaining = command->remaining();
    // CLI11 hands an option it does not know over with the words; docker refuses it.
    if (!remaining.empty() && remaining.front().size() > 1 && remaining.front().starts_with('-'))
      throw CLI::ExtrasError(command->get_name(), {remaining.front()});
    (*options).*words = std::move(remaining);
    action = bind_verb(options, verb);
  });
}

// An option that takes a list, one value per occurrence (`-e A=1 -e B=2`), so that the word
// after it (the image) is never swallowed.
inline CLI::Option* add_list(CLI::App* command, const std::string& name,
                             std::vector<std::string>& values, const std::string& description) {
  return command->add_option(name, values, description)->allow_extra_args(false);
}

}  // namespace cradle::cli
