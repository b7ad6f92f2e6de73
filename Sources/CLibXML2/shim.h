#ifndef NIANBAO_CLIBXML2_SHIM_H
#define NIANBAO_CLIBXML2_SHIM_H

#include <libxml/xmlversion.h>
// Debian builds libxml2 against ICU; its headers clash with Foundation's. We never use ICU through libxml2.
#undef LIBXML_ICU_ENABLED

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

// `xmlFree` is a global function pointer, which Swift 6 refuses to call as shared mutable state.
static inline void nianbao_xmlFree(void *pointer) { xmlFree(pointer); }

#endif
