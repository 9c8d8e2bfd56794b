# Dependencies of the Windows cross build (mingw-w64, tests under wine).
#
# Included by the top-level CMakeLists.txt when cross-compiling for Windows,
# before its find_package() block, which then finds the targets made here:
#
#   absl::*          Debian's Abseil sources (patched by dpkg-source), built as
#                    a subdirectory: only what `net` links is compiled.
#   OpenSSL::*       OpenSSL 3.0 built for mingw64, static, found by
#                    FindOpenSSL through the toolchain's find root path.
#   doctest          the single header of doctest-dev (not doctest::doctest,
#                    whose include directory is the host's /usr/include) and
#                    its doctest.cmake for test discovery through the emulator.
#
# scripts/build-windows-deps.sh fetches and builds them into
# NET_MINGW_DEPS_DIR (set by cmake/toolchain-mingw-w64.cmake).

if(NOT NET_MINGW_DEPS_DIR)
  set(NET_MINGW_DEPS_DIR "${CMAKE_CURRENT_LIST_DIR}/../build/deps-mingw")
endif()
if(NOT EXISTS "${NET_MINGW_DEPS_DIR}/abseil/.net-ready" OR
   NOT EXISTS "${NET_MINGW_DEPS_DIR}/openssl/.net-ready")
  message(FATAL_ERROR
    "The Windows dependencies are not in ${NET_MINGW_DEPS_DIR}: "
    "run scripts/build-windows-deps.sh first.")
endif()

# Targets come from this build, not from an installed package: no install
# rules for net either (they would have to export Abseil too).
set(NET_VENDORED_DEPS ON)

include(${CMAKE_CURRENT_LIST_DIR}/vendored-abseil.cmake)
if(NOT TARGET absl::status)
  net_add_vendored_abseil("${NET_MINGW_DEPS_DIR}/abseil")
endif()

# OpenSSL: the static libraries (FindOpenSSL then adds ws2_32 and crypt32).
set(OPENSSL_USE_STATIC_LIBS TRUE)
set(OPENSSL_ROOT_DIR "${NET_MINGW_DEPS_DIR}/openssl")

# doctest: the header is copied into the build tree so that the include
# directory holds nothing else of the host.
find_file(NET_DOCTEST_HEADER doctest/doctest.h
  PATHS /usr/include /usr/local/include NO_DEFAULT_PATH NO_CMAKE_FIND_ROOT_PATH)
find_file(NET_DOCTEST_CMAKE_MODULE doctest.cmake
  PATHS /usr/lib/cmake/doctest /usr/share/doctest/cmake
        /usr/local/lib/cmake/doctest
  NO_DEFAULT_PATH NO_CMAKE_FIND_ROOT_PATH)
if(NOT NET_DOCTEST_HEADER OR NOT NET_DOCTEST_CMAKE_MODULE)
  message(FATAL_ERROR "doctest not found: apt-get install doctest-dev")
endif()
set(NET_DOCTEST_INCLUDE_DIR "${CMAKE_BINARY_DIR}/_deps/doctest/include")
configure_file("${NET_DOCTEST_HEADER}"
  "${NET_DOCTEST_INCLUDE_DIR}/doctest/doctest.h" COPYONLY)

# The ctest fixture of tests/CMakeLists.txt: one persistent wineserver for the
# whole test run, started first and stopped last (see cmake/wine-run.sh).
if(CMAKE_CROSSCOMPILING_EMULATOR MATCHES "wine-run.sh")
  set(NET_EMULATOR_FIXTURE_START ${CMAKE_CROSSCOMPILING_EMULATOR} --server-start)
  set(NET_EMULATOR_FIXTURE_STOP ${CMAKE_CROSSCOMPILING_EMULATOR} --server-stop)
endif()
