#ifndef NETRAL_CTESSERACT_SHIM_H
#define NETRAL_CTESSERACT_SHIM_H

// Tesseract's C API (capi.h) and Leptonica, which decodes and scales the images Tesseract reads.
#include <leptonica/allheaders.h>
#include <tesseract/capi.h>

// Leptonica's message severity is process-wide and prints decoder complaints on stderr; Netral
// reports its own errors, so it turns them off once. A macro-valued enum in environ.h.
static inline void ctesseract_silence_leptonica(void) {
    setMsgSeverity(L_SEVERITY_NONE);
}

// Leptonica's JPEG reader hint for luminance only (a grey image straight from the decoder, no
// colour conversion): an anonymous enum Swift imports without a usable type.
static inline int ctesseract_jpeg_luminance_hint(void) {
    return L_JPEG_READ_LUMINANCE;
}

#endif
