# examples/server_echo end to end (tests/examples/server_example_test.sh),
# driven by echo_client; included by tests/CMakeLists.txt.
#
#   POSIX:  natively (RUNNER ""), with signals, a privileged port and TLS.
#   mingw:  the Windows programs under the build's emulator (wine), with the
#           persistent wineserver of the net_emulator fixture; the parts
#           wine cannot do (signals to a Windows program) say so and are
#           left out.

if(NOT (TARGET server_echo AND TARGET echo_client))
  return()
endif()
if(WIN32)
  if(NOT (CMAKE_CROSSCOMPILING AND CMAKE_CROSSCOMPILING_EMULATOR))
    return()  # a native Windows build has no bash for the script
  endif()
  list(JOIN CMAKE_CROSSCOMPILING_EMULATOR " " net_server_example_runner)
else()
  set(net_server_example_runner "")
endif()
add_test(NAME server_example
  COMMAND ${CMAKE_CURRENT_LIST_DIR}/server_example_test.sh
          "${net_server_example_runner}"
          $<TARGET_FILE:server_echo> $<TARGET_FILE:echo_client>)
set_tests_properties(server_example PROPERTIES
  TIMEOUT 120
  SKIP_REGULAR_EXPRESSION "\\[net-skip\\]"
  ${NET_TEST_FIXTURE}
  LABELS examples)
