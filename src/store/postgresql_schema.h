#ifndef BAKEN_STORE_POSTGRESQL_SCHEMA_H_
#define BAKEN_STORE_POSTGRESQL_SCHEMA_H_
#include <string_view>
namespace baken::store {
std::string_view PostgresqlBaseline();
inline constexpr int kPostgresqlBaselineVersion = 15;
}  // namespace baken::store
#endif
