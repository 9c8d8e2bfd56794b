# net_add_vendored_abseil(<source dir>)
#
# Builds Abseil from a source tree as a subdirectory of this build, with this
# build's compiler and flags, the C++ standard of this project, no tests and
# no install; only what `net` links is compiled. Used by the Windows cross
# build (cmake/deps-mingw.cmake) and by NET_ABSEIL_SOURCE_DIR (the tsan
# preset: Debian's libabsl is not built with ThreadSanitizer, so TSan cannot
# see absl::Mutex and reports every access it guards as a race).
function(net_add_vendored_abseil source_dir)
  if(NOT CMAKE_CXX_STANDARD)
    set(CMAKE_CXX_STANDARD 17)
    set(CMAKE_CXX_STANDARD_REQUIRED ON)
    set(CMAKE_CXX_EXTENSIONS OFF)
  endif()
  set(ABSL_PROPAGATE_CXX_STD ON)
  set(ABSL_BUILD_TESTING OFF)
  set(ABSL_ENABLE_INSTALL OFF)
  # Always static, even in a shared build of net (BUILD_SHARED_LIBS=ON):
  # Abseil's own DLL build is MSVC-only. Position-independent, so that a
  # shared libnet.so can hold it (docs/shipping.md, "Shared and static
  # builds").
  set(BUILD_SHARED_LIBS OFF)
  set(CMAKE_POSITION_INDEPENDENT_CODE ON)
  add_subdirectory("${source_dir}" "${CMAKE_BINARY_DIR}/_deps/abseil"
    EXCLUDE_FROM_ALL SYSTEM)
endfunction()
