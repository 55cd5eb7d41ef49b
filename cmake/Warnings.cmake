# claimgate_warnings(target): the warning set every target of ours compiles with.
function(claimgate_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Werror -Wconversion
                                           -Wno-sign-conversion)
endfunction()
