# The part of the toolchain files every guest shares: included by
# toolchain-aarch64.cmake and toolchain-riscv64.cmake after they set
# CMAKE_SYSTEM_PROCESSOR and CROSS_TRIPLET.
set(CROSS_SYSROOT /usr/${CROSS_TRIPLET} CACHE PATH "the guest's sysroot")

if(NOT CMAKE_C_COMPILER)
  set(CMAKE_C_COMPILER ${CROSS_TRIPLET}-gcc)
endif()
if(NOT CMAKE_CXX_COMPILER)
  set(CMAKE_CXX_COMPILER ${CROSS_TRIPLET}-g++)
endif()

# Headers, libraries and packages from the sysroot; programs (ferry,
# code generators) from the build machine.
set(CMAKE_FIND_ROOT_PATH ${CROSS_SYSROOT})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

if(NOT FERRY AND DEFINED ENV{FERRY})
  set(FERRY "$ENV{FERRY}" CACHE FILEPATH "the ferry that runs guest programs")
endif()
find_program(FERRY NAMES ferry DOC "the ferry that runs guest programs")
set(CMAKE_CROSSCOMPILING_EMULATOR "${FERRY};-L;${CROSS_SYSROOT}")
