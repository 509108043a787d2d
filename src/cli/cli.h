#ifndef BAKEN_CLI_CLI_H_
#define BAKEN_CLI_CLI_H_

namespace baken::cli {

// Runs `baken` with these arguments and returns the exit status: 0 success, 1 the work failed
// (the reason is on stderr), 2 bad usage.
int Run(int argc, char** argv);

}  // namespace baken::cli

#endif  // BAKEN_CLI_CLI_H_
