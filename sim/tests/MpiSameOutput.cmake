# Runs ksim_sim_mpi_probe under mpirun with 1, 2 and 3 ranks: the outputs must be identical and
# every result the same as explore()'s, also with every message sent in small pieces. Then a rank that throws must end the job, naming itself.
# -DPROBE=... -DMPIEXEC=...
set(outputs "")
foreach(ranks 1 2 3)
  execute_process(COMMAND "${MPIEXEC}" --oversubscribe -n ${ranks} "${PROBE}"
    RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE errors)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "mpirun -n ${ranks} failed (${status}):\n${errors}")
  endif()
  if(output MATCHES "DIFFERS" OR NOT output MATCHES "same as explore")
    message(FATAL_ERROR "with ${ranks} ranks, a result differs from explore()'s:\n${output}")
  endif()
  set(output_${ranks} "${output}")
endforeach()
foreach(ranks 2 3)
  if(NOT output_${ranks} STREQUAL output_1)
    message(FATAL_ERROR "mpirun -n ${ranks} printed:\n${output_${ranks}}\nbut -n 1 printed:\n${output_1}")
  endif()
endforeach()
message(STATUS "1, 2 and 3 ranks printed the same results")

# Every collective cut into rounds of 7 bytes per buffer (as one of 2 GiB or more is cut).
execute_process(COMMAND "${MPIEXEC}" --oversubscribe -n 3 "${PROBE}" pieces
  RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE errors)
if(NOT status EQUAL 0 OR NOT output STREQUAL output_1)
  message(FATAL_ERROR "with messages sent in pieces, mpirun -n 3 failed (${status}) or printed:\n${output}\n${errors}")
endif()

execute_process(COMMAND "${MPIEXEC}" --oversubscribe -n 2 "${PROBE}" fail
  RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE errors TIMEOUT 60)
if(status EQUAL 0 OR NOT errors MATCHES "rank 1 failed: this rank cannot expand")
  message(FATAL_ERROR "a failing rank did not end the job as expected (${status}):\n${output}\n${errors}")
endif()
