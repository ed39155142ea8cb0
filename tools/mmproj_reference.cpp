// Records llama.cpp's (libmtmd's) reference outputs for nook's vision-encoder fixtures.
// Built and run by tools/record_mmproj_reference.sh against the reference build; not part of the Swift package.
//
//   mmproj_reference embed --text TEXT.gguf --mmproj P.gguf --image I.png --out PREFIX
//                          [--threads N] [--max-tokens N] [--min-tokens N] [--row-floats N] [--pre-stride N] [--full FILE]
//   mmproj_reference e2e   --text DECODER.gguf --mmproj P.gguf --image I.png --prompt "..." --out PREFIX [--threads N]
//
// embed: tokenizes the media marker alone (mtmd adds the projector's marker text around the image), encodes every
//   image chunk with mtmd_encode_chunk and writes
//     PREFIX.json     chunks in order: text chunks with their token ids, image chunks with n_tokens, n_pos, the
//                     L2 norm and sum of every output token, which rows were stored, and the preprocessed f32
//                     tile exactly as clip.cpp fed it to the graph (captured from the graph input "inp_raw"
//                     through the eval callback): shape [3, ny, nx] planar RGB, sum, sum of squares, max |x|,
//                     and where its strided sample (every pre_stride-th value from 0) sits in PREFIX.pre.f32
//     PREFIX.emb.f32  the stored embedding rows (f32 little-endian, n_embd each), chunk by chunk
//     PREFIX.pre.f32  the strided preprocessed samples, tile by tile
//     FILE (with --full FILE) every embedding row of every image chunk, f32 (not committed: too large)
//   Rows stored per image chunk: 0, s, 2s, ... and the chunk's last row, s = ceil(total rows * n_embd / row_floats).
// e2e: evaluates every chunk but the last with mtmd_helper_eval_chunk_single, then decodes the last (text) chunk
//   with logits for all its positions and writes PREFIX.logits ("%.6g", one line per position) and PREFIX.json
//   (the chunk structure with token ids and positions).
#include "ggml-backend.h"
#include "gguf.h"
#include "llama.h"
#include "mtmd.h"
#include "mtmd-helper.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

struct Args {
    std::string mode, text, mmproj, image, out, prompt, full;
    int threads = 2, max_tokens = -1, min_tokens = -1, pre_stride = 97;
    long row_floats = 60000;
};

struct Tile {
    int nx = 0, ny = 0;
    double sum = 0, sumsq = 0, max_abs = 0;
    long sample_offset = 0, sample_count = 0;
};

struct Capture {
    int pre_stride = 97;
    bool armed = false;
    std::vector<Tile> tiles;
    std::vector<float> samples;
};

[[noreturn]] void die(const std::string & msg) {
    fprintf(stderr, "mmproj_reference: %s\n", msg.c_str());
    exit(1);
}

// Eval callback: the first node reading "inp_raw" in an armed encode gets the input copied out.
bool on_eval(ggml_tensor * t, bool ask, void * user_data) {
    auto * cap = static_cast<Capture *>(user_data);
    ggml_tensor * raw = nullptr;
    for (int i = 0; i < GGML_MAX_SRC && t->src[i]; i++) {
        if (strcmp(t->src[i]->name, "inp_raw") == 0) raw = t->src[i];
    }
    if (ask) return cap->armed && raw != nullptr;
    if (!cap->armed || raw == nullptr) return true;
    cap->armed = false;
    if (raw->type != GGML_TYPE_F32) die("inp_raw is not f32");
    std::vector<float> v(ggml_nelements(raw));
    ggml_backend_tensor_get(raw, v.data(), 0, ggml_nbytes(raw));
    if (raw->ne[2] != 3 || raw->ne[3] != 1) die("inp_raw is not one 3-channel image");
    Tile tile;
    tile.nx = (int) raw->ne[0];
    tile.ny = (int) raw->ne[1];
    tile.sample_offset = (long) cap->samples.size();
    for (size_t i = 0; i < v.size(); i++) {
        tile.sum += v[i];
        tile.sumsq += (double) v[i] * v[i];
        tile.max_abs = std::fmax(tile.max_abs, std::fabs((double) v[i]));
        if (i % cap->pre_stride == 0) cap->samples.push_back(v[i]);
    }
    tile.sample_count = (long) cap->samples.size() - tile.sample_offset;
    cap->tiles.push_back(tile);
    return true;
}

void quiet_log(ggml_log_level level, const char * text, void *) {
    if (level >= GGML_LOG_LEVEL_ERROR) fputs(text, stderr);
}

Args parse(int argc, char ** argv) {
    Args a;
    if (argc < 2) die("usage: mmproj_reference embed|e2e --text T --mmproj P --image I --out PREFIX ...");
    a.mode = argv[1];
    for (int i = 2; i < argc; i++) {
        std::string k = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) die("missing value after " + k);
            return argv[++i];
        };
        if (k == "--text") a.text = next();
        else if (k == "--mmproj") a.mmproj = next();
        else if (k == "--image") a.image = next();
        else if (k == "--out") a.out = next();
        else if (k == "--prompt") a.prompt = next();
        else if (k == "--threads") a.threads = atoi(next().c_str());
        else if (k == "--max-tokens") a.max_tokens = atoi(next().c_str());
        else if (k == "--min-tokens") a.min_tokens = atoi(next().c_str());
        else if (k == "--row-floats") a.row_floats = atol(next().c_str());
        else if (k == "--pre-stride") a.pre_stride = atoi(next().c_str());
        else if (k == "--full") a.full = next();
        else die("unknown option " + k);
    }
    if (a.text.empty() || a.mmproj.empty() || a.image.empty() || a.out.empty()) die("--text, --mmproj, --image and --out are required");
    if (a.mode == "e2e" && a.prompt.empty()) die("e2e needs --prompt");
    return a;
}

void write_floats(const std::string & path, const std::vector<float> & v) {
    FILE * f = fopen(path.c_str(), "wb");
    if (!f || fwrite(v.data(), sizeof(float), v.size(), f) != v.size()) die("cannot write " + path);
    fclose(f);
}

std::string json_number(double x) {
    char buf[32];
    snprintf(buf, sizeof buf, "%.17g", x);
    return buf;
}

std::string json_floats(const std::vector<double> & v) {
    std::string s = "[";
    char buf[32];
    for (size_t i = 0; i < v.size(); i++) {
        snprintf(buf, sizeof buf, "%s%.9g", i ? ", " : "", v[i]);
        s += buf;
    }
    return s + "]";
}

std::string json_ints(const std::vector<long> & v) {
    std::string s = "[";
    for (size_t i = 0; i < v.size(); i++) s += (i ? ", " : "") + std::to_string(v[i]);
    return s + "]";
}

std::string json_escape(const std::string & s) {
    std::string o;
    for (char c : s) {
        if (c == '"' || c == '\\') { o += '\\'; o += c; }
        else if (c == '\n') o += "\\n";
        else o += c;
    }
    return o;
}

}  // namespace

int main(int argc, char ** argv) {
    Args a = parse(argc, argv);
    llama_log_set(quiet_log, nullptr);
    mtmd_helper_log_set(quiet_log, nullptr);
    llama_backend_init();

    const bool e2e = a.mode == "e2e";
    if (!e2e && a.mode != "embed") die("mode must be embed or e2e");
    llama_model_params mp = llama_model_default_params();
    mp.n_gpu_layers = 0;
    mp.vocab_only = !e2e;
    llama_model * model = llama_model_load_from_file(a.text.c_str(), mp);
    if (!model) die("cannot load " + a.text);
    // a vocab-only model reports no width: read it from the file (mtmd's outputs have the text model's width)
    int n_embd = llama_model_n_embd_inp(model);
    if (n_embd <= 0) {
        gguf_init_params gp = {true, nullptr};
        gguf_context * g = gguf_init_from_file(a.text.c_str(), gp);
        const int64_t k = g ? gguf_find_key(g, "llama.embedding_length") : -1;
        if (k < 0) die(a.text + ": no llama.embedding_length");
        n_embd = (int) gguf_get_val_u32(g, k);
        gguf_free(g);
    }

    Capture cap;
    cap.pre_stride = a.pre_stride;
    mtmd_context_params cp = mtmd_context_params_default();
    cp.use_gpu = false;
    cp.print_timings = false;
    cp.n_threads = a.threads;
    cp.warmup = false;
    cp.image_min_tokens = a.min_tokens;
    cp.image_max_tokens = a.max_tokens;
    cp.cb_eval = on_eval;
    cp.cb_eval_user_data = &cap;
    mtmd_context * mctx = mtmd_init_from_file(a.mmproj.c_str(), model, cp);
    if (!mctx) die("cannot load " + a.mmproj);

    mtmd_bitmap * bmp = mtmd_helper_bitmap_init_from_file(mctx, a.image.c_str(), false, mtmd_helper_init_opt_default()).bitmap;
    if (!bmp) die("cannot decode " + a.image);
    const std::string prompt = e2e ? a.prompt : std::string(mtmd_default_marker());
    mtmd_input_text txt = {prompt.c_str(), prompt.size(), true, true};
    mtmd_input_chunks * chunks = mtmd_input_chunks_init();
    const mtmd_bitmap * bmps[] = {bmp};
    if (int rc = mtmd_tokenize(mctx, chunks, &txt, bmps, 1)) die("mtmd_tokenize failed: " + std::to_string(rc));
    const size_t n_chunks = mtmd_input_chunks_size(chunks);

    llama_context * lctx = nullptr;
    if (e2e) {
        llama_context_params lp = llama_context_default_params();
        lp.n_ctx = 4096;
        lp.n_batch = 2048;
        lp.n_ubatch = 512;
        lp.n_threads = lp.n_threads_batch = a.threads;
        lctx = llama_init_from_model(model, lp);
        if (!lctx) die("cannot create the llama context");
    }

    // rows stored per image chunk
    long total_rows = 0;
    for (size_t c = 0; c < n_chunks; c++) {
        const mtmd_input_chunk * ch = mtmd_input_chunks_get(chunks, c);
        if (mtmd_input_chunk_get_type(ch) == MTMD_INPUT_CHUNK_TYPE_IMAGE) total_rows += (long) mtmd_input_chunk_get_n_tokens(ch);
    }
    const long row_stride = std::max(1L, (long) std::ceil((double) total_rows * n_embd / (double) a.row_floats));

    std::vector<float> stored, full;
    std::string js = "{\n \"mode\": \"" + a.mode + "\",\n \"image\": \"" + json_escape(a.image.substr(a.image.find_last_of('/') + 1)) +
        "\",\n \"prompt\": \"" + json_escape(prompt) + "\",\n \"n_threads\": " + std::to_string(a.threads) +
        ",\n \"image_min_tokens\": " + std::to_string(a.min_tokens) + ",\n \"image_max_tokens\": " + std::to_string(a.max_tokens) +
        ",\n \"flash_attn\": \"auto (mtmd_context_params_default)\",\n \"n_embd\": " + std::to_string(n_embd) +
        ",\n \"row_stride\": " + std::to_string(row_stride) + ",\n \"pre_stride\": " + std::to_string(a.pre_stride) +
        ",\n \"n_chunks\": " + std::to_string(n_chunks) + ",\n \"chunks\": [\n";
    llama_pos n_past = 0;
    for (size_t c = 0; c < n_chunks; c++) {
        const mtmd_input_chunk * ch = mtmd_input_chunks_get(chunks, c);
        const bool is_image = mtmd_input_chunk_get_type(ch) == MTMD_INPUT_CHUNK_TYPE_IMAGE;
        const size_t n_tok = mtmd_input_chunk_get_n_tokens(ch);
        const llama_pos n_pos = mtmd_input_chunk_get_n_pos(ch);
        js += std::string(c ? ",\n" : "") + "  {\"index\": " + std::to_string(c) + ", \"type\": \"" + (is_image ? "image" : "text") +
              "\", \"n_tokens\": " + std::to_string(n_tok) + ", \"n_pos\": " + std::to_string(n_pos) +
              ", \"pos_start\": " + std::to_string(n_past);
        if (!is_image) {
            size_t n = 0;
            const llama_token * toks = mtmd_input_chunk_get_tokens_text(ch, &n);
            std::vector<long> ids(toks, toks + n);
            js += ", \"tokens\": " + json_ints(ids);
        }
        const bool last = c + 1 == n_chunks;
        if (e2e && last) {
            if (is_image) die("the prompt must end with text");
            size_t n = 0;
            const llama_token * toks = mtmd_input_chunk_get_tokens_text(ch, &n);
            llama_batch batch = llama_batch_init((int) n, 0, 1);
            for (size_t i = 0; i < n; i++) {
                batch.token[i] = toks[i];
                batch.pos[i] = n_past + (llama_pos) i;
                batch.n_seq_id[i] = 1;
                batch.seq_id[i][0] = 0;
                batch.logits[i] = 1;
            }
            batch.n_tokens = (int) n;
            if (llama_decode(lctx, batch) != 0) die("llama_decode failed on the last chunk");
            const int n_vocab = llama_vocab_n_tokens(llama_model_get_vocab(model));
            FILE * f = fopen((a.out + ".logits").c_str(), "w");
            if (!f) die("cannot write " + a.out + ".logits");
            for (size_t i = 0; i < n; i++) {
                const float * row = llama_get_logits_ith(lctx, (int) i);
                for (int v = 0; v < n_vocab; v++) fprintf(f, v ? " %.6g" : "%.6g", row[v]);
                fputc('\n', f);
            }
            fclose(f);
            llama_batch_free(batch);
            js += ", \"logits\": \"all " + std::to_string(n) + " positions, " + a.out.substr(a.out.find_last_of('/') + 1) + ".logits\"";
            n_past += (llama_pos) n;
        } else if (e2e) {
            llama_pos next = n_past;  // the helper adds to it
            if (mtmd_helper_eval_chunk_single(mctx, lctx, ch, n_past, 0, 2048, false, &next) != 0) die("eval of chunk " + std::to_string(c) + " failed");
            n_past = next;
        } else if (is_image) {
            cap.armed = true;
            const size_t tiles_before = cap.tiles.size();
            if (mtmd_encode_chunk(mctx, ch) != 0) die("mtmd_encode_chunk failed on chunk " + std::to_string(c));
            if (cap.tiles.size() != tiles_before + 1) die("no preprocessed input captured for chunk " + std::to_string(c));
            const float * emb = mtmd_get_output_embd(mctx);
            std::vector<double> norms, sums;
            std::vector<long> rows;
            for (size_t r = 0; r < n_tok; r++) {
                double s = 0, s2 = 0;
                for (int k = 0; k < n_embd; k++) { s += emb[r * n_embd + k]; s2 += (double) emb[r * n_embd + k] * emb[r * n_embd + k]; }
                norms.push_back(std::sqrt(s2));
                sums.push_back(s);
                if ((long) r % row_stride == 0 || r + 1 == n_tok) {
                    rows.push_back((long) r);
                    stored.insert(stored.end(), emb + r * n_embd, emb + (r + 1) * n_embd);
                }
            }
            if (!a.full.empty()) full.insert(full.end(), emb, emb + n_tok * n_embd);
            const Tile & t = cap.tiles.back();
            js += ", \"token_l2\": " + json_floats(norms) + ", \"token_sum\": " + json_floats(sums) + ", \"rows\": " + json_ints(rows) +
                  ", \"preprocessed\": {\"shape\": [3, " + std::to_string(t.ny) + ", " + std::to_string(t.nx) + "], \"sum\": " +
                  json_number(t.sum) + ", \"sumsq\": " + json_number(t.sumsq) + ", \"max_abs\": " + json_number(t.max_abs) +
                  ", \"sample_offset\": " + std::to_string(t.sample_offset) + ", \"sample_count\": " + std::to_string(t.sample_count) + "}";
        }
        if (!e2e) n_past += n_pos;
        js += "}";
    }
    js += "\n ],\n \"n_past\": " + std::to_string(n_past) + "\n}\n";
    FILE * f = fopen((a.out + ".json").c_str(), "w");
    if (!f) die("cannot write " + a.out + ".json");
    fputs(js.c_str(), f);
    fclose(f);
    if (!e2e) {
        write_floats(a.out + ".emb.f32", stored);
        write_floats(a.out + ".pre.f32", cap.samples);
        if (!a.full.empty()) write_floats(a.full, full);
    }
    mtmd_input_chunks_free(chunks);
    mtmd_bitmap_free(bmp);
    mtmd_free(mctx);
    if (lctx) llama_free(lctx);
    llama_model_free(model);
    return 0;
}
