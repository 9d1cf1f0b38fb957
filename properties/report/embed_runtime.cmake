# cmake -DINPUT=ksim_repro.c -DOUTPUT=ReproducerRuntime.cpp -P embed_runtime.cmake
# Writes properties::reproducerRuntime(), the text of the reproducers'
# runtime, for `ksim repro --standalone`: the file, byte for byte, as a
# C++ raw string.
file(READ "${INPUT}" text)
set(delimiter "KSIM_RUNTIME")  # a raw string delimiter has at most 16 characters
string(FIND "${text}" ")${delimiter}\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains )${delimiter}\", the raw string's end")
endif()
file(WRITE "${OUTPUT}.tmp"
  "// Generated from ${INPUT} by embed_runtime.cmake: do not edit.\n"
  "#include \"report/Reproducer.hpp\"\n\n"
  "namespace properties {\n\n"
  "std::string_view reproducerRuntime() {\n"
  "  static constexpr char kText[] = R\"${delimiter}(${text})${delimiter}\";\n"
  "  return {kText, sizeof(kText) - 1};\n"
  "}\n\n"
  "}  // namespace properties\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
