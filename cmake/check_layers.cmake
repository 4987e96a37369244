# The include rule of DESIGN.md as a check (ctest's `layers`, so `make test` and CI run
# it): a file may include headers of its own layer and of the layers below it, never of a
# layer above or of the other service. borger.dk reads case data only over HTTP, so it
# may not include KOMBIT's store, and KOMBIT may not include borger.dk's.
#
#   cmake -DROOT=<source dir> -P cmake/check_layers.cmake
#
# Prints every offending line as file:line: include, and fails when there is one.
cmake_policy(SET CMP0057 NEW)
if(NOT ROOT)
  message(FATAL_ERROR "give -DROOT=<source dir>")
endif()

# folder -> the top-level include folders it may use
set(ALLOW_core "core")
set(ALLOW_store "core;store")
set(ALLOW_net "core;net")
set(ALLOW_web "core;net;web")
set(ALLOW_report "core;report")
set(ALLOW_kombit "core;net;store;kombit")
set(ALLOW_borger "core;net;store;web;borger")
set(ALLOW_sim "core;net;store;sim")
set(ALLOW_cli "core;net;store;web;report;sim;kombit;borger;cli")
# headers a folder may not include although their folder is allowed
set(DENY_borger "store/kombit_store.h")
set(DENY_kombit "store/borger_store.h")
set(DENY_sim "store/borger_store.h")  # the simulation meets borger.dk over HTTP only

set(offences 0)
foreach(layer core store net web report kombit borger sim cli)
  if(layer STREQUAL "sim")
    set(dir "${ROOT}/sim")
  else()
    set(dir "${ROOT}/src/${layer}")
  endif()
  file(GLOB_RECURSE files "${dir}/*.h" "${dir}/*.cc")
  foreach(f IN LISTS files)
    file(STRINGS "${f}" lines REGEX "^[ \t]*#[ \t]*include[ \t]*\"")
    file(RELATIVE_PATH rel "${ROOT}" "${f}")
    foreach(line IN LISTS lines)
      string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]*\"([^\"]*)\".*$" "\\1" header "${line}")
      string(REGEX MATCH "^[^/]+" top "${header}")
      if(NOT header MATCHES "/")
        set(top "")  # a header beside the file (generated, or the same folder)
      endif()
      set(bad "")
      if(top AND NOT top IN_LIST ALLOW_${layer})
        set(bad "${layer} may not include ${top}/")
      elseif(header IN_LIST DENY_${layer})
        set(bad "${layer} may not include ${header}")
      endif()
      if(bad)
        message(STATUS "${rel}: #include \"${header}\": ${bad}")
        math(EXPR offences "${offences} + 1")
      endif()
    endforeach()
  endforeach()
endforeach()

if(offences GREATER 0)
  message(FATAL_ERROR "${offences} include(s) break the layers (docs/architecture.md)")
endif()
message(STATUS "layers: every include points down or sideways")
