# The classic socket programs end to end (examples/tcpserver, tcpclient,
# loop_server, mt_client; tests/examples/classic_example_test.sh) on the
# event loop backends of this OS (NET_LOOP_BACKENDS, set by
# tests/CMakeLists.txt, which includes this file at its end).
#
#   POSIX:  the programs run natively (RUNNER ""), one entry per backend.
#   mingw:  the Windows programs run under the build's emulator
#           (cmake/wine-run.sh --prefix=...), with the persistent wineserver
#           of the net_emulator fixture (NET_TEST_FIXTURE); the script uses
#           smaller workloads there. One entry for both backends (iocp,
#           wsapoll), to keep the Windows suite short. The script is bash
#           on the host either way.
#
# A native Windows build (MSVC) has no bash to run the script: no entries.

if(NOT (TARGET tcpserver AND TARGET tcpclient AND TARGET loop_server AND
        TARGET mt_client))
  return()
endif()

if(WIN32)
  if(NOT (CMAKE_CROSSCOMPILING AND CMAKE_CROSSCOMPILING_EMULATOR))
    return()
  endif()
  list(JOIN CMAKE_CROSSCOMPILING_EMULATOR " " net_classic_runner)
else()
  set(net_classic_runner "")
endif()

# net_classic_test(NAME BACKEND...)
function(net_classic_test name)
  add_test(NAME ${name}
    COMMAND ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/classic_example_test.sh
            "${net_classic_runner}"
            $<TARGET_FILE:tcpserver> $<TARGET_FILE:tcpclient>
            $<TARGET_FILE:loop_server> $<TARGET_FILE:mt_client>
            ${ARGN})
  set_tests_properties(${name} PROPERTIES
    TIMEOUT 120
    SKIP_REGULAR_EXPRESSION "\\[net-skip\\]"
    ${NET_TEST_FIXTURE}
    # Last: a list value would shift the properties after it.
    LABELS examples)
endfunction()

if(WIN32)
  # One entry for both backends: the parts that do not depend on the
  # backend (command lines, tcpserver and tcpclient) run once; ~35 s.
  net_classic_test(classic_example ${NET_LOOP_BACKENDS})
else()
  foreach(backend IN LISTS NET_LOOP_BACKENDS)
    net_classic_test(classic_example:${backend} ${backend})
  endforeach()
endif()
