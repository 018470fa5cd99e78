# cradle's own daemon API (proto/cradle/v1/*.proto): protobuf messages and gRPC services, built
# into cradle_api_grpc. Consumers include "cradle/v1/tasks.grpc.pb.h" and the like.
find_package(gRPC CONFIG REQUIRED)  # libgrpc++-dev, protobuf-compiler-grpc
find_program(CRADLE_GRPC_CPP_PLUGIN grpc_cpp_plugin REQUIRED)

set(daemon_protos cradle/v1/containers.proto cradle/v1/tasks.proto cradle/v1/images.proto
                  cradle/v1/system.proto)
set(daemon_gen_dir ${CMAKE_CURRENT_BINARY_DIR}/daemon_gen)
set(daemon_sources)
set(daemon_inputs)
foreach(proto IN LISTS daemon_protos)
  string(REGEX REPLACE "\\.proto$" "" stem ${proto})
  list(APPEND daemon_sources ${daemon_gen_dir}/${stem}.pb.cc ${daemon_gen_dir}/${stem}.pb.h
       ${daemon_gen_dir}/${stem}.grpc.pb.cc ${daemon_gen_dir}/${stem}.grpc.pb.h)
  list(APPEND daemon_inputs ${CMAKE_CURRENT_SOURCE_DIR}/proto/${proto})
endforeach()
add_custom_command(
  OUTPUT ${daemon_sources}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${daemon_gen_dir}
  COMMAND protobuf::protoc -I ${CRADLE_WKT_PROTO_ROOT} -I ${CMAKE_CURRENT_SOURCE_DIR}/proto
          --cpp_out=${daemon_gen_dir} --grpc_out=${daemon_gen_dir}
          --plugin=protoc-gen-grpc=${CRADLE_GRPC_CPP_PLUGIN} ${daemon_protos}
  DEPENDS ${daemon_inputs} protobuf::protoc
  COMMENT "Generating C++ and gRPC code of cradle's daemon API"
  VERBATIM)
add_library(cradle_api_grpc STATIC ${daemon_sources})
target_include_directories(cradle_api_grpc SYSTEM PUBLIC ${daemon_gen_dir})
target_link_libraries(cradle_api_grpc PUBLIC cradle_grpc)

# The daemon's side of the API: gRPC services over core, the shim client over ttrpc, and the
# events endpoint shims forward to.
file(GLOB daemon_api_sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/daemon/*.cc
     ${CMAKE_CURRENT_SOURCE_DIR}/shim_client/*.cc)
add_library(cradle_daemon_api STATIC ${daemon_api_sources})
target_include_directories(cradle_daemon_api PUBLIC ${CMAKE_SOURCE_DIR}/src)
target_link_libraries(cradle_daemon_api PUBLIC cradle_shim cradle_api cradle_api_grpc)
target_compile_definitions(cradle_daemon_api PRIVATE CRADLE_VERSION="${PROJECT_VERSION}")
