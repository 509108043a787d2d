# baken_module(<name> SOURCES ... [DEPS ...]): one library per capability, named baken_<name>
# with the alias baken::<name>. Headers are included relative to src/ ("routing/constituency.h").
function(baken_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(baken_${name} STATIC ${ARG_SOURCES})
  add_library(baken::${name} ALIAS baken_${name})
  target_include_directories(baken_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_compile_features(baken_${name} PUBLIC cxx_std_20)
  target_link_libraries(baken_${name} PUBLIC ${ARG_DEPS})
  baken_set_warnings(baken_${name})
endfunction()

# baken_unit_test(<name> SOURCES ... DEPS ...): a GoogleTest program beside its module.
function(baken_unit_test name)
  if(NOT BAKEN_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "SQLITE_FILTER" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest_main GTest::gmock)
  baken_set_warnings(${name})
  # SQLITE_FILTER: a gtest filter for the run on the default (SQLite) store, for tests that only
  # mean something on PostgreSQL (baken_postgres_tests registers those).
  if(NOT ARG_SQLITE_FILTER)
    set(ARG_SQLITE_FILTER "*")
  endif()
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 TEST_FILTER "${ARG_SQLITE_FILTER}"
    PROPERTIES ENVIRONMENT "BAKEN_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
endfunction()

# The folder of the throw-away PostgreSQL server that ctest starts for the tests that require the
# fixture `postgres` (tests/CMakeLists.txt, tests/support/postgres_cluster.sh); its `url` file
# holds postgresql://baken@127.0.0.1:PORT/baken.
set(BAKEN_TEST_POSTGRES_DIR "${CMAKE_BINARY_DIR}/postgres")

# baken_postgres_tests(<name> [gtest_discover_tests options]): registers the tests of the
# baken_unit_test <name> a second time, as <Suite>.<Test>.postgresql, against that server: ctest
# starts it first (also under -R or -j), and the tests find its URL in the file named by
# BAKEN_TEST_POSTGRES_URL_FILE (unset in the SQLite run). Options such as TEST_FILTER pass through.
function(baken_postgres_tests name)
  if(NOT BAKEN_BUILD_TESTS)
    return()
  endif()
  # One value per property: gtest_discover_tests splits PROPERTIES on ';', so an ENVIRONMENT of
  # two variables silently loses the second; hence ENVIRONMENT_MODIFICATION for the URL file.
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 TEST_SUFFIX ".postgresql"
    TEST_LIST ${name}_POSTGRESQL_TESTS
    ${ARGN}
    PROPERTIES FIXTURES_REQUIRED postgres
      ENVIRONMENT "BAKEN_SOURCE_DIR=${PROJECT_SOURCE_DIR}"
      ENVIRONMENT_MODIFICATION "BAKEN_TEST_POSTGRES_URL_FILE=set:${BAKEN_TEST_POSTGRES_DIR}/url")
endfunction()
