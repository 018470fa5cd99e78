# protobuf, gRPC and abseil are linked from their static archives (Debian ships them beside the
# shared libraries). The CLI and the shim run once per container start, and with the ~55 shared
# libraries gRPC pulls in, `cradle --help` spent about 6 ms of every run in the dynamic loader's
# symbol lookups (perf: over half its time in ld.so), more than a whole container start takes.
# Every binary uses the same archives: a process holding both the archive's and the shared
# library's protobuf would register its descriptors twice.
#
# cradle_protobuf: protobuf alone (the shim). cradle_grpc: gRPC C++ with everything it needs.
pkg_check_modules(CRADLE_GRPC_PC REQUIRED grpc++ protobuf)

# The archive of each library pkg-config lists for a static link, as one link group (abseil's
# archives refer to each other in cycles). The system's own libraries stay shared, OpenSSL too:
# cradled also uses libcrypto itself, and one process should hold one copy of it.
# `except` names libraries to leave out (another group has them: CMake refuses a library in two).
function(cradle_archive_group out_var except)
  set(archives)
  foreach(name IN LISTS ARGN)
    if(name MATCHES "^(dl|pthread|rt|m|c|atomic|ssl|crypto)$" OR name IN_LIST except)
      continue()
    endif()
    string(MAKE_C_IDENTIFIER "CRADLE_ARCHIVE_${name}" cache_var)
    find_library(${cache_var} NAMES lib${name}.a REQUIRED)
    list(APPEND archives ${${cache_var}})
  endforeach()
  list(REMOVE_DUPLICATES archives)
  list(JOIN archives "," joined)
  set(${out_var} "$<LINK_GROUP:RESCAN,${joined}>" PARENT_SCOPE)
endfunction()

cradle_archive_group(protobuf_group "" protobuf z)
add_library(cradle_protobuf INTERFACE)
target_include_directories(cradle_protobuf SYSTEM INTERFACE ${Protobuf_INCLUDE_DIRS})
target_link_libraries(cradle_protobuf INTERFACE ${protobuf_group} Threads::Threads)

cradle_archive_group(grpc_group "protobuf;z" ${CRADLE_GRPC_PC_STATIC_LIBRARIES})
add_library(cradle_grpc INTERFACE)
target_include_directories(cradle_grpc SYSTEM INTERFACE ${CRADLE_GRPC_PC_INCLUDE_DIRS})
target_link_libraries(cradle_grpc INTERFACE ${grpc_group} cradle_protobuf ssl crypto
                      ${CMAKE_DL_LIBS} rt atomic)
