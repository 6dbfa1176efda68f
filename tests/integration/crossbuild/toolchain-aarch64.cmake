# CMake toolchain file: aarch64 Linux with Debian's cross toolchain
# (gcc-aarch64-linux-gnu); ctest runs every test program through
# CMAKE_CROSSCOMPILING_EMULATOR, Ferry, with the guest's sysroot for its
# ld.so and libraries.
#   cmake -S . -B build -DCMAKE_TOOLCHAIN_FILE=toolchain-aarch64.cmake \
#         [-DFERRY=/path/to/ferry] [-DCROSS_SYSROOT=/usr/aarch64-linux-gnu]
#   cmake --build build && cd build && ctest --output-on-failure
# Ferry is -DFERRY=..., else $FERRY from the environment, else 'ferry'
# found on PATH.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CROSS_TRIPLET aarch64-linux-gnu)
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
