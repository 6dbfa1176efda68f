# CMake toolchain file: riscv64 Linux with Debian's cross toolchain
# (gcc-riscv64-linux-gnu); ctest runs every test program through
# CMAKE_CROSSCOMPILING_EMULATOR, Ferry, with the guest's sysroot for its
# ld.so and libraries.
#   cmake -S . -B build -DCMAKE_TOOLCHAIN_FILE=toolchain-riscv64.cmake \
#         [-DFERRY=/path/to/ferry] [-DCROSS_SYSROOT=/usr/riscv64-linux-gnu]
#   cmake --build build && cd build && ctest --output-on-failure
# Ferry is -DFERRY=..., else $FERRY from the environment, else 'ferry'
# found on PATH.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR riscv64)
set(CROSS_TRIPLET riscv64-linux-gnu)
include(${CMAKE_CURRENT_LIST_DIR}/toolchain-common.cmake)
