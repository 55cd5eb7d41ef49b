# claimgate_warnings(target): the warning set every target of ours compiles with.
function(claimgate_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Werror -Wconversion
                                           -Wno-sign-conversion)
  # clang (the fuzz and sanitizer builds) also flags aggregate initializers that leave trailing
  # members to their defaults, which the code does on purpose; gcc does not.
  if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    target_compile_options(${target} PRIVATE -Wno-missing-field-initializers)
  endif()
endfunction()
