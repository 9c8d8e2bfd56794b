# net_extract_doc_blocks(<markdown> <out_dir> <fragments_var> <programs_var>)
#
# Extracts the ```cpp blocks of a markdown guide (docs/getting-started.md)
# at configure time, so that the guide is compiled as code:
#
#   * a block with no marker is a fragment: the fragments, in the guide's
#     order, make <out_dir>/fragments.inc (namespace-scope code: includes,
#     functions, classes), which a test driver #includes and calls;
#   * a block right after `<!-- doc-test: program NAME -->` (the line
#     before its fence) is a whole program: <out_dir>/NAME.cc is the
#     fragments before it followed by the block (so its main() can use
#     what the guide defined above it). `<!-- doc-test: program NAME run -->`
#     also runs it as a test that must exit 0.
#
# Each block is preceded by a `#line` directive naming the guide, so a
# compiler error points at the guide's line. Files are rewritten only when
# their text changes (no needless rebuild); the guide is a configure
# dependency (an edit reconfigures). <programs_var> gets a list of
# "NAME|run" or "NAME|build" items.

function(net_extract_doc_blocks markdown out_dir fragments_var programs_var)
  file(READ "${markdown}" text)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${markdown}")
  file(MAKE_DIRECTORY "${out_dir}")
  set(fence_open "```cpp\n")
  set(fence_close "\n```")
  set(fragments "")
  set(programs "")
  set(rest "${text}")
  set(offset 0)  # of `rest` in `text`
  while(TRUE)
    string(FIND "${rest}" "${fence_open}" open)
    if(open EQUAL -1)
      break()
    endif()
    # The fence must start a line.
    math(EXPR before_fence "${open} - 1")
    if(open GREATER 0)
      string(SUBSTRING "${rest}" ${before_fence} 1 prev_char)
      if(NOT prev_char STREQUAL "\n")
        math(EXPR skip "${open} + 1")
        string(SUBSTRING "${rest}" ${skip} -1 rest)
        math(EXPR offset "${offset} + ${skip}")
        continue()
      endif()
    endif()
    # The line before the fence: a marker or not.
    string(SUBSTRING "${rest}" 0 ${open} head)
    string(REGEX MATCH "<!-- doc-test: program ([A-Za-z0-9_]+)( run)? -->\n$"
      marker "${head}")
    set(program "")
    set(run "build")
    if(marker)
      set(program "${CMAKE_MATCH_1}")
      if(CMAKE_MATCH_2)
        set(run "run")
      endif()
    endif()
    # The guide's line number of the block's first line.
    math(EXPR body_start "${open} + 7")
    math(EXPR abs_start "${offset} + ${body_start}")
    string(SUBSTRING "${text}" 0 ${abs_start} upto)
    string(REGEX MATCHALL "\n" newlines "${upto}")
    list(LENGTH newlines line)
    math(EXPR line "${line} + 1")
    # The block's body, up to the closing fence.
    string(SUBSTRING "${rest}" ${body_start} -1 rest)
    math(EXPR offset "${offset} + ${body_start}")
    string(FIND "${rest}" "${fence_close}" close)
    if(close EQUAL -1)
      message(FATAL_ERROR "${markdown}:${line}: a ```cpp block is not closed")
    endif()
    string(SUBSTRING "${rest}" 0 ${close} body)
    math(EXPR after "${close} + 4")
    string(SUBSTRING "${rest}" ${after} -1 rest)
    math(EXPR offset "${offset} + ${after}")
    set(block "#line ${line} \"${markdown}\"\n${body}\n")
    if(program)
      _net_write_if_changed("${out_dir}/${program}.cc"
        "// Generated from ${markdown} (do not edit).\n${fragments}${block}")
      list(APPEND programs "${program}|${run}")
    else()
      string(APPEND fragments "${block}")
    endif()
  endwhile()
  _net_write_if_changed("${out_dir}/fragments.inc"
    "// Generated from ${markdown} (do not edit).\n${fragments}")
  set(${fragments_var} "${out_dir}/fragments.inc" PARENT_SCOPE)
  set(${programs_var} "${programs}" PARENT_SCOPE)
endfunction()

function(_net_write_if_changed path content)
  if(EXISTS "${path}")
    file(READ "${path}" old)
    if(old STREQUAL content)
      return()
    endif()
  endif()
  file(WRITE "${path}" "${content}")
endfunction()
