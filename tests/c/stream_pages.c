/* The streaming C API, written as C89 (the header must compile as C89 too).
 *
 * usage: stream_pages FILE
 *
 * Renders FILE at 40 DPI twice: with ds_render, keeping the pages, and with
 * ds_render_streaming, getting each page in a callback. The callback must see every page,
 * in order, with the same pixels and PNG; the streamed document must hold the same report
 * and no pages. Then a callback that asks to stop after the first page must end the render
 * with DS_PARTIAL. Exits non-zero on any mismatch.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docsandbox.h"

struct seen {
    const ds_document *kept;
    size_t pages;
    size_t stop_after;
    int failed;
};

static int on_page(void *user_data, const ds_page *page) {
    struct seen *seen = (struct seen *)user_data;
    const uint8_t *rgba, *png, *kept_rgba, *kept_png;
    size_t len, png_len, kept_len, kept_png_len;
    uint32_t width, height, kept_width, kept_height;
    size_t index = seen->pages;

    seen->pages += 1;
    if (ds_page_number(page) != index + 1) {
        fprintf(stderr, "page %lu came as number %u\n", (unsigned long)(index + 1), ds_page_number(page));
        seen->failed = 1;
    }
    if (ds_page_rgba(page, &rgba, &len, &width, &height) != DS_OK || ds_page_png(page, &png, &png_len) != DS_OK) {
        fprintf(stderr, "page %lu: %s\n", (unsigned long)(index + 1), ds_last_error_message());
        seen->failed = 1;
        return 1;
    }
    if (seen->kept != NULL) {
        if (ds_document_page_rgba(seen->kept, index, &kept_rgba, &kept_len, &kept_width, &kept_height) != DS_OK
            || ds_document_page_png(seen->kept, index, &kept_png, &kept_png_len) != DS_OK) {
            fprintf(stderr, "the kept document has no page %lu\n", (unsigned long)(index + 1));
            seen->failed = 1;
            return 1;
        }
        if (width != kept_width || height != kept_height || len != kept_len || memcmp(rgba, kept_rgba, len) != 0
            || png_len != kept_png_len || memcmp(png, kept_png, png_len) != 0) {
            fprintf(stderr, "page %lu differs between ds_render and ds_render_streaming\n", (unsigned long)(index + 1));
            seen->failed = 1;
        }
    }
    return seen->stop_after != 0 && seen->pages >= seen->stop_after;
}

int main(int argc, char **argv) {
    FILE *f;
    long size;
    unsigned char *data;
    size_t len;
    ds_sandbox *sandbox;
    ds_options options;
    ds_document *kept = NULL, *streamed = NULL, *stopped = NULL;
    struct seen seen;
    int status;

    if (argc != 2) {
        fprintf(stderr, "usage: stream_pages FILE\n");
        return 2;
    }
    if (DS_VERSION_MAJOR != 0 || strlen(ds_version()) < 5) {
        fprintf(stderr, "unexpected version %s\n", ds_version());
        return 1;
    }
    f = fopen(argv[1], "rb");
    if (f == NULL) return 2;
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fseek(f, 0, SEEK_SET);
    data = (unsigned char *)malloc(size > 0 ? (size_t)size : 1);
    len = fread(data, 1, (size_t)size, f);
    fclose(f);

    sandbox = ds_sandbox_new(NULL);
    if (sandbox == NULL) {
        fprintf(stderr, "no sandbox: %s\n", ds_last_error_message());
        return 1;
    }
    memset(&options, 0, sizeof options);
    options.struct_size = sizeof options;
    options.dpi = 40;
    if (ds_render(sandbox, data, len, &options, &kept) != DS_OK) {
        fprintf(stderr, "ds_render: %s\n", ds_last_error_message());
        return 1;
    }

    memset(&seen, 0, sizeof seen);
    seen.kept = kept;
    status = ds_render_streaming(sandbox, data, len, &options, on_page, &seen, &streamed);
    if (status != DS_OK || seen.failed || seen.pages != ds_document_page_count(kept)) {
        fprintf(stderr, "streaming: status %d, %lu pages of %lu: %s\n", status, (unsigned long)seen.pages,
                (unsigned long)ds_document_page_count(kept), ds_last_error_message());
        return 1;
    }
    if (ds_document_page_count(streamed) != 0 || strcmp(ds_document_report_json(streamed), ds_document_report_json(kept)) != 0) {
        fprintf(stderr, "the streamed document should hold the same report and no pages\n");
        return 1;
    }

    ds_document_free(streamed);
    streamed = NULL;
    /* A callback that stops after the first page. */
    memset(&seen, 0, sizeof seen);
    seen.stop_after = 1;
    status = ds_render_streaming(sandbox, data, len, &options, on_page, &seen, &stopped);
    if (ds_document_page_count(kept) > 1 && (status != DS_PARTIAL || seen.pages != 1 || stopped == NULL)) {
        fprintf(stderr, "stopping: status %d after %lu pages\n", status, (unsigned long)seen.pages);
        return 1;
    }
    /* Bad calls fail cleanly. */
    if (ds_render_streaming(sandbox, data, len, &options, NULL, NULL, &streamed) != DS_USAGE || streamed != NULL) {
        fprintf(stderr, "a NULL callback must be a usage error\n");
        return 1;
    }
    /* A caller built against the first ds_options, which ended at passwords_from_message:
       the library reads only its bytes (the padding after that field is garbage here,
       and a read past the end shows up under valgrind) and renders with the defaults of
       the fields added since. */
    {
        struct first_options {
            uint32_t struct_size, dpi, first_page, last_page;
            const char *password;
            const char *file_name;
            uint8_t passwords_from_message;
        } *old = (struct first_options *)malloc(sizeof *old);
        ds_document *from_old = NULL;
        memset(old, 0xFF, sizeof *old);
        old->struct_size = sizeof *old;
        old->dpi = 40;
        old->first_page = old->last_page = 0;
        old->password = old->file_name = NULL;
        old->passwords_from_message = 0;
        status = ds_render(sandbox, data, len, (const ds_options *)(void *)old, &from_old);
        if (status != DS_OK || ds_document_page_count(from_old) != ds_document_page_count(kept)) {
            fprintf(stderr, "first-version options: status %d: %s\n", status, ds_last_error_message());
            return 1;
        }
        ds_document_free(from_old);
        free(old);
    }
    options.struct_size = 3;
    if (ds_render(sandbox, data, len, &options, &streamed) != DS_USAGE) {
        fprintf(stderr, "a struct_size smaller than any ds_options must be a usage error\n");
        return 1;
    }

    ds_document_free(kept);
    ds_document_free(stopped);
    ds_sandbox_free(sandbox);
    free(data);
    printf("all checks passed\n");
    return 0;
}
