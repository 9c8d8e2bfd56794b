# Run by ctest (tests/CMakeLists.txt, test net_probe_version):
#   cmake -DPROBE=<net-probe> -DVERSION=<project version> -P version_check.cmake
# `net-probe --version` must exit 0 and print "net-probe <VERSION>" on its
# first line.
execute_process(COMMAND "${PROBE}" --version
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "net-probe --version exited with '${rc}': ${err}")
endif()
string(REGEX MATCH "^[^\n]*" first "${out}")
if(NOT first STREQUAL "net-probe ${VERSION}")
  message(FATAL_ERROR
    "net-probe --version: first line '${first}', expected 'net-probe ${VERSION}'")
endif()
message(STATUS "${first}")
