# CLAIMGATE_SANITIZE: every target of the build with AddressSanitizer and UndefinedBehaviorSanitizer
# (any report is fatal), at -O1 so the suites stay quick. scripts/sanitize.sh builds the C++ test
# suites so in its own folder (build-asan) and runs them.
# CLAIMGATE_FUZZ: also the libFuzzer targets of fuzz/ (clang only). It implies CLAIMGATE_SANITIZE
# and adds the fuzzer's coverage instrumentation to every library, so one build folder serves
# both the sanitized suites and scripts/fuzz.sh.
option(CLAIMGATE_SANITIZE "Build with -fsanitize=address,undefined" OFF)
option(CLAIMGATE_FUZZ "Build the libFuzzer targets in fuzz/ (clang; implies CLAIMGATE_SANITIZE)" OFF)
if(CLAIMGATE_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "CLAIMGATE_FUZZ needs clang (libFuzzer): -DCMAKE_CXX_COMPILER=clang++")
  endif()
  set(CLAIMGATE_SANITIZE ON)
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
if(CLAIMGATE_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer -O1 -g)
  add_link_options(-fsanitize=address,undefined)
endif()
