# Cross toolchain: Windows x86-64 with mingw-w64 on Debian, tests under wine.
#
#   cmake --preset mingw-wine        (CMakePresets.json points here)
#
# Uses the -posix compilers: the default x86_64-w64-mingw32-g++ is the win32
# thread model, which has no std::thread / std::mutex in GCC 12. Executables
# are linked statically (libgcc, libstdc++, winpthread) so that they need only
# system DLLs and run under wine without copying anything.
#
# The dependencies come from scripts/build-windows-deps.sh, in
# build/deps-mingw/ unless NET_MINGW_DEPS_DIR (environment) says otherwise;
# cmake/deps-mingw.cmake adds them to the build.

set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(NET_MINGW_HOST x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${NET_MINGW_HOST}-gcc-posix)
set(CMAKE_CXX_COMPILER ${NET_MINGW_HOST}-g++-posix)
set(CMAKE_RC_COMPILER ${NET_MINGW_HOST}-windres)

if(DEFINED ENV{NET_MINGW_DEPS_DIR})
  set(NET_MINGW_DEPS_DIR "$ENV{NET_MINGW_DEPS_DIR}")
else()
  get_filename_component(NET_MINGW_DEPS_DIR
    "${CMAKE_CURRENT_LIST_DIR}/../build/deps-mingw" ABSOLUTE)
endif()

set(CMAKE_EXE_LINKER_FLAGS_INIT "-static -static-libgcc -static-libstdc++")
# The same for net.dll (BUILD_SHARED_LIBS=ON): it needs only system DLLs too.
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-static -static-libgcc -static-libstdc++")

# Search the target's sysroot and our OpenSSL; host programs from the host.
set(CMAKE_FIND_ROOT_PATH /usr/${NET_MINGW_HOST} "${NET_MINGW_DEPS_DIR}/openssl")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# ctest and doctest discovery run the .exe files through wine, in a prefix
# inside the build tree (see cmake/wine-run.sh).
set(CMAKE_CROSSCOMPILING_EMULATOR
  "${CMAKE_CURRENT_LIST_DIR}/wine-run.sh;--prefix=${CMAKE_BINARY_DIR}/wineprefix")
