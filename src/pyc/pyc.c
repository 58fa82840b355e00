/* pyc.c - the .pyc container: 16-byte header (magic, flags, mtime+size or source hash)
   followed by the marshalled module code object. */
#include <string.h>

#include "pyc.h"

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int pyc_read(const uint8_t *data, size_t len, Arena *a, Pyc *out, cpyc_error *err)
{
    memset(out, 0, sizeof *out);
    if (len < 4) return error_at(err, CPYC_ERR_FORMAT, 0, "too short for a pyc (%zu bytes)", len);
    unsigned magic = data[0] | (unsigned)data[1] << 8;
    if (data[2] != '\r' || data[3] != '\n')
        return error_at(err, CPYC_ERR_FORMAT, 0, "bad magic number: not a pyc file");
    const cpyc_target *t = cpyc_target_by_magic(magic);
    if (!t) {
        const char *what = magic_known_foreign(magic);
        return error_at(err, CPYC_ERR_UNSUPPORTED, 0,
                        "pyc of %s (magic number %u) is not supported: cpyc reads Python 3.8 to 3.13",
                        what ? what : "an unknown Python version", magic);
    }
    if (len < 16) return error_at(err, CPYC_ERR_FORMAT, (long long)len, "pyc header truncated (%zu of 16 bytes)", len);
    PycHeader *h = &out->header;
    h->magic = magic;
    h->target = t;
    h->flags = le32(data + 4);
    if (h->flags & ~(uint32_t)(PYC_FLAG_HASH | PYC_FLAG_CHECK_SOURCE))
        return error_at(err, CPYC_ERR_FORMAT, 4, "invalid flags 0x%x in pyc header", (unsigned)h->flags);
    if (h->flags & PYC_FLAG_HASH) {
        memcpy(h->source_hash, data + 8, 8);
    } else {
        h->mtime = le32(data + 8);
        h->source_size = le32(data + 12);
    }
    MarshalReader r = {.data = data, .len = len, .pos = 16, .target = t, .arena = a, .err = err};
    Value *code = marshal_read_object(&r);
    marshal_reader_done(&r);
    if (!code) return -1;
    if (code->kind != V_CODE)
        return error_at(err, CPYC_ERR_FORMAT, 16, "module is a %s, not a code object", value_kind_name(code->kind));
    out->code = code;
    out->marshal_end = r.pos;
    out->noncanonical = r.noncanonical;
    return 0;
}

void pyc_write_header(Buf *out, const PycHeader *h)
{
    buf_byte(out, (uint8_t)h->magic);
    buf_byte(out, (uint8_t)(h->magic >> 8));
    buf_byte(out, '\r');
    buf_byte(out, '\n');
    buf_u32le(out, h->flags);
    if (h->flags & PYC_FLAG_HASH) {
        buf_put(out, h->source_hash, 8);
    } else {
        buf_u32le(out, h->mtime);
        buf_u32le(out, h->source_size);
    }
}

int pyc_write(Buf *out, const Pyc *pyc, cpyc_error *err)
{
    pyc_write_header(out, &pyc->header);
    return marshal_write_object(out, pyc->code, pyc->header.target, err);
}
