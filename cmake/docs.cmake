# The API reference (docs/shipping.md, "API reference"): a `docs` target
# when doxygen, python3 and bash are found (NET_BUILD_DOCS, default ON for
# the top-level project; the target is never part of `all`). It runs
# scripts/build-docs.sh into <builddir>/docs/html, with Doxygen's warnings
# as errors (docs/Doxyfile.in).
option(NET_BUILD_DOCS "Add the `docs` target (API reference, needs doxygen)"
  ${PROJECT_IS_TOP_LEVEL})
if(NET_BUILD_DOCS)
  find_program(NET_DOXYGEN doxygen)
  find_program(NET_BASH bash)
  find_program(NET_PYTHON3 python3)
  if(NET_DOXYGEN AND NET_BASH AND NET_PYTHON3)
    add_custom_target(docs
      COMMAND ${NET_BASH} ${PROJECT_SOURCE_DIR}/scripts/build-docs.sh
              ${PROJECT_BINARY_DIR}/docs
      WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
      COMMENT "API reference: ${PROJECT_BINARY_DIR}/docs/html"
      VERBATIM)
  else()
    message(STATUS "net: no `docs` target (doxygen, bash or python3 not "
                   "found; bash scripts/setup-debian.sh --docs)")
  endif()
endif()
