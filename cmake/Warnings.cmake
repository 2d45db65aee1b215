# Warnings are errors in every C file of the project.
function(tlsaccel_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror -Wshadow -Wvla
                         -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-function)
endfunction()
