// The `baken` program: everything is in the libraries; see src/cli/cli.h.
#include "cli/cli.h"

int main(int argc, char** argv) { return baken::cli::Run(argc, argv); }
