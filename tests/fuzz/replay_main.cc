// Copyright 2026 The net Authors.
//
// -----------------------------------------------------------------------------
// File: tests/fuzz/replay_main.cc
// -----------------------------------------------------------------------------
//
// The main() of a fuzz target in a normal build (no libFuzzer): runs every
// file named on the command line, and every regular file in every directory
// named there (sorted by name, not recursive), once through
// LLVMFuzzerTestOneInput. ctest runs each target on its checked-in corpus
// (tests/fuzz/corpus/<target>/, label fuzz-replay), so every build, gcc and
// sanitizers included, replays what the fuzzers found. An oracle failure
// aborts (the test fails, naming the input file just before); a directory
// that holds no file fails too, so a lost corpus is noticed.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size);

namespace {

bool ReadFile(const std::string& path, std::vector<char>* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out->assign(std::istreambuf_iterator<char>(in),
              std::istreambuf_iterator<char>());
  return !in.bad();
}

}  // namespace

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s <corpus dir or file>...\n", argv[0]);
    return 2;
  }
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::error_code ec;
    if (fs::is_directory(argv[i], ec)) {
      std::vector<std::string> in_dir;
      for (const fs::directory_entry& e : fs::directory_iterator(argv[i], ec)) {
        if (e.is_regular_file()) in_dir.push_back(e.path().string());
      }
      if (ec || in_dir.empty()) {
        std::fprintf(stderr, "replay: no input files in %s\n", argv[i]);
        return 1;
      }
      std::sort(in_dir.begin(), in_dir.end());
      files.insert(files.end(), in_dir.begin(), in_dir.end());
    } else {
      files.push_back(argv[i]);
    }
  }
  std::size_t bytes = 0;
  for (const std::string& path : files) {
    std::vector<char> data;
    if (!ReadFile(path, &data)) {
      std::fprintf(stderr, "replay: cannot read %s\n", path.c_str());
      return 1;
    }
    // Named first: an oracle failure aborts, and this is what failed.
    std::fprintf(stderr, "replay: %s (%zu bytes)\n", path.c_str(), data.size());
    // A copy of exactly `size` bytes, so ASan sees a read past the end.
    std::vector<std::uint8_t> exact(data.begin(), data.end());
    LLVMFuzzerTestOneInput(exact.empty() ? nullptr : exact.data(),
                           exact.size());
    bytes += data.size();
  }
  std::printf("replay: %zu inputs (%zu bytes) ran without a finding\n",
              files.size(), bytes);
  return 0;
}
