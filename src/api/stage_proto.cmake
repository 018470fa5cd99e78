# Copies one .proto into the build tree with `import weak` turned into a plain `import`:
# protoc's C++ generator aborts on weak imports outside Google's own build (a CHECK on
# opensource_runtime), and a weak import changes nothing on the wire.
# Usage: cmake -DIN=<source .proto> -DOUT=<staged .proto> -P stage_proto.cmake
file(READ ${IN} text)
string(REGEX REPLACE "import[ \t]+weak[ \t]+" "import " text "${text}")
file(WRITE ${OUT} "${text}")
