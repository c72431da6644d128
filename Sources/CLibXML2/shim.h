#ifndef NETRAL_CLIBXML2_SHIM_H
#define NETRAL_CLIBXML2_SHIM_H

// Debian builds libxml2 with ICU, so its headers pull in the system's <unicode/*.h>, which clash
// with the ICU copy inside Foundation. Netral never uses libxml2's ICU converters, so hide them.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xmlerror.h>

// xmlFree is a global function pointer in some libxml2 builds and a macro in others, so Swift
// cannot reliably call it; this wrapper always resolves to the right deallocator.
static inline void clibxml2_free(void *pointer) {
    xmlFree(pointer);
}

// xmlGenericErrorFunc is variadic, so Swift can neither define one nor hold a pointer to one:
// this swaps the calling thread's handler for a silent one (1) and back to libxml2's default (0).
static void clibxml2_discard_generic_error(void *context, const char *message, ...) {
    (void)context;
    (void)message;
}
static inline void clibxml2_silence_generic_errors(int silence) {
    xmlSetGenericErrorFunc(NULL, silence ? clibxml2_discard_generic_error : NULL);
}

#endif
