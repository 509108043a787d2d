#ifndef BAKEN_TESTS_SUPPORT_GNUPG_HOME_H_
#define BAKEN_TESTS_SUPPORT_GNUPG_HOME_H_

// A throw-away GnuPG home for one test, driven with Debian's real `gpg`: keys made in it (no
// passphrase, ed25519 with a cv25519 subkey, made in well under a second), exported, imported,
// and `gpg` run on files as a researcher or a member would. The agent that gpg starts for the
// home is stopped and the folder removed when the object goes, also when the test failed.

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include <stdlib.h>

namespace baken::testing {

struct GpgResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

class GnupgHome {
 public:
  GnupgHome() {
    char pattern[] = "/tmp/baken-gnupg-XXXXXX";
    if (mkdtemp(pattern) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
    std::filesystem::permissions(path_, std::filesystem::perms::owner_all);
  }
  ~GnupgHome() {
    const std::string kill = "gpgconf --homedir '" + path_ + "' --kill all >/dev/null 2>&1";
    (void)std::system(kill.c_str());
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  GnupgHome(const GnupgHome&) = delete;
  GnupgHome& operator=(const GnupgHome&) = delete;

  const std::string& path() const { return path_; }

  // `gpg --homedir HOME --batch ARGS` with `input` on standard input.
  GpgResult Gpg(const std::string& args, const std::string& input = "") const {
    const std::string in = path_ + "/.in";
    const std::string out = path_ + "/.out";
    const std::string err = path_ + "/.err";
    std::ofstream(in, std::ios::binary) << input;
    const std::string command = "gpg --homedir '" + path_ +
                                "' --batch --yes --no-tty --pinentry-mode loopback "
                                "--passphrase '' " +
                                args + " <'" + in + "' >'" + out + "' 2>'" + err + "'";
    GpgResult result;
    const int status = std::system(command.c_str());
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    result.out = Read(out);
    result.err = Read(err);
    return result;
  }

  // A new key pair for `user_id` ("Name <address>"); returns its fingerprint.
  std::string NewKey(const std::string& user_id) const {
    const GpgResult made = Gpg("--quick-gen-key '" + user_id + "' default default never");
    if (made.exit_code != 0) throw std::runtime_error("gpg --quick-gen-key: " + made.err);
    const GpgResult listed = Gpg("--with-colons --list-secret-keys '" + user_id + "'");
    std::istringstream lines(listed.out);
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind("fpr:", 0) == 0) {
        return line.substr(12, line.find(':', 12) - 12);
      }
    }
    throw std::runtime_error("no fingerprint for " + user_id + ": " + listed.err);
  }

  std::string ExportPublic(const std::string& fingerprint) const {
    return Gpg("--armor --export " + fingerprint).out;
  }

  // `gpg --verify` over a PGP/MIME multipart/signed message (RFC 3156 section 5) as a receiving
  // mail client does it: the first part exactly as it travels, with the detached signature
  // that follows it. `tamper` appends a byte to the signed part first.
  GpgResult VerifySignedMessage(const std::string& message, bool tamper = false) const {
    GpgResult failed;
    const size_t at = message.find("boundary=\"");
    if (at == std::string::npos) return failed;
    const std::string boundary = message.substr(at + 10, message.find('"', at + 10) - at - 10);
    const std::string delimiter = "--" + boundary + "\r\n";
    const size_t first_at = message.find(delimiter);
    if (first_at == std::string::npos) return failed;
    const size_t first = first_at + delimiter.size();
    const size_t second = message.find("\r\n" + delimiter, first);
    const size_t armor = message.find("-----BEGIN PGP SIGNATURE-----", second);
    const size_t armor_end = message.find("-----END PGP SIGNATURE-----", armor);
    if (second == std::string::npos || armor_end == std::string::npos) return failed;
    std::ofstream(path_ + "/.part", std::ios::binary)
        << message.substr(first, second - first) << (tamper ? "x" : "");
    std::ofstream(path_ + "/.part.asc", std::ios::binary)
        << message.substr(armor, armor_end + 27 - armor) << "\n";
    return Gpg("--verify '" + path_ + "/.part.asc' '" + path_ + "/.part'");
  }

  void Import(const std::string& armored) const {
    const GpgResult imported = Gpg("--import", armored);
    if (imported.exit_code != 0) throw std::runtime_error("gpg --import: " + imported.err);
  }

 private:
  static std::string Read(const std::string& file) {
    std::ifstream stream(file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(stream), {});
  }

  std::string path_;
};

}  // namespace baken::testing

#endif  // BAKEN_TESTS_SUPPORT_GNUPG_HOME_H_
