/* Renders documents through the C ABI and checks what comes back.
 *
 * usage: render_documents [--threads N] FILE:STATUS:PAGES[:PASSWORD]...
 *
 * For each argument the file is rendered at 50 DPI and the status code and page count must
 * be the ones given; every page must come back as a PNG and as RGBA of the right size, the
 * report must be JSON, and a safe PDF must be produced. Then bad calls (NULL pointers, an
 * out-of-range page) must fail cleanly, and with --threads the same renders run again
 * from N threads sharing one sandbox. Everything is freed; exits non-zero on any mismatch.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docsandbox.h"

struct job {
    const char *path;
    int status;
    size_t pages;
    const char *password;
    unsigned char *data;
    size_t len;
};

static ds_sandbox *sandbox;
static struct job jobs[64];
static int job_count;

#define CHECK(cond, ...)                                   \
    do {                                                   \
        if (!(cond)) {                                     \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
            fprintf(stderr, __VA_ARGS__);                  \
            fprintf(stderr, "\n");                         \
            return 1;                                      \
        }                                                  \
    } while (0)

static unsigned char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *data = malloc(size > 0 ? (size_t)size : 1);
    *len = fread(data, 1, (size_t)size, f);
    fclose(f);
    return data;
}

static int render_one(const struct job *job, int verbose) {
    ds_options options;
    memset(&options, 0, sizeof options);
    options.dpi = 50;
    options.password = job->password;
    ds_document *doc = NULL;
    int status = ds_render(sandbox, job->data, job->len, &options, &doc);
    CHECK(status == job->status, "%s: status %d, expected %d (%s)", job->path, status, job->status, ds_last_error_message());
    if (status != DS_OK && status != DS_PARTIAL) {
        CHECK(doc == NULL, "%s: a document despite status %d", job->path, status);
        CHECK(strlen(ds_last_error_message()) > 0, "%s: no error message", job->path);
        if (verbose) printf("%s: status %d: %s\n", job->path, status, ds_last_error_message());
        return 0;
    }
    size_t pages = ds_document_page_count(doc);
    CHECK(pages == job->pages, "%s: %zu pages, expected %zu", job->path, pages, job->pages);
    for (size_t i = 0; i < pages; i++) {
        const uint8_t *png = NULL, *rgba = NULL;
        size_t png_len = 0, rgba_len = 0;
        uint32_t width = 0, height = 0;
        CHECK(ds_document_page_png(doc, i, &png, &png_len) == DS_OK, "%s: page %zu PNG", job->path, i);
        CHECK(png_len > 8 && memcmp(png, "\x89PNG\r\n\x1a\n", 8) == 0, "%s: page %zu is not a PNG", job->path, i);
        CHECK(ds_document_page_rgba(doc, i, &rgba, &rgba_len, &width, &height) == DS_OK, "%s: page %zu RGBA", job->path, i);
        CHECK(width > 0 && height > 0 && rgba_len == (size_t)width * height * 4, "%s: page %zu is %ux%u with %zu bytes", job->path, i, width, height, rgba_len);
    }
    const uint8_t *out = NULL;
    size_t out_len = 0;
    CHECK(ds_document_page_png(doc, pages, &out, &out_len) == DS_USAGE, "%s: page %zu should be out of range", job->path, pages);
    const char *report = ds_document_report_json(doc);
    CHECK(report && report[0] == '{', "%s: report is not JSON", job->path);
    CHECK(ds_document_pdf(doc, &out, &out_len) == DS_OK && out_len > 8 && memcmp(out, "%PDF-", 5) == 0, "%s: no safe PDF", job->path);
    if (verbose) printf("%s: status %d, %zu pages, report %zu bytes, safe PDF %zu bytes\n", job->path, status, pages, strlen(report), out_len);
    ds_document_free(doc);
    return 0;
}

static void *render_all(void *arg) {
    (void)arg;
    for (int i = 0; i < job_count; i++) {
        if (render_one(&jobs[i], 0) != 0) return (void *)1;
    }
    return NULL;
}

static int bad_calls(void) {
    ds_document *doc = (ds_document *)0x1;
    CHECK(ds_render(NULL, (const uint8_t *)"x", 1, NULL, &doc) == DS_USAGE && doc == NULL, "NULL sandbox");
    CHECK(ds_render(sandbox, NULL, 5, NULL, &doc) == DS_USAGE, "NULL data");
    CHECK(ds_render(sandbox, (const uint8_t *)"x", 1, NULL, NULL) == DS_USAGE, "NULL out");
    CHECK(ds_render(sandbox, (const uint8_t *)"\x00\xff\x13\x37\x00\x00\xde\xad", 8, NULL, &doc) == DS_UNSUPPORTED && doc == NULL, "binary junk is not a document");
    CHECK(ds_document_page_count(NULL) == 0, "page count of NULL");
    CHECK(ds_document_report_json(NULL) == NULL, "report of NULL");
    const uint8_t *data;
    size_t len;
    CHECK(ds_document_page_png(NULL, 0, &data, &len) == DS_USAGE, "PNG of NULL");
    CHECK(ds_document_pdf(NULL, &data, &len) == DS_USAGE, "PDF of NULL");
    ds_document_free(NULL);
    ds_sandbox_free(NULL);
    // Absurd limits are refused up front with a message, never reached mid-render.
    ds_limits absurd;
    memset(&absurd, 0, sizeof absurd);
    absurd.max_page_pixels = UINT64_MAX;
    CHECK(ds_sandbox_new(&absurd) == NULL && strstr(ds_last_error_message(), "max_page_pixels"), "max_page_pixels = UINT64_MAX: %s", ds_last_error_message());
    memset(&absurd, 0, sizeof absurd);
    absurd.max_input_bytes = (uint64_t)5 << 30;
    CHECK(ds_sandbox_new(&absurd) == NULL && strstr(ds_last_error_message(), "max_input_bytes"), "max_input_bytes = 5 GiB: %s", ds_last_error_message());
    return 0;
}

/* The finding kinds a report can name, as the library lists them: every name present,
 * "vba-macros" a warning and "uri" not, nothing past the end. */
static int finding_kinds(void) {
    size_t count = ds_finding_kind_count();
    int macros = -1, uri = -1;
    CHECK(count > 40, "only %zu finding kinds", count);
    for (size_t i = 0; i < count; i++) {
        const char *name = ds_finding_kind_name(i);
        CHECK(name != NULL && name[0] != '\0', "finding kind %zu has no name", i);
        if (strcmp(name, "vba-macros") == 0) macros = ds_finding_kind_is_warning(i);
        if (strcmp(name, "uri") == 0) uri = ds_finding_kind_is_warning(i);
    }
    CHECK(macros == 1 && uri == 0, "warning flags: vba-macros %d, uri %d", macros, uri);
    CHECK(ds_finding_kind_name(count) == NULL && !ds_finding_kind_is_warning(count), "a finding kind past the end");
    printf("%zu finding kinds\n", count);
    return 0;
}

int main(int argc, char **argv) {
    int threads = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
            threads = atoi(argv[++i]);
            continue;
        }
        if (job_count == 64) break;
        struct job *job = &jobs[job_count++];
        char *spec = strdup(argv[i]);
        job->path = strtok(spec, ":");
        job->status = atoi(strtok(NULL, ":"));
        job->pages = (size_t)atol(strtok(NULL, ":"));
        job->password = strtok(NULL, ":");
        job->data = read_file(job->path, &job->len);
        CHECK(job->data != NULL, "cannot read %s", job->path);
    }
    printf("docsandbox %s\n", ds_version());
    ds_limits limits;
    memset(&limits, 0, sizeof limits);
    limits.deadline_ms = 60000;
    sandbox = ds_sandbox_new(&limits);
    CHECK(sandbox != NULL, "ds_sandbox_new: %s", ds_last_error_message());
    int failed = finding_kinds();
    for (int i = 0; i < job_count && !failed; i++) failed = render_one(&jobs[i], 1);
    if (!failed) failed = bad_calls();
    if (!failed && threads > 0) {
        pthread_t ids[16];
        if (threads > 16) threads = 16;
        for (int t = 0; t < threads; t++) pthread_create(&ids[t], NULL, render_all, NULL);
        for (int t = 0; t < threads; t++) {
            void *result;
            pthread_join(ids[t], &result);
            if (result) failed = 1;
        }
        if (!failed) printf("%d threads rendered every document again\n", threads);
    }
    ds_sandbox_free(sandbox);
    for (int i = 0; i < job_count; i++) {
        free(jobs[i].data);
        free((void *)jobs[i].path);
    }
    if (!failed) printf("all checks passed\n");
    return failed;
}
