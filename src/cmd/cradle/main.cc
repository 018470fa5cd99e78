// cradle: the command line of the cradle daemon. Everything lives in src/cli/.
#include "cli/cli.h"

int main(int argc, char** argv) {
  return cradle::cli::run_cli(argc, argv);
}
