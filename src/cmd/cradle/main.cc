// cradle: the command line of the cradle daemon. Everything lives in src/cli/.
#include <cstdio>
#include <cstdlib>

#include "cli/cli.h"

int main(int argc, char** argv) {
  int status = cradle::cli::run_cli(argc, argv);
  // run_cli has closed its calls, restored the terminal and written everything out by now. What
  // a normal exit would add is gRPC's library shutdown (joining its threads, about 5 ms a run in
  // bench/start-latency's breakdown), which a process about to end does not need.
  std::fflush(nullptr);
  std::_Exit(status);
}
