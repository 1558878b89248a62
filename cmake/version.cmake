# Writes OUT (generated/version.h) from IN with the git commit of the sources at build time,
# so that --version names the commit built, not the one configured (a helper saw a stale one).
# Written only when it changes: nothing recompiles for an unchanged commit. Run by the build:
# cmake -DSRC=... -DIN=... -DOUT=... -DCM_VERSION=... -P cmake/version.cmake
execute_process(COMMAND git rev-parse --short=12 HEAD WORKING_DIRECTORY ${SRC}
                OUTPUT_VARIABLE CM_GIT_COMMIT OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT CM_GIT_COMMIT)
  set(CM_GIT_COMMIT unknown)
endif()
set(PROJECT_VERSION ${CM_VERSION})
configure_file(${IN} ${OUT}.tmp @ONLY)
file(READ ${OUT}.tmp new)
if(EXISTS ${OUT})
  file(READ ${OUT} old)
endif()
if(NOT "${old}" STREQUAL "${new}")
  file(WRITE ${OUT} "${new}")
endif()
file(REMOVE ${OUT}.tmp)
