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

#endif
