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
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest_main GTest::gmock)
  baken_set_warnings(${name})
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60
    PROPERTIES ENVIRONMENT "BAKEN_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
endfunction()
