#include "mail/openpgp.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <memory>
#include <mutex>
#include <type_traits>
#include <utility>

#include <fmt/format.h>
#include <gpgme.h>

namespace baken::mail {

namespace {

struct ContextDeleter {
  void operator()(gpgme_ctx_t context) const { gpgme_release(context); }
};
using Context = std::unique_ptr<std::remove_pointer_t<gpgme_ctx_t>, ContextDeleter>;

struct DataDeleter {
  void operator()(gpgme_data_t data) const { gpgme_data_release(data); }
};
using Data = std::unique_ptr<std::remove_pointer_t<gpgme_data_t>, DataDeleter>;

struct KeyDeleter {
  void operator()(gpgme_key_t key) const { gpgme_key_unref(key); }
};
using Key = std::unique_ptr<std::remove_pointer_t<gpgme_key_t>, KeyDeleter>;

std::string Describe(gpgme_error_t error) {
  return fmt::format("{} ({})", gpgme_strerror(error), gpgme_strsource(error));
}

Result<Context> NewContext(const std::string& home) {
  static std::once_flag initialised;
  std::call_once(initialised, [] { gpgme_check_version(nullptr); });
  gpgme_ctx_t raw = nullptr;
  if (const gpgme_error_t error = gpgme_new(&raw); error != 0) {
    return Unavailable("OpenPGP: " + Describe(error));
  }
  Context context(raw);
  if (const gpgme_error_t error = gpgme_set_protocol(context.get(), GPGME_PROTOCOL_OpenPGP);
      error != 0) {
    return Unavailable("OpenPGP: " + Describe(error));
  }
  if (const gpgme_error_t error =
          gpgme_ctx_set_engine_info(context.get(), GPGME_PROTOCOL_OpenPGP, nullptr, home.c_str());
      error != 0) {
    return Unavailable(fmt::format("OpenPGP home {}: {}", home, Describe(error)));
  }
  // No prompt that no one would answer: a key with a passphrase fails at once.
  gpgme_set_pinentry_mode(context.get(), GPGME_PINENTRY_MODE_LOOPBACK);
  // Never look a key up on the network while checking a stranger's signature.
  gpgme_set_offline(context.get(), 1);
  gpgme_set_armor(context.get(), 1);
  return context;
}

Result<Data> DataFrom(std::string_view bytes) {
  gpgme_data_t raw = nullptr;
  // Not copied: `bytes` outlives the operation.
  if (const gpgme_error_t error = gpgme_data_new_from_mem(&raw, bytes.data(), bytes.size(), 0);
      error != 0) {
    return Internal("OpenPGP: " + Describe(error));
  }
  return Data(raw);
}

// Where an operation writes, refusing to grow past its limit.
struct BoundedSink {
  std::string bytes;
  size_t limit = 0;
  bool overflowed = false;
};

ssize_t WriteToSink(void* handle, const void* buffer, size_t size) {
  auto* sink = static_cast<BoundedSink*>(handle);
  if (size > sink->limit - sink->bytes.size()) {
    sink->overflowed = true;
    errno = EFBIG;
    return -1;
  }
  sink->bytes.append(static_cast<const char*>(buffer), size);
  return static_cast<ssize_t>(size);
}

gpgme_data_cbs sink_callbacks{nullptr, WriteToSink, nullptr, nullptr};

Result<Data> DataInto(BoundedSink& sink) {
  gpgme_data_t raw = nullptr;
  if (const gpgme_error_t error = gpgme_data_new_from_cbs(&raw, &sink_callbacks, &sink);
      error != 0) {
    return Internal("OpenPGP: " + Describe(error));
  }
  return Data(raw);
}

std::string UserIdOf(gpgme_ctx_t context, const char* fingerprint) {
  if (fingerprint == nullptr || *fingerprint == '\0') return {};
  gpgme_key_t raw = nullptr;
  if (gpgme_get_key(context, fingerprint, &raw, 0) != 0 || raw == nullptr) return {};
  const Key key(raw);
  return key->uids != nullptr && key->uids->uid != nullptr ? key->uids->uid : "";
}

// The first signature that is not good decides; else the first.
Signature SignatureOf(gpgme_ctx_t context) {
  const gpgme_verify_result_t result = gpgme_op_verify_result(context);
  Signature signature;
  if (result == nullptr || result->signatures == nullptr) return signature;
  gpgme_signature_t chosen = result->signatures;
  for (gpgme_signature_t each = result->signatures; each != nullptr; each = each->next) {
    if (gpgme_err_code(each->status) != GPG_ERR_NO_ERROR) {
      chosen = each;
      break;
    }
  }
  switch (gpgme_err_code(chosen->status)) {
    case GPG_ERR_NO_ERROR:
      signature.state = "good";
      break;
    case GPG_ERR_BAD_SIGNATURE:
      signature.state = "bad";
      break;
    case GPG_ERR_NO_PUBKEY:
      signature.state = "unknown_key";
      break;
    case GPG_ERR_SIG_EXPIRED:
    case GPG_ERR_KEY_EXPIRED:
    case GPG_ERR_CERT_REVOKED:
      signature.state = "expired";
      break;
    default:
      signature.state = "error";
      break;
  }
  if ((chosen->summary & GPGME_SIGSUM_KEY_REVOKED) != 0 && signature.state == "good") {
    signature.state = "expired";
  }
  signature.signer = chosen->fpr != nullptr ? chosen->fpr : "";
  std::transform(signature.signer.begin(), signature.signer.end(), signature.signer.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (signature.state != "unknown_key") signature.user_id = UserIdOf(context, chosen->fpr);
  return signature;
}

// The secret key `signer` names (a fingerprint or an address), for signing.
Result<Key> SecretKey(gpgme_ctx_t context, std::string_view signer) {
  const std::string pattern(signer);
  if (const gpgme_error_t error = gpgme_op_keylist_start(context, pattern.c_str(), 1); error != 0) {
    return Unavailable("OpenPGP key list: " + Describe(error));
  }
  gpgme_key_t raw = nullptr;
  Key found;
  while (gpgme_op_keylist_next(context, &raw) == 0) {
    Key key(raw);
    if (!found && key->can_sign != 0 && key->revoked == 0 && key->expired == 0) {
      found = std::move(key);
    }
  }
  gpgme_op_keylist_end(context);
  if (!found) {
    return InvalidArgument(fmt::format("OpenPGP: no secret key for {} that can sign", signer));
  }
  return found;
}

}  // namespace

OpenPgp::OpenPgp(std::string home) : home_(std::move(home)) {}

Result<OpenPgp::Decrypted> OpenPgp::Decrypt(std::string_view message, size_t max_bytes) const {
  BAKEN_ASSIGN_OR_RETURN(Context context, NewContext(home_));
  BAKEN_ASSIGN_OR_RETURN(Data input, DataFrom(message));
  BoundedSink sink{.bytes = {}, .limit = max_bytes, .overflowed = false};
  BAKEN_ASSIGN_OR_RETURN(Data output, DataInto(sink));
  const gpgme_error_t error = gpgme_op_decrypt_verify(context.get(), input.get(), output.get());
  if (sink.overflowed) {
    return InvalidArgument(
        fmt::format("the decrypted message is larger than the limit of {} bytes", max_bytes));
  }
  if (error != 0) {
    switch (gpgme_err_code(error)) {
      case GPG_ERR_NO_DATA:
        return InvalidArgument("not an OpenPGP message");
      case GPG_ERR_NO_SECKEY:
      case GPG_ERR_DECRYPT_FAILED:
        return InvalidArgument("the message is not encrypted to a key of the CERT, or is damaged");
      default:
        // The agent, the home, a passphrase: ours to fix, not the sender's.
        return Unavailable("cannot decrypt now: " + Describe(error));
    }
  }
  return Decrypted{std::move(sink.bytes), SignatureOf(context.get())};
}

Signature OpenPgp::Verify(std::string_view signed_bytes, std::string_view signature) const {
  Signature failed{.state = "error", .signer = {}, .user_id = {}};
  auto context = NewContext(home_);
  if (!context) return failed;
  auto signature_data = DataFrom(signature);
  auto signed_data = DataFrom(signed_bytes);
  if (!signature_data || !signed_data) return failed;
  const gpgme_error_t error =
      gpgme_op_verify(context->get(), signature_data->get(), signed_data->get(), nullptr);
  if (error != 0) return failed;
  Signature result = SignatureOf(context->get());
  return result.state == "none" ? failed : result;
}

Result<OpenPgp::Signed> OpenPgp::SignDetached(std::string_view bytes,
                                              std::string_view signer) const {
  BAKEN_ASSIGN_OR_RETURN(Context context, NewContext(home_));
  BAKEN_ASSIGN_OR_RETURN(Key key, SecretKey(context.get(), signer));
  if (const gpgme_error_t error = gpgme_signers_add(context.get(), key.get()); error != 0) {
    return Internal("OpenPGP: " + Describe(error));
  }
  BAKEN_ASSIGN_OR_RETURN(Data input, DataFrom(bytes));
  BoundedSink sink{.bytes = {}, .limit = size_t{1} << 20, .overflowed = false};
  BAKEN_ASSIGN_OR_RETURN(Data output, DataInto(sink));
  if (const gpgme_error_t error =
          gpgme_op_sign(context.get(), input.get(), output.get(), GPGME_SIG_MODE_DETACH);
      error != 0) {
    return Unavailable(fmt::format("OpenPGP: cannot sign with {}: {}", signer, Describe(error)));
  }
  const gpgme_sign_result_t result = gpgme_op_sign_result(context.get());
  if (result == nullptr || result->signatures == nullptr) {
    return Internal(fmt::format("OpenPGP: signing with {} made no signature", signer));
  }
  const char* hash = gpgme_hash_algo_name(result->signatures->hash_algo);
  std::string micalg = "pgp-" + std::string(hash != nullptr ? hash : "sha256");
  std::transform(micalg.begin(), micalg.end(), micalg.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return Signed{std::move(sink.bytes), std::move(micalg)};
}

Result<std::vector<std::string>> OpenPgp::Import(std::string_view armored) const {
  BAKEN_ASSIGN_OR_RETURN(Context context, NewContext(home_));
  BAKEN_ASSIGN_OR_RETURN(Data input, DataFrom(armored));
  if (const gpgme_error_t error = gpgme_op_import(context.get(), input.get()); error != 0) {
    return InvalidArgument("OpenPGP: cannot import the key: " + Describe(error));
  }
  std::vector<std::string> fingerprints;
  const gpgme_import_result_t result = gpgme_op_import_result(context.get());
  for (gpgme_import_status_t each = result != nullptr ? result->imports : nullptr; each != nullptr;
       each = each->next) {
    if (each->result == 0 && each->fpr != nullptr &&
        std::find(fingerprints.begin(), fingerprints.end(), each->fpr) == fingerprints.end()) {
      fingerprints.emplace_back(each->fpr);
    }
  }
  if (fingerprints.empty()) return InvalidArgument("OpenPGP: the text holds no public key");
  return fingerprints;
}

Result<std::string> OpenPgp::Encrypt(std::string_view bytes,
                                     const std::vector<std::string>& recipients,
                                     std::string_view signer) const {
  if (recipients.empty()) return InvalidArgument("OpenPGP: no key to encrypt to");
  BAKEN_ASSIGN_OR_RETURN(Context context, NewContext(home_));
  std::vector<Key> keys;
  for (const std::string& armored : recipients) {
    BAKEN_ASSIGN_OR_RETURN(std::vector<std::string> fingerprints, Import(armored));
    for (const std::string& fingerprint : fingerprints) {
      gpgme_key_t raw = nullptr;
      if (const gpgme_error_t error = gpgme_get_key(context.get(), fingerprint.c_str(), &raw, 0);
          error != 0 || raw == nullptr) {
        return Unavailable(fmt::format("OpenPGP: key {} is not in the keyring after import: {}",
                                       fingerprint, Describe(error)));
      }
      Key key(raw);
      if (key->can_encrypt == 0 || key->revoked != 0 || key->expired != 0) {
        return InvalidArgument(fmt::format(
            "OpenPGP: key {} cannot be encrypted to (revoked, expired or sign-only)", fingerprint));
      }
      keys.push_back(std::move(key));
    }
  }
  std::vector<gpgme_key_t> key_list;
  for (const Key& key : keys) key_list.push_back(key.get());
  key_list.push_back(nullptr);
  BAKEN_ASSIGN_OR_RETURN(Data input, DataFrom(bytes));
  BoundedSink sink{.bytes = {}, .limit = bytes.size() * 2 + (size_t{1} << 20), .overflowed = false};
  BAKEN_ASSIGN_OR_RETURN(Data output, DataInto(sink));
  gpgme_error_t error = 0;
  if (signer.empty()) {
    error = gpgme_op_encrypt(context.get(), key_list.data(), GPGME_ENCRYPT_ALWAYS_TRUST,
                             input.get(), output.get());
  } else {
    BAKEN_ASSIGN_OR_RETURN(Key key, SecretKey(context.get(), signer));
    if (const gpgme_error_t added = gpgme_signers_add(context.get(), key.get()); added != 0) {
      return Internal("OpenPGP: " + Describe(added));
    }
    error = gpgme_op_encrypt_sign(context.get(), key_list.data(), GPGME_ENCRYPT_ALWAYS_TRUST,
                                  input.get(), output.get());
  }
  if (error != 0) return Unavailable("OpenPGP: cannot encrypt: " + Describe(error));
  return std::move(sink.bytes);
}

Result<std::vector<OpenPgp::KeyInfo>> OpenPgp::Inspect(std::string_view armored) const {
  BAKEN_ASSIGN_OR_RETURN(Context context, NewContext(home_));
  BAKEN_ASSIGN_OR_RETURN(Data input, DataFrom(armored));
  if (const gpgme_error_t error = gpgme_op_keylist_from_data_start(context.get(), input.get(), 0);
      error != 0) {
    return InvalidArgument("OpenPGP: cannot read the keys: " + Describe(error));
  }
  std::vector<KeyInfo> keys;
  gpgme_key_t raw = nullptr;
  while (gpgme_op_keylist_next(context.get(), &raw) == 0) {
    const Key key(raw);
    KeyInfo info;
    info.fingerprint = key->fpr != nullptr ? key->fpr : "";
    info.usable = key->revoked == 0 && key->expired == 0 && key->disabled == 0;
    bool encrypts = false;
    for (gpgme_subkey_t subkey = key->subkeys; subkey != nullptr; subkey = subkey->next) {
      encrypts |= subkey->can_encrypt != 0 && subkey->revoked == 0 && subkey->expired == 0;
    }
    info.usable = info.usable && encrypts;
    for (gpgme_user_id_t uid = key->uids; uid != nullptr; uid = uid->next) {
      if (uid->email == nullptr || *uid->email == '\0' || uid->revoked != 0) continue;
      std::string email = uid->email;
      std::transform(email.begin(), email.end(), email.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (std::find(info.emails.begin(), info.emails.end(), email) == info.emails.end()) {
        info.emails.push_back(std::move(email));
      }
    }
    keys.push_back(std::move(info));
  }
  gpgme_op_keylist_end(context.get());
  if (keys.empty()) return InvalidArgument("OpenPGP: the text holds no public key");
  return keys;
}

std::string WithCrlfLineEnds(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 32);
  for (size_t at = 0; at < text.size(); ++at) {
    if (text[at] == '\n' && (at == 0 || text[at - 1] != '\r')) out += '\r';
    out += text[at];
  }
  return out;
}

std::string_view ArmoredMessageIn(std::string_view text) {
  constexpr std::string_view kBegin = "-----BEGIN PGP MESSAGE-----";
  constexpr std::string_view kEnd = "-----END PGP MESSAGE-----";
  const size_t begin = text.find(kBegin);
  if (begin == std::string_view::npos) return {};
  const size_t end = text.find(kEnd, begin + kBegin.size());
  if (end == std::string_view::npos) return {};
  return text.substr(begin, end + kEnd.size() - begin);
}

}  // namespace baken::mail
