#ifndef BAKEN_REGISTRY_SCOPE_H_
#define BAKEN_REGISTRY_SCOPE_H_

#include <optional>
#include <string>
#include <string_view>

namespace baken::registry {

// Which members' data a query may touch. Every read of member data takes a Scope, and the store
// applies it in SQL, so that a member's user can never read another member's rows. A Scope is
// made from the signed-in user in one place (auth::ScopeFor); analysts and admins see all.
class Scope {
 public:
  static Scope All() { return Scope(std::nullopt); }
  static Scope OneMember(std::string code) { return Scope(std::move(code)); }

  bool IncludesAll() const { return !member_; }
  bool Includes(std::string_view code) const { return !member_ || *member_ == code; }
  // The one member this scope is limited to, or nullopt for all.
  const std::optional<std::string>& member() const { return member_; }

 private:
  explicit Scope(std::optional<std::string> member) : member_(std::move(member)) {}
  std::optional<std::string> member_;
};

}  // namespace baken::registry

#endif  // BAKEN_REGISTRY_SCOPE_H_
