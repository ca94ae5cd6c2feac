#pragma once
// Whole text files, read and written the one way the project does it: a
// written file is replaced atomically, so a reader (or a killed run) sees the
// old file or the new one, never half of it.
#include <string>

namespace rnnlab {

// The file's bytes as they are; empty if it cannot be read.
std::string read_text(const std::string& path);

// Writes `text` to "<path>.tmp-<pid>" and renames it over `path`. On failure
// the temporary is removed and an Error names `path` and the reason.
void write_text_atomically(const std::string& path, const std::string& text);

}  // namespace rnnlab
