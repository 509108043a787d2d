#include "store/postgresql_schema.h"
namespace baken::store { std::string_view PostgresqlBaseline() { return "SELECT 1"; } }
