// C++ example: render a document through the C ABI with RAII handles and write page 1 as
// PNG. Build:
//   c++ -std=c++17 -I crates/docsandbox-ffi/include tests/c/example.cpp
//       -L target/release -ldocsandbox_ffi -Wl,-rpath,$PWD/target/release -o example
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <vector>

#include "docsandbox.h"

struct SandboxFree { void operator()(ds_sandbox *s) const { ds_sandbox_free(s); } };
struct DocumentFree { void operator()(ds_document *d) const { ds_document_free(d); } };
using Sandbox = std::unique_ptr<ds_sandbox, SandboxFree>;
using Document = std::unique_ptr<ds_document, DocumentFree>;

int main(int argc, char **argv) {
    if (argc != 3) {
        std::cerr << "usage: example DOCUMENT OUT.png\n";
        return 2;
    }
    std::ifstream in(argv[1], std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());

    Sandbox sandbox(ds_sandbox_new(nullptr));  // default limits
    if (!sandbox) {
        std::cerr << "sandbox: " << ds_last_error_message() << "\n";
        return 70;
    }
    ds_options options{};  // zero means defaults
    options.dpi = 72;
    ds_document *raw = nullptr;
    int status = ds_render(sandbox.get(), bytes.data(), bytes.size(), &options, &raw);
    Document document(raw);
    if (status != DS_OK && status != DS_PARTIAL) {
        std::cerr << "render failed (" << status << "): " << ds_last_error_message() << "\n";
        return status;
    }
    const uint8_t *png = nullptr;
    size_t len = 0;
    if (ds_document_page_png(document.get(), 0, &png, &len) != DS_OK) {
        std::cerr << "no first page: " << ds_last_error_message() << "\n";
        return 1;
    }
    std::ofstream(argv[2], std::ios::binary).write(reinterpret_cast<const char *>(png), static_cast<std::streamsize>(len));
    std::cout << ds_document_page_count(document.get()) << " pages; report: " << ds_document_report_json(document.get()) << "\n";
    return 0;
}
