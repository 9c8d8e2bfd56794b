# The consumer program and its checks, shared by the two consumer projects
# (find_package/ and add_subdirectory/): include() this once net::net
# exists, with NET_CONSUMER_HOW set to the way net was taken; the program
# prints it, and ci/check-consumers.sh checks what it printed.

add_executable(consumer ${CMAKE_CURRENT_LIST_DIR}/main.cc)
target_link_libraries(consumer PRIVATE net::net)
target_compile_definitions(consumer PRIVATE
  NET_CONSUMER_HOW="${NET_CONSUMER_HOW}")

# Compile-only: <net/net.h> brings in no OS socket header and no windows.h
# macros.
add_library(consumer_header_hygiene OBJECT
  ${CMAKE_CURRENT_LIST_DIR}/header_hygiene.cc)
target_link_libraries(consumer_header_hygiene PRIVATE net::net)
add_dependencies(consumer consumer_header_hygiene)

# The public headers must compile cleanly under a user's strict warnings.
if(NOT MSVC)
  set(strict -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Werror)
else()
  set(strict /W4 /WX /permissive-)
endif()
target_compile_options(consumer PRIVATE ${strict})
target_compile_options(consumer_header_hygiene PRIVATE ${strict})
